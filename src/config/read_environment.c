/*
 * read_environment.c — reads the optional `environment:` section of a
 * network case (user guide: `environment:`): emission factors per carrier,
 * which carriers add up to the energy metric, and which valorisation
 * credit counts as avoided CO2e.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ENVIRONMENT_LIST_LEN = 1024, ENVIRONMENT_UNITS_LEN = 64 };

static const char *const ENVIRONMENT_KEYS[] = {
    "emission_factors", "energy_carriers", "avoided_co2", "source", "note", NULL};
/* Carriers in these units add to `energy` unless energy_carriers says otherwise. */
static const char *const ENERGY_UNITS_PREFIX = "kWh/";
/* The credit counted as avoided CO2e unless avoided_co2 says otherwise. */
static const char *const DEFAULT_AVOIDED_CREDIT = "CO2";

static int is_energy_units(const char *units) {
  return strncmp(units, ENERGY_UNITS_PREFIX, strlen(ENERGY_UNITS_PREFIX)) == 0;
}

static int carrier_index(const cet_twin_spec *s, const cet_node *at, const char *name, size_t *k) {
  long i = cet_names_find(&s->carriers, name);
  if (i < 0) {
    char list[ENVIRONMENT_LIST_LEN];
    cet_names_join(&s->carriers, list, sizeof list);
    return cet_node_fail(at, "unknown carrier '%s' (carriers: %s)", name, list[0] ? list : "none");
  }
  *k = (size_t)i;
  return CET_OK;
}

/* "kWh/t" -> "t CO2e/kWh". */
static void factor_units(const char *carrier_units, char *buf, size_t len) {
  const char *slash = strchr(carrier_units, '/');
  size_t n = slash ? (size_t)(slash - carrier_units) : strlen(carrier_units);
  snprintf(buf, len, "t CO2e/%.*s", (int)n, carrier_units);
}

static int read_factors(const cet_node *section, cet_twin_spec *s) {
  const cet_node *ef = cet_node_get(section, "emission_factors");
  if (!ef) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(ef));
  for (size_t i = 0; i < cet_node_size(ef); i++) {
    size_t k = 0;
    const cet_node *v = cet_node_at(ef, i);
    CET_CALL(carrier_index(s, v, cet_node_key_at(ef, i), &k));
    char units[ENVIRONMENT_UNITS_LEN];
    factor_units(s->carrier_units[k], units, sizeof units);
    CET_CALL(
        cet_read_param(v, 0.0, INFINITY, units, s->params, &s->environment.emission_factor[k]));
  }
  return CET_OK;
}

static int read_energy(const cet_node *section, cet_twin_spec *s) {
  const cet_node *list = section ? cet_node_get(section, "energy_carriers") : NULL;
  if (!list) {
    for (size_t k = 0; k < s->carriers.n; k++) {
      s->environment.energy[k] = is_energy_units(s->carrier_units[k]);
    }
    return CET_OK;
  }
  CET_CALL(cet_node_expect_seq(list));
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const char *name = NULL;
    size_t k = 0;
    const cet_node *v = cet_node_at(list, i);
    CET_CALL(cet_node_string(v, &name));
    CET_CALL(carrier_index(s, v, name, &k));
    if (!is_energy_units(s->carrier_units[k])) {
      return cet_node_fail(v, "energy adds kWh; carrier '%s' is in %s", name, s->carrier_units[k]);
    }
    s->environment.energy[k] = 1;
  }
  return CET_OK;
}

static int read_avoided(const cet_node *section, cet_twin_spec *s) {
  const cet_node *v = section ? cet_node_get(section, "avoided_co2") : NULL;
  if (!v) {
    s->environment.avoided_credit = cet_names_find(&s->credits, DEFAULT_AVOIDED_CREDIT);
    return CET_OK;
  }
  const char *name = NULL;
  CET_CALL(cet_node_string(v, &name));
  long r = cet_names_find(&s->credits, name);
  if (r < 0) {
    char list[ENVIRONMENT_LIST_LEN];
    cet_names_join(&s->credits, list, sizeof list);
    return cet_node_fail(v, "no valorisation sink credits '%s' (credited: %s)", name,
                         list[0] ? list : "none");
  }
  s->environment.avoided_credit = r;
  return CET_OK;
}

int cet_read_environment(const cet_node *section, cet_twin_spec *s) {
  size_t nk = s->carriers.n ? s->carriers.n : 1;
  s->environment.emission_factor = malloc(nk * sizeof *s->environment.emission_factor);
  s->environment.energy = calloc(nk, sizeof *s->environment.energy);
  CET_CHECK_ALLOCS(s->environment.emission_factor && s->environment.energy);
  for (size_t k = 0; k < s->carriers.n; k++) {
    s->environment.emission_factor[k] = CET_SLOT_NONE;
  }
  if (section) {
    CET_CALL(cet_node_check_keys(section, ENVIRONMENT_KEYS));
    CET_CALL(read_factors(section, s));
  }
  CET_CALL(read_energy(section, s));
  CET_CALL(read_avoided(section, s));
  return CET_OK;
}
