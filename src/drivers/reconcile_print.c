/*
 * reconcile_print.c — the summary of a reconciliation printed from its
 * view (reconcile_report.h): the header, the measurements with their
 * adjustments and classes, the tests and the culprit, the reconciled
 * streams.
 */
#include "reconcile_report.h"

#include "cetwin/quantity.h"

#include <math.h>

enum { PRINT_CELL_LEN = 64 };

/* A measured or reconciled value in its units: a fraction (units "1",
 * which only a fraction.COMPONENT measurement has, a share of a stream's
 * mass) as a percentage, a flow scaled (quantity.h). */
static void format_measure(double x, const char *units, char *buf, size_t len) {
  cet_format_metric(x, units, cet_units_dimensionless(units), buf, len);
}

/* What a measurement is: redundant, cannot be improved, set aside. */
static const char *measure_class(const cet_reconcile_result *r, size_t i) {
  if (!r->used[i]) {
    return "set aside";
  }
  return r->redundant[i] ? "redundant" : "cannot be improved";
}

static void print_measurements(const cet_drv_reconcile_view *v, FILE *out) {
  const cet_reconcile_result *r = v->r;
  fprintf(out, "\nMeasurements (fractions as percentages):\n");
  fprintf(out, "  %3s  %-28s %-14s %12s %12s %12s %12s %11s  %s\n", "#", "stream", "quantity",
          "measured", "sd", "reconciled", "sd", "normalised", "class");
  for (size_t i = 0; i < v->n; i++) {
    char z[32];
    if (isnan(r->normalised[i])) {
      snprintf(z, sizeof z, "-");
    } else {
      snprintf(z, sizeof z, "%+.3f", r->normalised[i]);
    }
    const double x[] = {v->measured[i], v->sd[i], r->reconciled[i], r->reconciled_sd[i]};
    char cell[4][PRINT_CELL_LEN];
    for (size_t k = 0; k < 4; k++) {
      format_measure(x[k], v->units[i], cell[k], sizeof cell[k]);
    }
    fprintf(out, "  %3zu  %-28s %-14s %12s %12s %12s %12s %11s  %s%s\n", i + 1, v->stream[i],
            v->quantity[i], cell[0], cell[1], cell[2], cell[3], z, measure_class(r, i),
            (long)i == r->culprit ? "  <- culprit" : "");
  }
}

static void print_tests(const cet_drv_reconcile_view *v, FILE *out) {
  const cet_reconcile_result *r = v->r;
  fprintf(out, "\nTests at alpha = %g:\n", v->alpha);
  if (r->dof == 0) {
    fprintf(out,
            "  global test         not defined: no redundancy (%zu measurements, rank %zu); "
            "the measurements cannot be checked against each other\n",
            r->n_used, r->rank);
  } else {
    fprintf(out,
            "  global test         chi-square %.4g on %zu degree%s of freedom, critical %.4g, "
            "p = %.3g: %s\n",
            r->chi_square, r->dof, r->dof == 1 ? "" : "s", r->chi_critical, r->p_value,
            r->chi_square > r->chi_critical ? "FAILED (a gross error is likely)" : "passed");
  }
  if (isnan(r->z_critical)) {
    fprintf(out, "  measurement test    not defined: no redundant measurement\n");
  } else {
    fprintf(out,
            "  measurement test    critical |normalised adjustment| %.4g (Sidak over the "
            "redundant measurements)\n",
            r->z_critical);
  }
  for (size_t d = 0; d < r->n_dropped; d++) {
    size_t i = r->dropped[d];
    fprintf(out, "  set aside %zu         #%zu %s %s (%s), normalised adjustment %+.3f\n", d + 1,
            i + 1, v->stream[i], v->quantity[i], v->where[i], r->dropped_statistic[d]);
  }
  if (r->culprit >= 0) {
    size_t i = (size_t)r->culprit;
    fprintf(out,
            "  most likely culprit #%ld %s %s (%s): normalised adjustment %+.3f; "
            "reconcile.drop_gross_errors: true sets it aside and reconciles again\n",
            r->culprit + 1, v->stream[i], v->quantity[i], v->where[i], r->normalised[i]);
  } else {
    fprintf(out, "  gross errors        none detected%s\n",
            r->n_dropped ? " among the measurements kept" : "");
  }
}

static void print_streams(const cet_drv_reconcile_view *v, FILE *out) {
  const cet_reconcile_result *r = v->r;
  size_t ne = r->n_streams, nc = r->n_components, n_total = 0, n_flow = 0;
  fprintf(out, "\nReconciled streams:\n");
  fprintf(out, "  %-40s %14s %12s  %s\n", "stream", "total", "sd", "component flows determined");
  for (size_t e = 0; e < ne; e++) {
    size_t known = 0;
    for (size_t k = 0; k < nc; k++) {
      known += (size_t)r->flow_observable[e * nc + k];
    }
    n_flow += known;
    n_total += (size_t)r->total_observable[e];
    if (r->total_observable[e]) {
      char total[PRINT_CELL_LEN], sd[PRINT_CELL_LEN];
      cet_format_quantity(r->total[e], v->flow_units, total, sizeof total);
      cet_format_quantity(r->total_sd[e], v->flow_units, sd, sizeof sd);
      fprintf(out, "  %-40s %14s %12s  %zu of %zu\n", v->stream_name[e], total, sd, known, nc);
    } else {
      fprintf(out, "  %-40s %14s %12s  %zu of %zu\n", v->stream_name[e], "not determined", "-",
              known, nc);
    }
  }
  fprintf(out,
          "  determined by the measurements: %zu of %zu stream totals, %zu of %zu component "
          "flows; the others cannot be determined without further measurements\n",
          n_total, ne, n_flow, ne * nc);
}

void cet_drv_reconcile_view_print(const cet_drv_reconcile_view *v, FILE *out) {
  const cet_reconcile_result *r = v->r;
  size_t redundant = 0, fixed = 0;
  for (size_t i = 0; i < v->n; i++) {
    redundant += (size_t)(r->used[i] && r->redundant[i]);
    fixed += (size_t)(r->used[i] && !r->redundant[i]);
  }
  fprintf(out, "reconcile: %zu measurements on a network of %zu streams and %zu components%s%s\n",
          v->n, r->n_streams, r->n_components, v->source[0] ? "; " : "", v->source);
  if (r->linear) {
    fprintf(out, "  linear (flows only): closed form, one step\n");
  } else {
    fprintf(out,
            "  bilinear (fractions measured): Gauss-Newton converged in %zu steps to a relative "
            "change of the flows <= %g\n",
            r->iterations, v->tolerance);
  }
  fprintf(out,
          "  %zu redundant, %zu cannot be improved (non-redundant: adjusted by 0), %zu set "
          "aside; rank %zu\n",
          redundant, fixed, r->n_dropped, r->rank);
  print_measurements(v, out);
  print_tests(v, out);
  print_streams(v, out);
}
