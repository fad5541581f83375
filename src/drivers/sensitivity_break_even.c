/*
 * sensitivity_break_even.c — for every factor, the relative change at
 * which a metric crosses a threshold (NPV = 0 by default), the others at
 * the base: a plan of one point per factor on the sampling engine. A point
 * scans the range of changes (clipped to where the factor's parameters stay
 * valid) on a grid for sign changes of metric - threshold, takes the
 * bracket nearest to the base, and refines it with GSL's Brent solver to
 * the tolerance asked; none is "no crossing within the range". Rank 0
 * prints the break-evens in per cent and writes /sensitivity/break_even.
 */
#include "sensitivity_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Intervals of the scan for a sign change. */
enum { SCAN_INTERVALS = 40 };

enum { TEXT_LEN = 96 };

/* The relative changes where every parameter of f stays valid, within the
 * case's range [lo, hi]: base (1 + c)^p in [plo, phi] for every slot (the
 * setting of a value or distribution factor is base (1 + c) too). */
static void valid_changes(const cet_drv_sa_run *r, const cet_factor *f, double *lo, double *hi) {
  *lo = r->s->oat.be_low;
  *hi = r->s->oat.be_high;
  for (size_t j = 0; j < f->n_slots; j++) {
    double plo = 0.0, phi = 0.0, b = f->base[j];
    int p = f->kind == CET_FACTOR_SCALE ? f->power[j] : 1;
    cet_twin_parameter_range(r->twin, f->slots[j], &plo, &phi);
    if (b == 0.0) {
      continue; /* stays 0 */
    }
    /* the range of 1 + c: [plo / b, phi / b] for p = 1 (swapped for b < 0),
     * its reciprocal for p = -1 (1 + c > 0 there) */
    double a = plo / b, z = phi / b;
    if (b < 0.0) {
      double t = a;
      a = z;
      z = t;
    }
    if (p < 0) {
      double t = a > 0.0 ? 1.0 / a : INFINITY;
      a = z > 0.0 ? 1.0 / z : INFINITY;
      z = t;
    }
    *lo = fmax(*lo, a - 1.0);
    *hi = fmin(*hi, z - 1.0);
  }
}

/* metric - threshold with factor i at relative change c. */
typedef struct {
  const cet_drv_sa_run *r;
  cet_drv_sa_ws *ws;
  size_t i;
  int status; /* the first evaluation that failed */
} crossing;

static double gap(double c, void *arg) {
  crossing *x = arg;
  const cet_drv_sa_run *r = x->r;
  const cet_factor *f = &r->s->factors[x->i];
  memcpy(x->ws->x, r->base, r->k * sizeof *x->ws->x);
  x->ws->x[x->i] = cet_drv_sa_native_at_change(f, c);
  if (!cet_drv_sa_native_valid(r, f, x->ws->x[x->i])) {
    return NAN; /* the rounding at an end of the valid range */
  }
  int status = cet_drv_sa_evaluate(r, x->ws, x->ws->x, NULL, x->ws->metrics);
  if (status != CET_OK) {
    x->status = x->status == CET_OK ? status : x->status;
    return NAN;
  }
  return x->ws->metrics[r->s->oat.be_metric] - r->s->oat.be_threshold;
}

/* Brent's method on [a, b] where gap changes sign. */
static int refine(crossing *x, double a, double b, double *root, double *iterations) {
  const cet_oat_spec *o = &x->r->s->oat;
  gsl_function fn = {gap, x};
  gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  CET_CHECK_ALLOC(solver);
  int solved = gsl_root_fsolver_set(solver, &fn, a, b) == GSL_SUCCESS; /* so far */
  size_t it = 0;
  int test = GSL_CONTINUE;
  while (solved && test == GSL_CONTINUE && it < o->be_iterations) {
    it++;
    solved = gsl_root_fsolver_iterate(solver) == GSL_SUCCESS;
    if (solved) {
      test = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver),
                                    gsl_root_fsolver_x_upper(solver), o->be_tolerance, 0.0);
    }
  }
  *root = gsl_root_fsolver_root(solver);
  *iterations = (double)it;
  gsl_root_fsolver_free(solver);
  CET_CALL(x->status);
  CET_CHECK(solved, CET_ERR_RUNTIME, "Brent's method failed between changes %g and %g", a, b);
  return CET_OK;
}

/* The break-even of factor i into v[CET_DRV_SA_BE_VALUES]. */
static int break_even(const cet_drv_sa_run *r, cet_drv_sa_ws *ws, size_t i, double *v) {
  crossing x = {r, ws, i, CET_OK};
  double lo = 0.0, hi = 0.0;
  valid_changes(r, &r->s->factors[i], &lo, &hi);
  v[CET_DRV_SA_BE_CHANGE] = v[CET_DRV_SA_BE_SETTING] = NAN;
  v[CET_DRV_SA_BE_CROSSINGS] = v[CET_DRV_SA_BE_ITERATIONS] = 0.0;
  v[CET_DRV_SA_BE_LOW] = lo;
  v[CET_DRV_SA_BE_HIGH] = hi;
  if (!(lo < hi)) {
    return CET_OK;
  }
  double best_a = NAN, best_b = NAN, at = NAN, prev_c = lo, prev = gap(lo, &x);
  for (int n = 1; n <= SCAN_INTERVALS; n++) {
    double c = n == SCAN_INTERVALS ? hi : lo + (hi - lo) * n / SCAN_INTERVALS;
    double g = gap(c, &x);
    CET_CALL(x.status);
    if (!isnan(prev) && !isnan(g) && (prev == 0.0 || (prev < 0.0) != (g < 0.0))) {
      v[CET_DRV_SA_BE_CROSSINGS] += 1.0;
      double near = fmin(fabs(prev_c), fabs(c));
      if (isnan(at) || near < at) {
        at = near;
        best_a = prev_c;
        best_b = c;
      }
    }
    prev = g;
    prev_c = c;
  }
  if (isnan(at)) {
    return CET_OK;
  }
  double root = 0.0;
  if (gap(best_a, &x) == 0.0) {
    root = best_a;
  } else {
    CET_CALL(refine(&x, best_a, best_b, &root, &v[CET_DRV_SA_BE_ITERATIONS]));
  }
  const cet_factor *f = &r->s->factors[i];
  v[CET_DRV_SA_BE_CHANGE] = root;
  v[CET_DRV_SA_BE_SETTING] = f->kind != CET_FACTOR_SCALE ? cet_drv_sa_native_at_change(f, root)
                             : f->n_slots == 1           ? cet_factor_scaled(f, 0, root)
                                                         : NAN;
  return CET_OK;
}

static int be_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                       double *const *extras, uint64_t *failed) {
  (void)extras;
  const cet_drv_sa_run *r = model;
  for (size_t d = 0; d < count; d++) {
    *failed = first + d;
    CET_CALL(
        break_even(r, wsp, r->s->oat.factors.index[first + d], values + d * CET_DRV_SA_BE_VALUES));
  }
  return CET_OK;
}

void cet_drv_sa_print_break_even(const cet_drv_sa_break_even_view *v, FILE *out) {
  char threshold[TEXT_LEN], c[TEXT_LEN], a[TEXT_LEN], b[TEXT_LEN];
  cet_format_metric(v->threshold, v->units, v->share, threshold, sizeof threshold);
  fprintf(out,
          "\nBreak-even: the relative change of each factor at which %s = %s (the others at "
          "the base; Brent's method to %g)\n",
          v->metric, threshold, v->tolerance);
  const double *ref = v->reference;
  fprintf(out, "  %-*s %14s", v->name_width, "factor", "change");
  if (ref) {
    fprintf(out, " %14s %9s", "published", "diff");
  }
  fprintf(out, " %14s  %s\n", "setting", "range searched");
  for (size_t i = 0; i < v->n; i++) {
    const double *e = v->table + i * CET_DRV_SA_BE_VALUES;
    cet_format_percent(e[CET_DRV_SA_BE_LOW], 1, a, sizeof a);
    cet_format_percent(e[CET_DRV_SA_BE_HIGH], 1, b, sizeof b);
    char setting[TEXT_LEN] = "-", published[TEXT_LEN] = "-", diff[TEXT_LEN] = "-";
    snprintf(c, sizeof c, "-");
    if (!isnan(e[CET_DRV_SA_BE_CHANGE])) {
      cet_format_percent(e[CET_DRV_SA_BE_CHANGE], 1, c, sizeof c);
    }
    if (!isnan(e[CET_DRV_SA_BE_SETTING])) {
      snprintf(setting, sizeof setting, "%.5g", e[CET_DRV_SA_BE_SETTING]);
    }
    if (ref && !isnan(ref[i])) {
      cet_format_percent(ref[i], 1, published, sizeof published);
    }
    if (ref && !isnan(ref[i]) && !isnan(e[CET_DRV_SA_BE_CHANGE])) {
      snprintf(diff, sizeof diff, "%+.1f pp", 100.0 * (e[CET_DRV_SA_BE_CHANGE] - ref[i]));
    }
    fprintf(out, "  %-*s %14s", v->name_width, v->factor[i], c);
    if (ref) {
      fprintf(out, " %14s %9s", published, diff);
    }
    fprintf(out, " %14s  %s .. %s%s\n", setting, a, b,
            isnan(e[CET_DRV_SA_BE_CHANGE])   ? ": no crossing"
            : e[CET_DRV_SA_BE_CROSSINGS] > 1 ? " (nearest of several crossings)"
                                             : "");
  }
  if (ref && v->source && v->source[0]) {
    fprintf(out, "  published: %s\n", v->source);
  }
  fflush(out);
}

/* The table of the run's break-evens v. */
static int print_break_even(const cet_drv_sa_run *r, const double *v, FILE *out) {
  const cet_oat_spec *o = &r->s->oat;
  const char **names = malloc((o->factors.n + 1) * sizeof *names);
  CET_CHECK_ALLOC(names);
  for (size_t i = 0; i < o->factors.n; i++) {
    names[i] = r->s->factors[o->factors.index[i]].name;
  }
  cet_drv_sa_break_even_view view = {.metric = r->s->metrics.name[o->be_metric],
                                     .units = r->units[o->be_metric],
                                     .share = (int)r->share[o->be_metric],
                                     .threshold = o->be_threshold,
                                     .tolerance = o->be_tolerance,
                                     .name_width = r->name_width,
                                     .n = o->factors.n,
                                     .factor = names,
                                     .table = v,
                                     .reference = o->be_reference,
                                     .source = o->be_source};
  cet_drv_sa_print_break_even(&view, out);
  free(names);
  return CET_OK;
}

static int write_break_even(const cet_drv_sa_run *r, const double *v, cet_result *res) {
  const cet_oat_spec *o = &r->s->oat;
  static const char *const COLUMNS[CET_DRV_SA_BE_VALUES] = {
      "change", "setting", "crossings", "iterations", "range_low", "range_high"};
  cet_dataset_meta m = {.units = "1",
                        .description = "per factor: the relative change where the metric "
                                       "crosses the threshold (NaN: no crossing in the range), "
                                       "the factor's value there (its parameter's for a scale "
                                       "factor of one parameter, NaN for several), the sign "
                                       "changes seen, Brent's iterations, the range of changes "
                                       "searched",
                        .columns = COLUMNS,
                        .n_columns = CET_DRV_SA_BE_VALUES,
                        .dims = "factor,column"};
  size_t dims[2] = {o->factors.n, CET_DRV_SA_BE_VALUES};
  const char *g = "/sensitivity/break_even";
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/break_even/table", 2, dims, v, &m));
  if (o->be_reference) {
    cet_dataset_meta mr = {.units = "1",
                           .description = "the published break-even of each factor (relative "
                                          "change; NaN: none), from the case's "
                                          "oat.break_even.reference",
                           .dims = "factor"};
    CET_CALL(cet_result_write_doubles(res, "/sensitivity/break_even/reference", 1, dims,
                                      o->be_reference, &mr));
    CET_CALL(cet_result_attr_string(res, "/sensitivity/break_even/reference", "source",
                                    o->be_source ? o->be_source : ""));
  }
  CET_CALL(cet_result_attr_string(res, g, "metric", r->s->metrics.name[o->be_metric]));
  CET_CALL(cet_result_attr_double(res, g, "threshold", o->be_threshold));
  CET_CALL(cet_result_attr_double(res, g, "tolerance", o->be_tolerance));
  return CET_OK;
}

int cet_drv_sa_break_even(cet_drv_sa_run *r) {
  cet_engine_problem p = {.model = r,
                          .n_values = CET_DRV_SA_BE_VALUES,
                          .batch = 1,
                          .workspace_create = cet_drv_sa_ws_create,
                          .workspace_destroy = cet_drv_sa_ws_destroy,
                          .evaluate = be_evaluate};
  cet_engine_settings s;
  CET_CALL(cet_drv_sa_settings(r, 0, r->s->oat.factors.n, "break-even", 0, &s));
  s.block = 1;
  double *v = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_drv_sa_rows(r, &p, s, &v, NULL));
  if (r->ctx->rank == 0 && r->ctx->summary) {
    CET_CALL_GOTO(status, done, print_break_even(r, v, r->ctx->summary));
  }
  if (r->ctx->rank == 0 && r->ctx->result) {
    CET_CALL_GOTO(status, done, write_break_even(r, v, r->ctx->result));
  }
done:
  free(v);
  return cet_collective_status(status, r->ctx->comm);
}
