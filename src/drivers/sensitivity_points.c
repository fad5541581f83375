/*
 * sensitivity_points.c — the factors of a sensitivity case turned into the
 * twin's parameter values and price paths, and one point evaluated (see
 * sensitivity_impl.h). Every parameter of a factor lies within its valid
 * range at every setting a method uses (checked when the case is read, or
 * here before a spider or break-even point), so points are evaluated
 * without the range check of every parameter. The names of a method's
 * factors, the factor axis of its stored points, are written here too.
 */
#include "sensitivity_impl.h"

#include "cetwin/error.h"
#include "cetwin/price.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BANDS = 3 }; /* lower 95 %, mean, upper 95 % */

static const cet_price_band BAND_OF[BANDS] = {CET_PRICE_LOWER95, CET_PRICE_MEAN, CET_PRICE_UPPER95};

/* The forecast bands of the series of the prices factor. */
static int load_bands(cet_drv_sa_run *r, const cet_factor *f) {
  r->bands = malloc((f->n_series * BANDS * r->ny + 1) * sizeof *r->bands);
  CET_CHECK_ALLOC(r->bands);
  for (size_t c = 0; c < f->n_series; c++) {
    const cet_price_model *m = cet_twin_price_model(r->twin, f->series[c]);
    CET_CHECK(m, CET_ERR_INPUT, "price series %s has no AR model",
              cet_twin_price_name(r->twin, f->series[c]));
    for (int b = 0; b < BANDS; b++) {
      CET_CALL(cet_price_forecast(m, cet_twin_start_year(r->twin), r->ny, BAND_OF[b],
                                  r->bands + (c * BANDS + (size_t)b) * r->ny));
    }
  }
  return CET_OK;
}

/* The Monte Carlo sampler of the prices alone (its draws 2j and 2j + 1 are
 * the paths of Sobol' rows A_j and B_j). */
static int price_sampler(cet_drv_sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  cet_uncertain *prices = calloc(s->n_uncertain + 1, sizeof *prices);
  CET_CHECK_ALLOC(prices);
  size_t n = 0;
  for (size_t i = 0; i < s->n_uncertain; i++) {
    if (s->uncertain[i].kind == CET_UNCERTAIN_PRICES) {
      prices[n++] = s->uncertain[i]; /* a shallow copy: the sampler only reads it */
    }
  }
  int status =
      cet_sampler_create(r->twin, r->c->seed, prices, n, r->s->metric_index, r->nm, &r->sampler);
  free(prices);
  return status;
}

int cet_drv_sa_run_setup(cet_drv_sa_run *r) {
  const cet_sensitivity_spec *s = r->s;
  r->twin = r->c->twin;
  r->k = s->n_factors;
  r->nm = s->metrics.n;
  r->ny = cet_twin_year_count(r->twin);
  r->prices = -1;
  r->threads = r->ctx->threads > 0 ? r->ctx->threads : 1;
  r->base = malloc((r->k + 1) * sizeof *r->base);
  r->units = calloc(r->nm + 1, sizeof *r->units);
  r->units2 = calloc(r->nm + 1, sizeof *r->units2);
  r->share = calloc(r->nm + 1, sizeof *r->share);
  CET_CHECK_ALLOCS(r->base && r->units && r->units2 && r->share);
  for (size_t m = 0; m < r->nm; m++) {
    r->units[m] = cet_twin_metric_units(r->twin, s->metric_index[m]);
    r->share[m] = cet_twin_metric_is_share(r->twin, s->metric_index[m]);
    cet_strbuf b = {0};
    int one = strcmp(r->units[m], "1") == 0;
    CET_CALL(cet_strbuf_printf(&b, "%s%s%s", r->units[m], one ? "" : " ", one ? "" : r->units[m]));
    r->units2[m] = b.text;
  }
  for (size_t i = 0; i < r->k; i++) {
    const cet_factor *f = &s->factors[i];
    switch (f->kind) {
    case CET_FACTOR_VALUE:
    case CET_FACTOR_DISTRIBUTION:
      r->base[i] = f->base[0];
      break;
    case CET_FACTOR_SCALE:
      r->base[i] = 0.0;
      break;
    case CET_FACTOR_PRICES:
      r->base[i] = NAN; /* the twin's own path */
      r->prices = (long)i;
      CET_CALL(load_bands(r, f));
      break;
    }
  }
  r->name_width = cet_drv_sa_name_width((const char *const *)s->groups.name, s->groups.n);
  if (r->prices >= 0 && s->sobol.given) {
    CET_CALL(price_sampler(r));
  }
  return CET_OK;
}

void cet_drv_sa_run_free(cet_drv_sa_run *r) {
  free(r->base);
  free(r->units);
  free(r->share);
  cet_free_strings(r->units2, r->nm);
  free(r->bands);
  free(r->checkpoint);
  free(r->restart_kind);
  cet_sampler_destroy(&r->sampler);
}

double cet_drv_sa_native_at_unit(const cet_sensitivity_spec *s, const cet_factor *f, double u,
                                 int grid) {
  double x = NAN;
  switch (f->kind) {
  case CET_FACTOR_VALUE:
  case CET_FACTOR_SCALE:
    x = f->low + u * (f->high - f->low);
    break;
  case CET_FACTOR_DISTRIBUTION:
    if (grid) {
      u = s->quantile_low + u * (s->quantile_high - s->quantile_low);
    }
    if (cet_distribution_quantile(f->dist, u, &x) != CET_OK) {
      cet_error_clear();
      x = NAN;
    }
    break;
  case CET_FACTOR_PRICES:
    x = 2.0 * u - 1.0;
    break;
  }
  return x;
}

double cet_drv_sa_native_at_change(const cet_factor *f, double c) {
  return f->kind == CET_FACTOR_VALUE || f->kind == CET_FACTOR_DISTRIBUTION ? f->base[0] * (1.0 + c)
                                                                           : c;
}

int cet_drv_sa_native_valid(const cet_drv_sa_run *r, const cet_factor *f, double x) {
  for (size_t i = 0; i < f->n_slots; i++) {
    double lo = 0.0, hi = 0.0;
    cet_twin_parameter_range(r->twin, f->slots[i], &lo, &hi);
    double v = f->kind == CET_FACTOR_SCALE ? cet_factor_scaled(f, i, x) : x;
    if (!(v >= lo && v <= hi)) {
      return 0;
    }
  }
  return 1;
}

int cet_drv_sa_ws_create(void *run, void **out) {
  const cet_drv_sa_run *r = run;
  *out = NULL;
  cet_drv_sa_ws *ws = calloc(1, sizeof *ws);
  CET_CHECK_ALLOC(ws);
  size_t series = r->prices >= 0 ? r->s->factors[r->prices].n_series : 0;
  size_t nx = r->k > r->s->sweep.n_dims ? r->k : r->s->sweep.n_dims;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_twin_workspace_create(r->twin, &ws->w));
  CET_CALL_GOTO(status, fail, cet_twin_workspace_select(ws->w, r->s->metric_index, r->nm));
  ws->params = cet_twin_workspace_params(ws->w);
  memcpy(ws->params, cet_twin_parameter_defaults(r->twin),
         cet_twin_parameter_count(r->twin) * sizeof *ws->params);
  ws->paths = malloc((series * r->ny + 1) * sizeof *ws->paths);
  ws->x = malloc((nx + 1) * sizeof *ws->x);
  ws->metrics = malloc((r->nm + 1) * sizeof *ws->metrics);
  CET_CHECK_ALLOC_GOTO(status, fail, ws->paths && ws->x && ws->metrics);
  if (r->sampler) {
    CET_CALL_GOTO(status, fail, cet_sampler_workspace_create(r->sampler, &ws->sampler));
  }
  *out = ws;
  return CET_OK;
fail:
  cet_drv_sa_ws_destroy((void **)&ws);
  return status;
}

void cet_drv_sa_ws_destroy(void **wsp) {
  cet_drv_sa_ws *ws = *wsp;
  if (!ws) {
    return;
  }
  cet_twin_workspace_destroy(&ws->w);
  cet_sampler_workspace_destroy(&ws->sampler);
  free(ws->paths);
  free(ws->x);
  free(ws->metrics);
  free(ws);
  *wsp = NULL;
}

void cet_drv_sa_move_drawn(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *drawn) {
  const cet_factor *f = &r->s->factors[r->prices];
  cet_twin_workspace_set_price_paths(ws->w, f->n_series, f->series, drawn, r->ny, 1);
}

/* The paths of the prices factor at band position x (NaN: the twin's own
 * deterministic paths), or the drawn paths. */
static void set_prices(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const cet_factor *f, double x,
                       const double *drawn) {
  if (drawn) {
    cet_drv_sa_move_drawn(r, ws, drawn);
    for (size_t c = 0; c < f->n_series; c++) {
      cet_twin_workspace_draw_price(ws->w, f->series[c], 1);
    }
    return;
  }
  for (size_t c = 0; c < f->n_series; c++) {
    size_t series = f->series[c];
    if (isnan(x)) {
      cet_twin_workspace_draw_price(ws->w, series, 0);
      continue;
    }
    const double *lower = r->bands + c * BANDS * r->ny, *mean = lower + r->ny,
                 *upper = mean + r->ny;
    double *path = ws->paths + c * r->ny;
    for (size_t y = 0; y < r->ny; y++) {
      path[y] = mean[y] + x * (x >= 0.0 ? upper[y] - mean[y] : mean[y] - lower[y]);
    }
    cet_twin_workspace_set_price_path(ws->w, series, path, 1);
    cet_twin_workspace_draw_price(ws->w, series, 1);
  }
}

/* Sets factor i (not the prices) at native x in ws's parameters. */
static void set_factor(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, size_t i, double x) {
  const cet_factor *f = &r->s->factors[i];
  for (size_t j = 0; j < cet_drv_sa_slots_set(f); j++) {
    ws->params[f->slots[j]] = cet_drv_sa_slot_value(f, j, x);
  }
}

void cet_drv_sa_apply(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *x,
                      const double *drawn) {
  for (size_t i = 0; i < r->k; i++) {
    const cet_factor *f = &r->s->factors[i];
    if (f->kind == CET_FACTOR_PRICES) {
      set_prices(r, ws, f, x[i], drawn);
    } else {
      set_factor(r, ws, i, x[i]);
    }
  }
}

int cet_drv_sa_evaluate_applied(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, double *out) {
  size_t failed = 0;
  CET_CALL(cet_twin_evaluate_draws(r->twin, ws->params, ws->w, 0, 1, 0, r->s->metric_index, r->nm,
                                   out, &failed));
  return CET_OK;
}

int cet_drv_sa_evaluate(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *x,
                        const double *drawn, double *out) {
  cet_drv_sa_apply(r, ws, x, drawn);
  return cet_drv_sa_evaluate_applied(r, ws, out);
}

int cet_drv_sa_set_groups(const cet_drv_sa_run *r, const cet_factor_set *set, size_t *group_of,
                          const char **names, size_t *n_groups) {
  size_t *map = malloc((r->s->groups.n + 1) * sizeof *map);
  CET_CHECK_ALLOC(map);
  for (size_t g = 0; g < r->s->groups.n; g++) {
    map[g] = SIZE_MAX;
  }
  *n_groups = 0;
  for (size_t a = 0; a < set->n; a++) {
    size_t g = r->s->factors[set->index[a]].group;
    if (map[g] == SIZE_MAX) {
      names[*n_groups] = r->s->groups.name[g];
      map[g] = (*n_groups)++;
    }
    group_of[a] = map[g];
  }
  free(map);
  return CET_OK;
}

int cet_drv_sa_write_set_names(const cet_drv_sa_run *r, const cet_factor_set *set, const char *path,
                               cet_result *res) {
  const char **names = calloc(set->n + 1, sizeof *names);
  CET_CHECK_ALLOC(names);
  for (size_t a = 0; a < set->n; a++) {
    names[a] = r->s->factors[set->index[a]].name;
  }
  cet_dataset_meta m = {.description = "the factors moved, in the order of the factor axis",
                        .dims = "factor"};
  int status = cet_result_write_strings(res, path, set->n, names, &m);
  free(names);
  return status;
}
