/*
 * twin_totals.c — totals of a twin: metrics that are signed sums of other
 * metrics (e.g. `infeasibility`, the sum of the acceptance violations of
 * the flowsheet choice units). A stage registers its metric as a term of
 * a total when the twin is built (cet_twin_add_term); the totals stage,
 * evaluated after every other stage, adds the terms in the order they
 * were registered. A twin without terms has no totals and no stage.
 */
#include "twin_impl.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <stdlib.h>
#include <string.h>

int cet_twin_add_term(cet_twin *t, const char *name, const char *units, const char *description,
                      size_t term, double sign) {
  cet_twin_total *tot = NULL;
  long found = cet_twin_metric_find(t, name);
  for (size_t i = 0; i < t->n_totals && found >= 0; i++) {
    if (t->total[i].metric == (size_t)found) {
      tot = &t->total[i];
    }
  }
  CET_CHECK(found < 0 || tot, CET_ERR_INPUT,
            "metric '%s' cannot take the term '%s': it is not a total", name, t->metric_name[term]);
  if (!tot) {
    CET_CALL(cet_array_grow(&t->total, NULL, t->n_totals + 1, sizeof *t->total));
    tot = &t->total[t->n_totals];
    memset(tot, 0, sizeof *tot);
    t->n_totals++;
    CET_CALL(
        cet_twin_add_metric(t, name, CET_METRIC_FAMILY_HEADLINE, units, description, &tot->metric));
  }
  CET_CALL(cet_array_grow(&tot->term, NULL, tot->n_terms + 1, sizeof *tot->term));
  CET_CALL(cet_array_grow(&tot->sign, NULL, tot->n_terms + 1, sizeof *tot->sign));
  tot->term[tot->n_terms] = term;
  tot->sign[tot->n_terms] = sign;
  tot->n_terms++;
  return CET_OK;
}

static int totals_evaluate(const cet_twin *t, const void *data, const double *params,
                           cet_twin_workspace *w, double *m) {
  (void)data;
  (void)params;
  (void)w;
  for (size_t i = 0; i < t->n_totals; i++) {
    const cet_twin_total *tot = &t->total[i];
    double sum = 0.0;
    for (size_t k = 0; k < tot->n_terms; k++) {
      sum += tot->sign[k] * m[tot->term[k]];
    }
    m[tot->metric] = sum;
  }
  return CET_OK;
}

int cet_twin_build_totals(cet_twin *t) {
  if (t->n_totals == 0) {
    return CET_OK;
  }
  return cet_twin_add_stage(t, "totals", totals_evaluate, NULL, NULL);
}

void cet_twin_totals_free(cet_twin *t) {
  for (size_t i = 0; i < t->n_totals; i++) {
    free(t->total[i].term);
    free(t->total[i].sign);
  }
  free(t->total);
  t->total = NULL;
  t->n_totals = 0;
}
