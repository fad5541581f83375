/*
 * sensitivity_report.c — the header of a sensitivity run (factors, groups,
 * methods and their cost) printed by rank 0, and /sensitivity/factors,
 * /sensitivity/metrics (their units and share flags) and the group's
 * attributes written (see docs/hdf5-schema.md).
 */
#include "sensitivity_impl.h"

#include "report.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_LEN = 256, SHORT_LEN = 32, NAME_MIN_WIDTH = 26, NAME_MAX_WIDTH = 48 };

static const char *const GROUP = "/sensitivity";

/* The range of a factor as a user reads it. */
static void describe_range(const cet_sensitivity_spec *s, const cet_factor *f, char *buf,
                           size_t len) {
  char a[SHORT_LEN], b[SHORT_LEN];
  switch (f->kind) {
  case CET_FACTOR_VALUE:
    snprintf(buf, len, "%.4g .. %.4g", f->low, f->high);
    break;
  case CET_FACTOR_SCALE:
    cet_format_percent(f->low, 1, a, sizeof a);
    cet_format_percent(f->high, 1, b, sizeof b);
    snprintf(buf, len, "%s .. %s", a, b);
    break;
  case CET_FACTOR_DISTRIBUTION:
    snprintf(buf, len, "%s, P%.3g .. P%.3g = %.4g .. %.4g",
             cet_distribution_kind_name(cet_distribution_kind(f->dist)), 100 * s->quantile_low,
             100 * s->quantile_high, f->oat_low, f->oat_high);
    break;
  case CET_FACTOR_PRICES:
    snprintf(buf, len, "forecast bands (%zu series)", f->n_series);
    break;
  }
}

/* What a factor moves. */
static void describe_targets(const cet_twin *t, const cet_factor *f, char *buf, size_t len) {
  if (f->kind == CET_FACTOR_PRICES) {
    size_t at = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < f->n_series && at < len; c++) {
      at += (size_t)snprintf(buf + at, len - at, "%s%s", c ? ", " : "",
                             cet_twin_price_name(t, f->series[c]));
    }
  } else if (f->n_slots == 1) {
    snprintf(buf, len, "%s", f->paths[0]);
  } else {
    snprintf(buf, len, "%zu parameters (%s, ...)", f->n_slots, f->paths[0]);
  }
}

void cet_drv_sa_print_factors(const cet_sensitivity_spec *s, const cet_twin *t, FILE *out) {
  char text[TEXT_LEN], range[TEXT_LEN];
  size_t k = s->n_factors;
  int width = cet_drv_sa_name_width((const char *const *)s->groups.name, s->groups.n);
  fprintf(out, "  %-*s %-12s %-32s %s\n", width, "factor", "kind", "range", "moves");
  for (size_t i = 0; i < k; i++) {
    const cet_factor *f = &s->factors[i];
    describe_range(s, f, range, sizeof range);
    describe_targets(t, f, text, sizeof text);
    fprintf(out, "  %-*s %-12s %-32s %s\n", width, f->name, cet_factor_kind_name(f->kind), range,
            text);
  }
  for (size_t g = 0; g < s->groups.n; g++) {
    size_t members = 0;
    for (size_t i = 0; i < k; i++) {
      members += s->factors[i].group == g;
    }
    if (members > 1) {
      fprintf(out, "  group %s:", s->groups.name[g]);
      for (size_t i = 0; i < k; i++) {
        if (s->factors[i].group == g) {
          fprintf(out, " %s", s->factors[i].name);
        }
      }
      fprintf(out, "\n");
    }
  }
}

static void print_header(const cet_drv_sa_run *r, FILE *out) {
  const cet_case *c = r->c;
  const cet_sensitivity_spec *s = r->s;
  char text[TEXT_LEN];
  fprintf(out, "cetwin sensitivity: case '%s'%s%s\n", c->name, c->description[0] ? " - " : "",
          c->description);
  cet_names_join(&s->metrics, text, sizeof text);
  fprintf(out, "  %zu factors in %zu groups; metrics: %s\n", r->k, s->groups.n, text);
  cet_drv_print_parallel(out, r->ctx->size, r->threads, "points in blocks over the ranks",
                         (long long)c->seed);
  cet_drv_sa_print_factors(s, r->twin, out);
  if (s->count > 0) {
    fprintf(out, "  shard: points %llu .. %llu\n", (unsigned long long)s->first,
            (unsigned long long)(s->first + s->count - 1));
  }
  fflush(out);
}

/* /sensitivity/factors: what every factor is and moves. */
static int write_factors(const cet_drv_sa_run *r, cet_result *res) {
  const cet_sensitivity_spec *s = r->s;
  size_t k = r->k;
  const char **names = calloc(k + 1, sizeof *names), **kinds = calloc(k + 1, sizeof *kinds);
  const char **targets = calloc(k + 1, sizeof *targets);
  double *low = calloc(k + 1, sizeof *low), *high = calloc(k + 1, sizeof *high);
  double *oat = calloc(2 * k + 1, sizeof *oat);
  long long *group = calloc(k + 1, sizeof *group);
  char *text = calloc(k + 1, TEXT_LEN);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       names && kinds && targets && low && high && oat && group && text);
  for (size_t i = 0; i < k; i++) {
    const cet_factor *f = &s->factors[i];
    names[i] = f->name;
    kinds[i] = cet_factor_kind_name(f->kind);
    describe_targets(r->twin, f, text + i * TEXT_LEN, TEXT_LEN);
    targets[i] = text + i * TEXT_LEN;
    low[i] = f->low;
    high[i] = f->high;
    oat[2 * i] = f->oat_low;
    oat[2 * i + 1] = f->oat_high;
    group[i] = (long long)f->group;
  }
  static const char *const ENDS[] = {"low", "high"};
  cet_dataset_meta mn = {.description = "names of the factors", .dims = "factor", .labels = 1};
  cet_dataset_meta mk = {.description = "kind: value, scale, distribution or prices",
                         .dims = "factor"};
  cet_dataset_meta mt = {.description = "the parameters or price series a factor moves",
                         .dims = "factor"};
  cet_dataset_meta mr = {.units = "1",
                         .description = "range: values (value), relative changes (scale), the "
                                        "distribution's support, band positions (prices)",
                         .dims = "factor"};
  cet_dataset_meta mo = {.units = "1",
                         .description = "the factor's setting at the ends of the tornado",
                         .columns = ENDS,
                         .n_columns = 2,
                         .dims = "factor,end"};
  cet_dataset_meta mg = {
      .units = "1", .description = "index of the factor's group in groups", .dims = "factor"};
  size_t dk[1] = {k}, dk2[2] = {k, 2};
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/factors/name", k, names, &mn));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/factors/kind", k, kinds, &mk));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/factors/moves", k, targets, &mt));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(res, "/sensitivity/factors/low", 1, dk, low, &mr));
  CET_CALL_GOTO(status, done,
                cet_result_write_doubles(res, "/sensitivity/factors/high", 1, dk, high, &mr));
  CET_CALL_GOTO(
      status, done,
      cet_result_write_doubles(res, "/sensitivity/factors/tornado_ends", 2, dk2, oat, &mo));
  CET_CALL_GOTO(status, done,
                cet_result_write_ints(res, "/sensitivity/factors/group", 1, dk, group, &mg));
done:
  free(names);
  free(kinds);
  free(targets);
  free(low);
  free(high);
  free(oat);
  free(group);
  free(text);
  return status;
}

static int write_names(const cet_drv_sa_run *r, cet_result *res) {
  const cet_sensitivity_spec *s = r->s;
  const char **units = calloc(r->nm + 1, sizeof *units);
  CET_CHECK_ALLOC(units);
  for (size_t m = 0; m < r->nm; m++) {
    units[m] = cet_twin_metric_units(r->twin, s->metric_index[m]);
  }
  cet_dataset_meta mm = {.description = "the metrics looked at", .dims = "metric", .labels = 1};
  cet_dataset_meta mu = {.description = "units of each metric", .dims = "metric"};
  cet_dataset_meta mg = {
      .description = "groups of factors (Morris, Sobol')", .dims = "group", .labels = 1};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/metrics", r->nm,
                                         (const char *const *)s->metrics.name, &mm));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/metric_units", r->nm, units, &mu));
  CET_CALL_GOTO(status, done,
                cet_drv_write_shares(res, CET_DRV_SA_SHARE, r->nm, r->share, "metric"));
  CET_CALL_GOTO(status, done,
                cet_result_write_strings(res, "/sensitivity/groups", s->groups.n,
                                         (const char *const *)s->groups.name, &mg));
done:
  free(units);
  return status;
}

static int write_attrs(const cet_drv_sa_run *r, cet_result *res) {
  const cet_sensitivity_spec *s = r->s;
  CET_CALL(cet_result_attr_int(res, GROUP, "seed", (long long)r->c->seed));
  CET_CALL(cet_result_attr_double(res, GROUP, "quantile_low", s->quantile_low));
  CET_CALL(cet_result_attr_double(res, GROUP, "quantile_high", s->quantile_high));
  CET_CALL(cet_result_attr_int(res, GROUP, "shard_first", (long long)s->first));
  CET_CALL(cet_result_attr_int(res, GROUP, "shard_count", (long long)s->count));
  CET_CALL(cet_result_attr_int(res, GROUP, "store_points", s->store_points));
  return CET_OK;
}

int cet_drv_sa_report_setup(const cet_drv_sa_run *r, FILE *out) {
  if (out) {
    print_header(r, out);
  }
  cet_result *res = r->ctx->result;
  if (!res) {
    return CET_OK;
  }
  CET_CALL(write_attrs(r, res));
  CET_CALL(write_factors(r, res));
  CET_CALL(write_names(r, res));
  return CET_OK;
}

int cet_drv_sa_name_width(const char *const *names, size_t n) {
  size_t w = NAME_MIN_WIDTH;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(names[i]);
    w = len > w ? len : w;
  }
  return (int)(w < NAME_MAX_WIDTH ? w : NAME_MAX_WIDTH);
}
