/*
 * test_price.c — unit tests of price.h: an AR(2) fit recovers the
 * coefficients of a synthetic series within their standard errors and AIC
 * finds its order; the forecast variance equals the psi-weight formula and
 * the spread of simulated paths; band quantiles hold in simulation (level
 * and log scale); correlated shocks reproduce the Cholesky correlation; the
 * residual correlation is estimated; every error path.
 */
#include "test_support.h"
#include "cetwin/csv.h"
#include "cetwin/error.h"
#include "cetwin/price.h"
#include "cetwin/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { N_HIST = 2000, BURN_IN = 200, N_PATHS = 20000, FIRST_YEAR = 1000 };

static const double C0 = 2.0, PHI1 = 0.5, PHI2 = -0.3, SIGMA = 1.0;

/* A synthetic AR(2) history x_t = C0 + PHI1 x_{t-1} + PHI2 x_{t-2} + e_t. */
static void ar2_series(double *x, size_t n, uint64_t index) {
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 2021, cet_rng_purpose("test_price.ar2"), index, 0);
  double a = C0 / (1 - PHI1 - PHI2), b = a;
  for (size_t t = 0; t < n + BURN_IN; t++) {
    double next = C0 + PHI1 * a + PHI2 * b + gsl_ran_gaussian(r, SIGMA);
    b = a;
    a = next;
    if (t >= BURN_IN) {
      x[t - BURN_IN] = next;
    }
  }
  gsl_rng_free(r);
}

static cet_price_model *fit_or_fail(const double *x, size_t n, const cet_price_ar_parameters *p) {
  cet_price_model *m = NULL;
  if (cet_price_fit_ar(&m, FIRST_YEAR, n, x, p) != CET_OK) {
    cet_error_print(stderr, 1);
    fail();
  }
  return m;
}

static void test_ar2_coefficients_within_standard_errors(void **state) {
  (void)state;
  static double x[N_HIST];
  ar2_series(x, N_HIST, 0);
  cet_price_ar_parameters p = cet_price_ar_default_parameters();
  p.order = 2;
  cet_price_model *m = fit_or_fail(x, N_HIST, &p);
  cet_price_ar_info info;
  assert_int_equal(cet_price_ar_get_info(m, &info), CET_OK);
  assert_int_equal(info.order, 2);
  assert_int_equal(info.n_eff, N_HIST - 2);
  assert_int_equal(info.first_year, FIRST_YEAR);
  assert_int_equal(info.last_year, FIRST_YEAR + N_HIST - 1);
  /* three standard errors: fails with probability ~0.3 % per coefficient
   * for a random seed; the seed here is fixed */
  assert_true(fabs(info.phi[0] - PHI1) < 3 * info.phi_se[0]);
  assert_true(fabs(info.phi[1] - PHI2) < 3 * info.phi_se[1]);
  assert_true(fabs(info.intercept - C0) < 3 * info.intercept_se);
  /* the standard errors themselves are of the asymptotic size
   * sqrt((1 - phi2^2) / n) for an AR(2) */
  double se_theory = sqrt((1 - PHI2 * PHI2) / N_HIST);
  assert_true(fabs(info.phi_se[0] / se_theory - 1.0) < 0.1);
  /* sigma^2 = 1 with relative sampling error sqrt(2 / n) ~ 3 % */
  assert_true(fabs(info.sigma2 - SIGMA * SIGMA) < 0.1);
  assert_true(isfinite(info.aic));
  assert_int_equal(cet_price_model_kind(m), CET_PRICE_AR);
  cet_price_destroy(&m);
  assert_null(m);
  cet_price_destroy(&m);
}

static void test_aic_finds_the_order(void **state) {
  (void)state;
  static double x[N_HIST];
  ar2_series(x, N_HIST, 1);
  cet_price_ar_parameters p = cet_price_ar_default_parameters();
  p.max_order = 6;
  cet_price_model *m = fit_or_fail(x, N_HIST, &p);
  cet_price_ar_info info;
  assert_int_equal(cet_price_ar_get_info(m, &info), CET_OK);
  assert_int_equal(info.order, 2);
  cet_price_destroy(&m);
}

/* psi weights by the impulse response of the recursion: a unit shock at
 * step 0 into a zero state, read at step j. */
static void impulse_response(const double *phi, int p, int h, double *psi) {
  double x[64] = {0};
  for (int j = 0; j < h; j++) {
    double v = j == 0 ? 1.0 : 0.0;
    for (int i = 1; i <= p && i <= j; i++) {
      v += phi[i - 1] * x[j - i];
    }
    x[j] = v;
    psi[j] = v;
  }
}

static void test_forecast_variance_is_psi_weight_sum(void **state) {
  (void)state;
  const double phi[3] = {0.9, -0.4, 0.2}, history[3] = {10.0, 12.0, 11.0};
  cet_price_ar_spec spec = {CET_PRICE_LEVEL, 3, 1.5, phi, 2.0, 2020, 3, history, 1};
  cet_price_model *m = NULL;
  assert_int_equal(cet_price_create_ar(&m, &spec), CET_OK);
  enum { H = 12 };
  double sd[H + 2], psi[H];
  /* two history years, then 12 forecast years */
  assert_int_equal(cet_price_forecast_sd(m, 2019, H + 2, sd), CET_OK);
  assert_true(sd[0] == 0.0 && sd[1] == 0.0);
  impulse_response(phi, 3, H, psi);
  double sum = 0.0;
  for (int h = 1; h <= H; h++) {
    sum += psi[h - 1] * psi[h - 1];
    assert_true(fabs(sd[h + 1] * sd[h + 1] - 4.0 * sum) < 1e-12 * sum);
  }
  /* the mean follows the deterministic recursion */
  double mean[H + 2];
  assert_int_equal(cet_price_forecast(m, 2019, H + 2, CET_PRICE_MEAN, mean), CET_OK);
  assert_true(mean[0] == 12.0 && mean[1] == 11.0);
  assert_true(fabs(mean[2] - (1.5 + 0.9 * 11.0 - 0.4 * 12.0 + 0.2 * 10.0)) < 1e-12);
  /* simulated paths have this spread: variance within 4 % at h = 1, 5, 12
   * (sampling error of a variance from 20000 draws is ~1 %) */
  gsl_rng *r = cet_rng_alloc();
  size_t steps = cet_price_shocks_needed(m, 2019, H + 2);
  assert_int_equal(steps, H);
  double shocks[H], path[H + 2];
  double s1[3] = {0}, s2[3] = {0};
  const int at[3] = {1, 5, 12};
  for (int k = 0; k < N_PATHS; k++) {
    cet_rng_stream(r, 7, cet_rng_purpose("test_price.paths"), (uint64_t)k, 0);
    for (int h = 0; h < H; h++) {
      shocks[h] = gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    assert_int_equal(cet_price_simulate(m, 2019, H + 2, shocks, path), CET_OK);
    assert_true(path[0] == 12.0 && path[1] == 11.0);
    for (int i = 0; i < 3; i++) {
      double d = path[at[i] + 1] - mean[at[i] + 1];
      s1[i] += d;
      s2[i] += d * d;
    }
  }
  for (int i = 0; i < 3; i++) {
    double var = s2[i] / N_PATHS - (s1[i] / N_PATHS) * (s1[i] / N_PATHS);
    double expect = sd[at[i] + 1] * sd[at[i] + 1];
    assert_true(fabs(var / expect - 1.0) < 0.04);
    assert_true(fabs(s1[i] / N_PATHS) < 5 * sqrt(expect / N_PATHS));
  }
  gsl_rng_free(r);
  cet_price_destroy(&m);
}

/* Fraction of simulated values at horizon h below each band. */
static void check_bands(const cet_price_model *m, int first_year, int h, double tol) {
  const size_t n_years = (size_t)h;
  double band[5][16];
  for (int b = CET_PRICE_LOWER95; b <= CET_PRICE_UPPER95; b++) {
    assert_int_equal(cet_price_forecast(m, first_year, n_years, (cet_price_band)b, band[b]),
                     CET_OK);
  }
  size_t steps = cet_price_shocks_needed(m, first_year, n_years);
  assert_true(steps <= 16);
  gsl_rng *r = cet_rng_alloc();
  double shocks[16], path[16];
  int below[5] = {0};
  double sum = 0.0;
  for (int k = 0; k < N_PATHS; k++) {
    cet_rng_stream(r, 8, cet_rng_purpose("test_price.bands"), (uint64_t)k, 0);
    for (size_t i = 0; i < steps; i++) {
      shocks[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    assert_int_equal(cet_price_simulate(m, first_year, n_years, shocks, path), CET_OK);
    double v = path[h - 1];
    sum += v;
    for (int b = 0; b < 5; b++) {
      below[b] += v < band[b][h - 1];
    }
  }
  const double expect[5] = {0.025, 0.125, -1.0, 0.875, 0.975};
  for (int b = 0; b < 5; b++) {
    if (expect[b] < 0) {
      continue;
    }
    double frac = (double)below[b] / N_PATHS;
    double se = sqrt(expect[b] * (1 - expect[b]) / N_PATHS);
    assert_true(fabs(frac - expect[b]) < 4 * se);
  }
  /* the MEAN band is the mean of the paths */
  assert_true(fabs(sum / N_PATHS - band[CET_PRICE_MEAN][h - 1]) <
              tol * fabs(band[CET_PRICE_MEAN][h - 1]));
  gsl_rng_free(r);
}

static void test_band_quantiles_level_and_log(void **state) {
  (void)state;
  const double phi[1] = {0.8}, hist[1] = {100.0};
  cet_price_ar_spec spec = {CET_PRICE_LEVEL, 1, 20.0, phi, 15.0, 2020, 1, hist, 1};
  cet_price_model *m = NULL;
  assert_int_equal(cet_price_create_ar(&m, &spec), CET_OK);
  check_bands(m, 2021, 8, 0.01);
  /* pessimistic / optimistic are the 95 % limits */
  double lo[3], mid[3], hi[3], q[3];
  assert_int_equal(cet_price_forecast(m, 2021, 3, CET_PRICE_PESSIMISTIC, lo), CET_OK);
  assert_int_equal(cet_price_forecast(m, 2021, 3, CET_PRICE_MEAN, mid), CET_OK);
  assert_int_equal(cet_price_forecast(m, 2021, 3, CET_PRICE_OPTIMISTIC, hi), CET_OK);
  assert_int_equal(cet_price_forecast_quantile(m, 2021, 3, 0.975, q), CET_OK);
  assert_true(fabs(hi[0] - (mid[0] + 1.959963985 * 15.0)) < 1e-6);
  assert_true(fabs(lo[0] - (mid[0] - 1.959963985 * 15.0)) < 1e-6);
  assert_true(fabs(q[2] - hi[2]) < 1e-9);
  cet_price_destroy(&m);
  spec.scale = CET_PRICE_LOG;
  spec.intercept = 0.2 * log(100.0);
  spec.sigma = 0.2;
  assert_int_equal(cet_price_create_ar(&m, &spec), CET_OK);
  check_bands(m, 2021, 8, 0.01);
  /* log scale, median variant: the MEAN band is the median exp(m) */
  spec.log_mean = 0;
  cet_price_model *med = NULL;
  assert_int_equal(cet_price_create_ar(&med, &spec), CET_OK);
  double a[2], b[2];
  assert_int_equal(cet_price_forecast(med, 2021, 2, CET_PRICE_MEAN, a), CET_OK);
  assert_int_equal(cet_price_forecast_quantile(med, 2021, 2, 0.5, b), CET_OK);
  assert_true(fabs(a[1] - b[1]) < 1e-9 * b[1]);
  double c[2];
  assert_int_equal(cet_price_forecast(m, 2021, 2, CET_PRICE_MEAN, c), CET_OK);
  assert_true(c[0] > a[0]); /* mean above median */
  cet_price_destroy(&med);
  cet_price_destroy(&m);
}

static void test_constant_path_and_history(void **state) {
  (void)state;
  cet_price_model *k = NULL, *p = NULL;
  assert_int_equal(cet_price_create_constant(&k, 42.0), CET_OK);
  assert_int_equal(cet_price_model_kind(k), CET_PRICE_CONSTANT);
  double out[4], sd[4];
  assert_int_equal(cet_price_forecast(k, 1900, 4, CET_PRICE_OPTIMISTIC, out), CET_OK);
  assert_true(out[0] == 42.0 && out[3] == 42.0);
  assert_int_equal(cet_price_forecast_sd(k, 1900, 4, sd), CET_OK);
  assert_true(sd[2] == 0.0);
  assert_int_equal(cet_price_shocks_needed(k, 1900, 4), 0);
  assert_int_equal(cet_price_simulate(k, 1900, 4, NULL, out), CET_OK);
  const double v[3] = {1.0, 2.0, 3.0};
  assert_int_equal(cet_price_create_path(&p, 2030, 3, v), CET_OK);
  assert_int_equal(cet_price_model_kind(p), CET_PRICE_PATH);
  assert_int_equal(cet_price_forecast(p, 2031, 2, CET_PRICE_LOWER75, out), CET_OK);
  assert_true(out[0] == 2.0 && out[1] == 3.0);
  cet_error_clear();
  assert_int_equal(cet_price_forecast(p, 2031, 3, CET_PRICE_MEAN, out), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "covers the years 2030..2032"));
  cet_error_clear();
  cet_price_ar_info info;
  assert_int_equal(cet_price_ar_get_info(p, &info), CET_ERR_INPUT);
  cet_error_clear();
  cet_price_destroy(&k);
  cet_price_destroy(&p);
}

static void test_yearly_means_of_monthly_csv(void **state) {
  (void)state;
  const char *text = "date,value\n2019-11,10\n2019-12,20\n2020-01,1\n2020-02,2\n2020-03,6\n"
                     "2021-06,7\n";
  cet_csv_series *s = NULL;
  assert_int_equal(cet_csv_parse_series(text, strlen(text), "cu.csv", &s), CET_OK);
  int first;
  size_t n;
  double *v = NULL;
  assert_int_equal(cet_price_yearly_means(
                       &(cet_price_observations){
                           .n = s->n, .year = s->year, .value = s->value, .source = s->source},
                       &first, &n, &v),
                   CET_OK);
  assert_int_equal(first, 2019);
  assert_int_equal(n, 3);
  assert_true(v[0] == 15.0 && v[1] == 3.0 && v[2] == 7.0);
  free(v);
  cet_csv_series_destroy(&s);
  const char *gap = "2018,1\n2020,2\n";
  assert_int_equal(cet_csv_parse_series(gap, strlen(gap), "gap.csv", &s), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_price_yearly_means(
                       &(cet_price_observations){
                           .n = s->n, .year = s->year, .value = s->value, .source = s->source},
                       &first, &n, &v),
                   CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "gap.csv: expected observations in every year"));
  assert_null(v);
  cet_error_clear();
  cet_csv_series_destroy(&s);
}

static void sample_correlation(const double *a, const double *b, int n, double *r) {
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  for (int i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  for (int i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  *r = sab / sqrt(saa * sbb);
}

static void test_correlated_shocks_reproduce_correlation(void **state) {
  (void)state;
  const double corr[9] = {1.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 1.0};
  const double phi[3] = {0.7, 0.5, 0.9}, sig[3] = {2.0, 0.5, 10.0}, h0[3] = {50, 5, 300};
  cet_price_model *m[4] = {NULL};
  for (int c = 0; c < 3; c++) {
    cet_price_ar_spec spec = {CET_PRICE_LEVEL, 1, 1.0, &phi[c], sig[c], 2020 - c, 1, &h0[c], 1};
    assert_int_equal(cet_price_create_ar(&m[c], &spec), CET_OK);
  }
  assert_int_equal(cet_price_create_constant(&m[3], 0.2), CET_OK);
  double corr4[16] = {0};
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) {
      corr4[i * 4 + j] = corr[i * 3 + j];
    }
  }
  corr4[15] = 1.0;
  cet_price_set *set = NULL;
  assert_int_equal(cet_price_set_create(&set, 4, (const cet_price_model *const *)m, corr4), CET_OK);
  assert_int_equal(cet_price_set_size(set), 4);
  double used[16];
  cet_price_set_correlation(set, used);
  assert_true(used[1] == 0.6);
  cet_price_workspace *ws = NULL;
  /* years 2021..2025; member 2 has history up to 2018, so the draws start
   * in 2019 and member 2's 2021 value already carries three shocks */
  assert_int_equal(cet_price_workspace_create(set, 2021, 5, &ws), CET_OK);
  assert_int_equal(cet_price_workspace_steps(ws), 7);
  gsl_rng *r = cet_rng_alloc();
  enum { LD = 6 };
  double out[4 * LD];
  static double e[3][N_PATHS];
  for (int k = 0; k < N_PATHS; k++) {
    cet_rng_stream(r, 9, cet_rng_purpose("test_price.set"), (uint64_t)k, 0);
    assert_int_equal(cet_price_set_draw(set, r, ws, out, LD), CET_OK);
    /* recover each member's shock of 2022 from its 2021 and 2022 values */
    for (int c = 0; c < 3; c++) {
      e[c][k] = (out[c * LD + 1] - 1.0 - phi[c] * out[c * LD + 0]) / sig[c];
    }
    assert_true(out[3 * LD + 4] == 0.2);
  }
  for (int a = 0; a < 3; a++) {
    for (int b = a + 1; b < 3; b++) {
      double rho;
      sample_correlation(e[a], e[b], N_PATHS, &rho);
      /* sampling sd of a correlation ~ (1 - rho^2) / sqrt(n) < 0.007 */
      assert_true(fabs(rho - corr[a * 3 + b]) < 0.03);
    }
  }
  gsl_rng_free(r);
  cet_price_workspace_destroy(&ws);
  assert_null(ws);
  cet_price_workspace_destroy(&ws);
  cet_price_set_destroy(&set);
  assert_null(set);
  cet_price_set_destroy(&set);
  for (int c = 0; c < 4; c++) {
    cet_price_destroy(&m[c]);
  }
}

static void test_correlation_estimated_from_residuals(void **state) {
  (void)state;
  enum { N = 400 };
  double x[N], y[N];
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 10, cet_rng_purpose("test_price.resid"), 0, 0);
  double a = 50, b = 20;
  for (int t = 0; t < N; t++) {
    double z1 = gsl_ran_gaussian(r, 1.0), z2 = gsl_ran_gaussian(r, 1.0);
    a = 10 + 0.8 * a + 2.0 * z1;
    b = 4 + 0.8 * b + 1.0 * (0.7 * z1 + sqrt(1 - 0.49) * z2);
    x[t] = a;
    y[t] = b;
  }
  gsl_rng_free(r);
  cet_price_ar_parameters p = cet_price_ar_default_parameters();
  p.order = 1;
  cet_price_model *m[2] = {NULL, NULL};
  assert_int_equal(cet_price_fit_ar(&m[0], 1600, N, x, &p), CET_OK);
  assert_int_equal(cet_price_fit_ar(&m[1], 1610, N - 10, y + 10, &p), CET_OK);
  cet_price_set *set = NULL;
  assert_int_equal(cet_price_set_create(&set, 2, (const cet_price_model *const *)m, NULL), CET_OK);
  double corr[4];
  cet_price_set_correlation(set, corr);
  assert_true(corr[0] == 1.0 && corr[3] == 1.0);
  assert_true(fabs(corr[1] - 0.7) < 0.1);
  assert_true(corr[1] == corr[2]);
  cet_price_set_destroy(&set);
  cet_price_destroy(&m[0]);
  cet_price_destroy(&m[1]);
}

static void expect(int status, const char *fragment) {
  assert_int_equal(status, CET_ERR_INPUT);
  if (strstr(cet_error_message(), fragment) == NULL) {
    fail_msg("message '%s' lacks '%s'", cet_error_message(), fragment);
  }
  cet_error_clear();
}

static void test_fit_and_model_errors(void **state) {
  (void)state;
  cet_price_model *m = NULL;
  cet_price_ar_parameters p = cet_price_ar_default_parameters();
  const double short_hist[5] = {1, 2, 3, 2, 1}, flat[12] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
  double hist[12] = {1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8};
  cet_error_clear();
  expect(cet_price_create_constant(&m, NAN), "finite");
  const double bad[2] = {1.0, INFINITY};
  expect(cet_price_create_path(&m, 2000, 2, bad), "found inf in year 2001");
  expect(cet_price_create_path(&m, 2000, 0, bad), "at least one value");
  expect(cet_price_fit_ar(&m, 2000, 5, short_hist, &p), "up to 4 needs at least 10");
  p.order = 2;
  expect(cet_price_fit_ar(&m, 2000, 5, short_hist, &p), "order 2 needs at least 6");
  expect(cet_price_fit_ar(&m, 2000, 12, flat, &p), "is constant");
  p.scale = CET_PRICE_LOG;
  hist[4] = -1.0;
  expect(cet_price_fit_ar(&m, 2000, 12, hist, &p), "expected prices > 0, found -1 in year 2004");
  hist[4] = 3.0;
  p.scale = (cet_price_scale)3;
  expect(cet_price_fit_ar(&m, 2000, 12, hist, &p), "scale must be level or log");
  p = cet_price_ar_default_parameters();
  p.order = CET_PRICE_MAX_ORDER + 1;
  expect(cet_price_fit_ar(&m, 2000, 12, hist, &p), "order must be 0");
  p.order = 0;
  p.max_order = 0;
  expect(cet_price_fit_ar(&m, 2000, 12, hist, &p), "max_order");
  hist[2] = NAN;
  expect(cet_price_fit_ar(&m, 2000, 12, hist, NULL), "expected finite values");
  hist[2] = 2.0;
  assert_null(m);
  /* the default parameters fit this 12-year history (orders up to 4) */
  assert_int_equal(cet_price_fit_ar(&m, 2000, 12, hist, NULL), CET_OK);
  double out[3], sd[3];
  expect(cet_price_forecast(m, 1999, 3, CET_PRICE_MEAN, out), "history starts in 2000");
  expect(cet_price_forecast(m, 2010, 0, CET_PRICE_MEAN, out), "at least one year");
  expect(cet_price_forecast(m, 2010, 3, (cet_price_band)7, out), "unknown band");
  expect(cet_price_forecast_quantile(m, 2010, 3, 1.0, out), "probability");
  expect(cet_price_forecast_sd(m, 1990, 3, sd), "history starts");
  expect(cet_price_simulate(m, 2010, 3, NULL, out), "shocks needed");
  cet_price_destroy(&m);
  /* given coefficients */
  const double phi[2] = {0.5, NAN}, h[2] = {1.0, 0.0};
  cet_price_ar_spec spec = {CET_PRICE_LEVEL, 2, 0.0, phi, 1.0, 2000, 2, h, 1};
  expect(cet_price_create_ar(&m, &spec), "phi_2 must be finite");
  spec.order = 0;
  expect(cet_price_create_ar(&m, &spec), "found order 0");
  spec.order = 1;
  spec.sigma = -1.0;
  expect(cet_price_create_ar(&m, &spec), "sigma");
  spec.sigma = 1.0;
  spec.intercept = NAN;
  expect(cet_price_create_ar(&m, &spec), "intercept");
  spec.intercept = 0.0;
  spec.n_history = 0;
  expect(cet_price_create_ar(&m, &spec), "needs at least 1 history");
  spec.n_history = 2;
  spec.scale = CET_PRICE_LOG;
  expect(cet_price_create_ar(&m, &spec), "expected history prices > 0, found 0 in year 2000");
  spec.scale = (cet_price_scale)5;
  expect(cet_price_create_ar(&m, &spec), "scale");
  assert_null(m);
}

static void test_set_errors(void **state) {
  (void)state;
  const double phi = 0.5, h = 1.0;
  cet_price_model *m[3] = {NULL};
  for (int c = 0; c < 3; c++) {
    cet_price_ar_spec spec = {CET_PRICE_LEVEL, 1, 0.0, &phi, 1.0, 2000, 1, &h, 1};
    assert_int_equal(cet_price_create_ar(&m[c], &spec), CET_OK);
  }
  const cet_price_model *const *mm = (const cet_price_model *const *)m;
  cet_price_set *s = NULL;
  const double not_pd[9] = {1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1};
  cet_error_clear();
  expect(cet_price_set_create(&s, 3, mm, not_pd), "not positive definite (smallest eigenvalue");
  const double asym[9] = {1, 0.5, 0, 0.4, 1, 0, 0, 0, 1};
  expect(cet_price_set_create(&s, 3, mm, asym), "symmetric");
  const double diag[9] = {1, 0, 0, 0, 0.9, 0, 0, 0, 1};
  expect(cet_price_set_create(&s, 3, mm, diag), "1 on the diagonal, found 0.9 at (2, 2)");
  const double range[9] = {1, 1.5, 0, 1.5, 1, 0, 0, 0, 1};
  expect(cet_price_set_create(&s, 3, mm, range), "[-1, 1]");
  expect(cet_price_set_create(&s, 3, mm, NULL), "given by its coefficients");
  expect(cet_price_set_create(&s, 0, mm, NULL), "at least one model");
  const cet_price_model *holes[2] = {m[0], NULL};
  const double id2[4] = {1, 0, 0, 1};
  expect(cet_price_set_create(&s, 2, holes, id2), "member 2 is missing");
  assert_null(s);
  /* three fitted members sharing only two residual years: a singular
   * estimate */
  double a[6] = {1, 2, 4, 3, 5, 4}, b[6] = {2, 1, 3, 5, 4, 6}, c[6] = {5, 3, 4, 2, 3, 1};
  cet_price_ar_parameters p = cet_price_ar_default_parameters();
  p.order = 1;
  cet_price_model *f[3] = {NULL};
  assert_int_equal(cet_price_fit_ar(&f[0], 2000, 6, a, &p), CET_OK);
  assert_int_equal(cet_price_fit_ar(&f[1], 2003, 6, b, &p), CET_OK);
  assert_int_equal(cet_price_fit_ar(&f[2], 2003, 6, c, &p), CET_OK);
  expect(cet_price_set_create(&s, 3, (const cet_price_model *const *)f, NULL),
         "not positive definite");
  cet_price_model *far = NULL;
  assert_int_equal(cet_price_fit_ar(&far, 2010, 6, a, &p), CET_OK);
  const cet_price_model *apart[2] = {f[0], far};
  expect(cet_price_set_create(&s, 2, apart, NULL), "share 0 year(s)");
  /* workspaces belong to their set */
  cet_price_set *s1 = NULL, *s2 = NULL;
  assert_int_equal(cet_price_set_create(&s1, 2, mm, id2), CET_OK);
  assert_int_equal(cet_price_set_create(&s2, 2, mm, id2), CET_OK);
  cet_price_workspace *ws = NULL;
  assert_int_equal(cet_price_workspace_create(s1, 2001, 3, &ws), CET_OK);
  double out[6], z[6] = {0};
  expect(cet_price_set_simulate(s2, z, ws, out, 3), "another set");
  gsl_rng *r = cet_rng_alloc();
  expect(cet_price_set_draw(s2, r, ws, out, 3), "another set");
  expect(cet_price_set_simulate(s1, z, ws, out, 2), "leading dimension");
  assert_int_equal(cet_price_set_simulate(s1, z, ws, out, 3), CET_OK);
  assert_true(out[0] == 0.5 && out[5] == 0.125); /* zero shocks: the mean path */
  cet_price_workspace *none = NULL;
  expect(cet_price_workspace_create(s1, 2001, 0, &none), "at least one year");
  gsl_rng_free(r);
  cet_price_workspace_destroy(&ws);
  cet_price_set_destroy(&s1);
  cet_price_set_destroy(&s2);
  for (int k = 0; k < 3; k++) {
    cet_price_destroy(&m[k]);
    cet_price_destroy(&f[k]);
  }
  cet_price_destroy(&far);
}

/* cet_price_set_simulate_batch gives, bit for bit, the paths of single
 * calls of cet_price_set_simulate: an AR(2) in log scale with a history
 * reaching into the years asked for, an AR(1) in level scale, a constant;
 * batches of 1..13 draws. A copy of a model forecasts the same bits. */
static void test_batch_equals_single_and_copy(void **state) {
  (void)state;
  enum { YEARS = 6, MAX = 13, LD = 7, STRIDE = MAX + 2 };
  double x[40];
  ar2_series(x, 40, 3);
  for (int i = 0; i < 40; i++) {
    x[i] = 50.0 + x[i];
  }
  cet_price_ar_parameters par = cet_price_ar_default_parameters();
  par.scale = CET_PRICE_LOG;
  par.order = 2;
  cet_price_model *m[3] = {NULL, NULL, NULL}, *copy = NULL;
  assert_int_equal(cet_price_fit_ar(&m[0], 1983, 40, x, &par), CET_OK); /* history to 2022 */
  double phi = 0.7, hist = 3.0;
  cet_price_ar_spec spec = {CET_PRICE_LEVEL, 1, 0.9, &phi, 0.4, 2020, 1, &hist, 1};
  assert_int_equal(cet_price_create_ar(&m[1], &spec), CET_OK);
  assert_int_equal(cet_price_create_constant(&m[2], 4.0), CET_OK);
  const double corr[9] = {1, 0.3, 0, 0.3, 1, 0, 0, 0, 1};
  cet_price_set *set = NULL;
  assert_int_equal(cet_price_set_create(&set, 3, (const cet_price_model *const *)m, corr), CET_OK);
  cet_price_workspace *one = NULL, *many = NULL;
  assert_int_equal(cet_price_workspace_create(set, 2021, YEARS, &one), CET_OK);
  assert_int_equal(cet_price_workspace_create_batch(set, 2021, YEARS, MAX, &many), CET_OK);
  size_t steps = cet_price_workspace_steps(many);
  const size_t per_draw = steps * 3;
  double *z = malloc(MAX * per_draw * sizeof *z), *zt = malloc(STRIDE * per_draw * sizeof *zt);
  double single[3 * LD], batch[STRIDE * 3 * LD];
  assert_true(z && zt);
  for (size_t i = 0; i < MAX * per_draw; i++) {
    z[i] = sin(1.3 * (double)i) * 1.7;
  }
  for (size_t count = 1; count <= MAX; count += 4) {
    for (size_t d = 0; d < count; d++) { /* draws innermost */
      for (size_t i = 0; i < per_draw; i++) {
        zt[i * STRIDE + d] = z[d * per_draw + i];
      }
    }
    assert_int_equal(cet_price_set_simulate_batch(set, count, STRIDE, zt, many, batch, LD), CET_OK);
    for (size_t d = 0; d < count; d++) {
      assert_int_equal(cet_price_set_simulate(set, z + d * per_draw, one, single, LD), CET_OK);
      for (size_t c = 0; c < 3; c++) {
        for (size_t t = 0; t < YEARS; t++) {
          double a = single[c * LD + t], b = batch[(c * LD + t) * STRIDE + d];
          assert_memory_equal(&a, &b, sizeof a);
        }
      }
    }
  }
  assert_int_equal(cet_price_set_simulate_batch(set, MAX + 1, STRIDE, z, many, batch, LD),
                   CET_ERR_INPUT);
  cet_test_expect_message("a batch of 14 draws exceeds the workspace's 13", NULL);
  assert_int_equal(cet_price_set_simulate_batch(set, 1, STRIDE, z, many, batch, 3), CET_ERR_INPUT);
  cet_test_expect_message("leading dimension 3", NULL);
  assert_int_equal(cet_price_set_simulate_batch(set, 5, 4, z, many, batch, LD), CET_ERR_INPUT);
  cet_test_expect_message("a stride of 4 cannot hold a batch of 5 draws", NULL);
  cet_price_workspace *none = NULL;
  assert_int_equal(cet_price_workspace_create_batch(set, 2021, YEARS, 0, &none), CET_ERR_INPUT);
  assert_null(none);
  cet_test_expect_message("a batch of at least one draw", NULL);
  assert_int_equal(cet_price_copy(m[0], &copy), CET_OK);
  double a[YEARS], b[YEARS];
  assert_int_equal(cet_price_forecast(m[0], 2021, YEARS, CET_PRICE_UPPER95, a), CET_OK);
  cet_price_destroy(&m[0]);
  assert_int_equal(cet_price_forecast(copy, 2021, YEARS, CET_PRICE_UPPER95, b), CET_OK);
  assert_memory_equal(a, b, sizeof a);
  free(z);
  free(zt);
  cet_price_workspace_destroy(&one);
  cet_price_workspace_destroy(&many);
  cet_price_set_destroy(&set);
  cet_price_destroy(&copy);
  cet_price_destroy(&m[1]);
  cet_price_destroy(&m[2]);
}

int main(void) {
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ar2_coefficients_within_standard_errors),
      cmocka_unit_test(test_aic_finds_the_order),
      cmocka_unit_test(test_forecast_variance_is_psi_weight_sum),
      cmocka_unit_test(test_band_quantiles_level_and_log),
      cmocka_unit_test(test_constant_path_and_history),
      cmocka_unit_test(test_yearly_means_of_monthly_csv),
      cmocka_unit_test(test_correlated_shocks_reproduce_correlation),
      cmocka_unit_test(test_correlation_estimated_from_residuals),
      cmocka_unit_test(test_fit_and_model_errors),
      cmocka_unit_test(test_set_errors),
      cmocka_unit_test(test_batch_equals_single_and_copy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
