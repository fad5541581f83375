/*
 * error.c — the thread-local error chain behind CET_CALL / CET_CHECK, its
 * printing, the mapping to exit codes, and the GSL error handler.
 */
#include "cetwin/error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <string.h>

enum { CET_ERROR_MAX_FRAMES = 64, CET_ERROR_MESSAGE_LEN = 1024 };

typedef struct {
  int code;
  const char *file;
  int line;
  const char *func;
  int for_caller;                      /* 1: in a helper that works for its caller */
  size_t caller_at;                    /* for_caller: where " in CALLER" goes in message */
  char message[CET_ERROR_MESSAGE_LEN]; /* empty for a pure trace frame */
} cet_error_frame;

typedef struct {
  cet_error_frame frames[CET_ERROR_MAX_FRAMES];
  size_t depth;
  size_t dropped;
  char gsl_reason[CET_ERROR_MESSAGE_LEN]; /* last GSL error, until consumed */
} cet_error_chain;

static _Thread_local cet_error_chain chain;

static cet_error_frame *next_frame(void) {
  if (chain.depth < CET_ERROR_MAX_FRAMES) {
    return &chain.frames[chain.depth++];
  }
  chain.dropped++;
  return NULL;
}

/* The next frame, filled with the location; NULL when the chain is full. */
static cet_error_frame *located_frame(int code, const char *file, int line, const char *func) {
  cet_error_frame *f = next_frame();
  if (f) {
    f->code = code;
    f->file = file;
    f->line = line;
    f->func = func;
    f->for_caller = 0;
    f->caller_at = 0;
    f->message[0] = '\0';
  }
  return f;
}

/* Writes the message of frame f: lead, then fmt with ap, then the pending
 * GSL reason. */
static void write_message(cet_error_frame *f, const char *lead, const char *fmt, va_list ap)
    CET_PRINTF(3, 0);
static void write_message(cet_error_frame *f, const char *lead, const char *fmt, va_list ap) {
  snprintf(f->message, sizeof f->message, "%s", lead);
  size_t used = strlen(f->message);
  f->caller_at = used;
  vsnprintf(f->message + used, sizeof f->message - used, fmt, ap);
  if (chain.gsl_reason[0] != '\0') {
    used = strlen(f->message);
    snprintf(f->message + used, sizeof f->message - used, " (%s)", chain.gsl_reason);
    chain.gsl_reason[0] = '\0';
  }
}

void cet_error_push(int code, const char *file, int line, const char *func, const char *fmt, ...) {
  cet_error_frame *f = located_frame(code, file, line, func);
  if (!f) {
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  write_message(f, "", fmt, ap);
  va_end(ap);
}

void cet_error_push_for_caller(int code, const char *file, int line, const char *func,
                               const char *lead, const char *fmt, ...) {
  cet_error_frame *f = located_frame(code, file, line, func);
  if (!f) {
    return;
  }
  f->for_caller = 1;
  va_list ap;
  va_start(ap, fmt);
  write_message(f, lead, fmt, ap);
  va_end(ap);
}

void cet_error_trace(int code, const char *file, int line, const char *func) {
  located_frame(code, file, line, func);
}

void cet_error_trace_for_caller(int code, const char *file, int line, const char *func) {
  cet_error_frame *f = located_frame(code, file, line, func);
  if (f) {
    f->for_caller = 1;
  }
}

void cet_error_clear(void) {
  chain.depth = 0;
  chain.dropped = 0;
  chain.gsl_reason[0] = '\0';
}

int cet_error_code(void) { return chain.depth ? chain.frames[0].code : CET_OK; }

const char *cet_error_message(void) {
  for (size_t i = 0; i < chain.depth; i++) {
    if (chain.frames[i].message[0] != '\0') {
      return chain.frames[i].message;
    }
  }
  return "";
}

size_t cet_error_depth(void) { return chain.depth; }

static size_t append(char *buf, size_t len, size_t used, const char *fmt, ...) CET_PRINTF(4, 5);

static size_t append(char *buf, size_t len, size_t used, const char *fmt, ...) {
  if (used >= len) {
    return used;
  }
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + used, len - used, fmt, ap);
  va_end(ap);
  if (n < 0) {
    return used;
  }
  return used + (size_t)n < len ? used + (size_t)n : len;
}

/* The function a helper that works for its caller recorded the failure of
 * frame i for (cet_error_push_for_caller): the first function outside such
 * helpers the failure passed through, else the outermost helper it passed
 * through (NULL: frame i is not such a failure). */
static const char *failure_caller(size_t i) {
  if (!chain.frames[i].for_caller) {
    return NULL;
  }
  for (size_t j = i + 1; j < chain.depth; j++) {
    if (!chain.frames[j].for_caller) {
      return chain.frames[j].func;
    }
  }
  return chain.frames[chain.depth - 1].func;
}

void cet_error_format(char *buf, size_t len, int verbose) {
  if (len == 0) {
    return;
  }
  buf[0] = '\0';
  size_t used = 0;
  int first = 1;
  for (size_t i = 0; i < chain.depth; i++) {
    const cet_error_frame *f = &chain.frames[i];
    const char *caller = first && f->message[0] != '\0' ? failure_caller(i) : NULL;
    if (caller) { /* "LEAD in CALLER REST": "out of memory in CALLER for ..." */
      used = append(buf, len, used, "%.*s in %s%s", (int)f->caller_at, f->message, caller,
                    f->message + f->caller_at);
      first = 0;
    } else if (f->message[0] != '\0') {
      used = append(buf, len, used, first ? "%s" : "\n  while: %s", f->message);
      first = 0;
    }
    if (verbose) {
      used = append(buf, len, used, "\n    at %s:%d (%s)", f->file, f->line, f->func);
    }
  }
  if (first) {
    used = append(buf, len, used, "unknown failure (status %d)", cet_error_code());
  }
  if (chain.dropped) {
    append(buf, len, used, "\n  (%zu more frames dropped)", chain.dropped);
  }
}

void cet_error_print(FILE *stream, int verbose) {
  char text[CET_ERROR_MAX_FRAMES * 128];
  cet_error_format(text, sizeof text, verbose);
  /* a run stopped by a signal after its checkpoint did what was asked */
  const char *kind = cet_error_code() == CET_ERR_INTERRUPTED ? "notice" : "error";
  fprintf(stream, "cetwin: %s: %s\n", kind, text);
}

int cet_exit_code(int status) {
  switch (status) {
  case CET_OK:
    return 0;
  case CET_ERR_INPUT:
    return 1;
  case CET_ERR_INTERRUPTED:
    return 3;
  default:
    return 2;
  }
}

static void gsl_handler(const char *reason, const char *file, int line, int gsl_errno) {
  snprintf(chain.gsl_reason, sizeof chain.gsl_reason, "GSL: %s [%s:%d, code %d]", reason, file,
           line, gsl_errno);
}

void cet_error_install_gsl_handler(void) { gsl_set_error_handler(gsl_handler); }
