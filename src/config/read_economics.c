/*
 * read_economics.c — reads the `economics:` section of a case (user guide:
 * Economics) into an economics description: horizon and calendar start,
 * discount rate, phases, flows (per year, by year, or linked to a twin
 * metric) and cash-flow lines (recurring, spread over a phase, CAPEX). Every
 * number becomes a parameter at its key path; optional numbers of a line are
 * registered with their defaults so that drivers can address them too. The
 * prices the lines name are read from `prices:` (read_prices.c).
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ECON_TEXT_LEN = 512 };

/* Longest horizon accepted (as the DCF engine). */
static const long ECON_MAX_HORIZON = 1000;
/* Calendar years accepted for start_year. */
static const long ECON_MIN_YEAR = 1000, ECON_MAX_YEAR = 9999;

static const char *const ECONOMICS_KEYS[] = {
    "horizon", "start_year", "discount_rate", "currency", "contingency", "phases",
    "flows",   "lines",      "source",        "note",     NULL};
static const char *const PHASE_KEYS[] = {"years", "source", "note", NULL};
static const char *const FLOW_KEYS[] = {"phase", "per_year", "by_year", "metric", "factor",
                                        "unit",  "source",   "note",    NULL};
static const char *const LINE_KEYS[] = {"group",
                                        "kind",
                                        "direction",
                                        "flow",
                                        "phase",
                                        "price",
                                        "amount",
                                        "unit_value",
                                        "payable",
                                        "contingency",
                                        "year",
                                        "renewal_year",
                                        "renewal_period",
                                        "liquidation",
                                        "liquidation_year",
                                        "liquidation_group",
                                        "source",
                                        "note",
                                        NULL};
static const char *const LINE_KINDS[] = {"recurring", "spread", "capex"};
static const char *const DIRECTIONS[] = {"cost", "income"};
/* The value a line's contingency takes to use economics.contingency. */
static const char *const DEFAULT_CONTINGENCY = "default";

typedef struct {
  const cet_node *section;
  cet_params *params;
  cet_economics_spec *e;
  long contingency;        /* slot of economics.contingency, or CET_SLOT_NONE */
  const char **line_price; /* [lines] price names, NULL for none */
} reader;

/* Names are keys of the case; they become row and metric names. */
static int check_name(const cet_node *map, const char *key, const char *what) {
  if (!key[0] || strchr(key, '.') || strchr(key, '[')) {
    return cet_node_fail_key(map, key, "a %s name must be non-empty without '.' or '[', found '%s'",
                             what, key);
  }
  return CET_OK;
}

static long index_of_phase(const cet_economics_spec *e, const char *name) {
  for (size_t i = 0; i < e->n_phases; i++) {
    if (strcmp(e->phases[i].name, name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

static long index_of_flow(const cet_economics_spec *e, const char *name) {
  for (size_t i = 0; i < e->n_flows; i++) {
    if (strcmp(e->flows[i].name, name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

/* Index of the phase or flow named by the scalar at key of map. */
static int lookup(const reader *r, const cet_node *map, const char *key, int flow, long *out) {
  const cet_node *v = cet_node_get(map, key);
  const char *name = NULL;
  CET_CALL(cet_node_string(v, &name));
  *out = flow ? index_of_flow(r->e, name) : index_of_phase(r->e, name);
  if (*out >= 0) {
    return CET_OK;
  }
  cet_strbuf list = {0};
  size_t n = flow ? r->e->n_flows : r->e->n_phases;
  for (size_t i = 0; i < n; i++) {
    CET_CALL(cet_strbuf_printf(&list, "%s%s", i ? ", " : "",
                               flow ? r->e->flows[i].name : r->e->phases[i].name));
  }
  int status = cet_node_fail(v, "unknown %s '%s' (economics.%s: %s)", flow ? "flow" : "phase", name,
                             flow ? "flows" : "phases", list.text ? list.text : "none");
  cet_strbuf_free(&list);
  return status;
}

/* ---- header ---- */

static int read_header(reader *r) {
  const cet_node *s = r->section, *v = NULL;
  cet_economics_spec *e = r->e;
  long horizon = 0, start = 0;
  CET_CALL(
      cet_node_require(s, "horizon", "the last year of the cash flow (year 0 = investment)", &v));
  CET_CALL(cet_node_integer_in(v, 0, ECON_MAX_HORIZON, &horizon));
  e->horizon = (int)horizon;
  CET_CALL(cet_node_opt_integer_in(s, "start_year", 0, ECON_MIN_YEAR, ECON_MAX_YEAR, &start));
  e->start_year = (int)start;
  const char *currency = NULL;
  CET_CALL(cet_node_opt_string(s, "currency", "EUR", &currency));
  e->currency = cet_strdup(currency);
  CET_CHECK_ALLOC(e->currency);
  CET_CALL(cet_node_require(s, "discount_rate", "the yearly discount rate, e.g. 0.15", &v));
  CET_CALL(cet_read_param(v, -0.99, 100.0, "1/a", r->params, &e->discount_rate));
  r->contingency = CET_SLOT_NONE;
  if (cet_node_get(s, "contingency")) {
    CET_CALL(cet_read_param(cet_node_get(s, "contingency"), 0.0, INFINITY, "1", r->params,
                            &r->contingency));
  }
  return CET_OK;
}

/* ---- phases ---- */

static int read_phases(reader *r) {
  const cet_node *phases = cet_node_get(r->section, "phases");
  if (!phases) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(phases));
  cet_economics_spec *e = r->e;
  e->phases = calloc(cet_node_size(phases) + 1, sizeof *e->phases);
  CET_CHECK_ALLOC(e->phases);
  for (size_t i = 0; i < cet_node_size(phases); i++) {
    const char *name = cet_node_key_at(phases, i);
    const cet_node *p = cet_node_at(phases, i), *years = NULL;
    CET_CALL(check_name(phases, name, "phase"));
    CET_CALL(cet_node_expect_map(p));
    CET_CALL(cet_node_check_keys(p, PHASE_KEYS));
    cet_econ_phase *ph = &e->phases[e->n_phases];
    ph->name = cet_strdup(name);
    CET_CHECK_ALLOC(ph->name);
    e->n_phases++;
    CET_CALL(
        cet_node_require(p, "years", "[first, last] years of the phase, e.g. [1, 10]", &years));
    CET_CALL(cet_node_expect_seq(years));
    if (cet_node_size(years) != 2) {
      return cet_node_fail(years, "expected [first, last], found a list of %zu items",
                           cet_node_size(years));
    }
    double a = 0.0, b = 0.0;
    CET_CALL(cet_node_pair_in(years, 0.0, (double)e->horizon, &a, &b));
    if (a != floor(a) || b != floor(b)) {
      return cet_node_fail(years, "expected whole years, found [%g, %g]", a, b);
    }
    CET_CALL(
        cet_read_param(cet_node_at(years, 0), 0.0, e->horizon, "a", r->params, &ph->first_year));
    CET_CALL(
        cet_read_param(cet_node_at(years, 1), 0.0, e->horizon, "a", r->params, &ph->last_year));
  }
  return CET_OK;
}

/* ---- flows ---- */

static int read_flow_values(reader *r, const cet_node *f, cet_econ_flow *fl, const char *units) {
  const cet_economics_spec *e = r->e;
  const cet_node *per = cet_node_get(f, "per_year"), *by = cet_node_get(f, "by_year");
  const cet_node *metric = cet_node_get(f, "metric");
  int given = (per != NULL) + (by != NULL) + (metric != NULL);
  if (given != 1) {
    return cet_node_fail(f,
                         "expected exactly one of per_year (a number), by_year (one number per "
                         "year 0..%d) and metric (a twin metric, e.g. production.Cu), found %d",
                         e->horizon, given);
  }
  fl->per_year = CET_SLOT_NONE;
  fl->factor = CET_SLOT_NONE;
  if (per) {
    return cet_read_param(per, -INFINITY, INFINITY, units, r->params, &fl->per_year);
  }
  if (metric) {
    const char *name = NULL;
    CET_CALL(cet_node_string(metric, &name));
    fl->metric = cet_strdup(name);
    CET_CHECK_ALLOC(fl->metric);
    return cet_read_param_opt(f, "factor", 1.0, -INFINITY, INFINITY, "1", r->params, &fl->factor);
  }
  CET_CALL(cet_node_expect_seq(by));
  size_t ny = (size_t)e->horizon + 1;
  if (cet_node_size(by) != ny) {
    return cet_node_fail(by, "expected %zu values (years 0..%d), found %zu", ny, e->horizon,
                         cet_node_size(by));
  }
  fl->by_year = malloc(ny * sizeof *fl->by_year);
  CET_CHECK_ALLOC(fl->by_year);
  for (size_t y = 0; y < ny; y++) {
    CET_CALL(
        cet_read_param(cet_node_at(by, y), -INFINITY, INFINITY, units, r->params, &fl->by_year[y]));
  }
  return CET_OK;
}

static int read_flows(reader *r) {
  const cet_node *flows = cet_node_get(r->section, "flows");
  if (!flows) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(flows));
  cet_economics_spec *e = r->e;
  e->flows = calloc(cet_node_size(flows) + 1, sizeof *e->flows);
  CET_CHECK_ALLOC(e->flows);
  for (size_t i = 0; i < cet_node_size(flows); i++) {
    const char *name = cet_node_key_at(flows, i);
    const cet_node *f = cet_node_at(flows, i);
    CET_CALL(check_name(flows, name, "flow"));
    CET_CALL(cet_node_expect_map(f));
    CET_CALL(cet_node_check_keys(f, FLOW_KEYS));
    cet_econ_flow *fl = &e->flows[e->n_flows];
    fl->name = cet_strdup(name);
    const char *unit = NULL;
    CET_CALL(cet_node_opt_string(f, "unit", "", &unit));
    fl->unit = cet_strdup(unit);
    CET_CALL(cet_read_where(f, &fl->where));
    CET_CHECK_ALLOCS(fl->name && fl->unit);
    e->n_flows++;
    if (!cet_node_get(f, "phase")) {
      return cet_node_fail(f, "missing required key 'phase' (the years in which the flow runs)");
    }
    long phase = -1;
    CET_CALL(lookup(r, f, "phase", 0, &phase));
    fl->phase = (size_t)phase;
    char units[ECON_TEXT_LEN];
    snprintf(units, sizeof units, "%s%s", unit[0] ? unit : "1", "/a");
    CET_CALL(read_flow_values(r, f, fl, units));
  }
  return CET_OK;
}

/* ---- lines ---- */

static int read_contingency(reader *r, const cet_node *l, cet_econ_line *ln) {
  const cet_node *v = cet_node_get(l, "contingency");
  if (ln->direction == CET_DCF_INCOME) {
    if (v) {
      return cet_node_fail(v, "contingency applies to costs only; line '%s' is income", ln->name);
    }
    return CET_OK;
  }
  const char *text = v ? cet_node_text(v) : NULL;
  if (text && strcmp(text, DEFAULT_CONTINGENCY) == 0) {
    if (r->contingency == CET_SLOT_NONE) {
      return cet_node_fail(v, "'default' refers to economics.contingency, which is not given");
    }
    ln->contingency = r->contingency;
    return CET_OK;
  }
  return cet_read_param_opt(l, "contingency", 0.0, 0.0, INFINITY, "1", r->params, &ln->contingency);
}

/* The years of a CAPEX line: investment, renewals, liquidation. */
static int read_capex(reader *r, const cet_node *l, cet_econ_line *ln) {
  static const char *const not_capex[] = {"flow", "phase", "price", "payable"};
  for (size_t k = 0; k < sizeof not_capex / sizeof not_capex[0]; k++) {
    if (cet_node_get(l, not_capex[k])) {
      return cet_node_fail_key(l, not_capex[k],
                               "a capex line takes amount x unit_value in one year, not '%s'",
                               not_capex[k]);
    }
  }
  const double h = r->e->horizon;
  CET_CALL(cet_read_param_opt(l, "year", 0.0, 0.0, h, "a", r->params, &ln->year));
  CET_CALL(cet_read_param_opt(l, "renewal_year", 0.0, 0.0, h, "a", r->params, &ln->renewal_year));
  CET_CALL(
      cet_read_param_opt(l, "renewal_period", 0.0, 0.0, h, "a", r->params, &ln->renewal_period));
  const double *v = cet_params_values(r->params);
  if (v[ln->renewal_year] != 0.0 && v[ln->renewal_year] <= v[ln->year]) {
    return cet_node_fail_key(l, "renewal_year",
                             "expected 0 (never renewed) or a year after the investment year %g, "
                             "found %g",
                             v[ln->year], v[ln->renewal_year]);
  }
  if (cet_node_get(l, "liquidation")) {
    CET_CALL(
        cet_read_param(cet_node_get(l, "liquidation"), 0.0, 1.0, "1", r->params, &ln->liquidation));
    CET_CALL(cet_read_param_opt(l, "liquidation_year", -1.0, -1.0, h, "a", r->params,
                                &ln->liquidation_year));
    const char *group = NULL;
    CET_CALL(cet_node_opt_string(l, "liquidation_group", NULL, &group));
    if (group) {
      ln->liquidation_group = cet_strdup(group);
      CET_CHECK_ALLOC(ln->liquidation_group);
    }
  } else if (cet_node_get(l, "liquidation_year") || cet_node_get(l, "liquidation_group")) {
    return cet_node_fail(l, "liquidation_year and liquidation_group need liquidation (the "
                            "fraction of the investment credited)");
  }
  return CET_OK;
}

/* Checks which of flow, phase and price a recurring or spread line has. */
static int read_links(reader *r, const cet_node *l, cet_econ_line *ln, size_t index) {
  if (cet_node_get(l, "flow")) {
    CET_CALL(lookup(r, l, "flow", 1, &ln->flow));
  }
  if (cet_node_get(l, "phase")) {
    CET_CALL(lookup(r, l, "phase", 0, &ln->phase));
  }
  if (cet_node_get(l, "price")) {
    CET_CALL(cet_node_string(cet_node_get(l, "price"), &r->line_price[index]));
  }
  if (ln->kind == CET_DCF_SPREAD) {
    if (ln->flow >= 0 || r->line_price[index]) {
      return cet_node_fail(l, "a spread line takes amount x unit_value over a phase, not a flow or "
                              "a price");
    }
    if (ln->phase < 0) {
      return cet_node_fail(l, "missing required key 'phase' (the years the amount is spread over)");
    }
  } else if (ln->phase < 0 && ln->flow < 0) {
    return cet_node_fail(l, "a recurring line needs a phase or a flow to know its years");
  }
  if (r->line_price[index] && cet_node_get(l, "unit_value")) {
    return cet_node_fail_key(l, "unit_value",
                             "a line takes its value per unit from unit_value or from a price, "
                             "not both");
  }
  if (!r->line_price[index] && !cet_node_get(l, "unit_value")) {
    return cet_node_fail(l,
                         "missing required key 'unit_value' (%s per unit) or 'price' (a "
                         "price series)",
                         r->e->currency);
  }
  return CET_OK;
}

static int read_line(reader *r, const cet_node *lines, size_t i) {
  const char *name = cet_node_key_at(lines, i);
  const cet_node *l = cet_node_at(lines, i), *v = NULL;
  CET_CALL(check_name(lines, name, "line"));
  CET_CALL(cet_node_expect_map(l));
  CET_CALL(cet_node_check_keys(l, LINE_KEYS));
  cet_econ_line *ln = &r->e->lines[r->e->n_lines];
  ln->name = cet_strdup(name);
  CET_CALL(cet_read_where(l, &ln->where));
  CET_CHECK_ALLOC(ln->name);
  r->e->n_lines++;
  ln->flow = ln->phase = ln->price = -1;
  ln->amount = ln->unit_value = ln->payable = ln->contingency = CET_SLOT_NONE;
  ln->year = ln->renewal_year = ln->renewal_period = CET_SLOT_NONE;
  ln->liquidation = ln->liquidation_year = CET_SLOT_NONE;
  const char *group = NULL;
  CET_CALL(cet_node_require(l, "group", "the summary row the line adds to, e.g. CAPEX", &v));
  CET_CALL(cet_node_string(v, &group));
  ln->group = cet_strdup(group);
  CET_CHECK_ALLOC(ln->group);
  int kind = CET_DCF_RECURRING, direction = CET_DCF_COST;
  if (cet_node_get(l, "kind")) {
    CET_CALL(cet_node_choice(cet_node_get(l, "kind"), LINE_KINDS, 3, &kind));
  }
  if (cet_node_get(l, "direction")) {
    CET_CALL(cet_node_choice(cet_node_get(l, "direction"), DIRECTIONS, 2, &direction));
  }
  ln->kind = (cet_dcf_line_kind)kind;
  ln->direction = (cet_dcf_direction)direction;
  if (ln->kind == CET_DCF_CAPEX && ln->direction == CET_DCF_INCOME) {
    return cet_node_fail_key(l, "direction", "a capex line is a cost");
  }
  const char *currency = r->e->currency;
  CET_CALL(cet_read_param_opt(l, "amount", 1.0, -INFINITY, INFINITY, "1", r->params, &ln->amount));
  CET_CALL(read_contingency(r, l, ln));
  if (ln->kind == CET_DCF_CAPEX) {
    if (!cet_node_get(l, "unit_value")) {
      return cet_node_fail(l, "missing required key 'unit_value' (%s per unit of amount)",
                           currency);
    }
    CET_CALL(read_capex(r, l, ln));
  } else {
    CET_CALL(read_links(r, l, ln, r->e->n_lines - 1));
    CET_CALL(cet_read_param_opt(l, "payable", 1.0, 0.0, 1.0, "1", r->params, &ln->payable));
  }
  if (cet_node_get(l, "unit_value")) {
    CET_CALL(cet_read_param(cet_node_get(l, "unit_value"), -INFINITY, INFINITY, currency, r->params,
                            &ln->unit_value));
  }
  return CET_OK;
}

static int read_lines(reader *r) {
  const cet_node *lines = NULL;
  CET_CALL(cet_node_require(r->section, "lines", "the cash-flow lines (CAPEX, OPEX, revenues...)",
                            &lines));
  CET_CALL(cet_node_expect_map(lines));
  size_t n = cet_node_size(lines);
  if (n == 0) {
    return cet_node_fail(lines, "expected at least one cash-flow line, found none");
  }
  r->e->lines = calloc(n + 1, sizeof *r->e->lines);
  r->line_price = calloc(n + 1, sizeof *r->line_price);
  CET_CHECK_ALLOCS(r->e->lines && r->line_price);
  for (size_t i = 0; i < n; i++) {
    CET_CALL(read_line(r, lines, i));
  }
  return CET_OK;
}

/* Lines name price series: their indices, and series no line uses. */
static int resolve_prices(reader *r) {
  const cet_node *lines = cet_node_get(r->section, "lines");
  cet_economics_spec *e = r->e;
  for (size_t i = 0; i < e->n_lines; i++) {
    if (!r->line_price[i]) {
      continue;
    }
    for (size_t c = 0; c < e->n_prices; c++) {
      if (strcmp(e->prices[c].name, r->line_price[i]) == 0) {
        e->lines[i].price = (long)c;
      }
    }
    if (e->lines[i].price < 0) {
      const cet_node *v = cet_node_get(cet_node_at(lines, i), "price");
      cet_strbuf list = {0};
      for (size_t c = 0; c < e->n_prices; c++) {
        CET_CALL(cet_strbuf_printf(&list, "%s%s", c ? ", " : "", e->prices[c].name));
      }
      int status = cet_node_fail(v, "unknown price '%s' (prices: %s)", r->line_price[i],
                                 list.text ? list.text : "none; add a prices: section");
      cet_strbuf_free(&list);
      return status;
    }
  }
  return CET_OK;
}

int cet_read_economics(const cet_node *section, const cet_node *prices, const cet_config *cfg,
                       cet_params *params, cet_economics_spec **out) {
  *out = NULL;
  CET_CALL(cet_node_expect_map(section));
  CET_CALL(cet_node_check_keys(section, ECONOMICS_KEYS));
  reader r = {.section = section, .params = params};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_economics_spec_create(&r.e));
  CET_CALL_GOTO(status, done, read_header(&r));
  CET_CALL_GOTO(status, done, read_phases(&r));
  CET_CALL_GOTO(status, done, read_flows(&r));
  CET_CALL_GOTO(status, done, read_lines(&r));
  if (prices) {
    CET_CALL_GOTO(status, done, cet_read_prices(prices, cfg, params, r.e));
  }
  CET_CALL_GOTO(status, done, resolve_prices(&r));
  *out = r.e;
  r.e = NULL;
done:
  free(r.line_price);
  cet_economics_spec_destroy(&r.e);
  return status;
}
