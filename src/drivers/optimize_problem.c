/*
 * optimize_problem.c — the optimisation problem of a case as NSGA-II sees
 * it (optimize.h): the genome from the design variables, the repair that
 * divides each sum-to-one group by its sum, and the batch evaluation of
 * the twin with OpenMP, one workspace per thread: the nominal evaluations,
 * the draws of a robust problem (optimize_robust.c), then each design's
 * objectives and constraints.
 */
#include "cetwin/optimize.h"

#include "optimize_robust.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

enum { PROBLEM_DESIGN_TEXT_LEN = 1024 };

double cet_optimize_natural(const cet_optimize_spec *spec, size_t j, double minimised) {
  if (minimised == INFINITY) { /* undefined at an infeasible design (assemble) */
    return NAN;
  }
  return spec->objective[j].sense == CET_SENSE_MAXIMIZE ? -minimised : minimised;
}

struct cet_optimize_problem {
  const cet_twin *twin;
  const cet_optimize_spec *spec;
  cet_binding *binding;
  int threads;
  size_t capacity;         /* designs per batch (the population) */
  cet_twin_workspace **ws; /* [threads] */
  double *metrics;         /* [capacity x metrics] nominal evaluations */
  size_t nm;
  int need_nominal; /* some objective or constraint is nominal */
  /* robust problems */
  cet_drv_opt_robust *robust; /* NULL when not robust */
  size_t U;                   /* metrics summarised over the draws */
  size_t *summarised;         /* [U] their twin indices */
  size_t *obj_u, *con_u;      /* [objectives], [constraints]: position in summarised */
  cet_stats_summary *summary; /* [capacity x U] */
  unsigned char *skip;        /* [capacity] designs whose draws are not evaluated */
  double *lower, *upper, *zero_below;
  cet_gene_type *type;
  cet_moo_problem moo;
  long m_unknown;         /* unknown_consumption, or -1 when the twin has none */
  uint64_t unknown_count; /* designs of the batches with unknown_consumption > 0 */
};

/* Divides the genes of every sum-to-one group by their sum. */
static int repair(void *ctx, size_t count, double *x) {
  const cet_optimize_problem *p = ctx;
  const cet_optimize_spec *s = p->spec;
  size_t n = s->n_design;
  for (size_t i = 0; i < count; i++) {
    double *row = x + i * n;
    for (size_t grp = 0; grp < s->n_groups; grp++) {
      double sum = 0.0;
      size_t members = 0;
      for (size_t j = 0; j < n; j++) {
        if (s->design[j].group == grp) {
          sum += row[j];
          members++;
        }
      }
      for (size_t j = 0; j < n; j++) {
        if (s->design[j].group == grp) {
          row[j] = sum > 0.0 ? row[j] / sum : 1.0 / (double)members;
        }
      }
    }
  }
  return CET_OK;
}

/* "x = (0.25, 0, 0.75)" for messages. */
static void describe_design(const cet_optimize_problem *p, const double *x, char *buf, size_t len) {
  size_t used = (size_t)snprintf(buf, len, "design (");
  for (size_t j = 0; j < p->spec->n_design && used < len; j++) {
    used += (size_t)snprintf(buf + used, len - used, "%s%s = %.17g", j ? ", " : "",
                             p->spec->design[j].path, x[j]);
  }
  if (used < len) {
    snprintf(buf + used, len - used, ")");
  }
}

/* Names design x in the error chain of a failed evaluation; returns status. */
static int design_failed(const cet_optimize_problem *p, const double *x, int status) {
  char what[PROBLEM_DESIGN_TEXT_LEN];
  describe_design(p, x, what, sizeof what);
  cet_error_push(status, __FILE__, __LINE__, __func__, "evaluating the twin at %s failed", what);
  return status;
}

/* The value an objective or constraint (what) takes at a design: its
 * metric (name, index) in the nominal evaluation m, or statistic
 * `statistic` of its summary (NaN when the metric is undefined in some
 * draw); NaN is an error unless `undefined_ok`. */
static int value_of(const char *what, const char *name, int statistic, size_t index,
                    const double *m, const cet_stats_summary *summary, int undefined_ok,
                    double *v) {
  int nominal = statistic == CET_OPTIMIZE_NOMINAL;
  *v = nominal ? m[index] : cet_stats_summary_value(summary, (cet_stat)statistic);
  CET_CHECK(undefined_ok || !isnan(*v), CET_ERR_RUNTIME, "%s metric '%s'%s%s is NaN%s", what, name,
            nominal ? "" : ", statistic ", nominal ? "" : cet_optimize_statistic_name(statistic),
            nominal ? "" : " (the metric is undefined in some draw)");
  return CET_OK;
}

/* f and g of one design from its nominal metrics m (may be NULL when no
 * objective or constraint is nominal) and its summaries sum ([U], NULL when
 * not robust). The constraints come first: an objective that is undefined
 * (NaN) at an infeasible design, which cannot be priced say, takes the
 * worst value, +infinity minimised; constraint domination ranks the design
 * by its violation alone. At a feasible design it is an error. */
static int assemble(const cet_optimize_problem *p, const double *m, const cet_stats_summary *sum,
                    double *f, double *g) {
  const cet_optimize_spec *s = p->spec;
  double v = 0.0;
  int infeasible = 0;
  for (size_t k = 0; k < s->n_con; k++) {
    const cet_constraint *c = &s->constraint[k];
    CET_CALL(value_of("constraint", c->metric, c->statistic, c->index, m,
                      sum ? sum + p->con_u[k] : NULL, 0, &v));
    double below = c->min - v, above = v - c->max;
    g[k] = below > above ? below : above;
    infeasible |= g[k] > 0.0;
  }
  for (size_t j = 0; j < s->n_obj; j++) {
    const cet_objective *o = &s->objective[j];
    CET_CALL(value_of("objective", o->metric, o->statistic, o->index, m,
                      sum ? sum + p->obj_u[j] : NULL, infeasible, &v));
    f[j] = isnan(v) ? INFINITY : o->sense == CET_SENSE_MAXIMIZE ? -v : v;
  }
  return CET_OK;
}

/* Robust problems: the designs of a batch of count, the first `evaluated`
 * of them nominally evaluated, whose draws are not evaluated as they cannot
 * be priced (their nominal unknown_consumption is positive); NULL when none
 * can be known. */
static const unsigned char *unpriced(cet_optimize_problem *p, size_t count, size_t evaluated) {
  if (p->m_unknown < 0 || !p->need_nominal) {
    return NULL;
  }
  for (size_t i = 0; i < count; i++) {
    p->skip[i] = i < evaluated && p->metrics[i * p->nm + (size_t)p->m_unknown] > 0.0;
  }
  return p->skip;
}

/* One design on the calling thread (workspace 0, row 0 of the buffers):
 * the nominal evaluation when needed (or wanted: nominal = 1), the draws of
 * a robust problem, then f and g. */
static int evaluate_single(cet_optimize_problem *p, const double *x, int nominal, double *f,
                           double *g) {
  if (p->need_nominal || nominal) {
    CET_CALL(cet_twin_evaluate_bound(p->twin, p->binding, x, p->ws[0], p->metrics));
  }
  if (p->robust) {
    size_t failed = 0;
    CET_CALL(cet_drv_opt_robust_evaluate(
        p->robust, 1, x, unpriced(p, 1, p->need_nominal || nominal), 1, p->summary, &failed));
  }
  CET_CALL(assemble(p, p->metrics, p->robust ? p->summary : NULL, f, g));
  return CET_OK;
}

int cet_optimize_problem_evaluate_one(cet_optimize_problem *p, const double *x, double *metrics,
                                      double *stats, double *f, double *g) {
  CET_CHECK(!stats || p->robust != NULL, CET_ERR_INPUT,
            "statistics over draws need a robust problem with a statistic objective or "
            "constraint");
  int status = evaluate_single(p, x, metrics != NULL, f, g);
  if (status != CET_OK) {
    return design_failed(p, x, status);
  }
  if (metrics) {
    memcpy(metrics, p->metrics, p->nm * sizeof *metrics);
  }
  for (size_t u = 0; stats && u < p->U; u++) {
    for (int k = 0; k < CET_STAT_COUNT; k++) {
      stats[u * CET_STAT_COUNT + (size_t)k] = cet_stats_summary_value(&p->summary[u], (cet_stat)k);
    }
  }
  return CET_OK;
}

/* The nominal evaluations of count designs, shared out to the threads (each
 * writes its own rows of p->metrics); the lowest failing design, or
 * count. */
static size_t nominal_batch(cet_optimize_problem *p, size_t count, const double *x) {
  size_t n = p->spec->n_design, first_failed = count;
#pragma omp parallel for schedule(dynamic) num_threads(p->threads) reduction(min : first_failed)
  for (size_t i = 0; i < count; i++) {
    int t = omp_get_thread_num();
    if (cet_twin_evaluate_bound(p->twin, p->binding, x + i * n, p->ws[t], p->metrics + i * p->nm) !=
        CET_OK) {
      first_failed = i < first_failed ? i : first_failed;
      cet_error_clear();
    }
  }
  return first_failed;
}

/* A batch of at most p->capacity designs: nominal evaluations, draws,
 * then f and g of each. Returns how many designs from the first have f
 * and g (count when all have; the caller evaluates the first failing one
 * alone for its message). */
static size_t evaluate_batch(cet_optimize_problem *p, size_t count, const double *x, double *f,
                             double *g) {
  const cet_optimize_spec *s = p->spec;
  size_t bound = p->need_nominal ? nominal_batch(p, count, x) : count, robust_failed = count;
  if (p->robust && cet_drv_opt_robust_evaluate(p->robust, count, x, unpriced(p, count, bound),
                                               p->threads, p->summary, &robust_failed) != CET_OK) {
    cet_error_clear();
  }
  bound = robust_failed < bound ? robust_failed : bound;
  for (size_t i = 0; i < bound; i++) {
    if (assemble(p, p->metrics + i * p->nm, p->robust ? p->summary + i * p->U : NULL,
                 f + i * s->n_obj, s->n_con ? g + i * s->n_con : NULL) != CET_OK) {
      cet_error_clear();
      bound = i;
    }
  }
  for (size_t i = 0; p->m_unknown >= 0 && i < bound; i++) {
    p->unknown_count += p->metrics[i * p->nm + (size_t)p->m_unknown] > 0.0;
  }
  return bound;
}

/* The batch callback of nsga2.h: batches of at most p->capacity designs.
 * A failure is reported for the lowest failing individual, evaluated again
 * on the calling thread so that its message lands in the caller's error
 * chain (the chain is per thread). */
static int evaluate(void *ctx, size_t count, const double *x, double *f, double *g) {
  cet_optimize_problem *p = ctx;
  size_t n = p->spec->n_design, m = p->spec->n_obj, c = p->spec->n_con;
  for (size_t start = 0; start < count; start += p->capacity) {
    size_t b = count - start < p->capacity ? count - start : p->capacity;
    double *fb = f + start * m, *gb = c ? g + start * c : NULL;
    size_t done = evaluate_batch(p, b, x + start * n, fb, gb);
    if (done < b) {
      size_t i = start + done;
      CET_CALL(cet_optimize_problem_evaluate_one(p, x + i * n, NULL, NULL, f + i * m,
                                                 c ? g + i * c : NULL));
      CET_CHECK(0, CET_ERR_RUNTIME, "evaluating individual %zu failed on another thread only", i);
    }
  }
  return CET_OK;
}

void cet_optimize_problem_idle(const cet_optimize_problem *p, long long *idle) {
  for (size_t j = 0; j < p->spec->n_design; j++) {
    idle[j] = cet_twin_parameter_idle(p->twin, cet_binding_slot(p->binding, j), p->ws[0]);
  }
}

void cet_optimize_problem_destroy(cet_optimize_problem **pp) {
  if (!pp || !*pp) {
    return;
  }
  cet_optimize_problem *p = *pp;
  for (int t = 0; p->ws && t < p->threads; t++) {
    cet_twin_workspace_destroy(&p->ws[t]);
  }
  free(p->ws);
  free(p->metrics);
  cet_drv_opt_robust_destroy(&p->robust);
  free(p->summarised);
  free(p->obj_u);
  free(p->con_u);
  free(p->summary);
  free(p->skip);
  cet_binding_destroy(&p->binding);
  free(p->lower);
  free(p->upper);
  free(p->zero_below);
  free(p->type);
  free(p);
  *pp = NULL;
}

/* Position of metric index among the u summarised metrics, appended when
 * new. */
static size_t summarised_slot(cet_optimize_problem *p, size_t index) {
  for (size_t u = 0; u < p->U; u++) {
    if (p->summarised[u] == index) {
      return u;
    }
  }
  p->summarised[p->U] = index;
  return p->U++;
}

/* The metrics summarised over the draws and the robust evaluation (robust
 * problems); which objectives and constraints are nominal. */
static int build_robust(cet_optimize_problem *p) {
  const cet_optimize_spec *s = p->spec;
  size_t q = s->n_obj + s->n_con;
  p->summarised = calloc(q + 1, sizeof *p->summarised);
  p->obj_u = calloc(s->n_obj + 1, sizeof *p->obj_u);
  p->con_u = calloc(s->n_con + 1, sizeof *p->con_u);
  CET_CHECK_ALLOCS(p->summarised && p->obj_u && p->con_u);
  for (size_t j = 0; j < s->n_obj; j++) {
    const cet_objective *o = &s->objective[j];
    p->need_nominal |= o->statistic == CET_OPTIMIZE_NOMINAL;
    p->obj_u[j] = o->statistic == CET_OPTIMIZE_NOMINAL ? 0 : summarised_slot(p, o->index);
  }
  for (size_t k = 0; k < s->n_con; k++) {
    const cet_constraint *c = &s->constraint[k];
    p->need_nominal |= c->statistic == CET_OPTIMIZE_NOMINAL;
    p->con_u[k] = c->statistic == CET_OPTIMIZE_NOMINAL ? 0 : summarised_slot(p, c->index);
  }
  CET_CHECK(p->U == 0 || s->robust.draws > 0, CET_ERR_INPUT,
            "statistics over draws need a robust problem (robust.draws > 0)");
  if (s->robust.draws == 0) {
    return CET_OK;
  }
  p->summary = malloc((p->capacity * (p->U ? p->U : 1)) * sizeof *p->summary);
  p->skip = calloc(p->capacity, sizeof *p->skip);
  CET_CHECK_ALLOCS(p->summary && p->skip);
  if (p->U == 0) { /* every objective nominal: nothing to draw */
    return CET_OK;
  }
  CET_CALL(cet_drv_opt_robust_create(p->twin, &s->robust, p->binding, s->n_design, p->summarised,
                                     p->U, p->threads, p->capacity, &p->robust));
  return CET_OK;
}

static int build(cet_optimize_problem *p) {
  const cet_optimize_spec *s = p->spec;
  size_t n = s->n_design, nm = cet_twin_metric_count(p->twin);
  CET_CHECK(n > 0, CET_ERR_INPUT, "expected at least one design variable, found none");
  CET_CHECK(s->n_obj > 0, CET_ERR_INPUT, "expected at least one objective, found none");
  const char **paths = malloc(n * sizeof *paths);
  p->lower = malloc(n * sizeof *p->lower);
  p->upper = malloc(n * sizeof *p->upper);
  p->zero_below = malloc(n * sizeof *p->zero_below);
  p->type = malloc(n * sizeof *p->type);
  p->ws = calloc((size_t)p->threads, sizeof *p->ws);
  p->capacity = s->nsga2.population > 0 ? s->nsga2.population : 1;
  p->metrics = malloc((p->capacity * nm + 1) * sizeof *p->metrics);
  p->nm = nm;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, bound,
                       paths && p->lower && p->upper && p->zero_below && p->type && p->ws &&
                           p->metrics);
  for (size_t j = 0; j < n; j++) {
    const cet_design_variable *d = &s->design[j];
    paths[j] = d->path;
    p->lower[j] = d->lower;
    p->upper[j] = d->upper;
    p->zero_below[j] = d->zero_below;
    p->type[j] = d->categorical ? CET_GENE_CATEGORICAL
                 : d->integer   ? CET_GENE_INTEGER
                                : CET_GENE_REAL;
  }
  CET_CALL_GOTO(status, bound, cet_binding_create(p->twin, paths, n, &p->binding));
bound:
  free(paths);
  CET_CALL(status);
  for (size_t j = 0; j < s->n_obj; j++) {
    CET_CHECK(s->objective[j].index < nm, CET_ERR_INPUT, "objective %zu: metric index out of range",
              j);
  }
  for (size_t k = 0; k < s->n_con; k++) {
    CET_CHECK(s->constraint[k].index < nm, CET_ERR_INPUT,
              "constraint %zu: metric index out of range", k);
  }
  for (int t = 0; t < p->threads; t++) {
    CET_CALL(cet_twin_workspace_create(p->twin, &p->ws[t]));
  }
  CET_CALL(build_robust(p));
  p->moo = (cet_moo_problem){
      .genome = {n, p->lower, p->upper, p->type, p->zero_below},
      .n_obj = s->n_obj,
      .n_con = s->n_con,
      .evaluate = evaluate,
      .repair = s->n_groups > 0 ? repair : NULL,
      .ctx = p,
  };
  CET_CALL(cet_genome_check(&p->moo.genome));
  return CET_OK;
}

int cet_optimize_problem_create(const cet_twin *t, const cet_optimize_spec *spec, int threads,
                                cet_optimize_problem **out) {
  *out = NULL;
  CET_CHECK(threads >= 1, CET_ERR_INPUT, "expected at least one thread, found %d", threads);
  cet_optimize_problem *p = calloc(1, sizeof *p);
  CET_CHECK_ALLOC(p);
  p->twin = t;
  p->spec = spec;
  p->threads = threads;
  p->m_unknown = cet_twin_metric_find(t, CET_TWIN_UNKNOWN_CONSUMPTION);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, build(p));
  *out = p;
  return CET_OK;
fail:
  cet_optimize_problem_destroy(&p);
  return status;
}

const cet_moo_problem *cet_optimize_problem_moo(const cet_optimize_problem *p) { return &p->moo; }

size_t cet_optimize_problem_summarised(const cet_optimize_problem *p) { return p->U; }

size_t cet_optimize_problem_summarised_metric(const cet_optimize_problem *p, size_t u) {
  return p->summarised[u];
}

int cet_optimize_problem_counts_unknown(const cet_optimize_problem *p) { return p->m_unknown >= 0; }

uint64_t cet_optimize_problem_unknown(const cet_optimize_problem *p) { return p->unknown_count; }

void cet_optimize_problem_set_unknown(cet_optimize_problem *p, uint64_t count) {
  p->unknown_count = count;
}
