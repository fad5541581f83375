/*
 * optimize_robust.c — the robust evaluation of designs (optimize_robust.h).
 *
 * Common random numbers: the K draws are those of the Monte Carlo sampler
 * (sampler.h) for draw indices first_draw .. first_draw + K - 1, keyed by
 * (seed, variable, draw index) only; they do not depend on the design, so
 * they are drawn once into a table and every design of every island and
 * generation is evaluated on the very same numbers. Two designs differ in
 * their statistics only through the twin, not through sampling noise.
 *
 * Work sharing: a batch of designs is cut into tasks (design, block of
 * ROBUST_CHUNK draws), shared out dynamically to the threads of an engine
 * team (engine.h); a thread copies the twin's own parameter values into its
 * workspace, sets the design and evaluates the block's draws as one batch
 * (cet_sampler_evaluate:
 * when only prices vary, the twin's stages before the economics run once
 * per block and the cash flows share the vector lanes). Each value goes to
 * its own place [design][draw][metric]; then the statistics are taken per
 * design and metric, in draw order. Neither step depends on the number of
 * threads or on which thread ran what, so the results are the same bits on
 * any thread count. Tasks rather than designs are shared so that a few
 * designs (a small population) still use every thread.
 */
#include "optimize_robust.h"

#include "cetwin/engine.h"
#include "cetwin/error.h"
#include "cetwin/sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Draws a task evaluates one after the other; room for a failure's text. */
enum { ROBUST_CHUNK = CET_SAMPLER_BATCH, ROBUST_MESSAGE_LEN = 2048 };

struct cet_drv_opt_robust {
  const cet_twin *twin;
  const cet_binding *binding;
  cet_sampler *sampler;
  double *inputs; /* [K x drawn parameters] the draws' parameter values */
  double *prices; /* [K x drawn series x years] their price paths */
  uint64_t first_draw;
  size_t K, U, n_design, np;
  size_t capacity;
  int threads;
  cet_engine_problem team_problem; /* workspaces of the sampler */
  cet_engine_team *team;
  cet_stats **acc; /* [threads] accumulators of K values */
  double *values;  /* [capacity x K x U] */
  /* the batch being evaluated */
  const double *x;
  const unsigned char *skip;
  cet_stats_summary *out;
};

void cet_drv_opt_robust_destroy(cet_drv_opt_robust **rp) {
  if (!rp || !*rp) {
    return;
  }
  cet_drv_opt_robust *r = *rp;
  for (int t = 0; r->acc && t < r->threads; t++) {
    cet_stats_destroy(&r->acc[t]);
  }
  cet_engine_team_destroy(&r->team);
  free(r->acc);
  free(r->values);
  free(r->inputs);
  free(r->prices);
  cet_sampler_destroy(&r->sampler);
  free(r);
  *rp = NULL;
}

static int workspace_create(void *model, void **ws) {
  return cet_sampler_workspace_create(model, (cet_sampler_workspace **)ws);
}

static void workspace_destroy(void **ws) {
  cet_sampler_workspace_destroy((cet_sampler_workspace **)ws);
}

/* The inputs of the K draws, drawn once. */
static int draw_table(cet_drv_opt_robust *r) {
  const size_t nv = cet_sampler_parameter_count(r->sampler);
  const size_t per_draw = cet_sampler_series_count(r->sampler) * cet_sampler_years(r->sampler);
  double bytes = (double)r->K * (double)(nv + per_draw) * (double)sizeof(double);
  r->inputs = malloc((r->K * nv + 1) * sizeof *r->inputs);
  r->prices = malloc((r->K * per_draw + 1) * sizeof *r->prices);
  CET_CHECK(r->inputs && r->prices, CET_ERR_MEMORY,
            "out of memory in %s for the inputs of %zu draws (%.4g MB)", __func__, r->K,
            bytes / 1e6);
  cet_sampler_workspace *w = cet_engine_team_workspace(r->team, 0);
  for (size_t k = 0; k < r->K; k += CET_SAMPLER_BATCH) {
    size_t n = r->K - k < CET_SAMPLER_BATCH ? r->K - k : CET_SAMPLER_BATCH;
    CET_CALL(cet_sampler_draw(r->sampler, w, r->first_draw + k, n, r->inputs + k * nv,
                              r->prices + k * per_draw));
  }
  return CET_OK;
}

static int build(cet_drv_opt_robust *r, const cet_robust_spec *rs, const size_t *metric) {
  CET_CALL(cet_sampler_create(r->twin, rs->seed, rs->uncertain, rs->n_uncertain, metric, r->U,
                              &r->sampler));
  r->team_problem = (cet_engine_problem){.model = r->sampler,
                                         .n_values = r->U,
                                         .batch = ROBUST_CHUNK,
                                         .workspace_create = workspace_create,
                                         .workspace_destroy = workspace_destroy};
  CET_CALL(cet_engine_team_create(&r->team_problem, r->threads, &r->team));
  CET_CALL(draw_table(r));
  double bytes = (double)r->capacity * (double)r->K * (double)r->U * (double)sizeof(double);
  r->values = bytes < (double)SIZE_MAX ? malloc((size_t)bytes + sizeof(double)) : NULL;
  CET_CHECK(r->values, CET_ERR_MEMORY,
            "out of memory in %s for the metric values of %zu designs x %zu draws x %zu metrics "
            "(%.4g MB): use fewer draws (robust.draws) or a smaller population",
            __func__, r->capacity, r->K, r->U, bytes / 1e6);
  r->acc = calloc((size_t)r->threads, sizeof *r->acc);
  CET_CHECK_ALLOC(r->acc);
  for (int t = 0; t < r->threads; t++) {
    CET_CALL(cet_stats_create(&r->acc[t], 1, r->K));
    CET_CALL(cet_stats_reserve_sort(r->acc[t], r->K));
  }
  return CET_OK;
}

int cet_drv_opt_robust_create(const cet_twin *t, const cet_robust_spec *rs, const cet_binding *b,
                              size_t n_design, const size_t *metric, size_t U, int threads,
                              size_t capacity, cet_drv_opt_robust **out) {
  *out = NULL;
  CET_CHECK(rs->draws > 0 && U > 0 && threads >= 1 && capacity > 0, CET_ERR_INPUT,
            "a robust evaluation needs draws, metrics, threads and room for designs, found %llu "
            "draws, %zu metrics, %d threads, %zu designs",
            (unsigned long long)rs->draws, U, threads, capacity);
  cet_drv_opt_robust *r = calloc(1, sizeof *r);
  CET_CHECK_ALLOC(r);
  r->twin = t;
  r->binding = b;
  r->first_draw = rs->first_draw;
  r->K = (size_t)rs->draws;
  r->U = U;
  r->n_design = n_design;
  r->np = cet_twin_parameter_count(t);
  r->capacity = capacity;
  r->threads = threads;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, build(r, rs, metric));
  *out = r;
  return CET_OK;
fail:
  cet_drv_opt_robust_destroy(&r);
  return status;
}

static size_t chunks_per_design(const cet_drv_opt_robust *r) {
  return (r->K + ROBUST_CHUNK - 1) / ROBUST_CHUNK;
}

/* Task (design i, block c) on a thread: the block's draws at design x_i. */
static int draws_task(void *arg, void *ws, int t, size_t task) {
  (void)t;
  cet_drv_opt_robust *r = arg;
  size_t i = task / chunks_per_design(r), c = task % chunks_per_design(r);
  if (r->skip && r->skip[i]) {
    return CET_OK;
  }
  const size_t nv = cet_sampler_parameter_count(r->sampler);
  const size_t per_draw = cet_sampler_series_count(r->sampler) * cet_sampler_years(r->sampler);
  double *params = cet_sampler_workspace_params(ws);
  memcpy(params, cet_twin_parameter_defaults(r->twin), r->np * sizeof *params);
  cet_binding_apply(r->binding, r->x + i * r->n_design, params);
  size_t k0 = c * ROBUST_CHUNK, n = r->K - k0 < ROBUST_CHUNK ? r->K - k0 : ROBUST_CHUNK, k = 0;
  int status = cet_sampler_evaluate(r->sampler, ws, r->inputs + k0 * nv, r->prices + k0 * per_draw,
                                    n, 1, r->values + (i * r->K + k0) * r->U, &k);
  CET_CHECK(status == CET_OK, status, "draw %llu", (unsigned long long)(r->first_draw + k0 + k));
  return CET_OK;
}

/* The summaries of design i's metrics over its K values, on thread t. */
static int summary_task(void *arg, void *ws, int t, size_t i) {
  (void)ws;
  cet_drv_opt_robust *r = arg;
  cet_stats *acc = r->acc[t];
  for (size_t u = 0; u < r->U; u++) {
    cet_stats_reset(acc);
    for (size_t k = 0; !(r->skip && r->skip[i]) && k < r->K; k++) {
      double v = r->values[(i * r->K + k) * r->U + u];
      CET_CHECK(isfinite(v), CET_ERR_RUNTIME,
                "metric '%s' is %g in draw %llu; a statistic over the draws needs a finite value "
                "in every draw",
                cet_twin_metric_name(r->twin, cet_sampler_metric(r->sampler, u)), v,
                (unsigned long long)(r->first_draw + k));
      CET_CALL(cet_stats_add(acc, v));
    }
    CET_CALL(cet_stats_summarize(acc, &r->out[i * r->U + u]));
  }
  return CET_OK;
}

int cet_drv_opt_robust_evaluate(cet_drv_opt_robust *r, size_t count, const double *x,
                                const unsigned char *skip, int threads, cet_stats_summary *out,
                                size_t *failed) {
  CET_CHECK(count <= r->capacity && threads >= 1 && threads <= r->threads, CET_ERR_RUNTIME,
            "robust evaluation of %zu designs on %d threads; room for %zu on %d", count, threads,
            r->capacity, r->threads);
  r->x = x;
  r->skip = skip;
  r->out = out;
  const size_t chunks = chunks_per_design(r);
  size_t task_failed = count * chunks, summary_failed = count;
  char message[ROBUST_MESSAGE_LEN] = "";
  int status =
      cet_engine_team_for(r->team, threads, 1, count * chunks, draws_task, r, &task_failed);
  if (status != CET_OK) {
    cet_error_format(message, sizeof message, 0);
    cet_error_clear();
  }
  /* the designs before the first failing one: a lower failure may hide in
   * their statistics */
  size_t designs_ok = task_failed / chunks;
  *failed = designs_ok;
  int summarised =
      cet_engine_team_for(r->team, threads, 1, designs_ok, summary_task, r, &summary_failed);
  if (summarised != CET_OK) {
    *failed = summary_failed;
    CET_CALL(summarised);
  }
  CET_CHECK(status == CET_OK, status, "%s", message);
  return CET_OK;
}
