/*
 * test_support.c — temporary files and error-message checks for the C
 * tests (see test_support.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"
#include "model_support.h"

#include "cetwin/case.h"
#include "cetwin/drivers.h"
#include "cetwin/config_load.h"
#include "cetwin/error.h"

#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

const char *cet_test_tmpdir(void) {
  static char dir[256];
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/cetwin-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
  }
  return dir;
}

const char *cet_test_write(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", cet_test_tmpdir(), name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
  return path;
}

const char *cet_test_capture_stderr(void (*fn)(void *), void *arg) {
  static char text[8192];
  char path[512];
  snprintf(path, sizeof path, "%s/stderr.txt", cet_test_tmpdir());
  fflush(stderr);
  int saved = dup(fileno(stderr));
  assert_non_null(freopen(path, "w", stderr));
  fn(arg);
  fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* Asserts that the error chain's text holds every fragment of ap. */
static void expect_fragments(const char *context, const char *fragment, va_list ap) {
  char text[4096];
  cet_error_format(text, sizeof text, 0);
  for (const char *f = fragment; f; f = va_arg(ap, const char *)) {
    if (!strstr(text, f)) {
      fprintf(stderr, "%serror message:\n  %s\ndoes not contain:\n  %s\n", context, text, f);
      fail();
    }
  }
  cet_error_clear();
}

void cet_test_expect_message(const char *fragment, ...) {
  va_list ap;
  va_start(ap, fragment);
  expect_fragments("", fragment, ap);
  va_end(ap);
}

int cet_test_load_case(const char *path, const char *const *sets, size_t n, cet_case **out) {
  cet_config *cfg = NULL;
  *out = NULL;
  cet_error_clear();
  int status = cet_config_load(path, sets, n, MPI_COMM_SELF, &cfg);
  if (status == CET_OK) {
    status = cet_case_read(cfg, path, cet_analyses(), out);
  }
  cet_config_destroy(&cfg);
  return status;
}

void cet_test_expect_case_error(const char *path, const char *set, const char *fragment, ...) {
  cet_case *c = NULL;
  int status = cet_test_load_case(path, &set, set ? 1 : 0, &c);
  cet_case_destroy(&c);
  assert_int_equal(status, CET_ERR_INPUT);
  char context[1024];
  snprintf(context, sizeof context, "--set %s\n", set ? set : "(none)");
  va_list ap;
  va_start(ap, fragment);
  expect_fragments(context, fragment, ap);
  va_end(ap);
}

int cet_test_read_case(const char *path, const char *const *sets, size_t n, void **out) {
  cet_case *c = NULL;
  int status = cet_test_load_case(path, sets, n, &c);
  *out = c;
  return status;
}

double cet_test_metric(const void *twin, const char *name) {
  cet_test_twin tt;
  cet_test_twin_attach(&tt, twin);
  cet_test_twin_evaluate(&tt);
  double x = cet_test_twin_metric(&tt, name);
  cet_test_twin_release(&tt);
  return x;
}

int cet_test_reconcile(const cet_case *c, cet_reconcile_result **out) {
  cet_test_twin tt;
  cet_test_twin_attach(&tt, c->twin);
  cet_test_twin_evaluate(&tt);
  int status = cet_reconcile_run(c->twin, c->reconcile, cet_twin_workspace_edge_flows(tt.ws), out);
  cet_test_twin_release(&tt);
  return status;
}

cet_reconcile_result *cet_test_reconcile_ok(const cet_case *c) {
  cet_reconcile_result *r = NULL;
  int status = cet_test_reconcile(c, &r);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return r;
}

cet_case *cet_test_load_ok(const char *path) {
  cet_case *c = NULL;
  int status = cet_test_load_case(path, NULL, 0, &c);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  return c;
}

int cet_test_read_shipped(const char *name, void **out) {
  char path[512];
  snprintf(path, sizeof path, "%s/configs/%s", CETWIN_SOURCE_DIR, name);
  int status = cet_test_read_case(path, NULL, 0, out);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  return status;
}

static cet_case *fixture_case; /* the case of cet_test_fixture_open */

void *cet_test_fixture_open(const char *name) {
  void *c = NULL;
  if (cet_test_read_shipped(name, &c) != CET_OK) {
    return NULL;
  }
  fixture_case = c;
  return c;
}

int cet_test_fixture_close(void **state) {
  (void)state;
  cet_case_destroy(&fixture_case);
  return 0;
}
