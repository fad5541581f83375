/*
 * twin.h — the twin model (docs/architecture.md, "The model"): one
 * evaluation maps a vector of parameter values to a vector of named
 * metrics.
 *
 * A cet_twin is built once from a description (network.h) and is immutable
 * afterwards, so any number of threads may evaluate it at the same time,
 * each with its own workspace. Every numeric parameter of the twin has one
 * slot in a flat vector, addressed by the key path of the case file (the
 * same path `--set` uses); the defaults are the values read. A driver copies
 * the defaults, writes its variables into the copy (directly or through a
 * cet_binding), and evaluates. Evaluation is pure: no I/O, no globals, no
 * allocation.
 *
 * The steady state is exact: per component, the block-triangular form of
 * (I - S) x = f is solved directly, the strongly connected components of
 * the unit graph (the recycle loops) in topological order by a dense LU, or
 * from cet_twin_parameters.sparse_loop_min units on by elimination on the
 * loop's sparsity pattern, every other unit by propagation; no tear-stream
 * iteration.
 *
 * Nothing here is collective. Status codes follow error.h.
 */
#ifndef CETWIN_TWIN_H
#define CETWIN_TWIN_H

#include "cetwin/dcf.h"
#include "cetwin/names.h"
#include "cetwin/network.h"
#include "cetwin/price.h"

#include <stddef.h>

typedef struct cet_twin cet_twin;
typedef struct cet_twin_workspace cet_twin_workspace;
typedef struct cet_binding cet_binding;

/* Tunables of the model. */
typedef struct {
  /* A pivot of (I - S) of a recycle loop below this magnitude means the
   * loop has (almost) no exit for a component: the system is singular. The
   * matrix has unit scale (shares in [0, 1]), so the tolerance is absolute. */
  double pivot_tolerance; /* 1e-12 */
  /* Recycle loops of at least this many units are solved on their sparsity
   * pattern (sparse_lu.h: O(nonzeros) memory, no n^3 work), smaller ones by
   * a dense LU with partial pivoting. 0 means the default. */
  size_t sparse_loop_min; /* 16 */
} cet_twin_parameters;

cet_twin_parameters cet_twin_default_parameters(void);

/* Builds the twin from a description; par may be NULL for the defaults.
 * Ownership: the twin shares spec read-only rather than copying it: the
 * names, locations and process ids of the units, their outlets, the chains
 * of flowsheet choice units and the economics description (economics.h)
 * are the spec's, so spec must outlive
 * the twin (destroy the twin first). What the twin derives from spec is its
 * own: the parameter table, the metric names, the graph and the slots of
 * every unit laid out in the arrays its evaluation reads, checked once. Checks the structure
 * (every outlet connected once, no stream into a feed or out of a sink,
 * every unit reaching a sink) and solves once with the default parameters:
 * a recycle loop without exit for some component is a CET_ERR_INPUT that
 * names the loop's units and where they are defined. */
int cet_twin_create(const cet_twin_spec *spec, const cet_twin_parameters *par, cet_twin **out);

void cet_twin_destroy(cet_twin **t);

/* ---- parameters ---- */

size_t cet_twin_parameter_count(const cet_twin *t);

/* Path, units and valid range of parameter i. */
const char *cet_twin_parameter_path(const cet_twin *t, size_t i);
const char *cet_twin_parameter_units(const cet_twin *t, size_t i);
void cet_twin_parameter_range(const cet_twin *t, size_t i, double *lo, double *hi);
/* Flags of parameter i (CET_PARAM_..., params.h). */
unsigned cet_twin_parameter_flags(const cet_twin *t, size_t i);

/* The default values, one per parameter (read-only, owned by the twin). */
const double *cet_twin_parameter_defaults(const cet_twin *t);

/* Index of the parameter at path, or -1. */
long cet_twin_parameter_find(const cet_twin *t, const char *path);
/* The parameter path closest to path, for "did you mean" (NULL: none). */
const char *cet_twin_parameter_closest(const cet_twin *t, const char *path);

/* ---- metrics ---- */

size_t cet_twin_metric_count(const cet_twin *t);
const char *cet_twin_metric_name(const cet_twin *t, size_t i);
const char *cet_twin_metric_units(const cet_twin *t, size_t i);
const char *cet_twin_metric_description(const cet_twin *t, size_t i);
/* 1 when metric i is a share of a whole (a recovery, the internal rate of
 * return, an efficiency, a usage rate), as its definer declares: printed
 * as a percentage (quantity.h). */
int cet_twin_metric_is_share(const cet_twin *t, size_t i);

/* What kind of figure a metric is, declared by the stage that registers
 * it, so that a report chooses metrics by family rather than by the shape
 * of their names. Written to /simulate/metrics/family by name
 * (cet_twin_metric_family_name). */
typedef enum {
  /* a figure of the whole system or of one component, carrier, credit,
   * quantity or unit, read at a glance (feed, recovery.Cu,
   * consumption.electricity, gwp, npv, exergy.input, usage.rate.UNIT):
   * the summary's key metrics */
  CET_METRIC_FAMILY_HEADLINE = 0,
  /* a breakdown kept in the result file: per sink (mass.SINK,
   * mass.SINK.COMPONENT, recovery.COMPONENT.SINK), the production of each
   * component (production.COMPONENT) and each exchange unit's export of
   * each component (export.UNIT.COMPONENT) */
  CET_METRIC_FAMILY_DETAIL,
  /* a term of one unit's balance, shown in a per-unit table of its own
   * (exergy.UNIT.in, ..., exergy.UNIT.efficiency) */
  CET_METRIC_FAMILY_UNIT,
  /* the cash flow: the net cash of each year (cash.YEAR) and the
   * discounted total of each group (dcf.GROUP), shown in the cash-flow
   * table */
  CET_METRIC_FAMILY_CASH_FLOW,
  CET_METRIC_FAMILY_COUNT
} cet_twin_metric_family;

/* The family metric i was registered with. */
cet_twin_metric_family cet_twin_metric_family_of(const cet_twin *t, size_t i);
/* The name of family f as the result file holds it: "headline", "detail",
 * "unit" or "cash_flow". */
const char *cet_twin_metric_family_name(cet_twin_metric_family f);
/* The family named name, or -1 when no family has that name. */
int cet_twin_metric_family_find(const char *name);

/* The name of the share of a component's feed that reaches a sink, as a
 * printf format of the component's and the sink's names (twin_flows.c
 * defines these metrics; the sinks table looks them up by it). */
#define CET_METRIC_SINK_RECOVERY "recovery.%s.%s"
/* The name of a carrier's total consumption, as a printf format of the
 * carrier's name (twin_flows.c; its units are those of the carrier's column
 * of /simulate/consumption). */
#define CET_METRIC_CONSUMPTION "consumption.%s"

/* Index of the metric named name (e.g. "recovery.Cu", "gwp"), or -1. */
long cet_twin_metric_find(const cet_twin *t, const char *name);
/* The metric name closest to name, for "did you mean" (NULL: none). */
const char *cet_twin_metric_closest(const cet_twin *t, const char *name);

/* The feasibility metrics: metrics that are 0 when the structural choices
 * of a design can be carried out and positive by how much they cannot (an
 * exchange unit asked to export more than reaches it). An optimiser adds
 * each as a constraint `<= 0`, so an infeasible design is dominated by any
 * feasible one rather than failing the run. */
size_t cet_twin_feasibility_count(const cet_twin *t);
/* The metric index of feasibility metric i. */
size_t cet_twin_feasibility_metric(const cet_twin *t, size_t i);

/* The feasibility metric of a twin where some unit's consumption may be
 * unknown (`~` in the library): the number of units carrying flow whose
 * consumption of some carrier is unknown. Such a design cannot be priced
 * (its consumptions, energy, cost and CO2e are NaN), so it is infeasible.
 * Absent (cet_twin_metric_find gives -1) when every consumption is known. */
#define CET_TWIN_UNKNOWN_CONSUMPTION "unknown_consumption"

/* ---- structure (for reports) ---- */

const cet_names *cet_twin_components(const cet_twin *t);
const cet_names *cet_twin_carriers(const cet_twin *t);
const char *cet_twin_carrier_units(const cet_twin *t, size_t k);
const char *cet_twin_flow_units(const cet_twin *t);

size_t cet_twin_unit_count(const cet_twin *t);
const char *cet_twin_unit_name(const cet_twin *t, size_t u);
cet_unit_kind cet_twin_unit_kind(const cet_twin *t, size_t u);
/* Sink kind of unit u (meaningful for sinks only). */
cet_sink_kind cet_twin_unit_sink_kind(const cet_twin *t, size_t u);
/* Library process id of a process unit, NULL when inline or not a process. */
const char *cet_twin_unit_process(const cet_twin *t, size_t u);

/* Flowsheet choice units: the number of chains of unit u (0 for a unit of
 * another kind), the label of chain i (0-based; e.g. "SME+ELEC+ER"), and
 * the chain (0-based) that the parameter vector params chooses. */
size_t cet_twin_unit_chain_count(const cet_twin *t, size_t u);
const char *cet_twin_unit_chain_label(const cet_twin *t, size_t u, size_t i);
size_t cet_twin_unit_chain(const cet_twin *t, size_t u, const double *params);

/* The routes parameter slot chooses among, when it is a selector's outlet
 * index (its outlet names, for the values 0, 1, ...) or a flowsheet choice
 * unit's chain number (its chain labels, for the values 1, 2, ...): the
 * names, *first set to the value of the first; NULL for any other
 * parameter. */
const cet_names *cet_twin_parameter_choices(const cet_twin *t, size_t slot, long *first);

/* Whether parameter slot had no effect on the last evaluation of w: 1 when
 * it chooses the route of a selector or a flowsheet choice unit (as
 * cet_twin_parameter_choices) whose inflow was exactly zero for every
 * component (everything upstream went elsewhere), so that any other value
 * gives the same flows and metrics but for the unit's own chain.UNIT; 0 for a
 * unit that received some flow and for every other parameter (an exchange
 * flow always matters: an import adds flow, an export beyond the inflow is
 * infeasible). */
int cet_twin_parameter_idle(const cet_twin *t, size_t slot, const cet_twin_workspace *w);

/* Whether flowsheet choice unit u's chosen chain accepts the inflow that
 * the last evaluation of w (with params) left: returns the acceptance
 * violation (0: accepted, as metric acceptance.UNIT) and writes into buf
 * "accepted" or which step, process and component fall outside the
 * window, at what mass fraction. scratch holds one value per component. */
double cet_twin_unit_acceptance(const cet_twin *t, size_t u, const double *params,
                                const cet_twin_workspace *w, double *scratch, char *buf,
                                size_t len);

/* Streams (edges), one per connected outlet, ordered by source unit and
 * outlet; edge e leaves unit from through outlet (named) and enters to. */
size_t cet_twin_edge_count(const cet_twin *t);
void cet_twin_edge(const cet_twin *t, size_t e, size_t *from, const char **outlet, size_t *to);
/* The name of stream e, "UNIT.OUTLET" (allocated into *out; free()), as
 * /simulate/streams/name and reconcile measurements write it. */
int cet_twin_edge_name(const cet_twin *t, size_t e, char **out);

/* Recycle loops: strongly connected components with more than one unit
 * or a unit fed by itself. Units of loop l in the order of the solve. */
size_t cet_twin_loop_count(const cet_twin *t);
size_t cet_twin_loop_size(const cet_twin *t, size_t l);
size_t cet_twin_loop_unit(const cet_twin *t, size_t l, size_t i);

/* ---- evaluation ---- */

/* A per-thread workspace for t (t must outlive it). */
int cet_twin_workspace_create(const cet_twin *t, cet_twin_workspace **out);

void cet_twin_workspace_destroy(cet_twin_workspace **w);

/* Evaluates the twin at params[cet_twin_parameter_count(t)] and writes
 * metrics[cet_twin_metric_count(t)]. Pure and allocation-free; thread-safe
 * with one workspace per thread. Fails (CET_ERR_RUNTIME, metrics then
 * undefined) when a parameter is outside its range or NaN, when the split
 * factors of a component or the fractions of a splitter or feed sum to 0,
 * or when a recycle loop has no exit for a component at these values (the
 * message names the units and the component). */
int cet_twin_evaluate(const cet_twin *t, const double *params, cet_twin_workspace *w,
                      double *metrics);

/* As cet_twin_evaluate, without checking every parameter against its
 * range first: for drivers that change only parameters whose values they
 * have checked (the Monte Carlo draws a parameter only from a distribution
 * whose support lies within its range). The stages' own checks remain. */
int cet_twin_evaluate_prechecked(const cet_twin *t, const double *params, cet_twin_workspace *w,
                                 double *metrics);

/* Details of the last successful evaluation in w; read-only views owned by
 * w, valid until its next evaluation. Mass flows in flow units. */
const double *cet_twin_workspace_edge_flows(const cet_twin_workspace *w); /* [edges x components] */
const double *
cet_twin_workspace_unit_inflow(const cet_twin_workspace *w); /* [units x components] */
const double *
cet_twin_workspace_unit_outflow(const cet_twin_workspace *w); /* [units x components] */
/* Relative closure |in - out| / max(in, out) per unit and component (0 when
 * both are 0; sinks are 0 by definition). */
const double *cet_twin_workspace_closure(const cet_twin_workspace *w); /* [units x components] */
/* Consumption of each carrier by each unit (carrier units x flow). */
const double *
cet_twin_workspace_unit_consumption(const cet_twin_workspace *w); /* [units x carriers] */

/* Exergy (user guide: Exergy): present when the case has an `exergy:`
 * section. The terms of a unit's exergy balance, in the order of the rows
 * of cet_twin_workspace_unit_exergy: in = products + residues + destroyed. */
enum {
  CET_EXERGY_IN = 0,
  CET_EXERGY_PRODUCTS = 1,
  CET_EXERGY_RESIDUES = 2,
  CET_EXERGY_DESTROYED = 3,
  CET_EXERGY_TERMS = 4
};

/* The names of the exergy stage's system metrics that reports show by
 * their meaning (twin_exergy.c defines them; the simulate summary's exergy
 * line looks them up by these names). */
#define CET_METRIC_EXERGY_INPUT "exergy.input"           /* feeds and carriers */
#define CET_METRIC_EXERGY_RECOVERED "exergy.recovered"   /* products and valorised */
#define CET_METRIC_EXERGY_LANDFILLED "exergy.landfilled" /* to landfill sinks */
#define CET_METRIC_EXERGY_EXPORTED "exergy.exported"     /* to export sinks and exchanges */
#define CET_METRIC_EXERGY_DESTROYED "exergy.destroyed"   /* destroyed by all units */
#define CET_METRIC_EXERGY_EFFICIENCY "exergy.efficiency" /* recovered / input */

/* 1 when the twin has an exergy stage. */
int cet_twin_has_exergy(const cet_twin *t);

/* Exergy of the last evaluation in w (NULL without an exergy stage);
 * read-only views owned by w. Specific chemical exergy in GJ/t; flows in
 * GJ per period of the flow units (GJ/a for t/a). */
const double *cet_twin_workspace_specific_exergy(const cet_twin_workspace *w); /* [components] */
const double *cet_twin_workspace_stream_exergy(const cet_twin_workspace *w);   /* [edges] */
const double *
cet_twin_workspace_unit_exergy(const cet_twin_workspace *w); /* [units x CET_EXERGY_TERMS] */

/* The parameter buffer of w (cet_twin_parameter_count values), free for the
 * caller to fill; cet_twin_evaluate_bound uses it. */
double *cet_twin_workspace_params(cet_twin_workspace *w);

/* Restricts the next evaluations in w to the metrics listed (indices; n of
 * them), so that stages may skip costly ones (the economics stage skips
 * the IRR, the payback and the group totals when none of them is wanted);
 * metrics not wanted may then hold anything. metrics = NULL: all (the
 * default). CET_ERR_INPUT for an index out of range. */
int cet_twin_workspace_select(cet_twin_workspace *w, const size_t *metrics, size_t n);

/* ---- economics (user guide: Economics; a twin built with an economics
 * description) ----
 *
 * The economics stage evaluates the discounted cash flow after the network
 * (if any), with every cash-flow number a parameter and flows optionally
 * linked to metrics. Its metrics: npv (EUR), irr (1, NaN when the cash flow
 * has none), payback (years, NaN when it never pays back), cost_pv and
 * income_pv (present values of the cost and income groups, EUR), dcf.GROUP
 * (discounted total of each group, EUR) and cash.T (net cash flow of year
 * T, EUR). Price series follow their deterministic path (the case's
 * scenario) unless a driver draws a path into the workspace. */

/* 1 when the twin has an economics stage. */
int cet_twin_has_economics(const cet_twin *t);

/* Years of the cash flow (horizon + 1; 0 without economics) and the
 * calendar year of DCF year 0. */
size_t cet_twin_year_count(const cet_twin *t);
int cet_twin_start_year(const cet_twin *t);

/* Price series (0 without economics), their names and units. */
size_t cet_twin_price_count(const cet_twin *t);
const char *cet_twin_price_name(const cet_twin *t, size_t c);
const char *cet_twin_price_units(const cet_twin *t, size_t c);
long cet_twin_price_find(const cet_twin *t, const char *name);

/* The AR model of series c (owned by the twin), NULL for constant and path
 * series: only AR series can be drawn. */
const cet_price_model *cet_twin_price_model(const cet_twin *t, size_t c);

/* Correlation of the shocks of AR series a and b (1 when a == b). */
double cet_twin_price_correlation(const cet_twin *t, size_t a, size_t b);

/* Buffer for a drawn path of series c (cet_twin_year_count values, DCF
 * years 0..horizon) in w; the path is used (times the series' factor)
 * while cet_twin_workspace_draw_price(w, c, 1) is in effect. */
double *cet_twin_workspace_price_path(cet_twin_workspace *w, size_t c);
void cet_twin_workspace_draw_price(cet_twin_workspace *w, size_t c, int drawn);

/* Uses path (year y at path[y * stride], y < cet_twin_year_count;
 * borrowed: it must stay valid and unchanged until the evaluation) as the
 * drawn path of series c instead of w's own buffer, saving a copy per draw
 * (a stride reads a path in place from a batch of draws); NULL returns to
 * the buffer. New values written at path are read after this call only:
 * an evaluation that follows none reuses the prices of the one before
 * (w's own buffer is read at every evaluation). */
void cet_twin_workspace_set_price_path(cet_twin_workspace *w, size_t c, const double *path,
                                       size_t stride);

/* cet_twin_workspace_set_price_path(w, series[k], first + k * series_step,
 * stride) for k < n, in one call (a driver moving every drawn series to
 * the paths of another draw). */
void cet_twin_workspace_set_price_paths(cet_twin_workspace *w, size_t n, const size_t *series,
                                        const double *first, size_t series_step, size_t stride);

/* Lets w evaluate the NPV of the twin's economics stage in factored form
 * for a run that moves only the parameters slots[0 .. n - 1], every other
 * one at its default, and the paths of drawn price series. It applies
 * (*applies = 1) when each moved parameter enters the cash flow only as a
 * multiplier of whole rows (a line's amount, unit value, payable
 * fraction, contingency as 1 + c, liquidation fraction; a flow's per-year
 * quantity; a price series' factor) or as the discount rate, and no flow
 * is linked to a metric; else *applies = 0 and why (len bytes) says what
 * refuses it. Then an evaluation that selects the npv and no other metric
 * of the stage sums, over the rows of the model at the moved parameters'
 * neutral values, each row's multiplier at the point times its present
 * value at the point's rate (kept for the last two rates), the price rows
 * times their discounted paths: the model's NPV up to rounding, without
 * its checks of the numbers, and without a cash-flow table for the
 * accessors. tie (NULL: none) promises that the parameters with the same
 * tie[k] (not SIZE_MAX) keep one ratio of their value to their default at
 * every point (the unit values of a scale factor): rows that differ only
 * in which of them they read are then summed once, at the defaults (a
 * parameter listed twice is not tied). Setting it again replaces it; n = 0
 * turns it off. */
int cet_twin_workspace_factor_npv(cet_twin_workspace *w, const size_t *slots, const size_t *tie,
                                  size_t n, int *applies, char *why, size_t len);

/* 1 when w evaluates the NPV in factored form for the metrics selected
 * (cet_twin_workspace_select): the form is set and they ask nothing else
 * of the economics stage; else 0 and why (len bytes) says what refuses it. */
int cet_twin_workspace_npv_factored(cet_twin_workspace *w, char *why, size_t len);

/* Evaluates `count` draws that share the parameter values params and
 * differ only in the paths of the drawn price series: draw k reads series
 * c's path at the one set with cet_twin_workspace_set_price_path moved by
 * k * draw_step doubles (so every drawn series needs such a path holding
 * the count draws). Writes metric[j] of draw k to out[k * n + j] (listed
 * metrics must be among those selected with cet_twin_workspace_select).
 * check: every parameter against its range first, as cet_twin_evaluate.
 * Each draw gets the bits of its own cet_twin_evaluate: the stages before
 * the economics (which do not read prices) run once, and the cash flows
 * of the draws are evaluated CET_DCF_LANES at a time in the vector lanes,
 * unless the IRR or the payback is listed (searched one draw at a time). On
 * failure *failed is the draw that failed (the error names the problem as
 * the draw's own evaluation would); paths return to draw 0 afterwards. */
int cet_twin_evaluate_draws(const cet_twin *t, const double *params, cet_twin_workspace *w,
                            int check, size_t count, size_t draw_step, const size_t *metric,
                            size_t n, double *out, size_t *failed);
/* Price paths of the last evaluation in w ([prices x years], factors
 * applied), or NULL without economics. */
const double *cet_twin_workspace_prices(const cet_twin_workspace *w);

/* Full cash-flow table (rows, groups, yearly and discounted; see dcf.h) of
 * the last successful evaluation in w. Create the table with
 * cet_twin_cash_table_create, destroy it with cet_twin_cash_table_destroy
 * (NULL-safe; sets *table NULL). Not a hot path. CET_ERR_INPUT without
 * economics. */
int cet_twin_cash_table_create(const cet_twin *t, cet_dcf_table **table);
void cet_twin_cash_table_destroy(cet_dcf_table **table);
int cet_twin_workspace_cash_table(const cet_twin_workspace *w, cet_dcf_table *table);

/* ---- variables bound to parameters ---- */

/* Binds variable k (0..n-1) to the parameter at paths[k]. Fails with
 * CET_ERR_INPUT naming the first unknown path and the closest known one, or
 * a path given twice. */
int cet_binding_create(const cet_twin *t, const char *const *paths, size_t n, cet_binding **out);

void cet_binding_destroy(cet_binding **b);

size_t cet_binding_size(const cet_binding *b);

/* Parameter slot of variable k. */
size_t cet_binding_slot(const cet_binding *b, size_t k);

/* params[slot of k] = x[k] for every variable. */
void cet_binding_apply(const cet_binding *b, const double *x, double *params);

/* Evaluates at the defaults with the bound variables set to x: copies the
 * defaults into w's parameter buffer, applies b (NULL: none) and evaluates.
 * Same guarantees as cet_twin_evaluate. */
int cet_twin_evaluate_bound(const cet_twin *t, const cet_binding *b, const double *x,
                            cet_twin_workspace *w, double *metrics);

#endif /* CETWIN_TWIN_H */
