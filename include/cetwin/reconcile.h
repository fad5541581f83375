/*
 * reconcile.h — data reconciliation of a network twin: measured stream
 * flows and compositions adjusted by weighted least squares so that every
 * process unit, splitter and mixer balances each component, with the
 * classification of what the measurements determine and the tests for
 * gross errors (user guide: "Reconciling plant data").
 *
 * The state is the component mass flow of every stream (stream-major,
 * [streams x components], the streams of cet_twin_edge); the balances are
 * linear in it (in = out per process unit, splitter, mixer and selector
 * and component; feeds, sinks and exchanges are the boundary), so the
 * reconciled state is sought in their null space, on a basis of
 * fundamental cycles: a spanning forest of the units (the boundary one
 * node) takes the unmeasured streams first, and the flows of the other
 * streams (chords) are the unknowns; every other flow is a signed sum of
 * them, so any value of the unknowns balances every unit exactly. A
 * measurement is a function of the state: a stream's total flow or one
 * component's flow (linear) or one component's mass fraction (flow over
 * total: bilinear in total x fraction). The weighted sum of squared
 * adjustments, sum_i ((y_i - h_i(m)) / sd_i)^2, is minimised by
 * Gauss-Newton steps (successive linearisation; the step solves the
 * sparse normal equations of the linearised problem, factored on their
 * pattern without pivoting, unknowns the measurements do not determine
 * held; halved while it does not lower the sum) from the twin's own
 * steady state until the largest change of a component flow is at most
 * tolerance x the largest flow. Without fraction measurements the problem
 * is linear and one step is its closed form.
 *
 * Statistics come from the linearisation at the solution: the reconciled
 * covariance of the state is a generalised inverse of the weighted normal
 * matrix (the same for every quantity the measurements determine); a
 * state quantity is observable when the measurements determine it (its
 * gradient lies in the row space of the Jacobian), a measurement redundant
 * when its own quantity would still be observable without it (the variance
 * of its adjustment is positive). Only the variances reported are
 * computed, each by one sparse triangular solve on the rows its gradient
 * reaches, never the full covariance. The global test compares the
 * minimum sum with the chi-square quantile of 1 - alpha on (measurements
 * used - rank) degrees of freedom; the measurement test compares each
 * normalised adjustment with the two-sided normal quantile at the Sidak
 * level 1 - (1 - alpha)^(1/n) over the n redundant measurements; the
 * culprit is the redundant measurement with the largest normalised
 * adjustment beyond it (of measurements tied to 1e-6 relative, as those
 * of one equivalence set are, the first listed). With drop_gross_errors
 * the culprit is set aside and the rest reconciled again, until none is
 * left.
 *
 * Nothing here is collective or allocates in a hot path; status codes
 * follow error.h.
 */
#ifndef CETWIN_RECONCILE_H
#define CETWIN_RECONCILE_H

#include "cetwin/twin.h"

#include <stddef.h>

/* What a measurement measures on its stream. */
typedef enum {
  CET_MEASURE_TOTAL = 0, /* total mass flow (flow units) */
  CET_MEASURE_FLOW,      /* mass flow of one component (flow units) */
  CET_MEASURE_FRACTION,  /* mass fraction of one component (1) */
  CET_MEASURE_KINDS
} cet_measure_kind;

typedef struct {
  size_t stream;         /* edge of the twin */
  cet_measure_kind kind; /* what is measured */
  size_t component;      /* for FLOW and FRACTION */
  double value;          /* measured value */
  double sd;             /* absolute standard deviation, > 0 */
  char *quantity;        /* "total", "flow.Cu", "fraction.Cu" as written */
  char *where;           /* "FILE:LINE:COL" of the measurement, for messages */
} cet_measurement;

/* The reconciliation a case asks for (`reconcile:`), filled by the config
 * reader; plain data, freed with cet_reconcile_spec_destroy. */
typedef struct cet_reconcile_spec {
  size_t n;                 /* measurements */
  size_t n_listed;          /* of them listed in the case; the rest from csv */
  cet_measurement *measure; /* [n] */
  char *source;             /* where the data come from (may be "") */
  char *csv;                /* the CSV file read, or NULL */
  int drop_gross_errors;    /* 1: set culprits aside and reconcile again */
  double alpha;             /* significance of the tests (0.05) */
  double tolerance;         /* relative change of the flows that ends the iteration (1e-10) */
  size_t max_iterations;    /* Gauss-Newton steps at most (100) */
  char *write_parameters;   /* file the derived parameters are written to, or NULL */
} cet_reconcile_spec;

void cet_reconcile_spec_destroy(cet_reconcile_spec **s);

/* The outcome of a reconciliation (all arrays owned). Measurements set
 * aside still have a reconciled value (the estimate without them) and an
 * adjustment; their normalised adjustment is NaN. */
typedef struct {
  size_t n_streams, n_components, n_measures;
  int linear;          /* 1: no fraction measured, closed form in one step */
  size_t iterations;   /* Gauss-Newton steps of the last reconciliation */
  size_t rank;         /* of the linearised measurement model */
  size_t n_used;       /* measurements used (not set aside) */
  size_t dof;          /* degrees of freedom of the global test: n_used - rank */
  double chi_square;   /* minimum weighted sum of squared adjustments */
  double chi_critical; /* its (1 - alpha) quantile; NaN when dof = 0 */
  double p_value;      /* of the global test; NaN when dof = 0 */
  double z_critical;   /* critical normalised adjustment (Sidak); NaN without redundancy */
  long culprit;        /* measurement failing the measurement test most, or -1 */
  /* per measurement [n_measures] */
  double *reconciled, *reconciled_sd, *adjustment, *normalised;
  int *redundant; /* 1: its adjustment has a positive variance */
  int *used;      /* 0: set aside as a gross error */
  /* measurements set aside, in order, with their normalised adjustment then */
  size_t n_dropped;
  size_t *dropped;
  double *dropped_statistic;
  /* per stream and component [n_streams x n_components], per stream [n_streams] */
  double *flow, *flow_sd, *total, *total_sd;
  int *flow_observable, *total_observable;
} cet_reconcile_result;

/* Reconciles the measurements of s on the network of t, starting from the
 * component flows start ([edges x components], a steady state of t, e.g.
 * cet_twin_workspace_edge_flows). CET_ERR_INPUT (naming the measurement's
 * place) for a fraction measured on a stream without flow at the start;
 * CET_ERR_RUNTIME when the iteration does not converge in
 * s->max_iterations steps or a stream whose fraction is measured loses all
 * its flow. *out is freed with cet_reconcile_result_destroy. */
int cet_reconcile_run(const cet_twin *t, const cet_reconcile_spec *s, const double *start,
                      cet_reconcile_result **out);

void cet_reconcile_result_destroy(cet_reconcile_result **r);

/* "total", "flow" or "fraction". */
const char *cet_measure_kind_name(cet_measure_kind k);

#endif /* CETWIN_RECONCILE_H */
