/*
 * philox_lanes.h — Philox4x64-10 (Random123) blocks for many counters at
 * once (private to src/core): the counters {c0 + d, c1, c2, c3}, d <
 * count, under one key, as when the draws of a Monte Carlo batch (counter
 * word 0) take the same block of their streams. The lanes are the draws,
 * in vector registers where the processor has AVX-512 or AVX2. Integer
 * operations only, so every version gives the bits of Random123's
 * philox4x64.
 */
#ifndef CETWIN_PHILOX_LANES_H
#define CETWIN_PHILOX_LANES_H

#include <stddef.h>
#include <stdint.h>

/* Word w of the block of counter {ctr[0] + d, ctr[1], ctr[2], ctr[3]}
 * (word 0 modulo 2^64) under key {key[0], key[1]} at out[w * ld + d], for
 * w < 4 and d < count; ld >= count, nothing else of out is written. */
typedef void cet_philox_lanes_fn(const uint64_t key[2], const uint64_t ctr[4], size_t count,
                                 uint64_t *out, size_t ld);

/* One lane at a time with Random123's philox4x64 (any processor). */
cet_philox_lanes_fn cet_philox_lanes_scalar;

#if defined(__x86_64__)
/* 16 lanes at a time in 4-lane AVX2 vectors; needs avx2. */
cet_philox_lanes_fn cet_philox_lanes_avx2;
/* 32 lanes at a time in 8-lane AVX-512 vectors; needs avx512f and
 * avx512dq. */
cet_philox_lanes_fn cet_philox_lanes_avx512;
#endif

/* The fastest of the above that this processor runs, chosen on the first
 * call (thread-safe). */
cet_philox_lanes_fn *cet_philox_lanes(void);

#endif /* CETWIN_PHILOX_LANES_H */
