/*
 * test_distribution.c — unit tests of distribution.h: sample moments agree
 * with the exact ones for every kind, both lognormal parametrisations
 * describe the same law, samples stay in the support, kind names round-trip,
 * and every invalid parameter is rejected with a message; the quantile
 * inverts the CDF for every kind, agrees with known values (scipy 1.10.1
 * stats.*.ppf), is the generalised inverse of a discrete law's steps, and
 * rejects probabilities outside [0, 1].
 */
#include "cetwin/distribution.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"

#include "test_support.h"

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

/* Quantile and CDF invert each other over the body of the law: cdf(q(p))
 * = p within 1e-12 (absolute) for p from 1e-9 to 1 - 1e-9, and q(cdf(x)) =
 * x within 1e-9 of the spread for x between the 0.1 % and 99.9 %
 * quantiles; q(0) and q(1) are the ends of the support. */
static void check_inverse(const cet_distribution_spec *spec) {
  static const double probabilities[] = {1e-9, 1e-6, 1e-3, 0.01,  0.1,      0.25,    0.5,
                                         0.7,  0.9,  0.99, 0.999, 1 - 1e-6, 1 - 1e-9};
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, spec), CET_OK);
  double lo, hi, x;
  cet_distribution_support(d, &lo, &hi);
  for (size_t i = 0; i < sizeof probabilities / sizeof probabilities[0]; i++) {
    double p = probabilities[i];
    assert_int_equal(cet_distribution_quantile(d, p, &x), CET_OK);
    assert_true(x >= lo && x <= hi);
    if (fabs(cet_distribution_cdf(d, x) - p) > 1e-12) {
      fprintf(stderr, "%s: cdf(q(%g)) = %.17g\n", cet_distribution_kind_name(spec->kind), p,
              cet_distribution_cdf(d, x));
      fail();
    }
  }
  double a, b, spread = sqrt(cet_distribution_variance(d));
  assert_int_equal(cet_distribution_quantile(d, 1e-3, &a), CET_OK);
  assert_int_equal(cet_distribution_quantile(d, 1 - 1e-3, &b), CET_OK);
  for (int i = 0; i <= 50; i++) {
    double v = a + (b - a) * i / 50.0;
    assert_int_equal(cet_distribution_quantile(d, cet_distribution_cdf(d, v), &x), CET_OK);
    if (fabs(x - v) > 1e-9 * spread) {
      fprintf(stderr, "%s: q(cdf(%.17g)) = %.17g\n", cet_distribution_kind_name(spec->kind), v, x);
      fail();
    }
  }
  assert_int_equal(cet_distribution_quantile(d, 0.0, &x), CET_OK);
  assert_true(x == lo);
  assert_int_equal(cet_distribution_quantile(d, 1.0, &x), CET_OK);
  assert_true(x == hi);
  assert_true(cet_distribution_cdf(d, lo) == 0.0 || lo == -INFINITY);
  assert_true(cet_distribution_cdf(d, hi) == 1.0);
  assert_true(isnan(cet_distribution_cdf(d, NAN)));
  cet_distribution_destroy(&d);
}

/* The quantile of d at p, which must succeed. */
static double quantile(const cet_distribution_spec *spec, double p) {
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, spec), CET_OK);
  double x = NAN;
  assert_int_equal(cet_distribution_quantile(d, p, &x), CET_OK);
  cet_distribution_destroy(&d);
  return x;
}

static void test_quantile_continuous(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_NORMAL);
  s.mean = 10.0;
  s.sd = 2.0;
  check_inverse(&s);
  assert_true(fabs(quantile(&s, 0.975) - (10.0 + 2.0 * 1.959963984540054)) < 1e-12);
  assert_true(quantile(&s, 0.5) == 10.0);
  s.sd = 0.0; /* a constant: every quantile is the value, the CDF a step */
  assert_true(quantile(&s, 0.3) == 10.0 && quantile(&s, 0.0) == 10.0);

  s = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  s.mu = 1.0;
  s.sigma = 0.5;
  check_inverse(&s);
  assert_true(fabs(quantile(&s, 0.2) - 1.7845912246608708) < 1e-13);
  s.sigma = 0.0;
  assert_true(quantile(&s, 0.9) == exp(1.0));
  s = cet_distribution_spec_init(CET_DIST_LOGNORMAL);
  s.lognormal_form = CET_LOGNORMAL_MOMENTS;
  s.mean = 40.0;
  s.sd = 12.0;
  check_inverse(&s);

  s = cet_distribution_spec_init(CET_DIST_UNIFORM);
  s.min = 2.0;
  s.max = 7.0;
  check_inverse(&s);
  assert_true(quantile(&s, 0.25) == 3.25);

  s = cet_distribution_spec_init(CET_DIST_TRIANGULAR);
  s.min = 10.0;
  s.mode = 12.0;
  s.max = 20.0;
  check_inverse(&s);
  assert_true(fabs(quantile(&s, 0.8) - 16.0) < 1e-13);
  assert_true(fabs(quantile(&s, 0.2) - 12.0) < 1e-13); /* F(mode) = 2 / 10 */
  s.mode = 10.0;
  check_inverse(&s);
  s.mode = 20.0;
  check_inverse(&s);

  s = cet_distribution_spec_init(CET_DIST_PERT);
  s.min = 100.0;
  s.mode = 130.0;
  s.max = 250.0;
  check_inverse(&s);
  assert_true(fabs(quantile(&s, 0.3) - 127.8874373461349) < 1e-9);
  s.min = 0.0;
  s.mode = 0.5;
  s.max = 1.0; /* beta(3, 3) */
  assert_true(fabs(quantile(&s, 0.1) - 0.2466364532884666) < 1e-12);
  assert_true(fabs(quantile(&s, 0.9) - 0.7533635467115334) < 1e-12);
  s.lambda = 9.0;
  s.mode = 0.0;
  check_inverse(&s);
  s.lambda = 1000.0; /* beta(1, 1001): GSL's gsl_cdf_beta_Pinv fails above p = 0.52 */
  check_inverse(&s);
  s.mode = 1.0;
  check_inverse(&s);
  s.lambda = 1e5; /* GSL's beta CDF itself is good to about 1e-11 here */
  s.mode = 0.3;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  for (double p = 0.05; p < 1.0; p += 0.1) {
    double x;
    assert_int_equal(cet_distribution_quantile(d, p, &x), CET_OK);
    assert_true(fabs(cet_distribution_cdf(d, x) - p) < 1e-10);
  }
  cet_distribution_destroy(&d);
}

static void test_quantile_discrete(void **state) {
  (void)state;
  /* 3 once, 1 once, 2 twice (merged), 0 with weight 0 (never returned):
   * P(1) = 1/4, P(2) = 1/2, P(3) = 1/4 */
  const double values[] = {3.0, 1.0, 2.0, 2.0, 0.0};
  const double weights[] = {1.0, 1.0, 1.0, 1.0, 0.0};
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_DISCRETE);
  s.n = 5;
  s.values = values;
  s.weights = weights;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  static const struct {
    double p, x;
  } expect[] = {{0.0, 1.0}, {1e-12, 1.0}, {0.25, 1.0}, {0.2500001, 2.0},
                {0.5, 2.0}, {0.75, 2.0},  {0.76, 3.0}, {1.0, 3.0}};
  for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
    double x;
    assert_int_equal(cet_distribution_quantile(d, expect[i].p, &x), CET_OK);
    assert_true(x == expect[i].x);
  }
  static const struct {
    double x, p;
  } cdf[] = {{0.0, 0.0},  {0.999, 0.0}, {1.0, 0.25}, {1.5, 0.25},
             {2.0, 0.75}, {2.9, 0.75},  {3.0, 1.0},  {1e9, 1.0}};
  for (size_t i = 0; i < sizeof cdf / sizeof cdf[0]; i++) {
    assert_true(cet_distribution_cdf(d, cdf[i].x) == cdf[i].p);
  }
  double lo, hi;
  cet_distribution_support(d, &lo, &hi);
  assert_true(lo == 1.0 && hi == 3.0);
  cet_distribution_destroy(&d);
  s.n = 1; /* a single value */
  assert_true(quantile(&s, 0.0) == 3.0 && quantile(&s, 0.5) == 3.0 && quantile(&s, 1.0) == 3.0);
}

static void test_quantile_errors(void **state) {
  (void)state;
  cet_distribution_spec s = cet_distribution_spec_init(CET_DIST_UNIFORM);
  s.max = 1.0;
  cet_distribution *d = NULL;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  static const double bad[] = {-0.1, 1.5, NAN, -INFINITY};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double x = 42.0;
    cet_error_clear();
    assert_int_equal(cet_distribution_quantile(d, bad[i], &x), CET_ERR_INPUT);
    assert_true(x == 42.0);
    assert_non_null(strstr(cet_error_message(),
                           "uniform distribution: the probability of a quantile must lie in "
                           "[0, 1], found"));
  }
  cet_error_clear();
  cet_distribution_destroy(&d);
  /* a pert so narrow that GSL cannot evaluate its beta CDF */
  s = cet_distribution_spec_init(CET_DIST_PERT);
  s.max = 1.0;
  s.mode = 0.5;
  s.lambda = 1e8;
  assert_int_equal(cet_distribution_create(&d, &s), CET_OK);
  double x;
  assert_int_equal(cet_distribution_quantile(d, 0.25, &x), CET_ERR_RUNTIME);
  cet_test_expect_message("pert distribution: GSL cannot evaluate the CDF of beta(5e+07, 5e+07)",
                          NULL);
  assert_true(isnan(cet_distribution_cdf(d, 0.5)));
  cet_distribution_destroy(&d);
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
      cmocka_unit_test(test_quantile_continuous),
      cmocka_unit_test(test_quantile_discrete),
      cmocka_unit_test(test_quantile_errors),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
