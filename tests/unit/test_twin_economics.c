/*
 * test_twin_economics.c — unit tests of the economics part of twin.h: the
 * economics stage gives the DCF of dcf.h for the parameter values it is
 * given (its own model per workspace, updated only when they change, and
 * back when they change back), drawn price paths replace the scenario's,
 * metric selection skips the IRR, the cash-flow table matches the metrics,
 * values that make no cash flow are runtime errors that leave the
 * workspace usable, a batch of price draws gives every draw the bits of
 * its own evaluation, and group totals left out for the NPV alone are
 * summed when wanted again; a workspace that refills only what changed
 * (numbers of the description, price paths) has the bits of a new one.
 */
#include "cetwin/case.h"
#include "cetwin/dcf.h"
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

/* Two series, one drawn (with a factor), one at its forecast; costs and
 * income in several groups, for batches of draws. */
static const char *const DRAWS_CASE =
    "name: d\n"
    "analysis: simulate\n"
    "economics:\n"
    "  horizon: 5\n"
    "  start_year: 2020\n"
    "  discount_rate: 0.08\n"
    "  phases: {run: {years: [1, 5]}}\n"
    "  flows: {ore: {phase: run, per_year: 10}, zinc: {phase: run, per_year: 3}}\n"
    "  lines:\n"
    "    plant: {group: CAPEX, kind: capex, amount: 1, unit_value: 700, renewal_year: 3}\n"
    "    power: {group: OPEX, flow: ore, unit_value: 2}\n"
    "    copper: {group: sales, direction: income, flow: ore, price: Cu}\n"
    "    zinc: {group: sales, direction: income, flow: zinc, price: Zn}\n"
    "    royalty: {group: OPEX, flow: zinc, price: Zn}\n"
    "prices:\n"
    "  Cu: {model: ar, phi: [0.5], sigma: 1, long_run_mean: 10, last_year: 2020, "
    "history: [10], factor: 1.1}\n"
    "  Zn: {model: ar, phi: [0.3], sigma: 2, long_run_mean: 7, last_year: 2020, "
    "history: [7]}\n";

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
    /* the first five headline, the discounted groups and years the cash flow */
    assert_int_equal(cet_test_metric_family(t, metrics[i]),
                     i < 5 ? CET_METRIC_FAMILY_HEADLINE : CET_METRIC_FAMILY_CASH_FLOW);
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
  assert_int_equal(cet_twin_cash_table_create(t, &tab), CET_OK);
  assert_int_equal(cet_twin_workspace_cash_table(w, tab), CET_OK);
  assert_true(fabs(tab->npv - all[npv]) < 1e-9 * fabs(all[npv]));
  for (size_t y = 0; y < tab->n_years; y++) {
    char name[32];
    snprintf(name, sizeof name, "cash.%zu", y);
    assert_true(fabs(tab->net_yearly[y] - all[cet_twin_metric_find(t, name)]) < 1e-9);
  }
  cet_twin_cash_table_destroy(&tab);
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
  assert_int_equal(cet_twin_cash_table_create(t, &tab), CET_OK);
  assert_int_equal(cet_twin_workspace_cash_table(none, tab), CET_ERR_INPUT);
  cet_test_expect_message("no successful evaluation", NULL);
  cet_twin_cash_table_destroy(&tab);
  assert_null(tab);
  cet_twin_cash_table_destroy(&tab); /* NULL-safe */
  cet_twin_workspace_destroy(&none);
  free(m);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_twin_workspace_destroy(&fresh);
}

/* Reads DRAWS_CASE (the caller destroys it). */
static cet_case *draws_case(void) {
  const char *path = cet_test_write("twin-draws.yaml", DRAWS_CASE);
  void *c = NULL;
  assert_int_equal(cet_test_read_case(path, NULL, 0, &c), CET_OK);
  return c;
}

enum { DRAWS = 21, DRAW_YEARS = 6 };

/* Paths of Cu for DRAWS draws, the draws innermost: year y of draw k at
 * path[y * ld + k]. */
static void fill_paths(double *path, size_t ld) {
  for (size_t k = 0; k < DRAWS; k++) {
    for (size_t y = 0; y < DRAW_YEARS; y++) {
      path[y * ld + k] = 5.0 + 0.37 * (double)((k * 7 + y * 3) % 11) + 1e-3 * (double)k;
    }
  }
}

/* The listed metrics of every draw equal those of the draw's own
 * evaluation, bit for bit, whether the draws go through the lanes (NPV,
 * groups, cost and income, cash) or one by one (IRR listed). */
static void test_draws_equal_single_evaluations(void **state) {
  (void)state;
  cet_case *c = draws_case();
  const cet_twin *t = c->twin;
  cet_twin_workspace *w = NULL, *one = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  assert_int_equal(cet_twin_workspace_create(t, &one), CET_OK);
  const size_t ld = DRAWS + 3, nm = cet_twin_metric_count(t);
  double path[DRAW_YEARS * (DRAWS + 3)];
  fill_paths(path, ld);
  const char *names[][8] = {
      {"npv"},
      {"cash.0", "dcf.sales", "npv", "cost_pv", "income_pv", "dcf.OPEX", "cash.4", "dcf.CAPEX"},
      {"payback", "npv", "irr"}};
  const size_t counts[] = {1, 7, 8, 9, 16, DRAWS};
  long cu = cet_twin_price_find(t, "Cu");
  cet_twin_workspace_draw_price(w, (size_t)cu, 1);
  cet_twin_workspace_draw_price(one, (size_t)cu, 1);
  double *all = calloc(nm, sizeof *all), out[DRAWS * 8];
  const double *p = cet_twin_parameter_defaults(t);
  for (size_t s = 0; s < 3; s++) {
    size_t metric[8], n = 0;
    for (; n < 8 && names[s][n]; n++) {
      long m = cet_twin_metric_find(t, names[s][n]);
      assert_true(m >= 0);
      metric[n] = (size_t)m;
    }
    assert_int_equal(cet_twin_workspace_select(w, metric, n), CET_OK);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
      size_t failed = 99;
      cet_twin_workspace_set_price_path(w, (size_t)cu, path, ld);
      assert_int_equal(
          cet_twin_evaluate_draws(t, p, w, s == 1, counts[i], 1, metric, n, out, &failed), CET_OK);
      for (size_t k = 0; k < counts[i]; k++) {
        cet_twin_workspace_set_price_path(one, (size_t)cu, path + k, ld);
        assert_int_equal(cet_twin_evaluate(t, p, one, all), CET_OK);
        for (size_t j = 0; j < n; j++) {
          assert_memory_equal(&out[k * n + j], &all[metric[j]], sizeof(double));
        }
      }
    }
  }
  /* the draws outermost (a table of draws): year y of draw k at
   * rows[k * DRAW_YEARS + y] */
  double rows[DRAWS * DRAW_YEARS];
  for (size_t k = 0; k < DRAWS; k++) {
    for (size_t y = 0; y < DRAW_YEARS; y++) {
      rows[k * DRAW_YEARS + y] = path[y * ld + k];
    }
  }
  size_t metric[2] = {(size_t)cet_twin_metric_find(t, "npv"),
                      (size_t)cet_twin_metric_find(t, "cost_pv")},
         failed = 0;
  double direct[DRAWS * 2];
  assert_int_equal(cet_twin_workspace_select(w, metric, 2), CET_OK);
  cet_twin_workspace_set_price_path(w, (size_t)cu, path, ld);
  assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, DRAWS, 1, metric, 2, direct, &failed),
                   CET_OK);
  cet_twin_workspace_set_price_path(w, (size_t)cu, rows, 1);
  assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, DRAWS, DRAW_YEARS, metric, 2, out, &failed),
                   CET_OK);
  assert_memory_equal(out, direct, sizeof direct);
  /* the paths are back at draw 0 afterwards */
  size_t npv = (size_t)cet_twin_metric_find(t, "npv");
  assert_int_equal(cet_twin_workspace_select(w, NULL, 0), CET_OK);
  assert_int_equal(cet_twin_evaluate(t, p, w, all), CET_OK);
  assert_memory_equal(&all[npv], &direct[0], sizeof(double));
  cet_twin_workspace_set_price_path(one, (size_t)cu, path, ld);
  assert_int_equal(cet_twin_evaluate_draws(t, p, one, 0, 1, 1, &npv, 1, out, &failed), CET_OK);
  assert_memory_equal(&out[0], &all[npv], sizeof(double));
  free(all);
  cet_twin_workspace_destroy(&w);
  cet_twin_workspace_destroy(&one);
  cet_case_destroy(&c);
}

/* The group totals are summed only when a metric wants them: after new
 * values evaluated for the NPV alone, the group metrics at the same values
 * (wanted again, or asked of a batch of draws whose selection leaves them
 * out) have the bits of a workspace that always summed them. */
static void test_group_totals_on_demand(void **state) {
  (void)state;
  cet_case *c = draws_case();
  const cet_twin *t = c->twin;
  cet_twin_workspace *w = NULL, *one = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  assert_int_equal(cet_twin_workspace_create(t, &one), CET_OK);
  const size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double *all = calloc(nm, sizeof *all), *fresh = calloc(nm, sizeof *fresh);
  double *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  const long capex = cet_twin_parameter_find(t, "economics.lines.plant.unit_value");
  const long rate = cet_twin_parameter_find(t, "economics.discount_rate");
  assert_true(capex >= 0 && rate >= 0);
  const char *names[] = {"npv", "cost_pv", "income_pv", "dcf.CAPEX", "dcf.OPEX", "dcf.sales"};
  size_t metric[6];
  for (size_t j = 0; j < 6; j++) {
    long m = cet_twin_metric_find(t, names[j]);
    assert_true(m >= 0);
    metric[j] = (size_t)m;
  }
  assert_int_equal(cet_twin_evaluate(t, p, w, all), CET_OK);
  for (int round = 0; round < 2; round++) {
    assert_int_equal(cet_twin_workspace_select(w, metric, 1), CET_OK); /* the NPV alone */
    p[capex] = 650.0 + 100.0 * round;
    p[rate] = 0.09 + 0.01 * round;
    assert_int_equal(cet_twin_evaluate(t, p, w, all), CET_OK);
    assert_int_equal(cet_twin_evaluate(t, p, one, fresh), CET_OK);
    assert_memory_equal(&all[metric[0]], &fresh[metric[0]], sizeof(double));
    if (round == 0) { /* the groups wanted again at the same values */
      assert_int_equal(cet_twin_workspace_select(w, NULL, 0), CET_OK);
      assert_int_equal(cet_twin_evaluate(t, p, w, all), CET_OK);
      for (size_t j = 0; j < 6; j++) {
        assert_memory_equal(&all[metric[j]], &fresh[metric[j]], sizeof(double));
      }
      continue;
    }
    /* draws asking for the groups of a workspace selected without them:
     * draw 0 follows the selection, the draws after it get the groups */
    enum { N = 9 };
    const size_t ld = DRAWS + 3;
    double path[DRAW_YEARS * (DRAWS + 3)], out[N * 6];
    fill_paths(path, ld);
    long cu = cet_twin_price_find(t, "Cu");
    cet_twin_workspace_draw_price(w, (size_t)cu, 1);
    cet_twin_workspace_draw_price(one, (size_t)cu, 1);
    cet_twin_workspace_set_price_path(w, (size_t)cu, path, ld);
    size_t failed = 99;
    assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, N, 1, metric, 6, out, &failed), CET_OK);
    for (size_t k = 1; k < N; k++) {
      cet_twin_workspace_set_price_path(one, (size_t)cu, path + k, ld);
      assert_int_equal(cet_twin_evaluate(t, p, one, fresh), CET_OK);
      for (size_t j = 0; j < 6; j++) {
        assert_memory_equal(&out[k * 6 + j], &fresh[metric[j]], sizeof(double));
      }
    }
  }
  free(all);
  free(fresh);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_twin_workspace_destroy(&one);
  cet_case_destroy(&c);
}

/* A workspace that follows a random walk over the parameters (one or two
 * changed at a time: line and flow numbers, the discount rate back and
 * forth between two values, a phase's last year, a price factor, now and
 * then a year that is not whole or an investment year after the renewal,
 * refused) has at every step the bits of a
 * new workspace in every metric: its update refills only the parts of the
 * description whose parameters changed. */
static void test_partial_refill_equals_new_workspace(void **state) {
  (void)state;
  cet_case *c = draws_case();
  const cet_twin *t = c->twin;
  enum { NS = 9, NV = 3 };
  const char *paths[NS] = {"economics.discount_rate",
                           "economics.lines.plant.unit_value",
                           "economics.lines.plant.renewal_year",
                           "economics.lines.power.unit_value",
                           "economics.flows.ore.per_year",
                           "economics.flows.zinc.per_year",
                           "economics.phases.run.years[1]",
                           "prices.Cu.factor",
                           "economics.lines.plant.year"};
  const double values[NS][NV] = {{0.08, 0.12, 0.08}, {700, 650, 800}, {3, 4, 2.5},
                                 {2, 2.5, 1},        {10, 12, 9},     {3, 2, 4},
                                 {5, 4, 3},          {1.1, 0.9, 1},   {0, 1, 4}};
  long slot[NS];
  for (size_t k = 0; k < NS; k++) {
    slot[k] = cet_twin_parameter_find(t, paths[k]);
    assert_true(slot[k] >= 0);
  }
  const size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  double *m = calloc(nm, sizeof *m), *fresh = calloc(nm, sizeof *fresh);
  double *p = malloc(np * sizeof *p);
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  cet_twin_workspace *w = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  unsigned long long s = 12345;
  int not_whole = 0, no_cash_flow = 0;
  for (int step = 0; step < 400; step++) {
    const int n = 1 + (int)(step % 2);
    for (int j = 0; j < n; j++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      const size_t k = (size_t)(s >> 33) % NS, v = (size_t)(s >> 40) % NV;
      p[slot[k]] = values[k][v];
    }
    cet_twin_workspace *one = NULL;
    assert_int_equal(cet_twin_workspace_create(t, &one), CET_OK);
    const int a = cet_twin_evaluate(t, p, w, m), b = cet_twin_evaluate(t, p, one, fresh);
    cet_twin_workspace_destroy(&one);
    assert_int_equal(a, b);
    if (a != CET_OK) { /* the renewal year 2.5, or the investment not before the renewal */
      assert_int_equal(a, CET_ERR_RUNTIME);
      not_whole += strstr(cet_error_message(), "whole number") != NULL;
      no_cash_flow += strstr(cet_error_message(), "no valid cash flow") != NULL;
      cet_error_clear();
      p[slot[2]] = values[2][0];
      p[slot[8]] = values[8][0];
      continue;
    }
    if (memcmp(m, fresh, nm * sizeof *m) != 0) {
      fail_msg("step %d: the metrics differ from a new workspace's", step);
    }
  }
  assert_true(not_whole > 0 && no_cash_flow > 0);
  free(m);
  free(fresh);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_case_destroy(&c);
}

/* A workspace whose price paths follow a random walk (driver arrays set,
 * set again unchanged or rewritten and set again, its own buffer written
 * through a pointer kept from the start, a series drawn and not, batches
 * of draws that move the paths and back, a price factor and the discount
 * rate changed) has at every step the bits of a new workspace given the
 * same paths: its prices are refilled whenever a path may have changed. */
static void test_price_walk_equals_new_workspace(void **state) {
  (void)state;
  cet_case *c = draws_case();
  const cet_twin *t = c->twin;
  const size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  const size_t cu = (size_t)cet_twin_price_find(t, "Cu"), zn = (size_t)cet_twin_price_find(t, "Zn");
  const long factor = cet_twin_parameter_find(t, "prices.Cu.factor"),
             rate = cet_twin_parameter_find(t, "economics.discount_rate");
  assert_true(factor >= 0 && rate >= 0);
  enum { LD = DRAWS + 3 };
  static double driver[2][DRAW_YEARS * LD];
  fill_paths(driver[0], LD);
  fill_paths(driver[1], LD);
  for (size_t i = 0; i < DRAW_YEARS * LD; i++) {
    driver[1][i] *= 1.25;
  }
  double *m = calloc(nm, sizeof *m), *fresh = calloc(nm, sizeof *fresh),
         *p = malloc(np * sizeof *p);
  double out[DRAWS * 3], own[2][DRAW_YEARS] = {{0}};
  memcpy(p, cet_twin_parameter_defaults(t), np * sizeof *p);
  cet_twin_workspace *w = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  double *buffer[2] = {cet_twin_workspace_price_path(w, cu), cet_twin_workspace_price_path(w, zn)};
  const size_t series[2] = {cu, zn};
  int drawn[2] = {0, 0}, src[2] = {-1, -1}; /* src: a driver array, -1 the own buffer */
  size_t first[2] = {0, 0}, batch_metric[2] = {(size_t)cet_twin_metric_find(t, "npv"),
                                               (size_t)cet_twin_metric_find(t, "irr")};
  unsigned long long s = 987654321;
  for (int step = 0; step < 600; step++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    const size_t k = (size_t)(s >> 40) % 2, r = (size_t)(s >> 20) % 11;
    const size_t draw = (size_t)(s >> 50) % 9; /* a batch reads 2 + r <= 12 draws on */
    switch ((s >> 33) % 8) {
    case 0: /* a driver array (perhaps the one already in use) */
      src[k] = (int)(r % 2);
      first[k] = draw;
      cet_twin_workspace_set_price_path(w, series[k], driver[src[k]] + draw, LD);
      break;
    case 1: /* a driver array rewritten and set again */
      for (size_t y = 0; y < DRAW_YEARS; y++) {
        driver[r % 2][y * LD + draw] += 0.5;
      }
      src[k] = (int)(r % 2);
      first[k] = draw;
      cet_twin_workspace_set_price_path(w, series[k], driver[src[k]] + draw, LD);
      break;
    case 2: /* the own buffer, written through the pointer kept */
      for (size_t y = 0; y < DRAW_YEARS; y++) {
        own[k][y] = buffer[k][y] = 3.0 + (double)((r + y) % 5);
      }
      if (r % 3 == 0) {
        src[k] = -1;
        cet_twin_workspace_set_price_path(w, series[k], NULL, 0);
      }
      break;
    case 3:
      drawn[k] = !drawn[k];
      cet_twin_workspace_draw_price(w, series[k], drawn[k]);
      break;
    case 4: /* a batch of draws moves the drawn paths and back */
      if (src[0] >= 0 && src[1] >= 0) {
        size_t failed = 0;
        assert_int_equal(cet_twin_workspace_select(w, batch_metric, 1 + r % 2), CET_OK);
        assert_int_equal(
            cet_twin_evaluate_draws(t, p, w, 0, 2 + r, 1, batch_metric, 1 + r % 2, out, &failed),
            CET_OK);
        assert_int_equal(cet_twin_workspace_select(w, NULL, 0), CET_OK);
      }
      break;
    case 5:
      p[factor] = r % 2 ? 1.1 : 0.9;
      break;
    case 6:
      p[rate] = r % 2 ? 0.08 : 0.1;
      break;
    default: /* nothing */
      break;
    }
    cet_twin_workspace *one = NULL;
    assert_int_equal(cet_twin_workspace_create(t, &one), CET_OK);
    for (size_t j = 0; j < 2; j++) {
      memcpy(cet_twin_workspace_price_path(one, series[j]), own[j], sizeof own[j]);
      if (src[j] >= 0) {
        cet_twin_workspace_set_price_path(one, series[j], driver[src[j]] + first[j], LD);
      }
      cet_twin_workspace_draw_price(one, series[j], drawn[j]);
    }
    assert_int_equal(cet_twin_evaluate(t, p, w, m), CET_OK);
    assert_int_equal(cet_twin_evaluate(t, p, one, fresh), CET_OK);
    cet_twin_workspace_destroy(&one);
    if (memcmp(m, fresh, nm * sizeof *m) != 0) {
      fail_msg("step %d: the metrics differ from a new workspace's", step);
    }
  }
  free(m);
  free(fresh);
  free(p);
  cet_twin_workspace_destroy(&w);
  cet_case_destroy(&c);
}

/* A draw with a non-finite price fails with the message of its own
 * evaluation and its position; a batch without paths set by the caller and
 * parameters out of range (check) are errors too. */
static void test_draws_errors(void **state) {
  (void)state;
  cet_case *c = draws_case();
  const cet_twin *t = c->twin;
  cet_twin_workspace *w = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  const size_t ld = DRAWS + 3;
  double path[DRAW_YEARS * (DRAWS + 3)], out[DRAWS];
  fill_paths(path, ld);
  path[2 * ld + 13] = INFINITY;
  size_t npv = (size_t)cet_twin_metric_find(t, "npv"), failed = 0;
  long cu = cet_twin_price_find(t, "Cu");
  const double *p = cet_twin_parameter_defaults(t);
  assert_int_equal(cet_twin_workspace_select(w, &npv, 1), CET_OK);
  cet_twin_workspace_draw_price(w, (size_t)cu, 1);
  cet_twin_workspace_set_price_path(w, (size_t)cu, path, ld);
  assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, DRAWS, 1, &npv, 1, out, &failed),
                   CET_ERR_RUNTIME);
  assert_int_equal(failed, 13);
  cet_test_expect_message("price 'Cu' in year 2 must be finite", NULL);
  /* the draws before it are fine on their own */
  assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, 13, 1, &npv, 1, out, &failed), CET_OK);
  /* the own buffer holds one path only */
  cet_twin_workspace_set_price_path(w, (size_t)cu, NULL, 0);
  assert_int_equal(cet_twin_evaluate_draws(t, p, w, 0, 2, 1, &npv, 1, out, &failed), CET_ERR_INPUT);
  cet_test_expect_message("price series Cu", "2 draws need their paths set by the caller", NULL);
  /* check = 1 checks the parameters first */
  size_t np = cet_twin_parameter_count(t);
  double *bad = malloc(np * sizeof *bad);
  memcpy(bad, p, np * sizeof *bad);
  bad[cet_twin_parameter_find(t, "prices.Cu.factor")] = -1.0;
  cet_twin_workspace_set_price_path(w, (size_t)cu, path, ld);
  assert_int_equal(cet_twin_evaluate_draws(t, bad, w, 1, 4, 1, &npv, 1, out, &failed),
                   CET_ERR_RUNTIME);
  assert_int_equal(failed, 0);
  cet_test_expect_message("prices.Cu.factor = -1", "outside its range", NULL);
  free(bad);
  cet_twin_workspace_destroy(&w);
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_updates_and_drawn_paths),
      cmocka_unit_test(test_selection_and_table),
      cmocka_unit_test(test_runtime_errors),
      cmocka_unit_test(test_draws_equal_single_evaluations),
      cmocka_unit_test(test_group_totals_on_demand),
      cmocka_unit_test(test_partial_refill_equals_new_workspace),
      cmocka_unit_test(test_price_walk_equals_new_workspace),
      cmocka_unit_test(test_draws_errors),
  };
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  MPI_Finalize();
  return failed;
}
