/*
 * dcf_check.c — the checks of a DCF project description (see
 * include/cetwin/dcf.h): the head (horizon, discount rate, arrays), each
 * phase, flow, price series and line of a new model, and the numbers an
 * update changes.
 */
#include "dcf_impl.h"
#include "marks.h"

#include "cetwin/error.h"

#include <math.h>
#include <string.h>

/* Longest horizon accepted: beyond it (1 + r)^t over- or underflows for
 * ordinary rates and the question is no longer a project appraisal. */
enum { MAX_HORIZON = 1000 };

/* ---- validation --------------------------------------------------------- */

int cet_dcf_check_parameters(const cet_dcf_parameters *p) {
  CET_CHECK(isfinite(p->irr_min) && p->irr_min > -1.0, CET_ERR_INPUT,
            "DCF parameters: irr_min must be > -1, found %g", p->irr_min);
  CET_CHECK(isfinite(p->irr_max) && p->irr_max > p->irr_min, CET_ERR_INPUT,
            "DCF parameters: irr_max must be finite and > irr_min (%g), found %g", p->irr_min,
            p->irr_max);
  CET_CHECK(p->irr_grid >= 2, CET_ERR_INPUT, "DCF parameters: irr_grid must be >= 2, found %zu",
            p->irr_grid);
  CET_CHECK(p->irr_tolerance > 0.0, CET_ERR_INPUT,
            "DCF parameters: irr_tolerance must be > 0, found %g", p->irr_tolerance);
  CET_CHECK(p->irr_max_iter > 0, CET_ERR_INPUT,
            "DCF parameters: irr_max_iter must be > 0, found %d", p->irr_max_iter);
  return CET_OK;
}

static int check_name(const char *what, size_t i, const char *name) {
  CET_CHECK(name != NULL && name[0] != '\0', CET_ERR_INPUT, "DCF: %s %zu has no name", what, i + 1);
  return CET_OK;
}

static int check_unique(const char *what, size_t i, const char *name, const char *const *earlier,
                        size_t stride, size_t n_earlier) {
  for (size_t k = 0; k < n_earlier; k++) {
    const char *other = *(const char *const *)((const char *)earlier + k * stride);
    CET_CHECK(strcmp(other, name) != 0, CET_ERR_INPUT,
              "DCF: %s '%s' is defined twice (%zu and %zu)", what, name, k + 1, i + 1);
  }
  return CET_OK;
}

/* Phase i (and below flow i): its name, unique when names is 1 (a new
 * model; the model keeps no phase or flow names, and comparing every pair
 * on each update cost 5 % of a Sobol' run of the Bollrich twin), and its
 * numbers. */
static int check_phase(const cet_dcf_description *d, size_t i, int names) {
  const cet_dcf_phase *p = &d->phases[i];
  CET_CALL(check_name("phase", i, p->name));
  if (names) {
    CET_CALL(check_unique("phase", i, p->name, &d->phases[0].name, sizeof *p, i));
  }
  CET_CHECK(p->first_year >= 0 && p->first_year <= p->last_year && p->last_year <= d->horizon,
            CET_ERR_INPUT,
            "DCF: phase '%s' must satisfy 0 <= first_year <= last_year <= horizon (%d), found "
            "years %d..%d",
            p->name, d->horizon, p->first_year, p->last_year);
  return CET_OK;
}

static int check_flow(const cet_dcf_description *d, size_t i, int names) {
  const cet_dcf_flow *f = &d->flows[i];
  CET_CALL(check_name("flow", i, f->name));
  if (names) {
    CET_CALL(check_unique("flow", i, f->name, &d->flows[0].name, sizeof *f, i));
  }
  CET_CHECK(f->phase >= 0 && (size_t)f->phase<d->n_phases, CET_ERR_INPUT,
                                              "DCF: flow '%s' refers to phase %ld, expected 0..%zu",
                                              f->name, f->phase, d->n_phases> 0
                ? d->n_phases - 1
                : 0);
  CET_CHECK(isfinite(f->per_year), CET_ERR_INPUT,
            "DCF: flow '%s' per_year must be finite, found %g", f->name, f->per_year);
  if (f->by_year != NULL) {
    for (int t = 0; t <= d->horizon; t++) {
      CET_CHECK(isfinite(f->by_year[t]), CET_ERR_INPUT,
                "DCF: flow '%s' value in year %d must be finite, found %g", f->name, t,
                f->by_year[t]);
    }
  }
  return CET_OK;
}

static int check_prices(const cet_dcf_description *d) {
  CET_CHECK(d->n_prices == 0 || d->price_names != NULL, CET_ERR_INPUT,
            "DCF: %zu price series declared without names", d->n_prices);
  for (size_t i = 0; i < d->n_prices; i++) {
    CET_CALL(check_name("price series", i, d->price_names[i]));
    CET_CALL(check_unique("price series", i, d->price_names[i], d->price_names,
                          sizeof d->price_names[0], i));
  }
  return CET_OK;
}

static int check_index(const char *line, const char *what, long index, size_t n, int allow_none) {
  CET_CHECK((allow_none && index == -1) || (index >= 0 && (size_t)index < n), CET_ERR_INPUT,
            "DCF: line '%s' refers to %s %ld, expected %s0..%ld", line, what, index,
            allow_none ? "-1 (none) or " : "", (long)n - 1);
  return CET_OK;
}

/* A CAPEX line: its shape when shape is 1, and its numbers. */
static int check_capex(const cet_dcf_description *d, const cet_dcf_line *l, int shape) {
  if (shape) {
    CET_CHECK(l->direction == CET_DCF_COST, CET_ERR_INPUT, "DCF: CAPEX line '%s' must be a cost",
              l->name);
    CET_CHECK(l->price == -1 && l->flow == -1, CET_ERR_INPUT,
              "DCF: CAPEX line '%s' takes a fixed unit_value, not a price series or a flow",
              l->name);
  }
  CET_CHECK(l->year >= 0 && l->year <= d->horizon, CET_ERR_INPUT,
            "DCF: CAPEX line '%s' year must lie in 0..%d, found %d", l->name, d->horizon, l->year);
  CET_CHECK(l->renewal_year == 0 || (l->renewal_year > l->year && l->renewal_year <= d->horizon),
            CET_ERR_INPUT,
            "DCF: CAPEX line '%s' renewal_year must be 0 (never) or lie in %d..%d, found %d",
            l->name, l->year + 1, d->horizon, l->renewal_year);
  CET_CHECK(l->renewal_period >= 0, CET_ERR_INPUT,
            "DCF: CAPEX line '%s' renewal_period must be >= 0, found %d", l->name,
            l->renewal_period);
  CET_CHECK(isfinite(l->liquidation) && l->liquidation >= 0.0 && l->liquidation <= 1.0,
            CET_ERR_INPUT, "DCF: CAPEX line '%s' liquidation must lie in [0, 1], found %g", l->name,
            l->liquidation);
  CET_CHECK(l->liquidation_year == -1 ||
                (l->liquidation_year >= l->year && l->liquidation_year <= d->horizon),
            CET_ERR_INPUT,
            "DCF: CAPEX line '%s' liquidation_year must be -1 (horizon) or lie in %d..%d, found %d",
            l->name, l->year, d->horizon, l->liquidation_year);
  return CET_OK;
}

/* Line i: its name (unique), group and shape (direction, kind, price
 * series, flow and phase) when names is 1 (a new model), and its numbers.
 * An update checks the numbers alone: check_same_shape found the shape of
 * the model, checked at its creation (or the caller of
 * cet_dcf_update_marked vouches for an unmarked line), so the shape checks
 * cannot fail there; they are left out of the per-point work. */
static int check_line(const cet_dcf_description *d, size_t i, int names) {
  const cet_dcf_line *l = &d->lines[i];
  if (names) {
    CET_CALL(check_name("line", i, l->name));
    CET_CALL(check_unique("line", i, l->name, &d->lines[0].name, sizeof *l, i));
    CET_CHECK(l->group != NULL && l->group[0] != '\0', CET_ERR_INPUT, "DCF: line '%s' has no group",
              l->name);
    CET_CHECK(l->direction == CET_DCF_COST || l->direction == CET_DCF_INCOME, CET_ERR_INPUT,
              "DCF: line '%s' direction must be cost or income, found %d", l->name,
              (int)l->direction);
  }
  CET_CHECK(isfinite(l->amount), CET_ERR_INPUT, "DCF: line '%s' amount must be finite, found %g",
            l->name, l->amount);
  CET_CHECK(isfinite(l->unit_value), CET_ERR_INPUT,
            "DCF: line '%s' unit_value must be finite, found %g", l->name, l->unit_value);
  CET_CHECK(isfinite(l->payable) && l->payable >= 0.0 && l->payable <= 1.0, CET_ERR_INPUT,
            "DCF: line '%s' payable fraction must lie in [0, 1], found %g", l->name, l->payable);
  CET_CHECK(isfinite(l->contingency) && l->contingency >= 0.0, CET_ERR_INPUT,
            "DCF: line '%s' contingency must be a finite fraction >= 0, found %g", l->name,
            l->contingency);
  CET_CHECK(l->direction == CET_DCF_COST || l->contingency == 0.0, CET_ERR_INPUT,
            "DCF: line '%s' is income; contingency applies to costs only, found %g", l->name,
            l->contingency);
  if (l->kind == CET_DCF_CAPEX) {
    if (names) {
      CET_CALL(check_index(l->name, "price series", l->price, d->n_prices, 1));
      CET_CALL(check_index(l->name, "flow", l->flow, d->n_flows, 1));
    }
    return check_capex(d, l, names);
  }
  if (!names) {
    return CET_OK;
  }
  CET_CALL(check_index(l->name, "price series", l->price, d->n_prices, 1));
  CET_CALL(check_index(l->name, "flow", l->flow, d->n_flows, 1));
  switch (l->kind) {
  case CET_DCF_RECURRING:
    CET_CALL(check_index(l->name, "phase", l->phase, d->n_phases, 1));
    CET_CHECK(l->phase >= 0 || l->flow >= 0, CET_ERR_INPUT,
              "DCF: recurring line '%s' needs a phase or a flow to know its years", l->name);
    return CET_OK;
  case CET_DCF_SPREAD:
    CET_CALL(check_index(l->name, "phase", l->phase, d->n_phases, 0));
    CET_CHECK(l->price == -1 && l->flow == -1, CET_ERR_INPUT,
              "DCF: spread line '%s' takes a fixed amount x unit_value, not a price series or a "
              "flow",
              l->name);
    return CET_OK;
  case CET_DCF_CAPEX:
    break;
  }
  CET_CHECK(0, CET_ERR_INPUT, "DCF: line '%s' has unknown kind %d", l->name, (int)l->kind);
}

/* What does not depend on the phases, flows and lines. */
int cet_dcf_check_head(const cet_dcf_description *d) {
  CET_CHECK(d->horizon >= 0 && d->horizon <= MAX_HORIZON, CET_ERR_INPUT,
            "DCF: horizon must lie in 0..%d years, found %d", MAX_HORIZON, d->horizon);
  CET_CHECK(isfinite(d->discount_rate) && d->discount_rate > -1.0, CET_ERR_INPUT,
            "DCF: discount rate must be a finite number > -1, found %g", d->discount_rate);
  CET_CHECK(d->n_phases == 0 || d->phases != NULL, CET_ERR_INPUT, "DCF: phases missing");
  CET_CHECK(d->n_flows == 0 || d->flows != NULL, CET_ERR_INPUT, "DCF: flows missing");
  CET_CHECK(d->n_lines == 0 || d->lines != NULL, CET_ERR_INPUT, "DCF: lines missing");
  return CET_OK;
}

/* The description of a new model: its names and numbers. */
int cet_dcf_check_description(const cet_dcf_description *d) {
  CET_CALL(cet_dcf_check_head(d));
  for (size_t i = 0; i < d->n_phases; i++) {
    CET_CALL(check_phase(d, i, 1));
  }
  for (size_t i = 0; i < d->n_flows; i++) {
    CET_CALL(check_flow(d, i, 1));
  }
  CET_CALL(check_prices(d));
  for (size_t i = 0; i < d->n_lines; i++) {
    CET_CALL(check_line(d, i, 1));
  }
  return CET_OK;
}

/* Checks the numbers of the phases and flows find_changes marked (the
 * rest was checked when it took its values), in the order of a new
 * model's checks; the marked lines follow (cet_dcf_check_line_numbers). */
int cet_dcf_check_changes(const cet_dcf *m, const cet_dcf_description *d) {
  for (size_t i = cet_marks_next(m->phase_dirty, 0, m->n_phases); i < m->n_phases;
       i = cet_marks_next(m->phase_dirty, i + 1, m->n_phases)) {
    CET_CALL(check_phase(d, i, 0));
  }
  for (size_t i = cet_marks_next(m->flow_dirty, 0, m->n_flows); i < m->n_flows;
       i = cet_marks_next(m->flow_dirty, i + 1, m->n_flows)) {
    CET_CALL(check_flow(d, i, 0));
  }
  return CET_OK;
}

int cet_dcf_check_line_numbers(const cet_dcf_description *d, size_t i) {
  return check_line(d, i, 0);
}
