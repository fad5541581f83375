/*
 * test_sparse_lu.c — unit tests of the sparse loop solve (src/model/
 * sparse_lu.h): on random column diagonally dominant matrices of the shape
 * of a loop's I - S it gives the dense LU's solution to 1e-12; repeated
 * entries add up; a pivot below the tolerance is reported with its row;
 * a missing diagonal and an entry outside the matrix are input errors; on
 * a positive semidefinite normal matrix the factors drop exactly the
 * dependent pivots and give a basic solution, a generalised inverse, the
 * range test and the same solve on a right-hand side's reach; the
 * minimum-degree order is a permutation, the factors in it solve the same
 * system, and on an arrow matrix (a hub row and column over a path) it
 * leaves the hub to the end and the factors without fill; the
 * nested-dissection order is a permutation (also of a pattern of several
 * components, each of more than 256 rows ordered together, and of isolated
 * rows), equals the minimum-degree order up to 256 rows, solves the same
 * system, and on a path of 1,000 rows (which minimum degree eliminates
 * from one end: an elimination tree 1,000 deep) gives a tree at most
 * 256 + 8 deep with at most one fill position per row; on a strip of
 * 300 x 3 rows, a tree at most 256 deep with the fill its separators as a
 * halo of the sides give (7,830 positions).
 */
#include "cetwin/error.h"
#include "cetwin/dense_lu.h"
#include "model/sparse_lu.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* I - S for n units each sending shares of what it receives to `links`
 * random units (itself included), keeping `exit` of it out of the loop:
 * entries (i, i) = 1, then (to, from) = -share. */
static size_t loop_matrix(gsl_rng *r, size_t n, size_t links, double exit, size_t *row, size_t *col,
                          double *value) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++, m++) {
    row[m] = col[m] = i;
    value[m] = 1.0;
  }
  for (size_t from = 0; from < n; from++) {
    double left = 1.0 - exit;
    for (size_t k = 0; k < links; k++, m++) {
      double share = k + 1 == links ? left : left * gsl_rng_uniform(r);
      left -= share;
      row[m] = k == 0 ? (from + 1) % n : (size_t)gsl_rng_uniform_int(r, (unsigned long)n);
      col[m] = from;
      value[m] = -share;
    }
  }
  return m;
}

static void test_equals_dense(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  const size_t sizes[] = {1, 2, 3, 10, 60, 250};
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
    size_t n = sizes[t], links = 3, cap = n * (links + 1);
    size_t *row = malloc(cap * sizeof *row), *col = malloc(cap * sizeof *col);
    double *value = malloc(cap * sizeof *value), *a = calloc(n * n, sizeof *a);
    double *b = malloc(n * sizeof *b), *x = malloc(n * sizeof *x);
    size_t m = loop_matrix(r, n, links, 0.05, row, col, value);
    for (size_t k = 0; k < m; k++) {
      a[row[k] * n + col[k]] += value[k];
    }
    for (size_t i = 0; i < n; i++) {
      b[i] = x[i] = gsl_rng_uniform(r) * 100.0;
    }
    cet_sparse_lu *s = NULL;
    assert_int_equal(cet_sparse_lu_create(n, m, row, col, &s), CET_OK);
    double *scratch = malloc(cet_sparse_lu_scratch(s) * sizeof *scratch), pivot = 0.0;
    assert_int_equal(cet_sparse_lu_solve(s, value, x, scratch, 1e-12, &pivot), 0);
    assert_int_equal(cet_dense_lu_solve(n, a, b, 1e-12, &pivot), 0);
    for (size_t i = 0; i < n; i++) {
      assert_true(fabs(x[i] - b[i]) <= 1e-12 * fabs(b[i]));
    }
    cet_sparse_lu_destroy(&s);
    assert_null(s);
    free(scratch);
    free(row);
    free(col);
    free(value);
    free(a);
    free(b);
    free(x);
  }
  gsl_rng_free(r);
}

/* [[1, -0.25 - 0.25], [-0.5, 1]] x = [1, 1] given with a repeated entry. */
static void test_repeated_entries(void **state) {
  (void)state;
  const size_t row[] = {0, 1, 0, 1, 0}, col[] = {0, 1, 1, 0, 1};
  const double value[] = {1, 1, -0.25, -0.5, -0.25};
  cet_sparse_lu *s = NULL;
  assert_int_equal(cet_sparse_lu_create(2, 5, row, col, &s), CET_OK);
  double scratch[16], x[2] = {1, 1}, pivot = 0.0;
  assert_true(cet_sparse_lu_scratch(s) <= 16);
  assert_int_equal(cet_sparse_lu_solve(s, value, x, scratch, 1e-12, &pivot), 0);
  /* x0 = 1 + 0.5 x1, x1 = 1 + 0.5 x0: x0 = x1 = 2 */
  assert_true(fabs(x[0] - 2.0) < 1e-15 && fabs(x[1] - 2.0) < 1e-15);
  cet_sparse_lu_destroy(&s);
  cet_sparse_lu_destroy(&s); /* NULL: nothing */
}

/* A loop without exit: the last pivot vanishes. */
static void test_singular(void **state) {
  (void)state;
  const size_t row[] = {0, 1, 2, 1, 2, 0}, col[] = {0, 1, 2, 0, 1, 2};
  const double value[] = {1, 1, 1, -1, -1, -1};
  cet_sparse_lu *s = NULL;
  assert_int_equal(cet_sparse_lu_create(3, 6, row, col, &s), CET_OK);
  double scratch[32], x[3] = {1, 0, 0}, pivot = 1.0;
  assert_int_equal(cet_sparse_lu_solve(s, value, x, scratch, 1e-12, &pivot), 3);
  assert_true(pivot < 1e-12);
  cet_sparse_lu_destroy(&s);
}

/* The normal matrix M = J^T J of a sparse 12 x 8 J whose column 3 is the
 * sum of columns 1 and 2 and whose column 5 is zero: the factors drop
 * pivots 3 and 5 and no other; the basic solution of M x = J^T r solves
 * the normal equations with x_3 = x_5 = 0; w^T M^- w of a row of J (in the
 * range of M) equals that of the dense inverse of the kept block, and its
 * part on the dropped rows vanishes, while a unit vector on column 5 (out
 * of the range) keeps a part there; the solve on the reach of a sparse
 * right-hand side equals the full one. */
static void test_semidefinite(void **state) {
  (void)state;
  enum { M = 12, N = 8, K = 6 };
  static const size_t kept[K] = {0, 1, 2, 4, 6, 7};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  double j[M][N] = {{0}}, rhs[M];
  for (size_t a = 0; a < M; a++) {
    for (size_t c = 0; c < N; c++) {
      if (c != 3 && c != 5 && (c == a % N || gsl_rng_uniform(r) < 0.25)) {
        j[a][c] = gsl_rng_uniform(r) - 0.5;
      }
    }
    j[a][3] = j[a][1] + j[a][2];
    rhs[a] = gsl_rng_uniform(r) - 0.5;
  }
  size_t row[N * N], col[N * N], m = 0;
  double value[N * N], dense[N][N] = {{0}};
  for (size_t p = 0; p < N; p++) {
    for (size_t q = 0; q < N; q++) {
      int shared = p == q;
      for (size_t a = 0; a < M; a++) {
        dense[p][q] += j[a][p] * j[a][q];
        shared |= j[a][p] != 0.0 && j[a][q] != 0.0;
      }
      if (shared) {
        row[m] = p;
        col[m] = q;
        value[m++] = dense[p][q];
      }
    }
  }
  cet_sparse_lu *s = NULL;
  assert_int_equal(cet_sparse_lu_create(N, m, row, col, &s), CET_OK);
  double *lu = malloc(cet_sparse_lu_nnz(s) * sizeof *lu), work[N];
  unsigned char drop[N], mark[N] = {0};
  cet_sparse_lu_factor(s, value, lu, work, 1e-10, drop);
  for (size_t c = 0; c < N; c++) {
    assert_int_equal(drop[c], c == 3 || c == 5);
  }
  double x[N] = {0};
  for (size_t c = 0; c < N; c++) {
    for (size_t a = 0; a < M; a++) {
      x[c] += j[a][c] * rhs[a];
    }
  }
  cet_sparse_lu_lower_symmetric(s, lu, x, NULL, 0);
  cet_sparse_lu_upper(s, lu, drop, x);
  assert_true(x[3] == 0.0 && x[5] == 0.0);
  for (size_t c = 0; c < N; c++) {
    double g = 0.0;
    for (size_t a = 0; a < M; a++) {
      double res = -rhs[a];
      for (size_t q = 0; q < N; q++) {
        res += j[a][q] * x[q];
      }
      g += j[a][c] * res;
    }
    assert_true(fabs(g) < 1e-12);
  }
  /* leverage of row 4 of J against the dense inverse of the kept block */
  double w[N], block[K * K], v[K];
  for (size_t p = 0; p < K; p++) {
    for (size_t q = 0; q < K; q++) {
      block[p * K + q] = dense[kept[p]][kept[q]];
    }
    v[p] = j[4][kept[p]];
  }
  double pivot = 0.0, want = 0.0, got = 0.0, rest = 0.0;
  assert_int_equal(cet_dense_lu_solve(K, block, v, 0.0, &pivot), 0);
  for (size_t p = 0; p < K; p++) {
    want += j[4][kept[p]] * v[p];
  }
  for (size_t c = 0; c < N; c++) {
    w[c] = j[4][c];
  }
  cet_sparse_lu_lower_symmetric(s, lu, w, NULL, 0);
  for (size_t c = 0; c < N; c++) {
    if (drop[c]) {
      rest += w[c] * w[c];
    } else {
      got += w[c] * w[c] / cet_sparse_lu_pivot(s, lu, c);
    }
  }
  assert_true(fabs(got - want) < 1e-12 * want && rest < 1e-24);
  memset(w, 0, sizeof w);
  w[5] = 1.0;
  cet_sparse_lu_lower_symmetric(s, lu, w, NULL, 0);
  assert_true(fabs(w[5]) > 0.5);
  /* the solve on the reach of e_0 + e_6 equals the full solve */
  double full[N] = {0}, part[N] = {0};
  full[0] = part[0] = 1.0;
  full[6] = part[6] = -2.0;
  size_t support[2] = {0, 6}, reach[N];
  size_t count = cet_sparse_lu_reach(s, support, 2, mark, reach);
  for (size_t k = 0; k < N; k++) {
    assert_int_equal(mark[k], 0);
  }
  for (size_t k = 1; k < count; k++) {
    assert_true(reach[k - 1] < reach[k]);
  }
  cet_sparse_lu_lower_symmetric(s, lu, full, NULL, 0);
  cet_sparse_lu_lower_symmetric(s, lu, part, reach, count);
  for (size_t c = 0; c < N; c++) {
    assert_true(full[c] == part[c]);
  }
  free(lu);
  cet_sparse_lu_destroy(&s);
  gsl_rng_free(r);
}

static void test_input_errors(void **state) {
  (void)state;
  cet_sparse_lu *s = NULL;
  const size_t row[] = {0, 1, 1}, col[] = {0, 0, 2};
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_create(2, 2, row, col, &s), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "row 1 has no diagonal entry"));
  assert_null(s);
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_create(2, 3, row, col, &s), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "outside the 2 x 2 matrix"));
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_create(0, 0, row, col, &s), CET_ERR_INPUT);
  cet_error_clear();
}

/* The arrow matrix: hub 0 coupled to every row, rows 1 .. n-1 a path;
 * symmetric, diagonally dominant. Entries in the order given by label
 * (row i of the matrix is row label[i] of the result). */
static size_t arrow(size_t n, const size_t *label, size_t *row, size_t *col, double *value) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    row[m] = col[m] = label[i];
    value[m++] = (double)n + 2.0;
    for (size_t j = 0; j < n; j++) {
      if (j != i && (i == 0 || j == 0 || j + 1 == i || i + 1 == j)) {
        row[m] = label[i];
        col[m] = label[j];
        value[m++] = -1.0;
      }
    }
  }
  return m;
}

static void test_order(void **state) {
  (void)state;
  enum { N = 40, M = 5 * N };
  size_t row[M], col[M], order[N], label[N], natural[N];
  double value[M], b[N], x[N], scratch[N * N + N], pivot = 0.0;
  for (size_t i = 0; i < N; i++) {
    natural[i] = i;
  }
  size_t m = arrow(N, natural, row, col, value);
  assert_int_equal(cet_sparse_lu_order(N, m, row, col, order), CET_OK);
  unsigned char seen[N] = {0};
  for (size_t k = 0; k < N; k++) { /* a permutation */
    assert_true(order[k] < N && !seen[order[k]]);
    seen[order[k]] = 1;
    label[order[k]] = k;
  }
  assert_true(label[0] >= N - 3); /* the hub with the last triangle */
  cet_sparse_lu *plain = NULL, *ordered = NULL;
  assert_int_equal(cet_sparse_lu_create(N, m, row, col, &plain), CET_OK);
  assert_int_equal(cet_sparse_lu_nnz(plain), N * N); /* the hub first fills everything */
  for (size_t i = 0; i < N; i++) {
    b[i] = x[natural[i]] = 1.0 + 0.1 * (double)i;
  }
  assert_true(cet_sparse_lu_scratch(plain) <= N * N + N);
  assert_int_equal(cet_sparse_lu_solve(plain, value, b, scratch, 1e-12, &pivot), 0);
  size_t mo = arrow(N, label, row, col, value);
  assert_int_equal(cet_sparse_lu_create(N, mo, row, col, &ordered), CET_OK);
  assert_int_equal(cet_sparse_lu_nnz(ordered), mo); /* no fill */
  double y[N];
  for (size_t i = 0; i < N; i++) {
    y[label[i]] = x[i];
  }
  assert_int_equal(cet_sparse_lu_solve(ordered, value, y, scratch, 1e-12, &pivot), 0);
  for (size_t i = 0; i < N; i++) { /* the same solution */
    assert_true(fabs(y[label[i]] - b[i]) <= 1e-13 * fabs(b[i]));
  }
  cet_sparse_lu_destroy(&plain);
  cet_sparse_lu_destroy(&ordered);
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_order(2, m, row, col, order), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "outside the 2 x 2 matrix"));
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_order(0, 0, row, col, order), CET_OK);
}

/* The tridiagonal matrix of a path of n rows (diagonal 4, -1 beside it),
 * in the order given by label as for arrow. */
static size_t path(size_t n, const size_t *label, size_t *row, size_t *col, double *value) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = i > 0 ? i - 1 : 0; j <= i + 1 && j < n; j++) {
      row[m] = label[i];
      col[m] = label[j];
      value[m++] = i == j ? 4.0 : -1.0;
    }
  }
  return m;
}

/* The symmetric pattern of a strip of 300 x 3 rows (a grid: row 3i + j
 * next to 3i + j + 1 and 3i + j + 3), renumbered by label (NULL: as is),
 * with its diagonal; returns the number of entries. */
static size_t strip(const size_t *label, size_t *row, size_t *col) {
  size_t m = 0;
  for (size_t v = 0; v < 900; v++) {
    size_t lv = label ? label[v] : v;
    row[m] = col[m] = lv;
    m++;
    for (size_t u = v > 3 ? v - 3 : 0; u <= v + 3 && u < 900; u++) {
      int next =
          (u + 1 == v && u % 3 != 2) || (v + 1 == u && v % 3 != 2) || u + 3 == v || v + 3 == u;
      if (next) {
        row[m] = lv;
        col[m++] = label ? label[u] : u;
      }
    }
  }
  return m;
}

/* order is a permutation of n rows; label[order[k]] = k. */
static void assert_permutation(size_t n, const size_t *order, size_t *label) {
  unsigned char *seen = calloc(n + 1, 1);
  assert_non_null(seen);
  for (size_t k = 0; k < n; k++) {
    assert_true(order[k] < n && !seen[order[k]]);
    seen[order[k]] = 1;
    label[order[k]] = k;
  }
  free(seen);
}

/* The depth of the elimination tree of the factors (the longest reach of
 * one row). */
static size_t tree_depth(const cet_sparse_lu *s, size_t n) {
  unsigned char *mark = calloc(n, 1);
  size_t *reach = malloc(n * sizeof *reach), depth = 0;
  assert_true(mark && reach);
  for (size_t i = 0; i < n; i++) {
    size_t count = cet_sparse_lu_reach(s, &i, 1, mark, reach);
    depth = count > depth ? count : depth;
  }
  free(mark);
  free(reach);
  return depth;
}

static void test_dissect(void **state) {
  (void)state;
  enum { N = 1000, M = 4 * N };
  size_t *row = malloc(M * sizeof *row), *col = malloc(M * sizeof *col);
  size_t *order = malloc(N * sizeof *order), *label = malloc(N * sizeof *label);
  size_t *natural = malloc(N * sizeof *natural), *md = malloc(N * sizeof *md);
  double *value = malloc(M * sizeof *value), *b = malloc(N * sizeof *b), *y = malloc(N * sizeof *y);
  assert_true(row && col && order && label && natural && md && value && b && y);
  for (size_t i = 0; i < N; i++) {
    natural[i] = i;
  }
  /* up to 256 rows: the minimum-degree order */
  size_t m = path(256, natural, row, col, value);
  assert_int_equal(cet_sparse_lu_dissect(256, m, row, col, order), CET_OK);
  assert_int_equal(cet_sparse_lu_order(256, m, row, col, md), CET_OK);
  assert_memory_equal(order, md, 256 * sizeof *order);
  /* the path of N rows */
  m = path(N, natural, row, col, value);
  assert_int_equal(cet_sparse_lu_order(N, m, row, col, md), CET_OK);
  assert_int_equal(cet_sparse_lu_dissect(N, m, row, col, order), CET_OK);
  assert_permutation(N, order, label);
  cet_sparse_lu *plain = NULL, *ordered = NULL;
  assert_int_equal(cet_sparse_lu_create(N, m, row, col, &plain), CET_OK);
  assert_int_equal(tree_depth(plain, N), N); /* eliminated from one end: a chain */
  size_t scratch_size = cet_sparse_lu_scratch(plain);
  for (size_t i = 0; i < N; i++) {
    b[i] = 1.0 + 0.001 * (double)i;
    y[label[i]] = b[i];
  }
  double pivot = 0.0, *scratch = malloc(4 * scratch_size * sizeof *scratch);
  assert_non_null(scratch);
  assert_int_equal(cet_sparse_lu_solve(plain, value, b, scratch, 1e-12, &pivot), 0);
  size_t mo = path(N, label, row, col, value);
  assert_int_equal(cet_sparse_lu_create(N, mo, row, col, &ordered), CET_OK);
  assert_true(tree_depth(ordered, N) <= 256 + 8);
  /* the pattern's positions and at most one fill position per row: a
   * piece of the path between two separators is eliminated from one end,
   * joining the separator there to the next row */
  assert_true(cet_sparse_lu_nnz(ordered) <= mo + N);
  assert_true(cet_sparse_lu_scratch(ordered) <= 4 * scratch_size);
  assert_int_equal(cet_sparse_lu_solve(ordered, value, y, scratch, 1e-12, &pivot), 0);
  for (size_t i = 0; i < N; i++) { /* the same solution */
    assert_true(fabs(y[label[i]] - b[i]) <= 1e-13 * fabs(b[i]));
  }
  cet_sparse_lu_destroy(&plain);
  cet_sparse_lu_destroy(&ordered);
  /* the strip of 300 x 3: minimum degree eliminates it from one end (a tree
   * 897 deep, 6,280 positions); nested dissection leaves a tree at most 256
   * deep and, its sides ordered with their separators as a halo, 7,830
   * positions (10,246 without the halo) */
  m = strip(NULL, row, col);
  assert_int_equal(cet_sparse_lu_order(900, m, row, col, md), CET_OK);
  assert_int_equal(cet_sparse_lu_dissect(900, m, row, col, order), CET_OK);
  assert_permutation(900, order, label);
  m = strip(label, row, col);
  assert_int_equal(cet_sparse_lu_create(900, m, row, col, &ordered), CET_OK);
  assert_true(tree_depth(ordered, 900) <= 256);
  assert_int_equal(cet_sparse_lu_nnz(ordered), 7830);
  cet_sparse_lu_destroy(&ordered);
  assert_permutation(900, md, label);
  m = strip(label, row, col);
  assert_int_equal(cet_sparse_lu_create(900, m, row, col, &ordered), CET_OK);
  assert_int_equal(tree_depth(ordered, 900), 897);
  cet_sparse_lu_destroy(&ordered);
  /* components: paths of 300, 400 and 100 rows and 200 isolated rows, the
   * components' rows interleaved */
  m = 0;
  for (size_t i = 0; i + 1 < 800; i++) {
    if (i + 1 != 300 && i + 1 != 700) {
      row[m] = (7 * i) % N; /* 7 is prime to N: distinct rows */
      col[m++] = (7 * (i + 1)) % N;
    }
  }
  assert_int_equal(cet_sparse_lu_dissect(N, m, row, col, order), CET_OK);
  assert_permutation(N, order, label);
  for (size_t c = 0; c < 2; c++) { /* the paths above 256 rows: parts of their own */
    size_t first = c ? 300 : 0, last = c ? 699 : 299, low = N, high = 0;
    for (size_t i = first; i <= last; i++) {
      low = label[(7 * i) % N] < low ? label[(7 * i) % N] : low;
      high = label[(7 * i) % N] > high ? label[(7 * i) % N] : high;
    }
    assert_int_equal(high - low, last - first);
  }
  /* no entries, one row */
  assert_int_equal(cet_sparse_lu_dissect(N, 0, row, col, order), CET_OK);
  assert_permutation(N, order, label);
  assert_int_equal(cet_sparse_lu_dissect(1, 0, row, col, order), CET_OK);
  assert_int_equal(order[0], 0);
  assert_int_equal(cet_sparse_lu_dissect(0, 0, row, col, order), CET_OK);
  cet_error_clear();
  assert_int_equal(cet_sparse_lu_dissect(700, m, row, col, order), CET_ERR_INPUT);
  assert_non_null(strstr(cet_error_message(), "outside the 700 x 700 matrix"));
  cet_error_clear();
  free(row);
  free(col);
  free(order);
  free(label);
  free(natural);
  free(md);
  free(value);
  free(b);
  free(y);
  free(scratch);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equals_dense), cmocka_unit_test(test_repeated_entries),
      cmocka_unit_test(test_singular),     cmocka_unit_test(test_semidefinite),
      cmocka_unit_test(test_input_errors), cmocka_unit_test(test_order),
      cmocka_unit_test(test_dissect),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
