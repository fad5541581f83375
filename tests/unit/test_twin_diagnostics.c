/*
 * test_twin_diagnostics.c — unit tests of twin_diagnostics.h on a case
 * with a library process unit (LSXEW of the shipped library), an inline
 * process unit and three sinks: the units counted by kind; a feed inside
 * the process's acceptance window, one above it and one below it (the
 * library unit is reported, the inline one never); a closure planted in
 * the workspace above the closure rule and one at it; the worst closure
 * of a table; the feeds' properties as given.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"
#include "cetwin/twin_diagnostics.h"
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

enum { CASE_LEN = 4096 };

/* The case with the feed's Cu and Balance fractions given. */
static cet_case *load(double cu) {
  char text[CASE_LEN];
  snprintf(text, sizeof text,
           "name: diagnostics\n"
           "analysis: simulate\n"
           "components: [Cu, Fe, Zn, Pb, Sn, Balance]\n"
           "main_component: Cu\n"
           "properties: {size: m, moisture: \"1\"}\n"
           "carriers: {electricity: kWh/t, fuel: kWh/t, water: kWh/t, oxygen: kWh/t, "
           "silica: kWh/t}\n"
           "processes: !include %s/configs/processes/copper-bonnin2015.yaml\n"
           "network:\n"
           "  units:\n"
           "    F:\n"
           "      type: feed\n"
           "      flow: 5\n"
           "      composition: {Cu: %.17g, Fe: 0, Zn: 0, Pb: 0, Sn: 0, Balance: %.17g}\n"
           "      properties: {size: 1.0e-4}\n"
           "    P: {type: process, process: LSXEW}\n"
           "    Q:\n"
           "      type: process\n"
           "      split: {Cu: {p: 1}, Fe: {p: 1}, Zn: {p: 1}, Pb: {p: 1}, Sn: {p: 1}, "
           "Balance: {p: 1}}\n"
           "    S: {type: sink, kind: market}\n"
           "    L: {type: sink, kind: landfill}\n"
           "    X: {type: sink, kind: export}\n"
           "  streams:\n"
           "    - {from: F, to: P}\n"
           "    - {from: P.product, to: Q}\n"
           "    - {from: Q.p, to: S}\n"
           "    - {from: P.waste1, to: L}\n"
           "    - {from: P.waste2, to: X}\n",
           CETWIN_SOURCE_DIR, cu, 1.0 - cu);
  return cet_test_load_ok(cet_test_write("diagnostics.yaml", text));
}

/* c's twin evaluated at its values (cet_test_twin_release). */
static cet_test_twin evaluated(const cet_case *c) {
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  cet_test_twin_evaluate(&tt);
  return tt;
}

static size_t unit(const cet_twin *t, const char *name) {
  for (size_t u = 0; u < cet_twin_unit_count(t); u++) {
    if (strcmp(cet_twin_unit_name(t, u), name) == 0) {
      return u;
    }
  }
  fail_msg("no unit %s", name);
  return 0;
}

static void test_counts_and_window(void **state) {
  (void)state;
  cet_case *c = load(0.22); /* LSXEW accepts Cu in [0.005, 0.35] */
  cet_test_twin tt = evaluated(c);
  const cet_twin_workspace *w = tt.ws;
  cet_twin_diagnostics d;
  cet_twin_diagnose(c->twin, w, &d);
  assert_int_equal(d.units[CET_UNIT_FEED], 1);
  assert_int_equal(d.units[CET_UNIT_PROCESS], 2);
  assert_int_equal(d.units[CET_UNIT_SINK], 3);
  assert_int_equal(d.units[CET_UNIT_SPLITTER] + d.units[CET_UNIT_MIXER], 0);
  assert_int_equal(d.outside_window, 0);
  assert_false(cet_twin_unit_outside_window(c->twin, w, unit(c->twin, "P")));
  assert_false(d.closure_exceeded);
  assert_true(d.closure <= 1e-12);
  assert_true(cet_twin_window_tolerance() > 0.0 && cet_twin_window_tolerance() < 1e-9);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);

  c = load(0.6); /* outside the window: Cu above 0.35 */
  tt = evaluated(c);
  w = tt.ws;
  cet_twin_diagnose(c->twin, w, &d);
  assert_int_equal(d.outside_window, 1);
  assert_true(cet_twin_unit_outside_window(c->twin, w, unit(c->twin, "P")));
  /* the inline unit Q has no window; a feed and a sink are not processes */
  assert_false(cet_twin_unit_outside_window(c->twin, w, unit(c->twin, "Q")));
  assert_false(cet_twin_unit_outside_window(c->twin, w, unit(c->twin, "F")));
  assert_false(cet_twin_unit_outside_window(c->twin, w, unit(c->twin, "S")));
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);

  c = load(0.001); /* below the window: Cu under 0.005 */
  tt = evaluated(c);
  cet_twin_diagnose(c->twin, tt.ws, &d);
  assert_int_equal(d.outside_window, 1);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
}

static void test_closure_rule(void **state) {
  (void)state;
  cet_case *c = load(0.22);
  cet_test_twin tt = evaluated(c);
  const cet_twin_workspace *w = tt.ws;
  const cet_twin *t = c->twin;
  size_t nc = cet_twin_components(t)->n, q = unit(t, "Q");
  /* a planted error in the balance of Q's Fe, as a bug of the flows would leave */
  double *closure = (double *)cet_twin_workspace_closure(w);
  closure[q * nc + 1] = 2.0 * CET_TWIN_CLOSURE_TOLERANCE;
  cet_twin_diagnostics d;
  cet_twin_diagnose(t, w, &d);
  assert_true(d.closure_exceeded);
  assert_true(d.closure == 2.0 * CET_TWIN_CLOSURE_TOLERANCE);
  assert_int_equal(d.closure_unit, q);
  assert_int_equal(d.closure_component, 1);
  closure[q * nc + 1] = CET_TWIN_CLOSURE_TOLERANCE; /* at the rule: within */
  cet_twin_diagnose(t, w, &d);
  assert_false(d.closure_exceeded);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
}

static void test_worst_closure_of_a_table(void **state) {
  (void)state;
  const double table[] = {0.0, 1e-15, 0.0, 3e-10, 0.0, 3e-10}; /* 3 units x 2 components */
  size_t u = 9, k = 9;
  assert_true(cet_twin_worst_closure(table, 3, 2, &u, &k) == 3e-10);
  assert_int_equal(u, 1); /* the first of equal worst values */
  assert_int_equal(k, 1);
  const double zeros[] = {0.0, 0.0};
  assert_true(cet_twin_worst_closure(zeros, 1, 2, &u, &k) == 0.0);
  assert_int_equal(u, 0);
  assert_int_equal(k, 0);
}

static void test_feed_properties(void **state) {
  (void)state;
  cet_case *c = load(0.22);
  const cet_twin *t = c->twin;
  const cet_names *props = cet_twin_properties(t);
  assert_int_equal(props->n, 2);
  assert_string_equal(props->name[0], "size");
  const double *given = cet_twin_unit_properties(t, unit(t, "F"));
  assert_non_null(given);
  assert_true(given[0] == 1.0e-4);
  assert_true(isnan(given[1])); /* moisture not given */
  assert_null(cet_twin_unit_properties(t, unit(t, "P")));
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts_and_window),
      cmocka_unit_test(test_closure_rule),
      cmocka_unit_test(test_worst_closure_of_a_table),
      cmocka_unit_test(test_feed_properties),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
