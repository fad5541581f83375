/*
 * nsga3.h — the environmental selection of NSGA-III (Deb & Jain 2014,
 * IEEE TEVC 18(4):577-601): normalisation by the ideal point and the
 * intercepts of the hyperplane through the extreme points, association of
 * each individual with the nearest reference line, and niche-preserving
 * selection from the last admitted front. The generational engine of
 * nsga2.h runs it when par.algorithm = CET_MOO_NSGA3 (mating, variation,
 * islands, migration, checkpoints and random streams as there); this
 * header holds the selection and its steps, so that they can be checked
 * on their own.
 *
 * Selection of N survivors from S = the fronts 0 .. l of the non-dominated
 * sort of parents + offspring, fronts 0 .. l-1 holding fewer than N and
 * front l completing or overflowing N (section IV-A):
 * 1. ideal point: z_j = min over S of f_j; translate f'_j = f_j - z_j;
 * 2. extreme point of axis j: the member of S minimising the achievement
 *    scalarising function ASF(f', e_j) = max_i f'_i / w_i with w_j = 1 and
 *    w_i = 1e-6 otherwise (ties to the earlier row), where an off-axis
 *    value f'_i up to CET_NSGA3_ASF_ZERO times the member's own f'_j
 *    counts as 0: among the members within that angle of axis j the best
 *    converged one (least f'_j) wins, not the one with the smallest
 *    off-axis values, which may lie far behind the front (the paper does
 *    not say how to break this; the tolerance is relative, so the choice
 *    does not depend on the objectives' units);
 * 3. intercepts a_j of the hyperplane through the M extreme points (the
 *    solution b of E b = 1, rows of E the extreme points, a_j = 1 / b_j);
 *    fallback when the extreme points do not span a hyperplane (E
 *    singular: two extreme points coincide, or they are linearly
 *    dependent) or an intercept is not a finite number above
 *    CET_NSGA3_EPSILON: a_j = the largest f'_j over front 0, and where
 *    that is not above CET_NSGA3_EPSILON the largest f'_j over S, and
 *    where that is not either 1 (every member has f'_j = 0, the scale does
 *    not matter);
 * 4. normalised objectives f^n_j = f'_j / a_j;
 * 5. association: each member of S goes to the reference line (through
 *    the origin and a reference point w) of least perpendicular distance
 *    d = |f^n - (w.f^n / |w|^2) w| (ties to the earlier point);
 * 6. niching: rho_j counts the members of fronts 0 .. l-1 associated with
 *    point j. The extreme points of step 2 that belong to front l survive
 *    first (axis by axis, each adding one to the rho_j of its point), so
 *    that no generation loses the corners the next normalisation stands
 *    on (the paper is silent; implementations that carry extreme points
 *    over generations reach the same, but need state beyond the
 *    population). While survivors are missing: among the points still in play,
 *    take those of least rho_j and pick one of them at random; if no
 *    unchosen member of front l is associated with it, the point leaves
 *    play; else, with rho_j = 0 the associated member of least distance
 *    survives (ties to the earlier row), with rho_j > 0 a random associated
 *    member; rho_j grows by one.
 * When front l is infeasible (constrained domination puts the infeasible
 * individuals after every feasible one, in fronts of equal violation) no
 * niching applies: its earliest rows survive, as their violation decides.
 * The random choices of niching come from one generator the caller
 * positions (nsga2.h keys it by seed, island stream and generation).
 *
 * A workspace is not thread-safe; distinct ones are independent.
 */
#ifndef CETWIN_NSGA3_H
#define CETWIN_NSGA3_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Smallest intercept (and spread of the objectives) taken as non-zero. */
#define CET_NSGA3_EPSILON 1e-10

/* Weight of the other axes in the achievement scalarising function. */
#define CET_NSGA3_ASF_WEIGHT 1e-6
/* Off-axis translated values up to this fraction of a member's value on
 * the axis count as 0 in that axis's ASF (step 2 below). */
#define CET_NSGA3_ASF_ZERO 1e-3

typedef struct cet_nsga3_workspace cet_nsga3_workspace;

/* A workspace for selections among up to `capacity` individuals with m
 * objectives against the reference points of `outer` and `inner` divisions
 * (refpoints.h; inner = 0: one layer) into *ws. Errors: m = 0, capacity =
 * 0, the errors of cet_refpoints_layers_count (CET_ERR_INPUT);
 * CET_ERR_MEMORY. */
int cet_nsga3_workspace_create(size_t m, size_t outer, size_t inner, size_t capacity,
                               cet_nsga3_workspace **ws);

/* Frees *ws (NULL allowed) and sets it to NULL. */
void cet_nsga3_workspace_destroy(cet_nsga3_workspace **ws);

/* The reference points (count x m, owned by ws) and their count. */
const double *cet_nsga3_reference_points(const cet_nsga3_workspace *ws, size_t *count);

/* Steps 1-4 on n individuals (rows of f, n x m, n <= capacity): the ideal
 * point (m), the intercepts (m, relative to the ideal point) and the
 * normalised objectives (n x m) into fn. front0 (n flags, NULL = all) marks
 * the members of the first front, used by the fallback. *fallback (may be
 * NULL) receives 1 when the hyperplane was degenerate and the fallback
 * gave the intercepts, else 0. Errors: NULL, n = 0 or above the capacity
 * (CET_ERR_INPUT). */
int cet_nsga3_normalize(cet_nsga3_workspace *ws, const double *f, size_t n,
                        const unsigned char *front0, double *ideal, double *intercept, double *fn,
                        int *fallback);

/* Step 5: niche[i] (n) the reference point nearest to row i of fn (n x m)
 * and distance[i] (n) its perpendicular distance. Errors: NULL, n above
 * the capacity (CET_ERR_INPUT). */
int cet_nsga3_associate(const cet_nsga3_workspace *ws, const double *fn, size_t n, size_t *niche,
                        double *distance);

/* The whole selection among n individuals (f, n x m) ranked by rank (n
 * front ranks, constrained sort) with violations cv (n, NULL = all
 * feasible): keep[i] (n) becomes 1 for the `survivors` individuals kept,
 * 0 for the others. Whole fronts while they fit, then steps 1-6 on the
 * front that overflows (r positioned by the caller; untouched when the
 * fronts fit exactly). Errors: NULL, n above the capacity, survivors > n
 * (CET_ERR_INPUT). */
int cet_nsga3_select(cet_nsga3_workspace *ws, const double *f, const double *cv, const size_t *rank,
                     size_t n, size_t survivors, gsl_rng *r, size_t *keep);

#endif /* CETWIN_NSGA3_H */
