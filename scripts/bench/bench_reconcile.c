/*
 * bench_reconcile.c — wall and CPU time of the data reconciliation itself
 * (cet_reconcile_run, reconcile.h) on reconcile cases, apart from start-up,
 * reading the case and writing results: the case is read and the twin's
 * steady state computed once, then the reconciliation runs R times and the
 * best and median wall times and CPU times (cet_timer_cpu: on a shared
 * machine the work done, where wall time also counts waiting) are printed
 * with the size of the problem and its outcome (iterations, rank,
 * chi-square, observable flows, the largest balance residual of the
 * reconciled flows relative to the largest flow). It uses only the public
 * API, so the same file builds against an older cetwin
 * (scripts/bench/run_reconcile.py measures the dense method before the
 * sparse one this way).
 *
 * Usage: bench_reconcile [--repeat R] CASE.yaml ...
 * (cases as scripts/bench/reconcile_case.py writes them, or any reconcile
 * case). Not a test: the numbers go to docs/performance.md.
 */
#include "bench_case.h"

#include "cetwin/case.h"
#include "cetwin/config_load.h"
#include "cetwin/drivers.h"
#include "cetwin/error.h"
#include "cetwin/reconcile.h"
#include "cetwin/timer.h"
#include "cetwin/twin.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Largest imbalance of the reconciled component flows over the balanced
 * units (process, splitter, mixer, selector), relative to the largest flow,
 * of the components whose flows in and out of the unit are all determined
 * (not NaN). */
static double balance_residual(const cet_twin *t, const cet_reconcile_result *r) {
  size_t nu = cet_twin_unit_count(t), ne = cet_twin_edge_count(t), nc = r->n_components;
  double *net = calloc(nu * nc + 1, sizeof *net), top = 0.0, worst = 0.0;
  unsigned char *unknown = calloc(nu * nc + 1, 1);
  if (!net || !unknown) {
    free(net);
    free(unknown);
    return NAN;
  }
  for (size_t e = 0; e < ne; e++) {
    size_t from, to;
    const char *outlet;
    cet_twin_edge(t, e, &from, &outlet, &to);
    for (size_t k = 0; k < nc; k++) {
      double x = r->flow[e * nc + k];
      if (isnan(x)) {
        unknown[from * nc + k] = unknown[to * nc + k] = 1;
        continue;
      }
      top = fmax(top, fabs(x));
      net[to * nc + k] += x;
      net[from * nc + k] -= x;
    }
  }
  for (size_t u = 0; u < nu; u++) {
    cet_unit_kind kind = cet_twin_unit_kind(t, u);
    int balanced = kind == CET_UNIT_PROCESS || kind == CET_UNIT_SPLITTER ||
                   kind == CET_UNIT_MIXER || kind == CET_UNIT_SELECTOR;
    for (size_t k = 0; balanced && k < nc; k++) {
      if (!unknown[u * nc + k]) {
        worst = fmax(worst, fabs(net[u * nc + k]));
      }
    }
  }
  free(net);
  free(unknown);
  return top > 0.0 ? worst / top : 0.0;
}

static int bench(const char *path, int repeat) {
  cet_case *c = NULL;
  CET_CALL(bench_load_case(path, &c));
  const cet_twin *t = c->twin;
  cet_twin_workspace *w = NULL;
  double *metrics = NULL, *times = calloc(2 * (size_t)repeat + 1, sizeof *times);
  double *cpu = times ? times + repeat : NULL;
  cet_reconcile_result *r = NULL;
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, t && c->reconcile, CET_ERR_INPUT, "%s is not a reconcile case",
                 path);
  metrics = malloc((cet_twin_metric_count(t) + 1) * sizeof *metrics);
  CET_CHECK_GOTO(status, done, metrics && times, CET_ERR_MEMORY, "out of memory");
  CET_CALL_GOTO(status, done, cet_twin_workspace_create(t, &w));
  CET_CALL_GOTO(status, done, cet_twin_evaluate(t, cet_twin_parameter_defaults(t), w, metrics));
  for (int k = 0; k < repeat; k++) {
    cet_reconcile_result_destroy(&r);
    double started = cet_timer_now(), cpu_started = cet_timer_cpu();
    CET_CALL_GOTO(status, done,
                  cet_reconcile_run(t, c->reconcile, cet_twin_workspace_edge_flows(w), &r));
    times[k] = cet_timer_now() - started;
    cpu[k] = cet_timer_cpu() - cpu_started;
  }
  qsort(times, (size_t)repeat, sizeof *times, compare_doubles);
  qsort(cpu, (size_t)repeat, sizeof *cpu, compare_doubles);
  size_t observable = 0;
  for (size_t i = 0; i < r->n_streams * r->n_components; i++) {
    observable += (size_t)r->flow_observable[i];
  }
  const char *base = strrchr(path, '/');
  printf("%-34s streams %5zu components %2zu measurements %5zu  best %9.4f s  median %9.4f s  "
         "cpu best %9.4f s  median %9.4f s  "
         "iterations %2zu rank %5zu chi2 %.10g observable flows %5zu balance %.1e\n",
         base ? base + 1 : path, r->n_streams, r->n_components, r->n_measures, times[0],
         times[repeat / 2], cpu[0], cpu[repeat / 2], r->iterations, r->rank, r->chi_square,
         observable, balance_residual(t, r));
  fflush(stdout);
done:
  cet_reconcile_result_destroy(&r);
  cet_twin_workspace_destroy(&w);
  free(metrics);
  free(times);
  cet_case_destroy(&c);
  return status;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  int repeat = 3, status = CET_OK;
  for (int i = 1; i < argc && status == CET_OK; i++) {
    if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = atoi(argv[++i]);
      repeat = repeat > 0 ? repeat : 1;
    } else {
      status = bench(argv[i], repeat);
    }
  }
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  MPI_Finalize();
  return status == CET_OK ? 0 : 1;
}
