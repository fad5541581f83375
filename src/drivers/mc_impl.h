/*
 * mc_impl.h — the pieces of the Monte Carlo driver (private to
 * src/drivers): the description of the uncertain variables
 * (mc_variables.c; the robust optimisation shares it), the summaries of the
 * metrics and their file layout, shared by the driver (mc.c) and `cetwin
 * merge` (mc_merge.c) (mc_report.c), the UNFC rating (mc_unfc.c) and the
 * deterministic scenarios (scenarios.c).
 */
#ifndef CETWIN_MC_IMPL_H
#define CETWIN_MC_IMPL_H

#include "cetwin/case.h"
#include "cetwin/mc.h"
#include "cetwin/result.h"
#include "cetwin/stats.h"
#include "cetwin/twin.h"
#include "cetwin/unfc.h"

#include <stdint.h>
#include <stdio.h>

/* ---- uncertain variables described (mc_variables.c) ---- */

/* Prints one line per uncertain variable of u[0 .. n - 1]: the parameter's
 * distribution (mean, sd), or the price series drawn together. */
void cet_drv_mc_print_uncertain(FILE *out, const cet_uncertain *u, size_t n);

/* Writes GROUP/variables/path, kind (the uncertain parameters) and prices
 * (the drawn series, in the sampler's order) of u[0 .. n - 1]. */
int cet_drv_mc_write_variables(cet_result *r, const char *group, const cet_uncertain *u, size_t n);

/* ---- summaries (mc_report.c) ---- */

/* Statistics of one metric over the draws. */
typedef struct {
  cet_stats_moments moments; /* exact sums of the finite values */
  uint64_t n_undefined;      /* draws where the metric was NaN (no IRR, no payback) */
  cet_stats_summary s;       /* derived; quantiles NaN without values */
  double q_pessimistic;      /* quantile at the UNFC pessimistic probability */
} cet_drv_mc_metric_summary;

/* A run's (or merged shards') summary. */
typedef struct {
  size_t n_metrics;
  char **names, **units; /* owned */
  long long *share;      /* owned, [n_metrics] 1: a share (cet_twin_metric_is_share) */
  cet_drv_mc_metric_summary *m;
  uint64_t draws_requested, draws_done, first_draw;
  int stopped;        /* 1 when the stopping rule ended the run early */
  double seconds;     /* wall time of the draws (rank 0) */
  double cpu_seconds; /* CPU time of the draws, summed over the ranks */
  int passes;         /* passes over the draws (2, ...: selection passes of the percentiles) */
} cet_drv_mc_summary;

/* Allocates a summary for n metrics (names, units and share flags copied). */
int cet_drv_mc_summary_create(size_t n, const char *const *names, const char *const *units,
                              const long long *share, cet_drv_mc_summary **out);
void cet_drv_mc_summary_destroy(cet_drv_mc_summary **s);

/* Fills metric k of s from an accumulator (values kept or not) and its
 * count of undefined draws; q is the UNFC pessimistic probability.
 * Sorts the accumulator's values. */
int cet_drv_mc_summary_set(cet_drv_mc_summary *s, size_t k, cet_stats *acc, uint64_t n_undefined,
                           double q);

/* The units of the metric named name in s, or "" when s has none. */
const char *cet_drv_mc_summary_units(const cet_drv_mc_summary *s, const char *name);

/* Reads /mc/summary and the attributes of /mc of a result file back into
 * a summary (`cetwin info`): names, units, share flags (cet_drv_read_shares),
 * the statistics printed and the counts of undefined draws (not the exact
 * sums). */
int cet_drv_mc_summary_read(cet_result_reader *in, cet_drv_mc_summary **out);

/* Prints the line that heads the summary: draws, stopping, times. */
void cet_drv_mc_summary_print_headline(const cet_drv_mc_summary *s, FILE *out);

/* Prints the table of the metrics (quantity.h's convention). */
void cet_drv_mc_summary_print(const cet_drv_mc_summary *s, FILE *out);

/* The per-draw datasets of /mc/draws (a run's and a merge's): index,
 * metrics, inputs, prices; and their descriptions in that order, the
 * metrics' columns named by metric_names (nm of them). */
enum { CET_DRV_MC_DRAWS_DATASETS = 4 };
extern const char *const CET_DRV_MC_DRAWS[CET_DRV_MC_DRAWS_DATASETS];
/* What /mc/draws holds: the recorded metrics (names, units), the uncertain
 * parameters (paths, units) and the units of the drawn prices, one per
 * price and year (any list may be NULL: no units written). */
typedef struct {
  const char *const *metric_names, *const *metric_units;
  size_t nm;
  const char *const *input_names, *const *input_units;
  size_t nv;
  const char *const *price_units;
  size_t n_price_units;
} cet_drv_mc_draws_units;

void cet_drv_mc_draws_meta(const cet_drv_mc_draws_units *u, cet_dataset_meta *meta);

/* Writes /mc/summary (collectively when r is parallel: every rank calls
 * it with the same summary). */
int cet_drv_mc_summary_write(const cet_drv_mc_summary *s, cet_result *r);

/* Reads the exact moments and undefined counts of a result file's
 * /mc/summary into an accumulator per metric (for merging), n metrics (the
 * names in /mc/summary/metrics). Every dataset of /mc/summary but the names
 * and units is checked first: n values each (counts >= 0, at most as many
 * negative values as values; exact sums normalised); CET_ERR_INPUT names
 * the dataset, what was expected and what was found. */
int cet_drv_mc_summary_read_moments(cet_result_reader *in, size_t n, cet_stats_moments *moments,
                                    uint64_t *undefined);

/* ---- UNFC rating (mc_unfc.c) ---- */

enum { CET_DRV_MC_UNFC_NAME_LEN = 128, CET_DRV_MC_UNFC_FACTORS_LEN = 1024 };

/* One rated item: the case (from its draws) or a project (from its
 * scenarios). */
typedef struct {
  char name[CET_DRV_MC_UNFC_NAME_LEN];
  cet_unfc_rating viability, uncertainty, overall;
  double mean_npv, pessimistic_npv, cost_pv;
  char mean_source[CET_DRV_MC_UNFC_NAME_LEN], pessimistic_source[CET_DRV_MC_UNFC_NAME_LEN];
  char factors[CET_DRV_MC_UNFC_FACTORS_LEN]; /* "name rating, ..." */
} cet_drv_mc_rated;

/* Rates the case from a summary: viability from the mean of npv, uncertainty
 * from its quantile at q, scaled by the mean of cost_pv; then the lowest of
 * those and the user-rated factors. */
int cet_drv_mc_unfc_rate_case(const cet_drv_mc_summary *s, const cet_unfc_parameters *par, double q,
                              size_t n_factors, char *const *names, const cet_unfc_rating *factors,
                              cet_drv_mc_rated *out);

/* Prints the ratings; NPVs in currency (the units of npv). */
void cet_drv_mc_unfc_print(const cet_drv_mc_rated *x, size_t n, const cet_unfc_parameters *par,
                           const char *currency, FILE *out);

/* Writes /mc/unfc: the rated items and what the case's rating needs; the
 * NPVs in the units of the metric npv of s. */
int cet_drv_mc_unfc_write(cet_result *r, const cet_drv_mc_rated *x, size_t n,
                          const cet_unfc_parameters *par, double q, size_t n_factors,
                          char *const *names, const cet_unfc_rating *factors,
                          const cet_drv_mc_summary *s);

/* Rates the case and each project of mc (scenario_npv, scenario_cost: NPV
 * and cost present value of each scenario, NaN where none); prints (out
 * may be NULL) and writes /mc/unfc (r may be NULL). Nothing without unfc:. */
int cet_drv_mc_unfc_report(const cet_mc_spec *mc, const cet_drv_mc_summary *s,
                           const double *scenario_npv, const double *scenario_cost, FILE *out,
                           cet_result *r);

/* /mc/unfc read back from a result file (merge). */
typedef struct {
  int given;
  cet_unfc_parameters par;
  double q;
  size_t n_factors;
  char **factor_name;
  cet_unfc_rating *factor;
  size_t n_rated;
  cet_drv_mc_rated *rated;
} cet_drv_mc_unfc_saved;

int cet_drv_mc_unfc_read(cet_result_reader *in, cet_drv_mc_unfc_saved *u);
void cet_drv_mc_unfc_saved_free(cet_drv_mc_unfc_saved *u);

/* ---- deterministic scenarios (scenarios.c) ---- */

/* Evaluates the case's twin at its own values and every scenario of mc;
 * prints (out may be NULL) the comparison with the reference values and
 * writes /mc/deterministic and /mc/scenarios (r may be NULL; collective
 * when parallel); fills npv[k] and cost[k] of each scenario. */
int cet_drv_mc_scenarios_report(const cet_case *c, FILE *out, int verbose, cet_result *r,
                                double *npv, double *cost);

/* One line of the deterministic evaluations: a scenario (or the case
 * itself, named CET_DRV_MC_THE_CASE), its NPV against the reference NPV, IRR,
 * payback, and the largest deviation from its reference values. Filled
 * from a run (scenarios.c) or from a result file (mc_info.c). */
#define CET_DRV_MC_THE_CASE "(the case)"
typedef struct {
  char name[CET_DRV_MC_UNFC_NAME_LEN];
  char currency[CET_DRV_MC_UNFC_NAME_LEN]; /* units of npv */
  double npv, npv_reference, irr, payback; /* NaN: none */
  size_t n_reference;                      /* reference values compared */
  double worst;                            /* deviation of largest magnitude, (x - ref) / |ref| */
  char worst_metric[CET_DRV_MC_UNFC_NAME_LEN];
} cet_drv_mc_scenario_line;

/* Adds a reference value of metric and its deviation to l. */
void cet_drv_mc_scenario_line_note(cet_drv_mc_scenario_line *l, const char *metric,
                                   double reference, double deviation);

/* Prints the lines, one per scenario. */
void cet_drv_mc_scenario_lines_print(const cet_drv_mc_scenario_line *l, size_t n, FILE *out);

#endif /* CETWIN_MC_IMPL_H */
