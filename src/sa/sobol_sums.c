/*
 * sobol_sums.c — the accumulator of a Sobol' analysis and the block
 * workspace that feeds it (see sobol_indices.h): the terms of every base
 * row, their exact point-estimate sums, the bootstrap replicates' block
 * sums, exact merging and the byte image.
 */
#include "sobol_impl.h"

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

int cet_sobol_block_create(cet_sobol_block **bp, const cet_sobol_design *d, size_t outputs) {
  *bp = NULL;
  CET_CHECK(outputs >= 1, CET_ERR_INPUT, "Sobol' indices: expected at least one output");
  cet_sobol_block *b = calloc(1, sizeof *b);
  CET_CHECK_ALLOC(b);
  b->d = d;
  b->outputs = outputs;
  b->terms = 1 + d->terms_per_output * outputs;
  size_t rows = d->p.block < d->p.base_rows ? d->p.block : d->p.base_rows;
  size_t reps = d->p.replicates;
  b->row_terms = malloc(rows * b->terms * sizeof *b->row_terms);
  b->counts = malloc(rows * sizeof *b->counts);
  b->rep = malloc((reps ? reps : 1) * b->terms * sizeof *b->rep);
  b->point = malloc(b->terms * sizeof *b->point);
  b->r = cet_rng_alloc();
  if (!b->row_terms || !b->counts || !b->rep || !b->point || !b->r) {
    cet_sobol_block_destroy(&b);
    CET_CHECK(0, CET_ERR_MEMORY, "out of memory");
  }
  *bp = b;
  return CET_OK;
}

void cet_sobol_block_destroy(cet_sobol_block **bp) {
  if (!bp || !*bp) {
    return;
  }
  cet_sobol_block *b = *bp;
  free(b->row_terms);
  free(b->counts);
  free(b->rep);
  free(b->point);
  if (b->r) {
    gsl_rng_free(b->r);
  }
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

/* rep[t] = sum over the rows of counts[row] * x[row * terms + t], rows in
 * order (elementwise products and sums: the same bits at every vector
 * width). */
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) static void
weighted_sums(const double *restrict x, const uint32_t *restrict counts, size_t rows, size_t terms,
              double *restrict rep) {
  memset(rep, 0, terms * sizeof *rep);
  for (size_t row = 0; row < rows; row++) {
    if (counts[row] == 0) {
      continue;
    }
    double c = (double)counts[row];
    const double *xr = x + row * terms;
    for (size_t t = 0; t < terms; t++) {
      rep[t] += c * xr[t];
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
    double *t = blk->row_terms + j * terms;
    if (!row_terms(d, y + j * stride, blk->outputs, t)) {
      CET_CALL(check_finite_output(d, y + j * stride, blk->outputs, first + j));
      CET_CHECK(0, CET_ERR_INPUT,
                "Sobol' indices: the outputs of base row %llu are too large: their products "
                "overflow",
                (unsigned long long)(first + j));
    }
    for (size_t i = 0; i < terms; i++) {
      CET_CALL(cet_xsum_add(&blk->point[i], t[i]));
    }
  }
  for (size_t r = 0; r < d->p.replicates; r++) {
    CET_CALL(cet_bootstrap_block_counts(&d->boot, blk->r, r, b, blk->counts));
    weighted_sums(blk->row_terms, blk->counts, rows, terms, blk->rep + r * terms);
  }
  blk->block = b;
  blk->computed = 1;
  return CET_OK;
}

/* ---- accumulator ----------------------------------------------------------- */

static void fill_header(sobol_sums_header *h, const cet_sobol_design *d, size_t outputs,
                        size_t terms, size_t words, size_t size) {
  memset(h, 0, sizeof *h);
  h->magic = SUMS_MAGIC;
  h->version = SUMS_VERSION;
  h->factors = d->k;
  h->groups = d->g;
  h->second_order = d->p.second_order != 0;
  h->outputs = outputs;
  h->replicates = d->p.replicates;
  h->base_rows = d->p.base_rows;
  h->block = d->p.block;
  h->seed = d->p.seed;
  h->groups_hash = d->groups_hash;
  h->blocks = d->blocks;
  h->terms = terms;
  h->bitmap_words = words;
  h->size = size;
}

int cet_sobol_sums_create(cet_sobol_sums **sp, const cet_sobol_design *d, size_t outputs) {
  *sp = NULL;
  CET_CHECK(outputs >= 1, CET_ERR_INPUT, "Sobol' indices: expected at least one output");
  cet_sobol_sums *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->d = d;
  s->outputs = outputs;
  s->terms = 1 + d->terms_per_output * outputs;
  size_t words = (size_t)((d->blocks + 63) / 64);
  size_t n_sums = (d->p.replicates + 1) * s->terms;
  size_t size = sizeof(sobol_sums_header) + words * sizeof(uint64_t) + n_sums * sizeof(cet_xsum);
  s->size = size;
  s->image = calloc(1, size);
  if (!s->image) {
    free(s);
    CET_CHECK(0, CET_ERR_MEMORY, "out of memory (%zu bytes for the Sobol' sums)", size);
  }
  s->header = (sobol_sums_header *)(void *)s->image;
  s->bitmap = (uint64_t *)(void *)(s->image + sizeof(sobol_sums_header));
  s->sums = (cet_xsum *)(void *)(s->bitmap + words);
  fill_header(s->header, d, outputs, s->terms, words, s->size);
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
  size_t n_rep = s->d->p.replicates * s->terms;
  for (size_t i = 0; i < n_rep; i++) {
    CET_CHECK(isfinite(blk->rep[i]), CET_ERR_INPUT,
              "Sobol' indices: a bootstrap sum of block %llu overflows (outputs too large)",
              (unsigned long long)blk->block);
  }
  s->bitmap[blk->block / 64] |= UINT64_C(1) << (blk->block % 64);
  for (size_t t = 0; t < s->terms; t++) {
    cet_xsum_merge(&s->sums[t], &blk->point[t]);
  }
  for (size_t i = 0; i < n_rep; i++) {
    CET_CALL(cet_xsum_add(&s->sums[s->terms + i], blk->rep[i]));
  }
  return CET_OK;
}

int cet_sobol_sums_add_block(cet_sobol_sums *s, cet_sobol_block *blk, uint64_t b, const double *y) {
  CET_CALL(cet_sobol_block_compute(blk, b, y));
  CET_CALL(cet_sobol_sums_add(s, blk));
  return CET_OK;
}

/* Names of the header fields after magic and version, in order. */
static const char *const HEADER_FIELDS[] = {
    "factors", "groups",           "second_order", "outputs", "replicates",   "base_rows", "block",
    "seed",    "group membership", "blocks",       "terms",   "bitmap_words", "size"};

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
  size_t n = (s->d->p.replicates + 1) * s->terms;
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
  size_t n = (s->d->p.replicates + 1) * s->terms;
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
  CET_CHECK(copy, CET_ERR_MEMORY, "out of memory");
  memcpy(copy, bytes, size);
  const sobol_sums_header *h = (const sobol_sums_header *)(void *)copy;
  const uint64_t *bitmap = (const uint64_t *)(const void *)(copy + sizeof *h);
  int status =
      merge_image(s, h, bitmap, (const cet_xsum *)(const void *)(bitmap + s->header->bitmap_words));
  free(copy);
  CET_CALL(status);
  return CET_OK;
}
