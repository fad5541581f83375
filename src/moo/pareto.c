/*
 * pareto.c — dominance, non-dominated filter and sort, constrained sort,
 * crowding distance, crowded-comparison order, utopia and nadir
 * (see pareto.h for the conventions and the algorithms).
 */
#include "moo/pareto_impl.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_MEMBER SIZE_MAX /* end of a front's member list */

int cet_pareto_workspace_create(cet_pareto_workspace **ws) {
  CET_CHECK(ws != NULL, CET_ERR_INPUT, "expected a place for the workspace, found NULL");
  *ws = calloc(1, sizeof **ws);
  CET_CHECK_ALLOC(*ws);
  return CET_OK;
}

void cet_pareto_workspace_destroy(cet_pareto_workspace **ws) {
  if (!ws || !*ws) {
    return;
  }
  cet_pareto_workspace *w = *ws;
  free(w->idx);
  free(w->tmp);
  free(w->head);
  free(w->next);
  free(w->sub);
  free(w->mark);
  free(w->offset);
  free(w->last);
  free(w->roots);
  free(w->key);
  free(w->key_tmp);
  free(w->prev);
  free(w->nbr_next);
  free(w->heap);
  free(w->where);
  free(w->dist);
  free(w->range);
  cet_staircase_release(&w->sc);
  free(w);
  *ws = NULL;
}

int cet_pareto_reserve(cet_pareto_workspace *ws, size_t n) {
  if (n < 1) {
    n = 1;
  }
  if (n <= ws->cap) {
    return CET_OK;
  }
  CET_CALL(cet_array_grow(&ws->idx, NULL, n, sizeof *ws->idx));
  CET_CALL(cet_array_grow(&ws->tmp, NULL, n, sizeof *ws->tmp));
  CET_CALL(cet_array_grow(&ws->head, NULL, n, sizeof *ws->head));
  CET_CALL(cet_array_grow(&ws->next, NULL, n, sizeof *ws->next));
  CET_CALL(cet_array_grow(&ws->sub, NULL, n, sizeof *ws->sub));
  CET_CALL(cet_array_grow(&ws->mark, NULL, n, sizeof *ws->mark));
  CET_CALL(cet_array_grow(&ws->offset, NULL, n + 1, sizeof *ws->offset));
  CET_CALL(cet_array_grow(&ws->last, NULL, n, sizeof *ws->last));
  CET_CALL(cet_array_grow(&ws->roots, NULL, n, sizeof *ws->roots));
  CET_CALL(cet_array_grow(&ws->key, NULL, n, sizeof *ws->key));
  CET_CALL(cet_array_grow(&ws->key_tmp, NULL, n, sizeof *ws->key_tmp));
  CET_CALL(cet_staircase_reset(&ws->sc, n));
  ws->cap = n;
  return CET_OK;
}

/* Makes *ws usable for n points, allocating a temporary one into *own when
 * the caller gave none. */
static int begin(cet_pareto_workspace **ws, cet_pareto_workspace **own, size_t n) {
  if (*ws == NULL) {
    CET_CALL(cet_pareto_workspace_create(own));
    *ws = *own;
  }
  CET_CALL(cet_pareto_reserve(*ws, n));
  return CET_OK;
}

static int check_points(const double *f, size_t n, size_t m) {
  CET_CHECK(m > 0, CET_ERR_INPUT, "expected at least one objective, found m = 0");
  CET_CHECK(f != NULL || n == 0, CET_ERR_INPUT, "expected %zu points, found NULL objectives", n);
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(!isnan(f[i * m + j]), CET_ERR_INPUT, "objective %zu of point %zu is NaN", j, i);
    }
  }
  return CET_OK;
}

/* ---- dominance ---------------------------------------------------------- */

int cet_pareto_compare(const double *a, const double *b, size_t m) {
  int a_better = 0, b_better = 0;
  for (size_t j = 0; j < m; j++) {
    if (a[j] < b[j]) {
      a_better = 1;
    } else if (b[j] < a[j]) {
      b_better = 1;
    }
    if (a_better && b_better) {
      return 0;
    }
  }
  return a_better - b_better;
}

int cet_pareto_dominates(const double *a, const double *b, size_t m) {
  return cet_pareto_compare(a, b, m) == 1;
}

int cet_pareto_constrained_compare(const double *fa, double cva, const double *fb, double cvb,
                                   size_t m) {
  if (cva > 0 || cvb > 0) {
    return (cva < cvb) - (cvb < cva);
  }
  return cet_pareto_compare(fa, fb, m);
}

/* ---- non-dominated sort ------------------------------------------------- */

typedef struct {
  cet_pareto_workspace *ws;
  const double *f;
  size_t m;
  const size_t *subset;
} sorter;

static const double *point(const sorter *s, size_t k) {
  return s->f + s->m * (s->subset ? s->subset[k] : k);
}

static int rows_equal(const double *a, const double *b, size_t m) {
  for (size_t j = 0; j < m; j++) {
    if (a[j] != b[j]) {
      return 0;
    }
  }
  return 1;
}

/* 1 if front r dominates point p. Every member of front r precedes p in
 * lexicographic order and differs from it, so it dominates p iff it is no
 * worse in objectives 2..m. */
static int front_dominates(const sorter *s, size_t r, const double *p) {
  cet_pareto_workspace *ws = s->ws;
  switch (s->m) {
  case 2:
    /* the last member has the smallest f2 of its front */
    return ws->last[r] <= p[1];
  case 3:
    return cet_staircase_dominated(&ws->sc, ws->roots[r], p[1], p[2]);
  default:
    for (size_t q = ws->head[r]; q != NO_MEMBER; q = ws->next[q]) {
      const double *a = point(s, q);
      size_t j = 1;
      while (j < s->m && a[j] <= p[j]) {
        j++;
      }
      if (j == s->m) {
        return 1;
      }
    }
    return 0;
  }
}

/* Adds point k (coordinates p) to front r; r == *nfronts opens a front. */
static void front_add(const sorter *s, size_t r, size_t *nfronts, size_t k, const double *p) {
  cet_pareto_workspace *ws = s->ws;
  if (r == *nfronts) {
    ws->head[r] = NO_MEMBER;
    ws->roots[r] = CET_SC_NIL;
    (*nfronts)++;
  }
  switch (s->m) {
  case 2:
    ws->last[r] = p[1];
    break;
  case 3: {
    uint32_t removed, pred, succ;
    cet_staircase_insert(&ws->sc, &ws->roots[r], p[1], p[2], &removed, &pred, &succ);
    break;
  }
  default:
    ws->next[k] = ws->head[r];
    ws->head[r] = k;
    break;
  }
}

void cet_pareto_rank_rows(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *subset,
                          size_t count, int first_only, size_t *rank, size_t *nfronts) {
  const sorter s = {ws, f, m, subset};
  const cet_rows rows = {f, m, subset, 0};
  size_t *idx = ws->idx;
  for (size_t k = 0; k < count; k++) {
    idx[k] = k;
  }
  cet_sortidx_lex(idx, count, ws->tmp, &rows);
  ws->sc.used = 0;

  size_t fronts = 0, dominated = 0;
  const double *prev = NULL;
  size_t prev_rank = 0;
  for (size_t t = 0; t < count; t++) {
    size_t k = idx[t];
    size_t i = subset ? subset[k] : k;
    const double *p = point(&s, k);
    if (prev && rows_equal(p, prev, m)) {
      rank[i] = prev_rank; /* identical points share a front */
      continue;
    }
    size_t r;
    if (first_only) {
      r = (fronts > 0 && front_dominates(&s, 0, p)) ? 1 : 0;
      if (r == 0) {
        front_add(&s, 0, &fronts, k, p);
      } else {
        dominated = 1;
      }
    } else {
      size_t lo = 0, hi = fronts; /* fronts lo.. do not dominate p */
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (front_dominates(&s, mid, p)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      r = lo;
      front_add(&s, r, &fronts, k, p);
    }
    rank[i] = r;
    prev = p;
    prev_rank = r;
  }
  *nfronts = fronts + dominated;
}

void cet_pareto_filter_unique(cet_pareto_workspace *ws, const double *f, size_t n, size_t m,
                              size_t *index, size_t *count) {
  size_t nfronts;
  size_t *mark = ws->mark;
  cet_pareto_rank_rows(ws, f, m, NULL, n, 1, mark, &nfronts);
  /* ws->idx still holds the lexicographic order: keep the first copy */
  for (size_t t = 1; t < n; t++) {
    size_t a = ws->idx[t - 1], b = ws->idx[t];
    if (mark[b] == 0 && rows_equal(f + a * m, f + b * m, m)) {
      mark[b] = 1;
    }
  }
  size_t c = 0;
  for (size_t i = 0; i < n; i++) {
    if (mark[i] == 0) {
      index[c++] = i;
    }
  }
  *count = c;
}

int cet_pareto_filter(cet_pareto_workspace *ws, const double *f, size_t n, size_t m, size_t *index,
                      size_t *count) {
  CET_CHECK(count != NULL, CET_ERR_INPUT, "expected a place for the count, found NULL");
  CET_CHECK(index != NULL || n == 0, CET_ERR_INPUT, "expected room for %zu indices, found NULL", n);
  CET_CALL(check_points(f, n, m));
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, n));
  size_t nfronts, c = 0;
  cet_pareto_rank_rows(ws, f, m, NULL, n, 1, ws->mark, &nfronts);
  for (size_t i = 0; i < n; i++) {
    if (ws->mark[i] == 0) {
      index[c++] = i;
    }
  }
  *count = c;
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

static int check_violations(const double *cv, size_t n) {
  if (!cv) {
    return CET_OK;
  }
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(cv[i] >= 0, CET_ERR_INPUT,
              "constraint violation of point %zu must be >= 0 (0 = feasible), found %g", i, cv[i]);
  }
  return CET_OK;
}

/* The sort proper, on a reserved workspace and checked inputs. */
static void sort_constrained(cet_pareto_workspace *ws, const double *f, const double *cv, size_t n,
                             size_t m, size_t *rank, size_t *nfronts) {
  if (!cv) {
    cet_pareto_rank_rows(ws, f, m, NULL, n, 0, rank, nfronts);
    return;
  }
  size_t nf = 0;
  for (size_t i = 0; i < n; i++) {
    if (cv[i] == 0) {
      ws->sub[nf++] = i;
    }
  }
  size_t fronts = 0;
  cet_pareto_rank_rows(ws, f, m, ws->sub, nf, 0, rank, &fronts);
  size_t ni = 0;
  for (size_t i = 0; i < n; i++) {
    if (cv[i] > 0) {
      ws->sub[ni++] = i;
    }
  }
  cet_sortidx(ws->sub, ni, ws->tmp, cet_doubles_less, cv);
  for (size_t t = 0; t < ni; t++) {
    if (t == 0 || cv[ws->sub[t]] != cv[ws->sub[t - 1]]) {
      fronts++;
    }
    rank[ws->sub[t]] = fronts - 1;
  }
  *nfronts = fronts;
}

int cet_pareto_sort(cet_pareto_workspace *ws, const double *f, const double *cv, size_t n, size_t m,
                    size_t *rank, size_t *nfronts) {
  CET_CHECK(rank != NULL || n == 0, CET_ERR_INPUT, "expected room for %zu ranks, found NULL", n);
  CET_CALL(check_points(f, n, m));
  CET_CALL(check_violations(cv, n));
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, n));
  size_t fronts;
  sort_constrained(ws, f, cv, n, m, rank, &fronts);
  if (nfronts) {
    *nfronts = fronts;
  }
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

/* ---- crowding distance -------------------------------------------------- */

/* ws->idx[0..count) = positions of members ordered by objective j (ties by
 * position). */
static void sort_by_objective(cet_pareto_workspace *ws, const double *f, size_t m,
                              const size_t *members, size_t count, size_t j) {
  cet_keyed *key = ws->key;
  for (size_t k = 0; k < count; k++) {
    key[k].key = f[members[k] * m + j];
    key[k].idx = k;
  }
  cet_sort_keyed(key, count, ws->key_tmp);
  for (size_t k = 0; k < count; k++) {
    ws->idx[k] = key[k].idx;
  }
}

/* Crowding of members[0..count) into distance; uses ws->idx and the keys. */
static void crowding(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                     size_t count, double *distance) {
  for (size_t k = 0; k < count; k++) {
    distance[k] = count <= 2 ? INFINITY : 0.0;
  }
  if (count <= 2) {
    return;
  }
  size_t *idx = ws->idx;
  for (size_t j = 0; j < m; j++) {
    sort_by_objective(ws, f, m, members, count, j);
    double lo = f[members[idx[0]] * m + j], hi = f[members[idx[count - 1]] * m + j];
    double range = hi - lo;
    if (!(range > 0)) {
      continue; /* every member has the same value: no information */
    }
    distance[idx[0]] = INFINITY;
    distance[idx[count - 1]] = INFINITY;
    if (!isfinite(range)) {
      continue;
    }
    for (size_t t = 1; t + 1 < count; t++) {
      double gap = f[members[idx[t + 1]] * m + j] - f[members[idx[t - 1]] * m + j];
      distance[idx[t]] += gap / range;
    }
  }
}

int cet_pareto_crowding(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                        size_t count, double *distance) {
  CET_CHECK(m > 0, CET_ERR_INPUT, "expected at least one objective, found m = 0");
  if (count == 0) {
    return CET_OK;
  }
  CET_CHECK(f != NULL && members != NULL && distance != NULL, CET_ERR_INPUT,
            "expected objectives, members and distances for %zu points, found NULL", count);
  for (size_t k = 0; k < count; k++) {
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(!isnan(f[members[k] * m + j]), CET_ERR_INPUT, "objective %zu of point %zu is NaN",
                j, members[k]);
    }
  }
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, count));
  crowding(ws, f, m, members, count, distance);
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

/* ---- iterative crowding truncation -------------------------------------- */

typedef struct {
  const double *f;
  size_t m, count;
  const size_t *members;
  size_t *prev, *next; /* count x m: neighbours per objective, NO_MEMBER at the ends */
  const double *range; /* m */
  double *dist;
  size_t *heap, *where, size;
} pruner;

static double value(const pruner *p, size_t k, size_t j) { return p->f[p->members[k] * p->m + j]; }

/* Crowding distance of position k among the points still linked. */
static double linked_distance(const pruner *p, size_t k) {
  double d = 0;
  for (size_t j = 0; j < p->m; j++) {
    if (!(p->range[j] > 0)) {
      continue;
    }
    size_t a = p->prev[k * p->m + j], b = p->next[k * p->m + j];
    if (a == NO_MEMBER || b == NO_MEMBER) {
      return INFINITY;
    }
    if (isfinite(p->range[j])) {
      d += (value(p, b, j) - value(p, a, j)) / p->range[j];
    }
  }
  return d;
}

/* Heap order: smaller distance first; equal distances: later position. */
static int heap_before(const pruner *p, size_t a, size_t b) {
  if (p->dist[a] != p->dist[b]) {
    return p->dist[a] < p->dist[b];
  }
  return a > b;
}

static void heap_swap(pruner *p, size_t i, size_t j) {
  size_t t = p->heap[i];
  p->heap[i] = p->heap[j];
  p->heap[j] = t;
  p->where[p->heap[i]] = i;
  p->where[p->heap[j]] = j;
}

static void sift_down(pruner *p, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, best = i;
    if (l < p->size && heap_before(p, p->heap[l], p->heap[best])) {
      best = l;
    }
    if (r < p->size && heap_before(p, p->heap[r], p->heap[best])) {
      best = r;
    }
    if (best == i) {
      return;
    }
    heap_swap(p, i, best);
    i = best;
  }
}

/* Restores the heap after the key at heap place i changed. */
static void heap_fix(pruner *p, size_t i) {
  while (i > 0 && heap_before(p, p->heap[i], p->heap[(i - 1) / 2])) {
    heap_swap(p, i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
  sift_down(p, i);
}

/* Room for pruning count points of m objectives; grows only. */
static int prune_reserve(cet_pareto_workspace *ws, size_t count, size_t m) {
  size_t links = count * m;
  if (links > ws->cap_links) {
    CET_CALL(cet_array_grow(&ws->prev, NULL, links, sizeof *ws->prev));
    CET_CALL(cet_array_grow(&ws->nbr_next, NULL, links, sizeof *ws->nbr_next));
    ws->cap_links = links;
  }
  if (count > ws->cap_heap) {
    CET_CALL(cet_array_grow(&ws->heap, NULL, count, sizeof *ws->heap));
    CET_CALL(cet_array_grow(&ws->where, NULL, count, sizeof *ws->where));
    CET_CALL(cet_array_grow(&ws->dist, NULL, count, sizeof *ws->dist));
    ws->cap_heap = count;
  }
  if (m > ws->cap_m) {
    CET_CALL(cet_array_grow(&ws->range, NULL, m, sizeof *ws->range));
    ws->cap_m = m;
  }
  return CET_OK;
}

/* The pruning proper on reserved memory. */
static void prune(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                  size_t count, size_t keep, size_t *kept) {
  double *range = ws->range;
  pruner p = {f,     m,        count,    members,   ws->prev, ws->nbr_next,
              range, ws->dist, ws->heap, ws->where, count};
  size_t *idx = ws->idx;
  for (size_t j = 0; j < m; j++) {
    sort_by_objective(ws, f, m, members, count, j);
    range[j] = value(&p, idx[count - 1], j) - value(&p, idx[0], j);
    for (size_t t = 0; t < count; t++) {
      p.prev[idx[t] * m + j] = t > 0 ? idx[t - 1] : NO_MEMBER;
      p.next[idx[t] * m + j] = t + 1 < count ? idx[t + 1] : NO_MEMBER;
    }
  }
  for (size_t k = 0; k < count; k++) {
    p.dist[k] = linked_distance(&p, k);
    p.heap[k] = k;
    p.where[k] = k;
  }
  for (size_t i = count / 2 + 1; i-- > 0;) {
    sift_down(&p, i);
  }
  while (p.size > keep) {
    size_t k = p.heap[0];
    p.where[k] = NO_MEMBER;
    p.size--;
    if (p.size > 0) {
      p.heap[0] = p.heap[p.size];
      p.where[p.heap[0]] = 0;
      sift_down(&p, 0);
    }
    for (size_t j = 0; j < m; j++) {
      size_t a = p.prev[k * m + j], b = p.next[k * m + j];
      if (a != NO_MEMBER) {
        p.next[a * m + j] = b;
      }
      if (b != NO_MEMBER) {
        p.prev[b * m + j] = a;
      }
    }
    for (size_t j = 0; j < m; j++) {
      size_t nb[2] = {p.prev[k * m + j], p.next[k * m + j]};
      for (int s = 0; s < 2; s++) {
        if (nb[s] != NO_MEMBER && p.where[nb[s]] != NO_MEMBER) {
          p.dist[nb[s]] = linked_distance(&p, nb[s]);
          heap_fix(&p, p.where[nb[s]]);
        }
      }
    }
  }
  size_t c = 0;
  for (size_t k = 0; k < count; k++) {
    if (p.where[k] != NO_MEMBER) {
      kept[c++] = k;
    }
  }
}

int cet_pareto_prune(cet_pareto_workspace *ws, const double *f, size_t m, const size_t *members,
                     size_t count, size_t keep, size_t *kept) {
  CET_CHECK(m > 0, CET_ERR_INPUT, "expected at least one objective, found m = 0");
  if (count == 0 || keep == 0) {
    return CET_OK;
  }
  CET_CHECK(f != NULL && members != NULL && kept != NULL, CET_ERR_INPUT,
            "expected objectives, members and room for the survivors, found NULL");
  for (size_t k = 0; k < count; k++) {
    for (size_t j = 0; j < m; j++) {
      CET_CHECK(!isnan(f[members[k] * m + j]), CET_ERR_INPUT, "objective %zu of point %zu is NaN",
                j, members[k]);
    }
  }
  if (keep >= count) {
    for (size_t k = 0; k < count; k++) {
      kept[k] = k;
    }
    return CET_OK;
  }
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, count));
  CET_CALL_GOTO(status, done, prune_reserve(ws, count, m));
  prune(ws, f, m, members, count, keep, kept);
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

int cet_pareto_rank_crowding(cet_pareto_workspace *ws, const double *f, const double *cv, size_t n,
                             size_t m, size_t *rank, double *crowd, size_t *nfronts) {
  CET_CHECK((rank != NULL && crowd != NULL) || n == 0, CET_ERR_INPUT,
            "expected room for %zu ranks and crowding distances, found NULL", n);
  CET_CALL(check_points(f, n, m));
  CET_CALL(check_violations(cv, n));
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, n));
  size_t fronts = 0;
  sort_constrained(ws, f, cv, n, m, rank, &fronts);
  /* bucket the points by front (counting sort, stable in index) */
  size_t *offset = ws->offset, *members = ws->sub;
  memset(offset, 0, (fronts + 1) * sizeof *offset);
  for (size_t i = 0; i < n; i++) {
    offset[rank[i] + 1]++;
  }
  for (size_t r = 0; r < fronts; r++) {
    offset[r + 1] += offset[r];
  }
  for (size_t i = 0; i < n; i++) {
    members[offset[rank[i]]++] = i;
  }
  for (size_t r = fronts; r > 0; r--) {
    offset[r] = offset[r - 1];
  }
  offset[0] = 0;
  double *d = ws->last; /* free after the sort */
  for (size_t r = 0; r < fronts; r++) {
    size_t c = offset[r + 1] - offset[r];
    crowding(ws, f, m, members + offset[r], c, d);
    for (size_t k = 0; k < c; k++) {
      crowd[members[offset[r] + k]] = d[k];
    }
  }
  if (nfronts) {
    *nfronts = fronts;
  }
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

/* ---- crowded-comparison order ------------------------------------------- */

typedef struct {
  const size_t *rank;
  const double *crowding;
} order_ctx;

static int crowded_less(const void *ctx, size_t a, size_t b) {
  const order_ctx *c = ctx;
  if (c->rank[a] != c->rank[b]) {
    return c->rank[a] < c->rank[b];
  }
  return c->crowding && c->crowding[a] > c->crowding[b];
}

int cet_pareto_order(cet_pareto_workspace *ws, const size_t *rank, const double *crowd, size_t n,
                     size_t *order) {
  if (n == 0) {
    return CET_OK;
  }
  CET_CHECK(rank != NULL && order != NULL, CET_ERR_INPUT,
            "expected ranks and room for %zu indices, found NULL", n);
  if (crowd) {
    for (size_t i = 0; i < n; i++) {
      CET_CHECK(!isnan(crowd[i]), CET_ERR_INPUT, "crowding distance of point %zu is NaN", i);
    }
  }
  cet_pareto_workspace *own = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, begin(&ws, &own, n));
  const order_ctx c = {rank, crowd};
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
  }
  cet_sortidx(order, n, ws->tmp, crowded_less, &c);
done:
  cet_pareto_workspace_destroy(&own);
  return status;
}

/* ---- utopia and nadir --------------------------------------------------- */

int cet_pareto_bounds(const double *f, size_t n, size_t m, double *utopia, double *nadir) {
  CET_CHECK(n > 0, CET_ERR_INPUT, "expected at least one point for utopia/nadir, found none");
  CET_CALL(check_points(f, n, m));
  for (size_t j = 0; j < m; j++) {
    double lo = f[j], hi = f[j];
    for (size_t i = 1; i < n; i++) {
      double v = f[i * m + j];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    if (utopia) {
      utopia[j] = lo;
    }
    if (nadir) {
      nadir[j] = hi;
    }
  }
  return CET_OK;
}
