/*
 * toy_engine.h — a toy problem for the sampling engine's tests (engine.h):
 * value 0 of point i is a hash of i mapped to [-1, 1) (NaN at multiples of
 * nan_every), value 1 its square; points fail_at and fail_also fail, point
 * signal_at raises SIGUSR1 (a checkpoint's signal); extra
 * 0 holds the point index; an optional accumulator keeps the exact sum of
 * value 1 and counts the blocks and points added.
 */
#ifndef CETWIN_TOY_ENGINE_H
#define CETWIN_TOY_ENGINE_H

#include "cetwin/engine.h"
#include "cetwin/stats.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t fail_at, fail_also, nan_every;
  int workspaces;     /* created so far */
  uint64_t signal_at; /* evaluating this point raises SIGUSR1 (TOY_NEVER: none) */
} toy;

/* No failing point. */
#define TOY_NEVER UINT64_MAX

/* The accumulator: the exact sum of value 1, the sum of b + 1 over the
 * blocks b added, and the points added. */
typedef struct {
  cet_xsum sum;
  uint64_t blocks, points;
} toy_acc;

/* Value 0 of point i (before the NaNs). */
double toy_value(uint64_t i);

/* The problem of m in batches of `batch` points; with_acc: with the
 * accumulator. */
cet_engine_problem toy_problem(toy *m, size_t batch, int with_acc);

#endif /* CETWIN_TOY_ENGINE_H */
