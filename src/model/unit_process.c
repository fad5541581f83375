/*
 * unit_process.c — the process unit kind: split factors per component to
 * its named outlets (divided by their sum, so that it conserves mass) and
 * consumptions of carriers per t of its basis fed (a component or the
 * total inflow).
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  return cet_twin_copy_slots(t->consumption + u * t->nk, us->consumption, t->nk, n_params,
                             t->where[u]);
}

static void share_slots(const cet_unit_spec *us, size_t o, size_t nc, const long **split,
                        const long **share) {
  (void)share;
  *split = us->split ? us->split + o * nc : NULL;
}

/* The split factors of each component over the unit's outlets divided by
 * their sum. */
static int shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc, e0 = t->out_begin[u], e1 = t->out_begin[u + 1];
  double *sum = w->row;
  for (size_t c = 0; c < nc; c++) {
    sum[c] = 0.0;
  }
  for (size_t e = e0; e < e1; e++) {
    const long *slot = t->split + e * nc;
    double *sh = w->share + e * nc;
    for (size_t c = 0; c < nc; c++) {
      sh[c] = cet_twin_slot_value(p, slot[c]);
      sum[c] += sh[c];
    }
  }
  for (size_t c = 0; c < nc; c++) {
    CET_CHECK(sum[c] > 0.0, CET_ERR_RUNTIME,
              "%s: the split factors of %s in unit '%s' sum to %g; the component would vanish",
              t->where[u], t->components.name[c], t->unit_names.name[u], sum[c]);
  }
  for (size_t e = e0; e < e1; e++) {
    double *sh = w->share + e * nc;
    for (size_t c = 0; c < nc; c++) {
      sh[c] /= sum[c];
    }
  }
  return CET_OK;
}

static void consume(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nk = t->nk;
  double basis = cet_twin_basis_flow(t, w, u);
  const long *slot = t->consumption + u * nk;
  double *cu = w->consumption + u * nk;
  for (size_t k = 0; k < nk; k++) {
    /* an unknown (NaN) consumption of a unit that receives nothing is 0 */
    cu[k] = (slot[k] < 0 || basis == 0.0) ? 0.0 : p[slot[k]] * basis;
    w->carrier[k] += cu[k];
  }
}

const cet_twin_kind cet_twin_kind_process = {
    .info = {.name = "process",
             .label = "process",
             .plural = "processes",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_BALANCED |
                      CET_UNIT_KIND_CONSUMES,
             .derives = CET_UNIT_DERIVES_SPLIT},
    .copy = copy,
    .share_slots = share_slots,
    .shares = shares,
    .consume = consume};
