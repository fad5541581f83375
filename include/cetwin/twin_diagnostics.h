/*
 * twin_diagnostics.h — what a twin says of an evaluation beyond its
 * metrics (docs/architecture.md, "The model"): the units counted by kind,
 * the worst mass-balance closure and whether it passes the closure rule,
 * the library process units fed outside their process's acceptance window,
 * and the feeds' physical properties as the case gives them. Drivers ask
 * the twin rather than judging the flows or reading its description
 * themselves.
 *
 * Every call reads a twin and the last successful evaluation of a
 * workspace; none allocates, so a driver may ask after any evaluation.
 * Nothing here is collective.
 */
#ifndef CETWIN_TWIN_DIAGNOSTICS_H
#define CETWIN_TWIN_DIAGNOSTICS_H

#include "cetwin/names.h"
#include "cetwin/network.h"
#include "cetwin/twin.h"

#include <stddef.h>

/* The closure rule (user guide: Closure): the steady state is solved
 * exactly, so a relative mass-balance closure above this is a bug in the
 * model, not a property of the case. */
#define CET_TWIN_CLOSURE_TOLERANCE 1e-9

typedef struct {
  size_t units[CET_UNIT_KINDS]; /* number of units of each kind */
  double closure;               /* largest relative closure over units and components */
  size_t closure_unit;          /* where it is (0 and 0 when every closure is 0) */
  size_t closure_component;
  int closure_exceeded;  /* 1: closure > CET_TWIN_CLOSURE_TOLERANCE, a bug in the model */
  size_t outside_window; /* library process units fed outside their window (see below) */
} cet_twin_diagnostics;

/* Fills d from t and the last successful evaluation in w (made for t).
 * One pass over the units and components; no allocation. */
void cet_twin_diagnose(const cet_twin *t, const cet_twin_workspace *w, cet_twin_diagnostics *d);

/* The widening of the acceptance windows when a unit's inflow is compared
 * with them: enumeration's default tolerance (enumerate.h), so that a
 * twin accepts what enumeration accepts. */
double cet_twin_window_tolerance(void);

/* 1 when unit u is a library process unit whose inflow in w has a
 * positive total and a mass fraction outside its process's acceptance
 * window (widened by cet_twin_window_tolerance): its split factors are
 * then applied beyond the range they were measured for. 0 otherwise. */
int cet_twin_unit_outside_window(const cet_twin *t, const cet_twin_workspace *w, size_t u);

/* The largest of n_units x n_components relative closures (row-major, as
 * cet_twin_workspace_closure or /simulate/balance/closure hold them) and
 * where it is (*unit and *component 0 when none is positive). */
double cet_twin_worst_closure(const double *closure, size_t n_units, size_t n_components,
                              size_t *unit, size_t *component);

/* The physical properties of the feeds (the library's), and unit u's
 * values as the case gives them ([properties], NaN: not given; reported,
 * not propagated); NULL for a unit that is not a feed. Owned by the twin's
 * description. */
const cet_names *cet_twin_properties(const cet_twin *t);
const double *cet_twin_unit_properties(const cet_twin *t, size_t u);

#endif /* CETWIN_TWIN_DIAGNOSTICS_H */
