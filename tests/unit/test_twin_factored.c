/*
 * test_twin_factored.c — unit tests of cet_twin_workspace_factor_npv
 * (twin.h): for parameters that only scale whole cash-flow rows or set the
 * discount rate, the factored NPV equals the model's within rounding at
 * random points with drawn price paths, also for parameters tied by a
 * scale factor; a parameter that moves a year, a phase or a price level
 * refuses the factored form (the model's bits then); a selection asking
 * for more than the NPV evaluates the model.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"
#include "model_support.h"
#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Every kind of line, a liquidation credit, contingencies, one drawn
 * series with a factor and one constant. */
static const char *const CASE =
    "name: f\n"
    "analysis: simulate\n"
    "economics:\n"
    "  horizon: 6\n"
    "  start_year: 2020\n"
    "  discount_rate: 0.08\n"
    "  contingency: 0.2\n"
    "  phases: {run: {years: [1, 5]}, closure: {years: [6, 6]}}\n"
    "  flows: {ore: {phase: run, per_year: 10}, zinc: {phase: run, per_year: 3}}\n"
    "  lines:\n"
    "    plant: {group: CAPEX, kind: capex, amount: 1, unit_value: 700, renewal_year: 3, "
    "contingency: default, liquidation: 0.1}\n"
    "    pump: {group: CAPEX, kind: capex, amount: 2, unit_value: 50, contingency: default}\n"
    "    power: {group: OPEX, flow: ore, unit_value: 2, contingency: default}\n"
    "    staff: {group: OPEX, amount: 3, unit_value: 20, phase: run}\n"
    "    cover: {group: closure, kind: spread, phase: closure, amount: 10, unit_value: 9}\n"
    "    copper: {group: sales, direction: income, flow: ore, price: Cu, payable: 0.9}\n"
    "    zinc: {group: sales, direction: income, flow: zinc, price: Zn}\n"
    "    royalty: {group: OPEX, flow: zinc, price: Zn, payable: 0.1}\n"
    "prices:\n"
    "  Cu: {model: ar, phi: [0.5], sigma: 1, long_run_mean: 60, last_year: 2020, "
    "history: [60], factor: 1.1}\n"
    "  Zn: {pessimistic: 30, mean: 40, optimistic: 50}\n";

enum { YEARS = 7, MOVED = 12 };

/* The parameters moved at random, and their ranges. */
static const char *const MOVED_PATHS[MOVED] = {"economics.discount_rate",
                                               "economics.lines.plant.unit_value",
                                               "economics.contingency",
                                               "economics.lines.plant.liquidation",
                                               "economics.lines.power.unit_value",
                                               "economics.flows.ore.per_year",
                                               "economics.flows.zinc.per_year",
                                               "economics.lines.staff.amount",
                                               "economics.lines.cover.unit_value",
                                               "economics.lines.copper.payable",
                                               "prices.Cu.factor",
                                               "economics.lines.pump.amount"};
static const double LOW[MOVED] = {0.05, 500, 0.1, 0.0, 1, 5, 1, 1, 5, 0.5, 0.7, 1};
static const double HIGH[MOVED] = {0.2, 900, 0.4, 0.3, 3, 15, 5, 5, 15, 1.0, 1.3, 4};

static cet_case *read_case(void) {
  const char *path = cet_test_write("twin-factored.yaml", CASE);
  void *c = NULL;
  if (cet_test_read_case(path, NULL, 0, &c) != CET_OK) {
    cet_error_print(stderr, 1);
    fail_msg("the case does not read");
  }
  return c;
}

static double uniform(unsigned long long *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(*s >> 11) * 0x1.0p-53;
}

/* A workspace selecting the metrics names, the series Cu drawn at path. */
static cet_twin_workspace *workspace(const cet_twin *t, const char *const *names, size_t n,
                                     const double *path) {
  cet_twin_workspace *w = NULL;
  size_t metric[4];
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  for (size_t k = 0; k < n; k++) {
    long m = cet_twin_metric_find(t, names[k]);
    assert_true(m >= 0);
    metric[k] = (size_t)m;
  }
  assert_int_equal(cet_twin_workspace_select(w, metric, n), CET_OK);
  const long cu = cet_twin_price_find(t, "Cu");
  cet_twin_workspace_set_price_path(w, (size_t)cu, path, 1);
  cet_twin_workspace_draw_price(w, (size_t)cu, 1);
  return w;
}

/* A workspace in factored form for the moved slots (tie as for
 * cet_twin_workspace_factor_npv) next to one evaluating the model, both
 * with Cu drawn at path. */
typedef struct {
  const cet_twin *t;
  cet_twin_workspace *factored, *model;
  double *a, *b; /* [metrics] of each */
  size_t npv, cost, income;
} npv_pair;

static npv_pair pair_open(const cet_twin *t, const size_t *slots, const size_t *tie, size_t n,
                          const double *path) {
  const char *names[] = {"npv", "cost_pv", "income_pv"};
  const size_t nm = cet_twin_metric_count(t);
  npv_pair q = {t,
                workspace(t, names, 1, path),
                workspace(t, names, 3, path),
                calloc(nm, sizeof(double)),
                calloc(nm, sizeof(double)),
                (size_t)cet_twin_metric_find(t, "npv"),
                (size_t)cet_twin_metric_find(t, "cost_pv"),
                (size_t)cet_twin_metric_find(t, "income_pv")};
  int applies = 0;
  char why[256];
  assert_int_equal(
      cet_twin_workspace_factor_npv(q.factored, slots, tie, n, &applies, why, sizeof why), CET_OK);
  assert_int_equal(applies, 1);
  return q;
}

/* |factored NPV - model NPV| at p over the model's present values of the
 * costs and the income (the NPV itself may nearly cancel); *differ counts
 * the points whose bits differ. */
static double pair_gap(npv_pair *q, const double *p, int *differ) {
  assert_int_equal(cet_twin_evaluate(q->t, p, q->factored, q->a), CET_OK);
  assert_int_equal(cet_twin_evaluate(q->t, p, q->model, q->b), CET_OK);
  *differ += memcmp(&q->a[q->npv], &q->b[q->npv], sizeof(double)) != 0;
  return fabs(q->a[q->npv] - q->b[q->npv]) / (q->b[q->cost] + q->b[q->income]);
}

/* Both workspaces read the new values written at path (twin.h: they are
 * read after a call only). */
static void pair_path(npv_pair *q, const double *path) {
  const size_t cu = (size_t)cet_twin_price_find(q->t, "Cu");
  cet_twin_workspace_set_price_path(q->factored, cu, path, 1);
  cet_twin_workspace_set_price_path(q->model, cu, path, 1);
}

/* The slots of the n parameter paths. */
static void find_slots(const cet_twin *t, const char *const *paths, size_t n, size_t *slots) {
  for (size_t k = 0; k < n; k++) {
    long s = cet_twin_parameter_find(t, paths[k]);
    if (s < 0) {
      fail_msg("no parameter %s", paths[k]);
    }
    slots[k] = (size_t)s;
  }
}

/* Fails when the largest gap over the points exceeds 1e-12. */
static void check_gap(double worst) {
  if (!(worst <= 1e-12)) {
    fail_msg("the factored NPV differs from the model's by %g of the present values", worst);
  }
}

static void pair_close(npv_pair *q) {
  cet_twin_workspace_destroy(&q->factored);
  cet_twin_workspace_destroy(&q->model);
  free(q->a);
  free(q->b);
}

/* The factored NPV is the model's within 1e-12 relative to the present
 * values of the costs and the income (the NPV itself may nearly cancel) at
 * random points of the moved parameters and the drawn path, and a
 * different evaluation: some points differ in their last bits. */
static void test_factored_equals_model(void **state) {
  (void)state;
  cet_case *c = read_case();
  const cet_twin *t = c->twin;
  const size_t np = cet_twin_parameter_count(t);
  size_t slots[MOVED];
  find_slots(t, MOVED_PATHS, MOVED, slots);
  double path[YEARS], *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  npv_pair q = pair_open(t, slots, NULL, MOVED, path);
  unsigned long long s = 2021;
  int differ = 0;
  double worst = 0.0;
  for (int point = 0; point < 2000; point++) {
    for (size_t k = 0; k < MOVED; k++) { /* some points keep a rate: the kept present values */
      if (k > 0 || point % 3 == 0) {
        p[slots[k]] = LOW[k] + (HIGH[k] - LOW[k]) * uniform(&s);
      }
    }
    for (size_t y = 0; y < YEARS; y++) {
      path[y] = 30.0 + 60.0 * uniform(&s);
    }
    pair_path(&q, path);
    const double gap = pair_gap(&q, p, &differ);
    worst = gap > worst ? gap : worst;
  }
  check_gap(worst);
  assert_true(differ > 0);
  pair_close(&q);
  free(p);
  cet_case_destroy(&c);
}

/* Parameters tied by a scale factor (two unit values multiplied by 1 + c,
 * a liquidation fraction divided by it) give the model's NPV within 1e-12
 * of the present values. */
static void test_tied_parameters(void **state) {
  (void)state;
  cet_case *c = read_case();
  const cet_twin *t = c->twin;
  const char *paths[] = {"economics.lines.plant.unit_value", "economics.lines.pump.unit_value",
                         "economics.lines.plant.liquidation", "economics.discount_rate"};
  const size_t tie[] = {0, 0, 1, SIZE_MAX};
  const int divides[] = {0, 0, 1, 0};
  const size_t np = cet_twin_parameter_count(t);
  const double *defaults = cet_twin_parameter_defaults(t);
  size_t slots[4];
  find_slots(t, paths, 4, slots);
  double path[YEARS] = {50, 51, 52, 53, 54, 55, 56}, *p = malloc(np * sizeof *p);
  memcpy(p, defaults, np * sizeof *p);
  npv_pair q = pair_open(t, slots, tie, 4, path);
  unsigned long long s = 7;
  int differ = 0;
  double worst = 0.0;
  for (int point = 0; point < 500; point++) {
    const double change = -0.3 + 0.6 * uniform(&s);
    for (size_t k = 0; k < 3; k++) {
      const double d = defaults[slots[k]];
      p[slots[k]] = divides[k] ? d / (1.0 + change) : d * (1.0 + change);
    }
    p[slots[3]] = 0.05 + 0.1 * uniform(&s);
    const double gap = pair_gap(&q, p, &differ);
    worst = gap > worst ? gap : worst;
  }
  check_gap(worst);
  pair_close(&q);
  free(p);
  cet_case_destroy(&c);
}

/* A parameter that moves a year, a phase or a price level refuses the
 * factored form, saying which; the evaluations are the model's bits. */
static void test_refusals(void **state) {
  (void)state;
  cet_case *c = read_case();
  const cet_twin *t = c->twin;
  const struct {
    const char *path, *why;
  } refused[] = {{"economics.lines.plant.year", "moves a year of plant"},
                 {"economics.lines.plant.renewal_year", "moves a year of plant"},
                 {"economics.phases.run.years[1]", "moves a year of run"},
                 {"prices.Zn.mean", "moves the value of Zn"}};
  const size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double path[YEARS] = {50, 51, 52, 53, 54, 55, 56}, *a = calloc(nm, sizeof *a),
         *b = calloc(nm, sizeof *b), *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  const char *npv[] = {"npv"};
  for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
    long slot = cet_twin_parameter_find(t, refused[k].path);
    if (slot < 0) {
      fail_msg("no parameter %s", refused[k].path);
    }
    size_t slots[2] = {(size_t)cet_twin_parameter_find(t, "economics.discount_rate"), (size_t)slot};
    cet_twin_workspace *w = workspace(t, npv, 1, path), *model = workspace(t, npv, 1, path);
    int applies = 1;
    char why[256];
    assert_int_equal(cet_twin_workspace_factor_npv(w, slots, NULL, 2, &applies, why, sizeof why),
                     CET_OK);
    assert_int_equal(applies, 0);
    if (!strstr(why, refused[k].why)) {
      fail_msg("%s: the reason '%s' does not say '%s'", refused[k].path, why, refused[k].why);
    }
    p[slots[0]] = 0.13;
    assert_int_equal(cet_twin_evaluate(t, p, w, a), CET_OK);
    assert_int_equal(cet_twin_evaluate(t, p, model, b), CET_OK);
    assert_memory_equal(a, b, nm * sizeof *a);
    cet_twin_workspace_destroy(&w);
    cet_twin_workspace_destroy(&model);
  }
  free(a);
  free(b);
  free(p);
  cet_case_destroy(&c);
}

/* With the IRR selected too, and after turning the form off (n = 0), the
 * model evaluates every point: the model's bits. */
static void test_other_metrics_use_the_model(void **state) {
  (void)state;
  cet_case *c = read_case();
  const cet_twin *t = c->twin;
  const size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double path[YEARS] = {50, 51, 52, 53, 54, 55, 56}, *a = calloc(nm, sizeof *a),
         *b = calloc(nm, sizeof *b), *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  size_t slot = (size_t)cet_twin_parameter_find(t, "economics.lines.plant.unit_value");
  const char *names[][2] = {{"npv", "irr"}, {"npv", NULL}};
  for (size_t k = 0; k < 2; k++) {
    cet_twin_workspace *w = workspace(t, names[k], k == 0 ? 2 : 1, path),
                       *model = workspace(t, names[k], k == 0 ? 2 : 1, path);
    int applies = 0;
    char why[256];
    assert_int_equal(cet_twin_workspace_factor_npv(w, &slot, NULL, 1, &applies, why, sizeof why),
                     CET_OK);
    assert_int_equal(applies, 1);
    if (k == 1) {
      assert_int_equal(cet_twin_workspace_factor_npv(w, NULL, NULL, 0, &applies, why, sizeof why),
                       CET_OK);
      assert_int_equal(applies, 0);
    }
    for (int point = 0; point < 5; point++) {
      p[slot] = 600.0 + 37.0 * point;
      assert_int_equal(cet_twin_evaluate(t, p, w, a), CET_OK);
      assert_int_equal(cet_twin_evaluate(t, p, model, b), CET_OK);
      assert_memory_equal(a, b, nm * sizeof *a);
    }
    cet_twin_workspace_destroy(&w);
    cet_twin_workspace_destroy(&model);
  }
  free(a);
  free(b);
  free(p);
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_factored_equals_model),
      cmocka_unit_test(test_tied_parameters),
      cmocka_unit_test(test_refusals),
      cmocka_unit_test(test_other_metrics_use_the_model),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
