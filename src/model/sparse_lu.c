/*
 * sparse_lu.c — Gaussian elimination on a fixed sparsity pattern for large
 * recycle loops (sparse_lu.h).
 *
 * Row i of the factors is computed from row i of the matrix by subtracting
 * multiples of the rows j < i of U in increasing j (an "up-looking"
 * factorisation). Its pattern is row i of the matrix plus, for every
 * j < i in it, the pattern of U's row j right of the diagonal: found once
 * by create. A solve then only scatters the values into a work row,
 * eliminates along the pattern and keeps U; the right-hand side is
 * eliminated with it, and back substitution uses U. cet_sparse_lu_factor
 * keeps the factors for many right-hand sides and, for symmetric positive
 * semidefinite matrices, sets dependent rows aside instead of failing.
 *
 * Fill-reducing orders of symmetric patterns: minimum degree on the graph
 * of the matrix (an elimination graph of growable neighbour lists and a
 * heap of degrees), and nested dissection, which splits the graph by
 * separators between levels of breadth-first searches and orders the
 * small parts by minimum degree with their separators as a halo.
 */
#include "sparse_lu.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cet_sparse_lu {
  size_t n, nnz;
  size_t *entry_begin; /* [n + 1] row i's entries are entry[entry_begin[i] ..] */
  size_t *entry;       /* [m] entry indices ordered by row */
  size_t *entry_col;   /* [m] column of each entry */
  size_t *pat_begin;   /* [n + 1] row i's pattern is pat[pat_begin[i] ..] */
  size_t *pat;         /* [nnz] columns, ascending within a row */
  size_t *diag;        /* [n] position of row i's diagonal in pat */
};

void cet_sparse_lu_destroy(cet_sparse_lu **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_sparse_lu *s = *sp;
  free(s->entry_begin);
  free(s->entry);
  free(s->entry_col);
  free(s->pat_begin);
  free(s->pat);
  free(s->diag);
  free(s);
  *sp = NULL;
}

size_t cet_sparse_lu_scratch(const cet_sparse_lu *s) { return s->nnz + s->n; }

/* The entries ordered by row (a counting sort). */
static int order_entries(cet_sparse_lu *s, size_t m, const size_t *row, const size_t *col) {
  size_t n = s->n;
  s->entry_begin = calloc(n + 1, sizeof *s->entry_begin);
  s->entry = malloc((m + 1) * sizeof *s->entry);
  s->entry_col = malloc((m + 1) * sizeof *s->entry_col);
  CET_CHECK_ALLOCS(s->entry_begin && s->entry && s->entry_col);
  for (size_t k = 0; k < m; k++) {
    CET_CHECK(row[k] < n && col[k] < n, CET_ERR_INPUT,
              "entry %zu at (%zu, %zu) lies outside the %zu x %zu matrix", k, row[k], col[k], n, n);
    s->entry_begin[row[k] + 1]++;
    s->entry_col[k] = col[k];
  }
  for (size_t i = 0; i < n; i++) {
    s->entry_begin[i + 1] += s->entry_begin[i];
  }
  size_t *next = malloc((n + 1) * sizeof *next);
  CET_CHECK_ALLOC(next);
  for (size_t i = 0; i <= n; i++) {
    next[i] = s->entry_begin[i];
  }
  for (size_t k = 0; k < m; k++) {
    s->entry[next[row[k]]++] = k;
  }
  free(next);
  return CET_OK;
}

/* Appends column c to the pattern, growing it as needed. */
static int push(cet_sparse_lu *s, size_t *capacity, size_t c) {
  CET_CALL(cet_array_grow(&s->pat, capacity, s->nnz + 1, sizeof *s->pat));
  s->pat[s->nnz++] = c;
  return CET_OK;
}

static int compare_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

/* A binary min-heap of columns. */
static void heap_push(size_t *heap, size_t *n, size_t c) {
  size_t k = (*n)++;
  while (k > 0 && heap[(k - 1) / 2] > c) {
    heap[k] = heap[(k - 1) / 2];
    k = (k - 1) / 2;
  }
  heap[k] = c;
}

static size_t heap_pop(size_t *heap, size_t *n) {
  size_t top = heap[0], last = heap[--*n], k = 0;
  for (;;) {
    size_t child = 2 * k + 1;
    if (child >= *n) {
      break;
    }
    if (child + 1 < *n && heap[child + 1] < heap[child]) {
      child++;
    }
    if (heap[child] >= last) {
      break;
    }
    heap[k] = heap[child];
    k = child;
  }
  if (*n > 0) {
    heap[k] = last;
  }
  return top;
}

/* The pattern of the factors, row by row: mark[c] == i marks column c in
 * row i; the columns left of the diagonal are visited in increasing order
 * from a heap (fill-in lands right of the column that makes it), so a row
 * costs its pattern's size times a logarithm, not n. */
static int symbolic(cet_sparse_lu *s, size_t *mark) {
  size_t n = s->n, capacity = 0;
  s->pat_begin = malloc((n + 1) * sizeof *s->pat_begin);
  s->diag = malloc((n + 1) * sizeof *s->diag);
  size_t *cols = malloc((n + 1) * sizeof *cols), *heap = malloc((n + 1) * sizeof *heap);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, s->pat_begin && s->diag && cols && heap);
  for (size_t c = 0; c < n; c++) {
    mark[c] = SIZE_MAX;
  }
  s->pat_begin[0] = 0;
  for (size_t i = 0; i < n; i++) {
    size_t nc = 0, nh = 0;
    for (size_t k = s->entry_begin[i]; k < s->entry_begin[i + 1]; k++) {
      size_t c = s->entry_col[s->entry[k]];
      if (mark[c] != i) {
        mark[c] = i;
        cols[nc++] = c;
        if (c < i) {
          heap_push(heap, &nh, c);
        }
      }
    }
    CET_CHECK_GOTO(status, done, mark[i] == i, CET_ERR_INPUT, "row %zu has no diagonal entry", i);
    while (nh > 0) {
      size_t j = heap_pop(heap, &nh);
      for (size_t q = s->diag[j] + 1; q < s->pat_begin[j + 1]; q++) {
        size_t c = s->pat[q];
        if (mark[c] != i) {
          mark[c] = i;
          cols[nc++] = c;
          if (c < i) {
            heap_push(heap, &nh, c);
          }
        }
      }
    }
    qsort(cols, nc, sizeof *cols, compare_size);
    for (size_t q = 0; q < nc; q++) {
      if (cols[q] == i) {
        s->diag[i] = s->nnz;
      }
      CET_CALL_GOTO(status, done, push(s, &capacity, cols[q]));
    }
    s->pat_begin[i + 1] = s->nnz;
  }
done:
  free(cols);
  free(heap);
  return status;
}

int cet_sparse_lu_create(size_t n, size_t m, const size_t *row, const size_t *col,
                         cet_sparse_lu **out) {
  *out = NULL;
  CET_CHECK(n > 0, CET_ERR_INPUT, "expected a matrix of at least 1 row, found 0");
  cet_sparse_lu *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->n = n;
  size_t *mark = malloc(n * sizeof *mark);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, mark);
  CET_CALL_GOTO(status, fail, order_entries(s, m, row, col));
  CET_CALL_GOTO(status, fail, symbolic(s, mark));
  free(mark);
  *out = s;
  return CET_OK;
fail:
  free(mark);
  cet_sparse_lu_destroy(&s);
  return status;
}

/* Row by row elimination into u (the factors on the pattern: the
 * multipliers of L left of each diagonal, U from it), work row w; with b,
 * b is eliminated alongside. drop: see cet_sparse_lu_factor. */
static size_t eliminate(const cet_sparse_lu *s, const double *value, double *u, double *w,
                        double *b, double tol, unsigned char *drop, double *pivot) {
  const size_t n = s->n, *pat = s->pat, *diag = s->diag;
  for (size_t i = 0; i < n; i++) {
    const size_t end = s->pat_begin[i + 1];
    for (size_t p = s->pat_begin[i]; p < end; p++) {
      w[pat[p]] = 0.0;
    }
    for (size_t k = s->entry_begin[i]; k < s->entry_begin[i + 1]; k++) {
      w[s->entry_col[s->entry[k]]] += value[s->entry[k]];
    }
    const double a = fabs(w[i]);
    double y = b ? b[i] : 0.0;
    for (size_t p = s->pat_begin[i]; p < diag[i]; p++) {
      const size_t j = pat[p];
      const double l = drop && drop[j] ? 0.0 : w[j] / u[diag[j]];
      for (size_t q = diag[j] + 1; q < s->pat_begin[j + 1]; q++) {
        w[pat[q]] -= l * u[q];
      }
      y -= l * (b ? b[j] : 0.0);
      u[p] = l;
    }
    for (size_t p = diag[i]; p < end; p++) {
      u[p] = w[pat[p]];
    }
    const double d = fabs(u[diag[i]]);
    if (drop) {
      drop[i] = !(d > tol * a);
      if (drop[i]) {
        for (size_t p = diag[i]; p < end; p++) {
          u[p] = 0.0;
        }
        u[diag[i]] = 1.0;
      }
    } else if (!(d >= tol)) {
      *pivot = d;
      return i + 1;
    }
    if (b) {
      b[i] = y;
    }
  }
  return 0;
}

size_t cet_sparse_lu_solve(const cet_sparse_lu *s, const double *value, double *b, double *scratch,
                           double tol, double *pivot) {
  size_t k = eliminate(s, value, scratch, scratch + s->nnz, b, tol, NULL, pivot);
  if (k == 0) {
    cet_sparse_lu_upper(s, scratch, NULL, b);
  }
  return k;
}

size_t cet_sparse_lu_nnz(const cet_sparse_lu *s) { return s->nnz; }

void cet_sparse_lu_factor(const cet_sparse_lu *s, const double *value, double *lu, double *work,
                          double tol, unsigned char *drop) {
  eliminate(s, value, lu, work, NULL, tol, drop, NULL);
}

void cet_sparse_lu_upper(const cet_sparse_lu *s, const double *lu, const unsigned char *drop,
                         double *b) {
  const size_t *pat = s->pat, *diag = s->diag;
  for (size_t i = s->n; i-- > 0;) {
    if (drop && drop[i]) {
      b[i] = 0.0;
      continue;
    }
    double x = b[i];
    for (size_t q = diag[i] + 1; q < s->pat_begin[i + 1]; q++) {
      x -= lu[q] * b[pat[q]];
    }
    b[i] = x / lu[diag[i]];
  }
}

size_t cet_sparse_lu_reach(const cet_sparse_lu *s, const size_t *support, size_t n_support,
                           unsigned char *mark, size_t *reach) {
  size_t count = 0;
  for (size_t k = 0; k < n_support; k++) {
    /* up the elimination tree: a row's first entry right of its diagonal */
    for (size_t j = support[k]; !mark[j];) {
      mark[j] = 1;
      reach[count++] = j;
      size_t q = s->diag[j] + 1;
      if (q >= s->pat_begin[j + 1]) {
        break;
      }
      j = s->pat[q];
    }
  }
  qsort(reach, count, sizeof *reach, compare_size);
  for (size_t k = 0; k < count; k++) {
    mark[reach[k]] = 0;
  }
  return count;
}

void cet_sparse_lu_lower_symmetric(const cet_sparse_lu *s, const double *lu, double *b,
                                   const size_t *reach, size_t count) {
  const size_t *pat = s->pat, *diag = s->diag;
  for (size_t r = 0; r < (reach ? count : s->n); r++) {
    const size_t j = reach ? reach[r] : r;
    const double y = b[j];
    if (y == 0.0) {
      continue;
    }
    const double l = y / lu[diag[j]];
    for (size_t q = diag[j] + 1; q < s->pat_begin[j + 1]; q++) {
      b[pat[q]] -= l * lu[q];
    }
  }
}

double cet_sparse_lu_pivot(const cet_sparse_lu *s, const double *lu, size_t k) {
  return lu[s->diag[k]];
}

/* The neighbour lists of the elimination graph (one growable array per
 * vertex). */
typedef struct {
  size_t **adj, *len, *cap;
} graph;

static int graph_add(graph *g, size_t v, size_t u) {
  CET_CALL(cet_array_grow(&g->adj[v], &g->cap[v], g->len[v] + 1, sizeof *g->adj[v]));
  g->adj[v][g->len[v]++] = u;
  return CET_OK;
}

/* Eliminates vertex v: its remaining neighbours become a clique; their
 * lists lose v and the eliminated vertices and are pushed onto the heap
 * with their new degrees (key degree x n + vertex). mark holds n values
 * other than v + 1 and u + 1 for any neighbour u; it is left so. */
static int graph_eliminate(graph *g, size_t n, size_t n_free, size_t v, const unsigned char *gone,
                           size_t *mark, size_t *heap, size_t *n_heap) {
  size_t nv = 0;
  for (size_t p = 0; p < g->len[v]; p++) { /* v's live neighbours */
    size_t u = g->adj[v][p];
    if (!gone[u]) {
      g->adj[v][nv++] = u;
    }
  }
  g->len[v] = nv;
  for (size_t p = 0; p < nv; p++) {
    size_t u = g->adj[v][p], keep = 0;
    mark[u] = u + 1;
    for (size_t q = 0; q < g->len[u]; q++) {
      size_t x = g->adj[u][q];
      if (!gone[x] && x != v && mark[x] != u + 1) {
        mark[x] = u + 1;
        g->adj[u][keep++] = x;
      }
    }
    g->len[u] = keep;
    for (size_t q = 0; q < nv; q++) {
      size_t x = g->adj[v][q];
      if (mark[x] != u + 1) {
        mark[x] = u + 1;
        CET_CALL(graph_add(g, u, x));
      }
    }
    for (size_t q = 0; q < g->len[u]; q++) {
      mark[g->adj[u][q]] = 0;
    }
    mark[u] = 0;
    if (u < n_free) {
      heap_push(heap, n_heap, g->len[u] * n + u);
    }
  }
  return CET_OK;
}

/* Minimum degree (cet_sparse_lu_order) of the first n_free vertices, the
 * others (the halo) left to the end: they count among their neighbours'
 * neighbours but are never eliminated; order gets the n_free. */
static int minimum_degree(size_t n, size_t n_free, size_t m, const size_t *row, const size_t *col,
                          size_t *order) {
  graph g = {0};
  g.adj = calloc(n + 1, sizeof *g.adj);
  g.len = calloc(n + 1, sizeof *g.len);
  g.cap = calloc(n + 1, sizeof *g.cap);
  unsigned char *gone = calloc(n + 1, 1);
  size_t *mark = calloc(n + 1, sizeof *mark), *heap = NULL, n_heap = 0, cap_heap = 4 * (n + 1);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, g.adj && g.len && g.cap && gone && mark);
  for (size_t k = 0; k < m; k++) {
    CET_CHECK_GOTO(status, done, row[k] < n && col[k] < n, CET_ERR_INPUT,
                   "entry %zu at (%zu, %zu) lies outside the %zu x %zu matrix", k, row[k], col[k],
                   n, n);
    if (row[k] != col[k]) {
      CET_CALL_GOTO(status, done, graph_add(&g, row[k], col[k]));
      CET_CALL_GOTO(status, done, graph_add(&g, col[k], row[k]));
    }
  }
  heap = malloc(cap_heap * sizeof *heap);
  CET_CHECK_ALLOC_GOTO(status, done, heap);
  for (size_t v = 0; v < n; v++) { /* the lists without repeats: their degrees */
    size_t keep = 0;
    mark[v] = v + 1;
    for (size_t q = 0; q < g.len[v]; q++) {
      size_t x = g.adj[v][q];
      if (mark[x] != v + 1) {
        mark[x] = v + 1;
        g.adj[v][keep++] = x;
      }
    }
    g.len[v] = keep;
    for (size_t q = 0; q < keep; q++) {
      mark[g.adj[v][q]] = 0;
    }
    mark[v] = 0;
    if (v < n_free) {
      heap_push(heap, &n_heap, g.len[v] * n + v);
    }
  }
  for (size_t k = 0; k < n_free;) {
    size_t key = heap_pop(heap, &n_heap), v = key % n;
    if (gone[v] || key / n != g.len[v]) { /* eliminated, or a degree since changed */
      continue;
    }
    order[k++] = v;
    gone[v] = 1;
    CET_CALL_GOTO(status, done, cet_array_grow(&heap, &cap_heap, n_heap + g.len[v], sizeof *heap));
    CET_CALL_GOTO(status, done, graph_eliminate(&g, n, n_free, v, gone, mark, heap, &n_heap));
  }
done:
  for (size_t v = 0; g.adj && v < n; v++) {
    free(g.adj[v]);
  }
  free(g.adj);
  free(g.len);
  free(g.cap);
  free(gone);
  free(mark);
  free(heap);
  return status;
}

int cet_sparse_lu_order(size_t n, size_t m, const size_t *row, const size_t *col, size_t *order) {
  return minimum_degree(n, n, m, row, col, order);
}

/* A symmetric pattern as neighbour lists without repeats or the diagonal:
 * v's neighbours are adj[begin[v] .. begin[v + 1]). */
typedef struct {
  size_t *begin, *adj;
} adjacency;

static int adjacency_make(size_t n, size_t m, const size_t *row, const size_t *col, adjacency *g) {
  g->begin = calloc(n + 1, sizeof *g->begin);
  g->adj = malloc((2 * m + 1) * sizeof *g->adj);
  size_t *next = malloc((n + 1) * sizeof *next);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, g->begin && g->adj && next);
  for (size_t k = 0; k < m; k++) {
    CET_CHECK_GOTO(status, done, row[k] < n && col[k] < n, CET_ERR_INPUT,
                   "entry %zu at (%zu, %zu) lies outside the %zu x %zu matrix", k, row[k], col[k],
                   n, n);
    if (row[k] != col[k]) {
      g->begin[row[k] + 1]++;
      g->begin[col[k] + 1]++;
    }
  }
  for (size_t v = 0; v < n; v++) {
    g->begin[v + 1] += g->begin[v];
    next[v] = g->begin[v];
  }
  for (size_t k = 0; k < m; k++) {
    if (row[k] != col[k]) {
      g->adj[next[row[k]]++] = col[k];
      g->adj[next[col[k]]++] = row[k];
    }
  }
  for (size_t v = 0; v < n; v++) { /* next[x] == v: x already among v's neighbours */
    next[v] = SIZE_MAX;
  }
  size_t out = 0;
  for (size_t v = 0; v < n; v++) {
    size_t start = g->begin[v], end = g->begin[v + 1];
    g->begin[v] = out;
    for (size_t p = start; p < end; p++) {
      if (next[g->adj[p]] != v) {
        next[g->adj[p]] = v;
        g->adj[out++] = g->adj[p];
      }
    }
  }
  g->begin[n] = out;
done:
  free(next);
  return status;
}

/* Parts of at most this many vertices are ordered by minimum degree. */
enum { DISSECT_LEAF = 256, PERIPHERAL_TRIES = 8 };

/* The state of a nested dissection: the vertices of the part being
 * dissected are stamped with its number (in_part), those a breadth-first
 * search reached with its number (seen) and their level. */
typedef struct {
  const adjacency *g;
  size_t *in_part, *seen, *level, *queue, *level_begin, *local, *buffer, *count;
  size_t part, search;
} dissection;

/* Breadth-first search from root over the part: queue holds the vertices
 * reached by level, level_begin[d] where level d starts (level_begin[levels]
 * their count); returns the number of levels. */
static size_t dissect_search(dissection *d, size_t root) {
  const adjacency *g = d->g;
  size_t head = 0, tail = 0, levels = 0;
  d->search++;
  d->seen[root] = d->search;
  d->level[root] = 0;
  d->queue[tail++] = root;
  while (head < tail) {
    size_t v = d->queue[head];
    if (d->level[v] == levels) {
      d->level_begin[levels++] = head;
    }
    head++;
    for (size_t p = g->begin[v]; p < g->begin[v + 1]; p++) {
      size_t x = g->adj[p];
      if (d->in_part[x] == d->part && d->seen[x] != d->search) {
        d->seen[x] = d->search;
        d->level[x] = d->level[v] + 1;
        d->queue[tail++] = x;
      }
    }
  }
  d->level_begin[levels] = tail;
  return levels;
}

/* Orders the count vertices of set by minimum degree (minimum_degree) of
 * the graph they induce with their neighbours outside set as its halo:
 * those are separators eliminated later, so that a vertex next to them
 * counts them among its neighbours (a side ordered without them would
 * carry fill from one separator along a path of the side). */
static int dissect_leaf(dissection *d, size_t *set, size_t count) {
  const adjacency *g = d->g;
  size_t m = 0;
  for (size_t k = 0; k < count; k++) {
    d->local[set[k]] = k;
    m += g->begin[set[k] + 1] - g->begin[set[k]];
  }
  size_t *row = calloc(2 * m + 1, sizeof *row), *col = row ? row + m : NULL;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, row);
  m = 0;
  size_t total = count; /* the set and its halo so far */
  d->search++;
  for (size_t k = 0; k < count; k++) {
    for (size_t p = g->begin[set[k]]; p < g->begin[set[k] + 1]; p++) {
      size_t x = g->adj[p];
      if (d->in_part[x] != d->part && d->seen[x] != d->search) {
        d->seen[x] = d->search;
        d->local[x] = total++;
      }
      if (d->local[x] > k) {
        row[m] = k;
        col[m++] = d->local[x];
      }
    }
  }
  CET_CALL_GOTO(status, done, minimum_degree(total, count, m, row, col, d->buffer));
  for (size_t k = 0; k < count; k++) {
    d->buffer[k] = set[d->buffer[k]];
  }
  memcpy(set, d->buffer, count * sizeof *set);
done:
  free(row);
  return status;
}

/* A part that is not connected: its components (the first, from set[0],
 * already searched, reached vertices in d->queue; base the search count
 * before it), in the order of their first vertex in set, grouped into runs
 * of at most DISSECT_LEAF vertices (a larger component alone), each to be
 * a part of its own: set is rearranged so, the ends of the runs (relative
 * to set) go into bound and their count is returned. */
static size_t dissect_components(dissection *d, size_t *set, size_t count, size_t reached,
                                 size_t base, size_t *bound) {
  size_t filled = 0, n_bounds = 0, run = 0;
  for (size_t k = 0; k < count; k++) {
    size_t size = reached;
    if (k > 0) {
      if (d->seen[set[k]] > base) {
        continue;
      }
      size = d->level_begin[dissect_search(d, set[k])];
    }
    if (filled > run && filled - run + size > DISSECT_LEAF) {
      bound[n_bounds++] = filled;
      run = filled;
    }
    memcpy(d->buffer + filled, d->queue, size * sizeof *d->buffer);
    filled += size;
  }
  bound[n_bounds++] = filled;
  memcpy(set, d->buffer, count * sizeof *set);
  return n_bounds;
}

/* Splits the connected part set (count vertices, more than DISSECT_LEAF)
 * between two levels k and k + 1 of a breadth-first search from a vertex
 * far from the others (the last level of a search from the vertex of
 * least degree in the last level of the one before, while the levels grow
 * in number): the separator is level k's vertices with a neighbour in
 * level k + 1, or level k + 1's with a neighbour in level k, whichever
 * and wherever has the fewest vertices for the smaller side it leaves.
 * set is rearranged into the side before the separator, the side after
 * it and the separator; *before and *after are the sides' sizes. Returns
 * 0 when nothing separates (a single level). */
static int dissect_split(dissection *d, size_t *set, size_t count, size_t *before, size_t *after) {
  const adjacency *g = d->g;
  size_t root = set[0], levels = dissect_search(d, root);
  for (int t = 0; t < PERIPHERAL_TRIES; t++) {
    size_t far = SIZE_MAX, least = SIZE_MAX;
    for (size_t q = d->level_begin[levels - 1]; q < d->level_begin[levels]; q++) {
      size_t v = d->queue[q], degree = g->begin[v + 1] - g->begin[v];
      if (degree < least) {
        least = degree;
        far = v;
      }
    }
    size_t further = dissect_search(d, far);
    if (further <= levels) {
      break;
    }
    root = far;
    levels = further;
  }
  levels = dissect_search(d, root);
  if (levels < 2) {
    return 0;
  }
  /* down[k]: level k's vertices with a neighbour in level k + 1; up[k]:
   * level k + 1's with a neighbour in level k; either set separates */
  size_t *down = d->count, *up = d->count + levels;
  memset(down, 0, 2 * levels * sizeof *down);
  for (size_t q = 0; q < count; q++) {
    size_t v = d->queue[q], level = d->level[v];
    int below = 0, above = 0;
    for (size_t p = g->begin[v]; p < g->begin[v + 1]; p++) {
      size_t x = g->adj[p];
      above |= d->in_part[x] == d->part && d->level[x] == level + 1;
      below |= d->in_part[x] == d->part && d->level[x] + 1 == level;
    }
    down[level] += (size_t)above;
    up[level - (level > 0)] += (size_t)(below && level > 0);
  }
  size_t cut = 0, side = 0;
  double best = HUGE_VAL;
  for (size_t k = 0; k + 1 < levels; k++) {
    for (size_t w = 0; w < 2; w++) {
      size_t width = w ? up[k] : down[k];
      size_t low = d->level_begin[k + 1] - (w ? 0 : width);
      size_t high = count - d->level_begin[k + 1] - (w ? width : 0);
      double score = (double)width / (double)(low < high ? low : high);
      if (low > 0 && high > 0 && score < best) {
        best = score;
        cut = k;
        side = w;
      }
    }
  }
  if (best == HUGE_VAL) {
    return 0;
  }
  /* the separator: level cut (side 0) or cut + 1 (side 1), its vertices
   * with a neighbour across */
  size_t a = 0, b = 0, sep = 0, *separator = d->buffer + count, at = cut + side;
  for (size_t q = 0; q < count; q++) {
    size_t v = d->queue[q], level = d->level[v];
    int border = 0;
    for (size_t p = g->begin[v]; level == at && p < g->begin[v + 1]; p++) {
      size_t x = g->adj[p];
      border |= d->in_part[x] == d->part && d->level[x] == (side ? cut : cut + 1);
    }
    if (level == at && border) {
      separator[sep++] = v;
    } else if (level <= cut) {
      set[a++] = v;
    } else {
      d->buffer[b++] = v;
    }
  }
  memcpy(set + a, d->buffer, b * sizeof *set);
  memcpy(set + a + b, separator, sep * sizeof *set);
  *before = a;
  *after = b;
  return 1;
}

int cet_sparse_lu_dissect(size_t n, size_t m, const size_t *row, const size_t *col, size_t *order) {
  adjacency g = {0};
  dissection d = {.g = &g};
  size_t *stack = NULL, n_stack = 0, *bound = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, adjacency_make(n, m, row, col, &g));
  d.in_part = calloc(n + 1, sizeof *d.in_part);
  d.seen = calloc(n + 1, sizeof *d.seen);
  d.level = calloc(n + 1, sizeof *d.level);
  d.queue = malloc((n + 1) * sizeof *d.queue);
  d.level_begin = malloc((n + 2) * sizeof *d.level_begin);
  d.local = malloc((n + 1) * sizeof *d.local);
  d.buffer = malloc((2 * n + 1) * sizeof *d.buffer);
  d.count = malloc((2 * n + 2) * sizeof *d.count);
  stack = malloc((2 * n + 2) * sizeof *stack); /* parts (begin, end) in order: disjoint */
  bound = malloc((n + 1) * sizeof *bound);
  CET_CHECK_ALLOC_GOTO(status, done,
                       d.in_part && d.seen && d.level && d.queue && d.level_begin && d.local &&
                           d.buffer && d.count && stack && bound);
  for (size_t v = 0; v < n; v++) {
    order[v] = v;
  }
  if (n > 0) {
    stack[n_stack++] = 0;
    stack[n_stack++] = n;
  }
  while (n_stack > 0) {
    size_t end = stack[--n_stack], begin = stack[--n_stack], count = end - begin;
    size_t *set = order + begin, base = d.search, before = 0, after = 0;
    d.part++;
    for (size_t k = 0; k < count; k++) {
      d.in_part[set[k]] = d.part;
    }
    if (count <= DISSECT_LEAF) {
      CET_CALL_GOTO(status, done, dissect_leaf(&d, set, count));
      continue;
    }
    size_t reached = d.level_begin[dissect_search(&d, set[0])];
    if (reached < count) {
      size_t runs = dissect_components(&d, set, count, reached, base, bound);
      for (size_t r = 0, from = 0; r < runs; from = bound[r++]) {
        stack[n_stack++] = begin + from;
        stack[n_stack++] = begin + bound[r];
      }
    } else if (dissect_split(&d, set, count, &before, &after)) {
      stack[n_stack++] = begin;
      stack[n_stack++] = begin + before;
      stack[n_stack++] = begin + before;
      stack[n_stack++] = begin + before + after;
    } else {
      CET_CALL_GOTO(status, done, dissect_leaf(&d, set, count));
    }
  }
done:
  free(g.begin);
  free(g.adj);
  free(d.in_part);
  free(d.seen);
  free(d.level);
  free(d.queue);
  free(d.level_begin);
  free(d.local);
  free(d.buffer);
  free(d.count);
  free(stack);
  free(bound);
  return status;
}
