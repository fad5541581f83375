/*
 * test_distribution.c — unit tests of distribution.h: sample moments agree
 * with the exact ones for every kind, both lognormal parametrisations
 * describe the same law, samples stay in the support, kind names round-trip,
 * and every invalid parameter is rejected with a message.
 */
#include "cetwin/distribution.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

enum { N_DRAWS = 200000 };

/* Draws N_DRAWS values and checks mean and variance against the exact ones:
 * the mean within 5 standard errors, the variance within 5 % (the sampling
 * error of a variance is sd^2 sqrt(2 / n) ~ 0.3 % for light tails, larger
 * for the lognormal and the skewed discrete law below). */
static void check_moments(const cet_distribution_spec *spec, uint64_t index) {
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, spec), CET_OK);
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 17, cet_rng_purpose("test_distribution"), index, 0);
  double lo, hi;
  cet_distribution_support(d, &lo, &hi);
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < N_DRAWS; i++) {
    double x = cet_distribution_sample(d, r);
    assert_true(x >= lo && x <= hi);
    sum += x;
    sum2 += x * x;
  }
  double mean = sum / N_DRAWS, var = sum2 / N_DRAWS - mean * mean;
  double m = cet_distribution_mean(d), v = cet_distribution_variance(d);
  assert_true(fabs(mean - m) < 5.0 * sqrt(v / N_DRAWS));
  assert_true(fabs(var - v) < 0.05 * v);
  double x[4];
  cet_distribution_sample_n(d, r, x, 4);
  for (int i = 0; i < 4; i++) {
    assert_true(x[i] >= lo && x[i] <= hi);
  }
  gsl_rng_free(r);
  cet_distribution_destroy(&d);
  assert_null(d);
}

static void test_normal_uniform_triangular(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_NORMAL);
  s.mean = -3.0;
  s.sd = 2.5;
  check_moments(&s, 1);
  s = cet_distribution_spec_init(CET_DIST_UNIFORM);
  s.min = 2.0;
  s.max = 7.0;
  check_moments(&s, 2);
  s = cet_distribution_spec_init(CET_DIST_TRIANGULAR);
  s.min = 10.0;
  s.mode = 12.0;
  s.max = 20.0;
  check_moments(&s, 3);
  s.mode = 10.0; /* mode at an end */
  check_moments(&s, 4);
}

static void test_pert_mean_formula(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_PERT);
  assert_true(s.lambda == 4.0);
  s.min = 100.0;
  s.mode = 130.0;
  s.max = 250.0;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  /* the classical PERT mean (min + 4 mode + max) / 6 */
  assert_true(fabs(cet_distribution_mean(d) - (100.0 + 4 * 130.0 + 250.0) / 6.0) < 1e-12);
  cet_distribution_destroy(&d);
  check_moments(&s, 5);
  s.lambda = 9.0;
  check_moments(&s, 6);
}

static void test_lognormal_forms_agree(void **state) {
  (void)state;
  cet_distribution_spec a = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  a.lognormal_form = CET_LOGNORMAL_MOMENTS;
  a.mean = 40.0;
  a.sd = 12.0;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &a), CET_OK);
  assert_true(fabs(cet_distribution_mean(d) - 40.0) < 1e-12);
  assert_true(fabs(cet_distribution_variance(d) - 144.0) < 1e-9);
  cet_distribution_destroy(&d);
  check_moments(&a, 7);

  double sigma2 = log(1.0 + (12.0 / 40.0) * (12.0 / 40.0));
  cet_distribution_spec b = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  b.mu = log(40.0) - 0.5 * sigma2;
  b.sigma = sqrt(sigma2);
  cet_distribution *da = NULL, *db = NULL;
  assert_int_equal(cet_distribution_create(&da, &a), CET_OK);
  assert_int_equal(cet_distribution_create(&db, &b), CET_OK);
  gsl_rng *r = cet_rng_alloc();
  for (uint64_t k = 0; k < 100; k++) {
    cet_rng_stream(r, 1, 2, k, 0);
    double xa = cet_distribution_sample(da, r);
    cet_rng_stream(r, 1, 2, k, 0);
    double xb = cet_distribution_sample(db, r);
    assert_true(fabs(xa - xb) <= 1e-12 * xa);
  }
  gsl_rng_free(r);
  cet_distribution_destroy(&da);
  cet_distribution_destroy(&db);
  check_moments(&b, 8);
}

static void test_discrete(void **state) {
  (void)state;
  const double values[] = {-5.0, 0.0, 10.0, 100.0};
  const double weights[] = {1.0, 2.0, 0.0, 1.0};
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_DISCRETE);
  s.n = 4;
  s.values = values;
  s.weights = weights;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  assert_true(fabs(cet_distribution_mean(d) - (-5.0 + 100.0) / 4.0) < 1e-12);
  double lo, hi;
  cet_distribution_support(d, &lo, &hi);
  assert_true(lo == -5.0 && hi == 100.0);
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 4, 4, 4, 4);
  for (int i = 0; i < 10000; i++) {
    assert_true(cet_distribution_sample(d, r) != 10.0); /* zero weight never drawn */
  }
  gsl_rng_free(r);
  cet_distribution_destroy(&d);
  check_moments(&s, 9);
  s.weights = NULL; /* empirical: equal weights */
  check_moments(&s, 10);
}

static void test_kind_names(void **state) {
  (void)state;
  for (int k = CET_DIST_NORMAL; k <= CET_DIST_DISCRETE; k++) {
    cet_dist_kind back;
    assert_int_equal(cet_distribution_kind_from_name(cet_distribution_kind_name(k), &back), CET_OK);
    assert_int_equal(back, k);
  }
  cet_dist_kind kind;
  cet_error_clear();
  assert_int_equal(cet_distribution_kind_from_name("gamma", &kind), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "'gamma'"));
  assert_non_null(strstr(cet_error_message(), "pert"));
  assert_string_equal(cet_distribution_kind_name((cet_dist_kind)99), "unknown");
  cet_error_clear();
}

static void expect_invalid(const cet_distribution_spec *s, const char *fragment) {
  static char sentinel;
  cet_distribution *d = (cet_distribution *)(void *)&sentinel; /* must be reset to NULL */
  cet_error_clear();
  assert_int_equal(cet_distribution_create(&d, s), CET_ERR_INPUT);
  assert_null(d);
  assert_non_null(strstr(cet_error_message(), fragment));
  cet_error_clear();
}

static void test_invalid_parameters(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_NORMAL);
  s.sd = -1.0;
  expect_invalid(&s, "sd must be >= 0");
  s.sd = NAN;
  expect_invalid(&s, "finite");
  s = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  s.sigma = -0.1;
  expect_invalid(&s, "sigma");
  s.sigma = 0.1;
  s.mu = INFINITY;
  expect_invalid(&s, "mu must be a finite");
  s = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  s.lognormal_form = CET_LOGNORMAL_MOMENTS;
  s.mean = 0.0;
  s.sd = 1.0;
  expect_invalid(&s, "must be > 0");
  s.mean = 1.0;
  s.sd = -1.0;
  expect_invalid(&s, "must be >= 0");
  s.lognormal_form = (cet_lognormal_form)7;
  expect_invalid(&s, "parametrisation");
  s = cet_distribution_spec_init(CET_DIST_UNIFORM);
  s.min = 3.0;
  s.max = 3.0;
  expect_invalid(&s, "min < max");
  s.max = NAN;
  expect_invalid(&s, "max must be a finite");
  s = cet_distribution_spec_init(CET_DIST_TRIANGULAR);
  s.min = 0.0;
  s.max = 1.0;
  s.mode = 2.0;
  expect_invalid(&s, "mode 2 outside [0, 1]");
  s.kind = CET_DIST_PERT;
  s.mode = 0.5;
  s.lambda = 0.0;
  expect_invalid(&s, "lambda");
  s = cet_distribution_spec_init(CET_DIST_DISCRETE);
  expect_invalid(&s, "at least one value");
  const double v[] = {1.0, NAN}, w[] = {1.0, -1.0}, z[] = {0.0, 0.0};
  s.n = 2;
  s.values = v;
  expect_invalid(&s, "value 2 must be finite");
  const double ok[] = {1.0, 2.0};
  s.values = ok;
  s.weights = w;
  expect_invalid(&s, "weight 2");
  s.weights = z;
  expect_invalid(&s, "not all be zero");
  s.kind = (cet_dist_kind)42;
  expect_invalid(&s, "unknown distribution kind");
  cet_distribution_destroy(NULL);
}

static void test_kind_of_a_distribution(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_TRIANGULAR);
  s.min = 0;
  s.mode = 1;
  s.max = 3;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  assert_int_equal(cet_distribution_kind(d), CET_DIST_TRIANGULAR);
  cet_distribution_destroy(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_normal_uniform_triangular),
      cmocka_unit_test(test_pert_mean_formula),
      cmocka_unit_test(test_lognormal_forms_agree),
      cmocka_unit_test(test_discrete),
      cmocka_unit_test(test_kind_names),
      cmocka_unit_test(test_invalid_parameters),
      cmocka_unit_test(test_kind_of_a_distribution),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
