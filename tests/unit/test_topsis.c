/*
 * test_topsis.c — unit tests of topsis.h on worked examples computed by hand
 * (below), weights and benefit criteria, deterministic ties, a constant
 * column, and the error paths.
 *
 * Worked example: A = (1, 4), B = (2, 2), C = (4, 1).
 * Vector normalisation: both column norms are sqrt(1 + 4 + 16) = sqrt(21).
 * (a) Equal weights, both costs: v = x / (2 sqrt(21)); write s = 1/(2
 *     sqrt(21)): A = (s, 4s), B = (2s, 2s), C = (4s, s); A+ = (s, s),
 *     A- = (4s, 4s).
 *     A: d+ = 3s, d- = 3s, C = 1/2.  B: d+ = sqrt(2) s, d- = 2 sqrt(2) s,
 *     C = 2/3.  C: like A, 1/2.  Ranks: B 1, A 2, C 3 (A and C tie; the
 *     lower index wins).
 * (b) Weights (1, 3) -> (1/4, 3/4); criterion 1 a cost, criterion 2 a
 *     benefit. With t = 1/sqrt(21): A = (t/4, 3t), B = (t/2, 3t/2),
 *     C = (t, 3t/4); A+ = (t/4, 3t), A- = (t, 3t/4).
 *     A: d+ = 0, C = 1.  C: d- = 0, C = 0.
 *     B: d+ = t sqrt(1/16 + 9/4) = t sqrt(37/16), d- = t sqrt(1/4 + 9/16) =
 *     t sqrt(13/16), C = sqrt(13) / (sqrt(13) + sqrt(37)) = 0.3721547...
 * (c) Min-max, equal weights, costs: r = A (0, 1), B (1/3, 1/3), C (1, 0);
 *     v = r/2; A+ = (0, 0), A- = (1/2, 1/2). A: d+ = d- = 1/2, C = 1/2.
 *     B: d+ = sqrt(2)/6, d- = sqrt(2)/3, C = 2/3. C: 1/2. Same ranks as (a).
 */
#include "cetwin/error.h"
#include "cetwin/topsis.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static const double example[] = {1, 4, 2, 2, 4, 1};

static void test_equal_weights_costs(void **state) {
  (void)state;
  double c[3];
  size_t rank[3], order[3];
  assert_int_equal(cet_topsis_rank(example, 3, 2, NULL, c, rank, order), CET_OK);
  assert_true(fabs(c[0] - 0.5) < 1e-15);
  assert_true(fabs(c[1] - 2.0 / 3.0) < 1e-15);
  assert_true(fabs(c[2] - 0.5) < 1e-15);
  assert_int_equal(rank[0], 2);
  assert_int_equal(rank[1], 1);
  assert_int_equal(rank[2], 3);
  assert_int_equal(order[0], 1);
  assert_int_equal(order[1], 0);
  assert_int_equal(order[2], 2);
}

static void test_weights_and_benefit(void **state) {
  (void)state;
  const double w[] = {1, 3};
  const int benefit[] = {0, 1};
  cet_topsis_parameters p = cet_topsis_default_parameters();
  p.weights = w;
  p.benefit = benefit;
  double c[3];
  size_t rank[3];
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, rank, NULL), CET_OK);
  assert_true(fabs(c[0] - 1.0) < 1e-15);
  assert_true(fabs(c[1] - sqrt(13.0) / (sqrt(13.0) + sqrt(37.0))) < 1e-14);
  assert_true(fabs(c[1] - 0.3721547) < 1e-7);
  assert_true(fabs(c[2]) < 1e-15);
  assert_int_equal(rank[0], 1);
  assert_int_equal(rank[1], 2);
  assert_int_equal(rank[2], 3);
}

static void test_minmax(void **state) {
  (void)state;
  cet_topsis_parameters p = cet_topsis_default_parameters();
  p.normalization = CET_TOPSIS_MINMAX;
  double c[3];
  size_t rank[3];
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, rank, NULL), CET_OK);
  assert_true(fabs(c[0] - 0.5) < 1e-15 && fabs(c[1] - 2.0 / 3.0) < 1e-15);
  assert_true(fabs(c[2] - 0.5) < 1e-15);
  assert_int_equal(rank[1], 1);
}

static void test_degenerate_sets(void **state) {
  (void)state;
  /* a constant column carries no information: ranks follow column 1 */
  const double f[] = {3, 5, 1, 5, 2, 5};
  cet_topsis_parameters p = cet_topsis_default_parameters();
  double c[3];
  size_t rank[3];
  for (int norm = 0; norm < 2; norm++) {
    p.normalization = (cet_topsis_normalization)norm;
    assert_int_equal(cet_topsis_rank(f, 3, 2, &p, c, rank, NULL), CET_OK);
    assert_int_equal(rank[1], 1);
    assert_int_equal(rank[2], 2);
    assert_int_equal(rank[0], 3);
  }
  /* one point, and identical points: closeness 1, ranks by index */
  const double same[] = {2, 2, 2, 2};
  assert_int_equal(cet_topsis_rank(same, 2, 2, NULL, c, rank, NULL), CET_OK);
  assert_true(c[0] == 1.0 && c[1] == 1.0);
  assert_int_equal(rank[0], 1);
  assert_int_equal(rank[1], 2);
  /* all-zero column under vector normalisation */
  const double zero[] = {0, 1, 0, 2};
  assert_int_equal(cet_topsis_rank(zero, 2, 2, NULL, c, rank, NULL), CET_OK);
  assert_int_equal(rank[0], 1);
  /* all outputs optional */
  assert_int_equal(cet_topsis_rank(example, 3, 2, NULL, NULL, NULL, NULL), CET_OK);
}

static void test_errors(void **state) {
  (void)state;
  double c[3];
  cet_topsis_parameters p = cet_topsis_default_parameters();
  cet_error_clear();
  assert_int_equal(cet_topsis_rank(example, 0, 2, NULL, c, NULL, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "n = 0"));
  assert_int_equal(cet_topsis_rank(example, 3, 0, NULL, c, NULL, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_topsis_rank(NULL, 3, 2, NULL, c, NULL, NULL), CET_ERR_INPUT);
  const double inf[] = {1, INFINITY};
  assert_int_equal(cet_topsis_rank(inf, 1, 2, NULL, c, NULL, NULL), CET_ERR_INPUT);
  const double neg[] = {1, -1}, zero[] = {0, 0}, nan[] = {NAN, 1};
  p.weights = neg;
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, NULL, NULL), CET_ERR_INPUT);
  p.weights = zero;
  cet_error_clear();
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, NULL, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "positive sum"));
  p.weights = nan;
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, NULL, NULL), CET_ERR_INPUT);
  p.weights = NULL;
  const int flags[] = {0, 2};
  p.benefit = flags;
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, NULL, NULL), CET_ERR_INPUT);
  p.benefit = NULL;
  p.normalization = (cet_topsis_normalization)7;
  assert_int_equal(cet_topsis_rank(example, 3, 2, &p, c, NULL, NULL), CET_ERR_INPUT);
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equal_weights_costs),
      cmocka_unit_test(test_weights_and_benefit),
      cmocka_unit_test(test_minmax),
      cmocka_unit_test(test_degenerate_sets),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
