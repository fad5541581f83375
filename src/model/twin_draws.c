/*
 * twin_draws.c — a batch of price draws evaluated at one set of parameter
 * values (cet_twin_evaluate_draws in twin.h), as a Monte Carlo over prices
 * or a robust optimisation's design makes them.
 *
 * The first draw is evaluated in full (every stage; the economics stage
 * brings its cash-flow model up to date). Prices enter the economics stage
 * only, so the other draws share everything else: their price paths go
 * CET_DCF_LANES at a time into the lanes of cet_dcf_evaluate_lanes, which
 * gives each the bits of its own evaluation. Metrics of the earlier stages
 * are those of the first draw. The IRR and the payback are root and
 * crossing searches per cash flow; when one is listed, each further draw
 * runs the economics stage on its own (a twin without economics: every
 * draw in full).
 */
#include "twin_econ_impl.h"

#include "cetwin/error.h"

#include <math.h>

/* What a metric of the economics stage is, for the lanes. */
typedef enum {
  KIND_SHARED, /* the same for every draw (earlier stages) */
  KIND_NPV,
  KIND_SEARCH, /* IRR or payback */
  KIND_COST,
  KIND_INCOME,
  KIND_GROUP,
  KIND_CASH
} metric_kind;

static metric_kind kind_of(const econ_data *d, size_t m, size_t *which) {
  *which = 0;
  if (m == d->m_npv) {
    return KIND_NPV;
  }
  if (m == d->m_irr || m == d->m_payback) {
    return KIND_SEARCH;
  }
  if (m == d->m_cost || m == d->m_income) {
    return m == d->m_cost ? KIND_COST : KIND_INCOME;
  }
  for (size_t g = 0; g < d->n_groups; g++) {
    if (m == d->m_group[g]) {
      *which = g;
      return KIND_GROUP;
    }
  }
  for (size_t y = 0; y < d->ny; y++) {
    if (m == d->m_cash[y]) {
      *which = y;
      return KIND_CASH;
    }
  }
  return KIND_SHARED;
}

/* Points every drawn series at its path of draw k. */
static void move_paths(const econ_data *d, econ_ws *ws, size_t k, size_t step) {
  for (size_t c = 0; c < d->n_prices; c++) {
    if (ws->is_drawn[c]) {
      ws->path[c] = ws->base[c] + k * step;
    }
  }
  ws->paths_changed = 1;
  ws->paths_version++;
}

static void copy_metrics(const cet_twin_workspace *w, const size_t *metric, size_t n, double *row) {
  for (size_t j = 0; j < n; j++) {
    row[j] = w->all[metric[j]];
  }
}

/* One draw in full, its listed metrics into row. */
static int evaluate_one(const cet_twin *t, const double *params, cet_twin_workspace *w, int check,
                        const size_t *metric, size_t n, double *row) {
  if (check) {
    CET_CALL(cet_twin_evaluate(t, params, w, w->all));
  } else {
    CET_CALL(cet_twin_evaluate_prechecked(t, params, w, w->all));
  }
  copy_metrics(w, metric, n, row);
  return CET_OK;
}

/* A further draw: only the economics stage runs again (the earlier stages'
 * results in w are those of the first draw, which it shares), its listed
 * metrics into row. */
static int evaluate_economics(const cet_twin *t, const double *params, cet_twin_workspace *w,
                              const size_t *metric, size_t n, double *row) {
  const cet_twin_stage *s = &t->stage[t->economics_stage];
  CET_CALL(s->evaluate(t, s->data, params, w, w->all));
  copy_metrics(w, metric, n, row);
  return CET_OK;
}

/* The cash-flow outputs the listed metrics need (CET_DCF_WANT_* mask); 0
 * when one of them needs a search (no lanes then). */
static int lanes_want(const econ_data *d, const size_t *metric, size_t n, unsigned *want) {
  *want = CET_DCF_NO_CASH;
  for (size_t j = 0; j < n; j++) {
    size_t which;
    switch (kind_of(d, metric[j], &which)) {
    case KIND_SEARCH:
      return 0;
    case KIND_COST:
    case KIND_INCOME:
    case KIND_GROUP:
      *want |= CET_DCF_WANT_GROUPS;
      break;
    case KIND_CASH:
      *want &= ~(unsigned)CET_DCF_NO_CASH;
      break;
    case KIND_SHARED:
    case KIND_NPV:
      break;
    }
  }
  return 1;
}

/* Metric m of lane q of the last cet_dcf_evaluate_lanes. */
static double lane_value(const econ_data *d, const econ_ws *ws, const double *shared, size_t m,
                         size_t q) {
  size_t which;
  double cost, income;
  switch (kind_of(d, m, &which)) {
  case KIND_NPV:
    return ws->lane_npv[q];
  case KIND_COST:
  case KIND_INCOME:
    cet_twin_econ_cost_income(ws->lane_groups + q, d->n_groups, CET_DCF_LANES, &cost, &income);
    return m == d->m_cost ? cost : income;
  case KIND_GROUP:
    return ws->lane_groups[which * CET_DCF_LANES + q];
  case KIND_CASH:
    return ws->lane_cash[which * CET_DCF_LANES + q];
  case KIND_SEARCH:
  case KIND_SHARED:
    break;
  }
  return shared[m];
}

/* Where the sets of the draws k0 .. k0 + m - 1 (m <= CET_DCF_LANES) lie:
 * in place when all lanes hold a draw; otherwise the m draws are copied
 * into the lanes, the last one repeated in the lanes past it. Series not
 * drawn are the same in every lane. */
static void locate_lanes(const econ_data *d, econ_ws *ws, const double *params, size_t k0, size_t m,
                         size_t step) {
  const size_t ny = d->ny, L = CET_DCF_LANES;
  for (size_t c = 0; c < d->n_prices; c++) {
    cet_dcf_lane_prices *s = &ws->lane_series[c];
    if (!ws->is_drawn[c]) {
      *s = (cet_dcf_lane_prices){ws->prices + c * ny, 1, 0, 1.0};
      continue;
    }
    s->factor = cet_twin_econ_price_factor(d, params, c);
    if (m == L) {
      s->first = ws->base[c] + k0 * step;
      s->year_step = ws->path_stride[c];
      s->lane_step = step;
      continue;
    }
    double *copy = ws->lane_prices + c * ny * L;
    for (size_t y = 0; y < ny; y++) {
      const double *year = ws->base[c] + y * ws->path_stride[c];
      for (size_t q = 0; q < L; q++) {
        copy[y * L + q] = year[(k0 + (q < m ? q : m - 1)) * step];
      }
    }
    s->first = copy;
    s->year_step = L;
    s->lane_step = 1;
  }
}

/* Draws first .. count - 1 (first >= 1, after draw 0 was evaluated in full
 * with the paths at ws->base) through the lanes. */
static int lanes_batch(const cet_twin *t, const double *params, cet_twin_workspace *w,
                       unsigned want, size_t first, size_t count, size_t step, const size_t *metric,
                       size_t n, double *out, size_t *failed) {
  const econ_data *d = cet_twin_econ_of(t);
  econ_ws *ws = cet_twin_econ_ws_of(w);
  for (size_t k0 = first; k0 < count; k0 += CET_DCF_LANES) {
    const size_t m = count - k0 < CET_DCF_LANES ? count - k0 : CET_DCF_LANES;
    locate_lanes(d, ws, params, k0, m, step);
    *failed = k0;
    CET_CALL(cet_dcf_evaluate_lanes(ws->dcf, ws->lane_series, want, ws->lane_npv, ws->lane_groups,
                                    ws->lane_cash));
    for (size_t q = 0; q < m; q++) {
      double *row = out + (k0 + q) * n;
      if (!isfinite(ws->lane_npv[q])) { /* the draw's own evaluation names the problem */
        *failed = k0 + q;
        move_paths(d, ws, k0 + q, step);
        CET_CALL(evaluate_economics(t, params, w, metric, n, row));
        continue;
      }
      for (size_t j = 0; j < n; j++) {
        row[j] = lane_value(d, ws, w->all, metric[j], q);
      }
    }
  }
  return CET_OK;
}

int cet_twin_evaluate_draws(const cet_twin *t, const double *params, cet_twin_workspace *w,
                            int check, size_t count, size_t draw_step, const size_t *metric,
                            size_t n, double *out, size_t *failed) {
  *failed = 0;
  CET_CHECK(w->twin == t, CET_ERR_RUNTIME, "the workspace was made for another twin");
  const econ_data *d = cet_twin_econ_of(t);
  econ_ws *ws = cet_twin_econ_ws_of(w);
  if (count <= 1) { /* one draw (a sensitivity point): its paths stay where they were set */
    return count == 1 ? evaluate_one(t, params, w, check, metric, n, out) : CET_OK;
  }
  for (size_t c = 0; d && c < d->n_prices; c++) {
    CET_CHECK(!ws->is_drawn[c] || count == 1 || ws->path[c] != ws->drawn + c * d->ny, CET_ERR_INPUT,
              "price series %s: %zu draws need their paths set by the caller", d->prices[c].name,
              count);
    ws->base[c] = ws->path[c];
  }
  int status = CET_OK;
  unsigned want = 0;
  CET_CALL_GOTO(status, done, evaluate_one(t, params, w, check, metric, n, out));
  if (count > 1 && d && lanes_want(d, metric, n, &want)) {
    if (want & CET_DCF_WANT_GROUPS) { /* the full evaluation may not have wanted them */
      CET_CALL_GOTO(status, done, cet_twin_econ_model_groups(ws));
    }
    CET_CALL_GOTO(status, done,
                  lanes_batch(t, params, w, want, 1, count, draw_step, metric, n, out, failed));
  } else {
    for (size_t k = 1; k < count; k++) {
      *failed = k;
      if (d) {
        move_paths(d, ws, k, draw_step);
        CET_CALL_GOTO(status, done, evaluate_economics(t, params, w, metric, n, out + k * n));
      } else {
        CET_CALL_GOTO(status, done, evaluate_one(t, params, w, 0, metric, n, out + k * n));
      }
    }
  }
done:
  if (d) {
    move_paths(d, ws, 0, draw_step);
  }
  return status;
}
