/*
 * staircase.h — private: two-dimensional staircases (sets of mutually
 * non-dominated points (x, y) under minimisation) kept as treaps, for the
 * three-objective non-dominated sort and the three-objective hypervolume
 * sweep. In key order x increases strictly and y decreases strictly.
 *
 * Several staircases (one per front) share one pool of nodes; a staircase
 * is the index of its root. Each insertion takes one node from the pool and
 * nodes are never reused, so a pool of n nodes serves n insertions. Treap
 * priorities are a fixed hash of the node number, so the shape (and hence
 * the run time, never the result) is deterministic.
 */
#ifndef CETWIN_MOO_STAIRCASE_H
#define CETWIN_MOO_STAIRCASE_H

#include <stddef.h>
#include <stdint.h>

#define CET_SC_NIL UINT32_MAX

typedef struct {
  double x, y;
  uint32_t left, right;
  uint32_t prio;
} cet_sc_node;

typedef struct {
  cet_sc_node *node;
  size_t cap;  /* nodes allocated */
  size_t used; /* nodes handed out */
} cet_staircase;

/* Ensures room for cap insertions and forgets every node (all staircases
 * built from the pool become invalid). Returns CET_OK or CET_ERR_MEMORY /
 * CET_ERR_INPUT (more points than 32-bit node numbers can address). */
int cet_staircase_reset(cet_staircase *s, size_t cap);

/* Frees the pool. */
void cet_staircase_release(cet_staircase *s);

/* 1 if some point of the staircase rooted at root weakly dominates (x, y),
 * i.e. has x' <= x and y' <= y. */
int cet_staircase_dominated(const cet_staircase *s, uint32_t root, double x, double y);

/* Inserts (x, y), which no point of the staircase weakly dominates, and
 * unlinks the points it weakly dominates. On return *removed is the root of
 * a treap of the unlinked points (in key order), *pred the point before
 * (x, y) and *succ the point after it (CET_SC_NIL when absent). The pool
 * must have a free node. */
void cet_staircase_insert(cet_staircase *s, uint32_t *root, double x, double y, uint32_t *removed,
                          uint32_t *pred, uint32_t *succ);

#endif /* CETWIN_MOO_STAIRCASE_H */
