/*
 * select.c — exact order statistics in passes over the values (select.h):
 * the brackets of keys holding the ranks sought, their histograms and kept
 * values, and the packing of a pass's accumulator for merging.
 */
#include "cetwin/select.h"

#include "cetwin/array.h"
#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_BRACKETS = CET_STATS_ORDER_MAX,
  /* the summary's five percentiles and CVaR's two ranks leave room for
   * this many more quantiles of two ranks each */
  MAX_PROBABILITIES = (CET_STATS_ORDER_MAX - 12) / 2,
  MAX_FIRST_BITS = 24,
  MAX_BITS = 20,
  KEY_BITS = 64,
  XSUM_WORDS = CET_XSUM_DIGITS + 1,
  PACK_MAGIC = 0x53454c31 /* "SEL1" */
};

/* A bracket of keys: those whose high `bits` bits are `prefix`. */
typedef struct {
  uint64_t prefix;
  uint64_t below;    /* values with a smaller key */
  uint64_t count;    /* values in the bracket (known after the first pass) */
  int32_t bits;      /* 0 .. 64 */
  int32_t width;     /* this pass counts them per `width` more bits (0: no histogram) */
  int32_t collect;   /* this pass keeps its values */
  int32_t sum_below; /* this pass sums the values below it (CVaR) */
} bracket;

/* A rank sought. */
typedef struct {
  uint64_t rank;
  int32_t in; /* its bracket, -1 once its value is known */
  int32_t unused;
  double value;
} target;

struct cet_select {
  cet_select_parameters par;
  double p[MAX_PROBABILITIES];
  uint64_t np;
  int32_t passes;
  int32_t started; /* n and the targets are known (after the first pass) */
  uint64_t n;
  uint64_t n_targets, n_brackets;
  target t[CET_STATS_ORDER_MAX];
  bracket b[MAX_BRACKETS];
  uint64_t lowest_count; /* CVaR sums the lowest lowest_count values */
  int32_t lowest_in;     /* the bracket of rank lowest_count - 1 while their sum is sought, or -1 */
  int32_t unused;
  cet_xsum lowest;
};

/* One bracket's part of a pass. */
typedef struct {
  uint64_t in; /* values in the bracket */
  uint64_t min_key, max_key;
  uint64_t *hist; /* [2^width] */
  double *values; /* kept (collect), at most buffer */
  size_t n_values, cap;
  int overflow; /* more than buffer values: none kept */
  cet_xsum below;
} bracket_acc;

struct cet_select_acc {
  size_t buffer;
  size_t n;
  bracket b[MAX_BRACKETS];
  bracket_acc a[MAX_BRACKETS];
  uint64_t *packed;
  size_t packed_cap;
};

cet_select_parameters cet_select_default_parameters(void) {
  return (cet_select_parameters){.buffer = (size_t)1 << 22, .first_bits = 22, .bits = 16};
}

int cet_select_create(const cet_select_parameters *par, const double *p, size_t np,
                      cet_select **out) {
  *out = NULL;
  CET_CHECK(par->buffer >= 1 && par->first_bits >= 1 && par->first_bits <= MAX_FIRST_BITS &&
                par->bits >= 1 && par->bits <= MAX_BITS,
            CET_ERR_INPUT,
            "selection: expected a buffer of at least 1 value, 1..%d first bits and 1..%d bits "
            "per pass, found %zu, %d and %d",
            MAX_FIRST_BITS, MAX_BITS, par->buffer, par->first_bits, par->bits);
  CET_CHECK(np <= MAX_PROBABILITIES, CET_ERR_INPUT,
            "selection: at most %d quantiles besides the summary's, found %zu", MAX_PROBABILITIES,
            np);
  for (size_t i = 0; i < np; i++) {
    CET_CHECK(p[i] >= 0.0 && p[i] <= 1.0, CET_ERR_INPUT,
              "selection: quantile probability must lie in [0, 1], found %g", p[i]);
  }
  cet_select *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->par = *par;
  s->np = np;
  if (np > 0) {
    memcpy(s->p, p, np * sizeof *p);
  }
  /* the first pass: one bracket holding every key */
  s->n_brackets = 1;
  s->b[0] = (bracket){.width = par->first_bits, .collect = 1};
  s->lowest_in = -1;
  *out = s;
  return CET_OK;
}

void cet_select_destroy(cet_select **s) {
  if (s && *s) {
    free(*s);
    *s = NULL;
  }
}

int cet_select_passes(const cet_select *s) { return s->passes; }

int cet_select_done(const cet_select *s) { return s->started && s->n_brackets == 0; }

/* ---- accumulators ---- */

static void bracket_acc_free(bracket_acc *a) {
  free(a->hist);
  free(a->values);
  memset(a, 0, sizeof *a);
}

void cet_select_acc_destroy(cet_select_acc **ap) {
  if (!ap || !*ap) {
    return;
  }
  cet_select_acc *a = *ap;
  for (size_t j = 0; j < a->n; j++) {
    bracket_acc_free(&a->a[j]);
  }
  free(a->packed);
  free(a);
  *ap = NULL;
}

int cet_select_acc_create(const cet_select *s, cet_select_acc **out) {
  *out = NULL;
  cet_select_acc *a = calloc(1, sizeof *a);
  CET_CHECK_ALLOC(a);
  a->buffer = s->par.buffer;
  a->n = (size_t)s->n_brackets;
  int ok = 1;
  for (size_t j = 0; j < a->n; j++) {
    a->b[j] = s->b[j];
    a->a[j].min_key = UINT64_MAX;
    cet_xsum_init(&a->a[j].below);
    if (s->b[j].width > 0) {
      a->a[j].hist = calloc((size_t)1 << s->b[j].width, sizeof *a->a[j].hist);
      ok = ok && a->a[j].hist;
    }
  }
  if (!ok) {
    cet_select_acc_destroy(&a);
    CET_CHECK(0, CET_ERR_MEMORY, "out of memory in %s for the histograms of a selection pass",
              __func__);
  }
  *out = a;
  return CET_OK;
}

/* The lowest key of bracket b. */
static uint64_t bracket_start(const bracket *b) {
  return b->bits == 0 ? 0 : b->prefix << (KEY_BITS - b->bits);
}

static int in_bracket(const bracket *b, uint64_t key) {
  return b->bits == 0 || (key >> (KEY_BITS - b->bits)) == b->prefix;
}

/* Gives up keeping the values of a bracket: more than buffer arrived. */
static void drop_values(bracket_acc *a) {
  free(a->values);
  a->values = NULL;
  a->n_values = a->cap = 0;
  a->overflow = 1;
}

/* Keeps x in a (a bracket that collects) unless more than buffer values
 * arrive: then none is kept. */
static int keep_value(bracket_acc *a, size_t buffer, double x) {
  if (a->overflow) {
    return CET_OK;
  }
  if (a->n_values == buffer) {
    drop_values(a);
    return CET_OK;
  }
  if (a->n_values == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 1024;
    cap = cap < buffer ? cap : buffer;
    CET_CALL(cet_array_grow(&a->values, NULL, cap, sizeof *a->values));
    a->cap = cap;
  }
  a->values[a->n_values++] = x;
  return CET_OK;
}

/* Adds one finite value with key `key` to bracket j's part. */
static int add_one(cet_select_acc *acc, size_t j, double x, uint64_t key) {
  const bracket *b = &acc->b[j];
  bracket_acc *a = &acc->a[j];
  if (!in_bracket(b, key)) {
    if (b->sum_below && key < bracket_start(b)) {
      CET_CALL(cet_xsum_add(&a->below, x));
    }
    return CET_OK;
  }
  a->in++;
  a->min_key = key < a->min_key ? key : a->min_key;
  a->max_key = key > a->max_key ? key : a->max_key;
  if (b->width > 0) {
    int shift = KEY_BITS - b->bits - b->width;
    a->hist[(key >> shift) & ((UINT64_C(1) << b->width) - 1)]++;
  }
  return b->collect ? keep_value(a, acc->buffer, x) : CET_OK;
}

int cet_select_acc_add(cet_select_acc *a, const double *x, size_t n, size_t stride) {
  for (size_t i = 0; i < n; i++) {
    double v = x[i * stride];
    if (!isfinite(v)) {
      continue;
    }
    uint64_t key = cet_stats_key(v);
    for (size_t j = 0; j < a->n; j++) {
      CET_CALL(add_one(a, j, v, key));
    }
  }
  return CET_OK;
}

/* ---- packing ---- */

/* Words of bracket j's part when packed. */
static size_t packed_words(const cet_select_acc *a, size_t j) {
  const bracket_acc *x = &a->a[j];
  size_t nonzero = 0;
  for (size_t i = 0; x->hist && i < ((size_t)1 << a->b[j].width); i++) {
    nonzero += x->hist[i] != 0;
  }
  return 6 + 2 * nonzero + x->n_values + XSUM_WORDS;
}

int cet_select_acc_pack(cet_select_acc *a, const void **bytes, size_t *size) {
  size_t words = 2;
  for (size_t j = 0; j < a->n; j++) {
    words += packed_words(a, j);
  }
  if (words > a->packed_cap) {
    CET_CALL(cet_array_grow(&a->packed, NULL, words, sizeof *a->packed));
    a->packed_cap = words;
  }
  uint64_t *w = a->packed;
  size_t at = 0;
  w[at++] = PACK_MAGIC;
  w[at++] = a->n;
  for (size_t j = 0; j < a->n; j++) {
    bracket_acc *x = &a->a[j];
    size_t bins = x->hist ? (size_t)1 << a->b[j].width : 0, nonzero = 0;
    for (size_t i = 0; i < bins; i++) {
      nonzero += x->hist[i] != 0;
    }
    w[at++] = x->in;
    w[at++] = x->min_key;
    w[at++] = x->max_key;
    w[at++] = (uint64_t)x->overflow;
    w[at++] = x->n_values;
    w[at++] = nonzero;
    for (size_t i = 0; i < bins; i++) {
      if (x->hist[i] != 0) {
        w[at++] = i;
        w[at++] = x->hist[i];
      }
    }
    if (x->n_values > 0) {
      memcpy(w + at, x->values, x->n_values * sizeof *w);
      at += x->n_values;
    }
    cet_xsum_normalize(&x->below);
    memcpy(w + at, x->below.digit, CET_XSUM_DIGITS * sizeof *w);
    at += CET_XSUM_DIGITS;
    w[at++] = x->below.pending;
  }
  *bytes = w;
  *size = at * sizeof *w;
  return CET_OK;
}

/* A cursor over packed words. */
typedef struct {
  const uint64_t *w;
  size_t n, at;
} cursor;

static int take(cursor *c, size_t k, const uint64_t **out) {
  CET_CHECK(k <= c->n - c->at, CET_ERR_INPUT,
            "selection: a packed accumulator ends early (%zu words, %zu more wanted)", c->n,
            c->at + k - c->n);
  *out = c->w + c->at;
  c->at += k;
  return CET_OK;
}

/* Reads a normalised exact sum (every digit but the top one in [0, 2^32),
 * no pending additions), so that adding it cannot overflow. */
static int take_xsum(cursor *c, cet_xsum *x) {
  const uint64_t *w = NULL;
  CET_CALL(take(c, XSUM_WORDS, &w));
  for (size_t d = 0; d < CET_XSUM_DIGITS; d++) {
    int64_t v = (int64_t)w[d];
    int64_t lo = d + 1 == CET_XSUM_DIGITS ? -(INT64_C(1) << 32) : 0;
    CET_CHECK(v >= lo && v < (INT64_C(1) << 32), CET_ERR_INPUT,
              "selection: a packed exact sum is not normalised (digit %zu)", d);
    x->digit[d] = v;
  }
  CET_CHECK(w[CET_XSUM_DIGITS] == 0, CET_ERR_INPUT,
            "selection: a packed exact sum has pending additions");
  x->pending = 0;
  return CET_OK;
}

static int merge_bracket(cet_select_acc *a, size_t j, cursor *c) {
  bracket_acc *x = &a->a[j];
  const uint64_t *h = NULL, *v = NULL;
  CET_CALL(take(c, 6, &h));
  uint64_t in = h[0], min_key = h[1], max_key = h[2], overflow = h[3], nv = h[4], nz = h[5];
  size_t bins = a->b[j].width > 0 ? (size_t)1 << a->b[j].width : 0;
  CET_CHECK(overflow <= 1 && nv <= a->buffer && nv <= in && nz <= bins &&
                (a->b[j].collect || (nv == 0 && !overflow)),
            CET_ERR_INPUT, "selection: a packed accumulator does not fit the pass (bracket %zu)",
            j);
  CET_CALL(take(c, 2 * (size_t)nz, &h));
  for (size_t i = 0; i < nz; i++) {
    CET_CHECK(h[2 * i] < bins, CET_ERR_INPUT, "selection: histogram bin %llu of %zu",
              (unsigned long long)h[2 * i], bins);
    x->hist[h[2 * i]] += h[2 * i + 1];
  }
  CET_CALL(take(c, (size_t)nv, &v));
  cet_xsum below;
  CET_CALL(take_xsum(c, &below));
  x->in += in;
  x->min_key = min_key < x->min_key ? min_key : x->min_key;
  x->max_key = max_key > x->max_key ? max_key : x->max_key;
  cet_xsum_merge(&x->below, &below);
  if (overflow) {
    drop_values(x);
  }
  for (size_t i = 0; i < nv && !x->overflow; i++) {
    double d;
    memcpy(&d, &v[i], sizeof d);
    CET_CHECK(isfinite(d), CET_ERR_INPUT, "selection: a packed value is not finite");
    CET_CALL(keep_value(x, a->buffer, d));
  }
  return CET_OK;
}

int cet_select_acc_merge_bytes(cet_select_acc *a, const void *bytes, size_t size) {
  CET_CHECK(size % sizeof(uint64_t) == 0, CET_ERR_INPUT,
            "selection: a packed accumulator of %zu bytes", size);
  cursor c = {bytes, size / sizeof(uint64_t), 0};
  const uint64_t *h = NULL;
  CET_CALL(take(&c, 2, &h));
  CET_CHECK(h[0] == PACK_MAGIC && h[1] == a->n, CET_ERR_INPUT,
            "selection: the packed accumulator is not one of this pass");
  for (size_t j = 0; j < a->n; j++) {
    CET_CALL(merge_bracket(a, j, &c));
  }
  CET_CHECK(c.at == c.n, CET_ERR_INPUT, "selection: %zu words left over in a packed accumulator",
            c.n - c.at);
  return CET_OK;
}

/* ---- advancing ---- */

/* Adds c copies of v to x exactly: v 2^i for the bits i of c (exact
 * doubles, as |v| < 2^511). */
static void add_copies(cet_xsum *x, double v, uint64_t c) {
  for (int i = 0; c != 0; i++, c >>= 1) {
    if (c & 1) {
      cet_xsum_add(x, ldexp(v, i));
    }
  }
}

/* Settles the targets of bracket j whose values all have one key. */
static void settle_pile(cet_select *s, size_t j, const bracket_acc *a) {
  double v = cet_stats_key_value(a->min_key);
  for (size_t i = 0; i < s->n_targets; i++) {
    if (s->t[i].in == (int32_t)j) {
      s->t[i].in = -1;
      s->t[i].value = v;
    }
  }
  if (s->lowest_in == (int32_t)j) {
    s->lowest = a->below;
    add_copies(&s->lowest, v, s->lowest_count - s->b[j].below);
    s->lowest_in = -2; /* settled; -1 once the pass ends */
  }
}

/* Settles the targets of bracket j from its values, all kept. */
static int settle_kept(cet_select *s, size_t j, bracket_acc *a) {
  const bracket *b = &s->b[j];
  cet_stats_sort_array(a->values, a->n_values);
  for (size_t i = 0; i < s->n_targets; i++) {
    if (s->t[i].in == (int32_t)j) {
      uint64_t at = s->t[i].rank - b->below;
      CET_CHECK(s->t[i].rank >= b->below && at < a->n_values, CET_ERR_INPUT,
                "selection: rank %llu is not among the values kept",
                (unsigned long long)s->t[i].rank);
      s->t[i].in = -1;
      s->t[i].value = a->values[at];
    }
  }
  if (s->lowest_in == (int32_t)j) {
    uint64_t last = s->lowest_count - 1 - b->below; /* in the values kept */
    double v = a->values[last];
    uint64_t key = cet_stats_key(v), less = 0;
    s->lowest = a->below;
    while (less < last && cet_stats_key(a->values[less]) < key) {
      cet_xsum_add(&s->lowest, a->values[less]);
      less++;
    }
    add_copies(&s->lowest, v, last + 1 - less);
    s->lowest_in = -2; /* settled; -1 once the pass ends */
  }
  return CET_OK;
}

/* The bracket with this prefix in the next pass's list, added if new. */
static int32_t next_bracket(bracket *next, uint64_t *n_next, uint64_t prefix, int bits,
                            uint64_t below, uint64_t count) {
  for (uint64_t k = 0; k < *n_next; k++) {
    if (next[k].prefix == prefix && next[k].bits == bits) {
      return (int32_t)k;
    }
  }
  next[*n_next] = (bracket){.prefix = prefix, .bits = bits, .below = below, .count = count};
  return (int32_t)(*n_next)++;
}

/* Moves the targets of bracket j into its sub-brackets by the histogram:
 * moved[i] is target i's bracket in the next pass (-1: its value is
 * known), *lowest_next that of the rank ending CVaR's sum. */
static void refine(cet_select *s, size_t j, const bracket_acc *a, bracket *next, uint64_t *n_next,
                   int32_t *moved, int32_t *lowest_next) {
  const bracket *b = &s->b[j];
  size_t bins = (size_t)1 << b->width;
  int bits = b->bits + b->width;
  int lowest_here = s->lowest_in == (int32_t)j;
  for (size_t i = 0; i < s->n_targets; i++) {
    target *t = &s->t[i];
    if (t->in != (int32_t)j && !(lowest_here && t->rank + 1 == s->lowest_count)) {
      continue;
    }
    uint64_t below = b->below, bin = 0;
    while (bin + 1 < bins && below + a->hist[bin] <= t->rank) {
      below += a->hist[bin++];
    }
    uint64_t prefix = (b->bits == 0 ? 0 : b->prefix << b->width) | bin;
    int sought = t->in == (int32_t)j;
    if (sought && bits == KEY_BITS) { /* one key: the value */
      t->value = cet_stats_key_value(prefix);
      sought = 0;
    }
    int32_t k = -1;
    if (sought || (lowest_here && t->rank + 1 == s->lowest_count)) {
      k = next_bracket(next, n_next, prefix, bits, below, a->hist[bin]);
    }
    if (t->in == (int32_t)j) {
      moved[i] = sought ? k : -1;
    }
    if (lowest_here && t->rank + 1 == s->lowest_count) {
      *lowest_next = k;
    }
  }
}

/* Starts the selection after the first pass: n values, the targets in the
 * one bracket. */
static int start(cet_select *s, const cet_select_acc *all, uint64_t n) {
  CET_CHECK(all->a[0].in == n, CET_ERR_INPUT,
            "selection: %llu values were added in the first pass, the statistics count %llu",
            (unsigned long long)all->a[0].in, (unsigned long long)n);
  uint64_t ranks[CET_STATS_ORDER_MAX];
  size_t count = 0;
  CET_CALL(cet_stats_order_ranks(n, s->p, (size_t)s->np, ranks, &count, &s->lowest_count));
  s->n = n;
  s->started = 1;
  s->n_targets = count;
  for (size_t i = 0; i < count; i++) {
    s->t[i] = (target){.rank = ranks[i], .in = 0};
  }
  s->b[0].count = n;
  cet_xsum_init(&s->lowest);
  s->lowest_in = s->lowest_count > 0 ? 0 : -1;
  return CET_OK;
}

int cet_select_advance(cet_select *s, cet_select_acc *all, uint64_t n) {
  CET_CHECK(!cet_select_done(s), CET_ERR_INPUT, "selection: no pass is left");
  CET_CHECK(all->n == s->n_brackets, CET_ERR_INPUT,
            "selection: the accumulator belongs to another pass (%zu brackets, the pass has %llu)",
            all->n, (unsigned long long)s->n_brackets);
  for (size_t j = 0; j < all->n; j++) {
    CET_CHECK(all->b[j].prefix == s->b[j].prefix && all->b[j].bits == s->b[j].bits, CET_ERR_INPUT,
              "selection: the accumulator belongs to another pass");
  }
  if (!s->started) {
    CET_CALL(start(s, all, n));
  }
  CET_CHECK(n == s->n, CET_ERR_INPUT,
            "selection: %llu values in pass %d, %llu in the first: the values changed",
            (unsigned long long)n, s->passes + 1, (unsigned long long)s->n);
  bracket next[MAX_BRACKETS];
  uint64_t n_next = 0;
  int32_t moved[CET_STATS_ORDER_MAX], lowest_next = -1;
  for (size_t i = 0; i < CET_STATS_ORDER_MAX; i++) {
    moved[i] = -2; /* not moved */
  }
  for (size_t j = 0; j < s->n_brackets; j++) {
    bracket_acc *a = &all->a[j];
    const bracket *b = &s->b[j];
    CET_CHECK(a->in == b->count, CET_ERR_INPUT,
              "selection: pass %d counts %llu values in a bracket where pass %d counted %llu: "
              "the values changed between passes",
              s->passes + 1, (unsigned long long)a->in, s->passes, (unsigned long long)b->count);
    if (a->in > 0 && a->min_key == a->max_key) {
      settle_pile(s, j, a);
    } else if (b->collect && !a->overflow && a->n_values == a->in) {
      CET_CALL(settle_kept(s, j, a));
    } else {
      CET_CHECK(b->width > 0, CET_ERR_INPUT,
                "selection: pass %d kept %zu of the %llu values of a bracket", s->passes + 1,
                a->n_values, (unsigned long long)a->in);
      refine(s, j, a, next, &n_next, moved, &lowest_next);
    }
  }
  for (size_t i = 0; i < s->n_targets; i++) {
    s->t[i].in = moved[i] == -2 ? s->t[i].in : moved[i];
  }
  s->lowest_in = s->lowest_in == -2 ? -1 : s->lowest_in < 0 ? -1 : lowest_next;
  for (uint64_t k = 0; k < n_next; k++) {
    bracket *b = &next[k];
    b->collect = b->count <= s->par.buffer;
    int room = KEY_BITS - b->bits;
    b->width = b->collect ? 0 : (s->par.bits < room ? s->par.bits : room);
    b->sum_below = s->lowest_in == (int32_t)k;
  }
  memcpy(s->b, next, (size_t)n_next * sizeof *next);
  s->n_brackets = n_next;
  s->passes++;
  return CET_OK;
}

/* ---- state and result ---- */

void cet_select_state(const cet_select *s, const void **bytes, size_t *size) {
  *bytes = s;
  *size = sizeof *s;
}

int cet_select_set_state(cet_select *s, const void *bytes, size_t size) {
  CET_CHECK(size == sizeof *s, CET_ERR_INPUT, "selection: a state of %zu bytes, expected %zu", size,
            sizeof *s);
  cet_select *x = malloc(sizeof *x);
  CET_CHECK_ALLOC(x);
  memcpy(x, bytes, sizeof *x);
  int ok = x->par.buffer == s->par.buffer && x->par.first_bits == s->par.first_bits &&
           x->par.bits == s->par.bits && x->np == s->np && memcmp(x->p, s->p, sizeof x->p) == 0 &&
           x->n_targets <= CET_STATS_ORDER_MAX && x->n_brackets <= MAX_BRACKETS && x->passes >= 0 &&
           x->lowest_in >= -1 && x->lowest_in < (int64_t)x->n_brackets;
  for (uint64_t j = 0; ok && j < x->n_brackets; j++) {
    const bracket *b = &x->b[j];
    int most = x->passes == 0 ? MAX_FIRST_BITS : MAX_BITS;
    ok = b->bits >= 0 && b->bits <= KEY_BITS && b->width >= 0 && b->width <= most &&
         b->bits + b->width <= KEY_BITS;
  }
  for (uint64_t i = 0; ok && i < x->n_targets; i++) {
    ok = x->t[i].in >= -1 && x->t[i].in < (int64_t)x->n_brackets && x->t[i].rank < x->n;
  }
  if (ok) {
    memcpy(s, x, sizeof *s);
  }
  free(x);
  CET_CHECK(ok, CET_ERR_INPUT, "selection: the state does not belong to this selection");
  return CET_OK;
}

int cet_select_order(const cet_select *s, cet_stats_order *out) {
  CET_CHECK(cet_select_done(s), CET_ERR_INPUT, "selection: the order statistics are not found yet");
  memset(out, 0, sizeof *out);
  out->n = s->n;
  out->count = (size_t)s->n_targets;
  for (size_t i = 0; i < out->count; i++) {
    out->rank[i] = s->t[i].rank;
    out->value[i] = s->t[i].value;
  }
  out->lowest_count = s->lowest_count;
  out->lowest = s->lowest;
  cet_xsum_normalize(&out->lowest);
  return CET_OK;
}
