/*
 * twin_exergy.c — the "exergy" stage of a twin (user guide: Exergy): the
 * chemical exergy of every stream from the specific chemical exergy of its
 * components, the exergy of the carriers each unit consumes, and per unit
 * the exergy in, out in products, out in residues and destroyed, with the
 * system's totals, all as metrics.
 *
 * A component's specific chemical exergy b_c (GJ/t) is its standard
 * chemical exergy (kJ/mol) over its molar mass (g/mol), or given directly.
 * A stream carries sum_c flow_c b_c; a carrier brings consumption x factor
 * x GJ per unit of the carrier. For every unit
 *   in = feed + inlet streams + carriers,
 *   destroyed = in - products - residues,
 * where products and residues are its outlet streams (by outlet), and a
 * sink's inflow leaves the twin as product (market, valorisation) or
 * residue (landfill, incineration, export), so that a sink destroys
 * nothing. Process and flowsheet choice units consume carriers; what an
 * exchange unit exports leaves the twin as its residue (and counts as
 * exported), what it imports enters as its feed.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXERGY_UNITS_LEN = 64 };

typedef struct {
  long *chemical, *molar_mass, *specific; /* [components] */
  long *factor;                           /* [carriers] */
  double *gj_per_unit;                    /* [carriers] */
  unsigned char *product_edge;            /* [edges] 1: the edge carries products */
  size_t n_process;
  size_t *process_unit; /* [process units] */
  size_t m_feed, m_carriers, m_input, m_destroyed, m_products, m_valorised, m_landfilled,
      m_incinerated, m_exported, m_recovered, m_efficiency;
  size_t *m_unit; /* [process units x CET_EXERGY_TERMS + 1]: the terms, then the efficiency */
} exergy_data;

typedef struct {
  double *specific; /* [components] GJ/t */
  double *stream;   /* [edges] */
  double *unit;     /* [units x CET_EXERGY_TERMS] */
} exergy_ws;

static void exergy_free(void *p) {
  exergy_data *d = p;
  if (!d) {
    return;
  }
  free(d->chemical);
  free(d->molar_mass);
  free(d->specific);
  free(d->factor);
  free(d->gj_per_unit);
  free(d->product_edge);
  free(d->process_unit);
  free(d->m_unit);
  free(d);
}

static void exergy_ws_destroy(void *p) {
  exergy_ws *ws = p;
  if (!ws) {
    return;
  }
  free(ws->specific);
  free(ws->stream);
  free(ws->unit);
  free(ws);
}

static int exergy_ws_create(const cet_twin *t, const void *data, void **out) {
  (void)data;
  exergy_ws *ws = calloc(1, sizeof *ws);
  CET_CHECK_ALLOC(ws);
  ws->specific = calloc(t->nc + 1, sizeof *ws->specific);
  ws->stream = calloc(t->ne + 1, sizeof *ws->stream);
  ws->unit = calloc(t->nu * CET_EXERGY_TERMS + 1, sizeof *ws->unit);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, ws->specific && ws->stream && ws->unit);
  *out = ws;
  return CET_OK;
fail:
  exergy_ws_destroy(ws);
  return status;
}

static double ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }

/* Exergy of a composition vector (flow units x GJ/t). */
static double of_flows(const double *flow, const double *b, size_t nc) {
  double sum = 0.0;
  for (size_t c = 0; c < nc; c++) {
    sum += flow[c] * b[c];
  }
  return sum;
}

/* 1 for the units that consume carriers. */
static int consumes(const cet_twin *t, size_t u) {
  return cet_twin_unit_is(t, u, CET_UNIT_KIND_CONSUMES);
}

/* 1 for the units where material leaves the twin (sinks). */
static int keeps(const cet_twin *t, size_t u) {
  return !cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS);
}

/* Exchange unit u: the chemical exergy of what it exports (its inflow less
 * the share its outlet passes on). */
static double exported_by(const cet_twin *t, const cet_twin_workspace *w, const exergy_ws *ws,
                          size_t u) {
  const double *s = w->share + t->out_begin[u] * t->nc, *xu = w->x + u * t->nc;
  double sum = 0.0;
  for (size_t c = 0; c < t->nc; c++) {
    sum += (1.0 - s[c]) * xu[c] * ws->specific[c];
  }
  return sum;
}

/* The terms of unit u (in, products, residues, destroyed) into row. */
static void unit_terms(const cet_twin *t, const exergy_data *d, const double *p,
                       const cet_twin_workspace *w, const exergy_ws *ws, size_t u, double *row) {
  double in = of_flows(w->feed + u * t->nc, ws->specific, t->nc);
  for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
    in += ws->stream[t->in_edge[j]];
  }
  if (consumes(t, u)) {
    const double *cu = w->consumption + u * t->nk;
    for (size_t k = 0; k < t->nk; k++) {
      in += cu[k] * p[d->factor[k]] * d->gj_per_unit[k];
    }
  }
  double products = 0.0, residues = 0.0;
  if (cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) {
    residues = exported_by(t, w, ws, u);
  }
  if (keeps(t, u)) {
    cet_sink_kind s = t->sink_kind[u];
    int product = s == CET_SINK_MARKET || s == CET_SINK_VALORISATION;
    products = product ? in : 0.0;
    residues = product ? 0.0 : in;
  }
  for (size_t e = t->out_begin[u]; e < t->out_begin[u + 1]; e++) {
    if (d->product_edge[e]) {
      products += ws->stream[e];
    } else {
      residues += ws->stream[e];
    }
  }
  row[CET_EXERGY_IN] = in;
  row[CET_EXERGY_PRODUCTS] = products;
  row[CET_EXERGY_RESIDUES] = residues;
  row[CET_EXERGY_DESTROYED] = in - products - residues;
}

static int exergy_evaluate(const cet_twin *t, const void *data, const double *p,
                           cet_twin_workspace *w, double *m) {
  const exergy_data *d = data;
  exergy_ws *ws = cet_twin_stage_ws(w, (size_t)t->exergy_stage);
  size_t nc = t->nc;
  for (size_t c = 0; c < nc; c++) {
    ws->specific[c] = d->specific[c] != CET_SLOT_NONE ? p[d->specific[c]]
                                                      : p[d->chemical[c]] / p[d->molar_mass[c]];
  }
  for (size_t e = 0; e < t->ne; e++) {
    ws->stream[e] = of_flows(w->flow + e * nc, ws->specific, nc);
  }
  double feed = 0.0, carriers = 0.0, destroyed = 0.0, exchanged = 0.0;
  double by_kind[CET_SINK_KINDS] = {0.0};
  for (size_t u = 0; u < t->nu; u++) {
    double *row = ws->unit + u * CET_EXERGY_TERMS;
    unit_terms(t, d, p, w, ws, u, row);
    double fu = of_flows(w->feed + u * nc, ws->specific, nc);
    feed += fu;
    if (keeps(t, u)) {
      by_kind[t->sink_kind[u]] += row[CET_EXERGY_IN];
      continue;
    }
    destroyed += row[CET_EXERGY_DESTROYED];
    if (cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) {
      exchanged += row[CET_EXERGY_RESIDUES];
    }
    if (consumes(t, u)) {
      double streams = fu;
      for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
        streams += ws->stream[t->in_edge[j]];
      }
      carriers += row[CET_EXERGY_IN] - streams;
    }
  }
  for (size_t i = 0; i < d->n_process; i++) {
    const double *row = ws->unit + d->process_unit[i] * CET_EXERGY_TERMS;
    const size_t *mu = d->m_unit + i * (CET_EXERGY_TERMS + 1);
    for (size_t k = 0; k < CET_EXERGY_TERMS; k++) {
      m[mu[k]] = row[k];
    }
    m[mu[CET_EXERGY_TERMS]] = ratio(row[CET_EXERGY_PRODUCTS], row[CET_EXERGY_IN]);
  }
  double recovered = by_kind[CET_SINK_MARKET] + by_kind[CET_SINK_VALORISATION];
  m[d->m_feed] = feed;
  m[d->m_carriers] = carriers;
  m[d->m_input] = feed + carriers;
  m[d->m_destroyed] = destroyed;
  m[d->m_products] = by_kind[CET_SINK_MARKET];
  m[d->m_valorised] = by_kind[CET_SINK_VALORISATION];
  m[d->m_landfilled] = by_kind[CET_SINK_LANDFILL];
  m[d->m_incinerated] = by_kind[CET_SINK_INCINERATION];
  m[d->m_exported] = by_kind[CET_SINK_EXPORT] + exchanged;
  m[d->m_recovered] = recovered;
  m[d->m_efficiency] = ratio(recovered, feed + carriers);
  return CET_OK;
}

/* ---- build ---- */

static int copy_spec(const cet_twin *t, const cet_twin_spec *spec, exergy_data *d) {
  const cet_exergy_spec *x = &spec->exergy;
  size_t nc = t->nc + 1, nk = t->nk + 1, np = cet_params_count(t->params);
  d->chemical = malloc(nc * sizeof *d->chemical);
  d->molar_mass = malloc(nc * sizeof *d->molar_mass);
  d->specific = malloc(nc * sizeof *d->specific);
  d->factor = malloc(nk * sizeof *d->factor);
  d->gj_per_unit = malloc(nk * sizeof *d->gj_per_unit);
  d->product_edge = calloc(t->ne + 1, 1);
  d->process_unit = malloc((t->nu + 1) * sizeof *d->process_unit);
  CET_CHECK_ALLOCS(d->chemical && d->molar_mass && d->specific && d->factor && d->gj_per_unit &&
                   d->product_edge && d->process_unit);
  for (size_t c = 0; c < t->nc; c++) {
    d->chemical[c] = x->chemical[c];
    d->molar_mass[c] = x->molar_mass[c];
    d->specific[c] = x->specific[c];
    int direct = d->specific[c] >= 0 && (size_t)d->specific[c] < np;
    int species = d->chemical[c] >= 0 && (size_t)d->chemical[c] < np && d->molar_mass[c] >= 0 &&
                  (size_t)d->molar_mass[c] < np;
    CET_CHECK(direct || species, CET_ERR_INPUT, "component %s has no chemical exergy slot",
              t->components.name[c]);
  }
  for (size_t k = 0; k < t->nk; k++) {
    d->factor[k] = x->factor[k];
    d->gj_per_unit[k] = x->gj_per_unit[k];
    CET_CHECK(d->factor[k] >= 0 && (size_t)d->factor[k] < np, CET_ERR_INPUT,
              "carrier %s has no exergy factor slot", t->carriers.name[k]);
  }
  for (size_t e = 0; e < t->ne; e++) {
    size_t u = t->edge_from[e];
    long o = cet_names_find(&spec->unit[u].outlets, t->edge_outlet[e]);
    CET_CHECK(o >= 0, CET_ERR_INPUT, "unit %s has no outlet %s", t->unit_names.name[u],
              t->edge_outlet[e]);
    d->product_edge[e] = x->product[u][o];
  }
  for (size_t u = 0; u < t->nu; u++) {
    if (t->kind[u] == CET_UNIT_PROCESS) {
      d->process_unit[d->n_process++] = u;
    }
  }
  return CET_OK;
}

static int register_metrics(cet_twin *t, exergy_data *d) {
  char units[EXERGY_UNITS_LEN];
  cet_quantity_rate_units("GJ/t", t->flow_units, units, sizeof units);
  const struct {
    size_t *index;
    const char *name, *description;
  } system[] = {
      {&d->m_feed, "exergy.feed", "chemical exergy of all feeds"},
      {&d->m_carriers, "exergy.carriers",
       "exergy of the carriers consumed (consumption x exergy factor)"},
      {&d->m_input, CET_METRIC_EXERGY_INPUT, "exergy.feed + exergy.carriers"},
      {&d->m_destroyed, CET_METRIC_EXERGY_DESTROYED, "exergy destroyed by all units (in - out)"},
      {&d->m_products, "exergy.products", "chemical exergy to market sinks"},
      {&d->m_valorised, "exergy.valorised", "chemical exergy to valorisation sinks"},
      {&d->m_landfilled, CET_METRIC_EXERGY_LANDFILLED, "chemical exergy lost to landfill sinks"},
      {&d->m_incinerated, "exergy.incinerated", "chemical exergy to incineration sinks"},
      {&d->m_exported, CET_METRIC_EXERGY_EXPORTED,
       "chemical exergy to export sinks and exported by exchange units"},
      {&d->m_recovered, CET_METRIC_EXERGY_RECOVERED, "exergy.products + exergy.valorised"},
  };
  for (size_t i = 0; i < sizeof system / sizeof system[0]; i++) {
    CET_CALL(cet_twin_add_metric(t, system[i].name, CET_METRIC_FAMILY_HEADLINE, units,
                                 system[i].description, system[i].index));
  }
  CET_CALL(cet_twin_add_metric(t, CET_METRIC_EXERGY_EFFICIENCY, CET_METRIC_FAMILY_HEADLINE, "1",
                               "exergy.recovered / exergy.input (0 without input)",
                               &d->m_efficiency));
  cet_twin_mark_share(t, d->m_efficiency);
  d->m_unit = malloc((d->n_process * (CET_EXERGY_TERMS + 1) + 1) * sizeof *d->m_unit);
  CET_CHECK_ALLOC(d->m_unit);
  static const char *const TERM[CET_EXERGY_TERMS] = {"in", "products", "residues", "destroyed"};
  static const char *const TERM_DESCRIPTION[CET_EXERGY_TERMS] = {
      "exergy entering the unit: inlet streams and carriers",
      "exergy leaving the unit in its product outlets",
      "exergy leaving the unit in its residue outlets", "exergy destroyed by the unit (in - out)"};
  for (size_t i = 0; i < d->n_process; i++) {
    const char *unit = t->unit_names.name[d->process_unit[i]];
    size_t *mu = d->m_unit + i * (CET_EXERGY_TERMS + 1);
    for (size_t k = 0; k < CET_EXERGY_TERMS; k++) {
      CET_CALL(cet_twin_add_metricf(t, &mu[k], CET_METRIC_FAMILY_UNIT, units, TERM_DESCRIPTION[k],
                                    "exergy.%s.%s", unit, TERM[k]));
    }
    CET_CALL(cet_twin_add_metricf(t, &mu[CET_EXERGY_TERMS], CET_METRIC_FAMILY_UNIT, "1",
                                  "exergy efficiency of the unit: products / in (0 without input)",
                                  "exergy.%s.efficiency", unit));
    cet_twin_mark_share(t, mu[CET_EXERGY_TERMS]);
  }
  return CET_OK;
}

int cet_twin_build_exergy(cet_twin *t, const cet_twin_spec *spec) {
  if (!spec->exergy.enabled) {
    return CET_OK;
  }
  exergy_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, copy_spec(t, spec, d));
  CET_CALL_GOTO(status, fail, register_metrics(t, d));
  t->exergy_stage = (long)t->n_stages;
  status = cet_twin_add_stage(t, "exergy", exergy_evaluate, d, exergy_free);
  if (status != CET_OK) {
    t->exergy_stage = -1;
    CET_CALL(status);
  }
  cet_twin_set_stage_workspace(t, exergy_ws_create, exergy_ws_destroy);
  return CET_OK;
fail:
  exergy_free(d);
  return status;
}

/* ---- accessors (twin.h) ---- */

int cet_twin_has_exergy(const cet_twin *t) { return t->exergy_stage >= 0; }

static const exergy_ws *ws_of(const cet_twin_workspace *w) {
  const cet_twin *t = w->twin;
  return t->exergy_stage < 0 ? NULL : cet_twin_stage_ws(w, (size_t)t->exergy_stage);
}

const double *cet_twin_workspace_specific_exergy(const cet_twin_workspace *w) {
  const exergy_ws *ws = ws_of(w);
  return ws ? ws->specific : NULL;
}

const double *cet_twin_workspace_stream_exergy(const cet_twin_workspace *w) {
  const exergy_ws *ws = ws_of(w);
  return ws ? ws->stream : NULL;
}

const double *cet_twin_workspace_unit_exergy(const cet_twin_workspace *w) {
  const exergy_ws *ws = ws_of(w);
  return ws ? ws->unit : NULL;
}
