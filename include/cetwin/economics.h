/*
 * economics.h — the economics of a twin as read from a case (user guide:
 * Economics): the discounted cash flow (phases, flows, cash-flow lines) and
 * the prices its lines use, with every number a parameter slot of the
 * twin's parameter table (params.h), so that any of them can be set by its
 * key path (`economics.discount_rate`, `economics.lines.dredger.unit_value`,
 * `prices.BaSO4.mean`).
 *
 * The config readers fill a cet_economics_spec and hang it on the twin
 * description (network.h, field `economics`); the model (twin.h) builds its
 * economics stage from it. A flow is either a number per year (a parameter)
 * or linked to a metric of the twin (mass to a market sink, tonnes
 * processed) times a factor, so that cash flows follow the network's flows.
 * Nothing here is collective.
 */
#ifndef CETWIN_ECONOMICS_H
#define CETWIN_ECONOMICS_H

#include "cetwin/dcf.h"
#include "cetwin/price.h"

#include <stddef.h>

/* The names of the metrics every economics twin defines (twin_econ.c);
 * drivers that report or rate a project (scenarios, UNFC) look them up by
 * these names. */
#define CET_METRIC_NPV "npv"             /* net present value */
#define CET_METRIC_IRR "irr"             /* internal rate of return */
#define CET_METRIC_PAYBACK "payback"     /* discounted payback time */
#define CET_METRIC_COST_PV "cost_pv"     /* present value of the costs */
#define CET_METRIC_INCOME_PV "income_pv" /* present value of the income */

/* A named span of years; the years are parameters holding whole numbers. */
typedef struct {
  char *name;
  long first_year, last_year; /* slots */
} cet_econ_phase;

/* A physical quantity per year, zero outside its phase. Exactly one of
 * per_year, by_year and metric gives its values. */
typedef struct {
  char *name;
  char *unit;    /* documentation, may be "" */
  char *where;   /* "FILE:LINE:COL: KEY.PATH", for messages */
  size_t phase;  /* index into the phases */
  long per_year; /* slot of the amount per year, or CET_SLOT_NONE */
  long *by_year; /* [horizon + 1] slots of the amount in each year, or NULL */
  char *metric;  /* name of the twin metric the flow follows, or NULL */
  long factor;   /* slot multiplying the metric (linked flows) */
} cet_econ_flow;

/* A cash-flow line (see dcf.h for what each number means). Numeric fields
 * are slots; CET_SLOT_NONE where the field does not apply to the kind. */
typedef struct {
  char *name;
  char *group;
  char *where;
  char *liquidation_group; /* NULL: "asset liquidation" */
  cet_dcf_line_kind kind;
  cet_dcf_direction direction;
  long flow;  /* index into the flows, or -1 */
  long phase; /* index into the phases, or -1 */
  long price; /* index into the prices, or -1 */
  long amount, unit_value, payable, contingency;
  long year, renewal_year, renewal_period, liquidation, liquidation_year; /* CAPEX */
} cet_econ_line;

/* How a price series gets its deterministic path. */
typedef enum {
  CET_ECON_PRICE_CONSTANT = 0, /* one value, or one per scenario (pessimistic, mean, optimistic) */
  CET_ECON_PRICE_PATH,         /* explicit yearly values */
  CET_ECON_PRICE_AR /* an AR model: its forecast band; stochastic paths for Monte Carlo */
} cet_econ_price_kind;

/* The deterministic scenario: which forecast a price path follows. */
typedef enum {
  CET_ECON_PESSIMISTIC = 0, /* lower 95 % limit */
  CET_ECON_MEAN = 1,
  CET_ECON_OPTIMISTIC = 2, /* upper 95 % limit */
  CET_ECON_SCENARIOS = 3
} cet_econ_scenario;

/* Names of the scenarios as written in the case ("pessimistic", "mean",
 * "optimistic"). */
const char *cet_econ_scenario_name(cet_econ_scenario s);

typedef struct {
  char *name;
  char *unit; /* e.g. "EUR/t", documentation */
  char *where;
  cet_econ_price_kind kind;
  long value[CET_ECON_SCENARIOS]; /* CONSTANT: slot per scenario (the same slot for one value) */
  int first_year;                 /* PATH: calendar year of values[0] */
  size_t n_values;                /* PATH */
  long *values;                   /* PATH: slots */
  cet_price_model *model;         /* AR: owned */
  long factor;                    /* slot multiplying the whole path (default 1) */
} cet_econ_price;

typedef struct {
  int horizon;    /* last DCF year; years run 0..horizon */
  int start_year; /* calendar year of DCF year 0 (price paths) */
  char *currency; /* units of the cash flows, e.g. "EUR" */
  long discount_rate;
  cet_econ_scenario scenario;
  size_t n_phases, n_flows, n_lines, n_prices;
  cet_econ_phase *phases;
  cet_econ_flow *flows;
  cet_econ_line *lines;
  cet_econ_price *prices;
  /* n_prices x n_prices correlation of the shocks of the AR series (row-
   * major, 1 on the diagonal, 0 for deterministic series) */
  double *correlation;
} cet_economics_spec;

/* An empty description (no phases, flows, lines, prices). */
int cet_economics_spec_create(cet_economics_spec **out);

/* Frees s and everything it owns (NULL allowed); sets *s to NULL. A twin
 * built from a cet_twin_spec shares its economics description read-only
 * (it holds no copy), so destroy the twin before the description. */
void cet_economics_spec_destroy(cet_economics_spec **s);

#endif /* CETWIN_ECONOMICS_H */
