/*
 * info.c — `cetwin info FILE` (drivers.h): what a result file holds, read
 * through the reader of result.h — how it was made (case, analysis, date,
 * version, command, overrides, the parallel configuration) and the
 * headline tables of its analysis, printed by the analysis record's info
 * (the same printing functions as the run's); for a checkpoint, which
 * analysis it continues, how far the run had come and the command that
 * continues it. `--tree` lists the file's structure instead
 * (cet_result_print_info).
 */
#include "cetwin/drivers.h"

#include "report.h"

#include "cetwin/analysis.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum { INFO_TEXT_LEN = 256 };

void cet_drv_print_parallel(FILE *out, long long ranks, long long threads, const char *work,
                            long long seed) {
  fprintf(out, "  parallel configuration: %lld MPI rank%s x %lld OpenMP thread%s per rank", ranks,
          ranks == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
  if (work && work[0]) {
    fprintf(out, ", %s", work);
  }
  if (seed >= 0) {
    fprintf(out, ", seed %lld", seed);
  }
  fprintf(out, "\n");
}

/* The status of a read of something info prints only when it is there:
 * its failure (absent, another type) is forgotten; out of memory stays a
 * failure. */
static int optional_read(int status) {
  if (status == CET_ERR_MEMORY) {
    return status;
  }
  cet_error_clear();
  return CET_OK;
}

/* Attribute name of object as text into buf ("" when absent or not text). */
static int text_attr(cet_result_reader *in, const char *object, const char *name, char *buf,
                     size_t len) {
  char *v = NULL;
  buf[0] = '\0';
  int status =
      cet_result_has(in, object) ? cet_result_read_attr_string(in, object, name, &v) : CET_OK;
  if (v) {
    snprintf(buf, len, "%s", v);
  }
  free(v);
  return optional_read(status);
}

/* Integer attribute name of object, or fallback when absent. */
static long long int_attr(cet_result_reader *in, const char *object, const char *name,
                          long long fallback) {
  long long v = fallback;
  if (!cet_result_has(in, object) || cet_result_read_attr_int(in, object, name, &v) != CET_OK) {
    v = fallback;
  }
  cet_error_clear();
  return v;
}

/* Prints how a result file was made. */
static int print_provenance(cet_result_reader *in, const char *path, FILE *out) {
  char name[INFO_TEXT_LEN], analysis[INFO_TEXT_LEN], created[INFO_TEXT_LEN];
  char version[INFO_TEXT_LEN], commit[INFO_TEXT_LEN];
  char *command = NULL;
  CET_CALL(text_attr(in, "/", "case", name, sizeof name));
  CET_CALL(text_attr(in, "/", "analysis", analysis, sizeof analysis));
  CET_CALL(text_attr(in, "/", "created_utc", created, sizeof created));
  CET_CALL(text_attr(in, "/", "cetwin_version", version, sizeof version));
  CET_CALL(text_attr(in, "/", "git_commit", commit, sizeof commit));
  fprintf(out, "cetwin result %s: %s of case '%s'\n", path, analysis, name);
  fprintf(out, "  written %s by cetwin %s (commit %.12s)\n", created[0] ? created : "-", version,
          commit[0] ? commit : "-");
  int status = cet_result_read_attr_string(in, "/", "command_line", &command);
  if (status == CET_OK) {
    fprintf(out, "  command: %s\n", command);
  }
  free(command);
  CET_CALL(optional_read(status));
  char **sets = NULL;
  size_t n = 0;
  status = cet_result_has(in, "/input/overrides")
               ? cet_result_read_strings(in, "/input/overrides", &n, &sets)
               : CET_ERR_INPUT;
  if (status == CET_OK) {
    fprintf(out, "  overrides:%s", n ? "" : " none");
    for (size_t i = 0; i < n; i++) {
      fprintf(out, " --set %s", sets[i]);
    }
    fprintf(out, "\n");
  }
  cet_free_strings(sets, n);
  CET_CALL(optional_read(status));
  long long ranks = int_attr(in, "/", "mpi_ranks", 0),
            threads = int_attr(in, "/", "omp_threads", 0);
  cet_drv_print_parallel(out, ranks, threads, NULL, int_attr(in, "/", "seed", -1));
  return CET_OK;
}

/* Length of the shell word at p (a command line as recorded: words apart
 * by spaces, single quotes around a word with spaces or quotes). */
static size_t word_length(const char *p) {
  size_t n = 0;
  int quoted = 0;
  for (; p[n] && (quoted || p[n] != ' '); n++) {
    quoted ^= p[n] == '\'';
  }
  return n;
}

/* The command that continues the run of a checkpoint at path, into b: the
 * run's command (without a --restart it had) and --restart path. */
static int continue_text(const char *command, const char *path, cet_strbuf *b) {
  const char *p = command + strspn(command, " ");
  while (*p) {
    size_t word = word_length(p);
    int restart = word >= 9 && strncmp(p, "--restart", 9) == 0 && (word == 9 || p[9] == '=');
    if (!restart) {
      CET_CALL(cet_strbuf_printf(b, "%s%.*s", b->text && b->text[0] ? " " : "", (int)word, p));
    }
    p += word;
    p += strspn(p, " ");
    if (restart && word == 9) { /* --restart FILE: its value too */
      p += word_length(p);
      p += strspn(p, " ");
    }
  }
  CET_CALL(cet_strbuf_printf(b, "%s--restart %s", b->text && b->text[0] ? " " : "", path));
  return CET_OK;
}

/* The command that continues the run of a checkpoint at path, into buf. */
static int continue_command(const char *command, const char *path, char *buf, size_t len) {
  cet_strbuf b = {0};
  int status = continue_text(command, path, &b);
  snprintf(buf, len, "%s", status == CET_OK && b.text ? b.text : "");
  cet_strbuf_free(&b);
  return status;
}

/* Prints what a checkpoint holds: its analysis, progress and how to go on. */
static int print_checkpoint(cet_result_reader *in, const char *path, FILE *out) {
  char kind[INFO_TEXT_LEN], version[INFO_TEXT_LEN], commit[INFO_TEXT_LEN];
  CET_CALL(text_attr(in, "/", "kind", kind, sizeof kind));
  CET_CALL(text_attr(in, "/", "cetwin_version", version, sizeof version));
  CET_CALL(text_attr(in, "/", "git_commit", commit, sizeof commit));
  CET_CHECK(kind[0], CET_ERR_INPUT, "'%s': a cetwin checkpoint without its kind (root attribute)",
            path);
  const char *method = strchr(kind, '-');
  fprintf(out, "cetwin checkpoint %s: %.*s run%s%s\n", path,
          (int)(method ? (size_t)(method - kind) : strlen(kind)), kind, method ? ", method " : "",
          method ? method + 1 : "");
  fprintf(out, "  written by cetwin %s (commit %.12s)\n", version, commit[0] ? commit : "-");
  if (cet_result_has(in, "/optimize")) {
    char name[INFO_TEXT_LEN];
    CET_CALL(text_attr(in, "/optimize", "case", name, sizeof name));
    fprintf(out, "  case '%s': generation %lld done\n", name,
            int_attr(in, "/optimize", "generation", -1));
  }
  if (cet_result_has(in, "/engine")) {
    const char *point = strcmp(kind, "mc") == 0 ? "draw" : "point";
    long long first = int_attr(in, "/engine", "first_point", 0);
    long long done = int_attr(in, "/engine", "points_done", -1);
    long long all = int_attr(in, "/engine", "points", -1);
    fprintf(
        out, "  %lld of %lld %ss done (from %s %lld), next round %lld; written on %lld rank%s\n",
        done, all, point, point, first, int_attr(in, "/engine", "next_round", -1),
        int_attr(in, "/engine", "ranks", -1), int_attr(in, "/engine", "ranks", -1) == 1 ? "" : "s");
  }
  char *command = NULL;
  int status = cet_result_read_attr_string(in, "/", "command_line", &command);
  if (status == CET_OK) {
    char go_on[4 * INFO_TEXT_LEN];
    CET_CALL_GOTO(status, done, continue_command(command, path, go_on, sizeof go_on));
    fprintf(out, "  to continue: %s\n", go_on);
  } else {
    fprintf(out, "  to continue: run the command that wrote it again with --restart %s\n", path);
  }
done:
  free(command);
  return optional_read(status);
}

int cet_info(const char *path, int tree, int verbose, FILE *out) {
  if (tree) {
    return cet_result_print_info(path, out);
  }
  cet_result_reader *in = NULL;
  int checkpoint = 0;
  CET_CALL(cet_result_open_any(path, &in, &checkpoint));
  int status = CET_OK;
  if (checkpoint) {
    CET_CALL_GOTO(status, cleanup, print_checkpoint(in, path, out));
  } else {
    char analysis[INFO_TEXT_LEN];
    CET_CALL_GOTO(status, cleanup, text_attr(in, "/", "analysis", analysis, sizeof analysis));
    const cet_analysis *a = cet_analysis_find(cet_analyses(), analysis);
    CET_CALL_GOTO(status, cleanup, print_provenance(in, path, out));
    CET_CHECK_GOTO(status, cleanup, a, CET_ERR_INPUT,
                   "'%s' holds the results of analysis '%s', which this cetwin does not know "
                   "(cetwin info --tree lists what it holds)",
                   path, analysis);
    if (a->info) {
      CET_CALL_GOTO(status, cleanup, a->info(in, verbose, out));
    }
    CET_CALL_GOTO(status, cleanup, cet_drv_ar_info(in, out));
  }
  fprintf(out, "\n(every dataset: cetwin info --tree %s)\n", path);
cleanup:
  if (status != CET_OK) { /* the context of the innermost message */
    cet_error_push(status, __FILE__, __LINE__, __func__, "while summarising '%s'", path);
  }
  cet_result_close(&in);
  return status;
}
