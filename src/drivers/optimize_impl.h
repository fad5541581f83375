/*
 * optimize_impl.h — the state of one optimize run shared by the files of
 * the driver (private to src/drivers): optimize.c (the generation loop,
 * signals), optimize_history.c (reference point, hypervolume and front
 * size per generation, migration log), optimize_checkpoint.c (save and
 * restore), optimize_report.c (the global front and the summary) and
 * optimize_write.c (/optimize).
 */
#ifndef CETWIN_OPTIMIZE_IMPL_H
#define CETWIN_OPTIMIZE_IMPL_H

#include "cetwin/drivers.h"
#include "cetwin/islands.h"
#include "cetwin/optimize.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* Columns of the migration log. */
enum {
  OPT_MIG_GENERATION = 0,
  OPT_MIG_SOURCE,
  OPT_MIG_DESTINATION,
  OPT_MIG_MIGRANTS,
  OPT_MIG_IN_FRONT,
  OPT_MIG_COLUMNS
};

typedef struct {
  const cet_case *c;
  const cet_run_context *ctx;
  const cet_optimize_spec *spec;
  cet_optimize_problem *problem;
  cet_islands *isl;
  size_t I, L, N, n, m, nc; /* islands, local islands, population, genes, objectives, constraints */
  uint64_t start;           /* generation the run started from (0, or a checkpoint's) */
  double *reference;        /* [m] hypervolume reference point, minimised values */
  double *scratch;          /* [N x m] one island's front */
  char *checkpoint_path;    /* where checkpoints go (rank 0) */
  uint64_t unknown;         /* rank 0: designs evaluated so far that cannot be priced */

  /* rank 0: the histories, one row per generation from 0 */
  size_t rows, cap_rows;
  double *hv;            /* [rows x I] */
  long long *front_size; /* [rows x I] */
  size_t mig_rows, cap_mig;
  long long *migrations; /* [mig_rows x OPT_MIG_COLUMNS] */
} cet_drv_opt_run;

/* ---- optimize_history.c ---- */

/* Collective. The reference point from the spec, or from the initial
 * populations of all islands (worst value + margin x range). */
int cet_drv_opt_reference(cet_drv_opt_run *run);

/* Collective. Appends the row of the current generation: every island's
 * front size and hypervolume, gathered on rank 0. */
int cet_drv_opt_record_generation(cet_drv_opt_run *run);

/* Collective. After a generation that migrated: appends on rank 0 one row
 * per (destination, source) pair. */
int cet_drv_opt_record_migration(cet_drv_opt_run *run, uint64_t generation);

/* Collective. Gathers on rank 0 rows of `width` values of the given MPI
 * type (elem bytes each) from every rank, in rank order: *recv (allocated
 * on rank 0, NULL elsewhere) and *total rows. */
int cet_drv_opt_gather_rows(MPI_Comm comm, MPI_Datatype type, size_t elem, const void *send,
                            size_t rows, size_t width, void **recv, size_t *total);

/* Collective. Sums over the ranks, into rank 0's run->unknown, the designs
 * evaluated so far whose unknown_consumption is positive (twins where a
 * consumption may be unknown; optimize.h). */
int cet_drv_opt_total_unknown(cet_drv_opt_run *run);

/* Grows rank 0's history tables to hold `rows` generation rows / `mig`
 * migration rows. */
int cet_drv_opt_reserve(cet_drv_opt_run *run, size_t rows, size_t mig);

/* ---- optimize_checkpoint.c ---- */

/* Collective. Writes the checkpoint of the current generation (rank 0
 * writes; every rank returns the same status). */
int cet_drv_opt_checkpoint_save(cet_drv_opt_run *run);

/* Collective. Restores islands, reference point and histories from the
 * checkpoint at path (read by rank 0, checked against this case). */
int cet_drv_opt_checkpoint_restore(cet_drv_opt_run *run, const char *path);

/* The final fronts as reported (rank 0), objectives in natural units. */
typedef struct {
  size_t K;                 /* points of the global front, in TOPSIS order */
  double *x;                /* [K x n] */
  double *f;                /* [K x m] */
  double *con;              /* [K x nc] the constraint metrics' values */
  double *violation;        /* [K] */
  double *closeness;        /* [K] TOPSIS closeness coefficient */
  long long *rank;          /* [K] TOPSIS rank, 1 = best */
  long long *island;        /* [K] island holding the point (the lowest one) */
  double *metrics;          /* [K x metrics] every twin metric (nominal) */
  long long *no_effect;     /* [K x n] 1: the variable had no effect at the point */
  size_t U;                 /* robust: metrics summarised over the draws, else 0 */
  double *stats;            /* [K x U x CET_STAT_COUNT] their statistics at each point */
  double *utopia, *nadir;   /* [m] over the global front */
  double hypervolume;       /* of the global front, w.r.t. run->reference */
  size_t T;                 /* points of the islands' own fronts */
  long long *offset;        /* [I + 1] island i holds rows offset[i] .. offset[i+1] */
  double *ix, *ifv, *iviol; /* [T x n], [T x m] natural, [T] */
} cet_drv_opt_front;

/* ---- optimize_print.c ---- */

/* What the printed summary of the global front shows, filled from a run
 * (optimize_report.c) or from a result file (cet_info_optimize); the
 * arrays are borrowed. */
typedef struct {
  size_t K, islands;   /* front points, islands */
  int feasible;        /* 1 when the front's points are feasible */
  double hypervolume;  /* of the front */
  int reference_given; /* 1: optimize.reference_point, 0: from the initial populations */
  size_t n_obj, n, nc; /* objectives, design variables, constraints */
  size_t robust_draws; /* robust runs: draws per design, else 0 */
  const char *const *metric, *const *sense, *const *units; /* [n_obj] */
  const char *const *statistic;                            /* [n_obj] robust runs, or NULL */
  const double *utopia, *nadir, *reference;                /* [n_obj] natural units */
  size_t top;                                              /* TOPSIS points shown */
  const char *normalization;                               /* "vector" or "min-max" */
  int weights_given;
  const long long *rank, *island;      /* [K] in TOPSIS order */
  const double *closeness, *violation; /* [K] */
  const double *f, *x;                 /* [K x n_obj], [K x n] */
  const char *const *design;           /* [n] the design variables' key paths */
  const char *const *design_name;      /* [n] their names (design.name) */
  const char *const *choices;          /* [n] what their values choose, or NULL */
  const long long *no_effect;          /* [K x n] 1: no effect at the point, or NULL */
} cet_drv_opt_view;

/* TOPSIS points `cetwin info` shows (all with --verbose). */
enum { CET_OPT_INFO_TOP = 10 };

/* The front's objectives: utopia, nadir, reference point. */
void cet_drv_opt_print_objectives(const cet_drv_opt_view *v, FILE *out);

/* The best points by TOPSIS: objectives, island, design. */
void cet_drv_opt_print_topsis(const cet_drv_opt_view *v, FILE *out);

/* Robust runs: the statistics of the summarised metrics at the TOPSIS best
 * point, from a run or from a result file; arrays borrowed. */
typedef struct {
  unsigned long long draws;
  size_t U;                                 /* summarised metrics */
  const char *const *metric, *const *units; /* [U] */
  size_t n_stat;                            /* statistics per metric */
  const char *const *stat_name;             /* [n_stat] their names (cet_stats_stat_name) */
  const double *stats;                      /* [U x n_stat] at the best point */
} cet_drv_opt_stats_view;

void cet_drv_opt_print_statistics(const cet_drv_opt_stats_view *v, FILE *out);

/* ---- optimize_write.c ---- */

/* Writes /optimize (rank 0). */
int cet_drv_opt_write(const cet_drv_opt_run *run, const cet_drv_opt_front *front, cet_result *r);

/* What the values of each design variable choose, when it sets a
 * selector's outlet index or a flowsheet choice's chain number: "0
 * process; 1 sort; 2 discard" (value, space, outlet or chain; "; "
 * between), "" for any other variable (/optimize/design/choices). *out
 * gets run->n allocated strings, *any 1 when one is not ""; free with
 * cet_free_strings(*out, run->n). */
int cet_drv_opt_design_choices(const cet_drv_opt_run *run, char ***out, int *any);

/* ---- optimize_report.c ---- */

/* Collective. Gathers the global front and each island's front, ranks the
 * global front by TOPSIS and, on rank 0, prints the summary and writes
 * /optimize. seconds: wall time of the generations run here. */
int cet_drv_opt_report(cet_drv_opt_run *run, double seconds);

#endif /* CETWIN_OPTIMIZE_IMPL_H */
