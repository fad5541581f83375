/*
 * optimize_history.c — what the optimize driver records as it runs: the
 * hypervolume reference point, each island's front size and hypervolume
 * after every generation, and the migration log; all gathered on rank 0
 * in island order, so the tables do not depend on the rank count.
 */
#include "optimize_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cet_drv_opt_gather_rows(MPI_Comm comm, MPI_Datatype type, size_t elem, const void *send,
                            size_t rows, size_t width, void **recv, size_t *total) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  *recv = NULL;
  *total = 0;
  int *counts = rank == 0 ? malloc((size_t)size * sizeof *counts) : NULL;
  int *displs = rank == 0 ? malloc((size_t)size * sizeof *displs) : NULL;
  int local = rows * width <= INT_MAX ? (int)(rows * width) : -1, status = CET_OK;
  if (rank == 0 && (!counts || !displs)) {
    status = CET_ERR_MEMORY;
  }
  if (MPI_Gather(&local, 1, MPI_INT, counts, 1, MPI_INT, 0, comm) != MPI_SUCCESS) {
    status = CET_ERR_RUNTIME;
  }
  size_t sum = 0;
  char *buffer = NULL;
  if (rank == 0 && status == CET_OK) {
    for (int r = 0; r < size; r++) {
      displs[r] = (int)sum;
      sum += counts[r] < 0 ? (size_t)INT_MAX + 1 : (size_t)counts[r];
    }
    buffer = sum <= INT_MAX ? malloc(sum * elem + 1) : NULL;
    status = buffer ? CET_OK : CET_ERR_MEMORY;
  }
  int go = status;
  MPI_Bcast(&go, 1, MPI_INT, 0, comm);
  if (go == CET_OK && local >= 0) {
    if (MPI_Gatherv(send, local, type, buffer, counts, displs, type, 0, comm) != MPI_SUCCESS) {
      status = CET_ERR_RUNTIME;
    }
  }
  free(counts);
  free(displs);
  if (go != CET_OK || status != CET_OK) {
    free(buffer);
    CET_CHECK(0, status != CET_OK ? status : go, "gathering %zu rows of %zu values failed", rows,
              width);
  }
  *recv = buffer;
  *total = rank == 0 ? sum / width : 0;
  return CET_OK;
}

int cet_drv_opt_reserve(cet_drv_opt_run *run, size_t rows, size_t mig) {
  if (rows > run->cap_rows) {
    size_t cap = run->cap_rows ? run->cap_rows : 64;
    while (cap < rows) {
      cap *= 2;
    }
    double *hv = realloc(run->hv, cap * run->I * sizeof *hv);
    CET_CHECK_ALLOC(hv);
    run->hv = hv;
    long long *fs = realloc(run->front_size, cap * run->I * sizeof *fs);
    CET_CHECK_ALLOC(fs);
    run->front_size = fs;
    run->cap_rows = cap;
  }
  if (mig > run->cap_mig) {
    size_t cap = run->cap_mig ? run->cap_mig : 64;
    while (cap < mig) {
      cap *= 2;
    }
    long long *m = realloc(run->migrations, cap * OPT_MIG_COLUMNS * sizeof *m);
    CET_CHECK_ALLOC(m);
    run->migrations = m;
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
        lo[j] = f[i * m + j] < lo[j] ? f[i * m + j] : lo[j];
        hi[j] = f[i * m + j] > hi[j] ? f[i * m + j] : hi[j];
      }
    }
  }
  int rc = MPI_Allreduce(MPI_IN_PLACE, lo, (int)m, MPI_DOUBLE, MPI_MIN, run->ctx->comm);
  rc |= MPI_Allreduce(MPI_IN_PLACE, hi, (int)m, MPI_DOUBLE, MPI_MAX, run->ctx->comm);
  int status = rc == MPI_SUCCESS ? CET_OK : CET_ERR_RUNTIME;
  for (size_t j = 0; j < m && status == CET_OK; j++) {
    double range = hi[j] - lo[j];
    double scale = range > 0.0 ? range : fmax(fabs(hi[j]), 1.0);
    run->reference[j] = hi[j] + run->spec->reference_margin * scale;
    if (!isfinite(run->reference[j])) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                     "the initial population gives no finite hypervolume reference for "
                     "objective '%s' (worst value %g): give optimize.reference_point",
                     run->spec->objective[j].metric, cet_optimize_natural(run->spec, j, hi[j]));
      status = CET_ERR_INPUT;
    }
  }
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

int cet_drv_opt_record_generation(cet_drv_opt_run *run) {
  size_t L = run->L, I = run->I;
  double *local = malloc(2 * L * sizeof *local);
  CET_CHECK_ALLOC(local);
  int status = CET_OK;
  for (size_t l = 0; l < L && status == CET_OK; l++) {
    size_t size = 0;
    status = island_front(run, l, &local[l], &size);
    local[L + l] = (double)size;
  }
  status = cet_collective_status(status, run->ctx->comm);
  double *all = NULL;
  size_t total = 0;
  if (status == CET_OK) {
    void *recv = NULL;
    status = cet_drv_opt_gather_rows(run->ctx->comm, MPI_DOUBLE, sizeof(double), local, 1, 2 * L,
                                     &recv, &total);
    all = recv;
  }
  free(local);
  CET_CALL(status);
  if (run->ctx->rank == 0) {
    status = cet_drv_opt_reserve(run, run->rows + 1, 0);
    for (size_t r = 0; status == CET_OK && r < total; r++) { /* row r: rank r's islands */
      for (size_t l = 0; l < L; l++) {
        run->hv[run->rows * I + r * L + l] = all[r * 2 * L + l];
        run->front_size[run->rows * I + r * L + l] = (long long)all[r * 2 * L + L + l];
      }
    }
    run->rows += status == CET_OK;
  }
  free(all);
  CET_CALL(cet_collective_status(status, run->ctx->comm));
  return CET_OK;
}

int cet_drv_opt_record_migration(cet_drv_opt_run *run, uint64_t generation) {
  size_t L = run->L, k = run->spec->islands.migrants, first = cet_islands_first(run->isl);
  size_t rows = 0, cap = 0;
  for (size_t l = 0; l < L; l++) {
    const size_t *src;
    size_t ns;
    CET_CALL(cet_islands_sources(run->isl, first + l, &src, &ns));
    cap += ns;
  }
  long long *local = malloc((cap * OPT_MIG_COLUMNS + 1) * sizeof *local);
  CET_CHECK_ALLOC(local);
  int status = CET_OK;
  for (size_t l = 0; l < L && status == CET_OK; l++) {
    const size_t *src, *slots;
    size_t ns, nslots;
    status = cet_islands_sources(run->isl, first + l, &src, &ns);
    if (status == CET_OK) {
      status = cet_islands_immigrant_slots(run->isl, l, &slots, &nslots);
    }
    const size_t *rank = cet_nsga2_rank(cet_islands_island(run->isl, l));
    for (size_t q = 0; status == CET_OK && q < ns && (q + 1) * k <= nslots; q++) {
      long long in_front = 0;
      for (size_t j = q * k; j < (q + 1) * k; j++) {
        in_front += rank[slots[j]] == 0;
      }
      long long *row = local + rows * OPT_MIG_COLUMNS;
      row[OPT_MIG_GENERATION] = (long long)generation;
      row[OPT_MIG_SOURCE] = (long long)src[q];
      row[OPT_MIG_DESTINATION] = (long long)(first + l);
      row[OPT_MIG_MIGRANTS] = (long long)k;
      row[OPT_MIG_IN_FRONT] = in_front;
      rows++;
    }
  }
  status = cet_collective_status(status, run->ctx->comm);
  void *recv = NULL;
  size_t total = 0;
  if (status == CET_OK) {
    status = cet_drv_opt_gather_rows(run->ctx->comm, MPI_LONG_LONG, sizeof(long long), local, rows,
                                     OPT_MIG_COLUMNS, &recv, &total);
  }
  free(local);
  CET_CALL(status);
  if (run->ctx->rank == 0) {
    status = cet_drv_opt_reserve(run, 0, run->mig_rows + total);
    if (status == CET_OK) {
      memcpy(run->migrations + run->mig_rows * OPT_MIG_COLUMNS, recv,
             total * OPT_MIG_COLUMNS * sizeof(long long));
      run->mig_rows += total;
    }
  }
  free(recv);
  CET_CALL(cet_collective_status(status, run->ctx->comm));
  return CET_OK;
}
