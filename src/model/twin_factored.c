/*
 * twin_factored.c — the NPV of the economics stage in factored form
 * (twin.h: cet_twin_workspace_factor_npv), for runs whose moved parameters
 * only scale whole cash-flow rows or set the discount rate.
 *
 * Whether a run's parameters qualify is decided from the structure of the
 * description, not by probing values: each moved parameter is looked up in
 * every field that reads it (phases, flows, lines, prices), and one field
 * that is not a multiplier of whole rows (a year, a renewal period, a
 * yearly value, a price level, a linked metric) refuses the form. Then a
 * model is built with every moved multiplier at its neutral value (1, a
 * contingency 0; a tied one, whose value over its default is the
 * multiplier, at its default); its rows, with the same price series and
 * the same multipliers, are summed into classes. A point's NPV is the sum
 * over the classes of the product of their multipliers at the point times
 * their present value at the point's rate (classes without a price
 * series) or their discounted schedule times the price series' path, the
 * series' factor one of their multipliers. The sums are split into PARTS
 * partial sums, so the NPV differs from the model's in its last bits.
 */
#include "twin_econ_impl.h"

#include "cetwin/clones.h"
#include "cetwin/error.h"
#include "cetwin/params.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Discount rates whose present values are kept (a Sobol' base row has the
 * rates of A and of B). */
enum { FACTORED_RATES = 2, ROW_TERMS = 6 };

/* Partial sums of a sum (the code adds the four at its end). */
enum { PARTS = 4 };

/* How a moved parameter enters: a multiplier, 1 + itself (a contingency),
 * the discount rate, a price series' factor. */
enum { USE_SCALE = 1, USE_PLUS_ONE = 2, USE_RATE = 4, USE_PRICE = 8 };

/* A multiplier of a row is keyed 2 slot + 1 for a contingency (1 + its
 * value), 2 slot for the value itself. */
static size_t term_key(size_t slot, int plus_one) { return 2 * slot + (plus_one != 0); }

struct econ_factored {
  size_t ny, n_classes, n_fixed; /* the classes without a price series come first */
  long *price;                   /* [classes] the price series, -1: none */
  size_t *first;     /* [classes + 1] class k's multipliers: key[first[k] .. first[k + 1] - 1] */
  size_t *key;       /* the multipliers of each class (factored_keys), ascending */
  size_t n_values;   /* the distinct multipliers, each evaluated once a point: */
  size_t *slot;      /* [values] its parameter */
  double *add;       /* [values] 1 for a contingency, else 0 */
  double *mul;       /* [values] 1, or 1 / the default of a tied parameter */
  size_t *value_key; /* [values] the key of each */
  double *value;     /* [values + 1] scratch: add + mul x the parameter's value; the last 1 */
  /* [width x classes] the multipliers of class c: value[term[j * classes + c]],
   * j < width, padded with the last value (1) */
  size_t width, *term;
  double *product;  /* [classes] scratch: each class's present value times its multipliers */
  double *schedule; /* [classes x ny] the summed rows at the neutral values */
  double *by_year;  /* [ny x n_fixed] those of the classes without a price series, by year */
  double *path;     /* [prices x ny] the deterministic paths at the defaults */
  size_t rate_slot; /* the discount rate */
  double rate[FACTORED_RATES];
  int rate_valid[FACTORED_RATES];
  size_t rate_next; /* the entry the next new rate replaces */
  double *disc;     /* [rates x classes x ny] the schedules discounted at rate[k] */
  double *pv;       /* [rates x classes] their sums */
  /* [rates x classes] the priced classes' discounted schedules times their
   * paths, valid (dot_valid[k]) for rate[k] and the paths of version
   * paths_version (econ_ws.paths_version) when keep_dots: no series reads
   * the workspace's own buffer, whose contents change without a call */
  double *dot;
  int dot_valid[FACTORED_RATES], keep_dots, paths_known;
  unsigned long paths_version;
  size_t n_prices;
  double *factor; /* [ny] scratch: the discount factors of a new rate */
};

void cet_twin_econ_factored_destroy(struct econ_factored **f) {
  if (!f || !*f) {
    return;
  }
  free((*f)->price);
  free((*f)->first);
  free((*f)->key);
  free((*f)->term);
  free((*f)->slot);
  free((*f)->add);
  free((*f)->mul);
  free((*f)->value_key);
  free((*f)->value);
  free((*f)->product);
  free((*f)->schedule);
  free((*f)->by_year);
  free((*f)->path);
  free((*f)->disc);
  free((*f)->pv);
  free((*f)->dot);
  free((*f)->factor);
  free(*f);
  *f = NULL;
}

/* ---- the rule ---- */

typedef struct {
  const cet_twin *t;
  const econ_data *d;
  const unsigned char *moved; /* [parameters] */
  unsigned char *use;         /* [parameters] USE_* of the moved ones */
  char *why;
  size_t len;
} factored_check;

/* 0 (and why) when slot is moved: it feeds what a multiplier cannot. */
static int fixed_slot(factored_check *c, long slot, const char *where, const char *what) {
  if (slot < 0 || !c->moved[slot]) {
    return 1;
  }
  snprintf(c->why, c->len, "%s moves %s of %s", cet_params_path(c->t->params, (size_t)slot), what,
           where);
  return 0;
}

/* 0 (and why) when slot is moved and its range is not within [lo, hi],
 * which the model checks of the field what of line where at every point
 * (the factored form does not): the range of every setting a run uses is
 * checked against the parameter's when the run is read. */
static int within(factored_check *c, long slot, double lo, double hi, const char *where,
                  const char *what) {
  if (slot < 0 || !c->moved[slot]) {
    return 1;
  }
  const double a = cet_params_lo(c->t->params, (size_t)slot),
               b = cet_params_hi(c->t->params, (size_t)slot);
  if (a >= lo && b <= hi) {
    return 1;
  }
  snprintf(c->why, c->len, "%s moves %s of %s within [%g, %g], and the model requires [%g, %g]",
           cet_params_path(c->t->params, (size_t)slot), what, where, a, b, lo, hi);
  return 0;
}

static void mark_use(factored_check *c, long slot, int use) {
  if (slot >= 0 && c->moved[slot]) {
    c->use[slot] |= (unsigned char)use;
  }
}

/* The uses of the moved parameters in the description, 0 (and why) at
 * the first one that is not a multiplier of whole rows. */
static int find_uses(factored_check *c) {
  const econ_data *d = c->d;
  mark_use(c, d->discount_rate, USE_RATE);
  for (size_t i = 0; i < d->n_phases; i++) {
    const cet_econ_phase *ph = &d->phases[i];
    if (!fixed_slot(c, ph->first_year, ph->name, "a year") ||
        !fixed_slot(c, ph->last_year, ph->name, "a year")) {
      return 0;
    }
  }
  for (size_t i = 0; i < d->n_flows; i++) {
    const cet_econ_flow *f = &d->flows[i];
    if (d->flow_metric[i] >= 0) {
      snprintf(c->why, c->len, "flow %s is linked to metric %s", f->name, f->metric);
      return 0;
    }
    for (size_t y = 0; f->by_year && y < d->ny; y++) {
      if (!fixed_slot(c, f->by_year[y], f->name, "a yearly quantity")) {
        return 0;
      }
    }
    if (!f->by_year) {
      mark_use(c, f->per_year, USE_SCALE);
    }
  }
  for (size_t i = 0; i < d->n_lines; i++) {
    const cet_econ_line *l = &d->lines[i];
    if (!fixed_slot(c, l->year, l->name, "a year") ||
        !fixed_slot(c, l->renewal_year, l->name, "a year") ||
        !fixed_slot(c, l->renewal_period, l->name, "a renewal period") ||
        !fixed_slot(c, l->liquidation_year, l->name, "a year") ||
        (l->direction != CET_DCF_COST &&
         !fixed_slot(c, l->contingency, l->name, "the contingency (0 for income)")) ||
        !within(c, l->payable, 0.0, 1.0, l->name, "the payable fraction") ||
        !within(c, l->liquidation, 0.0, 1.0, l->name, "the liquidation fraction") ||
        !within(c, l->contingency, 0.0, INFINITY, l->name, "the contingency")) {
      return 0;
    }
    mark_use(c, l->amount, USE_SCALE);
    mark_use(c, l->unit_value, USE_SCALE);
    mark_use(c, l->payable, USE_SCALE);
    mark_use(c, l->contingency, USE_PLUS_ONE);
    mark_use(c, l->liquidation, USE_SCALE);
  }
  for (size_t k = 0; k < d->n_prices; k++) {
    const cet_econ_price *pr = &d->prices[k];
    if (pr->kind == CET_ECON_PRICE_CONSTANT &&
        !fixed_slot(c, pr->value[d->scenario], pr->name, "the value")) {
      return 0;
    }
    for (size_t v = 0; v < pr->n_values; v++) {
      if (!fixed_slot(c, pr->values[v], pr->name, "a value")) {
        return 0;
      }
    }
    mark_use(c, pr->factor, USE_PRICE);
  }
  const size_t np = cet_params_count(c->t->params);
  for (size_t s = 0; s < np; s++) {
    const unsigned u = c->use[s];
    if (u & (u - 1u) && u != (USE_SCALE | USE_PRICE)) {
      snprintf(c->why, c->len, "%s enters the cash flow in two ways",
               cet_params_path(c->t->params, s));
      return 0;
    }
  }
  return 1;
}

/* The multipliers of line i's main row (liq 0) or liquidation row (liq 1)
 * into key, ascending; returns their count: the moved parameters the row's
 * kind reads (key_of, SIZE_MAX where not moved; a field the kind does not
 * read is no multiplier of it), and the factor of its price series, moved
 * or not. */
static size_t row_terms(const econ_data *d, const size_t *key_of, size_t i, int liq, size_t *key) {
  const cet_econ_line *l = &d->lines[i];
  long slot[ROW_TERMS] = {l->amount, l->contingency, -1, -1, -1, -1};
  if (l->kind == CET_DCF_CAPEX) {
    slot[2] = l->unit_value;
    slot[3] = liq ? l->liquidation : -1;
  } else {
    slot[2] = l->payable;
    slot[3] = l->price < 0 ? l->unit_value : -1;
    if (l->kind == CET_DCF_RECURRING && l->flow >= 0 && !d->flows[l->flow].by_year) {
      slot[4] = d->flows[l->flow].per_year;
    }
  }
  size_t n = 0;
  for (size_t k = 0; k < ROW_TERMS; k++) {
    if (slot[k] < 0 || key_of[slot[k]] == SIZE_MAX) {
      continue;
    }
    const size_t x = key_of[slot[k]];
    size_t at = n++; /* insertion, ascending */
    for (; at > 0 && key[at - 1] > x; at--) {
      key[at] = key[at - 1];
    }
    key[at] = x;
  }
  const long factor = l->price >= 0 ? d->prices[l->price].factor : -1;
  if (factor >= 0) {
    const size_t x = key_of[factor] == SIZE_MAX ? term_key((size_t)factor, 0) : key_of[factor];
    size_t at = n++;
    for (; at > 0 && key[at - 1] > x; at--) {
      key[at] = key[at - 1];
    }
    key[at] = x;
  }
  return n;
}

/* ---- the classes ---- */

/* Adds row r of model (line i's main row or liquidation row) to the class
 * of its price series and terms, a new one if none has them. */
static void add_row(struct econ_factored *f, const cet_dcf *model, size_t r, const size_t *key,
                    size_t n) {
  const long price = cet_dcf_row_price(model, r);
  size_t k = 0;
  for (; k < f->n_classes; k++) {
    const size_t nk = f->first[k + 1] - f->first[k];
    if (f->price[k] == price && nk == n &&
        (n == 0 || memcmp(f->key + f->first[k], key, n * sizeof *key) == 0)) {
      break;
    }
  }
  if (k == f->n_classes) { /* classes are made in order: the new one's terms go last */
    f->price[k] = price;
    memcpy(f->key + f->first[k], key, n * sizeof *key);
    f->first[k + 1] = f->first[k] + n;
    f->n_classes++;
  }
  const double *s = cet_dcf_row_schedule(model, r);
  for (size_t y = 0; y < f->ny; y++) {
    f->schedule[k * f->ny + y] += s[y];
  }
}

/* The keys of the moved parameters (key_of, SIZE_MAX where not moved):
 * term_key of the slot, or 2 (np + the rank of its tie): tied parameters
 * move in proportion, their value over their default one multiplier, read
 * from the first of them (rep[rank]). */
typedef struct {
  size_t np, *key_of, *rep;
  const double *defaults;
} factored_keys;

static int build_classes(struct econ_factored *f, const econ_data *d, const factored_keys *fk,
                         const cet_dcf *model) {
  const size_t rows = cet_dcf_n_rows(model);
  f->price = malloc((rows + 1) * sizeof *f->price);
  f->first = calloc(rows + 2, sizeof *f->first);
  f->key = malloc((rows * ROW_TERMS + 1) * sizeof *f->key);
  f->term = malloc((rows * ROW_TERMS + 1) * sizeof *f->term);
  f->product = malloc((rows + 1) * sizeof *f->product);
  f->slot = malloc((rows * ROW_TERMS + 1) * sizeof *f->slot);
  f->add = malloc((rows * ROW_TERMS + 1) * sizeof *f->add);
  f->mul = malloc((rows * ROW_TERMS + 1) * sizeof *f->mul);
  f->value_key = malloc((rows * ROW_TERMS + 1) * sizeof *f->value_key);
  f->value = malloc((rows * ROW_TERMS + 2) * sizeof *f->value);
  f->schedule = calloc(rows * f->ny + 1, sizeof *f->schedule);
  f->disc = calloc(FACTORED_RATES * rows * f->ny + 1, sizeof *f->disc);
  f->pv = calloc(FACTORED_RATES * rows + 1, sizeof *f->pv);
  f->factor = calloc(f->ny + 1, sizeof *f->factor);
  f->dot = calloc(FACTORED_RATES * rows + 1, sizeof *f->dot);
  f->n_prices = d->n_prices;
  CET_CHECK_ALLOCS(f->price && f->first && f->key && f->term && f->product && f->slot && f->add &&
                   f->mul && f->value_key && f->value && f->schedule && f->disc && f->pv &&
                   f->factor && f->dot);
  for (int priced = 0; priced < 2; priced++) { /* the classes without a price series first */
    for (size_t i = 0; i < d->n_lines; i++) {
      size_t key[ROW_TERMS];
      long row[2];
      cet_dcf_line_rows(model, i, &row[0], &row[1]);
      for (int liq = 0; liq < 2; liq++) {
        if (row[liq] >= 0 && (cet_dcf_row_price(model, (size_t)row[liq]) >= 0) == priced) {
          add_row(f, model, (size_t)row[liq], key, row_terms(d, fk->key_of, i, liq, key));
        }
      }
    }
    f->n_fixed = priced ? f->n_fixed : f->n_classes;
  }
  const size_t nc = f->n_classes;
  for (size_t c = 0; c < nc; c++) {
    f->width = f->first[c + 1] - f->first[c] > f->width ? f->first[c + 1] - f->first[c] : f->width;
  }
  size_t *at = malloc((f->first[nc] + 1) * sizeof *at); /* of each key among the values */
  CET_CHECK_ALLOC(at);
  for (size_t e = 0; e < f->first[nc]; e++) { /* the distinct multipliers */
    size_t v = 0;
    while (v < f->n_values && f->value_key[v] != f->key[e]) {
      v++;
    }
    if (v == f->n_values) {
      const size_t x = f->key[e], tied = x / 2 >= fk->np;
      f->value_key[v] = x;
      f->slot[v] = tied ? fk->rep[x / 2 - fk->np] : x / 2;
      f->add[v] = (double)(x % 2);
      f->mul[v] = tied ? 1.0 / fk->defaults[f->slot[v]] : 1.0;
      f->n_values++;
    }
    at[e] = v;
  }
  f->value[f->n_values] = 1.0;
  for (size_t c = 0; c < nc; c++) {
    for (size_t j = 0; j < f->width; j++) {
      const size_t e = f->first[c] + j;
      f->term[j * nc + c] = e < f->first[c + 1] ? at[e] : f->n_values;
    }
  }
  free(at);
  f->by_year = malloc((f->n_fixed * f->ny + 1) * sizeof *f->by_year);
  CET_CHECK_ALLOC(f->by_year);
  for (size_t c = 0; c < f->n_fixed; c++) {
    for (size_t y = 0; y < f->ny; y++) {
      f->by_year[y * f->n_fixed + c] = f->schedule[c * f->ny + y];
    }
  }
  return CET_OK;
}

/* The factored form of the run moving the marked parameters, or NULL
 * (and why) when they refuse it. */
static int factored_create(const cet_twin *t, const econ_data *d, const unsigned char *moved,
                           const size_t *tie_of, char *why, size_t len,
                           struct econ_factored **out) {
  const size_t np = cet_params_count(t->params);
  const double *defaults = cet_params_values(t->params);
  unsigned char *use = calloc(np + 1, 1);
  double *neutral = malloc((np + 1) * sizeof *neutral);
  factored_keys fk = {np, malloc((np + 1) * sizeof *fk.key_of), malloc((np + 1) * sizeof *fk.rep),
                      defaults};
  size_t *tie = malloc((np + 1) * sizeof *tie), ties = 0; /* the ties by rank */
  struct econ_factored *f = calloc(1, sizeof *f);
  cet_dcf *model = NULL;
  int status = CET_OK;
  *out = NULL;
  CET_CHECK_ALLOC_GOTO(status, done, use && neutral && fk.key_of && fk.rep && tie && f);
  factored_check c = {t, d, moved, use, why, len};
  if (!find_uses(&c)) {
    goto done;
  }
  for (size_t s = 0; s < np; s++) {
    /* tied: a multiplier alone, with a default to divide by */
    const int tied =
        tie_of[s] != SIZE_MAX && use[s] == USE_SCALE && defaults[s] != 0.0 && isfinite(defaults[s]);
    size_t r = 0;
    while (tied && r < ties && tie[r] != tie_of[s]) {
      r++;
    }
    if (tied && r == ties) {
      tie[ties] = tie_of[s];
      fk.rep[ties++] = s;
    }
    fk.key_of[s] = !moved[s] ? SIZE_MAX
                   : tied    ? term_key(np + r, 0)
                             : term_key(s, use[s] == USE_PLUS_ONE);
    neutral[s] = defaults[s]; /* tied: rows at the defaults */
    if (!tied && use[s] & (USE_SCALE | USE_PRICE)) {
      neutral[s] = 1.0;
    } else if (use[s] & USE_PLUS_ONE) {
      neutral[s] = 0.0;
    }
  }
  if (cet_twin_econ_model_at(t, d, neutral, &model) != CET_OK) {
    snprintf(why, len, "the neutral values give no model: %s", cet_error_message());
    cet_error_clear();
    goto done;
  }
  f->ny = d->ny;
  f->rate_slot = (size_t)d->discount_rate;
  CET_CALL_GOTO(status, done, build_classes(f, d, &fk, model));
  f->path = malloc((d->n_prices * d->ny + 1) * sizeof *f->path);
  CET_CHECK_ALLOC_GOTO(status, done, f->path);
  for (size_t k = 0; k < d->n_prices; k++) {
    for (size_t y = 0; y < d->ny; y++) {
      f->path[k * d->ny + y] = cet_twin_econ_base_price(d, defaults, k, y);
    }
  }
  *out = f;
  f = NULL;
done:
  cet_dcf_destroy(&model);
  cet_twin_econ_factored_destroy(&f);
  free(use);
  free(neutral);
  free(fk.key_of);
  free(fk.rep);
  free(tie);
  return status;
}

int cet_twin_workspace_factor_npv(cet_twin_workspace *w, const size_t *slots, const size_t *tie,
                                  size_t n, int *applies, char *why, size_t len) {
  const cet_twin *t = w->twin;
  const econ_data *d = cet_twin_econ_of(t);
  *applies = 0;
  if (len > 0) {
    why[0] = '\0';
  }
  if (!d) {
    snprintf(why, len, "the twin has no economics");
    return CET_OK;
  }
  econ_ws *ws = cet_twin_econ_ws_of(w);
  cet_twin_econ_factored_destroy(&ws->factored);
  if (n == 0) {
    return CET_OK;
  }
  const size_t np = cet_params_count(t->params);
  unsigned char *moved = calloc(np + 1, 1);
  size_t *tie_of = malloc((np + 1) * sizeof *tie_of);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, moved && tie_of);
  for (size_t s = 0; s < np; s++) {
    tie_of[s] = SIZE_MAX;
  }
  for (size_t k = 0; k < n; k++) { /* a parameter listed twice is not tied */
    tie_of[slots[k]] = tie && !moved[slots[k]] ? tie[k] : SIZE_MAX;
    moved[slots[k]] = 1;
  }
  status = factored_create(t, d, moved, tie_of, why, len, &ws->factored);
done:
  free(moved);
  free(tie_of);
  CET_CALL(status);
  *applies = ws->factored != NULL;
  return CET_OK;
}

/* ---- a point ---- */

/* pv[c] = sum over the years y of by_year[y * nf + c] x factor[y], in
 * year order, for c < nf, built for the widest vectors the processor has
 * (one class a lane). */
CET_CLONES static void present_values(double *restrict pv, const double *restrict by_year,
                                      const double *restrict factor, size_t nf, size_t ny) {
  for (size_t c = 0; c < nf; c++) {
    pv[c] = 0.0;
  }
  for (size_t y = 0; y < ny; y++) {
    for (size_t c = 0; c < nf; c++) {
      pv[c] += by_year[y * nf + c] * factor[y];
    }
  }
}

/* The entry of the rates holding r's present values (the classes without
 * a price series) and discounted schedules (the others), made when new. */
static size_t rate_entry(struct econ_factored *f, double r) {
  for (size_t k = 0; k < FACTORED_RATES; k++) {
    if (f->rate_valid[k] && memcmp(&f->rate[k], &r, sizeof r) == 0) {
      return k;
    }
  }
  const size_t k = f->rate_next, ny = f->ny, nc = f->n_classes;
  f->rate_next = (k + 1) % FACTORED_RATES;
  double *disc = f->disc + k * nc * ny, *pv = f->pv + k * nc, *factor = f->factor;
  /* (1 + r)^-y by one division and a product per year: within a few units
   * in the last place of pow's factors (the form agrees with the model to
   * rounding, not in its bits), at a fraction of the cost of a pow a year */
  const double v = 1.0 / (1.0 + r);
  factor[0] = 1.0;
  for (size_t y = 1; y < ny; y++) {
    factor[y] = factor[y - 1] * v;
  }
  present_values(pv, f->by_year, factor, f->n_fixed, ny);
  for (size_t c = f->n_fixed; c < nc; c++) {
    for (size_t y = 0; y < ny; y++) {
      disc[c * ny + y] = f->schedule[c * ny + y] * factor[y];
    }
  }
  f->rate[k] = r;
  f->rate_valid[k] = 1;
  f->dot_valid[k] = 0;
  return k;
}

/* product[c] *= value[term[j * nc + c]] for j < width, c < nc, built for
 * the widest vectors the processor has (gathers). */
CET_CLONES static void multiply_terms(double *restrict product, const double *restrict value,
                                      const size_t *restrict term, size_t nc, size_t width) {
  for (size_t j = 0; j < width; j++) {
    const size_t *restrict tj = term + j * nc;
    for (size_t c = 0; c < nc; c++) {
      product[c] *= value[tj[c]];
    }
  }
}

/* out[c] = the discounted schedule of priced class c (disc) times its
 * series' path, in PARTS partial sums. */
static void path_products(const struct econ_factored *f, const econ_ws *ws, const double *disc,
                          double *out) {
  const size_t ny = f->ny, nc = f->n_classes;
  for (size_t c = f->n_fixed; c < nc; c++) {
    const size_t s = (size_t)f->price[c];
    const double *path = ws->is_drawn[s] ? ws->path[s] : f->path + s * ny;
    const size_t stride = ws->is_drawn[s] ? ws->path_stride[s] : 1;
    const double *dc = disc + c * ny;
    double dot[PARTS] = {0.0};
    size_t y = 0;
    for (; y + PARTS <= ny; y += PARTS) {
      for (size_t q = 0; q < PARTS; q++) {
        dot[q] += dc[y + q] * path[(y + q) * stride];
      }
    }
    for (; y < ny; y++) {
      dot[y % PARTS] += dc[y] * path[y * stride];
    }
    out[c] = (dot[0] + dot[1]) + (dot[2] + dot[3]);
  }
}

/* Whether a drawn series of a priced class reads ws's own buffer (its
 * contents change without a call that moves paths_version). */
static int reads_own_buffer(const struct econ_factored *f, const econ_ws *ws) {
  const uintptr_t lo = (uintptr_t)ws->drawn, hi = (uintptr_t)(ws->drawn + f->n_prices * f->ny);
  for (size_t c = f->n_fixed; c < f->n_classes; c++) {
    const size_t s = (size_t)f->price[c];
    if (ws->is_drawn[s] && (uintptr_t)ws->path[s] >= lo && (uintptr_t)ws->path[s] < hi) {
      return 1;
    }
  }
  return 0;
}

int cet_twin_econ_factored_npv(struct econ_factored *f, const econ_ws *ws, const double *p,
                               double *npv) {
  const double r = p[f->rate_slot];
  if (!(r > -1.0) || !isfinite(r)) {
    return 0;
  }
  const size_t k = rate_entry(f, r), ny = f->ny, nc = f->n_classes;
  const double *disc = f->disc + k * nc * ny, *pv = f->pv + k * nc;
  double *restrict value = f->value, *restrict product = f->product;
  const size_t *restrict term = f->term;
  for (size_t v = 0; v < f->n_values; v++) {
    value[v] = f->add[v] + f->mul[v] * p[f->slot[v]];
  }
  memcpy(product, pv, f->n_fixed * sizeof *product);
  if (!f->paths_known || ws->paths_version != f->paths_version) {
    f->paths_known = 1;
    f->paths_version = ws->paths_version;
    f->keep_dots = !reads_own_buffer(f, ws);
    for (size_t e = 0; e < FACTORED_RATES; e++) {
      f->dot_valid[e] = 0;
    }
  }
  double *dot = f->dot + k * nc;
  if (!f->dot_valid[k] || !f->keep_dots) {
    path_products(f, ws, disc, dot);
    f->dot_valid[k] = 1;
  }
  memcpy(product + f->n_fixed, dot + f->n_fixed, (nc - f->n_fixed) * sizeof *product);
  /* multiplier by multiplier over every class (each class's product in
   * the order of its multipliers), then summed in PARTS partial sums: one
   * chain of additions would wait on each */
  multiply_terms(product, value, term, nc, f->width);
  double part[PARTS] = {0.0};
  size_t c = 0;
  for (; c + PARTS <= nc; c += PARTS) {
    for (size_t q = 0; q < PARTS; q++) {
      part[q] += product[c + q];
    }
  }
  for (; c < nc; c++) {
    part[c % PARTS] += product[c];
  }
  const double sum = (part[0] + part[1]) + (part[2] + part[3]);
  if (!isfinite(sum)) {
    return 0;
  }
  *npv = sum;
  return 1;
}
