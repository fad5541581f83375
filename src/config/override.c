/*
 * override.c — `--set PATH=VALUE`: replaces (or adds) one value of the
 * parsed case by its key path (see config.h).
 */
#include "cetwin/config.h"

#include "node_impl.h"
#include "yaml_parse.h"

#include "cetwin/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OVERRIDE_SHOWN_LEN: the longest label that messages quote whole (a
 * longer one is cut, so that the message still fits). */
enum { OVERRIDE_SEGMENT_LEN = 256, OVERRIDE_SHOWN_LEN = 120 };

/* Marks every node of an override value as positioned by its label only
 * (recursion bounded by CET_YAML_MAX_DEPTH). */
static void unposition(cet_node *n, const char *label) {
  n->file = label;
  n->line = 0;
  n->col = 0;
  for (size_t i = 0; i < n->n; i++) {
    unposition(n->child[i], label);
    if (n->key_pos) {
      n->key_pos[i] = (cet_node_key_pos){NULL, 0, 0};
    }
  }
}

/* Reads one path segment "name" or "name[3][1]" starting at *p. */
static int read_segment(const char *label, const char **p, char *name, size_t len) {
  size_t k = 0;
  while (**p && **p != '.' && **p != '[') {
    CET_CHECK(k + 1 < len, CET_ERR_INPUT, "%s: key too long in the path", label);
    name[k++] = *(*p)++;
  }
  name[k] = '\0';
  CET_CHECK(k > 0 || **p == '[', CET_ERR_INPUT, "%s: empty key in the path", label);
  return CET_OK;
}

static int read_index(const char *label, const char **p, size_t *index) {
  (*p)++; /* '[' */
  char *end = NULL;
  CET_CHECK(isdigit((unsigned char)**p), CET_ERR_INPUT,
            "%s: expected a list index like [2] in the path", label);
  unsigned long v = strtoul(*p, &end, 10);
  CET_CHECK(*end == ']', CET_ERR_INPUT, "%s: expected ']' after the list index", label);
  *p = end + 1;
  *index = (size_t)v;
  return CET_OK;
}

/* Finds or creates the entry key of map; *slot gets its index. */
static int map_slot(cet_node *map, const char *key, const char *label, int create_map,
                    size_t *slot) {
  long i = cet_node_key_index(map, key);
  if (i >= 0) {
    *slot = (size_t)i;
    return CET_OK;
  }
  cet_node *fresh = cet_node_new(create_map ? CET_NODE_MAP : CET_NODE_NULL, label, 0, 0);
  CET_CHECK_ALLOC(fresh);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_node_insert(map, key, (cet_node_key_pos){NULL, 0, 0}, fresh));
  *slot = map->n - 1;
  return CET_OK;
fail:
  cet_node_destroy(&fresh);
  return status;
}

int cet_config_override_apply(cet_node *root, const char *assignment, const char *label) {
  const char *eq = strchr(assignment, '=');
  CET_CHECK(eq != NULL && eq != assignment, CET_ERR_INPUT,
            "--set '%s': expected PATH=VALUE, e.g. feed.composition.Cu=0.3", assignment);
  char *path = cet_strndup(assignment, (size_t)(eq - assignment));
  CET_CHECK_ALLOC(path);
  const char *value = eq + 1;
  char shown[OVERRIDE_SHOWN_LEN + sizeof "..."];
  snprintf(shown, sizeof shown, "%.*s%s", OVERRIDE_SHOWN_LEN, label,
           strlen(label) > OVERRIDE_SHOWN_LEN ? "..." : "");
  int status = CET_OK;
  cet_node *parent = NULL;
  size_t slot = 0;
  cet_node *at = root;
  int depth = 0; /* lists and mappings enclosing at */
  const char *p = path;
  char name[OVERRIDE_SEGMENT_LEN];
  while (*p) {
    CET_CALL_GOTO(status, done, read_segment(shown, &p, name, sizeof name));
    if (name[0] != '\0') {
      CET_CHECK_GOTO(status, done, depth < CET_YAML_MAX_DEPTH, CET_ERR_INPUT,
                     "%s: nesting deeper than %d levels (the path has too many keys)", shown,
                     CET_YAML_MAX_DEPTH);
      CET_CHECK_GOTO(status, done, at->kind == CET_NODE_MAP || at->kind == CET_NODE_NULL,
                     CET_ERR_INPUT, "%s: cannot set key '%s': its parent is not a mapping", shown,
                     name);
      if (at->kind == CET_NODE_NULL) {
        at->kind = CET_NODE_MAP;
      }
      int more = *p != '\0';
      CET_CALL_GOTO(status, done, map_slot(at, name, label, more && *p == '.', &slot));
      parent = at;
      at = at->child[slot];
      depth++;
    }
    while (*p == '[') {
      size_t index = 0;
      CET_CALL_GOTO(status, done, read_index(shown, &p, &index));
      CET_CHECK_GOTO(status, done, at->kind == CET_NODE_SEQ, CET_ERR_INPUT,
                     "%s: '[%zu]' applied to something that is not a list", shown, index);
      CET_CHECK_GOTO(status, done, index < at->n, CET_ERR_INPUT,
                     "%s: index %zu out of range (the list has %zu items)", shown, index, at->n);
      parent = at;
      slot = index;
      at = at->child[index];
      depth++;
    }
    if (*p == '.') {
      p++;
      CET_CHECK_GOTO(status, done, *p != '\0', CET_ERR_INPUT, "%s: path ends with '.'", shown);
    }
  }
  CET_CHECK_GOTO(status, done, parent != NULL, CET_ERR_INPUT, "%s: empty path", shown);
  cet_node *replacement = NULL;
  CET_CALL_GOTO(status, done,
                cet_yaml_parse(shown, value, strlen(value), NULL, depth, &replacement));
  unposition(replacement, label);
  cet_node_replace(parent, slot, replacement);
done:
  free(path);
  return status;
}
