/*
 * testproblems.c — ZDT1, ZDT2, ZDT3, DTLZ1 and DTLZ2, samples of their true
 * Pareto fronts, target points and IGD (see testproblems.h).
 */
#include "cetwin/testproblems.h"

#include "cetwin/error.h"
#include "cetwin/refpoints.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* DTLZ_K1 and DTLZ_K2: the k of DTLZ1 and DTLZ2 (Deb et al. 2002). */
enum { ZDT_GENES = 30, DTLZ_OBJ = 3, DTLZ_K1 = 5, DTLZ_K2 = 10 };

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
  case CET_TESTPROBLEM_DTLZ1:
  case CET_TESTPROBLEM_DTLZ2: {
    const char *name = kind == CET_TESTPROBLEM_DTLZ1 ? "DTLZ1" : "DTLZ2";
    n_obj = n_obj ? n_obj : DTLZ_OBJ;
    CET_CHECK(n_obj >= 2, CET_ERR_INPUT, "%s needs at least 2 objectives, found %zu", name, n_obj);
    if (!n_genes) {
      n_genes = n_obj - 1 + (kind == CET_TESTPROBLEM_DTLZ1 ? DTLZ_K1 : DTLZ_K2);
    }
    CET_CHECK(n_genes >= n_obj, CET_ERR_INPUT,
              "%s needs at least as many variables as objectives (%zu), found %zu", name, n_obj,
              n_genes);
    break;
  }
  default:
    CET_CHECK(0, CET_ERR_INPUT,
              "unknown test problem %d (expected ZDT1, ZDT2, ZDT3, DTLZ1 or DTLZ2)", (int)kind);
  }
  p->kind = kind;
  p->n_genes = n_genes;
  p->n_obj = n_obj;
  return CET_OK;
}

int cet_testproblem_kind_from_name(const char *name, cet_testproblem_kind *kind) {
  static const char *const names[] = {"zdt1", "zdt2", "zdt3", "dtlz2", "dtlz1"};
  CET_CHECK(name != NULL && kind != NULL, CET_ERR_INPUT, "expected a name, found NULL");
  for (int k = 0; k < 5; k++) {
    if (strcmp(name, names[k]) == 0) {
      *kind = (cet_testproblem_kind)k;
      return CET_OK;
    }
  }
  CET_CHECK(0, CET_ERR_INPUT,
            "unknown test problem '%s' (expected zdt1, zdt2, zdt3, dtlz2 or dtlz1)", name);
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

static void dtlz1(const double *x, size_t n, size_t m, double *f) {
  double g = (double)(n - m + 1);
  for (size_t i = m - 1; i < n; i++) {
    double d = x[i] - 0.5;
    g += d * d - cos(20 * PI * d);
  }
  g *= 100;
  for (size_t k = 0; k < m; k++) {
    /* f_k = (1+g)/2 prod_{i < m-1-k} x_i * (k > 0 ? 1 - x_{m-1-k} : 1) */
    double v = 0.5 * (1 + g);
    for (size_t i = 0; i + 1 + k < m; i++) {
      v *= x[i];
    }
    if (k > 0) {
      v *= 1 - x[m - 1 - k];
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
    } else if (p->kind == CET_TESTPROBLEM_DTLZ1) {
      dtlz1(x + i * n, n, m, f + i * m);
    } else {
      zdt(p->kind, x + i * n, n, f + i * m);
    }
  }
  return CET_OK;
}

/* The front point of a lattice point z of p divisions (coordinates k_j / p
 * with integer k_j, recovered exactly): DTLZ2 k / |k|, DTLZ1 0.5 k / p. */
static void lattice_point(cet_testproblem_kind kind, const double *z, size_t m, size_t p,
                          double *f) {
  double norm = 0;
  for (size_t j = 0; j < m; j++) {
    double k = round(z[j] * (double)p);
    f[j] = k;
    norm += k * k;
  }
  double scale = kind == CET_TESTPROBLEM_DTLZ1 ? 0.5 / (double)p : 1 / sqrt(norm);
  for (size_t j = 0; j < m; j++) {
    f[j] *= scale;
  }
}

int cet_testproblem_moo(const cet_testproblem *p, size_t room, double *lower, double *upper,
                        cet_moo_problem *out) {
  CET_CHECK(p != NULL && lower != NULL && upper != NULL && out != NULL, CET_ERR_INPUT,
            "expected a problem, room for the bounds and a place for the result, found NULL");
  CET_CHECK(room >= p->n_genes, CET_ERR_INPUT, "expected room for %zu bounds, found %zu",
            p->n_genes, room);
  for (size_t j = 0; j < p->n_genes; j++) {
    lower[j] = 0;
    upper[j] = 1;
  }
  cet_moo_problem q = {{p->n_genes, lower, upper, NULL, NULL},
                       p->n_obj,
                       0,
                       cet_testproblem_evaluate,
                       NULL,
                       (void *)p};
  *out = q;
  return CET_OK;
}

int cet_testproblem_front(const cet_testproblem *p, size_t count, double *f, size_t *written) {
  CET_CHECK(p != NULL && f != NULL && written != NULL, CET_ERR_INPUT,
            "expected a problem, room for the front and a count, found NULL");
  CET_CHECK(count >= 2, CET_ERR_INPUT, "expected room for at least 2 front points, found %zu",
            count);
  size_t k = 0;
  if (p->kind == CET_TESTPROBLEM_DTLZ1 || p->kind == CET_TESTPROBLEM_DTLZ2) {
    size_t m = p->n_obj, h = 1;
    CET_CHECK(count >= m, CET_ERR_INPUT,
              "expected room for at least %zu DTLZ front points, found %zu", m, count);
    while (cet_refpoints_size(m, h + 1) <= count) {
      h++;
    }
    CET_CALL(cet_refpoints_layers_count(m, h, 0, &k));
    CET_CALL(cet_refpoints_fill(m, h, 0, f));
    for (size_t i = 0; i < k; i++) {
      lattice_point(p->kind, f + i * m, m, h, f + i * m);
    }
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
  case CET_TESTPROBLEM_DTLZ1:
    /* 1.1^M minus the corner simplex sum f <= 0.5 */
    return pow(1.1, (double)p->n_obj) - pow(0.5, (double)p->n_obj) / tgamma((double)p->n_obj + 1);
  default: {
    /* 1.1^M minus the positive orthant of the unit M-ball */
    double m = (double)p->n_obj;
    double ball = pow(PI, m / 2) / tgamma(m / 2 + 1);
    return pow(1.1, m) - ball / pow(2.0, m);
  }
  }
}

int cet_testproblem_targets(const cet_testproblem *p, const double *z, size_t count, double *out) {
  CET_CHECK(p != NULL && (z != NULL || count == 0) && (out != NULL || count == 0), CET_ERR_INPUT,
            "expected a problem, points and room for the targets, found NULL");
  CET_CHECK(p->kind == CET_TESTPROBLEM_DTLZ1 || p->kind == CET_TESTPROBLEM_DTLZ2, CET_ERR_INPUT,
            "target points are defined for DTLZ1 and DTLZ2 only, found problem %d", (int)p->kind);
  size_t m = p->n_obj;
  for (size_t i = 0; i < count; i++) {
    double norm = 0;
    for (size_t j = 0; j < m; j++) {
      norm += z[i * m + j] * z[i * m + j];
    }
    norm = sqrt(norm);
    CET_CHECK(norm > 0, CET_ERR_INPUT, "point %zu has zero length: it has no target", i);
    double scale = p->kind == CET_TESTPROBLEM_DTLZ1 ? 0.5 : 1 / norm;
    for (size_t j = 0; j < m; j++) {
      out[i * m + j] = scale * z[i * m + j];
    }
  }
  return CET_OK;
}

int cet_testproblem_igd(const double *t, size_t count, const double *f, size_t n, size_t m,
                        double *igd) {
  CET_CHECK(t != NULL && f != NULL && igd != NULL, CET_ERR_INPUT,
            "expected targets, a set and a place for the IGD, found NULL");
  CET_CHECK(count > 0 && n > 0 && m > 0, CET_ERR_INPUT,
            "expected targets, points and objectives, found %zu, %zu and %zu", count, n, m);
  double sum = 0;
  for (size_t a = 0; a < count; a++) {
    double least = INFINITY;
    for (size_t i = 0; i < n; i++) {
      double d2 = 0;
      for (size_t j = 0; j < m; j++) {
        double d = f[i * m + j] - t[a * m + j];
        d2 += d * d;
      }
      least = d2 < least ? d2 : least;
    }
    sum += sqrt(least);
  }
  *igd = sum / (double)count;
  return CET_OK;
}
