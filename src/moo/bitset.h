/*
 * bitset.h — private: a set of integers in [0, n) as a 64-ary tree of bit
 * words (the idea of van Emde Boas layouts, flattened): insertion, removal,
 * predecessor and successor in O(log_64 n) word operations. Used by the
 * 3-D hypervolume sweep, whose staircase keys are known ranks.
 */
#ifndef CETWIN_MOO_BITSET_H
#define CETWIN_MOO_BITSET_H

#include <stddef.h>
#include <stdint.h>

enum { CET_BITSET_LEVELS = 6 }; /* 64^6 = 2^36 > any size_t rank we accept */

typedef struct {
  uint64_t *word[CET_BITSET_LEVELS]; /* level 0 holds one bit per integer */
  size_t words[CET_BITSET_LEVELS];   /* words per level */
  size_t levels;                     /* levels in use (the top one is one word) */
  uint64_t *storage;
} cet_bitset;

#define CET_BITSET_NONE SIZE_MAX

/* Makes an empty set over [0, n). CET_OK, CET_ERR_MEMORY, or CET_ERR_INPUT
 * when n is too large. Free with cet_bitset_release. */
int cet_bitset_init(cet_bitset *s, size_t n);
void cet_bitset_release(cet_bitset *s);

/* Empties the set. */
void cet_bitset_clear(cet_bitset *s);

void cet_bitset_insert(cet_bitset *s, size_t i);
void cet_bitset_remove(cet_bitset *s, size_t i);

/* Largest member <= i, or CET_BITSET_NONE. */
size_t cet_bitset_pred(const cet_bitset *s, size_t i);

/* Smallest member >= i, or CET_BITSET_NONE (i may be n). */
size_t cet_bitset_succ(const cet_bitset *s, size_t i);

#endif /* CETWIN_MOO_BITSET_H */
