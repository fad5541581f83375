/*
 * read_case.c — reads and validates the top level of a case file and
 * dispatches to the section readers (see case.h).
 */
#include "readers.h"

#include "cetwin/log.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

/* Keys every case may have, whatever its analysis. */
static const char *const COMMON_KEYS[] = {"name",
                                          "description",
                                          "analysis",
                                          "seed",
                                          "output",
                                          "components",
                                          "main_component",
                                          "properties",
                                          "carriers",
                                          "processes",
                                          "split_tolerance",
                                          "renormalise_splits",
                                          "consumption_range",
                                          "set",
                                          NULL};
/* The sections of a twin, read by every analysis that uses one. */
static const char *const TWIN_SECTIONS[] = {"network",   "environment", "exergy", "usage",
                                            "economics", "prices",      NULL};
static const char *const RANGES[] = {"midpoint", "low", "high"};

/* Split-sum tolerance of the printed source tables (user guide: A process library). */
static const double DEFAULT_SPLIT_TOLERANCE = 0.002;

const cet_analysis *cet_analysis_find(const cet_analysis *const *list, const char *name) {
  for (size_t i = 0; list[i]; i++) {
    if (strcmp(list[i]->name, name) == 0) {
      return list[i];
    }
  }
  return NULL;
}

static size_t list_length(const char *const *list) {
  size_t n = 0;
  while (list && list[n]) {
    n++;
  }
  return n;
}

static int listed(const char *const *list, const char *key) {
  for (size_t i = 0; list && list[i]; i++) {
    if (strcmp(list[i], key) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The keys a case may have: the common ones, the twin's sections and
 * every analysis' sections, each once (NULL-terminated; free the array). */
static int allowed_keys(const cet_analysis *const *analyses, const char ***out) {
  size_t n = list_length(COMMON_KEYS) + list_length(TWIN_SECTIONS);
  for (size_t a = 0; analyses[a]; a++) {
    n += list_length(analyses[a]->sections);
  }
  const char **keys = calloc(n + 1, sizeof *keys);
  CET_CHECK_ALLOC(keys);
  size_t k = 0;
  const char *const *groups[] = {COMMON_KEYS, TWIN_SECTIONS};
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    for (size_t i = 0; groups[g][i]; i++) {
      keys[k++] = groups[g][i];
    }
  }
  for (size_t a = 0; analyses[a]; a++) {
    for (size_t i = 0; analyses[a]->sections && analyses[a]->sections[i]; i++) {
      if (!listed(keys, analyses[a]->sections[i])) {
        keys[k++] = analyses[a]->sections[i];
      }
    }
  }
  *out = keys;
  return CET_OK;
}

static int check_case_keys(const cet_node *root, const cet_analysis *const *analyses) {
  const char **keys = NULL;
  CET_CALL(allowed_keys(analyses, &keys));
  int status = cet_node_check_keys(root, keys);
  free(keys);
  return status;
}

/* The analysis named by `analysis:`. */
static int read_analysis(const cet_node *root, const cet_analysis *const *analyses,
                         const cet_analysis **out) {
  size_t n = 0;
  while (analyses[n]) {
    n++;
  }
  const char **names = calloc(n + 1, sizeof *names);
  CET_CHECK_ALLOC(names);
  cet_strbuf what = {0};
  const cet_node *v = NULL;
  int status = CET_OK, index = 0;
  CET_CALL_GOTO(status, done, cet_strbuf_append(&what, "what to run:"));
  for (size_t i = 0; i < n; i++) {
    names[i] = analyses[i]->name;
    CET_CALL_GOTO(status, done,
                  cet_strbuf_printf(&what, "%s %s",
                                    i == 0       ? ""
                                    : i + 1 == n ? " or"
                                                 : ",",
                                    names[i]));
  }
  CET_CALL_GOTO(status, done, cet_node_require(root, "analysis", what.text, &v));
  CET_CALL_GOTO(status, done, cet_node_choice(v, names, n, &index));
done:
  cet_strbuf_free(&what);
  free(names);
  CET_CALL(status);
  *out = analyses[index];
  return CET_OK;
}

/* Case name from the file name: "configs/bonnin-pwb.yaml" -> "bonnin-pwb". */
static char *name_from_path(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return cet_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static int read_header(const cet_node *root, const char *path, const cet_analysis *const *analyses,
                       cet_case *c) {
  const char *name = NULL, *description = NULL, *output = NULL;
  CET_CALL(cet_node_opt_string(root, "name", NULL, &name));
  c->name = name ? cet_strdup(name) : name_from_path(path);
  CET_CALL(cet_node_opt_string(root, "description", "", &description));
  c->description = cet_strdup(description);
  CET_CALL(cet_node_opt_string(root, "output", NULL, &output));
  c->output = output ? cet_strdup(output) : NULL;
  CET_CHECK_ALLOC(c->name);
  CET_CHECK_ALLOC(c->description);
  CET_CALL(read_analysis(root, analyses, &c->analysis));
  long seed = 0;
  CET_CALL(cet_node_opt_integer_in(root, "seed", 1, 0, (long)9e15, &seed));
  c->seed = (uint64_t)seed;
  return CET_OK;
}

/* Every analysis but enumeration works on a twin. */
static int network_case(const cet_case *c) { return c->analysis->uses_twin; }

/* A twin of economics alone: no network (absent or null), an economics
 * section; no components or processes needed. */
static int economics_only(const cet_node *root) {
  return !cet_read_section(root, "network") && cet_read_section(root, "economics");
}

static int read_components(const cet_node *root, cet_case *c) {
  const cet_node *v = NULL;
  if (network_case(c) && economics_only(root) && !cet_node_get(root, "components")) {
    return CET_OK;
  }
  CET_CALL(cet_node_require(root, "components", "the tracked species, e.g. [Cu, Fe, Balance]", &v));
  CET_CALL(cet_read_names(v, "component", &c->components));
  if (network_case(c) && !cet_node_get(root, "main_component")) {
    c->main_component = 0; /* optional for networks: consumptions default to the total */
    return CET_OK;
  }
  CET_CALL(cet_node_require(root, "main_component", "the component purity refers to, e.g. Cu", &v));
  const char *main = NULL;
  CET_CALL(cet_node_string(v, &main));
  long m = cet_names_find(&c->components, main);
  if (m < 0) {
    char list[1024];
    cet_names_join(&c->components, list, sizeof list);
    return cet_node_fail(v, "expected one of the components (%s), found '%s'", list, main);
  }
  c->main_component = (size_t)m;
  return CET_OK;
}

/* A library without processes for a network case whose units all give
 * their split factors inline: the declared carriers and properties. */
static int empty_library(const cet_case *c, const cet_names *carriers, char **carrier_units,
                         const cet_names *props, char **prop_units, cet_library **lib,
                         char ***carrier_units_out, char ***prop_units_out) {
  cet_names outlets = {0};
  CET_CALL(cet_names_add(&outlets, "product"));
  cet_library_layout layout = {.components = &c->components,
                               .main_component = c->main_component,
                               .outlets = &outlets,
                               .properties = props,
                               .carriers = carriers};
  int status = cet_library_create(&layout, lib);
  cet_names_clear(&outlets);
  CET_CALL(status);
  *carrier_units_out = calloc(carriers->n + 1, sizeof **carrier_units_out);
  *prop_units_out = calloc(props->n + 1, sizeof **prop_units_out);
  CET_CHECK_ALLOCS(*carrier_units_out && *prop_units_out);
  for (size_t k = 0; k < carriers->n; k++) {
    (*carrier_units_out)[k] = cet_strdup(carrier_units[k]);
    CET_CHECK_ALLOC((*carrier_units_out)[k]);
  }
  for (size_t k = 0; k < props->n; k++) {
    (*prop_units_out)[k] = cet_strdup(prop_units[k]);
    CET_CHECK_ALLOC((*prop_units_out)[k]);
  }
  return CET_OK;
}

static int read_processes(const cet_node *root, cet_case *c, cet_library_options *out) {
  cet_library_options opts = {0};
  CET_CALL(cet_node_opt_number_in(root, "split_tolerance", DEFAULT_SPLIT_TOLERANCE, 0.0, 0.5,
                                  &opts.split_tolerance));
  CET_CALL(cet_node_opt_boolean(root, "renormalise_splits", 0, &opts.renormalise_splits));
  const cet_node *range = cet_node_get(root, "consumption_range");
  if (range) {
    CET_CALL(
        cet_node_choice(range, RANGES, sizeof RANGES / sizeof RANGES[0], &opts.consumption_range));
  }
  *out = opts;
  c->library_options = opts;
  c->consumption_range = cet_strdup(RANGES[opts.consumption_range]);
  CET_CHECK_ALLOC(c->consumption_range);
  cet_names carriers = {0}, props = {0};
  char **carrier_units = NULL, **prop_units = NULL;
  const cet_node *processes = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_read_units(cet_node_get(root, "carriers"), &carriers, &carrier_units));
  CET_CALL_GOTO(status, done,
                cet_read_units(cet_node_get(root, "properties"), &props, &prop_units));
  if (network_case(c) && economics_only(root) && c->components.n == 0) {
    goto done; /* no library */
  }
  if (network_case(c) && !cet_node_get(root, "processes")) {
    CET_CALL_GOTO(status, done,
                  empty_library(c, &carriers, carrier_units, &props, prop_units, &c->library,
                                &c->carrier_units, &c->property_units));
    goto done;
  }
  CET_CALL_GOTO(status, done,
                cet_node_require(root, "processes",
                                 "the process library, e.g. !include processes/FILE.yaml",
                                 &processes));
  CET_CALL_GOTO(status, done,
                cet_read_library(processes, &c->components, c->main_component, &carriers,
                                 carrier_units, &props, prop_units, &opts, &c->library,
                                 &c->carrier_units, &c->property_units));
done:
  cet_free_strings(carrier_units, carriers.n);
  cet_free_strings(prop_units, props.n);
  cet_names_clear(&carriers);
  cet_names_clear(&props);
  return status;
}

/* Sections that other analyses read and this one does not: say so. */
static void warn_unused(const cet_node *root, const cet_analysis *const *analyses,
                        const cet_analysis *mine) {
  for (size_t i = 0; !mine->uses_twin && TWIN_SECTIONS[i]; i++) {
    if (cet_node_get(root, TWIN_SECTIONS[i])) {
      cet_log_warn("section '%s' is not used by analysis %s", TWIN_SECTIONS[i], mine->name);
    }
  }
  for (size_t a = 0; analyses[a]; a++) {
    for (size_t i = 0; analyses[a]->sections && analyses[a]->sections[i]; i++) {
      const char *key = analyses[a]->sections[i];
      int seen = listed(mine->sections, key) || listed(TWIN_SECTIONS, key);
      for (size_t b = 0; b < a && !seen; b++) {
        seen = listed(analyses[b]->sections, key);
      }
      if (!seen && cet_node_get(root, key)) {
        cet_log_warn("section '%s' is not used by analysis %s", key, mine->name);
      }
    }
  }
}

int cet_read_twin(const cet_node *root, const cet_case *c, const cet_library_options *opts,
                  const cet_config *cfg, cet_twin_spec **spec, cet_twin **twin) {
  *spec = NULL;
  *twin = NULL;
  cet_twin_spec *s = NULL;
  int status = CET_OK;
  if (!economics_only(root)) {
    CET_CALL(cet_read_network(root, c, opts, &s));
    CET_CALL_GOTO(status, fail, cet_read_environment(cet_read_section(root, "environment"), s));
    CET_CALL_GOTO(status, fail, cet_read_exergy(cet_read_section(root, "exergy"), s));
    CET_CALL_GOTO(status, fail, cet_read_usage(cet_read_section(root, "usage"), s));
  } else {
    CET_CALL(cet_twin_spec_create(&s));
    CET_CALL_GOTO(status, fail, cet_names_copy(&s->components, &c->components));
  }
  if (cet_read_section(root, "economics")) {
    CET_CALL_GOTO(status, fail,
                  cet_read_economics(cet_read_section(root, "economics"),
                                     cet_read_section(root, "prices"), cfg, s->params,
                                     &s->economics));
  } else if (cet_read_section(root, "prices")) {
    cet_log_warn("section 'prices' is not used without an economics section");
  }
  CET_CALL_GOTO(status, fail, cet_twin_create(s, NULL, twin));
  *spec = s;
  return CET_OK;
fail:
  cet_twin_spec_destroy(&s);
  return status;
}

int cet_case_read(const cet_config *cfg, const char *path, const cet_analysis *const *analyses,
                  cet_case **out) {
  *out = NULL;
  const cet_node *root = cet_config_root(cfg);
  CET_CALL(cet_node_expect_map(root));
  CET_CALL(check_case_keys(root, analyses));
  cet_case *c = calloc(1, sizeof *c);
  CET_CHECK_ALLOC(c);
  int status = CET_OK;
  c->path = cet_strdup(path);
  CET_CHECK_ALLOC_GOTO(status, fail, c->path);
  CET_CALL_GOTO(status, fail, read_header(root, path, analyses, c));
  warn_unused(root, analyses, c->analysis);
  CET_CALL_GOTO(status, fail, read_components(root, c));
  cet_library_options opts = {0};
  CET_CALL_GOTO(status, fail, read_processes(root, c, &opts));
  if (c->analysis->uses_twin) {
    CET_CALL_GOTO(status, fail, cet_read_twin(root, c, &opts, cfg, &c->twin_spec, &c->twin));
  }
  if (c->analysis->read) {
    CET_CALL_GOTO(status, fail, c->analysis->read(root, cfg, c));
  }
  *out = c;
  return CET_OK;
fail:
  cet_case_destroy(&c);
  return status;
}

void cet_case_destroy(cet_case **cp) {
  if (!cp || !*cp) {
    return;
  }
  cet_case *c = *cp;
  if (c->library) {
    cet_free_strings(c->carrier_units, cet_library_carriers(c->library)->n);
    cet_free_strings(c->property_units, cet_library_properties(c->library)->n);
  }
  if (c->analysis && c->analysis->destroy) {
    c->analysis->destroy(c);
  }
  cet_library_destroy(&c->library);
  cet_twin_destroy(&c->twin);
  cet_twin_spec_destroy(&c->twin_spec);
  cet_names_clear(&c->components);
  free(c->path);
  free(c->name);
  free(c->description);
  free(c->output);
  free(c->consumption_range);
  free(c);
  *cp = NULL;
}
