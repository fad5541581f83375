/*
 * mc_sample.c — Monte Carlo draws (see mc_impl.h): the random numbers of
 * draw i come from Philox streams keyed by (seed, purpose, i), the purpose
 * being the hash of the parameter's key path, or of "prices:" and the names
 * of the series drawn together; never the rank or the thread, so a draw
 * gives the same bits wherever and whenever it is evaluated. The drawn
 * series get correlated shocks from one cet_price_set (Cholesky factor of
 * their correlation); their normals and paths are computed for a batch of
 * draws at once (the arithmetic of each draw unchanged), then the twin
 * evaluates the batch together when no parameter is drawn (the draws then
 * share their parameter values), else draw by draw. The inputs of a range
 * of draws can also be drawn once into a table and evaluated from there as
 * often as needed (the common random numbers of a robust optimisation):
 * the same numbers, the same evaluation.
 */
#include "mc_impl.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

/* Prefix of the purpose name of the price stream ("prices:Cu,Zn"). */
static const char *const PRICE_PURPOSE_PREFIX = "prices:";

void mc_sampler_destroy(mc_sampler **sp) {
  if (!sp || !*sp) {
    return;
  }
  mc_sampler *s = *sp;
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
                        mc_sampler *s) {
  size_t n = 0;
  for (size_t i = 0; i < nu; i++) {
    n += uncertain[i].kind == CET_UNCERTAIN_PRICES ? uncertain[i].n_prices : 0;
  }
  s->drawn_series = calloc(n + 1, sizeof *s->drawn_series);
  CET_CHECK(s->drawn_series, CET_ERR_MEMORY, "out of memory");
  cet_strbuf name = {0};
  int status = cet_strbuf_append(&name, PRICE_PURPOSE_PREFIX);
  for (size_t i = 0; status == CET_OK && i < nu; i++) {
    const cet_uncertain *u = &uncertain[i];
    for (size_t k = 0; status == CET_OK && u->kind == CET_UNCERTAIN_PRICES && k < u->n_prices;
         k++) {
      long series = cet_twin_price_find(t, u->prices[k]);
      if (series < 0) {
        cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s: no price series '%s'",
                       u->where, u->prices[k]);
        status = CET_ERR_INPUT;
        break;
      }
      status = cet_strbuf_printf(&name, "%s%s", s->n_drawn ? "," : "", u->prices[k]);
      s->drawn_series[s->n_drawn++] = (size_t)series;
    }
  }
  s->drawn_purpose = status == CET_OK ? cet_rng_purpose(name.text) : 0;
  cet_strbuf_free(&name);
  CET_CALL(status);
  if (n == 0) {
    return CET_OK;
  }
  s->steps = 0;
  const cet_price_model **models = calloc(n, sizeof *models);
  double *corr = calloc(n * n, sizeof *corr);
  status = models && corr ? CET_OK : CET_ERR_MEMORY;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  for (size_t a = 0; status == CET_OK && a < n; a++) {
    models[a] = cet_twin_price_model(t, s->drawn_series[a]);
    for (size_t b = 0; b < n; b++) {
      corr[a * n + b] = cet_twin_price_correlation(t, s->drawn_series[a], s->drawn_series[b]);
    }
  }
  if (status == CET_OK) {
    status = cet_price_set_create(&s->set, n, models, corr);
  }
  if (status == CET_OK) {
    cet_price_workspace *probe = NULL;
    status = cet_price_workspace_alloc(s->set, cet_twin_start_year(t), s->ny, &probe);
    s->steps = probe ? cet_price_workspace_steps(probe) : 0;
    cet_price_workspace_free(&probe);
  }
  free(models);
  free(corr);
  return status;
}

int mc_sampler_create(const cet_twin *t, uint64_t seed, const cet_uncertain *u, size_t nu,
                      const size_t *metric, size_t nm, mc_sampler **out) {
  *out = NULL;
  mc_sampler *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->twin = t;
  s->seed = seed;
  s->ny = cet_twin_year_count(t);
  s->var_slot = calloc(nu + 1, sizeof *s->var_slot);
  s->var_purpose = calloc(nu + 1, sizeof *s->var_purpose);
  s->var_dist = calloc(nu + 1, sizeof *s->var_dist);
  s->metric = calloc(nm + 1, sizeof *s->metric);
  int status = s->var_slot && s->var_purpose && s->var_dist && s->metric ? CET_OK : CET_ERR_MEMORY;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  for (size_t i = 0; status == CET_OK && i < nu; i++) {
    if (u[i].kind != CET_UNCERTAIN_PARAMETER) {
      continue;
    }
    long slot = cet_twin_parameter_find(t, u[i].path);
    if (slot < 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s: no parameter '%s'",
                     u[i].where, u[i].path);
      status = CET_ERR_INPUT;
      break;
    }
    s->var_slot[s->n_vars] = (size_t)slot;
    s->var_purpose[s->n_vars] = cet_rng_purpose(u[i].path);
    s->var_dist[s->n_vars] = u[i].dist;
    s->n_vars++;
  }
  if (status == CET_OK && nm > 0) {
    memcpy(s->metric, metric, nm * sizeof *metric);
    s->n_metrics = nm;
  }
  if (status == CET_OK) {
    status = build_prices(t, u, nu, s);
  }
  if (status != CET_OK) {
    mc_sampler_destroy(&s);
    CET_CALL(status);
  }
  *out = s;
  return CET_OK;
}

void mc_thread_destroy(mc_thread **tp) {
  if (!tp || !*tp) {
    return;
  }
  mc_thread *t = *tp;
  cet_twin_workspace_destroy(&t->w);
  free(t->rec);
  free(t->x);
  free(t->z);
  free(t->paths);
  cet_price_workspace_free(&t->pws);
  if (t->rng) {
    gsl_rng_free(t->rng);
  }
  free(t);
  *tp = NULL;
}

int mc_thread_create(const mc_sampler *s, mc_thread **out) {
  *out = NULL;
  mc_thread *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  int status = cet_twin_workspace_create(s->twin, &t->w);
  if (status == CET_OK) {
    status = cet_twin_workspace_select(t->w, s->metric, s->n_metrics);
  }
  if (status == CET_OK && s->set) {
    status = cet_price_workspace_alloc_batch(s->set, cet_twin_start_year(s->twin), s->ny, MC_BATCH,
                                             &t->pws);
  }
  if (status == CET_OK) {
    t->rec = calloc(MC_BATCH * s->n_metrics + 1, sizeof *t->rec);
    t->x = calloc(MC_BATCH * s->n_vars + 1, sizeof *t->x);
    t->z = calloc(MC_STRIDE * s->steps * s->n_drawn + 1, sizeof *t->z);
    t->paths = calloc(MC_STRIDE * s->n_drawn * s->ny + 1, sizeof *t->paths);
    t->rng = cet_rng_alloc();
    if (!t->rec || !t->x || !t->z || !t->paths || !t->rng) {
      cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
      status = CET_ERR_MEMORY;
    }
  }
  for (size_t k = 0; status == CET_OK && k < s->n_drawn; k++) {
    cet_twin_workspace_draw_price(t->w, s->drawn_series[k], 1);
  }
  if (status != CET_OK) {
    mc_thread_destroy(&t);
    CET_CALL(status);
  }
  *out = t;
  return CET_OK;
}

/* The correlated price paths of the draws first .. first + count - 1, the
 * draws innermost: series c in year y of draw d at t->paths[(c * ny + y) *
 * MC_STRIDE + d]. */
static int draw_prices(const mc_sampler *s, mc_thread *t, uint64_t first, size_t count) {
  cet_rng_normals_batch(s->seed, s->drawn_purpose, first, count, 0, s->steps * s->n_drawn, t->z,
                        MC_STRIDE);
  CET_CALL(cet_price_set_simulate_batch(s->set, count, MC_STRIDE, t->z, t->pws, t->paths, s->ny));
  return CET_OK;
}

/* The draws first .. first + count - 1 (count <= MC_BATCH): their price
 * paths into t->paths (draws innermost), copied to prices ([draw][series]
 * [year], may be NULL), and their parameter values into x ([draw][n_vars]).
 */
static int draw_batch(const mc_sampler *s, mc_thread *t, uint64_t first, size_t count, double *x,
                      double *prices) {
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
static int evaluate_draws(const mc_sampler *s, mc_thread *t, const double *x, const double *paths,
                          size_t series_stride, size_t year_stride, size_t draw_step, size_t count,
                          int check, double *metrics, size_t *failed) {
  double *params = cet_twin_workspace_params(t->w);
  const size_t share = s->n_vars == 0 ? count : 1; /* draws per call */
  for (size_t d = 0; d < count; d += share) {
    for (size_t k = 0; k < s->n_vars; k++) {
      params[s->var_slot[k]] = x[d * s->n_vars + k];
    }
    for (size_t c = 0; c < s->n_drawn; c++) {
      cet_twin_workspace_set_price_path(t->w, s->drawn_series[c],
                                        paths + c * series_stride + d * draw_step, year_stride);
    }
    size_t bad = 0;
    int status = cet_twin_evaluate_draws(s->twin, params, t->w, check && d == 0, share, draw_step,
                                         s->metric, s->n_metrics, metrics + d * s->n_metrics, &bad);
    *failed = d + bad;
    CET_CALL(status);
  }
  return CET_OK;
}

int mc_sample(const mc_sampler *s, mc_thread *t, uint64_t first, size_t count, double *metrics,
              double *inputs, double *prices, uint64_t *failed) {
  double *x = inputs ? inputs : t->x;
  *failed = first;
  CET_CALL(draw_batch(s, t, first, count, x, prices));
  /* the drawn parameters lie within their ranges (checked with the case) */
  size_t bad = 0;
  int status =
      evaluate_draws(s, t, x, t->paths, s->ny * MC_STRIDE, MC_STRIDE, 1, count, 0, metrics, &bad);
  *failed = first + bad;
  CET_CALL(status);
  return CET_OK;
}

/* ---- tables of draws ---- */

/* Bytes of the table of count draws of s. */
static double mc_table_bytes(const mc_sampler *s, size_t count) {
  return (double)count * (double)(s->n_vars + s->n_drawn * s->ny) * (double)sizeof(double);
}

void mc_table_destroy(mc_table **tp) {
  if (!tp || !*tp) {
    return;
  }
  free((*tp)->inputs);
  free((*tp)->prices);
  free(*tp);
  *tp = NULL;
}

int mc_table_create(const mc_sampler *s, uint64_t first, size_t count, mc_table **out) {
  *out = NULL;
  const size_t per_draw = s->n_drawn * s->ny;
  mc_table *tab = calloc(1, sizeof *tab);
  mc_thread *t = NULL;
  CET_CHECK_ALLOC(tab);
  tab->inputs = malloc((count * s->n_vars + 1) * sizeof *tab->inputs);
  tab->prices = malloc((count * per_draw + 1) * sizeof *tab->prices);
  int status = CET_OK;
  if (!tab->inputs || !tab->prices) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                   "out of memory for the inputs of %zu draws (%.4g MB)", count,
                   mc_table_bytes(s, count) / 1e6);
    status = CET_ERR_MEMORY;
  }
  if (status == CET_OK) {
    status = mc_thread_create(s, &t);
  }
  for (size_t k = 0; status == CET_OK && k < count; k += MC_BATCH) {
    size_t n = count - k < MC_BATCH ? count - k : MC_BATCH;
    status =
        draw_batch(s, t, first + k, n, tab->inputs + k * s->n_vars, tab->prices + k * per_draw);
  }
  mc_thread_destroy(&t);
  if (status != CET_OK) {
    mc_table_destroy(&tab);
    CET_CALL(status);
  }
  *out = tab;
  return CET_OK;
}

int mc_sample_table(const mc_sampler *s, mc_thread *t, const mc_table *tab, size_t k0, size_t count,
                    int check, double *metrics, size_t *failed) {
  const size_t per_draw = s->n_drawn * s->ny;
  size_t bad = 0;
  int status = evaluate_draws(s, t, tab->inputs + k0 * s->n_vars, tab->prices + k0 * per_draw,
                              s->ny, 1, per_draw, count, check, metrics, &bad);
  *failed = k0 + bad;
  CET_CALL(status);
  return CET_OK;
}
