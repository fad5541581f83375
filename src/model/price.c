/*
 * price.c — price models and what they say about the years ahead: the
 * constant, path and AR(p) models (creation, copies, destruction; fitting is
 * in price_fit.c), forecasts with their bands and standard deviations, and
 * one stochastic path of a model from given shocks (see
 * include/cetwin/price.h). Correlated sets of models and batches of draws
 * are in price_set.c.
 */
#include "price_impl.h"

#include "vexp.h"

#include "cetwin/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Default upper bound of the AIC order search: yearly price histories of a
 * few decades rarely support more. */
enum { DEFAULT_MAX_ORDER = 4 };

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
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail,
                       (m->values == NULL || t->values != NULL) &&
                           (m->residual == NULL || t->residual != NULL));
  *out = t;
  return CET_OK;
fail:
  cet_price_destroy(&t);
  return status;
}

int cet_price_model_new(cet_price_model **m, cet_price_kind kind) {
  *m = calloc(1, sizeof **m);
  CET_CHECK_ALLOC(*m);
  (*m)->kind = kind;
  return CET_OK;
}

int cet_price_create_constant(cet_price_model **m, double value) {
  *m = NULL;
  CET_CHECK(isfinite(value), CET_ERR_INPUT, "constant price: expected a finite value, found %g",
            value);
  CET_CALL(cet_price_model_new(m, CET_PRICE_CONSTANT));
  (*m)->constant = value;
  return CET_OK;
}

int cet_price_copy_values(cet_price_model *m, int first_year, size_t n, const double *values,
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
  CET_CALL(cet_price_model_new(&t, CET_PRICE_PATH));
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_price_copy_values(t, first_year, n, values, "price path"));
  *m = t;
  return CET_OK;
fail:
  cet_price_destroy(&t);
  return status;
}

cet_price_kind cet_price_model_kind(const cet_price_model *m) { return m->kind; }

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

void cet_price_fill_known(const cet_price_model *m, int first_year, size_t n_years, double *out) {
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
    cet_price_fill_known(m, first_year, n_years, out);
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
      out[t] = cet_price_to_price(m, mean + z * s);
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
  cet_price_fill_known(m, first_year, n_years, out);
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
