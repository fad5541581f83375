/*
 * engine.c — the sampling engine's run (engine.h): blocks of points over
 * the ranks in rounds, a block's batches over the threads, the per-value
 * accumulators of each round settled into the rank's totals, the stopping
 * rule in block order, failure agreement, progress, the selection passes
 * of the order statistics, and the reduction of the totals to rank 0
 * (engine_reduce.c).
 *
 * A selection pass (select.h) goes through the same blocks on the same
 * ranks as the first pass, up to the last block kept, and feeds each
 * block's values to the selection's accumulators only: the moments, the
 * problem's accumulator and the rows come from the first pass. With
 * keep_rows it reads the rows kept instead of evaluating the points again.
 *
 * The stopping rule is tested at every block boundary in block order, on
 * the exact moments of the blocks so far: after each round the ranks
 * exchange their block's moments of the stop value and all find the same
 * first boundary where the relative standard error reaches the target;
 * blocks computed beyond it are discarded. Without a stopping rule the
 * ranks need not wait for each other after a round: a failure is announced
 * with a non-blocking reduction that completes during the next round.
 */
#include "engine_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/progress.h"
#include "cetwin/signals.h"
#include "cetwin/timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ENGINE_TEXT_LEN = 256 };

cet_engine_settings cet_engine_default_settings(uint64_t first, uint64_t count) {
  cet_engine_settings s = {.first = first,
                           .count = count,
                           .block = CET_ENGINE_DEFAULT_BLOCK,
                           .statistics = 1,
                           .stop_value = -1,
                           .point = "point",
                           .label = "points"};
  return s;
}

/* ---- setup and teardown ---- */

void cet_engine_run_destroy(cet_engine_run **rp) {
  if (!rp || !*rp) {
    return;
  }
  cet_engine_run *r = *rp;
  cet_engine_team_destroy(&r->team);
  for (size_t i = 0; r->cur && i < (size_t)r->threads * r->nv; i++) {
    cet_stats_destroy(&r->cur[i]);
  }
  free(r->cur);
  free(r->cur_undef);
  for (size_t k = 0; r->total && k < r->nv; k++) {
    cet_stats_destroy(&r->total[k]);
    cet_select_destroy(r->sel ? &r->sel[k] : NULL);
    cet_select_acc_destroy(r->sel_acc ? &r->sel_acc[k] : NULL);
  }
  free(r->total);
  free(r->sel);
  free(r->sel_acc);
  free(r->total_undef);
  free(r->undefined);
  free(r->scratch);
  free(r->block_values);
  if (r->acc) {
    r->p->acc_destroy(&r->acc);
  }
  free(r->row_values);
  for (size_t i = 0; i < CET_ENGINE_EXTRAS; i++) {
    free(r->row_extras[i]);
  }
  free(r->row_points);
  cet_stats_destroy(&r->running);
  free(r);
  *rp = NULL;
}

/* Rows of the blocks this rank may keep: blocks rank, rank + P, ... */
static size_t rank_rows_max(const cet_engine_run *r) {
  uint64_t P = (uint64_t)r->size, rank = (uint64_t)r->rank, rows = 0, B = r->s.block;
  for (uint64_t b = rank; b < r->nb; b += P) {
    uint64_t hi = (b + 1) * B < r->s.count ? (b + 1) * B : r->s.count;
    rows += hi - b * B;
  }
  return (size_t)rows;
}

static int check_settings(const cet_engine_problem *p, const cet_engine_settings *s, int threads) {
  CET_CHECK(p->batch >= 1 && p->n_values >= 1 && threads >= 1, CET_ERR_RUNTIME,
            "the engine needs a batch, values and threads, found %zu, %zu and %d", p->batch,
            p->n_values, threads);
  CET_CHECK(s->count >= 1 && s->block >= 1, CET_ERR_INPUT,
            "a plan needs points and blocks of at least one point, found %llu points in blocks "
            "of %llu",
            (unsigned long long)s->count, (unsigned long long)s->block);
  CET_CHECK(s->first <= UINT64_MAX - s->count, CET_ERR_INPUT,
            "points %llu .. %llu + %llu lie beyond the largest index", (unsigned long long)s->first,
            (unsigned long long)s->first, (unsigned long long)s->count);
  CET_CHECK(p->n_extras <= CET_ENGINE_EXTRAS, CET_ERR_RUNTIME,
            "%zu arrays of extra data per point; at most %d", p->n_extras, CET_ENGINE_EXTRAS);
  CET_CHECK(s->stop_value < (long)p->n_values, CET_ERR_RUNTIME,
            "the stopping rule names value %ld of %zu", s->stop_value, p->n_values);
  CET_CHECK((s->stop_value < 0 && !s->quantiles) || s->statistics, CET_ERR_RUNTIME,
            "a stopping rule and quantiles need the values' statistics");
  CET_CHECK(!p->acc_create ||
                (p->acc_destroy && p->acc_add_block && p->acc_pack && p->acc_merge_bytes),
            CET_ERR_RUNTIME, "an accumulator needs its destroy, add_block, pack and merge_bytes");
  return CET_OK;
}

static int run_setup(cet_engine_run *r) {
  const cet_engine_problem *p = r->p;
  const cet_engine_settings *s = &r->s;
  CET_CALL(check_settings(p, s, r->threads));
  r->nv = p->n_values;
  r->nb = (s->count + s->block - 1) / s->block;
  r->last_block = -1;
  r->pass = 1;
  r->pass_blocks = r->nb;
  CET_CALL(cet_engine_team_create(p, r->threads, &r->team));
  size_t tn = (size_t)r->threads * r->nv;
  r->cur = calloc(tn + 1, sizeof *r->cur);
  r->cur_undef = calloc(tn + 1, sizeof *r->cur_undef);
  r->total = calloc(r->nv + 1, sizeof *r->total);
  r->total_undef = calloc(r->nv + 1, sizeof *r->total_undef);
  r->undefined = calloc(r->nv + 1, sizeof *r->undefined);
  r->scratch = malloc(((size_t)r->threads * p->batch * r->nv + 1) * sizeof *r->scratch);
  CET_CHECK_ALLOCS(r->cur && r->cur_undef && r->total && r->total_undef && r->undefined &&
                   r->scratch);
  size_t rows = rank_rows_max(r);
  r->rows_cap = rows;
  for (size_t i = 0; i < tn; i++) {
    CET_CALL(cet_stats_create(&r->cur[i], s->quantiles, s->block));
  }
  for (size_t k = 0; k < r->nv; k++) {
    CET_CALL(cet_stats_create(&r->total[k], 0, 0));
  }
  if (s->quantiles) {
    cet_select_parameters par = cet_select_default_parameters();
    par.buffer = s->quantile_buffer > 0 ? s->quantile_buffer : par.buffer;
    r->sel = calloc(r->nv + 1, sizeof *r->sel);
    r->sel_acc = calloc(r->nv + 1, sizeof *r->sel_acc);
    CET_CHECK_ALLOCS(r->sel && r->sel_acc);
    for (size_t k = 0; k < r->nv; k++) {
      CET_CALL(cet_select_create(&par, s->probabilities, s->n_probabilities, &r->sel[k]));
      CET_CALL(cet_select_acc_create(r->sel[k], &r->sel_acc[k]));
    }
  }
  if (s->stop_value >= 0) {
    CET_CALL(cet_stats_create(&r->running, 0, 0));
  }
  if (p->acc_create) {
    CET_CALL(p->acc_create(p->model, &r->acc));
    if (!s->keep_rows) {
      r->block_values = malloc((s->block * r->nv + 1) * sizeof *r->block_values);
      CET_CHECK(r->block_values, CET_ERR_MEMORY, "out of memory in %s for a block of %llu %ss",
                __func__, (unsigned long long)s->block, s->point);
    }
  }
  if (s->keep_rows) {
    r->row_values = malloc((rows * r->nv + 1) * sizeof *r->row_values);
    r->row_points = malloc((rows + 1) * sizeof *r->row_points);
    int ok = r->row_values && r->row_points;
    for (size_t i = 0; i < p->n_extras; i++) {
      r->row_extras[i] = malloc((rows * p->extra_width[i] + 1) * sizeof *r->row_extras[i]);
      ok = ok && r->row_extras[i];
    }
    CET_CHECK(ok, CET_ERR_MEMORY, "out of memory in %s for the %ss kept (%zu rows on this rank)",
              __func__, s->point, rows);
  }
  return CET_OK;
}

/* ---- one round ---- */

/* Turns the error just raised by point `point` into "POINT N: message". */
static int point_failure(const cet_engine_run *r, uint64_t point, int status) {
  char message[ENGINE_MESSAGE_LEN];
  cet_error_format(message, sizeof message, 0);
  cet_error_clear();
  cet_error_push(status, __FILE__, __LINE__, __func__, "%s %llu: %s", r->s.point,
                 (unsigned long long)point, message);
  return status;
}

/* Batch i of the current block on thread t: evaluated, its values added to
 * the thread's accumulators of the round (and kept with the rows). */
static int block_task(void *arg, void *ws, int t, size_t i) {
  cet_engine_run *r = arg;
  const cet_engine_problem *p = r->p;
  uint64_t first = r->block_lo + (uint64_t)i * p->batch;
  size_t count = (size_t)(r->block_hi - first < p->batch ? r->block_hi - first : p->batch);
  size_t row = r->rows + (size_t)(first - r->block_lo);
  double *v = r->s.keep_rows    ? r->row_values + row * r->nv
              : r->block_values ? r->block_values + (size_t)(first - r->block_lo) * r->nv
                                : r->scratch + (size_t)t * p->batch * r->nv;
  double *extras[CET_ENGINE_EXTRAS] = {NULL};
  for (size_t x = 0; r->s.keep_rows && x < p->n_extras; x++) {
    extras[x] = r->row_extras[x] + row * p->extra_width[x];
  }
  uint64_t failed = 0; /* extras only when there are some to keep (a kept row may have none) */
  int status = p->evaluate(p->model, ws, r->s.first + first, count, v,
                           r->s.keep_rows && p->n_extras > 0 ? extras : NULL, &failed);
  if (status != CET_OK) {
    return point_failure(r, failed, status);
  }
  for (size_t d = 0; d < count; d++) {
    for (size_t k = 0; r->s.statistics && k < r->nv; k++) {
      double x = v[d * r->nv + k];
      size_t j = (size_t)t * r->nv + k;
      if (!isfinite(x)) {
        r->cur_undef[j]++;
      } else if ((status = cet_stats_add(r->cur[j], x)) != CET_OK) {
        return point_failure(r, r->s.first + first + d, status);
      }
    }
    if (r->s.keep_rows) {
      r->row_points[row + d] = r->s.first + first + d;
    }
  }
  return CET_OK;
}

/* Keeps the first failure of this rank (status, and the error just raised)
 * for the agreement of the ranks. */
static void keep_failure(cet_engine_run *r, int status) {
  if (status != CET_OK && r->fail_status == CET_OK) {
    r->fail_status = status;
    cet_error_format(r->fail_message, sizeof r->fail_message, 0);
  }
  cet_error_clear();
}

/* Evaluates the points [lo, hi) (relative to the plan's first) of the
 * rank's block of the round; a failure is kept for the agreement. */
static void compute_block(cet_engine_run *r, uint64_t lo, uint64_t hi) {
  r->block_lo = lo;
  r->block_hi = hi;
  size_t tasks = (size_t)((hi - lo + r->p->batch - 1) / r->p->batch), failed = 0;
  keep_failure(r, cet_engine_team_for(r->team, r->threads, 0, tasks, block_task, r, &failed));
}

/* Moments of the stop value in this rank's block of the round. */
static void block_moments(const cet_engine_run *r, cet_stats_moments *out) {
  cet_stats_moments_init(out);
  for (int t = 0; t < r->threads; t++) {
    cet_stats_moments m;
    cet_stats_get_moments(r->cur[(size_t)t * r->nv + (size_t)r->s.stop_value], &m);
    cet_stats_moments_merge(out, &m);
  }
}

/* The stopping rule over the round's blocks, in block order. Collective. */
static int decide_stop(cet_engine_run *r, uint64_t round) {
  const int P = r->size;
  cet_stats_moments mine, *all = malloc((size_t)P * sizeof *all);
  CET_CHECK_ALLOC(all);
  block_moments(r, &mine);
  MPI_Allgather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, r->comm);
  int status = CET_OK;
  for (int j = 0; j < P; j++) {
    uint64_t b = round * (uint64_t)P + (uint64_t)j;
    if (b >= r->nb) {
      break;
    }
    CET_CALL_GOTO(status, done, cet_stats_add_moments(r->running, &all[j]));
    cet_stats_summary s;
    CET_CALL_GOTO(status, done, cet_stats_summarize(r->running, &s));
    uint64_t n = (b + 1) * r->s.block < r->s.count ? (b + 1) * r->s.block : r->s.count;
    if (n >= r->s.min_points && s.n > 1 && s.mean != 0.0 &&
        s.se_mean / fabs(s.mean) <= r->s.stop_rse) {
      r->stopped = 1;
      r->last_block = (long)b;
      break;
    }
  }
done:
  free(all);
  return status;
}

/* Keeps this rank's block of the round (or drops it after a stop, or when
 * this rank has failed: the run ends at the next agreement). */
static int settle_round(cet_engine_run *r, uint64_t b, uint64_t rows_in_block) {
  int keep =
      b < r->pass_blocks && (!r->stopped || (long)b <= r->last_block) && r->fail_status == CET_OK;
  if (r->pass > 1) { /* a selection pass: the values to the selections only */
    for (size_t i = 0; i < (size_t)r->threads * r->nv; i++) {
      size_t k = i % r->nv;
      if (keep) {
        CET_CALL(cet_select_acc_add(r->sel_acc[k], cet_stats_values(r->cur[i]),
                                    cet_stats_count(r->cur[i]), 1));
      }
      cet_stats_reset(r->cur[i]);
      r->cur_undef[i] = 0;
    }
    return CET_OK;
  }
  if (keep && r->acc) {
    const double *values = r->s.keep_rows ? r->row_values + r->rows * r->nv : r->block_values;
    CET_CALL(r->p->acc_add_block(r->p->model, r->acc, b, r->s.first + b * r->s.block,
                                 (size_t)rows_in_block, values));
  }
  for (size_t i = 0; i < (size_t)r->threads * r->nv; i++) {
    size_t k = i % r->nv;
    if (keep && r->sel) {
      cet_stats_moments m;
      cet_stats_get_moments(r->cur[i], &m);
      CET_CALL(cet_stats_add_moments(r->total[k], &m));
      CET_CALL(cet_select_acc_add(r->sel_acc[k], cet_stats_values(r->cur[i]),
                                  cet_stats_count(r->cur[i]), 1));
    } else if (keep) {
      CET_CALL(cet_stats_merge(r->total[k], r->cur[i]));
    }
    if (keep) {
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

static void progress_extra(const cet_engine_run *r, char *buf, size_t len) {
  buf[0] = '\0';
  if (r->s.stop_value >= 0 && r->running) {
    cet_stats_summary s;
    if (cet_stats_summarize(r->running, &s) == CET_OK && s.n > 1) {
      snprintf(buf, len, "%s mean %.6g, rse %.2e",
               r->s.value_names ? r->s.value_names[r->s.stop_value] : "value", s.mean,
               s.se_mean / fabs(s.mean));
    }
  }
}

/* Whether any rank has failed, agreed by all ranks: the failing rank's
 * message on every rank. Collective. */
static int agree_status(cet_engine_run *r) {
  int status = r->fail_status;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "%s", r->fail_message);
  }
  return cet_collective_status(status, r->comm);
}

/* What the ranks tell each other after every round without waiting for
 * one another: whether one has failed, and the highest signal (SIGTERM,
 * SIGUSR1) one has received. The reduction completes during the next
 * round, so every rank learns of either at the same round. */
typedef struct {
  MPI_Request request;
  int mine[2], any[2];
} round_watch;

/* Posts this round's news and reads the previous round's: a failure ends
 * the run on every rank (agreed, with the failing rank's message); *signal
 * is the signal some rank had received by then (0: none). */
static int watch_round(cet_engine_run *r, round_watch *w, int *signal) {
  *signal = 0;
  if (w->request != MPI_REQUEST_NULL) {
    MPI_Wait(&w->request, MPI_STATUS_IGNORE);
    if (w->any[0]) {
      CET_CALL(agree_status(r));
    }
    *signal = w->any[1];
  }
  w->mine[0] = r->fail_status != CET_OK;
  w->mine[1] = r->s.checkpoint ? cet_signals_pending() : 0;
  MPI_Iallreduce(w->mine, w->any, 2, MPI_INT, MPI_MAX, r->comm, &w->request);
  return CET_OK;
}

/* After the round that ends at block end_block (exclusive): a checkpoint
 * when one is due every checkpoint_blocks blocks or a signal arrived; after
 * a signal the run stops (CET_ERR_INTERRUPTED, on every rank). Collective. */
static int maybe_checkpoint(cet_engine_run *r, uint64_t round, uint64_t end_block, int signal) {
  uint64_t every = r->s.checkpoint_blocks, P = (uint64_t)r->size;
  int due = every > 0 && end_block / every > (end_block - P) / every;
  if (!r->s.checkpoint || (r->stopped && r->pass == 1) || end_block >= r->pass_blocks ||
      (!due && !signal)) {
    return CET_OK;
  }
  CET_CALL(agree_status(r));
  CET_CALL(cet_engine_checkpoint_save(r, round + 1));
  uint64_t points = end_block * r->s.block < r->done ? end_block * r->s.block : r->done;
  char pass[ENGINE_TEXT_LEN] = "";
  if (r->pass > 1) {
    snprintf(pass, sizeof pass, " of selection pass %d", r->pass);
  }
  if (!signal) {
    cet_log_info("%s: checkpoint after %llu %ss%s written to %s", r->s.label,
                 (unsigned long long)points, r->s.point, pass, r->s.checkpoint);
    return CET_OK;
  }
  CET_CHECK(0, CET_ERR_INTERRUPTED,
            "interrupted by %s after %llu %ss%s; checkpoint written to %s: to continue, run the "
            "same command with --restart %s",
            cet_signals_name(signal), (unsigned long long)points, r->s.point, pass, r->s.checkpoint,
            r->s.checkpoint);
}

/* The rounds of the current pass from first_round: the first pass over
 * the plan, or a selection pass over the blocks kept. */
static int run_rounds(cet_engine_run *r, uint64_t first_round) {
  const uint64_t P = (uint64_t)r->size, rank = (uint64_t)r->rank, B = r->s.block;
  const uint64_t nb = r->pass_blocks;
  cet_progress progress;
  char label[ENGINE_TEXT_LEN];
  snprintf(label, sizeof label, "%s", r->s.label);
  if (r->pass > 1) {
    snprintf(label, sizeof label, "%s, selection pass %d", r->s.label, r->pass);
  }
  uint64_t points = r->pass > 1 ? r->done : r->s.count, done = 0;
  cet_progress_begin(&progress, label, (double)points);
  round_watch watch = {MPI_REQUEST_NULL, {0, 0}, {0, 0}};
  int status = CET_OK;
  for (uint64_t round = first_round; round * P < nb; round++) {
    uint64_t b = round * P + rank, lo = b * B, hi = lo;
    if (b < nb) {
      hi = lo + B < r->s.count ? lo + B : r->s.count;
      compute_block(r, lo, hi);
    }
    int signal = 0;
    if (r->s.stop_value >= 0 && r->pass == 1) {
      CET_CALL_GOTO(status, finish, agree_status(r));
      CET_CALL_GOTO(status, finish, decide_stop(r, round));
    }
    CET_CALL_GOTO(status, finish, watch_round(r, &watch, &signal));
    keep_failure(r, settle_round(r, b, hi - lo));
    uint64_t end_block = r->stopped && r->pass == 1 ? (uint64_t)r->last_block + 1 : (round + 1) * P;
    done = end_block * B < points ? end_block * B : points;
    if (r->pass == 1) {
      r->done = done;
    }
    char extra[ENGINE_TEXT_LEN];
    progress_extra(r, extra, sizeof extra);
    cet_progress_update(&progress, (double)done, extra);
    if (r->stopped && r->pass == 1) {
      break;
    }
    CET_CALL_GOTO(status, finish, maybe_checkpoint(r, round, end_block, signal));
  }
finish:
  if (watch.request != MPI_REQUEST_NULL) {
    MPI_Wait(&watch.request, MPI_STATUS_IGNORE);
  }
  CET_CALL(status);
  CET_CALL(agree_status(r));
  if (!r->stopped) {
    r->last_block = (long)r->nb - 1;
  }
  cet_progress_end(&progress, (double)points);
  return CET_OK;
}

/* Adds the rows this rank kept to the selections (this rank's status). */
static int select_kept_rows(cet_engine_run *r) {
  for (size_t k = 0; k < r->nv; k++) {
    CET_CALL(cet_select_acc_add(r->sel_acc[k], r->row_values + k, r->rows, r->nv));
  }
  return CET_OK;
}

/* One selection pass from first_round: over the kept rows, or the points
 * evaluated again. */
static int run_pass(cet_engine_run *r, uint64_t first_round) {
  if (r->pass == 1 || !r->s.keep_rows) {
    return run_rounds(r, first_round);
  }
  return cet_collective_status(select_kept_rows(r), r->comm);
}

/* Every pass: the first over the plan from first_round (or the selection
 * pass a checkpoint stopped in), then the selection passes while the order
 * statistics are not all found. */
static int run_passes(cet_engine_run *r, uint64_t first_round) {
  CET_CALL(run_pass(r, first_round));
  int more = r->sel != NULL;
  while (more) {
    CET_CALL(cet_engine_select_end_pass(r, &more));
    if (more) {
      r->pass++;
      r->pass_blocks = (uint64_t)r->last_block + 1;
      cet_log_info("%s: the percentiles need pass %d over the %llu %ss (%s): more values than "
                   "the quantile buffer holds",
                   r->s.label, r->pass, (unsigned long long)r->done, r->s.point,
                   r->s.keep_rows ? "the rows kept" : "evaluated again");
      CET_CALL(run_pass(r, 0));
    }
  }
  return CET_OK;
}

/* ---- the run ---- */

/* Allocates the run *out and sets it up (this rank's status; *out, when
 * not NULL, is the caller's to destroy). */
static int run_create(const cet_engine_problem *p, const cet_engine_settings *s, MPI_Comm comm,
                      int threads, cet_engine_run **out) {
  cet_engine_run *r = calloc(1, sizeof *r);
  *out = r;
  CET_CHECK_ALLOC(r);
  r->problem = *p;
  r->p = &r->problem;
  r->s = *s;
  r->comm = comm;
  r->threads = threads;
  MPI_Comm_rank(comm, &r->rank);
  MPI_Comm_size(comm, &r->size);
  CET_CALL(run_setup(r));
  return CET_OK;
}

int cet_engine_execute(const cet_engine_problem *p, const cet_engine_settings *s, MPI_Comm comm,
                       int threads, cet_engine_run **out) {
  *out = NULL;
  cet_engine_run *r = NULL;
  uint64_t first_round = 0;
  int status = CET_OK, handlers = 0;
  double start = 0.0, cpu_start = cet_timer_cpu();
  /* every path below reaches the reduction of the CPU time */
  CET_CALL_GOTO(status, done, cet_collective_status(run_create(p, s, comm, threads, &r), comm));
  if (s->restart) {
    CET_CALL_GOTO(status, done, cet_engine_checkpoint_restore(r, &first_round));
  }
  if (s->checkpoint) {
    CET_CALL_GOTO(status, done, cet_collective_status(cet_signals_install(), comm));
    handlers = 1;
  }
  start = cet_timer_now();
  cpu_start = cet_timer_cpu();
  int passes = run_passes(r, first_round);
  if (handlers) {
    cet_signals_restore();
  }
  CET_CALL_GOTO(status, done, passes);
  CET_CALL_GOTO(status, done, cet_engine_reduce(r));
done:;
  double cpu = cet_timer_cpu() - cpu_start, cpu_all = 0.0;
  MPI_Reduce(&cpu, &cpu_all, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
  if (status != CET_OK) {
    cet_engine_run_destroy(&r);
    return status;
  }
  r->seconds = cet_timer_now() - start;
  r->cpu_seconds = cpu_all;
  *out = r;
  return CET_OK;
}

/* ---- what a run leaves ---- */

uint64_t cet_engine_done(const cet_engine_run *r) { return r->done; }
int cet_engine_passes(const cet_engine_run *r) { return r->pass; }
int cet_engine_stopped(const cet_engine_run *r) { return r->stopped; }
double cet_engine_seconds(const cet_engine_run *r) { return r->seconds; }
double cet_engine_cpu_seconds(const cet_engine_run *r) { return r->cpu_seconds; }

void *cet_engine_accumulator(const cet_engine_run *r) { return r->rank == 0 ? r->acc : NULL; }

cet_stats *cet_engine_stats(cet_engine_run *r, size_t k) {
  return r->rank == 0 ? r->total[k] : NULL;
}

uint64_t cet_engine_undefined(const cet_engine_run *r, size_t k) { return r->undefined[k]; }

size_t cet_engine_local_rows(const cet_engine_run *r) { return r->rows; }
const double *cet_engine_local_values(const cet_engine_run *r) { return r->row_values; }
const double *cet_engine_local_extras(const cet_engine_run *r, size_t i) {
  return r->row_extras[i];
}
const uint64_t *cet_engine_local_points(const cet_engine_run *r) { return r->row_points; }

cet_result_rows cet_engine_rows(const cet_engine_run *r) {
  const uint64_t P = (uint64_t)r->size, rank = (uint64_t)r->rank, B = r->s.block;
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
