/*
 * optimize_robust.c — the robust evaluation of designs (optimize_robust.h).
 *
 * Common random numbers: the K draws are those of the Monte Carlo sampler
 * (mc_sample.c) for draw indices first_draw .. first_draw + K - 1, keyed by
 * (seed, variable, draw index) only; they do not depend on the design, so
 * they are drawn once into a table and every design of every island and
 * generation is evaluated on the very same numbers. Two designs differ in
 * their statistics only through the twin, not through sampling noise.
 *
 * Work sharing: a batch of designs is cut into tasks (design, block of
 * ROBUST_CHUNK draws), shared out to the threads dynamically; a thread
 * copies the twin's own parameter values into its workspace, sets the
 * design and evaluates the block's draws as one batch (mc_sample_table:
 * when only prices vary, the twin's stages before the economics run once
 * per block and the cash flows share the vector lanes). Each value goes to
 * its own place [design][draw][metric]; then the statistics are taken per
 * design and metric, in draw order. Neither step depends on the number of
 * threads or on which thread ran what, so the results are the same bits on
 * any thread count. Tasks rather than designs are shared so that a few
 * designs (a small population) still use every thread.
 */
#include "optimize_robust.h"

#include "mc_impl.h"

#include "cetwin/error.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Draws a task evaluates one after the other. */
enum { ROBUST_CHUNK = MC_BATCH };

struct opt_robust {
  const cet_twin *twin;
  const cet_binding *binding;
  mc_sampler *sampler;
  mc_table *table;
  uint64_t first_draw;
  size_t K, U, n_design, np;
  size_t capacity;
  int threads;
  mc_thread **th;  /* [threads] */
  cet_stats **acc; /* [threads] accumulators of K values */
  double *values;  /* [capacity x K x U] */
};

void opt_robust_destroy(opt_robust **rp) {
  if (!rp || !*rp) {
    return;
  }
  opt_robust *r = *rp;
  for (int t = 0; t < r->threads; t++) {
    if (r->th) {
      mc_thread_destroy(&r->th[t]);
    }
    if (r->acc) {
      cet_stats_destroy(&r->acc[t]);
    }
  }
  free(r->th);
  free(r->acc);
  free(r->values);
  mc_table_destroy(&r->table);
  mc_sampler_destroy(&r->sampler);
  free(r);
  *rp = NULL;
}

static int build(opt_robust *r, const cet_robust_spec *rs, const size_t *metric) {
  CET_CALL(mc_sampler_create(r->twin, rs->seed, rs->uncertain, rs->n_uncertain, metric, r->U,
                             &r->sampler));
  CET_CALL(mc_table_create(r->sampler, rs->first_draw, r->K, &r->table));
  double bytes = (double)r->capacity * (double)r->K * (double)r->U * (double)sizeof(double);
  r->values = bytes < (double)SIZE_MAX ? malloc((size_t)bytes + sizeof(double)) : NULL;
  CET_CHECK(r->values, CET_ERR_MEMORY,
            "out of memory for the metric values of %zu designs x %zu draws x %zu metrics "
            "(%.4g MB): use fewer draws (robust.draws) or a smaller population",
            r->capacity, r->K, r->U, bytes / 1e6);
  r->th = calloc((size_t)r->threads, sizeof *r->th);
  r->acc = calloc((size_t)r->threads, sizeof *r->acc);
  CET_CHECK(r->th && r->acc, CET_ERR_MEMORY, "out of memory");
  for (int t = 0; t < r->threads; t++) {
    CET_CALL(mc_thread_create(r->sampler, &r->th[t]));
    CET_CALL(cet_stats_create(&r->acc[t], 1, r->K));
    CET_CALL(cet_stats_reserve_sort(r->acc[t], r->K));
  }
  return CET_OK;
}

int opt_robust_create(const cet_twin *t, const cet_robust_spec *rs, const cet_binding *b,
                      size_t n_design, const size_t *metric, size_t U, int threads, size_t capacity,
                      opt_robust **out) {
  *out = NULL;
  CET_CHECK(rs->draws > 0 && U > 0 && threads >= 1 && capacity > 0, CET_ERR_INPUT,
            "a robust evaluation needs draws, metrics, threads and room for designs, found %llu "
            "draws, %zu metrics, %d threads, %zu designs",
            (unsigned long long)rs->draws, U, threads, capacity);
  opt_robust *r = calloc(1, sizeof *r);
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
  int status = build(r, rs, metric);
  if (status != CET_OK) {
    opt_robust_destroy(&r);
    CET_CALL(status);
  }
  *out = r;
  return CET_OK;
}

/* Task (design i, block c) on thread t: the block's draws at design x_i. */
static int run_task(opt_robust *r, int t, const double *x, size_t i, size_t c) {
  mc_thread *th = r->th[t];
  double *params = cet_twin_workspace_params(th->w);
  memcpy(params, cet_twin_parameter_defaults(r->twin), r->np * sizeof *params);
  cet_binding_apply(r->binding, x + i * r->n_design, params);
  size_t k0 = c * ROBUST_CHUNK, n = r->K - k0 < ROBUST_CHUNK ? r->K - k0 : ROBUST_CHUNK, k = 0;
  int status =
      mc_sample_table(r->sampler, th, r->table, k0, n, 1, r->values + (i * r->K + k0) * r->U, &k);
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "draw %llu",
                   (unsigned long long)(r->first_draw + k));
  }
  return status;
}

/* The summaries of design i's metrics over its K values, on thread t. */
static int summarise(opt_robust *r, int t, size_t i, cet_stats_summary *out) {
  cet_stats *acc = r->acc[t];
  for (size_t u = 0; u < r->U; u++) {
    cet_stats_reset(acc);
    for (size_t k = 0; k < r->K; k++) {
      double v = r->values[(i * r->K + k) * r->U + u];
      CET_CHECK(isfinite(v), CET_ERR_RUNTIME,
                "metric '%s' is %g in draw %llu; a statistic over the draws needs a finite value "
                "in every draw",
                cet_twin_metric_name(r->twin, r->sampler->metric[u]), v,
                (unsigned long long)(r->first_draw + k));
      CET_CALL(cet_stats_add(acc, v));
    }
    CET_CALL(cet_stats_summarize(acc, &out[i * r->U + u]));
  }
  return CET_OK;
}

/* Everything on the calling thread, in order: the first failure (lowest
 * design, then draw) keeps its message. */
static int evaluate_serial(opt_robust *r, size_t count, const double *x, cet_stats_summary *out,
                           size_t *failed) {
  size_t chunks = (r->K + ROBUST_CHUNK - 1) / ROBUST_CHUNK;
  for (size_t i = 0; i < count; i++) {
    *failed = i;
    for (size_t c = 0; c < chunks; c++) {
      CET_CALL(run_task(r, 0, x, i, c));
    }
    CET_CALL(summarise(r, 0, i, out));
  }
  *failed = count;
  return CET_OK;
}

int opt_robust_evaluate(opt_robust *r, size_t count, const double *x, int threads,
                        cet_stats_summary *out, size_t *failed) {
  CET_CHECK(count <= r->capacity && threads >= 1 && threads <= r->threads, CET_ERR_RUNTIME,
            "robust evaluation of %zu designs on %d threads; room for %zu on %d", count, threads,
            r->capacity, r->threads);
  *failed = count;
  if (threads == 1) {
    return evaluate_serial(r, count, x, out, failed);
  }
  const size_t chunks = (r->K + ROBUST_CHUNK - 1) / ROBUST_CHUNK;
  const long long tasks = (long long)(count * chunks);
  size_t task_failed = count, summary_failed = count;
#pragma omp parallel for schedule(dynamic) num_threads(threads) reduction(min : task_failed)
  for (long long task = 0; task < tasks; task++) {
    size_t i = (size_t)task / chunks, c = (size_t)task % chunks;
    if (run_task(r, omp_get_thread_num(), x, i, c) != CET_OK) {
      task_failed = i < task_failed ? i : task_failed;
      cet_error_clear();
    }
  }
  /* the designs before the first failing one: a lower failure may hide in
   * their statistics */
  const long long summarised = (long long)task_failed;
#pragma omp parallel for schedule(dynamic) num_threads(threads) reduction(min : summary_failed)
  for (long long i = 0; i < summarised; i++) {
    if (summarise(r, omp_get_thread_num(), (size_t)i, out) != CET_OK) {
      summary_failed = (size_t)i < summary_failed ? (size_t)i : summary_failed;
      cet_error_clear();
    }
  }
  *failed = summary_failed < task_failed ? summary_failed : task_failed;
  CET_CHECK(*failed == count, CET_ERR_RUNTIME, "design %zu of the batch failed", *failed);
  return CET_OK;
}
