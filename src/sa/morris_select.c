/*
 * cet_morris_select.c — the choice of r Morris trajectories of M candidates
 * that maximises their spread (Campolongo et al. 2007; see morris.h):
 * pairwise distances, exhaustive search over small numbers of
 * combinations, a greedy start improved by exchanges otherwise.
 */
#include "morris_impl.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exchanges per chosen trajectory before a local search stops regardless;
 * the work (m r per start) allowed for the greedy starts; and the relative
 * gain below which a swap does not count (rounding). */
enum { SWAPS_PER_CHOSEN = 10 };
static const double START_BUDGET = 1e8;
static const double GAIN_TOLERANCE = 1e-12;

double cet_morris_distance(const double *a, const double *b, size_t n, size_t k) {
  double d = 0.0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) {
      double sq = 0.0;
      for (size_t f = 0; f < k; f++) {
        double diff = a[i * k + f] - b[j * k + f];
        sq += diff * diff;
      }
      d += sqrt(sq);
    }
  }
  return d;
}

/* 1 when C(m, r) <= limit. */
static int few_combinations(size_t m, size_t r, uint64_t limit) {
  double c = 1.0;
  for (size_t i = 1; i <= r; i++) {
    c = c * (double)(m - r + i) / (double)i;
    if (c > (double)limit) {
      return 0;
    }
  }
  return 1;
}

typedef struct {
  const double *d2; /* m x m squared distances */
  size_t m, r;
  size_t *current, *best;
  double best_value;
} search_state;

/* Every combination extending current[0 .. depth-1] (value `partial`) with
 * candidates from `next` on, in lexicographic order; the first best is
 * kept. */
static void search(search_state *s, size_t depth, size_t next, double partial) {
  if (depth == s->r) {
    if (partial > s->best_value) {
      s->best_value = partial;
      memcpy(s->best, s->current, s->r * sizeof *s->best);
    }
    return;
  }
  for (size_t u = next; u + (s->r - depth) <= s->m; u++) {
    double add = 0.0;
    for (size_t j = 0; j < depth; j++) {
      add += s->d2[u * s->m + s->current[j]];
    }
    s->current[depth] = u;
    search(s, depth + 1, u + 1, partial + add);
  }
}

/* A candidate and the sum of its squared distances to all others. */
typedef struct {
  double total;
  size_t index;
} ranked;

/* Larger totals first, then lower indices. */
static int by_total(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->total != y->total) {
    return x->total > y->total ? -1 : 1;
  }
  return (x->index > y->index) - (x->index < y->index);
}

/* Adds candidate u to the chosen: in[u] = 1, gain[v] += d2(v, u). */
static void choose(const double *d2, size_t m, size_t u, unsigned char *in, double *gain) {
  in[u] = 1;
  for (size_t v = 0; v < m; v++) {
    gain[v] += d2[v * m + u];
  }
}

/* A greedy start from candidate `first`: each time the unchosen candidate
 * adding most (the lowest index on ties); in[] marks the chosen, gain[u] =
 * sum of d2 from u to the chosen. */
static void greedy(const double *d2, size_t m, size_t r, size_t first, unsigned char *in,
                   double *gain) {
  memset(in, 0, m);
  memset(gain, 0, m * sizeof *gain);
  choose(d2, m, first, in, gain);
  for (size_t n = 1; n < r; n++) {
    size_t u = m;
    for (size_t v = 0; v < m; v++) {
      if (!in[v] && (u == m || gain[v] > gain[u])) {
        u = v;
      }
    }
    choose(d2, m, u, in, gain);
  }
}

/* The backward start: all candidates, then each time the one contributing
 * least removed (the lowest index on ties) until r remain. */
static void backward(const double *d2, size_t m, size_t r, unsigned char *in, double *gain) {
  memset(in, 1, m);
  for (size_t v = 0; v < m; v++) {
    gain[v] = 0.0;
    for (size_t u = 0; u < m; u++) {
      gain[v] += d2[v * m + u];
    }
  }
  for (size_t n = m; n > r; n--) {
    size_t u = m;
    for (size_t v = 0; v < m; v++) {
      if (in[v] && (u == m || gain[v] < gain[u])) {
        u = v;
      }
    }
    in[u] = 0;
    for (size_t v = 0; v < m; v++) {
      gain[v] -= d2[v * m + u];
    }
  }
}

/* Exchanges improving the sum of squared distances, best swap first. */
static void exchange(const double *d2, size_t m, size_t r, unsigned char *in, double *gain) {
  double value = 0.0;
  for (size_t u = 0; u < m; u++) {
    value += in[u] ? 0.5 * gain[u] : 0.0;
  }
  for (size_t swaps = 0; swaps < SWAPS_PER_CHOSEN * r; swaps++) {
    size_t out = m, into = m;
    double best = GAIN_TOLERANCE * value;
    for (size_t s = 0; s < m; s++) {
      for (size_t u = 0; in[s] && u < m; u++) {
        double delta = in[u] ? -INFINITY : gain[u] - d2[u * m + s] - gain[s];
        if (delta > best) {
          best = delta;
          out = s;
          into = u;
        }
      }
    }
    if (out == m) {
      return;
    }
    in[out] = 0;
    in[into] = 1;
    value += best;
    for (size_t v = 0; v < m; v++) {
      gain[v] += d2[v * m + into] - d2[v * m + out];
    }
  }
}

int cet_morris_select(const double *x, size_t m, size_t n, size_t k, size_t r, uint64_t limit,
                      size_t *chosen, double *spread) {
  double *d2 = malloc(m * m * sizeof *d2);
  CET_CHECK(d2, CET_ERR_MEMORY, "out of memory in %s (the distances of %zu candidates)", __func__,
            m);
  for (size_t i = 0; i < m; i++) {
    d2[i * m + i] = 0.0;
    for (size_t j = i + 1; j < m; j++) {
      double d = cet_morris_distance(x + i * n * k, x + j * n * k, n, k);
      d2[i * m + j] = d2[j * m + i] = d * d;
    }
  }
  int status = CET_OK;
  size_t *current = malloc(r * sizeof *current);
  unsigned char *in = malloc(m);
  double *gain = malloc(m * sizeof *gain);
  CET_CHECK_ALLOC_GOTO(status, done, current && in && gain);
  double value = 0.0;
  if (few_combinations(m, r, limit)) {
    search_state s = {d2, m, r, current, chosen, -1.0};
    search(&s, 0, 0, 0.0);
    value = s.best_value;
  } else {
    value = -1.0;
    size_t starts = (size_t)fmin((double)m, fmax(1.0, START_BUDGET / ((double)m * (double)r)));
    ranked *rank = malloc(m * sizeof *rank);
    CET_CHECK_ALLOC_GOTO(status, done, rank);
    for (size_t u = 0; u < m; u++) {
      rank[u] = (ranked){0.0, u};
      for (size_t v = 0; v < m; v++) {
        rank[u].total += d2[u * m + v];
      }
    }
    qsort(rank, m, sizeof *rank, by_total);
    for (size_t start = 0; start <= starts; start++) {
      if (start == 0) {
        backward(d2, m, r, in, gain);
      } else {
        greedy(d2, m, r, rank[start - 1].index, in, gain);
      }
      exchange(d2, m, r, in, gain);
      double v = 0.0;
      for (size_t u = 0, t = 0; u < m; u++) {
        if (in[u]) {
          current[t++] = u;
        }
      }
      for (size_t i = 0; i < r; i++) {
        for (size_t j = i + 1; j < r; j++) {
          v += d2[current[i] * m + current[j]];
        }
      }
      if (v > value) {
        value = v;
        memcpy(chosen, current, r * sizeof *chosen);
      }
    }
    free(rank);
  }
  *spread = sqrt(value);
done:
  free(d2);
  free(current);
  free(in);
  free(gain);
  return status;
}
