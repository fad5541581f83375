/*
 * sensitivity.h — what a sensitivity case describes (`analysis:
 * sensitivity`, the `sensitivity:` section with the `uncertain:` list):
 * the factors, how several are bound into one, the metrics looked at and
 * the methods asked for — a parameter study (sweep), one at a time
 * (tornado, spider, break-even), Morris screening and Sobol' indices. The
 * config reader fills it (names resolved to parameter slots and metric
 * indices once) and owns its life cycle; the sensitivity driver runs it.
 * Plain data. Nothing here is collective.
 *
 * A factor moves one or several parameters of the twin, or the price paths
 * of the AR series drawn together:
 *   - value: one parameter over [low, high] (`{path, low, high}`);
 *   - scale: parameters multiplied by 1 + c for a relative change c in
 *     [low, high] (`{path, change: [lo, hi]}`, `{paths: [...], change}`, or
 *     `{group: G, change}`: the cash flows of the lines of cash-flow group
 *     G, i.e. their unit values, with the liquidation fraction of a CAPEX
 *     line divided by 1 + c so that its liquidation value, another group,
 *     stays);
 *   - distribution: one parameter drawn from a distribution of `uncertain:`;
 *   - prices: the correlated price paths of every `{price: [...]}` entry of
 *     `uncertain:` together (they are correlated, so one factor).
 * Its value at a unit coordinate u in (0, 1) (Morris, Sobol'): low + u
 * (high - low), base (1 + low + u (high - low)), the distribution's
 * quantile at u (in Morris, whose grid reaches 0 and 1, at quantile_low +
 * u (quantile_high - quantile_low)), and for prices the forecast band at
 * position 2u - 1
 * (-1 the lower 95 % limit, 0 the mean, 1 the upper limit) — except in
 * Sobol', where the prices take the stochastic paths of the Monte Carlo
 * draws 2j (row A_j) and 2j + 1 (row B_j). A relative change c (spider,
 * break-even) moves every parameter of a factor to base (1 + c), and a
 * price factor to band position c.
 */
#ifndef CETWIN_SENSITIVITY_H
#define CETWIN_SENSITIVITY_H

#include "cetwin/names.h"
#include "cetwin/uncertain.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
  CET_FACTOR_VALUE = 0,
  CET_FACTOR_SCALE,
  CET_FACTOR_DISTRIBUTION,
  CET_FACTOR_PRICES
} cet_factor_kind;

/* "value", "scale", "distribution", "prices". */
const char *cet_factor_kind_name(cet_factor_kind k);

typedef struct {
  char *name;  /* as printed and written */
  char *where; /* "FILE:LINE:COL: sensitivity.factors[i]" or "...: uncertain[i]" */
  cet_factor_kind kind;
  size_t n_slots;               /* parameters moved (none for prices) */
  size_t *slots;                /* their slots in the twin */
  char **paths;                 /* their key paths */
  double *base;                 /* the case's values at the slots */
  int *power;                   /* scale: slot i takes base (1 + c)^power[i], power 1 or -1 */
  double low, high;             /* value: the parameter's range; scale: the relative changes */
  double oat_low;               /* the factor at "low" in a tornado: a value, a change or a band */
  double oat_high;              /* position (prices -1); in the units of the factor's kind */
  const cet_distribution *dist; /* distribution: owned by the uncertain list */
  size_t n_series;              /* prices: the series drawn, their indices in the twin */
  size_t *series;
  size_t group; /* its group (an index in the spec's groups): Morris and Sobol' move
                   the factors of a group together */
} cet_factor;

/* The value of slot i of scale factor f at relative change c: base
 * (1 + c), or base / (1 + c) for a slot of power -1. */
double cet_factor_scaled(const cet_factor *f, size_t i, double c);

/* The factors a method moves (by default all of them, in their order);
 * the others stay at the base. */
typedef struct {
  size_t n;
  size_t *index; /* [n] factor indices, increasing */
} cet_factor_set;

/* Defaults. */
enum {
  CET_SENSITIVITY_DEFAULT_BLOCK = 256,    /* points per block of the engine */
  CET_BREAK_EVEN_DEFAULT_ITERATIONS = 100 /* Brent iterations at most */
};
#define CET_BREAK_EVEN_DEFAULT_TOLERANCE 1e-6 /* of the relative change */
#define CET_OAT_DEFAULT_QUANTILE_LOW 0.05     /* tornado ends of distributions */
#define CET_OAT_DEFAULT_QUANTILE_HIGH 0.95

/* A parameter study (Dakota's list and multidimensional studies): values
 * of parameters by path, every combination (grid) or the i-th of each
 * (zip). */
typedef struct {
  int given;
  int grid;      /* 1: full factorial; 0: the lists side by side */
  size_t n_dims; /* parameters swept */
  char **paths;
  size_t *slots;
  size_t *n_values; /* [n_dims] */
  double **values;  /* [n_dims][n_values[d]] */
  uint64_t points;  /* product (grid) or common length (zip) */
} cet_sweep_spec;

typedef struct {
  int given;
  cet_factor_set factors; /* also those of the break-even */
  size_t n_spider;        /* relative changes of the spider table, may be 0 */
  double *spider;
  int break_even;         /* 1: search the break-even of every factor */
  size_t be_metric;       /* its metric (index in the spec's metrics) */
  double be_threshold;    /* the value the metric crosses (0: NPV = 0) */
  double be_low, be_high; /* the range of relative changes searched */
  double be_tolerance;    /* of the relative change */
  size_t be_iterations;
  double *be_reference; /* [factors.n] published break-evens printed beside ours (NaN: none), or
                           NULL */
  char *be_source;      /* where they are published, or NULL */
} cet_oat_spec;

typedef struct {
  int given;
  cet_factor_set factors;
  size_t levels, trajectories, candidates, resamples;
  int radial;
  double level; /* confidence level of the interval on mu* */
} cet_morris_spec;

/* sensitivity.sobol.evaluation: the general cash-flow model at every point
 * (the default), the factored NPV (cet_twin_workspace_factor_npv; an input
 * error where it does not apply), or the factored NPV where it applies. */
typedef enum {
  CET_SOBOL_EVAL_MODEL,
  CET_SOBOL_EVAL_FACTORED,
  CET_SOBOL_EVAL_AUTO
} cet_sobol_evaluation;

typedef struct {
  int given;
  cet_factor_set factors;
  uint64_t n; /* base rows N */
  int second_order;
  size_t replicates;        /* bootstrap replicates R (0: no intervals) */
  size_t bootstrap_metrics; /* replicates for the first n metrics only (0: all) */
  double level;             /* confidence level of the intervals */
  uint64_t block;           /* base rows per block (the unit of the bootstrap and of merging) */
  cet_sobol_evaluation evaluation; /* sobol.evaluation: how the points are evaluated */
  char *evaluation_where;          /* "FILE:LINE:COL: sensitivity.sobol.evaluation", or NULL */
} cet_sobol_spec;

typedef struct cet_sensitivity_spec {
  size_t n_uncertain; /* `uncertain:` as analysis mc reads it (owned) */
  cet_uncertain *uncertain;
  size_t n_factors;
  cet_factor *factors;
  double quantile_low, quantile_high; /* where distributions end in OAT and Morris */
  cet_names groups;  /* groups of factors (a factor in no `groups:` entry is one) */
  cet_names metrics; /* metrics looked at, in this order */
  size_t *metric_index;
  cet_sweep_spec sweep;
  cet_oat_spec oat;
  cet_morris_spec morris;
  cet_sobol_spec sobol;
  uint64_t first, count;        /* a shard: the points first .. first + count - 1 of the sweep or of
                                   the Sobol' base rows (count 0: all) */
  int store_points;             /* 1: the settings and metrics of every Morris and Sobol' point
                                   in the result file (the sweep and OAT write theirs anyway) */
  uint64_t checkpoint_interval; /* blocks between checkpoints; 0: only on a signal */
  char *checkpoint_file;
} cet_sensitivity_spec;

/* Frees *s and everything it owns (NULL allowed); sets it NULL. */
void cet_sensitivity_spec_destroy(cet_sensitivity_spec **s);

#endif /* CETWIN_SENSITIVITY_H */
