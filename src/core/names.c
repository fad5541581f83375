/*
 * names.c — ordered unique name lists (see names.h).
 */
#include "cetwin/names.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

long cet_names_find(const cet_names *names, const char *name) {
  for (size_t i = 0; i < names->n; i++) {
    if (strcmp(names->name[i], name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

static int append(cet_names *names, const char *name) {
  CET_CALL(cet_array_grow(&names->name, NULL, names->n + 1, sizeof *names->name));
  names->name[names->n] = cet_strdup(name);
  CET_CHECK_ALLOC(names->name[names->n]);
  names->n++;
  return CET_OK;
}

int cet_names_add(cet_names *names, const char *name) {
  CET_CHECK(cet_names_find(names, name) < 0, CET_ERR_INPUT, "duplicate name '%s'", name);
  return append(names, name);
}

int cet_names_intern(cet_names *names, const char *name, size_t *index) {
  long at = cet_names_find(names, name);
  if (at < 0) {
    CET_CALL(append(names, name));
    at = (long)names->n - 1;
  }
  *index = (size_t)at;
  return CET_OK;
}

int cet_names_copy(cet_names *dst, const cet_names *src) {
  for (size_t i = 0; i < src->n; i++) {
    CET_CALL(append(dst, src->name[i]));
  }
  return CET_OK;
}

void cet_names_clear(cet_names *names) {
  for (size_t i = 0; i < names->n; i++) {
    free(names->name[i]);
  }
  free(names->name);
  names->name = NULL;
  names->n = 0;
}

void cet_names_join(const cet_names *names, char *buf, size_t len) {
  cet_str_join(buf, len, (const char *const *)names->name, names->n, ", ");
}
