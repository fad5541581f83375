/*
 * mc_merge.c — `cetwin merge` (see drivers.h): the /mc groups of shards of
 * one Monte Carlo sweep (the same case and seed, disjoint draw ranges, e.g.
 * the tasks of a Slurm array run with --set mc.first_draw=... --set
 * mc.draws=...) combined into one result: the exact sums are added, the
 * stored draws concatenated in draw order, and the summaries and the UNFC
 * rating of the case recomputed, so the result equals one run over all the
 * draws bit for bit. The deterministic parts (/input, /mc/deterministic,
 * /mc/scenarios, /mc/variables, the rated projects) are the same in every
 * shard and are copied from the first. Every shard is checked before
 * anything is written: its attributes within their ranges, every dataset
 * of /mc/summary, /mc/draws, /mc/variables and /mc/unfc of the type and
 * shape its names and draws give, and the same as the other shards; an
 * inconsistent shard is an input error naming the file and the dataset.
 */
#include "cetwin/economics.h"
#include "cetwin/drivers.h"

#include "mc_impl.h"
#include "shards.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/str.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MERGE_TEXT_LEN = 1024 };

/* The columns of /merge/ranges. */
static const char *const MC_RANGE_COLUMNS[2] = {"first_draw", "draws"};

/* Overrides that may differ between the shards of one sweep. */
static const char *const SHARD_KEYS[] = {"mc.first_draw=", "mc.draws=", "mc.store_draws=", NULL};

typedef struct {
  cet_drv_shard file; /* first: a shard is its file and its range of draws */
  long long seed, requested, stopped, block, store, quantiles;
  double seconds, cpu_seconds, q;
} shard;

static int shard_fail(const shard *s, int status) {
  return cet_drv_shard_fail(s->file.path, status);
}

/* Strings of a dataset equal in a and b (overrides: up to the shard keys). */
static int same_strings(shard *a, shard *b, const char *path, int overrides) {
  return cet_drv_shards_same_strings(&a->file, &b->file, path, overrides ? SHARD_KEYS : NULL,
                                     "only mc.first_draw, mc.draws and mc.store_draws may differ");
}

/* CET_OK when attribute name of /mc of s, value, lies in lo..hi. */
static int attr_within(const shard *s, const char *name, long long value, long long lo,
                       long long hi, const char *why) {
  CET_CHECK(value >= lo && value <= hi, CET_ERR_INPUT,
            "%s: /mc attribute %s: expected %lld..%lld%s, found %lld", s->file.path, name, lo, hi,
            why, value);
  return CET_OK;
}

/* The attributes of /mc a merge relies on: draw indices that fit in 64
 * bits (first_draw + draws), at least one draw, flags 0 or 1, a block, a
 * probability, times. */
static int check_attrs(const shard *s) {
  char fits[MERGE_TEXT_LEN];
  snprintf(fits, sizeof fits, " (first_draw %lld + draws must not pass 2^63 - 1)", s->file.first);
  CET_CALL(attr_within(s, "first_draw", s->file.first, 0, LLONG_MAX, ""));
  CET_CALL(attr_within(s, "draws", s->file.count, 1, LLONG_MAX - s->file.first, fits));
  CET_CALL(attr_within(s, "draws_requested", s->requested, s->file.count, LLONG_MAX - s->file.first,
                       fits));
  CET_CALL(attr_within(s, "stopped", s->stopped, 0, 1, ""));
  CET_CALL(attr_within(s, "block", s->block, 1, LLONG_MAX, ""));
  CET_CALL(attr_within(s, "store_draws", s->store, 0, 1, ""));
  CET_CALL(attr_within(s, "quantiles", s->quantiles, 0, 1, ""));
  CET_CHECK(s->q > 0.0 && s->q < 1.0, CET_ERR_INPUT,
            "%s: /mc attribute pessimistic_quantile: expected a probability in (0, 1), found %g",
            s->file.path, s->q);
  CET_CHECK(s->seconds >= 0.0 && s->cpu_seconds >= 0.0 && isfinite(s->seconds + s->cpu_seconds),
            CET_ERR_INPUT,
            "%s: /mc attributes seconds, cpu_seconds: expected times >= 0, found %g, %g",
            s->file.path, s->seconds, s->cpu_seconds);
  CET_CHECK(s->store || !cet_result_has(s->file.in, "/mc/draws"), CET_ERR_INPUT,
            "%s: /mc/draws: expected none (/mc attribute store_draws is 0), found the group",
            s->file.path);
  return CET_OK;
}

/* The attributes of the open shard s, as they are. */
static int read_attrs(shard *s) {
  const char *const ints[] = {"first_draw", "draws",       "draws_requested", "stopped",
                              "block",      "store_draws", "quantiles"};
  long long *dst[] = {&s->file.first, &s->file.count, &s->requested, &s->stopped,
                      &s->block,      &s->store,      &s->quantiles};
  for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
    CET_CALL(cet_result_read_attr_int(s->file.in, "/mc", ints[k], dst[k]));
  }
  CET_CALL(cet_result_read_attr_int(s->file.in, "/", "seed", &s->seed));
  const char *const reals[] = {"seconds", "cpu_seconds", "pessimistic_quantile"};
  double *rdst[] = {&s->seconds, &s->cpu_seconds, &s->q};
  for (size_t k = 0; k < sizeof reals / sizeof reals[0]; k++) {
    CET_CALL(cet_result_read_attr_double(s->file.in, "/mc", reals[k], rdst[k]));
  }
  return CET_OK;
}

/* Reads the attributes of the open shard s. */
static int read_shard(shard *s) {
  CET_CHECK(read_attrs(s) == CET_OK, CET_ERR_INPUT, "'%s' is not a complete Monte Carlo result",
            s->file.path);
  return check_attrs(s);
}

/* Lists of strings every shard of a sweep holds the same (/mc/unfc's when
 * the case is rated). */
static const char *const SAME_LISTS[] = {"/mc/summary/metrics",   "/mc/summary/units",
                                         "/mc/variables/path",    "/mc/variables/kind",
                                         "/mc/variables/prices",  "/mc/unfc/rated",
                                         "/mc/unfc/case_factors", "/mc/unfc/case_factor_ratings"};
enum { SAME_LISTS_ALWAYS = 5 };

static int compare_shards(shard *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    CET_CHECK(s[i].seed == s[0].seed, CET_ERR_INPUT,
              "'%s' (seed %lld) and '%s' (seed %lld): shards of one sweep share the seed",
              s[0].file.path, s[0].seed, s[i].file.path, s[i].seed);
    CET_CALL(same_strings(&s[0], &s[i], "/input/texts", 0));
    CET_CALL(same_strings(&s[0], &s[i], "/input/overrides", 1));
    int rated = cet_result_has(s[0].file.in, "/mc/unfc");
    CET_CHECK(rated == cet_result_has(s[i].file.in, "/mc/unfc"), CET_ERR_INPUT,
              "'%s' and '%s' are not shards of one sweep: /mc/unfc is in %s only", s[0].file.path,
              s[i].file.path, rated ? "the first" : "the second");
    size_t lists = rated ? sizeof SAME_LISTS / sizeof SAME_LISTS[0] : SAME_LISTS_ALWAYS;
    for (size_t k = 0; k < lists; k++) {
      CET_CALL(same_strings(&s[0], &s[i], SAME_LISTS[k], 0));
    }
    CET_CHECK(s[0].block == s[i].block && s[0].quantiles == s[i].quantiles, CET_ERR_INPUT,
              "'%s' and '%s' are not shards of one sweep: /mc attributes block and quantiles: "
              "%lld and %lld in the first, %lld and %lld in the second",
              s[0].file.path, s[i].file.path, s[0].block, s[0].quantiles, s[i].block,
              s[i].quantiles);
    CET_CHECK(s[0].q == s[i].q, CET_ERR_INPUT,
              "'%s' and '%s' are not shards of one sweep: /mc attribute pessimistic_quantile: %g "
              "in the first, %g in the second",
              s[0].file.path, s[i].file.path, s[0].q, s[i].q);
  }
  return CET_OK;
}

static int check_ranges(shard *s, size_t n) {
  uint64_t total = 0;
  CET_CALL(cet_drv_shards_check_ranges(s, sizeof *s, n, "draws", &total));
  long long requested = 0;
  for (size_t i = 0; i < n; i++) {
    CET_CALL(attr_within(&s[i], "draws_requested", s[i].requested, s[i].file.count,
                         LLONG_MAX - requested,
                         " (the draws requested by all shards must fit in 64 bits)"));
    requested += s[i].requested;
  }
  return CET_OK;
}

/* ---- statistics ---- */

static const char *const SHARE = "/mc/summary/share";
static const char *const PER_METRIC = "one per name in /mc/summary/metrics";

typedef struct {
  size_t nm;
  char **names, **units;
  size_t n_names, n_units;
  long long *share;        /* [nm] 1: a share (the first shard's /mc/summary/share) */
  int has_share;           /* 1: the first shard records /mc/summary/share */
  size_t n_vars, n_prices; /* /mc/variables/path, /mc/variables/prices */
  cet_stats **acc;         /* [nm] */
  uint64_t *undefined;     /* [nm] */
  int values;              /* 1: every shard has its draws */
  int from_values;         /* 1: the statistics come from them (mc.quantiles) */
  double *draws[3];        /* concatenated metrics, inputs, prices */
  long long *index;        /* concatenated draw indices */
  size_t rows, cols[3];    /* cols: metrics, inputs, prices per row */
  size_t price_dims[2];    /* prices: series, years */
  const char *years_from;  /* the shard that set the years of the price paths */
} merged;

static void merged_free(merged *m) {
  cet_free_strings(m->names, m->n_names);
  cet_free_strings(m->units, m->n_units);
  free(m->share);
  for (size_t k = 0; m->acc && k < m->nm; k++) {
    cet_stats_destroy(&m->acc[k]);
  }
  free(m->acc);
  free(m->undefined);
  for (size_t k = 0; k < sizeof m->draws / sizeof m->draws[0]; k++) {
    free(m->draws[k]);
  }
  free(m->index);
}

/* The number of entries of the list of strings at path in s. */
static int list_length(shard *s, const char *path, size_t *n) {
  char **list = NULL;
  CET_CALL(cet_result_read_strings(s->file.in, path, n, &list));
  cet_free_strings(list, *n);
  return CET_OK;
}

/* The names of the metrics and of the variables (the same in every shard,
 * compare_shards), checked against each other. */
static int read_names(shard *s, merged *m) {
  size_t n_kind = 0;
  CET_CALL(cet_result_read_strings(s->file.in, "/mc/summary/metrics", &m->n_names, &m->names));
  CET_CALL(cet_result_read_strings(s->file.in, "/mc/summary/units", &m->n_units, &m->units));
  m->nm = m->n_names;
  CET_CALL(cet_drv_check_shape("/mc/summary/units", 1, &m->n_units, 1, &m->n_names, PER_METRIC));
  m->has_share = cet_result_has(s->file.in, SHARE) != 0;
  CET_CALL(cet_drv_read_shares(s->file.in, SHARE, m->nm, (const char *const *)m->units, PER_METRIC,
                               &m->share));
  CET_CALL(list_length(s, "/mc/variables/path", &m->n_vars));
  CET_CALL(list_length(s, "/mc/variables/kind", &n_kind));
  CET_CALL(cet_drv_check_shape("/mc/variables/kind", 1, &n_kind, 1, &m->n_vars,
                               "one per entry of /mc/variables/path"));
  CET_CALL(list_length(s, "/mc/variables/prices", &m->n_prices));
  return CET_OK;
}

/* Reads /mc/draws/NAME of s (k: 1 metrics, 2 inputs, 3 prices) and checks
 * its shape: one row per draw, the columns the names give. */
static int read_draw_values(shard *s, merged *m, size_t k, double **out) {
  size_t rows = (size_t)s->file.count, rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_doubles(s->file.in, CET_DRV_MC_DRAWS[k], &rank, dims, out));
  cet_drv_mc_draws_units units = {.metric_names = (const char *const *)m->names, .nm = m->nm};
  cet_dataset_meta meta[CET_DRV_MC_DRAWS_DATASETS];
  cet_drv_mc_draws_meta(&units, meta);
  size_t want_rank = k == 3 ? 3 : 2;
  CET_CHECK(rank == want_rank, CET_ERR_INPUT, "%s: expected %zu dimensions (%s), found %zu",
            CET_DRV_MC_DRAWS[k], want_rank, meta[k].dims, rank);
  if (k == 3 && !m->years_from) {
    m->price_dims[1] = dims[2];
    m->years_from = s->file.path;
  }
  size_t want[3] = {rows, k == 1 ? m->nm : k == 2 ? m->n_vars : m->n_prices, m->price_dims[1]};
  int other_years = k == 3 && strcmp(m->years_from, s->file.path) != 0;
  char why[MERGE_TEXT_LEN];
  snprintf(why, sizeof why, "one row per draw, as /mc attribute draws says; %s%s%s",
           k == 1   ? "one column per name in /mc/summary/metrics"
           : k == 2 ? "one column per entry of /mc/variables/path"
                    : "one path per entry of /mc/variables/prices",
           other_years ? ", of as many years as in " : "", other_years ? m->years_from : "");
  return cet_drv_check_shape(CET_DRV_MC_DRAWS[k], rank, dims, want_rank, want, why);
}

/* Appends rows x cols values to *buf holding at rows of cols. */
static int append(void **buf, size_t at, size_t rows, size_t cols, size_t size, const void *v) {
  CET_CALL(cet_array_grow(buf, NULL, (at + rows) * cols + 1, size));
  if (rows * cols > 0) {
    memcpy((char *)*buf + at * cols * size, v, rows * cols * size);
  }
  return CET_OK;
}

/* Reads and checks the draws of shard s: their indices first_draw ..
 * first_draw + draws - 1 in order, their values of the shapes the names
 * give, their undefined (non-finite) metrics as many as the summary counts
 * (undefined); with m->values appends them to m, with m->from_values adds
 * them to the statistics. */
static int read_draws(shard *s, merged *m, const uint64_t *undefined) {
  size_t rows = (size_t)s->file.count, rank = 0, dims[3] = {0};
  long long *index = NULL;
  double *data[3] = {NULL};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                cet_result_read_ints(s->file.in, CET_DRV_MC_DRAWS[0], &rank, dims, &index));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape(CET_DRV_MC_DRAWS[0], rank, dims, 1, &rows,
                                    "one per draw, as /mc attribute draws says"));
  for (size_t r = 0; r < rows; r++) {
    CET_CHECK_GOTO(status, cleanup, index[r] == s->file.first + (long long)r, CET_ERR_INPUT,
                   "%s: expected draw %lld at row %zu (/mc attribute first_draw + row), found %lld",
                   CET_DRV_MC_DRAWS[0], s->file.first + (long long)r, r, index[r]);
  }
  for (size_t k = 0; k < sizeof data / sizeof data[0]; k++) {
    CET_CALL_GOTO(status, cleanup, read_draw_values(s, m, k + 1, &data[k]));
  }
  for (size_t k = 0; k < m->nm; k++) {
    uint64_t bad = 0;
    for (size_t r = 0; r < rows; r++) {
      bad += !isfinite(data[0][r * m->nm + k]);
    }
    CET_CHECK_GOTO(status, cleanup, bad == undefined[k], CET_ERR_INPUT,
                   "/mc/summary/n_undefined: expected %llu for metric '%s' (its non-finite values "
                   "in /mc/draws/metrics), found %llu",
                   (unsigned long long)bad, m->names[k], (unsigned long long)undefined[k]);
  }
  for (size_t r = 0; m->from_values && r < rows; r++) {
    for (size_t k = 0; k < m->nm; k++) {
      double x = data[0][r * m->nm + k];
      if (isfinite(x)) {
        CET_CALL_GOTO(status, cleanup, cet_stats_add(m->acc[k], x));
      }
    }
  }
  if (m->values) {
    const size_t cols[3] = {m->nm, m->n_vars, m->n_prices * m->price_dims[1]};
    CET_CALL_GOTO(status, cleanup,
                  append((void **)&m->index, m->rows, rows, 1, sizeof *index, index));
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
      m->cols[k] = cols[k];
      CET_CALL_GOTO(status, cleanup,
                    append((void **)&m->draws[k], m->rows, rows, cols[k], sizeof(double), data[k]));
    }
    m->rows += rows;
  }
cleanup:
  free(index);
  for (size_t k = 0; k < sizeof data / sizeof data[0]; k++) {
    free(data[k]);
  }
  return status;
}

/* Reads and checks the summary (and the draws) of shard s into m. */
static int merge_shard(shard *s, merged *m, cet_stats_moments *moments, uint64_t *undefined) {
  CET_CALL(cet_drv_shards_same_shares(s->file.in, SHARE, m->nm, (const char *const *)m->names,
                                      (const char *const *)m->units, PER_METRIC, m->share,
                                      m->has_share));
  CET_CALL(cet_drv_mc_summary_read_moments(s->file.in, m->nm, moments, undefined));
  for (size_t k = 0; k < m->nm; k++) {
    CET_CHECK(moments[k].n + undefined[k] == (uint64_t)s->file.count, CET_ERR_INPUT,
              "/mc/summary/n and n_undefined: expected %lld draws in all for metric '%s' (/mc "
              "attribute draws), found %llu + %llu",
              s->file.count, m->names[k], (unsigned long long)moments[k].n,
              (unsigned long long)undefined[k]);
  }
  if (s->store) {
    CET_CALL(read_draws(s, m, undefined));
  }
  for (size_t k = 0; k < m->nm; k++) {
    m->undefined[k] += undefined[k];
    if (!m->from_values) {
      CET_CALL(cet_stats_add_moments(m->acc[k], &moments[k]));
    }
  }
  return CET_OK;
}

static int merge_statistics(shard *s, size_t n, merged *m) {
  CET_CALL(shard_fail(&s[0], read_names(&s[0], m)));
  m->values = 1;
  for (size_t i = 0; i < n; i++) {
    m->values &= s[i].store != 0;
  }
  m->from_values = m->values && s[0].quantiles;
  m->price_dims[0] = m->n_prices;
  m->acc = calloc(m->nm + 1, sizeof *m->acc);
  m->undefined = calloc(m->nm + 1, sizeof *m->undefined);
  cet_stats_moments *moments = calloc(m->nm + 1, sizeof *moments);
  uint64_t *undefined = calloc(m->nm + 1, sizeof *undefined);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, m->acc && m->undefined && moments && undefined);
  for (size_t k = 0; k < m->nm; k++) {
    CET_CALL_GOTO(status, cleanup, cet_stats_create(&m->acc[k], m->from_values, 0));
  }
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, cleanup, shard_fail(&s[i], merge_shard(&s[i], m, moments, undefined)));
  }
cleanup:
  free(moments);
  free(undefined);
  return status;
}

/* ---- output ---- */

static int write_draws(const merged *m, cet_result *out) {
  cet_result_rows all = {.tail_first = 0, .tail_rows = m->rows};
  size_t d1[1] = {m->rows}, d2[2] = {m->rows, m->cols[0]}, dv[2] = {m->rows, m->cols[1]};
  size_t dp[3] = {m->rows, m->price_dims[0], m->price_dims[1]};
  cet_drv_mc_draws_units units = {.metric_names = (const char *const *)m->names,
                                  .metric_units = (const char *const *)m->units,
                                  .nm = m->nm};
  cet_dataset_meta meta[CET_DRV_MC_DRAWS_DATASETS];
  cet_drv_mc_draws_meta(&units, meta);
  CET_CALL(cet_result_write_rows(out, CET_DRV_MC_DRAWS[0], CET_RESULT_INT64, 1, d1, &all, m->index,
                                 &meta[0]));
  CET_CALL(cet_result_write_rows(out, CET_DRV_MC_DRAWS[1], CET_RESULT_DOUBLE, 2, d2, &all,
                                 m->draws[0], &meta[1]));
  CET_CALL(cet_result_write_rows(out, CET_DRV_MC_DRAWS[2], CET_RESULT_DOUBLE, 2, dv, &all,
                                 m->draws[1], &meta[2]));
  CET_CALL(cet_result_write_rows(out, CET_DRV_MC_DRAWS[3], CET_RESULT_DOUBLE, 3, dp, &all,
                                 m->draws[2], &meta[3]));
  return CET_OK;
}

static int write_attrs(const shard *s, size_t n, const cet_drv_mc_summary *sum, int store_draws,
                       cet_result *out, const char *command_line) {
  CET_CALL(cet_drv_merge_write_root(out, &s[0].file, n, command_line));
  CET_CALL(cet_result_copy(out, s[0].file.in, "/mc", 1));
  CET_CALL(cet_result_attr_int(out, "/mc", "draws_requested", (long long)sum->draws_requested));
  CET_CALL(cet_result_attr_int(out, "/mc", "draws", (long long)sum->draws_done));
  CET_CALL(cet_result_attr_int(out, "/mc", "first_draw", (long long)sum->first_draw));
  CET_CALL(cet_result_attr_int(out, "/mc", "stopped", sum->stopped));
  CET_CALL(cet_result_attr_int(out, "/mc", "store_draws", store_draws));
  CET_CALL(cet_result_attr_double(out, "/mc", "seconds", sum->seconds));
  CET_CALL(cet_result_attr_double(out, "/mc", "cpu_seconds", sum->cpu_seconds));
  return CET_OK;
}

static int write_output(shard *s, size_t n, const merged *m, const cet_drv_mc_summary *sum,
                        const cet_drv_mc_unfc_saved *u, const cet_drv_mc_rated *rated,
                        const char *output, const char *command_line) {
  cet_result *out = NULL;
  CET_CALL(cet_result_create(output, MPI_COMM_SELF, 0, &out));
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, write_attrs(s, n, sum, m->values, out, command_line));
  const char *const copied[] = {"/input", "/mc/deterministic", "/mc/scenarios", "/mc/variables"};
  for (size_t k = 0; k < sizeof copied / sizeof copied[0]; k++) {
    if (cet_result_has(s[0].file.in, copied[k])) {
      CET_CALL_GOTO(status, cleanup, cet_result_copy(out, s[0].file.in, copied[k], 0));
    }
  }
  CET_CALL_GOTO(status, cleanup, cet_drv_mc_summary_write(sum, out));
  if (u->given) {
    CET_CALL_GOTO(status, cleanup,
                  cet_drv_mc_unfc_write(out, rated, u->n_rated, &u->par, u->q, u->n_factors,
                                        u->factor_name, u->factor, sum));
  }
  if (m->values) {
    CET_CALL_GOTO(status, cleanup, write_draws(m, out));
    /* the inputs' names and units and the prices' units, as the shards have them */
    for (size_t k = 2; k < CET_DRV_MC_DRAWS_DATASETS; k++) {
      CET_CALL_GOTO(status, cleanup, cet_result_copy(out, s[0].file.in, CET_DRV_MC_DRAWS[k], 1));
    }
  }
  CET_CALL_GOTO(status, cleanup,
                cet_drv_merge_write_shards(out, s, sizeof *s, n, MC_RANGE_COLUMNS, "draw"));
  return cet_result_commit(&out);
cleanup:
  cet_result_discard(&out);
  return status;
}

/* Reads /mc/unfc of s (if any) and checks it against /mc: a rating needs
 * the quantiles, the case's rating comes first, at the quantile the
 * summary has. */
static int read_unfc(shard *s, cet_drv_mc_unfc_saved *u) {
  CET_CALL(cet_drv_mc_unfc_read(s->file.in, u));
  if (u->given) {
    CET_CHECK(s->quantiles, CET_ERR_INPUT,
              "/mc/unfc: expected none (/mc attribute quantiles is 0, and the rating needs the "
              "quantile of the draws), found the group");
    CET_CHECK(u->n_rated > 0, CET_ERR_INPUT,
              "/mc/unfc/rated: expected the case and its projects, found no entry");
    CET_CHECK(u->q == s->q, CET_ERR_INPUT,
              "/mc/unfc attribute pessimistic_quantile: expected %g (as /mc), found %g", s->q,
              u->q);
  }
  return CET_OK;
}

/* The summary of the merged statistics. */
static int summarize(shard *s, size_t n, merged *m, double q, cet_drv_mc_summary **out) {
  CET_CALL(cet_drv_mc_summary_create(m->nm, (const char *const *)m->names,
                                     (const char *const *)m->units, m->share, out));
  cet_drv_mc_summary *sum = *out;
  for (size_t k = 0; k < m->nm; k++) {
    CET_CALL(cet_drv_mc_summary_set(sum, k, m->acc[k], m->undefined[k], q));
  }
  sum->first_draw = (uint64_t)s[0].file.first;
  for (size_t i = 0; i < n; i++) {
    sum->draws_requested += (uint64_t)s[i].requested;
    sum->draws_done += (uint64_t)s[i].file.count;
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
  cet_drv_mc_summary *sum = NULL;
  cet_drv_mc_unfc_saved u = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, merge_statistics(s, n, &m));
  for (size_t i = n; i-- > 0;) {
    cet_drv_mc_unfc_saved_free(&u); /* every shard's is checked; the first's is kept */
    CET_CALL_GOTO(status, cleanup, shard_fail(&s[i], read_unfc(&s[i], &u)));
  }
  CET_CALL_GOTO(status, cleanup, summarize(s, n, &m, s[0].q, &sum));
  if (u.given && m.from_values) {
    CET_CALL_GOTO(
        status, cleanup,
        shard_fail(&s[0], cet_drv_mc_unfc_rate_case(sum, &u.par, u.q, u.n_factors, u.factor_name,
                                                    u.factor, &u.rated[0])));
  } else if (u.given) {
    u.given = 0; /* the case's rating needs the quantile of the draws */
    cet_log_warn("merge: the shards hold no draws (mc.store_draws: false): percentiles and the "
                 "UNFC rating are left out");
  }
  CET_CALL_GOTO(status, cleanup, write_output(s, n, &m, sum, &u, u.rated, output, command_line));
  if (out) {
    fprintf(out, "cetwin merge: %zu shards, %llu draws (%llu..%llu)\n", n,
            (unsigned long long)sum->draws_done, (unsigned long long)sum->first_draw,
            (unsigned long long)(s[n - 1].file.first + s[n - 1].file.count - 1));
    cet_drv_mc_summary_print(sum, out);
    if (u.given) {
      cet_drv_mc_unfc_print(u.rated, u.n_rated, &u.par,
                            cet_drv_mc_summary_units(sum, CET_METRIC_NPV), out);
    }
    fprintf(out, "\nresult: %s\n", output);
  }
cleanup:
  cet_drv_mc_unfc_saved_free(&u);
  cet_drv_mc_summary_destroy(&sum);
  merged_free(&m);
  return status;
}

int cet_merge_mc(const char *const *inputs, size_t n, const char *output, const char *command_line,
                 FILE *out) {
  CET_CHECK(n >= 1, CET_ERR_INPUT, "merge: expected at least one shard");
  shard *s = calloc(n, sizeof *s);
  CET_CHECK_ALLOC(s);
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_drv_shards_open(inputs, n, "mc", s, sizeof *s));
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, cleanup, read_shard(&s[i]));
  }
  CET_CALL_GOTO(status, cleanup, run_merge(s, n, output, command_line, out));
cleanup:
  cet_drv_shards_close(s, sizeof *s, n);
  free(s);
  return status;
}
