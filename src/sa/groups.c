/*
 * groups.c — factors gathered into groups (see groups.h).
 */
#include "groups.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <stdlib.h>
#include <string.h>

int cet_sa_groups_init(cet_sa_groups *gr, const char *who, size_t k, size_t groups,
                       const size_t *group_of) {
  memset(gr, 0, sizeof *gr);
  gr->k = k;
  gr->g = groups ? groups : k;
  CET_CHECK(gr->g >= 1, CET_ERR_INPUT, "%s: expected at least one factor or group", who);
  CET_CHECK(group_of || gr->g >= k, CET_ERR_INPUT,
            "%s: %zu groups of %zu factors need the group of each factor", who, gr->g, k);
  for (size_t f = 0; group_of && f < k; f++) {
    CET_CHECK(group_of[f] < gr->g, CET_ERR_INPUT,
              "%s: factor %zu is in group %zu, expected a group below %zu", who, f, group_of[f],
              gr->g);
  }
  gr->group_of = malloc((k ? k : 1) * sizeof *gr->group_of);
  gr->member = malloc((k ? k : 1) * sizeof *gr->member);
  gr->start = calloc(gr->g + 1, sizeof *gr->start);
  CET_CHECK_ALLOCS(gr->group_of && gr->member && gr->start);
  uint64_t hash = cet_rng_purpose("sa.groups");
  for (size_t f = 0; f < k; f++) {
    gr->group_of[f] = group_of ? group_of[f] : f;
    gr->start[gr->group_of[f] + 1]++;
    hash = (hash ^ gr->group_of[f]) * 1099511628211ULL; /* FNV-1a step */
  }
  gr->hash = hash;
  for (size_t i = 0; i < gr->g; i++) {
    gr->start[i + 1] += gr->start[i];
  }
  for (size_t i = 0, n = 0; i < gr->g; i++) {
    for (size_t f = 0; f < k; f++) {
      if (gr->group_of[f] == i) {
        gr->member[n++] = f;
      }
    }
  }
  return CET_OK;
}

void cet_sa_groups_free(cet_sa_groups *gr) {
  free(gr->group_of);
  free(gr->start);
  free(gr->member);
  memset(gr, 0, sizeof *gr);
}
