/*
 * sampler.c — draws of the uncertain inputs of a twin and their evaluation
 * (see sampler.h). The drawn series get correlated shocks from one
 * cet_price_set; their normals and paths are computed for a batch of draws
 * at once, laid out draws innermost (MC_STRIDE doubles a row), then the
 * twin evaluates the batch together when no parameter is drawn, else draw
 * by draw. Inputs drawn into a caller's table (cet_sampler_draw) are
 * evaluated from there by the same code: the same numbers, the same
 * evaluation.
 */
#include "cetwin/sampler.h"

#include "cetwin/error.h"
#include "cetwin/price.h"
#include "cetwin/rng.h"
#include "cetwin/str.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

/* Row length of a workspace's draws-innermost arrays: 72 doubles = 9 cache
 * lines, not a multiple of 8, so that the rows of one draw's normals and
 * paths fall into different cache sets (a stride of 64 doubles put them
 * all into 8 of the 64 sets of a 32 KiB L1). */
enum { MC_STRIDE = CET_SAMPLER_BATCH + 8 };

struct cet_sampler {
  const cet_twin *twin;
  uint64_t seed;
  size_t n_vars; /* uncertain parameters */
  size_t *var_slot;
  uint64_t *var_purpose;
  const cet_distribution **var_dist;
  size_t n_drawn; /* price series drawn as stochastic paths */
  size_t *drawn_series;
  uint64_t drawn_purpose; /* key of the stream of their normals */
  cet_price_set *set;     /* over the drawn series, correlated */
  size_t steps;           /* shock steps of a path */
  size_t ny;              /* years of a path */
  size_t n_metrics;       /* metrics recorded */
  size_t *metric;         /* their indices in the twin */
};

struct cet_sampler_workspace {
  cet_twin_workspace *w;
  double *x;     /* [CET_SAMPLER_BATCH x uncertain parameters] a batch's parameter values */
  double *z;     /* [steps x n_drawn][MC_STRIDE] standard normals */
  double *paths; /* [n_drawn x years][MC_STRIDE] price paths */
  cet_price_workspace *pws;
  gsl_rng *rng;
};

/* Prefix of the purpose name of the price stream ("prices:Cu,Zn"). */
static const char *const PRICE_PURPOSE_PREFIX = "prices:";

void cet_sampler_destroy(cet_sampler **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_sampler *s = *sp;
  free(s->var_slot);
  free(s->var_purpose);
  free(s->var_dist);
  free(s->drawn_series);
  cet_price_set_destroy(&s->set);
  free(s->metric);
  free(s);
  *sp = NULL;
}

static int build_prices(const cet_twin *t, const cet_uncertain *uncertain, size_t nu,
                        cet_sampler *s) {
  size_t n = 0;
  for (size_t i = 0; i < nu; i++) {
    n += uncertain[i].kind == CET_UNCERTAIN_PRICES ? uncertain[i].n_prices : 0;
  }
  s->drawn_series = calloc(n + 1, sizeof *s->drawn_series);
  CET_CHECK_ALLOC(s->drawn_series);
  cet_strbuf name = {0};
  const cet_price_model **models = NULL;
  double *corr = NULL;
  cet_price_workspace *probe = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_strbuf_append(&name, PRICE_PURPOSE_PREFIX));
  for (size_t i = 0; i < nu; i++) {
    const cet_uncertain *u = &uncertain[i];
    for (size_t k = 0; u->kind == CET_UNCERTAIN_PRICES && k < u->n_prices; k++) {
      size_t series = u->series[k];
      CET_CHECK_GOTO(status, done,
                     series < cet_twin_price_count(t) &&
                         strcmp(cet_twin_price_name(t, series), u->prices[k]) == 0,
                     CET_ERR_INPUT, "%s: price series '%s' is not one of this twin's", u->where,
                     u->prices[k]);
      CET_CALL_GOTO(status, done,
                    cet_strbuf_printf(&name, "%s%s", s->n_drawn ? "," : "", u->prices[k]));
      s->drawn_series[s->n_drawn++] = series;
    }
  }
  s->drawn_purpose = cet_rng_purpose(name.text);
  if (n == 0) {
    goto done;
  }
  s->steps = 0;
  models = calloc(n, sizeof *models);
  corr = calloc(n * n, sizeof *corr);
  CET_CHECK_ALLOC_GOTO(status, done, models && corr);
  for (size_t a = 0; a < n; a++) {
    models[a] = cet_twin_price_model(t, s->drawn_series[a]);
    for (size_t b = 0; b < n; b++) {
      corr[a * n + b] = cet_twin_price_correlation(t, s->drawn_series[a], s->drawn_series[b]);
    }
  }
  CET_CALL_GOTO(status, done, cet_price_set_create(&s->set, n, models, corr));
  status = cet_price_workspace_create(s->set, cet_twin_start_year(t), s->ny, &probe);
  s->steps = probe ? cet_price_workspace_steps(probe) : 0;
  CET_CALL_GOTO(status, done, status);
done:
  cet_price_workspace_destroy(&probe);
  cet_strbuf_free(&name);
  free(models);
  free(corr);
  return status;
}

int cet_sampler_create(const cet_twin *t, uint64_t seed, const cet_uncertain *u, size_t nu,
                       const size_t *metric, size_t nm, cet_sampler **out) {
  *out = NULL;
  cet_sampler *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->twin = t;
  s->seed = seed;
  s->ny = cet_twin_year_count(t);
  s->var_slot = calloc(nu + 1, sizeof *s->var_slot);
  s->var_purpose = calloc(nu + 1, sizeof *s->var_purpose);
  s->var_dist = calloc(nu + 1, sizeof *s->var_dist);
  s->metric = calloc(nm + 1, sizeof *s->metric);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, s->var_slot && s->var_purpose && s->var_dist && s->metric);
  for (size_t i = 0; i < nu; i++) {
    if (u[i].kind != CET_UNCERTAIN_PARAMETER) {
      continue;
    }
    CET_CHECK_GOTO(status, fail,
                   u[i].slot < cet_twin_parameter_count(t) &&
                       strcmp(cet_twin_parameter_path(t, u[i].slot), u[i].path) == 0,
                   CET_ERR_INPUT, "%s: parameter '%s' is not one of this twin's", u[i].where,
                   u[i].path);
    s->var_slot[s->n_vars] = u[i].slot;
    s->var_purpose[s->n_vars] = cet_rng_purpose(u[i].path);
    s->var_dist[s->n_vars] = u[i].dist;
    s->n_vars++;
  }
  if (nm > 0) {
    memcpy(s->metric, metric, nm * sizeof *metric);
    s->n_metrics = nm;
  }
  CET_CALL_GOTO(status, fail, build_prices(t, u, nu, s));
  *out = s;
  return CET_OK;
fail:
  cet_sampler_destroy(&s);
  return status;
}

void cet_sampler_workspace_destroy(cet_sampler_workspace **tp) {
  if (!tp || !*tp) {
    return;
  }
  cet_sampler_workspace *t = *tp;
  cet_twin_workspace_destroy(&t->w);
  free(t->x);
  free(t->z);
  free(t->paths);
  cet_price_workspace_destroy(&t->pws);
  if (t->rng) {
    gsl_rng_free(t->rng);
  }
  free(t);
  *tp = NULL;
}

int cet_sampler_workspace_create(const cet_sampler *s, cet_sampler_workspace **out) {
  *out = NULL;
  cet_sampler_workspace *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_twin_workspace_create(s->twin, &t->w));
  CET_CALL_GOTO(status, fail, cet_twin_workspace_select(t->w, s->metric, s->n_metrics));
  if (s->set) {
    CET_CALL_GOTO(status, fail,
                  cet_price_workspace_create_batch(s->set, cet_twin_start_year(s->twin), s->ny,
                                                   CET_SAMPLER_BATCH, &t->pws));
  }
  t->x = calloc(CET_SAMPLER_BATCH * s->n_vars + 1, sizeof *t->x);
  t->z = calloc(MC_STRIDE * s->steps * s->n_drawn + 1, sizeof *t->z);
  t->paths = calloc(MC_STRIDE * s->n_drawn * s->ny + 1, sizeof *t->paths);
  t->rng = cet_rng_alloc();
  CET_CHECK_ALLOC_GOTO(status, fail, t->x && t->z && t->paths && t->rng);
  for (size_t k = 0; k < s->n_drawn; k++) {
    cet_twin_workspace_draw_price(t->w, s->drawn_series[k], 1);
  }
  *out = t;
  return CET_OK;
fail:
  cet_sampler_workspace_destroy(&t);
  return status;
}

/* The correlated price paths of the draws first .. first + count - 1, the
 * draws innermost: series c in year y of draw d at t->paths[(c * ny + y) *
 * MC_STRIDE + d]. */
static int draw_prices(const cet_sampler *s, cet_sampler_workspace *t, uint64_t first,
                       size_t count) {
  cet_rng_normals_batch(s->seed, s->drawn_purpose, first, count, 0, s->steps * s->n_drawn, t->z,
                        MC_STRIDE);
  CET_CALL(cet_price_set_simulate_batch(s->set, count, MC_STRIDE, t->z, t->pws, t->paths, s->ny));
  return CET_OK;
}

/* The draws first .. first + count - 1 (count <= CET_SAMPLER_BATCH): their price
 * paths into t->paths (draws innermost), copied to prices ([draw][series]
 * [year], may be NULL), and their parameter values into x ([draw][n_vars]).
 */
static int draw_batch(const cet_sampler *s, cet_sampler_workspace *t, uint64_t first, size_t count,
                      double *x, double *prices) {
  const size_t per_draw = s->n_drawn * s->ny;
  if (s->n_drawn > 0) {
    CET_CALL(draw_prices(s, t, first, count));
    for (size_t d = 0; prices && d < count; d++) {
      for (size_t i = 0; i < per_draw; i++) {
        prices[d * per_draw + i] = t->paths[i * MC_STRIDE + d];
      }
    }
  }
  for (size_t d = 0; d < count; d++) {
    for (size_t k = 0; k < s->n_vars; k++) {
      cet_rng_stream(t->rng, s->seed, s->var_purpose[k], first + d, 0);
      x[d * s->n_vars + k] = cet_distribution_sample(s->var_dist[k], t->rng);
    }
  }
  return CET_OK;
}

/* Evaluates count draws: the parameter values of draw d at x + d * n_vars,
 * the path of drawn series c in year y of draw d at paths[c * series_stride
 * + y * year_stride + d * draw_step]; check: every parameter against its
 * range first. Without drawn parameters the draws share their values and go
 * to the twin together. On failure *failed is the draw. */
static int evaluate_draws(const cet_sampler *s, cet_sampler_workspace *t, const double *x,
                          const double *paths, size_t series_stride, size_t year_stride,
                          size_t draw_step, size_t count, int check, double *metrics,
                          size_t *failed) {
  double *params = cet_twin_workspace_params(t->w);
  const size_t share = s->n_vars == 0 ? count : 1; /* draws per call */
  for (size_t d = 0; d < count; d += share) {
    for (size_t k = 0; k < s->n_vars; k++) {
      params[s->var_slot[k]] = x[d * s->n_vars + k];
    }
    cet_twin_workspace_set_price_paths(t->w, s->n_drawn, s->drawn_series, paths + d * draw_step,
                                       series_stride, year_stride);
    size_t bad = 0;
    int status = cet_twin_evaluate_draws(s->twin, params, t->w, check && d == 0, share, draw_step,
                                         s->metric, s->n_metrics, metrics + d * s->n_metrics, &bad);
    *failed = d + bad;
    CET_CALL(status);
  }
  return CET_OK;
}

int cet_sampler_sample(const cet_sampler *s, cet_sampler_workspace *w, uint64_t first, size_t count,
                       double *metrics, double *inputs, double *prices, uint64_t *failed) {
  double *x = inputs ? inputs : w->x;
  *failed = first;
  CET_CALL(draw_batch(s, w, first, count, x, prices));
  /* the drawn parameters lie within their ranges (checked with the case) */
  size_t bad = 0;
  int status =
      evaluate_draws(s, w, x, w->paths, s->ny * MC_STRIDE, MC_STRIDE, 1, count, 0, metrics, &bad);
  *failed = first + bad;
  CET_CALL(status);
  return CET_OK;
}

int cet_sampler_draw(const cet_sampler *s, cet_sampler_workspace *w, uint64_t first, size_t count,
                     double *inputs, double *prices) {
  CET_CHECK(count <= CET_SAMPLER_BATCH, CET_ERR_RUNTIME, "%zu draws at once; at most %d", count,
            CET_SAMPLER_BATCH);
  return draw_batch(s, w, first, count, inputs, prices);
}

int cet_sampler_evaluate(const cet_sampler *s, cet_sampler_workspace *w, const double *inputs,
                         const double *prices, size_t count, int check, double *metrics,
                         size_t *failed) {
  const size_t per_draw = s->n_drawn * s->ny;
  return evaluate_draws(s, w, inputs, prices, s->ny, 1, per_draw, count, check, metrics, failed);
}

/* ---- accessors ---- */

const cet_twin *cet_sampler_twin(const cet_sampler *s) { return s->twin; }
size_t cet_sampler_metric_count(const cet_sampler *s) { return s->n_metrics; }
size_t cet_sampler_metric(const cet_sampler *s, size_t k) { return s->metric[k]; }
size_t cet_sampler_parameter_count(const cet_sampler *s) { return s->n_vars; }
size_t cet_sampler_parameter_slot(const cet_sampler *s, size_t k) { return s->var_slot[k]; }
size_t cet_sampler_series_count(const cet_sampler *s) { return s->n_drawn; }
size_t cet_sampler_series(const cet_sampler *s, size_t k) { return s->drawn_series[k]; }
size_t cet_sampler_years(const cet_sampler *s) { return s->ny; }

cet_twin_workspace *cet_sampler_workspace_twin(cet_sampler_workspace *w) { return w->w; }
double *cet_sampler_workspace_params(cet_sampler_workspace *w) {
  return cet_twin_workspace_params(w->w);
}
