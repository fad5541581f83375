/*
 * rng_normal.c — standard normal deviates generated in bulk from a Philox
 * stream (see cet_rng_normals in rng.h): a 128-layer ziggurat (Marsaglia
 * and Tsang 2000) on 32-bit halves of the stream's 64-bit words.
 *
 * A half h gives layer i = h & 127, sign = bit 7 and magnitude j = h >> 8
 * (24 bits). In the fast path (about 98.8 % of the halves) the deviate is
 * +-j w[i]; otherwise the wedge or tail test draws uniforms from the next
 * halves of the stream. The tables are computed once, thread-safely.
 */
#include "cetwin/rng.h"

#include <Random123/philox.h>
#include <math.h>
#include <threads.h>

enum { LAYERS = 128, LAYER_MASK = LAYERS - 1, SIGN_BIT = 128, MAGNITUDE_SHIFT = 8 };

/* Right end of the base layer and area of each layer (Marsaglia and Tsang
 * 2000, RNOR with 128 layers). */
static const double ZIG_R = 3.442619855899;
static const double ZIG_V = 9.91256303526217e-3;
/* Scale of the 24-bit magnitude. */
static const double MAGNITUDE_SCALE = 16777216.0; /* 2^24 */
/* Uniform on (0, 1) from a 32-bit half: (h + 0.5) 2^-32. */
static const double HALF_SCALE = 0x1p-32;

static double zig_w[LAYERS];   /* x_i / 2^24 */
static uint32_t zig_k[LAYERS]; /* fast-path bound on j */
static double zig_f[LAYERS];   /* exp(-x_i^2 / 2) */
static once_flag zig_once = ONCE_FLAG_INIT;

static void zig_init(void) {
  double dn = ZIG_R, tn = dn;
  const double q = ZIG_V / exp(-0.5 * dn * dn);
  zig_k[0] = (uint32_t)((dn / q) * MAGNITUDE_SCALE);
  zig_k[1] = 0;
  zig_w[0] = q / MAGNITUDE_SCALE;
  zig_w[LAYERS - 1] = dn / MAGNITUDE_SCALE;
  zig_f[0] = 1.0;
  zig_f[LAYERS - 1] = exp(-0.5 * dn * dn);
  for (int i = LAYERS - 2; i >= 1; i--) {
    dn = sqrt(-2.0 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
    zig_k[i + 1] = (uint32_t)((dn / tn) * MAGNITUDE_SCALE);
    tn = dn;
    zig_f[i] = exp(-0.5 * dn * dn);
    zig_w[i] = dn / MAGNITUDE_SCALE;
  }
}

typedef struct {
  philox4x64_key_t key;
  philox4x64_ctr_t ctr;
  uint32_t half[8];
  unsigned used;
} half_stream;

static void refill(half_stream *s) {
  philox4x64_ctr_t o = philox4x64(s->ctr, s->key);
  s->ctr.v[2]++;
  for (int k = 0; k < 4; k++) {
    s->half[2 * k] = (uint32_t)o.v[k];
    s->half[2 * k + 1] = (uint32_t)(o.v[k] >> 32);
  }
  s->used = 0;
}

static uint32_t next_half(half_stream *s) {
  if (s->used == 8) {
    refill(s);
  }
  return s->half[s->used++];
}

static double uniform(half_stream *s) { return ((double)next_half(s) + 0.5) * HALF_SCALE; }

/* The slow path of one deviate starting from half h. */
static double slow(half_stream *s, uint32_t h) {
  for (;;) {
    unsigned i = h & LAYER_MASK;
    double sign = (h & SIGN_BIT) ? -1.0 : 1.0;
    uint32_t j = h >> MAGNITUDE_SHIFT;
    if (j < zig_k[i]) {
      return sign * (double)j * zig_w[i];
    }
    double x = (double)j * zig_w[i];
    if (i == 0) { /* the tail beyond ZIG_R */
      double y;
      do {
        x = -log(uniform(s)) / ZIG_R;
        y = -log(uniform(s));
      } while (y + y < x * x);
      return sign * (ZIG_R + x);
    }
    if (zig_f[i] + uniform(s) * (zig_f[i - 1] - zig_f[i]) < exp(-0.5 * x * x)) {
      return sign * x;
    }
    h = next_half(s);
  }
}

void cet_rng_normals(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub, size_t n,
                     double *out) {
  call_once(&zig_once, zig_init);
  half_stream s = {.key = {{seed, purpose}}, .ctr = {{index, sub, 0, 0}}, .used = 8};
  for (size_t k = 0; k < n; k++) {
    uint32_t h = next_half(&s);
    unsigned i = h & LAYER_MASK;
    uint32_t j = h >> MAGNITUDE_SHIFT;
    if (j < zig_k[i]) {
      double x = (double)j * zig_w[i];
      out[k] = (h & SIGN_BIT) ? -x : x;
    } else {
      out[k] = slow(&s, h);
    }
  }
}
