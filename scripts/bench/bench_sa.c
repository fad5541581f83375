/*
 * bench_sa.c — the cost of the sensitivity-analysis library per base row of
 * a Sobol' analysis, to set against the cost of the model points it asks
 * for: the Saltelli design (cet_sobol_design_fill: a 2k-dimensional
 * scrambled Sobol' point and its g + 2 rows), and the accumulation of the
 * estimator sums (cet_sobol_sums_add_block) without and with bootstrap
 * replicates, for 1 and 5 outputs; and the inverse CDFs that map a
 * coordinate to a value (cet_distribution_quantile). One thread; CPU time,
 * the best of --repeat runs (on a shared machine the others measure the
 * neighbours).
 *
 * Usage: bench_sa [--rows N] [--factors K] [--block B] [--replicates R]
 *                 [--repeat M]
 * (defaults N = 65536, K = 10, B = 256, R = 100, M = 5). Not a test: the
 * numbers go to docs/performance.md.
 */
#include "cetwin/distribution.h"
#include "cetwin/error.h"
#include "cetwin/sobol_indices.h"
#include "cetwin/timer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t rows, block;
  size_t factors, replicates, repeat;
} bench_options;

static int parse(int argc, char **argv, bench_options *o) {
  *o = (bench_options){65536, 256, 10, 100, 5};
  for (int i = 1; i + 1 < argc; i += 2) {
    unsigned long long v = strtoull(argv[i + 1], NULL, 10);
    if (strcmp(argv[i], "--rows") == 0) {
      o->rows = v;
    } else if (strcmp(argv[i], "--factors") == 0) {
      o->factors = (size_t)v;
    } else if (strcmp(argv[i], "--block") == 0) {
      o->block = v;
    } else if (strcmp(argv[i], "--replicates") == 0) {
      o->replicates = (size_t)v;
    } else if (strcmp(argv[i], "--repeat") == 0) {
      o->repeat = v > 0 ? (size_t)v : 1;
    } else {
      CET_CHECK(0, CET_ERR_INPUT, "unknown option %s", argv[i]);
    }
  }
  return CET_OK;
}

/* CPU nanoseconds per base row of filling every row of every base row
 * (best of repeat runs). */
static int bench_design(const cet_sobol_design *d, const bench_options *o, double *ns) {
  double *x = malloc(cet_sobol_design_rows(d) * o->factors * sizeof *x), check = 0.0;
  CET_CHECK_ALLOC(x);
  *ns = INFINITY;
  for (size_t rep = 0; rep < o->repeat; rep++) {
    double t0 = cet_timer_cpu();
    for (uint64_t j = 0; j < o->rows; j++) {
      CET_CALL(cet_sobol_design_fill(d, j, x));
      check += x[o->factors];
    }
    *ns = fmin(*ns, (cet_timer_cpu() - t0) / (double)o->rows * 1e9);
  }
  free(x);
  return check > 0.0 ? CET_OK : CET_ERR_RUNTIME;
}

/* CPU nanoseconds per base row of accumulating all blocks of outputs
 * (made-up outputs, the same for every block; best of repeat runs, each
 * into a fresh accumulator), replicates of the first `replicated`
 * outputs. */
static int bench_sums(const bench_options *o, size_t replicates, size_t outputs, size_t replicated,
                      double *ns) {
  cet_sobol_parameters p = cet_sobol_default_parameters();
  p.factors = o->factors;
  p.base_rows = o->rows;
  p.block = o->block;
  p.replicates = replicates;
  p.bootstrap_outputs = replicated;
  cet_sobol_design *d = NULL;
  cet_sobol_block *blk = NULL;
  CET_CALL(cet_sobol_design_create(&d, &p));
  CET_CALL(cet_sobol_block_create(&blk, d, outputs));
  size_t n = o->block * cet_sobol_design_rows(d) * outputs;
  double *y = malloc(n * sizeof *y);
  CET_CHECK_ALLOC(y);
  for (size_t i = 0; i < n; i++) {
    y[i] = 1e6 + (double)((i * 2654435761u) % 1000003);
  }
  *ns = INFINITY;
  for (size_t rep = 0; rep < o->repeat; rep++) {
    cet_sobol_sums *s = NULL;
    CET_CALL(cet_sobol_sums_create(&s, d, outputs));
    double t0 = cet_timer_cpu();
    for (uint64_t b = 0; b * o->block < o->rows; b++) {
      CET_CALL(cet_sobol_sums_add_block(s, blk, b, y));
    }
    *ns = fmin(*ns, (cet_timer_cpu() - t0) / (double)o->rows * 1e9);
    cet_sobol_sums_destroy(&s);
  }
  free(y);
  cet_sobol_block_destroy(&blk);
  cet_sobol_design_destroy(&d);
  return CET_OK;
}

/* CPU nanoseconds per quantile of a distribution (best of repeat runs). */
static int bench_quantile(const cet_distribution_spec *spec, const bench_options *o, double *ns) {
  enum { N = 100000 };
  cet_distribution *dist = NULL;
  CET_CALL(cet_distribution_create(&dist, spec));
  double x, sum = 0.0;
  *ns = INFINITY;
  for (size_t rep = 0; rep < o->repeat; rep++) {
    double t0 = cet_timer_cpu();
    for (int i = 0; i < N; i++) {
      CET_CALL(cet_distribution_quantile(dist, (i + 0.5) / N, &x));
      sum += x;
    }
    *ns = fmin(*ns, (cet_timer_cpu() - t0) / N * 1e9);
  }
  cet_distribution_destroy(&dist);
  return sum != 0.0 ? CET_OK : CET_ERR_RUNTIME;
}

static int run(int argc, char **argv) {
  bench_options o;
  CET_CALL(parse(argc, argv, &o));
  cet_sobol_parameters p = cet_sobol_default_parameters();
  p.factors = o.factors;
  p.base_rows = o.rows;
  p.block = o.block;
  cet_sobol_design *d = NULL;
  CET_CALL(cet_sobol_design_create(&d, &p));
  double ns;
  CET_CALL(bench_design(d, &o, &ns));
  printf("Sobol' design, N = %llu base rows, k = %zu factors, %zu rows each:\n",
         (unsigned long long)o.rows, o.factors, cet_sobol_design_rows(d));
  printf("  design (fill)                          %8.1f ns per base row\n", ns);
  cet_sobol_design_destroy(&d);
  static const size_t outputs[] = {1, 5};
  for (size_t i = 0; i < 2; i++) {
    double plain, boot;
    CET_CALL(bench_sums(&o, 0, outputs[i], 0, &plain));
    CET_CALL(bench_sums(&o, o.replicates, outputs[i], 0, &boot));
    printf("  sums, %zu output(s), no bootstrap         %8.1f ns per base row\n", outputs[i],
           plain);
    printf("  sums, %zu output(s), %zu replicates      %8.1f ns per base row\n", outputs[i],
           o.replicates, boot);
  }
  double one;
  CET_CALL(bench_sums(&o, o.replicates, 5, 1, &one));
  printf("  sums, 5 outputs, %zu replicates of 1      %8.1f ns per base row\n", o.replicates, one);
  printf("  (blocks of %llu base rows)\n", (unsigned long long)o.block);
  cet_distribution_spec spec = cet_distribution_spec_init(CET_DIST_NORMAL);
  spec.sd = 1.0;
  CET_CALL(bench_quantile(&spec, &o, &ns));
  printf("quantile: normal %.1f ns", ns);
  spec = cet_distribution_spec_init(CET_DIST_TRIANGULAR);
  spec.max = 2.0;
  spec.mode = 0.5;
  CET_CALL(bench_quantile(&spec, &o, &ns));
  printf(", triangular %.1f ns", ns);
  spec.kind = CET_DIST_PERT;
  CET_CALL(bench_quantile(&spec, &o, &ns));
  printf(", pert %.1f ns\n", ns);
  return CET_OK;
}

int main(int argc, char **argv) {
  cet_error_install_gsl_handler();
  int status = run(argc, argv);
  if (status != CET_OK) {
    cet_error_print(stderr, 0);
  }
  return cet_exit_code(status);
}
