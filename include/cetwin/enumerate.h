/*
 * enumerate.h — flowsheet enumeration with Suljada's vector method as used
 * by Bonnin et al. (2015) §2.1.3.
 *
 * Starting from a feed, every process that accepts a stream (composition in
 * [TCmin, TCmax] and properties in [TPmin, TPmax], inclusive within a
 * tolerance) transforms it; a product whose main fraction reaches the target
 * purity ends a final flowsheet, a product no process accepts is
 * unprocessable, and a chain that reaches the maximum length is truncated.
 * All three kinds are kept (up to a limit) and counted.
 *
 * The search is depth-first, so memory is O(max_length) streams whatever the
 * size of the tree; the results are sorted (by length, then by process
 * indices, i.e. breadth-first order) so they do not depend on how the work
 * was split. Pure computation: no I/O, not collective.
 */
#ifndef CETWIN_ENUMERATE_H
#define CETWIN_ENUMERATE_H

#include "cetwin/process.h"

#include <stddef.h>
#include <stdint.h>

enum { CET_ENUMERATE_MAX_LENGTH = 64 };

typedef enum {
  CET_ENUMERATE_STRICT = 0,    /* a physical window that fails rejects the process */
  CET_ENUMERATE_PREPROCESS = 1 /* ...or prescribes size reduction / drying first */
} cet_enumerate_mode;

typedef struct {
  double target_purity; /* Q: main-component fraction of refined product (0.999) */
  int max_length;       /* X: longest chain explored (10) */
  cet_enumerate_mode mode;
  double tolerance;   /* widening of every acceptance window (1e-12) */
  size_t max_stored;  /* flowsheets kept per kind; more are only counted (100000) */
  uint64_t max_nodes; /* process steps explored below each first step; 0 = no limit */
  /* [properties x carriers], consumption per t of stream of adapting one
   * property in preprocess mode (e.g. kWh/t for shredding or drying). */
  const double *preprocess_consumption;
  /* Listed alloys: a feed whose every fraction lies in an alloy's window is
   * final as it is. [n_alloys x components] windows. */
  size_t n_alloys;
  const char *const *alloy_names;
  const double *alloy_min;
  const double *alloy_max;
} cet_enumerate_parameters;

cet_enumerate_parameters cet_enumerate_default_parameters(void);

typedef enum {
  CET_FLOWSHEET_FINAL = 0,
  CET_FLOWSHEET_UNPROCESSABLE = 1,
  CET_FLOWSHEET_TRUNCATED = 2,
  CET_FLOWSHEET_KINDS = 3
} cet_flowsheet_kind;

/* One flowsheet, as a view filled by cet_flowsheets_get. Arrays point into
 * the result set and stay valid until it changes. */
typedef struct {
  size_t length;                           /* steps in the chain */
  int step[CET_ENUMERATE_MAX_LENGTH];      /* process index of each step */
  unsigned prep[CET_ENUMERATE_MAX_LENGTH]; /* bit k: property k preprocessed before the step */
  long alloy;                              /* feed matched this alloy (empty chain), else -1 */
  const double *stream;     /* [components] end stream (the product of a final flowsheet) */
  const double *properties; /* [properties] of the end stream */
  const double *outlets; /* [(outlets - 1) x components] secondary outlets summed over the chain */
  const double *consumption; /* [carriers] summed over the chain (NaN = a value is unknown) */
} cet_flowsheet;

typedef struct cet_flowsheets cet_flowsheets;

/* Creates an empty result set for flowsheets of lib under par. */
int cet_flowsheets_create(const cet_library *lib, const cet_enumerate_parameters *par,
                          cet_flowsheets **out);

void cet_flowsheets_destroy(cet_flowsheets **fs);

/* Enumerates part of the flowsheets of feed (mass[components] in t per
 * period, props[properties]) into fs. The work is split into tasks, one per
 * pair of first and second steps, numbered in search order and dealt
 * round-robin: part k explores tasks k, k + n_parts, ...; part 0 classifies
 * the feed itself and first step p is recorded by part p % n_parts. Running
 * every part (in any order, into one set or merged sets) gives the whole
 * result, whatever n_parts. */
int cet_enumerate(const cet_library *lib, const double *feed_mass, const double *feed_props,
                  const cet_enumerate_parameters *par, size_t part, size_t n_parts,
                  cet_flowsheets *fs);

/* Number of flowsheets of a kind held (at most max_stored) and found. */
size_t cet_flowsheets_stored(const cet_flowsheets *fs, cet_flowsheet_kind kind);
uint64_t cet_flowsheets_found(const cet_flowsheets *fs, cet_flowsheet_kind kind);

/* 1 when the node limit stopped the search below some first step. */
int cet_flowsheets_node_limit_hit(const cet_flowsheets *fs);

/* Process steps explored. */
uint64_t cet_flowsheets_nodes(const cet_flowsheets *fs);

/* Sorts every kind by (length, process indices, preprocessing) and keeps the
 * first max_stored. Call after the last cet_enumerate or merge. */
int cet_flowsheets_sort(cet_flowsheets *fs);

/* View of the i-th flowsheet of a kind (after sorting, in sorted order). */
int cet_flowsheets_get(const cet_flowsheets *fs, cet_flowsheet_kind kind, size_t i,
                       cet_flowsheet *view);

/* The chain of f as text into buf (truncated to len): process ids joined
 * by '+', a run of one process as ID*N, [size] before a step whose
 * property size was preprocessed; "(feed)" for an empty chain. */
void cet_flowsheet_chain_text(const cet_library *lib, const cet_flowsheet *f, char *buf,
                              size_t len);

/* Serialises fs into a new array of doubles (*len values; free() it), and
 * adds such an array into fs, for gathering parts computed elsewhere. */
int cet_flowsheets_pack(const cet_flowsheets *fs, double **buf, size_t *len);
int cet_flowsheets_merge_packed(cet_flowsheets *fs, const double *buf, size_t len);

#endif /* CETWIN_ENUMERATE_H */
