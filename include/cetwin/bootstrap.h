/*
 * bootstrap.h — the counts of the classic (multinomial) bootstrap, keyed
 * and computed block by block.
 *
 * A bootstrap replicate resamples N points uniformly with replacement: N
 * draws, each point drawn c_i times, (c_1 .. c_N) ~ Multinomial(N; 1/N,
 * ..., 1/N). The points are cut into blocks of B consecutive points (block
 * b holds points [b B, min((b + 1) B, N)), the last one may be shorter),
 * and the counts of one block in one replicate are computed locally from
 * (seed, purpose, replicate, block), without the other blocks, at a cost of
 * O(log(number of blocks) + B):
 *
 *  1. the block's total, from a fixed binary tree over the blocks: the root
 *     (blocks [0, n_blocks)) holds N draws; a node over blocks [lo, hi)
 *     splits at mid = lo + (hi - lo) / 2 and gives its left half
 *     Binomial(count, points left / points of the node) of its draws
 *     (GSL's gsl_ran_binomial), the rest to its right half. Nodes are
 *     numbered as in a heap (root 1, children 2 i and 2 i + 1); node i of
 *     replicate r draws from the Philox stream (seed, purpose, r, i);
 *  2. the block's total draws spread uniformly over its points, each draw
 *     a point index from the next 16 bits (blocks of up to 4096 points) or
 *     32 bits (longer blocks) of the words of the stream (seed, purpose, r,
 *     2^63 + block), low bits first (multiply-shift with rejection, so
 *     exactly uniform).
 *
 * Together these are exactly the multinomial law: the totals of the blocks
 * are multinomial by the splitting property of the binomial, and given its
 * total a block's counts are multinomial with equal probabilities. The
 * counts do not depend on which other blocks are computed, in which order,
 * on which rank or thread.
 *
 * Thread safety: the plan is a plain value read only; each thread passes
 * its own gsl_rng (cet_rng_alloc) as workspace.
 */
#ifndef CETWIN_BOOTSTRAP_H
#define CETWIN_BOOTSTRAP_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* What is resampled, and how it is cut into blocks (a plain value). */
typedef struct {
  uint64_t seed;    /* key of the streams */
  uint64_t purpose; /* key of the streams, e.g. cet_rng_purpose("sobol.bootstrap") */
  uint64_t points;  /* N, 1 .. 2^32 - 1 */
  uint64_t block;   /* B, points per block, >= 1 */
} cet_bootstrap_plan;

/* Checks a plan: CET_ERR_INPUT naming the field when points is 0 or above
 * 2^32 - 1, or block is 0. */
int cet_bootstrap_check(const cet_bootstrap_plan *plan);

/* Number of blocks, ceil(N / B) (of a checked plan). */
uint64_t cet_bootstrap_blocks(const cet_bootstrap_plan *plan);

/* Number of points of block b of a checked plan (0 when b is beyond the
 * last block). */
uint64_t cet_bootstrap_block_length(const cet_bootstrap_plan *plan, uint64_t block);

/* The number of draws of replicate r that fall in block b (step 1 above),
 * into *total. r may be any number; CET_ERR_INPUT for an invalid plan or a
 * block beyond the last. Allocation-free; r_ws is repositioned. */
int cet_bootstrap_block_total(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                              uint64_t block, uint64_t *total);

/* The count of every point of block b in replicate r into counts[0 .. L -
 * 1], L = cet_bootstrap_block_length (counts[i] for point b B + i); the
 * counts of all blocks of a replicate sum to N. Errors as
 * cet_bootstrap_block_total. Allocation-free; r_ws is repositioned. */
int cet_bootstrap_block_counts(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                               uint64_t block, uint32_t *counts);

/* The totals of all blocks of replicate r at once into totals[0 ..
 * blocks - 1], equal to cet_bootstrap_block_total of each block, in
 * O(number of blocks) binomial draws instead of O(log) per block: for a
 * worker that serves many blocks. CET_ERR_INPUT for an invalid plan.
 * Allocation-free; r_ws is repositioned. */
int cet_bootstrap_totals(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                         uint64_t *totals);

/* Step 2 alone: the counts of block b in replicate r given its total (from
 * cet_bootstrap_block_total or cet_bootstrap_totals) into counts[0 .. L -
 * 1]. CET_ERR_INPUT for an invalid plan or block, or a total above N.
 * Allocation-free, needs no gsl_rng. */
int cet_bootstrap_spread(const cet_bootstrap_plan *plan, uint64_t replicate, uint64_t block,
                         uint64_t total, uint32_t *counts);

#endif /* CETWIN_BOOTSTRAP_H */
