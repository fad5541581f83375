/*
 * test_bollrich_mc.c — the Monte Carlo of configs/bollrich.yaml (CRR1 with
 * the commodity and diesel prices as correlated AR(1) paths in level scale,
 * calibrated to Table 3's forecast bands):
 *   - the NPV is linear in the prices and the AR paths revert to the mean
 *     levels from them, so the mean NPV of the draws equals the NPV of the
 *     mean scenario CRR1m: within 4 standard errors;
 *   - the AR models' pessimistic and optimistic forecast bands reproduce the
 *     CRR1p and CRR1o totals of Table 3 within 2 % (the calibration takes
 *     the half-width of each band, the paper's bands being symmetric only
 *     to their printed precision);
 *   - the UNFC rating in the result file gives Table 4's E a categories:
 *     NRR0 E3.3a, CRR1 E3.3a, ERR2 E3.1a (from the scenarios), and CRR1
 *     rated from its draws is E3.1a (docs/validation.md: the mean NPV and
 *     the 2.5 % quantile of the NPV lie far above the neutral band), for
 *     either seed;
 *   - the same seed gives the same bits, another seed other numbers.
 */
#include "cetwin/mc.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/case.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/result.h"
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

static const double MEUR = 1e6;
/* Table 3, MEUR */
static const double CRR1P = -16.6, CRR1O = 164.4;
static const double BAND_REL_TOL = 0.02;
static const double MEAN_SE_TOL = 4.0;

static char case_path[512];

typedef struct {
  double mean, se;
  char *overall[4]; /* case, NRR0, CRR1, ERR2 */
} mc_outcome;

/* Runs the Monte Carlo of the case with overrides, on this process. */
static void run_mc(const char *const *sets, size_t n, const char *out, mc_outcome *o) {
  void *c = NULL;
  int status = cet_test_read_case(case_path, sets, n, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  cet_case *kase = c;
  cet_result *r = NULL;
  assert_int_equal(cet_result_create(out, MPI_COMM_SELF, 0, &r), CET_OK);
  cet_run_info info = {.command_line = "test_bollrich_mc",
                       .case_name = kase->name,
                       .analysis = "mc",
                       .seed = kase->seed,
                       .mpi_ranks = 1,
                       .omp_threads = 1};
  assert_int_equal(cet_result_write_provenance(r, &info), CET_OK);
  FILE *summary = tmpfile();
  assert_non_null(summary);
  cet_run_context ctx = {
      .comm = MPI_COMM_SELF, .rank = 0, .size = 1, .threads = 1, .result = r, .summary = summary};
  status = cet_driver_mc(kase, &ctx);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  assert_int_equal(cet_result_commit(&r), CET_OK);
  fclose(summary);
  cet_case_destroy(&kase);
  cet_result_reader *in = NULL;
  assert_int_equal(cet_result_open(out, &in), CET_OK);
  size_t rank = 0, dims[3], nr = 0;
  double *mean = NULL, *se = NULL;
  assert_int_equal(cet_result_read_doubles(in, "/mc/summary/mean", &rank, dims, &mean), CET_OK);
  assert_int_equal(cet_result_read_doubles(in, "/mc/summary/se", &rank, dims, &se), CET_OK);
  char **names = NULL, **overall = NULL;
  assert_int_equal(cet_result_read_strings(in, "/mc/summary/metrics", &nr, &names), CET_OK);
  assert_string_equal(names[0], "npv");
  o->mean = mean[0];
  o->se = se[0];
  size_t n_rated = 0;
  assert_int_equal(cet_result_read_strings(in, "/mc/unfc/overall", &n_rated, &overall), CET_OK);
  assert_int_equal(n_rated, 4);
  for (size_t k = 0; k < 4; k++) {
    o->overall[k] = overall[k];
  }
  for (size_t k = 0; k < nr; k++) {
    free(names[k]);
  }
  free(names);
  free(overall);
  free(mean);
  free(se);
  cet_result_close(&in);
}

static void free_outcome(mc_outcome *o) {
  for (size_t k = 0; k < 4; k++) {
    free(o->overall[k]);
  }
}

static void test_mean_npv_is_the_mean_scenario(void **state) {
  (void)state;
  const char *sets[] = {"mc.draws=20000", "mc.block=2000"};
  char out[512];
  snprintf(out, sizeof out, "%s/mc-a.h5", cet_test_tmpdir());
  mc_outcome a;
  run_mc(sets, 2, out, &a);
  void *c = NULL;
  assert_int_equal(cet_test_read_case(case_path, NULL, 0, &c), CET_OK);
  cet_case *kase = c;
  double crr1m = NAN;
  for (size_t k = 0; k < kase->mc->n_scenarios; k++) {
    if (strcmp(kase->mc->scenarios[k].name, "CRR1m") == 0) {
      crr1m = cet_test_metric(kase->mc->scenarios[k].twin, "npv");
    }
  }
  cet_case_destroy(&kase);
  printf("mean NPV of 20000 draws %.4f +- %.4f MEUR, CRR1m %.4f MEUR (%.2f se)\n", a.mean / MEUR,
         a.se / MEUR, crr1m / MEUR, (a.mean - crr1m) / a.se);
  assert_true(fabs(a.mean - crr1m) <= MEAN_SE_TOL * a.se);
  /* E a ratings: the case (CRR1 from its draws), then Table 4's NRR0, CRR1
   * and ERR2 (from their scenarios) */
  printf("UNFC E a: case %s, NRR0 %s, CRR1 %s, ERR2 %s\n", a.overall[0], a.overall[1], a.overall[2],
         a.overall[3]);
  assert_string_equal(a.overall[0], "E3.1a");
  assert_string_equal(a.overall[1], "E3.3a");
  assert_string_equal(a.overall[2], "E3.3a");
  assert_string_equal(a.overall[3], "E3.1a");
  /* same seed: the same bits; another seed: other numbers */
  mc_outcome b, d;
  snprintf(out, sizeof out, "%s/mc-b.h5", cet_test_tmpdir());
  run_mc(sets, 2, out, &b);
  assert_memory_equal(&a.mean, &b.mean, sizeof a.mean);
  const char *other[] = {"mc.draws=20000", "mc.block=2000", "seed=7"};
  snprintf(out, sizeof out, "%s/mc-c.h5", cet_test_tmpdir());
  run_mc(other, 3, out, &d);
  assert_true(d.mean != a.mean);
  assert_string_equal(d.overall[0], "E3.1a");
  assert_true(fabs(d.mean - crr1m) <= MEAN_SE_TOL * d.se);
  free_outcome(&a);
  free_outcome(&b);
  free_outcome(&d);
}

static void test_ar_bands_reproduce_table3(void **state) {
  (void)state;
  const char *p[] = {"prices.scenario=pessimistic"}, *o[] = {"prices.scenario=optimistic"};
  const char *const *sets[2] = {p, o};
  const double paper[2] = {CRR1P, CRR1O};
  for (int k = 0; k < 2; k++) {
    void *c = NULL;
    assert_int_equal(cet_test_read_case(case_path, sets[k], 1, &c), CET_OK);
    cet_case *kase = c;
    double npv = cet_test_metric(kase->twin, "npv") / MEUR;
    printf("CRR1 with the AR %s band: %.2f MEUR (Table 3 %.1f, %+.2f %%)\n",
           k ? "optimistic" : "pessimistic", npv, paper[k],
           100.0 * (npv - paper[k]) / fabs(paper[k]));
    assert_true(fabs(npv - paper[k]) <= BAND_REL_TOL * fabs(paper[k]));
    cet_case_destroy(&kase);
  }
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  snprintf(case_path, sizeof case_path, "%s/configs/bollrich.yaml", CETWIN_SOURCE_DIR);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mean_npv_is_the_mean_scenario),
      cmocka_unit_test(test_ar_bands_reproduce_table3),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
