/*
 * bench_dcf.c — micro-benchmark of the DCF evaluation for the Bollrich
 * CRR1 case (tests/known/bollrich_case.c) with the 7 commodity prices as
 * correlated AR(1) paths (log scale) over the 11 project years, on one
 * thread. Reports draws per second for:
 *   dcf          NPV only, fixed prices (the evaluation alone)
 *   paths+npv    a correlated price draw and the NPV (the Monte Carlo step)
 *   paths+all    the same with IRR and discounted payback
 *   paths+stats  paths+npv with the NPV accumulated in a cet_stats
 * Usage: bench_dcf [DRAWS] [--dump FILE]
 * --dump writes the precomputed cash-flow weights, the AR models and the
 * Cholesky factor as JSON for the NumPy baseline (bench_dcf_numpy.py).
 */
#include "bollrich_case.h"

#include "cetwin/dcf.h"
#include "cetwin/error.h"
#include "cetwin/price.h"
#include "cetwin/rng.h"
#include "cetwin/stats.h"
#include "cetwin/timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { YEAR0 = 2021, N_COMMODITIES = BOLLRICH_N_COMMODITIES, DEFAULT_DRAWS = 2000000 };

/* AR(1) in log scale around the derived mean level: persistence and shock
 * size typical of yearly metal prices (illustrative, not fitted). */
static const double PHI = 0.7;
static const double SIGMA[N_COMMODITIES] = {0.10, 0.20, 0.20, 0.22, 0.35, 0.30, 0.30};

/* Correlation: base metals (Cu, Pb, Zn) 0.6 among themselves, minor metals
 * (Co, Ga, In) 0.4, everything else 0.2. */
static double correlation(int a, int b) {
  if (a == b) {
    return 1.0;
  }
  int base_a = a >= BOLLRICH_CU && a <= BOLLRICH_ZN, base_b = b >= BOLLRICH_CU && b <= BOLLRICH_ZN;
  int minor_a = a >= BOLLRICH_CO, minor_b = b >= BOLLRICH_CO;
  if (base_a && base_b) {
    return 0.6;
  }
  if (minor_a && minor_b) {
    return 0.4;
  }
  return 0.2;
}

typedef struct {
  cet_dcf *dcf;
  cet_dcf_workspace *ws;
  cet_price_model *models[N_COMMODITIES];
  cet_price_set *set;
  cet_price_workspace *pws;
  gsl_rng *rng;
  int horizon;
  size_t ld;
  double *prices;
} bench;

static int setup(bench *b) {
  bollrich_case c;
  bollrich_case_init(&c, BOLLRICH_CRR1);
  CET_CALL(cet_dcf_create(&b->dcf, &c.d, NULL));
  CET_CALL(cet_dcf_workspace_alloc(b->dcf, &b->ws));
  b->horizon = cet_dcf_horizon(b->dcf);
  b->ld = (size_t)b->horizon + 1;
  b->prices = malloc(BOLLRICH_N_PRICES * b->ld * sizeof *b->prices);
  CET_CHECK_ALLOC(b->prices);
  bollrich_fill_prices(b->horizon, BOLLRICH_MEAN, b->prices, b->ld);
  for (int k = 0; k < N_COMMODITIES; k++) {
    double level = bollrich_price_level(k, BOLLRICH_MEAN);
    cet_price_ar_spec spec = {CET_PRICE_LOG, 1, (1.0 - PHI) * log(level), &PHI, SIGMA[k], YEAR0, 1,
                              &level,        1};
    CET_CALL(cet_price_create_ar(&b->models[k], &spec));
  }
  double corr[N_COMMODITIES * N_COMMODITIES];
  for (int i = 0; i < N_COMMODITIES; i++) {
    for (int j = 0; j < N_COMMODITIES; j++) {
      corr[i * N_COMMODITIES + j] = correlation(i, j);
    }
  }
  CET_CALL(cet_price_set_create(&b->set, N_COMMODITIES, (const cet_price_model *const *)b->models,
                                corr));
  CET_CALL(cet_price_workspace_alloc(b->set, YEAR0, b->ld, &b->pws));
  b->rng = cet_rng_alloc();
  CET_CHECK_ALLOC(b->rng);
  return CET_OK;
}

static void teardown(bench *b) {
  gsl_rng_free(b->rng);
  cet_price_workspace_free(&b->pws);
  cet_price_set_destroy(&b->set);
  for (int k = 0; k < N_COMMODITIES; k++) {
    cet_price_destroy(&b->models[k]);
  }
  free(b->prices);
  cet_dcf_workspace_free(&b->ws);
  cet_dcf_destroy(&b->dcf);
}

typedef enum { DCF_ONLY, PATHS_NPV, PATHS_ALL, PATHS_STATS } mode;

static int run(bench *b, mode what, long draws, double *seconds, double *checksum) {
  const uint64_t purpose = cet_rng_purpose("bench_dcf.prices");
  const unsigned want = what == PATHS_ALL ? CET_DCF_WANT_IRR | CET_DCF_WANT_PAYBACK : 0;
  cet_stats *stats = NULL;
  CET_CALL(cet_stats_create(&stats, 0, 0));
  cet_dcf_result r;
  double sum = 0.0;
  double start = cet_timer_now();
  for (long i = 0; i < draws; i++) {
    if (what != DCF_ONLY) {
      cet_rng_stream(b->rng, 1, purpose, (uint64_t)i, 0);
      CET_CALL(cet_price_set_draw(b->set, b->rng, b->pws, b->prices, b->ld));
    }
    CET_CALL(cet_dcf_evaluate(b->dcf, b->prices, b->ld, want, b->ws, &r));
    if (what == PATHS_STATS) {
      CET_CALL(cet_stats_add(stats, r.npv));
    }
    sum += r.npv;
  }
  *seconds = cet_timer_now() - start;
  *checksum = sum / (double)draws;
  cet_stats_destroy(&stats);
  return CET_OK;
}

/* Yearly weights of the price series from the public table: the cash with
 * price c at 1 (others 0) minus the cash with all prices at 0. */
static int dump(const bench *b, const char *path) {
  const size_t ny = b->ld, np = BOLLRICH_N_PRICES;
  cet_dcf_table *t = NULL;
  CET_CALL(cet_dcf_table_alloc(b->dcf, &t));
  double *p = calloc(np * ny, sizeof *p), *fixed = calloc(ny, sizeof *fixed);
  FILE *fp = fopen(path, "w");
  int status = p != NULL && fixed != NULL && fp != NULL ? CET_OK : CET_ERR_RUNTIME;
  if (status == CET_OK) {
    status = cet_dcf_table_fill(b->dcf, p, ny, t);
  }
  if (status == CET_OK) {
    memcpy(fixed, t->net_yearly, ny * sizeof *fixed);
    fprintf(fp, "{\"discount\": [");
    for (size_t y = 0; y < ny; y++) {
      fprintf(fp, "%s%.17g", y ? ", " : "", t->discount_factor[y]);
    }
    fprintf(fp, "],\n \"fixed\": [");
    for (size_t y = 0; y < ny; y++) {
      fprintf(fp, "%s%.17g", y ? ", " : "", fixed[y]);
    }
    fprintf(fp, "],\n \"weight\": [");
    for (size_t c = 0; c < np && status == CET_OK; c++) {
      for (size_t y = 0; y < ny; y++) {
        p[c * ny + y] = 1.0;
      }
      status = cet_dcf_table_fill(b->dcf, p, ny, t);
      fprintf(fp, "%s[", c ? ", " : "");
      for (size_t y = 0; y < ny; y++) {
        fprintf(fp, "%s%.17g", y ? ", " : "", t->net_yearly[y] - fixed[y]);
        p[c * ny + y] = 0.0;
      }
      fprintf(fp, "]");
    }
    fprintf(fp, "],\n \"energy_prices\": [%.17g, %.17g],\n \"phi\": %.17g,\n \"level\": [",
            bollrich_price_level(BOLLRICH_DIESEL, BOLLRICH_MEAN),
            bollrich_price_level(BOLLRICH_ELECTRICITY, BOLLRICH_MEAN), PHI);
    for (int k = 0; k < N_COMMODITIES; k++) {
      fprintf(fp, "%s%.17g", k ? ", " : "", bollrich_price_level(k, BOLLRICH_MEAN));
    }
    fprintf(fp, "],\n \"sigma\": [");
    for (int k = 0; k < N_COMMODITIES; k++) {
      fprintf(fp, "%s%.17g", k ? ", " : "", SIGMA[k]);
    }
    fprintf(fp, "],\n \"correlation\": [");
    for (int i = 0; i < N_COMMODITIES; i++) {
      fprintf(fp, "%s[", i ? ", " : "");
      for (int j = 0; j < N_COMMODITIES; j++) {
        fprintf(fp, "%s%.17g", j ? ", " : "", correlation(i, j));
      }
      fprintf(fp, "]");
    }
    fprintf(fp, "]}\n");
  }
  if (fp != NULL) {
    fclose(fp);
  }
  free(p);
  free(fixed);
  cet_dcf_table_free(&t);
  CET_CHECK(status == CET_OK, CET_ERR_RUNTIME, "cannot write '%s'", path);
  return CET_OK;
}

int main(int argc, char **argv) {
  cet_error_install_gsl_handler();
  long draws = DEFAULT_DRAWS;
  const char *dump_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
      dump_path = argv[++i];
    } else {
      draws = strtol(argv[i], NULL, 10);
    }
  }
  if (draws <= 0) {
    fprintf(stderr, "usage: bench_dcf [DRAWS] [--dump FILE]\n");
    return 1;
  }
  bench b;
  memset(&b, 0, sizeof b);
  int status = setup(&b);
  if (status == CET_OK && dump_path != NULL) {
    status = dump(&b, dump_path);
  }
  const char *names[] = {"dcf", "paths+npv", "paths+all", "paths+stats"};
  printf("Bollrich CRR1, 7 correlated AR(1) log-price paths x %d years, %ld draws, 1 thread\n",
         b.horizon, draws);
  for (int m = DCF_ONLY; status == CET_OK && m <= PATHS_STATS; m++) {
    double seconds, mean_npv;
    status = run(&b, (mode)m, draws, &seconds, &mean_npv);
    if (status == CET_OK) {
      printf("%-12s %10.3g draws/s  (%.1f ns/draw, mean NPV %.2f MEUR)\n", names[m],
             (double)draws / seconds, 1e9 * seconds / (double)draws, mean_npv / 1e6);
    }
  }
  teardown(&b);
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
    return cet_exit_code(status);
  }
  return 0;
}
