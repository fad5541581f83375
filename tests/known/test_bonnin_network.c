/*
 * test_bonnin_network.c — configs/bonnin-pwb-network.yaml against the
 * enumeration of Bonnin et al. (2015) Tables 3-4: with all of the PWB feed
 * sent to one flowsheet, the network twin must give the product and the
 * consumptions that enumeration computes for that chain. Enumeration is
 * run on configs/bonnin-pwb.yaml with renormalise_splits: true, because a
 * network unit divides split factors by their sum (the printed Cu factors
 * of LSXEW, TEN and ER sum to 1.001). Both are the same products of split
 * factors, so they agree to rounding (relative 1e-12).
 */
#include "cetwin/case.h"
#include "cetwin/drivers.h"
#include "cetwin/config_load.h"
#include "cetwin/enumerate.h"
#include "cetwin/error.h"
#include "cetwin/twin.h"

#include <math.h>
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Agreement of two evaluations of the same products of factors. */
static const double ROUNDING = 1e-12;

enum { N_FLOWSHEETS = 7, MAX_STEPS = 8 };

/* The chains of Table 4 in the paper's numbering (outlets f1..f7). */
static const char *const CHAINS[N_FLOWSHEETS][MAX_STEPS] = {
    {"LSXEW"},
    {"ELEC", "PS", "A"},
    {"TEN", "PS", "A", "ER"},
    {"NOR", "DTB", "ELEC", "A"},
    {"ELEC", "ELEC", "ELEC", "ELEC", "ELEC", "A"},
    {"TEN", "ELEC", "ELEC", "ELEC", "ELEC", "A"},
    {"NOR", "ELEC", "ELEC", "ELEC", "A", "ER"},
};

static cet_case *load_case(const char *name, const char *set) {
  char path[1024];
  snprintf(path, sizeof path, "%s/configs/%s", CETWIN_SOURCE_DIR, name);
  cet_config *cfg = NULL;
  cet_case *c = NULL;
  int status = cet_config_load(path, set ? &set : NULL, set ? 1 : 0, MPI_COMM_SELF, &cfg);
  if (status == CET_OK) {
    status = cet_case_read(cfg, path, cet_analyses(), &c);
  }
  if (status != CET_OK) {
    cet_error_print(stderr, 1);
  }
  assert_int_equal(status, CET_OK);
  cet_config_destroy(&cfg);
  return c;
}

/* Index of the final flowsheet whose chain is CHAINS[k], or -1. */
static long find_chain(const cet_case *e, const cet_flowsheets *fs, size_t k) {
  for (size_t i = 0; i < cet_flowsheets_stored(fs, CET_FLOWSHEET_FINAL); i++) {
    cet_flowsheet f;
    assert_int_equal(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, i, &f), CET_OK);
    size_t n = 0;
    while (n < MAX_STEPS && CHAINS[k][n]) {
      n++;
    }
    int same = f.length == n;
    for (size_t s = 0; same && s < n; s++) {
      same = strcmp(cet_library_process(e->library, (size_t)f.step[s])->id, CHAINS[k][s]) == 0;
    }
    if (same) {
      return (long)i;
    }
  }
  return -1;
}

static void assert_agree(double network, double enumeration) {
  double den = fmax(fabs(enumeration), 1e-300);
  if (fabs(network - enumeration) > ROUNDING * den) {
    fprintf(stderr, "network %.17g, enumeration %.17g\n", network, enumeration);
  }
  assert_true(fabs(network - enumeration) <= ROUNDING * den || enumeration == 0.0);
}

static void test_each_flowsheet_alone(void **state) {
  (void)state;
  cet_case *e = load_case("bonnin-pwb.yaml", "renormalise_splits=true");
  cet_case *n = load_case("bonnin-pwb-network.yaml", NULL);
  cet_flowsheets *fs = NULL;
  assert_int_equal(cet_flowsheets_create(e->library, &e->enumerate, &fs), CET_OK);
  assert_int_equal(
      cet_enumerate(e->library, e->feed.mass, e->feed.property, &e->enumerate, 0, 1, fs), CET_OK);
  assert_int_equal(cet_flowsheets_sort(fs), CET_OK);
  assert_int_equal(cet_flowsheets_found(fs, CET_FLOWSHEET_FINAL), N_FLOWSHEETS);

  const cet_twin *t = n->twin;
  const cet_names *comps = cet_twin_components(t), *carriers = cet_twin_carriers(t);
  const char *paths[N_FLOWSHEETS];
  char buf[N_FLOWSHEETS][64];
  for (size_t k = 0; k < N_FLOWSHEETS; k++) {
    snprintf(buf[k], sizeof buf[k], "network.units.share.fractions[%zu]", k);
    paths[k] = buf[k];
  }
  cet_binding *b = NULL;
  assert_int_equal(cet_binding_create(t, paths, N_FLOWSHEETS, &b), CET_OK);
  cet_twin_workspace *w = NULL;
  assert_int_equal(cet_twin_workspace_create(t, &w), CET_OK);
  double *m = malloc(cet_twin_metric_count(t) * sizeof *m);
  for (size_t k = 0; k < N_FLOWSHEETS; k++) {
    long i = find_chain(e, fs, k);
    assert_true(i >= 0);
    cet_flowsheet f;
    assert_int_equal(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, (size_t)i, &f), CET_OK);
    double x[N_FLOWSHEETS] = {0};
    x[k] = 1;
    assert_int_equal(cet_twin_evaluate_bound(t, b, x, w, m), CET_OK);
    for (size_t c = 0; c < comps->n; c++) {
      char name[128];
      snprintf(name, sizeof name, "mass.cathode.%s", comps->name[c]);
      assert_agree(m[cet_twin_metric_find(t, name)], f.stream[c]);
    }
    for (size_t q = 0; q < carriers->n; q++) {
      char name[128];
      snprintf(name, sizeof name, "consumption.%s", carriers->name[q]);
      assert_agree(m[cet_twin_metric_find(t, name)], f.consumption[q]);
    }
    fprintf(stderr, "f%zu: Cu to cathode %.6f t/day, electricity %.2f kWh/day (= enumeration)\n",
            k + 1, m[cet_twin_metric_find(t, "mass.cathode.Cu")],
            m[cet_twin_metric_find(t, "consumption.electricity")]);
  }
  free(m);
  cet_twin_workspace_destroy(&w);
  cet_binding_destroy(&b);
  cet_flowsheets_destroy(&fs);
  cet_case_destroy(&e);
  cet_case_destroy(&n);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  cet_error_install_gsl_handler();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_each_flowsheet_alone),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
