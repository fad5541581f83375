/*
 * mc.c — the Monte Carlo driver (see drivers.h): draws are cut into blocks
 * of mc.block draws; block b goes to rank b mod P, and the ranks work
 * through the blocks in rounds of P; inside a rank the OpenMP threads share
 * a block's draws. Each draw's random numbers depend on the seed, the
 * variable and the draw index only (mc_sample.c), and every statistic is
 * an exact sum or an order statistic of the multiset of values, so the
 * results are the same bits on any number of ranks and threads.
 *
 * The optional stopping rule is tested at every block boundary in block
 * order, on the exact moments of the blocks so far: after each round the
 * ranks exchange their block's moments of the stop metric and all find the
 * same first boundary where the relative standard error reaches the target;
 * blocks computed beyond it are discarded. The decision is therefore the
 * one a single rank would take.
 */
#include "cetwin/drivers.h"

#include "mc_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/progress.h"
#include "cetwin/str.h"
#include "cetwin/timer.h"

#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

enum { MC_MESSAGE_LEN = 2048, MC_TEXT_LEN = 256 };

typedef struct {
  const cet_case *c;
  const cet_mc_spec *mc;
  const cet_run_context *ctx;
  mc_sampler *sampler;
  int threads;
  mc_thread **th;     /* [threads] */
  size_t nm, nv, npp; /* metrics, uncertain parameters, drawn price values per draw */
  cet_stats **cur;    /* [threads x nm] the current round's block */
  uint64_t *cur_undef;
  cet_stats **total; /* [nm] this rank's kept blocks */
  uint64_t *total_undef;
  double *buf_m, *buf_in, *buf_p; /* kept rows of this rank (store_draws) */
  size_t rows;                    /* rows kept */
  long stop_k;                    /* index of the stop metric, or -1 */
  cet_stats *running;             /* moments of the stop metric over the blocks so far */
  uint64_t n, first, b, nb;       /* draws, first draw, block size, blocks */
  uint64_t done;                  /* draws kept */
  long last_block;                /* last block kept */
  int stopped;
  /* the failure with the lowest draw index in this rank */
  uint64_t fail_draw;
  int fail_status;
  char fail_message[MC_MESSAGE_LEN];
} mc_run;

/* ---- setup and teardown ---- */

static void run_free(mc_run *r) {
  for (int t = 0; r->th && t < r->threads; t++) {
    mc_thread_destroy(&r->th[t]);
  }
  free(r->th);
  for (size_t i = 0; r->cur && i < (size_t)r->threads * r->nm; i++) {
    cet_stats_destroy(&r->cur[i]);
  }
  free(r->cur);
  free(r->cur_undef);
  for (size_t k = 0; r->total && k < r->nm; k++) {
    cet_stats_destroy(&r->total[k]);
  }
  free(r->total);
  free(r->total_undef);
  free(r->buf_m);
  free(r->buf_in);
  free(r->buf_p);
  cet_stats_destroy(&r->running);
  mc_sampler_destroy(&r->sampler);
}

/* Rows of the blocks this rank may keep: blocks rank, rank + P, ... */
static size_t rank_rows_max(const mc_run *r) {
  uint64_t P = (uint64_t)r->ctx->size, rank = (uint64_t)r->ctx->rank, rows = 0;
  for (uint64_t b = rank; b < r->nb; b += P) {
    uint64_t hi = (b + 1) * r->b < r->n ? (b + 1) * r->b : r->n;
    rows += hi - b * r->b;
  }
  return (size_t)rows;
}

/* The sampler of the case's uncertain variables, recording mc.metrics. */
static int sampler_create(const cet_case *c, mc_sampler **out) {
  const cet_mc_spec *mc = c->mc;
  size_t *metric = calloc(mc->metrics.n + 1, sizeof *metric);
  CET_CHECK_ALLOC(metric);
  int status = CET_OK;
  for (size_t k = 0; k < mc->metrics.n && status == CET_OK; k++) {
    long m = cet_twin_metric_find(c->twin, mc->metrics.name[k]);
    if (m < 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "no metric '%s'",
                     mc->metrics.name[k]);
      status = CET_ERR_INPUT;
    }
    metric[k] = (size_t)m;
  }
  if (status == CET_OK) {
    status = mc_sampler_create(c->twin, c->seed, mc->uncertain, mc->n_uncertain, metric,
                               mc->metrics.n, out);
  }
  free(metric);
  return status;
}

static int run_setup(mc_run *r) {
  const cet_mc_spec *mc = r->mc;
  CET_CALL(sampler_create(r->c, &r->sampler));
  r->nm = r->sampler->n_metrics;
  r->nv = r->sampler->n_vars;
  r->npp = r->sampler->n_drawn * r->sampler->ny;
  r->n = mc->draws;
  r->first = mc->first_draw;
  r->b = mc->block;
  r->nb = (r->n + r->b - 1) / r->b;
  r->last_block = -1;
  r->stop_k = mc->stop_metric ? cet_names_find(&mc->metrics, mc->stop_metric) : -1;
  r->threads = r->ctx->threads > 0 ? r->ctx->threads : 1;
  size_t tn = (size_t)r->threads * r->nm;
  r->th = calloc((size_t)r->threads, sizeof *r->th);
  r->cur = calloc(tn + 1, sizeof *r->cur);
  r->cur_undef = calloc(tn + 1, sizeof *r->cur_undef);
  r->total = calloc(r->nm + 1, sizeof *r->total);
  r->total_undef = calloc(r->nm + 1, sizeof *r->total_undef);
  CET_CHECK(r->th && r->cur && r->cur_undef && r->total && r->total_undef, CET_ERR_MEMORY,
            "out of memory");
  size_t rows = rank_rows_max(r);
  for (int t = 0; t < r->threads; t++) {
    CET_CALL(mc_thread_create(r->sampler, &r->th[t]));
    for (size_t k = 0; k < r->nm; k++) {
      CET_CALL(cet_stats_create(&r->cur[(size_t)t * r->nm + k], mc->quantiles, r->b));
    }
  }
  for (size_t k = 0; k < r->nm; k++) {
    CET_CALL(cet_stats_create(&r->total[k], mc->quantiles, mc->quantiles ? rows : 0));
  }
  if (r->stop_k >= 0) {
    CET_CALL(cet_stats_create(&r->running, 0, 0));
  }
  if (mc->store_draws) {
    r->buf_m = malloc((rows * r->nm + 1) * sizeof *r->buf_m);
    r->buf_in = malloc((rows * r->nv + 1) * sizeof *r->buf_in);
    r->buf_p = malloc((rows * r->npp + 1) * sizeof *r->buf_p);
    CET_CHECK(r->buf_m && r->buf_in && r->buf_p, CET_ERR_MEMORY,
              "out of memory for the stored draws (%zu rows on this rank)", rows);
  }
  return CET_OK;
}

/* ---- one round ---- */

static void record_failure(mc_run *r, uint64_t draw, int status) {
  char message[MC_MESSAGE_LEN];
  cet_error_format(message, sizeof message, 0);
  cet_error_clear();
#pragma omp critical(cet_mc_failure)
  {
    if (r->fail_status == CET_OK || draw < r->fail_draw) {
      r->fail_status = status;
      r->fail_draw = draw;
      snprintf(r->fail_message, sizeof r->fail_message, "%s", message);
    }
  }
}

/* Evaluates the draws [lo, hi) of the rank's current block: batches of
 * MC_BATCH draws shared out to the threads. */
static void compute_block(mc_run *r, uint64_t lo, uint64_t hi) {
  const cet_mc_spec *mc = r->mc;
  const long long batches = (long long)((hi - lo + MC_BATCH - 1) / MC_BATCH);
#pragma omp parallel for schedule(static) num_threads(r->threads)
  for (long long b = 0; b < batches; b++) {
    int t = omp_get_thread_num();
    uint64_t first = lo + (uint64_t)b * MC_BATCH;
    size_t count = (size_t)(hi - first < MC_BATCH ? hi - first : MC_BATCH);
    size_t row = r->rows + (size_t)(first - lo);
    double *m = mc->store_draws ? r->buf_m + row * r->nm : r->th[t]->rec;
    double *in = mc->store_draws ? r->buf_in + row * r->nv : NULL;
    double *pp = mc->store_draws ? r->buf_p + row * r->npp : NULL;
    uint64_t failed = 0;
    int status = mc_sample(r->sampler, r->th[t], r->first + first, count, m, in, pp, &failed);
    if (status != CET_OK) {
      record_failure(r, failed, status);
      continue;
    }
    for (size_t d = 0; d < count; d++) {
      for (size_t k = 0; k < r->nm; k++) {
        double x = m[d * r->nm + k];
        size_t j = (size_t)t * r->nm + k;
        if (!isfinite(x)) {
          r->cur_undef[j]++;
        } else if ((status = cet_stats_add(r->cur[j], x)) != CET_OK) {
          record_failure(r, r->first + first + d, status);
        }
      }
    }
  }
}

/* Moments of the stop metric in this rank's block of the round. */
static int block_moments(const mc_run *r, cet_stats_moments *out) {
  cet_stats_moments_init(out);
  for (int t = 0; t < r->threads; t++) {
    cet_stats_moments m;
    cet_stats_get_moments(r->cur[(size_t)t * r->nm + (size_t)r->stop_k], &m);
    cet_stats_moments_merge(out, &m);
  }
  return CET_OK;
}

/* The stopping rule over the round's blocks, in block order. Collective. */
static int decide_stop(mc_run *r, uint64_t round) {
  const int P = r->ctx->size;
  cet_stats_moments mine, *all = malloc((size_t)P * sizeof *all);
  CET_CHECK_ALLOC(all);
  block_moments(r, &mine);
  MPI_Allgather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, r->ctx->comm);
  int status = CET_OK;
  for (int j = 0; j < P && status == CET_OK; j++) {
    uint64_t b = round * (uint64_t)P + (uint64_t)j;
    if (b >= r->nb) {
      break;
    }
    status = cet_stats_add_moments(r->running, &all[j]);
    cet_stats_summary s;
    if (status == CET_OK) {
      status = cet_stats_summarize(r->running, &s);
    }
    uint64_t n = (b + 1) * r->b < r->n ? (b + 1) * r->b : r->n;
    if (status == CET_OK && n >= r->mc->min_draws && s.n > 1 && s.mean != 0.0 &&
        s.se_mean / fabs(s.mean) <= r->mc->stop_rse) {
      r->stopped = 1;
      r->last_block = (long)b;
      break;
    }
  }
  free(all);
  return status;
}

/* Keeps this rank's block of the round (or drops it after a stop). */
static int settle_round(mc_run *r, uint64_t b, uint64_t rows_in_block) {
  int keep = b < r->nb && (!r->stopped || (long)b <= r->last_block);
  for (size_t i = 0; i < (size_t)r->threads * r->nm; i++) {
    size_t k = i % r->nm;
    if (keep) {
      CET_CALL(cet_stats_merge(r->total[k], r->cur[i]));
      r->total_undef[k] += r->cur_undef[i];
    }
    cet_stats_reset(r->cur[i]);
    r->cur_undef[i] = 0;
  }
  if (keep) {
    r->rows += (size_t)rows_in_block;
  }
  return CET_OK;
}

static void progress_extra(const mc_run *r, char *buf, size_t len) {
  buf[0] = '\0';
  if (r->stop_k >= 0 && r->running) {
    cet_stats_summary s;
    if (cet_stats_summarize(r->running, &s) == CET_OK && s.n > 1) {
      snprintf(buf, len, "%s mean %.6g, rse %.2e", r->mc->stop_metric, s.mean,
               s.se_mean / fabs(s.mean));
    }
  }
}

/* Whether any rank has failed, agreed by all ranks: the failing rank's
 * message on every rank. Collective. */
static int agree_status(mc_run *r) {
  int status = r->fail_status;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "draw %llu: %s",
                   (unsigned long long)r->fail_draw, r->fail_message);
  }
  return cet_collective_status(status, r->ctx->comm);
}

/* Without a stopping rule the ranks need not wait for each other after each
 * round: a failure is announced with a non-blocking reduction that
 * completes during the next round, and every rank learns of it at the same
 * round (then they agree on the message). */
typedef struct {
  MPI_Request request;
  int mine, any;
} failure_watch;

static int watch_failures(mc_run *r, failure_watch *fw) {
  if (fw->request != MPI_REQUEST_NULL) {
    MPI_Wait(&fw->request, MPI_STATUS_IGNORE);
    if (fw->any) {
      CET_CALL(agree_status(r));
    }
  }
  fw->mine = r->fail_status != CET_OK;
  MPI_Iallreduce(&fw->mine, &fw->any, 1, MPI_INT, MPI_MAX, r->ctx->comm, &fw->request);
  return CET_OK;
}

static int run_rounds(mc_run *r) {
  const uint64_t P = (uint64_t)r->ctx->size, rank = (uint64_t)r->ctx->rank;
  cet_progress progress;
  cet_progress_begin(&progress, "mc draws", (double)r->n);
  failure_watch fw = {MPI_REQUEST_NULL, 0, 0};
  for (uint64_t round = 0; round * P < r->nb; round++) {
    uint64_t b = round * P + rank, lo = b * r->b, hi = lo;
    if (b < r->nb) {
      hi = lo + r->b < r->n ? lo + r->b : r->n;
      compute_block(r, lo, hi);
    }
    if (r->stop_k >= 0) {
      CET_CALL(agree_status(r));
      CET_CALL(decide_stop(r, round));
    } else {
      CET_CALL(watch_failures(r, &fw));
    }
    CET_CALL(settle_round(r, b, hi - lo));
    uint64_t end_block = r->stopped ? (uint64_t)r->last_block + 1 : (round + 1) * P;
    r->done = end_block * r->b < r->n ? end_block * r->b : r->n;
    char extra[MC_TEXT_LEN];
    progress_extra(r, extra, sizeof extra);
    cet_progress_update(&progress, (double)r->done, extra);
    if (r->stopped) {
      break;
    }
  }
  if (fw.request != MPI_REQUEST_NULL) {
    MPI_Wait(&fw.request, MPI_STATUS_IGNORE);
  }
  CET_CALL(agree_status(r));
  if (!r->stopped) {
    r->last_block = (long)r->nb - 1;
  }
  cet_progress_end(&progress, (double)r->done);
  return CET_OK;
}

/* ---- reduction ---- */

/* What a rank sends its parent in the reduction tree. */
typedef struct {
  int status;          /* CET_OK, or the sender failed (it reports why) */
  int count;           /* values that follow when the parent can take them */
  cet_stats_moments m; /* their moments */
} tree_header;

/* Merges the values of every rank into rank 0's accumulator acc along a
 * binomial tree: each rank sorts its own values (all at once), then rank
 * r + step sends them to rank r, which merges the two sorted runs, for
 * step = 1, 2, 4, ... Rank 0 does about 2 n work instead of sorting all n
 * values itself; the result is the one sorted multiset. A parent that cannot
 * hold the values says so before they are sent. Collective. */
static int tree_merge(MPI_Comm comm, int P, int rank, cet_stats *acc) {
  int local = cet_stats_sort(acc);
  double *in = NULL;
  for (int step = 1; step < P; step *= 2) {
    if (rank % (2 * step) == step) { /* send to the parent and leave */
      size_t n = cet_stats_count(acc);
      tree_header h = {local, 0, {0}};
      cet_stats_get_moments(acc, &h.m);
      if (h.status == CET_OK && n > INT_MAX) {
        cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__,
                       "more than %d values of a metric on ranks %d..%d; run with more ranks or "
                       "with mc.quantiles: false",
                       INT_MAX, rank, rank + step - 1);
        h.status = local = CET_ERR_RUNTIME;
      }
      h.count = h.status == CET_OK ? (int)n : 0;
      int ready = 0;
      MPI_Send(&h, (int)sizeof h, MPI_BYTE, rank - step, 0, comm);
      MPI_Recv(&ready, 1, MPI_INT, rank - step, 1, comm, MPI_STATUS_IGNORE);
      if (ready) {
        MPI_Send(cet_stats_values(acc), h.count, MPI_DOUBLE, rank - step, 2, comm);
      }
      break;
    }
    if (rank + step < P) { /* receive from the child and merge */
      tree_header h;
      MPI_Recv(&h, (int)sizeof h, MPI_BYTE, rank + step, 0, comm, MPI_STATUS_IGNORE);
      double *grown = realloc(in, ((size_t)h.count + 1) * sizeof *in);
      in = grown ? grown : in;
      if (!grown && local == CET_OK) {
        cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
        local = CET_ERR_MEMORY;
      }
      int ready = grown != NULL;
      MPI_Send(&ready, 1, MPI_INT, rank + step, 1, comm);
      if (ready) {
        MPI_Recv(in, h.count, MPI_DOUBLE, rank + step, 2, comm, MPI_STATUS_IGNORE);
      }
      if (local == CET_OK && h.status == CET_OK) {
        local = cet_stats_merge_sorted(acc, in, (size_t)h.count, &h.m);
      }
    }
  }
  free(in);
  return local;
}

/* Rank 0 gets every metric's accumulator over all ranks. Collective. */
static int reduce(mc_run *r, mc_summary *s, double q) {
  MPI_Comm comm = r->ctx->comm;
  const int P = r->ctx->size, rank = r->ctx->rank;
  int status = CET_OK;
  for (size_t k = 0; k < r->nm && status == CET_OK; k++) {
    unsigned long long undef = 0, mine_undef = r->total_undef[k];
    MPI_Reduce(&mine_undef, &undef, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, comm);
    cet_stats *all = NULL, *owned = NULL;
    int local = CET_OK;
    if (r->mc->quantiles) {
      local = tree_merge(comm, P, rank, r->total[k]);
      all = r->total[k];
    } else {
      local = rank == 0 ? cet_stats_create(&owned, 0, 0) : CET_OK;
      all = owned;
      if (local == CET_OK && rank == 0) {
        local = cet_stats_merge(all, r->total[k]);
      }
      cet_stats_moments mine, *moments = rank == 0 ? malloc((size_t)P * sizeof *moments) : NULL;
      cet_stats_get_moments(r->total[k], &mine);
      MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, moments, (int)sizeof mine, MPI_BYTE, 0, comm);
      for (int j = 1; rank == 0 && local == CET_OK && j < P; j++) {
        local = moments ? cet_stats_add_moments(all, &moments[j]) : CET_ERR_MEMORY;
      }
      free(moments);
    }
    if (rank == 0 && local == CET_OK) {
      local = mc_summary_set(s, k, all, undef, q);
    }
    if (local == CET_ERR_MEMORY && cet_error_code() == CET_OK) {
      cet_error_push(local, __FILE__, __LINE__, __func__, "out of memory");
    }
    cet_stats_destroy(&owned);
    status = cet_collective_status(local, comm);
  }
  return status;
}

/* ---- output ---- */

static void print_header(const mc_run *r, FILE *out) {
  const cet_case *c = r->c;
  const cet_mc_spec *mc = r->mc;
  fprintf(out, "cetwin mc: case '%s'%s%s\n", c->name, c->description[0] ? " - " : "",
          c->description);
  fprintf(out,
          "  %llu draws (indices %llu..%llu) in blocks of %zu, seed %llu, %d ranks x %d "
          "threads\n",
          (unsigned long long)mc->draws, (unsigned long long)mc->first_draw,
          (unsigned long long)(mc->first_draw + mc->draws - 1), mc->block,
          (unsigned long long)c->seed, r->ctx->size, r->threads);
  mc_print_uncertain(out, mc->uncertain, mc->n_uncertain);
  if (mc->stop_metric) {
    fprintf(out, "  stop when the relative standard error of %s <= %g (after %llu draws)\n",
            mc->stop_metric, mc->stop_rse, (unsigned long long)mc->min_draws);
  }
}

static int write_attrs(const mc_run *r, const mc_summary *s, cet_result *res) {
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

/* The rows of the kept blocks of this rank: blocks rank, rank + P, ... */
static cet_result_rows rank_rows(const mc_run *r) {
  const uint64_t P = (uint64_t)r->ctx->size, rank = (uint64_t)r->ctx->rank, B = r->b;
  cet_result_rows rows = {.first = rank * B, .stride = P * B, .block = B};
  for (uint64_t b = rank; (long)b <= r->last_block; b += P) {
    if ((b + 1) * B <= r->done) {
      rows.count++;
    } else if (b * B < r->done) {
      rows.tail_first = b * B;
      rows.tail_rows = r->done - b * B;
    }
  }
  return rows;
}

/* The shapes of the /mc/draws datasets (MC_DRAWS order): rank, dims. */
typedef struct {
  size_t rank[MC_DRAWS_DATASETS], dims[MC_DRAWS_DATASETS][3];
} draws_shape;

static draws_shape draws_shapes(const mc_run *r) {
  size_t n = (size_t)r->done;
  draws_shape s = {.rank = {1, 2, 2, 3},
                   .dims = {{n}, {n, r->nm}, {n, r->nv}, {n, r->sampler->n_drawn, r->sampler->ny}}};
  return s;
}

/* /mc/draws: one hyperslab selection per rank, one collective write per
 * dataset; the ranks agree on success after each. */
static int write_draws_rows(const mc_run *r, cet_result *res) {
  const uint64_t P = (uint64_t)r->ctx->size, rank = (uint64_t)r->ctx->rank, B = r->b;
  cet_result_rows rows = rank_rows(r);
  long long *index = malloc((r->rows + 1) * sizeof *index);
  CET_CHECK_ALLOC(index);
  size_t i = 0;
  for (uint64_t b = rank; (long)b <= r->last_block; b += P) {
    for (uint64_t d = b * B; d < (b + 1) * B && d < r->done; d++) {
      index[i++] = (long long)(r->first + d);
    }
  }
  cet_dataset_meta meta[MC_DRAWS_DATASETS];
  mc_draws_meta((const char *const *)r->mc->metrics.name, r->nm, meta);
  draws_shape s = draws_shapes(r);
  int status = cet_result_write_rows(res, MC_DRAWS[0], CET_RESULT_INT64, 1, s.dims[0], &rows, index,
                                     &meta[0]);
  free(index);
  CET_CALL(cet_collective_status(status, r->ctx->comm));
  const double *data[] = {r->buf_m, r->buf_in, r->buf_p};
  for (size_t k = 1; k < MC_DRAWS_DATASETS; k++) {
    status = cet_result_write_rows(res, MC_DRAWS[k], CET_RESULT_DOUBLE, s.rank[k], s.dims[k], &rows,
                                   data[k - 1], &meta[k]);
    CET_CALL(cet_collective_status(status, r->ctx->comm));
  }
  return CET_OK;
}

/* Rank 0: the datasets of /mc/draws with their space taken, before the
 * file is shared (a full disk then fails on rank 0 alone). */
static int reserve_draws(const mc_run *r, cet_result *root) {
  draws_shape s = draws_shapes(r);
  for (size_t k = 0; k < MC_DRAWS_DATASETS; k++) {
    CET_CALL(cet_result_reserve_rows(root, MC_DRAWS[k], k ? CET_RESULT_DOUBLE : CET_RESULT_INT64,
                                     s.rank[k], s.dims[k], (size_t)r->b));
  }
  return CET_OK;
}

/* On one rank, rank 0 writes the draws into its file; on several, rank 0
 * shares the file for the collective writes, then describes the datasets
 * (variable-length attributes cannot go through MPI-IO). Collective. */
static int write_draws(const mc_run *r, cet_result *root) {
  if (r->ctx->size == 1) {
    return root ? write_draws_rows(r, root) : CET_OK;
  }
  int status = r->ctx->rank == 0 ? reserve_draws(r, root) : CET_OK;
  CET_CALL(cet_collective_status(status, r->ctx->comm));
  cet_result *shared = NULL;
  CET_CALL(cet_result_share(root, r->ctx->comm, &shared));
  status = write_draws_rows(r, shared);
  int back = cet_result_unshare(&shared, root);
  status = status != CET_OK ? status : back;
  cet_dataset_meta meta[MC_DRAWS_DATASETS];
  mc_draws_meta((const char *const *)r->mc->metrics.name, r->nm, meta);
  for (size_t k = 0; status == CET_OK && r->ctx->rank == 0 && k < MC_DRAWS_DATASETS; k++) {
    status = cet_result_describe(root, MC_DRAWS[k], &meta[k]);
  }
  return cet_collective_status(status, r->ctx->comm);
}

/* ---- the driver ---- */

static int summary_for(const mc_run *r, mc_summary **out) {
  const cet_twin *t = r->c->twin;
  const char **units = calloc(r->nm + 1, sizeof *units);
  CET_CHECK_ALLOC(units);
  for (size_t k = 0; k < r->nm; k++) {
    units[k] = cet_twin_metric_units(t, r->sampler->metric[k]);
  }
  int status = mc_summary_alloc(r->nm, (const char *const *)r->mc->metrics.name, units, out);
  free(units);
  return status;
}

/* Everything after the draws: summaries, UNFC, scenarios, file. */
static int report(mc_run *r, mc_summary *s, double seconds, double cpu_seconds) {
  const cet_run_context *ctx = r->ctx;
  if (ctx->rank != 0) {
    return CET_OK;
  }
  cet_result *res = ctx->result;
  int writer = res != NULL;
  FILE *out = ctx->summary;
  s->draws_requested = r->n;
  s->draws_done = r->done;
  s->first_draw = r->first;
  s->stopped = r->stopped;
  s->seconds = seconds;
  s->cpu_seconds = cpu_seconds;
  size_t ns = r->mc->n_scenarios;
  double *npv = calloc(ns + 1, sizeof *npv), *cost = calloc(ns + 1, sizeof *cost);
  CET_CHECK(npv && cost, CET_ERR_MEMORY, "out of memory");
  int status = mc_scenarios_report(r->c, out, writer ? res : NULL, npv, cost);
  if (status == CET_OK && out) {
    fprintf(out,
            "\nMonte Carlo summary: %llu draws%s, %.3g s (%.4g draws/s; %.3g CPU s, %.4g draws/s "
            "per core)\n",
            (unsigned long long)s->draws_done, s->stopped ? " (stopping rule met)" : "", s->seconds,
            s->seconds > 0 ? (double)s->draws_done / s->seconds : NAN, s->cpu_seconds,
            s->cpu_seconds > 0 ? (double)s->draws_done / s->cpu_seconds : NAN);
    mc_summary_print(s, out);
  }
  if (status == CET_OK) {
    status = mc_unfc_report(r->mc, s, npv, cost, out, writer ? res : NULL);
  }
  free(npv);
  free(cost);
  if (status == CET_OK && writer) {
    status = write_attrs(r, s, res);
  }
  if (status == CET_OK && writer) {
    status = mc_write_variables(res, "/mc", r->mc->uncertain, r->mc->n_uncertain);
  }
  if (status == CET_OK && writer) {
    status = mc_summary_write(s, res);
  }
  if (out) {
    fflush(out);
  }
  return status;
}

int cet_driver_mc(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL && c->mc != NULL, CET_ERR_RUNTIME, "the case has no Monte Carlo");
  mc_run r = {.c = c, .mc = c->mc, .ctx = ctx};
  mc_summary *s = NULL;
  int status = run_setup(&r);
  status = cet_collective_status(status, ctx->comm);
  if (status == CET_OK && ctx->rank == 0) {
    print_header(&r, ctx->summary);
    fflush(ctx->summary);
  }
  double start = cet_timer_now(), cpu_start = cet_timer_cpu();
  if (status == CET_OK) {
    status = run_rounds(&r);
  }
  if (status == CET_OK) {
    status = summary_for(&r, &s);
    status = cet_collective_status(status, ctx->comm);
  }
  if (status == CET_OK) {
    status = reduce(&r, s, c->mc->unfc.pessimistic_quantile);
  }
  double seconds = cet_timer_now() - start, cpu = cet_timer_cpu() - cpu_start, cpu_all = 0.0;
  MPI_Reduce(&cpu, &cpu_all, 1, MPI_DOUBLE, MPI_SUM, 0, ctx->comm);
  if (status == CET_OK) {
    status = report(&r, s, seconds, cpu_all);
    status = cet_collective_status(status, ctx->comm);
  }
  if (status == CET_OK && c->mc->store_draws) {
    status = write_draws(&r, ctx->result);
  }
  mc_summary_free(&s);
  run_free(&r);
  return status;
}
