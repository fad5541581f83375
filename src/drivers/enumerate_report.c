/*
 * enumerate_report.c — the enumeration summary table (in the spirit of
 * Bonnin et al. 2015, Table 4) and the /enumerate group of the result file
 * (see enumerate_report.h and docs/hdf5-schema.md).
 */
#include "enumerate_report.h"

#include "shards.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"
#include "cetwin/twin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  REPORT_CHAIN_LEN = 1024,
  REPORT_UNITS_LEN = 64,
  REPORT_PATH_LEN = 128,
  REPORT_MAX_PRINTED = 50
};

static const char *const KIND_NAMES[CET_FLOWSHEET_KINDS] = {"final", "unprocessable", "truncated"};

void cet_drv_enumerate_chain_text(const cet_case *c, const cet_flowsheet *f, char *buf,
                                  size_t len) {
  cet_flowsheet_chain_text(c->library, f, buf, len);
}

static double total_of(const double *v, size_t n) {
  double t = 0.0;
  for (size_t i = 0; i < n; i++) {
    t += v[i];
  }
  return t;
}

typedef struct {
  double purity, recovery, flow, main_flow;
} derived;

static derived derive(const cet_case *c, const cet_flowsheet *f) {
  size_t nc = c->components.n, m = c->main_component;
  double flow = total_of(f->stream, nc);
  return (derived){.purity = flow > 0.0 ? f->stream[m] / flow : 0.0,
                   .recovery = c->feed.mass[m] > 0.0 ? f->stream[m] / c->feed.mass[m] : 0.0,
                   .flow = flow,
                   .main_flow = f->stream[m]};
}

/* The columns of the enumeration tables (quantity.h): shares as
 * percentages, flows and consumptions scaled with their units. */
enum { REPORT_SHARE_W = 11, REPORT_QUANTITY_W = 14, REPORT_CELL_LEN = 64 };

static void print_share(FILE *out, double v) {
  char cell[REPORT_CELL_LEN];
  cet_format_percent(v, 0, cell, sizeof cell);
  fprintf(out, " %*s", REPORT_SHARE_W, cell);
}

static void print_quantity(FILE *out, double v, const char *units) {
  char cell[REPORT_CELL_LEN];
  cet_format_quantity(v, units, cell, sizeof cell);
  fprintf(out, " %*s", REPORT_QUANTITY_W, cell);
}

void cet_drv_enumerate_print_final(const cet_drv_enumerate_final_view *v, FILE *out) {
  fprintf(out,
          "\nFinal flowsheets (%llu): %s purity and recovery, the product's flow and its %s, "
          "consumption per carrier:\n",
          v->found, v->main, v->main);
  fprintf(out, "%4s  %-28s %*s %*s %*s %*s", "#", "chain", REPORT_SHARE_W, "purity", REPORT_SHARE_W,
          "recovery", REPORT_QUANTITY_W, "product", REPORT_QUANTITY_W, v->main);
  for (size_t k = 0; k < v->nk; k++) {
    fprintf(out, " %*s", REPORT_QUANTITY_W, v->carriers[k]);
  }
  fprintf(out, "\n");
  for (size_t i = 0; i < v->n && i < REPORT_MAX_PRINTED; i++) {
    fprintf(out, "%4zu  %-28s", i + 1, v->chain[i]);
    print_share(out, v->purity[i]);
    print_share(out, v->recovery[i]);
    print_quantity(out, v->flow[i], v->flow_units);
    print_quantity(out, v->main_flow[i], v->flow_units);
    for (size_t k = 0; k < v->nk; k++) {
      print_quantity(out, v->consumption[i * v->nk + k], v->carrier_units[k]);
    }
    fprintf(out, "\n");
  }
  if (v->n > REPORT_MAX_PRINTED) {
    fprintf(out, "  ... %zu more in the result file\n", v->n - REPORT_MAX_PRINTED);
  }
}

/* Flowsheet i of a kind for a printed table: *f, its chain as text in
 * chain, and what follows from it. */
static derived printed_row(const cet_case *c, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                           size_t i, cet_flowsheet *f, char *chain, size_t len) {
  cet_flowsheets_get(fs, kind, i, f);
  cet_drv_enumerate_chain_text(c, f, chain, len);
  return derive(c, f);
}

static int print_final(const cet_case *c, const cet_flowsheets *fs, FILE *out) {
  const cet_names *carriers = cet_library_carriers(c->library);
  size_t n = cet_flowsheets_stored(fs, CET_FLOWSHEET_FINAL), nk = carriers->n;
  n = n < REPORT_MAX_PRINTED ? n : REPORT_MAX_PRINTED;
  char(*chain)[REPORT_CHAIN_LEN] = calloc(n + 1, sizeof *chain);
  char(*units)[REPORT_UNITS_LEN] = calloc(nk + 1, sizeof *units);
  const char **chains = calloc(n + 1, sizeof *chains), **unit = calloc(nk + 1, sizeof *unit);
  double *v = calloc(4 * n + n * nk + 1, sizeof *v);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, chain && units && chains && unit && v);
  for (size_t k = 0; k < nk; k++) {
    cet_quantity_rate_units(c->carrier_units[k], c->feed.flow_units, units[k], sizeof units[k]);
    unit[k] = units[k];
  }
  for (size_t i = 0; i < n; i++) {
    cet_flowsheet f;
    derived d = printed_row(c, fs, CET_FLOWSHEET_FINAL, i, &f, chain[i], sizeof chain[i]);
    chains[i] = chain[i];
    v[i] = d.purity;
    v[n + i] = d.recovery;
    v[2 * n + i] = d.flow;
    v[3 * n + i] = d.main_flow;
    memcpy(v + 4 * n + i * nk, f.consumption, nk * sizeof *v);
  }
  cet_drv_enumerate_final_view view = {
      .main = c->components.name[c->main_component],
      .flow_units = c->feed.flow_units,
      .nk = nk,
      .carriers = (const char *const *)carriers->name,
      .carrier_units = unit,
      .found = (unsigned long long)cet_flowsheets_found(fs, CET_FLOWSHEET_FINAL),
      .n = cet_flowsheets_stored(fs, CET_FLOWSHEET_FINAL),
      .chain = chains,
      .purity = v,
      .recovery = v + n,
      .flow = v + 2 * n,
      .main_flow = v + 3 * n,
      .consumption = v + 4 * n};
  cet_drv_enumerate_print_final(&view, out);
done:
  free(chain);
  free(units);
  free(chains);
  free(unit);
  free(v);
  return status;
}

void cet_drv_enumerate_print_dead_ends(const cet_drv_enumerate_dead_end_view *v, FILE *out) {
  if (v->n == 0) {
    return;
  }
  fprintf(out, "\n%s (%llu):\n",
          v->kind == CET_FLOWSHEET_UNPROCESSABLE ? "Unprocessable products" : "Truncated chains",
          v->found);
  fprintf(out, "%4s  %-28s %*s %*s\n", "#", "chain", REPORT_SHARE_W, "purity", REPORT_QUANTITY_W,
          "product");
  for (size_t i = 0; i < v->n && i < REPORT_MAX_PRINTED; i++) {
    fprintf(out, "%4zu  %-28s", i + 1, v->chain[i]);
    print_share(out, v->purity[i]);
    print_quantity(out, v->flow[i], v->flow_units);
    fprintf(out, "\n");
  }
  if (v->n > REPORT_MAX_PRINTED) {
    fprintf(out, "  ... %zu more in the result file\n", v->n - REPORT_MAX_PRINTED);
  }
}

void cet_drv_enumerate_print_counts(const char *main,
                                    const unsigned long long found[CET_FLOWSHEET_KINDS], double lo,
                                    double hi, FILE *out) {
  fprintf(out, "\nfinal: %llu, unprocessable: %llu", found[CET_FLOWSHEET_FINAL],
          found[CET_FLOWSHEET_UNPROCESSABLE]);
  if (lo <= hi) {
    char a[REPORT_CELL_LEN], b[REPORT_CELL_LEN];
    cet_format_percent(lo, 0, a, sizeof a);
    cet_format_percent(hi, 0, b, sizeof b);
    fprintf(out, " (%s purity %s to %s)", main, a, b);
  }
  fprintf(out, ", truncated: %llu\n", found[CET_FLOWSHEET_TRUNCATED]);
}

/* The run's table of a kind of dead end. */
static int print_dead_ends(const cet_case *c, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                           FILE *out) {
  size_t stored = cet_flowsheets_stored(fs, kind);
  size_t n = stored < REPORT_MAX_PRINTED ? stored : REPORT_MAX_PRINTED;
  char(*chain)[REPORT_CHAIN_LEN] = calloc(n + 1, sizeof *chain);
  const char **chains = calloc(n + 1, sizeof *chains);
  double *v = calloc(2 * n + 1, sizeof *v);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, chain && chains && v);
  for (size_t i = 0; i < n; i++) {
    cet_flowsheet f;
    derived d = printed_row(c, fs, kind, i, &f, chain[i], sizeof chain[i]);
    chains[i] = chain[i];
    v[i] = d.purity;
    v[n + i] = d.flow;
  }
  cet_drv_enumerate_dead_end_view view = {.kind = kind,
                                          .main = c->components.name[c->main_component],
                                          .flow_units = c->feed.flow_units,
                                          .found =
                                              (unsigned long long)cet_flowsheets_found(fs, kind),
                                          .n = stored,
                                          .chain = chains,
                                          .purity = v,
                                          .flow = v + n};
  cet_drv_enumerate_print_dead_ends(&view, out);
done:
  free(chain);
  free(chains);
  free(v);
  return status;
}

/* Lowest and highest main-component fraction among the stored of a kind. */
static void purity_range(const cet_case *c, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                         double *lo, double *hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (size_t i = 0; i < cet_flowsheets_stored(fs, kind); i++) {
    cet_flowsheet f;
    cet_flowsheets_get(fs, kind, i, &f);
    double p = derive(c, &f).purity;
    *lo = p < *lo ? p : *lo;
    *hi = p > *hi ? p : *hi;
  }
}

int cet_drv_enumerate_print(const cet_case *c, const cet_flowsheets *fs, FILE *out) {
  const cet_enumerate_parameters *par = &c->enumerate;
  const char *main = c->components.name[c->main_component];
  fprintf(out, "cetwin enumerate: %s\n", c->name);
  char flow[REPORT_CELL_LEN], fraction[REPORT_CELL_LEN], target[REPORT_CELL_LEN];
  cet_format_quantity(c->feed.flow, c->feed.flow_units, flow, sizeof flow);
  cet_format_percent(c->feed.fraction[c->main_component], 0, fraction, sizeof fraction);
  cet_format_percent(par->target_purity, 0, target, sizeof target);
  fprintf(out, "feed %s: %s, %s %s%s%s%s\n", c->feed.name, flow, main, fraction,
          c->feed.source[0] ? " (" : "", c->feed.source, c->feed.source[0] ? ")" : "");
  fprintf(out, "target purity %s, max length %d, %s, consumption ranges at %s\n", target,
          par->max_length,
          par->mode == CET_ENUMERATE_STRICT ? "strict physical windows" : "preprocessing allowed",
          c->consumption_range);
  CET_CALL(print_final(c, fs, out));
  CET_CALL(print_dead_ends(c, fs, CET_FLOWSHEET_UNPROCESSABLE, out));
  CET_CALL(print_dead_ends(c, fs, CET_FLOWSHEET_TRUNCATED, out));
  double lo, hi;
  purity_range(c, fs, CET_FLOWSHEET_UNPROCESSABLE, &lo, &hi);
  unsigned long long found[CET_FLOWSHEET_KINDS];
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    found[k] = (unsigned long long)cet_flowsheets_found(fs, (cet_flowsheet_kind)k);
  }
  cet_drv_enumerate_print_counts(main, found, lo, hi, out);
  return CET_OK;
}

/* Column buffers of one kind, filled from the stored flowsheets. */
typedef struct {
  size_t n;
  char **chain;
  long long *steps, *prep;
  double *product, *fraction, *props, *outlets, *consumption, *purity, *recovery, *flow;
} kind_columns;

static void columns_free(kind_columns *k) {
  if (k->chain) {
    for (size_t i = 0; i < k->n; i++) {
      free(k->chain[i]);
    }
  }
  free(k->chain);
  free(k->steps);
  free(k->prep);
  free(k->product);
  free(k->fraction);
  free(k->props);
  free(k->outlets);
  free(k->consumption);
  free(k->purity);
  free(k->recovery);
  free(k->flow);
}

static int columns_fill(const cet_case *c, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                        kind_columns *k) {
  size_t nc = c->components.n, np = cet_library_properties(c->library)->n;
  size_t no = cet_library_outlets(c->library)->n, nk = cet_library_carriers(c->library)->n;
  size_t w = (size_t)c->enumerate.max_length, n = cet_flowsheets_stored(fs, kind);
  size_t m = n ? n : 1;
  k->n = n;
  k->chain = calloc(m, sizeof *k->chain);
  k->steps = malloc(m * w * sizeof *k->steps);
  k->prep = malloc(m * w * sizeof *k->prep);
  k->product = malloc(m * nc * sizeof *k->product);
  k->fraction = malloc(m * nc * sizeof *k->fraction);
  k->props = malloc(m * (np ? np : 1) * sizeof *k->props);
  k->outlets = malloc(m * (no - 1) * nc * sizeof *k->outlets + sizeof(double));
  k->consumption = malloc(m * (nk ? nk : 1) * sizeof *k->consumption);
  k->purity = malloc(m * sizeof *k->purity);
  k->recovery = malloc(m * sizeof *k->recovery);
  k->flow = malloc(m * sizeof *k->flow);
  CET_CHECK_ALLOCS(k->chain && k->steps && k->prep && k->product && k->fraction && k->props &&
                   k->outlets && k->consumption && k->purity && k->recovery && k->flow);
  for (size_t i = 0; i < n; i++) {
    cet_flowsheet f;
    CET_CALL(cet_flowsheets_get(fs, kind, i, &f));
    char chain[REPORT_CHAIN_LEN];
    cet_drv_enumerate_chain_text(c, &f, chain, sizeof chain);
    k->chain[i] = cet_strdup(chain);
    CET_CHECK_ALLOC(k->chain[i]);
    for (size_t s = 0; s < w; s++) {
      k->steps[i * w + s] = s < f.length ? f.step[s] : -1;
      k->prep[i * w + s] = s < f.length ? (long long)f.prep[s] : 0;
    }
    derived d = derive(c, &f);
    for (size_t j = 0; j < nc; j++) {
      k->product[i * nc + j] = f.stream[j];
      k->fraction[i * nc + j] = d.flow > 0.0 ? f.stream[j] / d.flow : 0.0;
    }
    memcpy(k->props + i * np, f.properties, np * sizeof *k->props);
    memcpy(k->consumption + i * nk, f.consumption, nk * sizeof *k->consumption);
    for (size_t o = 1; o < no; o++) {
      memcpy(k->outlets + ((o - 1) * n + i) * nc, f.outlets + (o - 1) * nc,
             nc * sizeof *k->outlets);
    }
    k->purity[i] = d.purity;
    k->recovery[i] = d.recovery;
    k->flow[i] = d.flow;
  }
  return CET_OK;
}

static int write_kind(const cet_case *c, const cet_flowsheets *fs, cet_flowsheet_kind kind,
                      cet_result *r) {
  const cet_names *comps = &c->components, *props = cet_library_properties(c->library),
                  *outlets = cet_library_outlets(c->library),
                  *carriers = cet_library_carriers(c->library);
  const char *units = c->feed.flow_units, *group = KIND_NAMES[kind];
  /* the consumption of each carrier over the feed's period (e.g. kWh/day) */
  char(*cons_units)[REPORT_UNITS_LEN] = calloc(carriers->n + 1, sizeof *cons_units);
  const char **cons_list = calloc(carriers->n + 1, sizeof *cons_list);
  kind_columns k = {0};
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, cons_units && cons_list);
  CET_CALL_GOTO(status, done, columns_fill(c, fs, kind, &k));
  for (size_t j = 0; j < carriers->n; j++) {
    cet_quantity_rate_units(c->carrier_units[j], units, cons_units[j], sizeof cons_units[j]);
    cons_list[j] = cons_units[j];
  }
  char path[REPORT_PATH_LEN];
  size_t n = k.n, w = (size_t)c->enumerate.max_length;
  const char *const *cn = (const char *const *)comps->name;
#define PATH(name) (snprintf(path, sizeof path, "/enumerate/%s/%s", group, name), path)
  {
    cet_dataset_meta m = {.description = "chain of process ids, '*N' = N times in a row, "
                                         "'[p]' = property p preprocessed",
                          .dims = "flowsheet"};
    CET_CALL_GOTO(status, done,
                  cet_result_write_strings(r, PATH("chain"), n, (const char *const *)k.chain, &m));
  }
  {
    size_t d[2] = {n, w};
    cet_dataset_meta m = {.units = "1",
                          .description = "index into /enumerate/processes of each step, -1 after "
                                         "the end of the chain",
                          .dims = "flowsheet,step"};
    CET_CALL_GOTO(status, done, cet_result_write_ints(r, PATH("steps"), 2, d, k.steps, &m));
    cet_dataset_meta mp = {.units = "1",
                           .description = "bit k set: property k (see /enumerate/properties) "
                                          "preprocessed before the step",
                           .dims = "flowsheet,step"};
    CET_CALL_GOTO(status, done, cet_result_write_ints(r, PATH("preprocessed"), 2, d, k.prep, &mp));
  }
  {
    size_t d[2] = {n, comps->n};
    cet_dataset_meta m = {.units = units,
                          .description = "mass flow of the last step's product (the feed for an "
                                         "empty chain) per component",
                          .columns = cn,
                          .n_columns = comps->n,
                          .dims = "flowsheet,component"};
    CET_CALL_GOTO(status, done, cet_result_write_doubles(r, PATH("product"), 2, d, k.product, &m));
    cet_dataset_meta f = {.units = "1",
                          .description = "mass fractions of product",
                          .columns = cn,
                          .n_columns = comps->n,
                          .dims = "flowsheet,component"};
    CET_CALL_GOTO(status, done,
                  cet_result_write_doubles(r, PATH("fraction"), 2, d, k.fraction, &f));
  }
  for (size_t o = 1; o < outlets->n; o++) {
    size_t d[2] = {n, comps->n};
    char description[REPORT_PATH_LEN];
    snprintf(description, sizeof description, "mass flow to outlet %s summed over the chain",
             outlets->name[o]);
    cet_dataset_meta m = {.units = units,
                          .description = description,
                          .columns = cn,
                          .n_columns = comps->n,
                          .dims = "flowsheet,component"};
    CET_CALL_GOTO(status, done,
                  cet_result_write_doubles(r, PATH(outlets->name[o]), 2, d,
                                           k.outlets + (o - 1) * n * comps->n, &m));
  }
  {
    size_t d[2] = {n, carriers->n};
    cet_dataset_meta m = {.unit_list = cons_list,
                          .n_units = carriers->n,
                          .description = "consumption per carrier summed over the chain (NaN: a "
                                         "process in the chain has no published value)",
                          .columns = (const char *const *)carriers->name,
                          .n_columns = carriers->n,
                          .dims = "flowsheet,carrier"};
    CET_CALL_GOTO(status, done,
                  cet_result_write_doubles(r, PATH("consumption"), 2, d, k.consumption, &m));
  }
  {
    size_t d[2] = {n, props->n};
    cet_dataset_meta m = {.unit_list = (const char *const *)c->property_units,
                          .n_units = props->n,
                          .description = "physical properties of product",
                          .columns = (const char *const *)props->name,
                          .n_columns = props->n,
                          .dims = "flowsheet,property"};
    CET_CALL_GOTO(status, done, cet_result_write_doubles(r, PATH("properties"), 2, d, k.props, &m));
  }
  const char *names[] = {"purity", "recovery", "flow"};
  const double *data[] = {k.purity, k.recovery, k.flow};
  const char *what[] = {"main-component mass fraction of product",
                        "main-component mass in product / in the feed", "total mass of product"};
  const char *what_units[] = {"1", "1", units};
  for (int i = 0; i < 3; i++) {
    cet_dataset_meta m = {.units = what_units[i], .description = what[i], .dims = "flowsheet"};
    CET_CALL_GOTO(status, done, cet_result_write_doubles(r, PATH(names[i]), 1, &n, data[i], &m));
  }
#undef PATH
  snprintf(path, sizeof path, "/enumerate/%s", group);
  CET_CALL_GOTO(status, done,
                cet_result_attr_int(r, path, "found", (long long)cet_flowsheets_found(fs, kind)));
  CET_CALL_GOTO(status, done, cet_result_attr_int(r, path, "stored", (long long)n));
done:
  columns_free(&k);
  free(cons_units);
  free(cons_list);
  return status;
}

static int write_names(cet_result *r, const char *path, const cet_names *names,
                       const char *description, const char *dims) {
  cet_dataset_meta m = {.description = description, .dims = dims, .labels = 1};
  return cet_result_write_strings(r, path, names->n, (const char *const *)names->name, &m);
}

static int write_header(const cet_case *c, const cet_flowsheets *fs, cet_result *r) {
  const cet_enumerate_parameters *par = &c->enumerate;
  const cet_library *lib = c->library;
  size_t np = cet_library_size(lib);
  const char **ids = malloc((np ? np : 1) * sizeof *ids);
  CET_CHECK_ALLOC(ids);
  for (size_t p = 0; p < np; p++) {
    ids[p] = cet_library_process(lib, p)->id;
  }
  cet_dataset_meta pm = {.description = "process ids, in library order (indices of steps)",
                         .dims = "process",
                         .labels = 1};
  int status = cet_result_write_strings(r, "/enumerate/processes", np, ids, &pm);
  free(ids);
  CET_CALL(status);
  CET_CALL(
      write_names(r, "/enumerate/components", &c->components, "tracked components", "component"));
  CET_CALL(write_names(r, "/enumerate/outlets", cet_library_outlets(lib),
                       "process outlets; the first is the product", "outlet"));
  CET_CALL(write_names(r, "/enumerate/carriers", cet_library_carriers(lib), "consumption carriers",
                       "carrier"));
  CET_CALL(write_names(r, "/enumerate/properties", cet_library_properties(lib),
                       "physical properties", "property"));
  size_t nc = c->components.n;
  cet_dataset_meta fm = {.units = c->feed.flow_units,
                         .description = "feed mass flow per component",
                         .columns = (const char *const *)c->components.name,
                         .n_columns = nc,
                         .dims = "component"};
  CET_CALL(cet_result_write_doubles(r, "/enumerate/feed/mass", 1, &nc, c->feed.mass, &fm));
  size_t npr = cet_library_properties(lib)->n;
  cet_dataset_meta fp = {.unit_list = (const char *const *)c->property_units,
                         .n_units = npr,
                         .description = "feed physical properties",
                         .columns = (const char *const *)cet_library_properties(lib)->name,
                         .n_columns = npr,
                         .dims = "property"};
  CET_CALL(
      cet_result_write_doubles(r, "/enumerate/feed/properties", 1, &npr, c->feed.property, &fp));
  const char *g = "/enumerate";
  CET_CALL(cet_result_attr_string(r, g, "feed", c->feed.name));
  CET_CALL(cet_result_attr_string(r, g, "main_component", c->components.name[c->main_component]));
  CET_CALL(cet_result_attr_string(r, g, "flow_units", c->feed.flow_units));
  CET_CALL(cet_result_attr_double(r, g, "target_purity", par->target_purity));
  CET_CALL(cet_result_attr_int(r, g, "max_length", par->max_length));
  CET_CALL(cet_result_attr_string(r, g, "mode",
                                  par->mode == CET_ENUMERATE_STRICT ? "strict" : "preprocess"));
  CET_CALL(cet_result_attr_double(r, g, "tolerance", par->tolerance));
  CET_CALL(cet_result_attr_string(r, g, "consumption_range", c->consumption_range));
  CET_CALL(cet_result_attr_int(r, g, "nodes", (long long)cet_flowsheets_nodes(fs)));
  CET_CALL(cet_result_attr_int(r, g, "node_limit_hit", cet_flowsheets_node_limit_hit(fs)));
  return CET_OK;
}

int cet_drv_enumerate_write(const cet_case *c, const cet_flowsheets *fs, cet_result *r) {
  CET_CALL(write_header(c, fs, r));
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    CET_CALL(write_kind(c, fs, (cet_flowsheet_kind)k, r));
  }
  return CET_OK;
}

/* ---- read back (cetwin info) ---- */

/* /enumerate/final/NAME: n values per row, width columns (0: a vector). */
static int read_final(cet_result_reader *in, const char *name, size_t n, size_t width,
                      double **out) {
  char path[REPORT_PATH_LEN];
  snprintf(path, sizeof path, "/enumerate/final/%s", name);
  size_t want[2] = {n, width};
  return cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, width ? 2 : 1, want,
                             "one row per final flowsheet (/enumerate/final/chain)", (void **)out);
}

/* How many flowsheets of kind were found (attribute found of its group). */
static int read_found(cet_result_reader *in, cet_flowsheet_kind kind, unsigned long long *found) {
  char group[REPORT_PATH_LEN];
  snprintf(group, sizeof group, "/enumerate/%s", KIND_NAMES[kind]);
  long long v = 0;
  CET_CALL(cet_result_read_attr_int(in, group, "found", &v));
  CET_CHECK(v >= 0, CET_ERR_INPUT, "%s attribute found: expected a count, found %lld", group, v);
  *found = (unsigned long long)v;
  return CET_OK;
}

/* The table of a kind of dead end, read back; *lo, *hi the range of the
 * main component's fraction of the unprocessable ones. */
static int info_dead_ends(cet_result_reader *in, cet_flowsheet_kind kind, const char *main,
                          const char *flow_units, unsigned long long found, double *lo, double *hi,
                          FILE *out) {
  char path[REPORT_PATH_LEN];
  char **chain = NULL;
  size_t n = 0;
  double *purity = NULL, *flow = NULL;
  snprintf(path, sizeof path, "/enumerate/%s/chain", KIND_NAMES[kind]);
  const char *why = "one per flowsheet of its chain dataset";
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_result_read_strings(in, path, &n, &chain));
  snprintf(path, sizeof path, "/enumerate/%s/purity", KIND_NAMES[kind]);
  CET_CALL_GOTO(status, done,
                cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, 1, &n, why, (void **)&purity));
  snprintf(path, sizeof path, "/enumerate/%s/flow", KIND_NAMES[kind]);
  CET_CALL_GOTO(status, done,
                cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, 1, &n, why, (void **)&flow));
  cet_drv_enumerate_dead_end_view v = {.kind = kind,
                                       .main = main,
                                       .flow_units = flow_units,
                                       .found = found,
                                       .n = n,
                                       .chain = (const char *const *)chain,
                                       .purity = purity,
                                       .flow = flow};
  cet_drv_enumerate_print_dead_ends(&v, out);
  for (size_t i = 0; kind == CET_FLOWSHEET_UNPROCESSABLE && i < n; i++) {
    *lo = purity[i] < *lo ? purity[i] : *lo;
    *hi = purity[i] > *hi ? purity[i] : *hi;
  }
done:
  cet_free_strings(chain, n);
  free(purity);
  free(flow);
  return status;
}

int cet_info_enumerate(cet_result_reader *in, int verbose, FILE *out) {
  (void)verbose;
  char **chain = NULL, **carriers = NULL, **components = NULL, *main = NULL, *flow_units = NULL;
  char **units = NULL;
  size_t n = 0, nk = 0, nc = 0, n_units = 0;
  double *purity = NULL, *recovery = NULL, *flow = NULL, *product = NULL, *consumption = NULL;
  double *main_flow = NULL;
  size_t m = 0;
  unsigned long long found[CET_FLOWSHEET_KINDS] = {0};
  double lo = INFINITY, hi = -INFINITY;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_result_read_strings(in, "/enumerate/final/chain", &n, &chain));
  CET_CALL_GOTO(status, done, cet_result_read_strings(in, "/enumerate/carriers", &nk, &carriers));
  CET_CALL_GOTO(status, done,
                cet_result_read_strings(in, "/enumerate/components", &nc, &components));
  CET_CALL_GOTO(status, done,
                cet_result_read_attr_string(in, "/enumerate", "main_component", &main));
  CET_CALL_GOTO(status, done,
                cet_result_read_attr_string(in, "/enumerate", "flow_units", &flow_units));
  CET_CALL_GOTO(
      status, done,
      cet_result_read_attr_strings(in, "/enumerate/final/consumption", "units", &n_units, &units));
  CET_CHECK_GOTO(status, done, n_units == nk, CET_ERR_INPUT,
                 "/enumerate/final/consumption attribute units: expected one per carrier (%zu), "
                 "found %zu",
                 nk, n_units);
  CET_CALL_GOTO(status, done, read_final(in, "purity", n, 0, &purity));
  CET_CALL_GOTO(status, done, read_final(in, "recovery", n, 0, &recovery));
  CET_CALL_GOTO(status, done, read_final(in, "flow", n, 0, &flow));
  CET_CALL_GOTO(status, done, read_final(in, "product", n, nc, &product));
  CET_CALL_GOTO(status, done, read_final(in, "consumption", n, nk, &consumption));
  m = nc;
  for (size_t j = 0; j < nc; j++) {
    m = strcmp(components[j], main) == 0 ? j : m;
  }
  CET_CHECK_GOTO(status, done, m < nc, CET_ERR_INPUT,
                 "/enumerate attribute main_component: expected one of /enumerate/components, "
                 "found '%s'",
                 main);
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    CET_CALL_GOTO(status, done, read_found(in, (cet_flowsheet_kind)k, &found[k]));
  }
  main_flow = calloc(n + 1, sizeof *main_flow);
  CET_CHECK_ALLOC_GOTO(status, done, main_flow);
  for (size_t i = 0; i < n; i++) {
    main_flow[i] = product[i * nc + m];
  }
  cet_drv_enumerate_final_view v = {.main = main,
                                    .flow_units = flow_units,
                                    .nk = nk,
                                    .carriers = (const char *const *)carriers,
                                    .carrier_units = (const char *const *)units,
                                    .found = found[CET_FLOWSHEET_FINAL],
                                    .n = n,
                                    .chain = (const char *const *)chain,
                                    .purity = purity,
                                    .recovery = recovery,
                                    .flow = flow,
                                    .main_flow = main_flow,
                                    .consumption = consumption};
  cet_drv_enumerate_print_final(&v, out);
  for (int k = CET_FLOWSHEET_UNPROCESSABLE; k < CET_FLOWSHEET_KINDS; k++) {
    CET_CALL_GOTO(
        status, done,
        info_dead_ends(in, (cet_flowsheet_kind)k, main, flow_units, found[k], &lo, &hi, out));
  }
  cet_drv_enumerate_print_counts(main, found, lo, hi, out);
done:
  cet_free_strings(chain, n);
  cet_free_strings(carriers, nk);
  cet_free_strings(components, nc);
  free(main);
  free(flow_units);
  cet_free_strings(units, n_units);
  free(purity);
  free(recovery);
  free(flow);
  free(product);
  free(consumption);
  free(main_flow);
  return status;
}
