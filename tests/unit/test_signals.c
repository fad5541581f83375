/*
 * test_signals.c — unit tests of signals.h: SIGTERM and SIGUSR1 are
 * recorded (the first one wins) instead of ending the process while the
 * handler is installed, clear forgets them, restore gives back the previous
 * handlers, installing twice fails, and signal names.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/signals.h"

#include "cetwin/error.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static volatile sig_atomic_t seen_by_previous = 0;

static void previous_handler(int signum) { seen_by_previous = signum; }

static void test_records_first_signal(void **state) {
  (void)state;
  assert_int_equal(cet_signals_install(), CET_OK);
  assert_int_equal(cet_signals_pending(), 0);
  raise(SIGUSR1);
  assert_int_equal(cet_signals_pending(), SIGUSR1);
  raise(SIGTERM); /* the first signal stays the one reported */
  assert_int_equal(cet_signals_pending(), SIGUSR1);
  cet_signals_clear();
  assert_int_equal(cet_signals_pending(), 0);
  raise(SIGTERM);
  assert_int_equal(cet_signals_pending(), SIGTERM);
  cet_signals_restore();
  assert_int_equal(cet_signals_pending(), SIGTERM); /* readable until cleared */
  cet_signals_clear();
}

static void test_restore_and_twice(void **state) {
  (void)state;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = previous_handler;
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR1, &sa, NULL), 0);
  assert_int_equal(cet_signals_install(), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_signals_install(), CET_ERR_RUNTIME);
  assert_non_null(strstr(cet_error_message(), "already installed"));
  cet_error_clear();
  raise(SIGUSR1);
  assert_int_equal(seen_by_previous, 0);
  cet_signals_restore();
  cet_signals_restore(); /* no-op when not installed */
  raise(SIGUSR1);
  assert_int_equal(seen_by_previous, SIGUSR1);
  /* install clears a recorded signal */
  assert_int_equal(cet_signals_install(), CET_OK);
  assert_int_equal(cet_signals_pending(), 0);
  cet_signals_restore();
  sa.sa_handler = SIG_DFL;
  sigaction(SIGUSR1, &sa, NULL);
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(cet_signals_name(SIGTERM), "SIGTERM");
  assert_string_equal(cet_signals_name(SIGUSR1), "SIGUSR1");
  assert_string_equal(cet_signals_name(SIGINT), "signal 2");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_records_first_signal),
      cmocka_unit_test(test_restore_and_twice),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
