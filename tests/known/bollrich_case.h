/*
 * bollrich_case.h — the Bollrich tailings case of Suppes and
 * Heuss-Assbichler (2021, Resources 10:110) as DCF descriptions: the
 * in-situ rehabilitation scenario NRR0 and the recovery scenarios CRR1
 * (residues disposed of) and ERR2 (residues sold), with constant price
 * levels derived from Table 3 for the pessimistic, mean and optimistic
 * forecasts. Every number cites the table it comes from; the derivation is
 * in docs/validation.md. Shared by the known tests and the DCF
 * benchmark.
 */
#ifndef CETWIN_TESTS_BOLLRICH_CASE_H
#define CETWIN_TESTS_BOLLRICH_CASE_H

#include "cetwin/dcf.h"

#include <stddef.h>

typedef enum { BOLLRICH_NRR0 = 0, BOLLRICH_CRR1, BOLLRICH_ERR2 } bollrich_scenario;

/* p: lower limit of the 95 % interval, m: mean, o: upper limit (Table 3). */
typedef enum { BOLLRICH_PESSIMISTIC = 0, BOLLRICH_MEAN, BOLLRICH_OPTIMISTIC } bollrich_forecast;

/* Price series of the recovery scenarios, in this order. */
enum {
  BOLLRICH_BASO4 = 0,
  BOLLRICH_CU,
  BOLLRICH_PB,
  BOLLRICH_ZN,
  BOLLRICH_CO,
  BOLLRICH_GA,
  BOLLRICH_IN,
  BOLLRICH_DIESEL,
  BOLLRICH_ELECTRICITY,
  BOLLRICH_N_PRICES
};
enum { BOLLRICH_N_COMMODITIES = 7 }; /* BaSO4 .. In */

enum { BOLLRICH_MAX_PHASES = 2, BOLLRICH_MAX_FLOWS = 12, BOLLRICH_MAX_LINES = 40 };

/* Storage of one scenario's description; d points into the arrays, which a
 * test may modify before cet_dcf_create. */
typedef struct {
  cet_dcf_phase phases[BOLLRICH_MAX_PHASES];
  cet_dcf_flow flows[BOLLRICH_MAX_FLOWS];
  cet_dcf_line lines[BOLLRICH_MAX_LINES];
  cet_dcf_description d;
} bollrich_case;

/* Fills c with the description of scenario s. */
void bollrich_case_init(bollrich_case *c, bollrich_scenario s);

/* Names of the price series (BOLLRICH_N_PRICES). */
extern const char *const bollrich_price_names[BOLLRICH_N_PRICES];

/* Derived constant price level of series k (EUR/t for commodities, EUR/l
 * for diesel, EUR/kWh for electricity) under forecast f. */
double bollrich_price_level(int k, bollrich_forecast f);

/* Writes the constant price paths of forecast f for a model of horizon h:
 * series k in year t at prices[k * ld + t], ld >= h + 1. */
void bollrich_fill_prices(int horizon, bollrich_forecast f, double *prices, size_t ld);

/* Tonnes per year of the derived material flows of CRR1/ERR2 (operation
 * years 1..10), for the documentation checks. */
double bollrich_residue_per_year(void);
double bollrich_recovered_per_year(int commodity);

#endif /* CETWIN_TESTS_BOLLRICH_CASE_H */
