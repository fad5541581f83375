/*
 * hypervolume.c — exact hypervolume: the 2-D sweep, the 3-D sweep of Beume
 * et al. (2009), and WFG (While et al. 2012) for more objectives (see
 * hypervolume.h). The 3-D sweep's staircase is keyed by the rank of each
 * point in (f1, f2) order, so the balanced search tree can be a 64-ary bit
 * tree over the ranks (bitset.h): predecessor and successor cost a few word
 * operations.
 */
#include "cetwin/hypervolume.h"

#include "cetwin/error.h"
#include "moo/pareto_impl.h"
#include "moo/sortidx.h"
#include "moo/bitset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Scratch memory of one computation. */
typedef struct {
  size_t n, m;
  const double *ref;
  double *pts; /* the points that strictly dominate ref, compact */
  size_t *idx, *tmp;
  cet_keyed *key, *key_tmp; /* sort keys */
  /* 3-D sweep: rank of each point in (f1, f2) order, f1 and f2 by rank,
   * and the staircase as a set of ranks */
  size_t *rank;
  double *xr, *yr;
  cet_bitset bits;
  /* WFG: per dimension d < m the current limit set (n x d) and per d <= m
   * the order of the current point set of that dimension */
  double **level;
  size_t **ord;
  cet_pareto_workspace *ws;
  size_t *keep;
  int base3; /* WFG ends in the 3-D sweep */
} hv_ctx;

static void ctx_free(hv_ctx *c) {
  free(c->pts);
  free(c->idx);
  free(c->tmp);
  free(c->key);
  free(c->key_tmp);
  free(c->keep);
  free(c->rank);
  free(c->xr);
  free(c->yr);
  cet_bitset_release(&c->bits);
  if (c->level) {
    for (size_t d = 0; d <= c->m; d++) {
      free(c->level[d]);
      free(c->ord[d]);
    }
  }
  free(c->level);
  free(c->ord);
  cet_pareto_workspace_destroy(&c->ws);
}

static int check_input(const double *f, size_t n, size_t m, const double *ref, const double *hv) {
  CET_CHECK(m > 0, CET_ERR_INPUT, "expected at least one objective, found m = 0");
  CET_CHECK(hv != NULL, CET_ERR_INPUT, "expected a place for the hypervolume, found NULL");
  CET_CHECK(ref != NULL, CET_ERR_INPUT, "expected a reference point, found NULL");
  CET_CHECK(f != NULL || n == 0, CET_ERR_INPUT, "expected %zu points, found NULL objectives", n);
  for (size_t j = 0; j < m; j++) {
    CET_CHECK(isfinite(ref[j]), CET_ERR_INPUT,
              "reference point coordinate %zu must be finite, found %g", j, ref[j]);
  }
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(!isnan(f[i * m + j]), CET_ERR_INPUT, "objective %zu of point %zu is NaN", j, i);
    }
  }
  return CET_OK;
}

/* Copies the points strictly dominating ref into c->pts; allocates the
 * sort buffers. */
static int prepare(hv_ctx *c, const double *f, size_t n, size_t m, const double *ref) {
  c->m = m;
  c->ref = ref;
  size_t alloc = n > 0 ? n : 1;
  c->pts = malloc(alloc * m * sizeof *c->pts);
  c->idx = malloc(alloc * sizeof *c->idx);
  c->tmp = malloc(alloc * sizeof *c->tmp);
  c->key = malloc(alloc * sizeof *c->key);
  c->key_tmp = malloc(alloc * sizeof *c->key_tmp);
  CET_CHECK_ALLOCS(c->pts && c->idx && c->tmp && c->key && c->key_tmp);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const double *p = f + i * m;
    size_t j = 0;
    while (j < m && p[j] < ref[j]) {
      j++;
    }
    if (j == m) {
      memcpy(c->pts + k * m, p, m * sizeof *p);
      k++;
    }
  }
  c->n = k;
  return CET_OK;
}

/* Puts the n points p (rows of stride) in (f1, f2) order in c->key: sorted
 * by f2, then stably by f1. Returns c->key. */
static cet_keyed *sort_f1_f2(hv_ctx *c, const double *p, size_t n, size_t stride) {
  cet_keyed *k = c->key;
  for (size_t i = 0; i < n; i++) {
    k[i].key = p[stride * i + 1];
    k[i].idx = i;
  }
  cet_sort_keyed(k, n, c->key_tmp);
  for (size_t t = 0; t < n; t++) {
    k[t].key = p[stride * k[t].idx];
  }
  cet_sort_keyed(k, n, c->key_tmp);
  return k;
}

/* Hypervolume of n two-objective points (rows of stride 2) all strictly
 * dominating ref: sort by (f1, f2) and add the rectangle of every point
 * that lowers the running f2. */
static double sweep2d(hv_ctx *c, const double *p, size_t n) {
  cet_keyed *k = sort_f1_f2(c, p, n, 2);
  double vol = 0, low = c->ref[1];
  for (size_t t = 0; t < n; t++) {
    const double *q = p + 2 * k[t].idx;
    if (q[1] < low) {
      vol += (c->ref[0] - q[0]) * (low - q[1]);
      low = q[1];
    }
  }
  return vol;
}

/* Memory of the 3-D sweep for up to c->n points. */
static int sweep3d_setup(hv_ctx *c) {
  size_t n = c->n > 0 ? c->n : 1;
  c->rank = malloc(n * sizeof *c->rank);
  c->xr = malloc(n * sizeof *c->xr);
  c->yr = malloc(n * sizeof *c->yr);
  CET_CHECK_ALLOCS(c->rank && c->xr && c->yr);
  CET_CALL(cet_bitset_init(&c->bits, n));
  return CET_OK;
}

/* Hypervolume of n three-objective points (stride 3) all strictly
 * dominating ref: sweep in f3, keeping the (f1, f2) staircase of the points
 * seen so far and its area with respect to (ref1, ref2). Staircase members
 * are ranks in (f1, f2) order, so equal f1 come in increasing f2 and the
 * predecessor of a rank decides domination. */
static double sweep3d(hv_ctx *c, const double *p, size_t n) {
  cet_keyed *k = sort_f1_f2(c, p, n, 3);
  for (size_t t = 0; t < n; t++) {
    size_t i = k[t].idx;
    c->rank[i] = t;
    c->xr[t] = p[3 * i];
    c->yr[t] = p[3 * i + 1];
  }
  for (size_t i = 0; i < n; i++) {
    k[i].key = p[3 * i + 2];
    k[i].idx = i;
  }
  cet_sort_keyed(k, n, c->key_tmp); /* sweep order: f3 */
  cet_bitset_clear(&c->bits);
  const double *xr = c->xr, *yr = c->yr, *ref = c->ref;
  double area = 0, vol = 0, zprev = 0;
  for (size_t t = 0; t < n; t++) {
    const double *q = p + 3 * k[t].idx;
    size_t r = c->rank[k[t].idx];
    if (t > 0) {
      vol += area * (q[2] - zprev);
    }
    zprev = q[2];
    size_t before = cet_bitset_pred(&c->bits, r);
    if (before != CET_BITSET_NONE && yr[before] <= q[1]) {
      continue; /* weakly dominated in (f1, f2) by a point of lower f3 */
    }
    /* the strips between the new point and the points it removes */
    double upper = before == CET_BITSET_NONE ? ref[1] : yr[before];
    double cur_x = q[0], gain = 0;
    size_t s = cet_bitset_succ(&c->bits, r + 1);
    while (s != CET_BITSET_NONE && yr[s] >= q[1]) {
      gain += (xr[s] - cur_x) * (upper - q[1]);
      cur_x = xr[s];
      upper = yr[s];
      cet_bitset_remove(&c->bits, s);
      s = cet_bitset_succ(&c->bits, s + 1);
    }
    double right = s == CET_BITSET_NONE ? ref[0] : xr[s];
    gain += (right - cur_x) * (upper - q[1]);
    area += gain;
    cet_bitset_insert(&c->bits, r);
  }
  if (n > 0) {
    vol += area * (ref[2] - zprev);
  }
  return vol;
}

/* WFG on n points of dimension d (rows of stride d) all strictly dominating
 * ref. Slices along objective d-1, worst first: point i owns the slab from
 * its last objective to the reference, times its exclusive (d-1)-volume
 * with respect to the points after it (which are no worse in objective
 * d-1). */
static double wfg(hv_ctx *c, const double *p, size_t n, size_t d) {
  const double *ref = c->ref;
  if (n == 0) {
    return 0;
  }
  if (n == 1) {
    double v = 1;
    for (size_t j = 0; j < d; j++) {
      v *= ref[j] - p[j];
    }
    return v;
  }
  if (d == 2) {
    return sweep2d(c, p, n);
  }
  if (d == 3 && c->base3) {
    return sweep3d(c, p, n);
  }
  size_t *ord = c->ord[d];
  for (size_t k = 0; k < n; k++) {
    c->key[k].key = -p[d * k + d - 1]; /* decreasing last objective */
    c->key[k].idx = k;
  }
  cet_sort_keyed(c->key, n, c->key_tmp);
  for (size_t k = 0; k < n; k++) {
    ord[k] = c->key[k].idx;
  }
  const size_t e = d - 1; /* dimension of the limit sets */
  double *lim = c->level[e];
  double vol = 0;
  for (size_t i = 0; i < n; i++) {
    const double *a = p + d * ord[i];
    double incl = 1;
    for (size_t j = 0; j < e; j++) {
      incl *= ref[j] - a[j];
    }
    size_t nl = 0;
    for (size_t t = i + 1; t < n; t++) {
      const double *b = p + d * ord[t];
      double *l = lim + e * nl++;
      for (size_t j = 0; j < e; j++) {
        l[j] = a[j] > b[j] ? a[j] : b[j];
      }
    }
    size_t nk = 0;
    if (nl > 0) {
      cet_pareto_filter_unique(c->ws, lim, nl, e, c->keep, &nk);
      for (size_t k = 0; k < nk; k++) {
        if (c->keep[k] != k) {
          memmove(lim + e * k, lim + e * c->keep[k], e * sizeof *lim);
        }
      }
    }
    double excl = incl - wfg(c, lim, nk, e);
    vol += (ref[e] - a[e]) * excl;
  }
  return vol;
}

static int wfg_setup(hv_ctx *c, int base3) {
  size_t n = c->n > 0 ? c->n : 1, m = c->m;
  c->base3 = base3;
  if (base3) {
    CET_CALL(sweep3d_setup(c));
  }
  CET_CALL(cet_pareto_workspace_create(&c->ws));
  CET_CALL(cet_pareto_reserve(c->ws, n));
  c->keep = malloc(n * sizeof *c->keep);
  c->level = calloc(m + 1, sizeof *c->level);
  c->ord = calloc(m + 1, sizeof *c->ord);
  CET_CHECK_ALLOCS(c->keep && c->level && c->ord);
  for (size_t d = 2; d <= m; d++) {
    c->level[d] = malloc(n * d * sizeof **c->level);
    c->ord[d] = malloc(n * sizeof **c->ord);
    CET_CHECK_ALLOCS(c->level[d] && c->ord[d]);
  }
  return CET_OK;
}

enum method { AUTO, SWEEP2, SWEEP3, WFG };

static int compute(const double *f, size_t n, size_t m, const double *ref, double *hv,
                   enum method how) {
  /* WFG chosen automatically (m >= 4) ends in the 3-D sweep; asked for by
   * name it recurses down to the 2-D sweep */
  int base3 = how == AUTO;
  CET_CALL(check_input(f, n, m, ref, hv));
  hv_ctx c = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, prepare(&c, f, n, m, ref));
  if (how == AUTO) {
    how = m == 2 ? SWEEP2 : m == 3 ? SWEEP3 : WFG;
  }
  if (m == 1) {
    double best = ref[0];
    for (size_t i = 0; i < c.n; i++) {
      best = c.pts[i] < best ? c.pts[i] : best;
    }
    *hv = ref[0] - best;
  } else if (how == SWEEP2) {
    *hv = sweep2d(&c, c.pts, c.n);
  } else if (how == SWEEP3) {
    CET_CALL_GOTO(status, done, sweep3d_setup(&c));
    *hv = sweep3d(&c, c.pts, c.n);
  } else {
    CET_CALL_GOTO(status, done, wfg_setup(&c, base3));
    *hv = wfg(&c, c.pts, c.n, m);
  }
done:
  ctx_free(&c);
  return status;
}

int cet_hypervolume(const double *f, size_t n, size_t m, const double *ref, double *hv) {
  return compute(f, n, m, ref, hv, AUTO);
}

int cet_hypervolume_2d(const double *f, size_t n, const double *ref, double *hv) {
  return compute(f, n, 2, ref, hv, SWEEP2);
}

int cet_hypervolume_3d(const double *f, size_t n, const double *ref, double *hv) {
  return compute(f, n, 3, ref, hv, SWEEP3);
}

int cet_hypervolume_wfg(const double *f, size_t n, size_t m, const double *ref, double *hv) {
  CET_CHECK(m >= 2, CET_ERR_INPUT, "WFG needs at least two objectives, found m = %zu", m);
  return compute(f, n, m, ref, hv, WFG);
}
