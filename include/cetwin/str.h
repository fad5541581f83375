/*
 * str.h — small string helpers: duplication, a growable text buffer,
 * joining names for messages, freeing arrays of strings.
 */
#ifndef CETWIN_STR_H
#define CETWIN_STR_H

#include "cetwin/error.h"

#include <stddef.h>

/* Copy of s (NULL if s is NULL or out of memory); free with free(). */
char *cet_strdup(const char *s);

/* Copy of the first n bytes of s, NUL-terminated. */
char *cet_strndup(const char *s, size_t n);

/* Growable NUL-terminated text. Zero-initialise, append, then free. */
typedef struct {
  char *text;
  size_t len;
  size_t cap;
} cet_strbuf;

int cet_strbuf_append(cet_strbuf *b, const char *s);
int cet_strbuf_appendn(cet_strbuf *b, const char *s, size_t n);
int cet_strbuf_printf(cet_strbuf *b, const char *fmt, ...) CET_PRINTF(2, 3);
void cet_strbuf_free(cet_strbuf *b);

/* Writes "a, b, c" for the n names into buf of size len (truncated). */
void cet_str_join(char *buf, size_t len, const char *const *names, size_t n, const char *sep);

/* Frees the n strings of an array and the array itself (NULL allowed). */
void cet_free_strings(char **strings, size_t n);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t cet_str_distance(const char *a, const char *b);

/* The candidate closest to name (cet_str_distance; the first of equals),
 * NULL when n is 0. */
const char *cet_str_closest(const char *name, const char *const *candidates, size_t n);

/* 1 when text matches the shell-style pattern: '*' stands for any run of
 * characters (dots and brackets included), '?' for any one character, every
 * other character for itself (so "units.mix.fractions[0]" matches itself). */
int cet_str_glob(const char *pattern, const char *text);

#endif /* CETWIN_STR_H */
