/*
 * params.h — the parameter table of a twin (docs/architecture.md): every
 * numeric parameter has one slot holding the key path that addresses it in
 * the case file (the same path `--set` uses, e.g. "network.units.slag.flow"
 * or "processes.ELEC.split.Cu.product"), its value as read, the range a
 * driver may move it in, and its units. The config readers fill the table
 * while they read; the twin copies it. Nothing here is collective.
 */
#ifndef CETWIN_PARAMS_H
#define CETWIN_PARAMS_H

#include <stddef.h>

typedef struct cet_params cet_params;

/* Flags of a parameter. */
enum {
  CET_PARAM_MAY_BE_UNKNOWN = 1u, /* NaN is allowed (a value printed as a dash) */
  /* One of several values the model divides by their sum before use (a
   * splitter's fractions): moved alone, it moves the others too, so the
   * value set is not the share used. Drivers bind such a value only with
   * all of its siblings in a sum-to-one group. */
  CET_PARAM_NORMALISED = 2u,
  /* Integral values only (a selector's outlet index): a value with a
   * fractional part is invalid like one outside the range. */
  CET_PARAM_INTEGER = 4u,
  /* With CET_PARAM_INTEGER: the values name alternatives with no order (an
   * outlet, a flowsheet), so an optimiser treats it as a categorical gene. */
  CET_PARAM_CATEGORICAL = 8u
};

int cet_params_create(cet_params **out);

/* Deep copy of src. */
int cet_params_copy(const cet_params *src, cet_params **out);

void cet_params_destroy(cet_params **p);

/* Appends a parameter at path with its value, valid range [lo, hi] and
 * units (copied); *slot gets its index. Fails (CET_ERR_INPUT) on a duplicate
 * path or a value outside the range (NaN only with CET_PARAM_MAY_BE_UNKNOWN). */
int cet_params_add(cet_params *p, const char *path, double value, double lo, double hi,
                   const char *units, unsigned flags, size_t *slot);

size_t cet_params_count(const cet_params *p);

/* Slot of the parameter at path, or -1. */
long cet_params_find(const cet_params *p, const char *path);

const char *cet_params_path(const cet_params *p, size_t i);
const char *cet_params_units(const cet_params *p, size_t i);
unsigned cet_params_flags(const cet_params *p, size_t i);
double cet_params_lo(const cet_params *p, size_t i);
double cet_params_hi(const cet_params *p, size_t i);

/* The values as read, one per slot (a contiguous read-only vector). */
const double *cet_params_values(const cet_params *p);

/* Index of the first value of values[count] outside its range (or NaN where
 * unknown is not allowed, or not integral where CET_PARAM_INTEGER), or -1
 * when all are valid. */
long cet_params_first_invalid(const cet_params *p, const double *values);

/* The path closest to path in edit distance (for "did you mean"), or NULL
 * for an empty table. */
const char *cet_params_closest(const cet_params *p, const char *path);

#endif /* CETWIN_PARAMS_H */
