/*
 * read_library.c — reads the `processes:` mapping of a case (usually an
 * !include of a library file under configs/processes/) into a process
 * library, checking every window, split factor and consumption.
 */
#include "readers.h"

#include "cetwin/log.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LIBRARY_NOTE_LEN = 2048 };

static const char *const PROCESS_KEYS[] = {"name",       "source",      "accept", "split",
                                           "properties", "consumption", "note",   NULL};
static const char *const DEFAULT_CARRIER_UNITS = "kWh/t";

int cet_read_names(const cet_node *list, const char *what, cet_names *out) {
  CET_CALL(cet_node_expect_seq(list));
  if (cet_node_size(list) == 0) {
    return cet_node_fail(list, "expected at least one %s, found an empty list", what);
  }
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const char *name = NULL;
    CET_CALL(cet_node_string(cet_node_at(list, i), &name));
    if (cet_names_find(out, name) >= 0) {
      return cet_node_fail(cet_node_at(list, i), "duplicate %s '%s'", what, name);
    }
    CET_CALL(cet_names_add(out, name));
  }
  return CET_OK;
}

int cet_read_units(const cet_node *map, cet_names *names, char ***units) {
  *units = NULL;
  if (!map || cet_node_kind_of(map) == CET_NODE_NULL) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(map));
  size_t n = cet_node_size(map);
  *units = calloc(n ? n : 1, sizeof **units);
  CET_CHECK_ALLOC(*units);
  for (size_t i = 0; i < n; i++) {
    const char *u = NULL;
    CET_CALL(cet_node_string(cet_node_at(map, i), &u));
    CET_CALL(cet_names_add(names, cet_node_key_at(map, i)));
    (*units)[i] = cet_strdup(u);
    CET_CHECK_ALLOC((*units)[i]);
  }
  return CET_OK;
}

/* Collects the names used as keys of the sub-mapping `section` (and, for
 * split, of its per-component mappings) across all processes. */
static int collect_names(const cet_node *processes, const char *section, int nested,
                         cet_names *names) {
  for (size_t p = 0; p < cet_node_size(processes); p++) {
    const cet_node *proc = cet_node_at(processes, p);
    CET_CALL(cet_node_expect_map(proc));
    const cet_node *sec = cet_node_get(proc, section);
    if (!sec || cet_node_kind_of(sec) != CET_NODE_MAP) {
      continue;
    }
    for (size_t i = 0; i < cet_node_size(sec); i++) {
      const cet_node *entry = cet_node_at(sec, i);
      size_t index;
      if (!nested) {
        CET_CALL(cet_names_intern(names, cet_node_key_at(sec, i), &index));
      } else if (cet_node_kind_of(entry) == CET_NODE_MAP) {
        for (size_t j = 0; j < cet_node_size(entry); j++) {
          CET_CALL(cet_names_intern(names, cet_node_key_at(entry, j), &index));
        }
      }
    }
  }
  return CET_OK;
}

/* Buffers for one process, sized by the library layout. */
typedef struct {
  double *accept_min, *accept_max, *split, *prop_min, *prop_max, *prop_out, *cons, *cons_lo,
      *cons_hi;
  double *block;
} process_buffers;

static int buffers_alloc(process_buffers *b, size_t nc, size_t no, size_t np, size_t nk) {
  b->block = malloc((2 * nc + no * nc + 3 * np + 3 * nk + 1) * sizeof *b->block);
  CET_CHECK_ALLOC(b->block);
  double *p = b->block;
  b->accept_min = p, p += nc;
  b->accept_max = p, p += nc;
  b->split = p, p += no * nc;
  b->prop_min = p, p += np;
  b->prop_max = p, p += np;
  b->prop_out = p, p += np;
  b->cons = p, p += nk;
  b->cons_lo = p, p += nk;
  b->cons_hi = p;
  return CET_OK;
}

static int read_accept(const cet_node *accept, const cet_names *comps, process_buffers *b) {
  for (size_t c = 0; c < comps->n; c++) {
    b->accept_min[c] = 0.0;
    b->accept_max[c] = 1.0;
  }
  if (!accept) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(accept));
  for (size_t i = 0; i < cet_node_size(accept); i++) {
    size_t c = 0;
    CET_CALL(cet_read_lookup(accept, cet_node_key_at(accept, i), comps, "component", &c));
    CET_CALL(
        cet_node_pair_in(cet_node_at(accept, i), 0.0, 1.0, &b->accept_min[c], &b->accept_max[c]));
  }
  return CET_OK;
}

static int read_split(const cet_node *proc, const char *id, const cet_library_layout *lay,
                      const cet_library_options *opts, process_buffers *b, char *note) {
  const cet_node *split = NULL;
  CET_CALL(cet_node_require(proc, "split", "split factors per component and outlet", &split));
  CET_CALL(cet_node_expect_map(split));
  size_t nc = lay->components->n, no = lay->outlets->n;
  memset(b->split, 0, no * nc * sizeof *b->split);
  for (size_t i = 0; i < cet_node_size(split); i++) {
    size_t c = 0;
    CET_CALL(cet_read_lookup(split, cet_node_key_at(split, i), lay->components, "component", &c));
  }
  for (size_t c = 0; c < nc; c++) {
    const char *cname = lay->components->name[c];
    const cet_node *per = cet_node_get(split, cname);
    if (!per) {
      return cet_node_fail(split, "missing split factors for component '%s'", cname);
    }
    CET_CALL(cet_node_expect_map(per));
    double sum = 0.0;
    for (size_t j = 0; j < cet_node_size(per); j++) {
      size_t o = 0;
      CET_CALL(cet_read_lookup(per, cet_node_key_at(per, j), lay->outlets, "outlet", &o));
      CET_CALL(cet_node_number_in(cet_node_at(per, j), 0.0, 1.0, &b->split[o * nc + c]));
      sum += b->split[o * nc + c];
    }
    int off = 0;
    CET_CALL(cet_read_split_sum(per, id, cname, sum, opts, note, LIBRARY_NOTE_LEN, &off));
    for (size_t o = 0; off && opts->renormalise_splits && o < no; o++) {
      b->split[o * nc + c] /= sum;
    }
  }
  return CET_OK;
}

static int read_properties(const cet_node *props, const cet_names *names, process_buffers *b) {
  for (size_t k = 0; k < names->n; k++) {
    b->prop_min[k] = -INFINITY;
    b->prop_max[k] = INFINITY;
    b->prop_out[k] = NAN;
  }
  if (!props) {
    return CET_OK;
  }
  static const char *const keys[] = {"min", "max", "out", NULL};
  CET_CALL(cet_node_expect_map(props));
  for (size_t i = 0; i < cet_node_size(props); i++) {
    size_t k = 0;
    CET_CALL(cet_read_lookup(props, cet_node_key_at(props, i), names, "property", &k));
    const cet_node *w = cet_node_at(props, i);
    CET_CALL(cet_node_check_keys(w, keys));
    const cet_node *v = NULL;
    CET_CALL(cet_node_require(w, "min", "lowest accepted value", &v));
    CET_CALL(cet_node_number(v, &b->prop_min[k]));
    CET_CALL(cet_node_require(w, "max", "highest accepted value", &v));
    CET_CALL(cet_node_number(v, &b->prop_max[k]));
    if (b->prop_min[k] > b->prop_max[k]) {
      return cet_node_fail(w, "expected min <= max, found min %g > max %g", b->prop_min[k],
                           b->prop_max[k]);
    }
    CET_CALL(cet_node_opt_number_in(w, "out", NAN, -INFINITY, INFINITY, &b->prop_out[k]));
  }
  return CET_OK;
}

static int read_consumption(const cet_node *cons, const cet_names *carriers,
                            const cet_library_options *opts, process_buffers *b) {
  for (size_t k = 0; k < carriers->n; k++) {
    b->cons[k] = b->cons_lo[k] = b->cons_hi[k] = 0.0;
  }
  if (!cons) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(cons));
  for (size_t i = 0; i < cet_node_size(cons); i++) {
    size_t k = 0;
    CET_CALL(cet_read_lookup(cons, cet_node_key_at(cons, i), carriers, "carrier", &k));
    const cet_node *v = cet_node_at(cons, i);
    switch (cet_node_kind_of(v)) {
    case CET_NODE_NULL: /* printed as a dash: unknown, not zero */
      b->cons[k] = b->cons_lo[k] = b->cons_hi[k] = NAN;
      break;
    case CET_NODE_SEQ:
      CET_CALL(cet_node_pair_in(v, 0.0, INFINITY, &b->cons_lo[k], &b->cons_hi[k]));
      b->cons[k] = opts->consumption_range == 1   ? b->cons_lo[k]
                   : opts->consumption_range == 2 ? b->cons_hi[k]
                                                  : 0.5 * (b->cons_lo[k] + b->cons_hi[k]);
      break;
    default:
      CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &b->cons[k]));
      b->cons_lo[k] = b->cons_hi[k] = b->cons[k];
    }
  }
  return CET_OK;
}

static int read_process(const cet_node *proc, const char *id, const cet_library_layout *lay,
                        const cet_library_options *opts, process_buffers *b, cet_library *lib,
                        char *note) {
  CET_CALL(cet_node_check_keys(proc, PROCESS_KEYS));
  const char *name = NULL, *source = NULL;
  CET_CALL(cet_node_opt_string(proc, "name", id, &name));
  CET_CALL(cet_node_opt_string(proc, "source", "", &source));
  CET_CALL(read_accept(cet_node_get(proc, "accept"), lay->components, b));
  CET_CALL(read_split(proc, id, lay, opts, b, note));
  CET_CALL(read_properties(cet_node_get(proc, "properties"), lay->properties, b));
  CET_CALL(read_consumption(cet_node_get(proc, "consumption"), lay->carriers, opts, b));
  cet_process_spec spec = {.id = id,
                           .name = name,
                           .source = source,
                           .accept_min = b->accept_min,
                           .accept_max = b->accept_max,
                           .split = b->split,
                           .property_min = b->prop_min,
                           .property_max = b->prop_max,
                           .property_out = b->prop_out,
                           .consumption = b->cons,
                           .consumption_lo = b->cons_lo,
                           .consumption_hi = b->cons_hi};
  return cet_library_add(lib, &spec);
}

/* Units for collected names: copies of declared ones or a default. */
static int units_for(const cet_names *names, char **declared, const char *fallback, char ***out) {
  *out = calloc(names->n ? names->n : 1, sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (size_t i = 0; i < names->n; i++) {
    (*out)[i] = cet_strdup(declared ? declared[i] : fallback);
    CET_CHECK_ALLOC((*out)[i]);
  }
  return CET_OK;
}

int cet_read_library(const cet_node *processes, const cet_names *components, size_t main,
                     const cet_names *carriers, char **carrier_units, const cet_names *properties,
                     char **property_units, const cet_library_options *opts, cet_library **lib,
                     char ***carrier_units_out, char ***property_units_out) {
  CET_CALL(cet_node_expect_map(processes));
  if (cet_node_size(processes) == 0) {
    return cet_node_fail(processes, "expected at least one process, found an empty mapping");
  }
  cet_names outlets = {0}, used_carriers = {0}, used_props = {0};
  process_buffers b = {0};
  char note[LIBRARY_NOTE_LEN] = "";
  int status = CET_OK;
  *carrier_units_out = NULL;
  *property_units_out = NULL;
  CET_CALL_GOTO(status, done, cet_names_add(&outlets, "product"));
  CET_CALL_GOTO(status, done, collect_names(processes, "split", 1, &outlets));
  if (carriers->n == 0) {
    CET_CALL_GOTO(status, done, collect_names(processes, "consumption", 0, &used_carriers));
  } else {
    CET_CALL_GOTO(status, done, cet_names_copy(&used_carriers, carriers));
  }
  if (properties->n == 0) {
    CET_CALL_GOTO(status, done, collect_names(processes, "properties", 0, &used_props));
  } else {
    CET_CALL_GOTO(status, done, cet_names_copy(&used_props, properties));
  }
  cet_library_layout layout = {.components = components,
                               .main_component = main,
                               .outlets = &outlets,
                               .properties = &used_props,
                               .carriers = &used_carriers};
  CET_CALL_GOTO(status, done, cet_library_create(&layout, lib));
  CET_CALL_GOTO(status, done,
                buffers_alloc(&b, components->n, outlets.n, used_props.n, used_carriers.n));
  for (size_t p = 0; p < cet_node_size(processes); p++) {
    CET_CALL_GOTO(status, done,
                  read_process(cet_node_at(processes, p), cet_node_key_at(processes, p), &layout,
                               opts, &b, *lib, note));
  }
  CET_CALL_GOTO(status, done,
                units_for(&used_carriers, carriers->n ? carrier_units : NULL, DEFAULT_CARRIER_UNITS,
                          carrier_units_out));
  CET_CALL_GOTO(
      status, done,
      units_for(&used_props, properties->n ? property_units : NULL, "", property_units_out));
  if (note[0]) {
    cet_log_warn("split factors off 1 within split_tolerance %g (kept as given; set "
                 "renormalise_splits: true to rescale): %s",
                 opts->split_tolerance, note);
  }
done:
  if (status != CET_OK) {
    cet_free_strings(*carrier_units_out, used_carriers.n);
    cet_free_strings(*property_units_out, used_props.n);
    *carrier_units_out = *property_units_out = NULL;
    cet_library_destroy(lib);
  }
  free(b.block);
  cet_names_clear(&outlets);
  cet_names_clear(&used_carriers);
  cet_names_clear(&used_props);
  return status;
}
