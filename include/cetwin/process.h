/*
 * process.h — unit-process types (split-factor models) and the library that
 * holds them (user guide: A process library).
 *
 * A process has, per component, an acceptance window on the mass fraction of
 * its feed and split factors to named outlets (outlet 0 is always the
 * product); per physical property an acceptance window and the value of the
 * product (NaN = unchanged); and consumptions per tonne of the main
 * component fed, per carrier (NaN = unknown, e.g. printed as a dash).
 * All arrays are copied in; accessors return read-only views owned by the
 * library. Nothing here is collective.
 */
#ifndef CETWIN_PROCESS_H
#define CETWIN_PROCESS_H

#include "cetwin/names.h"

#include <stddef.h>

typedef struct cet_library cet_library;

/* Dimensions and names shared by every process of a library. */
typedef struct {
  const cet_names *components; /* tracked species, e.g. Cu Fe Zn Pb Sn Balance */
  size_t main_component;       /* basis of consumptions and purity, e.g. Cu */
  const cet_names *outlets;    /* outlet 0 must be "product" */
  const cet_names *properties; /* e.g. size (m), moisture (fraction); at most 32 */
  const cet_names *carriers;   /* e.g. electricity, fuel, water, oxygen, silica */
} cet_library_layout;

/* One process as read from a library file. */
typedef struct {
  const char *id;               /* short name used in chains, e.g. "ELEC" */
  const char *name;             /* long name, e.g. "Electric furnace" */
  const char *source;           /* citation, e.g. "Bonnin et al. (2015), Table A5" */
  const double *accept_min;     /* [components] TCmin, mass fraction */
  const double *accept_max;     /* [components] TCmax */
  const double *split;          /* [outlets x components], outlet-major */
  const double *property_min;   /* [properties] TPmin */
  const double *property_max;   /* [properties] TPmax */
  const double *property_out;   /* [properties] TPout, NaN = unchanged */
  const double *consumption;    /* [carriers] value used, per t main fed, NaN = unknown */
  const double *consumption_lo; /* [carriers] lower end as printed (= value if single) */
  const double *consumption_hi; /* [carriers] upper end as printed */
} cet_process_spec;

/* Creates an empty library with copies of the layout's names. */
int cet_library_create(const cet_library_layout *layout, cet_library **out);

/* Adds a copy of spec; fails on a duplicate id or inconsistent numbers
 * (negative split factors, min > max). */
int cet_library_add(cet_library *lib, const cet_process_spec *spec);

void cet_library_destroy(cet_library **lib);

size_t cet_library_size(const cet_library *lib);
const cet_names *cet_library_components(const cet_library *lib);
const cet_names *cet_library_outlets(const cet_library *lib);
const cet_names *cet_library_properties(const cet_library *lib);
const cet_names *cet_library_carriers(const cet_library *lib);
size_t cet_library_main_component(const cet_library *lib);

/* Index of the process with this id, or -1. */
long cet_library_find(const cet_library *lib, const char *id);

/* Read-only view of process p (arrays owned by the library). */
const cet_process_spec *cet_library_process(const cet_library *lib, size_t p);

/* 1 if every component fraction of the stream mass (t per period, any
 * non-negative vector with a positive total) lies in p's window, inclusive,
 * widened by tol. */
int cet_process_accepts_composition(const cet_library *lib, size_t p, const double *mass,
                                    double tol);

/* The same test on a window given as arrays: 1 if every fraction of
 * mass[n] (positive total) lies in [accept_min - tol, accept_max + tol]. */
int cet_process_window_accepts(const double *accept_min, const double *accept_max, size_t n,
                               const double *mass, double tol);

/* Bit k set when property k of props lies outside p's window (widened by
 * tol); 0 means every physical property is acceptable. */
unsigned cet_process_property_misfits(const cet_library *lib, size_t p, const double *props,
                                      double tol);

/* Splits the inflow mass[components] over the outlets:
 * out[o * n_components + c] = split[o][c] * mass[c]. */
void cet_process_split(const cet_library *lib, size_t p, const double *mass, double *out);

/* Adds p's consumption for this inflow (per t of main component fed) to
 * total[carriers]; an unknown value makes the total NaN. */
void cet_process_consume(const cet_library *lib, size_t p, const double *mass, double *total);

/* Product properties: props[k] = TPout[k] where defined, else unchanged. */
void cet_process_transform_properties(const cet_library *lib, size_t p, double *props);

#endif /* CETWIN_PROCESS_H */
