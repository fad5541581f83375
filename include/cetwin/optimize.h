/*
 * optimize.h — the multi-objective optimisation problem of a case
 * (DESIGN.md §1): design variables bound by key path to parameters of the
 * twin, objectives and constraints on named metrics of the twin, and the
 * settings of NSGA-II, its islands, the hypervolume history, checkpoints and
 * TOPSIS. The config reader fills a cet_optimize_spec (`design:`,
 * `objectives:`, `constraints:`, `optimize:`); cet_optimize_problem turns it
 * into the callbacks of the multi-objective library (nsga2.h).
 *
 * Objectives are given in their natural sense; the problem hands NSGA-II
 * minimised values (a maximised metric is negated). A constraint
 * {metric, min, max} becomes g = max(min - value, value - max) <= 0, in the
 * metric's units. Design variables of one `sum_to_one` group are divided by
 * their sum before every evaluation (all equal when every one of them is 0),
 * so the genes NSGA-II keeps are the rates the twin sees.
 *
 * Robust optimisation (`robust:` with `uncertain:`, the syntax and sampler
 * of analysis: mc): an objective or constraint takes a statistic of its
 * metric over K Monte Carlo draws of the uncertain variables (the mean by
 * default, or sd, p5, ..., stats.h), or its value in one evaluation at the
 * case's own values (`nominal`). The draws are common random numbers: draw
 * k is keyed by (seed, variable, first_draw + k) only, so every design of
 * every island and generation meets the same K draws, drawn once per run.
 *
 * Nothing here is collective.
 */
#ifndef CETWIN_OPTIMIZE_H
#define CETWIN_OPTIMIZE_H

#include "cetwin/islands.h"
#include "cetwin/mc.h"
#include "cetwin/nsga2.h"
#include "cetwin/stats.h"
#include "cetwin/topsis.h"
#include "cetwin/twin.h"

#include <stddef.h>
#include <stdint.h>

/* No sum-to-one group. */
#define CET_OPTIMIZE_NO_GROUP ((size_t)-1)

typedef struct {
  char *path;   /* the twin parameter's key path */
  double lower; /* bounds, within the parameter's valid range */
  double upper;
  int integer;       /* 1: integral values only */
  double zero_below; /* operators set |x| < zero_below to exactly 0 (0 = off) */
  size_t group;      /* sum-to-one group, or CET_OPTIMIZE_NO_GROUP */
} cet_design_variable;

typedef enum { CET_SENSE_MINIMIZE = 0, CET_SENSE_MAXIMIZE = 1 } cet_sense;

/* "minimize" or "maximize". */
const char *cet_sense_name(cet_sense s);

/* What an objective or constraint takes of its metric: a statistic over
 * the draws of a robust case (a cet_stat), or CET_OPTIMIZE_NOMINAL, the
 * value of one evaluation at the case's own values (every objective of a
 * case without robust:). */
#define CET_OPTIMIZE_NOMINAL (-1)

/* "nominal", or the statistic's name (cet_stat_name). */
const char *cet_optimize_statistic_name(int statistic);

typedef struct {
  char *metric; /* name of a twin metric */
  size_t index; /* its position in the metric vector */
  cet_sense sense;
  int statistic; /* a cet_stat, or CET_OPTIMIZE_NOMINAL */
} cet_objective;

typedef struct {
  char *metric;
  size_t index;
  double min;    /* -INFINITY when absent */
  double max;    /* +INFINITY when absent */
  int statistic; /* a cet_stat, or CET_OPTIMIZE_NOMINAL */
} cet_constraint;

/* Defaults and limits of `robust:`. */
enum { CET_ROBUST_MAX_DRAWS = 10000000 };

/* Robust optimisation: the uncertain variables and their draws. */
typedef struct {
  uint64_t draws;           /* K draws per design; 0: not a robust case */
  uint64_t seed;            /* key of the draws' streams (default: the case's seed) */
  uint64_t first_draw;      /* the draws are first_draw .. first_draw + K - 1 (default 0) */
  size_t n_uncertain;       /* `uncertain:` as analysis: mc reads it */
  cet_uncertain *uncertain; /* owned */
} cet_robust_spec;

typedef struct {
  size_t n_design;
  cet_design_variable *design;
  size_t n_groups; /* sum-to-one groups; group g holds the variables with .group == g */
  size_t n_obj;
  cet_objective *objective;
  size_t n_con;
  cet_constraint *constraint;
  cet_robust_spec robust;

  cet_nsga2_parameters nsga2;     /* .seed is the case's seed */
  cet_islands_parameters islands; /* custom topology arrays point into the two below */
  char *islands_where;            /* "FILE:LINE:COL: optimize.islands", for run-time checks */
  size_t *topology_offset;        /* custom topology: islands + 1 offsets, else NULL */
  size_t *topology_sources;

  /* Hypervolume reference point in the objectives' natural units (n_obj
   * values), or NULL: then the worst value of each objective over the
   * initial populations of all islands, moved out by reference_margin of
   * that population's range. */
  double *reference_point;
  double reference_margin; /* 0.1 */

  /* 1: individual 0 of every island's initial population is the design the
   * case file itself describes (each design parameter's own value, values
   * below zero_below as 0), so the front holds it or something dominating
   * it. 0 (default): every initial individual is random. */
  int include_case_design;
  double *case_design; /* with include_case_design: those n_design values, else NULL */

  uint64_t checkpoint_interval; /* generations between checkpoints; 0 = only on a signal */
  char *checkpoint_file;        /* NULL: the result file's name with .checkpoint.h5 */

  cet_topsis_normalization topsis_normalization; /* vector */
  double *topsis_weights;                        /* n_obj weights, NULL = equal */
  size_t report_top;                             /* TOPSIS points printed (10) */
} cet_optimize_spec;

/* Frees *spec and everything it holds (NULL allowed) and sets it NULL. */
void cet_optimize_spec_destroy(cet_optimize_spec **spec);

/* ---- the problem seen by NSGA-II ---- */

typedef struct cet_optimize_problem cet_optimize_problem;

/* Builds the problem for twin t and spec (both must outlive it), with one
 * twin workspace per OpenMP thread for `threads` threads (>= 1); the
 * evaluation callback runs that many threads. Fails (CET_ERR_INPUT) when a
 * path or metric is unknown to t or a genome rule is broken (bounds,
 * zero_below, integer bounds).
 *
 * A robust problem also draws its K draws once (they do not depend on the
 * design): 8 K (V + P Y) bytes for V uncertain parameters and P price
 * series of Y years; and keeps 8 N K U bytes of metric values for a
 * population of N and U metrics summarised, plus per thread a twin
 * workspace and 16 K bytes of sort scratch (CET_ERR_MEMORY names the
 * bytes). The threads share each batch of designs as (design, block of 64
 * draws) tasks; every value lands at its own place and the statistics are
 * taken per design in draw order, so the values do not depend on the
 * thread count. */
int cet_optimize_problem_create(const cet_twin *t, const cet_optimize_spec *spec, int threads,
                                cet_optimize_problem **out);

void cet_optimize_problem_destroy(cet_optimize_problem **p);

/* The callbacks and genome for nsga2.h/islands.h (owned by p). */
const cet_moo_problem *cet_optimize_problem_moo(const cet_optimize_problem *p);

/* Evaluates the design x (after the repair, n_design genes) on the
 * calling thread: metrics (cet_twin_metric_count values, may be NULL; of a
 * robust problem: at the case's own values of the uncertain variables, as
 * nominal objectives see them), stats (may be NULL; of a robust problem
 * only, else CET_ERR_INPUT: every statistic of every summarised metric
 * over the draws, stats[u * CET_STAT_COUNT + s] statistic s (cet_stat) of
 * metric u), f (n_obj, minimised) and g (n_con, may be NULL when n_con =
 * 0). */
int cet_optimize_problem_evaluate_one(cet_optimize_problem *p, const double *x, double *metrics,
                                      double *stats, double *f, double *g);

/* Metrics a robust problem summarises over its draws (those of its
 * objectives and constraints with a statistic, in order of first use; 0
 * for a problem that is not robust), and the twin index of the u-th. */
size_t cet_optimize_problem_summarised(const cet_optimize_problem *p);
size_t cet_optimize_problem_summarised_metric(const cet_optimize_problem *p, size_t u);

/* Natural value of objective j from its minimised value. */
double cet_optimize_natural(const cet_optimize_spec *spec, size_t j, double minimised);

#endif /* CETWIN_OPTIMIZE_H */
