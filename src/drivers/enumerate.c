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

/* Gathers every rank's packed flowsheets into all on rank 0. Collective. */
static int gather(const cet_run_context *ctx, const cet_flowsheets *mine, cet_flowsheets *all) {
  double *buf = NULL;
  size_t len = 0;
  int status = cet_flowsheets_pack(mine, &buf, &len);
  if (status == CET_OK && len > INT_MAX) {
    cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__,
                   "too many flowsheets to gather (%zu values); lower enumerate.max_stored", len);
    status = CET_ERR_RUNTIME;
  }
  status = cet_collective_status(status, ctx->comm);
  if (status != CET_OK) {
    free(buf);
    return status;
  }
  int count = (int)len;
  int *counts = NULL, *displs = NULL;
  double *everything = NULL;
  long long total = 0;
  if (ctx->rank == 0) {
    counts = calloc((size_t)ctx->size, sizeof *counts);
    displs = calloc((size_t)ctx->size, sizeof *displs);
  }
  MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, ctx->comm);
  if (ctx->rank == 0) {
    for (int r = 0; r < ctx->size; r++) {
      displs[r] = (int)total;
      total += counts[r];
    }
    if (total > INT_MAX) {
      status = CET_ERR_RUNTIME;
      cet_error_push(status, __FILE__, __LINE__, __func__,
                     "too many flowsheets to gather; lower enumerate.max_stored");
    } else {
      everything = malloc((size_t)(total ? total : 1) * sizeof *everything);
      if (!everything) {
        status = CET_ERR_MEMORY;
      }
    }
  }
  status = cet_collective_status(status, ctx->comm);
  if (status == CET_OK) {
    MPI_Gatherv(buf, count, MPI_DOUBLE, everything, counts, displs, MPI_DOUBLE, 0, ctx->comm);
    for (int r = 0; ctx->rank == 0 && r < ctx->size && status == CET_OK; r++) {
      status = cet_flowsheets_merge_packed(all, everything + displs[r], (size_t)counts[r]);
    }
  }
  free(buf);
  free(counts);
  free(displs);
  free(everything);
  return status;
}

int cet_driver_enumerate(const cet_case *c, const cet_run_context *ctx) {
  cet_flowsheets *mine = NULL, *all = NULL;
  double started = cet_timer_now();
  int status = cet_flowsheets_create(c->library, &c->enumerate, &mine);
  if (status == CET_OK) {
    status = cet_enumerate(c->library, c->feed.mass, c->feed.property, &c->enumerate,
                           (size_t)ctx->rank, (size_t)ctx->size, mine);
  }
  if (status == CET_OK && ctx->rank == 0) {
    status = cet_flowsheets_create(c->library, &c->enumerate, &all);
  }
  status = cet_collective_status(status, ctx->comm);
  if (status == CET_OK) {
    status = gather(ctx, mine, all);
  }
  if (status == CET_OK && ctx->rank == 0) {
    cet_flowsheets_sort(all);
    cet_log_info("enumerate: %llu process steps explored on %d rank(s) in %.3g s",
                 (unsigned long long)cet_flowsheets_nodes(all), ctx->size,
                 cet_timer_now() - started);
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
    status = cet_drv_enumerate_print(c, all, ctx->summary);
    if (status == CET_OK) {
      status = cet_drv_enumerate_write(c, all, ctx->result);
    }
  }
  cet_flowsheets_destroy(&mine);
  cet_flowsheets_destroy(&all);
  return status;
}
