/*
 * test_csv.c — unit tests of csv.h: yearly, monthly and daily series with
 * headers, comments, quotes, spaces and CRLF; reading from a file; every
 * error names file:line:column and what was expected.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, unlink */

#include "cetwin/csv.h"
#include "cetwin/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static cet_csv_series *parse_ok(const char *text) {
  cet_csv_series *s = NULL;
  if (cet_csv_parse_series(text, strlen(text), "prices.csv", &s) != CET_OK) {
    cet_error_print(stderr, 1);
    fail();
  }
  return s;
}

static void expect_error(const char *text, const char *message) {
  static char sentinel;
  cet_csv_series *s = (cet_csv_series *)(void *)&sentinel;
  cet_error_clear();
  assert_int_equal(cet_csv_parse_series(text, strlen(text), "prices.csv", &s), CET_ERR_INPUT);
  assert_null(s);
  if (strstr(cet_error_message(), message) == NULL) {
    fail_msg("message '%s' lacks '%s'", cet_error_message(), message);
  }
  cet_error_clear();
}

static void test_yearly_with_header_comments_and_crlf(void **state) {
  (void)state;
  cet_csv_series *s = parse_ok("# BaSO4 price, EUR/t\r\n"
                               "year , value\r\n"
                               "\r\n"
                               "2011, 120.5\r\n"
                               "  \"2012\" ,\"130\"\r\n"
                               "# a gap in the comments\n"
                               "2013,1.25e2");
  assert_int_equal(s->n, 3);
  assert_int_equal(s->period, CET_CSV_YEARLY);
  assert_int_equal(s->year[0], 2011);
  assert_int_equal(s->year[2], 2013);
  assert_int_equal(s->month[1], 0);
  assert_true(s->value[0] == 120.5 && s->value[1] == 130.0 && s->value[2] == 125.0);
  assert_int_equal(s->line[0], 4);
  assert_int_equal(s->line[2], 7);
  assert_string_equal(s->source, "prices.csv");
  cet_csv_series_destroy(&s);
  assert_null(s);
  cet_csv_series_destroy(&s);
  cet_csv_series_destroy(NULL);
}

static void test_monthly_and_daily_without_header(void **state) {
  (void)state;
  cet_csv_series *s = parse_ok("1999-11,1712.5\n1999-12,1800\n2000-01,-3\n");
  assert_int_equal(s->n, 3);
  assert_int_equal(s->period, CET_CSV_MONTHLY);
  assert_int_equal(s->month[0], 11);
  assert_int_equal(s->year[2], 2000);
  assert_true(s->value[2] == -3.0);
  cet_csv_series_destroy(&s);
  s = parse_ok("date,value\n2020-02-28,1\n2020-02-29,2\n2020-03-01,3\n");
  assert_int_equal(s->period, CET_CSV_DAILY);
  assert_int_equal(s->day[1], 29);
  cet_csv_series_destroy(&s);
  /* many rows, to grow the arrays */
  char *big = malloc(200 * 16);
  assert_non_null(big);
  size_t used = 0;
  for (int y = 1800; y < 2000; y++) {
    used += (size_t)snprintf(big + used, 16, "%d,%d\n", y, y - 1800);
  }
  s = parse_ok(big);
  assert_int_equal(s->n, 200);
  assert_true(s->value[199] == 199.0);
  cet_csv_series_destroy(&s);
  free(big);
}

static void test_errors_name_line_and_column(void **state) {
  (void)state;
  expect_error("year,value\n2020x,1\n", "prices.csv:2:1: expected a date");
  expect_error("2020-13,1\n", "prices.csv:1:1: expected a date");
  expect_error("2021-02-29,1\n", "found '2021-02-29'");
  expect_error("2020/01,1\n", "expected a date");
  expect_error("2020-01,1\n2021,2\n", "prices.csv:2:1: expected a month (YYYY-MM) like the first");
  expect_error("2020,1\n2020-05,2\n", "expected a year (YYYY)");
  expect_error("2020-01-01,1\n2020-02,2\n", "expected a day (YYYY-MM-DD)");
  expect_error("2020,1\n2019,2\n", "prices.csv:2:1: expected dates in increasing order, found "
                                   "'2019' after '2020' (line 1)");
  expect_error("2020,1\n2020,2\n", "increasing order");
  expect_error("2020, abc\n", "prices.csv:1:7: expected a number, found 'abc'");
  expect_error("2020,12x\n", "expected a number, found '12x'");
  expect_error("2020,\n", "prices.csv:1:6: expected a number, found ''");
  expect_error("2020,inf\n", "expected a finite number, found 'inf'");
  expect_error("2020,1e999\n", "expected a finite number");
  expect_error("2020,1,2\n", "prices.csv:1:7: expected 2 fields (date,value), found more");
  expect_error("2020\n", "prices.csv:1:5: expected 2 fields (date,value), found 1");
  expect_error("", "prices.csv: expected at least one date,value line, found none");
  expect_error("# only a comment\nyear,value\n", "found none");
  expect_error("year,value\nyear,value\n", "prices.csv:2:1: expected a date");
  expect_error("2020,00000000000000000000000000000000000000000000000000000000000000001\n",
               "expected a number");
}

static void test_read_file(void **state) {
  (void)state;
  char path[] = "/tmp/cetwin_test_csv_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  assert_non_null(fp);
  fputs("date,value\n2019-01,10\n2019-02,11\n", fp);
  fclose(fp);
  cet_csv_series *s = NULL;
  assert_int_equal(cet_csv_read_series(path, &s), CET_OK);
  assert_int_equal(s->n, 2);
  assert_string_equal(s->source, path);
  cet_csv_series_destroy(&s);
  fp = fopen(path, "w");
  assert_non_null(fp);
  fputs("2019,1\n2019,2\n", fp);
  fclose(fp);
  cet_error_clear();
  assert_int_equal(cet_csv_read_series(path, &s), CET_ERR_INPUT);
  char expected[64];
  snprintf(expected, sizeof expected, "%s:2:1:", path);
  assert_non_null(strstr(cet_error_message(), expected));
  assert_null(s);
  unlink(path);
  cet_error_clear();
  assert_int_equal(cet_csv_read_series(path, &s), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "cannot open"));
  cet_error_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_yearly_with_header_comments_and_crlf),
      cmocka_unit_test(test_monthly_and_daily_without_header),
      cmocka_unit_test(test_errors_name_line_and_column),
      cmocka_unit_test(test_read_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
