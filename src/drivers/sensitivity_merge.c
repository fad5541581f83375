/*
 * sensitivity_merge.c — `cetwin merge` of sensitivity shards (drivers.h):
 * the shards of one parameter study (the points first .. first + count - 1
 * of each, set with sensitivity.shard) or of one Sobol' run (its base
 * rows) combine into one result. A study's points are concatenated in
 * point order; a Sobol' run's exact sums are added and the indices, their
 * intervals and the convergence table recomputed from them, so the result
 * equals one run over all the points bit for bit. Every shard is checked
 * before anything is written: the same case, seed and overrides (but the
 * shard's own), one method, its attributes within their ranges, its
 * datasets of the shapes its names and range give, no two shards sharing
 * a point, the same share flags of the metrics; an inconsistent shard is
 * an input error naming the file.
 * `cetwin info` reprints a Sobol' run's tables from its sums the same way.
 */
#include "cetwin/drivers.h"

#include "sensitivity_impl.h"
#include "shards.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_LEN = 256 };

/* Overrides that may differ between the shards of one run. */
static const char *const SHARD_KEYS[] = {"sensitivity.shard", "sensitivity.checkpoint",
                                         "sensitivity.store_points", NULL};
static const char *const SHARD_NOTE =
    "only sensitivity.shard, sensitivity.checkpoint and sensitivity.store_points may differ";

/* Groups of /sensitivity that belong to a method no shard may hold. */
static const char *const UNSHARDED[] = {"/sensitivity/oat", "/sensitivity/break_even",
                                        "/sensitivity/morris"};

/* Lists of strings every shard holds the same. */
static const char *const SAME_LISTS[] = {"/sensitivity/metrics", "/sensitivity/metric_units",
                                         "/sensitivity/groups", "/sensitivity/factors/name"};

typedef struct {
  cet_drv_shard file; /* the file and its points (a whole run: all of them) */
  long long seed;
  long long total; /* points of the whole run (sweep points, sobol.n) */
} sa_shard;

/* Which method the shards hold. */
typedef enum { SHARD_SWEEP, SHARD_SOBOL } shard_method;

static const char *const METHOD_GROUP[] = {"/sensitivity/sweep", "/sensitivity/sobol"};

static int fail(const sa_shard *s, int status) { return cet_drv_shard_fail(s->file.path, status); }

/* CET_OK when attribute name of object, value, lies in lo..hi. */
static int within(const sa_shard *s, const char *object, const char *name, long long value,
                  long long lo, long long hi) {
  CET_CHECK(value >= lo && value <= hi, CET_ERR_INPUT,
            "%s: %s attribute %s: expected %lld..%lld, found %lld", s->file.path, object, name, lo,
            hi, value);
  return CET_OK;
}

/* The attributes read_range checks: the seed, the range and the points of
 * the run. */
static int read_range_attrs(sa_shard *s, shard_method method) {
  cet_result_reader *in = s->file.in;
  CET_CALL(cet_result_read_attr_int(in, "/", "seed", &s->seed));
  CET_CALL(cet_result_read_attr_int(in, "/sensitivity", "shard_first", &s->file.first));
  CET_CALL(cet_result_read_attr_int(in, "/sensitivity", "shard_count", &s->file.count));
  CET_CALL(cet_result_read_attr_int(in, METHOD_GROUP[method],
                                    method == SHARD_SWEEP ? "points" : "n", &s->total));
  return CET_OK;
}

/* The seed of s and its range of points of method's run (a whole run: all
 * of them). */
static int read_range(sa_shard *s, shard_method method) {
  const int sweep = method == SHARD_SWEEP;
  const char *g = METHOD_GROUP[method];
  int status = read_range_attrs(s, method);
  CET_CHECK(status == CET_OK, CET_ERR_INPUT, "'%s' is not a complete sensitivity result",
            s->file.path);
  CET_CALL(within(s, g, sweep ? "points" : "n", s->total, 1, LLONG_MAX));
  CET_CALL(within(s, "/sensitivity", "shard_first", s->file.first, 0, s->total - 1));
  CET_CALL(within(s, "/sensitivity", "shard_count", s->file.count, 0, s->total - s->file.first));
  if (s->file.count == 0) { /* a whole run */
    CET_CALL(within(s, "/sensitivity", "shard_first", s->file.first, 0, 0));
    s->file.count = s->total;
  }
  return CET_OK;
}

/* The method of s and its range of points. */
static int read_shard(sa_shard *s, shard_method *method) {
  cet_result_reader *in = s->file.in;
  for (size_t k = 0; k < sizeof UNSHARDED / sizeof UNSHARDED[0]; k++) {
    CET_CHECK(!cet_result_has(in, UNSHARDED[k]), CET_ERR_INPUT,
              "%s holds %s: only a parameter study (sweep) or a Sobol' run alone splits into "
              "shards",
              s->file.path, UNSHARDED[k]);
  }
  int sweep = cet_result_has(in, METHOD_GROUP[SHARD_SWEEP]);
  int sobol = cet_result_has(in, METHOD_GROUP[SHARD_SOBOL]);
  CET_CHECK(sweep + sobol == 1, CET_ERR_INPUT,
            "%s: expected the results of one parameter study (/sensitivity/sweep) or one Sobol' "
            "run (/sensitivity/sobol), found %s",
            s->file.path, sweep ? "both" : "neither");
  *method = sweep ? SHARD_SWEEP : SHARD_SOBOL;
  return read_range(s, *method);
}

static int compare(const sa_shard *a, const sa_shard *b) {
  CET_CHECK(a->seed == b->seed, CET_ERR_INPUT,
            "'%s' (seed %lld) and '%s' (seed %lld): shards of one run share the seed", a->file.path,
            a->seed, b->file.path, b->seed);
  CET_CALL(cet_drv_shards_same_strings(&a->file, &b->file, "/input/texts", NULL, NULL));
  CET_CALL(
      cet_drv_shards_same_strings(&a->file, &b->file, "/input/overrides", SHARD_KEYS, SHARD_NOTE));
  for (size_t k = 0; k < sizeof SAME_LISTS / sizeof SAME_LISTS[0]; k++) {
    CET_CALL(cet_drv_shards_same_strings(&a->file, &b->file, SAME_LISTS[k], NULL, NULL));
  }
  CET_CHECK(a->total == b->total, CET_ERR_INPUT,
            "'%s' and '%s' are not shards of one run: %lld points in the first, %lld in the "
            "second",
            a->file.path, b->file.path, a->total, b->total);
  return CET_OK;
}

/* ---- the names every shard holds alike ---- */

typedef struct {
  char **metrics, **units, **groups, **paths;
  size_t nm, n_units, g, n_dims;
  long long *share; /* [nm] 1: a share (the first shard's CET_DRV_SA_SHARE) */
  int has_share;    /* 1: the first shard records CET_DRV_SA_SHARE */
  long long *coordinate_group;
  size_t *coord;
  size_t kc;
  char *evaluation; /* the attribute evaluation of /sensitivity/sobol, or NULL: none */
} names;

static void names_free(names *v) {
  cet_free_strings(v->metrics, v->nm);
  cet_free_strings(v->units, v->n_units);
  cet_free_strings(v->groups, v->g);
  cet_free_strings(v->paths, v->n_dims);
  free(v->share);
  free(v->coordinate_group);
  free(v->coord);
  free(v->evaluation);
}

static const char *const PER_METRIC = "one per name in /sensitivity/metrics";

static int read_names(const sa_shard *s, names *v) {
  cet_result_reader *in = s->file.in;
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metrics", &v->nm, &v->metrics));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metric_units", &v->n_units, &v->units));
  CET_CALL(cet_drv_check_shape("/sensitivity/metric_units", 1, &v->n_units, 1, &v->nm, PER_METRIC));
  CET_CHECK(v->nm > 0, CET_ERR_INPUT, "/sensitivity/metrics: expected a metric, found none");
  v->has_share = cet_result_has(in, CET_DRV_SA_SHARE) != 0;
  CET_CALL(cet_drv_read_shares(in, CET_DRV_SA_SHARE, v->nm, NULL, PER_METRIC, &v->share));
  return CET_OK;
}

/* ---- parameter studies ---- */

/* The rows of the shards, concatenated in point order: each point's index
 * and its rows of two tables of doubles. */
typedef struct {
  long long *index;
  double *table[2];
  uint64_t rows;
} shard_rows;

/* A table of a shard's points: its path, rank (2 or 3), the sizes of its
 * dimensions after the first (the point) and what they are. */
typedef struct {
  const char *path;
  size_t rank, dims[2];
  const char *why;
} row_table;

/* Appends rows x cols items of size to the array at buf (a T **) holding at
 * rows. */
static int append(void *buf, uint64_t at, uint64_t rows, size_t cols, size_t size, const void *v) {
  CET_CALL(cet_array_grow(buf, NULL, (size_t)((at + rows) * cols), size));
  char *grown;
  memcpy(&grown, buf, sizeof grown);
  memcpy(grown + at * cols * size, v, (size_t)(rows * cols) * size);
  return CET_OK;
}

/* Reads shard s's index of its points (index_path: first .. first + count
 * - 1 in order; unit names them) and its two tables t, checks their shapes
 * and appends them to all. */
static int read_rows(const sa_shard *s, const char *index_path, const char *unit,
                     const row_table t[2], shard_rows *all) {
  cet_result_reader *in = s->file.in;
  size_t rank = 0, dims[3] = {0}, rows = (size_t)s->file.count;
  long long *index = NULL;
  double *data[2] = {NULL, NULL};
  char why[TEXT_LEN];
  snprintf(why, sizeof why, "one per %s %lld..%lld of the shard", unit, s->file.first,
           s->file.first + s->file.count - 1);
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_result_read_ints(in, index_path, &rank, dims, &index));
  CET_CALL_GOTO(status, done, cet_drv_check_shape(index_path, rank, dims, 1, &rows, why));
  for (size_t i = 0; i < rows; i++) {
    CET_CHECK_GOTO(status, done, index[i] == s->file.first + (long long)i, CET_ERR_INPUT,
                   "%s: expected %s %lld at row %zu (shard_first + row), found %lld", index_path,
                   unit, s->file.first + (long long)i, i, index[i]);
  }
  size_t width[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    size_t want[3] = {rows, t[k].dims[0], t[k].dims[1]};
    width[k] = t[k].dims[0] * (t[k].rank == 3 ? t[k].dims[1] : 1);
    CET_CALL_GOTO(status, done, cet_result_read_doubles(in, t[k].path, &rank, dims, &data[k]));
    CET_CALL_GOTO(status, done,
                  cet_drv_check_shape(t[k].path, rank, dims, t[k].rank, want, t[k].why));
  }
  CET_CALL_GOTO(status, done, append(&all->index, all->rows, rows, 1, sizeof *index, index));
  for (int k = 0; k < 2; k++) {
    CET_CALL_GOTO(status, done,
                  append(&all->table[k], all->rows, rows, width[k], sizeof(double), data[k]));
  }
  all->rows += rows;
done:
  free(index);
  free(data[0]);
  free(data[1]);
  return status;
}

static void rows_free(shard_rows *all) {
  free(all->index);
  free(all->table[0]);
  free(all->table[1]);
}

static int merge_sweep(sa_shard *s, size_t n, names *v, FILE *out, cet_result *res) {
  long long grid = 0;
  CET_CALL(fail(&s[0], cet_result_read_strings(s[0].file.in, "/sensitivity/sweep/paths", &v->n_dims,
                                               &v->paths)));
  CET_CALL(
      fail(&s[0], cet_result_read_attr_int(s[0].file.in, "/sensitivity/sweep", "grid", &grid)));
  CET_CALL(within(&s[0], "/sensitivity/sweep", "grid", grid, 0, 1));
  for (size_t i = 1; i < n; i++) {
    CET_CALL(cet_drv_shards_same_strings(&s[0].file, &s[i].file, "/sensitivity/sweep/paths", NULL,
                                         NULL));
  }
  const row_table tables[2] = {{"/sensitivity/sweep/values",
                                2,
                                {v->n_dims, 0},
                                "a row per point, a column per entry of /sensitivity/sweep/paths"},
                               {"/sensitivity/sweep/metrics",
                                2,
                                {v->nm, 0},
                                "a row per point, a column per name in /sensitivity/metrics"}};
  shard_rows all = {0};
  char **param_units = NULL; /* the first shard's, when it records them */
  size_t n_param_units = 0;
  int status = CET_OK;
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, done,
                  fail(&s[i], read_rows(&s[i], "/sensitivity/sweep/point", "point", tables, &all)));
  }
  if (cet_result_has_attr(s[0].file.in, "/sensitivity/sweep/values", "units")) {
    CET_CALL_GOTO(
        status, done,
        fail(&s[0], cet_result_read_attr_strings(s[0].file.in, "/sensitivity/sweep/values", "units",
                                                 &n_param_units, &param_units)));
  }
  cet_drv_sa_sweep_table t = {
      .paths = (const char *const *)v->paths,
      .param_units = n_param_units == v->n_dims ? (const char *const *)param_units : NULL,
      .n_dims = v->n_dims,
      .points = (uint64_t)s[0].total,
      .grid = (int)grid,
      .metrics = (const char *const *)v->metrics,
      .units = (const char *const *)v->units,
      .share = v->share,
      .nm = v->nm,
      .count = all.rows,
      .index = all.index,
      .values = all.table[0],
      .metrics_at = all.table[1]};
  CET_CALL_GOTO(status, done, cet_drv_sa_sweep_write(&t, res));
  if (out) {
    cet_drv_sa_sweep_print(&t, out);
  }
done:
  rows_free(&all);
  cet_free_strings(param_units, n_param_units);
  return status;
}

/* ---- Sobol' runs ---- */

/* The attribute evaluation of s's /sensitivity/sobol ("model" or
 * "factored") into *out (allocated), NULL when the file has none. */
static int read_evaluation(const sa_shard *s, char **out) {
  const char *g = METHOD_GROUP[SHARD_SOBOL];
  *out = NULL;
  if (!cet_result_has_attr(s->file.in, g, "evaluation")) {
    return CET_OK;
  }
  CET_CALL(cet_result_read_attr_string(s->file.in, g, "evaluation", out));
  CET_CHECK(strcmp(*out, "model") == 0 || strcmp(*out, "factored") == 0, CET_ERR_INPUT,
            "%s: %s attribute evaluation: expected model or factored, found '%s'", s->file.path, g,
            *out);
  return CET_OK;
}

/* The plan of s's Sobol' run from its attributes and names (v). */
static int read_plan(const sa_shard *s, names *v, cet_drv_sa_sobol_plan *p) {
  cet_result_reader *in = s->file.in;
  const char *g = METHOD_GROUP[SHARD_SOBOL];
  const char *const ints[] = {"n", "block", "second_order", "replicates", "bootstrap_metrics"};
  long long a[sizeof ints / sizeof ints[0]] = {0};
  for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
    CET_CALL(cet_result_read_attr_int(in, g, ints[k], &a[k]));
  }
  CET_CALL(cet_result_read_attr_double(in, g, "level", &p->level));
  CET_CALL(read_evaluation(s, &v->evaluation));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/sobol/groups", &v->g, &v->groups));
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_ints(in, "/sensitivity/sobol/coordinate_group", &rank, dims,
                                &v->coordinate_group));
  v->kc = rank == 1 ? dims[0] : 0;
  CET_CALL(cet_drv_check_shape("/sensitivity/sobol/coordinate_group", rank, dims, 1, &v->kc,
                               "one per coordinate"));
  const long long hi[] = {UINT32_MAX, 100000000, 1, 100000000, (long long)v->nm};
  for (size_t k = 0; k < sizeof hi / sizeof hi[0]; k++) {
    CET_CALL(within(s, g, ints[k], a[k], k == 0 || k == 1, hi[k]));
  }
  CET_CHECK(p->level > 0.0 && p->level < 1.0, CET_ERR_INPUT,
            "%s attribute level: expected a probability in (0, 1), found %g", g, p->level);
  v->coord = malloc((v->kc + 1) * sizeof *v->coord);
  CET_CHECK_ALLOC(v->coord);
  for (size_t c = 0; c < v->kc; c++) {
    CET_CHECK(v->coordinate_group[c] >= 0 && (size_t)v->coordinate_group[c] < v->g, CET_ERR_INPUT,
              "/sensitivity/sobol/coordinate_group: expected groups 0..%zu (in "
              "/sensitivity/sobol/groups), found %lld at %zu",
              v->g - 1, v->coordinate_group[c], c);
    v->coord[c] = (size_t)v->coordinate_group[c];
  }
  *p = (cet_drv_sa_sobol_plan){.g = v->g,
                               .nm = v->nm,
                               .kc = v->kc,
                               .groups = (const char *const *)v->groups,
                               .metrics = (const char *const *)v->metrics,
                               .units = (const char *const *)v->units,
                               .share = v->share,
                               .coordinate_group = v->coord,
                               .n = (uint64_t)a[0],
                               .block = (uint64_t)a[1],
                               .seed = (uint64_t)s->seed,
                               .second_order = (int)a[2],
                               .replicates = (size_t)a[3],
                               .bootstrap_metrics = (size_t)a[4],
                               .level = p->level,
                               .evaluation = v->evaluation};
  CET_CALL(cet_drv_sa_sobol_plan_design(p));
  return CET_OK;
}

/* The attributes of s's /sensitivity/sobol equal those of the plan. */
static int same_plan(const sa_shard *s, const cet_drv_sa_sobol_plan *p) {
  cet_result_reader *in = s->file.in;
  const char *g = METHOD_GROUP[SHARD_SOBOL];
  const char *const ints[] = {"n", "block", "second_order", "replicates", "bootstrap_metrics"};
  const long long want[] = {(long long)p->n, (long long)p->block, p->second_order,
                            (long long)p->replicates, (long long)p->bootstrap_metrics};
  for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
    long long x = 0;
    CET_CALL(cet_result_read_attr_int(in, g, ints[k], &x));
    CET_CHECK(x == want[k], CET_ERR_INPUT,
              "%s attribute %s: %lld, the first shard %lld: shards of one run share the plan", g,
              ints[k], x, want[k]);
  }
  double level = 0.0;
  CET_CALL(cet_result_read_attr_double(in, g, "level", &level));
  CET_CHECK(level == p->level, CET_ERR_INPUT,
            "%s attribute level: %g, the first shard %g: shards of one run share the plan", g,
            level, p->level);
  size_t rank = 0, dims[3] = {0};
  long long *cg = NULL;
  char *evaluation = NULL;
  CET_CALL(cet_result_read_ints(in, "/sensitivity/sobol/coordinate_group", &rank, dims, &cg));
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_evaluation(s, &evaluation));
  const char *mine = evaluation ? evaluation : "model";
  const char *first = p->evaluation ? p->evaluation : "model";
  CET_CHECK_GOTO(status, done, strcmp(mine, first) == 0, CET_ERR_INPUT,
                 "%s attribute evaluation: %s, the first shard %s: shards evaluated by the "
                 "cash-flow model and by the factored form are not the same bits; merge shards "
                 "of one evaluation",
                 g, mine, first);
  CET_CALL_GOTO(status, done,
                cet_drv_check_shape("/sensitivity/sobol/coordinate_group", rank, dims, 1, &p->kc,
                                    "one per coordinate, as in the first shard"));
  for (size_t c = 0; c < p->kc; c++) {
    CET_CHECK_GOTO(status, done, cg[c] == (long long)p->coordinate_group[c], CET_ERR_INPUT,
                   "/sensitivity/sobol/coordinate_group: %lld at %zu, the first shard %zu", cg[c],
                   c, p->coordinate_group[c]);
  }
done:
  free(evaluation);
  free(cg);
  return status;
}

/* Adds the sums of s (its blocks, and only those of its range) to the
 * buckets. */
static int add_sums(const sa_shard *s, const cet_drv_sa_sobol_plan *p,
                    cet_sobol_sums *const *total) {
  cet_result_reader *in = s->file.in;
  long long bytes = 0, base_rows = 0, *words = NULL;
  size_t rank = 0, dims[3] = {0};
  const char *g = METHOD_GROUP[SHARD_SOBOL];
  CET_CALL(cet_result_read_attr_int(in, g, "base_rows", &base_rows));
  CET_CHECK(base_rows == s->file.count, CET_ERR_INPUT,
            "%s attribute base_rows: expected %lld (/sensitivity attribute shard_count), found "
            "%lld",
            g, s->file.count, base_rows);
  CET_CALL(cet_result_read_attr_int(in, "/sensitivity/sobol/sums", "bytes", &bytes));
  CET_CALL(cet_result_read_ints(in, "/sensitivity/sobol/sums", &rank, dims, &words));
  cet_sobol_sums **mine = NULL;
  size_t want = bytes >= 0 ? ((size_t)bytes + 7) / 8 : 0;
  /* exactly the blocks of the shard's range */
  uint64_t blocks = 0, in_range = 0, first = (uint64_t)s->file.first / p->block;
  uint64_t want_blocks = ((uint64_t)s->file.count + p->block - 1) / p->block;
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_drv_check_shape("/sensitivity/sobol/sums", rank, dims, 1, &want,
                                    "the words of its attribute bytes"));
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_buckets_create(p, &mine));
  CET_CALL_GOTO(status, done,
                cet_drv_sa_sobol_buckets_merge(mine, p->buckets, words, (size_t)bytes));
  for (size_t b = 0; b < p->buckets; b++) {
    blocks += cet_sobol_sums_blocks(mine[b]);
  }
  for (uint64_t b = first; b < first + want_blocks; b++) {
    in_range += cet_sobol_sums_has_block(mine[cet_drv_sa_sobol_bucket_of(b)], b) != 0;
  }
  CET_CHECK_GOTO(status, done, blocks == want_blocks && in_range == want_blocks, CET_ERR_INPUT,
                 "/sensitivity/sobol/sums: expected the sums of blocks %llu..%llu (base rows "
                 "%lld..%lld), found others",
                 (unsigned long long)first, (unsigned long long)(first + want_blocks - 1),
                 s->file.first, s->file.first + s->file.count - 1);
  for (size_t b = 0; b < p->buckets; b++) {
    CET_CALL_GOTO(status, done, cet_sobol_sums_merge(total[b], mine[b]));
  }
done:
  cet_drv_sa_sobol_buckets_destroy(&mine, p->buckets);
  free(words);
  return status;
}

/* /sensitivity/sobol/points when every shard holds its points (else none,
 * with a warning when some do), and /sensitivity@store_points. */
static int merge_points(sa_shard *s, size_t n, const cet_drv_sa_sobol_plan *p, cet_result *res) {
  const char *const group = "/sensitivity/sobol/points";
  size_t with = 0;
  for (size_t i = 0; i < n; i++) {
    with += cet_result_has(s[i].file.in, group) != 0;
  }
  if (with > 0 && with < n) {
    cet_log_warn("merge: %zu of the %zu shards hold their points (sensitivity.store_points): the "
                 "merged file has none",
                 with, n);
  }
  CET_CALL(cet_result_attr_int(res, "/sensitivity", "store_points", with == n));
  if (with < n) {
    return CET_OK;
  }
  const char *const names_path = "/sensitivity/sobol/points/factor_names";
  const char *const kinds_path = "/sensitivity/sobol/points/row_kind";
  for (size_t i = 1; i < n; i++) {
    CET_CALL(cet_drv_shards_same_strings(&s[0].file, &s[i].file, names_path, NULL, NULL));
    CET_CALL(cet_drv_shards_same_strings(&s[0].file, &s[i].file, kinds_path, NULL, NULL));
  }
  char **kinds = NULL, **factor_names = NULL;
  size_t n_kinds = 0, kf = 0;
  shard_rows all = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                fail(&s[0], cet_result_read_strings(s[0].file.in, names_path, &kf, &factor_names)));
  CET_CALL_GOTO(status, done,
                fail(&s[0], cet_result_read_strings(s[0].file.in, kinds_path, &n_kinds, &kinds)));
  CET_CALL_GOTO(status, done,
                fail(&s[0], cet_drv_check_shape(kinds_path, 1, &n_kinds, 1, &p->rows,
                                                "one per point of a base row")));
  const row_table t[2] = {{CET_DRV_SA_SOBOL_POINTS[1],
                           3,
                           {p->rows, p->nm},
                           "base rows x points per base row x metrics"},
                          {CET_DRV_SA_SOBOL_POINTS[2],
                           3,
                           {p->rows, kf},
                           "base rows x points per base row x factor_names"}};
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, done,
                  fail(&s[i], read_rows(&s[i], CET_DRV_SA_SOBOL_POINTS[0], "base row", t, &all)));
  }
  cet_dataset_meta meta[CET_DRV_SA_SOBOL_POINT_DATASETS];
  cet_drv_sa_sobol_points_meta(p->metrics, p->units, p->nm, meta);
  size_t d1[1] = {(size_t)all.rows}, dy[3] = {(size_t)all.rows, p->rows, p->nm},
         dx[3] = {(size_t)all.rows, p->rows, kf};
  CET_CALL_GOTO(status, done, cet_result_copy(res, s[0].file.in, names_path, 0));
  CET_CALL_GOTO(status, done, cet_result_copy(res, s[0].file.in, kinds_path, 0));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(res, CET_DRV_SA_SOBOL_POINTS[0], 1, d1, all.index, &meta[0]));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, CET_DRV_SA_SOBOL_POINTS[1], 3, dy, all.table[0], &meta[1]));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, CET_DRV_SA_SOBOL_POINTS[2], 3, dx, all.table[1], &meta[2]));
done:
  cet_free_strings(kinds, n_kinds);
  cet_free_strings(factor_names, kf);
  rows_free(&all);
  return status;
}

static int merge_sobol(sa_shard *s, size_t n, names *v, uint64_t points, FILE *out,
                       cet_result *res) {
  cet_drv_sa_sobol_plan p = {0};
  cet_sobol_sums **total = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, fail(&s[0], read_plan(&s[0], v, &p)));
  for (size_t i = 1; i < n; i++) {
    CET_CALL_GOTO(status, done, fail(&s[i], same_plan(&s[i], &p)));
    CET_CALL_GOTO(status, done,
                  cet_drv_shards_same_strings(&s[0].file, &s[i].file, "/sensitivity/sobol/groups",
                                              NULL, NULL));
  }
  for (size_t i = 0; i < n; i++) {
    CET_CHECK_GOTO(status, done, s[i].file.first % (long long)p.block == 0, CET_ERR_INPUT,
                   "%s: /sensitivity attribute shard_first: expected a multiple of the block "
                   "(%llu), found %lld",
                   s[i].file.path, (unsigned long long)p.block, s[i].file.first);
  }
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_buckets_create(&p, &total));
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, done, fail(&s[i], add_sums(&s[i], &p, total)));
  }
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_report(&p, total, points, out, res));
  CET_CALL_GOTO(status, done, merge_points(s, n, &p, res));
done:
  cet_drv_sa_sobol_buckets_destroy(&total, p.buckets);
  cet_sobol_design_destroy(&p.design);
  return status;
}

int cet_drv_sa_sobol_print_file(cet_result_reader *in, FILE *out) {
  sa_shard s = {.file = {.path = cet_result_reader_path(in), .in = in}};
  names v = {0};
  cet_drv_sa_sobol_plan p = {0};
  cet_sobol_sums **total = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_range(&s, SHARD_SOBOL));
  CET_CALL_GOTO(status, done, read_names(&s, &v));
  CET_CALL_GOTO(status, done, read_plan(&s, &v, &p));
  CET_CALL_GOTO(status, done, cet_drv_sa_sobol_buckets_create(&p, &total));
  CET_CALL_GOTO(status, done, add_sums(&s, &p, total));
  CET_CALL_GOTO(status, done,
                cet_drv_sa_sobol_report(&p, total, (uint64_t)s.file.count, out, NULL));
done:
  cet_drv_sa_sobol_buckets_destroy(&total, p.buckets);
  cet_sobol_design_destroy(&p.design);
  names_free(&v);
  return fail(&s, status);
}

/* ---- the merged file ---- */

/* The root, /input and what /sensitivity holds besides the method. */
static int write_common(const sa_shard *s, size_t n, uint64_t points, const char *command_line,
                        cet_result *out) {
  CET_CALL(cet_drv_merge_write_root(out, &s[0].file, n, command_line));
  CET_CALL(cet_result_copy(out, s[0].file.in, "/input", 0));
  CET_CALL(cet_result_copy(out, s[0].file.in, "/sensitivity", 1));
  const char *const copied[] = {
      "/sensitivity/factors", "/sensitivity/metrics", "/sensitivity/metric_units", CET_DRV_SA_SHARE,
      "/sensitivity/groups",  "/sensitivity/metric",  "/sensitivity/group"};
  for (size_t k = 0; k < sizeof copied / sizeof copied[0]; k++) {
    if (cet_result_has(s[0].file.in, copied[k])) {
      CET_CALL(cet_result_copy(out, s[0].file.in, copied[k], 0));
    }
  }
  /* every point: as one run of them all (shard 0, 0); else the span */
  int whole = points == (uint64_t)s[0].total;
  CET_CALL(cet_result_attr_int(out, "/sensitivity", "shard_first", whole ? 0 : s[0].file.first));
  CET_CALL(cet_result_attr_int(out, "/sensitivity", "shard_count", whole ? 0 : (long long)points));
  static const char *const columns[2] = {"shard_first", "shard_count"};
  return cet_drv_merge_write_shards(out, s, sizeof *s, n, columns, "point");
}

static int run_merge(sa_shard *s, size_t n, shard_method method, const char *output,
                     const char *command_line, FILE *out) {
  for (size_t i = 1; i < n; i++) {
    CET_CALL(compare(&s[0], &s[i]));
  }
  uint64_t points = 0;
  CET_CALL(cet_drv_shards_check_ranges(s, sizeof *s, n, "points", &points));
  names v = {0};
  cet_result *res = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, fail(&s[0], read_names(&s[0], &v)));
  for (size_t i = 1; i < n; i++) {
    CET_CALL_GOTO(status, done,
                  fail(&s[i], cet_drv_shards_same_shares(s[i].file.in, CET_DRV_SA_SHARE, v.nm,
                                                         (const char *const *)v.metrics, NULL,
                                                         PER_METRIC, v.share, v.has_share)));
  }
  CET_CALL_GOTO(status, done, cet_result_create(output, MPI_COMM_SELF, 0, &res));
  CET_CALL_GOTO(status, done, write_common(s, n, points, command_line, res));
  if (out) {
    fprintf(out, "cetwin merge: %zu shards, %llu of %lld %s\n", n, (unsigned long long)points,
            s[0].total, method == SHARD_SWEEP ? "points of a parameter study" : "Sobol' base rows");
  }
  CET_CALL_GOTO(status, done,
                method == SHARD_SWEEP ? merge_sweep(s, n, &v, out, res)
                                      : merge_sobol(s, n, &v, points, out, res));
  CET_CALL_GOTO(status, done, cet_result_commit(&res));
  if (out) {
    fprintf(out, "\nresult: %s\n", output);
  }
done:
  cet_result_discard(&res); /* no half-written result is left */
  names_free(&v);
  return status;
}

int cet_merge_sensitivity(const char *const *inputs, size_t n, const char *output,
                          const char *command_line, FILE *out) {
  CET_CHECK(n >= 1, CET_ERR_INPUT, "merge: expected at least one shard");
  sa_shard *s = calloc(n, sizeof *s);
  CET_CHECK_ALLOC(s);
  shard_method method = SHARD_SWEEP;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_shards_open(inputs, n, "sensitivity", s, sizeof *s));
  for (size_t i = 0; i < n; i++) {
    shard_method m = SHARD_SWEEP;
    CET_CALL_GOTO(status, done, fail(&s[i], read_shard(&s[i], &m)));
    CET_CHECK_GOTO(status, done, i == 0 || m == method, CET_ERR_INPUT,
                   "'%s' holds %s, the first shard %s: shards of one run hold one method",
                   s[i].file.path, METHOD_GROUP[m], METHOD_GROUP[method]);
    method = m;
  }
  CET_CALL_GOTO(status, done, run_merge(s, n, method, output, command_line, out));
done:
  cet_drv_shards_close(s, sizeof *s, n);
  free(s);
  return status;
}
