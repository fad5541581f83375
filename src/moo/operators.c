/*
 * operators.c — genome checks, uniform sampling, SBX, polynomial mutation
 * and binary tournament (see operators.h for the integer, categorical and
 * zero rules).
 */
#include "cetwin/operators.h"

#include "cetwin/error.h"

#include <math.h>

static const double SBX_EPS = 1e-14; /* parents closer than this are not crossed */

/* Integral genes: ordinal integers and categorical genes. */
static int is_integer(const cet_genome *g, size_t j) {
  return g->type && (g->type[j] == CET_GENE_INTEGER || g->type[j] == CET_GENE_CATEGORICAL);
}

static int is_categorical(const cet_genome *g, size_t j) {
  return g->type && g->type[j] == CET_GENE_CATEGORICAL;
}

int cet_genome_check(const cet_genome *g) {
  CET_CHECK(g != NULL, CET_ERR_INPUT, "expected a genome, found NULL");
  CET_CHECK(g->n >= 1, CET_ERR_INPUT, "expected at least one gene, found 0");
  CET_CHECK(g->lower != NULL && g->upper != NULL, CET_ERR_INPUT,
            "expected lower and upper bounds for %zu genes, found NULL", g->n);
  for (size_t j = 0; j < g->n; j++) {
    double l = g->lower[j], u = g->upper[j];
    CET_CHECK(isfinite(l) && isfinite(u) && l <= u, CET_ERR_INPUT,
              "gene %zu: expected finite bounds with lower <= upper, found [%g, %g]", j, l, u);
    if (g->type) {
      CET_CHECK(g->type[j] == CET_GENE_REAL || g->type[j] == CET_GENE_INTEGER ||
                    g->type[j] == CET_GENE_CATEGORICAL,
                CET_ERR_INPUT,
                "gene %zu: unknown gene type %d (expected real, integer or categorical)", j,
                (int)g->type[j]);
    }
    if (is_integer(g, j)) {
      CET_CHECK(floor(l) == l && floor(u) == u, CET_ERR_INPUT,
                "gene %zu: an integer gene needs integral bounds, found [%g, %g]", j, l, u);
    }
    if (g->zero_below) {
      double z = g->zero_below[j];
      CET_CHECK(isfinite(z) && z >= 0, CET_ERR_INPUT,
                "gene %zu: zero threshold must be finite and >= 0, found %g", j, z);
      CET_CHECK(z == 0 || (!is_integer(g, j) && l <= 0 && u >= 0), CET_ERR_INPUT,
                "gene %zu: a zero threshold needs a real gene whose bounds [%g, %g] contain 0", j,
                l, u);
    }
  }
  return CET_OK;
}

int cet_genome_contains(const cet_genome *g, const double *x) {
  for (size_t j = 0; j < g->n; j++) {
    double v = x[j];
    if (!(v >= g->lower[j] && v <= g->upper[j])) {
      return 0;
    }
    if (is_integer(g, j) && floor(v) != v) {
      return 0;
    }
  }
  return 1;
}

/* Brings a value of gene j (possibly from the relaxation) into the genome:
 * rounds integers, clamps to the bounds, snaps small reals to zero. */
static double settle(const cet_genome *g, size_t j, double v) {
  if (is_integer(g, j)) {
    v = round(v);
  }
  v = v < g->lower[j] ? g->lower[j] : v;
  v = v > g->upper[j] ? g->upper[j] : v;
  if (g->zero_below && fabs(v) < g->zero_below[j]) {
    v = 0;
  }
  return v;
}

/* Bounds over which the operators act: the relaxation for integers. */
static void range(const cet_genome *g, size_t j, double *lo, double *hi) {
  double half = is_integer(g, j) ? 0.5 : 0.0;
  *lo = g->lower[j] - half;
  *hi = g->upper[j] + half;
}

void cet_operators_sample(const cet_genome *g, gsl_rng *r, double *x) {
  for (size_t j = 0; j < g->n; j++) {
    double l = g->lower[j], u = g->upper[j], v;
    if (is_integer(g, j)) {
      v = l + floor(gsl_rng_uniform(r) * (u - l + 1));
    } else {
      v = l + gsl_rng_uniform(r) * (u - l);
    }
    x[j] = settle(g, j, v);
  }
}

/* x^k for the exponent k = eta + 1: by repeated squaring when k is a small
 * whole number (the usual eta = 20), else by pow. */
static double power(double x, double k) {
  if (k == floor(k) && k >= 0 && k <= 64) {
    double r = 1;
    for (unsigned e = (unsigned)k; e; e >>= 1) {
      if (e & 1) {
        r *= x;
      }
      x *= x;
    }
    return r;
  }
  return pow(x, k);
}

/* The SBX spread factor for a child on the side with room `room` (distance
 * from the nearer parent to the bound, in units of the parents' distance). */
static double spread(double u, double room, double eta) {
  double beta = 1 + 2 * room;
  double alpha = 2 - 1 / power(beta, eta + 1);
  if (u <= 1 / alpha) {
    return pow(u * alpha, 1 / (eta + 1));
  }
  return pow(1 / (2 - u * alpha), 1 / (eta + 1));
}

void cet_operators_sbx(const cet_genome *g, const cet_sbx_parameters *p, gsl_rng *r,
                       const double *a, const double *b, double *c1, double *c2) {
  for (size_t j = 0; j < g->n; j++) {
    c1[j] = a[j];
    c2[j] = b[j];
  }
  if (gsl_rng_uniform(r) >= p->probability) {
    return;
  }
  for (size_t j = 0; j < g->n; j++) {
    if (gsl_rng_uniform(r) >= p->gene_probability) {
      continue;
    }
    if (fabs(a[j] - b[j]) <= SBX_EPS || g->lower[j] == g->upper[j]) {
      continue;
    }
    if (is_categorical(g, j)) { /* no value lies between two categories: swap or keep */
      if (gsl_rng_uniform(r) < 0.5) {
        c1[j] = b[j];
        c2[j] = a[j];
      }
      continue;
    }
    double lo, hi;
    range(g, j, &lo, &hi);
    double y1 = fmin(a[j], b[j]), y2 = fmax(a[j], b[j]), d = y2 - y1;
    double u = gsl_rng_uniform(r);
    double low = 0.5 * ((y1 + y2) - spread(u, (y1 - lo) / d, p->eta) * d);
    double high = 0.5 * ((y1 + y2) + spread(u, (hi - y2) / d, p->eta) * d);
    low = settle(g, j, fmin(fmax(low, lo), hi));
    high = settle(g, j, fmin(fmax(high, lo), hi));
    if (gsl_rng_uniform(r) < 0.5) {
      c1[j] = high;
      c2[j] = low;
    } else {
      c1[j] = low;
      c2[j] = high;
    }
  }
}

void cet_operators_mutate(const cet_genome *g, double rate, double eta, gsl_rng *r, double *x) {
  const double root = 1 / (eta + 1);
  for (size_t j = 0; j < g->n; j++) {
    if (gsl_rng_uniform(r) >= rate || g->lower[j] == g->upper[j]) {
      continue;
    }
    if (is_categorical(g, j)) { /* any other category, uniformly */
      double v = g->lower[j] + floor(gsl_rng_uniform(r) * (g->upper[j] - g->lower[j]));
      x[j] = v >= x[j] ? v + 1 : v;
      continue;
    }
    double lo, hi;
    range(g, j, &lo, &hi);
    double y = x[j], width = hi - lo;
    double u = gsl_rng_uniform(r), dq;
    if (u < 0.5) {
      double xy = 1 - (y - lo) / width;
      double val = 2 * u + (1 - 2 * u) * power(xy, eta + 1);
      dq = pow(val, root) - 1;
    } else {
      double xy = 1 - (hi - y) / width;
      double val = 2 * (1 - u) + 2 * (u - 0.5) * power(xy, eta + 1);
      dq = 1 - pow(val, root);
    }
    double v = settle(g, j, fmin(fmax(y + dq * width, lo), hi));
    if (is_integer(g, j) && v == y && dq != 0) {
      v = settle(g, j, y + (dq > 0 ? 1 : -1)); /* every integer mutation moves */
    }
    x[j] = v;
  }
}

size_t cet_operators_tournament(const size_t *rank, const double *crowding, size_t a, size_t b,
                                gsl_rng *r) {
  if (rank[a] != rank[b]) {
    return rank[a] < rank[b] ? a : b;
  }
  if (crowding[a] != crowding[b]) {
    return crowding[a] > crowding[b] ? a : b;
  }
  return gsl_rng_uniform(r) < 0.5 ? a : b;
}
