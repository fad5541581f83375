/*
 * refpoints.c — Das–Dennis reference points in one or two layers, their
 * counts, and the automatic choice of divisions (see refpoints.h).
 */
#include "cetwin/refpoints.h"

#include "cetwin/error.h"

#include <stdint.h>
#include <stdlib.h>

size_t cet_refpoints_size(size_t m, size_t p) {
  if (m == 0 || p == 0) {
    return 0;
  }
  size_t k = p < m - 1 ? p : m - 1, c = 1;
  for (size_t i = 1; i <= k; i++) {
    size_t top = m + p - k - 1 + i; /* c * top / i stays integral */
    if (c > SIZE_MAX / top) {
      return SIZE_MAX;
    }
    c = c * top / i;
  }
  return c;
}

/* Checks one layer of p divisions and counts its points into *count. */
static int layer_count(size_t m, size_t p, const char *which, size_t *count) {
  CET_CHECK(m >= 1, CET_ERR_INPUT, "reference points need at least one objective, found 0");
  CET_CHECK(p >= 1, CET_ERR_INPUT,
            "the %s layer of reference points needs at least 1 division, "
            "found 0",
            which);
  size_t c = cet_refpoints_size(m, p);
  CET_CHECK(c <= CET_REFPOINTS_MAX, CET_ERR_INPUT,
            "%zu divisions in %zu objectives make more than %zu reference points (expected fewer "
            "divisions)",
            p, m, CET_REFPOINTS_MAX);
  *count = c;
  return CET_OK;
}

int cet_refpoints_layers_count(size_t m, size_t outer, size_t inner, size_t *count) {
  CET_CHECK(count != NULL, CET_ERR_INPUT, "expected a place for the count, found NULL");
  size_t a = 0, b = 0;
  CET_CALL(layer_count(m, outer, "outer", &a));
  if (inner > 0) {
    CET_CALL(layer_count(m, inner, "inner", &b));
  }
  CET_CHECK(a + b <= CET_REFPOINTS_MAX, CET_ERR_INPUT,
            "divisions %zu and %zu in %zu objectives make more than %zu reference points "
            "(expected fewer divisions)",
            outer, inner, m, CET_REFPOINTS_MAX);
  *count = a + b;
  return CET_OK;
}

/* Writes the lattice of p divisions from row *row on, each point scaled by
 * `scale` and shifted by `shift` in every coordinate. k holds the integer
 * coordinates chosen so far (depth of them). */
static void lattice(double *z, size_t m, size_t p, double scale, double shift, size_t depth,
                    size_t left, size_t *k, size_t *row) {
  if (depth + 1 == m) {
    k[depth] = left;
    for (size_t j = 0; j < m; j++) {
      z[*row * m + j] = scale * (double)k[j] / (double)p + shift;
    }
    (*row)++;
    return;
  }
  for (size_t v = 0; v <= left; v++) {
    k[depth] = v;
    lattice(z, m, p, scale, shift, depth + 1, left - v, k, row);
  }
}

int cet_refpoints_fill(size_t m, size_t outer, size_t inner, double *z) {
  size_t count = 0;
  CET_CALL(cet_refpoints_layers_count(m, outer, inner, &count));
  CET_CHECK(z != NULL, CET_ERR_INPUT, "expected room for %zu reference points, found NULL", count);
  size_t *k = malloc(m * sizeof *k), row = 0;
  CET_CHECK_ALLOC(k);
  lattice(z, m, outer, 1.0, 0.0, 0, outer, k, &row);
  if (inner > 0) {
    lattice(z, m, inner, 0.5, 0.5 / (double)m, 0, inner, k, &row);
  }
  free(k);
  return CET_OK;
}

int cet_refpoints_automatic(size_t m, size_t n, size_t *outer, size_t *inner) {
  CET_CHECK(outer != NULL && inner != NULL, CET_ERR_INPUT,
            "expected places for the divisions, found NULL");
  CET_CHECK(m >= 1, CET_ERR_INPUT, "reference points need at least one objective, found 0");
  CET_CHECK(n >= m, CET_ERR_INPUT,
            "a population of %zu cannot hold the %zu corner reference points of %zu objectives "
            "(expected a population of at least %zu)",
            n, m, m, m);
  size_t p = 1;
  while (m > 1 && cet_refpoints_size(m, p + 1) <= n) {
    p++;
  }
  *outer = p;
  *inner = 0;
  if (p >= m || m == 1) {
    return CET_OK;
  }
  size_t best = cet_refpoints_size(m, p);
  for (size_t a = 1; a <= p; a++) {
    size_t ha = cet_refpoints_size(m, a);
    for (size_t b = 1; b <= a; b++) {
      size_t h = ha + cet_refpoints_size(m, b);
      if (h <= n && h >= best && (h > best || *inner > 0)) {
        best = h;
        *outer = a;
        *inner = b;
      }
    }
  }
  return CET_OK;
}
