/*
 * twin_criteria.c — the "criteria" stage of a twin with network.criteria
 * (user guide: `criteria:`): the four criteria of a copper scrap management
 * strategy of Bonnin et al. (2015), Eqs. 5-8, as totals of terms:
 *   criteria.cost   = cost.recycling (carriers x prices) + sum of the
 *                     units' handling.cost (sorting, disposal, import or
 *                     export per t) + cost.incineration + cost.exchange
 *                     (when the twin has them) - sold (main component to
 *                     market x price)
 *   criteria.gwp    = gwp (carriers and sink burdens) + handling.gwp
 *   criteria.energy = energy (the energy carriers) + handling.energy
 *   criteria.losses = the main component reaching every sink that is not a
 *                     market: landfill and incineration (disposed, and the
 *                     W1/W2 wastes sent there), valorisation and export
 *                     sinks, and the main component the exchange units
 *                     export (Eq. 8's L_E).
 * Each term is one cet_twin_add_term (twin_totals.c), so a unit kind that
 * adds to a criterion registers its metric as one more term.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CRITERIA_UNITS_LEN = 64, CRITERIA_NAME_LEN = 512 };

static const char *const TERM_NAMES[CET_HANDLING_TERMS] = {"cost", "gwp", "energy"};
static const char *const COST_TEXT =
    "running cost (Bonnin et al. 2015, Eq. 5): recycling (carriers x prices) + handling "
    "(sorting, disposal, import, export) - the main component sold";
static const char *const GWP_TEXT = "CO2e (Eq. 6): carriers and sink burdens (gwp) + handling";
static const char *const ENERGY_TEXT = "energy (Eq. 7): the energy carriers (energy) + handling";

typedef struct {
  long *price; /* [carriers] */
  long sold;
  size_t main;
  size_t n_handled;
  size_t *handled;   /* [n_handled] units with handling */
  long *handling;    /* [n_handled x terms] slots */
  size_t *m_handled; /* [n_handled x terms] metric indices (only where the slot is given) */
  size_t m_recycling, m_sold;
} criteria_data;

static void criteria_free(void *p) {
  criteria_data *d = p;
  if (!d) {
    return;
  }
  free(d->price);
  free(d->handled);
  free(d->handling);
  free(d->m_handled);
  free(d);
}

/* A sink whose receipts of the main component are lost to the system. */
static int is_loss(cet_sink_kind kind) { return kind != CET_SINK_MARKET; }

static int criteria_evaluate(const cet_twin *t, const void *data, const double *p,
                             cet_twin_workspace *w, double *m) {
  const criteria_data *d = data;
  size_t nc = t->nc;
  double recycling = 0.0, sold = 0.0;
  for (size_t k = 0; k < t->nk; k++) {
    if (d->price[k] != CET_SLOT_NONE) {
      recycling += p[d->price[k]] * w->carrier[k];
    }
  }
  for (size_t u = 0; u < t->nu; u++) {
    if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS) && t->sink_kind[u] == CET_SINK_MARKET) {
      sold += w->x[u * nc + d->main];
    }
  }
  m[d->m_recycling] = recycling;
  m[d->m_sold] = cet_twin_slot_value(p, d->sold) * sold;
  for (size_t i = 0; i < d->n_handled; i++) {
    size_t u = d->handled[i];
    double mass = 0.0;
    for (size_t c = 0; c < nc; c++) {
      mass += w->x[u * nc + c];
    }
    for (size_t k = 0; k < CET_HANDLING_TERMS; k++) {
      long slot = d->handling[i * CET_HANDLING_TERMS + k];
      if (slot != CET_SLOT_NONE) {
        m[d->m_handled[i * CET_HANDLING_TERMS + k]] = p[slot] * mass;
      }
    }
  }
  return CET_OK;
}

static int copy_spec(const cet_twin *t, const cet_twin_spec *spec, criteria_data *d) {
  const cet_criteria_spec *cr = spec->criteria;
  size_t np = cet_params_count(t->params);
  CET_CHECK(cr->main < t->nc, CET_ERR_INPUT, "criteria: main component %zu out of range", cr->main);
  d->main = cr->main;
  d->sold = cr->sold;
  d->price = malloc((t->nk + 1) * sizeof *d->price);
  d->handled = malloc((t->nu + 1) * sizeof *d->handled);
  d->handling = malloc((t->nu * CET_HANDLING_TERMS + 1) * sizeof *d->handling);
  d->m_handled = calloc(t->nu * CET_HANDLING_TERMS + 1, sizeof *d->m_handled);
  CET_CHECK_ALLOCS(d->price && d->handled && d->handling && d->m_handled);
  for (size_t k = 0; k < t->nk; k++) {
    d->price[k] = cr->price ? cr->price[k] : CET_SLOT_NONE;
  }
  for (size_t u = 0; u < t->nu; u++) {
    const long *h = spec->unit[u].handling;
    if (!h) {
      continue;
    }
    d->handled[d->n_handled] = u;
    memcpy(d->handling + d->n_handled * CET_HANDLING_TERMS, h, CET_HANDLING_TERMS * sizeof *h);
    d->n_handled++;
  }
  CET_CHECK(d->sold == CET_SLOT_NONE || (d->sold >= 0 && (size_t)d->sold < np), CET_ERR_INPUT,
            "criteria: parameter slot %ld out of range", d->sold);
  for (size_t k = 0; k < t->nk; k++) {
    CET_CHECK(d->price[k] == CET_SLOT_NONE || (d->price[k] >= 0 && (size_t)d->price[k] < np),
              CET_ERR_INPUT, "criteria: price slot of %s out of range", t->carriers.name[k]);
  }
  for (size_t i = 0; i < d->n_handled * CET_HANDLING_TERMS; i++) {
    CET_CHECK(d->handling[i] == CET_SLOT_NONE ||
                  (d->handling[i] >= 0 && (size_t)d->handling[i] < np),
              CET_ERR_INPUT, "criteria: handling slot %ld out of range", d->handling[i]);
  }
  return CET_OK;
}

/* The index of metric name, which an earlier stage registered. */
static int metric(const cet_twin *t, const char *name, size_t *index) {
  long i = cet_twin_metric_find(t, name);
  CET_CHECK(i >= 0, CET_ERR_INPUT, "criteria: the twin has no metric '%s'", name);
  *index = (size_t)i;
  return CET_OK;
}

static int register_metrics(cet_twin *t, const cet_twin_spec *spec, criteria_data *d) {
  const char *currency = spec->criteria->currency ? spec->criteria->currency : "EUR";
  const char *main = t->components.name[d->main];
  char per_t[CRITERIA_UNITS_LEN], money[CRITERIA_UNITS_LEN], co2[CRITERIA_UNITS_LEN];
  char kwh[CRITERIA_UNITS_LEN], name[CRITERIA_NAME_LEN];
  snprintf(per_t, sizeof per_t, "%s/t", currency);
  cet_quantity_rate_units(per_t, t->flow_units, money, sizeof money);
  cet_quantity_rate_units("t CO2e/t", t->flow_units, co2, sizeof co2);
  cet_quantity_rate_units("kWh/t", t->flow_units, kwh, sizeof kwh);
  const char *units[CET_HANDLING_TERMS] = {money, co2, kwh};
  static const char *const CRITERION[CET_HANDLING_TERMS] = {"criteria.cost", "criteria.gwp",
                                                            "criteria.energy"};
  const char *const CRITERION_TEXT[CET_HANDLING_TERMS] = {COST_TEXT, GWP_TEXT, ENERGY_TEXT};
  size_t base[CET_HANDLING_TERMS];
  CET_CALL(cet_twin_add_metricf(t, &d->m_recycling, CET_METRIC_FAMILY_HEADLINE, money,
                                "cost of the carriers consumed: price x consumption per carrier",
                                "cost.recycling"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_sold, CET_METRIC_FAMILY_HEADLINE, money,
                                "income of the main component reaching market sinks: price x mass",
                                "sold.%s", main));
  for (size_t i = 0; i < d->n_handled; i++) {
    const char *unit = t->unit_names.name[d->handled[i]];
    for (size_t k = 0; k < CET_HANDLING_TERMS; k++) {
      if (d->handling[i * CET_HANDLING_TERMS + k] != CET_SLOT_NONE) {
        CET_CALL(cet_twin_add_metricf(
            t, &d->m_handled[i * CET_HANDLING_TERMS + k], CET_METRIC_FAMILY_HEADLINE, units[k],
            "handling of the unit's inflow (per t x mass)", "handling.%s.%s", TERM_NAMES[k], unit));
      }
    }
  }
  CET_CALL(cet_twin_add_term(t, CRITERION[0], money, CRITERION_TEXT[0], d->m_recycling, 1.0));
  CET_CALL(metric(t, "gwp", &base[CET_HANDLING_GWP]));
  CET_CALL(metric(t, "energy", &base[CET_HANDLING_ENERGY]));
  CET_CALL(cet_twin_add_term(t, CRITERION[1], co2, CRITERION_TEXT[1], base[1], 1.0));
  CET_CALL(cet_twin_add_term(t, CRITERION[2], kwh, CRITERION_TEXT[2], base[2], 1.0));
  for (size_t i = 0; i < d->n_handled; i++) {
    for (size_t k = 0; k < CET_HANDLING_TERMS; k++) {
      if (d->handling[i * CET_HANDLING_TERMS + k] != CET_SLOT_NONE) {
        CET_CALL(cet_twin_add_term(t, CRITERION[k], units[k], CRITERION_TEXT[k],
                                   d->m_handled[i * CET_HANDLING_TERMS + k], 1.0));
      }
    }
  }
  /* costs of other stages, when the twin has them (twin_structural.c; their
   * energy and CO2e are in `energy` and `gwp` already) */
  static const char *const OTHER[] = {"cost.incineration", "cost.exchange"};
  for (size_t i = 0; i < sizeof OTHER / sizeof OTHER[0]; i++) {
    long m = cet_twin_metric_find(t, OTHER[i]);
    if (m >= 0) {
      CET_CALL(cet_twin_add_term(t, CRITERION[0], money, CRITERION_TEXT[0], (size_t)m, 1.0));
    }
  }
  CET_CALL(cet_twin_add_term(t, CRITERION[0], money, CRITERION_TEXT[0], d->m_sold, -1.0));
  snprintf(name, sizeof name,
           "%s lost (Eq. 8): the main component reaching sinks other than markets (landfill, "
           "valorisation, export) and exported by exchange units",
           main);
  for (size_t u = 0; u < t->nu; u++) {
    int sink = !cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS) && is_loss(t->sink_kind[u]);
    if (sink || cet_twin_unit_is(t, u, CET_UNIT_KIND_BOUNDARY)) {
      char lost[CRITERIA_NAME_LEN];
      size_t m = 0;
      snprintf(lost, sizeof lost, "%s.%s.%s", sink ? "mass" : "export", t->unit_names.name[u],
               main);
      CET_CALL(metric(t, lost, &m));
      CET_CALL(cet_twin_add_term(t, "criteria.losses", t->flow_units, name, m, 1.0));
    }
  }
  return CET_OK;
}

int cet_twin_build_criteria(cet_twin *t, const cet_twin_spec *spec) {
  if (!spec->criteria) {
    return CET_OK;
  }
  criteria_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, copy_spec(t, spec, d));
  /* from here on the stage owns d (a failing cet_twin_add_stage frees it) */
  CET_CALL(cet_twin_add_stage(t, "criteria", criteria_evaluate, d, criteria_free));
  CET_CALL(register_metrics(t, spec, d));
  return CET_OK;
fail:
  criteria_free(d);
  return status;
}
