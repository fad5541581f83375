/*
 * log.c — rank-aware logging to stderr (see log.h).
 */
#include "cetwin/log.h"

#include <stdarg.h>
#include <stdio.h>

static int log_rank = 0;
static cet_log_level log_level = CET_LOG_INFO;

void cet_log_setup(int rank, cet_log_level level) {
  log_rank = rank;
  log_level = level;
}

cet_log_level cet_log_get_level(void) { return log_level; }

int cet_log_rank(void) { return log_rank; }

int cet_log_enabled(cet_log_level level) {
  if (level == CET_LOG_DEBUG) {
    return log_level >= CET_LOG_DEBUG;
  }
  return log_rank == 0 && log_level >= level;
}

static void emit(const char *prefix, const char *fmt, va_list ap) CET_PRINTF(2, 0);
static void emit(const char *prefix, const char *fmt, va_list ap) {
  char line[2048];
  vsnprintf(line, sizeof line, fmt, ap);
  fflush(stdout); /* in program order where both streams share one file */
  fprintf(stderr, "%s%s\n", prefix, line);
  fflush(stderr);
}

#define CET_LOG_AT(level, prefix)                                                                  \
  do {                                                                                             \
    if (cet_log_enabled(level)) {                                                                  \
      va_list ap;                                                                                  \
      va_start(ap, fmt);                                                                           \
      emit(prefix, fmt, ap);                                                                       \
      va_end(ap);                                                                                  \
    }                                                                                              \
  } while (0)

void cet_log_warn(const char *fmt, ...) { CET_LOG_AT(CET_LOG_WARN, "cetwin: warning: "); }

void cet_log_info(const char *fmt, ...) { CET_LOG_AT(CET_LOG_INFO, "cetwin: "); }

void cet_log_debug(const char *fmt, ...) {
  char prefix[48];
  snprintf(prefix, sizeof prefix, "cetwin[%d]: debug: ", log_rank);
  CET_LOG_AT(CET_LOG_DEBUG, prefix);
}
