/*
 * twin_econ.c — the "economics" stage of a twin (user guide: Economics):
 * the discounted cash flow of the economics description, with every number
 * a parameter, flows optionally linked to metrics of earlier stages, and
 * price paths from the case's scenario or drawn by a driver. The twin.h
 * accessors of prices and cash-flow tables are in twin_econ_prices.c.
 *
 * Each workspace keeps its own DCF model (dcf.h). An evaluation gathers the
 * values the model's numbers depend on (parameters in contiguous runs of
 * slots, linked metrics) and compares them bit for bit with those of the
 * last update: only when they differ is the model updated
 * (cet_dcf_update_want, allocation-free, recomputing only what changed and
 * the group totals only when a metric asks for them). A Monte Carlo over prices alone therefore
 * costs one comparison and one cet_dcf_evaluate per draw, or less as a batch of draws
 * (twin_draws.c).
 */
#include "twin_econ_impl.h"

#include "marks.h"

#include "cetwin/array.h"
#include "cetwin/clones.h"
#include "cetwin/economics.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { ECON_NAME_LEN = 512 };

/* Largest magnitude of a year parameter (whole years). */
static const double ECON_MAX_YEAR = 1e6;

/* ---- small helpers ---- */

static double slot_or(const double *p, long slot, double def) { return slot < 0 ? def : p[slot]; }

/* The year of a slot, or def (a whole number) without one. A present
 * value must be a whole number within ECON_MAX_YEAR, tested through a
 * conversion rather than a call of floor (every refill of a line tests its
 * four year slots); *out holds a valid year before (the last one or the
 * default), and a value equal to it is that year without a test (a line
 * refilled for another of its numbers keeps its years). */
static int whole_year(const cet_twin *t, const double *p, long slot, double def, int *out) {
  if (slot < 0) {
    *out = (int)def;
    return CET_OK;
  }
  double v = p[slot];
  if (v == (double)*out) {
    return CET_OK;
  }
  CET_CHECK(fabs(v) <= ECON_MAX_YEAR && v == (double)(long)v, CET_ERR_RUNTIME,
            "parameter %s = %g must be a whole number of years", cet_params_path(t->params, slot),
            v);
  *out = (int)v;
  return CET_OK;
}

static void deps_free(deps *d) {
  free(d->run);
  free(d->metric);
}

/* Runs of consecutive slots from a list (sorted, duplicates dropped). */
static int compare_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

static int deps_build(deps *d, long *slots, size_t n, const long *metrics, size_t n_metrics) {
  qsort(slots, n, sizeof *slots, compare_long);
  d->run = malloc((n ? n : 1) * sizeof *d->run);
  d->metric = malloc((n_metrics ? n_metrics : 1) * sizeof *d->metric);
  CET_CHECK_ALLOCS(d->run && d->metric);
  for (size_t i = 0; i < n; i++) {
    if (slots[i] < 0 || (i > 0 && slots[i] == slots[i - 1])) {
      continue;
    }
    if (d->n_runs > 0) {
      slot_run *last = &d->run[d->n_runs - 1];
      if ((long)(last->first + last->count) == slots[i]) {
        last->count++;
        d->n_values++;
        continue;
      }
    }
    d->run[d->n_runs++] = (slot_run){(size_t)slots[i], 1};
    d->n_values++;
  }
  for (size_t i = 0; i < n_metrics; i++) {
    if (metrics[i] >= 0) {
      d->metric[d->n_metrics++] = (size_t)metrics[i];
    }
  }
  return CET_OK;
}

/* Values of a run of the key compared at once before one by one. */
enum { KEY_BLOCK = 8 };

/* 1 when a[0..n-1] and b[0..n-1] are the same bits (inline and
 * branch-free, where memcmp would be a call); n is KEY_BLOCK or less. */
static inline int same_bits(const double *a, const double *b, size_t n) {
  uint64_t diff = 0;
  for (size_t j = 0; j < n; j++) {
    uint64_t x, y;
    memcpy(&x, a + j, sizeof x);
    memcpy(&y, b + j, sizeof y);
    diff |= x ^ y;
  }
  return diff == 0;
}

/* 1 when a[0..n-1] and b[0..n-1] are the same bits, KEY_BLOCK values at a
 * time. */
static int same_run(const double *a, const double *b, size_t n) {
  size_t j = 0;
  for (; j + KEY_BLOCK <= n; j += KEY_BLOCK) {
    if (!same_bits(a + j, b + j, KEY_BLOCK)) {
      return 0;
    }
  }
  return same_bits(a + j, b + j, n - j);
}

/* 1 when the values d depends on differ from last (bit for bit). Compares
 * in place: the common case, nothing changed, copies nothing. */
static int deps_changed(const deps *d, const double *p, const double *m, const double *last) {
  const double *k = last;
  for (size_t r = 0; r < d->n_runs; r++) {
    if (!same_run(k, p + d->run[r].first, d->run[r].count)) {
      return 1;
    }
    k += d->run[r].count;
  }
  for (size_t i = 0; i < d->n_metrics; i++) {
    if (memcmp(k++, &m[d->metric[i]], sizeof *k) != 0) {
      return 1;
    }
  }
  return 0;
}

/* Copies the values d depends on into key. */
static void deps_gather(const deps *d, const double *p, const double *m, double *key) {
  for (size_t r = 0; r < d->n_runs; r++) {
    memcpy(key, p + d->run[r].first, d->run[r].count * sizeof *key);
    key += d->run[r].count;
  }
  for (size_t i = 0; i < d->n_metrics; i++) {
    *key++ = m[d->metric[i]];
  }
}

/* ---- data life cycle ---- */

static void econ_free(void *p) {
  econ_data *d = p;
  if (!d) {
    return;
  }
  free(d->flow_metric);
  free(d->price_names);
  free(d->band);
  free(d->correlation);
  deps_free(&d->dcf_deps);
  deps_free(&d->price_deps);
  free(d->key_first);
  free(d->key_part);
  cet_dcf_destroy(&d->proto);
  free(d->m_group);
  free(d->m_cash);
  free(d);
}

/* Shares the spec's description (see econ_data) and makes the stage's own
 * arrays. */
static int copy_structure(econ_data *d, const cet_economics_spec *e) {
  d->horizon = e->horizon;
  d->start_year = e->start_year;
  d->ny = (size_t)e->horizon + 1;
  d->currency = e->currency && e->currency[0] ? e->currency : "EUR";
  d->discount_rate = e->discount_rate;
  d->scenario = e->scenario;
  d->n_phases = e->n_phases;
  d->n_flows = e->n_flows;
  d->n_lines = e->n_lines;
  d->n_prices = e->n_prices;
  d->phases = e->phases;
  d->flows = e->flows;
  d->lines = e->lines;
  d->prices = e->prices;
  d->flow_metric = calloc(e->n_flows + 1, sizeof *d->flow_metric);
  d->price_names = calloc(e->n_prices + 1, sizeof *d->price_names);
  d->band = calloc(e->n_prices * d->ny + 1, sizeof *d->band);
  d->correlation = calloc(e->n_prices * e->n_prices + 1, sizeof *d->correlation);
  CET_CHECK_ALLOCS(d->flow_metric && d->price_names && d->band && d->correlation);
  for (size_t c = 0; c < e->n_prices; c++) {
    d->price_names[c] = e->prices[c].name;
  }
  for (size_t a = 0; a < e->n_prices; a++) {
    for (size_t b = 0; b < e->n_prices; b++) {
      d->correlation[a * e->n_prices + b] =
          e->correlation ? e->correlation[a * e->n_prices + b] : (double)(a == b);
    }
  }
  return CET_OK;
}

/* Resolves linked flows to metric indices (metrics of earlier stages). */
static int resolve_metrics(const cet_twin *t, econ_data *d) {
  for (size_t i = 0; i < d->n_flows; i++) {
    const cet_econ_flow *f = &d->flows[i];
    d->flow_metric[i] = -1;
    if (!f->metric) {
      continue;
    }
    long m = cet_twin_metric_find(t, f->metric);
    if (m < 0) {
      const char *best = cet_twin_metric_closest(t, f->metric);
      CET_CHECK(0, CET_ERR_INPUT, "%s: no metric '%s' in the twin%s%s%s", f->where, f->metric,
                best ? " (closest: '" : "", best ? best : "", best ? "')" : "");
    }
    d->flow_metric[i] = m;
  }
  return CET_OK;
}

/* The AR forecast band of the scenario, for each AR series. */
static int compute_bands(econ_data *d) {
  static const cet_price_band BAND[CET_ECON_SCENARIOS] = {CET_PRICE_LOWER95, CET_PRICE_MEAN,
                                                          CET_PRICE_UPPER95};
  for (size_t c = 0; c < d->n_prices; c++) {
    const cet_econ_price *pr = &d->prices[c];
    if (pr->kind != CET_ECON_PRICE_AR) {
      continue;
    }
    CET_CHECK(pr->model != NULL, CET_ERR_INPUT, "%s: AR price series without a model", pr->where);
    CET_CHECK(cet_price_forecast(pr->model, d->start_year, d->ny, BAND[d->scenario],
                                 d->band + c * d->ny) == CET_OK,
              CET_ERR_INPUT, "%s: the price model cannot give the years %d..%d of the cash flow",
              pr->where, d->start_year, d->start_year + d->horizon);
  }
  return CET_OK;
}

/* The parameter slots of a line's numbers (CET_SLOT_NONE where absent). */
enum { LINE_SLOTS = 9 };
static void line_slots(const cet_econ_line *l, long *s) {
  const long all[LINE_SLOTS] = {l->amount,         l->unit_value,  l->payable,
                                l->contingency,    l->year,        l->renewal_year,
                                l->renewal_period, l->liquidation, l->liquidation_year};
  memcpy(s, all, sizeof all);
}

/* Slots and metrics the description's numbers and the prices depend on. */
static int collect_deps(econ_data *d) {
  size_t cap = 1 + 2 * d->n_phases + d->n_flows * (2 + d->ny) + LINE_SLOTS * d->n_lines;
  long *slots = malloc(cap * sizeof *slots), *metrics = malloc((d->n_flows + 1) * sizeof *metrics);
  int status = CET_OK;
  size_t n = 0, nm = 0;
  CET_CHECK_ALLOC_GOTO(status, done, slots && metrics);
  slots[n++] = d->discount_rate;
  for (size_t i = 0; i < d->n_phases; i++) {
    slots[n++] = d->phases[i].first_year;
    slots[n++] = d->phases[i].last_year;
  }
  for (size_t i = 0; i < d->n_flows; i++) {
    const cet_econ_flow *f = &d->flows[i];
    slots[n++] = f->per_year;
    slots[n++] = f->factor;
    for (size_t y = 0; f->by_year && y < d->ny; y++) {
      slots[n++] = f->by_year[y];
    }
    metrics[nm++] = d->flow_metric[i];
  }
  for (size_t i = 0; i < d->n_lines; i++) {
    line_slots(&d->lines[i], slots + n);
    n += LINE_SLOTS;
  }
  CET_CALL_GOTO(status, done, deps_build(&d->dcf_deps, slots, n, metrics, nm));
  n = 0;
  for (size_t c = 0; c < d->n_prices; c++) {
    const cet_econ_price *pr = &d->prices[c];
    n += 1 + CET_ECON_SCENARIOS + pr->n_values;
  }
  CET_CALL_GOTO(status, done, cet_array_grow(&slots, NULL, n + 1, sizeof *slots));
  n = 0;
  for (size_t c = 0; c < d->n_prices; c++) {
    const cet_econ_price *pr = &d->prices[c];
    slots[n++] = pr->factor;
    if (pr->kind == CET_ECON_PRICE_CONSTANT) {
      slots[n++] = pr->value[d->scenario];
    }
    for (size_t k = 0; k < pr->n_values; k++) {
      slots[n++] = pr->values[k];
    }
  }
  CET_CALL_GOTO(status, done, deps_build(&d->price_deps, slots, n, NULL, 0));
done:
  free(slots);
  free(metrics);
  return status;
}

/* The position of slot in the key of dp, or -1. */
static long key_position(const deps *dp, long slot) {
  size_t pos = 0;
  for (size_t r = 0; slot >= 0 && r < dp->n_runs; r++) {
    const slot_run *run = &dp->run[r];
    if ((size_t)slot >= run->first && (size_t)slot < run->first + run->count) {
      return (long)(pos + ((size_t)slot - run->first));
    }
    pos += run->count;
  }
  return -1;
}

/* Calls add(k, part) for each value k of the dcf_deps key and each part of
 * the description it feeds (see econ_data.key_part). */
static void for_each_feed(const econ_data *d, void (*add)(void *, long, size_t), void *ctx) {
  const deps *dp = &d->dcf_deps;
  const size_t flow0 = 1 + d->n_phases, line0 = flow0 + d->n_flows;
  add(ctx, key_position(dp, d->discount_rate), 0);
  for (size_t i = 0; i < d->n_phases; i++) {
    add(ctx, key_position(dp, d->phases[i].first_year), 1 + i);
    add(ctx, key_position(dp, d->phases[i].last_year), 1 + i);
  }
  size_t metric = dp->n_values;
  for (size_t i = 0; i < d->n_flows; i++) {
    const cet_econ_flow *f = &d->flows[i];
    add(ctx, key_position(dp, f->per_year), flow0 + i);
    add(ctx, key_position(dp, f->factor), flow0 + i);
    for (size_t y = 0; f->by_year && y < d->ny; y++) {
      add(ctx, key_position(dp, f->by_year[y]), flow0 + i);
    }
    if (d->flow_metric[i] >= 0) {
      add(ctx, (long)metric++, flow0 + i);
    }
  }
  for (size_t i = 0; i < d->n_lines; i++) {
    long s[LINE_SLOTS];
    line_slots(&d->lines[i], s);
    for (size_t k = 0; k < LINE_SLOTS; k++) {
      add(ctx, key_position(dp, s[k]), line0 + i);
    }
  }
}

static void count_feed(void *ctx, long k, size_t part) {
  (void)part;
  if (k >= 0) {
    ((econ_data *)ctx)->key_first[k + 1]++;
  }
}

static void place_feed(void *ctx, long k, size_t part) {
  econ_data *d = ctx;
  if (k >= 0) {
    d->key_part[d->key_first[k]++] = part; /* key_first[k] runs ahead while placing */
  }
}

/* The map from the values of the dcf_deps key to the parts of the
 * description they feed, so that an update refills and compares only the
 * parts whose values changed. */
static int map_key_parts(econ_data *d) {
  const size_t nk = d->dcf_deps.n_values + d->dcf_deps.n_metrics;
  d->n_parts = 1 + d->n_phases + d->n_flows + d->n_lines;
  d->key_first = calloc(nk + 2, sizeof *d->key_first);
  CET_CHECK_ALLOC(d->key_first);
  for_each_feed(d, count_feed, d);
  for (size_t k = 0; k < nk; k++) {
    d->key_first[k + 1] += d->key_first[k];
  }
  d->key_part = malloc((d->key_first[nk] + 1) * sizeof *d->key_part);
  CET_CHECK_ALLOC(d->key_part);
  for_each_feed(d, place_feed, d);
  for (size_t k = nk; k-- > 0;) { /* each start ran ahead to the next one's */
    d->key_first[k + 1] = d->key_first[k];
  }
  d->key_first[0] = 0;
  return CET_OK;
}

/* ---- description numbers from the parameters ---- */

static int fill_phase(const cet_twin *t, const econ_data *d, const double *p, econ_ws *ws,
                      size_t i) {
  ws->phases[i].name = d->phases[i].name;
  CET_CALL(whole_year(t, p, d->phases[i].first_year, 0.0, &ws->phases[i].first_year));
  CET_CALL(whole_year(t, p, d->phases[i].last_year, 0.0, &ws->phases[i].last_year));
  return CET_OK;
}

static void fill_flow(const econ_data *d, const double *p, const double *m, econ_ws *ws, size_t i) {
  const cet_econ_flow *f = &d->flows[i];
  cet_dcf_flow *o = &ws->flows[i];
  o->name = f->name;
  o->unit = f->unit;
  o->phase = (long)f->phase;
  o->by_year = NULL;
  if (d->flow_metric[i] >= 0) {
    o->per_year = m ? slot_or(p, f->factor, 1.0) * m[d->flow_metric[i]] : 0.0;
  } else {
    o->per_year = slot_or(p, f->per_year, 0.0);
  }
  if (f->by_year) {
    double *by = ws->by_year + i * d->ny;
    for (size_t y = 0; y < d->ny; y++) {
      by[y] = slot_or(p, f->by_year[y], 0.0);
    }
    o->by_year = by;
  }
}

/* The n lines at cet_dcf_line_init's defaults (once per workspace). */
static void init_lines(cet_dcf_line *lines, size_t n) {
  for (size_t i = 0; lines && i < n; i++) {
    lines[i] = cet_dcf_line_init();
  }
}

/* The numbers of line i (its shape: fill_line). */
static int fill_line_numbers(const cet_twin *t, const econ_data *d, const double *p, econ_ws *ws,
                             size_t i) {
  const cet_econ_line *l = &d->lines[i];
  cet_dcf_line *o = &ws->lines[i];
  o->amount = slot_or(p, l->amount, 1.0);
  o->unit_value = slot_or(p, l->unit_value, 0.0);
  o->payable = slot_or(p, l->payable, 1.0);
  o->contingency = slot_or(p, l->contingency, 0.0);
  o->liquidation = slot_or(p, l->liquidation, 0.0);
  o->liquidation_row = l->liquidation >= 0;
  CET_CALL(whole_year(t, p, l->year, 0.0, &o->year));
  CET_CALL(whole_year(t, p, l->renewal_year, 0.0, &o->renewal_year));
  CET_CALL(whole_year(t, p, l->renewal_period, 0.0, &o->renewal_period));
  CET_CALL(whole_year(t, p, l->liquidation_year, -1.0, &o->liquidation_year));
  return CET_OK;
}

static int fill_line(const cet_twin *t, const econ_data *d, const double *p, econ_ws *ws,
                     size_t i) {
  const cet_econ_line *l = &d->lines[i];
  cet_dcf_line *o = &ws->lines[i]; /* every field set here (init_lines gave the defaults) */
  o->name = l->name;
  o->group = l->group;
  o->liquidation_group = l->liquidation_group;
  o->kind = l->kind;
  o->direction = l->direction;
  o->flow = l->flow;
  o->phase = l->phase;
  o->price = l->price;
  CET_CALL(fill_line_numbers(t, d, p, ws, i));
  return CET_OK;
}

/* Writes the description's numbers for parameters p and metrics m (NULL
 * before any evaluation: linked flows are then 0). */
static int fill_description(const cet_twin *t, const econ_data *d, const double *p, const double *m,
                            econ_ws *ws) {
  ws->desc.horizon = d->horizon;
  ws->desc.discount_rate = p[d->discount_rate];
  ws->desc.n_phases = d->n_phases;
  ws->desc.phases = ws->phases;
  ws->desc.n_flows = d->n_flows;
  ws->desc.flows = ws->flows;
  ws->desc.n_prices = d->n_prices;
  ws->desc.price_names = (const char *const *)d->price_names;
  ws->desc.n_lines = d->n_lines;
  ws->desc.lines = ws->lines;
  for (size_t i = 0; i < d->n_phases; i++) {
    CET_CALL(fill_phase(t, d, p, ws, i));
  }
  for (size_t i = 0; i < d->n_flows; i++) {
    fill_flow(d, p, m, ws, i);
  }
  for (size_t i = 0; i < d->n_lines; i++) {
    CET_CALL(fill_line(t, d, p, ws, i));
  }
  return CET_OK;
}

/* Keeps value x of key position k when it differs from the last one and
 * marks the parts it feeds; returns 1 when it differed. */
static inline size_t mark_value(const econ_data *d, econ_ws *ws, size_t k, double x) {
  if (memcmp(ws->key_last + k, &x, sizeof x) == 0) {
    return 0;
  }
  ws->key_last[k] = x;
  /* in locals: through d and ws each byte stored would reload them */
  const size_t *restrict part = d->key_part, end = d->key_first[k + 1];
  unsigned char *restrict dirty = ws->part_dirty;
  for (size_t e = d->key_first[k]; e < end; e++) {
    dirty[part[e]] = 1;
  }
  return 1;
}

/* Compares the values of the dcf_deps key with those of the last update,
 * keeps the changed ones and marks the parts of the description they feed
 * (ws->part_dirty); returns how many changed. The parameter runs are
 * compared KEY_BLOCK values at a time, value by value only in a block
 * that differs. */
static size_t mark_changes(const econ_data *d, const double *p, const double *m, econ_ws *ws) {
  const deps *dp = &d->dcf_deps;
  const double *key = ws->key_last;
  size_t n = 0, pos = 0;
  for (size_t r = 0; r < dp->n_runs; r++) {
    const double *v = p + dp->run[r].first;
    const size_t count = dp->run[r].count;
    for (size_t j = 0; j < count; j += KEY_BLOCK) {
      const size_t width = count - j < KEY_BLOCK ? count - j : KEY_BLOCK;
      if (width == KEY_BLOCK ? same_bits(key + pos + j, v + j, KEY_BLOCK)
                             : same_bits(key + pos + j, v + j, width)) {
        continue;
      }
      for (size_t i = j; i < j + width; i++) {
        n += mark_value(d, ws, pos + i, v[i]);
      }
    }
    pos += count;
  }
  for (size_t j = 0; j < dp->n_metrics; j++) {
    n += mark_value(d, ws, pos + j, m[dp->metric[j]]);
  }
  return n;
}

/* Writes the numbers of the marked parts of the description (the discount
 * rate always). */
static int fill_marked(const cet_twin *t, const econ_data *d, const double *p, const double *m,
                       econ_ws *ws) {
  const unsigned char *phase = ws->part_dirty + 1, *flow = phase + d->n_phases,
                      *line = flow + d->n_flows;
  ws->desc.discount_rate = p[d->discount_rate];
  for (size_t i = cet_marks_next(phase, 0, d->n_phases); i < d->n_phases;
       i = cet_marks_next(phase, i + 1, d->n_phases)) {
    CET_CALL(fill_phase(t, d, p, ws, i));
  }
  for (size_t i = cet_marks_next(flow, 0, d->n_flows); i < d->n_flows;
       i = cet_marks_next(flow, i + 1, d->n_flows)) {
    fill_flow(d, p, m, ws, i);
  }
  for (size_t i = cet_marks_next(line, 0, d->n_lines); i < d->n_lines;
       i = cet_marks_next(line, i + 1, d->n_lines)) {
    CET_CALL(fill_line_numbers(t, d, p, ws, i));
  }
  return CET_OK;
}

double cet_twin_econ_base_price(const econ_data *d, const double *p, size_t c, size_t y) {
  const cet_econ_price *pr = &d->prices[c];
  switch (pr->kind) {
  case CET_ECON_PRICE_CONSTANT:
    return p[pr->value[d->scenario]];
  case CET_ECON_PRICE_PATH: {
    long k = (long)d->start_year + (long)y - pr->first_year;
    k = k < 0 ? 0 : k;
    k = k >= (long)pr->n_values ? (long)pr->n_values - 1 : k;
    return p[pr->values[k]];
  }
  case CET_ECON_PRICE_AR:
    return d->band[c * d->ny + y];
  }
  return NAN;
}

double cet_twin_econ_price_factor(const econ_data *d, const double *params, size_t c) {
  return slot_or(params, d->prices[c].factor, 1.0);
}

/* row[y] = f * drawn[y * stride] for y < ny, built for the widest vectors
 * the processor has (the same multiplication per year). */
CET_CLONES static void scale_path(double *restrict row, double f, const double *restrict drawn,
                                  size_t stride, size_t ny) {
  if (stride == 1) {
    for (size_t y = 0; y < ny; y++) {
      row[y] = f * drawn[y];
    }
    return;
  }
  for (size_t y = 0; y < ny; y++) {
    row[y] = f * drawn[y * stride];
  }
}

/* The prices of the model: every series when all (a number of the
 * deterministic paths or a factor changed), else the drawn ones, and
 * those only when their paths may have changed (econ_ws.paths_changed):
 * otherwise they hold the products of the same bits already. */
static void fill_prices(const econ_data *d, const double *p, econ_ws *ws, int all) {
  if (!all && !ws->paths_changed && !ws->reads_buffer) {
    return;
  }
  const size_t ny = d->ny;
  int buffer = 0;
  for (size_t c = 0; c < d->n_prices; c++) {
    double f = cet_twin_econ_price_factor(d, p, c), *row = ws->prices + c * ny;
    if (ws->is_drawn[c]) {
      scale_path(row, f, ws->path[c], ws->path_stride[c], ny);
      buffer |= ws->path[c] == ws->drawn + c * ny;
    } else if (all) {
      for (size_t y = 0; y < ny; y++) {
        row[y] = f * cet_twin_econ_base_price(d, p, c, y);
      }
    }
  }
  ws->paths_changed = 0;
  ws->reads_buffer = buffer;
}

void cet_twin_econ_cost_income(const double *g, size_t n, size_t stride, double *cost,
                               double *income) {
  double c = 0.0, i = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double v = g[k * stride];
    c -= v < 0.0 ? v : 0.0;
    i += v > 0.0 ? v : 0.0;
  }
  *cost = c;
  *income = i;
}

/* ---- workspace ---- */

static void econ_ws_destroy(void *p) {
  econ_ws *ws = p;
  if (!ws) {
    return;
  }
  cet_dcf_destroy(&ws->dcf);
  cet_dcf_workspace_destroy(&ws->dws);
  free(ws->phases);
  free(ws->flows);
  free(ws->by_year);
  free(ws->lines);
  free(ws->key_last);
  free(ws->part_dirty);
  free(ws->pkey_last);
  free(ws->prices);
  free(ws->drawn);
  free(ws->path);
  free(ws->path_stride);
  free(ws->is_drawn);
  free(ws->base);
  free(ws->lane_series);
  free(ws->lane_prices);
  free(ws->lane_npv);
  free(ws->lane_groups);
  free(ws->lane_cash);
  cet_twin_econ_factored_destroy(&ws->factored);
  free(ws);
}

static int econ_ws_create(const cet_twin *t, const void *data, void **out) {
  const econ_data *d = data;
  econ_ws *ws = calloc(1, sizeof *ws);
  CET_CHECK_ALLOC(ws);
  size_t nk = d->dcf_deps.n_values + d->dcf_deps.n_metrics + 1;
  size_t npk = d->price_deps.n_values + 1, npy = d->n_prices * d->ny + 1;
  ws->phases = calloc(d->n_phases + 1, sizeof *ws->phases);
  ws->flows = calloc(d->n_flows + 1, sizeof *ws->flows);
  ws->by_year = calloc(d->n_flows * d->ny + 1, sizeof *ws->by_year);
  ws->lines = calloc(d->n_lines + 1, sizeof *ws->lines);
  init_lines(ws->lines, d->n_lines);
  ws->key_last = calloc(nk, sizeof *ws->key_last);
  ws->part_dirty = calloc(d->n_parts + 1, 1);
  ws->pkey_last = calloc(npk, sizeof *ws->pkey_last);
  ws->prices = calloc(npy, sizeof *ws->prices);
  ws->drawn = calloc(npy, sizeof *ws->drawn);
  ws->is_drawn = calloc(d->n_prices + 1, 1);
  ws->path = calloc(d->n_prices + 1, sizeof *ws->path);
  ws->path_stride = calloc(d->n_prices + 1, sizeof *ws->path_stride);
  ws->base = calloc(d->n_prices + 1, sizeof *ws->base);
  ws->lane_series = calloc(d->n_prices + 1, sizeof *ws->lane_series);
  ws->lane_prices = calloc(npy * CET_DCF_LANES, sizeof *ws->lane_prices);
  ws->lane_npv = calloc(CET_DCF_LANES, sizeof *ws->lane_npv);
  ws->lane_groups = calloc((d->n_groups + 1) * CET_DCF_LANES, sizeof *ws->lane_groups);
  ws->lane_cash = calloc((d->ny + 1) * CET_DCF_LANES, sizeof *ws->lane_cash);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail,
                       ws->phases && ws->flows && ws->by_year && ws->lines && ws->key_last &&
                           ws->part_dirty && ws->pkey_last && ws->prices && ws->drawn &&
                           ws->is_drawn && ws->path && ws->path_stride && ws->base &&
                           ws->lane_series && ws->lane_prices && ws->lane_npv && ws->lane_groups &&
                           ws->lane_cash);
  for (size_t c = 0; c < d->n_prices; c++) {
    ws->path[c] = ws->drawn + c * d->ny;
    ws->path_stride[c] = 1;
  }
  CET_CALL_GOTO(status, fail, fill_description(t, d, cet_params_values(t->params), NULL, ws));
  CET_CALL_GOTO(status, fail, cet_dcf_create(&ws->dcf, &ws->desc, NULL));
  CET_CALL_GOTO(status, fail, cet_dcf_workspace_create(ws->dcf, &ws->dws));
  *out = ws;
  return CET_OK;
fail:
  econ_ws_destroy(ws);
  return status;
}

/* ---- evaluation ---- */

/* Brings the workspace's model up to date with p and m, with what want (a
 * CET_DCF_WANT_* mask) asks of it: the group totals only when asked for.
 * After a successful update only the parts of the description whose
 * values changed are refilled, and the model compares only those. */
static int update_model(const cet_twin *t, const econ_data *d, const double *p, const double *m,
                        econ_ws *ws, unsigned want) {
  if (ws->valid) {
    const size_t changed = mark_changes(d, p, m, ws);
    if (changed == 0 && (!(want & CET_DCF_WANT_GROUPS) || cet_dcf_has_groups(ws->dcf))) {
      return CET_OK;
    }
    ws->valid = 0; /* until the model holds the key's values */
    int status = fill_marked(t, d, p, m, ws);
    if (status == CET_OK &&
        cet_dcf_update_marked(ws->dcf, &ws->desc, want, ws->part_dirty + 1) != CET_OK) {
      status = CET_ERR_INPUT;
    }
    memset(ws->part_dirty, 0, d->n_parts);
    if (status == CET_ERR_INPUT) {
      char why[ECON_NAME_LEN];
      snprintf(why, sizeof why, "%s", cet_error_message());
      cet_error_clear();
      CET_CHECK(0, CET_ERR_RUNTIME, "economics: the parameter values give no valid cash flow: %s",
                why);
    }
    CET_CALL(status);
    ws->valid = 1;
    return CET_OK;
  }
  CET_CALL(fill_description(t, d, p, m, ws));
  if (cet_dcf_update_want(ws->dcf, &ws->desc, want) != CET_OK) {
    char why[ECON_NAME_LEN];
    snprintf(why, sizeof why, "%s", cet_error_message());
    cet_error_clear();
    CET_CHECK(0, CET_ERR_RUNTIME, "economics: the parameter values give no valid cash flow: %s",
              why);
  }
  deps_gather(&d->dcf_deps, p, m, ws->key_last);
  ws->valid = 1;
  return CET_OK;
}

int cet_twin_econ_model_groups(econ_ws *ws) {
  if (!cet_dcf_has_groups(ws->dcf)) {
    CET_CALL(cet_dcf_update_want(ws->dcf, &ws->desc, CET_DCF_WANT_GROUPS));
  }
  return CET_OK;
}

/* What the metrics selected in w ask of the model (a CET_DCF_WANT_* mask,
 * the group totals, the cash flow), kept in ws until the next selection. */
static void econ_want(const econ_data *d, const cet_twin_workspace *w, econ_ws *ws) {
  unsigned want = 0;
  want |= w->want[d->m_irr] ? CET_DCF_WANT_IRR : 0u;
  want |= w->want[d->m_payback] ? CET_DCF_WANT_PAYBACK : 0u;
  int groups = w->want[d->m_cost] || w->want[d->m_income];
  for (size_t g = 0; g < d->n_groups && !groups; g++) {
    groups = w->want[d->m_group[g]];
  }
  want |= groups ? CET_DCF_WANT_GROUPS : 0u;
  int cash = 0;
  for (size_t y = 0; y < d->ny && !cash; y++) {
    cash = w->want[d->m_cash[y]];
  }
  want |= cash ? 0u : CET_DCF_NO_CASH;
  ws->want = want;
  ws->want_groups = groups;
  ws->want_cash = cash;
  ws->want_selections = w->selections;
  ws->want_known = 1;
}

int cet_twin_workspace_npv_factored(cet_twin_workspace *w, char *why, size_t len) {
  const econ_data *d = cet_twin_econ_of(w->twin);
  econ_ws *ws = d ? cet_twin_econ_ws_of(w) : NULL;
  if (!ws || !ws->factored) {
    snprintf(why, len, "the factored form is not set");
    return 0;
  }
  econ_want(d, w, ws);
  const unsigned want = ws->want;
  if (want == CET_DCF_NO_CASH) {
    return 1;
  }
  snprintf(why, len, "the metrics ask the economics for %s",
           want & CET_DCF_WANT_IRR       ? "the irr"
           : want & CET_DCF_WANT_PAYBACK ? "the payback"
           : want & CET_DCF_WANT_GROUPS  ? "the cost or income totals"
                                         : "the yearly cash flow");
  return 0;
}

static int econ_evaluate(const cet_twin *t, const void *data, const double *p,
                         cet_twin_workspace *w, double *m) {
  const econ_data *d = data;
  econ_ws *ws = cet_twin_stage_ws(w, (size_t)t->economics_stage);
  ws->evaluated = 0;
  if (!ws->want_known || ws->want_selections != w->selections) {
    econ_want(d, w, ws);
  }
  const unsigned want = ws->want;
  const int groups = ws->want_groups, cash = ws->want_cash;
  if (ws->factored && want == CET_DCF_NO_CASH &&
      cet_twin_econ_factored_npv(ws->factored, ws, p, &m[d->m_npv])) {
    m[d->m_irr] = NAN;
    m[d->m_payback] = NAN;
    return CET_OK; /* no model of the point: ws->evaluated stays 0 */
  }
  CET_CALL(update_model(t, d, p, m, ws, want));
  int refill = !ws->prices_valid || deps_changed(&d->price_deps, p, NULL, ws->pkey_last);
  fill_prices(d, p, ws, refill);
  if (refill) {
    deps_gather(&d->price_deps, p, NULL, ws->pkey_last);
  }
  ws->prices_valid = 1;
  cet_dcf_result r;
  if (cet_dcf_evaluate(ws->dcf, ws->prices, d->ny, want, ws->dws, &r) != CET_OK) {
    char why[ECON_NAME_LEN];
    snprintf(why, sizeof why, "%s", cet_error_message());
    cet_error_clear();
    CET_CHECK(0, CET_ERR_RUNTIME, "economics: %s", why);
  }
  m[d->m_npv] = r.npv;
  m[d->m_irr] = r.irr_found ? r.irr : NAN;
  m[d->m_payback] = r.payback_found ? r.payback : NAN;
  if (groups) {
    const double *g = cet_dcf_workspace_groups(ws->dws);
    for (size_t k = 0; k < d->n_groups; k++) {
      m[d->m_group[k]] = g[k];
    }
    cet_twin_econ_cost_income(g, d->n_groups, 1, &m[d->m_cost], &m[d->m_income]);
  }
  const double *flow = cet_dcf_workspace_cash_flow(ws->dws);
  for (size_t y = 0; cash && y < d->ny; y++) {
    m[d->m_cash[y]] = flow[y];
  }
  ws->evaluated = 1;
  return CET_OK;
}

/* ---- build ---- */

static int register_metrics(cet_twin *t, econ_data *d) {
  const char *cur = d->currency;
  CET_CALL(cet_twin_add_metricf(t, &d->m_npv, CET_METRIC_FAMILY_HEADLINE, cur,
                                "net present value of the cash flow", CET_METRIC_NPV));
  CET_CALL(cet_twin_add_metricf(
      t, &d->m_irr, CET_METRIC_FAMILY_HEADLINE, "1",
      "internal rate of return (the largest root; NaN when the cash flow has none)",
      CET_METRIC_IRR));
  cet_twin_mark_share(t, d->m_irr);
  CET_CALL(
      cet_twin_add_metricf(t, &d->m_payback, CET_METRIC_FAMILY_HEADLINE, "a",
                           "discounted payback time (NaN when it does not pay back by the horizon)",
                           CET_METRIC_PAYBACK));
  CET_CALL(cet_twin_add_metricf(t, &d->m_cost, CET_METRIC_FAMILY_HEADLINE, cur,
                                "present value of the costs (groups with a negative total)",
                                CET_METRIC_COST_PV));
  CET_CALL(cet_twin_add_metricf(t, &d->m_income, CET_METRIC_FAMILY_HEADLINE, cur,
                                "present value of the income (groups with a positive total)",
                                CET_METRIC_INCOME_PV));
  d->n_groups = cet_dcf_n_groups(d->proto);
  d->m_group = malloc((d->n_groups + 1) * sizeof *d->m_group);
  d->m_cash = malloc((d->ny + 1) * sizeof *d->m_cash);
  CET_CHECK_ALLOCS(d->m_group && d->m_cash);
  for (size_t g = 0; g < d->n_groups; g++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_group[g], CET_METRIC_FAMILY_CASH_FLOW, cur,
                                  "discounted total of the group's cash-flow lines", "dcf.%s",
                                  cet_dcf_group_name(d->proto, g)));
  }
  for (size_t y = 0; y < d->ny; y++) {
    CET_CALL(cet_twin_add_metricf(t, &d->m_cash[y], CET_METRIC_FAMILY_CASH_FLOW, cur,
                                  "net cash flow of the year (undiscounted)", "cash.%zu", y));
  }
  return CET_OK;
}

int cet_twin_econ_model_at(const cet_twin *t, const econ_data *d, const double *p, cet_dcf **out) {
  econ_ws tmp = {0};
  tmp.phases = calloc(d->n_phases + 1, sizeof *tmp.phases);
  tmp.flows = calloc(d->n_flows + 1, sizeof *tmp.flows);
  tmp.by_year = calloc(d->n_flows * d->ny + 1, sizeof *tmp.by_year);
  tmp.lines = calloc(d->n_lines + 1, sizeof *tmp.lines);
  init_lines(tmp.lines, d->n_lines);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, tmp.phases && tmp.flows && tmp.by_year && tmp.lines);
  status = fill_description(t, d, p, NULL, &tmp);
  CET_CHECK_GOTO(status, done, status != CET_ERR_RUNTIME, CET_ERR_INPUT,
                 "economics: invalid years in the case");
  CET_CALL_GOTO(status, done, status);
  CET_CALL_GOTO(status, done, cet_dcf_create(out, &tmp.desc, NULL));
done:
  free(tmp.phases);
  free(tmp.flows);
  free(tmp.by_year);
  free(tmp.lines);
  return status;
}

/* The description at the case's values, checked by building a model. */
static int build_proto(const cet_twin *t, econ_data *d) {
  return cet_twin_econ_model_at(t, d, cet_params_values(t->params), &d->proto);
}

int cet_twin_build_economics(cet_twin *t, const cet_twin_spec *spec) {
  econ_data *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, copy_structure(d, spec->economics));
  CET_CALL_GOTO(status, fail, resolve_metrics(t, d));
  CET_CALL_GOTO(status, fail, compute_bands(d));
  CET_CALL_GOTO(status, fail, collect_deps(d));
  CET_CALL_GOTO(status, fail, map_key_parts(d));
  CET_CALL_GOTO(status, fail, build_proto(t, d));
  CET_CALL_GOTO(status, fail, register_metrics(t, d));
  t->economics_stage = (long)t->n_stages;
  status = cet_twin_add_stage(t, "economics", econ_evaluate, d, econ_free);
  if (status != CET_OK) {
    t->economics_stage = -1;
    CET_CALL(status);
  }
  cet_twin_set_stage_workspace(t, econ_ws_create, econ_ws_destroy);
  return CET_OK;
fail:
  econ_free(d);
  return status;
}
