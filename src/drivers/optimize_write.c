/*
 * optimize_write.c — the /optimize group of the result file (see
 * docs/hdf5-schema.md): the settings, the design variables, objectives and
 * constraints, the global front in TOPSIS order, each island's front, the
 * hypervolume and front-size history and the migration log; of a robust
 * run also the draws, the uncertain variables and the statistics at each
 * front point. Nothing here
 * depends on the number of ranks or threads, nor on a restart.
 */
#include "optimize_impl.h"

#include "mc_impl.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/refpoints.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

static const char *const TOPOLOGY_NAMES[] = {"ring", "full", "custom"};
static const char *const TRUNCATION_NAMES[] = {"crowding", "iterative"};
static const char *const MIGRATION_COLUMNS[OPT_MIG_COLUMNS] = {
    "generation", "source", "destination", "migrants", "in_front"};

/* One dataset: doubles ('d'), integers ('i') or strings ('s'). */
typedef struct {
  const char *path;
  char kind;
  size_t rank;
  size_t dims[2];
  const void *data;
  cet_dataset_meta meta;
} dataset;

static int write_all(cet_result *r, const dataset *d, size_t n) {
  for (size_t i = 0; i < n; i++) {
    switch (d[i].kind) {
    case 'd':
      CET_CALL(cet_result_write_doubles(r, d[i].path, d[i].rank, d[i].dims, d[i].data, &d[i].meta));
      break;
    case 'i':
      CET_CALL(cet_result_write_ints(r, d[i].path, d[i].rank, d[i].dims, d[i].data, &d[i].meta));
      break;
    default:
      CET_CALL(cet_result_write_strings(r, d[i].path, d[i].dims[0], d[i].data, &d[i].meta));
    }
  }
  return CET_OK;
}

/* Scratch arrays of a writer, freed together. */
typedef struct {
  void *p[16];
  size_t n;
} scratch;

static void *take(scratch *s, size_t count, size_t size) {
  void *p = malloc((count + 1) * size);
  s->p[s->n++] = p;
  return p;
}

static int all_taken(const scratch *s) {
  for (size_t i = 0; i < s->n; i++) {
    if (!s->p[i]) {
      return 0;
    }
  }
  return 1;
}

static void release(scratch *s) {
  for (size_t i = 0; i < s->n; i++) {
    free(s->p[i]);
  }
  s->n = 0;
}

/* Writes the datasets when every scratch array was allocated (ok). */
static int write_checked(cet_result *r, const dataset *d, size_t n, int ok) {
  CET_CHECK_ALLOCS(ok);
  return write_all(r, d, n);
}

/* Writes the datasets when every scratch array was allocated (ok), then
 * frees the scratch arrays. */
static int write_and_release(cet_result *r, const dataset *d, size_t n, scratch *s, int ok) {
  int status = write_checked(r, d, n, ok);
  release(s);
  return status;
}

enum { OPT_COLUMN_LEN = 256 };

/* The column name of an objective or constraint of metric taking statistic:
 * the metric, followed by ".statistic" in a robust run (npv.mean, npv.p5). */
static void column_name(const cet_optimize_spec *s, const char *metric, int statistic, char *buf) {
  if (s->robust.draws > 0) {
    snprintf(buf, OPT_COLUMN_LEN, "%s.%s", metric, cet_optimize_statistic_name(statistic));
  } else {
    snprintf(buf, OPT_COLUMN_LEN, "%s", metric);
  }
}

/* Names of the objectives (names[0..m-1]) and constraints (cnames) in text
 * (room for m + c names of OPT_COLUMN_LEN). */
static void column_names(const cet_drv_opt_run *run, char *text, const char **names,
                         const char **cnames) {
  const cet_optimize_spec *s = run->spec;
  for (size_t j = 0; j < run->m; j++) {
    names[j] = text + j * OPT_COLUMN_LEN;
    column_name(s, s->objective[j].metric, s->objective[j].statistic, text + j * OPT_COLUMN_LEN);
  }
  for (size_t k = 0; k < run->nc; k++) {
    char *at = text + (run->m + k) * OPT_COLUMN_LEN;
    cnames[k] = at;
    column_name(s, s->constraint[k].metric, s->constraint[k].statistic, at);
  }
}

/* NSGA-III's name and its reference points (attributes NSGA-II files do
 * not have). */
static int write_reference_points(const cet_drv_opt_run *run, cet_result *r) {
  const cet_nsga2_parameters *p = &run->spec->nsga2;
  const char *g = "/optimize";
  size_t count = 0;
  CET_CALL(cet_refpoints_layers_count(run->m, p->divisions, p->inner_divisions, &count));
  CET_CALL(cet_result_attr_string(r, g, "algorithm", "NSGA-III (Deb and Jain 2014), islands"));
  CET_CALL(cet_result_attr_string(r, g, "reference_divisions_rule",
                                  run->spec->divisions_given ? "given" : "automatic"));
  CET_CALL(cet_result_attr_int(r, g, "reference_divisions", (long long)p->divisions));
  CET_CALL(cet_result_attr_int(r, g, "reference_inner_divisions", (long long)p->inner_divisions));
  CET_CALL(cet_result_attr_int(r, g, "reference_points", (long long)count));
  return CET_OK;
}

static int write_settings(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_nsga2_parameters *p = &s->nsga2;
  const char *g = "/optimize";
  double rate = p->mutation_rate > 0 ? p->mutation_rate : 1.0 / (double)run->n;
  if (p->algorithm == CET_MOO_NSGA3) {
    CET_CALL(write_reference_points(run, r));
  } else {
    CET_CALL(cet_result_attr_string(r, g, "algorithm", "NSGA-II (Deb et al. 2002), islands"));
  }
  CET_CALL(cet_result_attr_int(r, g, "islands", (long long)run->I));
  CET_CALL(cet_result_attr_int(r, g, "population", (long long)run->N));
  CET_CALL(cet_result_attr_int(r, g, "generations", (long long)p->generations));
  CET_CALL(cet_result_attr_int(r, g, "seed", (long long)p->seed));
  CET_CALL(cet_result_attr_int(r, g, "evaluations",
                               (long long)(run->I * run->N * (p->generations + 1))));
  if (cet_optimize_problem_counts_unknown(run->problem)) {
    CET_CALL(cet_result_attr_int(r, g, "evaluations_unknown_consumption", (long long)run->unknown));
  }
  CET_CALL(cet_result_attr_double(r, g, "crossover_probability", p->crossover_probability));
  CET_CALL(cet_result_attr_double(r, g, "crossover_gene_rate", p->crossover_gene_rate));
  CET_CALL(cet_result_attr_double(r, g, "crossover_eta", p->eta_c));
  CET_CALL(cet_result_attr_double(r, g, "mutation_probability", p->mutation_probability));
  CET_CALL(cet_result_attr_double(r, g, "mutation_rate", rate));
  CET_CALL(cet_result_attr_double(r, g, "mutation_eta", p->eta_m));
  CET_CALL(cet_result_attr_string(r, g, "truncation", TRUNCATION_NAMES[p->truncation]));
  CET_CALL(cet_result_attr_string(r, g, "topology", TOPOLOGY_NAMES[s->islands.topology]));
  CET_CALL(
      cet_result_attr_int(r, g, "migration_interval", (long long)s->islands.migration_interval));
  CET_CALL(cet_result_attr_int(r, g, "migrants", (long long)s->islands.migrants));
  CET_CALL(cet_result_attr_string(r, g, "reference_rule",
                                  s->reference_point ? "given" : "initial populations"));
  CET_CALL(cet_result_attr_double(r, g, "reference_margin", s->reference_margin));
  CET_CALL(cet_result_attr_int(r, g, "include_case_design", s->include_case_design));
  CET_CALL(cet_result_attr_double(r, g, "hypervolume", fr->hypervolume));
  CET_CALL(cet_result_attr_int(r, g, "front_size", (long long)fr->K));
  CET_CALL(
      cet_result_attr_string(r, g, "topsis_normalization",
                             s->topsis_normalization == CET_TOPSIS_VECTOR ? "vector" : "minmax"));
  return CET_OK;
}

static int write_design(const cet_drv_opt_run *run, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t n = run->n;
  scratch sc = {0};
  const char **paths = take(&sc, n, sizeof *paths), **units = take(&sc, n, sizeof *units);
  const char **names = take(&sc, n, sizeof *names);
  double *lo = take(&sc, n, sizeof *lo), *hi = take(&sc, n, sizeof *hi);
  double *zb = take(&sc, n, sizeof *zb);
  long long *integer = take(&sc, n, sizeof *integer), *group = take(&sc, n, sizeof *group);
  long long *categorical = take(&sc, n, sizeof *categorical);
  int ok = all_taken(&sc), any_categorical = 0;
  for (size_t j = 0; ok && j < n; j++) {
    const cet_design_variable *d = &s->design[j];
    paths[j] = d->path;
    names[j] = d->name;
    units[j] = cet_twin_parameter_units(t, (size_t)cet_twin_parameter_find(t, d->path));
    lo[j] = d->lower;
    hi[j] = d->upper;
    zb[j] = d->zero_below;
    integer[j] = d->integer;
    categorical[j] = d->categorical;
    any_categorical |= d->categorical;
    group[j] = d->group == CET_OPTIMIZE_NO_GROUP ? -1 : (long long)d->group;
  }
  const dataset d[] = {
      {"/optimize/design/name",
       's',
       1,
       {n},
       names,
       {.description = "name of each design variable", .dims = "variable", .labels = 1}},
      {"/optimize/design/path",
       's',
       1,
       {n},
       paths,
       {.description = "key path of the twin parameter each variable sets", .dims = "variable"}},
      {"/optimize/design/units",
       's',
       1,
       {n},
       units,
       {.description = "units of each variable (its parameter's)", .dims = "variable"}},
      {"/optimize/design/lower",
       'd',
       1,
       {n},
       lo,
       {.unit_list = units, .n_units = n, .description = "lower bound", .dims = "variable"}},
      {"/optimize/design/upper",
       'd',
       1,
       {n},
       hi,
       {.unit_list = units, .n_units = n, .description = "upper bound", .dims = "variable"}},
      {"/optimize/design/integer",
       'i',
       1,
       {n},
       integer,
       {.units = "1", .description = "1 for an integer variable", .dims = "variable"}},
      {"/optimize/design/zero_below",
       'd',
       1,
       {n},
       zb,
       {.unit_list = units,
        .n_units = n,
        .description = "operators set |x| below this to exactly 0 (0: off)",
        .dims = "variable"}},
      {"/optimize/design/group",
       'i',
       1,
       {n},
       group,
       {.units = "1",
        .description = "sum-to-one group of the variable, -1 for none",
        .dims = "variable"}},
      /* last: written only when some variable is categorical */
      {"/optimize/design/categorical",
       'i',
       1,
       {n},
       categorical,
       {.units = "1",
        .description = "1 for a categorical integer variable (values name unordered choices)",
        .dims = "variable"}},
  };
  return write_and_release(r, d, sizeof d / sizeof d[0] - (any_categorical ? 0 : 1), &sc, ok);
}

static int write_objectives(const cet_drv_opt_run *run, const cet_drv_opt_front *fr,
                            cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t m = run->m, c = run->nc;
  scratch sc = {0};
  const char **names = take(&sc, m, sizeof *names), **units = take(&sc, m, sizeof *units);
  const char **sense = take(&sc, m, sizeof *sense), **cnames = take(&sc, c, sizeof *cnames);
  const char **cunits = take(&sc, c, sizeof *cunits);
  double *ref = take(&sc, m, sizeof *ref), *w = take(&sc, m, sizeof *w);
  double *limits = take(&sc, 2 * c, sizeof *limits);
  char *text = take(&sc, (m + c) * OPT_COLUMN_LEN, 1);
  const char **on = take(&sc, m, sizeof *on), **cn = take(&sc, c, sizeof *cn);
  long long *share = take(&sc, m, sizeof *share);
  int ok = all_taken(&sc);
  if (ok) {
    column_names(run, text, on, cn);
  }
  double wsum = 0.0;
  for (size_t j = 0; j < m; j++) {
    wsum += s->topsis_weights ? s->topsis_weights[j] : 1.0;
  }
  for (size_t j = 0; ok && j < m; j++) {
    names[j] = s->objective[j].metric;
    units[j] = cet_twin_metric_units(t, s->objective[j].index);
    share[j] = cet_twin_metric_is_share(t, s->objective[j].index);
    sense[j] = cet_sense_name(s->objective[j].sense);
    ref[j] = cet_optimize_natural(s, j, run->reference[j]);
    w[j] = (s->topsis_weights ? s->topsis_weights[j] : 1.0) / wsum;
  }
  for (size_t k = 0; ok && k < c; k++) {
    cnames[k] = s->constraint[k].metric;
    cunits[k] = cet_twin_metric_units(t, s->constraint[k].index);
    limits[k] = s->constraint[k].min;
    limits[c + k] = s->constraint[k].max;
  }
  const dataset d[] = {
      {"/optimize/objectives/name",
       's',
       1,
       {m},
       on,
       {.description = "name of each objective (metric, and statistic in a robust run)",
        .dims = "objective",
        .labels = 1}},
      {"/optimize/objectives/metric",
       's',
       1,
       {m},
       names,
       {.description = "twin metric of each objective", .dims = "objective"}},
      {"/optimize/objectives/units",
       's',
       1,
       {m},
       units,
       {.description = "units of each objective", .dims = "objective"}},
      {"/optimize/objectives/share",
       'i',
       1,
       {m},
       share,
       {.units = "1",
        .description = "1 where the objective's metric is a share of a whole (printed as a "
                       "percentage), else 0",
        .dims = "objective"}},
      {"/optimize/objectives/sense",
       's',
       1,
       {m},
       sense,
       {.description = "minimize or maximize", .dims = "objective"}},
      {"/optimize/objectives/topsis_weight",
       'd',
       1,
       {m},
       w,
       {.units = "1",
        .description = "TOPSIS weight of each objective (scaled to sum 1)",
        .dims = "objective"}},
      {"/optimize/objectives/reference_point",
       'd',
       1,
       {m},
       ref,
       {.unit_list = units,
        .n_units = m,
        .description = "hypervolume reference point, natural units",
        .columns = on,
        .n_columns = m,
        .dims = "objective"}},
      {"/optimize/objectives/utopia",
       'd',
       1,
       {m},
       fr->utopia,
       {.unit_list = units,
        .n_units = m,
        .description = "best value of each objective on the global front",
        .columns = on,
        .n_columns = m,
        .dims = "objective"}},
      {"/optimize/objectives/nadir",
       'd',
       1,
       {m},
       fr->nadir,
       {.unit_list = units,
        .n_units = m,
        .description = "worst value of each objective on the global front",
        .columns = on,
        .n_columns = m,
        .dims = "objective"}},
      {"/optimize/constraints/name",
       's',
       1,
       {c},
       cn,
       {.description = "name of each constraint (metric, and statistic in a robust run)",
        .dims = "constraint",
        .labels = 1}},
      {"/optimize/constraints/metric",
       's',
       1,
       {c},
       cnames,
       {.description = "twin metric of each constraint", .dims = "constraint"}},
      {"/optimize/constraints/units",
       's',
       1,
       {c},
       cunits,
       {.description = "units of each constraint's metric", .dims = "constraint"}},
      {"/optimize/constraints/min",
       'd',
       1,
       {c},
       limits,
       {.unit_list = cunits,
        .n_units = c,
        .description = "lower limit (-inf: none)",
        .dims = "constraint"}},
      {"/optimize/constraints/max",
       'd',
       1,
       {c},
       limits + c,
       {.unit_list = cunits,
        .n_units = c,
        .description = "upper limit (+inf: none)",
        .dims = "constraint"}},
  };
  return write_and_release(r, d, sizeof d / sizeof d[0], &sc, ok);
}

static int write_front(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t K = fr->K, n = run->n, m = run->m, c = run->nc, nm = cet_twin_metric_count(t);
  scratch sc = {0};
  const char **paths = take(&sc, n, sizeof *paths), **obj = take(&sc, m, sizeof *obj);
  const char **con = take(&sc, c, sizeof *con), **metric = take(&sc, nm, sizeof *metric);
  const char **du = take(&sc, n, sizeof *du), **ou = take(&sc, m, sizeof *ou);
  const char **cu = take(&sc, c, sizeof *cu), **mu = take(&sc, nm, sizeof *mu);
  char *text = take(&sc, (m + c) * OPT_COLUMN_LEN, 1);
  int ok = all_taken(&sc);
  if (ok) {
    column_names(run, text, obj, con);
  }
  for (size_t j = 0; ok && j < n; j++) {
    paths[j] = s->design[j].name;
    du[j] = cet_twin_parameter_units(t, (size_t)cet_twin_parameter_find(t, s->design[j].path));
  }
  for (size_t j = 0; ok && j < m; j++) {
    ou[j] = cet_twin_metric_units(t, s->objective[j].index);
  }
  for (size_t k = 0; ok && k < c; k++) {
    cu[k] = cet_twin_metric_units(t, s->constraint[k].index);
  }
  for (size_t i = 0; ok && i < nm; i++) {
    metric[i] = cet_twin_metric_name(t, i);
    mu[i] = cet_twin_metric_units(t, i);
  }
  const dataset d[] = {
      {"/optimize/front/design",
       'd',
       2,
       {K, n},
       fr->x,
       {.unit_list = du,
        .n_units = n,
        .description = "design variables of the front points, best TOPSIS rank first",
        .columns = paths,
        .n_columns = n,
        .dims = "point,variable"}},
      {"/optimize/front/objectives",
       'd',
       2,
       {K, m},
       fr->f,
       {.unit_list = ou,
        .n_units = m,
        .description = "objectives, natural units (/optimize/objectives/units)",
        .columns = obj,
        .n_columns = m,
        .dims = "point,objective"}},
      {"/optimize/front/constraints",
       'd',
       2,
       {K, c},
       fr->con,
       {.unit_list = cu,
        .n_units = c,
        .description = "values of the constraints' metrics",
        .columns = con,
        .n_columns = c,
        .dims = "point,constraint"}},
      {"/optimize/front/violation",
       'd',
       1,
       {K},
       fr->violation,
       {.units = "1", .description = "total constraint violation (0 = feasible)", .dims = "point"}},
      {"/optimize/front/topsis_closeness",
       'd',
       1,
       {K},
       fr->closeness,
       {.units = "1", .description = "TOPSIS closeness coefficient", .dims = "point"}},
      {"/optimize/front/topsis_rank",
       'i',
       1,
       {K},
       fr->rank,
       {.units = "1", .description = "TOPSIS rank, 1 = best", .dims = "point"}},
      {"/optimize/front/island",
       'i',
       1,
       {K},
       fr->island,
       {.units = "1",
        .description = "lowest-numbered island whose final population holds the point",
        .dims = "point"}},
      {"/optimize/front/metrics",
       'd',
       2,
       {K, nm},
       fr->metrics,
       {.unit_list = mu,
        .n_units = nm,
        .description = "every twin metric at the point",
        .columns = metric,
        .n_columns = nm,
        .dims = "point,metric"}},
      {"/optimize/islands/design",
       'd',
       2,
       {fr->T, n},
       fr->ix,
       {.unit_list = du,
        .n_units = n,
        .description = "design variables of each island's front (rows offset[i] .. "
                       "offset[i+1])",
        .columns = paths,
        .n_columns = n,
        .dims = "row,variable"}},
      {"/optimize/islands/objectives",
       'd',
       2,
       {fr->T, m},
       fr->ifv,
       {.unit_list = ou,
        .n_units = m,
        .description = "objectives of each island's front, natural units",
        .columns = obj,
        .n_columns = m,
        .dims = "row,objective"}},
      {"/optimize/islands/violation",
       'd',
       1,
       {fr->T},
       fr->iviol,
       {.units = "1",
        .description = "total constraint violation of each island's front point",
        .dims = "row"}},
      {"/optimize/islands/offset",
       'i',
       1,
       {run->I + 1},
       fr->offset,
       {.units = "1",
        .description = "island i's rows are offset[i] .. offset[i+1] - 1",
        .dims = "island_bound"}},
  };
  return write_and_release(r, d, sizeof d / sizeof d[0], &sc, ok);
}

static int write_history(const cet_drv_opt_run *run, cet_result *r) {
  size_t rows = run->rows, I = run->I;
  scratch sc = {0};
  double *best = take(&sc, rows, sizeof *best);
  long long *generation = take(&sc, rows, sizeof *generation);
  int ok = all_taken(&sc);
  for (size_t t = 0; ok && t < rows; t++) {
    generation[t] = (long long)t;
    best[t] = run->hv[t * I];
    for (size_t i = 1; i < I; i++) {
      best[t] = run->hv[t * I + i] > best[t] ? run->hv[t * I + i] : best[t];
    }
  }
  const dataset d[] = {
      {"/optimize/history/generation",
       'i',
       1,
       {rows},
       generation,
       {.units = "1",
        .description = "generation of each history row (0 = initial population)",
        .dims = "generation"}},
      {"/optimize/history/hypervolume",
       'd',
       2,
       {rows, I},
       run->hv,
       {.units = "1",
        .description = "hypervolume of each island's feasible front after each generation, "
                       "w.r.t. the reference point (minimised objectives)",
        .dims = "generation,island"}},
      {"/optimize/history/front_size",
       'i',
       2,
       {rows, I},
       run->front_size,
       {.units = "1",
        .description = "size of each island's feasible front after each generation",
        .dims = "generation,island"}},
      {"/optimize/history/hypervolume_best",
       'd',
       1,
       {rows},
       best,
       {.units = "1",
        .description = "largest island hypervolume after each generation",
        .dims = "generation"}},
      {"/optimize/migrations",
       'i',
       2,
       {run->mig_rows, OPT_MIG_COLUMNS},
       run->migrations,
       {.units = "1",
        .description = "one row per (generation, destination, source) migration: in_front "
                       "counts the immigrants in the destination's front right after they "
                       "arrived",
        .columns = MIGRATION_COLUMNS,
        .n_columns = OPT_MIG_COLUMNS,
        .dims = "migration,column"}},
  };
  return write_and_release(r, d, sizeof d / sizeof d[0], &sc, ok);
}

/* Robust runs: /optimize/robust (the draws, the uncertain variables, the
 * metrics summarised), the statistic of each objective and constraint, and
 * every statistic of the summarised metrics at each front point. */
static int write_robust(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_robust_spec *rs = &s->robust;
  const cet_twin *t = run->c->twin;
  const char *g = "/optimize/robust";
  size_t m = run->m, c = run->nc, U = fr->U;
  CET_CALL(cet_drv_mc_write_variables(r, g, rs->uncertain, rs->n_uncertain));
  CET_CALL(cet_result_attr_int(r, g, "draws", (long long)rs->draws));
  CET_CALL(cet_result_attr_int(r, g, "seed", (long long)rs->seed));
  CET_CALL(cet_result_attr_int(r, g, "first_draw", (long long)rs->first_draw));
  CET_CALL(cet_result_attr_string(r, g, "draws_rule",
                                  "common random numbers: draw k of every design is Monte Carlo "
                                  "draw first_draw + k, keyed by (seed, variable, draw) only"));
  scratch sc = {0};
  const char **os = take(&sc, m, sizeof *os), **cs = take(&sc, c, sizeof *cs);
  const char **names = take(&sc, U, sizeof *names), **units = take(&sc, U, sizeof *units);
  const char **su = take(&sc, U * CET_STAT_COUNT, sizeof *su);
  long long *share = take(&sc, U, sizeof *share);
  const char *stats[CET_STAT_COUNT];
  int ok = all_taken(&sc);
  for (size_t j = 0; ok && j < m; j++) {
    os[j] = cet_optimize_statistic_name(s->objective[j].statistic);
  }
  for (size_t k = 0; ok && k < c; k++) {
    cs[k] = cet_optimize_statistic_name(s->constraint[k].statistic);
  }
  for (size_t u = 0; ok && u < U; u++) {
    size_t index = cet_optimize_problem_summarised_metric(run->problem, u);
    names[u] = cet_twin_metric_name(t, index);
    units[u] = cet_twin_metric_units(t, index);
    share[u] = cet_twin_metric_is_share(t, index);
    for (int k = 0; k < CET_STAT_COUNT; k++) { /* a probability is a number */
      su[u * CET_STAT_COUNT + (size_t)k] = k == CET_STAT_PROB_NEGATIVE ? "1" : units[u];
    }
  }
  for (int k = 0; k < CET_STAT_COUNT; k++) {
    stats[k] = cet_stats_stat_name((cet_stat)k);
  }
  const dataset d[] = {
      {"/optimize/objectives/statistic",
       's',
       1,
       {m},
       os,
       {.description = "what each objective takes of its metric: a statistic over the draws, or "
                       "nominal (one evaluation at the case's own values)",
        .dims = "objective"}},
      {"/optimize/constraints/statistic",
       's',
       1,
       {c},
       cs,
       {.description = "what each constraint takes of its metric (as the objectives)",
        .dims = "constraint"}},
      {"/optimize/robust/metrics",
       's',
       1,
       {U},
       names,
       {.description = "metrics summarised over the draws", .dims = "metric", .labels = 1}},
      {"/optimize/robust/units",
       's',
       1,
       {U},
       units,
       {.description = "their units", .dims = "metric"}},
      {"/optimize/robust/share",
       'i',
       1,
       {U},
       share,
       {.units = "1", .description = CET_DRV_SHARE_TEXT, .dims = "metric"}},
      {"/optimize/robust/statistics",
       's',
       1,
       {CET_STAT_COUNT},
       stats,
       {.description = "statistics of /optimize/front/statistics, in its last dimension",
        .dims = "statistic",
        .labels = 1}},
      /* the axis of /optimize/front/statistics, beside the metric axis of front/metrics */
      {"/optimize/front/summarised",
       's',
       1,
       {U},
       names,
       {.description = "metrics summarised over the draws (/optimize/robust/metrics)",
        .dims = "summarised"}},
  };
  size_t dims[3] = {fr->K, U, CET_STAT_COUNT};
  cet_dataset_meta meta = {.unit_list = su,
                           .n_units = U * CET_STAT_COUNT,
                           .description = "every statistic over the draws of each summarised "
                                          "metric (/optimize/robust/metrics) at the front points",
                           .columns = stats,
                           .n_columns = CET_STAT_COUNT,
                           .dims = "point,summarised,statistic"};
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, write_checked(r, d, sizeof d / sizeof d[0], ok));
  CET_CALL_GOTO(
      status, cleanup,
      cet_result_write_doubles(r, "/optimize/front/statistics", 3, dims, fr->stats, &meta));
cleanup:
  release(&sc);
  return status;
}

/* What the values of design variable j choose, into b ("" for a variable
 * that is no structural choice); *any is set when it is one. */
static int design_choice(const cet_drv_opt_run *run, size_t j, cet_strbuf *b, int *any) {
  const cet_twin *t = run->c->twin;
  long slot = cet_twin_parameter_find(t, run->spec->design[j].path), first = 0;
  const cet_names *names = slot >= 0 ? cet_twin_parameter_choices(t, (size_t)slot, &first) : NULL;
  CET_CALL(cet_strbuf_append(b, ""));
  for (size_t i = 0; names && i < names->n; i++) {
    CET_CALL(cet_strbuf_printf(b, "%s%ld %s", i ? "; " : "", first + (long)i, names->name[i]));
  }
  *any |= names != NULL;
  return CET_OK;
}

int cet_drv_opt_design_choices(const cet_drv_opt_run *run, char ***out, int *any) {
  char **choices = calloc(run->n + 1, sizeof *choices);
  CET_CHECK_ALLOC(choices);
  int status = CET_OK;
  *any = 0;
  for (size_t j = 0; j < run->n; j++) {
    cet_strbuf b = {0};
    int made = design_choice(run, j, &b, any);
    choices[j] = b.text; /* freed with the list after a failure */
    CET_CALL_GOTO(status, fail, made);
  }
  *out = choices;
  return CET_OK;
fail:
  cet_free_strings(choices, run->n);
  return status;
}

/* /optimize/design/choices, when some design variable is a structural
 * choice (*any = 1). */
static int write_choices(const cet_drv_opt_run *run, cet_result *r, int *any) {
  char **choices = NULL;
  CET_CALL(cet_drv_opt_design_choices(run, &choices, any));
  cet_dataset_meta meta = {.description = "what each value of a design variable chooses: "
                                          "\"VALUE OUTLET-OR-CHAIN; ...\" for a selector's "
                                          "outlet index or a flowsheet choice's chain number, "
                                          "\"\" for other variables",
                           .dims = "variable"};
  int status = *any ? cet_result_write_strings(r, "/optimize/design/choices", run->n,
                                               (const char *const *)choices, &meta)
                    : CET_OK;
  cet_free_strings(choices, run->n);
  return status;
}

/* /optimize/front/no_effect: which design variables of each front point
 * set the route of a unit that received no flow there (written after
 * front/design, whose axes it shares). */
static int write_no_effect(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, cet_result *r) {
  const char **names = malloc((run->n + 1) * sizeof *names);
  CET_CHECK_ALLOC(names);
  for (size_t j = 0; j < run->n; j++) {
    names[j] = run->spec->design[j].name;
  }
  size_t dims[2] = {fr->K, run->n};
  cet_dataset_meta meta = {.units = "1",
                           .long_name = "design variable without effect",
                           .description = "1 where the design variable had no effect at the "
                                          "front point: it sets the outlet of a selector or the "
                                          "chain of a flowsheet choice unit whose inflow is zero "
                                          "there; 0 otherwise",
                           .columns = names,
                           .n_columns = run->n,
                           .dims = "point,variable"};
  int status = cet_result_write_ints(r, "/optimize/front/no_effect", 2, dims, fr->no_effect, &meta);
  free(names);
  return status;
}

int cet_drv_opt_write(const cet_drv_opt_run *run, const cet_drv_opt_front *front, cet_result *r) {
  int any = 0;
  CET_CALL(write_settings(run, front, r));
  if (run->spec->robust.draws > 0) {
    CET_CALL(write_robust(run, front, r));
  }
  CET_CALL(write_design(run, r));
  CET_CALL(write_choices(run, r, &any));
  CET_CALL(write_objectives(run, front, r));
  CET_CALL(write_front(run, front, r));
  if (any) {
    CET_CALL(write_no_effect(run, front, r));
  }
  CET_CALL(write_history(run, r));
  return CET_OK;
}
