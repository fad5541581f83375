/*
 * test_twin_criteria.c — unit tests of the criteria of a strategy (twin.h,
 * network.criteria and `handling:`): on a closed form of two components,
 * criteria.cost, criteria.gwp, criteria.energy and criteria.losses are the
 * sums of Bonnin et al. (2015), Eqs. 5-8 (the copper an exchange unit
 * exports counted as lost); a twin without criteria has none
 * of these metrics; and the reader's errors are located.
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
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static const double TIGHT = 1e-12;

/* 10 t/a of 40 % Cu sorted by `sort` (handling 5 EUR/t, 0.002 t CO2e/t,
 * 3 kWh/t) into a refinery (inline split: Cu 0.9 to product; 100 kWh and
 * 50 kWh of fuel per t Cu fed) and a discard; the refinery's residue and
 * the discard go to landfill (30 EUR/t, burden 0.01 t CO2e/t). */
static const char *const CASE =
    "name: criteria\n"
    "analysis: simulate\n"
    "components: [Cu, Rest]\n"
    "main_component: Cu\n"
    "carriers: {electricity: kWh/t, fuel: kWh/t}\n"
    "environment:\n"
    "  emission_factors: {electricity: 0.0001, fuel: 0.0003}\n"
    "  energy_carriers: [electricity, fuel]\n"
    "network:\n"
    "  criteria:\n"
    "    currency: EUR\n"
    "    prices: {electricity: 0.2, fuel: 0.05}\n"
    "    sold: 7000\n"
    "  units:\n"
    "    scrap: {type: feed, flow: 10, composition: {Cu: 0.4, Rest: 0.6}}\n"
    "    sort:\n"
    "      type: splitter\n"
    "      outlets: [process, discard]\n"
    "      fractions: [0.75, 0.25]\n"
    "      handling: {cost: 5, gwp: 0.002, energy: 3}\n"
    "    refine:\n"
    "      type: process\n"
    "      split: {Cu: {product: 0.9, residue: 0.1}, Rest: {residue: 1}}\n"
    "      consumption: {electricity: 100, fuel: 50}\n"
    "    market: {type: sink, kind: market}\n"
    "    landfill:\n"
    "      type: sink\n"
    "      kind: landfill\n"
    "      burden: 0.01\n"
    "      handling: {cost: 30}\n"
    "  streams:\n"
    "    - {from: scrap, to: sort}\n"
    "    - {from: sort.process, to: refine}\n"
    "    - {from: sort.discard, to: landfill}\n"
    "    - {from: refine.product, to: market}\n"
    "    - {from: refine.residue, to: landfill}\n";

static cet_case *load_ok(const char *path, const char *set) {
  cet_case *c = NULL;
  const char *sets[] = {set};
  int status = cet_test_load_case(path, sets, set ? 1 : 0, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return c;
}

static void assert_close(double a, double b) {
  double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  if (fabs(a - b) > TIGHT * (scale > 1.0 ? scale : 1.0)) {
    fail_msg("%.17g and %.17g differ", a, b);
  }
}

static void test_closed_form(void **state) {
  (void)state;
  cet_case *c = load_ok(cet_test_write("criteria.yaml", CASE), NULL);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  /* sorted 10 t; refinery gets 7.5 t with 3 t Cu: 2.7 t Cu sold, 0.3 t
   * Cu and 4.5 t Rest to landfill with the 2.5 t discarded (1 t Cu) */
  double elec = 100.0 * 3.0, fuel = 50.0 * 3.0;
  double recycling = 0.2 * elec + 0.05 * fuel, sold = 7000.0 * 2.7;
  double landfilled = 2.5 + 0.3 + 4.5;
  assert_close(cet_test_twin_metric(&a, "cost.recycling"), recycling);
  assert_close(cet_test_twin_metric(&a, "sold.Cu"), sold);
  assert_close(cet_test_twin_metric(&a, "handling.cost.sort"), 50.0);
  assert_close(cet_test_twin_metric(&a, "handling.cost.landfill"), 30.0 * landfilled);
  assert_close(cet_test_twin_metric(&a, "criteria.cost"),
               recycling + 50.0 + 30.0 * landfilled - sold);
  double gwp = 0.0001 * elec + 0.0003 * fuel + 0.01 * landfilled;
  assert_close(cet_test_twin_metric(&a, "gwp"), gwp);
  assert_close(cet_test_twin_metric(&a, "criteria.gwp"), gwp + 0.002 * 10.0);
  assert_close(cet_test_twin_metric(&a, "criteria.energy"), elec + fuel + 3.0 * 10.0);
  assert_close(cet_test_twin_metric(&a, "criteria.losses"), 1.0 + 0.3);
  /* a price moved by its path */
  a.params[cet_test_twin_slot(&a, "network.criteria.sold")] = 0.0;
  cet_test_twin_evaluate(&a);
  assert_close(cet_test_twin_metric(&a, "criteria.cost"), recycling + 50.0 + 30.0 * landfilled);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* The copper an exchange unit exports leaves the system: Eq. 8's L_E is
 * part of criteria.losses (export.UNIT.Cu, in the inflow's composition). */
static void test_export_is_lost(void **state) {
  (void)state;
  char text[4096];
  const char *units = strstr(CASE, "    sort:\n"),
             *stream = strstr(CASE, "    - {from: scrap, to: sort}\n");
  const char *rest = stream + strlen("    - {from: scrap, to: sort}\n");
  snprintf(text, sizeof text,
           "%.*s    trade: {type: exchange, net: -2, bounds: [-20, 0]}\n%.*s"
           "    - {from: scrap, to: trade}\n    - {from: trade.out, to: sort}\n%s",
           (int)(units - CASE), CASE, (int)(stream - units), units, rest);
  cet_case *c = load_ok(cet_test_write("export.yaml", text), NULL);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  /* 2 t of the 40 % Cu scrap exported: 0.8 t Cu; 8 t sorted, of which 2 t
   * (0.8 t Cu) discarded and 6 t refined (0.24 t Cu to landfill) */
  assert_close(cet_test_twin_metric(&a, "export.trade"), 2.0);
  assert_close(cet_test_twin_metric(&a, "export.trade.Cu"), 0.8);
  assert_close(cet_test_twin_metric(&a, "export.trade.Rest"), 1.2);
  assert_close(cet_test_twin_metric(&a, "criteria.losses"), 0.8 + 0.8 + 0.24);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* Without network.criteria the twin has neither the criteria nor their
 * terms: every existing twin keeps its metrics. */
static void test_absent(void **state) {
  (void)state;
  char text[4096];
  const char *from = strstr(CASE, "  criteria:\n"), *to = strstr(CASE, "  units:\n");
  snprintf(text, sizeof text, "%.*s%s", (int)(from - CASE), CASE, to);
  cet_case *c = load_ok(cet_test_write("plain.yaml", text), NULL);
  assert_true(cet_twin_metric_find(c->twin, "criteria.cost") < 0);
  assert_true(cet_twin_metric_find(c->twin, "cost.recycling") < 0);
  assert_true(cet_twin_metric_find(c->twin, "handling.cost.sort") < 0);
  assert_true(cet_twin_metric_find(c->twin, "infeasibility") < 0);
  cet_case_destroy(&c);
}

static void test_reader_errors(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s", cet_test_write("criteria.yaml", CASE));
  cet_test_expect_case_error(path, "network.criteria.prices.steam=1", "network.criteria.prices",
                             "steam", NULL);
  cet_test_expect_case_error(path, "network.criteria.rebate=1", "network.criteria", "rebate", NULL);
  cet_test_expect_case_error(path, "network.units.sort.handling.cost=cheap",
                             "network.units.sort.handling.cost", NULL);
  cet_test_expect_case_error(path, "network.units.sort.handling.gwp=-1",
                             "network.units.sort.handling.gwp", NULL);
  cet_test_expect_case_error(path, "network.units.scrap.handling={cost: 1}", "network.units.scrap",
                             "a feed has no handling", NULL);
  char text[4096];
  const char *main = strstr(CASE, "main_component: Cu\n");
  snprintf(text, sizeof text, "%.*s%s", (int)(main - CASE), CASE,
           main + strlen("main_component: Cu\n"));
  cet_test_expect_case_error(cet_test_write("nomain.yaml", text), "seed=1",
                             "nomain.yaml:", "network.criteria", "the criteria need main_component",
                             NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_closed_form),
      cmocka_unit_test(test_export_is_lost),
      cmocka_unit_test(test_absent),
      cmocka_unit_test(test_reader_errors),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
