/*
 * cli_info.c — `cetwin info FILE [--tree] [-v]`.
 */
#include "cli.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"

#include <stdio.h>

int cli_info(const cli_args *args) {
  int status = cet_info(args->input, args->tree, args->verbose, stdout);
  if (status != CET_OK) {
    cet_error_print(stderr, args->verbose);
  }
  return cet_exit_code(status);
}
