/*
 * reconcile.c — data reconciliation of a network twin (reconcile.h): the
 * null space of the balances on a basis of fundamental cycles, the
 * Gauss-Newton iteration on the measured quantities with the sparse normal
 * equations (sparse_lu.h), the classification of measurements and flows
 * by sparse triangular solves, the global and measurement tests, and
 * setting gross errors aside.
 *
 * Cost, for S streams, C components, n = (chords) x C unknowns: the cycle
 * basis O(S x cycle length) and its nested-dissection order (which keeps
 * the elimination tree of the normal matrix shallow); the pattern of the
 * factors O(n^2) once per reconciliation (and per measurement set aside);
 * per Gauss-Newton step one numeric factorisation on that pattern; the
 * statistics one triangular solve per measurement, stream total and
 * component flow over the rows it reaches in the elimination tree.
 */
#include "cetwin/reconcile.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include "sparse_lu.h"

#include <gsl/gsl_cdf.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A pivot of the normal matrix at most this fraction of its diagonal entry
 * sets its unknown aside: the column of the Jacobian is, to this
 * tolerance, a combination of those before it (the rank of the
 * measurement model). */
static const double PIVOT_TOLERANCE = 1e-10;
/* A quantity is observable when its part outside the directions the
 * measurements see is at most this fraction of it. */
static const double OBSERVABLE_TOLERANCE = 1e-7;
/* A measurement is redundant when the variance of its adjustment is above
 * this fraction of its own variance. */
static const double REDUNDANT_TOLERANCE = 1e-8;
/* A stream whose total is at most this fraction of the largest flow of the
 * start carries no flow: the fraction measured on it is undefined. */
static const double NO_FLOW = 1e-9;
/* Normalised adjustments within this relative distance of the largest are
 * tied: the first of them listed is the culprit. */
static const double TIE_TOLERANCE = 1e-6;
/* Halvings of a Gauss-Newton step that does not lower the sum of squares. */
enum { MAX_HALVINGS = 40 };

static const char *const KIND_NAMES[CET_MEASURE_KINDS] = {"total", "flow", "fraction"};

const char *cet_measure_kind_name(cet_measure_kind k) {
  return k < CET_MEASURE_KINDS ? KIND_NAMES[k] : "?";
}

void cet_reconcile_spec_destroy(cet_reconcile_spec **s) {
  if (s == NULL || *s == NULL) {
    return;
  }
  for (size_t i = 0; i < (*s)->n; i++) {
    free((*s)->measure[i].quantity);
    free((*s)->measure[i].where);
  }
  free((*s)->measure);
  free((*s)->source);
  free((*s)->csv);
  free((*s)->write_parameters);
  free(*s);
  *s = NULL;
}

void cet_reconcile_result_destroy(cet_reconcile_result **r) {
  if (r == NULL || *r == NULL) {
    return;
  }
  cet_reconcile_result *x = *r;
  free(x->reconciled);
  free(x->reconciled_sd);
  free(x->adjustment);
  free(x->normalised);
  free(x->redundant);
  free(x->used);
  free(x->dropped);
  free(x->dropped_statistic);
  free(x->flow);
  free(x->flow_sd);
  free(x->total);
  free(x->total_sd);
  free(x->flow_observable);
  free(x->total_observable);
  free(x);
  *r = NULL;
}

/* 1 for the units whose inflow equals their outflow per component; feeds,
 * sinks and exchanges (imports and exports) are the twin's boundary. */
static int balanced(cet_unit_kind k) { return cet_unit_kind_has(k, CET_UNIT_KIND_BALANCED); }

/* The balances' null space on a basis of fundamental cycles: the graph's
 * nodes are the balanced units and one node for the whole boundary; a
 * spanning forest takes the unmeasured streams first, and every other
 * stream (a chord) closes one cycle through the forest. Chord l's flow is
 * z_l, a forest stream's flow the signed sum of the z of the cycles through
 * it: m_e = sum over (l, sign) in cycles e of sign z_l. Any z balances every
 * unit exactly. */
typedef struct {
  size_t nl;     /* cycles (chords) */
  size_t *begin; /* [ne + 1] stream e's cycles are cycle[begin[e] ..] */
  size_t *cycle; /* cycles through each stream */
  double *sign;  /* +1 or -1 */
  size_t *chord; /* [nl] the stream of each cycle */
} cycle_basis;

static void cycle_basis_free(cycle_basis *b) {
  free(b->begin);
  free(b->cycle);
  free(b->sign);
  free(b->chord);
  *b = (cycle_basis){0};
}

static size_t find_root(size_t *up, size_t x) {
  while (up[x] != x) {
    up[x] = up[up[x]];
    x = up[x];
  }
  return x;
}

/* Node of unit u: its own for a balanced unit, nu for the boundary. */
static size_t node_of(const cet_twin *t, size_t u) {
  return balanced(cet_twin_unit_kind(t, u)) ? u : cet_twin_unit_count(t);
}

/* Scratch of cycle_basis_make, one allocation. */
typedef struct {
  size_t *up, *parent, *parent_edge, *depth, *adj_begin, *adj, *queue;
  unsigned char *in_tree;
} forest;

/* Roots every tree of the graph of the streams e with in_tree[e] (every
 * stream when in_tree is NULL) by breadth, the boundary node first:
 * parent, parent_edge and depth of every node. */
static void root_forest(forest *f, const size_t *from, const size_t *to, size_t ne, size_t nn,
                        const unsigned char *in_tree) {
  memset(f->adj_begin, 0, (nn + 1) * sizeof *f->adj_begin);
  for (size_t e = 0; e < ne; e++) {
    if (!in_tree || in_tree[e]) {
      f->adj_begin[from[e] + 1]++;
      f->adj_begin[to[e] + 1]++;
    }
  }
  for (size_t x = 0; x < nn; x++) {
    f->adj_begin[x + 1] += f->adj_begin[x];
  }
  for (size_t x = 0; x < nn; x++) {
    f->parent[x] = SIZE_MAX;
    f->queue[x] = f->adj_begin[x];
  }
  for (size_t e = 0; e < ne; e++) {
    if (!in_tree || in_tree[e]) {
      f->adj[f->queue[from[e]]++] = e;
      f->adj[f->queue[to[e]]++] = e;
    }
  }
  for (size_t k = 0; k < nn; k++) {
    size_t root = (nn - 1 + k) % nn; /* the boundary node first */
    if (f->parent[root] != SIZE_MAX) {
      continue;
    }
    f->parent[root] = root;
    f->parent_edge[root] = SIZE_MAX;
    f->depth[root] = 0;
    size_t head = 0, tail = 0;
    f->queue[tail++] = root;
    while (head < tail) {
      size_t x = f->queue[head++];
      for (size_t q = f->adj_begin[x]; q < f->adj_begin[x + 1]; q++) {
        size_t e = f->adj[q], y = from[e] == x ? to[e] : from[e];
        if (f->parent[y] == SIZE_MAX) {
          f->parent[y] = x;
          f->parent_edge[y] = e;
          f->depth[y] = f->depth[x] + 1;
          f->queue[tail++] = y;
        }
      }
    }
  }
}

/* The order of stream e in the spanning forest: unmeasured before measured,
 * then by the depth of its nearer end (root_forest on every stream). */
static size_t edge_key(const forest *f, const size_t *from, const size_t *to,
                       const unsigned char *measured, size_t nn, size_t e) {
  size_t d = f->depth[from[e]] < f->depth[to[e]] ? f->depth[from[e]] : f->depth[to[e]];
  return (measured[e] ? nn : 0) + d;
}

static int cycle_basis_make(const cet_twin *t, const unsigned char *measured, cycle_basis *b) {
  size_t ne = cet_twin_edge_count(t), nn = cet_twin_unit_count(t) + 1;
  *b = (cycle_basis){0};
  forest f = {0};
  size_t *from = malloc(2 * (ne + 1) * sizeof *from), *to = from ? from + ne + 1 : NULL;
  f.up = malloc((6 * nn + 2 * ne + 1) * sizeof *f.up);
  f.in_tree = calloc(ne + 1, 1);
  int status = CET_OK;
  size_t *trip_e = NULL, *trip_l = NULL, ntrip = 0, cap = 0, *count = NULL, *order = NULL;
  double *trip_s = NULL;
  CET_CHECK_ALLOC_GOTO(status, done, from && f.up && f.in_tree);
  f.parent = f.up + nn;
  f.parent_edge = f.parent + nn;
  f.depth = f.parent_edge + nn;
  f.adj_begin = f.depth + nn;
  f.queue = f.adj_begin + nn + 1;
  f.adj = f.queue + nn;
  for (size_t e = 0; e < ne; e++) {
    const char *outlet;
    cet_twin_edge(t, e, &from[e], &outlet, &to[e]);
    from[e] = node_of(t, from[e]);
    to[e] = node_of(t, to[e]);
  }
  /* the spanning forest (Kruskal): unmeasured streams first, each group in
   * order of its distance from the boundary, so that the trees are shallow
   * and the cycles short */
  root_forest(&f, from, to, ne, nn, NULL);
  count = calloc(2 * nn + 2, sizeof *count);
  order = malloc((ne + 1) * sizeof *order);
  CET_CHECK_ALLOC_GOTO(status, done, count && order);
  for (size_t e = 0; e < ne; e++) {
    count[edge_key(&f, from, to, measured, nn, e) + 1]++;
  }
  for (size_t k = 0; k < 2 * nn + 1; k++) {
    count[k + 1] += count[k];
  }
  for (size_t e = 0; e < ne; e++) {
    order[count[edge_key(&f, from, to, measured, nn, e)]++] = e;
  }
  for (size_t x = 0; x < nn; x++) {
    f.up[x] = x;
  }
  for (size_t k = 0; k < ne; k++) {
    size_t e = order[k], ra = find_root(f.up, from[e]), rb = find_root(f.up, to[e]);
    if (ra != rb) {
      f.up[ra] = rb;
      f.in_tree[e] = 1;
    }
  }
  root_forest(&f, from, to, ne, nn, f.in_tree);
  /* the cycles: chord l = e carries +1 from from[e] to to[e] and the forest
   * carries it back from to[e] to from[e] */
  for (size_t e = 0; e < ne; e++) {
    b->nl += !f.in_tree[e];
  }
  b->chord = malloc((b->nl + 1) * sizeof *b->chord);
  b->begin = calloc(ne + 1, sizeof *b->begin);
  CET_CHECK_ALLOC_GOTO(status, done, b->chord && b->begin);
  size_t l = 0;
  for (size_t e = 0; e < ne; e++) {
    if (f.in_tree[e]) {
      continue;
    }
    b->chord[l] = e;
    size_t x = to[e], y = from[e];
    for (int first = 1;; first = 0) {
      size_t step_e = SIZE_MAX;
      double s = 1.0;
      if (first) {
        step_e = e;
      } else if (x == y) {
        break;
      } else if (f.depth[x] >= f.depth[y]) { /* up from to[e]: traversed child to parent */
        step_e = f.parent_edge[x];
        s = from[step_e] == x ? 1.0 : -1.0;
        x = f.parent[x];
      } else { /* up from from[e]: traversed parent to child */
        step_e = f.parent_edge[y];
        s = to[step_e] == y ? 1.0 : -1.0;
        y = f.parent[y];
      }
      if (ntrip == cap) {
        cap = 2 * cap + 64;
        CET_CALL_GOTO(status, done, cet_array_grow(&trip_e, NULL, cap, sizeof *trip_e));
        CET_CALL_GOTO(status, done, cet_array_grow(&trip_l, NULL, cap, sizeof *trip_l));
        CET_CALL_GOTO(status, done, cet_array_grow(&trip_s, NULL, cap, sizeof *trip_s));
      }
      trip_e[ntrip] = step_e;
      trip_l[ntrip] = l;
      trip_s[ntrip++] = s;
    }
    l++;
  }
  /* by stream (a counting sort; cycles ascending within a stream) */
  b->cycle = malloc((ntrip + 1) * sizeof *b->cycle);
  b->sign = malloc((ntrip + 1) * sizeof *b->sign);
  CET_CHECK_ALLOC_GOTO(status, done, b->cycle && b->sign);
  for (size_t k = 0; k < ntrip; k++) {
    b->begin[trip_e[k] + 1]++;
  }
  for (size_t e = 0; e < ne; e++) {
    b->begin[e + 1] += b->begin[e];
  }
  {
    size_t *next = malloc((ne + 1) * sizeof *next);
    CET_CHECK_ALLOC_GOTO(status, done, next);
    memcpy(next, b->begin, (ne + 1) * sizeof *next);
    for (size_t k = 0; k < ntrip; k++) {
      size_t p = next[trip_e[k]]++;
      b->cycle[p] = trip_l[k];
      b->sign[p] = trip_s[k];
    }
    free(next);
  }
done:
  free(count);
  free(order);
  free(from);
  free(f.up);
  free(f.in_tree);
  free(trip_e);
  free(trip_l);
  free(trip_s);
  if (status != CET_OK) {
    cycle_basis_free(b);
  }
  return status;
}

/* Renumbers the cycles in a fill-reducing order (cet_sparse_lu_dissect) of
 * the graph in which two cycles are neighbours when a measured stream runs
 * through both: the pattern of the normal matrix with each cycle's
 * components taken as one block. In the order the basis is built, cycles
 * that share streams follow each other and the elimination tree is nearly
 * a path, so that a stream's variance solve would run through most of the
 * factors; minimum degree alone still leaves a path through the parts of
 * a network joined one after the other (as the trains of a plant), which
 * nested dissection cuts in halves (networks of at most 256 cycles get the
 * minimum-degree order). */
static int cycle_basis_order(cycle_basis *b, size_t ne, const unsigned char *measured) {
  size_t m = 0;
  for (size_t e = 0; e < ne; e++) {
    size_t d = b->begin[e + 1] - b->begin[e];
    m += measured[e] ? d * (d - (d > 0)) / 2 : 0;
  }
  size_t *row = malloc((2 * m + 1) * sizeof *row), *col = row ? row + m : NULL;
  size_t *order = malloc((2 * b->nl + 1) * sizeof *order), *label = order ? order + b->nl : NULL;
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, row && order);
  m = 0;
  for (size_t e = 0; e < ne; e++) {
    for (size_t p = b->begin[e]; measured[e] && p < b->begin[e + 1]; p++) {
      for (size_t q = p + 1; q < b->begin[e + 1]; q++, m++) {
        row[m] = b->cycle[p];
        col[m] = b->cycle[q];
      }
    }
  }
  CET_CALL_GOTO(status, done, cet_sparse_lu_dissect(b->nl, m, row, col, order));
  for (size_t k = 0; k < b->nl; k++) {
    label[order[k]] = k;
  }
  for (size_t p = 0; p < b->begin[ne]; p++) {
    b->cycle[p] = label[b->cycle[p]];
  }
  for (size_t l = 0; l < b->nl; l++) {
    order[label[l]] = b->chord[l];
  }
  memcpy(b->chord, order, b->nl * sizeof *b->chord);
done:
  free(row);
  free(order);
  return status;
}

/* One reconciliation over the measurements marked used. The unknowns are
 * z = the chord flows / scale (index l * nc + k for cycle l, component k);
 * the whitened Jacobian over z is sparse, and so is the normal matrix
 * M = J^T J, factored on its pattern (sparse_lu.h). */
typedef struct {
  const cet_twin *t;
  const cet_reconcile_spec *s;
  size_t ne, nc, nz;
  cycle_basis basis;
  double scale; /* flows are scale x (the basis times z) */
  const int *used;
  size_t nm;             /* used measurements */
  size_t *row;           /* [nm] measurement of each row */
  double *z, *ztry, *dz; /* [nz] */
  double *m;             /* [ne x nc] component flows */
  double *grad;          /* [nc] gradient of a measurement over its stream's flows */
  double *jg;            /* [nm x nc] whitened gradients over the stream's flows */
  double *r;             /* [nm] whitened residuals */
  /* the normal matrix: entries (per measured stream: its cycles' pairs and
   * the components its measurements couple; every diagonal) */
  size_t n_entries;
  size_t *entry_row, *entry_col;
  double *value;
  double *h;               /* [ne x nc x nc] per stream sum of whitened gradient products */
  unsigned char *dense;    /* [ne] 1: a total or fraction couples its components */
  unsigned char *measured; /* [ne] 1: a used measurement on the stream */
  unsigned char *comp;     /* [ne x nc] 1: the component's flow is measured */
  cet_sparse_lu *lu_pattern;
  double *lu, *work, *w;               /* [nnz], [nz], [nz] */
  unsigned char *drop;                 /* [nz] */
  unsigned char *mark;                 /* [nz] zeros between uses */
  size_t *support, *reach;             /* [nz] a stream's unknowns, the rows they reach */
  size_t n_support, n_reach, reach_of; /* their counts; the stream (SIZE_MAX: none) */
  size_t rank;
} solver;

static void flows_of(const solver *v, const double *z, double *m) {
  const cycle_basis *b = &v->basis;
  for (size_t e = 0; e < v->ne; e++) {
    double *me = m + e * v->nc;
    for (size_t k = 0; k < v->nc; k++) {
      me[k] = 0.0;
    }
    for (size_t p = b->begin[e]; p < b->begin[e + 1]; p++) {
      const double *zl = z + b->cycle[p] * v->nc;
      for (size_t k = 0; k < v->nc; k++) {
        me[k] += b->sign[p] * zl[k];
      }
    }
    for (size_t k = 0; k < v->nc; k++) {
      me[k] *= v->scale;
    }
  }
}

static double stream_total(const solver *v, const double *m, size_t e) {
  double x = 0.0;
  for (size_t k = 0; k < v->nc; k++) {
    x += m[e * v->nc + k];
  }
  return x;
}

/* Value of measurement i at flows m and, when grad is not NULL, its
 * gradient over the component flows of its stream. 0 when a fraction's
 * stream has no positive total (*ok = 0). */
static double measure(const solver *v, const cet_measurement *x, const double *m, double *grad,
                      int *ok) {
  *ok = 1;
  const double *f = m + x->stream * v->nc;
  switch (x->kind) {
  case CET_MEASURE_TOTAL:
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = 1.0;
    }
    return stream_total(v, m, x->stream);
  case CET_MEASURE_FLOW:
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = k == x->component ? 1.0 : 0.0;
    }
    return f[x->component];
  case CET_MEASURE_FRACTION:
  default: {
    double total = stream_total(v, m, x->stream);
    if (!(total > NO_FLOW * v->scale)) {
      *ok = 0;
      return 0.0;
    }
    double h = f[x->component] / total;
    for (size_t k = 0; grad && k < v->nc; k++) {
      grad[k] = ((k == x->component ? 1.0 : 0.0) - h) / total;
    }
    return h;
  }
  }
}

/* w (nz, zero on entry) := the gradient over z of a function of stream e's
 * flows with gradient g over them. */
static void z_gradient(const solver *v, size_t e, const double *g, double *w) {
  const cycle_basis *b = &v->basis;
  for (size_t p = b->begin[e]; p < b->begin[e + 1]; p++) {
    double *wl = w + b->cycle[p] * v->nc;
    for (size_t k = 0; k < v->nc; k++) {
      wl[k] += v->scale * b->sign[p] * g[k];
    }
  }
}

/* Weighted sum of squares at z (HUGE_VAL when a measured fraction's stream
 * has no flow). */
static double objective(solver *v, const double *z) {
  flows_of(v, z, v->m);
  double sum = 0.0;
  for (size_t a = 0; a < v->nm; a++) {
    const cet_measurement *x = &v->s->measure[v->row[a]];
    int ok;
    double h = measure(v, x, v->m, NULL, &ok);
    if (!ok) {
      return HUGE_VAL;
    }
    double q = (x->value - h) / x->sd;
    sum += q * q;
  }
  return sum;
}

/* Position of stream e's block (k, c) in the per-stream products h. */
static size_t h_at(const solver *v, size_t e, size_t k, size_t c) {
  return (e * v->nc + k) * v->nc + c;
}

/* Visits the entries of the normal matrix in their fixed order: with
 * value == NULL records their positions (counting them into n_entries
 * when entry_row is NULL), else writes their values. */
static void normal_entries(solver *v, double *value) {
  const cycle_basis *b = &v->basis;
  const size_t nc = v->nc;
  size_t n = 0;
  for (size_t e = 0; e < v->ne; e++) {
    if (!v->measured[e]) {
      continue;
    }
    for (size_t p = b->begin[e]; p < b->begin[e + 1]; p++) {
      for (size_t q = b->begin[e]; q < b->begin[e + 1]; q++) {
        double s = v->scale * v->scale * b->sign[p] * b->sign[q];
        for (size_t k = 0; k < nc; k++) {
          for (size_t c = 0; c < nc; c++) {
            if (!v->dense[e] && (c != k || !v->comp[e * nc + k])) {
              continue;
            }
            if (value) {
              value[n] = s * v->h[h_at(v, e, k, c)];
            } else if (v->entry_row) {
              v->entry_row[n] = b->cycle[p] * nc + k;
              v->entry_col[n] = b->cycle[q] * nc + c;
            }
            n++;
          }
        }
      }
    }
  }
  for (size_t i = 0; i < v->nz; i++, n++) {
    if (value) {
      value[n] = 0.0;
    } else if (v->entry_row) {
      v->entry_row[n] = v->entry_col[n] = i;
    }
  }
  v->n_entries = n;
}

/* The whitened residuals and gradients at z, the normal matrix there
 * factored, and the gradient J^T r into v->dz; fails naming a measured
 * fraction whose stream has no flow (at the start: an input error). */
static int linearise(solver *v, const double *z, size_t iteration) {
  const size_t nc = v->nc;
  flows_of(v, z, v->m);
  memset(v->h, 0, v->ne * nc * nc * sizeof *v->h);
  memset(v->dz, 0, v->nz * sizeof *v->dz);
  for (size_t a = 0; a < v->nm; a++) {
    const cet_measurement *x = &v->s->measure[v->row[a]];
    int ok;
    double h = measure(v, x, v->m, v->grad, &ok);
    size_t from, to;
    const char *outlet;
    cet_twin_edge(v->t, x->stream, &from, &outlet, &to);
    CET_CHECK(ok || iteration > 0, CET_ERR_INPUT,
              "%s: stream %s.%s carries no flow in the twin's steady state, where the "
              "iteration starts, so its measured %s is undefined there (singular system); "
              "give the twin a flow on it or measure the stream's component flows instead",
              x->where, cet_twin_unit_name(v->t, from), outlet, x->quantity);
    CET_CHECK(ok, CET_ERR_RUNTIME,
              "%s: stream %s.%s lost all its flow at step %zu of the reconciliation, so its "
              "measured %s is undefined (singular system)",
              x->where, cet_twin_unit_name(v->t, from), outlet, iteration, x->quantity);
    v->r[a] = (x->value - h) / x->sd;
    double *g = v->jg + a * nc;
    for (size_t k = 0; k < nc; k++) {
      g[k] = v->grad[k] / x->sd;
    }
    for (size_t k = 0; k < nc; k++) {
      for (size_t c = 0; c < nc; c++) {
        v->h[h_at(v, x->stream, k, c)] += g[k] * g[c];
      }
    }
    for (size_t k = 0; k < nc; k++) {
      v->grad[k] = g[k] * v->r[a];
    }
    z_gradient(v, x->stream, v->grad, v->dz);
  }
  normal_entries(v, v->value);
  cet_sparse_lu_factor(v->lu_pattern, v->value, v->lu, v->work, PIVOT_TOLERANCE, v->drop);
  v->rank = 0;
  for (size_t i = 0; i < v->nz; i++) {
    v->rank += !v->drop[i];
  }
  return CET_OK;
}

/* The basic solution dz of the normal equations M dz = J^T r (v->dz on
 * entry): the least-squares step, 0 on the unknowns set aside. */
static void normal_step(const solver *v, double *dz) {
  cet_sparse_lu_lower_symmetric(v->lu_pattern, v->lu, dz, NULL, 0);
  cet_sparse_lu_upper(v->lu_pattern, v->lu, v->drop, dz);
}

/* Variance of the function of stream e's flows with gradient g over them,
 * and whether it is observable: its gradient w over z lies in the row space
 * of the Jacobian (to OBSERVABLE_TOLERANCE). w^T M^- w with the generalised
 * inverse of the factors, by one triangular solve on the rows w reaches;
 * v->w is zero before and after. */
static double stream_variance(solver *v, size_t e, const double *g, int *observable) {
  const cycle_basis *b = &v->basis;
  if (v->reach_of != e) { /* the rows stream e's flows reach, for all its quantities */
    v->n_support = 0;
    for (size_t p = b->begin[e]; p < b->begin[e + 1]; p++) {
      for (size_t k = 0; k < v->nc; k++) {
        v->support[v->n_support++] = b->cycle[p] * v->nc + k;
      }
    }
    v->n_reach = cet_sparse_lu_reach(v->lu_pattern, v->support, v->n_support, v->mark, v->reach);
    v->reach_of = e;
  }
  const size_t n = v->n_support, count = v->n_reach;
  z_gradient(v, e, g, v->w);
  double norm = 0.0, var = 0.0, rest = 0.0;
  for (size_t q = 0; q < n; q++) {
    norm += v->w[v->support[q]] * v->w[v->support[q]];
  }
  cet_sparse_lu_lower_symmetric(v->lu_pattern, v->lu, v->w, v->reach, count);
  for (size_t q = 0; q < count; q++) {
    size_t i = v->reach[q];
    double y = v->w[i];
    v->w[i] = 0.0;
    if (v->drop[i]) {
      rest += y * y;
    } else {
      var += y * y / cet_sparse_lu_pivot(v->lu_pattern, v->lu, i);
    }
  }
  *observable = rest <= OBSERVABLE_TOLERANCE * OBSERVABLE_TOLERANCE * norm;
  return var;
}

/* Iterates to the minimum from v->z; on success v->z holds it and the
 * factors are those at it. */
static int iterate(solver *v, cet_reconcile_result *res) {
  double flow_scale = 0.0;
  for (size_t i = 0; i < v->ne * v->nc; i++) {
    flow_scale = fmax(flow_scale, fabs(v->m[i]));
  }
  for (size_t it = 0;; it++) {
    CET_CALL(linearise(v, v->z, it));
    if (res->linear && it == 1) {
      res->iterations = 1;
      return CET_OK;
    }
    CET_CHECK(it < v->s->max_iterations, CET_ERR_RUNTIME,
              "the reconciliation did not converge in %zu steps (reconcile.max_iterations); "
              "the measurements may contradict each other or a measured stream tends to no flow",
              v->s->max_iterations);
    normal_step(v, v->dz);
    double phi0 = 0.0;
    for (size_t a = 0; a < v->nm; a++) {
      phi0 += v->r[a] * v->r[a];
    }
    double lambda = 1.0, phi = HUGE_VAL;
    for (int h = 0; h <= MAX_HALVINGS; h++, lambda *= 0.5) {
      for (size_t i = 0; i < v->nz; i++) {
        v->ztry[i] = v->z[i] + lambda * v->dz[i];
      }
      phi = res->linear ? 0.0 : objective(v, v->ztry);
      if (phi <= phi0) {
        break;
      }
    }
    if (!(phi <= phi0)) {
      lambda = 0.0;
    }
    double change = 0.0;
    for (size_t i = 0; i < v->nz; i++) {
      v->dz[i] *= lambda;
      v->z[i] += v->dz[i];
    }
    flows_of(v, v->dz, v->m);
    for (size_t i = 0; i < v->ne * v->nc; i++) {
      change = fmax(change, fabs(v->m[i]));
    }
    flows_of(v, v->z, v->m);
    for (size_t i = 0; i < v->ne * v->nc; i++) {
      flow_scale = fmax(flow_scale, fabs(v->m[i]));
    }
    res->iterations = it + 1;
    if (!res->linear && change <= v->s->tolerance * flow_scale) {
      CET_CALL(linearise(v, v->z, it + 1));
      return CET_OK;
    }
  }
}

/* The statistics of the solution in v into res: per measurement, stream
 * and component one sparse triangular solve (quantity_variance). */
static int classify(solver *v, cet_reconcile_result *res) {
  const cet_reconcile_spec *s = v->s;
  /* measurements */
  size_t a = 0, n_redundant = 0;
  res->chi_square = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    const cet_measurement *x = &s->measure[i];
    int ok, observable = 0;
    double h = measure(v, x, v->m, v->grad, &ok);
    res->reconciled[i] = ok ? h : NAN;
    res->adjustment[i] = ok ? x->value - h : NAN;
    res->normalised[i] = NAN;
    res->redundant[i] = 0;
    if (v->used[i]) {
      double lev = fmin(stream_variance(v, x->stream, v->jg + a * v->nc, &observable), 1.0);
      res->reconciled_sd[i] = x->sd * sqrt(lev);
      double q = res->adjustment[i] / x->sd;
      res->chi_square += q * q;
      if (1.0 - lev > REDUNDANT_TOLERANCE) {
        res->redundant[i] = 1;
        res->normalised[i] = res->adjustment[i] / (x->sd * sqrt(1.0 - lev));
        n_redundant++;
      }
      a++;
    } else {
      double sd = ok ? sqrt(stream_variance(v, x->stream, v->grad, &observable)) : NAN;
      res->reconciled_sd[i] = observable ? sd : NAN;
      if (!observable) {
        res->reconciled[i] = res->adjustment[i] = NAN;
      }
    }
  }
  /* flows and totals */
  double *ones = v->grad;
  for (size_t e = 0; e < v->ne; e++) {
    for (size_t k = 0; k < v->nc; k++) {
      memset(ones, 0, v->nc * sizeof *ones);
      ones[k] = 1.0;
      size_t i = e * v->nc + k;
      res->flow_sd[i] = sqrt(stream_variance(v, e, ones, &res->flow_observable[i]));
      res->flow[i] = v->m[i];
      if (!res->flow_observable[i]) {
        res->flow[i] = res->flow_sd[i] = NAN;
      }
    }
    for (size_t k = 0; k < v->nc; k++) {
      ones[k] = 1.0;
    }
    res->total_sd[e] = sqrt(stream_variance(v, e, ones, &res->total_observable[e]));
    res->total[e] = stream_total(v, v->m, e);
    if (!res->total_observable[e]) {
      res->total[e] = res->total_sd[e] = NAN;
    }
  }
  /* tests */
  res->rank = v->rank;
  res->n_used = v->nm;
  res->dof = v->nm - v->rank;
  res->chi_critical = res->p_value = res->z_critical = NAN;
  if (res->dof > 0) {
    res->chi_critical = gsl_cdf_chisq_Pinv(1.0 - s->alpha, (double)res->dof);
    res->p_value = gsl_cdf_chisq_Q(res->chi_square, (double)res->dof);
  }
  res->culprit = -1;
  if (n_redundant > 0) {
    double beta = 1.0 - pow(1.0 - s->alpha, 1.0 / (double)n_redundant);
    res->z_critical = gsl_cdf_ugaussian_Qinv(0.5 * beta);
    double worst = res->z_critical;
    for (size_t i = 0; i < s->n; i++) {
      /* measurements tied to rounding (as those of a stream and the one
       * unit it balances can be) leave the first listed the culprit */
      double beyond = res->culprit < 0 ? worst : worst * (1.0 + TIE_TOLERANCE);
      if (res->redundant[i] && fabs(res->normalised[i]) > beyond) {
        worst = fabs(res->normalised[i]);
        res->culprit = (long)i;
      }
    }
  }
  return CET_OK;
}

static void solver_release(solver *v) {
  cycle_basis_free(&v->basis);
  cet_sparse_lu_destroy(&v->lu_pattern);
  free(v->z);
  free(v->ztry);
  free(v->dz);
  free(v->w);
  free(v->work);
  free(v->drop);
  free(v->mark);
  free(v->support);
  free(v->reach);
  free(v->lu);
  free(v->entry_row);
  free(v->entry_col);
  free(v->value);
  v->z = v->ztry = v->dz = v->w = v->work = v->lu = v->value = NULL;
  v->drop = v->mark = NULL;
  v->support = v->reach = NULL;
  v->entry_row = v->entry_col = NULL;
}

/* Reconciles the measurements marked used from the flows start: the cycle
 * basis for them, the pattern of the normal matrix, the iteration and the
 * statistics. */
static int solve(solver *v, const double *start, cet_reconcile_result *res) {
  const size_t ne = v->ne, nc = v->nc;
  v->nm = 0;
  memset(v->measured, 0, ne);
  memset(v->dense, 0, ne);
  memset(v->comp, 0, ne * nc);
  for (size_t i = 0; i < v->s->n; i++) {
    if (v->used[i]) {
      const cet_measurement *x = &v->s->measure[i];
      v->row[v->nm++] = i;
      v->measured[x->stream] = 1;
      v->dense[x->stream] |= x->kind != CET_MEASURE_FLOW;
      if (x->kind == CET_MEASURE_FLOW) {
        v->comp[x->stream * nc + x->component] = 1;
      }
    }
  }
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cycle_basis_make(v->t, v->measured, &v->basis));
  CET_CALL_GOTO(status, done, cycle_basis_order(&v->basis, ne, v->measured));
  v->nz = v->basis.nl * nc;
  CET_CHECK_GOTO(status, done, v->nz > 0, CET_ERR_INPUT,
                 "reconcile: the balances of the twin leave no stream free to reconcile");
  size_t nz = v->nz;
  v->z = calloc(nz, sizeof *v->z);
  v->ztry = calloc(nz, sizeof *v->ztry);
  v->dz = calloc(nz, sizeof *v->dz);
  v->w = calloc(nz, sizeof *v->w);
  v->work = calloc(nz, sizeof *v->work);
  v->drop = calloc(nz, 1);
  v->mark = calloc(nz, 1);
  v->support = calloc(nz, sizeof *v->support);
  v->reach = calloc(nz, sizeof *v->reach);
  CET_CHECK_ALLOC_GOTO(status, done,
                       v->z && v->ztry && v->dz && v->w && v->work && v->drop && v->mark &&
                           v->support && v->reach);
  /* the pattern of the normal matrix */
  normal_entries(v, NULL);
  v->entry_row = malloc(v->n_entries * sizeof *v->entry_row);
  v->entry_col = malloc(v->n_entries * sizeof *v->entry_col);
  v->value = malloc(v->n_entries * sizeof *v->value);
  CET_CHECK_ALLOC_GOTO(status, done, v->entry_row && v->entry_col && v->value);
  normal_entries(v, NULL);
  CET_CALL_GOTO(status, done,
                cet_sparse_lu_create(nz, v->n_entries, v->entry_row, v->entry_col, &v->lu_pattern));
  v->lu = malloc(cet_sparse_lu_nnz(v->lu_pattern) * sizeof *v->lu);
  CET_CHECK_ALLOC_GOTO(status, done, v->lu);
  v->reach_of = SIZE_MAX;
  /* the start: its chord flows (exact for a steady state) */
  for (size_t l = 0; l < v->basis.nl; l++) {
    for (size_t k = 0; k < nc; k++) {
      v->z[l * nc + k] = start[v->basis.chord[l] * nc + k] / v->scale;
    }
  }
  flows_of(v, v->z, v->m);
  CET_CALL_GOTO(status, done, iterate(v, res));
  CET_CALL_GOTO(status, done, classify(v, res));
done:
  solver_release(v);
  return status;
}

static int result_alloc(size_t n, size_t ne, size_t nc, cet_reconcile_result **out) {
  cet_reconcile_result *r = calloc(1, sizeof *r);
  CET_CHECK_ALLOC(r);
  r->n_streams = ne;
  r->n_components = nc;
  r->n_measures = n;
  size_t nf = ne * nc + 1;
  r->reconciled = calloc(n + 1, sizeof(double));
  r->reconciled_sd = calloc(n + 1, sizeof(double));
  r->adjustment = calloc(n + 1, sizeof(double));
  r->normalised = calloc(n + 1, sizeof(double));
  r->redundant = calloc(n + 1, sizeof(int));
  r->used = calloc(n + 1, sizeof(int));
  r->dropped = calloc(n + 1, sizeof(size_t));
  r->dropped_statistic = calloc(n + 1, sizeof(double));
  r->flow = calloc(nf, sizeof(double));
  r->flow_sd = calloc(nf, sizeof(double));
  r->flow_observable = calloc(nf, sizeof(int));
  r->total = calloc(ne + 1, sizeof(double));
  r->total_sd = calloc(ne + 1, sizeof(double));
  r->total_observable = calloc(ne + 1, sizeof(int));
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail,
                       r->reconciled && r->reconciled_sd && r->adjustment && r->normalised &&
                           r->redundant && r->used && r->dropped && r->dropped_statistic &&
                           r->flow && r->flow_sd && r->flow_observable && r->total && r->total_sd &&
                           r->total_observable);
  *out = r;
  return CET_OK;
fail:
  cet_reconcile_result_destroy(&r);
  return status;
}

int cet_reconcile_run(const cet_twin *t, const cet_reconcile_spec *s, const double *start,
                      cet_reconcile_result **out) {
  *out = NULL;
  size_t ne = cet_twin_edge_count(t), nc = cet_twin_components(t)->n;
  CET_CHECK(s->n > 0, CET_ERR_INPUT, "reconcile: no measurements");
  CET_CHECK(ne > 0, CET_ERR_INPUT, "reconcile: the twin has no streams to reconcile");
  cet_reconcile_result *res = NULL;
  CET_CALL(result_alloc(s->n, ne, nc, &res));
  solver v = {.t = t, .s = s, .ne = ne, .nc = nc};
  int status = CET_OK;
  res->linear = 1;
  for (size_t i = 0; i < s->n; i++) {
    res->linear &= s->measure[i].kind != CET_MEASURE_FRACTION;
    res->used[i] = 1;
  }
  v.used = res->used;
  v.scale = 0.0;
  for (size_t i = 0; i < ne * nc; i++) {
    v.scale = fmax(v.scale, fabs(start[i]));
  }
  if (!(v.scale > 0.0)) {
    v.scale = 1.0;
  }
  v.row = calloc(s->n + 1, sizeof *v.row);
  v.m = calloc(ne * nc + 1, sizeof *v.m);
  v.grad = calloc(nc + 1, sizeof *v.grad);
  v.jg = calloc(s->n * nc + 1, sizeof *v.jg);
  v.r = calloc(s->n + 1, sizeof *v.r);
  v.h = calloc(ne * nc * nc + 1, sizeof *v.h);
  v.measured = calloc(ne + 1, 1);
  v.dense = calloc(ne + 1, 1);
  v.comp = calloc(ne * nc + 1, 1);
  CET_CHECK_ALLOC_GOTO(status, done,
                       v.row && v.m && v.grad && v.jg && v.r && v.h && v.measured && v.dense &&
                           v.comp);
  for (;;) {
    CET_CALL_GOTO(status, done, solve(&v, start, res));
    if (!s->drop_gross_errors || res->culprit < 0 || res->n_used < 2) {
      break;
    }
    res->dropped[res->n_dropped] = (size_t)res->culprit;
    res->dropped_statistic[res->n_dropped] = res->normalised[res->culprit];
    res->n_dropped++;
    res->used[res->culprit] = 0;
  }
done:
  free(v.row);
  free(v.m);
  free(v.grad);
  free(v.jg);
  free(v.r);
  free(v.h);
  free(v.measured);
  free(v.dense);
  free(v.comp);
  if (status != CET_OK) {
    cet_reconcile_result_destroy(&res);
    return status;
  }
  *out = res;
  return CET_OK;
}
