/*
 * read_factors.c — the factors of a sensitivity case (sensitivity.h):
 * `sensitivity.factors` (a parameter over a range, parameters scaled by a
 * relative change, the unit values of a cash-flow group) and the entries
 * of `uncertain:` (a distribution per parameter; the correlated price paths
 * together as one factor), then `sensitivity.groups` binding factors that
 * move together in Morris and Sobol'. Every parameter a factor moves is
 * checked against its valid range over the factor's whole range, so that
 * no point of a design fails hours into a run. Errors name FILE:LINE:COL
 * and the key.
 */
#include "read_sensitivity.h"

#include "cetwin/array.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const FACTOR_KEYS[] = {"name", "path",   "paths", "group", "low",
                                          "high", "change", "note",  NULL};
static const char *const PRICE_PREFIX = "prices.";
/* Name of the factor of every drawn price path. */
static const char *const PRICES_FACTOR = "prices";

enum { FACTOR_TEXT_LEN = 1024 };

/* The factors being read and the nodes they were read from. */
typedef struct {
  cet_sensitivity_spec *s;
  const cet_node **nodes; /* [s->n_factors] */
} factor_reader;

/* Appends a zeroed factor read at `at`; *out points at it. */
static int new_factor(factor_reader *fr, const cet_node *at, cet_factor **out) {
  cet_sensitivity_spec *s = fr->s;
  CET_CALL(cet_array_grow(&s->factors, NULL, s->n_factors + 1, sizeof *s->factors));
  CET_CALL(cet_array_grow(&fr->nodes, NULL, s->n_factors + 1, sizeof *fr->nodes));
  fr->nodes[s->n_factors] = at;
  cet_factor *f = &s->factors[s->n_factors++];
  memset(f, 0, sizeof *f);
  CET_CALL(cet_read_where(at, &f->where));
  *out = f;
  return CET_OK;
}

static int set_name(cet_factor *f, const char *name) {
  f->name = cet_strdup(name);
  CET_CHECK_ALLOC(f->name);
  return CET_OK;
}

/* Adds the parameter at path (read at n) to the factor's slots, scaled by
 * (1 + c)^power. */
static int add_slot(const cet_twin *t, const cet_node *n, const char *path, int power,
                    cet_factor *f) {
  long slot = cet_twin_parameter_find(t, path);
  if (slot < 0) {
    const char *best = cet_twin_parameter_closest(t, path);
    return cet_node_fail(n, "no parameter '%s' in the twin%s%s%s", path, best ? " (closest: '" : "",
                         best ? best : "", best ? "')" : "");
  }
  CET_CALL(cet_read_check_movable(t, n, (size_t)slot));
  size_t k = f->n_slots;
  CET_CALL(cet_array_grow(&f->slots, NULL, k + 1, sizeof *f->slots));
  CET_CALL(cet_array_grow(&f->paths, NULL, k + 1, sizeof *f->paths));
  CET_CALL(cet_array_grow(&f->base, NULL, k + 1, sizeof *f->base));
  CET_CALL(cet_array_grow(&f->power, NULL, k + 1, sizeof *f->power));
  f->power[k] = power;
  f->slots[k] = (size_t)slot;
  f->base[k] = cet_twin_parameter_defaults(t)[slot];
  f->paths[k] = cet_strdup(cet_twin_parameter_path(t, (size_t)slot));
  CET_CHECK_ALLOC(f->paths[k]);
  f->n_slots++;
  return CET_OK;
}

/* The unit values of every line of the cash-flow group named group. */
static int add_group_lines(const cet_case *c, const cet_node *n, const char *group, cet_factor *f) {
  const cet_economics_spec *e = c->twin_spec ? c->twin_spec->economics : NULL;
  for (size_t i = 0; e && i < e->n_lines; i++) {
    const cet_econ_line *line = &e->lines[i];
    if (strcmp(line->group, group) == 0 && line->unit_value != CET_SLOT_NONE) {
      char path[FACTOR_TEXT_LEN];
      snprintf(path, sizeof path, "economics.lines.%s.unit_value", line->name);
      CET_CALL(add_slot(c->twin, n, path, 1, f));
      if (line->kind == CET_DCF_CAPEX && line->liquidation != CET_SLOT_NONE &&
          cet_twin_parameter_defaults(c->twin)[line->liquidation] > 0.0) {
        snprintf(path, sizeof path, "economics.lines.%s.liquidation", line->name);
        CET_CALL(add_slot(c->twin, n, path, -1, f));
      }
    }
  }
  if (f->n_slots == 0) {
    return cet_node_fail(
        n, "no cash-flow line of group '%s' has a unit value (see economics.lines)", group);
  }
  return CET_OK;
}

/* The parameters of an explicit factor: path, paths or group. */
static int read_targets(const cet_case *c, const cet_node *entry, cet_factor *f) {
  const cet_node *path = cet_node_get(entry, "path"), *paths = cet_node_get(entry, "paths");
  const cet_node *group = cet_node_get(entry, "group");
  if ((path != NULL) + (paths != NULL) + (group != NULL) != 1) {
    return cet_node_fail(entry, "a factor moves a parameter (path:), several (paths:) or the "
                                "unit values of a cash-flow group (group:): give exactly one");
  }
  const char *text = NULL;
  if (path) {
    CET_CALL(cet_node_string(path, &text));
    CET_CALL(add_slot(c->twin, path, text, 1, f));
  } else if (paths) {
    CET_CALL(cet_node_expect_seq(paths));
    if (cet_node_size(paths) == 0) {
      return cet_node_fail(paths, "expected at least one parameter path, found an empty list");
    }
    for (size_t i = 0; i < cet_node_size(paths); i++) {
      CET_CALL(cet_node_string(cet_node_at(paths, i), &text));
      CET_CALL(add_slot(c->twin, cet_node_at(paths, i), text, 1, f));
    }
  } else {
    CET_CALL(cet_node_string(group, &text));
    CET_CALL(add_group_lines(c, group, text, f));
  }
  return CET_OK;
}

/* The name: given, else the path or the group. */
static int read_name(const cet_node *entry, cet_factor *f) {
  const char *name = NULL;
  CET_CALL(cet_node_opt_string(entry, "name", NULL, &name));
  if (!name && cet_node_get(entry, "group")) {
    CET_CALL(cet_node_string(cet_node_get(entry, "group"), &name));
  }
  if (!name && f->n_slots == 1 && cet_node_get(entry, "path")) {
    name = f->paths[0];
  }
  if (!name) {
    return cet_node_fail(entry, "a factor of several parameters needs a name:");
  }
  if (!name[0]) {
    return cet_node_fail(cet_node_get(entry, "name"), "expected a name, found ''");
  }
  return set_name(f, name);
}

/* Every parameter of f within its valid range at the ends of f's range
 * (values or relative changes a .. b). */
static int check_within(const cet_twin *t, const cet_node *at, const cet_factor *f, double a,
                        double b, const char *what) {
  for (size_t k = 0; k < f->n_slots; k++) {
    double lo = 0.0, hi = 0.0;
    cet_twin_parameter_range(t, f->slots[k], &lo, &hi);
    double x = f->kind == CET_FACTOR_SCALE ? cet_factor_scaled(f, k, a) : a;
    double y = f->kind == CET_FACTOR_SCALE ? cet_factor_scaled(f, k, b) : b;
    if (!(fmin(x, y) >= lo && fmax(x, y) <= hi)) {
      return cet_node_fail(at,
                           "%s of factor '%s' moves %s to [%g, %g], outside its valid range "
                           "[%g, %g]",
                           what, f->name, f->paths[k], fmin(x, y), fmax(x, y), lo, hi);
    }
  }
  return CET_OK;
}

/* low/high (value) or change (scale) of an explicit factor. */
static int read_range(const cet_twin *t, const cet_node *entry, cet_factor *f) {
  const cet_node *change = cet_node_get(entry, "change"), *low = cet_node_get(entry, "low"),
                 *high = cet_node_get(entry, "high");
  if (change && (low || high)) {
    return cet_node_fail(entry, "give a factor either change: [lo, hi] (relative) or low: and "
                                "high: (values), not both");
  }
  if (change) {
    f->kind = CET_FACTOR_SCALE;
    CET_CALL(cet_node_pair_in(change, -1.0, INFINITY, &f->low, &f->high));
  } else {
    if (!low || !high) {
      return cet_node_fail(entry, "a factor needs its range: change: [lo, hi] (relative "
                                  "changes, e.g. [-0.5, 0.5]) or low: and high: (values)");
    }
    if (f->n_slots != 1) {
      return cet_node_fail(entry, "low: and high: are values of one parameter; a factor of "
                                  "several moves them by a relative change: [lo, hi]");
    }
    f->kind = CET_FACTOR_VALUE;
    CET_CALL(cet_node_number(low, &f->low));
    CET_CALL(cet_node_number(high, &f->high));
  }
  const cet_node *at = change ? change : entry;
  if (!(f->low < f->high)) {
    return cet_node_fail(at, "factor '%s' needs a range of non-zero width, found [%g, %g]",
                         f->name ? f->name : "", f->low, f->high);
  }
  f->oat_low = f->low;
  f->oat_high = f->high;
  return check_within(t, at, f, f->low, f->high, "the range");
}

static int read_explicit(const cet_case *c, const cet_node *list, factor_reader *fr) {
  CET_CALL(cet_node_expect_seq(list));
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const cet_node *entry = cet_node_at(list, i);
    CET_CALL(cet_node_expect_map(entry));
    CET_CALL(cet_node_check_keys(entry, FACTOR_KEYS));
    cet_factor *f = NULL;
    CET_CALL(new_factor(fr, entry, &f));
    CET_CALL(read_targets(c, entry, f));
    CET_CALL(read_name(entry, f));
    CET_CALL(read_range(c->twin, entry, f));
  }
  return CET_OK;
}

/* The tornado ends of a distribution: its quantiles q_lo, q_hi. */
static int distribution_ends(const cet_node *at, cet_factor *f, double q_lo, double q_hi) {
  if (cet_distribution_quantile(f->dist, q_lo, &f->oat_low) != CET_OK ||
      cet_distribution_quantile(f->dist, q_hi, &f->oat_high) != CET_OK || !isfinite(f->oat_low) ||
      !isfinite(f->oat_high)) {
    cet_error_clear();
    return cet_node_fail(at,
                         "the tornado ends of '%s' are the quantiles %g and %g of its "
                         "distribution, which are not finite; choose sensitivity.quantiles "
                         "inside (0, 1)",
                         f->name, q_lo, q_hi);
  }
  return CET_OK;
}

/* The factors of `uncertain:`: a distribution per parameter, the drawn
 * price paths as one factor. */
static int read_uncertain_factors(const cet_case *c, const cet_node *list, factor_reader *fr,
                                  double q_lo, double q_hi) {
  cet_sensitivity_spec *s = fr->s;
  cet_factor *prices = NULL;
  for (size_t i = 0; i < s->n_uncertain; i++) {
    const cet_uncertain *u = &s->uncertain[i];
    const cet_node *at = cet_node_at(list, i);
    cet_factor *f = NULL;
    if (u->kind == CET_UNCERTAIN_PARAMETER) {
      CET_CALL(new_factor(fr, at, &f));
      f->kind = CET_FACTOR_DISTRIBUTION;
      f->dist = u->dist;
      CET_CALL(add_slot(c->twin, at, u->path, 1, f));
      CET_CALL(set_name(f, u->path));
      cet_distribution_support(u->dist, &f->low, &f->high);
      CET_CALL(distribution_ends(at, f, q_lo, q_hi));
      continue;
    }
    if (!prices) {
      CET_CALL(new_factor(fr, at, &prices));
      prices->kind = CET_FACTOR_PRICES;
      prices->low = prices->oat_low = -1.0;
      prices->high = prices->oat_high = 1.0;
      CET_CALL(set_name(prices, PRICES_FACTOR));
    }
    CET_CALL(cet_array_grow(&prices->series, NULL, prices->n_series + u->n_prices,
                            sizeof *prices->series));
    memcpy(prices->series + prices->n_series, u->series, u->n_prices * sizeof *prices->series);
    prices->n_series += u->n_prices;
  }
  return CET_OK;
}

/* Names unique; a parameter in one factor only. */
static int check_distinct(const factor_reader *fr) {
  const cet_sensitivity_spec *s = fr->s;
  for (size_t a = 0; a < s->n_factors; a++) {
    const cet_factor *f = &s->factors[a];
    const cet_node *at = fr->nodes[a];
    for (size_t b = 0; b < a; b++) {
      const cet_factor *g = &s->factors[b];
      if (strcmp(f->name, g->name) == 0) {
        return cet_node_fail(at, "factor '%s' is named twice (also at %s)", f->name, g->where);
      }
      for (size_t i = 0; i < f->n_slots; i++) {
        for (size_t j = 0; j < g->n_slots; j++) {
          if (f->slots[i] == g->slots[j]) {
            return cet_node_fail(at,
                                 "parameter %s is moved by factors '%s' and '%s'; a "
                                 "parameter belongs to one factor",
                                 f->paths[i], g->name, f->name);
          }
        }
      }
    }
  }
  return CET_OK;
}

/* The index of the factor named name, s->n_factors when there is none. */
static size_t factor_index(const cet_sensitivity_spec *s, const char *name) {
  size_t a = 0;
  while (a < s->n_factors && strcmp(s->factors[a].name, name) != 0) {
    a++;
  }
  return a;
}

/* Puts the factors of list into group g, named name (names: the groups so
 * far). */
static int read_group(const cet_node *list, const char *name, size_t g, const cet_names *names,
                      cet_sensitivity_spec *s) {
  CET_CALL(cet_node_expect_seq(list));
  if (cet_node_size(list) == 0) {
    return cet_node_fail(list, "group '%s' has no factors", name);
  }
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const char *member = NULL;
    CET_CALL(cet_node_string(cet_node_at(list, i), &member));
    size_t a = factor_index(s, member);
    if (a == s->n_factors) {
      char list_text[FACTOR_TEXT_LEN] = "";
      for (size_t b = 0; b < s->n_factors; b++) {
        size_t len = strlen(list_text);
        snprintf(list_text + len, sizeof list_text - len, "%s%s", b ? ", " : "",
                 s->factors[b].name);
      }
      return cet_node_fail(cet_node_at(list, i),
                           "unknown factor '%s' in group '%s' "
                           "(the factors: %s)",
                           member, name, list_text);
    }
    if (s->factors[a].group != SIZE_MAX) {
      return cet_node_fail(cet_node_at(list, i), "factor '%s' is in group '%s' already", member,
                           names->name[s->factors[a].group]);
    }
    s->factors[a].group = g;
  }
  return CET_OK;
}

/* `groups: {NAME: [factor, ...]}`: the factors that move together; every
 * other factor is a group of its own, named after it. */
static int read_groups(const cet_node *groups, cet_sensitivity_spec *s) {
  for (size_t a = 0; a < s->n_factors; a++) {
    s->factors[a].group = SIZE_MAX;
  }
  if (groups) {
    CET_CALL(cet_node_expect_map(groups));
  }
  cet_names names = {0};
  int status = CET_OK;
  for (size_t g = 0; groups && g < cet_node_size(groups); g++) {
    const char *name = cet_node_key_at(groups, g);
    CET_CALL_GOTO(status, fail, cet_names_add(&names, name));
    CET_CALL_GOTO(status, fail, read_group(cet_node_at(groups, g), name, g, &names, s));
  }
  for (size_t a = 0; a < s->n_factors; a++) {
    if (s->factors[a].group == SIZE_MAX) {
      s->factors[a].group = names.n;
      if (cet_names_find(&names, s->factors[a].name) >= 0) {
        CET_CALL_GOTO(status, fail,
                      cet_node_fail(groups, "group '%s' has the name of factor '%s' outside it",
                                    s->factors[a].name, s->factors[a].name));
      }
      CET_CALL_GOTO(status, fail, cet_names_add(&names, s->factors[a].name));
    }
  }
  s->groups = names;
  return CET_OK;
fail:
  cet_names_clear(&names);
  return status;
}

int cet_read_factors(const cet_case *c, const cet_node *root, const cet_node *section,
                     cet_sensitivity_spec *s) {
  const cet_node *explicit = cet_node_get(section, "factors");
  const cet_node *uncertain = cet_read_section(root, "uncertain");
  int use_uncertain = 1;
  CET_CALL(cet_node_opt_boolean(section, "uncertain", 1, &use_uncertain));
  double q_lo = CET_OAT_DEFAULT_QUANTILE_LOW, q_hi = CET_OAT_DEFAULT_QUANTILE_HIGH;
  const cet_node *q = cet_node_get(section, "quantiles");
  if (q) {
    CET_CALL(cet_node_pair_in(q, 0.0, 1.0, &q_lo, &q_hi));
    if (!(q_lo < q_hi)) {
      return cet_node_fail(q, "expected two probabilities lo < hi, found [%g, %g]", q_lo, q_hi);
    }
  }
  s->quantile_low = q_lo;
  s->quantile_high = q_hi;
  factor_reader fr = {s, NULL};
  int status = CET_OK;
  if (explicit) {
    CET_CALL_GOTO(status, done, read_explicit(c, explicit, &fr));
  }
  if (uncertain && use_uncertain) {
    CET_CALL_GOTO(status, done,
                  cet_read_uncertain(uncertain, c->twin, &s->uncertain, &s->n_uncertain));
    CET_CALL_GOTO(status, done, read_uncertain_factors(c, uncertain, &fr, q_lo, q_hi));
  }
  if (s->n_factors == 0) {
    CET_CALL_GOTO(status, done,
                  cet_node_fail(section, "a sensitivity analysis needs factors: "
                                         "sensitivity.factors or uncertain:"));
  }
  CET_CALL_GOTO(status, done, check_distinct(&fr));
  CET_CALL_GOTO(status, done, read_groups(cet_node_get(section, "groups"), s));
done:
  free(fr.nodes);
  return status;
}

/* Whether factor g moves a parameter of price series `series`
 * (prices.SERIES.*); *path gets it. */
static int moves_series(const cet_factor *g, const char *series, const char **path) {
  size_t len = strlen(PRICE_PREFIX) + strlen(series);
  for (size_t j = 0; j < g->n_slots; j++) {
    if (strncmp(g->paths[j], PRICE_PREFIX, strlen(PRICE_PREFIX)) == 0 &&
        strncmp(g->paths[j] + strlen(PRICE_PREFIX), series, strlen(series)) == 0 &&
        g->paths[j][len] == '.') {
      *path = g->paths[j];
      return 1;
    }
  }
  return 0;
}

/* A drawn price series is not also moved freely by a factor of the set. */
static int check_prices(const cet_twin *t, const cet_node *at, const char *method,
                        const cet_sensitivity_spec *s, const cet_factor_set *set) {
  for (size_t a = 0; a < set->n; a++) {
    const cet_factor *f = &s->factors[set->index[a]];
    for (size_t c = 0; f->kind == CET_FACTOR_PRICES && c < f->n_series; c++) {
      const char *series = cet_twin_price_name(t, f->series[c]), *path = NULL;
      for (size_t b = 0; b < set->n; b++) {
        const cet_factor *g = &s->factors[set->index[b]];
        if (moves_series(g, series, &path)) {
          return cet_node_fail(at,
                               "%s: price series %s is drawn with the correlated prices "
                               "(factor '%s') and also moved freely by factor '%s' (%s); leave "
                               "one of them out of the method's factors:",
                               method, series, f->name, g->name, path);
        }
      }
    }
  }
  return CET_OK;
}

int cet_read_factor_set(const cet_twin *t, const cet_node *method, const char *name,
                        const cet_sensitivity_spec *s, cet_factor_set *set) {
  const cet_node *list = method ? cet_node_get(method, "factors") : NULL;
  set->n = 0;
  set->index = calloc(s->n_factors + 1, sizeof *set->index);
  CET_CHECK_ALLOC(set->index);
  if (!list) {
    for (size_t a = 0; a < s->n_factors; a++) {
      set->index[set->n++] = a;
    }
    return check_prices(t, method, name, s, set);
  }
  CET_CALL(cet_node_expect_seq(list));
  unsigned char *chosen = calloc(s->n_factors + 1, 1);
  CET_CHECK_ALLOC(chosen);
  int status = CET_OK;
  if (cet_node_size(list) == 0) {
    CET_CALL_GOTO(status, done,
                  cet_node_fail(list, "expected at least one factor, found an empty list"));
  }
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const char *member = NULL;
    CET_CALL_GOTO(status, done, cet_node_string(cet_node_at(list, i), &member));
    size_t a = factor_index(s, member);
    if (a == s->n_factors) {
      CET_CALL_GOTO(status, done,
                    cet_node_fail(cet_node_at(list, i), "unknown factor '%s'", member));
    }
    if (chosen[a]) {
      CET_CALL_GOTO(status, done,
                    cet_node_fail(cet_node_at(list, i), "factor '%s' is listed twice", member));
    }
    chosen[a] = 1;
  }
  for (size_t a = 0; a < s->n_factors; a++) {
    if (chosen[a]) {
      set->index[set->n++] = a;
    }
  }
done:
  free(chosen);
  CET_CALL(status);
  return check_prices(t, list, name, s, set);
}
