/*
 * twin_usage.c — the "usage" stage of a twin: tabulated values of named
 * quantities per unit (network.h, cet_usage_spec), of which a fixed share
 * is paid as soon as the unit is in use and the rest in proportion to its
 * usage rate. Metrics: usage.QUANTITY (the sums over the units), usage.rate.UNIT
 * (inflow / capacity) and usage.in_use (how many of the units carry flow).
 */
#include "twin_impl.h"

#include "cetwin/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  size_t nq, nu;
  size_t *unit;      /* [nu] */
  long *capacity;    /* [nu] slots, CET_SLOT_NONE = total feed */
  long *value;       /* [nu x nq] slots */
  long *fixed_share; /* [nq] slots */
  size_t *m_quantity, *m_rate, m_in_use;
} usage_data;

static void usage_free(void *p) {
  usage_data *d = p;
  if (!d) {
    return;
  }
  free(d->unit);
  free(d->capacity);
  free(d->value);
  free(d->fixed_share);
  free(d->m_quantity);
  free(d->m_rate);
  free(d);
}

static int usage_evaluate(const cet_twin *t, const void *data, const double *p,
                          cet_twin_workspace *w, double *m) {
  const usage_data *d = data;
  size_t nc = t->nc;
  double feed = 0.0;
  for (size_t c = 0; c < nc; c++) {
    feed += w->feed_total[c];
  }
  for (size_t k = 0; k < d->nq; k++) {
    m[d->m_quantity[k]] = 0.0;
  }
  size_t in_use = 0;
  for (size_t i = 0; i < d->nu; i++) {
    size_t u = d->unit[i];
    double inflow = 0.0;
    for (size_t c = 0; c < nc; c++) {
      inflow += w->x[u * nc + c];
    }
    double capacity = d->capacity[i] == CET_SLOT_NONE ? feed : p[d->capacity[i]];
    CET_CHECK(capacity > 0.0, CET_ERR_RUNTIME,
              "%s: the usage capacity of unit '%s' is %g; expected a positive flow", t->where[u],
              t->unit_names.name[u], capacity);
    double rate = inflow / capacity;
    m[d->m_rate[i]] = rate;
    if (!(rate > 0.0)) {
      continue; /* not in use: nothing to pay, not even the fixed share */
    }
    in_use++;
    for (size_t k = 0; k < d->nq; k++) {
      double fixed = p[d->fixed_share[k]];
      m[d->m_quantity[k]] += p[d->value[i * d->nq + k]] * (fixed + (1.0 - fixed) * rate);
    }
  }
  m[d->m_in_use] = (double)in_use;
  return CET_OK;
}

/* Copies n slots, each checked against the parameter table. */
static int copy_slots(long *dst, const long *src, size_t n, size_t n_params, int allow_none) {
  for (size_t i = 0; i < n; i++) {
    dst[i] = src[i];
    CET_CHECK((allow_none && dst[i] == CET_SLOT_NONE) || (dst[i] >= 0 && (size_t)dst[i] < n_params),
              CET_ERR_INPUT, "usage: parameter slot %ld out of range", dst[i]);
  }
  return CET_OK;
}

static int build(cet_twin *t, const cet_usage_spec *s, usage_data *d) {
  size_t nq = s->quantities.n, nu = s->n_units, np = cet_params_count(t->params);
  d->nq = nq;
  d->nu = nu;
  d->unit = malloc(nu * sizeof *d->unit);
  d->capacity = malloc(nu * sizeof *d->capacity);
  d->value = malloc(nu * nq * sizeof *d->value);
  d->fixed_share = malloc(nq * sizeof *d->fixed_share);
  d->m_quantity = malloc(nq * sizeof *d->m_quantity);
  d->m_rate = malloc(nu * sizeof *d->m_rate);
  CET_CHECK_ALLOCS(d->unit && d->capacity && d->value && d->fixed_share && d->m_quantity &&
                   d->m_rate);
  CET_CALL(copy_slots(d->capacity, s->capacity, nu, np, 1));
  CET_CALL(copy_slots(d->value, s->value, nu * nq, np, 0));
  CET_CALL(copy_slots(d->fixed_share, s->fixed_share, nq, np, 0));
  for (size_t i = 0; i < nu; i++) {
    CET_CHECK(s->unit[i] < t->nu, CET_ERR_INPUT, "usage: unit index %zu out of range", s->unit[i]);
    d->unit[i] = s->unit[i];
  }
  for (size_t k = 0; k < nq; k++) {
    CET_CALL(cet_twin_add_metricf(
        t, &d->m_quantity[k], CET_METRIC_FAMILY_HEADLINE, s->units[k],
        "sum over the units in use of value x (fixed_share + (1 - fixed_share) x rate)", "usage.%s",
        s->quantities.name[k]));
  }
  for (size_t i = 0; i < nu; i++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_rate[i], CET_METRIC_FAMILY_HEADLINE, "1",
                                  "usage rate: the unit's inflow / its usage capacity",
                                  "usage.rate.%s", t->unit_names.name[d->unit[i]]));
    cet_twin_mark_share(t, d->m_rate[i]);
  }
  CET_CALL(cet_twin_add_metricf(t, &d->m_in_use, CET_METRIC_FAMILY_HEADLINE, "1",
                                "number of usage units with a positive inflow", "usage.in_use"));
  return CET_OK;
}

int cet_twin_build_usage(cet_twin *t, const cet_twin_spec *spec) {
  const cet_usage_spec *s = &spec->usage;
  if (s->n_units == 0) {
    return CET_OK; /* no usage section: no stage, no metrics */
  }
  CET_CHECK(s->quantities.n > 0, CET_ERR_INPUT, "usage: units are listed but no quantities");
  usage_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, build(t, s, d));
  CET_CALL(cet_twin_add_stage(t, "usage", usage_evaluate, d, usage_free));
  return CET_OK;
fail:
  usage_free(d);
  return status;
}
