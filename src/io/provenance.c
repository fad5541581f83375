/*
 * provenance.c — the root attributes and /input group that make a result
 * file say how it was made (see result.h, docs/hdf5-schema.md).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/result.h"

#include "cetwin/error.h"
#include "cetwin/str.h"
#include "cetwin/version.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void cet_result_utc_now(char *buf, size_t len) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cet_result_write_provenance(cet_result *r, const cet_run_info *info) {
  char created[32];
  cet_result_utc_now(created, sizeof created);
  CET_CALL(cet_result_attr_string(r, "/", "format", CET_RESULT_FORMAT));
  CET_CALL(cet_result_attr_int(r, "/", "format_version", CET_RESULT_FORMAT_VERSION));
  CET_CALL(cet_result_attr_string(r, "/", "cetwin_version", cet_version()));
  CET_CALL(cet_result_attr_string(r, "/", "git_commit", cet_git_commit()));
  CET_CALL(cet_result_attr_string(r, "/", "created_utc", created));
  CET_CALL(cet_result_attr_string(r, "/", "command_line", info->command_line));
  CET_CALL(cet_result_attr_string(r, "/", "case", info->case_name));
  CET_CALL(cet_result_attr_string(r, "/", "analysis", info->analysis));
  CET_CALL(cet_result_attr_int(r, "/", "seed", (long long)info->seed));
  CET_CALL(cet_result_attr_int(r, "/", "mpi_ranks", info->mpi_ranks));
  CET_CALL(cet_result_attr_int(r, "/", "omp_threads", info->omp_threads));
  CET_CALL(cet_result_attr_string(r, "/", "config", info->n_inputs ? info->input_texts[0] : ""));
  CET_CALL(cet_result_attr_string(r, "/", "resolved_config",
                                  info->resolved_config ? info->resolved_config : ""));
  cet_dataset_meta files = {.description = "files read: the case first, then its includes",
                            .dims = "file"};
  CET_CALL(cet_result_write_strings(r, "/input/files", info->n_inputs, info->input_names, &files));
  cet_dataset_meta texts = {.description = "text of each file in /input/files", .dims = "file"};
  CET_CALL(cet_result_write_strings(r, "/input/texts", info->n_inputs, info->input_texts, &texts));
  cet_dataset_meta sets = {.description = "--set PATH=VALUE overrides, in order",
                           .dims = "override"};
  CET_CALL(
      cet_result_write_strings(r, "/input/overrides", info->n_overrides, info->overrides, &sets));
  /* the same, split at the first '=': the key path and the YAML value */
  size_t n = info->n_overrides;
  char **split = calloc(2 * n + 1, sizeof *split);
  CET_CHECK_ALLOC(split);
  int status = CET_OK;
  for (size_t i = 0; i < n; i++) {
    const char *text = info->overrides[i], *eq = strchr(text, '=');
    size_t len = eq ? (size_t)(eq - text) : strlen(text);
    split[i] = cet_strndup(text, len);
    split[n + i] = cet_strdup(eq ? eq + 1 : "");
    CET_CHECK_ALLOC_GOTO(status, done, split[i] && split[n + i]);
  }
  cet_dataset_meta paths = {.description = "key path of each override", .dims = "override"};
  cet_dataset_meta values = {.description = "value of each override (YAML)", .dims = "override"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_strings(r, "/input/override_path", n, (const char *const *)split, &paths));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/input/override_value", n,
                                         (const char *const *)split + n, &values));
done:
  cet_free_strings(split, 2 * n);
  return status;
}
