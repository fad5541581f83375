/*
 * rng.c — Philox4x64-10 (Random123) as a gsl_rng type (see rng.h).
 *
 * Key = (seed, purpose); counter = (index, sub, block, 0). Each call to get
 * or get_double consumes one 64-bit word; a block of four words is generated
 * when needed, so the state is just the key, the counter and the position.
 */
#include "cetwin/rng.h"

#include <Random123/philox.h>

enum { WORDS_PER_BLOCK = 4 };

typedef struct {
  philox4x64_key_t key;
  philox4x64_ctr_t ctr; /* ctr.v[2] is the block number */
  philox4x64_ctr_t out; /* current block of output */
  unsigned used;        /* words of out consumed; WORDS_PER_BLOCK = refill */
} philox_state;

static uint64_t next_word(philox_state *s) {
  if (s->used == WORDS_PER_BLOCK) {
    s->out = philox4x64(s->ctr, s->key);
    s->ctr.v[2]++;
    s->used = 0;
  }
  return s->out.v[s->used++];
}

static void set_stream(philox_state *s, uint64_t seed, uint64_t purpose, uint64_t index,
                       uint64_t sub) {
  s->key.v[0] = seed;
  s->key.v[1] = purpose;
  s->ctr.v[0] = index;
  s->ctr.v[1] = sub;
  s->ctr.v[2] = 0;
  s->ctr.v[3] = 0;
  s->used = WORDS_PER_BLOCK;
}

static void philox_set(void *vstate, unsigned long seed) {
  set_stream((philox_state *)vstate, (uint64_t)seed, 0, 0, 0);
}

static unsigned long philox_get(void *vstate) {
  return (unsigned long)(next_word((philox_state *)vstate) >> 32);
}

static double philox_get_double(void *vstate) {
  /* 53 random bits, uniform on [0, 1) */
  return (double)(next_word((philox_state *)vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type philox_type = {"cetwin-philox4x64",  0xffffffffUL, 0,
                                         sizeof(philox_state), philox_set,   philox_get,
                                         philox_get_double};

const gsl_rng_type *cet_rng_philox = &philox_type;

gsl_rng *cet_rng_alloc(void) { return gsl_rng_alloc(cet_rng_philox); }

void cet_rng_stream(gsl_rng *r, uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub) {
  set_stream((philox_state *)r->state, seed, purpose, index, sub);
}

void cet_rng_words(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub, uint64_t first,
                   size_t n, uint64_t *out) {
  philox_state s;
  set_stream(&s, seed, purpose, index, sub);
  s.ctr.v[2] = first / WORDS_PER_BLOCK;
  s.used = WORDS_PER_BLOCK;
  unsigned skip = (unsigned)(first % WORDS_PER_BLOCK);
  for (size_t i = 0; i < n; i++) {
    if (s.used == WORDS_PER_BLOCK) {
      s.out = philox4x64(s.ctr, s.key);
      s.ctr.v[2]++;
      s.used = skip;
      skip = 0;
    }
    out[i] = s.out.v[s.used++];
  }
}

uint64_t cet_rng_purpose(const char *name) {
  uint64_t h = 14695981039346656037ULL; /* FNV-1a offset basis */
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL; /* FNV prime */
  }
  return h;
}

uint64_t cet_rng_position(const gsl_rng *r) {
  const philox_state *s = (const philox_state *)r->state;
  if (s->ctr.v[2] == 0) {
    return 0;
  }
  return (s->ctr.v[2] - 1) * WORDS_PER_BLOCK + s->used;
}

void cet_rng_seek(gsl_rng *r, uint64_t pos) {
  philox_state *s = (philox_state *)r->state;
  s->ctr.v[2] = pos / WORDS_PER_BLOCK;
  s->used = WORDS_PER_BLOCK;
  for (uint64_t i = 0; i < pos % WORDS_PER_BLOCK; i++) {
    next_word(s);
  }
}
