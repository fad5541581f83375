/*
 * twin_flows.c — the "flows" stage of a twin: the exact steady state of the
 * network per component, stream flows, per-unit balance closure,
 * consumptions by carrier, and the mass metrics (recovery to each sink,
 * production, residues landfilled, valorised and exported). Selectors send
 * everything to one outlet (a share of 1, the others 0); exchange units
 * import as an external feed, or export a fixed mass of their inflow (they
 * lie outside loops, so their share is set once their inflow is known).
 *
 * With x_u the inflow of unit u and share_e the fraction of its source's
 * inflow that edge e carries, every unit satisfies
 *   x_u = f_u + sum over edges e into u of share_e x_from(e),
 * i.e. (I - S) x = f per component. The units are visited block by block in
 * topological order of the strongly connected components: a unit outside
 * any loop is one line of propagation, a recycle loop a linear system
 * solved directly: by a dense LU with partial pivoting, or, from
 * par.sparse_loop_min units on, by elimination on its sparsity pattern
 * (sparse_lu.h). This is the block-triangular form of the whole system.
 */
#include "twin_impl.h"

#include "cetwin/dense_lu.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FLOWS_LIST_LEN = 1024, FLOWS_UNITS_LEN = 64 };

typedef struct {
  size_t n_feeds, n_process, n_splitters, n_sinks, n_selectors, n_exchanges;
  size_t *feed_unit, *process_unit, *splitter_unit, *sink_unit, *selector_unit, *exchange_unit;
  size_t m_feed, m_production, m_generated, m_landfilled, m_valorised, m_exported, m_avoided;
  size_t m_closure;
  long m_unknown; /* unknown_consumption, or -1 when no consumption may be unknown */
  size_t *m_production_c, *m_recovery_c;               /* [components] */
  size_t *m_sink_mass, *m_sink_comp, *m_sink_recovery; /* [sinks], [sinks x components] x2 */
  size_t *m_consumption;                               /* [carriers] */
} flows_data;

static void flows_free(void *p) {
  flows_data *d = p;
  if (!d) {
    return;
  }
  free(d->feed_unit);
  free(d->process_unit);
  free(d->splitter_unit);
  free(d->sink_unit);
  free(d->selector_unit);
  free(d->exchange_unit);
  free(d->m_production_c);
  free(d->m_recovery_c);
  free(d->m_sink_mass);
  free(d->m_sink_comp);
  free(d->m_sink_recovery);
  free(d->m_consumption);
  free(d);
}

/* ---- evaluation ---- */

/* The imports of exchange units with a positive net flow, in the
 * composition of the case, as their external feed (not counted in
 * feed_total: the feeds' recovery metrics stay relative to the feeds). */
static int exchange_imports(const cet_twin *t, const flows_data *d, const double *p,
                            cet_twin_workspace *w) {
  size_t nc = t->nc;
  for (size_t i = 0; i < d->n_exchanges; i++) {
    size_t u = d->exchange_unit[i];
    const long *frac = t->fraction + u * nc;
    double sum = 0.0, net = p[t->feed_flow[u]], imported = net > 0.0 ? net : 0.0;
    for (size_t c = 0; c < nc; c++) {
      sum += cet_twin_slot_value(p, frac[c]);
    }
    CET_CHECK(sum > 0.0 || imported == 0.0, CET_ERR_RUNTIME,
              "%s: the mass fractions of what exchange '%s' imports sum to %g", t->where[u],
              t->unit_names.name[u], sum);
    for (size_t c = 0; c < nc; c++) {
      w->feed[u * nc + c] = imported > 0.0 ? imported * cet_twin_slot_value(p, frac[c]) / sum : 0.0;
    }
  }
  return CET_OK;
}

static int feeds(const cet_twin *t, const flows_data *d, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  for (size_t c = 0; c < nc; c++) {
    w->feed_total[c] = 0.0;
  }
  for (size_t i = 0; i < d->n_feeds; i++) {
    size_t u = d->feed_unit[i];
    const long *frac = t->fraction + u * nc;
    double sum = 0.0;
    for (size_t c = 0; c < nc; c++) {
      sum += cet_twin_slot_value(p, frac[c]);
    }
    CET_CHECK(sum > 0.0, CET_ERR_RUNTIME, "%s: the mass fractions of feed '%s' sum to %g",
              t->where[u], t->unit_names.name[u], sum);
    double flow = p[t->feed_flow[u]];
    double *f = w->feed + u * nc;
    for (size_t c = 0; c < nc; c++) {
      f[c] = flow * cet_twin_slot_value(p, frac[c]) / sum;
      w->feed_total[c] += f[c];
    }
  }
  return exchange_imports(t, d, p, w);
}

/* Tolerance below 0 of the remainder of a splitter's shares (rounding of
 * shares that sum to 1). */
static const double REMAINDER_TOLERANCE = 1e-12;

/* The shares of splitter u over its edges e0 .. e1 - 1 into w: its
 * fractions divided by their sum, or its shares as they are with the last
 * outlet taking the remainder. */
static int splitter_shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc, e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
  size_t last = t->remainder[u] ? e1 - 1 : e1;
  double total = 0.0;
  for (size_t e = e0; e < last; e++) {
    total += cet_twin_slot_value(p, t->share[e]);
  }
  double divisor = total, rest = 1.0 - total;
  if (t->remainder[u]) {
    CET_CHECK(rest >= -REMAINDER_TOLERANCE, CET_ERR_RUNTIME,
              "%s: the shares of splitter '%s' sum to %.17g, more than 1: its last outlet '%s' "
              "would get a negative share",
              t->where[u], t->unit_names.name[u], total, t->edge_outlet[e1 - 1]);
    divisor = 1.0;
    rest = rest > 0.0 ? rest : 0.0;
  } else {
    CET_CHECK(total > 0.0, CET_ERR_RUNTIME, "%s: the fractions of splitter '%s' sum to %g",
              t->where[u], t->unit_names.name[u], total);
  }
  for (size_t e = e0; e < e1; e++) {
    double v = e < last ? cet_twin_slot_value(p, t->share[e]) / divisor : rest;
    for (size_t c = 0; c < nc; c++) {
      w->share[e * nc + c] = v;
    }
  }
  return CET_OK;
}

/* The shares of selector u: 1 to the outlet its index picks, 0 to the
 * others. The index is an integer parameter in 0 .. outlets - 1
 * (cet_twin_evaluate checks it; cet_twin_evaluate_prechecked trusts the
 * caller, so it is checked here once more). */
static int selector_shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc, e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
  double k = p[t->share[e0]];
  CET_CHECK(k >= 0.0 && k < (double)(e1 - e0) && floor(k) == k, CET_ERR_RUNTIME,
            "%s: selector '%s' has outlet index %.17g, expected an integer in 0..%zu", t->where[u],
            t->unit_names.name[u], k, e1 - e0 - 1);
  for (size_t e = e0; e < e1; e++) {
    double v = (double)(e - e0) == k ? 1.0 : 0.0;
    for (size_t c = 0; c < nc; c++) {
      w->share[e * nc + c] = v;
    }
  }
  return CET_OK;
}

/* Split factors of each component over a process unit's outlets divided
 * by their sum, so that every unit conserves mass, and the splitters'
 * shares (splitter_shares). */
static int shares(const cet_twin *t, const flows_data *d, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  double *sum = w->row;
  for (size_t i = 0; i < d->n_process; i++) {
    size_t u = d->process_unit[i], e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
    for (size_t c = 0; c < nc; c++) {
      sum[c] = 0.0;
    }
    for (size_t e = e0; e < e1; e++) {
      const long *slot = t->split + e * nc;
      double *sh = w->share + e * nc;
      for (size_t c = 0; c < nc; c++) {
        sh[c] = cet_twin_slot_value(p, slot[c]);
        sum[c] += sh[c];
      }
    }
    for (size_t c = 0; c < nc; c++) {
      CET_CHECK(sum[c] > 0.0, CET_ERR_RUNTIME,
                "%s: the split factors of %s in unit '%s' sum to %g; the component would vanish",
                t->where[u], t->components.name[c], t->unit_names.name[u], sum[c]);
    }
    for (size_t e = e0; e < e1; e++) {
      double *sh = w->share + e * nc;
      for (size_t c = 0; c < nc; c++) {
        sh[c] /= sum[c];
      }
    }
  }
  for (size_t i = 0; i < d->n_splitters; i++) {
    CET_CALL(splitter_shares(t, d->splitter_unit[i], p, w));
  }
  for (size_t i = 0; i < d->n_selectors; i++) {
    CET_CALL(selector_shares(t, d->selector_unit[i], p, w));
  }
  CET_CALL(cet_twin_choice_shares(t, p, w));
  return CET_OK;
}

/* (I - S) of block b for component c, solved for r (the block's feed and
 * inflow from outside): dense, or on the pattern of a large loop. Returns
 * 0 or, for a pivot below the tolerance, its position + 1 (*pivot). */
static size_t solve_component(const cet_twin *t, const cet_twin_block *b, size_t c,
                              cet_twin_workspace *w, double *r, double *pivot) {
  size_t nc = t->nc, k = b->size;
  if (b->sparse) {
    double *value = w->sparse, *scratch = w->sparse + k + b->n_internal;
    for (size_t i = 0; i < k; i++) {
      value[i] = 1.0;
    }
    for (size_t j = 0; j < b->n_internal; j++) {
      value[k + j] = -w->share[b->internal_edge[j] * nc + c];
    }
    return cet_sparse_lu_solve(b->sparse, value, r, scratch, t->par.pivot_tolerance, pivot);
  }
  double *a = w->a;
  for (size_t i = 0; i < k * k; i++) {
    a[i] = 0.0;
  }
  for (size_t i = 0; i < k; i++) {
    a[i * k + i] = 1.0;
  }
  for (size_t j = 0; j < b->n_internal; j++) {
    a[b->internal_to[j] * k + b->internal_from[j]] -= w->share[b->internal_edge[j] * nc + c];
  }
  return cet_dense_lu_solve(k, a, r, t->par.pivot_tolerance, pivot);
}

static int solve_loop(const cet_twin *t, size_t bi, cet_twin_workspace *w) {
  const cet_twin_block *b = &t->block[bi];
  size_t nc = t->nc, k = b->size;
  double *r = w->b;
  for (size_t c = 0; c < nc; c++) {
    for (size_t i = 0; i < k; i++) {
      r[i] = w->feed[t->order[b->begin + i] * nc + c];
    }
    for (size_t j = 0; j < b->n_external; j++) {
      size_t e = b->external_edge[j];
      r[b->external_to[j]] += w->share[e * nc + c] * w->x[t->edge_from[e] * nc + c];
    }
    double pivot = 0.0;
    if (solve_component(t, b, c, w, r, &pivot) != 0) {
      char list[FLOWS_LIST_LEN];
      cet_twin_block_units(t, bi, list, sizeof list);
      CET_CHECK(0, CET_ERR_RUNTIME,
                "%s: the recycle loop through units %s has no exit for component %s (a pivot of "
                "(I - S) is %.3g, below %.3g): everything that enters circulates for ever; send "
                "part of it out of the loop",
                t->where[t->order[b->begin]], list, t->components.name[c], pivot,
                t->par.pivot_tolerance);
    }
    for (size_t i = 0; i < k; i++) {
      w->x[t->order[b->begin + i] * nc + c] = r[i];
    }
  }
  return CET_OK;
}

/* The share of the outlet of exchange u once its inflow is known: what
 * is left after the export (all of it when importing; none when the export
 * asked is more than the inflow, the shortfall that the structural stage
 * reports). */
static void exchange_share(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  double imported = 0.0, exported = 0.0, shortfall = 0.0;
  double available = cet_twin_exchange_masses(t, u, p, w, &imported, &exported, &shortfall);
  double v = available > 0.0 ? 1.0 - exported / available : 1.0;
  size_t e = t->out_begin[u];
  for (size_t c = 0; c < t->nc; c++) {
    w->share[e * t->nc + c] = v;
  }
}

static int solve(const cet_twin *t, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    const cet_twin_block *b = &t->block[bi];
    if (b->cyclic) {
      CET_CALL(solve_loop(t, bi, w));
      continue;
    }
    size_t u = t->order[b->begin];
    double *xu = w->x + u * nc;
    const double *fu = w->feed + u * nc;
    for (size_t c = 0; c < nc; c++) {
      xu[c] = fu[c];
    }
    for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
      size_t e = t->in_edge[j];
      const double *s = w->share + e * nc, *xv = w->x + t->edge_from[e] * nc;
      for (size_t c = 0; c < nc; c++) {
        xu[c] += s[c] * xv[c];
      }
    }
    if (t->kind[u] == CET_UNIT_EXCHANGE) {
      exchange_share(t, u, p, w);
    }
  }
  return CET_OK;
}

/* Stream flows, outflows and the relative closure of every unit: the mass
 * entering (feed plus inlet streams) against the mass leaving. */
static void balances(const cet_twin *t, cet_twin_workspace *w) {
  size_t nc = t->nc;
  for (size_t e = 0; e < t->ne; e++) {
    const double *s = w->share + e * nc, *xv = w->x + t->edge_from[e] * nc;
    double *fl = w->flow + e * nc;
    for (size_t c = 0; c < nc; c++) {
      fl[c] = s[c] * xv[c];
    }
  }
  double worst = 0.0, *in = w->row;
  for (size_t u = 0; u < t->nu; u++) {
    double *out = w->outflow + u * nc, *cl = w->closure + u * nc;
    const double *xu = w->x + u * nc;
    if (t->kind[u] == CET_UNIT_SINK) {
      for (size_t c = 0; c < nc; c++) {
        out[c] = xu[c];
        cl[c] = 0.0;
      }
      continue;
    }
    const double *fu = w->feed + u * nc;
    for (size_t c = 0; c < nc; c++) {
      in[c] = fu[c];
      out[c] = 0.0;
    }
    for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
      const double *fl = w->flow + t->in_edge[j] * nc;
      for (size_t c = 0; c < nc; c++) {
        in[c] += fl[c];
      }
    }
    for (size_t e = t->out_begin[u]; e < t->out_begin[u + 1]; e++) {
      const double *fl = w->flow + e * nc;
      for (size_t c = 0; c < nc; c++) {
        out[c] += fl[c];
      }
    }
    if (t->kind[u] == CET_UNIT_EXCHANGE) { /* the export leaves the twin here */
      const double *s = w->share + t->out_begin[u] * nc;
      for (size_t c = 0; c < nc; c++) {
        out[c] += (1.0 - s[c]) * xu[c];
      }
    }
    for (size_t c = 0; c < nc; c++) {
      double a = fabs(in[c]), b = fabs(out[c]), den = a > b ? a : b;
      cl[c] = den > 0.0 ? fabs(in[c] - out[c]) / den : 0.0;
      worst = cl[c] > worst ? cl[c] : worst;
    }
  }
  w->max_closure = worst;
}

static void consumptions(const cet_twin *t, const flows_data *d, const double *p,
                         cet_twin_workspace *w) {
  size_t nk = t->nk;
  for (size_t k = 0; k < nk; k++) {
    w->carrier[k] = 0.0;
  }
  for (size_t i = 0; i < d->n_process; i++) {
    size_t u = d->process_unit[i];
    double basis = cet_twin_basis_flow(t, w, u);
    const long *slot = t->consumption + u * nk;
    double *cu = w->consumption + u * nk;
    for (size_t k = 0; k < nk; k++) {
      /* an unknown (NaN) consumption of a unit that receives nothing is 0 */
      cu[k] = (slot[k] < 0 || basis == 0.0) ? 0.0 : p[slot[k]] * basis;
      w->carrier[k] += cu[k];
    }
  }
  cet_twin_choice_consumptions(t, p, w);
}

/* unknown_consumption: the units whose consumption of some carrier is
 * unknown (NaN) while they carry flow. */
static double unknown_units(const cet_twin *t, const cet_twin_workspace *w) {
  double count = 0.0;
  for (size_t u = 0; u < t->nu; u++) {
    for (size_t k = 0; k < t->nk; k++) {
      if (isnan(w->consumption[u * t->nk + k])) {
        count += 1.0;
        break;
      }
    }
  }
  return count;
}

static void mass_metrics(const cet_twin *t, const flows_data *d, const cet_twin_workspace *w,
                         double *m) {
  size_t nc = t->nc;
  double feed = 0.0, generated = 0.0, production = 0.0;
  double by_kind[CET_SINK_KINDS] = {0.0};
  for (size_t c = 0; c < nc; c++) {
    feed += w->feed_total[c];
    m[d->m_production_c[c]] = 0.0;
  }
  for (size_t i = 0; i < d->n_feeds; i++) {
    size_t u = d->feed_unit[i];
    if (t->residue[u]) {
      for (size_t c = 0; c < nc; c++) {
        generated += w->feed[u * nc + c];
      }
    }
  }
  for (size_t s = 0; s < d->n_sinks; s++) {
    size_t u = d->sink_unit[s];
    const double *xu = w->x + u * nc;
    double total = 0.0;
    for (size_t c = 0; c < nc; c++) {
      total += xu[c];
      m[d->m_sink_comp[s * nc + c]] = xu[c];
      m[d->m_sink_recovery[s * nc + c]] = w->feed_total[c] > 0.0 ? xu[c] / w->feed_total[c] : 0.0;
      if (t->sink_kind[u] == CET_SINK_MARKET) {
        m[d->m_production_c[c]] += xu[c];
      }
    }
    m[d->m_sink_mass[s]] = total;
    by_kind[t->sink_kind[u]] += total;
  }
  for (size_t c = 0; c < nc; c++) {
    production += m[d->m_production_c[c]];
    m[d->m_recovery_c[c]] =
        w->feed_total[c] > 0.0 ? m[d->m_production_c[c]] / w->feed_total[c] : 0.0;
  }
  m[d->m_feed] = feed;
  m[d->m_production] = production;
  m[d->m_generated] = generated;
  m[d->m_landfilled] = by_kind[CET_SINK_LANDFILL];
  m[d->m_valorised] = by_kind[CET_SINK_VALORISATION];
  m[d->m_exported] = by_kind[CET_SINK_EXPORT];
  m[d->m_avoided] = generated - by_kind[CET_SINK_LANDFILL];
  for (size_t k = 0; k < t->nk; k++) {
    m[d->m_consumption[k]] = w->carrier[k];
  }
  m[d->m_closure] = w->max_closure;
}

static int flows_evaluate(const cet_twin *t, const void *data, const double *p,
                          cet_twin_workspace *w, double *m) {
  const flows_data *d = data;
  CET_CALL(feeds(t, d, p, w));
  CET_CALL(shares(t, d, p, w));
  CET_CALL(solve(t, p, w));
  balances(t, w);
  consumptions(t, d, p, w);
  mass_metrics(t, d, w, m);
  cet_twin_choice_metrics(t, p, w, m);
  if (d->m_unknown >= 0) {
    m[d->m_unknown] = unknown_units(t, w);
  }
  return CET_OK;
}

/* ---- build ---- */

static int collect_units(const cet_twin *t, flows_data *d) {
  size_t n = t->nu ? t->nu : 1;
  d->feed_unit = malloc(n * sizeof(size_t));
  d->process_unit = malloc(n * sizeof(size_t));
  d->splitter_unit = malloc(n * sizeof(size_t));
  d->sink_unit = malloc(n * sizeof(size_t));
  d->selector_unit = malloc(n * sizeof(size_t));
  d->exchange_unit = malloc(n * sizeof(size_t));
  CET_CHECK(d->feed_unit && d->process_unit && d->splitter_unit && d->sink_unit &&
                d->selector_unit && d->exchange_unit,
            CET_ERR_MEMORY, "out of memory");
  for (size_t u = 0; u < t->nu; u++) {
    switch (t->kind[u]) {
    case CET_UNIT_FEED:
      d->feed_unit[d->n_feeds++] = u;
      break;
    case CET_UNIT_PROCESS:
      d->process_unit[d->n_process++] = u;
      break;
    case CET_UNIT_SPLITTER:
      d->splitter_unit[d->n_splitters++] = u;
      break;
    case CET_UNIT_SINK:
      d->sink_unit[d->n_sinks++] = u;
      break;
    case CET_UNIT_SELECTOR:
      d->selector_unit[d->n_selectors++] = u;
      break;
    case CET_UNIT_EXCHANGE:
      d->exchange_unit[d->n_exchanges++] = u;
      break;
    default:
      break;
    }
  }
  return CET_OK;
}

/* 1 when one of the n consumption slots may hold an unknown value (~). */
static int may_be_unknown(const cet_twin *t, const long *slot, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (slot[i] >= 0 &&
        (cet_params_flags(t->params, (size_t)slot[i]) & CET_PARAM_MAY_BE_UNKNOWN) != 0) {
      return 1;
    }
  }
  return 0;
}

/* unknown_consumption, a feasibility metric and a term of `infeasibility`,
 * in twins where some unit's consumption may be unknown (a process of the
 * library with `~`): a design that sends flow there cannot be priced. */
static int register_unknown(cet_twin *t, flows_data *d) {
  int any = 0;
  for (size_t u = 0; u < t->nu && !any; u++) {
    const cet_twin_choice *ch = t->choice ? t->choice[u] : NULL;
    any = t->kind[u] == CET_UNIT_PROCESS ? may_be_unknown(t, t->consumption + u * t->nk, t->nk)
          : ch                           ? may_be_unknown(t, ch->consumption, ch->n_proc * t->nk)
                                         : 0;
  }
  d->m_unknown = -1;
  if (!any) {
    return CET_OK;
  }
  size_t m = 0;
  CET_CALL(cet_twin_add_metricf(t, &m, "1",
                                "number of units carrying flow whose consumption of some carrier "
                                "is unknown (~); > 0: the design cannot be priced and is "
                                "infeasible",
                                CET_TWIN_UNKNOWN_CONSUMPTION));
  d->m_unknown = (long)m;
  CET_CALL(cet_twin_add_term(t, CET_TWIN_INFEASIBILITY, "1", CET_TWIN_INFEASIBILITY_TEXT, m, 1.0));
  return cet_twin_add_feasibility(t, m);
}

static int register_metrics(cet_twin *t, flows_data *d) {
  size_t nc = t->nc, ns = d->n_sinks;
  const char *fu = t->flow_units;
  d->m_production_c = malloc(nc * sizeof(size_t));
  d->m_recovery_c = malloc(nc * sizeof(size_t));
  d->m_sink_mass = malloc(ns * sizeof(size_t));
  d->m_sink_comp = malloc(ns * nc * sizeof(size_t));
  d->m_sink_recovery = malloc(ns * nc * sizeof(size_t));
  d->m_consumption = malloc((t->nk ? t->nk : 1) * sizeof(size_t));
  CET_CHECK(d->m_production_c && d->m_recovery_c && d->m_sink_mass && d->m_sink_comp &&
                d->m_sink_recovery && d->m_consumption,
            CET_ERR_MEMORY, "out of memory");
  const char *const *cn = (const char *const *)t->components.name;
  CET_CALL(cet_twin_add_metricf(t, &d->m_feed, fu, "total mass of all feeds", "feed"));
  CET_CALL(
      cet_twin_add_metricf(t, &d->m_production, fu, "total mass to market sinks", "production"));
  for (size_t c = 0; c < nc; c++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_production_c[c], fu,
                                  "mass of the component to market sinks", "production.%s", cn[c]));
  }
  for (size_t c = 0; c < nc; c++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_recovery_c[c], "1",
                                  "fraction of the component's feed that reaches market sinks",
                                  "recovery.%s", cn[c]));
    cet_twin_mark_share(t, d->m_recovery_c[c]);
  }
  CET_CALL(cet_twin_add_metricf(t, &d->m_generated, fu, "total mass of feeds marked residue: true",
                                "residue_generated"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_landfilled, fu, "total mass to landfill sinks",
                                "residue_landfilled"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_valorised, fu, "total mass to valorisation sinks",
                                "residue_valorised"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_exported, fu, "total mass to export sinks",
                                "residue_exported"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_avoided, fu, "residue_generated - residue_landfilled",
                                "landfill_avoided"));
  for (size_t s = 0; s < ns; s++) {
    const char *sink = t->unit_names.name[d->sink_unit[s]];
    CET_CALL(cet_twin_add_metricf(t, &d->m_sink_mass[s], fu, "total mass received by the sink",
                                  "mass.%s", sink));
    for (size_t c = 0; c < nc; c++) {
      CET_CALL(cet_twin_add_metricf(t, &d->m_sink_comp[s * nc + c], fu,
                                    "mass of the component received", "mass.%s.%s", sink, cn[c]));
    }
    for (size_t c = 0; c < nc; c++) {
      CET_CALL(cet_twin_add_metricf(t, &d->m_sink_recovery[s * nc + c], "1",
                                    "fraction of the component's feed that reaches the sink",
                                    "recovery.%s.%s", cn[c], sink));
      cet_twin_mark_share(t, d->m_sink_recovery[s * nc + c]);
    }
  }
  for (size_t k = 0; k < t->nk; k++) {
    char units[FLOWS_UNITS_LEN];
    cet_twin_rate_units(t->carrier_units[k], fu, units, sizeof units);
    CET_CALL(cet_twin_add_metricf(
        t, &d->m_consumption[k], units,
        "consumption of the carrier by all process units (NaN: a unit with flow has "
        "no known value)",
        "consumption.%s", t->carriers.name[k]));
  }
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_closure, "1",
      "largest relative mass-balance closure error over units and components", "closure"));
  CET_CALL(cet_twin_choice_register(t));
  return register_unknown(t, d);
}

/* An exchange exports a fixed mass of what reaches it, which is not a
 * linear share: it must lie outside every recycle loop, where its inflow is
 * known before its share is needed. */
static int check_exchanges(const cet_twin *t) {
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    const cet_twin_block *b = &t->block[bi];
    for (size_t i = 0; b->cyclic && i < b->size; i++) {
      size_t u = t->order[b->begin + i];
      if (t->kind[u] == CET_UNIT_EXCHANGE) {
        char list[FLOWS_LIST_LEN];
        cet_twin_block_units(t, bi, list, sizeof list);
        CET_CHECK(0, CET_ERR_INPUT,
                  "%s: exchange '%s' lies in the recycle loop through units %s; an export takes "
                  "a fixed mass, not a share, so place the exchange outside the loop",
                  t->where[u], t->unit_names.name[u], list);
      }
    }
  }
  return CET_OK;
}

int cet_twin_build_flows(cet_twin *t, const cet_twin_spec *spec) {
  (void)spec;
  CET_CALL(check_exchanges(t));
  flows_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, collect_units(t, d));
  CET_CALL_GOTO(status, fail, register_metrics(t, d));
  CET_CALL(cet_twin_add_stage(t, "flows", flows_evaluate, d, flows_free));
  return CET_OK;
fail:
  flows_free(d);
  return status;
}
