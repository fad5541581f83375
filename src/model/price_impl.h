/*
 * price_impl.h — private layout of price models, correlated sets and their
 * workspaces (see include/cetwin/price.h), and the helpers the three price
 * files share: price.c (models, forecasts, single paths), price_fit.c
 * (fitting) and price_set.c (correlated sets, batches of draws).
 */
#ifndef CETWIN_PRICE_IMPL_H
#define CETWIN_PRICE_IMPL_H

#include "cetwin/price.h"

#include <math.h>
#include <stddef.h>

struct cet_price_model {
  cet_price_kind kind;
  cet_price_scale scale;
  int log_mean;
  double constant; /* CONSTANT */
  int first_year;  /* PATH: first year; AR: first year of the history */
  size_t n;        /* PATH: years listed; AR: years of history */
  double *values;  /* PATH values or AR history, as prices */
  /* AR */
  int order;
  int fitted; /* 1 when fitted to a history, 0 when given by coefficients */
  double intercept, intercept_se;
  double phi[CET_PRICE_MAX_ORDER], phi_se[CET_PRICE_MAX_ORDER];
  double sigma2, aic;
  size_t n_eff;
  int last_year;
  double tail[CET_PRICE_MAX_ORDER]; /* last `order` history values, model scale, oldest first */
  double *residual;                 /* n_eff residuals of the years residual_first_year.. */
  int residual_first_year;
};

struct cet_price_set {
  size_t n;
  const cet_price_model **models;
  double *corr;            /* n x n */
  double *chol;            /* n x n, lower triangle of the Cholesky factor */
  int first_forecast_year; /* earliest year after an AR member's history; INT_MAX if none */
};

struct cet_price_workspace {
  const cet_price_set *set; /* the set it was allocated for */
  size_t n, n_years, steps;
  int first_year;
  double *z;     /* steps x n standard normals */
  double *shock; /* n x steps correlated shocks, per member contiguous */
  /* batches of draws (cet_price_set_simulate_batch), draws innermost */
  size_t batch; /* most draws per batch */
  double *es;   /* [n x steps x batch] correlated shocks */
  double *st;   /* [(CET_PRICE_MAX_ORDER + 1) x batch] AR states, and a row of new values */
  double *kn;   /* [years] prices known without forecasting */
};

/* A zeroed model of the given kind in *m (freed with cet_price_destroy). */
int cet_price_model_new(cet_price_model **m, cet_price_kind kind);

/* Copies n finite values of the years first_year.. into m->values (m->first_year,
 * m->n set); what names the model in the messages. */
int cet_price_copy_values(cet_price_model *m, int first_year, size_t n, const double *values,
                          const char *what);

/* Writes the prices known without forecasting (constant, path, history
 * years) into out; forecast years are left untouched. */
void cet_price_fill_known(const cet_price_model *m, int first_year, size_t n_years, double *out);

/* A price on the scale of m's model (its logarithm for a log model), and back. */
static inline double cet_price_to_model_scale(const cet_price_model *m, double price) {
  return m->scale == CET_PRICE_LOG ? log(price) : price;
}

static inline double cet_price_to_price(const cet_price_model *m, double x) {
  return m->scale == CET_PRICE_LOG ? exp(x) : x;
}

#endif /* CETWIN_PRICE_IMPL_H */
