/*
 * test_sampler.c — the sampler of a twin's uncertain inputs (sampler.h) on
 * the Bollrich case with a drawn discount rate beside its correlated price
 * paths: drawing and evaluating apart gives the bits of cet_sampler_sample,
 * a draw's inputs do not depend on the batch it is drawn in, the drawn
 * values follow their distribution's support, and variables that do not
 * belong to the twin, oversized batches and failing draws are reported.
 */
#include "cetwin/case.h"
#include "cetwin/error.h"
#include "cetwin/mc.h"
#include "cetwin/sampler.h"

#include "test_support.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *const SETS[] = {
    "uncertain=[{price: [BaSO4, Cu, Pb, Zn, Co, Ga, In, diesel]}, {path: economics.discount_rate, "
    "distribution: uniform, min: 0.10, max: 0.20}]",
    "mc.metrics=[npv, cost_pv]"};

static int setup(void **state) {
  char path[1024];
  snprintf(path, sizeof path, "%s/configs/bollrich.yaml", CETWIN_SOURCE_DIR);
  void *c = NULL;
  int status = cet_test_read_case(path, SETS, 2, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
    return -1;
  }
  *state = c;
  return 0;
}

static int teardown(void **state) {
  cet_case *c = *state;
  cet_case_destroy(&c);
  return 0;
}

static cet_sampler *make(const cet_case *c) {
  cet_sampler *s = NULL;
  const cet_mc_spec *mc = c->mc;
  int status = cet_sampler_create(c->twin, c->seed, mc->uncertain, mc->n_uncertain,
                                  mc->metric_index, mc->metrics.n, &s);
  assert_int_equal(status, CET_OK);
  return s;
}

static void test_draw_then_evaluate_equals_sample(void **state) {
  const cet_case *c = *state;
  cet_sampler *s = make(c);
  assert_int_equal(cet_sampler_parameter_count(s), 1);
  assert_int_equal(cet_sampler_series_count(s), 8);
  assert_int_equal(cet_sampler_metric_count(s), 2);
  assert_ptr_equal(cet_sampler_twin(s), c->twin);
  const size_t ny = cet_sampler_years(s), pp = 8 * ny;
  assert_int_equal(ny, cet_twin_year_count(c->twin));
  cet_sampler_workspace *w = NULL;
  assert_int_equal(cet_sampler_workspace_create(s, &w), CET_OK);
  enum { N = 150 };
  double m1[N * 2], in1[N], *p1 = malloc(N * pp * sizeof *p1);
  double m2[N * 2], in2[N], *p2 = malloc(N * pp * sizeof *p2);
  assert_non_null(p1);
  assert_non_null(p2);
  uint64_t failed = 0;
  /* sampled in batches of 64, 64, 22 from draw 1000 */
  for (size_t k = 0; k < N; k += CET_SAMPLER_BATCH) {
    size_t n = N - k < CET_SAMPLER_BATCH ? N - k : CET_SAMPLER_BATCH;
    assert_int_equal(
        cet_sampler_sample(s, w, 1000 + k, n, m1 + 2 * k, in1 + k, p1 + k * pp, &failed), CET_OK);
  }
  /* drawn in batches of 50 (another split), then evaluated in one call */
  for (size_t k = 0; k < N; k += 50) {
    assert_int_equal(cet_sampler_draw(s, w, 1000 + k, 50, in2 + k, p2 + k * pp), CET_OK);
  }
  size_t bad = 0;
  assert_int_equal(cet_sampler_evaluate(s, w, in2, p2, N, 1, m2, &bad), CET_OK);
  assert_memory_equal(in1, in2, sizeof in1);
  assert_memory_equal(p1, p2, N * pp * sizeof *p1);
  assert_memory_equal(m1, m2, sizeof m1);
  for (size_t k = 0; k < N; k++) {
    assert_true(in1[k] >= 0.10 && in1[k] <= 0.20);
  }
  assert_int_equal(cet_sampler_draw(s, w, 0, CET_SAMPLER_BATCH + 1, in2, p2), CET_ERR_RUNTIME);
  cet_test_expect_message("draws at once; at most", NULL);
  free(p1);
  free(p2);
  cet_sampler_workspace_destroy(&w);
  assert_null(w);
  cet_sampler_workspace_destroy(NULL);
  cet_sampler_destroy(&s);
  assert_null(s);
  cet_sampler_destroy(NULL);
}

static void test_a_failing_draw_is_named(void **state) {
  const cet_case *c = *state;
  cet_sampler *s = make(c);
  cet_sampler_workspace *w = NULL;
  assert_int_equal(cet_sampler_workspace_create(s, &w), CET_OK);
  const size_t pp = 8 * cet_sampler_years(s);
  double in[4] = {0.15, 0.15, NAN, 0.15}, *p = calloc(4 * pp, sizeof *p), m[8];
  assert_non_null(p);
  size_t bad = 99;
  assert_int_equal(cet_sampler_evaluate(s, w, in, p, 4, 1, m, &bad), CET_ERR_RUNTIME);
  assert_int_equal(bad, 2);
  cet_error_clear();
  free(p);
  cet_sampler_workspace_destroy(&w);
  cet_sampler_destroy(&s);
}

static void test_variables_of_another_twin_are_refused(void **state) {
  const cet_case *c = *state;
  cet_mc_spec *mc = c->mc;
  cet_sampler *s = NULL;
  cet_uncertain *u = &mc->uncertain[1];
  size_t slot = u->slot;
  u->slot = cet_twin_parameter_count(c->twin);
  assert_int_equal(cet_sampler_create(c->twin, 1, mc->uncertain, mc->n_uncertain, NULL, 0, &s),
                   CET_ERR_INPUT);
  cet_test_expect_message("parameter 'economics.discount_rate' is not one of this twin's", NULL);
  u->slot = slot == 0 ? 1 : 0;
  assert_int_equal(cet_sampler_create(c->twin, 1, mc->uncertain, mc->n_uncertain, NULL, 0, &s),
                   CET_ERR_INPUT);
  cet_test_expect_message("is not one of this twin's", NULL);
  u->slot = slot;
  u = &mc->uncertain[0];
  size_t series = u->series[3];
  u->series[3] = u->series[2];
  assert_int_equal(cet_sampler_create(c->twin, 1, mc->uncertain, mc->n_uncertain, NULL, 0, &s),
                   CET_ERR_INPUT);
  cet_test_expect_message("price series 'Zn' is not one of this twin's", NULL);
  u->series[3] = series;
  assert_null(s);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_draw_then_evaluate_equals_sample),
      cmocka_unit_test(test_a_failing_draw_is_named),
      cmocka_unit_test(test_variables_of_another_twin_are_refused),
  };
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  MPI_Finalize();
  return failed;
}
