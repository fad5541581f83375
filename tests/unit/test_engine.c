/*
 * test_engine.c — the sampling engine (engine.h) on a toy problem whose
 * values are a fixed function of the point index: the statistics and the
 * kept rows are the same bits on 1 and 2 threads and for any block and
 * batch size, rows are kept without extras too, non-finite values are
 * counted apart, the stopping rule stops at the first block boundary where
 * the target is met, the failure with the lowest point index is reported
 * with its own message, a problem's block accumulator gets every block
 * once, rows gather in point order, the team's loops find the lowest
 * failing task, and bad settings are refused.
 */
#include "cetwin/engine.h"
#include "cetwin/error.h"

#include "test_support.h"
#include "toy_engine.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static cet_engine_run *execute(toy *m, size_t batch, cet_engine_settings *s, int threads) {
  cet_engine_problem p = toy_problem(m, batch, 0);
  cet_engine_run *r = NULL;
  int status = cet_engine_execute(&p, s, MPI_COMM_SELF, threads, &r);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return r;
}

/* Sum, count and sorted values of value k, and the kept rows' points. */
static void expect_same_run(cet_engine_run *a, cet_engine_run *b) {
  assert_int_equal(cet_engine_done(a), cet_engine_done(b));
  for (size_t k = 0; k < 2; k++) {
    cet_stats_summary sa, sb;
    assert_int_equal(cet_stats_summarize(cet_engine_stats(a, k), &sa), CET_OK);
    assert_int_equal(cet_stats_summarize(cet_engine_stats(b, k), &sb), CET_OK);
    assert_memory_equal(&sa, &sb, sizeof sa);
    size_t n = cet_stats_count(cet_engine_stats(a, k));
    assert_int_equal(n, cet_stats_count(cet_engine_stats(b, k)));
    assert_memory_equal(cet_stats_values(cet_engine_stats(a, k)),
                        cet_stats_values(cet_engine_stats(b, k)), n * sizeof(double));
    assert_int_equal(cet_engine_undefined(a, k), cet_engine_undefined(b, k));
  }
}

static void test_layouts_give_the_same_bits(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 7, 0, TOY_NEVER};
  cet_engine_settings s = cet_engine_default_settings(100, 10000);
  s.quantiles = 1;
  s.keep_rows = 1;
  s.block = 1000;
  cet_engine_run *one = execute(&m, 64, &s, 1);
  cet_engine_run *two = execute(&m, 16, &s, 2);
  s.block = 333;
  cet_engine_run *odd = execute(&m, 5, &s, 2);
  expect_same_run(one, two);
  expect_same_run(one, odd);
  assert_int_equal(cet_engine_done(one), 10000);
  assert_int_equal(cet_engine_stopped(one), 0);
  /* every seventh point's value 0 is NaN: counted apart */
  uint64_t nans = 0;
  for (uint64_t i = 100; i < 10100; i++) {
    nans += i % 7 == 0;
  }
  assert_int_equal(cet_engine_undefined(one, 0), nans);
  assert_int_equal(cet_stats_count(cet_engine_stats(one, 0)), 10000 - nans);
  /* the rows: every point once, extras and values where they belong */
  assert_int_equal(cet_engine_local_rows(odd), 10000);
  const uint64_t *points = cet_engine_local_points(odd);
  const double *values = cet_engine_local_values(odd), *extras = cet_engine_local_extras(odd, 0);
  for (size_t i = 0; i < 10000; i++) {
    assert_int_equal(points[i], 100 + i);
    assert_true(extras[i] == (double)(100 + i));
    assert_true(values[2 * i + 1] == toy_value(100 + i) * toy_value(100 + i));
  }
  cet_result_rows rows = cet_engine_rows(odd);
  assert_int_equal(rows.first, 0);
  assert_int_equal(rows.block, 333);
  assert_int_equal(rows.count, 30); /* 30 full blocks and a tail of 10 */
  assert_int_equal(rows.tail_first, 9990);
  assert_int_equal(rows.tail_rows, 10);
  cet_engine_run_destroy(&one);
  cet_engine_run_destroy(&two);
  cet_engine_run_destroy(&odd);
  assert_null(one);
  cet_engine_run_destroy(NULL);
}

/* Kept rows of a problem without extras (a Morris design keeps its rows
 * and, without stored points, has no extras): evaluate gets extras NULL,
 * not an array of NULL pointers it would write through. */
static void test_kept_rows_without_extras(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_engine_problem p = toy_problem(&m, 4, 0);
  p.n_extras = 0;
  cet_engine_settings s = cet_engine_default_settings(10, 100);
  s.keep_rows = 1;
  s.block = 30;
  cet_engine_run *r = NULL;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 2, &r), CET_OK);
  assert_int_equal(cet_engine_local_rows(r), 100);
  const double *values = cet_engine_local_values(r);
  for (size_t i = 0; i < 100; i++) {
    assert_true(values[2 * i] == toy_value(10 + i));
  }
  cet_engine_run_destroy(&r);
}

static void test_the_stopping_rule_stops_at_a_block_boundary(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_engine_settings s = cet_engine_default_settings(0, 1000000);
  s.block = 500;
  s.stop_value = 1; /* the square: mean 1/3, relative sd about 0.9 */
  s.stop_rse = 0.01;
  s.min_points = 2000;
  const char *names[] = {"x", "x2"};
  s.value_names = names;
  cet_engine_run *r = execute(&m, 64, &s, 2);
  assert_int_equal(cet_engine_stopped(r), 1);
  uint64_t done = cet_engine_done(r);
  assert_int_equal(done % 500, 0);
  assert_true(done >= 2000 && done < 1000000);
  /* the rule holds at done and not one block earlier */
  cet_stats_summary at, before;
  cet_stats *acc = NULL;
  assert_int_equal(cet_stats_create(&acc, 0, 0), CET_OK);
  for (uint64_t i = 0; i < done; i++) {
    if (i == done - 500) {
      assert_int_equal(cet_stats_summarize(acc, &before), CET_OK);
    }
    assert_int_equal(cet_stats_add(acc, toy_value(i) * toy_value(i)), CET_OK);
  }
  assert_int_equal(cet_stats_summarize(acc, &at), CET_OK);
  assert_true(at.se_mean / fabs(at.mean) <= 0.01);
  assert_true(done - 500 < 2000 || before.se_mean / fabs(before.mean) > 0.01);
  cet_stats_summary got;
  assert_int_equal(cet_stats_summarize(cet_engine_stats(r, 1), &got), CET_OK);
  assert_memory_equal(&got.sum, &at.sum, sizeof at.sum);
  cet_stats_destroy(&acc);
  cet_engine_run_destroy(&r);
}

static void test_the_lowest_failure_is_reported(void **state) {
  (void)state;
  for (int threads = 1; threads <= 2; threads++) {
    toy m = {4321, 1234, 0, 0, TOY_NEVER};
    cet_engine_problem p = toy_problem(&m, 8, 0);
    cet_engine_settings s = cet_engine_default_settings(0, 10000);
    s.block = 1000;
    s.point = "draw";
    cet_engine_run *r = NULL;
    assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, threads, &r), CET_ERR_RUNTIME);
    assert_null(r);
    cet_test_expect_message("draw 1234: toy fails at 1234", NULL);
  }
}

static void test_accumulators_and_gathered_rows(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_xsum want;
  cet_xsum_init(&want);
  for (uint64_t i = 50; i < 5050; i++) {
    assert_int_equal(cet_xsum_add(&want, toy_value(i) * toy_value(i)), CET_OK);
  }
  for (int keep = 0; keep <= 1; keep++) {
    for (int threads = 1; threads <= 2; threads++) {
      cet_engine_problem p = toy_problem(&m, 7, 1);
      cet_engine_settings s = cet_engine_default_settings(50, 5000);
      s.block = 300;
      s.statistics = 0;
      s.keep_rows = keep;
      cet_engine_run *r = NULL;
      assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, threads, &r), CET_OK);
      const toy_acc *a = cet_engine_accumulator(r);
      assert_non_null(a);
      assert_true(cet_xsum_round(&a->sum) == cet_xsum_round(&want));
      assert_int_equal(a->points, 5000);
      assert_int_equal(a->blocks, 17 * 18 / 2); /* blocks 0 .. 16, each added once */
      assert_int_equal(cet_stats_count(cet_engine_stats(r, 1)), 0); /* no statistics */
      double *values = NULL, *extras[CET_ENGINE_EXTRAS];
      int status = cet_engine_gather_rows(r, &values, extras);
      if (!keep) {
        assert_int_equal(status, CET_ERR_RUNTIME);
        cet_test_expect_message("a plan that keeps them", NULL);
      } else {
        assert_int_equal(status, CET_OK);
        for (size_t i = 0; i < 5000; i++) {
          assert_true(extras[0][i] == (double)(50 + i));
          assert_true(values[2 * i] == toy_value(50 + i));
        }
        free(values);
        free(extras[0]);
      }
      cet_engine_run_destroy(&r);
    }
  }
  cet_engine_problem p = toy_problem(&m, 7, 1);
  p.acc_pack = NULL;
  cet_engine_settings s = cet_engine_default_settings(0, 10);
  cet_engine_run *r = NULL;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_RUNTIME);
  cet_test_expect_message("an accumulator needs its destroy, add_block, pack and merge_bytes",
                          NULL);
  s.stop_value = 0;
  s.statistics = 0;
  p.acc_create = NULL;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_RUNTIME);
  cet_test_expect_message("a stopping rule needs the values' statistics", NULL);
}

static void test_bad_settings_are_refused(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_engine_problem p = toy_problem(&m, 8, 0);
  cet_engine_run *r = NULL;
  cet_engine_settings s = cet_engine_default_settings(0, 0);
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_INPUT);
  cet_test_expect_message("a plan needs points", "found 0 points", NULL);
  s = cet_engine_default_settings(UINT64_MAX - 5, 10);
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_INPUT);
  cet_test_expect_message("beyond the largest index", NULL);
  s = cet_engine_default_settings(0, 10);
  s.block = 0;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_INPUT);
  cet_test_expect_message("blocks of 0", NULL);
  s.block = 4;
  s.stop_value = 2;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_RUNTIME);
  cet_test_expect_message("the stopping rule names value 2 of 2", NULL);
  s.stop_value = -1;
  p.n_extras = CET_ENGINE_EXTRAS + 1;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_RUNTIME);
  cet_test_expect_message("arrays of extra data per point", NULL);
  p = toy_problem(&m, 0, 0);
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_RUNTIME);
  cet_test_expect_message("the engine needs a batch", NULL);
  assert_null(r);
}

/* A task that fails at multiples of 97 from 300 on. */
static int failing_task(void *arg, void *ws, int t, size_t i) {
  (void)ws;
  int *ran = arg;
  assert_true(t >= 0 && t < 2);
#pragma omp atomic
  (*ran)++;
  CET_CHECK(i < 300 || i % 97 != 0, CET_ERR_INPUT, "task %zu refused", i);
  return CET_OK;
}

static void test_team_loops_find_the_lowest_failure(void **state) {
  (void)state;
  toy m = {TOY_NEVER, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_engine_problem p = toy_problem(&m, 8, 0);
  cet_engine_team *team = NULL;
  assert_int_equal(cet_engine_team_create(&p, 2, &team), CET_OK);
  assert_int_equal(m.workspaces, 2);
  assert_int_equal(cet_engine_team_size(team), 2);
  assert_non_null(cet_engine_team_workspace(team, 1));
  for (int dynamic = 0; dynamic <= 1; dynamic++) {
    for (int threads = 1; threads <= 2; threads++) {
      int ran = 0;
      size_t failed = 0;
      assert_int_equal(
          cet_engine_team_for(team, threads, dynamic, 1000, failing_task, &ran, &failed),
          CET_ERR_INPUT);
      assert_int_equal(failed, 388);
      cet_test_expect_message("task 388 refused", NULL);
      assert_true(threads == 2 ? ran == 1000 : ran == 389);
      ran = 0;
      assert_int_equal(
          cet_engine_team_for(team, threads, dynamic, 300, failing_task, &ran, &failed), CET_OK);
      assert_int_equal(failed, 300);
      assert_int_equal(ran, 300);
    }
  }
  size_t failed = 0;
  assert_int_equal(cet_engine_team_for(team, 3, 0, 10, failing_task, NULL, &failed),
                   CET_ERR_RUNTIME);
  cet_test_expect_message("a loop on 3 threads in a team of 2", NULL);
  cet_engine_team_destroy(&team);
  assert_null(team);
  cet_engine_team_destroy(NULL);
  assert_int_equal(cet_engine_team_create(&p, 0, &team), CET_ERR_RUNTIME);
  cet_test_expect_message("at least one thread", NULL);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layouts_give_the_same_bits),
      cmocka_unit_test(test_kept_rows_without_extras),
      cmocka_unit_test(test_the_stopping_rule_stops_at_a_block_boundary),
      cmocka_unit_test(test_the_lowest_failure_is_reported),
      cmocka_unit_test(test_accumulators_and_gathered_rows),
      cmocka_unit_test(test_bad_settings_are_refused),
      cmocka_unit_test(test_team_loops_find_the_lowest_failure),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
