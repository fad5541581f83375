/*
 * read_mc.c — reads the sections of a Monte Carlo case (see mc.h):
 * `uncertain:` (distributions bound to parameters by path, price series
 * drawn as stochastic paths; read_uncertain.c), `mc:` (draws, shard range, block, stored
 * draws, metrics, stopping rule), `scenarios:` (deterministic variants of
 * the case with reference values) and `unfc:` (rating thresholds and
 * user-rated factors). Everything a run would trip over is checked here,
 * before any draw: unknown paths and metrics, distributions whose values
 * could leave a parameter's range, price series without a stochastic model.
 */
#include "readers.h"

#include "node_impl.h"

#include "cetwin/economics.h"
#include "cetwin/log.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MC_TEXT_LEN = 512 };

/* Most draws of one run (indices are 64-bit; beyond this a run is better
 * split into shards). */
static const double MC_MAX_DRAWS = 1e15;
static const long MC_MAX_BLOCK = 1 << 24;

static const char *const MC_KEYS[] = {
    "draws",   "first_draw", "block",      "store_draws", "quantiles", "quantile_buffer",
    "metrics", "stop",       "checkpoint", "note",        NULL};
/* Most values kept per bracket of the percentiles (8 GiB). */
static const long MC_MAX_QUANTILE_BUFFER = 1L << 30;
static const char *const STOP_KEYS[] = {"metric", "rse", "min_draws", NULL};
static const char *const SCENARIO_KEYS[] = {
    "network", "environment", "economics", "prices", "set", "reference", "source", "note", NULL};
static const char *const SCENARIO_SECTIONS[] = {"network", "environment", "economics", "prices"};
static const char *const REFERENCE_KEYS[] = {"source", "scale", "values", NULL};
static const char *const UNFC_KEYS[] = {"neutral_fraction",
                                        "neutral_absolute",
                                        "pessimistic_quantile",
                                        "factors",
                                        "projects",
                                        "source",
                                        "note",
                                        NULL};
static const char *const PROJECT_KEYS[] = {"mean", "pessimistic", "factors", "note", NULL};
/* Metrics summarised by default when the twin has economics. */
static const char *const ECON_DEFAULT_METRICS[] = {
    CET_METRIC_NPV, CET_METRIC_IRR, CET_METRIC_PAYBACK, CET_METRIC_COST_PV, CET_METRIC_INCOME_PV};
static const char *const GROUP_PREFIX = "dcf.";

typedef struct {
  const cet_node *root;
  const cet_case *c;
  const cet_library_options *opts;
  const cet_config *cfg;
  cet_mc_spec *m;
} reader;

/* ---- uncertain ---- */

static int read_uncertain(reader *r) {
  const cet_node *list = cet_node_get(r->root, "uncertain");
  if (!list || cet_node_kind_of(list) == CET_NODE_NULL) {
    cet_log_warn("an mc case without uncertain variables: every draw gives the same result");
    return CET_OK;
  }
  return cet_read_uncertain(list, r->c->twin, &r->m->uncertain, &r->m->n_uncertain);
}

/* ---- mc settings ---- */

static int default_metrics(const cet_twin *t, cet_names *out) {
  if (!cet_twin_has_economics(t)) {
    for (size_t i = 0; i < cet_twin_metric_count(t); i++) {
      CET_CALL(cet_names_add(out, cet_twin_metric_name(t, i)));
    }
    return CET_OK;
  }
  for (size_t i = 0; i < sizeof ECON_DEFAULT_METRICS / sizeof ECON_DEFAULT_METRICS[0]; i++) {
    CET_CALL(cet_names_add(out, ECON_DEFAULT_METRICS[i]));
  }
  for (size_t i = 0; i < cet_twin_metric_count(t); i++) {
    const char *name = cet_twin_metric_name(t, i);
    if (strncmp(name, GROUP_PREFIX, strlen(GROUP_PREFIX)) == 0) {
      CET_CALL(cet_names_add(out, name));
    }
  }
  return CET_OK;
}

static int read_stop(reader *r, const cet_node *stop) {
  CET_CALL(cet_node_expect_map(stop));
  CET_CALL(cet_node_check_keys(stop, STOP_KEYS));
  const cet_node *v = NULL;
  const char *name = NULL;
  CET_CALL(cet_node_require(stop, "metric", "the metric whose standard error decides", &v));
  CET_CALL(cet_node_string(v, &name));
  long index = cet_names_find(&r->m->metrics, name);
  if (index < 0) {
    char list[MC_TEXT_LEN];
    cet_names_join(&r->m->metrics, list, sizeof list);
    return cet_node_fail(v, "expected one of the metrics summarised (mc.metrics: %s), found '%s'",
                         list, name);
  }
  r->m->stop_metric = cet_strdup(name);
  CET_CHECK_ALLOC(r->m->stop_metric);
  r->m->stop_index = (size_t)index;
  CET_CALL(cet_node_require(stop, "rse", "the target relative standard error, e.g. 0.001", &v));
  CET_CALL(cet_node_number_in(v, 1e-15, 1.0, &r->m->stop_rse));
  long min = 0;
  CET_CALL(
      cet_node_opt_integer_in(stop, "min_draws", (long)r->m->block, 2, (long)MC_MAX_DRAWS, &min));
  r->m->min_draws = (uint64_t)min;
  return CET_OK;
}

static int read_settings(reader *r) {
  const cet_node *s = cet_node_get(r->root, "mc");
  cet_mc_spec *m = r->m;
  long draws = CET_MC_DEFAULT_DRAWS, first = 0, block = CET_MC_DEFAULT_BLOCK;
  long buffer = CET_MC_DEFAULT_QUANTILE_BUFFER;
  m->quantiles = 1;
  if (s && cet_node_kind_of(s) != CET_NODE_NULL) {
    CET_CALL(cet_node_expect_map(s));
    CET_CALL(cet_node_check_keys(s, MC_KEYS));
    CET_CALL(cet_node_opt_integer_in(s, "draws", draws, 1, (long)MC_MAX_DRAWS, &draws));
    CET_CALL(cet_node_opt_integer_in(s, "first_draw", 0, 0, (long)MC_MAX_DRAWS, &first));
    CET_CALL(cet_node_opt_integer_in(s, "block", block, 1, MC_MAX_BLOCK, &block));
    CET_CALL(cet_node_opt_boolean(s, "store_draws", 0, &m->store_draws));
    CET_CALL(cet_node_opt_boolean(s, "quantiles", 1, &m->quantiles));
    CET_CALL(
        cet_node_opt_integer_in(s, "quantile_buffer", buffer, 1, MC_MAX_QUANTILE_BUFFER, &buffer));
  }
  m->quantile_buffer = (size_t)buffer;
  m->draws = (uint64_t)draws;
  m->first_draw = (uint64_t)first;
  m->block = (size_t)block;
  const cet_twin *t = r->c->twin;
  const cet_node *list = s ? cet_node_get(s, "metrics") : NULL;
  if (list) {
    CET_CALL(cet_read_metrics(list, t, &m->metrics, &m->metric_index));
  } else {
    CET_CALL(default_metrics(t, &m->metrics));
    CET_CALL(cet_read_metric_indices(t, &m->metrics, &m->metric_index));
  }
  if (s) {
    CET_CALL(cet_read_checkpoint(cet_node_get(s, "checkpoint"), (long)MC_MAX_DRAWS,
                                 &m->checkpoint_interval, &m->checkpoint_file));
  }
  const cet_node *stop = s ? cet_node_get(s, "stop") : NULL;
  if (stop && cet_node_kind_of(stop) != CET_NODE_NULL) {
    CET_CALL(read_stop(r, stop));
  }
  return CET_OK;
}

/* ---- scenarios ---- */

/* The case's tree with the sections of scenario sc replaced and its
 * overrides applied. labels[k] must outlive the tree. */
static int scenario_tree(reader *r, const cet_node *sc, const char *name, cet_node **out,
                         cet_strbuf *labels) {
  cet_node *root = cet_node_clone(r->root);
  CET_CHECK_ALLOC(root);
  int status = CET_OK;
  for (size_t k = 0; k < sizeof SCENARIO_SECTIONS / sizeof SCENARIO_SECTIONS[0]; k++) {
    const cet_node *replacement = cet_node_get(sc, SCENARIO_SECTIONS[k]);
    if (!replacement) {
      continue;
    }
    cet_node *copy = cet_node_clone(replacement);
    CET_CHECK_ALLOC_GOTO(status, fail, copy);
    size_t i = 0;
    while (i < root->n && strcmp(root->key[i], SCENARIO_SECTIONS[k]) != 0) {
      i++;
    }
    if (i < root->n) {
      cet_node_replace(root, i, copy);
    } else if ((status = cet_node_insert(root, SCENARIO_SECTIONS[k], (cet_node_key_pos){NULL, 0, 0},
                                         copy)) != CET_OK) {
      cet_node_destroy(&copy);
      goto fail;
    }
  }
  const cet_node *sets = cet_node_get(sc, "set");
  if (sets) {
    CET_CALL_GOTO(status, fail, cet_node_expect_seq(sets));
    for (size_t i = 0; i < cet_node_size(sets); i++) {
      const char *assignment = NULL;
      CET_CALL_GOTO(status, fail, cet_node_string(cet_node_at(sets, i), &assignment));
      CET_CALL_GOTO(status, fail,
                    cet_strbuf_printf(&labels[i], "scenario %s: set %s", name, assignment));
      CET_CALL_GOTO(status, fail, cet_config_override_apply(root, assignment, labels[i].text));
    }
  }
  *out = root;
  return CET_OK;
fail:
  cet_node_destroy(&root);
  return status;
}

static int read_reference(const cet_node *ref, cet_scenario *s) {
  CET_CALL(cet_node_expect_map(ref));
  CET_CALL(cet_node_check_keys(ref, REFERENCE_KEYS));
  const char *source = NULL;
  CET_CALL(cet_node_opt_string(ref, "source", "", &source));
  s->reference_source = cet_strdup(source);
  CET_CHECK_ALLOC(s->reference_source);
  CET_CALL(cet_node_opt_number_in(ref, "scale", 1.0, 1e-300, 1e300, &s->reference_scale));
  const cet_node *values = NULL;
  CET_CALL(cet_node_require(ref, "values", "metric: value pairs to compare with", &values));
  CET_CALL(cet_node_expect_map(values));
  size_t n = cet_node_size(values);
  s->reference_metric = calloc(n + 1, sizeof *s->reference_metric);
  s->reference_value = calloc(n + 1, sizeof *s->reference_value);
  CET_CHECK_ALLOCS(s->reference_metric && s->reference_value);
  for (size_t i = 0; i < n; i++) {
    const char *name = cet_node_key_at(values, i);
    size_t index = 0;
    CET_CALL(cet_node_number(cet_node_at(values, i), &s->reference_value[i]));
    s->reference_metric[i] = cet_strdup(name);
    CET_CHECK_ALLOC(s->reference_metric[i]);
    s->n_reference++;
    if (cet_twin_metric_find(s->twin, name) < 0) {
      return cet_read_metric(s->twin, cet_node_at(values, i), name, &index);
    }
  }
  return CET_OK;
}

static int read_scenario(reader *r, const cet_node *list, size_t i, cet_scenario *s) {
  const char *name = cet_node_key_at(list, i);
  const cet_node *sc = cet_node_at(list, i);
  if (!name[0] || strpbrk(name, "./[ ")) {
    return cet_node_fail_key(list, name,
                             "a scenario name must be non-empty without '.', '/', '[' or spaces, "
                             "found '%s'",
                             name);
  }
  s->name = cet_strdup(name);
  CET_CHECK_ALLOC(s->name);
  CET_CALL(cet_read_where(sc, &s->where));
  s->reference_scale = 1.0;
  CET_CALL(cet_node_expect_map(sc));
  CET_CALL(cet_node_check_keys(sc, SCENARIO_KEYS));
  const cet_node *sets = cet_node_get(sc, "set");
  size_t n_sets = sets ? cet_node_size(sets) : 0;
  cet_strbuf *labels = calloc(n_sets + 1, sizeof *labels);
  CET_CHECK_ALLOC(labels);
  cet_node *tree = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, scenario_tree(r, sc, name, &tree, labels));
  CET_CALL_GOTO(status, done, cet_read_twin(tree, r->c, r->opts, r->cfg, &s->spec, &s->twin));
done:
  cet_node_destroy(&tree);
  for (size_t k = 0; k < n_sets; k++) {
    cet_strbuf_free(&labels[k]);
  }
  free(labels);
  CET_CHECK(status == CET_OK, status, "in scenario '%s' (%s)", name, s->where);
  const cet_node *ref = cet_node_get(sc, "reference");
  if (ref) {
    CET_CALL(read_reference(ref, s));
  }
  return CET_OK;
}

static int read_scenarios(reader *r) {
  const cet_node *list = cet_node_get(r->root, "scenarios");
  if (!list || cet_node_kind_of(list) == CET_NODE_NULL) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(list));
  r->m->scenarios = calloc(cet_node_size(list) + 1, sizeof *r->m->scenarios);
  CET_CHECK_ALLOC(r->m->scenarios);
  for (size_t i = 0; i < cet_node_size(list); i++) {
    cet_scenario *s = &r->m->scenarios[r->m->n_scenarios++];
    CET_CALL(read_scenario(r, list, i, s));
  }
  return CET_OK;
}

/* ---- unfc ---- */

static int read_factors(const cet_node *map, size_t *n, char ***names, cet_unfc_rating **ratings) {
  if (!map) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(map));
  size_t k = cet_node_size(map);
  *names = calloc(k + 1, sizeof **names);
  *ratings = calloc(k + 1, sizeof **ratings);
  CET_CHECK_ALLOCS(*names && *ratings);
  for (size_t i = 0; i < k; i++) {
    const cet_node *v = cet_node_at(map, i);
    const char *text = NULL;
    CET_CALL(cet_node_string(v, &text));
    cet_unfc_rating rating;
    if (cet_unfc_parse(text, &rating) != CET_OK) {
      return cet_read_fail_cause(v, "");
    }
    if (!cet_unfc_is_unrated(&rating) && (rating.axis != 'E' || rating.aspect != 'a')) {
      return cet_node_fail(v,
                           "expected a rating of the economic category (E...a, e.g. E3.1a) "
                           "or '-', found '%s'",
                           text);
    }
    (*names)[i] = cet_strdup(cet_node_key_at(map, i));
    CET_CHECK_ALLOC((*names)[i]);
    (*ratings)[i] = rating;
    (*n)++;
  }
  return CET_OK;
}

static int scenario_name(const reader *r, const cet_node *p, const char *key, int required,
                         char **out) {
  const cet_node *v = cet_node_get(p, key);
  if (!v) {
    return required ? cet_node_require(p, key, "a scenario name", &v) : CET_OK;
  }
  const char *name = NULL;
  CET_CALL(cet_node_string(v, &name));
  for (size_t i = 0; i < r->m->n_scenarios; i++) {
    if (strcmp(r->m->scenarios[i].name, name) == 0) {
      if (!cet_twin_has_economics(r->m->scenarios[i].twin)) {
        return cet_node_fail(v, "scenario '%s' has no economics to rate", name);
      }
      *out = cet_strdup(name);
      CET_CHECK_ALLOC(*out);
      return CET_OK;
    }
  }
  return cet_node_fail(v, "unknown scenario '%s' (see scenarios:)", name);
}

static int read_unfc(reader *r) {
  const cet_node *u = cet_node_get(r->root, "unfc");
  cet_unfc_spec *s = &r->m->unfc;
  s->par = cet_unfc_default_parameters();
  s->pessimistic_quantile = CET_MC_DEFAULT_PESSIMISTIC_QUANTILE;
  if (!u || cet_node_kind_of(u) == CET_NODE_NULL) {
    return CET_OK;
  }
  if (!cet_twin_has_economics(r->c->twin)) {
    return cet_node_fail(u, "the UNFC economic rating needs an economics section");
  }
  s->given = 1;
  CET_CALL(cet_node_expect_map(u));
  CET_CALL(cet_node_check_keys(u, UNFC_KEYS));
  /* the rating of the draws needs their NPV (mean and quantile) and costs:
   * say so now rather than after the draws */
  const cet_node *mc = cet_node_get(r->root, "mc");
  const cet_node *list = mc ? cet_node_get(mc, "metrics") : NULL;
  if (cet_names_find(&r->m->metrics, CET_METRIC_NPV) < 0 ||
      cet_names_find(&r->m->metrics, CET_METRIC_COST_PV) < 0) {
    return cet_node_fail(list ? list : u,
                         "the UNFC rating of the draws needs the metrics npv and cost_pv in "
                         "mc.metrics");
  }
  if (!r->m->quantiles) {
    const cet_node *q = mc ? cet_node_get(mc, "quantiles") : NULL;
    return cet_node_fail(q ? q : u,
                         "the UNFC rating of the draws needs their NPV quantile: mc.quantiles "
                         "must be true with unfc:");
  }
  CET_CALL(cet_node_opt_number_in(u, "neutral_fraction", s->par.neutral_fraction, 0.0, 1.0,
                                  &s->par.neutral_fraction));
  CET_CALL(cet_node_opt_number_in(u, "neutral_absolute", s->par.neutral_absolute, 0.0, INFINITY,
                                  &s->par.neutral_absolute));
  CET_CALL(cet_node_opt_number_in(u, "pessimistic_quantile", s->pessimistic_quantile, 1e-6, 0.5,
                                  &s->pessimistic_quantile));
  CET_CALL(read_factors(cet_node_get(u, "factors"), &s->n_factors, &s->factor_name, &s->factor));
  const cet_node *projects = cet_node_get(u, "projects");
  if (!projects) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(projects));
  s->projects = calloc(cet_node_size(projects) + 1, sizeof *s->projects);
  CET_CHECK_ALLOC(s->projects);
  for (size_t i = 0; i < cet_node_size(projects); i++) {
    const cet_node *p = cet_node_at(projects, i);
    cet_unfc_project *pr = &s->projects[s->n_projects++];
    pr->name = cet_strdup(cet_node_key_at(projects, i));
    CET_CHECK_ALLOC(pr->name);
    CET_CALL(cet_node_expect_map(p));
    CET_CALL(cet_node_check_keys(p, PROJECT_KEYS));
    CET_CALL(scenario_name(r, p, "mean", 1, &pr->mean));
    CET_CALL(scenario_name(r, p, "pessimistic", 0, &pr->pessimistic));
    CET_CALL(
        read_factors(cet_node_get(p, "factors"), &pr->n_factors, &pr->factor_name, &pr->factor));
  }
  return CET_OK;
}

int cet_case_read_mc(const cet_node *root, const cet_config *cfg, cet_case *c) {
  c->mc = NULL;
  reader r = {.root = root, .c = c, .opts = &c->library_options, .cfg = cfg};
  r.m = calloc(1, sizeof *r.m);
  CET_CHECK_ALLOC(r.m);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, read_settings(&r));
  CET_CALL_GOTO(status, fail, read_uncertain(&r));
  CET_CALL_GOTO(status, fail, read_scenarios(&r));
  CET_CALL_GOTO(status, fail, read_unfc(&r));
  c->mc = r.m;
  return CET_OK;
fail:
  cet_mc_spec_destroy(&r.m);
  return status;
}

void cet_case_free_mc(cet_case *c) { cet_mc_spec_destroy(&c->mc); }
