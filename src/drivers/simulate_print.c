/*
 * simulate_print.c — the tables of the simulate summary (key metrics, cash
 * flow, sinks, largest streams, balance closure, exergy, flowsheet
 * choices) printed from their views (simulate_report.h), which a run and
 * `cetwin info` fill alike.
 */
#include "simulate_report.h"

#include "cash_report.h"

#include "cetwin/economics.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <string.h>

enum { PRINT_TOP = 10, PRINT_NAME_LEN = 256, PRINT_VALUE_LEN = 64 };

/* The width of a column at least width wide that holds text. */
static int wider(int width, const char *text) {
  const size_t n = strlen(text);
  return n > (size_t)width ? (int)n : width;
}

void cet_drv_metrics_print(const cet_drv_simulate_view *v, FILE *out) {
  fprintf(out, "\nKey metrics:\n");
  int width = 28; /* the name column: at least 28 wide, as wide as the longest name */
  for (size_t i = 0; i < v->n_metrics; i++) {
    if (v->metric_family[i] == CET_METRIC_FAMILY_HEADLINE) {
      width = wider(width, v->metric[i]);
    }
  }
  for (size_t i = 0; i < v->n_metrics; i++) {
    if (v->metric_family[i] == CET_METRIC_FAMILY_HEADLINE) {
      char text[PRINT_VALUE_LEN];
      cet_format_metric(v->value[i], v->metric_units[i], (int)v->metric_share[i], text,
                        sizeof text);
      fprintf(out, "  %-*s %20s\n", width, v->metric[i], text);
    }
  }
}

long cet_drv_metrics_find(size_t n, const char *const *names, const char *name) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(names[i], name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

static void print_sinks(const cet_drv_simulate_view *v, FILE *out) {
  size_t nc = v->n_components;
  fprintf(out, "\nSinks (mass received; share of each component's feed):\n");
  int width = 18; /* the sink column: at least 18 wide, as wide as the longest sink's name */
  for (size_t u = 0; u < v->n_units; u++) {
    width = v->sink_kind[u][0] ? wider(width, v->unit[u]) : width;
  }
  fprintf(out, "  %-*s %-13s %14s", width, "sink", "kind", "mass");
  for (size_t c = 0; c < nc; c++) {
    fprintf(out, " %11s", v->component[c]);
  }
  fprintf(out, "\n");
  for (size_t u = 0; u < v->n_units; u++) {
    if (!v->sink_kind[u][0]) { /* not a sink */
      continue;
    }
    double total = 0.0;
    for (size_t c = 0; c < nc; c++) {
      total += v->inflow[u * nc + c];
    }
    char mass[PRINT_VALUE_LEN];
    cet_format_quantity(total, v->flow_units, mass, sizeof mass);
    fprintf(out, "  %-*s %-13s %14s", width, v->unit[u], v->sink_kind[u], mass);
    for (size_t c = 0; c < nc; c++) {
      char name[PRINT_NAME_LEN], share[PRINT_VALUE_LEN];
      snprintf(name, sizeof name, CET_METRIC_SINK_RECOVERY, v->component[c], v->unit[u]);
      long m = cet_drv_metrics_find(v->n_metrics, v->metric, name);
      cet_format_percent(m >= 0 ? v->value[m] : NAN, 0, share, sizeof share);
      fprintf(out, " %11s", share);
    }
    fprintf(out, "\n");
  }
}

static double stream_total(const cet_drv_simulate_view *v, size_t e) {
  double total = 0.0;
  for (size_t c = 0; c < v->n_components; c++) {
    total += v->flow[e * v->n_components + c];
  }
  return total;
}

/* The name of stream e as the tables print it: FROM.OUTLET -> TO. */
static void stream_name(const cet_drv_simulate_view *v, size_t e, char *name, size_t len) {
  snprintf(name, len, "%s.%s -> %s", v->stream_from[e], v->stream_outlet[e], v->stream_to[e]);
}

static void print_streams(const cet_drv_simulate_view *v, FILE *out) {
  size_t ne = v->n_streams, nc = v->n_components;
  size_t shown[PRINT_TOP], n_shown = 0;
  int width = 40; /* the stream column: at least 40 wide, as wide as the longest name shown */
  while (n_shown < PRINT_TOP && n_shown < ne) {
    size_t best = ne;
    for (size_t e = 0; e < ne; e++) {
      int taken = 0;
      for (size_t i = 0; i < n_shown; i++) {
        taken |= shown[i] == e;
      }
      if (!taken && (best == ne || stream_total(v, e) > stream_total(v, best))) {
        best = e;
      }
    }
    shown[n_shown++] = best;
    char name[PRINT_NAME_LEN];
    stream_name(v, best, name, sizeof name);
    width = wider(width, name);
  }
  fprintf(out, "\nLargest streams:\n");
  fprintf(out, "  %-*s %14s  %s\n", width, "stream", "total", "largest component");
  for (size_t i = 0; i < n_shown; i++) {
    const size_t e = shown[i];
    size_t cmax = 0;
    for (size_t c = 1; c < nc; c++) {
      cmax = v->flow[e * nc + c] > v->flow[e * nc + cmax] ? c : cmax;
    }
    char name[PRINT_NAME_LEN], total[PRINT_VALUE_LEN], largest[PRINT_VALUE_LEN];
    stream_name(v, e, name, sizeof name);
    cet_format_quantity(stream_total(v, e), v->flow_units, total, sizeof total);
    cet_format_quantity(v->flow[e * nc + cmax], v->flow_units, largest, sizeof largest);
    fprintf(out, "  %-*s %14s  %s %s\n", width, name, total, v->component[cmax], largest);
  }
}

/* Largest relative error of a unit's exergy balance in = products +
 * residues + destroyed (a check of the arithmetic) and its unit. */
static double exergy_closure(const cet_drv_simulate_view *v, size_t *unit) {
  double worst = 0.0;
  *unit = 0;
  for (size_t u = 0; u < v->n_units; u++) {
    const double *r = v->exergy + u * CET_EXERGY_TERMS;
    double out = r[CET_EXERGY_PRODUCTS] + r[CET_EXERGY_RESIDUES] + r[CET_EXERGY_DESTROYED];
    double den = fabs(r[CET_EXERGY_IN]) > fabs(out) ? fabs(r[CET_EXERGY_IN]) : fabs(out);
    double e = den > 0.0 ? fabs(r[CET_EXERGY_IN] - out) / den : 0.0;
    if (e > worst) {
      worst = e;
      *unit = u;
    }
  }
  return worst;
}

/* The system's exergy metrics on one line and the process units with the
 * largest destruction. */
static void print_exergy(const cet_drv_simulate_view *v, FILE *out) {
  const double *row = v->exergy;
  static const struct {
    const char *label, *metric;
  } SHOWN[] = {
      {"input", CET_METRIC_EXERGY_INPUT},           {"recovered", CET_METRIC_EXERGY_RECOVERED},
      {"landfilled", CET_METRIC_EXERGY_LANDFILLED}, {"exported", CET_METRIC_EXERGY_EXPORTED},
      {"destroyed", CET_METRIC_EXERGY_DESTROYED},   {"efficiency", CET_METRIC_EXERGY_EFFICIENCY}};
  size_t n_line = sizeof SHOWN / sizeof SHOWN[0];
  fprintf(out, "\nExergy (chemical exergy of the streams and the carriers' exergy):\n ");
  for (size_t i = 0; i < n_line; i++) {
    long m = cet_drv_metrics_find(v->n_metrics, v->metric, SHOWN[i].metric);
    char text[PRINT_VALUE_LEN];
    cet_format_metric(m >= 0 ? v->value[m] : NAN, m >= 0 ? v->metric_units[m] : "",
                      m >= 0 && v->metric_share[m], text, sizeof text);
    fprintf(out, " %s %s%s", SHOWN[i].label, text, i + 1 < n_line ? ";" : "\n");
  }
  long mi = cet_drv_metrics_find(v->n_metrics, v->metric, CET_METRIC_EXERGY_INPUT);
  const char *units = mi >= 0 ? v->metric_units[mi] : "";
  fprintf(out, "  %-24s %14s %14s %14s %14s %10s\n", "unit (largest destruction)", "in", "products",
          "residues", "destroyed", "efficiency");
  const char *process = cet_unit_kind_name(CET_UNIT_PROCESS);
  size_t shown[PRINT_TOP], n_shown = 0, nu = v->n_units;
  while (n_shown < PRINT_TOP) {
    size_t best = nu;
    for (size_t u = 0; u < nu; u++) {
      int taken = strcmp(v->type[u], process) != 0;
      for (size_t i = 0; i < n_shown; i++) {
        taken |= shown[i] == u;
      }
      if (!taken && (best == nu || row[u * CET_EXERGY_TERMS + CET_EXERGY_DESTROYED] >
                                       row[best * CET_EXERGY_TERMS + CET_EXERGY_DESTROYED])) {
        best = u;
      }
    }
    if (best == nu) {
      break;
    }
    shown[n_shown++] = best;
    const double *r = row + best * CET_EXERGY_TERMS;
    char t[CET_EXERGY_TERMS][PRINT_VALUE_LEN], eff[PRINT_VALUE_LEN];
    for (size_t k = 0; k < CET_EXERGY_TERMS; k++) {
      cet_format_quantity(r[k], units, t[k], sizeof t[k]);
    }
    double in = r[CET_EXERGY_IN];
    cet_format_percent(in > 0.0 ? r[CET_EXERGY_PRODUCTS] / in : 0.0, 0, eff, sizeof eff);
    fprintf(out, "  %-24s %14s %14s %14s %14s %10s\n", v->unit[best], t[0], t[1], t[2], t[3], eff);
  }
  size_t u = 0;
  double worst = exergy_closure(v, &u);
  fprintf(out,
          "  exergy balance (in = products + residues + destroyed): largest relative error "
          "%.3g (unit %s)\n",
          worst, v->unit[u]);
}

void cet_drv_simulate_view_print(const cet_drv_simulate_view *v, FILE *out) {
  cet_drv_metrics_print(v, out);
  if (v->cash) {
    cet_drv_cash_flow_print(v->cash, v->currency, out);
  }
  if (v->n_units == 0) {
    return; /* economics alone */
  }
  print_sinks(v, out);
  print_streams(v, out);
  size_t u, c;
  double worst = cet_twin_worst_closure(v->closure, v->n_units, v->n_components, &u, &c);
  fprintf(out, "\nBalance closure: largest relative error %.3g (unit %s, component %s); %s %g\n",
          worst, v->unit[u], v->component[c],
          worst <= CET_TWIN_CLOSURE_TOLERANCE ? "within" : "EXCEEDS", CET_TWIN_CLOSURE_TOLERANCE);
  if (v->exergy) {
    print_exergy(v, out);
  }
}

void cet_drv_choices_view_print(const cet_drv_choices_view *v, FILE *out) {
  if (v->n == 0) {
    return;
  }
  fprintf(out, "\nFlowsheet choices:\n");
  for (size_t i = 0; i < v->n; i++) {
    fprintf(out, "  %-16s chain %lld of %lld: %s; %s\n", v->unit[i], v->chain[i], v->chains[i],
            v->processes[i], v->verdict[i]);
  }
}
