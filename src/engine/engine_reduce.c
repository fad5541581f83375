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

#include "cetwin/array.h"
#include "cetwin/collective.h"
#include "cetwin/error.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The moments of every rank added into rank 0's accumulator acc (which
 * keeps no values). Collective. */
static int gather_moments(MPI_Comm comm, int P, int rank, cet_stats *acc) {
  cet_stats_moments mine, *moments = rank == 0 ? malloc((size_t)P * sizeof *moments) : NULL;
  int status = CET_OK;
  if (rank == 0 && !moments) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                   "out of memory in %s for the moments of %d ranks", __func__, P);
    status = CET_ERR_MEMORY;
  }
  /* agreed before the gather, which would write into the missing array */
  CET_CALL_GOTO(status, done, cet_collective_status(status, comm));
  cet_stats_get_moments(acc, &mine);
  MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, moments, (int)sizeof mine, MPI_BYTE, 0, comm);
  for (int j = 1; rank == 0 && j < P; j++) {
    CET_CALL_GOTO(status, done, cet_stats_add_moments(acc, &moments[j]));
  }
done:
  free(moments);
  return status;
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
      int ready = 0;
      if (n && local == CET_OK) {
        local = cet_array_grow(&in, NULL, (size_t)n, 1);
        ready = local == CET_OK;
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
    void *copy = NULL;
    CET_CALL(cet_collective_status(cet_array_grow(&copy, NULL, size, 1), r->comm));
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

/* Value k's statistics of every rank on rank 0, with their order
 * statistics (this rank's status). Collective: the moments are gathered. */
static int reduce_value(cet_engine_run *r, size_t k) {
  CET_CALL(gather_moments(r->comm, r->size, r->rank, r->total[k]));
  if (r->rank == 0 && r->sel) {
    cet_stats_order o;
    CET_CALL(cet_select_order(r->sel[k], &o));
    CET_CALL(cet_stats_set_order(r->total[k], &o));
  }
  return CET_OK;
}

int cet_engine_reduce(cet_engine_run *r) {
  if (r->acc) {
    const cet_engine_problem *p = r->p;
    tree_acc a = {p->acc_pack, p->acc_merge_bytes, p->model, r->acc};
    CET_CALL(cet_collective_status(merge_tree(r, &a), r->comm));
  }
  for (size_t k = 0; r->s.statistics && k < r->nv; k++) {
    unsigned long long undef = 0, mine_undef = r->total_undef[k];
    MPI_Reduce(&mine_undef, &undef, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, r->comm);
    r->undefined[k] = r->rank == 0 ? undef : 0;
    CET_CALL(cet_collective_status(reduce_value(r, k), r->comm));
  }
  return CET_OK;
}

/* ---- rows gathered on rank 0 ---- */

/* Rank 0: the counts and displacements of a gather of rows[j] x width
 * doubles from each rank j into all (total doubles), checking that the
 * arrays were allocated. */
static int place_gather(int size, const int *rows, size_t width, size_t total, int *counts,
                        int *displs, const double *all) {
  CET_CHECK(counts && displs && all, CET_ERR_MEMORY, "out of memory in %s for %zu values gathered",
            __func__, total);
  CET_CHECK(total <= INT_MAX, CET_ERR_RUNTIME, "%zu values gathered exceed an MPI count", total);
  for (int j = 0, at = 0; j < size; j++) {
    counts[j] = (int)((size_t)rows[j] * width);
    displs[j] = at;
    at += counts[j];
  }
  return CET_OK;
}

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
    local = place_gather(r->size, rows, width, total, counts, displs, *all);
  }
  int go = cet_collective_status(local, r->comm) == CET_OK;
  if (go) {
    MPI_Gatherv(mine, (int)(r->rows * width), MPI_DOUBLE, r->rank == 0 ? *all : NULL, counts,
                displs, MPI_DOUBLE, 0, r->comm);
  }
  free(counts);
  free(displs);
  CET_CHECK(go, CET_ERR_MEMORY, "cannot gather %zu values on rank 0", total);
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

/* This rank's points as doubles (exact below 2^53) in *out. */
static int points_as_doubles(const cet_engine_run *r, double **out) {
  CET_CALL(cet_array_grow(out, NULL, r->rows + 1, sizeof **out));
  for (size_t j = 0; j < r->rows; j++) {
    (*out)[j] = (double)r->row_points[j];
  }
  return CET_OK;
}

/* Rank 0: the gathered values and extras put into the order of the points
 * gathered as doubles in points_d. */
static int order_by_point(const cet_engine_run *r, const double *points_d, double **values,
                          double **extras) {
  uint64_t *points = NULL;
  CET_CALL(cet_array_grow(&points, NULL, r->done + 1, sizeof *points));
  for (size_t j = 0; j < r->done; j++) {
    points[j] = (uint64_t)points_d[j];
  }
  int status = CET_OK;
  CET_CALL_GOTO(status, done, order_rows(r, points, r->nv, values));
  for (size_t i = 0; extras && i < r->p->n_extras; i++) {
    CET_CALL_GOTO(status, done, order_rows(r, points, r->p->extra_width[i], &extras[i]));
  }
done:
  free(points);
  return status;
}

int cet_engine_gather_rows(const cet_engine_run *r, double **values, double **extras) {
  *values = NULL;
  for (size_t i = 0; extras && i < r->p->n_extras; i++) {
    extras[i] = NULL;
  }
  CET_CHECK(r->s.keep_rows, CET_ERR_RUNTIME, "rows are gathered from a plan that keeps them");
  int mine = (int)r->rows, *rows = NULL;
  int local = r->rank == 0 ? cet_array_grow(&rows, NULL, (size_t)r->size, sizeof *rows) : CET_OK;
  CET_CALL(cet_collective_status(local, r->comm));
  MPI_Gather(&mine, 1, MPI_INT, rows, 1, MPI_INT, 0, r->comm);
  double *points_d = NULL, *mine_points = NULL;
  int status = CET_OK;
  /* every path below reaches the agreement at the end */
  CET_CALL_GOTO(status, done, cet_collective_status(points_as_doubles(r, &mine_points), r->comm));
  CET_CALL_GOTO(status, done, gather_doubles(r, mine_points, 1, rows, &points_d));
  CET_CALL_GOTO(status, done, gather_doubles(r, r->row_values, r->nv, rows, values));
  for (size_t i = 0; extras && i < r->p->n_extras; i++) {
    CET_CALL_GOTO(status, done,
                  gather_doubles(r, r->row_extras[i], r->p->extra_width[i], rows, &extras[i]));
  }
  if (r->rank == 0) {
    status = order_by_point(r, points_d, values, extras);
  }
done:
  free(points_d);
  free(mine_points);
  free(rows);
  return cet_collective_status(status, r->comm);
}
