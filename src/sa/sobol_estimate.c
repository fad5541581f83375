/*
 * sobol_estimate.c — Sobol' indices from the sums of an accumulator (see
 * sobol_indices.h): first order (Saltelli et al. 2010), total (Jansen
 * 1999), second order (Saltelli 2002), on outputs centred by their mean,
 * for the point estimate and each bootstrap replicate, and the half-widths
 * of the intervals from the replicates' spread.
 */
#include "sobol_impl.h"

#include "cetwin/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* The sums of one output in one replicate (r = 0: the point estimate),
 * rounded to doubles. */
typedef struct {
  double w;          /* total weight: rows, or bootstrap draws */
  const cet_xsum *u; /* the output's T exact sums */
} output_sums;

static output_sums sums_of(const cet_sobol_sums *s, size_t r, size_t o) {
  const cet_xsum *base = r == 0 ? s->sums : s->sums + s->terms + (r - 1) * s->rep_terms;
  return (output_sums){cet_xsum_round(&base[0]), base + 1 + o * s->d->terms_per_output};
}

static double term(const output_sums *x, size_t t) { return cet_xsum_round(&x->u[t]); }

/* Mean and variance of the A and B outputs. */
static void moments(const output_sums *x, double *mean, double *variance) {
  double n = 2.0 * x->w;
  *mean = term(x, TERM_SUM) / n;
  *variance = term(x, TERM_SUM_SQ) / n - *mean * *mean;
}

/* The indices of one replicate's sums into first, total, second (g, g, g
 * x g; NaN where undefined). */
static void estimate(const cet_sobol_design *d, const output_sums *x, double *first, double *total,
                     double *second) {
  size_t g = d->g;
  double m, v;
  moments(x, &m, &v);
  int valid = x->w > 0.0 && v > 0.0;
  for (size_t i = 0; i < g; i++) {
    double cross = term(x, term_cross(g) + i), diff = term(x, term_diff(g) + i);
    first[i] = valid ? (cross - m * diff) / x->w / v : NAN;
    total[i] = valid ? term(x, term_jansen(g) + i) / (2.0 * x->w) / v : NAN;
  }
  if (!second) {
    return;
  }
  size_t pair = term_pair(g);
  for (size_t i = 0; i < g; i++) {
    for (size_t j = 0; j < g; j++) {
      second[i * g + j] = NAN;
    }
    for (size_t j = i + 1; j < g; j++) {
      double c = term(x, pair++);
      double centred = c - m * (term(x, term_ba(g) + i) + term(x, term_diff(g) + j));
      second[i * g + j] = valid ? centred / x->w / v - first[i] - first[j] : NAN;
    }
  }
}

/* Sums over the replicates' estimates: their mean (first pass), then the
 * squares of their deviations from it (second pass), for the sample sd. */
typedef struct {
  double *mean, *sq; /* n each */
  size_t n;
} spread;

static void spread_add(spread *s, const double *x, int pass) {
  for (size_t i = 0; i < s->n; i++) {
    if (pass == 0) {
      s->mean[i] += x[i];
    } else {
      s->sq[i] += (x[i] - s->mean[i]) * (x[i] - s->mean[i]);
    }
  }
}

int cet_sobol_sums_moments(const cet_sobol_sums *s, size_t o, double *mean, double *variance) {
  CET_CHECK(o < s->outputs, CET_ERR_INPUT, "Sobol' indices: output %zu of %zu asked", o,
            s->outputs);
  output_sums x = sums_of(s, 0, o);
  moments(&x, mean, variance);
  if (x.w == 0.0) {
    *mean = *variance = NAN;
  }
  return CET_OK;
}

/* Fills the half-widths (conf arrays, n = g, g, g x g) from the
 * replicates. */
static int intervals(const cet_sobol_sums *s, size_t o, double z, double *first_conf,
                     double *total_conf, double *second_conf) {
  const cet_sobol_design *d = s->d;
  size_t g = d->g, n2 = d->p.second_order ? g * g : 0, n = 2 * g + n2;
  size_t reps = o < s->replicated ? d->p.replicates : 0;
  double *work = calloc(3 * n, sizeof *work);
  CET_CHECK_ALLOC(work);
  spread sp = {work + n, work + 2 * n, n};
  for (int pass = 0; pass < 2; pass++) {
    for (size_t r = 1; r <= reps; r++) {
      output_sums x = sums_of(s, r, o);
      estimate(d, &x, work, work + g, n2 ? work + 2 * g : NULL);
      spread_add(&sp, work, pass);
    }
    for (size_t i = 0; pass == 0 && i < n; i++) {
      sp.mean[i] /= (double)reps;
    }
  }
  for (size_t i = 0; i < n; i++) {
    work[i] = reps >= 2 ? z * sqrt(sp.sq[i] / (double)(reps - 1)) : NAN;
  }
  for (size_t i = 0; i < g; i++) {
    if (first_conf) {
      first_conf[i] = work[i];
    }
    if (total_conf) {
      total_conf[i] = work[g + i];
    }
  }
  for (size_t i = 0; second_conf && i < n2; i++) {
    second_conf[i] = work[2 * g + i];
  }
  free(work);
  return CET_OK;
}

int cet_sobol_sums_indices(const cet_sobol_sums *s, size_t o, double level, double *first,
                           double *first_conf, double *total, double *total_conf, double *second,
                           double *second_conf) {
  const cet_sobol_design *d = s->d;
  size_t g = d->g;
  CET_CHECK(o < s->outputs, CET_ERR_INPUT, "Sobol' indices: output %zu of %zu asked", o,
            s->outputs);
  CET_CHECK(level > 0.0 && level < 1.0, CET_ERR_INPUT,
            "Sobol' indices: the confidence level must lie in (0, 1), found %g", level);
  CET_CHECK((!second && !second_conf) || d->p.second_order, CET_ERR_INPUT,
            "Sobol' indices: second-order indices need a design with second_order");
  double *work = malloc((2 * g + (d->p.second_order ? g * g : 0)) * sizeof *work);
  CET_CHECK_ALLOC(work);
  output_sums x = sums_of(s, 0, o);
  estimate(d, &x, work, work + g, d->p.second_order ? work + 2 * g : NULL);
  for (size_t i = 0; i < g; i++) {
    if (first) {
      first[i] = work[i];
    }
    if (total) {
      total[i] = work[g + i];
    }
  }
  for (size_t i = 0; second && i < g * g; i++) {
    second[i] = work[2 * g + i];
  }
  free(work);
  if (first_conf || total_conf || second_conf) {
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
    CET_CALL(intervals(s, o, z, first_conf, total_conf, second_conf));
  }
  return CET_OK;
}
