/*
 * test_morris.c — unit tests of morris.h: the trajectory design (every
 * point on the grid, each step moves exactly the members of one group by
 * the same +-Delta, every group once per trajectory) and the radial design
 * (each point differs from the base in one factor, base and auxiliary the
 * halves of a scrambled Sobol' point); the effects of a linear model are
 * its coefficients (a group's the sum of its members'), with sigma 0; a
 * model with an interaction and an idle factor ranks as it must; the
 * selection for spread reaches the exhaustive optimum on small instances
 * and nearly on larger ones; the interval on mu* equals a hand
 * computation from the keyed bootstrap counts; every invalid plan, output
 * and request is rejected with a message.
 */
#include "cetwin/bootstrap.h"
#include "cetwin/error.h"
#include "cetwin/morris.h"
#include "cetwin/rng.h"
#include "cetwin/sobolseq.h"

#include "test_support.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static cet_morris_parameters plan(size_t k, size_t r, uint64_t seed) {
  cet_morris_parameters p = cet_morris_default_parameters();
  p.factors = k;
  p.trajectories = r;
  p.seed = seed;
  return p;
}

static cet_morris_design *design(const cet_morris_parameters *p) {
  cet_morris_design *d = NULL;
  assert_int_equal(cet_morris_design_create(&d, p), CET_OK);
  return d;
}

/* Checks the trajectories of a design on a p-level grid. */
static void check_trajectories(const cet_morris_design *d) {
  const cet_morris_parameters *p = cet_morris_design_parameters(d);
  size_t k = p->factors, g = p->groups, r = p->trajectories, levels = p->levels;
  double delta = (double)(levels / 2) / (double)(levels - 1);
  const double *x = cet_morris_design_matrix(d);
  assert_int_equal(cet_morris_design_points(d), r * (g + 1));
  for (size_t t = 0; t < r; t++) {
    const double *traj = x + t * (g + 1) * k;
    for (size_t i = 0; i < (g + 1) * k; i++) {
      double level = traj[i] * (double)(levels - 1);
      assert_true(traj[i] >= 0.0 && traj[i] <= 1.0);
      assert_true(fabs(level - round(level)) < 1e-12);
    }
    int moved[64] = {0};
    for (size_t s = 1; s <= g; s++) {
      size_t i = cet_morris_design_moved(d, t, s);
      double step = cet_morris_design_step(d, t, s);
      assert_true(i < g && fabs(fabs(step) - delta) < 1e-15);
      moved[i]++;
      for (size_t f = 0; f < k; f++) {
        double change = traj[s * k + f] - traj[(s - 1) * k + f];
        if (p->group_of[f] == i) {
          assert_true(fabs(change - step) < 1e-12); /* every member, the same way */
        } else {
          assert_true(change == 0.0);
        }
      }
    }
    for (size_t i = 0; i < g; i++) {
      assert_int_equal(moved[i], 1);
    }
  }
}

static void test_trajectory_design(void **state) {
  (void)state;
  cet_morris_parameters p = plan(6, 8, 5);
  const size_t group_of[6] = {0, 0, 1, 2, 2, 3};
  p.groups = 4;
  p.group_of = group_of;
  static const size_t levels[] = {4, 2, 6, 10};
  for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
    p.levels = levels[l];
    cet_morris_design *d = design(&p);
    check_trajectories(d);
    cet_morris_design_destroy(&d);
    assert_null(d);
  }
  /* one group per factor by default; the same seed, the same design */
  p = plan(5, 7, 11);
  cet_morris_design *a = design(&p), *b = design(&p);
  check_trajectories(a);
  assert_memory_equal(cet_morris_design_matrix(a), cet_morris_design_matrix(b),
                      7 * 6 * 5 * sizeof(double));
  p.seed = 12;
  cet_morris_design *c = design(&p);
  assert_true(memcmp(cet_morris_design_matrix(a), cet_morris_design_matrix(c),
                     7 * 6 * 5 * sizeof(double)) != 0);
  /* the levels of every factor are used in both directions */
  int up = 0, down = 0;
  for (size_t t = 0; t < 7; t++) {
    for (size_t s = 1; s <= 5; s++) {
      up += cet_morris_design_step(a, t, s) > 0;
      down += cet_morris_design_step(a, t, s) < 0;
    }
    assert_int_equal(cet_morris_design_candidate(a, t), t);
  }
  assert_true(up > 5 && down > 5);
  cet_morris_design_destroy(&a);
  cet_morris_design_destroy(&b);
  cet_morris_design_destroy(&c);
  cet_morris_design_destroy(NULL);
}

static void test_radial_design(void **state) {
  (void)state;
  enum { K = 5, R = 6 };
  cet_morris_parameters p = plan(K, R, 21);
  p.radial = 1;
  cet_morris_design *d = design(&p);
  cet_sobolseq *seq = NULL;
  assert_int_equal(cet_sobolseq_create(&seq, 2 * K, 1, 21), CET_OK);
  const double *x = cet_morris_design_matrix(d);
  for (size_t t = 0; t < R; t++) {
    double ab[2 * K];
    assert_int_equal(cet_sobolseq_point(seq, t, ab), CET_OK);
    const double *traj = x + t * (K + 1) * K;
    assert_memory_equal(traj, ab, K * sizeof(double));
    for (size_t s = 1; s <= K; s++) {
      size_t f = cet_morris_design_moved(d, t, s);
      assert_int_equal(f, s - 1);
      for (size_t j = 0; j < K; j++) {
        assert_true(traj[s * K + j] == (j == f ? ab[K + f] : ab[j]));
      }
      assert_true(cet_morris_design_step(d, t, s) == ab[K + f] - ab[f]);
    }
  }
  assert_true(cet_morris_design_spread(d) > 0.0);
  cet_sobolseq_destroy(&seq);
  cet_morris_design_destroy(&d);
}

/* y = sum a_i x_i at every point. */
static void linear(const cet_morris_design *d, const double *a, size_t k, double *y) {
  const double *x = cet_morris_design_matrix(d);
  for (size_t i = 0; i < cet_morris_design_points(d); i++) {
    y[2 * i] = 0.0;
    for (size_t f = 0; f < k; f++) {
      y[2 * i] += a[f] * x[i * k + f];
    }
    y[2 * i + 1] = -2.0 * y[2 * i]; /* a second output */
  }
}

static void test_linear_model(void **state) {
  (void)state;
  enum { K = 5, R = 12 };
  const double a[K] = {2.0, -3.0, 0.5, 0.0, 7.0};
  double y[2 * R * (K + 1)], ee[R * K * 2];
  for (int radial = 0; radial <= 1; radial++) {
    cet_morris_parameters p = plan(K, R, 3);
    p.radial = radial;
    cet_morris_design *d = design(&p);
    linear(d, a, K, y);
    assert_int_equal(cet_morris_effects(d, y, 2, ee), CET_OK);
    /* exact but for the rounding of y (about 1e-15) over the step (which
     * the radial design may make small) */
    for (size_t t = 0; t < R; t++) {
      for (size_t s = 1; s <= K; s++) {
        size_t i = cet_morris_design_moved(d, t, s);
        double tolerance = 1e-14 / fabs(cet_morris_design_step(d, t, s));
        assert_true(fabs(ee[(t * K + i) * 2] - a[i]) < tolerance);
        assert_true(fabs(ee[(t * K + i) * 2 + 1] + 2.0 * a[i]) < 2.0 * tolerance);
      }
    }
    double mu[K], mu_star[K], sigma[K], conf[K];
    assert_int_equal(cet_morris_statistics(d, ee, 2, 0, 0.95, mu, mu_star, sigma, conf), CET_OK);
    for (size_t i = 0; i < K; i++) {
      assert_true(fabs(mu[i] - a[i]) < 1e-9 && fabs(mu_star[i] - fabs(a[i])) < 1e-9);
      assert_true(sigma[i] < 1e-9 && conf[i] < 1e-9);
    }
    assert_int_equal(cet_morris_statistics(d, ee, 2, 1, 0.9, mu, NULL, NULL, NULL), CET_OK);
    assert_true(fabs(mu[4] + 14.0) < 1e-12);
    cet_morris_design_destroy(&d);
  }
  /* groups {0, 2}, {1}, {3, 4}: a group's effect is the sum of its
   * members' coefficients (they move together, the same way) */
  cet_morris_parameters p = plan(K, R, 4);
  const size_t group_of[K] = {0, 1, 0, 2, 2};
  p.groups = 3;
  p.group_of = group_of;
  cet_morris_design *d = design(&p);
  linear(d, a, K, y);
  assert_int_equal(cet_morris_effects(d, y, 2, ee), CET_OK);
  double mu[3];
  assert_int_equal(cet_morris_statistics(d, ee, 2, 0, 0.95, mu, NULL, NULL, NULL), CET_OK);
  assert_true(fabs(mu[0] - 2.5) < 1e-12 && fabs(mu[1] + 3.0) < 1e-12 && fabs(mu[2] - 7.0) < 1e-12);
  cet_morris_design_destroy(&d);
}

/* y = x0 + x1 x2 (+ 0 x3): x0 linear (mu = mu* = 1, sigma 0), x1 and x2
 * interact (sigma > 0, mu* about 1/2), x3 idle (everything 0). */
static void test_interaction_and_idle_factor(void **state) {
  (void)state;
  enum { K = 4, R = 30 };
  cet_morris_parameters p = plan(K, R, 8);
  p.candidates = 60;
  cet_morris_design *d = design(&p);
  const double *x = cet_morris_design_matrix(d);
  double y[R * (K + 1)], ee[R * K];
  for (size_t i = 0; i < R * (K + 1); i++) {
    y[i] = x[i * K] + x[i * K + 1] * x[i * K + 2];
  }
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_OK);
  double mu[K], mu_star[K], sigma[K];
  assert_int_equal(cet_morris_statistics(d, ee, 1, 0, 0.95, mu, mu_star, sigma, NULL), CET_OK);
  assert_true(fabs(mu[0] - 1.0) < 1e-12 && sigma[0] < 1e-12);
  assert_true(mu_star[3] == 0.0 && sigma[3] == 0.0 && mu[3] == 0.0);
  assert_true(sigma[1] > 0.1 && sigma[2] > 0.1);
  assert_true(mu_star[0] > mu_star[1] && mu_star[0] > mu_star[2]);
  assert_true(mu_star[1] > 0.25 && mu_star[2] > 0.25 && mu_star[1] < 0.75 && mu_star[2] < 0.75);
  cet_morris_design_destroy(&d);
}

/* The spread of the chosen trajectories: the heuristic against the
 * exhaustive search on the same candidates; the chosen trajectories are
 * the candidates'; the spread is that of the points. */
static double selected_spread(size_t m, size_t r, uint64_t seed, uint64_t limit,
                              cet_morris_design **out) {
  cet_morris_parameters p = plan(4, r, seed);
  p.candidates = m;
  p.brute_force_limit = limit;
  cet_morris_design *d = design(&p);
  double spread = cet_morris_design_spread(d);
  if (out) {
    *out = d;
  } else {
    cet_morris_design_destroy(&d);
  }
  return spread;
}

static void test_selection(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    double exact = selected_spread(12, 4, seed, 1000, NULL);
    double heuristic = selected_spread(12, 4, seed, 0, NULL);
    assert_true(fabs(heuristic - exact) <= 1e-12 * exact);
    double few = selected_spread(9, 3, seed, 1000, NULL);
    assert_true(fabs(selected_spread(9, 3, seed, 0, NULL) - few) <= 1e-12 * few);
  }
  /* larger: C(30, 6) = 593775 combinations; the search documents reaching
   * the optimum, the test asks for 99.5 % of it */
  for (uint64_t seed = 1; seed <= 2; seed++) {
    double exact = selected_spread(30, 6, seed, 1000000, NULL);
    double heuristic = selected_spread(30, 6, seed, 0, NULL);
    assert_true(heuristic <= exact * (1 + 1e-12) && heuristic > 0.995 * exact);
  }
  /* the chosen trajectories are candidates, kept in candidate order; the
   * selection spreads them more than the first r candidates */
  cet_morris_design *chosen = NULL;
  double spread = selected_spread(20, 5, 9, 0, &chosen);
  cet_morris_parameters p = plan(4, 20, 9);
  cet_morris_design *all = design(&p);
  const double *x = cet_morris_design_matrix(chosen), *y = cet_morris_design_matrix(all);
  for (size_t t = 0; t < 5; t++) {
    size_t c = cet_morris_design_candidate(chosen, t);
    assert_true(t == 0 || c > cet_morris_design_candidate(chosen, t - 1));
    assert_memory_equal(x + t * 5 * 4, y + c * 5 * 4, 5 * 4 * sizeof(double));
  }
  p.trajectories = 5;
  cet_morris_design *first = design(&p);
  assert_true(spread > cet_morris_design_spread(first));
  /* D from the points themselves */
  double sum = 0.0;
  for (size_t a = 0; a < 5; a++) {
    for (size_t b = a + 1; b < 5; b++) {
      double dist = 0.0;
      for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 5; j++) {
          double sq = 0.0;
          for (size_t f = 0; f < 4; f++) {
            double diff = x[(a * 5 + i) * 4 + f] - x[(b * 5 + j) * 4 + f];
            sq += diff * diff;
          }
          dist += sqrt(sq);
        }
      }
      sum += dist * dist;
    }
  }
  assert_true(fabs(sqrt(sum) - spread) < 1e-12 * spread);
  cet_morris_design_destroy(&chosen);
  cet_morris_design_destroy(&all);
  cet_morris_design_destroy(&first);
}

/* The interval on mu*: z times the sd of mu* over the keyed resamples. */
static void test_mu_star_interval(void **state) {
  (void)state;
  enum { K = 3, R = 9, B = 50 };
  cet_morris_parameters p = plan(K, R, 77);
  p.resamples = B;
  cet_morris_design *d = design(&p);
  const double *x = cet_morris_design_matrix(d);
  double y[R * (K + 1)], ee[R * K];
  for (size_t i = 0; i < R * (K + 1); i++) {
    y[i] = sin(5.0 * x[i * K]) * exp(x[i * K + 1]) + x[i * K + 2] * x[i * K + 2];
  }
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_OK);
  double conf[K], mu_star[K];
  assert_int_equal(cet_morris_statistics(d, ee, 1, 0, 0.8, NULL, mu_star, NULL, conf), CET_OK);
  cet_bootstrap_plan boot = {77, cet_rng_purpose("morris.bootstrap"), R, R};
  gsl_rng *rng = cet_rng_alloc();
  double values[B][K];
  for (size_t b = 0; b < B; b++) {
    uint32_t counts[R];
    assert_int_equal(cet_bootstrap_block_counts(&boot, rng, b, 0, counts), CET_OK);
    for (size_t i = 0; i < K; i++) {
      values[b][i] = 0.0;
      for (size_t t = 0; t < R; t++) {
        values[b][i] += counts[t] * fabs(ee[t * K + i]) / R;
      }
    }
  }
  gsl_rng_free(rng);
  double z = gsl_cdf_ugaussian_Pinv(0.9);
  for (size_t i = 0; i < K; i++) {
    double mean = 0.0, dev = 0.0;
    for (size_t b = 0; b < B; b++) {
      mean += values[b][i] / B;
    }
    for (size_t b = 0; b < B; b++) {
      dev += (values[b][i] - mean) * (values[b][i] - mean);
    }
    assert_true(fabs(conf[i] - z * sqrt(dev / (B - 1))) < 1e-12 * conf[i]);
    assert_true(conf[i] > 0.0 && conf[i] < mu_star[i]);
  }
  /* no resamples, or one trajectory: NaN */
  cet_morris_design_destroy(&d);
  p.resamples = 0;
  p.trajectories = 1;
  d = design(&p);
  double sigma[K];
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_OK);
  assert_int_equal(cet_morris_statistics(d, ee, 1, 0, 0.8, NULL, NULL, sigma, conf), CET_OK);
  assert_true(isnan(conf[0]) && isnan(sigma[0]));
  cet_morris_design_destroy(&d);
}

static void expect_invalid(const cet_morris_parameters *p, const char *fragment) {
  cet_morris_design *d = (cet_morris_design *)(void *)&d;
  assert_int_equal(cet_morris_design_create(&d, p), CET_ERR_INPUT);
  assert_null(d);
  cet_test_expect_message(fragment, NULL);
}

static void test_errors(void **state) {
  (void)state;
  cet_morris_parameters p = cet_morris_default_parameters();
  assert_int_equal(p.levels, 4);
  assert_int_equal(p.trajectories, 10);
  assert_int_equal(p.resamples, 1000);
  expect_invalid(&p, "Morris: expected at least one factor");
  p.factors = 3;
  p.groups = 2;
  expect_invalid(&p, "Morris: 2 groups of 3 factors need the group of each factor");
  const size_t group_of[3] = {0, 2, 0};
  p.group_of = group_of;
  expect_invalid(&p, "Morris: factor 1 is in group 2, expected a group below 2");
  p.groups = 4;
  expect_invalid(&p, "Morris: group 1 has no factor");
  p.groups = 3;
  p.trajectories = 0;
  const size_t ok_groups[3] = {0, 2, 1};
  p.group_of = ok_groups;
  expect_invalid(&p, "Morris: expected at least one trajectory");
  p.trajectories = 5;
  p.candidates = 4;
  expect_invalid(&p, "Morris: 4 candidates cannot give 5 trajectories");
  p.candidates = 0;
  p.levels = 5;
  expect_invalid(&p, "Morris: expected an even number of levels >= 2, found 5");
  p.levels = 0;
  expect_invalid(&p, "found 0");
  p.levels = 4;
  p.radial = 1;
  expect_invalid(&p, "the radial design moves one factor at a time");
  p.group_of = NULL;
  p.groups = 0;
  p.candidates = 10;
  expect_invalid(&p, "the selection among candidates applies to the trajectory design");
  p.candidates = 0;
  p.factors = 1834;
  expect_invalid(&p, "the radial design takes at most 1833 factors, found 1834");

  p = plan(2, 2, 1);
  cet_morris_design *d = design(&p);
  double y[6] = {1, 2, 3, 4, 5, 6}, ee[4];
  assert_int_equal(cet_morris_effects(d, y, 0, ee), CET_ERR_INPUT);
  cet_test_expect_message("Morris: expected at least one output", NULL);
  y[4] = NAN;
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_ERR_INPUT);
  cet_test_expect_message("Morris: output 0 of point 4 (trajectory 1, step 1) is not finite (nan)",
                          NULL);
  y[4] = 5.0;
  assert_int_equal(cet_morris_effects(d, y, 1, ee), CET_OK);
  double mu[2];
  assert_int_equal(cet_morris_statistics(d, ee, 1, 1, 0.95, mu, NULL, NULL, NULL), CET_ERR_INPUT);
  cet_test_expect_message("Morris: output 1 of 1 asked", NULL);
  assert_int_equal(cet_morris_statistics(d, ee, 1, 0, 0.0, mu, NULL, NULL, NULL), CET_ERR_INPUT);
  cet_test_expect_message("Morris: the confidence level must lie in (0, 1), found 0", NULL);
  cet_morris_design_destroy(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trajectory_design),
      cmocka_unit_test(test_radial_design),
      cmocka_unit_test(test_linear_model),
      cmocka_unit_test(test_interaction_and_idle_factor),
      cmocka_unit_test(test_selection),
      cmocka_unit_test(test_mu_star_interval),
      cmocka_unit_test(test_errors),
  };
  cet_error_install_gsl_handler();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
