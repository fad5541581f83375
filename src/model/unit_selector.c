/*
 * unit_selector.c — the selector unit kind: its whole inflow to the one
 * outlet that an integer parameter (0-based) picks.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

#include <math.h>

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  (void)n_params;
  CET_CHECK(us->choice != CET_SLOT_NONE && us->outlets.n >= 2, CET_ERR_INPUT,
            "%s: selector '%s' needs an outlet index and at least two outlets", t->where[u],
            us->name);
  return CET_OK;
}

/* Every edge's share slot is the outlet index. */
static void share_slots(const cet_unit_spec *us, size_t o, size_t nc, const long **split,
                        const long **share) {
  (void)o;
  (void)nc;
  (void)split;
  *share = &us->choice;
}

/* The shares of selector u: 1 to the outlet its index picks, 0 to the
 * others. The index is an integer parameter in 0 .. outlets - 1
 * (cet_twin_evaluate checks it; cet_twin_evaluate_prechecked trusts the
 * caller, so it is checked here once more). */
static int shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc, e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
  double k = p[t->share[e0]];
  CET_CHECK(k >= 0.0 && k < (double)(e1 - e0) && floor(k) == k, CET_ERR_RUNTIME,
            "%s: selector '%s' has outlet index %.17g, expected an integer in 0..%zu", t->where[u],
            t->unit_names.name[u], k, e1 - e0 - 1);
  for (size_t e = e0; e < e1; e++) {
    double v = (double)(e - e0) == k ? 1.0 : 0.0;
    for (size_t c = 0; c < nc; c++) {
      w->share[e * nc + c] = v;
    }
  }
  return CET_OK;
}

/* The outlets that slot picks among when it is selector u's outlet index. */
static const cet_names *routes(const cet_twin *t, size_t u, size_t slot, long *first) {
  if (t->out_begin[u] == t->out_begin[u + 1] || t->share[t->out_begin[u]] != (long)slot) {
    return NULL;
  }
  *first = 0;
  return t->outlet_names[u];
}

const cet_twin_kind cet_twin_kind_selector = {
    .info = {.name = "selector",
             .label = "selector",
             .plural = "selectors",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_BALANCED |
                      CET_UNIT_KIND_STRUCTURAL,
             .derives = CET_UNIT_DERIVES_STRUCTURAL},
    .copy = copy,
    .share_slots = share_slots,
    .shares = shares,
    .routes = routes};
