/*
 * cli.h — command-line parsing and the subcommands of the cetwin program
 * (private to src/app).
 */
#ifndef CETWIN_CLI_H
#define CETWIN_CLI_H

#include <stddef.h>

typedef enum {
  CLI_NONE,
  CLI_RUN,
  CLI_VALIDATE,
  CLI_INFO,
  CLI_HELP,
  CLI_VERSION,
  CLI_MERGE
} cli_command;

typedef struct {
  cli_command command;
  int help;               /* --help given for the command */
  const char *input;      /* CASE.yaml or RESULT.h5 */
  const char *output;     /* -o */
  const char *restart;    /* --restart CHECKPOINT */
  const char **overrides; /* --set values */
  size_t n_overrides;
  int threads; /* 0 = default */
  int quiet, verbose;
  int tree;               /* info --tree: the file's structure */
  const char *help_topic; /* `cetwin help TOPIC` */
  const char **inputs;    /* merge: every SHARD.h5 (input is the first) */
  size_t n_inputs;
  char *command_line; /* the whole command line, for provenance */
} cli_args;

/* Parses argv. Returns 0, or 1 after printing a usage error to stderr. */
int cli_parse(int argc, char **argv, cli_args *args);

void cli_args_free(cli_args *args);

/* Help texts. */
void cli_print_help(const char *topic);

/* Subcommands; each returns the process exit code. run and validate
 * initialise and finalise MPI. */
int cli_run(const cli_args *args);
int cli_validate(const cli_args *args);
int cli_info(const cli_args *args);
int cli_merge(const cli_args *args);

#endif /* CETWIN_CLI_H */
