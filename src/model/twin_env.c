/*
 * twin_env.c — the "environment" stage of a twin (user guide:
 * `environment:`): energy from the carriers' consumptions, CO2e from emission
 * factors per carrier and disposal burdens per tonne received by a sink, and
 * substitution credits of valorisation sinks per tonne received; with
 * incineration sinks or exchange units, the energy of incineration and the
 * CO2e of exchanges that the structural stage (twin_structural.c) computed.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ENV_UNITS_LEN = 64 };

static const size_t NO_METRIC = (size_t)-1;

typedef struct {
  size_t n_sinks;
  size_t *sink_unit;
  long *emission_factor; /* [carriers] */
  int *energy;           /* [carriers] */
  long avoided;          /* credit index or -1 */
  size_t m_energy, m_gwp, m_disposal, m_avoided, m_net;
  size_t *m_gwp_carrier; /* [carriers], NO_METRIC without an emission factor */
  size_t *m_credit;      /* [credits] */
  /* metrics of the structural stage added to the totals, or NO_METRIC */
  size_t m_energy_incineration, m_gwp_exchange;
} env_data;

static void env_free(void *p) {
  env_data *d = p;
  if (!d) {
    return;
  }
  free(d->sink_unit);
  free(d->emission_factor);
  free(d->energy);
  free(d->m_gwp_carrier);
  free(d->m_credit);
  free(d);
}

static int env_evaluate(const cet_twin *t, const void *data, const double *p, cet_twin_workspace *w,
                        double *m) {
  const env_data *d = data;
  size_t nc = t->nc, ncr = t->ncr;
  double energy = 0.0, gwp = 0.0, disposal = 0.0;
  for (size_t k = 0; k < t->nk; k++) {
    if (d->energy[k]) {
      energy += w->carrier[k];
    }
    if (d->m_gwp_carrier[k] != NO_METRIC) {
      double g = p[d->emission_factor[k]] * w->carrier[k];
      m[d->m_gwp_carrier[k]] = g;
      gwp += g;
    }
  }
  for (size_t r = 0; r < ncr; r++) {
    m[d->m_credit[r]] = 0.0;
  }
  for (size_t s = 0; s < d->n_sinks; s++) {
    size_t u = d->sink_unit[s];
    double total = 0.0;
    for (size_t c = 0; c < nc; c++) {
      total += w->x[u * nc + c];
    }
    disposal += cet_twin_slot_value(p, t->burden[u]) * total;
    for (size_t r = 0; r < ncr; r++) {
      m[d->m_credit[r]] += cet_twin_slot_value(p, t->credit[u * ncr + r]) * total;
    }
  }
  if (d->m_energy_incineration != NO_METRIC) {
    energy += m[d->m_energy_incineration];
  }
  if (d->m_gwp_exchange != NO_METRIC) {
    gwp += m[d->m_gwp_exchange];
  }
  gwp += disposal;
  double avoided = d->avoided >= 0 ? m[d->m_credit[d->avoided]] : 0.0;
  m[d->m_energy] = energy;
  m[d->m_disposal] = disposal;
  m[d->m_gwp] = gwp;
  m[d->m_avoided] = avoided;
  m[d->m_net] = gwp - avoided;
  return CET_OK;
}

static int copy_spec(cet_twin *t, const cet_twin_spec *spec, env_data *d) {
  size_t nk = t->nk ? t->nk : 1, np = cet_params_count(t->params);
  const cet_environment_spec *env = &spec->environment;
  d->sink_unit = malloc((t->nu ? t->nu : 1) * sizeof *d->sink_unit);
  d->emission_factor = malloc(nk * sizeof *d->emission_factor);
  d->energy = calloc(nk, sizeof *d->energy);
  d->m_gwp_carrier = malloc(nk * sizeof *d->m_gwp_carrier);
  d->m_credit = malloc((t->ncr ? t->ncr : 1) * sizeof *d->m_credit);
  CET_CHECK_ALLOCS(d->sink_unit && d->emission_factor && d->energy && d->m_gwp_carrier &&
                   d->m_credit);
  for (size_t u = 0; u < t->nu; u++) {
    if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS)) { /* a sink */
      d->sink_unit[d->n_sinks++] = u;
    }
  }
  for (size_t k = 0; k < t->nk; k++) {
    d->emission_factor[k] = env->emission_factor ? env->emission_factor[k] : CET_SLOT_NONE;
    CET_CHECK(d->emission_factor[k] == CET_SLOT_NONE ||
                  (d->emission_factor[k] >= 0 && (size_t)d->emission_factor[k] < np),
              CET_ERR_INPUT, "emission factor slot of %s out of range", t->carriers.name[k]);
    d->energy[k] = env->energy ? env->energy[k] : 0;
  }
  CET_CHECK(env->avoided_credit >= -1 && env->avoided_credit < (long)t->ncr, CET_ERR_INPUT,
            "avoided-CO2e credit index %ld out of range", env->avoided_credit);
  d->avoided = env->avoided_credit;
  long energy = cet_twin_metric_find(t, "energy.incineration");
  long exchange = cet_twin_metric_find(t, "gwp.exchange");
  d->m_energy_incineration = energy >= 0 ? (size_t)energy : NO_METRIC;
  d->m_gwp_exchange = exchange >= 0 ? (size_t)exchange : NO_METRIC;
  return CET_OK;
}

/* "t/a" -> "<what>/a". */
static void per_period(const char *flow_units, const char *what, char *buf, size_t len) {
  const char *period = strchr(flow_units, '/');
  snprintf(buf, len, "%s%s", what, period ? period : "");
}

static int register_metrics(cet_twin *t, env_data *d) {
  char energy_units[ENV_UNITS_LEN], co2_units[ENV_UNITS_LEN];
  per_period(t->flow_units, "kWh", energy_units, sizeof energy_units);
  per_period(t->flow_units, "t CO2e", co2_units, sizeof co2_units);
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_energy, CET_METRIC_FAMILY_HEADLINE, energy_units,
      "sum of the consumptions of the energy carriers (environment.energy_carriers)", "energy"));
  for (size_t k = 0; k < t->nk; k++) {
    d->m_gwp_carrier[k] = NO_METRIC;
    if (d->emission_factor[k] != CET_SLOT_NONE) {
      CET_CALL(
          cet_twin_add_metricf(t, &d->m_gwp_carrier[k], CET_METRIC_FAMILY_HEADLINE, co2_units,
                               "CO2e of the carrier's consumption (emission factor x consumption)",
                               "gwp.%s", t->carriers.name[k]));
    }
  }
  CET_CALL(cet_twin_add_metricf(t, &d->m_disposal, CET_METRIC_FAMILY_HEADLINE, co2_units,
                                "CO2e of disposal: sink burdens x mass received", "gwp.disposal"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_gwp, CET_METRIC_FAMILY_HEADLINE, co2_units,
                                "CO2e emitted: carriers and disposal", "gwp"));
  for (size_t r = 0; r < t->ncr; r++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_credit[r], CET_METRIC_FAMILY_HEADLINE, t->flow_units,
                                  "resource saved by valorisation: credit per t x mass received",
                                  "credit.%s", t->credits.name[r]));
  }
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_avoided, CET_METRIC_FAMILY_HEADLINE, co2_units,
      "CO2e avoided: the credit named by environment.avoided_co2 (0 without one)", "co2_avoided"));
  CET_CALL(cet_twin_add_metricf(t, &d->m_net, CET_METRIC_FAMILY_HEADLINE, co2_units,
                                "gwp - co2_avoided", "gwp_net"));
  return CET_OK;
}

int cet_twin_build_environment(cet_twin *t, const cet_twin_spec *spec) {
  env_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, copy_spec(t, spec, d));
  CET_CALL_GOTO(status, fail, register_metrics(t, d));
  CET_CALL(cet_twin_add_stage(t, "environment", env_evaluate, d, env_free));
  return CET_OK;
fail:
  env_free(d);
  return status;
}
