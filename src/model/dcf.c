/*
 * dcf.c — the DCF model's shape and numbers (see include/cetwin/dcf.h):
 * the default parameters, the rows and groups a description makes at
 * creation, the yearly schedules, an update that recomputes only what its
 * description changes, and the accessors. The checks are in dcf_check.c,
 * the evaluation and the cash-flow table in dcf_eval.c.
 */
#include "dcf_impl.h"
#include "marks.h"

#include "cetwin/clones.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const DEFAULT_LIQUIDATION_GROUP = "asset liquidation";
static const char *const LIQUIDATION_SUFFIX = " liquidation";

cet_dcf_parameters cet_dcf_default_parameters(void) {
  cet_dcf_parameters p;
  p.irr_min = -0.99;
  p.irr_max = 10.0;
  p.irr_grid = 200;
  p.irr_tolerance = 1e-10;
  p.irr_max_iter = 100;
  return p;
}

cet_dcf_line cet_dcf_line_init(void) {
  cet_dcf_line l;
  memset(&l, 0, sizeof l);
  l.kind = CET_DCF_RECURRING;
  l.direction = CET_DCF_COST;
  l.amount = 1.0;
  l.flow = -1;
  l.phase = -1;
  l.price = -1;
  l.payable = 1.0;
  l.liquidation_year = -1;
  return l;
}

/* ---- schedules ---------------------------------------------------------- */

static double flow_value(const cet_dcf_description *d, long f, int t) {
  const cet_dcf_flow *flow = &d->flows[f];
  const cet_dcf_phase *p = &d->phases[flow->phase];
  if (t < p->first_year || t > p->last_year) {
    return 0.0;
  }
  return flow->by_year != NULL ? flow->by_year[t] : flow->per_year;
}

/* Writes the schedule of line i into main (and its liquidation credit into
 * liq when not NULL); both have horizon + 1 entries and are overwritten. */
static void line_schedule(const cet_dcf_description *d, size_t i, double *main, double *liq) {
  const cet_dcf_line *l = &d->lines[i];
  const size_t n_years = (size_t)d->horizon + 1;
  const double sign = l->direction == CET_DCF_COST ? -1.0 : 1.0;
  const double factor = sign * (1.0 + l->contingency) * l->amount * l->payable;
  memset(main, 0, n_years * sizeof *main);
  if (liq != NULL) {
    memset(liq, 0, n_years * sizeof *liq);
  }
  switch (l->kind) {
  case CET_DCF_RECURRING: {
    const cet_dcf_phase *p = &d->phases[l->phase >= 0 ? l->phase : d->flows[l->flow].phase];
    const double value = l->price >= 0 ? 1.0 : l->unit_value;
    for (int t = p->first_year; t <= p->last_year; t++) {
      double q = l->flow >= 0 ? flow_value(d, l->flow, t) : 1.0;
      main[t] = factor * q * value;
    }
    return;
  }
  case CET_DCF_SPREAD: {
    const cet_dcf_phase *p = &d->phases[l->phase];
    const double share = factor * l->unit_value / (double)(p->last_year - p->first_year + 1);
    for (int t = p->first_year; t <= p->last_year; t++) {
      main[t] = share;
    }
    return;
  }
  case CET_DCF_CAPEX: {
    const double investment = (1.0 + l->contingency) * l->amount * l->unit_value;
    const int end = l->liquidation_year >= 0 ? l->liquidation_year : d->horizon;
    main[l->year] -= investment;
    for (int y = l->renewal_year; l->renewal_year > 0 && y < end; y += l->renewal_period) {
      main[y] -= investment;
      if (l->renewal_period == 0) {
        break;
      }
    }
    if (liq != NULL) {
      liq[end] = l->liquidation * investment;
    }
    return;
  }
  }
}

/* ---- what an update changes --------------------------------------------- */

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* 1 when the numbers of two lines of the same shape are the same bits. */
static int same_line_numbers(const cet_dcf_line *a, const cet_dcf_line *b) {
  return same_double(a->amount, b->amount) && same_double(a->unit_value, b->unit_value) &&
         same_double(a->payable, b->payable) && same_double(a->contingency, b->contingency) &&
         same_double(a->liquidation, b->liquidation) && a->year == b->year &&
         a->renewal_year == b->renewal_year && a->renewal_period == b->renewal_period &&
         a->liquidation_year == b->liquidation_year;
}

/* 1 when flow i of d has the phase and numbers it had at the last update. */
static int same_flow(const cet_dcf *m, const cet_dcf_description *d, size_t i) {
  const cet_dcf_flow *f = &d->flows[i], *last = &m->flow_last[i];
  return f->phase == last->phase && same_double(f->per_year, last->per_year) &&
         (f->by_year != NULL) == (last->by_year != NULL) &&
         (f->by_year == NULL ||
          memcmp(f->by_year, last->by_year, m->n_years * sizeof(double)) == 0);
}

static int has_liquidation_row(const cet_dcf_line *l) {
  return l->kind == CET_DCF_CAPEX && (l->liquidation > 0.0 || l->liquidation_row);
}

/* Checks that d has the model's horizon and counts. */
static int check_same_counts(const cet_dcf *m, const cet_dcf_description *d) {
  CET_CHECK(d->horizon == m->horizon && d->n_phases == m->n_phases && d->n_flows == m->n_flows &&
                d->n_prices == m->prices.n && d->n_lines == m->n_lines,
            CET_ERR_INPUT,
            "DCF update: the description must keep the model's shape (horizon %d, %zu phases, %zu "
            "flows, %zu prices, %zu lines), found %d, %zu, %zu, %zu, %zu",
            m->horizon, m->n_phases, m->n_flows, m->prices.n, m->n_lines, d->horizon, d->n_phases,
            d->n_flows, d->n_prices, d->n_lines);
  return CET_OK;
}

/* Checks that line i of d keeps the model's shape; a group text found
 * equal to the model's is remembered by its pointer, which the next
 * update then need not compare. */
static int check_line_shape(cet_dcf *m, const cet_dcf_description *d, size_t i) {
  const cet_dcf_line *l = &d->lines[i];
  cet_dcf_line *last = &m->line_last[i];
  int same_group = l->group != NULL && l->group == last->group;
  if (!same_group && l->group != NULL &&
      strcmp(l->group, m->groups.name[m->row_group[m->line_row[i]]]) == 0) {
    last->group = l->group;
    same_group = 1;
  }
  CET_CHECK(l->kind == last->kind && l->direction == last->direction && l->flow == last->flow &&
                l->phase == last->phase && l->price == last->price &&
                has_liquidation_row(l) == (m->line_liq_row[i] >= 0) && same_group,
            CET_ERR_INPUT,
            "DCF update: line %zu ('%s') changed its kind, direction, flow, phase, price series, "
            "group or liquidation row; only numbers and phase years may change",
            i + 1, m->rows.name[m->line_row[i]]);
  return CET_OK;
}

/* Marks the phases and flows whose numbers d changes. Only the
 * candidates of maybe (n_phases + n_flows bytes in that order, NULL for
 * all) are compared: the caller knows the others kept their numbers.
 * Reads the indices of the changed flows only after comparing them, so an
 * invalid index is never followed. Returns 1 when a phase or flow
 * changed. */
static int find_phase_flow_changes(cet_dcf *m, const cet_dcf_description *d,
                                   const unsigned char *maybe) {
  const unsigned char *maybe_flow = maybe ? maybe + m->n_phases : NULL;
  int phase = 0;
  for (size_t i = 0; i < m->n_phases; i++) {
    m->phase_dirty[i] =
        (!maybe || maybe[i]) && (d->phases[i].first_year != m->phase_last[i].first_year ||
                                 d->phases[i].last_year != m->phase_last[i].last_year);
    phase |= m->phase_dirty[i];
  }
  int phase_or_flow = phase;
  if (maybe_flow && !phase) { /* the marked flows alone (the marks are 0 between updates) */
    const size_t n = m->n_flows;
    for (size_t i = cet_marks_next(maybe_flow, 0, n); i < n;
         i = cet_marks_next(maybe_flow, i + 1, n)) {
      m->flow_dirty[i] = !same_flow(m, d, i);
      phase_or_flow |= m->flow_dirty[i];
    }
  } else {
    for (size_t i = 0; i < m->n_flows; i++) {
      m->flow_dirty[i] = ((!maybe_flow || maybe_flow[i]) && !same_flow(m, d, i)) ||
                         m->phase_dirty[d->flows[i].phase];
      phase_or_flow |= m->flow_dirty[i];
    }
  }
  return phase_or_flow;
}

/* Checks the shape of each candidate line of maybe_line (NULL for all),
 * marks the lines whose numbers d changes or whose phase or flow changed
 * (find_phase_flow_changes before) and checks the numbers of each marked
 * line, in line order, one walk over the lines. */
static int find_line_changes(cet_dcf *m, const cet_dcf_description *d,
                             const unsigned char *maybe_line, int phase_or_flow) {
  const size_t n = m->n_lines;
  if (maybe_line && !phase_or_flow) { /* the marked lines alone (the marks are 0 between updates) */
    for (size_t i = cet_marks_next(maybe_line, 0, n); i < n;
         i = cet_marks_next(maybe_line, i + 1, n)) {
      CET_CALL(check_line_shape(m, d, i));
      if (!same_line_numbers(&d->lines[i], &m->line_last[i])) {
        m->line_dirty[i] = 1;
        CET_CALL(cet_dcf_check_line_numbers(d, i));
      }
    }
    return CET_OK;
  }
  for (size_t i = 0; i < n; i++) {
    const cet_dcf_line *l = &d->lines[i];
    const int candidate = !maybe_line || maybe_line[i];
    if (candidate) {
      CET_CALL(check_line_shape(m, d, i));
    }
    int dirty = candidate && !same_line_numbers(l, &m->line_last[i]);
    if (l->kind != CET_DCF_CAPEX) {
      dirty = dirty || (l->phase >= 0 && m->phase_dirty[l->phase]) ||
              (l->flow >= 0 && m->flow_dirty[l->flow]);
    }
    m->line_dirty[i] = (unsigned char)dirty;
    if (dirty) {
      CET_CALL(cet_dcf_check_line_numbers(d, i));
    }
  }
  return CET_OK;
}

/* Keeps the numbers of the marked phases and flows for the next update's
 * comparison (no strings: the model keeps those of the creation); the
 * lines' numbers are kept as they are rescheduled (precompute). */
static void remember(cet_dcf *m, const cet_dcf_description *d) {
  for (size_t i = cet_marks_next(m->phase_dirty, 0, m->n_phases); i < m->n_phases;
       i = cet_marks_next(m->phase_dirty, i + 1, m->n_phases)) {
    m->phase_last[i].first_year = d->phases[i].first_year;
    m->phase_last[i].last_year = d->phases[i].last_year;
  }
  for (size_t i = cet_marks_next(m->flow_dirty, 0, m->n_flows); i < m->n_flows;
       i = cet_marks_next(m->flow_dirty, i + 1, m->n_flows)) {
    const cet_dcf_flow *f = &d->flows[i];
    cet_dcf_flow *last = &m->flow_last[i];
    last->phase = f->phase;
    last->per_year = f->per_year;
    last->by_year = NULL;
    if (f->by_year != NULL) {
      double *years = m->flow_year_last + i * m->n_years;
      memcpy(years, f->by_year, m->n_years * sizeof *years);
      last->by_year = years;
    }
  }
}

/* Keeps the numbers of line l (the rest is the model's shape). */
static void remember_line(cet_dcf_line *last, const cet_dcf_line *l) {
  last->amount = l->amount;
  last->unit_value = l->unit_value;
  last->payable = l->payable;
  last->contingency = l->contingency;
  last->liquidation = l->liquidation;
  last->year = l->year;
  last->renewal_year = l->renewal_year;
  last->renewal_period = l->renewal_period;
  last->liquidation_year = l->liquidation_year;
}

/* Years summed at once by sum_rows, in registers; the schedule array has
 * SUM_BLOCK doubles of padding after its last row, so that a block may
 * read past a row's last year (into the next row or the padding) and drop
 * those sums. */
enum { SUM_BLOCK = 16 };

/* out[t] = the sum of the schedules of rows[0..n-1] in year t, added in
 * that order to 0 (the bits of adding row after row into a zeroed array,
 * without its stores and loads between the rows): SUM_BLOCK chains of
 * additions side by side, one per year. */
CET_CLONES static void sum_rows(const double *restrict schedule, size_t ny,
                                const size_t *restrict rows, size_t n, double *restrict out) {
  for (size_t t0 = 0; t0 < ny; t0 += SUM_BLOCK) {
    double acc[SUM_BLOCK] = {0.0};
    for (size_t k = 0; k < n; k++) {
      const double *restrict s = schedule + rows[k] * ny + t0;
      for (size_t j = 0; j < SUM_BLOCK; j++) {
        acc[j] += s[j];
      }
    }
    memcpy(out + t0, acc, (ny - t0 < SUM_BLOCK ? ny - t0 : SUM_BLOCK) * sizeof *acc);
  }
}

/* The running sums of the schedules of rows[first..n-1], added in that
 * order to row first of sums: sums row k + 1 = sums row k + the schedule
 * of rows[k] (rows of stride, a whole number of SUM_BLOCK; the years past
 * ny hold what the padding gives). The bits of sum_rows over rows[0..k]
 * in row k + 1, with as many dependent additions as rows after first. */
CET_CLONES static void sum_rows_from(const double *restrict schedule, size_t ny,
                                     const size_t *restrict rows, size_t first, size_t n,
                                     double *restrict sums, size_t stride) {
  for (size_t t0 = 0; t0 < ny; t0 += SUM_BLOCK) {
    double acc[SUM_BLOCK];
    memcpy(acc, sums + first * stride + t0, sizeof acc);
    for (size_t k = first; k < n; k++) {
      const double *restrict s = schedule + rows[k] * ny + t0;
      for (size_t j = 0; j < SUM_BLOCK; j++) {
        acc[j] += s[j];
      }
      memcpy(sums + (k + 1) * stride + t0, acc, sizeof acc);
    }
  }
}

/* The discounted rows of the stale groups and their discounted fixed cash
 * (the price-driven rows' cash is added at evaluation), each group's rows
 * in row order. The arrays are distinct allocations (restrict), and a
 * row's group total is summed in a register, year by year as before (the
 * same bits): through memory each addition waited for the store of the
 * one before, almost a third of the time of a Sobol' run of the Bollrich
 * twin. */
static void group_totals(cet_dcf *m) {
  const size_t ny = m->n_years;
  const double *restrict discount = m->discount;
  for (size_t g = 0; g < m->groups.n; g++) {
    if (m->group_stale[g]) {
      m->group_fixed[g] = 0.0;
    }
  }
  for (size_t r = 0; r < m->n_rows; r++) {
    const size_t g = m->row_group[r];
    if (!m->group_stale[g]) {
      continue;
    }
    const double *restrict s = m->schedule + r * ny;
    double *restrict sd = m->row_disc + r * ny;
    for (size_t t = 0; t < ny; t++) {
      sd[t] = s[t] * discount[t];
    }
    if (m->row_price[r] >= 0) {
      continue;
    }
    double group = m->group_fixed[g];
    for (size_t t = 0; t < ny; t++) {
      group += sd[t];
    }
    m->group_fixed[g] = group;
  }
  memset(m->group_stale, 0, m->groups.n);
  m->n_stale = 0;
}

/* Brings the precomputed arrays of m up to date with d (shape and numbers
 * checked): reschedules the marked lines (keeping their numbers for the
 * next update's comparison), and recomputes what depends on
 * their rows or on a new discount rate, every sum over the rows in row
 * order, so that each number has the bits a model made from d has; the
 * groups whose rows changed are marked stale and, with groups, summed
 * again. Clears the marks of the update. */
static void precompute(cet_dcf *m, const cet_dcf_description *d, int groups) {
  const size_t ny = m->n_years, np = m->prices.n;
  const int new_rate = !m->discount_valid || d->discount_rate != m->rate;
  if (new_rate) { /* else the same factors */
    /* the factors of the rate before are kept: a design that alternates
     * between two rates (A and B rows of a Sobol' design) finds them */
    double *keep = m->discount, keep_rate = m->rate;
    const int keep_valid = m->discount_valid;
    m->discount = m->discount_prev;
    m->discount_prev = keep;
    if (!m->prev_valid || m->prev_rate != d->discount_rate) {
      m->discount[0] = 1.0; /* pow(x, -0.0) is 1 for every x */
      for (size_t t = 1; t < ny; t++) {
        m->discount[t] = pow(1.0 + d->discount_rate, -(double)t);
      }
    }
    m->prev_rate = keep_rate;
    m->prev_valid = keep_valid;
    m->rate = d->discount_rate;
    m->discount_valid = 1;
    /* every row is discounted anew: every group (each has a row) */
    memset(m->group_stale, 1, m->groups.n);
    m->n_stale = m->groups.n;
  }
  /* what depends on a rescheduled row: its group stale, its price series'
   * weights to be summed again, or the fixed cash from the row's position
   * among the fixed rows on (fixed_first, the first such position); in
   * locals, which the byte stores would make the compiler reload from m */
  size_t fixed_first = m->n_fixed, n_stale = m->n_stale;
  unsigned char *restrict stale = m->group_stale, *restrict price_dirty = m->price_dirty;
  const size_t *restrict row_group = m->row_group, *restrict fixed_pos = m->fixed_pos;
  const long *restrict row_price = m->row_price;
  for (size_t i = cet_marks_next(m->line_dirty, 0, m->n_lines); i < m->n_lines;
       i = cet_marks_next(m->line_dirty, i + 1, m->n_lines)) {
    const long liq_row = m->line_liq_row[i];
    double *liq = liq_row >= 0 ? m->schedule + (size_t)liq_row * ny : NULL;
    remember_line(&m->line_last[i], &d->lines[i]);
    line_schedule(d, i, m->schedule + (size_t)m->line_row[i] * ny, liq);
    const size_t rows[2] = {(size_t)m->line_row[i], (size_t)liq_row};
    for (size_t k = 0; k < (liq_row >= 0 ? 2u : 1u); k++) {
      const size_t r = rows[k], g = row_group[r];
      n_stale += !stale[g];
      stale[g] = 1;
      if (row_price[r] >= 0) {
        price_dirty[row_price[r]] = 1;
      } else if (fixed_pos[r] < fixed_first) {
        fixed_first = fixed_pos[r];
      }
    }
  }
  m->n_stale = n_stale;
  const int fixed_dirty = fixed_first < m->n_fixed;
  if (fixed_dirty) {
    sum_rows_from(m->schedule, ny, m->fixed_row, fixed_first, m->n_fixed, m->fixed_sums,
                  m->fixed_stride);
  }
  for (size_t c = 0; c < np; c++) {
    if (m->price_dirty[c]) {
      const size_t first = m->price_first[c];
      sum_rows(m->schedule, ny, m->price_row + first, m->price_first[c + 1] - first,
               m->weight + c * ny);
    }
  }
  if (fixed_dirty || new_rate) { /* in a register: through m each addition waited for a store */
    double npv = 0.0;
    for (size_t t = 0; t < ny; t++) {
      npv += m->fixed[t] * m->discount[t];
    }
    m->fixed_npv = npv;
  }
  for (size_t c = 0; c < np; c++) {
    if (!m->price_dirty[c] && !new_rate) {
      continue;
    }
    for (size_t t = 0; t < ny; t++) {
      m->weight_disc[c * ny + t] = m->weight[c * ny + t] * m->discount[t];
    }
  }
  if (groups && m->n_stale > 0) {
    group_totals(m);
  }
  memset(m->dirty, 0, m->n_dirty);
}

/* ---- lifecycle ---------------------------------------------------------- */

void cet_dcf_destroy(cet_dcf **model) {
  if (model == NULL || *model == NULL) {
    return;
  }
  cet_dcf *m = *model;
  cet_names_clear(&m->prices);
  cet_names_clear(&m->groups);
  cet_names_clear(&m->rows);
  free(m->row_group);
  free(m->row_price);
  free(m->line_row);
  free(m->line_liq_row);
  free(m->discount);
  free(m->discount_prev);
  free(m->schedule);
  free(m->row_disc);
  free(m->fixed_sums);
  free(m->fixed_pos);
  free(m->weight);
  free(m->weight_disc);
  free(m->group_fixed);
  free(m->irr_rate);
  free(m->irr_v);
  free(m->phase_last);
  free(m->flow_last);
  free(m->flow_year_last);
  free(m->line_last);
  free(m->dirty);
  free(m->group_stale);
  free(m->fixed_row);
  free(m->price_row);
  free(m->price_first);
  free(m);
  *model = NULL;
}

static int add_row(cet_dcf *m, const char *name, const char *group, long price) {
  size_t r = m->rows.n, g;
  CET_CALL(cet_names_add(&m->rows, name));
  CET_CALL(cet_names_intern(&m->groups, group, &g));
  m->row_group[r] = g;
  m->row_price[r] = price;
  return CET_OK;
}

static int build_shape(cet_dcf *m, const cet_dcf_description *d) {
  size_t n_rows = d->n_lines;
  for (size_t i = 0; i < d->n_lines; i++) {
    n_rows += has_liquidation_row(&d->lines[i]);
  }
  m->n_rows = n_rows;
  m->row_group = calloc(n_rows + 1, sizeof *m->row_group);
  m->row_price = calloc(n_rows + 1, sizeof *m->row_price);
  m->line_row = calloc(d->n_lines + 1, sizeof *m->line_row);
  m->line_liq_row = calloc(d->n_lines + 1, sizeof *m->line_liq_row);
  m->line_last = calloc(d->n_lines + 1, sizeof *m->line_last);
  CET_CHECK_ALLOCS(m->row_group && m->row_price && m->line_row && m->line_liq_row && m->line_last);
  for (size_t i = 0; i < d->n_prices; i++) {
    CET_CALL(cet_names_add(&m->prices, d->price_names[i]));
  }
  for (size_t i = 0; i < d->n_lines; i++) {
    const cet_dcf_line *l = &d->lines[i];
    m->line_last[i] = *l; /* the shape; the numbers are kept by precompute */
    m->line_last[i].name = NULL;
    m->line_last[i].group = NULL;
    m->line_last[i].liquidation_group = NULL;
    m->line_row[i] = (long)m->rows.n;
    CET_CALL(add_row(m, l->name, l->group, l->price));
    m->line_liq_row[i] = -1;
    if (has_liquidation_row(l)) {
      size_t len = strlen(l->name) + strlen(LIQUIDATION_SUFFIX) + 1;
      char *name = malloc(len);
      CET_CHECK_ALLOC(name);
      snprintf(name, len, "%s%s", l->name, LIQUIDATION_SUFFIX);
      m->line_liq_row[i] = (long)m->rows.n;
      int status = add_row(
          m, name, l->liquidation_group != NULL ? l->liquidation_group : DEFAULT_LIQUIDATION_GROUP,
          -1);
      free(name);
      CET_CALL(status);
    }
  }
  const size_t ny = m->n_years, np = m->prices.n;
  m->fixed_row = calloc(n_rows + 1, sizeof *m->fixed_row);
  m->price_row = calloc(n_rows + 1, sizeof *m->price_row);
  m->price_first = calloc(np + 1, sizeof *m->price_first);
  m->fixed_pos = calloc(n_rows + 1, sizeof *m->fixed_pos);
  CET_CHECK_ALLOCS(m->fixed_row && m->price_row && m->price_first && m->fixed_pos);
  for (size_t r = 0; r < n_rows; r++) { /* fixed rows in order; price rows by series, in order */
    if (m->row_price[r] < 0) {
      m->fixed_pos[r] = m->n_fixed;
      m->fixed_row[m->n_fixed++] = r;
    } else {
      m->price_first[m->row_price[r] + 1]++;
    }
  }
  for (size_t c = 0; c < np; c++) {
    m->price_first[c + 1] += m->price_first[c];
  }
  for (size_t r = 0, *next = m->price_first; r < n_rows; r++) {
    if (m->row_price[r] >= 0) {
      m->price_row[next[m->row_price[r]]++] = r;
    }
  }
  for (size_t c = np; c > 0; c--) { /* next moved each start to the next series' start */
    m->price_first[c] = m->price_first[c - 1];
  }
  m->price_first[0] = 0;
  m->discount = calloc(ny, sizeof *m->discount);
  m->discount_prev = calloc(ny, sizeof *m->discount_prev);
  m->schedule = calloc(n_rows * ny + SUM_BLOCK, sizeof *m->schedule);
  m->row_disc = calloc(n_rows * ny + 1, sizeof *m->row_disc);
  m->fixed_stride = (ny + SUM_BLOCK - 1) / SUM_BLOCK * SUM_BLOCK;
  m->fixed_sums = calloc((m->n_fixed + 1) * m->fixed_stride, sizeof *m->fixed_sums);
  m->weight = calloc(np * ny + 1, sizeof *m->weight);
  m->weight_disc = calloc(np * ny + 1, sizeof *m->weight_disc);
  m->group_fixed = calloc(m->groups.n + 1, sizeof *m->group_fixed);
  m->irr_rate = calloc(m->params.irr_grid, sizeof *m->irr_rate);
  m->irr_v = calloc(m->params.irr_grid, sizeof *m->irr_v);
  m->phase_last = calloc(m->n_phases + 1, sizeof *m->phase_last);
  m->flow_last = calloc(m->n_flows + 1, sizeof *m->flow_last);
  m->flow_year_last = calloc(m->n_flows * ny + 1, sizeof *m->flow_year_last);
  m->n_dirty = m->n_phases + m->n_flows + d->n_lines + np;
  m->dirty = calloc(m->n_dirty + 1, 1);
  m->group_stale = calloc(m->groups.n + 1, 1);
  CET_CHECK_ALLOCS(m->discount && m->discount_prev && m->schedule && m->row_disc && m->fixed_sums &&
                   m->weight && m->weight_disc && m->group_fixed && m->irr_rate && m->irr_v &&
                   m->phase_last && m->flow_last && m->flow_year_last && m->dirty &&
                   m->group_stale);
  m->fixed = m->fixed_sums + m->n_fixed * m->fixed_stride;
  m->phase_dirty = m->dirty;
  m->flow_dirty = m->phase_dirty + m->n_phases;
  m->line_dirty = m->flow_dirty + m->n_flows;
  m->price_dirty = m->line_dirty + d->n_lines;
  /* the IRR bracketing grid, uniform in ln(1 + rate) */
  const double y0 = log1p(m->params.irr_min), y1 = log1p(m->params.irr_max);
  const double step = (y1 - y0) / (double)(m->params.irr_grid - 1);
  for (size_t k = 0; k < m->params.irr_grid; k++) {
    double y = k + 1 == m->params.irr_grid ? y1 : y0 + step * (double)k;
    m->irr_rate[k] = expm1(y);
    m->irr_v[k] = exp(-y);
  }
  return CET_OK;
}

int cet_dcf_create(cet_dcf **model, const cet_dcf_description *d,
                   const cet_dcf_parameters *params) {
  *model = NULL;
  cet_dcf_parameters p = params != NULL ? *params : cet_dcf_default_parameters();
  CET_CALL(cet_dcf_check_parameters(&p));
  CET_CALL(cet_dcf_check_description(d));
  cet_dcf *m = calloc(1, sizeof *m);
  CET_CHECK_ALLOC(m);
  m->params = p;
  m->horizon = d->horizon;
  m->n_years = (size_t)d->horizon + 1;
  m->n_phases = d->n_phases;
  m->n_flows = d->n_flows;
  m->n_lines = d->n_lines;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, build_shape(m, d));
  /* everything is new */
  memset(m->phase_dirty, 1, m->n_phases + m->n_flows + m->n_lines);
  remember(m, d);
  precompute(m, d, 1);
  *model = m;
  return CET_OK;
fail:
  cet_dcf_destroy(&m);
  return status;
}

int cet_dcf_update_marked(cet_dcf *model, const cet_dcf_description *d, unsigned want,
                          const unsigned char *maybe) {
  const unsigned char *maybe_line = maybe ? maybe + model->n_phases + model->n_flows : NULL;
  CET_CALL(check_same_counts(model, d));
  CET_CALL(cet_dcf_check_head(d));
  const int phase_or_flow = find_phase_flow_changes(model, d, maybe);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_dcf_check_changes(model, d));
  CET_CALL_GOTO(status, fail, find_line_changes(model, d, maybe_line, phase_or_flow));
  remember(model, d);
  precompute(model, d, (want & CET_DCF_WANT_GROUPS) != 0);
  return CET_OK;
fail:
  memset(model->dirty, 0, model->n_dirty);
  return status;
}

int cet_dcf_update_want(cet_dcf *model, const cet_dcf_description *d, unsigned want) {
  return cet_dcf_update_marked(model, d, want, NULL);
}

int cet_dcf_update(cet_dcf *model, const cet_dcf_description *d) {
  return cet_dcf_update_want(model, d, CET_DCF_WANT_GROUPS);
}

int cet_dcf_has_groups(const cet_dcf *model) { return model->n_stale == 0; }

/* ---- accessors ---------------------------------------------------------- */

int cet_dcf_horizon(const cet_dcf *model) { return model->horizon; }
double cet_dcf_discount_rate(const cet_dcf *model) { return model->rate; }
size_t cet_dcf_n_prices(const cet_dcf *model) { return model->prices.n; }
long cet_dcf_price_index(const cet_dcf *model, const char *name) {
  return cet_names_find(&model->prices, name);
}
size_t cet_dcf_n_groups(const cet_dcf *model) { return model->groups.n; }
const char *cet_dcf_group_name(const cet_dcf *model, size_t group) {
  return group < model->groups.n ? model->groups.name[group] : NULL;
}
long cet_dcf_group_index(const cet_dcf *model, const char *name) {
  return cet_names_find(&model->groups, name);
}
size_t cet_dcf_n_rows(const cet_dcf *model) { return model->n_rows; }
const char *cet_dcf_row_name(const cet_dcf *model, size_t row) {
  return row < model->n_rows ? model->rows.name[row] : NULL;
}
size_t cet_dcf_row_group(const cet_dcf *model, size_t row) { return model->row_group[row]; }
const double *cet_dcf_row_schedule(const cet_dcf *model, size_t row) {
  return model->schedule + row * model->n_years;
}
long cet_dcf_row_price(const cet_dcf *model, size_t row) { return model->row_price[row]; }
void cet_dcf_line_rows(const cet_dcf *model, size_t line, long *main, long *liquidation) {
  *main = model->line_row[line];
  *liquidation = model->line_liq_row[line];
}
