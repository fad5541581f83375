/*
 * sobol_impl.h — the bodies of the Sobol' design, accumulator and block
 * workspace (private to src/sa; see sobol_indices.h), and the layout of
 * the estimator terms they share.
 *
 * Terms of a model row set (one base row), per output, at offset 1 + o T
 * (term 0, shared by all outputs, is the row's weight: 1 for the point
 * estimate, its bootstrap count in a replicate):
 *   TERM_SUM       f(A) + f(B)
 *   TERM_SUM_SQ    f(A)^2 + f(B)^2
 *   TERM_CROSS + i f(B) d_i,  d_i = f(AB^i) - f(A)
 *   TERM_DIFF + i  d_i
 *   TERM_JANSEN + i d_i^2
 * and with second order
 *   TERM_BA + i    e_i = f(BA^i) - f(B)
 *   TERM_PAIR + p  f(BA^i) f(AB^j) - f(A) f(B), p the pair i < j in the
 *                  order (0,1), (0,2), .., (0,g-1), (1,2), ..
 */
#ifndef CETWIN_SOBOL_IMPL_H
#define CETWIN_SOBOL_IMPL_H

#include "cetwin/bootstrap.h"
#include "cetwin/sobol_indices.h"
#include "cetwin/sobolseq.h"
#include "cetwin/stats.h"
#include "groups.h"

#include <gsl/gsl_rng.h>

enum { TERM_SUM = 0, TERM_SUM_SQ = 1, TERM_FIXED = 2 };

/* Offsets of the per-group terms of an output for g groups. */
static inline size_t term_cross(size_t g) { return TERM_FIXED + 0 * g; }
static inline size_t term_diff(size_t g) { return TERM_FIXED + 1 * g; }
static inline size_t term_jansen(size_t g) { return TERM_FIXED + 2 * g; }
static inline size_t term_ba(size_t g) { return TERM_FIXED + 3 * g; }
static inline size_t term_pair(size_t g) { return TERM_FIXED + 4 * g; }

struct cet_sobol_design {
  cet_sobol_parameters p; /* p.groups = g, p.group_of points to gr.group_of */
  cet_sa_groups gr;
  size_t k, g, rows;
  size_t terms_per_output; /* T */
  uint64_t blocks;         /* ceil(N / B) */
  cet_bootstrap_plan boot; /* N base rows in blocks of B */
  cet_sobolseq *seq;       /* 2k dimensions; NULL when k = 0 */
};

/* Header of an accumulator's byte image; every field a uint64_t. */
typedef struct {
  uint64_t magic, version;
  uint64_t factors, groups, second_order, outputs, replicates, replicated_outputs;
  uint64_t base_rows, block, seed, groups_hash;
  uint64_t blocks, terms, replicated_terms, bitmap_words, size;
} sobol_sums_header;

struct cet_sobol_sums {
  const cet_sobol_design *d;
  size_t outputs, terms; /* terms: 1 + T outputs, of the point estimate */
  size_t replicated;     /* outputs with replicates */
  size_t rep_terms;      /* 1 + T replicated, of each replicate */
  unsigned char *image;  /* header | bitmap | terms + R rep_terms exact sums */
  size_t size;
  sobol_sums_header *header;
  uint64_t *bitmap;
  cet_xsum *sums; /* the point estimate's terms, then replicate r's at terms + r rep_terms */
};

/* Doubles per vector of the bootstrap sums (4: one AVX2 register, two SSE2
 * ones; sobol_sums.c spells out a vector of 4); row terms are padded to a
 * multiple. */
enum { TERMS_VECTOR = 4 };

struct cet_sobol_block {
  const cet_sobol_design *d;
  size_t outputs, terms;
  size_t rep_terms;  /* 1 + T (outputs with replicates) */
  size_t stride;     /* terms rounded up to a multiple of TERMS_VECTOR */
  size_t rep_stride; /* rep_terms rounded up likewise */
  int computed;
  uint64_t block;
  double *row_terms;    /* B x stride, 64-byte aligned; the padding is 0 */
  uint32_t *counts;     /* B bootstrap counts */
  uint32_t *drawn_rows; /* B: the rows of a replicate's counts that are not 0 */
  uint32_t *totals;     /* R x blocks: the draws of replicate r in block b */
  double *rep;          /* R x rep_stride, 64-byte aligned */
  cet_xsum *point;      /* terms */
};

/* Outputs with bootstrap replicates of a design's accumulators of
 * `outputs` outputs. */
static inline size_t replicated_outputs(const cet_sobol_design *d, size_t outputs) {
  size_t n = d->p.bootstrap_outputs;
  return n == 0 || n > outputs ? outputs : n;
}

#endif /* CETWIN_SOBOL_IMPL_H */
