/*
 * test_engine_mpi.c — the sampling engine (engine.h) on several ranks (run
 * by mpiexec with 1, 2 and 4 ranks) with the toy problem of the test
 * support: every rank also runs the plan alone (MPI_COMM_SELF) as the
 * reference. The distributed run must equal it bit for bit — the
 * statistics with their sorted values, the undefined counts, the block
 * accumulator, the rows gathered in point order, and where a stopping rule
 * stops — on 1 and 2 threads. A failing point on one rank fails every rank
 * with the failing rank's message (no hang).
 */
#include "cetwin/engine.h"
#include "cetwin/error.h"

#include "toy_engine.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int rank, size;

static cet_engine_settings plan(int stop) {
  cet_engine_settings s = cet_engine_default_settings(7, 20000);
  s.block = 700;
  s.quantiles = 1;
  s.keep_rows = 1;
  if (stop) {
    s.stop_value = 1;
    s.stop_rse = 0.008;
    s.min_points = 1400;
  }
  return s;
}

/* Whether the runs of a test use the toy's block accumulator. */
static int with_acc = 1;

static cet_engine_run *run(MPI_Comm comm, toy *m, const cet_engine_settings *s, int threads) {
  cet_engine_problem p = toy_problem(m, 16, with_acc);
  cet_engine_run *r = NULL;
  int status = cet_engine_execute(&p, s, comm, threads, &r);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return r;
}

/* Rank 0 compares the distributed run d with the reference ref. */
static void expect_equal(cet_engine_run *d, cet_engine_run *ref) {
  double *dv = NULL, *de[CET_ENGINE_EXTRAS] = {NULL}, *rv = NULL, *re[CET_ENGINE_EXTRAS] = {NULL};
  assert_int_equal(cet_engine_gather_rows(d, &dv, de), CET_OK);
  if (rank != 0) {
    assert_null(dv);
    assert_null(cet_engine_accumulator(d));
    assert_null(cet_engine_stats(d, 0));
    return;
  }
  assert_int_equal(cet_engine_gather_rows(ref, &rv, re), CET_OK);
  uint64_t n = cet_engine_done(ref);
  assert_int_equal(cet_engine_done(d), n);
  assert_int_equal(cet_engine_stopped(d), cet_engine_stopped(ref));
  assert_memory_equal(dv, rv, n * 2 * sizeof *dv);
  assert_memory_equal(de[0], re[0], n * sizeof *dv);
  for (size_t k = 0; k < 2; k++) {
    cet_stats *a = cet_engine_stats(d, k), *b = cet_engine_stats(ref, k);
    cet_stats_summary sa, sb;
    assert_int_equal(cet_stats_summarize(a, &sa), CET_OK);
    assert_int_equal(cet_stats_summarize(b, &sb), CET_OK);
    assert_memory_equal(&sa, &sb, sizeof sa);
    assert_memory_equal(cet_stats_values(a), cet_stats_values(b),
                        cet_stats_count(a) * sizeof(double));
    assert_int_equal(cet_engine_undefined(d, k), cet_engine_undefined(ref, k));
  }
  const toy_acc *x = cet_engine_accumulator(d), *y = cet_engine_accumulator(ref);
  if (!with_acc) {
    assert_null(x);
    assert_null(y);
    free(dv);
    free(de[0]);
    free(rv);
    free(re[0]);
    return;
  }
  assert_true(cet_xsum_round(&x->sum) == cet_xsum_round(&y->sum));
  assert_int_equal(x->blocks, y->blocks);
  assert_int_equal(x->points, n);
  free(dv);
  free(de[0]);
  free(rv);
  free(re[0]);
}

static void test_distributed_equals_one_rank(void **state) {
  (void)state;
  for (int stop = 0; stop <= 1; stop++) {
    for (int threads = 1; threads <= 2; threads++) {
      toy m = {TOY_NEVER, TOY_NEVER, 9, 0, TOY_NEVER};
      cet_engine_settings s = plan(stop);
      cet_engine_run *ref = run(MPI_COMM_SELF, &m, &s, 1);
      cet_engine_run *d = run(MPI_COMM_WORLD, &m, &s, threads);
      if (stop) {
        assert_int_equal(cet_engine_stopped(ref), 1);
      }
      expect_equal(d, ref);
      cet_engine_run_destroy(&d);
      cet_engine_run_destroy(&ref);
    }
  }
}

static void test_a_failure_fails_every_rank(void **state) {
  (void)state;
  /* point 7 + 700 * (size - 1) + 5 lies in the first block of the last rank */
  uint64_t bad = 7 + 700 * (uint64_t)(size - 1) + 5;
  toy m = {bad, TOY_NEVER, 0, 0, TOY_NEVER};
  cet_engine_problem p = toy_problem(&m, 16, 1);
  cet_engine_settings s = plan(0);
  cet_engine_run *r = NULL;
  assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_WORLD, 2, &r), CET_ERR_RUNTIME);
  assert_null(r);
  char want[64];
  snprintf(want, sizeof want, "point %llu: toy fails at %llu", (unsigned long long)bad,
           (unsigned long long)bad);
  assert_non_null(strstr(cet_error_message(), want));
  cet_error_clear();
}

/* A run interrupted by SIGUSR1 raised at a point of the last rank writes
 * a checkpoint and stops on every rank; restarted from it, the run ends
 * with the bits of an uninterrupted one. A checkpoint of another run, or
 * restarted on another rank count, is refused. */
static void test_checkpoint_and_restart(void **state) {
  (void)state;
  char path[128];
  int pid = (int)getpid();
  MPI_Bcast(&pid, 1, MPI_INT, 0, MPI_COMM_WORLD);
  snprintf(path, sizeof path, "/tmp/cetwin-engine-%d.checkpoint.h5", pid);
  for (int case_ = 0; case_ < 4; case_++) { /* with and without a stopping rule, accumulator */
    int stop = case_ % 2;
    with_acc = case_ / 2;
    toy m = {TOY_NEVER, TOY_NEVER, 11, 0, TOY_NEVER};
    cet_engine_settings s = plan(stop);
    s.kind = "toy";
    s.fingerprint = "toy plan 1";
    cet_engine_run *ref = run(MPI_COMM_SELF, &m, &s, 1);
    s.checkpoint = path;
    s.checkpoint_blocks = 3;
    m.signal_at = 7 + 700 * (uint64_t)(2 * size - 1) + 40; /* round 1, last rank */
    cet_engine_problem p = toy_problem(&m, 16, with_acc);
    cet_engine_run *r = NULL;
    assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_WORLD, 2, &r), CET_ERR_INTERRUPTED);
    assert_null(r);
    assert_non_null(strstr(cet_error_message(), "interrupted by SIGUSR1"));
    cet_error_clear();
    m.signal_at = TOY_NEVER;
    s.restart = path;
    cet_engine_run *again = run(MPI_COMM_WORLD, &m, &s, 2);
    expect_equal(again, ref);
    cet_engine_run_destroy(&again);
    cet_engine_run_destroy(&ref);
    s.fingerprint = "toy plan 2";
    assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_WORLD, 1, &r), CET_ERR_INPUT);
    assert_non_null(strstr(cet_error_message(), "belongs to another run"));
    cet_error_clear();
    if (size > 1) { /* every rank alone */
      s.fingerprint = "toy plan 1";
      assert_int_equal(cet_engine_execute(&p, &s, MPI_COMM_SELF, 1, &r), CET_ERR_INPUT);
      assert_non_null(strstr(cet_error_message(), "ranks; continue it on"));
      cet_error_clear();
    }
    MPI_Barrier(MPI_COMM_WORLD);
  }
  with_acc = 1;
  if (rank == 0) {
    remove(path);
  }
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_distributed_equals_one_rank),
      cmocka_unit_test(test_a_failure_fails_every_rank),
      cmocka_unit_test(test_checkpoint_and_restart),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
