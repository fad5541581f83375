/*
 * bench_nsga3.c — NSGA-III against NSGA-II on DTLZ1 or DTLZ2 with M
 * objectives on the same budget: the population of Deb & Jain (2014) for
 * M (the reference points' count rounded up to a multiple of 4: 92, 212,
 * 156 for M = 3, 5, 8, or as given), the same generations, operators and
 * seeds (SBX with probability 1 and eta_c = 30, polynomial mutation with
 * eta_m = 20 of every offspring, 1/n per gene; -p P mutates an offspring
 * with probability P instead, e.g. -p 0.9 for pymoo's default). For each
 * algorithm: CPU seconds per run (the whole run, evaluations included; one
 * thread) and the IGD of the final non-dominated points against the
 * reference points mapped to the true front (testproblems.h), best,
 * median and worst over the seeds.
 *
 * Usage: bench_nsga3 [-p P] dtlz1|dtlz2 M GEN SEEDS [POP]
 * Prints one line per algorithm:
 *   cetwin <algorithm> <problem> M=.. pop=.. gen=.. seeds=.. pm=.. seconds=<median>
 *   igd=<best>/<median>/<worst>
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt */
#include "bench_points.h"
#include "cetwin/error.h"
#include "cetwin/nsga2.h"
#include "cetwin/refpoints.h"
#include "cetwin/testproblems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_SEEDS = 101 };

static int fail(void) {
  cet_error_print(stderr, 1);
  return 2;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct {
  cet_testproblem tp;
  cet_moo_problem problem;
  size_t outer, inner, H;
  double *targets; /* H x M */
} bench;

/* One run: CPU seconds and IGD. */
static int run(const bench *b, cet_nsga2_parameters par, double *seconds, double *igd) {
  size_t m = b->tp.n_obj, N = par.population, count = 0;
  size_t *index = malloc(N * sizeof *index);
  double *front = malloc(N * m * sizeof *front);
  cet_nsga2 *ga = NULL;
  int status = CET_OK;
  double t0 = bench_cpu_seconds();
  CET_CHECK_GOTO(status, out, index && front, CET_ERR_MEMORY, "out of memory");
  CET_CALL_GOTO(status, out, cet_nsga2_create(&b->problem, &par, &ga));
  CET_CALL_GOTO(status, out, cet_nsga2_init(ga, NULL, 0));
  CET_CALL_GOTO(status, out, cet_nsga2_solve(ga));
  *seconds = bench_cpu_seconds() - t0;
  CET_CALL_GOTO(status, out, cet_nsga2_front(ga, index, &count));
  for (size_t k = 0; k < count; k++) {
    memcpy(front + k * m, cet_nsga2_f(ga) + index[k] * m, m * sizeof *front);
  }
  CET_CALL_GOTO(status, out, cet_testproblem_igd(b->targets, b->H, front, count, m, igd));
out:
  cet_nsga2_destroy(&ga);
  free(index);
  free(front);
  return status;
}

static int usage(void) {
  fprintf(stderr, "usage: bench_nsga3 [-p P] dtlz1|dtlz2 M GEN SEEDS [POP]\n");
  return 1;
}

int main(int argc, char **argv) {
  double mutation = 1; /* probability that an offspring is mutated */
  for (int opt; (opt = getopt(argc, argv, "p:")) != -1;) {
    char *end = NULL;
    mutation = opt == 'p' ? strtod(optarg, &end) : -1;
    if (!end || *end || !(mutation >= 0 && mutation <= 1)) {
      return usage();
    }
  }
  argc -= optind - 1;
  argv += optind - 1;
  if (argc < 5) {
    return usage();
  }
  bench b = {0};
  cet_testproblem_kind kind;
  size_t m = (size_t)atol(argv[2]);
  unsigned long gen = strtoul(argv[3], NULL, 10), seeds = strtoul(argv[4], NULL, 10);
  if (seeds < 1 || seeds > MAX_SEEDS) {
    fprintf(stderr, "SEEDS must lie in [1, %d]\n", MAX_SEEDS);
    return 1;
  }
  if (cet_testproblem_kind_from_name(argv[1], &kind) || cet_testproblem_init(&b.tp, kind, 0, m)) {
    return fail();
  }
  /* Deb & Jain's divisions: 12 (M = 3), 6 (5), 3 + 2 (8), or automatic */
  b.outer = m == 3 ? 12 : m == 5 ? 6 : m == 8 ? 3 : 0;
  b.inner = m == 8 ? 2 : 0;
  if (b.outer == 0 &&
      cet_refpoints_automatic(m, argc > 5 ? (size_t)atol(argv[5]) : 100, &b.outer, &b.inner)) {
    return fail();
  }
  if (cet_refpoints_layers_count(m, b.outer, b.inner, &b.H)) {
    return fail();
  }
  size_t pop = argc > 5 ? (size_t)atol(argv[5]) : (b.H + 3) / 4 * 4;
  double *z = malloc(b.H * m * sizeof *z), lower[64], upper[64];
  b.targets = malloc(b.H * m * sizeof *b.targets);
  if (!z || !b.targets || cet_refpoints_fill(m, b.outer, b.inner, z) ||
      cet_testproblem_targets(&b.tp, z, b.H, b.targets) ||
      cet_testproblem_moo(&b.tp, 64, lower, upper, &b.problem)) {
    return fail();
  }
  static const char *const names[] = {"nsga3", "nsga2-iterative", "nsga2-crowding"};
  for (int a = 0; a < 3; a++) {
    double sec[MAX_SEEDS], igd[MAX_SEEDS];
    for (unsigned long s = 0; s < seeds; s++) {
      cet_nsga2_parameters par = cet_nsga2_default_parameters();
      par.population = pop;
      par.generations = gen;
      par.seed = s + 1;
      par.crossover_probability = 1;
      par.eta_c = 30;
      par.mutation_probability = mutation;
      par.eta_m = 20;
      par.algorithm = a == 0 ? CET_MOO_NSGA3 : CET_MOO_NSGA2;
      par.divisions = b.outer;
      par.inner_divisions = b.inner;
      par.truncation = a == 2 ? CET_NSGA2_TRUNCATE_CROWDING : CET_NSGA2_TRUNCATE_ITERATIVE;
      if (a > 0) {
        par.divisions = par.inner_divisions = 0;
      }
      if (run(&b, par, &sec[s], &igd[s])) {
        return fail();
      }
    }
    qsort(sec, seeds, sizeof *sec, by_value);
    qsort(igd, seeds, sizeof *igd, by_value);
    printf("cetwin %s %s M=%zu pop=%zu gen=%lu seeds=%lu pm=%g seconds=%.3f "
           "igd=%.4e/%.4e/%.4e\n",
           names[a], argv[1], m, pop, gen, seeds, mutation, sec[seeds / 2], igd[0], igd[seeds / 2],
           igd[seeds - 1]);
    fflush(stdout);
  }
  free(z);
  free(b.targets);
  return 0;
}
