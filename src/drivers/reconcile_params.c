/*
 * reconcile_params.c — the twin calibrated from a reconciliation
 * (reconcile_split.h): the parameters the reconciled flows imply, printed
 * per unit, stored in /reconcile/parameters and, with
 * reconcile.write_parameters, written as a parameter file that a case
 * takes as `set: !include FILE` (each entry a --set PATH=VALUE).
 */
#include "reconcile_report.h"

#include "cetwin/error.h"
#include "cetwin/reconcile_split.h"
#include "cetwin/result.h"
#include "cetwin/str.h"
#include "cetwin/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REASON_LINE = 256 };

/* Why the parameters of rows [a, b) were kept: "REASON (N), ...". */
static void kept_reasons(const cet_reconcile_parameters_view *v, size_t a, size_t b, char *buf,
                         size_t len) {
  buf[0] = '\0';
  size_t used = 0;
  for (int reason = CET_SPLIT_DERIVED + 1; reason < CET_SPLIT_REASONS; reason++) {
    const char *name = cet_split_reason_name(reason);
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
      n += strcmp(v->reason[i], name) == 0;
    }
    if (n > 0 && used < len) {
      int w = snprintf(buf + used, len - used, "%s%s (%zu)", used ? ", " : "", name, n);
      used += w > 0 ? (size_t)w : 0;
    }
  }
}

void cet_drv_reconcile_parameters_print(const cet_reconcile_parameters_view *v, FILE *out) {
  const char *derived_name = cet_split_reason_name(CET_SPLIT_DERIVED);
  size_t n_derived = 0;
  for (size_t i = 0; i < v->n; i++) {
    n_derived += strcmp(v->reason[i], derived_name) == 0;
  }
  fprintf(out, "\nParameters from the reconciled flows: %zu of %zu derived", n_derived, v->n);
  if (v->file && v->file[0]) {
    fprintf(out, ", written to %s", v->file);
  }
  fprintf(out, "; the others keep the case's values\n");
  fprintf(out, "  %-20s %-9s %7s %5s  %s\n", "unit", "kind", "derived", "kept", "why kept");
  for (size_t a = 0; a < v->n;) {
    size_t b = a, derived = 0;
    while (b < v->n && strcmp(v->unit[b], v->unit[a]) == 0) {
      derived += strcmp(v->reason[b++], derived_name) == 0;
    }
    char why[REASON_LINE];
    kept_reasons(v, a, b, why, sizeof why);
    fprintf(out, "  %-20s %-9s %7zu %5zu  %s\n", v->unit[a], v->kind[a], derived, b - a - derived,
            why[0] ? why : "-");
    a = b;
  }
}

/* The parameter file: a YAML list of PATH=VALUE, with where it comes from
 * and how to use it, and the parameters kept as comments. */
static int file_text(const cet_case *c, const cet_run_context *ctx, const cet_reconcile_split *s,
                     cet_strbuf *b) {
  const cet_twin *t = c->twin;
  CET_CALL(cet_strbuf_printf(
      b,
      "# Parameters of the twin derived from reconciled plant data by cetwin %s\n"
      "# (analysis reconcile of %s): %zu of %zu derived; the others keep the\n"
      "# values of the case that uses this file (listed at the end).\n"
      "# command: %s\n"
      "# In a case (a list of PATH=VALUE, as --set takes them):\n"
      "#   set: !include THIS_FILE\n"
      "# or on the command line, one --set per entry:\n"
      "#   cetwin run CASE.yaml $(sed -n 's/^- /--set=/p' THIS_FILE)\n",
      cet_version(), c->path, s->n_derived, s->n, ctx->command_line ? ctx->command_line : ""));
  if (s->n_derived == 0) {
    CET_CALL(cet_strbuf_append(b, "[]\n"));
  }
  for (size_t i = 0; i < s->n; i++) {
    if (s->reason[i] == CET_SPLIT_DERIVED) {
      CET_CALL(cet_strbuf_printf(b, "- %s=%.17g\n", cet_twin_parameter_path(t, s->parameter[i]),
                                 s->value[i]));
    }
  }
  if (s->n_derived < s->n) {
    CET_CALL(cet_strbuf_append(b, "# not derived (the case's values are kept):\n"));
  }
  for (size_t i = 0; i < s->n; i++) {
    if (s->reason[i] != CET_SPLIT_DERIVED) {
      CET_CALL(cet_strbuf_printf(b, "#   %s: %s\n", cet_twin_parameter_path(t, s->parameter[i]),
                                 cet_split_reason_name(s->reason[i])));
    }
  }
  return CET_OK;
}

/* Prints the table per unit (summary) and writes /reconcile/parameters. */
static int write_group(const cet_twin *t, const cet_reconcile_split *s, const char *file,
                       FILE *summary, cet_result *f) {
  size_t n = s->n;
  const char **path = calloc(n + 1, sizeof *path);
  const char **unit = calloc(n + 1, sizeof *unit);
  const char **component = calloc(n + 1, sizeof *component);
  const char **outlet = calloc(n + 1, sizeof *outlet);
  const char **reason = calloc(n + 1, sizeof *reason);
  const char **units = calloc(n + 1, sizeof *units);
  const char **kind = calloc(n + 1, sizeof *kind);
  long long *derived = calloc(n + 1, sizeof *derived);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       path && unit && component && outlet && reason && units && kind && derived);
  for (size_t i = 0; i < n; i++) {
    size_t u = s->unit[i];
    path[i] = cet_twin_parameter_path(t, s->parameter[i]);
    unit[i] = cet_twin_unit_name(t, u);
    kind[i] = cet_unit_kind_name(cet_twin_unit_kind(t, u));
    component[i] = s->component[i] >= 0 ? cet_twin_components(t)->name[s->component[i]] : "";
    outlet[i] = "";
    if (s->outlet[i] >= 0) {
      /* the unit's outlet o is its o-th edge (edges are ordered by unit and outlet) */
      size_t seen = 0;
      for (size_t e = 0; e < cet_twin_edge_count(t); e++) {
        size_t from, to;
        const char *name;
        cet_twin_edge(t, e, &from, &name, &to);
        if (from == u && seen++ == (size_t)s->outlet[i]) {
          outlet[i] = name;
        }
      }
    }
    reason[i] = cet_split_reason_name(s->reason[i]);
    units[i] = cet_twin_parameter_units(t, s->parameter[i]);
    derived[i] = s->reason[i] == CET_SPLIT_DERIVED;
  }
  cet_reconcile_parameters_view v = {
      .n = n, .unit = unit, .kind = kind, .reason = reason, .file = file};
  cet_drv_reconcile_parameters_print(&v, summary);
  const char *g = "/reconcile/parameters/";
  char key[128];
  struct {
    const char *name, *description;
    const char *const *values;
    int labels;
  } texts[] = {
      {"path", "parameter path, as --set and `cetwin params` name it", path, 1},
      {"unit", "unit of the network the parameter belongs to", unit, 0},
      {"kind", "kind of the unit (feed, process, splitter, ...)", kind, 0},
      {"component",
       "component of a split factor or feed fraction (empty for a splitter's "
       "fraction or a feed's flow)",
       component, 0},
      {"outlet", "outlet of a split factor or splitter fraction (empty for a feed)", outlet, 0},
      {"reason", "derived, or why the case's value is kept", reason, 0},
  };
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    cet_dataset_meta m = {
        .description = texts[k].description, .dims = "parameter", .labels = texts[k].labels};
    snprintf(key, sizeof key, "%s%s", g, texts[k].name);
    CET_CALL_GOTO(status, done, cet_result_write_strings(f, key, n, texts[k].values, &m));
  }
  cet_dataset_meta mv = {.description = "value derived from the reconciled flows (the case's "
                                        "value where not derived)",
                         .dims = "parameter",
                         .unit_list = units,
                         .n_units = n};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(f, "/reconcile/parameters/value", 1, &n, s->value, &mv));
  mv.description = "the case's value";
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(f, "/reconcile/parameters/case_value", 1, &n, s->case_value, &mv));
  cet_dataset_meta md = {.units = "1",
                         .description = "1 when derived from the reconciled flows, 0 when the "
                                        "case's value is kept",
                         .dims = "parameter"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(f, "/reconcile/parameters/derived", 1, &n, derived, &md));
  CET_CALL_GOTO(status, done,
                cet_result_attr_string(f, "/reconcile/parameters", "file", file ? file : ""));
done:
  free(path);
  free(unit);
  free(component);
  free(outlet);
  free(reason);
  free(units);
  free(kind);
  free(derived);
  return status;
}

int cet_drv_reconcile_parameters_report(const cet_case *c, const cet_reconcile_result *r,
                                        const double *params, const cet_run_context *ctx) {
  const char *file = c->reconcile->write_parameters;
  cet_reconcile_split *s = NULL;
  cet_strbuf text = {0};
  CET_CALL(cet_reconcile_split_derive(c->twin, params, r, &s));
  int status = CET_OK;
  CET_CALL_GOTO(status, done, write_group(c->twin, s, file, ctx->summary, ctx->result));
  if (file) {
    CET_CALL_GOTO(status, done, file_text(c, ctx, s, &text));
    CET_CALL_GOTO(status, done, cet_result_save_text(file, text.text, text.len));
  }
done:
  cet_strbuf_free(&text);
  cet_reconcile_split_destroy(&s);
  return status;
}
