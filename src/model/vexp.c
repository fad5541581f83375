/*
 * vexp.c — exp over arrays (see vexp.h). exp(x) = 2^k exp(r) with
 * k = round(x / ln 2) and r = x - k ln 2 (Cody-Waite: ln 2 in two parts),
 * |r| <= ln(2)/2, and exp(r) by its Taylor polynomial to degree 13
 * (truncation error below 5e-18 relative), evaluated by Horner's rule.
 * k is rounded by adding and subtracting 1.5 * 2^52, which also leaves k in
 * the low bits of the sum, from which 2^(k-1) is built directly (times 2
 * afterwards, so that k = 1024 still overflows correctly). Every step is
 * branch-free, so the loop vectorises.
 */
#include "vexp.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const double LOG2E = 1.4426950408889634074;
static const double LN2_HI = 6.93147180369123816490e-01; /* high bits of ln 2 */
static const double LN2_LO = 1.90821492927058770002e-10; /* ln 2 - LN2_HI */
static const double SHIFT = 0x1.8p52;
static const double X_MAX = 709.782712893383973096; /* ln(DBL_MAX) */
static const double X_MIN = -708.0;
/* 1/k!, k = 13 down to 2 */
static const double C13 = 1.6059043836821614599e-10, C12 = 2.0876756987868098979e-09,
                    C11 = 2.5052108385441718775e-08, C10 = 2.7557319223985890653e-07,
                    C9 = 2.7557319223985890653e-06, C8 = 2.4801587301587301587e-05,
                    C7 = 1.9841269841269841270e-04, C6 = 1.3888888888888888889e-03,
                    C5 = 8.3333333333333333333e-03, C4 = 4.1666666666666666667e-02,
                    C3 = 1.6666666666666666667e-01, C2 = 0.5;

static inline double exp1(double x) {
  double xc = x > X_MAX ? X_MAX : (x < X_MIN ? X_MIN : x);
  double kd = xc * LOG2E + SHIFT;
  uint64_t ki;
  memcpy(&ki, &kd, sizeof ki);
  kd -= SHIFT;
  double r = (xc - kd * LN2_HI) - kd * LN2_LO;
  double p = C13;
  p = p * r + C12;
  p = p * r + C11;
  p = p * r + C10;
  p = p * r + C9;
  p = p * r + C8;
  p = p * r + C7;
  p = p * r + C6;
  p = p * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r + 1.0;
  p = p * r + 1.0;
  uint64_t bits = (ki + 1022u) << 52; /* 2^(k-1) */
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  double y = p * scale * 2.0;
  y = x > X_MAX ? INFINITY : y;
  y = x < X_MIN ? 0.0 : y;
  return x != x ? x : y;
}

void cet_vexp(const double *x, double *y, size_t n) {
  for (size_t i = 0; i < n; i++) {
    y[i] = exp1(x[i]);
  }
}
