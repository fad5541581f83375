/*
 * progress.c — rate-limited progress lines with ETA (see progress.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/progress.h"

#include "cetwin/log.h"
#include "cetwin/timer.h"

#include <stdio.h>
#include <unistd.h>

enum { PROGRESS_LOG_INTERVAL_S = 10, PROGRESS_TTY_INTERVAL_MS = 250 };

static void format_duration(char *buf, size_t len, double seconds) {
  if (seconds < 0.0 || seconds != seconds) {
    snprintf(buf, len, "?");
  } else if (seconds < 60.0) {
    snprintf(buf, len, "%.0fs", seconds);
  } else if (seconds < 3600.0) {
    snprintf(buf, len, "%dm%02ds", (int)(seconds / 60.0), (int)seconds % 60);
  } else {
    snprintf(buf, len, "%dh%02dm", (int)(seconds / 3600.0), ((int)seconds % 3600) / 60);
  }
}

void cet_progress_begin(cet_progress *p, const char *label, double total) {
  p->label = label;
  p->total = total;
  p->started = cet_timer_now();
  p->last_print = p->started;
  p->enabled = cet_log_enabled(CET_LOG_INFO);
  p->tty = isatty(STDERR_FILENO);
  p->interval = p->tty ? PROGRESS_TTY_INTERVAL_MS / 1000.0 : PROGRESS_LOG_INTERVAL_S;
}

static void print_line(const cet_progress *p, double done, const char *extra, int final) {
  double now = cet_timer_now();
  double elapsed = now - p->started;
  double rate = elapsed > 0.0 ? done / elapsed : 0.0;
  char eta[32], spent[32];
  format_duration(eta, sizeof eta, rate > 0.0 ? (p->total - done) / rate : -1.0);
  format_duration(spent, sizeof spent, elapsed);
  double pct = p->total > 0.0 ? 100.0 * done / p->total : 100.0;
  const char *tail = extra ? extra : "";
  /* what the run printed before comes first where both streams go to one file (a
   * batch job's output), and a line of it is not cut by this one */
  fflush(stdout);
  if (final) {
    fprintf(stderr, "%scetwin: %s: %.0f/%.0f done in %s (%.3g/s)%s%s\n", p->tty ? "\r" : "",
            p->label, done, p->total, spent, rate, extra ? ", " : "", tail);
  } else {
    fprintf(stderr, "%scetwin: %s: %.0f/%.0f (%.1f%%), %.3g/s, ETA %s%s%s%s", p->tty ? "\r" : "",
            p->label, done, p->total, pct, rate, eta, extra ? ", " : "", tail,
            p->tty ? "\033[K" : "\n");
  }
  fflush(stderr);
}

void cet_progress_update(cet_progress *p, double done, const char *extra) {
  if (!p->enabled) {
    return;
  }
  double now = cet_timer_now();
  if (now - p->last_print < p->interval) {
    return;
  }
  p->last_print = now;
  print_line(p, done, extra, 0);
}

void cet_progress_end(cet_progress *p, double done) {
  if (!p->enabled) {
    return;
  }
  print_line(p, done, NULL, 1);
}
