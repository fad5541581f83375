/*
 * pareto.h — Pareto dominance for minimisation: the non-dominated filter,
 * the full non-dominated sort (front ranks), constrained domination
 * (Deb 2000), crowding distance (Deb et al. 2002), and the utopia and nadir
 * points of a set.
 *
 * Conventions.
 * - Objectives are minimised. A set of n points with m objectives is stored
 *   row-major: point i is f[i*m .. i*m+m).
 * - a dominates b when a_j <= b_j for every j and a_j < b_j for some j.
 *   Identical points (equal in every objective) do not dominate each other:
 *   they are mutually non-dominated, share the same front, and the filter
 *   keeps every copy.
 * - NaN objectives are rejected (CET_ERR_INPUT); infinities are allowed.
 * - Constraint violations cv are >= 0, 0 meaning feasible. Under
 *   constrained domination a feasible point beats an infeasible one, two
 *   infeasible points compare by violation (smaller wins, equal ties), and
 *   two feasible points by ordinary domination.
 *
 * Algorithms (n points, F fronts). All sorts start from a lexicographic sort
 * of the points, which puts any dominator before the points it dominates
 * and makes identical points adjacent (they are ranked once).
 * - m = 2: a sweep; each front is represented by its last point and the
 *   front of a point is found by binary search: O(n log n).
 * - m = 3: each front keeps a two-dimensional staircase of its points in the
 *   (f2, f3) plane in a balanced search tree (treap); a point is dominated by
 *   a front iff the staircase dominates its (f2, f3). The filter uses one
 *   staircase: O(n log n); the full sort binary-searches the fronts:
 *   O(n log n log F).
 * - m = 1 and m >= 4: efficient non-dominated sort with binary search
 *   (ENS-BS, Zhang et al. 2015, IEEE TEVC 19(2):201-213), comparing a point
 *   with the members of a front from the most recently added one. Worst case
 *   O(m n^2), typically far below.
 * Memory is O(n) (pruning: O(n m)) in a workspace that grows on demand and
 * can be reused, so repeated calls do not allocate; a workspace must not be
 * shared by threads running at the same time.
 */
#ifndef CETWIN_PARETO_H
#define CETWIN_PARETO_H

#include <stddef.h>

/* Scratch memory for the functions below (opaque). Pass NULL to any of them
 * to have a temporary workspace allocated and freed inside the call. */
typedef struct cet_pareto_workspace cet_pareto_workspace;

/* Allocates an empty workspace into *ws. Returns CET_OK or CET_ERR_MEMORY. */
int cet_pareto_workspace_create(cet_pareto_workspace **ws);

/* Frees *ws (NULL allowed) and sets it to NULL. */
void cet_pareto_workspace_destroy(cet_pareto_workspace **ws);

/* 1 if a dominates b (m objectives, minimised), else 0. */
int cet_pareto_dominates(const double *a, const double *b, size_t m);

/* 1 if a dominates b, -1 if b dominates a, 0 otherwise (incomparable or
 * identical). */
int cet_pareto_compare(const double *a, const double *b, size_t m);

/* Constrained domination (Deb 2000): 1 if (fa, cva) constrained-dominates
 * (fb, cvb), -1 for the reverse, 0 otherwise. cva, cvb >= 0 are total
 * constraint violations (0 = feasible). */
int cet_pareto_constrained_compare(const double *fa, double cva, const double *fb, double cvb,
                                   size_t m);

/* Non-dominated filter: writes into index (room for n) the indices of the
 * points of f (n x m) that no other point dominates, in increasing order, and
 * their number into *count. n = 0 gives *count = 0. Errors: m = 0, NULL
 * pointers, NaN objectives (CET_ERR_INPUT); CET_ERR_MEMORY. */
int cet_pareto_filter(cet_pareto_workspace *ws, const double *f, size_t n, size_t m, size_t *index,
                      size_t *count);

/* Non-dominated sort: rank[i] (room for n) receives the front of point i,
 * 0 for the non-dominated points, 1 for those dominated only by front 0, and
 * so on; *nfronts (may be NULL) the number of fronts. With cv (n
 * violations, may be NULL for "all feasible") the sort follows constrained
 * domination: the feasible points are sorted first; the infeasible points
 * follow in fronts of equal violation, by increasing violation. Errors as
 * for the filter, plus negative or NaN violations. */
int cet_pareto_sort(cet_pareto_workspace *ws, const double *f, const double *cv, size_t n, size_t m,
                    size_t *rank, size_t *nfronts);

/* Crowding distance (Deb et al. 2002) of the points members[0..count) of f
 * (rows of m objectives), normally one front: distance[k] for members[k].
 * Per objective the members are ordered by value (ties by position in
 * members); the two extremes get +infinity and an interior point adds the
 * gap between its neighbours divided by the objective's range. An objective
 * with zero range adds nothing (no extremes either); one with infinite range
 * only marks its extremes. Fronts of one or two points are all infinite.
 * count = 0 is a no-op. */
int cet_pareto_crowding(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                        size_t count, double *distance);

/* Iterative crowding truncation (Kukkonen & Deb 2006, CEC, "Improved
 * pruning of non-dominated solutions based on crowding distance for
 * bi-objective optimization problems"): of the points members[0..count)
 * of f, removes the one with the smallest crowding distance (ties: the
 * later position), updates the distances of its neighbours, and repeats
 * until keep points remain. The objective ranges stay those of the whole
 * set, so the extremes are never removed while interior points remain.
 * kept (room for keep) receives the surviving positions k (members[k])
 * in increasing order. Gives far more even spacing than cutting by the
 * one-shot crowding distance. O(count log count + removed m^2) time,
 * O(count m) memory. keep >= count keeps everything. */
int cet_pareto_prune(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                     size_t count, size_t keep, size_t *kept);

/* Sort and crowding in one call: rank as cet_pareto_sort (cv may be NULL),
 * crowding[i] the crowding distance of point i within its own front. */
int cet_pareto_rank_crowding(cet_pareto_workspace *ws, const double *f, const double *cv, size_t n,
                             size_t m, size_t *rank, double *crowding, size_t *nfronts);

/* Orders the points from best to worst: by increasing rank, then decreasing
 * crowding (crowding may be NULL), then increasing index. order (room for
 * n) receives the indices. This is NSGA-II's crowded-comparison order made
 * total and deterministic. */
int cet_pareto_order(cet_pareto_workspace *ws, const size_t *rank, const double *crowding, size_t n,
                     size_t *order);

/* Utopia (per-objective minimum) and nadir (per-objective maximum) of the
 * n points of f; either output may be NULL. For the nadir point of a Pareto
 * front pass the front (filter first): the maximum over a whole population
 * is not its nadir. Errors: n = 0, m = 0, NULL f, NaN (CET_ERR_INPUT). */
int cet_pareto_bounds(const double *f, size_t n, size_t m, double *utopia, double *nadir);

#endif /* CETWIN_PARETO_H */
