/*
 * philox_lanes.c — Philox4x64-10 for many counters at once (see
 * philox_lanes.h). A round multiplies counter words 0 and 2 by constants
 * into 128-bit products; the vector units have no 64 x 64 -> 128 multiply,
 * so a product is built from four 32 x 32 -> 64 ones (vpmuludq), the high
 * word from their carries. The round keys are the same for every lane and
 * computed once per call. Several vectors of lanes are processed
 * round by round together, so that their independent multiplications
 * overlap: groups of 4 vectors, then the rest in one group of as many
 * vectors as it needs, computed whole into scratch and only its lanes
 * below count copied out. A rest of a few lanes is done one by one, which
 * is faster than a vector's chain of 10 dependent rounds.
 */
#include "philox_lanes.h"

#include <Random123/philox.h>
#include <threads.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum {
  WORDS = 4,                  /* 64-bit words of a block */
  ROUNDS = philox4x64_rounds, /* 10 */
  MAX_VECTORS = 4,            /* vectors of lanes processed together, at most */
  AVX2_WIDTH = 4,             /* lanes per vector */
  AVX512_WIDTH = 8,
  MAX_GROUP = MAX_VECTORS * AVX512_WIDTH, /* lanes per group, at most */
  SCALAR_TAIL = 6 /* a rest of up to this many lanes goes one by one (faster, measured) */
};

void cet_philox_lanes_scalar(const uint64_t key[2], const uint64_t ctr[4], size_t count,
                             uint64_t *out, size_t ld) {
  const philox4x64_key_t k = {{key[0], key[1]}};
  for (size_t d = 0; d < count; d++) {
    philox4x64_ctr_t c = {{ctr[0] + d, ctr[1], ctr[2], ctr[3]}};
    philox4x64_ctr_t o = philox4x64(c, k);
    for (size_t w = 0; w < WORDS; w++) {
      out[w * ld + d] = o.v[w];
    }
  }
}

#if defined(__x86_64__)

/* The keys of the rounds, key r = key + r W (Random123's bump). */
typedef struct {
  uint64_t k0[ROUNDS], k1[ROUNDS];
} round_keys;

/* A group of lanes of counters {ctr[0] + d, ctr[1], ctr[2], ctr[3]},
 * computed into out with leading dimension ld. */
typedef void group_fn(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld);

/* A vector version: group[v - 1] computes v vectors of width lanes. */
typedef struct {
  group_fn *group[MAX_VECTORS];
  size_t width;
} version;

/* count lanes by a vector version: groups of MAX_VECTORS vectors in place,
 * then the rest in one group through scratch, or one by one when it is
 * only a few lanes. */
static void by_groups(const version *ver, const uint64_t key[2], const uint64_t ctr[4],
                      size_t count, uint64_t *out, size_t ld) {
  round_keys rk = {{key[0]}, {key[1]}};
  for (int r = 1; r < ROUNDS; r++) {
    rk.k0[r] = rk.k0[r - 1] + PHILOX_W64_0;
    rk.k1[r] = rk.k1[r - 1] + PHILOX_W64_1;
  }
  const size_t full = MAX_VECTORS * ver->width;
  uint64_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
  size_t d = 0;
  for (; d + full <= count; d += full) {
    c[0] = ctr[0] + d;
    ver->group[MAX_VECTORS - 1](&rk, c, out + d, ld);
  }
  const size_t rest = count - d;
  c[0] = ctr[0] + d;
  if (rest <= SCALAR_TAIL) {
    cet_philox_lanes_scalar(key, c, rest, out + d, ld);
  } else {
    uint64_t scratch[WORDS * MAX_GROUP];
    const size_t vectors = (rest + ver->width - 1) / ver->width, width = vectors * ver->width;
    ver->group[vectors - 1](&rk, c, scratch, width);
    for (size_t w = 0; w < WORDS; w++) {
      for (size_t i = 0; i < rest; i++) {
        out[w * ld + d + i] = scratch[w * width + i];
      }
    }
  }
}

#define AVX2 __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define INLINE inline __attribute__((always_inline))

/* hi:lo = a m for each 64-bit lane; mlo and mhi hold the halves of m. */
static INLINE AVX2 void mulhilo_avx2(__m256i a, __m256i mlo, __m256i mhi, __m256i *hi,
                                     __m256i *lo) {
  const __m256i low32 = _mm256_set1_epi64x(0xffffffff);
  __m256i ahi = _mm256_srli_epi64(a, 32);
  __m256i p0 = _mm256_mul_epu32(a, mlo), p1 = _mm256_mul_epu32(a, mhi);
  __m256i p2 = _mm256_mul_epu32(ahi, mlo), p3 = _mm256_mul_epu32(ahi, mhi);
  __m256i t = _mm256_add_epi64(_mm256_srli_epi64(p0, 32), p1);
  __m256i u = _mm256_add_epi64(_mm256_and_si256(t, low32), p2);
  *hi = _mm256_add_epi64(_mm256_add_epi64(p3, _mm256_srli_epi64(t, 32)), _mm256_srli_epi64(u, 32));
  *lo = _mm256_add_epi64(p0, _mm256_slli_epi64(_mm256_add_epi64(p1, p2), 32));
}

/* A group of `vectors` AVX2 vectors, round by round together. */
static INLINE AVX2 void lanes_avx2(int vectors, const round_keys *rk, const uint64_t ctr[4],
                                   uint64_t *out, size_t ld) {
  const __m256i m0lo = _mm256_set1_epi64x((long long)(PHILOX_M4x64_0 & 0xffffffff));
  const __m256i m0hi = _mm256_set1_epi64x((long long)(PHILOX_M4x64_0 >> 32));
  const __m256i m1lo = _mm256_set1_epi64x((long long)(PHILOX_M4x64_1 & 0xffffffff));
  const __m256i m1hi = _mm256_set1_epi64x((long long)(PHILOX_M4x64_1 >> 32));
  __m256i x[MAX_VECTORS][WORDS];
  for (int v = 0; v < vectors; v++) {
    __m256i lane = _mm256_setr_epi64x(4 * v, 4 * v + 1, 4 * v + 2, 4 * v + 3);
    x[v][0] = _mm256_add_epi64(_mm256_set1_epi64x((long long)ctr[0]), lane);
    for (int w = 1; w < WORDS; w++) {
      x[v][w] = _mm256_set1_epi64x((long long)ctr[w]);
    }
  }
  for (int r = 0; r < ROUNDS; r++) {
    const __m256i key0 = _mm256_set1_epi64x((long long)rk->k0[r]);
    const __m256i key1 = _mm256_set1_epi64x((long long)rk->k1[r]);
    for (int v = 0; v < vectors; v++) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo_avx2(x[v][0], m0lo, m0hi, &hi0, &lo0);
      mulhilo_avx2(x[v][2], m1lo, m1hi, &hi1, &lo1);
      x[v][0] = _mm256_xor_si256(_mm256_xor_si256(hi1, x[v][1]), key0);
      x[v][1] = lo1;
      x[v][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, x[v][3]), key1);
      x[v][3] = lo0;
    }
  }
  for (int v = 0; v < vectors; v++) {
    for (size_t w = 0; w < WORDS; w++) {
      _mm256_storeu_si256((__m256i *)(out + w * ld + AVX2_WIDTH * (size_t)v), x[v][w]);
    }
  }
}

/* hi:lo = a m for each 64-bit lane; mhi holds the high half of m
 * (vpmuludq reads the low half of m itself). */
static INLINE AVX512 void mulhilo_avx512(__m512i a, __m512i m, __m512i mhi, __m512i *hi,
                                         __m512i *lo) {
  const __m512i low32 = _mm512_set1_epi64(0xffffffff);
  __m512i ahi = _mm512_srli_epi64(a, 32);
  __m512i p0 = _mm512_mul_epu32(a, m), p1 = _mm512_mul_epu32(a, mhi);
  __m512i p2 = _mm512_mul_epu32(ahi, m), p3 = _mm512_mul_epu32(ahi, mhi);
  __m512i t = _mm512_add_epi64(_mm512_srli_epi64(p0, 32), p1);
  __m512i u = _mm512_add_epi64(_mm512_and_si512(t, low32), p2);
  *hi = _mm512_add_epi64(_mm512_add_epi64(p3, _mm512_srli_epi64(t, 32)), _mm512_srli_epi64(u, 32));
  *lo = _mm512_mullo_epi64(a, m);
}

/* A group of `vectors` AVX-512 vectors, round by round together. */
static INLINE AVX512 void lanes_avx512(int vectors, const round_keys *rk, const uint64_t ctr[4],
                                       uint64_t *out, size_t ld) {
  const __m512i m0 = _mm512_set1_epi64((long long)PHILOX_M4x64_0);
  const __m512i m1 = _mm512_set1_epi64((long long)PHILOX_M4x64_1);
  const __m512i m0hi = _mm512_srli_epi64(m0, 32), m1hi = _mm512_srli_epi64(m1, 32);
  __m512i x[MAX_VECTORS][WORDS];
  for (int v = 0; v < vectors; v++) {
    __m512i lane = _mm512_setr_epi64(8 * v, 8 * v + 1, 8 * v + 2, 8 * v + 3, 8 * v + 4, 8 * v + 5,
                                     8 * v + 6, 8 * v + 7);
    x[v][0] = _mm512_add_epi64(_mm512_set1_epi64((long long)ctr[0]), lane);
    for (int w = 1; w < WORDS; w++) {
      x[v][w] = _mm512_set1_epi64((long long)ctr[w]);
    }
  }
  for (int r = 0; r < ROUNDS; r++) {
    const __m512i key0 = _mm512_set1_epi64((long long)rk->k0[r]);
    const __m512i key1 = _mm512_set1_epi64((long long)rk->k1[r]);
    for (int v = 0; v < vectors; v++) {
      __m512i hi0, lo0, hi1, lo1;
      mulhilo_avx512(x[v][0], m0, m0hi, &hi0, &lo0);
      mulhilo_avx512(x[v][2], m1, m1hi, &hi1, &lo1);
      x[v][0] = _mm512_ternarylogic_epi64(hi1, x[v][1], key0, 0x96); /* three-way xor */
      x[v][1] = lo1;
      x[v][2] = _mm512_ternarylogic_epi64(hi0, x[v][3], key1, 0x96);
      x[v][3] = lo0;
    }
  }
  for (int v = 0; v < vectors; v++) {
    for (size_t w = 0; w < WORDS; w++) {
      _mm512_storeu_si512(out + w * ld + AVX512_WIDTH * (size_t)v, x[v][w]);
    }
  }
}

/* The group kernels, one per number of vectors (constant in each, so that
 * the lanes stay in registers). */
static AVX2 void avx2_1(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx2(1, rk, ctr, out, ld);
}
static AVX2 void avx2_2(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx2(2, rk, ctr, out, ld);
}
static AVX2 void avx2_3(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx2(3, rk, ctr, out, ld);
}
static AVX2 void avx2_4(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx2(4, rk, ctr, out, ld);
}
static AVX512 void avx512_1(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx512(1, rk, ctr, out, ld);
}
static AVX512 void avx512_2(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx512(2, rk, ctr, out, ld);
}
static AVX512 void avx512_3(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx512(3, rk, ctr, out, ld);
}
static AVX512 void avx512_4(const round_keys *rk, const uint64_t ctr[4], uint64_t *out, size_t ld) {
  lanes_avx512(4, rk, ctr, out, ld);
}
_Static_assert(MAX_VECTORS == 4, "a group kernel for each number of vectors");

void cet_philox_lanes_avx2(const uint64_t key[2], const uint64_t ctr[4], size_t count,
                           uint64_t *out, size_t ld) {
  static const version avx2 = {{avx2_1, avx2_2, avx2_3, avx2_4}, AVX2_WIDTH};
  by_groups(&avx2, key, ctr, count, out, ld);
}

void cet_philox_lanes_avx512(const uint64_t key[2], const uint64_t ctr[4], size_t count,
                             uint64_t *out, size_t ld) {
  static const version avx512 = {{avx512_1, avx512_2, avx512_3, avx512_4}, AVX512_WIDTH};
  by_groups(&avx512, key, ctr, count, out, ld);
}

#endif /* __x86_64__ */

static cet_philox_lanes_fn *best;
static once_flag best_once = ONCE_FLAG_INIT;

static void choose_best(void) {
  best = cet_philox_lanes_scalar;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    best = cet_philox_lanes_avx512;
  } else if (__builtin_cpu_supports("avx2")) {
    best = cet_philox_lanes_avx2;
  }
#endif
}

cet_philox_lanes_fn *cet_philox_lanes(void) {
  call_once(&best_once, choose_best);
  return best;
}
