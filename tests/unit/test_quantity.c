/*
 * test_quantity.c — unit tests of quantity.h: the scaling of money, masses
 * and energies at the prefix boundaries, negative values, NaN and
 * infinities, very large and very small values, unit strings with
 * negative exponents, shares as percentages, and the units of a rate
 * formed from units per tonne and a mass flow's units.
 */
#include "cetwin/quantity.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

enum { BUF = 64 };

static void expect_quantity(double x, const char *units, const char *want) {
  char buf[BUF];
  cet_format_quantity(x, units, buf, sizeof buf);
  assert_string_equal(buf, want);
}

static void test_prefix_boundaries(void **state) {
  (void)state;
  expect_quantity(999.9, "EUR", "999.9 EUR");
  expect_quantity(999.95, "EUR", "1 kEUR"); /* would print as 1000 EUR */
  expect_quantity(1000.0, "EUR", "1 kEUR");
  expect_quantity(73939500.0, "EUR", "73.94 MEUR");
  expect_quantity(999949.0, "t/a", "999.9 kt/a");
  expect_quantity(4357000.0, "t/a", "4.357 Mt/a");
  expect_quantity(1.10957e9, "kWh/a", "1.11 TWh/a");
  expect_quantity(17594.0, "kWh/day", "17.59 MWh/day");
  expect_quantity(1.2e3, "MWh", "1.2 GWh");
  expect_quantity(1.683e7, "GJ/a", "16.83 PJ/a"); /* exergy flows */
  expect_quantity(250.0, "GJ/day", "250 GJ/day");
  expect_quantity(775.8626, "kEUR/month", "775.9 kEUR/month");
  expect_quantity(2054.1, "kEUR/month", "2.054 MEUR/month");
}

static void test_negative_values(void **state) {
  (void)state;
  expect_quantity(-124567400.0, "EUR", "-124.6 MEUR");
  expect_quantity(-1230.0, "t CO2e", "-1.23 kt CO2e");
  expect_quantity(-4.04712e6, "t CO2e/a", "-4.047 Mt CO2e/a");
  expect_quantity(-0.5, "EUR", "-0.5 EUR");
}

static void test_nan_and_infinities(void **state) {
  (void)state;
  expect_quantity(NAN, "EUR", "-");
  expect_quantity(NAN, "1", "-");
  expect_quantity(INFINITY, "EUR", "inf EUR");
  expect_quantity(-INFINITY, "t/a", "-inf t/a");
  expect_quantity(INFINITY, "1", "inf");
}

static void test_very_large_and_small(void **state) {
  (void)state;
  expect_quantity(1e15, "EUR", "1 PEUR");
  expect_quantity(1e18, "EUR", "1000 PEUR"); /* no prefix beyond P */
  expect_quantity(1e21, "EUR", "1e+06 PEUR");
  expect_quantity(3.6e-4, "t CO2e/day", "0.00036 t CO2e/day"); /* not scaled down */
  expect_quantity(2.52862e-16, "1", "2.529e-16");
  expect_quantity(0.0, "EUR", "0 EUR");
}

static void test_units_as_printed(void **state) {
  (void)state;
  char buf[BUF];
  expect_quantity(4357000.0, "t a-1", "4.357 Mt/a");
  expect_quantity(4950.0, "kWh t-1", "4.95 MWh/t");
  expect_quantity(0.1523, "1", "0.1523");
  expect_quantity(0.1523, "", "0.1523");
  expect_quantity(12.0, "a", "12 a");
  expect_quantity(3.0, "Pa", "3 Pa"); /* a unit that is not scaled */
  cet_format_units("t CO2e a-1", buf, sizeof buf);
  assert_string_equal(buf, "t CO2e/a");
  cet_format_units("1", buf, sizeof buf);
  assert_string_equal(buf, "");
  cet_format_units("s-1", buf, sizeof buf); /* a leading inverse stays */
  assert_string_equal(buf, "s-1");
  cet_format_units("kWh t-1", buf, 4); /* truncated, terminated */
  assert_string_equal(buf, "kWh");
}

static void test_percentages_and_shares(void **state) {
  (void)state;
  char buf[BUF];
  cet_format_percent(0.782625, 0, buf, sizeof buf);
  assert_string_equal(buf, "78.26 %");
  cet_format_percent(-0.694, 1, buf, sizeof buf);
  assert_string_equal(buf, "-69.4 %");
  cet_format_percent(0.123, 1, buf, sizeof buf);
  assert_string_equal(buf, "+12.3 %");
  cet_format_percent(NAN, 1, buf, sizeof buf);
  assert_string_equal(buf, "-");
  assert_true(cet_units_dimensionless("1"));
  assert_false(cet_units_dimensionless("t t-1"));
  assert_false(cet_units_dimensionless("EUR"));
  assert_false(cet_units_dimensionless(NULL));
  cet_format_metric(1.2823, "1", 1, buf, sizeof buf);
  assert_string_equal(buf, "128.2 %");
  cet_format_metric(0.964427, "1", 1, buf, sizeof buf);
  assert_string_equal(buf, "96.44 %");
  cet_format_metric(2.0, "1", 0, buf, sizeof buf); /* a count, not a share */
  assert_string_equal(buf, "2");
  cet_format_metric(7.39548e7, "EUR", 0, buf, sizeof buf);
  assert_string_equal(buf, "73.95 MEUR");
  cet_format_metric(NAN, "1", 1, buf, sizeof buf);
  assert_string_equal(buf, "-");
}

static void expect_rate(const char *per_tonne, const char *flow, const char *want) {
  char buf[BUF];
  cet_quantity_rate_units(per_tonne, flow, buf, sizeof buf);
  assert_string_equal(buf, want);
}

static void test_rate_units(void **state) {
  (void)state;
  /* per tonne at a flow: the tonnes cancel, the flow's period stays */
  expect_rate("kWh/t", "t/a", "kWh/a");
  expect_rate("EUR/t", "t/month", "EUR/month");
  expect_rate("t CO2e/t", "t/day", "t CO2e/day");
  expect_rate("GJ/t", "t/h", "GJ/h");
  /* not per tonne: the product of the two */
  expect_rate("kWh", "t/a", "(kWh)*(t/a)");
  expect_rate("kWh/kt", "t/a", "(kWh/kt)*(t/a)"); /* ends in "t", not in "/t" */
  expect_rate("t", "t/a", "(t)*(t/a)");
  expect_rate("/t", "t/a", "(/t)*(t/a)"); /* nothing before the "/t" */
  /* flow units without a period */
  expect_rate("kWh/t", "t", "(kWh/t)*(t)");
  /* truncated to the buffer, terminated */
  char buf[6];
  cet_quantity_rate_units("t CO2e/t", "t/a", buf, sizeof buf);
  assert_string_equal(buf, "t CO2");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_prefix_boundaries),  cmocka_unit_test(test_negative_values),
      cmocka_unit_test(test_nan_and_infinities), cmocka_unit_test(test_very_large_and_small),
      cmocka_unit_test(test_units_as_printed),   cmocka_unit_test(test_percentages_and_shares),
      cmocka_unit_test(test_rate_units),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
