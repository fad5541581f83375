/*
 * rng.h — counter-based random streams (Philox4x64-10 from Random123)
 * wrapped as a gsl_rng type, so every GSL distribution applies.
 *
 * A stream is keyed by (seed, purpose) and positioned by (index, sub): the
 * index is what the numbers belong to (a Monte Carlo draw, an individual, a
 * generation), never an MPI rank or a thread. The same key and position give
 * the same numbers on any number of ranks and threads and in any call order.
 */
#ifndef CETWIN_RNG_H
#define CETWIN_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The gsl_rng type; gsl_rng_alloc(cet_rng_philox) works as for any type.
 * gsl_rng_set(r, s) selects stream (seed = s, purpose = 0, index = 0). */
extern const gsl_rng_type *cet_rng_philox;

/* Allocates a generator of type cet_rng_philox; NULL when out of memory.
 * Free with gsl_rng_free. */
gsl_rng *cet_rng_alloc(void);

/* Positions r at the start of stream (seed, purpose, index, sub). Cheap: no
 * state beyond the key and a counter; call it per draw or per individual. */
void cet_rng_stream(gsl_rng *r, uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub);

/* Writes n standard normal deviates of stream (seed, purpose, index, sub)
 * into out, straight from the stream's Philox words without a gsl_rng: a
 * ziggurat with 128 layers (Marsaglia and Tsang, J. Stat. Softw. 5(8),
 * 2000) on 32-bit halves of the words (7 bits choose the layer, 1 the sign,
 * 24 the magnitude, as GSL's gsl_ran_gaussian_ziggurat; the layer bits are
 * not reused for the value). The rare rejections and the tail take further
 * halves of the same stream, so the deviates are a fixed function of the
 * arguments: any rank, thread or call order gives the same numbers, and the
 * first k of n equal those of a call with n = k. Allocation-free. */
void cet_rng_normals(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub, size_t n,
                     double *out);

/* The deviates of cet_rng_normals for the count streams (seed, purpose,
 * first + d, sub), d < count (a batch of draws), laid out draws innermost:
 * deviate k of stream first + d at out[k * ld + d] for k < n, bitwise
 * equal to cet_rng_normals(seed, purpose, first + d, sub, n, ...)[k].
 * ld >= count; out[k * ld + d] for d >= count is not written. The Philox
 * blocks of up to 64 draws are computed together in vector registers (AVX2
 * or AVX-512 when the processor has them); batches or rests of fewer than
 * 16 draws go draw by draw. Allocation-free. */
void cet_rng_normals_batch(uint64_t seed, uint64_t purpose, uint64_t first, size_t count,
                           uint64_t sub, size_t n, double *out, size_t ld);

/* Writes words first .. first + n - 1 of stream (seed, purpose, index,
 * sub) into out: the 64-bit words a gsl_rng positioned there by
 * cet_rng_stream consumes one per call (gsl_rng_get returns a word's upper
 * 32 bits, gsl_rng_uniform its upper 53 bits times 2^-53). For code that
 * needs raw bits in bulk without a gsl_rng. Allocation-free. */
void cet_rng_words(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t sub, uint64_t first,
                   size_t n, uint64_t *out);

/* A stable 64-bit purpose code for a name (FNV-1a), e.g. a variable path,
 * so streams are keyed by what they belong to. */
uint64_t cet_rng_purpose(const char *name);

/* Position of r within its stream, in 64-bit words consumed; together with
 * the key this is the whole state (for checkpoints). */
uint64_t cet_rng_position(const gsl_rng *r);

/* Moves r to word position pos of its current stream. */
void cet_rng_seek(gsl_rng *r, uint64_t pos);

#endif /* CETWIN_RNG_H */
