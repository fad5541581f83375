/*
 * simulate_report.c — one twin evaluation reported by the run: its
 * summary (the header, then the tables of simulate_print.c from a view of
 * the twin) and the /simulate group of the result file (see
 * simulate_report.h and docs/hdf5-schema.md).
 */
#include "simulate_report.h"

#include "report.h"
#include "shards.h"

#include "cash_report.h"

#include "cetwin/economics.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { REPORT_NAME_LEN = 256, REPORT_LIST_LEN = 1024, REPORT_PATH_LEN = 128 };

static double edge_total(const cet_twin *t, const double *flow, size_t e) {
  size_t nc = cet_twin_components(t)->n;
  double total = 0.0;
  for (size_t c = 0; c < nc; c++) {
    total += flow[e * nc + c];
  }
  return total;
}

static void loops_text(const cet_twin *t, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t l = 0; l < cet_twin_loop_count(t) && used < len; l++) {
    int w = snprintf(buf + used, len - used, "%s[", l ? "; " : "");
    used += w > 0 ? (size_t)w : 0;
    for (size_t i = 0; i < cet_twin_loop_size(t, l) && used < len; i++) {
      w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                   cet_twin_unit_name(t, cet_twin_loop_unit(t, l, i)));
      used += w > 0 ? (size_t)w : 0;
    }
    if (used < len) {
      w = snprintf(buf + used, len - used, "]");
      used += w > 0 ? (size_t)w : 0;
    }
  }
}

/* ---- /simulate ---- */

typedef struct {
  const char **unit, **type, **sink, **process;        /* [units] */
  const char **edge_from, **edge_outlet, **edge_to;    /* [edges] */
  char **edge_name;                                    /* [edges] */
  double *edge_total;                                  /* [edges] */
  const char **metric, **metric_units, **metric_descr; /* [metrics] */
  long long *metric_share;                             /* [metrics] */
  cet_twin_metric_family *metric_family;               /* [metrics] */
  const char **family_name;                            /* [metrics] */
  const char **param, **param_units;                   /* [parameters] */
  const char **sankey_source, **sankey_target, **sankey_component, **sankey_stream;
  double *sankey_flow;
  size_t n_sankey;
  char **loop;
} columns;

static void columns_free(columns *k, size_t ne, size_t nl) {
  free(k->unit);
  free(k->type);
  free(k->sink);
  free(k->process);
  free(k->edge_from);
  free(k->edge_outlet);
  free(k->edge_to);
  for (size_t e = 0; k->edge_name && e < ne; e++) {
    free(k->edge_name[e]);
  }
  free(k->edge_name);
  free(k->edge_total);
  free(k->metric);
  free(k->metric_units);
  free(k->metric_descr);
  free(k->metric_share);
  free(k->metric_family);
  free(k->family_name);
  free(k->param);
  free(k->param_units);
  free(k->sankey_source);
  free(k->sankey_target);
  free(k->sankey_component);
  free(k->sankey_stream);
  free(k->sankey_flow);
  for (size_t l = 0; k->loop && l < nl; l++) {
    free(k->loop[l]);
  }
  free(k->loop);
}

static int fill_units(const cet_twin *t, columns *k) {
  size_t nu = cet_twin_unit_count(t) + 1;
  k->unit = malloc(nu * sizeof *k->unit);
  k->type = malloc(nu * sizeof *k->type);
  k->sink = malloc(nu * sizeof *k->sink);
  k->process = malloc(nu * sizeof *k->process);
  CET_CHECK_ALLOCS(k->unit && k->type && k->sink && k->process);
  for (size_t u = 0; u < cet_twin_unit_count(t); u++) {
    k->unit[u] = cet_twin_unit_name(t, u);
    k->type[u] = cet_unit_kind_name(cet_twin_unit_kind(t, u));
    k->sink[u] = cet_unit_kind_has(cet_twin_unit_kind(t, u), CET_UNIT_KIND_OUTLETS)
                     ? ""
                     : cet_sink_kind_name(cet_twin_unit_sink_kind(t, u));
    k->process[u] = cet_twin_unit_process(t, u) ? cet_twin_unit_process(t, u) : "";
  }
  return CET_OK;
}

static int fill_edges(const cet_twin *t, const double *flow, columns *k) {
  const cet_names *comps = cet_twin_components(t);
  size_t ne = cet_twin_edge_count(t), nc = comps->n;
  k->edge_from = malloc((ne + 1) * sizeof *k->edge_from);
  k->edge_outlet = malloc((ne + 1) * sizeof *k->edge_outlet);
  k->edge_to = malloc((ne + 1) * sizeof *k->edge_to);
  k->edge_name = calloc(ne + 1, sizeof *k->edge_name);
  k->edge_total = malloc((ne + 1) * sizeof *k->edge_total);
  k->sankey_source = malloc((ne * nc + 1) * sizeof *k->sankey_source);
  k->sankey_target = malloc((ne * nc + 1) * sizeof *k->sankey_target);
  k->sankey_component = malloc((ne * nc + 1) * sizeof *k->sankey_component);
  k->sankey_stream = malloc((ne * nc + 1) * sizeof *k->sankey_stream);
  k->sankey_flow = malloc((ne * nc + 1) * sizeof *k->sankey_flow);
  CET_CHECK_ALLOCS(k->edge_from && k->edge_outlet && k->edge_to && k->edge_name && k->edge_total &&
                   k->sankey_source && k->sankey_target && k->sankey_component &&
                   k->sankey_stream && k->sankey_flow);
  for (size_t e = 0; e < ne; e++) {
    size_t from, to;
    const char *outlet;
    cet_twin_edge(t, e, &from, &outlet, &to);
    k->edge_from[e] = cet_twin_unit_name(t, from);
    k->edge_outlet[e] = outlet;
    k->edge_to[e] = cet_twin_unit_name(t, to);
    CET_CALL(cet_twin_edge_name(t, e, &k->edge_name[e]));
    k->edge_total[e] = edge_total(t, flow, e);
    for (size_t c = 0; c < nc; c++) {
      if (flow[e * nc + c] > 0.0) {
        size_t i = k->n_sankey++;
        k->sankey_source[i] = k->edge_from[e];
        k->sankey_target[i] = k->edge_to[e];
        k->sankey_component[i] = comps->name[c];
        k->sankey_stream[i] = k->edge_name[e];
        k->sankey_flow[i] = flow[e * nc + c];
      }
    }
  }
  return CET_OK;
}

static int fill_names(const cet_twin *t, columns *k) {
  size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t);
  size_t nl = cet_twin_loop_count(t);
  k->metric = malloc((nm + 1) * sizeof *k->metric);
  k->metric_units = malloc((nm + 1) * sizeof *k->metric_units);
  k->metric_descr = malloc((nm + 1) * sizeof *k->metric_descr);
  k->metric_share = malloc((nm + 1) * sizeof *k->metric_share);
  k->metric_family = malloc((nm + 1) * sizeof *k->metric_family);
  k->family_name = malloc((nm + 1) * sizeof *k->family_name);
  k->param = malloc((np + 1) * sizeof *k->param);
  k->param_units = malloc((np + 1) * sizeof *k->param_units);
  k->loop = calloc(nl + 1, sizeof *k->loop);
  CET_CHECK_ALLOCS(k->metric && k->metric_units && k->metric_descr && k->metric_share &&
                   k->metric_family && k->family_name && k->param && k->param_units && k->loop);
  for (size_t i = 0; i < nm; i++) {
    k->metric[i] = cet_twin_metric_name(t, i);
    k->metric_units[i] = cet_twin_metric_units(t, i);
    k->metric_descr[i] = cet_twin_metric_description(t, i);
    k->metric_share[i] = cet_twin_metric_is_share(t, i);
    k->metric_family[i] = cet_twin_metric_family_of(t, i);
    k->family_name[i] = cet_twin_metric_family_name(k->metric_family[i]);
  }
  for (size_t i = 0; i < np; i++) {
    k->param[i] = cet_twin_parameter_path(t, i);
    k->param_units[i] = cet_twin_parameter_units(t, i);
  }
  for (size_t l = 0; l < nl; l++) {
    cet_strbuf b = {0};
    for (size_t i = 0; i < cet_twin_loop_size(t, l); i++) {
      CET_CALL(cet_strbuf_printf(&b, "%s%s", i ? "," : "",
                                 cet_twin_unit_name(t, cet_twin_loop_unit(t, l, i))));
    }
    k->loop[l] = b.text ? b.text : cet_strdup("");
    CET_CHECK_ALLOC(k->loop[l]);
  }
  return CET_OK;
}

static int write_strings(cet_result *r, const char *path, size_t n, const char *const *v,
                         const char *description, const char *dims) {
  cet_dataset_meta m = {.description = description, .dims = dims};
  return cet_result_write_strings(r, path, n, v, &m);
}

/* A list of names that labels its axis (dims). */
static int write_labels(cet_result *r, const char *path, size_t n, const char *const *v,
                        const char *description, const char *dims) {
  cet_dataset_meta m = {.description = description, .dims = dims, .labels = 1};
  return cet_result_write_strings(r, path, n, v, &m);
}

static int write_structure(const cet_drv_simulation *s, const columns *k, cet_result *r) {
  const cet_twin *t = s->twin;
  size_t nu = cet_twin_unit_count(t), ne = cet_twin_edge_count(t);
  const cet_names *comps = cet_twin_components(t), *carriers = cet_twin_carriers(t);
  CET_CALL(write_labels(r, "/simulate/components", comps->n, (const char *const *)comps->name,
                        "tracked components", "component"));
  CET_CALL(write_labels(r, "/simulate/carriers", carriers->n, (const char *const *)carriers->name,
                        "consumption carriers", "carrier"));
  CET_CALL(write_labels(r, "/simulate/units/name", nu, k->unit, "unit names", "unit"));
  CET_CALL(write_strings(r, "/simulate/units/type", nu, k->type,
                         "feed, process, splitter, mixer or sink", "unit"));
  CET_CALL(write_strings(r, "/simulate/units/sink_kind", nu, k->sink,
                         "market, landfill, valorisation or export for sinks, empty otherwise",
                         "unit"));
  CET_CALL(write_strings(r, "/simulate/units/process", nu, k->process,
                         "library process id of a process unit, empty when inline or not a "
                         "process",
                         "unit"));
  CET_CALL(write_labels(r, "/simulate/streams/name", ne, (const char *const *)k->edge_name,
                        "stream name: source unit and outlet, UNIT.OUTLET", "stream"));
  CET_CALL(write_strings(r, "/simulate/streams/from", ne, k->edge_from, "source unit", "stream"));
  CET_CALL(write_strings(r, "/simulate/streams/outlet", ne, k->edge_outlet,
                         "outlet of the source unit", "stream"));
  CET_CALL(write_strings(r, "/simulate/streams/to", ne, k->edge_to, "target unit", "stream"));
  CET_CALL(write_labels(r, "/simulate/loops", cet_twin_loop_count(t), (const char *const *)k->loop,
                        "units of each recycle loop (strongly connected component), "
                        "comma-separated, in solve order",
                        "loop"));
  return CET_OK;
}

static int write_flows(const cet_drv_simulation *s, const columns *k, cet_result *r) {
  const cet_twin *t = s->twin;
  const cet_names *comps = cet_twin_components(t), *carriers = cet_twin_carriers(t);
  const char *fu = cet_twin_flow_units(t);
  const char *const *cn = (const char *const *)comps->name;
  size_t nu = cet_twin_unit_count(t), ne = cet_twin_edge_count(t), nc = comps->n;
  size_t d_edges[2] = {ne, nc}, d_units[2] = {nu, nc};
  cet_dataset_meta m = {.units = fu,
                        .description = "mass flow of each stream per component",
                        .columns = cn,
                        .n_columns = nc,
                        .dims = "stream,component"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/streams/flow", 2, d_edges,
                                    cet_twin_workspace_edge_flows(s->w), &m));
  m = (cet_dataset_meta){
      .units = fu, .description = "total mass flow of each stream", .dims = "stream"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/streams/total", 1, &ne, k->edge_total, &m));
  m = (cet_dataset_meta){.units = fu,
                         .description = "mass entering each unit (feed plus inlet streams); for "
                                        "sinks the mass received",
                         .columns = cn,
                         .n_columns = nc,
                         .dims = "unit,component",
                         .rows = k->unit};
  CET_CALL(cet_result_write_doubles(r, "/simulate/balance/inflow", 2, d_units,
                                    cet_twin_workspace_unit_inflow(s->w), &m));
  m.description = "mass leaving each unit through its outlets; for sinks the mass received "
                  "(it leaves the twin)";
  CET_CALL(cet_result_write_doubles(r, "/simulate/balance/outflow", 2, d_units,
                                    cet_twin_workspace_unit_outflow(s->w), &m));
  m.units = "1";
  m.description = "relative closure |inflow - outflow| / max(inflow, outflow); 0 for sinks";
  CET_CALL(cet_result_write_doubles(r, "/simulate/balance/closure", 2, d_units,
                                    cet_twin_workspace_closure(s->w), &m));
  size_t d_cons[2] = {nu, carriers->n};
  /* the units of each column are those of the carrier's consumption metric */
  const char **cu = malloc((carriers->n + 1) * sizeof *cu);
  CET_CHECK_ALLOC(cu);
  for (size_t i = 0; i < carriers->n; i++) {
    char name[REPORT_NAME_LEN];
    snprintf(name, sizeof name, CET_METRIC_CONSUMPTION, carriers->name[i]);
    long mi = cet_twin_metric_find(t, name);
    cu[i] = mi >= 0 ? cet_twin_metric_units(t, (size_t)mi) : "1";
  }
  cet_dataset_meta mc = {.unit_list = cu,
                         .n_units = carriers->n,
                         .description = "consumption of each carrier by each unit (per-t "
                                        "consumption x basis flow)",
                         .columns = (const char *const *)carriers->name,
                         .n_columns = carriers->n,
                         .dims = "unit,carrier",
                         .rows = k->unit};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/simulate/consumption", 2, d_cons,
                                         cet_twin_workspace_unit_consumption(s->w), &mc));
  CET_CALL_GOTO(
      status, done,
      cet_result_attr_strings(r, "/simulate/consumption", "carrier_units", cu, carriers->n));
done:
  free(cu);
  return status;
}

static int write_tables(const cet_drv_simulation *s, const columns *k, cet_result *r) {
  const cet_twin *t = s->twin;
  size_t nm = cet_twin_metric_count(t), np = cet_twin_parameter_count(t), n = k->n_sankey;
  CET_CALL(write_labels(r, "/simulate/metrics/name", nm, k->metric, "metric names", "metric"));
  CET_CALL(write_strings(r, "/simulate/metrics/units", nm, k->metric_units, "units of each metric",
                         "metric"));
  CET_CALL(write_strings(r, "/simulate/metrics/description", nm, k->metric_descr,
                         "what each metric measures", "metric"));
  CET_CALL(cet_drv_write_shares(r, "/simulate/metrics/share", nm, k->metric_share, "metric"));
  CET_CALL(write_strings(r, "/simulate/metrics/family", nm, k->family_name,
                         "family of each metric: what kind of figure it is, which decides "
                         "where the summary shows it",
                         "metric"));
  cet_dataset_meta m = {.unit_list = k->metric_units,
                        .n_units = nm,
                        .description = "metric values of the evaluation",
                        .dims = "metric"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/metrics/value", 1, &nm, s->metrics, &m));
  CET_CALL(write_labels(r, "/simulate/parameters/path", np, k->param,
                        "key path of each parameter (as --set uses it)", "parameter"));
  CET_CALL(write_strings(r, "/simulate/parameters/units", np, k->param_units,
                         "units of each parameter", "parameter"));
  m = (cet_dataset_meta){.unit_list = k->param_units,
                         .n_units = np,
                         .description = "parameter values used",
                         .dims = "parameter"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/parameters/value", 1, &np, s->params, &m));
  CET_CALL(write_strings(r, "/simulate/sankey/source", n, k->sankey_source,
                         "source unit of each link", "link"));
  CET_CALL(write_strings(r, "/simulate/sankey/target", n, k->sankey_target,
                         "target unit of each link", "link"));
  CET_CALL(write_strings(r, "/simulate/sankey/component", n, k->sankey_component,
                         "component carried", "link"));
  CET_CALL(write_strings(r, "/simulate/sankey/stream", n, k->sankey_stream,
                         "stream (UNIT.OUTLET) of each link", "link"));
  m = (cet_dataset_meta){.units = cet_twin_flow_units(t),
                         .description = "mass flow of the component on the stream (links with "
                                        "positive flow only)",
                         .dims = "link"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/sankey/flow", 1, &n, k->sankey_flow, &m));
  return CET_OK;
}

/* The feeds' physical properties as the case states them (NaN = not given). */
static int write_feeds(const cet_drv_simulation *s, cet_result *r) {
  const cet_twin *t = s->twin;
  const cet_names *props = cet_twin_properties(t);
  size_t nu = cet_twin_unit_count(t), nf = 0, np = props->n;
  const char **names = malloc((nu + 1) * sizeof *names);
  double *values = malloc((nu * np + 1) * sizeof *values);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, names && values);
  for (size_t u = 0; u < nu; u++) {
    const double *given = cet_twin_unit_properties(t, u);
    if (given) {
      names[nf] = cet_twin_unit_name(t, u);
      memcpy(values + nf * np, given, np * sizeof *values);
      nf++;
    }
  }
  CET_CALL_GOTO(status, done,
                write_labels(r, "/simulate/feeds/name", nf, names, "feed units", "feed"));
  size_t d[2] = {nf, np};
  cet_dataset_meta m = {.unit_list = (const char *const *)s->c->property_units,
                        .n_units = np,
                        .description = "physical properties of each feed as given (NaN: not "
                                       "given); reported, not propagated",
                        .columns = (const char *const *)props->name,
                        .n_columns = np,
                        .dims = "feed,property"};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/simulate/feeds/properties", 2, d, values, &m));
  CET_CALL_GOTO(status, done,
                cet_result_attr_strings(r, "/simulate/feeds/properties", "property_units",
                                        (const char *const *)s->c->property_units, np));
done:
  free(names);
  free(values);
  return status;
}

static int write_attributes(const cet_drv_simulation *s, cet_result *r) {
  const cet_twin *t = s->twin;
  const cet_twin_diagnostics *d = &s->diagnostics;
  const char *g = "/simulate";
  CET_CALL(cet_result_attr_string(r, g, "flow_units", cet_twin_flow_units(t)));
  CET_CALL(cet_result_attr_int(r, g, "unit_count", (long long)cet_twin_unit_count(t)));
  CET_CALL(cet_result_attr_int(r, g, "streams", (long long)cet_twin_edge_count(t)));
  CET_CALL(cet_result_attr_int(r, g, "loops", (long long)cet_twin_loop_count(t)));
  CET_CALL(cet_result_attr_double(r, g, "closure", d->closure));
  CET_CALL(cet_result_attr_string(r, g, "closure_unit", cet_twin_unit_name(t, d->closure_unit)));
  CET_CALL(cet_result_attr_string(r, g, "closure_component",
                                  cet_twin_components(t)->name[d->closure_component]));
  CET_CALL(cet_result_attr_double(r, g, "closure_tolerance", CET_TWIN_CLOSURE_TOLERANCE));
  return CET_OK;
}

/* /simulate/exergy of a twin with exergy accounting. */
static int write_exergy(const cet_drv_simulation *s, const columns *k, cet_result *r) {
  const cet_twin *t = s->twin;
  const cet_names *comps = cet_twin_components(t);
  size_t nu = cet_twin_unit_count(t), ne = cet_twin_edge_count(t), nc = comps->n;
  long mi = cet_twin_metric_find(t, CET_METRIC_EXERGY_INPUT);
  const char *units = cet_twin_metric_units(t, (size_t)mi);
  static const char *const TERMS[CET_EXERGY_TERMS] = {"in", "products", "residues", "destroyed"};
  cet_dataset_meta m = {.units = "GJ/t",
                        .description = "specific chemical exergy of each component (standard "
                                       "chemical exergy / molar mass, or as given)",
                        .dims = "component"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/exergy/specific", 1, &nc,
                                    cet_twin_workspace_specific_exergy(s->w), &m));
  m = (cet_dataset_meta){.units = units,
                         .description = "chemical exergy flow of each stream (mass flow x "
                                        "specific chemical exergy, summed over components)",
                         .dims = "stream"};
  CET_CALL(cet_result_write_doubles(r, "/simulate/exergy/streams", 1, &ne,
                                    cet_twin_workspace_stream_exergy(s->w), &m));
  const double *row = cet_twin_workspace_unit_exergy(s->w);
  size_t d[2] = {nu, CET_EXERGY_TERMS};
  m = (cet_dataset_meta){.units = units,
                         .description = "exergy balance of each unit: in (feed, inlet streams, "
                                        "carriers) = products + residues + destroyed; a sink's "
                                        "inflow leaves as product (market, valorisation) or "
                                        "residue (landfill, export)",
                         .columns = TERMS,
                         .n_columns = CET_EXERGY_TERMS,
                         .dims = "unit,term",
                         .rows = k->unit};
  CET_CALL(cet_result_write_doubles(r, "/simulate/exergy/units", 2, d, row, &m));
  double *eff = malloc((nu + 1) * sizeof *eff);
  CET_CHECK_ALLOC(eff);
  for (size_t u = 0; u < nu; u++) {
    double in = row[u * CET_EXERGY_TERMS + CET_EXERGY_IN];
    eff[u] = in > 0.0 ? row[u * CET_EXERGY_TERMS + CET_EXERGY_PRODUCTS] / in : 0.0;
  }
  m = (cet_dataset_meta){.units = "1",
                         .description = "exergy efficiency of each unit: products / in (0 "
                                        "without input)",
                         .dims = "unit"};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/simulate/exergy/efficiency", 1, &nu, eff, &m));
done:
  free(eff);
  return status;
}

/* /simulate/cash_flow of an economics twin. */
static int write_cash_flow(const cet_drv_simulation *s, cet_result *r) {
  cet_dcf_table *tab = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_twin_cash_table_create(s->twin, &tab));
  CET_CALL_GOTO(status, done, cet_twin_workspace_cash_table(s->w, tab));
  long npv = cet_twin_metric_find(s->twin, CET_METRIC_NPV);
  CET_CALL_GOTO(
      status, done,
      cet_drv_cash_flow_write(r, "/simulate", tab, cet_twin_metric_units(s->twin, (size_t)npv)));
done:
  cet_twin_cash_table_destroy(&tab);
  return status;
}

/* "2 feeds, 5 processes, ..." into buf[len]: the count of every kind that
 * has the flag structural (CET_UNIT_KIND_STRUCTURAL) or not, but a kind
 * counted only when present (CET_UNIT_KIND_OPTIONAL) that has none; returns
 * how many units that counts. */
static size_t kind_counts(const size_t *count, int structural, char *buf, size_t len) {
  size_t at = 0, n = 0;
  buf[0] = '\0';
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_unit_kind_info *info = cet_unit_kind_describe((cet_unit_kind)k);
    if (!(info->flags & CET_UNIT_KIND_STRUCTURAL) != !structural ||
        ((info->flags & CET_UNIT_KIND_OPTIONAL) && count[k] == 0)) {
      continue;
    }
    n += count[k];
    if (at < len) {
      at += (size_t)snprintf(buf + at, len - at, "%s%zu %s", at ? ", " : "", count[k],
                             count[k] != 1 ? info->plural : info->label);
    }
  }
  return n;
}

/* The header of the summary: the case and the twin's structure. */
static void print_header(const cet_drv_simulation *s, FILE *out) {
  const cet_twin *t = s->twin;
  const size_t *count = s->diagnostics.units;
  char loops[REPORT_LIST_LEN], comps[REPORT_LIST_LEN], kinds[REPORT_LIST_LEN];
  char structural[REPORT_LIST_LEN];
  loops_text(t, loops, sizeof loops);
  cet_names_join(cet_twin_components(t), comps, sizeof comps);
  fprintf(out, "cetwin simulate: %s\n", s->c->name);
  if (s->c->description[0]) {
    fprintf(out, "%s\n", s->c->description);
  }
  if (cet_twin_unit_count(t) == 0) {
    fprintf(out,
            "economics only: %zu years of cash flow from %d, %zu price series; %zu "
            "parameters, %zu metrics\n",
            cet_twin_year_count(t), cet_twin_start_year(t), cet_twin_price_count(t),
            cet_twin_parameter_count(t), cet_twin_metric_count(t));
    return;
  }
  kind_counts(count, 0, kinds, sizeof kinds);
  fprintf(out, "network: %zu units (%s), %zu streams, %zu recycle loop%s%s%s\n",
          cet_twin_unit_count(t), kinds, cet_twin_edge_count(t), cet_twin_loop_count(t),
          cet_twin_loop_count(t) != 1 ? "s" : "", loops[0] ? ": " : "", loops);
  if (kind_counts(count, 1, structural, sizeof structural) > 0) {
    fprintf(out, "structural units: %s\n", structural);
  }
  fprintf(out, "components: %s; flows in %s; %zu parameters, %zu metrics\n", comps,
          cet_twin_flow_units(t), cet_twin_parameter_count(t), cet_twin_metric_count(t));
}

int cet_drv_simulate_print(const cet_drv_simulation *s, FILE *out) {
  const cet_twin *t = s->twin;
  print_header(s, out);
  columns k = {0};
  cet_dcf_table *cash = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, fill_units(t, &k));
  CET_CALL_GOTO(status, done, fill_edges(t, cet_twin_workspace_edge_flows(s->w), &k));
  CET_CALL_GOTO(status, done, fill_names(t, &k));
  if (cet_twin_has_economics(t)) {
    CET_CALL_GOTO(status, done, cet_twin_cash_table_create(t, &cash));
    CET_CALL_GOTO(status, done, cet_twin_workspace_cash_table(s->w, cash));
  }
  const cet_names *cn = cet_twin_components(t);
  long npv = cet_twin_metric_find(t, CET_METRIC_NPV);
  cet_drv_simulate_view v = {.n_metrics = cet_twin_metric_count(t),
                             .metric = k.metric,
                             .metric_units = k.metric_units,
                             .metric_share = k.metric_share,
                             .metric_family = k.metric_family,
                             .value = s->metrics,
                             .cash = cash,
                             .currency = npv >= 0 ? cet_twin_metric_units(t, (size_t)npv) : "",
                             .n_units = cet_twin_unit_count(t),
                             .n_components = cn->n,
                             .n_streams = cet_twin_edge_count(t),
                             .flow_units = cet_twin_flow_units(t),
                             .unit = k.unit,
                             .type = k.type,
                             .sink_kind = k.sink,
                             .component = (const char *const *)cn->name,
                             .inflow = cet_twin_workspace_unit_inflow(s->w),
                             .closure = cet_twin_workspace_closure(s->w),
                             .stream_from = k.edge_from,
                             .stream_outlet = k.edge_outlet,
                             .stream_to = k.edge_to,
                             .flow = cet_twin_workspace_edge_flows(s->w),
                             .exergy = cet_twin_has_exergy(t) ? cet_twin_workspace_unit_exergy(s->w)
                                                              : NULL};
  cet_drv_simulate_view_print(&v, out);
  cet_drv_warn_closure("simulate", t, &s->diagnostics);
done:
  cet_twin_cash_table_destroy(&cash);
  columns_free(&k, cet_twin_edge_count(t), cet_twin_loop_count(t));
  return status;
}

int cet_drv_simulate_write(const cet_drv_simulation *s, cet_result *r) {
  const cet_twin *t = s->twin;
  const int network = cet_twin_unit_count(t) > 0;
  columns k = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, fill_units(t, &k));
  CET_CALL_GOTO(status, done, fill_edges(t, cet_twin_workspace_edge_flows(s->w), &k));
  CET_CALL_GOTO(status, done, fill_names(t, &k));
  if (network) {
    CET_CALL_GOTO(status, done, write_structure(s, &k, r));
    CET_CALL_GOTO(status, done, write_flows(s, &k, r));
  }
  CET_CALL_GOTO(status, done, write_tables(s, &k, r));
  if (network) {
    CET_CALL_GOTO(status, done, write_feeds(s, r));
    CET_CALL_GOTO(status, done, write_attributes(s, r));
  }
  if (network && cet_twin_has_exergy(t)) {
    CET_CALL_GOTO(status, done, write_exergy(s, &k, r));
  }
  if (cet_twin_has_economics(t)) {
    CET_CALL_GOTO(status, done, write_cash_flow(s, r));
  }
done:
  columns_free(&k, cet_twin_edge_count(t), cet_twin_loop_count(t));
  return status;
}
