/*
 * sensitivity_info.c — `cetwin info` of a sensitivity result (drivers.h):
 * which methods the file holds and the tables the run printed, read back
 * into the views the run prints (sensitivity_impl.h): the tornado and
 * spider of every metric, the break-evens, the Morris screening, the
 * parameter study, and the Sobol' indices recomputed from their exact
 * sums. Share metrics print as percentages by the flags the run recorded
 * (CET_DRV_SA_SHARE); a file without them is reprinted as the versions
 * that wrote it printed it, every metric as a quantity.
 */
#include "cetwin/drivers.h"

#include "sensitivity_impl.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum { SA_INFO_KINDS = CET_FACTOR_PRICES + 1 };

/* What /sensitivity/oat holds, read whole (owned). */
typedef struct {
  char **metric, **units, **name, **kind, **groups;
  size_t nm, nu, nf, nk, ng, k, ns;
  int name_width; /* of the tables' name column, as the run's */
  double *base, *settings, *values, *swing, *changes, *relative;
  long long *rank, *factor;
  long long *share;         /* [nm] 1: a share (none in a file written before the flags) */
  size_t *row;              /* [k x nm] factor row of each metric's printed rank */
  const char **factor_name; /* [k] the names of the factors moved */
} oat_read;

static void oat_free(oat_read *o) {
  cet_free_strings(o->metric, o->nm);
  cet_free_strings(o->units, o->nu);
  cet_free_strings(o->name, o->nf);
  cet_free_strings(o->kind, o->nk);
  cet_free_strings(o->groups, o->ng);
  free(o->changes);
  free(o->relative);
  free(o->row);
  free(o->factor_name);
  free(o->base);
  free(o->settings);
  free(o->values);
  free(o->swing);
  free(o->rank);
  free(o->factor);
  free(o->share);
}

/* A numeric dataset of shape want (rank dimensions). */
static int read_shaped(cet_result_reader *in, const char *path, int ints, size_t rank,
                       const size_t *want, void **out) {
  return cet_drv_read_shaped(in, path, ints ? CET_RESULT_INT64 : CET_RESULT_DOUBLE, rank, want,
                             "the factors of /sensitivity/oat/factors and the metrics", out);
}

/* The names every sensitivity result holds. */
static int names_read(cet_result_reader *in, oat_read *o) {
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metrics", &o->nm, &o->metric));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metric_units", &o->nu, &o->units));
  CET_CALL(cet_drv_check_shape("/sensitivity/metric_units", 1, &o->nu, 1, &o->nm,
                               "one per /sensitivity/metrics"));
  CET_CALL(cet_drv_read_shares(in, CET_DRV_SA_SHARE, o->nm, NULL, "one per /sensitivity/metrics",
                               &o->share));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/factors/name", &o->nf, &o->name));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/factors/kind", &o->nk, &o->kind));
  CET_CALL(cet_drv_check_shape("/sensitivity/factors/kind", 1, &o->nk, 1, &o->nf,
                               "one per /sensitivity/factors/name"));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/groups", &o->ng, &o->groups));
  o->name_width = cet_drv_sa_name_width((const char *const *)o->groups, o->ng);
  return CET_OK;
}

/* /sensitivity/oat: the factors moved, the tornado and the spider. */
static int oat_read_all(cet_result_reader *in, oat_read *o) {
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_ints(in, "/sensitivity/oat/factors", &rank, dims, &o->factor));
  CET_CHECK(rank == 1, CET_ERR_INPUT, "/sensitivity/oat/factors: expected 1 dimension, found %zu",
            rank);
  o->k = dims[0];
  for (size_t i = 0; i < o->k; i++) {
    CET_CHECK(o->factor[i] >= 0 && (size_t)o->factor[i] < o->nf, CET_ERR_INPUT,
              "/sensitivity/oat/factors: expected indices 0..%zu, found %lld", o->nf - 1,
              o->factor[i]);
  }
  size_t k = o->k, nm = o->nm, d2[2] = {k, 2}, dv[3] = {k, 2, nm}, dw[2] = {k, nm};
  CET_CALL(read_shaped(in, "/sensitivity/oat/base", 0, 1, &o->nm, (void **)&o->base));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/settings", 0, 2, d2, (void **)&o->settings));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/values", 0, 3, dv, (void **)&o->values));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/swing", 0, 2, dw, (void **)&o->swing));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/rank", 1, 2, dw, (void **)&o->rank));
  o->row = calloc(k * nm + 1, sizeof *o->row);
  o->factor_name = calloc(k + 1, sizeof *o->factor_name);
  CET_CHECK_ALLOCS(o->row && o->factor_name);
  for (size_t i = 0; i < k; i++) {
    o->factor_name[i] = o->name[o->factor[i]];
    for (size_t m = 0; m < nm; m++) {
      long long r = o->rank[i * nm + m];
      CET_CHECK(r >= 1 && (size_t)r <= k, CET_ERR_INPUT,
                "/sensitivity/oat/tornado/rank: expected ranks 1..%zu, found %lld", k, r);
      o->row[(size_t)(r - 1) * nm + m] = i + 1; /* 0: not given yet */
    }
  }
  for (size_t n = 0; n < k * nm; n++) {
    CET_CHECK(o->row[n] > 0, CET_ERR_INPUT,
              "/sensitivity/oat/tornado/rank: rank %zu of metric %s given to no factor", n / nm + 1,
              o->metric[n % nm]);
    o->row[n]--;
  }
  if (cet_result_has(in, "/sensitivity/oat/spider")) {
    CET_CALL(
        cet_result_read_doubles(in, "/sensitivity/oat/spider/changes", &rank, dims, &o->changes));
    o->ns = rank == 1 ? dims[0] : 0;
    CET_CHECK(rank == 1 && o->ns > 0, CET_ERR_INPUT,
              "/sensitivity/oat/spider/changes: expected one or more relative changes");
    size_t dp[3] = {k, o->ns, nm};
    CET_CALL(read_shaped(in, "/sensitivity/oat/spider/relative", 0, 3, dp, (void **)&o->relative));
  }
  return CET_OK;
}

/* The kind named name. */
static cet_factor_kind kind_named(const char *name) {
  for (int k = 0; k < SA_INFO_KINDS; k++) {
    if (strcmp(cet_factor_kind_name((cet_factor_kind)k), name) == 0) {
      return (cet_factor_kind)k;
    }
  }
  return CET_FACTOR_VALUE;
}

/* The tornado and the spider of metric m: the factors in the order of
 * their rank. */
static int print_metric(const oat_read *o, size_t m, FILE *out) {
  size_t k = o->k, nm = o->nm;
  const char **names = calloc(k + 1, sizeof *names);
  cet_factor_kind *kind = calloc(k + 1, sizeof *kind);
  double *v = calloc(CET_DRV_SA_TORNADO_COLUMNS * k + 1, sizeof *v);
  size_t *row = calloc(k + 1, sizeof *row);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, names && kind && v && row);
  for (size_t n = 0; n < k; n++) {
    size_t i = o->row[n * nm + m], f = (size_t)o->factor[i];
    row[n] = i;
    names[n] = o->name[f];
    kind[n] = kind_named(o->kind[f]);
    v[CET_DRV_SA_TORNADO_LOW * k + n] = o->settings[2 * i];
    v[CET_DRV_SA_TORNADO_HIGH * k + n] = o->settings[2 * i + 1];
    v[CET_DRV_SA_TORNADO_AT_LOW * k + n] = o->values[(2 * i) * nm + m];
    v[CET_DRV_SA_TORNADO_AT_HIGH * k + n] = o->values[(2 * i + 1) * nm + m];
    v[CET_DRV_SA_TORNADO_SWING * k + n] = o->swing[i * nm + m];
  }
  cet_drv_sa_tornado_view view = {.metric = o->metric[m],
                                  .units = o->units[m],
                                  .share = (int)o->share[m],
                                  .base = o->base[m],
                                  .name_width = o->name_width,
                                  .n = k,
                                  .factor = names,
                                  .kind = kind,
                                  .columns = v};
  cet_drv_sa_print_tornado(&view, out);
  if (o->ns > 0) {
    cet_drv_sa_spider_view spider = {.metric = o->metric[m],
                                     .name_width = o->name_width,
                                     .n = k,
                                     .n_changes = o->ns,
                                     .nm = nm,
                                     .m = m,
                                     .factor = o->factor_name,
                                     .row = row,
                                     .changes = o->changes,
                                     .relative = o->relative};
    cet_drv_sa_print_spider(&spider, out);
  }
done:
  free(names);
  free(kind);
  free(v);
  free(row);
  return status;
}

/* The index of metric name in o's metrics, or o->nm. */
static size_t metric_named(const oat_read *o, const char *name) {
  size_t m = 0;
  while (m < o->nm && strcmp(o->metric[m], name) != 0) {
    m++;
  }
  return m;
}

/* /sensitivity/break_even, its factors those of the tornado. */
static int print_break_even(cet_result_reader *in, const oat_read *o, FILE *out) {
  const char *g = "/sensitivity/break_even";
  char *metric = NULL, *source = NULL;
  double *table = NULL, *reference = NULL;
  cet_drv_sa_break_even_view v = {.name_width = o->name_width, .n = o->k, .factor = o->factor_name};
  size_t dims[2] = {o->k, CET_DRV_SA_BE_VALUES};
  size_t m = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_result_read_attr_string(in, g, "metric", &metric));
  CET_CALL_GOTO(status, done, cet_result_read_attr_double(in, g, "threshold", &v.threshold));
  CET_CALL_GOTO(status, done, cet_result_read_attr_double(in, g, "tolerance", &v.tolerance));
  CET_CALL_GOTO(status, done,
                cet_drv_read_shaped(in, "/sensitivity/break_even/table", CET_RESULT_DOUBLE, 2, dims,
                                    "one row per factor of /sensitivity/oat/factors",
                                    (void **)&table));
  if (cet_result_has(in, "/sensitivity/break_even/reference")) {
    CET_CALL_GOTO(status, done,
                  cet_drv_read_shaped(in, "/sensitivity/break_even/reference", CET_RESULT_DOUBLE, 1,
                                      dims, "one per factor of /sensitivity/oat/factors",
                                      (void **)&reference));
    CET_CALL_GOTO(
        status, done,
        cet_result_read_attr_string(in, "/sensitivity/break_even/reference", "source", &source));
  }
  m = metric_named(o, metric);
  CET_CHECK_GOTO(status, done, m < o->nm, CET_ERR_INPUT,
                 "%s attribute metric: expected one of /sensitivity/metrics, found '%s'", g,
                 metric);
  v.metric = metric;
  v.units = o->units[m];
  v.share = (int)o->share[m];
  v.table = table;
  v.reference = reference;
  v.source = source;
  cet_drv_sa_print_break_even(&v, out);
done:
  free(metric);
  free(source);
  free(table);
  free(reference);
  return status;
}

/* /sensitivity/morris. */
static int print_morris(cet_result_reader *in, const oat_read *o, FILE *out) {
  const char *g = "/sensitivity/morris";
  static const char *const ATTRS[] = {"trajectories", "levels", "candidates", "radial",
                                      "resamples"};
  static const char *const TABLES[] = {"mu", "mu_star", "sigma", "mu_star_conf"};
  long long a[sizeof ATTRS / sizeof ATTRS[0]] = {0};
  char **groups = NULL;
  size_t ng = 0;
  double *t[sizeof TABLES / sizeof TABLES[0]] = {NULL};
  cet_drv_sa_morris_view v = {.name_width = o->name_width,
                              .nm = o->nm,
                              .metrics = (const char *const *)o->metric,
                              .units = (const char *const *)o->units,
                              .share = o->share};
  int status = CET_OK;
  for (size_t i = 0; i < sizeof ATTRS / sizeof ATTRS[0]; i++) {
    if (i == 4 && !cet_result_has_attr(in, g, ATTRS[i])) {
      continue; /* files before the attribute resamples: no count shown */
    }
    CET_CALL_GOTO(status, done, cet_result_read_attr_int(in, g, ATTRS[i], &a[i]));
    CET_CHECK_GOTO(status, done, a[i] >= 0, CET_ERR_INPUT,
                   "%s attribute %s: expected a count, found %lld", g, ATTRS[i], a[i]);
  }
  CET_CALL_GOTO(status, done, cet_result_read_attr_double(in, g, "level", &v.level));
  CET_CALL_GOTO(status, done,
                cet_result_read_strings(in, "/sensitivity/morris/groups", &ng, &groups));
  size_t dims[2] = {ng, o->nm};
  for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s/%s", g, TABLES[i]);
    CET_CALL_GOTO(status, done,
                  cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, 2, dims,
                                      "one row per group of /sensitivity/morris/groups, one "
                                      "column per metric",
                                      (void **)&t[i]));
  }
  v.trajectories = (size_t)a[0];
  v.levels = (size_t)a[1];
  v.candidates = (size_t)a[2];
  v.radial = a[3] != 0;
  v.resamples = (size_t)a[4];
  v.points = ng + 1;
  v.g = ng;
  v.groups = (const char *const *)groups;
  v.mu = t[0];
  v.mu_star = t[1];
  v.sigma = t[2];
  v.conf = t[3];
  cet_drv_sa_print_morris(&v, out);
done:
  cet_free_strings(groups, ng);
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    free(t[i]);
  }
  return status;
}

/* /sensitivity/sweep: the points the file holds (a shard's, every point
 * of a merged study, or those of shards with a gap between them). */
static int print_sweep(cet_result_reader *in, const oat_read *o, FILE *out) {
  const char *g = "/sensitivity/sweep";
  char **paths = NULL;
  size_t nd = 0, rank = 0, dims[3] = {0};
  long long points = 0, grid = 0, *index = NULL;
  double *values = NULL, *metrics = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_result_read_strings(in, "/sensitivity/sweep/paths", &nd, &paths));
  CET_CALL_GOTO(status, done, cet_result_read_attr_int(in, g, "points", &points));
  CET_CALL_GOTO(status, done, cet_result_read_attr_int(in, g, "grid", &grid));
  CET_CALL_GOTO(status, done,
                cet_result_read_ints(in, "/sensitivity/sweep/point", &rank, dims, &index));
  CET_CALL_GOTO(status, done,
                cet_drv_check_shape("/sensitivity/sweep/point", rank, dims, 1, dims,
                                    "the indices of the points"));
  size_t count = dims[0], dv[2] = {count, nd}, dm[2] = {count, o->nm};
  CET_CALL_GOTO(status, done,
                cet_drv_read_shaped(in, "/sensitivity/sweep/values", CET_RESULT_DOUBLE, 2, dv,
                                    "a row per point, a column per entry of "
                                    "/sensitivity/sweep/paths",
                                    (void **)&values));
  CET_CALL_GOTO(status, done,
                cet_drv_read_shaped(in, "/sensitivity/sweep/metrics", CET_RESULT_DOUBLE, 2, dm,
                                    "a row per point, a column per name in /sensitivity/metrics",
                                    (void **)&metrics));
  cet_drv_sa_sweep_table t = {.paths = (const char *const *)paths,
                              .n_dims = nd,
                              .points = points > 0 ? (uint64_t)points : 0,
                              .grid = grid != 0,
                              .metrics = (const char *const *)o->metric,
                              .units = (const char *const *)o->units,
                              .share = o->share,
                              .nm = o->nm,
                              .count = count,
                              .index = index,
                              .values = values,
                              .metrics_at = metrics};
  cet_drv_sa_sweep_print(&t, out);
done:
  cet_free_strings(paths, nd);
  free(index);
  free(values);
  free(metrics);
  return status;
}

int cet_info_sensitivity(cet_result_reader *in, int verbose, FILE *out) {
  (void)verbose;
  static const char *const METHODS[] = {"oat", "break_even", "morris", "sweep", "sobol"};
  fprintf(out, "  methods in the file:");
  for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
    char group[64];
    snprintf(group, sizeof group, "/sensitivity/%s", METHODS[i]);
    if (cet_result_has(in, group)) {
      fprintf(out, " %s (%s)", METHODS[i], group);
    }
  }
  fprintf(out, "\n");
  oat_read o = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, names_read(in, &o));
  if (cet_result_has(in, "/sensitivity/oat/tornado")) {
    CET_CALL_GOTO(status, done, oat_read_all(in, &o));
    for (size_t m = 0; m < o.nm; m++) {
      CET_CALL_GOTO(status, done, print_metric(&o, m, out));
    }
    if (cet_result_has(in, "/sensitivity/break_even")) {
      CET_CALL_GOTO(status, done, print_break_even(in, &o, out));
    }
  }
  if (cet_result_has(in, "/sensitivity/morris")) {
    CET_CALL_GOTO(status, done, print_morris(in, &o, out));
  }
  if (cet_result_has(in, "/sensitivity/sweep")) {
    CET_CALL_GOTO(status, done, print_sweep(in, &o, out));
  }
  if (cet_result_has(in, "/sensitivity/sobol")) {
    CET_CALL_GOTO(status, done, cet_drv_sa_sobol_print_file(in, out));
  }
done:
  oat_free(&o);
  return status;
}
