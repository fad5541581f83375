/*
 * test_twin_choice.c — unit tests of flowsheet choice units (twin.h,
 * network.h): the chosen chain composes into one transformation equal to
 * running its processes one by one as process units (sinks and
 * consumptions within 1e-12, balances closed to 1e-12); the chain number
 * is a parameter (--set, rounding to the nearest chain); a mixed inflow
 * outside a step's acceptance window gives a positive acceptance.UNIT and
 * infeasibility instead of an error; the waste of one choice may feed the
 * next; optimize constrains each acceptance; listed chains (`chains:`)
 * split a chain into steps whose intermediates an exchange imports or
 * exports (more than flows: exchange_shortfall); a selector's outlet or a
 * chain of a unit that receives no flow is reported idle (no effect); and
 * every reader error is located FILE:LINE:COL with the key path.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/optimize_spec.h"
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

enum { CASE_LEN = 8192 };

static const double TIGHT = 1e-12;

/* The head of every case: the PWB components and the shipped library. */
static void head(char *buf, size_t len, const char *analysis) {
  snprintf(buf, len,
           "name: choice\n"
           "analysis: %s\n"
           "seed: 1\n"
           "components: [Cu, Fe, Zn, Pb, Sn, Balance]\n"
           "main_component: Cu\n"
           "properties: {size: m, moisture: \"1\"}\n"
           "carriers: {electricity: kWh/t, fuel: kWh/t, water: kWh/t, oxygen: kWh/t, "
           "silica: kWh/t}\n"
           "processes: !include %s/configs/processes/copper-bonnin2015.yaml\n",
           analysis, CETWIN_SOURCE_DIR);
}

static const char *const PWB =
    "    PWB:\n"
    "      type: feed\n"
    "      flow: 5\n"
    "      composition: {Cu: 0.22, Fe: 0.036, Zn: 0, Pb: 0.0155, Sn: 0.026, Balance: 0.7025}\n"
    "      properties: {size: 1.0e-4, moisture: 0}\n";

/* A network of the PWB feed, a unit `refine` given by text, and three
 * sinks fed by the streams of text `streams`. */
static const char *write_case(const char *name, const char *analysis, const char *units,
                              const char *streams, const char *tail) {
  static char text[CASE_LEN];
  head(text, sizeof text, analysis);
  size_t used = strlen(text);
  int n = snprintf(text + used, sizeof text - used,
                   "network:\n"
                   "  flow_units: t/day\n"
                   "  units:\n"
                   "%s%s"
                   "    cathode: {type: sink, kind: market}\n"
                   "    residue: {type: sink, kind: landfill}\n"
                   "    gas: {type: sink, kind: export}\n"
                   "  streams:\n"
                   "%s%s",
                   PWB, units, streams, tail ? tail : "");
  assert_true(n >= 0 && (size_t)n < sizeof text - used); /* the case fits */
  return cet_test_write(name, text);
}

static const char *const CHOICE_UNITS =
    "    refine: {type: flowsheet_choice, feed: PWB, chain: 2}\n";
static const char *const CHOICE_STREAMS = "    - {from: PWB, to: refine}\n"
                                          "    - {from: refine.product, to: cathode}\n"
                                          "    - {from: refine.waste1, to: residue}\n"
                                          "    - {from: refine.waste2, to: gas}\n";

static cet_case *load_ok(const char *path, const char *const *sets, size_t n) {
  cet_case *c = NULL;
  int status = cet_test_load_case(path, sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  assert_non_null(c->twin);
  return c;
}

static void assert_close(double a, double b, double rel) {
  double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  if (fabs(a - b) > rel * (scale > 0.0 ? scale : 1.0)) {
    fail_msg("%.17g and %.17g differ by more than %g relative", a, b, rel);
  }
}

/* Every sink's mass per component and every consumption of twins a and b
 * agree to rel. */
static void assert_same_flows(const cet_test_twin *a, const cet_test_twin *b, double rel) {
  static const char *const sinks[] = {"cathode", "residue", "gas"};
  const cet_names *comps = cet_twin_components(a->twin);
  char name[256];
  for (size_t s = 0; s < 3; s++) {
    for (size_t c = 0; c < comps->n; c++) {
      snprintf(name, sizeof name, "mass.%s.%s", sinks[s], comps->name[c]);
      assert_close(cet_test_twin_metric(a, name), cet_test_twin_metric(b, name), rel);
    }
  }
  const cet_names *carriers = cet_twin_carriers(a->twin);
  for (size_t k = 0; k < carriers->n; k++) {
    snprintf(name, sizeof name, "consumption.%s", carriers->name[k]);
    assert_close(cet_test_twin_metric(a, name), cet_test_twin_metric(b, name), rel);
  }
}

/* Chain 2 of the PWB feed is ELEC+PS+A (analysis: enumerate); the same
 * three library process units in a row give the same sinks and
 * consumptions. */
static void test_composed_equals_chain(void **state) {
  (void)state;
  cet_case *one =
      load_ok(write_case("choice.yaml", "simulate", CHOICE_UNITS, CHOICE_STREAMS, NULL), NULL, 0);
  const char *chain_units = "    ELEC: {type: process, process: ELEC}\n"
                            "    PS: {type: process, process: PS}\n"
                            "    A: {type: process, process: A}\n";
  const char *chain_streams = "    - {from: PWB, to: ELEC}\n"
                              "    - {from: ELEC.product, to: PS}\n"
                              "    - {from: PS.product, to: A}\n"
                              "    - {from: A.product, to: cathode}\n"
                              "    - {from: ELEC.waste1, to: residue}\n"
                              "    - {from: PS.waste1, to: residue}\n"
                              "    - {from: A.waste1, to: residue}\n"
                              "    - {from: ELEC.waste2, to: gas}\n"
                              "    - {from: PS.waste2, to: gas}\n"
                              "    - {from: A.waste2, to: gas}\n";
  cet_case *many =
      load_ok(write_case("chain.yaml", "simulate", chain_units, chain_streams, NULL), NULL, 0);
  cet_test_twin a, b;
  cet_test_twin_attach(&a, one->twin);
  cet_test_twin_attach(&b, many->twin);
  cet_test_twin_evaluate(&a);
  cet_test_twin_evaluate(&b);
  assert_same_flows(&a, &b, TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  assert_true(cet_test_twin_metric(&a, "chain.refine") == 2.0);
  assert_true(cet_test_twin_metric(&a, "acceptance.refine") == 0.0);
  assert_true(cet_test_twin_metric(&a, "infeasibility") == 0.0);
  double feed = cet_test_twin_metric(&a, "feed");
  double out = cet_test_twin_metric(&a, "mass.cathode") + cet_test_twin_metric(&a, "mass.residue") +
               cet_test_twin_metric(&a, "mass.gas");
  assert_close(feed, out, TIGHT);
  /* the chain's label and count */
  size_t u = 1;
  assert_string_equal(cet_twin_unit_name(one->twin, u), "refine");
  assert_int_equal(cet_twin_unit_kind(one->twin, u), CET_UNIT_FLOWSHEET_CHOICE);
  assert_int_equal(cet_twin_unit_chain_count(one->twin, u), 7);
  assert_string_equal(cet_twin_unit_chain_label(one->twin, u, 1), "ELEC+PS+A");
  /* a library value moved by its path moves the chain too */
  size_t slot = cet_test_twin_slot(&a, "processes.PS.split.Cu.product");
  size_t slot_b = cet_test_twin_slot(&b, "processes.PS.split.Cu.product");
  a.params[slot] = b.params[slot_b] = 0.9;
  cet_test_twin_evaluate(&a);
  cet_test_twin_evaluate(&b);
  assert_same_flows(&a, &b, TIGHT);
  cet_test_twin_release(&a);
  cet_test_twin_release(&b);
  cet_case_destroy(&one);
  cet_case_destroy(&many);
}

/* The chain number by --set and as a parameter value (rounded to the
 * nearest chain): chain 5 is ELEC*5+A. */
static void test_chain_parameter(void **state) {
  (void)state;
  const char *path = write_case("choice.yaml", "simulate", CHOICE_UNITS, CHOICE_STREAMS, NULL);
  const char *set[] = {"network.units.refine.chain=5"};
  cet_case *c = load_ok(path, set, 1);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "chain.refine") == 5.0);
  double five = cet_test_twin_metric(&a, "mass.cathode");
  size_t slot = cet_test_twin_slot(&a, "network.units.refine.chain");
  a.params[slot] = 2.4;
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "chain.refine") == 2.0);
  assert_true(cet_test_twin_metric(&a, "mass.cathode") != five);
  assert_string_equal(
      cet_twin_unit_chain_label(c->twin, 1, cet_twin_unit_chain(c->twin, 1, a.params)),
      "ELEC+PS+A");
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* Balance mixed into the PWB feed lowers Cu below ELEC's window (0.1):
 * 1.1 t Cu in 12 t; the design is infeasible, not an error. */
static void test_acceptance_violated(void **state) {
  (void)state;
  const char *units = "    filler:\n"
                      "      type: feed\n"
                      "      flow: 7\n"
                      "      composition: {Balance: 1}\n"
                      "    mix: {type: mixer}\n"
                      "    refine: {type: flowsheet_choice, feed: PWB, chain: 2}\n";
  const char *streams = "    - {from: PWB, to: mix}\n"
                        "    - {from: filler, to: mix}\n"
                        "    - {from: mix, to: refine}\n"
                        "    - {from: refine.product, to: cathode}\n"
                        "    - {from: refine.waste1, to: residue}\n"
                        "    - {from: refine.waste2, to: gas}\n";
  cet_case *c = load_ok(write_case("mixed.yaml", "simulate", units, streams, NULL), NULL, 0);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  /* ELEC (split factors summing to 1) accepts 1.1 / 12 = 0.0917 Cu only
   * 0.0083 below its window; its product then reaches PS (window from 0.35
   * Cu) farther out, which is the larger violation */
  double cu = 1.1 * 0.97, rest = 0.18 * 0.4 + 0.0775 * 0.25 + 0.13 * 0.25 + (3.5125 + 7.0) * 0.2;
  double expected = 0.35 - cu / (cu + rest) - 1e-12;
  assert_close(cet_test_twin_metric(&a, "acceptance.refine"), expected, TIGHT);
  assert_close(cet_test_twin_metric(&a, "infeasibility"), expected, TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  char text[512];
  double scratch[6];
  double v = cet_twin_unit_acceptance(c->twin, 3, a.params, a.ws, scratch, text, sizeof text);
  assert_close(v, expected, TIGHT);
  assert_non_null(strstr(text, "step 2 (PS) receives Cu at a mass fraction of 0.32398"));
  assert_non_null(strstr(text, "outside its window [0.35, 0.97]"));
  /* without the filler the chain accepts again */
  size_t flow = cet_test_twin_slot(&a, "network.units.filler.flow");
  a.params[flow] = 0.0;
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "infeasibility") == 0.0);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* The paper's second variant: the waste of the chain of a higher grade
 * (PWB) mixed into the next category before its own chain; the second
 * chain was enumerated for the category's nominal feed, and is checked on
 * the mixture. */
static void test_waste_into_next_category(void **state) {
  (void)state;
  const char *units = "    low:\n"
                      "      type: feed\n"
                      "      flow: 4\n"
                      "      composition: {Cu: 0.3, Fe: 0.1, Balance: 0.6}\n"
                      "      properties: {size: 1.0e-4, moisture: 0}\n"
                      "    refine: {type: flowsheet_choice, feed: PWB, chain: 2}\n"
                      "    mix: {type: mixer}\n"
                      "    second: {type: flowsheet_choice, feed: low, chain: 1}\n";
  const char *streams = "    - {from: PWB, to: refine}\n"
                        "    - {from: refine.product, to: cathode}\n"
                        "    - {from: refine.waste1, to: mix}\n"
                        "    - {from: low, to: mix}\n"
                        "    - {from: mix, to: second}\n"
                        "    - {from: refine.waste2, to: gas}\n"
                        "    - {from: second.product, to: cathode}\n"
                        "    - {from: second.waste1, to: residue}\n"
                        "    - {from: second.waste2, to: gas}\n";
  cet_case *c = load_ok(write_case("cascade.yaml", "simulate", units, streams, NULL), NULL, 0);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  double feed = cet_test_twin_metric(&a, "feed");
  double out = cet_test_twin_metric(&a, "mass.cathode") + cet_test_twin_metric(&a, "mass.residue") +
               cet_test_twin_metric(&a, "mass.gas");
  assert_close(feed, out, TIGHT);
  /* the unit's inflow is the mixture: the low-grade feed and PWB's waste1 */
  const double *x = cet_twin_workspace_unit_inflow(a.ws);
  size_t nc = cet_twin_components(c->twin)->n, second = 4, low = 1;
  double mixed = 0.0, fed = cet_test_twin_metric(&a, "feed") - 5.0;
  for (size_t k = 0; k < nc; k++) {
    mixed += x[second * nc + k];
  }
  assert_string_equal(cet_twin_unit_name(c->twin, second), "second");
  assert_string_equal(cet_twin_unit_name(c->twin, low), "low");
  assert_true(mixed > fed + 3.0);
  assert_true(cet_test_twin_metric(&a, "acceptance.second") == 0.0);
  /* with less low-grade scrap the mixture falls below NOR's window (chain
   * 6, NOR+PS+A, from 0.2 Cu): infeasible, and the total adds it */
  a.params[cet_test_twin_slot(&a, "network.units.low.flow")] = 1.0;
  a.params[cet_test_twin_slot(&a, "network.units.second.chain")] = 6.0;
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "acceptance.second") > 0.1);
  assert_true(cet_test_twin_metric(&a, "acceptance.refine") == 0.0);
  assert_close(cet_test_twin_metric(&a, "infeasibility"),
               cet_test_twin_metric(&a, "acceptance.second"), TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* Which structural choices had no effect (cet_twin_parameter_idle): a
 * selector `route` sends the PWB to the flowsheet choice `refine` or to a
 * second selector `dump`; the unit it routes nothing to is idle, its chain
 * or outlet index has no effect; `route` itself is idle only when the feed
 * is zero, and a parameter that is no choice never is. */
static void test_idle_choices(void **state) {
  (void)state;
  const char *units = "    route: {type: selector, outlets: [refine, dump], choice: 0}\n"
                      "    refine: {type: flowsheet_choice, feed: PWB, chain: 2}\n"
                      "    dump: {type: selector, outlets: [landfill, burn], choice: 0}\n";
  const char *streams = "    - {from: PWB, to: route}\n"
                        "    - {from: route.refine, to: refine}\n"
                        "    - {from: route.dump, to: dump}\n"
                        "    - {from: dump.landfill, to: residue}\n"
                        "    - {from: dump.burn, to: gas}\n"
                        "    - {from: refine.product, to: cathode}\n"
                        "    - {from: refine.waste1, to: residue}\n"
                        "    - {from: refine.waste2, to: gas}\n";
  cet_case *c = load_ok(write_case("idle.yaml", "simulate", units, streams, NULL), NULL, 0);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  size_t route = cet_test_twin_slot(&a, "network.units.route.choice");
  size_t chain = cet_test_twin_slot(&a, "network.units.refine.chain");
  size_t dump = cet_test_twin_slot(&a, "network.units.dump.choice");
  size_t flow = cet_test_twin_slot(&a, "network.units.PWB.flow");
  /* to the flowsheet: the second selector receives nothing */
  cet_test_twin_evaluate(&a);
  assert_int_equal(cet_twin_parameter_idle(c->twin, route, a.ws), 0);
  assert_int_equal(cet_twin_parameter_idle(c->twin, chain, a.ws), 0);
  assert_int_equal(cet_twin_parameter_idle(c->twin, dump, a.ws), 1);
  assert_int_equal(cet_twin_parameter_idle(c->twin, flow, a.ws), 0);
  /* away from the flowsheet: its chain has no effect on any flow */
  a.params[route] = 1.0;
  cet_test_twin_evaluate(&a);
  assert_int_equal(cet_twin_parameter_idle(c->twin, route, a.ws), 0);
  assert_int_equal(cet_twin_parameter_idle(c->twin, chain, a.ws), 1);
  assert_int_equal(cet_twin_parameter_idle(c->twin, dump, a.ws), 0);
  size_t nm = cet_twin_metric_count(c->twin);
  double before[256];
  assert_true(nm <= sizeof before / sizeof before[0]);
  memcpy(before, a.metrics, nm * sizeof *before);
  a.params[chain] = 5.0;
  cet_test_twin_evaluate(&a);
  assert_int_equal(cet_twin_parameter_idle(c->twin, chain, a.ws), 1);
  for (size_t i = 0; i < nm; i++) { /* every metric the same but the chain's number */
    if (strcmp(cet_twin_metric_name(c->twin, i), "chain.refine") != 0) {
      assert_memory_equal(&a.metrics[i], &before[i], sizeof before[i]);
    }
  }
  assert_true(cet_test_twin_metric(&a, "mass.cathode") == 0.0);
  /* no feed at all: every choice is idle, the feed's flow is not */
  a.params[flow] = 0.0;
  cet_test_twin_evaluate(&a);
  assert_int_equal(cet_twin_parameter_idle(c->twin, route, a.ws), 1);
  assert_int_equal(cet_twin_parameter_idle(c->twin, chain, a.ws), 1);
  assert_int_equal(cet_twin_parameter_idle(c->twin, dump, a.ws), 1);
  assert_int_equal(cet_twin_parameter_idle(c->twin, flow, a.ws), 0);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

/* optimize adds the constraint acceptance.UNIT <= 0 (a feasibility metric)
 * unless the case has it. */
static void test_optimize_constrains(void **state) {
  (void)state;
  const char *tail = "design:\n"
                     "  - {path: network.units.refine.chain, bounds: [1, 7], integer: true}\n"
                     "objectives:\n"
                     "  - {metric: energy, sense: minimize}\n"
                     "  - {metric: production, sense: maximize}\n"
                     "optimize: {population: 8, generations: 2}\n";
  char text[CASE_LEN];
  snprintf(text, sizeof text, "%s", tail);
  cet_case *c =
      load_ok(write_case("opt.yaml", "optimize", CHOICE_UNITS, CHOICE_STREAMS, text), NULL, 0);
  assert_int_equal(c->optimize->n_con, 1);
  assert_string_equal(c->optimize->constraint[0].metric, "acceptance.refine");
  assert_true(c->optimize->constraint[0].max == 0.0);
  cet_case_destroy(&c);
}

static void test_reader_errors(void **state) {
  (void)state;
  char path[1024]; /* write_case returns the path in a buffer that the next call reuses */
  snprintf(path, sizeof path, "%s",
           write_case("choice.yaml", "simulate", CHOICE_UNITS, CHOICE_STREAMS, NULL));
  cet_test_expect_case_error(path, "network.units.refine.chain=8", "network.units.refine.chain",
                             "expected a chain number from 1 to 7", "2 ELEC+PS+A", "found 8", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chain=0", "found 0", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chain=1.5",
                             "expected a chain number from 1 to 7", "found 1.5", NULL);
  const char *nine = write_case("nine.yaml", "simulate",
                                "    refine: {type: flowsheet_choice, feed: PWB, chain: 9}\n",
                                CHOICE_STREAMS, NULL);
  cet_test_expect_case_error(nine, "seed=1", "nine.yaml:", "network.units.refine.chain",
                             "expected a chain number from 1 to 7", "found 9", NULL);
  cet_test_expect_case_error(path, "network.units.refine.feed=nothing", "network.units.refine.feed",
                             "unknown feed 'nothing'", "(PWB)", NULL);
  cet_test_expect_case_error(path, "network.units.refine.feed=cathode", "unknown feed 'cathode'",
                             NULL);
  /* 0.1 % Cu: below every process's window (LSXEW's starts at 0.5 %) */
  const char *none = write_case("none.yaml", "simulate",
                                "    refine:\n"
                                "      type: flowsheet_choice\n"
                                "      chain: 1\n"
                                "      feed:\n"
                                "        composition: {Cu: 0.001, Balance: 0.999}\n"
                                "        properties: {size: 1.0e-4, moisture: 0}\n",
                                CHOICE_STREAMS, NULL);
  cet_test_expect_case_error(none, "seed=1", "none.yaml:", "network.units.refine.feed",
                             "no process chain of the library refines this feed to 0.999 Cu",
                             "1 unprocessable products", NULL);
  cet_test_expect_case_error(path, "network.units.refine.speed=1", "network.units.refine", "speed",
                             NULL);
  const char *missing =
      write_case("missing.yaml", "simulate", "    refine: {type: flowsheet_choice, feed: PWB}\n",
                 CHOICE_STREAMS, NULL);
  cet_test_expect_case_error(missing, "seed=1", "missing.yaml:", "network.units.refine",
                             "missing required key 'chain'", "1 LSXEW, 2 ELEC+PS+A", NULL);
  const char *inline_feed =
      write_case("inline.yaml", "simulate",
                 "    refine:\n"
                 "      type: flowsheet_choice\n"
                 "      chain: 1\n"
                 "      feed: {composition: {Cu: 0.22, Fe: 0.036, Pb: 0.0155, Sn: 0.026, "
                 "Balance: 0.7025}}\n",
                 CHOICE_STREAMS, NULL);
  cet_test_expect_case_error(inline_feed, "network.units.refine.feed.composition={Cu: 0}",
                             "network.units.refine.feed.composition",
                             "expected mass fractions with a positive sum", NULL);
  cet_test_expect_case_error(inline_feed, "seed=1", "inline.yaml:", "network.units.refine.feed",
                             "missing required key 'properties'", "size, moisture", NULL);
}

/* Listed chains (`chains:`): one step per unit splits chain 2 (ELEC+PS+A)
 * so that intermediates exist between the steps; the three units give
 * what the composed chain gives, and a listed "ELEC+PS+A" equals the
 * enumerated chain. */
static const char *const STEP_UNITS =
    "    smelt: {type: flowsheet_choice, chain: 2, chains: [LSXEW, ELEC, NOR]}\n"
    "    convert: {type: flowsheet_choice, chain: 1, chains: [PS, ELEC]}\n"
    "    refine: {type: flowsheet_choice, chain: 1, chains: [A]}\n";
static const char *const STEP_WASTES = "    - {from: smelt.waste1, to: residue}\n"
                                       "    - {from: convert.waste1, to: residue}\n"
                                       "    - {from: refine.waste1, to: residue}\n"
                                       "    - {from: smelt.waste2, to: gas}\n"
                                       "    - {from: convert.waste2, to: gas}\n"
                                       "    - {from: refine.waste2, to: gas}\n"
                                       "    - {from: refine.product, to: cathode}\n";

static void test_listed_steps(void **state) {
  (void)state;
  char streams[2048];
  snprintf(streams, sizeof streams,
           "    - {from: PWB, to: smelt}\n"
           "    - {from: smelt.product, to: convert}\n"
           "    - {from: convert.product, to: refine}\n%s",
           STEP_WASTES);
  cet_case *steps =
      load_ok(write_case("steps.yaml", "simulate", STEP_UNITS, streams, NULL), NULL, 0);
  cet_case *one =
      load_ok(write_case("choice.yaml", "simulate", CHOICE_UNITS, CHOICE_STREAMS, NULL), NULL, 0);
  const char *listed_units =
      "    refine: {type: flowsheet_choice, chain: 2, chains: [LSXEW, ELEC+PS+A, ELEC*5+A]}\n";
  cet_case *listed =
      load_ok(write_case("listed.yaml", "simulate", listed_units, CHOICE_STREAMS, NULL), NULL, 0);
  cet_test_twin a, b, l;
  cet_test_twin_attach(&a, steps->twin);
  cet_test_twin_attach(&b, one->twin);
  cet_test_twin_attach(&l, listed->twin);
  cet_test_twin_evaluate(&a);
  cet_test_twin_evaluate(&b);
  cet_test_twin_evaluate(&l);
  assert_same_flows(&a, &b, TIGHT);
  assert_same_flows(&l, &b, TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  assert_true(cet_test_twin_metric(&a, "infeasibility") == 0.0);
  assert_int_equal(cet_twin_unit_chain_count(listed->twin, 1), 3);
  /* the parameter's choices: the chain labels from 1; none for another parameter */
  long first = -1;
  const cet_names *labels = cet_twin_parameter_choices(
      listed->twin, (size_t)cet_twin_parameter_find(listed->twin, "network.units.refine.chain"),
      &first);
  assert_non_null(labels);
  assert_int_equal(first, 1);
  assert_int_equal(labels->n, 3);
  assert_string_equal(labels->name[1], "ELEC+PS+A");
  assert_null(cet_twin_parameter_choices(
      listed->twin, (size_t)cet_twin_parameter_find(listed->twin, "network.units.PWB.flow"),
      &first));
  assert_string_equal(cet_twin_unit_chain_label(listed->twin, 1, 2), "ELEC*5+A");
  /* chain 3 listed as ELEC*5+A is the enumeration's chain 5 */
  l.params[cet_test_twin_slot(&l, "network.units.refine.chain")] = 3.0;
  b.params[cet_test_twin_slot(&b, "network.units.refine.chain")] = 5.0;
  cet_test_twin_evaluate(&l);
  cet_test_twin_evaluate(&b);
  assert_same_flows(&l, &b, TIGHT);
  /* LSXEW as the first step accepts the PWB but sends on copper only,
   * above PS's window: a step's window is checked on what reaches it */
  a.params[cet_test_twin_slot(&a, "network.units.smelt.chain")] = 1.0;
  cet_test_twin_evaluate(&a);
  assert_true(cet_test_twin_metric(&a, "acceptance.smelt") == 0.0);
  assert_true(cet_test_twin_metric(&a, "acceptance.convert") > 0.0);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  cet_test_twin_release(&a);
  cet_test_twin_release(&b);
  cet_test_twin_release(&l);
  cet_case_destroy(&steps);
  cet_case_destroy(&one);
  cet_case_destroy(&listed);
}

/* An intermediate exchanged where it enters a split chain (matte between
 * smelting and converting): an import adds its composition there, an
 * export takes from what flows there, and exporting more than flows is
 * infeasible (exchange_shortfall), with every balance closed. */
static void test_intermediate_exchange(void **state) {
  (void)state;
  char units[2048], streams[2048];
  snprintf(units, sizeof units,
           "%s"
           "    matte: {type: exchange, net: 0.5, bounds: [-10, 10],\n"
           "            composition: {Cu: 0.6, Fe: 0.15, Zn: 0.005, Pb: 0.005, Balance: 0.24}}\n",
           STEP_UNITS);
  snprintf(streams, sizeof streams,
           "    - {from: PWB, to: smelt}\n"
           "    - {from: smelt.product, to: matte}\n"
           "    - {from: matte, to: convert}\n"
           "    - {from: convert.product, to: refine}\n%s",
           STEP_WASTES);
  cet_case *c = load_ok(write_case("matte.yaml", "simulate", units, streams, NULL), NULL, 0);
  cet_test_twin a;
  cet_test_twin_attach(&a, c->twin);
  cet_test_twin_evaluate(&a);
  double sinks = cet_test_twin_metric(&a, "mass.cathode") +
                 cet_test_twin_metric(&a, "mass.residue") + cet_test_twin_metric(&a, "mass.gas");
  assert_close(cet_test_twin_metric(&a, "feed") + 0.5, sinks, TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  assert_close(cet_test_twin_metric(&a, "import.matte"), 0.5, TIGHT);
  /* the matte's Cu reaches the converter: 0.3 t more Cu than without it */
  double with = cet_test_twin_metric(&a, "mass.cathode.Cu");
  size_t net = cet_test_twin_slot(&a, "network.units.matte.net");
  a.params[net] = 0.0;
  cet_test_twin_evaluate(&a);
  double without = cet_test_twin_metric(&a, "mass.cathode.Cu");
  assert_close(with - without, 0.3 * 0.96 * 0.99, TIGHT);
  /* the smelter's product: ELEC keeps 0.97 of 1.1 t Cu; export 0.5 t of it */
  double product = 0.0;
  const double *x = cet_twin_workspace_unit_inflow(a.ws);
  size_t nc = cet_twin_components(c->twin)->n, convert = 2;
  assert_string_equal(cet_twin_unit_name(c->twin, convert), "convert");
  for (size_t k = 0; k < nc; k++) {
    product += x[convert * nc + k];
  }
  a.params[net] = -0.5;
  cet_test_twin_evaluate(&a);
  assert_close(cet_test_twin_metric(&a, "export.matte"), 0.5, TIGHT);
  assert_true(cet_test_twin_metric(&a, "exchange_shortfall") == 0.0);
  sinks = cet_test_twin_metric(&a, "mass.cathode") + cet_test_twin_metric(&a, "mass.residue") +
          cet_test_twin_metric(&a, "mass.gas");
  assert_close(cet_test_twin_metric(&a, "feed"), sinks + 0.5, TIGHT);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  /* exporting more than flows there: all of it leaves, the rest is short */
  a.params[net] = -(product + 2.0);
  cet_test_twin_evaluate(&a);
  assert_close(cet_test_twin_metric(&a, "export.matte"), product, TIGHT);
  assert_close(cet_test_twin_metric(&a, "exchange_shortfall"), 2.0, 1e-9);
  assert_true(cet_test_twin_metric(&a, "mass.cathode") == 0.0);
  assert_true(cet_test_twin_metric(&a, "closure") <= TIGHT);
  cet_test_twin_release(&a);
  cet_case_destroy(&c);
}

static void test_listed_errors(void **state) {
  (void)state;
  char path[1024];
  snprintf(
      path, sizeof path, "%s",
      write_case("steps.yaml", "simulate",
                 "    refine: {type: flowsheet_choice, chain: 1, chains: [ELEC+PS+A, LSXEW]}\n",
                 CHOICE_STREAMS, NULL));
  cet_test_expect_case_error(path, "network.units.refine.chains=[ELEC+XYZ]",
                             "network.units.refine.chains[0]", "unknown library process 'XYZ'",
                             "LSXEW, OUT", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chains=[ELEC*0]",
                             "network.units.refine.chains[0]", "expected a repeat count from 1 to",
                             "'ELEC*0'", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chains=[ELEC++A]",
                             "expected a chain: process ids of the library joined by '+'",
                             "found 'ELEC++A'", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chains=[A, A]",
                             "network.units.refine.chains[1]", "chain 'A' is listed twice", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chains=[]", "network.units.refine.chains",
                             "expected at least one chain", NULL);
  cet_test_expect_case_error(path, "network.units.refine.chain=3", "network.units.refine.chain",
                             "expected a chain number from 1 to 2", "1 ELEC+PS+A, 2 LSXEW", NULL);
  cet_test_expect_case_error(path, "network.units.refine.feed=PWB", "network.units.refine.feed",
                             "expected either chains: (listed) or feed:", NULL);
  cet_test_expect_case_error(path, "network.units.refine.max_length=3",
                             "network.units.refine.max_length", "found both", NULL);
  /* in the file: located at the entry, FILE:LINE:COL */
  const char *bad =
      write_case("bad_chain.yaml", "simulate",
                 "    refine: {type: flowsheet_choice, chain: 1, chains: [LSXEW, PS*x]}\n",
                 CHOICE_STREAMS, NULL);
  cet_test_expect_case_error(bad, "seed=1",
                             "bad_chain.yaml:17:64:", "network.units.refine.chains[1]",
                             "after '*' in 'PS*x'", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_composed_equals_chain), cmocka_unit_test(test_chain_parameter),
      cmocka_unit_test(test_acceptance_violated),   cmocka_unit_test(test_waste_into_next_category),
      cmocka_unit_test(test_optimize_constrains),   cmocka_unit_test(test_reader_errors),
      cmocka_unit_test(test_listed_steps),          cmocka_unit_test(test_intermediate_exchange),
      cmocka_unit_test(test_listed_errors),         cmocka_unit_test(test_idle_choices),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
