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

/* Lexicographic order over all m columns. */
int cet_rows_lex_less(const void *ctx, size_t a, size_t b);
/* Ascending order of column col. */
int cet_rows_col_less(const void *ctx, size_t a, size_t b);
/* Descending order of column col. */
int cet_rows_col_greater(const void *ctx, size_t a, size_t b);

/* Ascending order of a plain array of doubles (ctx is the array). */
int cet_doubles_less(const void *ctx, size_t a, size_t b);

#endif /* CETWIN_MOO_SORTIDX_H */
