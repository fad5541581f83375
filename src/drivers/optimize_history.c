/*
 * optimize_history.c — what the optimize driver records as it runs: the
 * hypervolume reference point, each island's front size and hypervolume
 * after every generation, and the migration log; all gathered on rank 0
 * in island order, so the tables do not depend on the rank count.
 */
#include "optimize_impl.h"

#include "cetwin/array.h"
#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rank 0's part of gathering: where each rank's values go (counts from
 * MPI_Gather, -1 for a rank with more than INT_MAX) and the buffer for
 * them all, of *sum values. */
static int gather_layout(const int *counts, int *displs, int size, size_t elem, size_t *sum,
                         char **buffer) {
  CET_CHECK_ALLOCS(counts && displs);
  *sum = 0;
  for (int r = 0; r < size; r++) {
    displs[r] = (int)*sum;
    *sum += counts[r] < 0 ? (size_t)INT_MAX + 1 : (size_t)counts[r];
  }
  CET_CHECK(*sum <= INT_MAX, CET_ERR_RUNTIME, "%zu values are too many to gather", *sum);
  *buffer = malloc(*sum * elem + 1);
  CET_CHECK_ALLOC(*buffer);
  return CET_OK;
}

int cet_drv_opt_gather_rows(MPI_Comm comm, MPI_Datatype type, size_t elem, const void *send,
                            size_t rows, size_t width, void **recv, size_t *total) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  *recv = NULL;
  *total = 0;
  int *counts = rank == 0 ? malloc((size_t)size * sizeof *counts) : NULL;
  int *displs = rank == 0 ? malloc((size_t)size * sizeof *displs) : NULL;
  int ready = CET_OK;
  if (rank == 0 && (!counts || !displs)) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                   "out of memory in %s for the counts of %d ranks", __func__, size);
    ready = CET_ERR_MEMORY;
  }
  /* agreed before the gather, which would write into the missing counts */
  ready = cet_collective_status(ready, comm);
  if (ready != CET_OK) {
    free(counts);
    free(displs);
    return ready;
  }
  int local = rows * width <= INT_MAX ? (int)(rows * width) : -1;
  int gathered = MPI_Gather(&local, 1, MPI_INT, counts, 1, MPI_INT, 0, comm);
  size_t sum = 0;
  char *buffer = NULL;
  int go = gathered != MPI_SUCCESS ? CET_ERR_RUNTIME
           : rank == 0             ? gather_layout(counts, displs, size, elem, &sum, &buffer)
                                   : CET_OK;
  MPI_Bcast(&go, 1, MPI_INT, 0, comm);
  int status = gathered != MPI_SUCCESS ? CET_ERR_RUNTIME : go;
  if (go == CET_OK && local >= 0 &&
      MPI_Gatherv(send, local, type, buffer, counts, displs, type, 0, comm) != MPI_SUCCESS) {
    status = CET_ERR_RUNTIME;
  }
  free(counts);
  free(displs);
  if (status != CET_OK) {
    free(buffer);
  }
  CET_CHECK(status == CET_OK, status, "gathering %zu rows of %zu values failed", rows, width);
  *recv = buffer;
  *total = rank == 0 ? sum / width : 0;
  return CET_OK;
}

int cet_drv_opt_total_unknown(cet_drv_opt_run *run) {
  uint64_t mine = cet_optimize_problem_unknown(run->problem), sum = 0;
  int rc = MPI_Reduce(&mine, &sum, 1, MPI_UINT64_T, MPI_SUM, 0, run->ctx->comm);
  CET_CHECK(rc == MPI_SUCCESS, CET_ERR_RUNTIME,
            "summing the designs with unknown consumptions over the ranks failed");
  run->unknown = run->ctx->rank == 0 ? sum : 0;
  return CET_OK;
}

/* Makes the run's tables hold rows generations and mig migrations. */
int cet_drv_opt_reserve(cet_drv_opt_run *run, size_t rows, size_t mig) {
  if (rows > run->cap_rows) {
    size_t cap = run->cap_rows ? run->cap_rows : 64;
    while (cap < rows) {
      cap *= 2;
    }
    CET_CALL(cet_array_grow(&run->hv, NULL, cap * run->I, sizeof *run->hv));
    CET_CALL(cet_array_grow(&run->front_size, NULL, cap * run->I, sizeof *run->front_size));
    run->cap_rows = cap;
  }
  if (mig > run->cap_mig) {
    size_t cap = run->cap_mig ? run->cap_mig : 64;
    while (cap < mig) {
      cap *= 2;
    }
    CET_CALL(
        cet_array_grow(&run->migrations, NULL, cap * OPT_MIG_COLUMNS, sizeof *run->migrations));
    run->cap_mig = cap;
  }
  return CET_OK;
}

int cet_drv_opt_reference(cet_drv_opt_run *run) {
  size_t m = run->m;
  if (run->spec->reference_point) {
    for (size_t j = 0; j < m; j++) {
      /* natural -> minimised: a maximised objective is negated */
      run->reference[j] = cet_optimize_natural(run->spec, j, run->spec->reference_point[j]);
    }
    return CET_OK;
  }
  double *lo = malloc(2 * m * sizeof *lo), *hi = lo ? lo + m : NULL;
  CET_CHECK_ALLOC(lo);
  for (size_t j = 0; j < m; j++) {
    lo[j] = INFINITY;
    hi[j] = -INFINITY;
  }
  for (size_t l = 0; l < run->L; l++) {
    const double *f = cet_nsga2_f(cet_islands_island(run->isl, l));
    for (size_t i = 0; i < run->N; i++) {
      for (size_t j = 0; j < m; j++) {
        double v = f[i * m + j];
        if (isfinite(v)) { /* +infinity: undefined at an infeasible design */
          lo[j] = v < lo[j] ? v : lo[j];
          hi[j] = v > hi[j] ? v : hi[j];
        }
      }
    }
  }
  int status = CET_OK;
  int rc = MPI_Allreduce(MPI_IN_PLACE, lo, (int)m, MPI_DOUBLE, MPI_MIN, run->ctx->comm);
  rc |= MPI_Allreduce(MPI_IN_PLACE, hi, (int)m, MPI_DOUBLE, MPI_MAX, run->ctx->comm);
  CET_CHECK_GOTO(status, cleanup, rc == MPI_SUCCESS, CET_ERR_RUNTIME,
                 "reducing the objectives' ranges over the ranks failed");
  for (size_t j = 0; j < m; j++) {
    double range = hi[j] - lo[j];
    double scale = range > 0.0 ? range : fmax(fabs(hi[j]), 1.0);
    run->reference[j] = hi[j] + run->spec->reference_margin * scale;
    CET_CHECK_GOTO(status, cleanup, hi[j] >= lo[j], CET_ERR_INPUT,
                   "no design of the initial population has a value of objective '%s' (every "
                   "one is infeasible: it cannot be priced): give optimize.reference_point",
                   run->spec->objective[j].metric);
    CET_CHECK_GOTO(status, cleanup, isfinite(run->reference[j]), CET_ERR_INPUT,
                   "the initial population gives no finite hypervolume reference for "
                   "objective '%s' (worst value %g): give optimize.reference_point",
                   run->spec->objective[j].metric, cet_optimize_natural(run->spec, j, hi[j]));
  }
cleanup:
  free(lo);
  return status;
}

/* Front size and hypervolume of local island l: its feasible individuals
 * of rank 0. */
static int island_front(cet_drv_opt_run *run, size_t l, double *hv, size_t *size) {
  const cet_nsga2 *ga = cet_islands_island(run->isl, l);
  const size_t *rank = cet_nsga2_rank(ga);
  const double *cv = cet_nsga2_violation(ga), *f = cet_nsga2_f(ga);
  size_t k = 0;
  for (size_t i = 0; i < run->N; i++) {
    if (rank[i] == 0 && cv[i] == 0.0) {
      memcpy(run->scratch + k * run->m, f + i * run->m, run->m * sizeof *f);
      k++;
    }
  }
  *size = k;
  CET_CALL(cet_hypervolume(run->scratch, k, run->m, run->reference, hv));
  return CET_OK;
}

/* This rank's islands: their hypervolumes, then their front sizes, into
 * *local (2 L values). */
static int local_fronts(cet_drv_opt_run *run, double **local) {
  size_t L = run->L;
  *local = malloc(2 * L * sizeof **local + 1);
  CET_CHECK_ALLOC(*local);
  for (size_t l = 0; l < L; l++) {
    size_t size = 0;
    CET_CALL(island_front(run, l, &(*local)[l], &size));
    (*local)[L + l] = (double)size;
  }
  return CET_OK;
}

/* Rank 0: the gathered islands' rows (rank r's islands in row r) as the
 * next generation of the tables. */
static int store_generation(cet_drv_opt_run *run, const double *all, size_t total) {
  size_t L = run->L, I = run->I;
  CET_CALL(cet_drv_opt_reserve(run, run->rows + 1, 0));
  for (size_t r = 0; r < total; r++) {
    for (size_t l = 0; l < L; l++) {
      run->hv[run->rows * I + r * L + l] = all[r * 2 * L + l];
      run->front_size[run->rows * I + r * L + l] = (long long)all[r * 2 * L + L + l];
    }
  }
  run->rows++;
  return CET_OK;
}

/* Gathers the islands' fronts (local) on rank 0 and stores them there. */
static int collect_generation(cet_drv_opt_run *run, const double *local) {
  void *all = NULL;
  size_t total = 0;
  CET_CALL(cet_drv_opt_gather_rows(run->ctx->comm, MPI_DOUBLE, sizeof(double), local, 1, 2 * run->L,
                                   &all, &total));
  int status = run->ctx->rank == 0 ? store_generation(run, all, total) : CET_OK;
  free(all);
  return status;
}

int cet_drv_opt_record_generation(cet_drv_opt_run *run) {
  double *local = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_collective_status(local_fronts(run, &local), run->ctx->comm));
  CET_CALL_GOTO(status, cleanup,
                cet_collective_status(collect_generation(run, local), run->ctx->comm));
cleanup:
  free(local);
  return status;
}

/* This rank's migration rows of generation into local (room for every
 * source of its islands); *rows counts them. */
static int local_migrations(cet_drv_opt_run *run, uint64_t generation, long long *local,
                            size_t *rows) {
  size_t L = run->L, k = run->spec->islands.migrants, first = cet_islands_first(run->isl);
  *rows = 0;
  for (size_t l = 0; l < L; l++) {
    const size_t *src, *slots;
    size_t ns, nslots;
    CET_CALL(cet_islands_sources(run->isl, first + l, &src, &ns));
    CET_CALL(cet_islands_immigrant_slots(run->isl, l, &slots, &nslots));
    const size_t *rank = cet_nsga2_rank(cet_islands_island(run->isl, l));
    for (size_t q = 0; q < ns && (q + 1) * k <= nslots; q++) {
      long long in_front = 0;
      for (size_t j = q * k; j < (q + 1) * k; j++) {
        in_front += rank[slots[j]] == 0;
      }
      long long *row = local + *rows * OPT_MIG_COLUMNS;
      row[OPT_MIG_GENERATION] = (long long)generation;
      row[OPT_MIG_SOURCE] = (long long)src[q];
      row[OPT_MIG_DESTINATION] = (long long)(first + l);
      row[OPT_MIG_MIGRANTS] = (long long)k;
      row[OPT_MIG_IN_FRONT] = in_front;
      (*rows)++;
    }
  }
  return CET_OK;
}

/* This rank's rows of generation's migrations, in *local. */
static int prepare_migrations(cet_drv_opt_run *run, uint64_t generation, long long **local,
                              size_t *rows) {
  size_t L = run->L, cap = 0, first = cet_islands_first(run->isl);
  for (size_t l = 0; l < L; l++) {
    const size_t *src;
    size_t ns;
    CET_CALL(cet_islands_sources(run->isl, first + l, &src, &ns));
    cap += ns;
  }
  *local = malloc((cap * OPT_MIG_COLUMNS + 1) * sizeof **local);
  CET_CHECK_ALLOC(*local);
  CET_CALL(local_migrations(run, generation, *local, rows));
  return CET_OK;
}

/* Gathers the migration rows (local, rows of them) on rank 0 and appends
 * them to the log there. */
static int collect_migrations(cet_drv_opt_run *run, const long long *local, size_t rows) {
  void *recv = NULL;
  size_t total = 0;
  CET_CALL(cet_drv_opt_gather_rows(run->ctx->comm, MPI_LONG_LONG, sizeof(long long), local, rows,
                                   OPT_MIG_COLUMNS, &recv, &total));
  int status = CET_OK;
  if (run->ctx->rank == 0) {
    CET_CALL_GOTO(status, cleanup, cet_drv_opt_reserve(run, 0, run->mig_rows + total));
    memcpy(run->migrations + run->mig_rows * OPT_MIG_COLUMNS, recv,
           total * OPT_MIG_COLUMNS * sizeof(long long));
    run->mig_rows += total;
  }
cleanup:
  free(recv);
  return status;
}

int cet_drv_opt_record_migration(cet_drv_opt_run *run, uint64_t generation) {
  long long *local = NULL;
  size_t rows = 0;
  int status = CET_OK;
  CET_CALL_GOTO(
      status, cleanup,
      cet_collective_status(prepare_migrations(run, generation, &local, &rows), run->ctx->comm));
  CET_CALL_GOTO(status, cleanup,
                cet_collective_status(collect_migrations(run, local, rows), run->ctx->comm));
cleanup:
  free(local);
  return status;
}
