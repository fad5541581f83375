/*
 * mc_merge.c — `cetwin merge` (see drivers.h): the /mc groups of shards of
 * one Monte Carlo sweep (the same case and seed, disjoint draw ranges, e.g.
 * the tasks of a Slurm array run with --set mc.first_draw=... --set
 * mc.draws=...) combined into one result: the exact sums are added, the
 * stored draws concatenated in draw order, and the summaries and the UNFC
 * rating of the case recomputed, so the result equals one run over all the
 * draws bit for bit. The deterministic parts (/input, /mc/deterministic,
 * /mc/scenarios, /mc/variables, the rated projects) are the same in every
 * shard and are copied from the first.
 */
#include "cetwin/drivers.h"

#include "mc_impl.h"

#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MERGE_TEXT_LEN = 1024 };

/* Overrides that may differ between the shards of one sweep. */
static const char *const SHARD_KEYS[] = {"mc.first_draw=", "mc.draws=", "mc.store_draws="};

typedef struct {
  const char *path;
  cet_result_reader *in;
  long long seed, first, done, requested, stopped, block;
  double seconds, cpu_seconds;
  int has_draws;
} shard;

/* Strings of a dataset equal in a and b (overrides: up to the shard keys). */
static int same_strings(shard *a, shard *b, const char *path, int overrides) {
  char **x = NULL, **y = NULL;
  size_t nx = 0, ny = 0;
  int status = cet_result_read_strings(a->in, path, &nx, &x);
  if (status == CET_OK) {
    status = cet_result_read_strings(b->in, path, &ny, &y);
  }
  size_t i = 0, j = 0;
  while (status == CET_OK && (i < nx || j < ny)) {
    int skip_x = 0, skip_y = 0;
    for (size_t k = 0; overrides && k < sizeof SHARD_KEYS / sizeof SHARD_KEYS[0]; k++) {
      skip_x |= i < nx && strncmp(x[i], SHARD_KEYS[k], strlen(SHARD_KEYS[k])) == 0;
      skip_y |= j < ny && strncmp(y[j], SHARD_KEYS[k], strlen(SHARD_KEYS[k])) == 0;
    }
    if (skip_x || skip_y) {
      i += skip_x;
      j += skip_y;
      continue;
    }
    if (i >= nx || j >= ny || strcmp(x[i], y[j]) != 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                     "'%s' and '%s' are not shards of one sweep: %s differs%s%s", a->path, b->path,
                     path, i < nx ? " at '" : "", i < nx ? x[i] : "");
      status = CET_ERR_INPUT;
      break;
    }
    i++;
    j++;
  }
  if (status == CET_ERR_INPUT && i < nx) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s",
                   "(only mc.first_draw, mc.draws and mc.store_draws may differ)");
  }
  cet_free_strings(x, nx);
  cet_free_strings(y, ny);
  return status;
}

static int open_shard(const char *path, shard *s) {
  s->path = path;
  CET_CALL(cet_result_open(path, &s->in));
  char *analysis = NULL;
  int status = cet_result_read_attr_string(s->in, "/", "analysis", &analysis);
  if (status == CET_OK && strcmp(analysis, "mc") != 0) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                   "'%s' holds a %s analysis; cetwin merge combines Monte Carlo shards", path,
                   analysis);
    status = CET_ERR_INPUT;
  }
  free(analysis);
  long long store = 0;
  const char *const ints[] = {"first_draw", "draws", "draws_requested",
                              "stopped",    "block", "store_draws"};
  long long *dst[] = {&s->first, &s->done, &s->requested, &s->stopped, &s->block, &store};
  for (size_t k = 0; status == CET_OK && k < 6; k++) {
    status = cet_result_read_attr_int(s->in, "/mc", ints[k], dst[k]);
  }
  if (status == CET_OK) {
    status = cet_result_read_attr_int(s->in, "/", "seed", &s->seed);
  }
  if (status == CET_OK) {
    status = cet_result_read_attr_double(s->in, "/mc", "seconds", &s->seconds);
  }
  if (status == CET_OK) {
    status = cet_result_read_attr_double(s->in, "/mc", "cpu_seconds", &s->cpu_seconds);
  }
  s->has_draws = store != 0 && cet_result_has(s->in, "/mc/draws/metrics");
  if (status != CET_OK) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                   "'%s' is not a complete Monte Carlo result", path);
    return CET_ERR_INPUT;
  }
  return CET_OK;
}

static int compare_shards(shard *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    CET_CHECK(s[i].seed == s[0].seed, CET_ERR_INPUT,
              "'%s' (seed %lld) and '%s' (seed %lld): shards of one sweep share the seed",
              s[0].path, s[0].seed, s[i].path, s[i].seed);
    CET_CALL(same_strings(&s[0], &s[i], "/input/texts", 0));
    CET_CALL(same_strings(&s[0], &s[i], "/input/overrides", 1));
    CET_CALL(same_strings(&s[0], &s[i], "/mc/summary/metrics", 0));
    CET_CALL(same_strings(&s[0], &s[i], "/mc/variables/path", 0));
    CET_CALL(same_strings(&s[0], &s[i], "/mc/variables/prices", 0));
  }
  return CET_OK;
}

static int by_first_draw(const void *a, const void *b) {
  const shard *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

static int check_ranges(shard *s, size_t n) {
  qsort(s, n, sizeof *s, by_first_draw);
  for (size_t i = 1; i < n; i++) {
    long long end = s[i - 1].first + s[i - 1].done;
    CET_CHECK(end <= s[i].first, CET_ERR_INPUT,
              "'%s' (draws %lld..%lld) and '%s' (draws %lld..%lld) overlap; shards must cover "
              "disjoint draw ranges",
              s[i - 1].path, s[i - 1].first, end - 1, s[i].path, s[i].first,
              s[i].first + s[i].done - 1);
    if (end < s[i].first) {
      cet_log_warn("merge: draws %lld..%lld are in no shard", end, s[i].first - 1);
    }
  }
  return CET_OK;
}

/* ---- statistics ---- */

typedef struct {
  size_t nm;
  char **names, **units;
  size_t n_names, n_units;
  cet_stats **acc;      /* [nm] */
  uint64_t *undefined;  /* [nm] */
  int values;           /* 1: every shard has its draws */
  double *draws[4];     /* concatenated metrics, inputs, prices; index (as doubles unused) */
  long long *index;     /* concatenated draw indices */
  size_t rows, cols[4]; /* cols: metrics, inputs, prices per row */
  size_t price_dims[2]; /* prices: series, years */
} merged;

static void merged_free(merged *m) {
  cet_free_strings(m->names, m->n_names);
  cet_free_strings(m->units, m->n_units);
  for (size_t k = 0; m->acc && k < m->nm; k++) {
    cet_stats_destroy(&m->acc[k]);
  }
  free(m->acc);
  free(m->undefined);
  for (size_t k = 0; k < 4; k++) {
    free(m->draws[k]);
  }
  free(m->index);
}

/* Appends a 2- or 3-D dataset of a shard to buf (rows x cols). */
static int append_rows(shard *s, const char *path, size_t rows, size_t *cols, size_t *extra,
                       double **buf, size_t at) {
  size_t rank = 0, dims[3] = {0};
  double *data = NULL;
  CET_CALL(cet_result_read_doubles(s->in, path, &rank, dims, &data));
  size_t c = rank >= 2 ? dims[1] : 1;
  c *= rank == 3 ? dims[2] : 1;
  if (dims[0] != rows || (at > 0 && c != *cols)) {
    free(data);
    CET_CHECK(0, CET_ERR_INPUT, "%s: %s has %zu rows of %zu values, expected %zu rows of %zu",
              s->path, path, dims[0], c, rows, *cols);
  }
  *cols = c;
  if (extra && rank == 3) {
    extra[0] = dims[1];
    extra[1] = dims[2];
  }
  double *grown = realloc(*buf, ((at + rows) * c + 1) * sizeof *grown);
  if (!grown) {
    free(data);
    CET_CHECK_ALLOC(NULL);
  }
  *buf = grown;
  memcpy(*buf + at * c, data, rows * c * sizeof *data);
  free(data);
  return CET_OK;
}

static int read_draws(shard *s, merged *m) {
  size_t rows = (size_t)s->done, at = m->rows, rank = 0, dims[3] = {0};
  long long *index = NULL;
  CET_CALL(cet_result_read_ints(s->in, "/mc/draws/index", &rank, dims, &index));
  long long *grown = realloc(m->index, (at + rows + 1) * sizeof *grown);
  if (!grown || dims[0] != rows) {
    free(index);
    CET_CHECK(grown != NULL, CET_ERR_MEMORY, "out of memory");
    m->index = grown;
    CET_CHECK(0, CET_ERR_INPUT, "%s: /mc/draws/index has %zu rows, expected %zu", s->path, dims[0],
              rows);
  }
  m->index = grown;
  memcpy(m->index + at, index, rows * sizeof *index);
  free(index);
  const char *paths[3] = {"/mc/draws/metrics", "/mc/draws/inputs", "/mc/draws/prices"};
  for (size_t k = 0; k < 3; k++) {
    CET_CALL(append_rows(s, paths[k], rows, &m->cols[k], k == 2 ? m->price_dims : NULL,
                         &m->draws[k], at));
  }
  m->rows += rows;
  return CET_OK;
}

static int merge_statistics(shard *s, size_t n, merged *m) {
  CET_CALL(cet_result_read_strings(s[0].in, "/mc/summary/metrics", &m->n_names, &m->names));
  CET_CALL(cet_result_read_strings(s[0].in, "/mc/summary/units", &m->n_units, &m->units));
  m->nm = m->n_names;
  m->values = 1;
  for (size_t i = 0; i < n; i++) {
    m->values &= s[i].has_draws;
  }
  m->acc = calloc(m->nm + 1, sizeof *m->acc);
  m->undefined = calloc(m->nm + 1, sizeof *m->undefined);
  cet_stats_moments *moments = calloc(m->nm + 1, sizeof *moments);
  uint64_t *undefined = calloc(m->nm + 1, sizeof *undefined);
  int status = m->acc && m->undefined && moments && undefined ? CET_OK : CET_ERR_MEMORY;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  for (size_t k = 0; status == CET_OK && k < m->nm; k++) {
    status = cet_stats_create(&m->acc[k], m->values, 0);
  }
  for (size_t i = 0; status == CET_OK && i < n; i++) {
    status = mc_summary_read_moments(s[i].in, m->nm, moments, undefined);
    for (size_t k = 0; status == CET_OK && k < m->nm; k++) {
      m->undefined[k] += undefined[k];
      if (!m->values) {
        status = cet_stats_add_moments(m->acc[k], &moments[k]);
      }
    }
    if (status == CET_OK && m->values) {
      status = read_draws(&s[i], m);
    }
  }
  /* with the draws, the statistics come from the values themselves */
  for (size_t r = 0; status == CET_OK && m->values && r < m->rows; r++) {
    for (size_t k = 0; status == CET_OK && k < m->nm; k++) {
      double x = m->draws[0][r * m->cols[0] + k];
      status = isfinite(x) ? cet_stats_add(m->acc[k], x) : CET_OK;
    }
  }
  free(moments);
  free(undefined);
  return status;
}

/* ---- output ---- */

static int write_draws(const merged *m, cet_result *out) {
  cet_result_rows all = {.tail_first = 0, .tail_rows = m->rows};
  size_t d1[1] = {m->rows}, d2[2] = {m->rows, m->cols[0]}, dv[2] = {m->rows, m->cols[1]};
  size_t dp[3] = {m->rows, m->price_dims[0], m->price_dims[1]};
  cet_dataset_meta meta[MC_DRAWS_DATASETS];
  mc_draws_meta((const char *const *)m->names, m->nm, meta);
  CET_CALL(
      cet_result_write_rows(out, MC_DRAWS[0], CET_RESULT_INT64, 1, d1, &all, m->index, &meta[0]));
  CET_CALL(cet_result_write_rows(out, MC_DRAWS[1], CET_RESULT_DOUBLE, 2, d2, &all, m->draws[0],
                                 &meta[1]));
  CET_CALL(cet_result_write_rows(out, MC_DRAWS[2], CET_RESULT_DOUBLE, 2, dv, &all, m->draws[1],
                                 &meta[2]));
  CET_CALL(cet_result_write_rows(out, MC_DRAWS[3], CET_RESULT_DOUBLE, 3, dp, &all, m->draws[2],
                                 &meta[3]));
  return CET_OK;
}

static int write_shards(const shard *s, size_t n, cet_result *out) {
  const char **paths = calloc(n + 1, sizeof *paths);
  long long *ranges = calloc(2 * n + 1, sizeof *ranges);
  int status = paths && ranges ? CET_OK : CET_ERR_MEMORY;
  for (size_t i = 0; i < n && status == CET_OK; i++) {
    paths[i] = s[i].path;
    ranges[2 * i] = s[i].first;
    ranges[2 * i + 1] = s[i].done;
  }
  size_t dims[2] = {n, 2};
  static const char *const cols[] = {"first_draw", "draws"};
  cet_dataset_meta mp = {.description = "the shards merged, in draw order", .dims = "shard"};
  cet_dataset_meta mr = {.units = "1",
                         .description = "draw range of each shard",
                         .columns = cols,
                         .n_columns = 2,
                         .dims = "shard,range"};
  if (status == CET_OK) {
    status = cet_result_write_strings(out, "/merge/shards", n, paths, &mp);
  }
  if (status == CET_OK) {
    status = cet_result_write_ints(out, "/merge/ranges", 2, dims, ranges, &mr);
  }
  if (status == CET_ERR_MEMORY && (!paths || !ranges)) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  free(paths);
  free(ranges);
  return status;
}

static int write_attrs(const shard *s, size_t n, const mc_summary *sum, int store_draws,
                       cet_result *out, const char *command_line) {
  char now[64];
  cet_result_utc_now(now, sizeof now);
  CET_CALL(cet_result_copy(out, s[0].in, "/", 1));
  CET_CALL(cet_result_attr_string(out, "/", "created_utc", now));
  CET_CALL(cet_result_attr_string(out, "/", "command_line", command_line ? command_line : ""));
  CET_CALL(cet_result_attr_int(out, "/", "shards", (long long)n));
  CET_CALL(cet_result_copy(out, s[0].in, "/mc", 1));
  CET_CALL(cet_result_attr_int(out, "/mc", "draws_requested", (long long)sum->draws_requested));
  CET_CALL(cet_result_attr_int(out, "/mc", "draws", (long long)sum->draws_done));
  CET_CALL(cet_result_attr_int(out, "/mc", "first_draw", (long long)sum->first_draw));
  CET_CALL(cet_result_attr_int(out, "/mc", "stopped", sum->stopped));
  CET_CALL(cet_result_attr_int(out, "/mc", "store_draws", store_draws));
  CET_CALL(cet_result_attr_double(out, "/mc", "seconds", sum->seconds));
  CET_CALL(cet_result_attr_double(out, "/mc", "cpu_seconds", sum->cpu_seconds));
  return CET_OK;
}

static int write_output(shard *s, size_t n, const merged *m, const mc_summary *sum,
                        const mc_unfc_saved *u, const mc_rated *rated, const char *output,
                        const char *command_line) {
  cet_result *out = NULL;
  CET_CALL(cet_result_create(output, MPI_COMM_SELF, 0, &out));
  int status = write_attrs(s, n, sum, m->values, out, command_line);
  const char *const copied[] = {"/input", "/mc/deterministic", "/mc/scenarios", "/mc/variables"};
  for (size_t k = 0; status == CET_OK && k < sizeof copied / sizeof copied[0]; k++) {
    if (cet_result_has(s[0].in, copied[k])) {
      status = cet_result_copy(out, s[0].in, copied[k], 0);
    }
  }
  if (status == CET_OK) {
    status = mc_summary_write(sum, out);
  }
  if (status == CET_OK && u->given) {
    status = mc_unfc_write(out, rated, u->n_rated, &u->par, u->q, u->n_factors, u->factor_name,
                           u->factor);
  }
  if (status == CET_OK && m->values) {
    status = write_draws(m, out);
  }
  if (status == CET_OK) {
    status = write_shards(s, n, out);
  }
  if (status == CET_OK) {
    status = cet_result_commit(&out);
  } else {
    cet_result_discard(&out);
  }
  return status;
}

/* The summary of the merged statistics. */
static int summarize(shard *s, size_t n, merged *m, double q, mc_summary **out) {
  CET_CALL(
      mc_summary_alloc(m->nm, (const char *const *)m->names, (const char *const *)m->units, out));
  mc_summary *sum = *out;
  for (size_t k = 0; k < m->nm; k++) {
    CET_CALL(mc_summary_set(sum, k, m->acc[k], m->undefined[k], q));
  }
  sum->first_draw = (uint64_t)s[0].first;
  for (size_t i = 0; i < n; i++) {
    sum->draws_requested += (uint64_t)s[i].requested;
    sum->draws_done += (uint64_t)s[i].done;
    sum->stopped |= s[i].stopped != 0;
    sum->seconds += s[i].seconds;
    sum->cpu_seconds += s[i].cpu_seconds;
  }
  return CET_OK;
}

static int run_merge(shard *s, size_t n, const char *output, const char *command_line, FILE *out) {
  CET_CALL(compare_shards(s, n));
  CET_CALL(check_ranges(s, n));
  merged m = {0};
  mc_summary *sum = NULL;
  mc_unfc_saved u = {0};
  int status = merge_statistics(s, n, &m);
  if (status == CET_OK) {
    status = mc_unfc_read(s[0].in, &u);
  }
  double q = CET_MC_DEFAULT_PESSIMISTIC_QUANTILE;
  if (status == CET_OK) {
    status = cet_result_read_attr_double(s[0].in, "/mc", "pessimistic_quantile", &q);
  }
  if (status == CET_OK) {
    status = summarize(s, n, &m, q, &sum);
  }
  if (status == CET_OK && u.given && u.n_rated > 0 && m.values) {
    status = mc_unfc_rate_case(sum, &u.par, u.q, u.n_factors, u.factor_name, u.factor, &u.rated[0]);
  } else if (status == CET_OK && u.given) {
    u.given = 0; /* the case's rating needs the quantile of the draws */
    cet_log_warn("merge: the shards hold no draws (mc.store_draws: false): percentiles and the "
                 "UNFC rating are left out");
  }
  if (status == CET_OK) {
    status = write_output(s, n, &m, sum, &u, u.rated, output, command_line);
  }
  if (status == CET_OK && out) {
    fprintf(out, "cetwin merge: %zu shards, %llu draws (%llu..%llu)\n", n,
            (unsigned long long)sum->draws_done, (unsigned long long)sum->first_draw,
            (unsigned long long)(s[n - 1].first + s[n - 1].done - 1));
    mc_summary_print(sum, out);
    if (u.given) {
      mc_unfc_print(u.rated, u.n_rated, &u.par, out);
    }
    fprintf(out, "\nresult: %s\n", output);
  }
  mc_unfc_saved_free(&u);
  mc_summary_free(&sum);
  merged_free(&m);
  return status;
}

int cet_merge_mc(const char *const *inputs, size_t n, const char *output, const char *command_line,
                 FILE *out) {
  CET_CHECK(n >= 1, CET_ERR_INPUT, "merge: expected at least one shard");
  shard *s = calloc(n, sizeof *s);
  CET_CHECK_ALLOC(s);
  int status = CET_OK;
  for (size_t i = 0; i < n && status == CET_OK; i++) {
    for (size_t j = 0; j < i; j++) {
      if (strcmp(inputs[i], inputs[j]) == 0) {
        cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "'%s' is given twice",
                       inputs[i]);
        status = CET_ERR_INPUT;
      }
    }
    if (status == CET_OK) {
      status = open_shard(inputs[i], &s[i]);
    }
  }
  if (status == CET_OK) {
    status = run_merge(s, n, output, command_line, out);
  }
  for (size_t i = 0; i < n; i++) {
    cet_result_close(&s[i].in);
  }
  free(s);
  return status;
}
