/*
 * read_sensitivity.c — reads `sensitivity:` of a sensitivity case
 * (sensitivity.h): the metrics, the factors and groups (read_factors.c),
 * the methods asked for (sweep, oat, morris, sobol) with their settings,
 * a shard of the points, stored points and checkpoints. Every error names
 * FILE:LINE:COL and the key.
 */
#include "read_sensitivity.h"

#include "cetwin/array.h"
#include "cetwin/economics.h"
#include "cetwin/case_sections.h"
#include "cetwin/log.h"
#include "cetwin/morris.h"
#include "cetwin/sobol_indices.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const SECTION_KEYS[] = {
    "metrics", "factors", "uncertain", "quantiles",    "groups",     "sweep", "oat",
    "morris",  "sobol",   "shard",     "store_points", "checkpoint", "note",  NULL};
static const char *const SWEEP_KEYS[] = {"values", "ranges", "grid", "note", NULL};
static const char *const RANGE_KEYS[] = {"from", "to", "steps", NULL};
static const char *const OAT_KEYS[] = {"factors", "spider", "break_even", "note", NULL};
static const char *const BREAK_EVEN_KEYS[] = {
    "metric", "threshold", "range", "tolerance", "iterations", "reference", "source", "note", NULL};
static const char *const MORRIS_KEYS[] = {"factors",    "trajectories", "levels",
                                          "candidates", "radial",       "resamples",
                                          "level",      "note",         NULL};
static const char *const SOBOL_KEYS[] = {
    "factors", "n",     "second_order", "replicates", "bootstrap_metrics",
    "level",   "block", "evaluation",   "note",       NULL};
static const char *const SOBOL_EVALUATIONS[] = {"model", "factored", "auto"};
static const char *const SHARD_KEYS[] = {"first", "count", NULL};

/* Limits of the settings. */
enum { WHERE_LEN = 512 }; /* file:line:column of a warning */
static const double MAX_POINTS = 1e15;
static const long MAX_COUNT = 100000000;
static const long MAX_SWEEP_VALUES = 10000000;
static const double DEFAULT_BREAK_EVEN_LOW = -1.0;
static const double DEFAULT_BREAK_EVEN_HIGH = 20.0;

/* The metrics: listed, or npv of a twin with economics, else every metric. */
static int read_metrics(const cet_node *section, const cet_twin *t, cet_sensitivity_spec *s) {
  const cet_node *list = cet_node_get(section, "metrics");
  if (list) {
    return cet_read_metrics(list, t, &s->metrics, &s->metric_index);
  }
  if (cet_twin_has_economics(t)) {
    CET_CALL(cet_names_add(&s->metrics, CET_METRIC_NPV));
  } else {
    for (size_t i = 0; i < cet_twin_metric_count(t); i++) {
      CET_CALL(cet_names_add(&s->metrics, cet_twin_metric_name(t, i)));
    }
  }
  return cet_read_metric_indices(t, &s->metrics, &s->metric_index);
}

/* ---- sweep ---- */

/* Appends dimension `path` (read at n) with the values of list or range. */
static int add_dimension(const cet_twin *t, const cet_node *n, const char *path, cet_sweep_spec *w,
                         double **values, size_t count) {
  long slot = cet_twin_parameter_find(t, path);
  if (slot < 0) {
    const char *best = cet_twin_parameter_closest(t, path);
    return cet_node_fail_key(n, path, "no parameter '%s' in the twin%s%s%s", path,
                             best ? " (closest: '" : "", best ? best : "", best ? "')" : "");
  }
  CET_CALL(cet_read_check_movable(t, n, (size_t)slot));
  for (size_t d = 0; d < w->n_dims; d++) {
    if (w->slots[d] == (size_t)slot) {
      return cet_node_fail_key(n, path, "parameter %s is swept twice", path);
    }
  }
  double lo = 0.0, hi = 0.0;
  cet_twin_parameter_range(t, (size_t)slot, &lo, &hi);
  for (size_t i = 0; i < count; i++) {
    if ((*values)[i] < lo || (*values)[i] > hi) {
      return cet_node_fail_key(n, path, "value %g of %s is outside its valid range [%g, %g]",
                               (*values)[i], path, lo, hi);
    }
  }
  size_t d = w->n_dims;
  CET_CALL(cet_array_grow(&w->paths, NULL, d + 1, sizeof *w->paths));
  CET_CALL(cet_array_grow(&w->slots, NULL, d + 1, sizeof *w->slots));
  CET_CALL(cet_array_grow(&w->n_values, NULL, d + 1, sizeof *w->n_values));
  CET_CALL(cet_array_grow(&w->values, NULL, d + 1, sizeof *w->values));
  w->paths[d] = cet_strdup(path);
  CET_CHECK_ALLOC(w->paths[d]);
  w->slots[d] = (size_t)slot;
  w->n_values[d] = count;
  w->values[d] = *values;
  *values = NULL;
  w->n_dims++;
  return CET_OK;
}

/* `ranges: {PATH: {from, to, steps}}`: steps evenly spaced values. */
static int range_values(const cet_node *r, double **out, size_t *n) {
  CET_CALL(cet_node_expect_map(r));
  CET_CALL(cet_node_check_keys(r, RANGE_KEYS));
  const cet_node *v = NULL;
  double from = 0.0, to = 0.0;
  long steps = 0;
  CET_CALL(cet_node_require(r, "from", "the first value", &v));
  CET_CALL(cet_node_number(v, &from));
  CET_CALL(cet_node_require(r, "to", "the last value", &v));
  CET_CALL(cet_node_number(v, &to));
  CET_CALL(cet_node_require(r, "steps", "the number of values, at least 2", &v));
  CET_CALL(cet_node_integer_in(v, 2, MAX_SWEEP_VALUES, &steps));
  if (!(from != to)) {
    return cet_node_fail(r, "a range needs from != to, found %g to %g", from, to);
  }
  *out = malloc((size_t)steps * sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (long i = 0; i < steps; i++) {
    (*out)[i] = i == steps - 1 ? to : from + (to - from) * (double)i / (double)(steps - 1);
  }
  *n = (size_t)steps;
  return CET_OK;
}

static int read_sweep(const cet_node *sw, const cet_twin *t, cet_sweep_spec *w) {
  CET_CALL(cet_node_expect_map(sw));
  CET_CALL(cet_node_check_keys(sw, SWEEP_KEYS));
  w->given = 1;
  CET_CALL(cet_node_opt_boolean(sw, "grid", 1, &w->grid));
  const char *const kinds[] = {"values", "ranges"};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    const cet_node *map = cet_node_get(sw, kinds[k]);
    if (!map) {
      continue;
    }
    CET_CALL(cet_node_expect_map(map));
    for (size_t i = 0; i < cet_node_size(map); i++) {
      double *values = NULL;
      size_t n = 0;
      int status = CET_OK;
      CET_CALL_GOTO(status, next,
                    k == 0 ? cet_read_numbers(cet_node_at(map, i), 1, (size_t)MAX_SWEEP_VALUES,
                                              -INFINITY, INFINITY, &values, &n)
                           : range_values(cet_node_at(map, i), &values, &n));
      CET_CALL_GOTO(status, next, add_dimension(t, map, cet_node_key_at(map, i), w, &values, n));
    next:
      free(values);
      CET_CALL(status);
    }
  }
  if (w->n_dims == 0) {
    return cet_node_fail(sw, "a sweep needs parameters: values: {PATH: [v, ...]} or ranges: "
                             "{PATH: {from, to, steps}}");
  }
  double points = 1.0;
  for (size_t d = 0; d < w->n_dims; d++) {
    if (!w->grid && w->n_values[d] != w->n_values[0]) {
      return cet_node_fail(sw,
                           "grid: false takes the i-th value of every parameter: their lists "
                           "must have one length, found %zu for %s and %zu for %s",
                           w->n_values[0], w->paths[0], w->n_values[d], w->paths[d]);
    }
    points = w->grid ? points * (double)w->n_values[d] : (double)w->n_values[0];
  }
  if (points > MAX_POINTS) {
    return cet_node_fail(sw, "the sweep has %g points, more than %g", points, MAX_POINTS);
  }
  w->points = (uint64_t)points;
  return CET_OK;
}

/* ---- one at a time ---- */

static int read_break_even(const cet_node *be, cet_sensitivity_spec *s) {
  cet_oat_spec *o = &s->oat;
  CET_CALL(cet_node_expect_map(be));
  CET_CALL(cet_node_check_keys(be, BREAK_EVEN_KEYS));
  o->break_even = 1;
  const char *metric = NULL;
  const cet_node *v = cet_node_get(be, "metric");
  CET_CALL(cet_node_opt_string(be, "metric", s->metrics.name[0], &metric));
  long k = cet_names_find(&s->metrics, metric);
  if (k < 0) {
    char list[512];
    cet_names_join(&s->metrics, list, sizeof list);
    return cet_node_fail(v,
                         "expected one of the metrics looked at (sensitivity.metrics: %s), "
                         "found '%s'",
                         list, metric);
  }
  o->be_metric = (size_t)k;
  CET_CALL(cet_node_opt_number_in(be, "threshold", 0.0, -INFINITY, INFINITY, &o->be_threshold));
  o->be_low = DEFAULT_BREAK_EVEN_LOW;
  o->be_high = DEFAULT_BREAK_EVEN_HIGH;
  const cet_node *range = cet_node_get(be, "range");
  if (range) {
    CET_CALL(cet_node_pair_in(range, -1.0, INFINITY, &o->be_low, &o->be_high));
    if (!(o->be_low < o->be_high)) {
      return cet_node_fail(range,
                           "the range of relative changes needs a non-zero width, found "
                           "[%g, %g]",
                           o->be_low, o->be_high);
    }
  }
  CET_CALL(cet_node_opt_number_in(be, "tolerance", CET_BREAK_EVEN_DEFAULT_TOLERANCE, 1e-15, 1.0,
                                  &o->be_tolerance));
  long it = 0;
  CET_CALL(cet_node_opt_integer_in(be, "iterations", CET_BREAK_EVEN_DEFAULT_ITERATIONS, 1,
                                   MAX_COUNT, &it));
  o->be_iterations = (size_t)it;
  const char *source = NULL;
  CET_CALL(cet_node_opt_string(be, "source", NULL, &source));
  if (source) {
    o->be_source = cet_strdup(source);
    CET_CHECK_ALLOC(o->be_source);
  }
  return CET_OK;
}

/* oat.break_even.reference: {FACTOR: change, ...}, the published
 * break-evens printed beside the computed ones, by factor of the OAT set
 * (read once the set is known). */
static int read_reference(const cet_node *oat, cet_sensitivity_spec *s) {
  cet_oat_spec *o = &s->oat;
  const cet_node *be = o->break_even ? cet_node_get(oat, "break_even") : NULL;
  const cet_node *ref = be ? cet_node_get(be, "reference") : NULL;
  if (!ref) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(ref));
  o->be_reference = malloc((o->factors.n + 1) * sizeof *o->be_reference);
  CET_CHECK_ALLOC(o->be_reference);
  for (size_t a = 0; a < o->factors.n; a++) {
    o->be_reference[a] = NAN;
  }
  for (size_t i = 0; i < cet_node_size(ref); i++) {
    const char *name = cet_node_key_at(ref, i);
    size_t a = 0;
    while (a < o->factors.n && strcmp(s->factors[o->factors.index[a]].name, name) != 0) {
      a++;
    }
    if (a == o->factors.n) {
      return cet_node_fail(cet_node_at(ref, i),
                           "expected a factor of the one-at-a-time analysis (oat.factors), "
                           "found '%s'",
                           name);
    }
    CET_CALL(cet_node_number_in(cet_node_at(ref, i), -1.0, INFINITY, &o->be_reference[a]));
  }
  return CET_OK;
}

static int read_oat(const cet_node *oat, cet_sensitivity_spec *s) {
  cet_oat_spec *o = &s->oat;
  o->given = 1;
  if (cet_node_kind_of(oat) == CET_NODE_NULL) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(oat));
  CET_CALL(cet_node_check_keys(oat, OAT_KEYS));
  const cet_node *spider = cet_node_get(oat, "spider");
  if (spider) {
    CET_CALL(
        cet_read_numbers(spider, 1, (size_t)MAX_COUNT, -1.0, INFINITY, &o->spider, &o->n_spider));
  }
  const cet_node *be = cet_node_get(oat, "break_even");
  if (be && cet_node_kind_of(be) != CET_NODE_NULL) {
    CET_CALL(read_break_even(be, s));
  }
  return CET_OK;
}

/* ---- Morris and Sobol' ---- */

static int read_morris(const cet_node *m, cet_morris_spec *ms) {
  ms->given = 1;
  long r = CET_MORRIS_DEFAULT_TRAJECTORIES, p = CET_MORRIS_DEFAULT_LEVELS, c = 0;
  long b = CET_MORRIS_DEFAULT_RESAMPLES;
  ms->level = CET_MORRIS_DEFAULT_LEVEL;
  if (cet_node_kind_of(m) != CET_NODE_NULL) {
    CET_CALL(cet_node_expect_map(m));
    CET_CALL(cet_node_check_keys(m, MORRIS_KEYS));
    CET_CALL(cet_node_opt_integer_in(m, "trajectories", r, 2, MAX_COUNT, &r));
    CET_CALL(cet_node_opt_integer_in(m, "levels", p, 2, 1000, &p));
    CET_CALL(cet_node_opt_integer_in(m, "candidates", 0, 0, MAX_COUNT, &c));
    CET_CALL(cet_node_opt_integer_in(m, "resamples", b, 0, MAX_COUNT, &b));
    CET_CALL(cet_node_opt_boolean(m, "radial", 0, &ms->radial));
    CET_CALL(cet_node_opt_number_in(m, "level", ms->level, 1e-6, 1.0 - 1e-6, &ms->level));
    if (p % 2 != 0) {
      return cet_node_fail(cet_node_get(m, "levels"),
                           "expected an even number of levels, "
                           "found %ld",
                           p);
    }
    if (c > 0 && c < r) {
      return cet_node_fail(cet_node_get(m, "candidates"),
                           "the %ld trajectories are chosen from the candidates: expected at "
                           "least %ld candidates (or 0, no selection), found %ld",
                           r, r, c);
    }
  }
  ms->trajectories = (size_t)r;
  ms->levels = (size_t)p;
  ms->candidates = (size_t)c;
  ms->resamples = (size_t)b;
  return CET_OK;
}

static int read_sobol(const cet_node *sb, const cet_sensitivity_spec *s, cet_sobol_spec *so) {
  so->given = 1;
  long n = CET_SOBOL_DEFAULT_BASE_ROWS, r = CET_SOBOL_DEFAULT_REPLICATES, bm = 0;
  long block = CET_SENSITIVITY_DEFAULT_BLOCK;
  so->level = CET_SOBOL_DEFAULT_LEVEL;
  if (cet_node_kind_of(sb) != CET_NODE_NULL) {
    CET_CALL(cet_node_expect_map(sb));
    CET_CALL(cet_node_check_keys(sb, SOBOL_KEYS));
    CET_CALL(cet_node_opt_integer_in(sb, "n", n, 1, (long)UINT32_MAX, &n));
    CET_CALL(cet_node_opt_boolean(sb, "second_order", 0, &so->second_order));
    CET_CALL(cet_node_opt_integer_in(sb, "replicates", r, 0, MAX_COUNT, &r));
    CET_CALL(cet_node_opt_integer_in(sb, "bootstrap_metrics", bm, 0, (long)s->metrics.n, &bm));
    CET_CALL(cet_node_opt_number_in(sb, "level", so->level, 1e-6, 1.0 - 1e-6, &so->level));
    CET_CALL(cet_node_opt_integer_in(sb, "block", block, 1, MAX_COUNT, &block));
    const cet_node *ev = cet_node_get(sb, "evaluation");
    if (ev && cet_node_kind_of(ev) != CET_NODE_NULL) {
      int e = 0;
      CET_CALL(cet_node_choice(ev, SOBOL_EVALUATIONS,
                               sizeof SOBOL_EVALUATIONS / sizeof SOBOL_EVALUATIONS[0], &e));
      so->evaluation = (cet_sobol_evaluation)e;
      CET_CALL(cet_read_where(ev, &so->evaluation_where));
    }
  }
  if ((n & (n - 1)) != 0) {
    char where[WHERE_LEN];
    cet_node_where(cet_node_get(sb, "n"), where, sizeof where);
    cet_log_warn("%s: sensitivity.sobol.n: %ld is not a power of two; the Sobol' points balance "
                 "best at N = 2^m (%ld or %ld)",
                 where, n, 1L << (63 - __builtin_clzl((unsigned long)n)),
                 2L << (63 - __builtin_clzl((unsigned long)n)));
  }
  so->n = (uint64_t)n;
  so->replicates = (size_t)r;
  so->bootstrap_metrics = (size_t)bm;
  so->block = (uint64_t)block;
  return CET_OK;
}

/* ---- shards and the plan ---- */

static int read_shard(const cet_node *sh, cet_sensitivity_spec *s) {
  CET_CALL(cet_node_expect_map(sh));
  CET_CALL(cet_node_check_keys(sh, SHARD_KEYS));
  const int methods = s->sweep.given + s->oat.given + s->morris.given + s->sobol.given;
  if (methods != 1 || (!s->sweep.given && !s->sobol.given)) {
    return cet_node_fail(sh, "a shard splits the points of one sweep or one sobol run over "
                             "several jobs: ask for that method alone (run oat and morris "
                             "separately)");
  }
  uint64_t total = s->sweep.given ? s->sweep.points : s->sobol.n;
  long first = 0, count = 0;
  const cet_node *v = NULL;
  CET_CALL(cet_node_opt_integer_in(sh, "first", 0, 0, (long)MAX_POINTS, &first));
  CET_CALL(cet_node_require(sh, "count", "the number of points of this shard", &v));
  CET_CALL(cet_node_integer_in(v, 1, (long)MAX_POINTS, &count));
  if ((uint64_t)first + (uint64_t)count > total) {
    return cet_node_fail(sh, "points %ld .. %ld lie beyond the %llu points of the %s", first,
                         first + count - 1, (unsigned long long)total,
                         s->sweep.given ? "sweep" : "sobol run (sobol.n)");
  }
  if (s->sobol.given && (uint64_t)first % s->sobol.block != 0) {
    return cet_node_fail(sh,
                         "a shard of a sobol run starts at a block boundary: first must be "
                         "a multiple of sobol.block (%llu), found %ld",
                         (unsigned long long)s->sobol.block, first);
  }
  s->first = (uint64_t)first;
  s->count = (uint64_t)count;
  return CET_OK;
}

/* The mapping of method key in section, or NULL when the key is absent or
 * false (`--set sensitivity.oat=false` leaves a method of the case out,
 * e.g. to run its Sobol' part alone in shards). */
static int method_node(const cet_node *section, const char *key, const cet_node **out) {
  *out = cet_node_get(section, key);
  int on = 1;
  if (*out && cet_node_kind_of(*out) == CET_NODE_SCALAR) {
    if (cet_node_boolean(*out, &on) != CET_OK) {
      cet_error_clear(); /* not a boolean: the method's reader says what it expects */
    } else if (!on) {
      *out = NULL;
    }
  }
  return CET_OK;
}

static int read_section(const cet_case *c, const cet_node *root, const cet_node *section,
                        cet_sensitivity_spec *s) {
  CET_CALL(cet_node_expect_map(section));
  CET_CALL(cet_node_check_keys(section, SECTION_KEYS));
  CET_CALL(read_metrics(section, c->twin, s));
  CET_CALL(cet_read_factors(c, root, section, s));
  const cet_node *v = NULL;
  CET_CALL(method_node(section, "sweep", &v));
  if (v) {
    CET_CALL(read_sweep(v, c->twin, &s->sweep));
  }
  CET_CALL(method_node(section, "oat", &v));
  if (v) {
    CET_CALL(read_oat(v, s));
    CET_CALL(cet_read_factor_set(c->twin, v, "oat", s, &s->oat.factors));
    CET_CALL(read_reference(v, s));
  }
  CET_CALL(method_node(section, "morris", &v));
  if (v) {
    CET_CALL(read_morris(v, &s->morris));
    CET_CALL(cet_read_factor_set(c->twin, v, "morris", s, &s->morris.factors));
  }
  CET_CALL(method_node(section, "sobol", &v));
  if (v) {
    CET_CALL(read_sobol(v, s, &s->sobol));
    CET_CALL(cet_read_factor_set(c->twin, v, "sobol", s, &s->sobol.factors));
  }
  if (s->morris.radial && s->groups.n < s->n_factors) {
    return cet_node_fail(cet_node_get(cet_node_get(section, "morris"), "radial"),
                         "the radial design moves one factor at a time: it takes no groups "
                         "(sensitivity.groups binds several factors)");
  }
  if (!s->sweep.given && !s->oat.given && !s->morris.given && !s->sobol.given) {
    return cet_node_fail(
        section, "expected at least one method: sweep, oat, morris or sobol (a method set to "
                 "false is left out)");
  }
  if ((v = cet_node_get(section, "shard"))) {
    CET_CALL(read_shard(v, s));
  }
  CET_CALL(cet_node_opt_boolean(section, "store_points", 0, &s->store_points));
  CET_CALL(cet_read_checkpoint(cet_node_get(section, "checkpoint"), (long)MAX_COUNT,
                               &s->checkpoint_interval, &s->checkpoint_file));
  return CET_OK;
}

int cet_case_read_sensitivity(const cet_node *root, const cet_config *cfg, cet_case *c) {
  (void)cfg;
  c->sensitivity = NULL;
  const cet_node *section = NULL;
  CET_CALL(cet_node_require(root, "sensitivity",
                            "the factors and methods, e.g. {factors: [...], oat: {}}", &section));
  cet_sensitivity_spec *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, read_section(c, root, section, s));
  c->sensitivity = s;
  return CET_OK;
fail:
  cet_sensitivity_spec_destroy(&s);
  return status;
}

void cet_case_free_sensitivity(cet_case *c) { cet_sensitivity_spec_destroy(&c->sensitivity); }
