/*
 * twin_kinds.h — a unit kind as the twin knows it (private to src/model):
 * its public description (cet_unit_kind_info of network.h) and its part of
 * the build and of the flows stage as callbacks. Each kind's record lives
 * in a file of its own (unit_feed.c, unit_process.c, unit_splitter.c,
 * unit_mixer.c, unit_sink.c, unit_selector.c, unit_exchange.c, and
 * twin_choice.c for flowsheet choices); twin_kinds.c lists them by kind.
 *
 * The flows stage calls each callback kind by kind in the order of
 * cet_unit_kind and, within a kind, unit by unit in the order of the case;
 * a NULL callback is a kind without that part.
 */
#ifndef CETWIN_TWIN_KINDS_H
#define CETWIN_TWIN_KINDS_H

#include "twin_impl.h"

#include "cetwin/network.h"

#include <stddef.h>

typedef struct {
  cet_unit_kind_info info;
  /* Build: copies and checks what unit u of the description us brings of
   * its own into the twin's per-unit arrays (their other entries are
   * CET_SLOT_NONE or 0); n_params bounds the slots. */
  int (*copy)(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params);
  /* Build: the slots that set the share of outlet o: *split the split
   * factors ([components]) or *share the one share of the edge; both are
   * NULL on entry and stay NULL for none. */
  void (*share_slots)(const cet_unit_spec *us, size_t o, size_t nc, const long **split,
                      const long **share);
  /* Evaluation: unit u's external feed into w->feed (and the feeds' total
   * into w->feed_total). */
  int (*feed)(const cet_twin *t, size_t u, const double *params, cet_twin_workspace *w);
  /* Evaluation: the shares of unit u's edges into w->share (NULL: they
   * are 1, set once by the workspace, or set by settle). */
  int (*shares)(const cet_twin *t, size_t u, const double *params, cet_twin_workspace *w);
  /* Evaluation: once unit u's inflow is solved (outside loops), the shares
   * that depend on it. */
  void (*settle)(const cet_twin *t, size_t u, const double *params, cet_twin_workspace *w);
  /* Evaluation: unit u's consumptions into w->consumption, added to w->carrier. */
  void (*consume)(const cet_twin *t, size_t u, const double *params, cet_twin_workspace *w);
  /* The routes that parameter slot picks among when it is unit u's
   * integer choice (the names, *first the value of the first), or NULL
   * (cet_twin_parameter_choices of twin.h). */
  const cet_names *(*routes)(const cet_twin *t, size_t u, size_t slot, long *first);
} cet_twin_kind;

extern const cet_twin_kind cet_twin_kind_feed;
extern const cet_twin_kind cet_twin_kind_process;
extern const cet_twin_kind cet_twin_kind_splitter;
extern const cet_twin_kind cet_twin_kind_mixer;
extern const cet_twin_kind cet_twin_kind_sink;
extern const cet_twin_kind cet_twin_kind_selector;
extern const cet_twin_kind cet_twin_kind_exchange;
extern const cet_twin_kind cet_twin_kind_flowsheet_choice;

/* The record of kind (0 <= kind < CET_UNIT_KINDS). */
const cet_twin_kind *cet_twin_kind_of(cet_unit_kind kind);

/* 1 when unit u of the twin has every flag of flags (CET_UNIT_KIND_*). */
int cet_twin_unit_is(const cet_twin *t, size_t u, unsigned flags);

/* Copies a slot array of n entries (CET_SLOT_NONE when src is NULL) and
 * checks every slot against the parameter count. */
int cet_twin_copy_slots(long *dst, const long *src, size_t n, size_t n_params, const char *where);

/* A unit where material enters the twin (feed, exchange): its flow slot
 * and its mass fractions; fails when it has no flow. */
int cet_twin_copy_source(cet_twin *t, const cet_unit_spec *us, size_t u, long flow,
                         size_t n_params);

#endif /* CETWIN_TWIN_KINDS_H */
