/*
 * unit_splitter.c — the splitter unit kind: the same fraction of every
 * component to each outlet, from fractions divided by their sum, or from
 * shares with the last outlet taking the remainder.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  (void)n_params;
  t->remainder[u] = us->remainder;
  CET_CHECK(!t->remainder[u] || us->outlets.n >= 2, CET_ERR_INPUT,
            "%s: splitter '%s' with shares needs at least two outlets", t->where[u], us->name);
  return CET_OK;
}

static void share_slots(const cet_unit_spec *us, size_t o, size_t nc, const long **split,
                        const long **share) {
  (void)nc;
  (void)split;
  *share = us->share ? us->share + o : NULL;
}

/* Tolerance below 0 of the remainder of a splitter's shares (rounding of
 * shares that sum to 1). */
static const double REMAINDER_TOLERANCE = 1e-12;

/* The shares of splitter u over its edges e0 .. e1 - 1 into w: its
 * fractions divided by their sum, or its shares as they are with the last
 * outlet taking the remainder. */
static int shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc, e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
  size_t last = t->remainder[u] ? e1 - 1 : e1;
  double total = 0.0;
  for (size_t e = e0; e < last; e++) {
    total += cet_twin_slot_value(p, t->share[e]);
  }
  double divisor = total, rest = 1.0 - total;
  if (t->remainder[u]) {
    CET_CHECK(rest >= -REMAINDER_TOLERANCE, CET_ERR_RUNTIME,
              "%s: the shares of splitter '%s' sum to %.17g, more than 1: its last outlet '%s' "
              "would get a negative share",
              t->where[u], t->unit_names.name[u], total, t->edge_outlet[e1 - 1]);
    divisor = 1.0;
    rest = rest > 0.0 ? rest : 0.0;
  } else {
    CET_CHECK(total > 0.0, CET_ERR_RUNTIME, "%s: the fractions of splitter '%s' sum to %g",
              t->where[u], t->unit_names.name[u], total);
  }
  for (size_t e = e0; e < e1; e++) {
    double v = e < last ? cet_twin_slot_value(p, t->share[e]) / divisor : rest;
    for (size_t c = 0; c < nc; c++) {
      w->share[e * nc + c] = v;
    }
  }
  return CET_OK;
}

const cet_twin_kind cet_twin_kind_splitter = {
    .info = {.name = "splitter",
             .label = "splitter",
             .plural = "splitters",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_BALANCED,
             .derives = CET_UNIT_DERIVES_FRACTIONS},
    .copy = copy,
    .share_slots = share_slots,
    .shares = shares};
