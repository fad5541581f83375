/*
 * yaml_parse.c — builds the located node tree from libyaml events and
 * resolves !include tags (see yaml_parse.h).
 */
#include "yaml_parse.h"

#include "node_impl.h"

#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static const char *const INCLUDE_TAG = "!include";

typedef struct {
  yaml_parser_t parser;
  const char *file;
  cet_yaml_includes *includes;
  int include_depth; /* files including this one */
  int depth;         /* lists and mappings enclosing the value being read */
} yaml_reader;

static int next_event(yaml_reader *r, yaml_event_t *ev) {
  if (!yaml_parser_parse(&r->parser, ev)) {
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "malformed document";
    if (p->context) {
      CET_CHECK(0, CET_ERR_INPUT, "%s:%zu:%zu: YAML syntax error: %s %s", r->file,
                p->problem_mark.line + 1, p->problem_mark.column + 1, problem, p->context);
    }
    CET_CHECK(0, CET_ERR_INPUT, "%s:%zu:%zu: YAML syntax error: %s", r->file,
              p->problem_mark.line + 1, p->problem_mark.column + 1, problem);
  }
  return CET_OK;
}

static int is_null_text(const char *s) {
  return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
         strcmp(s, "NULL") == 0;
}

static int has_include_tag(const yaml_char_t *tag) {
  return tag && strcmp((const char *)tag, INCLUDE_TAG) == 0;
}

static int parse_value(yaml_reader *r, yaml_event_t *ev, cet_node **out);

static int parse_text(const char *file, const char *text, size_t len, cet_yaml_includes *includes,
                      int include_depth, int depth, cet_node **out);

static int include_file(yaml_reader *r, const char *path, int line, int col, cet_node **out) {
  cet_yaml_includes *inc = r->includes;
  CET_CHECK(inc != NULL, CET_ERR_INPUT, "%s:%d:%d: !include is not allowed here", r->file, line,
            col);
  CET_CHECK(r->include_depth < CET_YAML_MAX_INCLUDE_DEPTH, CET_ERR_INPUT,
            "%s:%d:%d: !include nested deeper than %d files (a file including itself?)", r->file,
            line, col, CET_YAML_MAX_INCLUDE_DEPTH);
  CET_CHECK(inc->files < CET_YAML_MAX_INCLUDES, CET_ERR_INPUT,
            "%s:%d:%d: cannot include '%s': a case includes at most %d files (a file included "
            "twice counts twice)",
            r->file, line, col, path, CET_YAML_MAX_INCLUDES);
  const char *name = NULL, *text = NULL;
  size_t len = 0;
  int status = inc->read(inc->ctx, r->file, path, &name, &text, &len);
  CET_CHECK(status == CET_OK, status, "%s:%d:%d: cannot include '%s'", r->file, line, col, path);
  size_t max_bytes = (size_t)CET_YAML_MAX_INCLUDED_MIB << 20;
  CET_CHECK(len <= max_bytes - inc->bytes, CET_ERR_INPUT,
            "%s:%d:%d: cannot include '%s': a case includes at most %d MiB of text (a file "
            "included twice counts twice)",
            r->file, line, col, path, CET_YAML_MAX_INCLUDED_MIB);
  inc->files++;
  inc->bytes += len;
  CET_CALL(parse_text(name, text, len, inc, r->include_depth + 1, r->depth, out));
  return CET_OK;
}

/* Moves every entry of the mapping from into the mapping into. */
static int merge_into(cet_node *into, cet_node *from) {
  for (size_t i = 0; i < from->n; i++) {
    CET_CALL(cet_node_insert(into, from->key[i], from->key_pos[i], from->child[i]));
    from->child[i] = NULL;
  }
  return CET_OK;
}

/* Includes the file named by the scalar item, a mapping, into merged. */
static int include_map(yaml_reader *r, const cet_node *item, cet_node *merged) {
  cet_node *root = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, include_file(r, item->text, item->line, item->col, &root));
  if (root->kind != CET_NODE_MAP) {
    CET_CALL_GOTO(status, done,
                  cet_node_fail(root, "an included file in a list must hold a mapping"));
  }
  CET_CALL_GOTO(status, done, merge_into(merged, root));
done:
  cet_node_destroy(&root);
  return status;
}

static int include_list(yaml_reader *r, cet_node *list, cet_node **out) {
  cet_node *merged = cet_node_new(CET_NODE_MAP, list->file, list->line, list->col);
  CET_CHECK_ALLOC(merged);
  int status = CET_OK;
  for (size_t i = 0; i < list->n; i++) {
    const cet_node *item = list->child[i];
    if (item->kind != CET_NODE_SCALAR) {
      CET_CALL_GOTO(status, fail,
                    cet_node_fail(item, "expected a file name after !include, found a collection"));
    }
    CET_CALL_GOTO(status, fail, include_map(r, item, merged));
  }
  *out = merged;
  return CET_OK;
fail:
  cet_node_destroy(&merged);
  return status;
}

static int parse_scalar(yaml_reader *r, yaml_event_t *ev, cet_node **out) {
  int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
  const char *text = (const char *)ev->data.scalar.value;
  if (has_include_tag(ev->data.scalar.tag)) {
    return include_file(r, text, line, col, out);
  }
  int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  cet_node *n = cet_node_new(plain && is_null_text(text) ? CET_NODE_NULL : CET_NODE_SCALAR, r->file,
                             line, col);
  CET_CHECK_ALLOC(n);
  n->plain = plain;
  n->text = cet_strndup(text, ev->data.scalar.length);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, n->text);
  *out = n;
  return CET_OK;
fail:
  cet_node_destroy(&n);
  return status;
}

/* Parses the value that starts with ev into *out; ev is deleted. */
static int parse_event(yaml_reader *r, yaml_event_t *ev, cet_node **out) {
  int status = parse_value(r, ev, out);
  yaml_event_delete(ev);
  return status;
}

/* Appends the value that starts with ev (deleted) to the sequence n. */
static int parse_item(yaml_reader *r, yaml_event_t *ev, cet_node *n) {
  cet_node *item = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, parse_event(r, ev, &item));
  CET_CALL_GOTO(status, done, cet_node_append(n, item));
  item = NULL;
done:
  cet_node_destroy(&item);
  return status;
}

/* Parses the value of key (read at pos; freed here) and puts it into the
 * mapping n. */
static int parse_entry(yaml_reader *r, char *key, cet_node_key_pos pos, cet_node *n) {
  yaml_event_t ev;
  cet_node *value = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, next_event(r, &ev));
  CET_CALL_GOTO(status, done, parse_event(r, &ev, &value));
  CET_CALL_GOTO(status, done, cet_node_insert(n, key, pos, value));
  value = NULL;
done:
  cet_node_destroy(&value);
  free(key);
  return status;
}

static int parse_collection(yaml_reader *r, yaml_event_t *start, cet_node **out) {
  CET_CHECK(r->depth < CET_YAML_MAX_DEPTH, CET_ERR_INPUT,
            "%s:%zu:%zu: nesting deeper than %d levels (lists and mappings inside one another)",
            r->file, start->start_mark.line + 1, start->start_mark.column + 1, CET_YAML_MAX_DEPTH);
  int is_map = start->type == YAML_MAPPING_START_EVENT;
  int include = !is_map && has_include_tag(start->data.sequence_start.tag);
  cet_node *n = cet_node_new(is_map ? CET_NODE_MAP : CET_NODE_SEQ, r->file,
                             (int)start->start_mark.line + 1, (int)start->start_mark.column + 1);
  CET_CHECK_ALLOC(n);
  yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
  int status = CET_OK;
  r->depth++;
  for (;;) {
    yaml_event_t ev;
    CET_CALL_GOTO(status, fail, next_event(r, &ev));
    if (ev.type == end) {
      yaml_event_delete(&ev);
      break;
    }
    if (!is_map) {
      CET_CALL_GOTO(status, fail, parse_item(r, &ev, n));
      continue;
    }
    int scalar = ev.type == YAML_SCALAR_EVENT;
    size_t line = ev.start_mark.line + 1, col = ev.start_mark.column + 1;
    char *key = scalar ? cet_strdup((const char *)ev.data.scalar.value) : NULL;
    yaml_event_delete(&ev);
    CET_CHECK_GOTO(status, fail, scalar, CET_ERR_INPUT,
                   "%s:%zu:%zu: mapping keys must be plain strings", r->file, line, col);
    CET_CHECK_ALLOC_GOTO(status, fail, key);
    cet_node_key_pos pos = {r->file, (int)line, (int)col};
    CET_CALL_GOTO(status, fail, parse_entry(r, key, pos, n));
  }
  r->depth--; /* an included list's files take the list's place */
  if (include) {
    cet_node *merged = NULL;
    CET_CALL_GOTO(status, fail, include_list(r, n, &merged));
    cet_node_destroy(&n);
    n = merged;
  }
  *out = n;
  return CET_OK;
fail:
  cet_node_destroy(&n);
  return status;
}

static int parse_value(yaml_reader *r, yaml_event_t *ev, cet_node **out) {
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    return parse_scalar(r, ev, out);
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    return parse_collection(r, ev, out);
  case YAML_ALIAS_EVENT:
    CET_CHECK(0, CET_ERR_INPUT,
              "%s:%zu:%zu: YAML aliases (*name) are not supported; repeat the value or use "
              "!include",
              r->file, ev->start_mark.line + 1, ev->start_mark.column + 1);
  default:
    CET_CHECK(0, CET_ERR_INPUT, "%s:%zu:%zu: unexpected YAML event", r->file,
              ev->start_mark.line + 1, ev->start_mark.column + 1);
  }
}

static int parse_stream(yaml_reader *r, cet_node **out) {
  yaml_event_t ev;
  CET_CALL(next_event(r, &ev)); /* stream start */
  yaml_event_delete(&ev);
  CET_CALL(next_event(r, &ev));
  if (ev.type == YAML_STREAM_END_EVENT) {
    yaml_event_delete(&ev);
    *out = cet_node_new(CET_NODE_NULL, r->file, 1, 1);
    CET_CHECK_ALLOC(*out);
    return CET_OK;
  }
  yaml_event_delete(&ev); /* document start */
  CET_CALL(next_event(r, &ev));
  cet_node *root = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, parse_event(r, &ev, &root));
  CET_CALL_GOTO(status, fail, next_event(r, &ev)); /* document end */
  yaml_event_delete(&ev);
  CET_CALL_GOTO(status, fail, next_event(r, &ev));
  int end = ev.type == YAML_STREAM_END_EVENT;
  size_t line = ev.start_mark.line + 1, col = ev.start_mark.column + 1;
  yaml_event_delete(&ev);
  CET_CHECK_GOTO(status, fail, end, CET_ERR_INPUT,
                 "%s:%zu:%zu: a case file holds one YAML document, found a second one", r->file,
                 line, col);
  *out = root;
  return CET_OK;
fail:
  cet_node_destroy(&root);
  return status;
}

static int parse_text(const char *file, const char *text, size_t len, cet_yaml_includes *includes,
                      int include_depth, int depth, cet_node **out) {
  yaml_reader r = {
      .file = file, .includes = includes, .include_depth = include_depth, .depth = depth};
  CET_CHECK(yaml_parser_initialize(&r.parser), CET_ERR_MEMORY, "cannot initialise the YAML parser");
  yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
  int status = CET_OK;
  CET_CALL_GOTO(status, done, parse_stream(&r, out));
done:
  yaml_parser_delete(&r.parser);
  return status;
}

int cet_yaml_parse(const char *file, const char *text, size_t len, cet_yaml_includes *includes,
                   int depth, cet_node **out) {
  return parse_text(file, text, len, includes, 0, depth, out);
}
