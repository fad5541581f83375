/*
 * drivers.h — the analyses a case can run. A driver takes a validated case,
 * splits the work over the MPI ranks of the run, prints a summary from rank
 * 0 and writes its group of the result file. Drivers know nothing of
 * metallurgy; the model knows nothing of MPI.
 */
#ifndef CETWIN_DRIVERS_H
#define CETWIN_DRIVERS_H

#include "cetwin/analysis.h"
#include "cetwin/case.h"
#include "cetwin/result.h"

#include <mpi.h>
#include <stdio.h>

typedef struct cet_run_context {
  MPI_Comm comm;
  int rank;
  int size;
  int threads;         /* OpenMP threads per rank */
  cet_result *result;  /* the open result file on rank 0, NULL elsewhere */
  FILE *summary;       /* where rank 0 prints the summary */
  const char *restart; /* checkpoint to continue from (--restart), or NULL */
  /* the command that started the run, recorded in checkpoints (`cetwin
   * info` shows how to continue), or NULL */
  const char *command_line;
  int verbose; /* 1: print the long tables too (--verbose) */
} cet_run_context;

/* The analyses a case can run, NULL-terminated, one record each
 * (analysis.h): enumerate, simulate, optimize, mc, sensitivity, reconcile. */
const cet_analysis *const *cet_analyses(void);

/* Flowsheet enumeration (enumerate.h): search tasks are dealt round-robin
 * to the ranks, results are gathered and sorted on rank 0, printed in the
 * spirit of Bonnin et al. (2015) Table 4 and written to /enumerate.
 * Collective over ctx->comm. */
int cet_driver_enumerate(const cet_case *c, const cet_run_context *ctx);

/* One deterministic evaluation of a network twin (twin.h): rank 0
 * evaluates the case's twin at its own values, prints the key metrics, the
 * largest flows and the worst balance closure, and writes /simulate (stream
 * table, unit balances, metrics, parameters, a Sankey edge list). The other
 * ranks have nothing to do. Collective over ctx->comm only through the
 * caller's status exchange. */
int cet_driver_simulate(const cet_case *c, const cet_run_context *ctx);

/* Data reconciliation of a network twin (reconcile.h): rank 0 evaluates
 * the twin at its own values, reconciles the case's measurements starting
 * from that steady state, prints the measurements with their reconciled
 * values and classes, the global and measurement tests with the most likely
 * culprit (and those set aside) and the reconciled streams, and writes
 * /reconcile. The other ranks have nothing to do. */
int cet_driver_reconcile(const cet_case *c, const cet_run_context *ctx);

/* Multi-objective optimisation of a network twin (optimize.h,
 * islands.h): NSGA-II on I islands over the ranks of ctx->comm (the rank
 * count must divide I; an input error otherwise), OpenMP threads evaluating
 * each island's offspring. Rank 0 prints progress (generation, best island
 * hypervolume, ETA) on stderr, the summary (front size, utopia, nadir,
 * TOPSIS top ten) on ctx->summary, and writes /optimize. Checkpoints every
 * optimize.checkpoint.interval generations and, after SIGTERM or SIGUSR1
 * on any rank, writes one and returns CET_ERR_INTERRUPTED on every rank;
 * ctx->restart continues from a checkpoint of the same case, with the same
 * result as an uninterrupted run. Collective over ctx->comm. */
int cet_driver_optimize(const cet_case *c, const cet_run_context *ctx);

/* Monte Carlo over the uncertain variables of the case (mc.h, engine.h):
 * draws in blocks of mc.block, block b on rank b mod P, the draws of a
 * block shared by the OpenMP threads; every random number keyed by (seed,
 * variable, draw), so the results are the same bits on any number of ranks
 * and threads. Rank 0 prints the deterministic scenarios (with their
 * reference values), the summary of each metric and the UNFC rating, with
 * progress on stderr; /mc holds the summaries with their exact sums, the
 * scenarios, the rating and, with mc.store_draws, every draw (written by
 * all ranks at once through MPI-IO, one hyperslab selection each: rank 0
 * shares the file for that, cet_result_share). Collective. */
int cet_driver_mc(const cet_case *c, const cet_run_context *ctx);

/* Sensitivity analysis of a twin (sensitivity.h): the methods asked for —
 * one at a time (tornado, spider), break-even, Morris, a parameter study,
 * Sobol' indices — each a plan of points on the sampling engine (blocks
 * over the ranks, batches over the threads; every point from its index
 * alone, so the same bits on any layout). Rank 0 prints the factors ranked
 * by influence, the break-evens in per cent and the Sobol' indices with
 * their intervals, and writes /sensitivity. The parameter study and the
 * Sobol' run checkpoint on SIGTERM/SIGUSR1 and continue from ctx->restart.
 * Collective. */
int cet_driver_sensitivity(const cet_case *c, const cet_run_context *ctx);

/* `cetwin merge`: the merge of the analysis the first file holds (its
 * root attribute `analysis`; the record's merge, analysis.h). CET_ERR_INPUT
 * when that file cannot be read or its analysis has no shards. */
/* `cetwin info FILE` (one process): prints what a result file holds (how
 * it was made, then the headline tables of its analysis, the same as the
 * run printed; verbose adds the long ones) or, for a checkpoint, which run
 * it continues, how far it came and the command that continues it; with
 * tree, the structure of the file (cet_result_print_info). CET_ERR_INPUT
 * names the file and what is wrong with it. */
int cet_info(const char *path, int tree, int verbose, FILE *out);

/* The analyses' part of `cetwin info` (analysis.h, info): the headline
 * tables of a result file of each. */
int cet_info_mc(cet_result_reader *in, int verbose, FILE *out);
int cet_info_simulate(cet_result_reader *in, int verbose, FILE *out);
int cet_info_optimize(cet_result_reader *in, int verbose, FILE *out);
int cet_info_enumerate(cet_result_reader *in, int verbose, FILE *out);
int cet_info_sensitivity(cet_result_reader *in, int verbose, FILE *out);
int cet_info_reconcile(cet_result_reader *in, int verbose, FILE *out);

int cet_merge(const char *const *inputs, size_t n, const char *output, const char *command_line,
              FILE *out);

/* The merge of Monte Carlo shards: combines the /mc groups of n result files of the same
 * case and seed over disjoint draw ranges (shards of one sweep) into a new
 * result file at output (written as output.partial, renamed on success):
 * the exact sums are added, the stored draws concatenated in draw order,
 * and every summary recomputed, so the result equals one run over all the
 * draws bit for bit (percentiles need the draws: without them in every
 * shard they are NaN). CET_ERR_INPUT for files that are not compatible
 * shards (another case, seed, metrics or variables; overlapping draws).
 * Not collective (one process). The summary is printed to out. */
int cet_merge_mc(const char *const *inputs, size_t n, const char *output, const char *command_line,
                 FILE *out);

/* The merge of sensitivity shards (the points of one parameter study or
 * the base rows of one Sobol' run, split with sensitivity.shard): the
 * points are concatenated in order, the Sobol' sums added and the indices
 * recomputed, so the result equals one run over all of them bit for bit.
 * CET_ERR_INPUT for files that are not shards of one run (another case,
 * seed or method; overlapping points). Not collective. */
int cet_merge_sensitivity(const char *const *inputs, size_t n, const char *output,
                          const char *command_line, FILE *out);

#endif /* CETWIN_DRIVERS_H */
