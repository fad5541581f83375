/*
 * read_uncertain.c — reads an `uncertain:` list (mc.h), shared by Monte
 * Carlo and robust optimisation cases: distributions bound to parameters by
 * key path, and price series drawn together as correlated stochastic paths.
 * Everything a run would trip over is checked here, before any draw:
 * unknown paths, distributions whose values could leave a parameter's
 * range, price series without a stochastic model, variables given twice.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UNCERTAIN_MAX_VALUES = 1 << 20, UNCERTAIN_LEVEL_PATH_LEN = 256 };

static int opt_number(const cet_node *d, const char *key, double *out) {
  const cet_node *v = NULL;
  CET_CALL(cet_node_require(d, key, "a parameter of the distribution", &v));
  return cet_node_number(v, out);
}

static int read_values(const cet_node *list, double **out, size_t *n) {
  CET_CALL(cet_node_expect_seq(list));
  *n = cet_node_size(list);
  if (*n == 0 || *n > UNCERTAIN_MAX_VALUES) {
    return cet_node_fail(list, "expected 1..%d values, found %zu", UNCERTAIN_MAX_VALUES, *n);
  }
  *out = malloc(*n * sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (size_t i = 0; i < *n; i++) {
    CET_CALL(cet_node_number(cet_node_at(list, i), &(*out)[i]));
  }
  return CET_OK;
}

/* Fills spec from the keys of d for its kind; values/weights allocated. */
static int read_distribution_spec(const cet_node *d, const char *kind_name,
                                  cet_distribution_spec *spec, double **values, double **weights) {
  int empirical = strcmp(kind_name, "empirical") == 0;
  cet_dist_kind kind = CET_DIST_DISCRETE;
  if (!empirical && cet_distribution_kind_from_name(kind_name, &kind) != CET_OK) {
    cet_error_clear();
    return cet_node_fail_key(d, "distribution",
                             "expected one of normal, lognormal, uniform, triangular, pert, "
                             "discrete, empirical, found '%s'",
                             kind_name);
  }
  *spec = cet_distribution_spec_init(kind);
  static const char *const keys[][6] = {{"mean", "sd", NULL},
                                        {"mu", "sigma", "mean", "sd", NULL},
                                        {"min", "max", NULL},
                                        {"min", "mode", "max", NULL},
                                        {"min", "mode", "max", "lambda", NULL},
                                        {"values", "weights", NULL}};
  const char *const *allowed = keys[kind];
  for (size_t i = 0; i < cet_node_size(d); i++) {
    const char *k = cet_node_key_at(d, i);
    int ok = strcmp(k, "path") == 0 || strcmp(k, "distribution") == 0 || strcmp(k, "source") == 0 ||
             strcmp(k, "note") == 0;
    for (size_t j = 0; allowed[j] && !ok; j++) {
      ok = strcmp(k, allowed[j]) == 0 && !(empirical && strcmp(k, "weights") == 0);
    }
    if (!ok) {
      return cet_node_fail_key(d, k, "'%s' is not a parameter of a %s distribution", k, kind_name);
    }
  }
  size_t n = 0;
  switch (kind) {
  case CET_DIST_NORMAL:
    CET_CALL(opt_number(d, "mean", &spec->mean));
    CET_CALL(opt_number(d, "sd", &spec->sd));
    break;
  case CET_DIST_LOGNORMAL:
    if (cet_node_get(d, "mu") || cet_node_get(d, "sigma")) {
      CET_CALL(opt_number(d, "mu", &spec->mu));
      CET_CALL(opt_number(d, "sigma", &spec->sigma));
    } else {
      spec->lognormal_form = CET_LOGNORMAL_MOMENTS;
      CET_CALL(opt_number(d, "mean", &spec->mean));
      CET_CALL(opt_number(d, "sd", &spec->sd));
    }
    break;
  case CET_DIST_UNIFORM:
    CET_CALL(opt_number(d, "min", &spec->min));
    CET_CALL(opt_number(d, "max", &spec->max));
    break;
  case CET_DIST_TRIANGULAR:
  case CET_DIST_PERT:
    CET_CALL(opt_number(d, "min", &spec->min));
    CET_CALL(opt_number(d, "mode", &spec->mode));
    CET_CALL(opt_number(d, "max", &spec->max));
    if (kind == CET_DIST_PERT && cet_node_get(d, "lambda")) {
      CET_CALL(opt_number(d, "lambda", &spec->lambda));
    }
    break;
  case CET_DIST_DISCRETE: {
    const cet_node *v = NULL;
    CET_CALL(cet_node_require(d, "values", "the possible values, a list", &v));
    CET_CALL(read_values(v, values, &n));
    spec->n = n;
    spec->values = *values;
    if (cet_node_get(d, "weights")) {
      size_t nw = 0;
      CET_CALL(read_values(cet_node_get(d, "weights"), weights, &nw));
      if (nw != n) {
        return cet_node_fail(cet_node_get(d, "weights"),
                             "expected one weight per value (%zu), found %zu", n, nw);
      }
      spec->weights = *weights;
    }
    break;
  }
  }
  return CET_OK;
}

static int read_parameter(const cet_twin *t, const cet_node *d, cet_uncertain *u) {
  const cet_node *kind = NULL;
  const char *path = NULL;
  CET_CALL(cet_node_string(cet_node_get(d, "path"), &path));
  u->path = cet_strdup(path);
  CET_CHECK_ALLOC(u->path);
  long slot = cet_twin_parameter_find(t, u->path);
  if (slot < 0) {
    cet_binding *b = NULL;
    const char *paths[1] = {u->path};
    cet_binding_create(t, paths, 1, &b); /* fails with the closest path */
    return cet_read_fail_cause(cet_node_get(d, "path"), "");
  }
  CET_CALL(cet_read_check_movable(t, cet_node_get(d, "path"), (size_t)slot));
  u->slot = (size_t)slot;
  CET_CALL(cet_node_require(d, "distribution",
                            "normal, lognormal, uniform, triangular, pert, discrete or empirical",
                            &kind));
  const char *kind_name = NULL;
  CET_CALL(cet_node_string(kind, &kind_name));
  cet_distribution_spec spec;
  double *values = NULL, *weights = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_distribution_spec(d, kind_name, &spec, &values, &weights));
  if (cet_distribution_create(&u->dist, &spec) != CET_OK) {
    CET_CALL_GOTO(status, done, cet_read_fail_cause(kind, ""));
  }
done:
  free(values);
  free(weights);
  CET_CALL(status);
  double lo = 0.0, hi = 0.0, dlo = 0.0, dhi = 0.0;
  cet_twin_parameter_range(t, (size_t)slot, &lo, &hi);
  cet_distribution_support(u->dist, &dlo, &dhi);
  if (dlo < lo || dhi > hi) {
    return cet_node_fail(kind,
                         "the %s distribution takes values in [%g, %g] but parameter %s "
                         "must lie in [%g, %g]; use a bounded distribution (uniform, "
                         "triangular, pert, discrete) within the range",
                         kind_name, dlo, dhi, u->path, lo, hi);
  }
  return CET_OK;
}

static int read_price_entry(const cet_twin *t, const cet_node *d, cet_uncertain *u) {
  static const char *const keys[] = {"price", "source", "note", NULL};
  CET_CALL(cet_node_check_keys(d, keys));
  const cet_node *v = cet_node_get(d, "price");
  if (!cet_twin_has_economics(t)) {
    return cet_node_fail(v, "price paths are drawn for an economics twin; this case has no "
                            "economics section");
  }
  size_t n = cet_node_kind_of(v) == CET_NODE_SEQ ? cet_node_size(v) : 1;
  if (n == 0) {
    return cet_node_fail(v, "expected a price series or a list of them, found an empty list");
  }
  u->prices = calloc(n, sizeof *u->prices);
  u->series = calloc(n, sizeof *u->series);
  u->level = calloc(n, sizeof *u->level);
  CET_CHECK_ALLOCS(u->prices && u->series && u->level);
  for (size_t i = 0; i < n; i++) {
    const cet_node *item = cet_node_kind_of(v) == CET_NODE_SEQ ? cet_node_at(v, i) : v;
    const char *name = NULL;
    CET_CALL(cet_node_string(item, &name));
    long c = cet_twin_price_find(t, name);
    if (c < 0) {
      return cet_node_fail(item, "unknown price series '%s' (see prices:)", name);
    }
    if (!cet_twin_price_model(t, (size_t)c)) {
      return cet_node_fail(item,
                           "price '%s' has no stochastic model (constant or path); give it "
                           "an AR model, or bind prices.%s.factor to a distribution",
                           name, name);
    }
    for (size_t j = 0; j < u->n_prices; j++) {
      if (strcmp(u->prices[j], name) == 0) {
        return cet_node_fail(item, "price '%s' is listed twice", name);
      }
    }
    u->prices[u->n_prices] = cet_strdup(name);
    CET_CHECK_ALLOC(u->prices[u->n_prices]);
    u->series[u->n_prices] = (size_t)c;
    char level[UNCERTAIN_LEVEL_PATH_LEN];
    snprintf(level, sizeof level, "prices.%s.level", name);
    u->level[u->n_prices] = cet_twin_parameter_find(t, level);
    u->n_prices++;
  }
  return CET_OK;
}

/* Paths bound twice and price series drawn twice are errors. */
static int check_duplicates(const cet_uncertain *u, size_t n, const cet_node *list) {
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < i; j++) {
      const cet_uncertain *a = &u[i], *b = &u[j];
      if (a->kind == CET_UNCERTAIN_PARAMETER && b->kind == CET_UNCERTAIN_PARAMETER &&
          strcmp(a->path, b->path) == 0) {
        return cet_node_fail(cet_node_at(list, i), "parameter %s is already uncertain (item %zu)",
                             a->path, j);
      }
      for (size_t p = 0; p < a->n_prices; p++) {
        for (size_t q = 0; q < b->n_prices; q++) {
          if (strcmp(a->prices[p], b->prices[q]) == 0) {
            return cet_node_fail(cet_node_at(list, i), "price '%s' is already drawn (item %zu)",
                                 a->prices[p], j);
          }
        }
      }
    }
  }
  return CET_OK;
}

static int read_list(const cet_node *list, const cet_twin *t, cet_uncertain *u, size_t *n) {
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const cet_node *d = cet_node_at(list, i);
    CET_CALL(cet_node_expect_map(d));
    cet_uncertain *v = &u[(*n)++];
    CET_CALL(cet_read_where(d, &v->where));
    int has_path = cet_node_get(d, "path") != NULL, has_price = cet_node_get(d, "price") != NULL;
    if (has_path == has_price) {
      return cet_node_fail(d, "expected {path: PARAMETER, distribution: KIND, ...} or {price: "
                              "SERIES or [SERIES, ...]}");
    }
    v->kind = has_path ? CET_UNCERTAIN_PARAMETER : CET_UNCERTAIN_PRICES;
    CET_CALL(has_path ? read_parameter(t, d, v) : read_price_entry(t, d, v));
  }
  return check_duplicates(u, *n, list);
}

int cet_read_uncertain(const cet_node *list, const cet_twin *t, cet_uncertain **out, size_t *n) {
  *out = NULL;
  *n = 0;
  CET_CALL(cet_node_expect_seq(list));
  cet_uncertain *u = calloc(cet_node_size(list) + 1, sizeof *u);
  CET_CHECK_ALLOC(u);
  size_t count = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, read_list(list, t, u, &count));
  *out = u;
  *n = count;
  return CET_OK;
fail:
  cet_uncertain_destroy(&u, count);
  return status;
}
