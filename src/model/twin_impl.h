/*
 * twin_impl.h — the bodies of cet_twin and cet_twin_workspace and the stage
 * interface (private to src/model).
 *
 * An evaluation runs the twin's stages in order: "flows" (the steady state
 * of the network: unit inflows, stream flows, closure, consumptions, sink
 * masses), then "environment" (energy, CO2e, credits), then "exergy" (when
 * the case asks for it: twin_exergy.c), then "usage"
 * (tabulated values per unit in use: twin_usage.c), then "economics"
 * (discounted cash flow: twin_econ.c). Each stage registers its metrics when
 * the twin is built and reads the parameter vector through slots it
 * resolved then; later stages read what earlier ones left in the workspace
 * (the flows fields below) or in the metric vector. A stage that keeps
 * per-thread state (the economics stage keeps its own DCF model, updated
 * when the parameters it depends on change) registers a scratch with
 * cet_twin_set_stage_workspace. A twin without units (economics only) has
 * no flows, environment or usage stage.
 */
#ifndef CETWIN_TWIN_IMPL_H
#define CETWIN_TWIN_IMPL_H

#include "cetwin/error.h"
#include "cetwin/params.h"
#include "cetwin/twin.h"
#include "sparse_lu.h"

#include <stddef.h>

/* Evaluates one stage: reads params (and earlier stages' results in w),
 * writes its metrics and its workspace fields. Must not allocate. */
typedef int (*cet_twin_stage_fn)(const cet_twin *t, const void *data, const double *params,
                                 cet_twin_workspace *w, double *metrics);

/* Creates a stage's per-thread scratch (in cet_twin_workspace_create). */
typedef int (*cet_twin_stage_ws_create_fn)(const cet_twin *t, const void *data, void **ws);

typedef struct {
  char *name;
  void *data; /* owned; freed with destroy */
  void (*destroy)(void *data);
  cet_twin_stage_fn evaluate;
  cet_twin_stage_ws_create_fn ws_create; /* NULL: the stage keeps no per-thread state */
  void (*ws_destroy)(void *ws);
} cet_twin_stage;

/* A recycle loop or a single unit, solved as one block. */
typedef struct {
  size_t begin, size; /* range of order[] */
  int cyclic;         /* more than one unit, or a unit fed by itself */
  /* cyclic blocks only: internal edges (to, from as local indices) and
   * edges entering from outside (to as local index). */
  size_t n_internal, n_external;
  size_t *internal_edge, *internal_to, *internal_from;
  size_t *external_edge, *external_to;
  /* loops of at least par.sparse_loop_min units: the pattern of (I - S)
   * (entries: the k diagonal ones, then one per internal edge) */
  cet_sparse_lu *sparse;
} cet_twin_block;

/* A flowsheet choice unit in the twin (twin_choice.c): its chains, the
 * description's (shared, checked when the twin is built), and its metrics. */
typedef struct {
  const cet_choice_spec *spec;
  size_t m_chain, m_acceptance;
} cet_twin_choice;

/* A total: a metric that is the signed sum of other metrics (twin_totals.c). */
typedef struct {
  size_t metric;
  size_t n_terms;
  size_t *term;
  double *sign;
} cet_twin_total;

struct cet_twin {
  cet_twin_parameters par;
  const cet_twin_spec *spec; /* the description, shared (twin.h); read by twin_diagnostics.c */
  cet_params *params;        /* the parameter table (a copy of the description's) */
  size_t nc, nu, ne, nk, ncr;
  cet_names components, carriers, credits, unit_names;
  char **carrier_units;
  char *flow_units;

  /* units */
  cet_unit_kind *kind;
  cet_sink_kind *sink_kind;
  const char **process_id;  /* [units] library id or NULL (the spec's) */
  const char **where;       /* [units] location in the case (the spec's) */
  long *basis;              /* [units] consumption basis component, -1 = total */
  long *consumption;        /* [units x carriers] slots */
  long *feed_flow;          /* [units] slot of the flow of a feed */
  long *fraction;           /* [units x components] slots (feeds) */
  long *burden;             /* [units] slots (sinks) */
  long *credit;             /* [units x credits] slots (sinks) */
  int *residue;             /* [units] feeds counted as residue */
  int *remainder;           /* [units] splitters whose last outlet takes 1 - the others' shares */
  cet_twin_choice **choice; /* [units] flowsheet choice units, NULL for other kinds */

  /* edges, grouped by source unit in outlet order */
  size_t *out_begin; /* [units + 1] edges of unit u: out_begin[u] .. out_begin[u+1] */
  size_t *edge_from, *edge_to;
  const char **edge_outlet;       /* [edges] outlet names (the spec's) */
  const cet_names **outlet_names; /* [units] outlet names (the spec's) */
  long *split;                    /* [edges x components] slots of process edges */
  long *share;                    /* [edges] slots of splitter edges */
  size_t *in_begin;               /* [units + 1] incoming edges in in_edge */
  size_t *in_edge;

  /* solve order */
  size_t *order;    /* [units] units in topological order of their blocks */
  size_t *position; /* [units] local index of a unit within its block */
  size_t n_blocks;
  cet_twin_block *block;
  size_t max_block;      /* largest cyclic block */
  size_t max_dense;      /* largest cyclic block solved dense */
  size_t sparse_scratch; /* doubles a sparse block's solve needs at most (values + factors) */
  size_t n_loops;
  size_t *loop_block; /* [loops] block index */

  /* metrics */
  size_t nm, cap_m;
  char **metric_name, **metric_units, **metric_description;
  unsigned char *metric_share;           /* [metrics] 1: a share (cet_twin_mark_share) */
  cet_twin_metric_family *metric_family; /* [metrics] as registered */

  /* feasibility metrics (cet_twin_feasibility_count) */
  size_t n_feasibility;
  size_t *feasibility;
  /* totals (twin_totals.c), evaluated after every stage */
  size_t n_totals;
  cet_twin_total *total;

  /* stages, evaluated in order */
  size_t n_stages;
  cet_twin_stage *stage;
  long economics_stage; /* index of the economics stage, or -1 */
  long exergy_stage;    /* index of the exergy stage, or -1 */
};

struct cet_twin_workspace {
  const cet_twin *twin;
  double *params; /* [parameters] buffer for cet_twin_evaluate_bound */
  /* flows stage results */
  double *feed;        /* [units x components] external feed */
  double *share;       /* [edges x components] normalised shares */
  double *x;           /* [units x components] inflow (solution) */
  double *flow;        /* [edges x components] */
  double *outflow;     /* [units x components] */
  double *closure;     /* [units x components] */
  double *consumption; /* [units x carriers] */
  double *carrier;     /* [carriers] totals */
  double *feed_total;  /* [components] */
  double max_closure;
  /* scratch */
  double *a, *b;  /* dense solve: [max_dense^2], [max_block] */
  double *sparse; /* sparse solve: [sparse_scratch] */
  double *row;    /* [components] */
  /* per-stage scratch ([stages], NULL where a stage keeps none) */
  void **stage_ws;
  /* [metrics] 1 where the metric is wanted (cet_twin_workspace_select) */
  unsigned char *want;
  /* how many times want was set (stages keep what they derive from it) */
  unsigned long selections;
  /* [metrics] one evaluation's metric vector (cet_twin_evaluate_draws) */
  double *all;
};

/* Registers a metric of the given family (twin.h: what kind of figure it
 * is, which decides where reports show it); *index gets its position in
 * the metric vector. Fails on a duplicate name. Build time only. */
int cet_twin_add_metric(cet_twin *t, const char *name, cet_twin_metric_family family,
                        const char *units, const char *description, size_t *index);

/* cet_twin_add_metric with the name formatted printf-style. */
int cet_twin_add_metricf(cet_twin *t, size_t *index, cet_twin_metric_family family,
                         const char *units, const char *description, const char *fmt, ...)
    CET_PRINTF(6, 7);

/* Marks metric index, of units "1", as a share of a whole (a recovery, a
 * rate of return, an efficiency): printed as a percentage (quantity.h).
 * Build time only. */
void cet_twin_mark_share(cet_twin *t, size_t index);

/* Marks metric index as a feasibility metric (twin.h). Build time only. */
int cet_twin_add_feasibility(cet_twin *t, size_t index);

/* Appends a stage (takes ownership of data, also on failure). Build time only. */
int cet_twin_add_stage(cet_twin *t, const char *name, cet_twin_stage_fn evaluate, void *data,
                       void (*destroy)(void *data));

/* Gives the stage added last a per-thread scratch: create runs in
 * cet_twin_workspace_create (it may allocate), destroy in
 * cet_twin_workspace_destroy. The stage finds it with cet_twin_stage_ws. */
void cet_twin_set_stage_workspace(cet_twin *t, cet_twin_stage_ws_create_fn create,
                                  void (*destroy)(void *ws));

/* The scratch of stage s in w. */
static inline void *cet_twin_stage_ws(const cet_twin_workspace *w, size_t s) {
  return w->stage_ws[s];
}

/* Value of a slot: params[slot], or 0 for CET_SLOT_NONE. */
static inline double cet_twin_slot_value(const double *params, long slot) {
  return slot < 0 ? 0.0 : params[slot];
}

/* The flow unit u's consumptions are per tonne of, from its inflow in w->x:
 * its basis component, or its whole inflow when it has none. */
static inline double cet_twin_basis_flow(const cet_twin *t, const cet_twin_workspace *w, size_t u) {
  const double *xu = w->x + u * t->nc;
  if (t->basis[u] >= 0) {
    return xu[t->basis[u]];
  }
  double basis = 0.0;
  for (size_t c = 0; c < t->nc; c++) {
    basis += xu[c];
  }
  return basis;
}

/* What exchange unit u moves with the net flow params[net] (import minus
 * export) given its inflow in w->x: the mass imported, the mass exported
 * (at most its whole inflow) and the shortfall (the export asked beyond the
 * inflow, 0 when feasible); returns the inflow. */
static inline double cet_twin_exchange_masses(const cet_twin *t, size_t u, const double *params,
                                              const cet_twin_workspace *w, double *imported,
                                              double *exported, double *shortfall) {
  double net = params[t->feed_flow[u]], available = 0.0;
  for (size_t c = 0; c < t->nc; c++) {
    available += w->x[u * t->nc + c];
  }
  double asked = net < 0.0 ? -net : 0.0;
  *imported = net > 0.0 ? net : 0.0;
  *exported = asked < available ? asked : available;
  *shortfall = asked - *exported;
  return available;
}

/* Graph analysis (twin_graph.c): edges, incoming lists, blocks in
 * topological order (Tarjan), loops; checks the structure. */
int cet_twin_build_graph(cet_twin *t, const cet_twin_spec *spec);

/* "a, b, c": the names of the units of block bi, into buf (truncated). */
void cet_twin_block_units(const cet_twin *t, size_t bi, char *buf, size_t len);

/* Stage builders. */
int cet_twin_build_flows(cet_twin *t, const cet_twin_spec *spec);
int cet_twin_build_structural(cet_twin *t, const cet_twin_spec *spec);
int cet_twin_build_environment(cet_twin *t, const cet_twin_spec *spec);
int cet_twin_build_exergy(cet_twin *t, const cet_twin_spec *spec);
int cet_twin_build_usage(cet_twin *t, const cet_twin_spec *spec);
int cet_twin_build_criteria(cet_twin *t, const cet_twin_spec *spec); /* twin_criteria.c */
int cet_twin_build_economics(cet_twin *t, const cet_twin_spec *spec);

/* Flowsheet choice units (twin_choice.c; the kind's record is in
 * twin_kinds.h). Frees every unit's chains. */
void cet_twin_choice_free(cet_twin *t);

/* Registers chain.UNIT and acceptance.UNIT of every choice unit, each
 * acceptance a feasibility metric and a term of the total
 * `infeasibility`; build time. */
int cet_twin_choice_register(cet_twin *t);

/* The chain number and acceptance metrics from the solved inflows. */
void cet_twin_choice_metrics(const cet_twin *t, const double *params, cet_twin_workspace *w,
                             double *metrics);

/* The total of the feasibility metrics of the structural choices and of
 * the consumptions (a term each: acceptance.UNIT, unknown_consumption). */
#define CET_TWIN_INFEASIBILITY "infeasibility"
#define CET_TWIN_INFEASIBILITY_TEXT                                                                \
  "sum of the constraint violations of the structural choices (0: the design is feasible)"

/* Totals (twin_totals.c). Adds sign x metric `term` to the total named
 * name, registered (with units and description, family headline) at its
 * first term; a total is computed after every stage, so any stage's
 * metric may be a term. Adding a term to a total is this one call. Build
 * time only. */
int cet_twin_add_term(cet_twin *t, const char *name, const char *units, const char *description,
                      size_t term, double sign);

/* Appends the stage that computes the totals, when there are any. */
int cet_twin_build_totals(cet_twin *t);

/* Frees the totals. */
void cet_twin_totals_free(cet_twin *t);

#endif /* CETWIN_TWIN_IMPL_H */
