/*
 * mc_unfc.c — the UNFC economic rating of a Monte Carlo case (DESIGN.md
 * §2.7, unfc.h): factor (14) economic viability from the mean NPV, factor
 * (15) economic uncertainty from the pessimistic NPV, and the user-rated
 * factors, combined by the lowest-rating rule. Two readings are reported:
 * the case itself from its draws (mean of npv, and its quantile at
 * unfc.pessimistic_quantile), and each project of unfc.projects from its
 * deterministic scenarios (the NPV with the mean and with the pessimistic
 * price forecast, as the seed rates them).
 */
#include "mc_impl.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATING_LEN = 16, FACTORS_LEN = 1024 };

/* One rated project (or the case). */
typedef struct {
  const char *name;
  cet_unfc_rating viability, uncertainty, overall;
  double mean_npv, pessimistic_npv, cost_pv;
  char factors[FACTORS_LEN]; /* "name E3.1a, ..." */
} rated;

static int combine(rated *x, size_t n, char *const *names, const cet_unfc_rating *factors) {
  cet_unfc_rating all[2 + 64];
  CET_CHECK(n <= 64, CET_ERR_INPUT, "UNFC: at most 64 user-rated factors, found %zu", n);
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
                rated *x) {
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

static long summary_index(const mc_summary *s, const char *name) {
  for (size_t k = 0; k < s->n_metrics; k++) {
    if (strcmp(s->names[k], name) == 0) {
      return (long)k;
    }
  }
  return -1;
}

static long scenario_index(const cet_mc_spec *mc, const char *name) {
  for (size_t k = 0; name && k < mc->n_scenarios; k++) {
    if (strcmp(mc->scenarios[k].name, name) == 0) {
      return (long)k;
    }
  }
  return -1;
}

static void print_rated(const rated *x, const char *mean_label, const char *pess_label, FILE *out) {
  char v[RATING_LEN], u[RATING_LEN], o[RATING_LEN];
  cet_unfc_format(&x->viability, v, sizeof v);
  cet_unfc_format(&x->uncertainty, u, sizeof u);
  cet_unfc_format(&x->overall, o, sizeof o);
  fprintf(out, "  %s: (14) %s from %s %.6g; (15) %s", x->name, v, mean_label, x->mean_npv, u);
  if (!isnan(x->pessimistic_npv)) {
    fprintf(out, " from %s %.6g", pess_label, x->pessimistic_npv);
  }
  fprintf(out, "%s%s -> E a %s\n", x->factors[0] ? "; rated: " : "", x->factors, o);
}

static int write_rated(cet_result *r, const rated *x, size_t n, const cet_unfc_spec *u) {
  const char **names = calloc(n + 1, sizeof *names), **text[4];
  double *num = calloc(3 * n + 1, sizeof *num);
  char(*buf)[3][RATING_LEN] = calloc(n + 1, sizeof *buf);
  for (size_t k = 0; k < 4; k++) {
    text[k] = calloc(n + 1, sizeof *text[k]);
  }
  int status =
      names && num && buf && text[0] && text[1] && text[2] && text[3] ? CET_OK : CET_ERR_MEMORY;
  for (size_t i = 0; status == CET_OK && i < n; i++) {
    names[i] = x[i].name;
    cet_unfc_format(&x[i].viability, buf[i][0], RATING_LEN);
    cet_unfc_format(&x[i].uncertainty, buf[i][1], RATING_LEN);
    cet_unfc_format(&x[i].overall, buf[i][2], RATING_LEN);
    for (size_t k = 0; k < 3; k++) {
      text[k][i] = buf[i][k];
    }
    text[3][i] = x[i].factors;
    num[i] = x[i].mean_npv;
    num[n + i] = x[i].pessimistic_npv;
    num[2 * n + i] = x[i].cost_pv;
  }
  if (status == CET_OK) {
    const char *what[] = {"viability", "uncertainty", "overall", "rated_factors"};
    const char *desc[] = {"factor (14) economic viability, from the mean NPV",
                          "factor (15) economic uncertainty, from the pessimistic NPV ('-' when "
                          "there is none)",
                          "E a category: the lowest of (14), (15) and the user-rated factors",
                          "user-rated factors of the case (unfc.factors or the project's)"};
    cet_dataset_meta nm = {.description = "what is rated: 'case' (from the draws), then the "
                                          "projects (from their scenarios)",
                           .dims = "rated"};
    status = cet_result_write_strings(r, "/mc/unfc/rated", n, names, &nm);
    for (size_t k = 0; status == CET_OK && k < 4; k++) {
      char path[64];
      snprintf(path, sizeof path, "/mc/unfc/%s", what[k]);
      cet_dataset_meta m = {.description = desc[k], .dims = "rated"};
      status = cet_result_write_strings(r, path, n, text[k], &m);
    }
    const char *nums[] = {"mean_npv", "pessimistic_npv", "cost_pv"};
    const char *ndesc[] = {"mean NPV (draws) or the NPV of the mean scenario",
                           "quantile of the NPV (draws) or the NPV of the pessimistic scenario",
                           "present value of the costs that scales the neutral band"};
    for (size_t k = 0; status == CET_OK && k < 3; k++) {
      char path[64];
      snprintf(path, sizeof path, "/mc/unfc/%s", nums[k]);
      cet_dataset_meta m = {
          .units = "currency of the twin", .description = ndesc[k], .dims = "rated"};
      status = cet_result_write_doubles(r, path, 1, &n, num + k * n, &m);
    }
  } else {
    cet_error_push(status, __FILE__, __LINE__, __func__, "out of memory");
  }
  if (status == CET_OK) {
    status = cet_result_attr_double(r, "/mc/unfc", "neutral_fraction", u->par.neutral_fraction);
  }
  if (status == CET_OK) {
    status = cet_result_attr_double(r, "/mc/unfc", "neutral_absolute", u->par.neutral_absolute);
  }
  if (status == CET_OK) {
    status = cet_result_attr_double(r, "/mc/unfc", "pessimistic_quantile", u->pessimistic_quantile);
  }
  free(names);
  free(num);
  free(buf);
  for (size_t k = 0; k < 4; k++) {
    free(text[k]);
  }
  return status;
}

int mc_unfc_report(const cet_mc_spec *mc, const mc_summary *s, const double *scenario_npv,
                   const double *scenario_cost, FILE *out, cet_result *r) {
  const cet_unfc_spec *u = &mc->unfc;
  if (!u->given) {
    return CET_OK;
  }
  long k_npv = summary_index(s, "npv"), k_cost = summary_index(s, "cost_pv");
  CET_CHECK(k_npv >= 0 && k_cost >= 0, CET_ERR_INPUT,
            "UNFC rating: the summary needs the metrics npv and cost_pv");
  size_t n = 1 + u->n_projects;
  rated *x = calloc(n, sizeof *x);
  CET_CHECK_ALLOC(x);
  int status = CET_OK;
  x[0].name = "case";
  const mc_metric_summary *npv = &s->m[k_npv];
  status = rate(&u->par, npv->s.mean, npv->q_pessimistic, s->m[k_cost].s.mean, &x[0]);
  if (status == CET_OK) {
    status = combine(&x[0], u->n_factors, u->factor_name, u->factor);
  }
  for (size_t i = 0; status == CET_OK && i < u->n_projects; i++) {
    const cet_unfc_project *p = &u->projects[i];
    long m = scenario_index(mc, p->mean), q = scenario_index(mc, p->pessimistic);
    x[1 + i].name = p->name;
    status =
        rate(&u->par, scenario_npv[m], q >= 0 ? scenario_npv[q] : NAN, scenario_cost[m], &x[1 + i]);
    if (status == CET_OK) {
      status = combine(&x[1 + i], p->n_factors, p->factor_name, p->factor);
    }
  }
  if (status == CET_OK && out) {
    fprintf(out,
            "\nUNFC economic rating (E a; \"NPV ~ 0\" = within max(%g, %g x present value of the "
            "costs)):\n",
            u->par.neutral_absolute, u->par.neutral_fraction);
    char pess[64];
    snprintf(pess, sizeof pess, "NPV quantile %g", u->pessimistic_quantile);
    print_rated(&x[0], "mean NPV", pess, out);
    for (size_t i = 0; i < u->n_projects; i++) {
      print_rated(&x[1 + i], u->projects[i].mean,
                  u->projects[i].pessimistic ? u->projects[i].pessimistic : "-", out);
    }
  }
  if (status == CET_OK && r) {
    status = write_rated(r, x, n, u);
  }
  free(x);
  return status;
}
