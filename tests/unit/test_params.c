/*
 * test_params.c — unit tests of params.h: registration with paths, ranges
 * and units, lookup (also of a thousand paths), copies, validation of
 * value vectors, suggestions, and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/params.h"
#include "test_support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static cet_params *table(void) {
  cet_params *p = NULL;
  assert_int_equal(cet_params_create(&p), CET_OK);
  size_t slot = 99;
  assert_int_equal(cet_params_add(p, "network.units.F.flow", 100, 0, INFINITY, "t/a", 0, &slot),
                   CET_OK);
  assert_int_equal(slot, 0);
  assert_int_equal(cet_params_add(p, "processes.ELEC.split.Cu.product", 0.97, 0, 1, "1", 0, &slot),
                   CET_OK);
  assert_int_equal(slot, 1);
  assert_int_equal(cet_params_add(p, "processes.SKS.consumption.fuel", NAN, 0, INFINITY, "kWh/t",
                                  CET_PARAM_MAY_BE_UNKNOWN, &slot),
                   CET_OK);
  assert_int_equal(slot, 2);
  return p;
}

static void test_add_and_find(void **state) {
  (void)state;
  cet_params *p = table();
  assert_int_equal(cet_params_count(p), 3);
  assert_int_equal(cet_params_find(p, "processes.ELEC.split.Cu.product"), 1);
  assert_int_equal(cet_params_find(p, "processes.ELEC.split.Cu"), -1);
  assert_string_equal(cet_params_path(p, 0), "network.units.F.flow");
  assert_string_equal(cet_params_units(p, 2), "kWh/t");
  assert_true(cet_params_flags(p, 2) & CET_PARAM_MAY_BE_UNKNOWN);
  assert_true(cet_params_values(p)[0] == 100.0);
  assert_true(isnan(cet_params_values(p)[2]));
  assert_true(cet_params_lo(p, 1) == 0.0 && cet_params_hi(p, 1) == 1.0);
  cet_params_destroy(&p);
  assert_null(p);
  cet_params_destroy(&p);
  cet_params_destroy(NULL);
}

static void test_add_errors(void **state) {
  (void)state;
  cet_params *p = table();
  size_t slot = 7;
  cet_error_clear();
  assert_int_equal(cet_params_add(p, "network.units.F.flow", 1, 0, 2, "", 0, &slot), CET_ERR_INPUT);
  cet_test_expect_message("duplicate", NULL);
  assert_int_equal(cet_params_add(p, "", 1, 0, 2, "", 0, &slot), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_params_add(p, "x", 3, 0, 2, "", 0, &slot), CET_ERR_INPUT);
  cet_test_expect_message("outside", NULL);
  assert_int_equal(cet_params_add(p, "y", NAN, 0, 2, "", 0, &slot), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_params_add(p, "z", 1, 2, 0, "", 0, &slot), CET_ERR_INPUT);
  cet_test_expect_message("empty", NULL);
  assert_int_equal(slot, 7);
  assert_int_equal(cet_params_count(p), 3);
  cet_params_destroy(&p);
}

static void test_first_invalid(void **state) {
  (void)state;
  cet_params *p = table();
  double v[3] = {5, 0.5, NAN};
  assert_int_equal(cet_params_first_invalid(p, v), -1);
  v[1] = 1.5;
  assert_int_equal(cet_params_first_invalid(p, v), 1);
  v[1] = 0.5;
  v[0] = NAN;
  assert_int_equal(cet_params_first_invalid(p, v), 0);
  v[0] = -1;
  assert_int_equal(cet_params_first_invalid(p, v), 0);
  v[0] = 1;
  v[2] = -1;
  assert_int_equal(cet_params_first_invalid(p, v), 2);
  cet_params_destroy(&p);
}

static void test_copy_and_closest(void **state) {
  (void)state;
  cet_params *p = table(), *q = NULL;
  assert_int_equal(cet_params_copy(p, &q), CET_OK);
  assert_int_equal(cet_params_count(q), 3);
  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(cet_params_path(p, i), cet_params_path(q, i));
    assert_string_equal(cet_params_units(p, i), cet_params_units(q, i));
    assert_int_equal(cet_params_flags(p, i), cet_params_flags(q, i));
  }
  assert_string_equal(cet_params_closest(q, "network.units.F.flw"), "network.units.F.flow");
  cet_params *empty = NULL;
  assert_int_equal(cet_params_create(&empty), CET_OK);
  assert_null(cet_params_closest(empty, "a"));
  assert_int_equal(cet_params_first_invalid(empty, NULL), -1);
  cet_params_destroy(&empty);
  cet_params_destroy(&p);
  cet_params_destroy(&q);
}

static void test_growth(void **state) {
  (void)state;
  cet_params *p = NULL;
  assert_int_equal(cet_params_create(&p), CET_OK);
  char path[32];
  for (size_t i = 0; i < 1000; i++) {
    size_t slot;
    snprintf(path, sizeof path, "a[%zu]", i);
    assert_int_equal(cet_params_add(p, path, (double)i, 0, 1e9, NULL, 0, &slot), CET_OK);
    assert_int_equal(slot, i);
  }
  for (size_t i = 0; i < 1000; i++) { /* every path at its slot through the index's regrowths */
    snprintf(path, sizeof path, "a[%zu]", i);
    assert_int_equal(cet_params_find(p, path), (long)i);
  }
  assert_int_equal(cet_params_find(p, "a[1000]"), -1);
  assert_int_equal(cet_params_find(p, "a["), -1);
  size_t slot;
  cet_error_clear();
  assert_int_equal(cet_params_add(p, "a[17]", 1.0, 0, 1e9, NULL, 0, &slot), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "duplicate parameter path 'a[17]'"));
  cet_error_clear();
  assert_true(cet_params_values(p)[500] == 500.0);
  assert_string_equal(cet_params_units(p, 3), "");
  cet_params_destroy(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_and_find),  cmocka_unit_test(test_add_errors),
      cmocka_unit_test(test_first_invalid), cmocka_unit_test(test_copy_and_closest),
      cmocka_unit_test(test_growth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
