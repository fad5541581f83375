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

int cet_engine_reduce(cet_engine_run *r) {
  int status = CET_OK;
  for (size_t k = 0; k < r->nv && status == CET_OK; k++) {
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
