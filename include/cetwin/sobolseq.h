/*
 * sobolseq.h — the Sobol' low-discrepancy sequence, plain or scrambled,
 * any point computed directly from its index.
 *
 * Direction numbers: Joe and Kuo (2008), data file new-joe-kuo-6.21201 (S.
 * Joe and F. Y. Kuo, Constructing Sobol sequences with better
 * two-dimensional projections, SIAM J. Sci. Comput. 30 (2008) 2635-2654),
 * dimensions 1 to CET_SOBOLSEQ_MAX_DIMS; dimension 1 is the van der Corput
 * sequence. Points are in Gray-code order, as in Joe and Kuo's generator
 * and scipy.stats.qmc.Sobol: point i is the XOR of the direction numbers
 * selected by the bits of i ^ (i >> 1), so the first 2^m points of every
 * dimension are the same set as in the natural order and form a (t, m,
 * s)-net in base 2.
 *
 * Resolution: 32 bits. Point indices run from 0 to 2^32 - 1. A coordinate
 * is the midpoint of its cell of width 2^-32: (u + 1/2) 2^-32 for the
 * 32-bit integer u, so it lies strictly inside (0, 1) and an inverse CDF
 * never sees 0 or 1. (The points of the unscrambled sequence are thus
 * Joe and Kuo's plus 2^-33.)
 *
 * Scrambling (optional): a random linear matrix scramble with a digital
 * shift (J. Matousek, On the L2-discrepancy for anchored boxes, J.
 * Complexity 14 (1998) 527-556; the scramble of scipy.stats.qmc.Sobol). In
 * each dimension the 32 digits of every point are multiplied (over GF(2))
 * by a random lower-triangular matrix with a unit diagonal, so a digit
 * depends only on itself and the more significant digits, then XORed with
 * a random 32-bit shift. The scramble is applied once to the direction
 * numbers at creation, so a scrambled point costs what a plain one costs.
 * It keeps the net property (every elementary interval holds the same
 * number of points as before) and makes each point uniform on the cube.
 * The random bits of dimension j (1-based) come from the Philox stream
 * (seed, cet_rng_purpose("sobolseq.scramble"), j, 0): the same seed gives
 * the same points on every machine, and a sequence of more dimensions has
 * the same first dimensions.
 *
 * Thread safety: a sequence is read-only after creation; any number of
 * threads may compute points of it at once.
 */
#ifndef CETWIN_SOBOLSEQ_H
#define CETWIN_SOBOLSEQ_H

#include <stddef.h>
#include <stdint.h>

/* Dimensions available: all those of new-joe-kuo-6.21201 whose primitive
 * polynomial has degree 15 or less. */
#define CET_SOBOLSEQ_MAX_DIMS 3667

/* Bits of every coordinate; point indices are below 2^CET_SOBOLSEQ_BITS. */
#define CET_SOBOLSEQ_BITS 32

/* A Sobol' sequence of a fixed number of dimensions (opaque). */
typedef struct cet_sobolseq cet_sobolseq;

/* Creates the sequence of dims dimensions (1 .. CET_SOBOLSEQ_MAX_DIMS;
 * CET_ERR_INPUT otherwise), scrambled with the given seed when scrambled
 * != 0 (the seed is then ignored when scrambled == 0). Memory: 132 bytes
 * per dimension. CET_ERR_MEMORY. Free with cet_sobolseq_destroy. */
int cet_sobolseq_create(cet_sobolseq **seq, size_t dims, int scrambled, uint64_t seed);

/* Frees seq (NULL allowed) and sets *seq to NULL. */
void cet_sobolseq_destroy(cet_sobolseq **seq);

/* Number of dimensions. */
size_t cet_sobolseq_dims(const cet_sobolseq *seq);

/* Writes point index (0-based) into x[0 .. dims-1], each coordinate in
 * (0, 1). CET_ERR_INPUT when index >= 2^32. Stateless: any index in any
 * order; allocation-free; thread-safe. */
int cet_sobolseq_point(const cet_sobolseq *seq, uint64_t index, double *x);

/* Writes coordinates first .. first + count - 1 (0-based dimensions) of
 * point index into x[0 .. count - 1], as cet_sobolseq_point would; e.g. the
 * two halves of a point into two arrays. CET_ERR_INPUT when index >= 2^32
 * or the dimensions run past the last. Allocation-free; thread-safe. */
int cet_sobolseq_coordinates(const cet_sobolseq *seq, uint64_t index, size_t first, size_t count,
                             double *x);

#endif /* CETWIN_SOBOLSEQ_H */
