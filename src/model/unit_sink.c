/*
 * unit_sink.c — the sink unit kind: where material leaves the twin; it has
 * no outlets and keeps what enters, with its burden (t CO2e per t) and
 * credits (resources saved per t) for the environment stage.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static int copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  CET_CALL(cet_twin_copy_slots(&t->burden[u], &us->burden, 1, n_params, t->where[u]));
  return cet_twin_copy_slots(t->credit + u * t->ncr, us->credit, t->ncr, n_params, t->where[u]);
}

const cet_twin_kind cet_twin_kind_sink = {
    .info = {.name = "sink",
             .label = "sink",
             .plural = "sinks",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_REQUIRED,
             .derives = CET_UNIT_DERIVES_NOTHING},
    .copy = copy};
