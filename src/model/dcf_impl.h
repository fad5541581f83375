/*
 * dcf_impl.h — private layout of the DCF model and its workspace, and the
 * functions the DCF files (dcf.c, dcf_check.c, dcf_eval.c, dcf_lanes.c)
 * share (see include/cetwin/dcf.h).
 *
 * Every line becomes one row (and a CAPEX line with a liquidation value a
 * second row). A row has a yearly schedule: the cash itself for rows with a
 * fixed unit value, or the weight that multiplies its price series for
 * price-driven rows. Evaluation only combines the precomputed aggregates
 * `fixed` and `weight` with the prices.
 */
#ifndef CETWIN_DCF_IMPL_H
#define CETWIN_DCF_IMPL_H

#include "cetwin/dcf.h"
#include "cetwin/names.h"

#include <gsl/gsl_roots.h>

struct cet_dcf {
  int horizon;
  size_t n_years; /* horizon + 1 */
  double rate;
  cet_dcf_parameters params;

  /* shape, fixed at creation */
  size_t n_phases, n_flows, n_lines, n_rows;
  cet_names prices; /* price series names */
  cet_names groups; /* group names, in order of first use */
  cet_names rows;   /* row names */
  size_t *row_group;
  long *row_price;            /* price series of a row, -1 for fixed rows */
  long *line_row;             /* main row of each line */
  long *line_liq_row;         /* liquidation row of each line, -1 if none */
  size_t n_fixed, *fixed_row; /* the rows without a price series, in order */
  size_t *price_row;          /* the rows of price series c, in order, are
                                 price_row[price_first[c] .. price_first[c + 1] - 1] */
  size_t *price_first;        /* n_prices + 1 */
  int discount_valid;         /* discount holds the factors of rate */

  /* precomputed from the numbers */
  double *discount;      /* n_years: (1 + r)^-t */
  double *discount_prev; /* n_years: the factors of the rate before, prev_rate */
  double prev_rate;
  int prev_valid;      /* discount_prev holds the factors of prev_rate */
  double *schedule;    /* n_rows x n_years */
  double *row_disc;    /* n_rows x n_years: schedule x discount */
  double *fixed;       /* n_years: sum of the fixed rows (the last row of fixed_sums) */
  double *fixed_sums;  /* n_fixed + 1 rows of fixed_stride: row k sums the first k
                          fixed rows in order, row 0 is 0 (the sums of an update start
                          from the row before its first changed fixed row) */
  size_t fixed_stride; /* n_years rounded up to whole blocks of sum_rows */
  size_t *fixed_pos;   /* n_rows: the position of a fixed row in fixed_row */
  double fixed_npv;    /* discounted sum of fixed */
  double *weight;      /* n_prices x n_years: sum of the schedules of each price's rows */
  double *weight_disc; /* n_prices x n_years: weight x discount */
  double *group_fixed; /* n_groups: discounted fixed cash per group */
  double *irr_rate;    /* irr_grid rates of the IRR bracketing grid, ascending */
  double *irr_v;       /* their discount factors 1 / (1 + rate) */

  /* the numbers of the last update (no strings), so that an update
   * recomputes only what its description changes */
  cet_dcf_phase *phase_last; /* n_phases */
  cet_dcf_flow *flow_last;   /* n_flows; by_year points into flow_year_last or is NULL */
  double *flow_year_last;    /* n_flows x n_years */
  cet_dcf_line *line_last;   /* n_lines: the shape of the creation (kind, direction, flow,
                                phase, price series, liquidation_row) and the numbers of the
                                last update; group is the last group text found equal to the
                                model's (a pointer equal to it needs no comparison), NULL at
                                first; name NULL */
  /* marks of the update in progress, all 0 between updates: phases, flows
   * and lines whose numbers changed, price series whose weights are summed
   * again; slices of one array of n_dirty bytes */
  unsigned char *dirty;
  size_t n_dirty;
  unsigned char *phase_dirty, *flow_dirty, *line_dirty, *price_dirty;
  /* groups whose discounted rows and fixed cash (row_disc, group_fixed)
   * an update without the group totals left out, and their count */
  unsigned char *group_stale;
  size_t n_stale;
};

/* CET_ERR_INPUT when want asks for the group totals and the last update
 * left them out. */
int cet_dcf_check_groups(const cet_dcf *m, unsigned want);

/* The checks of dcf_check.c. The IRR search parameters. */
int cet_dcf_check_parameters(const cet_dcf_parameters *p);
/* What does not depend on the phases, flows and
 * lines: the horizon, the discount rate and the arrays. */
int cet_dcf_check_head(const cet_dcf_description *d);
/* The description of a new model: its names and numbers. */
int cet_dcf_check_description(const cet_dcf_description *d);
/* The numbers of the phases and flows an update marked as changed (the
 * rest was checked when it took its values). */
int cet_dcf_check_changes(const cet_dcf *m, const cet_dcf_description *d);
/* The numbers of line i of d, which an update marked as changed (its shape
 * is the model's). */
int cet_dcf_check_line_numbers(const cet_dcf_description *d, size_t i);

struct cet_dcf_workspace {
  size_t n_years, n_groups, n_grid;
  double *cash;     /* n_years: net cash flow of the last evaluation */
  double *yearly;   /* n_years: discounted price-driven cash per year (scratch) */
  double *groups;   /* n_groups: discounted group totals */
  double *grid_npv; /* n_grid: NPV at the IRR grid rates */
  gsl_root_fsolver *solver;
};

#endif /* CETWIN_DCF_IMPL_H */
