/*
 * scenarios.c — the deterministic evaluations of a Monte Carlo case (see
 * mc_impl.h): the case's own twin at its values, and each scenario (a
 * variant of the case), compared with its reference values (e.g. a table
 * of a paper), printed and written to /mc/deterministic and
 * /mc/scenarios/NAME with the full cash-flow table.
 */
#include "mc_impl.h"

#include "cash_report.h"
#include "report.h"
#include "shards.h"

#include "cetwin/economics.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SCEN_GROUP_LEN = 256, SCEN_PATH_LEN = 512 };

/* One evaluation at the twin's own values. */
typedef struct {
  const cet_twin *twin;
  cet_twin_workspace *w;
  double *metrics;
  cet_dcf_table *table; /* economics twins */
} evaluation;

static void evaluation_free(evaluation *e) {
  cet_twin_workspace_destroy(&e->w);
  free(e->metrics);
  cet_twin_cash_table_destroy(&e->table);
}

static int evaluate(const cet_twin *t, evaluation *e) {
  e->twin = t;
  CET_CALL(cet_twin_workspace_create(t, &e->w));
  e->metrics = calloc(cet_twin_metric_count(t) + 1, sizeof *e->metrics);
  CET_CHECK_ALLOC(e->metrics);
  CET_CALL(cet_twin_evaluate(t, cet_twin_parameter_defaults(t), e->w, e->metrics));
  if (cet_twin_has_economics(t)) {
    CET_CALL(cet_twin_cash_table_create(t, &e->table));
    CET_CALL(cet_twin_workspace_cash_table(e->w, e->table));
  }
  return CET_OK;
}

static double metric_or_nan(const evaluation *e, const char *name) {
  long m = cet_twin_metric_find(e->twin, name);
  return m >= 0 ? e->metrics[m] : NAN;
}

/* ---- printing ---- */

static void print_reference(const cet_scenario *s, const evaluation *e, FILE *out) {
  for (size_t i = 0; i < s->n_reference; i++) {
    double ref = s->reference_value[i];
    double v = metric_or_nan(e, s->reference_metric[i]) / s->reference_scale;
    fprintf(out, "  %-8s %-34s %12.4g %12.4f %+9.2f %%\n", s->name, s->reference_metric[i], ref, v,
            ref != 0.0 ? 100.0 * (v - ref) / fabs(ref) : NAN);
  }
}

void cet_drv_mc_scenario_lines_print(const cet_drv_mc_scenario_line *l, size_t n, FILE *out) {
  fprintf(out, "\n  %-12s %13s %13s %10s %9s %9s  %s\n", "scenario", CET_METRIC_NPV, "reference",
          "deviation", CET_METRIC_IRR, CET_METRIC_PAYBACK,
          "largest deviation of its reference values");
  for (size_t k = 0; k < n; k++) {
    char npv[32], ref[32], dev[32], irr[32], pb[32];
    cet_format_quantity(l[k].npv, l[k].currency, npv, sizeof npv);
    if (isnan(l[k].npv_reference)) {
      ref[0] = dev[0] = '\0';
    } else {
      cet_format_quantity(l[k].npv_reference, l[k].currency, ref, sizeof ref);
      snprintf(dev, sizeof dev, "%+.2f %%",
               100.0 * (l[k].npv - l[k].npv_reference) / fabs(l[k].npv_reference));
    }
    if (isnan(l[k].irr)) {
      snprintf(irr, sizeof irr, "none");
    } else {
      cet_format_percent(l[k].irr, 0, irr, sizeof irr);
    }
    snprintf(pb, sizeof pb, isnan(l[k].payback) ? "never" : "%.2f a", l[k].payback);
    fprintf(out, "  %-12s %13s %13s %10s %9s %9s", l[k].name, npv, ref, dev, irr, pb);
    if (l[k].n_reference > 0) {
      fprintf(out, "  %+.2f %% (%s; %zu values)", 100.0 * l[k].worst, l[k].worst_metric,
              l[k].n_reference);
    }
    fprintf(out, "\n");
  }
}

void cet_drv_mc_scenario_line_note(cet_drv_mc_scenario_line *l, const char *metric,
                                   double reference, double deviation) {
  if (strcmp(metric, CET_METRIC_NPV) == 0) {
    l->npv_reference = reference;
  }
  if (l->n_reference++ == 0 || fabs(deviation) > fabs(l->worst)) {
    l->worst = deviation;
    snprintf(l->worst_metric, sizeof l->worst_metric, "%s", metric);
  }
}

/* The line of evaluation e (scenario s, or NULL for the case itself). */
static cet_drv_mc_scenario_line line_of(const cet_scenario *s, const evaluation *e) {
  cet_drv_mc_scenario_line l = {.npv = metric_or_nan(e, CET_METRIC_NPV),
                                .npv_reference = NAN,
                                .irr = metric_or_nan(e, CET_METRIC_IRR),
                                .payback = metric_or_nan(e, CET_METRIC_PAYBACK),
                                .worst = NAN};
  snprintf(l.name, sizeof l.name, "%s", s ? s->name : CET_DRV_MC_THE_CASE);
  long m = cet_twin_metric_find(e->twin, CET_METRIC_NPV);
  snprintf(l.currency, sizeof l.currency, "%s",
           m >= 0 ? cet_twin_metric_units(e->twin, (size_t)m) : "");
  for (size_t i = 0; s && i < s->n_reference; i++) {
    double ref = s->reference_value[i] * s->reference_scale;
    double got = metric_or_nan(e, s->reference_metric[i]);
    cet_drv_mc_scenario_line_note(&l, s->reference_metric[i], ref,
                                  ref != 0.0 ? (got - ref) / fabs(ref) : NAN);
  }
  return l;
}

static int print_totals(const cet_mc_spec *mc, const evaluation *ev, const evaluation *base,
                        FILE *out) {
  cet_drv_mc_scenario_line *l = calloc(mc->n_scenarios + 1, sizeof *l);
  CET_CHECK_ALLOC(l);
  for (size_t k = 0; k <= mc->n_scenarios; k++) {
    l[k] = k < mc->n_scenarios ? line_of(&mc->scenarios[k], &ev[k]) : line_of(NULL, base);
  }
  cet_drv_mc_scenario_lines_print(l, mc->n_scenarios + 1, out);
  free(l);
  return CET_OK;
}

static int print_all(const cet_mc_spec *mc, const evaluation *ev, const evaluation *base,
                     int verbose, FILE *out) {
  if (!cet_twin_has_economics(base->twin) && mc->n_scenarios == 0) {
    return CET_OK;
  }
  fprintf(out,
          "\nDeterministic evaluations (each at its own values, prices at the scenario's "
          "forecast)%s",
          verbose ? ":" : "");
  const char *source = NULL;
  double scale = 0.0;
  for (size_t k = 0; verbose && k < mc->n_scenarios; k++) {
    const cet_scenario *s = &mc->scenarios[k];
    if (s->n_reference == 0) {
      continue;
    }
    if (!source || strcmp(source, s->reference_source) != 0 || scale != s->reference_scale) {
      source = s->reference_source;
      scale = s->reference_scale;
      fprintf(out, "\n\n  reference: %s (values in units of %g)\n", source[0] ? source : "-",
              scale);
      fprintf(out, "  %-8s %-34s %12s %12s %11s\n", "scenario", "metric", "reference", "cetwin",
              "deviation");
    }
    print_reference(s, &ev[k], out);
  }
  if (!verbose) {
    fprintf(out, "; every reference value in /mc/scenarios/NAME/reference, and with --verbose");
  }
  if (cet_twin_has_economics(base->twin)) {
    CET_CALL(print_totals(mc, ev, base, out));
  }
  return CET_OK;
}

/* ---- writing ---- */

static int write_metrics(cet_result *r, const char *group, const evaluation *e) {
  const cet_twin *t = e->twin;
  size_t n = cet_twin_metric_count(t);
  const char **names = calloc(n + 1, sizeof *names), **units = calloc(n + 1, sizeof *units);
  long long *share = calloc(n + 1, sizeof *share);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, names && units && share);
  for (size_t i = 0; i < n; i++) {
    names[i] = cet_twin_metric_name(t, i);
    units[i] = cet_twin_metric_units(t, i);
    share[i] = cet_twin_metric_is_share(t, i);
  }
  char path[SCEN_PATH_LEN];
  cet_dataset_meta mn = {.description = "metric names", .dims = "metric", .labels = 1};
  cet_dataset_meta mu = {.description = "units of each metric", .dims = "metric"};
  cet_dataset_meta mv = {
      .unit_list = units, .n_units = n, .description = "values", .dims = "metric"};
  snprintf(path, sizeof path, "%s/metrics/name", group);
  CET_CALL_GOTO(status, done, cet_result_write_strings(r, path, n, names, &mn));
  snprintf(path, sizeof path, "%s/metrics/units", group);
  CET_CALL_GOTO(status, done, cet_result_write_strings(r, path, n, units, &mu));
  snprintf(path, sizeof path, "%s/metrics/value", group);
  CET_CALL_GOTO(status, done, cet_result_write_doubles(r, path, 1, &n, e->metrics, &mv));
  snprintf(path, sizeof path, "%s/metrics/share", group);
  CET_CALL_GOTO(status, done, cet_drv_write_shares(r, path, n, share, "metric"));
done:
  free(names);
  free(units);
  free(share);
  return status;
}

static int write_reference(cet_result *r, const char *group, const cet_scenario *s,
                           const evaluation *e) {
  char path[SCEN_PATH_LEN];
  CET_CALL(cet_result_attr_string(r, group, "reference_source", s->reference_source));
  double *v = calloc(2 * s->n_reference + 1, sizeof *v);
  const char **units = calloc(s->n_reference + 1, sizeof *units);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, v && units);
  for (size_t i = 0; i < s->n_reference; i++) {
    v[i] = s->reference_value[i] * s->reference_scale;
    double got = metric_or_nan(e, s->reference_metric[i]);
    v[s->n_reference + i] = v[i] != 0.0 ? (got - v[i]) / fabs(v[i]) : NAN;
  }
  for (size_t i = 0; i < s->n_reference; i++) {
    long k = cet_twin_metric_find(e->twin, s->reference_metric[i]);
    units[i] = k >= 0 ? cet_twin_metric_units(e->twin, (size_t)k) : "1";
  }
  cet_dataset_meta m = {.description = "metrics with a reference value", .dims = "reference"};
  cet_dataset_meta rv = {.unit_list = units,
                         .n_units = s->n_reference,
                         .description = "reference values (the case's values x scale)",
                         .dims = "reference"};
  cet_dataset_meta dv = {
      .units = "1", .description = "(cetwin - reference) / |reference|", .dims = "reference"};
  snprintf(path, sizeof path, "%s/reference/metric", group);
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, path, s->n_reference,
                                         (const char *const *)s->reference_metric, &m));
  snprintf(path, sizeof path, "%s/reference/value", group);
  CET_CALL_GOTO(status, done, cet_result_write_doubles(r, path, 1, &s->n_reference, v, &rv));
  snprintf(path, sizeof path, "%s/reference/deviation", group);
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, path, 1, &s->n_reference, v + s->n_reference, &dv));
done:
  free(v);
  free(units);
  return status;
}

static int write_evaluation(cet_result *r, const char *group, const evaluation *e) {
  CET_CALL(write_metrics(r, group, e));
  if (e->table) {
    const char *cur =
        cet_twin_metric_units(e->twin, (size_t)cet_twin_metric_find(e->twin, CET_METRIC_NPV));
    CET_CALL(cet_drv_cash_flow_write(r, group, e->table, cur));
  }
  return CET_OK;
}

/* /mc/scenarios/names: the scenarios in case order. */
static int write_names(const cet_mc_spec *mc, cet_result *r) {
  const char **names = calloc(mc->n_scenarios, sizeof *names);
  CET_CHECK_ALLOC(names);
  for (size_t k = 0; k < mc->n_scenarios; k++) {
    names[k] = mc->scenarios[k].name;
  }
  cet_dataset_meta meta = {
      .description = "scenarios, in case order", .dims = "scenario", .labels = 1};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/mc/scenarios/names", mc->n_scenarios, names, &meta));
done:
  free(names);
  return status;
}

static int write_all(const cet_mc_spec *mc, const evaluation *ev, const evaluation *base,
                     cet_result *r) {
  CET_CALL(write_evaluation(r, "/mc/deterministic", base));
  if (mc->n_scenarios == 0) {
    return CET_OK;
  }
  CET_CALL(write_names(mc, r));
  for (size_t k = 0; k < mc->n_scenarios; k++) {
    char group[SCEN_GROUP_LEN];
    snprintf(group, sizeof group, "/mc/scenarios/%.200s", mc->scenarios[k].name);
    CET_CALL(write_evaluation(r, group, &ev[k]));
    if (mc->scenarios[k].n_reference > 0) {
      CET_CALL(write_reference(r, group, &mc->scenarios[k], &ev[k]));
    }
  }
  return CET_OK;
}

int cet_drv_mc_scenarios_report(const cet_case *c, FILE *out, int verbose, cet_result *r,
                                double *npv, double *cost) {
  const cet_mc_spec *mc = c->mc;
  evaluation base = {0};
  evaluation *ev = calloc(mc->n_scenarios + 1, sizeof *ev);
  CET_CHECK_ALLOC(ev);
  int status = CET_OK;
  CET_CALL_GOTO(status, done, evaluate(c->twin, &base));
  /* the closure rule, once, on the evaluation at the case's values */
  cet_twin_diagnostics d;
  cet_twin_diagnose(c->twin, base.w, &d);
  cet_drv_warn_closure("mc", c->twin, &d);
  for (size_t k = 0; k < mc->n_scenarios; k++) {
    int failed = evaluate(mc->scenarios[k].twin, &ev[k]); /* metrics then unusable */
    CET_CHECK_GOTO(status, done, failed == CET_OK, failed, "scenario '%s' (%s)",
                   mc->scenarios[k].name, mc->scenarios[k].where);
    npv[k] = metric_or_nan(&ev[k], CET_METRIC_NPV);
    cost[k] = metric_or_nan(&ev[k], CET_METRIC_COST_PV);
  }
  if (out) {
    CET_CALL_GOTO(status, done, print_all(mc, ev, &base, verbose, out));
  }
  if (r) {
    CET_CALL_GOTO(status, done, write_all(mc, ev, &base, r));
  }
done:
  for (size_t k = 0; k < mc->n_scenarios; k++) {
    evaluation_free(&ev[k]);
  }
  evaluation_free(&base);
  free(ev);
  return status;
}
