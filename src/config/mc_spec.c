/*
 * mc_spec.c — life cycle of the Monte Carlo description that the config
 * reader fills, and of lists of uncertain variables (see mc.h).
 */
#include "cetwin/str.h"
#include "cetwin/mc.h"

#include <stdlib.h>

static void free_uncertain(cet_uncertain *u) {
  free(u->where);
  free(u->path);
  cet_distribution_destroy(&u->dist);
  cet_free_strings(u->prices, u->n_prices);
  free(u->series);
  free(u->level);
}

void cet_uncertain_destroy(cet_uncertain **u, size_t n) {
  if (!u || !*u) {
    return;
  }
  for (size_t i = 0; i < n; i++) {
    free_uncertain(&(*u)[i]);
  }
  free(*u);
  *u = NULL;
}

static void free_scenario(cet_scenario *s) {
  free(s->name);
  free(s->where);
  cet_twin_destroy(&s->twin);
  cet_twin_spec_destroy(&s->spec);
  free(s->reference_source);
  cet_free_strings(s->reference_metric, s->n_reference);
  free(s->reference_value);
}

static void free_unfc(cet_unfc_spec *u) {
  cet_free_strings(u->factor_name, u->n_factors);
  free(u->factor);
  for (size_t i = 0; u->projects && i < u->n_projects; i++) {
    cet_unfc_project *p = &u->projects[i];
    free(p->name);
    free(p->mean);
    free(p->pessimistic);
    cet_free_strings(p->factor_name, p->n_factors);
    free(p->factor);
  }
  free(u->projects);
}

void cet_mc_spec_destroy(cet_mc_spec **mp) {
  if (!mp || !*mp) {
    return;
  }
  cet_mc_spec *m = *mp;
  cet_names_clear(&m->metrics);
  free(m->metric_index);
  free(m->checkpoint_file);
  free(m->stop_metric);
  cet_uncertain_destroy(&m->uncertain, m->n_uncertain);
  for (size_t i = 0; m->scenarios && i < m->n_scenarios; i++) {
    free_scenario(&m->scenarios[i]);
  }
  free(m->scenarios);
  free_unfc(&m->unfc);
  free(m);
  *mp = NULL;
}
