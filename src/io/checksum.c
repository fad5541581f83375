/*
 * checksum.c — the content checksum in the userblock (see checksum.h).
 *
 * The record is text, "cetwin-checksum 1\nbytes N\nhash64 H\n" padded
 * with NUL bytes to the userblock's size: N is the number of bytes after
 * the userblock and H (16 hex digits) their hash. The hash reads the bytes
 * as little-endian 64-bit words in four interleaved lanes; a word enters
 * its lane by a step that is a bijection of the lane for a given word and
 * of the word for a given lane, so a file differing from the sealed one in
 * a single word (any single flipped bit) always gets another hash; other
 * damage goes unnoticed with probability 2^-64.
 */
#define _POSIX_C_SOURCE 200809L
#include "checksum.h"

#include "h5_util.h"

#include "cetwin/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HASH_LANES = 4, HASH_STRIPE = 8 * HASH_LANES, HASH_BUFFER = 1 << 20 };

static const char RECORD_MAGIC[] = "cetwin-checksum 1\n";
static const uint64_t HASH_K1 = 0x9E3779B97F4A7C15ULL; /* odd: 2^64 / golden ratio */
static const uint64_t HASH_K2 = 0xD1B54A32D192ED03ULL; /* odd */

typedef struct {
  uint64_t lane[HASH_LANES];
  uint64_t length;
  unsigned char tail[HASH_STRIPE];
  size_t n_tail;
} hash_state;

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t absorb(uint64_t lane, uint64_t word) {
  return rotl((lane ^ word) * HASH_K1, 29) + HASH_K2;
}

static uint64_t load_le(const unsigned char *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

static void hash_init(hash_state *h) {
  memset(h, 0, sizeof *h);
  for (int i = 0; i < HASH_LANES; i++) {
    h->lane[i] = HASH_K2 * (uint64_t)(i + 1);
  }
}

static void hash_stripe(hash_state *h, const unsigned char *p) {
  for (int i = 0; i < HASH_LANES; i++) {
    h->lane[i] = absorb(h->lane[i], load_le(p + 8 * i));
  }
}

static void hash_update(hash_state *h, const unsigned char *p, size_t n) {
  h->length += n;
  if (h->n_tail > 0) {
    size_t take = HASH_STRIPE - h->n_tail < n ? HASH_STRIPE - h->n_tail : n;
    memcpy(h->tail + h->n_tail, p, take);
    h->n_tail += take;
    p += take;
    n -= take;
    if (h->n_tail < HASH_STRIPE) {
      return;
    }
    hash_stripe(h, h->tail);
    h->n_tail = 0;
  }
  for (; n >= HASH_STRIPE; p += HASH_STRIPE, n -= HASH_STRIPE) {
    hash_stripe(h, p);
  }
  memcpy(h->tail, p, n);
  h->n_tail = n;
}

static uint64_t hash_final(hash_state *h) {
  memset(h->tail + h->n_tail, 0, HASH_STRIPE - h->n_tail);
  uint64_t x = absorb(HASH_K1, h->length);
  for (int i = 0; i < HASH_LANES; i++) {
    x = absorb(x, h->lane[i]);
    x = absorb(x, load_le(h->tail + 8 * i));
  }
  x ^= x >> 32;
  x *= HASH_K1;
  x ^= x >> 29;
  x *= HASH_K2;
  return x ^ (x >> 32);
}

/* Hashes the bytes of fd from offset on: 0, or an errno. */
static int hash_file(int fd, off_t offset, uint64_t *hash, uint64_t *length) {
  unsigned char *buf = malloc(HASH_BUFFER);
  if (!buf) {
    return ENOMEM;
  }
  hash_state h;
  hash_init(&h);
  int err = 0;
  for (;;) {
    ssize_t got = pread(fd, buf, HASH_BUFFER, offset);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      err = got < 0 ? errno : 0;
      break;
    }
    hash_update(&h, buf, (size_t)got);
    offset += got;
  }
  free(buf);
  *hash = hash_final(&h);
  *length = h.length;
  return err;
}

int cet_checksum_seal(const char *path) {
  int fd = open(path, O_RDWR);
  CET_CHECK(fd >= 0, CET_ERR_RUNTIME, "cannot seal '%s': %s", path, strerror(errno));
  uint64_t hash = 0, length = 0;
  int err = hash_file(fd, CET_H5_USERBLOCK, &hash, &length);
  char record[CET_H5_USERBLOCK] = {0};
  snprintf(record, sizeof record, "%sbytes %" PRIu64 "\nhash64 %016" PRIx64 "\n", RECORD_MAGIC,
           length, hash);
  if (err == 0 && pwrite(fd, record, sizeof record, 0) != (ssize_t)sizeof record) {
    err = errno ? errno : EIO;
  }
  if (close(fd) != 0 && err == 0) {
    err = errno;
  }
  CET_CHECK(err != ENOMEM, CET_ERR_MEMORY, "out of memory in %s for the buffer to seal '%s'",
            __func__, path);
  CET_CHECK(err == 0, CET_ERR_RUNTIME, "cannot seal '%s' with its checksum: %s", path,
            strerror(err));
  return CET_OK;
}

int cet_checksum_verify(const char *path) {
  int fd = open(path, O_RDONLY);
  CET_CHECK(fd >= 0, CET_ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
  char record[CET_H5_USERBLOCK + 1] = {0};
  ssize_t got = pread(fd, record, CET_H5_USERBLOCK, 0);
  if (got < (ssize_t)CET_H5_USERBLOCK ||
      strncmp(record, RECORD_MAGIC, sizeof RECORD_MAGIC - 1) != 0) {
    close(fd);
    return CET_OK; /* no record: HDF5's own checksums judge the file */
  }
  uint64_t want_length = 0, want_hash = 0, length = 0, hash = 0;
  int tail = 0;
  int parsed = sscanf(record + sizeof RECORD_MAGIC - 1, "bytes %" SCNu64 "\nhash64 %" SCNx64 "%n",
                      &want_length, &want_hash, &tail) == 2 &&
               record[sizeof RECORD_MAGIC - 1 + (size_t)tail] == '\n';
  int err = parsed ? hash_file(fd, CET_H5_USERBLOCK, &hash, &length) : 0;
  close(fd);
  CET_CHECK(err != ENOMEM, CET_ERR_MEMORY, "out of memory in %s for the buffer to check '%s'",
            __func__, path);
  CET_CHECK(err == 0, CET_ERR_INPUT, "cannot read '%s': %s", path, strerror(err));
  CET_CHECK(parsed, CET_ERR_INPUT,
            "'%s': checksum mismatch: the file is corrupt (its checksum record is damaged)", path);
  CET_CHECK(length == want_length && hash == want_hash, CET_ERR_INPUT,
            "'%s': checksum mismatch: the file is corrupt (its %s changed since cetwin wrote it: "
            "damaged, or modified by another program)",
            path, length != want_length ? "size" : "content");
  return CET_OK;
}
