/*
 * read_structural.c — reads the structural units of a network (user guide:
 * Units of a network case): a selector (its whole inflow to the outlet an
 * integer parameter picks), an exchange unit (import minus export, bounded
 * by the case, with the composition of what is imported) and the cost and
 * energy per tonne of an incineration sink. Every number becomes a
 * parameter at its key path, so drivers and --set can move it.
 */
#include "read_structural.h"

#include "readers.h"

#include <math.h>

static const char *const SELECTOR_KEYS[] = {"type", "outlets", "choice", "source", "note", NULL};
static const char *const EXCHANGE_KEYS[] = {
    "type",          "net",           "bounds", "composition", "import_cost", "export_cost",
    "import_burden", "export_burden", "source", "note",        NULL};
static const char *const EXCHANGE_OUTLET = "out";

int cet_read_selector_unit(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u) {
  CET_CALL(cet_node_check_keys(unit, SELECTOR_KEYS));
  CET_CALL(cet_read_network_outlets(unit, u));
  size_t n = u->outlets.n;
  if (n < 2) {
    return cet_node_fail(cet_node_get(unit, "outlets"),
                         "a selector chooses among at least two outlets, found %zu", n);
  }
  const cet_node *v = NULL;
  long choice = 0;
  CET_CALL(cet_node_require(
      unit, "choice", "the index of the outlet that gets the whole inflow (0 = the first)", &v));
  CET_CALL(cet_node_integer_in(v, 0, (long)n - 1, &choice));
  return cet_register_param(v, (double)choice, 0.0, (double)(n - 1), "1",
                            CET_PARAM_INTEGER | CET_PARAM_CATEGORICAL, s->params, &u->choice);
}

int cet_read_exchange_unit(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u) {
  CET_CALL(cet_node_check_keys(unit, EXCHANGE_KEYS));
  const cet_node *bounds = NULL, *net = NULL;
  double lo = 0.0, hi = 0.0;
  CET_CALL(cet_node_require(unit, "bounds",
                            "[min, max] of import minus export in network.flow_units (min < 0 "
                            "allows exports, max > 0 imports)",
                            &bounds));
  CET_CALL(cet_node_pair_in(bounds, -INFINITY, INFINITY, &lo, &hi));
  CET_CALL(cet_node_require(unit, "net", "import minus export in network.flow_units", &net));
  CET_CALL(cet_read_param(net, lo, hi, s->flow_units, s->params, &u->net));
  const cet_node *composition = cet_node_get(unit, "composition");
  if (composition) {
    CET_CALL(cet_read_network_composition(composition, s, u));
  } else if (hi > 0.0) {
    return cet_node_fail_key(unit, "bounds",
                             "bounds [%g, %g] allow imports: give their composition: (mass "
                             "fractions per component)",
                             lo, hi);
  }
  CET_CALL(cet_read_param_opt(unit, "import_cost", 0.0, -INFINITY, INFINITY, "EUR/t", s->params,
                              &u->import_cost));
  CET_CALL(cet_read_param_opt(unit, "export_cost", 0.0, -INFINITY, INFINITY, "EUR/t", s->params,
                              &u->export_cost));
  CET_CALL(cet_read_param_opt(unit, "import_burden", 0.0, -INFINITY, INFINITY, "t CO2e/t",
                              s->params, &u->import_burden));
  CET_CALL(cet_read_param_opt(unit, "export_burden", 0.0, -INFINITY, INFINITY, "t CO2e/t",
                              s->params, &u->export_burden));
  return cet_names_add(&u->outlets, EXCHANGE_OUTLET);
}

int cet_read_incineration(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u) {
  if (u->sink != CET_SINK_INCINERATION) {
    const char *key = cet_node_get(unit, "cost") ? "cost" : "energy";
    if (cet_node_get(unit, key)) {
      return cet_node_fail_key(unit, key,
                               "only incineration sinks have a %s per tonne (this sink is kind "
                               "%s)",
                               key, cet_sink_kind_name(u->sink));
    }
    return CET_OK;
  }
  CET_CALL(
      cet_read_param_opt(unit, "cost", 0.0, -INFINITY, INFINITY, "EUR/t", s->params, &u->cost));
  CET_CALL(
      cet_read_param_opt(unit, "energy", 0.0, -INFINITY, INFINITY, "kWh/t", s->params, &u->energy));
  return CET_OK;
}
