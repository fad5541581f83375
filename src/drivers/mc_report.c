/*
 * mc_report.c — summaries of Monte Carlo metrics (see mc_impl.h): derived
 * from mergeable accumulators, printed as a table and written to
 * /mc/summary with the exact sums (so that shards merge bit for bit), and
 * read back for `cetwin merge`.
 */
#include "mc_impl.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { EXACT_WORDS = CET_XSUM_DIGITS + 1 }; /* digits, then the pending count */
enum { SHAPE_TEXT_LEN = 128 };

static const char *const SUMMARY = "/mc/summary";

int cet_drv_mc_summary_create(size_t n, const char *const *names, const char *const *units,
                              const long long *share, cet_drv_mc_summary **out) {
  *out = NULL;
  cet_drv_mc_summary *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->n_metrics = n;
  s->names = calloc(n + 1, sizeof *s->names);
  s->units = calloc(n + 1, sizeof *s->units);
  s->m = calloc(n + 1, sizeof *s->m);
  s->share = calloc(n + 1, sizeof *s->share);
  int ok = s->names && s->units && s->m && s->share;
  for (size_t k = 0; ok && k < n; k++) {
    s->names[k] = cet_strdup(names[k]);
    s->units[k] = cet_strdup(units[k]);
    s->share[k] = share[k] != 0;
    ok = s->names[k] && s->units[k];
    cet_stats_moments_init(&s->m[k].moments);
  }
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, ok);
  *out = s;
  return CET_OK;
fail:
  cet_drv_mc_summary_destroy(&s);
  return status;
}

void cet_drv_mc_summary_destroy(cet_drv_mc_summary **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_drv_mc_summary *s = *sp;
  for (size_t k = 0; k < s->n_metrics; k++) {
    free(s->names ? s->names[k] : NULL);
    free(s->units ? s->units[k] : NULL);
  }
  free(s->names);
  free(s->units);
  free(s->m);
  free(s->share);
  free(s);
  *sp = NULL;
}

int cet_drv_mc_summary_set(cet_drv_mc_summary *s, size_t k, cet_stats *acc, uint64_t n_undefined,
                           double q) {
  cet_drv_mc_metric_summary *m = &s->m[k];
  cet_stats_get_moments(acc, &m->moments);
  CET_CALL(cet_stats_summarize(acc, &m->s));
  m->n_undefined = n_undefined;
  m->q_pessimistic = NAN;
  if (m->s.has_values) { /* cet_stats_summarize leaves the quantiles NaN otherwise */
    CET_CALL(cet_stats_quantile(acc, q, &m->q_pessimistic));
  }
  return CET_OK;
}

void cet_drv_mc_summary_print_headline(const cet_drv_mc_summary *s, FILE *out) {
  char in_passes[64] = "";
  if (s->passes > 1) { /* the percentiles took selection passes over the draws */
    snprintf(in_passes, sizeof in_passes, " in %d passes", s->passes);
  }
  fprintf(out,
          "\nMonte Carlo summary: %llu draws%s%s, %.3g s (%.4g draws/s; %.3g CPU s, %.4g draws/s "
          "per core)\n",
          (unsigned long long)s->draws_done, s->stopped ? " (stopping rule met)" : "", in_passes,
          s->seconds, s->seconds > 0 ? (double)s->draws_done / s->seconds : NAN, s->cpu_seconds,
          s->cpu_seconds > 0 ? (double)s->draws_done / s->cpu_seconds : NAN);
}

enum { SUMMARY_CELL = 32 };

const char *cet_drv_mc_summary_units(const cet_drv_mc_summary *s, const char *name) {
  for (size_t k = 0; k < s->n_metrics; k++) {
    if (strcmp(s->names[k], name) == 0) {
      return s->units[k];
    }
  }
  return "";
}

void cet_drv_mc_summary_print(const cet_drv_mc_summary *s, FILE *out) {
  fprintf(out, "\n  %-24s %12s %12s %12s %12s %12s %12s %7s %12s %6s\n", "metric", "mean", "sd",
          "se", "P5", "P50", "P95", "P(<0)", "CVaR5", "undef");
  for (size_t k = 0; k < s->n_metrics; k++) {
    const cet_stats_summary *x = &s->m[k].s;
    const double v[] = {x->mean, x->sd, x->se_mean, x->p5, x->p50, x->p95};
    fprintf(out, "  %-24s", s->names[k]);
    int share = (int)s->share[k];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
      char cell[SUMMARY_CELL];
      cet_format_metric(v[i], s->units[k], share, cell, sizeof cell);
      fprintf(out, " %12s", cell);
    }
    char cvar[SUMMARY_CELL];
    cet_format_metric(x->cvar5, s->units[k], share, cvar, sizeof cvar);
    fprintf(out, " %7.4f %12s %6llu\n", x->prob_negative, cvar,
            (unsigned long long)s->m[k].n_undefined);
  }
}

/* Column name of /mc/summary, one value per metric in the metric's units
 * (unit_list), or in 1 when unit_list is NULL. */
static int write_column(cet_result *r, const char *name, const cet_drv_mc_summary *s, size_t offset,
                        const char *const *unit_list, const char *description) {
  double *v = malloc((s->n_metrics + 1) * sizeof *v);
  CET_CHECK_ALLOC(v);
  for (size_t k = 0; k < s->n_metrics; k++) {
    memcpy(&v[k], (const char *)&s->m[k] + offset, sizeof v[k]);
  }
  char path[256];
  snprintf(path, sizeof path, "%s/%s", SUMMARY, name);
  cet_dataset_meta meta = {.units = unit_list ? NULL : "1",
                           .unit_list = unit_list,
                           .n_units = unit_list ? s->n_metrics : 0,
                           .description = description,
                           .dims = "metric"};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_result_write_doubles(r, path, 1, &s->n_metrics, v, &meta));
cleanup:
  free(v);
  return status;
}

#define SUMMARY_FIELD(f) offsetof(cet_drv_mc_metric_summary, f)

/* The columns of /mc/summary, one value per metric. */
static const struct {
  const char *name;
  size_t offset;
  const char *description;
} COLUMNS[] = {
    {"mean", SUMMARY_FIELD(s.mean), "mean"},
    {"sd", SUMMARY_FIELD(s.sd), "sample standard deviation (n - 1)"},
    {"se", SUMMARY_FIELD(s.se_mean), "standard error of the mean, sd / sqrt(n)"},
    {"min", SUMMARY_FIELD(s.min), "smallest value"},
    {"max", SUMMARY_FIELD(s.max), "largest value"},
    {"p5", SUMMARY_FIELD(s.p5), "5th percentile (linear interpolation, type 7)"},
    {"p10", SUMMARY_FIELD(s.p10), "10th percentile"},
    {"p50", SUMMARY_FIELD(s.p50), "median"},
    {"p90", SUMMARY_FIELD(s.p90), "90th percentile"},
    {"p95", SUMMARY_FIELD(s.p95), "95th percentile"},
    {"prob_negative", SUMMARY_FIELD(s.prob_negative), "fraction of the values below 0"},
    {"cvar5", SUMMARY_FIELD(s.cvar5), "mean of the lowest 5 % of the values (CVaR 5 %)"},
    {"sum", SUMMARY_FIELD(s.sum), "sum of the values (correctly rounded exact sum)"},
    {"sum_sq", SUMMARY_FIELD(s.sum_sq), "sum of their squares (correctly rounded)"},
    {"q_pessimistic", SUMMARY_FIELD(q_pessimistic),
     "quantile at the UNFC pessimistic probability (attribute pessimistic_quantile of /mc)"}};
enum { N_COLUMNS = sizeof COLUMNS / sizeof COLUMNS[0] };

static int write_counts(const cet_drv_mc_summary *s, cet_result *r) {
  long long *v = malloc((3 * s->n_metrics + 1) * sizeof *v);
  CET_CHECK_ALLOC(v);
  for (size_t k = 0; k < s->n_metrics; k++) {
    v[k] = (long long)s->m[k].moments.n;
    v[s->n_metrics + k] = (long long)s->m[k].n_undefined;
    v[2 * s->n_metrics + k] = (long long)s->m[k].moments.n_negative;
  }
  cet_dataset_meta n = {
      .units = "1", .description = "number of draws with a finite value", .dims = "metric"};
  cet_dataset_meta u = {.units = "1",
                        .description = "number of draws where the metric is undefined (NaN: no "
                                       "IRR, no payback)",
                        .dims = "metric"};
  cet_dataset_meta neg = {
      .units = "1", .description = "number of finite values below 0", .dims = "metric"};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                cet_result_write_ints(r, "/mc/summary/n", 1, &s->n_metrics, v, &n));
  CET_CALL_GOTO(
      status, cleanup,
      cet_result_write_ints(r, "/mc/summary/n_undefined", 1, &s->n_metrics, v + s->n_metrics, &u));
  CET_CALL_GOTO(status, cleanup,
                cet_result_write_ints(r, "/mc/summary/n_negative", 1, &s->n_metrics,
                                      v + 2 * s->n_metrics, &neg));
cleanup:
  free(v);
  return status;
}

static int write_exact(const cet_drv_mc_summary *s, cet_result *r) {
  size_t dims[3] = {s->n_metrics, 2, EXACT_WORDS};
  long long *v = malloc((s->n_metrics * 2 * EXACT_WORDS + 1) * sizeof *v);
  CET_CHECK_ALLOC(v);
  for (size_t k = 0; k < s->n_metrics; k++) {
    cet_xsum x0 = s->m[k].moments.sum, x1 = s->m[k].moments.sum_sq;
    cet_xsum_normalize(&x0);
    cet_xsum_normalize(&x1);
    const cet_xsum *x[] = {&x0, &x1};
    for (size_t j = 0; j < sizeof x / sizeof x[0]; j++) {
      long long *row = v + (k * 2 + j) * EXACT_WORDS;
      for (size_t d = 0; d < CET_XSUM_DIGITS; d++) {
        row[d] = (long long)x[j]->digit[d];
      }
      row[CET_XSUM_DIGITS] = (long long)x[j]->pending;
    }
  }
  static const char *const cols[] = {"sum", "sum_sq"};
  cet_dataset_meta meta = {
      .units = "1",
      .description = "exact sums of the finite values and of their squares (cet_xsum: digit d "
                     "weighs 2^(32 d - 1074), the last word counts additions since the last "
                     "carry); merging shards adds them",
      .columns = cols,
      .n_columns = 0,
      .dims = "metric,exact_sum,word"};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_result_write_ints(r, "/mc/summary/exact", 3, dims, v, &meta));
cleanup:
  free(v);
  return status;
}

int cet_drv_mc_summary_write(const cet_drv_mc_summary *s, cet_result *r) {
  cet_dataset_meta names = {.description = "metrics summarised", .dims = "metric", .labels = 1};
  cet_dataset_meta units = {.description = "units of each metric", .dims = "metric"};
  CET_CALL(cet_result_write_strings(r, "/mc/summary/metrics", s->n_metrics,
                                    (const char *const *)s->names, &names));
  CET_CALL(cet_result_write_strings(r, "/mc/summary/units", s->n_metrics,
                                    (const char *const *)s->units, &units));
  CET_CALL(cet_drv_write_shares(r, "/mc/summary/share", s->n_metrics, s->share, "metric"));
  CET_CALL(write_counts(s, r));

  for (size_t i = 0; i < N_COLUMNS; i++) {
    int units_of_metric = strcmp(COLUMNS[i].name, "prob_negative") != 0;
    CET_CALL(write_column(r, COLUMNS[i].name, s, COLUMNS[i].offset,
                          units_of_metric ? (const char *const *)s->units : NULL,
                          COLUMNS[i].description));
  }
  CET_CALL(write_exact(s, r));
  return CET_OK;
}

/* "1 value", "8 values" or "20 x 8 values": a dataset's shape in words. */
static const char *const PER_NAME = "one per name in /mc/summary/metrics";

/* Reads the count dataset /mc/summary/NAME: n counts >= 0. */
static int read_counts(cet_result_reader *in, const char *name, size_t n, long long **out) {
  char path[SHAPE_TEXT_LEN];
  snprintf(path, sizeof path, "%s/%s", SUMMARY, name);
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_ints(in, path, &rank, dims, out));
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_drv_check_shape(path, rank, dims, 1, &n, PER_NAME));
  for (size_t k = 0; k < n; k++) {
    CET_CHECK_GOTO(status, fail, (*out)[k] >= 0, CET_ERR_INPUT,
                   "%s: expected counts >= 0, found %lld at entry %zu", path, (*out)[k], k);
  }
  return CET_OK;
fail:
  free(*out);
  *out = NULL;
  return status;
}

/* Reads column i of /mc/summary (COLUMNS): n values into *v (NULL after
 * a failure). */
static int read_column(cet_result_reader *in, size_t i, size_t n, double **v) {
  char path[SHAPE_TEXT_LEN];
  snprintf(path, sizeof path, "%s/%s", SUMMARY, COLUMNS[i].name);
  size_t rank = 0, dims[3] = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_result_read_doubles(in, path, &rank, dims, v));
  CET_CALL_GOTO(status, fail, cet_drv_check_shape(path, rank, dims, 1, &n, PER_NAME));
  return CET_OK;
fail:
  free(*v);
  *v = NULL;
  return status;
}

/* Reads every column of /mc/summary (COLUMNS), each n values; keeps min
 * and max. */
static int read_columns(cet_result_reader *in, size_t n, double **lo, double **hi) {
  for (size_t i = 0; i < N_COLUMNS; i++) {
    double *v = NULL;
    CET_CALL(read_column(in, i, n, &v)); /* v is NULL after a failure */
    double **keep = COLUMNS[i].offset == SUMMARY_FIELD(s.min)   ? lo
                    : COLUMNS[i].offset == SUMMARY_FIELD(s.max) ? hi
                                                                : NULL;
    if (keep) {
      *keep = v;
    } else {
      free(v);
    }
  }
  return CET_OK;
}

/* Checks the exact sums of /mc/summary/exact (n x 2 x EXACT_WORDS): written
 * normalised, every digit but the top one in [0, 2^32), the top one (the
 * sign) within +-2^32, the count of pending additions 0; so that adding
 * them cannot overflow. */
static int check_exact(const long long *exact, size_t n) {
  const long long base = 1LL << 32; /* digits are 32-bit (stats.h) */
  for (size_t w = 0; w < n * 2 * EXACT_WORDS; w++) {
    size_t d = w % EXACT_WORDS;
    long long lo = d + 1 == CET_XSUM_DIGITS ? -base : 0;
    long long hi = d == CET_XSUM_DIGITS ? 1 : base;
    CET_CHECK(exact[w] >= lo && exact[w] < hi, CET_ERR_INPUT,
              "%s/exact: expected normalised exact sums (word %zu of each in %lld..%lld), found "
              "%lld in metric %zu, %s",
              SUMMARY, d, lo, hi - 1, exact[w], w / (2 * EXACT_WORDS),
              (w / EXACT_WORDS) % 2 ? "sum_sq" : "sum");
  }
  return CET_OK;
}

int cet_drv_mc_summary_read_moments(cet_result_reader *in, size_t n, cet_stats_moments *moments,
                                    uint64_t *undefined) {
  size_t rank = 0, dims[3] = {0};
  long long *count = NULL, *neg = NULL, *undef = NULL, *exact = NULL;
  double *lo = NULL, *hi = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, read_counts(in, "n", n, &count));
  CET_CALL_GOTO(status, cleanup, read_counts(in, "n_negative", n, &neg));
  CET_CALL_GOTO(status, cleanup, read_counts(in, "n_undefined", n, &undef));
  CET_CALL_GOTO(status, cleanup, read_columns(in, n, &lo, &hi));
  CET_CALL_GOTO(status, cleanup,
                cet_result_read_ints(in, "/mc/summary/exact", &rank, dims, &exact));
  const size_t want[3] = {n, 2, EXACT_WORDS};
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape("/mc/summary/exact", rank, dims, 3, want,
                                    "per name in /mc/summary/metrics, the sum and the sum of "
                                    "squares"));
  CET_CALL_GOTO(status, cleanup, check_exact(exact, n));
  for (size_t k = 0; k < n; k++) {
    CET_CHECK_GOTO(status, cleanup, neg[k] <= count[k], CET_ERR_INPUT,
                   "%s/n_negative: expected at most %lld (the values of metric %zu, %s/n), "
                   "found %lld",
                   SUMMARY, count[k], k, SUMMARY, neg[k]);
    cet_stats_moments *m = &moments[k];
    cet_stats_moments_init(m);
    m->n = (uint64_t)count[k];
    m->n_negative = (uint64_t)neg[k];
    m->min = m->n ? lo[k] : INFINITY;
    m->max = m->n ? hi[k] : -INFINITY;
    cet_xsum *x[] = {&m->sum, &m->sum_sq};
    for (size_t j = 0; j < sizeof x / sizeof x[0]; j++) {
      const long long *row = exact + (k * 2 + j) * EXACT_WORDS;
      for (size_t d = 0; d < CET_XSUM_DIGITS; d++) {
        x[j]->digit[d] = (int64_t)row[d];
      }
      x[j]->pending = (uint64_t)row[CET_XSUM_DIGITS];
    }
    undefined[k] = (uint64_t)undef[k];
  }
cleanup:
  free(count);
  free(neg);
  free(undef);
  free(exact);
  free(lo);
  free(hi);
  return status;
}

const char *const CET_DRV_MC_DRAWS[CET_DRV_MC_DRAWS_DATASETS] = {
    "/mc/draws/index", "/mc/draws/metrics", "/mc/draws/inputs", "/mc/draws/prices"};

void cet_drv_mc_draws_meta(const cet_drv_mc_draws_units *u, cet_dataset_meta *meta) {
  meta[0] = (cet_dataset_meta){.units = "1",
                               .description = "draw index (the key of its random numbers)",
                               .dims = "draw",
                               .labels = 1};
  meta[1] = (cet_dataset_meta){.unit_list = u->metric_units,
                               .n_units = u->nm,
                               .description = "recorded metrics of each draw",
                               .columns = u->metric_names,
                               .n_columns = u->nm,
                               .dims = "draw,metric"};
  meta[2] =
      (cet_dataset_meta){.unit_list = u->input_units,
                         .n_units = u->nv,
                         .description = "values of the uncertain parameters (/mc/variables/path)",
                         .columns = u->input_names,
                         .n_columns = u->nv,
                         .dims = "draw,variable"};
  meta[3] = (cet_dataset_meta){.unit_list = u->price_units,
                               .n_units = u->n_price_units,
                               .description =
                                   "drawn price paths (/mc/variables/prices), DCF years 0..horizon",
                               .dims = "draw,price,year"};
}

/* The attributes of /mc a summary records. */
static int read_run_attrs(cet_result_reader *in, cet_drv_mc_summary *s) {
  long long requested = 0, done = 0, first = 0, stopped = 0;
  CET_CALL(cet_result_read_attr_int(in, "/mc", "draws_requested", &requested));
  CET_CALL(cet_result_read_attr_int(in, "/mc", "draws", &done));
  CET_CALL(cet_result_read_attr_int(in, "/mc", "first_draw", &first));
  CET_CALL(cet_result_read_attr_int(in, "/mc", "stopped", &stopped));
  CET_CALL(cet_result_read_attr_double(in, "/mc", "seconds", &s->seconds));
  CET_CALL(cet_result_read_attr_double(in, "/mc", "cpu_seconds", &s->cpu_seconds));
  CET_CHECK(requested >= 0 && done >= 0 && first >= 0, CET_ERR_INPUT,
            "/mc attributes draws_requested, draws, first_draw: expected counts >= 0, found "
            "%lld, %lld, %lld",
            requested, done, first);
  s->draws_requested = (uint64_t)requested;
  s->draws_done = (uint64_t)done;
  s->first_draw = (uint64_t)first;
  s->stopped = stopped != 0;
  return CET_OK;
}

int cet_drv_mc_summary_read(cet_result_reader *in, cet_drv_mc_summary **out) {
  *out = NULL;
  char **names = NULL, **units = NULL;
  size_t n = 0, n_units = 0;
  long long *undefined = NULL, *share = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, "/mc/summary/metrics", &n, &names));
  CET_CALL_GOTO(status, cleanup,
                cet_result_read_strings(in, "/mc/summary/units", &n_units, &units));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape("/mc/summary/units", 1, &n_units, 1, &n, PER_NAME));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_read_shares(in, "/mc/summary/share", n, (const char *const *)units,
                                    PER_NAME, &share));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_mc_summary_create(n, (const char *const *)names, (const char *const *)units,
                                          share, out));
  for (size_t i = 0; i < N_COLUMNS; i++) {
    double *v = NULL;
    CET_CALL_GOTO(status, cleanup, read_column(in, i, n, &v)); /* v is NULL after a failure */
    for (size_t k = 0; k < n; k++) {
      memcpy((char *)&(*out)->m[k] + COLUMNS[i].offset, &v[k], sizeof v[k]);
    }
    free(v);
  }
  CET_CALL_GOTO(status, cleanup, read_counts(in, "n_undefined", n, &undefined));
  for (size_t k = 0; k < n; k++) {
    (*out)->m[k].n_undefined = (uint64_t)undefined[k];
  }
  CET_CALL_GOTO(status, cleanup, read_run_attrs(in, *out));
cleanup:
  free(undefined);
  free(share);
  cet_free_strings(names, n);
  cet_free_strings(units, n_units);
  if (status != CET_OK) {
    cet_drv_mc_summary_destroy(out);
  }
  return status;
}
