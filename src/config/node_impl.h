/*
 * node_impl.h — the body of cet_node, shared by the YAML parser, the
 * accessors and the --set overrides (all in src/config).
 *
 * No tree is deeper than CET_YAML_MAX_DEPTH (yaml_parse.h): the parser and
 * the overrides refuse deeper ones, so walks over a tree may recurse
 * (cet_node_destroy does not, and frees a tree of any depth).
 */
#ifndef CETWIN_NODE_IMPL_H
#define CETWIN_NODE_IMPL_H

#include "cetwin/node.h"

/* Where a mapping key stands: its own file, which for a mapping merged
 * from several files (`!include [A, B]`) is not the mapping's. */
typedef struct {
  const char *file; /* owned by the document set; NULL without a position */
  int line, col;    /* 1-based; 0 when the key has no position (--set) */
} cet_node_key_pos;

struct cet_node {
  cet_node_kind kind;
  char *text;                /* scalar text (NULL otherwise) */
  int plain;                 /* 1 for an unquoted scalar (only those can be numbers) */
  size_t n;                  /* items or entries */
  size_t cap;                /* allocated slots */
  cet_node **child;          /* items (list) or values (mapping) */
  char **key;                /* keys (mapping only) */
  cet_node_key_pos *key_pos; /* position of each key (mapping only) */
  size_t *index;             /* mapping of many keys: hash slots holding entry + 1, 0 when free */
  size_t index_cap;          /* slots (a power of two), 0 without an index */
  cet_node *parent;          /* NULL for a root */
  const char *file;          /* owned by the document set; "--set ..." for overrides */
  int line, col;             /* 1-based; 0 when the node has no position */
};

/* Allocates an empty node of the given kind at file:line:col. */
cet_node *cet_node_new(cet_node_kind kind, const char *file, int line, int col);

/* Appends child to list; sets child->parent. */
int cet_node_append(cet_node *list, cet_node *child);

/* Adds key -> child to a mapping (key copied), the key at pos (its file
 * NULL and line 0 without a position); fails on a duplicate key with a
 * message at pos. */
int cet_node_insert(cet_node *map, const char *key, cet_node_key_pos pos, cet_node *child);

/* Entry of key in map, -1 when absent (or map is not a mapping). */
long cet_node_key_index(const cet_node *map, const char *key);

/* Replaces the i-th child of parent by child (the old one is freed). */
void cet_node_replace(cet_node *parent, size_t i, cet_node *child);

/* Deep copy of n (positions kept, file names shared), without a parent;
 * NULL when out of memory. */
cet_node *cet_node_clone(const cet_node *n);

#endif /* CETWIN_NODE_IMPL_H */
