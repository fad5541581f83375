/*
 * fuzz_support.c — set-up shared by the libFuzzer harnesses (see
 * fuzz_support.h).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "fuzz_support.h"

#include "cetwin/error.h"
#include "cetwin/log.h"

#include <dirent.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#include <sanitizer/lsan_interface.h>
#define CET_FUZZ_LEAKS_OFF() __lsan_disable()
#define CET_FUZZ_LEAKS_ON() __lsan_enable()
#endif
#endif
#ifndef CET_FUZZ_LEAKS_OFF
#define CET_FUZZ_LEAKS_OFF() ((void)0)
#define CET_FUZZ_LEAKS_ON() ((void)0)
#endif

enum { SCRATCH_LEN = 256, ENTRY_PATH_LEN = 512 };

static char scratch[SCRATCH_LEN];
static FILE *null_stream;

/* Removes the scratch folder and what the harness left in it, then ends MPI. */
static void cleanup(void) {
  DIR *d = opendir(scratch);
  if (d) {
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
        char path[ENTRY_PATH_LEN];
        snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
        unlink(path);
      }
    }
    closedir(d);
    rmdir(scratch);
  }
  if (null_stream) {
    fclose(null_stream);
  }
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) {
    CET_FUZZ_LEAKS_OFF();
    MPI_Finalize();
    CET_FUZZ_LEAKS_ON();
  }
}

int cet_fuzz_setup(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *tmp = getenv("TMPDIR");
  snprintf(scratch, sizeof scratch, "%s/cetwin-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(scratch)) {
    perror("cetwin fuzz: cannot make a scratch folder");
    exit(2);
  }
  null_stream = fopen("/dev/null", "w");
  if (!null_stream) {
    perror("cetwin fuzz: cannot open /dev/null");
    exit(2);
  }
  /* what MPI_Init allocates for the life of the process is not a leak of
   * the code under test */
  CET_FUZZ_LEAKS_OFF();
  MPI_Init(NULL, NULL);
  CET_FUZZ_LEAKS_ON();
  atexit(cleanup);
  cet_log_setup(0, CET_LOG_QUIET);
  cet_error_install_gsl_handler();
  return 0;
}

void cet_fuzz_path(const char *name, char *path, size_t len) {
  snprintf(path, len, "%s/%s", scratch, name);
}

void cet_fuzz_write(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    perror("cetwin fuzz: cannot write the input file");
    exit(2);
  }
}

FILE *cet_fuzz_null(void) { return null_stream; }
