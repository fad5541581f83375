/*
 * reconcile_report.h — the summary of a reconciliation (private to
 * src/drivers), printed from a view that the run (reconcile.c) and
 * `cetwin info` (reconcile_info.c) fill alike.
 */
#ifndef CETWIN_RECONCILE_REPORT_H
#define CETWIN_RECONCILE_REPORT_H

#include "cetwin/drivers.h"
#include "cetwin/reconcile.h"

#include <stdio.h>

/* What the summary prints: the outcome r (its per-measurement arrays hold
 * n values) and the measurements as the case states them. */
typedef struct {
  const cet_reconcile_result *r;
  size_t n;                                                   /* measurements */
  const char *const *stream, *const *quantity, *const *where; /* [n] */
  const char *const *units;                                   /* [n] */
  const double *measured, *sd;                                /* [n] */
  const char *const *stream_name;                             /* [r->n_streams] */
  const char *flow_units, *source;
  double tolerance, alpha;
} cet_drv_reconcile_view;

/* Prints the header (method, counts), the measurements with their
 * adjustments and classes, the tests with the culprit, and the reconciled
 * streams. */
void cet_drv_reconcile_view_print(const cet_drv_reconcile_view *v, FILE *out);

/* What the table of derived parameters prints: per parameter (n, ordered
 * by unit) its unit's name and kind and the reason it was derived or kept
 * (cet_split_reason_name), and the parameter file written ("" or NULL:
 * none). */
typedef struct {
  size_t n;
  const char *const *unit, *const *kind, *const *reason; /* [n] */
  const char *file;
} cet_reconcile_parameters_view;

/* Prints the count of derived parameters, where they were written, and a
 * line per unit: derived, kept and why kept (each reason with its count). */
void cet_drv_reconcile_parameters_print(const cet_reconcile_parameters_view *v, FILE *out);

/* The parameters the reconciled flows r imply (reconcile_split.h), from
 * the case's values params: a table per unit on ctx->summary,
 * /reconcile/parameters, and the parameter file of
 * reconcile.write_parameters when the case names one (written atomically).
 * Rank 0 only. */
int cet_drv_reconcile_parameters_report(const cet_case *c, const cet_reconcile_result *r,
                                        const double *params, const cet_run_context *ctx);

#endif /* CETWIN_RECONCILE_REPORT_H */
