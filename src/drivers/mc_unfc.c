/*
 * mc_unfc.c — the UNFC economic rating of a Monte Carlo case (user guide:
 * `unfc:`; unfc.h): factor (14) economic viability from the mean NPV, factor
 * (15) economic uncertainty from the pessimistic NPV, and the user-rated
 * factors, combined by the lowest-rating rule. Two readings are reported: the
 * case itself from its draws (mean of npv, and its quantile at
 * unfc.pessimistic_quantile), and each project of unfc.projects from its
 * deterministic scenarios (the NPV with the mean and with the pessimistic
 * price forecast, as Suppes and Heuss-Assbichler 2021 rate them). /mc/unfc keeps what the case's
 * rating needs, so that `cetwin merge` can rate merged shards again.
 */
#include "mc_impl.h"
#include "shards.h"

#include "cetwin/economics.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATING_LEN = 16, MAX_FACTORS = 64 };

static const char *const UNFC = "/mc/unfc";
static const char *const TEXT_SETS[] = {
    "rated",         "viability",   "uncertainty",       "overall",
    "rated_factors", "mean_source", "pessimistic_source"};
static const char *const NUMBER_SETS[] = {"mean_npv", "pessimistic_npv", CET_METRIC_COST_PV};
enum {
  N_TEXT = sizeof TEXT_SETS / sizeof TEXT_SETS[0],
  N_NUMBER = sizeof NUMBER_SETS / sizeof NUMBER_SETS[0]
};
static const char *const PER_RATED = "one per entry of /mc/unfc/rated";

static int combine(cet_drv_mc_rated *x, size_t n, char *const *names,
                   const cet_unfc_rating *factors) {
  cet_unfc_rating all[2 + MAX_FACTORS];
  CET_CHECK(n <= MAX_FACTORS, CET_ERR_INPUT, "UNFC: at most %d user-rated factors, found %zu",
            MAX_FACTORS, n);
  all[0] = x->viability;
  all[1] = x->uncertainty;
  size_t used = 0;
  x->factors[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    all[2 + i] = factors[i];
    char r[RATING_LEN];
    cet_unfc_format(&factors[i], r, sizeof r);
    int w = snprintf(x->factors + used, sizeof x->factors - used, "%s%s %s", i ? ", " : "",
                     names[i], r);
    used += w > 0 && (size_t)w < sizeof x->factors - used ? (size_t)w : 0;
  }
  CET_CALL(cet_unfc_combine(all, 2 + n, &x->overall));
  return CET_OK;
}

static int rate(const cet_unfc_parameters *par, double mean, double pessimistic, double cost,
                cet_drv_mc_rated *x) {
  CET_CALL(cet_unfc_rate_viability(mean, cost, par, &x->viability));
  if (isnan(pessimistic)) {
    CET_CALL(cet_unfc_parse("-", &x->uncertainty));
  } else {
    CET_CALL(cet_unfc_rate_uncertainty(pessimistic, cost, par, &x->uncertainty));
  }
  x->mean_npv = mean;
  x->pessimistic_npv = pessimistic;
  x->cost_pv = cost;
  return CET_OK;
}

static long summary_index(const cet_drv_mc_summary *s, const char *name) {
  for (size_t k = 0; k < s->n_metrics; k++) {
    if (strcmp(s->names[k], name) == 0) {
      return (long)k;
    }
  }
  return -1;
}

int cet_drv_mc_unfc_rate_case(const cet_drv_mc_summary *s, const cet_unfc_parameters *par, double q,
                              size_t n_factors, char *const *names, const cet_unfc_rating *factors,
                              cet_drv_mc_rated *out) {
  long k_npv = summary_index(s, CET_METRIC_NPV), k_cost = summary_index(s, CET_METRIC_COST_PV);
  CET_CHECK(k_npv >= 0 && k_cost >= 0, CET_ERR_INPUT,
            "UNFC rating: the summary needs the metrics %s and %s", CET_METRIC_NPV,
            CET_METRIC_COST_PV);
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "case");
  snprintf(out->mean_source, sizeof out->mean_source, "mean NPV of the draws");
  snprintf(out->pessimistic_source, sizeof out->pessimistic_source, "NPV quantile %g", q);
  const cet_drv_mc_metric_summary *npv = &s->m[k_npv];
  CET_CHECK(!isnan(npv->q_pessimistic), CET_ERR_INPUT,
            "UNFC rating: the pessimistic NPV needs the draws' values (mc.quantiles: true)");
  CET_CALL(rate(par, npv->s.mean, npv->q_pessimistic, s->m[k_cost].s.mean, out));
  CET_CALL(combine(out, n_factors, names, factors));
  return CET_OK;
}

static long scenario_index(const cet_mc_spec *mc, const char *name) {
  for (size_t k = 0; name && k < mc->n_scenarios; k++) {
    if (strcmp(mc->scenarios[k].name, name) == 0) {
      return (long)k;
    }
  }
  return -1;
}

static int rate_project(const cet_mc_spec *mc, const cet_unfc_project *p, const double *npv,
                        const double *cost, cet_drv_mc_rated *x) {
  long m = scenario_index(mc, p->mean), q = scenario_index(mc, p->pessimistic);
  CET_CHECK(m >= 0, CET_ERR_INPUT, "UNFC project %s: no scenario '%s'", p->name, p->mean);
  memset(x, 0, sizeof *x);
  snprintf(x->name, sizeof x->name, "%s", p->name);
  snprintf(x->mean_source, sizeof x->mean_source, "%s", p->mean);
  snprintf(x->pessimistic_source, sizeof x->pessimistic_source, "%s",
           p->pessimistic ? p->pessimistic : "-");
  CET_CALL(rate(&mc->unfc.par, npv[m], q >= 0 ? npv[q] : NAN, cost[m], x));
  CET_CALL(combine(x, p->n_factors, p->factor_name, p->factor));
  return CET_OK;
}

void cet_drv_mc_unfc_print(const cet_drv_mc_rated *x, size_t n, const cet_unfc_parameters *par,
                           const char *currency, FILE *out) {
  fprintf(out,
          "\nUNFC economic rating (E a; \"NPV ~ 0\" = within max(%g, %g x present value of the "
          "costs)):\n",
          par->neutral_absolute, par->neutral_fraction);
  for (size_t i = 0; i < n; i++) {
    char v[RATING_LEN], u[RATING_LEN], o[RATING_LEN];
    cet_unfc_format(&x[i].viability, v, sizeof v);
    cet_unfc_format(&x[i].uncertainty, u, sizeof u);
    cet_unfc_format(&x[i].overall, o, sizeof o);
    char mean[RATING_LEN], pessimistic[RATING_LEN];
    cet_format_quantity(x[i].mean_npv, currency, mean, sizeof mean);
    cet_format_quantity(x[i].pessimistic_npv, currency, pessimistic, sizeof pessimistic);
    fprintf(out, "  %s: (14) %s from %s %s; (15) %s", x[i].name, v, x[i].mean_source, mean, u);
    if (!isnan(x[i].pessimistic_npv)) {
      fprintf(out, " from %s %s", x[i].pessimistic_source, pessimistic);
    }
    fprintf(out, "%s%s -> E a %s\n", x[i].factors[0] ? "; rated: " : "", x[i].factors, o);
  }
}

static int write_factors(cet_result *r, size_t n, char *const *names,
                         const cet_unfc_rating *factors) {
  char(*text)[RATING_LEN] = calloc(n + 1, sizeof *text);
  const char **ratings = calloc(n + 1, sizeof *ratings);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, text && ratings);
  for (size_t i = 0; i < n; i++) {
    cet_unfc_format(&factors[i], text[i], RATING_LEN);
    ratings[i] = text[i];
  }
  cet_dataset_meta mn = {.description = "user-rated factors of the case (unfc.factors)",
                         .dims = "factor"};
  cet_dataset_meta mr = {.description = "their ratings", .dims = "factor"};
  CET_CALL_GOTO(
      status, done,
      cet_result_write_strings(r, "/mc/unfc/case_factors", n, (const char *const *)names, &mn));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(r, "/mc/unfc/case_factor_ratings", n, ratings, &mr));
done:
  free(text);
  free(ratings);
  return status;
}

int cet_drv_mc_unfc_write(cet_result *r, const cet_drv_mc_rated *x, size_t n,
                          const cet_unfc_parameters *par, double q, size_t n_factors,
                          char *const *names, const cet_unfc_rating *factors,
                          const cet_drv_mc_summary *s) {
  long k_npv = summary_index(s, CET_METRIC_NPV);
  const char *currency = k_npv >= 0 ? s->units[k_npv] : "1";
  const char **text = calloc(n + 1, sizeof *text);
  double *num = calloc(n + 1, sizeof *num);
  char(*buf)[3][RATING_LEN] = calloc(n + 1, sizeof *buf);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, text && num && buf);
  static const char *const descriptions[N_TEXT] = {
      "what is rated: 'case' (from the draws), then the projects (from their scenarios)",
      "factor (14) economic viability, from the mean NPV",
      "factor (15) economic uncertainty, from the pessimistic NPV ('-' when there is none)",
      "E a category: the lowest of (14), (15) and the user-rated factors",
      "user-rated factors, as 'name rating, ...'",
      "where the mean NPV comes from",
      "where the pessimistic NPV comes from"};
  static const char *const number_descriptions[N_NUMBER] = {
      "mean NPV (draws) or the NPV of the mean scenario",
      "quantile of the NPV (draws) or the NPV of the pessimistic scenario",
      "present value of the costs that scales the neutral band"};
  for (size_t k = 0; k < N_TEXT; k++) {
    for (size_t i = 0; i < n; i++) {
      const cet_unfc_rating *rt[3] = {&x[i].viability, &x[i].uncertainty, &x[i].overall};
      if (k >= 1 && k <= 3) {
        cet_unfc_format(rt[k - 1], buf[i][k - 1], RATING_LEN);
      }
      text[i] = k == 0   ? x[i].name
                : k <= 3 ? buf[i][k - 1]
                : k == 4 ? x[i].factors
                : k == 5 ? x[i].mean_source
                         : x[i].pessimistic_source;
    }
    char path[64];
    snprintf(path, sizeof path, "%s/%s", UNFC, TEXT_SETS[k]);
    cet_dataset_meta m = {.description = descriptions[k], .dims = "rated", .labels = k == 0};
    CET_CALL_GOTO(status, done, cet_result_write_strings(r, path, n, text, &m));
  }
  for (size_t k = 0; k < N_NUMBER; k++) {
    for (size_t i = 0; i < n; i++) {
      num[i] = k == 0 ? x[i].mean_npv : k == 1 ? x[i].pessimistic_npv : x[i].cost_pv;
    }
    char path[64];
    snprintf(path, sizeof path, "%s/%s", UNFC, NUMBER_SETS[k]);
    cet_dataset_meta m = {
        .units = currency, .description = number_descriptions[k], .dims = "rated"};
    CET_CALL_GOTO(status, done, cet_result_write_doubles(r, path, 1, &n, num, &m));
  }
  CET_CALL_GOTO(status, done, write_factors(r, n_factors, names, factors));
  CET_CALL_GOTO(status, done,
                cet_result_attr_double(r, UNFC, "neutral_fraction", par->neutral_fraction));
  CET_CALL_GOTO(status, done,
                cet_result_attr_double(r, UNFC, "neutral_absolute", par->neutral_absolute));
  CET_CALL_GOTO(status, done, cet_result_attr_double(r, UNFC, "pessimistic_quantile", q));
done:
  free(text);
  free(num);
  free(buf);
  return status;
}

int cet_drv_mc_unfc_report(const cet_mc_spec *mc, const cet_drv_mc_summary *s,
                           const double *scenario_npv, const double *scenario_cost, FILE *out,
                           cet_result *r) {
  const cet_unfc_spec *u = &mc->unfc;
  if (!u->given) {
    return CET_OK;
  }
  size_t n = 1 + u->n_projects;
  cet_drv_mc_rated *x = calloc(n, sizeof *x);
  CET_CHECK_ALLOC(x);
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_drv_mc_unfc_rate_case(s, &u->par, u->pessimistic_quantile, u->n_factors,
                                          u->factor_name, u->factor, &x[0]));
  for (size_t i = 0; i < u->n_projects; i++) {
    CET_CALL_GOTO(status, done,
                  rate_project(mc, &u->projects[i], scenario_npv, scenario_cost, &x[1 + i]));
  }
  if (out) {
    cet_drv_mc_unfc_print(x, n, &u->par, cet_drv_mc_summary_units(s, CET_METRIC_NPV), out);
  }
  if (r) {
    CET_CALL_GOTO(status, done,
                  cet_drv_mc_unfc_write(r, x, n, &u->par, u->pessimistic_quantile, u->n_factors,
                                        u->factor_name, u->factor, s));
  }
done:
  free(x);
  return status;
}

/* ---- reading back (merge) ---- */

void cet_drv_mc_unfc_saved_free(cet_drv_mc_unfc_saved *u) {
  cet_free_strings(u->factor_name, u->n_factors);
  free(u->factor);
  free(u->rated);
  memset(u, 0, sizeof *u);
}

static int read_rated(cet_result_reader *in, cet_drv_mc_unfc_saved *u) {
  char **text[N_TEXT] = {NULL};
  size_t n[N_TEXT] = {0}, rank = 0, dims[3] = {0};
  double *num[N_NUMBER] = {NULL};
  int status = CET_OK;
  char path[64];
  for (size_t k = 0; k < N_TEXT; k++) {
    snprintf(path, sizeof path, "%s/%s", UNFC, TEXT_SETS[k]);
    CET_CALL_GOTO(status, done, cet_result_read_strings(in, path, &n[k], &text[k]));
    CET_CALL_GOTO(status, done, cet_drv_check_shape(path, 1, &n[k], 1, &n[0], PER_RATED));
  }
  for (size_t k = 0; k < N_NUMBER; k++) {
    snprintf(path, sizeof path, "%s/%s", UNFC, NUMBER_SETS[k]);
    CET_CALL_GOTO(status, done, cet_result_read_doubles(in, path, &rank, dims, &num[k]));
    CET_CALL_GOTO(status, done, cet_drv_check_shape(path, rank, dims, 1, &n[0], PER_RATED));
  }
  u->n_rated = n[0];
  u->rated = calloc(n[0] + 1, sizeof *u->rated);
  CET_CHECK_ALLOC_GOTO(status, done, u->rated);
  for (size_t i = 0; i < n[0]; i++) {
    cet_drv_mc_rated *x = &u->rated[i];
    snprintf(x->name, sizeof x->name, "%s", text[0][i]);
    snprintf(x->factors, sizeof x->factors, "%s", text[4][i]);
    snprintf(x->mean_source, sizeof x->mean_source, "%s", text[5][i]);
    snprintf(x->pessimistic_source, sizeof x->pessimistic_source, "%s", text[6][i]);
    cet_unfc_rating *rt[] = {&x->viability, &x->uncertainty, &x->overall};
    for (size_t k = 1; k <= sizeof rt / sizeof rt[0]; k++) {
      int bad = cet_unfc_parse(text[k][i], rt[k - 1]);
      CET_CHECK_GOTO(status, done, bad == CET_OK, bad, "%s/%s: entry %zu", UNFC, TEXT_SETS[k], i);
    }
    x->mean_npv = num[0][i];
    x->pessimistic_npv = num[1][i];
    x->cost_pv = num[2][i];
  }
done:
  for (size_t k = 0; k < N_TEXT; k++) {
    cet_free_strings(text[k], n[k]);
  }
  for (size_t k = 0; k < N_NUMBER; k++) {
    free(num[k]);
  }
  return status;
}

int cet_drv_mc_unfc_read(cet_result_reader *in, cet_drv_mc_unfc_saved *u) {
  memset(u, 0, sizeof *u);
  if (!cet_result_has(in, UNFC)) {
    return CET_OK;
  }
  u->given = 1;
  char **ratings = NULL;
  size_t nr = 0;
  int status = CET_OK;
  CET_CALL_GOTO(
      status, done,
      cet_result_read_attr_double(in, UNFC, "neutral_fraction", &u->par.neutral_fraction));
  CET_CALL_GOTO(
      status, done,
      cet_result_read_attr_double(in, UNFC, "neutral_absolute", &u->par.neutral_absolute));
  CET_CALL_GOTO(status, done, cet_result_read_attr_double(in, UNFC, "pessimistic_quantile", &u->q));
  CET_CALL_GOTO(
      status, done,
      cet_result_read_strings(in, "/mc/unfc/case_factors", &u->n_factors, &u->factor_name));
  CET_CALL_GOTO(status, done,
                cet_result_read_strings(in, "/mc/unfc/case_factor_ratings", &nr, &ratings));
  CET_CALL_GOTO(status, done,
                cet_drv_check_shape("/mc/unfc/case_factor_ratings", 1, &nr, 1, &u->n_factors,
                                    "one per entry of /mc/unfc/case_factors"));
  u->factor = calloc(u->n_factors + 1, sizeof *u->factor);
  CET_CHECK_ALLOC_GOTO(status, done, u->factor);
  for (size_t i = 0; i < nr; i++) {
    int bad = cet_unfc_parse(ratings[i], &u->factor[i]);
    CET_CHECK_GOTO(status, done, bad == CET_OK, bad, "/mc/unfc/case_factor_ratings: entry %zu", i);
  }
  CET_CALL_GOTO(status, done, read_rated(in, u));
done:
  cet_free_strings(ratings, nr);
  if (status != CET_OK) {
    cet_drv_mc_unfc_saved_free(u);
    if (cet_error_code() == CET_OK) {
      cet_error_push(status, __FILE__, __LINE__, __func__, "/mc/unfc: unexpected contents");
    }
  }
  return status;
}
