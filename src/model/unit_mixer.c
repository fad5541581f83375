/*
 * unit_mixer.c — the mixer unit kind: joins its inlets into its one
 * outlet, which carries everything.
 */
#include "twin_kinds.h"

const cet_twin_kind cet_twin_kind_mixer = {
    .info = {.name = "mixer",
             .label = "mixer",
             .plural = "mixers",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_PASS |
                      CET_UNIT_KIND_BALANCED,
             .derives = CET_UNIT_DERIVES_NOTHING}};
