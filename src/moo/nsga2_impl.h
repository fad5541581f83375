/*
 * nsga2_impl.h — private: the body of an NSGA-II optimiser (nsga2.h).
 */
#ifndef CETWIN_MOO_NSGA2_IMPL_H
#define CETWIN_MOO_NSGA2_IMPL_H

#include "cetwin/nsga2.h"
#include "cetwin/nsga3.h"
#include "cetwin/pareto.h"

#include <gsl/gsl_rng.h>

struct cet_nsga2 {
  cet_moo_problem problem; /* genome arrays point into the copies below */
  cet_nsga2_parameters par;
  size_t N, n, m, c;    /* population, genes, objectives, constraints */
  double mutation_rate; /* resolved per-gene rate */
  uint64_t generation;
  int ready; /* a population exists (init or set_state done) */
  uint64_t purpose_init, purpose_select, purpose_vary, purpose_niche;

  /* copies of the genome */
  double *lower, *upper, *zero_below;
  cet_gene_type *type;

  /* parents in rows 0..N-1, offspring in rows N..2N-1, one spare row for
   * the second child of the last pair when N is odd */
  double *x, *f, *g, *cv;
  size_t *rank;
  double *crowding;
  size_t *order;      /* 2N */
  size_t *tournament; /* mating list, 2N + 4 */
  gsl_rng *rng;
  cet_pareto_workspace *ws;
  cet_nsga3_workspace *nsga3; /* NSGA-III only: reference points and niching */
};

#endif /* CETWIN_MOO_NSGA2_IMPL_H */
