/*
 * bench_network.c — evaluations per second of network twins: a generated
 * network (by default 50 units, 10 components, 3 recycle loops) and any
 * case files given on the command line (e.g. the SOCRATES twin). Each
 * evaluation sets a few bound parameters (as a Monte Carlo or optimisation
 * driver does), copies the defaults and solves. Reports the serial rate and
 * the rate per thread with every OpenMP thread evaluating, and for twins
 * with recycle loops the serial rate with every loop solved by the dense
 * LU and with every loop solved on its sparsity pattern (the twin's
 * default picks by loop size, par.sparse_loop_min).
 *
 * Usage: bench_network [--units N] [--components C] [--loops L]
 *                      [--loop-length K] [--seconds S] [--write FILE.yaml]
 *                      [CASE.yaml ...]
 * --loop-length K: each train's recycle returns from its process K - 2 to
 * its mixer, a loop of K units (default 5; a train needs K - 1 processes).
 * Not a test: the numbers go to docs/performance.md.
 */
#include "bench_case.h"

#include "cetwin/case.h"
#include "cetwin/drivers.h"
#include "cetwin/config_load.h"
#include "cetwin/error.h"
#include "cetwin/str.h"
#include "cetwin/timer.h"
#include "cetwin/twin.h"

#include <mpi.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int units, components, loops, loop_length;
  double seconds;
  const char *write;
} bench_options;

/* A small deterministic generator for the split factors (numerical recipes LCG). */
static double next_uniform(unsigned long *state) {
  *state = (*state * 1664525UL + 1013904223UL) & 0xffffffffUL;
  return (double)*state / 4294967296.0;
}

/* Writes a network of opt->units units: 3 feeds, 5 sinks (3 markets, a
 * landfill, an export), opt->loops trains each with a mixer and a recycle
 * from its process opt->loop_length - 2 back to the mixer, splitters
 * sending part of a train's product to the next train downstream, and
 * process units for the rest. */
static int generate(const bench_options *opt, cet_strbuf *y) {
  int nc = opt->components, trains = opt->loops > 0 ? opt->loops : 1;
  int splitters = trains + 1, fixed = 3 + 5 + trains + splitters;
  int processes = opt->units - fixed;
  const int recycle_from = opt->loop_length - 2;
  CET_CHECK(opt->loop_length >= 2, CET_ERR_INPUT, "a loop needs at least 2 units, not %d",
            opt->loop_length);
  CET_CHECK(processes >= (recycle_from + 2) * trains, CET_ERR_INPUT,
            "too few units for %d loops of %d units", trains, opt->loop_length);
  unsigned long rng = 12345;
  CET_CALL(cet_strbuf_printf(y, "name: generated-%d-units\nanalysis: simulate\ncomponents: [",
                             opt->units));
  for (int c = 0; c < nc; c++) {
    CET_CALL(cet_strbuf_printf(y, "%sC%d", c ? ", " : "", c));
  }
  CET_CALL(cet_strbuf_printf(y, "]\ncarriers: {electricity: kWh/t, fuel: kWh/t}\n"
                                "network:\n  units:\n"));
  for (int f = 0; f < 3; f++) {
    CET_CALL(
        cet_strbuf_printf(y, "    F%d: {type: feed, flow: %d, composition: {", f, 1000 * (f + 1)));
    for (int c = 0; c < nc; c++) {
      CET_CALL(cet_strbuf_printf(y, "%sC%d: %.17g", c ? ", " : "", c, 1.0 / nc));
    }
    CET_CALL(cet_strbuf_printf(y, "}}\n"));
  }
  const char *sinks[] = {"market0", "market1", "market2", "landfill", "export"};
  const char *kinds[] = {"market", "market", "market", "landfill", "export"};
  for (int s = 0; s < 5; s++) {
    CET_CALL(cet_strbuf_printf(y, "    %s: {type: sink, kind: %s%s}\n", sinks[s], kinds[s],
                               s == 3 ? ", burden: 0.01" : ""));
  }
  int *length = calloc((size_t)trains, sizeof *length);
  CET_CHECK_ALLOC(length);
  for (int p = 0; p < processes; p++) {
    length[p % trains]++;
  }
  for (int t = 0; t < trains; t++) {
    CET_CALL(cet_strbuf_printf(y, "    M%d: {type: mixer}\n", t));
    for (int i = 0; i < length[t]; i++) {
      int recycle = i == recycle_from;
      CET_CALL(cet_strbuf_printf(y, "    P%d_%d:\n      type: process\n      split:\n", t, i));
      for (int c = 0; c < nc; c++) {
        double product = 0.55 + 0.4 * next_uniform(&rng);
        double back = recycle ? 0.3 * next_uniform(&rng) * (1 - product) : 0.0;
        double residue = 1.0 - product - back;
        CET_CALL(cet_strbuf_printf(y, "        C%d: {product: %.17g, residue: %.17g%s", c, product,
                                   residue, recycle ? ", recycle: " : "}\n"));
        if (recycle) {
          CET_CALL(cet_strbuf_printf(y, "%.17g}\n", back));
        }
      }
      CET_CALL(cet_strbuf_printf(y, "      consumption: {electricity: %.3f, fuel: %.3f}\n",
                                 100 + 400 * next_uniform(&rng), 50 * next_uniform(&rng)));
    }
  }
  for (int s = 0; s < splitters; s++) {
    CET_CALL(cet_strbuf_printf(y,
                               "    S%d: {type: splitter, outlets: [stay, move], "
                               "fractions: [0.8, 0.2]}\n",
                               s));
  }
  CET_CALL(cet_strbuf_printf(y, "  streams:\n"));
  for (int f = 0; f < 3; f++) {
    CET_CALL(cet_strbuf_printf(y, "    - {from: F%d, to: M%d}\n", f, f % trains));
  }
  for (int t = 0; t < trains; t++) {
    CET_CALL(cet_strbuf_printf(y, "    - {from: M%d, to: P%d_0}\n", t, t));
    for (int i = 0; i < length[t]; i++) {
      int last = i + 1 == length[t];
      /* the splitter of train t sits after its sixth process (or its last) */
      int split_here = i == (length[t] > 6 ? 5 : length[t] - 2);
      char next[64];
      if (last) {
        snprintf(next, sizeof next, "%s", sinks[t % 3]);
      } else if (split_here) {
        snprintf(next, sizeof next, "S%d", t);
      } else {
        snprintf(next, sizeof next, "P%d_%d", t, i + 1);
      }
      CET_CALL(cet_strbuf_printf(y, "    - {from: P%d_%d.product, to: %s}\n", t, i, next));
      CET_CALL(cet_strbuf_printf(y, "    - {from: P%d_%d.residue, to: landfill}\n", t, i));
      if (i == recycle_from) {
        CET_CALL(cet_strbuf_printf(y, "    - {from: P%d_%d.recycle, to: M%d}\n", t, i, t));
      }
      if (split_here) {
        CET_CALL(cet_strbuf_printf(y, "    - {from: S%d.stay, to: P%d_%d}\n", t, t, i + 1));
        /* part moves to the next train downstream of its loop, or leaves */
        if (t + 1 < trains) {
          CET_CALL(cet_strbuf_printf(y, "    - {from: S%d.move, to: P%d_%d}\n", t, t + 1,
                                     length[t + 1] - 1));
        } else {
          CET_CALL(cet_strbuf_printf(y, "    - {from: S%d.move, to: S%d}\n", t, trains));
        }
      }
    }
  }
  CET_CALL(cet_strbuf_printf(y, "    - {from: S%d.stay, to: export}\n", trains));
  CET_CALL(cet_strbuf_printf(y, "    - {from: S%d.move, to: landfill}\n", trains));
  CET_CALL(cet_strbuf_printf(y, "environment:\n  emission_factors: {electricity: 2.5e-4, "
                                "fuel: 2.7e-4}\n"));
  free(length);
  return CET_OK;
}

/* Binds up to three parameters a driver would vary: the first flow, split
 * factor and splitter fraction found. */
static int bind(const cet_twin *t, cet_binding **b, double *x0, size_t *n) {
  const char *paths[3];
  const char *want[3] = {".flow", ".split.", ".fractions["};
  *n = 0;
  for (size_t k = 0; k < 3; k++) {
    for (size_t i = 0; i < cet_twin_parameter_count(t); i++) {
      if (strstr(cet_twin_parameter_path(t, i), want[k])) {
        paths[*n] = cet_twin_parameter_path(t, i);
        x0[(*n)++] = cet_twin_parameter_defaults(t)[i];
        break;
      }
    }
  }
  return cet_binding_create(t, paths, *n, b);
}

/* Evaluations per second over about `seconds`, each thread with its own
 * workspace; *sink accumulates a metric so nothing is optimised away. */
static double rate(const cet_twin *t, const cet_binding *b, const double *x0, size_t nx,
                   double seconds, int threads, double *sink, int *failures) {
  long total = 0;
  double started = cet_timer_now(), elapsed = 0.0;
  *failures = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total) reduction(+ : failures[0])
  {
    cet_twin_workspace *w = NULL;
    double *m = malloc((cet_twin_metric_count(t) + 1) * sizeof *m);
    double x[3];
    if (cet_twin_workspace_create(t, &w) != CET_OK || !m) {
      failures[0]++;
    } else {
      long done = 0;
      while (cet_timer_now() - started < seconds) {
        for (int k = 0; k < 1000; k++, done++) {
          for (size_t j = 0; j < nx; j++) {
            /* within +-1 % of the default: always a valid value */
            x[j] = x0[j] * (1.0 + 0.01 * (double)((done + (long)j) % 7 - 3) / 3.0);
          }
          failures[0] += cet_twin_evaluate_bound(t, b, x, w, m) != CET_OK;
        }
      }
      total += done;
#pragma omp critical
      *sink += m[0];
    }
    cet_twin_workspace_destroy(&w);
    free(m);
  }
  elapsed = cet_timer_now() - started;
  return (double)total / elapsed;
}

/* Serial rates of c's twin rebuilt with every loop solved densely and with
 * every loop solved on its pattern, the variables bound by b (on c's twin)
 * bound to the same parameters. */
static int bench_loop_solvers(const cet_case *c, const cet_binding *b, const double *x0, size_t nx,
                              double seconds, double *sink) {
  const cet_twin *t = c->twin;
  size_t largest = 0;
  for (size_t l = 0; l < cet_twin_loop_count(t); l++) {
    size_t n = cet_twin_loop_size(t, l);
    largest = n > largest ? n : largest;
  }
  if (largest < 2 || !c->twin_spec) {
    return CET_OK;
  }
  const size_t minimum[2] = {SIZE_MAX, 2}; /* dense, sparse */
  double serial[2] = {0.0, 0.0};
  int status = CET_OK;
  for (int k = 0; k < 2 && status == CET_OK; k++) {
    cet_twin_parameters par = cet_twin_default_parameters();
    par.sparse_loop_min = minimum[k];
    cet_twin *solver = NULL;
    cet_binding *same = NULL;
    status = cet_twin_create(c->twin_spec, &par, &solver);
    const char *paths[3];
    for (size_t j = 0; status == CET_OK && j < nx; j++) {
      paths[j] = cet_twin_parameter_path(t, cet_binding_slot(b, j));
    }
    if (status == CET_OK) {
      status = cet_binding_create(solver, paths, nx, &same);
    }
    int failures = 0;
    if (status == CET_OK) {
      serial[k] = rate(solver, same, x0, nx, seconds, 1, sink, &failures);
      status = failures ? CET_ERR_RUNTIME : CET_OK;
    }
    cet_binding_destroy(&same);
    cet_twin_destroy(&solver);
  }
  if (status == CET_OK) {
    printf("%-28s largest loop %zu units: dense LU %10.0f evaluations/s (%.2f us), sparse "
           "%10.0f (%.2f us); default solver: %s\n",
           "", largest, serial[0], 1e6 / serial[0], serial[1], 1e6 / serial[1],
           largest >= cet_twin_default_parameters().sparse_loop_min ? "sparse" : "dense");
  }
  return status;
}

static int bench(const char *label, const char *path, const bench_options *opt) {
  cet_case *c = NULL;
  CET_CALL(bench_load_case(path, &c));
  const cet_twin *t = c->twin;
  CET_CHECK(t != NULL, CET_ERR_INPUT, "%s is not a network case", path);
  cet_binding *b = NULL;
  double x0[3], sink = 0.0;
  size_t nx = 0;
  int status = bind(t, &b, x0, &nx), failures = 0;
  if (status == CET_OK) {
    int threads = omp_get_max_threads();
    double serial = rate(t, b, x0, nx, opt->seconds, 1, &sink, &failures);
    int f2 = 0;
    double parallel = rate(t, b, x0, nx, opt->seconds, threads, &sink, &f2);
    printf("%-28s units %3zu  streams %3zu  components %2zu  loops %zu  parameters %4zu  "
           "metrics %4zu\n",
           label, cet_twin_unit_count(t), cet_twin_edge_count(t), cet_twin_components(t)->n,
           cet_twin_loop_count(t), cet_twin_parameter_count(t), cet_twin_metric_count(t));
    printf("%-28s serial: %10.0f evaluations/s (%.2f us each); %d threads: %10.0f "
           "evaluations/s = %10.0f per thread%s\n",
           "", serial, 1e6 / serial, threads, parallel, parallel / threads,
           failures + f2 ? "  (FAILURES)" : "");
    status = failures + f2 ? CET_ERR_RUNTIME : CET_OK;
  }
  if (status == CET_OK) {
    status = bench_loop_solvers(c, b, x0, nx, opt->seconds, &sink);
  }
  cet_binding_destroy(&b);
  cet_case_destroy(&c);
  return status;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  bench_options opt = {.units = 50, .components = 10, .loops = 3, .loop_length = 5, .seconds = 2.0};
  int first_case = argc, status = CET_OK;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--units") == 0 && i + 1 < argc) {
      opt.units = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--components") == 0 && i + 1 < argc) {
      opt.components = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--loops") == 0 && i + 1 < argc) {
      opt.loops = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--loop-length") == 0 && i + 1 < argc) {
      opt.loop_length = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      opt.seconds = atof(argv[++i]);
    } else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      opt.write = argv[++i];
    } else {
      first_case = i;
      break;
    }
  }
  cet_strbuf y = {0};
  status = generate(&opt, &y);
  const char *generated = opt.write ? opt.write : "bench_network_generated.yaml";
  if (status == CET_OK) {
    FILE *f = fopen(generated, "w");
    status = f ? CET_OK : CET_ERR_RUNTIME;
    if (f) {
      fputs(y.text, f);
      fclose(f);
    }
  }
  cet_strbuf_free(&y);
  char label[64];
  snprintf(label, sizeof label, "generated (%d units)", opt.units);
  if (status == CET_OK) {
    status = bench(label, generated, &opt);
  }
  for (int i = first_case; i < argc && status == CET_OK; i++) {
    const char *base = strrchr(argv[i], '/');
    status = bench(base ? base + 1 : argv[i], argv[i], &opt);
  }
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  MPI_Finalize();
  return status == CET_OK ? 0 : 1;
}
