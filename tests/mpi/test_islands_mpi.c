/*
 * test_islands_mpi.c — islands.h on several ranks (run by mpiexec with 1, 2
 * and 4 ranks): 4 islands of NSGA-II on ZDT1 with migration every 3
 * generations over the ring, fully connected and a custom topology. Every
 * rank also runs all 4 islands alone (MPI_COMM_SELF) as the reference; the
 * distributed islands must equal the reference islands bit for bit, and so
 * must the fronts gathered on rank 0 and their islands of origin. Also: a failure on one rank makes
 * every rank fail (no hang), and an island count that the rank count does
 * not divide is refused everywhere.
 */
#include "cetwin/error.h"
#include "cetwin/islands.h"
#include "cetwin/testproblems.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { ISLANDS = 4, GENES = 8, POP = 20, GENERATIONS = 12 };

static cet_testproblem tp;
static double lower[GENES], upper[GENES];
static int rank, size;

static cet_moo_problem problem(void) {
  cet_testproblem_init(&tp, CET_TESTPROBLEM_ZDT1, GENES, 0);
  for (size_t j = 0; j < GENES; j++) {
    lower[j] = 0;
    upper[j] = 1;
  }
  cet_moo_problem p = {{GENES, lower, upper, NULL, NULL}, 2,    0,
                       cet_testproblem_evaluate,          NULL, &tp};
  return p;
}

static cet_islands *run(MPI_Comm comm, const cet_islands_parameters *ip) {
  cet_moo_problem p = problem();
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.population = POP;
  par.generations = GENERATIONS;
  par.seed = 2024;
  cet_islands *isl = NULL;
  assert_int_equal(cet_islands_create(comm, &p, &par, ip, &isl), CET_OK);
  assert_int_equal(cet_islands_init(isl), CET_OK);
  int done = 0;
  while (!done) {
    assert_int_equal(cet_islands_iterate(isl), CET_OK);
    assert_int_equal(cet_islands_test(isl, &done), CET_OK);
  }
  return isl;
}

/* 1 on every rank iff ok on every rank. */
static int everywhere(int ok) {
  int all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all;
}

static void check_identical(const cet_islands_parameters *ip) {
  cet_islands *dist = run(MPI_COMM_WORLD, ip), *ref = run(MPI_COMM_SELF, ip);
  int ok = cet_islands_count(dist) == ISLANDS &&
           cet_islands_local_count(dist) == ISLANDS / (size_t)size &&
           cet_islands_first(dist) == (size_t)rank * ISLANDS / (size_t)size;
  for (size_t l = 0; l < cet_islands_local_count(dist); l++) {
    cet_nsga2 *a = cet_islands_island(dist, l);
    cet_nsga2 *b = cet_islands_island(ref, cet_islands_first(dist) + l);
    ok = ok && cet_nsga2_generation(a) == GENERATIONS &&
         memcmp(cet_nsga2_x(a), cet_nsga2_x(b), POP * GENES * sizeof(double)) == 0 &&
         memcmp(cet_nsga2_f(a), cet_nsga2_f(b), POP * 2 * sizeof(double)) == 0;
  }
  size_t n_dist, n_ref, *i_dist, *i_ref;
  double *x_dist, *f_dist, *g_dist, *x_ref, *f_ref, *g_ref;
  assert_int_equal(
      cet_islands_gather_front_origin(dist, 0, &n_dist, &x_dist, &f_dist, &g_dist, &i_dist),
      CET_OK);
  assert_int_equal(cet_islands_gather_front_origin(ref, 0, &n_ref, &x_ref, &f_ref, &g_ref, &i_ref),
                   CET_OK);
  if (rank == 0) {
    ok = ok && n_dist == n_ref && n_dist > 0 &&
         memcmp(x_dist, x_ref, n_dist * GENES * sizeof(double)) == 0 &&
         memcmp(f_dist, f_ref, n_dist * 2 * sizeof(double)) == 0 &&
         memcmp(i_dist, i_ref, n_dist * sizeof(size_t)) == 0;
  } else {
    ok = ok && n_dist == 0 && x_dist == NULL && f_dist == NULL && i_dist == NULL;
  }
  free(x_dist);
  free(f_dist);
  free(i_dist);
  free(x_ref);
  free(f_ref);
  free(i_ref);
  cet_islands_destroy(&dist);
  cet_islands_destroy(&ref);
  assert_true(everywhere(ok));
}

static void test_ring(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = ISLANDS;
  ip.migration_interval = 3;
  ip.migrants = 2;
  check_identical(&ip);
}

static void test_fully_connected(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = ISLANDS;
  ip.migration_interval = 3;
  ip.migrants = 2;
  ip.topology = CET_TOPOLOGY_FULL;
  check_identical(&ip);
}

static void test_custom(void **state) {
  (void)state;
  /* 0 <- 3; 1 <- 0, 2; 2 <- 1; 3 <- 2, 0 */
  const size_t offset[] = {0, 1, 3, 4, 6}, sources[] = {3, 0, 2, 1, 2, 0};
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = ISLANDS;
  ip.migration_interval = 3;
  ip.migrants = 2;
  ip.topology = CET_TOPOLOGY_CUSTOM;
  ip.offset = offset;
  ip.sources = sources;
  check_identical(&ip);
}

/* Fails on the last rank only. */
static int fail_on_last_rank(void *ctx, size_t count, const double *x, double *f, double *g) {
  if (rank == size - 1) {
    cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "evaluation failed on rank %d",
                   rank);
    return CET_ERR_RUNTIME;
  }
  return cet_testproblem_evaluate(ctx, count, x, f, g);
}

static void test_errors_are_agreed(void **state) {
  (void)state;
  cet_moo_problem p = problem();
  p.evaluate = fail_on_last_rank;
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.population = POP;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = ISLANDS;
  cet_islands *isl = NULL;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_OK);
  cet_error_clear();
  int status = cet_islands_init(isl);
  int ok = status == CET_ERR_RUNTIME &&
           strstr(cet_error_message(), rank == size - 1 ? "evaluation failed on rank"
                                                        : "failed on another rank") != NULL;
  cet_error_clear();
  cet_islands_destroy(&isl);
  assert_true(everywhere(ok));
  if (size > 1) {
    ip.islands = (size_t)size + 1; /* not a multiple of the rank count */
    status = cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl);
    ok = status == CET_ERR_INPUT && strstr(cet_error_message(), "multiple") != NULL;
    cet_error_clear();
    assert_true(everywhere(ok));
  }
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ring),
      cmocka_unit_test(test_fully_connected),
      cmocka_unit_test(test_custom),
      cmocka_unit_test(test_errors_are_agreed),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
