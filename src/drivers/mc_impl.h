/*
 * mc_impl.h — the pieces of the Monte Carlo driver (private to
 * src/drivers): the sampler that turns a draw index into inputs and
 * metrics (mc_sample.c; the robust optimisation shares it), the description
 * of the uncertain variables (mc_variables.c), the summaries of the metrics and their file
 * layout, shared by the driver (mc.c) and `cetwin merge` (mc_merge.c)
 * (mc_report.c), the UNFC rating (mc_unfc.c) and the deterministic
 * scenarios (scenarios.c).
 */
#ifndef CETWIN_MC_IMPL_H
#define CETWIN_MC_IMPL_H

#include "cetwin/case.h"
#include "cetwin/mc.h"
#include "cetwin/price.h"
#include "cetwin/result.h"
#include "cetwin/stats.h"
#include "cetwin/twin.h"
#include "cetwin/unfc.h"

#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdio.h>

/* ---- sampler (mc_sample.c) ---- */

/* What every draw needs, shared read-only by the threads. */
typedef struct {
  const cet_twin *twin;
  uint64_t seed;
  size_t n_vars; /* uncertain parameters */
  size_t *var_slot;
  uint64_t *var_purpose;
  const cet_distribution **var_dist;
  size_t n_drawn; /* price series drawn as stochastic paths */
  size_t *drawn_series;
  uint64_t drawn_purpose; /* key of the stream of their normals */
  cet_price_set *set;     /* over the drawn series, correlated */
  size_t steps;           /* shock steps of a path */
  size_t ny;              /* years of a path */
  size_t n_metrics;       /* metrics recorded */
  size_t *metric;         /* their indices in the twin */
} mc_sampler;

/* Draws sampled together by a thread (price paths computed across them),
 * and the row length of its draws-innermost arrays: 72 doubles = 9 cache
 * lines, not a multiple of 8, so that the rows of one draw's normals and
 * paths fall into different cache sets (a stride of 64 doubles put them
 * all into 8 of the 64 sets of a 32 KiB L1). */
enum { MC_BATCH = 64, MC_STRIDE = MC_BATCH + 8 };

/* Per-thread scratch of the sampler. */
typedef struct {
  cet_twin_workspace *w;
  double *rec;   /* [MC_BATCH x recorded metrics] */
  double *x;     /* [MC_BATCH x uncertain parameters] a batch's parameter values */
  double *z;     /* [steps x n_drawn][MC_STRIDE] standard normals */
  double *paths; /* [n_drawn x years][MC_STRIDE] price paths */
  cet_price_workspace *pws;
  gsl_rng *rng;
} mc_thread;

/* Builds the sampler of the uncertain variables u[0 .. nu - 1] of twin t,
 * their streams keyed by seed, recording the metrics metric[0 .. nm - 1]
 * (indices in t; copied). CET_ERR_INPUT names an uncertain variable the
 * twin does not know (u[i].where). */
int mc_sampler_create(const cet_twin *t, uint64_t seed, const cet_uncertain *u, size_t nu,
                      const size_t *metric, size_t nm, mc_sampler **out);
void mc_sampler_destroy(mc_sampler **s);

/* A thread's scratch; its workspace draws the sampled price series and
 * computes the recorded metrics only, its parameter buffer holds the
 * twin's own values. */
int mc_thread_create(const mc_sampler *s, mc_thread **out);
void mc_thread_destroy(mc_thread **t);

/* Draws first .. first + count - 1 (count <= MC_BATCH): for each, the
 * uncertain parameters from the streams keyed by (seed, parameter path,
 * draw) and the price paths from the stream keyed by (seed, drawn set,
 * draw), then one evaluation of the twin with every other parameter at the
 * value in t's parameter buffer; writes per draw the recorded metrics
 * (n_metrics each), the parameter values (n_vars each, may be NULL) and the
 * drawn paths (n_drawn x years each, may be NULL). On failure *failed is
 * the draw that failed. Allocation-free. */
int mc_sample(const mc_sampler *s, mc_thread *t, uint64_t first, size_t count, double *metrics,
              double *inputs, double *prices, uint64_t *failed);

/* The inputs of count consecutive draws, drawn once (they depend on the
 * seed, the variables and the draw index only, so draws shared by many
 * evaluations, such as the common random numbers of a robust optimisation,
 * are drawn once): draw first + k's parameter values at inputs[k x n_vars],
 * its price paths at prices[k x n_drawn x years] (series c, year y at
 * c x years + y), the very numbers mc_sample draws. */
typedef struct {
  double *inputs;
  double *prices;
} mc_table;

/* Draws the table of draws first .. first + count - 1 (CET_ERR_MEMORY
 * names the bytes wanted). */
int mc_table_create(const mc_sampler *s, uint64_t first, size_t count, mc_table **out);
void mc_table_destroy(mc_table **tab);

/* Evaluates draws k0 .. k0 + count - 1 of tab as mc_sample evaluates them:
 * writes the recorded metrics (n_metrics per draw). check = 1 first checks
 * every parameter in t's buffer against its range (once: the draws' values
 * lie within their ranges by construction). On failure *failed is the
 * failing draw's position k in tab. Allocation-free. */
int mc_sample_table(const mc_sampler *s, mc_thread *t, const mc_table *tab, size_t k0, size_t count,
                    int check, double *metrics, size_t *failed);

/* ---- uncertain variables described (mc_variables.c) ---- */

/* Prints one line per uncertain variable of u[0 .. n - 1]: the parameter's
 * distribution (mean, sd), or the price series drawn together. */
void mc_print_uncertain(FILE *out, const cet_uncertain *u, size_t n);

/* Writes GROUP/variables/path, kind (the uncertain parameters) and prices
 * (the drawn series, in the sampler's order) of u[0 .. n - 1]. */
int mc_write_variables(cet_result *r, const char *group, const cet_uncertain *u, size_t n);

/* ---- summaries (mc_report.c) ---- */

/* Statistics of one metric over the draws. */
typedef struct {
  cet_stats_moments moments; /* exact sums of the finite values */
  uint64_t n_undefined;      /* draws where the metric was NaN (no IRR, no payback) */
  cet_stats_summary s;       /* derived; quantiles NaN without values */
  double q_pessimistic;      /* quantile at the UNFC pessimistic probability */
} mc_metric_summary;

/* A run's (or merged shards') summary. */
typedef struct {
  size_t n_metrics;
  char **names, **units; /* owned */
  mc_metric_summary *m;
  uint64_t draws_requested, draws_done, first_draw;
  int stopped;        /* 1 when the stopping rule ended the run early */
  double seconds;     /* wall time of the draws (rank 0) */
  double cpu_seconds; /* CPU time of the draws, summed over the ranks */
} mc_summary;

/* Allocates a summary for n metrics (names and units copied). */
int mc_summary_alloc(size_t n, const char *const *names, const char *const *units,
                     mc_summary **out);
void mc_summary_free(mc_summary **s);

/* Fills metric k of s from an accumulator (values kept or not) and its
 * count of undefined draws; q is the UNFC pessimistic probability.
 * Sorts the accumulator's values. */
int mc_summary_set(mc_summary *s, size_t k, cet_stats *acc, uint64_t n_undefined, double q);

/* Prints the table of the metrics. */
void mc_summary_print(const mc_summary *s, FILE *out);

/* The per-draw datasets of /mc/draws (a run's and a merge's): index,
 * metrics, inputs, prices; and their descriptions in that order, the
 * metrics' columns named by metric_names (nm of them). */
enum { MC_DRAWS_DATASETS = 4 };
extern const char *const MC_DRAWS[MC_DRAWS_DATASETS];
void mc_draws_meta(const char *const *metric_names, size_t nm, cet_dataset_meta *meta);

/* Writes /mc/summary (collectively when r is parallel: every rank calls
 * it with the same summary). */
int mc_summary_write(const mc_summary *s, cet_result *r);

/* Reads the exact moments and undefined counts of a result file's
 * /mc/summary into an accumulator per metric (for merging), n metrics (the
 * names in /mc/summary/metrics). Every dataset of /mc/summary but the names
 * and units is checked first: n values each (counts >= 0, at most as many
 * negative values as values; exact sums normalised); CET_ERR_INPUT names
 * the dataset, what was expected and what was found. */
int mc_summary_read_moments(cet_result_reader *in, size_t n, cet_stats_moments *moments,
                            uint64_t *undefined);

/* CET_OK when a dataset read back (rank, dims) has want_rank dimensions of
 * sizes want; otherwise CET_ERR_INPUT "PATH: expected 20 x 8 values (why),
 * found 20 x 7 values". */
int mc_check_shape(const char *path, size_t rank, const size_t *dims, size_t want_rank,
                   const size_t *want, const char *why);

/* ---- UNFC rating (mc_unfc.c) ---- */

enum { MC_UNFC_NAME_LEN = 128, MC_UNFC_FACTORS_LEN = 1024 };

/* One rated item: the case (from its draws) or a project (from its
 * scenarios). */
typedef struct {
  char name[MC_UNFC_NAME_LEN];
  cet_unfc_rating viability, uncertainty, overall;
  double mean_npv, pessimistic_npv, cost_pv;
  char mean_source[MC_UNFC_NAME_LEN], pessimistic_source[MC_UNFC_NAME_LEN];
  char factors[MC_UNFC_FACTORS_LEN]; /* "name rating, ..." */
} mc_rated;

/* Rates the case from a summary: viability from the mean of npv, uncertainty
 * from its quantile at q, scaled by the mean of cost_pv; then the lowest of
 * those and the user-rated factors. */
int mc_unfc_rate_case(const mc_summary *s, const cet_unfc_parameters *par, double q,
                      size_t n_factors, char *const *names, const cet_unfc_rating *factors,
                      mc_rated *out);

void mc_unfc_print(const mc_rated *x, size_t n, const cet_unfc_parameters *par, FILE *out);

/* Writes /mc/unfc: the rated items and what the case's rating needs. */
int mc_unfc_write(cet_result *r, const mc_rated *x, size_t n, const cet_unfc_parameters *par,
                  double q, size_t n_factors, char *const *names, const cet_unfc_rating *factors);

/* Rates the case and each project of mc (scenario_npv, scenario_cost: NPV
 * and cost present value of each scenario, NaN where none); prints (out
 * may be NULL) and writes /mc/unfc (r may be NULL). Nothing without unfc:. */
int mc_unfc_report(const cet_mc_spec *mc, const mc_summary *s, const double *scenario_npv,
                   const double *scenario_cost, FILE *out, cet_result *r);

/* /mc/unfc read back from a result file (merge). */
typedef struct {
  int given;
  cet_unfc_parameters par;
  double q;
  size_t n_factors;
  char **factor_name;
  cet_unfc_rating *factor;
  size_t n_rated;
  mc_rated *rated;
} mc_unfc_saved;

int mc_unfc_read(cet_result_reader *in, mc_unfc_saved *u);
void mc_unfc_saved_free(mc_unfc_saved *u);

/* ---- deterministic scenarios (scenarios.c) ---- */

/* Evaluates the case's twin at its own values and every scenario of mc;
 * prints (out may be NULL) the comparison with the reference values and
 * writes /mc/deterministic and /mc/scenarios (r may be NULL; collective
 * when parallel); fills npv[k] and cost[k] of each scenario. */
int mc_scenarios_report(const cet_case *c, FILE *out, cet_result *r, double *npv, double *cost);

#endif /* CETWIN_MC_IMPL_H */
