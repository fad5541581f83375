/*
 * bench_islands.c — wall time of NSGA-II islands over MPI (islands.h) on
 * ZDT1 or DTLZ2: I islands of POP individuals for GEN generations, ring
 * migration of 5 every 10 generations, on however many ranks mpirun starts.
 * Every repeat is timed from a barrier before the initial population to the
 * slowest rank's end of the last generation (MPI_Wtime); the hypervolume of
 * the gathered front (reference 1.1) shows the work is the same. Operators
 * and rates as in bench_cetwin.c (every child mutated, per-gene rate 1/n,
 * iterative truncation).
 *
 * Usage: mpirun -n P bench_islands zdt1|dtlz2 POP GEN ISLANDS REPEATS
 * Prints one line per repeat and a summary line with the best, median and
 * worst wall time (rank 0).
 */
#include "cetwin/error.h"
#include "cetwin/hypervolume.h"
#include "cetwin/islands.h"
#include "cetwin/testproblems.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_GENES = 64, MAX_REPEATS = 100 };

static int fail(void) {
  cet_error_print(stderr, 1);
  MPI_Abort(MPI_COMM_WORLD, 2);
  return 2;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 6) {
    if (rank == 0) {
      fprintf(stderr, "usage: mpirun -n P bench_islands zdt1|dtlz2 POP GEN ISLANDS REPEATS\n");
    }
    MPI_Finalize();
    return 1;
  }
  cet_testproblem_kind kind;
  cet_testproblem tp;
  if (cet_testproblem_kind_from_name(argv[1], &kind) || cet_testproblem_init(&tp, kind, 0, 0)) {
    return fail();
  }
  size_t pop = (size_t)atol(argv[2]), islands = (size_t)atol(argv[4]);
  unsigned gen = (unsigned)atoi(argv[3]), repeats = (unsigned)atoi(argv[5]);
  repeats = repeats > MAX_REPEATS ? MAX_REPEATS : repeats;
  double lower[MAX_GENES], upper[MAX_GENES], seconds[MAX_REPEATS];
  cet_moo_problem p;
  if (cet_testproblem_moo(&tp, MAX_GENES, lower, upper, &p)) {
    return fail();
  }
  cet_nsga2_parameters par = cet_nsga2_default_parameters();
  par.population = pop;
  par.generations = gen;
  par.mutation_probability = 1;
  par.mutation_rate = 1.0 / (double)tp.n_genes;
  par.seed = 1;
  cet_islands_parameters ip = cet_islands_default_parameters();
  ip.islands = islands;
  const double ref[3] = {1.1, 1.1, 1.1};
  for (unsigned r = 0; r < repeats; r++) {
    cet_islands *isl = NULL;
    if (cet_islands_create(MPI_COMM_WORLD, &p, &par, &ip, &isl)) {
      return fail();
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    int done = 0;
    if (cet_islands_init(isl)) {
      return fail();
    }
    while (!done) {
      if (cet_islands_iterate(isl) || cet_islands_test(isl, &done)) {
        return fail();
      }
    }
    double mine = MPI_Wtime() - t0, slowest = 0;
    MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    size_t count;
    double *x, *f, *g, hv = 0;
    if (cet_islands_gather_front(isl, 0, &count, &x, &f, &g)) {
      return fail();
    }
    if (rank == 0) {
      if (cet_hypervolume(f, count, tp.n_obj, ref, &hv)) {
        return fail();
      }
      seconds[r] = slowest;
      printf("cetwin islands problem=%s islands=%zu ranks=%d pop=%zu gen=%u wall_seconds=%.4f "
             "front=%zu hv=%.6f\n",
             argv[1], islands, size, pop, gen, slowest, count, hv);
      fflush(stdout);
    }
    free(x);
    free(f);
    free(g);
    cet_islands_destroy(&isl);
  }
  if (rank == 0 && repeats > 0) {
    qsort(seconds, repeats, sizeof *seconds, compare);
    printf("cetwin islands problem=%s islands=%zu ranks=%d best=%.4f median=%.4f worst=%.4f\n",
           argv[1], islands, size, seconds[0], seconds[repeats / 2], seconds[repeats - 1]);
  }
  MPI_Finalize();
  return 0;
}
