/*
 * str.c — string duplication, growable buffers, joining and edit distance
 * (see str.h).
 */
#include "cetwin/str.h"

#include "cetwin/array.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cet_strdup(const char *s) { return s ? cet_strndup(s, strlen(s)) : NULL; }

char *cet_strndup(const char *s, size_t n) {
  if (!s) {
    return NULL;
  }
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static int reserve(cet_strbuf *b, size_t extra) {
  CET_CHECK(extra < SIZE_MAX - b->len - 1, CET_ERR_MEMORY, "a text of %zu bytes cannot grow by %zu",
            b->len, extra);
  return cet_array_grow(&b->text, &b->cap, b->len + extra + 1, 1);
}

int cet_strbuf_appendn(cet_strbuf *b, const char *s, size_t n) {
  CET_CALL_FOR_CALLER(reserve(b, n));
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
  return CET_OK;
}

int cet_strbuf_append(cet_strbuf *b, const char *s) { return cet_strbuf_appendn(b, s, strlen(s)); }

int cet_strbuf_printf(cet_strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  CET_CHECK(n >= 0, CET_ERR_RUNTIME, "formatting failed");
  CET_CALL_FOR_CALLER(reserve(b, (size_t)n));
  va_start(ap, fmt);
  vsnprintf(b->text + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return CET_OK;
}

void cet_strbuf_free(cet_strbuf *b) {
  free(b->text);
  b->text = NULL;
  b->len = b->cap = 0;
}

void cet_str_join(char *buf, size_t len, const char *const *names, size_t n, const char *sep) {
  if (len == 0) {
    return;
  }
  buf[0] = '\0';
  size_t used = 0;
  for (size_t i = 0; i < n && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%s", i ? sep : "", names[i]);
    if (w < 0) {
      return;
    }
    used += (size_t)w;
  }
}

size_t cet_str_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) {
    return la > lb ? la : lb;
  }
  size_t row[65];
  for (size_t j = 0; j <= lb; j++) {
    row[j] = j;
  }
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = diag + cost;
      if (up + 1 < best) {
        best = up + 1;
      }
      if (row[j - 1] + 1 < best) {
        best = row[j - 1] + 1;
      }
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

void cet_free_strings(char **strings, size_t n) {
  if (!strings) {
    return;
  }
  for (size_t i = 0; i < n; i++) {
    free(strings[i]);
  }
  free(strings);
}

const char *cet_str_closest(const char *name, const char *const *candidates, size_t n) {
  const char *best = NULL;
  size_t best_distance = (size_t)-1;
  for (size_t i = 0; i < n; i++) {
    size_t d = cet_str_distance(name, candidates[i]);
    if (d < best_distance) {
      best_distance = d;
      best = candidates[i];
    }
  }
  return best;
}

int cet_str_glob(const char *pattern, const char *text) {
  const char *star = NULL, *resume = NULL;
  while (*text) {
    if (*pattern == '*') {
      star = pattern++;
      resume = text;
    } else if (*pattern == '?' || *pattern == *text) {
      pattern++;
      text++;
    } else if (star) {
      pattern = star + 1;
      text = ++resume;
    } else {
      return 0;
    }
  }
  while (*pattern == '*') {
    pattern++;
  }
  return *pattern == '\0';
}
