/*
 * test_case_network.c — unit tests of case.h for network cases: parameter
 * paths are the key paths --set uses (library values under processes.ID,
 * shared by every unit of that process); --set on a path changes exactly
 * that parameter; every shipped twin (each YAML file of configs/ with analysis
 * simulate) closes its mass balances within 1e-9; and every reader error
 * names FILE:LINE:COL and the key path.
 */
#include "cetwin/case.h"
#include "cetwin/config.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"
#include "model_support.h"
#include "test_support.h"

#include <dirent.h>
#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* A twin whose closure error exceeds this is a bug (user guide: Closure). */
static const double CLOSURE_LIMIT = 1e-9;

/* Loads path with overrides; returns the status, *out the case on success. */
static int load(const char *path, const char *const *sets, size_t n, cet_case **out) {
  return cet_test_load_case(path, sets, n, out);
}

static cet_case *load_ok(const char *path, const char *const *sets, size_t n) {
  cet_case *c = NULL;
  int status = load(path, sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  assert_non_null(c->twin);
  return c;
}

static void shipped(char *buf, size_t len, const char *name) {
  snprintf(buf, len, "%s/configs/%s", CETWIN_SOURCE_DIR, name);
}

static long find(const cet_twin *t, const char *path) {
  long i = cet_twin_parameter_find(t, path);
  if (i < 0) {
    fprintf(stderr, "no parameter %s\n", path);
  }
  assert_true(i >= 0);
  return i;
}

static void test_paths(void **state) {
  (void)state;
  char path[1024];
  shipped(path, sizeof path, "bonnin-pwb-network.yaml");
  cet_case *c = load_ok(path, NULL, 0);
  const cet_twin *t = c->twin;
  const double *d = cet_twin_parameter_defaults(t);
  assert_true(d[find(t, "processes.ELEC.split.Cu.product")] == 0.97);
  assert_true(d[find(t, "processes.PS.consumption.electricity")] == 0.5 * (110 + 860));
  assert_true(d[find(t, "network.units.PWB.flow")] == 5);
  assert_true(d[find(t, "network.units.PWB.composition.Balance")] == 0.7025);
  assert_true(d[find(t, "network.units.share.fractions[6]")] == 0.1428571);
  assert_true(d[find(t, "environment.emission_factors.fuel")] == 2.8e-4);
  assert_string_equal(cet_twin_parameter_units(t, (size_t)find(t, "network.units.PWB.flow")),
                      "t/day");
  assert_string_equal(
      cet_twin_parameter_units(t, (size_t)find(t, "environment.emission_factors.fuel")),
      "t CO2e/kWh");
  /* one slot per path: the ELEC units of all flowsheets share it */
  size_t n_elec = 0;
  for (size_t i = 0; i < cet_twin_parameter_count(t); i++) {
    n_elec += strcmp(cet_twin_parameter_path(t, i), "processes.ELEC.split.Cu.product") == 0;
  }
  assert_int_equal(n_elec, 1);
  /* processes no unit uses are not parameters */
  assert_int_equal(cet_twin_parameter_find(t, "processes.SKS.split.Cu.product"), -1);
  cet_case_destroy(&c);
}

/* --set PATH=VALUE changes that parameter and nothing else. */
static void check_set(const char *file, const char *set, const char *const *changed, size_t n,
                      const double *values) {
  cet_case *base = load_ok(file, NULL, 0);
  cet_case *mod = load_ok(file, &set, 1);
  const cet_twin *a = base->twin, *b = mod->twin;
  size_t np = cet_twin_parameter_count(a);
  assert_int_equal(cet_twin_parameter_count(b), np);
  const double *pa = cet_twin_parameter_defaults(a), *pb = cet_twin_parameter_defaults(b);
  size_t differ = 0;
  for (size_t i = 0; i < np; i++) {
    assert_string_equal(cet_twin_parameter_path(a, i), cet_twin_parameter_path(b, i));
    int target = -1;
    for (size_t k = 0; k < n; k++) {
      if (strcmp(cet_twin_parameter_path(a, i), changed[k]) == 0) {
        target = (int)k;
      }
    }
    if (target >= 0) {
      assert_true(pb[i] == values[target]);
      differ += pa[i] != pb[i];
    } else {
      assert_memory_equal(&pa[i], &pb[i], sizeof pa[i]);
    }
  }
  assert_true(differ >= 1);
  cet_case_destroy(&base);
  cet_case_destroy(&mod);
}

static void test_set_changes_exactly_that_parameter(void **state) {
  (void)state;
  char bonnin[1024], socrates[1024];
  shipped(bonnin, sizeof bonnin, "bonnin-pwb-network.yaml");
  shipped(socrates, sizeof socrates, "socrates-eu-slag.yaml");
  const char *p1[] = {"network.units.PWB.flow"};
  const double v1[] = {7.5};
  check_set(bonnin, "network.units.PWB.flow=7.5", p1, 1, v1);
  const char *p2[] = {"processes.ELEC.consumption.electricity"};
  const double v2[] = {6000};
  check_set(bonnin, "processes.ELEC.consumption.electricity=6000", p2, 1, v2);
  const char *p3[] = {"environment.emission_factors.fuel"};
  const double v3[] = {3e-4};
  check_set(bonnin, "environment.emission_factors.fuel=3e-4", p3, 1, v3);
  const char *p4[] = {"network.units.cement.credits.sand"};
  const double v4[] = {0.2};
  check_set(socrates, "network.units.cement.credits.sand=0.2", p4, 1, v4);
  const char *p5[] = {"network.units.slag_route.fractions[0]",
                      "network.units.slag_route.fractions[1]"};
  const double v5[] = {1, 0};
  check_set(socrates, "network.units.slag_route.fractions=[1, 0]", p5, 2, v5);
  const char *p6[] = {"network.units.fuming.split.Zn.fume",
                      "network.units.fuming.split.Zn.clean_slag"};
  const double v6[] = {0.9, 0.1};
  check_set(socrates, "network.units.fuming.split.Zn={fume: 0.9, clean_slag: 0.1}", p6, 2, v6);
}

/* Every shipped network twin builds, evaluates and closes within 1e-9. */
static void test_every_shipped_twin_closes(void **state) {
  (void)state;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/configs", CETWIN_SOURCE_DIR);
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t checked = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0) {
      continue;
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    cet_case *c = NULL;
    int status = load(path, NULL, 0, &c);
    if (status != CET_OK) {
      cet_error_print(stderr, 1);
    }
    assert_int_equal(status, CET_OK);
    if (strcmp(c->analysis->name, "simulate") == 0) {
      cet_test_twin tt;
      cet_test_twin_attach(&tt, c->twin);
      cet_test_twin_evaluate(&tt);
      const cet_twin *t = tt.twin;
      double closure = cet_test_twin_metric(&tt, "closure");
      fprintf(stderr, "%s: closure %.3g\n", e->d_name, closure);
      assert_true(closure <= CLOSURE_LIMIT);
      const double *cl = cet_twin_workspace_closure(tt.ws);
      for (size_t i = 0; i < cet_twin_unit_count(t) * cet_twin_components(t)->n; i++) {
        assert_true(cl[i] <= CLOSURE_LIMIT);
      }
      /* system balance: feeds = sinks, per component */
      const double *x = cet_twin_workspace_unit_inflow(tt.ws);
      double feed = cet_test_twin_metric(&tt, "feed"), sinks = 0.0;
      for (size_t u = 0; u < cet_twin_unit_count(t); u++) {
        for (size_t k = 0;
             cet_twin_unit_kind(t, u) == CET_UNIT_SINK && k < cet_twin_components(t)->n; k++) {
          sinks += x[u * cet_twin_components(t)->n + k];
        }
      }
      assert_true(fabs(sinks - feed) <= CLOSURE_LIMIT * feed);
      cet_test_twin_release(&tt);
      checked++;
    }
    cet_case_destroy(&c);
  }
  closedir(d);
  assert_true(checked >= 3);
}

/* ---- reader errors ---- */

static const char *const BASE =
    "analysis: simulate\n"                                              /* 1 */
    "components: [A, B]\n"                                              /* 2 */
    "carriers: {electricity: kWh/t, steam: t/t}\n"                      /* 3 */
    "network:\n"                                                        /* 4 */
    "  units:\n"                                                        /* 5 */
    "    F: {type: feed, flow: 10, composition: {A: 0.5, B: 0.5}}\n"    /* 6 */
    "    D: {type: splitter, outlets: [x, y], fractions: [0.5, 0.5]}\n" /* 7 */
    "    P:\n"                                                          /* 8 */
    "      type: process\n"                                             /* 9 */
    "      split: {A: {p: 0.9, r: 0.1}, B: {p: 1}}\n"                   /* 10 */
    "      consumption: {electricity: 5}\n"                             /* 11 */
    "    S: {type: sink, kind: market}\n"                               /* 12 */
    "    V: {type: sink, kind: valorisation, credits: {CO2: 1}}\n"      /* 13 */
    "  streams:\n"                                                      /* 14 */
    "    - {from: F, to: D}\n"                                          /* 15 */
    "    - {from: D.x, to: P}\n"                                        /* 16 */
    "    - {from: D.y, to: V}\n"                                        /* 17 */
    "    - {from: P.p, to: S}\n"                                        /* 18 */
    "    - {from: P.r, to: D}\n";                                       /* 19 */

/* Writes text as a case file; returns its path (static storage). */
static const char *write_case(const char *text) {
  static char path[1024];
  snprintf(path, sizeof path, "%s", cet_test_write("network.yaml", text));
  return path;
}

/* Replaces the first occurrence of from in BASE by to (or appends to when
 * from is NULL), loads the result and expects an input error; the caller
 * then checks the message. */
static void expect_input_error(const char *from, const char *to) {
  char text[4096];
  if (from) {
    const char *at = strstr(BASE, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - BASE), BASE, to, at + strlen(from));
  } else {
    snprintf(text, sizeof text, "%s%s", BASE, to);
  }
  cet_case *c = NULL;
  int status = load(write_case(text), NULL, 0, &c);
  if (status != CET_ERR_INPUT) {
    fprintf(stderr, "expected an input error for:\n%s\n", text);
  }
  assert_int_equal(status, CET_ERR_INPUT);
  assert_null(c);
}

#define EXPECT(from, to, ...)                                                                      \
  do {                                                                                             \
    expect_input_error(from, to);                                                                  \
    cet_test_expect_message(__VA_ARGS__, NULL);                                                    \
  } while (0)

static void test_base_is_valid(void **state) {
  (void)state;
  cet_case *c = load_ok(write_case(BASE), NULL, 0);
  assert_int_equal(cet_twin_unit_count(c->twin), 5);
  assert_int_equal(cet_twin_loop_count(c->twin), 1);
  /* without main_component, consumptions are per t of total inflow */
  assert_int_equal(c->twin_spec->unit[2].basis, -1);
  assert_int_equal(c->twin_spec->environment.avoided_credit, 0);
  assert_true(c->twin_spec->environment.energy[0] && !c->twin_spec->environment.energy[1]);
  cet_case_destroy(&c);
}

static void test_unit_errors(void **state) {
  (void)state;
  EXPECT("type: feed,", "type: fed,", "network.yaml:6:15: network.units.F.type",
         "expected one of feed");
  EXPECT("composition: {A: 0.5, B: 0.5}", "composition: {A: 0.5, C: 0.5}",
         ":6:", "unknown component 'C'");
  EXPECT("composition: {A: 0.5, B: 0.5}", "composition: {A: 0.5, B: 0.6}", ":6:", "sum to 1.1");
  EXPECT("flow: 10,", "flow: -1,", ":6:", "network.units.F.flow", "expected a number >= 0");
  EXPECT("flow: 10,", "", ":6:", "missing required key 'flow'");
  EXPECT("fractions: [0.5, 0.5]", "fractions: [1]", ":7:", "network.units.D.fractions",
         "expected 2 fractions");
  EXPECT("fractions: [0.5, 0.5]", "fractions: [0.5, 0.6]", ":7:", "fractions sum to 1.1");
  EXPECT("outlets: [x, y]", "outlets: [x, x]", ":7:", "duplicate outlet 'x'");
  EXPECT("outlets: [x, y]", "outlets: [x.1, y]", ":7:", "without '.'");
  EXPECT("outlets: [x, y]", "outlets: []", ":7:", "at least one outlet");
  EXPECT("      split:", "      process: ELEC\n      split:", ":9:", "network.units.P", "not both");
  EXPECT("      split: {A: {p: 0.9, r: 0.1}, B: {p: 1}}\n", "",
         ":9:", "missing required key 'process'");
  EXPECT("B: {p: 1}}", "B: {p: 0.5}}", ":10:", "network.units.P.split.B", "sum to 0.5");
  EXPECT(", B: {p: 1}}", "}", ":10:", "missing split factors for component 'B'");
  EXPECT("B: {p: 1}}", "B: {p: 1}, C: {p: 1}}", ":10:", "unknown component 'C'");
  EXPECT("B: {p: 1}}", "B: {p.q: 1}}", ":10:", "without '.'");
  EXPECT("{electricity: 5}", "{power: 5}", ":11:", "network.units.P.consumption.power",
         "unknown carrier 'power'");
  EXPECT("{electricity: 5}", "{electricity: [5, 3]}", ":11:", "min <= max");
  EXPECT("      consumption:", "      basis: C\n      consumption:", ":11:",
         "network.units.P.basis", "expected total or a component");
  EXPECT("kind: market}", "kind: shop}", ":12:", "network.units.S.kind", "expected one of market");
  EXPECT("kind: market}", "kind: market, credits: {CO2: 1}}", ":12:", "network.units.S.credits",
         "only valorisation sinks");
  EXPECT("kind: market}", "kind: market, burden: -2}", ":12:", "network.units.S.burden");
  EXPECT("kind: market}", "kind: market, price: 3}", ":12:", "unknown key");
  EXPECT("    S: {type", "    S.1: {type", ":12:", "unit name must be non-empty without '.'");
  EXPECT("    S: {type: sink, kind: market}", "    S: [sink]", ":12:", "expected a mapping");
}

static void test_stream_errors(void **state) {
  (void)state;
  EXPECT("{from: D.x, to: P}", "{from: D.x, to: PP}", ":16:", "network.streams[1].to",
         "unknown unit 'PP' (did you mean 'P'?");
  EXPECT("{from: D.x, to: P}", "{from: Dx.x, to: P}", ":16:", "network.streams[1].from",
         "unknown unit 'Dx'");
  EXPECT("{from: D.x, to: P}", "{from: D.z, to: P}", ":16:", "has no outlet 'z' (outlets: x, y)");
  EXPECT("{from: D.x, to: P}", "{from: D, to: P}", ":16:", "has outlets x, y: write D.OUTLET");
  EXPECT("{from: D.x, to: P}", "{from: D.x, to: P.p}", ":16:", "enters a unit, not an outlet");
  EXPECT("{from: D.x, to: P}", "{from: D.x, into: P}", ":16:", "unknown key");
  EXPECT("{from: D.x, to: P}", "{from: S, to: P}", ":16:", "'S' is a sink");
  /* structural errors found when the model builds the twin keep the location */
  EXPECT("    - {from: P.r, to: D}\n", "", ":9:", "network.units.P",
         "outlet 'r' of unit 'P' is not connected");
  EXPECT("{from: P.r, to: D}", "{from: P.r, to: F}", ":19:", "network.streams[4]",
         "enters feed 'F'");
  EXPECT("{from: P.r, to: D}", "{from: P.p, to: D}", ":19:", "already connected");
  EXPECT("fractions: [0.5, 0.5]}\n    P:\n      type: process\n      split: {A: {p: 0.9, r: 0.1}, "
         "B: {p: 1}}",
         "fractions: [1, 0]}\n    P:\n      type: process\n      split: {A: {p: 0.9, r: 0.1}, B: "
         "{r: 1}}",
         "network.units.", "no exit for component B", "units P, D");
  EXPECT("  streams:\n", "  streamz:\n", ":14:", "unknown key");
}

static void test_section_errors(void **state) {
  (void)state;
  EXPECT(NULL, "environment: {emission_factors: {power: 1}}\n",
         ":20:", "environment.emission_factors.power", "unknown carrier 'power'");
  EXPECT(NULL, "environment: {energy_carriers: [steam]}\n",
         ":20:", "environment.energy_carriers[0]", "energy adds kWh");
  EXPECT(NULL, "environment: {avoided_co2: sand}\n", ":20:", "environment.avoided_co2",
         "no valorisation sink credits 'sand'");
  EXPECT(NULL, "environment: {emission_factor: {}}\n", ":20:", "unknown key");
  EXPECT("network:\n", "netwerk:\n", ":4:", "netwerk: unknown key (did you mean 'network'?");
  EXPECT("analysis: simulate\n", "analysis: simulat\n",
         ":1:", "expected one of enumerate, simulate");
  EXPECT(NULL, "processes: {}\n", ":20:", "at least one process");
  EXPECT("  units:\n", "  flow_units: t/s\n  units:\n", ":5:", "network.flow_units",
         "expected one of t/a");
}

static void test_library_units(void **state) {
  (void)state;
  static const char *const text =
      "analysis: simulate\n"
      "components: [Cu, Fe, Zn, Pb, Sn, Balance]\n"
      "main_component: Cu\n"
      "processes: !include processes/copper-bonnin2015.yaml\n"
      "network:\n"
      "  units:\n"
      "    F: {type: feed, flow: 1, composition: {Cu: 0.3, Fe: 0.2, Balance: 0.5}}\n"
      "    E1: {type: process, process: ELEC}\n"
      "    E2: {type: process, process: ELEC, basis: total}\n"
      "    S: {type: sink, kind: market}\n"
      "    L: {type: sink, kind: landfill}\n"
      "  streams:\n"
      "    - {from: F, to: E1}\n"
      "    - {from: E1.product, to: E2}\n"
      "    - {from: E1.waste1, to: L}\n"
      "    - {from: E1.waste2, to: L}\n"
      "    - {from: E2.product, to: S}\n"
      "    - {from: E2.waste1, to: L}\n"
      "    - {from: E2.waste2, to: L}\n";
  cet_case *c = load_ok(write_case(text), NULL, 0);
  const cet_twin_spec *s = c->twin_spec;
  assert_int_equal(s->unit[1].basis, 0);  /* main component by default */
  assert_int_equal(s->unit[2].basis, -1); /* total */
  assert_memory_equal(s->unit[1].split, s->unit[2].split, 3 * 6 * sizeof(long));
  assert_string_equal(cet_twin_unit_process(c->twin, 1), "ELEC");
  cet_case_destroy(&c);

  char bad[4096];
  const char *at = strstr(text, "process: ELEC, basis");
  snprintf(bad, sizeof bad, "%.*sprocess: ELEK%s", (int)(at - text), text, at + 13);
  assert_int_equal(load(write_case(bad), NULL, 0, &c), CET_ERR_INPUT);
  cet_test_expect_message(":9:", "unknown library process 'ELEK'", NULL);
  at = strstr(text, "basis: total}");
  snprintf(bad, sizeof bad, "%.*sconsumption: {}%s", (int)(at - text), text, at + 12);
  assert_int_equal(load(write_case(bad), NULL, 0, &c), CET_ERR_INPUT);
  cet_test_expect_message("network.units.E2.consumption", "processes.ELEC.consumption", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_set_changes_exactly_that_parameter),
      cmocka_unit_test(test_every_shipped_twin_closes),
      cmocka_unit_test(test_base_is_valid),
      cmocka_unit_test(test_unit_errors),
      cmocka_unit_test(test_stream_errors),
      cmocka_unit_test(test_section_errors),
      cmocka_unit_test(test_library_units),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
