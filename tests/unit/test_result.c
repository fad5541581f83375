/*
 * test_result.c — unit tests of result.h: datasets and attributes, the
 * .partial file renamed only on commit and removed on discard, provenance,
 * the info summary, and the failures (bad folder, bad rank, not a result).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/result.h"

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

static char path[512], partial[600];

static int exists(const char *p) { return access(p, F_OK) == 0; }

static void fill(cet_result *r) {
  const char *cols[] = {"Cu", "Fe"};
  double m[6] = {1, 2, 3, 4, 5, 6};
  size_t d2[2] = {3, 2}, d3[3] = {1, 3, 2}, d0 = 0;
  cet_dataset_meta meta = {.units = "t/day",
                           .description = "test matrix",
                           .columns = cols,
                           .n_columns = 2,
                           .dims = "row,component"};
  assert_int_equal(cet_result_write_doubles(r, "/g/sub/matrix", 2, d2, m, &meta), CET_OK);
  assert_int_equal(cet_result_write_doubles(r, "/g/cube", 3, d3, m, NULL), CET_OK);
  assert_int_equal(cet_result_write_doubles(r, "/g/empty", 1, &d0, NULL, NULL), CET_OK);
  long long ints[3] = {-1, 0, 7};
  size_t n3 = 3;
  assert_int_equal(cet_result_write_ints(r, "/g/ints", 1, &n3, ints, NULL), CET_OK);
  const char *words[] = {"LSXEW", "ELEC+PS+A"};
  assert_int_equal(cet_result_write_strings(r, "/g/chain", 2, words, NULL), CET_OK);
  assert_int_equal(cet_result_write_strings(r, "/g/nochain", 0, NULL, NULL), CET_OK);
  assert_int_equal(cet_result_attr_int(r, "/g", "found", 7), CET_OK);
  assert_int_equal(cet_result_attr_double(r, "/g/sub", "purity", 0.999), CET_OK);
  assert_int_equal(cet_result_attr_strings(r, "/g", "names", cols, 2), CET_OK);
  assert_int_equal(cet_result_attr_string(r, "/new/group", "note", "created on demand"), CET_OK);
  const char *texts[] = {"a: 1\nb: 2\n"}, *names[] = {"case.yaml"};
  cet_run_info info = {.command_line = "cetwin run case.yaml",
                       .case_name = "case",
                       .analysis = "enumerate",
                       .seed = 42,
                       .mpi_ranks = 1,
                       .omp_threads = 1,
                       .n_inputs = 1,
                       .input_names = names,
                       .input_texts = texts};
  assert_int_equal(cet_result_write_provenance(r, &info), CET_OK);
}

static void test_commit_renames_partial(void **state) {
  (void)state;
  snprintf(path, sizeof path, "%s/out.h5", cet_test_tmpdir());
  snprintf(partial, sizeof partial, "%s.partial", path);
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(path, MPI_COMM_SELF, 0, &r), CET_OK);
  assert_string_equal(cet_result_path(r), path);
  assert_true(exists(partial));
  assert_false(exists(path));
  fill(r);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  assert_null(r);
  assert_true(exists(path));
  assert_false(exists(partial));
}

static void test_info_summarises(void **state) {
  (void)state;
  char text[16384] = "";
  FILE *out = fmemopen(text, sizeof text - 1, "w");
  assert_int_equal(cet_result_print_info(path, out), CET_OK);
  fclose(out);
  const char *expected[] = {"format: cetwin-result",
                            "seed: 42",
                            "config: (text, 3 lines)",
                            "/g/sub/matrix",
                            "[3 x 2]  t/day",
                            "/g/cube",
                            "[1 x 3 x 2]",
                            "/g/empty",
                            "found: 7",
                            "purity: 0.999",
                            "names: Cu, Fe",
                            "/input/files",
                            "note: created on demand"};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    if (!strstr(text, expected[i])) {
      fprintf(stderr, "missing '%s' in:\n%s\n", expected[i], text);
      fail();
    }
  }
}

static void test_discard_removes_partial(void **state) {
  (void)state;
  char p2[600], part2[700];
  snprintf(p2, sizeof p2, "%s/discarded.h5", cet_test_tmpdir());
  snprintf(part2, sizeof part2, "%s.partial", p2);
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(p2, MPI_COMM_SELF, 0, &r), CET_OK);
  assert_true(exists(part2));
  cet_result_discard(&r);
  assert_null(r);
  cet_result_discard(&r);
  assert_false(exists(part2));
  assert_false(exists(p2));
}

static void test_failures(void **state) {
  (void)state;
  cet_result *r = NULL;
  assert_int_equal(cet_result_create("/nonexistent-dir/x.h5", MPI_COMM_SELF, 0, &r),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("cannot create result file '/nonexistent-dir/x.h5.partial'", NULL);
  assert_null(r);
  char p3[600];
  snprintf(p3, sizeof p3, "%s/bad.h5", cet_test_tmpdir());
  assert_int_equal(cet_result_create(p3, MPI_COMM_SELF, 0, &r), CET_OK);
  size_t dims[4] = {1, 1, 1, 1};
  double v = 0;
  assert_int_equal(cet_result_write_doubles(r, "/x", 4, dims, &v, NULL), CET_ERR_RUNTIME);
  cet_test_expect_message("rank 4 not supported", NULL);
  assert_int_equal(cet_result_write_doubles(r, "/x", 1, dims, &v, NULL), CET_OK);
  assert_int_equal(cet_result_write_doubles(r, "/x", 1, dims, &v, NULL), CET_ERR_RUNTIME);
  cet_test_expect_message("cannot create dataset '/x'", NULL);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  FILE *devnull = fopen("/dev/null", "w");
  assert_int_equal(cet_result_print_info(p3, devnull), CET_ERR_INPUT);
  cet_test_expect_message("not a cetwin result", NULL);
  const char *text = cet_test_write("plain.txt", "not hdf5\n");
  char copy[600];
  snprintf(copy, sizeof copy, "%s", text);
  assert_int_equal(cet_result_print_info(copy, devnull), CET_ERR_INPUT);
  cet_test_expect_message("cannot open", "as an HDF5 file", NULL);
  fclose(devnull);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_commit_renames_partial),
      cmocka_unit_test(test_info_summarises),
      cmocka_unit_test(test_discard_removes_partial),
      cmocka_unit_test(test_failures),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
