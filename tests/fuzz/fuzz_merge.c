/*
 * fuzz_merge.c — libFuzzer harness of `cetwin merge` on two shards: the
 * input is written to a file in the scratch folder and merged (cet_merge,
 * which picks the merge of the analysis the input holds) with a real shard
 * of the same run, the file named by CETWIN_FUZZ_SHARD (default: the Monte
 * Carlo shard tests/fuzz/make_corpus.py makes in the build folder; it makes
 * a Sobol' shard too). The seeds are the other shards of that run, so the
 * mutations are damaged or inconsistent shards. Every outcome but a crash,
 * a leak, undefined behaviour or a hang is fine; the merged file, when
 * there is one, is removed.
 */
#define _POSIX_C_SOURCE 200809L /* access, unlink */

#include "fuzz_support.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"

#include <stdlib.h>
#include <unistd.h>

enum { PATH_LEN = 512 };

static const char *other_shard;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  other_shard = getenv("CETWIN_FUZZ_SHARD");
  if (!other_shard || !*other_shard) {
    other_shard = CETWIN_FUZZ_DEFAULT_SHARD;
  }
  if (access(other_shard, R_OK) != 0) {
    fprintf(stderr,
            "fuzz_merge: no shard to merge with at %s (set CETWIN_FUZZ_SHARD, or run "
            "tests/fuzz/make_corpus.py as `ctest -L fuzz` does)\n",
            other_shard);
    exit(2);
  }
  return cet_fuzz_setup(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[PATH_LEN], merged[PATH_LEN], partial[PATH_LEN + sizeof ".partial"];
  cet_fuzz_path("shard.h5", path, sizeof path);
  cet_fuzz_path("merged.h5", merged, sizeof merged);
  snprintf(partial, sizeof partial, "%s.partial", merged);
  cet_fuzz_write(path, data, size);
  const char *inputs[2] = {path, other_shard};
  (void)cet_merge(inputs, 2, merged, "fuzz_merge", cet_fuzz_null());
  cet_error_clear();
  unlink(merged);
  unlink(partial);
  return 0;
}
