/*
 * twin_econ_impl.h — the data and the per-thread scratch of a twin's
 * economics stage (private to src/model): built and evaluated in
 * twin_econ.c, read by the accessors of twin_econ_prices.c, evaluated for
 * batches of price draws in twin_draws.c.
 */
#ifndef CETWIN_TWIN_ECON_IMPL_H
#define CETWIN_TWIN_ECON_IMPL_H

#include "twin_impl.h"

#include "cetwin/dcf.h"
#include "cetwin/economics.h"

#include <stddef.h>

/* The factored NPV of a workspace (twin_factored.c). */
struct econ_factored;

typedef struct {
  size_t first, count; /* a run of consecutive parameter slots */
} slot_run;

/* Dependencies of a set of numbers: runs of slots and metric indices. */
typedef struct {
  size_t n_runs, n_values, n_metrics;
  slot_run *run;
  size_t *metric;
} deps;

/* The economics spec of the twin's spec is shared, not copied: phases,
 * flows, lines and prices point into it (read only), so it must outlive
 * the twin (twin.h). What the stage derives from it is its own. */
typedef struct {
  int horizon, start_year;
  size_t ny;
  const char *currency; /* the spec's, or "EUR" */
  long discount_rate;
  cet_econ_scenario scenario;
  size_t n_phases, n_flows, n_lines, n_prices;
  const cet_econ_phase *phases; /* the spec's */
  const cet_econ_flow *flows;   /* the spec's; metric resolved into flow_metric */
  long *flow_metric;            /* [flows] metric index or -1 */
  const cet_econ_line *lines;   /* the spec's */
  const cet_econ_price *prices; /* the spec's (names, slots and models) */
  const char **price_names;     /* [prices] the spec's names */
  double *band;                 /* [prices x years] AR forecast of the scenario (model prices) */
  double *correlation;          /* [prices x prices] */
  deps dcf_deps;                /* numbers of the cash-flow description */
  deps price_deps;              /* numbers of the deterministic price paths */
  cet_dcf *proto;               /* model built from the case's values: shape and tables */
  size_t m_npv, m_irr, m_payback, m_cost, m_income;
  size_t *m_group; /* [groups] */
  size_t *m_cash;  /* [years] */
  size_t n_groups;
  /* the parts of the description each value of dcf_deps feeds, in the
   * order of its key: key_part[key_first[k] .. key_first[k + 1] - 1];
   * part 0 is the discount rate, then the phases, flows and lines */
  size_t n_parts;
  size_t *key_first, *key_part;
} econ_data;

typedef struct {
  cet_dcf *dcf;
  cet_dcf_workspace *dws;
  cet_dcf_description desc;
  cet_dcf_phase *phases;
  cet_dcf_flow *flows;
  double *by_year; /* [flows x years] */
  cet_dcf_line *lines;
  double *key_last;  /* dcf_deps values at the last update */
  double *pkey_last; /* price_deps values of the paths in prices */
  int valid, prices_valid;
  /* [n_parts] the parts whose values changed (0 between updates) */
  unsigned char *part_dirty;
  double *prices;      /* [prices x years] the paths used */
  double *drawn;       /* [prices x years] paths set by a driver */
  const double **path; /* [prices] the drawn path in use: a row of drawn, or a driver's array */
  size_t *path_stride; /* [prices] distance between the years of path */
  unsigned char *is_drawn;
  /* the prices of the drawn series are refilled at an evaluation when a
   * path was set or moved since they were last filled (paths_changed, set
   * by use_path in twin_econ_prices.c and move_paths in twin_draws.c) or a
   * drawn series reads ws's own buffer (reads_buffer: its contents may
   * change without a call); a new factor or drawing a series anew
   * refills every series (price_deps, prices_valid) */
  int paths_changed, reads_buffer;
  /* counts the changes of the drawn paths (as paths_changed, and a series
   * drawn or not): the factored NPV keeps its products of the discounted
   * schedules with the paths until it moves */
  unsigned long paths_version;
  int evaluated; /* 1 after a successful evaluation */
  /* what the selected metrics ask of the model (econ_want), for the
   * workspace's selection number want_selections when want_known */
  int want_known, want_groups, want_cash;
  unsigned want;
  unsigned long want_selections;
  /* batches of draws (twin_draws.c) */
  const double **base;              /* [prices] the drawn paths of a batch's first draw */
  cet_dcf_lane_prices *lane_series; /* [prices] where the sets of the lanes lie */
  double *lane_prices; /* [prices x years x CET_DCF_LANES] sets copied into the lanes */
  double *lane_npv;    /* [CET_DCF_LANES] */
  double *lane_groups; /* [groups x CET_DCF_LANES] */
  double *lane_cash;   /* [years x CET_DCF_LANES] */
  /* the factored NPV (twin_factored.c), NULL: every point by the model */
  struct econ_factored *factored;
} econ_ws;

/* The economics stage's data and w's scratch of it; NULL without economics. */
const econ_data *cet_twin_econ_of(const cet_twin *t);
econ_ws *cet_twin_econ_ws_of(const cet_twin_workspace *w);

/* Present values of the costs and of the income from the discounted group
 * totals g[k * stride], k < n: the negative totals negated and summed, the
 * positive ones summed, in group order. */
void cet_twin_econ_cost_income(const double *g, size_t n, size_t stride, double *cost,
                               double *income);

/* Sums the group totals of ws's model if its last update left them out
 * (the description unchanged). */
int cet_twin_econ_model_groups(econ_ws *ws);

/* The value of a price series' factor parameter, 1 without one. */
double cet_twin_econ_price_factor(const econ_data *d, const double *params, size_t c);

/* The deterministic path of series c (before its factor) in year y. */
double cet_twin_econ_base_price(const econ_data *d, const double *p, size_t c, size_t y);

/* A new model of the description at parameter values p (no linked
 * metrics); CET_ERR_INPUT when they give none. */
int cet_twin_econ_model_at(const cet_twin *t, const econ_data *d, const double *p, cet_dcf **out);

/* The NPV at p in factored form (twin_factored.c) into *npv: 1, or 0 when
 * the point needs the model (a rate of -1 or less, a price or the NPV not
 * finite: the model says what is wrong). Allocation-free. */
int cet_twin_econ_factored_npv(struct econ_factored *f, const econ_ws *ws, const double *p,
                               double *npv);
void cet_twin_econ_factored_destroy(struct econ_factored **f);

#endif /* CETWIN_TWIN_ECON_IMPL_H */
