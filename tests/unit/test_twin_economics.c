/*
 * test_twin_economics.c — unit tests of the economics part of twin.h: the
 * economics stage gives the DCF of dcf.h for the parameter values it is
 * given (its own model per workspace, updated only when they change, and
 * back when they change back), drawn price paths replace the scenario's,
 * metric selection skips the IRR, the cash-flow table matches the metrics,
 * and values that make no cash flow are runtime errors that leave the
 * workspace usable.
 */
#include "cetwin/case.h"
#include "cetwin/dcf.h"
#include "cetwin/error.h"
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
#include <cmocka.h>

static const char *const CASE =
    "name: t\n"
    "analysis: simulate\n"
    "economics:\n"
    "  horizon: 3\n"
    "  start_year: 2020\n"
    "  discount_rate: 0.1\n"
    "  phases: {run: {years: [1, 3]}}\n"
    "  flows: {ore: {phase: run, per_year: 10}}\n"
    "  lines:\n"
    "    plant: {group: CAPEX, kind: capex, amount: 1, unit_value: 100, "
    "renewal_year: 2}\n"
    "    sales: {group: sales, direction: income, flow: ore, price: "
    "Cu}\n"
    "prices:\n"
    "  Cu: {model: ar, phi: [0.5], sigma: 1, long_run_mean: 10, "
    "last_year: 2020, history: [10]}\n";

static cet_case *kase;

static int setup(void **state) {
  (void)state;
  const char *path = cet_test_write("twin-econ.yaml", CASE);
  void *c = NULL;
  if (cet_test_read_case(path, NULL, 0, &c) != CET_OK) {
    cet_error_print(stderr, 1);
    return -1;
  }
  kase = c;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cet_case_destroy(&kase);
  return 0;
}

static double disc(int t) { return pow(1.1, -t); }

/* NPV by hand: -100 in year 0 and 2, 10 t x price in years 1..3. */
static double npv_by_hand(double capex, const double *price) {
  double v = -capex - capex * disc(2);
  for (int t = 1; t <= 3; t++) {
    v += 10.0 * price[t] * disc(t);
  }
  return v;
}

static void test_accessors(void **state) {
  (void)state;
  const cet_twin *t = kase->twin;
  assert_true(cet_twin_has_economics(t));
  assert_int_equal(cet_twin_year_count(t), 4);
  assert_int_equal(cet_twin_start_year(t), 2020);
  assert_int_equal(cet_twin_price_count(t), 1);
  assert_string_equal(cet_twin_price_name(t, 0), "Cu");
  assert_int_equal(cet_twin_price_find(t, "Cu"), 0);
  assert_int_equal(cet_twin_price_find(t, "Zn"), -1);
  assert_true(cet_twin_price_correlation(t, 0, 0) == 1.0);
  assert_int_equal(cet_twin_unit_count(t), 0);
  const char *metrics[] = {"npv",       "irr",       "payback", "cost_pv", "income_pv",
                           "dcf.CAPEX", "dcf.sales", "cash.0",  "cash.3"};
  for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
    assert_true(cet_twin_metric_find(t, metrics[i]) >= 0);
  }
}

static void test_updates_and_drawn_paths(void **state) {
  (void)state;
  const cet_twin *t = kase->twin;
  cet_twin_workspace *w = NULL, *w2 = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  assert_int_equal(cet_twin_workspace_create(t, &w2), CET_OK);
  size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double *m = calloc(nm, sizeof *m), *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  long npv = cet_twin_metric_find(t, "npv");
  long capex = cet_twin_parameter_find(t, "economics.lines.plant.unit_value");
  const double mean[4] = {10, 10, 10, 10};
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(100, mean)) < 1e-12 * 1000);
  double base = m[npv];
  /* another value of a non-price parameter updates the model ... */
  p[capex] = 200;
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(200, mean)) < 1e-12 * 1000);
  /* ... and back gives the same bits as before */
  p[capex] = 100;
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_memory_equal(&m[npv], &base, sizeof base);
  /* a drawn path replaces the forecast; the other workspace is untouched */
  const double path[4] = {10, 20, 5, 40};
  memcpy(cet_twin_workspace_price_path(w, 0), path, sizeof path);
  cet_twin_workspace_draw_price(w, 0, 1);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(100, path)) < 1e-12 * 1000);
  assert_true(cet_twin_workspace_prices(w)[2] == 5.0);
  assert_int_equal(cet_twin_evaluate(t, p, w2, m), CET_OK);
  assert_memory_equal(&m[npv], &base, sizeof base);
  /* a borrowed path, then back to the buffer */
  const double other[4] = {0, 1, 1, 1};
  cet_twin_workspace_set_price_path(w, 0, other, 1);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(100, other)) < 1e-12 * 1000);
  /* read with a stride, as from a batch of draws */
  const double strided[8] = {0, -9, 1, -9, 1, -9, 1, -9};
  cet_twin_workspace_set_price_path(w, 0, strided, 2);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(100, other)) < 1e-12 * 1000);
  cet_twin_workspace_set_price_path(w, 0, NULL, 0);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_true(fabs(m[npv] - npv_by_hand(100, path)) < 1e-12 * 1000);
  /* back to the forecast */
  cet_twin_workspace_draw_price(w, 0, 0);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  assert_memory_equal(&m[npv], &base, sizeof base);
  free(m);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_twin_workspace_destroy(&w2);
}

static void test_selection_and_table(void **state) {
  (void)state;
  const cet_twin *t = kase->twin;
  cet_twin_workspace *w = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  size_t nm = cet_twin_metric_count(t);
  double *all = calloc(nm, sizeof *all), *some = calloc(nm, sizeof *some);
  const double *p = cet_twin_parameter_defaults(t);
  assert_int_equal(cet_twin_evaluate(t, p, w, all), CET_OK);
  size_t npv = (size_t)cet_twin_metric_find(t, "npv"), irr = (size_t)cet_twin_metric_find(t, "irr");
  assert_true(isfinite(all[irr]));
  for (size_t i = 0; i < nm; i++) {
    some[i] = -7.0;
  }
  assert_int_equal(cet_twin_workspace_select(w, &npv, 1), CET_OK);
  assert_int_equal(cet_twin_evaluate(t, p, w, some), CET_OK);
  assert_memory_equal(&some[npv], &all[npv], sizeof(double)); /* the same bits */
  assert_true(some[irr] == -7.0 || isnan(some[irr]));         /* not computed */
  size_t bad = nm;
  assert_int_equal(cet_twin_workspace_select(w, &bad, 1), CET_ERR_INPUT);
  cet_test_expect_message("metric index", "out of range", NULL);
  assert_int_equal(cet_twin_workspace_select(w, NULL, 0), CET_OK);
  assert_int_equal(cet_twin_evaluate(t, p, w, some), CET_OK);
  assert_memory_equal(&some[irr], &all[irr], sizeof(double));
  /* the table adds up to the metrics */
  cet_dcf_table *tab = NULL;
  assert_int_equal(cet_twin_cash_table_alloc(t, &tab), CET_OK);
  assert_int_equal(cet_twin_workspace_cash_table(w, tab), CET_OK);
  assert_true(fabs(tab->npv - all[npv]) < 1e-9 * fabs(all[npv]));
  for (size_t y = 0; y < tab->n_years; y++) {
    char name[32];
    snprintf(name, sizeof name, "cash.%zu", y);
    assert_true(fabs(tab->net_yearly[y] - all[cet_twin_metric_find(t, name)]) < 1e-9);
  }
  cet_dcf_table_free(&tab);
  free(all);
  free(some);
  cet_twin_workspace_destroy(&w);
}

static void test_runtime_errors(void **state) {
  (void)state;
  const cet_twin *t = kase->twin;
  cet_twin_workspace *w = NULL, *fresh = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double *m = calloc(nm, sizeof *m), *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  long year = cet_twin_parameter_find(t, "economics.lines.plant.renewal_year");
  p[year] = 1.5;
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_ERR_RUNTIME);
  cet_test_expect_message("economics.lines.plant.renewal_year = 1.5", "whole number", NULL);
  p[year] = 0; /* in range, but a renewal must come after the investment year 0 */
  long invest = cet_twin_parameter_find(t, "economics.lines.plant.year");
  p[invest] = 2;
  p[year] = 1;
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_ERR_RUNTIME);
  cet_test_expect_message("no valid cash flow", "renewal_year", NULL);
  double nan_path[4] = {10, NAN, 10, 10};
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  memcpy(cet_twin_workspace_price_path(w, 0), nan_path, sizeof nan_path);
  cet_twin_workspace_draw_price(w, 0, 1);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_ERR_RUNTIME);
  cet_test_expect_message("price 'Cu' in year 1 must be finite", NULL);
  /* the workspace still works */
  cet_twin_workspace_draw_price(w, 0, 0);
  assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
  double ok = m[cet_twin_metric_find(t, "npv")];
  assert_int_equal(cet_twin_workspace_create(t, &fresh), CET_OK);
  assert_int_equal(cet_twin_evaluate(t, p, fresh, m), CET_OK);
  assert_memory_equal(&ok, &m[cet_twin_metric_find(t, "npv")], sizeof ok);
  cet_dcf_table *tab = NULL;
  cet_twin_workspace *none = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &none), CET_OK);
  assert_int_equal(cet_twin_cash_table_alloc(t, &tab), CET_OK);
  assert_int_equal(cet_twin_workspace_cash_table(none, tab), CET_ERR_INPUT);
  cet_test_expect_message("no successful evaluation", NULL);
  cet_dcf_table_free(&tab);
  cet_twin_workspace_destroy(&none);
  free(m);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_twin_workspace_destroy(&fresh);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_updates_and_drawn_paths),
      cmocka_unit_test(test_selection_and_table),
      cmocka_unit_test(test_runtime_errors),
  };
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  MPI_Finalize();
  return failed;
}
