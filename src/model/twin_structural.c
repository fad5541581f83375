/*
 * twin_structural.c — the "structural" stage of a twin, present when the
 * network has incineration sinks or exchange units (user guide: Units of a
 * network case): the mass incinerated with its cost and energy per tonne,
 * and per exchange unit the masses imported and exported (in total and per
 * component) with their costs and CO2e, and the export asked beyond what
 * reaches an exchange (the feasibility metric exchange_shortfall). It runs after the flows stage;
 * the environment stage adds its energy and CO2e to its totals.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <stdlib.h>

enum { STRUCT_UNITS_LEN = 64 };

typedef struct {
  size_t n_burners, n_exchanges;
  size_t *burner;    /* [n_burners] incineration sinks */
  long *burner_slot; /* [n_burners x 2] cost, energy per t */
  size_t *exchange;  /* [n_exchanges] exchange units */
  long
      *exchange_slot; /* [n_exchanges x 4] import cost, export cost, import burden, export burden */
  size_t m_incinerated, m_cost_incineration, m_energy_incineration;
  size_t *m_import, *m_export; /* [n_exchanges] */
  size_t *m_export_c;          /* [n_exchanges x components] */
  size_t m_shortfall, m_cost_exchange, m_gwp_exchange;
} structural_data;

static void structural_free(void *p) {
  structural_data *d = p;
  if (!d) {
    return;
  }
  free(d->burner);
  free(d->burner_slot);
  free(d->exchange);
  free(d->exchange_slot);
  free(d->m_import);
  free(d->m_export);
  free(d->m_export_c);
  free(d);
}

/* What exchange unit u sends out of the twin, per component: the part of
 * its inflow that does not pass on to its outlet (the flows stage set the
 * outlet's share), as the unit's balance counts it. */
static void exported_components(const cet_twin *t, size_t u, const cet_twin_workspace *w, double *m,
                                const size_t *m_export_c) {
  size_t nc = t->nc;
  const double *s = w->share + t->out_begin[u] * nc, *xu = w->x + u * nc;
  for (size_t c = 0; c < nc; c++) {
    m[m_export_c[c]] = (1.0 - s[c]) * xu[c];
  }
}

static int structural_evaluate(const cet_twin *t, const void *data, const double *p,
                               cet_twin_workspace *w, double *m) {
  const structural_data *d = data;
  size_t nc = t->nc;
  if (d->n_burners) {
    double mass = 0.0, cost = 0.0, energy = 0.0;
    for (size_t i = 0; i < d->n_burners; i++) {
      double total = 0.0;
      for (size_t c = 0; c < nc; c++) {
        total += w->x[d->burner[i] * nc + c];
      }
      mass += total;
      cost += cet_twin_slot_value(p, d->burner_slot[2 * i]) * total;
      energy += cet_twin_slot_value(p, d->burner_slot[2 * i + 1]) * total;
    }
    m[d->m_incinerated] = mass;
    m[d->m_cost_incineration] = cost;
    m[d->m_energy_incineration] = energy;
  }
  if (d->n_exchanges) {
    double shortfall = 0.0, cost = 0.0, gwp = 0.0;
    for (size_t i = 0; i < d->n_exchanges; i++) {
      const long *slot = d->exchange_slot + 4 * i;
      double imported = 0.0, exported = 0.0, missing = 0.0;
      cet_twin_exchange_masses(t, d->exchange[i], p, w, &imported, &exported, &missing);
      m[d->m_import[i]] = imported;
      m[d->m_export[i]] = exported;
      exported_components(t, d->exchange[i], w, m, d->m_export_c + i * nc);
      shortfall += missing;
      cost +=
          cet_twin_slot_value(p, slot[0]) * imported + cet_twin_slot_value(p, slot[1]) * exported;
      gwp +=
          cet_twin_slot_value(p, slot[2]) * imported + cet_twin_slot_value(p, slot[3]) * exported;
    }
    m[d->m_shortfall] = shortfall;
    m[d->m_cost_exchange] = cost;
    m[d->m_gwp_exchange] = gwp;
  }
  return CET_OK;
}

static int copy_slot(long *dst, long src, size_t n_params, const char *where) {
  CET_CHECK(src == CET_SLOT_NONE || (src >= 0 && (size_t)src < n_params), CET_ERR_INPUT,
            "%s: parameter slot %ld out of range", where, src);
  *dst = src;
  return CET_OK;
}

static int copy_spec(const cet_twin *t, const cet_twin_spec *spec, structural_data *d) {
  size_t nu = t->nu ? t->nu : 1, np = cet_params_count(t->params);
  d->burner = malloc(nu * sizeof *d->burner);
  d->burner_slot = malloc(2 * nu * sizeof *d->burner_slot);
  d->exchange = malloc(nu * sizeof *d->exchange);
  d->exchange_slot = malloc(4 * nu * sizeof *d->exchange_slot);
  d->m_import = malloc(nu * sizeof *d->m_import);
  d->m_export = malloc(nu * sizeof *d->m_export);
  d->m_export_c = malloc((nu * t->nc + 1) * sizeof *d->m_export_c);
  CET_CHECK_ALLOCS(d->burner && d->burner_slot && d->exchange && d->exchange_slot && d->m_import &&
                   d->m_export && d->m_export_c);
  for (size_t u = 0; u < t->nu; u++) {
    const cet_unit_spec *us = &spec->unit[u];
    if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS) &&
        t->sink_kind[u] == CET_SINK_INCINERATION) {
      long *slot = d->burner_slot + 2 * d->n_burners;
      CET_CALL(copy_slot(&slot[0], us->cost, np, t->where[u]));
      CET_CALL(copy_slot(&slot[1], us->energy, np, t->where[u]));
      d->burner[d->n_burners++] = u;
    } else if (cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) {
      long *slot = d->exchange_slot + 4 * d->n_exchanges;
      CET_CALL(copy_slot(&slot[0], us->import_cost, np, t->where[u]));
      CET_CALL(copy_slot(&slot[1], us->export_cost, np, t->where[u]));
      CET_CALL(copy_slot(&slot[2], us->import_burden, np, t->where[u]));
      CET_CALL(copy_slot(&slot[3], us->export_burden, np, t->where[u]));
      d->exchange[d->n_exchanges++] = u;
    }
  }
  return CET_OK;
}

static int register_metrics(cet_twin *t, structural_data *d) {
  const char *fu = t->flow_units;
  char eur[STRUCT_UNITS_LEN], kwh[STRUCT_UNITS_LEN], co2[STRUCT_UNITS_LEN];
  cet_quantity_rate_units("EUR/t", fu, eur, sizeof eur);
  cet_quantity_rate_units("kWh/t", fu, kwh, sizeof kwh);
  cet_quantity_rate_units("t CO2e/t", fu, co2, sizeof co2);
  if (d->n_burners) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_incinerated, CET_METRIC_FAMILY_HEADLINE, fu,
                                  "total mass to incineration sinks", "residue_incinerated"));
    CET_CALL(cet_twin_add_metricf(t, &d->m_cost_incineration, CET_METRIC_FAMILY_HEADLINE, eur,
                                  "cost of incineration: cost per t x mass received",
                                  "cost.incineration"));
    CET_CALL(cet_twin_add_metricf(
        t, &d->m_energy_incineration, CET_METRIC_FAMILY_HEADLINE, kwh,
        "energy of incineration: energy per t x mass received (negative: recovered)",
        "energy.incineration"));
  }
  if (!d->n_exchanges) {
    return CET_OK;
  }
  for (size_t i = 0; i < d->n_exchanges; i++) {
    const char *name = t->unit_names.name[d->exchange[i]];
    CET_CALL(cet_twin_add_metricf(t, &d->m_import[i], CET_METRIC_FAMILY_HEADLINE, fu,
                                  "mass imported by the exchange unit", "import.%s", name));
    CET_CALL(cet_twin_add_metricf(t, &d->m_export[i], CET_METRIC_FAMILY_HEADLINE, fu,
                                  "mass exported by the exchange unit (at most its inflow)",
                                  "export.%s", name));
    for (size_t c = 0; c < t->nc; c++) {
      CET_CALL(cet_twin_add_metricf(t, &d->m_export_c[i * t->nc + c], CET_METRIC_FAMILY_DETAIL, fu,
                                    "mass of the component exported by the exchange unit",
                                    "export.%s.%s", name, t->components.name[c]));
    }
  }
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_shortfall, CET_METRIC_FAMILY_HEADLINE, fu,
      "export asked beyond the inflow of exchange units (0: feasible; an optimiser's constraint)",
      "exchange_shortfall"));
  CET_CALL(cet_twin_add_feasibility(t, d->m_shortfall));
  CET_CALL(cet_twin_add_metricf(t, &d->m_cost_exchange, CET_METRIC_FAMILY_HEADLINE, eur,
                                "cost of exchanges: import and export costs per t x mass",
                                "cost.exchange"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_gwp_exchange, CET_METRIC_FAMILY_HEADLINE, co2,
                                "CO2e of exchanges: import and export burdens per t x mass",
                                "gwp.exchange"));
  return CET_OK;
}

int cet_twin_build_structural(cet_twin *t, const cet_twin_spec *spec) {
  structural_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, done, copy_spec(t, spec, d));
  CET_CALL_GOTO(status, done, register_metrics(t, d));
  if (d->n_burners > 0 || d->n_exchanges > 0) {
    CET_CALL(cet_twin_add_stage(t, "structural", structural_evaluate, d, structural_free));
    return CET_OK;
  }
done: /* on failure, or without burners and exchanges: no stage */
  structural_free(d);
  return status;
}
