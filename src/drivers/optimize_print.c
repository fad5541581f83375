/*
 * optimize_print.c — the printed summary of an optimize run's global front
 * (see optimize_impl.h): the objectives' utopia, nadir and reference point
 * and the TOPSIS best points, from a view filled by the run
 * (optimize_report.c) or from a result file (`cetwin info`, here), so both
 * print the same tables.
 */
#include "optimize_impl.h"

#include "shards.h"

#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  PRINT_MAX_DESIGN_COLUMNS = 8,
  PRINT_LABEL_LEN = 128,
  PRINT_CELL = 32,
  PRINT_PATH = 256,
  PRINT_DESIGN_MIN = 9,
  PRINT_DESIGN_MAX = 24,
  PRINT_RANKS_PER_BLOCK = 8,
  PRINT_RANK_WIDTH = 11
};

/* The label of objective j: its metric, and the statistic of a robust run. */
static void objective_label(const cet_drv_opt_view *v, size_t j, char *buf, size_t len) {
  const char *st = v->statistic ? v->statistic[j] : NULL;
  int nominal = !st || !st[0] || strcmp(st, "nominal") == 0;
  snprintf(buf, len, "%s%s%s", v->metric[j], nominal ? "" : ".", nominal ? "" : st);
}

void cet_drv_opt_print_objectives(const cet_drv_opt_view *v, FILE *out) {
  fprintf(out,
          "\nGlobal front: %zu point%s (non-dominated, %s) from %zu island%s; hypervolume "
          "%.10g\n",
          v->K, v->K == 1 ? "" : "s", v->feasible ? "feasible" : "none feasible", v->islands,
          v->islands == 1 ? "" : "s", v->hypervolume);
  fprintf(out, "  reference point: %s\n",
          v->reference_given ? "optimize.reference_point"
                             : "worst value of each objective in the initial populations, "
                               "moved out by reference_margin of their range");
  fprintf(out, "\n  %-30s %-9s %19s %19s %19s\n", "objective", "sense", "utopia", "nadir",
          "reference");
  for (size_t j = 0; j < v->n_obj; j++) {
    char label[PRINT_LABEL_LEN], u[PRINT_CELL], n[PRINT_CELL], r[PRINT_CELL];
    objective_label(v, j, label, sizeof label);
    cet_format_metric(v->utopia[j], v->units[j], cet_units_dimensionless(v->units[j]), u, sizeof u);
    cet_format_metric(v->nadir[j], v->units[j], cet_units_dimensionless(v->units[j]), n, sizeof n);
    cet_format_metric(v->reference[j], v->units[j], cet_units_dimensionless(v->units[j]), r,
                      sizeof r);
    fprintf(out, "  %-30s %-9s %19s %19s %19s\n", label, v->sense[j], u, n, r);
  }
  if (v->robust_draws > 0) {
    fprintf(out,
            "  (statistics over the %zu draws; nominal: one evaluation at the case's own "
            "values)\n",
            v->robust_draws);
  }
}

/* The width of design variable j's column: its name, within limits. */
static int design_width(const cet_drv_opt_view *v, size_t j) {
  size_t len = strlen(v->design_name[j]);
  return len < PRINT_DESIGN_MIN   ? PRINT_DESIGN_MIN
         : len > PRINT_DESIGN_MAX ? PRINT_DESIGN_MAX
                                  : (int)len;
}

/* 1 when design variable j had no effect at top point k. */
static int no_effect(const cet_drv_opt_view *v, size_t k, size_t j) {
  return v->no_effect && v->no_effect[k * v->n + j];
}

/* Into cell: text (at most len - 1 characters of it), in parentheses when
 * design variable j had no effect at point k. */
static void marked_cell(const cet_drv_opt_view *v, size_t k, size_t j, const char *text, char *cell,
                        size_t len) {
  int marked = no_effect(v, k, j);
  snprintf(cell, len, "%s%s%s", marked ? "(" : "", text, marked ? ")" : "");
}

/* Into cell: what the value x of design variable j at point k chooses
 * (the outlet or chain of v->choices), or x itself for a variable that is
 * no choice; marked when it had no effect there. */
static void design_cell(const cet_drv_opt_view *v, size_t k, size_t j, char *cell, size_t len) {
  double x = v->x[k * v->n + j];
  const char *list = v->choices ? v->choices[j] : NULL;
  char text[PRINT_CELL - 2]; /* room for the parentheses */
  snprintf(text, sizeof text, "%.6g", x);
  for (const char *at = list && list[0] ? list : NULL; at;) {
    char *rest = NULL;
    long value = strtol(at, &rest, 10);
    const char *end = strstr(rest, "; ");
    size_t name = end ? (size_t)(end - rest) : strlen(rest);
    if (rest != at && value == lround(x) && name > 1) {
      snprintf(text, sizeof text, "%.*s", (int)(name - 1), rest + 1);
      break;
    }
    at = end ? end + 2 : NULL;
  }
  marked_cell(v, k, j, text, cell, len);
}

/* Below the design of the top points: what parentheses mean, when some
 * value shown is in them. */
static void print_no_effect_legend(const cet_drv_opt_view *v, size_t top, FILE *out) {
  int any = 0;
  for (size_t i = 0; i < top * v->n; i++) {
    any |= no_effect(v, i / v->n, i % v->n);
  }
  if (any) {
    fprintf(out, "  (value): no effect at that point: the selector or flowsheet choice it sets "
                 "receives no flow\n");
  }
}

/* The design variables of the top points when they are too many for
 * columns: one row per variable (name, its value at each point in rank
 * order, or what the value chooses for a selector or flowsheet choice,
 * then the key path), PRINT_RANKS_PER_BLOCK points side by side, further
 * points in blocks below. */
static void print_design_rows(const cet_drv_opt_view *v, size_t top, FILE *out) {
  int name_width = (int)strlen("design variable");
  for (size_t j = 0; j < v->n; j++) {
    int len = (int)strlen(v->design_name[j]);
    name_width = len > name_width ? len : name_width;
  }
  fprintf(out, "\n  The %zu design variables of these points (a column per rank):\n", v->n);
  for (size_t first = 0; first < top; first += PRINT_RANKS_PER_BLOCK) {
    size_t last = first + PRINT_RANKS_PER_BLOCK < top ? first + PRINT_RANKS_PER_BLOCK : top;
    int width[PRINT_RANKS_PER_BLOCK];
    for (size_t k = first; k < last; k++) {
      width[k - first] = PRINT_RANK_WIDTH;
      for (size_t j = 0; j < v->n; j++) {
        char cell[PRINT_CELL];
        design_cell(v, k, j, cell, sizeof cell);
        int len = (int)strlen(cell);
        width[k - first] = len > width[k - first] ? len : width[k - first];
      }
    }
    fprintf(out, "%s  %-*s", first ? "\n" : "", name_width, "design variable");
    for (size_t k = first; k < last; k++) {
      char head[PRINT_CELL];
      snprintf(head, sizeof head, "rank %lld", v->rank[k]);
      fprintf(out, " %*s", width[k - first], head);
    }
    fprintf(out, "  key path\n");
    for (size_t j = 0; j < v->n; j++) {
      fprintf(out, "  %-*s", name_width, v->design_name[j]);
      for (size_t k = first; k < last; k++) {
        char cell[PRINT_CELL];
        design_cell(v, k, j, cell, sizeof cell);
        fprintf(out, " %*s", width[k - first], cell);
      }
      fprintf(out, "  %s\n", v->design[j]);
    }
  }
}

void cet_drv_opt_print_topsis(const cet_drv_opt_view *v, FILE *out) {
  size_t top = v->top < v->K ? v->top : v->K;
  /* design variables as columns when they fit, as rows below otherwise */
  size_t nx = v->n <= PRINT_MAX_DESIGN_COLUMNS ? v->n : 0;
  if (top == 0) {
    return;
  }
  fprintf(out,
          "\nTOPSIS (%s normalisation, %s weights; benefit: maximised objectives): the best "
          "%zu of %zu\n",
          v->normalization, v->weights_given ? "given" : "equal", top, v->K);
  fprintf(out, "  %4s %9s", "rank", "closeness");
  for (size_t j = 0; j < v->n_obj; j++) {
    char label[PRINT_LABEL_LEN];
    objective_label(v, j, label, sizeof label);
    fprintf(out, " %19.19s", label);
  }
  if (v->nc) {
    fprintf(out, " %10s", "violation");
  }
  fprintf(out, " %6s", "island");
  int width[PRINT_MAX_DESIGN_COLUMNS];
  for (size_t j = 0; j < nx; j++) {
    width[j] = design_width(v, j);
    fprintf(out, " %*.*s", width[j], width[j], v->design_name[j]);
  }
  fprintf(out, "\n");
  for (size_t k = 0; k < top; k++) {
    fprintf(out, "  %4lld %9.6f", v->rank[k], v->closeness[k]);
    for (size_t j = 0; j < v->n_obj; j++) {
      char cell[PRINT_CELL];
      cet_format_metric(v->f[k * v->n_obj + j], v->units[j], cet_units_dimensionless(v->units[j]),
                        cell, sizeof cell);
      fprintf(out, " %19s", cell);
    }
    if (v->nc) {
      fprintf(out, " %10.4g", v->violation[k]);
    }
    fprintf(out, " %6lld", v->island[k]);
    for (size_t j = 0; j < nx; j++) {
      char value[PRINT_CELL - 2], cell[PRINT_CELL];
      snprintf(value, sizeof value, "%.4g", v->x[k * v->n + j]);
      marked_cell(v, k, j, value, cell, sizeof cell);
      fprintf(out, " %*s", width[j], cell);
    }
    fprintf(out, "\n");
  }
  int name_width = 0;
  for (size_t j = 0; j < nx; j++) {
    int len = (int)strlen(v->design_name[j]);
    name_width = len > name_width ? len : name_width;
  }
  for (size_t j = 0; j < nx; j++) {
    const char *list = v->choices ? v->choices[j] : "";
    fprintf(out, "  %-*s = %s%s%s%s\n", name_width, v->design_name[j], v->design[j],
            list[0] ? " (" : "", list, list[0] ? ")" : "");
  }
  if (v->n > nx) {
    print_design_rows(v, top, out);
  }
  print_no_effect_legend(v, top, out);
}

void cet_drv_opt_print_statistics(const cet_drv_opt_stats_view *v, FILE *out) {
  static const cet_stat shown[] = {CET_STAT_MEAN,         CET_STAT_SD,  CET_STAT_P5,
                                   CET_STAT_P50,          CET_STAT_P95, CET_STAT_CVAR5,
                                   CET_STAT_PROB_NEGATIVE};
  enum { SHOWN = sizeof shown / sizeof shown[0] };
  size_t column[SHOWN];
  for (size_t q = 0; q < SHOWN; q++) { /* the column of each statistic shown */
    column[q] = v->n_stat;
    for (size_t j = 0; j < v->n_stat; j++) {
      column[q] = strcmp(v->stat_name[j], cet_stats_stat_name(shown[q])) == 0 ? j : column[q];
    }
  }
  fprintf(out, "\nStatistics over the %llu draws at the TOPSIS best point\n  %-24s", v->draws,
          "metric");
  for (size_t q = 0; q < SHOWN; q++) {
    fprintf(out, " %14s", cet_stats_stat_name(shown[q]));
  }
  fprintf(out, "\n");
  for (size_t u = 0; u < v->U; u++) {
    const double *st = v->stats + u * v->n_stat;
    fprintf(out, "  %-24s", v->metric[u]);
    for (size_t q = 0; q < SHOWN; q++) {
      char cell[PRINT_CELL] = "-";
      if (column[q] == v->n_stat) {
        /* not in the file */
      } else if (shown[q] == CET_STAT_PROB_NEGATIVE) {
        snprintf(cell, sizeof cell, "%.4f", st[column[q]]);
      } else {
        cet_format_metric(st[column[q]], v->units[u], cet_units_dimensionless(v->units[u]), cell,
                          sizeof cell);
      }
      fprintf(out, " %14s", cell);
    }
    fprintf(out, "\n");
  }
}

/* ---- from a result file ---- */

/* What a view holds, read from a file (owned). */
typedef struct {
  char **metric, **statistic, **sense, **units, **design, **design_name, **choices;
  size_t n_metric, n_statistic, n_sense, n_units, n_design, n_design_name, n_choices;
  double *utopia, *nadir, *reference, *closeness, *f, *violation, *x;
  long long *rank, *island, *no_effect;
  char normalization[PRINT_CELL];
} opt_read;

static void read_free(opt_read *r) {
  cet_free_strings(r->metric, r->n_metric);
  cet_free_strings(r->statistic, r->n_statistic);
  cet_free_strings(r->sense, r->n_sense);
  cet_free_strings(r->units, r->n_units);
  cet_free_strings(r->design, r->n_design);
  cet_free_strings(r->design_name, r->n_design_name);
  cet_free_strings(r->choices, r->n_choices);
  free(r->utopia);
  free(r->nadir);
  free(r->reference);
  free(r->closeness);
  free(r->f);
  free(r->violation);
  free(r->x);
  free(r->rank);
  free(r->island);
  free(r->no_effect);
}

/* A numeric dataset of the shape want (rank dimensions) into *out. */
static int read_numbers(cet_result_reader *in, const char *path, int ints, size_t rank,
                        const size_t *want, const char *why, void **out) {
  return cet_drv_read_shaped(in, path, ints ? CET_RESULT_INT64 : CET_RESULT_DOUBLE, rank, want, why,
                             out);
}

static int read_strings(cet_result_reader *in, const char *path, size_t want, const char *why,
                        char ***out, size_t *n) {
  CET_CALL(cet_result_read_strings(in, path, n, out));
  CET_CALL(cet_drv_check_shape(path, 1, n, 1, &want, why));
  return CET_OK;
}

static int read_view(cet_result_reader *in, opt_read *r, cet_drv_opt_view *v) {
  const char *g = "/optimize";
  long long K = 0, islands = 0;
  char *normalization = NULL;
  CET_CALL(cet_result_read_attr_int(in, g, "front_size", &K));
  CET_CALL(cet_result_read_attr_int(in, g, "islands", &islands));
  CET_CALL(cet_result_read_attr_double(in, g, "hypervolume", &v->hypervolume));
  CET_CALL(cet_result_read_attr_string(in, g, "topsis_normalization", &normalization));
  snprintf(r->normalization, sizeof r->normalization, "%s",
           strcmp(normalization, "vector") == 0 ? "vector" : "min-max");
  free(normalization);
  char *rule = NULL;
  CET_CALL(cet_result_read_attr_string(in, g, "reference_rule", &rule));
  v->reference_given = strcmp(rule, "given") == 0;
  free(rule);
  CET_CHECK(K >= 0 && islands >= 1, CET_ERR_INPUT,
            "/optimize attributes front_size, islands: expected >= 0 and >= 1, found %lld, %lld", K,
            islands);
  v->K = (size_t)K;
  v->islands = (size_t)islands;
  CET_CALL(cet_result_read_strings(in, "/optimize/objectives/metric", &r->n_metric, &r->metric));
  size_t m = r->n_metric;
  v->n_obj = m;
  const char *per_obj = "one per objective";
  CET_CALL(read_strings(in, "/optimize/objectives/sense", m, per_obj, &r->sense, &r->n_sense));
  CET_CALL(read_strings(in, "/optimize/objectives/units", m, per_obj, &r->units, &r->n_units));
  if (cet_result_has(in, "/optimize/objectives/statistic")) {
    CET_CALL(read_strings(in, "/optimize/objectives/statistic", m, per_obj, &r->statistic,
                          &r->n_statistic));
  }
  CET_CALL(read_numbers(in, "/optimize/objectives/utopia", 0, 1, &m, per_obj, (void **)&r->utopia));
  CET_CALL(read_numbers(in, "/optimize/objectives/nadir", 0, 1, &m, per_obj, (void **)&r->nadir));
  CET_CALL(read_numbers(in, "/optimize/objectives/reference_point", 0, 1, &m, per_obj,
                        (void **)&r->reference));
  CET_CALL(cet_result_read_strings(in, "/optimize/design/path", &r->n_design, &r->design));
  size_t n = r->n_design, kn[2] = {v->K, n}, km[2] = {v->K, m};
  if (cet_result_has(in, "/optimize/design/name")) { /* format_version 2 */
    CET_CALL(read_strings(in, "/optimize/design/name", n, "one per design variable",
                          &r->design_name, &r->n_design_name));
  }
  if (cet_result_has(in, "/optimize/design/choices")) { /* runs with structural choices */
    CET_CALL(read_strings(in, "/optimize/design/choices", n, "one per design variable", &r->choices,
                          &r->n_choices));
  }
  const char *per_point = "one per front point (/optimize attribute front_size)";
  CET_CALL(
      read_numbers(in, "/optimize/front/topsis_rank", 1, 1, &v->K, per_point, (void **)&r->rank));
  CET_CALL(read_numbers(in, "/optimize/front/topsis_closeness", 0, 1, &v->K, per_point,
                        (void **)&r->closeness));
  CET_CALL(read_numbers(in, "/optimize/front/island", 1, 1, &v->K, per_point, (void **)&r->island));
  CET_CALL(read_numbers(in, "/optimize/front/violation", 0, 1, &v->K, per_point,
                        (void **)&r->violation));
  CET_CALL(read_numbers(in, "/optimize/front/objectives", 0, 2, km,
                        "one row per front point, one column per objective", (void **)&r->f));
  CET_CALL(read_numbers(in, "/optimize/front/design", 0, 2, kn,
                        "one row per front point, one column per design variable", (void **)&r->x));
  if (cet_result_has(in, "/optimize/front/no_effect")) { /* runs with structural choices */
    CET_CALL(read_numbers(in, "/optimize/front/no_effect", 1, 2, kn,
                          "one row per front point, one column per design variable",
                          (void **)&r->no_effect));
  }
  double *weight = NULL;
  CET_CALL(
      read_numbers(in, "/optimize/objectives/topsis_weight", 0, 1, &m, per_obj, (void **)&weight));
  for (size_t j = 1; j < m; j++) {
    v->weights_given = v->weights_given || weight[j] != weight[0];
  }
  free(weight);
  size_t nc_rank = 0, nc_dims[3] = {0};
  double *con = NULL;
  CET_CALL(cet_result_read_doubles(in, "/optimize/front/constraints", &nc_rank, nc_dims, &con));
  free(con);
  v->nc = nc_rank == 2 ? nc_dims[1] : 0;
  v->n = n;
  v->metric = (const char *const *)r->metric;
  v->statistic = (const char *const *)r->statistic;
  v->sense = (const char *const *)r->sense;
  v->units = (const char *const *)r->units;
  v->design = (const char *const *)r->design;
  v->design_name = (const char *const *)(r->design_name ? r->design_name : r->design);
  v->choices = (const char *const *)r->choices;
  v->no_effect = r->no_effect;
  v->utopia = r->utopia;
  v->nadir = r->nadir;
  v->reference = r->reference;
  v->rank = r->rank;
  v->closeness = r->closeness;
  v->island = r->island;
  v->violation = r->violation;
  v->f = r->f;
  v->x = r->x;
  v->feasible = v->K > 0 && r->violation[0] == 0.0;
  v->normalization = r->normalization;
  v->top = CET_OPT_INFO_TOP;
  return CET_OK;
}

/* Robust runs: the statistics at the TOPSIS best point (the first of the
 * front, K points). */
static int print_statistics(cet_result_reader *in, size_t draws, size_t K, FILE *out) {
  char **metric = NULL, **units = NULL, **stat = NULL;
  size_t U = 0, nu = 0, ns = 0;
  double *all = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                cet_result_read_strings(in, "/optimize/robust/metrics", &U, &metric));
  CET_CALL_GOTO(status, cleanup,
                read_strings(in, "/optimize/robust/units", U, "one per /optimize/robust/metrics",
                             &units, &nu));
  CET_CALL_GOTO(status, cleanup,
                cet_result_read_strings(in, "/optimize/robust/statistics", &ns, &stat));
  size_t want[3] = {K, U, ns};
  CET_CALL_GOTO(status, cleanup,
                read_numbers(in, "/optimize/front/statistics", 0, 3, want,
                             "[front point, /optimize/robust/metrics, /optimize/robust/statistics]",
                             (void **)&all));
  cet_drv_opt_stats_view v = {.draws = (unsigned long long)draws,
                              .U = U,
                              .metric = (const char *const *)metric,
                              .units = (const char *const *)units,
                              .n_stat = ns,
                              .stat_name = (const char *const *)stat,
                              .stats = all};
  cet_drv_opt_print_statistics(&v, out);
cleanup:
  cet_free_strings(metric, U);
  cet_free_strings(units, nu);
  cet_free_strings(stat, ns);
  free(all);
  return status;
}

int cet_info_optimize(cet_result_reader *in, int verbose, FILE *out) {
  opt_read r = {0};
  cet_drv_opt_view v = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, read_view(in, &r, &v));
  if (cet_result_has(in, "/optimize/robust")) {
    long long draws = 0;
    CET_CALL_GOTO(status, cleanup,
                  cet_result_read_attr_int(in, "/optimize/robust", "draws", &draws));
    v.robust_draws = draws > 0 ? (size_t)draws : 0;
  }
  if (verbose) {
    v.top = v.K;
  }
  cet_drv_opt_print_objectives(&v, out);
  cet_drv_opt_print_topsis(&v, out);
  if (v.robust_draws > 0 && v.K > 0) {
    CET_CALL_GOTO(status, cleanup, print_statistics(in, v.robust_draws, v.K, out));
  }
cleanup:
  read_free(&r);
  return status;
}
