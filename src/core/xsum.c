/*
 * xsum.c — exact (order-independent) sums of doubles (see xsum.h).
 *
 * The accumulator follows the "small superaccumulator" idea of R. M. Neal,
 * "Fast exact summation using small and large superaccumulators"
 * (arXiv:1505.05571, 2015): a double's 53-bit integer mantissa, shifted to
 * its binary position, is spread over three 32-bit digits held in signed
 * 64-bit words; carries are propagated only every 2^29 additions.
 */
#include "xsum_accumulate.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cet_xsum_init(cet_xsum *s) { memset(s, 0, sizeof *s); }

int cet_xsum_add(cet_xsum *s, double x) {
  CET_CHECK(isfinite(x), CET_ERR_INPUT, "exact sum: expected a finite value, found %g", x);
  xsum_accumulate(s, x);
  return CET_OK;
}

int cet_xsum_add_each(cet_xsum *s, const double *x, size_t n) {
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(isfinite(x[i]), CET_ERR_INPUT,
              "exact sum: expected finite values, found %g at position %zu", x[i], i);
  }
  for (size_t i = 0; i < n; i++) {
    xsum_accumulate(&s[i], x[i]);
  }
  return CET_OK;
}

void cet_xsum_merge(cet_xsum *s, const cet_xsum *other) {
  if (s->pending < XSUM_PENDING_LIMIT && other->pending < XSUM_PENDING_LIMIT) {
    /* a digit of each lies within 2^32 + 2^33 pending (below 2^62), so the
     * digits add without overflow and one propagation gives the canonical
     * form */
    for (int i = 0; i < CET_XSUM_DIGITS; i++) {
      s->digit[i] += other->digit[i];
    }
  } else {
    cet_xsum b = *other;
    xsum_normalize_digits(b.digit);
    xsum_normalize_digits(s->digit);
    for (int i = 0; i < CET_XSUM_DIGITS; i++) {
      s->digit[i] += b.digit[i];
    }
  }
  xsum_normalize_digits(s->digit);
  s->pending = 0;
}

/* Correctly rounded value of normalised digits d (modified: negated when the
 * sum is negative). */
static double round_digits(int64_t *d) {
  int negative = d[CET_XSUM_DIGITS - 1] < 0;
  if (negative) {
    for (int i = 0; i < CET_XSUM_DIGITS; i++) {
      d[i] = -d[i];
    }
    xsum_normalize_digits(d);
  }
  int j = CET_XSUM_DIGITS - 1;
  while (j >= 0 && d[j] == 0) {
    j--;
  }
  if (j < 0) {
    return 0.0;
  }
  uint64_t top = (uint64_t)d[j];
  int nb = 0; /* bits in the leading digit */
  while (nb < 64 && (top >> nb) != 0) {
    nb++;
  }
  int lead = XSUM_DIGIT_BITS * j + XSUM_LOWEST_EXPONENT + nb - 1; /* exponent of the leading bit */
  double result;
  if (lead < -1022) {
    /* below the normal range: the sum is an integer multiple of 2^-1074
     * smaller than 2^52, exactly representable as a subnormal */
    uint64_t units = (uint64_t)d[0] + (j >= 1 ? (uint64_t)d[1] << XSUM_DIGIT_BITS : 0);
    result = ldexp((double)units, XSUM_LOWEST_EXPONENT);
  } else {
    uint64_t mid = j >= 1 ? (uint64_t)d[j - 1] : 0;
    uint64_t low = j >= 2 ? (uint64_t)d[j - 2] : 0;
    int sticky = 0;
    for (int k = 0; k < j - 2; k++) {
      sticky |= d[k] != 0;
    }
    uint64_t v = (top << XSUM_DIGIT_BITS) | mid; /* nb + 32 bits */
    uint64_t w;                                  /* the leading 64 bits */
    if (nb < XSUM_DIGIT_BITS) {
      w = (v << (XSUM_DIGIT_BITS - nb)) | (low >> nb);
      sticky |= (low & ((UINT64_C(1) << nb) - 1)) != 0;
    } else {
      w = v;
      sticky |= low != 0;
    }
    const int dropped = 64 - XSUM_MANTISSA_BITS;
    uint64_t mantissa = w >> dropped;
    uint64_t rest = w & ((UINT64_C(1) << dropped) - 1);
    uint64_t half = UINT64_C(1) << (dropped - 1);
    int exponent = XSUM_DIGIT_BITS * (j - 2) + XSUM_LOWEST_EXPONENT + nb + dropped;
    if (rest > half || (rest == half && (sticky || (mantissa & 1)))) {
      mantissa++;
      if (mantissa == UINT64_C(1) << XSUM_MANTISSA_BITS) {
        mantissa >>= 1;
        exponent++;
      }
    }
    result = ldexp((double)mantissa, exponent);
  }
  return negative ? -result : result;
}

double cet_xsum_round(const cet_xsum *s) {
  cet_xsum c = *s;
  xsum_normalize_digits(c.digit);
  return round_digits(c.digit);
}

void cet_xsum_round2(const cet_xsum *s, double *hi, double *lo) {
  *hi = cet_xsum_round(s);
  if (!isfinite(*hi)) {
    *lo = 0.0;
    return;
  }
  cet_xsum rest = *s;
  xsum_accumulate(&rest, -*hi);
  *lo = cet_xsum_round(&rest);
}

void cet_xsum_normalize(cet_xsum *s) {
  xsum_normalize_digits(s->digit);
  s->pending = 0;
}
