/*
 * reconcile.c — the reconcile driver (drivers.h): the measurements of the
 * case reconciled on the twin's network (reconcile.h) on rank 0, starting
 * from the twin's steady state, then the summary (reconcile_print.c, from
 * a view of the outcome) and /reconcile.
 */
#include "cetwin/drivers.h"

#include "reconcile_report.h"
#include "report.h"

#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/reconcile.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAME_LEN = 128 };

static const char *measure_units(const cet_twin *t, const cet_measurement *m) {
  return m->kind == CET_MEASURE_FRACTION ? "1" : cet_twin_flow_units(t);
}

/* The measurements of the case as the summary and /reconcile show them:
 * v's per-measurement columns allocated (measurements_free). */
static int measurements_fill(const cet_case *c, const cet_reconcile_result *r, char *const *names,
                             cet_drv_reconcile_view *v) {
  const cet_twin *t = c->twin;
  const cet_reconcile_spec *s = c->reconcile;
  size_t n = s->n;
  const char **stream = calloc(n + 1, sizeof *stream);
  const char **quantity = calloc(n + 1, sizeof *quantity);
  const char **where = calloc(n + 1, sizeof *where);
  const char **units = calloc(n + 1, sizeof *units);
  double *measured = calloc(n + 1, sizeof *measured);
  double *sd = calloc(n + 1, sizeof *sd);
  *v = (cet_drv_reconcile_view){.r = r,
                                .n = n,
                                .stream = stream,
                                .quantity = quantity,
                                .where = where,
                                .units = units,
                                .measured = measured,
                                .sd = sd,
                                .stream_name = (const char *const *)names,
                                .flow_units = cet_twin_flow_units(t),
                                .source = s->source,
                                .tolerance = s->tolerance,
                                .alpha = s->alpha};
  CET_CHECK_ALLOCS(stream && quantity && where && units && measured && sd);
  for (size_t i = 0; i < n; i++) {
    const cet_measurement *m = &s->measure[i];
    stream[i] = names[m->stream];
    quantity[i] = m->quantity;
    where[i] = m->where;
    units[i] = measure_units(t, m);
    measured[i] = m->value;
    sd[i] = m->sd;
  }
  return CET_OK;
}

static void measurements_free(cet_drv_reconcile_view *v) {
  free((void *)v->stream);
  free((void *)v->quantity);
  free((void *)v->where);
  free((void *)v->units);
  free((void *)v->measured);
  free((void *)v->sd);
}

/* ---- /reconcile ---- */

static int write_measurements(const cet_drv_reconcile_view *v, cet_result *f) {
  const cet_reconcile_result *r = v->r;
  size_t n = v->n;
  long long *redundant = calloc(n + 1, sizeof *redundant);
  long long *used = calloc(n + 1, sizeof *used);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, redundant && used);
  for (size_t i = 0; i < n; i++) {
    redundant[i] = r->redundant[i];
    used[i] = r->used[i];
  }
  const char *g = "/reconcile/measurements/";
  char path[NAME_LEN];
  struct {
    const char *name, *description;
    const char *const *values;
  } texts[] = {
      {"stream", "stream measured, UNIT.OUTLET", v->stream},
      {"quantity", "quantity measured: total, flow.COMPONENT or fraction.COMPONENT", v->quantity},
      {"units", "units of the measured quantity", v->units},
      {"where", "where the case states the measurement (FILE:LINE:COLUMN)", v->where},
  };
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    cet_dataset_meta m = {.description = texts[k].description, .dims = "measurement"};
    snprintf(path, sizeof path, "%s%s", g, texts[k].name);
    CET_CALL_GOTO(status, done, cet_result_write_strings(f, path, n, texts[k].values, &m));
  }
  struct {
    const char *name, *description;
    const double *values;
    int per_unit;
  } numbers[] = {
      {"measured", "measured value", v->measured, 1},
      {"sd", "standard deviation of the measurement", v->sd, 1},
      {"reconciled",
       "reconciled value (for a measurement set aside: the estimate without it; NaN "
       "when not determined)",
       r->reconciled, 1},
      {"reconciled_sd", "standard deviation of the reconciled value", r->reconciled_sd, 1},
      {"adjustment", "measured minus reconciled value", r->adjustment, 1},
      {"normalised_adjustment",
       "adjustment over its standard deviation (NaN when it cannot be improved or is set aside)",
       r->normalised, 0},
  };
  for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
    cet_dataset_meta m = {.description = numbers[k].description, .dims = "measurement"};
    if (numbers[k].per_unit) {
      m.unit_list = v->units;
      m.n_units = n;
    } else {
      m.units = "1";
    }
    snprintf(path, sizeof path, "%s%s", g, numbers[k].name);
    CET_CALL_GOTO(status, done, cet_result_write_doubles(f, path, 1, &n, numbers[k].values, &m));
  }
  cet_dataset_meta mr = {.units = "1",
                         .description = "1 when the measurement is redundant (its adjustment has "
                                        "a positive variance), 0 when it cannot be improved",
                         .dims = "measurement"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_ints(f, "/reconcile/measurements/redundant", 1, &n, redundant, &mr));
  cet_dataset_meta mu = {.units = "1",
                         .description = "1 when the measurement is used, 0 when set aside as a "
                                        "gross error",
                         .dims = "measurement"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(f, "/reconcile/measurements/used", 1, &n, used, &mu));
done:
  free(redundant);
  free(used);
  return status;
}

static int write_streams(const cet_case *c, const cet_reconcile_result *r, char *const *names,
                         cet_result *f) {
  const cet_twin *t = c->twin;
  size_t ne = r->n_streams, nc = r->n_components, nf = ne * nc;
  const cet_names *comps = cet_twin_components(t);
  const char *fu = cet_twin_flow_units(t);
  long long *obs = calloc(nf + 1, sizeof *obs);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, obs);
  cet_dataset_meta mc = {.description = "tracked components", .dims = "component", .labels = 1};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(f, "/reconcile/components", comps->n,
                                         (const char *const *)comps->name, &mc));
  cet_dataset_meta ms = {.description = "stream name: source unit and outlet, UNIT.OUTLET",
                         .dims = "stream",
                         .labels = 1};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_strings(f, "/reconcile/streams/name", ne, (const char *const *)names, &ms));
  size_t d2[2] = {ne, nc};
  cet_dataset_meta m = {.units = fu,
                        .columns = (const char *const *)comps->name,
                        .n_columns = nc,
                        .dims = "stream,component"};
  m.description = "reconciled mass flow of each stream per component (NaN when not determined)";
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(f, "/reconcile/streams/flow", 2, d2, r->flow, &m));
  m.description = "standard deviation of the reconciled component flow";
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(f, "/reconcile/streams/flow_sd", 2, d2, r->flow_sd, &m));
  m.dims = "stream";
  m.columns = NULL;
  m.n_columns = 0;
  m.description = "reconciled total mass flow of each stream (NaN when not determined)";
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(f, "/reconcile/streams/total", 1, &ne, r->total, &m));
  m.description = "standard deviation of the reconciled total flow";
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(f, "/reconcile/streams/total_sd", 1, &ne, r->total_sd, &m));
  for (size_t i = 0; i < nf; i++) {
    obs[i] = r->flow_observable[i];
  }
  cet_dataset_meta mo = {.units = "1",
                         .description = "1 when the measurements determine the component flow "
                                        "(observable), 0 when they cannot",
                         .columns = (const char *const *)comps->name,
                         .n_columns = nc,
                         .dims = "stream,component"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(f, "/reconcile/streams/flow_observable", 2, d2, obs, &mo));
  for (size_t e = 0; e < ne; e++) {
    obs[e] = r->total_observable[e];
  }
  mo.description = "1 when the measurements determine the total flow (observable), 0 when they "
                   "cannot";
  mo.dims = "stream";
  mo.columns = NULL;
  mo.n_columns = 0;
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(f, "/reconcile/streams/total_observable", 1, &ne, obs, &mo));
done:
  free(obs);
  return status;
}

static int write_dropped(const cet_reconcile_result *r, cet_result *f) {
  size_t n = r->n_dropped;
  long long *index = calloc(n + 1, sizeof *index);
  CET_CHECK_ALLOC(index);
  for (size_t d = 0; d < n; d++) {
    index[d] = (long long)r->dropped[d];
  }
  cet_dataset_meta m = {.units = "1",
                        .description = "measurements set aside as gross errors, in order "
                                       "(indices into /reconcile/measurements, from 0)",
                        .dims = "dropped"};
  int status = cet_result_write_ints(f, "/reconcile/dropped/measurement", 1, &n, index, &m);
  free(index);
  CET_CALL(status);
  cet_dataset_meta ms = {.units = "1",
                         .description = "normalised adjustment of each measurement set aside, "
                                        "when it was set aside",
                         .dims = "dropped"};
  CET_CALL(cet_result_write_doubles(f, "/reconcile/dropped/normalised_adjustment", 1, &n,
                                    r->dropped_statistic, &ms));
  return CET_OK;
}

static int write_tests(const cet_case *c, const cet_reconcile_result *r, cet_result *f) {
  const cet_reconcile_spec *s = c->reconcile;
  const char *g = "/reconcile";
  CET_CALL(cet_result_attr_string(f, g, "source", s->source));
  CET_CALL(cet_result_attr_string(f, g, "csv", s->csv ? s->csv : ""));
  CET_CALL(cet_result_attr_string(f, g, "method",
                                  r->linear ? "linear: closed form"
                                            : "bilinear: Gauss-Newton (successive linearisation)"));
  CET_CALL(cet_result_attr_int(f, g, "iterations", (long long)r->iterations));
  CET_CALL(cet_result_attr_double(f, g, "tolerance", s->tolerance));
  CET_CALL(cet_result_attr_double(f, g, "alpha", s->alpha));
  CET_CALL(cet_result_attr_int(f, g, "rank", (long long)r->rank));
  CET_CALL(cet_result_attr_int(f, g, "measurements_used", (long long)r->n_used));
  CET_CALL(cet_result_attr_int(f, g, "dof", (long long)r->dof));
  CET_CALL(cet_result_attr_double(f, g, "chi_square", r->chi_square));
  CET_CALL(cet_result_attr_double(f, g, "chi_square_critical", r->chi_critical));
  CET_CALL(cet_result_attr_double(f, g, "p_value", r->p_value));
  CET_CALL(cet_result_attr_string(f, g, "global_test",
                                  r->dof == 0                       ? "undefined"
                                  : r->chi_square > r->chi_critical ? "failed"
                                                                    : "passed"));
  CET_CALL(cet_result_attr_double(f, g, "normalised_adjustment_critical", r->z_critical));
  CET_CALL(cet_result_attr_int(f, g, "culprit", (long long)r->culprit));
  CET_CALL(cet_result_attr_int(f, g, "drop_gross_errors", (long long)s->drop_gross_errors));
  return CET_OK;
}

/* Warns of reconciled flows below zero beyond their uncertainty. */
static void warn_negative(const cet_twin *t, const cet_reconcile_result *r, char *const *stream) {
  for (size_t e = 0; e < r->n_streams; e++) {
    for (size_t k = 0; k < r->n_components; k++) {
      size_t i = e * r->n_components + k;
      if (r->flow_observable[i] && r->flow[i] < -2.0 * r->flow_sd[i]) {
        const char *name = stream[e];
        cet_log_warn("reconcile: the reconciled flow of %s on stream %s is negative (%g +- %g); "
                     "a measurement near it may be a gross error",
                     cet_twin_components(t)->name[k], name, r->flow[i], r->flow_sd[i]);
      }
    }
  }
}

int cet_driver_reconcile(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL && c->reconcile != NULL, CET_ERR_RUNTIME,
            "the case has no network or no measurements to reconcile");
  if (ctx->rank != 0) {
    return CET_OK;
  }
  const cet_twin *t = c->twin;
  cet_drv_evaluation eval = {0};
  cet_reconcile_result *r = NULL;
  size_t ne = cet_twin_edge_count(t);
  char **stream = calloc(ne + 1, sizeof *stream);
  cet_drv_reconcile_view v = {0};
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, stream);
  for (size_t e = 0; e < ne; e++) {
    CET_CALL_GOTO(status, done, cet_twin_edge_name(t, e, &stream[e]));
  }
  CET_CALL_GOTO(status, done, cet_drv_evaluate_defaults(t, &eval));
  CET_CALL_GOTO(status, done,
                cet_reconcile_run(t, c->reconcile, cet_twin_workspace_edge_flows(eval.w), &r));
  warn_negative(t, r, stream);
  CET_CALL_GOTO(status, done, measurements_fill(c, r, stream, &v));
  cet_drv_reconcile_view_print(&v, ctx->summary);
  CET_CALL_GOTO(status, done, write_measurements(&v, ctx->result));
  CET_CALL_GOTO(status, done, write_streams(c, r, stream, ctx->result));
  CET_CALL_GOTO(status, done, write_dropped(r, ctx->result));
  CET_CALL_GOTO(status, done, write_tests(c, r, ctx->result));
  CET_CALL_GOTO(status, done,
                cet_drv_reconcile_parameters_report(c, r, cet_twin_parameter_defaults(t), ctx));
done:
  measurements_free(&v);
  cet_free_strings(stream, ne);
  cet_reconcile_result_destroy(&r);
  cet_drv_evaluation_free(&eval);
  return status;
}
