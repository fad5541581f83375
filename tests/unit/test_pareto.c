/*
 * test_pareto.c — unit tests of pareto.h: dominance and constrained
 * dominance, hand-checked fronts with ties and duplicates, the filter and
 * the full sort against a brute-force peeling reference on random sets
 * (m = 1..6, with many ties), crowding distance, the crowded order, utopia
 * and nadir, and every error path.
 */
#include "cetwin/error.h"
#include "cetwin/pareto.h"
#include "cetwin/rng.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ---- brute-force reference ---------------------------------------------- */

/* a dominates b, written independently of the library. */
static int ref_dominates(const double *a, const double *b, size_t m) {
  int strict = 0;
  for (size_t j = 0; j < m; j++) {
    if (a[j] > b[j]) {
      return 0;
    }
    strict |= a[j] < b[j];
  }
  return strict;
}

static int ref_cdominates(const double *a, double ca, const double *b, double cb, size_t m) {
  if (ca == 0 && cb > 0) {
    return 1;
  }
  if (ca > 0 && cb > 0) {
    return ca < cb;
  }
  if (ca > 0) {
    return 0;
  }
  return ref_dominates(a, b, m);
}

/* Ranks by peeling: front r is the set of remaining points no remaining
 * point dominates. O(n^3); fine for the sizes here. */
static size_t ref_sort(const double *f, const double *cv, size_t n, size_t m, size_t *rank) {
  size_t left = n, r = 0;
  size_t *done = calloc(n, sizeof *done);
  int *now = calloc(n, sizeof *now);
  while (left > 0) {
    for (size_t i = 0; i < n; i++) {
      now[i] = 0;
      if (done[i]) {
        continue;
      }
      int dominated = 0;
      for (size_t k = 0; k < n && !dominated; k++) {
        if (!done[k] && k != i) {
          dominated = cv ? ref_cdominates(f + k * m, cv[k], f + i * m, cv[i], m)
                         : ref_dominates(f + k * m, f + i * m, m);
        }
      }
      now[i] = !dominated;
    }
    for (size_t i = 0; i < n; i++) {
      if (now[i]) {
        rank[i] = r;
        done[i] = 1;
        left--;
      }
    }
    r++;
  }
  free(done);
  free(now);
  return r;
}

/* Random points with coordinates on a grid of `levels` values (many ties
 * and duplicates when levels is small), or continuous when levels = 0. */
static void random_points(gsl_rng *r, double *f, size_t n, size_t m, unsigned levels) {
  for (size_t i = 0; i < n * m; i++) {
    double u = gsl_rng_uniform(r);
    f[i] = levels ? floor(u * levels) : u;
  }
}

/* ---- dominance ------------------------------------------------------------ */

static void test_compare(void **state) {
  (void)state;
  const double a[] = {1, 2}, b[] = {2, 3}, c[] = {1, 3}, d[] = {2, 1};
  assert_int_equal(cet_pareto_compare(a, b, 2), 1);
  assert_int_equal(cet_pareto_compare(b, a, 2), -1);
  assert_int_equal(cet_pareto_compare(a, c, 2), 1); /* tie in f1, better f2 */
  assert_int_equal(cet_pareto_compare(a, d, 2), 0); /* incomparable */
  assert_int_equal(cet_pareto_compare(a, a, 2), 0); /* identical */
  assert_int_equal(cet_pareto_dominates(a, b, 2), 1);
  assert_int_equal(cet_pareto_dominates(a, a, 2), 0);
  assert_int_equal(cet_pareto_dominates(b, a, 2), 0);
}

static void test_constrained_compare(void **state) {
  (void)state;
  const double good[] = {0, 0}, bad[] = {5, 5};
  /* feasible beats infeasible whatever the objectives */
  assert_int_equal(cet_pareto_constrained_compare(bad, 0, good, 0.1, 2), 1);
  assert_int_equal(cet_pareto_constrained_compare(good, 0.1, bad, 0, 2), -1);
  /* both infeasible: smaller violation wins, equal violation ties */
  assert_int_equal(cet_pareto_constrained_compare(bad, 1, good, 2, 2), 1);
  assert_int_equal(cet_pareto_constrained_compare(good, 2, bad, 2, 2), 0);
  /* both feasible: ordinary domination */
  assert_int_equal(cet_pareto_constrained_compare(good, 0, bad, 0, 2), 1);
  assert_int_equal(cet_pareto_constrained_compare(bad, 0, good, 0, 2), -1);
}

/* ---- hand-checked fronts ---------------------------------------------------- */

static void test_hand_2d(void **state) {
  (void)state;
  /* 0:(1,5) 1:(2,3) 2:(4,1) and 6 (a copy of 1) form front 0; 7:(2,3.5) is
   * dominated by 1 only (front 1); 3:(2,5) by 0, 1 and 7 (front 2); 4:(3,4)
   * by 1 and 7 (front 2); 5:(4,4) by 4 (front 3); 8:(5,5) by 5 (front 4). */
  const double f[] = {1, 5, 2, 3, 4, 1, 2, 5, 3, 4, 4, 4, 2, 3, 2, 3.5, 5, 5};
  const size_t expect[] = {0, 0, 0, 2, 2, 3, 0, 1, 4};
  size_t rank[9], nfronts, index[9], count;
  assert_int_equal(cet_pareto_sort(NULL, f, NULL, 9, 2, rank, &nfronts), CET_OK);
  assert_int_equal(nfronts, 5);
  for (size_t i = 0; i < 9; i++) {
    assert_int_equal(rank[i], expect[i]);
  }
  assert_int_equal(cet_pareto_filter(NULL, f, 9, 2, index, &count), CET_OK);
  assert_int_equal(count, 4);
  const size_t front[] = {0, 1, 2, 6};
  for (size_t k = 0; k < 4; k++) {
    assert_int_equal(index[k], front[k]);
  }
}

static void test_hand_3d_ties(void **state) {
  (void)state;
  /* ties in the first objective must not hide domination:
   * 0:(0,1,1) 1:(0,1,2) dominated by 0 (equal f1, f2; worse f3)
   * 2:(0,2,0) non-dominated; 3:(1,1,1) dominated by 0; 4:(0,1,1) = 0;
   * 5:(1,0,3) non-dominated; 6:(1,1,2) dominated by 0, 1, 3 -> front 2 */
  const double f[] = {0, 1, 1, 0, 1, 2, 0, 2, 0, 1, 1, 1, 0, 1, 1, 1, 0, 3, 1, 1, 2};
  const size_t expect[] = {0, 1, 0, 1, 0, 0, 2};
  size_t rank[7], nfronts;
  assert_int_equal(cet_pareto_sort(NULL, f, NULL, 7, 3, rank, &nfronts), CET_OK);
  assert_int_equal(nfronts, 3);
  for (size_t i = 0; i < 7; i++) {
    assert_int_equal(rank[i], expect[i]);
  }
}

static void test_hand_1d_and_4d(void **state) {
  (void)state;
  const double g[] = {3, 1, 2, 1, 3};
  const size_t g_rank[] = {2, 0, 1, 0, 2};
  size_t rank[5], nfronts;
  assert_int_equal(cet_pareto_sort(NULL, g, NULL, 5, 1, rank, &nfronts), CET_OK);
  assert_int_equal(nfronts, 3);
  for (size_t i = 0; i < 5; i++) {
    assert_int_equal(rank[i], g_rank[i]);
  }
  /* 4-D: 0 dominates 2; 1 and 0 incomparable; 3 identical to 1 */
  const double h[] = {0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0};
  const size_t h_rank[] = {0, 0, 1, 0};
  assert_int_equal(cet_pareto_sort(NULL, h, NULL, 4, 4, rank, &nfronts), CET_OK);
  assert_int_equal(nfronts, 2);
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(rank[i], h_rank[i]);
  }
}

static void test_all_identical(void **state) {
  (void)state;
  double f[30];
  for (size_t i = 0; i < 30; i++) {
    f[i] = 7;
  }
  for (size_t m = 1; m <= 5; m++) {
    size_t n = 30 / m, rank[30], index[30], count, nfronts;
    assert_int_equal(cet_pareto_sort(NULL, f, NULL, n, m, rank, &nfronts), CET_OK);
    assert_int_equal(nfronts, 1);
    assert_int_equal(cet_pareto_filter(NULL, f, n, m, index, &count), CET_OK);
    assert_int_equal(count, n);
  }
}

static void test_empty_set(void **state) {
  (void)state;
  size_t count = 99, nfronts = 99;
  assert_int_equal(cet_pareto_filter(NULL, NULL, 0, 3, NULL, &count), CET_OK);
  assert_int_equal(count, 0);
  assert_int_equal(cet_pareto_sort(NULL, NULL, NULL, 0, 3, NULL, &nfronts), CET_OK);
  assert_int_equal(nfronts, 0);
  assert_int_equal(cet_pareto_rank_crowding(NULL, NULL, NULL, 0, 2, NULL, NULL, &nfronts), CET_OK);
  assert_int_equal(nfronts, 0);
}

/* ---- random sets against brute force ------------------------------------- */

static void check_random(gsl_rng *r, cet_pareto_workspace *ws, size_t n, size_t m, unsigned levels,
                         int constrained) {
  double *f = malloc(n * m * sizeof *f), *cv = NULL;
  size_t *rank = malloc(n * sizeof *rank), *expect = malloc(n * sizeof *expect);
  size_t *index = malloc(n * sizeof *index);
  random_points(r, f, n, m, levels);
  if (constrained) {
    cv = malloc(n * sizeof *cv);
    for (size_t i = 0; i < n; i++) {
      double u = gsl_rng_uniform(r);
      cv[i] = u < 0.5 ? 0.0 : floor(u * 6); /* half feasible, tied violations */
    }
  }
  size_t nfronts, count;
  size_t expect_fronts = ref_sort(f, cv, n, m, expect);
  assert_int_equal(cet_pareto_sort(ws, f, cv, n, m, rank, &nfronts), CET_OK);
  assert_int_equal(nfronts, expect_fronts);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(rank[i], expect[i]);
  }
  if (!constrained) {
    assert_int_equal(cet_pareto_filter(ws, f, n, m, index, &count), CET_OK);
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
      if (expect[i] == 0) {
        assert_true(c < count);
        assert_int_equal(index[c], i);
        c++;
      }
    }
    assert_int_equal(c, count);
  }
  free(f);
  free(cv);
  free(rank);
  free(expect);
  free(index);
}

static void test_random_against_brute_force(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  cet_pareto_workspace *ws = NULL;
  assert_int_equal(cet_pareto_workspace_create(&ws), CET_OK);
  const size_t sizes[] = {1, 2, 3, 17, 64, 250};
  const unsigned levels[] = {0, 3, 10};
  for (size_t m = 1; m <= 6; m++) {
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
      for (size_t l = 0; l < 3; l++) {
        for (int rep = 0; rep < 3; rep++) {
          cet_rng_stream(r, 11, m, s * 10 + l, (uint64_t)rep);
          check_random(r, ws, sizes[s], m, levels[l], 0);
          check_random(r, ws, sizes[s], m, levels[l], 1);
          /* the same sets through a temporary workspace */
          check_random(r, NULL, sizes[s], m, levels[l], 0);
        }
      }
    }
  }
  cet_pareto_workspace_destroy(&ws);
  assert_null(ws);
  cet_pareto_workspace_destroy(&ws); /* NULL handle is accepted */
  cet_pareto_workspace_destroy(NULL);
  gsl_rng_free(r);
}

/* Points on a 2-D or 3-D front plus shifted copies: many points per front,
 * the case the staircases and binary searches must get right. */
static void test_layered_fronts(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 5, 5, 5, 5);
  for (size_t m = 2; m <= 4; m++) {
    size_t n = 300;
    double *f = malloc(n * m * sizeof *f);
    size_t *rank = malloc(n * sizeof *rank), *expect = malloc(n * sizeof *expect);
    for (size_t i = 0; i < n; i++) {
      double s = 0;
      for (size_t j = 0; j < m; j++) {
        f[i * m + j] = gsl_rng_uniform_pos(r);
        s += f[i * m + j];
      }
      double layer = (double)(i % 7);
      for (size_t j = 0; j < m; j++) {
        f[i * m + j] = f[i * m + j] / s + layer; /* simplex shifted by layer */
      }
    }
    size_t nfronts;
    size_t expect_fronts = ref_sort(f, NULL, n, m, expect);
    assert_int_equal(cet_pareto_sort(NULL, f, NULL, n, m, rank, &nfronts), CET_OK);
    assert_int_equal(nfronts, expect_fronts);
    assert_int_equal(nfronts, 7);
    for (size_t i = 0; i < n; i++) {
      assert_int_equal(rank[i], expect[i]);
    }
    free(f);
    free(rank);
    free(expect);
  }
  gsl_rng_free(r);
}

/* ---- crowding, order, bounds ------------------------------------------- */

static void test_crowding_hand(void **state) {
  (void)state;
  /* front (0,4) (1,2) (3,1) (4,0): ranges 4 and 4.
   * point 1: (3-0)/4 + (4-1)/4 = 1.5; point 2: (4-1)/4 + (2-0)/4 = 1.25 */
  const double f[] = {3, 1, 0, 4, 4, 0, 1, 2};
  const size_t members[] = {0, 1, 2, 3};
  double d[4];
  assert_int_equal(cet_pareto_crowding(NULL, f, 2, members, 4, d), CET_OK);
  assert_true(fabs(d[0] - 1.25) < 1e-15);
  assert_true(isinf(d[1]) && isinf(d[2]));
  assert_true(fabs(d[3] - 1.5) < 1e-15);
  /* two points: both infinite; a subset of rows */
  const size_t two[] = {3, 0};
  assert_int_equal(cet_pareto_crowding(NULL, f, 2, two, 2, d), CET_OK);
  assert_true(isinf(d[0]) && isinf(d[1]));
  assert_int_equal(cet_pareto_crowding(NULL, f, 2, members, 0, d), CET_OK);
  /* an objective with zero range adds nothing and gives no extremes */
  const double flat[] = {0, 5, 1, 5, 2, 5, 4, 5};
  assert_int_equal(cet_pareto_crowding(NULL, flat, 2, members, 4, d), CET_OK);
  assert_true(isinf(d[0]) && isinf(d[3]));
  assert_true(fabs(d[1] - 0.5) < 1e-15 && fabs(d[2] - 0.75) < 1e-15);
}

static void test_rank_crowding_and_order(void **state) {
  (void)state;
  /* front 0: 0,1,2,3 (the hand front above); front 1: 4:(5,2.5) 5:(4,3)
   * 6:(2,4), where 5 gets (5-2)/3 + (4-2.5)/1.5 = 2 and 4, 6 are extremes */
  const double f[] = {3, 1, 0, 4, 4, 0, 1, 2, 5, 2.5, 4, 3, 2, 4};
  size_t rank[7], order[7], nfronts;
  double d[7];
  assert_int_equal(cet_pareto_rank_crowding(NULL, f, NULL, 7, 2, rank, d, &nfronts), CET_OK);
  assert_int_equal(nfronts, 2);
  assert_true(fabs(d[0] - 1.25) < 1e-15 && fabs(d[3] - 1.5) < 1e-15);
  assert_true(isinf(d[4]) && isinf(d[6]) && fabs(d[5] - 2) < 1e-15);
  assert_int_equal(cet_pareto_order(NULL, rank, d, 7, order), CET_OK);
  /* front 0: the infinite 1 and 2 (by index), then 3 (1.5), then 0 (1.25);
   * front 1: 4 and 6 infinite, then 5 */
  const size_t expect[] = {1, 2, 3, 0, 4, 6, 5};
  for (size_t k = 0; k < 7; k++) {
    assert_int_equal(order[k], expect[k]);
  }
  assert_int_equal(cet_pareto_order(NULL, rank, NULL, 7, order), CET_OK);
  const size_t by_rank[] = {0, 1, 2, 3, 4, 5, 6};
  for (size_t k = 0; k < 7; k++) {
    assert_int_equal(order[k], by_rank[k]);
  }
  assert_int_equal(cet_pareto_order(NULL, NULL, NULL, 0, NULL), CET_OK);
}

/* Reference pruning: recompute the crowding distances of the remaining
 * points from scratch and drop the smallest (ties: the later position). */
static void ref_prune(const double *f, size_t m, const size_t *members, size_t count, size_t keep,
                      int *alive) {
  size_t *left = malloc(count * sizeof *left), *pos = malloc(count * sizeof *pos);
  double *d = malloc(count * sizeof *d);
  for (size_t k = 0; k < count; k++) {
    alive[k] = 1;
  }
  for (size_t remaining = count; remaining > keep; remaining--) {
    size_t c = 0;
    for (size_t k = 0; k < count; k++) {
      if (alive[k]) {
        left[c] = members[k];
        pos[c++] = k;
      }
    }
    assert_int_equal(cet_pareto_crowding(NULL, f, m, left, c, d), CET_OK);
    size_t worst = 0;
    for (size_t t = 1; t < c; t++) {
      if (d[t] <= d[worst]) {
        worst = t;
      }
    }
    alive[pos[worst]] = 0;
  }
  free(left);
  free(pos);
  free(d);
}

static void test_prune(void **state) {
  (void)state;
  /* 2-D front x = 0, 1, 1.1, 2, 3 (y = 3 - x): the crowded pair 1, 1.1 has
   * distances (1.1 - 0)/3 * 2 = 0.733 and (2 - 1)/3 * 2 = 0.667: 1.1 goes */
  const double f[] = {0, 3, 1, 2, 1.1, 1.9, 2, 1, 3, 0};
  const size_t members[] = {0, 1, 2, 3, 4};
  size_t kept[5];
  assert_int_equal(cet_pareto_prune(NULL, f, 2, members, 5, 4, kept), CET_OK);
  const size_t expect[] = {0, 1, 3, 4};
  for (size_t k = 0; k < 4; k++) {
    assert_int_equal(kept[k], expect[k]);
  }
  /* extremes survive down to two points */
  assert_int_equal(cet_pareto_prune(NULL, f, 2, members, 5, 2, kept), CET_OK);
  assert_int_equal(kept[0], 0);
  assert_int_equal(kept[1], 4);
  assert_int_equal(cet_pareto_prune(NULL, f, 2, members, 5, 7, kept), CET_OK);
  assert_int_equal(kept[4], 4);
  assert_int_equal(cet_pareto_prune(NULL, f, 2, members, 0, 2, kept), CET_OK);

  /* random fronts (with ties) against the from-scratch reference */
  gsl_rng *r = cet_rng_alloc();
  cet_pareto_workspace *ws = NULL;
  assert_int_equal(cet_pareto_workspace_create(&ws), CET_OK);
  for (size_t m = 2; m <= 4; m++) {
    for (int rep = 0; rep < 4; rep++) {
      size_t n = 60;
      double *g = malloc(n * m * sizeof *g);
      size_t *all = malloc(n * sizeof *all), *got = malloc(n * sizeof *got);
      int *alive = malloc(n * sizeof *alive);
      cet_rng_stream(r, 17, m, (uint64_t)rep, 0);
      for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < m; j++) {
          g[i * m + j] = rep % 2 ? floor(gsl_rng_uniform(r) * 8) + 1 : gsl_rng_uniform_pos(r);
          s += g[i * m + j];
        }
        for (size_t j = 0; j < m; j++) {
          g[i * m + j] /= s;
        }
        all[i] = n - 1 - i; /* members in another order than the rows */
      }
      size_t keep = 2 * m + (size_t)rep * 7;
      ref_prune(g, m, all, n, keep, alive);
      assert_int_equal(cet_pareto_prune(ws, g, m, all, n, keep, got), CET_OK);
      size_t c = 0;
      for (size_t k = 0; k < n; k++) {
        if (alive[k]) {
          assert_int_equal(got[c], k);
          c++;
        }
      }
      assert_int_equal(c, keep);
      free(g);
      free(all);
      free(got);
      free(alive);
    }
  }
  cet_pareto_workspace_destroy(&ws);
  gsl_rng_free(r);
  const double bad[] = {0, NAN};
  assert_int_equal(cet_pareto_prune(NULL, f, 0, members, 5, 2, kept), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_prune(NULL, NULL, 2, members, 5, 2, kept), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_prune(NULL, bad, 2, members, 1, 0, kept), CET_OK);
  assert_int_equal(cet_pareto_prune(NULL, bad, 2, members, 1, 1, kept), CET_ERR_INPUT);
  cet_error_clear();
}

static void test_bounds(void **state) {
  (void)state;
  const double f[] = {1, 9, 3, 4, 2, 0, 5, 1, -1};
  double u[3], v[3];
  assert_int_equal(cet_pareto_bounds(f, 3, 3, u, v), CET_OK);
  assert_true(u[0] == 1 && u[1] == 1 && u[2] == -1);
  assert_true(v[0] == 5 && v[1] == 9 && v[2] == 3);
  assert_int_equal(cet_pareto_bounds(f, 3, 3, NULL, v), CET_OK);
  assert_int_equal(cet_pareto_bounds(f, 3, 3, u, NULL), CET_OK);
}

static void test_infinities(void **state) {
  (void)state;
  const double f[] = {-INFINITY, 5, 0, 0, 1, INFINITY, 2, -1};
  size_t rank[4], nfronts;
  double d[4];
  assert_int_equal(cet_pareto_rank_crowding(NULL, f, NULL, 4, 2, rank, d, &nfronts), CET_OK);
  size_t expect[4];
  ref_sort(f, NULL, 4, 2, expect);
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(rank[i], expect[i]);
    assert_false(isnan(d[i]));
  }
}

/* ---- error paths ------------------------------------------------------------ */

static void test_errors(void **state) {
  (void)state;
  const double f[] = {1, 2, NAN, 1};
  const double cv_bad[] = {0, -1};
  size_t rank[2], index[2], count, order[2];
  double d[2], u[2];
  const size_t members[] = {0, 1};
  cet_error_clear();
  assert_int_equal(cet_pareto_filter(NULL, f, 1, 0, index, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "m = 0"));
  cet_error_clear();
  assert_int_equal(cet_pareto_filter(NULL, NULL, 2, 2, index, &count), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_filter(NULL, f, 2, 2, NULL, &count), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_filter(NULL, f, 2, 2, index, NULL), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_pareto_filter(NULL, f, 2, 2, index, &count), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "NaN"));
  assert_int_equal(cet_pareto_sort(NULL, f, NULL, 2, 2, rank, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_sort(NULL, f, NULL, 1, 2, NULL, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_sort(NULL, f, NULL, 1, 0, rank, NULL), CET_ERR_INPUT);
  cet_error_clear();
  assert_int_equal(cet_pareto_sort(NULL, f, cv_bad, 1, 2, rank, NULL), CET_OK);
  const double g[] = {1, 2, 2, 1};
  assert_int_equal(cet_pareto_sort(NULL, g, cv_bad, 2, 2, rank, NULL), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), ">= 0"));
  const double cv_nan[] = {0, NAN};
  assert_int_equal(cet_pareto_sort(NULL, g, cv_nan, 2, 2, rank, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_rank_crowding(NULL, g, NULL, 2, 2, NULL, d, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_rank_crowding(NULL, f, NULL, 2, 2, rank, d, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_crowding(NULL, g, 0, members, 2, d), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_crowding(NULL, NULL, 2, members, 2, d), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_crowding(NULL, f, 2, members, 2, d), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_order(NULL, NULL, NULL, 2, order), CET_ERR_INPUT);
  const size_t r2[] = {0, 0};
  const double d_nan[] = {0, NAN};
  assert_int_equal(cet_pareto_order(NULL, r2, d_nan, 2, order), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_bounds(g, 0, 2, u, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_bounds(g, 2, 0, u, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_bounds(NULL, 2, 2, u, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_bounds(f, 2, 2, u, NULL), CET_ERR_INPUT);
  assert_int_equal(cet_pareto_workspace_create(NULL), CET_ERR_INPUT);
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compare),
      cmocka_unit_test(test_constrained_compare),
      cmocka_unit_test(test_hand_2d),
      cmocka_unit_test(test_hand_3d_ties),
      cmocka_unit_test(test_hand_1d_and_4d),
      cmocka_unit_test(test_all_identical),
      cmocka_unit_test(test_empty_set),
      cmocka_unit_test(test_random_against_brute_force),
      cmocka_unit_test(test_layered_fronts),
      cmocka_unit_test(test_crowding_hand),
      cmocka_unit_test(test_rank_crowding_and_order),
      cmocka_unit_test(test_prune),
      cmocka_unit_test(test_bounds),
      cmocka_unit_test(test_infinities),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
