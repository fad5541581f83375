/*
 * zig_rows.h — the fast path of the ziggurat of rng_normal.c for rows of
 * halves (private to src/core): a row is one deviate index over the draws
 * of a batch, its halves the low or the high 32 bits of the draws' Philox
 * words. Half h gives layer i = h & 127, sign = bit 7, magnitude j = h >> 8
 * and the deviate +-j w[i]; it is rejected (left to the slow path) when
 * j >= k[i]. A portable version and, where the processor has AVX-512 with
 * VBMI, a vector version; both give the same bits.
 */
#ifndef CETWIN_ZIG_ROWS_H
#define CETWIN_ZIG_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
  CET_ZIG_LAYERS = 128,
  CET_ZIG_SIGN_SHIFT = 7,      /* bit 7 of a half is the sign */
  CET_ZIG_MAGNITUDE_SHIFT = 8, /* j = h >> 8 (24 bits) */
  CET_ZIG_ROW = 64             /* draws of a row, at most */
};

/* The tables of the fast path, for every layer i: the portable version
 * reads w and kd, the vector version the bytes of w and of the bound as
 * 128-byte planes, and byte orders for its transposes. */
typedef struct {
  const double *w;                                /* x_i / 2^24 */
  const double *kd;                               /* the bound on j, a double */
  _Alignas(64) uint8_t w_byte[8][CET_ZIG_LAYERS]; /* byte c of w[i] */
  _Alignas(64) uint8_t k_byte[3][CET_ZIG_LAYERS]; /* byte c of the bound (< 2^24) */
  _Alignas(64) uint8_t order[7][CET_ZIG_ROW];     /* see zig_rows.c */
} cet_zig_rows_tables;

/* Fills t from the layers' w[i], bound k[i] < 2^24 and the same bound as
 * a double kd[i]; t keeps the pointers w and kd. */
void cet_zig_rows_init(cet_zig_rows_tables *t, const double *w, const uint32_t *k,
                       const double *kd);

/* +-x by the sign bit of half h, without a branch (the bit flipped). */
static inline double cet_zig_signed(double x, uint64_t h) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  bits ^= ((h >> CET_ZIG_SIGN_SHIFT) & 1u) << 63;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* The fast path of one half h (in a 64-bit lane, so that loops over halves
 * vectorise): writes +-j w[i] to *out without a branch, the sign set by
 * flipping the sign bit; 1 when the half fails the test j < k[i], else 0. */
static inline uint64_t cet_zig_fast_half(const double *w, const double *kd, uint64_t h,
                                         double *out) {
  uint64_t i = h & (CET_ZIG_LAYERS - 1);
  double j = (double)(int64_t)(h >> CET_ZIG_MAGNITUDE_SHIFT);
  *out = cet_zig_signed(j * w[i], h);
  return j >= kd[i];
}

/* The fast path of the low halves of word[d], d < m <= CET_ZIG_ROW (row
 * 0), and when rows is 2 of their high halves (row 1): the deviate of
 * draw d of row r into out[r][d], and bit d of rejected[r] set when its
 * half is rejected. Nothing else of out[r] is written (out[1] is not used
 * when rows is 1). word[d] must be readable for every d < CET_ZIG_ROW;
 * the words beyond m do not matter. */
typedef void cet_zig_rows_fn(const cet_zig_rows_tables *t, const uint64_t *word, size_t m,
                             size_t rows, double *const out[2], uint64_t rejected[2]);

/* Half by half (any processor). */
cet_zig_rows_fn cet_zig_rows_portable;

#if defined(__x86_64__)
/* 64 halves at a time in byte planes; needs avx512f, avx512bw, avx512dq
 * and avx512vbmi. */
cet_zig_rows_fn cet_zig_rows_avx512;
#endif

/* The fastest of the above that this processor runs, chosen on the first
 * call (thread-safe). */
cet_zig_rows_fn *cet_zig_rows(void);

#endif /* CETWIN_ZIG_ROWS_H */
