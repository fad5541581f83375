/*
 * dense_lu.h — a small dense linear solve by LU factorisation with partial
 * pivoting, in place and allocation-free, for the recycle-loop blocks of a
 * twin and NSGA-III's hyperplane (private to the library).
 */
#ifndef CETWIN_DENSE_LU_H
#define CETWIN_DENSE_LU_H

#include <stddef.h>

/* Solves a x = b for the n x n row-major matrix a (overwritten by its LU
 * factors) and b (overwritten by x). Returns 0, or k + 1 when the k-th
 * pivot (after row exchanges) is below tol in magnitude or NaN; then
 * *pivot holds its magnitude and a, b are undefined. */
size_t cet_dense_lu_solve(size_t n, double *a, double *b, double tol, double *pivot);

#endif /* CETWIN_DENSE_LU_H */
