/*
 * test_unfc.c — unit tests of unfc.h: parsing and formatting round-trip,
 * the order of ratings, the lowest-rating rule with unrated factors, the
 * NPV thresholds of factors (14) and (15), and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/unfc.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static cet_unfc_rating parse(const char *text) {
  cet_unfc_rating r;
  if (cet_unfc_parse(text, &r) != CET_OK) {
    fail_msg("'%s': %s", text, cet_error_message());
  }
  return r;
}

static void test_parse_format_round_trip(void **state) {
  (void)state;
  const char *texts[] = {"E3.1a", "E3.3d", "E1c", "E2a", "E3b",  "F1",
                         "F3",    "G2",    "G4",  "-",   "F1.2", "E1"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    cet_unfc_rating r = parse(texts[i]);
    char buf[16];
    cet_unfc_format(&r, buf, sizeof buf);
    assert_string_equal(buf, texts[i]);
  }
  cet_unfc_rating r = parse("E3.2c");
  assert_true(r.axis == 'E' && r.category == 3 && r.sub == 2 && r.aspect == 'c');
  assert_true(cet_unfc_is_unrated(&(cet_unfc_rating){0}));
  assert_false(cet_unfc_is_unrated(&r));
}

static void test_order(void **state) {
  (void)state;
  const char *best_to_worst[] = {"E1a", "E2a", "E3a", "E3.1a", "E3.2a", "E3.3a"};
  for (int i = 0; i < 6; i++) {
    for (int j = 0; j < 6; j++) {
      cet_unfc_rating a = parse(best_to_worst[i]), b = parse(best_to_worst[j]);
      int c = cet_unfc_compare(&a, &b);
      assert_true((i < j && c < 0) || (i == j && c == 0) || (i > j && c > 0));
    }
  }
}

static void test_lowest_rating_rule(void **state) {
  (void)state;
  cet_unfc_rating r[4] = {parse("E3.1a"), parse("-"), parse("E3.3a"), parse("E1a")}, out;
  assert_int_equal(cet_unfc_combine(r, 4, &out), CET_OK);
  char buf[16];
  cet_unfc_format(&out, buf, sizeof buf);
  assert_string_equal(buf, "E3.3a");
  cet_unfc_rating none[2] = {parse("-"), parse("-")};
  assert_int_equal(cet_unfc_combine(none, 2, &out), CET_OK);
  assert_true(cet_unfc_is_unrated(&out));
  assert_int_equal(cet_unfc_combine(none, 0, &out), CET_OK);
  assert_true(cet_unfc_is_unrated(&out));
  cet_unfc_rating mixed[2] = {parse("E3.1a"), parse("E3.1b")};
  cet_error_clear();
  assert_int_equal(cet_unfc_combine(mixed, 2, &out), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "cannot combine E3.1a with E3.1b"));
  cet_unfc_rating axes[2] = {parse("F2"), parse("G2")};
  cet_error_clear();
  assert_int_equal(cet_unfc_combine(axes, 2, &out), CET_ERR_INPUT);
  cet_error_clear();
}

static void test_npv_thresholds(void **state) {
  (void)state;
  cet_unfc_parameters p = cet_unfc_default_parameters();
  assert_true(p.neutral_fraction == 0.05 && p.neutral_absolute == 0.0);
  const double cost = 100e6; /* band: 5 MEUR */
  const struct {
    double npv;
    int sub;
  } cases[] = {{5.01e6, 1}, {5e6, 2}, {0.0, 2}, {-5e6, 2}, {-5.01e6, 3}, {-124.6e6, 3}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cet_unfc_rating v, u;
    assert_int_equal(cet_unfc_rate_viability(cases[i].npv, cost, NULL, &v), CET_OK);
    assert_int_equal(cet_unfc_rate_uncertainty(cases[i].npv, cost, &p, &u), CET_OK);
    assert_true(v.axis == 'E' && v.category == 3 && v.aspect == 'a');
    assert_int_equal(v.sub, cases[i].sub);
    assert_int_equal(u.sub, cases[i].sub);
  }
  /* an absolute band wins when it is wider */
  p.neutral_absolute = 10e6;
  cet_unfc_rating v;
  assert_int_equal(cet_unfc_rate_viability(8e6, cost, &p, &v), CET_OK);
  assert_int_equal(v.sub, 2);
  /* no band: only exactly zero is neutral */
  p.neutral_absolute = 0.0;
  p.neutral_fraction = 0.0;
  assert_int_equal(cet_unfc_rate_viability(1.0, cost, &p, &v), CET_OK);
  assert_int_equal(v.sub, 1);
}

static void expect(int status, const char *fragment) {
  assert_int_equal(status, CET_ERR_INPUT);
  if (strstr(cet_error_message(), fragment) == NULL) {
    fail_msg("message '%s' lacks '%s'", cet_error_message(), fragment);
  }
  cet_error_clear();
}

static void test_errors(void **state) {
  (void)state;
  cet_unfc_rating r;
  cet_error_clear();
  expect(cet_unfc_parse(NULL, &r), "expected text");
  expect(cet_unfc_parse("X2", &r), "expected E, F or G first");
  expect(cet_unfc_parse("E5a", &r), "category 1..4");
  expect(cet_unfc_parse("E3.4a", &r), "subcategory 1..3");
  expect(cet_unfc_parse("E3.1e", &r), "unexpected 'e'");
  expect(cet_unfc_parse("F2a", &r), "unexpected 'a'");
  expect(cet_unfc_parse("E.3.1a", &r), "category");
  expect(cet_unfc_parse("", &r), "expected E, F or G");
  cet_unfc_parameters p = cet_unfc_default_parameters();
  expect(cet_unfc_rate_viability(NAN, 1.0, &p, &r), "finite NPV");
  expect(cet_unfc_rate_uncertainty(1.0, -1.0, &p, &r), "present value of the costs");
  p.neutral_fraction = -0.1;
  expect(cet_unfc_rate_viability(1.0, 1.0, &p, &r), "neutral_fraction");
  p.neutral_fraction = 0.05;
  p.neutral_absolute = INFINITY;
  expect(cet_unfc_rate_uncertainty(1.0, 1.0, &p, &r), "neutral_absolute");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_format_round_trip),
      cmocka_unit_test(test_order),
      cmocka_unit_test(test_lowest_rating_rule),
      cmocka_unit_test(test_npv_thresholds),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
