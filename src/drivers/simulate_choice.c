/*
 * simulate_choice.c — what simulate reports of the flowsheet choice units
 * of a twin: the chain each uses and whether it accepts the unit's inflow,
 * in the summary (with a warning when a chain does not: the design is
 * infeasible) and in /simulate/choices. Twins without such units print and
 * write nothing here.
 */
#include "simulate_report.h"

#include "cetwin/error.h"
#include "cetwin/log.h"

#include <stdlib.h>

enum { CHOICE_TEXT_LEN = 512 };

/* The flowsheet choice units of t in unit order, *n of them; NULL when none. */
static int choice_units(const cet_twin *t, size_t **units, size_t *n) {
  *units = NULL;
  *n = 0;
  size_t nu = cet_twin_unit_count(t);
  for (size_t u = 0; u < nu; u++) {
    *n += cet_twin_unit_chain_count(t, u) > 0;
  }
  if (*n == 0) {
    return CET_OK;
  }
  *units = malloc(*n * sizeof **units);
  CET_CHECK_ALLOC(*units);
  for (size_t u = 0, i = 0; u < nu; u++) {
    if (cet_twin_unit_chain_count(t, u) > 0) {
      (*units)[i++] = u;
    }
  }
  return CET_OK;
}

int cet_simulate_print_choices(const cet_simulation *s, FILE *out) {
  const cet_twin *t = s->twin;
  size_t *units = NULL, n = 0;
  CET_CALL(choice_units(t, &units, &n));
  if (n == 0) {
    return CET_OK;
  }
  double *scratch = malloc((cet_twin_components(t)->n + 1) * sizeof *scratch);
  if (!scratch) {
    free(units);
    CET_CHECK_ALLOC(NULL);
  }
  fprintf(out, "\nFlowsheet choices:\n");
  for (size_t i = 0; i < n; i++) {
    size_t u = units[i], k = cet_twin_unit_chain(t, u, s->params);
    char text[CHOICE_TEXT_LEN];
    double v = cet_twin_unit_acceptance(t, u, s->params, s->w, scratch, text, sizeof text);
    fprintf(out, "  %-16s chain %zu of %zu: %s; %s\n", cet_twin_unit_name(t, u), k + 1,
            cet_twin_unit_chain_count(t, u), cet_twin_unit_chain_label(t, u, k), text);
    if (v > 0.0) {
      cet_log_warn("simulate: unit '%s': chain %zu (%s) does not accept the unit's inflow "
                   "(%s); the design is infeasible (metric acceptance.%s = %.3g)",
                   cet_twin_unit_name(t, u), k + 1, cet_twin_unit_chain_label(t, u, k), text,
                   cet_twin_unit_name(t, u), v);
    }
  }
  free(scratch);
  free(units);
  return CET_OK;
}

int cet_simulate_write_choices(const cet_simulation *s, cet_result *r) {
  const cet_twin *t = s->twin;
  size_t *units = NULL, n = 0;
  CET_CALL(choice_units(t, &units, &n));
  if (n == 0) {
    return CET_OK;
  }
  size_t nc = cet_twin_components(t)->n;
  const char **name = malloc(n * sizeof *name), **label = malloc(n * sizeof *label);
  long long *chain = malloc(n * sizeof *chain), *count = malloc(n * sizeof *count);
  double *acceptance = malloc(n * sizeof *acceptance),
         *scratch = malloc((nc + 1) * sizeof *scratch);
  int status = name && label && chain && count && acceptance && scratch ? CET_OK : CET_ERR_MEMORY;
  CET_CHECK_GOTO(status, done, status == CET_OK, CET_ERR_MEMORY, "out of memory");
  for (size_t i = 0; i < n; i++) {
    size_t u = units[i], k = cet_twin_unit_chain(t, u, s->params);
    char text[CHOICE_TEXT_LEN];
    name[i] = cet_twin_unit_name(t, u);
    label[i] = cet_twin_unit_chain_label(t, u, k);
    chain[i] = (long long)k + 1;
    count[i] = (long long)cet_twin_unit_chain_count(t, u);
    acceptance[i] = cet_twin_unit_acceptance(t, u, s->params, s->w, scratch, text, sizeof text);
  }
  cet_dataset_meta m = {.description = "flowsheet choice units", .dims = "choice", .labels = 1};
  CET_CALL_GOTO(status, done, cet_result_write_strings(r, "/simulate/choices/unit", n, name, &m));
  m = (cet_dataset_meta){.description = "processes of the chain used, joined by '+' as analysis: "
                                        "enumerate prints them",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/simulate/choices/processes", n, label, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "number of the chain used (1 = the first that "
                                        "enumeration lists for the unit's nominal feed)",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/simulate/choices/chain", 1, &n, chain, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "number of final chains enumerated for the nominal feed",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/simulate/choices/chains", 1, &n, count, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "largest distance of a mass fraction outside a window of "
                                        "the chain (0: the chain accepts the inflow)",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(r, "/simulate/choices/acceptance", 1, &n, acceptance, &m));
done:
  free(name);
  free(label);
  free(chain);
  free(count);
  free(acceptance);
  free(scratch);
  free(units);
  return status;
}
