/*
 * pareto_impl.h — private: the body of the Pareto workspace and the
 * unchecked ranking core shared by pareto.c, hypervolume.c and nsga2.c.
 */
#ifndef CETWIN_MOO_PARETO_IMPL_H
#define CETWIN_MOO_PARETO_IMPL_H

#include "cetwin/pareto.h"
#include "moo/sortidx.h"
#include "moo/staircase.h"

#include <stddef.h>
#include <stdint.h>

struct cet_pareto_workspace {
  size_t cap;      /* points every buffer has room for */
  size_t *idx;     /* sort order */
  size_t *tmp;     /* merge buffer */
  size_t *head;    /* ENS: most recent member of each front */
  size_t *next;    /* ENS: next older member of the same front */
  size_t *sub;     /* a subset of the points (feasible ones, a front) */
  size_t *mark;    /* per point: filter flags */
  size_t *offset;  /* cap + 1: start of each front in sub */
  double *last;    /* m = 2: last coordinate f2 of each front */
  uint32_t *roots; /* m = 3: staircase of each front */
  cet_keyed *key;  /* per-objective sort keys (crowding, pruning) */
  cet_keyed *key_tmp;
  cet_staircase sc;
  /* pruning: per objective the neighbours in value order (cap_prune x m),
   * the distances, a min-heap of positions and each position's place in it */
  size_t cap_links; /* entries of prev and nbr_next */
  size_t cap_heap;  /* entries of heap, where and dist */
  size_t cap_m;     /* entries of range */
  size_t *prev, *nbr_next, *heap, *where;
  double *dist, *range;
};

/* Gives ws room for n points. CET_OK or CET_ERR_MEMORY. */
int cet_pareto_reserve(cet_pareto_workspace *ws, size_t n);

/* Non-dominated sort of the points subset[0..count) (subset NULL: points
 * 0..count) of f with m objectives; the front of point subset[k] goes to
 * rank[subset[k]]. With first_only, only front 0 is built: its points get 0
 * and all others 1. *nfronts gets the number of fronts. Inputs must be
 * valid (no NaN, ws reserved for count). */
void cet_pareto_rank_rows(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *subset,
                          size_t count, int first_only, size_t *rank, size_t *nfronts);

/* Non-dominated filter keeping one copy of identical points (the lowest
 * index): index gets the survivors in increasing order. Inputs as for
 * cet_pareto_rank_rows. */
void cet_pareto_filter_unique(cet_pareto_workspace *ws, const double *f, size_t n, size_t m,
                              size_t *index, size_t *count);

#endif /* CETWIN_MOO_PARETO_IMPL_H */
