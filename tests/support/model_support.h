/*
 * model_support.h — model objects for the C tests, built in code: a process
 * library from name lists and process arrays, and a twin under test (built
 * from its description, with a workspace, a parameter vector and a metric
 * vector) that is evaluated and freed in one call each. Every helper fails
 * the test, with the error chain printed, when the call it wraps fails.
 */
#ifndef CETWIN_MODEL_SUPPORT_H
#define CETWIN_MODEL_SUPPORT_H

#include "cetwin/process.h"
#include "cetwin/twin.h"

#include <stddef.h>

/* An empty process library whose components, outlets, properties and
 * carriers are the NULL-terminated lists given (the first component is the
 * main one; the library copies the names). Free with cet_library_destroy. */
cet_library *cet_test_library_create(const char *const *components, const char *const *outlets,
                                     const char *const *properties, const char *const *carriers);

/* The description of process id over the arrays given (not copied):
 * acceptance windows amin, amax [components], split [outlets x components]
 * (outlet-major), property windows pmin, pmax and product properties pout
 * [properties], consumption cons [carriers], the same at the low and high
 * ends of its range. */
cet_process_spec cet_test_process_spec(const char *id, const double *amin, const double *amax,
                                       const double *split, const double *pmin, const double *pmax,
                                       const double *pout, const double *cons);

/* Adds spec to lib, failing the test unless that succeeds. */
void cet_test_library_add(cet_library *lib, const cet_process_spec *spec);

/* A twin under test and what one evaluation needs. */
typedef struct {
  const cet_twin *twin;
  cet_twin *owned;        /* the twin when cet_test_twin_build made it, else NULL */
  cet_twin_workspace *ws; /* the twin's workspace */
  double *params;         /* [parameter count]: its defaults until the test changes them */
  double *metrics;        /* [metric count]: those of the last evaluation */
} cet_test_twin;

/* Builds the twin of description s with parameters par (NULL: the
 * defaults) and makes it ready as cet_test_twin_attach does. The
 * description stays the caller's. */
void cet_test_twin_build(cet_test_twin *tt, const cet_twin_spec *s, const cet_twin_parameters *par);

/* Makes twin t (not owned) ready for evaluation: a workspace, its default
 * parameter values and room for its metrics. */
void cet_test_twin_attach(cet_test_twin *tt, const cet_twin *t);

/* Sets tt->params back to the twin's defaults. */
void cet_test_twin_defaults(cet_test_twin *tt);

/* Evaluates the twin at tt->params into tt->metrics; fails the test unless
 * the evaluation succeeds. */
void cet_test_twin_evaluate(cet_test_twin *tt);

/* The value of metric name in tt->metrics; fails the test when the twin
 * has no such metric. */
double cet_test_twin_metric(const cet_test_twin *tt, const char *name);

/* The family metric name was registered with in twin t; fails the test
 * when t has no such metric. */
cet_twin_metric_family cet_test_metric_family(const cet_twin *t, const char *name);

/* The slot of parameter path; fails the test when the twin has none. */
size_t cet_test_twin_slot(const cet_test_twin *tt, const char *path);

/* Frees the workspace, the vectors and an owned twin; *tt is zeroed. */
void cet_test_twin_release(cet_test_twin *tt);

#endif /* CETWIN_MODEL_SUPPORT_H */
