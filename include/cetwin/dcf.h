/*
 * dcf.h — discounted cash flow (DCF) engine: yearly cash-flow lines, NPV,
 * IRR and discounted payback of a project under given price paths.
 *
 * Time runs in whole years t = 0 .. horizon; year 0 is the investment year.
 * Cash flows fall at the end of their year and are discounted with
 * d(t) = (1 + r)^-t, so
 *
 *     NPV = I_0 + sum_{t=1..horizon} I_t / (1 + r)^t
 *
 * (Suppes and Heuss-Assbichler 2021, eq. 1, whose printed exponent "r" is
 * the year index t).
 *
 * A project is a cet_dcf_description: phases (named spans of years), flows
 * (physical quantities per year: tonnes processed, tonnes recovered, litres
 * of diesel, machine hours, ...), named price series, and cash-flow lines.
 * A line's cash in year t is
 *
 *     cash(t) = sign * (1 + contingency) * amount * q(t) * v(t) * payable
 *
 * with sign -1 for costs and +1 for income; q(t) the line's flow (or 1 in
 * each year of its phase); v(t) either the fixed unit_value or the value of
 * a price series in year t. Every usual line is one of these:
 *
 *   CAPEX item         kind CAPEX: amount (quantity) x unit_value in `year`,
 *                      renewed at renewal_year (+ renewal_period ...),
 *                      liquidation * (contingent investment) credited in
 *                      liquidation_year as a separate row
 *   labour             RECURRING, amount = headcount, unit_value = salary
 *                      per person and year, over a phase
 *   services           RECURRING, amount = days per year, unit_value = EUR/d
 *   machine hours      RECURRING, flow = hours per year, unit_value = EUR/h
 *   per tonne          RECURRING, flow = tonnes processed or recovered per
 *                      year, unit_value = EUR/t
 *   energy carrier     RECURRING, flow = consumption per year, price = the
 *                      carrier's price series (EUR per unit)
 *   revenue            RECURRING income, flow = recovered mass per year,
 *                      price = commodity price, payable = NSR fraction
 *   residue            RECURRING cost (disposal) or income (sales) on the
 *                      residue flow
 *   one-off phase cost kind SPREAD: amount x unit_value spread equally over
 *                      the years of a phase (closure works, rehabilitation)
 *
 * Evaluation is split so that Monte Carlo draws are cheap: cet_dcf_create
 * validates the description and precomputes every year's price-independent
 * cash and, per price series, the yearly weight that multiplies the price.
 * cet_dcf_evaluate then costs one multiply-add per (price, year) plus the
 * optional IRR and payback searches, reads the model only (share it between
 * threads) and writes only a per-thread workspace: no allocation.
 */
#ifndef CETWIN_DCF_H
#define CETWIN_DCF_H

#include <stddef.h>

/* Kind of a cash-flow line. */
typedef enum {
  CET_DCF_RECURRING = 0, /* amount x q(t) x v(t) in each year of a phase or flow */
  CET_DCF_SPREAD,        /* amount x unit_value spread equally over a phase's years */
  CET_DCF_CAPEX          /* investment in one year, renewals, liquidation credit */
} cet_dcf_line_kind;

/* Direction of a line's cash. */
typedef enum { CET_DCF_COST = 0, CET_DCF_INCOME = 1 } cet_dcf_direction;

/* A named span of years, inclusive: operation, rehabilitation, closure,
 * aftercare. */
typedef struct {
  const char *name;
  int first_year; /* 0 <= first_year <= last_year <= horizon */
  int last_year;
} cet_dcf_phase;

/* A physical quantity per year, zero outside its phase. */
typedef struct {
  const char *name;      /* e.g. "tailings_processed" */
  const char *unit;      /* e.g. "t"; documentation only, may be NULL */
  long phase;            /* index into the phases */
  double per_year;       /* amount in each year of the phase */
  const double *by_year; /* optional horizon + 1 values replacing per_year inside
                            the phase (NULL = constant) */
} cet_dcf_flow;

/* A cash-flow line. Start from cet_dcf_line_init() and set what applies. */
typedef struct {
  const char *name;  /* unique row name, e.g. "dredger" */
  const char *group; /* summary row it adds to, e.g. "CAPEX" (Table 3's rows) */
  cet_dcf_line_kind kind;
  cet_dcf_direction direction;
  double amount;      /* multiplier in the unit of unit_value's denominator */
  long flow;          /* RECURRING: index of a flow multiplying amount, or -1 */
  long phase;         /* RECURRING: active phase (-1: the flow's phase); SPREAD: the phase */
  double unit_value;  /* EUR per unit, when price < 0 */
  long price;         /* RECURRING: index of a price series giving the value per unit
                         in each year, or -1 to use unit_value */
  double payable;     /* fraction of the value realised (NSR, payable), default 1 */
  double contingency; /* fraction added to a cost, e.g. 0.3; must be 0 for income */
  /* CAPEX only */
  int year;                      /* investment year */
  int renewal_year;              /* first renewal year (> year), 0 = never renewed */
  int renewal_period;            /* years between renewals, 0 = renewed once */
  double liquidation;            /* fraction of the contingent investment credited */
  int liquidation_year;          /* year of the credit, -1 = the horizon */
  const char *liquidation_group; /* group of the credit row; NULL = "asset liquidation" */
  int liquidation_row;           /* 1: the credit row exists even while liquidation is 0, so
                                    that cet_dcf_update may change it (default 0) */
} cet_dcf_line;

/* A project: what a config reader fills. Strings and arrays are copied by
 * cet_dcf_create; the description may be freed afterwards. */
typedef struct {
  int horizon;          /* last year; years run 0..horizon */
  double discount_rate; /* r > -1, e.g. 0.15 */
  size_t n_phases;
  const cet_dcf_phase *phases;
  size_t n_flows;
  const cet_dcf_flow *flows;
  size_t n_prices;
  const char *const *price_names; /* price series the lines refer to by index */
  size_t n_lines;
  const cet_dcf_line *lines;
} cet_dcf_description;

/* Tunables of the IRR search. */
typedef struct {
  double irr_min;       /* lowest rate searched, > -1 (default -0.99) */
  double irr_max;       /* highest rate searched (default 10, i.e. 1000 %) */
  size_t irr_grid;      /* points of the bracketing grid, uniform in ln(1 + r) (default 200) */
  double irr_tolerance; /* absolute tolerance on the rate (default 1e-10) */
  int irr_max_iter;     /* Brent iterations per root (default 100) */
} cet_dcf_parameters;

cet_dcf_parameters cet_dcf_default_parameters(void);

/* A line with every field at its default: RECURRING cost, amount 1, no
 * flow, phase or price (-1), payable 1, no contingency, no renewal, no
 * liquidation, liquidation_year -1. */
cet_dcf_line cet_dcf_line_init(void);

/* Validated, precomputed project (opaque). */
typedef struct cet_dcf cet_dcf;

/* Validates d and precomputes the price-independent parts. params may be
 * NULL for the defaults. CET_ERR_INPUT with a message naming the offending
 * phase, flow, price or line and what was expected. Not collective. */
int cet_dcf_create(cet_dcf **model, const cet_dcf_description *d, const cet_dcf_parameters *params);

/* Frees model (NULL allowed) and sets *model to NULL. */
void cet_dcf_destroy(cet_dcf **model);

/* Recomputes the precomputed parts from d, which must have the same shape
 * as the description the model was created from (horizon, counts, line
 * kinds and the flow, phase and price each line refers to; numbers and
 * phase years may differ; names must be there but are not compared again:
 * the model keeps those of the creation). No allocation: use it per draw when non-price
 * parameters are uncertain (with one model per thread). On failure the
 * model is unchanged. */
int cet_dcf_update(cet_dcf *model, const cet_dcf_description *d);

/* cet_dcf_update, leaving out what want (a mask of CET_DCF_WANT_*) does not
 * ask for. Without CET_DCF_WANT_GROUPS, the discounted group totals of the
 * groups whose lines changed are not summed (the NPV alone then costs
 * less): they are summed by the next update asked for them (with the
 * description unchanged, that update sums only them), and until then
 * cet_dcf_evaluate and cet_dcf_evaluate_lanes refuse CET_DCF_WANT_GROUPS
 * (CET_ERR_INPUT). cet_dcf_update is this function with
 * CET_DCF_WANT_GROUPS. An update compares the description's numbers with
 * those of the last update (or of the creation) and recomputes only what
 * changed: each number gets the bits a model made anew from d has. */
int cet_dcf_update_want(cet_dcf *model, const cet_dcf_description *d, unsigned want);

/* cet_dcf_update_want for a caller that knows which parts of d may have
 * changed since the last update: maybe holds one byte per phase, flow and
 * line of the model, in that order (n_phases + n_flows + n_lines bytes);
 * only those with a non-zero byte are compared and checked, the others
 * must have the numbers (and the shape) of the last update. A phase or
 * flow that changes still reschedules the lines on it. NULL: every part
 * (cet_dcf_update_want). The same bits as cet_dcf_update_want. */
int cet_dcf_update_marked(cet_dcf *model, const cet_dcf_description *d, unsigned want,
                          const unsigned char *maybe);

/* 1 when the model holds the group totals of its numbers (no update left
 * them out since), else 0. */
int cet_dcf_has_groups(const cet_dcf *model);

int cet_dcf_horizon(const cet_dcf *model);
double cet_dcf_discount_rate(const cet_dcf *model);
size_t cet_dcf_n_prices(const cet_dcf *model);
/* Index of a price series, group or row by name; -1 if absent. */
long cet_dcf_price_index(const cet_dcf *model, const char *name);
size_t cet_dcf_n_groups(const cet_dcf *model);
const char *cet_dcf_group_name(const cet_dcf *model, size_t group);
long cet_dcf_group_index(const cet_dcf *model, const char *name);
/* Rows: one per line, plus one liquidation row per CAPEX line with a
 * liquidation value or liquidation_row set ("<line name> liquidation"). */
size_t cet_dcf_n_rows(const cet_dcf *model);
const char *cet_dcf_row_name(const cet_dcf *model, size_t row);
size_t cet_dcf_row_group(const cet_dcf *model, size_t row);
/* The undiscounted schedule of row (horizon + 1 values: the cash of a row
 * without a price series, else the weight that multiplies its price) and
 * its price series (-1 without). The rows of line: *main, and the
 * liquidation row in *liquidation (-1 without). */
const double *cet_dcf_row_schedule(const cet_dcf *model, size_t row);
long cet_dcf_row_price(const cet_dcf *model, size_t row);
void cet_dcf_line_rows(const cet_dcf *model, size_t line, long *main, long *liquidation);

/* Per-thread scratch space for cet_dcf_evaluate (opaque). */
typedef struct cet_dcf_workspace cet_dcf_workspace;

/* Allocates a workspace sized for model (and any model of the same shape). */
int cet_dcf_workspace_create(const cet_dcf *model, cet_dcf_workspace **ws);

/* Frees ws (NULL allowed) and sets *ws to NULL. */
void cet_dcf_workspace_destroy(cet_dcf_workspace **ws);

/* What cet_dcf_evaluate computes besides the NPV and yearly cash flows. */
enum {
  CET_DCF_WANT_IRR = 1u << 0,     /* internal rate of return */
  CET_DCF_WANT_PAYBACK = 1u << 1, /* discounted payback */
  CET_DCF_WANT_GROUPS = 1u << 2,  /* discounted total per group (cet_dcf_workspace_groups) */
  CET_DCF_NO_CASH = 1u << 3       /* skip the yearly net cash flow (the NPV alone is then
                                     about twice as fast); ignored with IRR or payback, which
                                     need it */
};

typedef struct {
  double npv;        /* net present value, EUR */
  int irr_found;     /* 1 when an IRR was found in [irr_min, irr_max] */
  double irr;        /* the largest rate where NPV(rate) = 0; NaN when none */
  int irr_roots;     /* sign changes of NPV(rate) on the grid; > 1 flags several IRRs */
  int payback_found; /* 1 when the discounted cash flow pays back by the horizon */
  double payback;    /* years from year 0 until the cumulative discounted cash flow
                        turns non-negative for good (linear within the year);
                        +inf when it ends negative */
} cet_dcf_result;

/* Evaluates the project for price paths: price series c in year t is
 * prices[c * ld + t] (ld >= horizon + 1; prices may be NULL when the
 * project has no price series). want is a mask of CET_DCF_WANT_*.
 * "No IRR" (irr_found = 0) is a result, not an error: cash flows that never
 * change sign, or no root in the searched range. CET_ERR_INPUT if a price
 * used by a line is not finite. Reads model only; writes ws and res;
 * allocation-free. */
int cet_dcf_evaluate(const cet_dcf *model, const double *prices, size_t ld, unsigned want,
                     cet_dcf_workspace *ws, cet_dcf_result *res);

/* Price sets evaluated together by cet_dcf_evaluate_lanes. */
enum { CET_DCF_LANES = 8 };

/* Where the CET_DCF_LANES sets of one price series lie: the price of set q
 * in year t is factor * first[t * year_step + q * lane_step] (lane_step 1:
 * side by side; 0: the same path in every set). */
typedef struct {
  const double *first;
  size_t year_step, lane_step;
  double factor;
} cet_dcf_lane_prices;

/* cet_dcf_evaluate for CET_DCF_LANES sets of price paths at once, the sets
 * in the vector lanes; series[c] says where series c lies. Writes the NPV
 * of set q to npv[q]; with CET_DCF_WANT_GROUPS the discounted total of
 * group g to groups[g * CET_DCF_LANES + q]; without CET_DCF_NO_CASH the net
 * cash flow of year t to cash[t * CET_DCF_LANES + q] (groups and cash may
 * be NULL when not wanted). Every set gets the bits cet_dcf_evaluate gives
 * for its prices (the factor times the value, a factor of 1 leaving the
 * value as it is). The IRR and the payback are searched one set at a time
 * (CET_ERR_INPUT when wanted here); a non-finite NPV is left for the caller
 * to find. Reads model only; allocation-free. */
int cet_dcf_evaluate_lanes(const cet_dcf *model, const cet_dcf_lane_prices *series, unsigned want,
                           double *npv, double *groups, double *cash);

/* Net cash flow per year (horizon + 1 values) of the last evaluation made
 * without CET_DCF_NO_CASH. */
const double *cet_dcf_workspace_cash_flow(const cet_dcf_workspace *ws);

/* Discounted total per group (cet_dcf_n_groups values) of the last
 * evaluation made with CET_DCF_WANT_GROUPS. */
const double *cet_dcf_workspace_groups(const cet_dcf_workspace *ws);

/* Full cash-flow table of one evaluation: yearly cash by row and by group,
 * discounted totals (the shape of Table 3 of the tailings seed). Arrays are
 * row-major with n_years columns. Names point into the model and are valid
 * while it lives. Costs are negative. */
typedef struct {
  size_t n_years, n_rows, n_groups;
  const char *const *row_name;
  const size_t *row_group;
  const char *const *group_name;
  double *discount_factor;       /* n_years */
  double *row_yearly;            /* n_rows x n_years */
  double *row_discounted;        /* n_rows */
  double *group_yearly;          /* n_groups x n_years */
  double *group_discounted;      /* n_groups */
  double *net_yearly;            /* n_years */
  double *cumulative_discounted; /* n_years */
  double npv;
} cet_dcf_table;

/* Allocates a table sized for model. */
int cet_dcf_table_create(const cet_dcf *model, cet_dcf_table **table);

/* Frees table (NULL allowed) and sets *table to NULL. */
void cet_dcf_table_destroy(cet_dcf_table **table);

/* Fills table for the given prices (layout as in cet_dcf_evaluate). Not a
 * hot-path function, but allocation-free. */
int cet_dcf_table_fill(const cet_dcf *model, const double *prices, size_t ld, cet_dcf_table *table);

#endif /* CETWIN_DCF_H */
