/*
 * read_optimize.c — reads the problem of an optimisation case (optimize.h):
 * `design:` (variables bound to twin parameters by key path; a path naming
 * a list, such as network.units.share.fractions, stands for every element),
 * `objectives:` and `constraints:` (named metrics of the twin, or of a
 * robust case statistics of them over the draws; the twin's feasibility
 * metrics are constrained too). `robust:` and
 * `uncertain:` are read by read_robust.c, the algorithm's settings
 * (`optimize:`) by read_optimize_settings.c.
 * Every error names FILE:LINE:COL and the key.
 */
#include "readers.h"

#include "cetwin/array.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_PATH_LEN = 512, OPT_FOUND_LEN = 128 };

static const char *const DESIGN_KEYS[] = {
    "path", "name", "bounds", "integer", "categorical", "zero_below", "sum_to_one", "note", NULL};
static const char *const OBJECTIVE_KEYS[] = {"metric", "sense", "statistic", "note", NULL};
static const char *const CONSTRAINT_KEYS[] = {"metric", "min", "max", "statistic", "note", NULL};
static const char *const SENSES[] = {"minimize", "maximize"};

/* The parameters a design path stands for: itself, or path[0], path[1], ...
 * Appends their slots to slots (room for the parameter count). */
static int expand_path(const cet_twin *t, const cet_node *at, const char *path, long *slots,
                       size_t *count) {
  long i = cet_twin_parameter_find(t, path);
  if (i >= 0) {
    slots[(*count)++] = i;
    return CET_OK;
  }
  size_t before = *count;
  for (size_t k = 0;; k++) {
    char element[OPT_PATH_LEN];
    snprintf(element, sizeof element, "%s[%zu]", path, k);
    long e = cet_twin_parameter_find(t, element);
    if (e < 0) {
      break;
    }
    slots[(*count)++] = e;
  }
  if (*count == before) {
    const char *near = cet_twin_parameter_closest(t, path);
    return cet_node_fail(at,
                         "no parameter of the twin at '%s'%s%s%s (/simulate/parameters of a "
                         "simulate run lists every path)",
                         path, near ? " (closest: '" : "", near ? near : "", near ? "')" : "");
  }
  return CET_OK;
}

/* Bounds of one entry: given, or [0, 1] in a sum-to-one group, or the
 * parameter's own range when it is finite. */
static int read_bounds(const cet_twin *t, const cet_node *entry, long slot, int group, double *lo,
                       double *hi) {
  double plo, phi;
  cet_twin_parameter_range(t, (size_t)slot, &plo, &phi);
  const char *path = cet_twin_parameter_path(t, (size_t)slot);
  const cet_node *b = cet_node_get(entry, "bounds");
  if (!b && group) {
    *lo = 0.0;
    *hi = 1.0;
  } else if (!b) {
    if (!isfinite(plo) || !isfinite(phi)) {
      return cet_node_fail(entry,
                           "missing required key 'bounds' ([min, max] of the variable): "
                           "parameter %s may range over [%g, %g]",
                           path, plo, phi);
    }
    *lo = plo;
    *hi = phi;
  } else {
    CET_CALL(cet_node_pair_in(b, -INFINITY, INFINITY, lo, hi));
    if (*lo < plo || *hi > phi) {
      return cet_node_fail(b, "bounds [%g, %g] leave the valid range [%g, %g] of parameter %s", *lo,
                           *hi, plo, phi, path);
    }
    if (group && (*lo != 0.0 || *hi != 1.0)) {
      return cet_node_fail(b,
                           "the rates of a sum_to_one group have bounds [0, 1] (they are divided "
                           "by their sum), found [%g, %g]",
                           *lo, *hi);
    }
  }
  return CET_OK;
}

/* The rules of one entry (integer, categorical, zero_below, sum_to_one);
 * categorical is -1 when not given (then taken from the parameter). */
typedef struct {
  int integer, categorical, group;
  double zero_below;
} entry_rules;

static int read_rules(const cet_node *entry, size_t members, entry_rules *r) {
  CET_CALL(cet_node_opt_boolean(entry, "integer", 0, &r->integer));
  CET_CALL(cet_node_opt_boolean(entry, "categorical", -1, &r->categorical));
  if (r->categorical == 1 && cet_node_get(entry, "integer") && !r->integer) {
    return cet_node_fail_key(entry, "integer",
                             "a categorical variable takes integer values (its choices' "
                             "indices): leave out integer: false");
  }
  CET_CALL(cet_node_opt_boolean(entry, "sum_to_one", 0, &r->group));
  CET_CALL(cet_node_opt_number_in(entry, "zero_below", 0.0, 0.0, INFINITY, &r->zero_below));
  if (r->group && members < 2) {
    return cet_node_fail_key(entry, "sum_to_one",
                             "sum_to_one needs at least two variables (a path naming a list), "
                             "found %zu",
                             members);
  }
  return CET_OK;
}

/* The default name of the design variable of parameter path: a splitter's
 * fraction is UNIT.OUTLET (share.f1), any other parameter its path without
 * the leading "network.units." (leach.split.Zn.residue). */
static char *default_name(const cet_case *c, const char *path) {
  static const char prefix[] = "network.units.";
  const char *rest =
      strncmp(path, prefix, sizeof prefix - 1) == 0 ? path + sizeof prefix - 1 : path;
  const char *bracket = strstr(rest, ".fractions[");
  const cet_twin_spec *spec = c->twin_spec;
  if (bracket && spec) {
    size_t k = strtoul(bracket + strlen(".fractions["), NULL, 10);
    char unit[OPT_PATH_LEN];
    snprintf(unit, sizeof unit, "%.*s", (int)(bracket - rest), rest);
    long u = cet_twin_spec_find_unit(spec, unit);
    if (u >= 0 && spec->unit[u].kind == CET_UNIT_SPLITTER && k < spec->unit[u].outlets.n) {
      cet_strbuf b = {0};
      if (cet_strbuf_printf(&b, "%s.%s", unit, spec->unit[u].outlets.name[k]) != CET_OK) {
        return NULL;
      }
      return b.text;
    }
  }
  return cet_strdup(rest);
}

/* The name of member k of count of a design entry: its `name` (a text for
 * one parameter, a list of one per parameter), else default_name. */
static int variable_name(const cet_case *c, const cet_node *entry, const char *path, size_t k,
                         size_t count, char **out) {
  const cet_node *v = cet_node_get(entry, "name");
  const char *text = NULL;
  if (!v) {
    *out = default_name(c, path);
  } else if (count == 1 && cet_node_size(v) == 0) {
    CET_CALL(cet_node_string(v, &text));
    *out = cet_strdup(text);
  } else {
    if (cet_node_kind_of(v) != CET_NODE_SEQ) {
      return cet_node_fail(v,
                           "expected a name, or a list of one name per parameter of the path "
                           "(%zu)",
                           count);
    }
    if (cet_node_size(v) != count) {
      return cet_node_fail(v, "expected one name per parameter of the path (%zu), found %zu", count,
                           cet_node_size(v));
    }
    CET_CALL(cet_node_string(cet_node_at(v, k), &text));
    *out = cet_strdup(text);
  }
  CET_CHECK_ALLOC(*out);
  return CET_OK;
}

/* Integer and categorical of variable d on parameter slot: a parameter of
 * integer values (a selector's outlet index) makes an integer variable,
 * categorical unless `categorical: false` asks for ordinal operators. */
static int integer_rules(const cet_twin *t, const cet_node *entry, size_t slot,
                         const entry_rules *r, cet_design_variable *d) {
  unsigned flags = cet_twin_parameter_flags(t, slot);
  if (flags & CET_PARAM_INTEGER) {
    if (cet_node_get(entry, "integer") && !r->integer) {
      return cet_node_fail_key(entry, "integer",
                               "parameter %s takes integer values only; leave out integer: false",
                               cet_twin_parameter_path(t, slot));
    }
    d->integer = 1;
    d->categorical = r->categorical >= 0 ? r->categorical : (flags & CET_PARAM_CATEGORICAL) != 0;
  } else {
    d->integer = r->integer || r->categorical == 1;
    d->categorical = r->categorical == 1;
  }
  if (d->integer && r->zero_below > 0.0) {
    return cet_node_fail_key(entry, "zero_below",
                             "zero_below applies to real variables; an integer variable reaches "
                             "0 by itself");
  }
  if (d->integer && r->group) {
    return cet_node_fail_key(entry, "sum_to_one",
                             "a sum_to_one group holds real rates, not integer variables");
  }
  return CET_OK;
}

static int add_variable(cet_optimize_spec *s, const cet_twin *t, const cet_node *entry, long slot,
                        const entry_rules *r, size_t group) {
  const char *path = cet_twin_parameter_path(t, (size_t)slot);
  if (!r->group) {
    CET_CALL(cet_read_check_movable(t, cet_node_get(entry, "path"), (size_t)slot));
  }
  for (size_t j = 0; j < s->n_design; j++) {
    if (strcmp(s->design[j].path, path) == 0) {
      return cet_node_fail(entry, "parameter %s is already design variable %zu", path, j);
    }
  }
  cet_design_variable *d = &s->design[s->n_design];
  memset(d, 0, sizeof *d);
  d->path = cet_strdup(path);
  CET_CHECK_ALLOC(d->path);
  s->n_design++;
  CET_CALL(integer_rules(t, entry, (size_t)slot, r, d));
  d->zero_below = r->zero_below;
  d->group = r->group ? group : CET_OPTIMIZE_NO_GROUP;
  CET_CALL(read_bounds(t, entry, slot, r->group, &d->lower, &d->upper));
  const cet_node *at = cet_node_get(entry, "bounds") ? cet_node_get(entry, "bounds") : entry;
  if (d->integer && (d->lower != floor(d->lower) || d->upper != floor(d->upper))) {
    return cet_node_fail(at, "an integer variable needs integral bounds, found [%g, %g]", d->lower,
                         d->upper);
  }
  if (d->zero_below > 0.0 && (d->lower > 0.0 || d->upper < 0.0)) {
    return cet_node_fail(at, "zero_below sets values to 0, which the bounds [%g, %g] exclude",
                         d->lower, d->upper);
  }
  return CET_OK;
}

static int read_design(const cet_node *list, const cet_case *c, cet_optimize_spec *s) {
  const cet_twin *t = c->twin;
  CET_CALL(cet_node_expect_seq(list));
  if (cet_node_size(list) == 0) {
    return cet_node_fail(list, "expected at least one design variable, e.g. - {path: PATH, "
                               "bounds: [0, 1]}");
  }
  size_t np = cet_twin_parameter_count(t);
  long *slots = malloc((np + 1) * sizeof *slots);
  s->design = calloc(np + 1, sizeof *s->design);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, slots && s->design);
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const cet_node *entry = cet_node_at(list, i), *v = NULL;
    const char *path = NULL;
    size_t count = 0;
    entry_rules rules = {0};
    CET_CALL_GOTO(status, done, cet_node_expect_map(entry));
    CET_CALL_GOTO(status, done, cet_node_check_keys(entry, DESIGN_KEYS));
    CET_CALL_GOTO(status, done,
                  cet_node_require(entry, "path", "the key path of a twin parameter", &v));
    CET_CALL_GOTO(status, done, cet_node_string(v, &path));
    CET_CALL_GOTO(status, done, expand_path(t, v, path, slots, &count));
    CET_CALL_GOTO(status, done, read_rules(entry, count, &rules));
    for (size_t k = 0; k < count; k++) {
      CET_CALL_GOTO(status, done, add_variable(s, t, entry, slots[k], &rules, s->n_groups));
      cet_design_variable *d = &s->design[s->n_design - 1];
      CET_CALL_GOTO(status, done, variable_name(c, entry, d->path, k, count, &d->name));
      for (size_t j = 0; j + 1 < s->n_design; j++) {
        if (strcmp(s->design[j].name, d->name) == 0) {
          CET_CALL_GOTO(
              status, done,
              cet_node_fail(entry, "design variable name '%s' is used twice", s->design[j].name));
        }
      }
    }
    s->n_groups += rules.group;
  }
done:
  free(slots);
  return status;
}

/* Index of a metric of the twin named by the scalar v. */
static int metric_index(const cet_node *v, const cet_twin *t, char **name, size_t *index) {
  const char *text = NULL;
  CET_CALL(cet_node_string(v, &text));
  long m = cet_twin_metric_find(t, text);
  if (m < 0) {
    const char *near = cet_twin_metric_closest(t, text);
    return cet_node_fail(v, "the twin has no metric '%s'%s%s%s (docs/user-guide.md lists them)",
                         text, near ? " (closest: '" : "", near ? near : "", near ? "')" : "");
  }
  *name = cet_strdup(text);
  CET_CHECK_ALLOC(*name);
  *index = (size_t)m;
  return CET_OK;
}

/* The statistic an objective or constraint takes of its metric: `statistic`
 * if given, else the mean over the draws of a robust case, else the value
 * (nominal). */
static int read_statistic(const cet_node *entry, const cet_optimize_spec *s, int *out) {
  const cet_node *v = cet_node_get(entry, "statistic");
  *out = s->robust.draws > 0 ? (int)CET_STAT_MEAN : CET_OPTIMIZE_NOMINAL;
  if (!v) {
    return CET_OK;
  }
  const char *name = NULL;
  CET_CALL(cet_node_string(v, &name));
  if (strcmp(name, cet_optimize_statistic_name(CET_OPTIMIZE_NOMINAL)) == 0) {
    *out = CET_OPTIMIZE_NOMINAL;
    return CET_OK;
  }
  int st = cet_stats_stat_find(name);
  if (st < 0) {
    char list[OPT_PATH_LEN];
    size_t used = (size_t)snprintf(list, sizeof list, "%s",
                                   cet_optimize_statistic_name(CET_OPTIMIZE_NOMINAL));
    for (int k = 0; k < CET_STAT_COUNT && used < sizeof list; k++) {
      used += (size_t)snprintf(list + used, sizeof list - used, ", %s",
                               cet_stats_stat_name((cet_stat)k));
    }
    return cet_node_fail(v, "expected one of %s, found '%s'", list, name);
  }
  if (s->robust.draws == 0) {
    return cet_node_fail(v,
                         "statistic '%s' is taken over the draws of a robust case: add robust: "
                         "{draws: K} and uncertain: variables, or leave statistic out",
                         name);
  }
  if (st == CET_STAT_SD && s->robust.draws < 2) {
    return cet_node_fail(v, "statistic 'sd' needs at least 2 draws, found robust.draws = %llu",
                         (unsigned long long)s->robust.draws);
  }
  *out = st;
  return CET_OK;
}

static int read_objectives(const cet_node *list, const cet_twin *t, cet_optimize_spec *s) {
  CET_CALL(cet_node_expect_seq(list));
  size_t n = cet_node_size(list);
  if (n == 0) {
    return cet_node_fail(list, "expected at least one objective, e.g. - {metric: gwp, sense: "
                               "minimize}");
  }
  s->objective = calloc(n, sizeof *s->objective);
  CET_CHECK_ALLOC(s->objective);
  for (size_t j = 0; j < n; j++) {
    const cet_node *entry = cet_node_at(list, j), *v = NULL;
    CET_CALL(cet_node_expect_map(entry));
    CET_CALL(cet_node_check_keys(entry, OBJECTIVE_KEYS));
    cet_objective *o = &s->objective[j];
    CET_CALL(cet_node_require(entry, "metric", "the name of a twin metric", &v));
    CET_CALL(metric_index(v, t, &o->metric, &o->index));
    s->n_obj = j + 1;
    CET_CALL(read_statistic(entry, s, &o->statistic));
    for (size_t i = 0; i < j; i++) {
      if (s->objective[i].index == o->index && s->objective[i].statistic == o->statistic) {
        int nominal = o->statistic == CET_OPTIMIZE_NOMINAL;
        return cet_node_fail(v, "metric '%s'%s%s is already objective %zu", o->metric,
                             nominal ? "" : " with statistic ",
                             nominal ? "" : cet_optimize_statistic_name(o->statistic), i);
      }
    }
    int sense = 0;
    CET_CALL(cet_node_require(entry, "sense", "minimize or maximize", &v));
    CET_CALL(cet_node_choice(v, SENSES, sizeof SENSES / sizeof SENSES[0], &sense));
    o->sense = (cet_sense)sense;
  }
  return CET_OK;
}

static int read_constraints(const cet_node *list, const cet_twin *t, cet_optimize_spec *s) {
  if (!list) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_seq(list));
  size_t n = cet_node_size(list);
  s->constraint = calloc(n + 1, sizeof *s->constraint);
  CET_CHECK_ALLOC(s->constraint);
  for (size_t k = 0; k < n; k++) {
    const cet_node *entry = cet_node_at(list, k), *v = NULL;
    CET_CALL(cet_node_expect_map(entry));
    CET_CALL(cet_node_check_keys(entry, CONSTRAINT_KEYS));
    cet_constraint *c = &s->constraint[k];
    CET_CALL(cet_node_require(entry, "metric", "the name of a twin metric", &v));
    CET_CALL(metric_index(v, t, &c->metric, &c->index));
    s->n_con = k + 1;
    CET_CALL(read_statistic(entry, s, &c->statistic));
    if (!cet_node_get(entry, "min") && !cet_node_get(entry, "max")) {
      return cet_node_fail(entry, "a constraint needs min, max or both, found neither");
    }
    CET_CALL(cet_node_opt_number_in(entry, "min", -INFINITY, -INFINITY, INFINITY, &c->min));
    CET_CALL(cet_node_opt_number_in(entry, "max", INFINITY, -INFINITY, INFINITY, &c->max));
    if (c->min > c->max) {
      return cet_node_fail_key(entry, "max", "expected max >= min, found min %g and max %g", c->min,
                               c->max);
    }
  }
  return CET_OK;
}

/* Every feasibility metric of the twin (an export beyond what is
 * available) not constrained by the case becomes the constraint
 * `metric <= 0` on its nominal value, so that an infeasible design is
 * dominated by every feasible one (nsga2.h) instead of failing the run. */
static int add_feasibility(const cet_twin *t, cet_optimize_spec *s) {
  size_t nf = cet_twin_feasibility_count(t);
  if (nf == 0) {
    return CET_OK;
  }
  CET_CALL(cet_array_grow(&s->constraint, NULL, s->n_con + nf + 1, sizeof *s->constraint));
  for (size_t i = 0; i < nf; i++) {
    size_t index = cet_twin_feasibility_metric(t, i), k = 0;
    while (k < s->n_con && s->constraint[k].index != index) {
      k++;
    }
    if (k < s->n_con) {
      continue;
    }
    cet_constraint *c = &s->constraint[s->n_con];
    memset(c, 0, sizeof *c);
    c->metric = cet_strdup(cet_twin_metric_name(t, index));
    CET_CHECK_ALLOC(c->metric);
    c->index = index;
    c->min = -INFINITY;
    c->max = 0.0;
    c->statistic = CET_OPTIMIZE_NOMINAL;
    s->n_con++;
  }
  return CET_OK;
}

int cet_case_read_optimize(const cet_node *root, const cet_config *cfg, cet_case *c) {
  (void)cfg;
  c->optimize = NULL;
  cet_optimize_spec *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  const cet_node *v = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail,
                cet_node_require(root, "design",
                                 "the design variables, e.g. - {path: PATH, bounds: [0, 1]}", &v));
  CET_CALL_GOTO(status, fail, read_design(v, c, s));
  CET_CALL_GOTO(status, fail, cet_read_robust(root, c, s));
  CET_CALL_GOTO(status, fail,
                cet_node_require(root, "objectives",
                                 "the objectives, e.g. - {metric: gwp, sense: minimize}", &v));
  CET_CALL_GOTO(status, fail, read_objectives(v, c->twin, s));
  CET_CALL_GOTO(status, fail, read_constraints(cet_node_get(root, "constraints"), c->twin, s));
  CET_CALL_GOTO(status, fail, add_feasibility(c->twin, s));
  CET_CALL_GOTO(status, fail, cet_read_optimize_settings(cet_node_get(root, "optimize"), c, s));
  c->optimize = s;
  return CET_OK;
fail:
  cet_optimize_spec_destroy(&s);
  return status;
}

void cet_case_free_optimize(cet_case *c) { cet_optimize_spec_destroy(&c->optimize); }
