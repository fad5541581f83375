/*
 * test_case.c — unit tests of case.h: a whole case read from YAML files,
 * defaults, consumption ranges, renormalisation, and the reader errors not
 * covered by the command-line tests (tests/cli).
 */
#include "cetwin/case.h"
#include "cetwin/drivers.h"

#include "cetwin/config_load.h"

#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static const char *const LIBRARY = "P:\n"
                                   "  name: Test process\n"
                                   "  accept: {Cu: [0.1, 0.9]}\n"
                                   "  split:\n"
                                   "    Cu: {product: 0.9, waste1: 0.1005}\n"
                                   "    Fe: {product: 0.2, waste1: 0.8}\n"
                                   "  properties: {size: {min: 0, max: 0.1, out: 0}}\n"
                                   "  consumption: {electricity: [100, 300], fuel: ~}\n";

static const char *const CASE = "analysis: enumerate\n"
                                "components: [Cu, Fe]\n"
                                "main_component: Cu\n"
                                "processes: !include lib.yaml\n"
                                "feed:\n"
                                "  composition: {Cu: 0.5, Fe: 0.5}\n"
                                "  flow: 2\n"
                                "  properties: {size: 0.01}\n";

static int read_case(const char *text, const char *const *sets, size_t n_sets, cet_case **out) {
  const char *path = cet_test_write("case.yaml", text);
  cet_config *cfg = NULL;
  int status = cet_config_load(path, sets, n_sets, MPI_COMM_WORLD, &cfg);
  if (status == CET_OK) {
    status = cet_case_read(cfg, path, cet_analyses(), out);
  }
  cet_config_destroy(&cfg);
  return status;
}

static void test_defaults_and_derived_values(void **state) {
  (void)state;
  cet_test_write("lib.yaml", LIBRARY);
  cet_case *c = NULL;
  assert_int_equal(read_case(CASE, NULL, 0, &c), CET_OK);
  assert_string_equal(c->name, "case");
  assert_string_equal(c->analysis->name, "enumerate");
  assert_int_equal(c->seed, 1);
  assert_null(c->output);
  assert_string_equal(c->feed.flow_units, "t/a");
  assert_true(c->feed.mass[0] == 1.0 && c->feed.mass[1] == 1.0);
  assert_true(c->enumerate.target_purity == 0.999);
  assert_int_equal(c->enumerate.max_length, 10);
  const cet_process_spec *p = cet_library_process(c->library, 0);
  assert_string_equal(p->name, "Test process");
  assert_true(p->accept_min[1] == 0.0 && p->accept_max[1] == 1.0); /* unlisted: [0, 1] */
  assert_true(p->consumption[0] == 200.0);                         /* midpoint of [100, 300] */
  assert_true(p->consumption_lo[0] == 100.0 && p->consumption_hi[0] == 300.0);
  assert_true(isnan(p->consumption[1]));                   /* dash: unknown */
  assert_true(fabs(p->split[1 * 2 + 0] - 0.1005) < 1e-15); /* kept as given */
  assert_string_equal(c->carrier_units[0], "kWh/t");
  cet_case_destroy(&c);
  assert_null(c);
  cet_case_destroy(&c);
}

static void test_options(void **state) {
  (void)state;
  cet_test_write("lib.yaml", LIBRARY);
  const char *sets[] = {"consumption_range=high",
                        "renormalise_splits=true",
                        "feed.flow_units=t/day",
                        "name=renamed",
                        "enumerate.mode=preprocess",
                        "enumerate.preprocess={size: {consumption: {electricity: 5}}}",
                        "enumerate.alloys={brass: {Cu: [0.55, 0.7]}}"};
  cet_case *c = NULL;
  assert_int_equal(read_case(CASE, sets, 7, &c), CET_OK);
  const cet_process_spec *p = cet_library_process(c->library, 0);
  assert_true(p->consumption[0] == 300.0);
  assert_true(fabs(p->split[0] + p->split[2] - 1.0) < 1e-15);
  assert_string_equal(c->feed.flow_units, "t/day");
  assert_string_equal(c->name, "renamed");
  assert_int_equal(c->enumerate.mode, CET_ENUMERATE_PREPROCESS);
  assert_true(c->enumerate.preprocess_consumption[0] == 5.0);
  assert_int_equal(c->enumerate.n_alloys, 1);
  assert_string_equal(c->enumerate.alloy_names[0], "brass");
  assert_true(c->enumerate.alloy_min[0] == 0.55 && c->enumerate.alloy_max[1] == 1.0);
  cet_case_destroy(&c);
}

static void expect_error(const char *const *sets, size_t n, const char *fragment) {
  cet_case *c = NULL;
  assert_int_equal(read_case(CASE, sets, n, &c), CET_ERR_INPUT);
  assert_null(c);
  cet_test_expect_message(fragment, NULL);
}

static void test_reader_errors(void **state) {
  (void)state;
  cet_test_write("lib.yaml", LIBRARY);
  const char *a[] = {"main_component=Zn"};
  expect_error(a, 1, "main_component: expected one of the components (Cu, Fe), found 'Zn'");
  const char *b[] = {"components=[Cu, Cu]"};
  expect_error(b, 1, "components[1]: duplicate component 'Cu'");
  const char *c[] = {"feed.properties={}"};
  expect_error(c, 1, "feed.properties: missing required key 'size'");
  const char *d[] = {"feed.properties={size: 0.1, colour: 3}"};
  expect_error(d, 1, "feed.properties.colour: unknown property");
  const char *e[] = {"enumerate.mode=preprocess"};
  expect_error(e, 1, "missing required key 'preprocess'");
  const char *f[] = {"feed.flow=0"};
  expect_error(f, 1, "feed.flow: expected a positive flow");
  const char *g[] = {"feed.flow_units=kg/s"};
  expect_error(g, 1, "expected one of t/a, t/month, t/day, t/h, found 'kg/s'");
  const char *h[] = {"processes.P.split.Ag={product: 1}"};
  expect_error(h, 1, "processes.P.split.Ag: unknown component 'Ag'");
  const char *i[] = {"processes.P.consumption.fuel=[3, 1]"};
  expect_error(i, 1, "expected [min, max] with min <= max");
  const char *j[] = {"processes.P.properties.size={min: 1, max: 0}"};
  expect_error(j, 1, "expected min <= max, found min 1 > max 0");
  const char *k[] = {"enumerate.alloys={brass: {Zn: [0, 1]}}"};
  expect_error(k, 1, "enumerate.alloys.brass.Zn: unknown component");
  const char *l[] = {"analysis=optimise"};
  cet_case *bad = NULL;
  assert_int_equal(read_case(CASE, l, 1, &bad), CET_ERR_INPUT);
  cet_test_expect_message("analysis: expected one of enumerate, simulate, optimize, mc",
                          "found 'optimise'", NULL);
  const char *m[] = {"carriers={electricity: kWh/t}"};
  expect_error(m, 1, "processes.P.consumption.fuel: unknown carrier 'fuel'");
  const char *n[] = {"processes.P.split.Fe={product: 0.2, slag: 0.8}"};
  cet_case *cs = NULL;
  assert_int_equal(read_case(CASE, n, 1, &cs), CET_OK); /* a new outlet is fine */
  assert_int_equal(cet_library_outlets(cs->library)->n, 3);
  cet_case_destroy(&cs);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_and_derived_values),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_reader_errors),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
