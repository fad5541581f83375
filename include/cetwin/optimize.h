/*
 * optimize.h — the multi-objective optimisation problem of a case: the
 * case's cet_optimize_spec (optimize_spec.h: design variables bound by key
 * path to parameters of the twin, objectives and constraints on named
 * metrics) turned into the callbacks of the multi-objective library
 * (nsga2.h).
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

#include "cetwin/nsga2.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/twin.h"

#include <stddef.h>
#include <stdint.h>

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

/* After cet_optimize_problem_evaluate_one with metrics: idle[j] = 1 for
 * each design variable j whose value had no effect on that (nominal)
 * evaluation because it sets the outlet of a selector or the chain of a
 * flowsheet choice unit that received no flow (cet_twin_parameter_idle),
 * else 0; n_design values. */
void cet_optimize_problem_idle(const cet_optimize_problem *p, long long *idle);

/* Metrics a robust problem summarises over its draws (those of its
 * objectives and constraints with a statistic, in order of first use; 0
 * for a problem that is not robust), and the twin index of the u-th. */
size_t cet_optimize_problem_summarised(const cet_optimize_problem *p);
size_t cet_optimize_problem_summarised_metric(const cet_optimize_problem *p, size_t u);

/* Designs that cannot be priced. In a twin where some consumption may be
 * unknown (CET_TWIN_UNKNOWN_CONSUMPTION, twin.h; counts_unknown gives 1)
 * the problem counts the designs of the evaluation callback's batches
 * whose nominal unknown_consumption is positive: infeasible designs, whose
 * undefined objectives count as +infinity (minimised). The count is this
 * rank's since the problem was made, or since it was set (a restart). */
int cet_optimize_problem_counts_unknown(const cet_optimize_problem *p);
uint64_t cet_optimize_problem_unknown(const cet_optimize_problem *p);
void cet_optimize_problem_set_unknown(cet_optimize_problem *p, uint64_t count);

/* Natural value of objective j from its minimised value; NaN (undefined)
 * from +infinity, the value of an objective that is undefined at an
 * infeasible design. */
double cet_optimize_natural(const cet_optimize_spec *spec, size_t j, double minimised);

#endif /* CETWIN_OPTIMIZE_H */
