/*
 * merge.c — `cetwin merge` (drivers.h): the first file's root attribute
 * `analysis` picks the analysis whose merge combines the shards (its
 * record's merge, analysis.h).
 */
#include "cetwin/drivers.h"

#include "shards.h"

#include "cetwin/analysis.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum { NAMES_LEN = 256 };

/* The analyses whose runs merge, as "a, b". */
static void mergeable(char *text, size_t len) {
  const cet_analysis *const *list = cet_analyses();
  const char *names[NAMES_LEN];
  size_t n = 0;
  for (size_t i = 0; list[i] && n < NAMES_LEN; i++) {
    if (list[i]->merge) {
      names[n++] = list[i]->name;
    }
  }
  cet_str_join(text, len, names, n, ", ");
}

int cet_merge(const char *const *inputs, size_t n, const char *output, const char *command_line,
              FILE *out) {
  CET_CHECK(n >= 1, CET_ERR_INPUT, "merge: expected at least one shard");
  cet_result_reader *first = NULL;
  CET_CALL(cet_result_open(inputs[0], &first));
  char *name = NULL;
  int status =
      cet_drv_shard_fail(inputs[0], cet_result_read_attr_string(first, "/", "analysis", &name));
  cet_result_close(&first);
  CET_CALL(status);
  const cet_analysis *a = cet_analysis_find(cet_analyses(), name);
  char names[NAMES_LEN];
  mergeable(names, sizeof names);
  CET_CHECK_GOTO(status, cleanup, a && a->merge, CET_ERR_INPUT,
                 "'%s' holds the results of analysis '%s', %s; cetwin merge combines the "
                 "shards of %s runs",
                 inputs[0], name,
                 a ? "whose runs do not split into shards" : "which this cetwin does not know",
                 names);
  free(name);
  return a->merge(inputs, n, output, command_line, out);
cleanup:
  free(name);
  return status;
}
