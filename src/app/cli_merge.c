/*
 * cli_merge.c — `cetwin merge SHARD.h5 ... -o OUT.h5`: combines the
 * results of the shards of one run — a Monte Carlo sweep, a parameter
 * study or a Sobol' run — into one (see cet_merge in drivers.h).
 * One process; MPI is started only because result files are MPI-aware.
 */
#include "cli.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/log.h"

#include <mpi.h>
#include <stdio.h>

int cli_merge(const cli_args *args) {
  MPI_Init(NULL, NULL);
  cet_log_setup(0, args->verbose ? CET_LOG_DEBUG : args->quiet ? CET_LOG_QUIET : CET_LOG_INFO);
  cet_error_install_gsl_handler();
  int status = cet_merge(args->inputs, args->n_inputs, args->output, args->command_line, stdout);
  if (status != CET_OK) {
    cet_error_print(stderr, args->verbose);
  }
  MPI_Finalize();
  return cet_exit_code(status);
}
