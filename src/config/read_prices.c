/*
 * read_prices.c — reads the `prices:` section of a case (user guide:
 * `prices:`): per commodity or energy carrier a constant (one value, or one
 * per scenario), an explicit yearly path, or an AR(p) model (level or log)
 * fitted to a CSV history or given by its coefficients; the scenario the
 * deterministic paths follow; and the correlation of the AR shocks (from the
 * residuals of the fitted histories, or given). Constants and path values are
 * parameters (`prices.Cu.mean`, `prices.diesel.values[3]`), and every series
 * has a `factor` parameter multiplying its whole path.
 */
#include "readers.h"

#include "cetwin/csv.h"
#include "cetwin/log.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const PRICES_RESERVED[] = {"scenario", "correlation"};
static const char *const SERIES_KEYS[] = {
    "unit",       "model",    "value",  "pessimistic", "mean",      "optimistic",
    "first_year", "values",   "csv",    "years",       "scale",     "order",
    "max_order",  "log_mean", "phi",    "sigma",       "intercept", "long_run_mean",
    "last_year",  "history",  "factor", "source",      "note",      NULL};
static const char *const MODELS[] = {"constant", "path", "ar"};
static const char *const SCALES[] = {"level", "log"};
static const char *const LOG_MEANS[] = {"median", "mean"};
static const char *const SCENARIOS[CET_ECON_SCENARIOS] = {"pessimistic", "mean", "optimistic"};
static const char *const CORRELATIONS[] = {"residuals", "independent"};
static const char *const AIC = "aic";

typedef struct {
  const cet_config *cfg;
  cet_params *params;
  cet_economics_spec *e;
} reader;

static int is_reserved(const char *key) {
  for (size_t i = 0; i < sizeof PRICES_RESERVED / sizeof PRICES_RESERVED[0]; i++) {
    if (strcmp(key, PRICES_RESERVED[i]) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The model a series describes: `model:` or what its keys imply. */
static int model_of(const cet_node *s, int *model) {
  const cet_node *m = cet_node_get(s, "model");
  if (m) {
    return cet_node_choice(m, MODELS, sizeof MODELS / sizeof MODELS[0], model);
  }
  if (cet_node_get(s, "csv") || cet_node_get(s, "phi")) {
    *model = CET_ECON_PRICE_AR;
  } else if (cet_node_get(s, "values")) {
    *model = CET_ECON_PRICE_PATH;
  } else {
    *model = CET_ECON_PRICE_CONSTANT;
  }
  return CET_OK;
}

/* Keys that only some models take. */
static int check_model_keys(const cet_node *s, int model) {
  static const char *const constant_keys[] = {"value", "pessimistic", "mean", "optimistic"};
  static const char *const path_keys[] = {"first_year", "values"};
  static const char *const ar_keys[] = {"csv",       "years",         "scale",     "order",
                                        "max_order", "log_mean",      "phi",       "sigma",
                                        "intercept", "long_run_mean", "last_year", "history"};
  struct {
    const char *const *keys;
    size_t n;
    int model;
  } groups[] = {
      {constant_keys, sizeof constant_keys / sizeof constant_keys[0], CET_ECON_PRICE_CONSTANT},
      {path_keys, sizeof path_keys / sizeof path_keys[0], CET_ECON_PRICE_PATH},
      {ar_keys, sizeof ar_keys / sizeof ar_keys[0], CET_ECON_PRICE_AR}};
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    for (size_t k = 0; groups[g].model != model && k < groups[g].n; k++) {
      if (cet_node_get(s, groups[g].keys[k])) {
        return cet_node_fail_key(s, groups[g].keys[k], "'%s' does not apply to a %s price model",
                                 groups[g].keys[k], MODELS[model]);
      }
    }
  }
  return CET_OK;
}

static int read_constant(reader *r, const cet_node *s, cet_econ_price *pr) {
  const cet_node *one = cet_node_get(s, "value");
  int n_scen = 0;
  for (int k = 0; k < CET_ECON_SCENARIOS; k++) {
    n_scen += cet_node_get(s, SCENARIOS[k]) != NULL;
  }
  if ((one != NULL) == (n_scen > 0) || (n_scen > 0 && n_scen < CET_ECON_SCENARIOS)) {
    return cet_node_fail(s, "a constant price takes 'value', or all three of 'pessimistic', "
                            "'mean' and 'optimistic' (one per scenario)");
  }
  if (one) {
    CET_CALL(cet_read_param(one, -INFINITY, INFINITY, pr->unit, r->params, &pr->value[0]));
    pr->value[1] = pr->value[2] = pr->value[0];
    return CET_OK;
  }
  for (int k = 0; k < CET_ECON_SCENARIOS; k++) {
    CET_CALL(cet_read_param(cet_node_get(s, SCENARIOS[k]), -INFINITY, INFINITY, pr->unit, r->params,
                            &pr->value[k]));
  }
  return CET_OK;
}

static int require_start_year(const reader *r, const cet_node *s) {
  if (r->e->start_year == 0) {
    return cet_node_fail(s,
                         "a %s price needs economics.start_year (the calendar year of DCF "
                         "year 0)",
                         cet_node_get(s, "values") ? "path" : "model");
  }
  return CET_OK;
}

static int read_path(reader *r, const cet_node *s, cet_econ_price *pr) {
  CET_CALL(require_start_year(r, s));
  const cet_node *fy = NULL, *values = NULL;
  long first = 0;
  CET_CALL(cet_node_require(s, "first_year", "the calendar year of the first value", &fy));
  CET_CALL(cet_node_integer_in(fy, 1000, 9999, &first));
  CET_CALL(cet_node_require(s, "values", "the yearly prices, a list", &values));
  CET_CALL(cet_node_expect_seq(values));
  pr->first_year = (int)first;
  pr->n_values = cet_node_size(values);
  long last = first + (long)pr->n_values - 1;
  long need0 = r->e->start_year, need1 = (long)r->e->start_year + r->e->horizon;
  if (pr->n_values == 0 || first > need0 || last < need1) {
    return cet_node_fail(values,
                         "the path must cover the years of the cash flow, %ld..%ld; it "
                         "covers %ld..%ld",
                         need0, need1, first, pr->n_values ? last : first - 1);
  }
  pr->values = malloc(pr->n_values * sizeof *pr->values);
  CET_CHECK_ALLOC(pr->values);
  for (size_t i = 0; i < pr->n_values; i++) {
    CET_CALL(cet_read_param(cet_node_at(values, i), -INFINITY, INFINITY, pr->unit, r->params,
                            &pr->values[i]));
  }
  return CET_OK;
}

/* Yearly history from the CSV file named at key csv, cut to `years`. */
/* The yearly means (first year, count, values) of the price history in the
 * CSV text of file name. */
static int yearly_history(const char *text, size_t len, const char *name, int *first_year,
                          size_t *n, double **values) {
  cet_csv_series *series = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_csv_parse_series(text, len, name, &series));
  cet_price_observations history = {
      .n = series->n, .year = series->year, .value = series->value, .source = series->source};
  CET_CALL_GOTO(status, done, cet_price_yearly_means(&history, first_year, n, values));
done:
  cet_csv_series_destroy(&series);
  return status;
}

/* `years: [A, B]`, whole years within [first, last], into *a and *b. */
static int read_years(const cet_node *years, int first, long last, double *a, double *b) {
  CET_CALL(cet_node_pair_in(years, first, (double)last, a, b));
  if (*a != floor(*a) || *b != floor(*b)) {
    return cet_node_fail(years, "expected whole years, found [%g, %g]", *a, *b);
  }
  return CET_OK;
}

static int read_history(reader *r, const cet_node *s, int *first_year, size_t *n, double **values) {
  const cet_node *csv = cet_node_get(s, "csv");
  const char *name = NULL, *text = NULL;
  size_t len = 0;
  CET_CALL(cet_node_string(csv, &name));
  CET_CALL(cet_config_data_file(r->cfg, csv, &name, &text, &len));
  if (yearly_history(text, len, name, first_year, n, values) != CET_OK) {
    return cet_read_fail_cause(csv, "");
  }
  const cet_node *years = cet_node_get(s, "years");
  int status = CET_OK;
  if (years) {
    double a = 0.0, b = 0.0;
    long y1 = (long)*first_year + (long)*n - 1;
    CET_CALL_GOTO(status, fail, read_years(years, *first_year, y1, &a, &b));
    size_t off = (size_t)(a - *first_year);
    *n = (size_t)(b - a) + 1;
    memmove(*values, *values + off, *n * sizeof **values);
    *first_year = (int)a;
  }
  return CET_OK;
fail:
  free(*values);
  *values = NULL;
  return status;
}

static int read_fitted(reader *r, const cet_node *s, cet_econ_price *pr, cet_price_scale scale,
                       int log_mean) {
  cet_price_ar_parameters par = cet_price_ar_default_parameters();
  par.scale = scale;
  par.log_mean = log_mean;
  const cet_node *order = cet_node_get(s, "order");
  long v = 0;
  if (order && cet_node_text(order) && strcmp(cet_node_text(order), AIC) == 0) {
    par.order = 0;
  } else if (order) {
    CET_CALL(cet_node_integer_in(order, 1, CET_PRICE_MAX_ORDER, &v));
    par.order = (int)v;
  }
  CET_CALL(cet_node_opt_integer_in(s, "max_order", par.max_order, 1, CET_PRICE_MAX_ORDER, &v));
  par.max_order = (int)v;
  int first_year = 0;
  size_t n = 0;
  double *values = NULL;
  CET_CALL(read_history(r, s, &first_year, &n, &values));
  int status = cet_price_fit_ar(&pr->model, first_year, n, values, &par);
  free(values);
  if (status != CET_OK) {
    return cet_read_fail_cause(cet_node_get(s, "csv"), "");
  }
  return CET_OK;
}

static int read_numbers(const cet_node *list, double *out, size_t max, size_t *n) {
  CET_CALL(cet_node_expect_seq(list));
  *n = cet_node_size(list);
  if (*n == 0 || *n > max) {
    return cet_node_fail(list, "expected 1..%zu numbers, found %zu", max, *n);
  }
  for (size_t i = 0; i < *n; i++) {
    CET_CALL(cet_node_number(cet_node_at(list, i), &out[i]));
  }
  return CET_OK;
}

static int read_given(const cet_node *s, cet_econ_price *pr, cet_price_scale scale, int log_mean) {
  double phi[CET_PRICE_MAX_ORDER], sigma = 0.0, c = 0.0, history[CET_PRICE_MAX_ORDER];
  size_t order = 0, n_history = 0;
  const cet_node *v = NULL;
  long last_year = 0;
  CET_CALL(cet_node_require(s, "phi", "the AR coefficients, e.g. [0.7]", &v));
  CET_CALL(read_numbers(v, phi, CET_PRICE_MAX_ORDER, &order));
  CET_CALL(cet_node_require(s, "sigma", "the standard deviation of the shocks (model scale)", &v));
  CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &sigma));
  CET_CALL(cet_node_require(s, "last_year", "the calendar year of the last history value", &v));
  CET_CALL(cet_node_integer_in(v, 1000, 9999, &last_year));
  CET_CALL(cet_node_require(s, "history", "the last prices, oldest first (at least order)", &v));
  CET_CALL(read_numbers(v, history, CET_PRICE_MAX_ORDER, &n_history));
  const cet_node *ic = cet_node_get(s, "intercept"), *lr = cet_node_get(s, "long_run_mean");
  if ((ic != NULL) == (lr != NULL)) {
    return cet_node_fail(s, "an AR model given by its coefficients takes 'intercept' or "
                            "'long_run_mean' (the price it reverts to), one of them");
  }
  if (ic) {
    CET_CALL(cet_node_number(ic, &c));
  } else {
    double mu = 0.0, sum = 0.0;
    CET_CALL(cet_node_number(lr, &mu));
    if (scale == CET_PRICE_LOG && !(mu > 0.0)) {
      return cet_node_fail(lr, "expected a price > 0 for a log-scale model, found %g", mu);
    }
    for (size_t i = 0; i < order; i++) {
      sum += phi[i];
    }
    c = (1.0 - sum) * (scale == CET_PRICE_LOG ? log(mu) : mu);
  }
  cet_price_ar_spec spec = {scale,          (int)order, c,       phi,     sigma,
                            (int)last_year, n_history,  history, log_mean};
  if (cet_price_create_ar(&pr->model, &spec) != CET_OK) {
    return cet_read_fail_cause(s, "");
  }
  return CET_OK;
}

static int read_ar(reader *r, const cet_node *s, cet_econ_price *pr) {
  CET_CALL(require_start_year(r, s));
  int scale = CET_PRICE_LEVEL, log_mean = 1;
  if (cet_node_get(s, "scale")) {
    CET_CALL(cet_node_choice(cet_node_get(s, "scale"), SCALES, 2, &scale));
  }
  if (cet_node_get(s, "log_mean")) {
    CET_CALL(cet_node_choice(cet_node_get(s, "log_mean"), LOG_MEANS, 2, &log_mean));
  }
  int fitted = cet_node_get(s, "csv") != NULL;
  if (fitted == (cet_node_get(s, "phi") != NULL)) {
    return cet_node_fail(s, "an AR price is fitted to a history (csv: FILE) or given by its "
                            "coefficients (phi, sigma, ...), one of them");
  }
  static const char *const fit_only[] = {"years", "order", "max_order"};
  static const char *const given_only[] = {"sigma", "intercept", "long_run_mean", "last_year",
                                           "history"};
  const char *const *other = fitted ? given_only : fit_only;
  size_t n_other = fitted ? 5 : 3;
  for (size_t k = 0; k < n_other; k++) {
    if (cet_node_get(s, other[k])) {
      return cet_node_fail_key(s, other[k], "'%s' does not apply to an AR model %s", other[k],
                               fitted ? "fitted to a history" : "given by its coefficients");
    }
  }
  if (fitted) {
    CET_CALL(read_fitted(r, s, pr, (cet_price_scale)scale, log_mean));
  } else {
    CET_CALL(read_given(s, pr, (cet_price_scale)scale, log_mean));
  }
  /* the cash flow's years must come after the start of the history */
  cet_price_ar_info info;
  CET_CALL(cet_price_ar_get_info(pr->model, &info));
  if (info.first_year > r->e->start_year) {
    return cet_node_fail(s, "the history starts in %d, after economics.start_year %d",
                         info.first_year, r->e->start_year);
  }
  return CET_OK;
}

static int read_series(reader *r, const cet_node *prices, size_t i, cet_econ_price *pr) {
  const char *name = cet_node_key_at(prices, i);
  const cet_node *s = cet_node_at(prices, i);
  if (!name[0] || strchr(name, '.') || strchr(name, '[')) {
    return cet_node_fail_key(prices, name, "a price name must be non-empty without '.' or '['");
  }
  CET_CALL(cet_node_expect_map(s));
  CET_CALL(cet_node_check_keys(s, SERIES_KEYS));
  pr->name = cet_strdup(name);
  const char *unit = NULL;
  CET_CALL(cet_node_opt_string(s, "unit", "", &unit));
  CET_CALL(cet_read_where(s, &pr->where));
  pr->unit = cet_strdup(unit);
  CET_CHECK_ALLOCS(pr->name && pr->unit);
  for (int k = 0; k < CET_ECON_SCENARIOS; k++) {
    pr->value[k] = CET_SLOT_NONE;
  }
  int model = 0;
  CET_CALL(model_of(s, &model));
  CET_CALL(check_model_keys(s, model));
  pr->kind = (cet_econ_price_kind)model;
  switch (pr->kind) {
  case CET_ECON_PRICE_CONSTANT:
    CET_CALL(read_constant(r, s, pr));
    break;
  case CET_ECON_PRICE_PATH:
    CET_CALL(read_path(r, s, pr));
    break;
  case CET_ECON_PRICE_AR:
    CET_CALL(read_ar(r, s, pr));
    break;
  }
  CET_CALL(cet_read_param_opt(s, "factor", 1.0, 0.0, INFINITY, "1", r->params, &pr->factor));
  return CET_OK;
}

/* ---- correlation ---- */

static long series_index(const cet_economics_spec *e, const char *name) {
  for (size_t c = 0; c < e->n_prices; c++) {
    if (strcmp(e->prices[c].name, name) == 0) {
      return (long)c;
    }
  }
  return -1;
}

/* Builds a price set over members (to check or estimate the correlation)
 * and copies its correlation into the full matrix. */
static int set_correlation(reader *r, const cet_node *at, const size_t *members, size_t n,
                           const double *given) {
  cet_economics_spec *e = r->e;
  const cet_price_model **models = calloc(n + 1, sizeof *models);
  double *corr = calloc(n * n + 1, sizeof *corr);
  cet_price_set *set = NULL;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, models && corr);
  for (size_t i = 0; i < n; i++) {
    models[i] = e->prices[members[i]].model;
  }
  if (cet_price_set_create(&set, n, models, given) != CET_OK) {
    CET_CALL_GOTO(status, done, cet_read_fail_cause(at, ""));
  }
  cet_price_set_correlation(set, corr);
  for (size_t a = 0; a < n; a++) {
    for (size_t b = 0; b < n; b++) {
      e->correlation[members[a] * e->n_prices + members[b]] = corr[a * n + b];
    }
  }
done:
  cet_price_set_destroy(&set);
  free(models);
  free(corr);
  return status;
}

/* The n members of a correlation matrix: AR series of this section, each
 * once; index gets their series. */
static int read_members(reader *r, const cet_node *members, size_t n, size_t *index) {
  for (size_t i = 0; i < n; i++) {
    const char *name = NULL;
    const cet_node *v = cet_node_at(members, i);
    CET_CALL(cet_node_string(v, &name));
    long c = series_index(r->e, name);
    if (c < 0 || r->e->prices[c].kind != CET_ECON_PRICE_AR) {
      return cet_node_fail(v, "expected an AR price series of this section, found '%s'", name);
    }
    for (size_t j = 0; j < i; j++) {
      if ((long)index[j] == c) {
        return cet_node_fail(v, "'%s' is listed twice", name);
      }
    }
    index[i] = (size_t)c;
  }
  return CET_OK;
}

/* The n rows of n correlations in [-1, 1] of matrix into m. */
static int read_rows(const cet_node *matrix, size_t n, double *m) {
  if (cet_node_size(matrix) != n) {
    return cet_node_fail(matrix, "expected %zu rows (one per member), found %zu", n,
                         cet_node_size(matrix));
  }
  for (size_t i = 0; i < n; i++) {
    const cet_node *row = cet_node_at(matrix, i);
    CET_CALL(cet_node_expect_seq(row));
    if (cet_node_size(row) != n) {
      return cet_node_fail(row, "expected %zu values, found %zu", n, cet_node_size(row));
    }
    for (size_t j = 0; j < n; j++) {
      CET_CALL(cet_node_number_in(cet_node_at(row, j), -1.0, 1.0, &m[i * n + j]));
    }
  }
  return CET_OK;
}

static int read_matrix(reader *r, const cet_node *spec) {
  static const char *const keys[] = {"members", "matrix", "source", "note", NULL};
  CET_CALL(cet_node_check_keys(spec, keys));
  const cet_node *members = NULL, *matrix = NULL;
  CET_CALL(cet_node_require(spec, "members", "the AR price series the matrix is over", &members));
  CET_CALL(cet_node_require(spec, "matrix", "the correlation matrix, a list of rows", &matrix));
  CET_CALL(cet_node_expect_seq(members));
  CET_CALL(cet_node_expect_seq(matrix));
  size_t n = cet_node_size(members);
  size_t *index = calloc(n + 1, sizeof *index);
  double *m = calloc(n * n + 1, sizeof *m);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, index && m);
  CET_CALL_GOTO(status, done, read_members(r, members, n, index));
  CET_CALL_GOTO(status, done, read_rows(matrix, n, m));
  CET_CALL_GOTO(status, done, set_correlation(r, matrix, index, n, m));
done:
  free(index);
  free(m);
  return status;
}

static int read_correlation(reader *r, const cet_node *prices) {
  cet_economics_spec *e = r->e;
  e->correlation = calloc(e->n_prices * e->n_prices + 1, sizeof *e->correlation);
  CET_CHECK_ALLOC(e->correlation);
  size_t n_ar = 0, n_fitted = 0;
  size_t *ar = calloc(e->n_prices + 1, sizeof *ar);
  CET_CHECK_ALLOC(ar);
  for (size_t c = 0; c < e->n_prices; c++) {
    e->correlation[c * e->n_prices + c] = 1.0;
    if (e->prices[c].kind == CET_ECON_PRICE_AR) {
      cet_price_ar_info info;
      cet_price_ar_get_info(e->prices[c].model, &info);
      ar[n_ar++] = c;
      n_fitted += isfinite(info.aic) ? 1 : 0;
    }
  }
  const cet_node *spec = cet_node_get(prices, "correlation");
  int status = CET_OK, choice = n_fitted == n_ar ? 0 : 1;
  if (spec && cet_node_kind_of(spec) == CET_NODE_MAP) {
    CET_CALL_GOTO(status, done, read_matrix(r, spec));
  } else {
    if (spec) {
      CET_CALL_GOTO(status, done,
                    cet_node_choice(spec, CORRELATIONS,
                                    sizeof CORRELATIONS / sizeof CORRELATIONS[0], &choice));
    } else if (n_ar > 1 && choice == 1) {
      cet_log_warn("prices: the AR series given by their coefficients have no residuals to "
                   "correlate; their shocks are independent (give prices.correlation to "
                   "correlate them)");
    }
    if (choice == 0 && n_ar > 1) {
      CET_CALL_GOTO(status, done, set_correlation(r, spec ? spec : prices, ar, n_ar, NULL));
    }
  }
done:
  free(ar);
  return status;
}

int cet_read_prices(const cet_node *section, const cet_config *cfg, cet_params *params,
                    cet_economics_spec *e) {
  CET_CALL(cet_node_expect_map(section));
  reader r = {.cfg = cfg, .params = params, .e = e};
  const cet_node *scen = cet_node_get(section, "scenario");
  if (scen) {
    int k = 0;
    CET_CALL(cet_node_choice(scen, SCENARIOS, CET_ECON_SCENARIOS, &k));
    e->scenario = (cet_econ_scenario)k;
  }
  e->prices = calloc(cet_node_size(section) + 1, sizeof *e->prices);
  CET_CHECK_ALLOC(e->prices);
  for (size_t i = 0; i < cet_node_size(section); i++) {
    if (is_reserved(cet_node_key_at(section, i))) {
      continue;
    }
    cet_econ_price *pr = &e->prices[e->n_prices++];
    CET_CALL(read_series(&r, section, i, pr));
  }
  CET_CALL(read_correlation(&r, section));
  return CET_OK;
}
