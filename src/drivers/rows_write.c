/*
 * rows_write.c — the rows a run of the sampling engine kept, written to
 * the result file in parallel (rows_write.h): one hyperslab selection per
 * rank (the engine's row layout, cet_engine_rows) and one collective write
 * per dataset, the datasets reserved by rank 0 before the file is shared
 * and described by it afterwards.
 */
#include "rows_write.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"

#include <stdlib.h>

int cet_drv_rows_points(const cet_engine_run *run, long long **out) {
  size_t local = cet_engine_local_rows(run);
  const uint64_t *points = cet_engine_local_points(run);
  long long *index = malloc((local + 1) * sizeof *index);
  CET_CHECK_ALLOC(index);
  for (size_t i = 0; i < local; i++) {
    index[i] = (long long)points[i];
  }
  *out = index;
  return CET_OK;
}

/* The shape of dataset d: its own, with the rows kept first. */
static void shape(const cet_engine_run *run, const cet_drv_rows_dataset *d, size_t *dims) {
  dims[0] = (size_t)cet_engine_done(run);
  for (size_t i = 1; i < sizeof d->dims / sizeof d->dims[0]; i++) {
    dims[i] = d->dims[i];
  }
}

/* Every dataset, this rank's rows of each; the ranks agree on success
 * after each. */
static int write_all(const cet_run_context *ctx, const cet_engine_run *run, cet_result *res,
                     const cet_drv_rows_dataset *d, size_t n) {
  cet_result_rows rows = cet_engine_rows(run);
  for (size_t k = 0; k < n; k++) {
    size_t dims[3];
    shape(run, &d[k], dims);
    int status = cet_result_write_rows(res, d[k].path, d[k].type, d[k].rank, dims, &rows, d[k].data,
                                       &d[k].meta);
    CET_CALL(cet_collective_status(status, ctx->comm));
  }
  return CET_OK;
}

/* Rank 0: the datasets with their space taken, before the file is shared. */
static int reserve_all(const cet_engine_run *run, cet_result *root, const cet_drv_rows_dataset *d,
                       size_t n) {
  size_t block = cet_engine_rows(run).block;
  for (size_t k = 0; k < n; k++) {
    size_t dims[3];
    shape(run, &d[k], dims);
    CET_CALL(cet_result_reserve_rows(root, d[k].path, d[k].type, d[k].rank, dims, block));
  }
  return CET_OK;
}

/* This rank's end of a shared write (written: its status, back: that of
 * unsharing the file): rank 0 describes every dataset. */
static int conclude(const cet_run_context *ctx, cet_result *root, const cet_drv_rows_dataset *d,
                    size_t n, int written, int back) {
  CET_CALL(written);
  CET_CALL(back);
  for (size_t k = 0; ctx->rank == 0 && k < n; k++) {
    CET_CALL(cet_result_describe(root, d[k].path, &d[k].meta));
  }
  return CET_OK;
}

int cet_drv_rows_write(const cet_run_context *ctx, const cet_engine_run *run,
                       const cet_drv_rows_dataset *d, size_t n) {
  cet_result *root = ctx->result;
  if (ctx->size == 1) {
    return root ? write_all(ctx, run, root, d, n) : CET_OK;
  }
  CET_CALL(
      cet_collective_status(ctx->rank == 0 ? reserve_all(run, root, d, n) : CET_OK, ctx->comm));
  cet_result *shared = NULL;
  CET_CALL(cet_result_share(root, ctx->comm, &shared));
  int written = write_all(ctx, run, shared, d, n);
  int back = cet_result_unshare(&shared, root); /* collective: after a failed write too */
  CET_CALL(cet_collective_status(conclude(ctx, root, d, n, written, back), ctx->comm));
  return CET_OK;
}
