/*
 * test_progress.c — unit tests of progress.h: rank 0 at level info prints
 * rate-limited lines with an ETA; quiet or other ranks print nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/log.h"
#include "cetwin/progress.h"

#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static void report(void *arg) {
  (void)arg;
  cet_progress p;
  cet_progress_begin(&p, "draws", 100.0);
  p.interval = 0.5; /* as in a log file, whatever stderr is in this test */
  p.last_print -= 1.0;
  cet_progress_update(&p, 50.0, "best 1.5");
  cet_progress_update(&p, 60.0, NULL); /* within the interval: skipped */
  cet_progress_end(&p, 100.0);
}

static const char *run_progress(int rank, cet_log_level level) {
  cet_log_setup(rank, level);
  const char *text = cet_test_capture_stderr(report, NULL);
  cet_log_setup(0, CET_LOG_INFO);
  return text;
}

static void test_lines_and_eta(void **state) {
  (void)state;
  const char *text = run_progress(0, CET_LOG_INFO);
  assert_non_null(strstr(text, "cetwin: draws: 50/100 (50.0%)"));
  assert_non_null(strstr(text, "ETA"));
  assert_non_null(strstr(text, "best 1.5"));
  assert_null(strstr(text, "60/100"));
  assert_non_null(strstr(text, "cetwin: draws: 100/100 done in"));
}

static void test_silent_when_quiet_or_not_rank_zero(void **state) {
  (void)state;
  assert_string_equal(run_progress(0, CET_LOG_QUIET), "");
  assert_string_equal(run_progress(1, CET_LOG_INFO), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lines_and_eta),
      cmocka_unit_test(test_silent_when_quiet_or_not_rank_zero),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
