/*
 * bootstrap.c — keyed multinomial bootstrap counts, block by block (see
 * bootstrap.h): the block's total from a binary tree of binomial splits,
 * then its draws spread over its points.
 */
#include "cetwin/bootstrap.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <gsl/gsl_randist.h>
#include <string.h>

/* The sub-stream of the draws inside block b is WITHIN_BLOCK + b; the tree
 * nodes (heap numbers below 2^34) never reach it. */
static const uint64_t WITHIN_BLOCK = UINT64_C(1) << 63;

/* Words of the stream fetched at a time for the draws inside a block. */
enum { WORD_CHUNK = 32 };

int cet_bootstrap_check(const cet_bootstrap_plan *plan) {
  CET_CHECK(plan->points >= 1 && plan->points <= UINT32_MAX, CET_ERR_INPUT,
            "bootstrap: expected 1 to 2^32 - 1 points to resample, found %llu",
            (unsigned long long)plan->points);
  CET_CHECK(plan->block >= 1, CET_ERR_INPUT, "bootstrap: expected at least 1 point per block");
  return CET_OK;
}

uint64_t cet_bootstrap_blocks(const cet_bootstrap_plan *plan) {
  return plan->points / plan->block + (plan->points % plan->block != 0);
}

/* First point of block b, or N beyond the last block. */
static uint64_t block_start(const cet_bootstrap_plan *plan, uint64_t b) {
  uint64_t blocks = cet_bootstrap_blocks(plan);
  return b >= blocks ? plan->points : b * plan->block;
}

uint64_t cet_bootstrap_block_length(const cet_bootstrap_plan *plan, uint64_t block) {
  return block_start(plan, block + 1) - block_start(plan, block);
}

int cet_bootstrap_block_total(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                              uint64_t block, uint64_t *total) {
  CET_CALL(cet_bootstrap_check(plan));
  uint64_t blocks = cet_bootstrap_blocks(plan);
  CET_CHECK(block < blocks, CET_ERR_INPUT,
            "bootstrap: block %llu is beyond the last block %llu of %llu points by %llu",
            (unsigned long long)block, (unsigned long long)(blocks - 1),
            (unsigned long long)plan->points, (unsigned long long)plan->block);
  uint64_t lo = 0, hi = blocks, node = 1, count = plan->points;
  while (hi - lo > 1 && count > 0) {
    uint64_t mid = lo + (hi - lo) / 2;
    uint64_t left = block_start(plan, mid) - block_start(plan, lo);
    uint64_t all = block_start(plan, hi) - block_start(plan, lo);
    cet_rng_stream(r_ws, plan->seed, plan->purpose, replicate, node);
    uint64_t to_left = gsl_ran_binomial(r_ws, (double)left / (double)all, (unsigned int)count);
    if (block < mid) {
      hi = mid;
      node = 2 * node;
      count = to_left;
    } else {
      lo = mid;
      node = 2 * node + 1;
      count -= to_left;
    }
  }
  *total = count;
  return CET_OK;
}

int cet_bootstrap_block_counts(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                               uint64_t block, uint32_t *counts) {
  uint64_t total;
  CET_CALL(cet_bootstrap_block_total(plan, r_ws, replicate, block, &total));
  uint64_t length = cet_bootstrap_block_length(plan, block);
  memset(counts, 0, length * sizeof *counts);
  if (length == 1) {
    counts[0] = (uint32_t)total;
    return CET_OK;
  }
  /* index = floor(h L / 2^32) for a 32-bit h, rejecting the h whose low
   * product falls below 2^32 mod L (D. Lemire, Fast random integer
   * generation in an interval, ACM TOMACS 29 (2019) 3:1-3:12) */
  uint32_t n = (uint32_t)length, threshold = (uint32_t)(-n) % n;
  uint64_t words[WORD_CHUNK], position = 0;
  size_t half = 2 * WORD_CHUNK;
  for (uint64_t drawn = 0; drawn < total;) {
    if (half == 2 * WORD_CHUNK) {
      cet_rng_words(plan->seed, plan->purpose, replicate, WITHIN_BLOCK + block, position,
                    WORD_CHUNK, words);
      position += WORD_CHUNK;
      half = 0;
    }
    uint32_t h = (uint32_t)(words[half / 2] >> (32 * (half % 2)));
    half++;
    uint64_t product = (uint64_t)h * n;
    if ((uint32_t)product < threshold) {
      continue;
    }
    counts[product >> 32]++;
    drawn++;
  }
  return CET_OK;
}
