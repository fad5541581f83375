/*
 * sparse_lu.h — the direct solve of a large recycle loop's (I − S) x = f
 * (private to src/model): Gaussian elimination in the loop's unit order
 * on the sparsity pattern of the matrix, worked out once when the twin is
 * built, then allocation-free at every evaluation.
 *
 * No row exchanges: the columns of S are the shares a unit sends to the
 * units of the loop, which sum to at most 1, so I − S is column
 * diagonally dominant and elimination without pivoting is stable (the
 * dominance survives every elimination step; growth factor at most 2). A
 * pivot below the tolerance means, as for the dense solve, that some
 * component cannot leave the loop.
 *
 * Cost: the pattern of the factors (with fill-in) is found in O(n² +
 * fill) once; a solve costs O(n + the factors' nonzeros × their row
 * lengths) instead of n³/3 for the dense LU, and memory is O(n +
 * nonzeros) instead of n².
 */
#ifndef CETWIN_SPARSE_LU_H
#define CETWIN_SPARSE_LU_H

#include <stddef.h>

typedef struct cet_sparse_lu cet_sparse_lu;

/* The pattern of an n x n matrix given as m entries (row[k], col[k]),
 * k < m; entries may repeat (their values add up) and every diagonal
 * position must be among them (CET_ERR_INPUT otherwise). */
int cet_sparse_lu_create(size_t n, size_t m, const size_t *row, const size_t *col,
                         cet_sparse_lu **out);

void cet_sparse_lu_destroy(cet_sparse_lu **s);

/* Doubles of scratch a solve needs. */
size_t cet_sparse_lu_scratch(const cet_sparse_lu *s);

/* Solves a x = b where a has the value value[k] at (row[k], col[k]) of the
 * pattern (repeats summed); b is overwritten by x. scratch holds
 * cet_sparse_lu_scratch(s) doubles. Returns 0, or k + 1 when the k-th
 * pivot is below tol in magnitude or NaN; then *pivot holds its magnitude
 * and b is undefined. */
size_t cet_sparse_lu_solve(const cet_sparse_lu *s, const double *value, double *b, double *scratch,
                           double tol, double *pivot);

#endif /* CETWIN_SPARSE_LU_H */
