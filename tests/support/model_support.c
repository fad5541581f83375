/*
 * model_support.c — process libraries and twins under test for the C tests
 * (see model_support.h).
 */
#include "model_support.h"

#include "cetwin/error.h"
#include "cetwin/names.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Fails the test with the error chain printed unless status is CET_OK. */
static void expect_ok(int status) {
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
}

static void add_names(cet_names *names, const char *const *list) {
  for (size_t i = 0; list && list[i]; i++) {
    expect_ok(cet_names_add(names, list[i]));
  }
}

cet_library *cet_test_library_create(const char *const *components, const char *const *outlets,
                                     const char *const *properties, const char *const *carriers) {
  cet_names c = {0}, o = {0}, p = {0}, k = {0};
  add_names(&c, components);
  add_names(&o, outlets);
  add_names(&p, properties);
  add_names(&k, carriers);
  cet_library_layout layout = {&c, 0, &o, &p, &k};
  cet_library *lib = NULL;
  expect_ok(cet_library_create(&layout, &lib));
  cet_names_clear(&c);
  cet_names_clear(&o);
  cet_names_clear(&p);
  cet_names_clear(&k);
  return lib;
}

cet_process_spec cet_test_process_spec(const char *id, const double *amin, const double *amax,
                                       const double *split, const double *pmin, const double *pmax,
                                       const double *pout, const double *cons) {
  return (cet_process_spec){.id = id,
                            .accept_min = amin,
                            .accept_max = amax,
                            .split = split,
                            .property_min = pmin,
                            .property_max = pmax,
                            .property_out = pout,
                            .consumption = cons,
                            .consumption_lo = cons,
                            .consumption_hi = cons};
}

void cet_test_library_add(cet_library *lib, const cet_process_spec *spec) {
  expect_ok(cet_library_add(lib, spec));
}

void cet_test_twin_attach(cet_test_twin *tt, const cet_twin *t) {
  *tt = (cet_test_twin){.twin = t};
  expect_ok(cet_twin_workspace_create(t, &tt->ws));
  size_t np = cet_twin_parameter_count(t), nm = cet_twin_metric_count(t);
  tt->params = malloc((np + 1) * sizeof *tt->params);
  tt->metrics = calloc(nm + 1, sizeof *tt->metrics);
  assert_non_null(tt->params);
  assert_non_null(tt->metrics);
  cet_test_twin_defaults(tt);
}

void cet_test_twin_defaults(cet_test_twin *tt) {
  size_t np = cet_twin_parameter_count(tt->twin);
  if (np > 0) {
    memcpy(tt->params, cet_twin_parameter_defaults(tt->twin), np * sizeof *tt->params);
  }
}

void cet_test_twin_build(cet_test_twin *tt, const cet_twin_spec *s,
                         const cet_twin_parameters *par) {
  cet_twin *t = NULL;
  cet_error_clear();
  expect_ok(cet_twin_create(s, par, &t));
  cet_test_twin_attach(tt, t);
  tt->owned = t;
}

void cet_test_twin_evaluate(cet_test_twin *tt) {
  expect_ok(cet_twin_evaluate(tt->twin, tt->params, tt->ws, tt->metrics));
}

/* The index of metric name in t; fails the test when t has none. */
static size_t metric_index(const cet_twin *t, const char *name) {
  long m = cet_twin_metric_find(t, name);
  if (m < 0) {
    fail_msg("no metric '%s'", name);
  }
  return (size_t)m;
}

double cet_test_twin_metric(const cet_test_twin *tt, const char *name) {
  return tt->metrics[metric_index(tt->twin, name)];
}

cet_twin_metric_family cet_test_metric_family(const cet_twin *t, const char *name) {
  return cet_twin_metric_family_of(t, metric_index(t, name));
}

size_t cet_test_twin_slot(const cet_test_twin *tt, const char *path) {
  long i = cet_twin_parameter_find(tt->twin, path);
  if (i < 0) {
    fail_msg("no parameter '%s'", path);
  }
  return (size_t)i;
}

void cet_test_twin_release(cet_test_twin *tt) {
  cet_twin_workspace_destroy(&tt->ws);
  free(tt->params);
  free(tt->metrics);
  cet_twin_destroy(&tt->owned);
  *tt = (cet_test_twin){0};
}
