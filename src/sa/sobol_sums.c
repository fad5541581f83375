/*
 * sobol_sums.c — the accumulator of a Sobol' analysis and the block
 * workspace that feeds it (see sobol_indices.h): the terms of every base
 * row, their exact point-estimate sums, the bootstrap replicates' block
 * sums, exact merging and the byte image.
 */
#include "sobol_impl.h"

#include "cetwin/array.h"
#include "cetwin/clones.h"
#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "CETSOBOL" and the layout version of the byte image. */
static const uint64_t SUMS_MAGIC = UINT64_C(0x4c4f424f53544543);
static const uint64_t SUMS_VERSION = 1;

/* ---- block workspace ------------------------------------------------------ */

/* Bytes of a vector of terms; the arrays of a block workspace are aligned
 * to 64 bytes. */
enum { VECTOR_BYTES = TERMS_VECTOR * sizeof(double), ALIGNMENT = 64 };

/* An array of n doubles aligned to ALIGNMENT bytes (free with free). */
static double *aligned_array(size_t n) {
  size_t bytes = (n * sizeof(double) + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  return aligned_alloc(ALIGNMENT, bytes);
}

/* The draws of every replicate in every block. */
static int fill_totals(cet_sobol_block *b) {
  const cet_sobol_design *d = b->d;
  gsl_rng *r = cet_rng_alloc();
  uint64_t *totals = malloc(d->blocks * sizeof *totals);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, r && totals);
  for (size_t rep = 0; rep < d->p.replicates; rep++) {
    CET_CALL_GOTO(status, done, cet_bootstrap_totals(&d->boot, r, rep, totals));
    for (uint64_t k = 0; k < d->blocks; k++) {
      b->totals[rep * d->blocks + k] = (uint32_t)totals[k];
    }
  }
done:
  if (r) {
    gsl_rng_free(r);
  }
  free(totals);
  return status;
}

int cet_sobol_block_create(cet_sobol_block **bp, const cet_sobol_design *d, size_t outputs) {
  *bp = NULL;
  CET_CHECK(outputs >= 1, CET_ERR_INPUT, "Sobol' indices: expected at least one output");
  cet_sobol_block *b = calloc(1, sizeof *b);
  CET_CHECK_ALLOC(b);
  b->d = d;
  b->outputs = outputs;
  b->terms = 1 + d->terms_per_output * outputs;
  b->rep_terms = 1 + d->terms_per_output * replicated_outputs(d, outputs);
  b->stride = (b->terms + TERMS_VECTOR - 1) / TERMS_VECTOR * TERMS_VECTOR;
  b->rep_stride = (b->rep_terms + TERMS_VECTOR - 1) / TERMS_VECTOR * TERMS_VECTOR;
  size_t rows = d->p.block < d->p.base_rows ? d->p.block : d->p.base_rows;
  size_t reps = d->p.replicates;
  b->row_terms = aligned_array(rows * b->stride);
  b->counts = malloc(rows * sizeof *b->counts);
  b->point = malloc(b->terms * sizeof *b->point);
  b->drawn_rows = malloc(rows * sizeof *b->drawn_rows);
  b->totals = malloc((reps ? reps : 1) * d->blocks * sizeof *b->totals);
  b->rep = aligned_array((reps ? reps : 1) * b->rep_stride);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(
      status, fail, b->row_terms && b->counts && b->drawn_rows && b->totals && b->rep && b->point);
  memset(b->row_terms, 0, rows * b->stride * sizeof *b->row_terms);
  CET_CALL_GOTO(status, fail, fill_totals(b));
  *bp = b;
  return CET_OK;
fail:
  cet_sobol_block_destroy(&b);
  return status;
}

void cet_sobol_block_destroy(cet_sobol_block **bp) {
  if (!bp || !*bp) {
    return;
  }
  cet_sobol_block *b = *bp;
  free(b->row_terms);
  free(b->counts);
  free(b->point);
  free(b->drawn_rows);
  free(b->totals);
  free(b->rep);
  free(b);
  *bp = NULL;
}

static const char *const ROW_KIND_NAMES[] = {"A", "AB", "BA", "B"};

/* Fails naming the output, row and base row when a value is not finite. */
static int check_finite_output(const cet_sobol_design *d, const double *y, size_t outputs,
                               uint64_t base_row) {
  for (size_t row = 0; row < d->rows; row++) {
    size_t group;
    cet_sobol_row_kind kind = cet_sobol_design_row_kind(d, row, &group);
    char name[64];
    if (kind == CET_SOBOL_ROW_AB || kind == CET_SOBOL_ROW_BA) {
      snprintf(name, sizeof name, "%s of group %zu", ROW_KIND_NAMES[kind], group);
    } else {
      snprintf(name, sizeof name, "%s", ROW_KIND_NAMES[kind]);
    }
    for (size_t o = 0; o < outputs; o++) {
      CET_CHECK(isfinite(y[row * outputs + o]), CET_ERR_INPUT,
                "Sobol' indices: output %zu of row %s of base row %llu is not finite (%g)", o, name,
                (unsigned long long)base_row, y[row * outputs + o]);
    }
  }
  return CET_OK;
}

/* The terms of one base row (rows y[row * outputs + o]) into t[0 ..
 * terms - 1]; 0 when they are all finite. */
static int row_terms(const cet_sobol_design *d, const double *y, size_t outputs, double *t) {
  size_t g = d->g, tpo = d->terms_per_output, last = d->rows - 1;
  int finite = 1;
  t[0] = 1.0;
  for (size_t o = 0; o < outputs; o++) {
    double *u = t + 1 + o * tpo;
    double fa = y[o], fb = y[last * outputs + o];
    u[TERM_SUM] = fa + fb;
    u[TERM_SUM_SQ] = fa * fa + fb * fb;
    for (size_t i = 0; i < g; i++) {
      double di = y[(1 + i) * outputs + o] - fa;
      u[term_cross(g) + i] = fb * di;
      u[term_diff(g) + i] = di;
      u[term_jansen(g) + i] = di * di;
    }
    if (d->p.second_order) {
      double *pair = u + term_pair(g);
      for (size_t i = 0; i < g; i++) {
        double fba = y[(1 + g + i) * outputs + o];
        u[term_ba(g) + i] = fba - fb;
        for (size_t j = i + 1; j < g; j++) {
          *pair++ = fba * y[(1 + j) * outputs + o] - fa * fb;
        }
      }
    }
    for (size_t i = 0; i < tpo; i++) {
      finite &= isfinite(u[i]);
    }
  }
  return finite;
}

/* A vector of TERMS_VECTOR doubles (GCC vector extension: each clone
 * below uses the widest registers it has, the operations stay elementwise,
 * so every clone gives the same bits). */
typedef double terms_vector __attribute__((vector_size(VECTOR_BYTES)));

/* Vectors of terms summed in registers at once. */
enum { CHUNK_VECTORS = 8 };

/* rep[v] = sum over the rows listed in drawn (m of them) of counts[row] *
 * x[row * step + v] for v < nv (nv <= CHUNK_VECTORS, a constant where it
 * is inlined, so the sums stay in registers), rows in order. */
static inline __attribute__((always_inline)) void
chunk_sums(const terms_vector *x, const uint32_t *counts, const uint32_t *drawn, size_t m,
           size_t step, terms_vector *rep, const size_t nv) {
  terms_vector acc[CHUNK_VECTORS];
  for (size_t v = 0; v < nv; v++) {
    acc[v] = (terms_vector){0};
  }
  for (size_t k = 0; k < m; k++) {
    const terms_vector *xr = x + drawn[k] * step;
    double c = (double)counts[drawn[k]];
    terms_vector cv = {c, c, c, c};
    for (size_t v = 0; v < nv; v++) {
      acc[v] += cv * xr[v];
    }
  }
  for (size_t v = 0; v < nv; v++) {
    rep[v] = acc[v];
  }
}

/* rep[t] = sum over the rows of counts[row] * x[row * stride + t] for t <
 * width, rows in order (x and rep 64-byte aligned, stride and width
 * multiples of TERMS_VECTOR), in chunks of at most CHUNK_VECTORS vectors
 * and of equal width but for one vector (a chunk of one vector would be
 * one chain of additions, as long as a chunk of eight). The rows a
 * replicate did not draw (about a third, in no order a branch predictor
 * could follow) are left out of a list of the drawn ones, without a
 * branch (drawn: room for the rows): their terms times 0 would add exact
 * zeros to sums that are never -0, which changes no bit. */
CET_CLONES static void weighted_sums(const double *x, const uint32_t *counts, size_t rows,
                                     size_t stride, size_t width, double *rep, uint32_t *drawn) {
  size_t m = 0;
  for (size_t row = 0; row < rows; row++) {
    drawn[m] = (uint32_t)row;
    m += counts[row] != 0;
  }
  const terms_vector *xv = (const terms_vector *)(const void *)x;
  terms_vector *rv = (terms_vector *)(void *)rep;
  size_t n = width / TERMS_VECTOR, step = stride / TERMS_VECTOR;
  size_t chunks = (n + CHUNK_VECTORS - 1) / CHUNK_VECTORS;
  size_t per = chunks ? (n + chunks - 1) / chunks : 0;
  for (size_t v = 0; v < n; v += per) {
    switch (n - v < per ? n - v : per) {
    case 1:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 1);
      break;
    case 2:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 2);
      break;
    case 3:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 3);
      break;
    case 4:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 4);
      break;
    case 5:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 5);
      break;
    case 6:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 6);
      break;
    case 7:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, 7);
      break;
    default:
      chunk_sums(xv + v, counts, drawn, m, step, rv + v, CHUNK_VECTORS);
      break;
    }
  }
}

int cet_sobol_block_compute(cet_sobol_block *blk, uint64_t b, const double *y) {
  const cet_sobol_design *d = blk->d;
  blk->computed = 0;
  CET_CHECK(b < d->blocks, CET_ERR_INPUT,
            "Sobol' indices: block %llu is beyond the last block %llu of %llu base rows by %llu",
            (unsigned long long)b, (unsigned long long)(d->blocks - 1),
            (unsigned long long)d->p.base_rows, (unsigned long long)d->p.block);
  uint64_t first = b * d->p.block;
  size_t rows = (size_t)cet_bootstrap_block_length(&d->boot, b), terms = blk->terms;
  size_t stride = d->rows * blk->outputs;
  for (size_t t = 0; t < terms; t++) {
    cet_xsum_init(&blk->point[t]);
  }
  for (size_t j = 0; j < rows; j++) {
    double *t = blk->row_terms + j * blk->stride;
    if (!row_terms(d, y + j * stride, blk->outputs, t)) {
      CET_CALL(check_finite_output(d, y + j * stride, blk->outputs, first + j));
      CET_CHECK(0, CET_ERR_INPUT,
                "Sobol' indices: the outputs of base row %llu are too large: their products "
                "overflow",
                (unsigned long long)(first + j));
    }
    CET_CALL(cet_xsum_add_each(blk->point, t, terms));
  }
  for (size_t r = 0; r < d->p.replicates; r++) {
    CET_CALL(cet_bootstrap_spread(&d->boot, r, b, blk->totals[r * d->blocks + b], blk->counts));
    weighted_sums(blk->row_terms, blk->counts, rows, blk->stride, blk->rep_stride,
                  blk->rep + r * blk->rep_stride, blk->drawn_rows);
  }
  blk->block = b;
  blk->computed = 1;
  return CET_OK;
}

/* ---- accumulator ----------------------------------------------------------- */

static void fill_header(sobol_sums_header *h, const cet_sobol_sums *s, size_t words) {
  const cet_sobol_design *d = s->d;
  memset(h, 0, sizeof *h);
  h->magic = SUMS_MAGIC;
  h->version = SUMS_VERSION;
  h->factors = d->k;
  h->groups = d->g;
  h->second_order = d->p.second_order != 0;
  h->outputs = s->outputs;
  h->replicates = d->p.replicates;
  h->replicated_outputs = s->replicated;
  h->base_rows = d->p.base_rows;
  h->block = d->p.block;
  h->seed = d->p.seed;
  h->groups_hash = d->gr.hash;
  h->blocks = d->blocks;
  h->terms = s->terms;
  h->replicated_terms = s->rep_terms;
  h->bitmap_words = words;
  h->size = s->size;
}

int cet_sobol_sums_create(cet_sobol_sums **sp, const cet_sobol_design *d, size_t outputs) {
  *sp = NULL;
  CET_CHECK(outputs >= 1, CET_ERR_INPUT, "Sobol' indices: expected at least one output");
  cet_sobol_sums *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->d = d;
  s->outputs = outputs;
  s->terms = 1 + d->terms_per_output * outputs;
  s->replicated = replicated_outputs(d, outputs);
  s->rep_terms = 1 + d->terms_per_output * s->replicated;
  size_t words = (size_t)((d->blocks + 63) / 64);
  size_t n_sums = s->terms + d->p.replicates * s->rep_terms;
  size_t size = sizeof(sobol_sums_header) + words * sizeof(uint64_t) + n_sums * sizeof(cet_xsum);
  s->size = size;
  s->image = calloc(1, size);
  if (!s->image) {
    free(s);
    CET_CHECK(0, CET_ERR_MEMORY, "out of memory in %s (%zu bytes for the Sobol' sums)", __func__,
              size);
  }
  s->header = (sobol_sums_header *)(void *)s->image;
  s->bitmap = (uint64_t *)(void *)(s->image + sizeof(sobol_sums_header));
  s->sums = (cet_xsum *)(void *)(s->bitmap + words);
  fill_header(s->header, s, words);
  *sp = s;
  return CET_OK;
}

void cet_sobol_sums_destroy(cet_sobol_sums **sp) {
  if (!sp || !*sp) {
    return;
  }
  free((*sp)->image);
  free(*sp);
  *sp = NULL;
}

int cet_sobol_sums_has_block(const cet_sobol_sums *s, uint64_t b) {
  return b < s->d->blocks && ((s->bitmap[b / 64] >> (b % 64)) & 1u);
}

uint64_t cet_sobol_sums_blocks(const cet_sobol_sums *s) {
  uint64_t n = 0;
  for (uint64_t w = 0; w < s->header->bitmap_words; w++) {
    for (uint64_t bits = s->bitmap[w]; bits; bits &= bits - 1) {
      n++;
    }
  }
  return n;
}

uint64_t cet_sobol_sums_base_rows(const cet_sobol_sums *s) {
  uint64_t n = 0;
  for (uint64_t b = 0; b < s->d->blocks; b++) {
    n += cet_sobol_sums_has_block(s, b) ? cet_bootstrap_block_length(&s->d->boot, b) : 0;
  }
  return n;
}

int cet_sobol_sums_add(cet_sobol_sums *s, const cet_sobol_block *blk) {
  CET_CHECK(blk->d == s->d && blk->outputs == s->outputs, CET_ERR_INPUT,
            "Sobol' indices: the block was computed for another design or number of outputs");
  CET_CHECK(blk->computed, CET_ERR_INPUT, "Sobol' indices: the block holds no computed block");
  CET_CHECK(!cet_sobol_sums_has_block(s, blk->block), CET_ERR_INPUT,
            "Sobol' indices: block %llu was already added", (unsigned long long)blk->block);
  size_t reps = s->d->p.replicates;
  for (size_t r = 0; r < reps; r++) {
    for (size_t t = 0; t < s->rep_terms; t++) {
      CET_CHECK(isfinite(blk->rep[r * blk->rep_stride + t]), CET_ERR_INPUT,
                "Sobol' indices: a bootstrap sum of block %llu overflows (outputs too large)",
                (unsigned long long)blk->block);
    }
  }
  s->bitmap[blk->block / 64] |= UINT64_C(1) << (blk->block % 64);
  for (size_t t = 0; t < s->terms; t++) {
    cet_xsum_merge(&s->sums[t], &blk->point[t]);
  }
  for (size_t r = 0; r < reps; r++) {
    CET_CALL(cet_xsum_add_each(s->sums + s->terms + r * s->rep_terms,
                               blk->rep + r * blk->rep_stride, s->rep_terms));
  }
  return CET_OK;
}

int cet_sobol_sums_add_block(cet_sobol_sums *s, cet_sobol_block *blk, uint64_t b, const double *y) {
  CET_CALL(cet_sobol_block_compute(blk, b, y));
  CET_CALL(cet_sobol_sums_add(s, blk));
  return CET_OK;
}

/* Names of the header fields after magic and version, in order. */
static const char *const HEADER_FIELDS[] = {"factors",          "groups",       "second_order",
                                            "outputs",          "replicates",   "bootstrap_outputs",
                                            "base_rows",        "block",        "seed",
                                            "group membership", "blocks",       "terms",
                                            "replicated terms", "bitmap_words", "size"};

/* Merges the bitmap and sums of an image with header h into s. */
static int merge_image(cet_sobol_sums *s, const sobol_sums_header *h, const uint64_t *bitmap,
                       const cet_xsum *sums) {
  CET_CHECK(h->magic == SUMS_MAGIC && h->version == SUMS_VERSION, CET_ERR_INPUT,
            "Sobol' indices: the bytes are not Sobol' sums of layout version %llu",
            (unsigned long long)SUMS_VERSION);
  const uint64_t *mine = &s->header->factors, *theirs = &h->factors;
  for (size_t f = 0; f < sizeof HEADER_FIELDS / sizeof HEADER_FIELDS[0]; f++) {
    CET_CHECK(mine[f] == theirs[f], CET_ERR_INPUT,
              "Sobol' indices: cannot merge sums of another plan: %s %llu, expected %llu",
              HEADER_FIELDS[f], (unsigned long long)theirs[f], (unsigned long long)mine[f]);
  }
  for (uint64_t w = 0; w < h->bitmap_words; w++) {
    uint64_t both = s->bitmap[w] & bitmap[w];
    CET_CHECK(both == 0, CET_ERR_INPUT,
              "Sobol' indices: cannot merge sums that both hold block %llu",
              (unsigned long long)(64 * w + (uint64_t)__builtin_ctzll(both)));
  }
  for (uint64_t w = 0; w < h->bitmap_words; w++) {
    s->bitmap[w] |= bitmap[w];
  }
  size_t n = s->terms + s->d->p.replicates * s->rep_terms;
  for (size_t i = 0; i < n; i++) {
    cet_xsum_merge(&s->sums[i], &sums[i]);
  }
  return CET_OK;
}

int cet_sobol_sums_merge(cet_sobol_sums *s, const cet_sobol_sums *other) {
  CET_CALL(merge_image(s, other->header, other->bitmap, other->sums));
  return CET_OK;
}

int cet_sobol_sums_pack(cet_sobol_sums *s, const void **bytes, size_t *size) {
  size_t n = s->terms + s->d->p.replicates * s->rep_terms;
  for (size_t i = 0; i < n; i++) {
    cet_xsum_normalize(&s->sums[i]);
  }
  *bytes = s->image;
  *size = s->size;
  return CET_OK;
}

int cet_sobol_sums_merge_bytes(cet_sobol_sums *s, const void *bytes, size_t size) {
  CET_CHECK(size == s->size, CET_ERR_INPUT,
            "Sobol' indices: %zu bytes cannot be sums of this plan (%zu bytes)", size, s->size);
  /* copy into aligned memory of the same layout: the bytes may sit at any
   * address of a receive buffer */
  unsigned char *copy = malloc(size);
  CET_CHECK_ALLOC(copy);
  memcpy(copy, bytes, size);
  const sobol_sums_header *h = (const sobol_sums_header *)(void *)copy;
  const uint64_t *bitmap = (const uint64_t *)(const void *)(copy + sizeof *h);
  int status =
      merge_image(s, h, bitmap, (const cet_xsum *)(const void *)(bitmap + s->header->bitmap_words));
  free(copy);
  CET_CALL(status);
  return CET_OK;
}

/* ---- compact bytes ----------------------------------------------------------- */

/* A digit below the top one of a normalised exact sum lies in [0, 2^32). */
static const int64_t DIGIT_BASE = INT64_C(1) << 32;

/* The top digit of a sum read back stays within this (a sum of at most
 * 2^64 doubles carries little into it), so that merging cannot overflow. */
static const int64_t TOP_LIMIT = INT64_C(1) << 40;

/* Per exact sum: its top digit, the first significant digit and the count. */
typedef struct {
  int64_t top;
  uint32_t first, count;
} compact_sum;

/* The digits of x other than those first .. first + count - 1 are the fill:
 * 0 below them, 0 or 2^32 - 1 (a negative sum) above them. */
static compact_sum significant(const cet_xsum *x) {
  const int last = CET_XSUM_DIGITS - 1;
  int64_t fill = x->digit[last] < 0 ? DIGIT_BASE - 1 : 0;
  int lo = 0, hi = last;
  while (lo < last && x->digit[lo] == 0) {
    lo++;
  }
  while (hi > lo && x->digit[hi - 1] == fill) {
    hi--;
  }
  return (compact_sum){.top = x->digit[last], .first = (uint32_t)lo, .count = (uint32_t)(hi - lo)};
}

int cet_sobol_sums_pack_compact(cet_sobol_sums *s, unsigned char **out, size_t *size) {
  const void *image = NULL;
  size_t full = 0;
  CET_CALL(cet_sobol_sums_pack(s, &image, &full)); /* normalises */
  size_t n = s->terms + s->d->p.replicates * s->rep_terms;
  size_t head = (size_t)((unsigned char *)s->sums - s->image), total = head;
  for (size_t i = 0; i < n; i++) {
    total += sizeof(compact_sum) + significant(&s->sums[i]).count * sizeof(uint32_t);
  }
  CET_CALL(cet_array_grow(out, NULL, total + 1, 1));
  unsigned char *buf = *out;
  memcpy(buf, s->image, head);
  size_t at = head;
  for (size_t i = 0; i < n; i++) {
    compact_sum c = significant(&s->sums[i]);
    memcpy(buf + at, &c, sizeof c);
    at += sizeof c;
    for (uint32_t j = 0; j < c.count; j++) {
      uint32_t digit = (uint32_t)s->sums[i].digit[c.first + j];
      memcpy(buf + at, &digit, sizeof digit);
      at += sizeof digit;
    }
  }
  *size = total;
  return CET_OK;
}

/* Expands the compact sum at bytes + *at into x. */
static int expand(const unsigned char *bytes, size_t size, size_t *at, cet_xsum *x) {
  compact_sum c;
  CET_CHECK(size - *at >= sizeof c, CET_ERR_INPUT, "Sobol' sums: the bytes end at %zu of %zu", *at,
            size);
  memcpy(&c, bytes + *at, sizeof c);
  *at += sizeof c;
  const int last = CET_XSUM_DIGITS - 1;
  CET_CHECK(c.first <= (uint32_t)last && c.count <= (uint32_t)last - c.first &&
                c.top > -TOP_LIMIT && c.top < TOP_LIMIT,
            CET_ERR_INPUT,
            "Sobol' sums: an exact sum of digits %u + %u (top %lld) is out of its range", c.first,
            c.count, (long long)c.top);
  CET_CHECK((size - *at) / sizeof(uint32_t) >= c.count, CET_ERR_INPUT,
            "Sobol' sums: %u digits run over the %zu bytes", c.count, size);
  int64_t fill = c.top < 0 ? DIGIT_BASE - 1 : 0;
  for (int j = 0; j < last; j++) {
    x->digit[j] = (uint32_t)j < c.first ? 0 : fill;
  }
  for (uint32_t j = 0; j < c.count; j++) {
    uint32_t digit = 0;
    memcpy(&digit, bytes + *at, sizeof digit);
    *at += sizeof digit;
    x->digit[c.first + j] = digit;
  }
  x->digit[last] = c.top;
  x->pending = 0;
  return CET_OK;
}

int cet_sobol_sums_merge_compact(cet_sobol_sums *s, const void *bytes, size_t size) {
  size_t head = (size_t)((unsigned char *)s->sums - s->image);
  CET_CHECK(size >= head, CET_ERR_INPUT,
            "Sobol' indices: %zu bytes cannot be sums of this plan (at least %zu bytes)", size,
            head);
  unsigned char *copy = calloc(1, s->size);
  CET_CHECK(copy, CET_ERR_MEMORY, "out of memory in %s (%zu bytes for the Sobol' sums)", __func__,
            s->size);
  memcpy(copy, bytes, head);
  cet_xsum *sums = (cet_xsum *)(void *)(copy + head);
  size_t n = s->terms + s->d->p.replicates * s->rep_terms, at = head;
  int status = CET_OK;
  for (size_t i = 0; i < n; i++) {
    CET_CALL_GOTO(status, done, expand(bytes, size, &at, &sums[i]));
  }
  CET_CHECK_GOTO(status, done, at == size, CET_ERR_INPUT,
                 "Sobol' sums: %zu bytes left over after %zu", size - at, at);
  const sobol_sums_header *h = (const sobol_sums_header *)(void *)copy;
  CET_CALL_GOTO(status, done,
                merge_image(s, h, (const uint64_t *)(void *)(copy + sizeof *h), sums));
done:
  free(copy);
  return status;
}
