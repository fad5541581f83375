/*
 * cli_parse.c — parsing the command line into cli_args (see cli.h).
 */
#include "cli.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  cli_command command;
} COMMANDS[] = {{"run", CLI_RUN},           {"validate", CLI_VALIDATE}, {"info", CLI_INFO},
                {"help", CLI_HELP},         {"--help", CLI_HELP},       {"-h", CLI_HELP},
                {"--version", CLI_VERSION}, {"version", CLI_VERSION},   {"merge", CLI_MERGE},
                {"params", CLI_PARAMS},     {"metrics", CLI_METRICS},   {"export", CLI_EXPORT}};

static int usage_error(const char *command, const char *fmt, ...) CET_PRINTF(2, 3);

static int usage_error(const char *command, const char *fmt, ...) {
  fprintf(stderr, "cetwin%s%s: ", command ? " " : "", command ? command : "");
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see 'cetwin %s%s--help')\n", command ? command : "", command ? " " : "");
  return 1;
}

/* Value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *arg, size_t name_len) {
  if (arg[name_len] == '=') {
    return arg + name_len + 1;
  }
  if (*i + 1 < argc) {
    return argv[++*i];
  }
  return NULL;
}

static int matches(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_threads(const char *cmd, const char *v, int *threads) {
  char *end = NULL;
  long t = v ? strtol(v, &end, 10) : 0;
  if (!v || *end != '\0' || t < 1 || t > 4096) {
    return usage_error(cmd, "--threads expects a positive integer, found '%s'", v ? v : "");
  }
  *threads = (int)t;
  return 0;
}

/* Prints the failure of the error chain (memory ran out) and returns the
 * exit code of a runtime failure, 2. */
static int runtime_error(void) {
  cet_error_print(stderr, 0);
  cet_error_clear();
  return cet_exit_code(CET_ERR_MEMORY);
}

/* Appends v to the list *list of *n arguments; 0, or 2 after printing
 * that memory ran out. */
static int push(const char ***list, size_t *n, const char *v) {
  if (cet_array_grow(list, NULL, *n + 1, sizeof **list) != CET_OK) {
    return runtime_error();
  }
  (*list)[(*n)++] = v;
  return 0;
}

static int parse_option(int argc, char **argv, int *i, const char *cmd, cli_args *a) {
  const char *arg = argv[*i];
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    a->help = 1;
  } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
    a->quiet = 1;
  } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
    a->verbose = 1;
  } else if (strcmp(arg, "--tree") == 0 && a->command == CLI_INFO) {
    a->tree = 1;
  } else if (strcmp(arg, "-o") == 0 || matches(arg, "--output")) {
    const char *v = arg[1] == 'o' ? (*i + 1 < argc ? argv[++*i] : NULL)
                                  : option_value(argc, argv, i, arg, strlen("--output"));
    if (!v || !*v) {
      return usage_error(cmd, "%s expects a file name", arg);
    }
    a->output = v;
  } else if (matches(arg, "--set")) {
    const char *v = option_value(argc, argv, i, arg, strlen("--set"));
    if (!v || !strchr(v, '=')) {
      return usage_error(cmd, "--set expects PATH=VALUE, found '%s'", v ? v : "");
    }
    return push(&a->overrides, &a->n_overrides, v);
  } else if (matches(arg, "--restart")) {
    const char *v = option_value(argc, argv, i, arg, strlen("--restart"));
    if (!v || !*v) {
      return usage_error(cmd, "%s", "--restart expects a checkpoint file");
    }
    a->restart = v;
  } else if (matches(arg, "--match") && a->command == CLI_PARAMS) {
    const char *v = option_value(argc, argv, i, arg, strlen("--match"));
    if (!v || !*v) {
      return usage_error(cmd, "%s", "--match expects a pattern, e.g. --match 'prices.*'");
    }
    a->match = v;
  } else if (matches(arg, "--format")) {
    const char *v = option_value(argc, argv, i, arg, strlen("--format"));
    if (!v || (strcmp(v, "csv") != 0 && strcmp(v, "tsv") != 0)) {
      return usage_error(cmd, "--format expects csv or tsv, found '%s'", v ? v : "");
    }
    a->format = v;
  } else if (matches(arg, "--threads")) {
    return parse_threads(cmd, option_value(argc, argv, i, arg, strlen("--threads")), &a->threads);
  } else {
    return usage_error(cmd, "unknown option '%s'", arg);
  }
  return 0;
}

/* What a command uses beyond its files. */
enum { USES_OUTPUT = 1u, USES_SET = 2u, USES_THREADS = 4u, USES_RESTART = 8u };

/* The options each command uses (those not listed: none). */
static unsigned options_used(cli_command command) {
  switch (command) {
  case CLI_RUN:
    return USES_OUTPUT | USES_SET | USES_THREADS | USES_RESTART;
  case CLI_VALIDATE:
    return USES_SET | USES_THREADS;
  case CLI_PARAMS:
  case CLI_METRICS:
    return USES_SET;
  case CLI_MERGE:
  case CLI_EXPORT:
    return USES_OUTPUT;
  default:
    return 0;
  }
}

/* The first option given that the command does not use, or NULL. */
static const char *unused_option(const cli_args *a) {
  unsigned uses = options_used(a->command);
  return !(uses & USES_OUTPUT) && a->output     ? "-o"
         : !(uses & USES_SET) && a->n_overrides ? "--set"
         : !(uses & USES_THREADS) && a->threads ? "--threads"
         : !(uses & USES_RESTART) && a->restart ? "--restart"
                                                : NULL;
}

/* Appends arg to b as a shell reads it back: as it is when it holds only
 * characters a shell leaves alone, else in single quotes (a quote inside
 * written as '\''), so that the command line recorded can be run again. */
static int append_word(cet_strbuf *b, const char *arg) {
  static const char *const PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789_-+./=:,@%";
  if (arg[0] && arg[strspn(arg, PLAIN)] == '\0') {
    return cet_strbuf_printf(b, "%s", arg);
  }
  CET_CALL(cet_strbuf_printf(b, "'"));
  for (const char *p = arg; *p; p++) {
    CET_CALL(*p == '\'' ? cet_strbuf_printf(b, "'\\''") : cet_strbuf_printf(b, "%c", *p));
  }
  return cet_strbuf_printf(b, "'");
}

/* The command line as one string in *line; 0, or 2 after printing that
 * memory ran out (a run must not go on without its provenance). */
static int join_command_line(int argc, char **argv, char **line) {
  cet_strbuf b = {0};
  for (int i = 0; i < argc; i++) {
    if ((i && cet_strbuf_printf(&b, " ") != 0) || append_word(&b, argv[i]) != 0) {
      cet_strbuf_free(&b);
      return runtime_error();
    }
  }
  *line = b.text;
  return 0;
}

int cli_parse(int argc, char **argv, cli_args *a) {
  memset(a, 0, sizeof *a);
  int code = join_command_line(argc, argv, &a->command_line);
  if (code != 0) {
    return code;
  }
  if (argc < 2) {
    a->command = CLI_HELP;
    return 0;
  }
  for (size_t k = 0; k < sizeof COMMANDS / sizeof COMMANDS[0]; k++) {
    if (strcmp(argv[1], COMMANDS[k].name) == 0) {
      a->command = COMMANDS[k].command;
    }
  }
  if (a->command == CLI_NONE) {
    return usage_error(NULL, "unknown command '%s'", argv[1]);
  }
  const char *cmd = argv[1];
  if (a->command == CLI_HELP) {
    a->help_topic = argc > 2 ? argv[2] : NULL;
    return 0;
  }
  if (a->command == CLI_VERSION) {
    return 0;
  }
  for (int i = 2; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] != '\0') {
      code = parse_option(argc, argv, &i, cmd, a);
      if (code != 0) {
        return code;
      }
    } else if (a->command == CLI_MERGE) {
      code = push(&a->inputs, &a->n_inputs, argv[i]);
      if (code != 0) {
        return code;
      }
      a->input = a->inputs[0];
    } else if (!a->input) {
      a->input = argv[i];
    } else if (a->command == CLI_EXPORT) {
      code = push(&a->datasets, &a->n_datasets, argv[i]);
      if (code != 0) {
        return code;
      }
    } else {
      return usage_error(cmd, "unexpected argument '%s'", argv[i]);
    }
  }
  if (a->help) {
    return 0;
  }
  if (!a->input) {
    return usage_error(cmd, "%s",
                       a->command == CLI_INFO || a->command == CLI_EXPORT ? "missing RESULT.h5"
                       : a->command == CLI_MERGE                          ? "missing SHARD.h5 files"
                                                                          : "missing CASE.yaml");
  }
  const char *unused = unused_option(a);
  if (a->command == CLI_MERGE && (!a->output || unused)) {
    return usage_error(cmd, "merge takes SHARD.h5 files and -o OUT.h5 only, found %s",
                       unused ? unused : "no -o");
  }
  if (a->command == CLI_INFO && unused) {
    return usage_error(cmd, "info takes a result or checkpoint file, --tree and -v only, found %s",
                       unused);
  }
  if (a->format && a->command != CLI_EXPORT) {
    return usage_error(cmd, "%s", "--format belongs to cetwin export");
  }
  if (a->command == CLI_EXPORT && unused) {
    return usage_error(cmd, "export takes a result file, datasets, --format and -o DIR, found %s",
                       unused);
  }
  if (a->command == CLI_VALIDATE && unused) {
    return usage_error(cmd, "validate takes a case file, --set and --threads only, found %s",
                       unused);
  }
  if ((a->command == CLI_PARAMS || a->command == CLI_METRICS) && unused) {
    return usage_error(cmd, "%s takes a case file and --set%s only, found %s", cmd,
                       a->command == CLI_PARAMS ? " and --match" : "", unused);
  }
  return 0;
}

void cli_args_free(cli_args *a) {
  free(a->inputs);
  a->inputs = NULL;
  free(a->datasets);
  a->datasets = NULL;
  free(a->overrides);
  free(a->command_line);
  a->overrides = NULL;
  a->command_line = NULL;
}
