/*
 * cli_run.c — `cetwin run` and `cetwin validate`: MPI start-up, collective
 * loading and validation of the case, the result file's life cycle
 * (.partial, then renamed) and the dispatch to the analysis driver.
 */
#include "cli.h"

#include "cetwin/case.h"
#include "cetwin/collective.h"
#include "cetwin/config_load.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/result.h"
#include "cetwin/str.h"

#include <mpi.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  int rank, size;
  cet_config *config;
  cet_case *kase;
} session;

static void session_start(const cli_args *args, session *s) {
  int provided = 0;
  MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &s->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &s->size);
  cet_log_level level = args->verbose ? CET_LOG_DEBUG : args->quiet ? CET_LOG_QUIET : CET_LOG_INFO;
  cet_log_setup(s->rank, level);
  cet_error_install_gsl_handler();
  if (args->threads > 0) {
    omp_set_num_threads(args->threads);
  }
}

/* Ends the session; prints the error (rank 0) and returns the exit code. */
static int session_end(session *s, const cli_args *args, int status) {
  if (status != CET_OK && s->rank == 0) {
    cet_error_print(stderr, args->verbose);
  }
  cet_case_destroy(&s->kase);
  cet_config_destroy(&s->config);
  MPI_Finalize();
  return cet_exit_code(status);
}

/* Loads the case and reads it (this rank's status). */
static int load_local(session *s, const cli_args *args) {
  CET_CALL(
      cet_config_load(args->input, args->overrides, args->n_overrides, MPI_COMM_WORLD, &s->config));
  CET_CALL(cet_case_read(s->config, args->input, cet_analyses(), &s->kase));
  return CET_OK;
}

/* Loads and validates the case on every rank. Collective. */
static int load_case(session *s, const cli_args *args) {
  return cet_collective_status(load_local(s, args), MPI_COMM_WORLD);
}

int cli_validate(const cli_args *args) {
  session s = {0};
  session_start(args, &s);
  int status = load_case(&s, args), code = 0;
  if (status == CET_OK && s.rank == 0) {
    if (args->command == CLI_PARAMS) {
      code = cli_print_params(s.kase, args, stdout);
    } else if (args->command == CLI_METRICS) {
      code = cli_print_metrics(s.kase, args, stdout);
    } else {
      s.kase->analysis->describe(s.kase, args->input, s.size, omp_get_max_threads(), stdout);
    }
  }
  int end = session_end(&s, args, status);
  return end ? end : code;
}

/* Result file name *path: -o, else `output:` of the case, else NAME.h5. */
static int output_path(const cli_args *args, const cet_case *c, char **path) {
  if (args->output || c->output) {
    *path = cet_strdup(args->output ? args->output : c->output);
    CET_CHECK_ALLOC(*path);
    return CET_OK;
  }
  cet_strbuf b = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_strbuf_printf(&b, "%s.h5", c->name));
  *path = b.text;
  return CET_OK;
fail:
  cet_strbuf_free(&b);
  return status;
}

static int write_provenance(const session *s, const cli_args *args, cet_result *r) {
  size_t n = cet_config_file_count(s->config), m = cet_config_override_count(s->config);
  const char **names = calloc(n + 1, sizeof *names), **texts = calloc(n + 1, sizeof *texts);
  const char **sets = calloc(m + 1, sizeof *sets);
  char *resolved = NULL;
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, names && texts && sets, CET_ERR_MEMORY,
                 "out of memory in %s for the names of %zu input files", __func__, n);
  CET_CALL_GOTO(status, done, cet_config_resolved(s->config, &resolved));
  for (size_t i = 0; i < n; i++) {
    names[i] = cet_config_file_name(s->config, i);
    texts[i] = cet_config_file_text(s->config, i);
  }
  for (size_t i = 0; i < m; i++) {
    sets[i] = cet_config_override(s->config, i) + sizeof "--set " - 1;
  }
  cet_run_info info = {.command_line = args->command_line ? args->command_line : "",
                       .case_name = s->kase->name,
                       .analysis = s->kase->analysis->name,
                       .seed = s->kase->seed,
                       .mpi_ranks = s->size,
                       .omp_threads = omp_get_max_threads(),
                       .n_inputs = n,
                       .input_names = names,
                       .input_texts = texts,
                       .n_overrides = m,
                       .overrides = sets,
                       .resolved_config = resolved};
  CET_CALL_GOTO(status, done, cet_result_write_provenance(r, &info));
done:
  free(resolved);
  free(names);
  free(texts);
  free(sets);
  return status;
}

/* Names the result file *path and, on rank 0, creates it as *result with
 * the run's provenance (this rank's status; *result may be left to
 * discard). A run that continues an interrupted one (--restart) replaces
 * the partial result file that run left, saying so; any other run refuses
 * an existing one, which another run may be writing. */
static int open_result(const session *s, const cli_args *args, char **path, cet_result **result) {
  CET_CALL(output_path(args, s->kase, path));
  if (s->rank == 0) {
    if (args->restart) {
      int replaced = 0;
      CET_CALL(cet_result_create_replacing(*path, &replaced, result));
      if (replaced) {
        cet_log_warn("replaced '%s.partial', left by the interrupted run that --restart continues",
                     *path);
      }
    } else {
      CET_CALL(cet_result_create(*path, MPI_COMM_SELF, 0, result));
    }
    CET_CALL(write_provenance(s, args, *result));
  }
  return CET_OK;
}

int cli_run(const cli_args *args) {
  session s = {0};
  session_start(args, &s);
  char *path = NULL;
  cet_result *result = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, end, load_case(&s, args));
  CET_CHECK_GOTO(status, end, !args->restart || s.kase->analysis->restartable, CET_ERR_INPUT,
                 "--restart continues an interrupted run; analysis %s has no checkpoints",
                 s.kase->analysis->name);
  /* from here every rank reaches the agreement after the result's commit */
  CET_CALL_GOTO(status, finish,
                cet_collective_status(open_result(&s, args, &path, &result), MPI_COMM_WORLD));
  cet_run_context ctx = {.comm = MPI_COMM_WORLD,
                         .rank = s.rank,
                         .size = s.size,
                         .threads = omp_get_max_threads(),
                         .result = result,
                         .summary = stdout,
                         .restart = args->restart,
                         .command_line = args->command_line,
                         .verbose = args->verbose};
  CET_CALL_GOTO(status, finish,
                cet_collective_status(s.kase->analysis->run(s.kase, &ctx), MPI_COMM_WORLD));
finish:
  if (s.rank == 0 && result) {
    if (status == CET_OK) {
      status = cet_result_commit(&result);
    } else {
      cet_result_discard(&result);
    }
  }
  status = cet_collective_status(status, MPI_COMM_WORLD);
  if (status == CET_OK && s.rank == 0) {
    printf("\nresult: %s\n", path);
    fflush(stdout);
  }
end:
  free(path);
  return session_end(&s, args, status);
}
