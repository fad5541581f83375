/*
 * test_twin.c — unit tests of twin.h on descriptions built in code:
 * analytic recycle cases with closed forms, the normalisation of shares,
 * consumptions, emissions and credits, structural and singular-system
 * errors at build time, runtime errors, bindings, and OpenMP evaluation
 * that equals serial evaluation bit for bit.
 */
#include "cetwin/error.h"
#include "cetwin/network.h"
#include "cetwin/str.h"
#include "cetwin/twin.h"
#include "model_support.h"
#include "test_support.h"

#include <math.h>
#include <omp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Relative accuracy expected of the direct solve on these small systems. */
static const double TIGHT = 1e-14;

/* ---- building descriptions ---- */

/* A description with components A, B, one carrier (kWh/t) and credit CO2. */
static cet_twin_spec *new_spec(void) {
  cet_twin_spec *s = NULL;
  assert_int_equal(cet_twin_spec_create(&s), CET_OK);
  assert_int_equal(cet_names_add(&s->components, "A"), CET_OK);
  assert_int_equal(cet_names_add(&s->components, "B"), CET_OK);
  assert_int_equal(cet_names_add(&s->carriers, "electricity"), CET_OK);
  assert_int_equal(cet_names_add(&s->credits, "CO2"), CET_OK);
  s->carrier_units = calloc(1, sizeof *s->carrier_units);
  s->carrier_units[0] = cet_strdup("kWh/t");
  s->flow_units = cet_strdup("t/a");
  s->environment.emission_factor = malloc(sizeof(long));
  s->environment.emission_factor[0] = CET_SLOT_NONE;
  s->environment.energy = calloc(1, sizeof(int));
  s->environment.energy[0] = 1;
  return s;
}

static long param(cet_twin_spec *s, const char *path, double value, double hi) {
  size_t slot = 0;
  assert_int_equal(cet_params_add(s->params, path, value, 0.0, hi, "", 0, &slot), CET_OK);
  return (long)slot;
}

static long *slots(size_t n) {
  long *v = malloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++) {
    v[i] = CET_SLOT_NONE;
  }
  return v;
}

static size_t add_unit(cet_twin_spec *s, const char *name, cet_unit_kind kind, cet_unit_spec **u) {
  assert_int_equal(cet_twin_spec_add_unit(s, name, kind, u), CET_OK);
  char where[64];
  snprintf(where, sizeof where, "test: units.%s", name);
  (*u)->where = cet_strdup(where);
  return s->n_units - 1;
}

static size_t feed(cet_twin_spec *s, const char *name, double flow, double fa, double fb) {
  cet_unit_spec *u = NULL;
  size_t i = add_unit(s, name, CET_UNIT_FEED, &u);
  char path[64];
  snprintf(path, sizeof path, "units.%s.flow", name);
  u->flow = param(s, path, flow, INFINITY);
  u->fraction = slots(2);
  snprintf(path, sizeof path, "units.%s.composition.A", name);
  u->fraction[0] = param(s, path, fa, 1);
  snprintf(path, sizeof path, "units.%s.composition.B", name);
  u->fraction[1] = param(s, path, fb, 1);
  cet_names_add(&u->outlets, "out");
  return i;
}

/* A process with outlets named in outlets (n of them) and split[o][c]. */
static size_t process(cet_twin_spec *s, const char *name, size_t n, const char *const *outlets,
                      const double *split) {
  cet_unit_spec *u = NULL;
  size_t i = add_unit(s, name, CET_UNIT_PROCESS, &u);
  u->split = slots(2 * n);
  u->consumption = slots(1);
  for (size_t o = 0; o < n; o++) {
    cet_names_add(&u->outlets, outlets[o]);
    for (size_t c = 0; c < 2; c++) {
      char path[96];
      snprintf(path, sizeof path, "units.%s.split.%s.%s", name, c ? "B" : "A", outlets[o]);
      u->split[o * 2 + c] = param(s, path, split[o * 2 + c], 1);
    }
  }
  return i;
}

static size_t splitter(cet_twin_spec *s, const char *name, size_t n, const char *const *outlets,
                       const double *fractions) {
  cet_unit_spec *u = NULL;
  size_t i = add_unit(s, name, CET_UNIT_SPLITTER, &u);
  u->share = slots(n);
  for (size_t o = 0; o < n; o++) {
    cet_names_add(&u->outlets, outlets[o]);
    char path[96];
    snprintf(path, sizeof path, "units.%s.fractions[%zu]", name, o);
    u->share[o] = param(s, path, fractions[o], INFINITY);
  }
  return i;
}

static size_t mixer(cet_twin_spec *s, const char *name) {
  cet_unit_spec *u = NULL;
  size_t i = add_unit(s, name, CET_UNIT_MIXER, &u);
  cet_names_add(&u->outlets, "out");
  return i;
}

static size_t sink(cet_twin_spec *s, const char *name, cet_sink_kind kind) {
  cet_unit_spec *u = NULL;
  size_t i = add_unit(s, name, CET_UNIT_SINK, &u);
  u->sink = kind;
  u->credit = slots(1);
  return i;
}

static void stream(cet_twin_spec *s, size_t from, size_t outlet, size_t to) {
  assert_int_equal(cet_twin_spec_add_stream(s, from, outlet, to, "test: streams"), CET_OK);
}

/* The recycle case: F (A 40, B 60) -> M -> P; P.product -> S, P.recycle ->
 * M, P.waste -> L. With shares p, r, w of each component, the closed form is
 * x_M = x_P = f / (1 - r), product p f / (1 - r), recycle r f / (1 - r). */
static const double RECYCLE_SPLIT[] = {0.7, 0.5, 0.2, 0.5, 0.1, 0.0}; /* [outlet][A, B] */
static const char *const RECYCLE_OUTLETS[] = {"product", "recycle", "waste"};
enum { R_F, R_M, R_P, R_S, R_L };

/* The recycle case with P's split factors split[outlet][A, B]. */
static cet_twin_spec *recycle_spec_split(const double *split) {
  cet_twin_spec *s = new_spec();
  feed(s, "F", 100, 0.4, 0.6);
  mixer(s, "M");
  process(s, "P", 3, RECYCLE_OUTLETS, split);
  sink(s, "S", CET_SINK_MARKET);
  sink(s, "L", CET_SINK_LANDFILL);
  stream(s, R_F, 0, R_M);
  stream(s, R_M, 0, R_P);
  stream(s, R_P, 0, R_S);
  stream(s, R_P, 1, R_M);
  stream(s, R_P, 2, R_L);
  return s;
}

static cet_twin_spec *recycle_spec(void) { return recycle_spec_split(RECYCLE_SPLIT); }

static void assert_close(double got, double want, double rel) {
  double den = fmax(fabs(want), 1e-300);
  if (!(fabs(got - want) <= rel * den)) {
    fprintf(stderr, "got %.17g, want %.17g\n", got, want);
  }
  assert_true(fabs(got - want) <= rel * den);
}

/* ---- analytic cases ---- */

static void test_recycle_closed_form(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  cet_test_twin_evaluate(&tt);
  const cet_twin *t = tt.twin;
  const double f[2] = {40, 60};
  const double *x = cet_twin_workspace_unit_inflow(tt.ws);
  const double *flow = cet_twin_workspace_edge_flows(tt.ws);
  for (size_t c = 0; c < 2; c++) {
    double p = RECYCLE_SPLIT[c], r = RECYCLE_SPLIT[2 + c], wst = RECYCLE_SPLIT[4 + c];
    double xm = f[c] / (1.0 - r);
    assert_close(x[R_M * 2 + c], xm, TIGHT);
    assert_close(x[R_P * 2 + c], xm, TIGHT);
    assert_close(x[R_S * 2 + c], p * xm, TIGHT);
    size_t from, to;
    const char *outlet;
    /* edges are ordered by source unit and outlet: F.out, M.out, P.product, P.recycle, P.waste */
    cet_twin_edge(t, 3, &from, &outlet, &to);
    assert_int_equal(from, R_P);
    assert_int_equal(to, R_M);
    assert_string_equal(outlet, "recycle");
    char *name = NULL;
    assert_int_equal(cet_twin_edge_name(t, 3, &name), CET_OK);
    assert_string_equal(name, "P.recycle");
    free(name);
    assert_close(flow[3 * 2 + c], r * xm, TIGHT);
    if (wst > 0) {
      assert_close(x[R_L * 2 + c], wst * xm, TIGHT);
    }
  }
  assert_close(cet_test_twin_metric(&tt, "recovery.A"), 0.7 / 0.8, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "recovery.B"), 1.0, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "recovery.A.L"), 0.1 / 0.8, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "mass.S"), 40 * 0.7 / 0.8 + 60, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "production.B"), 60, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "residue_landfilled"), 40 * 0.1 / 0.8, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "feed"), 100, TIGHT);
  assert_true(cet_test_twin_metric(&tt, "closure") <= 1e-15);
  assert_int_equal(cet_twin_loop_count(t), 1);
  assert_int_equal(cet_twin_loop_size(t, 0), 2);
  size_t a = cet_twin_loop_unit(t, 0, 0), b = cet_twin_loop_unit(t, 0, 1);
  assert_true((a == R_M && b == R_P) || (a == R_P && b == R_M));
  const double *cl = cet_twin_workspace_closure(tt.ws);
  const double *out = cet_twin_workspace_unit_outflow(tt.ws);
  for (size_t i = 0; i < 5 * 2; i++) {
    assert_true(cl[i] <= 1e-15);
  }
  assert_close(out[R_S * 2 + 0], x[R_S * 2 + 0], 0);
  /* destroying sets the handle NULL and accepts NULL */
  cet_twin_workspace_destroy(&tt.ws);
  assert_null(tt.ws);
  cet_twin_workspace_destroy(&tt.ws);
  cet_twin_destroy(&tt.owned);
  assert_null(tt.owned);
  cet_twin_destroy(&tt.owned);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* F -> U (process: exit e, loop 1-e) -> V (splitter: back b, out 1-b) -> U.
 * x_U = f / (1 - b (1 - e)); E receives e x_U, O receives (1-b)(1-e) x_U. */
static void test_two_unit_loop(void **state) {
  (void)state;
  const double e = 0.3, b = 0.6;
  cet_twin_spec *s = new_spec();
  const char *uo[] = {"exit", "loop"}, *vo[] = {"back", "out"};
  const double split[] = {e, 0.5, 1 - e, 0.5};
  const double frac[] = {b, 1 - b};
  size_t F = feed(s, "F", 10, 1, 0);
  size_t U = process(s, "U", 2, uo, split);
  size_t V = splitter(s, "V", 2, vo, frac);
  size_t E = sink(s, "E", CET_SINK_MARKET), O = sink(s, "O", CET_SINK_EXPORT);
  stream(s, F, 0, U);
  stream(s, U, 0, E);
  stream(s, U, 1, V);
  stream(s, V, 0, U);
  stream(s, V, 1, O);
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  cet_test_twin_evaluate(&tt);
  double xu = 10 / (1 - b * (1 - e));
  const double *x = cet_twin_workspace_unit_inflow(tt.ws);
  assert_close(x[U * 2], xu, TIGHT);
  assert_close(x[E * 2], e * xu, TIGHT);
  assert_close(x[O * 2], (1 - b) * (1 - e) * xu, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "residue_exported"), (1 - b) * (1 - e) * xu, TIGHT);
  assert_true(x[U * 2 + 1] == 0.0);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* Shares are divided by their sum: scaling every split factor of a
 * component, or every fraction of a splitter, changes nothing. */
static void test_shares_are_normalised(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  cet_test_twin_evaluate(&tt);
  size_t nm = cet_twin_metric_count(tt.twin);
  double *m0 = malloc(nm * sizeof *m0);
  memcpy(m0, tt.metrics, nm * sizeof *m0);
  const char *paths[] = {"units.P.split.A.product", "units.P.split.A.recycle",
                         "units.P.split.A.waste"};
  for (size_t i = 0; i < 3; i++) {
    tt.params[cet_test_twin_slot(&tt, paths[i])] *= 0.5;
  }
  tt.params[cet_test_twin_slot(&tt, "units.F.composition.A")] *= 0.25;
  tt.params[cet_test_twin_slot(&tt, "units.F.composition.B")] *= 0.25;
  cet_test_twin_evaluate(&tt);
  for (size_t i = 0; i < nm; i++) {
    assert_close(tt.metrics[i], m0[i], 1e-15);
  }
  free(m0);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* Consumptions per t of basis, energy, emission factors, burdens, credits. */
static void test_environment(void **state) {
  (void)state;
  cet_twin_spec *s = new_spec();
  const char *po[] = {"product", "residue"};
  const double split[] = {0.9, 0.2, 0.1, 0.8};
  size_t F = feed(s, "F", 100, 0.5, 0.5);
  size_t P = process(s, "P", 2, po, split);
  size_t Q = process(s, "Q", 2, po, split);
  size_t S = sink(s, "S", CET_SINK_MARKET);
  size_t V = sink(s, "V", CET_SINK_VALORISATION);
  size_t L = sink(s, "L", CET_SINK_LANDFILL);
  s->unit[P].consumption[0] = param(s, "units.P.consumption.electricity", 10, INFINITY);
  s->unit[P].basis = 0; /* per t of A fed */
  s->unit[Q].consumption[0] = param(s, "units.Q.consumption.electricity", 2, INFINITY);
  s->unit[Q].basis = -1; /* per t of total feed */
  s->unit[V].credit[0] = param(s, "units.V.credits.CO2", 0.5, INFINITY);
  s->unit[L].burden = param(s, "units.L.burden", 0.01, INFINITY);
  s->unit[F].residue = 1;
  s->environment.emission_factor[0] =
      param(s, "environment.emission_factors.electricity", 3e-4, INFINITY);
  s->environment.avoided_credit = 0;
  stream(s, F, 0, P);
  stream(s, P, 0, Q);
  stream(s, P, 1, L);
  stream(s, Q, 0, S);
  stream(s, Q, 1, V);
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  cet_test_twin_evaluate(&tt);
  const cet_twin *t = tt.twin;
  double q_in = 0.9 * 50 + 0.2 * 50, v_mass = 0.1 * 45 + 0.8 * 10, l_mass = 5 + 40;
  double elec = 10 * 50 + 2 * q_in;
  assert_close(cet_test_twin_metric(&tt, "consumption.electricity"), elec, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "energy"), elec, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "gwp.electricity"), 3e-4 * elec, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "gwp.disposal"), 0.01 * l_mass, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "gwp"), 3e-4 * elec + 0.01 * l_mass, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "credit.CO2"), 0.5 * v_mass, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "co2_avoided"), 0.5 * v_mass, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "gwp_net"), 3e-4 * elec + 0.01 * l_mass - 0.5 * v_mass,
               TIGHT);
  assert_close(cet_test_twin_metric(&tt, "residue_generated"), 100, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "residue_valorised"), v_mass, TIGHT);
  assert_close(cet_test_twin_metric(&tt, "landfill_avoided"), 100 - l_mass, TIGHT);
  const double *uc = cet_twin_workspace_unit_consumption(tt.ws);
  assert_close(uc[P], 500, TIGHT);
  assert_close(uc[Q], 2 * q_in, TIGHT);
  assert_true(uc[F] == 0.0);
  long mi = cet_twin_metric_find(t, "consumption.electricity");
  assert_string_equal(cet_twin_metric_units(t, (size_t)mi), "kWh/a");
  assert_string_equal(cet_twin_metric_units(t, (size_t)cet_twin_metric_find(t, "gwp")), "t CO2e/a");
  assert_non_null(cet_twin_metric_description(t, (size_t)mi));
  assert_int_equal(cet_twin_metric_find(t, "no.such.metric"), -1);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* An unknown consumption (NaN) makes the carrier's total NaN when the unit
 * has flow, and counts 0 when it has none. */
static void test_unknown_consumption(void **state) {
  (void)state;
  cet_twin_spec *s = new_spec();
  const char *po[] = {"product"}, *so[] = {"a", "b"};
  const double split[] = {1, 1}, frac[] = {1, 0};
  size_t F = feed(s, "F", 1, 1, 0);
  size_t D = splitter(s, "D", 2, so, frac);
  size_t P = process(s, "P", 1, po, split);
  size_t S = sink(s, "S", CET_SINK_MARKET);
  size_t used = 0;
  assert_int_equal(cet_params_add(s->params, "units.P.consumption.electricity", NAN, 0, INFINITY,
                                  "kWh/t", CET_PARAM_MAY_BE_UNKNOWN, &used),
                   CET_OK);
  s->unit[P].consumption[0] = (long)used;
  stream(s, F, 0, D);
  stream(s, D, 0, S);
  stream(s, D, 1, P);
  stream(s, P, 0, S);
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  cet_test_twin_evaluate(&tt);
  assert_true(cet_test_twin_metric(&tt, "consumption.electricity") == 0.0);
  tt.params[cet_test_twin_slot(&tt, "units.D.fractions[1]")] = 1;
  cet_test_twin_evaluate(&tt);
  assert_true(isnan(cet_test_twin_metric(&tt, "consumption.electricity")));
  assert_true(isnan(cet_test_twin_metric(&tt, "energy")));
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* ---- accessors ---- */

static void test_accessors(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  s->unit[R_P].process = cet_strdup("ELEC");
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  const cet_twin *t = tt.twin;
  assert_int_equal(cet_twin_unit_count(t), 5);
  assert_int_equal(cet_twin_edge_count(t), 5);
  assert_string_equal(cet_twin_unit_name(t, R_P), "P");
  assert_int_equal(cet_twin_unit_kind(t, R_M), CET_UNIT_MIXER);
  assert_int_equal(cet_twin_unit_sink_kind(t, R_L), CET_SINK_LANDFILL);
  assert_string_equal(cet_twin_unit_process(t, R_P), "ELEC");
  assert_null(cet_twin_unit_process(t, R_M));
  assert_int_equal(cet_twin_components(t)->n, 2);
  assert_string_equal(cet_twin_carriers(t)->name[0], "electricity");
  assert_string_equal(cet_twin_carrier_units(t, 0), "kWh/t");
  assert_string_equal(cet_twin_flow_units(t), "t/a");
  long f = cet_twin_parameter_find(t, "units.F.flow");
  assert_true(f >= 0);
  assert_string_equal(cet_twin_parameter_path(t, (size_t)f), "units.F.flow");
  assert_string_equal(cet_twin_parameter_units(t, (size_t)f), "");
  double lo, hi;
  cet_twin_parameter_range(t, (size_t)f, &lo, &hi);
  assert_true(lo == 0.0 && isinf(hi));
  assert_true(cet_twin_parameter_defaults(t)[f] == 100.0);
  assert_int_equal(cet_twin_parameter_find(t, "units.F.flux"), -1);
  /* the twin shares the description's names (twin.h): the spec outlives it */
  assert_ptr_equal(cet_twin_unit_process(t, R_P), s->unit[R_P].process);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* Every metric is registered with its family: the totals and the figures
 * of one component, carrier or credit are headline, the per-sink and
 * per-component breakdowns detail; each family has a name in the file. */
static void test_metric_families(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  const cet_twin *t = tt.twin;
  enum { H = CET_METRIC_FAMILY_HEADLINE, D = CET_METRIC_FAMILY_DETAIL };
  static const struct {
    const char *metric;
    int family;
  } WANT[] = {
      {"feed", H},         {"production", H}, {"recovery.A", H}, {"residue_landfilled", H},
      {"gwp", H},          {"credit.CO2", H}, {"closure", H},    {"consumption.electricity", H},
      {"production.A", D}, {"mass.S", D},     {"mass.L.B", D},   {"recovery.A.S", D},
      {"recovery.B.L", D}};
  for (size_t i = 0; i < sizeof WANT / sizeof WANT[0]; i++) {
    assert_int_equal(cet_test_metric_family(t, WANT[i].metric), WANT[i].family);
  }
  /* the per-sink recoveries are named as the sinks table looks them up */
  char name[64];
  snprintf(name, sizeof name, CET_METRIC_SINK_RECOVERY, "B", "S");
  long m = cet_twin_metric_find(t, name);
  assert_true(m >= 0 && cet_twin_metric_is_share(t, (size_t)m));
  static const char *const NAME[CET_METRIC_FAMILY_COUNT] = {"headline", "detail", "unit",
                                                            "cash_flow"};
  for (int f = 0; f < CET_METRIC_FAMILY_COUNT; f++) {
    assert_string_equal(cet_twin_metric_family_name((cet_twin_metric_family)f), NAME[f]);
    assert_int_equal(cet_twin_metric_family_find(NAME[f]), f);
  }
  assert_int_equal(cet_twin_metric_family_find("per_sink"), -1);
  assert_string_equal(cet_twin_metric_family_name(CET_METRIC_FAMILY_COUNT), "");
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* A loop of n processes: unit i sends, per component, shares to unit i + 1,
 * to unit i + 7 and (out_a, out_b) out to a sink; the feed enters unit 0.
 * Units: F, P0 .. P(n-1), S. */
enum { RING_SKIP = 7 };

static cet_twin_spec *ring_spec(size_t n, double out_a, double out_b) {
  static const char *const outlets[] = {"next", "skip", "out"};
  cet_twin_spec *s = new_spec();
  size_t f = feed(s, "F", 100, 0.4, 0.6);
  for (size_t i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "P%zu", i);
    double wobble = 0.05 * (double)(i % 5) / 4.0; /* shares differ from unit to unit */
    const double split[] = {0.6 - wobble, 0.5, 0.4 - out_a + wobble, 0.5 - out_b, out_a, out_b};
    process(s, name, 3, outlets, split);
  }
  size_t sk = sink(s, "S", CET_SINK_MARKET);
  stream(s, f, 0, 1);
  for (size_t i = 0; i < n; i++) {
    stream(s, 1 + i, 0, 1 + (i + 1) % n);
    stream(s, 1 + i, 1, 1 + (i + RING_SKIP) % n);
    stream(s, 1 + i, 2, sk);
  }
  return s;
}

/* A loop of 150 units is solved on its sparsity pattern by default; the
 * inflows equal those of the dense LU to 1e-12 and the balances close. */
static void test_large_loop_sparse_equals_dense(void **state) {
  (void)state;
  enum { N = 150 };
  cet_twin_spec *s = ring_spec(N, 0.1, 0.3);
  cet_twin_parameters dense_par = cet_twin_default_parameters();
  assert_true(N >= dense_par.sparse_loop_min);
  dense_par.sparse_loop_min = 10 * N;
  cet_test_twin sparse, dense;
  cet_test_twin_build(&sparse, s, NULL);
  cet_test_twin_build(&dense, s, &dense_par);
  assert_int_equal(cet_twin_loop_count(sparse.twin), 1);
  assert_int_equal(cet_twin_loop_size(sparse.twin, 0), N);
  cet_test_twin_evaluate(&sparse);
  cet_test_twin_evaluate(&dense);
  const double *xs = cet_twin_workspace_unit_inflow(sparse.ws);
  const double *xd = cet_twin_workspace_unit_inflow(dense.ws);
  for (size_t i = 0; i < (N + 2) * 2; i++) {
    assert_close(xs[i], xd[i], 1e-12);
  }
  assert_true(cet_test_twin_metric(&sparse, "closure") < 1e-12);
  assert_close(cet_test_twin_metric(&sparse, "mass.S.A"), 40, 1e-12); /* all leaves through S */
  assert_close(cet_test_twin_metric(&sparse, "mass.S.B"), 60, 1e-12);
  cet_test_twin_release(&sparse);
  cet_test_twin_release(&dense);
  cet_twin_spec_destroy(&s);
}

/* ---- build errors ---- */

static void expect_build_error(cet_twin_spec *s, int code, const char *fragment) {
  cet_twin *t = NULL;
  cet_error_clear();
  assert_int_equal(cet_twin_create(s, NULL, &t), code);
  assert_null(t);
  cet_test_expect_message(fragment, NULL);
  cet_twin_spec_destroy(&s);
}

static void test_singular_loop_is_input_error(void **state) {
  (void)state;
  /* B circulates for ever: its split sends everything back to the mixer */
  static const double split[] = {0.7, 0.0, 0.2, 1.0, 0.1, 0.0};
  cet_twin_spec *s = recycle_spec_split(split);
  cet_twin *t = NULL;
  cet_error_clear();
  assert_int_equal(cet_twin_create(s, NULL, &t), CET_ERR_INPUT);
  const char *msg = cet_error_message();
  assert_non_null(strstr(msg, "no exit for component B"));
  assert_true(strstr(msg, "units M, P") || strstr(msg, "units P, M"));
  assert_non_null(strstr(msg, "test: units."));
  cet_error_clear();
  cet_twin_spec_destroy(&s);
}

/* The same on the sparse path: B never leaves a 100-unit loop. */
static void test_singular_large_loop_is_input_error(void **state) {
  (void)state;
  expect_build_error(ring_spec(100, 0.1, 0.0), CET_ERR_INPUT, "has no exit for component B");
}

static void test_closed_loop_is_input_error(void **state) {
  (void)state;
  cet_twin_spec *s = new_spec();
  const char *o[] = {"a", "b"};
  const double split[] = {0.5, 0.5, 0.5, 0.5};
  size_t F = feed(s, "F", 1, 1, 0);
  size_t P = process(s, "P", 2, o, split);
  size_t M = mixer(s, "M");
  sink(s, "S", CET_SINK_MARKET);
  stream(s, F, 0, M);
  stream(s, M, 0, P);
  stream(s, P, 0, M);
  stream(s, P, 1, M);
  expect_build_error(s, CET_ERR_INPUT, "closed loop without exit");
}

static void test_structure_errors(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  s->n_streams--; /* P.waste unconnected */
  free(s->stream[s->n_streams].where);
  expect_build_error(s, CET_ERR_INPUT, "outlet 'waste' of unit 'P' is not connected");

  s = recycle_spec();
  stream(s, R_P, 2, R_S);
  expect_build_error(s, CET_ERR_INPUT, "already connected");

  s = recycle_spec();
  s->stream[0].to = R_F;
  expect_build_error(s, CET_ERR_INPUT, "enters feed");

  s = recycle_spec();
  stream(s, R_S, 0, R_L);
  expect_build_error(s, CET_ERR_INPUT, "leaves sink");

  s = recycle_spec();
  s->stream[2].outlet = 7;
  expect_build_error(s, CET_ERR_INPUT, "has no outlet 7");

  s = recycle_spec();
  s->stream[2].to = 42;
  expect_build_error(s, CET_ERR_INPUT, "out of range");

  s = recycle_spec();
  cet_names_add(&s->unit[R_S].outlets, "out");
  expect_build_error(s, CET_ERR_INPUT, "cannot have outlets");

  s = recycle_spec();
  cet_names_clear(&s->unit[R_M].outlets);
  expect_build_error(s, CET_ERR_INPUT, "has no outlets");

  s = recycle_spec();
  s->unit[R_P].split[0] = 10000;
  expect_build_error(s, CET_ERR_INPUT, "slot 10000 out of range");

  s = recycle_spec();
  s->unit[R_P].basis = 5;
  expect_build_error(s, CET_ERR_INPUT, "basis 5 out of range");

  s = recycle_spec();
  s->unit[R_F].flow = CET_SLOT_NONE;
  expect_build_error(s, CET_ERR_INPUT, "has no flow");

  s = recycle_spec();
  free(s->unit[R_M].name);
  s->unit[R_M].name = cet_strdup("M.x");
  expect_build_error(s, CET_ERR_INPUT, "without '.'");

  s = recycle_spec();
  s->unit[R_M].kind = (cet_unit_kind)17;
  expect_build_error(s, CET_ERR_INPUT, "unknown unit kind");

  s = recycle_spec();
  s->environment.avoided_credit = 3;
  expect_build_error(s, CET_ERR_INPUT, "credit index 3 out of range");

  s = recycle_spec();
  s->environment.emission_factor[0] = 999;
  expect_build_error(s, CET_ERR_INPUT, "emission factor slot");

  s = recycle_spec();
  free(s->carriers.name[0]);
  s->carriers.name[0] = cet_strdup("disposal");
  s->environment.emission_factor[0] = param(s, "ef", 1, 1);
  expect_build_error(s, CET_ERR_INPUT, "two metrics would be named 'gwp.disposal'");

  s = new_spec();
  size_t F = feed(s, "F", 1, 1, 0);
  size_t M = mixer(s, "M");
  stream(s, F, 0, M);
  stream(s, M, 0, M);
  expect_build_error(s, CET_ERR_INPUT, "no sink");

  s = new_spec();
  sink(s, "S", CET_SINK_MARKET);
  expect_build_error(s, CET_ERR_INPUT, "no feed");

  s = new_spec();
  cet_names_clear(&s->components);
  expect_build_error(s, CET_ERR_INPUT, "at least one component");

  cet_twin_parameters par = cet_twin_default_parameters();
  assert_true(par.pivot_tolerance > 0);
  par.pivot_tolerance = 0;
  s = recycle_spec();
  cet_twin *t = NULL;
  cet_error_clear();
  assert_int_equal(cet_twin_create(s, &par, &t), CET_ERR_INPUT);
  cet_test_expect_message("pivot_tolerance", NULL);
  cet_twin_spec_destroy(&s);
}

/* ---- runtime errors ---- */

/* Evaluating tt at its defaults with parameter path set to value fails
 * with a message holding fragment; then the defaults evaluate again. */
static void expect_eval_error(cet_test_twin *tt, const char *path, double value,
                              const char *fragment) {
  cet_test_twin_defaults(tt);
  tt->params[cet_test_twin_slot(tt, path)] = value;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(tt->twin, tt->params, tt->ws, tt->metrics), CET_ERR_RUNTIME);
  cet_test_expect_message(fragment, NULL);
  /* the same workspace still works afterwards */
  cet_test_twin_defaults(tt);
  cet_test_twin_evaluate(tt);
}

static void test_runtime_errors(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  const char *o[] = {"x", "y"};
  const double fr[] = {0.5, 0.5};
  /* an extra splitter-fed branch: F2 -> D -> (S, L) */
  size_t F2 = feed(s, "G", 1, 0.5, 0.5);
  size_t D = splitter(s, "D", 2, o, fr);
  stream(s, F2, 0, D);
  stream(s, D, 0, R_S);
  stream(s, D, 1, R_L);
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  const cet_twin *t = tt.twin;
  double *p = tt.params, *m = tt.metrics;
  expect_eval_error(&tt, "units.P.split.A.product", 1.5, "outside its range");
  expect_eval_error(&tt, "units.F.flow", NAN, "units.F.flow = nan");
  expect_eval_error(&tt, "units.F.flow", -1, "outside its range");
  expect_eval_error(&tt, "units.D.fractions[0]", -0.5, "outside its range");
  /* B's split factors all 0 */
  cet_test_twin_defaults(&tt);
  p[cet_test_twin_slot(&tt, "units.P.split.B.product")] = 0;
  p[cet_test_twin_slot(&tt, "units.P.split.B.recycle")] = 0;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, p, tt.ws, m), CET_ERR_RUNTIME);
  cet_test_expect_message("split factors of B in unit 'P' sum to 0", NULL);
  /* B goes only to the recycle: no exit at these values */
  p[cet_test_twin_slot(&tt, "units.P.split.B.recycle")] = 1;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, p, tt.ws, m), CET_ERR_RUNTIME);
  cet_test_expect_message("has no exit for component B", NULL);
  cet_test_twin_defaults(&tt);
  p[cet_test_twin_slot(&tt, "units.D.fractions[0]")] = 0;
  p[cet_test_twin_slot(&tt, "units.D.fractions[1]")] = 0;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, p, tt.ws, m), CET_ERR_RUNTIME);
  cet_test_expect_message("fractions of splitter 'D' sum to 0", NULL);
  cet_test_twin_defaults(&tt);
  p[cet_test_twin_slot(&tt, "units.G.composition.A")] = 0;
  p[cet_test_twin_slot(&tt, "units.G.composition.B")] = 0;
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, p, tt.ws, m), CET_ERR_RUNTIME);
  cet_test_expect_message("mass fractions of feed 'G' sum to 0", NULL);
  /* a workspace of another twin */
  cet_test_twin other;
  cet_test_twin_build(&other, s, NULL);
  cet_error_clear();
  assert_int_equal(cet_twin_evaluate(t, cet_twin_parameter_defaults(t), other.ws, m),
                   CET_ERR_RUNTIME);
  assert_int_equal(cet_twin_evaluate_bound(t, NULL, NULL, other.ws, m), CET_ERR_RUNTIME);
  cet_test_expect_message("another twin", NULL);
  cet_test_twin_release(&other);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* ---- bindings ---- */

static void test_binding(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  const cet_twin *t = tt.twin;
  const char *paths[] = {"units.P.split.A.recycle", "units.F.flow"};
  cet_binding *b = NULL;
  assert_int_equal(cet_binding_create(t, paths, 2, &b), CET_OK);
  assert_int_equal(cet_binding_size(b), 2);
  assert_int_equal(cet_binding_slot(b, 1), cet_test_twin_slot(&tt, "units.F.flow"));
  size_t np = cet_twin_parameter_count(t), nm = cet_twin_metric_count(t);
  double *m1 = malloc(nm * sizeof *m1);
  const double x[2] = {0.4, 250};
  cet_binding_apply(b, x, tt.params);
  for (size_t i = 0; i < np; i++) {
    int bound = i == cet_binding_slot(b, 0) || i == cet_binding_slot(b, 1);
    assert_true(bound || tt.params[i] == cet_twin_parameter_defaults(t)[i]);
  }
  cet_test_twin_evaluate(&tt);
  assert_int_equal(cet_twin_evaluate_bound(t, b, x, tt.ws, m1), CET_OK);
  assert_memory_equal(tt.metrics, m1, nm * sizeof *m1);
  assert_memory_equal(cet_twin_workspace_params(tt.ws), tt.params, np * sizeof *tt.params);
  /* A: recycle share 0.4 of (0.7 + 0.4 + 0.1) */
  assert_close(cet_test_twin_metric(&tt, "mass.S.A"), 250 * 0.4 * 0.7 / 0.8, TIGHT);
  assert_int_equal(cet_twin_evaluate_bound(t, NULL, NULL, tt.ws, tt.metrics), CET_OK);
  assert_close(cet_test_twin_metric(&tt, "feed"), 100, TIGHT);
  cet_binding_destroy(&b);
  assert_null(b);
  cet_binding_destroy(&b);

  const char *bad[] = {"units.F.flow", "units.P.split.A.recycel"};
  cet_error_clear();
  assert_int_equal(cet_binding_create(t, bad, 2, &b), CET_ERR_INPUT);
  assert_null(b);
  cet_test_expect_message("closest: 'units.P.split.A.recycle'", NULL);
  const char *twice[] = {"units.F.flow", "units.F.flow"};
  cet_error_clear();
  assert_int_equal(cet_binding_create(t, twice, 2, &b), CET_ERR_INPUT);
  cet_test_expect_message("bound twice", NULL);
  assert_int_equal(cet_binding_create(t, NULL, 0, &b), CET_OK);
  assert_int_equal(cet_binding_size(b), 0);
  cet_binding_destroy(&b);
  free(m1);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

/* ---- threads ---- */

enum { N_SETS = 2000, N_THREADS = 4 };

static void test_openmp_equals_serial(void **state) {
  (void)state;
  cet_twin_spec *s = recycle_spec();
  cet_test_twin tt;
  cet_test_twin_build(&tt, s, NULL);
  const cet_twin *t = tt.twin;
  const char *paths[] = {"units.P.split.A.recycle", "units.P.split.B.product", "units.F.flow"};
  cet_binding *b = NULL;
  assert_int_equal(cet_binding_create(t, paths, 3, &b), CET_OK);
  size_t nm = cet_twin_metric_count(t);
  double *x = malloc(N_SETS * 3 * sizeof *x);
  double *serial = malloc(N_SETS * nm * sizeof *serial);
  double *parallel = malloc(N_SETS * nm * sizeof *parallel);
  for (size_t i = 0; i < N_SETS; i++) {
    x[3 * i] = 0.05 + 0.9 * (double)i / N_SETS;
    x[3 * i + 1] = 0.1 + 0.8 * (double)((i * 7919) % N_SETS) / N_SETS;
    x[3 * i + 2] = 1 + (double)i;
  }
  for (size_t i = 0; i < N_SETS; i++) {
    assert_int_equal(cet_twin_evaluate_bound(t, b, x + 3 * i, tt.ws, serial + i * nm), CET_OK);
  }
  int failures = 0, threads = 0;
#pragma omp parallel num_threads(N_THREADS) reduction(+ : failures)
  {
#pragma omp single
    threads = omp_get_num_threads();
    cet_twin_workspace *tw = NULL;
    failures += cet_twin_workspace_create(t, &tw) != CET_OK;
#pragma omp for schedule(dynamic, 7)
    for (size_t i = 0; i < N_SETS; i++) {
      failures += cet_twin_evaluate_bound(t, b, x + 3 * i, tw, parallel + i * nm) != CET_OK;
    }
    cet_twin_workspace_destroy(&tw);
  }
  assert_int_equal(failures, 0);
  assert_true(threads >= 1);
  assert_memory_equal(serial, parallel, N_SETS * nm * sizeof *serial);
  free(x);
  free(serial);
  free(parallel);
  cet_binding_destroy(&b);
  cet_test_twin_release(&tt);
  cet_twin_spec_destroy(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_recycle_closed_form),
      cmocka_unit_test(test_two_unit_loop),
      cmocka_unit_test(test_shares_are_normalised),
      cmocka_unit_test(test_environment),
      cmocka_unit_test(test_unknown_consumption),
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_metric_families),
      cmocka_unit_test(test_large_loop_sparse_equals_dense),
      cmocka_unit_test(test_singular_loop_is_input_error),
      cmocka_unit_test(test_singular_large_loop_is_input_error),
      cmocka_unit_test(test_closed_loop_is_input_error),
      cmocka_unit_test(test_structure_errors),
      cmocka_unit_test(test_runtime_errors),
      cmocka_unit_test(test_binding),
      cmocka_unit_test(test_openmp_equals_serial),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
