/*
 * error.h — status codes, the per-thread error message chain, and the
 * CET_CALL / CET_CHECK macros every fallible function uses.
 *
 * A failing check records a message with the source file and line of the
 * check; every CET_CALL that propagates the failure adds a frame, so the
 * chain reads from the innermost cause outwards. The chain is thread-local:
 * OpenMP threads never see each other's errors.
 */
#ifndef CETWIN_ERROR_H
#define CETWIN_ERROR_H

#include <stddef.h>
#include <stdio.h>

/* Status codes; 0..3 are also the process exit codes (see cet_exit_code). */
enum cet_status {
  CET_OK = 0,
  CET_ERR_INPUT = 1,       /* bad input: case file, arguments, data files */
  CET_ERR_RUNTIME = 2,     /* failure while running: I/O, numerics, MPI */
  CET_ERR_INTERRUPTED = 3, /* stopped by a signal after a checkpoint */
  CET_ERR_MEMORY = 4       /* an allocation failed */
};

#if defined(__GNUC__)
#define CET_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define CET_PRINTF(fmt_index, first_arg)
#endif

/* Records a failure with a message (printf-style) at file:line in func. */
void cet_error_push(int code, const char *file, int line, const char *func, const char *fmt, ...)
    CET_PRINTF(5, 6);

/* Records that a failure passed through file:line in func (no message). */
void cet_error_trace(int code, const char *file, int line, const char *func);

/* The same for a helper that works for its caller (cet_array_grow, the
 * cet_strbuf functions): the failure it records is reported as its
 * caller's, the first function outside such helpers that the failure passed
 * through (else the outermost helper). cet_error_push_for_caller records a
 * message lead followed by the printf-style rest, printed as "LEAD in
 * CALLER REST" ("out of memory in put_rows for 8 elements of 1 bytes");
 * cet_error_message() gives "LEAD REST". cet_error_trace_for_caller records
 * that the failure passed through such a helper. */
void cet_error_push_for_caller(int code, const char *file, int line, const char *func,
                               const char *lead, const char *fmt, ...) CET_PRINTF(6, 7);
void cet_error_trace_for_caller(int code, const char *file, int line, const char *func);

/* Forgets every recorded failure of the calling thread. */
void cet_error_clear(void);

/* Status code of the innermost recorded failure, CET_OK if none. */
int cet_error_code(void);

/* Message of the innermost recorded failure ("" if none). The pointer stays
 * valid until the next push or clear on this thread. */
const char *cet_error_message(void);

/* Number of frames in the chain of the calling thread. */
size_t cet_error_depth(void);

/* Writes the chain: "cetwin: error: MESSAGE" ("cetwin: notice: MESSAGE"
 * when the run was interrupted after a checkpoint, a planned stop), then
 * any outer context messages, and with verbose the source location of
 * every frame. When the failure was recorded by a helper that works for its
 * caller (cet_error_push_for_caller: cet_array_grow, the cet_strbuf
 * functions running out of memory), MESSAGE names the function it worked
 * for, the first outside such helpers: "out of memory in FUNC for ...". */
void cet_error_print(FILE *stream, int verbose);

/* Copies the full chain as text (as cet_error_print without the prefix)
 * into buf of size len, truncating; used to send an error to other ranks. */
void cet_error_format(char *buf, size_t len, int verbose);

/* Maps a status to the process exit code: 0 ok, 1 bad input, 2 runtime
 * failure (and out of memory), 3 interrupted after a checkpoint. */
int cet_exit_code(int status);

/* Replaces GSL's default error handler (which aborts) with one that records
 * the GSL error in the chain; the failing GSL call's status is then turned
 * into CET_ERR_RUNTIME by CET_GSL_CALL. Call once at start-up. */
void cet_error_install_gsl_handler(void);

/* Returns from the current function with code if cond is false. */
#define CET_CHECK(cond, code, ...)                                                                 \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      cet_error_push((code), __FILE__, __LINE__, __func__, __VA_ARGS__);                           \
      return (code);                                                                               \
    }                                                                                              \
  } while (0)

/* Evaluates a fallible call and returns its status if it failed. */
#define CET_CALL(expr)                                                                             \
  do {                                                                                             \
    int cet_call_status_ = (expr);                                                                 \
    if (cet_call_status_ != CET_OK) {                                                              \
      cet_error_trace(cet_call_status_, __FILE__, __LINE__, __func__);                             \
      return cet_call_status_;                                                                     \
    }                                                                                              \
  } while (0)

/* CET_CHECK and CET_CALL for a helper that works for its caller
 * (cet_error_push_for_caller): the failure is reported as the caller's, the
 * message being "LEAD in CALLER" and the rest of the format. */
#define CET_CHECK_FOR_CALLER(cond, code, lead, ...)                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      cet_error_push_for_caller((code), __FILE__, __LINE__, __func__, (lead), __VA_ARGS__);        \
      return (code);                                                                               \
    }                                                                                              \
  } while (0)

#define CET_CALL_FOR_CALLER(expr)                                                                  \
  do {                                                                                             \
    int cet_call_status_ = (expr);                                                                 \
    if (cet_call_status_ != CET_OK) {                                                              \
      cet_error_trace_for_caller(cet_call_status_, __FILE__, __LINE__, __func__);                  \
      return cet_call_status_;                                                                     \
    }                                                                                              \
  } while (0)

/* Variants for functions that must release resources: they store the status
 * in the variable named by status and jump to label instead of returning. */
#define CET_CHECK_GOTO(status, label, cond, code, ...)                                             \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      cet_error_push((code), __FILE__, __LINE__, __func__, __VA_ARGS__);                           \
      (status) = (code);                                                                           \
      goto label;                                                                                  \
    }                                                                                              \
  } while (0)

#define CET_CALL_GOTO(status, label, expr)                                                         \
  do {                                                                                             \
    (status) = (expr);                                                                             \
    if ((status) != CET_OK) {                                                                      \
      cet_error_trace((status), __FILE__, __LINE__, __func__);                                     \
      goto label;                                                                                  \
    }                                                                                              \
  } while (0)

/* Checks that an allocation succeeded; the message names the function. */
#define CET_CHECK_ALLOC(ptr) CET_CHECK_ALLOCS((ptr) != NULL)

/* Checks that several allocations succeeded at once (cond joins the
 * pointers with &&, or is a flag that an allocating helper set); the same
 * message as CET_CHECK_ALLOC's, naming the function. */
#define CET_CHECK_ALLOCS(cond) CET_CHECK((cond), CET_ERR_MEMORY, "out of memory in %s", __func__)

/* The variant for functions that must release resources: cond is one pointer
 * or several joined with &&; on failure the status is CET_ERR_MEMORY and
 * control jumps to label, with the same message as CET_CHECK_ALLOC's. */
#define CET_CHECK_ALLOC_GOTO(status, label, cond)                                                  \
  CET_CHECK_GOTO((status), label, (cond), CET_ERR_MEMORY, "out of memory in %s", __func__)

/* Wraps a GSL call that returns a GSL status. */
#define CET_GSL_CALL(expr)                                                                         \
  do {                                                                                             \
    int cet_gsl_status_ = (expr);                                                                  \
    if (cet_gsl_status_ != 0) {                                                                    \
      cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "GSL call failed: %s", #expr); \
      return CET_ERR_RUNTIME;                                                                      \
    }                                                                                              \
  } while (0)

#endif /* CETWIN_ERROR_H */
