/*
 * price.c — price models: constant, path, AR(p) fitted by least squares
 * with AIC order selection, forecasts with bands, stochastic paths and
 * correlated shocks (see include/cetwin/price.h).
 */
#include "price_impl.h"

#include "vexp.h"

#include "cetwin/clones.h"

#include "cetwin/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Default upper bound of the AIC order search: yearly price histories of a
 * few decades rarely support more. */
enum { DEFAULT_MAX_ORDER = 4 };

/* Draws handled together in the vector lanes of the batched paths, as one
 * vector value (GCC/Clang vector extension: element-wise arithmetic, each
 * lane the same operations as a scalar, so the same bits). */
enum { BATCH_LANES = 8 };
typedef double batch_lanes __attribute__((vector_size(BATCH_LANES * sizeof(double))));

/* Smallest eigenvalue a correlation matrix must exceed to be used. */
static const double PD_TOLERANCE = 1e-12;
/* Allowed asymmetry and deviation of the diagonal from 1 of a given
 * correlation matrix. */
static const double CORR_TOLERANCE = 1e-12;

/* Normal quantiles of the bands: 2.5 %, 12.5 %, 50 %, 87.5 %, 97.5 %. */
static const double BAND_PROBABILITY[] = {0.025, 0.125, 0.5, 0.875, 0.975};

cet_price_ar_parameters cet_price_ar_default_parameters(void) {
  cet_price_ar_parameters p;
  p.scale = CET_PRICE_LEVEL;
  p.order = 0;
  p.max_order = DEFAULT_MAX_ORDER;
  p.log_mean = 1;
  return p;
}

/* ---- lifecycle ---------------------------------------------------------- */

void cet_price_destroy(cet_price_model **m) {
  if (m == NULL || *m == NULL) {
    return;
  }
  free((*m)->values);
  free((*m)->residual);
  free(*m);
  *m = NULL;
}

static double *copy_array(const double *src, size_t n) {
  double *d = malloc((n ? n : 1) * sizeof *d);
  if (d != NULL && n > 0) {
    memcpy(d, src, n * sizeof *d);
  }
  return d;
}

int cet_price_copy(const cet_price_model *m, cet_price_model **out) {
  *out = NULL;
  cet_price_model *t = malloc(sizeof *t);
  CET_CHECK_ALLOC(t);
  *t = *m;
  t->values = m->values != NULL ? copy_array(m->values, m->n) : NULL;
  t->residual = m->residual != NULL ? copy_array(m->residual, m->n_eff) : NULL;
  if ((m->values != NULL && t->values == NULL) || (m->residual != NULL && t->residual == NULL)) {
    cet_price_destroy(&t);
    CET_CHECK_ALLOC(NULL);
  }
  *out = t;
  return CET_OK;
}

static int alloc_model(cet_price_model **m, cet_price_kind kind) {
  *m = calloc(1, sizeof **m);
  CET_CHECK_ALLOC(*m);
  (*m)->kind = kind;
  return CET_OK;
}

int cet_price_create_constant(cet_price_model **m, double value) {
  *m = NULL;
  CET_CHECK(isfinite(value), CET_ERR_INPUT, "constant price: expected a finite value, found %g",
            value);
  CET_CALL(alloc_model(m, CET_PRICE_CONSTANT));
  (*m)->constant = value;
  return CET_OK;
}

static int copy_values(cet_price_model *m, int first_year, size_t n, const double *values,
                       const char *what) {
  CET_CHECK(n > 0 && values != NULL, CET_ERR_INPUT, "%s: expected at least one value, found none",
            what);
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(isfinite(values[i]), CET_ERR_INPUT,
              "%s: expected finite values, found %g in year %ld", what, values[i],
              (long)first_year + (long)i);
  }
  m->values = malloc(n * sizeof *m->values);
  CET_CHECK_ALLOC(m->values);
  memcpy(m->values, values, n * sizeof *values);
  m->first_year = first_year;
  m->n = n;
  return CET_OK;
}

int cet_price_create_path(cet_price_model **m, int first_year, size_t n, const double *values) {
  *m = NULL;
  cet_price_model *t = NULL;
  CET_CALL(alloc_model(&t, CET_PRICE_PATH));
  int status = copy_values(t, first_year, n, values, "price path");
  if (status != CET_OK) {
    cet_price_destroy(&t);
    CET_CALL(status);
  }
  *m = t;
  return CET_OK;
}

cet_price_kind cet_price_model_kind(const cet_price_model *m) { return m->kind; }

/* ---- AR fitting --------------------------------------------------------- */

static double to_model_scale(const cet_price_model *m, double price) {
  return m->scale == CET_PRICE_LOG ? log(price) : price;
}

static double to_price(const cet_price_model *m, double x) {
  return m->scale == CET_PRICE_LOG ? exp(x) : x;
}

typedef struct {
  double coef[CET_PRICE_MAX_ORDER + 1]; /* intercept, phi_1..phi_p */
  double se[CET_PRICE_MAX_ORDER + 1];
  double rss;
  size_t n_eff;
} ols_fit;

/* Least squares of x_t on (1, x_{t-1}, .., x_{t-p}) for t = start..n-1;
 * residuals (n - start values) written when residual is not NULL. */
static int ols(const double *x, size_t n, int p, size_t start, ols_fit *fit, double *residual) {
  const size_t n_eff = n - start, k = (size_t)p + 1;
  int status = CET_OK;
  gsl_matrix *X = gsl_matrix_alloc(n_eff, k), *cov = gsl_matrix_alloc(k, k);
  gsl_vector *y = gsl_vector_alloc(n_eff), *c = gsl_vector_alloc(k);
  gsl_multifit_linear_workspace *work = gsl_multifit_linear_alloc(n_eff, k);
  CET_CHECK_GOTO(status, done, X && cov && y && c && work, CET_ERR_MEMORY, "out of memory");
  for (size_t i = 0; i < n_eff; i++) {
    size_t t = start + i;
    gsl_matrix_set(X, i, 0, 1.0);
    for (size_t j = 1; j < k; j++) {
      gsl_matrix_set(X, i, j, x[t - j]);
    }
    gsl_vector_set(y, i, x[t]);
  }
  double rss;
  CET_CHECK_GOTO(status, done, gsl_multifit_linear(X, y, c, cov, &rss, work) == 0, CET_ERR_RUNTIME,
                 "AR fit: least squares failed (order %d, %zu observations)", p, n_eff);
  /* gsl_multifit_linear returns cov = s^2 (X^T X)^-1 with s^2 = RSS / (n - k) */
  for (size_t j = 0; j < k; j++) {
    fit->coef[j] = gsl_vector_get(c, j);
    fit->se[j] = sqrt(gsl_matrix_get(cov, j, j));
  }
  fit->rss = rss;
  fit->n_eff = n_eff;
  if (residual != NULL) {
    for (size_t i = 0; i < n_eff; i++) {
      double pred = fit->coef[0];
      for (size_t j = 1; j < k; j++) {
        pred += fit->coef[j] * x[start + i - j];
      }
      residual[i] = x[start + i] - pred;
    }
  }
done:
  gsl_multifit_linear_free(work);
  gsl_vector_free(c);
  gsl_vector_free(y);
  gsl_matrix_free(cov);
  gsl_matrix_free(X);
  return status;
}

static double aic_of(const ols_fit *f, int p) {
  return (double)f->n_eff * log(f->rss / (double)f->n_eff) + 2.0 * (p + 1);
}

static int check_ar_parameters(const cet_price_ar_parameters *p) {
  CET_CHECK(p->scale == CET_PRICE_LEVEL || p->scale == CET_PRICE_LOG, CET_ERR_INPUT,
            "AR fit: scale must be level or log, found %d", (int)p->scale);
  CET_CHECK(p->order >= 0 && p->order <= CET_PRICE_MAX_ORDER, CET_ERR_INPUT,
            "AR fit: order must be 0 (choose by AIC) or 1..%d, found %d", CET_PRICE_MAX_ORDER,
            p->order);
  CET_CHECK(p->order > 0 || (p->max_order >= 1 && p->max_order <= CET_PRICE_MAX_ORDER),
            CET_ERR_INPUT, "AR fit: max_order must lie in 1..%d, found %d", CET_PRICE_MAX_ORDER,
            p->max_order);
  return CET_OK;
}

/* Model-scale history of m in x (m->n values); checks positivity for logs
 * and that the history is not constant. */
static int transformed_history(const cet_price_model *m, double *x) {
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < m->n; i++) {
    CET_CHECK(m->scale == CET_PRICE_LEVEL || m->values[i] > 0.0, CET_ERR_INPUT,
              "AR fit in log scale: expected prices > 0, found %g in year %ld", m->values[i],
              (long)m->first_year + (long)i);
    x[i] = to_model_scale(m, m->values[i]);
    lo = fmin(lo, x[i]);
    hi = fmax(hi, x[i]);
  }
  CET_CHECK(hi > lo, CET_ERR_INPUT,
            "AR fit: the history %d..%ld is constant; use a constant price instead", m->first_year,
            (long)m->first_year + (long)m->n - 1);
  return CET_OK;
}

static int choose_order(const double *x, size_t n, int max_order, int *order) {
  CET_CHECK(n >= 2 * (size_t)max_order + 2, CET_ERR_INPUT,
            "AR fit: choosing the order up to %d needs at least %d observations, found %zu",
            max_order, 2 * max_order + 2, n);
  double best = INFINITY;
  *order = 1;
  for (int p = 1; p <= max_order; p++) {
    ols_fit f;
    CET_CALL(ols(x, n, p, (size_t)max_order, &f, NULL));
    double aic = aic_of(&f, p);
    if (aic < best) {
      best = aic;
      *order = p;
    }
  }
  return CET_OK;
}

static int fit(cet_price_model *m, const cet_price_ar_parameters *params, double *x) {
  CET_CALL(transformed_history(m, x));
  int p = params->order;
  if (p == 0) {
    CET_CALL(choose_order(x, m->n, params->max_order, &p));
  }
  CET_CHECK(m->n >= 2 * (size_t)p + 2, CET_ERR_INPUT,
            "AR fit: order %d needs at least %d observations, found %zu", p, 2 * p + 2, m->n);
  m->residual = malloc((m->n - (size_t)p) * sizeof *m->residual);
  CET_CHECK_ALLOC(m->residual);
  ols_fit f;
  CET_CALL(ols(x, m->n, p, (size_t)p, &f, m->residual));
  m->order = p;
  m->intercept = f.coef[0];
  m->intercept_se = f.se[0];
  for (int i = 0; i < p; i++) {
    m->phi[i] = f.coef[i + 1];
    m->phi_se[i] = f.se[i + 1];
    m->tail[i] = x[m->n - (size_t)p + (size_t)i];
  }
  m->n_eff = f.n_eff;
  m->sigma2 = f.rss / (double)(f.n_eff - (size_t)p - 1);
  m->aic = aic_of(&f, p);
  m->residual_first_year = m->first_year + p;
  return CET_OK;
}

int cet_price_fit_ar(cet_price_model **m, int first_year, size_t n, const double *values,
                     const cet_price_ar_parameters *params) {
  *m = NULL;
  cet_price_ar_parameters p = params != NULL ? *params : cet_price_ar_default_parameters();
  CET_CALL(check_ar_parameters(&p));
  cet_price_model *t = NULL;
  CET_CALL(alloc_model(&t, CET_PRICE_AR));
  t->scale = p.scale;
  t->log_mean = p.log_mean != 0;
  t->fitted = 1;
  double *x = NULL;
  int status = copy_values(t, first_year, n, values, "AR fit");
  if (status == CET_OK) {
    t->last_year = first_year + (int)n - 1;
    x = malloc(n * sizeof *x);
    status = x != NULL ? fit(t, &p, x) : CET_ERR_MEMORY;
    if (x == NULL) {
      cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
    }
  }
  free(x);
  if (status != CET_OK) {
    cet_price_destroy(&t);
    CET_CALL(status);
  }
  *m = t;
  return CET_OK;
}

int cet_price_create_ar(cet_price_model **m, const cet_price_ar_spec *s) {
  *m = NULL;
  CET_CHECK(s->scale == CET_PRICE_LEVEL || s->scale == CET_PRICE_LOG, CET_ERR_INPUT,
            "AR model: scale must be level or log, found %d", (int)s->scale);
  CET_CHECK(s->order >= 1 && s->order <= CET_PRICE_MAX_ORDER && s->phi != NULL, CET_ERR_INPUT,
            "AR model: expected an order in 1..%d with its coefficients, found order %d",
            CET_PRICE_MAX_ORDER, s->order);
  CET_CHECK(isfinite(s->intercept), CET_ERR_INPUT,
            "AR model: the intercept must be finite, found %g", s->intercept);
  for (int i = 0; i < s->order; i++) {
    CET_CHECK(isfinite(s->phi[i]), CET_ERR_INPUT,
              "AR model: coefficient phi_%d must be finite, found %g", i + 1, s->phi[i]);
  }
  CET_CHECK(isfinite(s->sigma) && s->sigma >= 0.0, CET_ERR_INPUT,
            "AR model: sigma must be a finite number >= 0, found %g", s->sigma);
  CET_CHECK(s->n_history >= (size_t)s->order, CET_ERR_INPUT,
            "AR model: order %d needs at least %d history values, found %zu", s->order, s->order,
            s->n_history);
  cet_price_model *t = NULL;
  CET_CALL(alloc_model(&t, CET_PRICE_AR));
  t->scale = s->scale;
  t->log_mean = s->log_mean != 0;
  int first_year = s->last_year - (int)s->n_history + 1;
  int status = copy_values(t, first_year, s->n_history, s->history, "AR model history");
  for (size_t i = 0; status == CET_OK && i < t->n; i++) {
    if (t->scale == CET_PRICE_LOG && !(t->values[i] > 0.0)) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                     "AR model in log scale: expected history prices > 0, found %g in year %ld",
                     t->values[i], (long)first_year + (long)i);
      status = CET_ERR_INPUT;
    }
  }
  if (status != CET_OK) {
    cet_price_destroy(&t);
    CET_CALL(status);
  }
  t->order = s->order;
  t->intercept = s->intercept;
  t->intercept_se = NAN;
  for (int i = 0; i < s->order; i++) {
    t->phi[i] = s->phi[i];
    t->phi_se[i] = NAN;
    t->tail[i] = to_model_scale(t, t->values[t->n - (size_t)s->order + (size_t)i]);
  }
  t->sigma2 = s->sigma * s->sigma;
  t->aic = NAN;
  t->last_year = s->last_year;
  *m = t;
  return CET_OK;
}

int cet_price_ar_get_info(const cet_price_model *m, cet_price_ar_info *info) {
  CET_CHECK(m->kind == CET_PRICE_AR, CET_ERR_INPUT, "price model: not an AR model");
  info->scale = m->scale;
  info->order = m->order;
  info->intercept = m->intercept;
  info->intercept_se = m->intercept_se;
  info->phi = m->phi;
  info->phi_se = m->phi_se;
  info->sigma2 = m->sigma2;
  info->aic = m->aic;
  info->n_eff = m->n_eff;
  info->first_year = m->first_year;
  info->last_year = m->last_year;
  return CET_OK;
}

/* ---- history preparation ------------------------------------------------ */

int cet_price_yearly_means(const cet_price_observations *s, int *first_year, size_t *n,
                           double **values) {
  *values = NULL;
  CET_CHECK(s->n > 0, CET_ERR_INPUT, "%s: no observations", s->source);
  int y0 = s->year[0], y1 = s->year[s->n - 1];
  size_t years = (size_t)(y1 - y0) + 1;
  double *sum = calloc(years, sizeof *sum);
  size_t *count = calloc(years, sizeof *count);
  if (sum == NULL || count == NULL) {
    free(sum);
    free(count);
    CET_CHECK_ALLOC(NULL);
  }
  for (size_t i = 0; i < s->n; i++) {
    size_t k = (size_t)(s->year[i] - y0);
    sum[k] += s->value[i];
    count[k]++;
  }
  int status = CET_OK;
  for (size_t k = 0; k < years; k++) {
    if (count[k] == 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                     "%s: expected observations in every year from %d to %d, found none in %d",
                     s->source, y0, y1, y0 + (int)k);
      status = CET_ERR_INPUT;
      break;
    }
    sum[k] /= (double)count[k];
  }
  free(count);
  if (status != CET_OK) {
    free(sum);
    return status;
  }
  *first_year = y0;
  *n = years;
  *values = sum;
  return CET_OK;
}

/* ---- forecasts and paths ------------------------------------------------ */

/* Checks that the years first_year .. first_year + n_years - 1 can be
 * answered by m. */
static int check_years(const cet_price_model *m, int first_year, size_t n_years) {
  CET_CHECK(n_years > 0, CET_ERR_INPUT, "price: expected at least one year, found none");
  long last = (long)first_year + (long)n_years - 1;
  if (m->kind == CET_PRICE_PATH) {
    long path_last = (long)m->first_year + (long)m->n - 1;
    CET_CHECK(first_year >= m->first_year && last <= path_last, CET_ERR_INPUT,
              "price path covers the years %d..%ld, asked for %d..%ld", m->first_year, path_last,
              first_year, last);
  } else if (m->kind == CET_PRICE_AR) {
    CET_CHECK(first_year >= m->first_year, CET_ERR_INPUT,
              "AR price model: its history starts in %d, asked for %d", m->first_year, first_year);
  }
  return CET_OK;
}

/* Writes the prices known without forecasting (constant, path, history
 * years) into out; forecast years are left untouched. */
static void fill_known(const cet_price_model *m, int first_year, size_t n_years, double *out) {
  for (size_t t = 0; t < n_years; t++) {
    long year = (long)first_year + (long)t;
    if (m->kind == CET_PRICE_CONSTANT) {
      out[t] = m->constant;
    } else if (m->kind == CET_PRICE_PATH || year <= m->last_year) {
      out[t] = m->values[year - m->first_year];
    }
  }
}

/* Writes band z (normal quantile; mean_band selects the mean) of the years
 * into out, and the forecast sd into sd; either may be NULL. */
static void forecast_pass(const cet_price_model *m, int first_year, size_t n_years, double z,
                          int mean_band, double *out, double *sd) {
  if (out != NULL) {
    fill_known(m, first_year, n_years, out);
  }
  if (sd != NULL) {
    memset(sd, 0, n_years * sizeof *sd);
  }
  long last = (long)first_year + (long)n_years - 1;
  if (m->kind != CET_PRICE_AR || last <= m->last_year) {
    return;
  }
  const int p = m->order;
  double state[CET_PRICE_MAX_ORDER], psi[CET_PRICE_MAX_ORDER] = {0}; /* newest last */
  memcpy(state, m->tail, (size_t)p * sizeof *state);
  double psi_sq_sum = 0.0;
  for (long h = 1; h <= last - m->last_year; h++) {
    double mean = m->intercept;
    for (int i = 1; i <= p; i++) {
      mean += m->phi[i - 1] * state[p - i];
    }
    double psi_now = 1.0; /* psi_{h-1} */
    if (h > 1) {
      psi_now = 0.0;
      for (int i = 1; i <= p && i <= h - 1; i++) {
        psi_now += m->phi[i - 1] * psi[p - i];
      }
    }
    memmove(state, state + 1, (size_t)(p - 1) * sizeof *state);
    state[p - 1] = mean;
    memmove(psi, psi + 1, (size_t)(p - 1) * sizeof *psi);
    psi[p - 1] = psi_now;
    psi_sq_sum += psi_now * psi_now;
    long year = m->last_year + h;
    if (year < first_year) {
      continue;
    }
    double var = m->sigma2 * psi_sq_sum, s = sqrt(var);
    size_t t = (size_t)(year - first_year);
    if (out != NULL && m->scale == CET_PRICE_LOG && mean_band && m->log_mean) {
      out[t] = exp(mean + 0.5 * var);
    } else if (out != NULL) {
      out[t] = to_price(m, mean + z * s);
    }
    if (sd != NULL) {
      sd[t] = s;
    }
  }
}

int cet_price_forecast(const cet_price_model *m, int first_year, size_t n_years,
                       cet_price_band band, double *out) {
  CET_CHECK((unsigned)band <= CET_PRICE_UPPER95, CET_ERR_INPUT, "price: unknown band %d",
            (int)band);
  CET_CALL(check_years(m, first_year, n_years));
  double z = band == CET_PRICE_MEAN ? 0.0 : gsl_cdf_ugaussian_Pinv(BAND_PROBABILITY[band]);
  forecast_pass(m, first_year, n_years, z, band == CET_PRICE_MEAN, out, NULL);
  return CET_OK;
}

int cet_price_forecast_quantile(const cet_price_model *m, int first_year, size_t n_years,
                                double prob, double *out) {
  CET_CHECK(prob > 0.0 && prob < 1.0, CET_ERR_INPUT,
            "price: quantile probability must lie in (0, 1), found %g", prob);
  CET_CALL(check_years(m, first_year, n_years));
  forecast_pass(m, first_year, n_years, gsl_cdf_ugaussian_Pinv(prob), 0, out, NULL);
  return CET_OK;
}

int cet_price_forecast_sd(const cet_price_model *m, int first_year, size_t n_years, double *sd) {
  CET_CALL(check_years(m, first_year, n_years));
  forecast_pass(m, first_year, n_years, 0.0, 0, NULL, sd);
  return CET_OK;
}

size_t cet_price_shocks_needed(const cet_price_model *m, int first_year, size_t n_years) {
  long last = (long)first_year + (long)n_years - 1;
  if (m->kind != CET_PRICE_AR || n_years == 0 || last <= m->last_year) {
    return 0;
  }
  return (size_t)(last - m->last_year);
}

int cet_price_simulate(const cet_price_model *m, int first_year, size_t n_years,
                       const double *shocks, double *out) {
  CET_CALL(check_years(m, first_year, n_years));
  fill_known(m, first_year, n_years, out);
  const size_t steps = cet_price_shocks_needed(m, first_year, n_years);
  if (steps == 0) {
    return CET_OK;
  }
  CET_CHECK(shocks != NULL, CET_ERR_INPUT, "price: %zu shocks needed, found none", steps);
  const int p = m->order;
  const double sigma = sqrt(m->sigma2);
  double state[CET_PRICE_MAX_ORDER];
  memcpy(state, m->tail, (size_t)p * sizeof *state);
  long first_out = -1; /* first index of out written below */
  for (size_t h = 1; h <= steps; h++) {
    double x = m->intercept + sigma * shocks[h - 1];
    for (int i = 1; i <= p; i++) {
      x += m->phi[i - 1] * state[p - i];
    }
    memmove(state, state + 1, (size_t)(p - 1) * sizeof *state);
    state[p - 1] = x;
    long year = (long)m->last_year + (long)h;
    if (year >= first_year) {
      out[year - first_year] = x;
      first_out = first_out < 0 ? year - first_year : first_out;
    }
  }
  if (m->scale == CET_PRICE_LOG && first_out >= 0) {
    /* the whole forecast part of the path at once (vectorised exp) */
    cet_vexp(out + first_out, out + first_out, n_years - (size_t)first_out);
  }
  return CET_OK;
}

/* ---- correlated sets ---------------------------------------------------- */

void cet_price_set_destroy(cet_price_set **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  free((*s)->models);
  free((*s)->corr);
  free((*s)->chol);
  free(*s);
  *s = NULL;
}

size_t cet_price_set_size(const cet_price_set *s) { return s->n; }

void cet_price_set_correlation(const cet_price_set *s, double *corr) {
  memcpy(corr, s->corr, s->n * s->n * sizeof *corr);
}

static int check_correlation(size_t n, const double *c) {
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(fabs(c[i * n + i] - 1.0) <= CORR_TOLERANCE, CET_ERR_INPUT,
              "price correlation: expected 1 on the diagonal, found %g at (%zu, %zu)", c[i * n + i],
              i + 1, i + 1);
    for (size_t j = 0; j < n; j++) {
      double v = c[i * n + j];
      CET_CHECK(isfinite(v) && fabs(v) <= 1.0, CET_ERR_INPUT,
                "price correlation: expected values in [-1, 1], found %g at (%zu, %zu)", v, i + 1,
                j + 1);
      CET_CHECK(fabs(v - c[j * n + i]) <= CORR_TOLERANCE, CET_ERR_INPUT,
                "price correlation: expected a symmetric matrix, found %g at (%zu, %zu) and %g "
                "at (%zu, %zu)",
                v, i + 1, j + 1, c[j * n + i], j + 1, i + 1);
    }
  }
  return CET_OK;
}

/* Pearson correlation of the residuals of the fitted AR members over the
 * years all of them have. */
static int estimate_correlation(cet_price_set *s) {
  const size_t n = s->n;
  int y0 = INT_MIN, y1 = INT_MAX, members = 0;
  for (size_t c = 0; c < n; c++) {
    s->corr[c * n + c] = 1.0;
    const cet_price_model *m = s->models[c];
    if (m->kind != CET_PRICE_AR) {
      continue;
    }
    CET_CHECK(m->fitted, CET_ERR_INPUT,
              "price correlation: member %zu is an AR model given by its coefficients and has no "
              "residuals; give the correlation matrix",
              c + 1);
    members++;
    y0 = m->residual_first_year > y0 ? m->residual_first_year : y0;
    y1 = m->last_year < y1 ? m->last_year : y1;
  }
  if (members < 2) {
    return CET_OK;
  }
  CET_CHECK(y1 - y0 + 1 >= 2, CET_ERR_INPUT,
            "price correlation: the fitted members share %d year(s) of residuals (%d..%d); "
            "expected at least 2",
            y1 >= y0 ? y1 - y0 + 1 : 0, y0, y1);
  const size_t T = (size_t)(y1 - y0 + 1);
  for (size_t a = 0; a < n; a++) {
    for (size_t b = a + 1; b < n; b++) {
      const cet_price_model *ma = s->models[a], *mb = s->models[b];
      if (ma->kind != CET_PRICE_AR || mb->kind != CET_PRICE_AR) {
        continue;
      }
      const double *ea = ma->residual + (y0 - ma->residual_first_year);
      const double *eb = mb->residual + (y0 - mb->residual_first_year);
      double mean_a = 0, mean_b = 0;
      for (size_t t = 0; t < T; t++) {
        mean_a += ea[t] / (double)T;
        mean_b += eb[t] / (double)T;
      }
      double sab = 0, saa = 0, sbb = 0;
      for (size_t t = 0; t < T; t++) {
        sab += (ea[t] - mean_a) * (eb[t] - mean_b);
        saa += (ea[t] - mean_a) * (ea[t] - mean_a);
        sbb += (eb[t] - mean_b) * (eb[t] - mean_b);
      }
      CET_CHECK(saa > 0.0 && sbb > 0.0, CET_ERR_INPUT,
                "price correlation: member %zu has no residual variation over %d..%d",
                saa > 0.0 ? b + 1 : a + 1, y0, y1);
      s->corr[a * n + b] = s->corr[b * n + a] = sab / sqrt(saa * sbb);
    }
  }
  return CET_OK;
}

/* Cholesky factor of the correlation after checking that it is positive
 * definite by its smallest eigenvalue (so the error can say how far it is
 * from being usable). */
static int factorize(cet_price_set *s) {
  const size_t n = s->n;
  int status = CET_OK;
  gsl_matrix *a = gsl_matrix_alloc(n, n);
  gsl_vector *eval = gsl_vector_alloc(n);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
  CET_CHECK_GOTO(status, done, a && eval && w, CET_ERR_MEMORY, "out of memory");
  memcpy(a->data, s->corr, n * n * sizeof(double));
  CET_CHECK_GOTO(status, done, gsl_eigen_symm(a, eval, w) == 0, CET_ERR_RUNTIME,
                 "price correlation: eigenvalues failed");
  double smallest = gsl_vector_min(eval);
  CET_CHECK_GOTO(status, done, smallest > PD_TOLERANCE, CET_ERR_INPUT,
                 "price correlation: the %zu x %zu correlation matrix is not positive definite "
                 "(smallest eigenvalue %g, expected > %g); histories that share few years or "
                 "move in lockstep give such matrices: lengthen them, drop a member or give the "
                 "correlation explicitly",
                 n, n, smallest, PD_TOLERANCE);
  memcpy(a->data, s->corr, n * n * sizeof(double));
  CET_CHECK_GOTO(status, done, gsl_linalg_cholesky_decomp1(a) == 0, CET_ERR_INPUT,
                 "price correlation: Cholesky factorisation failed");
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) {
      s->chol[i * n + j] = j <= i ? gsl_matrix_get(a, i, j) : 0.0;
    }
  }
done:
  gsl_eigen_symm_free(w);
  gsl_vector_free(eval);
  gsl_matrix_free(a);
  return status;
}

static int build_set(cet_price_set *s, const cet_price_model *const *models, const double *corr) {
  const size_t n = s->n;
  s->first_forecast_year = INT_MAX;
  for (size_t c = 0; c < n; c++) {
    CET_CHECK(models[c] != NULL, CET_ERR_INPUT, "price set: member %zu is missing", c + 1);
    s->models[c] = models[c];
    if (models[c]->kind == CET_PRICE_AR && models[c]->last_year + 1 < s->first_forecast_year) {
      s->first_forecast_year = models[c]->last_year + 1;
    }
  }
  if (corr != NULL) {
    CET_CALL(check_correlation(n, corr));
    memcpy(s->corr, corr, n * n * sizeof *corr);
  } else {
    CET_CALL(estimate_correlation(s));
  }
  CET_CALL(factorize(s));
  return CET_OK;
}

int cet_price_set_create(cet_price_set **s, size_t n, const cet_price_model *const *models,
                         const double *corr) {
  *s = NULL;
  CET_CHECK(n > 0 && models != NULL, CET_ERR_INPUT, "price set: expected at least one model");
  cet_price_set *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  t->n = n;
  t->models = calloc(n, sizeof *t->models);
  t->corr = calloc(n * n, sizeof *t->corr);
  t->chol = calloc(n * n, sizeof *t->chol);
  int status = CET_OK;
  if (t->models == NULL || t->corr == NULL || t->chol == NULL) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
    status = CET_ERR_MEMORY;
  } else {
    status = build_set(t, models, corr);
  }
  if (status != CET_OK) {
    cet_price_set_destroy(&t);
    CET_CALL(status);
  }
  *s = t;
  return CET_OK;
}

int cet_price_workspace_create(const cet_price_set *s, int first_year, size_t n_years,
                               cet_price_workspace **ws) {
  return cet_price_workspace_create_batch(s, first_year, n_years, 1, ws);
}

int cet_price_workspace_create_batch(const cet_price_set *s, int first_year, size_t n_years,
                                     size_t max_batch, cet_price_workspace **ws) {
  *ws = NULL;
  CET_CHECK(max_batch > 0, CET_ERR_INPUT, "price workspace: expected a batch of at least one draw");
  CET_CHECK(n_years > 0, CET_ERR_INPUT, "price workspace: expected at least one year");
  cet_price_workspace *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  long last = (long)first_year + (long)n_years - 1;
  w->set = s;
  w->n = s->n;
  w->n_years = n_years;
  w->first_year = first_year;
  w->steps = last >= s->first_forecast_year ? (size_t)(last - s->first_forecast_year + 1) : 0;
  w->z = calloc(w->steps * s->n + 1, sizeof *w->z);
  w->shock = calloc(w->steps * s->n + 1, sizeof *w->shock);
  w->batch = max_batch;
  w->es = calloc(s->n * w->steps * max_batch + 1, sizeof *w->es);
  w->st = calloc((CET_PRICE_MAX_ORDER + 1) * max_batch + 1, sizeof *w->st);
  w->kn = calloc(n_years + 1, sizeof *w->kn);
  if (w->z == NULL || w->shock == NULL || w->es == NULL || w->st == NULL || w->kn == NULL) {
    cet_price_workspace_destroy(&w);
    CET_CHECK_ALLOC(NULL);
  }
  *ws = w;
  return CET_OK;
}

void cet_price_workspace_destroy(cet_price_workspace **ws) {
  if (ws == NULL || *ws == NULL) {
    return;
  }
  free((*ws)->z);
  free((*ws)->shock);
  free((*ws)->es);
  free((*ws)->st);
  free((*ws)->kn);
  free(*ws);
  *ws = NULL;
}

size_t cet_price_workspace_steps(const cet_price_workspace *ws) { return ws->steps; }

int cet_price_set_simulate(const cet_price_set *s, const double *z, cet_price_workspace *ws,
                           double *out, size_t ld) {
  const size_t n = s->n, steps = ws->steps;
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  CET_CHECK(ld >= ws->n_years, CET_ERR_INPUT,
            "price set: leading dimension %zu is smaller than the %zu years", ld, ws->n_years);
  for (size_t k = 0; k < steps; k++) {
    const double *zk = z + k * n;
    for (size_t c = 0; c < n; c++) {
      const double *l = s->chol + c * n;
      double e = 0.0;
      for (size_t j = 0; j <= c; j++) {
        e += l[j] * zk[j];
      }
      ws->shock[c * steps + k] = e;
    }
  }
  for (size_t c = 0; c < n; c++) {
    const cet_price_model *m = s->models[c];
    const double *shocks = NULL;
    if (m->kind == CET_PRICE_AR) {
      size_t offset = (size_t)(m->last_year + 1 - s->first_forecast_year);
      shocks = offset < steps ? ws->shock + c * steps + offset : NULL;
    }
    CET_CALL(cet_price_simulate(m, ws->first_year, ws->n_years, shocks, out + c * ld));
  }
  return CET_OK;
}

/* Member c's forecast for the draws of a batch into xs (year t of draw d
 * at xs[t * stride + d], model scale, then prices); returns the first year
 * index written, or n_years. Inlined into each instruction-set version of
 * cet_price_set_simulate_batch, so that it vectorises as widely. */
static inline __attribute__((always_inline)) size_t batch_member(const cet_price_set *s, size_t c,
                                                                 size_t B, cet_price_workspace *ws,
                                                                 double *xs, size_t stride) {
  const cet_price_model *m = s->models[c];
  const size_t S = ws->steps, ny = ws->n_years;
  size_t steps = cet_price_shocks_needed(m, ws->first_year, ny);
  if (m->kind != CET_PRICE_AR || steps == 0) {
    return ny;
  }
  const size_t offset = (size_t)(m->last_year + 1 - s->first_forecast_year);
  const int p = m->order;
  const double sigma = sqrt(m->sigma2);
  double *st = ws->st;
  for (int i = 0; i < p; i++) {
    for (size_t d = 0; d < B; d++) {
      st[(size_t)i * B + d] = m->tail[i];
    }
  }
  size_t first_out = ny;
  for (size_t h = 1; h <= steps; h++) {
    const double *e = ws->es + (c * S + offset + h - 1) * B;
    long year = (long)m->last_year + (long)h;
    double *x = year >= ws->first_year ? xs + (size_t)(year - ws->first_year) * stride : NULL;
    double *v = x ? x : st + (size_t)CET_PRICE_MAX_ORDER * B; /* the new values */
    /* one loop over the draws per term, each vectorised; per draw the
     * terms add up in the order of cet_price_simulate */
    for (size_t d = 0; d < B; d++) {
      v[d] = m->intercept + sigma * e[d];
    }
    for (int i = 1; i <= p; i++) {
      const double phi = m->phi[i - 1], *old = st + (size_t)(p - i) * B;
      for (size_t d = 0; d < B; d++) {
        v[d] += phi * old[d];
      }
    }
    memmove(st, st + B, (size_t)(p - 1) * B * sizeof *st);
    memcpy(st + (size_t)(p - 1) * B, v, B * sizeof *st);
    if (x && first_out == ny) {
      first_out = (size_t)(year - ws->first_year);
    }
  }
  for (size_t t = first_out; m->scale == CET_PRICE_LOG && t < ny; t++) {
    cet_vexp(xs + t * stride, xs + t * stride, B);
  }
  return first_out;
}

/* Built for the widest vectors the processor has (chosen at run time); the
 * operations per draw are the same in every version (no fused
 * multiply-adds in ISO C), so are the bits. */
CET_CLONES static int simulate_batch_clones(const cet_price_set *s, size_t count, size_t stride,
                                            const double *z, cet_price_workspace *ws, double *out,
                                            size_t ld) {
  const size_t n = s->n, S = ws->steps, ny = ws->n_years, B = count;
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  CET_CHECK(count <= ws->batch, CET_ERR_INPUT,
            "price set: a batch of %zu draws exceeds the workspace's %zu", count, ws->batch);
  CET_CHECK(ld >= ny, CET_ERR_INPUT,
            "price set: leading dimension %zu is smaller than the %zu years", ld, ny);
  CET_CHECK(stride >= count, CET_ERR_INPUT,
            "price set: a stride of %zu cannot hold a batch of %zu draws", stride, count);
  /* correlated shocks e = L z, summed in the order of cet_price_set_simulate
   * (the draws in the vector lanes, the sum in registers) */
  for (size_t c = 0; c < n; c++) {
    const double *l = s->chol + c * n;
    for (size_t k = 0; k < S; k++) {
      double *e = ws->es + (c * S + k) * B;
      const double *zk = z + k * n * stride;
      size_t d = 0;
      for (; d + BATCH_LANES <= B; d += BATCH_LANES) {
        batch_lanes acc = {0.0}, zj;
        for (size_t j = 0; j <= c; j++) {
          memcpy(&zj, zk + j * stride + d, sizeof zj);
          acc += l[j] * zj;
        }
        memcpy(e + d, &acc, sizeof acc);
      }
      for (; d < B; d++) {
        double acc = 0.0;
        for (size_t j = 0; j <= c; j++) {
          acc += l[j] * zk[j * stride + d];
        }
        e[d] = acc;
      }
    }
  }
  for (size_t c = 0; c < n; c++) {
    double *xs = out + c * ld * stride;
    size_t first_out = batch_member(s, c, B, ws, xs, stride);
    fill_known(s->models[c], ws->first_year, ny, ws->kn);
    for (size_t t = 0; t < first_out; t++) {
      for (size_t d = 0; d < B; d++) {
        xs[t * stride + d] = ws->kn[t];
      }
    }
  }
  return CET_OK;
}

int cet_price_set_simulate_batch(const cet_price_set *s, size_t count, size_t stride,
                                 const double *z, cet_price_workspace *ws, double *out, size_t ld) {
  return simulate_batch_clones(s, count, stride, z, ws, out, ld);
}

int cet_price_set_draw(const cet_price_set *s, gsl_rng *r, cet_price_workspace *ws, double *out,
                       size_t ld) {
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  const size_t count = ws->steps * ws->n;
  for (size_t i = 0; i < count; i++) {
    ws->z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
  }
  return cet_price_set_simulate(s, ws->z, ws, out, ld);
}
