/*
 * mc_sample.c — one Monte Carlo draw (see mc_impl.h): the random numbers of
 * draw i come from Philox streams keyed by (seed, purpose, i), the purpose
 * being the hash of the parameter's key path or of "prices.SERIES", never
 * the rank or the thread; so a draw gives the same bits wherever and
 * whenever it is evaluated. Price series drawn together get correlated
 * shocks from one cet_price_set (Cholesky factor of their correlation).
 */
#include "mc_impl.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

/* Prefix of the purpose names of price streams. */
static const char *const PRICE_PURPOSE_PREFIX = "prices.";

void mc_sampler_destroy(mc_sampler **sp) {
  if (!sp || !*sp) {
    return;
  }
  mc_sampler *s = *sp;
  free(s->var_slot);
  free(s->var_purpose);
  free(s->var_dist);
  free(s->drawn_series);
  free(s->drawn_purpose);
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
  s->drawn_purpose = calloc(n + 1, sizeof *s->drawn_purpose);
  CET_CHECK(s->drawn_series && s->drawn_purpose, CET_ERR_MEMORY, "out of memory");
  for (size_t i = 0; i < mc->n_uncertain; i++) {
    const cet_uncertain *u = &mc->uncertain[i];
    for (size_t k = 0; u->kind == CET_UNCERTAIN_PRICES && k < u->n_prices; k++) {
      long series = cet_twin_price_find(t, u->prices[k]);
      CET_CHECK(series >= 0, CET_ERR_INPUT, "%s: no price series '%s'", u->where, u->prices[k]);
      cet_strbuf name = {0};
      CET_CALL(cet_strbuf_printf(&name, "%s%s", PRICE_PURPOSE_PREFIX, u->prices[k]));
      s->drawn_series[s->n_drawn] = (size_t)series;
      s->drawn_purpose[s->n_drawn] = cet_rng_purpose(name.text);
      s->n_drawn++;
      cet_strbuf_free(&name);
    }
  }
  if (n == 0) {
    return CET_OK;
  }
  const cet_price_model **models = calloc(n, sizeof *models);
  double *corr = calloc(n * n, sizeof *corr);
  int status = models && corr ? CET_OK : CET_ERR_MEMORY;
  for (size_t a = 0; status == CET_OK && a < n; a++) {
    models[a] = cet_twin_price_model(t, s->drawn_series[a]);
    for (size_t b = 0; b < n; b++) {
      corr[a * n + b] = cet_twin_price_correlation(t, s->drawn_series[a], s->drawn_series[b]);
    }
  }
  if (status == CET_OK) {
    status = cet_price_set_create(&s->set, n, models, corr);
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
  free(t->tmp);
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
    status = cet_price_workspace_alloc(s->set, cet_twin_start_year(s->twin), s->ny, &t->pws);
  }
  size_t steps = t->pws ? cet_price_workspace_steps(t->pws) : 0;
  if (status == CET_OK) {
    t->all = calloc(cet_twin_metric_count(s->twin) + 1, sizeof *t->all);
    t->rec = calloc(s->n_metrics + 1, sizeof *t->rec);
    t->z = calloc(steps * s->n_drawn + 1, sizeof *t->z);
    t->tmp = calloc(steps + 1, sizeof *t->tmp);
    t->paths = calloc(s->n_drawn * s->ny + 1, sizeof *t->paths);
    t->rng = cet_rng_alloc();
    if (!t->all || !t->rec || !t->z || !t->tmp || !t->paths || !t->rng) {
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

/* The correlated price paths of a draw, into the workspace. */
static int draw_prices(const mc_sampler *s, mc_thread *t, uint64_t draw) {
  const size_t n = s->n_drawn, steps = cet_price_workspace_steps(t->pws);
  for (size_t c = 0; c < n; c++) {
    cet_rng_normals(s->seed, s->drawn_purpose[c], draw, 0, steps, t->tmp);
    for (size_t k = 0; k < steps; k++) {
      t->z[k * n + c] = t->tmp[k];
    }
  }
  CET_CALL(cet_price_set_simulate(s->set, t->z, t->pws, t->paths, s->ny));
  for (size_t c = 0; c < n; c++) {
    memcpy(cet_twin_workspace_price_path(t->w, s->drawn_series[c]), t->paths + c * s->ny,
           s->ny * sizeof *t->paths);
  }
  return CET_OK;
}

int mc_sample(const mc_sampler *s, mc_thread *t, uint64_t draw, double *metrics, double *inputs,
              double *prices) {
  double *params = cet_twin_workspace_params(t->w);
  for (size_t k = 0; k < s->n_vars; k++) {
    cet_rng_stream(t->rng, s->seed, s->var_purpose[k], draw, 0);
    double x = cet_distribution_sample(s->var_dist[k], t->rng);
    params[s->var_slot[k]] = x;
    if (inputs) {
      inputs[k] = x;
    }
  }
  if (s->n_drawn > 0) {
    CET_CALL(draw_prices(s, t, draw));
    if (prices) {
      memcpy(prices, t->paths, s->n_drawn * s->ny * sizeof *prices);
    }
  }
  CET_CALL(cet_twin_evaluate(s->twin, params, t->w, t->all));
  for (size_t k = 0; k < s->n_metrics; k++) {
    metrics[k] = t->all[s->metric[k]];
  }
  return CET_OK;
}
