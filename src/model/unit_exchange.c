/*
 * unit_exchange.c — the exchange unit kind: a signed exchange across the
 * twin's boundary. A positive net flow imports, in the composition of the
 * case, as an external feed (not counted in the feeds' total, so that the
 * recovery metrics stay relative to the feeds); a negative one exports a
 * fixed mass of what reaches the unit, which is not a linear share: an
 * exchange lies outside every recycle loop, so that its inflow is known
 * before its outlet's share is set.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  CET_CALL(cet_twin_copy_source(t, us, u, us->net, n_params));
  CET_CHECK(us->outlets.n == 1, CET_ERR_INPUT, "%s: exchange '%s' has one outlet", t->where[u],
            us->name);
  return CET_OK;
}

/* The import of exchange u (its net flow when positive) as its external feed. */
static int feed(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  const long *frac = t->fraction + u * nc;
  double sum = 0.0, net = p[t->feed_flow[u]], imported = net > 0.0 ? net : 0.0;
  for (size_t c = 0; c < nc; c++) {
    sum += cet_twin_slot_value(p, frac[c]);
  }
  CET_CHECK(sum > 0.0 || imported == 0.0, CET_ERR_RUNTIME,
            "%s: the mass fractions of what exchange '%s' imports sum to %g", t->where[u],
            t->unit_names.name[u], sum);
  for (size_t c = 0; c < nc; c++) {
    w->feed[u * nc + c] = imported > 0.0 ? imported * cet_twin_slot_value(p, frac[c]) / sum : 0.0;
  }
  return CET_OK;
}

/* The share of the outlet of exchange u once its inflow is known: what
 * is left after the export (all of it when importing; none when the export
 * asked is more than the inflow, the shortfall that the structural stage
 * reports). */
static void settle(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  double imported = 0.0, exported = 0.0, shortfall = 0.0;
  double available = cet_twin_exchange_masses(t, u, p, w, &imported, &exported, &shortfall);
  double v = available > 0.0 ? 1.0 - exported / available : 1.0;
  size_t e = t->out_begin[u];
  for (size_t c = 0; c < t->nc; c++) {
    w->share[e * t->nc + c] = v;
  }
}

const cet_twin_kind cet_twin_kind_exchange = {
    .info = {.name = "exchange",
             .label = "exchange",
             .plural = "exchanges",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_SOURCE |
                      CET_UNIT_KIND_BOUNDARY | CET_UNIT_KIND_STRUCTURAL,
             .derives = CET_UNIT_DERIVES_STRUCTURAL},
    .copy = copy,
    .feed = feed,
    .settle = settle};
