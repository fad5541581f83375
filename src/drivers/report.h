/*
 * report.h — what the printed summaries of every analysis share (private
 * to src/drivers): the "parallel configuration" line that heads each run's
 * summary, `cetwin info`'s account of a result file, the AR price models,
 * and the one evaluation of the twin that simulate and reconcile report.
 */
#ifndef CETWIN_DRIVERS_REPORT_H
#define CETWIN_DRIVERS_REPORT_H

#include "cetwin/price.h"
#include "cetwin/result.h"
#include "cetwin/twin.h"

#include <stdio.h>

/* Prints "  parallel configuration: R MPI ranks x T OpenMP threads per
 * rank, WORK, seed S": work says how the work is dealt (islands or blocks
 * per rank; NULL or "": nothing), a seed < 0 is left out. */
void cet_drv_print_parallel(FILE *out, long long ranks, long long threads, const char *work,
                            long long seed);

/* ---- the AR price models of a twin (price_report.c) ---- */

enum { CET_DRV_AR_NAME_LEN = 128 };

/* One AR model: fitted to a history (aic finite) or given in the case. */
typedef struct {
  char name[CET_DRV_AR_NAME_LEN], units[CET_DRV_AR_NAME_LEN]; /* the series and its price units */
  int log_scale;                                              /* 1: x = ln price, 0: x = price */
  int order;
  double intercept, intercept_se;                               /* model scale; se NaN when given */
  double phi[CET_PRICE_MAX_ORDER], phi_se[CET_PRICE_MAX_ORDER]; /* NaN beyond the order */
  double sigma;                           /* standard deviation of the shocks, model scale */
  double aic;                             /* NaN when given */
  long long n_eff, first_year, last_year; /* observations of the fit, years of the history */
} cet_drv_ar_model;

/* The AR models of a twin, the correlation of their shocks and their
 * forecast bands (cet_price_band order) over the cash flow's years. */
typedef struct {
  size_t n;
  cet_drv_ar_model *model;
  double *corr; /* [n x n] */
  size_t years; /* of the bands */
  long long first_year;
  double *bands; /* [n x 5 x years], price units */
} cet_drv_ar_models;

/* Collects the AR models of t (none: n = 0). Free with cet_drv_ar_free. */
int cet_drv_ar_collect(const cet_twin *t, cet_drv_ar_models *a);

/* Reads /prices/ar of a result file back (cetwin info). */
int cet_drv_ar_read(cet_result_reader *in, cet_drv_ar_models *a);

void cet_drv_ar_free(cet_drv_ar_models *a);

/* Prints the models: order, coefficients +- standard errors, sigma, the
 * 95 % band in the last year, the correlation of the shocks. */
void cet_drv_ar_print(const cet_drv_ar_models *a, FILE *out);

/* Writes /prices/ar (docs/hdf5-schema.md); nothing without AR models. */
int cet_drv_ar_write(const cet_drv_ar_models *a, cet_result *r);

/* The AR models of t printed to out (NULL: not printed) and written to r
 * (NULL: not written). Rank 0. */
int cet_drv_ar_report(const cet_twin *t, FILE *out, cet_result *r);

/* Prints the models of /prices/ar of a result file, if it has them. */
int cet_drv_ar_info(cet_result_reader *in, FILE *out);

/* ---- one evaluation of the twin at the case's values (simulate.c) ---- */

/* The twin evaluated at its parameter values (the case's, after --set): the
 * workspace holding its flows and the metric vector. */
typedef struct {
  cet_twin_workspace *w;
  double *metrics; /* [cet_twin_metric_count] */
} cet_drv_evaluation;

/* Creates e's workspace and metrics and evaluates t at its parameter
 * defaults into them. Free e with cet_drv_evaluation_free, also after a
 * failure. */
int cet_drv_evaluate_defaults(const cet_twin *t, cet_drv_evaluation *e);
void cet_drv_evaluation_free(cet_drv_evaluation *e);

#endif /* CETWIN_DRIVERS_REPORT_H */
