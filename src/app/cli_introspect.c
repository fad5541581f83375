/*
 * cli_introspect.c — `cetwin params` and `cetwin metrics`: the twin
 * parameters of a case (the paths --set, design:, uncertain: and the
 * sensitivity factors accept) with value, units and valid range, and the
 * metrics a run of it yields with units and description. Every number is
 * written by format_number, the one place that decides how they look.
 */
#include "cli.h"

#include "cetwin/case.h"
#include "cetwin/params.h"
#include "cetwin/str.h"
#include "cetwin/twin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NUMBER_LEN = 32, RANGE_LEN = 2 * NUMBER_LEN + 8 };

/* The shortest decimal that reads back as x (so that a listed value given
 * to --set is the value itself); "~" for an unknown value (YAML's null, as
 * the case writes it), "inf" and "-inf" for unbounded ends. */
static void format_number(double x, char *buf, size_t len) {
  if (isnan(x)) {
    snprintf(buf, len, "~");
    return;
  }
  if (isinf(x)) {
    snprintf(buf, len, "%sinf", x < 0 ? "-" : "");
    return;
  }
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(buf, len, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) {
      return;
    }
  }
}

/* "the case has no twin" notice of params and metrics; returns 0. */
static int no_twin(const cet_case *c, const char *what) {
  fprintf(stderr,
          "cetwin: case '%s' (analysis %s) describes no twin, so it has no %s; --set accepts "
          "any key of the case\n",
          c->name, c->analysis->name, what);
  return 0;
}

int cli_print_params(const cet_case *c, const cli_args *args, FILE *out) {
  const cet_twin *t = c->twin;
  if (!t) {
    if (args->match) {
      fprintf(stderr, "cetwin params: no parameter matches '%s': case '%s' has no twin\n",
              args->match, c->name);
      return 1;
    }
    return no_twin(c, "parameters");
  }
  size_t n = cet_twin_parameter_count(t), width = strlen("PATH"), shown = 0;
  for (size_t i = 0; i < n; i++) {
    const char *path = cet_twin_parameter_path(t, i);
    if (!args->match || cet_str_glob(args->match, path)) {
      size_t w = strlen(path);
      width = w > width ? w : width;
      shown++;
    }
  }
  if (shown == 0) {
    const char *near = cet_twin_parameter_closest(t, args->match);
    /* the '*...*' hint only for a pattern without wildcards of its own */
    int plain = strpbrk(args->match, "*?") == NULL;
    fprintf(stderr,
            "cetwin params: no parameter of case '%s' matches '%s' ('*' stands for any "
            "characters%s%s%s; closest path: %s)\n",
            c->name, args->match, plain ? ", e.g. '*" : "", plain ? args->match : "",
            plain ? "*'" : "", near ? near : "none");
    return 1;
  }
  const double *value = cet_twin_parameter_defaults(t);
  fprintf(out, "# %zu of the %zu parameters of case '%s' (%s)\n", shown, n, c->name, c->path);
  fprintf(out, "%-*s  %-*s  %-*s  %s\n", (int)width, "PATH", NUMBER_LEN / 2, "VALUE",
          NUMBER_LEN / 2, "RANGE", "UNITS");
  for (size_t i = 0; i < n; i++) {
    const char *path = cet_twin_parameter_path(t, i), *units = cet_twin_parameter_units(t, i);
    if (args->match && !cet_str_glob(args->match, path)) {
      continue;
    }
    double lo = 0.0, hi = 0.0;
    cet_twin_parameter_range(t, i, &lo, &hi);
    char v[NUMBER_LEN], l[NUMBER_LEN], h[NUMBER_LEN], range[RANGE_LEN];
    format_number(value[i], v, sizeof v);
    format_number(lo, l, sizeof l);
    format_number(hi, h, sizeof h);
    snprintf(range, sizeof range, "[%s, %s]", l, h);
    unsigned flags = cet_twin_parameter_flags(t, i);
    fprintf(out, "%-*s  %-*s  %-*s  %s%s%s\n", (int)width, path, NUMBER_LEN / 2, v, NUMBER_LEN / 2,
            range, units[0] ? units : "-",
            flags & CET_PARAM_MAY_BE_UNKNOWN ? "  (may be unknown: ~)" : "",
            flags & CET_PARAM_NORMALISED ? "  (divided by the sum of its list: varied only whole)"
                                         : "");
  }
  return 0;
}

int cli_print_metrics(const cet_case *c, const cli_args *args, FILE *out) {
  (void)args;
  const cet_twin *t = c->twin;
  if (!t) {
    return no_twin(c, "metrics (its result lists flowsheets)");
  }
  size_t n = cet_twin_metric_count(t), width = strlen("METRIC"), uwidth = strlen("UNITS");
  for (size_t i = 0; i < n; i++) {
    size_t w = strlen(cet_twin_metric_name(t, i)), u = strlen(cet_twin_metric_units(t, i));
    width = w > width ? w : width;
    uwidth = u > uwidth ? u : uwidth;
  }
  fprintf(out, "# %zu metrics of case '%s' (%s)\n", n, c->name, c->path);
  fprintf(out, "%-*s  %-*s  %s\n", (int)width, "METRIC", (int)uwidth, "UNITS", "DESCRIPTION");
  for (size_t i = 0; i < n; i++) {
    const char *units = cet_twin_metric_units(t, i);
    fprintf(out, "%-*s  %-*s  %s\n", (int)width, cet_twin_metric_name(t, i), (int)uwidth,
            units[0] ? units : "-", cet_twin_metric_description(t, i));
  }
  return 0;
}
