/*
 * distribution.h — probability distributions of uncertain variables,
 * sampled with any gsl_rng (in cetwin a Philox stream keyed by what the
 * draw belongs to, see rng.h).
 *
 * A distribution is described by a plain cet_distribution_spec (what a
 * config reader fills), validated and prepared once by
 * cet_distribution_create, then sampled any number of times, from any
 * number of threads (sampling only reads the handle), without allocation.
 *
 * Kinds and parameters:
 *   normal      mean, sd (sd >= 0)
 *   lognormal   either form = CET_LOGNORMAL_LOG: mu and sigma are the mean
 *               and standard deviation of ln(x); or form =
 *               CET_LOGNORMAL_MOMENTS: mean (> 0) and sd (>= 0) are those of
 *               x itself, converted by sigma^2 = ln(1 + sd^2 / mean^2) and
 *               mu = ln(mean) - sigma^2 / 2
 *   uniform     min < max
 *   triangular  min <= mode <= max, min < max
 *   pert        beta-PERT on [min, max] with mode and shape lambda (> 0,
 *               default 4): x = min + (max - min) B with B ~ Beta(a, b),
 *               a = 1 + lambda (mode - min) / (max - min),
 *               b = 1 + lambda (max - mode) / (max - min);
 *               mean = (min + lambda mode + max) / (lambda + 2)
 *   discrete    n values with non-negative weights (NULL = equal weights;
 *               an empirical distribution is values with equal weights)
 */
#ifndef CETWIN_DISTRIBUTION_H
#define CETWIN_DISTRIBUTION_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Shape parameter of beta-PERT when none is given (Vose, "Risk Analysis",
 * 3rd ed., 2008, sec. 9.1.4: the standard PERT). */
#define CET_PERT_LAMBDA_DEFAULT 4.0

typedef enum {
  CET_DIST_NORMAL = 0,
  CET_DIST_LOGNORMAL,
  CET_DIST_UNIFORM,
  CET_DIST_TRIANGULAR,
  CET_DIST_PERT,
  CET_DIST_DISCRETE
} cet_dist_kind;

typedef enum {
  CET_LOGNORMAL_LOG = 0, /* mu, sigma of ln(x) */
  CET_LOGNORMAL_MOMENTS  /* mean, sd of x */
} cet_lognormal_form;

/* Description of a distribution; the fields used depend on kind (see the
 * top of this file). Arrays are copied by cet_distribution_create. */
typedef struct {
  cet_dist_kind kind;
  double mean, sd;                   /* normal; lognormal (moments form) */
  double mu, sigma;                  /* lognormal (log form) */
  cet_lognormal_form lognormal_form; /* default CET_LOGNORMAL_LOG */
  double min, mode, max;             /* uniform (min, max), triangular, pert */
  double lambda;                     /* pert shape, default CET_PERT_LAMBDA_DEFAULT */
  size_t n;                          /* discrete: number of values */
  const double *values;              /* discrete: n values */
  const double *weights;             /* discrete: n weights, or NULL for equal weights */
} cet_distribution_spec;

/* A spec of the given kind with every field at its default (zero, the log
 * form, lambda = CET_PERT_LAMBDA_DEFAULT). */
cet_distribution_spec cet_distribution_spec_init(cet_dist_kind kind);

/* Name of a kind ("normal", "lognormal", "uniform", "triangular", "pert",
 * "discrete"), as used in case files. */
const char *cet_distribution_kind_name(cet_dist_kind kind);

/* Kind from its name; CET_ERR_INPUT naming the known kinds if unknown. */
int cet_distribution_kind_from_name(const char *name, cet_dist_kind *kind);

/* A validated, prepared distribution (opaque). */
typedef struct cet_distribution cet_distribution;

/* Validates spec and prepares sampling. CET_ERR_INPUT with a message that
 * names the parameter, what was expected and what was found. */
int cet_distribution_create(cet_distribution **d, const cet_distribution_spec *spec);

/* Frees d (NULL allowed) and sets *d to NULL. */
void cet_distribution_destroy(cet_distribution **d);

/* One draw. Reads d only (thread-safe for distinct r), no allocation. */
double cet_distribution_sample(const cet_distribution *d, gsl_rng *r);

/* Fills x[0..n-1] with draws. */
void cet_distribution_sample_n(const cet_distribution *d, gsl_rng *r, double *x, size_t n);

/* Kind of a prepared distribution. */
cet_dist_kind cet_distribution_kind(const cet_distribution *d);

/* Exact mean and variance of the distribution. */
double cet_distribution_mean(const cet_distribution *d);
double cet_distribution_variance(const cet_distribution *d);

/* Smallest and largest possible value (-inf / +inf when unbounded). */
void cet_distribution_support(const cet_distribution *d, double *lo, double *hi);

/* Cumulative distribution function P(X <= x) (NaN for a NaN x). Normal,
 * lognormal and pert through GSL's gsl_cdf_*_P; uniform and triangular in
 * closed form; discrete the sum of the probabilities of the values <= x.
 * A normal or lognormal law of zero spread is a step at its one value.
 * GSL cannot evaluate the beta CDF of a pert whose shape parameters run
 * into the millions (lambda of about 1e7 and more): NaN then. Reads d only
 * (thread-safe), no allocation. */
double cet_distribution_cdf(const cet_distribution *d, double x);

/* Quantile (inverse CDF) at probability p in [0, 1] into *x: the smallest
 * x with P(X <= x) >= p (for the continuous kinds the inverse of the CDF).
 * This is how a point of the unit cube (e.g. of a Sobol' design) becomes a
 * value of the variable. Normal and lognormal through GSL's
 * gsl_cdf_gaussian_Pinv / gsl_cdf_lognormal_Pinv (about 15 ns); uniform
 * and triangular in closed form; pert as min + (max - min) u with u the
 * beta(a, b) quantile, found by Newton's method on gsl_cdf_beta_P inside a
 * bracket (about 2 us; GSL's own gsl_cdf_beta_Pinv fails for some valid
 * laws); discrete the generalised inverse of the step CDF (values sorted,
 * equal values merged, values of zero weight never returned). p = 0 and
 * p = 1 give the ends of cet_distribution_support (-inf / +inf for the
 * unbounded kinds; a design's coordinates lie strictly inside (0, 1)).
 * CET_ERR_INPUT when p is not in [0, 1]; CET_ERR_RUNTIME for a pert whose
 * beta CDF GSL cannot evaluate (see cet_distribution_cdf). Reads d only
 * (thread-safe), no allocation. */
int cet_distribution_quantile(const cet_distribution *d, double p, double *x);

#endif /* CETWIN_DISTRIBUTION_H */
