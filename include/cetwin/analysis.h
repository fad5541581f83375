/*
 * analysis.h — one record per analysis a case can run (`analysis:` in the
 * case file): its name, the sections of the case file it reads, how its
 * part of the case is read and freed (config), how it runs (drivers) and
 * how `cetwin validate` describes its plan. The list of records
 * (cet_analyses, drivers.h) is the only place that names every analysis:
 * adding one adds a record there.
 */
#ifndef CETWIN_ANALYSIS_H
#define CETWIN_ANALYSIS_H

#include <stdio.h>

struct cet_case;
struct cet_config;
struct cet_node;
struct cet_run_context;
struct cet_result_reader;

typedef struct cet_analysis {
  const char *name;    /* as written after `analysis:` */
  const char *summary; /* one line for `cetwin --help` */
  /* Top-level sections of the case file this analysis reads beyond the
   * common ones and the twin's (NULL-terminated); a section another
   * analysis reads and this one does not draws a warning. */
  const char *const *sections;
  int uses_twin;   /* 1: the case describes a twin (network and/or economics) */
  int restartable; /* 1: `--restart CHECKPOINT` continues an interrupted run */
  /* Reads the analysis' sections of the case at root into c (the common
   * parts and the twin are read already); NULL: nothing to read. Errors
   * name FILE:LINE:COL and the key. */
  int (*read)(const struct cet_node *root, const struct cet_config *cfg, struct cet_case *c);
  /* Frees what read stored in c (NULL allowed). */
  void (*destroy)(struct cet_case *c);
  /* Runs the analysis (drivers.h). Collective. */
  int (*run)(const struct cet_case *c, const struct cet_run_context *ctx);
  /* Prints the plan of a valid case (`cetwin validate`), one line. */
  void (*describe)(const struct cet_case *c, const char *path, FILE *out);
  /* Combines the result files of the n shards of one run into a new file
   * at output (`cetwin merge`, one process), printing its summary to out;
   * NULL: the analysis' runs do not split into shards. */
  int (*merge)(const char *const *inputs, size_t n, const char *output, const char *command_line,
               FILE *out);
  /* Prints the headline results of a result file of this analysis to out
   * (`cetwin info`): the tables the run printed, filled from the file
   * through the reader of result.h; verbose adds the long ones. NULL: the
   * file's provenance only. */
  int (*info)(struct cet_result_reader *in, int verbose, FILE *out);
} cet_analysis;

/* The record named name in the NULL-terminated list, or NULL. */
const cet_analysis *cet_analysis_find(const cet_analysis *const *list, const char *name);

#endif /* CETWIN_ANALYSIS_H */
