/*
 * testproblems.h — standard multi-objective test problems for tests and
 * benchmarks: ZDT1, ZDT2, ZDT3 (Zitzler, Deb & Thiele 2000, Evol. Comput.
 * 8(2):173-195; two objectives, default 30 variables), DTLZ1 and DTLZ2
 * (Deb, Thiele, Laumanns & Zitzler 2002, CEC; default 3 objectives and
 * M + k - 1 variables for M objectives, k = 5 for DTLZ1 and k = 10 for
 * DTLZ2). Every variable lies in [0, 1]; objectives are minimised. DTLZ1's
 * front is the simplex sum_j f_j = 0.5 (f >= 0), DTLZ2's the positive
 * part of the unit sphere.
 *
 * Hypervolumes of the true Pareto fronts with the reference point 1.1 in
 * every objective (computed from the analytic fronts):
 *   ZDT1  0.1 * 1.1 + 0.1 + 2/3               = 0.876667 (0.87666...)
 *   ZDT2  0.1 * 1.1 + 0.1 + 1/3               = 0.543333 (0.54333...)
 *   ZDT3  numerical integral of the envelope  = 1.331763 (1.3317629087)
 *   DTLZ2 1.1^3 - pi/6 (sphere octant)         = 0.807401 (0.8074012244)
 *   DTLZ1 1.1^3 - 0.5^3 / 3! (simplex corner)   = 1.310167 (1.3101666...)
 *
 * IGD (inverted generational distance) as Deb & Jain (2014) use it: the
 * mean, over target points on the true front, of the Euclidean distance
 * to the nearest point of the set found.
 */
#ifndef CETWIN_TESTPROBLEMS_H
#define CETWIN_TESTPROBLEMS_H

#include "cetwin/nsga2.h"

#include <stddef.h>

typedef enum {
  CET_TESTPROBLEM_ZDT1 = 0,
  CET_TESTPROBLEM_ZDT2 = 1,
  CET_TESTPROBLEM_ZDT3 = 2,
  CET_TESTPROBLEM_DTLZ2 = 3,
  CET_TESTPROBLEM_DTLZ1 = 4
} cet_testproblem_kind;

typedef struct {
  cet_testproblem_kind kind;
  size_t n_genes; /* decision variables, each in [0, 1] */
  size_t n_obj;   /* objectives */
} cet_testproblem;

/* Sets up problem kind with n_genes variables and n_obj objectives; 0
 * selects the default (ZDT: 30 and 2; DTLZ: 3 objectives, M + 4 (DTLZ1) or
 * M + 9 (DTLZ2) variables). Errors (CET_ERR_INPUT): unknown kind, ZDT with
 * n_obj != 2 or n_genes < 2, DTLZ with n_obj < 2 or n_genes < n_obj. */
int cet_testproblem_init(cet_testproblem *p, cet_testproblem_kind kind, size_t n_genes,
                         size_t n_obj);

/* Finds a kind by its name ("zdt1", "zdt2", "zdt3", "dtlz2", "dtlz1"). */
int cet_testproblem_kind_from_name(const char *name, cet_testproblem_kind *kind);

/* Evaluates count points x (count x n_genes) into f (count x n_obj). ctx is
 * a const cet_testproblem *. g is unused (the problems are unconstrained).
 * The signature is that of an NSGA-II evaluation callback (nsga2.h). Pure
 * and thread-safe. Errors: NULL arguments, x outside [0, 1]. */
int cet_testproblem_evaluate(void *ctx, size_t count, const double *x, double *f, double *g);

/* The optimisation problem of p for nsga2.h: lower and upper (room for
 * `room` values each) receive the bounds 0 and 1 of the n_genes real genes,
 * *out the problem with p as context (p, lower and upper must outlive it).
 * Errors: NULL, room < n_genes (CET_ERR_INPUT). */
int cet_testproblem_moo(const cet_testproblem *p, size_t room, double *lower, double *upper,
                        cet_moo_problem *out);

/* Samples the true Pareto front into f (room for count x n_obj values):
 * ZDT1/ZDT2 on count evenly spaced f1; ZDT3 on count evenly spaced f1 of
 * which only the non-dominated ones are kept; DTLZ on the largest simplex
 * lattice of at most count points (refpoints.h), projected onto the unit
 * sphere (DTLZ2) or scaled to the sum 0.5 (DTLZ1).
 * *written gets the number of points stored. Errors: count < 2, NULL. */
int cet_testproblem_front(const cet_testproblem *p, size_t count, double *f, size_t *written);

/* Hypervolume of the true Pareto front with the reference point 1.1 in
 * every objective (the values listed above; DTLZ2 with M objectives:
 * 1.1^M minus the volume of the positive orthant of the unit M-ball;
 * DTLZ1: 1.1^M minus 0.5^M / M!). */
double cet_testproblem_true_hypervolume(const cet_testproblem *p);

/* Maps count points z of the unit simplex (count x n_obj, each summing to
 * 1, e.g. NSGA-III's reference points) to the true front along their
 * lines from the origin, into out (count x n_obj): DTLZ1 0.5 z, DTLZ2
 * z / |z|. These are the target points of Deb & Jain's IGD. Errors: NULL,
 * a ZDT problem, a point of zero length (CET_ERR_INPUT). */
int cet_testproblem_targets(const cet_testproblem *p, const double *z, size_t count, double *out);

/* IGD of the set f (n x m) against the targets t (count x m): the mean
 * over the targets of the distance to the nearest point of f, into *igd.
 * Errors: NULL, count = 0, n = 0, m = 0 (CET_ERR_INPUT). */
int cet_testproblem_igd(const double *t, size_t count, const double *f, size_t n, size_t m,
                        double *igd);

#endif /* CETWIN_TESTPROBLEMS_H */
