/*
 * reconcile_info.c — `cetwin info` of a reconcile result (drivers.h):
 * /reconcile read into the view the run prints (reconcile_report.h), so
 * that the summary comes out as the run printed it.
 */
#include "cetwin/drivers.h"

#include "reconcile_report.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { RECONCILE_PATH_LEN = 128 };

/* What was read of /reconcile (every array allocated). */
typedef struct {
  cet_reconcile_result r;
  char **stream, **quantity, **where, **name, **component, **units;
  size_t n, nw, ne, nc, nu;
  double *measured, *sd;
  char *source, *method, *flow_units;
} rec_read;

static void rec_read_free(rec_read *x) {
  cet_reconcile_result *r = malloc(sizeof *r);
  if (r) {
    *r = x->r; /* its arrays are freed with it */
    cet_reconcile_result_destroy(&r);
  }
  cet_free_strings(x->stream, x->n);
  cet_free_strings(x->quantity, x->n);
  cet_free_strings(x->where, x->nw);
  cet_free_strings(x->name, x->ne);
  cet_free_strings(x->component, x->nc);
  cet_free_strings(x->units, x->nu);
  free(x->measured);
  free(x->sd);
  free(x->source);
  free(x->method);
  free(x->flow_units);
}

/* The 0/1 flags at path, want values of them, as ints into *out. */
static int read_flags(cet_result_reader *in, const char *path, size_t rank, const size_t *want,
                      const char *why, int **out) {
  long long *v = NULL;
  CET_CALL(cet_drv_read_shaped(in, path, CET_RESULT_INT64, rank, want, why, (void **)&v));
  size_t n = rank == 2 ? want[0] * want[1] : want[0];
  *out = malloc((n + 1) * sizeof **out);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, *out);
  for (size_t i = 0; i < n; i++) {
    (*out)[i] = v[i] != 0;
  }
done:
  free(v);
  return status;
}

static int read_doubles(cet_result_reader *in, const char *path, size_t n, const char *why,
                        double **out) {
  return cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, 1, &n, why, (void **)out);
}

static int read_measurements(cet_result_reader *in, rec_read *x) {
  cet_reconcile_result *r = &x->r;
  const char *why = "one per measurement in /reconcile/measurements/stream";
  const char *g = "/reconcile/measurements/";
  char path[RECONCILE_PATH_LEN];
  size_t nq = 0;
  CET_CALL(
      cet_drv_read_names(in, "/reconcile/measurements/stream", SIZE_MAX, "", &x->n, &x->stream));
  CET_CALL(
      cet_drv_read_names(in, "/reconcile/measurements/quantity", x->n, why, &nq, &x->quantity));
  if (cet_result_has(in, "/reconcile/measurements/where")) {
    CET_CALL(cet_drv_read_names(in, "/reconcile/measurements/where", x->n, why, &x->nw, &x->where));
  }
  r->n_measures = x->n;
  struct {
    const char *name;
    double **v;
  } sets[] = {{"measured", &x->measured},     {"sd", &x->sd},
              {"reconciled", &r->reconciled}, {"reconciled_sd", &r->reconciled_sd},
              {"adjustment", &r->adjustment}, {"normalised_adjustment", &r->normalised}};
  for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
    snprintf(path, sizeof path, "%s%s", g, sets[k].name);
    CET_CALL(read_doubles(in, path, x->n, why, sets[k].v));
  }
  CET_CALL(cet_result_read_attr_strings(in, "/reconcile/measurements/measured", "units", &x->nu,
                                        &x->units));
  CET_CHECK(x->nu == x->n, CET_ERR_INPUT,
            "/reconcile/measurements/measured attribute units: expected %s, found %zu", why, x->nu);
  CET_CALL(read_flags(in, "/reconcile/measurements/redundant", 1, &x->n, why, &r->redundant));
  return read_flags(in, "/reconcile/measurements/used", 1, &x->n, why, &r->used);
}

static int read_streams(cet_result_reader *in, rec_read *x) {
  cet_reconcile_result *r = &x->r;
  const char *why = "one per stream in /reconcile/streams/name";
  CET_CALL(cet_drv_read_names(in, "/reconcile/streams/name", SIZE_MAX, "", &x->ne, &x->name));
  CET_CALL(cet_drv_read_names(in, "/reconcile/components", SIZE_MAX, "", &x->nc, &x->component));
  r->n_streams = x->ne;
  r->n_components = x->nc;
  size_t both[2] = {x->ne, x->nc};
  CET_CALL(cet_result_read_attr_string(in, "/reconcile/streams/total", "units", &x->flow_units));
  CET_CALL(read_doubles(in, "/reconcile/streams/total", x->ne, why, &r->total));
  CET_CALL(read_doubles(in, "/reconcile/streams/total_sd", x->ne, why, &r->total_sd));
  CET_CALL(
      read_flags(in, "/reconcile/streams/total_observable", 1, both, why, &r->total_observable));
  return read_flags(in, "/reconcile/streams/flow_observable", 2, both,
                    "one row per stream, one column per component", &r->flow_observable);
}

/* The measurements dropped, from /reconcile/dropped/measurement. */
static int read_dropped_index(cet_result_reader *in, rec_read *x) {
  cet_reconcile_result *r = &x->r;
  const char *path = "/reconcile/dropped/measurement";
  long long *index = NULL;
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_ints(in, path, &rank, dims, &index));
  r->n_dropped = rank == 1 ? dims[0] : 0;
  r->dropped = malloc((r->n_dropped + 1) * sizeof *r->dropped);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, r->dropped);
  CET_CALL_GOTO(status, done, cet_drv_check_shape(path, rank, dims, 1, &r->n_dropped, "a list"));
  for (size_t d = 0; d < r->n_dropped; d++) {
    CET_CHECK_GOTO(status, done, index[d] >= 0 && (size_t)index[d] < x->n, CET_ERR_INPUT,
                   "%s: measurement %lld of %zu", path, index[d], x->n);
    r->dropped[d] = (size_t)index[d];
  }
done:
  free(index);
  return status;
}

static int read_dropped(cet_result_reader *in, rec_read *x) {
  cet_reconcile_result *r = &x->r;
  CET_CALL(read_dropped_index(in, x));
  return read_doubles(in, "/reconcile/dropped/normalised_adjustment", r->n_dropped,
                      "one per measurement in /reconcile/dropped/measurement",
                      &r->dropped_statistic);
}

/* The table of parameters derived from the reconciled flows, from
 * /reconcile/parameters. */
static int print_parameters(cet_result_reader *in, FILE *out) {
  const char *why = "one per parameter in /reconcile/parameters/path";
  char **unit = NULL, **kind = NULL, **reason = NULL, *file = NULL;
  size_t n = 0, nk = 0, nr = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_drv_read_names(in, "/reconcile/parameters/unit", SIZE_MAX, "", &n, &unit));
  CET_CALL_GOTO(status, done,
                cet_drv_read_names(in, "/reconcile/parameters/kind", n, why, &nk, &kind));
  CET_CALL_GOTO(status, done,
                cet_drv_read_names(in, "/reconcile/parameters/reason", n, why, &nr, &reason));
  CET_CALL_GOTO(status, done,
                cet_result_read_attr_string(in, "/reconcile/parameters", "file", &file));
  cet_reconcile_parameters_view v = {.n = n,
                                     .unit = (const char *const *)unit,
                                     .kind = (const char *const *)kind,
                                     .reason = (const char *const *)reason,
                                     .file = file};
  cet_drv_reconcile_parameters_print(&v, out);
done:
  cet_free_strings(unit, n);
  cet_free_strings(kind, nk);
  cet_free_strings(reason, nr);
  free(file);
  return status;
}

/* The tests: attributes of /reconcile. */
static int read_tests(cet_result_reader *in, rec_read *x, double *tolerance, double *alpha) {
  cet_reconcile_result *r = &x->r;
  const char *g = "/reconcile";
  long long iterations = 0, rank = 0, used = 0, dof = 0, culprit = -1;
  CET_CALL(cet_result_read_attr_string(in, g, "source", &x->source));
  CET_CALL(cet_result_read_attr_string(in, g, "method", &x->method));
  CET_CALL(cet_result_read_attr_int(in, g, "iterations", &iterations));
  CET_CALL(cet_result_read_attr_double(in, g, "tolerance", tolerance));
  CET_CALL(cet_result_read_attr_double(in, g, "alpha", alpha));
  CET_CALL(cet_result_read_attr_int(in, g, "rank", &rank));
  CET_CALL(cet_result_read_attr_int(in, g, "measurements_used", &used));
  CET_CALL(cet_result_read_attr_int(in, g, "dof", &dof));
  CET_CALL(cet_result_read_attr_double(in, g, "chi_square", &r->chi_square));
  CET_CALL(cet_result_read_attr_double(in, g, "chi_square_critical", &r->chi_critical));
  CET_CALL(cet_result_read_attr_double(in, g, "p_value", &r->p_value));
  CET_CALL(cet_result_read_attr_double(in, g, "normalised_adjustment_critical", &r->z_critical));
  CET_CALL(cet_result_read_attr_int(in, g, "culprit", &culprit));
  CET_CHECK(iterations >= 0 && rank >= 0 && used >= 0 && dof >= 0 && culprit >= -1 &&
                culprit < (long long)x->n,
            CET_ERR_INPUT,
            "/reconcile: attributes iterations, rank, measurements_used, dof and culprit out of "
            "range (culprit %lld of %zu measurements)",
            culprit, x->n);
  r->linear = strncmp(x->method, "linear", 6) == 0;
  r->iterations = (size_t)iterations;
  r->rank = (size_t)rank;
  r->n_used = (size_t)used;
  r->dof = (size_t)dof;
  r->culprit = (long)culprit;
  return CET_OK;
}

/* The reconciliation table of x read back. */
static int print_reconciliation(const rec_read *x, double tolerance, double alpha, FILE *out) {
  const char **where = calloc(x->n + 1, sizeof *where);
  CET_CHECK_ALLOC(where);
  for (size_t i = 0; i < x->n; i++) {
    where[i] = x->where ? x->where[i] : "-"; /* files written before it: not known */
  }
  fprintf(out, "\n");
  cet_drv_reconcile_view v = {.r = &x->r,
                              .n = x->n,
                              .stream = (const char *const *)x->stream,
                              .quantity = (const char *const *)x->quantity,
                              .where = where,
                              .units = (const char *const *)x->units,
                              .measured = x->measured,
                              .sd = x->sd,
                              .stream_name = (const char *const *)x->name,
                              .flow_units = x->flow_units,
                              .source = x->source,
                              .tolerance = tolerance,
                              .alpha = alpha};
  cet_drv_reconcile_view_print(&v, out);
  free(where);
  return CET_OK;
}

int cet_info_reconcile(cet_result_reader *in, int verbose, FILE *out) {
  (void)verbose;
  rec_read x = {.r = {.culprit = -1}};
  double tolerance = 0.0, alpha = 0.0;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_measurements(in, &x));
  CET_CALL_GOTO(status, done, read_streams(in, &x));
  CET_CALL_GOTO(status, done, read_dropped(in, &x));
  CET_CALL_GOTO(status, done, read_tests(in, &x, &tolerance, &alpha));
  CET_CALL_GOTO(status, done, print_reconciliation(&x, tolerance, alpha, out));
  if (cet_result_has(in, "/reconcile/parameters/path")) {
    /* files written before it have none */
    CET_CALL_GOTO(status, done, print_parameters(in, out));
  }
done:
  rec_read_free(&x);
  return status;
}
