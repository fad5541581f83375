/*
 * unfc.c — UNFC ratings: parsing, ordering, the lowest-rating rule and the
 * economic factors rated from NPVs (see include/cetwin/unfc.h).
 */
#include "cetwin/unfc.h"

#include "cetwin/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_CATEGORY = 4, MAX_SUB = 3 };

/* Default neutral band: 5 % of the present value of the costs (unfc.h). */
static const double DEFAULT_NEUTRAL_FRACTION = 0.05;

cet_unfc_parameters cet_unfc_default_parameters(void) {
  cet_unfc_parameters p;
  p.neutral_fraction = DEFAULT_NEUTRAL_FRACTION;
  p.neutral_absolute = 0.0;
  return p;
}

int cet_unfc_is_unrated(const cet_unfc_rating *r) { return r->axis == 0; }

int cet_unfc_parse(const char *text, cet_unfc_rating *r) {
  memset(r, 0, sizeof *r);
  CET_CHECK(text != NULL, CET_ERR_INPUT, "UNFC rating: expected text, found none");
  if (strcmp(text, "-") == 0) {
    return CET_OK;
  }
  const char *p = text;
  CET_CHECK(*p == 'E' || *p == 'F' || *p == 'G', CET_ERR_INPUT,
            "UNFC rating '%s': expected E, F or G first (e.g. E3.1a, F2, G4)", text);
  r->axis = *p++;
  CET_CHECK(*p >= '1' && *p <= '0' + MAX_CATEGORY, CET_ERR_INPUT,
            "UNFC rating '%s': expected a category 1..%d after the axis", text, MAX_CATEGORY);
  r->category = *p++ - '0';
  if (*p == '.') {
    p++;
    CET_CHECK(*p >= '1' && *p <= '0' + MAX_SUB, CET_ERR_INPUT,
              "UNFC rating '%s': expected a subcategory 1..%d after the '.'", text, MAX_SUB);
    r->sub = *p++ - '0';
  }
  if (r->axis == 'E' && *p >= 'a' && *p <= 'd') {
    r->aspect = *p++;
  }
  CET_CHECK(*p == '\0', CET_ERR_INPUT,
            "UNFC rating '%s': unexpected '%s' (expected e.g. E3.1a, E2c, F3, G2 or -)", text, p);
  return CET_OK;
}

void cet_unfc_format(const cet_unfc_rating *r, char *buf, size_t len) {
  const char aspect[2] = {r->aspect, '\0'};
  if (cet_unfc_is_unrated(r)) {
    snprintf(buf, len, "-");
  } else if (r->sub > 0) {
    snprintf(buf, len, "%c%d.%d%s", r->axis, r->category, r->sub, aspect);
  } else {
    snprintf(buf, len, "%c%d%s", r->axis, r->category, aspect);
  }
}

int cet_unfc_compare(const cet_unfc_rating *a, const cet_unfc_rating *b) {
  int ka = 10 * a->category + a->sub, kb = 10 * b->category + b->sub;
  return (ka > kb) - (ka < kb);
}

int cet_unfc_combine(const cet_unfc_rating *r, size_t n, cet_unfc_rating *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n; i++) {
    if (cet_unfc_is_unrated(&r[i])) {
      continue;
    }
    if (cet_unfc_is_unrated(out)) {
      *out = r[i];
      continue;
    }
    char a[16], b[16];
    cet_unfc_format(out, a, sizeof a);
    cet_unfc_format(&r[i], b, sizeof b);
    CET_CHECK(r[i].axis == out->axis && r[i].aspect == out->aspect, CET_ERR_INPUT,
              "UNFC: cannot combine %s with %s; the lowest-rating rule applies within one "
              "category and aspect",
              a, b);
    if (cet_unfc_compare(&r[i], out) > 0) {
      *out = r[i];
    }
  }
  return CET_OK;
}

static int rate_npv(const char *factor, double npv, double cost_pv,
                    const cet_unfc_parameters *params, cet_unfc_rating *out) {
  cet_unfc_parameters p = params != NULL ? *params : cet_unfc_default_parameters();
  CET_CHECK(isfinite(npv), CET_ERR_INPUT, "UNFC %s: expected a finite NPV, found %g", factor, npv);
  CET_CHECK(isfinite(cost_pv) && cost_pv >= 0.0, CET_ERR_INPUT,
            "UNFC %s: expected the present value of the costs as a finite number >= 0, found %g",
            factor, cost_pv);
  CET_CHECK(isfinite(p.neutral_fraction) && p.neutral_fraction >= 0.0 &&
                isfinite(p.neutral_absolute) && p.neutral_absolute >= 0.0,
            CET_ERR_INPUT,
            "UNFC %s: neutral_fraction and neutral_absolute must be finite and >= 0, found %g and "
            "%g",
            factor, p.neutral_fraction, p.neutral_absolute);
  double band = fmax(p.neutral_absolute, p.neutral_fraction * cost_pv);
  out->axis = 'E';
  out->category = 3;
  out->aspect = 'a';
  out->sub = npv > band ? 1 : (npv >= -band ? 2 : 3);
  return CET_OK;
}

int cet_unfc_rate_viability(double mean_npv, double cost_pv, const cet_unfc_parameters *params,
                            cet_unfc_rating *out) {
  CET_CALL(rate_npv("economic viability (14)", mean_npv, cost_pv, params, out));
  return CET_OK;
}

int cet_unfc_rate_uncertainty(double pessimistic_npv, double cost_pv,
                              const cet_unfc_parameters *params, cet_unfc_rating *out) {
  CET_CALL(rate_npv("economic uncertainty (15)", pessimistic_npv, cost_pv, params, out));
  return CET_OK;
}
