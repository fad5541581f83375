/*
 * twin.c — building a twin from its description, its accessors, the metric
 * and stage registries, workspaces, bindings and the evaluation that runs
 * the stages in order (see twin.h and twin_impl.h).
 */
#include "twin_kinds.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TWIN_METRIC_NAME_LEN = 512 };

/* Default pivot tolerance of a recycle loop's (I - S). */
static const double DEFAULT_PIVOT_TOLERANCE = 1e-12;
/* Default size from which a loop is solved sparse. Measured with
 * scripts/bench/bench_network --loop-length (docs/performance.md): on a
 * recycle loop closing a chain of processes the two solvers break even at
 * about 9 units and the sparse one is 1.2 times faster at 17; 16 leaves a
 * margin for loops with more cross-links (more fill). Every shipped twin's
 * loops stay below it (the largest has 8 units), so their results keep
 * the dense LU's bits. */
enum { DEFAULT_SPARSE_LOOP_MIN = 16 };

cet_twin_parameters cet_twin_default_parameters(void) {
  return (cet_twin_parameters){.pivot_tolerance = DEFAULT_PIVOT_TOLERANCE,
                               .sparse_loop_min = DEFAULT_SPARSE_LOOP_MIN};
}

int cet_twin_add_metric(cet_twin *t, const char *name, cet_twin_metric_family family,
                        const char *units, const char *description, size_t *index) {
  CET_CHECK(cet_twin_metric_find(t, name) < 0, CET_ERR_INPUT,
            "two metrics would be named '%s' (rename a unit or component)", name);
  if (t->nm == t->cap_m) {
    size_t cap = t->cap_m ? 2 * t->cap_m : 64;
    char ***arrays[] = {&t->metric_name, &t->metric_units, &t->metric_description};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
      CET_CALL(cet_array_grow(arrays[k], NULL, cap, sizeof **arrays[k]));
    }
    CET_CALL(cet_array_grow(&t->metric_share, NULL, cap, sizeof *t->metric_share));
    CET_CALL(cet_array_grow(&t->metric_family, NULL, cap, sizeof *t->metric_family));
    t->cap_m = cap;
  }
  t->metric_name[t->nm] = cet_strdup(name);
  t->metric_units[t->nm] = cet_strdup(units);
  t->metric_description[t->nm] = cet_strdup(description);
  t->metric_share[t->nm] = 0;
  t->metric_family[t->nm] = family;
  int ok = t->metric_name[t->nm] && t->metric_units[t->nm] && t->metric_description[t->nm];
  t->nm++; /* counted even when a copy failed, so destroy frees what was made */
  CET_CHECK_ALLOCS(ok);
  *index = t->nm - 1;
  return CET_OK;
}

void cet_twin_mark_share(cet_twin *t, size_t index) { t->metric_share[index] = 1; }

int cet_twin_add_metricf(cet_twin *t, size_t *index, cet_twin_metric_family family,
                         const char *units, const char *description, const char *fmt, ...) {
  char name[TWIN_METRIC_NAME_LEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  return cet_twin_add_metric(t, name, family, units, description, index);
}

int cet_twin_add_stage(cet_twin *t, const char *name, cet_twin_stage_fn evaluate, void *data,
                       void (*destroy)(void *data)) {
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_array_grow(&t->stage, NULL, t->n_stages + 1, sizeof *t->stage));
  cet_twin_stage *s = &t->stage[t->n_stages++];
  memset(s, 0, sizeof *s);
  s->name = cet_strdup(name);
  s->data = data;
  s->destroy = destroy;
  s->evaluate = evaluate;
  CET_CHECK_ALLOC(s->name);
  return CET_OK;
fail:
  if (destroy) {
    destroy(data);
  }
  return status;
}

void cet_twin_set_stage_workspace(cet_twin *t, cet_twin_stage_ws_create_fn create,
                                  void (*destroy)(void *ws)) {
  t->stage[t->n_stages - 1].ws_create = create;
  t->stage[t->n_stages - 1].ws_destroy = destroy;
}

void cet_twin_destroy(cet_twin **tp) {
  if (!tp || !*tp) {
    return;
  }
  cet_twin *t = *tp;
  for (size_t i = 0; i < t->n_stages; i++) {
    free(t->stage[i].name);
    if (t->stage[i].destroy) {
      t->stage[i].destroy(t->stage[i].data);
    }
  }
  free(t->stage);
  cet_free_strings(t->metric_name, t->nm);
  free(t->feasibility);
  cet_free_strings(t->metric_units, t->nm);
  free(t->metric_share);
  free(t->metric_family);
  cet_free_strings(t->metric_description, t->nm);
  for (size_t b = 0; t->block && b < t->n_blocks; b++) {
    free(t->block[b].internal_edge);
    free(t->block[b].internal_to);
    free(t->block[b].internal_from);
    free(t->block[b].external_edge);
    free(t->block[b].external_to);
    cet_sparse_lu_destroy(&t->block[b].sparse);
  }
  free(t->block);
  free(t->loop_block);
  free(t->order);
  free(t->position);
  free(t->in_begin);
  free(t->in_edge);
  free(t->split);
  free(t->share);
  free(t->edge_outlet);
  free(t->edge_from);
  free(t->edge_to);
  free(t->out_begin);
  free(t->process_id);
  free(t->where);
  free(t->outlet_names);
  free(t->kind);
  free(t->sink_kind);
  free(t->basis);
  free(t->consumption);
  free(t->feed_flow);
  free(t->fraction);
  free(t->burden);
  free(t->credit);
  free(t->residue);
  free(t->remainder);
  cet_twin_choice_free(t);
  cet_twin_totals_free(t);
  cet_free_strings(t->carrier_units, t->nk);
  free(t->flow_units);
  cet_names_clear(&t->components);
  cet_names_clear(&t->carriers);
  cet_names_clear(&t->credits);
  cet_names_clear(&t->unit_names);
  cet_params_destroy(&t->params);
  free(t);
  *tp = NULL;
}

static int alloc_units(cet_twin *t) {
  size_t nu = t->nu ? t->nu : 1;
  t->kind = calloc(nu, sizeof *t->kind);
  t->sink_kind = calloc(nu, sizeof *t->sink_kind);
  t->process_id = calloc(nu, sizeof *t->process_id);
  t->where = calloc(nu, sizeof *t->where);
  t->basis = calloc(nu, sizeof *t->basis);
  t->consumption = malloc((nu * t->nk + 1) * sizeof *t->consumption);
  t->feed_flow = calloc(nu, sizeof *t->feed_flow);
  t->fraction = malloc((nu * t->nc + 1) * sizeof *t->fraction);
  t->burden = calloc(nu, sizeof *t->burden);
  t->credit = malloc((nu * t->ncr + 1) * sizeof *t->credit);
  t->residue = calloc(nu, sizeof *t->residue);
  t->remainder = calloc(nu, sizeof *t->remainder);
  t->outlet_names = calloc(nu, sizeof *t->outlet_names);
  CET_CHECK_ALLOCS(t->kind && t->sink_kind && t->process_id && t->where && t->basis &&
                   t->consumption && t->feed_flow && t->fraction && t->burden && t->credit &&
                   t->residue && t->remainder && t->outlet_names);
  return CET_OK;
}

/* What every unit has (name, outlets, basis, no slots), then what its
 * kind brings (twin_kinds.h). */
static int copy_unit(cet_twin *t, const cet_twin_spec *spec, size_t u) {
  const cet_unit_spec *us = &spec->unit[u];
  size_t np = cet_params_count(t->params);
  const char *where = us->where ? us->where : us->name;
  CET_CHECK((int)us->kind >= 0 && us->kind < CET_UNIT_KINDS, CET_ERR_INPUT,
            "%s: unknown unit kind %d", where, (int)us->kind);
  CET_CHECK(us->name && us->name[0] && !strchr(us->name, '.'), CET_ERR_INPUT,
            "%s: a unit needs a name without '.'", where);
  const cet_twin_kind *kind = cet_twin_kind_of(us->kind);
  t->kind[u] = us->kind;
  t->sink_kind[u] = us->sink;
  t->where[u] = where;
  t->process_id[u] = us->process;
  t->outlet_names[u] = &us->outlets;
  CET_CALL(cet_names_add(&t->unit_names, us->name));
  CET_CHECK(!cet_unit_kind_has(us->kind, CET_UNIT_KIND_OUTLETS) || us->outlets.n > 0, CET_ERR_INPUT,
            "%s: unit '%s' has no outlets; only sinks may have none", where, us->name);
  CET_CHECK(cet_unit_kind_has(us->kind, CET_UNIT_KIND_OUTLETS) || us->outlets.n == 0, CET_ERR_INPUT,
            "%s: %s '%s' cannot have outlets", where, kind->info.label, us->name);
  CET_CHECK(us->basis >= -1 && us->basis < (long)t->nc, CET_ERR_INPUT,
            "%s: consumption basis %ld out of range", where, us->basis);
  t->basis[u] = us->basis;
  CET_CALL(cet_twin_copy_slots(&t->feed_flow[u], NULL, 1, np, where));
  CET_CALL(cet_twin_copy_slots(&t->burden[u], NULL, 1, np, where));
  CET_CALL(cet_twin_copy_slots(t->consumption + u * t->nk, NULL, t->nk, np, where));
  CET_CALL(cet_twin_copy_slots(t->fraction + u * t->nc, NULL, t->nc, np, where));
  CET_CALL(cet_twin_copy_slots(t->credit + u * t->ncr, NULL, t->ncr, np, where));
  return kind->copy ? kind->copy(t, us, u, np) : CET_OK;
}

/* Slots of the shares of every edge, as each unit's kind gives them:
 * split factors of process units, fractions of splitters, the index of a
 * selector (feeds and mixers pass everything on). */
static int copy_shares(cet_twin *t, const cet_twin_spec *spec) {
  size_t np = cet_params_count(t->params);
  t->split = malloc((t->ne * t->nc + 1) * sizeof *t->split);
  t->share = malloc((t->ne + 1) * sizeof *t->share);
  CET_CHECK_ALLOCS(t->split && t->share);
  for (size_t u = 0; u < t->nu; u++) {
    const cet_unit_spec *us = &spec->unit[u];
    const cet_twin_kind *kind = cet_twin_kind_of(us->kind);
    for (size_t o = 0; o < us->outlets.n; o++) {
      size_t e = t->out_begin[u] + o;
      const long *split = NULL, *share = NULL;
      if (kind->share_slots) {
        kind->share_slots(us, o, t->nc, &split, &share);
      }
      CET_CALL(cet_twin_copy_slots(t->split + e * t->nc, split, t->nc, np, t->where[u]));
      CET_CALL(cet_twin_copy_slots(t->share + e, share, 1, np, t->where[u]));
    }
  }
  return CET_OK;
}

static int copy_names(cet_twin *t, const cet_twin_spec *spec) {
  t->nc = spec->components.n;
  t->nk = spec->carriers.n;
  t->ncr = spec->credits.n;
  t->nu = spec->n_units;
  CET_CHECK(t->nc > 0 || (t->nu == 0 && spec->economics), CET_ERR_INPUT,
            "a twin needs at least one component");
  CET_CALL(cet_names_copy(&t->components, &spec->components));
  CET_CALL(cet_names_copy(&t->carriers, &spec->carriers));
  CET_CALL(cet_names_copy(&t->credits, &spec->credits));
  t->carrier_units = calloc(t->nk ? t->nk : 1, sizeof *t->carrier_units);
  CET_CHECK_ALLOC(t->carrier_units);
  for (size_t k = 0; k < t->nk; k++) {
    t->carrier_units[k] =
        cet_strdup(spec->carrier_units && spec->carrier_units[k] ? spec->carrier_units[k] : "");
    CET_CHECK_ALLOC(t->carrier_units[k]);
  }
  t->flow_units = cet_strdup(spec->flow_units ? spec->flow_units : "t/a");
  CET_CHECK_ALLOC(t->flow_units);
  return cet_params_copy(spec->params, &t->params);
}

/* Solves once with the case's own values: a failure is an input error. */
static int trial_evaluation(const cet_twin *t) {
  cet_twin_workspace *w = NULL;
  CET_CALL(cet_twin_workspace_create(t, &w));
  double *metrics = malloc((t->nm ? t->nm : 1) * sizeof *metrics);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, metrics);
  status = cet_twin_evaluate(t, cet_params_values(t->params), w, metrics);
  CET_CHECK_GOTO(status, done, status != CET_ERR_RUNTIME, CET_ERR_INPUT,
                 "the twin has no steady state with the values of the case");
  CET_CALL_GOTO(status, done, status);
done:
  free(metrics);
  cet_twin_workspace_destroy(&w);
  return status;
}

/* The units, streams and the flows, environment, exergy and usage stages. */
static int build_network(cet_twin *t, const cet_twin_spec *spec) {
  size_t count[CET_UNIT_KINDS] = {0};
  for (size_t u = 0; u < t->nu; u++) {
    CET_CALL(copy_unit(t, spec, u));
    count[t->kind[u]]++;
  }
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_unit_kind_info *info = cet_unit_kind_describe((cet_unit_kind)k);
    CET_CHECK(count[k] > 0 || !(info->flags & CET_UNIT_KIND_REQUIRED), CET_ERR_INPUT,
              "the network has no %s (a unit of type %s)", info->label, info->name);
  }
  CET_CALL(cet_twin_build_graph(t, spec));
  CET_CALL(copy_shares(t, spec));
  CET_CALL(cet_twin_build_flows(t, spec));
  CET_CALL(cet_twin_build_structural(t, spec));
  CET_CALL(cet_twin_build_environment(t, spec));
  CET_CALL(cet_twin_build_exergy(t, spec));
  CET_CALL(cet_twin_build_criteria(t, spec));
  CET_CALL(cet_twin_build_usage(t, spec));
  return CET_OK;
}

int cet_twin_create(const cet_twin_spec *spec, const cet_twin_parameters *par, cet_twin **out) {
  *out = NULL;
  cet_twin *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  t->spec = spec;
  t->par = par ? *par : cet_twin_default_parameters();
  if (t->par.sparse_loop_min == 0) {
    t->par.sparse_loop_min = DEFAULT_SPARSE_LOOP_MIN;
  }
  t->economics_stage = -1;
  t->exergy_stage = -1;
  int status = CET_OK;
  CET_CHECK_GOTO(status, fail, t->par.pivot_tolerance > 0.0, CET_ERR_INPUT,
                 "pivot_tolerance must be positive, found %g", t->par.pivot_tolerance);
  CET_CALL_GOTO(status, fail, copy_names(t, spec));
  CET_CALL_GOTO(status, fail, alloc_units(t));
  if (t->nu > 0 || !spec->economics) {
    CET_CALL_GOTO(status, fail, build_network(t, spec));
  }
  if (spec->economics) {
    CET_CALL_GOTO(status, fail, cet_twin_build_economics(t, spec));
  }
  CET_CALL_GOTO(status, fail, cet_twin_build_totals(t));
  CET_CALL_GOTO(status, fail, trial_evaluation(t));
  *out = t;
  return CET_OK;
fail:
  cet_twin_destroy(&t);
  return status;
}

/* ---- accessors ---- */

size_t cet_twin_parameter_count(const cet_twin *t) { return cet_params_count(t->params); }

const char *cet_twin_parameter_path(const cet_twin *t, size_t i) {
  return cet_params_path(t->params, i);
}

const char *cet_twin_parameter_units(const cet_twin *t, size_t i) {
  return cet_params_units(t->params, i);
}

void cet_twin_parameter_range(const cet_twin *t, size_t i, double *lo, double *hi) {
  *lo = cet_params_lo(t->params, i);
  *hi = cet_params_hi(t->params, i);
}

unsigned cet_twin_parameter_flags(const cet_twin *t, size_t i) {
  return cet_params_flags(t->params, i);
}

const double *cet_twin_parameter_defaults(const cet_twin *t) {
  return cet_params_values(t->params);
}

long cet_twin_parameter_find(const cet_twin *t, const char *path) {
  return cet_params_find(t->params, path);
}

const char *cet_twin_parameter_closest(const cet_twin *t, const char *path) {
  return cet_params_closest(t->params, path);
}

size_t cet_twin_metric_count(const cet_twin *t) { return t->nm; }
const char *cet_twin_metric_name(const cet_twin *t, size_t i) { return t->metric_name[i]; }
const char *cet_twin_metric_units(const cet_twin *t, size_t i) { return t->metric_units[i]; }
int cet_twin_metric_is_share(const cet_twin *t, size_t i) { return t->metric_share[i]; }

cet_twin_metric_family cet_twin_metric_family_of(const cet_twin *t, size_t i) {
  return t->metric_family[i];
}

/* Indexed by family: the names the result file holds. */
static const char *const FAMILY_NAME[CET_METRIC_FAMILY_COUNT] = {
    [CET_METRIC_FAMILY_HEADLINE] = "headline",
    [CET_METRIC_FAMILY_DETAIL] = "detail",
    [CET_METRIC_FAMILY_UNIT] = "unit",
    [CET_METRIC_FAMILY_CASH_FLOW] = "cash_flow"};

const char *cet_twin_metric_family_name(cet_twin_metric_family f) {
  return (unsigned)f < CET_METRIC_FAMILY_COUNT ? FAMILY_NAME[f] : "";
}

int cet_twin_metric_family_find(const char *name) {
  for (int f = 0; f < CET_METRIC_FAMILY_COUNT; f++) {
    if (strcmp(FAMILY_NAME[f], name) == 0) {
      return f;
    }
  }
  return -1;
}
const char *cet_twin_metric_description(const cet_twin *t, size_t i) {
  return t->metric_description[i];
}

long cet_twin_metric_find(const cet_twin *t, const char *name) {
  for (size_t i = 0; i < t->nm; i++) {
    if (strcmp(t->metric_name[i], name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

const char *cet_twin_metric_closest(const cet_twin *t, const char *name) {
  return cet_str_closest(name, (const char *const *)t->metric_name, t->nm);
}

int cet_twin_add_feasibility(cet_twin *t, size_t index) {
  CET_CALL(cet_array_grow(&t->feasibility, NULL, t->n_feasibility + 1, sizeof *t->feasibility));
  t->feasibility[t->n_feasibility++] = index;
  return CET_OK;
}

size_t cet_twin_feasibility_count(const cet_twin *t) { return t->n_feasibility; }
size_t cet_twin_feasibility_metric(const cet_twin *t, size_t i) { return t->feasibility[i]; }

const cet_names *cet_twin_components(const cet_twin *t) { return &t->components; }
const cet_names *cet_twin_carriers(const cet_twin *t) { return &t->carriers; }
const char *cet_twin_carrier_units(const cet_twin *t, size_t k) { return t->carrier_units[k]; }
const char *cet_twin_flow_units(const cet_twin *t) { return t->flow_units; }
size_t cet_twin_unit_count(const cet_twin *t) { return t->nu; }
const char *cet_twin_unit_name(const cet_twin *t, size_t u) { return t->unit_names.name[u]; }
cet_unit_kind cet_twin_unit_kind(const cet_twin *t, size_t u) { return t->kind[u]; }
cet_sink_kind cet_twin_unit_sink_kind(const cet_twin *t, size_t u) { return t->sink_kind[u]; }
const char *cet_twin_unit_process(const cet_twin *t, size_t u) { return t->process_id[u]; }
size_t cet_twin_edge_count(const cet_twin *t) { return t->ne; }

void cet_twin_edge(const cet_twin *t, size_t e, size_t *from, const char **outlet, size_t *to) {
  *from = t->edge_from[e];
  *outlet = t->edge_outlet[e];
  *to = t->edge_to[e];
}

int cet_twin_edge_name(const cet_twin *t, size_t e, char **out) {
  *out = NULL;
  cet_strbuf b = {0};
  CET_CALL(cet_strbuf_printf(&b, "%s.%s", t->unit_names.name[t->edge_from[e]], t->edge_outlet[e]));
  *out = b.text;
  return CET_OK;
}

size_t cet_twin_loop_count(const cet_twin *t) { return t->n_loops; }

size_t cet_twin_loop_size(const cet_twin *t, size_t l) { return t->block[t->loop_block[l]].size; }

size_t cet_twin_loop_unit(const cet_twin *t, size_t l, size_t i) {
  return t->order[t->block[t->loop_block[l]].begin + i];
}

/* ---- workspaces ---- */

int cet_twin_workspace_create(const cet_twin *t, cet_twin_workspace **out) {
  *out = NULL;
  cet_twin_workspace *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  int status = CET_OK;
  size_t np = cet_params_count(t->params);
  size_t uc = t->nu * t->nc, ec = t->ne * t->nc, mb = t->max_block, md = t->max_dense;
  w->twin = t;
  w->params = calloc(np + 1, sizeof *w->params);
  w->feed = calloc(uc + 1, sizeof *w->feed);
  w->share = calloc(ec + 1, sizeof *w->share);
  w->x = calloc(uc + 1, sizeof *w->x);
  w->flow = calloc(ec + 1, sizeof *w->flow);
  w->outflow = calloc(uc + 1, sizeof *w->outflow);
  w->closure = calloc(uc + 1, sizeof *w->closure);
  w->consumption = calloc(t->nu * t->nk + 1, sizeof *w->consumption);
  w->carrier = calloc(t->nk + 1, sizeof *w->carrier);
  w->feed_total = calloc(t->nc + 1, sizeof *w->feed_total);
  w->a = calloc(md * md + 1, sizeof *w->a);
  w->b = calloc(mb + 1, sizeof *w->b);
  w->sparse = calloc(t->sparse_scratch + 1, sizeof *w->sparse);
  w->row = calloc(t->nc + 1, sizeof *w->row);
  CET_CHECK_ALLOC_GOTO(status, fail,
                       w->row && w->params && w->feed && w->share && w->x && w->flow &&
                           w->outflow && w->closure && w->consumption && w->carrier &&
                           w->feed_total && w->a && w->b && w->sparse);
  memcpy(w->params, cet_params_values(t->params), np * sizeof *w->params);
  w->stage_ws = calloc(t->n_stages + 1, sizeof *w->stage_ws);
  w->want = malloc(t->nm + 1);
  w->all = calloc(t->nm + 1, sizeof *w->all);
  CET_CHECK_ALLOC_GOTO(status, fail, w->stage_ws && w->want && w->all);
  memset(w->want, 1, t->nm + 1);
  for (size_t s = 0; s < t->n_stages; s++) {
    if (t->stage[s].ws_create) {
      CET_CALL_GOTO(status, fail, t->stage[s].ws_create(t, t->stage[s].data, &w->stage_ws[s]));
    }
  }
  /* feeds and mixers pass everything on: their shares never change */
  for (size_t e = 0; e < t->ne; e++) {
    if (cet_twin_unit_is(t, t->edge_from[e], CET_UNIT_KIND_PASS)) {
      for (size_t c = 0; c < t->nc; c++) {
        w->share[e * t->nc + c] = 1.0;
      }
    }
  }
  *out = w;
  return CET_OK;
fail:
  cet_twin_workspace_destroy(&w);
  return status;
}

void cet_twin_workspace_destroy(cet_twin_workspace **wp) {
  if (!wp || !*wp) {
    return;
  }
  cet_twin_workspace *w = *wp;
  for (size_t s = 0; w->stage_ws && s < w->twin->n_stages; s++) {
    if (w->stage_ws[s] && w->twin->stage[s].ws_destroy) {
      w->twin->stage[s].ws_destroy(w->stage_ws[s]);
    }
  }
  free(w->stage_ws);
  free(w->want);
  free(w->all);
  free(w->params);
  free(w->feed);
  free(w->share);
  free(w->x);
  free(w->flow);
  free(w->outflow);
  free(w->closure);
  free(w->consumption);
  free(w->carrier);
  free(w->feed_total);
  free(w->a);
  free(w->b);
  free(w->sparse);
  free(w->row);
  free(w);
  *wp = NULL;
}

const double *cet_twin_workspace_edge_flows(const cet_twin_workspace *w) { return w->flow; }
const double *cet_twin_workspace_unit_inflow(const cet_twin_workspace *w) { return w->x; }
const double *cet_twin_workspace_unit_outflow(const cet_twin_workspace *w) { return w->outflow; }
const double *cet_twin_workspace_closure(const cet_twin_workspace *w) { return w->closure; }
const double *cet_twin_workspace_unit_consumption(const cet_twin_workspace *w) {
  return w->consumption;
}
double *cet_twin_workspace_params(cet_twin_workspace *w) { return w->params; }

int cet_twin_workspace_select(cet_twin_workspace *w, const size_t *metrics, size_t n) {
  const cet_twin *t = w->twin;
  if (metrics == NULL) {
    memset(w->want, 1, t->nm + 1);
    return CET_OK;
  }
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(metrics[i] < t->nm, CET_ERR_INPUT, "metric index %zu out of range (%zu metrics)",
              metrics[i], t->nm);
  }
  memset(w->want, 0, t->nm + 1);
  for (size_t i = 0; i < n; i++) {
    w->want[metrics[i]] = 1;
  }
  return CET_OK;
}

/* ---- evaluation ---- */

int cet_twin_evaluate(const cet_twin *t, const double *params, cet_twin_workspace *w,
                      double *metrics) {
  CET_CHECK(w->twin == t, CET_ERR_RUNTIME, "the workspace was made for another twin");
  long bad = cet_params_first_invalid(t->params, params);
  if (bad >= 0) {
    size_t i = (size_t)bad;
    CET_CHECK(!(cet_params_flags(t->params, i) & CET_PARAM_INTEGER) || isnan(params[i]) ||
                  floor(params[i]) == params[i],
              CET_ERR_RUNTIME, "parameter %s = %.17g is not an integer (it picks one of %g..%g)",
              cet_params_path(t->params, i), params[i], cet_params_lo(t->params, i),
              cet_params_hi(t->params, i));
    CET_CHECK(0, CET_ERR_RUNTIME, "parameter %s = %g is outside its range [%g, %g]",
              cet_params_path(t->params, i), params[i], cet_params_lo(t->params, i),
              cet_params_hi(t->params, i));
  }
  CET_CALL(cet_twin_evaluate_prechecked(t, params, w, metrics));
  return CET_OK;
}

int cet_twin_evaluate_prechecked(const cet_twin *t, const double *params, cet_twin_workspace *w,
                                 double *metrics) {
  CET_CHECK(w->twin == t, CET_ERR_RUNTIME, "the workspace was made for another twin");
  for (size_t s = 0; s < t->n_stages; s++) {
    CET_CALL(t->stage[s].evaluate(t, t->stage[s].data, params, w, metrics));
  }
  return CET_OK;
}

/* ---- bindings ---- */

struct cet_binding {
  size_t n;
  size_t *slot;
};

int cet_binding_create(const cet_twin *t, const char *const *paths, size_t n, cet_binding **out) {
  *out = NULL;
  cet_binding *b = calloc(1, sizeof *b);
  CET_CHECK_ALLOC(b);
  int status = CET_OK;
  b->slot = malloc((n ? n : 1) * sizeof *b->slot);
  CET_CHECK_ALLOC_GOTO(status, fail, b->slot);
  for (size_t k = 0; k < n; k++) {
    long slot = cet_params_find(t->params, paths[k]);
    if (slot < 0) {
      const char *near = cet_params_closest(t->params, paths[k]);
      CET_CHECK_GOTO(status, fail, 0, CET_ERR_INPUT, "no parameter '%s' in the twin%s%s%s",
                     paths[k], near ? " (closest: '" : "", near ? near : "", near ? "')" : "");
    }
    for (size_t j = 0; j < k; j++) {
      CET_CHECK_GOTO(status, fail, b->slot[j] != (size_t)slot, CET_ERR_INPUT,
                     "parameter '%s' is bound twice (variables %zu and %zu)", paths[k], j, k);
    }
    b->slot[k] = (size_t)slot;
    b->n = k + 1;
  }
  *out = b;
  return CET_OK;
fail:
  cet_binding_destroy(&b);
  return status;
}

void cet_binding_destroy(cet_binding **bp) {
  if (!bp || !*bp) {
    return;
  }
  free((*bp)->slot);
  free(*bp);
  *bp = NULL;
}

size_t cet_binding_size(const cet_binding *b) { return b->n; }

size_t cet_binding_slot(const cet_binding *b, size_t k) { return b->slot[k]; }

void cet_binding_apply(const cet_binding *b, const double *x, double *params) {
  for (size_t k = 0; k < b->n; k++) {
    params[b->slot[k]] = x[k];
  }
}

int cet_twin_evaluate_bound(const cet_twin *t, const cet_binding *b, const double *x,
                            cet_twin_workspace *w, double *metrics) {
  CET_CHECK(w->twin == t, CET_ERR_RUNTIME, "the workspace was made for another twin");
  memcpy(w->params, cet_params_values(t->params), cet_params_count(t->params) * sizeof *w->params);
  if (b) {
    cet_binding_apply(b, x, w->params);
  }
  CET_CALL(cet_twin_evaluate(t, w->params, w, metrics));
  return CET_OK;
}
