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
 * The same elimination factors the symmetric positive semidefinite normal
 * matrices of data reconciliation (reconcile.c) once for many right-hand
 * sides: no pivoting is needed there either (symmetric positive definite
 * matrices need none), and a row that is, to the tolerance, a combination
 * of the rows before it (its pivot vanishes) is set aside: its unknown is
 * held at zero, which gives a basic solution and a generalised inverse.
 *
 * Cost: the pattern of the factors (with fill-in) is found in O(n +
 * fill × log) once; a solve costs O(n + the factors' nonzeros × their row
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

/* Number of positions of the factors' pattern (L and U together). */
size_t cet_sparse_lu_nnz(const cet_sparse_lu *s);

/* Factors the matrix with the values value (as for solve) into lu
 * (cet_sparse_lu_nnz(s) doubles: L's multipliers left of each diagonal, U
 * from it), with work (n doubles). For a symmetric positive semidefinite
 * matrix: pivot k is dropped (drop[k] = 1, else 0) when its magnitude is
 * not above tol times the matrix's diagonal entry k; a dropped row of U is
 * the unit row and its column takes no part in later rows (U = D L^T on
 * the rest, D the diagonal of U). */
void cet_sparse_lu_factor(const cet_sparse_lu *s, const double *value, double *lu, double *work,
                          double tol, unsigned char *drop);

/* b := U^-1 b with the factors lu; the unknowns of dropped rows (drop may
 * be NULL) are 0. */
void cet_sparse_lu_upper(const cet_sparse_lu *s, const double *lu, const unsigned char *drop,
                         double *b);

/* b := L^-1 b for factors of a symmetric matrix, with L = (D^-1 U)^T read
 * from the rows of U (column-oriented). With reach (count rows from
 * cet_sparse_lu_reach for the nonzeros of b) only those rows are visited,
 * the others stay 0; with reach NULL every row is. Then x = U^-1 b solves
 * a x = b, and for a right-hand side w, w^T a^-1 w (a generalised inverse
 * when rows were dropped) is the sum of b_k^2 / D_k over the rows kept,
 * while the b_k of dropped rows vanish exactly when w lies in the range of
 * the matrix. */
void cet_sparse_lu_lower_symmetric(const cet_sparse_lu *s, const double *lu, double *b,
                                   const size_t *reach, size_t count);

/* The rows a solve with L from the rows support[0 .. n_support) reaches
 * (their ancestors in the elimination tree), ascending, into reach (n
 * entries at most); returns their count. mark holds n zeros and is left
 * so. */
size_t cet_sparse_lu_reach(const cet_sparse_lu *s, const size_t *support, size_t n_support,
                           unsigned char *mark, size_t *reach);

/* Pivot k (D_k, the diagonal of U) of the factors lu. */
double cet_sparse_lu_pivot(const cet_sparse_lu *s, const double *lu, size_t k);

/* A fill-reducing order of the rows and columns of a symmetric pattern (n
 * x n, the m entries (row[k], col[k]); repeats, the diagonal and either
 * triangle alone are accepted): minimum degree, eliminating at each step
 * the vertex of the graph of the matrix with the fewest neighbours (the
 * lowest index among equals) and joining its neighbours into a clique.
 * order[k] (n entries) is the row eliminated k-th. Factoring the matrix
 * with row and column order[k] renumbered k gives the same solution with
 * fewer nonzeros in the factors and a shallower elimination tree, so that
 * a solve from a few rows (cet_sparse_lu_reach) visits few. */
int cet_sparse_lu_order(size_t n, size_t m, const size_t *row, const size_t *col, size_t *order);

/* A fill-reducing order of a symmetric pattern (arguments as for
 * cet_sparse_lu_order) by nested dissection: a separator of the graph of
 * the matrix (between two levels of a breadth-first search from a far
 * vertex, the vertices of one of them with a neighbour in the other) is
 * eliminated after the two sides it leaves, each side ordered so in turn;
 * parts of at most 256 vertices, or without two levels, by minimum degree
 * (so a matrix of at most 256 rows gets cet_sparse_lu_order's order);
 * components apart. The elimination tree of the ordered
 * matrix has depth about the separators' sizes times the logarithm of n
 * where minimum degree leaves chains of parts joined one after the other
 * (its tie-breaking by index eliminates a path from one end), so a solve
 * from a few rows (cet_sparse_lu_reach) visits fewer. */
int cet_sparse_lu_dissect(size_t n, size_t m, const size_t *row, const size_t *col, size_t *order);

#endif /* CETWIN_SPARSE_LU_H */
