/*
 * xsum_accumulate.h — the inner step of the exact sums (private to
 * src/core, see xsum.h): adding one finite double to the digits, inlined
 * into every accumulator that adds values in a loop (xsum.c, stats.c).
 */
#ifndef CETWIN_XSUM_ACCUMULATE_H
#define CETWIN_XSUM_ACCUMULATE_H

#include "cetwin/xsum.h"

#include <stdint.h>
#include <string.h>

enum {
  XSUM_DIGIT_BITS = 32,
  /* Each addition changes a digit by less than 2^33, so 2^29 additions
   * change it by less than 2^62 and a normalised digit (< 2^32) cannot
   * overflow int64 before the next carry propagation. */
  XSUM_PENDING_LIMIT = 1 << 29,
  /* Binary exponent of the lowest digit's unit: the smallest subnormal. */
  XSUM_LOWEST_EXPONENT = -1074,
  XSUM_MANTISSA_BITS = 53
};

#define XSUM_DIGIT_BASE INT64_C(4294967296)
#define XSUM_DIGIT_MASK UINT64_C(0xffffffff)

/* Propagates carries so that digits 0..N-2 lie in [0, 2^32); the top digit
 * carries the sign. */
static inline void xsum_normalize_digits(int64_t *d) {
  for (int i = 0; i < CET_XSUM_DIGITS - 1; i++) {
    int64_t low = (int64_t)((uint64_t)d[i] & XSUM_DIGIT_MASK);
    int64_t carry = (d[i] - low) / XSUM_DIGIT_BASE; /* exact: floor division */
    d[i] = low;
    d[i + 1] += carry;
  }
}

/* Adds a finite x (no checks): the hot path of every accumulator. */
static inline void xsum_accumulate(cet_xsum *s, double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  unsigned biased = (unsigned)((bits >> 52) & 0x7ff);
  uint64_t mantissa = bits & ((UINT64_C(1) << 52) - 1);
  if (biased != 0) {
    mantissa |= UINT64_C(1) << 52;
  }
  if (mantissa == 0) {
    return;
  }
  /* x = mantissa * 2^(p - 1074): p = biased - 1 for normal numbers, 0 for
   * subnormal ones */
  unsigned p = biased != 0 ? biased - 1 : 0;
  unsigned i = p / XSUM_DIGIT_BITS, shift = p % XSUM_DIGIT_BITS;
  uint64_t low = (mantissa & XSUM_DIGIT_MASK) << shift;   /* < 2^63 */
  uint64_t high = (mantissa >> XSUM_DIGIT_BITS) << shift; /* < 2^52 */
  int64_t d0 = (int64_t)(low & XSUM_DIGIT_MASK);
  int64_t d1 = (int64_t)((low >> XSUM_DIGIT_BITS) + (high & XSUM_DIGIT_MASK));
  int64_t d2 = (int64_t)(high >> XSUM_DIGIT_BITS);
  /* negate for a negative x without a branch (signs of sums of differences
   * come in no order a branch predictor could follow): (d ^ -1) + 1 = -d */
  int64_t negative = -(int64_t)(bits >> 63);
  s->digit[i] += (d0 ^ negative) - negative;
  s->digit[i + 1] += (d1 ^ negative) - negative;
  s->digit[i + 2] += (d2 ^ negative) - negative;
  if (++s->pending >= XSUM_PENDING_LIMIT) {
    xsum_normalize_digits(s->digit);
    s->pending = 0;
  }
}

#endif /* CETWIN_XSUM_ACCUMULATE_H */
