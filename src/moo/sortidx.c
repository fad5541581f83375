/*
 * sortidx.c — stable bottom-up merge sort of index arrays (insertion sort on
 * short runs) and the row comparisons used by the multi-objective code.
 */
#include "moo/sortidx.h"

#include <string.h>

enum { RUN = 16 }; /* length of the runs sorted by insertion */

static void insertion(size_t *idx, size_t n, cet_idx_less less, const void *ctx) {
  for (size_t i = 1; i < n; i++) {
    size_t v = idx[i];
    size_t j = i;
    while (j > 0 && less(ctx, v, idx[j - 1])) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = v;
  }
}

void cet_sortidx(size_t *idx, size_t n, size_t *tmp, cet_idx_less less, const void *ctx) {
  for (size_t lo = 0; lo < n; lo += RUN) {
    insertion(idx + lo, (n - lo < RUN) ? n - lo : RUN, less, ctx);
  }
  size_t *src = idx, *dst = tmp;
  for (size_t width = RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      if (mid == hi || !less(ctx, src[mid], src[mid - 1])) {
        memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src); /* already in order */
        continue;
      }
      while (i < mid && j < hi) {
        dst[k++] = less(ctx, src[j], src[i]) ? src[j++] : src[i++];
      }
      while (i < mid) {
        dst[k++] = src[i++];
      }
      while (j < hi) {
        dst[k++] = src[j++];
      }
    }
    size_t *swap = src;
    src = dst;
    dst = swap;
  }
  if (src != idx) {
    memcpy(idx, src, n * sizeof *idx);
  }
}

static const double *row(const cet_rows *r, size_t i) {
  return r->f + r->m * (r->map ? r->map[i] : i);
}

int cet_rows_lex_less(const void *ctx, size_t a, size_t b) {
  const cet_rows *r = ctx;
  const double *x = row(r, a), *y = row(r, b);
  for (size_t j = 0; j < r->m; j++) {
    if (x[j] != y[j]) {
      return x[j] < y[j];
    }
  }
  return 0;
}

int cet_rows_col_less(const void *ctx, size_t a, size_t b) {
  const cet_rows *r = ctx;
  return row(r, a)[r->col] < row(r, b)[r->col];
}

int cet_rows_col_greater(const void *ctx, size_t a, size_t b) {
  const cet_rows *r = ctx;
  return row(r, a)[r->col] > row(r, b)[r->col];
}

int cet_doubles_less(const void *ctx, size_t a, size_t b) {
  const double *v = ctx;
  return v[a] < v[b];
}
