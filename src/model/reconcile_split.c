/*
 * reconcile_split.c — the parameters of a twin that reconciled flows imply
 * (reconcile_split.h): process units' split factors per component and
 * outlet, splitters' fractions or shares, feeds' flows and compositions,
 * each with the reason when it cannot be derived.
 */
#include "cetwin/reconcile_split.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PATH_LEN = 512 };

static const char *const REASON_NAMES[CET_SPLIT_REASONS] = {
    "derived",
    "not determined",
    "composition not determined whole",
    "no inflow",
    "negative reconciled flow",
    "flow to an outlet without a split factor",
    "library process shared by several units",
    "structural choice: not derived from flows",
};

const char *cet_split_reason_name(cet_split_reason reason) {
  return reason < CET_SPLIT_REASONS ? REASON_NAMES[reason] : "?";
}

void cet_reconcile_split_destroy(cet_reconcile_split **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  cet_reconcile_split *x = *s;
  free(x->parameter);
  free(x->unit);
  free(x->component);
  free(x->outlet);
  free(x->value);
  free(x->case_value);
  free(x->reason);
  free(x);
  *s = NULL;
}

typedef struct {
  const cet_twin *t;
  const double *params;
  const cet_reconcile_result *r;
  cet_reconcile_split *s;
  double scale; /* the largest determined reconciled component flow or total */
  size_t *edge; /* [edges] the edges leaving the current unit, in outlet order */
  size_t n_out;
} deriver;

/* The parameter at the path PREFIX.REST (printf-style), or -1. */
static long find(const deriver *d, const char *fmt, ...) CET_PRINTF(2, 3);
static long find(const deriver *d, const char *fmt, ...) {
  char path[PATH_LEN];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(path, sizeof path, fmt, ap);
  va_end(ap);
  return len > 0 && (size_t)len < sizeof path ? cet_twin_parameter_find(d->t, path) : -1;
}

static void add(deriver *d, long p, size_t u, long k, long o, double value, int reason) {
  cet_reconcile_split *s = d->s;
  size_t i = s->n++;
  s->parameter[i] = (size_t)p;
  s->unit[i] = u;
  s->component[i] = k;
  s->outlet[i] = o;
  s->case_value[i] = d->params[p];
  s->value[i] = reason == CET_SPLIT_DERIVED ? value : d->params[p];
  s->reason[i] = reason;
  s->n_derived += reason == CET_SPLIT_DERIVED;
}

/* The edges leaving unit u, in outlet order (edges are ordered by source
 * unit and outlet). */
static void outlets_of(deriver *d, size_t u) {
  d->n_out = 0;
  for (size_t e = 0; e < cet_twin_edge_count(d->t); e++) {
    size_t from, to;
    const char *outlet;
    cet_twin_edge(d->t, e, &from, &outlet, &to);
    if (from == u) {
      d->edge[d->n_out++] = e;
    }
  }
}

/* The reason shares x[0..n-1] (determined flags ok) cannot be derived, or
 * DERIVED with *sum the sum of their positive parts; scale is the largest
 * reconciled flow of the network. */
static int shares_reason(const double *x, const int *ok, size_t n, double scale, double *sum) {
  *sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!ok[i]) {
      return CET_SPLIT_NOT_DETERMINED;
    }
    *sum += fmax(x[i], 0.0);
  }
  if (!(*sum > CET_SPLIT_NEGLIGIBLE * scale)) {
    return CET_SPLIT_NO_INFLOW;
  }
  for (size_t i = 0; i < n; i++) {
    if (x[i] < -CET_SPLIT_NEGLIGIBLE * *sum) {
      return CET_SPLIT_NEGATIVE;
    }
  }
  return CET_SPLIT_DERIVED;
}

/* x's share of sum (the sum of positive parts that holds x): in [0, 1]. */
static double share(double x, double sum) { return x > 0.0 ? x / sum : 0.0; }

static void derive_process(deriver *d, size_t u, double *x, int *ok, long *p) {
  const cet_twin *t = d->t;
  const cet_reconcile_result *r = d->r;
  size_t nc = r->n_components;
  const char *id = cet_twin_unit_process(t, u);
  int shared = 0;
  for (size_t v = 0; id && v < cet_twin_unit_count(t); v++) {
    const char *other =
        cet_unit_kind_describe(cet_twin_unit_kind(t, v))->derives == CET_UNIT_DERIVES_SPLIT
            ? cet_twin_unit_process(t, v)
            : NULL;
    shared += v != u && other && strcmp(other, id) == 0;
  }
  const cet_names *comps = cet_twin_components(t);
  for (size_t k = 0; k < nc; k++) {
    for (size_t o = 0; o < d->n_out; o++) {
      size_t from, to;
      const char *outlet;
      cet_twin_edge(t, d->edge[o], &from, &outlet, &to);
      p[o] = id ? find(d, "processes.%s.split.%s.%s", id, comps->name[k], outlet)
                : find(d, "network.units.%s.split.%s.%s", cet_twin_unit_name(t, u), comps->name[k],
                       outlet);
      x[o] = r->flow[d->edge[o] * nc + k];
      ok[o] = r->flow_observable[d->edge[o] * nc + k];
    }
    double sum = 0.0;
    int reason = shared ? CET_SPLIT_SHARED : shares_reason(x, ok, d->n_out, d->scale, &sum);
    for (size_t o = 0; reason == CET_SPLIT_DERIVED && o < d->n_out; o++) {
      if (p[o] < 0 && x[o] > CET_SPLIT_NEGLIGIBLE * sum) {
        reason = CET_SPLIT_NO_PARAMETER;
      }
    }
    for (size_t o = 0; o < d->n_out; o++) {
      if (p[o] >= 0) {
        add(d, p[o], u, (long)k, (long)o, share(x[o], sum), reason);
      }
    }
  }
}

static void derive_splitter(deriver *d, size_t u, double *x, int *ok, long *p) {
  const char *name = cet_twin_unit_name(d->t, u);
  int fractions = find(d, "network.units.%s.fractions[0]", name) >= 0;
  for (size_t o = 0; o < d->n_out; o++) {
    p[o] = find(d, "network.units.%s.%s[%zu]", name, fractions ? "fractions" : "shares", o);
    x[o] = d->r->total[d->edge[o]];
    ok[o] = d->r->total_observable[d->edge[o]];
  }
  double sum = 0.0;
  int reason = shares_reason(x, ok, d->n_out, d->scale, &sum);
  for (size_t o = 0; o < d->n_out; o++) {
    if (p[o] >= 0) {
      add(d, p[o], u, -1, (long)o, share(x[o], sum), reason);
    }
  }
}

static void derive_feed(deriver *d, size_t u, double *x, int *ok, long *p) {
  const cet_reconcile_result *r = d->r;
  const char *name = cet_twin_unit_name(d->t, u);
  size_t nc = r->n_components, e = d->edge[0];
  long pf = find(d, "network.units.%s.flow", name);
  double total = r->total[e];
  if (pf >= 0) {
    int reason = !r->total_observable[e]                       ? CET_SPLIT_NOT_DETERMINED
                 : total < -CET_SPLIT_NEGLIGIBLE * fabs(total) ? CET_SPLIT_NEGATIVE
                                                               : CET_SPLIT_DERIVED;
    add(d, pf, u, -1, -1, fmax(total, 0.0), reason);
  }
  const cet_names *comps = cet_twin_components(d->t);
  for (size_t k = 0; k < nc; k++) {
    p[k] = find(d, "network.units.%s.composition.%s", name, comps->name[k]);
    x[k] = r->flow[e * nc + k];
    ok[k] = r->flow_observable[e * nc + k];
  }
  double sum = 0.0;
  int whole = shares_reason(x, ok, nc, d->scale, &sum);
  for (size_t k = 0; whole == CET_SPLIT_DERIVED && k < nc; k++) {
    if (p[k] < 0 && x[k] > CET_SPLIT_NEGLIGIBLE * sum) {
      whole = CET_SPLIT_NO_PARAMETER;
    }
  }
  for (size_t k = 0; k < nc; k++) {
    int reason = whole;
    if (whole == CET_SPLIT_NOT_DETERMINED && ok[k]) {
      reason = CET_SPLIT_PARTIAL;
    }
    if (p[k] >= 0) {
      add(d, p[k], u, (long)k, -1, share(x[k], sum), reason);
    }
  }
}

/* The parameters of a structural unit, listed as not derived. */
static void list_structural(deriver *d, size_t u) {
  const char *name = cet_twin_unit_name(d->t, u);
  const char *keys[] = {"choice", "net", "chain"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    long p = find(d, "network.units.%s.%s", name, keys[i]);
    if (p >= 0) {
      add(d, p, u, -1, -1, 0.0, CET_SPLIT_STRUCTURAL);
    }
  }
}

int cet_reconcile_split_derive(const cet_twin *t, const double *params,
                               const cet_reconcile_result *r, cet_reconcile_split **out) {
  *out = NULL;
  size_t nu = cet_twin_unit_count(t), ne = cet_twin_edge_count(t), nc = r->n_components;
  CET_CHECK(r->n_streams == ne && nc == cet_twin_components(t)->n, CET_ERR_RUNTIME,
            "the reconciliation has %zu streams and %zu components, the twin %zu and %zu",
            r->n_streams, nc, ne, cet_twin_components(t)->n);
  /* rows at most: per unit, its outlets x components, its components and one flow, and the
   * three structural parameters */
  size_t cap = 1;
  for (size_t u = 0; u < nu; u++) {
    size_t n_out = 0;
    for (size_t e = 0; e < ne; e++) {
      size_t from, to;
      const char *outlet;
      cet_twin_edge(t, e, &from, &outlet, &to);
      n_out += from == u;
    }
    cap += n_out * nc + nc + 3;
  }
  size_t width = (ne > nc ? ne : nc) + 1;
  cet_reconcile_split *s = calloc(1, sizeof *s);
  deriver d = {.t = t, .params = params, .r = r, .s = s, .edge = calloc(width, sizeof(size_t))};
  double *x = calloc(width, sizeof *x);
  int *ok = calloc(width, sizeof *ok);
  long *p = calloc(width, sizeof *p);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, s && d.edge && x && ok && p);
  s->parameter = calloc(cap, sizeof *s->parameter);
  s->unit = calloc(cap, sizeof *s->unit);
  s->component = calloc(cap, sizeof *s->component);
  s->outlet = calloc(cap, sizeof *s->outlet);
  s->value = calloc(cap, sizeof *s->value);
  s->case_value = calloc(cap, sizeof *s->case_value);
  s->reason = calloc(cap, sizeof *s->reason);
  CET_CHECK_ALLOC_GOTO(status, done,
                       s->parameter && s->unit && s->component && s->outlet && s->value &&
                           s->case_value && s->reason);
  for (size_t i = 0; i < ne * nc; i++) {
    d.scale = r->flow_observable[i] ? fmax(d.scale, fabs(r->flow[i])) : d.scale;
  }
  for (size_t e = 0; e < ne; e++) {
    d.scale = r->total_observable[e] ? fmax(d.scale, fabs(r->total[e])) : d.scale;
  }
  for (size_t u = 0; u < nu; u++) {
    outlets_of(&d, u);
    switch (cet_unit_kind_describe(cet_twin_unit_kind(t, u))->derives) {
    case CET_UNIT_DERIVES_SPLIT:
      derive_process(&d, u, x, ok, p);
      break;
    case CET_UNIT_DERIVES_FRACTIONS:
      derive_splitter(&d, u, x, ok, p);
      break;
    case CET_UNIT_DERIVES_FEED:
      derive_feed(&d, u, x, ok, p);
      break;
    case CET_UNIT_DERIVES_STRUCTURAL:
      list_structural(&d, u);
      break;
    default:
      break;
    }
  }
done:
  free(d.edge);
  free(x);
  free(ok);
  free(p);
  if (status != CET_OK) {
    cet_reconcile_split_destroy(&s);
    return status;
  }
  *out = s;
  return CET_OK;
}
