/*
 * simulate_report.h — presentation of one twin evaluation (private to
 * src/drivers): the printed summary and the /simulate group.
 */
#ifndef CETWIN_SIMULATE_REPORT_H
#define CETWIN_SIMULATE_REPORT_H

#include "cetwin/case.h"
#include "cetwin/dcf.h"
#include "cetwin/result.h"
#include "cetwin/twin.h"
#include "cetwin/twin_diagnostics.h"

#include <stdio.h>

/* The evaluation being reported: the parameter values used, the metrics,
 * the workspace holding the flows and what the twin diagnosed of them. */
typedef struct {
  const cet_case *c;
  const cet_twin *twin;
  const double *params;
  const double *metrics;
  const cet_twin_workspace *w;
  cet_twin_diagnostics diagnostics;
} cet_drv_simulation;

/* The tables the simulate summary prints after its header, as a run
 * (cet_drv_simulate_print) or a result file (cet_info_simulate) holds them:
 * arrays row-major, names pointing into the twin or into what was read. */
typedef struct {
  size_t n_metrics;
  const char *const *metric, *const *metric_units; /* [n_metrics] */
  const long long *metric_share;                   /* [n_metrics] 1: a share */
  const cet_twin_metric_family *metric_family;     /* [n_metrics] */
  const double *value;                             /* [n_metrics] */
  const cet_dcf_table *cash;                       /* NULL without economics */
  const char *currency;                            /* of cash */
  size_t n_units, n_components, n_streams;         /* n_units 0: economics alone */
  const char *flow_units;
  const char *const *unit, *const *type, *const *sink_kind; /* [n_units] */
  const char *const *component;                             /* [n_components] */
  const double *inflow, *closure;                           /* [n_units x n_components] */
  const char *const *stream_from, *const *stream_outlet, *const *stream_to; /* [n_streams] */
  const double *flow;   /* [n_streams x n_components] */
  const double *exergy; /* [n_units x CET_EXERGY_TERMS]; NULL without */
} cet_drv_simulate_view;

/* Prints the key metrics, the cash-flow table, the sinks, the largest
 * flows, the worst closure and the exergy table of v (simulate_print.c). */
void cet_drv_simulate_view_print(const cet_drv_simulate_view *v, FILE *out);

/* The flowsheet choice units as printed: for each, its name, the chain
 * used (1-based) of how many, the chain's processes and whether it
 * accepts the inflow (the text the run printed). */
typedef struct {
  size_t n;
  const char *const *unit, *const *processes, *const *verdict; /* [n] */
  const long long *chain, *chains;                             /* [n] */
} cet_drv_choices_view;

/* Prints the "Flowsheet choices" block of v (nothing when v->n is 0). */
void cet_drv_choices_view_print(const cet_drv_choices_view *v, FILE *out);

/* Prints the header, the tables of cet_drv_simulate_view_print, and warns when
 * the closure breaks the closure rule (cet_drv_warn_closure). */
int cet_drv_simulate_print(const cet_drv_simulation *s, FILE *out);

/* Prints the key metrics of v: those of family CET_METRIC_FAMILY_HEADLINE
 * (details, per-unit terms and the cash flow are left to the file and to
 * the tables of their own). */
void cet_drv_metrics_print(const cet_drv_simulate_view *v, FILE *out);

/* Index of the metric called name among n, or -1. */
long cet_drv_metrics_find(size_t n, const char *const *names, const char *name);

/* The flowsheet choice units (simulate_choice.c): the chain each uses and
 * whether it accepts the inflow, printed (a warning for each that does
 * not) and written to /simulate/choices; nothing when there are none. */
int cet_drv_simulate_print_choices(const cet_drv_simulation *s, FILE *out);
int cet_drv_simulate_write_choices(const cet_drv_simulation *s, cet_result *r);

/* Writes /simulate into the result file. */
int cet_drv_simulate_write(const cet_drv_simulation *s, cet_result *r);

#endif /* CETWIN_SIMULATE_REPORT_H */
