/*
 * test_sobolseq.c — unit tests of sobolseq.h: the unscrambled points are
 * Joe and Kuo's (new-joe-kuo-6.21201) in low and high dimensions, the
 * direction-number table is well formed, the scrambled points keep the
 * net property (1-D stratification of every dimension, the t-value of
 * pairs and triples), seeds are reproducible and distinct, and every
 * invalid argument is rejected with a message.
 *
 * Reference points: scipy 1.10.1, scipy.stats.qmc.Sobol(d, scramble=False,
 * bits=32), which uses the direction numbers of new-joe-kuo-6.21201 and
 * Gray-code order: the first 8 points of 8 dimensions from random(8); the
 * high dimensions at indices up to 123456 from fast_forward(i) then
 * random(1); the indices 2^31 + 12345 and 2^32 - 1 as the XOR of scipy's
 * direction numbers (Sobol(3667, scramble=False, bits=32)._sv) selected by
 * the bits of i ^ (i >> 1). Each is the 32-bit integer u = x 2^32; this
 * sequence's coordinate is (u + 1/2) 2^-32.
 */
#include "cetwin/error.h"
#include "cetwin/sobolseq.h"
#include "core/sobolseq_table.h"

#include "test_support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The 32-bit integer of a coordinate (exact: x = (u + 1/2) 2^-32). */
static uint32_t bits_of(double x) { return (uint32_t)floor(x * 0x1p32); }

static void expect_point(const cet_sobolseq *s, uint64_t index, const uint32_t *u,
                         const size_t *dims, size_t n) {
  double *x = malloc(cet_sobolseq_dims(s) * sizeof *x);
  assert_non_null(x);
  assert_int_equal(cet_sobolseq_point(s, index, x), CET_OK);
  for (size_t i = 0; i < n; i++) {
    double want = ((double)u[i] + 0.5) * 0x1p-32;
    if (x[dims[i] - 1] != want) {
      fprintf(stderr, "point %llu, dimension %zu: %.17g, expected %.17g\n",
              (unsigned long long)index, dims[i], x[dims[i] - 1], want);
      fail();
    }
  }
  free(x);
}

static void test_first_points(void **state) {
  (void)state;
  static const uint32_t ref[8][8] = {{0, 0, 0, 0, 0, 0, 0, 0},
                                     {2147483648u, 2147483648u, 2147483648u, 2147483648u,
                                      2147483648u, 2147483648u, 2147483648u, 2147483648u},
                                     {3221225472u, 1073741824u, 1073741824u, 1073741824u,
                                      3221225472u, 3221225472u, 1073741824u, 3221225472u},
                                     {1073741824u, 3221225472u, 3221225472u, 3221225472u,
                                      1073741824u, 1073741824u, 3221225472u, 1073741824u},
                                     {1610612736u, 1610612736u, 2684354560u, 3758096384u,
                                      1610612736u, 536870912u, 1610612736u, 3758096384u},
                                     {3758096384u, 3758096384u, 536870912u, 1610612736u,
                                      3758096384u, 2684354560u, 3758096384u, 1610612736u},
                                     {2684354560u, 536870912u, 3758096384u, 2684354560u,
                                      2684354560u, 3758096384u, 536870912u, 536870912u},
                                     {536870912u, 2684354560u, 1610612736u, 536870912u, 536870912u,
                                      1610612736u, 2684354560u, 2684354560u}};
  static const size_t dims[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  cet_sobolseq *s = NULL;
  assert_int_equal(cet_sobolseq_create(&s, 8, 0, 0), CET_OK);
  assert_int_equal(cet_sobolseq_dims(s), 8);
  for (uint64_t i = 0; i < 8; i++) {
    expect_point(s, i, ref[i], dims, 8);
  }
  cet_sobolseq_destroy(&s);
  assert_null(s);
  cet_sobolseq_destroy(&s);
  cet_sobolseq_destroy(NULL);
}

static void test_high_dimensions(void **state) {
  (void)state;
  static const size_t dims[5] = {100, 500, 1000, 2000, 3667};
  static const struct {
    uint64_t index;
    uint32_t u[5];
  } ref[] = {{1, {2147483648u, 2147483648u, 2147483648u, 2147483648u, 2147483648u}},
             {2, {3221225472u, 1073741824u, 3221225472u, 1073741824u, 1073741824u}},
             {3, {1073741824u, 3221225472u, 1073741824u, 3221225472u, 3221225472u}},
             {5, {1610612736u, 536870912u, 2684354560u, 3758096384u, 536870912u}},
             {100, {3791650816u, 2113929216u, 3925868544u, 2516582400u, 2181038080u}},
             {1000, {801112064u, 1094713344u, 859832320u, 2512388096u, 3837788160u}},
             {65535, {2030501888u, 1734541312u, 2786656256u, 1196490752u, 3527868416u}},
             {123456, {3976167424u, 3946348544u, 4125851648u, 1736540160u, 2760409088u}},
             {2147495993u, {331683515u, 2723525639u, 1253120121u, 925330689u, 2083421253u}},
             {4294967295u, {1488403325u, 299658261u, 1909304039u, 2449851139u, 3796313231u}}};
  cet_sobolseq *s = NULL;
  assert_int_equal(cet_sobolseq_create(&s, CET_SOBOLSEQ_MAX_DIMS, 0, 0), CET_OK);
  for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
    expect_point(s, ref[i].index, ref[i].u, dims, 5);
  }
  /* dimensions 1 and 2 at the last indices */
  static const size_t low[2] = {1, 2};
  static const uint32_t low_ref[3][2] = {
      {113803264u, 784891904u}, {2752774147u, 2238272853u}, {1u, 4294967295u}};
  static const uint64_t low_index[3] = {123456, 2147495993u, 4294967295u};
  for (size_t i = 0; i < 3; i++) {
    expect_point(s, low_index[i], low_ref[i], low, 2);
  }
  cet_sobolseq_destroy(&s);
}

/* Rows (s, a, m_1 .. m_s) cover the table exactly; degrees never
 * decrease; the polynomials are distinct; every m_i is odd and below 2^i. */
static void test_table(void **state) {
  (void)state;
  assert_int_equal(cet_sobolseq_table_dims, CET_SOBOLSEQ_MAX_DIMS);
  size_t pos = 0, rows = 0;
  unsigned last_s = 0, last_a = 0;
  while (pos < cet_sobolseq_table_size) {
    unsigned s = cet_sobolseq_table[pos], a = cet_sobolseq_table[pos + 1];
    assert_true(s >= 1 && s <= 15);
    assert_true(a < (1u << (s - 1)));
    assert_true(s > last_s || (s == last_s && a > last_a) || rows == 0);
    for (unsigned i = 1; i <= s; i++) {
      unsigned m = cet_sobolseq_table[pos + 1 + i];
      assert_true(m % 2 == 1 && m < (1u << i));
    }
    last_s = s;
    last_a = a;
    pos += s + 2;
    rows++;
  }
  assert_int_equal(pos, cet_sobolseq_table_size);
  assert_int_equal(rows, CET_SOBOLSEQ_MAX_DIMS - 1);
}

/* The t-value of the projection on dims[0..nd-1] of points u (n = 2^m
 * points, nd 32-bit coordinates each, stride ld): the smallest t such that
 * every elementary box of volume 2^(t-m) holds 2^t points. */
static unsigned net_quality(const uint32_t *u, size_t ld, unsigned m, const size_t *dims,
                            size_t nd) {
  size_t n = (size_t)1 << m;
  unsigned *count = malloc(n * sizeof *count);
  assert_non_null(count);
  for (unsigned t = 0; t <= m; t++) {
    unsigned q = m - t; /* bits shared out over the dimensions */
    int ok = 1;
    unsigned d[3] = {0, 0, 0};
    /* every split q = d[0] + ... + d[nd-1] */
    for (unsigned c = 0; ok && c < (nd == 1 ? 1u : (q + 1) * (nd == 3 ? q + 1 : 1)); c++) {
      if (nd == 1) {
        d[0] = q;
      } else if (nd == 2) {
        d[0] = c;
        d[1] = q - c;
      } else {
        d[0] = c % (q + 1);
        d[1] = c / (q + 1);
        if (d[0] + d[1] > q) {
          continue;
        }
        d[2] = q - d[0] - d[1];
      }
      memset(count, 0, ((size_t)1 << q) * sizeof *count);
      for (size_t i = 0; i < n; i++) {
        size_t cell = 0;
        for (size_t k = 0; k < nd; k++) {
          uint32_t x = u[i * ld + dims[k] - 1];
          cell = (cell << d[k]) | (d[k] ? x >> (32 - d[k]) : 0);
        }
        count[cell]++;
      }
      for (size_t b = 0; b < ((size_t)1 << q); b++) {
        ok &= count[b] == (1u << t);
      }
    }
    if (ok) {
      free(count);
      return t;
    }
  }
  free(count);
  fail();
  return 0;
}

enum { NET_DIMS = 40, NET_M = 10 };

/* The first 2^NET_M points of a sequence of NET_DIMS dimensions as
 * integers. */
static uint32_t *net_points(int scrambled, uint64_t seed) {
  size_t n = (size_t)1 << NET_M;
  cet_sobolseq *s = NULL;
  assert_int_equal(cet_sobolseq_create(&s, NET_DIMS, scrambled, seed), CET_OK);
  uint32_t *u = malloc(n * NET_DIMS * sizeof *u);
  assert_non_null(u);
  double x[NET_DIMS];
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(cet_sobolseq_point(s, i, x), CET_OK);
    for (size_t j = 0; j < NET_DIMS; j++) {
      assert_true(x[j] > 0.0 && x[j] < 1.0);
      u[i * NET_DIMS + j] = bits_of(x[j]);
    }
  }
  cet_sobolseq_destroy(&s);
  return u;
}

static void test_scrambled_nets(void **state) {
  (void)state;
  uint32_t *plain = net_points(0, 0);
  static const size_t pairs[][2] = {{1, 2}, {2, 3}, {3, 5}, {7, 8}, {10, 37}, {39, 40}};
  static const size_t triples[][3] = {{1, 2, 3}, {4, 9, 20}};
  for (uint64_t seed = 1; seed <= 3; seed++) {
    uint32_t *u = net_points(1, seed);
    for (unsigned m = 0; m <= NET_M; m++) {
      /* every dimension: each dyadic interval of length 2^-m holds one of
       * the first 2^m points */
      for (size_t j = 1; j <= NET_DIMS; j++) {
        assert_int_equal(net_quality(u, NET_DIMS, m, &j, 1), 0);
      }
      /* dimensions 1 and 2 form a (0, m, 2)-net */
      assert_int_equal(net_quality(u, NET_DIMS, m, pairs[0], 2), 0);
    }
    /* the scramble keeps the t-value of every projection tried */
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
      for (unsigned m = 4; m <= NET_M; m += 3) {
        assert_int_equal(net_quality(u, NET_DIMS, m, pairs[p], 2),
                         net_quality(plain, NET_DIMS, m, pairs[p], 2));
      }
    }
    for (size_t p = 0; p < sizeof triples / sizeof triples[0]; p++) {
      assert_int_equal(net_quality(u, NET_DIMS, 8, triples[p], 3),
                       net_quality(plain, NET_DIMS, 8, triples[p], 3));
    }
    free(u);
  }
  /* a pair of poor quality in this range: not every test is trivially 0 */
  assert_true(net_quality(plain, NET_DIMS, NET_M, pairs[4], 2) > 0);
  free(plain);
}

static void test_seeds(void **state) {
  (void)state;
  enum { D = 30, SEEDS = 200 };
  cet_sobolseq *a = NULL, *b = NULL, *c = NULL, *wide = NULL, *plain = NULL;
  assert_int_equal(cet_sobolseq_create(&a, D, 1, 42), CET_OK);
  assert_int_equal(cet_sobolseq_create(&b, D, 1, 42), CET_OK);
  assert_int_equal(cet_sobolseq_create(&c, D, 1, 43), CET_OK);
  assert_int_equal(cet_sobolseq_create(&wide, 3 * D, 1, 42), CET_OK);
  assert_int_equal(cet_sobolseq_create(&plain, D, 0, 42), CET_OK);
  double xa[D], xb[D], xc[D], xw[3 * D], xp[D];
  size_t differ = 0, differ_plain = 0;
  for (uint64_t i = 0; i < 100; i++) {
    uint64_t index = i * 1234567 % 4294967296u;
    assert_int_equal(cet_sobolseq_point(a, index, xa), CET_OK);
    assert_int_equal(cet_sobolseq_point(b, index, xb), CET_OK);
    assert_int_equal(cet_sobolseq_point(c, index, xc), CET_OK);
    assert_int_equal(cet_sobolseq_point(wide, index, xw), CET_OK);
    assert_int_equal(cet_sobolseq_point(plain, index, xp), CET_OK);
    assert_memory_equal(xa, xb, sizeof xa);
    assert_memory_equal(xa, xw, sizeof xa); /* more dimensions: the same first ones */
    for (size_t j = 0; j < D; j++) {
      differ += xa[j] != xc[j];
      differ_plain += xa[j] != xp[j];
    }
  }
  assert_int_equal(differ, 100 * D);
  assert_int_equal(differ_plain, 100 * D);
  /* over seeds, a scrambled coordinate is uniform on (0, 1): its mean is
   * 1/2 within 5 standard errors (sd 1/sqrt(12)) */
  double sum = 0.0, x[2];
  for (uint64_t seed = 0; seed < SEEDS; seed++) {
    cet_sobolseq *s = NULL;
    assert_int_equal(cet_sobolseq_create(&s, 2, 1, seed), CET_OK);
    assert_int_equal(cet_sobolseq_point(s, 0, x), CET_OK);
    sum += x[1];
    cet_sobolseq_destroy(&s);
  }
  assert_true(fabs(sum / SEEDS - 0.5) < 5.0 / sqrt(12.0 * SEEDS));
  cet_sobolseq_destroy(&a);
  cet_sobolseq_destroy(&b);
  cet_sobolseq_destroy(&c);
  cet_sobolseq_destroy(&wide);
  cet_sobolseq_destroy(&plain);
}

static void test_range_and_errors(void **state) {
  (void)state;
  cet_sobolseq *s = NULL;
  assert_int_equal(cet_sobolseq_create(&s, 0, 0, 0), CET_ERR_INPUT);
  assert_null(s);
  cet_test_expect_message("Sobol' sequence", "expected 1 to 3667 dimensions, found 0", NULL);
  assert_int_equal(cet_sobolseq_create(&s, CET_SOBOLSEQ_MAX_DIMS + 1, 1, 0), CET_ERR_INPUT);
  cet_test_expect_message("found 3668", NULL);
  assert_int_equal(cet_sobolseq_create(&s, 3, 0, 0), CET_OK);
  double x[3];
  assert_int_equal(cet_sobolseq_point(s, UINT64_C(4294967296), x), CET_ERR_INPUT);
  cet_test_expect_message("point index 4294967296 is beyond the last point 2^32 - 1", NULL);
  /* the extreme points stay strictly inside (0, 1) */
  assert_int_equal(cet_sobolseq_point(s, 0, x), CET_OK);
  assert_true(x[0] == 0x1p-33 && x[1] == 0x1p-33 && x[2] == 0x1p-33);
  assert_int_equal(cet_sobolseq_point(s, UINT64_C(4294967295), x), CET_OK);
  assert_true(x[1] == 1.0 - 0x1p-33 && x[1] < 1.0);
  cet_sobolseq_destroy(&s);
}

/* Coordinates of a range of dimensions are those of the whole point. */
static void test_coordinates(void **state) {
  (void)state;
  enum { D = 150 };
  cet_sobolseq *s = NULL;
  assert_int_equal(cet_sobolseq_create(&s, D, 1, 7), CET_OK);
  double whole[D], part[D];
  for (uint64_t index = 0; index < 5000; index += 37) {
    assert_int_equal(cet_sobolseq_point(s, index, whole), CET_OK);
    for (size_t first = 0; first < D; first += 29) {
      size_t count = (D - first) / 2 + 1;
      assert_int_equal(cet_sobolseq_coordinates(s, index, first, count, part), CET_OK);
      assert_memory_equal(part, whole + first, count * sizeof *part);
    }
  }
  assert_int_equal(cet_sobolseq_coordinates(s, 0, D, 0, part), CET_OK);
  assert_int_equal(cet_sobolseq_coordinates(s, 0, 140, 11, part), CET_ERR_INPUT);
  cet_test_expect_message("11 coordinates from dimension 141 asked of a sequence of 150 dimensions",
                          NULL);
  assert_int_equal(cet_sobolseq_coordinates(s, 0, 151, 0, part), CET_ERR_INPUT);
  cet_test_expect_message("0 coordinates from dimension 152", NULL);
  assert_int_equal(cet_sobolseq_coordinates(s, UINT64_C(1) << 32, 0, 1, part), CET_ERR_INPUT);
  cet_test_expect_message("point index 4294967296", NULL);
  cet_sobolseq_destroy(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_first_points), cmocka_unit_test(test_high_dimensions),
      cmocka_unit_test(test_table),        cmocka_unit_test(test_scrambled_nets),
      cmocka_unit_test(test_seeds),        cmocka_unit_test(test_range_and_errors),
      cmocka_unit_test(test_coordinates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
