/*
 * xsum.h — exact sums of doubles, whatever their order.
 *
 * Shards of a run (MPI ranks, OpenMP threads, checkpoint blocks) each sum
 * their values and are merged at the end; the merged sum must not depend on
 * how the values were split or in which order the shards are merged, down
 * to the last bit. Floating-point addition is not associative, so plain (or
 * Kahan-compensated) running sums do not give that guarantee. Sums are kept
 * EXACTLY in a fixed-point "superaccumulator" (cet_xsum): an array of
 * 32-bit digits held in 64-bit integers that covers the whole double range,
 * so every double (and every partial sum) is represented without rounding.
 * Integer addition is associative and commutative, hence any split and any
 * merge order gives the same exact sum, and its correct rounding to double
 * is the same bit pattern.
 */
#ifndef CETWIN_XSUM_H
#define CETWIN_XSUM_H

#include <stddef.h>
#include <stdint.h>

/* Number of 32-bit digits of an exact accumulator: the lowest digit starts at
 * 2^-1074 (the smallest subnormal), the highest ends above 2^1088, leaving
 * room for the carries of 2^64 maximal additions. */
enum { CET_XSUM_DIGITS = 72 };

/* Exact sum of doubles. A plain value type (no pointers): copy it, send it as
 * bytes over MPI, store it in a checkpoint. Initialise with cet_xsum_init or
 * by zeroing. The fields are internal; use the functions. */
typedef struct {
  int64_t digit[CET_XSUM_DIGITS]; /* digit i weighs 2^(32 i - 1074) */
  uint64_t pending;               /* additions since the last carry propagation */
} cet_xsum;

/* Sets s to zero. */
void cet_xsum_init(cet_xsum *s);

/* Adds x exactly. x must be finite (a non-finite x is ignored and the
 * function returns CET_ERR_INPUT). Constant time, no allocation. */
int cet_xsum_add(cet_xsum *s, double x);

/* Adds x[i] exactly to s[i] for i < n (n accumulators, one value each:
 * e.g. the terms of one row, each summed in its own accumulator). Fails
 * with CET_ERR_INPUT, adding nothing, when a value is not finite. No
 * allocation; cheaper than n calls of cet_xsum_add. */
int cet_xsum_add_each(cet_xsum *s, const double *x, size_t n);

/* Adds the exact value of other to s (merge). */
void cet_xsum_merge(cet_xsum *s, const cet_xsum *other);

/* Brings s to its canonical form (every carry propagated, pending 0): two
 * accumulators holding the same value are then identical bit for bit, as
 * stored results must be. The value is unchanged. */
void cet_xsum_normalize(cet_xsum *s);

/* The exact sum rounded to the nearest double (ties to even); +-inf when it
 * exceeds the double range. Does not change the value held by s. */
double cet_xsum_round(const cet_xsum *s);

/* The exact sum as an unevaluated double-double hi + lo: hi is the correctly
 * rounded sum and lo the correctly rounded remainder. */
void cet_xsum_round2(const cet_xsum *s, double *hi, double *lo);

#endif /* CETWIN_XSUM_H */
