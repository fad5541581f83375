/*
 * test_nsga2.c — unit tests of nsga2.h: defaults (Bonnin et al. 2015,
 * Table 5), the init / iterate / test cycle, bitwise reproducibility and
 * independence from the evaluation order, exact state save and restore,
 * constraints, integer genes, exact zeros, repair, migration hooks, odd
 * populations, both truncations, the NSGA-III selection on the same engine
 * (restore, constraints, reproducibility), and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/nsga2.h"
#include "cetwin/testproblems.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ---- problems ------------------------------------------------------------ */

static double zero_lo[30], one_hi[30];

static cet_moo_problem zdt1(cet_testproblem *tp, size_t genes) {
  cet_testproblem_init(tp, CET_TESTPROBLEM_ZDT1, genes, 0);
  for (size_t j = 0; j < 30; j++) {
    zero_lo[j] = 0;
    one_hi[j] = 1;
  }
  cet_moo_problem p = {
      {tp->n_genes, zero_lo, one_hi, NULL, NULL}, 2, 0, cet_testproblem_evaluate, NULL, tp};
  return p;
}

static cet_nsga2_parameters small(uint64_t seed) {
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.population = 24;
  par.generations = 10;
  par.seed = seed;
  return par;
}

static cet_nsga2 *run(const cet_moo_problem *p, const cet_nsga2_parameters *par) {
  cet_nsga2 *ga = NULL;
  assert_int_equal(cet_nsga2_create(p, par, &ga), CET_OK);
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_OK);
  assert_int_equal(cet_nsga2_solve(ga), CET_OK);
  return ga;
}

static int same_population(const cet_nsga2 *a, const cet_nsga2 *b) {
  size_t N = cet_nsga2_population(a);
  return cet_nsga2_generation(a) == cet_nsga2_generation(b) &&
         memcmp(cet_nsga2_x(a), cet_nsga2_x(b), N * cet_nsga2_n_genes(a) * sizeof(double)) == 0 &&
         memcmp(cet_nsga2_f(a), cet_nsga2_f(b), N * cet_nsga2_n_obj(a) * sizeof(double)) == 0 &&
         memcmp(cet_nsga2_rank(a), cet_nsga2_rank(b), N * sizeof(size_t)) == 0 &&
         memcmp(cet_nsga2_crowding(a), cet_nsga2_crowding(b), N * sizeof(double)) == 0;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_defaults(void **state) {
  (void)state;
  cet_nsga2_parameters p = cet_nsga2_default_parameters();
  assert_int_equal(p.population, 200);
  assert_int_equal(p.generations, 400);
  assert_true(p.crossover_probability == 0.9);
  assert_true(p.mutation_probability == 0.5);
  assert_true(p.eta_c == 20 && p.eta_m == 20);
  assert_true(p.mutation_rate == 0); /* 1/n */
  assert_int_equal(p.truncation, CET_NSGA2_TRUNCATE_ITERATIVE);
}

static void test_cycle_and_counters(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 10);
  cet_nsga2_parameters par = small(1);
  cet_nsga2 *ga = run(&p, &par);
  assert_int_equal(cet_nsga2_generation(ga), 10);
  assert_int_equal(cet_nsga2_evaluations(ga), 24 * 11);
  assert_int_equal(cet_nsga2_population(ga), 24);
  assert_int_equal(cet_nsga2_n_genes(ga), 10);
  assert_int_equal(cet_nsga2_n_obj(ga), 2);
  assert_int_equal(cet_nsga2_n_con(ga), 0);
  assert_null(cet_nsga2_g(ga));
  size_t index[24], count;
  assert_int_equal(cet_nsga2_front(ga, index, &count), CET_OK);
  assert_true(count >= 1 && count <= 24);
  for (size_t k = 0; k < count; k++) {
    assert_int_equal(cet_nsga2_rank(ga)[index[k]], 0);
    assert_true(cet_nsga2_violation(ga)[index[k]] == 0);
  }
  /* the ranks agree with the order */
  size_t order[24];
  assert_int_equal(cet_nsga2_order(ga, order), CET_OK);
  for (size_t k = 1; k < 24; k++) {
    assert_true(cet_nsga2_rank(ga)[order[k - 1]] <= cet_nsga2_rank(ga)[order[k]]);
  }
  cet_nsga2_destroy(&ga);
  assert_null(ga);
  cet_nsga2_destroy(&ga);
  cet_nsga2_destroy(NULL);
}

static void test_reproducible(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 10);
  cet_nsga2_parameters par = small(7);
  cet_nsga2 *a = run(&p, &par), *b = run(&p, &par);
  assert_true(same_population(a, b));
  par.seed = 8;
  cet_nsga2 *c = run(&p, &par);
  assert_false(same_population(a, c));
  par.seed = 7;
  par.stream = 1; /* another island */
  cet_nsga2 *d = run(&p, &par);
  assert_false(same_population(a, d));
  cet_nsga2_destroy(&a);
  cet_nsga2_destroy(&b);
  cet_nsga2_destroy(&c);
  cet_nsga2_destroy(&d);
}

/* Evaluates the batch back to front, one individual at a time. */
static int reversed(void *ctx, size_t count, const double *x, double *f, double *g) {
  const cet_testproblem *tp = ctx;
  for (size_t i = count; i-- > 0;) {
    int status = cet_testproblem_evaluate(ctx, 1, x + i * tp->n_genes, f + i * tp->n_obj, g);
    if (status) {
      return status;
    }
  }
  return CET_OK;
}

static void test_independent_of_evaluation_order(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 10), q = p;
  q.evaluate = reversed;
  cet_nsga2_parameters par = small(3);
  cet_nsga2 *a = run(&p, &par), *b = run(&q, &par);
  assert_true(same_population(a, b));
  cet_nsga2_destroy(&a);
  cet_nsga2_destroy(&b);
}

/* Evaluates the batch with two OpenMP threads, one individual per
 * iteration, as a driver would. */
static int threaded(void *ctx, size_t count, const double *x, double *f, double *g) {
  const cet_testproblem *tp = ctx;
  int failed = 0;
#pragma omp parallel for num_threads(2) schedule(dynamic, 1) reduction(| : failed)
  for (size_t i = 0; i < count; i++) {
    failed |= cet_testproblem_evaluate(ctx, 1, x + i * tp->n_genes, f + i * tp->n_obj, g) != 0;
  }
  return failed ? CET_ERR_RUNTIME : CET_OK;
}

static void test_openmp_evaluation(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 10), q = p;
  q.evaluate = threaded;
  cet_nsga2_parameters par = small(12);
  cet_nsga2 *a = run(&p, &par), *b = run(&q, &par);
  assert_true(same_population(a, b));
  cet_nsga2_destroy(&a);
  cet_nsga2_destroy(&b);
}

static void test_state_restore_is_exact(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 10);
  for (int t = 0; t < 3; t++) {
    cet_nsga2_parameters par = small(11);
    par.truncation = t ? CET_NSGA2_TRUNCATE_CROWDING : CET_NSGA2_TRUNCATE_ITERATIVE;
    par.algorithm = t == 2 ? CET_MOO_NSGA3 : CET_MOO_NSGA2;
    cet_nsga2 *whole = run(&p, &par), *first = NULL, *second = NULL;
    /* stop after 4 generations, save, restore into a fresh optimiser */
    assert_int_equal(cet_nsga2_create(&p, &par, &first), CET_OK);
    assert_int_equal(cet_nsga2_init(first, NULL, 0), CET_OK);
    for (int g = 0; g < 4; g++) {
      assert_int_equal(cet_nsga2_iterate(first), CET_OK);
    }
    uint64_t gen;
    double x[24 * 10], f[24 * 2];
    assert_int_equal(cet_nsga2_get_state(first, &gen, x, f, NULL), CET_OK);
    assert_int_equal(gen, 4);
    cet_nsga2_destroy(&first);
    assert_int_equal(cet_nsga2_create(&p, &par, &second), CET_OK);
    assert_int_equal(cet_nsga2_set_state(second, gen, x, f, NULL), CET_OK);
    int done = 0;
    while (!done) {
      assert_int_equal(cet_nsga2_iterate(second), CET_OK);
      assert_int_equal(cet_nsga2_test(second, &done), CET_OK);
    }
    assert_true(same_population(whole, second));
    cet_nsga2_destroy(&whole);
    cet_nsga2_destroy(&second);
  }
}

static void check_constrained_state(cet_nsga2 *ga);

/* CONSTR (Deb 2001): min x1 and (1 + x2)/x1 subject to x2 + 9 x1 >= 6 and
 * -x2 + 9 x1 >= 1, x1 in [0.1, 1], x2 in [0, 5]; written as g <= 0. */
static int constr(void *ctx, size_t count, const double *x, double *f, double *g) {
  (void)ctx;
  for (size_t i = 0; i < count; i++) {
    const double *y = x + 2 * i;
    f[2 * i] = y[0];
    f[2 * i + 1] = (1 + y[1]) / y[0];
    g[2 * i] = 6 - y[1] - 9 * y[0];
    g[2 * i + 1] = 1 + y[1] - 9 * y[0];
  }
  return CET_OK;
}

static void test_constraints(void **state) {
  (void)state;
  const double lo[] = {0.1, 0}, hi[] = {1, 5};
  cet_moo_problem p = {{2, lo, hi, NULL, NULL}, 2, 2, constr, NULL, NULL};
  cet_nsga2_parameters par = small(5);
  par.population = 40;
  par.generations = 40;
  for (int nsga3 = 1; nsga3 >= 0; nsga3--) { /* NSGA-III: feasibility-first mating */
    par.algorithm = nsga3 ? CET_MOO_NSGA3 : CET_MOO_NSGA2;
    cet_nsga2 *ga = run(&p, &par);
    const double *cv = cet_nsga2_violation(ga);
    for (size_t i = 0; i < 40; i++) {
      assert_true(cv[i] == 0);
    }
    if (nsga3) {
      cet_nsga2_destroy(&ga);
    } else {
      check_constrained_state(ga);
    }
  }
}

/* The population of ga (CONSTR, 40 individuals) is feasible, and its state
 * needs room for the constraint values. */
static void check_constrained_state(cet_nsga2 *ga) {
  const double *cv = cet_nsga2_violation(ga), *g = cet_nsga2_g(ga);
  assert_non_null(g);
  for (size_t i = 0; i < 40; i++) {
    assert_true(cv[i] == 0); /* the whole population became feasible */
    assert_true(g[2 * i] <= 0 && g[2 * i + 1] <= 0);
  }
  uint64_t gen;
  double x[80], f[80], gg[80];
  assert_int_equal(cet_nsga2_get_state(ga, &gen, x, f, gg), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_nsga2_get_state(ga, &gen, x, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_set_state(ga, gen, x, f, NULL), CET_ERR_INPUT);
  cet_error_clear();
  cet_nsga2_destroy(&ga);
}

/* Mixed integer: min (k - 2.3)^2 + y^2 and (k + 1)^2 + (y - 1)^2 with k
 * integer in [-5, 5], y real in [-2, 2]; a third gene is real in [0, 1] with
 * zeros below 0.1 and a cost of its own value, so exact zeros must appear. */
static int mixed(void *ctx, size_t count, const double *x, double *f, double *g) {
  (void)ctx;
  (void)g;
  for (size_t i = 0; i < count; i++) {
    const double *y = x + 3 * i;
    f[2 * i] = (y[0] - 2.3) * (y[0] - 2.3) + y[1] * y[1] + y[2];
    f[2 * i + 1] = (y[0] + 1) * (y[0] + 1) + (y[1] - 1) * (y[1] - 1) + y[2];
  }
  return CET_OK;
}

static void test_integer_genes_and_zeros(void **state) {
  (void)state;
  const double lo[] = {-5, -2, 0}, hi[] = {5, 2, 1}, zeros[] = {0, 0, 0.1};
  const cet_gene_type types[] = {CET_GENE_INTEGER, CET_GENE_REAL, CET_GENE_REAL};
  cet_moo_problem p = {{3, lo, hi, types, zeros}, 2, 0, mixed, NULL, NULL};
  cet_nsga2_parameters par = small(2);
  par.population = 40;
  par.generations = 30;
  cet_nsga2 *ga = run(&p, &par);
  const double *x = cet_nsga2_x(ga);
  size_t exact_zeros = 0;
  int seen[11] = {0};
  for (size_t i = 0; i < 40; i++) {
    assert_true(x[3 * i] == floor(x[3 * i]));
    assert_true(x[3 * i + 2] == 0 || x[3 * i + 2] >= 0.1);
    exact_zeros += x[3 * i + 2] == 0;
    seen[(int)x[3 * i] + 5] = 1;
  }
  assert_true(exact_zeros > 30);
  /* the Pareto set uses k in {-1, 0, 1, 2} */
  assert_true(seen[5 + 2] && seen[5 - 1]);
  cet_nsga2_destroy(&ga);
}

/* Repair: genes are rates that must sum to one. */
static int normalise(void *ctx, size_t count, double *x) {
  const size_t *n = ctx;
  for (size_t i = 0; i < count; i++) {
    double s = 0;
    for (size_t j = 0; j < *n; j++) {
      s += x[i * *n + j];
    }
    for (size_t j = 0; j < *n; j++) {
      x[i * *n + j] = s > 0 ? x[i * *n + j] / s : 1.0 / (double)*n;
    }
  }
  return CET_OK;
}

static int rates(void *ctx, size_t count, const double *x, double *f, double *g) {
  (void)g;
  const size_t *n = ctx;
  for (size_t i = 0; i < count; i++) {
    f[2 * i] = x[i * *n];
    f[2 * i + 1] = 1 - x[i * *n + 1];
  }
  return CET_OK;
}

static int break_bounds(void *ctx, size_t count, double *x) {
  (void)ctx;
  x[count - 1] = 2;
  return CET_OK;
}

static void test_repair(void **state) {
  (void)state;
  size_t n = 3;
  const double lo[] = {0, 0, 0}, hi[] = {1, 1, 1};
  cet_moo_problem p = {{3, lo, hi, NULL, NULL}, 2, 0, rates, normalise, &n};
  cet_nsga2_parameters par = small(4);
  cet_nsga2 *ga = run(&p, &par);
  for (size_t i = 0; i < 24; i++) {
    const double *x = cet_nsga2_x(ga) + 3 * i;
    assert_true(fabs(x[0] + x[1] + x[2] - 1) < 1e-12);
  }
  cet_nsga2_destroy(&ga);
  p.repair = break_bounds;
  assert_int_equal(cet_nsga2_create(&p, &par, &ga), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_ERR_RUNTIME);
  assert_non_null(strstr(cet_error_message(), "after repair"));
  cet_error_clear();
  cet_nsga2_destroy(&ga);
}

static void test_seeded_population_and_odd_size(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 4);
  cet_nsga2_parameters par = small(6);
  par.population = 7;
  cet_nsga2 *ga = NULL;
  const double seed[2 * 4] = {0, 0, 0, 0, 1, 0, 0, 0};
  assert_int_equal(cet_nsga2_create(&p, &par, &ga), CET_OK);
  assert_int_equal(cet_nsga2_init(ga, seed, 2), CET_OK);
  assert_memory_equal(cet_nsga2_x(ga), seed, sizeof seed);
  /* both seeds are on the true front: rank 0 */
  assert_int_equal(cet_nsga2_rank(ga)[0], 0);
  assert_int_equal(cet_nsga2_rank(ga)[1], 0);
  for (int g = 0; g < 5; g++) {
    assert_int_equal(cet_nsga2_iterate(ga), CET_OK);
  }
  assert_int_equal(cet_nsga2_evaluations(ga), 7 * 6);
  cet_nsga2_destroy(&ga);
}

static void test_replace_and_order(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 4);
  cet_nsga2_parameters par = small(9);
  cet_nsga2 *ga = run(&p, &par);
  size_t order[24];
  assert_int_equal(cet_nsga2_order(ga, order), CET_OK);
  /* the two worst are replaced by true-front points, which rank first */
  const double x[2 * 4] = {0, 0, 0, 0, 0.25, 0, 0, 0};
  double f[4];
  assert_int_equal(cet_testproblem_evaluate(&tp, 2, x, f, NULL), CET_OK);
  size_t slot[2] = {order[23], order[22]};
  assert_int_equal(cet_nsga2_replace(ga, 2, slot, x, f, NULL), CET_OK);
  assert_memory_equal(cet_nsga2_x(ga) + 4 * slot[0], x, 4 * sizeof(double));
  assert_int_equal(cet_nsga2_rank(ga)[slot[0]], 0);
  assert_int_equal(cet_nsga2_rank(ga)[slot[1]], 0);
  assert_int_equal(cet_nsga2_replace(ga, 0, NULL, NULL, NULL, NULL), CET_OK);
  /* errors: duplicate slot, slot out of range, genes out of bounds, NaN */
  size_t twice[2] = {3, 3}, far[1] = {24};
  cet_error_clear();
  assert_int_equal(cet_nsga2_replace(ga, 2, twice, x, f, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "distinct"));
  assert_int_equal(cet_nsga2_replace(ga, 1, far, x, f, NULL), CET_ERR_INPUT);
  const double out[4] = {2, 0, 0, 0}, nan[2] = {NAN, 0};
  assert_int_equal(cet_nsga2_replace(ga, 1, slot, out, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_replace(ga, 1, slot, x, nan, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_replace(ga, 25, slot, x, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_replace(ga, 1, NULL, x, f, NULL), CET_ERR_INPUT);
  cet_error_clear();
  cet_nsga2_destroy(&ga);
}

static int failing(void *ctx, size_t count, const double *x, double *f, double *g) {
  (void)ctx;
  (void)count;
  (void)x;
  (void)f;
  (void)g;
  cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "model diverged");
  return CET_ERR_RUNTIME;
}

static int nan_objective(void *ctx, size_t count, const double *x, double *f, double *g) {
  int status = cet_testproblem_evaluate(ctx, count, x, f, g);
  f[1] = NAN;
  return status;
}

/* NSGA-III on the engine: the same seed gives the same bits, and another
 * population than NSGA-II's; on DTLZ2 with 3 objectives (population 24:
 * automatic reference points of 5 divisions, 21 points) the survivors
 * approach the unit sphere. */
static void test_nsga3_engine(void **state) {
  (void)state;
  cet_testproblem tp;
  assert_int_equal(cet_testproblem_init(&tp, CET_TESTPROBLEM_DTLZ2, 0, 3), CET_OK);
  cet_moo_problem p;
  assert_int_equal(cet_testproblem_moo(&tp, 30, zero_lo, one_hi, &p), CET_OK);
  cet_nsga2_parameters par = small(3);
  par.generations = 60;
  par.algorithm = CET_MOO_NSGA3;
  cet_nsga2 *a = run(&p, &par), *b = run(&p, &par);
  assert_true(same_population(a, b));
  par.algorithm = CET_MOO_NSGA2;
  cet_nsga2 *c = run(&p, &par);
  assert_false(same_population(a, c));
  const double *f = cet_nsga2_f(a);
  for (size_t i = 0; i < 24; i++) {
    const double *y = f + 3 * i;
    assert_true(sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2]) < 1.2);
  }
  cet_nsga2_destroy(&a);
  cet_nsga2_destroy(&b);
  cet_nsga2_destroy(&c);
}

static void test_errors(void **state) {
  (void)state;
  cet_testproblem tp;
  cet_moo_problem p = zdt1(&tp, 4);
  cet_nsga2_parameters par = small(1);
  cet_nsga2 *ga = NULL;
  assert_int_equal(cet_nsga2_create(NULL, &par, &ga), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_create(&p, &par, NULL), CET_ERR_INPUT);
  cet_moo_problem q = p;
  q.n_obj = 0;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_ERR_INPUT);
  q = p;
  q.evaluate = NULL;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_ERR_INPUT);
  q = p;
  q.genome.n = 0;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_ERR_INPUT);
  const double bad[4] = {1, 0, 0, 0};
  q = p;
  q.genome.upper = bad;
  q.genome.lower = one_hi;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_ERR_INPUT);
  cet_nsga2_parameters b = par;
  b.population = 1;
  cet_error_clear();
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "population"));
  b = par;
  b.crossover_probability = 1.5;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.mutation_rate = -0.1;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.mutation_probability = NAN;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.crossover_gene_rate = 2;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.eta_c = -1;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.eta_m = INFINITY;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  b = par;
  b.truncation = (cet_nsga2_truncation)9;
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  assert_null(ga);
  b = par;
  b.algorithm = (cet_moo_algorithm)7;
  cet_error_clear();
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "unknown algorithm"));
  b = par;
  b.algorithm = CET_MOO_NSGA3;
  b.inner_divisions = 2;
  cet_error_clear();
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "inner divisions"));
  b.divisions = 100000000; /* 2 objectives: 1e8 + 1 points */
  b.inner_divisions = 0;
  cet_error_clear();
  assert_int_equal(cet_nsga2_create(&p, &b, &ga), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "reference points"));
  cet_testproblem t3;
  assert_int_equal(cet_testproblem_init(&t3, CET_TESTPROBLEM_DTLZ2, 0, 3), CET_OK);
  cet_moo_problem p3;
  assert_int_equal(cet_testproblem_moo(&t3, 30, zero_lo, one_hi, &p3), CET_OK);
  assert_int_equal(cet_testproblem_moo(&t3, 11, zero_lo, one_hi, &p3), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_moo(NULL, 30, zero_lo, one_hi, &p3), CET_ERR_INPUT);
  b = par;
  b.algorithm = CET_MOO_NSGA3;
  b.population = 2; /* below the 3 corners of the automatic reference points */
  cet_error_clear();
  assert_int_equal(cet_nsga2_create(&p3, &b, &ga), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "corner"));
  assert_null(ga);
  cet_error_clear();

  /* NULL parameters: the defaults */
  assert_int_equal(cet_nsga2_create(&p, NULL, &ga), CET_OK);
  assert_int_equal(cet_nsga2_population(ga), 200);
  cet_nsga2_destroy(&ga);

  assert_int_equal(cet_nsga2_create(&p, &par, &ga), CET_OK);
  size_t index[24], count, order[24];
  uint64_t gen;
  double x[24 * 4], f[48];
  int done;
  assert_int_equal(cet_nsga2_iterate(ga), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_solve(ga), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_solve(NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_front(ga, index, &count), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_get_state(ga, &gen, x, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_order(ga, order), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_replace(ga, 0, NULL, NULL, NULL, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_evaluations(ga), 0);
  assert_int_equal(cet_nsga2_test(ga, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_test(NULL, &done), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_iterate(NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_init(NULL, NULL, 0), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_init(ga, NULL, 3), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_init(ga, x, 25), CET_ERR_INPUT);
  const double outside[4] = {0, 0, 1.5, 0};
  cet_error_clear();
  assert_int_equal(cet_nsga2_init(ga, outside, 1), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "gene 2"));
  cet_error_clear();
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_OK);
  assert_int_equal(cet_nsga2_get_state(ga, &gen, x, f, NULL), CET_OK);
  x[5] = -1;
  assert_int_equal(cet_nsga2_set_state(ga, gen, x, f, NULL), CET_ERR_INPUT);
  x[5] = 0;
  f[3] = NAN;
  assert_int_equal(cet_nsga2_set_state(ga, gen, x, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga2_set_state(ga, gen, NULL, f, NULL), CET_ERR_INPUT);
  /* a failed restore leaves no usable population */
  assert_int_equal(cet_nsga2_iterate(ga), CET_ERR_INPUT);
  cet_nsga2_destroy(&ga);

  /* a failing callback propagates with its message and our context */
  q = p;
  q.evaluate = failing;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_ERR_RUNTIME);
  assert_non_null(strstr(cet_error_message(), "model diverged"));
  assert_true(cet_error_depth() >= 2);
  cet_error_clear();
  cet_nsga2_destroy(&ga);
  q.evaluate = nan_objective;
  assert_int_equal(cet_nsga2_create(&q, &par, &ga), CET_OK);
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_ERR_RUNTIME);
  assert_non_null(strstr(cet_error_message(), "NaN"));
  cet_error_clear();
  cet_nsga2_destroy(&ga);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_cycle_and_counters),
      cmocka_unit_test(test_reproducible),
      cmocka_unit_test(test_independent_of_evaluation_order),
      cmocka_unit_test(test_openmp_evaluation),
      cmocka_unit_test(test_state_restore_is_exact),
      cmocka_unit_test(test_constraints),
      cmocka_unit_test(test_integer_genes_and_zeros),
      cmocka_unit_test(test_repair),
      cmocka_unit_test(test_seeded_population_and_odd_size),
      cmocka_unit_test(test_replace_and_order),
      cmocka_unit_test(test_nsga3_engine),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
