/*
 * fuzz_support.h — what the libFuzzer harnesses of tests/fuzz share: MPI
 * started once per process (the loader and the result files are
 * MPI-aware; the harnesses use MPI_COMM_SELF), quiet logging, the GSL
 * error handler, and a scratch folder of this process for the files the
 * fuzz inputs are written to, removed at exit.
 */
#ifndef CETWIN_FUZZ_SUPPORT_H
#define CETWIN_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* libFuzzer's entry points, which each harness defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The set-up every harness's LLVMFuzzerInitialize ends with (its
 * arguments are not used); returns 0. Exits with a message when the
 * scratch folder cannot be made. */
int cet_fuzz_setup(int *argc, char ***argv);

/* The path of the file called name in the scratch folder (a buffer of the
 * caller of size len). */
void cet_fuzz_path(const char *name, char *path, size_t len);

/* Writes size bytes of data to path; exits with a message on failure
 * (a full /tmp is not a finding). */
void cet_fuzz_write(const char *path, const uint8_t *data, size_t size);

/* An open stream on /dev/null for what the code under test prints. */
FILE *cet_fuzz_null(void);

#endif /* CETWIN_FUZZ_SUPPORT_H */
