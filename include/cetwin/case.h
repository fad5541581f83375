/*
 * case.h — a validated case: what the YAML file describes, turned into
 * model objects and driver parameters. Reading is deterministic, so every
 * MPI rank that reads the same config gets the same case or the same error.
 */
#ifndef CETWIN_CASE_H
#define CETWIN_CASE_H

#include "cetwin/analysis.h"
#include "cetwin/config.h"
#include "cetwin/enumerate.h"
#include "cetwin/names.h"
#include "cetwin/network.h"
#include "cetwin/process.h"
#include "cetwin/twin.h"

#include <stdint.h>

/* The specs of the analyses (mc.h, optimize_spec.h, sensitivity.h,
 * reconcile.h), read
 * and freed by the config layer. */
struct cet_mc_spec;
struct cet_optimize_spec;
struct cet_sensitivity_spec;
struct cet_reconcile_spec;

/* How a process library is read (`split_tolerance`, `renormalise_splits`,
 * `consumption_range`). */
typedef struct {
  double split_tolerance; /* |sum of a component's splits - 1| allowed (0.002) */
  int renormalise_splits; /* rescale splits to sum exactly to 1 */
  int consumption_range;  /* 0 midpoint, 1 low end, 2 high end of printed ranges */
} cet_library_options;

/* A feed stream. */
typedef struct {
  char *name;
  char *source;     /* citation of the numbers, may be "" */
  double flow;      /* total mass flow, flow_units */
  char *flow_units; /* e.g. "t/day" */
  double *fraction; /* [components] mass fractions, summing to 1 */
  double *mass;     /* [components] fraction x flow */
  double *property; /* [properties of the library] */
} cet_feed;

typedef struct cet_case {
  char *path;                   /* the case file as given */
  char *name;                   /* case name (default: file name without .yaml) */
  char *description;            /* may be "" */
  const cet_analysis *analysis; /* the record of `analysis:` (an entry of the list read with) */
  uint64_t seed;
  char *output; /* result file named in the case, or NULL */
  cet_names components;
  size_t main_component;
  cet_library *library;  /* processes */
  char **property_units; /* [properties] */
  char **carrier_units;  /* [carriers] consumption units per t of main component */
  cet_feed feed;
  cet_enumerate_parameters enumerate; /* arrays owned by the case */
  char *consumption_range;            /* "midpoint", "low" or "high" */
  cet_library_options library_options;
  cet_twin_spec *twin_spec;                 /* twin cases: the description read, else NULL */
  cet_twin *twin;                           /* twin cases: the model built from it, else NULL */
  struct cet_optimize_spec *optimize;       /* analysis optimize: design, objectives, settings */
  struct cet_mc_spec *mc;                   /* analysis mc: variables, settings, scenarios */
  struct cet_sensitivity_spec *sensitivity; /* analysis sensitivity: factors, methods */
  struct cet_reconcile_spec *reconcile;     /* analysis reconcile: measurements, settings */
} cet_case;

/* Validates the whole config and builds the case; analyses is the
 * NULL-terminated list of the analyses a case may name (cet_analyses(),
 * drivers.h). Not collective, but deterministic: all ranks agree. Errors
 * name file:line:col and key. */
int cet_case_read(const cet_config *cfg, const char *path, const cet_analysis *const *analyses,
                  cet_case **out);

void cet_case_destroy(cet_case **c);

#endif /* CETWIN_CASE_H */
