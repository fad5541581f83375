/*
 * optimize_checkpoint.c — checkpoints of an optimize run (checkpoint.h):
 * the generation number, every island's population (genes, objectives,
 * constraint values), the hypervolume reference point, the histories
 * recorded so far and, in twins where a consumption may be unknown, how
 * many designs evaluated so far could not be priced. That is the whole state: NSGA-II draws its
 * random numbers from streams keyed by (seed, island, generation, individual) (nsga2.h), so no
 * generator state needs saving, and ranks and crowding distances follow from the population. A run
 * restored from a checkpoint therefore continues bit for bit, on any rank count that divides the
 * island count.
 *
 * Three fingerprints (FNV-1a of a canonical text) tie a checkpoint to its
 * case: the twin (parameter paths and values, metric names), the problem
 * (design variables, objectives, constraints; of a robust problem also the
 * statistics, the draws and the uncertain variables) and the algorithm (NSGA-II
 * and island settings, seed, reference point). The number of generations,
 * the checkpoint settings and the output file may change on restart.
 */
#include "optimize_impl.h"

#include "checkpointing.h"

#include "cetwin/checkpoint.h"
#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/str.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FP_TWIN = 0, FP_PROBLEM, FP_ALGORITHM, FP_COUNT, FP_HEX_LEN = CET_DRV_FINGERPRINT_HEX };

static const char *const FP_NAMES[FP_COUNT] = {"fingerprint_twin", "fingerprint_problem",
                                               "fingerprint_algorithm"};
static const char *const FP_WHAT[FP_COUNT] = {
    "twin (its parameters or metrics)", "design variables, objectives or constraints",
    "algorithm settings (NSGA-II or NSGA-III, islands, migration, seed or reference point)"};
static const char *const GROUP = "/optimize";
/* designs evaluated so far that reach unknown consumptions (optimize.h) */
static const char *const UNKNOWN = "evaluations_unknown_consumption";

/* A robust problem: the statistics, the draws and the uncertain variables
 * (a case that is not robust keeps the fingerprint it had before robust
 * problems existed). */
static int describe_robust(const cet_optimize_spec *s, cet_strbuf *b) {
  const cet_robust_spec *r = &s->robust;
  for (size_t j = 0; j < s->n_obj; j++) {
    CET_CALL(cet_strbuf_printf(b, "fs %d;", s->objective[j].statistic));
  }
  for (size_t k = 0; k < s->n_con; k++) {
    CET_CALL(cet_strbuf_printf(b, "gs %d;", s->constraint[k].statistic));
  }
  CET_CALL(cet_strbuf_printf(b, "robust %" PRIu64 " %" PRIu64 " %" PRIu64 ";", r->draws, r->seed,
                             r->first_draw));
  return cet_drv_describe_uncertain(r->uncertain, r->n_uncertain, b);
}

static int describe_problem(const cet_optimize_spec *s, cet_strbuf *b) {
  for (size_t j = 0; j < s->n_design; j++) {
    const cet_design_variable *d = &s->design[j];
    CET_CALL(cet_strbuf_printf(b, "x %s %a %a %d %a %zu%s;", d->path, d->lower, d->upper,
                               d->integer, d->zero_below, d->group,
                               d->categorical ? " categorical" : ""));
  }
  for (size_t j = 0; j < s->n_obj; j++) {
    CET_CALL(cet_strbuf_printf(b, "f %s %d;", s->objective[j].metric, (int)s->objective[j].sense));
  }
  for (size_t k = 0; k < s->n_con; k++) {
    const cet_constraint *c = &s->constraint[k];
    CET_CALL(cet_strbuf_printf(b, "g %s %a %a;", c->metric, c->min, c->max));
  }
  return s->robust.draws > 0 ? describe_robust(s, b) : CET_OK;
}

static int describe_algorithm(const cet_optimize_spec *s, cet_strbuf *b) {
  const cet_nsga2_parameters *p = &s->nsga2;
  const cet_islands_parameters *ip = &s->islands;
  CET_CALL(cet_strbuf_printf(b, "nsga2 %zu %a %a %a %a %a %a %d %" PRIu64 " %" PRIu64 ";",
                             p->population, p->crossover_probability, p->crossover_gene_rate,
                             p->eta_c, p->mutation_probability, p->mutation_rate, p->eta_m,
                             (int)p->truncation, p->seed, p->stream));
  CET_CALL(cet_strbuf_printf(b, "islands %zu %" PRIu64 " %zu %d;", ip->islands,
                             ip->migration_interval, ip->migrants, (int)ip->topology));
  if (ip->topology == CET_TOPOLOGY_CUSTOM) {
    for (size_t q = 0; q < ip->offset[ip->islands]; q++) {
      CET_CALL(cet_strbuf_printf(b, "%zu,", ip->sources[q]));
    }
    for (size_t i = 0; i <= ip->islands; i++) {
      CET_CALL(cet_strbuf_printf(b, "%zu/", ip->offset[i]));
    }
  }
  for (size_t j = 0; s->reference_point && j < s->n_obj; j++) {
    CET_CALL(cet_strbuf_printf(b, "r %a;", s->reference_point[j]));
  }
  CET_CALL(cet_strbuf_printf(b, "margin %a;", s->reference_margin));
  if (p->algorithm == CET_MOO_NSGA3) { /* absent for NSGA-II: older checkpoints stay valid */
    CET_CALL(cet_strbuf_printf(b, "nsga3 %zu %zu;", p->divisions, p->inner_divisions));
  }
  if (s->include_case_design) { /* absent when off: older checkpoints stay valid */
    CET_CALL(cet_strbuf_printf(b, "case design first;"));
  }
  return CET_OK;
}

/* Fingerprint k of this run as a hex string. */
static int fingerprint(const cet_drv_opt_run *run, int k, char hex[FP_HEX_LEN]) {
  cet_strbuf b = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                k == FP_TWIN      ? cet_drv_describe_twin(run->c->twin, &b)
                : k == FP_PROBLEM ? describe_problem(run->spec, &b)
                                  : describe_algorithm(run->spec, &b));
  if (!b.text) {
    CET_CALL_GOTO(status, cleanup, cet_strbuf_append(&b, ""));
  }
  cet_drv_fingerprint(b.text, hex);
cleanup:
  cet_strbuf_free(&b);
  return status;
}

/* The three fingerprints of this run as hex strings. */
static int fingerprints(const cet_drv_opt_run *run, char hex[FP_COUNT][FP_HEX_LEN]) {
  for (int k = 0; k < FP_COUNT; k++) {
    CET_CALL(fingerprint(run, k, hex[k]));
  }
  return CET_OK;
}

/* ---- saving ---- */

/* Joins count individuals' genes (n), objectives (m) and constraint values
 * (c) into rows of n + m + c values. */
static void join_rows(const double *x, const double *f, const double *g, size_t count, size_t n,
                      size_t m, size_t c, double *rows) {
  size_t rec = n + m + c;
  for (size_t i = 0; i < count; i++) {
    memcpy(rows + i * rec, x + i * n, n * sizeof *rows);
    memcpy(rows + i * rec + n, f + i * m, m * sizeof *rows);
    memcpy(rows + i * rec + n + m, g + i * c, c * sizeof *rows);
  }
}

/* This rank's islands as rows of genes, objectives and constraint values. */
static int pack_populations(const cet_drv_opt_run *run, double *rows) {
  size_t n = run->n, m = run->m, c = run->nc, rec = n + m + c, N = run->N;
  double *x = malloc((N * rec + 1) * sizeof *x), *f = x + N * n, *g = f + N * m;
  CET_CHECK_ALLOC(x);
  int status = CET_OK;
  for (size_t l = 0; l < run->L; l++) {
    uint64_t generation = 0;
    CET_CALL_GOTO(
        status, cleanup,
        cet_nsga2_get_state(cet_islands_island(run->isl, l), &generation, x, f, c ? g : NULL));
    join_rows(x, f, g, N, n, m, c, rows + l * N * rec);
  }
cleanup:
  free(x);
  return status;
}

/* The inverse of join_rows. */
static void split_rows(const double *rows, size_t count, size_t n, size_t m, size_t c, double *x,
                       double *f, double *g) {
  size_t rec = n + m + c;
  for (size_t i = 0; i < count; i++) {
    memcpy(x + i * n, rows + i * rec, n * sizeof *x);
    memcpy(f + i * m, rows + i * rec + n, m * sizeof *f);
    memcpy(g + i * c, rows + i * rec + n + m, c * sizeof *g);
  }
}

static int write_file(const cet_drv_opt_run *run, const double *rows, uint64_t generation) {
  size_t I = run->I, N = run->N, n = run->n, m = run->m, c = run->nc;
  char hex[FP_COUNT][FP_HEX_LEN];
  CET_CALL(fingerprints(run, hex));
  double *x = malloc((I * N * (n + m + c) + 1) * sizeof *x), *f = x + I * N * n, *g = f + I * N * m;
  CET_CHECK_ALLOC(x);
  split_rows(rows, I * N, n, m, c, x, f, g);
  cet_result *r = NULL;
  int status = CET_OK;
  const size_t dx[] = {I, N, n}, df[] = {I, N, m}, dg[] = {I, N, c};
  const size_t dh[] = {run->rows, I}, dm[] = {run->mig_rows, OPT_MIG_COLUMNS};
  CET_CALL_GOTO(status, fail, cet_checkpoint_create(run->checkpoint_path, "optimize", &r));
  CET_CALL_GOTO(status, fail, cet_result_attr_string(r, GROUP, "case", run->c->name));
  for (int k = 0; k < FP_COUNT; k++) {
    CET_CALL_GOTO(status, fail, cet_result_attr_string(r, GROUP, FP_NAMES[k], hex[k]));
  }
  CET_CALL_GOTO(status, fail, cet_result_attr_int(r, GROUP, "generation", (long long)generation));
  if (cet_optimize_problem_counts_unknown(run->problem)) {
    CET_CALL_GOTO(status, fail, cet_result_attr_int(r, GROUP, UNKNOWN, (long long)run->unknown));
  }
  if (run->ctx->command_line) {
    CET_CALL_GOTO(status, fail,
                  cet_result_attr_string(r, "/", "command_line", run->ctx->command_line));
  }
  CET_CALL_GOTO(status, fail, cet_result_write_doubles(r, "/optimize/x", 3, dx, x, NULL));
  CET_CALL_GOTO(status, fail, cet_result_write_doubles(r, "/optimize/f", 3, df, f, NULL));
  CET_CALL_GOTO(status, fail, cet_result_write_doubles(r, "/optimize/g", 3, dg, g, NULL));
  CET_CALL_GOTO(
      status, fail,
      cet_result_write_doubles(r, "/optimize/reference_point", 1, &m, run->reference, NULL));
  CET_CALL_GOTO(status, fail,
                cet_result_write_doubles(r, "/optimize/history/hypervolume", 2, dh, run->hv, NULL));
  CET_CALL_GOTO(
      status, fail,
      cet_result_write_ints(r, "/optimize/history/front_size", 2, dh, run->front_size, NULL));
  CET_CALL_GOTO(status, fail,
                cet_result_write_ints(r, "/optimize/migrations", 2, dm, run->migrations, NULL));
  free(x);
  CET_CALL(cet_result_commit(&r));
  return CET_OK;
fail:
  free(x);
  cet_result_discard(&r);
  return status;
}

/* This rank's islands as population rows, in *local. */
static int pack_local(const cet_drv_opt_run *run, double **local) {
  size_t rec = run->n + run->m + run->nc;
  *local = malloc((run->L * run->N * rec + 1) * sizeof **local);
  CET_CHECK_ALLOC(*local);
  CET_CALL(pack_populations(run, *local));
  return CET_OK;
}

/* Gathers the populations (local) on rank 0, which writes the file. */
static int save_collected(const cet_drv_opt_run *run, const double *local) {
  size_t rec = run->n + run->m + run->nc;
  void *rows = NULL;
  size_t total = 0;
  CET_CALL(cet_drv_opt_gather_rows(run->ctx->comm, MPI_DOUBLE, sizeof(double), local,
                                   run->L * run->N, rec, &rows, &total));
  uint64_t generation = cet_nsga2_generation(cet_islands_island(run->isl, 0));
  int status = CET_OK;
  if (run->ctx->rank == 0) {
    int written = write_file(run, rows, generation);
    CET_CHECK_GOTO(status, cleanup, written == CET_OK, written,
                   "cannot write the checkpoint of generation %llu to %s",
                   (unsigned long long)generation, run->checkpoint_path);
  }
cleanup:
  free(rows);
  return status;
}

int cet_drv_opt_checkpoint_save(cet_drv_opt_run *run) {
  double *local = NULL;
  int status = CET_OK;
  CET_CALL(cet_drv_opt_total_unknown(run));
  CET_CALL_GOTO(status, cleanup, cet_collective_status(pack_local(run, &local), run->ctx->comm));
  CET_CALL_GOTO(status, cleanup, cet_collective_status(save_collected(run, local), run->ctx->comm));
cleanup:
  free(local);
  return status;
}

/* ---- restoring ---- */

/* Rank 0: everything read from the checkpoint. */
typedef struct {
  uint64_t generation;
  double *rows; /* [I x N] population rows */
} restored;

/* Checks fingerprint k of checkpoint cp (of case name at generation)
 * against this run's (hex). */
static int check_fingerprint(const cet_drv_opt_run *run, cet_checkpoint *cp, int k, const char *hex,
                             const char *name, long long generation) {
  char *found = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_attr_string(cp, GROUP, FP_NAMES[k], &found));
  CET_CHECK_GOTO(status, cleanup, strcmp(found, hex) == 0, CET_ERR_INPUT,
                 "checkpoint '%s' (case '%s', generation %lld) does not belong to case '%s': "
                 "the %s differ; restart with the case that wrote it",
                 cet_checkpoint_path(cp), name, generation, run->c->name, FP_WHAT[k]);
cleanup:
  free(found);
  return status;
}

static int check_fingerprints(const cet_drv_opt_run *run, cet_checkpoint *cp) {
  char hex[FP_COUNT][FP_HEX_LEN], *name = NULL;
  long long generation = 0;
  CET_CALL(fingerprints(run, hex));
  CET_CALL(cet_checkpoint_attr_string(cp, GROUP, "case", &name));
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_attr_int(cp, GROUP, "generation", &generation));
  for (int k = 0; k < FP_COUNT; k++) {
    CET_CALL_GOTO(status, cleanup, check_fingerprint(run, cp, k, hex[k], name, generation));
  }
cleanup:
  free(name);
  return status;
}

static int read_histories(cet_drv_opt_run *run, cet_checkpoint *cp, uint64_t generation) {
  size_t rank = 0, dims[3] = {0}, I = run->I;
  CET_CALL(cet_checkpoint_dims(cp, "/optimize/history/hypervolume", &rank, dims));
  CET_CHECK(rank == 2 && dims[0] == generation + 1 && dims[1] == I, CET_ERR_INPUT,
            "checkpoint '%s': the history holds %zu generations, expected %llu",
            cet_checkpoint_path(cp), dims[0], (unsigned long long)generation + 1);
  CET_CALL(cet_checkpoint_dims(cp, "/optimize/migrations", &rank, dims));
  CET_CHECK(rank == 2 && dims[1] == OPT_MIG_COLUMNS, CET_ERR_INPUT,
            "checkpoint '%s': the migration log has %zu columns, expected %d",
            cet_checkpoint_path(cp), dims[1], OPT_MIG_COLUMNS);
  size_t mig = dims[0];
  CET_CALL(cet_drv_opt_reserve(run, generation + 1, mig));
  size_t dh[] = {generation + 1, I}, dm[] = {mig, OPT_MIG_COLUMNS};
  CET_CALL(cet_checkpoint_read_doubles(cp, "/optimize/history/hypervolume", 2, dh, run->hv));
  CET_CALL(cet_checkpoint_read_ints(cp, "/optimize/history/front_size", 2, dh, run->front_size));
  CET_CALL(cet_checkpoint_read_ints(cp, "/optimize/migrations", 2, dm, run->migrations));
  run->rows = generation + 1;
  run->mig_rows = mig;
  return CET_OK;
}

static int read_populations(const cet_drv_opt_run *run, cet_checkpoint *cp, double *rows) {
  size_t I = run->I, N = run->N, n = run->n, m = run->m, c = run->nc, rec = n + m + c;
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_checkpoint_dims(cp, "/optimize/x", &rank, dims));
  CET_CHECK(rank == 3 && dims[0] == I && dims[1] == N, CET_ERR_INPUT,
            "checkpoint '%s' holds %zu islands of %zu individuals, this case %zu of %zu",
            cet_checkpoint_path(cp), dims[0], dims[1], I, N);
  double *x = malloc((I * N * rec + 1) * sizeof *x), *f = x + I * N * n, *g = f + I * N * m;
  CET_CHECK_ALLOC(x);
  const size_t dx[] = {I, N, n}, df[] = {I, N, m}, dg[] = {I, N, c};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_read_doubles(cp, "/optimize/x", 3, dx, x));
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_read_doubles(cp, "/optimize/f", 3, df, f));
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_read_doubles(cp, "/optimize/g", 3, dg, g));
  join_rows(x, f, g, I * N, n, m, c, rows);
cleanup:
  free(x);
  return status;
}

/* Rank 0: reads and checks the whole checkpoint. */
static int read_checkpoint(cet_drv_opt_run *run, const char *path, restored *out) {
  cet_checkpoint *cp = NULL;
  CET_CALL(cet_checkpoint_open(path, "optimize", &cp));
  long long generation = 0;
  size_t one = run->m;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, check_fingerprints(run, cp));
  CET_CALL_GOTO(status, cleanup, cet_checkpoint_attr_int(cp, GROUP, "generation", &generation));
  CET_CHECK_GOTO(status, cleanup,
                 generation >= 0 && (uint64_t)generation <= run->spec->nsga2.generations,
                 CET_ERR_INPUT,
                 "checkpoint '%s' is at generation %lld, beyond the %llu generations of this "
                 "case (raise optimize.generations to continue)",
                 path, generation, (unsigned long long)run->spec->nsga2.generations);
  out->generation = (uint64_t)generation;
  if (cet_optimize_problem_counts_unknown(run->problem)) {
    long long unknown = 0;
    CET_CALL_GOTO(status, cleanup, cet_checkpoint_attr_int(cp, GROUP, UNKNOWN, &unknown));
    CET_CHECK_GOTO(status, cleanup, unknown >= 0, CET_ERR_INPUT, "checkpoint '%s': %s is %lld",
                   path, UNKNOWN, unknown);
    cet_optimize_problem_set_unknown(run->problem, (uint64_t)unknown);
  }
  CET_CALL_GOTO(
      status, cleanup,
      cet_checkpoint_read_doubles(cp, "/optimize/reference_point", 1, &one, run->reference));
  CET_CALL_GOTO(status, cleanup, read_histories(run, cp, out->generation));
  CET_CALL_GOTO(status, cleanup, read_populations(run, cp, out->rows));
cleanup:
  cet_checkpoint_close(&cp);
  return status;
}

/* This rank's buffer for its islands' rows (per_rank values) in *local;
 * rank 0 also reads the checkpoint at path into got. */
static int restore_prepare(cet_drv_opt_run *run, const char *path, size_t per_rank, double **local,
                           restored *got) {
  size_t rec = run->n + run->m + run->nc;
  CET_CHECK(per_rank * (size_t)run->ctx->size <= INT_MAX, CET_ERR_INPUT,
            "the populations are too large to send");
  *local = malloc((per_rank + 1) * sizeof **local);
  CET_CHECK_ALLOC(*local);
  if (run->ctx->rank == 0) {
    got->rows = malloc((run->I * run->N * rec + 1) * sizeof *got->rows);
    CET_CHECK_ALLOC(got->rows);
    CET_CALL(read_checkpoint(run, path, got));
  }
  return CET_OK;
}

/* This rank's islands set to their rows (local) at generation. */
static int set_states(cet_drv_opt_run *run, const double *local, uint64_t generation) {
  size_t n = run->n, m = run->m, c = run->nc, N = run->N, rec = n + m + c;
  double *x = malloc((N * rec + 1) * sizeof *x);
  CET_CHECK_ALLOC(x);
  int status = CET_OK;
  for (size_t l = 0; l < run->L; l++) {
    double *f = x + N * n, *g = f + N * m;
    split_rows(local + l * N * rec, N, n, m, c, x, f, g);
    CET_CALL_GOTO(
        status, cleanup,
        cet_nsga2_set_state(cet_islands_island(run->isl, l), generation, x, f, c ? g : NULL));
  }
cleanup:
  free(x);
  return status;
}

int cet_drv_opt_checkpoint_restore(cet_drv_opt_run *run, const char *path) {
  size_t rec = run->n + run->m + run->nc, per_rank = run->L * run->N * rec;
  restored got = {0};
  double *local = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(
      status, cleanup,
      cet_collective_status(restore_prepare(run, path, per_rank, &local, &got), run->ctx->comm));
  MPI_Bcast(&got.generation, 1, MPI_UINT64_T, 0, run->ctx->comm);
  MPI_Bcast(run->reference, (int)run->m, MPI_DOUBLE, 0, run->ctx->comm);
  MPI_Scatter(got.rows, (int)per_rank, MPI_DOUBLE, local, (int)per_rank, MPI_DOUBLE, 0,
              run->ctx->comm);
  CET_CALL_GOTO(status, cleanup,
                cet_collective_status(set_states(run, local, got.generation), run->ctx->comm));
  run->start = got.generation;
cleanup:
  free(local);
  free(got.rows);
  return status;
}
