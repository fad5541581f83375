/*
 * staircase.c — treap staircases for the 3-objective sweeps (staircase.h).
 * Split and merge are the classic treap operations (Seidel & Aragon 1996).
 */
#include "moo/staircase.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <stdlib.h>

static uint32_t priority(uint64_t i) {
  /* splitmix64 finaliser: decorrelates priorities from insertion order */
  uint64_t z = i + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int cet_staircase_reset(cet_staircase *s, size_t cap) {
  CET_CHECK(cap < CET_SC_NIL, CET_ERR_INPUT, "too many points for a staircase: %zu (at most %u)",
            cap, (unsigned)(CET_SC_NIL - 1));
  if (cap > s->cap) {
    CET_CALL(cet_array_grow(&s->node, NULL, cap, sizeof *s->node));
    s->cap = cap;
  }
  s->used = 0;
  return CET_OK;
}

void cet_staircase_release(cet_staircase *s) {
  free(s->node);
  s->node = NULL;
  s->cap = 0;
  s->used = 0;
}

int cet_staircase_dominated(const cet_staircase *s, uint32_t root, double x, double y) {
  /* the last point with x' <= x has the smallest y' among those points */
  uint32_t best = CET_SC_NIL;
  for (uint32_t t = root; t != CET_SC_NIL;) {
    if (s->node[t].x <= x) {
      best = t;
      t = s->node[t].right;
    } else {
      t = s->node[t].left;
    }
  }
  return best != CET_SC_NIL && s->node[best].y <= y;
}

/* Splits t into a (x' < x) and b (x' >= x). */
static void split_x(cet_sc_node *nd, uint32_t t, double x, uint32_t *a, uint32_t *b) {
  while (t != CET_SC_NIL) {
    if (nd[t].x < x) {
      *a = t;
      a = &nd[t].right;
      t = nd[t].right;
    } else {
      *b = t;
      b = &nd[t].left;
      t = nd[t].left;
    }
  }
  *a = CET_SC_NIL;
  *b = CET_SC_NIL;
}

/* Splits t into the prefix a with y' >= y and the rest b (y decreases along
 * the key order, so the points with y' >= y form a prefix). */
static void split_y(cet_sc_node *nd, uint32_t t, double y, uint32_t *a, uint32_t *b) {
  while (t != CET_SC_NIL) {
    if (nd[t].y >= y) {
      *a = t;
      a = &nd[t].right;
      t = nd[t].right;
    } else {
      *b = t;
      b = &nd[t].left;
      t = nd[t].left;
    }
  }
  *a = CET_SC_NIL;
  *b = CET_SC_NIL;
}

/* Joins a and b, every key of a being before every key of b. */
static uint32_t merge(cet_sc_node *nd, uint32_t a, uint32_t b) {
  uint32_t root = CET_SC_NIL;
  uint32_t *link = &root;
  while (a != CET_SC_NIL && b != CET_SC_NIL) {
    if (nd[a].prio > nd[b].prio) {
      *link = a;
      link = &nd[a].right;
      a = nd[a].right;
    } else {
      *link = b;
      link = &nd[b].left;
      b = nd[b].left;
    }
  }
  *link = (a != CET_SC_NIL) ? a : b;
  return root;
}

static uint32_t rightmost(const cet_sc_node *nd, uint32_t t) {
  if (t == CET_SC_NIL) {
    return t;
  }
  while (nd[t].right != CET_SC_NIL) {
    t = nd[t].right;
  }
  return t;
}

static uint32_t leftmost(const cet_sc_node *nd, uint32_t t) {
  if (t == CET_SC_NIL) {
    return t;
  }
  while (nd[t].left != CET_SC_NIL) {
    t = nd[t].left;
  }
  return t;
}

void cet_staircase_insert(cet_staircase *s, uint32_t *root, double x, double y, uint32_t *removed,
                          uint32_t *pred, uint32_t *succ) {
  cet_sc_node *nd = s->node;
  uint32_t before, rest, after;
  split_x(nd, *root, x, &before, &rest);
  split_y(nd, rest, y, removed, &after);
  *pred = rightmost(nd, before);
  *succ = leftmost(nd, after);
  uint32_t t = (uint32_t)s->used++;
  nd[t].x = x;
  nd[t].y = y;
  nd[t].left = CET_SC_NIL;
  nd[t].right = CET_SC_NIL;
  nd[t].prio = priority(t);
  *root = merge(nd, merge(nd, before, t), after);
}
