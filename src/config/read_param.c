/*
 * read_param.c — reading a numeric leaf of the case as a twin parameter:
 * the number is checked like any other value and registered in the
 * parameter table under its key path (the path `--set` uses).
 */
#include "readers.h"

#include <stdio.h>
#include <string.h>

enum { PARAM_PATH_LEN = 512 };

int cet_read_param(const cet_node *n, double lo, double hi, const char *units, cet_params *params,
                   long *slot) {
  double v = 0.0;
  CET_CALL(cet_node_number_in(n, lo, hi, &v));
  CET_CALL(cet_register_param(n, v, lo, hi, units, 0, params, slot));
  return CET_OK;
}

int cet_register_param(const cet_node *n, double value, double lo, double hi, const char *units,
                       unsigned flags, cet_params *params, long *slot) {
  char path[PARAM_PATH_LEN];
  cet_node_path(n, path, sizeof path);
  long found = cet_params_find(params, path);
  if (found >= 0) {
    *slot = found;
    return CET_OK;
  }
  size_t s = 0;
  int status = cet_params_add(params, path, value, lo, hi, units, flags, &s);
  if (status != CET_OK) {
    int located =
        cet_node_fail(n, "cannot register the value as a parameter: %s", cet_error_message());
    return status == CET_ERR_INPUT ? located : status; /* out of memory stays a runtime failure */
  }
  *slot = (long)s;
  return CET_OK;
}

int cet_read_param_opt(const cet_node *map, const char *key, double def, double lo, double hi,
                       const char *units, cet_params *params, long *slot) {
  const cet_node *v = cet_node_get(map, key);
  if (v && cet_node_kind_of(v) != CET_NODE_NULL) {
    return cet_read_param(v, lo, hi, units, params, slot);
  }
  char path[PARAM_PATH_LEN];
  cet_node_path(map, path, sizeof path);
  size_t n = strlen(path);
  snprintf(path + n, sizeof path - n, ".%s", key);
  long found = cet_params_find(params, path);
  if (found >= 0) {
    *slot = found;
    return CET_OK;
  }
  size_t s = 0;
  int status = cet_params_add(params, path, def, lo, hi, units, 0, &s);
  if (status != CET_OK) {
    int located =
        cet_node_fail(map, "cannot register '%s' as a parameter: %s", key, cet_error_message());
    return status == CET_ERR_INPUT ? located : status;
  }
  *slot = (long)s;
  return CET_OK;
}

int cet_read_check_movable(const cet_twin *t, const cet_node *at, size_t slot) {
  if (!(cet_twin_parameter_flags(t, slot) & CET_PARAM_NORMALISED)) {
    return CET_OK;
  }
  const char *path = cet_twin_parameter_path(t, slot);
  const char *list = strrchr(path, '.');
  int unit = list ? (int)(list - path) : (int)strlen(path);
  return cet_node_fail(at,
                       "%s is one of the fractions of a splitter, which the twin divides by "
                       "their sum: moved alone it would move the other outlets too, and the "
                       "value recorded would not be the share used. Give the splitter shares: "
                       "[...] instead of fractions: (one share per outlet but the last, which "
                       "takes the remainder) and use %.*s.shares[K], or in an optimisation "
                       "design the whole %.*s.fractions with sum_to_one: true",
                       path, unit, path, unit, path);
}
