/*
 * mc_variables.c — the uncertain variables of a sampler described: printed
 * in the run summary and written to GROUP/variables of the result file
 * (/mc of a Monte Carlo, /optimize/robust of a robust optimisation).
 */
#include "mc_impl.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>

enum { MC_VARIABLES_PATH_LEN = 256 };

void cet_drv_mc_print_uncertain(FILE *out, const cet_uncertain *u, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (u[i].kind == CET_UNCERTAIN_PARAMETER) {
      fprintf(out, "  uncertain %s: %s (mean %.6g, sd %.6g)\n", u[i].path,
              cet_distribution_kind_name(cet_distribution_kind(u[i].dist)),
              cet_distribution_mean(u[i].dist), sqrt(cet_distribution_variance(u[i].dist)));
    } else {
      fprintf(out, "  uncertain prices (stochastic paths, correlated shocks):");
      for (size_t k = 0; k < u[i].n_prices; k++) {
        fprintf(out, " %s", u[i].prices[k]);
      }
      fprintf(out, "\n");
    }
  }
}

int cet_drv_mc_write_variables(cet_result *r, const char *group, const cet_uncertain *u, size_t n) {
  size_t nv = 0, np = 0;
  for (size_t i = 0; i < n; i++) {
    nv += u[i].kind == CET_UNCERTAIN_PARAMETER;
    np += u[i].n_prices;
  }
  const char **paths = calloc(nv + 1, sizeof *paths), **kinds = calloc(nv + 1, sizeof *kinds);
  const char **prices = calloc(np + 1, sizeof *prices);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, cleanup, paths && kinds && prices);
  static const char *const LEAVES[] = {"path", "kind", "prices"};
  char names[sizeof LEAVES / sizeof LEAVES[0]][MC_VARIABLES_PATH_LEN];
  for (size_t k = 0; k < sizeof LEAVES / sizeof LEAVES[0]; k++) {
    snprintf(names[k], sizeof names[k], "%s/variables/%s", group, LEAVES[k]);
  }
  for (size_t i = 0, v = 0, p = 0; i < n; i++) {
    if (u[i].kind == CET_UNCERTAIN_PARAMETER) {
      paths[v] = u[i].path;
      kinds[v] = "distribution";
      v++;
    }
    for (size_t k = 0; k < u[i].n_prices; k++) {
      prices[p++] = u[i].prices[k]; /* in the order the sampler draws them */
    }
  }
  cet_dataset_meta mp = {
      .description = "key paths of the uncertain parameters", .dims = "variable", .labels = 1};
  cet_dataset_meta mk = {.description = "kind of each variable", .dims = "variable"};
  cet_dataset_meta mpr = {.description = "price series drawn as correlated stochastic paths",
                          .dims = "price",
                          .labels = 1};
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, names[0], nv, paths, &mp));
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, names[1], nv, kinds, &mk));
  CET_CALL_GOTO(status, cleanup, cet_result_write_strings(r, names[2], np, prices, &mpr));
cleanup:
  free(paths);
  free(kinds);
  free(prices);
  return status;
}
