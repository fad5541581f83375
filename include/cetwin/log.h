/*
 * log.h — rank-aware messages on stderr. Warnings and information come from
 * rank 0 only (every rank computes the same thing, so one voice suffices);
 * debug messages come from every rank, prefixed with the rank.
 */
#ifndef CETWIN_LOG_H
#define CETWIN_LOG_H

#include "cetwin/error.h"

typedef enum {
  CET_LOG_QUIET = 0, /* errors only */
  CET_LOG_WARN = 1,
  CET_LOG_INFO = 2, /* default: warnings, progress, information */
  CET_LOG_DEBUG = 3
} cet_log_level;

/* Sets this process's MPI rank and the level. Not collective. */
void cet_log_setup(int rank, cet_log_level level);

cet_log_level cet_log_get_level(void);

/* MPI rank given to cet_log_setup (0 before). */
int cet_log_rank(void);

/* 1 if this rank prints messages at the given level. */
int cet_log_enabled(cet_log_level level);

void cet_log_warn(const char *fmt, ...) CET_PRINTF(1, 2);
void cet_log_info(const char *fmt, ...) CET_PRINTF(1, 2);
void cet_log_debug(const char *fmt, ...) CET_PRINTF(1, 2);

#endif /* CETWIN_LOG_H */
