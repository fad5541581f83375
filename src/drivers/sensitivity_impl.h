/*
 * sensitivity_impl.h — the pieces of the sensitivity driver (private to
 * src/drivers): the run shared by the methods (sensitivity.c), the factors
 * turned into parameter values and price paths and one point evaluated
 * (sensitivity_points.c), and the methods, each a plan of points on the
 * sampling engine: one at a time (sensitivity_oat.c), break-even
 * (sensitivity_break_even.c), the parameter study (sensitivity_sweep.c),
 * Morris (sensitivity_morris.c) and Sobol' (sensitivity_sobol.c), and the
 * tables they print and write (sensitivity_report.c, and for Sobol',
 * shared with `cetwin merge`, sensitivity_sobol_report.c).
 *
 * A factor's setting is its native value: the parameter's value (value and
 * distribution factors), the relative change (scale factors) or the forecast
 * band position (prices: -1 lower 95 % limit, 0 mean, 1 upper limit; NaN
 * the twin's own deterministic path). A point is one native value per
 * factor; the base point holds every factor at the case's own setting.
 */
#ifndef CETWIN_SENSITIVITY_IMPL_H
#define CETWIN_SENSITIVITY_IMPL_H

#include "cetwin/drivers.h"
#include "cetwin/engine.h"
#include "cetwin/sampler.h"
#include "cetwin/sensitivity.h"
#include "cetwin/sobol_indices.h"

#include <stdio.h>

enum { CET_DRV_SA_NAME_LEN = 64 };

/* The share flags of the metrics (one per /sensitivity/metrics), written
 * by a run and read back by `cetwin info` and `cetwin merge`; a file
 * written before them has none, its metrics printed as quantities. */
#define CET_DRV_SA_SHARE "/sensitivity/metric_share"

/* The run, shared read-only by the threads. */
typedef struct {
  const cet_case *c;
  const cet_sensitivity_spec *s;
  const cet_run_context *ctx;
  const cet_twin *twin;
  size_t k, nm;         /* factors, metrics */
  const char **units;   /* [nm] units of each metric */
  long long *share;     /* [nm] 1: a share, printed as a percentage (cet_twin_metric_is_share) */
  char **units2;        /* [nm] their squares ("EUR EUR"; "1") */
  size_t ny;            /* years of a price path */
  long prices;          /* index of the prices factor, or -1 */
  double *bands;        /* prices: [series][lower, mean, upper][ny] forecast bands */
  cet_sampler *sampler; /* prices in Sobol': the draws of the Monte Carlo, else NULL */
  double *base;         /* [k] the base point */
  int threads;
  int name_width;     /* of the factor and group columns of the tables */
  char *checkpoint;   /* the checkpoint file */
  char *restart_kind; /* with --restart: the kind of the checkpoint */
  /* the current plan: its checkpoint kind, fingerprint and progress label */
  char plan_kind[CET_DRV_SA_NAME_LEN], plan_fingerprint[CET_DRV_SA_NAME_LEN],
      plan_label[CET_DRV_SA_NAME_LEN];
} cet_drv_sa_run;

/* A thread's scratch. */
typedef struct {
  cet_twin_workspace *w;
  double *x;                      /* [k, or the swept parameters] a point being assembled */
  double *metrics;                /* [nm] the metrics of one evaluation */
  double *params;                 /* the twin's values, factors set per point */
  double *paths;                  /* prices: [series][ny] band paths of the current point */
  cet_sampler_workspace *sampler; /* prices in Sobol' */
} cet_drv_sa_ws;

/* ---- points (sensitivity_points.c) ---- */

/* Sets up what the methods share: metrics, bands of the prices factor, the
 * base point; the Monte Carlo sampler of the prices for Sobol'. */
int cet_drv_sa_run_setup(cet_drv_sa_run *r);
void cet_drv_sa_run_free(cet_drv_sa_run *r);

/* The native value of factor f of spec s at unit coordinate u (Morris, and
 * Sobol' but for prices; grid = 1 for Morris, whose grid reaches 0 and 1:
 * distributions then span their quantiles quantile_low .. quantile_high),
 * and at relative change c (spider, break-even). */
double cet_drv_sa_native_at_unit(const cet_sensitivity_spec *s, const cet_factor *f, double u,
                                 int grid);
double cet_drv_sa_native_at_change(const cet_factor *f, double c);

/* 1 when every parameter of f stays within its valid range at native x. */
int cet_drv_sa_native_valid(const cet_drv_sa_run *r, const cet_factor *f, double x);

/* The groups of the factors of a method's set, numbered 0 .. *n_groups - 1
 * in order of first appearance: group_of[a] of the a-th factor of the
 * set, names[g] (borrowed) of group g (both with room for set->n). */
int cet_drv_sa_set_groups(const cet_drv_sa_run *r, const cet_factor_set *set, size_t *group_of,
                          const char **names, size_t *n_groups);

/* Rank 0: the names of the factors of a method's set, in its order, as
 * the dataset at path of res (the factor axis of its stored points). */
int cet_drv_sa_write_set_names(const cet_drv_sa_run *r, const cet_factor_set *set, const char *path,
                               cet_result *res);

/* A thread's scratch, as a workspace of the engine (model: the cet_drv_sa_run). */
int cet_drv_sa_ws_create(void *run, void **ws);
void cet_drv_sa_ws_destroy(void **ws);

/* Sets point x (k natives) in ws's parameters and price paths; drawn:
 * prices in Sobol' (the paths [series][ny] of the draw the point takes,
 * else NULL). Then evaluates the twin there, writing the metrics (nm).
 * Allocation-free. */
void cet_drv_sa_apply(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *x,
                      const double *drawn);
int cet_drv_sa_evaluate_applied(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, double *out);

/* The parameters a factor (not the prices) sets: slots[j], j <
 * cet_drv_sa_slots_set(f), to cet_drv_sa_slot_value(f, j, x) at native x. */
static inline size_t cet_drv_sa_slots_set(const cet_factor *f) {
  return f->kind == CET_FACTOR_SCALE ? f->n_slots : 1;
}
static inline double cet_drv_sa_slot_value(const cet_factor *f, size_t j, double x) {
  return f->kind == CET_FACTOR_SCALE ? cet_factor_scaled(f, j, x) : x;
}

/* Points the series of the prices factor, drawn in ws since a
 * cet_drv_sa_apply with drawn paths, at other drawn paths [series][ny]
 * (prices in Sobol'). */
void cet_drv_sa_move_drawn(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *drawn);

/* cet_drv_sa_apply, then cet_drv_sa_evaluate_applied. */
int cet_drv_sa_evaluate(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, const double *x,
                        const double *drawn, double *out);

/* ---- the methods: each runs its plan, prints on rank 0 and writes its
 * group /sensitivity/METHOD. Collective. ---- */

int cet_drv_sa_oat(cet_drv_sa_run *r);
int cet_drv_sa_break_even(cet_drv_sa_run *r);
int cet_drv_sa_sweep(cet_drv_sa_run *r);
int cet_drv_sa_morris(cet_drv_sa_run *r);
int cet_drv_sa_sobol(cet_drv_sa_run *r);

/* The engine settings shared by the plans in *s: first and count points,
 * the block, the progress label, the checkpoint when the plan is long
 * (kind and fingerprint of the method). Fails (this rank's status) only
 * when the fingerprint of a checkpointed plan cannot be made. */
int cet_drv_sa_settings(cet_drv_sa_run *r, uint64_t first, uint64_t count, const char *label,
                        int checkpointed, cet_engine_settings *s);

/* Collective: runs problem p with settings s keeping every row and no
 * statistics, and gathers the rows on rank 0 in point order: *y the values
 * and, when x is not NULL, *x the first extras (cet_engine_gather_rows),
 * allocated there (free them), NULL on the other ranks. A failed run fails
 * every rank; a failed gathering only this one (agree on the outcome with
 * cet_collective_status). */
int cet_drv_sa_rows(cet_drv_sa_run *r, const cet_engine_problem *p, cet_engine_settings s,
                    double **y, double **x);

/* ---- tables (sensitivity_report.c) ---- */

/* Prints the header of the run and writes /sensitivity/factors, the
 * metrics and the groups (rank 0). */
int cet_drv_sa_report_setup(const cet_drv_sa_run *r, FILE *out);

/* The width of a table's name column that holds the n names (at least
 * 26 characters, at most 48). */
int cet_drv_sa_name_width(const char *const *names, size_t n);

/* The tornado table of one metric, filled from a run (sensitivity_oat.c)
 * or from a result file (cet_info_sensitivity); arrays borrowed, n
 * factors in the printed order (largest swing first). */
typedef struct {
  const char *metric, *units;
  int share;   /* 1: the metric is a share, its values printed as percentages */
  double base; /* the metric at the base point */
  int name_width;
  size_t n;
  const char *const *factor;
  const cet_factor_kind *kind;
  /* [CET_DRV_SA_TORNADO_COLUMNS x n]: the factors' settings at the low and high
   * ends, the metric there, and |difference| (the swing) */
  const double *columns;
} cet_drv_sa_tornado_view;

enum {
  CET_DRV_SA_TORNADO_LOW,
  CET_DRV_SA_TORNADO_HIGH,
  CET_DRV_SA_TORNADO_AT_LOW,
  CET_DRV_SA_TORNADO_AT_HIGH,
  CET_DRV_SA_TORNADO_SWING,
  CET_DRV_SA_TORNADO_COLUMNS
};

void cet_drv_sa_print_tornado(const cet_drv_sa_tornado_view *v, FILE *out);

/* The spider table of one metric, from a run or from a result file;
 * arrays borrowed. Printed row n is factor row[n] of relative. */
typedef struct {
  const char *metric;
  int name_width;
  size_t n, n_changes;       /* factors, relative changes */
  size_t nm, m;              /* metrics of relative, and the one shown */
  const char *const *factor; /* [n] names, in the order of relative's rows */
  const size_t *row;         /* [n] the printed order */
  const double *changes;     /* [n_changes] */
  const double *relative;    /* [n x n_changes x nm] (metric - base) / |base| */
} cet_drv_sa_spider_view;

void cet_drv_sa_print_spider(const cet_drv_sa_spider_view *v, FILE *out);

/* What the break-even search records per factor. */
enum {
  CET_DRV_SA_BE_CHANGE = 0, /* the relative change at the crossing (NaN: none) */
  CET_DRV_SA_BE_SETTING,    /* the factor's setting there */
  CET_DRV_SA_BE_CROSSINGS,  /* sign changes found on the scan */
  CET_DRV_SA_BE_ITERATIONS, /* Brent iterations */
  CET_DRV_SA_BE_LOW,        /* the range scanned */
  CET_DRV_SA_BE_HIGH,
  CET_DRV_SA_BE_VALUES
};

/* The break-even table, from a run or from a result file; arrays
 * borrowed. */
typedef struct {
  const char *metric, *units;
  int share; /* 1: the metric is a share, its threshold printed as a percentage */
  double threshold, tolerance;
  int name_width;
  size_t n;
  const char *const *factor; /* [n] */
  const double *table;       /* [n x CET_DRV_SA_BE_VALUES] */
  const double *reference;   /* [n] the published break-evens, or NULL */
  const char *source;        /* where they are published, or NULL */
} cet_drv_sa_break_even_view;

void cet_drv_sa_print_break_even(const cet_drv_sa_break_even_view *v, FILE *out);

/* The Morris table, from a run or from a result file; arrays borrowed. */
typedef struct {
  size_t trajectories, points, levels, candidates, resamples;
  int radial;
  double level; /* of the intervals on mu* */
  int name_width;
  size_t g, nm; /* groups, metrics */
  const char *const *groups, *const *metrics, *const *units;
  const long long *share;                    /* [nm] 1: a share (effects in percentage points) */
  const double *mu, *mu_star, *sigma, *conf; /* [g x nm] */
} cet_drv_sa_morris_view;

void cet_drv_sa_print_morris(const cet_drv_sa_morris_view *v, FILE *out);

/* The table of the factors of s (name, kind, range, what each moves) and
 * their groups, as the run's summary and `cetwin validate` print it. */
void cet_drv_sa_print_factors(const cet_sensitivity_spec *s, const cet_twin *t, FILE *out);

/* ---- the parameter study's table (sensitivity_sweep.c) ---- */

/* The points of a study (or of a shard of it) with their metrics, from a
 * run or from the shards' files (everything borrowed). */
typedef struct {
  const char *const *paths;       /* [n_dims] the parameters swept */
  const char *const *param_units; /* [n_dims] their units (NULL: not known) */
  size_t n_dims;
  uint64_t points; /* of the whole study */
  int grid;        /* every combination (1) or lists side by side (0) */
  const char *const *metrics, *const *units;
  const long long *share; /* [nm] 1: a share, printed as a percentage */
  size_t nm;
  uint64_t count;           /* points here */
  const long long *index;   /* [count] their indices in the study */
  const double *values;     /* [count x n_dims] */
  const double *metrics_at; /* [count x nm] */
} cet_drv_sa_sweep_table;

/* Prints t (each point, or beyond 40 points each metric's extremes) and
 * writes /sensitivity/sweep. */
void cet_drv_sa_sweep_print(const cet_drv_sa_sweep_table *t, FILE *out);
int cet_drv_sa_sweep_write(const cet_drv_sa_sweep_table *t, cet_result *res);

/* ---- Sobol' estimates (sensitivity_sobol_report.c) ---- */

/* What the estimates of a Sobol' run need, from the run's spec or from a
 * result file's /sensitivity/sobol. */
typedef struct {
  size_t g, nm, kc;               /* groups, metrics, unit-cube coordinates */
  const char *const *groups;      /* [g] */
  const char *const *metrics;     /* [nm] */
  const char *const *units;       /* [nm] */
  const long long *share;         /* [nm] 1: a share (its mean and sd printed as percentages) */
  const size_t *coordinate_group; /* [kc] the group of each coordinate */
  uint64_t n, block, seed;        /* sobol.n, sobol.block, the case's seed */
  int second_order;               /* sobol.second_order */
  size_t replicates, bootstrap_metrics;
  double level;                /* of the intervals */
  cet_sobol_design *design;    /* made by cet_drv_sa_sobol_plan_design */
  size_t rows;                 /* model points per base row */
  size_t buckets;              /* buckets of blocks */
  const char *evaluation;      /* "model" or "factored" (the attribute), or NULL: not recorded */
  const char *evaluation_note; /* the summary's line after "evaluation: ", or NULL: from it */
} cet_drv_sa_sobol_plan;

/* Makes p's design (coordinates with their group, g groups and the rest of
 * p), its rows and buckets. */
int cet_drv_sa_sobol_plan_design(cet_drv_sa_sobol_plan *p);

/* The bucket of block b: 0 for block 0, m for blocks 2^(m-1) .. 2^m - 1. */
size_t cet_drv_sa_sobol_bucket_of(uint64_t block);

/* Sums per bucket of p: create, destroy (n buckets), pack into one byte
 * string (each bucket's size, then its compact bytes; *out reallocated),
 * and merge such a string in. */
int cet_drv_sa_sobol_buckets_create(const cet_drv_sa_sobol_plan *p, cet_sobol_sums ***out);
void cet_drv_sa_sobol_buckets_destroy(cet_sobol_sums ***b, size_t n);
int cet_drv_sa_sobol_buckets_pack(cet_sobol_sums *const *bucket, size_t n, unsigned char **out,
                                  size_t *size);
int cet_drv_sa_sobol_buckets_merge(cet_sobol_sums *const *bucket, size_t n, const void *bytes,
                                   size_t size);

/* The indices of p from its sums, printed to out and written to res's
 * /sensitivity/sobol (each when not NULL); base_rows: those summed. */
int cet_drv_sa_sobol_report(const cet_drv_sa_sobol_plan *p, cet_sobol_sums *const *bucket,
                            uint64_t base_rows, FILE *out, cet_result *res);

/* Prints the tables of the Sobol' run of the result file in from its
 * sums, as the run printed them (sensitivity_merge.c). */
int cet_drv_sa_sobol_print_file(cet_result_reader *in, FILE *out);

/* The datasets of the Sobol' points (sensitivity.store_points): base_row
 * [base_row] int, metrics [base_row, row, metric], factors [base_row, row,
 * factor], written by a run and by cetwin merge alike. */
enum { CET_DRV_SA_SOBOL_POINT_DATASETS = 3 };
extern const char *const CET_DRV_SA_SOBOL_POINTS[CET_DRV_SA_SOBOL_POINT_DATASETS];
void cet_drv_sa_sobol_points_meta(const char *const *metrics, const char *const *units, size_t nm,
                                  cet_dataset_meta meta[CET_DRV_SA_SOBOL_POINT_DATASETS]);

#endif /* CETWIN_SENSITIVITY_IMPL_H */
