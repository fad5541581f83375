/*
 * dcf_eval.c — evaluation of a DCF model (see include/cetwin/dcf.h): the
 * workspace, the allocation-free evaluation (NPV, IRR by Brent's method on
 * a bracket, discounted payback, group totals) and the full cash-flow
 * table.
 */
#include "dcf_impl.h"

#include "cetwin/error.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- workspace ---------------------------------------------------------- */

int cet_dcf_workspace_create(const cet_dcf *model, cet_dcf_workspace **ws) {
  *ws = NULL;
  cet_dcf_workspace *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  w->n_years = model->n_years;
  w->n_groups = model->groups.n;
  w->n_grid = model->params.irr_grid;
  w->cash = calloc(w->n_years, sizeof *w->cash);
  w->yearly = calloc(w->n_years, sizeof *w->yearly);
  w->groups = calloc(w->n_groups + 1, sizeof *w->groups);
  w->grid_npv = calloc(w->n_grid, sizeof *w->grid_npv);
  w->solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, w->cash && w->yearly && w->groups && w->grid_npv && w->solver);
  *ws = w;
  return CET_OK;
fail:
  cet_dcf_workspace_destroy(&w);
  return status;
}

void cet_dcf_workspace_destroy(cet_dcf_workspace **ws) {
  if (ws == NULL || *ws == NULL) {
    return;
  }
  free((*ws)->cash);
  free((*ws)->yearly);
  free((*ws)->groups);
  free((*ws)->grid_npv);
  if ((*ws)->solver != NULL) {
    gsl_root_fsolver_free((*ws)->solver);
  }
  free(*ws);
  *ws = NULL;
}

const double *cet_dcf_workspace_cash_flow(const cet_dcf_workspace *ws) { return ws->cash; }
const double *cet_dcf_workspace_groups(const cet_dcf_workspace *ws) { return ws->groups; }

/* ---- evaluation --------------------------------------------------------- */

/* NPV of yearly cash flows at rate, by Horner's rule in 1 / (1 + rate). */
static double npv_at(const double *cash, size_t n, double rate) {
  const double v = 1.0 / (1.0 + rate);
  double s = 0.0;
  for (size_t t = n; t-- > 0;) {
    s = s * v + cash[t];
  }
  return s;
}

static double npv_function(double rate, void *params) {
  const cet_dcf_workspace *ws = params;
  return npv_at(ws->cash, ws->n_years, rate);
}

static int sign_of(double x) { return (x > 0.0) - (x < 0.0); }

/* Brent's method on [lo, hi] where the NPV changes sign. */
static int brent(const cet_dcf *m, cet_dcf_workspace *ws, double lo, double hi, double *root) {
  gsl_function f = {npv_function, ws};
  CET_GSL_CALL(gsl_root_fsolver_set(ws->solver, &f, lo, hi));
  for (int it = 0; it < m->params.irr_max_iter; it++) {
    CET_GSL_CALL(gsl_root_fsolver_iterate(ws->solver));
    lo = gsl_root_fsolver_x_lower(ws->solver);
    hi = gsl_root_fsolver_x_upper(ws->solver);
    if (gsl_root_test_interval(lo, hi, m->params.irr_tolerance, 0.0) == GSL_SUCCESS) {
      break;
    }
  }
  *root = gsl_root_fsolver_root(ws->solver);
  return CET_OK;
}

/* NPVs of the cash flows at the grid discount factors v[0..n_grid-1];
 * four Horner recurrences run side by side for instruction-level
 * parallelism. */
static void grid_npv(const double *cash, size_t n, const double *v, size_t n_grid, double *out) {
  size_t k = 0;
  for (; k + 4 <= n_grid; k += 4) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (size_t t = n; t-- > 0;) {
      s0 = s0 * v[k] + cash[t];
      s1 = s1 * v[k + 1] + cash[t];
      s2 = s2 * v[k + 2] + cash[t];
      s3 = s3 * v[k + 3] + cash[t];
    }
    out[k] = s0;
    out[k + 1] = s1;
    out[k + 2] = s2;
    out[k + 3] = s3;
  }
  for (; k < n_grid; k++) {
    double s = 0.0;
    for (size_t t = n; t-- > 0;) {
      s = s * v[k] + cash[t];
    }
    out[k] = s;
  }
}

/* The IRR: evaluates the NPV on a grid uniform in ln(1 + rate), counts its
 * sign changes, and refines the highest bracket with Brent. */
static int irr(const cet_dcf *m, cet_dcf_workspace *ws, cet_dcf_result *res) {
  res->irr_found = 0;
  res->irr = NAN;
  res->irr_roots = 0;
  int has_positive = 0, has_negative = 0;
  for (size_t t = 0; t < ws->n_years; t++) {
    has_positive |= ws->cash[t] > 0.0;
    has_negative |= ws->cash[t] < 0.0;
  }
  if (!has_positive || !has_negative) {
    return CET_OK; /* no sign change: NPV(rate) has no root */
  }
  const size_t g = ws->n_grid;
  grid_npv(ws->cash, ws->n_years, m->irr_v, g, ws->grid_npv);
  double rate_nz = m->irr_rate[g - 1]; /* last grid rate with a non-zero NPV */
  int sign_nz = sign_of(ws->grid_npv[g - 1]);
  for (size_t k = g - 1; k-- > 0;) {
    int s = sign_of(ws->grid_npv[k]);
    if (s == 0) {
      continue;
    }
    if (sign_nz != 0 && s != sign_nz) {
      res->irr_roots++;
      if (!res->irr_found) {
        CET_CALL(brent(m, ws, m->irr_rate[k], rate_nz, &res->irr));
        res->irr_found = 1;
      }
    }
    sign_nz = s;
    rate_nz = m->irr_rate[k];
  }
  return CET_OK;
}

static void payback(const cet_dcf *m, const cet_dcf_workspace *ws, cet_dcf_result *res) {
  double cum = 0.0, before_last_negative = 0.0, last_step = 0.0;
  int last_negative = -1; /* last year whose cumulative discounted cash is < 0 */
  for (size_t t = 0; t < ws->n_years; t++) {
    double step = ws->cash[t] * m->discount[t];
    cum += step;
    if (cum < 0.0) {
      last_negative = (int)t;
      before_last_negative = cum;
    } else if (last_negative == (int)t - 1) {
      last_step = step;
    }
  }
  if (cum < 0.0) {
    res->payback_found = 0;
    res->payback = INFINITY;
    return;
  }
  res->payback_found = 1;
  res->payback = last_negative < 0 ? 0.0 : last_negative + (-before_last_negative) / last_step;
}

/* Checks that every price is finite, naming the first that is not. */
static int check_prices_finite(const cet_dcf *m, const double *prices, size_t ld) {
  for (size_t c = 0; c < m->prices.n; c++) {
    for (size_t t = 0; t < m->n_years; t++) {
      CET_CHECK(isfinite(prices[c * ld + t]), CET_ERR_INPUT,
                "DCF: price '%s' in year %zu must be finite, found %g", m->prices.name[c], t,
                prices[c * ld + t]);
    }
  }
  return CET_OK;
}

/* Checks the price layout against the model. */
static int check_price_layout(const cet_dcf *m, const double *prices, size_t ld) {
  CET_CHECK(m->prices.n == 0 || (prices != NULL && ld >= m->n_years), CET_ERR_INPUT,
            "DCF: expected %zu price paths with a leading dimension >= %zu, found %s ld %zu",
            m->prices.n, m->n_years, prices == NULL ? "none," : "", ld);
  return CET_OK;
}

int cet_dcf_check_groups(const cet_dcf *m, unsigned want) {
  CET_CHECK(!(want & CET_DCF_WANT_GROUPS) || m->n_stale == 0, CET_ERR_INPUT,
            "DCF: group totals wanted, but the last update left them out (cet_dcf_update_want "
            "without CET_DCF_WANT_GROUPS)");
  return CET_OK;
}

int cet_dcf_evaluate(const cet_dcf *m, const double *prices, size_t ld, unsigned want,
                     cet_dcf_workspace *ws, cet_dcf_result *res) {
  const size_t ny = m->n_years, np = m->prices.n;
  CET_CHECK(ws->n_years == ny && ws->n_groups == m->groups.n && ws->n_grid == m->params.irr_grid,
            CET_ERR_INPUT, "DCF: workspace was allocated for another model shape");
  CET_CALL(check_price_layout(m, prices, ld));
  CET_CALL(cet_dcf_check_groups(m, want));
  const int cash_wanted =
      !(want & CET_DCF_NO_CASH) || (want & (CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK));
  /* the discounted price-driven cash per year, then summed over the years:
   * one short chain of additions per year (they vectorise) instead of one
   * long chain, and the same bits with or without the cash flow */
  double *disc = ws->yearly;
  memset(disc, 0, ny * sizeof *disc);
  if (cash_wanted) {
    double *cash = ws->cash;
    memcpy(cash, m->fixed, ny * sizeof *cash);
    for (size_t c = 0; c < np; c++) {
      const double *w = m->weight + c * ny, *wd = m->weight_disc + c * ny, *pc = prices + c * ld;
      for (size_t t = 0; t < ny; t++) {
        cash[t] += w[t] * pc[t];
        disc[t] += wd[t] * pc[t];
      }
    }
  } else {
    for (size_t c = 0; c < np; c++) {
      const double *wd = m->weight_disc + c * ny, *pc = prices + c * ld;
      for (size_t t = 0; t < ny; t++) {
        disc[t] += wd[t] * pc[t];
      }
    }
  }
  double npv = m->fixed_npv;
  for (size_t t = 0; t < ny; t++) {
    npv += disc[t];
  }
  if (!isfinite(npv)) {
    /* only on this path: the hot loop does not test every price */
    CET_CALL(check_prices_finite(m, prices, ld));
    CET_CHECK(0, CET_ERR_INPUT, "DCF: the cash flow is not finite (overflow?)");
  }
  memset(res, 0, sizeof *res);
  res->npv = npv;
  res->irr = NAN;
  res->payback = NAN;
  if (want & CET_DCF_WANT_IRR) {
    CET_CALL(irr(m, ws, res));
  }
  if (want & CET_DCF_WANT_PAYBACK) {
    payback(m, ws, res);
  }
  if (want & CET_DCF_WANT_GROUPS) {
    memcpy(ws->groups, m->group_fixed, m->groups.n * sizeof *ws->groups);
    for (size_t r = 0; r < m->n_rows; r++) {
      if (m->row_price[r] < 0) {
        continue;
      }
      const double *sd = m->row_disc + r * ny, *pc = prices + (size_t)m->row_price[r] * ld;
      double total = 0.0;
      for (size_t t = 0; t < ny; t++) {
        total += sd[t] * pc[t];
      }
      ws->groups[m->row_group[r]] += total;
    }
  }
  return CET_OK;
}

/* ---- table -------------------------------------------------------------- */

int cet_dcf_table_create(const cet_dcf *model, cet_dcf_table **table) {
  *table = NULL;
  cet_dcf_table *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  const size_t ny = model->n_years, nr = model->n_rows, ng = model->groups.n;
  t->n_years = ny;
  t->n_rows = nr;
  t->n_groups = ng;
  t->row_name = (const char *const *)model->rows.name;
  t->row_group = model->row_group;
  t->group_name = (const char *const *)model->groups.name;
  t->discount_factor = calloc(ny, sizeof(double));
  t->row_yearly = calloc(nr * ny + 1, sizeof(double));
  t->row_discounted = calloc(nr + 1, sizeof(double));
  t->group_yearly = calloc(ng * ny + 1, sizeof(double));
  t->group_discounted = calloc(ng + 1, sizeof(double));
  t->net_yearly = calloc(ny, sizeof(double));
  t->cumulative_discounted = calloc(ny, sizeof(double));
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail,
                       t->discount_factor && t->row_yearly && t->row_discounted &&
                           t->group_yearly && t->group_discounted && t->net_yearly &&
                           t->cumulative_discounted);
  *table = t;
  return CET_OK;
fail:
  cet_dcf_table_destroy(&t);
  return status;
}

void cet_dcf_table_destroy(cet_dcf_table **table) {
  if (table == NULL || *table == NULL) {
    return;
  }
  cet_dcf_table *t = *table;
  free(t->discount_factor);
  free(t->row_yearly);
  free(t->row_discounted);
  free(t->group_yearly);
  free(t->group_discounted);
  free(t->net_yearly);
  free(t->cumulative_discounted);
  free(t);
  *table = NULL;
}

int cet_dcf_table_fill(const cet_dcf *m, const double *prices, size_t ld, cet_dcf_table *tab) {
  const size_t ny = m->n_years, nr = m->n_rows, ng = m->groups.n;
  CET_CHECK(tab->n_years == ny && tab->n_rows == nr && tab->n_groups == ng, CET_ERR_INPUT,
            "DCF: table was allocated for another model shape");
  CET_CALL(check_price_layout(m, prices, ld));
  CET_CALL(check_prices_finite(m, prices, ld));
  memcpy(tab->discount_factor, m->discount, ny * sizeof(double));
  memset(tab->group_yearly, 0, ng * ny * sizeof(double));
  memset(tab->group_discounted, 0, ng * sizeof(double));
  memset(tab->net_yearly, 0, ny * sizeof(double));
  for (size_t r = 0; r < nr; r++) {
    const double *s = m->schedule + r * ny;
    const double *pc = m->row_price[r] >= 0 ? prices + (size_t)m->row_price[r] * ld : NULL;
    double *row = tab->row_yearly + r * ny, *grp = tab->group_yearly + m->row_group[r] * ny;
    double total = 0.0;
    for (size_t t = 0; t < ny; t++) {
      row[t] = pc != NULL ? s[t] * pc[t] : s[t];
      total += row[t] * m->discount[t];
      grp[t] += row[t];
      tab->net_yearly[t] += row[t];
    }
    tab->row_discounted[r] = total;
    tab->group_discounted[m->row_group[r]] += total;
  }
  double cum = 0.0;
  for (size_t t = 0; t < ny; t++) {
    cum += tab->net_yearly[t] * m->discount[t];
    tab->cumulative_discounted[t] = cum;
  }
  tab->npv = cum;
  return CET_OK;
}
