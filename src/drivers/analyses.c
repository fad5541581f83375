/*
 * analyses.c — the list of analyses a case can run (analysis.h): one
 * record each, joining the config readers of its sections
 * (case_sections.h), its driver (drivers.h) and the line `cetwin validate`
 * prints about its plan.
 */
#include "cetwin/analysis.h"
#include "cetwin/case_sections.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/mc.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/reconcile.h"
#include "cetwin/sensitivity.h"

#include "mc_impl.h"
#include "sensitivity_impl.h"

#include <stdarg.h>
#include <stdio.h>

/* Room for one line of the plan (longer ones are cut). */
enum { PLAN_TEXT_LEN = 512 };

/* ---- what `cetwin validate` prints ---- */

/* One line of the plan: a label and its text. */
static void plan(FILE *out, const char *label, const char *fmt, ...) CET_PRINTF(3, 4);

static void plan(FILE *out, const char *label, const char *fmt, ...) {
  fprintf(out, "  %-12s ", label);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(out, fmt, ap);
  va_end(ap);
  fputc('\n', out);
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* The launch: ranks x threads, and how the work is dealt (what). */
static void plan_launch(FILE *out, int ranks, int threads, const char *what) {
  plan(out, "launch", "%d MPI rank%s x %d OpenMP thread%s%s%s", ranks, plural((size_t)ranks),
       threads, plural((size_t)threads), what[0] ? "; " : "", what);
}

/* The twin: units by kind, streams, loops, economics, parameters, metrics. */
static void plan_twin(const cet_case *c, FILE *out) {
  const cet_twin *t = c->twin;
  size_t kinds[CET_UNIT_KINDS] = {0}, units = cet_twin_unit_count(t);
  for (size_t u = 0; u < units; u++) {
    kinds[cet_twin_unit_kind(t, u)]++;
  }
  char text[PLAN_TEXT_LEN];
  size_t at = 0;
  for (int k = 0; k < CET_UNIT_KINDS && at < sizeof text; k++) {
    if (kinds[k]) {
      const cet_unit_kind_info *info = cet_unit_kind_describe((cet_unit_kind)k);
      at += (size_t)snprintf(text + at, sizeof text - at, "%s%zu %s", at ? ", " : "", kinds[k],
                             kinds[k] != 1 ? info->plural : info->label);
    }
  }
  if (units > 0) {
    plan(out, "twin", "%zu unit%s (%s), %zu stream%s, %zu recycle loop%s", units, plural(units),
         text, cet_twin_edge_count(t), plural(cet_twin_edge_count(t)), cet_twin_loop_count(t),
         plural(cet_twin_loop_count(t)));
  } else {
    plan(out, "twin", "no flowsheet network: economics only");
  }
  if (cet_twin_has_economics(t)) {
    plan(out, "economics", "%zu years from %d, %zu price series", cet_twin_year_count(t),
         cet_twin_start_year(t), cet_twin_price_count(t));
  }
  plan(out, "parameters", "%zu (cetwin params %s lists them)", cet_twin_parameter_count(t),
       c->path);
  plan(out, "metrics", "%zu (cetwin metrics %s lists them)", cet_twin_metric_count(t), c->path);
}

/* "K blocks of B, about K/P per rank" for count points in blocks of block. */
static void plan_blocks(FILE *out, const char *label, uint64_t count, uint64_t block, int ranks) {
  uint64_t blocks = block ? (count + block - 1) / block : 0;
  plan(out, label, "%llu block%s of %llu, %.3g per rank", (unsigned long long)blocks,
       plural((size_t)blocks), (unsigned long long)block, (double)blocks / ranks);
}

static void describe_enumerate(const cet_case *c, const char *path, int ranks, int threads,
                               FILE *out) {
  fprintf(out, "%s: valid %s case '%s' (%zu components, %zu processes)\n", path, c->analysis->name,
          c->name, c->components.n, cet_library_size(c->library));
  fprintf(out, "plan:\n");
  plan_launch(out, ranks, threads, "one process enumerates (rank 0)");
  plan(out, "feed", "'%s', %g %s of %zu components, main component %s", c->feed.name, c->feed.flow,
       c->feed.flow_units, c->components.n, c->components.name[c->main_component]);
  plan(out, "enumerate", "chains of at most %d processes to purity %g", c->enumerate.max_length,
       c->enumerate.target_purity);
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

/* The first line of a twin case. */
static void describe_line(const cet_case *c, const char *path, FILE *out) {
  const cet_twin *t = c->twin;
  if (cet_twin_has_economics(t)) {
    describe_economics(c, path, out);
    return;
  }
  fprintf(out,
          "%s: valid %s case '%s' (%zu component%s, %zu unit%s, %zu stream%s, %zu recycle "
          "loop%s, %zu parameter%s)\n",
          path, c->analysis->name, c->name, c->components.n, plural(c->components.n),
          cet_twin_unit_count(t), plural(cet_twin_unit_count(t)), cet_twin_edge_count(t),
          plural(cet_twin_edge_count(t)), cet_twin_loop_count(t), plural(cet_twin_loop_count(t)),
          cet_twin_parameter_count(t), plural(cet_twin_parameter_count(t)));
}

static void describe_simulate(const cet_case *c, const char *path, int ranks, int threads,
                              FILE *out) {
  describe_line(c, path, out);
  fprintf(out, "plan:\n");
  plan_launch(out, ranks, threads, "one evaluation (rank 0)");
  plan_twin(c, out);
}

static void describe_mc(const cet_case *c, const char *path, int ranks, int threads, FILE *out) {
  const cet_mc_spec *m = c->mc;
  describe_line(c, path, out);
  fprintf(out, "plan:\n");
  plan_launch(out, ranks, threads, "blocks of draws dealt to the ranks, draws to the threads");
  plan_twin(c, out);
  cet_drv_mc_print_uncertain(out, m->uncertain, m->n_uncertain);
  char names[PLAN_TEXT_LEN];
  cet_names_join(&m->metrics, names, sizeof names);
  plan(out, "metrics", "%s", names);
  plan(out, "draws", "%llu (indices %llu..%llu), seed %llu%s", (unsigned long long)m->draws,
       (unsigned long long)m->first_draw, (unsigned long long)(m->first_draw + m->draws - 1),
       (unsigned long long)c->seed, m->store_draws ? ", every draw stored" : "");
  plan_blocks(out, "blocks", m->draws, m->block, ranks);
  if (m->stop_metric) {
    plan(out, "stop", "when the relative standard error of %s <= %g (after %llu draws)",
         m->stop_metric, m->stop_rse, (unsigned long long)m->min_draws);
  }
  for (size_t i = 0; i < m->n_scenarios; i++) {
    plan(out, "scenario", "%s", m->scenarios[i].name);
  }
}

static void describe_optimize(const cet_case *c, const char *path, int ranks, int threads,
                              FILE *out) {
  const cet_optimize_spec *o = c->optimize;
  size_t islands = o->islands.islands;
  describe_line(c, path, out);
  fprintf(out, "plan:\n");
  char deal[PLAN_TEXT_LEN];
  if (islands % (size_t)ranks == 0) {
    snprintf(deal, sizeof deal, "%zu island%s, %zu per rank; individuals to the threads", islands,
             plural(islands), islands / (size_t)ranks);
  } else {
    snprintf(deal, sizeof deal,
             "%zu island%s is not a multiple of %d ranks: the run would stop (launch on a "
             "divisor of %zu)",
             islands, plural(islands), ranks, islands);
  }
  plan_launch(out, ranks, threads, deal);
  plan_twin(c, out);
  for (size_t j = 0; j < o->n_design; j++) {
    const cet_design_variable *d = &o->design[j];
    char group[PLAN_TEXT_LEN] = "";
    if (d->group != CET_OPTIMIZE_NO_GROUP) {
      snprintf(group, sizeof group, ", sum-to-one group %zu", d->group);
    }
    plan(out, "design", "%s in [%g, %g]%s%s", d->path, d->lower, d->upper,
         d->integer ? ", integer" : "", group);
  }
  for (size_t j = 0; j < o->n_obj; j++) {
    const cet_objective *b = &o->objective[j];
    plan(out, "objective", "%s %s (%s)", cet_sense_name(b->sense), b->metric,
         cet_optimize_statistic_name(b->statistic));
  }
  for (size_t k = 0; k < o->n_con; k++) {
    const cet_constraint *b = &o->constraint[k];
    plan(out, "constraint", "%g <= %s (%s) <= %g", b->min, b->metric,
         cet_optimize_statistic_name(b->statistic), b->max);
  }
  if (o->robust.draws > 0) {
    cet_drv_mc_print_uncertain(out, o->robust.uncertain, o->robust.n_uncertain);
    plan(out, "robust", "%llu draws per design (common random numbers, seed %llu)",
         (unsigned long long)o->robust.draws, (unsigned long long)o->robust.seed);
  }
  double evaluations = (double)islands * (double)o->nsga2.population *
                       (double)(o->nsga2.generations + 1) *
                       (double)(o->robust.draws > 0 ? o->robust.draws : 1);
  plan(out, "generations", "%llu of %zu individuals per island, seed %llu: %.4g twin evaluations",
       (unsigned long long)o->nsga2.generations, o->nsga2.population,
       (unsigned long long)o->nsga2.seed, evaluations);
}

static void describe_sensitivity(const cet_case *c, const char *path, int ranks, int threads,
                                 FILE *out) {
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
  fprintf(out, "plan:\n");
  plan_launch(out, ranks, threads, "blocks of points dealt to the ranks, points to the threads");
  plan_twin(c, out);
  cet_drv_sa_print_factors(s, c->twin, out);
  char names[PLAN_TEXT_LEN];
  cet_names_join(&s->metrics, names, sizeof names);
  plan(out, "metrics", "%s", names);
  if (s->sweep.given) {
    plan(out, "sweep", "%zu parameter%s, %llu points (%s)", s->sweep.n_dims,
         plural(s->sweep.n_dims), (unsigned long long)s->sweep.points,
         s->sweep.grid ? "every combination" : "the lists side by side");
  }
  if (s->oat.given) {
    plan(out, "oat", "%zu factors at low and high, %zu spider changes%s", s->oat.factors.n,
         s->oat.n_spider, s->oat.break_even ? ", break-even of each" : "");
  }
  if (s->morris.given) {
    plan(out, "morris", "%zu factors, %zu trajectories on %zu levels", s->morris.factors.n,
         s->morris.trajectories, s->morris.levels);
  }
  if (s->sobol.given) {
    plan(out, "sobol", "%zu factors, N = %llu base rows%s, %zu bootstrap replicates",
         s->sobol.factors.n, (unsigned long long)s->sobol.n,
         s->sobol.second_order ? ", second order" : "", s->sobol.replicates);
    plan_blocks(out, "sobol blocks", s->sobol.n, s->sobol.block, ranks);
  }
  if (s->count > 0) {
    plan(out, "shard", "points %llu .. %llu", (unsigned long long)s->first,
         (unsigned long long)(s->first + s->count - 1));
  }
}

static void describe_reconcile(const cet_case *c, const char *path, int ranks, int threads,
                               FILE *out) {
  const cet_reconcile_spec *s = c->reconcile;
  size_t kinds[CET_MEASURE_KINDS] = {0};
  for (size_t i = 0; i < s->n; i++) {
    kinds[s->measure[i].kind]++;
  }
  describe_line(c, path, out);
  fprintf(out, "plan:\n");
  plan_launch(out, ranks, threads, "one reconciliation (rank 0)");
  plan_twin(c, out);
  plan(out, "measurements", "%zu: %zu total flow%s, %zu component flow%s, %zu fraction%s", s->n,
       kinds[CET_MEASURE_TOTAL], plural(kinds[CET_MEASURE_TOTAL]), kinds[CET_MEASURE_FLOW],
       plural(kinds[CET_MEASURE_FLOW]), kinds[CET_MEASURE_FRACTION],
       plural(kinds[CET_MEASURE_FRACTION]));
  if (s->csv) {
    plan(out, "read", "%zu listed in the case, %zu from %s", s->n_listed, s->n - s->n_listed,
         s->csv);
  }
  if (kinds[CET_MEASURE_FRACTION] == 0) {
    plan(out, "method", "weighted least squares on the balances, linear: closed form");
  } else {
    plan(out, "method",
         "weighted least squares on the balances, bilinear: Gauss-Newton from the twin's steady "
         "state to a relative change <= %g, at most %zu steps",
         s->tolerance, s->max_iterations);
  }
  plan(out, "tests", "global chi-square and normalised adjustments at alpha = %g; %s", s->alpha,
       s->drop_gross_errors ? "culprits set aside and the rest reconciled again"
                            : "the culprit is named, not set aside");
  plan(out, "parameters", "split factors derived from the reconciled flows%s%s",
       s->write_parameters ? ", written to " : " (reconcile.write_parameters writes them)",
       s->write_parameters ? s->write_parameters : "");
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
    .describe = describe_simulate,
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
    .describe = describe_optimize,
    .info = cet_info_optimize};

static const cet_analysis MC = {.name = "mc",
                                .summary = "Monte Carlo over uncertain variables and price paths",
                                .sections = MC_SECTIONS,
                                .uses_twin = 1,
                                .restartable = 1,
                                .read = cet_case_read_mc,
                                .destroy = cet_case_free_mc,
                                .run = cet_driver_mc,
                                .describe = describe_mc,
                                .merge = cet_merge_mc,
                                .info = cet_info_mc};

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

static const char *const RECONCILE_SECTIONS[] = {"reconcile", NULL};

static const cet_analysis RECONCILE = {
    .name = "reconcile",
    .summary = "measured flows and compositions adjusted to close the balances, gross errors found",
    .sections = RECONCILE_SECTIONS,
    .uses_twin = 1,
    .read = cet_case_read_reconcile,
    .destroy = cet_case_free_reconcile,
    .run = cet_driver_reconcile,
    .describe = describe_reconcile,
    .info = cet_info_reconcile};

static const cet_analysis *const ANALYSES[] = {&ENUMERATE,   &SIMULATE,  &OPTIMIZE, &MC,
                                               &SENSITIVITY, &RECONCILE, NULL};

const cet_analysis *const *cet_analyses(void) { return ANALYSES; }
