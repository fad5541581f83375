/*
 * sobolseq.c — the Sobol' sequence (see sobolseq.h): direction numbers from
 * Joe and Kuo's table, the linear matrix scramble with a digital shift, and
 * points computed directly from their index.
 *
 * Direction number k (1-based, k <= 32) of a dimension is v_k = m_k 2^(32-k)
 * with m_1 .. m_s from the table and, for k > s, Joe and Kuo's recurrence
 *   m_k = 2 a_1 m_(k-1) ^ 4 a_2 m_(k-2) ^ ... ^ 2^(s-1) a_(s-1) m_(k-s+1)
 *         ^ 2^s m_(k-s) ^ m_(k-s).
 * They are stored bit-major (all dimensions of v_1, then of v_2, ...), so
 * a point XORs contiguous rows, a few dimensions at a time in registers.
 */
#include "cetwin/sobolseq.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "sobolseq_table.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

/* Dimensions a point combines at once (the XOR accumulators on the
 * stack). */
enum { POINT_CHUNK = 64 };

struct cet_sobolseq {
  size_t dims;
  uint32_t *v;     /* v[(k - 1) * dims + j]: direction number k of dimension j + 1 */
  uint32_t *shift; /* digital shift of each dimension (0 when not scrambled) */
};

/* Parity of the bits of w. */
static uint32_t parity32(uint32_t w) {
  w ^= w >> 16;
  w ^= w >> 8;
  w ^= w >> 4;
  w ^= w >> 2;
  w ^= w >> 1;
  return w & 1u;
}

/* Direction numbers of dimension 1 (every m_k = 1). */
static void van_der_corput(uint32_t v[CET_SOBOLSEQ_BITS]) {
  for (int k = 1; k <= CET_SOBOLSEQ_BITS; k++) {
    v[k - 1] = UINT32_C(1) << (CET_SOBOLSEQ_BITS - k);
  }
}

/* Direction numbers from a table row (s, a, m_1 .. m_s). */
static void from_row(const uint16_t *row, uint32_t v[CET_SOBOLSEQ_BITS]) {
  unsigned s = row[0], a = row[1];
  uint64_t m[CET_SOBOLSEQ_BITS + 1];
  for (unsigned k = 1; k <= CET_SOBOLSEQ_BITS; k++) {
    if (k <= s) {
      m[k] = row[1 + k];
      continue;
    }
    m[k] = m[k - s] ^ (m[k - s] << s);
    for (unsigned i = 1; i < s; i++) {
      if ((a >> (s - 1 - i)) & 1u) {
        m[k] ^= m[k - i] << i;
      }
    }
  }
  for (unsigned k = 1; k <= CET_SOBOLSEQ_BITS; k++) {
    v[k - 1] = (uint32_t)(m[k] << (CET_SOBOLSEQ_BITS - k));
  }
}

/* Scrambles the direction numbers v of one dimension with the matrix whose
 * row for output bit p has bit p set and random bits above it, and returns
 * the digital shift; both from the stream r is positioned on. */
static uint32_t scramble(gsl_rng *r, uint32_t v[CET_SOBOLSEQ_BITS]) {
  uint32_t row[CET_SOBOLSEQ_BITS];
  for (int p = CET_SOBOLSEQ_BITS - 1; p >= 0; p--) {
    uint64_t above = ~((UINT64_C(2) << p) - 1); /* the bits more significant than p */
    row[p] = (uint32_t)((uint64_t)gsl_rng_get(r) & above) | (UINT32_C(1) << p);
  }
  for (int k = 0; k < CET_SOBOLSEQ_BITS; k++) {
    uint32_t out = 0;
    for (int p = 0; p < CET_SOBOLSEQ_BITS; p++) {
      out |= parity32(row[p] & v[k]) << p;
    }
    v[k] = out;
  }
  return (uint32_t)gsl_rng_get(r);
}

/* Fills the direction numbers (and shifts) of every dimension. */
static int fill(cet_sobolseq *s, int scrambled, uint64_t seed) {
  gsl_rng *r = NULL;
  if (scrambled) {
    r = cet_rng_alloc();
    CET_CHECK_ALLOC(r);
  }
  uint64_t purpose = cet_rng_purpose("sobolseq.scramble");
  size_t pos = 0; /* start of the table row of dimension j + 1 */
  for (size_t j = 0; j < s->dims; j++) {
    uint32_t v[CET_SOBOLSEQ_BITS];
    if (j == 0) {
      van_der_corput(v);
    } else {
      from_row(cet_sobolseq_table + pos, v);
      pos += (size_t)cet_sobolseq_table[pos] + 2;
    }
    if (scrambled) {
      cet_rng_stream(r, seed, purpose, (uint64_t)j + 1, 0);
      s->shift[j] = scramble(r, v);
    }
    for (int k = 0; k < CET_SOBOLSEQ_BITS; k++) {
      s->v[(size_t)k * s->dims + j] = v[k];
    }
  }
  if (r) {
    gsl_rng_free(r);
  }
  return CET_OK;
}

int cet_sobolseq_create(cet_sobolseq **seq, size_t dims, int scrambled, uint64_t seed) {
  *seq = NULL;
  CET_CHECK(dims >= 1 && dims <= CET_SOBOLSEQ_MAX_DIMS, CET_ERR_INPUT,
            "Sobol' sequence: expected 1 to %d dimensions, found %zu", CET_SOBOLSEQ_MAX_DIMS, dims);
  cet_sobolseq *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->dims = dims;
  s->v = malloc((size_t)CET_SOBOLSEQ_BITS * dims * sizeof *s->v);
  s->shift = calloc(dims, sizeof *s->shift);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, s->v && s->shift);
  CET_CALL_GOTO(status, fail, fill(s, scrambled, seed));
  *seq = s;
  return CET_OK;
fail:
  cet_sobolseq_destroy(&s);
  return status;
}

void cet_sobolseq_destroy(cet_sobolseq **seq) {
  if (!seq || !*seq) {
    return;
  }
  free((*seq)->v);
  free((*seq)->shift);
  free(*seq);
  *seq = NULL;
}

size_t cet_sobolseq_dims(const cet_sobolseq *seq) { return seq->dims; }

int cet_sobolseq_coordinates(const cet_sobolseq *seq, uint64_t index, size_t first, size_t count,
                             double *x) {
  CET_CHECK(index <= UINT32_MAX, CET_ERR_INPUT,
            "Sobol' sequence: point index %llu is beyond the last point 2^32 - 1",
            (unsigned long long)index);
  size_t dims = seq->dims;
  CET_CHECK(first <= dims && count <= dims - first, CET_ERR_INPUT,
            "Sobol' sequence: %zu coordinates from dimension %zu asked of a sequence of %zu "
            "dimensions",
            count, first + 1, dims);
  uint32_t gray = (uint32_t)(index ^ (index >> 1));
  for (size_t done = 0; done < count; done += POINT_CHUNK) {
    size_t n = count - done < POINT_CHUNK ? count - done : POINT_CHUNK, j0 = first + done;
    uint32_t u[POINT_CHUNK];
    memcpy(u, seq->shift + j0, n * sizeof *u);
    for (uint32_t bits = gray; bits != 0; bits &= bits - 1) {
      const uint32_t *v = seq->v + (size_t)__builtin_ctz(bits) * dims + j0;
      for (size_t j = 0; j < n; j++) {
        u[j] ^= v[j];
      }
    }
    for (size_t j = 0; j < n; j++) {
      x[done + j] = ((double)u[j] + 0.5) * 0x1p-32;
    }
  }
  return CET_OK;
}

int cet_sobolseq_point(const cet_sobolseq *seq, uint64_t index, double *x) {
  CET_CALL(cet_sobolseq_coordinates(seq, index, 0, seq->dims, x));
  return CET_OK;
}
