/*
 * bench_cetwin.c — the cetwin side of scripts/bench: NSGA-II on ZDT1 and
 * DTLZ2, the non-dominated filter and sort, and the exact hypervolume,
 * timed on the same problems, parameters and point sets as bench_pagmo.cpp.
 *
 * Usage: bench_cetwin nsga2 zdt1|dtlz2 POP GEN SEEDS crowding|iterative
 *        bench_cetwin ndsort N REPEATS
 *        bench_cetwin hv N uniform|sphere REPEATS
 * Prints one line "cetwin <what> ... seconds=<s> ..." per measurement
 * (seconds of CPU time).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "bench_points.h"
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"
#include "cetwin/nsga2.h"
#include "cetwin/pareto.h"
#include "cetwin/testproblems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(void) {
  cet_error_print(stderr, 1);
  return 2;
}

static int run_nsga2(const char *name, size_t pop, unsigned gen, unsigned seeds,
                     const char *truncation) {
  cet_testproblem_kind kind;
  cet_testproblem tp;
  if (cet_testproblem_kind_from_name(name, &kind) || cet_testproblem_init(&tp, kind, 0, 0)) {
    return fail();
  }
  double lower[64], upper[64];
  cet_moo_problem p;
  if (cet_testproblem_moo(&tp, 64, lower, upper, &p)) {
    return fail();
  }
  const double ref[3] = {1.1, 1.1, 1.1};
  double seconds = 0, hv_sum = 0;
  double *front = malloc(pop * tp.n_obj * sizeof *front);
  size_t *index = malloc(pop * sizeof *index);
  for (unsigned s = 0; s < seeds; s++) {
    cet_nsga2_parameters par = cet_nsga2_default_parameters();
    par.population = pop;
    par.generations = gen;
    par.seed = s + 1;
    /* the same operators and rates as the pagmo run: every child mutated,
     * per-gene rate 1/n */
    par.mutation_probability = 1;
    par.mutation_rate = 1.0 / (double)tp.n_genes;
    par.truncation = strcmp(truncation, "crowding") == 0 ? CET_NSGA2_TRUNCATE_CROWDING
                                                         : CET_NSGA2_TRUNCATE_ITERATIVE;
    double t0 = bench_cpu_seconds();
    cet_nsga2 *ga = NULL;
    int done = 0;
    if (cet_nsga2_create(&p, &par, &ga) || cet_nsga2_init(ga, NULL, 0)) {
      return fail();
    }
    while (!done) {
      if (cet_nsga2_iterate(ga) || cet_nsga2_test(ga, &done)) {
        return fail();
      }
    }
    seconds += bench_cpu_seconds() - t0;
    size_t count, m = tp.n_obj;
    double hv;
    if (cet_nsga2_front(ga, index, &count)) {
      return fail();
    }
    for (size_t k = 0; k < count; k++) {
      memcpy(front + k * m, cet_nsga2_f(ga) + index[k] * m, m * sizeof *front);
    }
    if (cet_hypervolume(front, count, m, ref, &hv)) {
      return fail();
    }
    hv_sum += hv;
    cet_nsga2_destroy(&ga);
  }
  printf("cetwin nsga2 %s pop=%zu gen=%u seeds=%u truncation=%s seconds_per_run=%.4f "
         "mean_hv=%.6f\n",
         name, pop, gen, seeds, truncation, seconds / seeds, hv_sum / seeds);
  free(front);
  free(index);
  return 0;
}

static int run_ndsort(size_t n, unsigned repeats) {
  double *f = malloc(n * 3 * sizeof *f);
  size_t *index = malloc(n * sizeof *index), *rank = malloc(n * sizeof *rank);
  bench_points(f, n, 3, 0, 12345);
  cet_pareto_workspace *ws = NULL;
  if (cet_pareto_workspace_create(&ws)) {
    return fail();
  }
  double best_filter = 1e300, best_sort = 1e300;
  size_t count = 0, nfronts = 0;
  for (unsigned r = 0; r < repeats; r++) {
    double t0 = bench_cpu_seconds();
    if (cet_pareto_filter(ws, f, n, 3, index, &count)) {
      return fail();
    }
    double t1 = bench_cpu_seconds();
    if (cet_pareto_sort(ws, f, NULL, n, 3, rank, &nfronts)) {
      return fail();
    }
    double t2 = bench_cpu_seconds();
    best_filter = t1 - t0 < best_filter ? t1 - t0 : best_filter;
    best_sort = t2 - t1 < best_sort ? t2 - t1 : best_sort;
  }
  printf("cetwin ndfilter n=%zu front0=%zu seconds=%.6f\n", n, count, best_filter);
  printf("cetwin ndsort n=%zu fronts=%zu seconds=%.6f\n", n, nfronts, best_sort);
  cet_pareto_workspace_destroy(&ws);
  free(f);
  free(index);
  free(rank);
  return 0;
}

static int run_hv(size_t n, int sphere, unsigned repeats) {
  double *f = malloc(n * 3 * sizeof *f);
  bench_points(f, n, 3, sphere, 777);
  const double ref[3] = {1.1, 1.1, 1.1};
  double best = 1e300, hv = 0;
  for (unsigned r = 0; r < repeats; r++) {
    double t0 = bench_cpu_seconds();
    if (cet_hypervolume(f, n, 3, ref, &hv)) {
      return fail();
    }
    double t = bench_cpu_seconds() - t0;
    best = t < best ? t : best;
  }
  printf("cetwin hv3d n=%zu points=%s seconds=%.6f hv=%.12f\n", n, sphere ? "sphere" : "uniform",
         best, hv);
  free(f);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 7 && strcmp(argv[1], "nsga2") == 0) {
    return run_nsga2(argv[2], (size_t)atol(argv[3]), (unsigned)atoi(argv[4]),
                     (unsigned)atoi(argv[5]), argv[6]);
  }
  if (argc >= 4 && strcmp(argv[1], "ndsort") == 0) {
    return run_ndsort((size_t)atol(argv[2]), (unsigned)atoi(argv[3]));
  }
  if (argc >= 5 && strcmp(argv[1], "hv") == 0) {
    return run_hv((size_t)atol(argv[2]), strcmp(argv[3], "sphere") == 0, (unsigned)atoi(argv[4]));
  }
  fprintf(stderr, "usage: bench_cetwin nsga2 zdt1|dtlz2 POP GEN SEEDS crowding|iterative | "
                  "ndsort N REPEATS | hv N uniform|sphere REPEATS\n");
  return 1;
}
