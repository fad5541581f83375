/*
 * test_twin_usage.c — unit tests of the twin's usage stage (network.h,
 * cet_usage_spec; twin.h): per unit in use, value x (fixed_share +
 * (1 - fixed_share) x rate), nothing for a unit without flow (not even the
 * fixed share), rates relative to the total feed or a given capacity, the
 * usage.rate.UNIT and usage.in_use metrics, the parameters at their key
 * paths, a twin without a usage section has no usage metrics, a capacity
 * moved to 0 fails at evaluation, and every reader error with its location.
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
#include <stdlib.h>
#include <cmocka.h>

static const char *const CASE = "name: usage\n"
                                "analysis: simulate\n"
                                "components: [A, B]\n"
                                "network:\n"
                                "  flow_units: t/a\n"
                                "  units:\n"
                                "    feed: {type: feed, flow: 8, composition: {A: 0.25, B: 0.75}}\n"
                                "    split: {type: splitter, outlets: [a, b, c], fractions: [0.5, "
                                "0.5, 0]}\n"
                                "    a: {type: mixer}\n"
                                "    b: {type: mixer}\n"
                                "    c: {type: mixer}\n"
                                "    out: {type: sink, kind: market}\n"
                                "  streams:\n"
                                "    - {from: feed, to: split}\n"
                                "    - {from: split.a, to: a}\n"
                                "    - {from: split.b, to: b}\n"
                                "    - {from: split.c, to: c}\n"
                                "    - {from: a, to: out}\n"
                                "    - {from: b, to: out}\n"
                                "    - {from: c, to: out}\n"
                                "usage:\n"
                                "  quantities:\n"
                                "    cost: {units: EUR/a, fixed_share: 0.2}\n"
                                "    flow: {units: t/a, fixed_share: 0}\n"
                                "  units:\n"
                                "    a: {cost: 100, flow: 10}\n"
                                "    b: {cost: 50, flow: 30, capacity: 2}\n"
                                "    c: {cost: 1000, flow: 5}\n";

static char path[1024];

static cet_case *load_ok(const char *const *sets, size_t n) {
  cet_case *c = NULL;
  int status = cet_test_load_case(path, sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return c;
}

static void test_values(void **state) {
  (void)state;
  cet_case *c = load_ok(NULL, 0);
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  cet_test_twin_evaluate(&tt);
  const cet_twin *t = tt.twin;
  double *p = tt.params;
  /* a gets 4 of the 8 t/a fed: rate 0.5 of the feed; b gets 4 t/a against
   * a capacity of 2: rate 2; c gets nothing and pays nothing */
  assert_true(fabs(cet_test_twin_metric(&tt, "usage.rate.a") - 0.5) < 1e-15);
  assert_true(fabs(cet_test_twin_metric(&tt, "usage.rate.b") - 2.0) < 1e-15);
  assert_true(cet_test_twin_metric(&tt, "usage.rate.c") == 0.0);
  assert_true(cet_test_twin_metric(&tt, "usage.in_use") == 2.0);
  assert_true(fabs(cet_test_twin_metric(&tt, "usage.cost") -
                   (100 * (0.2 + 0.8 * 0.5) + 50 * (0.2 + 0.8 * 2))) < 1e-12);
  assert_true(fabs(cet_test_twin_metric(&tt, "usage.flow") - (10 * 0.5 + 30 * 2)) < 1e-12);
  assert_string_equal(cet_twin_metric_units(t, (size_t)cet_twin_metric_find(t, "usage.cost")),
                      "EUR/a");
  /* everything to a: exactly its tabulated values */
  p[cet_test_twin_slot(&tt, "network.units.split.fractions[0]")] = 1;
  p[cet_test_twin_slot(&tt, "network.units.split.fractions[1]")] = 0;
  cet_test_twin_evaluate(&tt);
  assert_true(cet_test_twin_metric(&tt, "usage.cost") == 100 &&
              cet_test_twin_metric(&tt, "usage.flow") == 10);
  assert_true(cet_test_twin_metric(&tt, "usage.in_use") == 1.0);
  /* values, fixed shares and capacities are parameters */
  p[cet_test_twin_slot(&tt, "usage.units.a.cost")] = 70;
  p[cet_test_twin_slot(&tt, "usage.quantities.flow.fixed_share")] = 0.5;
  cet_test_twin_evaluate(&tt);
  assert_true(cet_test_twin_metric(&tt, "usage.cost") == 70 &&
              cet_test_twin_metric(&tt, "usage.flow") == 10);
  p[cet_test_twin_slot(&tt, "usage.units.b.capacity")] = 0;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, p, tt.ws, tt.metrics), CET_ERR_RUNTIME);
  cet_test_expect_message("usage capacity of unit 'b' is 0", NULL);
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);

  /* a section-wide capacity; no usage section: no usage metrics */
  const char *cap[] = {"usage.capacity=16"};
  c = load_ok(cap, 1);
  cet_test_twin_attach(&tt, c->twin);
  cet_test_twin_evaluate(&tt);
  assert_true(cet_test_twin_metric(&tt, "usage.rate.a") == 0.25);
  assert_true(cet_test_twin_metric(&tt, "usage.rate.b") == 2.0); /* its own capacity */
  cet_test_twin_release(&tt);
  cet_case_destroy(&c);
  const char *none[] = {"usage=~"};
  c = load_ok(none, 1);
  assert_int_equal(cet_twin_metric_find(c->twin, "usage.in_use"), -1);
  cet_case_destroy(&c);
}

static void test_errors(void **state) {
  (void)state;
  cet_test_expect_case_error(path, "usage.units.d={cost: 1, flow: 1}", "usage.units.d",
                             "unknown unit of network.units 'd'", NULL);
  cet_test_expect_case_error(path, "usage.units.a={cost: 1}", "usage.units.a",
                             "missing the value of quantity 'flow'", NULL);
  cet_test_expect_case_error(path, "usage.units.a.cots=3", "usage.units.a.cots", "unknown quantity",
                             "cost", NULL);
  cet_test_expect_case_error(path, "usage.quantities.rate={units: x, fixed_share: 0}",
                             "usage.quantities.rate", "other than rate and in_use", NULL);
  cet_test_expect_case_error(path, "usage.quantities.cost.fixed_share=1.5",
                             "usage.quantities.cost.fixed_share", NULL);
  cet_test_expect_case_error(path, "usage.quantities.cost={fixed_share: 0.2}",
                             "missing required key 'units'", NULL);
  cet_test_expect_case_error(path, "usage.quantities={}", "at least one quantity", NULL);
  cet_test_expect_case_error(path, "usage.capacity=-1", "usage.capacity",
                             "expected `feed` or a positive flow in t/a", NULL);
  cet_test_expect_case_error(path, "usage.units.a.capacity=all",
                             "expected `feed` or a positive flow", NULL);
  cet_test_expect_case_error(path, "usage.units={}", "at least one unit", NULL);
  cet_test_expect_case_error(path, "usage.unit={}", "unknown key", "units", NULL);
  cet_test_expect_case_error(path, "usage.units.a.cost=x", "usage.units.a.cost", NULL);
}

/* An error in the file names its line and column. */
static void test_located(void **state) {
  (void)state;
  char text[4096];
  snprintf(text, sizeof text, "%s    d: {cost: 1, flow: 2}\n", CASE);
  const char *bad = cet_test_write("usage-bad.yaml", text);
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(bad, NULL, 0, &c), CET_ERR_INPUT);
  cet_test_expect_message("usage-bad.yaml:29:5: usage.units.d", "unknown unit", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  snprintf(path, sizeof path, "%s", cet_test_write("usage.yaml", CASE));
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_located),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
