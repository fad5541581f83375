/*
 * yaml_parse.h — libyaml events to a cet_node tree (private to src/config).
 *
 * A scalar tagged `!include PATH` (or a list tagged `!include [A, B]`) is
 * replaced by the root of the named file(s); a list of files must hold
 * mappings, which are merged in order (duplicate keys are errors).
 */
#ifndef CETWIN_YAML_PARSE_H
#define CETWIN_YAML_PARSE_H

#include "cetwin/node.h"

#include <stddef.h>

/* Supplies the text of an included file. path is as written after !include,
 * from is the including file. On success *name is the file's display name
 * and *text, *len its contents, owned by the callee and alive as long as the
 * tree. */
typedef int (*cet_yaml_include_fn)(void *ctx, const char *from, const char *path, const char **name,
                                   const char **text, size_t *len);

/* Limits of one case (docs/user-guide.md, "Limits"). Trees are never
 * deeper than CET_YAML_MAX_DEPTH, so walks over them may recurse. */
enum {
  CET_YAML_MAX_DEPTH = 256,       /* lists and mappings inside one another, from the top level */
  CET_YAML_MAX_INCLUDE_DEPTH = 16 /* files including files */
};

/* Parses one YAML document of text (len bytes) named file; include may be
 * NULL (then !include is an error). depth is the number of lists and
 * mappings that will enclose the document's root (0 for a case file); a
 * list or mapping nested deeper than CET_YAML_MAX_DEPTH is an error at its
 * position. */
int cet_yaml_parse(const char *file, const char *text, size_t len, cet_yaml_include_fn include,
                   void *ctx, int depth, cet_node **out);

#endif /* CETWIN_YAML_PARSE_H */
