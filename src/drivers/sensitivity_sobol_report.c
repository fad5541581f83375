/*
 * sensitivity_sobol_report.c — the Sobol' indices of a plan from its sums
 * (sensitivity_impl.h): the sums are kept in buckets of blocks [0, 1),
 * [1, 2), [2, 4), [4, 8), ... so that the first 2^m blocks give the
 * convergence table; the buckets pack into one byte string (each bucket's
 * size, then its bytes) that merges exactly; the estimates with their
 * intervals are printed and written to /sensitivity/sobol. A run and
 * `cetwin merge` of its shards share all of it.
 */
#include "sensitivity_impl.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_LEN = 64 };

/* ---- buckets of blocks ---- */

size_t cet_drv_sa_sobol_bucket_of(uint64_t block) {
  size_t m = 0;
  while (block > 0) {
    block >>= 1;
    m++;
  }
  return m;
}

int cet_drv_sa_sobol_plan_design(cet_drv_sa_sobol_plan *p) {
  cet_sobol_parameters q = cet_sobol_default_parameters();
  q.factors = p->kc;
  q.groups = p->g;
  q.group_of = p->coordinate_group;
  q.second_order = p->second_order;
  q.seed = p->seed;
  q.base_rows = p->n;
  q.block = p->block;
  q.replicates = p->replicates;
  q.bootstrap_outputs = p->bootstrap_metrics;
  CET_CALL(cet_sobol_design_create(&p->design, &q));
  p->rows = cet_sobol_design_rows(p->design);
  p->buckets = cet_drv_sa_sobol_bucket_of((p->n + p->block - 1) / p->block - 1) + 1;
  return CET_OK;
}

int cet_drv_sa_sobol_buckets_create(const cet_drv_sa_sobol_plan *p, cet_sobol_sums ***out) {
  cet_sobol_sums **b = calloc(p->buckets + 1, sizeof *b);
  CET_CHECK_ALLOC(b);
  int status = CET_OK;
  for (size_t m = 0; m < p->buckets; m++) {
    CET_CALL_GOTO(status, fail, cet_sobol_sums_create(&b[m], p->design, p->nm));
  }
  *out = b;
  return CET_OK;
fail:
  cet_drv_sa_sobol_buckets_destroy(&b, p->buckets);
  return status;
}

void cet_drv_sa_sobol_buckets_destroy(cet_sobol_sums ***b, size_t n) {
  for (size_t m = 0; *b && m < n; m++) {
    cet_sobol_sums_destroy(&(*b)[m]);
  }
  free(*b);
  *b = NULL;
}

int cet_drv_sa_sobol_buckets_pack(cet_sobol_sums *const *bucket, size_t n, unsigned char **out,
                                  size_t *size) {
  unsigned char *one = NULL;
  size_t at = 0;
  int status = CET_OK;
  for (size_t m = 0; m < n; m++) {
    size_t k = 0;
    uint64_t k64 = 0;
    CET_CALL_GOTO(status, done, cet_sobol_sums_pack_compact(bucket[m], &one, &k));
    CET_CALL_GOTO(status, done, cet_array_grow(out, NULL, at + sizeof k64 + k, 1));
    k64 = k;
    memcpy(*out + at, &k64, sizeof k64);
    memcpy(*out + at + sizeof k64, one, k);
    at += sizeof k64 + k;
  }
done:
  free(one);
  *size = at;
  return status;
}

int cet_drv_sa_sobol_buckets_merge(cet_sobol_sums *const *bucket, size_t n, const void *bytes,
                                   size_t size) {
  const unsigned char *p = bytes;
  size_t at = 0;
  for (size_t m = 0; m < n; m++) {
    uint64_t k = 0;
    CET_CHECK(size - at >= sizeof k, CET_ERR_INPUT, "Sobol' sums: %zu bytes end in bucket %zu",
              size, m);
    memcpy(&k, p + at, sizeof k);
    at += sizeof k;
    CET_CHECK(k <= size - at, CET_ERR_INPUT, "Sobol' sums: bucket %zu of %llu bytes beyond %zu", m,
              (unsigned long long)k, size);
    CET_CALL(cet_sobol_sums_merge_compact(bucket[m], p + at, (size_t)k));
    at += (size_t)k;
  }
  CET_CHECK(at == size, CET_ERR_INPUT, "Sobol' sums: %zu bytes left over", size - at);
  return CET_OK;
}

/* ---- the estimates ---- */

/* Indices of every group and metric: [g x nm], second order [g x g x nm]. */
typedef struct {
  double *first, *first_conf, *total, *total_conf, *second, *second_conf;
  double *mean, *variance;         /* [nm] */
  size_t levels;                   /* of the convergence table */
  double *n_level;                 /* [levels] base rows */
  double *conv_first, *conv_total; /* [levels x g x nm] */
} sobol_table;

static void table_free(sobol_table *t) {
  free(t->first);
  free(t->first_conf);
  free(t->total);
  free(t->total_conf);
  free(t->second);
  free(t->second_conf);
  free(t->mean);
  free(t->variance);
  free(t->n_level);
  free(t->conv_first);
  free(t->conv_total);
}

static int table_alloc(sobol_table *t, size_t g, size_t nm, size_t levels, int second) {
  size_t a = g * nm + 1, b = second ? g * g * nm + 1 : 1, c = levels * g * nm + 1;
  t->first = malloc(a * sizeof(double));
  t->first_conf = malloc(a * sizeof(double));
  t->total = malloc(a * sizeof(double));
  t->total_conf = malloc(a * sizeof(double));
  t->second = malloc(b * sizeof(double));
  t->second_conf = malloc(b * sizeof(double));
  t->mean = malloc((nm + 1) * sizeof(double));
  t->variance = malloc((nm + 1) * sizeof(double));
  t->n_level = malloc((levels + 1) * sizeof(double));
  t->conv_first = malloc(c * sizeof(double));
  t->conv_total = malloc(c * sizeof(double));
  t->levels = levels;
  CET_CHECK_ALLOCS(t->first && t->first_conf && t->total && t->total_conf && t->second &&
                   t->second_conf && t->mean && t->variance && t->n_level && t->conv_first &&
                   t->conv_total);
  return CET_OK;
}

/* Scatters a metric's column v[g] into t[g x nm] at m. */
static void scatter(const double *v, size_t g, size_t nm, size_t m, double *t) {
  for (size_t i = 0; i < g; i++) {
    t[i * nm + m] = v[i];
  }
}

static int estimates(const cet_drv_sa_sobol_plan *p, cet_sobol_sums *const *bucket,
                     sobol_table *t) {
  const size_t g = p->g, nm = p->nm;
  const int second = p->second_order;
  CET_CALL(table_alloc(t, g, nm, p->buckets, second));
  double *col = malloc((6 * g + 2 * g * g + 1) * sizeof *col);
  cet_sobol_sums *total = NULL;
  int status = CET_OK;
  t->levels = 0;
  CET_CHECK_ALLOC_GOTO(status, done, col != NULL);
  CET_CALL_GOTO(status, done, cet_sobol_sums_create(&total, p->design, nm));
  for (size_t b = 0; b < p->buckets; b++) {
    if (cet_sobol_sums_blocks(bucket[b]) == 0) {
      continue;
    }
    CET_CALL_GOTO(status, done, cet_sobol_sums_merge(total, bucket[b]));
    size_t l = t->levels++;
    t->n_level[l] = (double)cet_sobol_sums_base_rows(total);
    for (size_t m = 0; m < nm; m++) {
      CET_CALL_GOTO(
          status, done,
          cet_sobol_sums_indices(total, m, p->level, col, NULL, col + g, NULL, NULL, NULL));
      scatter(col, g, nm, m, t->conv_first + l * g * nm);
      scatter(col + g, g, nm, m, t->conv_total + l * g * nm);
    }
  }
  for (size_t m = 0; m < nm; m++) {
    double *s2 = col + 4 * g, *s2c = s2 + g * g;
    CET_CALL_GOTO(status, done,
                  cet_sobol_sums_indices(total, m, p->level, col, col + g, col + 2 * g, col + 3 * g,
                                         second ? s2 : NULL, second ? s2c : NULL));
    scatter(col, g, nm, m, t->first);
    scatter(col + g, g, nm, m, t->first_conf);
    scatter(col + 2 * g, g, nm, m, t->total);
    scatter(col + 3 * g, g, nm, m, t->total_conf);
    if (second) {
      scatter(s2, g * g, nm, m, t->second);
      scatter(s2c, g * g, nm, m, t->second_conf);
    }
    CET_CALL_GOTO(status, done, cet_sobol_sums_moments(total, m, &t->mean[m], &t->variance[m]));
  }
done:
  cet_sobol_sums_destroy(&total);
  free(col);
  return status;
}

/* ---- printing and writing ---- */

static void print_index(double v, double conf, FILE *out, int *wide) {
  int w = !isnan(conf) && conf > fabs(v);
  *wide += w;
  if (isnan(conf)) {
    fprintf(out, " %8.4f %9s", v, "");
  } else {
    fprintf(out, " %8.4f +-%6.4f%s", v, conf, w ? "!" : " ");
  }
}

static void print_sobol(const cet_drv_sa_sobol_plan *p, const sobol_table *t, uint64_t base_rows,
                        FILE *out) {
  const size_t g = p->g, nm = p->nm;
  char mean[TEXT_LEN], sd[TEXT_LEN];
  fprintf(out, "\nSobol' indices: N = %llu base rows x %zu points = %llu evaluations",
          (unsigned long long)base_rows, p->rows, (unsigned long long)(base_rows * p->rows));
  if (p->replicates > 1) {
    fprintf(out, "; %g %% intervals from %zu bootstrap replicates", 100 * p->level, p->replicates);
  }
  fprintf(out, "\n");
  if (p->evaluation_note || p->evaluation) {
    fprintf(out, "  evaluation: %s\n",
            p->evaluation_note                       ? p->evaluation_note
            : strcmp(p->evaluation, "factored") == 0 ? "factored cash flow"
                                                     : "cash-flow model");
  }
  int wide = 0, width = cet_drv_sa_name_width(p->groups, g);
  for (size_t m = 0; m < nm; m++) {
    const char *units = p->units[m];
    cet_format_metric(t->mean[m], units, (int)p->share[m], mean, sizeof mean);
    cet_format_metric(sqrt(t->variance[m]), units, (int)p->share[m], sd, sizeof sd);
    fprintf(out, "  %s (mean %s, sd %s):\n", p->metrics[m], mean, sd);
    fprintf(out, "    %-*s %18s %18s\n", width, "group", "first order S1", "total ST");
    double sum1 = 0.0, sumt = 0.0;
    for (size_t i = 0; i < g; i++) {
      fprintf(out, "    %-*s", width, p->groups[i]);
      print_index(t->first[i * nm + m], t->first_conf[i * nm + m], out, &wide);
      print_index(t->total[i * nm + m], t->total_conf[i * nm + m], out, &wide);
      fprintf(out, "\n");
      sum1 += t->first[i * nm + m];
      sumt += t->total[i * nm + m];
    }
    fprintf(out, "    %-*s %8.4f %9s %8.4f\n", width, "sum", sum1, "", sumt);
  }
  if (wide) {
    fprintf(out, "  !: the interval is wider than the index (a larger sobol.n narrows it)\n");
  }
  if (t->levels > 1) {
    fprintf(out, "  convergence of %s (point estimates S1 / ST from the first N base rows):\n",
            p->metrics[0]);
    fprintf(out, "    %10s", "N");
    for (size_t i = 0; i < g; i++) {
      fprintf(out, " %17.17s", p->groups[i]);
    }
    fprintf(out, "\n");
    for (size_t l = 0; l < t->levels; l++) {
      fprintf(out, "    %10.0f", t->n_level[l]);
      for (size_t i = 0; i < g; i++) {
        fprintf(out, "   %6.3f / %6.3f", t->conv_first[(l * g + i) * nm],
                t->conv_total[(l * g + i) * nm]);
      }
      fprintf(out, "\n");
    }
  }
  fflush(out);
}

/* /sensitivity/sobol/variance, described by meta but with the units of
 * the metrics squared. */
static int write_variance(const cet_drv_sa_sobol_plan *p, const sobol_table *t,
                          cet_dataset_meta *meta, cet_result *res) {
  size_t nm = p->nm, dm[1] = {nm};
  char(*squared)[CET_DRV_SA_NAME_LEN] = calloc(nm + 1, sizeof *squared);
  const char **units2 = calloc(nm + 1, sizeof *units2);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, squared && units2);
  for (size_t m = 0; m < nm; m++) { /* "EUR" -> "EUR EUR" */
    int one = strcmp(p->units[m], "1") == 0;
    snprintf(squared[m], CET_DRV_SA_NAME_LEN, "%s%s%s", p->units[m], one ? "" : " ",
             one ? "" : p->units[m]);
    units2[m] = squared[m];
  }
  meta->unit_list = units2;
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, "/sensitivity/sobol/variance", 1, dm, t->variance, meta));
done:
  free(squared);
  free(units2);
  return status;
}

/* /sensitivity/sobol/sums (the buckets packed, *size bytes) and the group
 * of each coordinate. */
static int write_sums(const cet_drv_sa_sobol_plan *p, cet_sobol_sums *const *bucket, size_t *size,
                      cet_result *res) {
  unsigned char *bytes = NULL;
  long long *w = NULL, *cg = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_buckets_pack(bucket, p->buckets, &bytes, size));
  size_t words = (*size + 7) / 8, dw[1] = {words}, dk[1] = {p->kc};
  w = calloc(words + 1, sizeof *w);
  cg = calloc(p->kc + 1, sizeof *cg);
  CET_CHECK_ALLOC_GOTO(status, done, w && cg);
  memcpy(w, bytes, *size);
  for (size_t c = 0; c < p->kc; c++) {
    cg[c] = (long long)p->coordinate_group[c];
  }
  cet_dataset_meta ms = {.units = "1",
                         .description = "the exact estimator sums (for cetwin merge), native "
                                        "byte order",
                         .dims = "word"};
  cet_dataset_meta mcg = {.units = "1",
                          .description = "the group (in groups) of each unit-cube coordinate of "
                                         "the design (the factors other than the prices)",
                          .dims = "coordinate"};
  CET_CALL_GOTO(status, done, cet_result_write_ints(res, "/sensitivity/sobol/sums", 1, dw, w, &ms));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(res, "/sensitivity/sobol/coordinate_group", 1, dk, cg, &mcg));
done:
  free(bytes);
  free(w);
  free(cg);
  return status;
}

static int write_sobol(const cet_drv_sa_sobol_plan *p, const sobol_table *t,
                       cet_sobol_sums *const *bucket, uint64_t base_rows, cet_result *res) {
  const size_t g = p->g, nm = p->nm;
  const char *const *metrics = p->metrics;
  const char *names[] = {"first", "first_conf", "total", "total_conf"};
  const char *what[] = {"first-order indices S1 (Saltelli et al. 2010)",
                        "half-widths of the bootstrap intervals on S1",
                        "total indices ST (Jansen 1999)",
                        "half-widths of the bootstrap intervals on ST"};
  const double *data[] = {t->first, t->first_conf, t->total, t->total_conf};
  size_t dg[2] = {g, nm}, d2[3] = {g, g, nm}, dl[1] = {t->levels}, dc[3] = {t->levels, g, nm};
  size_t dm[1] = {nm};
  char path[TEXT_LEN];
  cet_dataset_meta mgr = {.description = "the groups of the factors moved", .dims = "group"};
  CET_CALL(cet_result_write_strings(res, "/sensitivity/sobol/groups", g, p->groups, &mgr));
  for (size_t k = 0; k < sizeof data / sizeof data[0]; k++) {
    cet_dataset_meta m = {.units = "1",
                          .description = what[k],
                          .columns = metrics,
                          .n_columns = nm,
                          .dims = "group,metric"};
    snprintf(path, sizeof path, "/sensitivity/sobol/%s", names[k]);
    CET_CALL(cet_result_write_doubles(res, path, 2, dg, data[k], &m));
  }
  if (p->second_order) {
    cet_dataset_meta m2 = {.units = "1",
                           .description = "second-order indices S_ij, i < j (Saltelli 2002); "
                                          "NaN elsewhere",
                           .columns = metrics,
                           .n_columns = nm,
                           .dims = "group,group,metric"};
    CET_CALL(cet_result_write_doubles(res, "/sensitivity/sobol/second", 3, d2, t->second, &m2));
    m2.description = "half-widths of the bootstrap intervals on S_ij";
    CET_CALL(cet_result_write_doubles(res, "/sensitivity/sobol/second_conf", 3, d2, t->second_conf,
                                      &m2));
  }
  cet_dataset_meta mn = {.units = "1",
                         .description = "base rows of each line of the convergence table",
                         .dims = "level"};
  cet_dataset_meta mc = {.units = "1",
                         .description = "point estimates from the first N base rows",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "level,group,metric"};
  cet_dataset_meta mmean = {.unit_list = p->units,
                            .n_units = nm,
                            .description = "mean of each metric over the A and B rows",
                            .columns = metrics,
                            .n_columns = nm,
                            .dims = "metric"};
  CET_CALL(
      cet_result_write_doubles(res, "/sensitivity/sobol/convergence/n", 1, dl, t->n_level, &mn));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/sobol/convergence/first", 3, dc,
                                    t->conv_first, &mc));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/sobol/convergence/total", 3, dc,
                                    t->conv_total, &mc));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/sobol/mean", 1, dm, t->mean, &mmean));
  mmean.description = "variance of each metric over the A and B rows (the denominator)";
  CET_CALL(write_variance(p, t, &mmean, res));
  size_t size = 0;
  CET_CALL(write_sums(p, bucket, &size, res));
  const char *gr = "/sensitivity/sobol";
  CET_CALL(cet_result_attr_int(res, "/sensitivity/sobol/sums", "bytes", (long long)size));
  CET_CALL(cet_result_attr_int(res, gr, "n", (long long)p->n));
  CET_CALL(cet_result_attr_int(res, gr, "base_rows", (long long)base_rows));
  CET_CALL(cet_result_attr_int(res, gr, "points_per_base_row", (long long)p->rows));
  CET_CALL(cet_result_attr_int(res, gr, "block", (long long)p->block));
  CET_CALL(cet_result_attr_int(res, gr, "second_order", p->second_order));
  CET_CALL(cet_result_attr_int(res, gr, "replicates", (long long)p->replicates));
  CET_CALL(cet_result_attr_int(res, gr, "bootstrap_metrics", (long long)p->bootstrap_metrics));
  CET_CALL(cet_result_attr_double(res, gr, "level", p->level));
  CET_CALL(cet_result_attr_int(res, gr, "seed", (long long)p->seed));
  if (p->evaluation) {
    CET_CALL(cet_result_attr_string(res, gr, "evaluation", p->evaluation));
  }
  return CET_OK;
}

int cet_drv_sa_sobol_report(const cet_drv_sa_sobol_plan *p, cet_sobol_sums *const *bucket,
                            uint64_t base_rows, FILE *out, cet_result *res) {
  sobol_table t = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, estimates(p, bucket, &t));
  if (out) {
    print_sobol(p, &t, base_rows, out);
  }
  if (res) {
    CET_CALL_GOTO(status, done, write_sobol(p, &t, bucket, base_rows, res));
  }
done:
  table_free(&t);
  return status;
}

/* ---- the stored points ---- */

const char *const CET_DRV_SA_SOBOL_POINTS[CET_DRV_SA_SOBOL_POINT_DATASETS] = {
    "/sensitivity/sobol/points/base_row", "/sensitivity/sobol/points/metrics",
    "/sensitivity/sobol/points/factors"};

void cet_drv_sa_sobol_points_meta(const char *const *metrics, const char *const *units, size_t nm,
                                  cet_dataset_meta meta[CET_DRV_SA_SOBOL_POINT_DATASETS]) {
  meta[0] = (cet_dataset_meta){
      .units = "1",
      .description = "the base row j (its unit-cube points A_j and B_j; the prices take the "
                     "Monte Carlo draws 2j in A and 2j + 1 in B)",
      .dims = "base_row"};
  meta[1] = (cet_dataset_meta){
      .unit_list = units,
      .n_units = units ? nm : 0,
      .description = "the metrics at each model point of the base row (rows as in row_kind)",
      .columns = metrics,
      .n_columns = nm,
      .dims = "base_row,row,metric"};
  meta[2] = (cet_dataset_meta){
      .units = "1",
      .description = "the setting of each factor (factor_names) at each model point: the "
                     "parameter's value (value, distribution), in its units, or the relative "
                     "change (scale); NaN for the prices, whose paths are Monte Carlo draws",
      .dims = "base_row,row,factor"};
}
