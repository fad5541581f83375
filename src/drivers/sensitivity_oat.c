/*
 * sensitivity_oat.c — one factor at a time (the tornado and spider tables
 * of mining DCF studies): point 0 is the base point; points 1 .. 2k move
 * factor i to the low and to the high end of its range (the tornado);
 * then every factor through the relative changes of the spider table,
 * each with the other factors at the base. A spider point that would move
 * a parameter outside its valid range is not evaluated (NaN, and said so).
 * Rank 0 sorts the factors by the swing of the first metric, prints both
 * tables and writes /sensitivity/oat.
 */
#include "sensitivity_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_LEN = 64 };

/* The setting of the factors at point p of the plan into x (the base
 * but for one factor of the set); 0 when that setting leaves the factor's
 * valid range. */
static int oat_point(const cet_drv_sa_run *r, uint64_t p, double *x) {
  const cet_sensitivity_spec *s = r->s;
  const cet_factor_set *set = &s->oat.factors;
  memcpy(x, r->base, r->k * sizeof *x);
  if (p == 0) {
    return 1;
  }
  if (p <= 2 * set->n) {
    size_t i = set->index[(p - 1) / 2];
    const cet_factor *f = &s->factors[i];
    x[i] = (p - 1) % 2 ? f->oat_high : f->oat_low;
    return 1;
  }
  uint64_t q = p - 1 - 2 * set->n;
  size_t i = set->index[q / s->oat.n_spider], j = (size_t)(q % s->oat.n_spider);
  const cet_factor *f = &s->factors[i];
  x[i] = cet_drv_sa_native_at_change(f, s->oat.spider[j]);
  return cet_drv_sa_native_valid(r, f, x[i]);
}

static int oat_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                        double *const *extras, uint64_t *failed) {
  (void)extras;
  const cet_drv_sa_run *r = model;
  cet_drv_sa_ws *ws = wsp;
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    double *out = values + d * r->nm;
    if (!oat_point(r, first + d, ws->x)) {
      for (size_t m = 0; m < r->nm; m++) {
        out[m] = NAN;
      }
      continue;
    }
    CET_CALL(cet_drv_sa_evaluate(r, ws, ws->x, NULL, out));
  }
  return CET_OK;
}

/* How a factor's tornado end reads: a value, a percentage or a band. */
static void format_setting(cet_factor_kind kind, double x, char *buf, size_t len) {
  if (kind == CET_FACTOR_SCALE) {
    cet_format_percent(x, 1, buf, len);
  } else if (kind == CET_FACTOR_PRICES) {
    snprintf(buf, len, "%s", x < 0 ? "lower band" : x > 0 ? "upper band" : "mean");
  } else {
    snprintf(buf, len, "%.4g", x);
  }
}

/* Factors sorted by swing (largest first; NaN last). */
static int by_swing(const void *a, const void *b, void *swing) {
  const double *w = swing;
  double x = w[*(const size_t *)a], y = w[*(const size_t *)b];
  if (isnan(x) || isnan(y)) {
    return isnan(x) - isnan(y);
  }
  return (x < y) - (x > y);
}

/* order[m x k]: for each metric m, the k factor indices in a stable order
 * of their swing of m (k is small: an insertion sort); col: scratch [k]. */
static void sort_by_swing(size_t *order, size_t k, size_t nm, const double *swing, double *col) {
  for (size_t m = 0; m < nm; m++) {
    size_t *o = order + m * k;
    for (size_t i = 0; i < k; i++) {
      o[i] = i;
      col[i] = swing[i * nm + m];
    }
    for (size_t i = 1; i < k; i++) {
      size_t v = o[i], j = i;
      while (j > 0 && by_swing(&o[j - 1], &v, col) > 0) {
        o[j] = o[j - 1];
        j--;
      }
      o[j] = v;
    }
  }
}

void cet_drv_sa_print_tornado(const cet_drv_sa_tornado_view *v, FILE *out) {
  const int w = v->name_width;
  char base[TEXT_LEN], a[TEXT_LEN], b[TEXT_LEN], va[TEXT_LEN], vb[TEXT_LEN], sw[TEXT_LEN];
  cet_format_metric(v->base, v->units, v->share, base, sizeof base);
  fprintf(out, "\nOne factor at a time (tornado), the others at the base: %s = %s\n", v->metric,
          base);
  fprintf(out, "  %-*s %12s %12s %14s %14s %14s\n", w, "factor", "low", "high", "at low", "at high",
          "swing");
  for (size_t n = 0; n < v->n; n++) {
    const double *c = v->columns + n;
    format_setting(v->kind[n], c[CET_DRV_SA_TORNADO_LOW * v->n], a, sizeof a);
    format_setting(v->kind[n], c[CET_DRV_SA_TORNADO_HIGH * v->n], b, sizeof b);
    cet_format_metric(c[CET_DRV_SA_TORNADO_AT_LOW * v->n], v->units, v->share, va, sizeof va);
    cet_format_metric(c[CET_DRV_SA_TORNADO_AT_HIGH * v->n], v->units, v->share, vb, sizeof vb);
    cet_format_metric(c[CET_DRV_SA_TORNADO_SWING * v->n], v->units, v->share, sw, sizeof sw);
    fprintf(out, "  %-*s %12s %12s %16s %16s %16s\n", w, v->factor[n], a, b, va, vb, sw);
  }
}

/* The tornado of metric m, its factors in order. */
static int print_tornado(const cet_drv_sa_run *r, const double *y, size_t m, const size_t *order,
                         const double *swing, FILE *out) {
  const cet_sensitivity_spec *s = r->s;
  const cet_factor_set *set = &s->oat.factors;
  size_t k = set->n;
  const char **names = calloc(k + 1, sizeof *names);
  cet_factor_kind *kind = calloc(k + 1, sizeof *kind);
  double *v = calloc(CET_DRV_SA_TORNADO_COLUMNS * k + 1, sizeof *v);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, names && kind && v);
  for (size_t n = 0; n < k; n++) {
    size_t i = order[n];
    const cet_factor *f = &s->factors[set->index[i]];
    names[n] = f->name;
    kind[n] = f->kind;
    v[CET_DRV_SA_TORNADO_LOW * k + n] = f->oat_low;
    v[CET_DRV_SA_TORNADO_HIGH * k + n] = f->oat_high;
    v[CET_DRV_SA_TORNADO_AT_LOW * k + n] = y[(1 + 2 * i) * r->nm + m];
    v[CET_DRV_SA_TORNADO_AT_HIGH * k + n] = y[(2 + 2 * i) * r->nm + m];
    v[CET_DRV_SA_TORNADO_SWING * k + n] = swing[i * r->nm + m];
  }
  cet_drv_sa_tornado_view view = {.metric = s->metrics.name[m],
                                  .units = r->units[m],
                                  .share = (int)r->share[m],
                                  .base = y[m],
                                  .name_width = r->name_width,
                                  .n = k,
                                  .factor = names,
                                  .kind = kind,
                                  .columns = v};
  cet_drv_sa_print_tornado(&view, out);
done:
  free(names);
  free(kind);
  free(v);
  return status;
}

void cet_drv_sa_print_spider(const cet_drv_sa_spider_view *v, FILE *out) {
  char text[TEXT_LEN];
  int skipped = 0;
  fprintf(out, "\nSpider: change of %s (%% of its base value) when one factor changes by\n",
          v->metric);
  fprintf(out, "  %-*s", v->name_width, "factor");
  for (size_t j = 0; j < v->n_changes; j++) {
    cet_format_percent(v->changes[j], 1, text, sizeof text);
    fprintf(out, " %10s", text);
  }
  fprintf(out, "\n");
  for (size_t n = 0; n < v->n; n++) {
    size_t i = v->row[n];
    fprintf(out, "  %-*s", v->name_width, v->factor[i]);
    for (size_t j = 0; j < v->n_changes; j++) {
      double x = v->relative[(i * v->n_changes + j) * v->nm + v->m];
      skipped += isnan(x) != 0;
      if (isnan(x)) {
        fprintf(out, " %10s", "-");
      } else {
        fprintf(out, " %10.3g", 100.0 * x);
      }
    }
    fprintf(out, "\n");
  }
  if (skipped) {
    fprintf(out, "  (-: the change would move a parameter outside its valid range)\n");
  }
}

/* Writes /sensitivity/oat from the values y of every point (rank 0). */
static int write_oat(const cet_drv_sa_run *r, const double *y, const double *swing,
                     const size_t *order, const double *rel, cet_result *res) {
  const cet_sensitivity_spec *s = r->s;
  const cet_factor_set *set = &s->oat.factors;
  const size_t k = set->n, nm = r->nm, ns = s->oat.n_spider;
  double *settings = malloc((2 * k + 1) * sizeof *settings);
  long long *rank = malloc((k * nm + 1) * sizeof *rank), *factor = malloc((k + 1) * sizeof *factor);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, settings && rank && factor);
  for (size_t i = 0; i < k; i++) {
    settings[2 * i] = s->factors[set->index[i]].oat_low;
    settings[2 * i + 1] = s->factors[set->index[i]].oat_high;
    factor[i] = (long long)set->index[i];
    for (size_t m = 0; m < nm; m++) {
      rank[order[m * k + i] * nm + m] = (long long)i + 1;
    }
  }
  static const char *const ENDS[] = {"low", "high"};
  const char *const *metrics = (const char *const *)s->metrics.name;
  cet_dataset_meta mb = {.unit_list = r->units,
                         .n_units = nm,
                         .description = "the metrics at the base point",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "metric"};
  cet_dataset_meta ms = {.units = "1",
                         .description = "each factor's setting at its low and high end",
                         .columns = ENDS,
                         .n_columns = 2,
                         .dims = "factor,end"};
  cet_dataset_meta mv = {.unit_list = r->units,
                         .n_units = nm,
                         .description = "the metrics with one factor at its low or high end",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "factor,end,metric"};
  cet_dataset_meta mw = {.unit_list = r->units,
                         .n_units = nm,
                         .description = "|metric at high - metric at low| per factor",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "factor,metric"};
  cet_dataset_meta mr = {.units = "1",
                         .description = "rank of each factor by its swing of each metric (1: "
                                        "the largest)",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "factor,metric"};
  cet_dataset_meta mf = {.units = "1",
                         .description = "the factors moved (indices in /sensitivity/factors)",
                         .dims = "factor"};
  size_t db[1] = {nm}, ds[2] = {k, 2}, dv[3] = {k, 2, nm}, dw[2] = {k, nm}, dk[1] = {k};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(res, "/sensitivity/oat/base", 1, db, y, &mb));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, "/sensitivity/oat/tornado/settings", 2, ds, settings, &ms));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, "/sensitivity/oat/tornado/values", 3, dv, y + nm, &mv));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(res, "/sensitivity/oat/tornado/swing", 2, dw, swing, &mw));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(res, "/sensitivity/oat/tornado/rank", 2, dw, rank, &mr));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(res, "/sensitivity/oat/factors", 1, dk, factor, &mf));
  if (ns > 0) {
    cet_dataset_meta mc = {
        .units = "1", .description = "relative changes of the spider table", .dims = "change"};
    cet_dataset_meta mp = {.unit_list = r->units,
                           .n_units = nm,
                           .description = "the metrics with one factor changed (NaN: outside "
                                          "its valid range)",
                           .columns = metrics,
                           .n_columns = nm,
                           .dims = "factor,change,metric"};
    cet_dataset_meta mq = {.units = "1",
                           .description = "(metric - base) / |base| of the spider points",
                           .columns = metrics,
                           .n_columns = nm,
                           .dims = "factor,change,metric"};
    size_t dc[1] = {ns}, dp[3] = {k, ns, nm};
    CET_CALL_GOTO(status, done,
                  cet_result_write_doubles(res, "/sensitivity/oat/spider/changes", 1, dc,
                                           s->oat.spider, &mc));
    CET_CALL_GOTO(status, done,
                  cet_result_write_doubles(res, "/sensitivity/oat/spider/values", 3, dp,
                                           y + (1 + 2 * k) * nm, &mp));
    CET_CALL_GOTO(
        status, done,
        cet_result_write_doubles(res, "/sensitivity/oat/spider/relative", 3, dp, rel, &mq));
  }
done:
  free(settings);
  free(rank);
  free(factor);
  return status;
}

/* Rank 0: the tables from the values y of every point. */
static int report(const cet_drv_sa_run *r, const double *y) {
  const size_t k = r->s->oat.factors.n, nm = r->nm, ns = r->s->oat.n_spider;
  double *swing = malloc((k * nm + 1) * sizeof *swing);
  double *rel = malloc((k * ns * nm + 1) * sizeof *rel);
  size_t *order = malloc((k * nm + 1) * sizeof *order);
  double *col = malloc((k + 1) * sizeof *col);
  const char **names = malloc((k + 1) * sizeof *names);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, swing && rel && order && col && names);
  for (size_t i = 0; i < k; i++) {
    names[i] = r->s->factors[r->s->oat.factors.index[i]].name;
    for (size_t m = 0; m < nm; m++) {
      swing[i * nm + m] = fabs(y[(2 + 2 * i) * nm + m] - y[(1 + 2 * i) * nm + m]);
    }
    for (size_t j = 0; j < ns * nm; j++) {
      size_t m = j % nm;
      rel[i * ns * nm + j] = (y[(1 + 2 * k + i * ns) * nm + j] - y[m]) / fabs(y[m]);
    }
  }
  sort_by_swing(order, k, nm, swing, col);
  FILE *out = r->ctx->summary;
  for (size_t m = 0; out && m < nm; m++) {
    CET_CALL_GOTO(status, done, print_tornado(r, y, m, order + m * k, swing, out));
    if (ns > 0) {
      cet_drv_sa_spider_view spider = {.metric = r->s->metrics.name[m],
                                       .name_width = r->name_width,
                                       .n = k,
                                       .n_changes = ns,
                                       .nm = nm,
                                       .m = m,
                                       .factor = names,
                                       .row = order + m * k,
                                       .changes = r->s->oat.spider,
                                       .relative = rel};
      cet_drv_sa_print_spider(&spider, out);
    }
    fflush(out);
  }
  if (r->ctx->result) {
    CET_CALL_GOTO(status, done, write_oat(r, y, swing, order, rel, r->ctx->result));
  }
done:
  free(swing);
  free(rel);
  free(order);
  free(col);
  free(names);
  return status;
}

int cet_drv_sa_oat(cet_drv_sa_run *r) {
  uint64_t k = r->s->oat.factors.n, points = 1 + 2 * k + k * r->s->oat.n_spider;
  cet_engine_problem p = {.model = r,
                          .n_values = r->nm,
                          .batch = 1,
                          .workspace_create = cet_drv_sa_ws_create,
                          .workspace_destroy = cet_drv_sa_ws_destroy,
                          .evaluate = oat_evaluate};
  cet_engine_settings s;
  CET_CALL(cet_drv_sa_settings(r, 0, points, "oat", 0, &s));
  double *y = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_sa_rows(r, &p, s, &y, NULL));
  if (r->ctx->rank == 0) {
    CET_CALL_GOTO(status, done, report(r, y));
  }
done:
  free(y);
  return cet_collective_status(status, r->ctx->comm);
}
