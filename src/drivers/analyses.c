/*
 * analyses.c — the list of analyses a case can run (analysis.h): one
 * record each, joining the config readers of its sections
 * (case_sections.h), its driver (drivers.h) and the line `cetwin validate`
 * prints about its plan.
 */
#include "cetwin/analysis.h"
#include "cetwin/case_sections.h"
#include "cetwin/drivers.h"
#include "cetwin/mc.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/sensitivity.h"

#include <stdio.h>

/* ---- what `cetwin validate` prints ---- */

static void describe_enumerate(const cet_case *c, const char *path, FILE *out) {
  fprintf(out, "%s: valid %s case '%s' (%zu components, %zu processes)\n", path, c->analysis->name,
          c->name, c->components.n, cet_library_size(c->library));
}

/* A twin with economics: its years and prices, then the analysis' extra. */
static void describe_economics(const cet_case *c, const char *path, FILE *out) {
  const cet_twin *t = c->twin;
  fprintf(out,
          "%s: valid %s case '%s' (%zu units, economics over %zu years with %zu price series, "
          "%zu parameters",
          path, c->analysis->name, c->name, cet_twin_unit_count(t), cet_twin_year_count(t),
          cet_twin_price_count(t), cet_twin_parameter_count(t));
  if (c->mc) {
    fprintf(out, "; %zu uncertain, %llu draws, %zu scenarios", c->mc->n_uncertain,
            (unsigned long long)c->mc->draws, c->mc->n_scenarios);
  }
  if (c->optimize && c->optimize->robust.draws > 0) {
    const cet_optimize_spec *o = c->optimize;
    fprintf(out, "; %zu design variables, %zu objectives, robust over %llu draws of %zu uncertain",
            o->n_design, o->n_obj, (unsigned long long)o->robust.draws, o->robust.n_uncertain);
  }
  fprintf(out, ")\n");
}

static void describe_twin(const cet_case *c, const char *path, FILE *out) {
  const cet_twin *t = c->twin;
  if (cet_twin_has_economics(t)) {
    describe_economics(c, path, out);
    return;
  }
  fprintf(out,
          "%s: valid %s case '%s' (%zu components, %zu units, %zu streams, %zu recycle "
          "loops, %zu parameters)\n",
          path, c->analysis->name, c->name, c->components.n, cet_twin_unit_count(t),
          cet_twin_edge_count(t), cet_twin_loop_count(t), cet_twin_parameter_count(t));
}

/* ---- the records ---- */

static const char *const ENUMERATE_SECTIONS[] = {"feed", "enumerate", NULL};
static const char *const MC_SECTIONS[] = {"uncertain", "mc", "scenarios", "unfc", NULL};
static const char *const OPTIMIZE_SECTIONS[] = {"design", "objectives", "constraints", "optimize",
                                                "robust", "uncertain",  NULL};

static const cet_analysis ENUMERATE = {
    .name = "enumerate",
    .summary = "every process chain that refines a feed to the target purity",
    .sections = ENUMERATE_SECTIONS,
    .read = cet_case_read_enumerate,
    .destroy = cet_case_free_enumerate,
    .run = cet_driver_enumerate,
    .describe = describe_enumerate,
    .info = cet_info_enumerate};

static const cet_analysis SIMULATE = {
    .name = "simulate",
    .summary = "one evaluation of a twin: flows, balances, metrics, cash flows",
    .uses_twin = 1,
    .run = cet_driver_simulate,
    .describe = describe_twin,
    .info = cet_info_simulate};

static const cet_analysis OPTIMIZE = {
    .name = "optimize",
    .summary = "NSGA-II or NSGA-III islands over design variables, TOPSIS on the front",
    .sections = OPTIMIZE_SECTIONS,
    .uses_twin = 1,
    .restartable = 1,
    .read = cet_case_read_optimize,
    .destroy = cet_case_free_optimize,
    .run = cet_driver_optimize,
    .describe = describe_twin,
    .info = cet_info_optimize};

static const cet_analysis MC = {.name = "mc",
                                .summary = "Monte Carlo over uncertain variables and price paths",
                                .sections = MC_SECTIONS,
                                .uses_twin = 1,
                                .restartable = 1,
                                .read = cet_case_read_mc,
                                .destroy = cet_case_free_mc,
                                .run = cet_driver_mc,
                                .describe = describe_twin,
                                .merge = cet_merge_mc,
                                .info = cet_info_mc};

/* A sensitivity case: its factors and methods. */
static void describe_sensitivity(const cet_case *c, const char *path, FILE *out) {
  const cet_sensitivity_spec *s = c->sensitivity;
  fprintf(out,
          "%s: valid sensitivity case '%s' (%zu factors in %zu groups, %zu metrics; "
          "methods:",
          path, c->name, s->n_factors, s->groups.n, s->metrics.n);
  if (s->oat.given) {
    fprintf(out, " oat (%zu spider changes%s)", s->oat.n_spider,
            s->oat.break_even ? ", break-even" : "");
  }
  if (s->morris.given) {
    fprintf(out, " morris (%zu trajectories)", s->morris.trajectories);
  }
  if (s->sweep.given) {
    fprintf(out, " sweep (%llu points)", (unsigned long long)s->sweep.points);
  }
  if (s->sobol.given) {
    fprintf(out, " sobol (N = %llu)", (unsigned long long)s->sobol.n);
  }
  fprintf(out, ")\n");
}

static const char *const SENSITIVITY_SECTIONS[] = {"uncertain", "sensitivity", NULL};

static const cet_analysis SENSITIVITY = {
    .name = "sensitivity",
    .summary = "parameter sweeps, tornado, spider, break-even, Morris, Sobol' indices",
    .sections = SENSITIVITY_SECTIONS,
    .uses_twin = 1,
    .restartable = 1,
    .read = cet_case_read_sensitivity,
    .destroy = cet_case_free_sensitivity,
    .run = cet_driver_sensitivity,
    .describe = describe_sensitivity,
    .merge = cet_merge_sensitivity,
    .info = cet_info_sensitivity};

static const cet_analysis *const ANALYSES[] = {&ENUMERATE, &SIMULATE,    &OPTIMIZE,
                                               &MC,        &SENSITIVITY, NULL};

const cet_analysis *const *cet_analyses(void) { return ANALYSES; }
