/*
 * node.h — the parsed YAML document as a tree of nodes that remember where
 * they came from (file, line, column), and typed accessors whose errors say
 * FILE:LINE:COL: KEY.PATH: expected ..., found ....
 *
 * Every reader of the case file goes through these accessors, so every
 * config error has the same shape. All functions are local (not collective).
 */
#ifndef CETWIN_NODE_H
#define CETWIN_NODE_H

#include "cetwin/error.h"

#include <stddef.h>

typedef struct cet_node cet_node;

typedef enum {
  CET_NODE_NULL,   /* ~, null or an empty value */
  CET_NODE_SCALAR, /* a string, number or boolean */
  CET_NODE_SEQ,    /* a list */
  CET_NODE_MAP     /* a mapping with unique string keys, in file order */
} cet_node_kind;

cet_node_kind cet_node_kind_of(const cet_node *n);

/* "a mapping", "a list", "a number '3'", "a string 'abc'", "null"... for
 * messages; buf of size len. */
void cet_node_describe(const cet_node *n, char *buf, size_t len);

/* Number of items of a list or entries of a mapping (0 for scalars). */
size_t cet_node_size(const cet_node *n);

/* i-th item of a list or i-th value of a mapping. */
const cet_node *cet_node_at(const cet_node *n, size_t i);

/* i-th key of a mapping. */
const char *cet_node_key_at(const cet_node *n, size_t i);

/* Value of key in a mapping, NULL when absent (or n is not a mapping). */
const cet_node *cet_node_get(const cet_node *map, const char *key);

/* Text of a scalar (NULL for other kinds). */
const char *cet_node_text(const cet_node *n);

/* The key path of n from the root, e.g. "feed.composition.Cu" or
 * "units.mix.fractions[2]"; "(top level)" for the root. */
void cet_node_path(const cet_node *n, char *buf, size_t len);

/* "FILE:LINE:COL" of n (or "--set PATH=VALUE" for an override). */
void cet_node_where(const cet_node *n, char *buf, size_t len);

/* Records an input error at n: "WHERE: PATH: MESSAGE"; returns
 * CET_ERR_INPUT. Use as `return cet_node_fail(n, "...", ...)`. */
int cet_node_fail(const cet_node *n, const char *fmt, ...) CET_PRINTF(2, 3);

/* Like cet_node_fail, but for key within the mapping map (the key's
 * position when present, the mapping's otherwise). */
int cet_node_fail_key(const cet_node *map, const char *key, const char *fmt, ...) CET_PRINTF(3, 4);

/* Kind checks: "expected a mapping, found a list". */
int cet_node_expect_map(const cet_node *n);
int cet_node_expect_seq(const cet_node *n);

/* Fails on the first key of map not in the NULL-terminated list allowed,
 * suggesting the closest allowed key. */
int cet_node_check_keys(const cet_node *map, const char *const *allowed);

/* Value of a required key; "missing required key 'k' (WHAT)" otherwise,
 * where what says what was expected. */
int cet_node_require(const cet_node *map, const char *key, const char *what, const cet_node **out);

/* Scalar conversions, failing with expected/found messages. */
/* 1 when n is a plain scalar that reads as a finite number ("0.5", not
 * "SiO2" or the quoted '0.5'). */
int cet_node_is_number(const cet_node *n);
int cet_node_number(const cet_node *n, double *out);
int cet_node_number_in(const cet_node *n, double lo, double hi, double *out);
int cet_node_integer_in(const cet_node *n, long lo, long hi, long *out);
int cet_node_boolean(const cet_node *n, int *out);
int cet_node_string(const cet_node *n, const char **out);

/* A list of two numbers [a, b] with lo <= a <= b <= hi (a window or a
 * range): "expected a list [min, max] ...". */
int cet_node_pair_in(const cet_node *n, double lo, double hi, double *a, double *b);

/* Index in choices (n_choices strings) of the scalar n:
 * "expected one of strict, preprocess, found 'strikt'". */
int cet_node_choice(const cet_node *n, const char *const *choices, size_t n_choices, int *index);

/* Optional keys with defaults: when key is absent (or null) *out = def. */
int cet_node_opt_number_in(const cet_node *map, const char *key, double def, double lo, double hi,
                           double *out);
int cet_node_opt_integer_in(const cet_node *map, const char *key, long def, long lo, long hi,
                            long *out);
int cet_node_opt_boolean(const cet_node *map, const char *key, int def, int *out);
int cet_node_opt_string(const cet_node *map, const char *key, const char *def, const char **out);

/* Frees a tree returned by the parser. */
void cet_node_destroy(cet_node **n);

#endif /* CETWIN_NODE_H */
