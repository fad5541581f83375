/*
 * unfc.h — UNFC ratings (United Nations Framework Classification for
 * Resources) as used by the categorisation matrix of Suppes and
 * Heuss-Assbichler (2021): rating the economic factors from DCF results and
 * combining ratings with the lowest-rating rule.
 *
 * A rating is an axis (E: socio-economic viability, F: technical
 * feasibility, G: geological knowledge), a category 1..4, an optional
 * subcategory (E3.1, E3.2, E3.3) and, on the E axis, an aspect letter
 * (a economic, b environmental, c social, d legal): "E3.1a", "E2c", "F3",
 * "G2". "-" is an unrated factor.
 *
 * Order: a rating is better the smaller its number category.sub, read as a
 * decimal (E1 < E2 < E3 < E3.1 < E3.2 < E3.3). This is the order the paper's
 * Tables 4 and 5 apply: E1a with E3.1a gives E3.1a (BaSO4), E3b with E3.2b
 * gives E3.2b (CRR1, environmental), E3a with E3.3a gives E3.3a (inert
 * material).
 *
 * Factors rated from results (Table A3 of the paper):
 *   (14) economic viability, from the DCF NPV with the mean price forecast:
 *        NPV >> 0 -> E3.1a, NPV ~ 0 -> E3.2a, NPV << 0 -> E3.3a;
 *   (15) economic uncertainty, from the NPV with the pessimistic forecast
 *        (lower 95 % limit), same thresholds: low / medium / high.
 * The paper gives no number for "~ 0". cetwin reads it as |NPV| <= a
 * neutral band, band = max(neutral_absolute, neutral_fraction x scale),
 * where scale is the present value of the project's costs. Default: 5 % of
 * the costs. The paper's own ratings bound the choice: CRR1p (NPV -16.6
 * MEUR against 140 MEUR of discounted costs, -11.9 %) is rated "NPV << 0"
 * (E3.3a, Table A19), so the band must stay below 11.9 %.
 */
#ifndef CETWIN_UNFC_H
#define CETWIN_UNFC_H

#include <stddef.h>

typedef struct {
  char axis;    /* 'E', 'F' or 'G'; 0 for an unrated factor */
  int category; /* 1..4 */
  int sub;      /* 0 = none, 1..3 (E3.1 .. E3.3) */
  char aspect;  /* E axis: 'a'..'d'; 0 otherwise */
} cet_unfc_rating;

/* Thresholds of the factors rated from NPVs. */
typedef struct {
  double neutral_fraction; /* of the cost present value (default 0.05) */
  double neutral_absolute; /* EUR (default 0) */
} cet_unfc_parameters;

cet_unfc_parameters cet_unfc_default_parameters(void);

/* Parses "E3.1a", "F2", "G4", "-" (unrated). CET_ERR_INPUT naming what was
 * expected otherwise. */
int cet_unfc_parse(const char *text, cet_unfc_rating *r);

/* Writes the text of r ("-" when unrated) into buf of size len (truncated). */
void cet_unfc_format(const cet_unfc_rating *r, char *buf, size_t len);

/* 1 if r is unrated. */
int cet_unfc_is_unrated(const cet_unfc_rating *r);

/* < 0 if a is better than b, 0 if equal rank, > 0 if worse (same axis and
 * aspect assumed). */
int cet_unfc_compare(const cet_unfc_rating *a, const cet_unfc_rating *b);

/* The lowest (worst) of n ratings of one category (same axis and aspect);
 * unrated factors are skipped; all unrated gives unrated. CET_ERR_INPUT
 * when axes or aspects differ. */
int cet_unfc_combine(const cet_unfc_rating *r, size_t n, cet_unfc_rating *out);

/* Factor (14), economic viability: rating of the NPV with the mean price
 * forecast. cost_pv > 0 is the present value of the costs (EUR) that scales
 * the neutral band. */
int cet_unfc_rate_viability(double mean_npv, double cost_pv, const cet_unfc_parameters *params,
                            cet_unfc_rating *out);

/* Factor (15), economic uncertainty: rating of the NPV with the pessimistic
 * price forecast (same thresholds). */
int cet_unfc_rate_uncertainty(double pessimistic_npv, double cost_pv,
                              const cet_unfc_parameters *params, cet_unfc_rating *out);

#endif /* CETWIN_UNFC_H */
