/*
 * bollrich_case.c — data of the Bollrich tailings case (Suppes and
 * Heuss-Assbichler 2021) as cetwin DCF descriptions.
 *
 * Citations: "T2" = Table 2 (model assumptions), "T3" = Table 3 (DCF
 * results), "A11".."A16" = Appendix Tables A11..A16, "s3.1.3" = section
 * 3.1.3 of the paper. Where the paper leaves a choice open, the comment
 * says which reading is used; docs/validation.md gives the
 * reasons and the alternatives.
 */
#include "bollrich_case.h"

#include <string.h>

/* ---- common ------------------------------------------------------------- */

static const double DISCOUNT_RATE = 0.15; /* T2 (10), A14 */

/* ---- NRR0: in-situ stabilisation, closure and aftercare ----------------- */

static const int NRR0_HORIZON = 35;          /* T3 caption: 35 years */
static const int NRR0_CLOSURE_YEARS = 5;     /* A12: closure & leachate phase, 5 a */
static const double NRR0_AREA = 315000.0;    /* A12: surface area, m2 */
static const double NRR0_VOLUME = 2030000.0; /* A11: V_tailings, m3 (concrete injection) */
static const double NRR0_LEACHATE = 39000.0; /* A12: average leachate emission, m3/a */

/* ---- CRR1 / ERR2: re-mining ---------------------------------------------- */

static const int RECOVERY_HORIZON = 11;      /* A14 mine life 11 a; T3 caption */
static const int OPERATION_YEARS = 10;       /* s3.1.3: constant rate over 10 years */
static const double TAILINGS = 7100000.0;    /* A14 tailings mass, t (dry) */
static const double MINING_HOURS = 16 * 260; /* A14: 16 h/d x 260 d/a = 4160 h/a */
static const double CONTINGENCY = 0.30;      /* A14 contingency factor */
static const double LIQUIDATION = 0.10;      /* A14 liquidating value, mining assets */
static const int RENEWAL_YEAR = 6;           /* T2 (4): pipelines & pumps exchanged in year 6 */

/* In-situ masses, A11 (C)(a): minerals (t) and element grades. */
static const double M_BASO4 = 1739000.0, M_CUFES2 = 31000.0, M_FES2 = 1086000.0;
static const double M_PBS = 85000.0, M_ZNS = 149000.0;
static const double M_SHALES = 2350000.0, M_ANKERITE = 1611000.0;
static const double G_CU = 0.15e-2, G_PB = 1.2e-2, G_ZN = 1.3e-2; /* wt fraction */
static const double G_CO = 185e-6, G_GA = 23e-6, G_IN = 5.9e-6;   /* g/g */
/* Recovery rates, A14 (r_Ba for BaSO4). */
static const double R_BA = 0.74, R_CU = 0.74, R_PB = 0.68, R_ZN = 0.70;
static const double R_CO = 0.12, R_GA = 0.02, R_IN = 0.26, R_FES2 = 0.87, R_INERT = 0.93;

/* Payable (net smelter return) fractions, A14: %-NSR Cu 65, Pb 65, Zn 50;
 * BaSO4 is sold as concentrate and Co, Ga, In are paid on their recoverable
 * content (T2 (9)): 1. */
static const double PAYABLE[BOLLRICH_N_COMMODITIES] = {1.0, 0.65, 0.65, 0.50, 1.0, 1.0, 1.0};

const char *const bollrich_price_names[BOLLRICH_N_PRICES] = {
    "BaSO4", "Cu", "Pb", "Zn", "Co", "Ga", "In", "diesel", "electricity"};

/* Constant price levels equivalent to the paper's forecasts, derived from
 * the revenue and energy lines of T3 (docs/validation.md):
 * level = line / (sum_{t=1..10} 1.15^-t x quantity per year x payable).
 * Commodities in EUR per tonne of recovered BaSO4 or contained metal, diesel
 * in EUR/l, electricity in EUR/kWh. Columns p, m, o. */
static const double PRICE_LEVEL[BOLLRICH_N_PRICES][3] = {
    {142.60, 164.44, 186.42},       /* BaSO4: T3 92.1 / 106.2 / 120.4 */
    {3656.3, 5795.6, 7896.0},       /* Cu: T3 9.4 / 14.9 / 20.3 */
    {746.04, 1613.8, 2486.8},       /* Pb: T3 14.1 / 30.5 / 47.0 */
    {376.24, 3589.7, 6797.0},       /* Zn: T3 6.1 / 58.2 / 110.2 */
    {8848.9, 32867.0, 58150.0},     /* Co: T3 0.7 / 2.6 / 4.6 */
    {183020.0, 427060.0, 610080.0}, /* Ga: T3 0.3 / 0.7 / 1.0 */
    {36589.0, 384180.0, 750070.0},  /* In: T3 0.2 / 2.1 / 4.1 */
    {0.80619, 1.2093, 1.6361},      /* diesel: T3 3.4 / 5.1 / 6.9 */
    {0.23364, 0.23364, 0.23364}};   /* electricity: T3 1.2 in every forecast */

double bollrich_price_level(int k, bollrich_forecast f) { return PRICE_LEVEL[k][f]; }

void bollrich_fill_prices(int horizon, bollrich_forecast f, double *prices, size_t ld) {
  for (int k = 0; k < BOLLRICH_N_PRICES; k++) {
    for (int t = 0; t <= horizon; t++) {
      prices[(size_t)k * ld + (size_t)t] = PRICE_LEVEL[k][f];
    }
  }
}

/* Recovered BaSO4, or contained metal, per year of operation (t/a). */
double bollrich_recovered_per_year(int commodity) {
  const double per_year = TAILINGS / OPERATION_YEARS;
  switch (commodity) {
  case BOLLRICH_BASO4:
    return M_BASO4 * R_BA / OPERATION_YEARS;
  case BOLLRICH_CU:
    return per_year * G_CU * R_CU;
  case BOLLRICH_PB:
    return per_year * G_PB * R_PB;
  case BOLLRICH_ZN:
    return per_year * G_ZN * R_ZN;
  case BOLLRICH_CO:
    return per_year * G_CO * R_CO;
  case BOLLRICH_GA:
    return per_year * G_GA * R_GA;
  case BOLLRICH_IN:
    return per_year * G_IN * R_IN;
  default:
    return 0.0;
  }
}

/* Mixed residues per year: the unrecovered part of every mineral of A11
 * plus the inert material (Wissenbach shales, ankerite) reporting to the
 * residue (r_inert = 93 %, A14). 4.357 Mt over the 10 years; the 0.049 Mt of
 * the 7.1 Mt that A11 assigns to no mineral is left out (docs). */
double bollrich_residue_per_year(void) {
  double residue = M_BASO4 * (1 - R_BA) + M_CUFES2 * (1 - R_CU) + M_FES2 * (1 - R_FES2) +
                   M_PBS * (1 - R_PB) + M_ZNS * (1 - R_ZN) + (M_SHALES + M_ANKERITE) * R_INERT;
  return residue / OPERATION_YEARS;
}

/* ---- builders ----------------------------------------------------------- */

typedef struct {
  bollrich_case *c;
  size_t n;
} line_writer;

static cet_dcf_line *add_line(line_writer *w, const char *name, const char *group) {
  cet_dcf_line *l = &w->c->lines[w->n++];
  *l = cet_dcf_line_init();
  l->name = name;
  l->group = group;
  return l;
}

/* A recurring cost of amount x unit_value in each year of a phase. */
static void add_fixed(line_writer *w, const char *name, const char *group, long phase,
                      double amount, double unit_value, double contingency) {
  cet_dcf_line *l = add_line(w, name, group);
  l->phase = phase;
  l->amount = amount;
  l->unit_value = unit_value;
  l->contingency = contingency;
}

/* A one-off cost amount x unit_value spread equally over a phase. */
static void add_spread(line_writer *w, const char *name, const char *group, long phase,
                       double amount, double unit_value, double contingency) {
  cet_dcf_line *l = add_line(w, name, group);
  l->kind = CET_DCF_SPREAD;
  l->phase = phase;
  l->amount = amount;
  l->unit_value = unit_value;
  l->contingency = contingency;
}

static void add_capex(line_writer *w, const char *name, double quantity, double unit_cost,
                      int renewed, int liquidated) {
  cet_dcf_line *l = add_line(w, name, "CAPEX");
  l->kind = CET_DCF_CAPEX;
  l->amount = quantity;
  l->unit_value = unit_cost;
  l->contingency = CONTINGENCY;
  l->renewal_year = renewed ? RENEWAL_YEAR : 0;
  l->liquidation = liquidated ? LIQUIDATION : 0.0;
}

static void init_nrr0(bollrich_case *c, line_writer *w) {
  enum { CLOSURE, AFTERCARE };
  c->phases[CLOSURE] = (cet_dcf_phase){"closure", 1, NRR0_CLOSURE_YEARS};
  /* A12: aftercare 30 a after closure (DepV minimum) */
  c->phases[AFTERCARE] = (cet_dcf_phase){"aftercare", NRR0_CLOSURE_YEARS + 1, NRR0_HORIZON};
  const char *closure = "closure & leachate phase", *aftercare = "aftercare phase";
  /* A13, in-situ stabilisation and surface sealing: one-off works spread
   * evenly over the closure phase (the timing that reproduces T3) */
  add_spread(w, "final surface cover", closure, CLOSURE, NRR0_AREA, 100.0, 0.0);
  add_spread(w, "concrete injection", closure, CLOSURE, NRR0_VOLUME, 68.0, 0.0);
  /* A13, leachate treatment: EUR/m3 x A12 leachate volume per year */
  add_fixed(w, "active on-site leachate treatment", closure, CLOSURE, NRR0_LEACHATE, 50.0, 0.0);
  /* A13, other costs of the closure phase, EUR/(a m2) x A12 area */
  add_fixed(w, "maintenance of leachate collection", closure, CLOSURE, NRR0_AREA, 0.6, 0.0);
  add_fixed(w, "monitoring of leachates", closure, CLOSURE, NRR0_AREA, 0.4, 0.0);
  add_fixed(w, "monitoring of groundwater", closure, CLOSURE, NRR0_AREA, 0.3, 0.0);
  add_fixed(w, "insurances", closure, CLOSURE, NRR0_AREA, 0.4, 0.0);
  /* A13, aftercare phase, EUR/(a m2) x A12 area */
  add_fixed(w, "maintenance of surface sealing", aftercare, AFTERCARE, NRR0_AREA, 1.0, 0.0);
  add_fixed(w, "maintenance of infrastructure", aftercare, AFTERCARE, NRR0_AREA, 0.6, 0.0);
  add_fixed(w, "monitoring of settlement", aftercare, AFTERCARE, NRR0_AREA, 0.1, 0.0);
  add_fixed(w, "monitoring of environment", aftercare, AFTERCARE, NRR0_AREA, 0.2, 0.0);
  add_fixed(w, "aftercare management", aftercare, AFTERCARE, NRR0_AREA, 0.6, 0.0);
  c->d.horizon = NRR0_HORIZON;
  c->d.n_phases = 2;
  c->d.n_flows = 0;
  c->d.n_prices = 0; /* s3.1.3: no price forecast for NRR0 */
}

enum { OPERATION, REHABILITATION };
enum { F_HOURS, F_METAL, F_RESIDUE, F_COMMODITY0 };

static void init_recovery_flows(bollrich_case *c) {
  c->phases[OPERATION] = (cet_dcf_phase){"operation", 1, OPERATION_YEARS};
  c->phases[REHABILITATION] =
      (cet_dcf_phase){"rehabilitation", RECOVERY_HORIZON, RECOVERY_HORIZON}; /* A14: year 11 */
  c->flows[F_HOURS] = (cet_dcf_flow){"mining_hours", "h", OPERATION, MINING_HOURS, NULL};
  double metal = 0.0;
  for (int k = BOLLRICH_CU; k <= BOLLRICH_IN; k++) {
    metal += bollrich_recovered_per_year(k);
  }
  /* A16 "t metal recovered": the recovered Cu, Pb, Zn, Co, Ga, In content */
  c->flows[F_METAL] = (cet_dcf_flow){"metal_recovered", "t", OPERATION, metal, NULL};
  c->flows[F_RESIDUE] =
      (cet_dcf_flow){"residue", "t", OPERATION, bollrich_residue_per_year(), NULL};
  for (int k = 0; k < BOLLRICH_N_COMMODITIES; k++) {
    c->flows[F_COMMODITY0 + k] = (cet_dcf_flow){bollrich_price_names[k], "t", OPERATION,
                                                bollrich_recovered_per_year(k), NULL};
  }
}

static void init_recovery_capex(line_writer *w) {
  /* A14 CAPEX, mining (liquidated at 10 % in year 11, A14) */
  add_capex(w, "dredger", 1, 1579000.0, 0, 1);
  add_capex(w, "excavator", 1, 160000.0, 0, 1);
  add_capex(w, "wheel loader", 1, 269000.0, 0, 1);
  add_capex(w, "bulldozer", 1, 145000.0, 0, 1);
  add_capex(w, "dump truck", 1, 384000.0, 0, 1);
  add_capex(w, "rubber boat", 2, 4800.0, 0, 1);
  add_capex(w, "twin silo", 1, 343000.0, 0, 1);
  add_capex(w, "slurry pump", 6, 24000.0, 1, 1); /* renewed, T2 (4) */
  /* A14 prints "EUR/m 1350" with quantity 267: 267 pipe sections of 12 m
   * (3.2 km: 800 m one way, return water, redundant) at EUR 1350 each */
  add_capex(w, "pipeline", 267, 1350.0, 1, 1); /* renewed, T2 (4) */
  add_capex(w, "floating bodies", 40, 8750.0, 0, 1);
  /* A14 CAPEX, processing and infrastructure (not mining assets) */
  add_capex(w, "processing plant reactivation", 1, 6000000.0, 0, 0);
  add_capex(w, "mine site development", 1, 1300000.0, 0, 0);
}

static void init_recovery_opex(line_writer *w) {
  /* A16 OPEX with the A14 contingency (see docs for this reading) */
  const char *g = "OPEX";
  cet_dcf_line *l = add_line(w, "mining machine operating costs", g);
  l->flow = F_HOURS;
  l->unit_value = 200.0; /* A16 EUR/h (sum of A15 maintenance & overhaul) */
  l->contingency = CONTINGENCY;
  add_fixed(w, "mining shift supervisor", g, OPERATION, 2, 78400.0, CONTINGENCY); /* A16 */
  add_fixed(w, "mining machine driver", g, OPERATION, 10, 58800.0, CONTINGENCY);
  add_fixed(w, "mining metal worker", g, OPERATION, 2, 70000.0, CONTINGENCY);
  add_fixed(w, "processing shift supervisor", g, OPERATION, 3, 78400.0, CONTINGENCY);
  add_fixed(w, "control panel operator", g, OPERATION, 3, 58800.0, CONTINGENCY);
  add_fixed(w, "processing machine operator", g, OPERATION, 3, 58800.0, CONTINGENCY);
  add_fixed(w, "processing metal worker", g, OPERATION, 3, 70000.0, CONTINGENCY);
  l = add_line(w, "processing costs", g);
  l->flow = F_METAL;
  l->unit_value = 7.2; /* A16 EUR/t metal recovered */
  l->contingency = CONTINGENCY;
  l = add_line(w, "processing machine operating costs", g);
  l->flow = F_METAL;
  l->unit_value = 10.7; /* A16 EUR/t metal recovered */
  l->contingency = CONTINGENCY;
  /* A16 services, EUR/d x A14 260 working days of administration */
  add_fixed(w, "general services", g, OPERATION, 260, 5210.0, CONTINGENCY);
  add_fixed(w, "administrative services", g, OPERATION, 260, 1310.0, CONTINGENCY);
  /* A16 energy: 202 l/h diesel (sum of A15) and 246 kW (6 slurry pumps x
   * 41 kW, A14/A15) over the mining hours, at the price paths */
  l = add_line(w, "diesel", "diesel");
  l->flow = F_HOURS;
  l->amount = 202.0;
  l->price = BOLLRICH_DIESEL;
  l = add_line(w, "electricity", "electric energy");
  l->flow = F_HOURS;
  l->amount = 246.0;
  l->price = BOLLRICH_ELECTRICITY;
}

static void init_recovery(bollrich_case *c, line_writer *w, bollrich_scenario s) {
  init_recovery_flows(c);
  init_recovery_capex(w);
  init_recovery_opex(w);
  if (s == BOLLRICH_CRR1) {
    cet_dcf_line *l = add_line(w, "residue disposal", "residue disposal");
    l->flow = F_RESIDUE;
    l->unit_value = 40.0; /* A16 EUR/t */
  } else {
    cet_dcf_line *l = add_line(w, "residue sales", "residue sales");
    l->direction = CET_DCF_INCOME;
    l->flow = F_RESIDUE;
    l->unit_value = 5.0; /* A16 EUR/t */
  }
  /* A14 reclamation: EUR 2 per t of tailings, with contingency, year 11 */
  add_spread(w, "reclamation", "rehabilitation", REHABILITATION, TAILINGS, 2.0, CONTINGENCY);
  /* revenues: recovered mass x price x payable (A14, A16, T2 (9)) */
  for (int k = 0; k < BOLLRICH_N_COMMODITIES; k++) {
    cet_dcf_line *l = add_line(w, bollrich_price_names[k], bollrich_price_names[k]);
    l->direction = CET_DCF_INCOME;
    l->flow = F_COMMODITY0 + k;
    l->price = k;
    l->payable = PAYABLE[k];
  }
  c->d.horizon = RECOVERY_HORIZON;
  c->d.n_phases = 2;
  c->d.n_flows = F_COMMODITY0 + BOLLRICH_N_COMMODITIES;
  c->d.n_prices = BOLLRICH_N_PRICES;
  c->d.price_names = bollrich_price_names;
}

void bollrich_case_init(bollrich_case *c, bollrich_scenario s) {
  memset(c, 0, sizeof *c);
  line_writer w = {c, 0};
  c->d.discount_rate = DISCOUNT_RATE;
  if (s == BOLLRICH_NRR0) {
    init_nrr0(c, &w);
  } else {
    init_recovery(c, &w, s);
  }
  c->d.phases = c->phases;
  c->d.flows = c->flows;
  c->d.lines = c->lines;
  c->d.n_lines = w.n;
}
