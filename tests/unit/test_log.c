/*
 * test_log.c — unit tests of log.h: what each level lets through, and that
 * only rank 0 speaks except for debug messages.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/log.h"

#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static void log_three(void *arg) {
  (void)arg;
  cet_log_warn("w%d", 1);
  cet_log_info("i%d", 2);
  cet_log_debug("d%d", 3);
}

/* What the three log calls write at this rank and level. */
static const char *capture(int rank, cet_log_level level) {
  cet_log_setup(rank, level);
  return cet_test_capture_stderr(log_three, NULL);
}

static void test_levels_on_rank_zero(void **state) {
  (void)state;
  assert_string_equal(capture(0, CET_LOG_QUIET), "");
  assert_string_equal(capture(0, CET_LOG_WARN), "cetwin: warning: w1\n");
  assert_string_equal(capture(0, CET_LOG_INFO), "cetwin: warning: w1\ncetwin: i2\n");
  assert_string_equal(capture(0, CET_LOG_DEBUG),
                      "cetwin: warning: w1\ncetwin: i2\ncetwin[0]: debug: d3\n");
}

static void test_other_ranks_only_debug(void **state) {
  (void)state;
  assert_string_equal(capture(3, CET_LOG_INFO), "");
  assert_string_equal(capture(3, CET_LOG_DEBUG), "cetwin[3]: debug: d3\n");
  assert_int_equal(cet_log_rank(), 3);
  assert_int_equal(cet_log_get_level(), CET_LOG_DEBUG);
  assert_false(cet_log_enabled(CET_LOG_INFO));
  assert_true(cet_log_enabled(CET_LOG_DEBUG));
  cet_log_setup(0, CET_LOG_INFO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_levels_on_rank_zero),
      cmocka_unit_test(test_other_ranks_only_debug),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
