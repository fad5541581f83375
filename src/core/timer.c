/*
 * timer.c — monotonic wall-clock timer and process CPU time (see timer.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/timer.h"

#include <time.h>

static double seconds_of(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double cet_timer_now(void) { return seconds_of(CLOCK_MONOTONIC); }

double cet_timer_cpu(void) { return seconds_of(CLOCK_PROCESS_CPUTIME_ID); }

void cet_timer_reset(cet_timer *t) {
  t->started = -1.0;
  t->elapsed = 0.0;
}

void cet_timer_start(cet_timer *t) { t->started = cet_timer_now(); }

void cet_timer_stop(cet_timer *t) {
  if (t->started >= 0.0) {
    t->elapsed += cet_timer_now() - t->started;
    t->started = -1.0;
  }
}

double cet_timer_seconds(const cet_timer *t) {
  return t->elapsed + (t->started >= 0.0 ? cet_timer_now() - t->started : 0.0);
}
