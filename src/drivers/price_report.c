/*
 * price_report.c — the AR price models of a twin (report.h): what each
 * fitted or given model is (order, coefficients with their standard
 * errors, shock sigma, AIC, history years, the forecast bands over the
 * cash flow's years) and the correlation of their shocks; printed with
 * --verbose, written to /prices/ar and read back by `cetwin info`.
 */
#include "report.h"

#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { AR_CELL = 48, AR_PATH = 128 };

static const char *const GROUP = "/prices/ar";

/* The bands written, in cet_price_band order. */
static const char *const BANDS[] = {"lower95", "lower75", "mean", "upper75", "upper95"};
enum { N_BANDS = sizeof BANDS / sizeof BANDS[0] };

void cet_drv_ar_free(cet_drv_ar_models *a) {
  free(a->model);
  free(a->corr);
  free(a->bands);
  memset(a, 0, sizeof *a);
}

int cet_drv_ar_collect(const cet_twin *t, cet_drv_ar_models *a) {
  memset(a, 0, sizeof *a);
  size_t np = cet_twin_price_count(t), ny = cet_twin_year_count(t);
  size_t *series = calloc(np + 1, sizeof *series);
  CET_CHECK_ALLOC(series);
  for (size_t c = 0; c < np; c++) {
    if (cet_twin_price_model(t, c)) {
      series[a->n++] = c;
    }
  }
  a->years = ny;
  a->first_year = cet_twin_start_year(t);
  a->model = calloc(a->n + 1, sizeof *a->model);
  a->corr = calloc(a->n * a->n + 1, sizeof *a->corr);
  a->bands = calloc(a->n * N_BANDS * ny + 1, sizeof *a->bands);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, a->model && a->corr && a->bands);
  for (size_t i = 0; i < a->n; i++) {
    const cet_price_model *pm = cet_twin_price_model(t, series[i]);
    cet_drv_ar_model *m = &a->model[i];
    cet_price_ar_info info;
    CET_CALL_GOTO(status, cleanup, cet_price_ar_get_info(pm, &info));
    snprintf(m->name, sizeof m->name, "%s", cet_twin_price_name(t, series[i]));
    snprintf(m->units, sizeof m->units, "%s", cet_twin_price_units(t, series[i]));
    m->log_scale = info.scale == CET_PRICE_LOG;
    m->order = info.order;
    m->intercept = info.intercept;
    m->intercept_se = info.intercept_se;
    for (int k = 0; k < CET_PRICE_MAX_ORDER; k++) {
      m->phi[k] = k < info.order ? info.phi[k] : NAN;
      m->phi_se[k] = k < info.order ? info.phi_se[k] : NAN;
    }
    m->sigma = sqrt(info.sigma2);
    m->aic = info.aic;
    m->n_eff = (long long)info.n_eff;
    m->first_year = info.first_year;
    m->last_year = info.last_year;
    for (size_t b = 0; b < N_BANDS && ny > 0; b++) {
      CET_CALL_GOTO(status, cleanup,
                    cet_price_forecast(pm, a->first_year, ny, (cet_price_band)b,
                                       a->bands + (i * N_BANDS + b) * ny));
    }
    for (size_t j = 0; j < a->n; j++) {
      a->corr[i * a->n + j] = cet_twin_price_correlation(t, series[i], series[j]);
    }
  }
cleanup:
  free(series);
  if (status != CET_OK) {
    cet_drv_ar_free(a);
  }
  return status;
}

void cet_drv_ar_print(const cet_drv_ar_models *a, FILE *out) {
  if (a->n == 0) {
    return;
  }
  fprintf(out, "\nPrice models (AR(p): x_t = c + phi_1 x_t-1 + ... + sigma e_t; x = price or "
               "ln price; +- one standard error):\n");
  for (size_t i = 0; i < a->n; i++) {
    const cet_drv_ar_model *m = &a->model[i];
    int fitted = isfinite(m->aic);
    fprintf(out, "  %-12s AR(%d) in %s", m->name, m->order, m->log_scale ? "log" : "level");
    if (fitted) {
      fprintf(out, ", fitted to %lld..%lld (%lld observations, AIC %.4g)", m->first_year,
              m->last_year, m->n_eff, m->aic);
    } else {
      fprintf(out, ", given in the case (history to %lld)", m->last_year);
    }
    fprintf(out, "\n    c = %.6g", m->intercept);
    if (isfinite(m->intercept_se)) {
      fprintf(out, " +- %.3g", m->intercept_se);
    }
    for (int k = 0; k < m->order && k < CET_PRICE_MAX_ORDER; k++) {
      fprintf(out, ", phi_%d = %.4g", k + 1, m->phi[k]);
      if (isfinite(m->phi_se[k])) {
        fprintf(out, " +- %.3g", m->phi_se[k]);
      }
    }
    fprintf(out, ", sigma = %.4g%s%s\n", m->sigma, m->log_scale ? "" : " ",
            m->log_scale ? "" : m->units);
    if (a->years > 0) {
      size_t y = a->years - 1;
      const double *b = a->bands + i * N_BANDS * a->years;
      char lo[AR_CELL], mean[AR_CELL], hi[AR_CELL];
      cet_format_quantity(b[CET_PRICE_LOWER95 * a->years + y], m->units, lo, sizeof lo);
      cet_format_quantity(b[CET_PRICE_MEAN * a->years + y], m->units, mean, sizeof mean);
      cet_format_quantity(b[CET_PRICE_UPPER95 * a->years + y], m->units, hi, sizeof hi);
      fprintf(out, "    %lld: mean %s, 95 %% band %s .. %s\n", a->first_year + (long long)y, mean,
              lo, hi);
    }
  }
  fprintf(out, "  correlation of the shocks:\n  %-12s", "");
  for (size_t j = 0; j < a->n; j++) {
    fprintf(out, " %7.7s", a->model[j].name);
  }
  fprintf(out, "\n");
  for (size_t i = 0; i < a->n; i++) {
    fprintf(out, "  %-12s", a->model[i].name);
    for (size_t j = 0; j < a->n; j++) {
      fprintf(out, " %7.3f", a->corr[i * a->n + j]);
    }
    fprintf(out, "\n");
  }
  fprintf(out, "  (every band of every year in %s/bands)\n", GROUP);
}

int cet_drv_ar_report(const cet_twin *t, FILE *out, cet_result *r) {
  cet_drv_ar_models a;
  CET_CALL(cet_drv_ar_collect(t, &a));
  if (out) {
    cet_drv_ar_print(&a, out);
  }
  int status = r ? cet_drv_ar_write(&a, r) : CET_OK;
  cet_drv_ar_free(&a);
  return status;
}

int cet_drv_ar_info(cet_result_reader *in, FILE *out) {
  if (!cet_result_has(in, GROUP)) {
    return CET_OK;
  }
  cet_drv_ar_models a;
  CET_CALL(cet_drv_ar_read(in, &a));
  cet_drv_ar_print(&a, out);
  cet_drv_ar_free(&a);
  return CET_OK;
}

/* ---- /prices/ar ---- */

/* Where entry i of the stored bands (band x year x series, the unit of a
 * series along the last axis) is in the models' bands (series x band x
 * year). */
static size_t band_source(size_t i, size_t n, size_t years) {
  size_t series = i % n, year = i / n % years, band = i / n / years;
  return (series * N_BANDS + band) * years + year;
}

/* units: one for every value, or (units NULL) unit_list: one per series,
 * the last axis. */
static int write_doubles(cet_result *r, const char *name, size_t rank, const size_t *dims,
                         const double *v, const char *units, const char *const *unit_list,
                         const char *description, const char *dim_names) {
  char path[AR_PATH];
  snprintf(path, sizeof path, "%s/%s", GROUP, name);
  cet_dataset_meta m = {.units = units,
                        .unit_list = units ? NULL : unit_list,
                        .n_units = units ? 0 : dims[rank - 1],
                        .description = description,
                        .dims = dim_names};
  return cet_result_write_doubles(r, path, rank, dims, v, &m);
}

int cet_drv_ar_write(const cet_drv_ar_models *a, cet_result *r) {
  if (a->n == 0) {
    return CET_OK;
  }
  size_t n = a->n, k = CET_PRICE_MAX_ORDER;
  const char **names = calloc(n + 1, sizeof *names), **units = calloc(n + 1, sizeof *units);
  const char **scale = calloc(n + 1, sizeof *scale), **model = calloc(n + 1, sizeof *model);
  double *v = calloc(4 * n + 2 * n * k + 1, sizeof *v);
  double *bands = calloc(n * N_BANDS * a->years + 1, sizeof *bands);
  long long *ints = calloc(4 * n + a->years + 1, sizeof *ints);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, names && units && scale && model && v && bands && ints);
  double *intercept = v, *intercept_se = v + n, *sigma = v + 2 * n, *aic = v + 3 * n;
  double *phi = v + 4 * n, *phi_se = phi + n * k;
  long long *order = ints, *n_eff = ints + n, *first = ints + 2 * n, *last = ints + 3 * n;
  long long *years = ints + 4 * n;
  for (size_t i = 0; i < n; i++) {
    const cet_drv_ar_model *m = &a->model[i];
    names[i] = m->name;
    units[i] = m->units;
    scale[i] = m->log_scale ? "log" : "level";
    model[i] = m->log_scale ? "1" : m->units;
    intercept[i] = m->intercept;
    intercept_se[i] = m->intercept_se;
    sigma[i] = m->sigma;
    aic[i] = m->aic;
    order[i] = m->order;
    n_eff[i] = m->n_eff;
    first[i] = m->first_year;
    last[i] = m->last_year;
    memcpy(phi + i * k, m->phi, k * sizeof *phi);
    memcpy(phi_se + i * k, m->phi_se, k * sizeof *phi_se);
  }
  for (size_t y = 0; y < a->years; y++) {
    years[y] = a->first_year + (long long)y;
  }
  /* bands are written band x year x series, so that their unit, the
   * series', runs along the last axis */
  for (size_t i = 0; i < n * N_BANDS * a->years; i++) {
    bands[i] = a->bands[band_source(i, n, a->years)];
  }
  cet_dataset_meta mn = {.description = "the price series with an AR model, in the twin's order",
                         .dims = "series"};
  cet_dataset_meta mu = {.description = "units of each series' prices", .dims = "series"};
  cet_dataset_meta ms = {.description = "scale of the model: level (x = price) or log (x = ln "
                                        "price)",
                         .dims = "series"};
  cet_dataset_meta mi = {.units = "1", .dims = "series"};
  cet_dataset_meta my = {
      .units = "a", .description = "calendar years of the bands", .dims = "year"};
  size_t dims2[2] = {n, k}, dims3[3] = {N_BANDS, a->years, n}, dimsc[2] = {n, n};
  char path[AR_PATH];
  snprintf(path, sizeof path, "%s/series", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, path, n, names, &mn));
  snprintf(path, sizeof path, "%s/units", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, path, n, units, &mu));
  snprintf(path, sizeof path, "%s/scale", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, path, n, scale, &ms));
  const struct {
    const char *name;
    const long long *v;
    const char *description;
  } int_sets[] = {{"order", order, "order p of the model (chosen by AIC when fitted without one)"},
                  {"n_eff", n_eff, "observations of the final fit (0: given in the case)"},
                  {"first_year", first, "first calendar year of the history"},
                  {"last_year", last, "last calendar year of the history"}};
  for (size_t i = 0; i < sizeof int_sets / sizeof int_sets[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", GROUP, int_sets[i].name);
    mi.description = int_sets[i].description;
    mi.units = i < 2 ? "1" : "a";
    CET_CALL_GOTO(status, cleanup, cet_result_write_ints(r, path, 1, &n, int_sets[i].v, &mi));
  }
  CET_CALL_GOTO(
      status, cleanup,
      write_doubles(r, "intercept", 1, &n, intercept, NULL, model, "intercept c", "series"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "intercept_se", 1, &n, intercept_se, NULL, model,
                              "standard error of c (NaN: given in the case)", "series"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "phi", 2, dims2, phi, "1", NULL,
                              "coefficients phi_1 .. phi_p (NaN beyond the order)", "series,lag"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "phi_se", 2, dims2, phi_se, "1", NULL,
                              "standard errors of phi (NaN: given, or beyond the order)",
                              "series,lag"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "sigma", 1, &n, sigma, NULL, model,
                              "standard deviation of the shocks (the residuals of a fit)",
                              "series"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "aic", 1, &n, aic, "1", NULL,
                              "Akaike information criterion of the fit (NaN: given)", "series"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "correlation", 2, dimsc, a->corr, "1", NULL,
                              "correlation of the shocks of the series (estimated from the "
                              "residuals, or given in the case)",
                              "series,series"));
  CET_CALL_GOTO(status, cleanup,
                write_doubles(r, "bands", 3, dims3, bands, NULL, units,
                              "forecast bands (lower95, lower75, mean, upper75, upper95) over "
                              "the years of /prices/ar/years for each series, in its units; "
                              "history years give the history",
                              "band,year,series"));
  snprintf(path, sizeof path, "%s/years", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_write_ints(r, path, 1, &a->years, years, &my));
  CET_CALL_GOTO(status, cleanup, cet_result_attr_strings(r, GROUP, "bands", BANDS, N_BANDS));
cleanup:
  free(names);
  free(units);
  free(scale);
  free(model);
  free(v);
  free(bands);
  free(ints);
  return status;
}

/* ---- read back (cetwin info) ---- */

static int read_column(cet_result_reader *in, const char *name, size_t n, size_t width,
                       double **out) {
  char path[AR_PATH];
  snprintf(path, sizeof path, "%s/%s", GROUP, name);
  size_t want[2] = {n, width};
  return cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, width ? 2 : 1, want, "one row per series",
                             (void **)out);
}

static int read_ints(cet_result_reader *in, const char *name, size_t n, long long **out) {
  char path[AR_PATH];
  snprintf(path, sizeof path, "%s/%s", GROUP, name);
  return cet_drv_read_shaped(in, path, CET_RESULT_INT64, 1, &n, "one per series", (void **)out);
}

int cet_drv_ar_read(cet_result_reader *in, cet_drv_ar_models *a) {
  memset(a, 0, sizeof *a);
  char **names = NULL, **units = NULL, **scale = NULL;
  size_t n = 0, nu = 0, ns = 0, k = CET_PRICE_MAX_ORDER;
  double *c = NULL, *cse = NULL, *sigma = NULL, *aic = NULL, *phi = NULL, *phi_se = NULL;
  long long *order = NULL, *n_eff = NULL, *first = NULL, *last = NULL, *years = NULL;
  char path[AR_PATH];
  snprintf(path, sizeof path, "%s/series", GROUP);
  int status = CET_OK;
  double *bands = NULL;
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &n, &names));
  snprintf(path, sizeof path, "%s/units", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &nu, &units));
  snprintf(path, sizeof path, "%s/scale", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &ns, &scale));
  CET_CALL_GOTO(status, cleanup, cet_drv_check_shape(path, 1, &ns, 1, &n, "one per series"));
  snprintf(path, sizeof path, "%s/units", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_drv_check_shape(path, 1, &nu, 1, &n, "one per series"));
  CET_CALL_GOTO(status, cleanup, read_column(in, "intercept", n, 0, &c));
  CET_CALL_GOTO(status, cleanup, read_column(in, "intercept_se", n, 0, &cse));
  CET_CALL_GOTO(status, cleanup, read_column(in, "sigma", n, 0, &sigma));
  CET_CALL_GOTO(status, cleanup, read_column(in, "aic", n, 0, &aic));
  CET_CALL_GOTO(status, cleanup, read_column(in, "phi", n, k, &phi));
  CET_CALL_GOTO(status, cleanup, read_column(in, "phi_se", n, k, &phi_se));
  CET_CALL_GOTO(status, cleanup, read_column(in, "correlation", n, n, &a->corr));
  CET_CALL_GOTO(status, cleanup, read_ints(in, "order", n, &order));
  CET_CALL_GOTO(status, cleanup, read_ints(in, "n_eff", n, &n_eff));
  CET_CALL_GOTO(status, cleanup, read_ints(in, "first_year", n, &first));
  CET_CALL_GOTO(status, cleanup, read_ints(in, "last_year", n, &last));
  size_t rank = 0, dims[3] = {0};
  snprintf(path, sizeof path, "%s/years", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_read_ints(in, path, &rank, dims, &years));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape(path, rank, dims, 1, dims, "the years of the bands"));
  a->years = dims[0];
  a->first_year = a->years ? years[0] : 0;
  snprintf(path, sizeof path, "%s/bands", GROUP);
  CET_CALL_GOTO(status, cleanup, cet_result_read_doubles(in, path, &rank, dims, &bands));
  size_t want[3] = {N_BANDS, a->years, n};
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape(path, rank, dims, 3, want, "band x year x series"));
  a->bands = calloc(n * N_BANDS * a->years + 1, sizeof *a->bands);
  CET_CHECK_ALLOC_GOTO(status, cleanup, a->bands);
  for (size_t i = 0; i < n * N_BANDS * a->years; i++) {
    a->bands[band_source(i, n, a->years)] = bands[i];
  }
  a->model = calloc(n + 1, sizeof *a->model);
  CET_CHECK_ALLOC_GOTO(status, cleanup, a->model);
  for (size_t i = 0; i < n; i++) {
    cet_drv_ar_model *m = &a->model[i];
    CET_CHECK_GOTO(status, cleanup, order[i] >= 1 && order[i] <= CET_PRICE_MAX_ORDER, CET_ERR_INPUT,
                   "%s/order: expected 1..%d, found %lld for %s", GROUP, CET_PRICE_MAX_ORDER,
                   order[i], names[i]);
    snprintf(m->name, sizeof m->name, "%s", names[i]);
    snprintf(m->units, sizeof m->units, "%s", units[i]);
    m->log_scale = strcmp(scale[i], "log") == 0;
    m->order = (int)order[i];
    m->intercept = c[i];
    m->intercept_se = cse[i];
    m->sigma = sigma[i];
    m->aic = aic[i];
    m->n_eff = n_eff[i];
    m->first_year = first[i];
    m->last_year = last[i];
    memcpy(m->phi, phi + i * k, k * sizeof *phi);
    memcpy(m->phi_se, phi_se + i * k, k * sizeof *phi_se);
    a->n = i + 1;
  }
cleanup:
  free(bands);
  cet_free_strings(names, n);
  cet_free_strings(units, nu);
  cet_free_strings(scale, ns);
  free(c);
  free(cse);
  free(sigma);
  free(aic);
  free(phi);
  free(phi_se);
  free(order);
  free(n_eff);
  free(first);
  free(last);
  free(years);
  if (status != CET_OK) {
    cet_drv_ar_free(a);
  }
  return status;
}
