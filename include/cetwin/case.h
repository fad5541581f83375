/*
 * case.h — a validated case: what the YAML file describes, turned into
 * model objects and driver parameters. Reading is deterministic, so every
 * MPI rank that reads the same config gets the same case or the same error.
 */
#ifndef CETWIN_CASE_H
#define CETWIN_CASE_H

#include "cetwin/config.h"
#include "cetwin/enumerate.h"
#include "cetwin/mc.h"
#include "cetwin/names.h"
#include "cetwin/network.h"
#include "cetwin/optimize.h"
#include "cetwin/process.h"
#include "cetwin/twin.h"

#include <stdint.h>

typedef enum {
  CET_ANALYSIS_ENUMERATE = 0, /* flowsheet enumeration (DESIGN.md §2.2) */
  CET_ANALYSIS_SIMULATE = 1,  /* one evaluation of a network twin (DESIGN.md §2.3) */
  CET_ANALYSIS_OPTIMIZE = 2,  /* NSGA-II islands over a network twin (DESIGN.md §1, §3) */
  CET_ANALYSIS_MC = 3         /* Monte Carlo over uncertain variables (DESIGN.md §1, §3) */
} cet_analysis;

/* Name of an analysis as written in the case file ("enumerate", "simulate"). */
const char *cet_analysis_name(cet_analysis a);

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

typedef struct {
  char *path;        /* the case file as given */
  char *name;        /* case name (default: file name without .yaml) */
  char *description; /* may be "" */
  cet_analysis analysis;
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
  cet_twin_spec *twin_spec;           /* network cases: the description read, else NULL */
  cet_twin *twin;                     /* network cases: the model built from it, else NULL */
  cet_optimize_spec *optimize;        /* optimize cases: design, objectives, settings, else NULL */
  cet_mc_spec *mc;                    /* analysis mc: variables, settings, scenarios, else NULL */
} cet_case;

/* Validates the whole config and builds the case. Not collective, but
 * deterministic: all ranks agree. Errors name file:line:col and key. */
int cet_case_read(const cet_config *cfg, const char *path, cet_case **out);

void cet_case_destroy(cet_case **c);

#endif /* CETWIN_CASE_H */
