/*
 * process.c — the process library: storage of split-factor process types
 * and the per-process operations used by enumeration and networks (see
 * process.h).
 */
#include "cetwin/process.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LIBRARY_MAX_PROPERTIES = 32 };

typedef struct {
  cet_process_spec view; /* points into the arrays below */
  char *id, *name, *source;
  double *data; /* one block holding every array of the process */
} stored_process;

struct cet_library {
  cet_names components, outlets, properties, carriers;
  size_t main_component;
  stored_process *process;
  size_t n;
};

int cet_library_create(const cet_library_layout *layout, cet_library **out) {
  *out = NULL;
  CET_CHECK(layout->components->n > 0, CET_ERR_INPUT, "a library needs at least one component");
  CET_CHECK(layout->main_component < layout->components->n, CET_ERR_INPUT,
            "main component index out of range");
  CET_CHECK(layout->outlets->n > 0 && strcmp(layout->outlets->name[0], "product") == 0,
            CET_ERR_INPUT, "the first outlet of every process must be 'product'");
  CET_CHECK(layout->properties->n <= LIBRARY_MAX_PROPERTIES, CET_ERR_INPUT,
            "at most %d physical properties are supported, found %zu", LIBRARY_MAX_PROPERTIES,
            layout->properties->n);
  cet_library *lib = calloc(1, sizeof *lib);
  CET_CHECK_ALLOC(lib);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_names_copy(&lib->components, layout->components));
  CET_CALL_GOTO(status, fail, cet_names_copy(&lib->outlets, layout->outlets));
  CET_CALL_GOTO(status, fail, cet_names_copy(&lib->properties, layout->properties));
  CET_CALL_GOTO(status, fail, cet_names_copy(&lib->carriers, layout->carriers));
  lib->main_component = layout->main_component;
  *out = lib;
  return CET_OK;
fail:
  cet_library_destroy(&lib);
  return status;
}

static void free_process(stored_process *sp) {
  free(sp->id);
  free(sp->name);
  free(sp->source);
  free(sp->data);
}

static int check_spec(const cet_library *lib, const cet_process_spec *s) {
  size_t nc = lib->components.n, no = lib->outlets.n, np = lib->properties.n;
  CET_CHECK(s->id && s->id[0], CET_ERR_INPUT, "a process needs an id");
  CET_CHECK(cet_library_find(lib, s->id) < 0, CET_ERR_INPUT, "duplicate process id '%s'", s->id);
  for (size_t c = 0; c < nc; c++) {
    CET_CHECK(s->accept_min[c] <= s->accept_max[c], CET_ERR_INPUT,
              "process %s: acceptance window of %s has min %g > max %g", s->id,
              lib->components.name[c], s->accept_min[c], s->accept_max[c]);
    for (size_t o = 0; o < no; o++) {
      CET_CHECK(s->split[o * nc + c] >= 0.0, CET_ERR_INPUT,
                "process %s: split factor of %s to %s is negative (%g)", s->id,
                lib->components.name[c], lib->outlets.name[o], s->split[o * nc + c]);
    }
  }
  for (size_t k = 0; k < np; k++) {
    CET_CHECK(s->property_min[k] <= s->property_max[k], CET_ERR_INPUT,
              "process %s: window of property %s has min %g > max %g", s->id,
              lib->properties.name[k], s->property_min[k], s->property_max[k]);
  }
  return CET_OK;
}

int cet_library_add(cet_library *lib, const cet_process_spec *s) {
  CET_CALL(check_spec(lib, s));
  size_t nc = lib->components.n, no = lib->outlets.n, np = lib->properties.n, nk = lib->carriers.n;
  size_t sizes[] = {nc, nc, no * nc, np, np, np, nk, nk, nk};
  const double *src[] = {s->accept_min,   s->accept_max,     s->split,
                         s->property_min, s->property_max,   s->property_out,
                         s->consumption,  s->consumption_lo, s->consumption_hi};
  size_t total = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    total += sizes[i];
  }
  CET_CALL(cet_array_grow(&lib->process, NULL, lib->n + 1, sizeof *lib->process));
  stored_process *sp = &lib->process[lib->n];
  memset(sp, 0, sizeof *sp);
  sp->id = cet_strdup(s->id);
  sp->name = cet_strdup(s->name ? s->name : s->id);
  sp->source = cet_strdup(s->source ? s->source : "");
  sp->data = malloc((total ? total : 1) * sizeof *sp->data);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, sp->id && sp->name && sp->source && sp->data);
  double *dst[sizeof sizes / sizeof sizes[0]];
  double *p = sp->data;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    dst[i] = p;
    if (sizes[i]) {
      memcpy(p, src[i], sizes[i] * sizeof *p);
    }
    p += sizes[i];
  }
  sp->view = (cet_process_spec){.id = sp->id,
                                .name = sp->name,
                                .source = sp->source,
                                .accept_min = dst[0],
                                .accept_max = dst[1],
                                .split = dst[2],
                                .property_min = dst[3],
                                .property_max = dst[4],
                                .property_out = dst[5],
                                .consumption = dst[6],
                                .consumption_lo = dst[7],
                                .consumption_hi = dst[8]};
  lib->n++;
  return CET_OK;
fail:
  free_process(sp);
  return status;
}

void cet_library_destroy(cet_library **lp) {
  if (!lp || !*lp) {
    return;
  }
  cet_library *lib = *lp;
  for (size_t i = 0; i < lib->n; i++) {
    free_process(&lib->process[i]);
  }
  free(lib->process);
  cet_names_clear(&lib->components);
  cet_names_clear(&lib->outlets);
  cet_names_clear(&lib->properties);
  cet_names_clear(&lib->carriers);
  free(lib);
  *lp = NULL;
}

size_t cet_library_size(const cet_library *lib) { return lib->n; }
const cet_names *cet_library_components(const cet_library *lib) { return &lib->components; }
const cet_names *cet_library_outlets(const cet_library *lib) { return &lib->outlets; }
const cet_names *cet_library_properties(const cet_library *lib) { return &lib->properties; }
const cet_names *cet_library_carriers(const cet_library *lib) { return &lib->carriers; }
size_t cet_library_main_component(const cet_library *lib) { return lib->main_component; }

long cet_library_find(const cet_library *lib, const char *id) {
  for (size_t i = 0; i < lib->n; i++) {
    if (strcmp(lib->process[i].id, id) == 0) {
      return (long)i;
    }
  }
  return -1;
}

const cet_process_spec *cet_library_process(const cet_library *lib, size_t p) {
  return &lib->process[p].view;
}

int cet_process_window_accepts(const double *accept_min, const double *accept_max, size_t n,
                               const double *mass, double tol) {
  double total = 0.0;
  for (size_t c = 0; c < n; c++) {
    total += mass[c];
  }
  if (!(total > 0.0)) {
    return 0;
  }
  for (size_t c = 0; c < n; c++) {
    double x = mass[c] / total;
    if (x < accept_min[c] - tol || x > accept_max[c] + tol) {
      return 0;
    }
  }
  return 1;
}

int cet_process_accepts_composition(const cet_library *lib, size_t p, const double *mass,
                                    double tol) {
  const cet_process_spec *s = &lib->process[p].view;
  return cet_process_window_accepts(s->accept_min, s->accept_max, lib->components.n, mass, tol);
}

unsigned cet_process_property_misfits(const cet_library *lib, size_t p, const double *props,
                                      double tol) {
  const cet_process_spec *s = &lib->process[p].view;
  unsigned misfit = 0;
  for (size_t k = 0; k < lib->properties.n; k++) {
    if (props[k] < s->property_min[k] - tol || props[k] > s->property_max[k] + tol) {
      misfit |= 1u << k;
    }
  }
  return misfit;
}

void cet_process_split(const cet_library *lib, size_t p, const double *mass, double *out) {
  const double *split = lib->process[p].view.split;
  size_t nc = lib->components.n, no = lib->outlets.n;
  for (size_t o = 0; o < no; o++) {
    for (size_t c = 0; c < nc; c++) {
      out[o * nc + c] = split[o * nc + c] * mass[c];
    }
  }
}

void cet_process_consume(const cet_library *lib, size_t p, const double *mass, double *total) {
  const double *per_t = lib->process[p].view.consumption;
  double basis = mass[lib->main_component];
  for (size_t k = 0; k < lib->carriers.n; k++) {
    total[k] += per_t[k] * basis;
  }
}

void cet_process_transform_properties(const cet_library *lib, size_t p, double *props) {
  const double *out = lib->process[p].view.property_out;
  for (size_t k = 0; k < lib->properties.n; k++) {
    if (!isnan(out[k])) {
      props[k] = out[k];
    }
  }
}
