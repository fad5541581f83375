/*
 * enumerate.c — the enumeration driver: deals search tasks to ranks, gathers
 * and sorts the flowsheets on rank 0, then prints and writes them (see
 * drivers.h).
 */
#include "cetwin/drivers.h"

#include "enumerate_report.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/timer.h"

#include <limits.h>
#include <stdlib.h>

/* Packs this rank's flowsheets into *buf (*len values) and on rank 0
 * allocates the counts and displacements of the gather (the status of this
 * rank alone). */
static int pack_local(const cet_run_context *ctx, const cet_flowsheets *mine, double **buf,
                      size_t *len, int **counts, int **displs) {
  CET_CALL(cet_flowsheets_pack(mine, buf, len));
  CET_CHECK(*len <= INT_MAX, CET_ERR_RUNTIME,
            "too many flowsheets to gather (%zu values); lower enumerate.max_stored", *len);
  if (ctx->rank == 0) {
    *counts = calloc((size_t)ctx->size, sizeof **counts);
    *displs = calloc((size_t)ctx->size, sizeof **displs);
    CET_CHECK(*counts && *displs, CET_ERR_MEMORY, "out of memory in %s for the counts of %d ranks",
              __func__, ctx->size);
  }
  return CET_OK;
}

/* On rank 0, the displacements of the gathered counts and the buffer that
 * receives every value (the status of this rank alone). */
static int receive_buffer(const cet_run_context *ctx, const int *counts, int *displs,
                          double **everything) {
  if (ctx->rank != 0) {
    return CET_OK;
  }
  long long total = 0;
  for (int r = 0; r < ctx->size; r++) {
    displs[r] = (int)total;
    total += counts[r];
  }
  CET_CHECK(total <= INT_MAX, CET_ERR_RUNTIME,
            "too many flowsheets to gather; lower enumerate.max_stored");
  *everything = malloc((size_t)(total ? total : 1) * sizeof **everything);
  CET_CHECK(*everything != NULL, CET_ERR_MEMORY, "out of memory in %s for %lld gathered values",
            __func__, total);
  return CET_OK;
}

/* Gathers every rank's packed flowsheets into all on rank 0. Collective. */
static int gather(const cet_run_context *ctx, const cet_flowsheets *mine, cet_flowsheets *all) {
  double *buf = NULL, *everything = NULL;
  size_t len = 0;
  int *counts = NULL, *displs = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(
      status, done,
      cet_collective_status(pack_local(ctx, mine, &buf, &len, &counts, &displs), ctx->comm));
  int count = (int)len;
  MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
  CET_CALL_GOTO(status, done,
                cet_collective_status(receive_buffer(ctx, counts, displs, &everything), ctx->comm));
  MPI_Gatherv(buf, count, MPI_DOUBLE, everything, counts, displs, MPI_DOUBLE, 0, ctx->comm);
  for (int r = 0; ctx->rank == 0 && r < ctx->size; r++) {
    CET_CALL_GOTO(status, done,
                  cet_flowsheets_merge_packed(all, everything + displs[r], (size_t)counts[r]));
  }
done:
  free(buf);
  free(counts);
  free(displs);
  free(everything);
  return status;
}

/* This rank's part of the search, and on rank 0 the set that receives
 * every rank's flowsheets (the status of this rank alone). */
static int search_local(const cet_case *c, const cet_run_context *ctx, cet_flowsheets **mine,
                        cet_flowsheets **all) {
  CET_CALL(cet_flowsheets_create(c->library, &c->enumerate, mine));
  CET_CALL(cet_enumerate(c->library, c->feed.mass, c->feed.property, &c->enumerate,
                         (size_t)ctx->rank, (size_t)ctx->size, *mine));
  if (ctx->rank == 0) {
    CET_CALL(cet_flowsheets_create(c->library, &c->enumerate, all));
  }
  return CET_OK;
}

/* Rank 0: sorts the gathered flowsheets, logs the search, prints and
 * writes the result. */
static int report(const cet_case *c, const cet_run_context *ctx, cet_flowsheets *all,
                  double started) {
  cet_flowsheets_sort(all);
  cet_log_info("enumerate: %llu process steps explored on %d rank(s) in %.3g s",
               (unsigned long long)cet_flowsheets_nodes(all), ctx->size, cet_timer_now() - started);
  if (cet_flowsheets_node_limit_hit(all)) {
    cet_log_warn("enumerate: the search stopped at max_nodes = %llu in some task; "
                 "the counts are lower bounds (raise enumerate.max_nodes)",
                 (unsigned long long)c->enumerate.max_nodes);
  }
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    if (cet_flowsheets_found(all, (cet_flowsheet_kind)k) >
        cet_flowsheets_stored(all, (cet_flowsheet_kind)k)) {
      cet_log_warn("enumerate: %llu flowsheets of one kind found, the first %zu kept "
                   "(raise enumerate.max_stored to keep more)",
                   (unsigned long long)cet_flowsheets_found(all, (cet_flowsheet_kind)k),
                   cet_flowsheets_stored(all, (cet_flowsheet_kind)k));
    }
  }
  CET_CALL(cet_drv_enumerate_print(c, all, ctx->summary));
  CET_CALL(cet_drv_enumerate_write(c, all, ctx->result));
  return CET_OK;
}

int cet_driver_enumerate(const cet_case *c, const cet_run_context *ctx) {
  cet_flowsheets *mine = NULL, *all = NULL;
  double started = cet_timer_now();
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_collective_status(search_local(c, ctx, &mine, &all), ctx->comm));
  CET_CALL_GOTO(status, done, gather(ctx, mine, all));
  if (ctx->rank == 0) {
    CET_CALL_GOTO(status, done, report(c, ctx, all, started));
  }
done:
  cet_flowsheets_destroy(&mine);
  cet_flowsheets_destroy(&all);
  return status;
}
