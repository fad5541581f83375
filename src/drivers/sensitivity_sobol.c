/*
 * sensitivity_sobol.c — Sobol' indices by the Saltelli design
 * (sobol_indices.h). A base row j is a point of the engine's plan (a shard
 * runs base rows first .. first + count - 1), evaluated at its g + 2 (or
 * 2g + 2) model points: the factors with a unit coordinate take the
 * quantiles of the scrambled Sobol' point, the correlated price paths (a
 * factor without coordinates) the Monte Carlo's draws 2j (A_j) and 2j + 1
 * (B_j), drawn for a batch of 32 base rows at once. Blocks of sobol.block
 * base rows go into exact, mergeable sums on the rank that computed them
 * (the bootstrap replicates keyed by block), kept in buckets of blocks [0,
 * 1), [1, 2), [2, 4), [4, 8), ... so that the estimates from the first
 * 2^m blocks — the convergence table — come from the same sums; the ranks'
 * sums merge exactly, so the indices are the same bits on any layout and
 * shards merge into one run (`cetwin merge`). Rank 0 prints the first-order
 * and total indices with their intervals and writes /sensitivity/sobol.
 */
#include "sensitivity_impl.h"

#include "rows_write.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/sobol_indices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Base rows per evaluation: their two draws each fill one batch of the
 * Monte Carlo sampler. */
enum { SOBOL_BATCH = CET_SAMPLER_BATCH / 2, TEXT_LEN = 64 };

typedef struct {
  cet_drv_sa_run *r;
  const cet_factor_set *set;  /* the factors moved */
  size_t g;                   /* their groups */
  size_t *group_of;           /* [set->n] the group of each */
  const char **groups;        /* [g] the groups' names */
  long prices_group;          /* the group of the prices, or -1 */
  size_t prices_at;           /* with prices_group >= 0: the prices' position in the set */
  size_t *coord_of;           /* [set->n] coordinate of each factor, SIZE_MAX for the prices */
  size_t *coord_group;        /* [kc] the group of each coordinate */
  const char **units;         /* [nm] of the metrics */
  size_t per_draw;            /* doubles of one draw's price paths */
  unsigned char *takes_b;     /* [rows x set->n] 1: factor a of row takes B's value */
  size_t *moved;              /* [rows x set->n] per row: the factors (not the prices) */
  size_t *n_moved;            /* [rows] whose side differs from the row before */
  size_t *value_at;           /* [set->n + 1] where factor a's parameter values start in pa, pb */
  cet_drv_sa_sobol_plan plan; /* the design and what the estimates need */
  int factored;               /* 1: the NPV in factored form (sobol.evaluation) */
  char note[TEXT_LEN * 8];    /* the summary's line on the evaluation */
} sobol_model;

/* A thread's scratch: the points' scratch (its x the natives of the point
 * set in it, once applied), the coordinates and natives of A_j and B_j,
 * the drawn paths of a batch. */
typedef struct {
  cet_drv_sa_ws *ws;
  double *a, *b;   /* [kc] */
  double *na, *nb; /* [k] */
  double *pa, *pb; /* [value_at[k]] the parameter values the factors set at na, nb */
  int applied;
  const double *paths_set; /* the paths in drawn handed to the twin, NULL: none of this batch */
  double *drawn;           /* [2 SOBOL_BATCH x per_draw] */
  double *unused;          /* the sampler's parameter values (none) */
} sobol_ws;

static void sobol_ws_destroy(void **wsp) {
  sobol_ws *w = *wsp;
  if (!w) {
    return;
  }
  cet_drv_sa_ws_destroy((void **)&w->ws);
  free(w->a);
  free(w->b);
  free(w->na);
  free(w->nb);
  free(w->pa);
  free(w->pb);
  free(w->drawn);
  free(w->unused);
  free(w);
  *wsp = NULL;
}

/* Lets w evaluate the NPV in factored form when the factors' parameters
 * allow it (cet_twin_workspace_factor_npv) and the metrics ask the
 * economics for nothing else (*applies; else why says what refuses it):
 * the parameters of a scale factor tied, those it divides by (1 + c)
 * apart from those it multiplies. */
static int factor_npv(const sobol_model *sm, cet_twin_workspace *w, int *applies, char *why,
                      size_t len) {
  const cet_drv_sa_run *r = sm->r;
  const size_t cap = sm->value_at[sm->set->n] + 1;
  size_t *slots = malloc(cap * sizeof *slots), *tie = malloc(cap * sizeof *tie), n = 0;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, slots && tie);
  for (size_t a = 0; a < sm->set->n; a++) {
    const cet_factor *f = &r->s->factors[sm->set->index[a]];
    for (size_t v = sm->value_at[a]; v < sm->value_at[a + 1]; v++) {
      const size_t j = v - sm->value_at[a];
      slots[n] = f->slots[j];
      tie[n++] = f->kind == CET_FACTOR_SCALE ? 2 * a + (f->power[j] < 0) : SIZE_MAX;
    }
  }
  CET_CALL_GOTO(status, done, cet_twin_workspace_factor_npv(w, slots, tie, n, applies, why, len));
  if (*applies && !cet_twin_workspace_npv_factored(w, why, len)) {
    *applies = 0;
    CET_CALL_GOTO(status, done, cet_twin_workspace_factor_npv(w, NULL, NULL, 0, applies, NULL, 0));
  }
done:
  free(slots);
  free(tie);
  return status;
}

/* Decides how the points are evaluated (sobol.evaluation) from a probe
 * workspace, into sm->factored and sm->note: the factored form where it is
 * asked (an input error at the key where it does not apply) or allowed
 * (auto) and applies. */
static int choose_evaluation(sobol_model *sm) {
  const cet_sobol_spec *so = &sm->r->s->sobol;
  sm->factored = 0;
  snprintf(sm->note, sizeof sm->note, "cash-flow model");
  if (so->evaluation == CET_SOBOL_EVAL_MODEL) {
    return CET_OK;
  }
  cet_drv_sa_ws *probe = NULL;
  char why[TEXT_LEN * 4];
  int applies = 0, status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_sa_ws_create(sm->r, (void **)&probe));
  CET_CALL_GOTO(status, done, factor_npv(sm, probe->w, &applies, why, sizeof why));
  CET_CHECK_GOTO(status, done, applies || so->evaluation == CET_SOBOL_EVAL_AUTO, CET_ERR_INPUT,
                 "%s: factored: the factored form does not apply: %s; expected a run whose "
                 "factors only scale whole cash-flow rows or set the discount rate and whose "
                 "metrics ask the economics only for the npv (or evaluation: model or auto)",
                 so->evaluation_where ? so->evaluation_where : "sensitivity.sobol.evaluation", why);
  sm->factored = applies;
  if (applies) {
    snprintf(sm->note, sizeof sm->note,
             "factored cash flow (NPV agrees with the model to rounding)");
  } else {
    snprintf(sm->note, sizeof sm->note,
             "cash-flow model (auto: the factored form does not apply: %s)", why);
  }
done:
  cet_drv_sa_ws_destroy((void **)&probe);
  return status;
}

static int sobol_ws_create(void *model, void **out) {
  const sobol_model *sm = model;
  *out = NULL;
  sobol_ws *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  w->a = malloc((sm->plan.kc + 1) * sizeof *w->a);
  w->b = malloc((sm->plan.kc + 1) * sizeof *w->b);
  w->na = malloc((sm->set->n + 1) * sizeof *w->na);
  w->nb = malloc((sm->set->n + 1) * sizeof *w->nb);
  w->pa = malloc((sm->value_at[sm->set->n] + 1) * sizeof *w->pa);
  w->pb = malloc((sm->value_at[sm->set->n] + 1) * sizeof *w->pb);
  w->drawn = malloc((2 * SOBOL_BATCH * sm->per_draw + 1) * sizeof *w->drawn);
  w->unused = malloc(2 * SOBOL_BATCH * sizeof *w->unused);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_drv_sa_ws_create(sm->r, (void **)&w->ws));
  CET_CHECK_ALLOC_GOTO(status, fail,
                       w->a && w->b && w->na && w->nb && w->pa && w->pb && w->drawn && w->unused);
  if (sm->factored) {
    int applies = 0;
    char why[TEXT_LEN * 4];
    CET_CALL_GOTO(status, fail, factor_npv(sm, w->ws->w, &applies, why, sizeof why));
    CET_CHECK_GOTO(status, fail, applies, CET_ERR_RUNTIME,
                   "the factored form applies to one thread's twin and not to another's: %s", why);
  }
  *out = w;
  return CET_OK;
fail:
  sobol_ws_destroy((void **)&w);
  return status;
}

/* The natives of the set's factors in A_j (into na) and B_j (nb), the
 * prices NaN, and the parameter values they set (pa, pb). */
static int base_natives(const sobol_model *sm, sobol_ws *w, uint64_t j) {
  const cet_drv_sa_run *r = sm->r;
  CET_CALL(cet_sobol_design_base(sm->plan.design, j, w->a, w->b));
  for (size_t a = 0; a < sm->set->n; a++) {
    const cet_factor *f = &r->s->factors[sm->set->index[a]];
    size_t c = sm->coord_of[a];
    w->na[a] = c == SIZE_MAX ? NAN : cet_drv_sa_native_at_unit(r->s, f, w->a[c], 0);
    w->nb[a] = c == SIZE_MAX ? NAN : cet_drv_sa_native_at_unit(r->s, f, w->b[c], 0);
    for (size_t v = sm->value_at[a]; v < sm->value_at[a + 1]; v++) {
      w->pa[v] = cet_drv_sa_slot_value(f, v - sm->value_at[a], w->na[a]);
      w->pb[v] = cet_drv_sa_slot_value(f, v - sm->value_at[a], w->nb[a]);
    }
  }
  return CET_OK;
}

/* Sets row row of the base row whose natives are in w (its paths drawn,
 * NULL without prices) in w's points' scratch: the first point in full
 * (the series of the prices drawn from then on), after it only the
 * factors whose side (A or B) changed and whose natives differ, and the
 * paths when they are not those set, which leaves the twin as setting
 * every factor would. */
static void set_row(const sobol_model *sm, sobol_ws *w, size_t row, const double *drawn) {
  const cet_drv_sa_run *r = sm->r;
  const size_t n = sm->set->n;
  const unsigned char *b = sm->takes_b + row * n;
  double *x = w->ws->x;
  if (!w->applied) {
    memcpy(x, r->base, r->k * sizeof *x);
    for (size_t a = 0; a < n; a++) {
      x[sm->set->index[a]] = b[a] ? w->nb[a] : w->na[a];
    }
    cet_drv_sa_apply(r, w->ws, x, drawn);
    w->paths_set = drawn;
    w->applied = 1;
    return;
  }
  const size_t *moved = sm->moved + row * n;
  for (size_t m = 0; m < sm->n_moved[row]; m++) {
    size_t a = moved[m], i = sm->set->index[a];
    double v = b[a] ? w->nb[a] : w->na[a];
    if (memcmp(&v, &x[i], sizeof v) != 0) {
      x[i] = v;
      const size_t *slot = r->s->factors[i].slots;
      const double *value = b[a] ? w->pb : w->pa;
      for (size_t u = sm->value_at[a]; u < sm->value_at[a + 1]; u++) {
        w->ws->params[slot[u - sm->value_at[a]]] = value[u];
      }
    }
  }
  if (drawn != w->paths_set) {
    cet_drv_sa_move_drawn(r, w->ws, drawn);
    w->paths_set = drawn;
  }
}

static int sobol_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                          double *const *extras, uint64_t *failed) {
  const sobol_model *sm = model;
  const cet_drv_sa_run *r = sm->r;
  const size_t n = sm->set->n;
  sobol_ws *w = wsp;
  *failed = first;
  if (sm->prices_group >= 0) { /* not when the method's factors leave out the prices */
    CET_CALL(
        cet_sampler_draw(r->sampler, w->ws->sampler, 2 * first, 2 * count, w->unused, w->drawn));
  }
  w->paths_set = NULL; /* drawn holds this batch's paths */
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    CET_CALL(base_natives(sm, w, first + d));
    for (size_t row = 0; row < sm->plan.rows; row++) {
      const double *drawn = NULL;
      if (sm->prices_group >= 0) {
        size_t b = sm->takes_b[row * n + sm->prices_at];
        drawn = w->drawn + (2 * d + b) * sm->per_draw;
      }
      set_row(sm, w, row, drawn);
      if (extras) {
        double *natives = extras[0] + (d * sm->plan.rows + row) * n;
        for (size_t a = 0; a < n; a++) {
          natives[a] = w->ws->x[sm->set->index[a]];
        }
      }
      CET_CALL(cet_drv_sa_evaluate_applied(r, w->ws, values + (d * sm->plan.rows + row) * r->nm));
    }
  }
  return CET_OK;
}

/* ---- the accumulator: sums per bucket of blocks ---- */

typedef struct {
  const sobol_model *sm;
  cet_sobol_sums **bucket; /* [buckets] */
  cet_sobol_block *blk;
  unsigned char *packed; /* the bytes of the last pack */
} sobol_acc;

static void acc_destroy(void **accp) {
  sobol_acc *a = *accp;
  if (!a) {
    return;
  }
  cet_drv_sa_sobol_buckets_destroy(&a->bucket, a->sm->plan.buckets);
  cet_sobol_block_destroy(&a->blk);
  free(a->packed);
  free(a);
  *accp = NULL;
}

static int acc_create(void *model, void **out) {
  const sobol_model *sm = model;
  *out = NULL;
  sobol_acc *a = calloc(1, sizeof *a);
  CET_CHECK_ALLOC(a);
  a->sm = sm;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_drv_sa_sobol_buckets_create(&sm->plan, &a->bucket));
  CET_CALL_GOTO(status, fail, cet_sobol_block_create(&a->blk, sm->plan.design, sm->plan.nm));
  *out = a;
  return CET_OK;
fail:
  acc_destroy((void **)&a);
  return status;
}

static int acc_add_block(void *model, void *accp, uint64_t b, uint64_t first, size_t count,
                         const double *values) {
  (void)b;
  (void)count;
  const sobol_model *sm = model;
  sobol_acc *a = accp;
  uint64_t block = first / sm->plan.block;
  int status =
      cet_sobol_sums_add_block(a->bucket[cet_drv_sa_sobol_bucket_of(block)], a->blk, block, values);
  if (status == CET_ERR_INPUT) {
    char why[TEXT_LEN * 8];
    snprintf(why, sizeof why, "%s", cet_error_message());
    cet_error_clear();
    CET_CHECK(0, status,
              "%s; Sobol' indices need a finite value of every metric at every point: leave "
              "metrics that can be undefined (irr, payback) out of sensitivity.metrics",
              why);
  }
  return status;
}

static int acc_pack(void *accp, const void **bytes, size_t *size) {
  sobol_acc *a = accp;
  CET_CALL(cet_drv_sa_sobol_buckets_pack(a->bucket, a->sm->plan.buckets, &a->packed, size));
  *bytes = a->packed;
  return CET_OK;
}

static int acc_merge_bytes(void *model, void *accp, const void *bytes, size_t size) {
  const sobol_model *sm = model;
  sobol_acc *a = accp;
  return cet_drv_sa_sobol_buckets_merge(a->bucket, sm->plan.buckets, bytes, size);
}

/* ---- the plan ---- */

/* Which side each factor takes in each row, and the factors (not the
 * prices) whose side differs from the row before: all of them in the
 * first row, which follows the last row (B) of another base row; where
 * each factor's parameter values lie in a thread's pa and pb. */
static int row_changes(sobol_model *sm) {
  const size_t rows = sm->plan.rows, n = sm->set->n;
  sm->takes_b = malloc(rows * n + 1);
  sm->moved = malloc((rows * n + 1) * sizeof *sm->moved);
  sm->n_moved = malloc((rows + 1) * sizeof *sm->n_moved);
  sm->value_at = malloc((n + 1) * sizeof *sm->value_at);
  CET_CHECK_ALLOCS(sm->takes_b && sm->moved && sm->n_moved && sm->value_at);
  sm->value_at[0] = 0;
  for (size_t a = 0; a < n; a++) {
    const cet_factor *f = &sm->r->s->factors[sm->set->index[a]];
    sm->value_at[a + 1] =
        sm->value_at[a] + (sm->coord_of[a] != SIZE_MAX ? cet_drv_sa_slots_set(f) : 0);
  }
  for (size_t row = 0; row < rows; row++) {
    unsigned char *b = sm->takes_b + row * n;
    sm->n_moved[row] = 0;
    for (size_t a = 0; a < n; a++) {
      b[a] = (unsigned char)cet_sobol_design_takes_b(sm->plan.design, row, sm->group_of[a]);
      if (sm->coord_of[a] != SIZE_MAX && (row == 0 || b[a] != sm->takes_b[(row - 1) * n + a])) {
        sm->moved[row * n + sm->n_moved[row]++] = a;
      }
    }
  }
  return CET_OK;
}

static int model_setup(cet_drv_sa_run *r, sobol_model *sm) {
  const cet_sensitivity_spec *s = r->s;
  const size_t k = sm->set->n;
  cet_drv_sa_sobol_plan *p = &sm->plan;
  sm->r = r;
  sm->prices_group = -1;
  sm->coord_of = malloc((k + 1) * sizeof *sm->coord_of);
  sm->coord_group = malloc((k + 1) * sizeof *sm->coord_group);
  sm->group_of = malloc((k + 1) * sizeof *sm->group_of);
  sm->groups = malloc((k + 1) * sizeof *sm->groups);
  sm->units = malloc((r->nm + 1) * sizeof *sm->units);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       sm->coord_of && sm->coord_group && sm->group_of && sm->groups && sm->units);
  CET_CALL_GOTO(status, done, cet_drv_sa_set_groups(r, sm->set, sm->group_of, sm->groups, &sm->g));
  for (size_t a = 0; a < k; a++) {
    int coordinate = s->factors[sm->set->index[a]].kind != CET_FACTOR_PRICES;
    sm->coord_of[a] = coordinate ? p->kc : SIZE_MAX;
    if (coordinate) {
      sm->coord_group[p->kc++] = sm->group_of[a];
    } else {
      sm->prices_group = (long)sm->group_of[a];
      sm->prices_at = a;
    }
  }
  for (size_t m = 0; m < r->nm; m++) {
    sm->units[m] = cet_twin_metric_units(r->twin, s->metric_index[m]);
  }
  p->g = sm->g;
  p->nm = r->nm;
  p->groups = sm->groups;
  p->metrics = (const char *const *)s->metrics.name;
  p->units = sm->units;
  p->share = r->share;
  p->coordinate_group = sm->coord_group;
  p->n = s->sobol.n;
  p->block = s->sobol.block;
  p->seed = r->c->seed;
  p->second_order = s->sobol.second_order;
  p->replicates = s->sobol.replicates;
  p->bootstrap_metrics = s->sobol.bootstrap_metrics;
  p->level = s->sobol.level;
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_plan_design(p));
  sm->per_draw = sm->prices_group >= 0
                     ? cet_sampler_series_count(r->sampler) * cet_sampler_years(r->sampler)
                     : 0;
  CET_CALL_GOTO(status, done, row_changes(sm));
  CET_CALL_GOTO(status, done, choose_evaluation(sm));
  p->evaluation = sm->factored ? "factored" : "model";
  p->evaluation_note = sm->note;
done:
  return status;
}

static void model_free(sobol_model *sm) {
  cet_sobol_design_destroy(&sm->plan.design);
  free(sm->coord_of);
  free(sm->coord_group);
  free(sm->group_of);
  free(sm->groups);
  free(sm->units);
  free(sm->takes_b);
  free(sm->moved);
  free(sm->n_moved);
  free(sm->value_at);
}

/* ---- the points (sensitivity.store_points) ---- */

/* Rank 0: the kind of each row of a base row ("A", "AB:GROUP", "BA:GROUP",
 * "B") and the names of the factors, into the result file. */
static int write_point_names(const sobol_model *sm, cet_result *res) {
  const size_t rows = sm->plan.rows;
  static const char *const KIND[] = {"A", "AB:", "BA:", "B"};
  size_t len = TEXT_LEN;
  for (size_t g = 0; g < sm->g; g++) {
    len = strlen(sm->groups[g]) + TEXT_LEN > len ? strlen(sm->groups[g]) + TEXT_LEN : len;
  }
  const char **kind = calloc(rows + 1, sizeof *kind);
  char *text = calloc(rows + 1, len);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, kind && text);
  for (size_t row = 0; row < rows; row++) {
    size_t g = 0;
    cet_sobol_row_kind k = cet_sobol_design_row_kind(sm->plan.design, row, &g);
    int grouped = k == CET_SOBOL_ROW_AB || k == CET_SOBOL_ROW_BA;
    snprintf(text + row * len, len, "%s%s", KIND[k], grouped ? sm->groups[g] : "");
    kind[row] = text + row * len;
  }
  cet_dataset_meta mk = {.description = "the kind of each model point of a base row: A, AB:GROUP "
                                        "(A with GROUP's factors from B), BA:GROUP (B with "
                                        "GROUP's factors from A, second order only), B",
                         .dims = "row"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_strings(res, "/sensitivity/sobol/points/row_kind", rows, kind, &mk));
  CET_CALL_GOTO(
      status, done,
      cet_drv_sa_write_set_names(sm->r, sm->set, "/sensitivity/sobol/points/factor_names", res));
done:
  free(kind);
  free(text);
  return status;
}

/* Rank 0 writes the names of the points when there is a result file (the
 * status of this rank alone). */
static int point_names(const sobol_model *sm) {
  const cet_drv_sa_run *r = sm->r;
  if (r->ctx->rank == 0 && r->ctx->result) {
    CET_CALL(write_point_names(sm, r->ctx->result));
  }
  return CET_OK;
}

/* /sensitivity/sobol/points: every base row's index, and the metrics and
 * the factors' settings at each of its model points, by every rank at once
 * (rows_write.h); the names by rank 0. Collective. */
static int write_points(const sobol_model *sm, const cet_engine_run *run) {
  const cet_drv_sa_run *r = sm->r;
  CET_CALL(cet_collective_status(point_names(sm), r->ctx->comm));
  long long *index = NULL;
  CET_CALL(cet_collective_status(cet_drv_rows_points(run, &index), r->ctx->comm));
  const size_t rows = sm->plan.rows, k = sm->set->n;
  cet_dataset_meta meta[CET_DRV_SA_SOBOL_POINT_DATASETS];
  cet_drv_sa_sobol_points_meta((const char *const *)r->s->metrics.name, r->units, r->nm, meta);
  cet_drv_rows_dataset d[CET_DRV_SA_SOBOL_POINT_DATASETS] = {
      {CET_DRV_SA_SOBOL_POINTS[0], CET_RESULT_INT64, 1, {0}, index, meta[0]},
      {CET_DRV_SA_SOBOL_POINTS[1],
       CET_RESULT_DOUBLE,
       3,
       {0, rows, r->nm},
       cet_engine_local_values(run),
       meta[1]},
      {CET_DRV_SA_SOBOL_POINTS[2],
       CET_RESULT_DOUBLE,
       3,
       {0, rows, k},
       cet_engine_local_extras(run, 0),
       meta[2]}};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_rows_write(r->ctx, run, d, sizeof d / sizeof d[0]));
done:
  free(index);
  return status;
}

/* Rank 0: the indices from the sums of the run's count base rows, printed
 * and written (the status of this rank alone). */
static int report_sobol(const sobol_model *sm, const cet_engine_run *run, uint64_t count) {
  const cet_drv_sa_run *r = sm->r;
  if (r->ctx->rank == 0) {
    sobol_acc *a = cet_engine_accumulator(run);
    CET_CALL(cet_drv_sa_sobol_report(&sm->plan, a->bucket, count, r->ctx->summary, r->ctx->result));
  }
  return CET_OK;
}

int cet_drv_sa_sobol(cet_drv_sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  sobol_model sm = {.set = &s->sobol.factors};
  uint64_t first = s->count > 0 ? s->first : 0, count = s->count > 0 ? s->count : s->sobol.n;
  cet_engine_run *run = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_collective_status(model_setup(r, &sm), r->ctx->comm));
  cet_engine_problem p = {.model = &sm,
                          .n_values = sm.plan.rows * r->nm,
                          .n_extras = s->store_points ? 1 : 0,
                          .extra_width = {sm.plan.rows * sm.set->n},
                          .batch = SOBOL_BATCH,
                          .workspace_create = sobol_ws_create,
                          .workspace_destroy = sobol_ws_destroy,
                          .evaluate = sobol_evaluate,
                          .acc_create = acc_create,
                          .acc_destroy = acc_destroy,
                          .acc_add_block = acc_add_block,
                          .acc_pack = acc_pack,
                          .acc_merge_bytes = acc_merge_bytes};
  cet_engine_settings es;
  CET_CALL_GOTO(
      status, done,
      cet_collective_status(cet_drv_sa_settings(r, first, count, "sobol", 1, &es), r->ctx->comm));
  es.statistics = 0;
  es.keep_rows = s->store_points;
  CET_CALL_GOTO(status, done, cet_engine_execute(&p, &es, r->ctx->comm, r->threads, &run));
  /* every rank agrees on the report before the collective writing of the points */
  CET_CALL_GOTO(status, done, cet_collective_status(report_sobol(&sm, run, count), r->ctx->comm));
  if (s->store_points) {
    CET_CALL_GOTO(status, done, write_points(&sm, run));
  }
done:
  cet_engine_run_destroy(&run);
  model_free(&sm);
  return cet_collective_status(status, r->ctx->comm);
}
