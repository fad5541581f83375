/*
 * test_select.c — unit tests of select.h: order statistics found in passes
 * with a small buffer give the summary, the quantiles and CVaR of a full
 * sort bit for bit (continuous values, ties, signed zeros, non-finite
 * values skipped, one value, all equal, values on bracket edges, buffers of
 * one value), however the values are split into parts; the number of passes
 * stays within its bound; and every error path, of select.h and of the
 * order statistics of stats.h.
 */
#include "cetwin/error.h"
#include "cetwin/select.h"
#include "cetwin/stats.h"

#include "test_support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The UNFC's pessimistic quantile and one more, read besides the summary's. */
static const double EXTRA_P[] = {0.025, 0.7};
enum { EXTRA_NP = 2 };

/* A value of a fixed pseudo-random sequence in [0, 1). */
static double uniform(uint64_t *state) {
  *state = *state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
  return (double)(*state >> 11) * 0x1p-53;
}

/* The order statistics of x[0 .. n - 1] found in passes over `parts`
 * parts, each packed and merged into the first, with the given buffer and
 * bits; *passes the passes taken. */
static void select_in_parts(const double *x, size_t n, size_t parts, size_t buffer, int first_bits,
                            int bits, cet_stats_order *o, int *passes) {
  cet_select_parameters par = {buffer, first_bits, bits};
  cet_select *s = NULL;
  assert_int_equal(cet_select_create(&par, EXTRA_P, EXTRA_NP, &s), CET_OK);
  uint64_t finite = 0;
  for (size_t i = 0; i < n; i++) {
    finite += isfinite(x[i]) != 0;
  }
  while (!cet_select_done(s)) {
    cet_select_acc *all = NULL;
    assert_int_equal(cet_select_acc_create(s, &all), CET_OK);
    for (size_t part = 0; part < parts; part++) {
      size_t lo = n * part / parts, hi = n * (part + 1) / parts;
      if (part == 0) {
        assert_int_equal(cet_select_acc_add(all, x + lo, hi - lo, 1), CET_OK);
        continue;
      }
      cet_select_acc *a = NULL;
      assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
      assert_int_equal(cet_select_acc_add(a, x + lo, hi - lo, 1), CET_OK);
      const void *bytes = NULL;
      size_t size = 0;
      assert_int_equal(cet_select_acc_pack(a, &bytes, &size), CET_OK);
      assert_int_equal(cet_select_acc_merge_bytes(all, bytes, size), CET_OK);
      cet_select_acc_destroy(&a);
    }
    int status = cet_select_advance(s, all, finite);
    if (status != CET_OK) {
      cet_error_print(stderr, 1);
    }
    assert_int_equal(status, CET_OK);
    cet_select_acc_destroy(&all);
    assert_true(cet_select_passes(s) < 10);
  }
  *passes = cet_select_passes(s);
  assert_int_equal(cet_select_order(s, o), CET_OK);
  cet_select_destroy(&s);
}

/* Asserts that the statistics from the order statistics selected equal
 * those of a full sort, bit for bit. */
static void expect_as_sorted(const double *x, size_t n, const cet_stats_order *o) {
  cet_stats *all = NULL, *few = NULL;
  assert_int_equal(cet_stats_create(&all, 1, 0), CET_OK);
  assert_int_equal(cet_stats_create(&few, 0, 0), CET_OK);
  for (size_t i = 0; i < n; i++) {
    if (isfinite(x[i])) {
      assert_int_equal(cet_stats_add(all, x[i]), CET_OK);
      assert_int_equal(cet_stats_add(few, x[i]), CET_OK);
    }
  }
  assert_int_equal(cet_stats_set_order(few, o), CET_OK);
  cet_stats_summary a, b;
  assert_int_equal(cet_stats_summarize(all, &a), CET_OK);
  assert_int_equal(cet_stats_summarize(few, &b), CET_OK);
  assert_memory_equal(&a, &b, sizeof a);
  for (size_t i = 0; i < EXTRA_NP && cet_stats_count(all) > 0; i++) {
    double qa = 0.0, qb = 1.0;
    assert_int_equal(cet_stats_quantile(all, EXTRA_P[i], &qa), CET_OK);
    assert_int_equal(cet_stats_quantile(few, EXTRA_P[i], &qb), CET_OK);
    assert_memory_equal(&qa, &qb, sizeof qa);
  }
  if (cet_stats_count(all) > 0) {
    double ca = 0.0, cb = 1.0;
    assert_int_equal(cet_stats_cvar(all, CET_STATS_CVAR_LEVEL, &ca), CET_OK);
    assert_int_equal(cet_stats_cvar(few, CET_STATS_CVAR_LEVEL, &cb), CET_OK);
    assert_memory_equal(&ca, &cb, sizeof ca);
  }
  cet_stats_destroy(&all);
  cet_stats_destroy(&few);
}

/* Selects in 1 and 3 parts with the buffer given and checks against the
 * sort; returns the passes taken. */
static int check_values(const double *x, size_t n, size_t buffer, int first_bits, int bits) {
  cet_stats_order o1, o3;
  int p1 = 0, p3 = 0;
  select_in_parts(x, n, 1, buffer, first_bits, bits, &o1, &p1);
  select_in_parts(x, n, 3, buffer, first_bits, bits, &o3, &p3);
  assert_int_equal(p1, p3);
  assert_memory_equal(&o1, &o3, sizeof o1);
  expect_as_sorted(x, n, &o1);
  return p1;
}

static void test_continuous_values_in_two_passes(void **state) {
  (void)state;
  enum { N = 20000 };
  double *x = malloc(N * sizeof *x);
  uint64_t seed = 1;
  for (size_t i = 0; i < N; i++) { /* an NPV-like spread around zero */
    x[i] = 1e7 * (uniform(&seed) + uniform(&seed) - 0.8);
  }
  /* everything kept: one pass */
  assert_int_equal(check_values(x, N, N, 20, 16), 1);
  /* 20 bits leave few values per bracket: two passes */
  assert_int_equal(check_values(x, N, 500, 20, 16), 2);
  /* coarse brackets: more passes, the same bits */
  assert_true(check_values(x, N, 50, 4, 4) > 2);
  free(x);
}

static void test_ties_and_signed_zeros(void **state) {
  (void)state;
  enum { N = 5001 };
  double *x = malloc(N * sizeof *x);
  static const double pool[] = {-2.5, -0.0, 0.0, 1.0, 1.0, 3.25};
  uint64_t seed = 7;
  for (size_t i = 0; i < N; i++) {
    x[i] = pool[(size_t)(uniform(&seed) * 6)];
  }
  assert_int_equal(check_values(x, N, N, 20, 16), 1);
  check_values(x, N, 10, 20, 16);
  check_values(x, N, 1, 3, 5);
  free(x);
}

static void test_non_finite_values_are_skipped(void **state) {
  (void)state;
  enum { N = 3000 };
  double *x = malloc(N * sizeof *x);
  uint64_t seed = 3;
  for (size_t i = 0; i < N; i++) {
    x[i] = i % 5 == 0 ? NAN : i % 11 == 0 ? -INFINITY : uniform(&seed) - 0.5;
  }
  check_values(x, N, 100, 20, 16);
  check_values(x, N, 1, 8, 8);
  free(x);
}

static void test_small_and_degenerate_samples(void **state) {
  (void)state;
  const double one[] = {-4.5};
  assert_int_equal(check_values(one, 1, 1, 20, 16), 1);
  const double two[] = {2.0, -1.0};
  check_values(two, 2, 1, 20, 16);
  /* no finite value: nothing to find, one pass */
  const double none[] = {NAN, NAN};
  cet_stats_order o;
  int passes = 0;
  select_in_parts(none, 2, 1, 1, 20, 16, &o, &passes);
  assert_int_equal(passes, 1);
  assert_int_equal(o.n, 0);
  assert_int_equal(o.count, 0);
  /* all equal and more than the buffer: one pile, settled without more
   * passes than the first */
  enum { N = 4000 };
  double *x = malloc(N * sizeof *x);
  for (size_t i = 0; i < N; i++) {
    x[i] = 123.456;
  }
  assert_int_equal(check_values(x, N, 10, 20, 16), 1);
  /* a pile and a few others: the pile settles in the second pass */
  x[0] = -1.0;
  x[N - 1] = 1e9;
  assert_int_equal(check_values(x, N, 10, 20, 16), 2);
  free(x);
}

static void test_values_on_bracket_edges(void **state) {
  (void)state;
  /* powers of two and their neighbours: keys differing in the low bits
   * only, on the edges of every bracket */
  enum { N = 4096 };
  double *x = malloc(N * sizeof *x);
  for (size_t i = 0; i < N; i++) {
    double p = ldexp(1.0, (int)(i % 64) - 32);
    x[i] = i % 3 == 0 ? p : i % 3 == 1 ? nextafter(p, 0.0) : -nextafter(p, INFINITY);
  }
  check_values(x, N, 7, 20, 16);
  /* buffers of one value: every bracket refined down to its single key */
  int passes = check_values(x, N, 1, 20, 16);
  assert_true(passes <= 2 + (64 - 20 + 15) / 16);
  check_values(x, N, 1, 24, 20);
  free(x);
}

static void test_bound_on_passes(void **state) {
  (void)state;
  /* distinct values sharing their high 40 bits: the worst case */
  enum { N = 3000 };
  double *x = malloc(N * sizeof *x);
  for (size_t i = 0; i < N; i++) {
    x[i] = 1.0 + (double)(i * 7919 % N) * 0x1p-52;
  }
  int passes = check_values(x, N, 1, 20, 16);
  assert_true(passes >= 3 && passes <= 2 + (64 - 20 + 15) / 16);
  free(x);
}

/* ---- errors ---- */

static cet_select *make(size_t buffer) {
  cet_select_parameters par = {buffer, 20, 16};
  cet_select *s = NULL;
  assert_int_equal(cet_select_create(&par, EXTRA_P, EXTRA_NP, &s), CET_OK);
  return s;
}

static void test_bad_parameters(void **state) {
  (void)state;
  cet_select *s = NULL;
  cet_select_parameters par = cet_select_default_parameters();
  par.buffer = 0;
  assert_int_equal(cet_select_create(&par, NULL, 0, &s), CET_ERR_INPUT);
  cet_test_expect_message("buffer of at least 1 value", NULL);
  par = cet_select_default_parameters();
  par.first_bits = 25;
  assert_int_equal(cet_select_create(&par, NULL, 0, &s), CET_ERR_INPUT);
  cet_test_expect_message("1..24 first bits", "found", NULL);
  par = cet_select_default_parameters();
  par.bits = 0;
  assert_int_equal(cet_select_create(&par, NULL, 0, &s), CET_ERR_INPUT);
  cet_test_expect_message("1..20 bits per pass", NULL);
  par = cet_select_default_parameters();
  double many[11] = {0};
  assert_int_equal(cet_select_create(&par, many, 11, &s), CET_ERR_INPUT);
  cet_test_expect_message("at most 10 quantiles", "found 11", NULL);
  const double bad = 1.5;
  assert_int_equal(cet_select_create(&par, &bad, 1, &s), CET_ERR_INPUT);
  cet_test_expect_message("must lie in [0, 1], found 1.5", NULL);
  assert_null(s);
  cet_select_destroy(NULL);
  cet_select_acc_destroy(NULL);
}

/* Packs an accumulator of s holding x[0 .. n - 1] into words (allocated). */
static uint64_t *packed(cet_select *s, const double *x, size_t n, size_t *words) {
  cet_select_acc *a = NULL;
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_add(a, x, n, 1), CET_OK);
  const void *bytes = NULL;
  size_t size = 0;
  assert_int_equal(cet_select_acc_pack(a, &bytes, &size), CET_OK);
  uint64_t *w = malloc(size);
  memcpy(w, bytes, size);
  *words = size / 8;
  cet_select_acc_destroy(&a);
  return w;
}

static void expect_merge_error(cet_select *s, const uint64_t *w, size_t words,
                               const char *fragment) {
  cet_select_acc *a = NULL;
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_merge_bytes(a, w, words * 8), CET_ERR_INPUT);
  cet_test_expect_message(fragment, NULL);
  cet_select_acc_destroy(&a);
}

static void test_corrupt_packed_accumulators(void **state) {
  (void)state;
  cet_select *s = make(4);
  const double x[] = {1.0, 2.0, 3.0};
  size_t words = 0;
  uint64_t *w = packed(s, x, 3, &words);
  /* layout: magic, brackets, then in, min, max, overflow, kept, nonzero,
   * (bin, count) pairs, values, exact sum */
  cet_select_acc *a = NULL;
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_merge_bytes(a, w, words * 8 - 3), CET_ERR_INPUT);
  cet_test_expect_message("packed accumulator of", NULL);
  cet_select_acc_destroy(&a);
  expect_merge_error(s, w, words - 1, "ends early");
  uint64_t *bad = malloc((words + 1) * 8);
  memcpy(bad, w, words * 8);
  bad[words] = 0;
  expect_merge_error(s, bad, words + 1, "left over");
  memcpy(bad, w, words * 8);
  bad[0] = 1;
  expect_merge_error(s, bad, words, "not one of this pass");
  memcpy(bad, w, words * 8);
  bad[5] = 2; /* overflow flag */
  expect_merge_error(s, bad, words, "does not fit the pass");
  memcpy(bad, w, words * 8);
  bad[8] = (uint64_t)1 << 20; /* the first bin beyond the histogram */
  expect_merge_error(s, bad, words, "histogram bin");
  memcpy(bad, w, words * 8);
  bad[8 + 2 * 3] = 0x7ff8000000000000ULL; /* the first kept value made NaN */
  expect_merge_error(s, bad, words, "not finite");
  memcpy(bad, w, words * 8);
  bad[words - 1] = 1; /* pending additions */
  expect_merge_error(s, bad, words, "pending additions");
  memcpy(bad, w, words * 8);
  bad[words - 2] = (uint64_t)1 << 40; /* the top digit beyond its range */
  expect_merge_error(s, bad, words, "not normalised");
  free(bad);
  free(w);
  cet_select_destroy(&s);
}

static void test_values_that_change_between_passes(void **state) {
  (void)state;
  cet_select *s = make(2);
  double x[] = {1.0, 2.0, 3.0, 4.0, 5.0};
  cet_select_acc *a = NULL;
  /* a count that does not match the values added */
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_add(a, x, 5, 1), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 6), CET_ERR_INPUT);
  cet_test_expect_message("5 values were added in the first pass", "count 6", NULL);
  assert_int_equal(cet_select_advance(s, a, 5), CET_OK);
  cet_select_acc_destroy(&a);
  assert_false(cet_select_done(s));
  cet_stats_order o;
  assert_int_equal(cet_select_order(s, &o), CET_ERR_INPUT);
  cet_test_expect_message("not found yet", NULL);
  /* the second pass sees other values */
  x[2] = 3.5;
  x[3] = -7.0;
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_add(a, x, 5, 1), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 5), CET_ERR_INPUT);
  cet_test_expect_message("the values changed between passes", NULL);
  assert_int_equal(cet_select_advance(s, a, 4), CET_ERR_INPUT);
  cet_test_expect_message("4 values in pass 2, 5 in the first", NULL);
  cet_select_acc_destroy(&a);
  /* accumulators of other passes: the first, and the second of other
   * values (as many brackets, other keys) */
  cet_select *other = make(2);
  assert_int_equal(cet_select_acc_create(other, &a), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 5), CET_ERR_INPUT);
  cet_test_expect_message("belongs to another pass", "the pass has", NULL);
  double y[5];
  for (size_t i = 0; i < 5; i++) {
    y[i] = -1e6 * (double)(i + 1);
  }
  assert_int_equal(cet_select_acc_add(a, y, 5, 1), CET_OK);
  assert_int_equal(cet_select_advance(other, a, 5), CET_OK);
  cet_select_acc_destroy(&a);
  assert_int_equal(cet_select_acc_create(other, &a), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 5), CET_ERR_INPUT);
  cet_test_expect_message("the accumulator belongs to another pass", NULL);
  cet_select_acc_destroy(&a);
  cet_select_destroy(&other);
  cet_select_destroy(&s);
}

static void test_state_round_trip_and_errors(void **state) {
  (void)state;
  cet_select *s = make(2), *t = make(2), *u = make(3);
  const double x[] = {5.0, 1.0, 4.0, 2.0, 3.0};
  cet_select_acc *a = NULL;
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_add(a, x, 5, 1), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 5), CET_OK);
  cet_select_acc_destroy(&a);
  const void *bytes = NULL;
  size_t size = 0;
  cet_select_state(s, &bytes, &size);
  assert_int_equal(cet_select_set_state(t, bytes, size), CET_OK);
  assert_int_equal(cet_select_passes(t), 1);
  assert_int_equal(cet_select_set_state(t, bytes, size - 1), CET_ERR_INPUT);
  cet_test_expect_message("expected", NULL);
  assert_int_equal(cet_select_set_state(u, bytes, size), CET_ERR_INPUT);
  cet_test_expect_message("does not belong to this selection", NULL);
  cet_select_destroy(&s);
  cet_select_destroy(&t);
  cet_select_destroy(&u);
  /* a finished selection has no pass left */
  s = make(10);
  assert_int_equal(cet_select_acc_create(s, &a), CET_OK);
  assert_int_equal(cet_select_acc_add(a, x, 5, 1), CET_OK);
  assert_int_equal(cet_select_advance(s, a, 5), CET_OK);
  assert_true(cet_select_done(s));
  assert_int_equal(cet_select_advance(s, a, 5), CET_ERR_INPUT);
  cet_test_expect_message("no pass is left", NULL);
  cet_select_acc_destroy(&a);
  cet_select_destroy(&s);
}

static void test_order_statistics_errors(void **state) {
  (void)state;
  uint64_t ranks[CET_STATS_ORDER_MAX], lowest = 0;
  size_t count = 0;
  const double bad = -0.1;
  assert_int_equal(cet_stats_order_ranks(10, &bad, 1, ranks, &count, &lowest), CET_ERR_INPUT);
  cet_test_expect_message("found -0.1", NULL);
  double many[12];
  for (size_t i = 0; i < 12; i++) {
    many[i] = 0.013 + 0.07 * (double)i;
  }
  assert_int_equal(cet_stats_order_ranks(1000, many, 12, ranks, &count, &lowest), CET_ERR_INPUT);
  cet_test_expect_message("more than 32 order statistics", NULL);
  assert_int_equal(cet_stats_order_ranks(0, many, 1, ranks, &count, &lowest), CET_OK);
  assert_int_equal(count, 0);

  cet_stats *keep = NULL, *few = NULL;
  assert_int_equal(cet_stats_create(&keep, 1, 0), CET_OK);
  assert_int_equal(cet_stats_create(&few, 0, 0), CET_OK);
  for (int i = 0; i < 100; i++) {
    assert_int_equal(cet_stats_add(keep, (double)i), CET_OK);
    assert_int_equal(cet_stats_add(few, (double)i), CET_OK);
  }
  cet_stats_order o = {0};
  o.n = 100;
  assert_int_equal(cet_stats_set_order(keep, &o), CET_ERR_INPUT);
  cet_test_expect_message("to an accumulator that keeps its 100 values", NULL);
  o.n = 99;
  assert_int_equal(cet_stats_set_order(few, &o), CET_ERR_INPUT);
  cet_test_expect_message("order statistics of 99 values", "of 100 values", NULL);
  o.n = 100;
  o.count = 2;
  o.rank[0] = 5;
  o.rank[1] = 5;
  assert_int_equal(cet_stats_set_order(few, &o), CET_ERR_INPUT);
  cet_test_expect_message("increasing ranks below 100, found 5 at 1", NULL);
  o.rank[1] = 100;
  assert_int_equal(cet_stats_set_order(few, &o), CET_ERR_INPUT);
  cet_test_expect_message("found 100 at 1", NULL);
  /* without order statistics or values: no percentiles */
  double q = 0.0;
  assert_int_equal(cet_stats_quantile(few, 0.5, &q), CET_ERR_INPUT);
  cet_test_expect_message("need an accumulator that keeps values", NULL);
  /* the order statistics of the summary: other quantiles and levels fail */
  assert_int_equal(cet_stats_order_ranks(100, NULL, 0, ranks, &count, &lowest), CET_OK);
  o.count = count;
  o.lowest_count = lowest;
  cet_xsum_init(&o.lowest);
  for (size_t i = 0; i < count; i++) {
    o.rank[i] = ranks[i];
    o.value[i] = (double)ranks[i];
  }
  for (uint64_t i = 0; i < lowest; i++) {
    assert_int_equal(cet_xsum_add(&o.lowest, (double)i), CET_OK);
  }
  assert_int_equal(cet_stats_set_order(few, &o), CET_OK);
  assert_int_equal(cet_stats_quantile(few, 0.5, &q), CET_OK);
  assert_true(q == 49.5);
  assert_int_equal(cet_stats_quantile(few, 0.3, &q), CET_ERR_INPUT);
  cet_test_expect_message("rank 29 of 100 was not selected", NULL);
  assert_int_equal(cet_stats_cvar(few, 0.1, &q), CET_ERR_INPUT);
  cet_test_expect_message("CVaR at 0.1", "was not selected", NULL);
  cet_stats_summary a, b;
  assert_int_equal(cet_stats_summarize(keep, &a), CET_OK);
  assert_int_equal(cet_stats_summarize(few, &b), CET_OK);
  assert_memory_equal(&a, &b, sizeof a);
  /* adding a value drops the order statistics */
  assert_int_equal(cet_stats_add(few, 1.0), CET_OK);
  assert_int_equal(cet_stats_quantile(few, 0.5, &q), CET_ERR_INPUT);
  cet_test_expect_message("need an accumulator that keeps values", NULL);
  cet_stats_destroy(&keep);
  cet_stats_destroy(&few);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_continuous_values_in_two_passes),
      cmocka_unit_test(test_ties_and_signed_zeros),
      cmocka_unit_test(test_non_finite_values_are_skipped),
      cmocka_unit_test(test_small_and_degenerate_samples),
      cmocka_unit_test(test_values_on_bracket_edges),
      cmocka_unit_test(test_bound_on_passes),
      cmocka_unit_test(test_bad_parameters),
      cmocka_unit_test(test_corrupt_packed_accumulators),
      cmocka_unit_test(test_values_that_change_between_passes),
      cmocka_unit_test(test_state_round_trip_and_errors),
      cmocka_unit_test(test_order_statistics_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
