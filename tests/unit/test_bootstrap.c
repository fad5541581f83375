/*
 * test_bootstrap.c — unit tests of bootstrap.h: the counts of all blocks of
 * a replicate sum to N; they follow the multinomial law (a point's count is
 * Binomial(N, 1/N), a block's total Binomial(N, L / N), two blocks'
 * totals have covariance -N p q, every position of a block is drawn
 * equally often); the same key gives the same counts whichever blocks are
 * asked for and in which order, or whether all totals of a replicate are
 * drawn at once, other keys other counts; invalid plans and
 * blocks are rejected with a message.
 */
#include "cetwin/bootstrap.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"

#include "test_support.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The counts of all points of replicate r, block by block (blocks taken in
 * the order given, or forwards when order is NULL). */
static void all_counts(const cet_bootstrap_plan *p, gsl_rng *r, uint64_t replicate,
                       const uint64_t *order, uint32_t *counts) {
  uint64_t blocks = cet_bootstrap_blocks(p);
  for (uint64_t k = 0; k < blocks; k++) {
    uint64_t b = order ? order[k] : k;
    uint64_t total;
    assert_int_equal(cet_bootstrap_block_total(p, r, replicate, b, &total), CET_OK);
    assert_int_equal(cet_bootstrap_block_counts(p, r, replicate, b, counts + b * p->block), CET_OK);
    uint64_t sum = 0;
    for (uint64_t i = 0; i < cet_bootstrap_block_length(p, b); i++) {
      sum += counts[b * p->block + i];
    }
    assert_int_equal(sum, total);
  }
}

static void test_counts_sum_to_n(void **state) {
  (void)state;
  static const uint64_t shapes[][2] = {{1000, 64},  {1, 1},       {7, 100}, {1000, 1},
                                       {4096, 256}, {1023, 1024}, {5, 2},   {1000, 999}};
  gsl_rng *r = cet_rng_alloc();
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    cet_bootstrap_plan p = {.seed = 3, .purpose = 4, .points = shapes[s][0], .block = shapes[s][1]};
    assert_int_equal(cet_bootstrap_check(&p), CET_OK);
    uint64_t blocks = cet_bootstrap_blocks(&p), points = 0;
    for (uint64_t b = 0; b < blocks; b++) {
      points += cet_bootstrap_block_length(&p, b);
    }
    assert_int_equal(points, p.points);
    assert_int_equal(cet_bootstrap_block_length(&p, blocks), 0);
    uint32_t *counts = malloc(p.points * sizeof *counts);
    assert_non_null(counts);
    for (uint64_t rep = 0; rep < 50; rep++) {
      all_counts(&p, r, rep, NULL, counts);
      uint64_t sum = 0;
      for (uint64_t i = 0; i < p.points; i++) {
        sum += counts[i];
      }
      assert_int_equal(sum, p.points);
    }
    free(counts);
  }
  gsl_rng_free(r);
}

static void test_keyed(void **state) {
  (void)state;
  enum { N = 1000, B = 37 };
  cet_bootstrap_plan p = {.seed = 11, .purpose = cet_rng_purpose("test"), .points = N, .block = B};
  uint64_t blocks = cet_bootstrap_blocks(&p), order[N / B + 1];
  for (uint64_t k = 0; k < blocks; k++) {
    order[k] = blocks - 1 - k;
  }
  uint32_t forward[N], backward[N], again[N], other[N], one[B];
  gsl_rng *r = cet_rng_alloc(), *fresh = cet_rng_alloc();
  all_counts(&p, r, 5, NULL, forward);
  all_counts(&p, r, 5, order, backward);
  all_counts(&p, r, 5, NULL, again);
  assert_memory_equal(forward, backward, sizeof forward);
  assert_memory_equal(forward, again, sizeof forward);
  /* one block alone, with a generator that never saw the others */
  assert_int_equal(cet_bootstrap_block_counts(&p, fresh, 5, 13, one), CET_OK);
  assert_memory_equal(one, forward + 13 * B, sizeof one);
  /* another replicate, seed or purpose: other counts */
  cet_bootstrap_plan q = p;
  all_counts(&q, r, 6, NULL, other);
  assert_true(memcmp(forward, other, sizeof forward) != 0);
  q.seed = 12;
  all_counts(&q, r, 5, NULL, other);
  assert_true(memcmp(forward, other, sizeof forward) != 0);
  q = p;
  q.purpose++;
  all_counts(&q, r, 5, NULL, other);
  assert_true(memcmp(forward, other, sizeof forward) != 0);
  gsl_rng_free(r);
  gsl_rng_free(fresh);
}

/* All totals of a replicate at once are the totals block by block; the
 * spread of a block's total is its counts. */
static void test_totals_at_once(void **state) {
  (void)state;
  static const uint64_t shapes[][2] = {{1000, 64}, {1, 1}, {7, 100}, {1000, 1}, {257, 2}};
  gsl_rng *r = cet_rng_alloc();
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    cet_bootstrap_plan p = {.seed = 8, .purpose = 1, .points = shapes[s][0], .block = shapes[s][1]};
    uint64_t blocks = cet_bootstrap_blocks(&p);
    uint64_t *totals = malloc(blocks * sizeof *totals);
    uint32_t *counts = malloc(p.block * sizeof *counts), *spread = malloc(p.block * sizeof *spread);
    assert_true(totals && counts && spread);
    for (uint64_t rep = 0; rep < 20; rep++) {
      assert_int_equal(cet_bootstrap_totals(&p, r, rep, totals), CET_OK);
      for (uint64_t b = 0; b < blocks; b++) {
        uint64_t total;
        assert_int_equal(cet_bootstrap_block_total(&p, r, rep, b, &total), CET_OK);
        assert_int_equal(totals[b], total);
        assert_int_equal(cet_bootstrap_block_counts(&p, r, rep, b, counts), CET_OK);
        assert_int_equal(cet_bootstrap_spread(&p, rep, b, total, spread), CET_OK);
        assert_memory_equal(counts, spread, cet_bootstrap_block_length(&p, b) * sizeof *counts);
      }
    }
    free(totals);
    free(counts);
    free(spread);
  }
  gsl_rng_free(r);
}

/* Chi-square statistic of observed counts obs[0..k-1] against expected
 * counts exp[0..k-1]. */
static double chi_square(const double *obs, const double *expected, size_t k) {
  double x2 = 0.0;
  for (size_t i = 0; i < k; i++) {
    x2 += (obs[i] - expected[i]) * (obs[i] - expected[i]) / expected[i];
  }
  return x2;
}

/* N = 200 points in blocks of 16 (12 full blocks and one of 8), over 4000
 * replicates. The thresholds are the 99.9 % quantiles of the chi-square
 * laws and 5 standard errors for the moments. */
static void test_multinomial_law(void **state) {
  (void)state;
  enum { N = 200, B = 16, R = 4000, BINS = 5 };
  cet_bootstrap_plan p = {.seed = 2024, .purpose = 9, .points = N, .block = B};
  uint64_t blocks = cet_bootstrap_blocks(&p);
  assert_int_equal(blocks, 13);
  double point_hist[BINS] = {0}, total_hist[BINS] = {0}, position[N] = {0};
  double sum0 = 0, sum0_sq = 0, sum_last = 0, sum_last_sq = 0, sum_cross = 0, same_place = 0;
  uint32_t counts[N];
  gsl_rng *r = cet_rng_alloc();
  for (uint64_t rep = 0; rep < R; rep++) {
    all_counts(&p, r, rep, NULL, counts);
    double t0 = 0, t_last = 0;
    for (size_t i = 0; i < N; i++) {
      point_hist[counts[i] < BINS - 1 ? counts[i] : BINS - 1]++;
      position[i] += counts[i];
      if (i < B) {
        t0 += counts[i];
      }
      if (i >= (blocks - 1) * B) {
        t_last += counts[i];
      }
      if (i + B < N) {
        same_place += (double)counts[i] * counts[i + B];
      }
    }
    sum0 += t0;
    sum0_sq += t0 * t0;
    sum_last += t_last;
    sum_last_sq += t_last * t_last;
    sum_cross += t0 * t_last;
    /* totals of block 0 in bins around its mean 16: <= 12, 13-15, 16-18, 19-21, >= 22 */
    int bin = t0 <= 12 ? 0 : t0 <= 15 ? 1 : t0 <= 18 ? 2 : t0 <= 21 ? 3 : 4;
    total_hist[bin]++;
  }
  gsl_rng_free(r);
  /* a point's count: Binomial(N, 1/N) in bins 0, 1, 2, 3, >= 4 */
  double expected[BINS], rest = 1.0;
  for (int k = 0; k < BINS - 1; k++) {
    expected[k] = gsl_ran_binomial_pdf((unsigned)k, 1.0 / N, N);
    rest -= expected[k];
  }
  expected[BINS - 1] = rest;
  for (int k = 0; k < BINS; k++) {
    expected[k] *= (double)N * R;
  }
  assert_true(chi_square(point_hist, expected, BINS) < gsl_cdf_chisq_Qinv(1e-3, BINS - 1));
  /* block 0's total: Binomial(N, B / N) */
  double q = (double)B / N, edges[BINS + 1] = {-1, 12, 15, 18, 21, N};
  for (int k = 0; k < BINS; k++) {
    expected[k] = (gsl_cdf_binomial_P((unsigned)edges[k + 1], q, N) -
                   (edges[k] < 0 ? 0.0 : gsl_cdf_binomial_P((unsigned)edges[k], q, N))) *
                  R;
  }
  assert_true(chi_square(total_hist, expected, BINS) < gsl_cdf_chisq_Qinv(1e-3, BINS - 1));
  /* moments of the totals of block 0 and of the short last block */
  double q_last = 8.0 / N;
  double m0 = sum0 / R, m_last = sum_last / R;
  double v0 = sum0_sq / R - m0 * m0, v_last = sum_last_sq / R - m_last * m_last;
  double cov = sum_cross / R - m0 * m_last;
  assert_true(fabs(m0 - N * q) < 5.0 * sqrt(N * q * (1 - q) / R));
  assert_true(fabs(m_last - N * q_last) < 5.0 * sqrt(N * q_last * (1 - q_last) / R));
  assert_true(fabs(v0 / (N * q * (1 - q)) - 1.0) < 0.12);
  assert_true(fabs(v_last / (N * q_last * (1 - q_last)) - 1.0) < 0.12);
  /* Cov = -N q q_last = -0.64; the sd of the estimate is about
   * sqrt(v0 v_last / R) = 0.047 */
  assert_true(fabs(cov + N * q * q_last) < 5.0 * sqrt(v0 * v_last / R));
  /* every position of every block is drawn once per replicate on average
   * (sd of the mean about sqrt(1 / R) = 0.016) */
  for (size_t i = 0; i < N; i++) {
    assert_true(fabs(position[i] / R - 1.0) < 5.0 * sqrt(1.0 / R));
  }
  /* blocks draw their points independently: E[c_i c_j] = (N - 1) / N for
   * points i != j, here the same place in neighbouring blocks (sd of the
   * pooled mean below 0.01) */
  double places = (double)(N - B) * R;
  assert_true(fabs(same_place / places - (N - 1.0) / N) < 0.05);
}

static void test_errors(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  uint64_t total;
  uint32_t counts[4];
  cet_bootstrap_plan p = {.seed = 1, .purpose = 2, .points = 0, .block = 4};
  assert_int_equal(cet_bootstrap_check(&p), CET_ERR_INPUT);
  cet_test_expect_message("bootstrap: expected 1 to 2^32 - 1 points to resample, found 0", NULL);
  p.points = UINT64_C(1) << 32;
  assert_int_equal(cet_bootstrap_block_total(&p, r, 0, 0, &total), CET_ERR_INPUT);
  cet_test_expect_message("found 4294967296", NULL);
  p.points = 10;
  p.block = 0;
  assert_int_equal(cet_bootstrap_block_counts(&p, r, 0, 0, counts), CET_ERR_INPUT);
  cet_test_expect_message("bootstrap: expected at least 1 point per block", NULL);
  p.block = 4;
  assert_int_equal(cet_bootstrap_block_counts(&p, r, 0, 3, counts), CET_ERR_INPUT);
  cet_test_expect_message("bootstrap: block 3 is beyond the last block 2 of 10 points by 4", NULL);
  assert_int_equal(cet_bootstrap_spread(&p, 0, 3, 1, counts), CET_ERR_INPUT);
  cet_test_expect_message("bootstrap: block 3 is beyond the last block 2", NULL);
  assert_int_equal(cet_bootstrap_spread(&p, 0, 1, 11, counts), CET_ERR_INPUT);
  cet_test_expect_message("bootstrap: a block cannot hold 11 of 10 draws", NULL);
  p.block = 0;
  uint64_t totals[3];
  assert_int_equal(cet_bootstrap_totals(&p, r, 0, totals), CET_ERR_INPUT);
  cet_test_expect_message("at least 1 point per block", NULL);
  p.block = 4;
  assert_int_equal(cet_bootstrap_block_counts(&p, r, 0, 2, counts), CET_OK);
  assert_int_equal(cet_bootstrap_block_length(&p, 2), 2);
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts_sum_to_n), cmocka_unit_test(test_keyed),
      cmocka_unit_test(test_totals_at_once),  cmocka_unit_test(test_multinomial_law),
      cmocka_unit_test(test_errors),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
