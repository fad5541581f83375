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

/* The choices of the evaluation, as printed and written. */
typedef struct {
  size_t n;
  const char **name, **label, **verdict;
  char *text; /* n x CHOICE_TEXT_LEN: the verdicts */
  long long *chain, *count;
  double *acceptance;
} choices;

static void choices_free(choices *k) {
  free(k->name);
  free(k->label);
  free(k->verdict);
  free(k->text);
  free(k->chain);
  free(k->count);
  free(k->acceptance);
}

/* The chain of each choice unit of s and whether it accepts the inflow. */
static int choices_fill(const cet_drv_simulation *s, choices *k) {
  const cet_twin *t = s->twin;
  size_t *units = NULL, n = 0;
  CET_CALL(choice_units(t, &units, &n));
  k->n = n;
  k->name = malloc((n + 1) * sizeof *k->name);
  k->label = malloc((n + 1) * sizeof *k->label);
  k->verdict = malloc((n + 1) * sizeof *k->verdict);
  k->text = malloc((n + 1) * CHOICE_TEXT_LEN);
  k->chain = malloc((n + 1) * sizeof *k->chain);
  k->count = malloc((n + 1) * sizeof *k->count);
  k->acceptance = malloc((n + 1) * sizeof *k->acceptance);
  double *scratch = malloc((cet_twin_components(t)->n + 1) * sizeof *scratch);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       k->name && k->label && k->verdict && k->text && k->chain && k->count &&
                           k->acceptance && scratch);
  for (size_t i = 0; i < n; i++) {
    size_t u = units[i], c = cet_twin_unit_chain(t, u, s->params);
    char *text = k->text + i * CHOICE_TEXT_LEN;
    k->name[i] = cet_twin_unit_name(t, u);
    k->label[i] = cet_twin_unit_chain_label(t, u, c);
    k->chain[i] = (long long)c + 1;
    k->count[i] = (long long)cet_twin_unit_chain_count(t, u);
    k->acceptance[i] =
        cet_twin_unit_acceptance(t, u, s->params, s->w, scratch, text, CHOICE_TEXT_LEN);
    k->verdict[i] = text;
  }
done:
  free(scratch);
  free(units);
  return status;
}

int cet_drv_simulate_print_choices(const cet_drv_simulation *s, FILE *out) {
  choices k = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, choices_fill(s, &k));
  cet_drv_choices_view v = {.n = k.n,
                            .unit = k.name,
                            .processes = k.label,
                            .verdict = k.verdict,
                            .chain = k.chain,
                            .chains = k.count};
  cet_drv_choices_view_print(&v, out);
  for (size_t i = 0; i < k.n; i++) {
    if (k.acceptance[i] > 0.0) {
      cet_log_warn("simulate: unit '%s': chain %lld (%s) does not accept the unit's inflow "
                   "(%s); the design is infeasible (metric acceptance.%s = %.3g)",
                   k.name[i], k.chain[i], k.label[i], k.verdict[i], k.name[i], k.acceptance[i]);
    }
  }
done:
  choices_free(&k);
  return status;
}

int cet_drv_simulate_write_choices(const cet_drv_simulation *s, cet_result *r) {
  choices k = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, choices_fill(s, &k));
  size_t n = k.n;
  if (n == 0) {
    goto done;
  }
  cet_dataset_meta m = {.description = "flowsheet choice units", .dims = "choice", .labels = 1};
  CET_CALL_GOTO(status, done, cet_result_write_strings(r, "/simulate/choices/unit", n, k.name, &m));
  m = (cet_dataset_meta){.description = "processes of the chain used, joined by '+' as analysis: "
                                        "enumerate prints them",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/simulate/choices/processes", n, k.label, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "number of the chain used (1 = the first that "
                                        "enumeration lists for the unit's nominal feed)",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/simulate/choices/chain", 1, &n, k.chain, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "number of final chains enumerated for the nominal feed",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(r, "/simulate/choices/chains", 1, &n, k.count, &m));
  m = (cet_dataset_meta){.units = "1",
                         .description = "largest distance of a mass fraction outside a window of "
                                        "the chain (0: the chain accepts the inflow)",
                         .dims = "choice"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(r, "/simulate/choices/acceptance", 1, &n, k.acceptance, &m));
  m = (cet_dataset_meta){.description = "whether the chain accepts the inflow, as the summary "
                                        "prints it (the step, component and window when not)",
                         .dims = "choice"};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/simulate/choices/verdict", n, k.verdict, &m));
done:
  choices_free(&k);
  return status;
}
