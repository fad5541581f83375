/*
 * toy_engine.c — the toy problem of the engine's tests (toy_engine.h).
 */
#include "toy_engine.h"

#include "cetwin/error.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

double toy_value(uint64_t i) {
  uint64_t z = i + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (double)(z >> 11) / 4503599627370496.0 - 1.0;
}

static int toy_ws_create(void *model, void **ws) {
  toy *m = model;
#pragma omp atomic
  m->workspaces++;
  *ws = malloc(8);
  return *ws ? CET_OK : CET_ERR_MEMORY;
}

static void toy_ws_destroy(void **ws) {
  free(*ws);
  *ws = NULL;
}

static int toy_evaluate(void *model, void *ws, uint64_t first, size_t count, double *values,
                        double *const *extras, uint64_t *failed) {
  (void)ws;
  const toy *m = model;
  for (size_t d = 0; d < count; d++) {
    uint64_t i = first + d;
    *failed = i;
    CET_CHECK(i != m->fail_at && i != m->fail_also, CET_ERR_RUNTIME, "toy fails at %llu",
              (unsigned long long)i);
    if (i == m->signal_at) {
      raise(SIGUSR1);
    }
    double x = toy_value(i);
    values[2 * d] = m->nan_every && i % m->nan_every == 0 ? NAN : x;
    values[2 * d + 1] = x * x;
    if (extras) {
      extras[0][d] = (double)i;
    }
  }
  return CET_OK;
}

static int toy_acc_create(void *model, void **acc) {
  (void)model;
  toy_acc *a = calloc(1, sizeof *a);
  CET_CHECK_ALLOC(a);
  cet_xsum_init(&a->sum);
  *acc = a;
  return CET_OK;
}

static void toy_acc_destroy(void **acc) {
  free(*acc);
  *acc = NULL;
}

static int toy_acc_pack(void *acc, const void **bytes, size_t *size) {
  cet_xsum_normalize(&((toy_acc *)acc)->sum);
  *bytes = acc;
  *size = sizeof(toy_acc);
  return CET_OK;
}

static int toy_acc_add(void *model, void *acc, uint64_t b, uint64_t first, size_t count,
                       const double *values) {
  (void)model;
  toy_acc *a = acc;
  for (size_t d = 0; d < count; d++) {
    double x = toy_value(first + d);
    CET_CHECK(values[2 * d + 1] == x * x, CET_ERR_RUNTIME, "block %llu: point %llu out of place",
              (unsigned long long)b, (unsigned long long)(first + d));
    CET_CALL(cet_xsum_add(&a->sum, values[2 * d + 1]));
  }
  a->blocks += b + 1;
  a->points += count;
  return CET_OK;
}

static int toy_acc_merge(void *model, void *acc, const void *bytes, size_t size) {
  (void)model;
  CET_CHECK(size == sizeof(toy_acc), CET_ERR_INPUT, "a toy accumulator of %zu bytes", size);
  toy_acc *a = acc;
  toy_acc o_copy;
  memcpy(&o_copy, bytes, size);
  const toy_acc *o = &o_copy;
  cet_xsum_merge(&a->sum, &o->sum);
  a->blocks += o->blocks;
  a->points += o->points;
  return CET_OK;
}

cet_engine_problem toy_problem(toy *m, size_t batch, int with_acc) {
  cet_engine_problem p = {.model = m,
                          .n_values = 2,
                          .n_extras = 1,
                          .extra_width = {1},
                          .batch = batch,
                          .workspace_create = toy_ws_create,
                          .workspace_destroy = toy_ws_destroy,
                          .evaluate = toy_evaluate};
  if (with_acc) {
    p.acc_create = toy_acc_create;
    p.acc_destroy = toy_acc_destroy;
    p.acc_add_block = toy_acc_add;
    p.acc_pack = toy_acc_pack;
    p.acc_merge_bytes = toy_acc_merge;
  }
  return p;
}
