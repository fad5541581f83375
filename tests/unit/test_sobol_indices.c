/*
 * test_sobol_indices.c — unit tests of sobol_indices.h: the rows of the
 * Saltelli design (A, AB^i, BA^i, B from the halves of a scrambled Sobol'
 * point; groups move together; groups without coordinates); the estimates
 * and their bootstrap intervals against a hand computation on a tiny
 * design (straightforward double arithmetic on the outputs and the keyed
 * bootstrap counts); accumulators of any split of the blocks, merged in any
 * order or through bytes, give identical bits; every invalid plan, input,
 * merge and request is rejected with a message.
 */
#include "cetwin/bootstrap.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/sobol_indices.h"
#include "cetwin/sobolseq.h"

#include "test_support.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static cet_sobol_design *design(size_t k, size_t g, const size_t *group_of, int second, uint64_t n,
                                uint64_t block, size_t reps) {
  cet_sobol_parameters p = cet_sobol_default_parameters();
  p.factors = k;
  p.groups = g;
  p.group_of = group_of;
  p.second_order = second;
  p.seed = 99;
  p.base_rows = n;
  p.block = block;
  p.replicates = reps;
  cet_sobol_design *d = NULL;
  assert_int_equal(cet_sobol_design_create(&d, &p), CET_OK);
  return d;
}

static void test_design_rows(void **state) {
  (void)state;
  enum { K = 5 };
  const size_t group_of[K] = {0, 1, 0, 2, 2};
  cet_sobol_design *d = design(K, 3, group_of, 1, 100, 10, 0);
  assert_int_equal(cet_sobol_design_groups(d), 3);
  assert_int_equal(cet_sobol_design_rows(d), 8);
  assert_int_equal(cet_sobol_design_parameters(d)->group_of[3], 2);
  static const cet_sobol_row_kind kinds[8] = {CET_SOBOL_ROW_A,  CET_SOBOL_ROW_AB, CET_SOBOL_ROW_AB,
                                              CET_SOBOL_ROW_AB, CET_SOBOL_ROW_BA, CET_SOBOL_ROW_BA,
                                              CET_SOBOL_ROW_BA, CET_SOBOL_ROW_B};
  static const size_t groups[8] = {0, 0, 1, 2, 0, 1, 2, 0};
  for (size_t row = 0; row < 8; row++) {
    size_t g = 77;
    assert_int_equal(cet_sobol_design_row_kind(d, row, &g), kinds[row]);
    assert_int_equal(g, groups[row]);
  }
  /* A_j and B_j are the halves of point j of the 10-dimensional sequence
   * scrambled with the plan's seed */
  cet_sobolseq *seq = NULL;
  assert_int_equal(cet_sobolseq_create(&seq, 2 * K, 1, 99), CET_OK);
  double a[K], b[K], point[2 * K], x[8 * K], row[K];
  for (uint64_t j = 0; j < 100; j += 7) {
    assert_int_equal(cet_sobol_design_base(d, j, a, b), CET_OK);
    assert_int_equal(cet_sobolseq_point(seq, j, point), CET_OK);
    assert_memory_equal(a, point, sizeof a);
    assert_memory_equal(b, point + K, sizeof b);
    assert_int_equal(cet_sobol_design_fill(d, j, x), CET_OK);
    for (size_t r = 0; r < 8; r++) {
      cet_sobol_design_assemble(d, r, a, b, row);
      assert_memory_equal(row, x + r * K, sizeof row);
      size_t i;
      cet_sobol_row_kind kind = cet_sobol_design_row_kind(d, r, &i);
      for (size_t f = 0; f < K; f++) {
        int from_b = kind == CET_SOBOL_ROW_B || (kind == CET_SOBOL_ROW_AB && group_of[f] == i) ||
                     (kind == CET_SOBOL_ROW_BA && group_of[f] != i);
        assert_true(x[r * K + f] == (from_b ? b[f] : a[f]));
        assert_int_equal(cet_sobol_design_takes_b(d, r, group_of[f]), from_b);
        assert_true(x[r * K + f] > 0.0 && x[r * K + f] < 1.0);
      }
    }
  }
  cet_sobolseq_destroy(&seq);
  cet_sobol_design_destroy(&d);
  assert_null(d);
  cet_sobol_design_destroy(&d);
  cet_sobol_design_destroy(NULL);
}

/* One group per factor by default; groups beyond the factors have no
 * coordinates (keyed draws), and only the design says which draw they
 * take. */
static void test_design_groups_without_coordinates(void **state) {
  (void)state;
  cet_sobol_design *d = design(2, 0, NULL, 0, 8, 8, 0);
  assert_int_equal(cet_sobol_design_groups(d), 2);
  assert_int_equal(cet_sobol_design_rows(d), 4);
  cet_sobol_design_destroy(&d);
  d = design(2, 4, NULL, 0, 8, 8, 0);
  assert_int_equal(cet_sobol_design_rows(d), 6);
  double a[2], b[2], x[6 * 2];
  assert_int_equal(cet_sobol_design_base(d, 3, a, b), CET_OK);
  assert_int_equal(cet_sobol_design_fill(d, 3, x), CET_OK);
  /* rows AB^2 and AB^3 move no coordinate: they equal A; group 2 takes its
   * B draw in row AB^2 only (and in B) */
  assert_memory_equal(x + 3 * 2, a, sizeof a);
  assert_memory_equal(x + 4 * 2, a, sizeof a);
  for (size_t row = 0; row < 6; row++) {
    assert_int_equal(cet_sobol_design_takes_b(d, row, 2), row == 3 || row == 5);
    assert_int_equal(cet_sobol_design_takes_b(d, row, 3), row == 4 || row == 5);
  }
  cet_sobol_design_destroy(&d);
  /* no coordinates at all: only keyed draws */
  d = design(0, 2, NULL, 1, 8, 8, 0);
  assert_int_equal(cet_sobol_design_rows(d), 6);
  assert_int_equal(cet_sobol_design_base(d, 7, a, b), CET_OK);
  assert_int_equal(cet_sobol_design_takes_b(d, 3, 0), 0); /* BA^0 */
  assert_int_equal(cet_sobol_design_takes_b(d, 3, 1), 1);
  cet_sobol_design_destroy(&d);
}

static void expect_invalid(const cet_sobol_parameters *p, const char *fragment) {
  cet_sobol_design *d = (cet_sobol_design *)(void *)&d;
  assert_int_equal(cet_sobol_design_create(&d, p), CET_ERR_INPUT);
  assert_null(d);
  cet_test_expect_message(fragment, NULL);
}

static void test_design_errors(void **state) {
  (void)state;
  cet_sobol_parameters p = cet_sobol_default_parameters();
  assert_int_equal(p.base_rows, 1024);
  assert_int_equal(p.block, 256);
  assert_int_equal(p.replicates, 100);
  expect_invalid(&p, "Sobol' indices: expected at least one factor or group");
  p.factors = 1834;
  expect_invalid(&p, "at most 1833 factors");
  p.factors = 3;
  p.groups = 2;
  expect_invalid(&p, "2 groups of 3 factors need the group of each factor");
  const size_t group_of[3] = {0, 2, 1};
  p.group_of = group_of;
  expect_invalid(&p, "factor 1 is in group 2, expected a group below 2");
  p.groups = 3;
  p.base_rows = 0;
  expect_invalid(&p, "expected 1 to 2^32 - 1 base rows, found 0");
  p.base_rows = UINT64_C(1) << 32;
  expect_invalid(&p, "found 4294967296");
  p.base_rows = 16;
  p.block = 0;
  expect_invalid(&p, "expected at least 1 base row per block");
  p.block = 4;
  cet_sobol_design *d = NULL;
  assert_int_equal(cet_sobol_design_create(&d, &p), CET_OK);
  double a[3], b[3], x[5 * 3];
  assert_int_equal(cet_sobol_design_base(d, 16, a, b), CET_ERR_INPUT);
  cet_test_expect_message("Sobol' design: base row 16 is beyond the last base row 15", NULL);
  assert_int_equal(cet_sobol_design_fill(d, 16, x), CET_ERR_INPUT);
  cet_test_expect_message("base row 16", NULL);
  cet_sobol_design_destroy(&d);
}

/* ---- estimates against a hand computation -------------------------------- */

enum { HK = 3, HN = 6, HB = 4, HR = 5, HO = 2, HROWS = 2 * HK + 2 };

/* Two outputs of a point: a function with interactions, and another. */
static void model(const double *x, double *y) {
  y[0] = sin(6.0 * x[0]) + 3.0 * x[1] * x[1] + 2.0 * x[0] * x[2];
  y[1] = exp(x[2]) - x[1] + 0.5 * x[0] * x[1] * x[2];
}

/* The outputs of every row of every base row: y[(j rows + row) HO + o]. */
static void evaluate(const cet_sobol_design *d, uint64_t n, double *y) {
  size_t k = cet_sobol_design_parameters(d)->factors, rows = cet_sobol_design_rows(d);
  double *x = malloc(rows * (k ? k : 1) * sizeof *x);
  assert_non_null(x);
  for (uint64_t j = 0; j < n; j++) {
    assert_int_equal(cet_sobol_design_fill(d, j, x), CET_OK);
    for (size_t row = 0; row < rows; row++) {
      model(x + row * k, y + (j * rows + row) * HO);
    }
  }
  free(x);
}

/* The indices from weights w[j] of the base rows, by the formulas of the
 * header written out directly (centred terms summed as they are). */
static void by_hand(const double *y, const double *w, size_t o, double *s1, double *st,
                    double *s2) {
  double wsum = 0, sum = 0, sum_sq = 0;
  for (size_t j = 0; j < HN; j++) {
    double fa = y[(j * HROWS) * HO + o], fb = y[(j * HROWS + HROWS - 1) * HO + o];
    wsum += w[j];
    sum += w[j] * (fa + fb);
    sum_sq += w[j] * (fa * fa + fb * fb);
  }
  double m = sum / (2 * wsum), v = sum_sq / (2 * wsum) - m * m;
  for (size_t i = 0; i < HK; i++) {
    double c = 0, jansen = 0;
    for (size_t j = 0; j < HN; j++) {
      double fa = y[(j * HROWS) * HO + o], fb = y[(j * HROWS + HROWS - 1) * HO + o];
      double fab = y[(j * HROWS + 1 + i) * HO + o];
      c += w[j] * (fb - m) * (fab - fa);
      jansen += w[j] * (fa - fab) * (fa - fab);
    }
    s1[i] = c / wsum / v;
    st[i] = jansen / (2 * wsum) / v;
  }
  for (size_t i = 0; i < HK; i++) {
    for (size_t k = i + 1; k < HK; k++) {
      double c = 0;
      for (size_t j = 0; j < HN; j++) {
        double fa = y[(j * HROWS) * HO + o], fb = y[(j * HROWS + HROWS - 1) * HO + o];
        double fba = y[(j * HROWS + 1 + HK + i) * HO + o];
        double fab = y[(j * HROWS + 1 + k) * HO + o];
        c += w[j] * ((fba - m) * (fab - m) - (fa - m) * (fb - m));
      }
      s2[i * HK + k] = c / wsum / v - s1[i] - s1[k];
    }
  }
}

static void expect_close(double got, double want, const char *what, size_t i) {
  if (!(fabs(got - want) <= 1e-10 * (1.0 + fabs(want)))) {
    fprintf(stderr, "%s[%zu] = %.17g, expected %.17g\n", what, i, got, want);
    fail();
  }
}

static void test_hand_computation(void **state) {
  (void)state;
  cet_sobol_design *d = design(HK, 0, NULL, 1, HN, HB, HR);
  double y[HN * HROWS * HO];
  evaluate(d, HN, y);
  cet_sobol_sums *s = NULL;
  cet_sobol_block *blk = NULL;
  assert_int_equal(cet_sobol_sums_create(&s, d, HO), CET_OK);
  assert_int_equal(cet_sobol_block_create(&blk, d, HO), CET_OK);
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 1, y + HB * HROWS * HO), CET_OK);
  assert_int_equal(cet_sobol_sums_blocks(s), 1);
  assert_int_equal(cet_sobol_sums_base_rows(s), HN - HB);
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 0, y), CET_OK);
  assert_int_equal(cet_sobol_sums_blocks(s), 2);
  assert_int_equal(cet_sobol_sums_base_rows(s), HN);
  assert_true(cet_sobol_sums_has_block(s, 0) && cet_sobol_sums_has_block(s, 1));
  assert_false(cet_sobol_sums_has_block(s, 2));

  /* the bootstrap weights of each replicate, as the header defines them */
  cet_bootstrap_plan plan = {99, cet_rng_purpose("sobol.bootstrap"), HN, HB};
  gsl_rng *r = cet_rng_alloc();
  double w[HR + 1][HN];
  for (size_t j = 0; j < HN; j++) {
    w[0][j] = 1.0;
  }
  for (size_t rep = 0; rep < HR; rep++) {
    uint32_t counts[HB];
    for (uint64_t b = 0; b < 2; b++) {
      assert_int_equal(cet_bootstrap_block_counts(&plan, r, rep, b, counts), CET_OK);
      for (uint64_t i = 0; i < cet_bootstrap_block_length(&plan, b); i++) {
        w[rep + 1][b * HB + i] = counts[i];
      }
    }
  }
  gsl_rng_free(r);

  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * 0.9);
  for (size_t o = 0; o < HO; o++) {
    double s1[HR + 1][HK], st[HR + 1][HK], s2[HR + 1][HK * HK];
    for (size_t rep = 0; rep <= HR; rep++) {
      by_hand(y, w[rep], o, s1[rep], st[rep], s2[rep]);
    }
    double f[HK], fc[HK], t[HK], tc[HK], sec[HK * HK], secc[HK * HK];
    assert_int_equal(cet_sobol_sums_indices(s, o, 0.9, f, fc, t, tc, sec, secc), CET_OK);
    for (size_t i = 0; i < HK; i++) {
      expect_close(f[i], s1[0][i], "S1", i);
      expect_close(t[i], st[0][i], "ST", i);
      double m1 = 0, mt = 0, q1 = 0, qt = 0;
      for (size_t rep = 1; rep <= HR; rep++) {
        m1 += s1[rep][i] / HR;
        mt += st[rep][i] / HR;
      }
      for (size_t rep = 1; rep <= HR; rep++) {
        q1 += (s1[rep][i] - m1) * (s1[rep][i] - m1);
        qt += (st[rep][i] - mt) * (st[rep][i] - mt);
      }
      expect_close(fc[i], z * sqrt(q1 / (HR - 1)), "S1 conf", i);
      expect_close(tc[i], z * sqrt(qt / (HR - 1)), "ST conf", i);
      for (size_t k = 0; k < HK; k++) {
        size_t at = i * HK + k;
        if (k <= i) {
          assert_true(isnan(sec[at]) && isnan(secc[at]));
          continue;
        }
        expect_close(sec[at], s2[0][at], "S2", at);
        double m2 = 0, q2 = 0;
        for (size_t rep = 1; rep <= HR; rep++) {
          m2 += s2[rep][at] / HR;
        }
        for (size_t rep = 1; rep <= HR; rep++) {
          q2 += (s2[rep][at] - m2) * (s2[rep][at] - m2);
        }
        expect_close(secc[at], z * sqrt(q2 / (HR - 1)), "S2 conf", at);
      }
    }
    /* mean and variance of the A and B outputs */
    double mean, var, sum = 0, sum_sq = 0;
    for (size_t j = 0; j < HN; j++) {
      double fa = y[(j * HROWS) * HO + o], fb = y[(j * HROWS + HROWS - 1) * HO + o];
      sum += fa + fb;
      sum_sq += fa * fa + fb * fb;
    }
    assert_int_equal(cet_sobol_sums_moments(s, o, &mean, &var), CET_OK);
    expect_close(mean, sum / (2 * HN), "mean", o);
    expect_close(var, sum_sq / (2 * HN) - (sum / (2 * HN)) * (sum / (2 * HN)), "variance", o);
  }
  /* any of the arrays may be left out */
  double f[HK];
  assert_int_equal(cet_sobol_sums_indices(s, 1, 0.5, f, NULL, NULL, NULL, NULL, NULL), CET_OK);

  /* replicates of output 0 only: the same estimates and intervals of
   * output 0, the same estimates of output 1 without intervals */
  cet_sobol_parameters p = *cet_sobol_design_parameters(d);
  p.bootstrap_outputs = 1;
  cet_sobol_design *d1 = NULL;
  cet_sobol_sums *s1 = NULL;
  cet_sobol_block *b1 = NULL;
  assert_int_equal(cet_sobol_design_create(&d1, &p), CET_OK);
  assert_int_equal(cet_sobol_sums_create(&s1, d1, HO), CET_OK);
  assert_int_equal(cet_sobol_block_create(&b1, d1, HO), CET_OK);
  assert_int_equal(cet_sobol_sums_add_block(s1, b1, 0, y), CET_OK);
  assert_int_equal(cet_sobol_sums_add_block(s1, b1, 1, y + HB * HROWS * HO), CET_OK);
  for (size_t o = 0; o < HO; o++) {
    double a[HK], ac[HK], b[HK], bc[HK], a2[HK * HK], b2[HK * HK];
    assert_int_equal(cet_sobol_sums_indices(s, o, 0.9, a, ac, NULL, NULL, a2, NULL), CET_OK);
    assert_int_equal(cet_sobol_sums_indices(s1, o, 0.9, b, bc, NULL, NULL, b2, NULL), CET_OK);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_equal(a2, b2, sizeof a2);
    for (size_t i = 0; i < HK; i++) {
      assert_true(o == 0 ? ac[i] == bc[i] : isnan(bc[i]));
    }
  }
  /* a plan with other bootstrap outputs does not merge */
  const void *bytes;
  size_t size;
  assert_int_equal(cet_sobol_sums_pack(s1, &bytes, &size), CET_OK);
  assert_int_equal(cet_sobol_sums_merge_bytes(s, bytes, size), CET_ERR_INPUT);
  cet_test_expect_message("bytes cannot be sums of this plan", NULL);
  assert_int_equal(cet_sobol_sums_merge(s, s1), CET_ERR_INPUT);
  cet_test_expect_message("cannot merge sums of another plan: bootstrap_outputs 1, expected 2",
                          NULL);
  cet_sobol_block_destroy(&b1);
  cet_sobol_sums_destroy(&s1);
  cet_sobol_design_destroy(&d1);

  cet_sobol_block_destroy(&blk);
  cet_sobol_sums_destroy(&s);
  assert_null(s);
  cet_sobol_sums_destroy(&s);
  cet_sobol_block_destroy(NULL);
  cet_sobol_design_destroy(&d);
}

/* ---- exact merging ----------------------------------------------------------- */

enum { MN = 64, MB = 8, MK = 4, MROWS = 2 * 3 + 2 };

static cet_sobol_sums *sums_of_blocks(const cet_sobol_design *d, const double *y,
                                      const uint64_t *blocks, size_t n) {
  cet_sobol_sums *s = NULL;
  cet_sobol_block *blk = NULL;
  assert_int_equal(cet_sobol_sums_create(&s, d, HO), CET_OK);
  assert_int_equal(cet_sobol_block_create(&blk, d, HO), CET_OK);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(cet_sobol_sums_add_block(s, blk, blocks[i], y + blocks[i] * MB * MROWS * HO),
                     CET_OK);
  }
  cet_sobol_block_destroy(&blk);
  return s;
}

static void expect_same_bits(cet_sobol_sums *a, cet_sobol_sums *b) {
  const void *pa, *pb;
  size_t na, nb;
  assert_int_equal(cet_sobol_sums_pack(a, &pa, &na), CET_OK);
  assert_int_equal(cet_sobol_sums_pack(b, &pb, &nb), CET_OK);
  assert_int_equal(na, nb);
  assert_memory_equal(pa, pb, na);
  double fa[3], fb[3], ca[3], cb[3], sa[9], sb[9];
  for (size_t o = 0; o < HO; o++) {
    assert_int_equal(cet_sobol_sums_indices(a, o, 0.95, fa, ca, NULL, NULL, sa, NULL), CET_OK);
    assert_int_equal(cet_sobol_sums_indices(b, o, 0.95, fb, cb, NULL, NULL, sb, NULL), CET_OK);
    assert_memory_equal(fa, fb, sizeof fa);
    assert_memory_equal(ca, cb, sizeof ca);
    assert_memory_equal(sa, sb, sizeof sa);
  }
}

static void test_merge_identical_bits(void **state) {
  (void)state;
  const size_t group_of[MK] = {0, 1, 2, 0}; /* 3 groups */
  cet_sobol_design *d = design(MK, 3, group_of, 1, MN, MB, 20);
  double *y = malloc(MN * MROWS * HO * sizeof *y);
  assert_non_null(y);
  evaluate(d, MN, y);
  static const uint64_t forward[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  static const uint64_t backward[8] = {7, 6, 5, 4, 3, 2, 1, 0};
  static const uint64_t part1[3] = {5, 0, 3}, part2[5] = {6, 1, 7, 4, 2};
  cet_sobol_sums *one = sums_of_blocks(d, y, forward, 8);
  cet_sobol_sums *back = sums_of_blocks(d, y, backward, 8);
  expect_same_bits(one, back);
  /* two shards merged either way, directly or through their bytes */
  cet_sobol_sums *p1 = sums_of_blocks(d, y, part1, 3), *p2 = sums_of_blocks(d, y, part2, 5);
  const void *bytes;
  size_t size;
  assert_int_equal(cet_sobol_sums_pack(p2, &bytes, &size), CET_OK);
  unsigned char *shifted = malloc(size + 1); /* bytes at an odd address */
  assert_non_null(shifted);
  memcpy(shifted + 1, bytes, size);
  assert_int_equal(cet_sobol_sums_merge_bytes(p1, shifted + 1, size), CET_OK);
  expect_same_bits(one, p1);
  cet_sobol_sums *q1 = sums_of_blocks(d, y, part1, 3), *q2 = sums_of_blocks(d, y, part2, 5);
  assert_int_equal(cet_sobol_sums_merge(q2, q1), CET_OK);
  expect_same_bits(one, q2);
  /* unpacking: bytes into an empty accumulator */
  cet_sobol_sums *copy = sums_of_blocks(d, y, NULL, 0);
  assert_int_equal(cet_sobol_sums_pack(one, &bytes, &size), CET_OK);
  assert_int_equal(cet_sobol_sums_merge_bytes(copy, bytes, size), CET_OK);
  expect_same_bits(one, copy);
  /* a part of the blocks still gives estimates (of those rows) */
  double f[3], fc[3];
  assert_int_equal(cet_sobol_sums_indices(q1, 0, 0.95, f, fc, NULL, NULL, NULL, NULL), CET_OK);
  assert_true(isfinite(f[0]) && isfinite(fc[0]));
  assert_int_equal(cet_sobol_sums_base_rows(q1), 3 * MB);

  /* errors: a block twice, overlapping shards, other plans, foreign bytes */
  cet_sobol_block *blk = NULL;
  assert_int_equal(cet_sobol_block_create(&blk, d, HO), CET_OK);
  assert_int_equal(cet_sobol_sums_add(q1, blk), CET_ERR_INPUT);
  cet_test_expect_message("Sobol' indices: the block holds no computed block", NULL);
  assert_int_equal(cet_sobol_sums_add_block(q1, blk, 3, y + 3 * MB * MROWS * HO), CET_ERR_INPUT);
  cet_test_expect_message("Sobol' indices: block 3 was already added", NULL);
  assert_int_equal(cet_sobol_block_compute(blk, 8, y), CET_ERR_INPUT);
  cet_test_expect_message("block 8 is beyond the last block 7 of 64 base rows by 8", NULL);
  assert_int_equal(cet_sobol_sums_merge(q1, p1), CET_ERR_INPUT);
  cet_test_expect_message("cannot merge sums that both hold block 0", NULL);
  cet_sobol_design *other = design(MK, 3, group_of, 1, MN, MB, 20);
  cet_sobol_sums *foreign = NULL;
  assert_int_equal(cet_sobol_sums_create(&foreign, other, HO), CET_OK);
  assert_int_equal(cet_sobol_block_compute(blk, 2, y + 2 * MB * MROWS * HO), CET_OK);
  assert_int_equal(cet_sobol_sums_add(foreign, blk), CET_ERR_INPUT);
  cet_test_expect_message("the block was computed for another design or number of outputs", NULL);
  cet_sobol_sums_destroy(&foreign);
  cet_sobol_design_destroy(&other);
  const size_t regrouped[MK] = {0, 1, 2, 1};
  other = design(MK, 3, regrouped, 1, MN, MB, 20);
  assert_int_equal(cet_sobol_sums_create(&foreign, other, HO), CET_OK);
  assert_int_equal(cet_sobol_sums_pack(foreign, &bytes, &size), CET_OK);
  assert_int_equal(cet_sobol_sums_merge_bytes(copy, bytes, size), CET_ERR_INPUT);
  cet_test_expect_message("cannot merge sums of another plan: group membership", NULL);
  cet_sobol_sums_destroy(&foreign);
  cet_sobol_design_destroy(&other);
  const cet_sobol_parameters *p = cet_sobol_design_parameters(d);
  cet_sobol_parameters q = *p;
  q.seed = 100;
  assert_int_equal(cet_sobol_design_create(&other, &q), CET_OK);
  assert_int_equal(cet_sobol_sums_create(&foreign, other, HO), CET_OK);
  assert_int_equal(cet_sobol_sums_merge(copy, foreign), CET_ERR_INPUT);
  cet_test_expect_message("cannot merge sums of another plan: seed 100, expected 99", NULL);
  cet_sobol_sums_destroy(&foreign);
  cet_sobol_design_destroy(&other);
  assert_int_equal(cet_sobol_sums_pack(one, &bytes, &size), CET_OK);
  assert_int_equal(cet_sobol_sums_merge_bytes(copy, bytes, size - 8), CET_ERR_INPUT);
  cet_test_expect_message("bytes cannot be sums of this plan", NULL);
  unsigned char *garbage = calloc(1, size);
  assert_non_null(garbage);
  assert_int_equal(cet_sobol_sums_merge_bytes(copy, garbage, size), CET_ERR_INPUT);
  cet_test_expect_message("the bytes are not Sobol' sums of layout version 1", NULL);
  free(garbage);
  cet_sobol_sums *wrong = NULL;
  assert_int_equal(cet_sobol_sums_create(&wrong, d, 0), CET_ERR_INPUT);
  cet_test_expect_message("expected at least one output", NULL);
  cet_sobol_block_destroy(&blk); /* a failing create sets blk to NULL */
  assert_int_equal(cet_sobol_block_create(&blk, d, 0), CET_ERR_INPUT);
  cet_test_expect_message("expected at least one output", NULL);

  free(shifted);
  free(y);
  cet_sobol_sums_destroy(&one);
  cet_sobol_sums_destroy(&back);
  cet_sobol_sums_destroy(&p1);
  cet_sobol_sums_destroy(&p2);
  cet_sobol_sums_destroy(&q1);
  cet_sobol_sums_destroy(&q2);
  cet_sobol_sums_destroy(&copy);
  cet_sobol_design_destroy(&d);
}

/* The compact bytes of a file: shards packed compactly merge into the bits
 * of one accumulator (sums of both signs), in a twentieth of the bytes; a
 * damaged compact string is an input error, never a crash or a wrong sum. */
static void test_compact_bytes(void **state) {
  (void)state;
  const size_t group_of[MK] = {0, 1, 2, 0};
  cet_sobol_design *d = design(MK, 3, group_of, 1, MN, MB, 20);
  double *y = malloc(MN * MROWS * HO * sizeof *y);
  assert_non_null(y);
  evaluate(d, MN, y);
  for (size_t i = 0; i < MN * MROWS * HO; i += 3) {
    y[i] = -y[i]; /* terms of both signs */
  }
  static const uint64_t all[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  static const uint64_t part1[3] = {5, 0, 3}, part2[5] = {6, 1, 7, 4, 2};
  cet_sobol_sums *one = sums_of_blocks(d, y, all, 8);
  cet_sobol_sums *p1 = sums_of_blocks(d, y, part1, 3), *p2 = sums_of_blocks(d, y, part2, 5);
  cet_sobol_sums *merged = sums_of_blocks(d, y, NULL, 0);
  unsigned char *c1 = NULL, *c2 = NULL;
  size_t n1 = 0, n2 = 0, full = 0;
  const void *image = NULL;
  assert_int_equal(cet_sobol_sums_pack_compact(p1, &c1, &n1), CET_OK);
  assert_int_equal(cet_sobol_sums_pack_compact(p2, &c2, &n2), CET_OK);
  assert_int_equal(cet_sobol_sums_pack(p2, &image, &full), CET_OK);
  assert_true(n2 < full / 8);
  assert_int_equal(cet_sobol_sums_merge_compact(merged, c2, n2), CET_OK);
  assert_int_equal(cet_sobol_sums_merge_compact(merged, c1, n1), CET_OK);
  expect_same_bits(one, merged);
  /* damaged: cut short, a byte too many, digits out of range, a count that
   * runs past the sum */
  cet_sobol_sums *fresh = sums_of_blocks(d, y, NULL, 0);
  assert_int_equal(cet_sobol_sums_merge_compact(fresh, c1, n1 - 1), CET_ERR_INPUT);
  cet_test_expect_message("Sobol' sums:", NULL);
  unsigned char *longer = malloc(n1 + 1);
  assert_non_null(longer);
  memcpy(longer, c1, n1);
  longer[n1] = 0;
  assert_int_equal(cet_sobol_sums_merge_compact(fresh, longer, n1 + 1), CET_ERR_INPUT);
  cet_test_expect_message("1 bytes left over", NULL);
  /* the first compact sum follows the header (17 words) and the block bits
   * (one word for 8 blocks) */
  const size_t head = 17 * sizeof(uint64_t) + sizeof(uint64_t);
  uint32_t bad = 80; /* first digit beyond the 72 */
  memcpy(c1 + head + sizeof(int64_t), &bad, sizeof bad);
  assert_int_equal(cet_sobol_sums_merge_compact(fresh, c1, n1), CET_ERR_INPUT);
  cet_test_expect_message("is out of its range", NULL);
  int64_t top = INT64_MAX;
  assert_int_equal(cet_sobol_sums_pack_compact(p1, &c1, &n1), CET_OK);
  memcpy(c1 + head, &top, sizeof top);
  assert_int_equal(cet_sobol_sums_merge_compact(fresh, c1, n1), CET_ERR_INPUT);
  cet_test_expect_message("is out of its range", NULL);
  assert_int_equal(cet_sobol_sums_merge_compact(fresh, c1, 8), CET_ERR_INPUT);
  cet_test_expect_message("bytes cannot be sums of this plan", NULL);
  assert_int_equal(cet_sobol_sums_blocks(fresh), 0);
  free(longer);
  free(c1);
  free(c2);
  free(y);
  cet_sobol_sums_destroy(&one);
  cet_sobol_sums_destroy(&p1);
  cet_sobol_sums_destroy(&p2);
  cet_sobol_sums_destroy(&merged);
  cet_sobol_sums_destroy(&fresh);
  cet_sobol_design_destroy(&d);
}

static void test_bad_outputs_and_requests(void **state) {
  (void)state;
  cet_sobol_design *d = design(2, 0, NULL, 0, 4, 2, 3); /* 4 rows per base row */
  cet_sobol_sums *s = NULL;
  cet_sobol_block *blk = NULL;
  assert_int_equal(cet_sobol_sums_create(&s, d, 2), CET_OK);
  assert_int_equal(cet_sobol_block_create(&blk, d, 2), CET_OK);
  double y[2 * 4 * 2];
  for (size_t i = 0; i < 16; i++) {
    y[i] = 1.0 + (double)i;
  }
  y[(4 + 2) * 2 + 1] = NAN; /* base row 1 (of block 1: row 3), row AB^1, output 1 */
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 1, y), CET_ERR_INPUT);
  cet_test_expect_message("output 1 of row AB of group 1 of base row 3 is not finite (nan)", NULL);
  y[(4 + 2) * 2 + 1] = 1.0;
  y[3 * 2] = INFINITY; /* base row 0, row B */
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 0, y), CET_ERR_INPUT);
  cet_test_expect_message("output 0 of row B of base row 0 is not finite (inf)", NULL);
  y[3 * 2] = 2e154; /* its square overflows */
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 0, y), CET_ERR_INPUT);
  cet_test_expect_message("the outputs of base row 0 are too large: their products overflow", NULL);
  /* squares that fit, but whose bootstrap sums over two rows do not */
  for (size_t i = 0; i < 16; i++) {
    y[i] = 9e153;
  }
  assert_int_equal(cet_sobol_block_compute(blk, 0, y), CET_OK);
  assert_int_equal(cet_sobol_sums_add(s, blk), CET_ERR_INPUT);
  cet_test_expect_message("a bootstrap sum of block 0 overflows", NULL);
  assert_int_equal(cet_sobol_sums_blocks(s), 0);

  /* an empty accumulator, and a constant output: NaN indices */
  double f[2], fc[2], t[2], mean, var;
  assert_int_equal(cet_sobol_sums_indices(s, 0, 0.95, f, fc, t, NULL, NULL, NULL), CET_OK);
  assert_true(isnan(f[0]) && isnan(fc[1]) && isnan(t[0]));
  assert_int_equal(cet_sobol_sums_moments(s, 0, &mean, &var), CET_OK);
  assert_true(isnan(mean) && isnan(var));
  for (size_t i = 0; i < 16; i++) {
    y[i] = 5.0;
  }
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 0, y), CET_OK);
  assert_int_equal(cet_sobol_sums_indices(s, 1, 0.95, f, fc, t, NULL, NULL, NULL), CET_OK);
  assert_true(isnan(f[0]) && isnan(f[1]) && isnan(t[1]));
  assert_int_equal(cet_sobol_sums_moments(s, 1, &mean, &var), CET_OK);
  assert_true(mean == 5.0 && var == 0.0);

  /* requests */
  assert_int_equal(cet_sobol_sums_indices(s, 2, 0.95, f, NULL, NULL, NULL, NULL, NULL),
                   CET_ERR_INPUT);
  cet_test_expect_message("Sobol' indices: output 2 of 2 asked", NULL);
  assert_int_equal(cet_sobol_sums_moments(s, 2, &mean, &var), CET_ERR_INPUT);
  cet_test_expect_message("output 2 of 2 asked", NULL);
  assert_int_equal(cet_sobol_sums_indices(s, 0, 1.0, f, NULL, NULL, NULL, NULL, NULL),
                   CET_ERR_INPUT);
  cet_test_expect_message("the confidence level must lie in (0, 1), found 1", NULL);
  double s2[4];
  assert_int_equal(cet_sobol_sums_indices(s, 0, 0.95, NULL, NULL, NULL, NULL, s2, NULL),
                   CET_ERR_INPUT);
  cet_test_expect_message("second-order indices need a design with second_order", NULL);
  cet_sobol_block_destroy(&blk);
  cet_sobol_sums_destroy(&s);
  cet_sobol_design_destroy(&d);

  /* without replicates the intervals are NaN */
  d = design(2, 0, NULL, 0, 4, 4, 0);
  assert_int_equal(cet_sobol_sums_create(&s, d, 1), CET_OK);
  assert_int_equal(cet_sobol_block_create(&blk, d, 1), CET_OK);
  double z[4 * 4];
  for (size_t i = 0; i < 16; i++) {
    z[i] = (double)(i * i % 7);
  }
  assert_int_equal(cet_sobol_sums_add_block(s, blk, 0, z), CET_OK);
  assert_int_equal(cet_sobol_sums_indices(s, 0, 0.95, f, fc, NULL, NULL, NULL, NULL), CET_OK);
  assert_true(isfinite(f[0]) && isnan(fc[0]));
  cet_sobol_block_destroy(&blk);
  cet_sobol_sums_destroy(&s);
  cet_sobol_design_destroy(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_design_rows),
      cmocka_unit_test(test_design_groups_without_coordinates),
      cmocka_unit_test(test_design_errors),
      cmocka_unit_test(test_hand_computation),
      cmocka_unit_test(test_merge_identical_bits),
      cmocka_unit_test(test_compact_bytes),
      cmocka_unit_test(test_bad_outputs_and_requests),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
