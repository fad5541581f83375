/*
 * test_hypervolume.c — unit tests of hypervolume.h: hand-computed volumes,
 * points outside the reference box, duplicates and dominated points, the
 * 2-D sweep, 3-D sweep and WFG cross-checked against each other and against
 * inclusion-exclusion on small random sets, and the error paths.
 */
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"
#include "cetwin/rng.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Inclusion-exclusion: the union of the boxes [p, ref] is the alternating
 * sum over non-empty subsets S of the volume of the intersection box
 * [max_{i in S} p, ref]. O(2^n m). */
static double inclusion_exclusion(const double *f, size_t n, size_t m, const double *ref) {
  double total = 0;
  for (unsigned long s = 1; s < (1UL << n); s++) {
    double vol = 1;
    int bits = 0;
    for (size_t j = 0; j < m && vol > 0; j++) {
      double lo = -INFINITY;
      for (size_t i = 0; i < n; i++) {
        if (s & (1UL << i)) {
          lo = f[i * m + j] > lo ? f[i * m + j] : lo;
        }
      }
      vol *= ref[j] > lo ? ref[j] - lo : 0;
    }
    for (size_t i = 0; i < n; i++) {
      bits += (s >> i) & 1;
    }
    total += (bits % 2 ? 1 : -1) * vol;
  }
  return total;
}

static int close_rel(double a, double b, double tol) {
  return fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static void test_hand_values(void **state) {
  (void)state;
  double hv;
  /* boxes [1,3]x[2,3] and [2,3]x[1,3]: 2 + 2 - 1 */
  const double two[] = {1, 2, 2, 1}, r2[] = {3, 3};
  assert_int_equal(cet_hypervolume(two, 2, 2, r2, &hv), CET_OK);
  assert_true(hv == 3.0);
  /* 3-D: (0,0,1) and (1,1,0) in [.,2]^3: 2*2*1 + 1*1*2 - 1*1*1 = 5 */
  const double three[] = {0, 0, 1, 1, 1, 0}, r3[] = {2, 2, 2};
  assert_int_equal(cet_hypervolume(three, 2, 3, r3, &hv), CET_OK);
  assert_true(hv == 5.0);
  assert_int_equal(cet_hypervolume_wfg(three, 2, 3, r3, &hv), CET_OK);
  assert_true(hv == 5.0);
  /* 4-D single point: product of the sides */
  const double four[] = {0.5, 0, 1, 1.5}, r4[] = {1, 2, 3, 2};
  assert_int_equal(cet_hypervolume(four, 1, 4, r4, &hv), CET_OK);
  assert_true(hv == 0.5 * 2 * 2 * 0.5);
  /* 1-D: distance from the best point to the reference */
  const double one[] = {3, 1, 2}, r1[] = {4};
  assert_int_equal(cet_hypervolume(one, 3, 1, r1, &hv), CET_OK);
  assert_true(hv == 3.0);
}

static void test_outside_reference_and_duplicates(void **state) {
  (void)state;
  double hv, base;
  const double r[] = {3, 3, 3};
  const double one[] = {1, 1, 1};
  assert_int_equal(cet_hypervolume(one, 1, 3, r, &base), CET_OK);
  assert_true(base == 8.0);
  /* a copy, a dominated point, a point on the reference boundary and points
   * beyond the reference change nothing */
  const double more[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 3, 0, 4, 0, 0, 0, 0, 5};
  assert_int_equal(cet_hypervolume(more, 6, 3, r, &hv), CET_OK);
  assert_true(hv == base);
  assert_int_equal(cet_hypervolume_wfg(more, 6, 3, r, &hv), CET_OK);
  assert_true(hv == base);
  const double none[] = {3, 0, 0, 5};
  assert_int_equal(cet_hypervolume(none, 2, 2, r, &hv), CET_OK);
  assert_true(hv == 0.0);
  assert_int_equal(cet_hypervolume(NULL, 0, 3, r, &hv), CET_OK);
  assert_true(hv == 0.0);
  const double r4[] = {3, 3, 3, 3};
  assert_int_equal(cet_hypervolume_wfg(NULL, 0, 4, r4, &hv), CET_OK);
  assert_true(hv == 0.0);
  const double r1[] = {1};
  assert_int_equal(cet_hypervolume(one, 1, 1, r1, &hv), CET_OK);
  assert_true(hv == 0.0);
}

/* Random sets: uniform in the cube, on the simplex-like front (all mutually
 * non-dominated), or on a coarse grid (ties and duplicates). */
static void fill(gsl_rng *r, double *f, size_t n, size_t m, int kind) {
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t j = 0; j < m; j++) {
      double u = gsl_rng_uniform_pos(r);
      f[i * m + j] = kind == 2 ? floor(u * 4) / 4 : u;
      s += u * u;
    }
    if (kind == 1) {
      for (size_t j = 0; j < m; j++) {
        f[i * m + j] /= sqrt(s); /* on the unit sphere: non-dominated */
      }
    }
  }
}

static void test_against_inclusion_exclusion(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  const double ref[] = {1.1, 1.2, 1.05, 1.3, 1.15};
  for (size_t m = 2; m <= 5; m++) {
    for (int kind = 0; kind < 3; kind++) {
      for (size_t n = 1; n <= 11; n += 2) {
        cet_rng_stream(r, 3, m, (uint64_t)kind, n);
        double f[11 * 5], hv, wfg;
        fill(r, f, n, m, kind);
        double expect = inclusion_exclusion(f, n, m, ref);
        assert_int_equal(cet_hypervolume(f, n, m, ref, &hv), CET_OK);
        assert_int_equal(cet_hypervolume_wfg(f, n, m, ref, &wfg), CET_OK);
        assert_true(close_rel(hv, expect, 1e-12));
        assert_true(close_rel(wfg, expect, 1e-12));
        if (m == 2) {
          assert_int_equal(cet_hypervolume_2d(f, n, ref, &hv), CET_OK);
          assert_true(close_rel(hv, expect, 1e-12));
        }
        if (m == 3) {
          assert_int_equal(cet_hypervolume_3d(f, n, ref, &hv), CET_OK);
          assert_true(close_rel(hv, expect, 1e-12));
        }
      }
    }
  }
  gsl_rng_free(r);
}

/* Points on a coarse grid share coordinates (equal f1 with other f2, equal
 * f2, whole duplicates): the sweeps' tie-breaking must give the exact
 * volume of inclusion-exclusion. */
static void test_ties_on_a_grid(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  const double ref[] = {4.0, 4.0, 4.0};
  for (size_t m = 2; m <= 3; m++) {
    for (uint64_t trial = 0; trial < 60; trial++) {
      enum { N = 12 };
      double f[N * 3], hv, wfg, fast;
      cet_rng_stream(r, 9, m, trial, 0);
      size_t n = 2 + (size_t)gsl_rng_uniform_int(r, N - 1);
      for (size_t i = 0; i < n * m; i++) {
        f[i] = (double)gsl_rng_uniform_int(r, 4);
      }
      double expect = inclusion_exclusion(f, n, m, ref);
      assert_int_equal(cet_hypervolume(f, n, m, ref, &hv), CET_OK);
      assert_int_equal(cet_hypervolume_wfg(f, n, m, ref, &wfg), CET_OK);
      assert_int_equal(m == 2 ? cet_hypervolume_2d(f, n, ref, &fast)
                              : cet_hypervolume_3d(f, n, ref, &fast),
                       CET_OK);
      assert_true(close_rel(hv, expect, 1e-12));
      assert_true(close_rel(wfg, expect, 1e-12));
      assert_true(close_rel(fast, expect, 1e-12));
    }
  }
  gsl_rng_free(r);
}

static void test_algorithms_agree_on_larger_sets(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  const double ref[] = {1.1, 1.1, 1.1, 1.1, 1.1};
  const size_t sizes[] = {50, 400};
  for (size_t m = 2; m <= 5; m++) {
    for (int kind = 0; kind < 3; kind++) {
      for (size_t s = 0; s < 2; s++) {
        size_t n = m == 5 && kind == 1 ? 60 : sizes[s];
        double *f = malloc(n * m * sizeof *f), hv, wfg;
        cet_rng_stream(r, 4, m, (uint64_t)kind, n);
        fill(r, f, n, m, kind);
        assert_int_equal(cet_hypervolume(f, n, m, ref, &hv), CET_OK);
        assert_int_equal(cet_hypervolume_wfg(f, n, m, ref, &wfg), CET_OK);
        assert_true(close_rel(hv, wfg, 1e-10));
        assert_true(hv > 0);
        free(f);
      }
    }
  }
  gsl_rng_free(r);
}

/* The volume of the sorted sphere front must not depend on the order of
 * the points (the sweeps sort internally). */
static void test_order_independent(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 8, 8, 8, 8);
  enum { N = 300 };
  double f[N * 3], g[N * 3], a, b;
  fill(r, f, N, 3, 1);
  for (size_t i = 0; i < N; i++) {
    memcpy(g + 3 * i, f + 3 * (N - 1 - i), 3 * sizeof *f);
  }
  const double ref[] = {1.1, 1.1, 1.1};
  assert_int_equal(cet_hypervolume(f, N, 3, ref, &a), CET_OK);
  assert_int_equal(cet_hypervolume(g, N, 3, ref, &b), CET_OK);
  assert_true(close_rel(a, b, 1e-13));
  /* the sphere octant's dominated volume approaches 1.1^3 - pi/6 */
  assert_true(a < 1.331 - acos(-1.0) / 6 && a > 0.7);
  gsl_rng_free(r);
}

static void test_errors(void **state) {
  (void)state;
  const double f[] = {1, 2, NAN, 1}, ref[] = {3, 3}, bad_ref[] = {INFINITY, 3};
  double hv;
  cet_error_clear();
  assert_int_equal(cet_hypervolume(f, 1, 0, ref, &hv), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "m = 0"));
  assert_int_equal(cet_hypervolume(f, 1, 2, NULL, &hv), CET_ERR_INPUT);
  assert_int_equal(cet_hypervolume(f, 1, 2, ref, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_hypervolume(NULL, 1, 2, ref, &hv), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_hypervolume(f, 2, 2, ref, &hv), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "NaN"));
  cet_error_clear();
  assert_int_equal(cet_hypervolume(f, 1, 2, bad_ref, &hv), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "finite"));
  assert_int_equal(cet_hypervolume_2d(f, 2, ref, &hv), CET_ERR_INPUT);
  assert_int_equal(cet_hypervolume_3d(NULL, 2, ref, &hv), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_hypervolume_wfg(f, 1, 1, ref, &hv), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "two objectives"));
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_values),
      cmocka_unit_test(test_outside_reference_and_duplicates),
      cmocka_unit_test(test_against_inclusion_exclusion),
      cmocka_unit_test(test_ties_on_a_grid),
      cmocka_unit_test(test_algorithms_agree_on_larger_sets),
      cmocka_unit_test(test_order_independent),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
