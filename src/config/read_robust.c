/*
 * read_robust.c — reads the robust part of an optimisation case
 * (optimize.h): `robust:` (draws per design, the seed and first index of
 * the draws) and `uncertain:` (the syntax of analysis: mc, read by
 * read_uncertain.c). Each needs the other; an uncertain parameter cannot
 * also be a design variable. Every error names FILE:LINE:COL and the key.
 */
#include "readers.h"

#include <string.h>

static const char *const ROBUST_KEYS[] = {"draws", "seed", "first_draw", "note", NULL};

/* Largest seed and first draw index (as the case's seed and mc.first_draw). */
static const double ROBUST_MAX_SEED = 9e15;
static const double ROBUST_MAX_FIRST_DRAW = 1e15;

/* No parameter is both designed and uncertain. */
static int check_design_overlap(const cet_node *list, const cet_optimize_spec *s) {
  for (size_t i = 0; i < s->robust.n_uncertain; i++) {
    const cet_uncertain *u = &s->robust.uncertain[i];
    for (size_t j = 0; u->kind == CET_UNCERTAIN_PARAMETER && j < s->n_design; j++) {
      if (strcmp(u->path, s->design[j].path) == 0) {
        return cet_node_fail(cet_node_get(cet_node_at(list, i), "path"),
                             "parameter %s is design variable %zu; a parameter is either "
                             "designed or uncertain, not both",
                             u->path, j);
      }
    }
  }
  return CET_OK;
}

int cet_read_robust(const cet_node *root, const cet_case *c, cet_optimize_spec *s) {
  const cet_node *r = cet_read_section(root, "robust"), *u = cet_read_section(root, "uncertain");
  if (!r && !u) {
    return CET_OK;
  }
  if (!r) {
    return cet_node_fail(u, "an optimize case draws uncertain variables for robust objectives "
                            "only: add robust: {draws: K} (K draws per design), or remove "
                            "uncertain:");
  }
  CET_CALL(cet_node_expect_map(r));
  CET_CALL(cet_node_check_keys(r, ROBUST_KEYS));
  const cet_node *v = NULL;
  long draws = 0, seed = 0, first = 0;
  CET_CALL(cet_node_require(r, "draws", "the number K of draws each design is evaluated on", &v));
  CET_CALL(cet_node_integer_in(v, 1, CET_ROBUST_MAX_DRAWS, &draws));
  CET_CALL(cet_node_opt_integer_in(r, "seed", (long)c->seed, 0, (long)ROBUST_MAX_SEED, &seed));
  CET_CALL(cet_node_opt_integer_in(r, "first_draw", 0, 0, (long)ROBUST_MAX_FIRST_DRAW, &first));
  if (!u) {
    return cet_node_fail(r, "robust objectives are statistics over draws of uncertain "
                            "variables: add uncertain: (as in analysis: mc), found none");
  }
  CET_CALL(cet_read_uncertain(u, c->twin, &s->robust.uncertain, &s->robust.n_uncertain));
  if (s->robust.n_uncertain == 0) {
    return cet_node_fail(u, "expected at least one uncertain variable, found an empty list");
  }
  CET_CALL(check_design_overlap(u, s));
  s->robust.draws = (uint64_t)draws;
  s->robust.seed = (uint64_t)seed;
  s->robust.first_draw = (uint64_t)first;
  return CET_OK;
}
