/*
 * test_reconcile.c — unit tests of reconcile.h and its reader: the linear
 * closed form of one node with three measured streams (worked by hand),
 * the bilinear case (totals and fractions) converging to a consistent
 * state and closing every balance, a planted gross error named and set
 * aside, the coverage of the reported standard deviations and the
 * distribution of the chi-square over noisy measurements of a known state,
 * the classification of measurements (redundant or not) and flows
 * (observable or not) on a small network, and every error of the
 * `reconcile:` section and its CSV file with its place.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/reconcile.h"
#include "cetwin/twin.h"
#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* One splitter: feed.out = node.b + node.c, one component. */
static const char *const ONE_NODE =
    "analysis: reconcile\n"
    "components: [A]\n"
    "network:\n"
    "  units:\n"
    "    feed: {type: feed, flow: 100, composition: {A: 1}}\n"
    "    node: {type: splitter, outlets: [b, c], fractions: [0.6, 0.4]}\n"
    "    market: {type: sink, kind: market}\n"
    "    dump: {type: sink, kind: landfill}\n"
    "  streams:\n"
    "    - {from: feed, to: node}\n"
    "    - {from: node.b, to: market}\n"
    "    - {from: node.c, to: dump}\n"
    "reconcile:\n"
    "  measurements:\n"
    "    - {stream: feed.out, quantity: total, value: 100, sd: 2}\n"
    "    - {stream: node.b, quantity: total, value: 60, sd: 1}\n"
    "    - {stream: node.c, quantity: flow.A, value: 35, sd: 1}\n";

/* Two feeds mixed and separated, two components; the twin's feeds are 100
 * and 50 t/a, the measurements (MEASURED) another state. */
static const char *const TWO_FEEDS =
    "analysis: reconcile\n"
    "components: [A, B]\n"
    "network:\n"
    "  units:\n"
    "    f1: {type: feed, flow: 100, composition: {A: 0.5, B: 0.5}}\n"
    "    f2: {type: feed, flow: 50, composition: {A: 0.2, B: 0.8}}\n"
    "    mix: {type: mixer}\n"
    "    sep: {type: process, split: {A: {p: 0.9, r: 0.1}, B: {p: 0.2, r: 0.8}}}\n"
    "    market: {type: sink, kind: market}\n"
    "    dump: {type: sink, kind: landfill}\n"
    "  streams:\n"
    "    - {from: f1, to: mix}\n"
    "    - {from: f2, to: mix}\n"
    "    - {from: mix, to: sep}\n"
    "    - {from: sep.p, to: market}\n"
    "    - {from: sep.r, to: dump}\n"
    "reconcile:\n"
    "  measurements:\n";

/* Streams of TWO_FEEDS in edge order: f1.out, f2.out, mix.out, sep.p, sep.r. */
enum { F1, F2, MIX, SEP_P, SEP_R, TWO_FEEDS_STREAMS };

static cet_case *load_ok(const char *name, const char *text) {
  cet_case *c = cet_test_load_ok(cet_test_write(name, text));
  assert_non_null(c->reconcile);
  return c;
}

/* Reconciles c from its twin's steady state. */
static int run(const cet_case *c, cet_reconcile_result **r) { return cet_test_reconcile(c, r); }

static cet_reconcile_result *run_ok(const cet_case *c) { return cet_test_reconcile_ok(c); }

static void near(double x, double want, double tol) {
  if (!(fabs(x - want) <= tol)) {
    fprintf(stderr, "got %.15g, expected %.15g (+- %g)\n", x, want, tol);
  }
  assert_true(fabs(x - want) <= tol);
}

/* One node, r = 100 - 60 - 35 = 5 spread in proportion to the variances
 * (4, 1, 1; sum 6): x = y -+ s^2 r / 6. Covariance Sigma - Sigma a a^T
 * Sigma / 6; chi-square r^2 / 6 on one degree of freedom; every
 * normalised adjustment is r / sqrt(6). */
static void test_linear_closed_form(void **state) {
  (void)state;
  cet_case *c = load_ok("one_node.yaml", ONE_NODE);
  cet_reconcile_result *r = run_ok(c);
  assert_int_equal(r->linear, 1);
  assert_int_equal(r->iterations, 1);
  near(r->reconciled[0], 100.0 - 4.0 * 5.0 / 6.0, 1e-10);
  near(r->reconciled[1], 60.0 + 5.0 / 6.0, 1e-10);
  near(r->reconciled[2], 35.0 + 5.0 / 6.0, 1e-10);
  near(r->reconciled_sd[0], sqrt(4.0 - 16.0 / 6.0), 1e-12);
  near(r->reconciled_sd[1], sqrt(1.0 - 1.0 / 6.0), 1e-12);
  near(r->reconciled_sd[2], sqrt(1.0 - 1.0 / 6.0), 1e-12);
  near(r->adjustment[0], 4.0 * 5.0 / 6.0, 1e-10);
  assert_int_equal(r->rank, 2);
  assert_int_equal(r->dof, 1);
  near(r->chi_square, 25.0 / 6.0, 1e-10);
  near(r->chi_critical, 3.841458820694124, 1e-9);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(r->redundant[i], 1);
    near(fabs(r->normalised[i]), 5.0 / sqrt(6.0), 1e-10);
  }
  near(r->normalised[0], 5.0 / sqrt(6.0), 1e-10);
  /* Sidak over 3: 1 - 0.95^(1/3) two-sided */
  near(r->z_critical, 2.387728, 1e-5);
  assert_int_equal(r->culprit, -1);
  /* streams: the totals are the reconciled measurements */
  near(r->total[0], r->reconciled[0], 1e-12);
  near(r->flow[2], r->reconciled[2], 1e-12);
  near(r->total_sd[1], r->reconciled_sd[1], 1e-12);
  assert_true(r->total_observable[0] && r->total_observable[1] && r->total_observable[2]);
  cet_reconcile_result_destroy(&r);
  cet_case_destroy(&c);
}

/* The measurements of a state the twin does not start at (f1 = 130 t/a of
 * 40 % A, f2 = 40 t/a of 25 % A, the separator's splits as the twin's):
 * consistent, so the iteration must end on it with chi-square 0. */
static void test_bilinear_converges(void **state) {
  (void)state;
  double f1a = 52, f1b = 78, f2a = 10, f2b = 30;
  double ma = f1a + f2a, mb = f1b + f2b;
  double pa = 0.9 * ma, pb = 0.2 * mb, ra = 0.1 * ma, rb = 0.8 * mb;
  char text[4096];
  snprintf(text, sizeof text,
           "%s"
           "    - {stream: f1.out, quantity: total, value: %.17g, sd: 2%%}\n"
           "    - {stream: f1.out, quantity: fraction.A, value: %.17g, sd: 0.01}\n"
           "    - {stream: f2.out, quantity: total, value: %.17g, sd: 2%%}\n"
           "    - {stream: f2.out, quantity: fraction.A, value: %.17g, sd: 0.01}\n"
           "    - {stream: mix.out, quantity: fraction.A, value: %.17g, sd: 0.01}\n"
           "    - {stream: sep.p, quantity: total, value: %.17g, sd: 2%%}\n"
           "    - {stream: sep.p, quantity: fraction.A, value: %.17g, sd: 0.01}\n"
           "    - {stream: sep.r, quantity: fraction.B, value: %.17g, sd: 0.01}\n",
           TWO_FEEDS, f1a + f1b, f1a / (f1a + f1b), f2a + f2b, f2a / (f2a + f2b), ma / (ma + mb),
           pa + pb, pa / (pa + pb), rb / (ra + rb));
  cet_case *c = load_ok("bilinear.yaml", text);
  cet_reconcile_result *r = run_ok(c);
  assert_int_equal(r->linear, 0);
  assert_true(r->iterations > 2);
  near(r->chi_square, 0.0, 1e-16);
  const double want[TWO_FEEDS_STREAMS][2] = {{f1a, f1b}, {f2a, f2b}, {ma, mb}, {pa, pb}, {ra, rb}};
  for (size_t e = 0; e < TWO_FEEDS_STREAMS; e++) {
    for (size_t k = 0; k < 2; k++) {
      assert_true(r->flow_observable[e * 2 + k]);
      near(r->flow[e * 2 + k], want[e][k], 1e-8);
    }
  }
  cet_reconcile_result_destroy(&r);
  /* too few steps allowed: a runtime error that says so */
  c->reconcile->max_iterations = 1;
  assert_int_equal(run(c, &r), CET_ERR_RUNTIME);
  assert_null(r);
  cet_test_expect_message("did not converge in 1 steps", "reconcile.max_iterations", NULL);
  cet_case_destroy(&c);
}

/* Measurements with noise of both totals and fractions of every stream,
 * and one planted gross error (sep.p reads 80 for about 70). */
static const char *const NOISY =
    "    - {stream: f1.out, quantity: total, value: 102, sd: 2%}\n"
    "    - {stream: f1.out, quantity: fraction.A, value: 0.49, sd: 0.01}\n"
    "    - {stream: f2.out, quantity: total, value: 49, sd: 2%}\n"
    "    - {stream: f2.out, quantity: fraction.A, value: 0.21, sd: 0.01}\n"
    "    - {stream: mix.out, quantity: total, value: 148, sd: 2%}\n"
    "    - {stream: mix.out, quantity: fraction.A, value: 0.40, sd: 0.01}\n"
    "    - {stream: sep.p, quantity: total, value: 80, sd: 2%}\n"
    "    - {stream: sep.p, quantity: fraction.A, value: 0.78, sd: 0.01}\n"
    "    - {stream: sep.r, quantity: total, value: 79, sd: 2%}\n"
    "    - {stream: sep.r, quantity: fraction.A, value: 0.08, sd: 0.01}\n";
enum { PLANTED = 6 };

/* Balances of r's flows around mix and sep, per component. */
static void assert_balanced(const cet_reconcile_result *r) {
  for (size_t k = 0; k < 2; k++) {
    const double *f = r->flow;
    near(f[F1 * 2 + k] + f[F2 * 2 + k], f[MIX * 2 + k], 1e-9 * f[MIX * 2 + k]);
    near(f[SEP_P * 2 + k] + f[SEP_R * 2 + k], f[MIX * 2 + k], 1e-9 * f[MIX * 2 + k]);
  }
}

static void test_gross_error(void **state) {
  (void)state;
  char text[4096];
  snprintf(text, sizeof text, "%s%s", TWO_FEEDS, NOISY);
  cet_case *c = load_ok("gross.yaml", text);
  cet_reconcile_result *r = run_ok(c);
  assert_balanced(r);
  assert_int_equal(r->dof, 4);
  assert_true(r->chi_square > r->chi_critical);
  assert_int_equal(r->culprit, PLANTED);
  assert_true(fabs(r->normalised[PLANTED]) > r->z_critical);
  for (size_t i = 0; i < c->reconcile->n; i++) {
    assert_true(i == PLANTED || fabs(r->normalised[i]) < fabs(r->normalised[PLANTED]));
  }
  double statistic = r->normalised[PLANTED];
  cet_reconcile_result_destroy(&r);
  /* set aside: the rest passes, and the estimate of sep.p is near 70 */
  c->reconcile->drop_gross_errors = 1;
  r = run_ok(c);
  assert_balanced(r);
  assert_int_equal(r->n_dropped, 1);
  assert_int_equal(r->dropped[0], PLANTED);
  near(r->dropped_statistic[0], statistic, 1e-12);
  assert_int_equal(r->used[PLANTED], 0);
  assert_true(isnan(r->normalised[PLANTED]));
  assert_int_equal(r->culprit, -1);
  assert_int_equal(r->dof, 3);
  assert_true(r->chi_square < r->chi_critical);
  near(r->reconciled[PLANTED], 70.0, 2.0);
  assert_true(r->reconciled_sd[PLANTED] > 0.0);
  cet_reconcile_result_destroy(&r);
  cet_case_destroy(&c);

  /* f1 reading 108 too: the error smears, mix.out (listed before sep.p)
   * fails the measurement test as well, and the culprit is still the one
   * with the largest normalised adjustment */
  char *f1 = strstr(text, "value: 102,");
  assert_non_null(f1);
  memcpy(f1, "value: 108,", strlen("value: 108,"));
  c = load_ok("gross2.yaml", text);
  r = run_ok(c);
  enum { MIX_TOTAL = 4 };
  assert_true(fabs(r->normalised[MIX_TOTAL]) > r->z_critical);
  assert_true(fabs(r->normalised[PLANTED]) > fabs(r->normalised[MIX_TOTAL]));
  assert_int_equal(r->culprit, PLANTED);
  cet_reconcile_result_destroy(&r);
  cet_case_destroy(&c);
}

/* Noisy measurements of the twin's own state (f1 100 t/a of 50 % A, f2 50
 * t/a of 20 % A, the separator's splits), NOISY's measurements with normal
 * errors of their sds, over DRAWS seeds: the 95 % intervals of the
 * reconciled component flows hold the true flows in about 95 % of the
 * draws, the chi-square averages its 4 degrees of freedom and the global
 * test fails in about alpha = 5 % of them. Binomial and chi-square
 * sampling errors over 2000 draws are about 0.5 % and 0.06. */
static void test_coverage(void **state) {
  (void)state;
  enum { DRAWS = 2000 };
  char text[4096];
  snprintf(text, sizeof text, "%s%s", TWO_FEEDS, NOISY);
  cet_case *c = load_ok("coverage.yaml", text);
  cet_reconcile_spec *s = c->reconcile;
  const double truth[TWO_FEEDS_STREAMS][2] = {{50, 50}, {10, 40}, {60, 90}, {54, 18}, {6, 72}};
  double *want = malloc(s->n * sizeof *want);
  assert_non_null(want);
  for (size_t i = 0; i < s->n; i++) {
    const cet_measurement *m = &s->measure[i];
    const double *f = truth[m->stream];
    want[i] = m->kind == CET_MEASURE_TOTAL ? f[0] + f[1] : f[0] / (f[0] + f[1]);
    s->measure[i].sd = m->kind == CET_MEASURE_TOTAL ? 0.02 * want[i] : 0.01;
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  assert_non_null(rng);
  gsl_rng_set(rng, 20261207);
  size_t inside = 0, intervals = 0, failed = 0;
  double chi = 0.0;
  for (size_t d = 0; d < DRAWS; d++) {
    for (size_t i = 0; i < s->n; i++) {
      s->measure[i].value = want[i] + gsl_ran_gaussian(rng, s->measure[i].sd);
    }
    cet_reconcile_result *r = run_ok(c);
    assert_int_equal(r->dof, 4);
    chi += r->chi_square;
    failed += r->chi_square > r->chi_critical;
    for (size_t e = 0; e < TWO_FEEDS_STREAMS; e++) {
      for (size_t k = 0; k < 2; k++) {
        size_t i = e * 2 + k;
        inside += fabs(r->flow[i] - truth[e][k]) <= 1.959964 * r->flow_sd[i];
        intervals++;
      }
    }
    cet_reconcile_result_destroy(&r);
  }
  double coverage = (double)inside / (double)intervals;
  fprintf(stderr, "coverage %.4f, mean chi-square %.3f, global test failed in %.4f\n", coverage,
          chi / DRAWS, (double)failed / DRAWS);
  near(coverage, 0.95, 0.01);
  near(chi / DRAWS, 4.0, 0.25);
  near((double)failed / DRAWS, 0.05, 0.015);
  gsl_rng_free(rng);
  free(want);
  cet_case_destroy(&c);
}

/* Two splitters in series: feed -> s1 -> (x, s2), s2 -> (y, z). Only the
 * feed and x measured: neither can be improved, s1.s2 is their difference
 * (observable), y and z cannot be determined. Measuring y too adds no
 * redundancy; measuring x twice makes both of its measurements redundant
 * and leaves the feed as it was. */
static void test_classification(void **state) {
  (void)state;
  const char *base = "analysis: reconcile\n"
                     "components: [A, B]\n"
                     "network:\n"
                     "  units:\n"
                     "    feed: {type: feed, flow: 100, composition: {A: 0.3, B: 0.7}}\n"
                     "    s1: {type: splitter, outlets: [x, s2], fractions: [0.5, 0.5]}\n"
                     "    s2: {type: splitter, outlets: [y, z], fractions: [0.5, 0.5]}\n"
                     "    sink: {type: sink, kind: market}\n"
                     "  streams:\n"
                     "    - {from: feed, to: s1}\n"
                     "    - {from: s1.x, to: sink}\n"
                     "    - {from: s1.s2, to: s2}\n"
                     "    - {from: s2.y, to: sink}\n"
                     "    - {from: s2.z, to: sink}\n"
                     "reconcile:\n"
                     "  measurements:\n"
                     "    - {stream: feed.out, quantity: total, value: 101, sd: 1}\n"
                     "    - {stream: s1.x, quantity: total, value: 48, sd: 1}\n";
  cet_case *c = load_ok("classes.yaml", base);
  cet_reconcile_result *r = run_ok(c);
  enum { FEED, X, S2, Y, Z };
  assert_int_equal(r->redundant[0], 0);
  assert_int_equal(r->redundant[1], 0);
  assert_true(isnan(r->normalised[0]));
  near(r->reconciled[0], 101.0, 1e-9);
  near(r->reconciled_sd[0], 1.0, 1e-12);
  assert_int_equal(r->dof, 0);
  assert_true(isnan(r->chi_critical) && isnan(r->z_critical));
  assert_int_equal(r->culprit, -1);
  assert_true(r->total_observable[FEED] && r->total_observable[X] && r->total_observable[S2]);
  near(r->total[S2], 53.0, 1e-9);
  near(r->total_sd[S2], sqrt(2.0), 1e-9);
  assert_false(r->total_observable[Y]);
  assert_false(r->total_observable[Z]);
  assert_true(isnan(r->total[Y]) && isnan(r->total_sd[Y]));
  /* totals only: no component flow is determined */
  for (size_t i = 0; i < 5 * 2; i++) {
    assert_false(r->flow_observable[i]);
    assert_true(isnan(r->flow[i]));
  }
  cet_reconcile_result_destroy(&r);
  cet_case_destroy(&c);

  char text[4096];
  snprintf(text, sizeof text, "%s%s", base,
           "    - {stream: s1.x, quantity: total, value: 50, sd: 1}\n");
  c = load_ok("classes2.yaml", text);
  r = run_ok(c);
  assert_int_equal(r->redundant[0], 0);
  assert_int_equal(r->redundant[1], 1);
  assert_int_equal(r->redundant[2], 1);
  near(r->reconciled[1], 49.0, 1e-9);
  near(r->reconciled_sd[1], sqrt(0.5), 1e-9);
  near(r->reconciled[0], 101.0, 1e-9);
  assert_int_equal(r->dof, 1);
  cet_reconcile_result_destroy(&r);
  cet_case_destroy(&c);
}

/* ---- errors ---- */

static const char *case_path(void) {
  static char path[1024];
  snprintf(path, sizeof path, "%s", cet_test_write("errors.yaml", ONE_NODE));
  return path;
}

static void test_reader_errors(void **state) {
  (void)state;
  const char *p = case_path();
  cet_test_expect_case_error(p, "reconcile.measurements[1].stream=node.bb",
                             "reconcile.measurements[1].stream", "unknown stream 'node.bb'",
                             "did you mean 'node.b'", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].sd=-1", "reconcile.measurements[0].sd",
                             "expected a standard deviation > 0, found '-1'", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].sd=0",
                             "expected a standard deviation > 0", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].sd=big", "reconcile.measurements[0].sd",
                             "a number (absolute) or a percentage", "found 'big'", NULL);
  cet_test_expect_case_error(
      p, "reconcile.measurements[0]={stream: feed.out, quantity: total, value: 0, sd: 2%}",
      "reconcile.measurements[0].sd", "a relative one of a measured 0 is 0", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].value=-3",
                             "reconcile.measurements[0].value", "expected a measured value >= 0",
                             NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].value=lots",
                             "expected a finite number, found 'lots'", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[2].quantity=flow.Cu",
                             "reconcile.measurements[2].quantity",
                             "a component of the twin after 'flow.' (one of: A)", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[2].quantity=mass",
                             "expected total, flow.COMPONENT or fraction.COMPONENT, found 'mass'",
                             NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[2].quantity=fraction.A",
                             "expected a mass fraction in [0, 1], found '35'", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements[0].sdev=1", "reconcile.measurements[0]",
                             "sdev", NULL);
  cet_test_expect_case_error(p, "reconcile.alpha=0.9", "reconcile.alpha", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements=[]", "reconcile.measurements",
                             "expected at least one measurement", NULL);
  cet_test_expect_case_error(p, "reconcile.measurements=null", "reconcile",
                             "expected `measurements:` (a list) or `csv:`", NULL);
  cet_test_expect_case_error(p, "reconcile=null", "needs a `reconcile:` section", NULL);
  cet_test_expect_case_error(p, "reconcile.weights=1", "reconcile.weights", NULL);
  /* a measurement of the file: its place in the file */
  char text[4096];
  snprintf(text, sizeof text, "%s    - {stream: node.c, quantity: total, value: 36, sd: -2}\n",
           ONE_NODE);
  const char *bad = cet_test_write("bad_sd.yaml", text);
  cet_test_expect_case_error(bad, "reconcile.alpha=0.05", "bad_sd.yaml:18:", "sd",
                             "expected a standard deviation > 0, found '-2'", NULL);
}

static void test_csv_errors(void **state) {
  (void)state;
  const char *p = case_path();
  struct {
    const char *text, *fragment1, *fragment2;
  } cases[] = {
      {"stream,quantity,value,sd\nfeed.out,total,100\n",
       "m.csv:2:19:", "expected 4 fields (stream,quantity,value,sd), found 3"},
      {"feed.out,total,100,2,extra\n", "m.csv:1:21:", "found more than 4"},
      {"feed.out, total, 1o0, 2\n", "m.csv:1:18: value", "expected a finite number, found '1o0'"},
      {"node.b,total,60,1\nfeed.in,total,100,2\n", "m.csv:2:1: stream", "unknown stream 'feed.in'"},
      {"node.b,total,60,-1%\n", "m.csv:1:17: sd", "expected a standard deviation > 0"},
      {"node.b,fraction.Z,0.5,0.1\n", "m.csv:1:8: quantity", "a component of the twin"},
      {"# nothing\nstream,quantity,value,sd\n", "m.csv", "expected at least one"},
  };
  char set[1200];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *csv = cet_test_write("m.csv", cases[i].text);
    snprintf(set, sizeof set, "reconcile.csv=%s", csv);
    cet_test_expect_case_error(p, set, cases[i].fragment1, cases[i].fragment2, NULL);
  }
  /* a good file: header, comment, quotes, CRLF, relative sd; added to the
   * measurements of the case */
  const char *csv = cet_test_write("good.csv", "# historian export\r\nStream,Quantity,Value,SD\r\n"
                                               "\"node.c\", total ,36,2.5%\r\n");
  snprintf(set, sizeof set, "reconcile.csv=%s", csv);
  const char *sets[] = {set};
  cet_case *c = NULL;
  assert_int_equal(cet_test_load_case(p, sets, 1, &c), CET_OK);
  assert_int_equal(c->reconcile->n, 4);
  const cet_measurement *m = &c->reconcile->measure[3];
  assert_int_equal(m->stream, 2);
  assert_int_equal(m->kind, CET_MEASURE_TOTAL);
  near(m->sd, 0.9, 1e-12);
  assert_non_null(strstr(m->where, "good.csv:3:1"));
  cet_case_destroy(&c);
}

/* A fraction measured on a stream the twin carries nothing on: the
 * derivative of flow / total is undefined at the start (singular). */
static void test_singular(void **state) {
  (void)state;
  const char *text = "analysis: reconcile\n"
                     "components: [A, B]\n"
                     "network:\n"
                     "  units:\n"
                     "    feed: {type: feed, flow: 100, composition: {A: 0.3, B: 0.7}}\n"
                     "    s1: {type: splitter, outlets: [x, y], fractions: [1, 0]}\n"
                     "    sink: {type: sink, kind: market}\n"
                     "  streams:\n"
                     "    - {from: feed, to: s1}\n"
                     "    - {from: s1.x, to: sink}\n"
                     "    - {from: s1.y, to: sink}\n"
                     "reconcile:\n"
                     "  measurements:\n"
                     "    - {stream: feed.out, quantity: total, value: 101, sd: 1}\n"
                     "    - {stream: s1.y, quantity: fraction.A, value: 0.3, sd: 0.01}\n";
  cet_case *c = load_ok("singular.yaml", text);
  cet_reconcile_result *r = NULL;
  assert_int_equal(run(c, &r), CET_ERR_INPUT);
  assert_null(r);
  cet_test_expect_message("singular.yaml:15:", "reconcile.measurements[1]",
                          "stream s1.y carries no flow", "fraction.A is undefined",
                          "singular system", NULL);
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_linear_closed_form), cmocka_unit_test(test_bilinear_converges),
      cmocka_unit_test(test_gross_error),        cmocka_unit_test(test_coverage),
      cmocka_unit_test(test_classification),     cmocka_unit_test(test_reader_errors),
      cmocka_unit_test(test_csv_errors),         cmocka_unit_test(test_singular),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
