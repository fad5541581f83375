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
 * deeper than CET_YAML_MAX_DEPTH, so walks over them may recurse. The
 * include limits count every !include, a file included twice twice. */
enum {
  CET_YAML_MAX_DEPTH = 256,        /* lists and mappings inside one another, from the top level */
  CET_YAML_MAX_INCLUDE_DEPTH = 16, /* files including files */
  CET_YAML_MAX_INCLUDES = 1000,    /* included files */
  CET_YAML_MAX_INCLUDED_MIB = 64   /* text of the included files, in MiB */
};

/* How the !include tags of a case are resolved, and what they have brought
 * in so far (shared by the case file and every file it includes). */
typedef struct {
  cet_yaml_include_fn read; /* supplies an included file */
  void *ctx;                /* passed to read */
  size_t files;             /* files included so far */
  size_t bytes;             /* their text */
} cet_yaml_includes;

/* Parses one YAML document of text (len bytes) named file; includes may be
 * NULL (then !include is an error). depth is the number of lists and
 * mappings that will enclose the document's root (0 for a case file); a
 * list or mapping nested deeper than CET_YAML_MAX_DEPTH, or an include
 * beyond the limits, is an error at its position. */
int cet_yaml_parse(const char *file, const char *text, size_t len, cet_yaml_includes *includes,
                   int depth, cet_node **out);

#endif /* CETWIN_YAML_PARSE_H */
