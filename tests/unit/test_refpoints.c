/*
 * test_refpoints.c — unit tests of refpoints.h: the Das–Dennis counts
 * H = C(M + p - 1, p) for several M and p, the points themselves (on the
 * simplex, on the lattice, distinct, in order), the two-layer scheme of
 * Deb & Jain (2014), the automatic choice of divisions for their
 * populations, and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/refpoints.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_counts(void **state) {
  (void)state;
  /* {M, p, C(M + p - 1, p)} */
  static const size_t table[][3] = {
      {2, 4, 5},   {3, 12, 91},  {3, 4, 15},  {5, 6, 210}, {8, 3, 120}, {8, 2, 36},  {10, 3, 220},
      {10, 2, 55}, {15, 2, 120}, {15, 1, 15}, {1, 7, 1},   {4, 1, 4},   {6, 4, 126}, {20, 3, 1540}};
  for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
    size_t count = 0;
    assert_int_equal(cet_refpoints_size(table[k][0], table[k][1]), table[k][2]);
    assert_int_equal(cet_refpoints_layers_count(table[k][0], table[k][1], 0, &count), CET_OK);
    assert_int_equal(count, table[k][2]);
  }
  size_t count = 0;
  assert_int_equal(cet_refpoints_layers_count(8, 3, 2, &count), CET_OK);
  assert_int_equal(count, 156); /* Deb & Jain (2014): M = 8 */
  assert_int_equal(cet_refpoints_layers_count(10, 3, 2, &count), CET_OK);
  assert_int_equal(count, 275);
  assert_int_equal(cet_refpoints_layers_count(15, 2, 1, &count), CET_OK);
  assert_int_equal(count, 135);
  assert_int_equal(cet_refpoints_size(0, 3), 0);
  assert_int_equal(cet_refpoints_size(3, 0), 0);
  assert_int_equal(cet_refpoints_size(200, 100), SIZE_MAX); /* saturates */
}

/* Every point of count x m lies on the simplex; the outer ones are
 * multiples of 1/p, all are distinct. */
static void check_layer(const double *z, size_t count, size_t m, double p, double scale,
                        double shift) {
  for (size_t i = 0; i < count; i++) {
    double sum = 0;
    for (size_t j = 0; j < m; j++) {
      double v = z[i * m + j];
      double k = (v - shift) / scale * p;
      assert_true(fabs(k - round(k)) < 1e-12 && v >= shift - 1e-15);
      sum += v;
    }
    assert_true(fabs(sum - 1) < 1e-12);
    for (size_t q = 0; q < i; q++) {
      assert_true(memcmp(z + i * m, z + q * m, m * sizeof *z) != 0);
    }
  }
}

static void test_points(void **state) {
  (void)state;
  size_t count = 0;
  assert_int_equal(cet_refpoints_layers_count(3, 12, 0, &count), CET_OK);
  double *z = malloc(count * 3 * sizeof *z);
  assert_non_null(z);
  assert_int_equal(cet_refpoints_fill(3, 12, 0, z), CET_OK);
  check_layer(z, count, 3, 12, 1, 0);
  const double first[] = {0, 0, 1}, second[] = {0, 1.0 / 12, 11.0 / 12}, last[] = {1, 0, 0};
  assert_memory_equal(z, first, sizeof first);
  assert_memory_equal(z + 3, second, sizeof second);
  assert_memory_equal(z + (count - 1) * 3, last, sizeof last);
  free(z);

  /* two layers, M = 8: 120 outer points, then 36 inner ones w/2 + 1/16 */
  assert_int_equal(cet_refpoints_layers_count(8, 3, 2, &count), CET_OK);
  z = malloc(count * 8 * sizeof *z);
  assert_non_null(z);
  assert_int_equal(cet_refpoints_fill(8, 3, 2, z), CET_OK);
  check_layer(z, 120, 8, 3, 1, 0);
  check_layer(z + 120 * 8, 36, 8, 2, 0.5, 1.0 / 16);
  for (size_t j = 0; j < 8; j++) {
    assert_true(z[120 * 8 + j] == (j == 7 ? 0.5 + 1.0 / 16 : 1.0 / 16));
  }
  free(z);

  /* one objective: the single point 1 */
  double one = 0;
  assert_int_equal(cet_refpoints_fill(1, 5, 0, &one), CET_OK);
  assert_true(one == 1);
}

static void test_automatic(void **state) {
  (void)state;
  /* {M, N, outer, inner}: Deb & Jain's (2014) populations and others */
  static const size_t table[][4] = {
      {3, 92, 12, 0},   {5, 212, 6, 0},  {8, 156, 3, 2}, {10, 276, 3, 2}, {15, 136, 2, 1},
      {2, 200, 199, 0}, {3, 200, 18, 0}, {1, 50, 1, 0},  {3, 3, 1, 0},    {4, 14, 2, 1}};
  for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
    size_t outer = 0, inner = 9;
    assert_int_equal(cet_refpoints_automatic(table[k][0], table[k][1], &outer, &inner), CET_OK);
    assert_int_equal(outer, table[k][2]);
    assert_int_equal(inner, table[k][3]);
    size_t count = 0;
    assert_int_equal(cet_refpoints_layers_count(table[k][0], outer, inner, &count), CET_OK);
    assert_true(count <= table[k][1]);
  }
}

static void test_errors(void **state) {
  (void)state;
  size_t count = 0, outer = 0, inner = 0;
  double z[4];
  cet_error_clear();
  assert_int_equal(cet_refpoints_layers_count(0, 3, 0, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "objective"));
  cet_error_clear();
  assert_int_equal(cet_refpoints_layers_count(3, 0, 0, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "outer layer"));
  assert_int_equal(cet_refpoints_layers_count(3, 3, 0, NULL), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_refpoints_layers_count(10, 20, 0, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "more than 10000000"));
  cet_error_clear();
  assert_int_equal(cet_refpoints_layers_count(10, 2, 20, &count), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_refpoints_layers_count(2, 5000000, 5000000, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "divisions 5000000 and 5000000"));
  assert_int_equal(cet_refpoints_fill(2, 1, 0, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_refpoints_fill(0, 1, 0, z), CET_ERR_INPUT);
  assert_int_equal(cet_refpoints_automatic(3, 2, &outer, &inner), CET_ERR_INPUT);
  assert_int_equal(cet_refpoints_automatic(0, 2, &outer, &inner), CET_ERR_INPUT);
  assert_int_equal(cet_refpoints_automatic(3, 10, NULL, &inner), CET_ERR_INPUT);
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts),
      cmocka_unit_test(test_points),
      cmocka_unit_test(test_automatic),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
