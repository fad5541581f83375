/*
 * read_optimize_settings.c — reads the optional `optimize:` section of an
 * optimisation case (optimize.h): the algorithm (NSGA-II or NSGA-III with
 * its reference point divisions), its parameters (defaults: Bonnin et
 * al. 2015, Table 5), the islands and their migration, the hypervolume
 * reference point, checkpoints and TOPSIS.
 */
#include "readers.h"

#include "cetwin/refpoints.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SETTINGS_WHERE_LEN = 512, SETTINGS_MAX_COUNT = 1000000000L };

static const char *const OPTIMIZE_KEYS[] = {"algorithm",
                                            "divisions",
                                            "population",
                                            "generations",
                                            "crossover_probability",
                                            "crossover_gene_rate",
                                            "crossover_eta",
                                            "mutation_probability",
                                            "mutation_rate",
                                            "mutation_eta",
                                            "truncation",
                                            "islands",
                                            "migration",
                                            "reference_point",
                                            "reference_margin",
                                            "checkpoint",
                                            "topsis",
                                            "include_case_design",
                                            "note",
                                            NULL};
static const char *const MIGRATION_KEYS[] = {"interval", "migrants", "topology", NULL};
static const char *const TOPSIS_KEYS[] = {"normalization", "weights", "top", NULL};
static const char *const TRUNCATIONS[] = {"crowding", "iterative"};
static const char *const ALGORITHMS[] = {"nsga2", "nsga3"};
static const char *const TOPOLOGIES[] = {"ring", "full"};
static const char *const NORMALIZATIONS[] = {"vector", "minmax"};

/* Share of the initial population's range the default reference point
 * lies beyond its worst values. */
static const double DEFAULT_REFERENCE_MARGIN = 0.1;
/* TOPSIS points printed in the summary. */
static const long DEFAULT_TOPSIS_TOP = 10;

static int opt_size(const cet_node *map, const char *key, size_t def, long lo, size_t *out) {
  long v = 0;
  CET_CALL(cet_node_opt_integer_in(map, key, (long)def, lo, SETTINGS_MAX_COUNT, &v));
  *out = (size_t)v;
  return CET_OK;
}

static int read_nsga2(const cet_node *o, cet_nsga2_parameters *p) {
  long generations = 0;
  CET_CALL(opt_size(o, "population", p->population, 2, &p->population));
  CET_CALL(cet_node_opt_integer_in(o, "generations", (long)p->generations, 0, SETTINGS_MAX_COUNT,
                                   &generations));
  p->generations = (uint64_t)generations;
  CET_CALL(cet_node_opt_number_in(o, "crossover_probability", p->crossover_probability, 0, 1,
                                  &p->crossover_probability));
  CET_CALL(cet_node_opt_number_in(o, "crossover_gene_rate", p->crossover_gene_rate, 0, 1,
                                  &p->crossover_gene_rate));
  CET_CALL(cet_node_opt_number_in(o, "crossover_eta", p->eta_c, 0, INFINITY, &p->eta_c));
  CET_CALL(cet_node_opt_number_in(o, "mutation_probability", p->mutation_probability, 0, 1,
                                  &p->mutation_probability));
  CET_CALL(cet_node_opt_number_in(o, "mutation_rate", p->mutation_rate, 0, 1, &p->mutation_rate));
  CET_CALL(cet_node_opt_number_in(o, "mutation_eta", p->eta_m, 0, INFINITY, &p->eta_m));
  const cet_node *v = cet_node_get(o, "truncation");
  if (v) {
    int t = 0;
    CET_CALL(cet_node_choice(v, TRUNCATIONS, sizeof TRUNCATIONS / sizeof TRUNCATIONS[0], &t));
    p->truncation = (cet_nsga2_truncation)t;
  }
  return CET_OK;
}

/* `divisions:` of NSGA-III: one number (one layer) or [outer, inner]. */
static int read_divisions(const cet_node *v, cet_nsga2_parameters *p) {
  long outer = 0, inner = 0;
  if (cet_node_kind_of(v) == CET_NODE_SEQ) {
    if (cet_node_size(v) != 2) {
      return cet_node_fail(v,
                           "expected the divisions of the outer and the inner layer [outer, "
                           "inner], found a list of %zu",
                           cet_node_size(v));
    }
    CET_CALL(cet_node_integer_in(cet_node_at(v, 0), 1, SETTINGS_MAX_COUNT, &outer));
    CET_CALL(cet_node_integer_in(cet_node_at(v, 1), 1, SETTINGS_MAX_COUNT, &inner));
  } else {
    CET_CALL(cet_node_integer_in(v, 1, SETTINGS_MAX_COUNT, &outer));
  }
  p->divisions = (size_t)outer;
  p->inner_divisions = (size_t)inner;
  return CET_OK;
}

/* The algorithm and, for NSGA-III, a reference point set that fits. */
static int read_algorithm(const cet_node *o, size_t n_obj, cet_nsga2_parameters *p, int *given) {
  const cet_node *v = cet_node_get(o, "algorithm");
  if (v) {
    int a = 0;
    CET_CALL(cet_node_choice(v, ALGORITHMS, sizeof ALGORITHMS / sizeof ALGORITHMS[0], &a));
    p->algorithm = (cet_moo_algorithm)a;
  }
  const cet_node *d = cet_node_get(o, "divisions");
  if (p->algorithm != CET_MOO_NSGA3) {
    if (d) {
      return cet_node_fail(d, "divisions set the reference points of NSGA-III: expected "
                              "algorithm: nsga3 beside them, found algorithm nsga2");
    }
    return CET_OK;
  }
  size_t outer = 0, inner = 0, count = 0;
  *given = 0;
  if (d) {
    CET_CALL(read_divisions(d, p));
    if (cet_refpoints_layers_count(n_obj, p->divisions, p->inner_divisions, &count) != CET_OK) {
      cet_error_clear();
      return cet_node_fail(d,
                           "%zu objectives with these divisions make more than %zu reference "
                           "points: expected fewer divisions",
                           n_obj, CET_REFPOINTS_MAX);
    }
    *given = 1;
    return CET_OK;
  }
  if (cet_refpoints_automatic(n_obj, p->population, &outer, &inner) != CET_OK) {
    cet_error_clear();
    return cet_node_fail(v ? v : o,
                         "NSGA-III needs a population of at least one individual per objective "
                         "(%zu) for its reference points, found %zu: raise optimize.population",
                         n_obj, p->population);
  }
  p->divisions = outer;
  p->inner_divisions = inner;
  return CET_OK;
}

/* A user-given topology: one list of source islands per island. */
static int read_custom_topology(const cet_node *list, cet_optimize_spec *s) {
  size_t I = s->islands.islands;
  if (cet_node_size(list) != I) {
    return cet_node_fail(list, "expected one list of source islands per island (%zu), found %zu", I,
                         cet_node_size(list));
  }
  size_t total = 0;
  for (size_t i = 0; i < I; i++) {
    CET_CALL(cet_node_expect_seq(cet_node_at(list, i)));
    total += cet_node_size(cet_node_at(list, i));
  }
  s->topology_offset = malloc((I + 1) * sizeof *s->topology_offset);
  s->topology_sources = malloc((total + 1) * sizeof *s->topology_sources);
  CET_CHECK_ALLOCS(s->topology_offset && s->topology_sources);
  size_t k = 0;
  for (size_t i = 0; i < I; i++) {
    const cet_node *from = cet_node_at(list, i);
    s->topology_offset[i] = k;
    for (size_t q = 0; q < cet_node_size(from); q++) {
      long src = 0;
      const cet_node *v = cet_node_at(from, q);
      CET_CALL(cet_node_integer_in(v, 0, (long)I - 1, &src));
      if ((size_t)src == i) {
        return cet_node_fail(v, "island %zu cannot receive migrants from itself", i);
      }
      for (size_t r = s->topology_offset[i]; r < k; r++) {
        if (s->topology_sources[r] == (size_t)src) {
          return cet_node_fail(v, "island %zu lists source island %ld twice", i, src);
        }
      }
      s->topology_sources[k++] = (size_t)src;
    }
  }
  s->topology_offset[I] = k;
  s->islands.topology = CET_TOPOLOGY_CUSTOM;
  s->islands.offset = s->topology_offset;
  s->islands.sources = s->topology_sources;
  return CET_OK;
}

/* Largest number of source islands of any island. */
static size_t max_sources(const cet_optimize_spec *s) {
  size_t I = s->islands.islands;
  switch (s->islands.topology) {
  case CET_TOPOLOGY_RING:
    return I > 1 ? 1 : 0;
  case CET_TOPOLOGY_FULL:
    return I - 1;
  default: {
    size_t most = 0;
    for (size_t i = 0; i < I; i++) {
      size_t in = s->topology_offset[i + 1] - s->topology_offset[i];
      most = in > most ? in : most;
    }
    return most;
  }
  }
}

static int read_islands(const cet_node *o, const cet_case *c, cet_optimize_spec *s) {
  cet_islands_parameters *ip = &s->islands;
  CET_CALL(opt_size(o, "islands", ip->islands, 1, &ip->islands));
  char where[SETTINGS_WHERE_LEN];
  const cet_node *at = cet_node_get(o, "islands");
  if (at) {
    cet_node_where(at, where, sizeof where);
  } else {
    snprintf(where, sizeof where, "%s", c->path);
  }
  cet_strbuf b = {0};
  int status =
      cet_strbuf_printf(&b, "%s: optimize.islands%s", where, at ? "" : " (default 1, not given)");
  s->islands_where = b.text;
  CET_CALL(status);
  const cet_node *m = cet_node_get(o, "migration");
  if (m) {
    CET_CALL(cet_node_expect_map(m));
    CET_CALL(cet_node_check_keys(m, MIGRATION_KEYS));
    long interval = 0;
    CET_CALL(cet_node_opt_integer_in(m, "interval", (long)ip->migration_interval, 1,
                                     SETTINGS_MAX_COUNT, &interval));
    ip->migration_interval = (uint64_t)interval;
    CET_CALL(opt_size(m, "migrants", ip->migrants, 0, &ip->migrants));
    const cet_node *t = cet_node_get(m, "topology");
    if (t && cet_node_kind_of(t) == CET_NODE_SEQ) {
      CET_CALL(read_custom_topology(t, s));
    } else if (t) {
      int kind = 0;
      CET_CALL(cet_node_choice(t, TOPOLOGIES, sizeof TOPOLOGIES / sizeof TOPOLOGIES[0], &kind));
      ip->topology = (cet_topology)kind;
    }
  }
  size_t in = max_sources(s);
  if (ip->migrants * in >= s->nsga2.population) {
    const cet_node *at_k = m && cet_node_get(m, "migrants") ? cet_node_get(m, "migrants") : o;
    return cet_node_fail(at_k,
                         "%zu migrants from each of up to %zu source islands would replace the "
                         "whole population of %zu; expected fewer",
                         ip->migrants, in, s->nsga2.population);
  }
  return CET_OK;
}

/* A list of n_obj numbers (finite; >= 0 when nonnegative). */
static int read_per_objective(const cet_node *v, size_t n_obj, int nonnegative, double **out) {
  CET_CALL(cet_node_expect_seq(v));
  if (cet_node_size(v) != n_obj) {
    return cet_node_fail(v, "expected one value per objective (%zu), found %zu", n_obj,
                         cet_node_size(v));
  }
  *out = malloc(n_obj * sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (size_t j = 0; j < n_obj; j++) {
    CET_CALL(
        cet_node_number_in(cet_node_at(v, j), nonnegative ? 0.0 : -INFINITY, INFINITY, &(*out)[j]));
  }
  return CET_OK;
}

static int read_checkpoint(const cet_node *o, cet_optimize_spec *s) {
  return cet_read_checkpoint(cet_node_get(o, "checkpoint"), (long)SETTINGS_MAX_COUNT,
                             &s->checkpoint_interval, &s->checkpoint_file);
}

static int read_topsis(const cet_node *o, cet_optimize_spec *s) {
  const cet_node *tp = cet_node_get(o, "topsis");
  if (!tp) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(tp));
  CET_CALL(cet_node_check_keys(tp, TOPSIS_KEYS));
  const cet_node *v = cet_node_get(tp, "normalization");
  if (v) {
    int k = 0;
    CET_CALL(
        cet_node_choice(v, NORMALIZATIONS, sizeof NORMALIZATIONS / sizeof NORMALIZATIONS[0], &k));
    s->topsis_normalization = (cet_topsis_normalization)k;
  }
  v = cet_node_get(tp, "weights");
  if (v) {
    CET_CALL(read_per_objective(v, s->n_obj, 1, &s->topsis_weights));
    double sum = 0.0;
    for (size_t j = 0; j < s->n_obj; j++) {
      sum += s->topsis_weights[j];
    }
    if (!(sum > 0.0)) {
      return cet_node_fail(v, "expected weights with a positive sum, found all 0");
    }
  }
  CET_CALL(opt_size(tp, "top", s->report_top, 0, &s->report_top));
  return CET_OK;
}

/* optimize.include_case_design: the case's own value of every design
 * parameter (values below zero_below as 0) into s->case_design; each must
 * lie within its bounds (and be whole for an integer one). */
static int read_include_case_design(const cet_node *o, const cet_case *c, cet_optimize_spec *s) {
  CET_CALL(cet_node_opt_boolean(o, "include_case_design", 0, &s->include_case_design));
  if (!s->include_case_design) {
    return CET_OK;
  }
  const cet_node *v = cet_node_get(o, "include_case_design");
  const double *own = cet_twin_parameter_defaults(c->twin);
  s->case_design = malloc((s->n_design + 1) * sizeof *s->case_design);
  CET_CHECK_ALLOC(s->case_design);
  for (size_t j = 0; j < s->n_design; j++) {
    const cet_design_variable *d = &s->design[j];
    long slot = cet_twin_parameter_find(c->twin, d->path);
    if (slot < 0) {
      return cet_node_fail(v, "design variable %zu (%s) is not a parameter of the twin", j,
                           d->path);
    }
    double x = fabs(own[slot]) < d->zero_below ? 0.0 : own[slot];
    if (x < d->lower || x > d->upper || (d->integer && x != floor(x))) {
      return cet_node_fail(v,
                           "the case's own value of design variable %zu (%s) is %.12g, outside "
                           "its %s[%.12g, %.12g]: change the value in the case or the bounds",
                           j, d->path, x, d->integer ? "integer range " : "bounds ", d->lower,
                           d->upper);
    }
    s->case_design[j] = x;
  }
  return CET_OK;
}

int cet_read_optimize_settings(const cet_node *o, const cet_case *c, cet_optimize_spec *s) {
  s->nsga2 = cet_nsga2_default_parameters();
  s->nsga2.seed = c->seed;
  s->islands = cet_islands_default_parameters();
  s->reference_margin = DEFAULT_REFERENCE_MARGIN;
  s->topsis_normalization = CET_TOPSIS_VECTOR;
  s->report_top = (size_t)DEFAULT_TOPSIS_TOP;
  if (o && cet_node_kind_of(o) == CET_NODE_NULL) {
    o = NULL; /* `optimize:` with nothing under it: the defaults */
  }
  if (o) {
    CET_CALL(cet_node_expect_map(o));
    CET_CALL(cet_node_check_keys(o, OPTIMIZE_KEYS));
    CET_CALL(read_nsga2(o, &s->nsga2));
    CET_CALL(read_algorithm(o, s->n_obj, &s->nsga2, &s->divisions_given));
  }
  CET_CALL(read_islands(o, c, s)); /* o may be NULL: every key takes its default */
  if (!o) {
    return CET_OK;
  }
  const cet_node *v = cet_node_get(o, "reference_point");
  if (v) {
    CET_CALL(read_per_objective(v, s->n_obj, 0, &s->reference_point));
  }
  CET_CALL(cet_node_opt_number_in(o, "reference_margin", s->reference_margin, 0.0, INFINITY,
                                  &s->reference_margin));
  CET_CALL(read_checkpoint(o, s));
  CET_CALL(read_topsis(o, s));
  return read_include_case_design(o, c, s);
}
