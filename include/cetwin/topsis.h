/*
 * topsis.h — TOPSIS (Technique for Order Preference by Similarity to Ideal
 * Solution; Hwang & Yoon 1981) to rank the points of a Pareto front, as
 * Bonnin et al. (2015, section 3.4) rank their 161-point front.
 *
 * For n alternatives (points) and m criteria stored row-major (n x m):
 * 1. normalise each criterion column: vector normalisation r = x / ||x||_2
 *    (default) or min-max r = (x - min) / (max - min); a column that is all
 *    zero (vector) or constant (min-max) normalises to 0;
 * 2. weight: v = w_j r, the weights scaled to sum 1;
 * 3. ideal point A+ (best v per criterion: the largest for a benefit
 *    criterion, the smallest for a cost criterion) and anti-ideal A-;
 * 4. Euclidean distances d+ to A+ and d- to A-; closeness
 *    C = d- / (d+ + d-) in [0, 1], 1 = at the ideal. When d+ = d- = 0
 *    (every point identical) C = 1;
 * 5. rank 1 = largest C; equal C are ranked by increasing index, so the
 *    ranking is deterministic.
 *
 * Caveat, rank reversal: normalisation, A+ and A- are computed from the set
 * itself, so adding or removing a point (even a dominated or a duplicated
 * one) can swap the order of two other points (a known property of TOPSIS,
 * e.g. Garcia-Cascales & Lamata 2012, Math. Comput. Model. 56:123-132).
 * Rank one final front as a whole; do not compare ranks computed on
 * different sets. Vector normalisation assumes criteria of one sign (as
 * costs, emissions, flows are); with mixed signs prefer min-max.
 */
#ifndef CETWIN_TOPSIS_H
#define CETWIN_TOPSIS_H

#include <stddef.h>

typedef enum {
  CET_TOPSIS_VECTOR = 0, /* x / sqrt(sum x^2) per criterion (default) */
  CET_TOPSIS_MINMAX = 1  /* (x - min) / (max - min) per criterion */
} cet_topsis_normalization;

typedef struct {
  cet_topsis_normalization normalization;
  const double *weights; /* m finite weights >= 0 with a positive sum (scaled to
                            sum 1); NULL = equal weights. Not copied. */
  const int *benefit;    /* m flags: 1 = larger is better (benefit), 0 = smaller
                            is better (cost); NULL = every criterion a cost, as
                            for minimised objectives. Not copied. */
} cet_topsis_parameters;

/* Vector normalisation, equal weights, all criteria costs. */
cet_topsis_parameters cet_topsis_default_parameters(void);

/* Ranks the n points of f (n x m) by TOPSIS with parameters p (NULL =
 * defaults). Outputs, each optional (NULL): closeness[i] the closeness
 * coefficient of point i, rank[i] its rank (1 = best, n = worst), order[k]
 * the index of the point ranked k + 1. Errors (CET_ERR_INPUT): n = 0, m = 0,
 * NULL f, non-finite values, bad weights or flags, unknown normalisation;
 * CET_ERR_MEMORY. */
int cet_topsis_rank(const double *f, size_t n, size_t m, const cet_topsis_parameters *p,
                    double *closeness, size_t *rank, size_t *order);

#endif /* CETWIN_TOPSIS_H */
