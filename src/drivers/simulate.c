/*
 * simulate.c — the simulate driver: one evaluation of the case's twin at
 * the values of the case (after --set), on rank 0, then the summary and
 * /simulate (see drivers.h).
 */
#include "cetwin/drivers.h"

#include "report.h"
#include "simulate_report.h"

#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/process.h"

#include <stdlib.h>

/* Tolerance of the acceptance windows when a library unit's inflow is
 * compared with them (as in enumeration). */
static const double SIMULATE_WINDOW_TOLERANCE = 1e-12;

/* Library process units whose inflow lies outside the process's window on
 * the feed composition: the split factors are then an extrapolation. */
static void warn_windows(const cet_case *c, const cet_twin *t, const cet_twin_workspace *w) {
  const double *x = cet_twin_workspace_unit_inflow(w);
  size_t nc = cet_twin_components(t)->n;
  for (size_t u = 0; u < cet_twin_unit_count(t); u++) {
    const char *id = cet_twin_unit_process(t, u);
    if (!id) {
      continue;
    }
    long p = cet_library_find(c->library, id);
    double total = 0.0;
    for (size_t k = 0; k < nc; k++) {
      total += x[u * nc + k];
    }
    if (p >= 0 && total > 0.0 &&
        !cet_process_accepts_composition(c->library, (size_t)p, x + u * nc,
                                         SIMULATE_WINDOW_TOLERANCE)) {
      cet_log_warn("simulate: unit '%s' receives a composition outside the acceptance window of "
                   "process %s; its split factors are applied as given",
                   cet_twin_unit_name(t, u), id);
    }
  }
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
  int status = cet_drv_evaluate_defaults(t, &e);
  if (status == CET_OK) {
    warn_windows(c, t, e.w);
    cet_drv_simulation s = {.c = c,
                            .twin = t,
                            .params = cet_twin_parameter_defaults(t),
                            .metrics = e.metrics,
                            .w = e.w};
    status = cet_drv_simulate_print(&s, ctx->summary);
    if (status == CET_OK) {
      status = cet_drv_simulate_print_choices(&s, ctx->summary);
    }
    if (status == CET_OK) {
      status = cet_drv_simulate_write(&s, ctx->result);
    }
    if (status == CET_OK) {
      status = cet_drv_simulate_write_choices(&s, ctx->result);
    }
    if (status == CET_OK) {
      status = cet_drv_ar_report(t, ctx->verbose ? ctx->summary : NULL, ctx->result);
    }
  }
  cet_drv_evaluation_free(&e);
  return status;
}
