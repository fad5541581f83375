/*
 * read_criteria.c — reads what the four criteria of a strategy need
 * (user guide: `criteria:`; Bonnin et al. 2015, Eqs. 5-8): the section
 * network.criteria (the currency, a price per carrier, the price of the
 * main component sold) and the `handling:` of a unit (cost, CO2e and
 * energy per t of its inflow: sorting, disposal, import or export). Every
 * number is a parameter at its key path.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const CRITERIA_KEYS[] = {"currency", "prices", "sold", "source", "note", NULL};
static const char *const HANDLING_KEYS[] = {"cost", "gwp", "energy", "source", "note", NULL};

int cet_read_criteria(const cet_node *section, const cet_node *root, const cet_case *c,
                      cet_twin_spec *s) {
  if (!section) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(section));
  CET_CALL(cet_node_check_keys(section, CRITERIA_KEYS));
  if (!cet_node_get(root, "main_component")) {
    return cet_node_fail(section, "the criteria need main_component: (the copper whose losses and "
                                  "sales they count)");
  }
  cet_criteria_spec *cr = calloc(1, sizeof *cr);
  CET_CHECK_ALLOC(cr);
  s->criteria = cr;
  cr->main = c->main_component;
  cr->sold = CET_SLOT_NONE;
  const char *currency = NULL;
  CET_CALL(cet_node_opt_string(section, "currency", "EUR", &currency));
  cr->currency = cet_strdup(currency);
  cr->price = malloc((s->carriers.n + 1) * sizeof *cr->price);
  CET_CHECK_ALLOCS(cr->currency && cr->price);
  for (size_t k = 0; k < s->carriers.n; k++) {
    cr->price[k] = CET_SLOT_NONE;
  }
  char units[128];
  const cet_node *prices = cet_node_get(section, "prices");
  if (prices) {
    CET_CALL(cet_node_expect_map(prices));
    for (size_t i = 0; i < cet_node_size(prices); i++) {
      size_t k = 0;
      CET_CALL(cet_read_lookup(prices, cet_node_key_at(prices, i), &s->carriers, "carrier", &k));
      const char *per = s->carrier_units[k], *slash = strchr(per, '/');
      snprintf(units, sizeof units, "%s/%.*s", cr->currency,
               (int)(slash ? (size_t)(slash - per) : strlen(per)), per);
      CET_CALL(cet_read_param(cet_node_at(prices, i), -INFINITY, INFINITY, units, s->params,
                              &cr->price[k]));
    }
  }
  snprintf(units, sizeof units, "%s/t", cr->currency);
  return cet_read_param_opt(section, "sold", 0.0, -INFINITY, INFINITY, units, s->params, &cr->sold);
}

int cet_read_handling(const cet_node *unit, const cet_twin_spec *s, cet_unit_spec *u) {
  const cet_node *h = cet_node_get(unit, "handling");
  if (!h) {
    return CET_OK;
  }
  if (!cet_unit_kind_has(u->kind, CET_UNIT_KIND_INLETS)) { /* handling is per t received */
    return cet_node_fail_key(unit, "handling",
                             "a %s has no handling: give it to the unit that sorts, disposes "
                             "of or exports what it receives",
                             cet_unit_kind_describe(u->kind)->label);
  }
  CET_CALL(cet_node_expect_map(h));
  CET_CALL(cet_node_check_keys(h, HANDLING_KEYS));
  u->handling = malloc(CET_HANDLING_TERMS * sizeof *u->handling);
  CET_CHECK_ALLOC(u->handling);
  static const char *const KEYS[CET_HANDLING_TERMS] = {"cost", "gwp", "energy"};
  char currency[128];
  snprintf(currency, sizeof currency, "%s/t",
           s->criteria && s->criteria->currency ? s->criteria->currency : "EUR");
  const char *units[CET_HANDLING_TERMS] = {currency, "t CO2e/t", "kWh/t"};
  for (size_t k = 0; k < CET_HANDLING_TERMS; k++) {
    u->handling[k] = CET_SLOT_NONE;
    const cet_node *v = cet_node_get(h, KEYS[k]);
    if (v) {
      double lo = k == CET_HANDLING_COST ? -INFINITY : 0.0;
      CET_CALL(cet_read_param(v, lo, INFINITY, units[k], s->params, &u->handling[k]));
    }
  }
  return CET_OK;
}
