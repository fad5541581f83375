/*
 * test_dcf.c — unit tests of dcf.h: NPV, IRR and discounted payback of
 * textbook cash flows; every line kind (recurring on a phase or a flow,
 * price-driven with a payable fraction, spread, CAPEX with contingency,
 * renewals and liquidation) against hand computation; the fast evaluation
 * agrees with the full table; updates, and incremental updates (also
 * those told which parts changed) against new models bit for bit; every
 * error path.
 */
#include "cetwin/dcf.h"
#include "cetwin/error.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void close_to(double a, double b, double tol) {
  if (!(fabs(a - b) <= tol)) {
    fail_msg("%.15g differs from %.15g by more than %g", a, b, tol);
  }
}

/* Builds and evaluates a model; returns the result (fails the test on error). */
static cet_dcf_result run(const cet_dcf_description *d, const double *prices, size_t ld,
                          unsigned want) {
  cet_dcf *m = NULL;
  cet_dcf_workspace *ws = NULL;
  cet_dcf_result res;
  if (cet_dcf_create(&m, d, NULL) != CET_OK) {
    cet_error_print(stderr, 1);
    fail();
  }
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  assert_int_equal(cet_dcf_evaluate(m, prices, ld, want, ws, &res), CET_OK);
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&m);
  return res;
}

/* -100 in year 0, +30 in years 1..5 at 10 %. */
static cet_dcf_description textbook(cet_dcf_phase *phase, cet_dcf_line *lines) {
  *phase = (cet_dcf_phase){"operation", 1, 5};
  lines[0] = cet_dcf_line_init();
  lines[0].name = "plant";
  lines[0].group = "CAPEX";
  lines[0].kind = CET_DCF_CAPEX;
  lines[0].unit_value = 100.0;
  lines[1] = cet_dcf_line_init();
  lines[1].name = "sales";
  lines[1].group = "revenue";
  lines[1].direction = CET_DCF_INCOME;
  lines[1].phase = 0;
  lines[1].unit_value = 30.0;
  cet_dcf_description d = {0};
  d.horizon = 5;
  d.discount_rate = 0.10;
  d.n_phases = 1;
  d.phases = phase;
  d.n_lines = 2;
  d.lines = lines;
  return d;
}

static void test_textbook_npv_irr_payback(void **state) {
  (void)state;
  cet_dcf_phase phase;
  cet_dcf_line lines[2];
  cet_dcf_description d = textbook(&phase, lines);
  cet_dcf_result r = run(&d, NULL, 0, CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK);
  const double annuity = (1.0 - pow(1.1, -5)) / 0.1;
  close_to(r.npv, -100.0 + 30.0 * annuity, 1e-10);
  assert_true(r.irr_found);
  assert_int_equal(r.irr_roots, 1);
  /* the IRR zeroes the NPV: 30 (1 - (1+i)^-5) / i = 100 */
  close_to(30.0 * (1.0 - pow(1.0 + r.irr, -5)) / r.irr, 100.0, 1e-7);
  close_to(r.irr, 0.15238237, 1e-7);
  /* cumulative discounted cash after year 4 is -4.904...; year 5 adds 18.628 */
  double cum4 = -100.0 + 30.0 * (1.0 - pow(1.1, -4)) / 0.1;
  close_to(r.payback, 4.0 + (-cum4) / (30.0 * pow(1.1, -5)), 1e-12);
  assert_true(r.payback_found);
}

static void test_no_irr_and_never_paid_back(void **state) {
  (void)state;
  cet_dcf_phase phase;
  cet_dcf_line lines[2];
  cet_dcf_description d = textbook(&phase, lines);
  lines[1].direction = CET_DCF_COST; /* costs only: no sign change */
  cet_dcf_result r = run(&d, NULL, 0, CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK);
  assert_false(r.irr_found);
  assert_true(isnan(r.irr));
  assert_int_equal(r.irr_roots, 0);
  assert_false(r.payback_found);
  assert_true(isinf(r.payback));
  /* an NPV without the extras leaves them undefined */
  r = run(&d, NULL, 0, 0);
  assert_true(isnan(r.irr) && isnan(r.payback));
  /* income only: paid back at once, still no IRR */
  lines[0].unit_value = 0.0;
  lines[1].direction = CET_DCF_INCOME;
  r = run(&d, NULL, 0, CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK);
  assert_false(r.irr_found);
  assert_true(r.payback_found && r.payback == 0.0);
  /* the sign changes but no root lies in the searched range: -1, +0.001 */
  lines[0].unit_value = 1.0;
  lines[1].unit_value = 0.001;
  phase.last_year = 1;
  r = run(&d, NULL, 0, CET_DCF_WANT_IRR);
  assert_false(r.irr_found);
}

/* -1, +5, -6: NPV = -1 + 5v - 6v^2 vanishes at rates 100 % and 200 %. */
static void test_multiple_irr_reports_largest(void **state) {
  (void)state;
  cet_dcf_phase phases[2] = {{"a", 1, 1}, {"b", 2, 2}};
  cet_dcf_line l[3];
  for (int i = 0; i < 3; i++) {
    l[i] = cet_dcf_line_init();
    l[i].group = "g";
  }
  l[0].name = "invest";
  l[0].kind = CET_DCF_CAPEX;
  l[0].unit_value = 1.0;
  l[1].name = "gain";
  l[1].direction = CET_DCF_INCOME;
  l[1].phase = 0;
  l[1].unit_value = 5.0;
  l[2].name = "loss";
  l[2].phase = 1;
  l[2].unit_value = 6.0;
  cet_dcf_description d = {.horizon = 2,
                           .discount_rate = 0.0,
                           .n_phases = 2,
                           .phases = phases,
                           .n_lines = 3,
                           .lines = l};
  cet_dcf_result r = run(&d, NULL, 0, CET_DCF_WANT_IRR);
  assert_true(r.irr_found);
  assert_int_equal(r.irr_roots, 2);
  close_to(r.irr, 2.0, 1e-8);
}

/* A small mine: price-driven revenue on a recovered-mass flow with a
 * payable fraction, energy on a flow of hours, labour on a phase, residue
 * disposal per tonne, CAPEX with contingency, renewal and liquidation, and
 * rehabilitation spread over its phase. Checked year by year by hand. */
enum { H = 6, NP = 2 };

typedef struct {
  cet_dcf_phase phases[2];
  cet_dcf_flow flows[3];
  const char *prices[NP];
  cet_dcf_line lines[7];
  double hours_by_year[H + 1];
  cet_dcf_description d;
} mine;

static void build_mine(mine *c) {
  memset(c, 0, sizeof *c);
  c->phases[0] = (cet_dcf_phase){"operation", 1, 4};
  c->phases[1] = (cet_dcf_phase){"rehabilitation", 5, 6};
  c->flows[0] = (cet_dcf_flow){"ore", "t", 0, 1000.0, NULL};
  c->flows[1] = (cet_dcf_flow){"metal", "t", 0, 10.0, NULL};
  for (int t = 0; t <= H; t++) {
    c->hours_by_year[t] = 100.0 * t; /* ramping up */
  }
  c->flows[2] = (cet_dcf_flow){"hours", "h", 0, 0.0, c->hours_by_year};
  c->prices[0] = "metal";
  c->prices[1] = "diesel";
  cet_dcf_line *l = c->lines;
  for (int i = 0; i < 7; i++) {
    l[i] = cet_dcf_line_init();
  }
  l[0].name = "truck";
  l[0].group = "CAPEX";
  l[0].kind = CET_DCF_CAPEX;
  l[0].amount = 2.0;
  l[0].unit_value = 500.0;
  l[0].contingency = 0.3;
  l[0].renewal_year = 2;
  l[0].renewal_period = 2; /* renewed in years 2 and 4, not at the end of life */
  l[0].liquidation = 0.1;
  l[0].liquidation_year = 6;
  l[1].name = "sales";
  l[1].group = "revenue";
  l[1].direction = CET_DCF_INCOME;
  l[1].flow = 1;
  l[1].price = 0;
  l[1].payable = 0.65;
  l[2].name = "diesel";
  l[2].group = "energy";
  l[2].flow = 2;
  l[2].amount = 20.0; /* l/h */
  l[2].price = 1;
  l[3].name = "drivers";
  l[3].group = "OPEX";
  l[3].phase = 0;
  l[3].amount = 3.0;
  l[3].unit_value = 60.0;
  l[4].name = "disposal";
  l[4].group = "residue";
  l[4].flow = 0;
  l[4].unit_value = 0.04;
  l[5].name = "reclamation";
  l[5].group = "rehabilitation";
  l[5].kind = CET_DCF_SPREAD;
  l[5].phase = 1;
  l[5].amount = 4000.0;
  l[5].unit_value = 0.5;
  l[5].contingency = 0.3;
  l[6].name = "processing";
  l[6].group = "OPEX";
  l[6].flow = 0;
  l[6].phase = 0;
  l[6].unit_value = 0.2;
  c->d.horizon = H;
  c->d.discount_rate = 0.15;
  c->d.n_phases = 2;
  c->d.phases = c->phases;
  c->d.n_flows = 3;
  c->d.flows = c->flows;
  c->d.n_prices = NP;
  c->d.price_names = c->prices;
  c->d.n_lines = 7;
  c->d.lines = c->lines;
}

static void mine_prices(double *p, size_t ld) {
  for (int t = 0; t <= H; t++) {
    p[0 * ld + t] = 1000.0 + 50.0 * t; /* metal, EUR/t */
    p[1 * ld + t] = 1.2 + 0.01 * t;    /* diesel, EUR/l */
  }
}

static void expected_mine_cash(const double *p, size_t ld, double *cash) {
  const double truck = 1.3 * 2 * 500.0;
  for (int t = 0; t <= H; t++) {
    double c = 0.0;
    if (t == 0 || t == 2 || t == 4) {
      c -= truck;
    }
    if (t >= 1 && t <= 4) {
      c += 10.0 * p[0 * ld + t] * 0.65;
      c -= 20.0 * 100.0 * t * p[1 * ld + t];
      c -= 3 * 60.0;
      c -= 1000.0 * 0.04;
      c -= 1000.0 * 0.2;
    }
    if (t >= 5) {
      c -= 1.3 * 4000.0 * 0.5 / 2.0;
    }
    if (t == 6) {
      c += 0.1 * truck;
    }
    cash[t] = c;
  }
}

static void test_mine_lines_by_hand(void **state) {
  (void)state;
  mine c;
  build_mine(&c);
  const size_t ld = H + 3; /* a leading dimension larger than the horizon */
  double p[NP * (H + 3)];
  mine_prices(p, ld);
  double cash[H + 1];
  expected_mine_cash(p, ld, cash);
  double npv = 0.0;
  for (int t = 0; t <= H; t++) {
    npv += cash[t] * pow(1.15, -t);
  }
  cet_dcf *m = NULL;
  cet_dcf_workspace *ws = NULL;
  assert_int_equal(cet_dcf_create(&m, &c.d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  cet_dcf_result r;
  assert_int_equal(cet_dcf_evaluate(m, p, ld, CET_DCF_WANT_GROUPS, ws, &r), CET_OK);
  close_to(r.npv, npv, 1e-9 * fabs(npv) + 1e-9);
  const double *got = cet_dcf_workspace_cash_flow(ws);
  for (int t = 0; t <= H; t++) {
    close_to(got[t], cash[t], 1e-9);
  }
  /* names and groups */
  assert_int_equal(cet_dcf_horizon(m), H);
  assert_true(cet_dcf_discount_rate(m) == 0.15);
  assert_int_equal(cet_dcf_n_prices(m), NP);
  assert_int_equal(cet_dcf_price_index(m, "diesel"), 1);
  assert_int_equal(cet_dcf_price_index(m, "gold"), -1);
  assert_int_equal(cet_dcf_n_rows(m), 8); /* 7 lines + the truck's liquidation */
  assert_string_equal(cet_dcf_row_name(m, 1), "truck liquidation");
  assert_null(cet_dcf_row_name(m, 8));
  long g = cet_dcf_group_index(m, "asset liquidation");
  assert_true(g >= 0);
  assert_int_equal(cet_dcf_row_group(m, 1), (size_t)g);
  assert_string_equal(cet_dcf_group_name(m, 0), "CAPEX");
  assert_null(cet_dcf_group_name(m, 99));
  assert_int_equal(cet_dcf_n_groups(m), 7);

  /* the table agrees with the fast path, row by row and in total */
  cet_dcf_table *tab = NULL;
  assert_int_equal(cet_dcf_table_create(m, &tab), CET_OK);
  assert_int_equal(cet_dcf_table_fill(m, p, ld, tab), CET_OK);
  close_to(tab->npv, r.npv, 1e-9 * fabs(npv));
  const double *groups = cet_dcf_workspace_groups(ws);
  double sum = 0.0;
  for (size_t k = 0; k < tab->n_groups; k++) {
    close_to(tab->group_discounted[k], groups[k], 1e-9);
    sum += groups[k];
  }
  close_to(sum, r.npv, 1e-9);
  close_to(tab->row_discounted[1], 0.1 * 1300.0 * pow(1.15, -6), 1e-9);
  for (int t = 0; t <= H; t++) {
    close_to(tab->net_yearly[t], cash[t], 1e-9);
    close_to(tab->discount_factor[t], pow(1.15, -t), 1e-15);
  }
  close_to(tab->cumulative_discounted[H], npv, 1e-9);
  assert_string_equal(tab->row_name[0], "truck");
  assert_string_equal(tab->group_name[tab->row_group[2]], "revenue");
  cet_dcf_table_destroy(&tab);
  assert_null(tab);
  cet_dcf_table_destroy(&tab);
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&m);
  cet_dcf_destroy(&m);
  assert_null(m);
}

static void test_update_matches_new_model(void **state) {
  (void)state;
  mine c;
  build_mine(&c);
  double p[NP * (H + 1)];
  mine_prices(p, H + 1);
  cet_dcf *m = NULL;
  cet_dcf_workspace *ws = NULL;
  assert_int_equal(cet_dcf_create(&m, &c.d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  c.d.discount_rate = 0.08;
  c.lines[4].unit_value = 0.084;
  c.phases[1].first_year = 6;
  assert_int_equal(cet_dcf_update(m, &c.d), CET_OK);
  cet_dcf_result updated, fresh;
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, CET_DCF_WANT_IRR, ws, &updated), CET_OK);
  fresh = run(&c.d, p, H + 1, CET_DCF_WANT_IRR);
  assert_true(updated.npv == fresh.npv);
  assert_true(updated.irr == fresh.irr);
  /* a change of shape is refused and leaves the model as it was */
  c.lines[1].price = 1;
  cet_error_clear();
  assert_int_equal(cet_dcf_update(m, &c.d), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "'sales'"));
  c.lines[1].price = 0;
  c.d.horizon = H - 1;
  cet_error_clear();
  assert_int_equal(cet_dcf_update(m, &c.d), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "shape"));
  c.d.horizon = H;
  c.d.discount_rate = -2.0; /* same shape, invalid number */
  cet_error_clear();
  assert_int_equal(cet_dcf_update(m, &c.d), CET_ERR_INPUT);
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, 0, ws, &updated), CET_OK);
  assert_true(updated.npv == fresh.npv);
  cet_error_clear();
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&m);
}

/* Checks every lane of a cet_dcf_evaluate_lanes result against
 * cet_dcf_evaluate of the lane's own prices (set q at one[q]), bit for
 * bit: NPV, group totals and cash flow. */
static void expect_lanes(const cet_dcf *m, cet_dcf_workspace *ws, const double *npv,
                         const double *groups, const double *cash, double one[][NP * (H + 1)]) {
  const size_t ng = cet_dcf_n_groups(m);
  for (size_t q = 0; q < CET_DCF_LANES; q++) {
    cet_dcf_result r;
    assert_int_equal(cet_dcf_evaluate(m, one[q], H + 1, CET_DCF_WANT_GROUPS, ws, &r), CET_OK);
    assert_memory_equal(&npv[q], &r.npv, sizeof(double));
    const double *g = cet_dcf_workspace_groups(ws), *flow = cet_dcf_workspace_cash_flow(ws);
    for (size_t k = 0; k < ng; k++) {
      assert_memory_equal(&groups[k * CET_DCF_LANES + q], &g[k], sizeof(double));
    }
    for (size_t t = 0; t <= H; t++) {
      assert_memory_equal(&cash[t * CET_DCF_LANES + q], &flow[t], sizeof(double));
    }
  }
}

/* cet_dcf_evaluate_lanes gives every lane the bits of cet_dcf_evaluate of
 * its own prices, wherever the sets lie (side by side, one set after the
 * other, one path for all), with a factor; the searches and missing output
 * arrays are refused. */
static void test_lanes_equal_single_evaluations(void **state) {
  (void)state;
  enum { L = CET_DCF_LANES, N = NP * (H + 1) };
  mine c;
  build_mine(&c);
  cet_dcf *m = NULL;
  cet_dcf_workspace *ws = NULL;
  assert_int_equal(cet_dcf_create(&m, &c.d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  assert_true(cet_dcf_n_groups(m) <= 8);
  double side[N * L], one[L][N], scaled[L][N];
  for (size_t q = 0; q < L; q++) {
    mine_prices(one[q], H + 1);
    for (size_t i = 0; i < N; i++) {
      one[q][i] *= 1.0 + 0.0137 * (double)q - 1e-3 * (double)(i % 5);
      side[i * L + q] = one[q][i];
    }
  }
  double npv[L], groups[8 * L], cash[(H + 1) * L];
  /* the sets side by side: year t of series c at side[(c * (H + 1) + t) * L] */
  cet_dcf_lane_prices by_side[NP], by_set[NP], same[NP];
  for (size_t k = 0; k < NP; k++) {
    by_side[k] = (cet_dcf_lane_prices){side + k * (H + 1) * L, L, 1, 1.0};
    by_set[k] = (cet_dcf_lane_prices){&one[0][k * (H + 1)], 1, N, 1.0};
    same[k] = (cet_dcf_lane_prices){&one[3][k * (H + 1)], 1, 0, 1.0};
  }
  assert_int_equal(cet_dcf_evaluate_lanes(m, by_side, CET_DCF_WANT_GROUPS, npv, groups, cash),
                   CET_OK);
  expect_lanes(m, ws, npv, groups, cash, one);
  assert_int_equal(cet_dcf_evaluate_lanes(m, by_set, CET_DCF_WANT_GROUPS, npv, groups, cash),
                   CET_OK);
  expect_lanes(m, ws, npv, groups, cash, one);
  /* a factor on the metal price: the factor times each price */
  by_set[0].factor = 1.25;
  for (size_t q = 0; q < L; q++) {
    for (size_t i = 0; i < N; i++) {
      scaled[q][i] = i < H + 1 ? 1.25 * one[q][i] : one[q][i];
    }
  }
  assert_int_equal(cet_dcf_evaluate_lanes(m, by_set, CET_DCF_WANT_GROUPS, npv, groups, cash),
                   CET_OK);
  expect_lanes(m, ws, npv, groups, cash, scaled);
  /* one path in every lane */
  for (size_t q = 0; q < L; q++) {
    memcpy(scaled[q], one[3], sizeof one[3]);
  }
  assert_int_equal(cet_dcf_evaluate_lanes(m, same, CET_DCF_WANT_GROUPS, npv, groups, cash), CET_OK);
  expect_lanes(m, ws, npv, groups, cash, scaled);
  /* the NPV alone: the same bits */
  double alone[L];
  assert_int_equal(cet_dcf_evaluate_lanes(m, same, CET_DCF_NO_CASH, alone, NULL, NULL), CET_OK);
  assert_memory_equal(alone, npv, sizeof npv);
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate_lanes(m, same, CET_DCF_WANT_IRR, npv, groups, cash),
                   CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "one price set at a time"));
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate_lanes(m, same, CET_DCF_WANT_GROUPS, npv, NULL, cash),
                   CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "group totals wanted"));
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate_lanes(m, same, 0, npv, groups, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "cash flow wanted"));
  cet_error_clear();
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&m);
}

static void test_evaluation_errors(void **state) {
  (void)state;
  mine c;
  build_mine(&c);
  double p[NP * (H + 1)];
  mine_prices(p, H + 1);
  cet_dcf *m = NULL, *other = NULL;
  cet_dcf_workspace *ws = NULL, *ws_other = NULL;
  cet_dcf_table *tab = NULL;
  cet_dcf_result r;
  assert_int_equal(cet_dcf_create(&m, &c.d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  assert_int_equal(cet_dcf_table_create(m, &tab), CET_OK);
  p[1 * (H + 1) + 3] = NAN;
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, 0, ws, &r), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "price 'diesel' in year 3"));
  cet_error_clear();
  assert_int_equal(cet_dcf_table_fill(m, p, H + 1, tab), CET_ERR_INPUT);
  p[1 * (H + 1) + 3] = 1.0;
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate(m, NULL, 0, 0, ws, &r), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "leading dimension"));
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate(m, p, H, 0, ws, &r), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_dcf_table_fill(m, p, H, tab), CET_ERR_INPUT);
  /* workspace or table of another shape */
  cet_dcf_phase phase;
  cet_dcf_line lines[2];
  cet_dcf_description d = textbook(&phase, lines);
  assert_int_equal(cet_dcf_create(&other, &d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(other, &ws_other), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, 0, ws_other, &r), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "workspace"));
  cet_error_clear();
  assert_int_equal(cet_dcf_table_fill(other, NULL, 0, tab), CET_ERR_INPUT);
  cet_error_clear();
  cet_dcf_table_destroy(&tab);
  cet_dcf_workspace_destroy(&ws_other);
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&other);
  cet_dcf_destroy(&m);
}

/* Expects cet_dcf_create to refuse c's description with a message holding
 * fragment, then rebuilds c. */
static void refuse(mine *c, const cet_dcf_parameters *params, const char *fragment) {
  static char sentinel;
  cet_dcf *m = (cet_dcf *)(void *)&sentinel;
  cet_error_clear();
  assert_int_equal(cet_dcf_create(&m, &c->d, params), CET_ERR_INPUT);
  assert_null(m);
  if (strstr(cet_error_message(), fragment) == NULL) {
    fail_msg("message '%s' lacks '%s'", cet_error_message(), fragment);
  }
  cet_error_clear();
  build_mine(c);
}

static void test_description_errors(void **state) {
  (void)state;
  mine c;
  build_mine(&c);
  c.d.horizon = -1;
  refuse(&c, NULL, "horizon");
  c.d.discount_rate = -1.0;
  refuse(&c, NULL, "discount rate");
  c.d.phases = NULL;
  refuse(&c, NULL, "phases missing");
  c.d.flows = NULL;
  refuse(&c, NULL, "flows missing");
  c.d.lines = NULL;
  refuse(&c, NULL, "lines missing");
  c.phases[1].name = "operation";
  refuse(&c, NULL, "phase 'operation' is defined twice");
  c.phases[0].name = "";
  refuse(&c, NULL, "phase 1 has no name");
  c.phases[1].last_year = H + 1;
  refuse(&c, NULL, "phase 'rehabilitation' must satisfy");
  c.flows[0].phase = 5;
  refuse(&c, NULL, "flow 'ore' refers to phase 5");
  c.flows[0].per_year = INFINITY;
  refuse(&c, NULL, "flow 'ore' per_year");
  c.hours_by_year[2] = NAN;
  refuse(&c, NULL, "flow 'hours' value in year 2");
  c.flows[2].name = "ore";
  refuse(&c, NULL, "flow 'ore' is defined twice");
  c.d.price_names = NULL;
  refuse(&c, NULL, "without names");
  c.prices[1] = "metal";
  refuse(&c, NULL, "price series 'metal' is defined twice");
  c.lines[2].name = NULL;
  refuse(&c, NULL, "line 3 has no name");
  c.lines[2].name = "truck";
  refuse(&c, NULL, "line 'truck' is defined twice");
  c.lines[2].group = "";
  refuse(&c, NULL, "line 'diesel' has no group");
  c.lines[2].direction = (cet_dcf_direction)5;
  refuse(&c, NULL, "direction");
  c.lines[2].amount = NAN;
  refuse(&c, NULL, "amount must be finite");
  c.lines[3].unit_value = INFINITY;
  refuse(&c, NULL, "unit_value must be finite");
  c.lines[1].payable = 1.5;
  refuse(&c, NULL, "payable fraction");
  c.lines[3].contingency = -0.1;
  refuse(&c, NULL, "contingency must be");
  c.lines[1].contingency = 0.1;
  refuse(&c, NULL, "contingency applies to costs only");
  c.lines[1].price = 2;
  refuse(&c, NULL, "refers to price series 2");
  c.lines[1].flow = -2;
  refuse(&c, NULL, "refers to flow -2");
  c.lines[3].phase = 2;
  refuse(&c, NULL, "refers to phase 2");
  c.lines[3].phase = -1;
  refuse(&c, NULL, "needs a phase or a flow");
  c.lines[5].phase = -1;
  refuse(&c, NULL, "refers to phase -1");
  c.lines[5].price = 0;
  refuse(&c, NULL, "spread line 'reclamation'");
  c.lines[3].kind = (cet_dcf_line_kind)9;
  refuse(&c, NULL, "unknown kind");
  c.lines[0].direction = CET_DCF_INCOME;
  c.lines[0].contingency = 0.0;
  refuse(&c, NULL, "must be a cost");
  c.lines[0].flow = 0;
  refuse(&c, NULL, "CAPEX line 'truck' takes a fixed unit_value");
  c.lines[0].year = H + 1;
  refuse(&c, NULL, "year must lie in");
  c.lines[0].renewal_year = 0 - 1;
  refuse(&c, NULL, "renewal_year");
  c.lines[0].renewal_period = -1;
  refuse(&c, NULL, "renewal_period");
  c.lines[0].liquidation = 1.1;
  refuse(&c, NULL, "liquidation must lie");
  c.lines[0].liquidation_year = H + 2;
  refuse(&c, NULL, "liquidation_year");
  c.lines[3].name = "truck liquidation";
  refuse(&c, NULL, "duplicate name 'truck liquidation'");
  cet_dcf_parameters p = cet_dcf_default_parameters();
  p.irr_min = -1.0;
  refuse(&c, &p, "irr_min");
  p = cet_dcf_default_parameters();
  p.irr_max = -0.999;
  refuse(&c, &p, "irr_max");
  p = cet_dcf_default_parameters();
  p.irr_grid = 1;
  refuse(&c, &p, "irr_grid");
  p = cet_dcf_default_parameters();
  p.irr_tolerance = 0.0;
  refuse(&c, &p, "irr_tolerance");
  p = cet_dcf_default_parameters();
  p.irr_max_iter = 0;
  refuse(&c, &p, "irr_max_iter");
}

/* CET_DCF_NO_CASH gives the same NPV bits without the cash flow; a CAPEX
 * line with liquidation_row keeps its credit row at liquidation 0, so that
 * an update may give it a value. */
static void test_no_cash_and_liquidation_row(void **state) {
  (void)state;
  cet_dcf_phase phase = {"run", 1, 3};
  cet_dcf_line lines[2];
  lines[0] = cet_dcf_line_init();
  lines[0].name = "plant";
  lines[0].group = "CAPEX";
  lines[0].kind = CET_DCF_CAPEX;
  lines[0].unit_value = 100.0;
  lines[0].liquidation_row = 1;
  lines[1] = cet_dcf_line_init();
  lines[1].name = "sales";
  lines[1].group = "sales";
  lines[1].direction = CET_DCF_INCOME;
  lines[1].phase = 0;
  lines[1].price = 0;
  const char *names[] = {"Cu"};
  cet_dcf_description d = {3, 0.1, 1, &phase, 0, NULL, 1, names, 2, lines};
  cet_dcf *m = NULL;
  cet_dcf_workspace *ws = NULL;
  assert_int_equal(cet_dcf_create(&m, &d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  assert_int_equal(cet_dcf_n_rows(m), 3); /* plant, plant liquidation, sales */
  double prices[4] = {0, 50, 60, 70};
  cet_dcf_result a, b;
  assert_int_equal(cet_dcf_evaluate(m, prices, 4, 0, ws, &a), CET_OK);
  assert_int_equal(cet_dcf_evaluate(m, prices, 4, CET_DCF_NO_CASH, ws, &b), CET_OK);
  assert_memory_equal(&a.npv, &b.npv, sizeof a.npv);
  /* with IRR the cash flow is computed anyway */
  assert_int_equal(cet_dcf_evaluate(m, prices, 4, CET_DCF_NO_CASH | CET_DCF_WANT_IRR, ws, &b),
                   CET_OK);
  assert_true(b.irr_found);
  lines[0].liquidation = 0.5;
  assert_int_equal(cet_dcf_update(m, &d), CET_OK);
  assert_int_equal(cet_dcf_evaluate(m, prices, 4, 0, ws, &b), CET_OK);
  assert_true(fabs((b.npv - a.npv) - 50.0 * pow(1.1, -3)) < 1e-12);
  /* without the flag the row depends on the value: the shape changes */
  lines[0].liquidation_row = 0;
  lines[0].liquidation = 0.0;
  assert_int_equal(cet_dcf_update(m, &d), CET_ERR_INPUT);
  cet_error_clear();
  cet_dcf_workspace_destroy(&ws);
  cet_dcf_destroy(&m);
}

/* ---- incremental updates ---- */

/* A small deterministic generator (xorshift64*) for the random changes. */
static double uniform(unsigned long long *state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return (double)((*state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}

static int pick(unsigned long long *state, int n) { return (int)(uniform(state) * n); }

/* Changes one number of the mine, valid unless invalid is 1 (then a
 * payable fraction above 1). */
static void change_mine(mine *c, unsigned long long *s, int invalid) {
  cet_dcf_line *l = &c->lines[pick(s, 7)];
  if (invalid) {
    l->payable = 1.5;
    return;
  }
  switch (pick(s, 12)) {
  case 0:
    c->d.discount_rate = 0.02 + 0.2 * uniform(s);
    break;
  case 1:
    l->amount *= 0.5 + uniform(s);
    break;
  case 2:
    l->unit_value *= 0.5 + uniform(s);
    break;
  case 3:
    l->payable = uniform(s);
    break;
  case 4:
    l->contingency = l->direction == CET_DCF_COST ? 0.5 * uniform(s) : 0.0;
    break;
  case 5:
    c->lines[0].liquidation = pick(s, 3) == 0 ? 0.0 : uniform(s);
    break;
  case 6: { /* the truck's years, valid together */
    cet_dcf_line *truck = &c->lines[0];
    truck->year = pick(s, 2);
    truck->renewal_year = pick(s, 2) ? 0 : truck->year + 1 + pick(s, H - truck->year);
    truck->renewal_period = pick(s, 4);
    truck->liquidation_year = pick(s, 3) == 0 ? -1 : truck->year + pick(s, H - truck->year + 1);
    break;
  }
  case 7: {
    cet_dcf_phase *ph = &c->phases[pick(s, 2)];
    ph->first_year = pick(s, 4);
    ph->last_year = ph->first_year + pick(s, H - ph->first_year + 1);
    break;
  }
  case 8:
    c->flows[pick(s, 2)].per_year *= 0.5 + uniform(s);
    break;
  case 9:
    c->hours_by_year[pick(s, H + 1)] = 200.0 * uniform(s);
    break;
  case 10: /* the hours between a yearly table and a constant */
    c->flows[2].by_year = c->flows[2].by_year != NULL ? NULL : c->hours_by_year;
    c->flows[2].per_year = 50.0 * uniform(s);
    break;
  default:
    c->flows[pick(s, 3)].phase = pick(s, 2);
    break;
  }
}

/* Fails unless a and b hold the same n doubles, bit for bit. */
static void same_bits(const double *a, const double *b, size_t n, const char *what, int step) {
  if (memcmp(a, b, n * sizeof *a) != 0) {
    fail_msg("step %d: %s differ", step, what);
  }
}

/* The updated model m gives what a model made from d gives, bit for bit:
 * NPV, IRR, payback, yearly cash, group totals, the eight price sets of
 * the lanes, and the whole cash-flow table. */
static void same_as_new_model(const cet_dcf *m, const cet_dcf_description *d, const double *p,
                              int step, int with_groups) {
  const unsigned want =
      CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK | (with_groups ? CET_DCF_WANT_GROUPS : 0u);
  cet_dcf *fresh = NULL;
  cet_dcf_workspace *wa = NULL, *wb = NULL;
  cet_dcf_table *ta = NULL, *tb = NULL;
  assert_int_equal(cet_dcf_create(&fresh, d, NULL), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(m, &wa), CET_OK);
  assert_int_equal(cet_dcf_workspace_create(fresh, &wb), CET_OK);
  cet_dcf_result ra, rb;
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, want, wa, &ra), CET_OK);
  assert_int_equal(cet_dcf_evaluate(fresh, p, H + 1, want, wb, &rb), CET_OK);
  const double a[] = {ra.npv, ra.irr, ra.payback}, b[] = {rb.npv, rb.irr, rb.payback};
  same_bits(a, b, 3, "NPV, IRR or payback", step);
  same_bits(cet_dcf_workspace_cash_flow(wa), cet_dcf_workspace_cash_flow(wb), H + 1, "cash", step);
  const size_t ng = cet_dcf_n_groups(m);
  if (with_groups) {
    same_bits(cet_dcf_workspace_groups(wa), cet_dcf_workspace_groups(wb), ng, "groups", step);
  }
  cet_dcf_lane_prices series[NP];
  double npv[2][CET_DCF_LANES], groups[2][7 * CET_DCF_LANES], cash[2][(H + 1) * CET_DCF_LANES];
  for (size_t c = 0; c < NP; c++) {
    series[c] = (cet_dcf_lane_prices){p + c * (H + 1), 1, 0, 1.0 + 0.1 * (double)c};
  }
  const unsigned lane_want = with_groups ? CET_DCF_WANT_GROUPS : 0u;
  assert_int_equal(cet_dcf_evaluate_lanes(m, series, lane_want, npv[0], groups[0], cash[0]),
                   CET_OK);
  assert_int_equal(cet_dcf_evaluate_lanes(fresh, series, lane_want, npv[1], groups[1], cash[1]),
                   CET_OK);
  same_bits(npv[0], npv[1], CET_DCF_LANES, "lane NPVs", step);
  if (with_groups) {
    same_bits(groups[0], groups[1], ng * CET_DCF_LANES, "lane groups", step);
  }
  same_bits(cash[0], cash[1], (H + 1) * CET_DCF_LANES, "lane cash", step);
  assert_int_equal(cet_dcf_table_create(m, &ta), CET_OK);
  assert_int_equal(cet_dcf_table_create(fresh, &tb), CET_OK);
  assert_int_equal(cet_dcf_table_fill(m, p, H + 1, ta), CET_OK);
  assert_int_equal(cet_dcf_table_fill(fresh, p, H + 1, tb), CET_OK);
  same_bits(ta->row_yearly, tb->row_yearly, ta->n_rows * (H + 1), "table rows", step);
  same_bits(ta->discount_factor, tb->discount_factor, H + 1, "discount factors", step);
  same_bits(&ta->npv, &tb->npv, 1, "table NPV", step);
  cet_dcf_table_destroy(&ta);
  cet_dcf_table_destroy(&tb);
  cet_dcf_workspace_destroy(&wa);
  cet_dcf_workspace_destroy(&wb);
  cet_dcf_destroy(&fresh);
}

/* The group totals of m, left out by its last update, are refused. */
static void refuse_groups(const cet_dcf *m, const double *p) {
  cet_dcf_workspace *ws = NULL;
  assert_int_equal(cet_dcf_workspace_create(m, &ws), CET_OK);
  cet_dcf_result r;
  cet_error_clear();
  assert_int_equal(cet_dcf_evaluate(m, p, H + 1, CET_DCF_WANT_GROUPS, ws, &r), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "left them out"));
  cet_dcf_lane_prices series[NP];
  double npv[CET_DCF_LANES], groups[7 * CET_DCF_LANES];
  for (size_t c = 0; c < NP; c++) {
    series[c] = (cet_dcf_lane_prices){p + c * (H + 1), 1, 0, 1.0};
  }
  cet_error_clear();
  assert_int_equal(
      cet_dcf_evaluate_lanes(m, series, CET_DCF_WANT_GROUPS | CET_DCF_NO_CASH, npv, groups, NULL),
      CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "left them out"));
  cet_error_clear();
  cet_dcf_workspace_destroy(&ws);
}

/* The mine with a liquidation row (so that the liquidation may become 0)
 * and its model. */
static cet_dcf *mine_model(mine *c) {
  build_mine(c);
  c->lines[0].liquidation_row = 1;
  cet_dcf *m = NULL;
  assert_int_equal(cet_dcf_create(&m, &c->d, NULL), CET_OK);
  return m;
}

/* Up to three random changes of c (none now and then); 1 when they made
 * it invalid. */
static int change_mine_randomly(mine *c, unsigned long long *s) {
  const int invalid = pick(s, 10) == 0, n = pick(s, 4);
  for (int k = 0; k < n; k++) {
    change_mine(c, s, invalid);
  }
  return invalid && n > 0;
}

/* Random sequences of changes (one to three numbers, phase years, a flow's
 * yearly table or phase, the discount rate, now and then nothing or an
 * invalid number, which is refused and leaves the model as it was), the
 * updates with or without the group totals: after every update the model
 * gives the bits of a model made anew, the group totals once an update
 * has summed them (refused before). */
static void test_incremental_update_equals_new_model(void **state) {
  (void)state;
  unsigned long long s = 0x9e3779b97f4a7c15ull;
  double p[NP * (H + 1)];
  mine_prices(p, H + 1);
  for (int run = 0; run < 20; run++) {
    mine c, before;
    cet_dcf *m = mine_model(&c);
    for (int step = 0; step < 100; step++) {
      before = c; /* its pointers into c's arrays, and so are c's after c = before */
      const int invalid = change_mine_randomly(&c, &s);
      cet_error_clear();
      const unsigned want = pick(&s, 3) == 0 ? CET_DCF_WANT_GROUPS : 0u;
      if (invalid) {
        assert_int_equal(cet_dcf_update_want(m, &c.d, want), CET_ERR_INPUT);
        assert_non_null(strstr(cet_error_message(), "payable"));
        c = before;
      } else if (cet_dcf_update_want(m, &c.d, want) != CET_OK) {
        fail_msg("step %d: %s", run * 100 + step, cet_error_message());
      }
      same_as_new_model(m, &c.d, p, run * 100 + step, cet_dcf_has_groups(m));
      if (!cet_dcf_has_groups(m)) { /* left out: refused until an update sums them */
        refuse_groups(m, p);
        if (pick(&s, 2) == 0) {
          assert_int_equal(cet_dcf_update_want(m, &c.d, CET_DCF_WANT_GROUPS), CET_OK);
          assert_true(cet_dcf_has_groups(m));
          same_as_new_model(m, &c.d, p, run * 100 + step, 1);
        }
      }
    }
    cet_dcf_destroy(&m);
  }
  cet_error_clear();
}

/* The bytes of cet_dcf_update_marked: 1 for each phase, flow and line of
 * c that differs from before (a flow with a yearly table always: its
 * array is shared), and now and then for one that does not (a candidate
 * that kept its numbers is allowed). */
static void mark_changed(const mine *c, const mine *before, unsigned long long *s,
                         unsigned char *maybe) {
  size_t k = 0;
  for (size_t i = 0; i < 2; i++, k++) {
    maybe[k] = c->phases[i].first_year != before->phases[i].first_year ||
               c->phases[i].last_year != before->phases[i].last_year || pick(s, 8) == 0;
  }
  for (size_t i = 0; i < 3; i++, k++) {
    const cet_dcf_flow *f = &c->flows[i], *b = &before->flows[i];
    maybe[k] = f->phase != b->phase || f->per_year != b->per_year || f->by_year != b->by_year ||
               f->by_year != NULL || pick(s, 8) == 0;
  }
  for (size_t i = 0; i < 7; i++, k++) {
    maybe[k] = memcmp(&c->lines[i], &before->lines[i], sizeof c->lines[i]) != 0 || pick(s, 8) == 0;
  }
}

/* cet_dcf_update_marked told which parts may have changed (and the
 * discount rate now and then back to one of two rates, whose factors the
 * model keeps): after every update the bits of a model made anew, as the
 * unmarked update gives them; an invalid number of a marked line is
 * refused and leaves the model as it was. */
static void test_marked_update_equals_new_model(void **state) {
  (void)state;
  unsigned long long s = 0x2545f4914f6cdd1dull;
  double p[NP * (H + 1)];
  mine_prices(p, H + 1);
  const double rates[2] = {0.07, 0.13};
  for (int run = 0; run < 10; run++) {
    mine c, before;
    cet_dcf *m = mine_model(&c);
    for (int step = 0; step < 100; step++) {
      before = c;
      const int invalid = change_mine_randomly(&c, &s);
      if (pick(&s, 2) == 0) {
        c.d.discount_rate = rates[pick(&s, 2)];
      }
      unsigned char maybe[2 + 3 + 7];
      mark_changed(&c, &before, &s, maybe);
      cet_error_clear();
      const unsigned want = pick(&s, 3) == 0 ? CET_DCF_WANT_GROUPS : 0u;
      if (invalid) {
        assert_int_equal(cet_dcf_update_marked(m, &c.d, want, maybe), CET_ERR_INPUT);
        assert_non_null(strstr(cet_error_message(), "payable"));
        c = before;
      } else if (cet_dcf_update_marked(m, &c.d, want, maybe) != CET_OK) {
        fail_msg("step %d: %s", run * 100 + step, cet_error_message());
      }
      same_as_new_model(m, &c.d, p, run * 100 + step, cet_dcf_has_groups(m));
    }
    cet_dcf_destroy(&m);
  }
  cet_error_clear();
}

int main(void) {
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_textbook_npv_irr_payback),
      cmocka_unit_test(test_no_irr_and_never_paid_back),
      cmocka_unit_test(test_multiple_irr_reports_largest),
      cmocka_unit_test(test_mine_lines_by_hand),
      cmocka_unit_test(test_update_matches_new_model),
      cmocka_unit_test(test_incremental_update_equals_new_model),
      cmocka_unit_test(test_marked_update_equals_new_model),
      cmocka_unit_test(test_lanes_equal_single_evaluations),
      cmocka_unit_test(test_evaluation_errors),
      cmocka_unit_test(test_description_errors),
      cmocka_unit_test(test_no_cash_and_liquidation_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
