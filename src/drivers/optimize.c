/*
 * optimize.c — the optimize driver (drivers.h): NSGA-II or NSGA-III
 * (optimize.algorithm) islands over the case's twin, I islands on P ranks
 * (P dividing I), OpenMP threads evaluating inside each island. The
 * generation loop records the history, prints progress from rank 0, writes
 * a checkpoint every N generations and, when any rank has received SIGTERM
 * or SIGUSR1, writes one and stops on every rank with CET_ERR_INTERRUPTED
 * (exit code 3). `--restart` continues from a checkpoint; the result is the
 * same, bit for bit, as without the interruption.
 */
#include "optimize_impl.h"
#include "report.h"

#include "checkpointing.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/progress.h"
#include "cetwin/signals.h"
#include "cetwin/str.h"
#include "cetwin/timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPTIMIZE_EXTRA_LEN = 128 };

/* Where checkpoints go: optimize.checkpoint.file, else beside the result. */
static int checkpoint_path(cet_drv_opt_run *run) {
  return cet_drv_checkpoint_path(run->ctx, run->c->name, run->spec->checkpoint_file,
                                 "optimize.checkpoint.file", &run->checkpoint_path);
}

static void run_free(cet_drv_opt_run *run) {
  cet_islands_destroy(&run->isl);
  cet_optimize_problem_destroy(&run->problem);
  free(run->reference);
  free(run->scratch);
  free(run->checkpoint_path);
  free(run->hv);
  free(run->front_size);
  free(run->migrations);
}

/* This rank's problem and buffers; rank 0 also finds the checkpoint path and
 * checks the closure rule. */
static int setup_local(cet_drv_opt_run *run) {
  const cet_optimize_spec *s = run->spec;
  CET_CALL(cet_optimize_problem_create(run->c->twin, s, run->ctx->threads, &run->problem));
  run->m = s->n_obj;
  run->reference = malloc(run->m * sizeof *run->reference);
  run->scratch = malloc(s->nsga2.population * run->m * sizeof *run->scratch);
  CET_CHECK_ALLOCS(run->reference && run->scratch);
  if (run->ctx->rank == 0) {
    CET_CALL(checkpoint_path(run));
    /* the closure rule, once, at the case's values (not in the hot loop) */
    CET_CALL(cet_drv_check_closure("optimize", run->c->twin));
  }
  return CET_OK;
}

/* Collective. Problem, islands and buffers. */
static int setup(cet_drv_opt_run *run) {
  const cet_optimize_spec *s = run->spec;
  int size = run->ctx->size;
  CET_CHECK(s->islands.islands % (size_t)size == 0, CET_ERR_INPUT,
            "%s: %zu island%s cannot be shared by %d MPI ranks: the rank count must divide the "
            "island count (run on a divisor of %zu ranks, or set optimize.islands to a multiple "
            "of %d)",
            s->islands_where, s->islands.islands, s->islands.islands == 1 ? "" : "s", size,
            s->islands.islands, size);
  CET_CALL(cet_collective_status(setup_local(run), run->ctx->comm));
  CET_CALL(cet_islands_create(run->ctx->comm, cet_optimize_problem_moo(run->problem), &s->nsga2,
                              &s->islands, &run->isl));
  run->I = cet_islands_count(run->isl);
  run->L = cet_islands_local_count(run->isl);
  run->N = s->nsga2.population;
  run->n = s->n_design;
  run->nc = s->n_con;
  return CET_OK;
}

/* Rank 0: what the run is about to do, as every analysis starts. */
static void print_header(const cet_drv_opt_run *run, FILE *out) {
  const cet_case *c = run->c;
  const cet_optimize_spec *s = run->spec;
  fprintf(out, "cetwin optimize: case '%s'%s%s\n", c->name, c->description[0] ? " - " : "",
          c->description);
  fprintf(out,
          "  %s: %zu island%s x %zu individuals, %llu generations; %zu design variable%s, "
          "%zu objective%s, %zu constraint%s\n",
          s->nsga2.algorithm == CET_MOO_NSGA3 ? "NSGA-III" : "NSGA-II", run->I,
          run->I == 1 ? "" : "s", run->N, (unsigned long long)s->nsga2.generations, run->n,
          run->n == 1 ? "" : "s", s->n_obj, s->n_obj == 1 ? "" : "s", run->nc,
          run->nc == 1 ? "" : "s");
  char work[OPTIMIZE_EXTRA_LEN];
  size_t per_rank = (run->I + (size_t)run->ctx->size - 1) / (size_t)run->ctx->size;
  snprintf(work, sizeof work, "up to %zu island%s per rank", per_rank, per_rank == 1 ? "" : "s");
  cet_drv_print_parallel(out, run->ctx->size, run->ctx->threads, work, (long long)s->nsga2.seed);
  fflush(out);
}

/* Collective. Generation 0, or the state of a checkpoint. */
static int start(cet_drv_opt_run *run, const char *restart) {
  if (restart) {
    CET_CALL(cet_drv_opt_checkpoint_restore(run, restart));
    cet_log_info("optimize: continuing from checkpoint '%s' at generation %llu", restart,
                 (unsigned long long)run->start);
    return CET_OK;
  }
  CET_CALL(
      cet_islands_init_seeded(run->isl, run->spec->case_design, run->spec->case_design ? 1 : 0));
  CET_CALL(cet_drv_opt_reference(run));
  CET_CALL(cet_drv_opt_record_generation(run));
  return CET_OK;
}

/* Collective: the first signal any rank has received (0: none). */
static int agreed_signal(MPI_Comm comm) {
  int mine = cet_signals_pending(), any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, comm);
  return any;
}

/* Collective. A checkpoint when due or signalled; after a signal, the
 * interruption (on every rank alike). */
static int maybe_checkpoint(cet_drv_opt_run *run, uint64_t generation, int done) {
  int signal = agreed_signal(run->ctx->comm);
  uint64_t every = run->spec->checkpoint_interval;
  int due = every > 0 && generation % every == 0 && generation != run->start && !done;
  if (signal == 0 && !due) {
    return CET_OK;
  }
  CET_CALL(cet_drv_opt_checkpoint_save(run));
  if (signal == 0) {
    cet_log_info("optimize: checkpoint at generation %llu written to %s",
                 (unsigned long long)generation, run->checkpoint_path);
    return CET_OK;
  }
  CET_CHECK(0, CET_ERR_INTERRUPTED,
            "interrupted by %s after generation %llu; checkpoint written to %s: to continue, "
            "run the same command with --restart %s",
            cet_signals_name(signal), (unsigned long long)generation,
            run->checkpoint_path ? run->checkpoint_path : "the checkpoint file",
            run->checkpoint_path ? run->checkpoint_path : "CHECKPOINT");
}

static double best_hypervolume(const cet_drv_opt_run *run) {
  double best = 0.0;
  for (size_t i = 0; run->rows > 0 && i < run->I; i++) {
    double v = run->hv[(run->rows - 1) * run->I + i];
    best = v > best ? v : best;
  }
  return best;
}

/* Collective. Generations until the end, or until a signal. */
static int loop(cet_drv_opt_run *run) {
  const cet_optimize_spec *s = run->spec;
  uint64_t total = s->nsga2.generations, interval = s->islands.migration_interval;
  cet_progress progress;
  cet_progress_begin(&progress, "optimize", (double)(total - run->start));
  int done = 0;
  CET_CALL(cet_islands_test(run->isl, &done));
  CET_CALL(maybe_checkpoint(run, run->start, done));
  while (!done) {
    CET_CALL(cet_islands_iterate(run->isl));
    uint64_t generation = cet_nsga2_generation(cet_islands_island(run->isl, 0));
    CET_CALL(cet_drv_opt_record_generation(run));
    if (generation % interval == 0 && s->islands.migrants > 0) {
      CET_CALL(cet_drv_opt_record_migration(run, generation));
    }
    CET_CALL(cet_islands_test(run->isl, &done));
    char extra[OPTIMIZE_EXTRA_LEN];
    snprintf(extra, sizeof extra, "generation %llu, best hypervolume %.6g",
             (unsigned long long)generation, best_hypervolume(run));
    cet_progress_update(&progress, (double)(generation - run->start), extra);
    CET_CALL(maybe_checkpoint(run, generation, done));
  }
  cet_progress_end(&progress, (double)(total - run->start));
  return CET_OK;
}

int cet_driver_optimize(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL && c->optimize != NULL, CET_ERR_RUNTIME,
            "the case has no twin and optimisation problem");
  cet_drv_opt_run run = {.c = c, .ctx = ctx, .spec = c->optimize};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, setup(&run));
  CET_CALL_GOTO(status, cleanup, cet_collective_status(cet_signals_install(), ctx->comm));
  if (ctx->rank == 0 && ctx->summary) {
    print_header(&run, ctx->summary);
  }
  double t0 = cet_timer_now();
  CET_CALL_GOTO(status, cleanup, start(&run, ctx->restart));
  CET_CALL_GOTO(status, cleanup, loop(&run));
  double seconds = cet_timer_now() - t0; /* initial population (or restore) and generations */
  /* a signal now is ignored: the work is done */
  CET_CALL_GOTO(status, cleanup, cet_drv_opt_report(&run, seconds));
cleanup:
  cet_signals_restore();
  run_free(&run);
  return status;
}
