/*
 * optimize_spec.h — what an optimisation case describes (`design:`,
 * `objectives:`, `constraints:`, `robust:` with `uncertain:`, `optimize:`):
 * design variables bound by key path to parameters of the twin, objectives
 * and constraints on named metrics of the twin, the draws of a robust
 * optimisation, and the settings of NSGA-II, its islands, the hypervolume
 * history, checkpoints and TOPSIS. The config reader fills it and owns its
 * life cycle; the optimize driver (optimize.h) turns it into a problem.
 * Plain data: no MPI. Nothing here is collective.
 */
#ifndef CETWIN_OPTIMIZE_SPEC_H
#define CETWIN_OPTIMIZE_SPEC_H

#include "cetwin/islands_parameters.h"
#include "cetwin/nsga2.h"
#include "cetwin/stats.h"
#include "cetwin/topsis.h"
#include "cetwin/uncertain.h"

#include <stddef.h>
#include <stdint.h>

/* No sum-to-one group. */
#define CET_OPTIMIZE_NO_GROUP ((size_t)-1)

typedef struct {
  char *path;   /* the twin parameter's key path */
  char *name;   /* what the results call it: `name`, else from the path (share.f1) */
  double lower; /* bounds, within the parameter's valid range */
  double upper;
  int integer;       /* 1: integral values only */
  int categorical;   /* 1 (with integer): the values name unordered choices (operators.h) */
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

/* "nominal", or the statistic's name (cet_stats_stat_name). */
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

typedef struct cet_optimize_spec {
  size_t n_design;
  cet_design_variable *design;
  size_t n_groups; /* sum-to-one groups; group g holds the variables with .group == g */
  size_t n_obj;
  cet_objective *objective;
  size_t n_con;
  cet_constraint *constraint;
  cet_robust_spec robust;

  cet_nsga2_parameters nsga2;     /* .seed is the case's seed; NSGA-III: .divisions and
                                     .inner_divisions resolved (never automatic) */
  int divisions_given;            /* NSGA-III: 1 if optimize.divisions set them, 0 if they
                                     were chosen for the population */
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

#endif /* CETWIN_OPTIMIZE_SPEC_H */
