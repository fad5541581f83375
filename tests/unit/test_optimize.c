/*
 * test_optimize.c — unit tests of optimize.h: reading design variables
 * (a path naming a list stands for its elements; default bounds), objectives,
 * constraints and settings (defaults of Bonnin et al. 2015, Table 5), every
 * reader error with its location, and the problem NSGA-II sees: the repair
 * of sum-to-one groups, natural and minimised objectives, constraint values,
 * the same values on 1 and 2 OpenMP threads, failing evaluations
 * reported for the lowest failing individual with the design in the message,
 * and a design that reaches an unknown consumption infeasible, not failed.
 * The case is tests/regression/optimize_small.yaml, changed by --set.
 */
#include "cetwin/mc.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/optimize.h"

#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char small[1024];

static cet_case *load_ok(const char *const *sets, size_t n) {
  cet_case *c = NULL;
  int status = cet_test_load_case(small, sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  assert_non_null(c->optimize);
  return c;
}

static void test_read(void **state) {
  (void)state;
  cet_case *c = load_ok(NULL, 0);
  const cet_optimize_spec *s = c->optimize;
  assert_string_equal(c->analysis->name, "optimize");
  assert_int_equal(s->n_design, 3); /* the two fractions and one split factor */
  assert_string_equal(s->design[0].path, "network.units.split.fractions[0]");
  assert_string_equal(s->design[1].path, "network.units.split.fractions[1]");
  assert_true(s->design[0].lower == 0 && s->design[0].upper == 1);
  assert_true(s->design[0].zero_below == 0.02);
  assert_int_equal(s->design[0].group, 0);
  assert_int_equal(s->design[1].group, 0);
  assert_int_equal(s->design[2].group, CET_OPTIMIZE_NO_GROUP);
  assert_true(s->design[2].lower == 0.8 && s->design[2].upper == 0.95);
  assert_int_equal(s->n_groups, 1);
  assert_int_equal(s->n_obj, 3);
  assert_int_equal(s->objective[0].sense, CET_SENSE_MAXIMIZE);
  assert_int_equal(s->objective[0].index, cet_twin_metric_find(c->twin, "recovery.A"));
  assert_int_equal(s->n_con, 1);
  assert_true(isinf(s->constraint[0].min) && s->constraint[0].min < 0);
  assert_true(s->constraint[0].max == 20);
  assert_int_equal(s->nsga2.population, 24);
  assert_int_equal(s->nsga2.seed, 7);
  assert_int_equal(s->islands.islands, 2);
  assert_int_equal(s->islands.migration_interval, 5);
  assert_int_equal(s->islands.migrants, 2);
  assert_non_null(strstr(s->islands_where, "optimize_small.yaml:"));
  assert_null(s->reference_point);
  assert_true(s->reference_margin == 0.1);
  assert_int_equal(s->checkpoint_interval, 0);
  assert_null(s->checkpoint_file);
  assert_int_equal(s->topsis_normalization, CET_TOPSIS_VECTOR);
  assert_int_equal(s->report_top, 10);
  assert_string_equal(cet_sense_name(CET_SENSE_MINIMIZE), "minimize");
  assert_true(cet_optimize_natural(s, 0, -0.7) == 0.7);
  assert_true(cet_optimize_natural(s, 1, 5.0) == 5.0);
  cet_case_destroy(&c);

  /* Table 5 defaults without an optimize: section; settings given */
  const char *none[] = {"optimize=~"};
  c = load_ok(none, 1);
  assert_int_equal(c->optimize->nsga2.population, 200);
  assert_int_equal(c->optimize->nsga2.generations, 400);
  assert_true(c->optimize->nsga2.crossover_probability == 0.9);
  assert_true(c->optimize->nsga2.mutation_probability == 0.5);
  assert_int_equal(c->optimize->islands.islands, 1);
  assert_non_null(strstr(c->optimize->islands_where, "default 1"));
  cet_case_destroy(&c);
  const char *given[] = {
      "optimize={population: 10, generations: 3, crossover_probability: 0.8, crossover_gene_rate: "
      "0.4, crossover_eta: 15, mutation_probability: 1, mutation_rate: 0.2, mutation_eta: 30, "
      "truncation: crowding, islands: 3, migration: {interval: 2, migrants: 1, topology: [[2], "
      "[0, 2], []]}, reference_point: [0, 9000, 500], reference_margin: 0.2, checkpoint: "
      "{interval: 5, file: ck.h5}, topsis: {normalization: minmax, weights: [2, 1, 1], top: "
      "3}}"};
  c = load_ok(given, 1);
  const cet_optimize_spec *g = c->optimize;
  assert_true(g->nsga2.population == 10 && g->nsga2.generations == 3);
  assert_true(g->nsga2.crossover_probability == 0.8 && g->nsga2.crossover_gene_rate == 0.4);
  assert_true(g->nsga2.eta_c == 15 && g->nsga2.eta_m == 30);
  assert_true(g->nsga2.mutation_probability == 1 && g->nsga2.mutation_rate == 0.2);
  assert_int_equal(g->nsga2.truncation, CET_NSGA2_TRUNCATE_CROWDING);
  assert_int_equal(g->islands.topology, CET_TOPOLOGY_CUSTOM);
  assert_int_equal(g->islands.offset[3], 3);
  assert_int_equal(g->islands.sources[1], 0);
  assert_true(g->reference_point[1] == 9000 && g->reference_margin == 0.2);
  assert_true(g->checkpoint_interval == 5 && strcmp(g->checkpoint_file, "ck.h5") == 0);
  assert_int_equal(g->topsis_normalization, CET_TOPSIS_MINMAX);
  assert_true(g->topsis_weights[0] == 2 && g->report_top == 3);
  cet_case_destroy(&c);
  const char *full[] = {"optimize.migration.topology=full"};
  c = load_ok(full, 1);
  assert_int_equal(c->optimize->islands.topology, CET_TOPOLOGY_FULL);
  cet_case_destroy(&c);
  /* bounds default to the parameter's finite range; integer variables */
  const char *bounds[] = {"design=[{path: network.units.split.fractions, sum_to_one: true}, {path: "
                          "network.units.p.split.B.product}, {path: network.units.feed.flow, "
                          "bounds: [50, 150], integer: true}]"};
  c = load_ok(bounds, 1);
  assert_true(c->optimize->design[2].lower == 0 && c->optimize->design[2].upper == 1);
  assert_int_equal(c->optimize->design[3].integer, 1);
  cet_case_destroy(&c);
}

static void test_design_errors(void **state) {
  (void)state;
  cet_test_expect_case_error(small, "design[1].path=network.units.p.split.A.prodct",
                             "design[1].path",
                             "no parameter of the twin at 'network.units.p.split.A.prodct'",
                             "closest: 'network.units.p.split.A.product'", NULL);
  cet_test_expect_case_error(small, "design[1].bounds=[0.9, 0.8]", "design[1].bounds", "min <= max",
                             NULL);
  cet_test_expect_case_error(small, "design[1].bounds=[0.5, 1.5]",
                             "bounds [0.5, 1.5] leave the valid range [0, 1]", NULL);
  cet_test_expect_case_error(small, "design[1]={path: network.units.feed.flow}", "design[1]",
                             "missing required key 'bounds'", "network.units.feed.flow may range",
                             NULL);
  cet_test_expect_case_error(
      small, "design[1]={path: network.units.feed.flow, bounds: [1.5, 3], integer: true}",
      "integral bounds", NULL);
  cet_test_expect_case_error(
      small, "design[1]={path: network.units.feed.flow, bounds: [1, 3], zero_below: 0.5}",
      "which the bounds [1, 3] exclude", NULL);
  cet_test_expect_case_error(
      small,
      "design[1]={path: network.units.feed.flow, bounds: [0, 3], integer: true, "
      "zero_below: 0.5}",
      "zero_below applies to real variables", NULL);
  cet_test_expect_case_error(small, "design[0].bounds=[0, 0.5]", "bounds [0, 1]", "sum_to_one",
                             NULL);
  cet_test_expect_case_error(small, "design[1].sum_to_one=true", "at least two variables", NULL);
  cet_test_expect_case_error(
      small, "design[0]={path: network.units.split.fractions, sum_to_one: true, integer: true}",
      "not integer variables", NULL);
  cet_test_expect_case_error(small, "design[0]={path: network.units.p.split.A.product}",
                             "network.units.p.split.A.product is already design variable 0", NULL);
  /* one fraction of a splitter alone: the twin would divide it by the sum */
  cet_test_expect_case_error(small, "design[1].path=network.units.split.fractions[0]",
                             "design[1].path",
                             "network.units.split.fractions[0] is one of the fractions of a "
                             "splitter",
                             "network.units.split.shares[K]", "sum_to_one: true", NULL);
  cet_test_expect_case_error(small, "design[0]={path: network.units.split.fractions}",
                             "design[0].path", "fractions[0] is one of the fractions", NULL);
  cet_test_expect_case_error(small, "design[1].bonds=[0, 1]", "unknown key", "bounds", NULL);
  cet_test_expect_case_error(small, "design=[]", "at least one design variable", NULL);
  cet_test_expect_case_error(small, "design={path: x}", "design", "expected a list", NULL);
  cet_test_expect_case_error(small, "design[1].zero_below=-1", "design[1].zero_below", NULL);
}

static void test_objective_errors(void **state) {
  (void)state;
  cet_test_expect_case_error(small, "objectives[1].metric=enrgy", "objectives[1].metric",
                             "the twin has no metric 'enrgy'", "closest: 'energy'", NULL);
  cet_test_expect_case_error(small, "objectives[0].sense=maximise", "objectives[0].sense",
                             "expected one of minimize, maximize", NULL);
  cet_test_expect_case_error(small, "objectives[1].metric=recovery.A",
                             "metric 'recovery.A' is already objective 0", NULL);
  cet_test_expect_case_error(small, "objectives=[]", "at least one objective", NULL);
  cet_test_expect_case_error(small, "objectives[0]={metric: energy}",
                             "missing required key 'sense'", NULL);
  cet_test_expect_case_error(small, "constraints[0]={metric: production.B}",
                             "needs min, max or both", NULL);
  cet_test_expect_case_error(small, "constraints[0]={metric: production.B, min: 5, max: 1}",
                             "expected max >= min, found min 5 and max 1", NULL);
  cet_test_expect_case_error(small, "constraints[0].metric=productionB", "no metric 'productionB'",
                             NULL);
}

static void test_settings_errors(void **state) {
  (void)state;
  cet_test_expect_case_error(small, "optimize.population=1", "optimize.population",
                             "expected an integer in [2,", NULL);
  cet_test_expect_case_error(small, "optimize.islands=0", "optimize.islands", NULL);
  cet_test_expect_case_error(small, "optimize.crossover_probability=1.5",
                             "optimize.crossover_probability", NULL);
  cet_test_expect_case_error(small, "optimize.truncation=greedy",
                             "expected one of crowding, iterative", NULL);
  cet_test_expect_case_error(small, "optimize.migration.topology=star",
                             "expected one of ring, full", NULL);
  cet_test_expect_case_error(small, "optimize.migration.topology=[[1]]",
                             "one list of source islands per island (2), found 1", NULL);
  cet_test_expect_case_error(small, "optimize.migration.topology=[[0], [0]]",
                             "island 0 cannot receive migrants from itself", NULL);
  cet_test_expect_case_error(small, "optimize.migration.topology=[[1, 1], [0]]",
                             "lists source island 1 twice", NULL);
  cet_test_expect_case_error(small, "optimize.migration.topology=[[5], [0]]",
                             "expected an integer in [0, 1]", NULL);
  cet_test_expect_case_error(small, "optimize.migration.migrants=24", "optimize.migration.migrants",
                             "would replace the whole population of 24", NULL);
  cet_test_expect_case_error(small, "optimize.migration.interval=0", "optimize.migration.interval",
                             NULL);
  cet_test_expect_case_error(small, "optimize.reference_point=[1, 2]",
                             "one value per objective (3), found 2", NULL);
  cet_test_expect_case_error(small, "optimize.topsis.weights=[0, 0, 0]", "positive sum", NULL);
  cet_test_expect_case_error(small, "optimize.topsis.weights=[1, -1, 1]",
                             "optimize.topsis.weights[1]", NULL);
  cet_test_expect_case_error(small, "optimize.topsis.normalization=l2",
                             "expected one of vector, minmax", NULL);
  cet_test_expect_case_error(small, "optimize.checkpoint.file=''", "expected a file name", NULL);
  cet_test_expect_case_error(small, "optimize.checkpoint.interval=-1",
                             "optimize.checkpoint.interval", NULL);
  cet_test_expect_case_error(small, "optimize.populaton=5", "unknown key", "population", NULL);
  cet_test_expect_case_error(small, "optimize.migration.migrnts=5", "unknown key", "migrants",
                             NULL);
}

/* The problem: genome, repair, minimised objectives and constraint values,
 * identical on 1 and 2 threads. */
static void test_problem(void **state) {
  (void)state;
  cet_case *c = load_ok(NULL, 0);
  cet_optimize_problem *p1 = NULL, *p2 = NULL;
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 0, &p1), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 1, &p1), CET_OK);
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 2, &p2), CET_OK);
  const cet_moo_problem *m = cet_optimize_problem_moo(p1);
  assert_int_equal(m->genome.n, 3);
  assert_int_equal(m->n_obj, 3);
  assert_int_equal(m->n_con, 1);
  assert_non_null(m->repair);
  enum { COUNT = 7 };
  double x[COUNT * 3] = {0.3,  0.1, 0.9, 0,   0,   0.85, 0.5,  0.5, 0.8, 1,   0,
                         0.95, 0,   0.7, 0.9, 0.2, 0.2,  0.81, 0.9, 0.3, 0.82};
  assert_int_equal(m->repair(m->ctx, COUNT, x), CET_OK);
  assert_true(x[0] == 0.3 / 0.4 && x[1] == 0.1 / 0.4 && x[2] == 0.9);
  assert_true(x[3] == 0.5 && x[4] == 0.5); /* all zero: equal shares */
  assert_true(x[9] == 1 && x[10] == 0 && x[12] == 0 && x[13] == 1);
  double f1[COUNT * 3], g1[COUNT], f2[COUNT * 3], g2[COUNT];
  assert_int_equal(m->evaluate(m->ctx, COUNT, x, f1, g1), CET_OK);
  const cet_moo_problem *m2 = cet_optimize_problem_moo(p2);
  assert_int_equal(m2->evaluate(m2->ctx, COUNT, x, f2, g2), CET_OK);
  assert_memory_equal(f1, f2, sizeof f1);
  assert_memory_equal(g1, g2, sizeof g1);
  /* design 3 sends everything to p, whose A product share is
   * 0.95 / (0.95 + 0.1): recovery.A maximised (negated), energy 50 kWh/t
   * x 100 t/a, B to market 40 x 0.2 = 8 t/a: g = 8 - 20 */
  double metrics[512], f[3], g[1];
  long rec = cet_twin_metric_find(c->twin, "recovery.A");
  assert_int_equal(cet_optimize_problem_evaluate_one(p1, x + 9, metrics, NULL, f, g), CET_OK);
  assert_true(fabs(f[0] + 0.95 / 1.05) < 1e-15 && f[0] == -metrics[rec]);
  assert_true(fabs(f[1] - 5000) < 1e-9);
  assert_true(fabs(f[2] - 120) < 1e-12); /* only p in use, at full rate */
  assert_true(fabs(g[0] - (8 - 20)) < 1e-12);
  assert_memory_equal(f, f1 + 9, sizeof f);
  cet_optimize_problem_destroy(&p1);
  cet_optimize_problem_destroy(&p2);
  assert_null(p2);
  cet_optimize_problem_destroy(NULL);
  cet_case_destroy(&c);
}

/* A failing evaluation names the design of the lowest failing individual,
 * whatever the thread that met it; a NaN objective is an error too. */
static void test_problem_failures(void **state) {
  (void)state;
  const char *feed[] = {"design=[{path: network.units.feed.composition.A}, {path: "
                        "network.units.feed.composition.B}]"};
  cet_case *c = load_ok(feed, 1);
  cet_optimize_problem *p = NULL;
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 2, &p), CET_OK);
  const cet_moo_problem *m = cet_optimize_problem_moo(p);
  assert_null(m->repair);
  double x[8] = {0.5, 0.5, 0.2, 0.8, 0, 0, 0, 0}, f[12], g[4];
  cet_error_clear();
  assert_int_equal(m->evaluate(m->ctx, 4, x, f, g), CET_ERR_RUNTIME);
  cet_test_expect_message("network.units.feed.composition.A = 0, network.units.feed.composition.B "
                          "= 0",
                          "mass fractions of feed 'feed' sum to 0", NULL);
  cet_optimize_problem_destroy(&p);
  cet_case_destroy(&c);

  /* a NaN objective at a design that the constraints accept: unknown_consumption
   * constrained by the case to at most 5 units */
  const char *loose[] = {"network.units.p.consumption.electricity=~",
                         "constraints=[{metric: unknown_consumption, max: 5}]"};
  c = load_ok(loose, 2);
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 1, &p), CET_OK);
  m = cet_optimize_problem_moo(p);
  double y[3] = {0.5, 0.5, 0.9};
  assert_int_equal(m->evaluate(m->ctx, 1, y, f, g), CET_ERR_RUNTIME);
  cet_test_expect_message("objective metric 'energy' is NaN", NULL);
  cet_optimize_problem_destroy(&p);
  cet_case_destroy(&c);
}

/* A design that reaches a unit whose consumption is unknown (~) cannot be
 * priced: unknown_consumption > 0 is a feasibility metric (and a term of
 * infeasibility), so the design is infeasible with a positive violation and
 * its undefined objective the worst, +infinity minimised; the evaluation
 * does not fail, and the problem counts such designs. A design that keeps
 * the unit empty is feasible and priced. */
static void test_unknown_consumption(void **state) {
  (void)state;
  const char *unknown[] = {"network.units.p.consumption.electricity=~"};
  cet_case *c = load_ok(unknown, 1);
  long metric = cet_twin_metric_find(c->twin, CET_TWIN_UNKNOWN_CONSUMPTION);
  long total = cet_twin_metric_find(c->twin, "infeasibility");
  assert_true(metric >= 0 && total >= 0);
  assert_int_equal(c->optimize->n_con, 2);
  assert_string_equal(c->optimize->constraint[1].metric, CET_TWIN_UNKNOWN_CONSUMPTION);
  cet_optimize_problem *p = NULL;
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 2, &p), CET_OK);
  assert_true(cet_optimize_problem_counts_unknown(p));
  const cet_moo_problem *m = cet_optimize_problem_moo(p);
  /* half to p (unknown electricity), then everything to q */
  double x[6] = {0.5, 0.5, 0.9, 0.0, 1.0, 0.9}, f[6], g[4], metrics[512];
  assert_int_equal(m->evaluate(m->ctx, 2, x, f, g), CET_OK);
  assert_true(g[1] == 1.0 && g[0] < 0.0);
  assert_true(isinf(f[1]) && f[1] > 0 && isfinite(f[0]) && isfinite(f[2]));
  assert_true(g[3] == 0.0 && g[2] < 0.0);
  assert_true(fabs(f[4] - 1000) < 1e-9); /* q alone: 10 kWh/t x 100 t/a */
  assert_int_equal(cet_optimize_problem_unknown(p), 1);
  assert_int_equal(cet_optimize_problem_evaluate_one(p, x, metrics, NULL, f, g), CET_OK);
  assert_true(metrics[metric] == 1.0 && metrics[total] == 1.0);
  assert_true(isnan(metrics[cet_twin_metric_find(c->twin, "energy")]));
  assert_true(isnan(cet_optimize_natural(c->optimize, 1, f[1])));
  assert_int_equal(cet_optimize_problem_unknown(p), 1); /* counted in batches only */
  cet_optimize_problem_set_unknown(p, 7);
  assert_int_equal(cet_optimize_problem_unknown(p), 7);
  cet_optimize_problem_destroy(&p);
  cet_case_destroy(&c);
  /* a twin whose consumptions are all known has no such metric */
  c = load_ok(NULL, 0);
  assert_int_equal(cet_twin_metric_find(c->twin, CET_TWIN_UNKNOWN_CONSUMPTION), -1);
  assert_int_equal(cet_optimize_problem_create(c->twin, c->optimize, 1, &p), CET_OK);
  assert_false(cet_optimize_problem_counts_unknown(p));
  cet_optimize_problem_destroy(&p);
  cet_case_destroy(&c);
}

/* A simulate case ignores the optimisation sections (with a warning). */
static void test_analysis_sections(void **state) {
  (void)state;
  const char *sim[] = {"analysis=simulate"};
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(small, sim, 1, &c), CET_OK);
  assert_null(c->optimize);
  cet_case_destroy(&c);
  cet_test_expect_case_error(small, "design=~", "design: expected a list, found null", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  snprintf(small, sizeof small, "%s/tests/regression/optimize_small.yaml", CETWIN_SOURCE_DIR);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read),
      cmocka_unit_test(test_design_errors),
      cmocka_unit_test(test_objective_errors),
      cmocka_unit_test(test_settings_errors),
      cmocka_unit_test(test_problem),
      cmocka_unit_test(test_problem_failures),
      cmocka_unit_test(test_unknown_consumption),
      cmocka_unit_test(test_analysis_sections),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
