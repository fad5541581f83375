/*
 * network.h — the description of a twin as read from a case (user guide:
 * `network:`, `environment:`): the flowsheet network (feeds, process units,
 * splitters, mixers, sinks and the streams between their outlets and inlets)
 * and the environmental accounting. The config readers fill it; the model
 * (twin.h) builds from it; nothing here knows YAML.
 *
 * Every number is a parameter slot, an index into the description's
 * parameter table (params.h), so that any numeric value of the case can be
 * changed by its path; CET_SLOT_NONE stands for a value that is fixed at 0
 * (absent from the case). Nothing here is collective.
 */
#ifndef CETWIN_NETWORK_H
#define CETWIN_NETWORK_H

#include "cetwin/economics.h"
#include "cetwin/names.h"
#include "cetwin/params.h"

#include <stddef.h>

/* A parameter slot that is absent: the value is 0. */
#define CET_SLOT_NONE (-1L)

typedef enum {
  CET_UNIT_FEED = 0,             /* a source stream: flow x composition */
  CET_UNIT_PROCESS = 1,          /* split factors per component to named outlets */
  CET_UNIT_SPLITTER = 2,         /* the same fractions of every component to each outlet */
  CET_UNIT_MIXER = 3,            /* joins its inlets into one outlet */
  CET_UNIT_SINK = 4,             /* where material leaves the twin */
  CET_UNIT_SELECTOR = 5,         /* its whole inflow to the one outlet an integer parameter picks */
  CET_UNIT_EXCHANGE = 6,         /* signed exchange: imports (net > 0) or exports (net < 0) */
  CET_UNIT_FLOWSHEET_CHOICE = 7, /* one of the enumerated process chains, chosen by a parameter */
  CET_UNIT_KINDS = 8
} cet_unit_kind;

typedef enum {
  CET_SINK_MARKET = 0,       /* a product sold */
  CET_SINK_LANDFILL = 1,     /* a residue disposed of */
  CET_SINK_VALORISATION = 2, /* a residue used elsewhere, with substitution credits */
  CET_SINK_EXPORT = 3,       /* material leaving the system boundary otherwise */
  CET_SINK_INCINERATION = 4, /* a residue burnt: cost, CO2e and energy per t received */
  CET_SINK_KINDS = 5
} cet_sink_kind;

/* Names of unit and sink kinds as written in the case ("process", "landfill"). */
const char *cet_unit_kind_name(cet_unit_kind kind);
const char *cet_sink_kind_name(cet_sink_kind kind);

/* What a unit kind is, as the model, the readers and the drivers ask it
 * (flags of cet_unit_kind_info). */
enum {
  CET_UNIT_KIND_INLETS = 1u << 0,     /* streams may enter it (every kind but feed) */
  CET_UNIT_KIND_OUTLETS = 1u << 1,    /* it has outlets (every kind but sink, which keeps all) */
  CET_UNIT_KIND_SOURCE = 1u << 2,     /* material enters the twin there: a flow and a composition */
  CET_UNIT_KIND_BOUNDARY = 1u << 3,   /* trades across the boundary: what its outlet does not
                                         carry leaves the twin (exchange); outside loops */
  CET_UNIT_KIND_PASS = 1u << 4,       /* its outlet carries its whole inflow (feed, mixer) */
  CET_UNIT_KIND_BALANCED = 1u << 5,   /* inflow equals outflow per component in reconciliation */
  CET_UNIT_KIND_CONSUMES = 1u << 6,   /* consumes carriers: a step of an exergy chain */
  CET_UNIT_KIND_REQUIRED = 1u << 7,   /* a network needs at least one unit of the kind */
  CET_UNIT_KIND_STRUCTURAL = 1u << 8, /* counted on the summary's line of structural units */
  CET_UNIT_KIND_OPTIONAL = 1u << 9    /* counted on the summary's network line only when present */
};

/* What reconciliation derives from the reconciled flows of a unit of the
 * kind (reconcile_split.h). */
typedef enum {
  CET_UNIT_DERIVES_NOTHING = 0,    /* mixer, sink: no parameter of their own */
  CET_UNIT_DERIVES_FEED = 1,       /* the flow and mass fractions of a feed */
  CET_UNIT_DERIVES_SPLIT = 2,      /* split factors per component and outlet */
  CET_UNIT_DERIVES_FRACTIONS = 3,  /* a splitter's fractions */
  CET_UNIT_DERIVES_STRUCTURAL = 4, /* none: a choice, listed as not derived */
  CET_UNIT_DERIVES_KINDS = 5
} cet_unit_derives;

/* The description of a unit kind: one record per kind (src/model/unit_*.c),
 * all of them listed once (src/model/twin_kinds.c). */
typedef struct {
  const char *name;         /* as written in the case: "flowsheet_choice" */
  const char *label;        /* in prose: "flowsheet choice" */
  const char *plural;       /* in prose: "flowsheet choices" */
  unsigned flags;           /* CET_UNIT_KIND_* */
  cet_unit_derives derives; /* what reconciliation derives */
} cet_unit_kind_info;

/* The description of kind (0 <= kind < CET_UNIT_KINDS). */
const cet_unit_kind_info *cet_unit_kind_describe(cet_unit_kind kind);

/* 1 when kind has every flag of flags. */
int cet_unit_kind_has(cet_unit_kind kind, unsigned flags);

/* What a unit's handling costs and emits per t of its inflow (`handling:`). */
typedef enum {
  CET_HANDLING_COST = 0,   /* currency per t */
  CET_HANDLING_GWP = 1,    /* t CO2e per t */
  CET_HANDLING_ENERGY = 2, /* kWh per t */
  CET_HANDLING_TERMS = 3
} cet_handling_term;

/* The criteria of a strategy (user guide: `criteria:`; Bonnin et al. 2015,
 * Eqs. 5-8): prices of the carriers and of the main component sold. */
typedef struct {
  char *currency; /* e.g. "EUR" */
  long *price;    /* [carriers] slots, currency per unit of carrier (CET_SLOT_NONE: 0) */
  long sold;      /* slot of the price of the main component reaching market sinks, per t */
  size_t main;    /* the main component (copper) */
} cet_criteria_spec;

/* A flowsheet choice unit (user guide: Flowsheet choice units): the final
 * process chains that enumeration finds for a nominal feed, composed at
 * evaluation from the split factors and consumptions of their library
 * processes. The processes are those the chains use, each once. */
typedef struct {
  size_t n_chains;
  size_t *chain_begin; /* [n_chains + 1] steps of chain i: step[chain_begin[i] .. [i + 1]) */
  size_t *step;        /* [steps] index into the processes below */
  cet_names labels;    /* [n_chains] the chains as enumerate prints them, e.g. "SME+ELEC+ER" */
  cet_names processes; /* ids of the library processes the chains use */
  long *split;         /* [processes x outlets x components] slots, outlet-major per process */
  long *consumption;   /* [processes x carriers] slots, per t of the main component fed */
  double *accept_min;  /* [processes x components] acceptance windows on mass fractions */
  double *accept_max;
  double tolerance; /* widening of the windows (enumeration's tolerance) */
  long chain;       /* slot of the chosen chain's number, 1 .. n_chains */
} cet_choice_spec;

/* Frees what a flowsheet choice description holds and the description. */
void cet_choice_spec_destroy(cet_choice_spec **c);

typedef struct {
  char *name;   /* unique; used in stream ends, metric names and results */
  char *where;  /* "FILE:LINE:COL: KEY.PATH" of the unit, the prefix of its messages */
  char *source; /* citation of the unit's numbers, may be "" */
  cet_unit_kind kind;
  cet_names outlets; /* feed and mixer: "out"; sink: none */

  /* feed */
  long flow;        /* slot of the total mass flow (flow_units) */
  long *fraction;   /* [components] slots of the mass fractions */
  double *property; /* [properties] physical properties as given (NaN = not given) */
  int residue;      /* 1: counts as residue generated (landfill avoided) */

  /* process */
  char *process;      /* id of the library process, NULL for split factors given inline */
  double *accept_min; /* [components] the library process's acceptance window on the mass */
  double *accept_max; /* fractions of its feed (a copy); NULL for split factors given inline */
  long *split;        /* [outlets x components] slots, outlet-major */
  long basis;         /* consumption basis: a component index, or -1 for the total inflow */
  long *consumption;  /* [carriers] slots, per t of basis fed */

  /* splitter */
  long *share;   /* [outlets] slots of the fractions (divided by their sum), or of the shares */
  int remainder; /* 1: `shares:` were given, one per outlet but the last (whose slot is
                    CET_SLOT_NONE), which takes 1 minus their sum */

  /* sink */
  cet_sink_kind sink;
  long burden;  /* slot of t CO2e per t received */
  long *credit; /* [credits] slots, t of resource saved per t received */
  long cost;    /* incineration: slot of the cost per t received (EUR/t) */
  long energy;  /* incineration: slot of the energy per t received (kWh/t; < 0 recovered) */

  /* selector */
  long choice; /* slot of the outlet index (0-based, an integer parameter) */

  /* exchange (the import composition is in fraction) */
  long net;                          /* slot of import minus export (flow_units) */
  long import_cost, export_cost;     /* slots, EUR per t imported / exported */
  long import_burden, export_burden; /* slots, t CO2e per t imported / exported */

  /* flowsheet choice (outlets: the library's; basis: the main component) */
  cet_choice_spec *chains;

  /* any kind but feed: [CET_HANDLING_TERMS] slots of cost, CO2e and energy per t
   * of the unit's inflow (sorting, disposal, import or export), or NULL */
  long *handling;
} cet_unit_spec;

typedef struct {
  size_t from;   /* unit index */
  size_t outlet; /* outlet index of unit from */
  size_t to;     /* unit index */
  char *where;   /* "FILE:LINE:COL: KEY.PATH" of the stream, for messages */
} cet_stream_spec;

/* Environmental accounting (user guide: `environment:`). */
typedef struct {
  long *emission_factor; /* [carriers] slots, t CO2e per unit of carrier */
  int *energy;           /* [carriers] 1 when the carrier adds to the `energy` metric */
  long avoided_credit;   /* index into credits of the credit counted as avoided CO2e, or -1 */
} cet_environment_spec;

/* Usage accounting (the twin's "usage" stage): per listed unit, tabulated
 * values of named quantities (a cost, an impact, a product flow) that hold
 * when the unit runs at its capacity. A unit is in use when its inflow is
 * positive; its usage rate is inflow / capacity, and it adds
 * value x (fixed_share + (1 - fixed_share) x rate) of each quantity: the
 * fixed share is paid in full as soon as the unit is in use, whatever its
 * rate (Bonnin et al. 2015, §3.2: 20 % of a flowsheet's energy is fixed). */
typedef struct {
  cet_names quantities; /* e.g. cost, gwp, flowrate */
  char **units;         /* [quantities] units of each quantity's values */
  long *fixed_share;    /* [quantities] slots of the fixed shares, in [0, 1] */
  size_t n_units;
  size_t *unit;   /* [n_units] indices of the units accounted */
  long *capacity; /* [n_units] slots (flow units); CET_SLOT_NONE: the twin's total feed */
  long *value;    /* [n_units x quantities] slots of the values at capacity */
} cet_usage_spec;

/* Exergy accounting (user guide: `exergy:`): the specific chemical exergy
 * of every component, either from a standard chemical exergy (kJ/mol) and
 * a molar mass (g/mol), which give GJ/t, or given in GJ/t directly; the
 * exergy of every carrier (an exergy/energy factor for a carrier in energy
 * units, or GJ per unit of the carrier); and which outlets of each unit
 * carry its products (the others carry residues). enabled is 0 without
 * the section: the twin then has no exergy stage. */
typedef struct {
  int enabled;
  long *chemical;          /* [components] slots, kJ/mol; CET_SLOT_NONE when specific is given */
  long *molar_mass;        /* [components] slots, g/mol; CET_SLOT_NONE when specific is given */
  long *specific;          /* [components] slots, GJ/t; CET_SLOT_NONE when from a species */
  long *factor;            /* [carriers] slots of the exergy factors */
  double *gj_per_unit;     /* [carriers] GJ per unit of the carrier's quantity times its factor */
  unsigned char **product; /* [units] -> [outlets] 1 when the outlet carries products */
} cet_exergy_spec;

typedef struct {
  cet_names components;
  cet_names carriers;
  char **carrier_units; /* [carriers] e.g. "kWh/t" (per t of basis fed) */
  cet_names properties; /* physical properties of feeds */
  cet_names credits;    /* resources credited by valorisation sinks, e.g. CO2, limestone */
  char *flow_units;     /* "t/a", "t/month", "t/day" or "t/h" */
  cet_params *params;
  size_t n_units;
  cet_unit_spec *unit;
  size_t n_streams;
  cet_stream_spec *stream;
  cet_environment_spec environment;
  cet_usage_spec usage;
  cet_exergy_spec exergy;
  cet_economics_spec *economics; /* discounted cash flow and prices, or NULL; owned */
  cet_criteria_spec *criteria;   /* the four criteria of a strategy, or NULL; owned */
} cet_twin_spec;

/* An empty description with an empty parameter table. */
int cet_twin_spec_create(cet_twin_spec **out);

/* Appends a zeroed unit of the given kind and name (copied) and returns it
 * in *unit (valid until the next append). */
int cet_twin_spec_add_unit(cet_twin_spec *s, const char *name, cet_unit_kind kind,
                           cet_unit_spec **unit);

/* Appends a stream. */
int cet_twin_spec_add_stream(cet_twin_spec *s, size_t from, size_t outlet, size_t to,
                             const char *where);

/* Index of the unit named name, or -1. */
long cet_twin_spec_find_unit(const cet_twin_spec *s, const char *name);

void cet_twin_spec_destroy(cet_twin_spec **s);

/* Frees what an exergy description holds and resets it to empty (n_units:
 * the length of its product list). */
void cet_exergy_spec_clear(cet_exergy_spec *x, size_t n_units);

/* Frees what a usage description holds and resets it to empty. */
void cet_usage_spec_clear(cet_usage_spec *u);

#endif /* CETWIN_NETWORK_H */
