/*
 * mc.c — the Monte Carlo driver (see drivers.h): the draws of the case's
 * uncertain variables (sampler.h) run on the sampling engine (engine.h),
 * which deals blocks of mc.block draws to the ranks, shares a block's
 * batches out to the threads, applies the stopping rule in block order and
 * reduces the metrics' accumulators to rank 0. Each draw's random numbers
 * depend on the seed, the variable and the draw index only, and every
 * statistic is an exact sum or an order statistic of the multiset of
 * values, so the results are the same bits on any number of ranks and
 * threads. Rank 0 then prints and writes the summaries, the scenarios and
 * the UNFC rating; with mc.store_draws every rank writes its draws.
 */
#include "cetwin/drivers.h"

#include "mc_impl.h"
#include "report.h"

#include "checkpointing.h"
#include "rows_write.h"

#include "cetwin/collective.h"
#include "cetwin/engine.h"
#include "cetwin/error.h"
#include "cetwin/sampler.h"

#include <math.h>
#include <stdlib.h>

/* What the engine evaluates: the sampler's draws; extras 0 and 1 are a
 * draw's parameter values and price paths (stored with mc.store_draws). */
typedef struct {
  const cet_sampler *sampler;
} mc_model;

static int mc_workspace_create(void *model, void **ws) {
  const mc_model *m = model;
  return cet_sampler_workspace_create(m->sampler, (cet_sampler_workspace **)ws);
}

static void mc_workspace_destroy(void **ws) {
  cet_sampler_workspace_destroy((cet_sampler_workspace **)ws);
}

static int mc_evaluate(void *model, void *ws, uint64_t first, size_t count, double *values,
                       double *const *extras, uint64_t *failed) {
  const mc_model *m = model;
  return cet_sampler_sample(m->sampler, ws, first, count, values, extras ? extras[0] : NULL,
                            extras ? extras[1] : NULL, failed);
}

typedef struct {
  const cet_case *c;
  const cet_mc_spec *mc;
  const cet_run_context *ctx;
  cet_sampler *sampler;
  mc_model model;
  cet_engine_problem problem;
  cet_engine_settings settings;
  cet_engine_run *run;
  char *checkpoint;  /* the checkpoint file */
  char *fingerprint; /* of the plan, the twin and the variables */
  int threads;
  size_t nm, nv, npp; /* metrics, uncertain parameters, drawn price values per draw */
} mc_run;

static void run_free(mc_run *r) {
  cet_engine_run_destroy(&r->run);
  free(r->checkpoint);
  free(r->fingerprint);
  cet_sampler_destroy(&r->sampler);
}

/* The text of everything the draws' results depend on: the plan, the
 * metrics, the stopping rule, the twin and the uncertain variables. */
static int describe_run(const mc_run *r, cet_strbuf *b) {
  const cet_mc_spec *mc = r->mc;
  CET_CALL(cet_strbuf_printf(b, "mc %llu %llu %llu %zu %d %d;", (unsigned long long)r->c->seed,
                             (unsigned long long)mc->draws, (unsigned long long)mc->first_draw,
                             mc->block, mc->quantiles, mc->store_draws));
  for (size_t k = 0; k < mc->metrics.n; k++) {
    CET_CALL(cet_strbuf_printf(b, "m %s;", mc->metrics.name[k]));
  }
  if (mc->stop_metric) {
    CET_CALL(cet_strbuf_printf(b, "stop %s %a %llu;", mc->stop_metric, mc->stop_rse,
                               (unsigned long long)mc->min_draws));
  }
  CET_CALL(cet_drv_describe_twin(r->c->twin, b));
  CET_CALL(cet_drv_describe_uncertain(mc->uncertain, mc->n_uncertain, b));
  return CET_OK;
}

/* Where checkpoints go and what ties them to this run. */
static int checkpoint_setup(mc_run *r) {
  CET_CALL(cet_drv_checkpoint_path(r->ctx, r->c->name, r->mc->checkpoint_file, "mc.checkpoint.file",
                                   &r->checkpoint));
  cet_strbuf b = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, describe_run(r, &b));
  r->fingerprint = malloc(CET_DRV_FINGERPRINT_HEX);
  CET_CHECK_ALLOC_GOTO(status, cleanup, r->fingerprint);
  cet_drv_fingerprint(b.text, r->fingerprint);
cleanup:
  cet_strbuf_free(&b);
  return status;
}

static int run_setup(mc_run *r) {
  const cet_mc_spec *mc = r->mc;
  CET_CALL(cet_sampler_create(r->c->twin, r->c->seed, mc->uncertain, mc->n_uncertain,
                              mc->metric_index, mc->metrics.n, &r->sampler));
  r->nm = cet_sampler_metric_count(r->sampler);
  r->nv = cet_sampler_parameter_count(r->sampler);
  r->npp = cet_sampler_series_count(r->sampler) * cet_sampler_years(r->sampler);
  r->threads = r->ctx->threads > 0 ? r->ctx->threads : 1;
  r->model.sampler = r->sampler;
  r->problem = (cet_engine_problem){.model = &r->model,
                                    .n_values = r->nm,
                                    .n_extras = 2,
                                    .extra_width = {r->nv, r->npp},
                                    .batch = CET_SAMPLER_BATCH,
                                    .workspace_create = mc_workspace_create,
                                    .workspace_destroy = mc_workspace_destroy,
                                    .evaluate = mc_evaluate};
  cet_engine_settings *s = &r->settings;
  *s = cet_engine_default_settings(mc->first_draw, mc->draws);
  s->block = mc->block;
  s->quantiles = mc->quantiles;
  s->probabilities = &mc->unfc.pessimistic_quantile;
  s->n_probabilities = 1;
  s->quantile_buffer = mc->quantile_buffer;
  s->keep_rows = mc->store_draws;
  s->stop_value = mc->stop_metric ? (long)mc->stop_index : -1;
  s->stop_rse = mc->stop_rse;
  s->min_points = mc->min_draws;
  s->point = "draw";
  s->label = "mc draws";
  s->value_names = (const char *const *)mc->metrics.name;
  CET_CALL(checkpoint_setup(r));
  s->checkpoint = r->checkpoint;
  s->checkpoint_blocks = mc->checkpoint_interval;
  s->restart = r->ctx->restart;
  s->kind = "mc";
  s->fingerprint = r->fingerprint;
  s->command_line = r->ctx->command_line;
  return CET_OK;
}

/* ---- output ---- */

enum { MC_WORK_LEN = 128 };

static void print_header(const mc_run *r, FILE *out) {
  const cet_case *c = r->c;
  const cet_mc_spec *mc = r->mc;
  fprintf(out, "cetwin mc: case '%s'%s%s\n", c->name, c->description[0] ? " - " : "",
          c->description);
  uint64_t blocks = (mc->draws + mc->block - 1) / mc->block;
  uint64_t per_rank = (blocks + (uint64_t)r->ctx->size - 1) / (uint64_t)r->ctx->size;
  fprintf(out, "  %llu draws (indices %llu..%llu)\n", (unsigned long long)mc->draws,
          (unsigned long long)mc->first_draw, (unsigned long long)(mc->first_draw + mc->draws - 1));
  char work[MC_WORK_LEN];
  snprintf(work, sizeof work, "%llu blocks of %zu draws, up to %llu per rank",
           (unsigned long long)blocks, mc->block, (unsigned long long)per_rank);
  cet_drv_print_parallel(out, r->ctx->size, r->threads, work, (long long)c->seed);
  cet_drv_mc_print_uncertain(out, mc->uncertain, mc->n_uncertain);
  if (mc->stop_metric) {
    fprintf(out, "  stop when the relative standard error of %s <= %g (after %llu draws)\n",
            mc->stop_metric, mc->stop_rse, (unsigned long long)mc->min_draws);
  }
}

static int write_attrs(const mc_run *r, const cet_drv_mc_summary *s, cet_result *res) {
  const cet_mc_spec *mc = r->mc;
  const char *g = "/mc";
  CET_CALL(cet_result_attr_int(res, g, "draws_requested", (long long)s->draws_requested));
  CET_CALL(cet_result_attr_int(res, g, "draws", (long long)s->draws_done));
  CET_CALL(cet_result_attr_int(res, g, "first_draw", (long long)s->first_draw));
  CET_CALL(cet_result_attr_int(res, g, "block", (long long)mc->block));
  CET_CALL(cet_result_attr_int(res, g, "stopped", s->stopped));
  CET_CALL(cet_result_attr_string(res, g, "stop_metric", mc->stop_metric ? mc->stop_metric : ""));
  CET_CALL(cet_result_attr_double(res, g, "stop_rse", mc->stop_metric ? mc->stop_rse : NAN));
  CET_CALL(cet_result_attr_int(res, g, "quantiles", mc->quantiles));
  CET_CALL(cet_result_attr_int(res, g, "store_draws", mc->store_draws));
  CET_CALL(cet_result_attr_double(res, g, "pessimistic_quantile", mc->unfc.pessimistic_quantile));
  CET_CALL(cet_result_attr_double(res, g, "seconds", s->seconds));
  CET_CALL(cet_result_attr_double(res, g, "cpu_seconds", s->cpu_seconds));
  return CET_OK;
}

/* The labels of /mc/draws: the metrics' units, the parameters' paths and
 * units, and each drawn price value's units (those of its series' level,
 * prices.NAME.level); *np counts the price series labelled. */
static void draws_labels(const mc_run *r, const char **mu, const char **vn, const char **vu,
                         const char **pu, size_t *np) {
  size_t ns = cet_sampler_series_count(r->sampler), ny = cet_sampler_years(r->sampler);
  const cet_twin *t = r->c->twin;
  for (size_t k = 0; k < r->nm; k++) {
    mu[k] = cet_twin_metric_units(t, cet_sampler_metric(r->sampler, k));
  }
  for (size_t k = 0; k < r->nv; k++) {
    size_t slot = cet_sampler_parameter_slot(r->sampler, k);
    vn[k] = cet_twin_parameter_path(t, slot);
    vu[k] = cet_twin_parameter_units(t, slot);
  }
  size_t p = 0;
  for (size_t i = 0; i < r->mc->n_uncertain; i++) {
    const cet_uncertain *u = &r->mc->uncertain[i];
    for (size_t k = 0; k < u->n_prices && p < ns; k++, p++) {
      for (size_t y = 0; y < ny; y++) {
        pu[p * ny + y] = u->level[k] >= 0 ? cet_twin_parameter_units(t, (size_t)u->level[k]) : "1";
      }
    }
  }
  *np = p;
}

/* This rank's part of /mc/draws before the collective write: the points
 * it kept and the labels. */
static int draws_prepare(const mc_run *r, long long **index, const char **mu, const char **vn,
                         const char **vu, const char **pu, size_t *np) {
  CET_CALL(cet_drv_rows_points(r->run, index));
  CET_CHECK_ALLOCS(mu && vn && vu && pu);
  draws_labels(r, mu, vn, vu, pu, np);
  return CET_OK;
}

/* /mc/draws: the index, metrics, inputs and prices of every draw kept, by
 * every rank at once (rows_write.h). Collective. */
static int write_draws(const mc_run *r) {
  const cet_engine_run *run = r->run;
  long long *index = NULL;
  size_t ns = cet_sampler_series_count(r->sampler), ny = cet_sampler_years(r->sampler);
  const char **mu = calloc(r->nm + 1, sizeof *mu), **vn = calloc(r->nv + 1, sizeof *vn);
  const char **vu = calloc(r->nv + 1, sizeof *vu), **pu = calloc(ns * ny + 1, sizeof *pu);
  size_t p = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                cet_collective_status(draws_prepare(r, &index, mu, vn, vu, pu, &p), r->ctx->comm));
  cet_drv_mc_draws_units units = {(const char *const *)r->mc->metrics.name,
                                  mu,
                                  r->nm,
                                  vn,
                                  vu,
                                  r->nv,
                                  pu,
                                  p == ns ? ns * ny : 0};
  cet_dataset_meta meta[CET_DRV_MC_DRAWS_DATASETS];
  cet_drv_mc_draws_meta(&units, meta);
  cet_drv_rows_dataset d[CET_DRV_MC_DRAWS_DATASETS] = {
      {CET_DRV_MC_DRAWS[0], CET_RESULT_INT64, 1, {0}, index, meta[0]},
      {CET_DRV_MC_DRAWS[1],
       CET_RESULT_DOUBLE,
       2,
       {0, r->nm},
       cet_engine_local_values(run),
       meta[1]},
      {CET_DRV_MC_DRAWS[2],
       CET_RESULT_DOUBLE,
       2,
       {0, r->nv},
       cet_engine_local_extras(run, 0),
       meta[2]},
      {CET_DRV_MC_DRAWS[3],
       CET_RESULT_DOUBLE,
       3,
       {0, ns, ny},
       cet_engine_local_extras(run, 1),
       meta[3]}};
  CET_CALL_GOTO(status, cleanup, cet_drv_rows_write(r->ctx, run, d, CET_DRV_MC_DRAWS_DATASETS));
cleanup:
  free(index);
  free(mu);
  free(vn);
  free(vu);
  free(pu);
  return status;
}

/* ---- the driver ---- */

/* The summary of every metric over the draws kept (rank 0). */
static int summarize(const mc_run *r, cet_drv_mc_summary **out) {
  const cet_twin *t = r->c->twin;
  const char **units = calloc(r->nm + 1, sizeof *units);
  long long *share = calloc(r->nm + 1, sizeof *share);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, units && share);
  for (size_t k = 0; k < r->nm; k++) {
    size_t metric = cet_sampler_metric(r->sampler, k);
    units[k] = cet_twin_metric_units(t, metric);
    share[k] = cet_twin_metric_is_share(t, metric);
  }
  CET_CALL_GOTO(status, cleanup,
                cet_drv_mc_summary_create(r->nm, (const char *const *)r->mc->metrics.name, units,
                                          share, out));
  double q = r->mc->unfc.pessimistic_quantile;
  for (size_t k = 0; k < r->nm; k++) {
    CET_CALL_GOTO(status, cleanup,
                  cet_drv_mc_summary_set(*out, k, cet_engine_stats(r->run, k),
                                         cet_engine_undefined(r->run, k), q));
  }
cleanup:
  free(units);
  free(share);
  return status;
}

/* Everything after the draws (rank 0): summaries, UNFC, scenarios, file. */
static int report(mc_run *r, cet_drv_mc_summary *s) {
  cet_result *res = r->ctx->result;
  int writer = res != NULL;
  FILE *out = r->ctx->summary;
  s->draws_requested = r->mc->draws;
  s->draws_done = cet_engine_done(r->run);
  s->first_draw = r->mc->first_draw;
  s->stopped = cet_engine_stopped(r->run);
  s->seconds = cet_engine_seconds(r->run);
  s->cpu_seconds = cet_engine_cpu_seconds(r->run);
  s->passes = cet_engine_passes(r->run);
  size_t ns = r->mc->n_scenarios;
  double *npv = calloc(ns + 1, sizeof *npv), *cost = calloc(ns + 1, sizeof *cost);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, npv && cost);
  CET_CALL_GOTO(
      status, cleanup,
      cet_drv_mc_scenarios_report(r->c, out, r->ctx->verbose, writer ? res : NULL, npv, cost));
  if (out) {
    cet_drv_mc_summary_print_headline(s, out);
    cet_drv_mc_summary_print(s, out);
  }
  CET_CALL_GOTO(status, cleanup,
                cet_drv_mc_unfc_report(r->mc, s, npv, cost, out, writer ? res : NULL));
  if (writer) {
    CET_CALL_GOTO(status, cleanup, write_attrs(r, s, res));
    CET_CALL_GOTO(status, cleanup,
                  cet_drv_mc_write_variables(res, "/mc", r->mc->uncertain, r->mc->n_uncertain));
    CET_CALL_GOTO(status, cleanup, cet_drv_mc_summary_write(s, res));
  }
  CET_CALL_GOTO(status, cleanup,
                cet_drv_ar_report(r->c->twin, r->ctx->verbose ? out : NULL, writer ? res : NULL));
cleanup:
  free(npv);
  free(cost);
  if (out) {
    fflush(out);
  }
  return status;
}

/* Rank 0 after the draws: the summaries and the report. */
static int conclude(mc_run *r, cet_drv_mc_summary **s) {
  CET_CALL(summarize(r, s));
  CET_CALL(report(r, *s));
  return CET_OK;
}

int cet_driver_mc(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL && c->mc != NULL, CET_ERR_RUNTIME, "the case has no Monte Carlo");
  mc_run r = {.c = c, .mc = c->mc, .ctx = ctx};
  cet_drv_mc_summary *s = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_collective_status(run_setup(&r), ctx->comm));
  if (ctx->rank == 0) {
    print_header(&r, ctx->summary);
    fflush(ctx->summary);
  }
  CET_CALL_GOTO(status, cleanup,
                cet_engine_execute(&r.problem, &r.settings, ctx->comm, r.threads, &r.run));
  CET_CALL_GOTO(status, cleanup,
                cet_collective_status(ctx->rank == 0 ? conclude(&r, &s) : CET_OK, ctx->comm));
  if (c->mc->store_draws) {
    CET_CALL_GOTO(status, cleanup, write_draws(&r));
  }
cleanup:
  cet_drv_mc_summary_destroy(&s);
  run_free(&r);
  return status;
}
