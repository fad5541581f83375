/*
 * vexp.c — exp over arrays (see vexp.h). exp(x) = 2^k exp(r) with
 * k = round(x / ln 2) and r = x - k ln 2 (Cody-Waite: ln 2 in two parts,
 * the high part exact in k * hi), |r| <= ln(2)/2, and exp(r) by its Taylor
 * polynomial to degree 13 (truncation error below 5e-18 relative) in
 * Estrin's form, whose short dependency chains keep the vector units busy.
 * k is rounded by adding and subtracting 1.5 * 2^52, which also leaves k in
 * the low bits of the sum, from which 2^(k-1) is built directly (times 2
 * afterwards, so that k = 1024 still gives the largest finite results).
 * Every step is branch-free, so the loop vectorises; the kernel file is
 * compiled without FP trapping semantics for that, which does not change
 * the results (no FP exception flags are read).
 */
#include "vexp.h"

#include "cetwin/clones.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const double LOG2E = 1.4426950408889634074;
static const double LN2_HI = 6.93147180369123816490e-01; /* fdlibm: k * LN2_HI is exact */
static const double LN2_LO = 1.90821492927058770002e-10; /* ln 2 - LN2_HI */
static const double SHIFT = 0x1.8p52;
static const double X_MAX = 709.782712893383973096; /* ln(DBL_MAX) */
static const double X_MIN = -707.0;                 /* 2^(k-1) stays a normal number */
/* 1/i!, i = 0..13 */
static const double C[14] = {1.0,
                             1.0,
                             0.5,
                             1.6666666666666666667e-01,
                             4.1666666666666666667e-02,
                             8.3333333333333333333e-03,
                             1.3888888888888888889e-03,
                             1.9841269841269841270e-04,
                             2.4801587301587301587e-05,
                             2.7557319223985890653e-06,
                             2.7557319223985890653e-07,
                             2.5052108385441718775e-08,
                             2.0876756987868098979e-09,
                             1.6059043836821614599e-10};

static inline double exp1(double x) {
  double xc = x > X_MAX ? X_MAX : (x < X_MIN ? X_MIN : x);
  double kd = xc * LOG2E + SHIFT;
  uint64_t ki;
  memcpy(&ki, &kd, sizeof ki);
  kd -= SHIFT;
  double r = (xc - kd * LN2_HI) - kd * LN2_LO;
  double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  double a0 = C[0] + r * C[1], a1 = C[2] + r * C[3], a2 = C[4] + r * C[5];
  double a3 = C[6] + r * C[7], a4 = C[8] + r * C[9], a5 = C[10] + r * C[11];
  double a6 = C[12] + r * C[13];
  double b0 = a0 + r2 * a1, b1 = a2 + r2 * a3, b2 = a4 + r2 * a5;
  double p = (b0 + r4 * b1) + r8 * (b2 + r4 * a6);
  /* the low bits of ki hold k (two's complement): 2^(k-1) */
  uint64_t bits = (ki + 1022u) << 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  double y = p * scale * 2.0;
  y = x > X_MAX ? INFINITY : y;
  y = x < X_MIN ? 0.0 : y;
  return x != x ? x : y;
}

/* Built for the widest vectors the processor has (chosen at run time); the
 * operations per element are the same in every version, so are the bits. */
CET_CLONES static void vexp_clones(const double *x, double *y, size_t n) {
  for (size_t i = 0; i < n; i++) {
    y[i] = exp1(x[i]);
  }
}

void cet_vexp(const double *x, double *y, size_t n) { vexp_clones(x, y, n); }
