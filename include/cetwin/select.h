/*
 * select.h — exact order statistics of a multiset too large to keep, in
 * passes over its values (the draws of a Monte Carlo run, recomputed from
 * their indices, or read again from a file).
 *
 * The statistics of n values read a few ranks of the sorted order and the
 * sum of the lowest values (cet_stats_order_ranks). Each value's place in
 * the order is its key (cet_stats_key, 64 bits), so a rank lies in a
 * bracket of keys sharing their high bits:
 *
 *  - the first pass counts the values per bracket of the high first_bits
 *    bits of the key (a histogram) and keeps up to `buffer` values; when
 *    that was all of them, the ranks are read from the sorted values;
 *  - each later pass takes the bracket of each rank still sought: with at
 *    most `buffer` values in it, it keeps them (and sums the values below
 *    it, for CVaR), which settles the ranks in it; otherwise it counts its
 *    values per bracket of `bits` more bits of the key;
 *  - a bracket whose values all have one key settles at once.
 *
 * Every count is exact and every sum an exact sum (stats.h), so the result
 * is the one of sorting all the values, to the bit, however the values are
 * split into parts (ranks, threads, blocks, files) and whatever their order.
 * Memory: the histograms (8 bytes x 2^first_bits in the first pass, 8 bytes
 * x 2^bits per bracket later) and up to `buffer` values per bracket,
 * whatever the number of values. Passes: one when n <= buffer; for
 * continuous values usually two; at most 2 + ceil((64 - first_bits) / bits)
 * (a pile of equal values settles without further passes).
 *
 * A selection (cet_select) is the state between passes, the same on every
 * part; an accumulator (cet_select_acc) gathers one part's values of one
 * pass; the accumulators of all parts are merged (as bytes: MPI, files)
 * and the selection advances from their sum.
 */
#ifndef CETWIN_SELECT_H
#define CETWIN_SELECT_H

#include "cetwin/stats.h"

#include <stddef.h>
#include <stdint.h>

/* Tunables. */
typedef struct {
  size_t buffer;  /* values kept per bracket, >= 1 */
  int first_bits; /* key bits of the first pass's histogram, 1..24 */
  int bits;       /* key bits a later pass adds, 1..20 */
} cet_select_parameters;

/* buffer 2^22 values (32 MiB), first_bits 22 (a histogram of 32 MiB, of which
 * only the pages the values touch are used), bits 16. */
cet_select_parameters cet_select_default_parameters(void);

typedef struct cet_select cet_select;
typedef struct cet_select_acc cet_select_acc;

/* A selection of the statistics of stats.h and the quantiles at p[0 ..
 * np - 1], before its first pass. CET_ERR_INPUT for parameters out of
 * range or a probability outside [0, 1]. */
int cet_select_create(const cet_select_parameters *par, const double *p, size_t np,
                      cet_select **out);

/* Frees *s (NULL allowed) and sets it NULL. */
void cet_select_destroy(cet_select **s);

/* Passes done so far. */
int cet_select_passes(const cet_select *s);

/* 1 when every order statistic is known (after the last pass). */
int cet_select_done(const cet_select *s);

/* An empty accumulator of the next pass of s. CET_ERR_MEMORY. */
int cet_select_acc_create(const cet_select *s, cet_select_acc **out);

/* Frees *a (NULL allowed) and sets it NULL. */
void cet_select_acc_destroy(cet_select_acc **a);

/* Adds x[0], x[stride], ..., x[(n - 1) stride]; values that are not finite
 * are skipped (they are not among the n values of the statistics).
 * CET_ERR_MEMORY. */
int cet_select_acc_add(cet_select_acc *a, const double *x, size_t n, size_t stride);

/* The bytes of a (valid until a changes), to merge elsewhere. */
int cet_select_acc_pack(cet_select_acc *a, const void **bytes, size_t *size);

/* Adds the accumulator packed in bytes[0 .. size - 1] (of the same pass of
 * the same selection) into a. CET_ERR_INPUT when the bytes are not such an
 * accumulator; CET_ERR_MEMORY. */
int cet_select_acc_merge_bytes(cet_select_acc *a, const void *bytes, size_t size);

/* Ends a pass: all is the accumulator of every value (every part merged;
 * its kept values are sorted) and n the number of finite values. Afterwards cet_select_done says
 * whether another pass is needed. CET_ERR_INPUT when all does not fit s or
 * n changed; CET_ERR_MEMORY. */
int cet_select_advance(cet_select *s, cet_select_acc *all, uint64_t n);

/* The state of s as bytes (a plain copy; for MPI and checkpoints), and s
 * restored from such bytes (CET_ERR_INPUT when they are not the state of
 * a selection made with the same parameters and probabilities). */
void cet_select_state(const cet_select *s, const void **bytes, size_t *size);
int cet_select_set_state(cet_select *s, const void *bytes, size_t size);

/* The order statistics found (cet_select_done), for cet_stats_set_order.
 * CET_ERR_INPUT before the end. */
int cet_select_order(const cet_select *s, cet_stats_order *out);

#endif /* CETWIN_SELECT_H */
