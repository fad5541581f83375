/*
 * zig_rows.c — the ziggurat's fast path for rows of halves (see
 * zig_rows.h), half by half or in AVX-512 vectors.
 *
 * The vector version looks the tables up with VBMI's two-register byte
 * permute (vpermt2b: 64 bytes, each chosen by 7 bits of an index byte from
 * 128): a table of 128 layers is held as byte planes, plane c the bytes c
 * of its 128 entries, so that one instruction looks up one byte of 64
 * layers. The 64 words of a row pair (8 vectors) are first transposed into
 * planes of the bytes of their halves: the layer plane (byte 0 of a half,
 * which also holds the sign in bit 7) and the three bytes of j. The layer
 * plane picks the 8 planes of w[i], which are transposed back into
 * doubles by unpacking bytes, then 16-bit and 32-bit pairs; that takes
 * byte position 16 L + 2 v + q of the planes (L < 4, v < 8, q < 2) to
 * vector v, element 2 L + q, so the layer plane for w is built with draw
 * 8 v + 2 L + q at that position. j comes from the words, the sign from
 * bit 7 of the layer plane in draw order, and x = j w[i] is computed and
 * its sign bit flipped as in the portable version. The test j >= k[i]
 * compares the 24-bit numbers byte by byte, the most significant first,
 * between the planes of j and those of k[i] looked up with the layer plane
 * in draw order. Only table lookups, integer operations, the exact
 * conversion of j and the same product, so the bits are those of the
 * portable version.
 */
#include "zig_rows.h"

#include "cetwin/clones.h"

#include <threads.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum {
  ROW_VECTORS = CET_ZIG_ROW / 8, /* vectors of 8 words (or doubles) in a row */
  MAGNITUDE_BYTES = 3,           /* j and k[i] are below 2^24 */
  /* the byte orders of the transposes (order[] of the tables) */
  ORDER_QUAD = 0,   /* + half: the 4 bytes of a half of 16 words (2 vectors) */
  ORDER_PAIR = 2,   /* + pair: bytes 2 pair, 2 pair + 1 of a half, of 32 words */
  ORDER_W = 4,      /* the first byte of a pair of 64 words, in w's order */
  ORDER_FIRST = 5,  /* the first byte of a pair of 64 words, in draw order */
  ORDER_SECOND = 6, /* the second byte of a pair of 64 words, in draw order */
};
_Static_assert(ORDER_SECOND + 1 == sizeof((cet_zig_rows_tables *)0)->order /
                                       sizeof((cet_zig_rows_tables *)0)->order[0],
               "an order for each step of the transpose");

/* The draw at byte position e of the layer plane for w (see above). */
static unsigned w_order(unsigned e) {
  unsigned lane = e / 16, v = e % 16 / 2, q = e % 2;
  return 8 * v + 2 * lane + q;
}

void cet_zig_rows_init(cet_zig_rows_tables *t, const double *w, const uint32_t *k,
                       const double *kd) {
  t->w = w;
  t->kd = kd;
  for (unsigned i = 0; i < CET_ZIG_LAYERS; i++) {
    uint64_t bits;
    memcpy(&bits, &w[i], sizeof bits);
    for (unsigned c = 0; c < 8; c++) {
      t->w_byte[c][i] = (uint8_t)(bits >> (8 * c));
    }
    for (unsigned c = 0; c < MAGNITUDE_BYTES; c++) {
      t->k_byte[c][i] = (uint8_t)(k[i] >> (8 * c));
    }
  }
  /* Byte e of a step's result is byte order[e] (bits 0-6) of its two
   * inputs, the second from 64 on. */
  for (unsigned half = 0; half < 2; half++) { /* 16 words: byte b of word l at 16 b + l */
    for (unsigned b = 0; b < 4; b++) {
      for (unsigned l = 0; l < 16; l++) {
        t->order[ORDER_QUAD + half][16 * b + l] = (uint8_t)(8 * l + 4 * half + b);
      }
    }
  }
  for (unsigned pair = 0; pair < 2; pair++) { /* 32 words: byte 2 pair + b at 32 b + l */
    for (unsigned b = 0; b < 2; b++) {
      for (unsigned l = 0; l < 32; l++) {
        t->order[ORDER_PAIR + pair][32 * b + l] =
            (uint8_t)(64 * (l / 16) + 16 * (2 * pair + b) + l % 16);
      }
    }
  }
  for (unsigned e = 0; e < CET_ZIG_ROW; e++) { /* 64 words, one byte of each */
    unsigned d = w_order(e);
    t->order[ORDER_W][e] = (uint8_t)(64 * (d / 32) + d % 32);
    t->order[ORDER_FIRST][e] = (uint8_t)(64 * (e / 32) + e % 32);
    t->order[ORDER_SECOND][e] = (uint8_t)(64 * (e / 32) + 32 + e % 32);
  }
}

/* The fast path of one row: half d the low (shift 0) or high (shift 32)
 * half of word[d]; returns the rejected ones. Its operands are restrict
 * (the tables, words and deviates do not overlap), so that the loop
 * vectorises in 64-bit lanes. */
static inline uint64_t row_portable(const double *restrict w, const double *restrict kd,
                                    const uint64_t *restrict word, unsigned shift, size_t m,
                                    double *restrict out) {
  uint64_t rejected = 0;
  for (size_t d = 0; d < m; d++) {
    rejected |= cet_zig_fast_half(w, kd, (word[d] >> shift) & 0xffffffffu, &out[d]) << d;
  }
  return rejected;
}

/* Versions for the processor's instruction set (chosen at run time). */
CET_CLONES static void rows_portable_clones(const cet_zig_rows_tables *t, const uint64_t *word,
                                            size_t m, size_t rows, double *const out[2],
                                            uint64_t rejected[2]) {
  for (size_t r = 0; r < rows; r++) {
    rejected[r] = row_portable(t->w, t->kd, word, 32 * (unsigned)r, m, out[r]);
  }
}

void cet_zig_rows_portable(const cet_zig_rows_tables *t, const uint64_t *word, size_t m,
                           size_t rows, double *const out[2], uint64_t rejected[2]) {
  rows_portable_clones(t, word, m, rows, out, rejected);
}

#if defined(__x86_64__)

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vbmi")))
#define INLINE inline __attribute__((always_inline))

static INLINE AVX512 __m512i load(const void *p) { return _mm512_loadu_si512(p); }

/* Byte e of the result: byte order[e] of a (below 64) or b (from 64). */
static INLINE AVX512 __m512i pick(__m512i a, const uint8_t *order, __m512i b) {
  return _mm512_permutex2var_epi8(a, load(order), b);
}

/* Byte e of the result: byte index[e] & 127 of a 128-byte table. */
static INLINE AVX512 __m512i lookup(const uint8_t *table, __m512i index) {
  return _mm512_permutex2var_epi8(load(table), index, load(table + 64));
}

/* The planes of a half of the 64 words: its layer byte in w's order and
 * in draw order, and the bytes of j (least significant first). */
typedef struct {
  __m512i layer_w, layer, j[MAGNITUDE_BYTES];
} planes;

/* The planes of the low half (and of the high half when halves is 2) of
 * the words: the 4 bytes of each half of 16 words, then 2 of 32, then
 * each of all 64. */
static INLINE AVX512 void planes_of(const cet_zig_rows_tables *t, const __m512i word[ROW_VECTORS],
                                    int halves, planes p[2]) {
  for (int h = 0; h < halves; h++) {
    __m512i quad[4], pair[2][2];
    for (int v = 0; v < 4; v++) {
      quad[v] = pick(word[2 * v], t->order[ORDER_QUAD + h], word[2 * v + 1]);
    }
    for (int b = 0; b < 2; b++) {
      for (int v = 0; v < 2; v++) {
        pair[b][v] = pick(quad[2 * v], t->order[ORDER_PAIR + b], quad[2 * v + 1]);
      }
    }
    p[h].layer_w = pick(pair[0][0], t->order[ORDER_W], pair[0][1]);
    p[h].layer = pick(pair[0][0], t->order[ORDER_FIRST], pair[0][1]);
    p[h].j[0] = pick(pair[0][0], t->order[ORDER_SECOND], pair[0][1]);
    p[h].j[1] = pick(pair[1][0], t->order[ORDER_FIRST], pair[1][1]);
    p[h].j[2] = pick(pair[1][0], t->order[ORDER_SECOND], pair[1][1]);
  }
}

/* w[i] of the 64 halves, vector v for draws 8 v .. 8 v + 7: the planes
 * looked up, then unpacked into 16-, 32- and 64-bit elements. */
static INLINE AVX512 void w_of(const cet_zig_rows_tables *t, const planes *p,
                               __m512i w[ROW_VECTORS]) {
  __m512i b[8], s[4][2], d[2][4];
  for (int c = 0; c < 8; c++) {
    b[c] = lookup(t->w_byte[c], p->layer_w);
  }
  for (int c = 0; c < 4; c++) { /* bytes 2c, 2c + 1 */
    s[c][0] = _mm512_unpacklo_epi8(b[2 * c], b[2 * c + 1]);
    s[c][1] = _mm512_unpackhi_epi8(b[2 * c], b[2 * c + 1]);
  }
  for (int c = 0; c < 2; c++) { /* bytes 4c .. 4c + 3 */
    for (int h = 0; h < 2; h++) {
      d[c][2 * h] = _mm512_unpacklo_epi16(s[2 * c][h], s[2 * c + 1][h]);
      d[c][2 * h + 1] = _mm512_unpackhi_epi16(s[2 * c][h], s[2 * c + 1][h]);
    }
  }
  for (int q = 0; q < 4; q++) {
    w[2 * q] = _mm512_unpacklo_epi32(d[0][q], d[1][q]);
    w[2 * q + 1] = _mm512_unpackhi_epi32(d[0][q], d[1][q]);
  }
}

/* The fast path of the low (high = 0) or high halves of the words, the
 * deviates of the draws in valid into out; returns the rejected ones. */
static INLINE AVX512 uint64_t row_of(const cet_zig_rows_tables *t, const __m512i word[ROW_VECTORS],
                                     int high, const planes *p, uint64_t valid, double *out) {
  __m512i w[ROW_VECTORS];
  w_of(t, p, w);
  const __m512i sign_bit = _mm512_set1_epi64((long long)(UINT64_C(1) << 63));
  const __m512i magnitude = _mm512_set1_epi64(0xffffff);
  const uint64_t negative = _mm512_movepi8_mask(p->layer); /* bit 7 of each half */
  for (int v = 0; v < ROW_VECTORS; v++) {
    __m512i j = high ? _mm512_srli_epi64(word[v], 40)
                     : _mm512_and_si512(_mm512_srli_epi64(word[v], 8), magnitude);
    __m512i x =
        _mm512_castpd_si512(_mm512_mul_pd(_mm512_cvtepi64_pd(j), _mm512_castsi512_pd(w[v])));
    x = _mm512_mask_xor_epi64(x, (__mmask8)(negative >> (8 * v)), x, sign_bit);
    _mm512_mask_storeu_epi64(out + 8 * v, (__mmask8)(valid >> (8 * v)), x);
  }
  /* j >= k[i]: greater in byte 2, or equal there and greater in byte 1, or
   * equal in both and not less in byte 0 */
  __m512i k[MAGNITUDE_BYTES];
  for (int c = 0; c < MAGNITUDE_BYTES; c++) {
    k[c] = lookup(t->k_byte[c], p->layer);
  }
  __mmask64 ge0 = _mm512_mask_cmpge_epu8_mask(_mm512_cmpeq_epu8_mask(p->j[1], k[1]), p->j[0], k[0]);
  __mmask64 ge1 = _mm512_cmpgt_epu8_mask(p->j[1], k[1]) | ge0;
  __mmask64 ge2 =
      _mm512_cmpgt_epu8_mask(p->j[2], k[2]) | (_mm512_cmpeq_epu8_mask(p->j[2], k[2]) & ge1);
  return ge2 & valid;
}

static INLINE AVX512 void rows_avx512(const cet_zig_rows_tables *t, const uint64_t *word, size_t m,
                                      int rows, double *const out[2], uint64_t rejected[2]) {
  __m512i v[ROW_VECTORS];
  for (int i = 0; i < ROW_VECTORS; i++) {
    v[i] = load(word + 8 * i);
  }
  planes p[2];
  planes_of(t, v, rows, p);
  const uint64_t valid = m >= CET_ZIG_ROW ? ~UINT64_C(0) : (UINT64_C(1) << m) - 1;
  for (int r = 0; r < rows; r++) {
    rejected[r] = row_of(t, v, r, &p[r], valid, out[r]);
  }
}

AVX512 void cet_zig_rows_avx512(const cet_zig_rows_tables *t, const uint64_t *word, size_t m,
                                size_t rows, double *const out[2], uint64_t rejected[2]) {
  if (rows == 2) { /* both halves from one transpose of the words */
    rows_avx512(t, word, m, 2, out, rejected);
  } else if (rows == 1) {
    rows_avx512(t, word, m, 1, out, rejected);
  }
}

#endif /* __x86_64__ */

static cet_zig_rows_fn *best;
static once_flag best_once = ONCE_FLAG_INIT;

static void choose_best(void) {
  best = cet_zig_rows_portable;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vbmi")) {
    best = cet_zig_rows_avx512;
  }
#endif
}

cet_zig_rows_fn *cet_zig_rows(void) {
  call_once(&best_once, choose_best);
  return best;
}
