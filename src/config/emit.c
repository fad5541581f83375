/*
 * emit.c — the resolved case as plain YAML (see config.h,
 * cet_config_resolved): the tree after includes and overrides, in block
 * style, with no tags, anchors or includes, so that any YAML library reads
 * it and cetwin reads it back to the same tree.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cetwin/config.h"

#include "cetwin/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Whether text can be written as a plain scalar: letters, digits and a
 * few punctuation marks that YAML gives no meaning at the start, spaces
 * inside but not around, and none of the words YAML reads as null. */
static int plain_ok(const char *text) {
  static const char *const nulls[] = {"null", "Null", "NULL", "~", NULL};
  size_t n = strlen(text);
  if (n == 0 || text[0] == ' ' || text[n - 1] == ' ') {
    return 0;
  }
  for (size_t i = 0; nulls[i]; i++) {
    if (strcmp(text, nulls[i]) == 0) {
      return 0;
    }
  }
  char first = text[0];
  int digit_after = first == '-' && text[1] >= '0' && text[1] <= '9';
  if (!digit_after && !((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') ||
                        (first >= '0' && first <= '9') || first == '_' || first == '.' ||
                        first == '+' || first == '/')) {
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    char ch = text[i];
    int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
             strchr("_.+-/ ()%", ch) != NULL;
    if (!ok) {
      return 0;
    }
  }
  return 1;
}

/* Appends text as a YAML scalar: plain when it can be, else double-quoted. */
static int put_scalar(cet_strbuf *b, const char *text) {
  if (plain_ok(text)) {
    return cet_strbuf_append(b, text);
  }
  CET_CALL(cet_strbuf_append(b, "\""));
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p == '"' || *p == '\\') {
      CET_CALL(cet_strbuf_printf(b, "\\%c", *p));
    } else if (*p == '\n') {
      CET_CALL(cet_strbuf_append(b, "\\n"));
    } else if (*p == '\t') {
      CET_CALL(cet_strbuf_append(b, "\\t"));
    } else if (*p < 0x20 || *p == 0x7f) {
      CET_CALL(cet_strbuf_printf(b, "\\x%02x", *p));
    } else {
      CET_CALL(cet_strbuf_appendn(b, (const char *)p, 1));
    }
  }
  return cet_strbuf_append(b, "\"");
}

/* The text of scalar n as the resolved case gives it: a data file (a
 * `csv:` value) by its absolute path, so that the case runs from anywhere. */
static int put_value(const cet_config *c, cet_strbuf *b, const cet_node *n, const char *key) {
  const char *name = NULL, *text = NULL;
  size_t len = 0;
  char full[PATH_MAX];
  if (key && strcmp(key, "csv") == 0 && cet_config_data_file(c, n, &name, &text, &len) == CET_OK &&
      realpath(name, full)) {
    return put_scalar(b, full);
  }
  cet_error_clear();
  return put_scalar(b, cet_node_text(n));
}

/* 1 when n is written on the line of its key or dash: a scalar, null, or
 * an empty collection. */
static int inline_node(const cet_node *n) {
  cet_node_kind k = cet_node_kind_of(n);
  return k == CET_NODE_SCALAR || k == CET_NODE_NULL || cet_node_size(n) == 0;
}

static int put_node(const cet_config *c, cet_strbuf *b, const cet_node *n, int indent,
                    const char *key);

/* The inline form of n (after "key: " or "- "). */
static int put_inline(const cet_config *c, cet_strbuf *b, const cet_node *n, const char *key) {
  switch (cet_node_kind_of(n)) {
  case CET_NODE_SCALAR:
    CET_CALL(put_value(c, b, n, key));
    break;
  case CET_NODE_NULL:
    CET_CALL(cet_strbuf_append(b, "null"));
    break;
  case CET_NODE_SEQ:
    CET_CALL(cet_strbuf_append(b, "[]"));
    break;
  case CET_NODE_MAP:
    CET_CALL(cet_strbuf_append(b, "{}"));
    break;
  }
  return cet_strbuf_append(b, "\n");
}

static int put_node(const cet_config *c, cet_strbuf *b, const cet_node *n, int indent,
                    const char *key) {
  int is_map = cet_node_kind_of(n) == CET_NODE_MAP;
  for (size_t i = 0; i < cet_node_size(n); i++) {
    const cet_node *v = cet_node_at(n, i);
    const char *k = is_map ? cet_node_key_at(n, i) : key;
    CET_CALL(cet_strbuf_printf(b, "%*s", indent, ""));
    if (is_map) {
      CET_CALL(put_scalar(b, k));
      CET_CALL(cet_strbuf_append(b, ":"));
    } else {
      CET_CALL(cet_strbuf_append(b, "-"));
    }
    if (inline_node(v)) {
      CET_CALL(cet_strbuf_append(b, " "));
      CET_CALL(put_inline(c, b, v, k));
    } else {
      CET_CALL(cet_strbuf_append(b, "\n"));
      CET_CALL(put_node(c, b, v, indent + 2, k));
    }
  }
  return CET_OK;
}

int cet_config_resolved(const cet_config *c, char **yaml) {
  *yaml = NULL;
  cet_strbuf b = {0};
  const cet_node *root = cet_config_root(c);
  int status = CET_OK;
  CET_CALL_GOTO(
      status, fail,
      cet_strbuf_append(&b, "# the case as cetwin ran it: includes expanded, --set applied\n"));
  CET_CALL_GOTO(status, fail,
                inline_node(root) ? put_inline(c, &b, root, NULL) : put_node(c, &b, root, 0, NULL));
  *yaml = b.text;
  return CET_OK;
fail:
  cet_strbuf_free(&b);
  return status;
}
