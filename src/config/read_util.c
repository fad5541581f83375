/*
 * read_util.c — small helpers shared by the section readers of src/config.
 */
#include "readers.h"

enum { READ_LIST_LEN = 2048 };

int cet_read_lookup(const cet_node *map, const char *key, const cet_names *names, const char *what,
                    size_t *index) {
  long i = cet_names_find(names, key);
  if (i < 0) {
    char list[READ_LIST_LEN];
    cet_names_join(names, list, sizeof list);
    return cet_node_fail_key(map, key, "unknown %s '%s' (expected one of: %s)", what, key, list);
  }
  *index = (size_t)i;
  return CET_OK;
}
