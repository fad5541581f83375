/*
 * node.c — construction of the YAML node tree and its typed accessors with
 * located error messages (see node.h).
 */
#include "node_impl.h"

#include "cetwin/array.h"
#include "cetwin/str.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A mapping of more than NODE_INDEX_FROM keys also keeps a hash index of
 * them, so that adding a key (with its duplicate check) and finding one
 * take constant time instead of a scan of the keys: 40,000 keys parse in
 * milliseconds, not seconds. */
enum {
  NODE_MESSAGE_LEN = 768,
  NODE_PATH_LEN = 512,
  NODE_WHERE_LEN = 512,
  NODE_FOUND_LEN = 96,
  NODE_INDEX_FROM = 8
};

cet_node *cet_node_new(cet_node_kind kind, const char *file, int line, int col) {
  cet_node *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->file = file;
    n->line = line;
    n->col = col;
  }
  return n;
}

static int grow(cet_node *n) {
  if (n->n < n->cap) {
    return CET_OK;
  }
  size_t cap = n->cap ? 2 * n->cap : 4;
  CET_CALL(cet_array_grow(&n->child, NULL, cap, sizeof *n->child));
  if (n->kind == CET_NODE_MAP) {
    CET_CALL(cet_array_grow(&n->key, NULL, cap, sizeof *n->key));
    CET_CALL(cet_array_grow(&n->key_pos, NULL, cap, sizeof *n->key_pos));
  }
  n->cap = cap;
  return CET_OK;
}

/* FNV-1a (64 bits) of a key. */
static size_t key_hash(const char *key) {
  uint64_t h = UINT64_C(14695981039346656037);
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h = (h ^ *p) * UINT64_C(1099511628211);
  }
  return (size_t)h;
}

/* The slot of key in map's index (open addressing, linear probing): where
 * it is, or the free slot where it would go. */
static size_t index_slot(const cet_node *map, const char *key) {
  size_t mask = map->index_cap - 1, s = key_hash(key) & mask;
  while (map->index[s] != 0 && strcmp(map->key[map->index[s] - 1], key) != 0) {
    s = (s + 1) & mask;
  }
  return s;
}

/* Makes room in map's index for n keys, keeping it at most half full: the
 * index is built once the mapping has more than NODE_INDEX_FROM keys and
 * rebuilt twice as large when needed. */
static int index_reserve(cet_node *map, size_t n) {
  if (n <= NODE_INDEX_FROM || 2 * n <= map->index_cap) {
    return CET_OK;
  }
  size_t cap = map->index_cap ? 2 * map->index_cap : 4 * NODE_INDEX_FROM;
  while (2 * n > cap) {
    cap *= 2;
  }
  size_t *slots = calloc(cap, sizeof *slots);
  CET_CHECK_ALLOC(slots);
  free(map->index);
  map->index = slots;
  map->index_cap = cap;
  for (size_t i = 0; i < map->n; i++) {
    map->index[index_slot(map, map->key[i])] = i + 1;
  }
  return CET_OK;
}

long cet_node_key_index(const cet_node *map, const char *key) {
  if (!map || map->kind != CET_NODE_MAP) {
    return -1;
  }
  if (map->index) {
    size_t entry = map->index[index_slot(map, key)];
    return entry ? (long)(entry - 1) : -1;
  }
  for (size_t i = 0; i < map->n; i++) {
    if (strcmp(map->key[i], key) == 0) {
      return (long)i;
    }
  }
  return -1;
}

int cet_node_append(cet_node *list, cet_node *child) {
  CET_CALL(grow(list));
  list->child[list->n++] = child;
  child->parent = list;
  return CET_OK;
}

/* "FILE:LINE:COL" of a key of map at pos (map's file if pos has none). */
static void key_where(const cet_node *map, cet_node_key_pos pos, char *buf, size_t len) {
  snprintf(buf, len, "%s:%d:%d", pos.file ? pos.file : map->file, pos.line, pos.col);
}

int cet_node_insert(cet_node *map, const char *key, cet_node_key_pos pos, cet_node *child) {
  long i = cet_node_key_index(map, key);
  if (i >= 0) {
    char where[NODE_WHERE_LEN], path[NODE_PATH_LEN], first[NODE_WHERE_LEN];
    key_where(map, pos, where, sizeof where);
    cet_node_path(map, path, sizeof path);
    const cet_node_key_pos *at = &map->key_pos[i];
    if (at->file && pos.file && strcmp(at->file, pos.file) != 0) {
      snprintf(first, sizeof first, "%s:%d", at->file, at->line);
    } else {
      snprintf(first, sizeof first, "line %d", at->line);
    }
    CET_CHECK(0, CET_ERR_INPUT, "%s: %s: duplicate key '%s' (first defined at %s)", where, path,
              key, first);
  }
  CET_CALL(index_reserve(map, map->n + 1));
  CET_CALL(grow(map));
  map->key[map->n] = cet_strdup(key);
  CET_CHECK_ALLOC(map->key[map->n]);
  if (map->index) {
    map->index[index_slot(map, key)] = map->n + 1;
  }
  map->key_pos[map->n] = pos;
  map->child[map->n++] = child;
  child->parent = map;
  return CET_OK;
}

void cet_node_replace(cet_node *parent, size_t i, cet_node *child) {
  cet_node_destroy(&parent->child[i]);
  parent->child[i] = child;
  child->parent = parent;
}

/* Recursion bounded by CET_YAML_MAX_DEPTH (see yaml_parse.h). */
cet_node *cet_node_clone(const cet_node *n) {
  cet_node *c = cet_node_new(n->kind, n->file, n->line, n->col);
  if (!c) {
    return NULL;
  }
  c->plain = n->plain;
  int ok = !n->text || (c->text = cet_strdup(n->text)) != NULL;
  for (size_t i = 0; ok && i < n->n; i++) {
    cet_node *child = cet_node_clone(n->child[i]);
    ok = child != NULL;
    if (ok && n->kind == CET_NODE_MAP) {
      ok = cet_node_insert(c, n->key[i], n->key_pos[i], child) == CET_OK;
    } else if (ok) {
      ok = cet_node_append(c, child) == CET_OK;
    }
    if (!ok) {
      cet_node_destroy(&child);
    }
  }
  if (!ok) {
    cet_node_destroy(&c);
  }
  return c;
}

/* Without recursion, so that no tree is too deep to free: descends to the
 * last child, frees a node once it has none left and goes back up by its
 * parent link (set on the way down). */
void cet_node_destroy(cet_node **np) {
  if (!np || !*np) {
    return;
  }
  cet_node *root = *np, *n = root;
  while (n) {
    if (n->n > 0) {
      size_t last = --n->n;
      if (n->key) {
        free(n->key[last]);
      }
      cet_node *child = n->child[last];
      if (child) {
        child->parent = n;
        n = child;
      }
      continue;
    }
    cet_node *up = n == root ? NULL : n->parent;
    free(n->child);
    free(n->key);
    free(n->key_pos);
    free(n->index);
    free(n->text);
    free(n);
    n = up;
  }
  *np = NULL;
}

cet_node_kind cet_node_kind_of(const cet_node *n) { return n->kind; }

size_t cet_node_size(const cet_node *n) {
  return (n->kind == CET_NODE_MAP || n->kind == CET_NODE_SEQ) ? n->n : 0;
}

const cet_node *cet_node_at(const cet_node *n, size_t i) {
  return i < cet_node_size(n) ? n->child[i] : NULL;
}

const char *cet_node_key_at(const cet_node *n, size_t i) {
  return (n->kind == CET_NODE_MAP && i < n->n) ? n->key[i] : NULL;
}

const cet_node *cet_node_get(const cet_node *map, const char *key) {
  long i = cet_node_key_index(map, key);
  return i < 0 ? NULL : map->child[i];
}

const char *cet_node_text(const cet_node *n) { return n->kind == CET_NODE_SCALAR ? n->text : NULL; }

void cet_node_describe(const cet_node *n, char *buf, size_t len) {
  switch (n->kind) {
  case CET_NODE_NULL:
    snprintf(buf, len, "null");
    break;
  case CET_NODE_SEQ:
    snprintf(buf, len, "a list");
    break;
  case CET_NODE_MAP:
    snprintf(buf, len, "a mapping");
    break;
  case CET_NODE_SCALAR:
    if (strlen(n->text) > 40) {
      snprintf(buf, len, "'%.40s...'", n->text);
    } else {
      snprintf(buf, len, "'%s'", n->text);
    }
    break;
  }
}

static size_t child_index(const cet_node *parent, const cet_node *child) {
  for (size_t i = 0; i < parent->n; i++) {
    if (parent->child[i] == child) {
      return i;
    }
  }
  return 0;
}

/* Recursion bounded by CET_YAML_MAX_DEPTH (see yaml_parse.h). */
static size_t build_path(const cet_node *n, char *buf, size_t len) {
  if (!n->parent) {
    buf[0] = '\0';
    return 0;
  }
  size_t used = build_path(n->parent, buf, len);
  size_t i = child_index(n->parent, n);
  int w;
  if (n->parent->kind == CET_NODE_MAP) {
    w = snprintf(buf + used, len - used, "%s%s", used ? "." : "", n->parent->key[i]);
  } else {
    w = snprintf(buf + used, len - used, "[%zu]", i);
  }
  if (w < 0) {
    return used;
  }
  used += (size_t)w;
  return used < len ? used : len - 1;
}

void cet_node_path(const cet_node *n, char *buf, size_t len) {
  if (len == 0) {
    return;
  }
  if (build_path(n, buf, len) == 0) {
    snprintf(buf, len, "(top level)");
  }
}

void cet_node_where(const cet_node *n, char *buf, size_t len) {
  if (n->line > 0) {
    snprintf(buf, len, "%s:%d:%d", n->file, n->line, n->col);
  } else {
    snprintf(buf, len, "%s", n->file);
  }
}

static int fail_at(const char *where, const char *path, const char *fmt, va_list ap)
    CET_PRINTF(3, 0);
static int fail_at(const char *where, const char *path, const char *fmt, va_list ap) {
  char message[NODE_MESSAGE_LEN];
  vsnprintf(message, sizeof message, fmt, ap);
  cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s: %s: %s", where, path, message);
  return CET_ERR_INPUT;
}

int cet_node_fail(const cet_node *n, const char *fmt, ...) {
  char where[NODE_WHERE_LEN], path[NODE_PATH_LEN];
  cet_node_where(n, where, sizeof where);
  cet_node_path(n, path, sizeof path);
  va_list ap;
  va_start(ap, fmt);
  int status = fail_at(where, path, fmt, ap);
  va_end(ap);
  return status;
}

int cet_node_fail_key(const cet_node *map, const char *key, const char *fmt, ...) {
  char where[NODE_WHERE_LEN], path[NODE_PATH_LEN];
  long i = cet_node_key_index(map, key);
  if (i >= 0 && map->key_pos[i].line > 0) {
    key_where(map, map->key_pos[i], where, sizeof where);
  } else if (i >= 0) {
    cet_node_where(map->child[i], where, sizeof where); /* added by --set */
  } else {
    cet_node_where(map, where, sizeof where);
  }
  size_t used = build_path(map, path, sizeof path);
  snprintf(path + used, sizeof path - used, "%s%s", used ? "." : "", key);
  va_list ap;
  va_start(ap, fmt);
  int status = fail_at(where, path, fmt, ap);
  va_end(ap);
  return status;
}

static int expect_kind(const cet_node *n, cet_node_kind kind, const char *what) {
  if (n->kind != kind) {
    char found[NODE_FOUND_LEN];
    cet_node_describe(n, found, sizeof found);
    return cet_node_fail(n, "expected %s, found %s", what, found);
  }
  return CET_OK;
}

int cet_node_expect_map(const cet_node *n) { return expect_kind(n, CET_NODE_MAP, "a mapping"); }

int cet_node_expect_seq(const cet_node *n) { return expect_kind(n, CET_NODE_SEQ, "a list"); }

int cet_node_check_keys(const cet_node *map, const char *const *allowed) {
  CET_CALL(cet_node_expect_map(map));
  for (size_t i = 0; i < map->n; i++) {
    const char *best = NULL;
    size_t best_distance = (size_t)-1;
    int known = 0;
    for (const char *const *a = allowed; *a; a++) {
      if (strcmp(*a, map->key[i]) == 0) {
        known = 1;
        break;
      }
      size_t d = cet_str_distance(*a, map->key[i]);
      if (d < best_distance) {
        best_distance = d;
        best = *a;
      }
    }
    if (!known) {
      char list[NODE_MESSAGE_LEN / 2];
      size_t count = 0;
      while (allowed[count]) {
        count++;
      }
      cet_str_join(list, sizeof list, allowed, count, ", ");
      if (best && best_distance <= 2) {
        return cet_node_fail_key(
            map, map->key[i], "unknown key (did you mean '%s'? expected one of: %s)", best, list);
      }
      return cet_node_fail_key(map, map->key[i], "unknown key (expected one of: %s)", list);
    }
  }
  return CET_OK;
}

int cet_node_require(const cet_node *map, const char *key, const char *what, const cet_node **out) {
  CET_CALL(cet_node_expect_map(map));
  const cet_node *v = cet_node_get(map, key);
  if (!v) {
    return cet_node_fail(map, "missing required key '%s' (%s)", key, what);
  }
  *out = v;
  return CET_OK;
}

static int looks_numeric(const char *s) {
  if (*s == '\0') {
    return 0;
  }
  for (const char *p = s; *p; p++) {
    if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p)) {
      return 0;
    }
  }
  return 1;
}

/* 1 if n is a plain scalar holding a finite number, stored in *out. */
static int parse_finite(const cet_node *n, double *out) {
  if (n->kind != CET_NODE_SCALAR || !n->plain || !looks_numeric(n->text)) {
    return 0;
  }
  char *end = NULL;
  double v = strtod(n->text, &end);
  if (*end != '\0' || !isfinite(v)) {
    return 0;
  }
  *out = v;
  return 1;
}

int cet_node_is_number(const cet_node *n) {
  double v = 0.0;
  return parse_finite(n, &v);
}

int cet_node_number(const cet_node *n, double *out) {
  if (!parse_finite(n, out)) {
    char found[NODE_FOUND_LEN];
    cet_node_describe(n, found, sizeof found);
    return cet_node_fail(n, "expected a number, found %s", found);
  }
  return CET_OK;
}

int cet_node_number_in(const cet_node *n, double lo, double hi, double *out) {
  double v;
  CET_CALL(cet_node_number(n, &v));
  if (v < lo || v > hi) {
    if (isinf(hi)) {
      return cet_node_fail(n, "expected a number >= %g, found %s", lo, n->text);
    }
    if (isinf(lo)) {
      return cet_node_fail(n, "expected a number <= %g, found %s", hi, n->text);
    }
    return cet_node_fail(n, "expected a number in [%g, %g], found %s", lo, hi, n->text);
  }
  *out = v;
  return CET_OK;
}

int cet_node_integer_in(const cet_node *n, long lo, long hi, long *out) {
  double v;
  if (!parse_finite(n, &v) || v != floor(v) || v < (double)lo || v > (double)hi) {
    char found[NODE_FOUND_LEN];
    cet_node_describe(n, found, sizeof found);
    return cet_node_fail(n, "expected an integer in [%ld, %ld], found %s", lo, hi, found);
  }
  *out = (long)v;
  return CET_OK;
}

int cet_node_pair_in(const cet_node *n, double lo, double hi, double *a, double *b) {
  if (n->kind != CET_NODE_SEQ || n->n != 2) {
    char found[NODE_FOUND_LEN];
    cet_node_describe(n, found, sizeof found);
    if (n->kind == CET_NODE_SEQ) {
      snprintf(found, sizeof found, "a list of %zu items", n->n);
    }
    return cet_node_fail(n, "expected a list [min, max] of two numbers in [%g, %g], found %s", lo,
                         hi, found);
  }
  CET_CALL(cet_node_number_in(n->child[0], lo, hi, a));
  CET_CALL(cet_node_number_in(n->child[1], lo, hi, b));
  if (*a > *b) {
    return cet_node_fail(n, "expected [min, max] with min <= max, found [%g, %g]", *a, *b);
  }
  return CET_OK;
}

int cet_node_boolean(const cet_node *n, int *out) {
  static const char *const truth[] = {"true", "True", "TRUE"};
  static const char *const falsity[] = {"false", "False", "FALSE"};
  if (n->kind == CET_NODE_SCALAR && n->plain) {
    for (size_t i = 0; i < sizeof truth / sizeof truth[0]; i++) {
      if (strcmp(n->text, truth[i]) == 0) {
        *out = 1;
        return CET_OK;
      }
      if (strcmp(n->text, falsity[i]) == 0) {
        *out = 0;
        return CET_OK;
      }
    }
  }
  char found[NODE_FOUND_LEN];
  cet_node_describe(n, found, sizeof found);
  return cet_node_fail(n, "expected true or false, found %s", found);
}

int cet_node_string(const cet_node *n, const char **out) {
  if (n->kind != CET_NODE_SCALAR) {
    char found[NODE_FOUND_LEN];
    cet_node_describe(n, found, sizeof found);
    return cet_node_fail(n, "expected a string, found %s", found);
  }
  *out = n->text;
  return CET_OK;
}

int cet_node_choice(const cet_node *n, const char *const *choices, size_t n_choices, int *index) {
  const char *s = NULL;
  if (n->kind == CET_NODE_SCALAR) {
    s = n->text;
    for (size_t i = 0; i < n_choices; i++) {
      if (strcmp(s, choices[i]) == 0) {
        *index = (int)i;
        return CET_OK;
      }
    }
  }
  char list[NODE_MESSAGE_LEN / 2], found[NODE_FOUND_LEN];
  cet_str_join(list, sizeof list, choices, n_choices, ", ");
  cet_node_describe(n, found, sizeof found);
  return cet_node_fail(n, "expected one of %s, found %s", list, found);
}

static const cet_node *present(const cet_node *map, const char *key) {
  const cet_node *v = cet_node_get(map, key);
  return (v && v->kind != CET_NODE_NULL) ? v : NULL;
}

int cet_node_opt_number_in(const cet_node *map, const char *key, double def, double lo, double hi,
                           double *out) {
  const cet_node *v = present(map, key);
  if (!v) {
    *out = def;
    return CET_OK;
  }
  return cet_node_number_in(v, lo, hi, out);
}

int cet_node_opt_integer_in(const cet_node *map, const char *key, long def, long lo, long hi,
                            long *out) {
  const cet_node *v = present(map, key);
  if (!v) {
    *out = def;
    return CET_OK;
  }
  return cet_node_integer_in(v, lo, hi, out);
}

int cet_node_opt_boolean(const cet_node *map, const char *key, int def, int *out) {
  const cet_node *v = present(map, key);
  if (!v) {
    *out = def;
    return CET_OK;
  }
  return cet_node_boolean(v, out);
}

int cet_node_opt_string(const cet_node *map, const char *key, const char *def, const char **out) {
  const cet_node *v = present(map, key);
  if (!v) {
    *out = def;
    return CET_OK;
  }
  return cet_node_string(v, out);
}
