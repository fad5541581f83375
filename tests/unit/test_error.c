/*
 * test_error.c — unit tests of error.h: the message chain, its formatting,
 * the cleanup variants of the macros, exit codes and the GSL handler.
 */
#include "cetwin/error.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int inner(int x) {
  CET_CHECK(x > 0, CET_ERR_INPUT, "x must be positive, found %d", x);
  return CET_OK;
}

static int outer(int x) {
  CET_CALL(inner(x));
  return CET_OK;
}

static int with_cleanup(int x, int *cleaned) {
  int status = CET_OK;
  CET_CALL_GOTO(status, done, inner(x));
  CET_CHECK_GOTO(status, done, x < 10, CET_ERR_RUNTIME, "x too large: %d", x);
done:
  *cleaned = 1;
  return status;
}

static void test_chain_records_message_and_frames(void **state) {
  (void)state;
  cet_error_clear();
  assert_int_equal(outer(-2), CET_ERR_INPUT);
  assert_int_equal(cet_error_code(), CET_ERR_INPUT);
  assert_string_equal(cet_error_message(), "x must be positive, found -2");
  assert_int_equal(cet_error_depth(), 2);
  char text[1024];
  cet_error_format(text, sizeof text, 1);
  assert_non_null(strstr(text, "x must be positive"));
  assert_non_null(strstr(text, "test_error.c"));
  assert_non_null(strstr(text, "(outer)"));
  cet_error_clear();
  assert_int_equal(cet_error_depth(), 0);
  assert_int_equal(cet_error_code(), CET_OK);
  assert_string_equal(cet_error_message(), "");
}

static void test_goto_variants_clean_up(void **state) {
  (void)state;
  int cleaned = 0;
  assert_int_equal(with_cleanup(5, &cleaned), CET_OK);
  assert_int_equal(cleaned, 1);
  cleaned = 0;
  assert_int_equal(with_cleanup(-1, &cleaned), CET_ERR_INPUT);
  assert_int_equal(cleaned, 1);
  cet_error_clear();
  cleaned = 0;
  assert_int_equal(with_cleanup(11, &cleaned), CET_ERR_RUNTIME);
  assert_int_equal(cleaned, 1);
  assert_string_equal(cet_error_message(), "x too large: 11");
  cet_error_clear();
}

static void test_context_messages_are_listed(void **state) {
  (void)state;
  cet_error_clear();
  cet_error_push(CET_ERR_INPUT, "a.c", 1, "f", "inner cause");
  cet_error_push(CET_ERR_INPUT, "b.c", 2, "g", "while reading x");
  char text[512];
  cet_error_format(text, sizeof text, 0);
  assert_string_equal(text, "inner cause\n  while: while reading x");
  cet_error_clear();
}

/* A frame of a failure: where it was recorded or passed through, and
 * whether in a helper that works for its caller. */
typedef struct {
  const char *file;
  const char *func;
  int for_caller;
} frame;

/* The text of a failure recorded at frames[0] (by a helper that works for
 * its caller with lead and rest, else by CET_CHECK with lead and rest
 * joined) and traced through the frames after it (a NULL file ends them). */
static const char *failure_chain(const char *lead, const char *rest, const frame *frames) {
  static char text[512];
  cet_error_clear();
  if (frames[0].for_caller) {
    cet_error_push_for_caller(CET_ERR_MEMORY, frames[0].file, 1, frames[0].func, lead, "%s", rest);
  } else {
    cet_error_push(CET_ERR_MEMORY, frames[0].file, 1, frames[0].func, "%s%s", lead, rest);
  }
  for (size_t i = 1; frames[i].file; i++) {
    if (frames[i].for_caller) {
      cet_error_trace_for_caller(CET_ERR_MEMORY, frames[i].file, (int)i, frames[i].func);
    } else {
      cet_error_trace(CET_ERR_MEMORY, frames[i].file, (int)i, frames[i].func);
    }
  }
  cet_error_format(text, sizeof text, 0);
  cet_error_clear();
  return text;
}

/* A helper that works for its caller (cet_array_grow, the cet_strbuf
 * functions) ran out of memory: the message names the first function
 * outside such helpers, else the outermost helper, wherever their source
 * files are; a failure of any other function keeps its message, whatever
 * its file is called. */
static void test_memory_names_the_caller(void **state) {
  (void)state;
  const char *oom = "out of memory", *rest = " for 8 elements of 1 bytes";
  const frame through[] = {{"src/core/array.c", "cet_array_grow", 1},
                           {"src/core/str.c", "cet_strbuf_printf", 1},
                           {"src/io/export.c", "put_rows", 0},
                           {"src/io/export.c", "table_text", 0},
                           {NULL, NULL, 0}};
  assert_string_equal(failure_chain(oom, rest, through),
                      "out of memory in put_rows for 8 elements of 1 bytes");
  const frame helpers[] = {{"/abs/src/core/array.c", "cet_array_grow", 1},
                           {"/abs/src/core/str.c", "cet_strbuf_printf", 1},
                           {NULL, NULL, 0}};
  assert_string_equal(failure_chain(oom, rest, helpers),
                      "out of memory in cet_strbuf_printf for 8 elements of 1 bytes");
  /* helpers moved, or built from other paths */
  const frame moved[] = {{"lib/grow.c", "cet_array_grow", 1},
                         {"text/buffer.c", "cet_strbuf_appendn", 1},
                         {"read.c", "read_axis", 0},
                         {NULL, NULL, 0}};
  assert_string_equal(failure_chain(oom, rest, moved),
                      "out of memory in read_axis for 8 elements of 1 bytes");
  /* a plain failure in a file whose name a helper's once had */
  const frame plain[] = {{"src/core/array.c", "number_labels", 0},
                         {"src/core/str.c", "read_axis", 0},
                         {NULL, NULL, 0}};
  assert_string_equal(failure_chain(oom, " in number_labels", plain),
                      "out of memory in number_labels");
  const char *overflow = "cannot hold 9 elements of 8 bytes: the size overflows";
  const frame overflowed[] = {{"src/core/array.c", "cet_array_grow", 0},
                              {"src/io/export.c", "put_rows", 0},
                              {NULL, NULL, 0}};
  assert_string_equal(failure_chain(overflow, "", overflowed), overflow);
  /* the message of the chain stays the helper's own */
  cet_error_clear();
  cet_error_push_for_caller(CET_ERR_MEMORY, "a.c", 1, "cet_array_grow", "out of memory",
                            " for %d elements", 3);
  cet_error_trace(CET_ERR_MEMORY, "b.c", 2, "fill");
  assert_string_equal(cet_error_message(), "out of memory for 3 elements");
  cet_error_clear();
}

/* What cet_error_print writes for the recorded chain. */
static void printed(char *buf, size_t len) {
  FILE *f = tmpfile();
  assert_non_null(f);
  cet_error_print(f, 0);
  rewind(f);
  size_t n = fread(buf, 1, len - 1, f);
  buf[n] = '\0';
  fclose(f);
}

/* A failure is an error; a run stopped after its checkpoint is a notice. */
static void test_interruption_is_a_notice(void **state) {
  (void)state;
  char text[512];
  cet_error_clear();
  cet_error_push(CET_ERR_RUNTIME, "a.c", 1, "f", "disk full");
  printed(text, sizeof text);
  assert_string_equal(text, "cetwin: error: disk full\n");
  cet_error_clear();
  cet_error_push(CET_ERR_INTERRUPTED, "a.c", 1, "f", "interrupted by SIGTERM");
  printed(text, sizeof text);
  assert_string_equal(text, "cetwin: notice: interrupted by SIGTERM\n");
  cet_error_clear();
}

static void test_chain_overflow_is_reported(void **state) {
  (void)state;
  cet_error_clear();
  for (int i = 0; i < 100; i++) {
    cet_error_trace(CET_ERR_RUNTIME, "x.c", i, "f");
  }
  assert_int_equal(cet_error_depth(), 64);
  char text[8192];
  cet_error_format(text, sizeof text, 0);
  assert_non_null(strstr(text, "36 more frames dropped"));
  cet_error_clear();
}

static void test_exit_codes(void **state) {
  (void)state;
  assert_int_equal(cet_exit_code(CET_OK), 0);
  assert_int_equal(cet_exit_code(CET_ERR_INPUT), 1);
  assert_int_equal(cet_exit_code(CET_ERR_RUNTIME), 2);
  assert_int_equal(cet_exit_code(CET_ERR_MEMORY), 2);
  assert_int_equal(cet_exit_code(CET_ERR_INTERRUPTED), 3);
}

static int singular_solve(void) {
  gsl_matrix *m = gsl_matrix_calloc(2, 2); /* all zeros: singular */
  gsl_permutation *p = gsl_permutation_alloc(2);
  gsl_vector *b = gsl_vector_calloc(2), *x = gsl_vector_calloc(2);
  int sign = 0;
  gsl_linalg_LU_decomp(m, p, &sign);
  int status = gsl_linalg_LU_solve(m, p, b, x);
  gsl_matrix_free(m);
  gsl_permutation_free(p);
  gsl_vector_free(b);
  gsl_vector_free(x);
  CET_GSL_CALL(status);
  return CET_OK;
}

static void test_gsl_errors_become_statuses(void **state) {
  (void)state;
  cet_error_install_gsl_handler();
  cet_error_clear();
  /* with GSL's default handler this would abort the process */
  assert_int_equal(singular_solve(), CET_ERR_RUNTIME);
  assert_non_null(strstr(cet_error_message(), "GSL call failed"));
  assert_non_null(strstr(cet_error_message(), "singular"));
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chain_records_message_and_frames),
      cmocka_unit_test(test_goto_variants_clean_up),
      cmocka_unit_test(test_context_messages_are_listed),
      cmocka_unit_test(test_memory_names_the_caller),
      cmocka_unit_test(test_interruption_is_a_notice),
      cmocka_unit_test(test_chain_overflow_is_reported),
      cmocka_unit_test(test_exit_codes),
      cmocka_unit_test(test_gsl_errors_become_statuses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
