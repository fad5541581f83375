/*
 * dcf_lanes.c — the discounted cash flow of several price sets at once
 * (cet_dcf_evaluate_lanes in dcf.h), for drivers that evaluate many draws
 * of the price paths of one project. The sets lie in the lanes of one
 * vector value (GCC/Clang vector extension), read where the caller keeps
 * them; per lane the additions and multiplications are those of
 * cet_dcf_evaluate in the same order, without fused multiply-adds, so each
 * set gets the same bits as alone.
 */
#include "dcf_impl.h"

#include "cetwin/clones.h"

#include "cetwin/error.h"

#include <string.h>

typedef double dcf_lanes __attribute__((vector_size(CET_DCF_LANES * sizeof(double))));

/* Helpers take vectors by address (vector arguments and results would
 * depend on the instruction set's calling convention) and are inlined into
 * each instruction-set version of cet_dcf_evaluate_lanes. */
static inline __attribute__((always_inline)) void broadcast(dcf_lanes *v, double x) {
  for (int q = 0; q < CET_DCF_LANES; q++) {
    (*v)[q] = x;
  }
}

static inline __attribute__((always_inline)) void load(dcf_lanes *v, const double *p) {
  memcpy(v, p, sizeof *v);
}

static inline __attribute__((always_inline)) void store(double *p, const dcf_lanes *v) {
  memcpy(p, v, sizeof *v);
}

/* The prices of series s in year t, one per lane. */
static inline __attribute__((always_inline)) void
prices_of(dcf_lanes *v, const cet_dcf_lane_prices *s, size_t t) {
  const double *at = s->first + t * s->year_step;
  if (s->lane_step == 1) {
    load(v, at);
  } else {
    double gathered[CET_DCF_LANES];
    for (size_t q = 0; q < CET_DCF_LANES; q++) {
      gathered[q] = at[q * s->lane_step];
    }
    load(v, gathered);
  }
  *v *= s->factor;
}

/* The NPV into npv, and the yearly cash flow when cash is not NULL: per
 * year the price-driven terms summed over the series in order, as
 * cet_dcf_evaluate. */
static inline __attribute__((always_inline)) void
npv_and_cash(const cet_dcf *m, const cet_dcf_lane_prices *series, double *npv, double *cash) {
  const size_t ny = m->n_years, np = m->prices.n;
  dcf_lanes sum = {0}, disc = {0}, net = {0}, pc;
  broadcast(&sum, m->fixed_npv);
  for (size_t t = 0; t < ny; t++) {
    broadcast(&disc, 0.0);
    broadcast(&net, cash ? m->fixed[t] : 0.0);
    for (size_t c = 0; c < np; c++) {
      prices_of(&pc, &series[c], t);
      disc += m->weight_disc[c * ny + t] * pc;
      if (cash) {
        net += m->weight[c * ny + t] * pc;
      }
    }
    sum += disc;
    if (cash) {
      store(cash + t * CET_DCF_LANES, &net);
    }
  }
  store(npv, &sum);
}

/* Discounted totals per group: the fixed part, then each price-driven
 * row's discounted sum over the years. */
static inline __attribute__((always_inline)) void
group_totals(const cet_dcf *m, const cet_dcf_lane_prices *series, double *groups) {
  const size_t ny = m->n_years;
  dcf_lanes total = {0}, pc, g = {0};
  for (size_t k = 0; k < m->groups.n; k++) {
    broadcast(&g, m->group_fixed[k]);
    store(groups + k * CET_DCF_LANES, &g);
  }
  for (size_t r = 0; r < m->n_rows; r++) {
    if (m->row_price[r] < 0) {
      continue;
    }
    const double *sd = m->row_disc + r * ny;
    const cet_dcf_lane_prices *row = &series[m->row_price[r]];
    broadcast(&total, 0.0);
    for (size_t t = 0; t < ny; t++) {
      prices_of(&pc, row, t);
      total += sd[t] * pc;
    }
    double *out = groups + m->row_group[r] * CET_DCF_LANES;
    load(&g, out);
    g += total;
    store(out, &g);
  }
}

/* Built for the widest vectors the processor has (chosen at run time); the
 * operations per lane are the same in every version, so are the bits. */
CET_CLONES static int evaluate_lanes_clones(const cet_dcf *m, const cet_dcf_lane_prices *series,
                                            unsigned want, double *npv, double *groups,
                                            double *cash) {
  CET_CHECK(!(want & (CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK)), CET_ERR_INPUT,
            "DCF: the IRR and the payback are evaluated one price set at a time");
  CET_CHECK(!(want & CET_DCF_WANT_GROUPS) || groups, CET_ERR_INPUT,
            "DCF: group totals wanted without an array for them");
  CET_CALL(cet_dcf_check_groups(m, want));
  CET_CHECK((want & CET_DCF_NO_CASH) || cash, CET_ERR_INPUT,
            "DCF: the cash flow wanted without an array for it");
  npv_and_cash(m, series, npv, (want & CET_DCF_NO_CASH) ? NULL : cash);
  if (want & CET_DCF_WANT_GROUPS) {
    group_totals(m, series, groups);
  }
  return CET_OK;
}

int cet_dcf_evaluate_lanes(const cet_dcf *m, const cet_dcf_lane_prices *series, unsigned want,
                           double *npv, double *groups, double *cash) {
  return evaluate_lanes_clones(m, series, want, npv, groups, cash);
}
