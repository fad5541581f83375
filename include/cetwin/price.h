/*
 * price.h — price models of commodities and energy carriers: constant,
 * explicit yearly path, or autoregressive AR(p) in level or in log fitted by
 * least squares to a yearly history; mean forecasts with 75 % and 95 %
 * bands; stochastic paths; correlated shocks across commodities.
 *
 * Time is in calendar years. A model answers "the price in year y": a
 * constant for every y; a path for the years it lists; an AR model returns
 * its history for the years it covers and forecasts after its last year.
 * Callers map DCF year t to calendar year first_year + t.
 *
 * AR(p): x_t = c + phi_1 x_{t-1} + ... + phi_p x_{t-p} + sigma e_t, with
 * x = price (level scale) or x = ln(price) (log scale) and e_t iid N(0, 1).
 * Fitted by ordinary least squares on the observations t = p+1..n
 * (conditional least squares; GSL gsl_multifit_linear), sigma^2 =
 * RSS / (n_eff - p - 1). The order is fixed or chosen by the Akaike
 * information criterion AIC(p) = n_eff ln(RSS / n_eff) + 2 (p + 1), every
 * candidate order fitted on the same observations t = p_max+1..n so that
 * the criteria are comparable; the chosen order is then refitted on all its
 * observations.
 *
 * Forecast h years after the last observation: mean m_h by the recursion
 * with future shocks set to 0, error variance v_h = sigma^2 sum_{j<h}
 * psi_j^2 with psi_0 = 1, psi_j = sum_{i=1..min(j,p)} phi_i psi_{j-i}
 * (Box, Jenkins and Reinsel, "Time Series Analysis", 4th ed., sec. 5.1).
 * Bands are m_h + z_q sqrt(v_h), z_q the standard normal quantile (log
 * scale: exp of that, a quantile of the lognormal). The seed's pessimistic /
 * mean / optimistic forecasts are the lower 95 % limit, the mean and the
 * upper 95 % limit (Suppes and Heuss-Assbichler 2021, Table 3 footnote).
 * In log scale the mean is exp(m_h + v_h / 2) by default (the mean of the
 * simulated paths), or the median exp(m_h) if asked. Parameter uncertainty
 * is not included in the bands.
 */
#ifndef CETWIN_PRICE_H
#define CETWIN_PRICE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Highest AR order accepted. */
enum { CET_PRICE_MAX_ORDER = 16 };

typedef enum { CET_PRICE_CONSTANT = 0, CET_PRICE_PATH, CET_PRICE_AR } cet_price_kind;

typedef enum { CET_PRICE_LEVEL = 0, CET_PRICE_LOG } cet_price_scale;

/* Deterministic forecast paths. */
typedef enum {
  CET_PRICE_LOWER95 = 0, /* 2.5 % quantile: the pessimistic forecast */
  CET_PRICE_LOWER75,     /* 12.5 % quantile */
  CET_PRICE_MEAN,        /* mean (log scale: mean or median, see log_mean) */
  CET_PRICE_UPPER75,     /* 87.5 % quantile */
  CET_PRICE_UPPER95      /* 97.5 % quantile: the optimistic forecast */
} cet_price_band;

#define CET_PRICE_PESSIMISTIC CET_PRICE_LOWER95
#define CET_PRICE_OPTIMISTIC CET_PRICE_UPPER95

/* Options of an AR fit. */
typedef struct {
  cet_price_scale scale; /* default CET_PRICE_LEVEL */
  int order;             /* p >= 1, or 0 to choose by AIC in 1..max_order (default 0) */
  int max_order;         /* upper bound of the AIC search (default 4) */
  int log_mean;          /* log scale: 1 (default) = the MEAN band is exp(m + v/2), 0 = exp(m) */
} cet_price_ar_parameters;

cet_price_ar_parameters cet_price_ar_default_parameters(void);

/* An AR model given by its coefficients instead of fitted (e.g. from a case
 * file): the history must hold at least `order` values, the last one in
 * last_year. */
typedef struct {
  cet_price_scale scale;
  int order;
  double intercept;
  const double *phi; /* order coefficients */
  double sigma;      /* standard deviation of the shocks (model scale) */
  int last_year;
  size_t n_history;
  const double *history; /* prices (not logs), oldest first */
  int log_mean;
} cet_price_ar_spec;

/* Results of an AR model. Pointers refer into the model. */
typedef struct {
  cet_price_scale scale;
  int order;
  double intercept, intercept_se;
  const double *phi, *phi_se; /* order values each; standard errors NaN for a given model */
  double sigma2;              /* shock variance on the model scale */
  double aic;                 /* NaN for a given model */
  size_t n_eff;               /* observations in the final fit (0 for a given model) */
  int first_year, last_year;  /* years of the history */
} cet_price_ar_info;

typedef struct cet_price_model cet_price_model;

/* A constant price (finite). */
int cet_price_create_constant(cet_price_model **m, double value);

/* Explicit prices for the years first_year .. first_year + n - 1. */
int cet_price_create_path(cet_price_model **m, int first_year, size_t n, const double *values);

/* Fits an AR model to the yearly history values[0..n-1] of the years
 * first_year .. first_year + n - 1. params NULL = defaults. CET_ERR_INPUT
 * for too short, constant, non-finite or (log scale) non-positive
 * histories and invalid orders. */
int cet_price_fit_ar(cet_price_model **m, int first_year, size_t n, const double *values,
                     const cet_price_ar_parameters *params);

/* An AR model from given coefficients. */
int cet_price_create_ar(cet_price_model **m, const cet_price_ar_spec *spec);

/* Frees m (NULL allowed) and sets *m to NULL. */
void cet_price_destroy(cet_price_model **m);

/* Deep copy of m (history, coefficients and residuals). */
int cet_price_copy(const cet_price_model *m, cet_price_model **out);

cet_price_kind cet_price_model_kind(const cet_price_model *m);

/* Coefficients and statistics of an AR model (CET_ERR_INPUT otherwise). */
int cet_price_ar_get_info(const cet_price_model *m, cet_price_ar_info *info);

/* Dated observations of a price in date order (a history as read from a
 * file; borrowed arrays). */
typedef struct {
  size_t n;
  const int *year;     /* [n] calendar year of each observation */
  const double *value; /* [n] */
  const char *source;  /* where they come from, for messages */
} cet_price_observations;

/* Yearly means of observations (monthly or daily observations averaged per
 * calendar year; yearly ones are copied). *values is allocated (free()),
 * covering *first_year .. *first_year + *n - 1. A calendar year without
 * observations between the first and the last is an error (a gap). */
int cet_price_yearly_means(const cet_price_observations *s, int *first_year, size_t *n,
                           double **values);

/* Deterministic path of a band for the years first_year .. first_year +
 * n_years - 1 into out[0..n_years-1]. Years of the history give the
 * history; years before a path or history are an error. */
int cet_price_forecast(const cet_price_model *m, int first_year, size_t n_years,
                       cet_price_band band, double *out);

/* As cet_price_forecast for the quantile of probability prob in (0, 1). */
int cet_price_forecast_quantile(const cet_price_model *m, int first_year, size_t n_years,
                                double prob, double *out);

/* Standard deviation of the forecast error on the model scale (0 for
 * history years and deterministic models). */
int cet_price_forecast_sd(const cet_price_model *m, int first_year, size_t n_years, double *sd);

/* Number of standard normal shocks a stochastic path of these years needs
 * (the forecast steps up to the last year; 0 for deterministic models). */
size_t cet_price_shocks_needed(const cet_price_model *m, int first_year, size_t n_years);

/* One stochastic path: shocks[h-1] drives forecast step h (h = 1 .. the
 * number given by cet_price_shocks_needed). Allocation-free. */
int cet_price_simulate(const cet_price_model *m, int first_year, size_t n_years,
                       const double *shocks, double *out);

/* ---- several commodities with correlated shocks ------------------------ */

typedef struct cet_price_set cet_price_set;

/* A set of n models (borrowed: they must outlive the set) whose shocks in
 * the same calendar year are correlated: e = L z with L L^T = corr (GSL
 * gsl_linalg_cholesky_decomp1) and z iid N(0, 1); member c's shock is
 * e_c. corr is the n x n correlation matrix (row-major), or NULL to
 * estimate it from the residuals of the fitted AR members over their
 * common years (Pearson). Deterministic members are uncorrelated.
 * CET_ERR_INPUT if corr is not a symmetric matrix with unit diagonal, or
 * not positive definite (the message gives its smallest eigenvalue), or if
 * too few common residual years exist. */
int cet_price_set_create(cet_price_set **s, size_t n, const cet_price_model *const *models,
                         const double *corr);

/* Frees s (NULL allowed) and sets *s to NULL. */
void cet_price_set_destroy(cet_price_set **s);

size_t cet_price_set_size(const cet_price_set *s);

/* The correlation matrix in use (n x n, row-major). */
void cet_price_set_correlation(const cet_price_set *s, double *corr);

/* Per-thread scratch for drawing paths of the years first_year ..
 * first_year + n_years - 1. */
typedef struct cet_price_workspace cet_price_workspace;

int cet_price_workspace_create(const cet_price_set *s, int first_year, size_t n_years,
                               cet_price_workspace **ws);
void cet_price_workspace_destroy(cet_price_workspace **ws);

/* As cet_price_workspace_create, with room for batches of up to max_batch
 * draws for cet_price_set_simulate_batch. */
int cet_price_workspace_create_batch(const cet_price_set *s, int first_year, size_t n_years,
                                     size_t max_batch, cet_price_workspace **ws);

/* Calendar-year steps of shocks a draw uses (each step has n normals). */
size_t cet_price_workspace_steps(const cet_price_workspace *ws);

/* Paths from given standard normals z (steps x n, row-major, step = the
 * calendar years after the earliest last history year): member c's path
 * goes to out[c * ld + t], ld >= n_years (the DCF price layout).
 * Allocation-free. */
int cet_price_set_simulate(const cet_price_set *s, const double *z, cet_price_workspace *ws,
                           double *out, size_t ld);

/* count draws at once (count <= the workspace's batch), the draws
 * innermost with rows of stride >= count values: normal i = k * n + j of
 * draw d (the layout of cet_price_set_simulate) is z[i * stride + d], and
 * member c's price in year t of draw d goes to out[(c * ld + t) * stride +
 * d]. The numbers are those of count calls of cet_price_set_simulate, bit
 * for bit: each draw's arithmetic is the same, only laid out across the
 * draws so that it vectorises (and a caller can read a draw's path in place,
 * with that stride). A stride that is not a multiple of 512 bytes keeps the
 * rows of one draw out of each other's cache sets. Allocation-free. */
int cet_price_set_simulate_batch(const cet_price_set *s, size_t count, size_t stride,
                                 const double *z, cet_price_workspace *ws, double *out, size_t ld);

/* As cet_price_set_simulate with z drawn from r (step by step, member by
 * member, gsl_ran_gaussian_ziggurat). */
int cet_price_set_draw(const cet_price_set *s, gsl_rng *r, cet_price_workspace *ws, double *out,
                       size_t ld);

#endif /* CETWIN_PRICE_H */
