/*
 * test_islands.c — unit tests of islands.h on one MPI rank (several islands
 * in memory): one island is plain NSGA-II, what ring, fully connected and
 * custom topologies move where, scheduled migration equals manual
 * migration, the gathered front is the deduplicated filter of the union
 * (also under constraints) with each point's island of origin, the sources
 * and the slots a migration filled, a start seeded with given individuals,
 * and every error path. The multi-rank behaviour
 * is tested in tests/mpi/test_islands_mpi.c.
 */
#include "cetwin/error.h"
#include "cetwin/islands.h"
#include "cetwin/pareto.h"
#include "cetwin/testproblems.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { GENES = 6, POP = 16 };

static cet_testproblem tp;
static double lower[GENES], upper[GENES];

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

static cet_nsga2_parameters nsga2(void) {
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.population = POP;
  par.generations = 6;
  par.seed = 21;
  return par;
}

/* Islands at generation 0, each starting with the count individuals x0. */
static cet_islands *make_seeded(const cet_islands_parameters *ip, const double *x0, size_t count) {
  cet_moo_problem p = problem();
  cet_nsga2_parameters par = nsga2();
  cet_islands *isl = NULL;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, ip, &isl), CET_OK);
  assert_int_equal(cet_islands_init_seeded(isl, x0, count), CET_OK);
  return isl;
}

static cet_islands *make(const cet_islands_parameters *ip) { return make_seeded(ip, NULL, 0); }

/* 3 islands, 3 migrants every 2 generations, after 6 generations. */
static cet_islands *evolved_three(void) {
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 3;
  ip.migrants = 3;
  ip.migration_interval = 2;
  cet_islands *isl = make(&ip);
  for (int g = 0; g < 6; g++) {
    assert_int_equal(cet_islands_iterate(isl), CET_OK);
  }
  return isl;
}

/* Row `row` of island `island` equals the given genes. */
static int has_genes(cet_islands *isl, size_t island, size_t row, const double *x) {
  return memcmp(cet_nsga2_x(cet_islands_island(isl, island)) + row * GENES, x, GENES * sizeof *x) ==
         0;
}

/* Copies the genes of the k best individuals of an island into best (k x
 * GENES) and its kw worst slots (worst first) into worst. */
static void best_and_worst(cet_islands *isl, size_t island, size_t k, double *best, size_t kw,
                           size_t *worst) {
  cet_nsga2 *ga = cet_islands_island(isl, island);
  size_t order[POP];
  assert_int_equal(cet_nsga2_order(ga, order), CET_OK);
  for (size_t j = 0; j < k; j++) {
    memcpy(best + j * GENES, cet_nsga2_x(ga) + order[j] * GENES, GENES * sizeof *best);
  }
  for (size_t j = 0; j < kw; j++) {
    worst[j] = order[POP - 1 - j];
  }
}

static void test_defaults_and_single_island(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  assert_int_equal(ip.islands, 1);
  assert_int_equal(ip.migration_interval, 10);
  assert_int_equal(ip.migrants, 5);
  assert_int_equal(ip.topology, CET_TOPOLOGY_RING);
  cet_islands *isl = make(&ip);
  assert_int_equal(cet_islands_count(isl), 1);
  assert_int_equal(cet_islands_local_count(isl), 1);
  assert_int_equal(cet_islands_first(isl), 0);
  assert_null(cet_islands_island(isl, 1));
  int done = 0;
  while (!done) {
    assert_int_equal(cet_islands_iterate(isl), CET_OK);
    assert_int_equal(cet_islands_test(isl, &done), CET_OK);
  }
  /* one island is plain NSGA-II with the same parameters */
  cet_moo_problem p = problem();
  cet_nsga2_parameters par = nsga2();
  cet_nsga2 *ga = NULL;
  assert_int_equal(cet_nsga2_create(&p, &par, &ga), CET_OK);
  assert_int_equal(cet_nsga2_init(ga, NULL, 0), CET_OK);
  for (int g = 0; g < 6; g++) {
    assert_int_equal(cet_nsga2_iterate(ga), CET_OK);
  }
  assert_memory_equal(cet_nsga2_x(ga), cet_nsga2_x(cet_islands_island(isl, 0)),
                      POP * GENES * sizeof(double));
  cet_nsga2_destroy(&ga);
  cet_islands_destroy(&isl);
  assert_null(isl);
  cet_islands_destroy(&isl);
  cet_islands_destroy(NULL);
}

static void test_ring_migration(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 3;
  ip.migrants = 2;
  cet_islands *isl = make(&ip);
  double best[3][2 * GENES];
  size_t worst[3][2];
  for (size_t i = 0; i < 3; i++) {
    best_and_worst(isl, i, 2, best[i], 2, worst[i]);
  }
  assert_int_equal(cet_islands_migrate(isl), CET_OK);
  /* island i received the two best of island i - 1 in its two worst slots */
  for (size_t i = 0; i < 3; i++) {
    size_t from = (i + 2) % 3;
    assert_true(has_genes(isl, i, worst[i][0], best[from]));
    assert_true(has_genes(isl, i, worst[i][1], best[from] + GENES));
  }
  cet_islands_destroy(&isl);
}

static void test_full_and_custom_topologies(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 3;
  ip.migrants = 1;
  ip.topology = CET_TOPOLOGY_FULL;
  cet_islands *isl = make(&ip);
  double best[3][GENES];
  size_t worst[3][2];
  for (size_t i = 0; i < 3; i++) {
    best_and_worst(isl, i, 1, best[i], 2, worst[i]);
  }
  assert_int_equal(cet_islands_migrate(isl), CET_OK);
  /* island 0 got the best of 1 then of 2; island 1 of 0 then 2 */
  assert_true(has_genes(isl, 0, worst[0][0], best[1]));
  assert_true(has_genes(isl, 0, worst[0][1], best[2]));
  assert_true(has_genes(isl, 1, worst[1][0], best[0]));
  assert_true(has_genes(isl, 1, worst[1][1], best[2]));
  cet_islands_destroy(&isl);

  /* custom: 0 <- 2; 1 <- nobody; 2 <- 1, 0 */
  const size_t offset[] = {0, 1, 1, 3}, sources[] = {2, 1, 0};
  ip.topology = CET_TOPOLOGY_CUSTOM;
  ip.offset = offset;
  ip.sources = sources;
  isl = make(&ip);
  double before1[POP * GENES];
  memcpy(before1, cet_nsga2_x(cet_islands_island(isl, 1)), sizeof before1);
  for (size_t i = 0; i < 3; i++) {
    best_and_worst(isl, i, 1, best[i], 2, worst[i]);
  }
  assert_int_equal(cet_islands_migrate(isl), CET_OK);
  assert_true(has_genes(isl, 0, worst[0][0], best[2]));
  assert_memory_equal(before1, cet_nsga2_x(cet_islands_island(isl, 1)), sizeof before1);
  assert_true(has_genes(isl, 2, worst[2][0], best[1]));
  assert_true(has_genes(isl, 2, worst[2][1], best[0]));
  cet_islands_destroy(&isl);
}

static void test_scheduled_equals_manual(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 2;
  ip.migrants = 2;
  ip.migration_interval = 2;
  cet_islands *a = make(&ip);
  ip.migration_interval = 1000;
  cet_islands *b = make(&ip);
  for (int g = 1; g <= 6; g++) {
    assert_int_equal(cet_islands_iterate(a), CET_OK);
    assert_int_equal(cet_islands_iterate(b), CET_OK);
    if (g % 2 == 0) {
      assert_int_equal(cet_islands_migrate(b), CET_OK);
    }
  }
  for (size_t i = 0; i < 2; i++) {
    assert_memory_equal(cet_nsga2_x(cet_islands_island(a, i)),
                        cet_nsga2_x(cet_islands_island(b, i)), POP * GENES * sizeof(double));
  }
  cet_islands_destroy(&a);
  cet_islands_destroy(&b);
}

static void test_gather_front(void **state) {
  (void)state;
  cet_islands *isl = evolved_three();
  size_t count;
  double *x, *f, *g;
  assert_int_equal(cet_islands_gather_front(isl, 0, &count, &x, &f, &g), CET_OK);
  assert_null(g);
  assert_true(count > 0);
  /* reference: the union, its non-dominated filter, first copies only */
  double all_x[3 * POP * GENES], all_f[3 * POP * 2];
  for (size_t i = 0; i < 3; i++) {
    memcpy(all_x + i * POP * GENES, cet_nsga2_x(cet_islands_island(isl, i)),
           POP * GENES * sizeof(double));
    memcpy(all_f + i * POP * 2, cet_nsga2_f(cet_islands_island(isl, i)), POP * 2 * sizeof(double));
  }
  size_t index[3 * POP], c, expect = 0;
  assert_int_equal(cet_pareto_filter(NULL, all_f, 3 * POP, 2, index, &c), CET_OK);
  for (size_t k = 0; k < c; k++) {
    int copy = 0;
    for (size_t q = 0; q < k && !copy; q++) {
      copy =
          memcmp(all_x + index[q] * GENES, all_x + index[k] * GENES, GENES * sizeof(double)) == 0;
    }
    if (!copy) {
      assert_true(expect < count);
      assert_memory_equal(x + expect * GENES, all_x + index[k] * GENES, GENES * sizeof(double));
      assert_memory_equal(f + expect * 2, all_f + index[k] * 2, 2 * sizeof(double));
      expect++;
    }
  }
  assert_int_equal(expect, count);
  assert_true(count < c); /* migration made copies, which were dropped */
  free(x);
  free(f);
  cet_islands_destroy(&isl);
}

/* The island of origin of each gathered point is the lowest island whose
 * population holds it; without origin the same front comes out. */
static void test_gather_origin(void **state) {
  (void)state;
  cet_islands *isl = evolved_three();
  size_t count, count2, *island = NULL;
  double *x, *f, *g, *x2, *f2, *g2;
  assert_int_equal(cet_islands_gather_front_origin(isl, 0, &count, &x, &f, &g, &island), CET_OK);
  assert_int_equal(cet_islands_gather_front(isl, 0, &count2, &x2, &f2, &g2), CET_OK);
  assert_int_equal(count, count2);
  assert_memory_equal(x, x2, count * GENES * sizeof(double));
  assert_memory_equal(f, f2, count * 2 * sizeof(double));
  int from_later_island = 0;
  for (size_t k = 0; k < count; k++) {
    size_t lowest = 3;
    for (size_t i = 0; i < 3 && lowest == 3; i++) {
      for (size_t r = 0; r < POP && lowest == 3; r++) {
        lowest = has_genes(isl, i, r, x + k * GENES) ? i : lowest;
      }
    }
    assert_int_equal(island[k], lowest);
    from_later_island |= island[k] > 0;
  }
  assert_true(from_later_island);
  /* NULL for the islands is the plain gather */
  double *x3, *f3, *g3;
  assert_int_equal(cet_islands_gather_front_origin(isl, 0, &count2, &x3, &f3, &g3, NULL), CET_OK);
  assert_int_equal(count, count2);
  free(x);
  free(f);
  free(x2);
  free(f2);
  free(x3);
  free(f3);
  free(island);
  cet_islands_destroy(&isl);
}

/* The sources of each island, and the slots a migration filled: the
 * emigrants of each source in source order. */
static void test_sources_and_immigrant_slots(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 3;
  ip.migrants = 2;
  ip.topology = CET_TOPOLOGY_FULL;
  cet_islands *isl = make(&ip);
  const size_t *src, *slots;
  size_t n, ns;
  assert_int_equal(cet_islands_sources(isl, 1, &src, &n), CET_OK);
  assert_int_equal(n, 2);
  assert_int_equal(src[0], 0);
  assert_int_equal(src[1], 2);
  assert_int_equal(cet_islands_immigrant_slots(isl, 1, &slots, &ns), CET_OK);
  assert_int_equal(ns, 0); /* no migration yet */
  double best[3][2 * GENES];
  size_t worst[3][4];
  for (size_t i = 0; i < 3; i++) {
    best_and_worst(isl, i, 2, best[i], 4, worst[i]);
  }
  assert_int_equal(cet_islands_migrate(isl), CET_OK);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(cet_islands_sources(isl, i, &src, &n), CET_OK);
    assert_int_equal(cet_islands_immigrant_slots(isl, i, &slots, &ns), CET_OK);
    assert_int_equal(ns, 2 * n);
    for (size_t q = 0; q < n; q++) {
      for (size_t j = 0; j < 2; j++) {
        assert_int_equal(slots[q * 2 + j], worst[i][q * 2 + j]);
        assert_true(has_genes(isl, i, slots[q * 2 + j], best[src[q]] + j * GENES));
      }
    }
  }
  /* errors */
  assert_int_equal(cet_islands_sources(isl, 3, &src, &n), CET_ERR_INPUT);
  assert_int_equal(cet_islands_sources(NULL, 0, &src, &n), CET_ERR_INPUT);
  assert_int_equal(cet_islands_sources(isl, 0, NULL, &n), CET_ERR_INPUT);
  assert_int_equal(cet_islands_immigrant_slots(isl, 3, &slots, &ns), CET_ERR_INPUT);
  assert_int_equal(cet_islands_immigrant_slots(NULL, 0, &slots, &ns), CET_ERR_INPUT);
  assert_int_equal(cet_islands_immigrant_slots(isl, 0, &slots, NULL), CET_ERR_INPUT);
  cet_error_clear();
  cet_islands_destroy(&isl);

  /* a ring of one island has no sources */
  ip = cet_islands_default_parameters();
  isl = make(&ip);
  assert_int_equal(cet_islands_sources(isl, 0, &src, &n), CET_OK);
  assert_int_equal(n, 0);
  cet_islands_destroy(&isl);
}

/* Constrained: feasible iff x0 >= 0.5 (g = 0.5 - x0 <= 0), or never. */
static int half(void *ctx, size_t count, const double *x, double *f, double *g) {
  const int *never = ctx;
  for (size_t i = 0; i < count; i++) {
    f[2 * i] = x[i * 2];
    f[2 * i + 1] = 1 - x[i * 2] + x[i * 2 + 1];
    g[i] = *never ? 1 + x[i * 2 + 1] : 0.5 - x[i * 2];
  }
  return CET_OK;
}

static void test_gather_constrained(void **state) {
  (void)state;
  const double lo[2] = {0, 0}, hi[2] = {1, 1};
  for (int never = 0; never < 2; never++) {
    cet_moo_problem p = {{2, lo, hi, NULL, NULL}, 2, 1, half, NULL, &never};
    cet_nsga2_parameters par = nsga2();
    cet_islands_parameters ip = cet_islands_default_parameters();
    ip.islands = 2;
    ip.migrants = 2;
    cet_islands *isl = NULL;
    assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_OK);
    assert_int_equal(cet_islands_init(isl), CET_OK);
    for (int g = 0; g < 4; g++) {
      assert_int_equal(cet_islands_iterate(isl), CET_OK);
    }
    size_t count;
    double *x, *f, *g;
    cet_error_clear();
    assert_int_equal(cet_islands_gather_front(isl, 0, &count, &x, &f, NULL), CET_ERR_INPUT);
    cet_error_clear();
    assert_int_equal(cet_islands_gather_front(isl, 0, &count, &x, &f, &g), CET_OK);
    assert_true(count > 0);
    double least = INFINITY;
    for (size_t i = 0; i < 2; i++) {
      cet_nsga2 *ga = cet_islands_island(isl, i);
      for (size_t r = 0; r < POP; r++) {
        least = fmin(least, cet_nsga2_violation(ga)[r]);
      }
    }
    for (size_t k = 0; k < count; k++) {
      if (never) {
        assert_true(g[k] == least); /* the least violating */
      } else {
        assert_true(g[k] <= 0); /* only feasible ones */
      }
    }
    free(x);
    free(f);
    free(g);
    cet_islands_destroy(&isl);
  }
}

/* A seeded start puts the given individual first on every island and draws
 * the others as an unseeded start does; a seed outside the bounds is
 * refused. */
static void test_seeded_init(void **state) {
  (void)state;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = 3;
  const double x0[GENES] = {0, 0, 0, 0, 0, 0};
  cet_islands *plain = make(&ip), *seeded = make_seeded(&ip, x0, 1);
  for (size_t i = 0; i < ip.islands; i++) {
    assert_true(has_genes(seeded, i, 0, x0));
    assert_false(has_genes(plain, i, 0, x0));
    const double *a = cet_nsga2_x(cet_islands_island(plain, i));
    const double *b = cet_nsga2_x(cet_islands_island(seeded, i));
    assert_memory_equal(a + GENES, b + GENES, (POP - 1) * GENES * sizeof *a);
  }
  const double outside[GENES] = {0, 0, 0, 2, 0, 0};
  assert_int_equal(cet_islands_init_seeded(seeded, outside, 1), CET_ERR_INPUT);
  cet_error_clear();
  cet_islands_destroy(&seeded);
  cet_islands_destroy(&plain);
}

static void test_errors(void **state) {
  (void)state;
  cet_moo_problem p = problem();
  cet_nsga2_parameters par = nsga2();
  cet_islands_parameters ip = cet_islands_default_parameters();
  cet_islands *isl = NULL;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, NULL, &par, &ip, &isl), CET_ERR_INPUT);
  ip.islands = 0;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  ip = cet_islands_default_parameters();
  ip.migration_interval = 0;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  ip = cet_islands_default_parameters();
  ip.islands = 3;
  ip.topology = CET_TOPOLOGY_FULL;
  ip.migrants = 8; /* 2 sources x 8 = the whole population of 16 */
  cet_error_clear();
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "whole population"));
  ip.topology = (cet_topology)9;
  ip.migrants = 1;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  ip.topology = CET_TOPOLOGY_CUSTOM;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  const size_t off_self[] = {0, 1, 1, 1}, src_self[] = {0};
  ip.offset = off_self;
  ip.sources = src_self;
  cet_error_clear();
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "cannot receive from island 0"));
  const size_t off_far[] = {0, 1, 1, 1}, src_far[] = {5};
  ip.offset = off_far;
  ip.sources = src_far;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  const size_t off_twice[] = {0, 2, 2, 2}, src_twice[] = {1, 1};
  ip.offset = off_twice;
  ip.sources = src_twice;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  const size_t off_down[] = {0, 2, 1, 2}, src_down[] = {1, 2};
  ip.offset = off_down;
  ip.sources = src_down;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  const size_t off_start[] = {1, 2, 2, 2};
  ip.offset = off_start;
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  par.population = 1; /* the islands' NSGA-II refuses it */
  ip = cet_islands_default_parameters();
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl), CET_ERR_INPUT);
  assert_null(isl);
  cet_error_clear();

  /* defaults for NULL parameters */
  assert_int_equal(cet_islands_create(MPI_COMM_WORLD, &p, NULL, NULL, &isl), CET_OK);
  assert_int_equal(cet_nsga2_population(cet_islands_island(isl, 0)), 200);
  size_t count;
  double *x, *f, *g;
  int done;
  assert_int_equal(cet_islands_gather_front(isl, 1, &count, &x, &f, &g), CET_ERR_INPUT);
  assert_int_equal(cet_islands_gather_front(isl, 0, NULL, &x, &f, &g), CET_ERR_INPUT);
  assert_int_equal(cet_islands_init(NULL), CET_ERR_INPUT);
  assert_int_equal(cet_islands_iterate(NULL), CET_ERR_INPUT);
  assert_int_equal(cet_islands_migrate(NULL), CET_ERR_INPUT);
  assert_int_equal(cet_islands_test(NULL, &done), CET_ERR_INPUT);
  assert_int_equal(cet_islands_test(isl, NULL), CET_ERR_INPUT);
  assert_null(cet_islands_island(NULL, 0));
  /* gathering or iterating before init fails */
  cet_error_clear();
  assert_int_equal(cet_islands_gather_front(isl, 0, &count, &x, &f, &g), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "no population"));
  assert_null(x);
  assert_int_equal(cet_islands_iterate(isl), CET_ERR_INPUT);
  cet_error_clear();
  cet_islands_destroy(&isl);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_and_single_island),
      cmocka_unit_test(test_ring_migration),
      cmocka_unit_test(test_full_and_custom_topologies),
      cmocka_unit_test(test_scheduled_equals_manual),
      cmocka_unit_test(test_gather_front),
      cmocka_unit_test(test_gather_constrained),
      cmocka_unit_test(test_gather_origin),
      cmocka_unit_test(test_sources_and_immigrant_slots),
      cmocka_unit_test(test_seeded_init),
      cmocka_unit_test(test_errors),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
