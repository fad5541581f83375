/*
 * engine_reduce.c — the totals of every rank brought to rank 0 (see
 * engine_impl.h). Moments are exact sums, so their order does not matter;
 * kept values are merged as sorted runs along a binomial tree: each rank
 * sorts its own values (all at once), then rank r + step sends them to
 * rank r, which merges the two sorted runs, for step = 1, 2, 4, ... Rank 0
 * does about 2 n work instead of sorting all n values itself, and the
 * result is the one sorted multiset whatever the layout.
 */
#include "engine_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* What a rank sends its parent in the reduction tree. */
typedef struct {
  int status;          /* CET_OK, or the sender failed (it reports why) */
  int count;           /* values that follow when the parent can take them */
  cet_stats_moments m; /* their moments */
} tree_header;

/* Merges the values of every rank into rank 0's accumulator acc along a
 * binomial tree. A parent that cannot hold the values says so before they
 * are sent. Collective. */
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

/* Merges the accumulators of every rank into rank 0's along a binomial
 * tree (the merge is exact, so the tree's shape does not matter): a child
 * sends the size of its packed accumulator, the parent says whether it
 * has room, then the bytes follow. Collective. */
static int merge_accumulators(cet_engine_run *r) {
  const cet_engine_problem *p = r->p;
  int local = CET_OK;
  void *in = NULL;
  for (int step = 1; step < r->size; step *= 2) {
    if (r->rank % (2 * step) == step) {
      const void *bytes = NULL;
      size_t size = 0;
      local = p->acc_pack(r->acc, &bytes, &size);
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
        local = p->acc_merge_bytes(p->model, r->acc, in, (size_t)n);
      }
    }
  }
  free(in);
  return local;
}

int cet_engine_reduce(cet_engine_run *r) {
  int status = CET_OK;
  if (r->acc) {
    CET_CALL(cet_collective_status(merge_accumulators(r), r->comm));
  }
  for (size_t k = 0; r->s.statistics && k < r->nv && status == CET_OK; k++) {
    unsigned long long undef = 0, mine_undef = r->total_undef[k];
    MPI_Reduce(&mine_undef, &undef, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, r->comm);
    r->undefined[k] = r->rank == 0 ? undef : 0;
    int local = r->s.quantiles ? tree_merge(r->comm, r->size, r->rank, r->total[k])
                               : gather_moments(r->comm, r->size, r->rank, r->total[k]);
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
