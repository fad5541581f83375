/*
 * cli_info.c — `cetwin info FILE [--tree] [-v]` and `cetwin export RESULT.h5`.
 */
#include "cli.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"

#include <stdio.h>
#include <string.h>

int cli_info(const cli_args *args) {
  int status = cet_info(args->input, args->tree, args->verbose, stdout);
  if (status != CET_OK) {
    cet_error_print(stderr, args->verbose);
  }
  return cet_exit_code(status);
}

int cli_export(const cli_args *args) {
  int status = cet_result_export(args->input, args->datasets, args->n_datasets,
                                 args->format && strcmp(args->format, "tsv") == 0,
                                 args->output ? args->output : ".", args->quiet ? NULL : stdout);
  if (status != CET_OK) {
    cet_error_print(stderr, args->verbose);
  }
  return cet_exit_code(status);
}
