/*
 * test_mc_scenarios.c — the deterministic scenarios of a Monte Carlo case
 * (cet_drv_mc_scenarios_report, src/drivers/mc_impl.h) when an evaluation fails
 * before its metrics exist: the workspace of the case's twin or of a
 * scenario cannot be had (out of memory). The report fails with the
 * scenario named and touches no metric. The program is linked with
 * --wrap=cet_twin_workspace_create, so the test decides which creation
 * fails.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"
#include "drivers/mc_impl.h"
#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

int __real_cet_twin_workspace_create(const cet_twin *t, cet_twin_workspace **out);
int __wrap_cet_twin_workspace_create(const cet_twin *t, cet_twin_workspace **out);

/* The creation that fails (1 = the first from now on), 0: none. */
static int fail_at;

int __wrap_cet_twin_workspace_create(const cet_twin *t, cet_twin_workspace **out) {
  if (fail_at > 0 && --fail_at == 0) {
    *out = NULL;
    CET_CHECK_ALLOC(NULL);
  }
  return __real_cet_twin_workspace_create(t, out);
}

/* configs/bollrich.yaml: the case and seven scenarios; creation 1 is the
 * case's workspace, creation 2 the first scenario's (NRR0), 3 the second's
 * (CRR1p). */
static void test_workspace_fails(void **state) {
  const cet_case *c = *state;
  size_t n = c->mc->n_scenarios;
  assert_true(n >= 2);
  double *npv = calloc(n, sizeof *npv), *cost = calloc(n, sizeof *cost);
  assert_non_null(npv);
  assert_non_null(cost);
  assert_int_equal(cet_drv_mc_scenarios_report(c, NULL, 0, NULL, npv, cost), CET_OK);
  assert_false(isnan(npv[0]) || isnan(npv[1]));
  static const char *const failing[] = {NULL, "NRR0", "CRR1p"};
  for (int k = 1; k <= 3; k++) {
    cet_error_clear();
    fail_at = k;
    assert_int_equal(cet_drv_mc_scenarios_report(c, NULL, 0, NULL, npv, cost), CET_ERR_MEMORY);
    assert_int_equal(fail_at, 0);
    char text[1024];
    cet_error_format(text, sizeof text, 0);
    if (failing[k - 1] && !strstr(text, failing[k - 1])) {
      fail_msg("the error does not name scenario %s: %s", failing[k - 1], text);
    }
    cet_test_expect_message("out of memory", NULL);
  }
  free(npv);
  free(cost);
}

static int open_case(void **state) {
  *state = cet_test_fixture_open("bollrich.yaml");
  return *state ? 0 : -1;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_workspace_fails),
  };
  int failed = cmocka_run_group_tests(tests, open_case, cet_test_fixture_close);
  MPI_Finalize();
  return failed;
}
