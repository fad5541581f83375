/*
 * distribution.c — validation, preparation and sampling of the
 * distributions of uncertain variables (see distribution.h).
 */
#include "cetwin/distribution.h"

#include "cetwin/error.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cet_distribution {
  cet_dist_kind kind;
  double a, b, c;        /* kind-specific: see prepare_* */
  double alpha, beta;    /* pert: beta shape parameters */
  size_t n;              /* discrete */
  double *values;        /* discrete: owned copy */
  double *probabilities; /* discrete: normalised weights */
  gsl_ran_discrete_t *table;
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
  return CET_OK;
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
  int status = prepare(t, spec);
  if (status != CET_OK) {
    cet_distribution_destroy(&t);
    CET_CALL(status);
  }
  *d = t;
  return CET_OK;
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
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < d->n; i++) {
      if (d->probabilities[i] > 0.0) {
        *lo = fmin(*lo, d->values[i]);
        *hi = fmax(*hi, d->values[i]);
      }
    }
    return;
  }
  *lo = *hi = NAN;
}

cet_dist_kind cet_distribution_kind(const cet_distribution *d) { return d->kind; }
