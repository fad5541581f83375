/*
 * test_result.c — unit tests of result.h: datasets and attributes, the
 * .partial file renamed only on commit and removed on discard, an existing
 * one refused (or replaced by a continuing run), provenance,
 * the info summary, the content checksum, and the failures (bad folder,
 * bad rank, not a result, a damaged file).
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

/* Writes text to the file p. */
static void write_file(const char *p, const char *text) {
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* A partial file that exists may be another run's: it is refused and left
 * as it is; a run that continues an interrupted one replaces it. */
static void test_existing_partial(void **state) {
  (void)state;
  char p[600], part[700], expected[1600], text[64] = {0};
  snprintf(p, sizeof p, "%s/taken.h5", cet_test_tmpdir());
  snprintf(part, sizeof part, "%s.partial", p);
  write_file(part, "another run's bytes");
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(p, MPI_COMM_SELF, 0, &r), CET_ERR_INPUT);
  snprintf(expected, sizeof expected,
           "'%s' exists: another run may be writing '%s' (jobs given the same output), or a run "
           "that was killed left it; if no run is writing it, remove it and run again, or choose "
           "another output",
           part, p);
  cet_test_expect_message(expected, NULL);
  assert_null(r);
  FILE *f = fopen(part, "r");
  assert_non_null(f);
  assert_non_null(fgets(text, sizeof text, f));
  fclose(f);
  assert_string_equal(text, "another run's bytes");
  assert_int_equal(cet_result_save_text(p, "x", 1), CET_ERR_INPUT);
  cet_test_expect_message(expected, NULL);
  assert_false(exists(p));
  int replaced = 0;
  assert_int_equal(cet_result_create_replacing(p, &replaced, &r), CET_OK);
  assert_int_equal(replaced, 1);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  assert_true(exists(p));
  assert_false(exists(part));
  assert_int_equal(cet_result_create_replacing(p, &replaced, &r), CET_OK);
  assert_int_equal(replaced, 0);
  cet_result_discard(&r);
  assert_false(exists(part));
  remove(p);
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

/* Row datasets written serially and through a shared MPI-IO handle (one
 * hyperslab selection: blocks with a stride and a tail), described after
 * the handle is given back; the reader gets every value, attribute and
 * string back; copies of groups and attributes; reader failures. */
static void test_rows_reader_and_copy(void **state) {
  (void)state;
  char rows_path[600], copy_path[600];
  snprintf(rows_path, sizeof rows_path, "%s/rows.h5", cet_test_tmpdir());
  snprintf(copy_path, sizeof copy_path, "%s/copy.h5", cet_test_tmpdir());
  cet_result *r = NULL, *shared = NULL;
  assert_int_equal(cet_result_create(rows_path, MPI_COMM_SELF, 0, &r), CET_OK);
  fill(r);
  assert_false(cet_result_is_parallel(r));
  /* 10 rows of 2, as two blocks of 5 rows */
  double data[20];
  for (int i = 0; i < 20; i++) {
    data[i] = i;
  }
  size_t dims[2] = {10, 2};
  cet_result_rows all = {.first = 0, .stride = 5, .count = 2, .block = 5};
  cet_dataset_meta meta = {.units = "EUR", .description = "rows", .dims = "draw,metric"};
  assert_int_equal(
      cet_result_write_rows(r, "/rows/serial", CET_RESULT_DOUBLE, 2, dims, &all, data, &meta),
      CET_OK);
  /* reserved before sharing: written in place by the shared handle */
  assert_int_equal(cet_result_reserve_rows(r, "/rows/reserved", CET_RESULT_DOUBLE, 2, dims, 5),
                   CET_OK);
  assert_int_equal(cet_result_reserve_rows(r, "/rows/reserved", CET_RESULT_DOUBLE, 2, dims, 5),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("cannot create dataset '/rows/reserved' in", "rows.h5.partial", NULL);
  assert_int_equal(cet_result_share(r, MPI_COMM_SELF, &shared), CET_OK);
  assert_int_equal(
      cet_result_write_rows(shared, "/rows/reserved", CET_RESULT_DOUBLE, 2, dims, &all, data, NULL),
      CET_OK);
  assert_true(cet_result_is_parallel(shared));
  cet_result_rows parts = {
      .first = 0, .stride = 6, .count = 2, .block = 3, .tail_first = 3, .tail_rows = 0};
  /* rows 0-2 and 6-8 from the first 12 values: the others stay fill */
  assert_int_equal(
      cet_result_write_rows(shared, "/rows/shared", CET_RESULT_DOUBLE, 2, dims, &parts, data, NULL),
      CET_OK);
  long long idx[4] = {0, 1, 2, 9};
  size_t d1 = 4;
  cet_result_rows tail = {.tail_first = 0, .tail_rows = 4};
  assert_int_equal(
      cet_result_write_rows(shared, "/rows/index", CET_RESULT_INT64, 1, &d1, &tail, idx, NULL),
      CET_OK);
  assert_int_equal(cet_result_unshare(&shared, r), CET_OK);
  assert_null(shared);
  assert_int_equal(cet_result_describe(r, "/rows/shared", &meta), CET_OK);
  assert_int_equal(cet_result_describe(r, "/rows/missing", &meta), CET_ERR_RUNTIME);
  cet_error_clear();
  assert_int_equal(cet_result_commit(&r), CET_OK);

  cet_result_reader *in = NULL;
  assert_int_equal(cet_result_open(rows_path, &in), CET_OK);
  size_t rank = 0, d[3] = {0};
  double *back = NULL;
  assert_int_equal(cet_result_read_doubles(in, "/rows/serial", &rank, d, &back), CET_OK);
  assert_true(rank == 2 && d[0] == 10 && d[1] == 2);
  assert_memory_equal(back, data, sizeof data);
  free(back);
  assert_int_equal(cet_result_read_doubles(in, "/rows/reserved", &rank, d, &back), CET_OK);
  assert_memory_equal(back, data, sizeof data);
  free(back);
  assert_int_equal(cet_result_read_doubles(in, "/rows/shared", &rank, d, &back), CET_OK);
  assert_true(back[0] == 0.0 && back[5] == 5.0 && back[12] == 6.0 && back[17] == 11.0);
  free(back);
  long long *ib = NULL;
  assert_int_equal(cet_result_read_ints(in, "/rows/index", &rank, d, &ib), CET_OK);
  assert_true(rank == 1 && d[0] == 4 && ib[3] == 9);
  free(ib);
  char *text = NULL, **words = NULL;
  assert_int_equal(cet_result_read_attr_string(in, "/rows/shared", "units", &text), CET_OK);
  assert_string_equal(text, "EUR");
  free(text);
  long long found = 0;
  double purity = 0.0;
  assert_int_equal(cet_result_read_attr_int(in, "/g", "found", &found), CET_OK);
  assert_int_equal(cet_result_read_attr_double(in, "/g/sub", "purity", &purity), CET_OK);
  assert_true(found == 7 && purity == 0.999);
  size_t n = 0;
  assert_int_equal(cet_result_read_strings(in, "/g/chain", &n, &words), CET_OK);
  assert_int_equal(n, 2);
  assert_string_equal(words[1], "ELEC+PS+A");
  free(words[0]);
  free(words[1]);
  free(words);
  assert_true(cet_result_has(in, "/g/sub/matrix"));
  assert_false(cet_result_has(in, "/g/none/matrix"));
  assert_int_equal(cet_result_read_doubles(in, "/g/none", &rank, d, &back), CET_ERR_INPUT);
  cet_test_expect_message("/g/none: missing dataset", NULL);
  assert_int_equal(cet_result_read_attr_int(in, "/g", "nothing", &found), CET_ERR_INPUT);
  cet_test_expect_message("missing numeric attribute nothing", NULL);
  /* elements of another type than asked for: no silent conversion */
  assert_int_equal(cet_result_read_ints(in, "/rows/serial", &rank, d, &ib), CET_ERR_INPUT);
  cet_test_expect_message("/rows/serial: expected integers, found floating-point numbers", NULL);
  assert_null(ib);
  assert_int_equal(cet_result_read_doubles(in, "/rows/index", &rank, d, &back), CET_ERR_INPUT);
  cet_test_expect_message("/rows/index: expected floating-point numbers, found integers", NULL);
  assert_int_equal(cet_result_read_doubles(in, "/g/chain", &rank, d, &back), CET_ERR_INPUT);
  cet_test_expect_message("/g/chain: expected floating-point numbers, found strings", NULL);
  assert_int_equal(cet_result_read_strings(in, "/rows/serial", &n, &words), CET_ERR_INPUT);
  cet_test_expect_message("/rows/serial: expected strings, found floating-point numbers", NULL);
  assert_true(n == 0 && words == NULL);
  assert_int_equal(cet_result_read_attr_int(in, "/g/sub", "purity", &found), CET_ERR_INPUT);
  cet_test_expect_message("/g/sub: attribute purity: expected integers, found floating-point",
                          NULL);
  assert_int_equal(cet_result_read_attr_double(in, "/g", "found", &purity), CET_ERR_INPUT);
  cet_test_expect_message("attribute found: expected floating-point numbers, found integers", NULL);
  assert_int_equal(cet_result_read_attr_string(in, "/g", "found", &text), CET_ERR_INPUT);
  cet_test_expect_message("attribute found: expected strings, found integers", NULL);
  /* read as what they are not: a list as one text or number */
  assert_int_equal(cet_result_read_attr_string(in, "/g", "names", &text), CET_ERR_INPUT);
  cet_test_expect_message("attribute 'names' of '/g' is not a single text", NULL);
  assert_int_equal(cet_result_read_attr_int(in, "/g", "names", &found), CET_ERR_INPUT);
  cet_test_expect_message("attribute 'names' of '/g' is not a single number", NULL);
  /* copies: a group with its contents, and attributes only */
  cet_result *c = NULL;
  assert_int_equal(cet_result_create(copy_path, MPI_COMM_SELF, 0, &c), CET_OK);
  assert_int_equal(cet_result_copy(c, in, "/", 1), CET_OK);
  assert_int_equal(cet_result_copy(c, in, "/g", 0), CET_OK);
  assert_int_equal(cet_result_copy(c, in, "/g/sub", 1), CET_OK);      /* onto the existing group */
  assert_int_equal(cet_result_copy(c, in, "/g", 0), CET_ERR_RUNTIME); /* already there */
  cet_error_clear();
  assert_int_equal(cet_result_copy(c, in, "/nowhere", 0), CET_ERR_INPUT);
  cet_test_expect_message("/nowhere: cannot open", NULL);
  assert_int_equal(cet_result_commit(&c), CET_OK);
  cet_result_close(&in);
  assert_null(in);
  assert_int_equal(cet_result_open(copy_path, &in), CET_OK);
  assert_int_equal(cet_result_read_attr_int(in, "/g", "found", &found), CET_OK);
  assert_true(found == 7);
  assert_int_equal(cet_result_read_doubles(in, "/g/sub/matrix", &rank, d, &back), CET_OK);
  free(back);
  cet_result_close(&in);
  /* not a result file, not a file */
  const char *plain = cet_test_write("plain.txt", "not hdf5");
  assert_int_equal(cet_result_open(plain, &in), CET_ERR_INPUT);
  cet_test_expect_message("cannot open", "as an HDF5 file", NULL);
  char stamp[64];
  cet_result_utc_now(stamp, sizeof stamp);
  assert_int_equal(strlen(stamp), 20);
}

/* Replaces the bytes of file at offset (negative: appends them). */
static void patch(const char *file, long offset, const char *bytes, size_t n) {
  FILE *f = fopen(file, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, offset < 0 ? 0 : offset, offset < 0 ? SEEK_END : SEEK_SET), 0);
  assert_int_equal(fwrite(bytes, 1, n, f), n);
  fclose(f);
}

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  assert_true(in && out);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    assert_int_equal(fwrite(buf, 1, n, out), n);
  }
  fclose(in);
  fclose(out);
}

static void expect_corrupt(const char *file, const char *fragment) {
  cet_result_reader *in = NULL;
  cet_error_clear();
  assert_int_equal(cet_result_open(file, &in), CET_ERR_INPUT);
  cet_test_expect_message("checksum mismatch: the file is corrupt", fragment, NULL);
  FILE *devnull = fopen("/dev/null", "w");
  assert_int_equal(cet_result_print_info(file, devnull), CET_ERR_INPUT);
  cet_test_expect_message("checksum mismatch", NULL);
  fclose(devnull);
}

/* The content checksum in the userblock: a changed byte, a changed size or
 * a damaged record make the file an input error; a file without the record
 * is read; a partial file that vanished before the commit cannot be sealed. */
static void test_content_checksum(void **state) {
  (void)state;
  char good[600], bad[600];
  snprintf(good, sizeof good, "%s/sealed.h5", cet_test_tmpdir());
  snprintf(bad, sizeof bad, "%s/damaged.h5", cet_test_tmpdir());
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(good, MPI_COMM_SELF, 0, &r), CET_OK);
  fill(r);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  copy_file(good, bad);
  patch(bad, 2000, "\x5a", 1);
  expect_corrupt(bad, "its content changed");
  copy_file(good, bad);
  patch(bad, -1, "x", 1);
  expect_corrupt(bad, "its size changed");
  copy_file(good, bad);
  patch(bad, 18, "bytez", 5);
  expect_corrupt(bad, "its checksum record is damaged");
  copy_file(good, bad);
  char zeros[512] = {0};
  patch(bad, 0, zeros, sizeof zeros);
  cet_result_reader *in = NULL;
  assert_int_equal(cet_result_open(bad, &in), CET_OK);
  cet_result_close(&in);
  char gone[600];
  snprintf(gone, sizeof gone, "%s/gone.h5", cet_test_tmpdir());
  assert_int_equal(cet_result_create(gone, MPI_COMM_SELF, 0, &r), CET_OK);
  snprintf(gone, sizeof gone, "%s/gone.h5.partial", cet_test_tmpdir());
  assert_int_equal(unlink(gone), 0);
  assert_int_equal(cet_result_commit(&r), CET_ERR_RUNTIME);
  cet_test_expect_message("cannot seal", "gone.h5.partial", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_commit_renames_partial),
      cmocka_unit_test(test_info_summarises),
      cmocka_unit_test(test_discard_removes_partial),
      cmocka_unit_test(test_existing_partial),
      cmocka_unit_test(test_failures),
      cmocka_unit_test(test_rows_reader_and_copy),
      cmocka_unit_test(test_content_checksum),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
