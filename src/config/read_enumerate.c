/*
 * read_enumerate.c — reads the sections of a flowsheet enumeration: the
 * `feed:` (read_feed.c) and `enumerate:`: target purity, maximum chain
 * length, strict or preprocess mode with its consumptions, listed alloys
 * and the storage and search limits.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const ENUMERATE_KEYS[] = {"target_purity", "max_length", "mode",
                                             "tolerance",     "max_stored", "max_nodes",
                                             "alloys",        "preprocess", NULL};
static const char *const MODES[] = {"strict", "preprocess"};

static int read_preprocess(const cet_node *section, const cet_library *lib,
                           cet_enumerate_parameters *par) {
  const cet_names *props = cet_library_properties(lib);
  const cet_names *carriers = cet_library_carriers(lib);
  size_t np = props->n, nk = carriers->n;
  double *table = calloc(np * nk + 1, sizeof *table);
  CET_CHECK_ALLOC(table);
  par->preprocess_consumption = table;
  const cet_node *pre = cet_node_get(section, "preprocess");
  if (par->mode == CET_ENUMERATE_PREPROCESS && !pre) {
    return cet_node_fail(section, "missing required key 'preprocess' (mode preprocess needs the "
                                  "consumption of adapting each property, per t of stream)");
  }
  if (!pre) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(pre));
  static const char *const keys[] = {"consumption", "source", NULL};
  for (size_t i = 0; i < cet_node_size(pre); i++) {
    size_t k = 0;
    CET_CALL(cet_read_lookup(pre, cet_node_key_at(pre, i), props, "property", &k));
    const cet_node *entry = cet_node_at(pre, i);
    CET_CALL(cet_node_check_keys(entry, keys));
    const cet_node *cons = NULL;
    CET_CALL(cet_node_require(entry, "consumption", "carrier -> amount per t of stream", &cons));
    CET_CALL(cet_node_expect_map(cons));
    for (size_t j = 0; j < cet_node_size(cons); j++) {
      size_t e = 0;
      CET_CALL(cet_read_lookup(cons, cet_node_key_at(cons, j), carriers, "carrier", &e));
      CET_CALL(cet_node_number_in(cet_node_at(cons, j), 0.0, INFINITY, &table[k * nk + e]));
    }
  }
  return CET_OK;
}

static int read_alloys(const cet_node *section, const cet_names *components,
                       cet_enumerate_parameters *par) {
  const cet_node *alloys = cet_node_get(section, "alloys");
  if (!alloys) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(alloys));
  size_t na = cet_node_size(alloys), nc = components->n;
  char **names = calloc(na + 1, sizeof *names);
  double *lo = malloc((na * nc + 1) * sizeof *lo);
  double *hi = malloc((na * nc + 1) * sizeof *hi);
  par->alloy_names = (const char *const *)names;
  par->alloy_min = lo;
  par->alloy_max = hi;
  par->n_alloys = na;
  CET_CHECK_ALLOC(names);
  CET_CHECK_ALLOC(lo);
  CET_CHECK_ALLOC(hi);
  for (size_t a = 0; a < na; a++) {
    names[a] = cet_strdup(cet_node_key_at(alloys, a));
    CET_CHECK_ALLOC(names[a]);
    for (size_t c = 0; c < nc; c++) {
      lo[a * nc + c] = 0.0;
      hi[a * nc + c] = 1.0;
    }
    const cet_node *windows = cet_node_at(alloys, a);
    CET_CALL(cet_node_expect_map(windows));
    for (size_t i = 0; i < cet_node_size(windows); i++) {
      size_t c = 0;
      CET_CALL(cet_read_lookup(windows, cet_node_key_at(windows, i), components, "component", &c));
      CET_CALL(
          cet_node_pair_in(cet_node_at(windows, i), 0.0, 1.0, &lo[a * nc + c], &hi[a * nc + c]));
    }
  }
  return CET_OK;
}

int cet_read_enumerate(const cet_node *section, const cet_library *lib,
                       cet_enumerate_parameters *par) {
  *par = cet_enumerate_default_parameters();
  if (!section) {
    return read_preprocess(NULL, lib, par);
  }
  CET_CALL(cet_node_check_keys(section, ENUMERATE_KEYS));
  CET_CALL(cet_node_opt_number_in(section, "target_purity", par->target_purity, 1e-9, 1.0,
                                  &par->target_purity));
  long max_length = 0;
  CET_CALL(cet_node_opt_integer_in(section, "max_length", par->max_length, 1,
                                   CET_ENUMERATE_MAX_LENGTH, &max_length));
  par->max_length = (int)max_length;
  const cet_node *mode = cet_node_get(section, "mode");
  if (mode) {
    int m = 0;
    CET_CALL(cet_node_choice(mode, MODES, sizeof MODES / sizeof MODES[0], &m));
    par->mode = (cet_enumerate_mode)m;
  }
  CET_CALL(
      cet_node_opt_number_in(section, "tolerance", par->tolerance, 0.0, 0.01, &par->tolerance));
  long stored = 0, nodes = 0;
  CET_CALL(cet_node_opt_integer_in(section, "max_stored", (long)par->max_stored, 1, 100000000L,
                                   &stored));
  par->max_stored = (size_t)stored;
  CET_CALL(
      cet_node_opt_integer_in(section, "max_nodes", (long)par->max_nodes, 0, (long)9e15, &nodes));
  par->max_nodes = (uint64_t)nodes;
  CET_CALL(read_alloys(section, cet_library_components(lib), par));
  CET_CALL(read_preprocess(section, lib, par));
  return CET_OK;
}

void cet_free_enumerate_parameters(cet_enumerate_parameters *par) {
  free((double *)par->preprocess_consumption);
  if (par->alloy_names) {
    for (size_t a = 0; a < par->n_alloys; a++) {
      free((char *)par->alloy_names[a]);
    }
  }
  free((char **)par->alloy_names);
  free((double *)par->alloy_min);
  free((double *)par->alloy_max);
  par->preprocess_consumption = NULL;
  par->alloy_names = NULL;
  par->alloy_min = par->alloy_max = NULL;
  par->n_alloys = 0;
}

int cet_case_read_enumerate(const cet_node *root, const cet_config *cfg, cet_case *c) {
  (void)cfg;
  const cet_node *feed = NULL;
  CET_CALL(cet_node_require(root, "feed", "the stream to process", &feed));
  CET_CALL(cet_node_expect_map(feed));
  CET_CALL(cet_read_feed(feed, c->library, &c->feed));
  CET_CALL(cet_read_enumerate(cet_node_get(root, "enumerate"), c->library, &c->enumerate));
  return CET_OK;
}

void cet_case_free_enumerate(cet_case *c) {
  cet_feed *f = &c->feed;
  free(f->name);
  free(f->source);
  free(f->flow_units);
  free(f->fraction);
  free(f->mass);
  free(f->property);
  cet_free_enumerate_parameters(&c->enumerate);
}
