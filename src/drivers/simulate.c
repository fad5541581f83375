/*
 * simulate.c — the simulate driver: one evaluation of the case's twin at
 * the values of the case (after --set), on rank 0, then the summary and
 * /simulate (see drivers.h), with a warning for each unit whose unknown
 * consumption leaves the design unpriced; the warnings of the twin's
 * diagnostics that every analysis shares.
 */
#include "cetwin/drivers.h"

#include "report.h"
#include "simulate_report.h"

#include "cetwin/error.h"
#include "cetwin/log.h"

#include <math.h>
#include <stdlib.h>

/* Library process units whose inflow lies outside the process's window on
 * the feed composition: the split factors are then an extrapolation. */
static void warn_windows(const cet_twin *t, const cet_twin_workspace *w,
                         const cet_twin_diagnostics *d) {
  for (size_t u = 0; d->outside_window > 0 && u < cet_twin_unit_count(t); u++) {
    if (cet_twin_unit_outside_window(t, w, u)) {
      cet_log_warn("simulate: unit '%s' receives a composition outside the acceptance window of "
                   "process %s; its split factors are applied as given",
                   cet_twin_unit_name(t, u), cet_twin_unit_process(t, u));
    }
  }
}

/* Units that carry flow with an unknown consumption (~): the design cannot
 * be priced and is infeasible (twin.h, CET_TWIN_UNKNOWN_CONSUMPTION). */
static void warn_unknown(const cet_twin *t, const cet_twin_workspace *w, const double *metrics) {
  long m = cet_twin_metric_find(t, CET_TWIN_UNKNOWN_CONSUMPTION);
  if (m < 0 || !(metrics[m] > 0.0)) {
    return;
  }
  const double *consumption = cet_twin_workspace_unit_consumption(w);
  const cet_names *carriers = cet_twin_carriers(t);
  for (size_t u = 0; u < cet_twin_unit_count(t); u++) {
    for (size_t k = 0; k < carriers->n; k++) {
      if (isnan(consumption[u * carriers->n + k])) {
        cet_log_warn("simulate: unit '%s' carries flow but its consumption of %s is unknown (~): "
                     "the consumptions, energy, cost and CO2e that include it are unknown and "
                     "the design is infeasible (metric %s = %g)",
                     cet_twin_unit_name(t, u), carriers->name[k], CET_TWIN_UNKNOWN_CONSUMPTION,
                     metrics[m]);
        break;
      }
    }
  }
}

void cet_drv_warn_closure(const char *analysis, const cet_twin *t, const cet_twin_diagnostics *d) {
  if (d->closure_exceeded) {
    cet_log_warn("%s: mass balance closure %.3g exceeds %g at unit %s", analysis, d->closure,
                 CET_TWIN_CLOSURE_TOLERANCE, cet_twin_unit_name(t, d->closure_unit));
  }
}

int cet_drv_check_closure(const char *analysis, const cet_twin *t) {
  cet_drv_evaluation e;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_evaluate_defaults(t, &e));
  cet_twin_diagnostics d;
  cet_twin_diagnose(t, e.w, &d);
  cet_drv_warn_closure(analysis, t, &d);
done:
  cet_drv_evaluation_free(&e);
  return status;
}

int cet_drv_evaluate_defaults(const cet_twin *t, cet_drv_evaluation *e) {
  *e = (cet_drv_evaluation){0};
  CET_CALL(cet_twin_workspace_create(t, &e->w));
  e->metrics = malloc((cet_twin_metric_count(t) + 1) * sizeof *e->metrics);
  CET_CHECK_ALLOC(e->metrics);
  return cet_twin_evaluate(t, cet_twin_parameter_defaults(t), e->w, e->metrics);
}

void cet_drv_evaluation_free(cet_drv_evaluation *e) {
  free(e->metrics);
  e->metrics = NULL;
  cet_twin_workspace_destroy(&e->w);
}

int cet_driver_simulate(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL, CET_ERR_RUNTIME, "the case has no network to simulate");
  if (ctx->rank != 0) {
    return CET_OK;
  }
  const cet_twin *t = c->twin;
  cet_drv_evaluation e;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_evaluate_defaults(t, &e));
  cet_drv_simulation s = {
      .c = c, .twin = t, .params = cet_twin_parameter_defaults(t), .metrics = e.metrics, .w = e.w};
  cet_twin_diagnose(t, e.w, &s.diagnostics);
  warn_windows(t, e.w, &s.diagnostics);
  warn_unknown(t, e.w, e.metrics);
  CET_CALL_GOTO(status, done, cet_drv_simulate_print(&s, ctx->summary));
  CET_CALL_GOTO(status, done, cet_drv_simulate_print_choices(&s, ctx->summary));
  CET_CALL_GOTO(status, done, cet_drv_simulate_write(&s, ctx->result));
  CET_CALL_GOTO(status, done, cet_drv_simulate_write_choices(&s, ctx->result));
  CET_CALL_GOTO(status, done,
                cet_drv_ar_report(t, ctx->verbose ? ctx->summary : NULL, ctx->result));
done:
  cet_drv_evaluation_free(&e);
  return status;
}
