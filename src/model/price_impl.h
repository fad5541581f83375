/*
 * price_impl.h — private layout of price models, correlated sets and their
 * workspaces (see include/cetwin/price.h).
 */
#ifndef CETWIN_PRICE_IMPL_H
#define CETWIN_PRICE_IMPL_H

#include "cetwin/price.h"

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

#endif /* CETWIN_PRICE_IMPL_H */
