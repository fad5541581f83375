/*
 * hypervolume.h — exact hypervolume of a point set for minimisation: the
 * Lebesgue measure of the region dominated by the points and bounded by a
 * reference point r, { y : p <= y <= r for some point p of the set }.
 *
 * Points are stored row-major (n x m). A point that does not strictly
 * dominate r in every objective (p_j >= r_j for some j) contributes nothing
 * and is dropped first; dominated points and duplicates are harmless.
 *
 * Algorithms:
 * - m = 1: r - min p.
 * - m = 2: sort by the first objective and sweep: O(n log n).
 * - m = 3: the sweep of Beume, Fonseca, Lopez-Ibanez, Paquete & Vahrenhold
 *   (2009, IEEE TEVC 13(5):1075-1082): points in increasing third objective;
 *   the two-dimensional staircase of the points seen so far and its area are
 *   updated per insertion. Since every key is known in advance, the ordered
 *   set holding the staircase is a 64-ary bit tree over the points' ranks in
 *   (f1, f2) order (predecessor and successor in O(log_64 n) word
 *   operations) instead of a balanced binary tree; the ranks come from
 *   radix sorts. O(n log n), O(n) memory.
 * - m >= 4: WFG (While, Bradstreet & Barone 2012, IEEE TEVC 16(1):86-95):
 *   points ordered by the last objective, the volume as a sum of slices of
 *   exclusive hypervolumes, each computed from the non-dominated limit set
 *   in one dimension less, recursively, ending in the 3-D sweep.
 * Memory: O(n) for m <= 3, O(n m^2) for WFG. Each call allocates its own
 * scratch memory (hypervolumes are computed on final fronts, not in inner
 * loops); calls are thread-safe.
 */
#ifndef CETWIN_HYPERVOLUME_H
#define CETWIN_HYPERVOLUME_H

#include <stddef.h>

/* Exact hypervolume of the n points of f (n x m) with respect to ref (m
 * finite values), choosing the algorithm by m as above; *hv receives it.
 * n = 0 gives 0. Errors (CET_ERR_INPUT): m = 0, NULL pointers, NaN
 * objectives, non-finite ref; CET_ERR_MEMORY. */
int cet_hypervolume(const double *f, size_t n, size_t m, const double *ref, double *hv);

/* The two-dimensional sweep (m = 2 only). */
int cet_hypervolume_2d(const double *f, size_t n, const double *ref, double *hv);

/* The three-dimensional sweep (m = 3 only). */
int cet_hypervolume_3d(const double *f, size_t n, const double *ref, double *hv);

/* WFG for any m >= 2, recursing down to the two-dimensional sweep (not the
 * 3-D one); slower than cet_hypervolume for m >= 3 and meant to cross-check
 * it. */
int cet_hypervolume_wfg(const double *f, size_t n, size_t m, const double *ref, double *hv);

#endif /* CETWIN_HYPERVOLUME_H */
