/*
 * test_enumerate.c — unit tests of enumerate.h on a small library whose
 * flowsheets are worked out by hand:
 *
 *   feed M 0.5, X 0.5 (size 0); target purity 0.99; max length 3
 *   A: M in [0.45, 0.6]; product M 1, X 0.25     (0.5 -> 0.8)
 *   B: M in [0.7, 1];    product M 1, X 0        (-> 1.0, final)
 *   C: M in [0.45, 0.6]; product M 1, X 1        (no change: loops)
 *   D: M in [0.75, 0.85], size window [1, 1]; product M 1, X 0
 *   F: M in [0.4, 0.6];  product M 0.5, X 1      (0.5 -> 0.333: dead end)
 *
 * strict: final A+B, C+A+B; unprocessable F, C+F;
 *         truncated C+C+A, C+C+C, C+C+F
 * preprocess: also A+[size]D and C+A+[size]D.
 */
#include "cetwin/enumerate.h"

#include "cetwin/error.h"

#include "model_support.h"
#include "test_support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { NC = 2, NO = 2, NP = 1, NK = 1, NPROC = 5 };

typedef struct {
  cet_library *lib;
  cet_enumerate_parameters par;
  double feed[NC], feed_props[NP], prep[NP * NK];
} fixture;

static void add_process(cet_library *lib, const char *id, double lo, double hi, double xm,
                        double xx, double size_lo, double size_hi, double energy) {
  double amin[NC] = {lo, 0.0}, amax[NC] = {hi, 1.0};
  /* outlet-major: product M, X; waste M, X */
  double split[NO * NC] = {xm, xx, 1.0 - xm, 1.0 - xx};
  double pmin[NP] = {size_lo}, pmax[NP] = {size_hi}, pout[NP] = {NAN}, cons[NK] = {energy};
  cet_process_spec s = cet_test_process_spec(id, amin, amax, split, pmin, pmax, pout, cons);
  cet_test_library_add(lib, &s);
}

static int setup(void **state) {
  static const char *const c[] = {"M", "X", NULL}, *const o[] = {"product", "waste", NULL};
  static const char *const p[] = {"size", NULL}, *const k[] = {"electricity", NULL};
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->lib = cet_test_library_create(c, o, p, k);
  add_process(f->lib, "A", 0.45, 0.6, 1.0, 0.25, 0, 10, 100.0);
  add_process(f->lib, "B", 0.7, 1.0, 1.0, 0.0, 0, 10, 20.0);
  add_process(f->lib, "C", 0.45, 0.6, 1.0, 1.0, 0, 10, 0.0);
  add_process(f->lib, "D", 0.75, 0.85, 1.0, 0.0, 1, 1, 0.0);
  add_process(f->lib, "F", 0.4, 0.6, 0.5, 1.0, 0, 10, 0.0);
  f->par = cet_enumerate_default_parameters();
  f->par.target_purity = 0.99;
  f->par.max_length = 3;
  f->prep[0] = 10.0;
  f->par.preprocess_consumption = f->prep;
  f->feed[0] = f->feed[1] = 0.5;
  f->feed_props[0] = 0.0;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  cet_library_destroy(&f->lib);
  free(f);
  return 0;
}

static cet_flowsheets *run(fixture *f, size_t n_parts) {
  cet_flowsheets *all = NULL;
  assert_int_equal(cet_flowsheets_create(f->lib, &f->par, &all), CET_OK);
  for (size_t part = 0; part < n_parts; part++) {
    cet_flowsheets *one = NULL;
    assert_int_equal(cet_flowsheets_create(f->lib, &f->par, &one), CET_OK);
    assert_int_equal(cet_enumerate(f->lib, f->feed, f->feed_props, &f->par, part, n_parts, one),
                     CET_OK);
    double *buf = NULL;
    size_t len = 0;
    assert_int_equal(cet_flowsheets_pack(one, &buf, &len), CET_OK);
    assert_int_equal(cet_flowsheets_merge_packed(all, buf, len), CET_OK);
    free(buf);
    cet_flowsheets_destroy(&one);
  }
  assert_int_equal(cet_flowsheets_sort(all), CET_OK);
  return all;
}

/* Chain of the i-th flowsheet of a kind as "A+B", preprocessing as "[0]". */
static void chain(const fixture *f, const cet_flowsheets *fs, cet_flowsheet_kind kind, size_t i,
                  char *buf) {
  cet_flowsheet v;
  assert_int_equal(cet_flowsheets_get(fs, kind, i, &v), CET_OK);
  buf[0] = '\0';
  for (size_t s = 0; s < v.length; s++) {
    strcat(buf, s ? "+" : "");
    strcat(buf, v.prep[s] ? "[size]" : "");
    strcat(buf, cet_library_process(f->lib, (size_t)v.step[s])->id);
  }
}

static void expect_chains(const fixture *f, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                          const char *const *expected, size_t n) {
  assert_int_equal(cet_flowsheets_stored(fs, kind), n);
  assert_int_equal(cet_flowsheets_found(fs, kind), n);
  for (size_t i = 0; i < n; i++) {
    char buf[64];
    chain(f, fs, kind, i, buf);
    assert_string_equal(buf, expected[i]);
  }
}

static void test_strict_enumeration_by_hand(void **state) {
  fixture *f = *state;
  cet_flowsheets *fs = run(f, 1);
  const char *finals[] = {"A+B", "C+A+B"}, *dead[] = {"F", "C+F"},
             *truncated[] = {"C+C+A", "C+C+C", "C+C+F"};
  expect_chains(f, fs, CET_FLOWSHEET_FINAL, finals, 2);
  expect_chains(f, fs, CET_FLOWSHEET_UNPROCESSABLE, dead, 2);
  expect_chains(f, fs, CET_FLOWSHEET_TRUNCATED, truncated, 3);
  cet_flowsheet v;
  assert_int_equal(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, 0, &v), CET_OK);
  /* A+B: product M 0.5, X 0; waste X 0.375 + 0.125; energy 100*0.5 + 20*0.5 */
  assert_true(fabs(v.stream[0] - 0.5) < 1e-15 && v.stream[1] == 0.0);
  assert_true(fabs(v.outlets[1] - 0.5) < 1e-15 && v.outlets[0] == 0.0);
  assert_true(fabs(v.consumption[0] - 60.0) < 1e-12);
  assert_int_equal(v.alloy, -1);
  assert_int_equal(cet_flowsheets_node_limit_hit(fs), 0);
  cet_flowsheets_destroy(&fs);
}

static void test_chain_mass_balance(void **state) {
  fixture *f = *state;
  cet_flowsheets *fs = run(f, 1);
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    for (size_t i = 0; i < cet_flowsheets_stored(fs, (cet_flowsheet_kind)k); i++) {
      cet_flowsheet v;
      cet_flowsheets_get(fs, (cet_flowsheet_kind)k, i, &v);
      for (int c = 0; c < NC; c++) {
        assert_true(fabs(v.stream[c] + v.outlets[c] - f->feed[c]) <= 1e-12);
      }
    }
  }
  cet_flowsheets_destroy(&fs);
}

static int same_records(const cet_flowsheets *a, const cet_flowsheets *b) {
  double *x = NULL, *y = NULL;
  size_t nx = 0, ny = 0;
  cet_flowsheets_pack(a, &x, &nx);
  cet_flowsheets_pack(b, &y, &ny);
  int same = nx == ny && memcmp(x, y, nx * sizeof *x) == 0;
  free(x);
  free(y);
  return same;
}

static void test_partition_does_not_change_results(void **state) {
  fixture *f = *state;
  cet_flowsheets *one = run(f, 1);
  for (size_t parts = 2; parts <= 7; parts++) {
    cet_flowsheets *many = run(f, parts);
    assert_true(same_records(one, many));
    cet_flowsheets_destroy(&many);
  }
  cet_flowsheets_destroy(&one);
}

static void test_preprocess_mode(void **state) {
  fixture *f = *state;
  f->par.mode = CET_ENUMERATE_PREPROCESS;
  cet_flowsheets *fs = run(f, 1);
  const char *finals[] = {"A+B", "A+[size]D", "C+A+B", "C+A+[size]D"};
  expect_chains(f, fs, CET_FLOWSHEET_FINAL, finals, 4);
  cet_flowsheet v;
  cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, 1, &v);
  assert_true(v.properties[0] == 1.0);
  /* A: 100 * 0.5 t M; preprocessing: 10 per t of stream (0.625 t) */
  assert_true(fabs(v.consumption[0] - (50.0 + 6.25)) < 1e-12);
  f->par.mode = CET_ENUMERATE_STRICT;
  cet_flowsheets_destroy(&fs);
}

static void test_feed_already_final_alloy_or_unprocessable(void **state) {
  fixture *f = *state;
  double lo[NC] = {0.45, 0.0}, hi[NC] = {0.55, 1.0};
  const char *names[] = {"testalloy"};
  f->par.n_alloys = 1;
  f->par.alloy_names = names;
  f->par.alloy_min = lo;
  f->par.alloy_max = hi;
  cet_flowsheets *fs = run(f, 2);
  assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_FINAL), 1);
  cet_flowsheet v;
  cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, 0, &v);
  assert_int_equal(v.length, 0);
  assert_int_equal(v.alloy, 0);
  cet_flowsheets_destroy(&fs);
  f->par.n_alloys = 0;
  f->feed[0] = 1.0;
  f->feed[1] = 0.0;
  fs = run(f, 3);
  assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_FINAL), 1);
  assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_UNPROCESSABLE), 0);
  cet_flowsheets_destroy(&fs);
  f->feed[0] = 0.1;
  f->feed[1] = 0.9;
  fs = run(f, 3); /* recorded by part 0 only, once */
  assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_UNPROCESSABLE), 1);
  cet_flowsheets_get(fs, CET_FLOWSHEET_UNPROCESSABLE, 0, &v);
  assert_int_equal(v.length, 0);
  cet_flowsheets_destroy(&fs);
  f->feed[0] = f->feed[1] = 0.5;
}

static void test_limits(void **state) {
  fixture *f = *state;
  f->par.max_stored = 1;
  for (size_t parts = 1; parts <= 3; parts++) {
    cet_flowsheets *fs = run(f, parts);
    assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_TRUNCATED), 3);
    assert_int_equal(cet_flowsheets_stored(fs, CET_FLOWSHEET_TRUNCATED), 1);
    char buf[64];
    chain(f, fs, CET_FLOWSHEET_TRUNCATED, 0, buf);
    assert_string_equal(buf, "C+C+A"); /* the first in sorted order is kept */
    cet_flowsheets_destroy(&fs);
  }
  f->par.max_stored = 100;
  f->par.max_nodes = 2;
  cet_flowsheets *fs = run(f, 1);
  assert_int_equal(cet_flowsheets_node_limit_hit(fs), 1);
  assert_true(cet_flowsheets_nodes(fs) <= 2 * NPROC);
  cet_flowsheets_destroy(&fs);
  f->par.max_nodes = 0;
}

static void test_errors(void **state) {
  fixture *f = *state;
  cet_flowsheets *fs = NULL;
  cet_enumerate_parameters p = f->par;
  p.max_length = 0;
  assert_int_equal(cet_flowsheets_create(f->lib, &p, &fs), CET_ERR_INPUT);
  cet_test_expect_message("maximum chain length must be in [1, 64], found 0", NULL);
  p = f->par;
  p.target_purity = 1.5;
  assert_int_equal(cet_flowsheets_create(f->lib, &p, &fs), CET_ERR_INPUT);
  cet_test_expect_message("target purity", NULL);
  assert_null(fs);
  assert_int_equal(cet_flowsheets_create(f->lib, &f->par, &fs), CET_OK);
  assert_int_equal(cet_enumerate(f->lib, f->feed, f->feed_props, &f->par, 2, 2, fs),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("bad work partition", NULL);
  double negative[NC] = {-0.1, 1.1}, empty[NC] = {0, 0};
  assert_int_equal(cet_enumerate(f->lib, negative, f->feed_props, &f->par, 0, 1, fs),
                   CET_ERR_INPUT);
  cet_test_expect_message("feed mass of M is negative", NULL);
  assert_int_equal(cet_enumerate(f->lib, empty, f->feed_props, &f->par, 0, 1, fs), CET_ERR_INPUT);
  cet_test_expect_message("the feed has no mass", NULL);
  p = f->par;
  p.mode = CET_ENUMERATE_PREPROCESS;
  p.preprocess_consumption = NULL;
  assert_int_equal(cet_enumerate(f->lib, f->feed, f->feed_props, &p, 0, 1, fs), CET_ERR_INPUT);
  cet_test_expect_message("preprocess mode needs", NULL);
  cet_flowsheet v;
  assert_int_equal(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, 0, &v), CET_ERR_RUNTIME);
  cet_test_expect_message("out of range", NULL);
  double junk[3] = {999, 0, 0};
  assert_int_equal(cet_flowsheets_merge_packed(fs, junk, 3), CET_ERR_RUNTIME);
  cet_test_expect_message("do not match", NULL);
  cet_flowsheets_destroy(&fs);
  cet_flowsheets_destroy(&fs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strict_enumeration_by_hand),
      cmocka_unit_test(test_chain_mass_balance),
      cmocka_unit_test(test_partition_does_not_change_results),
      cmocka_unit_test(test_preprocess_mode),
      cmocka_unit_test(test_feed_already_final_alloy_or_unprocessable),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
