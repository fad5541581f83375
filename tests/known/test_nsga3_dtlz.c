/*
 * test_nsga3_dtlz.c — NSGA-III on DTLZ1 and DTLZ2 with 3, 5 and 8
 * objectives against the IGD Deb & Jain (2014, IEEE TEVC 18(4):577-601)
 * report in their Table III, with their settings: k = 5 (DTLZ1) and 10
 * (DTLZ2) position variables, reference points of 12 (M = 3), 6 (M = 5)
 * and 3 + 2 (M = 8, two layers) divisions, populations 92, 212 and 156,
 * SBX with probability 1 and eta_c = 30, polynomial mutation of 1/n per
 * gene with eta_m = 20; 400, 600 and 750 generations on DTLZ1, 250, 350
 * and 500 on DTLZ2. IGD of the final population's non-dominated points
 * against the reference points mapped to the true front (DTLZ1: sum f =
 * 0.5; DTLZ2: the unit sphere), as in the paper.
 *
 * Required: the median over SEEDS runs (seeds 1..5; the paper takes 20)
 * at most TOLERANCE times the paper's median IGD. docs/validation.md
 * lists the table and the measured values (0.73 to 1.13 times the paper's
 * medians).
 */
#include "cetwin/error.h"
#include "cetwin/nsga2.h"
#include "cetwin/refpoints.h"
#include "cetwin/testproblems.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { SEEDS = 5, MAX_GENES = 32 };

/* Required: median IGD <= TOLERANCE x the paper's median. One fixed set of
 * seeds; the medians measured lie between 0.73 and 1.13 times the paper's,
 * and five seeds are few against the paper's twenty (docs/validation.md). */
#define TOLERANCE 2.5

typedef struct {
  cet_testproblem_kind kind;
  size_t m, outer, inner, population;
  uint64_t generations;
  double paper_median; /* Deb & Jain (2014) Table III */
  double tolerance;    /* required: median IGD <= paper_median * tolerance */
} dtlz_case;

static double run_once(const dtlz_case *c, uint64_t seed) {
  cet_testproblem tp;
  assert_int_equal(cet_testproblem_init(&tp, c->kind, 0, c->m), CET_OK);
  double lower[MAX_GENES], upper[MAX_GENES];
  cet_moo_problem p;
  assert_int_equal(cet_testproblem_moo(&tp, MAX_GENES, lower, upper, &p), CET_OK);
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.algorithm = CET_MOO_NSGA3;
  par.population = c->population;
  par.generations = c->generations;
  par.divisions = c->outer;
  par.inner_divisions = c->inner;
  par.crossover_probability = 1;
  par.eta_c = 30;
  par.mutation_probability = 1;
  par.eta_m = 20;
  par.seed = seed;
  cet_nsga2 *ga = NULL;
  assert_int_equal(cet_nsga2_create(&p, &par, &ga), CET_OK);
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_OK);
  assert_int_equal(cet_nsga2_solve(ga), CET_OK);
  size_t N = cet_nsga2_population(ga), m = c->m, H = 0, count = 0;
  size_t *index = malloc(N * sizeof *index);
  double *front = malloc(N * m * sizeof *front);
  assert_int_equal(cet_refpoints_layers_count(m, c->outer, c->inner, &H), CET_OK);
  double *z = malloc(H * m * sizeof *z), *t = malloc(H * m * sizeof *t), igd = 0;
  assert_non_null(index);
  assert_non_null(front);
  assert_non_null(z);
  assert_non_null(t);
  assert_int_equal(cet_nsga2_front(ga, index, &count), CET_OK);
  for (size_t k = 0; k < count; k++) {
    memcpy(front + k * m, cet_nsga2_f(ga) + index[k] * m, m * sizeof *front);
  }
  assert_int_equal(cet_refpoints_fill(m, c->outer, c->inner, z), CET_OK);
  assert_int_equal(cet_testproblem_targets(&tp, z, H, t), CET_OK);
  assert_int_equal(cet_testproblem_igd(t, H, front, count, m, &igd), CET_OK);
  free(index);
  free(front);
  free(z);
  free(t);
  cet_nsga2_destroy(&ga);
  return igd;
}

static int less(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void check(const dtlz_case *c) {
  double igd[SEEDS];
  for (uint64_t s = 0; s < SEEDS; s++) {
    igd[s] = run_once(c, s + 1);
  }
  qsort(igd, SEEDS, sizeof *igd, less);
  double median = igd[SEEDS / 2];
  print_message("DTLZ%d M=%zu N=%zu G=%llu: IGD best %.3e median %.3e worst %.3e; paper median "
                "%.3e, required <= %.3e\n",
                c->kind == CET_TESTPROBLEM_DTLZ1 ? 1 : 2, c->m, c->population,
                (unsigned long long)c->generations, igd[0], median, igd[SEEDS - 1], c->paper_median,
                c->paper_median * c->tolerance);
  assert_true(median <= c->paper_median * c->tolerance);
}

#define CASE(name, kind, m, outer, inner, pop, gen, paper, tol)                                    \
  static void name(void **state) {                                                                 \
    (void)state;                                                                                   \
    const dtlz_case c = {kind, m, outer, inner, pop, gen, paper, tol};                             \
    check(&c);                                                                                     \
  }

CASE(test_dtlz1_m3, CET_TESTPROBLEM_DTLZ1, 3, 12, 0, 92, 400, 1.308e-3, TOLERANCE)
CASE(test_dtlz1_m5, CET_TESTPROBLEM_DTLZ1, 5, 6, 0, 212, 600, 9.799e-4, TOLERANCE)
CASE(test_dtlz1_m8, CET_TESTPROBLEM_DTLZ1, 8, 3, 2, 156, 750, 3.979e-3, TOLERANCE)
CASE(test_dtlz2_m3, CET_TESTPROBLEM_DTLZ2, 3, 12, 0, 92, 250, 1.357e-3, TOLERANCE)
CASE(test_dtlz2_m5, CET_TESTPROBLEM_DTLZ2, 5, 6, 0, 212, 350, 4.982e-3, TOLERANCE)
CASE(test_dtlz2_m8, CET_TESTPROBLEM_DTLZ2, 8, 3, 2, 156, 500, 1.571e-2, TOLERANCE)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dtlz1_m3), cmocka_unit_test(test_dtlz1_m5),
      cmocka_unit_test(test_dtlz1_m8), cmocka_unit_test(test_dtlz2_m3),
      cmocka_unit_test(test_dtlz2_m5), cmocka_unit_test(test_dtlz2_m8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
