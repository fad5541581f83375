/*
 * rng_normal.c — standard normal deviates generated in bulk from a Philox
 * stream (see cet_rng_normals in rng.h): a 128-layer ziggurat (Marsaglia
 * and Tsang 2000) on 32-bit halves of the stream's 64-bit words.
 *
 * Deviate k starts from half k of the stream's words (counter lane 0):
 * layer i = h & 127, sign = bit 7, magnitude j = h >> 8 (24 bits). In the
 * fast path (about 97.2 % of the halves) the deviate is +-j w[i], the sign
 * set by flipping the sign bit (no unpredictable branch). Otherwise the
 * wedge or tail test takes uniforms and new halves from a second lane of
 * the same stream (counter lane 1), consumed in the order of the
 * rejections; so deviate k depends only on half k and the rejections
 * before it. The halves are generated up to 64 at a time into a local array
 * (independent Philox blocks whose multiplications overlap), then turned
 * into deviates in a tight loop that also returns the rejections as a bit
 * mask, so the slow paths are found without scanning. The tables are
 * computed once, thread-safely.
 *
 * cet_rng_normals_batch gives the same deviates for a batch of draws
 * (consecutive indices), the draws innermost, in chunks of up to 64 draws.
 * Since only counter word 0 differs between the draws, block b of a chunk
 * comes from one call of the vectorised Philox (philox_lanes.h), and its 8
 * rows of halves (deviate k of every draw) go through the fast path for
 * rows (zig_rows.h, vectorised across the draws), two rows (the low and
 * high halves of a word) at a time. Each draw keeps its own slow lane; rows are
 * done in increasing k, so a draw's rejections take their halves in the
 * same order as in cet_rng_normals. A chunk of fewer than 16 draws is
 * done draw by draw as by cet_rng_normals (its rows are too short for the
 * vectors to pay).
 */
#include "cetwin/rng.h"

#include "cetwin/clones.h"
#include "philox_lanes.h"
#include "zig_rows.h"

#include <Random123/philox.h>
#include <math.h>
#include <string.h>
#include <threads.h>

enum {
  LAYERS = CET_ZIG_LAYERS,
  LAYER_MASK = LAYERS - 1,
  MAGNITUDE_SHIFT = CET_ZIG_MAGNITUDE_SHIFT,
  WORDS = 4,                          /* 64-bit words of one Philox4x64 block */
  BLOCK_HALVES = 2 * WORDS,           /* their 32-bit halves */
  MAX_BLOCKS = 8,                     /* blocks generated at once */
  HALVES = MAX_BLOCKS * BLOCK_HALVES, /* halves held */
  BATCH_DRAWS = 64,                   /* draws per chunk of cet_rng_normals_batch */
  MIN_LANES = 16                      /* smaller chunks go draw by draw: the vector path's cost
                                         per row then outweighs its faster Philox (measured) */
};
_Static_assert(HALVES <= 64 && BATCH_DRAWS <= 64,
               "the rejections of the halves held, or of a row of draws, are bits of one word");
_Static_assert((int)BATCH_DRAWS == (int)CET_ZIG_ROW, "a row of the fast path is a chunk's draws");

/* Right end of the base layer and area of each layer (Marsaglia and Tsang
 * 2000, RNOR with 128 layers). */
static const double ZIG_R = 3.442619855899;
static const double ZIG_V = 9.91256303526217e-3;
/* Scale of the 24-bit magnitude. */
static const double MAGNITUDE_SCALE = 16777216.0; /* 2^24 */
/* Uniform on (0, 1) from a 32-bit half: (h + 0.5) 2^-32. */
static const double HALF_SCALE = 0x1p-32;

static double zig_w[LAYERS];         /* x_i / 2^24 */
static uint32_t zig_k[LAYERS];       /* fast-path bound on j */
static double zig_kd[LAYERS];        /* the same bound as a double (vector compares) */
static double zig_f[LAYERS];         /* exp(-x_i^2 / 2) */
static cet_zig_rows_tables zig_rows; /* the fast path's tables for rows of draws */
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
  for (int i = 0; i < LAYERS; i++) {
    zig_kd[i] = (double)zig_k[i];
  }
  cet_zig_rows_init(&zig_rows, zig_w, zig_k, zig_kd);
}

typedef struct {
  philox4x64_key_t key;
  philox4x64_ctr_t ctr;
  uint32_t half[BLOCK_HALVES];
  unsigned used;
} half_stream;

/* Words of block `block` of the stream (lane 0: the deviates' own halves;
 * lane 1: the halves of the rare slow paths). */
static inline philox4x64_ctr_t block_of(const philox4x64_key_t *key, uint64_t index, uint64_t sub,
                                        uint64_t block, uint64_t lane) {
  philox4x64_ctr_t c = {{index, sub, block, lane}};
  return philox4x64(c, *key);
}

/* The halves of a block: half 2w the low, 2w + 1 the high 32 bits of
 * word w. */
static inline void halves_of(philox4x64_ctr_t o, uint32_t half[BLOCK_HALVES]) {
  for (int w = 0; w < WORDS; w++) {
    half[2 * w] = (uint32_t)o.v[w];
    half[2 * w + 1] = (uint32_t)(o.v[w] >> 32);
  }
}

static uint32_t next_half(half_stream *s) {
  if (s->used == BLOCK_HALVES) {
    halves_of(philox4x64(s->ctr, s->key), s->half);
    s->ctr.v[2]++;
    s->used = 0;
  }
  return s->half[s->used++];
}

static double uniform(half_stream *s) { return ((double)next_half(s) + 0.5) * HALF_SCALE; }

/* The fast path for every half (m <= 64): the deviates into out; returns
 * the mask of the rejected halves (bit k for half k). */
static inline uint64_t fast_path(const uint32_t *restrict half, size_t m, double *restrict out) {
  uint64_t rejected = 0;
  for (size_t k = 0; k < m; k++) {
    rejected |= cet_zig_fast_half(zig_w, zig_kd, half[k], &out[k]) << k;
  }
  return rejected;
}

/* The slow path of a deviate whose half h failed the fast test: wedge and
 * tail tests with uniforms, and new halves, from the slow lane s. */
static double slow(half_stream *s, uint32_t h) {
  for (;;) {
    unsigned i = h & LAYER_MASK;
    uint32_t j = h >> MAGNITUDE_SHIFT;
    if (j < zig_k[i]) {
      return cet_zig_signed((double)j * zig_w[i], h);
    }
    double x = (double)j * zig_w[i];
    if (i == 0) { /* the tail beyond ZIG_R */
      double y;
      do {
        x = -log(uniform(s)) / ZIG_R;
        y = -log(uniform(s));
      } while (y + y < x * x);
      return cet_zig_signed(ZIG_R + x, h);
    }
    if (zig_f[i] + uniform(s) * (zig_f[i - 1] - zig_f[i]) < exp(-0.5 * x * x)) {
      return cet_zig_signed(x, h);
    }
    h = next_half(s);
  }
}

/* Slow lane d of lanes, the halves of counter lane 1 of stream (key,
 * index, sub), started on its first use (bit d of *started). */
static half_stream *slow_lane(half_stream *lanes, uint64_t *started, size_t d,
                              const philox4x64_key_t *key, uint64_t index, uint64_t sub) {
  if (!((*started >> d) & 1u)) {
    lanes[d].key = *key;
    lanes[d].ctr = (philox4x64_ctr_t){{index, sub, 0, 1}};
    lanes[d].used = BLOCK_HALVES;
    *started |= (uint64_t)1 << d;
  }
  return &lanes[d];
}

/* Deviates k0 .. k0 + m - 1 (k0 a multiple of HALVES, m <= HALVES) of
 * stream (key, index, sub) into out, the stream's slow lane in lanes[d]
 * (started when bit d of *started is set). Inlined into each version of
 * its callers. */
static inline __attribute__((always_inline)) void
normals_part(const philox4x64_key_t *key, uint64_t index, uint64_t sub, size_t k0, size_t m,
             double *out, half_stream *lanes, uint64_t *started, size_t d) {
  /* the halves of up to MAX_BLOCKS blocks: deviate k0 + k takes half k */
  uint32_t half[HALVES];
  size_t blocks = (m + BLOCK_HALVES - 1) / BLOCK_HALVES;
  for (size_t b = 0; b < blocks; b++) {
    halves_of(block_of(key, index, sub, k0 / BLOCK_HALVES + b, 0), half + BLOCK_HALVES * b);
  }
  /* the slow paths, in order */
  for (uint64_t rejected = fast_path(half, m, out); rejected; rejected &= rejected - 1) {
    size_t k = (size_t)__builtin_ctzll(rejected);
    out[k] = slow(slow_lane(lanes, started, d, key, index, sub), half[k]);
  }
}

/* Built for the processor's instruction set (chosen at run time); integer
 * and table operations only in the fast path, so the bits do not depend
 * on the version. */
CET_CLONES static void normals_clones(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub,
                                      size_t n, double *out) {
  call_once(&zig_once, zig_init);
  const philox4x64_key_t key = {{seed, purpose}};
  half_stream lane; /* the slow lane, started on the first rejection */
  uint64_t started = 0;
  for (size_t k0 = 0; k0 < n; k0 += HALVES) {
    size_t m = n - k0 < HALVES ? n - k0 : HALVES;
    normals_part(&key, index, sub, k0, m, out + k0, &lane, &started, 0);
  }
}

void cet_rng_normals(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub, size_t n,
                     double *out) {
  normals_clones(seed, purpose, index, sub, n, out);
}

/* The deviates of draws first .. first + m - 1 (m < MIN_LANES) of
 * cet_rng_normals_batch draw by draw, as cet_rng_normals, up to 64 of
 * each draw at a time, then copied row by row into out. Versions as for
 * cet_rng_normals. */
CET_CLONES static void normals_by_draw(const philox4x64_key_t *key, uint64_t first, size_t m,
                                       uint64_t sub, size_t n, double *out, size_t ld) {
  double part[MIN_LANES][HALVES];
  half_stream slow_lanes[MIN_LANES]; /* slow lane d started on draw d's first rejection */
  uint64_t started = 0;
  for (size_t k0 = 0; k0 < n; k0 += HALVES) {
    size_t mk = n - k0 < HALVES ? n - k0 : HALVES;
    for (size_t d = 0; d < m; d++) {
      normals_part(key, first + d, sub, k0, mk, part[d], slow_lanes, &started, d);
    }
    for (size_t k = 0; k < mk; k++) {
      for (size_t d = 0; d < m; d++) {
        out[(k0 + k) * ld + d] = part[d][k];
      }
    }
  }
}

/* The deviates of draws first .. first + m - 1 (m <= BATCH_DRAWS) of
 * cet_rng_normals_batch: block by block, the block of every draw from
 * lanes, then its rows through the fast path two at a time (the low and
 * high halves of a word), then their rejections; rows in increasing k, so
 * each draw meets its rejections in the order of cet_rng_normals. */
static void normals_by_lanes(cet_philox_lanes_fn *lanes, cet_zig_rows_fn *fast_rows,
                             const philox4x64_key_t *key, uint64_t first, size_t m, uint64_t sub,
                             size_t n, double *out, size_t ld) {
  uint64_t word[WORDS][BATCH_DRAWS];   /* one block of each draw, draws innermost */
  half_stream slow_lanes[BATCH_DRAWS]; /* slow lane d started on draw d's first rejection */
  uint64_t started = 0;
  if (m < BATCH_DRAWS) { /* the fast path reads, but does not use, the words beyond m */
    memset(word, 0, sizeof word);
  }
  for (size_t k0 = 0; k0 < n; k0 += BLOCK_HALVES) {
    const uint64_t ctr[4] = {first, sub, k0 / BLOCK_HALVES, 0};
    lanes(key->v, ctr, m, word[0], BATCH_DRAWS);
    for (size_t r = 0; r < BLOCK_HALVES && k0 + r < n; r += 2) {
      /* deviates k0 + r and k0 + r + 1: the low and high halves of word r / 2 */
      const uint64_t *w = word[r / 2];
      const size_t rows = n - (k0 + r) < 2 ? 1 : 2;
      double *const row[2] = {out + (k0 + r) * ld, rows == 2 ? out + (k0 + r + 1) * ld : NULL};
      uint64_t rejected[2];
      fast_rows(&zig_rows, w, m, rows, row, rejected);
      for (size_t h = 0; h < rows; h++) {
        for (uint64_t rej = rejected[h]; rej; rej &= rej - 1) {
          size_t d = (size_t)__builtin_ctzll(rej);
          half_stream *s = slow_lane(slow_lanes, &started, d, key, first + d, sub);
          row[h][d] = slow(s, (uint32_t)(w[d] >> (32 * h)));
        }
      }
    }
  }
}

void cet_rng_normals_batch(uint64_t seed, uint64_t purpose, uint64_t first, size_t count,
                           uint64_t sub, size_t n, double *out, size_t ld) {
  call_once(&zig_once, zig_init);
  cet_philox_lanes_fn *lanes = cet_philox_lanes();
  cet_zig_rows_fn *fast_rows = cet_zig_rows();
  const philox4x64_key_t key = {{seed, purpose}};
  for (size_t d0 = 0; d0 < count; d0 += BATCH_DRAWS) {
    size_t m = count - d0 < BATCH_DRAWS ? count - d0 : BATCH_DRAWS;
    if (m >= MIN_LANES) {
      normals_by_lanes(lanes, fast_rows, &key, first + d0, m, sub, n, out + d0, ld);
    } else {
      normals_by_draw(&key, first + d0, m, sub, n, out + d0, ld);
    }
  }
}
