/*
 * distribution.c — validation, preparation, sampling, CDF and quantile of
 * the distributions of uncertain variables (see distribution.h).
 */
#include "cetwin/distribution.h"

#include "cetwin/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cet_distribution {
  cet_dist_kind kind;
  double a, b, c;        /* kind-specific: see prepare_* */
  double alpha, beta;    /* pert: beta shape parameters */
  double log_beta;       /* pert: ln B(alpha, beta) */
  size_t n;              /* discrete */
  double *values;        /* discrete: owned copy */
  double *probabilities; /* discrete: normalised weights */
  gsl_ran_discrete_t *table;
  size_t n_sorted;   /* discrete: distinct values of positive probability */
  double *sorted;    /* discrete: those values, ascending */
  double *cumulated; /* discrete: P(X <= sorted[i]); the last is exactly 1 */
};

static const char *const kind_names[] = {"normal",     "lognormal", "uniform",
                                         "triangular", "pert",      "discrete"};
enum { N_KINDS = sizeof kind_names / sizeof kind_names[0] };

cet_distribution_spec cet_distribution_spec_init(cet_dist_kind kind) {
  cet_distribution_spec s;
  memset(&s, 0, sizeof s);
  s.kind = kind;
  s.lognormal_form = CET_LOGNORMAL_LOG;
  s.lambda = CET_PERT_LAMBDA_DEFAULT;
  return s;
}

const char *cet_distribution_kind_name(cet_dist_kind kind) {
  return (unsigned)kind < N_KINDS ? kind_names[kind] : "unknown";
}

int cet_distribution_kind_from_name(const char *name, cet_dist_kind *kind) {
  for (int i = 0; i < N_KINDS; i++) {
    if (strcmp(name, kind_names[i]) == 0) {
      *kind = (cet_dist_kind)i;
      return CET_OK;
    }
  }
  CET_CHECK(0, CET_ERR_INPUT,
            "unknown distribution '%s': expected normal, lognormal, uniform, triangular, pert or "
            "discrete",
            name);
}

static int check_finite(const char *kind, const char *what, double v) {
  CET_CHECK(isfinite(v), CET_ERR_INPUT, "%s distribution: %s must be a finite number, found %g",
            kind, what, v);
  return CET_OK;
}

static int prepare_range(cet_distribution *d, const cet_distribution_spec *s, int with_mode) {
  const char *k = kind_names[s->kind];
  CET_CALL(check_finite(k, "min", s->min));
  CET_CALL(check_finite(k, "max", s->max));
  CET_CHECK(s->min < s->max, CET_ERR_INPUT, "%s distribution: expected min < max, found %g >= %g",
            k, s->min, s->max);
  if (with_mode) {
    CET_CALL(check_finite(k, "mode", s->mode));
    CET_CHECK(s->mode >= s->min && s->mode <= s->max, CET_ERR_INPUT,
              "%s distribution: expected min <= mode <= max, found mode %g outside [%g, %g]", k,
              s->mode, s->min, s->max);
  }
  d->a = s->min;
  d->b = s->max;
  d->c = s->mode;
  return CET_OK;
}

static int prepare_lognormal(cet_distribution *d, const cet_distribution_spec *s) {
  if (s->lognormal_form == CET_LOGNORMAL_MOMENTS) {
    CET_CALL(check_finite("lognormal", "mean", s->mean));
    CET_CALL(check_finite("lognormal", "sd", s->sd));
    CET_CHECK(s->mean > 0.0, CET_ERR_INPUT,
              "lognormal distribution: the mean of the variable must be > 0, found %g", s->mean);
    CET_CHECK(s->sd >= 0.0, CET_ERR_INPUT,
              "lognormal distribution: the sd of the variable must be >= 0, found %g", s->sd);
    double cv = s->sd / s->mean;
    double var_log = log1p(cv * cv);
    d->a = log(s->mean) - 0.5 * var_log;
    d->b = sqrt(var_log);
  } else {
    CET_CHECK(s->lognormal_form == CET_LOGNORMAL_LOG, CET_ERR_INPUT,
              "lognormal distribution: unknown parametrisation %d (expected log or moments)",
              (int)s->lognormal_form);
    CET_CALL(check_finite("lognormal", "mu", s->mu));
    CET_CALL(check_finite("lognormal", "sigma", s->sigma));
    CET_CHECK(s->sigma >= 0.0, CET_ERR_INPUT,
              "lognormal distribution: sigma (sd of ln x) must be >= 0, found %g", s->sigma);
    d->a = s->mu;
    d->b = s->sigma;
  }
  return CET_OK;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The step CDF of a discrete law: its distinct values of positive
 * probability, sorted, with the cumulated probabilities. */
static int prepare_steps(cet_distribution *d) {
  d->sorted = malloc(d->n * sizeof *d->sorted);
  d->cumulated = malloc(d->n * sizeof *d->cumulated);
  CET_CHECK_ALLOC(d->sorted);
  CET_CHECK_ALLOC(d->cumulated);
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++) {
    if (d->probabilities[i] > 0.0) {
      d->sorted[n++] = d->values[i];
    }
  }
  qsort(d->sorted, n, sizeof *d->sorted, compare_doubles);
  size_t distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (distinct == 0 || d->sorted[i] != d->sorted[distinct - 1]) {
      d->sorted[distinct++] = d->sorted[i];
    }
  }
  d->n_sorted = distinct;
  for (size_t k = 0; k < distinct; k++) {
    d->cumulated[k] = 0.0;
  }
  for (size_t i = 0; i < d->n; i++) {
    if (d->probabilities[i] > 0.0) {
      double *at = bsearch(&d->values[i], d->sorted, distinct, sizeof *d->sorted, compare_doubles);
      d->cumulated[at - d->sorted] += d->probabilities[i];
    }
  }
  for (size_t k = 1; k < distinct; k++) {
    d->cumulated[k] += d->cumulated[k - 1];
  }
  d->cumulated[distinct - 1] = 1.0;
  return CET_OK;
}

static int prepare_discrete(cet_distribution *d, const cet_distribution_spec *s) {
  CET_CHECK(s->n > 0 && s->values != NULL, CET_ERR_INPUT,
            "discrete distribution: expected at least one value, found none");
  d->n = s->n;
  d->values = malloc(s->n * sizeof *d->values);
  d->probabilities = malloc(s->n * sizeof *d->probabilities);
  CET_CHECK_ALLOC(d->values);
  CET_CHECK_ALLOC(d->probabilities);
  double total = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    CET_CHECK(isfinite(s->values[i]), CET_ERR_INPUT,
              "discrete distribution: value %zu must be finite, found %g", i + 1, s->values[i]);
    double w = s->weights != NULL ? s->weights[i] : 1.0;
    CET_CHECK(isfinite(w) && w >= 0.0, CET_ERR_INPUT,
              "discrete distribution: weight %zu must be a finite number >= 0, found %g", i + 1, w);
    d->values[i] = s->values[i];
    d->probabilities[i] = w;
    total += w;
  }
  CET_CHECK(total > 0.0, CET_ERR_INPUT, "discrete distribution: the weights must not all be zero");
  for (size_t i = 0; i < s->n; i++) {
    d->probabilities[i] /= total;
  }
  d->table = gsl_ran_discrete_preproc(s->n, d->probabilities);
  CET_CHECK_ALLOC(d->table);
  return prepare_steps(d);
}

static int prepare(cet_distribution *d, const cet_distribution_spec *s) {
  d->kind = s->kind;
  switch (s->kind) {
  case CET_DIST_NORMAL:
    CET_CALL(check_finite("normal", "mean", s->mean));
    CET_CALL(check_finite("normal", "sd", s->sd));
    CET_CHECK(s->sd >= 0.0, CET_ERR_INPUT, "normal distribution: sd must be >= 0, found %g", s->sd);
    d->a = s->mean;
    d->b = s->sd;
    return CET_OK;
  case CET_DIST_LOGNORMAL:
    return prepare_lognormal(d, s);
  case CET_DIST_UNIFORM:
    return prepare_range(d, s, 0);
  case CET_DIST_TRIANGULAR:
    return prepare_range(d, s, 1);
  case CET_DIST_PERT:
    CET_CALL(prepare_range(d, s, 1));
    CET_CHECK(isfinite(s->lambda) && s->lambda > 0.0, CET_ERR_INPUT,
              "pert distribution: lambda must be a finite number > 0, found %g", s->lambda);
    d->alpha = 1.0 + s->lambda * (s->mode - s->min) / (s->max - s->min);
    d->beta = 1.0 + s->lambda * (s->max - s->mode) / (s->max - s->min);
    d->log_beta = gsl_sf_lnbeta(d->alpha, d->beta);
    return CET_OK;
  case CET_DIST_DISCRETE:
    return prepare_discrete(d, s);
  }
  CET_CHECK(0, CET_ERR_INPUT, "unknown distribution kind %d", (int)s->kind);
}

int cet_distribution_create(cet_distribution **d, const cet_distribution_spec *spec) {
  *d = NULL;
  cet_distribution *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, prepare(t, spec));
  *d = t;
  return CET_OK;
fail:
  cet_distribution_destroy(&t);
  return status;
}

void cet_distribution_destroy(cet_distribution **d) {
  if (d == NULL || *d == NULL) {
    return;
  }
  if ((*d)->table != NULL) {
    gsl_ran_discrete_free((*d)->table);
  }
  free((*d)->values);
  free((*d)->probabilities);
  free((*d)->sorted);
  free((*d)->cumulated);
  free(*d);
  *d = NULL;
}

static double triangular(const cet_distribution *d, double u) {
  double lo = d->a, hi = d->b, mode = d->c, width = hi - lo;
  double split = (mode - lo) / width;
  if (u < split) {
    return lo + sqrt(u * width * (mode - lo));
  }
  return hi - sqrt((1.0 - u) * width * (hi - mode));
}

double cet_distribution_sample(const cet_distribution *d, gsl_rng *r) {
  switch (d->kind) {
  case CET_DIST_NORMAL:
    return d->a + gsl_ran_gaussian_ziggurat(r, 1.0) * d->b;
  case CET_DIST_LOGNORMAL:
    return exp(d->a + gsl_ran_gaussian_ziggurat(r, 1.0) * d->b);
  case CET_DIST_UNIFORM:
    return gsl_ran_flat(r, d->a, d->b);
  case CET_DIST_TRIANGULAR:
    return triangular(d, gsl_rng_uniform(r));
  case CET_DIST_PERT:
    return d->a + (d->b - d->a) * gsl_ran_beta(r, d->alpha, d->beta);
  case CET_DIST_DISCRETE:
    return d->values[gsl_ran_discrete(r, d->table)];
  }
  return NAN;
}

void cet_distribution_sample_n(const cet_distribution *d, gsl_rng *r, double *x, size_t n) {
  for (size_t i = 0; i < n; i++) {
    x[i] = cet_distribution_sample(d, r);
  }
}

double cet_distribution_mean(const cet_distribution *d) {
  switch (d->kind) {
  case CET_DIST_NORMAL:
    return d->a;
  case CET_DIST_LOGNORMAL:
    return exp(d->a + 0.5 * d->b * d->b);
  case CET_DIST_UNIFORM:
    return 0.5 * (d->a + d->b);
  case CET_DIST_TRIANGULAR:
    return (d->a + d->b + d->c) / 3.0;
  case CET_DIST_PERT:
    return d->a + (d->b - d->a) * d->alpha / (d->alpha + d->beta);
  case CET_DIST_DISCRETE: {
    double m = 0.0;
    for (size_t i = 0; i < d->n; i++) {
      m += d->probabilities[i] * d->values[i];
    }
    return m;
  }
  }
  return NAN;
}

double cet_distribution_variance(const cet_distribution *d) {
  double lo = d->a, hi = d->b, mode = d->c;
  switch (d->kind) {
  case CET_DIST_NORMAL:
    return d->b * d->b;
  case CET_DIST_LOGNORMAL: {
    double s2 = d->b * d->b;
    return expm1(s2) * exp(2.0 * d->a + s2);
  }
  case CET_DIST_UNIFORM:
    return (hi - lo) * (hi - lo) / 12.0;
  case CET_DIST_TRIANGULAR:
    return (lo * lo + hi * hi + mode * mode - lo * hi - lo * mode - hi * mode) / 18.0;
  case CET_DIST_PERT: {
    double ab = d->alpha + d->beta, w = hi - lo;
    return w * w * d->alpha * d->beta / (ab * ab * (ab + 1.0));
  }
  case CET_DIST_DISCRETE: {
    double m = cet_distribution_mean(d), v = 0.0;
    for (size_t i = 0; i < d->n; i++) {
      v += d->probabilities[i] * (d->values[i] - m) * (d->values[i] - m);
    }
    return v;
  }
  }
  return NAN;
}

void cet_distribution_support(const cet_distribution *d, double *lo, double *hi) {
  switch (d->kind) {
  case CET_DIST_NORMAL:
    *lo = d->b > 0.0 ? -INFINITY : d->a;
    *hi = d->b > 0.0 ? INFINITY : d->a;
    return;
  case CET_DIST_LOGNORMAL:
    *lo = d->b > 0.0 ? 0.0 : exp(d->a);
    *hi = d->b > 0.0 ? INFINITY : exp(d->a);
    return;
  case CET_DIST_UNIFORM:
  case CET_DIST_TRIANGULAR:
  case CET_DIST_PERT:
    *lo = d->a;
    *hi = d->b;
    return;
  case CET_DIST_DISCRETE:
    *lo = d->sorted[0];
    *hi = d->sorted[d->n_sorted - 1];
    return;
  }
  *lo = *hi = NAN;
}

cet_dist_kind cet_distribution_kind(const cet_distribution *d) { return d->kind; }

/* The CDF of a law of zero spread at v (a step). */
static double step_cdf(double v, double x) { return x >= v ? 1.0 : 0.0; }

static double triangular_cdf(const cet_distribution *d, double x) {
  double lo = d->a, hi = d->b, mode = d->c, width = hi - lo;
  if (x <= lo) {
    return 0.0;
  }
  if (x >= hi) {
    return 1.0;
  }
  if (x <= mode) {
    return (x - lo) * (x - lo) / (width * (mode - lo));
  }
  return 1.0 - (hi - x) * (hi - x) / (width * (hi - mode));
}

/* Number of sorted values of a discrete law that are <= x. */
static size_t steps_at_or_below(const cet_distribution *d, double x) {
  size_t lo = 0, hi = d->n_sorted;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->sorted[mid] <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

double cet_distribution_cdf(const cet_distribution *d, double x) {
  if (isnan(x)) {
    return NAN;
  }
  switch (d->kind) {
  case CET_DIST_NORMAL:
    return d->b > 0.0 ? gsl_cdf_gaussian_P(x - d->a, d->b) : step_cdf(d->a, x);
  case CET_DIST_LOGNORMAL:
    if (x <= 0.0) {
      return 0.0;
    }
    return d->b > 0.0 ? gsl_cdf_lognormal_P(x, d->a, d->b) : step_cdf(exp(d->a), x);
  case CET_DIST_UNIFORM:
    return x <= d->a ? 0.0 : x >= d->b ? 1.0 : (x - d->a) / (d->b - d->a);
  case CET_DIST_TRIANGULAR:
    return triangular_cdf(d, x);
  case CET_DIST_PERT:
    return x <= d->a   ? 0.0
           : x >= d->b ? 1.0
                       : gsl_cdf_beta_P((x - d->a) / (d->b - d->a), d->alpha, d->beta);
  case CET_DIST_DISCRETE: {
    size_t k = steps_at_or_below(d, x);
    return k == 0 ? 0.0 : d->cumulated[k - 1];
  }
  }
  return NAN;
}

/* The smallest sorted value whose cumulated probability is >= p. */
static double discrete_quantile(const cet_distribution *d, double p) {
  size_t lo = 0, hi = d->n_sorted - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->cumulated[mid] >= p) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return d->sorted[lo];
}

/* x kept inside [lo, hi] despite rounding. */
static double clamp(double lo, double hi, double x) { return x < lo ? lo : x > hi ? hi : x; }

/* lo + (hi - lo) u for u in [0, 1], inside [lo, hi]. */
static double within(double lo, double hi, double u) { return clamp(lo, hi, lo + (hi - lo) * u); }

/* Newton steps of the beta quantile before it gives up (it converges in a
 * handful: the start is the tail expansion or the mean). */
enum { BETA_QUANTILE_ITERATIONS = 100 };

/* Quantile of Beta(a, b) (a, b >= 1, ln B(a, b) = log_beta) at p in (0,
 * 1/2]: Newton's method on I_x(a, b) = p kept inside the bracket that the
 * signs of I_x(a, b) - p give (a bisection when a step leaves it), started
 * from the lower-tail expansion I_x ~ x^a / (a B(a, b)) when that lies
 * below the mean, else from the mean. GSL's gsl_cdf_beta_Pinv is not used:
 * it fails to converge for, e.g., Beta(1, 1001) above p = 0.52.
 * CET_ERR_RUNTIME when GSL cannot evaluate the CDF (shape parameters of
 * millions) or the iteration does not settle. */
static int beta_lower_quantile(double p, double a, double b, double log_beta, double *x) {
  double lo = 0.0, hi = 1.0, mean = a / (a + b);
  double t = exp((log(p) + log(a) + log_beta) / a);
  double u = t < mean ? t : mean;
  for (int it = 0; it < BETA_QUANTILE_ITERATIONS; it++) {
    double f = gsl_cdf_beta_P(u, a, b) - p;
    CET_CHECK(isfinite(f), CET_ERR_RUNTIME,
              "pert distribution: GSL cannot evaluate the CDF of beta(%g, %g) at %.17g", a, b, u);
    if (f == 0.0) {
      break;
    }
    if (f < 0.0) {
      lo = u;
    } else {
      hi = u;
    }
    double log_pdf = (a - 1.0) * log(u) + (b - 1.0) * log1p(-u) - log_beta;
    double next = u - f / exp(log_pdf);
    if (!(next > lo && next < hi)) {
      next = 0.5 * (lo + hi);
    }
    if (fabs(next - u) <= 4.0 * DBL_EPSILON * u) {
      *x = next;
      return CET_OK;
    }
    u = next;
  }
  CET_CHECK(fabs(gsl_cdf_beta_P(u, a, b) - p) <= 1e-12 * p, CET_ERR_RUNTIME,
            "pert distribution: the quantile of beta(%g, %g) at p = %.17g did not converge", a, b,
            p);
  *x = u;
  return CET_OK;
}

/* Quantile of the beta law of a pert at p in [0, 1], in [0, 1]. */
static int beta_quantile(const cet_distribution *d, double p, double *x) {
  if (p == 0.0 || p == 1.0) {
    *x = p;
    return CET_OK;
  }
  if (p <= 0.5) {
    CET_CALL(beta_lower_quantile(p, d->alpha, d->beta, d->log_beta, x));
    return CET_OK;
  }
  double y;
  CET_CALL(beta_lower_quantile(1.0 - p, d->beta, d->alpha, d->log_beta, &y));
  *x = 1.0 - y;
  return CET_OK;
}

int cet_distribution_quantile(const cet_distribution *d, double p, double *x) {
  CET_CHECK(p >= 0.0 && p <= 1.0, CET_ERR_INPUT,
            "%s distribution: the probability of a quantile must lie in [0, 1], found %g",
            cet_distribution_kind_name(d->kind), p);
  switch (d->kind) {
  case CET_DIST_NORMAL:
    *x = d->b > 0.0 ? d->a + gsl_cdf_gaussian_Pinv(p, d->b) : d->a;
    return CET_OK;
  case CET_DIST_LOGNORMAL:
    *x = d->b > 0.0 ? gsl_cdf_lognormal_Pinv(p, d->a, d->b) : exp(d->a);
    return CET_OK;
  case CET_DIST_UNIFORM:
    *x = within(d->a, d->b, p);
    return CET_OK;
  case CET_DIST_TRIANGULAR:
    *x = clamp(d->a, d->b, triangular(d, p));
    return CET_OK;
  case CET_DIST_PERT: {
    double u;
    CET_CALL(beta_quantile(d, p, &u));
    *x = within(d->a, d->b, u);
    return CET_OK;
  }
  case CET_DIST_DISCRETE:
    *x = discrete_quantile(d, p);
    return CET_OK;
  }
  CET_CHECK(0, CET_ERR_INPUT, "unknown distribution kind %d", (int)d->kind);
}
