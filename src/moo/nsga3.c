/*
 * nsga3.c — NSGA-III's environmental selection: reference points,
 * normalisation (ideal point, extreme points, intercepts and their
 * fallback), association with reference lines, and niching (nsga3.h).
 */
#include "cetwin/nsga3.h"

#include "cetwin/error.h"
#include "cetwin/refpoints.h"
#include "cetwin/dense_lu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cet_nsga3_workspace {
  size_t m, H, cap;
  double *z;      /* H x m reference points */
  double *znorm2; /* H: |w|^2 */
  /* per individual (cap) */
  double *fs, *fn, *distance;
  size_t *niche, *row, *count;
  unsigned char *front0, *chosen;
  /* per reference point (H) */
  size_t *rho, *pick;
  unsigned char *in_play;
  /* per axis (m): the row of its extreme point */
  size_t *extreme;
  /* normalisation (m, m x m) */
  double *ideal, *intercept, *e, *b;
};

void cet_nsga3_workspace_destroy(cet_nsga3_workspace **ws) {
  if (!ws || !*ws) {
    return;
  }
  cet_nsga3_workspace *w = *ws;
  free(w->z);
  free(w->znorm2);
  free(w->fs);
  free(w->fn);
  free(w->distance);
  free(w->niche);
  free(w->row);
  free(w->count);
  free(w->front0);
  free(w->chosen);
  free(w->rho);
  free(w->pick);
  free(w->in_play);
  free(w->extreme);
  free(w->ideal);
  free(w->intercept);
  free(w->e);
  free(w->b);
  free(w);
  *ws = NULL;
}

int cet_nsga3_workspace_create(size_t m, size_t outer, size_t inner, size_t capacity,
                               cet_nsga3_workspace **ws) {
  CET_CHECK(ws != NULL, CET_ERR_INPUT, "expected a place for the workspace, found NULL");
  *ws = NULL;
  CET_CHECK(capacity >= 1, CET_ERR_INPUT, "expected room for at least one individual, found 0");
  size_t H = 0;
  CET_CALL(cet_refpoints_layers_count(m, outer, inner, &H));
  cet_nsga3_workspace *w = calloc(1, sizeof *w);
  CET_CHECK_ALLOC(w);
  w->m = m;
  w->H = H;
  w->cap = capacity;
  w->z = malloc(H * m * sizeof *w->z);
  w->znorm2 = malloc(H * sizeof *w->znorm2);
  w->fs = malloc(capacity * m * sizeof *w->fs);
  w->fn = malloc(capacity * m * sizeof *w->fn);
  w->distance = malloc(capacity * sizeof *w->distance);
  w->niche = malloc(capacity * sizeof *w->niche);
  w->row = malloc(capacity * sizeof *w->row);
  w->count = malloc(capacity * sizeof *w->count);
  w->front0 = malloc(capacity);
  w->chosen = malloc(capacity);
  w->rho = malloc(H * sizeof *w->rho);
  w->pick = malloc(H * sizeof *w->pick);
  w->in_play = malloc(H);
  w->extreme = malloc(m * sizeof *w->extreme);
  w->ideal = malloc(m * sizeof *w->ideal);
  w->intercept = malloc(m * sizeof *w->intercept);
  w->e = malloc(m * m * sizeof *w->e);
  w->b = malloc(m * sizeof *w->b);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail,
                       w->z && w->znorm2 && w->fs && w->fn && w->distance && w->niche && w->row &&
                           w->count && w->front0 && w->chosen && w->rho && w->pick && w->in_play &&
                           w->extreme && w->ideal && w->intercept && w->e && w->b);
  CET_CALL_GOTO(status, fail, cet_refpoints_fill(m, outer, inner, w->z));
  for (size_t j = 0; j < H; j++) {
    double s = 0;
    for (size_t k = 0; k < m; k++) {
      s += w->z[j * m + k] * w->z[j * m + k];
    }
    w->znorm2[j] = s;
  }
  *ws = w;
  return CET_OK;
fail:
  cet_nsga3_workspace_destroy(&w);
  return status;
}

const double *cet_nsga3_reference_points(const cet_nsga3_workspace *ws, size_t *count) {
  if (count) {
    *count = ws ? ws->H : 0;
  }
  return ws ? ws->z : NULL;
}

/* The row of ft (translated objectives, n x m) minimising the achievement
 * scalarising function of axis j, off-axis values up to
 * CET_NSGA3_ASF_ZERO times the row's f'_j counting as 0; ties to the
 * earlier row. */
static size_t extreme_point(const double *ft, size_t n, size_t m, size_t j) {
  size_t best = 0;
  double least = INFINITY;
  for (size_t i = 0; i < n; i++) {
    double asf = -INFINITY;
    for (size_t k = 0; k < m; k++) {
      double v = ft[i * m + k];
      if (k != j) {
        v = v > CET_NSGA3_ASF_ZERO * ft[i * m + j] ? v / CET_NSGA3_ASF_WEIGHT : 0;
      }
      asf = v > asf ? v : asf;
    }
    if (asf < least) {
      least = asf;
      best = i;
    }
  }
  return best;
}

/* Intercepts of the hyperplane through the extreme points of the
 * translated objectives ft (n x m) into w->intercept; 0 when the extreme
 * points span no hyperplane or an intercept is unusable. */
static int hyperplane(cet_nsga3_workspace *w, const double *ft, size_t n) {
  size_t m = w->m;
  double scale = 0;
  for (size_t j = 0; j < m; j++) {
    size_t i = extreme_point(ft, n, m, j);
    w->extreme[j] = i;
    memcpy(w->e + j * m, ft + i * m, m * sizeof *w->e);
    w->b[j] = 1;
  }
  for (size_t k = 0; k < m * m; k++) {
    scale = fabs(w->e[k]) > scale ? fabs(w->e[k]) : scale;
  }
  double pivot = 0;
  if (!(scale > CET_NSGA3_EPSILON) || !isfinite(scale) ||
      cet_dense_lu_solve(m, w->e, w->b, CET_NSGA3_EPSILON * scale, &pivot) != 0) {
    return 0;
  }
  for (size_t j = 0; j < m; j++) {
    double a = 1 / w->b[j];
    if (!isfinite(a) || !(a > CET_NSGA3_EPSILON)) {
      return 0;
    }
    w->intercept[j] = a;
  }
  return 1;
}

/* The fallback intercepts: per axis the largest translated value over the
 * first front, else over all, else 1. */
static void worst_intercepts(cet_nsga3_workspace *w, const double *ft, size_t n,
                             const unsigned char *front0) {
  size_t m = w->m;
  for (size_t j = 0; j < m; j++) {
    double front = 0, all = 0;
    for (size_t i = 0; i < n; i++) {
      double v = ft[i * m + j];
      all = v > all ? v : all;
      if (!front0 || front0[i]) {
        front = v > front ? v : front;
      }
    }
    w->intercept[j] = front > CET_NSGA3_EPSILON ? front : all > CET_NSGA3_EPSILON ? all : 1;
  }
}

int cet_nsga3_normalize(cet_nsga3_workspace *ws, const double *f, size_t n,
                        const unsigned char *front0, double *ideal, double *intercept, double *fn,
                        int *fallback) {
  CET_CHECK(ws != NULL && f != NULL && ideal != NULL && intercept != NULL && fn != NULL,
            CET_ERR_INPUT, "expected a workspace, objectives and room for the normalisation");
  CET_CHECK(n >= 1 && n <= ws->cap, CET_ERR_INPUT,
            "expected between 1 and %zu individuals to normalise, found %zu", ws->cap, n);
  size_t m = ws->m;
  for (size_t j = 0; j < m; j++) {
    double z = INFINITY;
    for (size_t i = 0; i < n; i++) {
      z = f[i * m + j] < z ? f[i * m + j] : z;
    }
    ideal[j] = z;
  }
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++) {
      fn[i * m + j] = f[i * m + j] - ideal[j];
    }
  }
  int degenerate = !hyperplane(ws, fn, n);
  if (degenerate) {
    worst_intercepts(ws, fn, n, front0);
  }
  for (size_t j = 0; j < m; j++) {
    intercept[j] = ws->intercept[j];
  }
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++) {
      fn[i * m + j] /= intercept[j];
    }
  }
  if (fallback) {
    *fallback = degenerate;
  }
  return CET_OK;
}

int cet_nsga3_associate(const cet_nsga3_workspace *ws, const double *fn, size_t n, size_t *niche,
                        double *distance) {
  CET_CHECK(ws != NULL && (fn != NULL || n == 0) && niche != NULL && distance != NULL,
            CET_ERR_INPUT, "expected a workspace, normalised objectives and room for the niches");
  CET_CHECK(n <= ws->cap, CET_ERR_INPUT, "expected at most %zu individuals, found %zu", ws->cap, n);
  size_t m = ws->m;
  for (size_t i = 0; i < n; i++) {
    const double *p = fn + i * m;
    double p2 = 0;
    for (size_t k = 0; k < m; k++) {
      p2 += p[k] * p[k];
    }
    size_t best = 0;
    double least = INFINITY;
    for (size_t j = 0; j < ws->H; j++) {
      const double *w = ws->z + j * m;
      double dot = 0;
      for (size_t k = 0; k < m; k++) {
        dot += w[k] * p[k];
      }
      double d2 = p2 - dot * dot / ws->znorm2[j];
      if (d2 < least) {
        least = d2;
        best = j;
      }
    }
    niche[i] = best;
    distance[i] = least > 0 ? sqrt(least) : 0;
  }
  return CET_OK;
}

/* Step 6: picks `need` members of the last front (rows ws->row[first ..
 * nS) of the compacted set, niches and distances computed) into keep. */
static void niching(cet_nsga3_workspace *w, size_t first, size_t nS, size_t need, gsl_rng *r,
                    size_t *keep) {
  memset(w->in_play, 1, w->H);
  while (need > 0) {
    size_t least = (size_t)-1, c = 0;
    for (size_t j = 0; j < w->H; j++) {
      if (w->in_play[j] && w->rho[j] < least) {
        least = w->rho[j];
      }
    }
    for (size_t j = 0; j < w->H; j++) {
      if (w->in_play[j] && w->rho[j] == least) {
        w->pick[c++] = j;
      }
    }
    size_t j = w->pick[gsl_rng_uniform_int(r, (unsigned long)c)];
    size_t members = 0, nearest = nS;
    for (size_t s = first; s < nS; s++) {
      if (!w->chosen[s] && w->niche[s] == j) {
        members++;
        if (nearest == nS || w->distance[s] < w->distance[nearest]) {
          nearest = s;
        }
      }
    }
    if (members == 0) {
      w->in_play[j] = 0;
      continue;
    }
    size_t s = nearest;
    if (w->rho[j] > 0) {
      size_t t = (size_t)gsl_rng_uniform_int(r, (unsigned long)members);
      for (s = first; s < nS; s++) {
        if (!w->chosen[s] && w->niche[s] == j && t-- == 0) {
          break;
        }
      }
    }
    w->chosen[s] = 1;
    keep[w->row[s]] = 1;
    w->rho[j]++;
    need--;
  }
}

int cet_nsga3_select(cet_nsga3_workspace *ws, const double *f, const double *cv, const size_t *rank,
                     size_t n, size_t survivors, gsl_rng *r, size_t *keep) {
  CET_CHECK(ws != NULL && f != NULL && rank != NULL && r != NULL && keep != NULL, CET_ERR_INPUT,
            "expected a workspace, objectives, ranks, a generator and room for the choice");
  CET_CHECK(n <= ws->cap, CET_ERR_INPUT, "expected at most %zu individuals, found %zu", ws->cap, n);
  CET_CHECK(survivors <= n, CET_ERR_INPUT, "cannot keep %zu of %zu individuals", survivors, n);
  size_t m = ws->m, *count = ws->count;
  memset(keep, 0, n * sizeof *keep);
  memset(count, 0, n * sizeof *count);
  for (size_t i = 0; i < n; i++) {
    CET_CHECK(rank[i] < n, CET_ERR_INPUT, "rank %zu of individual %zu is not below %zu", rank[i], i,
              n);
    count[rank[i]]++;
  }
  size_t taken = 0, last = 0;
  while (last < n && taken + count[last] <= survivors) {
    taken += count[last++];
  }
  /* fronts below `last` survive whole; front `last` (if any) overflows */
  size_t nS = 0;
  for (size_t i = 0; i < n; i++) {
    if (rank[i] < last) {
      keep[i] = 1;
      ws->row[nS++] = i;
    }
  }
  if (taken == survivors) {
    return CET_OK;
  }
  size_t first = nS, need = survivors - taken;
  for (size_t i = 0; i < n; i++) {
    if (rank[i] == last) {
      ws->row[nS++] = i;
    }
  }
  if (cv && cv[ws->row[first]] > 0) {
    for (size_t s = first; s < first + need; s++) {
      keep[ws->row[s]] = 1; /* equal violation: the earliest rows */
    }
    return CET_OK;
  }
  for (size_t s = 0; s < nS; s++) {
    memcpy(ws->fs + s * m, f + ws->row[s] * m, m * sizeof *ws->fs);
    ws->front0[s] = rank[ws->row[s]] == 0;
  }
  CET_CALL(cet_nsga3_normalize(ws, ws->fs, nS, ws->front0, ws->ideal, ws->intercept, ws->fn, NULL));
  CET_CALL(cet_nsga3_associate(ws, ws->fn, nS, ws->niche, ws->distance));
  memset(ws->rho, 0, ws->H * sizeof *ws->rho);
  for (size_t s = 0; s < first; s++) {
    ws->rho[ws->niche[s]]++;
  }
  /* the extreme points of front l survive before niching */
  memset(ws->chosen, 0, nS);
  for (size_t j = 0; j < m && need > 0; j++) {
    size_t s = ws->extreme[j];
    if (s >= first && !ws->chosen[s]) {
      ws->chosen[s] = 1;
      keep[ws->row[s]] = 1;
      ws->rho[ws->niche[s]]++;
      need--;
    }
  }
  niching(ws, first, nS, need, r, keep);
  return CET_OK;
}
