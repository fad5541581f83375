/*
 * reconcile.c — data reconciliation of a network twin (reconcile.h): the
 * null space of the balances, the Gauss-Newton iteration on the measured
 * quantities, the classification of measurements and flows, the global and
 * measurement tests, and setting gross errors aside.
 */
#include "cetwin/reconcile.h"

#include "cetwin/error.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Singular values below this fraction of the largest count as zero (the
 * balances' null space and the rank of the measurement model). */
static const double RANK_TOLERANCE = 1e-10;
/* A quantity is observable when its part outside the directions the
 * measurements see is at most this fraction of it. */
static const double OBSERVABLE_TOLERANCE = 1e-7;
/* A measurement is redundant when the variance of its adjustment is above
 * this fraction of its own variance. */
static const double REDUNDANT_TOLERANCE = 1e-8;
/* A stream whose total is at most this fraction of the largest flow of the
 * start carries no flow: the fraction measured on it is undefined. */
static const double NO_FLOW = 1e-9;
/* Halvings of a Gauss-Newton step that does not lower the sum of squares. */
enum { MAX_HALVINGS = 40 };

static const char *const KIND_NAMES[CET_MEASURE_KINDS] = {"total", "flow", "fraction"};

const char *cet_measure_kind_name(cet_measure_kind k) {
  return k < CET_MEASURE_KINDS ? KIND_NAMES[k] : "?";
}

void cet_reconcile_spec_destroy(cet_reconcile_spec **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  for (size_t i = 0; i < (*s)->n; i++) {
    free((*s)->measure[i].quantity);
    free((*s)->measure[i].where);
  }
  free((*s)->measure);
  free((*s)->source);
  free((*s)->csv);
  free((*s)->write_parameters);
  free(*s);
  *s = NULL;
}

void cet_reconcile_result_free(cet_reconcile_result **r) {
  if (r == NULL || *r == NULL) {
    return;
  }
  cet_reconcile_result *x = *r;
  free(x->reconciled);
  free(x->reconciled_sd);
  free(x->adjustment);
  free(x->normalised);
  free(x->redundant);
  free(x->used);
  free(x->dropped);
  free(x->dropped_statistic);
  free(x->flow);
  free(x->flow_sd);
  free(x->total);
  free(x->total_sd);
  free(x->flow_observable);
  free(x->total_observable);
  free(x);
  *r = NULL;
}

/* A thin singular value decomposition J = U diag(S) V^T of an nm x nz
 * matrix, q = min(nm, nz) values in decreasing order, rank of them above
 * the tolerance. */
typedef struct {
  gsl_matrix *u; /* nm x q */
  gsl_matrix *v; /* nz x q */
  gsl_vector *s; /* q */
  size_t rank;
} svd;

static void svd_free(svd *d) {
  gsl_matrix_free(d->u);
  gsl_matrix_free(d->v);
  gsl_vector_free(d->s);
  *d = (svd){0};
}

/* Decomposes j (nm x nz, both > 0; not changed). */
static int svd_of(const gsl_matrix *j, svd *d) {
  size_t nm = j->size1, nz = j->size2;
  int tall = nm >= nz;
  size_t q = tall ? nz : nm;
  gsl_matrix *a = gsl_matrix_alloc(tall ? nm : nz, q);
  gsl_matrix *w = gsl_matrix_alloc(q, q);
  d->s = gsl_vector_alloc(q);
  if (!a || !w || !d->s) {
    gsl_matrix_free(a);
    gsl_matrix_free(w);
    svd_free(d);
    CET_CHECK_ALLOC(NULL);
  }
  if (tall) {
    gsl_matrix_memcpy(a, j);
  } else {
    gsl_matrix_transpose_memcpy(a, j);
  }
  if (gsl_linalg_SV_decomp_jacobi(a, w, d->s) != 0) {
    gsl_matrix_free(a);
    gsl_matrix_free(w);
    svd_free(d);
    CET_CHECK(0, CET_ERR_RUNTIME, "the singular value decomposition of a %zu x %zu matrix failed",
              nm, nz);
  }
  /* tall: J = A S W^T; wide: J^T = A S W^T, so J = W S A^T */
  d->u = tall ? a : w;
  d->v = tall ? w : a;
  double top = q > 0 ? gsl_vector_get(d->s, 0) : 0.0;
  d->rank = 0;
  while (d->rank < q && top > 0.0 && gsl_vector_get(d->s, d->rank) > RANK_TOLERANCE * top) {
    d->rank++;
  }
  return CET_OK;
}

/* 1 for the units whose inflow equals their outflow per component; feeds,
 * sinks and exchanges (imports and exports) are the twin's boundary. */
static int balanced(cet_unit_kind k) {
  return k == CET_UNIT_PROCESS || k == CET_UNIT_SPLITTER || k == CET_UNIT_MIXER ||
         k == CET_UNIT_SELECTOR;
}

/* An orthonormal basis (ne x r0, *out; NULL when r0 = 0) of the stream
 * vectors that balance every process unit, splitter and mixer of t. */
static int balance_null_space(const cet_twin *t, gsl_matrix **out, size_t *r0) {
  *out = NULL;
  *r0 = 0;
  size_t ne = cet_twin_edge_count(t);
  if (ne == 0) {
    return CET_OK;
  }
  size_t nu = cet_twin_unit_count(t), nb = 0;
  for (size_t u = 0; u < nu; u++) {
    nb += balanced(cet_twin_unit_kind(t, u));
  }
  /* one row per balanced unit, padded with zero rows to at least ne */
  gsl_matrix *a = gsl_matrix_calloc(nb > ne ? nb : ne, ne);
  gsl_matrix *v = gsl_matrix_alloc(ne, ne);
  gsl_vector *s = gsl_vector_alloc(ne);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, a && v && s, CET_ERR_MEMORY, "out of memory");
  size_t row = 0;
  for (size_t u = 0; u < nu; u++) {
    if (!balanced(cet_twin_unit_kind(t, u))) {
      continue;
    }
    for (size_t e = 0; e < ne; e++) {
      size_t from, to;
      const char *outlet;
      cet_twin_edge(t, e, &from, &outlet, &to);
      double x = (to == u ? 1.0 : 0.0) - (from == u ? 1.0 : 0.0);
      gsl_matrix_set(a, row, e, x);
    }
    row++;
  }
  CET_CHECK_GOTO(status, done, gsl_linalg_SV_decomp_jacobi(a, v, s) == 0, CET_ERR_RUNTIME,
                 "the singular value decomposition of the balances failed");
  double top = gsl_vector_get(s, 0);
  size_t n = 0;
  for (size_t i = 0; i < ne; i++) {
    n += !(top > 0.0 && gsl_vector_get(s, i) > RANK_TOLERANCE * top);
  }
  if (n > 0) {
    *out = gsl_matrix_alloc(ne, n);
    CET_CHECK_GOTO(status, done, *out != NULL, CET_ERR_MEMORY, "out of memory");
    size_t c = 0;
    for (size_t i = 0; i < ne; i++) {
      if (!(top > 0.0 && gsl_vector_get(s, i) > RANK_TOLERANCE * top)) {
        gsl_vector_const_view col = gsl_matrix_const_column(v, i);
        gsl_matrix_set_col(*out, c++, &col.vector);
      }
    }
  }
  *r0 = n;
done:
  gsl_matrix_free(a);
  gsl_matrix_free(v);
  gsl_vector_free(s);
  return status;
}

/* One reconciliation over the measurements marked used. */
typedef struct {
  const cet_twin *t;
  const cet_reconcile_spec *s;
  size_t ne, nc, r0, nz;
  const gsl_matrix *n0; /* ne x r0 */
  double scale;         /* flows are scale x N0 z */
  const int *used;
  size_t nm;     /* used measurements */
  size_t *row;   /* [nm] measurement of each row */
  double *z;     /* [nz] */
  double *ztry;  /* [nz] */
  double *dz;    /* [nz] */
  double *m;     /* [ne x nc] component flows */
  double *grad;  /* [nc] gradient of a measurement over its stream's flows */
  gsl_matrix *j; /* nm x nz whitened Jacobian */
  gsl_vector *r; /* nm whitened residuals */
} solver;

static void flows_of(const solver *v, const double *z, double *m) {
  for (size_t e = 0; e < v->ne; e++) {
    for (size_t k = 0; k < v->nc; k++) {
      double x = 0.0;
      for (size_t l = 0; l < v->r0; l++) {
        x += gsl_matrix_get(v->n0, e, l) * z[k * v->r0 + l];
      }
      m[e * v->nc + k] = v->scale * x;
    }
  }
}

static double stream_total(const solver *v, const double *m, size_t e) {
  double x = 0.0;
  for (size_t k = 0; k < v->nc; k++) {
    x += m[e * v->nc + k];
  }
  return x;
}

/* Value of measurement i at flows m and, when grad is not NULL, its
 * gradient over the component flows of its stream. 0 when a fraction's
 * stream has no positive total (*ok = 0). */
static double measure(const solver *v, const cet_measurement *x, const double *m, double *grad,
                      int *ok) {
  *ok = 1;
  const double *f = m + x->stream * v->nc;
  switch (x->kind) {
  case CET_MEASURE_TOTAL:
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = 1.0;
    }
    return stream_total(v, m, x->stream);
  case CET_MEASURE_FLOW:
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = k == x->component ? 1.0 : 0.0;
    }
    return f[x->component];
  case CET_MEASURE_FRACTION:
  default: {
    double total = stream_total(v, m, x->stream);
    if (!(total > NO_FLOW * v->scale)) {
      *ok = 0;
      return 0.0;
    }
    double h = f[x->component] / total;
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = ((k == x->component ? 1.0 : 0.0) - h) / total;
    }
    return h;
  }
  }
}

/* Gradient over z of a function of stream e's flows with gradient g over
 * them, scaled by w, into row (nz). */
static void z_gradient(const solver *v, size_t e, const double *g, double w, double *row) {
  for (size_t k = 0; k < v->nc; k++) {
    for (size_t l = 0; l < v->r0; l++) {
      row[k * v->r0 + l] = w * v->scale * g[k] * gsl_matrix_get(v->n0, e, l);
    }
  }
}

/* Weighted sum of squares at z (HUGE_VAL when a measured fraction's stream
 * has no flow). */
static double objective(solver *v, const double *z) {
  flows_of(v, z, v->m);
  double sum = 0.0;
  for (size_t a = 0; a < v->nm; a++) {
    const cet_measurement *x = &v->s->measure[v->row[a]];
    int ok;
    double h = measure(v, x, v->m, NULL, &ok);
    if (!ok) {
      return HUGE_VAL;
    }
    double q = (x->value - h) / x->sd;
    sum += q * q;
  }
  return sum;
}

/* The whitened Jacobian and residuals at z; fails naming a measured
 * fraction whose stream has no flow (at the start: an input error). */
static int linearise(solver *v, const double *z, size_t iteration) {
  flows_of(v, z, v->m);
  for (size_t a = 0; a < v->nm; a++) {
    const cet_measurement *x = &v->s->measure[v->row[a]];
    int ok;
    double h = measure(v, x, v->m, v->grad, &ok);
    size_t from, to;
    const char *outlet;
    cet_twin_edge(v->t, x->stream, &from, &outlet, &to);
    CET_CHECK(ok || iteration > 0, CET_ERR_INPUT,
              "%s: stream %s.%s carries no flow in the twin's steady state, where the "
              "iteration starts, so its measured %s is undefined there (singular system); "
              "give the twin a flow on it or measure the stream's component flows instead",
              x->where, cet_twin_unit_name(v->t, from), outlet, x->quantity);
    CET_CHECK(ok, CET_ERR_RUNTIME,
              "%s: stream %s.%s lost all its flow at step %zu of the reconciliation, so its "
              "measured %s is undefined (singular system)",
              x->where, cet_twin_unit_name(v->t, from), outlet, iteration, x->quantity);
    gsl_vector_set(v->r, a, (x->value - h) / x->sd);
    gsl_vector_view rowv = gsl_matrix_row(v->j, a);
    z_gradient(v, x->stream, v->grad, 1.0 / x->sd, rowv.vector.data);
  }
  return CET_OK;
}

/* The minimum-norm solution dz of J dz = r in the rank of d. */
static void min_norm_step(const solver *v, const svd *d, double *dz) {
  memset(dz, 0, v->nz * sizeof *dz);
  for (size_t l = 0; l < d->rank; l++) {
    double c = 0.0;
    for (size_t a = 0; a < v->nm; a++) {
      c += gsl_matrix_get(d->u, a, l) * gsl_vector_get(v->r, a);
    }
    c /= gsl_vector_get(d->s, l);
    for (size_t i = 0; i < v->nz; i++) {
      dz[i] += c * gsl_matrix_get(d->v, i, l);
    }
  }
}

/* Standard deviation of the quantity with gradient w over z (nz values,
 * overwritten by its part outside the row space of d), and whether it is
 * observable. */
static double quantity_sd(const solver *v, const svd *d, double *w, int *observable) {
  double norm = 0.0, var = 0.0;
  for (size_t i = 0; i < v->nz; i++) {
    norm += w[i] * w[i];
  }
  for (size_t l = 0; l < d->rank; l++) {
    double c = 0.0;
    for (size_t i = 0; i < v->nz; i++) {
      c += gsl_matrix_get(d->v, i, l) * w[i];
    }
    double q = c / gsl_vector_get(d->s, l);
    var += q * q;
    for (size_t i = 0; i < v->nz; i++) {
      w[i] -= c * gsl_matrix_get(d->v, i, l);
    }
  }
  double rest = 0.0;
  for (size_t i = 0; i < v->nz; i++) {
    rest += w[i] * w[i];
  }
  *observable = rest <= OBSERVABLE_TOLERANCE * OBSERVABLE_TOLERANCE * norm;
  return sqrt(var);
}

/* Iterates to the minimum from v->z; on success v->z holds it and d the
 * decomposition there. */
static int iterate(solver *v, cet_reconcile_result *res, svd *d) {
  double flow_scale = 0.0;
  for (size_t i = 0; i < v->ne * v->nc; i++) {
    flow_scale = fmax(flow_scale, fabs(v->m[i]));
  }
  for (size_t it = 0;; it++) {
    CET_CALL(linearise(v, v->z, it));
    svd_free(d);
    CET_CALL(svd_of(v->j, d));
    if (res->linear && it == 1) {
      res->iterations = 1;
      return CET_OK;
    }
    CET_CHECK(it < v->s->max_iterations, CET_ERR_RUNTIME,
              "the reconciliation did not converge in %zu steps (reconcile.max_iterations); "
              "the measurements may contradict each other or a measured stream tends to no flow",
              v->s->max_iterations);
    min_norm_step(v, d, v->dz);
    double phi0 = gsl_blas_dnrm2(v->r);
    phi0 *= phi0;
    double lambda = 1.0, phi = HUGE_VAL;
    for (int h = 0; h <= MAX_HALVINGS; h++, lambda *= 0.5) {
      for (size_t i = 0; i < v->nz; i++) {
        v->ztry[i] = v->z[i] + lambda * v->dz[i];
      }
      phi = res->linear ? 0.0 : objective(v, v->ztry);
      if (phi <= phi0) {
        break;
      }
    }
    if (!(phi <= phi0)) {
      lambda = 0.0;
    }
    double change = 0.0;
    for (size_t i = 0; i < v->nz; i++) {
      v->dz[i] *= lambda;
      v->z[i] += v->dz[i];
    }
    flows_of(v, v->dz, v->m);
    for (size_t i = 0; i < v->ne * v->nc; i++) {
      change = fmax(change, fabs(v->m[i]));
    }
    flows_of(v, v->z, v->m);
    for (size_t i = 0; i < v->ne * v->nc; i++) {
      flow_scale = fmax(flow_scale, fabs(v->m[i]));
    }
    res->iterations = it + 1;
    if (!res->linear && change <= v->s->tolerance * flow_scale) {
      CET_CALL(linearise(v, v->z, it + 1));
      svd_free(d);
      CET_CALL(svd_of(v->j, d));
      return CET_OK;
    }
  }
}

/* The statistics of the solution in v (decomposition d) into res. */
static int classify(solver *v, const svd *d, cet_reconcile_result *res) {
  const cet_reconcile_spec *s = v->s;
  double *w = malloc((v->nz + 1) * sizeof *w);
  CET_CHECK_ALLOC(w);
  /* measurements */
  size_t a = 0, n_redundant = 0;
  res->chi_square = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    const cet_measurement *x = &s->measure[i];
    int ok;
    double h = measure(v, x, v->m, v->grad, &ok);
    res->reconciled[i] = ok ? h : NAN;
    res->adjustment[i] = ok ? x->value - h : NAN;
    res->normalised[i] = NAN;
    res->redundant[i] = 0;
    if (v->used[i]) {
      double lev = 0.0;
      for (size_t l = 0; l < d->rank; l++) {
        double u = gsl_matrix_get(d->u, a, l);
        lev += u * u;
      }
      lev = fmin(lev, 1.0);
      res->reconciled_sd[i] = x->sd * sqrt(lev);
      double q = res->adjustment[i] / x->sd;
      res->chi_square += q * q;
      if (1.0 - lev > REDUNDANT_TOLERANCE) {
        res->redundant[i] = 1;
        res->normalised[i] = res->adjustment[i] / (x->sd * sqrt(1.0 - lev));
        n_redundant++;
      }
      a++;
    } else {
      int observable = 0;
      z_gradient(v, x->stream, v->grad, 1.0, w);
      double sd = ok ? quantity_sd(v, d, w, &observable) : NAN;
      res->reconciled_sd[i] = observable ? sd : NAN;
      if (!observable) {
        res->reconciled[i] = res->adjustment[i] = NAN;
      }
    }
  }
  /* flows and totals */
  double *ones = v->grad;
  for (size_t e = 0; e < v->ne; e++) {
    for (size_t k = 0; k < v->nc; k++) {
      memset(ones, 0, v->nc * sizeof *ones);
      ones[k] = 1.0;
      z_gradient(v, e, ones, 1.0, w);
      size_t i = e * v->nc + k;
      res->flow_sd[i] = quantity_sd(v, d, w, &res->flow_observable[i]);
      res->flow[i] = v->m[i];
      if (!res->flow_observable[i]) {
        res->flow[i] = res->flow_sd[i] = NAN;
      }
    }
    for (size_t k = 0; k < v->nc; k++) {
      ones[k] = 1.0;
    }
    z_gradient(v, e, ones, 1.0, w);
    res->total_sd[e] = quantity_sd(v, d, w, &res->total_observable[e]);
    res->total[e] = stream_total(v, v->m, e);
    if (!res->total_observable[e]) {
      res->total[e] = res->total_sd[e] = NAN;
    }
  }
  free(w);
  /* tests */
  res->rank = d->rank;
  res->n_used = v->nm;
  res->dof = v->nm - d->rank;
  res->chi_critical = res->p_value = res->z_critical = NAN;
  if (res->dof > 0) {
    res->chi_critical = gsl_cdf_chisq_Pinv(1.0 - s->alpha, (double)res->dof);
    res->p_value = gsl_cdf_chisq_Q(res->chi_square, (double)res->dof);
  }
  res->culprit = -1;
  if (n_redundant > 0) {
    double beta = 1.0 - pow(1.0 - s->alpha, 1.0 / (double)n_redundant);
    res->z_critical = gsl_cdf_ugaussian_Qinv(0.5 * beta);
    double worst = res->z_critical;
    for (size_t i = 0; i < s->n; i++) {
      if (res->redundant[i] && fabs(res->normalised[i]) > worst) {
        worst = fabs(res->normalised[i]);
        res->culprit = (long)i;
      }
    }
  }
  return CET_OK;
}

/* Reconciles the measurements marked used from the start state z0. */
static int solve(solver *v, const double *z0, cet_reconcile_result *res) {
  v->nm = 0;
  for (size_t i = 0; i < v->s->n; i++) {
    if (v->used[i]) {
      v->row[v->nm++] = i;
    }
  }
  memcpy(v->z, z0, v->nz * sizeof *v->z);
  flows_of(v, v->z, v->m);
  svd d = {0};
  int status = CET_OK;
  v->j = gsl_matrix_calloc(v->nm, v->nz);
  v->r = gsl_vector_calloc(v->nm);
  CET_CHECK_GOTO(status, done, v->j && v->r, CET_ERR_MEMORY, "out of memory");
  CET_CALL_GOTO(status, done, iterate(v, res, &d));
  CET_CALL_GOTO(status, done, classify(v, &d, res));
done:
  svd_free(&d);
  gsl_matrix_free(v->j);
  gsl_vector_free(v->r);
  v->j = NULL;
  v->r = NULL;
  return status;
}

static int result_alloc(size_t n, size_t ne, size_t nc, cet_reconcile_result **out) {
  cet_reconcile_result *r = calloc(1, sizeof *r);
  CET_CHECK_ALLOC(r);
  r->n_streams = ne;
  r->n_components = nc;
  r->n_measures = n;
  size_t nf = ne * nc + 1;
  r->reconciled = calloc(n + 1, sizeof(double));
  r->reconciled_sd = calloc(n + 1, sizeof(double));
  r->adjustment = calloc(n + 1, sizeof(double));
  r->normalised = calloc(n + 1, sizeof(double));
  r->redundant = calloc(n + 1, sizeof(int));
  r->used = calloc(n + 1, sizeof(int));
  r->dropped = calloc(n + 1, sizeof(size_t));
  r->dropped_statistic = calloc(n + 1, sizeof(double));
  r->flow = calloc(nf, sizeof(double));
  r->flow_sd = calloc(nf, sizeof(double));
  r->flow_observable = calloc(nf, sizeof(int));
  r->total = calloc(ne + 1, sizeof(double));
  r->total_sd = calloc(ne + 1, sizeof(double));
  r->total_observable = calloc(ne + 1, sizeof(int));
  if (!r->reconciled || !r->reconciled_sd || !r->adjustment || !r->normalised || !r->redundant ||
      !r->used || !r->dropped || !r->dropped_statistic || !r->flow || !r->flow_sd ||
      !r->flow_observable || !r->total || !r->total_sd || !r->total_observable) {
    cet_reconcile_result_free(&r);
    CET_CHECK_ALLOC(NULL);
  }
  *out = r;
  return CET_OK;
}

int cet_reconcile_run(const cet_twin *t, const cet_reconcile_spec *s, const double *start,
                      cet_reconcile_result **out) {
  *out = NULL;
  size_t ne = cet_twin_edge_count(t), nc = cet_twin_components(t)->n;
  CET_CHECK(s->n > 0, CET_ERR_INPUT, "reconcile: no measurements");
  CET_CHECK(ne > 0, CET_ERR_INPUT, "reconcile: the twin has no streams to reconcile");
  cet_reconcile_result *res = NULL;
  CET_CALL(result_alloc(s->n, ne, nc, &res));
  solver v = {.t = t, .s = s, .ne = ne, .nc = nc};
  gsl_matrix *n0 = NULL;
  double *z0 = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, balance_null_space(t, &n0, &v.r0));
  v.n0 = n0;
  v.nz = v.r0 * nc;
  res->linear = 1;
  for (size_t i = 0; i < s->n; i++) {
    res->linear &= s->measure[i].kind != CET_MEASURE_FRACTION;
    res->used[i] = 1;
  }
  v.used = res->used;
  v.scale = 0.0;
  for (size_t i = 0; i < ne * nc; i++) {
    v.scale = fmax(v.scale, fabs(start[i]));
  }
  if (!(v.scale > 0.0)) {
    v.scale = 1.0;
  }
  v.row = calloc(s->n + 1, sizeof *v.row);
  v.z = calloc(v.nz + 1, sizeof *v.z);
  v.ztry = calloc(v.nz + 1, sizeof *v.ztry);
  v.dz = calloc(v.nz + 1, sizeof *v.dz);
  v.m = calloc(ne * nc + 1, sizeof *v.m);
  v.grad = calloc(nc + 1, sizeof *v.grad);
  z0 = calloc(v.nz + 1, sizeof *z0);
  CET_CHECK_GOTO(status, done, v.row && v.z && v.ztry && v.dz && v.m && v.grad && z0,
                 CET_ERR_MEMORY, "out of memory");
  CET_CHECK_GOTO(status, done, v.nz > 0, CET_ERR_INPUT,
                 "reconcile: the balances of the twin leave no stream free to reconcile");
  /* the start projected on the balances (exact for a steady state) */
  for (size_t k = 0; k < nc; k++) {
    for (size_t l = 0; l < v.r0; l++) {
      double x = 0.0;
      for (size_t e = 0; e < ne; e++) {
        x += gsl_matrix_get(n0, e, l) * start[e * nc + k];
      }
      z0[k * v.r0 + l] = x / v.scale;
    }
  }
  for (;;) {
    CET_CALL_GOTO(status, done, solve(&v, z0, res));
    if (!s->drop_gross_errors || res->culprit < 0 || res->n_used < 2) {
      break;
    }
    res->dropped[res->n_dropped] = (size_t)res->culprit;
    res->dropped_statistic[res->n_dropped] = res->normalised[res->culprit];
    res->n_dropped++;
    res->used[res->culprit] = 0;
  }
done:
  gsl_matrix_free(n0);
  free(z0);
  free(v.row);
  free(v.z);
  free(v.ztry);
  free(v.dz);
  free(v.m);
  free(v.grad);
  if (status != CET_OK) {
    cet_reconcile_result_free(&res);
    return status;
  }
  *out = res;
  return CET_OK;
}
