/*
 * test_checkpoint.c — unit tests of checkpoint.h: a checkpoint written
 * through result.h appears under its name only when committed (an older one
 * stays intact until then), reads back exactly, and every failure is an
 * input error naming the file: a missing file, a file that is not HDF5, a
 * result file instead of a checkpoint, another kind, a newer version,
 * missing attributes and datasets, attributes of another type, datasets of
 * another shape or type.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/checkpoint.h"

#include "cetwin/error.h"

#include "test_support.h"

#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char path[512];

static void write_checkpoint(const char *at, const char *kind, double first) {
  cet_result *r = NULL;
  assert_int_equal(cet_checkpoint_create(at, kind, &r), CET_OK);
  double x[6] = {first, 2, 3, 4, 5, 6};
  long long n[2] = {7, -8};
  size_t d3[3] = {1, 2, 3}, d1 = 2;
  assert_int_equal(cet_result_write_doubles(r, "/optimize/x", 3, d3, x, NULL), CET_OK);
  assert_int_equal(cet_result_write_ints(r, "/optimize/n", 1, &d1, n, NULL), CET_OK);
  assert_int_equal(cet_result_attr_string(r, "/optimize", "case", "pwb"), CET_OK);
  assert_int_equal(cet_result_attr_int(r, "/optimize", "generation", 57), CET_OK);
  assert_int_equal(cet_result_commit(&r), CET_OK);
}

static void test_round_trip(void **state) {
  (void)state;
  snprintf(path, sizeof path, "%s/run.checkpoint.h5", cet_test_tmpdir());
  write_checkpoint(path, "optimize", 1.5);
  cet_checkpoint *cp = NULL;
  assert_int_equal(cet_checkpoint_open(path, "optimize", &cp), CET_OK);
  assert_string_equal(cet_checkpoint_path(cp), path);
  char *text = NULL;
  long long g = 0;
  assert_int_equal(cet_checkpoint_attr_string(cp, "/optimize", "case", &text), CET_OK);
  assert_string_equal(text, "pwb");
  free(text);
  assert_int_equal(cet_checkpoint_attr_string(cp, "/", "kind", &text), CET_OK);
  assert_string_equal(text, "optimize");
  free(text);
  assert_int_equal(cet_checkpoint_attr_int(cp, "/optimize", "generation", &g), CET_OK);
  assert_int_equal(g, 57);
  size_t rank = 0, dims[3] = {0}, d3[3] = {1, 2, 3}, d1 = 2;
  assert_int_equal(cet_checkpoint_dims(cp, "/optimize/x", &rank, dims), CET_OK);
  assert_int_equal(rank, 3);
  assert_int_equal(dims[2], 3);
  double x[6] = {0};
  long long n[2] = {0};
  assert_int_equal(cet_checkpoint_read_doubles(cp, "/optimize/x", 3, d3, x), CET_OK);
  assert_true(x[0] == 1.5 && x[5] == 6);
  assert_int_equal(cet_checkpoint_read_ints(cp, "/optimize/n", 1, &d1, n), CET_OK);
  assert_true(n[0] == 7 && n[1] == -8);
  cet_checkpoint_close(&cp);
  assert_null(cp);
  cet_checkpoint_close(&cp);
  cet_checkpoint_close(NULL);
}

/* A newer checkpoint replaces the old one only when committed; a discarded
 * one leaves the old one and no partial file. */
static void test_atomic_replacement(void **state) {
  (void)state;
  char partial[600];
  snprintf(path, sizeof path, "%s/atomic.h5", cet_test_tmpdir());
  snprintf(partial, sizeof partial, "%s.partial", path);
  write_checkpoint(path, "optimize", 1.0);
  cet_result *r = NULL;
  assert_int_equal(cet_checkpoint_create(path, "optimize", &r), CET_OK);
  assert_int_equal(access(partial, F_OK), 0);
  cet_checkpoint *cp = NULL;
  assert_int_equal(cet_checkpoint_open(path, "optimize", &cp), CET_OK); /* the old one */
  cet_checkpoint_close(&cp);
  cet_result_discard(&r);
  assert_int_not_equal(access(partial, F_OK), 0);
  write_checkpoint(path, "optimize", 9.0);
  size_t d3[3] = {1, 2, 3};
  double x[6];
  assert_int_equal(cet_checkpoint_open(path, "optimize", &cp), CET_OK);
  assert_int_equal(cet_checkpoint_read_doubles(cp, "/optimize/x", 3, d3, x), CET_OK);
  assert_true(x[0] == 9.0);
  cet_checkpoint_close(&cp);
}

static void expect_open_error(const char *at, const char *kind, const char *fragment) {
  cet_checkpoint *cp = NULL;
  cet_error_clear();
  assert_int_equal(cet_checkpoint_open(at, kind, &cp), CET_ERR_INPUT);
  assert_null(cp);
  cet_test_expect_message(at, fragment, NULL);
}

static void test_open_errors(void **state) {
  (void)state;
  char other[512];
  snprintf(other, sizeof other, "%s/missing.h5", cet_test_tmpdir());
  expect_open_error(other, "optimize", "No such file");
  expect_open_error(cet_test_write("text.h5", "not hdf5\n"), "optimize", "not an HDF5 file");
  snprintf(other, sizeof other, "%s/result.h5", cet_test_tmpdir());
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(other, MPI_COMM_SELF, 0, &r), CET_OK);
  assert_int_equal(cet_result_attr_string(r, "/", "format", CET_RESULT_FORMAT), CET_OK);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  expect_open_error(other, "optimize", "is not a cetwin checkpoint (its format is 'cetwin-result'");
  snprintf(other, sizeof other, "%s/mc.h5", cet_test_tmpdir());
  write_checkpoint(other, "mc", 1.0);
  expect_open_error(other, "optimize", "is of a mc run, expected optimize");
  snprintf(other, sizeof other, "%s/future.h5", cet_test_tmpdir());
  assert_int_equal(cet_checkpoint_create(other, "optimize", &r), CET_OK);
  assert_int_equal(cet_result_attr_int(r, "/", "format_version", 99), CET_OK);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  expect_open_error(other, "optimize", "format version 99");
}

static void test_read_errors(void **state) {
  (void)state;
  snprintf(path, sizeof path, "%s/errors.h5", cet_test_tmpdir());
  write_checkpoint(path, "optimize", 1.0);
  cet_checkpoint *cp = NULL;
  assert_int_equal(cet_checkpoint_open(path, "optimize", &cp), CET_OK);
  char *text = NULL;
  long long g = 0;
  size_t d3[3] = {1, 2, 3}, wrong[3] = {1, 3, 2}, d1 = 2, rank, dims[3];
  double x[6];
  long long n[6];
  cet_error_clear();
  assert_int_equal(cet_checkpoint_attr_string(cp, "/optimize", "nothing", &text), CET_ERR_INPUT);
  cet_test_expect_message("no attribute 'nothing' on '/optimize'", NULL);
  assert_int_equal(cet_checkpoint_attr_string(cp, "/nowhere", "case", &text), CET_ERR_INPUT);
  cet_test_expect_message("no attribute 'case' on '/nowhere'", NULL);
  assert_int_equal(cet_checkpoint_attr_string(cp, "/optimize", "generation", &text), CET_ERR_INPUT);
  cet_test_expect_message("is not a text", NULL);
  assert_int_equal(cet_checkpoint_attr_int(cp, "/optimize", "case", &g), CET_ERR_INPUT);
  cet_test_expect_message("is not an integer", NULL);
  assert_int_equal(cet_checkpoint_attr_int(cp, "/optimize", "nothing", &g), CET_ERR_INPUT);
  cet_test_expect_message("no attribute", NULL);
  assert_int_equal(cet_checkpoint_dims(cp, "/optimize/y", &rank, dims), CET_ERR_INPUT);
  cet_test_expect_message("no dataset '/optimize/y'", NULL);
  assert_int_equal(cet_checkpoint_read_doubles(cp, "/optimize/x", 3, wrong, x), CET_ERR_INPUT);
  cet_test_expect_message("has shape [1 x 2 x 3], expected [1 x 3 x 2]", NULL);
  assert_int_equal(cet_checkpoint_read_doubles(cp, "/optimize/x", 2, d3, x), CET_ERR_INPUT);
  cet_test_expect_message("expected [1 x 2]", NULL);
  assert_int_equal(cet_checkpoint_read_ints(cp, "/optimize/x", 3, d3, n), CET_ERR_INPUT);
  cet_test_expect_message("holds another type", NULL);
  assert_int_equal(cet_checkpoint_read_doubles(cp, "/optimize/n", 1, &d1, x), CET_ERR_INPUT);
  cet_test_expect_message("holds another type", NULL);
  assert_int_equal(cet_checkpoint_read_ints(cp, "/optimize/missing", 1, &d1, n), CET_ERR_INPUT);
  cet_test_expect_message("no dataset", NULL);
  cet_checkpoint_close(&cp);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_atomic_replacement),
      cmocka_unit_test(test_open_errors),
      cmocka_unit_test(test_read_errors),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
