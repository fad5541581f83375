/*
 * optimize_report.c — the end of an optimize run: the global front of all
 * islands (gathered and filtered, islands.h) and each island's own front,
 * their objectives in natural units, every twin metric at each front point,
 * TOPSIS closeness and rank, utopia, nadir and hypervolume, and of a robust
 * run the statistics of the summarised metrics over the draws at each
 * point; then the summary on rank 0 and /optimize (optimize_write.c).
 */
#include "optimize_impl.h"

#include "mc_impl.h"
#include "report.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"
#include "cetwin/pareto.h"
#include "cetwin/quantity.h"
#include "cetwin/refpoints.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { REPORT_MAX_DESIGN_COLUMNS = 8, OPT_LABEL_LEN = 128 };

static void front_free(cet_drv_opt_front *fr) {
  free(fr->x);
  free(fr->f);
  free(fr->con);
  free(fr->violation);
  free(fr->closeness);
  free(fr->rank);
  free(fr->island);
  free(fr->metrics);
  free(fr->no_effect);
  free(fr->stats);
  free(fr->utopia);
  free(fr->nadir);
  free(fr->offset);
  free(fr->ix);
  free(fr->ifv);
  free(fr->iviol);
  memset(fr, 0, sizeof *fr);
}

/* Collective. Each island's rank-0 individuals as rows (island, genes,
 * minimised objectives, violation), gathered on rank 0 in island order. */
static int gather_island_fronts(const cet_drv_opt_run *run, double **rows, size_t *total) {
  size_t n = run->n, m = run->m, width = n + m + 2, first = cet_islands_first(run->isl);
  double *local = malloc((run->L * run->N * width + 1) * sizeof *local);
  CET_CHECK_ALLOC(local);
  size_t count = 0;
  for (size_t l = 0; l < run->L; l++) {
    const cet_nsga2 *ga = cet_islands_island(run->isl, l);
    const size_t *rank = cet_nsga2_rank(ga);
    const double *x = cet_nsga2_x(ga), *f = cet_nsga2_f(ga), *cv = cet_nsga2_violation(ga);
    for (size_t i = 0; i < run->N; i++) {
      if (rank[i] != 0) {
        continue;
      }
      double *r = local + count * width;
      r[0] = (double)(first + l);
      memcpy(r + 1, x + i * n, n * sizeof *r);
      memcpy(r + 1 + n, f + i * m, m * sizeof *r);
      r[1 + n + m] = cv[i];
      count++;
    }
  }
  void *recv = NULL;
  int status = cet_drv_opt_gather_rows(run->ctx->comm, MPI_DOUBLE, sizeof(double), local, count,
                                       width, &recv, total);
  free(local);
  CET_CALL(status);
  *rows = recv;
  return CET_OK;
}

/* Rank 0: the islands' fronts in natural units and their offsets. */
static int unpack_island_fronts(const cet_drv_opt_run *run, const double *rows, size_t total,
                                cet_drv_opt_front *fr) {
  size_t n = run->n, m = run->m, width = n + m + 2;
  fr->T = total;
  fr->offset = calloc(run->I + 1, sizeof *fr->offset);
  fr->ix = malloc((total * n + 1) * sizeof *fr->ix);
  fr->ifv = malloc((total * m + 1) * sizeof *fr->ifv);
  fr->iviol = malloc((total + 1) * sizeof *fr->iviol);
  CET_CHECK_ALLOCS(fr->offset && fr->ix && fr->ifv && fr->iviol);
  for (size_t t = 0; t < total; t++) {
    const double *r = rows + t * width;
    fr->offset[(size_t)r[0] + 1]++;
    memcpy(fr->ix + t * n, r + 1, n * sizeof *r);
    for (size_t j = 0; j < m; j++) {
      fr->ifv[t * m + j] = cet_optimize_natural(run->spec, j, r[1 + n + j]);
    }
    fr->iviol[t] = r[1 + n + m];
  }
  for (size_t i = 0; i < run->I; i++) {
    fr->offset[i + 1] += fr->offset[i];
  }
  return CET_OK;
}

/* The value an objective or constraint takes at a front point: its metric
 * in the nominal evaluation, or its statistic over the draws (stats: the
 * point's [U x CET_STAT_COUNT]). */
static double point_value(const cet_drv_opt_run *run, const double *metrics, const double *stats,
                          size_t index, int statistic) {
  if (statistic == CET_OPTIMIZE_NOMINAL) {
    return metrics[index];
  }
  size_t u = 0;
  while (cet_optimize_problem_summarised_metric(run->problem, u) != index) {
    u++;
  }
  return stats[u * CET_STAT_COUNT + (size_t)statistic];
}

/* 1 when the n values are finite. */
static int all_finite(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(v[i])) {
      return 0;
    }
  }
  return 1;
}

/* Rank 0: metrics, TOPSIS, bounds and hypervolume of the global front
 * (x, f minimised, g, island as gathered), stored in TOPSIS order (in
 * gathered order, closeness NaN, when an objective is undefined: a front of
 * infeasible designs that cannot be priced). */

static int rank_global_front(cet_drv_opt_run *run, size_t K, const double *x, const double *f,
                             const double *g, const size_t *island, cet_drv_opt_front *fr) {
  const cet_optimize_spec *s = run->spec;
  size_t n = run->n, m = run->m, c = run->nc, nm = cet_twin_metric_count(run->c->twin);
  size_t U = cet_optimize_problem_summarised(run->problem), ns = U * CET_STAT_COUNT;
  fr->K = K;
  fr->U = U;
  fr->stats = malloc((K * ns + 1) * sizeof *fr->stats);
  fr->x = malloc((K * n + 1) * sizeof *fr->x);
  fr->f = malloc((K * m + 1) * sizeof *fr->f);
  fr->con = malloc((K * c + 1) * sizeof *fr->con);
  fr->violation = malloc((K + 1) * sizeof *fr->violation);
  fr->closeness = malloc((K + 1) * sizeof *fr->closeness);
  fr->rank = malloc((K + 1) * sizeof *fr->rank);
  fr->island = malloc((K + 1) * sizeof *fr->island);
  fr->metrics = malloc((K * nm + 1) * sizeof *fr->metrics);
  fr->no_effect = malloc((K * n + 1) * sizeof *fr->no_effect);
  fr->utopia = malloc(m * sizeof *fr->utopia);
  fr->nadir = malloc(m * sizeof *fr->nadir);
  double *natural = malloc((K * m + 1) * sizeof *natural),
         *metrics = malloc((nm + 1) * sizeof *metrics);
  double *closeness = malloc((K + 1) * sizeof *closeness), *fbuf = malloc((m + 1) * sizeof *fbuf);
  double *gbuf = malloc((c + 1) * sizeof *gbuf);
  size_t *rank = malloc((K + 1) * sizeof *rank), *order = malloc((K + 1) * sizeof *order);
  int *benefit = malloc(m * sizeof *benefit);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       fr->x && fr->f && fr->con && fr->violation && fr->closeness && fr->rank &&
                           fr->island && fr->metrics && fr->no_effect && fr->stats && fr->utopia &&
                           fr->nadir && natural && metrics && closeness && fbuf && gbuf && rank &&
                           order && benefit);
  for (size_t i = 0; i < K * m; i++) {
    natural[i] = cet_optimize_natural(s, i % m, f[i]);
  }
  for (size_t j = 0; j < m; j++) {
    benefit[j] = s->objective[j].sense == CET_SENSE_MAXIMIZE;
  }
  cet_topsis_parameters tp = {s->topsis_normalization, s->topsis_weights, benefit};
  if (all_finite(natural, K * m)) {
    CET_CALL_GOTO(status, done, cet_topsis_rank(natural, K, m, &tp, closeness, rank, order));
  } else { /* an infeasible front with a design that cannot be priced: in gathered order */
    for (size_t i = 0; i < K; i++) {
      closeness[i] = NAN;
      rank[i] = i + 1;
      order[i] = i;
    }
  }
  CET_CALL_GOTO(status, done, cet_pareto_bounds(f, K, m, fr->utopia, fr->nadir));
  for (size_t j = 0; j < m; j++) {
    fr->utopia[j] = cet_optimize_natural(s, j, fr->utopia[j]);
    fr->nadir[j] = cet_optimize_natural(s, j, fr->nadir[j]);
  }
  CET_CALL_GOTO(status, done, cet_hypervolume(f, K, m, run->reference, &fr->hypervolume));
  for (size_t k = 0; k < K; k++) {
    size_t i = order[k];
    memcpy(fr->x + k * n, x + i * n, n * sizeof *x);
    memcpy(fr->f + k * m, natural + i * m, m * sizeof *natural);
    CET_CALL_GOTO(status, done,
                  cet_optimize_problem_evaluate_one(run->problem, x + i * n, metrics,
                                                    U > 0 ? fr->stats + k * ns : NULL, fbuf,
                                                    c ? gbuf : NULL));
    memcpy(fr->metrics + k * nm, metrics, nm * sizeof *metrics);
    cet_optimize_problem_idle(run->problem, fr->no_effect + k * n);
    double v = 0.0;
    for (size_t q = 0; q < c; q++) {
      const cet_constraint *con = &s->constraint[q];
      fr->con[k * c + q] =
          point_value(run, metrics, fr->stats + k * ns, con->index, con->statistic);
      v += g[i * c + q] > 0.0 ? g[i * c + q] : 0.0;
    }
    fr->violation[k] = v;
    fr->closeness[k] = closeness[i];
    fr->rank[k] = (long long)rank[i];
    fr->island[k] = (long long)island[i];
  }
done:
  free(natural);
  free(metrics);
  free(closeness);
  free(fbuf);
  free(gbuf);
  free(rank);
  free(order);
  free(benefit);
  return status;
}

/* ---- the printed summary ---- */

/* NSGA-III's reference points: how many, from which divisions. */
static void print_reference_points(const cet_drv_opt_run *run, FILE *out) {
  const cet_nsga2_parameters *p = &run->spec->nsga2;
  size_t count = 0;
  if (cet_refpoints_layers_count(run->m, p->divisions, p->inner_divisions, &count) != CET_OK) {
    cet_error_clear(); /* checked when the case was read */
    return;
  }
  fprintf(out, "  reference points: %zu (%zu divisions", count, p->divisions);
  if (p->inner_divisions) {
    fprintf(out, " and an inner layer of %zu", p->inner_divisions);
  }
  fprintf(out, "%s)\n", run->spec->divisions_given ? "" : ", chosen for the population");
}

static void print_header(const cet_drv_opt_run *run, double seconds, FILE *out) {
  const cet_optimize_spec *s = run->spec;
  const cet_islands_parameters *ip = &s->islands;
  static const char *const topology[] = {"ring", "fully connected", "user-given"};
  uint64_t done = s->nsga2.generations - run->start;
  double evaluations = (double)run->I * (double)run->N * (double)(done + (run->start == 0));
  int nsga3 = s->nsga2.algorithm == CET_MOO_NSGA3;
  fprintf(out,
          "\nOptimisation (%s): %zu island%s x %zu individuals, %llu generations "
          "(seed %llu)\n",
          nsga3 ? "NSGA-III" : "NSGA-II", run->I, run->I == 1 ? "" : "s", run->N,
          (unsigned long long)s->nsga2.generations, (unsigned long long)s->nsga2.seed);
  if (nsga3) {
    print_reference_points(run, out);
  }
  if (run->I > 1) {
    fprintf(out, "  migration: %s, %zu migrants every %llu generations\n", topology[ip->topology],
            ip->migrants, (unsigned long long)ip->migration_interval);
  }
  const cet_robust_spec *r = &s->robust;
  if (r->draws > 0) {
    fprintf(out,
            "  robust: every design on the same %llu draws of the uncertain variables (draws "
            "%llu..%llu, seed %llu: common random numbers)\n",
            (unsigned long long)r->draws, (unsigned long long)r->first_draw,
            (unsigned long long)(r->first_draw + r->draws - 1), (unsigned long long)r->seed);
    cet_drv_mc_print_uncertain(out, r->uncertain, r->n_uncertain);
  }
  fprintf(out, "  %d MPI rank%s x %d OpenMP thread%s; %.0f evaluations in %.3g s", run->ctx->size,
          run->ctx->size == 1 ? "" : "s", run->ctx->threads, run->ctx->threads == 1 ? "" : "s",
          evaluations, seconds);
  if (r->draws > 0 && cet_optimize_problem_summarised(run->problem) > 0) {
    double twin = evaluations * (double)r->draws;
    fprintf(out, " of %llu draws each: %.0f twin evaluations, %.4g per second",
            (unsigned long long)r->draws, twin, seconds > 0 ? twin / seconds : NAN);
  }
  if (run->start > 0) {
    fprintf(out, " (continued from generation %llu)", (unsigned long long)run->start);
  }
  fprintf(out, "\n");
  if (cet_optimize_problem_counts_unknown(run->problem)) {
    fprintf(out,
            "  infeasible: %llu of the run's %.0f evaluated designs reach a unit whose "
            "consumptions are unknown (%s > 0)\n",
            (unsigned long long)run->unknown,
            (double)run->I * (double)run->N * (double)(s->nsga2.generations + 1),
            CET_TWIN_UNKNOWN_CONSUMPTION);
  }
}

/* The view of the printed summary (optimize_print.c) of run's front fr;
 * names[0 .. 4m + 2n) is its room for the objectives' names and the design's
 * paths and names, share[0 .. m) for the objectives' share flags. */
static void view_of(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, const char **names,
                    long long *share, cet_drv_opt_view *v) {
  const cet_optimize_spec *s = run->spec;
  size_t m = s->n_obj;
  for (size_t j = 0; j < m; j++) {
    const cet_objective *o = &s->objective[j];
    names[j] = o->metric;
    names[m + j] = cet_sense_name(o->sense);
    names[2 * m + j] = cet_twin_metric_units(run->c->twin, o->index);
    share[j] = cet_twin_metric_is_share(run->c->twin, o->index);
    names[3 * m + j] = cet_optimize_statistic_name(o->statistic);
  }
  for (size_t i = 0; i < run->n; i++) {
    names[4 * m + i] = s->design[i].path;
    names[4 * m + run->n + i] = s->design[i].name;
  }
  *v = (cet_drv_opt_view){.K = fr->K,
                          .islands = run->I,
                          .feasible = fr->K > 0 && fr->violation[0] == 0.0,
                          .hypervolume = fr->hypervolume,
                          .reference_given = s->reference_point != NULL,
                          .n_obj = m,
                          .n = run->n,
                          .nc = run->nc,
                          .robust_draws = (size_t)s->robust.draws,
                          .metric = names,
                          .sense = names + m,
                          .units = names + 2 * m,
                          .share = share,
                          .statistic = s->robust.draws > 0 ? names + 3 * m : NULL,
                          .utopia = fr->utopia,
                          .nadir = fr->nadir,
                          .top = s->report_top,
                          .normalization =
                              s->topsis_normalization == CET_TOPSIS_VECTOR ? "vector" : "min-max",
                          .weights_given = s->topsis_weights != NULL,
                          .rank = fr->rank,
                          .island = fr->island,
                          .closeness = fr->closeness,
                          .violation = fr->violation,
                          .f = fr->f,
                          .x = fr->x,
                          .design = names + 4 * m,
                          .design_name = names + 4 * m + run->n};
}

/* Prints the objectives and the TOPSIS table of the front. */
static int print_front(const cet_drv_opt_run *run, const cet_drv_opt_front *fr, FILE *out) {
  size_t m = run->spec->n_obj;
  const char **names = calloc(4 * m + 2 * run->n + 1, sizeof *names);
  double *reference = calloc(m + 1, sizeof *reference);
  long long *share = calloc(m + 1, sizeof *share);
  char **choices = NULL;
  int any = 0;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, names && reference && share);
  CET_CALL_GOTO(status, cleanup, cet_drv_opt_design_choices(run, &choices, &any));
  cet_drv_opt_view v;
  view_of(run, fr, names, share, &v);
  v.choices = any ? (const char *const *)choices : NULL;
  v.no_effect = any ? fr->no_effect : NULL;
  for (size_t j = 0; j < m; j++) {
    reference[j] = cet_optimize_natural(run->spec, j, run->reference[j]);
  }
  v.reference = reference;
  cet_drv_opt_print_objectives(&v, out);
  cet_drv_opt_print_topsis(&v, out);
cleanup:
  free(names);
  free(reference);
  free(share);
  if (choices) {
    cet_free_strings(choices, run->n);
  }
  return status;
}

/* Robust runs: the statistics of the summarised metrics at the TOPSIS best
 * point (all of them are in /optimize/front/statistics). */
static int print_best_statistics(const cet_drv_opt_run *run, const cet_drv_opt_front *fr,
                                 FILE *out) {
  if (fr->U == 0 || fr->K == 0) {
    return CET_OK;
  }
  const char **names = calloc(2 * fr->U + CET_STAT_COUNT + 1, sizeof *names);
  long long *share = calloc(fr->U + 1, sizeof *share);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, names && share);
  for (size_t u = 0; u < fr->U; u++) {
    size_t metric = cet_optimize_problem_summarised_metric(run->problem, u);
    names[u] = cet_twin_metric_name(run->c->twin, metric);
    names[fr->U + u] = cet_twin_metric_units(run->c->twin, metric);
    share[u] = cet_twin_metric_is_share(run->c->twin, metric);
  }
  for (int q = 0; q < CET_STAT_COUNT; q++) {
    names[2 * fr->U + q] = cet_stats_stat_name((cet_stat)q);
  }
  cet_drv_opt_stats_view v = {.draws = (unsigned long long)run->spec->robust.draws,
                              .U = fr->U,
                              .metric = names,
                              .units = names + fr->U,
                              .share = share,
                              .n_stat = CET_STAT_COUNT,
                              .stat_name = names + 2 * fr->U,
                              .stats = fr->stats};
  cet_drv_opt_print_statistics(&v, out);
done:
  free(names);
  free(share);
  return status;
}

/* Rank 0: the global front ranked, printed and written. */
static int report_front(cet_drv_opt_run *run, double seconds, size_t K, const double *x,
                        const double *f, const double *g, const size_t *island, const double *rows,
                        size_t T, cet_drv_opt_front *fr) {
  CET_CALL(rank_global_front(run, K, x, f, g, island, fr));
  CET_CALL(unpack_island_fronts(run, rows, T, fr));
  FILE *out = run->ctx->summary;
  print_header(run, seconds, out);
  int status = CET_OK;
  CET_CALL_GOTO(status, flush, print_front(run, fr, out));
  CET_CALL_GOTO(status, flush, print_best_statistics(run, fr, out));
flush:
  fflush(out);
  CET_CALL(status);
  CET_CALL(cet_drv_opt_write(run, fr, run->ctx->result));
  if (run->spec->robust.draws > 0) { /* the draws' price models */
    CET_CALL(cet_drv_ar_report(run->c->twin, run->ctx->verbose ? out : NULL, run->ctx->result));
  }
  return CET_OK;
}

/* The buffers of a report: the gathered front and the islands' fronts
 * (rank 0), and the ranked front. */
typedef struct {
  size_t K, T, *island;
  double *x, *f, *g, *rows;
  cet_drv_opt_front fr;
} report_data;

/* This rank's part: the fronts gathered, and on rank 0 the report. */
static int report_local(cet_drv_opt_run *run, double seconds, report_data *d) {
  CET_CALL(cet_islands_gather_front_origin(run->isl, 0, &d->K, &d->x, &d->f, &d->g, &d->island));
  CET_CALL(gather_island_fronts(run, &d->rows, &d->T));
  if (run->ctx->rank == 0) {
    CET_CALL(report_front(run, seconds, d->K, d->x, d->f, d->g, d->island, d->rows, d->T, &d->fr));
  }
  return CET_OK;
}

int cet_drv_opt_report(cet_drv_opt_run *run, double seconds) {
  report_data d = {0};
  CET_CALL(cet_drv_opt_total_unknown(run));
  int status = report_local(run, seconds, &d);
  free(d.x);
  free(d.f);
  free(d.g);
  free(d.island);
  free(d.rows);
  front_free(&d.fr);
  CET_CALL(cet_collective_status(status, run->ctx->comm));
  return CET_OK;
}
