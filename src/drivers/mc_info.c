/*
 * mc_info.c — `cetwin info` of a Monte Carlo result (drivers.h): the
 * deterministic evaluations (one line per scenario), the summary of the
 * metrics and the UNFC rating, read from the file into the structures the
 * run prints (mc_impl.h), and the price models the draws came from.
 */
#include "cetwin/economics.h"
#include "cetwin/drivers.h"

#include "mc_impl.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MC_INFO_PATH_LEN = 512 };

/* The line of the evaluation in group (metrics, and its reference values
 * when it has them). */
static int read_line(cet_result_reader *in, const char *group, const char *name,
                     cet_drv_mc_scenario_line *l) {
  char path[MC_INFO_PATH_LEN];
  char **names = NULL, **units = NULL, **refs = NULL;
  size_t n = 0, nu = 0, nr = 0, rank = 0, dims[3] = {0};
  double *value = NULL, *ref = NULL, *dev = NULL;
  *l = (cet_drv_mc_scenario_line){
      .npv = NAN, .npv_reference = NAN, .irr = NAN, .payback = NAN, .worst = NAN};
  snprintf(l->name, sizeof l->name, "%s", name);
  snprintf(path, sizeof path, "%s/metrics/name", group);
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &n, &names));
  snprintf(path, sizeof path, "%s/metrics/units", group);
  CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &nu, &units));
  snprintf(path, sizeof path, "%s/metrics/value", group);
  CET_CALL_GOTO(status, cleanup, cet_result_read_doubles(in, path, &rank, dims, &value));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_check_shape(path, rank, dims, 1, &n, "one per name in metrics/name"));
  for (size_t i = 0; i < n && i < nu; i++) {
    if (strcmp(names[i], CET_METRIC_NPV) == 0) {
      l->npv = value[i];
      snprintf(l->currency, sizeof l->currency, "%s", units[i]);
    }
    l->irr = strcmp(names[i], CET_METRIC_IRR) == 0 ? value[i] : l->irr;
    l->payback = strcmp(names[i], CET_METRIC_PAYBACK) == 0 ? value[i] : l->payback;
  }
  snprintf(path, sizeof path, "%s/reference/metric", group);
  if (cet_result_has(in, path)) {
    CET_CALL_GOTO(status, cleanup, cet_result_read_strings(in, path, &nr, &refs));
    snprintf(path, sizeof path, "%s/reference/value", group);
    CET_CALL_GOTO(status, cleanup, cet_result_read_doubles(in, path, &rank, dims, &ref));
    CET_CALL_GOTO(status, cleanup,
                  cet_drv_check_shape(path, rank, dims, 1, &nr, "one per reference/metric"));
    snprintf(path, sizeof path, "%s/reference/deviation", group);
    CET_CALL_GOTO(status, cleanup, cet_result_read_doubles(in, path, &rank, dims, &dev));
    CET_CALL_GOTO(status, cleanup,
                  cet_drv_check_shape(path, rank, dims, 1, &nr, "one per reference/metric"));
    for (size_t i = 0; i < nr; i++) {
      cet_drv_mc_scenario_line_note(l, refs[i], ref[i], dev[i]);
    }
  }
cleanup:
  cet_free_strings(names, n);
  cet_free_strings(units, nu);
  cet_free_strings(refs, nr);
  free(value);
  free(ref);
  free(dev);
  return status;
}

/* The deterministic evaluations: one line per scenario, then the case. */
static int print_scenarios(cet_result_reader *in, FILE *out) {
  if (!cet_result_has(in, "/mc/deterministic/metrics")) {
    return CET_OK;
  }
  char **names = NULL;
  size_t n = 0;
  if (cet_result_has(in, "/mc/scenarios/names")) {
    CET_CALL(cet_result_read_strings(in, "/mc/scenarios/names", &n, &names));
  }
  cet_drv_mc_scenario_line *l = calloc(n + 1, sizeof *l);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, l);
  for (size_t k = 0; k < n; k++) {
    char group[MC_INFO_PATH_LEN];
    snprintf(group, sizeof group, "/mc/scenarios/%s", names[k]);
    CET_CALL_GOTO(status, cleanup, read_line(in, group, names[k], &l[k]));
  }
  CET_CALL_GOTO(status, cleanup, read_line(in, "/mc/deterministic", CET_DRV_MC_THE_CASE, &l[n]));
  if (!isnan(l[n].npv)) {
    fprintf(out, "\nDeterministic evaluations (each at its own values, prices at the scenario's "
                 "forecast); every reference value in /mc/scenarios/NAME/reference");
    cet_drv_mc_scenario_lines_print(l, n + 1, out);
  }
cleanup:
  free(l);
  cet_free_strings(names, n);
  return status;
}

int cet_info_mc(cet_result_reader *in, int verbose, FILE *out) {
  cet_drv_mc_summary *s = NULL;
  cet_drv_mc_unfc_saved u = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, print_scenarios(in, out));
  CET_CALL_GOTO(status, cleanup, cet_drv_mc_summary_read(in, &s));
  cet_drv_mc_summary_print_headline(s, out);
  cet_drv_mc_summary_print(s, out);
  CET_CALL_GOTO(status, cleanup, cet_drv_mc_unfc_read(in, &u));
  if (u.given) {
    cet_drv_mc_unfc_print(u.rated, u.n_rated, &u.par, cet_drv_mc_summary_units(s, CET_METRIC_NPV),
                          out);
  }
cleanup:
  (void)verbose;
  cet_drv_mc_unfc_saved_free(&u);
  cet_drv_mc_summary_destroy(&s);
  return status;
}
