/*
 * dense_lu.c — Gaussian elimination with partial pivoting for the small
 * dense blocks of a twin's block-triangular solve (see dense_lu.h).
 */
#include "cetwin/dense_lu.h"

#include <math.h>

size_t cet_dense_lu_solve(size_t n, double *a, double *b, double tol, double *pivot) {
  for (size_t k = 0; k < n; k++) {
    size_t p = k;
    double best = fabs(a[k * n + k]);
    for (size_t i = k + 1; i < n; i++) {
      double v = fabs(a[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best >= tol)) {
      *pivot = best;
      return k + 1;
    }
    if (p != k) {
      for (size_t j = k; j < n; j++) {
        double tmp = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = tmp;
      }
      double tmp = b[k];
      b[k] = b[p];
      b[p] = tmp;
    }
    double d = a[k * n + k];
    for (size_t i = k + 1; i < n; i++) {
      double l = a[i * n + k] / d;
      if (l != 0.0) {
        for (size_t j = k + 1; j < n; j++) {
          a[i * n + j] -= l * a[k * n + j];
        }
        b[i] -= l * b[k];
      }
    }
  }
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t j = i + 1; j < n; j++) {
      s -= a[i * n + j] * b[j];
    }
    b[i] = s / a[i * n + i];
  }
  return 0;
}
