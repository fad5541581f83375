/*
 * twin_flows.c — the "flows" stage of a twin: the exact steady state of the
 * network per component, stream flows, per-unit balance closure,
 * consumptions by carrier, and the mass metrics (recovery to each sink,
 * production, residues landfilled, valorised and exported). Selectors send
 * everything to one outlet (a share of 1, the others 0); exchange units
 * import as an external feed, or export a fixed mass of their inflow (they
 * lie outside loops, so their share is set once their inflow is known).
 * What each kind of unit feeds, sends to its outlets and consumes is in
 * the kind's own file (twin_kinds.h); this stage calls them.
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
#include "twin_kinds.h"

#include "cetwin/dense_lu.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FLOWS_LIST_LEN = 1024, FLOWS_UNITS_LEN = 64 };

typedef struct {
  size_t *by_kind;                       /* [units] the units grouped by kind, in case order */
  size_t kind_begin[CET_UNIT_KINDS + 1]; /* units of kind k: by_kind[kind_begin[k] .. [k + 1]) */
  size_t n_sinks;
  size_t *sink_unit; /* [sinks] the units without outlets */
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
  free(d->by_kind);
  free(d->sink_unit);
  free(d->m_production_c);
  free(d->m_recovery_c);
  free(d->m_sink_mass);
  free(d->m_sink_comp);
  free(d->m_sink_recovery);
  free(d->m_consumption);
  free(d);
}

/* ---- evaluation ---- */

/* The external feed of every unit that brings material in (feeds, the
 * imports of exchanges) and the total of the feeds. */
static int feeds(const cet_twin *t, const flows_data *d, const double *p, cet_twin_workspace *w) {
  for (size_t c = 0; c < t->nc; c++) {
    w->feed_total[c] = 0.0;
  }
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_twin_kind *kind = cet_twin_kind_of((cet_unit_kind)k);
    for (size_t i = d->kind_begin[k]; kind->feed && i < d->kind_begin[k + 1]; i++) {
      CET_CALL(kind->feed(t, d->by_kind[i], p, w));
    }
  }
  return CET_OK;
}

/* The shares of every unit whose kind sets them per evaluation. */
static int shares(const cet_twin *t, const flows_data *d, const double *p, cet_twin_workspace *w) {
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_twin_kind *kind = cet_twin_kind_of((cet_unit_kind)k);
    for (size_t i = d->kind_begin[k]; kind->shares && i < d->kind_begin[k + 1]; i++) {
      CET_CALL(kind->shares(t, d->by_kind[i], p, w));
    }
  }
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
    const cet_twin_kind *kind = cet_twin_kind_of(t->kind[u]);
    if (kind->settle) {
      kind->settle(t, u, p, w);
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
    if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS)) { /* a sink keeps what enters */
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
    if (cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) { /* the export leaves the twin here */
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
  for (size_t k = 0; k < t->nk; k++) {
    w->carrier[k] = 0.0;
  }
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_twin_kind *kind = cet_twin_kind_of((cet_unit_kind)k);
    for (size_t i = d->kind_begin[k]; kind->consume && i < d->kind_begin[k + 1]; i++) {
      kind->consume(t, d->by_kind[i], p, w);
    }
  }
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
  for (size_t u = 0; u < t->nu; u++) {
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

/* The units grouped by kind (in case order within a kind) and the sinks. */
static int collect_units(const cet_twin *t, flows_data *d) {
  size_t n = t->nu ? t->nu : 1;
  d->by_kind = malloc(n * sizeof(size_t));
  d->sink_unit = malloc(n * sizeof(size_t));
  CET_CHECK_ALLOCS(d->by_kind && d->sink_unit);
  size_t at = 0;
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    d->kind_begin[k] = at;
    for (size_t u = 0; u < t->nu; u++) {
      if ((int)t->kind[u] == k) {
        d->by_kind[at++] = u;
      }
    }
  }
  d->kind_begin[CET_UNIT_KINDS] = at;
  for (size_t u = 0; u < t->nu; u++) {
    if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS)) {
      d->sink_unit[d->n_sinks++] = u;
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
    any = may_be_unknown(t, t->consumption + u * t->nk, t->nk) ||
          (ch && may_be_unknown(t, ch->spec->consumption, ch->spec->processes.n * t->nk));
  }
  d->m_unknown = -1;
  if (!any) {
    return CET_OK;
  }
  size_t m = 0;
  CET_CALL(cet_twin_add_metricf(t, &m, CET_METRIC_FAMILY_HEADLINE, "1",
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
  CET_CHECK_ALLOCS(d->m_production_c && d->m_recovery_c && d->m_sink_mass && d->m_sink_comp &&
                   d->m_sink_recovery && d->m_consumption);
  const char *const *cn = (const char *const *)t->components.name;
  CET_CALL(cet_twin_add_metricf(t, &d->m_feed, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass of all feeds", "feed"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_production, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass to market sinks", "production"));
  for (size_t c = 0; c < nc; c++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_production_c[c], CET_METRIC_FAMILY_DETAIL, fu,
                                  "mass of the component to market sinks", "production.%s", cn[c]));
  }
  for (size_t c = 0; c < nc; c++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_recovery_c[c], CET_METRIC_FAMILY_HEADLINE, "1",
                                  "fraction of the component's feed that reaches market sinks",
                                  "recovery.%s", cn[c]));
    cet_twin_mark_share(t, d->m_recovery_c[c]);
  }
  CET_CALL(cet_twin_add_metricf(t, &d->m_generated, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass of feeds marked residue: true", "residue_generated"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_landfilled, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass to landfill sinks", "residue_landfilled"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_valorised, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass to valorisation sinks", "residue_valorised"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_exported, CET_METRIC_FAMILY_HEADLINE, fu,
                                "total mass to export sinks", "residue_exported"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_avoided, CET_METRIC_FAMILY_HEADLINE, fu,
                                "residue_generated - residue_landfilled", "landfill_avoided"));
  for (size_t s = 0; s < ns; s++) {
    const char *sink = t->unit_names.name[d->sink_unit[s]];
    CET_CALL(cet_twin_add_metricf(t, &d->m_sink_mass[s], CET_METRIC_FAMILY_DETAIL, fu,
                                  "total mass received by the sink", "mass.%s", sink));
    for (size_t c = 0; c < nc; c++) {
      CET_CALL(cet_twin_add_metricf(t, &d->m_sink_comp[s * nc + c], CET_METRIC_FAMILY_DETAIL, fu,
                                    "mass of the component received", "mass.%s.%s", sink, cn[c]));
    }
    for (size_t c = 0; c < nc; c++) {
      CET_CALL(cet_twin_add_metricf(t, &d->m_sink_recovery[s * nc + c], CET_METRIC_FAMILY_DETAIL,
                                    "1", "fraction of the component's feed that reaches the sink",
                                    CET_METRIC_SINK_RECOVERY, cn[c], sink));
      cet_twin_mark_share(t, d->m_sink_recovery[s * nc + c]);
    }
  }
  for (size_t k = 0; k < t->nk; k++) {
    char units[FLOWS_UNITS_LEN];
    cet_quantity_rate_units(t->carrier_units[k], fu, units, sizeof units);
    CET_CALL(cet_twin_add_metricf(
        t, &d->m_consumption[k], CET_METRIC_FAMILY_HEADLINE, units,
        "consumption of the carrier by all process units (NaN: a unit with flow has "
        "no known value)",
        CET_METRIC_CONSUMPTION, t->carriers.name[k]));
  }
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_closure, CET_METRIC_FAMILY_HEADLINE, "1",
      "largest relative mass-balance closure error over units and components", "closure"));
  CET_CALL(cet_twin_choice_register(t));
  return register_unknown(t, d);
}

/* An exchange (a unit across the boundary) exports a fixed mass of what
 * reaches it, which is not a linear share: it must lie outside every
 * recycle loop, where its inflow is known before its share is needed. */
static int check_exchanges(const cet_twin *t) {
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    const cet_twin_block *b = &t->block[bi];
    for (size_t i = 0; b->cyclic && i < b->size; i++) {
      size_t u = t->order[b->begin + i];
      if (cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) {
        const char *label = cet_unit_kind_describe(t->kind[u])->label;
        char list[FLOWS_LIST_LEN];
        cet_twin_block_units(t, bi, list, sizeof list);
        CET_CHECK(0, CET_ERR_INPUT,
                  "%s: %s '%s' lies in the recycle loop through units %s; an export takes a "
                  "fixed mass, not a share, so place the %s outside the loop",
                  t->where[u], label, t->unit_names.name[u], list, label);
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
