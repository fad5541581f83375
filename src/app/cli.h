/*
 * cli.h — command-line parsing and the subcommands of the cetwin program
 * (private to src/app).
 */
#ifndef CETWIN_CLI_H
#define CETWIN_CLI_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
  CLI_NONE,
  CLI_RUN,
  CLI_VALIDATE,
  CLI_INFO,
  CLI_HELP,
  CLI_VERSION,
  CLI_MERGE,
  CLI_PARAMS,
  CLI_METRICS,
  CLI_EXPORT
} cli_command;

typedef struct {
  cli_command command;
  int help;               /* --help given for the command */
  const char *input;      /* CASE.yaml or RESULT.h5 */
  const char *output;     /* -o */
  const char *restart;    /* --restart CHECKPOINT */
  const char **overrides; /* --set values */
  size_t n_overrides;
  const char *match; /* params --match GLOB, or NULL */
  int threads;       /* 0 = default */
  int quiet, verbose;
  int tree;               /* info --tree: the file's structure */
  const char *help_topic; /* `cetwin help TOPIC` */
  const char **inputs;    /* merge: every SHARD.h5 (input is the first) */
  size_t n_inputs;
  const char **datasets; /* export: the datasets named after RESULT.h5 */
  size_t n_datasets;
  const char *format; /* export: --format csv or tsv */
  char *command_line; /* the whole command line, for provenance */
} cli_args;

/* Parses argv. Returns 0, 1 after printing a usage error to stderr, or 2
 * after printing that memory ran out. */
int cli_parse(int argc, char **argv, cli_args *args);

void cli_args_free(cli_args *args);

/* Help texts. */
void cli_print_help(const char *topic);

/* Subcommands; each returns the process exit code. run and validate
 * initialise and finalise MPI; cli_validate also serves params and metrics,
 * which read the case as validate does and then list what it holds. */
int cli_run(const cli_args *args);
int cli_validate(const cli_args *args);
int cli_info(const cli_args *args);
int cli_merge(const cli_args *args);
int cli_export(const cli_args *args);

struct cet_case;

/* `cetwin params`: prints the twin parameters of a valid case whose path
 * matches args->match (every one when NULL) to out, with value, units and
 * range. `cetwin metrics`: its metrics with units and description. Both
 * return the exit code (1 when --match matches nothing, after a message on
 * stderr). One process (rank 0). */
int cli_print_params(const struct cet_case *c, const cli_args *args, FILE *out);
int cli_print_metrics(const struct cet_case *c, const cli_args *args, FILE *out);

#endif /* CETWIN_CLI_H */
