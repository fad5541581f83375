/*
 * engine.h — the sampling engine: every analysis that evaluates many
 * points (Monte Carlo draws, the rows of a sensitivity design, the draws of
 * a robust optimisation) runs on it.
 *
 * A plan is a range of point indices, first .. first + count - 1 (a Slurm
 * shard is such a range of a larger plan). The problem turns a point index
 * into recorded values (and, optionally, extra per-point data such as the
 * inputs drawn), from the point index alone: its random numbers are keyed
 * by (seed, purpose, point index), never by rank or thread. The engine
 *
 *  - cuts the plan into blocks of `block` points; block b goes to rank
 *    b mod P, the ranks working through the blocks in rounds of P, and the
 *    OpenMP threads of a rank share a block's points in batches;
 *  - accumulates per recorded value its exact moments (stats.h) and, for
 *    percentiles and CVaR, the values themselves, and counts the values
 *    that are not finite (an undefined IRR, a payback never reached);
 *  - keeps, when asked, every point's values and extras on the rank that
 *    computed it, with their place in the whole (cet_engine_rows), for one
 *    collective hyperslab write;
 *  - captures the failure with the lowest point index and reports it on
 *    every rank ("draw 17: ..."), all ranks failing together;
 *  - tests an optional stopping rule (the relative standard error of one
 *    value) at every block boundary, in block order, so the decision is the
 *    one a single rank would take;
 *  - prints progress with an ETA on rank 0 (stderr);
 *  - reduces the accumulators to rank 0 along a binomial tree, merging
 *    sorted runs.
 *
 * Every statistic is an exact sum or an order statistic of the multiset of
 * values, so the results are the same bits on any number of ranks and
 * threads, and shards of one plan merge exactly (`cetwin merge`).
 *
 * The team (cet_engine_team) is the engine's thread level alone: one
 * workspace per OpenMP thread and a parallel loop over tasks that captures
 * the failure with the lowest task index and its message; the robust
 * optimisation shares its (design, block of draws) tasks out with it.
 */
#ifndef CETWIN_ENGINE_H
#define CETWIN_ENGINE_H

#include "cetwin/result.h"
#include "cetwin/stats.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* Arrays of extra per-point data a problem may keep with the rows. */
enum { CET_ENGINE_EXTRAS = 4 };

/* What the engine evaluates. The callbacks may run on several threads at
 * once, each with its own workspace; model is shared read-only. */
typedef struct {
  void *model;                           /* the analysis' data, passed to every callback */
  size_t n_values;                       /* values recorded per point */
  size_t n_extras;                       /* arrays of extra data per point (<= CET_ENGINE_EXTRAS) */
  size_t extra_width[CET_ENGINE_EXTRAS]; /* doubles per point of each */
  size_t batch;                          /* points per evaluate call, >= 1 */
  /* A thread's workspace (per-thread scratch of the model). */
  int (*workspace_create)(void *model, void **ws);
  void (*workspace_destroy)(void **ws);
  /* Evaluates points first .. first + count - 1 (count <= batch): their
   * values at values[count x n_values] and, when extras is not NULL (the
   * rows are kept and n_extras > 0), their extra data at
   * extras[i][count x extra_width[i]] for i < n_extras. On
   * failure *failed is the point that failed, and the error its own. */
  int (*evaluate)(void *model, void *ws, uint64_t first, size_t count, double *values,
                  double *const *extras, uint64_t *failed);
  /* Optional reduction of the values block by block into a mergeable
   * accumulator (acc_create NULL: none), for estimators that are sums over
   * the points (Sobol' indices). acc_create makes an empty one for this
   * rank; acc_add_block adds block b, points first .. first + count - 1,
   * with their values ([count x n_values], in point order; called on one
   * thread); acc_pack gives its bytes (valid until it changes), which
   * acc_merge_bytes adds into another (into an empty one: unpacking). The
   * result must not depend on which rank added which block or on the order
   * of merges (exact sums), so that it is the same bits on any layout. The
   * blocks the stopping rule drops are not added. */
  int (*acc_create)(void *model, void **acc);
  void (*acc_destroy)(void **acc);
  int (*acc_add_block)(void *model, void *acc, uint64_t b, uint64_t first, size_t count,
                       const double *values);
  int (*acc_pack)(void *acc, const void **bytes, size_t *size);
  int (*acc_merge_bytes)(void *model, void *acc, const void *bytes, size_t size);
} cet_engine_problem;

/* Defaults. */
enum { CET_ENGINE_DEFAULT_BLOCK = 1024 };

/* How the engine runs a plan. */
typedef struct {
  uint64_t first;                 /* index of the first point */
  uint64_t count;                 /* points in the plan (>= 1) */
  uint64_t block;                 /* points per block (>= 1): unit of distribution and stopping */
  int statistics;                 /* 1: accumulate each value's moments (the default) */
  int quantiles;                  /* 1: keep the values for percentiles and CVaR */
  int keep_rows;                  /* 1: keep every point's values and extras (cet_engine_rows) */
  long stop_value;                /* index of the value of the stopping rule, or -1 */
  double stop_rse;                /* stop when its relative standard error is at most this */
  uint64_t min_points;            /* not before this many points */
  const char *point;              /* what a point is called in messages ("draw") */
  const char *label;              /* progress label ("mc draws") */
  const char *const *value_names; /* names of the values (progress of the stopping rule) */
  /* Checkpoints (checkpoint.h): with a file, every checkpoint_blocks blocks
   * (0: only on a signal) and after SIGTERM or SIGUSR1 on any rank, rank 0
   * writes the state at the end of a round to it; after a signal the run
   * stops with CET_ERR_INTERRUPTED on every rank. restart continues from
   * such a file, on the rank count that wrote it, to the bits of an
   * uninterrupted run. kind and fingerprint (a text naming everything the
   * result depends on) tie a checkpoint to its run. */
  const char *checkpoint;
  uint64_t checkpoint_blocks;
  const char *restart;
  const char *kind;
  const char *fingerprint;
  const char *command_line; /* recorded in the checkpoint (root attribute), or NULL */
} cet_engine_settings;

/* The settings of a plan of count points from first, in blocks of the
 * default size, nothing kept, no stopping rule. */
cet_engine_settings cet_engine_default_settings(uint64_t first, uint64_t count);

typedef struct cet_engine_run cet_engine_run;

/* Collective over comm: evaluates the plan with `threads` OpenMP threads
 * per rank (>= 1); p and s are copied (p's model must outlive the run, and
 * s's names the call). On success *out holds, on rank 0, every value's
 * accumulator over the points kept, and on every rank its kept rows. A
 * failure of any point, or of any rank, fails every rank (the message of
 * the lowest failing point on each). */
int cet_engine_execute(const cet_engine_problem *p, const cet_engine_settings *s, MPI_Comm comm,
                       int threads, cet_engine_run **out);

/* Frees *r (NULL allowed) and sets it NULL. Not collective. */
void cet_engine_run_destroy(cet_engine_run **r);

/* Points kept: the whole plan, or the blocks up to the one where the
 * stopping rule was met. */
uint64_t cet_engine_done(const cet_engine_run *r);

/* 1 when the stopping rule ended the run early. */
int cet_engine_stopped(const cet_engine_run *r);

/* Wall time of the points and the reduction (rank 0), and the CPU time
 * summed over the ranks (rank 0), in seconds. */
double cet_engine_seconds(const cet_engine_run *r);
double cet_engine_cpu_seconds(const cet_engine_run *r);

/* Rank 0: the problem's accumulator over every block kept, NULL elsewhere
 * or without one (owned by the run). */
void *cet_engine_accumulator(const cet_engine_run *r);

/* Rank 0: the accumulator of value k over every point kept (its values
 * sorted when the plan keeps quantiles; the caller may sort or summarise
 * it), and the count of points where value k was not finite. NULL on the
 * other ranks. */
cet_stats *cet_engine_stats(cet_engine_run *r, size_t k);
uint64_t cet_engine_undefined(const cet_engine_run *r, size_t k);

/* The rows this rank kept (keep_rows): their number, values
 * ([rows x n_values]), extra data i ([rows x extra_width[i]]) and point
 * indices, in the order of the rows, and where they lie among all the rows
 * of the plan (row i of the whole is point first + i). */
size_t cet_engine_local_rows(const cet_engine_run *r);
const double *cet_engine_local_values(const cet_engine_run *r);
const double *cet_engine_local_extras(const cet_engine_run *r, size_t i);
const uint64_t *cet_engine_local_points(const cet_engine_run *r);
cet_result_rows cet_engine_rows(const cet_engine_run *r);

/* Collective: the rows of every rank gathered on rank 0 in point order
 * (keep_rows): values[done x n_values] and, for i < n_extras with extras
 * not NULL, extras[i][done x extra_width[i]], allocated (free them); NULL
 * on the other ranks. For plans whose rows fit in one process's memory
 * (OAT, parameter studies, Morris trajectories). */
int cet_engine_gather_rows(const cet_engine_run *r, double **values, double **extras);

/* ---- the team: threads with their own workspaces ---- */

typedef struct cet_engine_team cet_engine_team;

/* One workspace of problem p per thread, for `threads` threads (>= 1); p
 * is copied (its model must outlive the team). */
int cet_engine_team_create(const cet_engine_problem *p, int threads, cet_engine_team **out);

/* Frees *team and its workspaces (NULL allowed) and sets it NULL. */
void cet_engine_team_destroy(cet_engine_team **team);

int cet_engine_team_size(const cet_engine_team *team);

/* The workspace of thread t. */
void *cet_engine_team_workspace(const cet_engine_team *team, int t);

/* One task of a parallel loop: task i on thread t with that thread's
 * workspace. */
typedef int (*cet_engine_task_fn)(void *arg, void *ws, int t, size_t i);

/* Runs tasks 0 .. n - 1 on the first `threads` threads of the team
 * (dynamic = 1: handed out one by one; 0: in equal contiguous shares), or
 * in order on the calling thread when threads is 1. Every task runs even
 * after a failure (so that the failure with the lowest index is found
 * whatever the schedule); *failed is the lowest failing task (n when none)
 * and the error on the calling thread is that task's own. */
int cet_engine_team_for(cet_engine_team *team, int threads, int dynamic, size_t n,
                        cet_engine_task_fn fn, void *arg, size_t *failed);

#endif /* CETWIN_ENGINE_H */
