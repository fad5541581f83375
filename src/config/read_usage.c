/*
 * read_usage.c — reads the optional `usage:` section of a network case
 * (network.h, cet_usage_spec): the quantities with their units and fixed
 * shares, and per unit its capacity and the value of each quantity at
 * capacity. Every number is a parameter at its key path
 * (usage.units.UNIT.QUANTITY, usage.quantities.Q.fixed_share, ...).
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const USAGE_KEYS[] = {"capacity", "quantities", "units", "source", "note", NULL};
static const char *const QUANTITY_KEYS[] = {"units", "fixed_share", "note", NULL};
/* Metric names the stage uses besides usage.QUANTITY. */
static const char *const RESERVED[] = {"rate", "in_use"};
/* A capacity given as this word: the twin's total feed. */
static const char *const CAPACITY_FEED = "feed";

/* Reads a capacity: the word `feed` (CET_SLOT_NONE) or a positive flow. */
static int read_capacity(const cet_node *v, const cet_twin_spec *s, long *slot) {
  const char *text = cet_node_text(v);
  if (text && strcmp(text, CAPACITY_FEED) == 0) {
    *slot = CET_SLOT_NONE;
    return CET_OK;
  }
  double value = 0.0;
  if (cet_node_number_in(v, 0.0, INFINITY, &value) != CET_OK || !(value > 0.0)) {
    cet_error_clear();
    char found[128];
    cet_node_describe(v, found, sizeof found);
    return cet_node_fail(v, "expected `feed` or a positive flow in %s, found %s", s->flow_units,
                         found);
  }
  return cet_register_param(v, value, 0.0, INFINITY, s->flow_units, 0, s->params, slot);
}

static int read_quantities(const cet_node *q, cet_twin_spec *s) {
  cet_usage_spec *u = &s->usage;
  CET_CALL(cet_node_expect_map(q));
  size_t nq = cet_node_size(q);
  if (nq == 0) {
    return cet_node_fail(q, "expected at least one quantity, e.g. cost: {units: EUR/a}");
  }
  u->units = calloc(nq, sizeof *u->units);
  u->fixed_share = malloc(nq * sizeof *u->fixed_share);
  CET_CHECK_ALLOCS(u->units && u->fixed_share);
  for (size_t k = 0; k < nq; k++) {
    const char *name = cet_node_key_at(q, k);
    const cet_node *entry = cet_node_at(q, k);
    int reserved = !name[0] || strchr(name, '.') != NULL;
    for (size_t r = 0; r < sizeof RESERVED / sizeof RESERVED[0]; r++) {
      reserved |= strcmp(name, RESERVED[r]) == 0;
    }
    if (reserved) {
      return cet_node_fail_key(q, name,
                               "a quantity needs a name without '.' other than rate and in_use "
                               "(they name other usage metrics), found '%s'",
                               name);
    }
    CET_CALL(cet_names_add(&u->quantities, name));
    CET_CALL(cet_node_expect_map(entry));
    CET_CALL(cet_node_check_keys(entry, QUANTITY_KEYS));
    const cet_node *v = NULL;
    const char *units = NULL;
    CET_CALL(cet_node_require(entry, "units", "the units of the values, e.g. EUR/a", &v));
    CET_CALL(cet_node_string(v, &units));
    u->units[k] = cet_strdup(units);
    CET_CHECK_ALLOC(u->units[k]);
    CET_CALL(cet_node_require(entry, "fixed_share",
                              "the share of a value paid whenever the unit is in use, in [0, 1]",
                              &v));
    CET_CALL(cet_read_param(v, 0.0, 1.0, "1", s->params, &u->fixed_share[k]));
  }
  return CET_OK;
}

/* Index of unit `name` of the network, failing at its key in `units`. */
static int unit_index(const cet_node *units, const char *name, const cet_twin_spec *s,
                      size_t *index) {
  cet_names names = {0};
  int status = CET_OK;
  for (size_t i = 0; i < s->n_units; i++) {
    CET_CALL_GOTO(status, done, cet_names_add(&names, s->unit[i].name));
  }
  CET_CALL_GOTO(status, done, cet_read_lookup(units, name, &names, "unit of network.units", index));
done:
  cet_names_clear(&names);
  return status;
}

static int read_unit(const cet_node *units, size_t i, long default_capacity, cet_twin_spec *s) {
  cet_usage_spec *u = &s->usage;
  size_t nq = u->quantities.n;
  const char *name = cet_node_key_at(units, i);
  const cet_node *entry = cet_node_at(units, i);
  CET_CALL(unit_index(units, name, s, &u->unit[i]));
  CET_CALL(cet_node_expect_map(entry));
  for (size_t j = 0; j < cet_node_size(entry); j++) {
    const char *key = cet_node_key_at(entry, j);
    if (strcmp(key, "capacity") != 0 && strcmp(key, "note") != 0 && strcmp(key, "source") != 0) {
      size_t k = 0;
      CET_CALL(cet_read_lookup(entry, key, &u->quantities, "quantity (usage.quantities)", &k));
    }
  }
  const cet_node *capacity = cet_node_get(entry, "capacity");
  u->capacity[i] = default_capacity;
  if (capacity) {
    CET_CALL(read_capacity(capacity, s, &u->capacity[i]));
  }
  for (size_t k = 0; k < nq; k++) {
    const cet_node *v = cet_node_get(entry, u->quantities.name[k]);
    if (!v) {
      return cet_node_fail(entry,
                           "missing the value of quantity '%s' (give 0 if it does not apply)",
                           u->quantities.name[k]);
    }
    CET_CALL(cet_read_param(v, -INFINITY, INFINITY, u->units[k], s->params, &u->value[i * nq + k]));
  }
  return CET_OK;
}

int cet_read_usage(const cet_node *section, cet_twin_spec *s) {
  if (!section || cet_node_kind_of(section) == CET_NODE_NULL) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(section));
  CET_CALL(cet_node_check_keys(section, USAGE_KEYS));
  const cet_node *quantities = NULL, *units = NULL;
  CET_CALL(cet_node_require(section, "quantities",
                            "the quantities tabulated per unit, e.g. {cost: {units: EUR/a, "
                            "fixed_share: 0.2}}",
                            &quantities));
  CET_CALL(read_quantities(quantities, s));
  long default_capacity = CET_SLOT_NONE;
  const cet_node *capacity = cet_node_get(section, "capacity");
  if (capacity) {
    CET_CALL(read_capacity(capacity, s, &default_capacity));
  }
  CET_CALL(cet_node_require(section, "units",
                            "the units accounted, e.g. {f1: {cost: 51, gwp: 88.8}}", &units));
  CET_CALL(cet_node_expect_map(units));
  cet_usage_spec *u = &s->usage;
  size_t nu = cet_node_size(units), nq = u->quantities.n;
  if (nu == 0) {
    return cet_node_fail(units, "expected at least one unit, found an empty mapping");
  }
  u->unit = malloc(nu * sizeof *u->unit);
  u->capacity = malloc(nu * sizeof *u->capacity);
  u->value = malloc(nu * nq * sizeof *u->value);
  CET_CHECK_ALLOCS(u->unit && u->capacity && u->value);
  for (size_t i = 0; i < nu; i++) {
    CET_CALL(read_unit(units, i, default_capacity, s));
    u->n_units = i + 1;
  }
  return CET_OK;
}
