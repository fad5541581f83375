/*
 * test_reconcile_cu_zn.c — the statistics of reconcile.h on a shipped twin:
 * noisy synthetic measurements of the copper-zinc exchange
 * (configs/cu-zn-reconcile.yaml: its streams, quantities and standard
 * deviations, 48 totals, assays and one component flow, 11 components) drawn
 * around the twin's own steady state with normal errors of the stated
 * standard deviations, over DRAWS seeded draws, are reconciled; the 95 %
 * intervals (1.96 reported sd) of the observable component flows and stream
 * totals must hold the twin's true values in about 95 % of the cases, the
 * chi-square must average its degrees of freedom and the global test must
 * fail in about alpha = 5 % of the draws.
 *
 * Tolerances. The intervals of one draw share its errors, so they are not
 * independent trials: the standard error of the coverage is estimated from
 * the spread of the per-draw coverages (se, about 0.006 here, twice the
 * variance of independent intervals), never taken below the binomial
 * sqrt(0.95 x 0.05 / intervals), and the coverage must lie within 3 se of
 * 0.95; se must stay below 0.012, so that the check keeps its power
 * (reported sds 20 % too small or too large would move the coverage to
 * about 0.88 or 0.98). The mean chi-square must lie within
 * 3 sqrt(2 dof / DRAWS) of dof, and the global test's failure rate within
 * 3 sqrt(0.05 x 0.95 / DRAWS) of 0.05.
 * DRAWS = 40 keeps the test near 3 s (about 80 ms a reconciliation).
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/reconcile.h"
#include "cetwin/twin.h"
#include "model_support.h"
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

enum { DRAWS = 40 };
/* Two-sided 95 % normal quantile. */
static const double Z95 = 1.959963984540054;

/* The value of measurement m at the component flows f ([edges x nc]). */
static double true_value(const cet_measurement *m, const double *f, size_t nc) {
  const double *x = f + m->stream * nc;
  double total = 0.0;
  for (size_t k = 0; k < nc; k++) {
    total += x[k];
  }
  switch (m->kind) {
  case CET_MEASURE_TOTAL:
    return total;
  case CET_MEASURE_FLOW:
    return x[m->component];
  case CET_MEASURE_FRACTION:
  default:
    return x[m->component] / total;
  }
}

/* Counts the observable quantities of r and those whose 95 % interval holds
 * the truth (component flows truth [ne x nc]). */
static void count_covered(const cet_reconcile_result *r, const double *truth, size_t *covered,
                          size_t *observable) {
  size_t ne = r->n_streams, nc = r->n_components;
  for (size_t e = 0; e < ne; e++) {
    double total = 0.0;
    for (size_t k = 0; k < nc; k++) {
      size_t i = e * nc + k;
      total += truth[i];
      if (r->flow_observable[i]) {
        (*observable)++;
        *covered += fabs(r->flow[i] - truth[i]) <= Z95 * r->flow_sd[i];
      }
    }
    if (r->total_observable[e]) {
      (*observable)++;
      *covered += fabs(r->total[e] - total) <= Z95 * r->total_sd[e];
    }
  }
}

static void test_coverage_cu_zn(void **state) {
  (void)state;
  void *loaded = NULL;
  assert_int_equal(cet_test_read_shipped("cu-zn-reconcile.yaml", &loaded), CET_OK);
  cet_case *c = loaded;
  cet_reconcile_spec *s = c->reconcile;
  assert_non_null(s);
  s->drop_gross_errors = 0;
  size_t nc = cet_twin_components(c->twin)->n, ne = cet_twin_edge_count(c->twin);

  /* the truth: the twin's steady state at its own values */
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  cet_test_twin_evaluate(&tt);
  double *truth = malloc(ne * nc * sizeof *truth);
  double *want = malloc(s->n * sizeof *want);
  assert_true(truth && want);
  memcpy(truth, cet_twin_workspace_edge_flows(tt.ws), ne * nc * sizeof *truth);
  cet_test_twin_release(&tt);
  for (size_t i = 0; i < s->n; i++) {
    want[i] = true_value(&s->measure[i], truth, nc);
  }

  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  assert_non_null(rng);
  gsl_rng_set(rng, 20261207);
  size_t covered = 0, observable = 0, failed = 0, dof = 0;
  double chi = 0.0, share_sum = 0.0, share_sq = 0.0;
  for (size_t d = 0; d < DRAWS; d++) {
    for (size_t i = 0; i < s->n; i++) {
      s->measure[i].value = want[i] + gsl_ran_gaussian(rng, s->measure[i].sd);
    }
    cet_reconcile_result *r = cet_test_reconcile_ok(c);
    assert_true(d == 0 || r->dof == dof);
    dof = r->dof;
    chi += r->chi_square;
    failed += r->chi_square > r->chi_critical;
    size_t c0 = covered, o0 = observable;
    count_covered(r, truth, &covered, &observable);
    double share = (double)(covered - c0) / (double)(observable - o0);
    share_sum += share;
    share_sq += share * share;
    cet_reconcile_result_destroy(&r);
  }
  double coverage = (double)covered / (double)observable;
  double share_mean = share_sum / DRAWS;
  double se = sqrt(fmax(share_sq / DRAWS - share_mean * share_mean, 0.0) / (DRAWS - 1));
  double fail_rate = (double)failed / DRAWS, mean_chi = chi / DRAWS;
  fprintf(stderr,
          "cu-zn: %zu observable quantities a draw, coverage of the 95 %% intervals %.4f, "
          "standard error %.4f (between draws), mean chi-square %.3f on %zu degrees of "
          "freedom, global test failed in %.4f\n",
          observable / DRAWS, coverage, se, mean_chi, dof, fail_rate);
  assert_true(observable / DRAWS > 20);
  assert_true(dof >= 5);
  se = fmax(se, sqrt(0.95 * 0.05 / (double)observable));
  assert_true(se < 0.012);
  assert_true(fabs(coverage - 0.95) <= 3.0 * se);
  assert_true(fabs(fail_rate - 0.05) <= 3.0 * sqrt(0.05 * 0.95 / DRAWS));
  assert_true(fabs(mean_chi - (double)dof) <= 3.0 * sqrt(2.0 * (double)dof / DRAWS));
  gsl_rng_free(rng);
  free(truth);
  free(want);
  cet_case_destroy(&c);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_coverage_cu_zn),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
