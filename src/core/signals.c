/*
 * signals.c — a handler that records SIGTERM and SIGUSR1 so that a driver
 * can checkpoint and stop at a safe point (see signals.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/signals.h"

#include "cetwin/error.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

enum { SIGNALS_NAME_LEN = 32 };

static const int HANDLED[] = {SIGTERM, SIGUSR1};
#define N_HANDLED (sizeof HANDLED / sizeof HANDLED[0])

static volatile sig_atomic_t received = 0;
static struct sigaction previous[N_HANDLED];
static int installed = 0;

static void record(int signum) {
  if (received == 0) {
    received = signum;
  }
}

int cet_signals_install(void) {
  CET_CHECK(!installed, CET_ERR_RUNTIME, "the signal handlers are already installed");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = record;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART; /* system calls (MPI's included) continue after the handler */
  received = 0;
  for (size_t i = 0; i < N_HANDLED; i++) {
    if (sigaction(HANDLED[i], &sa, &previous[i]) != 0) {
      int err = errno;
      for (size_t j = 0; j < i; j++) {
        sigaction(HANDLED[j], &previous[j], NULL);
      }
      CET_CHECK(0, CET_ERR_RUNTIME, "cannot install a handler for %s: %s",
                cet_signals_name(HANDLED[i]), strerror(err));
    }
  }
  installed = 1;
  return CET_OK;
}

void cet_signals_restore(void) {
  if (!installed) {
    return;
  }
  for (size_t i = 0; i < N_HANDLED; i++) {
    sigaction(HANDLED[i], &previous[i], NULL);
  }
  installed = 0;
}

int cet_signals_pending(void) { return (int)received; }

void cet_signals_clear(void) { received = 0; }

const char *cet_signals_name(int signum) {
  static char other[SIGNALS_NAME_LEN];
  switch (signum) {
  case SIGTERM:
    return "SIGTERM";
  case SIGUSR1:
    return "SIGUSR1";
  default:
    snprintf(other, sizeof other, "signal %d", signum);
    return other;
  }
}
