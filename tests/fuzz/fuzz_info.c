/*
 * fuzz_info.c — libFuzzer harness of the result reader behind `cetwin info`:
 * the input is written to a file in the scratch folder and
 * cet_result_print_info prints it to /dev/null. The seeds are small real
 * result files made when the fuzz tests start (tests/fuzz/make_corpus.py),
 * so the mutations are mostly damaged result files. Every outcome but a
 * crash, a leak, undefined behaviour or a hang is fine.
 */
#include "fuzz_support.h"

#include "cetwin/error.h"
#include "cetwin/result.h"

enum { PATH_LEN = 512 };

int LLVMFuzzerInitialize(int *argc, char ***argv) { return cet_fuzz_setup(argc, argv); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[PATH_LEN];
  cet_fuzz_path("result.h5", path, sizeof path);
  cet_fuzz_write(path, data, size);
  (void)cet_result_print_info(path, cet_fuzz_null());
  cet_error_clear();
  return 0;
}
