/*
 * fuzz_case.c — libFuzzer harness of the case loader: the input is the text
 * of a case file, and each of its lines that starts with "#set " (a YAML
 * comment) is also an override PATH=VALUE, as `cetwin run --set` gives
 * them. The text is written to a file in the scratch folder (its includes
 * resolve as for any case: next to it, then the shipped configs), loaded
 * with the overrides on MPI_COMM_SELF (cet_config_load), read into a case
 * (cet_case_read, with every analysis's reader) and, when the case has a twin, the twin is
 * evaluated once at its default parameters, as `cetwin run` of a simulation does. Every outcome but
 * a crash, a leak, undefined behaviour or a hang is fine: errors are the expected answer to most
 * inputs. A line "#--- data.csv" ends the case: what follows it is written to the file data.csv
 * next to the case, the data file a `csv: data.csv` key reads (a price history, plant
 * measurements), so the CSV readers get fuzzed too.
 */
#define _POSIX_C_SOURCE 200809L /* unlink */

#include "fuzz_support.h"

#include "cetwin/case.h"
#include "cetwin/config_load.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_OVERRIDES = 16, PATH_LEN = 512 };

static const char SET_PREFIX[] = "#set ";
static const char DATA_MARK[] = "#--- data.csv\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) { return cet_fuzz_setup(argc, argv); }

/* Points overrides at the "#set " lines of text (cut at their ends). */
static size_t find_overrides(char *text, const char **overrides) {
  size_t n = 0;
  for (char *line = text; line && n < MAX_OVERRIDES;) {
    char *end = strchr(line, '\n');
    if (end) {
      *end = '\0';
    }
    if (strncmp(line, SET_PREFIX, sizeof SET_PREFIX - 1) == 0) {
      overrides[n++] = line + sizeof SET_PREFIX - 1;
    }
    line = end ? end + 1 : NULL;
  }
  return n;
}

/* The length of the case part of the input: all of it, or what comes
 * before the line DATA_MARK. */
static size_t case_length(const uint8_t *data, size_t size) {
  const size_t mark = sizeof DATA_MARK - 1;
  for (size_t i = 0; i + mark <= size; i++) {
    if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, DATA_MARK, mark) == 0) {
      return i;
    }
  }
  return size;
}

static void evaluate_once(const cet_twin *t) {
  cet_twin_workspace *w = NULL;
  double *metrics = calloc(cet_twin_metric_count(t) + 1, sizeof *metrics);
  if (metrics && cet_twin_workspace_create(t, &w) == CET_OK) {
    (void)cet_twin_evaluate(t, cet_twin_parameter_defaults(t), w, metrics);
  }
  cet_twin_workspace_destroy(&w);
  free(metrics);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[PATH_LEN], data_path[PATH_LEN];
  cet_fuzz_path("case.yaml", path, sizeof path);
  cet_fuzz_path("data.csv", data_path, sizeof data_path);
  size_t case_size = case_length(data, size);
  if (case_size < size) {
    size_t skip = case_size + sizeof DATA_MARK - 1;
    cet_fuzz_write(data_path, data + skip, size - skip);
  } else {
    unlink(data_path);
  }
  cet_fuzz_write(path, data, case_size);
  char *text = malloc(case_size + 1);
  if (!text) {
    return 0;
  }
  memcpy(text, data, case_size);
  text[case_size] = '\0';
  const char *overrides[MAX_OVERRIDES];
  size_t n = find_overrides(text, overrides);
  cet_config *config = NULL;
  cet_case *kase = NULL;
  if (cet_config_load(path, overrides, n, MPI_COMM_SELF, &config) == CET_OK &&
      cet_case_read(config, path, cet_analyses(), &kase) == CET_OK && kase->twin) {
    evaluate_once(kase->twin);
  }
  cet_case_destroy(&kase);
  cet_config_destroy(&config);
  cet_error_clear();
  free(text);
  return 0;
}
