/*
 * optimize_problem.c — the optimisation problem of a case as NSGA-II sees
 * it (optimize.h): the genome from the design variables, the repair that
 * divides each sum-to-one group by its sum, and the batch evaluation of
 * the twin with OpenMP, one workspace per thread; also the life cycle of
 * the spec the config reader fills.
 */
#include "cetwin/optimize.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

enum { PROBLEM_DESIGN_TEXT_LEN = 1024 };

static const char *const SENSE_NAMES[] = {"minimize", "maximize"};

const char *cet_sense_name(cet_sense s) { return SENSE_NAMES[s]; }

void cet_optimize_spec_destroy(cet_optimize_spec **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_optimize_spec *s = *sp;
  for (size_t i = 0; s->design && i < s->n_design; i++) {
    free(s->design[i].path);
  }
  free(s->design);
  for (size_t j = 0; s->objective && j < s->n_obj; j++) {
    free(s->objective[j].metric);
  }
  free(s->objective);
  for (size_t k = 0; s->constraint && k < s->n_con; k++) {
    free(s->constraint[k].metric);
  }
  free(s->constraint);
  free(s->islands_where);
  free(s->topology_offset);
  free(s->topology_sources);
  free(s->reference_point);
  free(s->checkpoint_file);
  free(s->topsis_weights);
  free(s);
  *sp = NULL;
}

double cet_optimize_natural(const cet_optimize_spec *spec, size_t j, double minimised) {
  return spec->objective[j].sense == CET_SENSE_MAXIMIZE ? -minimised : minimised;
}

struct cet_optimize_problem {
  const cet_twin *twin;
  const cet_optimize_spec *spec;
  cet_binding *binding;
  int threads;
  cet_twin_workspace **ws; /* [threads] */
  double *metrics;         /* [threads x metrics] */
  size_t nm;
  double *lower, *upper, *zero_below;
  cet_gene_type *type;
  cet_moo_problem moo;
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

/* One evaluation with workspace w and metric buffer m. */
static int evaluate_with(const cet_optimize_problem *p, cet_twin_workspace *w, double *m,
                         const double *x, double *f, double *g) {
  const cet_optimize_spec *s = p->spec;
  CET_CALL(cet_twin_evaluate_bound(p->twin, p->binding, x, w, m));
  for (size_t j = 0; j < s->n_obj; j++) {
    double v = m[s->objective[j].index];
    CET_CHECK(!isnan(v), CET_ERR_RUNTIME, "objective metric '%s' is NaN", s->objective[j].metric);
    f[j] = s->objective[j].sense == CET_SENSE_MAXIMIZE ? -v : v;
  }
  for (size_t k = 0; k < s->n_con; k++) {
    const cet_constraint *c = &s->constraint[k];
    double v = m[c->index];
    CET_CHECK(!isnan(v), CET_ERR_RUNTIME, "constraint metric '%s' is NaN", c->metric);
    double below = c->min - v, above = v - c->max;
    g[k] = below > above ? below : above;
  }
  return CET_OK;
}

int cet_optimize_problem_evaluate_one(cet_optimize_problem *p, const double *x, double *metrics,
                                      double *f, double *g) {
  int status = evaluate_with(p, p->ws[0], p->metrics, x, f, g);
  if (status != CET_OK) {
    char what[PROBLEM_DESIGN_TEXT_LEN];
    describe_design(p, x, what, sizeof what);
    cet_error_push(status, __FILE__, __LINE__, __func__, "evaluating the twin at %s failed", what);
    return status;
  }
  if (metrics) {
    memcpy(metrics, p->metrics, p->nm * sizeof *metrics);
  }
  return CET_OK;
}

/* The batch callback of nsga2.h: individuals are shared out to the threads;
 * each writes only its own rows, so the values do not depend on the thread
 * count. A failure is reported for the lowest failing individual, evaluated
 * again on the calling thread so that its message lands in the caller's
 * error chain (the chain is per thread). */
static int evaluate(void *ctx, size_t count, const double *x, double *f, double *g) {
  cet_optimize_problem *p = ctx;
  size_t n = p->spec->n_design, m = p->spec->n_obj, c = p->spec->n_con;
  size_t first_failed = count;
#pragma omp parallel for schedule(dynamic) num_threads(p->threads) reduction(min : first_failed)
  for (size_t i = 0; i < count; i++) {
    int t = omp_get_thread_num();
    if (evaluate_with(p, p->ws[t], p->metrics + (size_t)t * p->nm, x + i * n, f + i * m,
                      c ? g + i * c : NULL) != CET_OK) {
      first_failed = i < first_failed ? i : first_failed;
      cet_error_clear();
    }
  }
  if (first_failed < count) {
    CET_CALL(cet_optimize_problem_evaluate_one(p, x + first_failed * n, NULL, f + first_failed * m,
                                               c ? g + first_failed * c : NULL));
    CET_CHECK(0, CET_ERR_RUNTIME, "evaluating individual %zu failed on another thread only",
              first_failed);
  }
  return CET_OK;
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
  cet_binding_destroy(&p->binding);
  free(p->lower);
  free(p->upper);
  free(p->zero_below);
  free(p->type);
  free(p);
  *pp = NULL;
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
  p->metrics = malloc((size_t)p->threads * (nm + 1) * sizeof *p->metrics);
  p->nm = nm;
  if (!paths || !p->lower || !p->upper || !p->zero_below || !p->type || !p->ws || !p->metrics) {
    free(paths);
    CET_CHECK_ALLOC(NULL);
  }
  for (size_t j = 0; j < n; j++) {
    const cet_design_variable *d = &s->design[j];
    paths[j] = d->path;
    p->lower[j] = d->lower;
    p->upper[j] = d->upper;
    p->zero_below[j] = d->zero_below;
    p->type[j] = d->integer ? CET_GENE_INTEGER : CET_GENE_REAL;
  }
  int status = cet_binding_create(p->twin, paths, n, &p->binding);
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
  int status = build(p);
  if (status != CET_OK) {
    cet_optimize_problem_destroy(&p);
    CET_CALL(status);
  }
  *out = p;
  return CET_OK;
}

const cet_moo_problem *cet_optimize_problem_moo(const cet_optimize_problem *p) { return &p->moo; }
