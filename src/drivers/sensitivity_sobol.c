/*
 * sensitivity_sobol.c — Sobol' indices by the Saltelli design
 * (sobol_indices.h). A base row j is a point of the engine's plan (a shard
 * runs base rows first .. first + count - 1), evaluated at its g + 2 (or
 * 2g + 2) model points: the factors with a unit coordinate take the
 * quantiles of the scrambled Sobol' point, the correlated price paths (a
 * factor without coordinates) the Monte Carlo's draws 2j (A_j) and 2j + 1
 * (B_j), drawn for a batch of 32 base rows at once. Blocks of sobol.block
 * base rows go into exact, mergeable sums on the rank that computed them
 * (the bootstrap replicates keyed by block), kept in buckets of blocks [0,
 * 1), [1, 2), [2, 4), [4, 8), ... so that the estimates from the first
 * 2^m blocks — the convergence table — come from the same sums; the ranks'
 * sums merge exactly, so the indices are the same bits on any layout and
 * shards merge into one run (`cetwin merge`). Rank 0 prints the first-order
 * and total indices with their intervals and writes /sensitivity/sobol.
 */
#include "sensitivity_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/sobol_indices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Base rows per evaluation: their two draws each fill one batch of the
 * Monte Carlo sampler. */
enum { SOBOL_BATCH = CET_SAMPLER_BATCH / 2, TEXT_LEN = 64 };

typedef struct {
  sa_run *r;
  const cet_factor_set *set; /* the factors moved */
  size_t g;                  /* their groups */
  size_t *group_of;          /* [set->n] the group of each */
  const char **groups;       /* [g] the groups' names */
  long prices_group;         /* the group of the prices, or -1 */
  cet_sobol_design *design;
  size_t kc;        /* factors with a unit coordinate */
  size_t *coord_of; /* [set->n] coordinate of each factor, SIZE_MAX for the prices */
  size_t rows;      /* model points per base row */
  size_t per_draw;  /* doubles of one draw's price paths */
  size_t buckets;   /* buckets of blocks */
  uint64_t block;   /* base rows per block */
} sobol_model;

/* A thread's scratch: the points' scratch, the coordinates and natives of
 * A_j and B_j, the drawn paths of a batch. */
typedef struct {
  sa_ws *ws;
  double *a, *b;   /* [kc] */
  double *na, *nb; /* [k] */
  double *drawn;   /* [2 SOBOL_BATCH x per_draw] */
  double *unused;  /* the sampler's parameter values (none) */
} sobol_ws;

static void sobol_ws_destroy(void **wsp) {
  sobol_ws *w = *wsp;
  if (!w) {
    return;
  }
  sa_ws_destroy((void **)&w->ws);
  free(w->a);
  free(w->b);
  free(w->na);
  free(w->nb);
  free(w->drawn);
  free(w->unused);
  free(w);
  *wsp = NULL;
}

static int sobol_ws_create(void *model, void **out) {
  const sobol_model *sm = model;
  *out = NULL;
  sobol_ws *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  int status = sa_ws_create(sm->r, (void **)&w->ws);
  w->a = malloc((sm->kc + 1) * sizeof *w->a);
  w->b = malloc((sm->kc + 1) * sizeof *w->b);
  w->na = malloc((sm->set->n + 1) * sizeof *w->na);
  w->nb = malloc((sm->set->n + 1) * sizeof *w->nb);
  w->drawn = malloc((2 * SOBOL_BATCH * sm->per_draw + 1) * sizeof *w->drawn);
  w->unused = malloc(2 * SOBOL_BATCH * sizeof *w->unused);
  if (status == CET_OK && !(w->a && w->b && w->na && w->nb && w->drawn && w->unused)) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
    status = CET_ERR_MEMORY;
  }
  if (status != CET_OK) {
    sobol_ws_destroy((void **)&w);
    CET_CALL(status);
  }
  *out = w;
  return CET_OK;
}

/* The natives of the set's factors in A_j (into na) and B_j (nb); the
 * prices stay NaN. */
static int base_natives(const sobol_model *sm, sobol_ws *w, uint64_t j) {
  const sa_run *r = sm->r;
  CET_CALL(cet_sobol_design_base(sm->design, j, w->a, w->b));
  for (size_t a = 0; a < sm->set->n; a++) {
    const cet_factor *f = &r->s->factors[sm->set->index[a]];
    size_t c = sm->coord_of[a];
    w->na[a] = c == SIZE_MAX ? NAN : sa_native_at_unit(r->s, f, w->a[c], 0);
    w->nb[a] = c == SIZE_MAX ? NAN : sa_native_at_unit(r->s, f, w->b[c], 0);
  }
  return CET_OK;
}

static int sobol_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                          double *const *extras, uint64_t *failed) {
  (void)extras;
  const sobol_model *sm = model;
  const sa_run *r = sm->r;
  sobol_ws *w = wsp;
  *failed = first;
  if (r->sampler) {
    CET_CALL(
        cet_sampler_draw(r->sampler, w->ws->sampler, 2 * first, 2 * count, w->unused, w->drawn));
  }
  memcpy(w->ws->x, r->base, r->k * sizeof *w->ws->x);
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    CET_CALL(base_natives(sm, w, first + d));
    for (size_t row = 0; row < sm->rows; row++) {
      for (size_t a = 0; a < sm->set->n; a++) {
        int b = cet_sobol_design_takes_b(sm->design, row, sm->group_of[a]);
        w->ws->x[sm->set->index[a]] = b ? w->nb[a] : w->na[a];
      }
      const double *drawn = NULL;
      if (sm->prices_group >= 0) {
        int b = cet_sobol_design_takes_b(sm->design, row, (size_t)sm->prices_group);
        drawn = w->drawn + (2 * d + (size_t)b) * sm->per_draw;
      }
      CET_CALL(sa_evaluate(r, w->ws, w->ws->x, drawn, values + (d * sm->rows + row) * r->nm));
    }
  }
  return CET_OK;
}

/* ---- the accumulator: sums per bucket of blocks ---- */

typedef struct {
  const sobol_model *sm;
  cet_sobol_sums **bucket; /* [buckets] */
  cet_sobol_block *blk;
  unsigned char *packed; /* the bytes of the last pack */
  size_t packed_size;
} sobol_acc;

/* Bucket of block b: [0, 1) is 0, [2^(m-1), 2^m) is m. */
static size_t bucket_of(uint64_t b) {
  size_t m = 0;
  while (b > 0) {
    b >>= 1;
    m++;
  }
  return m;
}

static void acc_destroy(void **accp) {
  sobol_acc *a = *accp;
  if (!a) {
    return;
  }
  for (size_t m = 0; a->bucket && m < a->sm->buckets; m++) {
    cet_sobol_sums_destroy(&a->bucket[m]);
  }
  free(a->bucket);
  cet_sobol_block_destroy(&a->blk);
  free(a->packed);
  free(a);
  *accp = NULL;
}

static int acc_create(void *model, void **out) {
  const sobol_model *sm = model;
  *out = NULL;
  sobol_acc *a = calloc(1, sizeof *a);
  CET_CHECK_ALLOC(a);
  a->sm = sm;
  a->bucket = calloc(sm->buckets, sizeof *a->bucket);
  int status = a->bucket ? CET_OK : CET_ERR_MEMORY;
  for (size_t m = 0; status == CET_OK && m < sm->buckets; m++) {
    status = cet_sobol_sums_create(&a->bucket[m], sm->design, sm->r->nm);
  }
  if (status == CET_OK) {
    status = cet_sobol_block_create(&a->blk, sm->design, sm->r->nm);
  }
  if (status != CET_OK) {
    acc_destroy((void **)&a);
    CET_CHECK(status != CET_ERR_MEMORY || cet_error_code() != CET_OK, status, "out of memory");
    CET_CALL(status);
  }
  *out = a;
  return CET_OK;
}

static int acc_add_block(void *model, void *accp, uint64_t b, uint64_t first, size_t count,
                         const double *values) {
  (void)b;
  (void)count;
  const sobol_model *sm = model;
  sobol_acc *a = accp;
  uint64_t block = first / sm->block;
  int status = cet_sobol_sums_add_block(a->bucket[bucket_of(block)], a->blk, block, values);
  if (status == CET_ERR_INPUT) {
    char why[TEXT_LEN * 8];
    snprintf(why, sizeof why, "%s", cet_error_message());
    cet_error_clear();
    CET_CHECK(0, status,
              "%s; Sobol' indices need a finite value of every metric at every point: leave "
              "metrics that can be undefined (irr, payback) out of sensitivity.metrics",
              why);
  }
  return status;
}

/* The buckets' bytes one after the other, each after its size. */
static int acc_pack(void *accp, const void **bytes, size_t *size) {
  sobol_acc *a = accp;
  size_t total = 0;
  for (size_t m = 0; m < a->sm->buckets; m++) {
    const void *b = NULL;
    size_t n = 0;
    CET_CALL(cet_sobol_sums_pack(a->bucket[m], &b, &n));
    total += sizeof(uint64_t) + n;
  }
  unsigned char *buf = realloc(a->packed, total + 1);
  CET_CHECK_ALLOC(buf);
  a->packed = buf;
  size_t at = 0;
  for (size_t m = 0; m < a->sm->buckets; m++) {
    const void *b = NULL;
    size_t n = 0;
    CET_CALL(cet_sobol_sums_pack(a->bucket[m], &b, &n));
    uint64_t n64 = n;
    memcpy(buf + at, &n64, sizeof n64);
    memcpy(buf + at + sizeof n64, b, n);
    at += sizeof n64 + n;
  }
  a->packed_size = total;
  *bytes = buf;
  *size = total;
  return CET_OK;
}

static int acc_merge_bytes(void *model, void *accp, const void *bytes, size_t size) {
  const sobol_model *sm = model;
  sobol_acc *a = accp;
  const unsigned char *p = bytes;
  size_t at = 0;
  for (size_t m = 0; m < sm->buckets; m++) {
    uint64_t n = 0;
    CET_CHECK(size - at >= sizeof n, CET_ERR_INPUT, "Sobol' sums: %zu bytes end in bucket %zu",
              size, m);
    memcpy(&n, p + at, sizeof n);
    at += sizeof n;
    CET_CHECK(n <= size - at, CET_ERR_INPUT, "Sobol' sums: bucket %zu of %llu bytes beyond %zu", m,
              (unsigned long long)n, size);
    CET_CALL(cet_sobol_sums_merge_bytes(a->bucket[m], p + at, (size_t)n));
    at += (size_t)n;
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
  CET_CHECK(t->first && t->first_conf && t->total && t->total_conf && t->second && t->second_conf &&
                t->mean && t->variance && t->n_level && t->conv_first && t->conv_total,
            CET_ERR_MEMORY, "out of memory");
  return CET_OK;
}

/* Metric m's indices of sums s into the table at (offsets into) the
 * arrays, conf and second order when asked. */
static int indices_of(const sobol_model *sm, const cet_sobol_sums *s, size_t m, double *first,
                      double *first_conf, double *total, double *total_conf, double *second,
                      double *second_conf) {
  return cet_sobol_sums_indices(s, m, sm->r->s->sobol.level, first, first_conf, total, total_conf,
                                second, second_conf);
}

/* Scatters a metric's column v[g] into t[g x nm] at m. */
static void scatter(const double *v, size_t g, size_t nm, size_t m, double *t) {
  for (size_t i = 0; i < g; i++) {
    t[i * nm + m] = v[i];
  }
}

static int estimates(const sobol_model *sm, sobol_acc *a, sobol_table *t) {
  const sa_run *r = sm->r;
  const size_t g = sm->g, nm = r->nm;
  const int second = r->s->sobol.second_order;
  size_t levels = 0;
  for (size_t m = 0; m < sm->buckets; m++) {
    levels += cet_sobol_sums_blocks(a->bucket[m]) > 0;
  }
  CET_CALL(table_alloc(t, g, nm, sm->buckets, second));
  double *col = malloc((6 * g + 2 * g * g + 1) * sizeof *col);
  cet_sobol_sums *total = NULL;
  int status = col ? cet_sobol_sums_create(&total, sm->design, nm) : CET_ERR_MEMORY;
  t->levels = 0;
  for (size_t b = 0; status == CET_OK && b < sm->buckets; b++) {
    if (cet_sobol_sums_blocks(a->bucket[b]) == 0) {
      continue;
    }
    status = cet_sobol_sums_merge(total, a->bucket[b]);
    size_t l = t->levels++;
    t->n_level[l] = (double)cet_sobol_sums_base_rows(total);
    for (size_t m = 0; status == CET_OK && m < nm; m++) {
      status = indices_of(sm, total, m, col, NULL, col + g, NULL, NULL, NULL);
      scatter(col, g, nm, m, t->conv_first + l * g * nm);
      scatter(col + g, g, nm, m, t->conv_total + l * g * nm);
    }
  }
  (void)levels;
  for (size_t m = 0; status == CET_OK && m < nm; m++) {
    double *s2 = col + 4 * g, *s2c = s2 + g * g;
    status = indices_of(sm, total, m, col, col + g, col + 2 * g, col + 3 * g, second ? s2 : NULL,
                        second ? s2c : NULL);
    scatter(col, g, nm, m, t->first);
    scatter(col + g, g, nm, m, t->first_conf);
    scatter(col + 2 * g, g, nm, m, t->total);
    scatter(col + 3 * g, g, nm, m, t->total_conf);
    if (second) {
      scatter(s2, g * g, nm, m, t->second);
      scatter(s2c, g * g, nm, m, t->second_conf);
    }
    if (status == CET_OK) {
      status = cet_sobol_sums_moments(total, m, &t->mean[m], &t->variance[m]);
    }
  }
  cet_sobol_sums_destroy(&total);
  free(col);
  CET_CHECK(status != CET_ERR_MEMORY || cet_error_code() != CET_OK, status, "out of memory");
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

static void print_sobol(const sobol_model *sm, const sobol_table *t, uint64_t base_rows,
                        FILE *out) {
  const sa_run *r = sm->r;
  const cet_sobol_spec *so = &r->s->sobol;
  const size_t g = sm->g, nm = r->nm;
  char mean[TEXT_LEN], sd[TEXT_LEN];
  fprintf(out, "\nSobol' indices: N = %llu base rows x %zu points = %llu evaluations",
          (unsigned long long)base_rows, sm->rows, (unsigned long long)(base_rows * sm->rows));
  if (so->replicates > 1) {
    fprintf(out, "; %g %% intervals from %zu bootstrap replicates", 100 * so->level,
            so->replicates);
  }
  fprintf(out, "\n");
  int wide = 0;
  for (size_t m = 0; m < nm; m++) {
    const char *units = cet_twin_metric_units(r->twin, r->s->metric_index[m]);
    cet_format_quantity(t->mean[m], units, mean, sizeof mean);
    cet_format_quantity(sqrt(t->variance[m]), units, sd, sizeof sd);
    fprintf(out, "  %s (mean %s, sd %s):\n", r->s->metrics.name[m], mean, sd);
    fprintf(out, "    %-26s %18s %18s\n", "group", "first order S1", "total ST");
    double sum1 = 0.0, sumt = 0.0;
    for (size_t i = 0; i < g; i++) {
      fprintf(out, "    %-26s", sm->groups[i]);
      print_index(t->first[i * nm + m], t->first_conf[i * nm + m], out, &wide);
      print_index(t->total[i * nm + m], t->total_conf[i * nm + m], out, &wide);
      fprintf(out, "\n");
      sum1 += t->first[i * nm + m];
      sumt += t->total[i * nm + m];
    }
    fprintf(out, "    %-26s %8.4f %9s %8.4f\n", "sum", sum1, "", sumt);
  }
  if (wide) {
    fprintf(out, "  !: the interval is wider than the index (a larger sobol.n narrows it)\n");
  }
  if (t->levels > 1) {
    fprintf(out, "  convergence of %s (point estimates S1 / ST from the first N base rows):\n",
            r->s->metrics.name[0]);
    fprintf(out, "    %10s", "N");
    for (size_t i = 0; i < g; i++) {
      fprintf(out, " %17.17s", sm->groups[i]);
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

static int write_sobol(const sobol_model *sm, const sobol_table *t, sobol_acc *a,
                       uint64_t base_rows, cet_result *res) {
  const sa_run *r = sm->r;
  const cet_sobol_spec *so = &r->s->sobol;
  const size_t g = sm->g, nm = r->nm;
  const char *const *metrics = (const char *const *)r->s->metrics.name;
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
  CET_CALL(cet_result_write_strings(res, "/sensitivity/sobol/groups", g, sm->groups, &mgr));
  for (int k = 0; k < 4; k++) {
    cet_dataset_meta m = {.units = "1",
                          .description = what[k],
                          .columns = metrics,
                          .n_columns = nm,
                          .dims = "group,metric"};
    snprintf(path, sizeof path, "/sensitivity/sobol/%s", names[k]);
    CET_CALL(cet_result_write_doubles(res, path, 2, dg, data[k], &m));
  }
  if (so->second_order) {
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
  cet_dataset_meta mmean = {.description = "mean of each metric over the A and B rows",
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
  CET_CALL(
      cet_result_write_doubles(res, "/sensitivity/sobol/variance", 1, dm, t->variance, &mmean));
  const void *bytes = NULL;
  size_t size = 0;
  CET_CALL(acc_pack(a, &bytes, &size));
  size_t words = (size + 7) / 8, dw[1] = {words};
  long long *w = calloc(words + 1, sizeof *w);
  CET_CHECK_ALLOC(w);
  memcpy(w, bytes, size);
  cet_dataset_meta ms = {.description = "the exact estimator sums (for cetwin merge), native "
                                        "byte order",
                         .dims = "word"};
  int status = cet_result_write_ints(res, "/sensitivity/sobol/sums", 1, dw, w, &ms);
  free(w);
  CET_CALL(status);
  const char *gr = "/sensitivity/sobol";
  CET_CALL(cet_result_attr_int(res, "/sensitivity/sobol/sums", "bytes", (long long)size));
  CET_CALL(cet_result_attr_int(res, gr, "n", (long long)so->n));
  CET_CALL(cet_result_attr_int(res, gr, "base_rows", (long long)base_rows));
  CET_CALL(cet_result_attr_int(res, gr, "points_per_base_row", (long long)sm->rows));
  CET_CALL(cet_result_attr_int(res, gr, "block", (long long)so->block));
  CET_CALL(cet_result_attr_int(res, gr, "second_order", so->second_order));
  CET_CALL(cet_result_attr_int(res, gr, "replicates", (long long)so->replicates));
  CET_CALL(cet_result_attr_int(res, gr, "bootstrap_metrics", (long long)so->bootstrap_metrics));
  CET_CALL(cet_result_attr_double(res, gr, "level", so->level));
  return CET_OK;
}

/* ---- the plan ---- */

static int model_setup(sa_run *r, sobol_model *sm) {
  const cet_sensitivity_spec *s = r->s;
  const size_t k = sm->set->n;
  sm->r = r;
  sm->block = s->sobol.block;
  sm->prices_group = -1;
  sm->coord_of = malloc((k + 1) * sizeof *sm->coord_of);
  sm->group_of = malloc((k + 1) * sizeof *sm->group_of);
  sm->groups = malloc((k + 1) * sizeof *sm->groups);
  size_t *coord_group = malloc((k + 1) * sizeof *coord_group);
  int status = sm->coord_of && sm->group_of && sm->groups && coord_group ? CET_OK : CET_ERR_MEMORY;
  CET_CHECK_GOTO(status, done, status == CET_OK, CET_ERR_MEMORY, "out of memory");
  CET_CALL_GOTO(status, done, sa_set_groups(r, sm->set, sm->group_of, sm->groups, &sm->g));
  for (size_t a = 0; a < k; a++) {
    int coordinate = s->factors[sm->set->index[a]].kind != CET_FACTOR_PRICES;
    sm->coord_of[a] = coordinate ? sm->kc : SIZE_MAX;
    if (coordinate) {
      coord_group[sm->kc++] = sm->group_of[a];
    } else {
      sm->prices_group = (long)sm->group_of[a];
    }
  }
  cet_sobol_parameters p = cet_sobol_default_parameters();
  p.factors = sm->kc;
  p.groups = sm->g;
  p.group_of = coord_group;
  p.second_order = s->sobol.second_order;
  p.seed = r->c->seed;
  p.base_rows = s->sobol.n;
  p.block = s->sobol.block;
  p.replicates = s->sobol.replicates;
  p.bootstrap_outputs = s->sobol.bootstrap_metrics;
  CET_CALL_GOTO(status, done, cet_sobol_design_create(&sm->design, &p));
  sm->rows = cet_sobol_design_rows(sm->design);
  sm->per_draw = sm->prices_group >= 0
                     ? cet_sampler_series_count(r->sampler) * cet_sampler_years(r->sampler)
                     : 0;
  sm->buckets = bucket_of((s->sobol.n + sm->block - 1) / sm->block - 1) + 1;
done:
  free(coord_group);
  return status;
}

static void model_free(sobol_model *sm) {
  cet_sobol_design_destroy(&sm->design);
  free(sm->coord_of);
  free(sm->group_of);
  free(sm->groups);
}

int sa_sobol(sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  sobol_model sm = {.set = &s->sobol.factors};
  int status = model_setup(r, &sm);
  uint64_t first = s->count > 0 ? s->first : 0, count = s->count > 0 ? s->count : s->sobol.n;
  cet_engine_run *run = NULL;
  if (status == CET_OK) {
    cet_engine_problem p = {.model = &sm,
                            .n_values = sm.rows * r->nm,
                            .batch = SOBOL_BATCH,
                            .workspace_create = sobol_ws_create,
                            .workspace_destroy = sobol_ws_destroy,
                            .evaluate = sobol_evaluate,
                            .acc_create = acc_create,
                            .acc_destroy = acc_destroy,
                            .acc_add_block = acc_add_block,
                            .acc_pack = acc_pack,
                            .acc_merge_bytes = acc_merge_bytes};
    cet_engine_settings es = sa_settings(r, first, count, "sobol", 1);
    es.statistics = 0;
    status = cet_engine_execute(&p, &es, r->ctx->comm, r->threads, &run);
  }
  if (status == CET_OK && r->ctx->rank == 0) {
    sobol_table t = {0};
    sobol_acc *a = cet_engine_accumulator(run);
    status = estimates(&sm, a, &t);
    if (status == CET_OK && r->ctx->summary) {
      print_sobol(&sm, &t, count, r->ctx->summary);
    }
    if (status == CET_OK && r->ctx->result) {
      status = write_sobol(&sm, &t, a, count, r->ctx->result);
    }
    table_free(&t);
  }
  cet_engine_run_destroy(&run);
  model_free(&sm);
  return cet_collective_status(status, r->ctx->comm);
}
