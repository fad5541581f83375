/*
 * optimize_spec.c — life cycle of the optimisation description the config
 * reader fills, and the names of senses and statistics as a case writes
 * them (see optimize_spec.h).
 */
#include "cetwin/optimize_spec.h"

#include <stdlib.h>

static const char *const SENSE_NAMES[] = {"minimize", "maximize"};

const char *cet_sense_name(cet_sense s) { return SENSE_NAMES[s]; }

const char *cet_optimize_statistic_name(int statistic) {
  return statistic == CET_OPTIMIZE_NOMINAL ? "nominal" : cet_stats_stat_name((cet_stat)statistic);
}

void cet_optimize_spec_destroy(cet_optimize_spec **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_optimize_spec *s = *sp;
  for (size_t i = 0; s->design && i < s->n_design; i++) {
    free(s->design[i].path);
    free(s->design[i].name);
  }
  free(s->design);
  for (size_t j = 0; s->objective && j < s->n_obj; j++) {
    free(s->objective[j].metric);
  }
  free(s->objective);
  for (size_t k = 0; s->constraint && k < s->n_con; k++) {
    free(s->constraint[k].metric);
  }
  free(s->constraint);
  cet_uncertain_destroy(&s->robust.uncertain, s->robust.n_uncertain);
  free(s->islands_where);
  free(s->topology_offset);
  free(s->topology_sources);
  free(s->reference_point);
  free(s->checkpoint_file);
  free(s->topsis_weights);
  free(s->case_design);
  free(s);
  *sp = NULL;
}
