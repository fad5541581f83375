/*
 * sensitivity_sweep.c — the parameter study (Dakota's list and
 * multidimensional studies): point p sets every swept parameter to its
 * value of p — in a grid the last parameter varies fastest (p = sum of
 * index_d x the product of the later lengths), side by side the p-th value
 * of each — with every factor at the base; a plan of points on the
 * sampling engine (a shard of a long study runs the points first .. first
 * + count - 1). Rank 0 gathers the points, prints them (or, for a long
 * study, each metric's least and greatest value and where) and writes
 * /sensitivity/sweep.
 */
#include "sensitivity_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <stdlib.h>

/* Points printed one by one; beyond, the extremes only. */
enum { PRINTED_POINTS = 40, TEXT_LEN = 64 };

/* The value of every swept parameter at point p. */
static void sweep_point(const cet_sweep_spec *w, uint64_t p, double *v) {
  for (size_t d = w->n_dims; d-- > 0;) {
    uint64_t n = w->n_values[d];
    v[d] = w->values[d][w->grid ? p % n : p];
    p = w->grid ? p / n : p;
  }
}

static int sweep_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                          double *const *extras, uint64_t *failed) {
  (void)extras;
  const sa_run *r = model;
  sa_ws *ws = wsp;
  const cet_sweep_spec *w = &r->s->sweep;
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    sa_apply(r, ws, r->base, NULL);
    sweep_point(w, first + d, ws->x);
    for (size_t j = 0; j < w->n_dims; j++) {
      ws->params[w->slots[j]] = ws->x[j];
    }
    CET_CALL(sa_evaluate_applied(r, ws, values + d * r->nm));
  }
  return CET_OK;
}

static void print_point(const sa_run *r, uint64_t p, const double *y, double *v, FILE *out) {
  const cet_sweep_spec *w = &r->s->sweep;
  char text[TEXT_LEN];
  sweep_point(w, p, v);
  fprintf(out, "  %10llu", (unsigned long long)p);
  for (size_t d = 0; d < w->n_dims; d++) {
    fprintf(out, " %14.6g", v[d]);
  }
  for (size_t m = 0; m < r->nm; m++) {
    cet_format_quantity(y[m], cet_twin_metric_units(r->twin, r->s->metric_index[m]), text,
                        sizeof text);
    fprintf(out, " %16s", text);
  }
  fprintf(out, "\n");
}

static void print_sweep(const sa_run *r, uint64_t first, uint64_t count, const double *y, double *v,
                        FILE *out) {
  const cet_sweep_spec *w = &r->s->sweep;
  fprintf(out, "\nParameter study: %llu points (%s of %zu parameters)\n",
          (unsigned long long)w->points, w->grid ? "every combination" : "lists side by side",
          w->n_dims);
  fprintf(out, "  %10s", "point");
  for (size_t d = 0; d < w->n_dims; d++) {
    fprintf(out, " %14.14s", w->paths[d]);
  }
  for (size_t m = 0; m < r->nm; m++) {
    fprintf(out, " %16.16s", r->s->metrics.name[m]);
  }
  fprintf(out, "\n");
  if (count <= PRINTED_POINTS) {
    for (uint64_t p = 0; p < count; p++) {
      print_point(r, first + p, y + p * r->nm, v, out);
    }
    fflush(out);
    return;
  }
  for (size_t m = 0; m < r->nm; m++) {
    uint64_t lo = 0, hi = 0;
    for (uint64_t p = 1; p < count; p++) {
      lo = y[p * r->nm + m] < y[lo * r->nm + m] ? p : lo;
      hi = y[p * r->nm + m] > y[hi * r->nm + m] ? p : hi;
    }
    fprintf(out, "  least and greatest %s:\n", r->s->metrics.name[m]);
    print_point(r, first + lo, y + lo * r->nm, v, out);
    print_point(r, first + hi, y + hi * r->nm, v, out);
  }
  fflush(out);
}

static int write_sweep(const sa_run *r, uint64_t first, uint64_t count, const double *y,
                       cet_result *res) {
  const cet_sweep_spec *w = &r->s->sweep;
  double *v = malloc((count * w->n_dims + 1) * sizeof *v);
  long long *index = malloc((count + 1) * sizeof *index);
  CET_CHECK(v && index, CET_ERR_MEMORY, "out of memory for %llu points", (unsigned long long)count);
  for (uint64_t p = 0; p < count; p++) {
    sweep_point(w, first + p, v + p * w->n_dims);
    index[p] = (long long)(first + p);
  }
  cet_dataset_meta mp = {.description = "the parameters swept", .dims = "parameter"};
  cet_dataset_meta mi = {.description = "index of each point in the study", .dims = "point"};
  cet_dataset_meta mv = {.description = "the swept parameters' values at each point",
                         .columns = (const char *const *)w->paths,
                         .n_columns = w->n_dims,
                         .dims = "point,parameter"};
  cet_dataset_meta mm = {.description = "the metrics at each point",
                         .columns = (const char *const *)r->s->metrics.name,
                         .n_columns = r->nm,
                         .dims = "point,metric"};
  size_t dp[1] = {(size_t)count}, dv[2] = {(size_t)count, w->n_dims},
         dm[2] = {(size_t)count, r->nm};
  const char *g = "/sensitivity/sweep";
  int status = cet_result_write_strings(res, "/sensitivity/sweep/paths", w->n_dims,
                                        (const char *const *)w->paths, &mp);
  if (status == CET_OK) {
    status = cet_result_write_ints(res, "/sensitivity/sweep/point", 1, dp, index, &mi);
  }
  if (status == CET_OK) {
    status = cet_result_write_doubles(res, "/sensitivity/sweep/values", 2, dv, v, &mv);
  }
  if (status == CET_OK) {
    status = cet_result_write_doubles(res, "/sensitivity/sweep/metrics", 2, dm, y, &mm);
  }
  if (status == CET_OK) {
    status = cet_result_attr_int(res, g, "points", (long long)w->points);
  }
  if (status == CET_OK) {
    status = cet_result_attr_int(res, g, "grid", w->grid);
  }
  free(v);
  free(index);
  return status;
}

int sa_sweep(sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  uint64_t first = s->count > 0 ? s->first : 0, count = s->count > 0 ? s->count : s->sweep.points;
  cet_engine_problem p = {.model = r,
                          .n_values = r->nm,
                          .batch = 16,
                          .workspace_create = sa_ws_create,
                          .workspace_destroy = sa_ws_destroy,
                          .evaluate = sweep_evaluate};
  cet_engine_settings es = sa_settings(r, first, count, "sweep", 1);
  es.statistics = 0;
  es.keep_rows = 1;
  cet_engine_run *run = NULL;
  CET_CALL(cet_engine_execute(&p, &es, r->ctx->comm, r->threads, &run));
  double *y = NULL;
  int status = cet_engine_gather_rows(run, &y, NULL);
  if (status == CET_OK && r->ctx->rank == 0) {
    double *v = malloc((s->sweep.n_dims + 1) * sizeof *v);
    status = v ? CET_OK : CET_ERR_MEMORY;
    if (status == CET_OK && r->ctx->summary) {
      print_sweep(r, first, count, y, v, r->ctx->summary);
    }
    free(v);
    if (status == CET_OK && r->ctx->result) {
      status = write_sweep(r, first, count, y, r->ctx->result);
    }
  }
  free(y);
  cet_engine_run_destroy(&run);
  return cet_collective_status(status, r->ctx->comm);
}
