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
void cet_simulate_print(const cet_simulation *s, FILE *out);

/* Writes /simulate into the result file. */
int cet_simulate_write(const cet_simulation *s, cet_result *r);

#endif /* CETWIN_SIMULATE_REPORT_H */
