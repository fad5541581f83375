/*
 * test_process.c — unit tests of process.h: acceptance exactly at the
 * window edges (inclusive, within the tolerance), per-component mass
 * balance of a split, consumption and property transforms, and library
 * errors.
 */
#include "cetwin/process.h"

#include "cetwin/error.h"

#include "model_support.h"
#include "test_support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

enum { NC = 3, NO = 3, NP = 2, NK = 2 };

static const double TOL = 1e-12;

static cet_process_spec spec_of(const char *id, const double *split) {
  static const double amin[NC] = {0.2, 0.0, 0.0}, amax[NC] = {0.35, 0.45, 1.0};
  static const double pmin[NP] = {0.0, 0.0}, pmax[NP] = {0.1, 0.14}, pout[NP] = {1.0, NAN};
  static const double cons[NK] = {369.0, NAN};
  return cet_test_process_spec(id, amin, amax, split, pmin, pmax, pout, cons);
}

/* outlet-major: product, waste1, waste2 for Cu, Fe, Balance */
static const double SPLIT[NO * NC] = {0.94, 0.19, 0.2, 0.06, 0.81, 0.7, 0.0, 0.0, 0.1};

/* The group's library: process NOR over Cu, Fe, Balance. */
static int setup(void **state) {
  static const char *const c[] = {"Cu", "Fe", "Balance", NULL};
  static const char *const o[] = {"product", "waste1", "waste2", NULL};
  static const char *const p[] = {"size", "moisture", NULL}, *const k[] = {"electricity", "fuel",
                                                                           NULL};
  cet_library *lib = cet_test_library_create(c, o, p, k);
  cet_process_spec s = spec_of("NOR", SPLIT);
  cet_test_library_add(lib, &s);
  *state = lib;
  return 0;
}

static int teardown(void **state) {
  cet_library *lib = *state;
  cet_library_destroy(&lib);
  return 0;
}

static void test_accepts_exactly_at_composition_edges(void **state) {
  const cet_library *lib = *state;
  /* Cu fraction exactly at TCmin = 0.2 and at TCmax = 0.35 */
  double at_min[NC] = {0.2, 0.3, 0.5}, at_max[NC] = {0.35, 0.45, 0.2};
  assert_true(cet_process_accepts_composition(lib, 0, at_min, TOL));
  assert_true(cet_process_accepts_composition(lib, 0, at_max, TOL));
  /* scaled masses: only fractions matter */
  double scaled[NC] = {2.0, 3.0, 5.0};
  assert_true(cet_process_accepts_composition(lib, 0, scaled, TOL));
  /* just outside, beyond the tolerance */
  double below[NC] = {0.2 - 1e-9, 0.3, 0.5 + 1e-9}, above[NC] = {0.35 + 1e-9, 0.3, 0.35 - 1e-9};
  assert_false(cet_process_accepts_composition(lib, 0, below, TOL));
  assert_false(cet_process_accepts_composition(lib, 0, above, TOL));
  double fe_high[NC] = {0.3, 0.45 + 1e-9, 0.25 - 1e-9};
  assert_false(cet_process_accepts_composition(lib, 0, fe_high, TOL));
  double none[NC] = {0, 0, 0};
  assert_false(cet_process_accepts_composition(lib, 0, none, TOL));
}

static void test_property_edges(void **state) {
  const cet_library *lib = *state;
  double inside[NP] = {0.1, 0.14}, zero[NP] = {0.0, 0.0};
  assert_int_equal(cet_process_property_misfits(lib, 0, inside, TOL), 0);
  assert_int_equal(cet_process_property_misfits(lib, 0, zero, TOL), 0);
  double big[NP] = {0.1 + 1e-9, 0.0}, wet[NP] = {0.0, 0.15}, both[NP] = {-1e-9, 1.0};
  assert_int_equal(cet_process_property_misfits(lib, 0, big, TOL), 1u);
  assert_int_equal(cet_process_property_misfits(lib, 0, wet, TOL), 2u);
  assert_int_equal(cet_process_property_misfits(lib, 0, both, TOL), 3u);
}

static void test_split_balances_each_component(void **state) {
  const cet_library *lib = *state;
  double in[NC] = {1.1, 0.18, 3.5125}, out[NO * NC];
  cet_process_split(lib, 0, in, out);
  for (int c = 0; c < NC; c++) {
    double sum = out[c] + out[NC + c] + out[2 * NC + c];
    assert_true(fabs(sum - in[c]) <= 1e-12 * in[c]);
  }
  assert_true(out[0] == 0.94 * 1.1);
}

static void test_consumption_and_properties(void **state) {
  const cet_library *lib = *state;
  double in[NC] = {2.0, 1.0, 1.0}, total[NK] = {10.0, 0.0};
  cet_process_consume(lib, 0, in, total);
  assert_true(total[0] == 10.0 + 369.0 * 2.0); /* per t of Cu fed */
  assert_true(isnan(total[1]));                /* unknown stays unknown */
  double props[NP] = {0.05, 0.1};
  cet_process_transform_properties(lib, 0, props);
  assert_true(props[0] == 1.0);
  assert_true(props[1] == 0.1); /* NaN out: unchanged */
}

static void test_accessors(void **state) {
  const cet_library *lib = *state;
  assert_int_equal(cet_library_size(lib), 1);
  assert_int_equal(cet_library_find(lib, "NOR"), 0);
  assert_int_equal(cet_library_find(lib, "TEN"), -1);
  assert_string_equal(cet_library_process(lib, 0)->name, "NOR");
  assert_int_equal(cet_library_main_component(lib), 0);
  assert_int_equal(cet_library_components(lib)->n, NC);
  assert_int_equal(cet_library_outlets(lib)->n, NO);
  assert_int_equal(cet_library_properties(lib)->n, NP);
  assert_int_equal(cet_library_carriers(lib)->n, NK);
}

static void test_library_errors(void **state) {
  cet_library *group_lib = *state;
  cet_process_spec dup = spec_of("NOR", SPLIT);
  assert_int_equal(cet_library_add(group_lib, &dup), CET_ERR_INPUT);
  cet_test_expect_message("duplicate process id 'NOR'", NULL);
  double negative[NO * NC] = {0.94, 0.19, 0.2, 0.06, 0.81, 0.7, 0.0, -0.1, 0.1};
  cet_process_spec neg = spec_of("X", negative);
  assert_int_equal(cet_library_add(group_lib, &neg), CET_ERR_INPUT);
  cet_test_expect_message("split factor of Fe to waste2 is negative", NULL);
  assert_int_equal(cet_library_size(group_lib), 1); /* neither was added */
  cet_names comps = {0}, outlets = {0}, none = {0};
  cet_names_add(&comps, "Cu");
  cet_names_add(&outlets, "slag");
  cet_library *lib = NULL;
  cet_library_layout bad = {&comps, 0, &outlets, &none, &none};
  assert_int_equal(cet_library_create(&bad, &lib), CET_ERR_INPUT);
  cet_test_expect_message("first outlet of every process must be 'product'", NULL);
  cet_library_layout empty = {&none, 0, &outlets, &none, &none};
  assert_int_equal(cet_library_create(&empty, &lib), CET_ERR_INPUT);
  cet_test_expect_message("at least one component", NULL);
  assert_null(lib);
  cet_names_clear(&comps);
  cet_names_clear(&outlets);
}

/* Destroying a library sets its handle NULL, and NULL is accepted. */
static void test_destroy(void **state) {
  (void)state;
  static const char *const c[] = {"Cu", NULL}, *const o[] = {"product", NULL};
  cet_library *lib = cet_test_library_create(c, o, NULL, NULL);
  cet_library_destroy(&lib);
  assert_null(lib);
  cet_library_destroy(&lib);
  cet_library_destroy(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepts_exactly_at_composition_edges),
      cmocka_unit_test(test_property_edges),
      cmocka_unit_test(test_split_balances_each_component),
      cmocka_unit_test(test_consumption_and_properties),
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_library_errors),
      cmocka_unit_test(test_destroy),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
