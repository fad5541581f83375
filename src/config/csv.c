/*
 * csv.c — readers of CSV files (see csv.h): `date,value` time series and
 * tables of text fields (plant measurements).
 */
#include "cetwin/csv.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { FIELDS = 2, QUOTE_FOUND = 60 };

/* A field of a line: [begin, end) trimmed, with its 1-based column. */
typedef struct {
  const char *begin, *end;
  int column;
} field;

typedef struct {
  const char *source;
  int line;
} position;

/* Copies at most QUOTE_FOUND bytes of a field for messages. */
static void quote(const field *f, char *buf, size_t len) {
  size_t n = (size_t)(f->end - f->begin);
  if (n >= len) {
    n = len - 1;
  }
  memcpy(buf, f->begin, n);
  buf[n] = '\0';
}

static int is_blank(int c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits [begin, end) at commas into at most max + 1 trimmed fields (f
 * holds max + 1); *count gets the number of fields found (max + 1 meaning
 * "more"). */
static void split(const char *begin, const char *end, const char *line_start, field *f, int max,
                  int *count) {
  int n = 0;
  const char *p = begin;
  for (;;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma != NULL ? comma : end;
    const char *b = p, *e = stop;
    while (b < e && is_blank((unsigned char)*b)) {
      b++;
    }
    while (e > b && is_blank((unsigned char)e[-1])) {
      e--;
    }
    if (e - b >= 2 && *b == '"' && e[-1] == '"') {
      b++;
      e--;
    }
    if (n <= max) {
      f[n] = (field){b, e, (int)(b - line_start) + 1};
    }
    n++;
    if (comma == NULL || n > max) {
      break;
    }
    p = comma + 1;
  }
  *count = n;
}

static int days_in_month(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return days[month - 1] + (month == 2 && leap);
}

/* Reads exactly `digits` decimal digits at p; -1 if not. */
static int read_digits(const char *p, const char *end, int digits) {
  if (end - p < digits) {
    return -1;
  }
  int v = 0;
  for (int i = 0; i < digits; i++) {
    if (!isdigit((unsigned char)p[i])) {
      return -1;
    }
    v = 10 * v + (p[i] - '0');
  }
  return v;
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD; returns the period or 0 if f is not a
 * date of any of these forms (or an invalid month or day). */
static cet_csv_period parse_date(const field *f, int *year, int *month, int *day) {
  const char *p = f->begin, *end = f->end;
  size_t len = (size_t)(end - p);
  *year = read_digits(p, end, 4);
  *month = *day = 0;
  if (*year < 1) {
    return 0;
  }
  if (len == 4) {
    return CET_CSV_YEARLY;
  }
  if (len < 7 || p[4] != '-') {
    return 0;
  }
  *month = read_digits(p + 5, end, 2);
  if (*month < 1 || *month > 12) {
    return 0;
  }
  if (len == 7) {
    return CET_CSV_MONTHLY;
  }
  if (len != 10 || p[7] != '-') {
    return 0;
  }
  *day = read_digits(p + 8, end, 2);
  if (*day < 1 || *day > days_in_month(*year, *month)) {
    return 0;
  }
  return CET_CSV_DAILY;
}

static const char *period_form(cet_csv_period p) {
  switch (p) {
  case CET_CSV_YEARLY:
    return "a year (YYYY)";
  case CET_CSV_MONTHLY:
    return "a month (YYYY-MM)";
  case CET_CSV_DAILY:
    return "a day (YYYY-MM-DD)";
  }
  return "a date";
}

static int grow(cet_csv_series *s, size_t *cap) {
  if (s->n < *cap) {
    return CET_OK;
  }
  size_t n = *cap > 0 ? 2 * *cap : 64;
  CET_CALL(cet_array_grow(&s->year, NULL, n, sizeof *s->year));
  CET_CALL(cet_array_grow(&s->month, NULL, n, sizeof *s->month));
  CET_CALL(cet_array_grow(&s->day, NULL, n, sizeof *s->day));
  CET_CALL(cet_array_grow(&s->line, NULL, n, sizeof *s->line));
  CET_CALL(cet_array_grow(&s->value, NULL, n, sizeof *s->value));
  *cap = n;
  return CET_OK;
}

static long date_key(int year, int month, int day) { return (year * 13L + month) * 32L + day; }

static void format_date(char *buf, size_t len, cet_csv_period p, int y, int m, int d) {
  if (p == CET_CSV_YEARLY) {
    snprintf(buf, len, "%04d", y);
  } else if (p == CET_CSV_MONTHLY) {
    snprintf(buf, len, "%04d-%02d", y, m);
  } else {
    snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
  }
}

/* Parses one data line already split into fields. */
static int parse_row(cet_csv_series *s, size_t *cap, const position *at, const field *f) {
  char found[QUOTE_FOUND + 1];
  int y, mo, d;
  cet_csv_period p = parse_date(&f[0], &y, &mo, &d);
  quote(&f[0], found, sizeof found);
  CET_CHECK(p != 0, CET_ERR_INPUT,
            "%s:%d:%d: expected a date (YYYY, YYYY-MM or YYYY-MM-DD), found '%s'", at->source,
            at->line, f[0].column, found);
  if (s->n == 0) {
    s->period = p;
  }
  CET_CHECK(p == s->period, CET_ERR_INPUT,
            "%s:%d:%d: expected %s like the first observation (line %d), found '%s'", at->source,
            at->line, f[0].column, period_form(s->period), s->line[0], found);
  if (s->n > 0) {
    size_t k = s->n - 1;
    char prev[16];
    format_date(prev, sizeof prev, p, s->year[k], s->month[k], s->day[k]);
    CET_CHECK(date_key(y, mo, d) > date_key(s->year[k], s->month[k], s->day[k]), CET_ERR_INPUT,
              "%s:%d:%d: expected dates in increasing order, found '%s' after '%s' (line %d)",
              at->source, at->line, f[0].column, found, prev, s->line[k]);
  }
  quote(&f[1], found, sizeof found);
  size_t flen = (size_t)(f[1].end - f[1].begin);
  char *stop = NULL;
  double v = NAN;
  if (flen > 0 && flen <= QUOTE_FOUND) {
    errno = 0;
    v = strtod(found, &stop);
  }
  CET_CHECK(stop != NULL && *stop == '\0', CET_ERR_INPUT, "%s:%d:%d: expected a number, found '%s'",
            at->source, at->line, f[1].column, found);
  CET_CHECK(isfinite(v) && errno != ERANGE, CET_ERR_INPUT,
            "%s:%d:%d: expected a finite number, found '%s'", at->source, at->line, f[1].column,
            found);
  CET_CALL(grow(s, cap));
  s->year[s->n] = y;
  s->month[s->n] = mo;
  s->day[s->n] = d;
  s->value[s->n] = v;
  s->line[s->n] = at->line;
  s->n++;
  return CET_OK;
}

static int parse(cet_csv_series *s, const char *text, size_t len) {
  size_t cap = 0;
  int seen_content = 0;
  position at = {s->source, 0};
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *stop = eol != NULL ? eol : end;
    at.line++;
    const char *q = p;
    while (q < stop && is_blank((unsigned char)*q)) {
      q++;
    }
    if (q < stop && *q != '#') {
      field f[FIELDS + 1];
      int count;
      split(p, stop, p, f, FIELDS, &count);
      CET_CHECK(count == FIELDS, CET_ERR_INPUT,
                "%s:%d:%d: expected 2 fields (date,value), found %s", at.source, at.line,
                count > FIELDS ? f[FIELDS].column - 1 : (int)(stop - p) + 1,
                count > FIELDS ? "more" : "1");
      int y, mo, d;
      int header = !seen_content && parse_date(&f[0], &y, &mo, &d) == 0 &&
                   !isdigit((unsigned char)*f[0].begin);
      if (!header) {
        CET_CALL(parse_row(s, &cap, &at, f));
      }
      seen_content = 1;
    }
    p = stop + (eol != NULL);
  }
  CET_CHECK(s->n > 0, CET_ERR_INPUT, "%s: expected at least one date,value line, found none",
            s->source);
  return CET_OK;
}

int cet_csv_parse_series(const char *text, size_t len, const char *source, cet_csv_series **out) {
  *out = NULL;
  cet_csv_series *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  int status = CET_OK;
  s->source = cet_strdup(source != NULL ? source : "(text)");
  CET_CHECK_ALLOC_GOTO(status, fail, s->source);
  CET_CALL_GOTO(status, fail, parse(s, text, len));
  *out = s;
  return CET_OK;
fail:
  cet_csv_series_destroy(&s);
  return status;
}

int cet_csv_read_series(const char *path, cet_csv_series **out) {
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  CET_CHECK(fp != NULL, CET_ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
  cet_strbuf text = {0};
  char chunk[4096];
  size_t got;
  int status = CET_OK;
  while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    CET_CALL_GOTO(status, done, cet_strbuf_appendn(&text, chunk, got));
  }
  CET_CHECK_GOTO(status, done, !ferror(fp), CET_ERR_INPUT, "cannot read '%s'", path);
  fclose(fp);
  fp = NULL;
  CET_CALL_GOTO(status, done,
                cet_csv_parse_series(text.text != NULL ? text.text : "", text.len, path, out));
done:
  if (fp) {
    fclose(fp);
  }
  cet_strbuf_free(&text);
  return status;
}

void cet_csv_series_destroy(cet_csv_series **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  free((*s)->year);
  free((*s)->month);
  free((*s)->day);
  free((*s)->value);
  free((*s)->line);
  free((*s)->source);
  free(*s);
  *s = NULL;
}

/* ---- tables of text fields ---- */

/* 1 when the n fields f equal the names (ignoring case). */
static int is_header(const field *f, size_t n, const char *const *names) {
  for (size_t i = 0; i < n; i++) {
    size_t len = (size_t)(f[i].end - f[i].begin);
    if (strlen(names[i]) != len || strncasecmp(f[i].begin, names[i], len) != 0) {
      return 0;
    }
  }
  return 1;
}

static int table_add(cet_csv_table *t, size_t *cap, const field *f, int line) {
  if (t->rows == *cap) {
    size_t n = *cap > 0 ? 2 * *cap : 64;
    CET_CALL(cet_array_grow(&t->cell, NULL, n * t->fields, sizeof *t->cell));
    CET_CALL(cet_array_grow(&t->column, NULL, n * t->fields, sizeof *t->column));
    CET_CALL(cet_array_grow(&t->line, NULL, n, sizeof *t->line));
    *cap = n;
  }
  for (size_t i = 0; i < t->fields; i++) {
    size_t k = t->rows * t->fields + i;
    t->cell[k] = cet_strndup(f[i].begin, (size_t)(f[i].end - f[i].begin));
    t->column[k] = f[i].column;
    if (t->cell[k] == NULL) {
      for (size_t j = 0; j < i; j++) {
        free(t->cell[t->rows * t->fields + j]);
      }
      CET_CHECK_ALLOC(NULL);
    }
  }
  t->line[t->rows++] = line;
  return CET_OK;
}

static int parse_table(cet_csv_table *t, const char *text, size_t len, const char *const *names) {
  size_t cap = 0;
  int line = 0, seen_content = 0, max = (int)t->fields;
  field *f = malloc((t->fields + 1) * sizeof *f);
  CET_CHECK_ALLOC(f);
  char expected[QUOTE_FOUND + 1];
  cet_str_join(expected, sizeof expected, names, t->fields, ",");
  int status = CET_OK;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *stop = eol != NULL ? eol : end;
    line++;
    const char *q = p;
    while (q < stop && is_blank((unsigned char)*q)) {
      q++;
    }
    if (q < stop && *q != '#') {
      int count;
      split(p, stop, p, f, max, &count);
      CET_CHECK_GOTO(status, done, count == max, CET_ERR_INPUT,
                     "%s:%d:%d: expected %d fields (%s), found %s%d", t->source, line,
                     count > max ? f[max].column - 1 : (int)(stop - p) + 1, max, expected,
                     count > max ? "more than " : "", count > max ? max : count);
      if (seen_content || !is_header(f, t->fields, names)) {
        CET_CALL_GOTO(status, done, table_add(t, &cap, f, line));
      }
      seen_content = 1;
    }
    p = stop + (eol != NULL);
  }
done:
  free(f);
  CET_CALL(status);
  CET_CHECK(t->rows > 0, CET_ERR_INPUT, "%s: expected at least one %s line, found none", t->source,
            expected);
  return CET_OK;
}

int cet_csv_parse_table(const char *text, size_t len, const char *source, size_t fields,
                        const char *const *names, cet_csv_table **out) {
  *out = NULL;
  CET_CHECK(fields > 0, CET_ERR_INPUT, "a CSV table needs at least one field");
  cet_csv_table *t = calloc(1, sizeof *t);
  CET_CHECK_ALLOC(t);
  t->fields = fields;
  int status = CET_OK;
  t->source = cet_strdup(source != NULL ? source : "(text)");
  CET_CHECK_ALLOC_GOTO(status, fail, t->source);
  CET_CALL_GOTO(status, fail, parse_table(t, text, len, names));
  *out = t;
  return CET_OK;
fail:
  cet_csv_table_destroy(&t);
  return status;
}

void cet_csv_table_destroy(cet_csv_table **t) {
  if (t == NULL || *t == NULL) {
    return;
  }
  cet_free_strings((*t)->cell, (*t)->rows * (*t)->fields);
  free((*t)->column);
  free((*t)->line);
  free((*t)->source);
  free(*t);
  *t = NULL;
}
