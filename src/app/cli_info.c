/*
 * cli_info.c — `cetwin info RESULT.h5`.
 */
#include "cli.h"

#include "cetwin/error.h"
#include "cetwin/result.h"

#include <stdio.h>

int cli_info(const cli_args *args) {
  int status = cet_result_print_info(args->input, stdout);
  if (status != CET_OK) {
    cet_error_print(stderr, args->verbose);
  }
  return cet_exit_code(status);
}
