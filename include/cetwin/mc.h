/*
 * mc.h — what a Monte Carlo case describes (user guide: Monte Carlo): the
 * uncertain variables (a distribution bound to a parameter by its key path,
 * or the stochastic paths of price series drawn together with correlated
 * shocks), the run settings (draws, draw range of a shard, block size,
 * stored draws, metrics summarised, the stopping rule), the deterministic
 * scenarios evaluated next to the draws (variants of the case, each with
 * optional reference values to compare with), and the UNFC economic rating.
 * The config reader fills it (`uncertain:`, `mc:`, `scenarios:`, `unfc:`);
 * the mc driver (drivers.h) runs it. Nothing here is collective.
 */
#ifndef CETWIN_MC_H
#define CETWIN_MC_H

#include "cetwin/names.h"
#include "cetwin/network.h"
#include "cetwin/twin.h"
#include "cetwin/uncertain.h"
#include "cetwin/unfc.h"

#include <stddef.h>
#include <stdint.h>

/* A deterministic variant of the case: sections replaced and --set
 * overrides applied, evaluated once; reference values (e.g. a paper's
 * table) are compared with its metrics. */
typedef struct {
  char *name;
  char *where;
  cet_twin_spec *spec;
  cet_twin *twin;
  char *reference_source; /* citation of the reference values, may be "" */
  double reference_scale; /* metric = value x scale (e.g. 1e6 for MEUR) */
  size_t n_reference;
  char **reference_metric;
  double *reference_value; /* in the scaled units */
} cet_scenario;

/* A project rated from two scenarios: factor (14) from the NPV of the mean
 * scenario, factor (15) from the NPV of the pessimistic one (none: unrated),
 * combined with the user-rated factors by the lowest-rating rule. */
typedef struct {
  char *name;
  char *mean;        /* scenario name */
  char *pessimistic; /* scenario name, or NULL */
  size_t n_factors;
  char **factor_name;
  cet_unfc_rating *factor;
} cet_unfc_project;

typedef struct {
  int given; /* 1 when the case has `unfc:` */
  cet_unfc_parameters par;
  /* Monte Carlo reading of the factors: viability from the mean of npv,
   * uncertainty from its quantile at pessimistic_quantile (default 0.025,
   * the lower limit of a 95 % interval, as the seed's pessimistic forecast) */
  double pessimistic_quantile;
  size_t n_factors; /* user-rated factors of the case itself */
  char **factor_name;
  cet_unfc_rating *factor;
  size_t n_projects;
  cet_unfc_project *projects;
} cet_unfc_spec;

/* Defaults of the run settings. */
enum {
  CET_MC_DEFAULT_DRAWS = 10000,
  CET_MC_DEFAULT_BLOCK = 1024, /* draws per block: the unit of work and of the stopping test */
  CET_MC_DEFAULT_QUANTILE_BUFFER = 1 << 22 /* values kept per bracket of the percentiles */
};
#define CET_MC_DEFAULT_PESSIMISTIC_QUANTILE 0.025

typedef struct cet_mc_spec {
  uint64_t draws;         /* draws of this run (a shard: of its range) */
  uint64_t first_draw;    /* index of the first draw (shards of one sweep: disjoint ranges) */
  size_t block;           /* draws per block */
  int store_draws;        /* 1: per-draw metrics and inputs in /mc/draws */
  int quantiles;          /* 1: percentiles and CVaR (default 1) */
  size_t quantile_buffer; /* values kept per bracket when selecting them (select.h) */
  cet_names metrics;      /* metrics summarised (and stored), in this order */
  size_t *metric_index;   /* [metrics] their indices in the case's twin */
  char *stop_metric;      /* stop when its relative standard error <= stop_rse; NULL: never */
  size_t stop_index;      /* stop_metric's index in metrics */
  double stop_rse;
  uint64_t min_draws;           /* no stop before this many draws */
  uint64_t checkpoint_interval; /* blocks between checkpoints; 0 = only on a signal */
  char *checkpoint_file;        /* NULL: the result file's name with .checkpoint.h5 */
  size_t n_uncertain;
  cet_uncertain *uncertain;
  size_t n_scenarios;
  cet_scenario *scenarios;
  cet_unfc_spec unfc;
} cet_mc_spec;

/* Frees m and everything it owns (NULL allowed); sets *m to NULL. */
void cet_mc_spec_destroy(cet_mc_spec **m);

#endif /* CETWIN_MC_H */
