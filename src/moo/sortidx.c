/*
 * sortidx.c — stable bottom-up merge sort of index arrays (insertion sort on
 * short runs), instantiated with inline comparisons for the orders the
 * multi-objective code uses most (lexicographic rows of 2 or 3 columns, one
 * column) and with a comparison function for the rest.
 */
#include "moo/sortidx.h"

#include <stdint.h>
#include <string.h>

enum { RUN = 16 }; /* length of the runs sorted by insertion */

/* Defines static void NAME(T *idx, size_t n, T *tmp, CTX ctx) sorting idx
 * stably by the expression LESS(ctx, a, b). */
#define DEFINE_MERGE_SORT_OF(NAME, T, CTX, LESS)                                                   \
  static void NAME(T *idx, size_t n, T *tmp, CTX ctx) {                                            \
    for (size_t lo = 0; lo < n; lo += RUN) {                                                       \
      size_t len = (n - lo < RUN) ? n - lo : RUN;                                                  \
      T *v = idx + lo;                                                                             \
      for (size_t i = 1; i < len; i++) {                                                           \
        T x = v[i];                                                                                \
        size_t j = i;                                                                              \
        while (j > 0 && LESS(ctx, x, v[j - 1])) {                                                  \
          v[j] = v[j - 1];                                                                         \
          j--;                                                                                     \
        }                                                                                          \
        v[j] = x;                                                                                  \
      }                                                                                            \
    }                                                                                              \
    T *src = idx, *dst = tmp;                                                                      \
    for (size_t width = RUN; width < n; width *= 2) {                                              \
      for (size_t lo = 0; lo < n; lo += 2 * width) {                                               \
        size_t mid = lo + width < n ? lo + width : n;                                              \
        size_t hi = lo + 2 * width < n ? lo + 2 * width : n;                                       \
        size_t i = lo, j = mid, k = lo;                                                            \
        if (mid == hi || !LESS(ctx, src[mid], src[mid - 1])) {                                     \
          memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src);                                     \
          continue;                                                                                \
        }                                                                                          \
        while (i < mid && j < hi) {                                                                \
          dst[k++] = LESS(ctx, src[j], src[i]) ? src[j++] : src[i++];                              \
        }                                                                                          \
        while (i < mid) {                                                                          \
          dst[k++] = src[i++];                                                                     \
        }                                                                                          \
        while (j < hi) {                                                                           \
          dst[k++] = src[j++];                                                                     \
        }                                                                                          \
      }                                                                                            \
      T *swap = src;                                                                               \
      src = dst;                                                                                   \
      dst = swap;                                                                                  \
    }                                                                                              \
    if (src != idx) {                                                                              \
      memcpy(idx, src, n * sizeof *idx);                                                           \
    }                                                                                              \
  }

#define DEFINE_MERGE_SORT(NAME, CTX, LESS) DEFINE_MERGE_SORT_OF(NAME, size_t, CTX, LESS)

typedef struct {
  cet_idx_less less;
  const void *ctx;
} generic;

#define GENERIC_LESS(c, a, b) ((c)->less((c)->ctx, (a), (b)))
DEFINE_MERGE_SORT(sort_generic, const generic *, GENERIC_LESS)

void cet_sortidx(size_t *idx, size_t n, size_t *tmp, cet_idx_less less, const void *ctx) {
  const generic g = {less, ctx};
  sort_generic(idx, n, tmp, &g);
}

static inline const double *row(const cet_rows *r, size_t i) {
  return r->f + r->m * (r->map ? r->map[i] : i);
}

static inline int lex2(const cet_rows *r, size_t a, size_t b) {
  const double *x = row(r, a), *y = row(r, b);
  return x[0] < y[0] || (x[0] == y[0] && x[1] < y[1]);
}

static inline int lex3(const cet_rows *r, size_t a, size_t b) {
  const double *x = row(r, a), *y = row(r, b);
  if (x[0] != y[0]) {
    return x[0] < y[0];
  }
  return x[1] < y[1] || (x[1] == y[1] && x[2] < y[2]);
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

static inline int col_less(const cet_rows *r, size_t a, size_t b) {
  return row(r, a)[r->col] < row(r, b)[r->col];
}

static inline int col_greater(const cet_rows *r, size_t a, size_t b) {
  return row(r, a)[r->col] > row(r, b)[r->col];
}

DEFINE_MERGE_SORT(sort_lex2, const cet_rows *, lex2)
DEFINE_MERGE_SORT(sort_lex3, const cet_rows *, lex3)
DEFINE_MERGE_SORT(sort_lexm, const cet_rows *, cet_rows_lex_less)
DEFINE_MERGE_SORT(sort_col_less, const cet_rows *, col_less)
DEFINE_MERGE_SORT(sort_col_greater, const cet_rows *, col_greater)

void cet_sortidx_lex(size_t *idx, size_t n, size_t *tmp, const cet_rows *rows) {
  switch (rows->m) {
  case 2:
    sort_lex2(idx, n, tmp, rows);
    break;
  case 3:
    sort_lex3(idx, n, tmp, rows);
    break;
  default:
    sort_lexm(idx, n, tmp, rows);
    break;
  }
}

void cet_sortidx_column(size_t *idx, size_t n, size_t *tmp, const cet_rows *rows, int descending) {
  if (descending) {
    sort_col_greater(idx, n, tmp, rows);
  } else {
    sort_col_less(idx, n, tmp, rows);
  }
}

int cet_doubles_less(const void *ctx, size_t a, size_t b) {
  const double *v = ctx;
  return v[a] < v[b];
}

#define KEY_LESS(ctx, a, b) ((void)(ctx), (a).key < (b).key)
DEFINE_MERGE_SORT_OF(merge_keyed, cet_keyed, const void *, KEY_LESS)

/* Keys as unsigned integers of the same order: flip every bit of a
 * negative double and only the sign bit of a positive one. -0 becomes +0
 * first so that equal keys stay in input order. */
typedef struct {
  uint64_t bits;
  size_t idx;
} radix_item;

static uint64_t to_bits(double x) {
  uint64_t u;
  x += 0.0;
  memcpy(&u, &x, sizeof u);
  return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

static double from_bits(uint64_t u) {
  u = (u >> 63) ? u & ~((uint64_t)1 << 63) : ~u;
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

enum { RADIX_BITS = 8, RADIX = 1 << RADIX_BITS, DIGITS = 64 / RADIX_BITS, RADIX_MIN = 4096 };

/* LSD radix sort: stable and branch-free, so faster than merging on
 * random keys; passes whose digit is the same for every key are skipped. */
static void radix_keyed(cet_keyed *a, size_t n, cet_keyed *tmp) {
  _Static_assert(sizeof(radix_item) == sizeof(cet_keyed), "radix items must overlay keys");
  radix_item *src = (radix_item *)(void *)a, *dst = (radix_item *)(void *)tmp;
  uint32_t count[DIGITS][RADIX];
  memset(count, 0, sizeof count);
  for (size_t i = 0; i < n; i++) {
    uint64_t u = to_bits(a[i].key);
    src[i].bits = u;
    for (int d = 0; d < DIGITS; d++) {
      count[d][(u >> (d * RADIX_BITS)) & (RADIX - 1)]++;
    }
  }
  for (int d = 0; d < DIGITS; d++) {
    uint64_t first = (src[0].bits >> (d * RADIX_BITS)) & (RADIX - 1);
    if (count[d][first] == n) {
      continue; /* every key has this digit */
    }
    uint32_t sum = 0;
    for (int b = 0; b < RADIX; b++) {
      uint32_t c = count[d][b];
      count[d][b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) {
      dst[count[d][(src[i].bits >> (d * RADIX_BITS)) & (RADIX - 1)]++] = src[i];
    }
    radix_item *swap = src;
    src = dst;
    dst = swap;
  }
  cet_keyed *out = a;
  for (size_t i = 0; i < n; i++) {
    radix_item item = src[i];
    out[i].key = from_bits(item.bits);
    out[i].idx = item.idx;
  }
}

void cet_sort_keyed(cet_keyed *a, size_t n, cet_keyed *tmp) {
  if (n < RADIX_MIN || n > UINT32_MAX) {
    merge_keyed(a, n, tmp, NULL);
  } else {
    radix_keyed(a, n, tmp);
  }
}
