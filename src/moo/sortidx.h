/*
 * sortidx.h — private: a stable merge sort of index arrays under a caller's
 * comparison, and the row comparisons the multi-objective code sorts by.
 * Stability makes every tie resolve by input order, so results never depend
 * on the sort's internals.
 */
#ifndef CETWIN_MOO_SORTIDX_H
#define CETWIN_MOO_SORTIDX_H

#include <stddef.h>

/* 1 if the item a must come strictly before the item b. */
typedef int (*cet_idx_less)(const void *ctx, size_t a, size_t b);

/* Sorts idx[0..n) stably by less; tmp has room for n entries. */
void cet_sortidx(size_t *idx, size_t n, size_t *tmp, cet_idx_less less, const void *ctx);

/* Rows of a row-major table: row i of the items idx refers to is
 * f + m * (map ? map[i] : i). */
typedef struct {
  const double *f;
  size_t m;
  const size_t *map; /* NULL: item i is row i */
  size_t col;        /* column for the column comparisons */
} cet_rows;

/* Sorts idx stably in lexicographic order of the rows (all m columns). */
void cet_sortidx_lex(size_t *idx, size_t n, size_t *tmp, const cet_rows *rows);

/* Sorts idx stably by column rows->col, ascending or descending. */
void cet_sortidx_column(size_t *idx, size_t n, size_t *tmp, const cet_rows *rows, int descending);

/* Lexicographic order over all m columns, as a comparison function. */
int cet_rows_lex_less(const void *ctx, size_t a, size_t b);

/* Ascending order of a plain array of doubles (ctx is the array). */
int cet_doubles_less(const void *ctx, size_t a, size_t b);

/* A sort key with the item it belongs to. Sorting contiguous keys is
 * several times faster than comparing rows through an index. */
typedef struct {
  double key;
  size_t idx;
} cet_keyed;

/* Sorts a[0..n) stably by increasing key (NaN not allowed; -0 and +0 are
 * equal); tmp has room for n. Two passes (second key first, then the first
 * key) give a lexicographic order. Large arrays are radix-sorted, after
 * which a key of -0 reads +0: use the idx fields, not the keys. */
void cet_sort_keyed(cet_keyed *a, size_t n, cet_keyed *tmp);

#endif /* CETWIN_MOO_SORTIDX_H */
