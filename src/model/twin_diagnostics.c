/*
 * twin_diagnostics.c — what a twin says of an evaluation beyond its
 * metrics (twin_diagnostics.h): units by kind, the closure rule, the
 * acceptance windows of library process units, the feeds' properties.
 */
#include "twin_impl.h"

#include "cetwin/enumerate.h"
#include "cetwin/process.h"
#include "cetwin/twin_diagnostics.h"

double cet_twin_window_tolerance(void) { return cet_enumerate_default_parameters().tolerance; }

double cet_twin_worst_closure(const double *closure, size_t n_units, size_t n_components,
                              size_t *unit, size_t *component) {
  double worst = 0.0;
  *unit = *component = 0;
  for (size_t u = 0; u < n_units; u++) {
    for (size_t c = 0; c < n_components; c++) {
      if (closure[u * n_components + c] > worst) {
        worst = closure[u * n_components + c];
        *unit = u;
        *component = c;
      }
    }
  }
  return worst;
}

static int outside_window(const cet_twin *t, const cet_twin_workspace *w, size_t u,
                          double tolerance) {
  const cet_unit_spec *us = &t->spec->unit[u];
  if (!us->accept_min || !us->accept_max) {
    return 0; /* inline split factors or not a process */
  }
  const double *x = w->x + u * t->nc;
  double total = 0.0;
  for (size_t c = 0; c < t->nc; c++) {
    total += x[c];
  }
  return total > 0.0 &&
         !cet_process_window_accepts(us->accept_min, us->accept_max, t->nc, x, tolerance);
}

int cet_twin_unit_outside_window(const cet_twin *t, const cet_twin_workspace *w, size_t u) {
  return outside_window(t, w, u, cet_twin_window_tolerance());
}

void cet_twin_diagnose(const cet_twin *t, const cet_twin_workspace *w, cet_twin_diagnostics *d) {
  *d = (cet_twin_diagnostics){0};
  double tolerance = cet_twin_window_tolerance();
  for (size_t u = 0; u < t->nu; u++) {
    d->units[t->kind[u]]++;
    d->outside_window += (size_t)outside_window(t, w, u, tolerance);
  }
  d->closure =
      cet_twin_worst_closure(w->closure, t->nu, t->nc, &d->closure_unit, &d->closure_component);
  d->closure_exceeded = t->nu > 0 && d->closure > CET_TWIN_CLOSURE_TOLERANCE;
}

const cet_names *cet_twin_properties(const cet_twin *t) { return &t->spec->properties; }

const double *cet_twin_unit_properties(const cet_twin *t, size_t u) {
  return t->spec->unit[u].property; /* NULL but for feeds */
}
