/*
 * economics.c — life cycle of the economics description that the config
 * readers fill and the twin's economics stage builds from (see
 * economics.h).
 */
#include "cetwin/economics.h"

#include "cetwin/error.h"

#include <stdlib.h>

static const char *const SCENARIO_NAMES[CET_ECON_SCENARIOS] = {"pessimistic", "mean", "optimistic"};

const char *cet_econ_scenario_name(cet_econ_scenario s) { return SCENARIO_NAMES[s]; }

int cet_economics_spec_create(cet_economics_spec **out) {
  *out = calloc(1, sizeof **out);
  CET_CHECK_ALLOC(*out);
  (*out)->scenario = CET_ECON_MEAN;
  return CET_OK;
}

void cet_economics_spec_destroy(cet_economics_spec **sp) {
  if (sp == NULL || *sp == NULL) {
    return;
  }
  cet_economics_spec *s = *sp;
  for (size_t i = 0; i < s->n_phases; i++) {
    free(s->phases[i].name);
  }
  for (size_t i = 0; i < s->n_flows; i++) {
    free(s->flows[i].name);
    free(s->flows[i].unit);
    free(s->flows[i].where);
    free(s->flows[i].by_year);
    free(s->flows[i].metric);
  }
  for (size_t i = 0; i < s->n_lines; i++) {
    free(s->lines[i].name);
    free(s->lines[i].group);
    free(s->lines[i].where);
    free(s->lines[i].liquidation_group);
  }
  for (size_t i = 0; i < s->n_prices; i++) {
    free(s->prices[i].name);
    free(s->prices[i].unit);
    free(s->prices[i].where);
    free(s->prices[i].values);
    cet_price_destroy(&s->prices[i].model);
  }
  free(s->phases);
  free(s->flows);
  free(s->lines);
  free(s->prices);
  free(s->correlation);
  free(s->currency);
  free(s);
  *sp = NULL;
}
