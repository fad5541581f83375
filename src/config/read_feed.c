/*
 * read_feed.c — reads a feed stream (`feed:`): composition as mass
 * fractions, total flow and physical properties.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FEED_LIST_LEN = 1024 };

/* Tolerance on the sum of the feed's mass fractions. */
static const double FEED_FRACTION_SUM_TOLERANCE = 1e-6;

static const char *const FEED_KEYS[] = {"name",       "source",     "composition", "flow",
                                        "flow_units", "properties", NULL};
static const char *const FLOW_UNITS[] = {"t/a", "t/month", "t/day", "t/h"};

static int read_composition(const cet_node *comp, const cet_names *components, cet_feed *f) {
  CET_CALL(cet_node_expect_map(comp));
  for (size_t i = 0; i < cet_node_size(comp); i++) {
    size_t c = 0;
    CET_CALL(cet_read_lookup(comp, cet_node_key_at(comp, i), components, "component", &c));
    CET_CALL(cet_node_number_in(cet_node_at(comp, i), 0.0, 1.0, &f->fraction[c]));
  }
  double sum = 0.0;
  for (size_t c = 0; c < components->n; c++) {
    sum += f->fraction[c];
  }
  if (fabs(sum - 1.0) > FEED_FRACTION_SUM_TOLERANCE) {
    return cet_node_fail(comp, "mass fractions sum to %.9g, expected 1 (within %g)", sum,
                         FEED_FRACTION_SUM_TOLERANCE);
  }
  return CET_OK;
}

int cet_read_feed_properties(const cet_node *feed, const cet_names *props, double *values) {
  const cet_node *map = cet_node_get(feed, "properties");
  if (props->n == 0 && !map) {
    return CET_OK;
  }
  if (!map) {
    char list[FEED_LIST_LEN];
    cet_names_join(props, list, sizeof list);
    return cet_node_fail(feed, "missing required key 'properties' (values of: %s)", list);
  }
  CET_CALL(cet_node_expect_map(map));
  for (size_t i = 0; i < cet_node_size(map); i++) {
    size_t k = 0;
    CET_CALL(cet_read_lookup(map, cet_node_key_at(map, i), props, "property", &k));
  }
  for (size_t k = 0; k < props->n; k++) {
    const cet_node *v = NULL;
    CET_CALL(
        cet_node_require(map, props->name[k], "a number: the processes have windows on it", &v));
    CET_CALL(cet_node_number(v, &values[k]));
  }
  return CET_OK;
}

int cet_read_feed(const cet_node *feed, const cet_library *lib, cet_feed *f) {
  const cet_names *components = cet_library_components(lib);
  const cet_names *props = cet_library_properties(lib);
  CET_CALL(cet_node_check_keys(feed, FEED_KEYS));
  const char *name = NULL, *source = NULL;
  CET_CALL(cet_node_opt_string(feed, "name", "feed", &name));
  CET_CALL(cet_node_opt_string(feed, "source", "", &source));
  f->name = cet_strdup(name);
  f->source = cet_strdup(source);
  f->fraction = calloc(components->n, sizeof *f->fraction);
  f->mass = calloc(components->n, sizeof *f->mass);
  f->property = calloc(props->n ? props->n : 1, sizeof *f->property);
  CET_CHECK_ALLOC(f->name);
  CET_CHECK_ALLOC(f->source);
  CET_CHECK_ALLOC(f->fraction);
  CET_CHECK_ALLOC(f->mass);
  CET_CHECK_ALLOC(f->property);
  const cet_node *v = NULL;
  CET_CALL(cet_node_require(feed, "composition", "mass fractions per component", &v));
  CET_CALL(read_composition(v, components, f));
  CET_CALL(cet_node_require(feed, "flow", "total mass flow, a positive number", &v));
  CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &f->flow));
  if (!(f->flow > 0.0)) {
    return cet_node_fail(v, "expected a positive flow, found %g", f->flow);
  }
  int unit = 0;
  const cet_node *u = cet_node_get(feed, "flow_units");
  if (u) {
    CET_CALL(cet_node_choice(u, FLOW_UNITS, sizeof FLOW_UNITS / sizeof FLOW_UNITS[0], &unit));
  }
  f->flow_units = cet_strdup(FLOW_UNITS[unit]);
  CET_CHECK_ALLOC(f->flow_units);
  for (size_t c = 0; c < components->n; c++) {
    f->mass[c] = f->fraction[c] * f->flow;
  }
  CET_CALL(cet_read_feed_properties(feed, props, f->property));
  return CET_OK;
}
