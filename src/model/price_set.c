/*
 * price_set.c — correlated sets of price models: the correlation of their
 * residuals or a given one and its Cholesky factor, the workspaces of their
 * draws, correlated paths one draw at a time and in batches of draws run in
 * vector lanes (see include/cetwin/price.h).
 */
#include "price_impl.h"

#include "vexp.h"

#include "cetwin/clones.h"

#include "cetwin/error.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Draws handled together in the vector lanes of the batched paths, as one
 * vector value (GCC/Clang vector extension: element-wise arithmetic, each
 * lane the same operations as a scalar, so the same bits). */
enum { BATCH_LANES = 8 };
typedef double batch_lanes __attribute__((vector_size(BATCH_LANES * sizeof(double))));

/* Smallest eigenvalue a correlation matrix must exceed to be used. */
static const double PD_TOLERANCE = 1e-12;
/* Allowed asymmetry and deviation of the diagonal from 1 of a given
 * correlation matrix. */
static const double CORR_TOLERANCE = 1e-12;

/* ---- correlated sets ---------------------------------------------------- */

void cet_price_set_destroy(cet_price_set **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  free((*s)->models);
  free((*s)->corr);
  free((*s)->chol);
  free(*s);
  *s = NULL;
}

size_t cet_price_set_size(const cet_price_set *s) { return s->n; }

void cet_price_set_correlation(const cet_price_set *s, double *corr) {
  memcpy(corr, s->corr, s->n * s->n * sizeof *corr);
}

static int check_correlation(size_t n, const double *c) {
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(fabs(c[i * n + i] - 1.0) <= CORR_TOLERANCE, CET_ERR_INPUT,
              "price correlation: expected 1 on the diagonal, found %g at (%zu, %zu)", c[i * n + i],
              i + 1, i + 1);
    for (size_t j = 0; j < n; j++) {
      double v = c[i * n + j];
      CET_CHECK(isfinite(v) && fabs(v) <= 1.0, CET_ERR_INPUT,
                "price correlation: expected values in [-1, 1], found %g at (%zu, %zu)", v, i + 1,
                j + 1);
      CET_CHECK(fabs(v - c[j * n + i]) <= CORR_TOLERANCE, CET_ERR_INPUT,
                "price correlation: expected a symmetric matrix, found %g at (%zu, %zu) and %g "
                "at (%zu, %zu)",
                v, i + 1, j + 1, c[j * n + i], j + 1, i + 1);
    }
  }
  return CET_OK;
}

/* Pearson correlation of the residuals of the fitted AR members over the
 * years all of them have. */
static int estimate_correlation(cet_price_set *s) {
  const size_t n = s->n;
  int y0 = INT_MIN, y1 = INT_MAX, members = 0;
  for (size_t c = 0; c < n; c++) {
    s->corr[c * n + c] = 1.0;
    const cet_price_model *m = s->models[c];
    if (m->kind != CET_PRICE_AR) {
      continue;
    }
    CET_CHECK(m->fitted, CET_ERR_INPUT,
              "price correlation: member %zu is an AR model given by its coefficients and has no "
              "residuals; give the correlation matrix",
              c + 1);
    members++;
    y0 = m->residual_first_year > y0 ? m->residual_first_year : y0;
    y1 = m->last_year < y1 ? m->last_year : y1;
  }
  if (members < 2) {
    return CET_OK;
  }
  CET_CHECK(y1 - y0 + 1 >= 2, CET_ERR_INPUT,
            "price correlation: the fitted members share %d year(s) of residuals (%d..%d); "
            "expected at least 2",
            y1 >= y0 ? y1 - y0 + 1 : 0, y0, y1);
  const size_t T = (size_t)(y1 - y0 + 1);
  for (size_t a = 0; a < n; a++) {
    for (size_t b = a + 1; b < n; b++) {
      const cet_price_model *ma = s->models[a], *mb = s->models[b];
      if (ma->kind != CET_PRICE_AR || mb->kind != CET_PRICE_AR) {
        continue;
      }
      const double *ea = ma->residual + (y0 - ma->residual_first_year);
      const double *eb = mb->residual + (y0 - mb->residual_first_year);
      double mean_a = 0, mean_b = 0;
      for (size_t t = 0; t < T; t++) {
        mean_a += ea[t] / (double)T;
        mean_b += eb[t] / (double)T;
      }
      double sab = 0, saa = 0, sbb = 0;
      for (size_t t = 0; t < T; t++) {
        sab += (ea[t] - mean_a) * (eb[t] - mean_b);
        saa += (ea[t] - mean_a) * (ea[t] - mean_a);
        sbb += (eb[t] - mean_b) * (eb[t] - mean_b);
      }
      CET_CHECK(saa > 0.0 && sbb > 0.0, CET_ERR_INPUT,
                "price correlation: member %zu has no residual variation over %d..%d",
                saa > 0.0 ? b + 1 : a + 1, y0, y1);
      s->corr[a * n + b] = s->corr[b * n + a] = sab / sqrt(saa * sbb);
    }
  }
  return CET_OK;
}

/* Cholesky factor of the correlation after checking that it is positive
 * definite by its smallest eigenvalue (so the error can say how far it is
 * from being usable). */
static int factorize(cet_price_set *s) {
  const size_t n = s->n;
  int status = CET_OK;
  gsl_matrix *a = gsl_matrix_alloc(n, n);
  gsl_vector *eval = gsl_vector_alloc(n);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
  CET_CHECK_ALLOC_GOTO(status, done, a && eval && w);
  memcpy(a->data, s->corr, n * n * sizeof(double));
  CET_CHECK_GOTO(status, done, gsl_eigen_symm(a, eval, w) == 0, CET_ERR_RUNTIME,
                 "price correlation: eigenvalues failed");
  double smallest = gsl_vector_min(eval);
  CET_CHECK_GOTO(status, done, smallest > PD_TOLERANCE, CET_ERR_INPUT,
                 "price correlation: the %zu x %zu correlation matrix is not positive definite "
                 "(smallest eigenvalue %g, expected > %g); histories that share few years or "
                 "move in lockstep give such matrices: lengthen them, drop a member or give the "
                 "correlation explicitly",
                 n, n, smallest, PD_TOLERANCE);
  memcpy(a->data, s->corr, n * n * sizeof(double));
  CET_CHECK_GOTO(status, done, gsl_linalg_cholesky_decomp1(a) == 0, CET_ERR_INPUT,
                 "price correlation: Cholesky factorisation failed");
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) {
      s->chol[i * n + j] = j <= i ? gsl_matrix_get(a, i, j) : 0.0;
    }
  }
done:
  gsl_eigen_symm_free(w);
  gsl_vector_free(eval);
  gsl_matrix_free(a);
  return status;
}

static int build_set(cet_price_set *s, const cet_price_model *const *models, const double *corr) {
  const size_t n = s->n;
  s->first_forecast_year = INT_MAX;
  for (size_t c = 0; c < n; c++) {
    CET_CHECK(models[c] != NULL, CET_ERR_INPUT, "price set: member %zu is missing", c + 1);
    s->models[c] = models[c];
    if (models[c]->kind == CET_PRICE_AR && models[c]->last_year + 1 < s->first_forecast_year) {
      s->first_forecast_year = models[c]->last_year + 1;
    }
  }
  if (corr != NULL) {
    CET_CALL(check_correlation(n, corr));
    memcpy(s->corr, corr, n * n * sizeof *corr);
  } else {
    CET_CALL(estimate_correlation(s));
  }
  CET_CALL(factorize(s));
  return CET_OK;
}

int cet_price_set_create(cet_price_set **s, size_t n, const cet_price_model *const *models,
                         const double *corr) {
  *s = NULL;
  CET_CHECK(n > 0 && models != NULL, CET_ERR_INPUT, "price set: expected at least one model");
  cet_price_set *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  t->n = n;
  t->models = calloc(n, sizeof *t->models);
  t->corr = calloc(n * n, sizeof *t->corr);
  t->chol = calloc(n * n, sizeof *t->chol);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, t->models != NULL && t->corr != NULL && t->chol != NULL);
  CET_CALL_GOTO(status, fail, build_set(t, models, corr));
  *s = t;
  return CET_OK;
fail:
  cet_price_set_destroy(&t);
  return status;
}

int cet_price_workspace_create(const cet_price_set *s, int first_year, size_t n_years,
                               cet_price_workspace **ws) {
  return cet_price_workspace_create_batch(s, first_year, n_years, 1, ws);
}

int cet_price_workspace_create_batch(const cet_price_set *s, int first_year, size_t n_years,
                                     size_t max_batch, cet_price_workspace **ws) {
  *ws = NULL;
  CET_CHECK(max_batch > 0, CET_ERR_INPUT, "price workspace: expected a batch of at least one draw");
  CET_CHECK(n_years > 0, CET_ERR_INPUT, "price workspace: expected at least one year");
  cet_price_workspace *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  long last = (long)first_year + (long)n_years - 1;
  w->set = s;
  w->n = s->n;
  w->n_years = n_years;
  w->first_year = first_year;
  w->steps = last >= s->first_forecast_year ? (size_t)(last - s->first_forecast_year + 1) : 0;
  w->z = calloc(w->steps * s->n + 1, sizeof *w->z);
  w->shock = calloc(w->steps * s->n + 1, sizeof *w->shock);
  w->batch = max_batch;
  w->es = calloc(s->n * w->steps * max_batch + 1, sizeof *w->es);
  w->st = calloc((CET_PRICE_MAX_ORDER + 1) * max_batch + 1, sizeof *w->st);
  w->kn = calloc(n_years + 1, sizeof *w->kn);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, w->z && w->shock && w->es && w->st && w->kn);
  *ws = w;
  return CET_OK;
fail:
  cet_price_workspace_destroy(&w);
  return status;
}

void cet_price_workspace_destroy(cet_price_workspace **ws) {
  if (ws == NULL || *ws == NULL) {
    return;
  }
  free((*ws)->z);
  free((*ws)->shock);
  free((*ws)->es);
  free((*ws)->st);
  free((*ws)->kn);
  free(*ws);
  *ws = NULL;
}

size_t cet_price_workspace_steps(const cet_price_workspace *ws) { return ws->steps; }

int cet_price_set_simulate(const cet_price_set *s, const double *z, cet_price_workspace *ws,
                           double *out, size_t ld) {
  const size_t n = s->n, steps = ws->steps;
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  CET_CHECK(ld >= ws->n_years, CET_ERR_INPUT,
            "price set: leading dimension %zu is smaller than the %zu years", ld, ws->n_years);
  for (size_t k = 0; k < steps; k++) {
    const double *zk = z + k * n;
    for (size_t c = 0; c < n; c++) {
      const double *l = s->chol + c * n;
      double e = 0.0;
      for (size_t j = 0; j <= c; j++) {
        e += l[j] * zk[j];
      }
      ws->shock[c * steps + k] = e;
    }
  }
  for (size_t c = 0; c < n; c++) {
    const cet_price_model *m = s->models[c];
    const double *shocks = NULL;
    if (m->kind == CET_PRICE_AR) {
      size_t offset = (size_t)(m->last_year + 1 - s->first_forecast_year);
      shocks = offset < steps ? ws->shock + c * steps + offset : NULL;
    }
    CET_CALL(cet_price_simulate(m, ws->first_year, ws->n_years, shocks, out + c * ld));
  }
  return CET_OK;
}

/* Member c's forecast for the draws of a batch into xs (year t of draw d
 * at xs[t * stride + d], model scale, then prices); returns the first year
 * index written, or n_years. Inlined into each instruction-set version of
 * cet_price_set_simulate_batch, so that it vectorises as widely. */
static inline __attribute__((always_inline)) size_t batch_member(const cet_price_set *s, size_t c,
                                                                 size_t B, cet_price_workspace *ws,
                                                                 double *xs, size_t stride) {
  const cet_price_model *m = s->models[c];
  const size_t S = ws->steps, ny = ws->n_years;
  size_t steps = cet_price_shocks_needed(m, ws->first_year, ny);
  if (m->kind != CET_PRICE_AR || steps == 0) {
    return ny;
  }
  const size_t offset = (size_t)(m->last_year + 1 - s->first_forecast_year);
  const int p = m->order;
  const double sigma = sqrt(m->sigma2);
  double *st = ws->st;
  for (int i = 0; i < p; i++) {
    for (size_t d = 0; d < B; d++) {
      st[(size_t)i * B + d] = m->tail[i];
    }
  }
  size_t first_out = ny;
  for (size_t h = 1; h <= steps; h++) {
    const double *e = ws->es + (c * S + offset + h - 1) * B;
    long year = (long)m->last_year + (long)h;
    double *x = year >= ws->first_year ? xs + (size_t)(year - ws->first_year) * stride : NULL;
    double *v = x ? x : st + (size_t)CET_PRICE_MAX_ORDER * B; /* the new values */
    /* one loop over the draws per term, each vectorised; per draw the
     * terms add up in the order of cet_price_simulate */
    for (size_t d = 0; d < B; d++) {
      v[d] = m->intercept + sigma * e[d];
    }
    for (int i = 1; i <= p; i++) {
      const double phi = m->phi[i - 1], *old = st + (size_t)(p - i) * B;
      for (size_t d = 0; d < B; d++) {
        v[d] += phi * old[d];
      }
    }
    memmove(st, st + B, (size_t)(p - 1) * B * sizeof *st);
    memcpy(st + (size_t)(p - 1) * B, v, B * sizeof *st);
    if (x && first_out == ny) {
      first_out = (size_t)(year - ws->first_year);
    }
  }
  for (size_t t = first_out; m->scale == CET_PRICE_LOG && t < ny; t++) {
    cet_vexp(xs + t * stride, xs + t * stride, B);
  }
  return first_out;
}

/* Built for the widest vectors the processor has (chosen at run time); the
 * operations per draw are the same in every version (no fused
 * multiply-adds in ISO C), so are the bits. */
CET_CLONES static int simulate_batch_clones(const cet_price_set *s, size_t count, size_t stride,
                                            const double *z, cet_price_workspace *ws, double *out,
                                            size_t ld) {
  const size_t n = s->n, S = ws->steps, ny = ws->n_years, B = count;
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  CET_CHECK(count <= ws->batch, CET_ERR_INPUT,
            "price set: a batch of %zu draws exceeds the workspace's %zu", count, ws->batch);
  CET_CHECK(ld >= ny, CET_ERR_INPUT,
            "price set: leading dimension %zu is smaller than the %zu years", ld, ny);
  CET_CHECK(stride >= count, CET_ERR_INPUT,
            "price set: a stride of %zu cannot hold a batch of %zu draws", stride, count);
  /* correlated shocks e = L z, summed in the order of cet_price_set_simulate
   * (the draws in the vector lanes, the sum in registers) */
  for (size_t c = 0; c < n; c++) {
    const double *l = s->chol + c * n;
    for (size_t k = 0; k < S; k++) {
      double *e = ws->es + (c * S + k) * B;
      const double *zk = z + k * n * stride;
      size_t d = 0;
      for (; d + BATCH_LANES <= B; d += BATCH_LANES) {
        batch_lanes acc = {0.0}, zj;
        for (size_t j = 0; j <= c; j++) {
          memcpy(&zj, zk + j * stride + d, sizeof zj);
          acc += l[j] * zj;
        }
        memcpy(e + d, &acc, sizeof acc);
      }
      for (; d < B; d++) {
        double acc = 0.0;
        for (size_t j = 0; j <= c; j++) {
          acc += l[j] * zk[j * stride + d];
        }
        e[d] = acc;
      }
    }
  }
  for (size_t c = 0; c < n; c++) {
    double *xs = out + c * ld * stride;
    size_t first_out = batch_member(s, c, B, ws, xs, stride);
    cet_price_fill_known(s->models[c], ws->first_year, ny, ws->kn);
    for (size_t t = 0; t < first_out; t++) {
      for (size_t d = 0; d < B; d++) {
        xs[t * stride + d] = ws->kn[t];
      }
    }
  }
  return CET_OK;
}

int cet_price_set_simulate_batch(const cet_price_set *s, size_t count, size_t stride,
                                 const double *z, cet_price_workspace *ws, double *out, size_t ld) {
  return simulate_batch_clones(s, count, stride, z, ws, out, ld);
}

int cet_price_set_draw(const cet_price_set *s, gsl_rng *r, cet_price_workspace *ws, double *out,
                       size_t ld) {
  CET_CHECK(ws->set == s, CET_ERR_INPUT, "price workspace was allocated for another set");
  const size_t count = ws->steps * ws->n;
  for (size_t i = 0; i < count; i++) {
    ws->z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
  }
  return cet_price_set_simulate(s, ws->z, ws, out, ld);
}
