/*
 * morris_impl.h — the body of a Morris design and the candidate selection
 * shared by its files (private to src/sa; see morris.h).
 */
#ifndef CETWIN_MORRIS_IMPL_H
#define CETWIN_MORRIS_IMPL_H

#include "cetwin/morris.h"
#include "groups.h"

struct cet_morris_design {
  cet_morris_parameters p; /* p.groups = g, p.group_of points to gr.group_of */
  cet_sa_groups gr;
  size_t k, g, r;
  double delta;      /* the step of the trajectory design */
  double *x;         /* r (g + 1) x k points */
  size_t *moved;     /* r x g: group moved at step s + 1 */
  double *step;      /* r x g: its signed step */
  size_t *candidate; /* r: candidate number of each trajectory */
  double spread;     /* D of the r trajectories */
};

/* Chooses r of the m trajectories (each n points x k, one after another in
 * x) maximising the sum of squared distances d_ml^2 over the pairs chosen
 * (morris.h): exhaustively when C(m, r) <= limit, else greedily with
 * exchanges. chosen[0 .. r-1] in increasing order; *spread = D.
 * CET_ERR_MEMORY. */
int cet_morris_select(const double *x, size_t m, size_t n, size_t k, size_t r, uint64_t limit,
                      size_t *chosen, double *spread);

/* The distance d_ml between trajectories a and b (n points x k each). */
double cet_morris_distance(const double *a, const double *b, size_t n, size_t k);

#endif /* CETWIN_MORRIS_IMPL_H */
