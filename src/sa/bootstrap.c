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

/* Words of the stream fetched at a time for the draws inside a block; and
 * the longest block whose draws take 16-bit pieces of the words (at most
 * 1/16 of them rejected), longer ones 32-bit pieces. */
enum { WORD_CHUNK = 32, SMALL_BLOCK = 4096 };

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

/* Checks the plan and the block. */
static int check_block(const cet_bootstrap_plan *plan, uint64_t block) {
  CET_CALL(cet_bootstrap_check(plan));
  uint64_t blocks = cet_bootstrap_blocks(plan);
  CET_CHECK(block < blocks, CET_ERR_INPUT,
            "bootstrap: block %llu is beyond the last block %llu of %llu points by %llu",
            (unsigned long long)block, (unsigned long long)(blocks - 1),
            (unsigned long long)plan->points, (unsigned long long)plan->block);
  return CET_OK;
}

/* The draws that node `node` (over blocks [lo, hi), hi - lo >= 2, holding
 * count > 0 draws) gives its left half [lo, mid). */
static uint64_t split(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                      uint64_t node, uint64_t lo, uint64_t mid, uint64_t hi, uint64_t count) {
  uint64_t left = block_start(plan, mid) - block_start(plan, lo);
  uint64_t all = block_start(plan, hi) - block_start(plan, lo);
  cet_rng_stream(r_ws, plan->seed, plan->purpose, replicate, node);
  return gsl_ran_binomial(r_ws, (double)left / (double)all, (unsigned int)count);
}

int cet_bootstrap_block_total(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                              uint64_t block, uint64_t *total) {
  CET_CALL(check_block(plan, block));
  uint64_t lo = 0, hi = cet_bootstrap_blocks(plan), node = 1, count = plan->points;
  while (hi - lo > 1 && count > 0) {
    uint64_t mid = lo + (hi - lo) / 2;
    uint64_t to_left = split(plan, r_ws, replicate, node, lo, mid, hi, count);
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

/* The totals of blocks [lo, hi) of node `node` holding count draws. */
static void node_totals(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                        uint64_t node, uint64_t lo, uint64_t hi, uint64_t count, uint64_t *totals) {
  if (hi - lo == 1 || count == 0) {
    for (uint64_t b = lo; b < hi; b++) {
      totals[b] = b == lo ? count : 0;
    }
    return;
  }
  uint64_t mid = lo + (hi - lo) / 2;
  uint64_t to_left = split(plan, r_ws, replicate, node, lo, mid, hi, count);
  node_totals(plan, r_ws, replicate, 2 * node, lo, mid, to_left, totals);
  node_totals(plan, r_ws, replicate, 2 * node + 1, mid, hi, count - to_left, totals);
}

int cet_bootstrap_totals(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                         uint64_t *totals) {
  CET_CALL(cet_bootstrap_check(plan));
  node_totals(plan, r_ws, replicate, 1, 0, cet_bootstrap_blocks(plan), plan->points, totals);
  return CET_OK;
}

int cet_bootstrap_spread(const cet_bootstrap_plan *plan, uint64_t replicate, uint64_t block,
                         uint64_t total, uint32_t *counts) {
  CET_CALL(check_block(plan, block));
  CET_CHECK(total <= plan->points, CET_ERR_INPUT,
            "bootstrap: a block cannot hold %llu of %llu draws", (unsigned long long)total,
            (unsigned long long)plan->points);
  uint64_t length = cet_bootstrap_block_length(plan, block);
  memset(counts, 0, length * sizeof *counts);
  if (length == 1) {
    counts[0] = (uint32_t)total;
    return CET_OK;
  }
  /* index = floor(h L / 2^w) for a w-bit piece h of the stream's words,
   * rejecting the h whose low product falls below 2^w mod L (D. Lemire,
   * Fast random integer generation in an interval, ACM TOMACS 29 (2019)
   * 3:1-3:12): w = 16 for blocks of up to SMALL_BLOCK points, else 32 */
  unsigned width = length <= SMALL_BLOCK ? 16 : 32, per_word = 64 / width;
  uint64_t n = length, range = UINT64_C(1) << width, mask = range - 1;
  uint64_t threshold = (range - n) % n, drawn = 0;
  uint64_t words[WORD_CHUNK];
  for (uint64_t position = 0; drawn < total; position += WORD_CHUNK) {
    cet_rng_words(plan->seed, plan->purpose, replicate, WITHIN_BLOCK + block, position, WORD_CHUNK,
                  words);
    for (size_t w = 0; w < WORD_CHUNK && drawn < total; w++) {
      uint64_t word = words[w];
      for (unsigned k = 0; k < per_word && drawn < total; k++, word >>= width) {
        uint64_t product = (word & mask) * n;
        if ((product & mask) >= threshold) {
          counts[product >> width]++;
          drawn++;
        }
      }
    }
  }
  return CET_OK;
}

int cet_bootstrap_block_counts(const cet_bootstrap_plan *plan, gsl_rng *r_ws, uint64_t replicate,
                               uint64_t block, uint32_t *counts) {
  uint64_t total;
  CET_CALL(cet_bootstrap_block_total(plan, r_ws, replicate, block, &total));
  CET_CALL(cet_bootstrap_spread(plan, replicate, block, total, counts));
  return CET_OK;
}
