/*
 * test_testproblems.c — unit tests of testproblems.h: objective values at
 * hand-computed points, points of the true fronts, the stated true
 * hypervolumes against dense samples of the analytic fronts, DTLZ1, the
 * target points and IGD, errors.
 */
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"
#include "cetwin/testproblems.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_zdt_values(void **state) {
  (void)state;
  cet_testproblem p;
  double x[30] = {0}, f[2];
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT1, 0, 0), CET_OK);
  assert_int_equal(p.n_genes, 30);
  assert_int_equal(p.n_obj, 2);
  x[0] = 0.25; /* g = 1: f2 = 1 - sqrt(0.25) = 0.5 */
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(f[0] == 0.25 && fabs(f[1] - 0.5) < 1e-15);
  for (size_t i = 1; i < 30; i++) {
    x[i] = 1; /* g = 10: f2 = 10 (1 - sqrt(0.025)) */
  }
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(fabs(f[1] - 10 * (1 - sqrt(0.025))) < 1e-13);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT2, 0, 0), CET_OK);
  memset(x, 0, sizeof x);
  x[0] = 0.5; /* 1 - 0.25 */
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(fabs(f[1] - 0.75) < 1e-15);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT3, 0, 0), CET_OK);
  x[0] = 0.25; /* 1 - 0.5 - 0.25 sin(2.5 pi) = 0.25 */
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(fabs(f[1] - 0.25) < 1e-14);
}

static void test_dtlz2_values(void **state) {
  (void)state;
  cet_testproblem p;
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 0, 0), CET_OK);
  assert_int_equal(p.n_genes, 12);
  assert_int_equal(p.n_obj, 3);
  double x[2 * 12], f[6];
  for (size_t i = 0; i < 24; i++) {
    x[i] = 0.5; /* g = 0 */
  }
  x[0] = 0;
  x[1] = 0; /* f = (1, 0, 0) */
  x[12] = 1.0 / 3;
  x[13] = 0.5; /* f = (cos(pi/6) cos(pi/4), cos(pi/6) sin(pi/4), sin(pi/6)) */
  assert_int_equal(cet_testproblem_evaluate(&p, 2, x, f, NULL), CET_OK);
  assert_true(fabs(f[0] - 1) < 1e-15 && fabs(f[1]) < 1e-15 && fabs(f[2]) < 1e-15);
  assert_true(fabs(f[3] - cos((acos(-1.0) / 6)) * sqrt(0.5)) < 1e-15);
  assert_true(fabs(f[5] - 0.5) < 1e-15);
  assert_true(fabs(f[3] * f[3] + f[4] * f[4] + f[5] * f[5] - 1) < 1e-15);
  x[20] = 1; /* g = 0.25 scales the second point by 1.25 */
  assert_int_equal(cet_testproblem_evaluate(&p, 2, x, f, NULL), CET_OK);
  assert_true(fabs(f[5] - 0.625) < 1e-15);
}

/* DTLZ1: g = 0 when every position variable is 0.5, and the objectives
 * then sum to 0.5; default sizes M + 4 (DTLZ1) and M + 9 (DTLZ2). */
static void test_dtlz1_values(void **state) {
  (void)state;
  cet_testproblem p;
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ1, 0, 0), CET_OK);
  assert_int_equal(p.n_genes, 7);
  assert_int_equal(p.n_obj, 3);
  double x[7] = {0.2, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5}, f[3];
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(fabs(f[0] - 0.04) < 1e-15 && fabs(f[1] - 0.06) < 1e-15 && fabs(f[2] - 0.4) < 1e-15);
  x[6] = 0; /* g = 100 (0.25 - cos(-10 pi) + 1) = 25 */
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_OK);
  assert_true(fabs(f[2] - 0.4 * 26) < 1e-12);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ1, 0, 5), CET_OK);
  assert_int_equal(p.n_genes, 9);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 0, 8), CET_OK);
  assert_int_equal(p.n_genes, 17);
  /* front samples lie on the simplex sum f = 0.5 */
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ1, 0, 3), CET_OK);
  double front[15 * 3];
  size_t written = 0;
  assert_int_equal(cet_testproblem_front(&p, 20, front, &written), CET_OK);
  assert_int_equal(written, 15); /* 4 divisions; 5 would make 21 */
  for (size_t i = 0; i < written; i++) {
    assert_true(fabs(front[3 * i] + front[3 * i + 1] + front[3 * i + 2] - 0.5) < 1e-15);
  }
}

/* Target points of simplex points, and IGD on a hand example. */
static void test_targets_and_igd(void **state) {
  (void)state;
  cet_testproblem p1, p2, z1;
  assert_int_equal(cet_testproblem_init(&p1, CET_TESTPROBLEM_DTLZ1, 0, 3), CET_OK);
  assert_int_equal(cet_testproblem_init(&p2, CET_TESTPROBLEM_DTLZ2, 0, 3), CET_OK);
  assert_int_equal(cet_testproblem_init(&z1, CET_TESTPROBLEM_ZDT1, 0, 0), CET_OK);
  const double z[] = {0.2, 0.3, 0.5, 0.5, 0.5, 0};
  double t[6];
  assert_int_equal(cet_testproblem_targets(&p1, z, 2, t), CET_OK);
  assert_true(t[0] == 0.1 && t[1] == 0.15 && t[2] == 0.25 && t[5] == 0);
  assert_int_equal(cet_testproblem_targets(&p2, z, 2, t), CET_OK);
  assert_true(fabs(t[3] - sqrt(0.5)) < 1e-15 && fabs(t[4] - sqrt(0.5)) < 1e-15 && t[5] == 0);
  cet_error_clear();
  assert_int_equal(cet_testproblem_targets(&z1, z, 2, t), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "DTLZ1 and DTLZ2 only"));
  const double zero[] = {0, 0, 0};
  cet_error_clear();
  assert_int_equal(cet_testproblem_targets(&p2, zero, 1, t), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "zero length"));
  assert_int_equal(cet_testproblem_targets(NULL, z, 1, t), CET_ERR_INPUT);

  const double targets[] = {0, 0, 1, 1}, one[] = {0, 1}, both[] = {1, 1, 0, 0};
  double igd = -1;
  assert_int_equal(cet_testproblem_igd(targets, 2, one, 1, 2, &igd), CET_OK);
  assert_true(igd == 1);
  assert_int_equal(cet_testproblem_igd(targets, 2, both, 2, 2, &igd), CET_OK);
  assert_true(igd == 0);
  assert_int_equal(cet_testproblem_igd(targets, 1, one, 1, 2, &igd), CET_OK);
  assert_true(igd == 1);
  assert_int_equal(cet_testproblem_igd(targets, 0, one, 1, 2, &igd), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_igd(targets, 2, one, 0, 2, &igd), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_igd(NULL, 2, one, 1, 2, &igd), CET_ERR_INPUT);
  cet_error_clear();
}

/* The hypervolume of a dense sample of the true front approaches the stated
 * value from below. The gap of a sample with spacing h is O(h): about
 * 0.5/count for the ZDT curves; for the DTLZ2 sphere a lattice of 20100
 * points has spacing 1/199 and a gap near 4e-3, which halves when the
 * spacing does. */
static void test_true_hypervolumes(void **state) {
  (void)state;
  const size_t count[] = {200001, 200001, 200001, 20100, 20100};
  const double tol[] = {1e-5, 1e-5, 1e-5, 5e-3, 5e-3};
  const double ref[] = {1.1, 1.1, 1.1};
  const double stated[] = {0.876667, 0.543333, 1.331763, 0.807401, 1.310167};
  for (int k = 0; k < 5; k++) {
    cet_testproblem p;
    assert_int_equal(cet_testproblem_init(&p, (cet_testproblem_kind)k, 0, 0), CET_OK);
    double *f = malloc(count[k] * p.n_obj * sizeof *f), hv;
    size_t written;
    assert_int_equal(cet_testproblem_front(&p, count[k], f, &written), CET_OK);
    assert_true(written > 1000 && written <= count[k]);
    assert_int_equal(cet_hypervolume(f, written, p.n_obj, ref, &hv), CET_OK);
    double truth = cet_testproblem_true_hypervolume(&p);
    assert_true(fabs(truth - stated[k]) < 5e-7);
    assert_true(hv <= truth && truth - hv < tol[k]);
    if (k == 3) {
      /* half the lattice spacing (5050 points, h = 99): twice the gap */
      double coarse;
      assert_int_equal(cet_testproblem_front(&p, 5050, f, &written), CET_OK);
      assert_int_equal(written, 5050);
      assert_int_equal(cet_hypervolume(f, written, p.n_obj, ref, &coarse), CET_OK);
      double ratio = (truth - coarse) / (truth - hv);
      assert_true(ratio > 1.8 && ratio < 2.2);
    }
    free(f);
  }
  cet_testproblem p;
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 6, 2), CET_OK);
  /* two objectives: 1.21 - pi/4 */
  assert_true(fabs(cet_testproblem_true_hypervolume(&p) - (1.21 - acos(-1.0) / 4)) < 1e-15);
}

static void test_names_and_errors(void **state) {
  (void)state;
  cet_testproblem_kind kind;
  cet_testproblem p;
  assert_int_equal(cet_testproblem_kind_from_name("zdt3", &kind), CET_OK);
  assert_int_equal(kind, CET_TESTPROBLEM_ZDT3);
  assert_int_equal(cet_testproblem_kind_from_name("dtlz2", &kind), CET_OK);
  assert_int_equal(kind, CET_TESTPROBLEM_DTLZ2);
  assert_int_equal(cet_testproblem_kind_from_name("dtlz1", &kind), CET_OK);
  assert_int_equal(kind, CET_TESTPROBLEM_DTLZ1);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ1, 2, 3), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ1, 0, 1), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_testproblem_kind_from_name("zdt9", &kind), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "zdt9"));
  assert_int_equal(cet_testproblem_kind_from_name(NULL, &kind), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(NULL, CET_TESTPROBLEM_ZDT1, 0, 0), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, (cet_testproblem_kind)9, 0, 0), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT1, 0, 3), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT1, 1, 0), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 2, 3), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 5, 1), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_ZDT1, 0, 0), CET_OK);
  double x[30] = {0}, f[2];
  x[3] = 1.5;
  cet_error_clear();
  assert_int_equal(cet_testproblem_evaluate(&p, 1, x, f, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "[0, 1]"));
  assert_int_equal(cet_testproblem_evaluate(NULL, 1, x, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_evaluate(&p, 1, NULL, f, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_evaluate(&p, 0, NULL, NULL, NULL), CET_OK);
  size_t written;
  assert_int_equal(cet_testproblem_front(&p, 1, f, &written), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_front(NULL, 2, f, &written), CET_ERR_INPUT);
  assert_int_equal(cet_testproblem_init(&p, CET_TESTPROBLEM_DTLZ2, 0, 0), CET_OK);
  assert_int_equal(cet_testproblem_front(&p, 2, f, &written), CET_ERR_INPUT);
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zdt_values),        cmocka_unit_test(test_dtlz2_values),
      cmocka_unit_test(test_dtlz1_values),      cmocka_unit_test(test_targets_and_igd),
      cmocka_unit_test(test_true_hypervolumes), cmocka_unit_test(test_names_and_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
