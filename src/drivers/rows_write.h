/*
 * rows_write.h — the rows a run of the sampling engine kept (keep_rows)
 * written to the result file (private to src/drivers): the Monte Carlo's
 * /mc/draws and the Sobol' points of a sensitivity run. Every rank writes
 * its own rows of each dataset with one hyperslab selection and collective
 * MPI-IO writes; rank 0 reserves the datasets' space before the file is
 * shared and describes them afterwards.
 */
#ifndef CETWIN_ROWS_WRITE_H
#define CETWIN_ROWS_WRITE_H

#include "cetwin/drivers.h"
#include "cetwin/engine.h"
#include "cetwin/result.h"

#include <stddef.h>

/* One dataset of the kept rows: dimension 0 is the row (the point, in plan
 * order), dims[1 .. rank - 1] the rest; data holds this rank's rows, packed
 * in the order of cet_engine_local_points. */
typedef struct {
  const char *path;
  cet_result_type type;
  size_t rank;    /* 1 .. 3 */
  size_t dims[3]; /* dims[0] is ignored: the rows kept (cet_engine_done) */
  const void *data;
  cet_dataset_meta meta;
} cet_drv_rows_dataset;

/* The point indices of the rows this rank kept, as int64 for a dataset
 * ([cet_engine_local_rows], allocated: free it). */
int cet_drv_rows_points(const cet_engine_run *run, long long **out);

/* Collective over ctx->comm: writes the n datasets into ctx->result. On
 * one rank, rank 0 writes them into its file; on several, rank 0 reserves
 * their space (a full disk then fails on rank 0 alone), shares the file
 * for the collective writes, and describes the datasets after taking it
 * back (variable-length attributes cannot go through MPI-IO). The ranks
 * agree on success after every step. */
int cet_drv_rows_write(const cet_run_context *ctx, const cet_engine_run *run,
                       const cet_drv_rows_dataset *d, size_t n);

#endif /* CETWIN_ROWS_WRITE_H */
