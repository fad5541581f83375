/*
 * marks.h — walking arrays of byte marks (private to src/model): the
 * changed parts of an update (twin_econ.c, dcf.c) are marked with a
 * non-zero byte, most are not, and the walk skips eight unmarked bytes at
 * a time.
 */
#ifndef CETWIN_MARKS_H
#define CETWIN_MARKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The first i' >= i with mark[i'] != 0, or n when there is none. Use:
 * for (size_t i = cet_marks_next(mark, 0, n); i < n; i = cet_marks_next(mark, i + 1, n)). */
static inline size_t cet_marks_next(const unsigned char *mark, size_t i, size_t n) {
  for (; i + sizeof(uint64_t) <= n; i += sizeof(uint64_t)) {
    uint64_t word;
    memcpy(&word, mark + i, sizeof word);
    if (word != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      return i + (size_t)__builtin_ctzll(word) / 8; /* the first non-zero byte of the word */
#else
      break;
#endif
    }
  }
  while (i < n && mark[i] == 0) {
    i++;
  }
  return i;
}

#endif /* CETWIN_MARKS_H */
