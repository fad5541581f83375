/*
 * stats.h — mergeable summary statistics for Monte Carlo results.
 *
 * Shards of a run (MPI ranks, OpenMP threads, checkpoint blocks) each
 * accumulate their draws and are merged at the end. The merged result must
 * not depend on how the draws were split or in which order the shards are
 * merged, down to the last bit. Floating-point addition is not associative,
 * so plain (or Kahan-compensated) running sums do not give that guarantee.
 *
 * Choice: sums are kept EXACTLY (cet_xsum, xsum.h), so any split and any
 * merge order gives the same exact sum and the same rounded bits. The sum
 * of squares is kept the same way: x*x is split exactly into hi + lo with one
 * fused multiply-add (lo = fma(x, x, -hi)) and both parts are accumulated.
 * Derived quantities (mean, variance) are computed from the exact sums in
 * double-double arithmetic, so the variance does not suffer from the
 * cancellation of the textbook formula (Q - S^2/n) / (n - 1).
 *
 * Limits: values must be finite with |x| < 2^511 (about 6.7e153) so that x*x
 * is finite; squares below 2^-969 may lose their low part (lo underflows),
 * which is far below anything a cash flow in euros can produce.
 *
 * Percentiles and CVaR need order statistics of the values: an accumulator
 * created with keep_values stores the values, merging concatenates them,
 * and the statistics sort them under a total order, so they too are
 * independent of the merge order. Too many values to keep are summarised
 * instead by the few order statistics the statistics read, selected in
 * passes over the values (select.h) and given to an accumulator without
 * values (cet_stats_set_order): the same bits.
 */
#ifndef CETWIN_STATS_H
#define CETWIN_STATS_H

#include "cetwin/xsum.h"

#include <stddef.h>
#include <stdint.h>

/* Level of the conditional value at risk reported by the summary: the mean
 * of the lowest 5 % of the values (the "worst 5 %" of an NPV). */
#define CET_STATS_CVAR_LEVEL 0.05

/* The moments of an accumulator as a plain value (for MPI reductions and
 * checkpoints); merging moments is exact and order-independent. */
typedef struct {
  uint64_t n;          /* number of values */
  uint64_t n_negative; /* number of values < 0 (-0.0 is not negative) */
  double min, max;     /* +inf / -inf when n == 0 */
  cet_xsum sum;        /* exact sum of the values */
  cet_xsum sum_sq;     /* exact sum of their squares */
} cet_stats_moments;

/* Sets m to the moments of an empty sample. */
void cet_stats_moments_init(cet_stats_moments *m);

/* Adds other into m (exact). */
void cet_stats_moments_merge(cet_stats_moments *m, const cet_stats_moments *other);

/* Accumulator of one scalar output (opaque). */
typedef struct cet_stats cet_stats;

/* Creates an empty accumulator. With keep_values != 0 every value is stored
 * (needed for percentiles and CVaR); capacity is a hint for the number of
 * values (0 = grow as needed). Free with cet_stats_destroy. */
int cet_stats_create(cet_stats **s, int keep_values, size_t capacity);

/* Frees s (NULL allowed) and sets *s to NULL. */
void cet_stats_destroy(cet_stats **s);

/* Empties s (no values, zero moments), keeping its memory for reuse. */
void cet_stats_reset(cet_stats *s);

/* Reserves room for n stored values in total, so that later additions do
 * not allocate (call before a hot loop). No effect without keep_values. */
int cet_stats_reserve(cet_stats *s, size_t n);

/* Adds one value. Fails with CET_ERR_INPUT (and leaves s unchanged) for a
 * non-finite value or |x| >= 2^511; with CET_ERR_MEMORY if storing the value
 * needs memory that is not available. Allocation-free after
 * cet_stats_reserve. */
int cet_stats_add(cet_stats *s, double x);

/* Adds the values and moments of other into s. Both must agree on
 * keep_values (CET_ERR_INPUT otherwise). The result does not depend on the
 * order of merges. */
int cet_stats_merge(cet_stats *s, const cet_stats *other);

/* Number of values added. */
size_t cet_stats_count(const cet_stats *s);

/* Copies the moments of s (no values). */
void cet_stats_get_moments(const cet_stats *s, cet_stats_moments *m);

/* Adds moments m (e.g. received from another rank) to an accumulator that
 * does not keep values (CET_ERR_INPUT if it does: the values would be
 * missing). */
int cet_stats_add_moments(cet_stats *s, const cet_stats_moments *m);

/* Sorts the stored values under the total order of the statistics (numeric,
 * -0.0 before +0.0); later statistics do not sort again. Needs
 * keep_values. */
int cet_stats_sort(cet_stats *s);

/* Adds n values sorted as cet_stats_sort sorts them, with their moments m
 * (cet_stats_get_moments of the accumulator they come from), to s, which
 * keeps values: the same result as adding each value, in O(n + values held) by
 * merging the two sorted runs (s is sorted first if it is not).
 * CET_ERR_INPUT when the values are not sorted, not finite, or not n as m
 * says. */
int cet_stats_merge_sorted(cet_stats *s, const double *values, size_t n,
                           const cet_stats_moments *m);

/* Reserves, beyond cet_stats_reserve(s, n), the scratch of the sort of up
 * to n values, so that cet_stats_sort, cet_stats_summarize, quantiles and
 * CVaR of up to n values do not allocate (e.g. statistics computed in a hot
 * loop, with the accumulator reset each time). Needs keep_values
 * (CET_ERR_INPUT); CET_ERR_MEMORY. The scratch is 16 n bytes plus 16 KiB. */
int cet_stats_reserve_sort(cet_stats *s, size_t n);

/* Summary of one output. */
typedef struct {
  size_t n;                      /* number of values */
  double sum;                    /* correctly rounded exact sum */
  double sum_sq;                 /* correctly rounded exact sum of squares */
  double mean;                   /* NaN when n == 0 */
  double variance;               /* sample variance (n - 1 in the denominator); NaN when n < 2 */
  double sd;                     /* sqrt(variance) */
  double se_mean;                /* standard error of the mean, sd / sqrt(n) */
  double min, max;               /* NaN when n == 0 */
  double prob_negative;          /* fraction of values < 0; NaN when n == 0 */
  int has_values;                /* 1 when the fields below are valid (values were kept, n > 0) */
  double p5, p10, p50, p90, p95; /* percentiles (see cet_stats_quantile) */
  double cvar5;                  /* cet_stats_cvar at CET_STATS_CVAR_LEVEL */
} cet_stats_summary;

/* Computes every statistic of s. Sorts the stored values in place (the
 * multiset is unchanged). Moments come from the exact sums; order
 * statistics from the sorted values. */
int cet_stats_summarize(cet_stats *s, cet_stats_summary *out);

/* Quantile of the stored values at probability p in [0, 1], by linear
 * interpolation between order statistics at position (n - 1) p (Hyndman and
 * Fan type 7, the default of R and NumPy). Needs keep_values and n > 0. */
int cet_stats_quantile(cet_stats *s, double p, double *q);

/* Conditional value at risk of the lower tail at level alpha in (0, 1]: the
 * mean of the lowest alpha * n values, counting the next value with the
 * fractional weight alpha * n - floor(alpha * n) (Rockafellar and Uryasev's
 * discrete definition). Computed with an exact sum. Needs keep_values. */
int cet_stats_cvar(cet_stats *s, double alpha, double *cvar);

/* The statistics of a summary by name, as a case names them (e.g. the
 * objectives of a robust optimisation over Monte Carlo draws). */
typedef enum {
  CET_STAT_MEAN = 0,
  CET_STAT_SD,
  CET_STAT_P5,
  CET_STAT_P10,
  CET_STAT_P50,
  CET_STAT_P90,
  CET_STAT_P95,
  CET_STAT_CVAR5,
  CET_STAT_PROB_NEGATIVE,
  CET_STAT_MIN,
  CET_STAT_MAX,
  CET_STAT_COUNT
} cet_stat;

/* "mean", "sd", "p5", "p10", "p50", "p90", "p95", "cvar5", "prob_negative",
 * "min", "max" (the field names of cet_stats_summary). */
const char *cet_stats_stat_name(cet_stat s);

/* The statistic called name, or -1. */
int cet_stats_stat_find(const char *name);

/* 1 for the statistics of the sorted values (percentiles and CVaR), which
 * need an accumulator that keeps values; 0 for those of the moments. */
int cet_stats_stat_needs_values(cet_stat s);

/* Value of statistic st in summary s (NaN where s lacks it: fewer than 2
 * values for sd, no values kept for percentiles and CVaR). */
double cet_stats_summary_value(const cet_stats_summary *s, cet_stat st);

/* Read-only view of the stored values (in the order of the last sort, or of
 * addition); NULL without keep_values. */
const double *cet_stats_values(const cet_stats *s);

/* ---- order statistics without the values -------------------------------
 *
 * The percentiles and the CVaR of n values read a few of them only: the
 * values at some ranks of the sorted order and the sum of the lowest ones.
 * Selected elsewhere (select.h: in passes over values too many to keep),
 * they give an accumulator that keeps no values the same statistics, to the
 * bit, as one that keeps them all. */

/* The total order of the statistics (numeric, -0.0 before +0.0) as an
 * unsigned key: a < b exactly when key(a) < key(b); equal keys are equal
 * bits. cet_stats_key_value is its inverse. */
uint64_t cet_stats_key(double x);
double cet_stats_key_value(uint64_t key);

/* Sorts x[0 .. n - 1] under that order (as cet_stats_sort sorts). */
void cet_stats_sort_array(double *x, size_t n);

/* Order statistics held at most. */
enum { CET_STATS_ORDER_MAX = 32 };

/* Some order statistics of n values. */
typedef struct {
  uint64_t n;                         /* number of values */
  size_t count;                       /* ranks held */
  uint64_t rank[CET_STATS_ORDER_MAX]; /* 0-based ranks in the sorted order, increasing */
  double value[CET_STATS_ORDER_MAX];  /* the value at each */
  uint64_t lowest_count;              /* the lowest values summed for CVaR */
  cet_xsum lowest;                    /* their exact sum */
} cet_stats_order;

/* The ranks the statistics of n values read: the summary's percentiles,
 * CVaR at CET_STATS_CVAR_LEVEL, and the quantiles at p[0 .. np - 1]
 * (probabilities in [0, 1]), increasing and without repeats, in ranks[]
 * (room for CET_STATS_ORDER_MAX; *count of them), and in *lowest how many
 * of the lowest values CVaR sums. CET_ERR_INPUT for a probability outside
 * [0, 1] or more ranks than CET_STATS_ORDER_MAX. */
int cet_stats_order_ranks(uint64_t n, const double *p, size_t np, uint64_t *ranks, size_t *count,
                          uint64_t *lowest);

/* Gives s, which keeps no values, the order statistics o of its values
 * (o->n must be its count): the summary, the quantiles at probabilities
 * whose ranks o holds, and CVaR at CET_STATS_CVAR_LEVEL then come from o
 * (CET_ERR_INPUT for other probabilities or levels, and when o does not
 * fit s). */
int cet_stats_set_order(cet_stats *s, const cet_stats_order *o);

#endif /* CETWIN_STATS_H */
