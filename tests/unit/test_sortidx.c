/*
 * test_sortidx.c — unit tests of the private sorts behind pareto.h and
 * hypervolume.h (src/moo/sortidx.h): key sorts on both sides of the radix
 * threshold with negative numbers, signed zeros, infinities and many ties
 * (sorted, stable), and the lexicographic row sorts for 2, 3 and 5 columns.
 */
#include "cetwin/rng.h"
#include "moo/sortidx.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

static double draw(gsl_rng *r) {
  double u = gsl_rng_uniform(r);
  if (u < 0.05) {
    return u < 0.025 ? -INFINITY : INFINITY;
  }
  if (u < 0.15) {
    return u < 0.1 ? -0.0 : 0.0;
  }
  return floor((u - 0.5) * 40) / 4; /* few distinct values: ties */
}

static void test_keyed(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  const size_t sizes[] = {0, 1, 2, 17, 255, 256, 257, 3000, 20000};
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
    size_t n = sizes[s];
    cet_keyed *a = malloc((n + 1) * sizeof *a), *tmp = malloc((n + 1) * sizeof *tmp);
    double *orig = malloc((n + 1) * sizeof *orig);
    cet_rng_stream(r, 1, 2, n, 0);
    for (size_t i = 0; i < n; i++) {
      orig[i] = draw(r);
      a[i].key = orig[i];
      a[i].idx = i;
    }
    cet_sort_keyed(a, n, tmp);
    int *seen = calloc(n + 1, sizeof *seen);
    for (size_t t = 0; t < n; t++) {
      size_t i = a[t].idx;
      assert_true(i < n && !seen[i]);
      seen[i] = 1;
      assert_true(a[t].key == orig[i]); /* -0 may read +0, which compares equal */
      if (t > 0) {
        double p = orig[a[t - 1].idx], q = orig[i];
        assert_true(p <= q);
        if (p == q) {
          assert_true(a[t - 1].idx < i); /* stable */
        }
      }
    }
    free(seen);
    free(a);
    free(tmp);
    free(orig);
  }
  gsl_rng_free(r);
}

static void test_lexicographic(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  const size_t cols[] = {2, 3, 5};
  for (size_t c = 0; c < 3; c++) {
    size_t m = cols[c], n = 500;
    double *f = malloc(n * m * sizeof *f);
    size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    cet_rng_stream(r, 3, m, 0, 0);
    for (size_t i = 0; i < n * m; i++) {
      f[i] = floor(gsl_rng_uniform(r) * 3);
    }
    for (size_t i = 0; i < n; i++) {
      idx[i] = i;
    }
    const cet_rows rows = {f, m, NULL, 0};
    cet_sortidx_lex(idx, n, tmp, &rows);
    for (size_t t = 1; t < n; t++) {
      const double *a = f + idx[t - 1] * m, *b = f + idx[t] * m;
      size_t j = 0;
      while (j < m && a[j] == b[j]) {
        j++;
      }
      assert_true(j == m ? idx[t - 1] < idx[t] : a[j] < b[j]);
    }
    free(f);
    free(idx);
    free(tmp);
  }
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keyed),
      cmocka_unit_test(test_lexicographic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
