/*
 * optimize_write.c — the /optimize group of the result file (see
 * docs/hdf5-schema.md): the settings, the design variables, objectives and
 * constraints, the global front in TOPSIS order, each island's front, the
 * hypervolume and front-size history and the migration log. Nothing here
 * depends on the number of ranks or threads, nor on a restart.
 */
#include "optimize_impl.h"

#include "cetwin/error.h"

#include <stdlib.h>
#include <string.h>

static const char *const TOPOLOGY_NAMES[] = {"ring", "full", "custom"};
static const char *const TRUNCATION_NAMES[] = {"crowding", "iterative"};
static const char *const MIGRATION_COLUMNS[OPT_MIG_COLUMNS] = {
    "generation", "source", "destination", "migrants", "in_front"};

static int write_settings(const cet_opt_run *run, const cet_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_nsga2_parameters *p = &s->nsga2;
  const char *g = "/optimize";
  double rate = p->mutation_rate > 0 ? p->mutation_rate : 1.0 / (double)run->n;
  CET_CALL(cet_result_attr_string(r, g, "algorithm", "NSGA-II (Deb et al. 2002), islands"));
  CET_CALL(cet_result_attr_int(r, g, "islands", (long long)run->I));
  CET_CALL(cet_result_attr_int(r, g, "population", (long long)run->N));
  CET_CALL(cet_result_attr_int(r, g, "generations", (long long)p->generations));
  CET_CALL(cet_result_attr_int(r, g, "seed", (long long)p->seed));
  CET_CALL(cet_result_attr_int(r, g, "evaluations",
                               (long long)(run->I * run->N * (p->generations + 1))));
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
  CET_CALL(cet_result_attr_double(r, g, "hypervolume", fr->hypervolume));
  CET_CALL(cet_result_attr_int(r, g, "front_size", (long long)fr->K));
  CET_CALL(
      cet_result_attr_string(r, g, "topsis_normalization",
                             s->topsis_normalization == CET_TOPSIS_VECTOR ? "vector" : "minmax"));
  return CET_OK;
}

static int write_design(const cet_opt_run *run, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t n = run->n;
  const char **paths = malloc(n * sizeof *paths), **units = malloc(n * sizeof *units);
  double *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi), *zb = malloc(n * sizeof *zb);
  long long *integer = malloc(n * sizeof *integer), *group = malloc(n * sizeof *group);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, paths && units && lo && hi && zb && integer && group, CET_ERR_MEMORY,
                 "out of memory");
  for (size_t j = 0; j < n; j++) {
    const cet_design_variable *d = &s->design[j];
    paths[j] = d->path;
    units[j] = cet_twin_parameter_units(t, (size_t)cet_twin_parameter_find(t, d->path));
    lo[j] = d->lower;
    hi[j] = d->upper;
    zb[j] = d->zero_below;
    integer[j] = d->integer;
    group[j] = d->group == CET_OPTIMIZE_NO_GROUP ? -1 : (long long)d->group;
  }
  cet_dataset_meta m_path = {.description = "key path of the twin parameter each variable sets"};
  cet_dataset_meta m_units = {.description = "units of each variable (its parameter's)"};
  cet_dataset_meta m_lo = {.description = "lower bound"}, m_hi = {.description = "upper bound"};
  cet_dataset_meta m_int = {.description = "1 for an integer variable"};
  cet_dataset_meta m_zb = {.description = "operators set |x| below this to exactly 0 (0: off)"};
  cet_dataset_meta m_grp = {.description = "sum-to-one group of the variable, -1 for none"};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/design/path", n, paths, &m_path));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/design/units", n, units, &m_units));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/design/lower", 1, &n, lo, &m_lo));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/design/upper", 1, &n, hi, &m_hi));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/design/integer", 1, &n, integer, &m_int));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/design/zero_below", 1, &n, zb, &m_zb));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/design/group", 1, &n, group, &m_grp));
done:
  free(paths);
  free(units);
  free(lo);
  free(hi);
  free(zb);
  free(integer);
  free(group);
  return status;
}

static int write_objectives(const cet_opt_run *run, const cet_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t m = run->m, c = run->nc;
  const char **names = malloc((m + c + 1) * sizeof *names),
             **units = malloc((m + c + 1) * sizeof *units);
  const char **sense = malloc((m + 1) * sizeof *sense);
  double *ref = malloc((m + 1) * sizeof *ref), *w = malloc((m + 1) * sizeof *w);
  double *lo = malloc((c + 1) * sizeof *lo), *hi = malloc((c + 1) * sizeof *hi);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, names && units && sense && ref && w && lo && hi, CET_ERR_MEMORY,
                 "out of memory");
  double wsum = 0.0;
  for (size_t j = 0; j < m; j++) {
    wsum += s->topsis_weights ? s->topsis_weights[j] : 1.0;
  }
  for (size_t j = 0; j < m; j++) {
    names[j] = s->objective[j].metric;
    units[j] = cet_twin_metric_units(t, s->objective[j].index);
    sense[j] = cet_sense_name(s->objective[j].sense);
    ref[j] = cet_optimize_natural(s, j, run->reference[j]);
    w[j] = (s->topsis_weights ? s->topsis_weights[j] : 1.0) / wsum;
  }
  cet_dataset_meta m_name = {.description = "twin metric of each objective"};
  cet_dataset_meta m_units = {.description = "units of each objective"};
  cet_dataset_meta m_sense = {.description = "minimize or maximize"};
  cet_dataset_meta m_w = {.description = "TOPSIS weight of each objective (scaled to sum 1)"};
  cet_dataset_meta m_ref = {.description = "hypervolume reference point, natural units",
                            .columns = names,
                            .n_columns = m};
  cet_dataset_meta m_u = {.description = "best value of each objective on the global front",
                          .columns = names,
                          .n_columns = m};
  cet_dataset_meta m_n = {.description = "worst value of each objective on the global front",
                          .columns = names,
                          .n_columns = m};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/objectives/metric", m, names, &m_name));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/objectives/units", m, units, &m_units));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/objectives/sense", m, sense, &m_sense));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/objectives/topsis_weight", 1, &m, w, &m_w));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/objectives/reference_point", 1, &m, ref, &m_ref));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/objectives/utopia", 1, &m, fr->utopia, &m_u));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/objectives/nadir", 1, &m, fr->nadir, &m_n));
  for (size_t k = 0; k < c; k++) {
    names[k] = s->constraint[k].metric;
    units[k] = cet_twin_metric_units(t, s->constraint[k].index);
    lo[k] = s->constraint[k].min;
    hi[k] = s->constraint[k].max;
  }
  cet_dataset_meta c_name = {.description = "twin metric of each constraint"};
  cet_dataset_meta c_units = {.description = "units of each constraint's metric"};
  cet_dataset_meta c_lo = {.description = "lower limit (-inf: none)"};
  cet_dataset_meta c_hi = {.description = "upper limit (+inf: none)"};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/constraints/metric", c, names, &c_name));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/optimize/constraints/units", c, units, &c_units));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/constraints/min", 1, &c, lo, &c_lo));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/constraints/max", 1, &c, hi, &c_hi));
done:
  free(names);
  free(units);
  free(sense);
  free(ref);
  free(w);
  free(lo);
  free(hi);
  return status;
}

static int write_front(const cet_opt_run *run, const cet_opt_front *fr, cet_result *r) {
  const cet_optimize_spec *s = run->spec;
  const cet_twin *t = run->c->twin;
  size_t K = fr->K, n = run->n, m = run->m, c = run->nc, nm = cet_twin_metric_count(t);
  const char **paths = malloc((n + 1) * sizeof *paths), **obj = malloc((m + 1) * sizeof *obj);
  const char **con = malloc((c + 1) * sizeof *con), **metric = malloc((nm + 1) * sizeof *metric);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, paths && obj && con && metric, CET_ERR_MEMORY, "out of memory");
  for (size_t j = 0; j < n; j++) {
    paths[j] = s->design[j].path;
  }
  for (size_t j = 0; j < m; j++) {
    obj[j] = s->objective[j].metric;
  }
  for (size_t k = 0; k < c; k++) {
    con[k] = s->constraint[k].metric;
  }
  for (size_t i = 0; i < nm; i++) {
    metric[i] = cet_twin_metric_name(t, i);
  }
  const size_t dx[] = {K, n}, df[] = {K, m}, dc[] = {K, c}, dm[] = {K, nm};
  cet_dataset_meta mx = {.description = "design variables of the front points, best TOPSIS rank "
                                        "first",
                         .columns = paths,
                         .n_columns = n,
                         .dims = "point,variable"};
  cet_dataset_meta mf = {.description = "objectives, natural units (/optimize/objectives/units)",
                         .columns = obj,
                         .n_columns = m,
                         .dims = "point,objective"};
  cet_dataset_meta mc = {.description = "values of the constraints' metrics",
                         .columns = con,
                         .n_columns = c,
                         .dims = "point,constraint"};
  cet_dataset_meta mv = {.description = "total constraint violation (0 = feasible)",
                         .dims = "point"};
  cet_dataset_meta mcl = {
      .units = "1", .description = "TOPSIS closeness coefficient", .dims = "point"};
  cet_dataset_meta mr = {.description = "TOPSIS rank, 1 = best", .dims = "point"};
  cet_dataset_meta mi = {.description = "lowest-numbered island whose final population holds the "
                                        "point",
                         .dims = "point"};
  cet_dataset_meta mm = {.description = "every twin metric at the point (units: the twin's)",
                         .columns = metric,
                         .n_columns = nm,
                         .dims = "point,metric"};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/front/design", 2, dx, fr->x, &mx));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/front/objectives", 2, df, fr->f, &mf));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/front/constraints", 2, dc, fr->con, &mc));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/front/violation", 1, &K, fr->violation, &mv));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/front/topsis_closeness", 1, &K, fr->closeness, &mcl));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/front/topsis_rank", 1, &K, fr->rank, &mr));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/front/island", 1, &K, fr->island, &mi));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/front/metrics", 2, dm, fr->metrics, &mm));
  const size_t ix[] = {fr->T, n}, iff[] = {fr->T, m}, io = run->I + 1;
  mx.description = "design variables of each island's front (rows offset[i] .. offset[i+1])";
  mf.description = "objectives of each island's front, natural units";
  mv.description = "total constraint violation of each island's front point";
  cet_dataset_meta mo = {.description = "island i's rows are offset[i] .. offset[i+1] - 1"};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/islands/design", 2, ix, fr->ix, &mx));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/islands/objectives", 2, iff, fr->ifv, &mf));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/islands/violation", 1, &fr->T, fr->iviol, &mv));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/islands/offset", 1, &io, fr->offset, &mo));
done:
  free(paths);
  free(obj);
  free(con);
  free(metric);
  return status;
}

static int write_history(const cet_opt_run *run, cet_result *r) {
  size_t rows = run->rows, I = run->I;
  double *best = malloc((rows + 1) * sizeof *best);
  long long *generation = malloc((rows + 1) * sizeof *generation);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, best && generation, CET_ERR_MEMORY, "out of memory");
  for (size_t t = 0; t < rows; t++) {
    generation[t] = (long long)t;
    best[t] = run->hv[t * I];
    for (size_t i = 1; i < I; i++) {
      best[t] = run->hv[t * I + i] > best[t] ? run->hv[t * I + i] : best[t];
    }
  }
  const size_t dh[] = {rows, I}, dm[] = {run->mig_rows, OPT_MIG_COLUMNS};
  cet_dataset_meta mg = {.description = "generation of each history row (0 = initial population)"};
  cet_dataset_meta mh = {.description = "hypervolume of each island's feasible front after each "
                                        "generation, w.r.t. the reference point (minimised "
                                        "objectives)",
                         .dims = "generation,island"};
  cet_dataset_meta ms = {.description =
                             "size of each island's feasible front after each generation",
                         .dims = "generation,island"};
  cet_dataset_meta mb = {.description = "largest island hypervolume after each generation",
                         .dims = "generation"};
  cet_dataset_meta mm = {.description = "one row per (generation, destination, source) migration: "
                                        "in_front counts the immigrants in the destination's "
                                        "front right after they arrived",
                         .columns = MIGRATION_COLUMNS,
                         .n_columns = OPT_MIG_COLUMNS,
                         .dims = "migration,column"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_ints(r, "/optimize/history/generation", 1, &rows, generation, &mg));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/optimize/history/hypervolume", 2, dh, run->hv, &mh));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_ints(r, "/optimize/history/front_size", 2, dh, run->front_size, &ms));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/optimize/history/hypervolume_best", 1, &rows, best, &mb));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/optimize/migrations", 2, dm, run->migrations, &mm));
done:
  free(best);
  free(generation);
  return status;
}

int cet_opt_write(const cet_opt_run *run, const cet_opt_front *front, cet_result *r) {
  CET_CALL(write_settings(run, front, r));
  CET_CALL(write_design(run, r));
  CET_CALL(write_objectives(run, front, r));
  CET_CALL(write_front(run, front, r));
  CET_CALL(write_history(run, r));
  return CET_OK;
}
