/*
 * test_twin_structural.c — unit tests of the structural units of a network
 * (network.h, twin.h): selectors (each choice in closed form, also inside a
 * recycle loop), exchange units (imports in their composition, exports of a
 * fixed mass, the shortfall of an export beyond the inflow as a feasibility
 * metric), incineration sinks (cost, energy, CO2e); the mass balance of
 * the whole twin within 1e-12; integer parameters refused at run time when
 * not integral; every reader and build error located at FILE:LINE:COL
 * with its key path; and design variables on them: integer and categorical
 * from the parameter, the implicit constraint on exchange_shortfall.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/params.h"
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

static const char *const BASE =
    "analysis: simulate\n"                                                           /* 1 */
    "components: [A, B]\n"                                                           /* 2 */
    "network:\n"                                                                     /* 3 */
    "  units:\n"                                                                     /* 4 */
    "    F: {type: feed, flow: 100, composition: {A: 0.6, B: 0.4}}\n"                /* 5 */
    "    R: {type: selector, outlets: [p, burn, dump], choice: 0}\n"                 /* 6 */
    "    P:\n"                                                                       /* 7 */
    "      type: process\n"                                                          /* 8 */
    "      split: {A: {prod: 0.9, res: 0.1}, B: {prod: 0.2, res: 0.8}}\n"            /* 9 */
    "    T: {type: exchange, net: -10, bounds: [-80, 30], composition: {A: 0.5, B: " /* 10 */
    "0.5}, import_cost: 100, export_cost: -80, import_burden: 0.3, export_burden: 0.1}\n"
    "    M: {type: sink, kind: market}\n"                                             /* 11 */
    "    L: {type: sink, kind: landfill, burden: 0.02}\n"                             /* 12 */
    "    I: {type: sink, kind: incineration, cost: 120, energy: -300, burden: 1.1}\n" /* 13 */
    "  streams:\n"                                                                    /* 14 */
    "    - {from: F, to: R}\n"                                                        /* 15 */
    "    - {from: R.p, to: P}\n"                                                      /* 16 */
    "    - {from: R.burn, to: I}\n"                                                   /* 17 */
    "    - {from: R.dump, to: L}\n"                                                   /* 18 */
    "    - {from: P.prod, to: T}\n"                                                   /* 19 */
    "    - {from: T, to: M}\n"                                                        /* 20 */
    "    - {from: P.res, to: L}\n";                                                   /* 21 */

/* A selector in a recycle loop: the residue of P goes back (choice 0) or
 * to landfill (choice 1). */
static const char *const LOOP =
    "analysis: simulate\n"                                                /* 1 */
    "components: [A, B]\n"                                                /* 2 */
    "network:\n"                                                          /* 3 */
    "  units:\n"                                                          /* 4 */
    "    F: {type: feed, flow: 100, composition: {A: 0.6, B: 0.4}}\n"     /* 5 */
    "    X: {type: mixer}\n"                                              /* 6 */
    "    P:\n"                                                            /* 7 */
    "      type: process\n"                                               /* 8 */
    "      split: {A: {prod: 0.8, res: 0.2}, B: {prod: 0.5, res: 0.5}}\n" /* 9 */
    "    R: {type: selector, outlets: [back, out], choice: 0}\n"          /* 10 */
    "    M: {type: sink, kind: market}\n"                                 /* 11 */
    "    L: {type: sink, kind: landfill}\n"                               /* 12 */
    "  streams:\n"                                                        /* 13 */
    "    - {from: F, to: X}\n"                                            /* 14 */
    "    - {from: X, to: P}\n"                                            /* 15 */
    "    - {from: P.prod, to: M}\n"                                       /* 16 */
    "    - {from: P.res, to: R}\n"                                        /* 17 */
    "    - {from: R.back, to: X}\n"                                       /* 18 */
    "    - {from: R.out, to: L}\n";                                       /* 19 */

enum { CASE_TEXT_LEN = 4096 };

static const char *write_case(const char *text) {
  static char path[1024];
  snprintf(path, sizeof path, "%s", cet_test_write("structural.yaml", text));
  return path;
}

static void replaced(const char *text, const char *from, const char *to, char *buf) {
  const char *at = strstr(text, from);
  assert_non_null(at);
  snprintf(buf, CASE_TEXT_LEN, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static cet_case *load_ok(const char *text, const char *set) {
  cet_case *c = NULL;
  int status = cet_test_load_case(write_case(text), set ? &set : NULL, set ? 1 : 0, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return c;
}

static void assert_close(double got, double want) {
  double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
  if (fabs(got - want) > TIGHT * scale) {
    fprintf(stderr, "got %.17g, want %.17g\n", got, want);
  }
  assert_true(fabs(got - want) <= TIGHT * scale);
}

/* What enters the twin (feeds and imports) against what leaves it (sinks
 * and exports), within 1e-12 of the feed; and every unit's closure. */
static void assert_balanced(const cet_test_twin *tt) {
  double in = cet_test_twin_metric(tt, "feed") + cet_test_twin_metric(tt, "import.T");
  double out = cet_test_twin_metric(tt, "mass.M") + cet_test_twin_metric(tt, "mass.L") +
               cet_test_twin_metric(tt, "mass.I") + cet_test_twin_metric(tt, "export.T");
  assert_true(fabs(in - out) <= 1e-12 * in);
  assert_true(cet_test_twin_metric(tt, "closure") <= 1e-12);
}

static void test_selector_choices(void **state) {
  (void)state;
  cet_case *c = load_ok(BASE, NULL);
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  size_t choice = cet_test_twin_slot(&tt, "network.units.R.choice");
  size_t net = cet_test_twin_slot(&tt, "network.units.T.net");
  unsigned flags = cet_twin_parameter_flags(c->twin, choice);
  assert_true((flags & CET_PARAM_INTEGER) && (flags & CET_PARAM_CATEGORICAL));
  long first = -1;
  const cet_names *routes = cet_twin_parameter_choices(c->twin, choice, &first);
  assert_non_null(routes);
  assert_int_equal(first, 0);
  assert_int_equal(routes->n, 3);
  assert_string_equal(routes->name[2], "dump");
  assert_null(cet_twin_parameter_choices(c->twin, net, &first));
  assert_int_equal(cet_twin_feasibility_count(c->twin), 1);
  assert_string_equal(cet_twin_metric_name(c->twin, cet_twin_feasibility_metric(c->twin, 0)),
                      "exchange_shortfall");

  /* 0: everything to P; 10 t of its 62 t of product exported */
  tt.params[net] = -10;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.L"), 38);
  assert_close(cet_test_twin_metric(&tt, "mass.M"), 52);
  assert_close(cet_test_twin_metric(&tt, "mass.M.A"), 54 * 52.0 / 62);
  assert_close(cet_test_twin_metric(&tt, "mass.I"), 0);
  assert_close(cet_test_twin_metric(&tt, "export.T"), 10);
  assert_close(cet_test_twin_metric(&tt, "exchange_shortfall"), 0);
  assert_close(cet_test_twin_metric(&tt, "cost.exchange"), -800);
  assert_close(cet_test_twin_metric(&tt, "gwp.exchange"), 1);
  assert_close(cet_test_twin_metric(&tt, "gwp"), 1 + 0.02 * 38);
  assert_balanced(&tt);

  /* 1: everything incinerated; the export asked finds nothing */
  tt.params[choice] = 1;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.I"), 100);
  assert_close(cet_test_twin_metric(&tt, "residue_incinerated"), 100);
  assert_close(cet_test_twin_metric(&tt, "cost.incineration"), 12000);
  assert_close(cet_test_twin_metric(&tt, "energy.incineration"), -30000);
  assert_close(cet_test_twin_metric(&tt, "energy"), -30000);
  assert_close(cet_test_twin_metric(&tt, "gwp.disposal"), 110);
  assert_close(cet_test_twin_metric(&tt, "export.T"), 0);
  assert_close(cet_test_twin_metric(&tt, "exchange_shortfall"), 10);
  assert_balanced(&tt);

  /* 2: everything landfilled */
  tt.params[choice] = 2;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.L"), 100);
  assert_close(cet_test_twin_metric(&tt, "mass.M"), 0);
  assert_balanced(&tt);

  /* importing 20 t of A:B 1:1 after P */
  tt.params[choice] = 0;
  tt.params[net] = 20;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.M.A"), 64);
  assert_close(cet_test_twin_metric(&tt, "mass.M.B"), 18);
  assert_close(cet_test_twin_metric(&tt, "import.T"), 20);
  assert_close(cet_test_twin_metric(&tt, "export.T"), 0);
  assert_close(cet_test_twin_metric(&tt, "cost.exchange"), 2000);
  assert_close(cet_test_twin_metric(&tt, "gwp.exchange"), 6);
  assert_balanced(&tt);

  /* exporting all 62 t is feasible; 62.5 t is not, by 0.5 t */
  tt.params[net] = -62;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.M"), 0);
  assert_close(cet_test_twin_metric(&tt, "exchange_shortfall"), 0);
  tt.params[net] = -62.5;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "export.T"), 62);
  assert_close(cet_test_twin_metric(&tt, "exchange_shortfall"), 0.5);
  assert_balanced(&tt);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
}

static void test_selector_in_loop(void **state) {
  (void)state;
  cet_case *c = load_ok(LOOP, NULL);
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  assert_int_equal(cet_twin_loop_count(c->twin), 1);
  assert_int_equal(cet_twin_feasibility_count(c->twin), 0);
  cet_test_twin_evaluate(&tt); /* recycled: x_A = 60 + 0.2 x_A, x_B = 40 + 0.5 x_B */
  assert_close(cet_test_twin_metric(&tt, "mass.M.A"), 60);
  assert_close(cet_test_twin_metric(&tt, "mass.M.B"), 40);
  assert_close(cet_test_twin_metric(&tt, "mass.L"), 0);
  assert_true(cet_test_twin_metric(&tt, "closure") <= 1e-12);
  tt.params[cet_test_twin_slot(&tt, "network.units.R.choice")] = 1;
  cet_test_twin_evaluate(&tt);
  assert_close(cet_test_twin_metric(&tt, "mass.M.A"), 48);
  assert_close(cet_test_twin_metric(&tt, "mass.L.B"), 20);
  assert_true(cet_test_twin_metric(&tt, "closure") <= 1e-12);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
}

/* The exergy account of the new units: with components of 2 and 1 GJ/t,
 * what an exchange exports leaves as exported exergy (not destroyed), an
 * import enters as feed, an incineration sink's exergy is its own total,
 * and the system closes: input = products + valorised + landfilled +
 * incinerated + exported + destroyed (destroyed 0: nothing consumes
 * carriers). */
static void test_exergy_of_structural_units(void **state) {
  (void)state;
  char text[CASE_TEXT_LEN];
  snprintf(text, sizeof text, "%sexergy: {components: {A: 2, B: 1}, carriers: {}}\n", BASE);
  cet_case *c = load_ok(text, NULL);
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  static const char *const OUT[] = {"exergy.products",    "exergy.valorised", "exergy.landfilled",
                                    "exergy.incinerated", "exergy.exported",  "exergy.destroyed"};
  static const struct {
    double choice, net, feed, products, landfilled, incinerated, exported;
  } cases[] = {
      /* P's product (A 54, B 8: 116 GJ) loses 10 of its 62 t to the export */
      {0, -10, 160, 116.0 * 52 / 62, 44, 0, 116.0 * 10 / 62},
      /* everything burnt */
      {1, -10, 160, 0, 0, 160, 0},
      /* 20 t imported (A 10, B 10: 30 GJ) */
      {0, 20, 190, 146, 44, 0, 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    tt.params[cet_test_twin_slot(&tt, "network.units.R.choice")] = cases[k].choice;
    tt.params[cet_test_twin_slot(&tt, "network.units.T.net")] = cases[k].net;
    cet_test_twin_evaluate(&tt);
    assert_close(cet_test_twin_metric(&tt, "exergy.input"), cases[k].feed);
    assert_close(cet_test_twin_metric(&tt, "exergy.products"), cases[k].products);
    assert_close(cet_test_twin_metric(&tt, "exergy.landfilled"), cases[k].landfilled);
    assert_close(cet_test_twin_metric(&tt, "exergy.incinerated"), cases[k].incinerated);
    assert_close(cet_test_twin_metric(&tt, "exergy.exported"), cases[k].exported);
    assert_close(cet_test_twin_metric(&tt, "exergy.destroyed"), 0);
    double out = 0.0;
    for (size_t i = 0; i < sizeof OUT / sizeof OUT[0]; i++) {
      out += cet_test_twin_metric(&tt, OUT[i]);
    }
    assert_close(out, cases[k].feed);
  }
  /* the system's exergy is headline, each process unit's a per-unit term;
   * an exchange's total headline, its export of each component detail */
  assert_int_equal(cet_test_metric_family(c->twin, CET_METRIC_EXERGY_INPUT),
                   CET_METRIC_FAMILY_HEADLINE);
  assert_int_equal(cet_test_metric_family(c->twin, "exergy.P.destroyed"), CET_METRIC_FAMILY_UNIT);
  assert_int_equal(cet_test_metric_family(c->twin, "exergy.P.efficiency"), CET_METRIC_FAMILY_UNIT);
  assert_int_equal(cet_test_metric_family(c->twin, "import.T"), CET_METRIC_FAMILY_HEADLINE);
  assert_int_equal(cet_test_metric_family(c->twin, "export.T.A"), CET_METRIC_FAMILY_DETAIL);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
}

/* Values a driver might set that are not an outlet index. */
static void test_runtime_errors(void **state) {
  (void)state;
  cet_case *c = load_ok(BASE, NULL);
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  size_t choice = cet_test_twin_slot(&tt, "network.units.R.choice");
  tt.params[choice] = 0.5;
  assert_int_equal(cet_twin_evaluate(c->twin, tt.params, tt.ws, tt.metrics), CET_ERR_RUNTIME);
  cet_test_expect_message("network.units.R.choice = 0.5", "is not an integer", NULL);
  assert_int_equal(cet_twin_evaluate_prechecked(c->twin, tt.params, tt.ws, tt.metrics),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("structural.yaml:6:", "selector 'R' has outlet index 0.5",
                          "an integer in 0..2", NULL);
  tt.params[choice] = 3;
  assert_int_equal(cet_twin_evaluate(c->twin, tt.params, tt.ws, tt.metrics), CET_ERR_RUNTIME);
  cet_test_expect_message("network.units.R.choice = 3 is outside its range [0, 2]", NULL);
  assert_int_equal(cet_twin_evaluate_prechecked(c->twin, tt.params, tt.ws, tt.metrics),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("selector 'R' has outlet index 3", NULL);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
  /* the parameter table refuses a fractional value of an integer parameter */
  cet_params *p = NULL;
  size_t slot = 0;
  assert_int_equal(cet_params_create(&p), CET_OK);
  assert_int_equal(cet_params_add(p, "x", 1.5, 0, 2, "1", CET_PARAM_INTEGER, &slot), CET_ERR_INPUT);
  cet_test_expect_message("parameter x: value 1.5 is not an integer", NULL);
  assert_int_equal(cet_params_add(p, "x", 1, 0, 2, "1", CET_PARAM_INTEGER, &slot), CET_OK);
  double v = 1.25;
  assert_int_equal(cet_params_first_invalid(p, &v), 0);
  v = 2;
  assert_int_equal(cet_params_first_invalid(p, &v), -1);
  cet_params_destroy(&p);
}

static void expect_error(const char *base, const char *from, const char *to, ...) {
  char text[CASE_TEXT_LEN];
  replaced(base, from, to, text);
  cet_case *c = NULL;
  int status = cet_test_load_case(write_case(text), NULL, 0, &c);
  if (status != CET_ERR_INPUT) {
    fprintf(stderr, "expected an input error for:\n%s\n", text);
  }
  assert_int_equal(status, CET_ERR_INPUT);
  assert_null(c);
  va_list ap;
  va_start(ap, to);
  const char *fragments[8] = {0};
  for (size_t i = 0; i < 7; i++) {
    fragments[i] = va_arg(ap, const char *);
    if (!fragments[i]) {
      break;
    }
  }
  va_end(ap);
  cet_test_expect_message(fragments[0], fragments[1], fragments[2], fragments[3], fragments[4],
                          fragments[5], fragments[6], NULL);
}

static void test_reader_errors(void **state) {
  (void)state;
  expect_error(BASE, "outlets: [p, burn, dump]", "outlets: [p]",
               "structural.yaml:6:", "network.units.R.outlets",
               "a selector chooses among at least two outlets, found 1", NULL);
  expect_error(BASE, "choice: 0", "choice: 3", "structural.yaml:6:", "network.units.R.choice",
               "expected an integer in [0, 2], found", NULL);
  expect_error(BASE, "choice: 0", "choice: 0.5", "structural.yaml:6:", "network.units.R.choice",
               "expected an integer in [0, 2]", NULL);
  expect_error(BASE, ", choice: 0", "", "structural.yaml:6:", "missing required key 'choice'",
               NULL);
  expect_error(BASE, "choice: 0", "choice: 0, fractions: [1, 0, 0]",
               "structural.yaml:6:", "network.units.R.fractions", "unknown key", NULL);
  expect_error(BASE, "net: -10", "net: -90", "structural.yaml:10:", "network.units.T.net",
               "expected a number in [-80, 30]", NULL);
  expect_error(BASE, " bounds: [-80, 30],", "",
               "structural.yaml:10:", "missing required key 'bounds'", NULL);
  expect_error(BASE, "bounds: [-80, 30]", "bounds: [30, -80]",
               "structural.yaml:10:", "network.units.T.bounds", "min <= max", NULL);
  expect_error(BASE, " composition: {A: 0.5, B: 0.5},", "",
               "structural.yaml:10:", "network.units.T.bounds",
               "allow imports: give their composition", NULL);
  expect_error(BASE, "composition: {A: 0.5, B: 0.5}", "composition: {A: 0.5, B: 0.6}",
               "structural.yaml:10:", "network.units.T.composition", "sum to 1.1", NULL);
  expect_error(BASE, "kind: landfill,", "kind: landfill, cost: 5,",
               "structural.yaml:12:", "network.units.L.cost",
               "only incineration sinks have a cost per tonne", NULL);
  expect_error(BASE, "kind: landfill,", "kind: landfill, energy: 5,",
               "structural.yaml:12:", "network.units.L.energy",
               "only incineration sinks have a energy per tonne", NULL);
  expect_error(BASE, "{from: T, to: M}", "{from: T.x, to: M}",
               "structural.yaml:20:", "has no outlet 'x'", NULL);
  /* an exchange inside a recycle loop: a build error at the unit */
  char text[CASE_TEXT_LEN];
  replaced(LOOP, "    M: {type: sink",
           "    T: {type: exchange, net: -1, bounds: [-5, 0]}\n    M: {type: sink", text);
  expect_error(text, "{from: R.back, to: X}", "{from: R.back, to: T}\n    - {from: T, to: X}",
               "structural.yaml:11:", "network.units.T", "exchange 'T' lies in the recycle loop",
               NULL);
}

/* --set moves the structural parameters like any other, with the same
 * checks. */
static void test_overrides(void **state) {
  (void)state;
  const char *path = write_case(BASE);
  cet_test_expect_case_error(path, "network.units.R.choice=5", "--set network.units.R.choice=5",
                             "expected an integer in [0, 2]", NULL);
  cet_test_expect_case_error(path, "network.units.R.choice=1.5", "expected an integer in [0, 2]",
                             NULL);
  cet_test_expect_case_error(path, "network.units.T.net=50", "expected a number in [-80, 30]",
                             NULL);
  cet_case *c = load_ok(BASE, "network.units.R.choice=2");
  assert_close(cet_test_metric(c->twin, "mass.L"), 100);
  cet_case_destroy(&c);
}

/* The optimisation part appended to BASE (lines 22 on). */
static const char *const DESIGN =
    "design:\n"                                                                       /* 22 */
    "  - {path: network.units.R.choice}\n"                                            /* 23 */
    "  - {path: network.units.T.net}\n"                                               /* 24 */
    "  - {path: network.units.T.export_cost, bounds: [-100, 0], categorical: true}\n" /* 25 */
    "objectives:\n"                                                                   /* 26 */
    "  - {metric: production, sense: maximize}\n";                                    /* 27 */

/* BASE as an optimisation case with DESIGN (its first from replaced by to
 * when from is given) and extra appended, into buf (CASE_TEXT_LEN). */
static void optimize_text(const char *from, const char *to, const char *extra, char *buf) {
  char design[CASE_TEXT_LEN], base[CASE_TEXT_LEN];
  replaced(DESIGN, from ? from : "design:", from ? to : "design:", design);
  replaced(BASE, "analysis: simulate", "analysis: optimize", base);
  size_t nb = strlen(base), nd = strlen(design), ne = strlen(extra);
  assert_true(nb + nd + ne < CASE_TEXT_LEN);
  memcpy(buf, base, nb);
  memcpy(buf + nb, design, nd);
  memcpy(buf + nb + nd, extra, ne + 1);
}

static void test_design_variables(void **state) {
  (void)state;
  char text[CASE_TEXT_LEN];
  optimize_text(NULL, NULL, "", text);
  cet_case *c = load_ok(text, NULL);
  const cet_optimize_spec *s = c->optimize;
  assert_int_equal(s->n_design, 3);
  assert_true(s->design[0].integer && s->design[0].categorical);
  assert_true(s->design[0].lower == 0 && s->design[0].upper == 2);
  assert_true(!s->design[1].integer && !s->design[1].categorical);
  assert_true(s->design[2].integer && s->design[2].categorical);
  assert_int_equal(s->n_con, 1);
  assert_string_equal(s->constraint[0].metric, "exchange_shortfall");
  assert_true(s->constraint[0].max == 0 && s->constraint[0].min == -INFINITY);
  cet_case_destroy(&c);
  /* categorical: false keeps a selector ordinal; a constraint of the case on
   * the shortfall is not doubled */
  optimize_text("choice}", "choice, categorical: false}",
                "constraints:\n  - {metric: exchange_shortfall, max: 1}\n", text);
  c = load_ok(text, NULL);
  assert_true(c->optimize->design[0].integer && !c->optimize->design[0].categorical);
  assert_int_equal(c->optimize->n_con, 1);
  assert_true(c->optimize->constraint[0].max == 1);
  cet_case_destroy(&c);
}

static void expect_design_error(const char *from, const char *to, const char *a, const char *b) {
  char text[CASE_TEXT_LEN];
  optimize_text(from, to, "", text);
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(write_case(text), NULL, 0, &c), CET_ERR_INPUT);
  cet_test_expect_message(a, b, NULL);
}

static void test_design_errors(void **state) {
  (void)state;
  expect_design_error("choice}", "choice, integer: false}", "structural.yaml:23:",
                      "design[0].integer: parameter network.units.R.choice takes integer values");
  expect_design_error("choice}", "choice, zero_below: 0.5}", "structural.yaml:23:",
                      "design[0].zero_below: zero_below applies to real variables");
  expect_design_error("choice}", "choice, bounds: [0, 3]}",
                      "structural.yaml:23:", "leave the valid range [0, 2]");
  expect_design_error("[-100, 0], categorical: true",
                      "[-100, 0], categorical: true, integer: false",
                      "structural.yaml:25:", "design[2].integer: a categorical variable takes");
  expect_design_error("[-100, 0]", "[-99.5, 0]",
                      "structural.yaml:25:", "an integer variable needs integral bounds");
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_selector_choices),
      cmocka_unit_test(test_selector_in_loop),
      cmocka_unit_test(test_exergy_of_structural_units),
      cmocka_unit_test(test_runtime_errors),
      cmocka_unit_test(test_reader_errors),
      cmocka_unit_test(test_overrides),
      cmocka_unit_test(test_design_variables),
      cmocka_unit_test(test_design_errors),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
