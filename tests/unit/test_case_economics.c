/*
 * test_case_economics.c — unit tests of case.h for economics and Monte
 * Carlo cases: every number of `economics:` and `prices:` is a parameter at
 * its key path (defaults registered for optional numbers), CSV histories
 * are read with the case and fitted, the correlation comes from residuals
 * or is given, scenarios replace sections and apply overrides, and every
 * reader error names FILE:LINE:COL and the key path: economics, prices,
 * CSV, correlation, uncertain variables, mc settings, scenarios, unfc.
 */
#include "cetwin/mc.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/case.h"
#include "cetwin/config.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"
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

/* A small project: CAPEX in year 0, a recurring cost, a revenue at a
 * price, over 4 years; two AR price series with histories in CSV files. */
static const char *const CASE =
    "name: econ\n"
    "analysis: mc\n"
    "seed: 3\n"
    "economics:\n"
    "  horizon: 4\n"
    "  start_year: 2020\n"
    "  discount_rate: 0.1\n"
    "  contingency: 0.2\n"
    "  phases:\n"
    "    run: {years: [1, 4]}\n"
    "  flows:\n"
    "    ore: {phase: run, per_year: 100, unit: t}\n"
    "  lines:\n"
    "    plant: {group: CAPEX, kind: capex, amount: 1, unit_value: "
    "1000, contingency: default, liquidation: 0.1}\n"
    "    staff: {group: OPEX, phase: run, amount: 2, unit_value: 50}\n"
    "    metal: {group: sales, direction: income, flow: ore, price: "
    "Cu, payable: 0.9}\n"
    "    zinc: {group: sales, direction: income, flow: ore, price: Zn}\n"
    "prices:\n"
    "  scenario: mean\n"
    "  Cu: {unit: EUR/t, model: ar, csv: cu.csv, scale: log, order: 1}\n"
    "  Zn: {unit: EUR/t, model: ar, csv: zn.csv, order: aic}\n"
    "uncertain:\n"
    "  - {path: economics.lines.staff.unit_value, distribution: pert, "
    "min: 40, mode: 50, max: 70}\n"
    "  - {price: [Cu, Zn]}\n"
    "mc: {draws: 100, block: 10}\n";

/* Writes a yearly history of n years ending in 2020. */
static void write_history(const char *name, double a, double b, int n) {
  char text[4096] = "year,value\n";
  double x = a;
  for (int i = 0; i < n; i++) {
    char line[64];
    x = a + b * x / a + 3.0 * sin(1.7 * i) + (i % 3);
    snprintf(line, sizeof line, "%d,%.4f\n", 2020 - n + 1 + i, x);
    strcat(text, line);
  }
  cet_test_write(name, text);
}

static char case_path[512];

static void write_case(const char *text) {
  snprintf(case_path, sizeof case_path, "%s", cet_test_write("econ.yaml", text));
}

static int read(const char *const *sets, size_t n, cet_case **out) {
  void *c = NULL;
  int status = cet_test_read_case(case_path, sets, n, &c);
  *out = c;
  return status;
}

static cet_case *read_ok(const char *const *sets, size_t n) {
  cet_case *c = NULL;
  int status = read(sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return c;
}

static void expect_sets(const char *const *sets, size_t n, const char *fragment,
                        const char *fragment2) {
  cet_case *c = NULL;
  int status = read(sets, n, &c);
  if (status != CET_ERR_INPUT) {
    fail_msg("--set %s: expected an input error, found status %d", n ? sets[0] : "", status);
  }
  assert_null(c);
  cet_test_expect_message(fragment, fragment2, NULL);
}

static void expect(const char *set, const char *fragment, const char *fragment2) {
  const char *sets[] = {set};
  expect_sets(sets, set ? 1 : 0, fragment, fragment2);
}

static int setup(void **state) {
  (void)state;
  write_history("cu.csv", 6000, 0.5, 30);
  write_history("zn.csv", 2500, 0.7, 30);
  write_case(CASE);
  return 0;
}

static void test_parameters_by_path(void **state) {
  (void)state;
  cet_case *c = read_ok(NULL, 0);
  const cet_twin *t = c->twin;
  const char *const paths[] = {
      "economics.discount_rate",           "economics.contingency",
      "economics.phases.run.years[0]",     "economics.flows.ore.per_year",
      "economics.lines.plant.unit_value",  "economics.lines.plant.year",
      "economics.lines.plant.liquidation", "economics.lines.plant.liquidation_year",
      "economics.lines.staff.contingency", "economics.lines.metal.payable",
      "economics.lines.zinc.payable",      "prices.Cu.factor"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    if (cet_twin_parameter_find(t, paths[i]) < 0) {
      fail_msg("no parameter %s", paths[i]);
    }
  }
  /* defaults of absent optional numbers */
  const double *v = cet_twin_parameter_defaults(t);
  assert_true(v[cet_twin_parameter_find(t, "economics.lines.zinc.payable")] == 1.0);
  assert_true(v[cet_twin_parameter_find(t, "economics.lines.plant.liquidation_year")] == -1.0);
  assert_true(v[cet_twin_parameter_find(t, "economics.lines.staff.contingency")] == 0.0);
  /* contingency: default shares economics.contingency */
  assert_true(cet_twin_parameter_find(t, "economics.lines.plant.contingency") < 0);
  assert_int_equal(cet_twin_price_count(t), 2);
  assert_non_null(cet_twin_price_model(t, 0));
  assert_int_equal(c->mc->n_uncertain, 2);
  assert_int_equal((long)c->mc->draws, 100);
  /* residual correlation of the two fitted histories, a valid correlation */
  double r = cet_twin_price_correlation(t, 0, 1);
  assert_true(r > -1.0 && r < 1.0 && r == cet_twin_price_correlation(t, 1, 0));
  /* default metrics: npv, irr, payback, cost_pv, income_pv and the groups */
  assert_int_equal(c->mc->metrics.n, 5 + 4);
  cet_case_destroy(&c);
}

static void test_set_moves_the_npv(void **state) {
  (void)state;
  cet_case *c = read_ok(NULL, 0);
  double base = cet_test_metric(c->twin, "npv");
  cet_case_destroy(&c);
  const char *sets[] = {"economics.lines.plant.unit_value=2000"};
  c = read_ok(sets, 1);
  double more = cet_test_metric(c->twin, "npv");
  /* 1000 more of investment with the 20 % contingency, 10 % of it back in
   * year 4: 1200 - 120 / 1.1^4 */
  assert_true(fabs((base - more) - (1200.0 - 120.0 / pow(1.1, 4))) < 1e-9 * 1200.0);
  cet_case_destroy(&c);
}

static void test_constant_path_and_given_prices(void **state) {
  (void)state;
  const char *sets[] = {"prices={Cu: {pessimistic: 10, mean: 20, optimistic: 30}, Zn: {model: "
                        "path, first_year: 2019, values: [1, 2, 3, 4, 5, 6, 7]}}",
                        "uncertain=~"};
  cet_case *c = read_ok(sets, 2);
  double mean = cet_test_metric(c->twin, "income_pv");
  cet_case_destroy(&c);
  const char *pess[] = {sets[0], sets[1], "prices.scenario=pessimistic"};
  c = read_ok(pess, 3);
  double low = cet_test_metric(c->twin, "income_pv");
  /* Cu at 10 instead of 20 EUR/t on 100 t/a x 0.9 over years 1..4 */
  double af = 0.0;
  for (int t = 1; t <= 4; t++) {
    af += pow(1.1, -t);
  }
  assert_true(fabs((mean - low) - 10.0 * 100.0 * 0.9 * af) < 1e-9 * mean);
  assert_null(cet_twin_price_model(c->twin, 0));
  cet_case_destroy(&c);
  const char *given[] = {"prices={Cu: {model: ar, scale: log, phi: [0.5], sigma: 0.1, "
                         "long_run_mean: 5000, last_year: 2020, history: [5000]}, Zn: {value: 9}, "
                         "correlation: independent}",
                         "uncertain=[{price: Cu}]"};
  c = read_ok(given, 2);
  assert_non_null(cet_twin_price_model(c->twin, 0));
  assert_true(cet_twin_price_correlation(c->twin, 0, 1) == 0.0);
  cet_case_destroy(&c);
}

static void test_scenarios(void **state) {
  (void)state;
  const char *sets[] = {"scenarios={cheap: {set: [economics.lines.plant.unit_value=10], "
                        "reference: {source: test, scale: 1000, values: {npv: 1}}}, "
                        "flat: {prices: {Cu: {value: 6000}, Zn: {value: 2500}}}}"};
  cet_case *c = read_ok(sets, 1);
  assert_int_equal(c->mc->n_scenarios, 2);
  const cet_scenario *s = &c->mc->scenarios[0];
  assert_string_equal(s->name, "cheap");
  assert_true(s->reference_scale == 1000.0 && s->n_reference == 1);
  /* the scenario's own twin; the case's is unchanged */
  assert_true(cet_test_metric(s->twin, "npv") > cet_test_metric(c->twin, "npv"));
  assert_null(cet_twin_price_model(c->mc->scenarios[1].twin, 0));
  cet_case_destroy(&c);
}

static void test_economics_errors(void **state) {
  (void)state;
  expect("economics.horizon=-1", "economics.horizon: expected an integer in [0, 1000]",
         "found '-1'");
  expect("economics.discount_rate=-2", "economics.discount_rate", "[-0.99, 100]");
  expect("economics.lines.staff.phase=never", "economics.lines.staff.phase: unknown phase 'never'",
         "run");
  expect("economics.lines.metal.price=Ag", "economics.lines.metal.price: unknown price 'Ag'",
         "Cu, Zn");
  expect("economics.lines.staff.colour=3", "economics.lines.staff.colour", "unknown key");
  expect("economics.lines.staff={group: OPEX}", "economics.lines.staff", "a phase or a flow");
  expect("economics.lines.staff={group: OPEX, phase: run}", "missing required key 'unit_value'",
         "price");
  expect("economics.lines.metal.contingency=0.1", "contingency applies to costs only", "metal");
  expect("economics.lines.plant.renewal_year=0.5", "economics.lines.plant.renewal_year", NULL);
  expect("economics.lines.plant.flow=ore", "a capex line takes amount x unit_value", "flow");
  expect("economics.phases.run.years=[3, 1]", "economics.phases.run.years", "min <= max");
  expect("economics.phases.run.years=[1, 9]", "economics.phases.run.years", "[0, 4]");
  expect("economics.flows.ore={phase: run}", "economics.flows.ore", "exactly one of per_year");
  expect("economics.flows.ore={phase: run, by_year: [1, 2]}", "economics.flows.ore.by_year",
         "expected 5 values");
  expect("economics.flows.ore={phase: run, metric: production.Cu}", "no metric 'production.Cu'",
         NULL);
}

static void test_price_errors(void **state) {
  (void)state;
  expect("prices.scenario=worst", "prices.scenario: expected one of pessimistic, mean, optimistic",
         "worst");
  expect("prices.Cu.csv=missing.csv", "prices.Cu.csv: cannot read the data file", "missing.csv");
  cet_test_write("bad.csv", "year,value\n2001,3\n2002,x\n");
  expect("prices.Cu.csv=bad.csv", "prices.Cu.csv", "bad.csv:3:");
  cet_test_write("short.csv", "2019,3\n2020,4\n");
  expect("prices.Cu.csv=short.csv", "prices.Cu.csv", "observations");
  expect("prices.Cu.value=3", "'value' does not apply to a ar price model", NULL);
  expect("prices.Cu={model: ar, phi: [0.5], sigma: 1, last_year: 2020, history: [1]}", "prices.Cu",
         "'intercept' or 'long_run_mean'");
  expect("prices.Cu={pessimistic: 1, mean: 2}", "prices.Cu", "all three of 'pessimistic'");
  expect("prices.Cu={model: path, first_year: 2021, values: [1, 2]}", "prices.Cu.values",
         "must cover the years of the cash flow, 2020..2024");
  expect("prices.correlation={members: [Cu, Zn], matrix: [[1, 1.5], [1.5, 1]]}",
         "prices.correlation.matrix[0][1]", "[-1, 1]");
  expect("prices.correlation={members: [Cu, Zn], matrix: [[1, 0.9999999999999], "
         "[0.9999999999999, 1]]}",
         "prices.correlation.matrix", "not positive definite");
  expect("prices.correlation={members: [Cu, Ag], matrix: [[1, 0], [0, 1]]}",
         "prices.correlation.members[1]", "found 'Ag'");
  expect("economics.start_year=~", "a model price needs economics.start_year", NULL);
}

static void test_mc_errors(void **state) {
  (void)state;
  expect("uncertain=[{path: economics.lines.staf.unit_value, distribution: normal, mean: 1, "
         "sd: 1}]",
         "uncertain[0].path: no parameter 'economics.lines.staf.unit_value'",
         "economics.lines.staff.unit_value");
  expect("uncertain=[{path: economics.lines.metal.payable, distribution: normal, mean: 0.9, "
         "sd: 0.01}]",
         "the normal distribution takes values in [-inf, inf]", "must lie in [0, 1]");
  expect("uncertain=[{path: economics.discount_rate, distribution: weibull}]",
         "uncertain[0].distribution", "found 'weibull'");
  expect("uncertain=[{path: economics.discount_rate, distribution: uniform, min: 0.2, max: 0.1}]",
         "uncertain[0].distribution", "min");
  expect("uncertain=[{path: economics.discount_rate, distribution: uniform, min: 0.1, mode: 3, "
         "max: 0.2}]",
         "'mode' is not a parameter of a uniform distribution", NULL);
  expect("uncertain=[{path: economics.discount_rate, distribution: discrete, values: [0.1], "
         "weights: [1, 2]}]",
         "expected one weight per value", NULL);
  expect("uncertain=[{path: economics.discount_rate, distribution: uniform, min: 0.1, max: 0.2}, "
         "{path: economics.discount_rate, distribution: uniform, min: 0.1, max: 0.2}]",
         "uncertain[1]", "already uncertain");
  expect("uncertain=[{price: [Cu, Ag]}]", "uncertain[0].price[1]", "unknown price series 'Ag'");
  expect("uncertain=[{price: Cu}, {price: Cu}]", "uncertain[1]", "already drawn");
  expect("uncertain=[{}]", "uncertain[0]", "{price: SERIES");
  expect("mc.draws=0", "mc.draws", NULL);
  expect("mc.metrics=[npv, nvp]", "mc.metrics[1]: no metric 'nvp'", "npv");
  expect("mc={metrics: [npv], stop: {metric: irr, rse: 0.01}}", "mc.stop.metric",
         "expected one of the metrics summarised");
  expect("mc.stop={metric: npv, rse: 2}", "mc.stop.rse", NULL);
  expect("mc.colour=1", "mc.colour", "unknown key");
}

static void test_scenario_and_unfc_errors(void **state) {
  (void)state;
  expect("scenarios={bad name: {}}", "scenarios", "a scenario name");
  expect("scenarios={a: {set: [economics.discount_rate=5000]}}", "economics.discount_rate",
         "in scenario 'a'");
  expect("scenarios={a: {components: [Cu]}}", "scenarios.a.components", "unknown key");
  expect("scenarios={a: {reference: {values: {nvp: 1}}}}", "no metric 'nvp'", NULL);
  expect("unfc={factors: {x: F2}}", "unfc.factors.x", "expected a rating of the economic category");
  expect("unfc={factors: {x: E9}}", "unfc.factors.x", NULL);
  expect("unfc={projects: {p: {mean: nowhere}}}", "unfc.projects.p.mean",
         "unknown scenario 'nowhere'");
  expect("unfc={neutral_fraction: 2}", "unfc.neutral_fraction", NULL);
  /* the rating of the draws needs their NPV, costs and quantiles: refused
   * before any draw */
  const char *no_cost[] = {"mc={draws: 100, metrics: [npv]}", "unfc={}"};
  expect_sets(no_cost, 2, "mc.metrics", "needs the metrics npv and cost_pv");
  const char *no_quantiles[] = {"mc={draws: 100, quantiles: false}", "unfc={}"};
  expect_sets(no_quantiles, 2, "mc.quantiles", "must be true with unfc:");
}

/* An economics twin whose flows follow a network's sink. */
static void test_flows_linked_to_the_network(void **state) {
  (void)state;
  const char *text = "name: linked\n"
                     "analysis: simulate\n"
                     "components: [Cu, Balance]\n"
                     "network:\n"
                     "  units:\n"
                     "    ore: {type: feed, flow: 1000, composition: {Cu: 0.1, Balance: 0.9}}\n"
                     "    mill:\n"
                     "      type: process\n"
                     "      split: {Cu: {conc: 0.8, tail: 0.2}, Balance: {conc: 0.05, tail: "
                     "0.95}}\n"
                     "    market: {type: sink, kind: market}\n"
                     "    dam: {type: sink, kind: landfill}\n"
                     "  streams:\n"
                     "    - {from: ore, to: mill}\n"
                     "    - {from: mill.conc, to: market}\n"
                     "    - {from: mill.tail, to: dam}\n"
                     "economics:\n"
                     "  horizon: 1\n"
                     "  discount_rate: 0\n"
                     "  phases: {run: {years: [1, 1]}}\n"
                     "  flows: {cu: {phase: run, metric: production.Cu, factor: 1}}\n"
                     "  lines: {sales: {group: sales, direction: income, flow: cu, unit_value: "
                     "10}}\n";
  snprintf(case_path, sizeof case_path, "%s", cet_test_write("linked.yaml", text));
  cet_case *c = read_ok(NULL, 0);
  /* 80 t of Cu to the market at 10 per t */
  assert_true(fabs(cet_test_metric(c->twin, "npv") - 800.0) < 1e-9);
  cet_case_destroy(&c);
  const char *sets[] = {"network.units.mill.split.Cu={conc: 0.5, tail: 0.5}"};
  c = read_ok(sets, 1);
  assert_true(fabs(cet_test_metric(c->twin, "npv") - 500.0) < 1e-9);
  cet_case_destroy(&c);
  write_case(CASE);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parameters_by_path),
      cmocka_unit_test(test_set_moves_the_npv),
      cmocka_unit_test(test_constant_path_and_given_prices),
      cmocka_unit_test(test_scenarios),
      cmocka_unit_test(test_economics_errors),
      cmocka_unit_test(test_price_errors),
      cmocka_unit_test(test_mc_errors),
      cmocka_unit_test(test_scenario_and_unfc_errors),
      cmocka_unit_test(test_flows_linked_to_the_network),
  };
  int failed = cmocka_run_group_tests(tests, setup, NULL);
  MPI_Finalize();
  return failed;
}
