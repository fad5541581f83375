/*
 * mc_sample.c — Monte Carlo draws (see mc_impl.h): the random numbers of
 * draw i come from Philox streams keyed by (seed, purpose, i), the purpose
 * being the hash of the parameter's key path, or of "prices:" and the names
 * of the series drawn together; never the rank or the thread, so a draw
 * gives the same bits wherever and whenever it is evaluated. The drawn
 * series get correlated shocks from one cet_price_set (Cholesky factor of
 * their correlation); their paths are computed for a batch of draws at once
 * (the arithmetic of each draw unchanged), then the twin is evaluated draw
 * by draw.
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

static int build_prices(const cet_case *c, mc_sampler *s) {
  const cet_twin *t = c->twin;
  const cet_mc_spec *mc = c->mc;
  size_t n = 0;
  for (size_t i = 0; i < mc->n_uncertain; i++) {
    n += mc->uncertain[i].kind == CET_UNCERTAIN_PRICES ? mc->uncertain[i].n_prices : 0;
  }
  s->drawn_series = calloc(n + 1, sizeof *s->drawn_series);
  CET_CHECK(s->drawn_series, CET_ERR_MEMORY, "out of memory");
  cet_strbuf name = {0};
  int status = cet_strbuf_append(&name, PRICE_PURPOSE_PREFIX);
  for (size_t i = 0; status == CET_OK && i < mc->n_uncertain; i++) {
    const cet_uncertain *u = &mc->uncertain[i];
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
  } else {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  free(models);
  free(corr);
  return status;
}

int mc_sampler_create(const cet_case *c, mc_sampler **out) {
  *out = NULL;
  const cet_mc_spec *mc = c->mc;
  mc_sampler *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->twin = c->twin;
  s->seed = c->seed;
  s->ny = cet_twin_year_count(c->twin);
  size_t nu = mc->n_uncertain;
  s->var_slot = calloc(nu + 1, sizeof *s->var_slot);
  s->var_purpose = calloc(nu + 1, sizeof *s->var_purpose);
  s->var_dist = calloc(nu + 1, sizeof *s->var_dist);
  s->metric = calloc(mc->metrics.n + 1, sizeof *s->metric);
  int status = s->var_slot && s->var_purpose && s->var_dist && s->metric ? CET_OK : CET_ERR_MEMORY;
  if (status != CET_OK) {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  for (size_t i = 0; status == CET_OK && i < nu; i++) {
    const cet_uncertain *u = &mc->uncertain[i];
    if (u->kind != CET_UNCERTAIN_PARAMETER) {
      continue;
    }
    long slot = cet_twin_parameter_find(c->twin, u->path);
    if (slot < 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s: no parameter '%s'", u->where,
                     u->path);
      status = CET_ERR_INPUT;
      break;
    }
    s->var_slot[s->n_vars] = (size_t)slot;
    s->var_purpose[s->n_vars] = cet_rng_purpose(u->path);
    s->var_dist[s->n_vars] = u->dist;
    s->n_vars++;
  }
  for (size_t k = 0; status == CET_OK && k < mc->metrics.n; k++) {
    long m = cet_twin_metric_find(c->twin, mc->metrics.name[k]);
    if (m < 0) {
      cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "no metric '%s'",
                     mc->metrics.name[k]);
      status = CET_ERR_INPUT;
    }
    s->metric[k] = (size_t)m;
    s->n_metrics = k + 1;
  }
  if (status == CET_OK) {
    status = build_prices(c, s);
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
  free(t->all);
  free(t->rec);
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
    t->all = calloc(cet_twin_metric_count(s->twin) + 1, sizeof *t->all);
    t->rec = calloc(MC_BATCH * s->n_metrics + 1, sizeof *t->rec);
    t->z = calloc((MC_STRIDE + 1) * s->steps * s->n_drawn + 1, sizeof *t->z);
    t->paths = calloc(MC_STRIDE * s->n_drawn * s->ny + 1, sizeof *t->paths);
    t->rng = cet_rng_alloc();
    if (!t->all || !t->rec || !t->z || !t->paths || !t->rng) {
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
  const size_t per_draw = s->steps * s->n_drawn;
  double *one = t->z + MC_STRIDE * per_draw; /* one draw's normals */
  for (size_t d = 0; d < count; d++) {
    cet_rng_normals(s->seed, s->drawn_purpose, first + d, 0, per_draw, one);
    for (size_t i = 0; i < per_draw; i++) {
      t->z[i * MC_STRIDE + d] = one[i];
    }
  }
  CET_CALL(cet_price_set_simulate_batch(s->set, count, MC_STRIDE, t->z, t->pws, t->paths, s->ny));
  return CET_OK;
}

/* One draw: parameters, its paths into the workspace (series c in year y
 * at paths[(c * ny + y) * stride]), the evaluation. */
static int sample_one(const mc_sampler *s, mc_thread *t, uint64_t draw, const double *paths,
                      size_t stride, double *metrics, double *inputs) {
  double *params = cet_twin_workspace_params(t->w);
  for (size_t k = 0; k < s->n_vars; k++) {
    cet_rng_stream(t->rng, s->seed, s->var_purpose[k], draw, 0);
    double x = cet_distribution_sample(s->var_dist[k], t->rng);
    params[s->var_slot[k]] = x;
    if (inputs) {
      inputs[k] = x;
    }
  }
  for (size_t c = 0; c < s->n_drawn; c++) {
    cet_twin_workspace_set_price_path(t->w, s->drawn_series[c], paths + c * s->ny * stride, stride);
  }
  /* the drawn parameters lie within their ranges (checked with the case) */
  CET_CALL(cet_twin_evaluate_prechecked(s->twin, params, t->w, t->all));
  for (size_t k = 0; k < s->n_metrics; k++) {
    metrics[k] = t->all[s->metric[k]];
  }
  return CET_OK;
}

int mc_sample(const mc_sampler *s, mc_thread *t, uint64_t first, size_t count, double *metrics,
              double *inputs, double *prices, uint64_t *failed) {
  const size_t per_draw = s->n_drawn * s->ny;
  *failed = first;
  if (s->n_drawn > 0) {
    CET_CALL(draw_prices(s, t, first, count));
    for (size_t d = 0; prices && d < count; d++) { /* [draw][series][year] */
      for (size_t i = 0; i < per_draw; i++) {
        prices[d * per_draw + i] = t->paths[i * MC_STRIDE + d];
      }
    }
  }
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    CET_CALL(sample_one(s, t, first + d, t->paths + d, MC_STRIDE, metrics + d * s->n_metrics,
                        inputs ? inputs + d * s->n_vars : NULL));
  }
  return CET_OK;
}
