/*
 * sensitivity_info.c — `cetwin info` of a sensitivity result (drivers.h):
 * the tornado of every metric, read from /sensitivity/oat into the view
 * the run prints (sensitivity_impl.h), and which methods the file holds.
 */
#include "cetwin/drivers.h"

#include "sensitivity_impl.h"
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum { SA_INFO_KINDS = CET_FACTOR_PRICES + 1 };

/* What /sensitivity/oat holds, read whole (owned). */
typedef struct {
  char **metric, **units, **name, **kind;
  size_t nm, nu, nf, nk, k;
  double *base, *settings, *values, *swing;
  long long *rank, *factor;
} oat_read;

static void oat_free(oat_read *o) {
  cet_free_strings(o->metric, o->nm);
  cet_free_strings(o->units, o->nu);
  cet_free_strings(o->name, o->nf);
  cet_free_strings(o->kind, o->nk);
  free(o->base);
  free(o->settings);
  free(o->values);
  free(o->swing);
  free(o->rank);
  free(o->factor);
}

/* A numeric dataset of shape want (rank dimensions). */
static int read_shaped(cet_result_reader *in, const char *path, int ints, size_t rank,
                       const size_t *want, void **out) {
  return drv_read_shaped(in, path, ints ? CET_RESULT_INT64 : CET_RESULT_DOUBLE, rank, want,
                         "the factors of /sensitivity/oat/factors and the metrics", out);
}

static int oat_read_all(cet_result_reader *in, oat_read *o) {
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metrics", &o->nm, &o->metric));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/metric_units", &o->nu, &o->units));
  CET_CALL(drv_check_shape("/sensitivity/metric_units", 1, &o->nu, 1, &o->nm,
                           "one per /sensitivity/metrics"));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/factors/name", &o->nf, &o->name));
  CET_CALL(cet_result_read_strings(in, "/sensitivity/factors/kind", &o->nk, &o->kind));
  CET_CALL(drv_check_shape("/sensitivity/factors/kind", 1, &o->nk, 1, &o->nf,
                           "one per /sensitivity/factors/name"));
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_result_read_ints(in, "/sensitivity/oat/factors", &rank, dims, &o->factor));
  CET_CHECK(rank == 1, CET_ERR_INPUT, "/sensitivity/oat/factors: expected 1 dimension, found %zu",
            rank);
  o->k = dims[0];
  for (size_t i = 0; i < o->k; i++) {
    CET_CHECK(o->factor[i] >= 0 && (size_t)o->factor[i] < o->nf, CET_ERR_INPUT,
              "/sensitivity/oat/factors: expected indices 0..%zu, found %lld", o->nf - 1,
              o->factor[i]);
  }
  size_t k = o->k, nm = o->nm, d2[2] = {k, 2}, dv[3] = {k, 2, nm}, dw[2] = {k, nm};
  CET_CALL(read_shaped(in, "/sensitivity/oat/base", 0, 1, &o->nm, (void **)&o->base));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/settings", 0, 2, d2, (void **)&o->settings));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/values", 0, 3, dv, (void **)&o->values));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/swing", 0, 2, dw, (void **)&o->swing));
  CET_CALL(read_shaped(in, "/sensitivity/oat/tornado/rank", 1, 2, dw, (void **)&o->rank));
  return CET_OK;
}

/* The kind named name. */
static cet_factor_kind kind_named(const char *name) {
  for (int k = 0; k < SA_INFO_KINDS; k++) {
    if (strcmp(cet_factor_kind_name((cet_factor_kind)k), name) == 0) {
      return (cet_factor_kind)k;
    }
  }
  return CET_FACTOR_VALUE;
}

/* The tornado of metric m: the factors in the order of their rank. */
static int print_metric(const oat_read *o, size_t m, FILE *out) {
  size_t k = o->k;
  const char **names = calloc(k + 1, sizeof *names);
  cet_factor_kind *kind = calloc(k + 1, sizeof *kind);
  double *v = calloc(SA_TORNADO_COLUMNS * k + 1, sizeof *v);
  int status = names && kind && v ? CET_OK : CET_ERR_MEMORY;
  for (size_t i = 0; status == CET_OK && i < k; i++) {
    long long r = o->rank[i * o->nm + m];
    CET_CHECK_GOTO(status, done, r >= 1 && (size_t)r <= k, CET_ERR_INPUT,
                   "/sensitivity/oat/tornado/rank: expected ranks 1..%zu, found %lld", k, r);
    size_t n = (size_t)r - 1, f = (size_t)o->factor[i];
    names[n] = o->name[f];
    kind[n] = kind_named(o->kind[f]);
    v[SA_TORNADO_LOW * k + n] = o->settings[2 * i];
    v[SA_TORNADO_HIGH * k + n] = o->settings[2 * i + 1];
    v[SA_TORNADO_AT_LOW * k + n] = o->values[(2 * i) * o->nm + m];
    v[SA_TORNADO_AT_HIGH * k + n] = o->values[(2 * i + 1) * o->nm + m];
    v[SA_TORNADO_SWING * k + n] = o->swing[i * o->nm + m];
  }
  for (size_t n = 0; status == CET_OK && n < k; n++) {
    CET_CHECK_GOTO(status, done, names[n] != NULL, CET_ERR_INPUT,
                   "/sensitivity/oat/tornado/rank: rank %zu of metric %s given to no factor", n + 1,
                   o->metric[m]);
  }
  if (status == CET_OK) {
    sa_tornado_view view = {.metric = o->metric[m],
                            .units = o->units[m],
                            .base = o->base[m],
                            .name_width = sa_name_width((const char *const *)o->name, o->nf),
                            .n = k,
                            .factor = names,
                            .kind = kind,
                            .columns = v};
    sa_print_tornado(&view, out);
  }
done:
  free(names);
  free(kind);
  free(v);
  CET_CHECK(status != CET_ERR_MEMORY, CET_ERR_MEMORY, "out of memory");
  return status;
}

int cet_info_sensitivity(cet_result_reader *in, int verbose, FILE *out) {
  (void)verbose;
  static const char *const METHODS[] = {"oat", "morris", "sweep", "sobol"};
  fprintf(out, "  methods in the file:");
  for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
    char group[64];
    snprintf(group, sizeof group, "/sensitivity/%s", METHODS[i]);
    if (cet_result_has(in, group)) {
      fprintf(out, " %s (%s)", METHODS[i], group);
    }
  }
  fprintf(out, "\n");
  if (!cet_result_has(in, "/sensitivity/oat/tornado")) {
    return CET_OK;
  }
  oat_read o = {0};
  int status = oat_read_all(in, &o);
  for (size_t m = 0; status == CET_OK && m < o.nm; m++) {
    status = print_metric(&o, m, out);
  }
  oat_free(&o);
  return status;
}
