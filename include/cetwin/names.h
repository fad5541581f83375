/*
 * names.h — an ordered list of unique names (components, outlets,
 * properties, carriers, metrics) with lookup by name.
 */
#ifndef CETWIN_NAMES_H
#define CETWIN_NAMES_H

#include <stddef.h>

typedef struct {
  size_t n;
  char **name; /* owned copies */
} cet_names;

/* Index of name in names, or -1. */
long cet_names_find(const cet_names *names, const char *name);

/* Appends a copy of name; fails on a duplicate (CET_ERR_INPUT) or memory. */
int cet_names_add(cet_names *names, const char *name);

/* Appends a copy of name unless present; *index gets its position. */
int cet_names_intern(cet_names *names, const char *name, size_t *index);

/* Deep copy of src into dst (dst must be empty). */
int cet_names_copy(cet_names *dst, const cet_names *src);

/* Frees the copies and resets names to empty. */
void cet_names_clear(cet_names *names);

/* Writes "a, b, c" into buf (truncated). */
void cet_names_join(const cet_names *names, char *buf, size_t len);

#endif /* CETWIN_NAMES_H */
