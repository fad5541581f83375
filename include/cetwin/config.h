/*
 * config.h — a loaded case: the document (after includes and --set
 * overrides), its data files, the files read and the overrides, and the
 * resolved case as plain YAML. Loading it is collective over MPI ranks
 * (config_load.h), so that only the loader sees MPI.
 */
#ifndef CETWIN_CONFIG_H
#define CETWIN_CONFIG_H

#include "cetwin/node.h"

#include <stddef.h>

typedef struct cet_config cet_config;

/* Root of the document (after overrides). Owned by the config. */
const cet_node *cet_config_root(const cet_config *c);

/* Data files: the scalar values of `csv:` keys anywhere in the document
 * (after overrides) name files, relative to the file that names them (an
 * override's value: relative to the case file, then as includes are
 * looked up). Rank 0 reads them with the case and broadcasts them. This
 * gives the file named by the scalar node n (name as opened, text and
 * length, owned by the config); CET_ERR_INPUT at n when n names none. */
int cet_config_data_file(const cet_config *c, const cet_node *n, const char **name,
                         const char **text, size_t *len);

/* Files read (the main file first, then includes in reading order, then
 * data files). */
size_t cet_config_file_count(const cet_config *c);
const char *cet_config_file_name(const cet_config *c, size_t i);
const char *cet_config_file_text(const cet_config *c, size_t i);

/* The overrides as given. */
size_t cet_config_override_count(const cet_config *c);
const char *cet_config_override(const cet_config *c, size_t i);

/* The case as it runs: the tree after includes and overrides as plain
 * YAML (block style, no tags, `csv:` data files by absolute path), which
 * any YAML library reads and `cetwin run` runs the same. *yaml is
 * allocated (free()). Not collective. */
int cet_config_resolved(const cet_config *c, char **yaml);

void cet_config_destroy(cet_config **c);

/* Applies one override "PATH=VALUE" to a tree: PATH is a dotted key path
 * with optional [i] list indices; VALUE is YAML (a scalar, [list] or
 * {mapping}). Missing mapping keys are created (validation then rejects
 * unknown ones); list indices must exist. Exposed for tests. */
int cet_config_override_apply(cet_node *root, const char *assignment, const char *label);

#endif /* CETWIN_CONFIG_H */
