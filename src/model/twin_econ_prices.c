/*
 * twin_econ_prices.c — the twin.h accessors of a twin's economics stage
 * (built and evaluated in twin_econ.c): its years, its price series (names,
 * units, models, correlations), the price paths of a workspace (drawn by a
 * driver or the scenario's), and the cash-flow table of an evaluation.
 */
#include "twin_econ_impl.h"

#include "cetwin/error.h"

#include <string.h>

/* ---- accessors (twin.h) ---- */

const econ_data *cet_twin_econ_of(const cet_twin *t) {
  return t->economics_stage < 0 ? NULL : t->stage[t->economics_stage].data;
}

econ_ws *cet_twin_econ_ws_of(const cet_twin_workspace *w) {
  const cet_twin *t = w->twin;
  return t->economics_stage < 0 ? NULL : cet_twin_stage_ws(w, (size_t)t->economics_stage);
}

int cet_twin_has_economics(const cet_twin *t) { return t->economics_stage >= 0; }

size_t cet_twin_year_count(const cet_twin *t) {
  const econ_data *d = cet_twin_econ_of(t);
  return d ? d->ny : 0;
}

int cet_twin_start_year(const cet_twin *t) {
  const econ_data *d = cet_twin_econ_of(t);
  return d ? d->start_year : 0;
}

size_t cet_twin_price_count(const cet_twin *t) {
  const econ_data *d = cet_twin_econ_of(t);
  return d ? d->n_prices : 0;
}

const char *cet_twin_price_name(const cet_twin *t, size_t c) {
  return cet_twin_econ_of(t)->prices[c].name;
}

const char *cet_twin_price_units(const cet_twin *t, size_t c) {
  return cet_twin_econ_of(t)->prices[c].unit;
}

long cet_twin_price_find(const cet_twin *t, const char *name) {
  const econ_data *d = cet_twin_econ_of(t);
  for (size_t c = 0; d && c < d->n_prices; c++) {
    if (strcmp(d->prices[c].name, name) == 0) {
      return (long)c;
    }
  }
  return -1;
}

const cet_price_model *cet_twin_price_model(const cet_twin *t, size_t c) {
  const econ_data *d = cet_twin_econ_of(t);
  return d->prices[c].kind == CET_ECON_PRICE_AR ? d->prices[c].model : NULL;
}

double cet_twin_price_correlation(const cet_twin *t, size_t a, size_t b) {
  const econ_data *d = cet_twin_econ_of(t);
  return d->correlation[a * d->n_prices + b];
}

double *cet_twin_workspace_price_path(cet_twin_workspace *w, size_t c) {
  const econ_data *d = cet_twin_econ_of(w->twin);
  return cet_twin_econ_ws_of(w)->drawn + c * d->ny;
}

void cet_twin_workspace_draw_price(cet_twin_workspace *w, size_t c, int drawn) {
  econ_ws *ws = cet_twin_econ_ws_of(w);
  if ((ws->is_drawn[c] != 0) != (drawn != 0)) {
    ws->is_drawn[c] = drawn != 0;
    ws->prices_valid = 0;
    ws->paths_version++;
  }
}

/* Series c of ws (of years ny) reads its drawn path at path (NULL: ws's
 * buffer), its years stride apart. */
static void use_path(econ_ws *ws, size_t ny, size_t c, const double *path, size_t stride) {
  ws->path[c] = path ? path : ws->drawn + c * ny;
  ws->path_stride[c] = path && stride > 0 ? stride : 1;
  ws->paths_changed = 1;
  ws->paths_version++;
}

void cet_twin_workspace_set_price_path(cet_twin_workspace *w, size_t c, const double *path,
                                       size_t stride) {
  use_path(cet_twin_econ_ws_of(w), cet_twin_econ_of(w->twin)->ny, c, path, stride);
}

void cet_twin_workspace_set_price_paths(cet_twin_workspace *w, size_t n, const size_t *series,
                                        const double *first, size_t series_step, size_t stride) {
  if (n == 0) { /* a twin without economics has no price paths (and no economics workspace) */
    return;
  }
  econ_ws *ws = cet_twin_econ_ws_of(w);
  const size_t ny = cet_twin_econ_of(w->twin)->ny;
  for (size_t k = 0; k < n; k++) {
    use_path(ws, ny, series[k], first + k * series_step, stride);
  }
}

const double *cet_twin_workspace_prices(const cet_twin_workspace *w) {
  econ_ws *ws = cet_twin_econ_ws_of(w);
  return ws ? ws->prices : NULL;
}

int cet_twin_cash_table_create(const cet_twin *t, cet_dcf_table **table) {
  const econ_data *d = cet_twin_econ_of(t);
  CET_CHECK(d != NULL, CET_ERR_INPUT, "the twin has no economics");
  CET_CALL(cet_dcf_table_create(d->proto, table));
  return CET_OK;
}

void cet_twin_cash_table_destroy(cet_dcf_table **table) { cet_dcf_table_destroy(table); }

int cet_twin_workspace_cash_table(const cet_twin_workspace *w, cet_dcf_table *table) {
  const econ_data *d = cet_twin_econ_of(w->twin);
  CET_CHECK(d != NULL, CET_ERR_INPUT, "the twin has no economics");
  const econ_ws *ws = cet_twin_econ_ws_of(w);
  CET_CHECK(ws->evaluated, CET_ERR_INPUT, "no successful evaluation in this workspace");
  CET_CALL(cet_dcf_table_fill(ws->dcf, ws->prices, d->ny, table));
  return CET_OK;
}
