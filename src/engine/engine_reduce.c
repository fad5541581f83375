/*
 * engine_reduce.c — the totals of every rank brought to rank 0 (see
 * engine_impl.h). Moments are exact sums, so their order does not matter.
 * Mergeable accumulators given as bytes (the problem's, and each pass's
 * selection accumulators, select.h) are merged along a binomial tree: rank
 * r + step sends its bytes to rank r, which adds them into its own, for
 * step = 1, 2, 4, ...; every merge is exact, so the tree's shape does not
 * matter. After each selection pass rank 0 advances the selections and
 * sends their state to every rank.
 */
#include "engine_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The moments of every rank added into rank 0's accumulator acc (which
 * keeps no values). Collective. */
static int gather_moments(MPI_Comm comm, int P, int rank, cet_stats *acc) {
  cet_stats_moments mine, *moments = rank == 0 ? malloc((size_t)P * sizeof *moments) : NULL;
  cet_stats_get_moments(acc, &mine);
  MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, moments, (int)sizeof mine, MPI_BYTE, 0, comm);
  int local = rank == 0 && !moments ? CET_ERR_MEMORY : CET_OK;
  for (int j = 1; rank == 0 && local == CET_OK && j < P; j++) {
    local = cet_stats_add_moments(acc, &moments[j]);
  }
  free(moments);
  return local;
}

/* An accumulator merged as bytes: pack gives its bytes, merge adds bytes
 * of another into it. */
typedef struct {
  int (*pack)(void *acc, const void **bytes, size_t *size);
  int (*merge)(void *model, void *acc, const void *bytes, size_t size);
  void *model, *acc;
} tree_acc;

/* Merges the accumulator a of every rank into rank 0's along a binomial
 * tree: a child sends the size of its packed accumulator, the parent says
 * whether it has room, then the bytes follow. Collective. */
static int merge_tree(const cet_engine_run *r, const tree_acc *a) {
  int local = CET_OK;
  void *in = NULL;
  for (int step = 1; step < r->size; step *= 2) {
    if (r->rank % (2 * step) == step) {
      const void *bytes = NULL;
      size_t size = 0;
      local = a->pack(a->acc, &bytes, &size);
      unsigned long long n = local == CET_OK && size <= INT_MAX ? size : 0;
      if (local == CET_OK && size > INT_MAX) {
        cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__,
                       "an accumulator of %zu bytes is more than one message holds", size);
        local = CET_ERR_RUNTIME;
      }
      int ready = 0;
      MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, r->rank - step, 3, r->comm);
      MPI_Recv(&ready, 1, MPI_INT, r->rank - step, 4, r->comm, MPI_STATUS_IGNORE);
      if (n && ready) {
        MPI_Send(bytes, (int)n, MPI_BYTE, r->rank - step, 5, r->comm);
      }
      break;
    }
    if (r->rank + step < r->size) {
      unsigned long long n = 0;
      MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, r->rank + step, 3, r->comm, MPI_STATUS_IGNORE);
      void *grown = n ? realloc(in, (size_t)n) : NULL;
      in = grown ? grown : in;
      int ready = grown != NULL && local == CET_OK;
      if (n && !grown && local == CET_OK) {
        cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                       "out of memory for an accumulator of %llu bytes", n);
        local = CET_ERR_MEMORY;
      }
      MPI_Send(&ready, 1, MPI_INT, r->rank + step, 4, r->comm);
      if (n && ready) {
        MPI_Recv(in, (int)n, MPI_BYTE, r->rank + step, 5, r->comm, MPI_STATUS_IGNORE);
        local = a->merge(a->model, a->acc, in, (size_t)n);
      }
    }
  }
  free(in);
  return local;
}

static int select_pack(void *acc, const void **bytes, size_t *size) {
  return cet_select_acc_pack(acc, bytes, size);
}

static int select_merge(void *model, void *acc, const void *bytes, size_t size) {
  (void)model;
  return cet_select_acc_merge_bytes(acc, bytes, size);
}

int cet_engine_select_end_pass(cet_engine_run *r, int *more) {
  *more = 0;
  for (size_t k = 0; k < r->nv; k++) {
    if (cet_select_done(r->sel[k])) {
      continue;
    }
    unsigned long long mine = cet_stats_count(r->total[k]), n = 0;
    MPI_Allreduce(&mine, &n, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, r->comm);
    tree_acc a = {select_pack, select_merge, NULL, r->sel_acc[k]};
    CET_CALL(cet_collective_status(merge_tree(r, &a), r->comm));
    int local = r->rank == 0 ? cet_select_advance(r->sel[k], r->sel_acc[k], n) : CET_OK;
    CET_CALL(cet_collective_status(local, r->comm));
    const void *state = NULL;
    size_t size = 0;
    cet_select_state(r->sel[k], &state, &size);
    void *copy = malloc(size);
    local = copy ? CET_OK : CET_ERR_MEMORY;
    if (!copy) {
      cet_error_push(local, __FILE__, __LINE__, __func__, "out of memory");
    }
    CET_CALL(cet_collective_status(local, r->comm));
    memcpy(copy, state, size);
    MPI_Bcast(copy, (int)size, MPI_BYTE, 0, r->comm);
    local = r->rank == 0 ? CET_OK : cet_select_set_state(r->sel[k], copy, size);
    free(copy);
    CET_CALL(cet_collective_status(local, r->comm));
    *more = *more || !cet_select_done(r->sel[k]);
  }
  for (size_t k = 0; k < r->nv; k++) {
    cet_select_acc_destroy(&r->sel_acc[k]);
    CET_CALL(cet_collective_status(cet_select_acc_create(r->sel[k], &r->sel_acc[k]), r->comm));
  }
  return CET_OK;
}

int cet_engine_reduce(cet_engine_run *r) {
  int status = CET_OK;
  if (r->acc) {
    const cet_engine_problem *p = r->p;
    tree_acc a = {p->acc_pack, p->acc_merge_bytes, p->model, r->acc};
    CET_CALL(cet_collective_status(merge_tree(r, &a), r->comm));
  }
  for (size_t k = 0; r->s.statistics && k < r->nv && status == CET_OK; k++) {
    unsigned long long undef = 0, mine_undef = r->total_undef[k];
    MPI_Reduce(&mine_undef, &undef, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, r->comm);
    r->undefined[k] = r->rank == 0 ? undef : 0;
    int local = gather_moments(r->comm, r->size, r->rank, r->total[k]);
    if (local == CET_OK && r->rank == 0 && r->sel) {
      cet_stats_order o;
      local = cet_select_order(r->sel[k], &o);
      if (local == CET_OK) {
        local = cet_stats_set_order(r->total[k], &o);
      }
    }
    if (local == CET_ERR_MEMORY && cet_error_code() == CET_OK) {
      cet_error_push(local, __FILE__, __LINE__, __func__, "out of memory");
    }
    status = cet_collective_status(local, r->comm);
  }
  return status;
}

/* ---- rows gathered on rank 0 ---- */

/* Gathers count x width doubles of each rank (in rank order) on rank 0
 * into *all (allocated there). Collective. */
static int gather_doubles(const cet_engine_run *r, const double *mine, size_t width,
                          const int *rows, double **all) {
  int *counts = NULL, *displs = NULL, local = CET_OK;
  size_t total = 0;
  if (r->rank == 0) {
    counts = calloc((size_t)r->size, sizeof *counts);
    displs = calloc((size_t)r->size, sizeof *displs);
    for (int j = 0; j < r->size; j++) {
      total += (size_t)rows[j] * width;
    }
    *all = malloc((total + 1) * sizeof **all);
    local = counts && displs && *all && total <= INT_MAX ? CET_OK : CET_ERR_MEMORY;
    for (int j = 0, at = 0; local == CET_OK && j < r->size; j++) {
      counts[j] = (int)((size_t)rows[j] * width);
      displs[j] = at;
      at += counts[j];
    }
  }
  int go = cet_collective_status(local, r->comm) == CET_OK;
  if (go) {
    MPI_Gatherv(mine, (int)(r->rows * width), MPI_DOUBLE, r->rank == 0 ? *all : NULL, counts,
                displs, MPI_DOUBLE, 0, r->comm);
  }
  free(counts);
  free(displs);
  CET_CHECK(go, CET_ERR_MEMORY, "out of memory for %zu values gathered", total);
  return CET_OK;
}

/* Puts the rows of `all` (width doubles each, in the order of points) into
 * point order in place of *all. */
static int order_rows(const cet_engine_run *r, const uint64_t *points, size_t width, double **all) {
  double *sorted = malloc((r->done * width + 1) * sizeof *sorted);
  CET_CHECK_ALLOC(sorted);
  for (size_t j = 0; j < r->done; j++) {
    memcpy(sorted + (points[j] - r->s.first) * width, *all + j * width, width * sizeof *sorted);
  }
  free(*all);
  *all = sorted;
  return CET_OK;
}

int cet_engine_gather_rows(const cet_engine_run *r, double **values, double **extras) {
  *values = NULL;
  for (size_t i = 0; extras && i < r->p->n_extras; i++) {
    extras[i] = NULL;
  }
  CET_CHECK(r->s.keep_rows, CET_ERR_RUNTIME, "rows are gathered from a plan that keeps them");
  int mine = (int)r->rows, *rows = r->rank == 0 ? calloc((size_t)r->size, sizeof *rows) : NULL;
  CET_CHECK(cet_collective_status(r->rank != 0 || rows ? CET_OK : CET_ERR_MEMORY, r->comm) ==
                CET_OK,
            CET_ERR_MEMORY, "out of memory");
  MPI_Gather(&mine, 1, MPI_INT, rows, 1, MPI_INT, 0, r->comm);
  double *points_d = NULL, *mine_points = malloc((r->rows + 1) * sizeof *mine_points);
  int status = mine_points ? CET_OK : CET_ERR_MEMORY;
  for (size_t j = 0; status == CET_OK && j < r->rows; j++) {
    mine_points[j] = (double)r->row_points[j]; /* exact below 2^53 */
  }
  status = cet_collective_status(status, r->comm);
  if (status == CET_OK) {
    status = gather_doubles(r, mine_points, 1, rows, &points_d);
  }
  if (status == CET_OK) {
    status = gather_doubles(r, r->row_values, r->nv, rows, values);
  }
  for (size_t i = 0; status == CET_OK && extras && i < r->p->n_extras; i++) {
    status = gather_doubles(r, r->row_extras[i], r->p->extra_width[i], rows, &extras[i]);
  }
  uint64_t *points = NULL;
  if (status == CET_OK && r->rank == 0) {
    points = malloc((r->done + 1) * sizeof *points);
    status = points ? CET_OK : CET_ERR_MEMORY;
    for (size_t j = 0; status == CET_OK && j < r->done; j++) {
      points[j] = (uint64_t)points_d[j];
    }
    if (status == CET_OK) {
      status = order_rows(r, points, r->nv, values);
    }
    for (size_t i = 0; status == CET_OK && extras && i < r->p->n_extras; i++) {
      status = order_rows(r, points, r->p->extra_width[i], &extras[i]);
    }
  }
  free(points);
  free(points_d);
  free(mine_points);
  free(rows);
  return cet_collective_status(status, r->comm);
}
