/*
 * read_reconcile.c — the `reconcile:` section of a reconciliation case
 * (reconcile.h): measurements listed in the case or read from a CSV export
 * of a plant historian (stream,quantity,value,sd), each checked against the
 * twin's streams and components, and the settings of the solve and tests.
 */
#include "readers.h"

#include "cetwin/array.h"
#include "cetwin/csv.h"
#include "cetwin/error.h"
#include "cetwin/reconcile.h"
#include "cetwin/str.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const RECONCILE_KEYS[] = {
    "source",    "note",           "measurements",     "csv", "drop_gross_errors", "alpha",
    "tolerance", "max_iterations", "write_parameters", NULL};
static const char *const MEASUREMENT_KEYS[] = {"stream", "quantity", "value", "sd", "note", NULL};
static const char *const CSV_COLUMNS[] = {"stream", "quantity", "value", "sd"};
enum { CSV_STREAM, CSV_QUANTITY, CSV_VALUE, CSV_SD, CSV_FIELDS };

/* Longest text quoted back in a message. */
enum { FOUND_LEN = 64 };

typedef struct {
  const cet_twin *t;
  char **stream; /* [edges] UNIT.OUTLET */
  size_t n_streams;
  cet_reconcile_spec *s;
  size_t cap;
} reader;

/* One field of a measurement as read: its text and where it stands. */
typedef struct {
  const char *text;
  const char *where; /* "FILE:LINE:COL: KEY" of the field */
} item;

/* A located error at it: "WHERE: expected ..., found '...'". */
static int fail_at(const item *it, const char *expected) {
  char found[FOUND_LEN + 1];
  snprintf(found, sizeof found, "%s", it->text);
  CET_CHECK(0, CET_ERR_INPUT, "%s: expected %s, found '%s'", it->where, expected, found);
}

/* A finite decimal number in the whole text. */
static int parse_number(const char *text, double *out) {
  char *stop = NULL;
  errno = 0;
  *out = strtod(text, &stop);
  return stop != text && *stop == '\0' && errno != ERANGE && isfinite(*out);
}

static int read_stream(const reader *r, const item *it, size_t *stream) {
  for (size_t e = 0; e < r->n_streams; e++) {
    if (strcmp(r->stream[e], it->text) == 0) {
      *stream = e;
      return CET_OK;
    }
  }
  const char *near = cet_str_closest(it->text, (const char *const *)r->stream, r->n_streams);
  char found[FOUND_LEN + 1];
  snprintf(found, sizeof found, "%s", it->text);
  CET_CHECK(0, CET_ERR_INPUT,
            "%s: expected a stream of the network, UNIT.OUTLET (as in /simulate/streams/name), "
            "found unknown stream '%s'%s%s%s",
            it->where, found, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static int read_quantity(const reader *r, const item *it, cet_measurement *m) {
  const cet_names *comps = cet_twin_components(r->t);
  if (strcmp(it->text, "total") == 0) {
    m->kind = CET_MEASURE_TOTAL;
    return CET_OK;
  }
  const char *dot = strchr(it->text, '.');
  size_t len = dot ? (size_t)(dot - it->text) : 0;
  if (dot && len == strlen("flow") && strncmp(it->text, "flow", len) == 0) {
    m->kind = CET_MEASURE_FLOW;
  } else if (dot && len == strlen("fraction") && strncmp(it->text, "fraction", len) == 0) {
    m->kind = CET_MEASURE_FRACTION;
  } else {
    return fail_at(it, "total, flow.COMPONENT or fraction.COMPONENT");
  }
  long k = cet_names_find(comps, dot + 1);
  if (k < 0) {
    char names[256];
    cet_names_join(comps, names, sizeof names);
    char expected[320];
    snprintf(expected, sizeof expected, "a component of the twin after '%s.' (one of: %s)",
             cet_measure_kind_name(m->kind), names);
    return fail_at(it, expected);
  }
  m->component = (size_t)k;
  return CET_OK;
}

/* The value: a number, >= 0, and <= 1 for a fraction. */
static int read_value(const item *it, cet_measurement *m) {
  double v;
  if (!parse_number(it->text, &v)) {
    return fail_at(it, "a finite number");
  }
  if (v < 0.0) {
    return fail_at(it, "a measured value >= 0 (mass flows and fractions are not negative)");
  }
  if (m->kind == CET_MEASURE_FRACTION && v > 1.0) {
    return fail_at(it, "a mass fraction in [0, 1]");
  }
  m->value = v;
  return CET_OK;
}

/* The standard deviation: a number > 0 (absolute, in the quantity's units)
 * or a percentage of the measured value ("2%"), whose result is > 0. */
static int read_sd(const item *it, cet_measurement *m) {
  size_t len = strlen(it->text);
  int relative = len > 0 && it->text[len - 1] == '%';
  char text[FOUND_LEN + 1];
  snprintf(text, sizeof text, "%.*s", (int)(relative ? len - 1 : len), it->text);
  double v;
  if (!parse_number(text, &v)) {
    return fail_at(it, "a standard deviation: a number (absolute) or a percentage like 2%");
  }
  if (!(v > 0.0)) {
    return fail_at(it, "a standard deviation > 0");
  }
  m->sd = relative ? v / 100.0 * m->value : v;
  if (!(m->sd > 0.0)) {
    return fail_at(it, "an absolute standard deviation: a relative one of a measured 0 is 0");
  }
  return CET_OK;
}

static int add(reader *r, cet_measurement **m) {
  CET_CALL(cet_array_grow(&r->s->measure, &r->cap, r->s->n + 1, sizeof *r->s->measure));
  *m = &r->s->measure[r->s->n++];
  **m = (cet_measurement){0};
  return CET_OK;
}

/* A measurement from its four fields; where is the place of the whole
 * measurement (kept for messages). */
static int read_measurement(reader *r, const item *f, const char *where) {
  cet_measurement *m = NULL;
  CET_CALL(add(r, &m));
  m->where = cet_strdup(where);
  m->quantity = cet_strdup(f[CSV_QUANTITY].text);
  CET_CHECK_ALLOCS(m->where && m->quantity);
  CET_CALL(read_stream(r, &f[CSV_STREAM], &m->stream));
  CET_CALL(read_quantity(r, &f[CSV_QUANTITY], m));
  CET_CALL(read_value(&f[CSV_VALUE], m));
  CET_CALL(read_sd(&f[CSV_SD], m));
  return CET_OK;
}

static int read_listed(reader *r, const cet_node *list) {
  CET_CALL(cet_node_expect_seq(list));
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const cet_node *e = cet_node_at(list, i);
    CET_CALL(cet_node_expect_map(e));
    CET_CALL(cet_node_check_keys(e, MEASUREMENT_KEYS));
    item f[CSV_FIELDS];
    char *where[CSV_FIELDS] = {0}, *at = NULL;
    int status = CET_OK;
    for (size_t k = 0; k < CSV_FIELDS; k++) {
      const cet_node *n = NULL;
      CET_CALL_GOTO(status, done,
                    cet_node_require(e, CSV_COLUMNS[k],
                                     k == CSV_STREAM ? "the stream measured, UNIT.OUTLET"
                                     : k == CSV_QUANTITY
                                         ? "total, flow.COMPONENT or fraction.COMPONENT"
                                     : k == CSV_VALUE ? "the measured value"
                                                      : "its standard deviation (or a percentage)",
                                     &n));
      if (cet_node_text(n) == NULL) {
        CET_CALL_GOTO(status, done, cet_node_fail(n, "expected a scalar"));
      }
      CET_CALL_GOTO(status, done, cet_read_where(n, &where[k]));
      f[k] = (item){cet_node_text(n), where[k]};
    }
    CET_CALL_GOTO(status, done, cet_read_where(e, &at));
    CET_CALL_GOTO(status, done, read_measurement(r, f, at));
  done:
    free(at);
    for (size_t k = 0; k < CSV_FIELDS; k++) {
      free(where[k]);
    }
    CET_CALL(status);
  }
  return CET_OK;
}

static int read_csv(reader *r, const cet_node *csv, const cet_config *cfg) {
  const char *name, *text;
  size_t len;
  CET_CALL(cet_node_string(csv, &name));
  CET_CALL(cet_config_data_file(cfg, csv, &name, &text, &len));
  r->s->csv = cet_strdup(name);
  CET_CHECK_ALLOC(r->s->csv);
  cet_csv_table *t = NULL;
  if (cet_csv_parse_table(text, len, name, CSV_FIELDS, CSV_COLUMNS, &t) != CET_OK) {
    return cet_read_fail_cause(csv, "");
  }
  int status = CET_OK;
  for (size_t i = 0; i < t->rows; i++) {
    char where[CSV_FIELDS][FOUND_LEN * 4];
    item f[CSV_FIELDS];
    for (size_t k = 0; k < CSV_FIELDS; k++) {
      snprintf(where[k], sizeof where[k], "%s:%d:%d: %s", name, t->line[i],
               t->column[i * CSV_FIELDS + k], CSV_COLUMNS[k]);
      f[k] = (item){t->cell[i * CSV_FIELDS + k], where[k]};
    }
    char at[FOUND_LEN * 4];
    snprintf(at, sizeof at, "%s:%d:1", name, t->line[i]);
    CET_CALL_GOTO(status, done, read_measurement(r, f, at));
  }
done:
  cet_csv_table_destroy(&t);
  return status;
}

/* 1 when path names the same file as one the case was read from. */
static int is_input(const char *path, const cet_config *cfg) {
  struct stat target, input;
  if (stat(path, &target) != 0) {
    return 0;
  }
  for (size_t i = 0; i < cet_config_file_count(cfg); i++) {
    if (stat(cet_config_file_name(cfg, i), &input) == 0 && input.st_dev == target.st_dev &&
        input.st_ino == target.st_ino) {
      return 1;
    }
  }
  return 0;
}

/* `write_parameters:` a file in an existing, writable folder that the case
 * does not read, checked here so that a bad path fails before the
 * reconciliation runs. */
static int read_write_parameters(const cet_node *sec, const cet_config *cfg,
                                 cet_reconcile_spec *s) {
  const cet_node *n = cet_node_get(sec, "write_parameters");
  if (n == NULL) {
    return CET_OK;
  }
  const char *path;
  CET_CALL(cet_node_string(n, &path));
  size_t len = strlen(path);
  if (len == 0 || path[len - 1] == '/') {
    return cet_node_fail(n, "expected the name of a file to write the parameters to, found '%s'",
                         path);
  }
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    return cet_node_fail(n,
                         "expected the name of a file to write the parameters to, found the "
                         "folder '%s'",
                         path);
  }
  if (is_input(path, cfg)) {
    return cet_node_fail(n,
                         "expected a file the case does not read, found '%s', a file of the "
                         "case (it would be overwritten)",
                         path);
  }
  char *copy = cet_strdup(path);
  CET_CHECK_ALLOC(copy);
  const char *folder = dirname(copy);
  errno = 0;
  int usable = stat(folder, &st) == 0 && S_ISDIR(st.st_mode) && access(folder, W_OK) == 0;
  int err = errno;
  if (!usable) {
    int status = cet_node_fail(n,
                               "expected a file in an existing, writable folder, found '%s' "
                               "(folder '%s': %s)",
                               path, folder, strerror(err ? err : ENOTDIR));
    free(copy);
    return status;
  }
  free(copy);
  s->write_parameters = cet_strdup(path);
  CET_CHECK_ALLOC(s->write_parameters);
  return CET_OK;
}

static int read_settings(reader *r, const cet_node *sec, const cet_config *cfg) {
  cet_reconcile_spec *s = r->s;
  const char *source;
  CET_CALL(cet_node_opt_string(sec, "source", "", &source));
  s->source = cet_strdup(source);
  CET_CHECK_ALLOC(s->source);
  CET_CALL(cet_node_opt_boolean(sec, "drop_gross_errors", 0, &s->drop_gross_errors));
  CET_CALL(cet_node_opt_number_in(sec, "alpha", 0.05, 1e-6, 0.5, &s->alpha));
  CET_CALL(cet_node_opt_number_in(sec, "tolerance", 1e-10, 1e-15, 1e-3, &s->tolerance));
  long it;
  CET_CALL(cet_node_opt_integer_in(sec, "max_iterations", 100, 1, 100000, &it));
  s->max_iterations = (size_t)it;
  CET_CALL(read_write_parameters(sec, cfg, s));
  return CET_OK;
}

static int read_section(reader *r, const cet_node *root, const cet_config *cfg) {
  const cet_node *sec = cet_read_section(root, "reconcile");
  CET_CHECK(sec != NULL, CET_ERR_INPUT,
            "a reconcile case needs a `reconcile:` section with `measurements:` or `csv:`");
  CET_CALL(cet_node_expect_map(sec));
  CET_CALL(cet_node_check_keys(sec, RECONCILE_KEYS));
  CET_CALL(read_settings(r, sec, cfg));
  const cet_node *list = cet_read_section(sec, "measurements");
  const cet_node *csv = cet_read_section(sec, "csv");
  if (list == NULL && csv == NULL) {
    return cet_node_fail(sec, "expected `measurements:` (a list) or `csv:` (a file of "
                              "stream,quantity,value,sd), found neither");
  }
  if (list) {
    CET_CALL(read_listed(r, list));
  }
  r->s->n_listed = r->s->n;
  if (csv) {
    CET_CALL(read_csv(r, csv, cfg));
  }
  if (r->s->n == 0) {
    return cet_node_fail(list, "expected at least one measurement, found none");
  }
  return CET_OK;
}

int cet_case_read_reconcile(const cet_node *root, const cet_config *cfg, cet_case *c) {
  c->reconcile = NULL;
  CET_CHECK(c->twin != NULL, CET_ERR_INPUT, "%s: a reconcile case needs a `network:`", c->path);
  reader r = {.t = c->twin, .n_streams = cet_twin_edge_count(c->twin)};
  r.s = calloc(1, sizeof *r.s);
  r.stream = calloc(r.n_streams + 1, sizeof *r.stream);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, r.s && r.stream);
  for (size_t e = 0; e < r.n_streams; e++) {
    CET_CALL_GOTO(status, done, cet_twin_edge_name(c->twin, e, &r.stream[e]));
  }
  CET_CALL_GOTO(status, done, read_section(&r, root, cfg));
done:
  cet_free_strings(r.stream, r.n_streams);
  if (status != CET_OK) {
    cet_reconcile_spec_destroy(&r.s);
    return status;
  }
  c->reconcile = r.s;
  return CET_OK;
}

void cet_case_free_reconcile(cet_case *c) { cet_reconcile_spec_destroy(&c->reconcile); }
