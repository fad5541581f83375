/*
 * readers.h — section readers that turn parts of the validated YAML tree
 * into model objects (private to src/config). Each reader checks keys,
 * types and ranges and reports errors at the offending node.
 */
#ifndef CETWIN_READERS_H
#define CETWIN_READERS_H

#include "cetwin/case.h"
#include "cetwin/case_sections.h"
#include "cetwin/config.h"
#include "cetwin/economics.h"
#include "cetwin/mc.h"
#include "cetwin/network.h"
#include "cetwin/node.h"
#include "cetwin/optimize_spec.h"
#include "cetwin/params.h"

/* The one rule on a component's split factors (process library and inline
 * units alike): their sum must be 1 within opts->split_tolerance, else a
 * located error at per. A sum off 1 by more than rounding sets *off and,
 * unless opts->renormalise_splits, appends "ID.COMPONENT SUM" to the
 * note[len] the reader prints as one warning. */
int cet_read_split_sum(const cet_node *per, const char *id, const char *component, double sum,
                       const cet_library_options *opts, char *note, size_t len, int *off);

/* Index of key in names; otherwise fails at key of map with "unknown WHAT
 * 'key' (expected one of: ...)". */
int cet_read_lookup(const cet_node *map, const char *key, const cet_names *names, const char *what,
                    size_t *index);

/* The value of key in root when it is given and not null (`key:` with
 * nothing under it counts as absent), else NULL. */
const cet_node *cet_read_section(const cet_node *root, const char *key);

/* Turns the error just pushed (the last message of the chain) into a
 * located input error at n: clears the chain and fails at n with prefix
 * followed by that message. Returns CET_ERR_INPUT, as cet_node_fail. */
int cet_read_fail_cause(const cet_node *n, const char *prefix);

/* "FILE:LINE:COL: KEY.PATH" of n, for messages (allocated, free()). */
int cet_read_where(const cet_node *n, char **out);

/* Reads an optional `checkpoint: {interval, file}` section (NULL or null:
 * nothing): the interval between checkpoints (0..max_interval; in the
 * unit of the analysis: generations, blocks) into *interval and the file,
 * when given, into *file (allocated). */
int cet_read_checkpoint(const cet_node *cp, long max_interval, uint64_t *interval, char **file);

/* Index of the metric name in t (read at n); otherwise fails at n naming
 * the closest metric. */
int cet_read_metric(const cet_twin *t, const cet_node *n, const char *name, size_t *index);

/* Reads a non-empty list of distinct metrics of t into names, and their
 * indices into *index (allocated). */
int cet_read_metrics(const cet_node *list, const cet_twin *t, cet_names *names, size_t **index);

/* The indices in t of the metrics names (known to exist) into *index
 * (allocated). */
int cet_read_metric_indices(const cet_twin *t, const cet_names *names, size_t **index);

/* Reads a list of min .. max numbers, each in [lo, hi], into *out
 * (allocated) and *n. */
int cet_read_numbers(const cet_node *list, size_t min, size_t max, double lo, double hi,
                     double **out, size_t *n);

/* Reads a component list (`components: [Cu, Fe, ...]`). */
int cet_read_names(const cet_node *list, const char *what, cet_names *out);

/* Reads an optional mapping name -> units (`carriers:`, `properties:`);
 * absent gives empty names. */
int cet_read_units(const cet_node *map, cet_names *names, char ***units);

/* Reads the `processes:` mapping into a library. Declared carriers and
 * properties (may be empty) restrict the names processes may use; when
 * empty they are collected from the processes, with default_carrier_units.
 * On success *property_units and *carrier_units hold one string per name. */
int cet_read_library(const cet_node *processes, const cet_names *components, size_t main,
                     const cet_names *carriers, char **carrier_units, const cet_names *properties,
                     char **property_units, const cet_library_options *opts, cet_library **lib,
                     char ***carrier_units_out, char ***property_units_out);

/* Reads `feed:` for a library's components and properties. */
int cet_read_feed(const cet_node *feed, const cet_library *lib, cet_feed *out);

/* Reads `properties:` of feed (a map) into values[props]: every property
 * must be given, as a number (the processes have windows on them). */
int cet_read_feed_properties(const cet_node *feed, const cet_names *props, double *values);

/* Reads the optional `enumerate:` section; arrays it allocates are stored
 * in par and freed by cet_free_enumerate_parameters. */
int cet_read_enumerate(const cet_node *section, const cet_library *lib,
                       cet_enumerate_parameters *par);

void cet_free_enumerate_parameters(cet_enumerate_parameters *par);

/* Reads the number at n (in [lo, hi]) and registers it as a parameter at
 * n's key path with the given units; *slot gets its index. */
int cet_read_param(const cet_node *n, double lo, double hi, const char *units, cet_params *params,
                   long *slot);

/* Registers value (already read and checked) as the parameter at n's key
 * path; a path registered before gives its existing slot. */
int cet_register_param(const cet_node *n, double value, double lo, double hi, const char *units,
                       unsigned flags, cet_params *params, long *slot);

/* As cet_read_param for the optional key of map: when the key is absent
 * (or null) the parameter is registered at its path ("MAP.PATH.key") with
 * the default def, so that drivers and --set can still address it. */
int cet_read_param_opt(const cet_node *map, const char *key, double def, double lo, double hi,
                       const char *units, cet_params *params, long *slot);

/* Fails, located at `at`, when a driver may not move parameter slot of t
 * alone (CET_PARAM_NORMALISED: one of a splitter's fractions, which the
 * twin divides by their sum, so that the value drawn or designed would not
 * be the share used); the message names the way that means what the user
 * wants (`shares:`, or a sum_to_one design group). */
int cet_read_check_movable(const cet_twin *t, const cet_node *at, size_t slot);

/* Reads `economics:` (and `prices:`, may be NULL) into a new economics
 * description, numbers registered in params; data files come from cfg. */
int cet_read_economics(const cet_node *section, const cet_node *prices, const cet_config *cfg,
                       cet_params *params, cet_economics_spec **out);

/* Reads `prices:` into e's price series (after cet_read_economics, whose
 * years the paths must cover); data files come from cfg. */
int cet_read_prices(const cet_node *section, const cet_config *cfg, cet_params *params,
                    cet_economics_spec *e);

/* Reads `network:` (and the process library's values its units use) into
 * a new twin description; opts are the case's split and consumption
 * options. The twin's structure is checked when the model builds it. */
int cet_read_network(const cet_node *root, const cet_case *c, const cet_library_options *opts,
                     cet_twin_spec **out);

/* The parameter slots of library process p's split factors ([outlets x
 * components]) and consumptions ([carriers]) as the network's process
 * units share them (registered under processes.ID on first use). */
typedef int (*cet_read_library_slots_fn)(void *ctx, size_t p, const long **split,
                                         const long **consumption);

/* The index *p of library process id; an unknown id fails at node at,
 * listing the library's processes. */
int cet_read_library_find(const cet_node *at, const cet_library *lib, const char *id, size_t *p);

/* Reads a unit of type flowsheet_choice (user guide: Flowsheet choice
 * units): the chains to choose from, either enumerated for a nominal feed
 * (`feed:` names a feed unit of `units`, or gives a composition and
 * properties) or listed (`chains:`, each "ID+ID*2+..."), and the chosen
 * chain's number as the parameter network.units.NAME.chain. */
int cet_read_choice_unit(const cet_node *unit, const cet_node *units, const cet_case *c,
                         cet_twin_spec *s, cet_read_library_slots_fn slots, void *ctx,
                         cet_unit_spec *u);

/* Reads network.criteria (section, may be NULL; root is the case's) into
 * s->criteria: the currency, the carriers' prices and the price of the
 * main component sold (user guide: `criteria:`). */
int cet_read_criteria(const cet_node *section, const cet_node *root, const cet_case *c,
                      cet_twin_spec *s);

/* Reads the optional `handling:` of a unit (cost, CO2e and energy per t
 * of its inflow) into u->handling; a feed may not have one. */
int cet_read_handling(const cet_node *unit, const cet_twin_spec *s, cet_unit_spec *u);

/* 1 when the network reader has a reader for units of kind (read_network.c). */
int cet_read_unit_kind_supported(cet_unit_kind kind);

/* Reads the twin of a network or economics case from the tree at root
 * (the case's own, or a scenario's variant of it) and builds it. */
int cet_read_twin(const cet_node *root, const cet_case *c, const cet_library_options *opts,
                  const cet_config *cfg, cet_twin_spec **spec, cet_twin **twin);

/* Reads an `uncertain:` list (mc.h) against twin t into a new array *out of
 * *n variables (cet_uncertain_destroy); errors name the offending entry. */
int cet_read_uncertain(const cet_node *list, const cet_twin *t, cet_uncertain **out, size_t *n);

/* Reads the optional `environment:` section into s (after the network). */
int cet_read_environment(const cet_node *section, cet_twin_spec *s);

/* Reads the optional `exergy:` section (NULL: none, no exergy accounting)
 * into s (after the network and the environment). */
int cet_read_exergy(const cet_node *section, cet_twin_spec *s);

/* Reads the optional `usage:` section into s (after the network). */
int cet_read_usage(const cet_node *section, cet_twin_spec *s);

/* Reads `robust:` and `uncertain:` of an optimisation case (both or
 * neither) into s, whose design variables are read already. */
int cet_read_robust(const cet_node *root, const cet_case *c, cet_optimize_spec *s);

/* Reads the optional `optimize:` section (NULL: all defaults) into s, whose
 * objectives are read already. */
int cet_read_optimize_settings(const cet_node *section, const cet_case *c, cet_optimize_spec *s);

#endif /* CETWIN_READERS_H */
