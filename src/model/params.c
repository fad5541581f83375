/*
 * params.c — the parameter table: paths, values, ranges and units of every
 * numeric parameter of a twin (see params.h), in the order they were
 * added, with an index of the paths (open addressing on a hash of the
 * path) so that a lookup costs one probe sequence, not a scan of the
 * table.
 */
#include "cetwin/params.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cet_params {
  size_t n, cap;
  char **path;
  char **units;
  unsigned *flags;
  double *value, *lo, *hi;
  size_t *index, n_index; /* [n_index = 4 cap, a power of 2] slot + 1 of a path, 0: empty */
};

/* FNV-1a of the path. */
static size_t path_hash(const char *path) {
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
    h = (h ^ *c) * 1099511628211ULL;
  }
  return (size_t)h;
}

/* The position of path in the index: where it is, or the empty one where
 * it would go. */
static size_t index_at(const cet_params *p, const char *path) {
  size_t mask = p->n_index - 1, k = path_hash(path) & mask;
  while (p->index[k] && strcmp(p->path[p->index[k] - 1], path) != 0) {
    k = (k + 1) & mask;
  }
  return k;
}

int cet_params_create(cet_params **out) {
  *out = calloc(1, sizeof **out);
  CET_CHECK_ALLOC(*out);
  return CET_OK;
}

void cet_params_destroy(cet_params **pp) {
  if (!pp || !*pp) {
    return;
  }
  cet_params *p = *pp;
  for (size_t i = 0; i < p->n; i++) {
    free(p->path[i]);
    free(p->units[i]);
  }
  free(p->path);
  free(p->units);
  free(p->flags);
  free(p->value);
  free(p->lo);
  free(p->hi);
  free(p->index);
  free(p);
  *pp = NULL;
}

static int grow(cet_params *p) {
  if (p->n < p->cap) {
    return CET_OK;
  }
  size_t cap = p->cap ? 2 * p->cap : 16;
  CET_CALL(cet_array_grow(&p->path, NULL, cap, sizeof *p->path));
  CET_CALL(cet_array_grow(&p->units, NULL, cap, sizeof *p->units));
  CET_CALL(cet_array_grow(&p->flags, NULL, cap, sizeof *p->flags));
  double **arrays[] = {&p->value, &p->lo, &p->hi};
  for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
    CET_CALL(cet_array_grow(arrays[k], NULL, cap, sizeof **arrays[k]));
  }
  size_t *index = calloc(4 * cap, sizeof *index); /* for up to cap paths, a quarter full at most */
  CET_CHECK_ALLOC(index);
  free(p->index);
  p->index = index;
  p->n_index = 4 * cap;
  p->cap = cap;
  for (size_t i = 0; i < p->n; i++) {
    p->index[index_at(p, p->path[i])] = i + 1;
  }
  return CET_OK;
}

static int valid(double v, double lo, double hi, unsigned flags) {
  if (isnan(v)) {
    return (flags & CET_PARAM_MAY_BE_UNKNOWN) != 0;
  }
  if ((flags & CET_PARAM_INTEGER) && floor(v) != v) {
    return 0;
  }
  return v >= lo && v <= hi;
}

int cet_params_add(cet_params *p, const char *path, double value, double lo, double hi,
                   const char *units, unsigned flags, size_t *slot) {
  CET_CHECK(path && path[0], CET_ERR_INPUT, "a parameter needs a path");
  CET_CHECK(cet_params_find(p, path) < 0, CET_ERR_INPUT, "duplicate parameter path '%s'", path);
  CET_CHECK(lo <= hi, CET_ERR_INPUT, "parameter %s: range [%g, %g] is empty", path, lo, hi);
  CET_CHECK(!(flags & CET_PARAM_INTEGER) || isnan(value) || floor(value) == value, CET_ERR_INPUT,
            "parameter %s: value %.17g is not an integer", path, value);
  CET_CHECK(valid(value, lo, hi, flags), CET_ERR_INPUT,
            "parameter %s: value %g outside its range [%g, %g]", path, value, lo, hi);
  CET_CALL(grow(p));
  char *path_copy = cet_strdup(path), *units_copy = cet_strdup(units ? units : "");
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, path_copy && units_copy);
  p->path[p->n] = path_copy;
  p->units[p->n] = units_copy;
  p->flags[p->n] = flags;
  p->value[p->n] = value;
  p->lo[p->n] = lo;
  p->hi[p->n] = hi;
  p->index[index_at(p, path_copy)] = p->n + 1;
  *slot = p->n++;
  return CET_OK;
fail:
  free(path_copy);
  free(units_copy);
  return status;
}

int cet_params_copy(const cet_params *src, cet_params **out) {
  CET_CALL(cet_params_create(out));
  int status = CET_OK;
  for (size_t i = 0; i < src->n; i++) {
    size_t slot;
    CET_CALL_GOTO(status, fail,
                  cet_params_add(*out, src->path[i], src->value[i], src->lo[i], src->hi[i],
                                 src->units[i], src->flags[i], &slot));
  }
  return CET_OK;
fail:
  cet_params_destroy(out);
  return status;
}

size_t cet_params_count(const cet_params *p) { return p->n; }

long cet_params_find(const cet_params *p, const char *path) {
  if (p->n == 0) {
    return -1;
  }
  return (long)p->index[index_at(p, path)] - 1;
}

const char *cet_params_path(const cet_params *p, size_t i) { return p->path[i]; }
const char *cet_params_units(const cet_params *p, size_t i) { return p->units[i]; }
unsigned cet_params_flags(const cet_params *p, size_t i) { return p->flags[i]; }
double cet_params_lo(const cet_params *p, size_t i) { return p->lo[i]; }
double cet_params_hi(const cet_params *p, size_t i) { return p->hi[i]; }
const double *cet_params_values(const cet_params *p) { return p->value; }

long cet_params_first_invalid(const cet_params *p, const double *values) {
  for (size_t i = 0; i < p->n; i++) {
    if (!valid(values[i], p->lo[i], p->hi[i], p->flags[i])) {
      return (long)i;
    }
  }
  return -1;
}

const char *cet_params_closest(const cet_params *p, const char *path) {
  return cet_str_closest(path, (const char *const *)p->path, p->n);
}
