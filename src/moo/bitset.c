/*
 * bitset.c — 64-ary bit tree with predecessor and successor (bitset.h).
 * Bit b of word w at level k+1 is set iff word 64 w + b of level k is
 * non-zero.
 */
#include "moo/bitset.h"

#include "cetwin/error.h"

#include <stdlib.h>
#include <string.h>

int cet_bitset_init(cet_bitset *s, size_t n) {
  size_t total = 0, count = n > 0 ? n : 1;
  s->levels = 0;
  s->storage = NULL;
  do {
    CET_CHECK(s->levels < CET_BITSET_LEVELS, CET_ERR_INPUT, "too many points for a bit set: %zu",
              n);
    count = (count + 63) / 64;
    s->words[s->levels++] = count;
    total += count;
  } while (count > 1);
  s->storage = calloc(total, sizeof *s->storage);
  CET_CHECK_ALLOC(s->storage);
  uint64_t *w = s->storage;
  for (size_t k = 0; k < s->levels; k++) {
    s->word[k] = w;
    w += s->words[k];
  }
  return CET_OK;
}

void cet_bitset_release(cet_bitset *s) {
  free(s->storage);
  s->storage = NULL;
  s->levels = 0;
}

void cet_bitset_clear(cet_bitset *s) {
  size_t total = 0;
  for (size_t k = 0; k < s->levels; k++) {
    total += s->words[k];
  }
  memset(s->storage, 0, total * sizeof *s->storage);
}

void cet_bitset_insert(cet_bitset *s, size_t i) {
  for (size_t k = 0; k < s->levels; k++) {
    uint64_t *w = &s->word[k][i >> 6];
    int was_empty = *w == 0;
    *w |= (uint64_t)1 << (i & 63);
    if (!was_empty) {
      return;
    }
    i >>= 6;
  }
}

void cet_bitset_remove(cet_bitset *s, size_t i) {
  for (size_t k = 0; k < s->levels; k++) {
    uint64_t *w = &s->word[k][i >> 6];
    *w &= ~((uint64_t)1 << (i & 63));
    if (*w != 0) {
      return;
    }
    i >>= 6;
  }
}

static unsigned top_bit(uint64_t w) { return 63u - (unsigned)__builtin_clzll(w); }
static unsigned low_bit(uint64_t w) { return (unsigned)__builtin_ctzll(w); }

size_t cet_bitset_pred(const cet_bitset *s, size_t i) {
  size_t k = 0;
  /* climb until a word holds a member at or before the position */
  for (;; k++) {
    if (k == s->levels) {
      return CET_BITSET_NONE;
    }
    unsigned b = (unsigned)(i & 63);
    uint64_t mask = b == 63 ? ~(uint64_t)0 : (((uint64_t)1 << (b + 1)) - 1);
    uint64_t w = s->word[k][i >> 6] & mask;
    if (w) {
      i = (i & ~(size_t)63) | top_bit(w);
      break;
    }
    if ((i >> 6) == 0) {
      return CET_BITSET_NONE;
    }
    i = (i >> 6) - 1; /* the previous word, at the next level */
  }
  /* descend along the last members */
  while (k-- > 0) {
    i = (i << 6) | top_bit(s->word[k][i]);
  }
  return i;
}

size_t cet_bitset_succ(const cet_bitset *s, size_t i) {
  size_t k = 0;
  for (;; k++) {
    if (k == s->levels || (i >> 6) >= s->words[k]) {
      return CET_BITSET_NONE;
    }
    uint64_t w = s->word[k][i >> 6] & (~(uint64_t)0 << (i & 63));
    if (w) {
      i = (i & ~(size_t)63) | low_bit(w);
      break;
    }
    i = (i >> 6) + 1; /* the next word, at the next level */
  }
  while (k-- > 0) {
    i = (i << 6) | low_bit(s->word[k][i]);
  }
  return i;
}
