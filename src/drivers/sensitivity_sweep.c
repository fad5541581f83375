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
#include <string.h>

/* Points printed one by one; beyond, the extremes only. */
enum { PRINTED_POINTS = 40, TEXT_LEN = 64 };

/* The least widths of a parameter's and of a metric's column; a longer
 * path or metric name widens its column, so that it is printed whole. */
enum { VALUE_WIDTH = 14, METRIC_WIDTH = 16 };

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
  const cet_drv_sa_run *r = model;
  cet_drv_sa_ws *ws = wsp;
  const cet_sweep_spec *w = &r->s->sweep;
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    cet_drv_sa_apply(r, ws, r->base, NULL);
    sweep_point(w, first + d, ws->x);
    for (size_t j = 0; j < w->n_dims; j++) {
      ws->params[w->slots[j]] = ws->x[j];
    }
    CET_CALL(cet_drv_sa_evaluate_applied(r, ws, values + d * r->nm));
  }
  return CET_OK;
}

/* The width of a column headed by name: the name whole, at least least. */
static int column_width(const char *name, size_t least) {
  size_t n = strlen(name);
  return (int)(n > least ? n : least);
}

static void print_point(const cet_drv_sa_sweep_table *t, uint64_t i, FILE *out) {
  char text[TEXT_LEN];
  fprintf(out, "  %10lld", t->index[i]);
  for (size_t d = 0; d < t->n_dims; d++) {
    fprintf(out, " %*.6g", column_width(t->paths[d], VALUE_WIDTH), t->values[i * t->n_dims + d]);
  }
  for (size_t m = 0; m < t->nm; m++) {
    cet_format_metric(t->metrics_at[i * t->nm + m], t->units[m], (int)t->share[m], text,
                      sizeof text);
    fprintf(out, " %*s", column_width(t->metrics[m], METRIC_WIDTH), text);
  }
  fprintf(out, "\n");
}

void cet_drv_sa_sweep_print(const cet_drv_sa_sweep_table *t, FILE *out) {
  fprintf(out, "\nParameter study: %llu points (%s of %zu parameter%s)",
          (unsigned long long)t->points, t->grid ? "every combination" : "lists side by side",
          t->n_dims, t->n_dims != 1 ? "s" : "");
  if (t->count < t->points) {
    fprintf(out, ", %llu of them here", (unsigned long long)t->count);
  }
  fprintf(out, "\n  %10s", "point");
  for (size_t d = 0; d < t->n_dims; d++) {
    fprintf(out, " %*s", column_width(t->paths[d], VALUE_WIDTH), t->paths[d]);
  }
  for (size_t m = 0; m < t->nm; m++) {
    fprintf(out, " %*s", column_width(t->metrics[m], METRIC_WIDTH), t->metrics[m]);
  }
  fprintf(out, "\n");
  if (t->count <= PRINTED_POINTS) {
    for (uint64_t i = 0; i < t->count; i++) {
      print_point(t, i, out);
    }
    fflush(out);
    return;
  }
  for (size_t m = 0; m < t->nm; m++) {
    uint64_t lo = 0, hi = 0;
    const double *y = t->metrics_at;
    for (uint64_t i = 1; i < t->count; i++) {
      lo = y[i * t->nm + m] < y[lo * t->nm + m] ? i : lo;
      hi = y[i * t->nm + m] > y[hi * t->nm + m] ? i : hi;
    }
    fprintf(out, "  least and greatest %s:\n", t->metrics[m]);
    print_point(t, lo, out);
    print_point(t, hi, out);
  }
  fflush(out);
}

int cet_drv_sa_sweep_write(const cet_drv_sa_sweep_table *t, cet_result *res) {
  cet_dataset_meta mp = {.description = "the parameters swept", .dims = "parameter"};
  cet_dataset_meta mi = {.description = "index of each point in the study", .dims = "point"};
  cet_dataset_meta mv = {.description = "the swept parameters' values at each point",
                         .unit_list = t->param_units,
                         .n_units = t->param_units ? t->n_dims : 0,
                         .columns = t->paths,
                         .n_columns = t->n_dims,
                         .dims = "point,parameter"};
  cet_dataset_meta mm = {.description = "the metrics at each point",
                         .unit_list = t->units,
                         .n_units = t->nm,
                         .columns = t->metrics,
                         .n_columns = t->nm,
                         .dims = "point,metric"};
  size_t dp[1] = {(size_t)t->count}, dv[2] = {(size_t)t->count, t->n_dims},
         dm[2] = {(size_t)t->count, t->nm};
  const char *g = "/sensitivity/sweep";
  CET_CALL(cet_result_write_strings(res, "/sensitivity/sweep/paths", t->n_dims, t->paths, &mp));
  CET_CALL(cet_result_write_ints(res, "/sensitivity/sweep/point", 1, dp, t->index, &mi));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/sweep/values", 2, dv, t->values, &mv));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/sweep/metrics", 2, dm, t->metrics_at, &mm));
  CET_CALL(cet_result_attr_int(res, g, "points", (long long)t->points));
  CET_CALL(cet_result_attr_int(res, g, "grid", t->grid));
  return CET_OK;
}

/* The table of the points first .. first + count - 1 of r's study with
 * their metrics y; t->values and t->index allocated, units borrowed
 * (units[0 .. nm): the metrics', then the swept parameters'). */
static int make_table(const cet_drv_sa_run *r, uint64_t first, uint64_t count, const double *y,
                      const char **units, cet_drv_sa_sweep_table *t) {
  const cet_sweep_spec *w = &r->s->sweep;
  for (size_t m = 0; m < r->nm; m++) {
    units[m] = cet_twin_metric_units(r->twin, r->s->metric_index[m]);
  }
  for (size_t d = 0; d < w->n_dims; d++) {
    units[r->nm + d] = cet_twin_parameter_units(r->twin, w->slots[d]);
  }
  *t = (cet_drv_sa_sweep_table){.paths = (const char *const *)w->paths,
                                .param_units = units + r->nm,
                                .n_dims = w->n_dims,
                                .points = w->points,
                                .grid = w->grid,
                                .metrics = (const char *const *)r->s->metrics.name,
                                .units = units,
                                .share = r->share,
                                .nm = r->nm,
                                .count = count,
                                .metrics_at = y};
  double *v = malloc((count * w->n_dims + 1) * sizeof *v);
  long long *index = malloc((count + 1) * sizeof *index);
  t->values = v;
  t->index = index;
  CET_CHECK(v && index, CET_ERR_MEMORY, "out of memory in %s for %llu points", __func__,
            (unsigned long long)count);
  for (uint64_t p = 0; p < count; p++) {
    sweep_point(w, first + p, v + p * w->n_dims);
    index[p] = (long long)(first + p);
  }
  return CET_OK;
}

/* Rank 0: the table of the points first .. first + count - 1 (metrics y),
 * printed and written. */
static int report_sweep(const cet_drv_sa_run *r, uint64_t first, uint64_t count, const double *y) {
  cet_drv_sa_sweep_table t = {0};
  const char **units = calloc(r->nm + r->s->sweep.n_dims + 1, sizeof *units);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, units);
  CET_CALL_GOTO(status, done, make_table(r, first, count, y, units, &t));
  if (r->ctx->summary) {
    cet_drv_sa_sweep_print(&t, r->ctx->summary);
  }
  if (r->ctx->result) {
    CET_CALL_GOTO(status, done, cet_drv_sa_sweep_write(&t, r->ctx->result));
  }
done:
  free((void *)t.values);
  free((void *)t.index);
  free(units);
  return status;
}

int cet_drv_sa_sweep(cet_drv_sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  uint64_t first = s->count > 0 ? s->first : 0, count = s->count > 0 ? s->count : s->sweep.points;
  cet_engine_problem p = {.model = r,
                          .n_values = r->nm,
                          .batch = 16,
                          .workspace_create = cet_drv_sa_ws_create,
                          .workspace_destroy = cet_drv_sa_ws_destroy,
                          .evaluate = sweep_evaluate};
  cet_engine_settings es;
  CET_CALL(
      cet_collective_status(cet_drv_sa_settings(r, first, count, "sweep", 1, &es), r->ctx->comm));
  double *y = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_sa_rows(r, &p, es, &y, NULL));
  if (r->ctx->rank == 0) {
    CET_CALL_GOTO(status, done, report_sweep(r, first, count, y));
  }
done:
  free(y);
  return cet_collective_status(status, r->ctx->comm);
}
