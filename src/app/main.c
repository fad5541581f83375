/*
 * main.c — entry point of the cetwin program: parses the command line and
 * runs the chosen command.
 */
#include "cli.h"

#include "cetwin/version.h"

#include <stdio.h>

int main(int argc, char **argv) {
  cli_args args;
  int code = cli_parse(argc, argv, &args);
  if (code == 0) {
    if (args.command == CLI_VERSION) {
      printf("cetwin %s (commit %s)\n", cet_version(), cet_git_commit());
    } else if (args.command == CLI_HELP) {
      cli_print_help(args.help_topic);
    } else if (args.help) {
      cli_print_help(argc > 1 ? argv[1] : NULL);
    } else if (args.command == CLI_RUN) {
      code = cli_run(&args);
    } else if (args.command == CLI_VALIDATE || args.command == CLI_PARAMS ||
               args.command == CLI_METRICS) {
      code = cli_validate(&args);
    } else if (args.command == CLI_MERGE) {
      code = cli_merge(&args);
    } else if (args.command == CLI_EXPORT) {
      code = cli_export(&args);
    } else {
      code = cli_info(&args);
    }
  }
  cli_args_free(&args);
  return code;
}
