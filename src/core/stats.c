/*
 * stats.c — mergeable summary statistics (see stats.h for the design): the
 * moments from exact sums (xsum.h), the values and their order statistics.
 */
#include "cetwin/stats.h"

#include "xsum_accumulate.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Values are limited to |x| < 2^511 so that x * x stays finite. */
static const double VALUE_LIMIT = 0x1p511;

/* ---- double-double helpers for the derived moments --------------------- */

typedef struct {
  double hi, lo;
} dd;

static dd quick_two_sum(double a, double b) {
  double s = a + b;
  return (dd){s, b - (s - a)};
}

static dd dd_add(dd a, dd b) {
  double s = a.hi + b.hi;
  double bb = s - a.hi;
  double e = (a.hi - (s - bb)) + (b.hi - bb);
  return quick_two_sum(s, e + a.lo + b.lo);
}

static dd dd_mul(dd a, dd b) {
  double p = a.hi * b.hi;
  double e = fma(a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi);
  return quick_two_sum(p, e);
}

static dd dd_div(dd a, double d) {
  double q1 = a.hi / d;
  double p = q1 * d;
  double pe = fma(q1, d, -p);
  double r = ((a.hi - p) - pe) + a.lo;
  return quick_two_sum(q1, r / d);
}

/* ---- moments ----------------------------------------------------------- */

void cet_stats_moments_init(cet_stats_moments *m) {
  memset(m, 0, sizeof *m);
  m->min = INFINITY;
  m->max = -INFINITY;
}

void cet_stats_moments_merge(cet_stats_moments *m, const cet_stats_moments *other) {
  m->n += other->n;
  m->n_negative += other->n_negative;
  m->min = fmin(m->min, other->min);
  m->max = fmax(m->max, other->max);
  cet_xsum_merge(&m->sum, &other->sum);
  cet_xsum_merge(&m->sum_sq, &other->sum_sq);
}

/* ---- accumulator ------------------------------------------------------- */

/* The LSD radix sort of sort_total: 8 passes of 8 bits. */
enum { RADIX_MIN = 256, RADIX_PASSES = 8, RADIX_BUCKETS = 256 };

struct cet_stats {
  cet_stats_moments m;
  int keep;
  int sorted; /* values are in the order of sort_total */
  double *values;
  size_t n_values, capacity;
  /* scratch of sort_total reserved by cet_stats_reserve_sort (else NULL) */
  uint64_t *sort_keys;                     /* [2 x sort_capacity] */
  size_t (*sort_histogram)[RADIX_BUCKETS]; /* [RADIX_PASSES] */
  size_t sort_capacity;
  int has_order;         /* order statistics given by cet_stats_set_order (no values) */
  cet_stats_order order; /* valid when has_order */
};

int cet_stats_create(cet_stats **s, int keep_values, size_t capacity) {
  *s = NULL;
  cet_stats *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  cet_stats_moments_init(&t->m);
  t->keep = keep_values != 0;
  *s = t;
  int status = CET_OK;
  if (t->keep && capacity > 0) {
    CET_CALL_GOTO(status, fail, cet_stats_reserve(t, capacity));
  }
  return CET_OK;
fail:
  cet_stats_destroy(s);
  return status;
}

void cet_stats_reset(cet_stats *s) {
  cet_stats_moments_init(&s->m);
  s->n_values = 0;
  s->sorted = 0;
  s->has_order = 0;
}

void cet_stats_destroy(cet_stats **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  free((*s)->values);
  free((*s)->sort_keys);
  free((*s)->sort_histogram);
  free(*s);
  *s = NULL;
}

int cet_stats_reserve(cet_stats *s, size_t n) {
  if (!s->keep || n <= s->capacity) {
    return CET_OK;
  }
  CET_CALL(cet_array_grow(&s->values, NULL, n, sizeof *s->values));
  s->capacity = n;
  return CET_OK;
}

static int check_value(double x) {
  CET_CHECK(isfinite(x), CET_ERR_INPUT, "statistics: expected a finite value, found %g", x);
  CET_CHECK(fabs(x) < VALUE_LIMIT, CET_ERR_INPUT,
            "statistics: |value| must be below 2^511 so that its square is finite, found %g", x);
  return CET_OK;
}

int cet_stats_add(cet_stats *s, double x) {
  CET_CALL(check_value(x));
  if (s->keep) {
    if (s->n_values == s->capacity) {
      CET_CALL(cet_stats_reserve(s, s->capacity > 0 ? 2 * s->capacity : 64));
    }
    s->values[s->n_values++] = x;
    s->sorted = 0;
  }
  s->has_order = 0;
  double sq = x * x;
  s->m.n++;
  s->m.n_negative += x < 0.0;
  s->m.min = fmin(s->m.min, x);
  s->m.max = fmax(s->m.max, x);
  xsum_accumulate(&s->m.sum, x);
  xsum_accumulate(&s->m.sum_sq, sq);
  xsum_accumulate(&s->m.sum_sq, fma(x, x, -sq));
  return CET_OK;
}

int cet_stats_merge(cet_stats *s, const cet_stats *other) {
  CET_CHECK(s->keep == other->keep, CET_ERR_INPUT,
            "statistics: cannot merge an accumulator %s values into one %s them",
            other->keep ? "that keeps" : "without", s->keep ? "that keeps" : "without");
  if (s->keep) {
    CET_CALL(cet_stats_reserve(s, s->n_values + other->n_values));
    if (other->n_values > 0) {
      memcpy(s->values + s->n_values, other->values, other->n_values * sizeof(double));
    }
    s->sorted = s->sorted && other->n_values == 0;
    s->n_values += other->n_values;
  }
  s->has_order = 0;
  cet_stats_moments_merge(&s->m, &other->m);
  return CET_OK;
}

size_t cet_stats_count(const cet_stats *s) { return (size_t)s->m.n; }

void cet_stats_get_moments(const cet_stats *s, cet_stats_moments *m) { *m = s->m; }

int cet_stats_add_moments(cet_stats *s, const cet_stats_moments *m) {
  CET_CHECK(!s->keep, CET_ERR_INPUT,
            "statistics: cannot add bare moments to an accumulator that keeps values");
  s->has_order = 0;
  cet_stats_moments_merge(&s->m, m);
  return CET_OK;
}

const double *cet_stats_values(const cet_stats *s) { return s->keep ? s->values : NULL; }

/* Total order on finite doubles: numeric, with -0.0 before +0.0, so that the
 * sorted array is the same bits whatever the input order. */
static int compare_total(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  if (a < b) {
    return -1;
  }
  if (a > b) {
    return 1;
  }
  return (signbit(b) != 0) - (signbit(a) != 0);
}

/* The order of compare_total as an unsigned key: the sign bit flipped for
 * positive numbers, every bit for negative ones. */
uint64_t cet_stats_key(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
}

double cet_stats_key_value(uint64_t key) {
  uint64_t b = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/* LSD radix sort of the keys, 8 bits per pass, skipping the passes in which
 * all keys share the digit: O(n), several times faster than qsort on the
 * million values of a Monte Carlo metric. key holds 2 n keys and histogram
 * RADIX_PASSES rows (both scratch). */
static void radix_sort(double *x, size_t n, uint64_t *key, size_t (*histogram)[RADIX_BUCKETS]) {
  enum { PASSES = RADIX_PASSES, BUCKETS = RADIX_BUCKETS };
  uint64_t *a = key, *b = key + n;
  memset(histogram, 0, PASSES * sizeof *histogram);
  for (size_t i = 0; i < n; i++) { /* every pass's histogram in one read */
    uint64_t k = cet_stats_key(x[i]);
    a[i] = k;
    for (int pass = 0; pass < PASSES; pass++) {
      histogram[pass][(k >> (8 * pass)) & (BUCKETS - 1)]++;
    }
  }
  for (int pass = 0; pass < PASSES; pass++) {
    const int shift = 8 * pass;
    size_t *count = histogram[pass];
    if (count[(a[0] >> shift) & (BUCKETS - 1)] == n) {
      continue;
    }
    size_t start = 0;
    for (int d = 0; d < BUCKETS; d++) {
      size_t c = count[d];
      count[d] = start;
      start += c;
    }
    for (size_t i = 0; i < n; i++) {
      b[count[(a[i] >> shift) & (BUCKETS - 1)]++] = a[i];
    }
    uint64_t *t = a;
    a = b;
    b = t;
  }
  for (size_t i = 0; i < n; i++) {
    x[i] = cet_stats_key_value(a[i]);
  }
}

/* Sorts the values of s under the total order (one result whatever the
 * algorithm): the radix sort in the scratch reserved by
 * cet_stats_reserve_sort when it is large enough (no allocation; glibc's
 * qsort may allocate), else qsort below RADIX_MIN values, else the radix
 * sort in scratch allocated here (qsort when that fails). */
static void sort_total(cet_stats *s) {
  if (s->sort_keys && s->n_values <= s->sort_capacity) {
    radix_sort(s->values, s->n_values, s->sort_keys, s->sort_histogram);
    return;
  }
  cet_stats_sort_array(s->values, s->n_values);
}

void cet_stats_sort_array(double *x, size_t n) {
  if (n == 0) {
    return; /* x may be NULL: qsort's argument must not be */
  }
  if (n < RADIX_MIN) {
    qsort(x, n, sizeof *x, compare_total);
    return;
  }
  uint64_t *key = malloc(2 * n * sizeof *key);
  size_t(*histogram)[RADIX_BUCKETS] = malloc(RADIX_PASSES * sizeof *histogram);
  if (key && histogram) {
    radix_sort(x, n, key, histogram);
  } else {
    qsort(x, n, sizeof *x, compare_total);
  }
  free(key);
  free(histogram);
}

int cet_stats_reserve_sort(cet_stats *s, size_t n) {
  CET_CHECK(s->keep, CET_ERR_INPUT, "statistics: only an accumulator that keeps values sorts");
  CET_CALL(cet_stats_reserve(s, n));
  if (n <= s->sort_capacity) {
    return CET_OK;
  }
  CET_CHECK(n <= SIZE_MAX / (2 * sizeof(uint64_t)), CET_ERR_MEMORY, "cannot sort %zu values", n);
  CET_CALL(cet_array_grow(&s->sort_keys, NULL, 2 * n, sizeof *s->sort_keys));
  if (!s->sort_histogram) {
    s->sort_histogram = malloc(RADIX_PASSES * sizeof *s->sort_histogram);
    CET_CHECK_ALLOC(s->sort_histogram);
  }
  s->sort_capacity = n;
  return CET_OK;
}

static int sorted_values(cet_stats *s) {
  CET_CHECK(s->keep, CET_ERR_INPUT,
            "statistics: percentiles and CVaR need an accumulator that keeps values");
  CET_CHECK(s->n_values > 0, CET_ERR_INPUT, "statistics: no values");
  return cet_stats_sort(s);
}

int cet_stats_sort(cet_stats *s) {
  CET_CHECK(s->keep, CET_ERR_INPUT, "statistics: only an accumulator that keeps values sorts");
  if (!s->sorted && s->n_values > 0) {
    sort_total(s);
  }
  s->sorted = 1;
  return CET_OK;
}

int cet_stats_merge_sorted(cet_stats *s, const double *values, size_t n,
                           const cet_stats_moments *m) {
  CET_CHECK(s->keep, CET_ERR_INPUT,
            "statistics: sorted values merge into an accumulator that keeps values");
  CET_CHECK(m->n == n, CET_ERR_INPUT, "statistics: %zu values come with moments of %llu", n,
            (unsigned long long)m->n);
  for (size_t i = 0; i < n; i++) {
    CET_CALL(check_value(values[i]));
    CET_CHECK(i == 0 || cet_stats_key(values[i - 1]) <= cet_stats_key(values[i]), CET_ERR_INPUT,
              "statistics: the values to merge are not sorted (at %zu)", i);
  }
  CET_CALL(cet_stats_sort(s));
  CET_CALL(cet_stats_reserve(s, s->n_values + n));
  /* Merge from the back, in place: the two sorted runs give the one sorted
   * array of their multiset (the total order leaves no choice). */
  double *x = s->values;
  size_t i = s->n_values, j = n, k = s->n_values + n;
  while (j > 0) {
    if (i > 0 && cet_stats_key(x[i - 1]) > cet_stats_key(values[j - 1])) {
      x[--k] = x[--i];
    } else {
      x[--k] = values[--j];
    }
  }
  s->n_values += n;
  cet_stats_moments_merge(&s->m, m);
  return CET_OK;
}

/* Where the quantile at p of n sorted values x lies: x[lo] + frac (x[lo + 1]
 * - x[lo]) (x[n - 1] when lo + 1 >= n). */
static void quantile_position(uint64_t n, double p, uint64_t *lo, double *frac) {
  double h = (double)(n - 1) * p;
  *lo = (uint64_t)floor(h);
  *frac = h - (double)*lo;
}

/* The parts of CVaR at alpha of n values: k = alpha n values, the `whole`
 * lowest ones in full and the next one with weight frac. */
static void cvar_position(uint64_t n, double alpha, double *k, uint64_t *whole, double *frac) {
  *k = alpha * (double)n;
  *whole = (uint64_t)floor(*k);
  if (*whole > n) {
    *whole = n;
  }
  *frac = *k - (double)*whole;
}

/* The value of rank i of the sorted values: kept and sorted, or selected. */
static int value_at(const cet_stats *s, uint64_t i, double *v) {
  if (s->keep) {
    *v = s->values[i];
    return CET_OK;
  }
  for (size_t j = 0; j < s->order.count; j++) {
    if (s->order.rank[j] == i) {
      *v = s->order.value[j];
      return CET_OK;
    }
  }
  CET_CHECK(0, CET_ERR_INPUT, "statistics: the value of rank %llu of %llu was not selected",
            (unsigned long long)i, (unsigned long long)s->m.n);
}

static int quantile_of(const cet_stats *s, double p, double *q) {
  uint64_t n = s->m.n, lo = 0;
  double frac = 0.0, a = 0.0, b = 0.0;
  quantile_position(n, p, &lo, &frac);
  if (lo + 1 >= n) {
    return value_at(s, n - 1, q);
  }
  CET_CALL(value_at(s, lo, &a));
  if (frac == 0.0) {
    *q = a;
    return CET_OK;
  }
  CET_CALL(value_at(s, lo + 1, &b));
  *q = a + frac * (b - a);
  return CET_OK;
}

static int cvar_of(const cet_stats *s, double alpha, double *cvar) {
  uint64_t n = s->m.n, whole = 0;
  double k = 0.0, frac = 0.0;
  cvar_position(n, alpha, &k, &whole, &frac);
  cet_xsum sum;
  cet_xsum_init(&sum);
  if (s->keep) {
    for (uint64_t i = 0; i < whole; i++) {
      xsum_accumulate(&sum, s->values[i]);
    }
  } else {
    CET_CHECK(alpha == CET_STATS_CVAR_LEVEL && s->order.lowest_count == whole, CET_ERR_INPUT,
              "statistics: CVaR at %g needs the sum of the lowest %llu values, which was not "
              "selected",
              alpha, (unsigned long long)whole);
    sum = s->order.lowest;
  }
  if (frac > 0.0 && whole < n) {
    double x = 0.0;
    CET_CALL(value_at(s, whole, &x));
    xsum_accumulate(&sum, frac * x);
  }
  *cvar = cet_xsum_round(&sum) / k;
  return CET_OK;
}

/* Makes the order statistics of s readable: sorts kept values, or checks
 * that they were selected. */
static int order_ready(cet_stats *s) {
  if (s->keep) {
    return sorted_values(s);
  }
  CET_CHECK(s->has_order, CET_ERR_INPUT,
            "statistics: percentiles and CVaR need an accumulator that keeps values");
  CET_CHECK(s->m.n > 0, CET_ERR_INPUT, "statistics: no values");
  return CET_OK;
}

int cet_stats_quantile(cet_stats *s, double p, double *q) {
  CET_CHECK(p >= 0.0 && p <= 1.0, CET_ERR_INPUT,
            "statistics: quantile probability must lie in [0, 1], found %g", p);
  CET_CALL(order_ready(s));
  return quantile_of(s, p, q);
}

int cet_stats_cvar(cet_stats *s, double alpha, double *cvar) {
  CET_CHECK(alpha > 0.0 && alpha <= 1.0, CET_ERR_INPUT,
            "statistics: CVaR level must lie in (0, 1], found %g", alpha);
  CET_CALL(order_ready(s));
  return cvar_of(s, alpha, cvar);
}

/* The probabilities of the summary's percentiles. */
static const double SUMMARY_P[] = {0.05, 0.10, 0.50, 0.90, 0.95};
enum { SUMMARY_NP = sizeof SUMMARY_P / sizeof SUMMARY_P[0] };

/* Adds rank i to the increasing list ranks[0 .. *count - 1]. */
static int add_rank(uint64_t *ranks, size_t *count, uint64_t i) {
  size_t at = 0;
  while (at < *count && ranks[at] < i) {
    at++;
  }
  if (at < *count && ranks[at] == i) {
    return CET_OK;
  }
  CET_CHECK(*count < CET_STATS_ORDER_MAX, CET_ERR_INPUT,
            "statistics: more than %d order statistics requested", CET_STATS_ORDER_MAX);
  memmove(ranks + at + 1, ranks + at, (*count - at) * sizeof *ranks);
  ranks[at] = i;
  (*count)++;
  return CET_OK;
}

static int quantile_ranks(uint64_t n, double p, uint64_t *ranks, size_t *count) {
  CET_CHECK(p >= 0.0 && p <= 1.0, CET_ERR_INPUT,
            "statistics: quantile probability must lie in [0, 1], found %g", p);
  uint64_t lo = 0;
  double frac = 0.0;
  quantile_position(n, p, &lo, &frac);
  if (lo + 1 >= n) {
    return add_rank(ranks, count, n - 1);
  }
  CET_CALL(add_rank(ranks, count, lo));
  return frac == 0.0 ? CET_OK : add_rank(ranks, count, lo + 1);
}

int cet_stats_order_ranks(uint64_t n, const double *p, size_t np, uint64_t *ranks, size_t *count,
                          uint64_t *lowest) {
  *count = 0;
  *lowest = 0;
  for (size_t i = 0; i < np; i++) { /* checked even without values */
    CET_CHECK(p[i] >= 0.0 && p[i] <= 1.0, CET_ERR_INPUT,
              "statistics: quantile probability must lie in [0, 1], found %g", p[i]);
  }
  if (n == 0) {
    return CET_OK;
  }
  for (size_t i = 0; i < SUMMARY_NP; i++) {
    CET_CALL(quantile_ranks(n, SUMMARY_P[i], ranks, count));
  }
  for (size_t i = 0; i < np; i++) {
    CET_CALL(quantile_ranks(n, p[i], ranks, count));
  }
  double k = 0.0, frac = 0.0;
  cvar_position(n, CET_STATS_CVAR_LEVEL, &k, lowest, &frac);
  if (*lowest > 0) {
    CET_CALL(add_rank(ranks, count, *lowest - 1));
  }
  if (frac > 0.0 && *lowest < n) {
    CET_CALL(add_rank(ranks, count, *lowest));
  }
  return CET_OK;
}

int cet_stats_set_order(cet_stats *s, const cet_stats_order *o) {
  CET_CHECK(!s->keep && o->n == s->m.n && o->count <= CET_STATS_ORDER_MAX, CET_ERR_INPUT,
            "statistics: order statistics of %llu values given to an accumulator %s %llu values",
            (unsigned long long)o->n, s->keep ? "that keeps its" : "of",
            (unsigned long long)s->m.n);
  for (size_t j = 0; j < o->count; j++) {
    CET_CHECK(o->rank[j] < o->n && (j == 0 || o->rank[j - 1] < o->rank[j]), CET_ERR_INPUT,
              "statistics: order statistics need increasing ranks below %llu, found %llu at %zu",
              (unsigned long long)o->n, (unsigned long long)o->rank[j], j);
  }
  s->order = *o;
  s->has_order = 1;
  return CET_OK;
}

int cet_stats_summarize(cet_stats *s, cet_stats_summary *out) {
  memset(out, 0, sizeof *out);
  const cet_stats_moments *m = &s->m;
  size_t n = (size_t)m->n;
  out->n = n;
  out->sum = cet_xsum_round(&m->sum);
  out->sum_sq = cet_xsum_round(&m->sum_sq);
  out->mean = out->variance = out->sd = out->se_mean = NAN;
  out->min = out->max = out->prob_negative = NAN;
  out->p5 = out->p10 = out->p50 = out->p90 = out->p95 = out->cvar5 = NAN;
  if (n == 0) {
    return CET_OK;
  }
  dd sum, sum_sq;
  cet_xsum_round2(&m->sum, &sum.hi, &sum.lo);
  cet_xsum_round2(&m->sum_sq, &sum_sq.hi, &sum_sq.lo);
  dd mean = dd_div(sum, (double)n);
  out->mean = mean.hi + mean.lo;
  out->min = m->min;
  out->max = m->max;
  out->prob_negative = (double)m->n_negative / (double)n;
  if (n >= 2) {
    dd square = dd_div(dd_mul(sum, sum), (double)n);
    dd centred = dd_add(sum_sq, (dd){-square.hi, -square.lo});
    double variance = (centred.hi + centred.lo) / (double)(n - 1);
    out->variance = variance > 0.0 ? variance : 0.0;
    out->sd = sqrt(out->variance);
    out->se_mean = out->sd / sqrt((double)n);
  }
  if ((s->keep && s->n_values > 0) || s->has_order) {
    CET_CALL(order_ready(s));
    double *p[SUMMARY_NP] = {&out->p5, &out->p10, &out->p50, &out->p90, &out->p95};
    for (size_t i = 0; i < SUMMARY_NP; i++) {
      CET_CALL(quantile_of(s, SUMMARY_P[i], p[i]));
    }
    CET_CALL(cvar_of(s, CET_STATS_CVAR_LEVEL, &out->cvar5));
    out->has_values = 1;
  }
  return CET_OK;
}

/* ---- statistics by name ------------------------------------------------- */

static const char *const STAT_NAMES[CET_STAT_COUNT] = {
    "mean", "sd", "p5", "p10", "p50", "p90", "p95", "cvar5", "prob_negative", "min", "max"};

const char *cet_stats_stat_name(cet_stat s) { return STAT_NAMES[s]; }

int cet_stats_stat_find(const char *name) {
  for (int s = 0; s < CET_STAT_COUNT; s++) {
    if (strcmp(name, STAT_NAMES[s]) == 0) {
      return s;
    }
  }
  return -1;
}

int cet_stats_stat_needs_values(cet_stat s) { return s >= CET_STAT_P5 && s <= CET_STAT_CVAR5; }

double cet_stats_summary_value(const cet_stats_summary *s, cet_stat st) {
  switch (st) {
  case CET_STAT_MEAN:
    return s->mean;
  case CET_STAT_SD:
    return s->sd;
  case CET_STAT_P5:
    return s->p5;
  case CET_STAT_P10:
    return s->p10;
  case CET_STAT_P50:
    return s->p50;
  case CET_STAT_P90:
    return s->p90;
  case CET_STAT_P95:
    return s->p95;
  case CET_STAT_CVAR5:
    return s->cvar5;
  case CET_STAT_PROB_NEGATIVE:
    return s->prob_negative;
  case CET_STAT_MIN:
    return s->min;
  default:
    return s->max;
  }
}
