/*
 * reconcile_split.h — the twin calibrated from reconciled plant data
 * (user guide: "Reconciling plant data", "Calibrating the twin"): the split
 * factors of the units, and the feeds' flows and compositions, that the
 * reconciled stream flows of a reconciliation (reconcile.h) imply, as
 * values of the twin's parameters.
 *
 * Per unit kind, in the form its case takes:
 *  - process unit: per component, the share of its inflow that each outlet
 *    receives (network.units.U.split.C.O, or processes.ID.split.C.O for a
 *    library process), derived when the component's flow on every outlet is
 *    determined;
 *  - splitter: each outlet's share of the total inflow (fractions[i] or
 *    shares[i]), derived when every outlet's total is determined;
 *  - feed: the total flow when it is determined, and the composition when
 *    every component flow is (a composition is derived whole, as it must
 *    sum to 1).
 * A parameter that cannot be derived keeps the case's value and carries
 * the reason (cet_split_reason). Mixers and sinks have no such parameter;
 * selectors, exchanges and flowsheet choices are structural choices and
 * are not derived from flows. Nothing here is collective.
 */
#ifndef CETWIN_RECONCILE_SPLIT_H
#define CETWIN_RECONCILE_SPLIT_H

#include "cetwin/reconcile.h"
#include "cetwin/twin.h"

#include <stddef.h>

/* Why a parameter was or was not derived. */
typedef enum {
  CET_SPLIT_DERIVED = 0,    /* derived from the reconciled flows */
  CET_SPLIT_NOT_DETERMINED, /* a flow it needs is not determined by the measurements */
  CET_SPLIT_PARTIAL,        /* a feed's composition: another component's flow is not determined */
  CET_SPLIT_NO_INFLOW,      /* the unit receives none of it: any share would do */
  CET_SPLIT_NEGATIVE,       /* a reconciled flow it needs is below zero */
  CET_SPLIT_NO_PARAMETER,   /* flow reaches an outlet the case gives no factor for (fixed 0) */
  CET_SPLIT_SHARED,         /* a library process that several units share */
  CET_SPLIT_STRUCTURAL,     /* a selector's, exchange's or flowsheet choice's parameter */
  CET_SPLIT_REASONS
} cet_split_reason;

/* Round-off of the least-squares solution: a reconciled flow below zero by
 * at most this fraction of the inflow it is a share of counts as zero, and
 * so does flow to an outlet without a split factor up to this fraction of
 * the inflow; an inflow of at most this fraction of the network's largest
 * reconciled flow counts as none. */
#define CET_SPLIT_NEGLIGIBLE 1e-9

/* The derived parameters (all arrays owned, [n] each). */
typedef struct {
  size_t n;           /* rows: the parameters concerned */
  size_t n_derived;   /* rows with reason CET_SPLIT_DERIVED */
  size_t *parameter;  /* index into the twin's parameter table */
  size_t *unit;       /* unit of the twin */
  long *component;    /* component, or -1 (a splitter's fraction, a feed's flow) */
  long *outlet;       /* outlet index of the unit, or -1 (a feed's flow and composition) */
  double *value;      /* the derived value, or the case's when not derived */
  double *case_value; /* the value the parameters gave */
  int *reason;        /* cet_split_reason */
} cet_reconcile_split;

/* Derives the parameters of t that the reconciled flows of r imply, at the
 * parameter values params (the case's: kept where nothing is derived).
 * Rows are ordered by unit, then component, then outlet. *out is freed
 * with cet_reconcile_split_destroy. */
int cet_reconcile_split_derive(const cet_twin *t, const double *params,
                               const cet_reconcile_result *r, cet_reconcile_split **out);

void cet_reconcile_split_destroy(cet_reconcile_split **s);

/* A short phrase for a reason ("derived", "not determined", ...). */
const char *cet_split_reason_name(cet_split_reason reason);

#endif /* CETWIN_RECONCILE_SPLIT_H */
