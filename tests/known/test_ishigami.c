/*
 * test_ishigami.c — Sobol' indices of the Ishigami function (Ishigami and
 * Homma 1990) f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi),
 * a = 7, b = 0.1, against their analytic values (e.g. Saltelli et al.,
 * Global Sensitivity Analysis: The Primer, 2008, sec. 4.7; Sobol' and
 * Levitan 1999):
 *   V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V3 = 0,
 *   V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225, V12 = V23 = V123 = 0,
 *   V = V1 + V2 + V13 = 13.8446,
 *   S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437), S13 = 0.2437.
 * With x1 and x3 in one group G and x2 alone: S_G = (V1 + V3 + V13) / V =
 * 0.5576 and ST_G = 1 - S_x2 = 0.5576 (x2 does not interact), S_x2 = ST_x2
 * = 0.4424.
 *
 * Checks: at N = 2^14 base rows every estimate (3 S1, 3 ST, 3 S2) lies
 * within its 95 % bootstrap interval (100 replicates, blocks of 256) of the
 * analytic value, for five seeds; the intervals shrink from N = 2^10 to 2^12
 * to 2^14 (by about 2 each time, as 1 / sqrt(N)); the grouped analysis
 * gives the group's closed index. The bootstrap resamples base rows as if
 * they were independent, so for the scrambled Sobol' points its intervals
 * are wide: the errors measured are smaller (1e-4 to 3e-3 at 2^14 against
 * half-widths of 0.006 to 0.03), which the test also checks (every error
 * below 0.01).
 */
#include "cetwin/error.h"
#include "cetwin/sobol_indices.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

static const double A = 7.0, B = 0.1, PI = 3.14159265358979323846;

enum { BLOCK = 256, REPLICATES = 100 };

/* Analytic partial variances. */
static double v1(void) { return 0.5 * pow(1.0 + B * pow(PI, 4) / 5.0, 2); }
static double v2(void) { return A * A / 8.0; }
static double v13(void) { return 8.0 * B * B * pow(PI, 8) / 225.0; }
static double total_variance(void) { return v1() + v2() + v13(); }

static double ishigami(const double *u) {
  double x1 = -PI + 2.0 * PI * u[0], x2 = -PI + 2.0 * PI * u[1];
  double x3 = -PI + 2.0 * PI * u[2], s2 = sin(x2);
  return sin(x1) + A * s2 * s2 + B * pow(x3, 4) * sin(x1);
}

/* Estimates and half-widths (95 %) of an analysis of N base rows. */
typedef struct {
  double s1[3], s1c[3], st[3], stc[3], s2[9], s2c[9];
} estimates;

static void analyse(uint64_t n, uint64_t seed, size_t groups, const size_t *group_of,
                    estimates *e) {
  cet_sobol_parameters p = cet_sobol_default_parameters();
  p.factors = 3;
  p.groups = groups;
  p.group_of = group_of;
  p.second_order = 1;
  p.seed = seed;
  p.base_rows = n;
  p.block = BLOCK;
  p.replicates = REPLICATES;
  cet_sobol_design *d = NULL;
  cet_sobol_sums *s = NULL;
  cet_sobol_block *blk = NULL;
  assert_int_equal(cet_sobol_design_create(&d, &p), CET_OK);
  assert_int_equal(cet_sobol_sums_create(&s, d, 1), CET_OK);
  assert_int_equal(cet_sobol_block_create(&blk, d, 1), CET_OK);
  size_t rows = cet_sobol_design_rows(d);
  double *x = malloc(rows * 3 * sizeof *x), *y = malloc(BLOCK * rows * sizeof *y);
  assert_true(x && y);
  for (uint64_t b = 0; b * BLOCK < n; b++) {
    for (uint64_t j = b * BLOCK; j < n && j < (b + 1) * BLOCK; j++) {
      assert_int_equal(cet_sobol_design_fill(d, j, x), CET_OK);
      for (size_t r = 0; r < rows; r++) {
        y[(j - b * BLOCK) * rows + r] = ishigami(x + 3 * r);
      }
    }
    assert_int_equal(cet_sobol_sums_add_block(s, blk, b, y), CET_OK);
  }
  assert_int_equal(cet_sobol_sums_indices(s, 0, 0.95, e->s1, e->s1c, e->st, e->stc, e->s2, e->s2c),
                   CET_OK);
  free(x);
  free(y);
  cet_sobol_block_destroy(&blk);
  cet_sobol_sums_destroy(&s);
  cet_sobol_design_destroy(&d);
}

/* The estimate lies within its interval of the analytic value, and within
 * 0.01 of it. */
static void expect_within(const char *what, double estimate, double half_width, double exact) {
  double error = fabs(estimate - exact);
  if (!(error <= half_width && error < 0.01)) {
    fprintf(stderr, "%s = %.5f +- %.5f, analytic %.5f\n", what, estimate, half_width, exact);
    fail();
  }
}

static void test_indices_within_intervals(void **state) {
  (void)state;
  double v = total_variance();
  double s1[3] = {v1() / v, v2() / v, 0.0};
  double st[3] = {(v1() + v13()) / v, v2() / v, v13() / v};
  assert_true(fabs(s1[0] - 0.3139) < 1e-4 && fabs(s1[1] - 0.4424) < 1e-4);
  assert_true(fabs(st[0] - 0.5576) < 1e-4 && fabs(st[2] - 0.2437) < 1e-4);
  for (uint64_t seed = 1; seed <= 5; seed++) {
    estimates e;
    analyse(UINT64_C(1) << 14, seed, 0, NULL, &e);
    for (int i = 0; i < 3; i++) {
      expect_within("S1", e.s1[i], e.s1c[i], s1[i]);
      expect_within("ST", e.st[i], e.stc[i], st[i]);
    }
    expect_within("S12", e.s2[0 * 3 + 1], e.s2c[0 * 3 + 1], 0.0);
    expect_within("S13", e.s2[0 * 3 + 2], e.s2c[0 * 3 + 2], v13() / v);
    expect_within("S23", e.s2[1 * 3 + 2], e.s2c[1 * 3 + 2], 0.0);
  }
}

/* From 2^10 to 2^12 to 2^14 base rows every half-width shrinks by a factor
 * between 1.5 and 2.7 (2 for a 1 / sqrt(N) law). */
static void test_intervals_shrink(void **state) {
  (void)state;
  estimates e[3];
  for (int k = 0; k < 3; k++) {
    analyse(UINT64_C(1) << (10 + 2 * k), 2024, 0, NULL, &e[k]);
  }
  for (int k = 0; k < 2; k++) {
    const double *wide[] = {e[k].s1c, e[k].stc}, *narrow[] = {e[k + 1].s1c, e[k + 1].stc};
    for (int m = 0; m < 2; m++) {
      for (int i = 0; i < 3; i++) {
        double ratio = wide[m][i] / narrow[m][i];
        assert_true(ratio > 1.5 && ratio < 2.7);
      }
    }
    static const int pairs[3] = {1, 2, 5};
    for (int q = 0; q < 3; q++) {
      double ratio = e[k].s2c[pairs[q]] / e[k + 1].s2c[pairs[q]];
      assert_true(ratio > 1.5 && ratio < 2.7);
    }
  }
}

static void test_group_x1_x3(void **state) {
  (void)state;
  const size_t group_of[3] = {0, 1, 0};
  double v = total_variance();
  double closed = (v1() + v13()) / v, alone = v2() / v;
  assert_true(fabs(closed - 0.5576) < 1e-4);
  estimates e;
  analyse(UINT64_C(1) << 14, 2024, 2, group_of, &e);
  expect_within("S_G", e.s1[0], e.s1c[0], closed);
  expect_within("ST_G", e.st[0], e.stc[0], 1.0 - alone);
  expect_within("S_x2", e.s1[1], e.s1c[1], alone);
  expect_within("ST_x2", e.st[1], e.stc[1], alone);
  expect_within("S_G,x2", e.s2[1], e.s2c[1], 0.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_indices_within_intervals),
      cmocka_unit_test(test_intervals_shrink),
      cmocka_unit_test(test_group_x1_x3),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
