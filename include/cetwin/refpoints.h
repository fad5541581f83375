/*
 * refpoints.h — structured reference points on the unit simplex (Das &
 * Dennis 1998, SIAM J. Optim. 8(3):631-657), as NSGA-III uses them (Deb &
 * Jain 2014, IEEE TEVC 18(4):577-601, section IV-B), in one layer or in the
 * two layers Deb & Jain use for many objectives.
 *
 * One layer with p divisions in M objectives: every point z with
 * z_j = k_j / p, k_j >= 0 integers summing to p; there are
 * H = C(M + p - 1, p) of them. With p < M no point lies inside the simplex
 * (each has a zero coordinate), so for many objectives Deb & Jain add an
 * inner layer: the points of p_in divisions shrunk by 1/2 towards the
 * centroid, z = w / 2 + 1 / (2 M); H = C(M + p - 1, p) + C(M + p_in - 1,
 * p_in) (M = 8: p = 3, p_in = 2, H = 120 + 36 = 156).
 *
 * Points are listed in lexicographic order of (k_1, ..., k_M), the outer
 * layer before the inner one, so (0, ..., 0, 1) comes first.
 */
#ifndef CETWIN_REFPOINTS_H
#define CETWIN_REFPOINTS_H

#include <stddef.h>

/* Largest number of reference points cetwin makes (memory guard). */
#define CET_REFPOINTS_MAX ((size_t)10000000)

/* The number of points of p divisions in m objectives, C(m + p - 1, p),
 * saturating at SIZE_MAX; 0 when m = 0 or p = 0. Never fails. */
size_t cet_refpoints_size(size_t m, size_t p);

/* The number of points of an outer layer of `outer` divisions and, when
 * inner > 0, an inner layer of `inner` divisions, into *count. Errors
 * (CET_ERR_INPUT): m = 0, outer = 0, NULL, a total above
 * CET_REFPOINTS_MAX. */
int cet_refpoints_layers_count(size_t m, size_t outer, size_t inner, size_t *count);

/* Writes the points of both layers (inner = 0: one layer) into z (room for
 * count x m values, count from cet_refpoints_layers_count), row-major, in
 * the order described above. Errors as cet_refpoints_layers_count;
 * CET_ERR_MEMORY. */
int cet_refpoints_fill(size_t m, size_t outer, size_t inner, double *z);

/* Divisions chosen for a population of n individuals in m objectives
 * (when the user gives none): the largest p with C(m + p - 1, p) <= n; if
 * that p is below m (no inner points), the two layers (outer >= inner >=
 * 1) with the most points not above n, ties to the larger outer layer,
 * when they have more points than the one layer. m = 1 gives p = 1.
 * *inner = 0 means one layer. For Deb & Jain's populations this gives their
 * choices: (3, 92) -> 12; (5, 212) -> 6; (8, 156) -> 3 and 2; (10, 276) ->
 * 3 and 2; (15, 136) -> 2 and 1. Errors (CET_ERR_INPUT): m = 0, n < m
 * (not even the m corners fit), NULL. */
int cet_refpoints_automatic(size_t m, size_t n, size_t *outer, size_t *inner);

#endif /* CETWIN_REFPOINTS_H */
