/*
 * test_morris_gfunction.c — Morris screening of Sobol's g-function,
 * f(x) = prod_i g_i(x_i), g_i(x) = (|4x - 2| + a_i) / (1 + a_i), x_i ~ U(0,
 * 1) (I. M. Sobol', Math. Comput. Simul. 47 (1998) 103-112; A. Saltelli
 * and I. M. Sobol', Reliab. Eng. Syst. Saf. 50 (1995) 225-239), with a =
 * (78, 12, 0.5, 2, 97, 33): the smaller a_i, the more x_i matters (its
 * first-order variance is 1 / (3 (1 + a_i)^2) times the others'), so the
 * importance order is x3, x4, x2, x6, x1, x5.
 *
 * On the 4-level grid (Delta = 2/3) the expected mu* is known exactly: a
 * step of x_i changes |4x - 2| between 2 and 2/3, so |EE_i| = 2 / (1 +
 * a_i) times the product of the other g_j, and each other factor sits, with
 * probability 1/2 each, where |4x - 2| is 2 or 2/3, independently, so
 *   mu*_i = 2 / (1 + a_i) prod_{j != i} (4/3 + a_j) / (1 + a_j).
 * Checks: with 100 trajectories (no selection) every mu* lies within twice
 * its 95 % bootstrap half-width of that value, and every sigma is positive
 * (the factors interact); trajectories chosen for spread (20 of 100
 * candidates) and the radial design (50 base points; its mu*_i is
 * proportional to 1 / (1 + a_i)) rank the factors in the order above, the
 * two negligible ones (a = 78, 97) last in either order.
 */
#include "cetwin/error.h"
#include "cetwin/morris.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

enum { K = 6 };
static const double A[K] = {78.0, 12.0, 0.5, 2.0, 97.0, 33.0};

static double gfunction(const double *x) {
  double f = 1.0;
  for (size_t i = 0; i < K; i++) {
    f *= (fabs(4.0 * x[i] - 2.0) + A[i]) / (1.0 + A[i]);
  }
  return f;
}

/* mu*, its half-width and sigma of a design's g-function outputs. */
static void screen(const cet_morris_parameters *p, double *mu_star, double *conf, double *sigma) {
  cet_morris_design *d = NULL;
  assert_int_equal(cet_morris_design_create(&d, p), CET_OK);
  size_t n = cet_morris_design_points(d);
  const double *x = cet_morris_design_matrix(d);
  double *y = malloc(n * sizeof *y), *ee = malloc(p->trajectories * K * sizeof *ee);
  assert_true(y && ee);
  for (size_t i = 0; i < n; i++) {
    y[i] = gfunction(x + i * K);
  }
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_OK);
  assert_int_equal(cet_morris_statistics(d, ee, 1, 0, 0.95, NULL, mu_star, sigma, conf), CET_OK);
  free(y);
  free(ee);
  cet_morris_design_destroy(&d);
}

static void test_mu_star_expected(void **state) {
  (void)state;
  cet_morris_parameters p = cet_morris_default_parameters();
  p.factors = K;
  p.trajectories = 100;
  p.seed = 2007;
  double mu_star[K], conf[K], sigma[K];
  screen(&p, mu_star, conf, sigma);
  for (size_t i = 0; i < K; i++) {
    double expected = 2.0 / (1.0 + A[i]);
    for (size_t j = 0; j < K; j++) {
      expected *= j == i ? 1.0 : (4.0 / 3.0 + A[j]) / (1.0 + A[j]);
    }
    if (!(fabs(mu_star[i] - expected) <= 2.0 * conf[i] && sigma[i] > 0.0)) {
      fprintf(stderr, "x%zu: mu* = %.5f +- %.5f, expected %.5f, sigma %g\n", i + 1, mu_star[i],
              conf[i], expected, sigma[i]);
      fail();
    }
  }
}

/* mu* ranks x3, x4, x2, x6, then x1 and x5 in either order. */
static void expect_ranking(const double *mu_star) {
  static const size_t order[4] = {2, 3, 1, 5};
  for (size_t q = 0; q + 1 < 4; q++) {
    assert_true(mu_star[order[q]] > mu_star[order[q + 1]]);
  }
  assert_true(mu_star[5] > mu_star[0] && mu_star[5] > mu_star[4]);
}

static void test_ranking(void **state) {
  (void)state;
  cet_morris_parameters p = cet_morris_default_parameters();
  p.factors = K;
  p.trajectories = 20;
  p.candidates = 100;
  p.seed = 7;
  p.resamples = 0;
  double mu_star[K], sigma[K];
  screen(&p, mu_star, NULL, sigma);
  expect_ranking(mu_star);
  p = cet_morris_default_parameters();
  p.factors = K;
  p.trajectories = 50;
  p.radial = 1;
  p.seed = 7;
  screen(&p, mu_star, NULL, sigma);
  expect_ranking(mu_star);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mu_star_expected),
      cmocka_unit_test(test_ranking),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
