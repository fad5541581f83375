/*
 * topsis.c — TOPSIS closeness coefficients and ranks (see topsis.h).
 */
#include "cetwin/topsis.h"

#include "cetwin/error.h"
#include "moo/sortidx.h"

#include <math.h>
#include <stdlib.h>

cet_topsis_parameters cet_topsis_default_parameters(void) {
  cet_topsis_parameters p = {CET_TOPSIS_VECTOR, NULL, NULL};
  return p;
}

static int check(const double *f, size_t n, size_t m, const cet_topsis_parameters *p) {
  CET_CHECK(n > 0, CET_ERR_INPUT, "TOPSIS needs at least one point, found n = 0");
  CET_CHECK(m > 0, CET_ERR_INPUT, "TOPSIS needs at least one criterion, found m = 0");
  CET_CHECK(f != NULL, CET_ERR_INPUT, "expected %zu points, found NULL", n);
  CET_CHECK(p->normalization == CET_TOPSIS_VECTOR || p->normalization == CET_TOPSIS_MINMAX,
            CET_ERR_INPUT, "unknown TOPSIS normalisation %d (expected vector or min-max)",
            (int)p->normalization);
  for (size_t i = 0; i < n * m; i++) {
    CET_CHECK(isfinite(f[i]), CET_ERR_INPUT, "criterion %zu of point %zu must be finite, found %g",
              i % m, i / m, f[i]);
  }
  if (p->weights) {
    double sum = 0;
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(isfinite(p->weights[j]) && p->weights[j] >= 0, CET_ERR_INPUT,
                "TOPSIS weight %zu must be finite and >= 0, found %g", j, p->weights[j]);
      sum += p->weights[j];
    }
    CET_CHECK(sum > 0, CET_ERR_INPUT, "TOPSIS weights must have a positive sum, found %g", sum);
  }
  if (p->benefit) {
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(p->benefit[j] == 0 || p->benefit[j] == 1, CET_ERR_INPUT,
                "TOPSIS benefit flag %zu must be 0 (cost) or 1 (benefit), found %d", j,
                p->benefit[j]);
    }
  }
  return CET_OK;
}

typedef struct {
  double scale, shift; /* v = (x - shift) * scale */
  double ideal, anti;
} column;

int cet_topsis_rank(const double *f, size_t n, size_t m, const cet_topsis_parameters *p,
                    double *closeness, size_t *rank, size_t *order) {
  cet_topsis_parameters defaults = cet_topsis_default_parameters();
  if (!p) {
    p = &defaults;
  }
  CET_CALL(check(f, n, m, p));
  column *col = malloc(m * sizeof *col);
  double *c = malloc(n * sizeof *c);
  size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, col && c && idx && tmp);

  double wsum = 0;
  for (size_t j = 0; j < m; j++) {
    wsum += p->weights ? p->weights[j] : 1.0;
  }
  for (size_t j = 0; j < m; j++) {
    double w = (p->weights ? p->weights[j] : 1.0) / wsum;
    double lo = f[j], hi = f[j], sq = 0;
    for (size_t i = 0; i < n; i++) {
      double x = f[i * m + j];
      lo = fmin(lo, x);
      hi = fmax(hi, x);
      sq += x * x;
    }
    double norm = p->normalization == CET_TOPSIS_VECTOR ? sqrt(sq) : hi - lo;
    col[j].shift = p->normalization == CET_TOPSIS_VECTOR ? 0.0 : lo;
    col[j].scale = norm > 0 ? w / norm : 0.0;
    double vlo = (lo - col[j].shift) * col[j].scale, vhi = (hi - col[j].shift) * col[j].scale;
    int benefit = p->benefit ? p->benefit[j] : 0;
    col[j].ideal = benefit ? vhi : vlo;
    col[j].anti = benefit ? vlo : vhi;
  }
  for (size_t i = 0; i < n; i++) {
    double dp = 0, dm = 0;
    for (size_t j = 0; j < m; j++) {
      double v = (f[i * m + j] - col[j].shift) * col[j].scale;
      dp += (v - col[j].ideal) * (v - col[j].ideal);
      dm += (v - col[j].anti) * (v - col[j].anti);
    }
    dp = sqrt(dp);
    dm = sqrt(dm);
    c[i] = dp + dm > 0 ? dm / (dp + dm) : 1.0;
  }
  /* best first: sort by decreasing closeness, ties by index (stable sort) */
  for (size_t i = 0; i < n; i++) {
    idx[i] = i;
    c[i] = -c[i];
  }
  cet_sortidx(idx, n, tmp, cet_doubles_less, c);
  for (size_t k = 0; k < n; k++) {
    if (rank) {
      rank[idx[k]] = k + 1;
    }
    if (order) {
      order[k] = idx[k];
    }
  }
  for (size_t i = 0; closeness && i < n; i++) {
    closeness[i] = -c[i];
  }
done:
  free(col);
  free(c);
  free(idx);
  free(tmp);
  return status;
}
