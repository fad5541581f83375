/*
 * bench_case.h — reading a case file on this process alone, as the
 * benchmarks that time a twin or an analysis apart from start-up do
 * (bench_network.c, bench_reconcile.c).
 */
#ifndef CETWIN_BENCH_CASE_H
#define CETWIN_BENCH_CASE_H

#include "cetwin/case.h"
#include "cetwin/config_load.h"
#include "cetwin/drivers.h"

#include <mpi.h>

/* The case of the file at path (with every analysis of cetwin), *out
 * freed with cet_case_destroy. */
static inline int bench_load_case(const char *path, cet_case **out) {
  cet_config *cfg = NULL;
  int status = cet_config_load(path, NULL, 0, MPI_COMM_SELF, &cfg);
  if (status == CET_OK) {
    status = cet_case_read(cfg, path, cet_analyses(), out);
  }
  cet_config_destroy(&cfg);
  return status;
}

#endif /* CETWIN_BENCH_CASE_H */
