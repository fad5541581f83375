/*
 * simulate_report.h — presentation of one twin evaluation (private to
 * src/drivers): the printed summary and the /simulate group.
 */
#ifndef CETWIN_SIMULATE_REPORT_H
#define CETWIN_SIMULATE_REPORT_H

#include "cetwin/case.h"
#include "cetwin/result.h"
#include "cetwin/twin.h"

#include <stdio.h>

/* The evaluation being reported: the parameter values used, the metrics
 * and the workspace holding the flows. */
typedef struct {
  const cet_case *c;
  const cet_twin *twin;
  const double *params;
  const double *metrics;
  const cet_twin_workspace *w;
} cet_simulation;

/* Prints the key metrics, the sinks, the largest flows and the worst
 * closure to out. */
int cet_simulate_print(const cet_simulation *s, FILE *out);

/* Prints the key metrics of n named metrics (units and values alike; the
 * per-sink and per-mass details left to the file), from a run or from a
 * result file (cet_info_simulate). */
void cet_metrics_print(size_t n, const char *const *names, const char *const *units,
                       const double *values, FILE *out);

/* The flowsheet choice units (simulate_choice.c): the chain each uses and
 * whether it accepts the inflow, printed (a warning for each that does
 * not) and written to /simulate/choices; nothing when there are none. */
int cet_simulate_print_choices(const cet_simulation *s, FILE *out);
int cet_simulate_write_choices(const cet_simulation *s, cet_result *r);

/* Writes /simulate into the result file. */
int cet_simulate_write(const cet_simulation *s, cet_result *r);

#endif /* CETWIN_SIMULATE_REPORT_H */
