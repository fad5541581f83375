/*
 * morris.h — the Morris method of elementary effects (screening): the
 * design of trajectories in the unit cube, their selection for spread,
 * and the statistics mu, mu*, sigma of the elementary effects with
 * bootstrap intervals on mu*.
 *
 * Factors and groups. A point has k coordinates in [0, 1] (the caller maps
 * them through inverse CDFs or ranges). They form g groups (by default one
 * per factor); every member of a group moves at the same step of a
 * trajectory, in the same direction (Campolongo, Cariboni and Saltelli
 * 2007, Environ. Model. Softw. 22:1509-1518, sec. 3). One direction per
 * group (SALib draws one per factor) gives mu of a group a meaning: the
 * effect of raising all its members together; for a linear model the
 * effect of a group is the sum of its members' coefficients.
 *
 * Trajectory design (Morris 1991, Technometrics 33:161-174). A p-level grid
 * {0, 1/(p-1), ..., 1} (p even, default 4) and the step Delta = p / (2 (p -
 * 1)) (p/2 grid intervals). A trajectory has g + 1 points: a base level
 * x*_f in {0, .., p/2 - 1} per factor, a direction per group (+1 or -1,
 * each with probability 1/2) and a random order of the groups; it starts at
 * x*_f + Delta for the members of downward groups and x*_f for the others,
 * and step s moves the s-th group of the order by +Delta or -Delta. Every
 * point lies on the grid (coordinates computed from integer levels).
 * Candidate trajectory m draws from the Philox stream (seed,
 * cet_rng_purpose("morris.trajectory"), m, 0).
 *
 * Selection for spread (Campolongo et al. 2007). From M candidates the r
 * trajectories maximising D^2 = sum over pairs (m, l) of the chosen of
 * d_ml^2 are chosen, d_ml = sum over the points i of m and j of l of the
 * Euclidean distance between them. Exhaustively (in lexicographic order,
 * first best kept) when C(M, r) <= brute_force_limit; otherwise a local
 * search from several starts, the best result kept: backward elimination
 * (from all M, drop the candidate contributing least until r remain), and
 * greedy builds each seeded with one candidate (then adding the candidate
 * that adds most to D^2), seeded in turn with the candidates of largest
 * total squared distance, as many as 1e8 / (M r) allow (all M up to M =
 * 3000 for r = 10); each start improved by exchanges (the swap of a chosen
 * and an unchosen candidate that raises D^2 most, until none raises it by
 * more than 1e-12 of it, at most 10 r swaps). Ties go to the lowest index.
 * On every instance tried against the exhaustive search (M = 9 to 40, r =
 * 3 to 8) it found the optimum; a single greedy start with exchanges did
 * not (down to 0.993 of it). The pairwise distances cost M^2 (g + 1)^2 k /
 * 2 operations and M^2 doubles; M = 1000, r = 10, k = 10 takes about 0.7
 * s. The chosen trajectories keep the order of their candidate numbers.
 *
 * Radial design (optional; Campolongo, Saltelli and Cariboni 2011, Comput.
 * Phys. Commun. 182:978-988). Trajectory t uses point t of a scrambled
 * Sobol' sequence of 2k dimensions (sobolseq.h, keyed by the seed): the
 * base a = its first k coordinates, the auxiliary b = its last k; the
 * points are a, then a with factor f replaced by b_f for each factor f in
 * turn (each point differs from the base in one factor), with the step b_f
 * - a_f. Groups and candidate selection do not apply. Should b_f equal a_f
 * (two 32-bit coordinates equal: probability 2^-32), 1 - a_f is used.
 *
 * Statistics. The elementary effect of group i in trajectory t is EE = (y'
 * - y) / step, y and y' the outputs before and after the step moving i (in
 * the radial design y is the base point's output), step = +-Delta (or b_f
 * - a_f in the radial design): in output units per
 * unit of the factor's coordinate (a fraction of its range). Over the r
 * trajectories: mu = mean EE, mu* = mean |EE| (Campolongo et al. 2007),
 * sigma = sample standard deviation of EE (r - 1 in the denominator; NaN
 * for r = 1). Interval on mu* as SALib: B bootstrap resamples of the
 * trajectories with replacement (bootstrap.h, keyed by (seed,
 * cet_rng_purpose("morris.bootstrap"), resample)), half-width z sd of the
 * resampled mu*, z the standard normal quantile at (1 + level) / 2.
 *
 * Thread safety: a design is read-only after creation.
 */
#ifndef CETWIN_MORRIS_H
#define CETWIN_MORRIS_H

#include <stddef.h>
#include <stdint.h>

/* Defaults of cet_morris_default_parameters. */
enum {
  CET_MORRIS_DEFAULT_LEVELS = 4,
  CET_MORRIS_DEFAULT_TRAJECTORIES = 10,
  CET_MORRIS_DEFAULT_RESAMPLES = 1000 /* SALib's */
};

/* Largest number of combinations C(M, r) searched exhaustively by
 * default. */
#define CET_MORRIS_DEFAULT_BRUTE_FORCE_LIMIT 1000000

/* Confidence level of the interval on mu* when none is given. */
#define CET_MORRIS_DEFAULT_LEVEL 0.95

/* The plan of a Morris analysis (plain value; group_of is copied). */
typedef struct {
  size_t factors;             /* k >= 1 */
  size_t groups;              /* g; 0 = one group per factor */
  const size_t *group_of;     /* group (0 .. g-1) of each factor, or NULL: factor i is group i */
  size_t levels;              /* p, even, >= 2 (trajectory design) */
  size_t trajectories;        /* r >= 1 */
  size_t candidates;          /* M: 0 = r (no selection), else >= r (trajectory design) */
  int radial;                 /* radial design instead of trajectories */
  uint64_t seed;              /* trajectories, Sobol' scramble, bootstrap */
  uint64_t brute_force_limit; /* largest C(M, r) searched exhaustively */
  size_t resamples;           /* bootstrap resamples for the interval on mu* (0 = none) */
} cet_morris_parameters;

/* k = 0 (to be set), one group per factor, p = 4, r = 10, no selection,
 * trajectory design, seed 0, the default limit and resamples. */
cet_morris_parameters cet_morris_default_parameters(void);

/* A design (opaque). */
typedef struct cet_morris_design cet_morris_design;

/* Validates p, draws the candidates, selects r of them. CET_ERR_INPUT
 * naming what is wrong (no factor, a factor's group out of range, a group
 * without factors, p odd or below 2, r = 0, 0 < M < r, a radial design with
 * groups or candidates, 2k above CET_SOBOLSEQ_MAX_DIMS for the radial
 * design); CET_ERR_MEMORY. */
int cet_morris_design_create(cet_morris_design **d, const cet_morris_parameters *p);

/* Frees d (NULL allowed) and sets *d to NULL. */
void cet_morris_design_destroy(cet_morris_design **d);

/* The parameters (group_of points into d; groups is g). */
const cet_morris_parameters *cet_morris_design_parameters(const cet_morris_design *d);

/* Number of points, r (g + 1); point s of trajectory t is point t (g + 1) +
 * s. */
size_t cet_morris_design_points(const cet_morris_design *d);

/* The points, row-major (points x k), each coordinate in [0, 1]. */
const double *cet_morris_design_matrix(const cet_morris_design *d);

/* The group moved at step s (1 .. g) of trajectory t, and its signed step
 * (+-Delta, or b_f - a_f in the radial design). */
size_t cet_morris_design_moved(const cet_morris_design *d, size_t t, size_t s);
double cet_morris_design_step(const cet_morris_design *d, size_t t, size_t s);

/* The candidate number of trajectory t (0 .. M-1; t without selection). */
size_t cet_morris_design_candidate(const cet_morris_design *d, size_t t);

/* The spread D = sqrt(sum over pairs of d_ml^2) of the r trajectories. */
double cet_morris_design_spread(const cet_morris_design *d);

/* The elementary effects from the outputs: y[point * outputs + o] for the
 * points of the design; ee[(t g + i) outputs + o] the effect of group i in
 * trajectory t on output o. CET_ERR_INPUT (naming the point and output)
 * when an output is not finite or outputs is 0. Allocation-free. */
int cet_morris_effects(const cet_morris_design *d, const double *y, size_t outputs, double *ee);

/* mu, mu*, sigma and the half-width of the interval on mu* at level (0 <
 * level < 1) of output o, from the effects ee of cet_morris_effects with
 * `outputs` outputs, into arrays of g (any may be NULL). mu_star_conf is
 * NaN without resamples (or with fewer than 2). CET_ERR_INPUT for o >=
 * outputs or a level outside (0, 1); CET_ERR_MEMORY. */
int cet_morris_statistics(const cet_morris_design *d, const double *ee, size_t outputs, size_t o,
                          double level, double *mu, double *mu_star, double *sigma,
                          double *mu_star_conf);

#endif /* CETWIN_MORRIS_H */
