/*
 * test_operators.c — unit tests of operators.h: genome checks (every error
 * path), sampling coverage, SBX and polynomial mutation keep bounds and
 * integers, SBX preserves the parents' mean away from the bounds, integer
 * mutations always move, exact zeros, tournament order, determinism;
 * categorical genes: mutation jumps uniformly to any other value, SBX only
 * exchanges the parents' values.
 */
#include "cetwin/error.h"
#include "cetwin/operators.h"
#include "cetwin/rng.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

enum { N = 4, TRIALS = 20000 };

/* gene 0 real [-1, 2]; gene 1 integer [0, 3]; gene 2 real [0, 1] with zeros
 * below 0.05; gene 3 fixed at 7 */
static const double lower[N] = {-1, 0, 0, 7}, upper[N] = {2, 3, 1, 7};
static const cet_gene_type type[N] = {CET_GENE_REAL, CET_GENE_INTEGER, CET_GENE_REAL,
                                      CET_GENE_REAL};
static const double zero[N] = {0, 0, 0.05, 0};

static cet_genome genome(void) {
  cet_genome g = {N, lower, upper, type, zero};
  return g;
}

static void check_member(const cet_genome *g, const double *x) {
  assert_true(cet_genome_contains(g, x));
  assert_true(x[1] == floor(x[1]));
  assert_true(x[2] == 0 || x[2] >= 0.05);
  assert_true(x[3] == 7);
}

static void test_genome_check(void **state) {
  (void)state;
  cet_genome g = genome();
  assert_int_equal(cet_genome_check(&g), CET_OK);
  assert_int_equal(cet_genome_check(NULL), CET_ERR_INPUT);
  g.n = 0;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  g = genome();
  g.lower = NULL;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  const double bad_order[N] = {3, 0, 0, 7};
  g = genome();
  g.lower = bad_order;
  cet_error_clear();
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "gene 0"));
  const double not_finite[N] = {-INFINITY, 0, 0, 7};
  g.lower = not_finite;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  const double fractional[N] = {-1, 0.5, 0, 7};
  g.lower = fractional;
  cet_error_clear();
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "integral"));
  g = genome();
  const cet_gene_type bad_type[N] = {CET_GENE_REAL, (cet_gene_type)5, CET_GENE_REAL, CET_GENE_REAL};
  g.type = bad_type;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  g = genome();
  const double negative[N] = {0, 0, -0.1, 0};
  g.zero_below = negative;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  const double on_integer[N] = {0, 0.5, 0, 0};
  g.zero_below = on_integer;
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  const double no_zero_inside[N] = {0, 0, 0, 0.5}; /* gene 3 is [7, 7] */
  g.zero_below = no_zero_inside;
  cet_error_clear();
  assert_int_equal(cet_genome_check(&g), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "contain 0"));
  g = genome();
  g.type = NULL; /* all real */
  g.zero_below = NULL;
  assert_int_equal(cet_genome_check(&g), CET_OK);
  cet_error_clear();
}

static void test_contains(void **state) {
  (void)state;
  cet_genome g = genome();
  const double in[N] = {2, 3, 0.01, 7}; /* small values are members (repairs) */
  const double out[N] = {2.1, 3, 0, 7}, frac[N] = {0, 1.5, 0, 7};
  assert_true(cet_genome_contains(&g, in));
  assert_false(cet_genome_contains(&g, out));
  assert_false(cet_genome_contains(&g, frac));
}

static void test_sample_covers_genome(void **state) {
  (void)state;
  cet_genome g = genome();
  gsl_rng *r = cet_rng_alloc();
  size_t hits[4] = {0}, zeros = 0;
  double lo = 10, hi = -10;
  for (size_t i = 0; i < TRIALS; i++) {
    double x[N];
    cet_rng_stream(r, 1, 2, i, 0);
    cet_operators_sample(&g, r, x);
    check_member(&g, x);
    hits[(size_t)x[1]]++;
    zeros += x[2] == 0;
    lo = fmin(lo, x[0]);
    hi = fmax(hi, x[0]);
  }
  /* every integer equally likely, ends included: 5000 each, 5 sigma ~ 300 */
  for (int v = 0; v < 4; v++) {
    assert_true(hits[v] > 4700 && hits[v] < 5300);
  }
  /* the snap zone [0, 0.05) of gene 2 holds 5 % of uniform draws */
  assert_true(zeros > 800 && zeros < 1200);
  assert_true(lo < -0.99 && hi > 1.99);
  gsl_rng_free(r);
}

static void test_sbx(void **state) {
  (void)state;
  cet_genome g = genome();
  gsl_rng *r = cet_rng_alloc();
  const cet_sbx_parameters always = {1.0, 1.0, 20};
  size_t changed = 0;
  for (size_t i = 0; i < TRIALS; i++) {
    double a[N], b[N], c1[N], c2[N];
    cet_rng_stream(r, 3, 0, i, 0);
    cet_operators_sample(&g, r, a);
    cet_operators_sample(&g, r, b);
    cet_operators_sbx(&g, &always, r, a, b, c1, c2);
    check_member(&g, c1);
    check_member(&g, c2);
    changed += c1[0] != a[0] && c1[0] != b[0];
  }
  assert_true(changed > TRIALS / 2);
  /* away from the bounds SBX keeps the parents' mean: c1 + c2 = a + b */
  const double wide_lo[1] = {-1000}, wide_hi[1] = {1000};
  cet_genome w = {1, wide_lo, wide_hi, NULL, NULL};
  for (size_t i = 0; i < 1000; i++) {
    double a[1] = {0.3}, b[1] = {0.9}, c1[1], c2[1];
    cet_rng_stream(r, 4, 0, i, 0);
    cet_operators_sbx(&w, &always, r, a, b, c1, c2);
    assert_true(fabs(c1[0] + c2[0] - 1.2) < 1e-12);
  }
  /* probability 0: copies; identical parents: copies */
  const cet_sbx_parameters never = {0.0, 1.0, 20};
  double a[N] = {0.5, 2, 0.5, 7}, b[N] = {1.5, 0, 0, 7}, c1[N], c2[N];
  cet_operators_sbx(&g, &never, r, a, b, c1, c2);
  assert_memory_equal(c1, a, sizeof a);
  assert_memory_equal(c2, b, sizeof b);
  cet_operators_sbx(&g, &always, r, a, a, c1, c2);
  assert_memory_equal(c1, a, sizeof a);
  assert_memory_equal(c2, a, sizeof a);
  gsl_rng_free(r);
}

static void test_mutation(void **state) {
  (void)state;
  cet_genome g = genome();
  gsl_rng *r = cet_rng_alloc();
  size_t moved_int = 0, at_bound = 0, zeros = 0, real_moved = 0;
  for (size_t i = 0; i < TRIALS; i++) {
    double x[N], y[N];
    cet_rng_stream(r, 5, 0, i, 0);
    cet_operators_sample(&g, r, x);
    memcpy(y, x, sizeof x);
    cet_operators_mutate(&g, 1.0, 20, r, y);
    check_member(&g, y);
    real_moved += y[0] != x[0];
    zeros += y[2] == 0;
    /* an integer mutation moves unless it pushed into the bound */
    if (y[1] != x[1]) {
      moved_int++;
    } else {
      at_bound++;
      assert_true(x[1] == 0 || x[1] == 3);
    }
  }
  assert_true(moved_int > TRIALS / 2);
  assert_true(real_moved > TRIALS - 10);
  assert_true(zeros > 0);
  /* rate 0 changes nothing */
  double x[N] = {0.5, 2, 0.5, 7}, y[N];
  memcpy(y, x, sizeof x);
  cet_operators_mutate(&g, 0.0, 20, r, y);
  assert_memory_equal(x, y, sizeof x);
  gsl_rng_free(r);
}

static void test_determinism(void **state) {
  (void)state;
  cet_genome g = genome();
  gsl_rng *r = cet_rng_alloc();
  const cet_sbx_parameters p = {0.9, 0.5, 20};
  double a[N] = {0.5, 2, 0.5, 7}, b[N] = {1.5, 0, 0.2, 7}, c[2][2][N];
  for (int run = 0; run < 2; run++) {
    cet_rng_stream(r, 9, 9, 9, 9);
    cet_operators_sbx(&g, &p, r, a, b, c[run][0], c[run][1]);
    cet_operators_mutate(&g, 0.5, 20, r, c[run][0]);
  }
  assert_memory_equal(c[0], c[1], sizeof c[0]);
  gsl_rng_free(r);
}

static void test_tournament(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 1, 1, 1, 1);
  const size_t rank[] = {0, 1, 0, 0};
  const double crowding[] = {1.0, 9.0, INFINITY, 1.0};
  assert_int_equal(cet_operators_tournament(rank, crowding, 0, 1, r), 0);
  assert_int_equal(cet_operators_tournament(rank, crowding, 1, 0, r), 0);
  assert_int_equal(cet_operators_tournament(rank, crowding, 0, 2, r), 2);
  size_t first = 0;
  for (int i = 0; i < 1000; i++) {
    first += cet_operators_tournament(rank, crowding, 0, 3, r) == 0;
  }
  assert_true(first > 400 && first < 600); /* a fair coin on full ties */
  gsl_rng_free(r);
}

/* A categorical gene [0, 4] and an ordinal integer gene [0, 4]. */
static void test_categorical(void **state) {
  (void)state;
  const double lo[2] = {0, 0}, hi[2] = {4, 4};
  const cet_gene_type ty[2] = {CET_GENE_CATEGORICAL, CET_GENE_INTEGER};
  cet_genome g = {2, lo, hi, ty, NULL};
  assert_int_equal(cet_genome_check(&g), CET_OK);
  const double half[2] = {0, 4.5};
  cet_genome bad = {2, lo, half, ty, NULL};
  assert_int_equal(cet_genome_check(&bad), CET_ERR_INPUT);
  cet_error_clear();
  double y[2] = {2.5, 1};
  assert_false(cet_genome_contains(&g, y));
  gsl_rng *r = cet_rng_alloc();
  size_t count[5] = {0}, far = 0;
  for (size_t i = 0; i < TRIALS; i++) {
    double x[2] = {2, 2};
    cet_rng_stream(r, 6, 0, i, 0);
    cet_operators_mutate(&g, 1.0, 20, r, x);
    assert_true(x[0] != 2 && x[0] == floor(x[0]) && x[0] >= 0 && x[0] <= 4);
    count[(size_t)x[0]]++;
    far += fabs(x[1] - 2) > 1; /* the ordinal gene rarely jumps two steps */
  }
  for (size_t v = 0; v < 5; v++) { /* the other four values, each a quarter of the time */
    if (v != 2) {
      assert_true(fabs((double)count[v] - TRIALS / 4.0) < 0.05 * TRIALS / 4.0);
    }
  }
  assert_true(far < TRIALS / 10);
  const cet_sbx_parameters p = {1.0, 1.0, 20};
  size_t swapped = 0;
  for (size_t i = 0; i < TRIALS; i++) {
    double a[2] = {0, 0}, b[2] = {4, 4}, c1[2], c2[2];
    cet_rng_stream(r, 7, 0, i, 0);
    cet_operators_sbx(&g, &p, r, a, b, c1, c2);
    assert_true((c1[0] == 0 && c2[0] == 4) || (c1[0] == 4 && c2[0] == 0));
    swapped += c1[0] == 4;
  }
  assert_true(swapped > TRIALS / 3 && swapped < 2 * TRIALS / 3);
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_genome_check),
      cmocka_unit_test(test_contains),
      cmocka_unit_test(test_sample_covers_genome),
      cmocka_unit_test(test_sbx),
      cmocka_unit_test(test_mutation),
      cmocka_unit_test(test_determinism),
      cmocka_unit_test(test_tournament),
      cmocka_unit_test(test_categorical),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
