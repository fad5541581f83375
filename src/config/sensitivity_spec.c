/*
 * sensitivity_spec.c — life cycle of the sensitivity description the
 * config reader fills, and the names of factor kinds (see sensitivity.h).
 */
#include "cetwin/sensitivity.h"

#include "cetwin/str.h"

#include <stdlib.h>

static const char *const KIND_NAMES[] = {"value", "scale", "distribution", "prices"};

const char *cet_factor_kind_name(cet_factor_kind k) { return KIND_NAMES[k]; }

double cet_factor_scaled(const cet_factor *f, size_t i, double c) {
  return f->power[i] > 0 ? f->base[i] * (1.0 + c) : f->base[i] / (1.0 + c);
}

static void free_factor(cet_factor *f) {
  free(f->name);
  free(f->where);
  free(f->slots);
  cet_free_strings(f->paths, f->n_slots);
  free(f->base);
  free(f->power);
  free(f->series);
}

static void free_sweep(cet_sweep_spec *w) {
  cet_free_strings(w->paths, w->n_dims);
  for (size_t d = 0; w->values && d < w->n_dims; d++) {
    free(w->values[d]);
  }
  free(w->values);
  free(w->slots);
  free(w->n_values);
}

void cet_sensitivity_spec_destroy(cet_sensitivity_spec **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_sensitivity_spec *s = *sp;
  for (size_t i = 0; s->factors && i < s->n_factors; i++) {
    free_factor(&s->factors[i]);
  }
  free(s->factors);
  cet_names_clear(&s->groups);
  cet_uncertain_destroy(&s->uncertain, s->n_uncertain);
  cet_names_clear(&s->metrics);
  free(s->metric_index);
  free_sweep(&s->sweep);
  free(s->oat.spider);
  free(s->oat.be_reference);
  free(s->oat.be_source);
  free(s->oat.factors.index);
  free(s->morris.factors.index);
  free(s->sobol.factors.index);
  free(s->sobol.evaluation_where);
  free(s->checkpoint_file);
  free(s);
  *sp = NULL;
}
