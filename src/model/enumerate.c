/*
 * enumerate.c — depth-first flowsheet enumeration and the result set that
 * collects, counts, sorts, packs and merges flowsheets (see enumerate.h).
 *
 * A flowsheet is stored as one record of doubles:
 *   [0] length, [1 .. 1+W) process indices, [1+W .. 1+2W) preprocessing
 *   masks, [1+2W] alloy, then stream[C], properties[P],
 *   secondary outlets[(O-1) x C], consumption[K]
 * with W = max_length; unused steps hold -1. Sorting compares the first
 * 1+2W values lexicographically, which is breadth-first order.
 */
#include "cetwin/enumerate.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ENUMERATE_DEFAULT_MAX_LENGTH = 10, ENUMERATE_DEFAULT_MAX_STORED = 100000 };

cet_enumerate_parameters cet_enumerate_default_parameters(void) {
  return (cet_enumerate_parameters){.target_purity = 0.999,
                                    .max_length = ENUMERATE_DEFAULT_MAX_LENGTH,
                                    .mode = CET_ENUMERATE_STRICT,
                                    .tolerance = 1e-12,
                                    .max_stored = ENUMERATE_DEFAULT_MAX_STORED,
                                    .max_nodes = 100000000ULL};
}

struct cet_flowsheets {
  const cet_library *lib;
  cet_enumerate_parameters par;
  size_t nc, np, no, nk, width, rec;
  double *records[CET_FLOWSHEET_KINDS];
  size_t n[CET_FLOWSHEET_KINDS], cap[CET_FLOWSHEET_KINDS];
  uint64_t found[CET_FLOWSHEET_KINDS];
  uint64_t nodes;
  int node_limit_hit;
};

/* Offsets inside a record. */
static size_t off_steps(void) { return 1; }
static size_t off_prep(const cet_flowsheets *fs) { return 1 + fs->width; }
static size_t off_alloy(const cet_flowsheets *fs) { return 1 + 2 * fs->width; }
static size_t off_stream(const cet_flowsheets *fs) { return 2 + 2 * fs->width; }
static size_t off_props(const cet_flowsheets *fs) { return off_stream(fs) + fs->nc; }
static size_t off_outlets(const cet_flowsheets *fs) { return off_props(fs) + fs->np; }
static size_t off_consumption(const cet_flowsheets *fs) {
  return off_outlets(fs) + (fs->no - 1) * fs->nc;
}

int cet_flowsheets_create(const cet_library *lib, const cet_enumerate_parameters *par,
                          cet_flowsheets **out) {
  *out = NULL;
  CET_CHECK(par->max_length >= 1 && par->max_length <= CET_ENUMERATE_MAX_LENGTH, CET_ERR_INPUT,
            "maximum chain length must be in [1, %d], found %d", CET_ENUMERATE_MAX_LENGTH,
            par->max_length);
  CET_CHECK(par->target_purity > 0.0 && par->target_purity <= 1.0, CET_ERR_INPUT,
            "target purity must be in (0, 1], found %g", par->target_purity);
  CET_CHECK(par->max_stored >= 1, CET_ERR_INPUT, "max_stored must be at least 1");
  cet_flowsheets *fs = calloc(1, sizeof *fs);
  CET_CHECK_ALLOC(fs);
  fs->lib = lib;
  fs->par = *par;
  fs->nc = cet_library_components(lib)->n;
  fs->np = cet_library_properties(lib)->n;
  fs->no = cet_library_outlets(lib)->n;
  fs->nk = cet_library_carriers(lib)->n;
  fs->width = (size_t)par->max_length;
  fs->rec = off_consumption(fs) + fs->nk;
  *out = fs;
  return CET_OK;
}

void cet_flowsheets_destroy(cet_flowsheets **fsp) {
  if (!fsp || !*fsp) {
    return;
  }
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    free((*fsp)->records[k]);
  }
  free(*fsp);
  *fsp = NULL;
}

static _Thread_local size_t sort_key_len;

static int compare_records(const void *a, const void *b) {
  const double *x = a, *y = b;
  for (size_t i = 0; i < sort_key_len; i++) {
    if (x[i] != y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return 0;
}

static void sort_kind(cet_flowsheets *fs, int kind) {
  sort_key_len = 1 + 2 * fs->width;
  if (fs->n[kind] > 1) { /* no records may mean no array: qsort must not see NULL */
    qsort(fs->records[kind], fs->n[kind], fs->rec * sizeof(double), compare_records);
  }
  if (fs->n[kind] > fs->par.max_stored) {
    fs->n[kind] = fs->par.max_stored;
  }
}

/* Room for one more record; beyond twice the limit, keep the smallest. */
static int reserve_record(cet_flowsheets *fs, int kind) {
  if (fs->n[kind] >= 2 * fs->par.max_stored) {
    sort_kind(fs, kind);
  }
  CET_CALL(cet_array_grow(&fs->records[kind], &fs->cap[kind], fs->n[kind] + 1,
                          fs->rec * sizeof *fs->records[kind]));
  return CET_OK;
}

/* The state of the chain at one depth of the search. */
typedef struct {
  double *mass;        /* [C] stream entering the next step */
  double *props;       /* [P] */
  double *outlets;     /* [(O-1) x C] secondary outlets so far */
  double *consumption; /* [K] so far */
} level;

typedef struct {
  cet_flowsheets *fs;
  level *levels;   /* [W + 1] */
  double *scratch; /* [O x C] outlets of one step */
  int step[CET_ENUMERATE_MAX_LENGTH];
  unsigned prep[CET_ENUMERATE_MAX_LENGTH];
  size_t part, n_parts; /* this part of the work and the number of parts */
  int first_owned;      /* this part records the current first step */
  uint64_t next_task;   /* counter of (first, second) step pairs */
  uint64_t nodes_here;  /* nodes explored in the current task */
  double *block;        /* backing storage of levels and scratch */
} search;

static int record(search *s, int kind, size_t length, const level *at, long alloy) {
  cet_flowsheets *fs = s->fs;
  fs->found[kind]++;
  CET_CALL(reserve_record(fs, kind));
  double *r = fs->records[kind] + fs->n[kind] * fs->rec;
  r[0] = (double)length;
  for (size_t i = 0; i < fs->width; i++) {
    r[off_steps() + i] = i < length ? s->step[i] : -1.0;
    r[off_prep(fs) + i] = i < length ? s->prep[i] : 0.0;
  }
  r[off_alloy(fs)] = (double)alloy;
  memcpy(r + off_stream(fs), at->mass, fs->nc * sizeof *r);
  memcpy(r + off_props(fs), at->props, fs->np * sizeof *r);
  memcpy(r + off_outlets(fs), at->outlets, (fs->no - 1) * fs->nc * sizeof *r);
  memcpy(r + off_consumption(fs), at->consumption, fs->nk * sizeof *r);
  fs->n[kind]++;
  return CET_OK;
}

static double main_fraction(const cet_flowsheets *fs, const double *mass) {
  double total = 0.0;
  for (size_t c = 0; c < fs->nc; c++) {
    total += mass[c];
  }
  return total > 0.0 ? mass[cet_library_main_component(fs->lib)] / total : 0.0;
}

/* Whether process p can take the stream at lv: -1 no, else the mask of
 * properties to preprocess (0 = none needed). */
static long admissible(const cet_flowsheets *fs, size_t p, const level *lv) {
  if (!cet_process_accepts_composition(fs->lib, p, lv->mass, fs->par.tolerance)) {
    return -1;
  }
  unsigned misfit = cet_process_property_misfits(fs->lib, p, lv->props, fs->par.tolerance);
  if (misfit && fs->par.mode == CET_ENUMERATE_STRICT) {
    return -1;
  }
  return (long)misfit;
}

/* Applies process p (after preprocessing the properties in mask) to the
 * stream at depth d, writing depth d + 1. */
static void apply_step(search *s, size_t d, size_t p, unsigned mask) {
  cet_flowsheets *fs = s->fs;
  const level *in = &s->levels[d];
  level *out = &s->levels[d + 1];
  const cet_process_spec *spec = cet_library_process(fs->lib, p);
  memcpy(out->props, in->props, fs->np * sizeof *out->props);
  memcpy(out->consumption, in->consumption, fs->nk * sizeof *out->consumption);
  if (mask) {
    double total = 0.0;
    for (size_t c = 0; c < fs->nc; c++) {
      total += in->mass[c];
    }
    for (size_t k = 0; k < fs->np; k++) {
      if (!(mask & (1u << k))) {
        continue;
      }
      double lo = spec->property_min[k], hi = spec->property_max[k];
      out->props[k] = in->props[k] < lo ? lo : hi;
      for (size_t e = 0; e < fs->nk; e++) {
        out->consumption[e] += fs->par.preprocess_consumption[k * fs->nk + e] * total;
      }
    }
  }
  cet_process_split(fs->lib, p, in->mass, s->scratch);
  cet_process_consume(fs->lib, p, in->mass, out->consumption);
  cet_process_transform_properties(fs->lib, p, out->props);
  memcpy(out->mass, s->scratch, fs->nc * sizeof *out->mass);
  size_t secondary = (fs->no - 1) * fs->nc;
  for (size_t i = 0; i < secondary; i++) {
    out->outlets[i] = in->outlets[i] + s->scratch[fs->nc + i];
  }
  s->step[d] = (int)p;
  s->prep[d] = mask;
}

static int explore(search *s, size_t d);

/* Whether this part records what happens at depth d (see the work split in
 * cet_enumerate): the feed by part 0, a first step by its owner, deeper
 * steps inside an owned task by that task's part. */
static int owns(const search *s, size_t d) {
  if (d == 0) {
    return s->part == 0;
  }
  return d == 1 ? s->first_owned : 1;
}

/* Follows process p from depth d; returns CET_OK or an error. */
static int follow(search *s, size_t d, size_t p, unsigned mask) {
  cet_flowsheets *fs = s->fs;
  if (d >= 1) {
    if (fs->par.max_nodes && s->nodes_here >= fs->par.max_nodes) {
      fs->node_limit_hit = 1;
      return CET_OK;
    }
    s->nodes_here++;
  }
  if (d >= 1 || s->first_owned) {
    fs->nodes++;
  }
  apply_step(s, d, p, mask);
  const level *next = &s->levels[d + 1];
  if (main_fraction(fs, next->mass) >= fs->par.target_purity) {
    return owns(s, d + 1) ? record(s, CET_FLOWSHEET_FINAL, d + 1, next, -1) : CET_OK;
  }
  if (d + 1 >= fs->width) {
    return owns(s, d + 1) ? record(s, CET_FLOWSHEET_TRUNCATED, d + 1, next, -1) : CET_OK;
  }
  return explore(s, d + 1);
}

static int explore(search *s, size_t d) {
  cet_flowsheets *fs = s->fs;
  size_t n = cet_library_size(fs->lib);
  int accepted = 0;
  for (size_t p = 0; p < n; p++) {
    long mask = admissible(fs, p, &s->levels[d]);
    if (mask < 0) {
      continue;
    }
    accepted = 1;
    if (d == 0) {
      s->first_owned = p % s->n_parts == s->part;
    } else if (d == 1) {
      if (s->next_task++ % s->n_parts != s->part) {
        continue;
      }
      s->nodes_here = 0;
    }
    CET_CALL(follow(s, d, p, (unsigned)mask));
  }
  if (!accepted && owns(s, d)) {
    CET_CALL(record(s, CET_FLOWSHEET_UNPROCESSABLE, d, &s->levels[d], -1));
  }
  return CET_OK;
}

static int alloy_match(const cet_enumerate_parameters *par, size_t nc, const double *mass) {
  double total = 0.0;
  for (size_t c = 0; c < nc; c++) {
    total += mass[c];
  }
  for (size_t a = 0; a < par->n_alloys; a++) {
    int inside = 1;
    for (size_t c = 0; c < nc && inside; c++) {
      double x = mass[c] / total;
      inside = x >= par->alloy_min[a * nc + c] - par->tolerance &&
               x <= par->alloy_max[a * nc + c] + par->tolerance;
    }
    if (inside) {
      return (int)a;
    }
  }
  return -1;
}

static void search_free(search *s) {
  free(s->levels);
  free(s->block);
}

static int search_create(cet_flowsheets *fs, search *s) {
  size_t per_level = fs->nc + fs->np + (fs->no - 1) * fs->nc + fs->nk;
  size_t levels = fs->width + 1;
  memset(s, 0, sizeof *s);
  s->fs = fs;
  s->levels = calloc(levels, sizeof *s->levels);
  s->block = calloc(levels * per_level + fs->no * fs->nc + 1, sizeof *s->block);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, s->levels && s->block);
  double *p = s->block;
  for (size_t d = 0; d < levels; d++) {
    s->levels[d] = (level){.mass = p,
                           .props = p + fs->nc,
                           .outlets = p + fs->nc + fs->np,
                           .consumption = p + fs->nc + fs->np + (fs->no - 1) * fs->nc};
    p += per_level;
  }
  s->scratch = p;
  return CET_OK;
fail:
  search_free(s);
  return status;
}

int cet_enumerate(const cet_library *lib, const double *feed_mass, const double *feed_props,
                  const cet_enumerate_parameters *par, size_t part, size_t n_parts,
                  cet_flowsheets *fs) {
  CET_CHECK(fs->lib == lib, CET_ERR_RUNTIME, "result set belongs to another library");
  CET_CHECK(n_parts >= 1 && part < n_parts, CET_ERR_RUNTIME, "bad work partition %zu of %zu", part,
            n_parts);
  CET_CHECK(par->mode == CET_ENUMERATE_STRICT || par->preprocess_consumption != NULL, CET_ERR_INPUT,
            "preprocess mode needs preprocessing consumptions");
  double total = 0.0;
  for (size_t c = 0; c < fs->nc; c++) {
    CET_CHECK(feed_mass[c] >= 0.0, CET_ERR_INPUT, "feed mass of %s is negative",
              cet_library_components(lib)->name[c]);
    total += feed_mass[c];
  }
  CET_CHECK(total > 0.0, CET_ERR_INPUT, "the feed has no mass");
  search s;
  CET_CALL(search_create(fs, &s));
  memcpy(s.levels[0].mass, feed_mass, fs->nc * sizeof *feed_mass);
  memcpy(s.levels[0].props, feed_props, fs->np * sizeof *feed_props);
  int status = CET_OK;
  int alloy = alloy_match(par, fs->nc, feed_mass);
  if (alloy >= 0 || main_fraction(fs, feed_mass) >= par->target_purity) {
    if (part == 0) {
      status = record(&s, CET_FLOWSHEET_FINAL, 0, &s.levels[0], alloy);
    }
  } else {
    s.part = part;
    s.n_parts = n_parts;
    status = explore(&s, 0);
  }
  search_free(&s);
  CET_CALL(status);
  return CET_OK;
}

size_t cet_flowsheets_stored(const cet_flowsheets *fs, cet_flowsheet_kind kind) {
  return fs->n[kind] < fs->par.max_stored ? fs->n[kind] : fs->par.max_stored;
}

uint64_t cet_flowsheets_found(const cet_flowsheets *fs, cet_flowsheet_kind kind) {
  return fs->found[kind];
}

int cet_flowsheets_node_limit_hit(const cet_flowsheets *fs) { return fs->node_limit_hit; }

uint64_t cet_flowsheets_nodes(const cet_flowsheets *fs) { return fs->nodes; }

int cet_flowsheets_sort(cet_flowsheets *fs) {
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    sort_kind(fs, k);
  }
  return CET_OK;
}

int cet_flowsheets_get(const cet_flowsheets *fs, cet_flowsheet_kind kind, size_t i,
                       cet_flowsheet *v) {
  CET_CHECK(i < cet_flowsheets_stored(fs, kind), CET_ERR_RUNTIME,
            "flowsheet %zu out of range (%zu stored)", i, cet_flowsheets_stored(fs, kind));
  const double *r = fs->records[kind] + i * fs->rec;
  v->length = (size_t)r[0];
  for (size_t s = 0; s < v->length; s++) {
    v->step[s] = (int)r[off_steps() + s];
    v->prep[s] = (unsigned)r[off_prep(fs) + s];
  }
  v->alloy = (long)r[off_alloy(fs)];
  v->stream = r + off_stream(fs);
  v->properties = r + off_props(fs);
  v->outlets = r + off_outlets(fs);
  v->consumption = r + off_consumption(fs);
  return CET_OK;
}

/* Packed layout: [record length, nodes, limit hit, then per kind: found,
 * stored, records...]. Counts are below 2^53, exact in doubles. */
int cet_flowsheets_pack(const cet_flowsheets *fs, double **buf, size_t *len) {
  size_t total = 3;
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    total += 2 + fs->n[k] * fs->rec;
  }
  double *b = malloc(total * sizeof *b);
  CET_CHECK_ALLOC(b);
  size_t at = 0;
  b[at++] = (double)fs->rec;
  b[at++] = (double)fs->nodes;
  b[at++] = fs->node_limit_hit;
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    b[at++] = (double)fs->found[k];
    b[at++] = (double)fs->n[k];
    if (fs->n[k]) {
      memcpy(b + at, fs->records[k], fs->n[k] * fs->rec * sizeof *b);
    }
    at += fs->n[k] * fs->rec;
  }
  *buf = b;
  *len = total;
  return CET_OK;
}

int cet_flowsheets_merge_packed(cet_flowsheets *fs, const double *b, size_t len) {
  CET_CHECK(len >= 3 && (size_t)b[0] == fs->rec, CET_ERR_RUNTIME,
            "packed flowsheets do not match this result set");
  size_t at = 1;
  fs->nodes += (uint64_t)b[at++];
  fs->node_limit_hit |= b[at++] != 0.0;
  for (int k = 0; k < CET_FLOWSHEET_KINDS; k++) {
    CET_CHECK(at + 2 <= len, CET_ERR_RUNTIME, "truncated packed flowsheets");
    fs->found[k] += (uint64_t)b[at++];
    size_t n = (size_t)b[at++];
    CET_CHECK(at + n * fs->rec <= len, CET_ERR_RUNTIME, "truncated packed flowsheets");
    for (size_t i = 0; i < n; i++) {
      CET_CALL(reserve_record(fs, k));
      memcpy(fs->records[k] + fs->n[k] * fs->rec, b + at, fs->rec * sizeof *b);
      fs->n[k]++;
      at += fs->rec;
    }
  }
  return CET_OK;
}

void cet_flowsheet_chain_text(const cet_library *lib, const cet_flowsheet *f, char *buf,
                              size_t len) {
  const cet_names *props = cet_library_properties(lib);
  size_t used = 0;
  buf[0] = '\0';
  if (f->length == 0) {
    snprintf(buf, len, "(feed)");
    return;
  }
  for (size_t s = 0; s < f->length && used < len;) {
    size_t run = 1;
    while (s + run < f->length && f->step[s + run] == f->step[s] &&
           f->prep[s + run] == f->prep[s]) {
      run++;
    }
    int w = snprintf(buf + used, len - used, "%s", s ? "+" : "");
    used += w > 0 ? (size_t)w : 0;
    for (size_t k = 0; k < props->n && used < len; k++) {
      if (f->prep[s] & (1u << k)) {
        w = snprintf(buf + used, len - used, "[%s]", props->name[k]);
        used += w > 0 ? (size_t)w : 0;
      }
    }
    if (used < len) {
      const char *id = cet_library_process(lib, (size_t)f->step[s])->id;
      w = run > 1 ? snprintf(buf + used, len - used, "%s*%zu", id, run)
                  : snprintf(buf + used, len - used, "%s", id);
      used += w > 0 ? (size_t)w : 0;
    }
    s += run;
  }
}
