/*
 * test_rng.c — unit tests of rng.h: streams are reproducible, independent of
 * call order and of other streams, usable by GSL distributions, and
 * seekable; raw words in bulk are the stream's; batches of normals equal
 * the normals of each draw; and of the private philox_lanes.h: every
 * version equals Random123's philox4x64; and of the private zig_rows.h:
 * every version gives the portable one's bits.
 */
#include <string.h>
#include <stdlib.h>
#include "cetwin/rng.h"
#include "core/philox_lanes.h"
#include "core/zig_rows.h"

#include <Random123/philox.h>

#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

enum { N = 1000 };

static void fill(gsl_rng *r, uint64_t seed, uint64_t purpose, uint64_t index, double *out) {
  cet_rng_stream(r, seed, purpose, index, 0);
  for (int i = 0; i < N; i++) {
    out[i] = gsl_rng_uniform(r);
  }
}

static void test_same_key_same_numbers(void **state) {
  (void)state;
  gsl_rng *a = cet_rng_alloc(), *b = cet_rng_alloc();
  double x[N], y[N];
  fill(a, 42, 7, 3, x);
  fill(b, 42, 7, 3, y);
  for (int i = 0; i < N; i++) {
    assert_true(x[i] == y[i]);
  }
  gsl_rng_free(a);
  gsl_rng_free(b);
}

static void test_independent_of_call_order(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  double forward[4][N], backward[4][N];
  for (uint64_t k = 0; k < 4; k++) {
    fill(r, 1, 2, k, forward[k]);
  }
  for (uint64_t k = 4; k-- > 0;) {
    /* interleave another stream to show that nothing leaks between them */
    double scratch[N];
    fill(r, 9, 9, 9, scratch);
    fill(r, 1, 2, k, backward[k]);
  }
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < N; i++) {
      assert_true(forward[k][i] == backward[k][i]);
    }
  }
  gsl_rng_free(r);
}

static void test_keys_give_different_streams(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  double base[N], other[N];
  fill(r, 1, 2, 3, base);
  const uint64_t variants[4][3] = {{2, 2, 3}, {1, 3, 3}, {1, 2, 4}, {0, 2, 3}};
  for (int v = 0; v < 4; v++) {
    fill(r, variants[v][0], variants[v][1], variants[v][2], other);
    int equal = 0;
    for (int i = 0; i < N; i++) {
      equal += base[i] == other[i];
    }
    assert_true(equal < 3);
  }
  gsl_rng_free(r);
}

static void test_uniform_moments_and_gsl_distributions(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 123, cet_rng_purpose("test"), 0, 0);
  const int n = 200000;
  double sum = 0, sum2 = 0, gsum = 0, gsum2 = 0;
  for (int i = 0; i < n; i++) {
    double u = gsl_rng_uniform(r);
    assert_true(u >= 0.0 && u < 1.0);
    sum += u;
    sum2 += u * u;
    double g = gsl_ran_gaussian(r, 2.0);
    gsum += g;
    gsum2 += g * g;
  }
  double mean = sum / n, var = sum2 / n - mean * mean;
  assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12.0 / n));
  assert_true(fabs(var - 1.0 / 12.0) < 0.002);
  assert_true(fabs(gsum / n) < 5 * 2.0 / sqrt(n));
  assert_true(fabs(gsum2 / n - 4.0) < 0.05);
  unsigned long k = gsl_rng_uniform_int(r, 10);
  assert_true(k < 10);
  gsl_rng_free(r);
}

static void test_seek_reproduces_position(void **state) {
  (void)state;
  gsl_rng *r = cet_rng_alloc();
  double x[N];
  fill(r, 5, 6, 7, x);
  for (uint64_t pos = 0; pos < 13; pos++) {
    cet_rng_stream(r, 5, 6, 7, 0);
    cet_rng_seek(r, pos);
    assert_int_equal(cet_rng_position(r), pos);
    assert_true(gsl_rng_uniform(r) == x[pos]);
    assert_int_equal(cet_rng_position(r), pos + 1);
  }
  gsl_rng_free(r);
}

static void test_purpose_hash_is_stable(void **state) {
  (void)state;
  /* FNV-1a of "a" is a published constant; a changed hash would silently
   * change every result keyed by a name. */
  assert_true(cet_rng_purpose("a") == 0xaf63dc4c8601ec8cULL);
  assert_true(cet_rng_purpose("prices.Cu") != cet_rng_purpose("prices.Zn"));
}

/* cet_rng_normals: the same arguments give the same bits, a prefix of a
 * longer call equals a shorter call, another index other numbers; the
 * moments and tail frequencies of a million deviates are those of N(0, 1)
 * within 5 standard errors. */
/* cet_rng_words gives the words a gsl_rng consumes, from any position. */
static void test_words(void **state) {
  (void)state;
  enum { W = 23 };
  gsl_rng *r = cet_rng_alloc();
  cet_rng_stream(r, 5, 6, 7, 8);
  double u[W];
  unsigned long g[W];
  for (int i = 0; i < W; i++) {
    g[i] = gsl_rng_get(r);
  }
  cet_rng_stream(r, 5, 6, 7, 8);
  for (int i = 0; i < W; i++) {
    u[i] = gsl_rng_uniform(r);
  }
  for (uint64_t first = 0; first < 6; first++) {
    uint64_t w[W];
    cet_rng_words(5, 6, 7, 8, first, W - first, w);
    for (uint64_t i = first; i < W; i++) {
      assert_true((unsigned long)(w[i - first] >> 32) == g[i]);
      assert_true((double)(w[i - first] >> 11) * 0x1p-53 == u[i]);
    }
  }
  uint64_t other;
  cet_rng_words(5, 6, 7, 9, 0, 1, &other);
  assert_true((unsigned long)(other >> 32) != g[0]);
  gsl_rng_free(r);
}

static void test_bulk_normals(void **state) {
  (void)state;
  enum { DEVIATES = 1000000 };
  double *x = malloc(DEVIATES * sizeof *x), y[100], z[100];
  assert_non_null(x);
  cet_rng_normals(5, 6, 7, 0, 100, y);
  cet_rng_normals(5, 6, 7, 0, 37, z);
  assert_memory_equal(y, z, 37 * sizeof *y);
  cet_rng_normals(5, 6, 8, 0, 100, z);
  assert_true(memcmp(y, z, sizeof y) != 0);
  cet_rng_normals(5, 7, 7, 0, 100, z);
  assert_true(memcmp(y, z, sizeof y) != 0);
  for (size_t i = 0; i < DEVIATES / 100; i++) {
    cet_rng_normals(1, 2, i, 0, 100, x + 100 * i);
  }
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  size_t beyond2 = 0, beyond3 = 0, beyond_r = 0;
  for (size_t i = 0; i < DEVIATES; i++) {
    double v = x[i];
    m1 += v;
    m2 += v * v;
    m3 += v * v * v;
    m4 += v * v * v * v;
    beyond2 += fabs(v) > 2.0;
    beyond3 += fabs(v) > 3.0;
    beyond_r += fabs(v) > 3.442619855899; /* the ziggurat's tail */
  }
  m1 /= DEVIATES;
  m2 /= DEVIATES;
  m3 /= DEVIATES;
  m4 /= DEVIATES;
  assert_true(fabs(m1) < 5.0 / sqrt(DEVIATES));
  assert_true(fabs(m2 - 1.0) < 5.0 * sqrt(2.0 / DEVIATES));
  assert_true(fabs(m3) < 5.0 * sqrt(15.0 / DEVIATES));
  assert_true(fabs(m4 - 3.0) < 5.0 * sqrt(96.0 / DEVIATES));
  /* P(|X| > 2) = 0.0455003, P(|X| > 3) = 0.0026998, P(|X| > r) = 0.000576 */
  const double p[3] = {0.0455003, 0.0026998, 0.000576};
  const size_t got[3] = {beyond2, beyond3, beyond_r};
  for (int k = 0; k < 3; k++) {
    double expected = p[k] * DEVIATES, sd = sqrt(expected * (1.0 - p[k]));
    assert_true(fabs((double)got[k] - expected) < 5.0 * sd);
  }
  free(x);
}

/* A value no deviate or Philox word written here takes by chance: marks
 * what must not be written. */
static const uint64_t SENTINEL = 0x7ff4dead0000beefULL; /* a signalling NaN */

/* The Philox versions this processor runs, with names for messages. */
static size_t philox_versions(cet_philox_lanes_fn *fn[3], const char *name[3]) {
  size_t n = 0;
  fn[n] = cet_philox_lanes_scalar;
  name[n++] = "scalar";
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) {
    fn[n] = cet_philox_lanes_avx2;
    name[n++] = "avx2";
  }
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    fn[n] = cet_philox_lanes_avx512;
    name[n++] = "avx512";
  }
#endif
  return n;
}

/* Every Philox version this processor runs gives, for every lane count up
 * to beyond two AVX-512 groups and counters whose word 0 wraps around,
 * the words of Random123's philox4x64, and writes nothing beyond count in
 * a row. */
static void test_philox_lanes_equal_random123(void **state) {
  (void)state;
  enum { MAX_COUNT = 75, LD = MAX_COUNT + 3 };
  const uint64_t keys[3][2] = {{0, 0}, {42, 7}, {UINT64_MAX, 0x0123456789abcdefULL}};
  const uint64_t ctrs[3][4] = {
      {0, 0, 0, 0},
      {(1ULL << 40) + 5, 3, 9, 1},
      {UINT64_MAX - 40, UINT64_MAX, UINT64_MAX - 1, 0x8000000000000000ULL}};
  cet_philox_lanes_fn *fn[3];
  const char *name[3];
  size_t versions = philox_versions(fn, name);
  uint64_t out[4 * LD];
  for (size_t v = 0; v < versions; v++) {
    for (int kc = 0; kc < 9; kc++) {
      const uint64_t *key = keys[kc / 3], *ctr = ctrs[kc % 3];
      const philox4x64_key_t k = {{key[0], key[1]}};
      for (size_t count = 0; count <= MAX_COUNT; count++) {
        size_t ld = count + 3;
        for (size_t i = 0; i < 4 * LD; i++) {
          out[i] = SENTINEL;
        }
        fn[v](key, ctr, count, out, ld);
        for (size_t d = 0; d < ld; d++) {
          philox4x64_ctr_t c = {{ctr[0] + d, ctr[1], ctr[2], ctr[3]}};
          philox4x64_ctr_t o = philox4x64(c, k);
          for (size_t w = 0; w < 4; w++) {
            uint64_t expected = d < count ? o.v[w] : SENTINEL;
            if (out[w * ld + d] != expected) {
              fail_msg("%s: count %zu, lane %zu, word %zu", name[v], count, d, w);
            }
          }
        }
      }
    }
  }
  /* the version chosen is the widest one the processor runs */
  assert_ptr_equal(cet_philox_lanes(), fn[versions - 1]);
}

/* cet_rng_normals_batch into out with leading dimension ld = count + 5
 * (the columns beyond count set to SENTINEL first), checked bit for bit
 * against cet_rng_normals draw by draw, and the columns beyond count
 * still SENTINEL. Returns how many deviates lie in the ziggurat's tail. */
static size_t check_batch(uint64_t seed, uint64_t purpose, uint64_t first, size_t count,
                          uint64_t sub, size_t n) {
  size_t ld = count + 5;
  double *out = malloc(n * ld * sizeof *out), *one = malloc(n * sizeof *one);
  assert_non_null(out);
  assert_non_null(one);
  for (size_t i = 0; i < n * ld; i++) {
    memcpy(&out[i], &SENTINEL, sizeof SENTINEL);
  }
  cet_rng_normals_batch(seed, purpose, first, count, sub, n, out, ld);
  size_t tail = 0;
  for (size_t d = 0; d < ld; d++) {
    if (d < count) {
      cet_rng_normals(seed, purpose, first + d, sub, n, one);
    }
    for (size_t k = 0; k < n; k++) {
      const void *expected = d < count ? (const void *)&one[k] : (const void *)&SENTINEL;
      if (memcmp(&out[k * ld + d], expected, sizeof *out) != 0) {
        fail_msg("count %zu, n %zu: deviate %zu of draw %zu", count, n, k, d);
      }
      tail += d < count && fabs(out[k * ld + d]) > 3.442619855899;
    }
  }
  free(one);
  free(out);
  return tail;
}

/* cet_rng_normals_batch equals cet_rng_normals for every draw, bit for
 * bit, for batch sizes around the vector widths, the chunks of 64 draws
 * and the smallest chunk done in vectors (16), numbers of deviates around
 * a block, indices that are large or wrap around, and sub streams; a
 * batch large enough to have slow paths and tail deviates (which only the
 * slow path gives) has them. */
static void test_batch_normals_equal_per_draw(void **state) {
  (void)state;
  const size_t counts[] = {0, 1, 3, 8, 15, 16, 31, 32, 33, 64, 79, 100, 130};
  const size_t ns[] = {1, 7, 8, 77, 200};
  const uint64_t streams[4][4] = {/* seed, purpose, first, sub */
                                  {1, 2, 0, 0},
                                  {42, 0xaf63dc4c8601ec8cULL, (1ULL << 40) + 5, 0},
                                  {7, 8, 1000, 3},
                                  {UINT64_MAX, 5, UINT64_MAX - 40, UINT64_MAX}};
  for (size_t s = 0; s < 4; s++) {
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
      for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
        check_batch(streams[s][0], streams[s][1], streams[s][2], counts[c], streams[s][3], ns[i]);
      }
    }
  }
  /* 320000 deviates: about 8900 slow paths, 184 in the tail */
  size_t tail = check_batch(11, cet_rng_purpose("prices.Cu"), 64 * 17, 64, 2, 5000);
  assert_true(tail > 0);
}

/* A 64-bit splitmix step: test data that any seed reproduces. */
static uint64_t mix(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* A half of layer i, a random sign and magnitude j. */
static uint64_t half_of(uint64_t i, uint64_t sign, uint64_t j) {
  return (j << CET_ZIG_MAGNITUDE_SHIFT) | (sign << CET_ZIG_SIGN_SHIFT) | i;
}

/* A half whose magnitude is at or near its layer's bound k[i] (equal to
 * it, one off, or equal in the high bytes only), or random. */
static uint64_t edge_half(const uint32_t *k, uint64_t *state) {
  const uint64_t r = mix(state), i = r % CET_ZIG_LAYERS, sign = (r >> 7) & 1, low = r >> 40;
  const uint64_t top = 0xffffff, bound = k[i];
  uint64_t j;
  switch ((r >> 8) % 8) {
  case 0:
    j = bound;
    break;
  case 1:
    j = bound > 0 ? bound - 1 : 0;
    break;
  case 2:
    j = bound < top ? bound + 1 : top;
    break;
  case 3: /* the same high byte */
    j = (bound & 0xff0000) | (low & 0xffff);
    break;
  case 4: /* the same two high bytes */
    j = (bound & 0xffff00) | (low & 0xff);
    break;
  default:
    j = low & top;
    break;
  }
  return half_of(i, sign, j);
}

/* Every version of the fast path for rows this processor runs gives the
 * bits and rejections of the portable one, for one or two rows, a number
 * of draws below, at and above multiples of the vector width up to a full
 * row, and the words beyond it random; tables with arbitrary bytes and
 * bounds from 0 to 2^24 - 1, and halves at their layer's bound, so that
 * every byte comparison of the bound decides some rejections. */
static void test_zig_rows_equal_portable(void **state) {
  (void)state;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (!(__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vbmi"))) {
    assert_ptr_equal(cet_zig_rows(), cet_zig_rows_portable);
    print_message("SKIPPED: this processor lacks AVX-512 VBMI (avx512f, avx512bw, avx512dq, "
                  "avx512vbmi), so the ziggurat's rows run the portable version only and "
                  "there is no vector version to compare with it\n");
    skip();
  }
  enum { WIDTH = CET_ZIG_ROW + 8, TRIALS = 200 };
  uint64_t seed = 99;
  double w[CET_ZIG_LAYERS], kd[CET_ZIG_LAYERS];
  uint32_t k[CET_ZIG_LAYERS];
  for (size_t i = 0; i < CET_ZIG_LAYERS; i++) {
    /* a positive double of any mantissa, from 2^-40 to 2^9 */
    uint64_t bits = (mix(&seed) >> 12) | ((uint64_t)(1023 - 40 + i % 50) << 52);
    memcpy(&w[i], &bits, sizeof bits);
    k[i] = i == 0 ? 0 : i == 1 ? 0xffffff : (uint32_t)(mix(&seed) >> 40);
    if (i % 5 == 2) {
      k[i] &= 0xffff00; /* a low byte 0 */
    }
    kd[i] = (double)k[i];
  }
  static cet_zig_rows_tables tables;
  cet_zig_rows_init(&tables, w, k, kd);
  assert_ptr_equal(cet_zig_rows(), cet_zig_rows_avx512);
  const size_t counts[] = {1, 7, 8, 9, 16, 31, 40, 57, 63, 64};
  uint64_t word[CET_ZIG_ROW];
  double out[2][2][WIDTH]; /* [version][row] */
  size_t rejections = 0;
  for (size_t trial = 0; trial < TRIALS; trial++) {
    for (size_t d = 0; d < CET_ZIG_ROW; d++) {
      word[d] = edge_half(k, &seed) | (edge_half(k, &seed) << 32);
    }
    const size_t m = counts[trial % (sizeof counts / sizeof *counts)], rows = 1 + trial % 2;
    uint64_t rejected[2][2] = {{0, 0}, {0, 0}};
    for (size_t v = 0; v < 2; v++) {
      for (size_t i = 0; i < 2 * WIDTH; i++) {
        memcpy(&out[v][i / WIDTH][i % WIDTH], &SENTINEL, sizeof SENTINEL);
      }
      double *const rows_out[2] = {out[v][0], out[v][1]};
      (v == 0 ? cet_zig_rows_portable : cet_zig_rows_avx512)(&tables, word, m, rows, rows_out,
                                                             rejected[v]);
    }
    for (size_t r = 0; r < rows; r++) {
      if (rejected[0][r] != rejected[1][r]) {
        fail_msg("m %zu, row %zu: rejected %#llx, not %#llx", m, r,
                 (unsigned long long)rejected[1][r], (unsigned long long)rejected[0][r]);
      }
      assert_true(m == 64 || rejected[0][r] >> m == 0);
      rejections += (size_t)__builtin_popcountll(rejected[0][r]);
    }
    if (memcmp(out[0], out[1], sizeof out[0]) != 0) {
      fail_msg("m %zu, rows %zu: the deviates differ", m, rows);
    }
    for (size_t i = 0; i < 2 * WIDTH; i++) { /* nothing beyond m or rows written */
      size_t r = i / WIDTH, d = i % WIDTH;
      if ((r >= rows || d >= m) && memcmp(&out[0][r][d], &SENTINEL, sizeof SENTINEL) != 0) {
        fail_msg("m %zu, rows %zu: row %zu, draw %zu written", m, rows, r, d);
      }
    }
  }
  /* about 3/8 of the halves are at or just above their bound */
  assert_true(rejections > TRIALS * 10);
#else
  assert_ptr_equal(cet_zig_rows(), cet_zig_rows_portable);
  print_message("SKIPPED: not an x86-64 processor, so the ziggurat's rows run the portable "
                "version only and there is no vector version to compare with it\n");
  skip();
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_key_same_numbers),
      cmocka_unit_test(test_independent_of_call_order),
      cmocka_unit_test(test_keys_give_different_streams),
      cmocka_unit_test(test_uniform_moments_and_gsl_distributions),
      cmocka_unit_test(test_seek_reproduces_position),
      cmocka_unit_test(test_purpose_hash_is_stable),
      cmocka_unit_test(test_words),
      cmocka_unit_test(test_bulk_normals),
      cmocka_unit_test(test_philox_lanes_equal_random123),
      cmocka_unit_test(test_batch_normals_equal_per_draw),
      cmocka_unit_test(test_zig_rows_equal_portable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
