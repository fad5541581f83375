/*
 * test_timer.c — unit tests of timer.h: the clock is monotonic and the
 * stopwatch accumulates only while running.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/timer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <cmocka.h>

static void nap(void) {
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

static void test_stopwatch(void **state) {
  (void)state;
  double t0 = cet_timer_now();
  cet_timer t;
  cet_timer_reset(&t);
  assert_true(cet_timer_seconds(&t) == 0.0);
  cet_timer_start(&t);
  nap();
  cet_timer_stop(&t);
  double first = cet_timer_seconds(&t);
  assert_true(first >= 0.015);
  nap(); /* stopped: not counted */
  assert_true(cet_timer_seconds(&t) == first);
  cet_timer_start(&t);
  nap();
  assert_true(cet_timer_seconds(&t) > first); /* includes the running interval */
  cet_timer_stop(&t);
  cet_timer_stop(&t); /* stopping twice is harmless */
  assert_true(cet_timer_now() - t0 >= cet_timer_seconds(&t));
}

/* CPU time grows with work done and not with sleep. */
static void test_cpu_time(void **state) {
  (void)state;
  double c0 = cet_timer_cpu(), w0 = cet_timer_now();
  volatile double x = 0.0;
  while (cet_timer_now() - w0 < 0.05) {
    x += 1.0;
  }
  double c1 = cet_timer_cpu();
  assert_true(x > 0.0);
  assert_true(c1 > c0);
  assert_true(c1 - c0 <= cet_timer_now() - w0 + 0.01);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_stopwatch),
                                     cmocka_unit_test(test_cpu_time)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
