/*
 * test_nsga3.c — unit tests of nsga3.h on hand examples: normalisation
 * (ideal point, extreme points, intercepts) on a regular and on two
 * degenerate sets (coinciding or dependent extreme points: the fallbacks),
 * association with reference lines by perpendicular distance, niching
 * (an empty niche first, its nearest member; a random one among the least
 * crowded otherwise), fronts that fit exactly, an infeasible last front,
 * the extreme points' ASF ignoring near-zero values, an extreme point of
 * the last front surviving before niching, and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/nsga3.h"
#include "cetwin/rng.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void assert_close(double a, double b) {
  if (fabs(a - b) > 1e-12) {
    fail_msg("%.17g differs from %.17g", a, b);
  }
}

/* Three points of two objectives: ideal (1, 1), extreme points (4, 1) for
 * f1 and (1, 4) for f2, intercepts 3 and 3 from the ideal point. */
static void test_normalize(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 8, &ws), CET_OK);
  const double f[] = {1, 4, 2, 2, 4, 1};
  double ideal[2], intercept[2], fn[6];
  int fallback = -1;
  assert_int_equal(cet_nsga3_normalize(ws, f, 3, NULL, ideal, intercept, fn, &fallback), CET_OK);
  assert_int_equal(fallback, 0);
  assert_close(ideal[0], 1);
  assert_close(ideal[1], 1);
  assert_close(intercept[0], 3);
  assert_close(intercept[1], 3);
  const double expect[] = {0, 1, 1.0 / 3, 1.0 / 3, 1, 0};
  for (size_t k = 0; k < 6; k++) {
    assert_close(fn[k], expect[k]);
  }
  /* a slanted plane: extreme points (2, 0, 0), (0, 4, 0), (0, 0, 8) and a
   * middle point; intercepts 2, 4, 8 */
  cet_nsga3_workspace_destroy(&ws);
  assert_int_equal(cet_nsga3_workspace_create(3, 2, 0, 8, &ws), CET_OK);
  const double g[] = {2, 0, 0, 0, 4, 0, 0, 0, 8, 0.5, 1, 4};
  double i3[3], z3[3], n3[12];
  assert_int_equal(cet_nsga3_normalize(ws, g, 4, NULL, z3, i3, n3, &fallback), CET_OK);
  assert_int_equal(fallback, 0);
  assert_close(i3[0], 2);
  assert_close(i3[1], 4);
  assert_close(i3[2], 8);
  assert_close(n3[9] + n3[10] + n3[11], 0.25 + 0.25 + 0.5);
  cet_nsga3_workspace_destroy(&ws);
}

/* Degenerate hyperplanes. (a) Three objectives, every point with f3 = 0:
 * the extreme points (1, 0, 0), (0, 1, 0) and (0.5, 0.5, 0) are linearly
 * dependent; the intercepts fall back to the largest values over the first
 * front (1, 1; not the 2 of the dominated point) and, for f3, which is 0
 * everywhere, to 1. (b) Two objectives, one point dominating the other:
 * both extreme points are (0, 0); f1's intercept falls back from the first
 * front (0) to the whole set (1). */
static void test_normalize_degenerate(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(3, 2, 0, 8, &ws), CET_OK);
  const double f[] = {1, 0, 0, 0, 1, 0, 0.5, 0.5, 0, 2, 2, 0};
  const unsigned char front0[] = {1, 1, 1, 0};
  double ideal[3], intercept[3], fn[12];
  int fallback = 0;
  assert_int_equal(cet_nsga3_normalize(ws, f, 4, front0, ideal, intercept, fn, &fallback), CET_OK);
  assert_int_equal(fallback, 1);
  assert_close(intercept[0], 1);
  assert_close(intercept[1], 1);
  assert_close(intercept[2], 1);
  assert_close(fn[9], 2);
  cet_nsga3_workspace_destroy(&ws);

  assert_int_equal(cet_nsga3_workspace_create(2, 1, 0, 8, &ws), CET_OK);
  const double g[] = {3, 5, 4, 5};
  const unsigned char first[] = {1, 0};
  double i2[2], z2[2], n2[6]; /* room for the three points below */
  assert_int_equal(cet_nsga3_normalize(ws, g, 2, first, z2, i2, n2, &fallback), CET_OK);
  assert_int_equal(fallback, 1);
  assert_close(z2[0], 3);
  assert_close(z2[1], 5);
  assert_close(i2[0], 1); /* first front: 0; whole set: 4 - 3 */
  assert_close(i2[1], 1); /* 0 everywhere: 1 */
  assert_close(n2[2], 1);
  /* a negative intercept (the extreme points span a plane leaning away
   * from the origin) falls back too */
  cet_nsga3_workspace_destroy(&ws);
  assert_int_equal(cet_nsga3_workspace_create(2, 1, 0, 8, &ws), CET_OK);
  const double h[] = {0, 1, 1, 3, 3, 0}; /* extremes (3, 0) and (0, 1): a plane; (1, 3) off */
  assert_int_equal(cet_nsga3_normalize(ws, h, 3, NULL, z2, i2, n2, &fallback), CET_OK);
  assert_int_equal(fallback, 0);
  const double k[] = {0, 1, 1, 0.5, 3, 0}; /* extremes (3, 0) and (0, 1) still */
  assert_int_equal(cet_nsga3_normalize(ws, k, 3, NULL, z2, i2, n2, &fallback), CET_OK);
  assert_int_equal(fallback, 0);
  assert_close(i2[0], 3);
  assert_close(i2[1], 1);
  cet_nsga3_workspace_destroy(&ws);
}

/* Reference points of 2 divisions in 2 objectives: (0, 1), (0.5, 0.5),
 * (1, 0). */
static void test_associate(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 4, &ws), CET_OK);
  size_t count = 0;
  const double *z = cet_nsga3_reference_points(ws, &count);
  assert_int_equal(count, 3);
  assert_close(z[2], 0.5);
  const double fn[] = {0, 1, 0.3, 0.35, 0.9, 0.2, 0.25, 0.25};
  size_t niche[4];
  double d[4];
  assert_int_equal(cet_nsga3_associate(ws, fn, 4, niche, d), CET_OK);
  const size_t expect[] = {0, 1, 2, 1};
  assert_memory_equal(niche, expect, sizeof expect);
  assert_close(d[0], 0);
  assert_close(d[1], 0.05 / sqrt(2));
  assert_close(d[2], 0.2);
  assert_close(d[3], 0);
  cet_nsga3_workspace_destroy(&ws);
}

/* A = (0, 1) and B = (1, 0) form front 0 and fill niches 0 and 2; front 1
 * holds C = (0.45, 0.55) and D = (0.52, 0.52) in niche 1 and E = (0.2,
 * 0.9) in niche 0. One more survivor: niche 1 is the only empty one, and
 * its nearest member D survives. Two more: then every niche holds one, and
 * a random niche gets C or E (niche 2 has no candidate and leaves play). */
static void test_select(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 5, &ws), CET_OK);
  const double f[] = {0, 1, 1, 0, 0.45, 0.55, 0.52, 0.52, 0.2, 0.9};
  const size_t rank[] = {0, 0, 1, 1, 1};
  size_t keep[5];
  gsl_rng *r = cet_rng_alloc();
  assert_non_null(r);
  cet_rng_stream(r, 1, 2, 3, 0);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 5, 3, r, keep), CET_OK);
  const size_t three[] = {1, 1, 0, 1, 0};
  assert_memory_equal(keep, three, sizeof three);
  int saw_c = 0, saw_e = 0;
  for (uint64_t seed = 0; seed < 40; seed++) {
    cet_rng_stream(r, seed, 2, 3, 0);
    assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 5, 4, r, keep), CET_OK);
    assert_true(keep[0] && keep[1] && keep[3] && keep[2] + keep[4] == 1);
    saw_c |= (int)keep[2];
    saw_e |= (int)keep[4];
  }
  assert_true(saw_c && saw_e); /* the pick is random */

  /* the first front fits exactly: no random number is drawn */
  cet_rng_stream(r, 1, 2, 3, 0);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 5, 2, r, keep), CET_OK);
  const size_t two[] = {1, 1, 0, 0, 0};
  assert_memory_equal(keep, two, sizeof two);
  assert_int_equal(cet_rng_position(r), 0);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 5, 5, r, keep), CET_OK);
  assert_int_equal(cet_rng_position(r), 0);

  /* an infeasible last front: its earliest rows, no niching (D is nearer
   * to its reference line, C comes first) */
  const double cv[] = {0, 0, 0.5, 0.5, 0.5};
  assert_int_equal(cet_nsga3_select(ws, f, cv, rank, 5, 3, r, keep), CET_OK);
  const size_t first[] = {1, 1, 1, 0, 0};
  assert_memory_equal(keep, first, sizeof first);
  assert_int_equal(cet_rng_position(r), 0);
  gsl_rng_free(r);
  cet_nsga3_workspace_destroy(&ws);
}

/* Near axis f1: P (1.5, 1e-5) lies behind the front, Q (1, 2e-5) on it.
 * The plain ASF prefers P (its f2 is smaller); with f2 values up to 1e-3
 * of f2's spread counting as 0, Q (smaller f1) is the extreme point and
 * f1's intercept is about 1, not 1.5. */
static void test_extreme_near_zero(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 4, &ws), CET_OK);
  const double f[] = {1.5, 1e-5, 1.0, 2e-5, 0, 1};
  double ideal[2], intercept[2], fn[6];
  int fallback = -1;
  assert_int_equal(cet_nsga3_normalize(ws, f, 3, NULL, ideal, intercept, fn, &fallback), CET_OK);
  assert_int_equal(fallback, 0);
  assert_true(fabs(intercept[0] - 1) < 1e-4);
  assert_true(fabs(intercept[1] - 1) < 1e-4);
  cet_nsga3_workspace_destroy(&ws);
}

/* B (0, 1) and C (0.9, 0.1) form front 0; Z (1, 0), the extreme point of
 * f1, and Y (0.5, 0.6) the last front. Z shares the line (1, 0) with C, Y
 * has the line (0.5, 0.5) to itself: niching alone would keep Y, but the
 * extreme point survives first. */
static void test_select_extreme(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 4, &ws), CET_OK);
  const double f[] = {0, 1, 0.9, 0.1, 1, 0, 0.5, 0.6};
  const size_t rank[] = {0, 0, 1, 1};
  size_t keep[4];
  gsl_rng *r = cet_rng_alloc();
  assert_non_null(r);
  for (uint64_t seed = 0; seed < 8; seed++) {
    cet_rng_stream(r, seed, 2, 3, 0);
    assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 4, 3, r, keep), CET_OK);
    const size_t expect[] = {1, 1, 1, 0};
    assert_memory_equal(keep, expect, sizeof expect);
  }
  gsl_rng_free(r);
  cet_nsga3_workspace_destroy(&ws);
}

static void test_errors(void **state) {
  (void)state;
  cet_nsga3_workspace *ws = NULL;
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 4, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 0, &ws), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_workspace_create(0, 2, 0, 4, &ws), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_workspace_create(2, 0, 0, 4, &ws), CET_ERR_INPUT);
  assert_null(ws);
  size_t count = 7;
  assert_null(cet_nsga3_reference_points(NULL, &count));
  assert_int_equal(count, 0);
  cet_nsga3_workspace_destroy(NULL);
  cet_nsga3_workspace_destroy(&ws);
  assert_int_equal(cet_nsga3_workspace_create(2, 2, 0, 2, &ws), CET_OK);
  const double f[] = {0, 1, 1, 0, 0.5, 0.5};
  double ideal[2], intercept[2], fn[6], d[3];
  size_t niche[3], keep[3];
  const size_t rank[] = {0, 0, 5};
  assert_int_equal(cet_nsga3_normalize(NULL, f, 2, NULL, ideal, intercept, fn, NULL),
                   CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_normalize(ws, f, 0, NULL, ideal, intercept, fn, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_normalize(ws, f, 3, NULL, ideal, intercept, fn, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_associate(ws, fn, 3, niche, d), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_associate(ws, fn, 2, NULL, d), CET_ERR_INPUT);
  gsl_rng *r = cet_rng_alloc();
  assert_non_null(r);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 3, 2, r, keep), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 2, 3, r, keep), CET_ERR_INPUT);
  assert_int_equal(cet_nsga3_select(ws, f, NULL, rank, 2, 1, NULL, keep), CET_ERR_INPUT);
  const size_t bad[] = {0, 2};
  cet_error_clear();
  assert_int_equal(cet_nsga3_select(ws, f, NULL, bad, 2, 1, r, keep), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "rank 2"));
  cet_error_clear();
  gsl_rng_free(r);
  cet_nsga3_workspace_destroy(&ws);
  assert_null(ws);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_normalize),
      cmocka_unit_test(test_normalize_degenerate),
      cmocka_unit_test(test_associate),
      cmocka_unit_test(test_select),
      cmocka_unit_test(test_extreme_near_zero),
      cmocka_unit_test(test_select_extreme),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
