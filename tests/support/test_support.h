/*
 * test_support.h — helpers shared by the C tests: temporary folders and
 * files, loading cases, reconciling a case's measurements, and running code
 * that is expected to fail with a given message.
 */
#ifndef CETWIN_TEST_SUPPORT_H
#define CETWIN_TEST_SUPPORT_H

#include "cetwin/case.h"
#include "cetwin/reconcile.h"

#include <stddef.h>

/* Creates a fresh temporary folder (removed by the OS's tmp cleaning) and
 * returns its path (static storage, one per process). */
const char *cet_test_tmpdir(void);

/* Writes text to dir/name; returns the path (static buffer, copied by the
 * caller if kept). Fails the test on I/O errors. */
const char *cet_test_write(const char *name, const char *text);

/* Runs fn(arg) with stderr redirected to a file and returns what it wrote
 * (static buffer, valid until the next call). */
const char *cet_test_capture_stderr(void (*fn)(void *), void *arg);

/* Loads and reads the case at path with the overrides sets[0..n-1] on
 * MPI_COMM_SELF (MPI initialised by the test); returns the status, *out
 * the case on success (cet_case_destroy). */
int cet_test_read_case(const char *path, const char *const *sets, size_t n, void **out);

/* As cet_test_read_case for configs/NAME of the source tree, without
 * overrides; prints the error chain on failure. */
int cet_test_read_shipped(const char *name, void **out);

/* A cmocka group fixture of one shipped case: cet_test_fixture_open reads
 * configs/NAME (NULL on failure, the error printed) for the group's setup;
 * cet_test_fixture_close, the group's teardown, frees it. */
void *cet_test_fixture_open(const char *name);
int cet_test_fixture_close(void **state);

/* Evaluates twin t (a const cet_twin *) at its own values and returns the
 * value of metric name; fails the test when the evaluation fails or the
 * metric is absent. */
double cet_test_metric(const void *t, const char *name);

/* Reconciles the measurements of c (c->reconcile) starting from its twin's
 * steady state at the twin's own values; returns the status of
 * cet_reconcile_run, *out its result (cet_reconcile_result_destroy). The twin
 * must evaluate (the test fails otherwise). */
int cet_test_reconcile(const cet_case *c, cet_reconcile_result **out);

/* As cet_test_reconcile, failing the test (the error chain printed) unless
 * it succeeds; returns the result. */
cet_reconcile_result *cet_test_reconcile_ok(const cet_case *c);

/* Asserts that the innermost error message contains every NULL-terminated
 * fragment, printing the message when not; then clears the error chain. */
void cet_test_expect_message(const char *fragment, ...);

/* Loads and reads the case at path with n --set overrides on MPI_COMM_SELF
 * (errors left in the error chain); *out the case on success. */
int cet_test_load_case(const char *path, const char *const *sets, size_t n, cet_case **out);

/* As cet_test_load_case without overrides, failing the test (the error
 * chain printed) unless the case loads; returns it. */
cet_case *cet_test_load_ok(const char *path);

/* Asserts that the case at path with the one override `set` (none when
 * NULL) fails with CET_ERR_INPUT and a message holding every
 * NULL-terminated fragment (printing the message when not); then clears
 * the error chain. */
void cet_test_expect_case_error(const char *path, const char *set, const char *fragment, ...);

#endif /* CETWIN_TEST_SUPPORT_H */
