/*
 * test_config.c — unit tests of config.h: loading a case with its
 * !include files on MPI rank 0, overrides, and the errors for unreadable
 * files, syntax errors, bad includes and includes beyond the limits
 * (single rank; the multi-rank behaviour is exercised by tests/cli and
 * tests/mpi).
 */
#include "cetwin/config_load.h"
#include "cetwin/str.h"

#include "config/yaml_parse.h"

#include "test_support.h"

#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char case_path[512];

static int setup(void **state) {
  (void)state;
  cet_test_write("lib.yaml", "A: {x: 1}\nB: {x: 2}\n");
  cet_test_write("more.yaml", "C: {x: 3}\n");
  cet_test_write("loop.yaml", "a: !include loop.yaml\n");
  snprintf(case_path, sizeof case_path, "%s",
           cet_test_write("case.yaml", "name: t\nprocesses: !include lib.yaml\n"
                                       "merged: !include [lib.yaml, more.yaml]\n"));
  return 0;
}

static void test_load_with_includes(void **state) {
  (void)state;
  cet_config *c = NULL;
  assert_int_equal(cet_config_load(case_path, NULL, 0, MPI_COMM_WORLD, &c), CET_OK);
  const cet_node *root = cet_config_root(c);
  const cet_node *a = cet_node_get(cet_node_get(root, "processes"), "A");
  assert_non_null(a);
  char where[512];
  cet_node_where(cet_node_get(a, "x"), where, sizeof where);
  assert_non_null(strstr(where, "lib.yaml:1:8"));
  assert_int_equal(cet_node_size(cet_node_get(root, "merged")), 3);
  assert_int_equal(cet_config_file_count(c), 4); /* case, lib, lib, more */
  assert_string_equal(cet_config_file_name(c, 0), case_path);
  assert_non_null(strstr(cet_config_file_text(c, 1), "B: {x: 2}"));
  /* lib.yaml was read once: both readings share its text */
  assert_ptr_equal(cet_config_file_text(c, 1), cet_config_file_text(c, 2));
  cet_config_destroy(&c);
  assert_null(c);
  cet_config_destroy(&c); /* accepts NULL */
}

/* The keys merged from several files by `!include [A, B]` keep their own
 * file in messages. */
static void test_merged_keys_are_located_in_their_file(void **state) {
  (void)state;
  cet_config *c = NULL;
  assert_int_equal(cet_config_load(case_path, NULL, 0, MPI_COMM_WORLD, &c), CET_OK);
  static const char *const keys[] = {"A", "B", NULL};
  assert_int_equal(cet_node_check_keys(cet_node_get(cet_config_root(c), "merged"), keys),
                   CET_ERR_INPUT);
  cet_test_expect_message("more.yaml:1:1: merged.C: unknown key", NULL);
  cet_config_destroy(&c);
  cet_test_write("again.yaml", "# B again\nB: {x: 5}\n");
  const char *twice = cet_test_write("twice.yaml", "m: !include [lib.yaml, again.yaml]\n");
  assert_int_equal(cet_config_load(twice, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("again.yaml:2:1: ", "duplicate key 'B' (first defined at ", "lib.yaml:2)",
                          NULL);
  assert_null(c);
}

/* Appends n times s to b. */
static void append_times(cet_strbuf *b, const char *s, int n) {
  for (int i = 0; i < n; i++) {
    assert_int_equal(cet_strbuf_append(b, s), CET_OK);
  }
}

/* An included file's lists and mappings count from the case's top level:
 * 200 levels in the case (its top-level mapping and 199 lists) leave 56
 * for the included file. */
static void test_nesting_counts_through_includes(void **state) {
  (void)state;
  enum { OUTER = 199, INNER = CET_YAML_MAX_DEPTH - OUTER - 1 };
  cet_strbuf text = {0};
  append_times(&text, "a: ", 1);
  append_times(&text, "[", OUTER);
  append_times(&text, "!include inner.yaml", 1);
  append_times(&text, "]", OUTER);
  char path[512];
  snprintf(path, sizeof path, "%s", cet_test_write("outer.yaml", text.text));
  cet_strbuf_free(&text);
  for (int levels = INNER; levels <= INNER + 1; levels++) {
    append_times(&text, "[", levels);
    append_times(&text, "]", levels);
    cet_test_write("inner.yaml", text.text);
    cet_strbuf_free(&text);
    cet_config *c = NULL;
    int status = cet_config_load(path, NULL, 0, MPI_COMM_WORLD, &c);
    cet_config_destroy(&c);
    assert_int_equal(status, levels == INNER ? CET_OK : CET_ERR_INPUT);
  }
  char where[96];
  snprintf(where, sizeof where, "inner.yaml:1:%d: nesting deeper than %d levels", INNER + 1,
           CET_YAML_MAX_DEPTH);
  cet_test_expect_message(where, NULL);
}

/* A list of n items "!include more.yaml" (file name flat.yaml). */
static const char *write_flat(size_t n) {
  cet_strbuf b = {0};
  append_times(&b, "items:\n", 1);
  append_times(&b, "  - !include more.yaml\n", (int)n);
  const char *path = cet_test_write("flat.yaml", b.text);
  cet_strbuf_free(&b);
  return path;
}

/* A case includes at most CET_YAML_MAX_INCLUDES files and
 * CET_YAML_MAX_INCLUDED_MIB of text, a file included twice counting twice;
 * the !include beyond is the error. */
static void test_include_limits(void **state) {
  (void)state;
  cet_config *c = NULL;
  assert_int_equal(cet_config_load(write_flat(CET_YAML_MAX_INCLUDES), NULL, 0, MPI_COMM_WORLD, &c),
                   CET_OK);
  assert_int_equal(cet_config_file_count(c), 1 + CET_YAML_MAX_INCLUDES);
  cet_config_destroy(&c);
  assert_int_equal(
      cet_config_load(write_flat(CET_YAML_MAX_INCLUDES + 1), NULL, 0, MPI_COMM_WORLD, &c),
      CET_ERR_INPUT);
  char where[128];
  snprintf(where, sizeof where,
           "flat.yaml:%d:5: cannot include 'more.yaml': a case includes at most %d files",
           CET_YAML_MAX_INCLUDES + 2, CET_YAML_MAX_INCLUDES);
  cet_test_expect_message(where, NULL);
  assert_null(c);
  /* a comment of just over half the limit, then a key */
  size_t half = ((size_t)CET_YAML_MAX_INCLUDED_MIB << 20) / 2;
  char *big = malloc(half + 16);
  assert_non_null(big);
  big[0] = '#';
  memset(big + 1, 'x', half);
  strcpy(big + 1 + half, "\nx: 1\n");
  char big_path[512];
  snprintf(big_path, sizeof big_path, "%s", cet_test_write("big.yaml", big));
  free(big);
  const char *twice = cet_test_write("twice.yaml", "a: !include big.yaml\nb: !include big.yaml\n");
  assert_int_equal(cet_config_load(twice, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  snprintf(where, sizeof where,
           "twice.yaml:2:4: cannot include 'big.yaml': a case includes at most %d MiB of text",
           CET_YAML_MAX_INCLUDED_MIB);
  cet_test_expect_message(where, NULL);
  assert_null(c);
  remove(big_path); /* not left in the temporary folder */
}

static void test_overrides_are_applied_and_kept(void **state) {
  (void)state;
  const char *sets[] = {"processes.A.x=5", "name=u"};
  cet_config *c = NULL;
  assert_int_equal(cet_config_load(case_path, sets, 2, MPI_COMM_WORLD, &c), CET_OK);
  double v = 0;
  const cet_node *x =
      cet_node_get(cet_node_get(cet_node_get(cet_config_root(c), "processes"), "A"), "x");
  assert_int_equal(cet_node_number(x, &v), CET_OK);
  assert_true(v == 5.0);
  assert_int_equal(cet_config_override_count(c), 2);
  assert_string_equal(cet_config_override(c, 1), "--set name=u");
  cet_config_destroy(&c);
}

static void test_errors(void **state) {
  (void)state;
  cet_config *c = NULL;
  assert_int_equal(cet_config_load("/nonexistent/case.yaml", NULL, 0, MPI_COMM_WORLD, &c),
                   CET_ERR_INPUT);
  cet_test_expect_message("cannot read '/nonexistent/case.yaml': No such file or directory", NULL);
  assert_null(c);
  assert_int_equal(cet_config_load(cet_test_tmpdir(), NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("not a regular file", NULL);
  const char *bad = cet_test_write("bad.yaml", "a: 1\n  b: 2\n");
  assert_int_equal(cet_config_load(bad, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("bad.yaml:2:4: YAML syntax error", NULL);
  const char *missing = cet_test_write("missing.yaml", "a: !include nothere.yaml\n");
  assert_int_equal(cet_config_load(missing, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("no file 'nothere.yaml'", "missing.yaml:1:4: cannot include", NULL);
  /* an absolute path that names no file says so too */
  const char *absent = cet_test_write("absent.yaml", "a: !include /nonexistent/lib.yaml\n");
  assert_int_equal(cet_config_load(absent, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("no file '/nonexistent/lib.yaml'", "absent.yaml:1:4: cannot include",
                          NULL);
  const char *loop = cet_test_write("loops.yaml", "a: !include loop.yaml\n");
  assert_int_equal(cet_config_load(loop, NULL, 0, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("nested deeper than", NULL);
  const char *set[] = {"name"};
  assert_int_equal(cet_config_load(case_path, set, 1, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("expected PATH=VALUE", NULL);
  assert_null(c);
}

/* Data files: the values of csv: keys are read with the case (relative to
 * the file naming them, an override's relative to the case), kept among the
 * files read, and found again from their node (also from a copy of the
 * tree); an unreadable one is an error at its key; a scalar that names no
 * data file is an error too. */
static void test_data_files(void **state) {
  (void)state;
  cet_test_write("h1.csv", "2001,1\n2002,2\n");
  cet_test_write("h2.csv", "2001,5\n");
  const char *path = cet_test_write("data.yaml", "prices:\n  Cu: {csv: h1.csv}\n  list: [{csv: "
                                                 "h1.csv}]\nother: h1.csv\n");
  char file[512];
  snprintf(file, sizeof file, "%s", path);
  const char *sets[] = {"prices.Zn={csv: h2.csv}"};
  cet_config *c = NULL;
  assert_int_equal(cet_config_load(file, sets, 1, MPI_COMM_WORLD, &c), CET_OK);
  const cet_node *prices = cet_node_get(cet_config_root(c), "prices");
  const char *name = NULL, *text = NULL;
  size_t len = 0;
  const cet_node *cu = cet_node_get(cet_node_get(prices, "Cu"), "csv");
  assert_int_equal(cet_config_data_file(c, cu, &name, &text, &len), CET_OK);
  assert_true(strstr(name, "h1.csv") != NULL && len == 14 && strncmp(text, "2001,1", 6) == 0);
  const cet_node *zn = cet_node_get(cet_node_get(prices, "Zn"), "csv");
  assert_int_equal(cet_config_data_file(c, zn, &name, &text, &len), CET_OK);
  assert_true(strncmp(text, "2001,5", 6) == 0);
  /* yaml files first, then the data files: h1 (once per naming scalar), h2 */
  assert_int_equal(cet_config_file_count(c), 1 + 3);
  assert_true(strstr(cet_config_file_name(c, 3), "h2.csv") != NULL);
  const cet_node *other = cet_node_get(cet_config_root(c), "other");
  assert_int_equal(cet_config_data_file(c, other, &name, &text, &len), CET_ERR_INPUT);
  cet_test_expect_message("data.yaml:4:8: other: data file 'h1.csv' was not read with the case",
                          NULL);
  cet_config_destroy(&c);
  const char *bad[] = {"prices.Cu.csv=nothere.csv"};
  assert_int_equal(cet_config_load(file, bad, 1, MPI_COMM_WORLD, &c), CET_ERR_INPUT);
  cet_test_expect_message("--set prices.Cu.csv=nothere.csv", "prices.Cu.csv",
                          "cannot read the data file", "nothere.csv", NULL);
  assert_null(c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load_with_includes),
      cmocka_unit_test(test_merged_keys_are_located_in_their_file),
      cmocka_unit_test(test_include_limits),
      cmocka_unit_test(test_nesting_counts_through_includes),
      cmocka_unit_test(test_overrides_are_applied_and_kept),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_data_files),
  };
  int failed = cmocka_run_group_tests(tests, setup, NULL);
  MPI_Finalize();
  return failed;
}
