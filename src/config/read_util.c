/*
 * read_util.c — small helpers shared by the section readers of src/config.
 */
#include "readers.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* READ_CAUSE_LEN: the longest message of an error turned into a located
 * one (cet_read_fail_cause). */
enum { READ_LIST_LEN = 2048, READ_TEXT_LEN = 512, READ_CAUSE_LEN = 4096 };

/* Largest |sum - 1| of split factors taken as rounding, not as a sum off 1. */
static const double SPLIT_SUM_ROUNDING = 1e-12;

int cet_read_split_sum(const cet_node *per, const char *id, const char *component, double sum,
                       const cet_library_options *opts, char *note, size_t len, int *off) {
  if (fabs(sum - 1.0) > opts->split_tolerance) {
    return cet_node_fail(per,
                         "split factors of %s sum to %.6g, expected 1 (within %g; fix the "
                         "values or raise split_tolerance)",
                         component, sum, opts->split_tolerance);
  }
  *off = fabs(sum - 1.0) > SPLIT_SUM_ROUNDING;
  if (*off && !opts->renormalise_splits) {
    size_t used = strlen(note);
    snprintf(note + used, len - used, "%s%s.%s %.4g", used ? ", " : "", id, component, sum);
  }
  return CET_OK;
}

int cet_read_lookup(const cet_node *map, const char *key, const cet_names *names, const char *what,
                    size_t *index) {
  long i = cet_names_find(names, key);
  if (i < 0) {
    char list[READ_LIST_LEN];
    cet_names_join(names, list, sizeof list);
    return cet_node_fail_key(map, key, "unknown %s '%s' (expected one of: %s)", what, key, list);
  }
  *index = (size_t)i;
  return CET_OK;
}

const cet_node *cet_read_section(const cet_node *root, const char *key) {
  const cet_node *n = cet_node_get(root, key);
  return n && cet_node_kind_of(n) != CET_NODE_NULL ? n : NULL;
}

int cet_read_fail_cause(const cet_node *n, const char *prefix) {
  char why[READ_CAUSE_LEN];
  snprintf(why, sizeof why, "%s", cet_error_message());
  int cause = cet_error_code();
  cet_error_clear();
  int located = cet_node_fail(n, "%s%s", prefix, why);
  return cause == CET_ERR_MEMORY ? cause : located;
}

int cet_read_where(const cet_node *n, char **out) {
  char where[READ_TEXT_LEN], path[READ_TEXT_LEN];
  cet_node_where(n, where, sizeof where);
  cet_node_path(n, path, sizeof path);
  cet_strbuf b = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_strbuf_printf(&b, "%s: %s", where, path));
  *out = b.text;
  return CET_OK;
fail:
  cet_strbuf_free(&b);
  return status;
}

int cet_read_checkpoint(const cet_node *cp, long max_interval, uint64_t *interval, char **file) {
  static const char *const keys[] = {"interval", "file", "note", NULL};
  if (!cp || cet_node_kind_of(cp) == CET_NODE_NULL) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(cp));
  CET_CALL(cet_node_check_keys(cp, keys));
  long every = 0;
  CET_CALL(cet_node_opt_integer_in(cp, "interval", 0, 0, max_interval, &every));
  *interval = (uint64_t)every;
  const char *name = NULL;
  CET_CALL(cet_node_opt_string(cp, "file", NULL, &name));
  if (name) {
    if (!name[0]) {
      return cet_node_fail(cet_node_get(cp, "file"), "expected a file name, found ''");
    }
    *file = cet_strdup(name);
    CET_CHECK_ALLOC(*file);
  }
  return CET_OK;
}

int cet_read_metric(const cet_twin *t, const cet_node *n, const char *name, size_t *index) {
  long i = cet_twin_metric_find(t, name);
  if (i >= 0) {
    *index = (size_t)i;
    return CET_OK;
  }
  const char *best = cet_twin_metric_closest(t, name);
  return cet_node_fail(n, "no metric '%s' in the twin%s%s%s", name, best ? " (closest: '" : "",
                       best ? best : "", best ? "')" : "");
}

int cet_read_metric_indices(const cet_twin *t, const cet_names *names, size_t **index) {
  *index = calloc(names->n + 1, sizeof **index);
  CET_CHECK_ALLOC(*index);
  for (size_t k = 0; k < names->n; k++) {
    long i = cet_twin_metric_find(t, names->name[k]);
    CET_CHECK(i >= 0, CET_ERR_INPUT, "no metric '%s' in the twin", names->name[k]);
    (*index)[k] = (size_t)i;
  }
  return CET_OK;
}

int cet_read_metrics(const cet_node *list, const cet_twin *t, cet_names *names, size_t **index) {
  CET_CALL(cet_node_expect_seq(list));
  if (cet_node_size(list) == 0) {
    return cet_node_fail(list, "expected at least one metric, found an empty list");
  }
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const char *name = NULL;
    size_t k = 0;
    const cet_node *v = cet_node_at(list, i);
    CET_CALL(cet_node_string(v, &name));
    CET_CALL(cet_read_metric(t, v, name, &k));
    if (cet_names_find(names, name) >= 0) {
      return cet_node_fail(v, "metric '%s' is listed twice", name);
    }
    CET_CALL(cet_names_add(names, name));
  }
  return cet_read_metric_indices(t, names, index);
}

int cet_read_numbers(const cet_node *list, size_t min, size_t max, double lo, double hi,
                     double **out, size_t *n) {
  CET_CALL(cet_node_expect_seq(list));
  *n = cet_node_size(list);
  if (*n < min || *n > max) {
    return cet_node_fail(list, "expected %zu to %zu numbers, found %zu", min, max, *n);
  }
  *out = malloc((*n + 1) * sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (size_t i = 0; i < *n; i++) {
    CET_CALL(cet_node_number_in(cet_node_at(list, i), lo, hi, &(*out)[i]));
  }
  return CET_OK;
}
