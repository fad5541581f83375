/*
 * twin_kinds.c — the list of unit kinds (one record per kind, each in its
 * own file: twin_kinds.h) and what is common to their build.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"

static const cet_twin_kind *const KINDS[CET_UNIT_KINDS] = {
    [CET_UNIT_FEED] = &cet_twin_kind_feed,
    [CET_UNIT_PROCESS] = &cet_twin_kind_process,
    [CET_UNIT_SPLITTER] = &cet_twin_kind_splitter,
    [CET_UNIT_MIXER] = &cet_twin_kind_mixer,
    [CET_UNIT_SINK] = &cet_twin_kind_sink,
    [CET_UNIT_SELECTOR] = &cet_twin_kind_selector,
    [CET_UNIT_EXCHANGE] = &cet_twin_kind_exchange,
    [CET_UNIT_FLOWSHEET_CHOICE] = &cet_twin_kind_flowsheet_choice};

const cet_twin_kind *cet_twin_kind_of(cet_unit_kind kind) { return KINDS[kind]; }

const cet_unit_kind_info *cet_unit_kind_describe(cet_unit_kind kind) { return &KINDS[kind]->info; }

int cet_unit_kind_has(cet_unit_kind kind, unsigned flags) {
  return (KINDS[kind]->info.flags & flags) == flags;
}

int cet_twin_unit_is(const cet_twin *t, size_t u, unsigned flags) {
  return cet_unit_kind_has(t->kind[u], flags);
}

int cet_twin_copy_slots(long *dst, const long *src, size_t n, size_t n_params, const char *where) {
  for (size_t i = 0; i < n; i++) {
    dst[i] = src ? src[i] : CET_SLOT_NONE;
    CET_CHECK(dst[i] == CET_SLOT_NONE || (dst[i] >= 0 && (size_t)dst[i] < n_params), CET_ERR_INPUT,
              "%s: parameter slot %ld out of range", where, dst[i]);
  }
  return CET_OK;
}

int cet_twin_copy_source(cet_twin *t, const cet_unit_spec *us, size_t u, long flow,
                         size_t n_params) {
  const char *where = t->where[u];
  CET_CALL(cet_twin_copy_slots(&t->feed_flow[u], &flow, 1, n_params, where));
  CET_CALL(cet_twin_copy_slots(t->fraction + u * t->nc, us->fraction, t->nc, n_params, where));
  CET_CHECK(flow != CET_SLOT_NONE, CET_ERR_INPUT, "%s: %s '%s' has no flow", where,
            cet_unit_kind_name(us->kind), us->name);
  return CET_OK;
}
