/*
 * timer.h — wall-clock time for timings and progress estimates.
 */
#ifndef CETWIN_TIMER_H
#define CETWIN_TIMER_H

/* Seconds on a monotonic clock (arbitrary origin). */
double cet_timer_now(void);

/* CPU seconds used by the calling process so far (all its threads): on a
 * shared machine, the work done, where wall time also counts waiting. */
double cet_timer_cpu(void);

/* Accumulating stopwatch. */
typedef struct {
  double started; /* time of the last start, or negative when stopped */
  double elapsed; /* accumulated seconds */
} cet_timer;

void cet_timer_reset(cet_timer *t);
void cet_timer_start(cet_timer *t);
void cet_timer_stop(cet_timer *t);
/* Accumulated seconds, including a running interval. */
double cet_timer_seconds(const cet_timer *t);

#endif /* CETWIN_TIMER_H */
