/*
 * test_vexp.c — unit tests of the private exp kernel of src/model
 * (vexp.h): within 2 ulp of libm's exp over the range of a double's
 * logarithm, the documented results outside it, and the same bits for an
 * element whatever its position in the array (vector or scalar tail).
 */
#include "model/vexp.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static long ulps(double a, double b) {
  int64_t x, y;
  memcpy(&x, &a, sizeof x);
  memcpy(&y, &b, sizeof y);
  return labs((long)(x - y));
}

static void test_accuracy(void **state) {
  (void)state;
  enum { N = 200000 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  assert_non_null(x);
  assert_non_null(y);
  for (int i = 0; i < N; i++) {
    /* half over [-707, 709.78], half over the prices' usual [-5, 20] */
    double u = (double)i / N;
    x[i] = i % 2 ? -707.0 + 1416.78 * u : -5.0 + 25.0 * u;
  }
  cet_vexp(x, y, N);
  long worst = 0;
  for (int i = 0; i < N; i++) {
    long u = ulps(y[i], exp(x[i]));
    worst = u > worst ? u : worst;
  }
  assert_true(worst <= 2);
  free(x);
  free(y);
}

static void test_special_values(void **state) {
  (void)state;
  double x[] = {0.0, 1.0, 710.0, INFINITY, -708.0, -INFINITY, NAN, 709.78};
  double y[8];
  cet_vexp(x, y, 8);
  assert_true(y[0] == 1.0);
  assert_true(ulps(y[1], exp(1.0)) <= 1);
  assert_true(isinf(y[2]) && y[2] > 0 && isinf(y[3]));
  assert_true(y[4] == 0.0 && y[5] == 0.0);
  assert_true(isnan(y[6]));
  assert_true(isfinite(y[7]) && ulps(y[7], exp(709.78)) <= 2);
}

static void test_position_does_not_matter(void **state) {
  (void)state;
  double x[37], y[37], one;
  for (int i = 0; i < 37; i++) {
    x[i] = 3.7 + 0.11 * i;
  }
  cet_vexp(x, y, 37);
  for (int i = 0; i < 37; i++) {
    cet_vexp(&x[i], &one, 1);
    assert_memory_equal(&one, &y[i], sizeof one);
  }
  cet_vexp(x, x, 37); /* in place */
  assert_memory_equal(x, y, sizeof y);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accuracy),
      cmocka_unit_test(test_special_values),
      cmocka_unit_test(test_position_does_not_matter),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
