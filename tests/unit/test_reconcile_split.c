/*
 * test_reconcile_split.c — unit tests of reconcile_split.h, the twin's
 * parameters derived from reconciled flows: a feed, a process unit, a
 * splitter and a selector with every stream's component flows measured
 * consistently (each value worked by hand), each reason a parameter keeps
 * the case's value (not determined, a feed composition determined in
 * part, a negative reconciled flow, no inflow, flow to an outlet without a
 * split factor, a library process two units share, a structural choice),
 * a reconciliation of another twin refused; the case's `set:` applying a
 * parameter file and its errors; and `reconcile.write_parameters` refused
 * where it cannot be written.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/reconcile.h"
#include "cetwin/reconcile_split.h"
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
#include <sys/stat.h>
#include <cmocka.h>

/* A feed, a separator, a splitter on its product and a selector on its
 * residue; two components. */
static const char *const NETWORK =
    "analysis: reconcile\n"
    "components: [A, B]\n"
    "network:\n"
    "  units:\n"
    "    feed: {type: feed, flow: 100, composition: {A: 0.5, B: 0.5}}\n"
    "    sep: {type: process, split: {A: {p: 0.9, r: 0.1}, B: {p: 0.2, r: 0.8}}}\n"
    "    route: {type: splitter, outlets: [x, y], fractions: [0.5, 0.5]}\n"
    "    pick: {type: selector, outlets: [u, v], choice: 0}\n"
    "    market: {type: sink, kind: market}\n"
    "    dump: {type: sink, kind: landfill}\n"
    "  streams:\n"
    "    - {from: feed, to: sep}\n"
    "    - {from: sep.p, to: route}\n"
    "    - {from: sep.r, to: pick}\n"
    "    - {from: route.x, to: market}\n"
    "    - {from: route.y, to: market}\n"
    "    - {from: pick.u, to: dump}\n"
    "    - {from: pick.v, to: dump}\n";

/* Every component flow measured, consistently: feed A 60, B 40; the
 * separator sends A 48 / 12 and B 10 / 30; the splitter 3/4 and 1/4 of
 * each (A 36 / 12, B 7.5 / 2.5); the selector everything to u. */
static const char *const ALL = "reconcile:\n"
                               "  measurements:\n"
                               "    - {stream: feed.out, quantity: flow.A, value: 60, sd: 1}\n"
                               "    - {stream: feed.out, quantity: flow.B, value: 40, sd: 1}\n"
                               "    - {stream: sep.p, quantity: flow.A, value: 48, sd: 1}\n"
                               "    - {stream: sep.p, quantity: flow.B, value: 10, sd: 1}\n"
                               "    - {stream: sep.r, quantity: flow.A, value: 12, sd: 1}\n"
                               "    - {stream: sep.r, quantity: flow.B, value: 30, sd: 1}\n"
                               "    - {stream: route.x, quantity: flow.A, value: 36, sd: 1}\n"
                               "    - {stream: route.x, quantity: flow.B, value: 7.5, sd: 1}\n"
                               "    - {stream: route.y, quantity: flow.A, value: 12, sd: 1}\n"
                               "    - {stream: route.y, quantity: flow.B, value: 2.5, sd: 1}\n"
                               "    - {stream: pick.u, quantity: flow.A, value: 12, sd: 1}\n"
                               "    - {stream: pick.u, quantity: flow.B, value: 30, sd: 1}\n"
                               "    - {stream: pick.v, quantity: flow.A, value: 0, sd: 1}\n"
                               "    - {stream: pick.v, quantity: flow.B, value: 0, sd: 1}\n";

typedef struct {
  cet_case *c;
  cet_reconcile_result *r;
  cet_reconcile_split *s;
} derived;

static derived derive_text(const char *text);

/* Loads NETWORK (with `replace` put in place of `find` when given) and
 * measurements, reconciles from the twin's steady state and derives. */
static derived derive(const char *measurements, const char *find, const char *replace) {
  char text[8192];
  snprintf(text, sizeof text, "%s%s", NETWORK, measurements);
  if (find) {
    char *at = strstr(text, find);
    assert_non_null(at);
    char rest[8192];
    snprintf(rest, sizeof rest, "%s", at + strlen(find));
    snprintf(at, sizeof text - (size_t)(at - text), "%s%s", replace, rest);
  }
  return derive_text(text);
}

/* Loads the case text, reconciles from the twin's steady state and
 * derives. */
static derived derive_text(const char *text) {
  derived d = {0};
  d.c = cet_test_load_ok(cet_test_write("split.yaml", text));
  d.r = cet_test_reconcile_ok(d.c);
  const cet_twin *t = d.c->twin;
  assert_int_equal(cet_reconcile_split_derive(t, cet_twin_parameter_defaults(t), d.r, &d.s),
                   CET_OK);
  return d;
}

static void release(derived *d) {
  cet_reconcile_split_destroy(&d->s);
  cet_reconcile_result_destroy(&d->r);
  cet_case_destroy(&d->c);
}

/* The row of the parameter at path: its reason, and its value near want. */
static void expect(const derived *d, const char *path, int reason, double want) {
  const cet_twin *t = d->c->twin;
  for (size_t i = 0; i < d->s->n; i++) {
    if (strcmp(cet_twin_parameter_path(t, d->s->parameter[i]), path) == 0) {
      if (d->s->reason[i] != reason || !(fabs(d->s->value[i] - want) <= 1e-9)) {
        fprintf(stderr, "%s: %s, %.15g; expected %s, %.15g\n", path,
                cet_split_reason_name(d->s->reason[i]), d->s->value[i],
                cet_split_reason_name(reason), want);
      }
      assert_int_equal(d->s->reason[i], reason);
      assert_true(fabs(d->s->value[i] - want) <= 1e-9);
      assert_true(d->s->case_value[i] == cet_twin_parameter_defaults(t)[d->s->parameter[i]]);
      return;
    }
  }
  fprintf(stderr, "no row for %s\n", path);
  fail();
}

static void test_all_measured(void **state) {
  (void)state;
  derived d = derive(ALL, NULL, NULL);
  expect(&d, "network.units.feed.flow", CET_SPLIT_DERIVED, 100);
  expect(&d, "network.units.feed.composition.A", CET_SPLIT_DERIVED, 0.6);
  expect(&d, "network.units.feed.composition.B", CET_SPLIT_DERIVED, 0.4);
  expect(&d, "network.units.sep.split.A.p", CET_SPLIT_DERIVED, 48.0 / 60.0);
  expect(&d, "network.units.sep.split.A.r", CET_SPLIT_DERIVED, 12.0 / 60.0);
  expect(&d, "network.units.sep.split.B.p", CET_SPLIT_DERIVED, 10.0 / 40.0);
  expect(&d, "network.units.sep.split.B.r", CET_SPLIT_DERIVED, 30.0 / 40.0);
  expect(&d, "network.units.route.fractions[0]", CET_SPLIT_DERIVED, 0.75);
  expect(&d, "network.units.route.fractions[1]", CET_SPLIT_DERIVED, 0.25);
  expect(&d, "network.units.pick.choice", CET_SPLIT_STRUCTURAL, 0);
  assert_int_equal(d.s->n, 10);
  assert_int_equal(d.s->n_derived, 9);
  /* rows by unit, then component, then outlet */
  for (size_t i = 1; i < d.s->n; i++) {
    assert_true(d.s->unit[i - 1] <= d.s->unit[i]);
  }
  release(&d);
  /* a splitter given by shares: the last outlet has none */
  d = derive(ALL, "fractions: [0.5, 0.5]", "shares: [0.5]");
  expect(&d, "network.units.route.shares[0]", CET_SPLIT_DERIVED, 0.75);
  assert_int_equal(d.s->n, 9);
  release(&d);
}

/* Totals of the splitter's outlets and the feed's A only: the feed's
 * composition is known in part, its total and the separator not at all. */
static void test_not_determined(void **state) {
  (void)state;
  derived d = derive("reconcile:\n"
                     "  measurements:\n"
                     "    - {stream: feed.out, quantity: flow.A, value: 60, sd: 1}\n"
                     "    - {stream: route.x, quantity: total, value: 40, sd: 1}\n"
                     "    - {stream: route.y, quantity: total, value: 10, sd: 1}\n",
                     NULL, NULL);
  expect(&d, "network.units.feed.flow", CET_SPLIT_NOT_DETERMINED, 100);
  expect(&d, "network.units.feed.composition.A", CET_SPLIT_PARTIAL, 0.5);
  expect(&d, "network.units.feed.composition.B", CET_SPLIT_NOT_DETERMINED, 0.5);
  expect(&d, "network.units.sep.split.A.p", CET_SPLIT_NOT_DETERMINED, 0.9);
  expect(&d, "network.units.sep.split.B.r", CET_SPLIT_NOT_DETERMINED, 0.8);
  expect(&d, "network.units.route.fractions[0]", CET_SPLIT_DERIVED, 0.8);
  expect(&d, "network.units.route.fractions[1]", CET_SPLIT_DERIVED, 0.2);
  assert_int_equal(d.s->n_derived, 2);
  release(&d);
}

/* A reconciled A below zero on sep.r (the product measured above the
 * feed), and no B at all. */
static void test_negative_and_no_inflow(void **state) {
  (void)state;
  derived d = derive("reconcile:\n"
                     "  measurements:\n"
                     "    - {stream: feed.out, quantity: flow.A, value: 10, sd: 0.1}\n"
                     "    - {stream: sep.p, quantity: flow.A, value: 20, sd: 0.1}\n"
                     "    - {stream: feed.out, quantity: flow.B, value: 0, sd: 1}\n"
                     "    - {stream: sep.p, quantity: flow.B, value: 0, sd: 1}\n",
                     NULL, NULL);
  assert_true(d.r->flow[2 * 2 + 0] < -1.0); /* sep.r, A */
  expect(&d, "network.units.sep.split.A.p", CET_SPLIT_NEGATIVE, 0.9);
  expect(&d, "network.units.sep.split.A.r", CET_SPLIT_NEGATIVE, 0.1);
  expect(&d, "network.units.sep.split.B.p", CET_SPLIT_NO_INFLOW, 0.2);
  expect(&d, "network.units.route.fractions[0]", CET_SPLIT_NOT_DETERMINED, 0.5);
  release(&d);
}

/* B reaches sep.r, for which the case gives no split factor of B. */
static void test_no_parameter(void **state) {
  (void)state;
  derived d = derive(ALL, "B: {p: 0.2, r: 0.8}", "B: {p: 1}");
  expect(&d, "network.units.sep.split.A.p", CET_SPLIT_DERIVED, 0.8);
  expect(&d, "network.units.sep.split.B.p", CET_SPLIT_NO_PARAMETER, 1);
  release(&d);
}

/* One library process in two units: its split factors are one parameter
 * each, so neither unit's flows alone may set them. */
static void test_shared(void **state) {
  (void)state;
  derived d =
      derive_text("analysis: reconcile\n"
                  "components: [A, B]\n"
                  "processes:\n"
                  "  SEP:\n"
                  "    split: {A: {product: 0.9, waste1: 0.1}, B: {product: 0.2, waste1: 0.8}}\n"
                  "network:\n"
                  "  units:\n"
                  "    f1: {type: feed, flow: 100, composition: {A: 0.5, B: 0.5}}\n"
                  "    f2: {type: feed, flow: 50, composition: {A: 0.5, B: 0.5}}\n"
                  "    s1: {type: process, process: SEP}\n"
                  "    s2: {type: process, process: SEP}\n"
                  "    market: {type: sink, kind: market}\n"
                  "  streams:\n"
                  "    - {from: f1, to: s1}\n"
                  "    - {from: f2, to: s2}\n"
                  "    - {from: s1.product, to: market}\n"
                  "    - {from: s1.waste1, to: market}\n"
                  "    - {from: s2.product, to: market}\n"
                  "    - {from: s2.waste1, to: market}\n"
                  "reconcile:\n"
                  "  measurements:\n"
                  "    - {stream: s1.product, quantity: flow.A, value: 45, sd: 1}\n"
                  "    - {stream: s1.waste1, quantity: flow.A, value: 5, sd: 1}\n");
  expect(&d, "processes.SEP.split.A.product", CET_SPLIT_SHARED, 0.9);
  expect(&d, "processes.SEP.split.A.waste1", CET_SPLIT_SHARED, 0.1);
  release(&d);
}

static void test_wrong_twin(void **state) {
  (void)state;
  derived d = derive(ALL, NULL, NULL);
  cet_reconcile_split *s = NULL;
  d.r->n_streams--;
  assert_int_equal(
      cet_reconcile_split_derive(d.c->twin, cet_twin_parameter_defaults(d.c->twin), d.r, &s),
      CET_ERR_RUNTIME);
  assert_null(s);
  cet_test_expect_message("the reconciliation has 6 streams and 2 components, the twin 7", NULL);
  d.r->n_streams++;
  assert_string_equal(cet_split_reason_name(CET_SPLIT_REASONS), "?");
  cet_reconcile_split_destroy(&s);
  release(&d);
}

/* The parameter file applied by the case's `set:`. */
static void test_case_set(void **state) {
  (void)state;
  cet_test_write("calibrated.yaml", "# from a reconciliation\n"
                                    "- network.units.route.fractions[0]=0.75\n"
                                    "- network.units.route.fractions[1]=0.25\n");
  char text[8192];
  snprintf(text, sizeof text, "%s%sset: !include calibrated.yaml\n", NETWORK, ALL);
  char path[4096];
  snprintf(path, sizeof path, "%s", cet_test_write("with_set.yaml", text));
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(path, NULL, 0, &c), CET_OK);
  long p = cet_twin_parameter_find(c->twin, "network.units.route.fractions[0]");
  assert_true(p >= 0);
  assert_true(cet_twin_parameter_defaults(c->twin)[p] == 0.75);
  cet_case_destroy(&c);
  /* the command line's --set comes after and wins */
  const char *later = "network.units.route.fractions=[0.6, 0.4]";
  assert_int_equal(cet_test_load_case(path, &later, 1, &c), CET_OK);
  assert_true(cet_twin_parameter_defaults(c->twin)[p] == 0.6);
  cet_case_destroy(&c);
  cet_test_expect_case_error(path, "set=[]", "--set set=[]",
                             "the case's `set:` entries are applied before --set", NULL);
  /* errors, located in the file that holds them */
  cet_test_write("calibrated.yaml", "- network.units.route.fractions[0]=0.75\n- no value\n");
  cet_test_expect_case_error(path, NULL, "calibrated.yaml:2:3",
                             "expected PATH=VALUE (as --set takes it), found no value", NULL);
  cet_test_write("calibrated.yaml", "- [a, b]\n");
  cet_test_expect_case_error(path, NULL, "calibrated.yaml:1:3", "found a collection", NULL);
  cet_test_write("calibrated.yaml", "network.units.route.fractions: [1, 0]\n");
  cet_test_expect_case_error(path, NULL, "calibrated.yaml:1:1", "expected a list of PATH=VALUE",
                             NULL);
  cet_test_write("calibrated.yaml", "- network.units.route.fractions[7]=0.75\n");
  cet_test_expect_case_error(path, NULL, "calibrated.yaml:1:3: set[0]",
                             "index 7 out of range (the list has 2 items)", NULL);
  cet_test_write("calibrated.yaml", "- network.units.route.fractions[0]=-1\n");
  cet_test_expect_case_error(path, NULL, "calibrated.yaml:1:3: set[0]",
                             "network.units.route.fractions[0]", NULL);
  /* an empty file (no parameter derived): nothing to apply */
  cet_test_write("calibrated.yaml", "# nothing derived\n[]\n");
  assert_int_equal(cet_test_load_case(path, NULL, 0, &c), CET_OK);
  cet_case_destroy(&c);
}

static void test_write_parameters_path(void **state) {
  (void)state;
  char text[8192];
  snprintf(text, sizeof text, "%s%s", NETWORK, ALL);
  char path[4096];
  snprintf(path, sizeof path, "%s", cet_test_write("paths.yaml", text));
  char set[4200];
  cet_test_expect_case_error(path, "reconcile.write_parameters=/no/such/folder/p.yaml",
                             "reconcile.write_parameters",
                             "expected a file in an existing, writable folder, found "
                             "'/no/such/folder/p.yaml' (folder '/no/such/folder'",
                             NULL);
  snprintf(set, sizeof set, "reconcile.write_parameters=%s", cet_test_tmpdir());
  cet_test_expect_case_error(path, set, "reconcile.write_parameters", "found the folder", NULL);
  cet_test_expect_case_error(path, "reconcile.write_parameters=out/", "reconcile.write_parameters",
                             "expected the name of a file", NULL);
  cet_test_expect_case_error(path, "reconcile.write_parameters=''", "reconcile.write_parameters",
                             "expected the name of a file", NULL);
  cet_test_expect_case_error(path, "reconcile.write_parameters=[a]", "reconcile.write_parameters",
                             NULL);
  snprintf(set, sizeof set, "reconcile.write_parameters=%s", path);
  cet_test_expect_case_error(path, set, "reconcile.write_parameters",
                             "expected a file the case does not read", NULL);
  snprintf(set, sizeof set, "reconcile.write_parameters=%s/p.yaml", cet_test_tmpdir());
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(path, (const char *const[]){set}, 1, &c), CET_OK);
  assert_non_null(strstr(c->reconcile->write_parameters, "/p.yaml"));
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_measured),
      cmocka_unit_test(test_not_determined),
      cmocka_unit_test(test_negative_and_no_inflow),
      cmocka_unit_test(test_no_parameter),
      cmocka_unit_test(test_shared),
      cmocka_unit_test(test_wrong_twin),
      cmocka_unit_test(test_case_set),
      cmocka_unit_test(test_write_parameters_path),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
