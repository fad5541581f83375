/*
 * nsga2.c — the NSGA-II engine: initial population, mating, variation,
 * batch evaluation, environmental selection (crowding, or NSGA-III's
 * niching from nsga3.c), state save/restore and the hooks used for
 * migration (see nsga2.h).
 */
#include "moo/nsga2_impl.h"

#include "cetwin/error.h"
#include "cetwin/refpoints.h"
#include "cetwin/rng.h"
#include "moo/pareto_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cet_nsga2_parameters cet_nsga2_default_parameters(void) {
  cet_nsga2_parameters p = {
      .population = 200,            /* Bonnin et al. 2015, Table 5 */
      .generations = 400,           /* idem (2 x population) */
      .crossover_probability = 0.9, /* idem */
      .crossover_gene_rate = 0.5,   /* Deb's reference code */
      .eta_c = 20,
      .mutation_probability = 0.5, /* Table 5, per offspring (see nsga2.h) */
      .mutation_rate = 0,          /* 1/n */
      .eta_m = 20,
      .truncation = CET_NSGA2_TRUNCATE_ITERATIVE,
      .seed = 0,
      .stream = 0,
      .algorithm = CET_MOO_NSGA2,
      .divisions = 0,
      .inner_divisions = 0,
  };
  return p;
}

static uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL; /* splitmix64 */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int check_probability(double p, const char *name) {
  CET_CHECK(p >= 0 && p <= 1, CET_ERR_INPUT, "NSGA-II %s must lie in [0, 1], found %g", name, p);
  return CET_OK;
}

static int check_parameters(const cet_nsga2_parameters *p) {
  CET_CHECK(p->population >= 2, CET_ERR_INPUT,
            "NSGA-II population must have at least 2 individuals, found %zu", p->population);
  CET_CALL(check_probability(p->crossover_probability, "crossover probability"));
  CET_CALL(check_probability(p->crossover_gene_rate, "crossover gene rate"));
  CET_CALL(check_probability(p->mutation_probability, "mutation probability"));
  CET_CALL(check_probability(p->mutation_rate, "mutation rate"));
  CET_CHECK(isfinite(p->eta_c) && p->eta_c >= 0, CET_ERR_INPUT,
            "NSGA-II crossover distribution index must be finite and >= 0, found %g", p->eta_c);
  CET_CHECK(isfinite(p->eta_m) && p->eta_m >= 0, CET_ERR_INPUT,
            "NSGA-II mutation distribution index must be finite and >= 0, found %g", p->eta_m);
  CET_CHECK(p->truncation == CET_NSGA2_TRUNCATE_CROWDING ||
                p->truncation == CET_NSGA2_TRUNCATE_ITERATIVE,
            CET_ERR_INPUT, "unknown NSGA-II truncation %d (expected crowding or iterative)",
            (int)p->truncation);
  CET_CHECK(p->algorithm == CET_MOO_NSGA2 || p->algorithm == CET_MOO_NSGA3, CET_ERR_INPUT,
            "unknown algorithm %d (expected NSGA-II or NSGA-III)", (int)p->algorithm);
  CET_CHECK(p->divisions > 0 || p->inner_divisions == 0, CET_ERR_INPUT,
            "NSGA-III inner divisions (%zu) need outer divisions, found 0", p->inner_divisions);
  return CET_OK;
}

void cet_nsga2_destroy(cet_nsga2 **ga) {
  if (!ga || !*ga) {
    return;
  }
  cet_nsga2 *a = *ga;
  free(a->lower);
  free(a->upper);
  free(a->zero_below);
  free(a->type);
  free(a->x);
  free(a->f);
  free(a->g);
  free(a->cv);
  free(a->rank);
  free(a->crowding);
  free(a->order);
  free(a->tournament);
  if (a->rng) {
    gsl_rng_free(a->rng);
  }
  cet_pareto_workspace_destroy(&a->ws);
  cet_nsga3_workspace_destroy(&a->nsga3);
  free(a);
  *ga = NULL;
}

static int copy_genome(cet_nsga2 *a, const cet_genome *src) {
  size_t n = src->n;
  a->lower = malloc(n * sizeof *a->lower);
  a->upper = malloc(n * sizeof *a->upper);
  CET_CHECK_ALLOCS(a->lower && a->upper);
  memcpy(a->lower, src->lower, n * sizeof *a->lower);
  memcpy(a->upper, src->upper, n * sizeof *a->upper);
  if (src->type) {
    a->type = malloc(n * sizeof *a->type);
    CET_CHECK_ALLOC(a->type);
    memcpy(a->type, src->type, n * sizeof *a->type);
  }
  if (src->zero_below) {
    a->zero_below = malloc(n * sizeof *a->zero_below);
    CET_CHECK_ALLOC(a->zero_below);
    memcpy(a->zero_below, src->zero_below, n * sizeof *a->zero_below);
  }
  a->problem.genome.lower = a->lower;
  a->problem.genome.upper = a->upper;
  a->problem.genome.type = a->type;
  a->problem.genome.zero_below = a->zero_below;
  return CET_OK;
}

static int alloc_body(cet_nsga2 *a) {
  size_t N = a->N, rows = 2 * N + 1;
  a->x = malloc(rows * a->n * sizeof *a->x);
  a->f = malloc(rows * a->m * sizeof *a->f);
  a->g = a->c ? malloc(rows * a->c * sizeof *a->g) : NULL;
  a->cv = calloc(rows, sizeof *a->cv);
  a->rank = calloc(rows, sizeof *a->rank);
  a->crowding = calloc(rows, sizeof *a->crowding);
  a->order = malloc(rows * sizeof *a->order);
  a->tournament = malloc((3 * N + 4) * sizeof *a->tournament);
  a->rng = cet_rng_alloc();
  CET_CHECK_ALLOCS(a->x && a->f && (a->g || !a->c) && a->cv && a->rank && a->crowding && a->order &&
                   a->tournament && a->rng);
  CET_CALL(cet_pareto_workspace_create(&a->ws));
  CET_CALL(cet_pareto_reserve(a->ws, 2 * N));
  if (a->par.algorithm == CET_MOO_NSGA3) {
    size_t outer = a->par.divisions, inner = a->par.inner_divisions;
    if (outer == 0) {
      CET_CALL(cet_refpoints_automatic(a->m, N, &outer, &inner));
    }
    CET_CALL(cet_nsga3_workspace_create(a->m, outer, inner, 2 * N, &a->nsga3));
  }
  return CET_OK;
}

int cet_nsga2_create(const cet_moo_problem *problem, const cet_nsga2_parameters *par,
                     cet_nsga2 **ga) {
  CET_CHECK(ga != NULL, CET_ERR_INPUT, "expected a place for the optimiser, found NULL");
  *ga = NULL;
  CET_CHECK(problem != NULL, CET_ERR_INPUT, "expected a problem, found NULL");
  CET_CALL(cet_genome_check(&problem->genome));
  CET_CHECK(problem->n_obj >= 1, CET_ERR_INPUT, "expected at least one objective, found 0");
  CET_CHECK(problem->evaluate != NULL, CET_ERR_INPUT,
            "expected an evaluation callback, found NULL");
  cet_nsga2_parameters defaults = cet_nsga2_default_parameters();
  if (!par) {
    par = &defaults;
  }
  CET_CALL(check_parameters(par));

  cet_nsga2 *a = calloc(1, sizeof *a);
  CET_CHECK_ALLOC(a);
  a->problem = *problem;
  a->par = *par;
  a->N = par->population;
  a->n = problem->genome.n;
  a->m = problem->n_obj;
  a->c = problem->n_con;
  a->mutation_rate = par->mutation_rate > 0 ? par->mutation_rate : 1.0 / (double)a->n;
  uint64_t s = mix(par->stream);
  a->purpose_init = cet_rng_purpose("cetwin.nsga2.init") ^ s;
  a->purpose_select = cet_rng_purpose("cetwin.nsga2.select") ^ s;
  a->purpose_vary = cet_rng_purpose("cetwin.nsga2.vary") ^ s;
  a->purpose_niche = cet_rng_purpose("cetwin.nsga3.niche") ^ s;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, copy_genome(a, &problem->genome));
  CET_CALL_GOTO(status, fail, alloc_body(a));
  *ga = a;
  return CET_OK;
fail:
  cet_nsga2_destroy(&a);
  return status;
}

/* Bounds and integrality of gene rows (the repair callback's output, seeds
 * and restored states). */
static int check_rows(const cet_nsga2 *a, const double *x, size_t count, int code,
                      const char *what) {
  const cet_genome *g = &a->problem.genome;
  for (size_t i = 0; i < count; i++) {
    if (!cet_genome_contains(g, x + i * a->n)) {
      for (size_t j = 0; j < a->n; j++) {
        double v = x[i * a->n + j];
        int integer = g->type && g->type[j] != CET_GENE_REAL;
        CET_CHECK(v >= g->lower[j] && v <= g->upper[j] && (!integer || floor(v) == v), code,
                  "%s: gene %zu of individual %zu is %g, expected %s in [%g, %g]", what, j, i, v,
                  integer ? "an integer" : "a value", g->lower[j], g->upper[j]);
      }
    }
  }
  return CET_OK;
}

/* Total violations of rows first..first+count from their constraint values;
 * rejects NaN objectives and constraints with error code `code`. */
static int settle_values(cet_nsga2 *a, size_t first, size_t count, int code, const char *what) {
  for (size_t i = first; i < first + count; i++) {
    for (size_t j = 0; j < a->m; j++) {
      CET_CHECK(!isnan(a->f[i * a->m + j]), code, "%s: objective %zu of individual %zu is NaN",
                what, j, i - first);
    }
    double v = 0;
    for (size_t k = 0; k < a->c; k++) {
      double gk = a->g[i * a->c + k];
      CET_CHECK(!isnan(gk), code, "%s: constraint %zu of individual %zu is NaN", what, k,
                i - first);
      v += gk > 0 ? gk : 0;
    }
    a->cv[i] = v;
  }
  return CET_OK;
}

/* Repairs and evaluates rows first..first+count in one batch. */
static int evaluate_rows(cet_nsga2 *a, size_t first, size_t count) {
  cet_moo_problem *p = &a->problem;
  double *x = a->x + first * a->n;
  if (p->repair) {
    int status = p->repair(p->ctx, count, x);
    CET_CHECK(status == CET_OK, status, "the repair callback failed on %zu individuals", count);
    CET_CALL(check_rows(a, x, count, CET_ERR_RUNTIME, "after repair"));
  }
  int status =
      p->evaluate(p->ctx, count, x, a->f + first * a->m, a->c ? a->g + first * a->c : NULL);
  CET_CHECK(status == CET_OK, status,
            "the evaluation callback failed on %zu individuals (generation %llu)", count,
            (unsigned long long)a->generation);
  CET_CALL(settle_values(a, first, count, CET_ERR_RUNTIME, "evaluation"));
  return CET_OK;
}

/* Ranks and crowding distances of the N individuals in rows 0..N-1. */
static int rank_population(cet_nsga2 *a) {
  CET_CALL(cet_pareto_rank_crowding(a->ws, a->f, a->c ? a->cv : NULL, a->N, a->m, a->rank,
                                    a->crowding, NULL));
  return CET_OK;
}

int cet_nsga2_init(cet_nsga2 *ga, const double *x0, size_t count) {
  CET_CHECK(ga != NULL, CET_ERR_INPUT, "expected an optimiser, found NULL");
  CET_CHECK(count <= ga->N, CET_ERR_INPUT,
            "expected at most %zu initial individuals (the population), found %zu", ga->N, count);
  CET_CHECK(x0 != NULL || count == 0, CET_ERR_INPUT, "expected %zu initial individuals, found NULL",
            count);
  CET_CALL(check_rows(ga, x0, count, CET_ERR_INPUT, "initial population"));
  ga->ready = 0;
  ga->generation = 0;
  if (count) {
    memcpy(ga->x, x0, count * ga->n * sizeof *ga->x);
  }
  for (size_t i = count; i < ga->N; i++) {
    cet_rng_stream(ga->rng, ga->par.seed, ga->purpose_init, 0, i);
    cet_operators_sample(&ga->problem.genome, ga->rng, ga->x + i * ga->n);
  }
  CET_CALL(evaluate_rows(ga, 0, ga->N));
  CET_CALL(rank_population(ga));
  ga->ready = 1;
  return CET_OK;
}

/* Fills the mating list with 4 * pairs entries from random permutations of
 * the population. */
static void mating_list(cet_nsga2 *a, size_t pairs) {
  size_t need = 4 * pairs, filled = 0;
  for (uint64_t k = 0; filled < need; k++) {
    cet_rng_stream(a->rng, a->par.seed, a->purpose_select, a->generation, k);
    size_t *perm = a->tournament + filled;
    for (size_t i = 0; i < a->N; i++) {
      perm[i] = i;
    }
    for (size_t i = a->N - 1; i > 0; i--) {
      size_t j = (size_t)gsl_rng_uniform_int(a->rng, (unsigned long)i + 1);
      size_t t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    filled += a->N;
  }
}

static void copy_row(cet_nsga2 *a, size_t to, size_t from) {
  memcpy(a->x + to * a->n, a->x + from * a->n, a->n * sizeof *a->x);
  memcpy(a->f + to * a->m, a->f + from * a->m, a->m * sizeof *a->f);
  if (a->c) {
    memcpy(a->g + to * a->c, a->g + from * a->c, a->c * sizeof *a->g);
  }
  a->cv[to] = a->cv[from];
}

/* Marks in keep[0..2N) the N survivors of parents + offspring. */
static int choose_survivors(cet_nsga2 *a, size_t *keep) {
  size_t N = a->N, total = 2 * N;
  const double *cv = a->c ? a->cv : NULL;
  memset(keep, 0, total * sizeof *keep);
  if (a->par.algorithm == CET_MOO_NSGA3) {
    CET_CALL(cet_pareto_sort(a->ws, a->f, cv, total, a->m, a->rank, NULL));
    cet_rng_stream(a->rng, a->par.seed, a->purpose_niche, a->generation, 0);
    CET_CALL(cet_nsga3_select(a->nsga3, a->f, cv, a->rank, total, N, a->rng, keep));
    return CET_OK;
  }
  if (a->par.truncation == CET_NSGA2_TRUNCATE_CROWDING) {
    CET_CALL(cet_pareto_rank_crowding(a->ws, a->f, cv, total, a->m, a->rank, a->crowding, NULL));
    size_t *order = a->tournament; /* 3N + 4 entries: room for 2N */
    CET_CALL(cet_pareto_order(a->ws, a->rank, a->crowding, total, order));
    for (size_t k = 0; k < N; k++) {
      keep[order[k]] = 1;
    }
    return CET_OK;
  }
  /* whole fronts while they fit, then prune the front that overflows */
  CET_CALL(cet_pareto_sort(a->ws, a->f, cv, total, a->m, a->rank, NULL));
  size_t *members = a->tournament, *kept = a->tournament + total;
  size_t *per_front = members; /* counts first, member lists after */
  memset(per_front, 0, total * sizeof *per_front);
  for (size_t i = 0; i < total; i++) {
    per_front[a->rank[i]]++;
  }
  size_t taken = 0, last = 0;
  while (taken + per_front[last] < N) {
    taken += per_front[last++];
  }
  if (taken + per_front[last] == N) {
    taken = N; /* the fronts fill the population exactly */
    last++;
  }
  size_t count = 0;
  for (size_t i = 0; i < total; i++) {
    if (a->rank[i] < last) {
      keep[i] = 1;
    } else if (a->rank[i] == last) {
      members[count++] = i;
    }
  }
  if (taken == N) {
    return CET_OK;
  }
  CET_CALL(cet_pareto_prune(a->ws, a->f, a->m, members, count, N - taken, kept));
  for (size_t k = 0; k < N - taken; k++) {
    keep[members[kept[k]]] = 1;
  }
  return CET_OK;
}

/* Keeps the best N of the 2N parents and offspring, in their order. */
static int select_survivors(cet_nsga2 *a) {
  size_t *keep = a->order;
  CET_CALL(choose_survivors(a, keep));
  size_t k = 0;
  for (size_t i = 0; i < 2 * a->N; i++) {
    if (keep[i]) {
      if (i != k) {
        copy_row(a, k, i); /* i >= k: no survivor is overwritten */
      }
      k++;
    }
  }
  return CET_OK;
}

/* The winner of the mating tournament of individuals a and b: crowded
 * comparison (NSGA-II), or the lower violation with a random pick on ties
 * (NSGA-III, see nsga2.h). */
static size_t parent(const cet_nsga2 *ga, size_t a, size_t b, gsl_rng *r) {
  if (ga->par.algorithm != CET_MOO_NSGA3) {
    return cet_operators_tournament(ga->rank, ga->crowding, a, b, r);
  }
  if (ga->cv[a] != ga->cv[b]) {
    return ga->cv[a] < ga->cv[b] ? a : b;
  }
  return gsl_rng_uniform(r) < 0.5 ? a : b;
}

int cet_nsga2_iterate(cet_nsga2 *ga) {
  CET_CHECK(ga != NULL, CET_ERR_INPUT, "expected an optimiser, found NULL");
  CET_CHECK(ga->ready, CET_ERR_INPUT, "NSGA-II iterate needs a population: call init first");
  const cet_genome *genome = &ga->problem.genome;
  const cet_sbx_parameters sbx = {ga->par.crossover_probability, ga->par.crossover_gene_rate,
                                  ga->par.eta_c};
  size_t N = ga->N, n = ga->n, pairs = (N + 1) / 2;
  gsl_rng *r = ga->rng;
  mating_list(ga, pairs);
  for (size_t k = 0; k < pairs; k++) {
    cet_rng_stream(r, ga->par.seed, ga->purpose_vary, ga->generation, k);
    const size_t *t = ga->tournament + 4 * k;
    size_t a = parent(ga, t[0], t[1], r);
    size_t b = parent(ga, t[2], t[3], r);
    double *c1 = ga->x + (N + 2 * k) * n, *c2 = c1 + n; /* row 2N is the spare */
    cet_operators_sbx(genome, &sbx, r, ga->x + a * n, ga->x + b * n, c1, c2);
    if (gsl_rng_uniform(r) < ga->par.mutation_probability) {
      cet_operators_mutate(genome, ga->mutation_rate, ga->par.eta_m, r, c1);
    }
    if (gsl_rng_uniform(r) < ga->par.mutation_probability) {
      cet_operators_mutate(genome, ga->mutation_rate, ga->par.eta_m, r, c2);
    }
  }
  CET_CALL(evaluate_rows(ga, N, N));
  CET_CALL(select_survivors(ga));
  CET_CALL(rank_population(ga));
  ga->generation++;
  return CET_OK;
}

int cet_nsga2_test(const cet_nsga2 *ga, int *done) {
  CET_CHECK(ga != NULL && done != NULL, CET_ERR_INPUT, "expected an optimiser and a flag");
  *done = ga->generation >= ga->par.generations;
  return CET_OK;
}

int cet_nsga2_solve(cet_nsga2 *ga) {
  int done = 0;
  CET_CALL(cet_nsga2_test(ga, &done));
  while (!done) {
    CET_CALL(cet_nsga2_iterate(ga));
    CET_CALL(cet_nsga2_test(ga, &done));
  }
  return CET_OK;
}

size_t cet_nsga2_population(const cet_nsga2 *ga) { return ga->N; }
size_t cet_nsga2_n_genes(const cet_nsga2 *ga) { return ga->n; }
size_t cet_nsga2_n_obj(const cet_nsga2 *ga) { return ga->m; }
size_t cet_nsga2_n_con(const cet_nsga2 *ga) { return ga->c; }
uint64_t cet_nsga2_generation(const cet_nsga2 *ga) { return ga->generation; }
uint64_t cet_nsga2_evaluations(const cet_nsga2 *ga) {
  return ga->ready ? (uint64_t)ga->N * (ga->generation + 1) : 0;
}
const double *cet_nsga2_x(const cet_nsga2 *ga) { return ga->x; }
const double *cet_nsga2_f(const cet_nsga2 *ga) { return ga->f; }
const double *cet_nsga2_g(const cet_nsga2 *ga) { return ga->c ? ga->g : NULL; }
const double *cet_nsga2_violation(const cet_nsga2 *ga) { return ga->cv; }
const size_t *cet_nsga2_rank(const cet_nsga2 *ga) { return ga->rank; }
const double *cet_nsga2_crowding(const cet_nsga2 *ga) { return ga->crowding; }

int cet_nsga2_front(const cet_nsga2 *ga, size_t *index, size_t *count) {
  CET_CHECK(ga != NULL && index != NULL && count != NULL, CET_ERR_INPUT,
            "expected an optimiser, room for the indices and a count");
  CET_CHECK(ga->ready, CET_ERR_INPUT, "NSGA-II has no population yet: call init first");
  size_t c = 0;
  for (size_t i = 0; i < ga->N; i++) {
    if (ga->rank[i] == 0) {
      index[c++] = i;
    }
  }
  *count = c;
  return CET_OK;
}

int cet_nsga2_get_state(const cet_nsga2 *ga, uint64_t *generation, double *x, double *f,
                        double *g) {
  CET_CHECK(ga != NULL && generation != NULL && x != NULL && f != NULL, CET_ERR_INPUT,
            "expected an optimiser and room for the generation, genes and objectives");
  CET_CHECK(g != NULL || ga->c == 0, CET_ERR_INPUT,
            "expected room for %zu constraint values per individual, found NULL", ga->c);
  CET_CHECK(ga->ready, CET_ERR_INPUT, "NSGA-II has no population yet: call init first");
  *generation = ga->generation;
  memcpy(x, ga->x, ga->N * ga->n * sizeof *x);
  memcpy(f, ga->f, ga->N * ga->m * sizeof *f);
  if (ga->c) {
    memcpy(g, ga->g, ga->N * ga->c * sizeof *g);
  }
  return CET_OK;
}

int cet_nsga2_set_state(cet_nsga2 *ga, uint64_t generation, const double *x, const double *f,
                        const double *g) {
  CET_CHECK(ga != NULL && x != NULL && f != NULL, CET_ERR_INPUT,
            "expected an optimiser, genes and objectives");
  CET_CHECK(g != NULL || ga->c == 0, CET_ERR_INPUT,
            "expected %zu constraint values per individual, found NULL", ga->c);
  ga->ready = 0;
  CET_CALL(check_rows(ga, x, ga->N, CET_ERR_INPUT, "restored state"));
  memcpy(ga->x, x, ga->N * ga->n * sizeof *x);
  memcpy(ga->f, f, ga->N * ga->m * sizeof *f);
  if (ga->c) {
    memcpy(ga->g, g, ga->N * ga->c * sizeof *g);
  }
  CET_CALL(settle_values(ga, 0, ga->N, CET_ERR_INPUT, "restored state"));
  CET_CALL(rank_population(ga));
  ga->generation = generation;
  ga->ready = 1;
  return CET_OK;
}

int cet_nsga2_order(cet_nsga2 *ga, size_t *order) {
  CET_CHECK(ga != NULL && order != NULL, CET_ERR_INPUT, "expected an optimiser and an order");
  CET_CHECK(ga->ready, CET_ERR_INPUT, "NSGA-II has no population yet: call init first");
  CET_CALL(cet_pareto_order(ga->ws, ga->rank, ga->crowding, ga->N, order));
  return CET_OK;
}

int cet_nsga2_replace(cet_nsga2 *ga, size_t count, const size_t *slot, const double *x,
                      const double *f, const double *g) {
  CET_CHECK(ga != NULL, CET_ERR_INPUT, "expected an optimiser, found NULL");
  CET_CHECK(ga->ready, CET_ERR_INPUT, "NSGA-II has no population yet: call init first");
  if (count == 0) {
    return CET_OK;
  }
  CET_CHECK(slot != NULL && x != NULL && f != NULL && (g != NULL || ga->c == 0), CET_ERR_INPUT,
            "expected slots, genes, objectives and constraint values for %zu individuals", count);
  CET_CHECK(count <= ga->N, CET_ERR_INPUT, "cannot replace %zu of %zu individuals", count, ga->N);
  CET_CALL(check_rows(ga, x, count, CET_ERR_INPUT, "replacement"));
  size_t *seen = ga->order; /* free scratch between generations */
  memset(seen, 0, ga->N * sizeof *seen);
  for (size_t k = 0; k < count; k++) {
    CET_CHECK(slot[k] < ga->N && !seen[slot[k]], CET_ERR_INPUT,
              "replacement slot %zu must be distinct and < %zu, found %zu", k, ga->N, slot[k]);
    seen[slot[k]] = 1;
  }
  /* stage the newcomers in the offspring rows, check them, then copy */
  size_t N = ga->N;
  memcpy(ga->x + N * ga->n, x, count * ga->n * sizeof *x);
  memcpy(ga->f + N * ga->m, f, count * ga->m * sizeof *f);
  if (ga->c) {
    memcpy(ga->g + N * ga->c, g, count * ga->c * sizeof *g);
  }
  CET_CALL(settle_values(ga, N, count, CET_ERR_INPUT, "replacement"));
  for (size_t k = 0; k < count; k++) {
    copy_row(ga, slot[k], N + k);
  }
  CET_CALL(rank_population(ga));
  return CET_OK;
}
