/*
 * test_stats.c — unit tests of stats.h: the exact accumulator rounds
 * correctly and is independent of order and split, also when fed a row of
 * accumulators at once; the summary statistics
 * match direct computations; merging shards in any order gives identical
 * bits; statistics by name; summaries without allocation after
 * cet_stats_reserve_sort; every error path.
 */
#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/stats.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static double xsum_of(const double *x, size_t n) {
  cet_xsum s;
  cet_xsum_init(&s);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(cet_xsum_add(&s, x[i]), CET_OK);
  }
  return cet_xsum_round(&s);
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void test_xsum_exact_cancellation(void **state) {
  (void)state;
  const double a[] = {1e100, 1.0, -1e100};
  assert_true(xsum_of(a, 3) == 1.0);
  const double b[] = {0x1p-1074, 0x1p-1074, 0x1p-1074};
  assert_true(xsum_of(b, 3) == 3 * 0x1p-1074);
  const double c[] = {DBL_MAX, -DBL_MAX, 0x1p-1074};
  assert_true(xsum_of(c, 3) == 0x1p-1074);
  const double d[] = {-3.5, 1.25};
  assert_true(xsum_of(d, 2) == -2.25);
  assert_true(xsum_of(d, 0) == 0.0);
}

static void test_xsum_rounds_to_nearest_even(void **state) {
  (void)state;
  const double p53 = 0x1p53;
  const double tie[] = {p53, 1.0}; /* 2^53 + 1 is a tie: even is 2^53 */
  assert_true(xsum_of(tie, 2) == p53);
  const double above[] = {p53, 1.0, 0x1p-60}; /* just above the tie */
  assert_true(xsum_of(above, 3) == p53 + 2.0);
  const double below[] = {p53, 1.0, -0x1p-60};
  assert_true(xsum_of(below, 3) == p53);
  const double odd_tie[] = {p53 + 2.0, 1.0}; /* 2^53 + 3: tie, even is 2^53 + 4 */
  assert_true(xsum_of(odd_tie, 2) == p53 + 4.0);
  const double neg[] = {-p53, -1.0, -0x1p-60};
  assert_true(xsum_of(neg, 3) == -(p53 + 2.0));
  const double over[] = {DBL_MAX, DBL_MAX};
  assert_true(isinf(xsum_of(over, 2)) && xsum_of(over, 2) > 0);
  const double under[] = {-DBL_MAX, -DBL_MAX};
  assert_true(isinf(xsum_of(under, 2)) && xsum_of(under, 2) < 0);
}

static void test_xsum_round2_and_merge(void **state) {
  (void)state;
  cet_xsum s, t;
  cet_xsum_init(&s);
  cet_xsum_init(&t);
  assert_int_equal(cet_xsum_add(&s, 1.0), CET_OK);
  assert_int_equal(cet_xsum_add(&t, 0x1p-80), CET_OK);
  cet_xsum_merge(&s, &t);
  double hi, lo;
  cet_xsum_round2(&s, &hi, &lo);
  assert_true(hi == 1.0 && lo == 0x1p-80);
  cet_xsum_init(&t);
  assert_int_equal(cet_xsum_add(&t, DBL_MAX), CET_OK);
  assert_int_equal(cet_xsum_add(&t, DBL_MAX), CET_OK);
  cet_xsum_round2(&t, &hi, &lo);
  assert_true(isinf(hi) && lo == 0.0);
  cet_error_clear();
  assert_int_equal(cet_xsum_add(&s, NAN), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "finite"));
  cet_error_clear();
}

/* cet_xsum_add_each adds each value to its own accumulator, exactly as
 * cet_xsum_add; with a non-finite value it adds nothing. */
static void test_xsum_add_each(void **state) {
  (void)state;
  enum { N = 5, ROWS = 300 };
  cet_xsum each[N], one[N];
  for (int i = 0; i < N; i++) {
    cet_xsum_init(&each[i]);
    cet_xsum_init(&one[i]);
  }
  double x[N];
  for (int row = 0; row < ROWS; row++) {
    for (int i = 0; i < N; i++) {
      x[i] = ldexp(sin(row * 7.0 + i) - 0.3, (row * 37 + i * 11) % 300 - 150);
      assert_int_equal(cet_xsum_add(&one[i], x[i]), CET_OK);
    }
    assert_int_equal(cet_xsum_add_each(each, x, N), CET_OK);
  }
  for (int i = 0; i < N; i++) {
    cet_xsum_normalize(&each[i]);
    cet_xsum_normalize(&one[i]);
    assert_memory_equal(&each[i], &one[i], sizeof each[i]);
  }
  x[3] = INFINITY;
  cet_error_clear();
  assert_int_equal(cet_xsum_add_each(each, x, N), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "expected finite values, found inf at position 3"));
  cet_error_clear();
  for (int i = 0; i < N; i++) {
    cet_xsum_normalize(&each[i]);
    assert_memory_equal(&each[i], &one[i], sizeof each[i]);
  }
}

/* Random values over a wide dynamic range, summed in many orders and splits:
 * always the same bits; and far more than 2^29 additions are not needed to
 * exercise carries because large values create them directly. */
static void test_xsum_order_independent(void **state) {
  (void)state;
  enum { N = 20000 };
  double *x = malloc(N * sizeof *x);
  assert_non_null(x);
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 11, cet_rng_purpose("test_stats"), 0, 0);
  for (int i = 0; i < N; i++) {
    x[i] = ldexp(gsl_rng_uniform(r) - 0.5, (int)gsl_rng_uniform_int(r, 400) - 200);
  }
  double ref = xsum_of(x, N);
  for (int trial = 0; trial < 5; trial++) {
    gsl_ran_shuffle(r, x, N, sizeof *x);
    /* split into uneven shards and merge them in reverse order */
    cet_xsum shard[7];
    for (int k = 0; k < 7; k++) {
      cet_xsum_init(&shard[k]);
    }
    for (int i = 0; i < N; i++) {
      assert_int_equal(cet_xsum_add(&shard[(i * i + trial) % 7], x[i]), CET_OK);
    }
    cet_xsum total = shard[6];
    for (int k = 5; k >= 0; k--) {
      cet_xsum_merge(&total, &shard[k]);
    }
    assert_true(same_bits(cet_xsum_round(&total), ref));
  }
  gsl_rng_free(r);
  free(x);
}

/* A merge leaves the canonical digits of the exact sum: the bytes of one
 * accumulator holding every value, normalised, whether the two sums had
 * pending carries (added digit by digit) or one was marked as at the
 * carry limit (normalised first). */
static void test_xsum_merge_canonical(void **state) {
  (void)state;
  enum { N = 4000, SHARDS = 5 };
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 12, cet_rng_purpose("test_stats"), 0, 0);
  cet_xsum one, shard[SHARDS];
  cet_xsum_init(&one);
  for (int k = 0; k < SHARDS; k++) {
    cet_xsum_init(&shard[k]);
  }
  for (int i = 0; i < N; i++) {
    double x = ldexp(gsl_rng_uniform(r) - 0.5, (int)gsl_rng_uniform_int(r, 200) - 100);
    assert_int_equal(cet_xsum_add(&one, x), CET_OK);
    assert_int_equal(cet_xsum_add(&shard[i % SHARDS], x), CET_OK);
  }
  cet_xsum_normalize(&one);
  for (int limit = 0; limit < 2; limit++) {
    cet_xsum total = shard[0];
    for (int k = 1; k < SHARDS; k++) {
      cet_xsum other = shard[k];
      if (limit && k == SHARDS - 1) {
        cet_xsum_normalize(&other);
        other.pending = UINT64_C(1) << 29;
      }
      cet_xsum_merge(&total, &other);
    }
    assert_memory_equal(&total, &one, sizeof one);
  }
  gsl_rng_free(r);
}

static void test_summary_of_known_values(void **state) {
  (void)state;
  cet_stats *s = NULL;
  assert_int_equal(cet_stats_create(&s, 1, 10), CET_OK);
  for (int i = 100; i >= 1; i--) { /* 1..100 in reverse */
    assert_int_equal(cet_stats_add(s, (double)i - 20.5), CET_OK);
  }
  cet_stats_summary sum;
  assert_int_equal(cet_stats_summarize(s, &sum), CET_OK);
  assert_int_equal(sum.n, 100);
  assert_true(sum.has_values);
  assert_true(sum.mean == 50.5 - 20.5);
  /* variance of 1..100 is n(n+1)/12 = 841.6666... */
  assert_true(fabs(sum.variance - 100.0 * 101.0 / 12.0) < 1e-12);
  assert_true(fabs(sum.se_mean - sqrt(100.0 * 101.0 / 12.0 / 100.0)) < 1e-12);
  assert_true(sum.min == 1 - 20.5 && sum.max == 100 - 20.5);
  assert_true(sum.prob_negative == 0.20); /* 1..20 minus 20.5 */
  /* type 7: position (n-1)p */
  assert_true(fabs(sum.p5 - (1 + 99 * 0.05 - 20.5)) < 1e-12);
  assert_true(fabs(sum.p10 - (1 + 99 * 0.10 - 20.5)) < 1e-12);
  assert_true(fabs(sum.p50 - (50.5 - 20.5)) < 1e-12);
  assert_true(fabs(sum.p95 - (1 + 99 * 0.95 - 20.5)) < 1e-12);
  /* worst 5 % of 100 values: the mean of the five lowest */
  assert_true(fabs(sum.cvar5 - (3.0 - 20.5)) < 1e-12);
  double cv, q;
  assert_int_equal(cet_stats_cvar(s, 0.031, &cv), CET_OK);
  assert_true(fabs(cv - ((1 + 2 + 3 + 0.1 * 4) / 3.1 - 20.5)) < 1e-12);
  assert_int_equal(cet_stats_quantile(s, 1.0, &q), CET_OK);
  assert_true(q == 100 - 20.5);
  assert_int_equal(cet_stats_quantile(s, 0.0, &q), CET_OK);
  assert_true(q == 1 - 20.5);
  assert_non_null(cet_stats_values(s));
  cet_stats_destroy(&s);
  assert_null(s);
  cet_stats_destroy(&s);
  cet_stats_destroy(NULL);
}

/* With a mean 1e9 times the spread, the textbook formula in doubles loses
 * every digit; the exact sums keep the variance accurate. */
static void test_variance_without_cancellation(void **state) {
  (void)state;
  cet_stats *s = NULL;
  assert_int_equal(cet_stats_create(&s, 0, 0), CET_OK);
  const double offset = 1e9;
  const double d[] = {-1.5, 0.25, 2.0, -0.75, 1.0};
  double mean = 0, m2 = 0;
  for (int i = 0; i < 5; i++) {
    mean += d[i] / 5;
  }
  for (int i = 0; i < 5; i++) {
    m2 += (d[i] - mean) * (d[i] - mean);
    assert_int_equal(cet_stats_add(s, offset + d[i]), CET_OK);
  }
  cet_stats_summary sum;
  assert_int_equal(cet_stats_summarize(s, &sum), CET_OK);
  assert_true(fabs(sum.variance - m2 / 4) < 1e-12 * m2);
  assert_true(fabs(sum.mean - (offset + mean)) <= 1e-6);
  assert_false(sum.has_values);
  assert_true(isnan(sum.p50));
  cet_stats_destroy(&s);
}

static void fill_shards(cet_stats **shard, int n_shards, const double *x, int n, int offset) {
  for (int k = 0; k < n_shards; k++) {
    assert_int_equal(cet_stats_create(&shard[k], 1, 0), CET_OK);
  }
  for (int i = 0; i < n; i++) {
    assert_int_equal(cet_stats_add(shard[(i + offset) % n_shards], x[i]), CET_OK);
  }
}

static void test_merge_in_any_order_gives_identical_bits(void **state) {
  (void)state;
  enum { N = 5000 };
  double x[N];
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 3, cet_rng_purpose("test_stats"), 1, 0);
  for (int i = 0; i < N; i++) {
    x[i] = 7.3e7 + gsl_ran_gaussian(r, 4.1e7);
  }
  cet_stats *one = NULL;
  assert_int_equal(cet_stats_create(&one, 1, N), CET_OK);
  for (int i = 0; i < N; i++) {
    assert_int_equal(cet_stats_add(one, x[i]), CET_OK);
  }
  cet_stats_summary ref;
  assert_int_equal(cet_stats_summarize(one, &ref), CET_OK);

  cet_stats *a[3], *b[4];
  fill_shards(a, 3, x, N, 0);
  fill_shards(b, 4, x, N, 1);
  assert_int_equal(cet_stats_merge(a[2], a[0]), CET_OK);
  assert_int_equal(cet_stats_merge(a[2], a[1]), CET_OK);
  assert_int_equal(cet_stats_merge(b[1], b[3]), CET_OK);
  assert_int_equal(cet_stats_merge(b[0], b[2]), CET_OK);
  assert_int_equal(cet_stats_merge(b[1], b[0]), CET_OK);
  cet_stats_summary sa, sb;
  assert_int_equal(cet_stats_summarize(a[2], &sa), CET_OK);
  assert_int_equal(cet_stats_summarize(b[1], &sb), CET_OK);
  const cet_stats_summary *all[] = {&sa, &sb};
  for (int k = 0; k < 2; k++) {
    assert_int_equal(all[k]->n, ref.n);
    assert_true(same_bits(all[k]->sum, ref.sum));
    assert_true(same_bits(all[k]->sum_sq, ref.sum_sq));
    assert_true(same_bits(all[k]->mean, ref.mean));
    assert_true(same_bits(all[k]->variance, ref.variance));
    assert_true(same_bits(all[k]->p5, ref.p5));
    assert_true(same_bits(all[k]->p50, ref.p50));
    assert_true(same_bits(all[k]->cvar5, ref.cvar5));
    assert_true(same_bits(all[k]->prob_negative, ref.prob_negative));
  }
  /* moments travel as plain values (MPI) and merge exactly too */
  cet_stats *bare = NULL;
  assert_int_equal(cet_stats_create(&bare, 0, 0), CET_OK);
  cet_stats_moments m;
  cet_stats_get_moments(a[1], &m);
  assert_int_equal(cet_stats_add_moments(bare, &m), CET_OK);
  cet_stats_get_moments(a[2], &m);
  cet_stats_moments part;
  cet_stats_moments_init(&part);
  cet_stats_moments_merge(&part, &m);
  assert_int_equal(cet_stats_count(bare), cet_stats_count(a[1]));
  assert_true(cet_xsum_round(&part.sum) == ref.sum);
  assert_true(part.min == ref.min && part.max == ref.max);

  cet_stats_destroy(&bare);
  for (int k = 0; k < 3; k++) {
    cet_stats_destroy(&a[k]);
  }
  for (int k = 0; k < 4; k++) {
    cet_stats_destroy(&b[k]);
  }
  cet_stats_destroy(&one);
  gsl_rng_free(r);
}

static void test_signed_zero_and_empty(void **state) {
  (void)state;
  cet_stats *s = NULL;
  assert_int_equal(cet_stats_create(&s, 1, 0), CET_OK);
  cet_stats_summary sum;
  assert_int_equal(cet_stats_summarize(s, &sum), CET_OK);
  assert_int_equal(sum.n, 0);
  assert_true(isnan(sum.mean) && isnan(sum.min) && !sum.has_values);
  assert_int_equal(cet_stats_add(s, -0.0), CET_OK);
  assert_int_equal(cet_stats_add(s, 0.0), CET_OK);
  assert_int_equal(cet_stats_summarize(s, &sum), CET_OK);
  assert_true(sum.prob_negative == 0.0);
  assert_int_equal(cet_stats_count(s), 2);
  assert_true(signbit(cet_stats_values(s)[0]) && !signbit(cet_stats_values(s)[1]));
  cet_stats_destroy(&s);
}

static void test_errors(void **state) {
  (void)state;
  cet_stats *keep = NULL, *bare = NULL;
  assert_int_equal(cet_stats_create(&keep, 1, 0), CET_OK);
  assert_int_equal(cet_stats_create(&bare, 0, 0), CET_OK);
  const double bad[] = {NAN, INFINITY, -INFINITY, 1e200};
  for (int i = 0; i < 4; i++) {
    cet_error_clear();
    assert_int_equal(cet_stats_add(keep, bad[i]), CET_ERR_INPUT);
  }
  assert_non_null(strstr(cet_error_message(), "2^511"));
  assert_int_equal(cet_stats_count(keep), 0);
  double q;
  cet_error_clear();
  assert_int_equal(cet_stats_quantile(keep, 0.5, &q), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "no values"));
  assert_int_equal(cet_stats_add(keep, 1.0), CET_OK);
  assert_int_equal(cet_stats_add(bare, 1.0), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_stats_quantile(keep, 1.5, &q), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_stats_cvar(keep, 0.0, &q), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_stats_quantile(bare, 0.5, &q), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "keeps values"));
  cet_error_clear();
  assert_int_equal(cet_stats_cvar(bare, 0.05, &q), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_stats_merge(keep, bare), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "cannot merge"));
  cet_error_clear();
  cet_stats_moments m;
  cet_stats_get_moments(bare, &m);
  assert_int_equal(cet_stats_add_moments(keep, &m), CET_ERR_INPUT);
  cet_error_clear();
  assert_null(cet_stats_values(bare));
  assert_int_equal(cet_stats_reserve(bare, 100), CET_OK);
  cet_stats_destroy(&keep);
  cet_stats_destroy(&bare);
}

/* The total order of the sorted values: numeric, -0.0 before +0.0. */
static int compare_numeric_then_sign(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  if (a != b) {
    return a < b ? -1 : 1;
  }
  return (signbit(b) != 0) - (signbit(a) != 0);
}

/* Reset empties an accumulator for reuse; normalisation keeps the value
 * and makes equal sums equal words; the radix-sorted values of a large
 * sample equal those of a comparison sort bit for bit, with -0.0 before
 * +0.0. */
static void test_reset_normalize_and_large_sort(void **state) {
  (void)state;
  enum { M = 5000 };
  cet_stats *s = NULL, *t = NULL;
  assert_int_equal(cet_stats_create(&s, 1, 0), CET_OK);
  assert_int_equal(cet_stats_create(&t, 1, 0), CET_OK);
  double *copy = malloc(M * sizeof *copy);
  assert_non_null(copy);
  for (int i = 0; i < M; i++) {
    copy[i] = (i % 7 == 0) ? -0.0 : (i % 11 == 0) ? 0.0 : sin(0.37 * i) * pow(10.0, (i % 9) - 4);
  }
  for (int i = 0; i < M; i++) {
    assert_int_equal(cet_stats_add(s, copy[i]), CET_OK);
    assert_int_equal(cet_stats_add(t, copy[M - 1 - i]), CET_OK);
  }
  cet_stats_summary a;
  assert_int_equal(cet_stats_summarize(s, &a), CET_OK);
  const double *sorted = cet_stats_values(s);
  double *expected = malloc(M * sizeof *expected);
  assert_non_null(expected);
  memcpy(expected, copy, M * sizeof *expected);
  qsort(expected, M, sizeof *expected, compare_numeric_then_sign);
  for (int i = 0; i < M; i++) {
    if (!same_bits(sorted[i], expected[i])) {
      fail_msg("sorted value %d is %a, the comparison sort has %a", i, sorted[i], expected[i]);
    }
  }
  free(expected);
  /* the same multiset in another order: the same exact sums, in any form */
  cet_stats_moments ma, mb;
  cet_stats_get_moments(s, &ma);
  cet_stats_get_moments(t, &mb);
  double before = cet_xsum_round(&ma.sum);
  cet_xsum_normalize(&ma.sum);
  cet_xsum_normalize(&mb.sum);
  assert_memory_equal(&ma.sum, &mb.sum, sizeof ma.sum);
  assert_true(cet_xsum_round(&ma.sum) == before);
  cet_stats_reset(s);
  assert_int_equal(cet_stats_count(s), 0);
  assert_int_equal(cet_stats_add(s, 2.5), CET_OK);
  cet_stats_summary b;
  assert_int_equal(cet_stats_summarize(s, &b), CET_OK);
  assert_true(b.n == 1 && b.mean == 2.5 && b.p50 == 2.5 && b.min == 2.5);
  free(copy);
  cet_stats_destroy(&s);
  cet_stats_destroy(&t);
}

/* Shards sorted on their own and merged as sorted runs give the accumulator
 * of all the values: the same sorted array and moments, bit for bit; later
 * additions after a sort are sorted again. Errors: unsorted runs, a count
 * that does not match the moments, an accumulator without values. */
static void test_merge_sorted_runs(void **state) {
  (void)state;
  enum { M = 3000, SHARDS = 3 };
  cet_stats *all = NULL, *shard[SHARDS] = {NULL};
  assert_int_equal(cet_stats_create(&all, 1, 0), CET_OK);
  for (int j = 0; j < SHARDS; j++) {
    assert_int_equal(cet_stats_create(&shard[j], 1, 0), CET_OK);
  }
  for (int i = 0; i < M; i++) {
    double x = (i % 11 == 0) ? ((i % 22 == 0) ? -0.0 : 0.0) : cos(0.91 * i) * (1 + i % 13);
    assert_int_equal(cet_stats_add(all, x), CET_OK);
    assert_int_equal(cet_stats_add(shard[(i * 7) % SHARDS], x), CET_OK);
  }
  for (int j = 0; j < SHARDS; j++) {
    assert_int_equal(cet_stats_sort(shard[j]), CET_OK);
  }
  for (int j = 1; j < SHARDS; j++) {
    cet_stats_moments m;
    cet_stats_get_moments(shard[j], &m);
    assert_int_equal(
        cet_stats_merge_sorted(shard[0], cet_stats_values(shard[j]), cet_stats_count(shard[j]), &m),
        CET_OK);
  }
  cet_stats_summary a, b;
  assert_int_equal(cet_stats_summarize(all, &a), CET_OK);
  assert_int_equal(cet_stats_summarize(shard[0], &b), CET_OK);
  assert_int_equal(cet_stats_count(shard[0]), M);
  assert_memory_equal(cet_stats_values(all), cet_stats_values(shard[0]), M * sizeof(double));
  assert_memory_equal(&a, &b, sizeof a);
  /* a value added after a sort is sorted in */
  assert_int_equal(cet_stats_add(shard[0], -1e9), CET_OK);
  double q;
  assert_int_equal(cet_stats_quantile(shard[0], 0.0, &q), CET_OK);
  assert_true(q == -1e9);

  cet_stats_moments m;
  double unsorted[2] = {2.0, 1.0};
  cet_stats *two = NULL, *bare = NULL;
  assert_int_equal(cet_stats_create(&two, 1, 0), CET_OK);
  assert_int_equal(cet_stats_add(two, 2.0), CET_OK);
  assert_int_equal(cet_stats_add(two, 1.0), CET_OK);
  cet_stats_get_moments(two, &m);
  assert_int_equal(cet_stats_merge_sorted(all, unsorted, 2, &m), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "not sorted"));
  cet_error_clear();
  assert_int_equal(cet_stats_merge_sorted(all, unsorted, 1, &m), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "moments of 2"));
  cet_error_clear();
  assert_int_equal(cet_stats_create(&bare, 0, 0), CET_OK);
  assert_int_equal(cet_stats_sort(bare), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_stats_merge_sorted(bare, unsorted, 2, &m), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_stats_count(all), M);
  cet_stats_destroy(&two);
  cet_stats_destroy(&bare);
  cet_stats_destroy(&all);
  for (int j = 0; j < SHARDS; j++) {
    cet_stats_destroy(&shard[j]);
  }
}

/* Statistics by name: names, lookup, which need the values, and the value
 * of each in a summary. Of n copies of one value, the mean, percentiles,
 * min and max are that value exactly, as a robust objective on a metric
 * that does not vary over the draws needs (the CVaR's fractional weight
 * and the sd's double-double arithmetic round in the last bits). */
static void test_statistics_by_name(void **state) {
  (void)state;
  static const char *const names[] = {
      "mean", "sd", "p5", "p10", "p50", "p90", "p95", "cvar5", "prob_negative", "min", "max"};
  for (int k = 0; k < CET_STAT_COUNT; k++) {
    assert_string_equal(cet_stats_stat_name((cet_stat)k), names[k]);
    assert_int_equal(cet_stats_stat_find(names[k]), k);
    assert_int_equal(cet_stats_stat_needs_values((cet_stat)k),
                     k >= CET_STAT_P5 && k <= CET_STAT_CVAR5);
  }
  assert_int_equal(cet_stats_stat_find("p1"), -1);
  assert_int_equal(cet_stats_stat_find("Mean"), -1);
  cet_stats *s = NULL;
  assert_int_equal(cet_stats_create(&s, 1, 0), CET_OK);
  for (int i = 1; i <= 20; i++) {
    assert_int_equal(cet_stats_add(s, i - 5.0), CET_OK); /* -4 .. 15 */
  }
  cet_stats_summary m;
  assert_int_equal(cet_stats_summarize(s, &m), CET_OK);
  const double expected[CET_STAT_COUNT] = {
      m.mean, m.sd, m.p5, m.p10, m.p50, m.p90, m.p95, m.cvar5, m.prob_negative, m.min, m.max};
  for (int k = 0; k < CET_STAT_COUNT; k++) {
    assert_true(same_bits(cet_stats_summary_value(&m, (cet_stat)k), expected[k]));
  }
  assert_true(m.mean == 5.5 && m.min == -4 && m.max == 15 && m.prob_negative == 0.2);
  assert_true(fabs(m.p5 - (-4 + 0.95)) < 1e-15); /* (n - 1) p = 0.95 */
  cet_stats_destroy(&s);
  /* moments only: the order statistics are NaN */
  assert_int_equal(cet_stats_create(&s, 0, 0), CET_OK);
  assert_int_equal(cet_stats_add(s, 1.0), CET_OK);
  assert_int_equal(cet_stats_summarize(s, &m), CET_OK);
  assert_true(isnan(cet_stats_summary_value(&m, CET_STAT_P50)) &&
              isnan(cet_stats_summary_value(&m, CET_STAT_SD)));
  assert_true(cet_stats_summary_value(&m, CET_STAT_MEAN) == 1.0);
  cet_stats_destroy(&s);
  const double values[] = {0.1, 1.0 / 3.0, 1e7 + 0.3, -2.718281828459045, 6.02214076e23, 5e-300};
  const size_t counts[] = {1, 3, 7, 200, 1000, 4097};
  assert_int_equal(cet_stats_create(&s, 1, 0), CET_OK);
  for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
      cet_stats_reset(s);
      for (size_t i = 0; i < counts[c]; i++) {
        assert_int_equal(cet_stats_add(s, values[v]), CET_OK);
      }
      assert_int_equal(cet_stats_summarize(s, &m), CET_OK);
      for (int k = 0; k < CET_STAT_COUNT; k++) {
        double x = cet_stats_summary_value(&m, (cet_stat)k);
        if (k == CET_STAT_SD) {
          assert_true(counts[c] == 1 ? isnan(x) : x <= 1e-12 * fabs(values[v]));
        } else if (k == CET_STAT_PROB_NEGATIVE) {
          assert_true(x == (values[v] < 0));
        } else if (k == CET_STAT_CVAR5) { /* a fractional weight alpha n - floor(alpha n) */
          assert_true(fabs(x - values[v]) <= 4 * DBL_EPSILON * fabs(values[v]));
        } else {
          assert_true(same_bits(x, values[v]));
        }
      }
    }
  }
  cet_stats_destroy(&s);
}

/* With the sort scratch reserved, summaries of accumulators reset and
 * filled again are those of fresh accumulators, bit for bit (small and
 * large counts, signed zeros); the scratch needs an accumulator that keeps
 * values. */
static void test_reserve_sort(void **state) {
  (void)state;
  enum { M = 3000 };
  cet_stats *reused = NULL, *bare = NULL;
  assert_int_equal(cet_stats_create(&reused, 1, 0), CET_OK);
  assert_int_equal(cet_stats_reserve_sort(reused, M), CET_OK);
  assert_int_equal(cet_stats_reserve_sort(reused, 10), CET_OK); /* smaller: nothing to do */
  const size_t counts[] = {0, 1, 100, 255, 256, 1000, M};
  for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
    cet_stats *fresh = NULL;
    assert_int_equal(cet_stats_create(&fresh, 1, 0), CET_OK);
    cet_stats_reset(reused);
    for (size_t i = 0; i < counts[c]; i++) {
      double x = (i % 9 == 0) ? ((i % 18 == 0) ? -0.0 : 0.0) : sin(1.7 * (double)(i + c)) * 1e6;
      assert_int_equal(cet_stats_add(reused, x), CET_OK);
      assert_int_equal(cet_stats_add(fresh, x), CET_OK);
    }
    cet_stats_summary a, b;
    assert_int_equal(cet_stats_summarize(reused, &a), CET_OK);
    assert_int_equal(cet_stats_summarize(fresh, &b), CET_OK);
    assert_memory_equal(&a, &b, sizeof a);
    if (counts[c] > 0) {
      assert_memory_equal(cet_stats_values(reused), cet_stats_values(fresh),
                          counts[c] * sizeof(double));
    }
    cet_stats_destroy(&fresh);
  }
  assert_int_equal(cet_stats_create(&bare, 0, 0), CET_OK);
  assert_int_equal(cet_stats_reserve_sort(bare, 10), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "keeps values"));
  cet_error_clear();
  cet_stats_destroy(&bare);
  cet_stats_destroy(&reused);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xsum_exact_cancellation),
      cmocka_unit_test(test_xsum_rounds_to_nearest_even),
      cmocka_unit_test(test_xsum_round2_and_merge),
      cmocka_unit_test(test_xsum_order_independent),
      cmocka_unit_test(test_xsum_merge_canonical),
      cmocka_unit_test(test_xsum_add_each),
      cmocka_unit_test(test_summary_of_known_values),
      cmocka_unit_test(test_variance_without_cancellation),
      cmocka_unit_test(test_merge_in_any_order_gives_identical_bits),
      cmocka_unit_test(test_signed_zero_and_empty),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_reset_normalize_and_large_sort),
      cmocka_unit_test(test_merge_sorted_runs),
      cmocka_unit_test(test_statistics_by_name),
      cmocka_unit_test(test_reserve_sort),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
