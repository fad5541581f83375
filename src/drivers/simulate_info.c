/*
 * simulate_info.c — `cetwin info` of a simulate result (drivers.h): the
 * /simulate datasets read into the views the run prints
 * (simulate_report.h), so that the tables come out as the run printed
 * them.
 */
#include "cetwin/drivers.h"

#include "shards.h"
#include "simulate_report.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { INFO_PATH_LEN = 256, INFO_LIST_LEN = 128 };

/* What was read of /simulate (every array allocated). */
typedef struct {
  char **metric, **metric_units, **unit, **type, **sink, **component, **from, **outlet, **to;
  char **group, **choice, **processes, **verdict;
  size_t nm, nu, nc, ne, ng, ny, nk;
  double *value, *inflow, *closure, *flow, *exergy;
  double *group_discounted, *group_yearly, *net_yearly, *cumulative;
  long long *chain, *chains, *share;
  cet_twin_metric_family *family;
  char *flow_units, *currency;
} sim_read;

static void sim_read_free(sim_read *r) {
  char **lists[] = {r->metric,    r->metric_units, r->unit,   r->type, r->sink,
                    r->component, r->from,         r->outlet, r->to,   r->group,
                    r->choice,    r->processes,    r->verdict};
  size_t counts[] = {r->nm, r->nm, r->nu, r->nu, r->nu, r->nc, r->ne,
                     r->ne, r->ne, r->ng, r->nk, r->nk, r->nk};
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    cet_free_strings(lists[i], counts[i]);
  }
  double *arrays[] = {r->value,        r->inflow,     r->closure,
                      r->flow,         r->exergy,     r->group_discounted,
                      r->group_yearly, r->net_yearly, r->cumulative};
  for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
    free(arrays[i]);
  }
  free(r->chain);
  free(r->share);
  free(r->family);
  free(r->chains);
  free(r->flow_units);
  free(r->currency);
}

/* The doubles at path, rows x cols of them (cols 0: a vector). */
static int read_table(cet_result_reader *in, const char *path, size_t rows, size_t cols,
                      const char *why, double **v) {
  size_t want[2] = {rows, cols};
  return cet_drv_read_shaped(in, path, CET_RESULT_DOUBLE, cols ? 2 : 1, want, why, (void **)v);
}

/* The family of metric name in a file written before the file recorded
 * the families (/simulate/metrics/family): the naming rule by which the
 * runs that wrote such files chose their key metrics (docs/hdf5-schema.md),
 * so that `cetwin info` prints them as those runs did. The Python and R
 * readers apply the same rule (scripts/python/cetwin/simulate.py,
 * scripts/R/cetwin/R/mc.R): a change here goes there too. */
static cet_twin_metric_family legacy_family(const char *name) {
  static const struct {
    const char *pattern;
    cet_twin_metric_family family;
  } RULE[] = {
      {"mass.*", CET_METRIC_FAMILY_DETAIL},       {"production.*", CET_METRIC_FAMILY_DETAIL},
      {"recovery.*.*", CET_METRIC_FAMILY_DETAIL}, {"exergy.*.*", CET_METRIC_FAMILY_UNIT},
      {"export.*.*", CET_METRIC_FAMILY_DETAIL},   {"cash.*", CET_METRIC_FAMILY_CASH_FLOW},
      {"dcf.*", CET_METRIC_FAMILY_CASH_FLOW}};
  for (size_t i = 0; i < sizeof RULE / sizeof RULE[0]; i++) {
    if (cet_str_glob(RULE[i].pattern, name)) {
      return RULE[i].family;
    }
  }
  return CET_METRIC_FAMILY_HEADLINE;
}

/* r->family from /simulate/metrics/family (one per metric: why), or by
 * legacy_family in a file without it. */
static int read_families(cet_result_reader *in, sim_read *r, const char *why) {
  const char *path = "/simulate/metrics/family";
  char **name = NULL;
  size_t n = 0;
  int status = CET_OK;
  r->family = malloc((r->nm + 1) * sizeof *r->family);
  CET_CHECK_ALLOC(r->family);
  if (!cet_result_has(in, path)) {
    for (size_t i = 0; i < r->nm; i++) {
      r->family[i] = legacy_family(r->metric[i]);
    }
    return CET_OK;
  }
  const char *known[CET_METRIC_FAMILY_COUNT];
  for (int k = 0; k < CET_METRIC_FAMILY_COUNT; k++) {
    known[k] = cet_twin_metric_family_name((cet_twin_metric_family)k);
  }
  char list[INFO_LIST_LEN];
  cet_str_join(list, sizeof list, known, CET_METRIC_FAMILY_COUNT, ", ");
  CET_CALL_GOTO(status, done, cet_drv_read_names(in, path, r->nm, why, &n, &name));
  for (size_t i = 0; i < r->nm; i++) {
    int f = cet_twin_metric_family_find(name[i]);
    CET_CHECK_GOTO(status, done, f >= 0, CET_ERR_INPUT,
                   "%s: metric '%s' has the family '%s'; expected one of %s", path, r->metric[i],
                   name[i], list);
    r->family[i] = (cet_twin_metric_family)f;
  }
done:
  cet_free_strings(name, n);
  return status;
}

static int read_metrics(cet_result_reader *in, sim_read *r) {
  const char *why = "one per name in /simulate/metrics/name";
  size_t n = 0;
  CET_CALL(cet_drv_read_names(in, "/simulate/metrics/name", SIZE_MAX, "", &r->nm, &r->metric));
  CET_CALL(cet_drv_read_names(in, "/simulate/metrics/units", r->nm, why, &n, &r->metric_units));
  CET_CALL(read_table(in, "/simulate/metrics/value", r->nm, 0, why, &r->value));
  CET_CALL(read_families(in, r, why));
  return cet_drv_read_shares(in, "/simulate/metrics/share", r->nm,
                             (const char *const *)r->metric_units, why, &r->share);
}

static int read_network(cet_result_reader *in, sim_read *r) {
  const char *per_unit = "one per unit in /simulate/units/name";
  const char *per_stream = "one per stream in /simulate/streams/name";
  const char *by_comp = "one row per unit, one column per component";
  size_t n = 0;
  CET_CALL(cet_result_read_attr_string(in, "/simulate", "flow_units", &r->flow_units));
  CET_CALL(cet_drv_read_names(in, "/simulate/components", SIZE_MAX, "", &r->nc, &r->component));
  CET_CALL(cet_drv_read_names(in, "/simulate/units/name", SIZE_MAX, "", &r->nu, &r->unit));
  CET_CALL(cet_drv_read_names(in, "/simulate/units/type", r->nu, per_unit, &n, &r->type));
  CET_CALL(cet_drv_read_names(in, "/simulate/units/sink_kind", r->nu, per_unit, &n, &r->sink));
  CET_CALL(cet_drv_read_names(in, "/simulate/streams/from", SIZE_MAX, "", &r->ne, &r->from));
  CET_CALL(cet_drv_read_names(in, "/simulate/streams/outlet", r->ne, per_stream, &n, &r->outlet));
  CET_CALL(cet_drv_read_names(in, "/simulate/streams/to", r->ne, per_stream, &n, &r->to));
  CET_CALL(read_table(in, "/simulate/balance/inflow", r->nu, r->nc, by_comp, &r->inflow));
  CET_CALL(read_table(in, "/simulate/balance/closure", r->nu, r->nc, by_comp, &r->closure));
  CET_CALL(read_table(in, "/simulate/streams/flow", r->ne, r->nc,
                      "one row per stream, one column per component", &r->flow));
  if (cet_result_has(in, "/simulate/exergy/units")) {
    CET_CALL(read_table(in, "/simulate/exergy/units", r->nu, CET_EXERGY_TERMS,
                        "one row per unit: in, products, residues, destroyed", &r->exergy));
  }
  return CET_OK;
}

static int read_cash(cet_result_reader *in, sim_read *r) {
  const char *per_year = "one per year in /simulate/cash_flow/net_yearly";
  size_t rank = 0, dims[3] = {0};
  CET_CALL(
      cet_result_read_attr_string(in, "/simulate/cash_flow/net_yearly", "units", &r->currency));
  CET_CALL(
      cet_result_read_doubles(in, "/simulate/cash_flow/net_yearly", &rank, dims, &r->net_yearly));
  r->ny = dims[0];
  CET_CALL(
      cet_drv_check_shape("/simulate/cash_flow/net_yearly", rank, dims, 1, &r->ny, "a year axis"));
  CET_CHECK(r->ny > 0, CET_ERR_INPUT, "/simulate/cash_flow/net_yearly: no years");
  CET_CALL(read_table(in, "/simulate/cash_flow/cumulative_discounted", r->ny, 0, per_year,
                      &r->cumulative));
  CET_CALL(cet_drv_read_names(in, "/simulate/cash_flow/groups", SIZE_MAX, "", &r->ng, &r->group));
  CET_CALL(read_table(in, "/simulate/cash_flow/group_discounted", r->ng, 0,
                      "one per group in /simulate/cash_flow/groups", &r->group_discounted));
  return read_table(in, "/simulate/cash_flow/group_yearly", r->ng, r->ny,
                    "one row per group, one column per year", &r->group_yearly);
}

static int read_choices(cet_result_reader *in, sim_read *r) {
  const char *why = "one per unit in /simulate/choices/unit";
  size_t n = 0;
  CET_CALL(cet_drv_read_names(in, "/simulate/choices/unit", SIZE_MAX, "", &r->nk, &r->choice));
  CET_CALL(cet_drv_read_names(in, "/simulate/choices/processes", r->nk, why, &n, &r->processes));
  CET_CALL(cet_drv_read_names(in, "/simulate/choices/verdict", r->nk, why, &n, &r->verdict));
  CET_CALL(cet_drv_read_shaped(in, "/simulate/choices/chain", CET_RESULT_INT64, 1, &r->nk, why,
                               (void **)&r->chain));
  return cet_drv_read_shaped(in, "/simulate/choices/chains", CET_RESULT_INT64, 1, &r->nk, why,
                             (void **)&r->chains);
}

static int read_all(cet_result_reader *in, sim_read *r) {
  CET_CALL(read_metrics(in, r));
  if (cet_result_has(in, "/simulate/units/name")) {
    CET_CALL(read_network(in, r));
  }
  if (cet_result_has(in, "/simulate/cash_flow/net_yearly")) {
    CET_CALL(read_cash(in, r));
  }
  if (cet_result_has(in, "/simulate/choices/verdict")) {
    CET_CALL(read_choices(in, r));
  }
  return CET_OK;
}

int cet_info_simulate(cet_result_reader *in, int verbose, FILE *out) {
  (void)verbose;
  sim_read r = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_all(in, &r));
  cet_dcf_table cash = {.n_years = r.ny,
                        .n_groups = r.ng,
                        .group_name = (const char *const *)r.group,
                        .group_yearly = r.group_yearly,
                        .group_discounted = r.group_discounted,
                        .net_yearly = r.net_yearly,
                        .npv = r.ny ? r.cumulative[r.ny - 1] : 0.0};
  cet_drv_simulate_view v = {.n_metrics = r.nm,
                             .metric = (const char *const *)r.metric,
                             .metric_units = (const char *const *)r.metric_units,
                             .metric_share = r.share,
                             .metric_family = r.family,
                             .value = r.value,
                             .cash = r.net_yearly ? &cash : NULL,
                             .currency = r.currency,
                             .n_units = r.nu,
                             .n_components = r.nc,
                             .n_streams = r.ne,
                             .flow_units = r.flow_units,
                             .unit = (const char *const *)r.unit,
                             .type = (const char *const *)r.type,
                             .sink_kind = (const char *const *)r.sink,
                             .component = (const char *const *)r.component,
                             .inflow = r.inflow,
                             .closure = r.closure,
                             .stream_from = (const char *const *)r.from,
                             .stream_outlet = (const char *const *)r.outlet,
                             .stream_to = (const char *const *)r.to,
                             .flow = r.flow,
                             .exergy = r.exergy};
  cet_drv_simulate_view_print(&v, out);
  cet_drv_choices_view choices = {.n = r.nk,
                                  .unit = (const char *const *)r.choice,
                                  .processes = (const char *const *)r.processes,
                                  .verdict = (const char *const *)r.verdict,
                                  .chain = r.chain,
                                  .chains = r.chains};
  cet_drv_choices_view_print(&choices, out);
done:
  sim_read_free(&r);
  return status;
}
