/*
 * morris_stats.c — elementary effects of a Morris design and their
 * statistics mu, mu*, sigma, with a bootstrap interval on mu* (see
 * morris.h).
 */
#include "morris_impl.h"

#include "cetwin/bootstrap.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

int cet_morris_effects(const cet_morris_design *d, const double *y, size_t outputs, double *ee) {
  CET_CHECK(outputs >= 1, CET_ERR_INPUT, "Morris: expected at least one output");
  size_t g = d->g, n = g + 1;
  for (size_t point = 0; point < d->r * n; point++) {
    for (size_t o = 0; o < outputs; o++) {
      CET_CHECK(isfinite(y[point * outputs + o]), CET_ERR_INPUT,
                "Morris: output %zu of point %zu (trajectory %zu, step %zu) is not finite (%g)", o,
                point, point / n, point % n, y[point * outputs + o]);
    }
  }
  for (size_t t = 0; t < d->r; t++) {
    for (size_t s = 1; s <= g; s++) {
      size_t i = d->moved[t * g + s - 1];
      double step = d->step[t * g + s - 1];
      /* a radial point differs from the trajectory's base, a trajectory's
       * from the point before */
      size_t from = d->p.radial ? 0 : s - 1;
      const double *before = y + (t * n + from) * outputs, *after = y + (t * n + s) * outputs;
      for (size_t o = 0; o < outputs; o++) {
        ee[(t * g + i) * outputs + o] = (after[o] - before[o]) / step;
      }
    }
  }
  return CET_OK;
}

/* The half-widths of the intervals on mu* of output o (g of them) from
 * the resamples of the trajectories: z times the sample sd of the
 * resampled mu* (two passes over them). */
static int mu_star_intervals(const cet_morris_design *d, const double *ee, size_t outputs, size_t o,
                             double level, double *conf) {
  size_t g = d->g, r = d->r, resamples = d->p.resamples;
  cet_bootstrap_plan plan = {d->p.seed, cet_rng_purpose("morris.bootstrap"), r, r};
  gsl_rng *rng = cet_rng_alloc();
  uint32_t *counts = malloc(r * sizeof *counts);
  double *values = malloc((resamples ? resamples : 1) * g * sizeof *values);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, rng && counts && values);
  for (size_t b = 0; b < resamples; b++) {
    CET_CALL_GOTO(status, done, cet_bootstrap_block_counts(&plan, rng, b, 0, counts));
    for (size_t i = 0; i < g; i++) {
      double m = 0.0;
      for (size_t t = 0; t < r; t++) {
        m += counts[t] * fabs(ee[(t * g + i) * outputs + o]);
      }
      values[b * g + i] = m / (double)r;
    }
  }
  double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
  for (size_t i = 0; i < g; i++) {
    double mean = 0.0, dev = 0.0;
    for (size_t b = 0; b < resamples; b++) {
      mean += values[b * g + i] / (double)resamples;
    }
    for (size_t b = 0; b < resamples; b++) {
      dev += (values[b * g + i] - mean) * (values[b * g + i] - mean);
    }
    conf[i] = resamples >= 2 ? z * sqrt(dev / (double)(resamples - 1)) : NAN;
  }
done:
  if (rng) {
    gsl_rng_free(rng);
  }
  free(counts);
  free(values);
  return status;
}

int cet_morris_statistics(const cet_morris_design *d, const double *ee, size_t outputs, size_t o,
                          double level, double *mu, double *mu_star, double *sigma,
                          double *mu_star_conf) {
  CET_CHECK(o < outputs, CET_ERR_INPUT, "Morris: output %zu of %zu asked", o, outputs);
  CET_CHECK(level > 0.0 && level < 1.0, CET_ERR_INPUT,
            "Morris: the confidence level must lie in (0, 1), found %g", level);
  size_t g = d->g, r = d->r;
  for (size_t i = 0; i < g; i++) {
    double sum = 0.0, sum_abs = 0.0;
    for (size_t t = 0; t < r; t++) {
      double e = ee[(t * g + i) * outputs + o];
      sum += e;
      sum_abs += fabs(e);
    }
    double mean = sum / (double)r, dev = 0.0;
    for (size_t t = 0; t < r; t++) {
      double e = ee[(t * g + i) * outputs + o] - mean;
      dev += e * e;
    }
    if (mu) {
      mu[i] = mean;
    }
    if (mu_star) {
      mu_star[i] = sum_abs / (double)r;
    }
    if (sigma) {
      sigma[i] = r >= 2 ? sqrt(dev / (double)(r - 1)) : NAN;
    }
  }
  if (mu_star_conf) {
    CET_CALL(mu_star_intervals(d, ee, outputs, o, level, mu_star_conf));
  }
  return CET_OK;
}
