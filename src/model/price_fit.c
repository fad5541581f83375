/*
 * price_fit.c — fitting price models to histories: AR(p) by least squares
 * with AIC order selection, AR models given by their coefficients, what a
 * fit found, and the yearly means of dated observations (see
 * include/cetwin/price.h).
 */
#include "price_impl.h"

#include "cetwin/error.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>

/* ---- AR fitting --------------------------------------------------------- */

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
  CET_CHECK_ALLOC_GOTO(status, done, X && cov && y && c && work);
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
    x[i] = cet_price_to_model_scale(m, m->values[i]);
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
  CET_CALL(cet_price_model_new(&t, CET_PRICE_AR));
  t->scale = p.scale;
  t->log_mean = p.log_mean != 0;
  t->fitted = 1;
  double *x = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_price_copy_values(t, first_year, n, values, "AR fit"));
  t->last_year = first_year + (int)n - 1;
  x = malloc(n * sizeof *x);
  CET_CHECK_ALLOC_GOTO(status, fail, x);
  CET_CALL_GOTO(status, fail, fit(t, &p, x));
  free(x);
  *m = t;
  return CET_OK;
fail:
  free(x);
  cet_price_destroy(&t);
  return status;
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
  CET_CALL(cet_price_model_new(&t, CET_PRICE_AR));
  t->scale = s->scale;
  t->log_mean = s->log_mean != 0;
  int first_year = s->last_year - (int)s->n_history + 1;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail,
                cet_price_copy_values(t, first_year, s->n_history, s->history, "AR model history"));
  for (size_t i = 0; i < t->n; i++) {
    CET_CHECK_GOTO(status, fail, t->scale != CET_PRICE_LOG || t->values[i] > 0.0, CET_ERR_INPUT,
                   "AR model in log scale: expected history prices > 0, found %g in year %ld",
                   t->values[i], (long)first_year + (long)i);
  }
  t->order = s->order;
  t->intercept = s->intercept;
  t->intercept_se = NAN;
  for (int i = 0; i < s->order; i++) {
    t->phi[i] = s->phi[i];
    t->phi_se[i] = NAN;
    t->tail[i] = cet_price_to_model_scale(t, t->values[t->n - (size_t)s->order + (size_t)i]);
  }
  t->sigma2 = s->sigma * s->sigma;
  t->aic = NAN;
  t->last_year = s->last_year;
  *m = t;
  return CET_OK;
fail:
  cet_price_destroy(&t);
  return status;
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
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, sum != NULL && count != NULL);
  for (size_t i = 0; i < s->n; i++) {
    size_t k = (size_t)(s->year[i] - y0);
    sum[k] += s->value[i];
    count[k]++;
  }
  for (size_t k = 0; k < years; k++) {
    CET_CHECK_GOTO(status, fail, count[k] != 0, CET_ERR_INPUT,
                   "%s: expected observations in every year from %d to %d, found none in %d",
                   s->source, y0, y1, y0 + (int)k);
    sum[k] /= (double)count[k];
  }
  free(count);
  *first_year = y0;
  *n = years;
  *values = sum;
  return CET_OK;
fail:
  free(sum);
  free(count);
  return status;
}
