/*
 * testproblems.c — ZDT1, ZDT2, ZDT3 and DTLZ2 and samples of their true
 * Pareto fronts (see testproblems.h).
 */
#include "cetwin/testproblems.h"

#include "cetwin/error.h"

#include <math.h>
#include <string.h>

enum { ZDT_GENES = 30, DTLZ_GENES = 12, DTLZ_OBJ = 3 };

static const double PI = 3.14159265358979323846;

/* ZDT3: the integral of 1.1 minus the running minimum of
 * f2 = 1 - sqrt(f1) - f1 sin(10 pi f1) over f1 in [0, 1.1], evaluated by the
 * trapezoidal rule on 4e7 intervals (converged to 11 digits). */
static const double ZDT3_HYPERVOLUME = 1.3317629087;

int cet_testproblem_init(cet_testproblem *p, cet_testproblem_kind kind, size_t n_genes,
                         size_t n_obj) {
  CET_CHECK(p != NULL, CET_ERR_INPUT, "expected a test problem, found NULL");
  switch (kind) {
  case CET_TESTPROBLEM_ZDT1:
  case CET_TESTPROBLEM_ZDT2:
  case CET_TESTPROBLEM_ZDT3:
    n_genes = n_genes ? n_genes : ZDT_GENES;
    n_obj = n_obj ? n_obj : 2;
    CET_CHECK(n_obj == 2, CET_ERR_INPUT, "ZDT problems have 2 objectives, found %zu", n_obj);
    CET_CHECK(n_genes >= 2, CET_ERR_INPUT, "ZDT problems need at least 2 variables, found %zu",
              n_genes);
    break;
  case CET_TESTPROBLEM_DTLZ2:
    n_genes = n_genes ? n_genes : DTLZ_GENES;
    n_obj = n_obj ? n_obj : DTLZ_OBJ;
    CET_CHECK(n_obj >= 2, CET_ERR_INPUT, "DTLZ2 needs at least 2 objectives, found %zu", n_obj);
    CET_CHECK(n_genes >= n_obj, CET_ERR_INPUT,
              "DTLZ2 needs at least as many variables as objectives (%zu), found %zu", n_obj,
              n_genes);
    break;
  default:
    CET_CHECK(0, CET_ERR_INPUT, "unknown test problem %d (expected ZDT1, ZDT2, ZDT3 or DTLZ2)",
              (int)kind);
  }
  p->kind = kind;
  p->n_genes = n_genes;
  p->n_obj = n_obj;
  return CET_OK;
}

int cet_testproblem_kind_from_name(const char *name, cet_testproblem_kind *kind) {
  static const char *const names[] = {"zdt1", "zdt2", "zdt3", "dtlz2"};
  CET_CHECK(name != NULL && kind != NULL, CET_ERR_INPUT, "expected a name, found NULL");
  for (int k = 0; k < 4; k++) {
    if (strcmp(name, names[k]) == 0) {
      *kind = (cet_testproblem_kind)k;
      return CET_OK;
    }
  }
  CET_CHECK(0, CET_ERR_INPUT, "unknown test problem '%s' (expected zdt1, zdt2, zdt3 or dtlz2)",
            name);
}

static void zdt(cet_testproblem_kind kind, const double *x, size_t n, double *f) {
  double sum = 0;
  for (size_t i = 1; i < n; i++) {
    sum += x[i];
  }
  double g = 1 + 9 * sum / (double)(n - 1);
  double r = x[0] / g, h;
  switch (kind) {
  case CET_TESTPROBLEM_ZDT1:
    h = 1 - sqrt(r);
    break;
  case CET_TESTPROBLEM_ZDT2:
    h = 1 - r * r;
    break;
  default:
    h = 1 - sqrt(r) - r * sin(10 * PI * x[0]);
    break;
  }
  f[0] = x[0];
  f[1] = g * h;
}

static void dtlz2(const double *x, size_t n, size_t m, double *f) {
  double g = 0;
  for (size_t i = m - 1; i < n; i++) {
    g += (x[i] - 0.5) * (x[i] - 0.5);
  }
  for (size_t k = 0; k < m; k++) {
    /* f_k = (1+g) prod_{i < m-1-k} cos(x_i pi/2) * (k > 0 ? sin(x_{m-1-k} pi/2) : 1) */
    double v = 1 + g;
    for (size_t i = 0; i + 1 + k < m; i++) {
      v *= cos(x[i] * PI / 2);
    }
    if (k > 0) {
      v *= sin(x[m - 1 - k] * PI / 2);
    }
    f[k] = v;
  }
}

int cet_testproblem_evaluate(void *ctx, size_t count, const double *x, double *f, double *g) {
  (void)g;
  const cet_testproblem *p = ctx;
  CET_CHECK(p != NULL, CET_ERR_INPUT, "expected a test problem as context, found NULL");
  if (count == 0) {
    return CET_OK;
  }
  CET_CHECK(x != NULL && f != NULL, CET_ERR_INPUT, "expected %zu points and objectives, found NULL",
            count);
  size_t n = p->n_genes, m = p->n_obj;
  for (size_t i = 0; i < count * n; i++) {
    CET_CHECK(x[i] >= 0 && x[i] <= 1, CET_ERR_INPUT,
              "variable %zu of point %zu must lie in [0, 1], found %g", i % n, i / n, x[i]);
  }
  for (size_t i = 0; i < count; i++) {
    if (p->kind == CET_TESTPROBLEM_DTLZ2) {
      dtlz2(x + i * n, n, m, f + i * m);
    } else {
      zdt(p->kind, x + i * n, n, f + i * m);
    }
  }
  return CET_OK;
}

static double binomial(size_t n, size_t k) {
  double b = 1;
  for (size_t i = 1; i <= k; i++) {
    b = b * (double)(n - k + i) / (double)i;
  }
  return b;
}

/* Writes every composition of h into m non-negative parts (a simplex
 * lattice), projected onto the unit sphere, from position *k on. */
static void lattice(double *f, size_t m, size_t h, size_t depth, size_t left, double *a,
                    size_t *k) {
  if (depth + 1 == m) {
    a[depth] = (double)left;
    double norm = 0;
    for (size_t j = 0; j < m; j++) {
      norm += a[j] * a[j];
    }
    norm = sqrt(norm);
    for (size_t j = 0; j < m; j++) {
      f[*k * m + j] = a[j] / norm;
    }
    (*k)++;
    return;
  }
  for (size_t v = 0; v <= left; v++) {
    a[depth] = (double)v;
    lattice(f, m, h, depth + 1, left - v, a, k);
  }
}

int cet_testproblem_front(const cet_testproblem *p, size_t count, double *f, size_t *written) {
  CET_CHECK(p != NULL && f != NULL && written != NULL, CET_ERR_INPUT,
            "expected a problem, room for the front and a count, found NULL");
  CET_CHECK(count >= 2, CET_ERR_INPUT, "expected room for at least 2 front points, found %zu",
            count);
  size_t k = 0;
  if (p->kind == CET_TESTPROBLEM_DTLZ2) {
    size_t m = p->n_obj, h = 1;
    CET_CHECK(count >= m, CET_ERR_INPUT,
              "expected room for at least %zu DTLZ2 front points, found %zu", m, count);
    while (binomial(h + m, m - 1) <= (double)count) {
      h++;
    }
    double a[64];
    CET_CHECK(m <= 64, CET_ERR_INPUT, "front sampling supports at most 64 objectives, found %zu",
              m);
    lattice(f, m, h, 0, h, a, &k);
  } else {
    double low = INFINITY;
    for (size_t i = 0; i < count; i++) {
      double x[2] = {(double)i / (double)(count - 1), 0}, y[2];
      zdt(p->kind, x, 2, y); /* g = 1 on the front */
      if (p->kind != CET_TESTPROBLEM_ZDT3 || y[1] < low) {
        f[2 * k] = y[0];
        f[2 * k + 1] = y[1];
        k++;
        low = y[1];
      }
    }
  }
  *written = k;
  return CET_OK;
}

double cet_testproblem_true_hypervolume(const cet_testproblem *p) {
  switch (p->kind) {
  case CET_TESTPROBLEM_ZDT1:
    return 0.1 * 1.1 + 0.1 + 2.0 / 3.0;
  case CET_TESTPROBLEM_ZDT2:
    return 0.1 * 1.1 + 0.1 + 1.0 / 3.0;
  case CET_TESTPROBLEM_ZDT3:
    return ZDT3_HYPERVOLUME;
  default: {
    /* 1.1^M minus the positive orthant of the unit M-ball */
    double m = (double)p->n_obj;
    double ball = pow(PI, m / 2) / tgamma(m / 2 + 1);
    return pow(1.1, m) - ball / pow(2.0, m);
  }
  }
}
