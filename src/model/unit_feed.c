/*
 * unit_feed.c — the feed unit kind: a source stream, its total flow times
 * its composition (the mass fractions divided by their sum); it has one
 * outlet that carries everything, and no inlets.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  CET_CALL(cet_twin_copy_source(t, us, u, us->flow, n_params));
  t->residue[u] = us->residue;
  return CET_OK;
}

static int feed(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  const long *frac = t->fraction + u * nc;
  double sum = 0.0;
  for (size_t c = 0; c < nc; c++) {
    sum += cet_twin_slot_value(p, frac[c]);
  }
  CET_CHECK(sum > 0.0, CET_ERR_RUNTIME, "%s: the mass fractions of feed '%s' sum to %g",
            t->where[u], t->unit_names.name[u], sum);
  double flow = p[t->feed_flow[u]];
  double *f = w->feed + u * nc;
  for (size_t c = 0; c < nc; c++) {
    f[c] = flow * cet_twin_slot_value(p, frac[c]) / sum;
    w->feed_total[c] += f[c];
  }
  return CET_OK;
}

const cet_twin_kind cet_twin_kind_feed = {
    .info = {.name = "feed",
             .label = "feed",
             .plural = "feeds",
             .flags = CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_SOURCE | CET_UNIT_KIND_PASS |
                      CET_UNIT_KIND_REQUIRED,
             .derives = CET_UNIT_DERIVES_FEED},
    .copy = copy,
    .feed = feed};
