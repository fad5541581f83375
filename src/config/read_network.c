/*
 * read_network.c — reads the `network:` section of a case (user guide:
 * `network:`) into a twin description: units (feeds, process units from the
 * library or with inline split factors, splitters, mixers, sinks) and the
 * streams between their outlets and inlets. Every number read becomes a
 * parameter at its key path; the library values a process unit uses are
 * registered under `processes.ID....`. Whether the network is well formed
 * (outlets connected once, loops with an exit) is checked when the model
 * builds it.
 */
#include "read_structural.h"
#include "readers.h"

#include "cetwin/log.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  NETWORK_LIST_LEN = 1024,
  NETWORK_TEXT_LEN = 512,
  NETWORK_NOTE_LEN = 2048,
  NETWORK_MAX_OUTLETS = 256
};

/* Tolerance on the sum of a feed's mass fractions and a splitter's fractions. */
static const double NETWORK_SUM_TOLERANCE = 1e-6;
/* Edit distance up to which an unknown name gets a "did you mean". */
static const size_t NETWORK_SUGGEST_DISTANCE = 2;

static const char *const NETWORK_KEYS[] = {"flow_units", "units", "streams", "criteria",
                                           "source",     "note",  NULL};
static const char *const SINK_KINDS[CET_SINK_KINDS] = {"market", "landfill", "valorisation",
                                                       "export", "incineration"};
static const char *const FLOW_UNITS[] = {"t/a", "t/month", "t/day", "t/h"};
static const char *const FEED_KEYS[] = {"type",    "flow",   "composition", "properties",
                                        "residue", "source", "note",        NULL};
static const char *const PROCESS_KEYS[] = {"type",   "process", "split",    "consumption", "basis",
                                           "source", "note",    "handling", NULL};
static const char *const SPLITTER_KEYS[] = {"type",   "outlets", "fractions", "shares",
                                            "source", "note",    "handling",  NULL};
static const char *const MIXER_KEYS[] = {"type", "source", "note", "handling", NULL};
static const char *const SINK_KEYS[] = {"type",   "kind",   "credits", "burden",   "cost",
                                        "energy", "source", "note",    "handling", NULL};
static const char *const STREAM_KEYS[] = {"from", "to", "note", NULL};
static const char *const SINGLE_OUTLET = "out";

typedef struct {
  const cet_node *root;
  const cet_case *c;
  const cet_library_options *opts;
  cet_twin_spec *s;
  long default_basis;
  long **lib_split; /* [library processes] slots [outlets x components], NULL until used */
  long **lib_cons;  /* [library processes] slots [carriers] */
  char note[NETWORK_NOTE_LEN];
} reader;

static long *slots_alloc(size_t n) {
  long *s = malloc((n ? n : 1) * sizeof *s);
  if (s) {
    for (size_t i = 0; i < n; i++) {
      s[i] = CET_SLOT_NONE;
    }
  }
  return s;
}

/* A name usable in stream ends and metric names: non-empty, no '.'. */
static int check_name(const cet_node *n, const char *name, const char *what) {
  if (!name[0] || strchr(name, '.') || strchr(name, ' ')) {
    return cet_node_fail(n, "a %s name must be non-empty without '.' or spaces, found '%s'", what,
                         name);
  }
  return CET_OK;
}

/* Reads a consumption value: a number, a printed range [low, high] (the
 * case's consumption_range picks the value) or ~ (unknown). */
static int read_consumption_value(const reader *r, const cet_node *v, const char *units,
                                  long *slot) {
  double value = 0.0, lo = 0.0, hi = 0.0;
  unsigned flags = 0;
  switch (cet_node_kind_of(v)) {
  case CET_NODE_NULL:
    value = NAN;
    flags = CET_PARAM_MAY_BE_UNKNOWN;
    break;
  case CET_NODE_SEQ:
    CET_CALL(cet_node_pair_in(v, 0.0, INFINITY, &lo, &hi));
    value = r->opts->consumption_range == 1   ? lo
            : r->opts->consumption_range == 2 ? hi
                                              : 0.5 * (lo + hi);
    break;
  default:
    CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &value));
  }
  return cet_register_param(v, value, 0.0, INFINITY, units, flags, r->s->params, slot);
}

/* ---- library processes ---- */

/* Registers the split factors and consumptions of library process p under
 * processes.ID (once, shared by every unit that uses p). */
static int register_library_process(reader *r, size_t p) {
  if (r->lib_split[p]) {
    return CET_OK;
  }
  const cet_library *lib = r->c->library;
  const cet_process_spec *ps = cet_library_process(lib, p);
  const cet_names *outlets = cet_library_outlets(lib), *comps = &r->s->components;
  size_t nc = comps->n, no = outlets->n, nk = r->s->carriers.n;
  long *split = slots_alloc(no * nc), *cons = slots_alloc(nk);
  if (!split || !cons) {
    free(split);
    free(cons);
    CET_CHECK_ALLOC(NULL);
  }
  r->lib_split[p] = split;
  r->lib_cons[p] = cons;
  const cet_node *proc = cet_node_get(cet_node_get(r->root, "processes"), ps->id);
  const cet_node *sp = cet_node_get(proc, "split"), *cn = cet_node_get(proc, "consumption");
  for (size_t c = 0; c < nc; c++) {
    const cet_node *per = cet_node_get(sp, comps->name[c]);
    for (size_t o = 0; o < no; o++) {
      const cet_node *v = cet_node_get(per, outlets->name[o]);
      if (v) {
        CET_CALL(cet_register_param(v, ps->split[o * nc + c], 0.0, 1.0, "1", 0, r->s->params,
                                    &split[o * nc + c]));
      }
    }
  }
  for (size_t k = 0; k < nk; k++) {
    const cet_node *v = cet_node_get(cn, r->s->carriers.name[k]);
    if (v) {
      unsigned flags = isnan(ps->consumption[k]) ? CET_PARAM_MAY_BE_UNKNOWN : 0;
      CET_CALL(cet_register_param(v, ps->consumption[k], 0.0, INFINITY, r->s->carrier_units[k],
                                  flags, r->s->params, &cons[k]));
    }
  }
  return CET_OK;
}

/* cet_read_library_slots_fn over the reader (flowsheet choice units). */
static int library_slots(void *ctx, size_t p, const long **split, const long **consumption) {
  reader *r = ctx;
  CET_CALL(register_library_process(r, p));
  *split = r->lib_split[p];
  *consumption = r->lib_cons[p];
  return CET_OK;
}

int cet_read_library_find(const cet_node *at, const cet_library *lib, const char *id, size_t *p) {
  long found = cet_library_find(lib, id);
  if (found < 0) {
    char list[NETWORK_LIST_LEN] = "";
    size_t used = 0;
    for (size_t i = 0; i < cet_library_size(lib) && used < sizeof list; i++) {
      int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                       cet_library_process(lib, i)->id);
      used += w > 0 ? (size_t)w : 0;
    }
    return cet_node_fail(at, "unknown library process '%s' (the processes: section has: %s)", id,
                         used ? list : "none");
  }
  *p = (size_t)found;
  return CET_OK;
}

static int read_library_unit(reader *r, const cet_node *unit, const cet_node *id_node,
                             cet_unit_spec *u) {
  const char *id = NULL;
  CET_CALL(cet_node_string(id_node, &id));
  const cet_library *lib = r->c->library;
  size_t p = 0;
  CET_CALL(cet_read_library_find(id_node, lib, id, &p));
  if (cet_node_get(unit, "consumption")) {
    return cet_node_fail_key(unit, "consumption",
                             "a library process takes its consumptions from processes.%s."
                             "consumption; give split factors inline to set them here",
                             id);
  }
  CET_CALL(register_library_process(r, p));
  const cet_names *outlets = cet_library_outlets(lib);
  size_t nc = r->s->components.n, nk = r->s->carriers.n;
  CET_CALL(cet_names_copy(&u->outlets, outlets));
  u->process = cet_strdup(id);
  u->split = slots_alloc(outlets->n * nc);
  u->consumption = slots_alloc(nk);
  u->accept_min = malloc((nc + 1) * sizeof *u->accept_min);
  u->accept_max = malloc((nc + 1) * sizeof *u->accept_max);
  CET_CHECK_ALLOCS(u->process && u->split && u->consumption && u->accept_min && u->accept_max);
  memcpy(u->split, r->lib_split[p], outlets->n * nc * sizeof *u->split);
  memcpy(u->consumption, r->lib_cons[p], nk * sizeof *u->consumption);
  const cet_process_spec *ps = cet_library_process(lib, p);
  memcpy(u->accept_min, ps->accept_min, nc * sizeof *u->accept_min);
  memcpy(u->accept_max, ps->accept_max, nc * sizeof *u->accept_max);
  return CET_OK;
}

/* ---- inline processes ---- */

static int collect_outlets(const cet_node *split, cet_names *outlets) {
  for (size_t i = 0; i < cet_node_size(split); i++) {
    const cet_node *per = cet_node_at(split, i);
    CET_CALL(cet_node_expect_map(per));
    for (size_t j = 0; j < cet_node_size(per); j++) {
      const char *name = cet_node_key_at(per, j);
      size_t index = 0;
      CET_CALL(check_name(cet_node_at(per, j), name, "outlet"));
      CET_CALL(cet_names_intern(outlets, name, &index));
    }
  }
  return CET_OK;
}

static int read_inline_split(reader *r, const cet_node *split, const char *unit, cet_unit_spec *u) {
  CET_CALL(cet_node_expect_map(split));
  const cet_names *comps = &r->s->components;
  for (size_t i = 0; i < cet_node_size(split); i++) {
    size_t c = 0;
    CET_CALL(cet_read_lookup(split, cet_node_key_at(split, i), comps, "component", &c));
  }
  CET_CALL(collect_outlets(split, &u->outlets));
  if (u->outlets.n == 0) {
    return cet_node_fail(split, "expected split factors to at least one outlet");
  }
  size_t nc = comps->n, no = u->outlets.n;
  u->split = slots_alloc(no * nc);
  CET_CHECK_ALLOC(u->split);
  for (size_t c = 0; c < nc; c++) {
    const cet_node *per = cet_node_get(split, comps->name[c]);
    if (!per) {
      return cet_node_fail(split,
                           "missing split factors for component '%s' (every component "
                           "goes somewhere; give e.g. {product: 1})",
                           comps->name[c]);
    }
    double sum = 0.0, value[NETWORK_MAX_OUTLETS];
    if (cet_node_size(per) > NETWORK_MAX_OUTLETS) {
      return cet_node_fail(per, "expected at most %d outlets, found %zu", NETWORK_MAX_OUTLETS,
                           cet_node_size(per));
    }
    for (size_t j = 0; j < cet_node_size(per); j++) {
      CET_CALL(cet_node_number_in(cet_node_at(per, j), 0.0, 1.0, &value[j]));
      sum += value[j];
    }
    int off = 0;
    CET_CALL(
        cet_read_split_sum(per, unit, comps->name[c], sum, r->opts, r->note, sizeof r->note, &off));
    for (size_t j = 0; j < cet_node_size(per); j++) {
      size_t o = (size_t)cet_names_find(&u->outlets, cet_node_key_at(per, j));
      double v = off && r->opts->renormalise_splits ? value[j] / sum : value[j];
      CET_CALL(cet_register_param(cet_node_at(per, j), v, 0.0, 1.0, "1", 0, r->s->params,
                                  &u->split[o * nc + c]));
    }
  }
  return CET_OK;
}

static int read_inline_consumption(reader *r, const cet_node *cons, cet_unit_spec *u) {
  size_t nk = r->s->carriers.n;
  u->consumption = slots_alloc(nk);
  CET_CHECK_ALLOC(u->consumption);
  if (!cons) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(cons));
  for (size_t i = 0; i < cet_node_size(cons); i++) {
    const char *key = cet_node_key_at(cons, i);
    long k = cet_names_find(&r->s->carriers, key);
    if (k < 0) {
      char list[NETWORK_LIST_LEN];
      cet_names_join(&r->s->carriers, list, sizeof list);
      return cet_node_fail_key(cons, key,
                               "unknown carrier '%s' (declare it under carriers:; "
                               "known: %s)",
                               key, list[0] ? list : "none");
    }
    CET_CALL(read_consumption_value(r, cet_node_at(cons, i), r->s->carrier_units[k],
                                    &u->consumption[k]));
  }
  return CET_OK;
}

static int read_basis(const reader *r, const cet_node *unit, cet_unit_spec *u) {
  const char *basis = NULL;
  CET_CALL(cet_node_opt_string(unit, "basis", NULL, &basis));
  if (!basis) {
    u->basis = r->default_basis;
    return CET_OK;
  }
  if (strcmp(basis, "total") == 0) {
    u->basis = -1;
    return CET_OK;
  }
  long c = cet_names_find(&r->s->components, basis);
  if (c < 0) {
    char list[NETWORK_LIST_LEN];
    cet_names_join(&r->s->components, list, sizeof list);
    return cet_node_fail(cet_node_get(unit, "basis"),
                         "expected total or a component (%s), found '%s'", list, basis);
  }
  u->basis = c;
  return CET_OK;
}

static int read_process_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  CET_CALL(cet_node_check_keys(unit, PROCESS_KEYS));
  const cet_node *process = cet_node_get(unit, "process"), *split = cet_node_get(unit, "split");
  if (process && split) {
    return cet_node_fail(unit, "give either process: (a library process) or split: (inline "
                               "split factors), not both");
  }
  if (!process && !split) {
    return cet_node_fail(unit, "missing required key 'process' (a library process id) or "
                               "'split' (split factors per component and outlet)");
  }
  if (process) {
    CET_CALL(read_library_unit(r, unit, process, u));
  } else {
    CET_CALL(read_inline_split(r, split, name, u));
    CET_CALL(read_inline_consumption(r, cet_node_get(unit, "consumption"), u));
  }
  return read_basis(r, unit, u);
}

/* ---- feeds, splitters, mixers, sinks ---- */

/* Fractions read at node v (what: "mass fractions", "fractions") must sum
 * to 1 within the network's tolerance. */
static int sums_to_one(const cet_node *v, const char *what, double sum) {
  if (fabs(sum - 1.0) > NETWORK_SUM_TOLERANCE) {
    return cet_node_fail(v, "%s sum to %.9g, expected 1 (within %g)", what, sum,
                         NETWORK_SUM_TOLERANCE);
  }
  return CET_OK;
}

int cet_read_network_composition(const cet_node *v, cet_twin_spec *s, cet_unit_spec *u) {
  const cet_names *comps = &s->components;
  CET_CALL(cet_node_expect_map(v));
  u->fraction = slots_alloc(comps->n);
  CET_CHECK_ALLOC(u->fraction);
  double sum = 0.0;
  for (size_t i = 0; i < cet_node_size(v); i++) {
    size_t c = 0;
    const cet_node *x = cet_node_at(v, i);
    CET_CALL(cet_read_lookup(v, cet_node_key_at(v, i), comps, "component", &c));
    CET_CALL(cet_read_param(x, 0.0, 1.0, "1", s->params, &u->fraction[c]));
    sum += cet_params_values(s->params)[u->fraction[c]];
  }
  return sums_to_one(v, "mass fractions", sum);
}

static int read_feed_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  CET_CALL(cet_node_check_keys(unit, FEED_KEYS));
  size_t np = r->s->properties.n;
  const cet_node *v = NULL;
  CET_CALL(cet_node_require(unit, "flow", "total mass flow in network.flow_units", &v));
  CET_CALL(cet_read_param(v, 0.0, INFINITY, r->s->flow_units, r->s->params, &u->flow));
  CET_CALL(cet_node_require(unit, "composition", "mass fractions per component", &v));
  CET_CALL(cet_read_network_composition(v, r->s, u));
  u->property = malloc((np ? np : 1) * sizeof *u->property);
  CET_CHECK_ALLOC(u->property);
  for (size_t k = 0; k < np; k++) {
    u->property[k] = NAN;
  }
  const cet_node *props = cet_node_get(unit, "properties");
  if (props) {
    CET_CALL(cet_node_expect_map(props));
    for (size_t i = 0; i < cet_node_size(props); i++) {
      size_t k = 0;
      const cet_node *x = cet_node_at(props, i);
      CET_CALL(
          cet_read_lookup(props, cet_node_key_at(props, i), &r->s->properties, "property", &k));
      CET_CALL(cet_node_number(x, &u->property[k]));
    }
  }
  CET_CALL(cet_node_opt_boolean(unit, "residue", 0, &u->residue));
  CET_CALL(cet_names_add(&u->outlets, SINGLE_OUTLET));
  return CET_OK;
}

/* `shares:` of a splitter: the share of every outlet but the last, each in
 * [0, 1], summing to at most 1; the last outlet takes the remainder. */
static int read_splitter_shares(reader *r, const cet_node *shares, cet_unit_spec *u) {
  size_t n = u->outlets.n;
  CET_CALL(cet_node_expect_seq(shares));
  if (n < 2) {
    return cet_node_fail(shares,
                         "shares need at least two outlets (the last takes the remainder), "
                         "found %zu outlet",
                         n);
  }
  if (cet_node_size(shares) != n - 1) {
    return cet_node_fail(shares,
                         "expected %zu shares (one per outlet but the last, '%s', which takes "
                         "the remainder), found %zu",
                         n - 1, u->outlets.name[n - 1], cet_node_size(shares));
  }
  u->share = slots_alloc(n);
  CET_CHECK_ALLOC(u->share);
  u->remainder = 1;
  double sum = 0.0;
  for (size_t i = 0; i + 1 < n; i++) {
    CET_CALL(cet_read_param(cet_node_at(shares, i), 0.0, 1.0, "1", r->s->params, &u->share[i]));
    sum += cet_params_values(r->s->params)[u->share[i]];
  }
  if (sum > 1.0 + NETWORK_SUM_TOLERANCE) {
    return cet_node_fail(shares,
                         "shares sum to %.9g, more than 1: the last outlet '%s' takes 1 minus "
                         "their sum",
                         sum, u->outlets.name[n - 1]);
  }
  return CET_OK;
}

int cet_read_network_outlets(const cet_node *unit, cet_unit_spec *u) {
  const cet_node *outlets = NULL;
  CET_CALL(cet_node_require(unit, "outlets", "the names of the outlets, e.g. [a, b]", &outlets));
  CET_CALL(cet_node_expect_seq(outlets));
  for (size_t i = 0; i < cet_node_size(outlets); i++) {
    const char *name = NULL;
    CET_CALL(cet_node_string(cet_node_at(outlets, i), &name));
    CET_CALL(check_name(cet_node_at(outlets, i), name, "outlet"));
    if (cet_names_find(&u->outlets, name) >= 0) {
      return cet_node_fail(cet_node_at(outlets, i), "duplicate outlet '%s'", name);
    }
    CET_CALL(cet_names_add(&u->outlets, name));
  }
  if (u->outlets.n == 0) {
    return cet_node_fail(outlets, "expected at least one outlet, found an empty list");
  }
  return CET_OK;
}

static int read_splitter_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  CET_CALL(cet_node_check_keys(unit, SPLITTER_KEYS));
  const cet_node *fractions = NULL;
  CET_CALL(cet_read_network_outlets(unit, u));
  const cet_node *shares = cet_node_get(unit, "shares");
  if (shares && cet_node_get(unit, "fractions")) {
    return cet_node_fail_key(unit, "shares",
                             "give fractions (divided by their sum) or shares (the last outlet "
                             "takes the remainder), not both");
  }
  if (shares) {
    return read_splitter_shares(r, shares, u);
  }
  CET_CALL(cet_node_require(unit, "fractions",
                            "one fraction per outlet, summing to 1 (or shares: one per outlet "
                            "but the last, which takes the remainder)",
                            &fractions));
  CET_CALL(cet_node_expect_seq(fractions));
  if (cet_node_size(fractions) != u->outlets.n) {
    return cet_node_fail(fractions, "expected %zu fractions (one per outlet), found %zu",
                         u->outlets.n, cet_node_size(fractions));
  }
  u->share = slots_alloc(u->outlets.n);
  CET_CHECK_ALLOC(u->share);
  double sum = 0.0;
  for (size_t i = 0; i < u->outlets.n; i++) {
    const cet_node *v = cet_node_at(fractions, i);
    double value = 0.0;
    CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &value));
    CET_CALL(cet_register_param(v, value, 0.0, INFINITY, "1", CET_PARAM_NORMALISED, r->s->params,
                                &u->share[i]));
    sum += value;
  }
  return sums_to_one(fractions, "fractions", sum);
}

static int read_sink_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  CET_CALL(cet_node_check_keys(unit, SINK_KEYS));
  const cet_node *v = NULL;
  CET_CALL(
      cet_node_require(unit, "kind", "market, landfill, valorisation, export or incineration", &v));
  int kind = 0;
  CET_CALL(cet_node_choice(v, SINK_KINDS, CET_SINK_KINDS, &kind));
  u->sink = (cet_sink_kind)kind;
  CET_CALL(cet_read_incineration(unit, r->s, u));
  const cet_node *burden = cet_node_get(unit, "burden");
  if (burden) {
    CET_CALL(cet_read_param(burden, 0.0, INFINITY, "t CO2e/t", r->s->params, &u->burden));
  }
  u->credit = slots_alloc(r->s->credits.n);
  CET_CHECK_ALLOC(u->credit);
  const cet_node *credits = cet_node_get(unit, "credits");
  if (!credits) {
    return CET_OK;
  }
  if (u->sink != CET_SINK_VALORISATION) {
    return cet_node_fail_key(unit, "credits",
                             "only valorisation sinks give substitution credits (this sink is "
                             "kind %s)",
                             SINK_KINDS[kind]);
  }
  CET_CALL(cet_node_expect_map(credits));
  for (size_t i = 0; i < cet_node_size(credits); i++) {
    size_t k = (size_t)cet_names_find(&r->s->credits, cet_node_key_at(credits, i));
    CET_CALL(
        cet_read_param(cet_node_at(credits, i), 0.0, INFINITY, "t/t", r->s->params, &u->credit[k]));
  }
  return CET_OK;
}

/* The credited resources, in order of first appearance over the sinks. */
static int collect_credits(const cet_node *units, cet_names *credits) {
  for (size_t i = 0; i < cet_node_size(units); i++) {
    const cet_node *unit = cet_node_at(units, i);
    const cet_node *type = cet_node_get(unit, "type"), *cr = cet_node_get(unit, "credits");
    const char *t = type ? cet_node_text(type) : NULL;
    if (!t || strcmp(t, "sink") != 0 || !cr || cet_node_kind_of(cr) != CET_NODE_MAP) {
      continue;
    }
    for (size_t j = 0; j < cet_node_size(cr); j++) {
      size_t index = 0;
      CET_CALL(check_name(cet_node_at(cr, j), cet_node_key_at(cr, j), "credited resource"));
      CET_CALL(cet_names_intern(credits, cet_node_key_at(cr, j), &index));
    }
  }
  return CET_OK;
}

static int read_mixer_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)r;
  (void)name;
  CET_CALL(cet_node_check_keys(unit, MIXER_KEYS));
  return cet_names_add(&u->outlets, SINGLE_OUTLET);
}

static int read_selector_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  return cet_read_selector_unit(unit, r->s, u);
}

static int read_exchange_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  return cet_read_exchange_unit(unit, r->s, u);
}

static int read_choice_unit(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u) {
  (void)name;
  return cet_read_choice_unit(unit, cet_node_get(cet_node_get(r->root, "network"), "units"), r->c,
                              r->s, library_slots, r, u);
}

/* The reader of each unit kind (the kind's name, flags and equations are
 * the model's: cet_unit_kind_describe of network.h): the keys of a unit of
 * the kind, its parameters (paths network.units.NAME....) and its outlets,
 * read after its type, source and handling. */
typedef int (*unit_reader)(reader *r, const cet_node *unit, const char *name, cet_unit_spec *u);
static const unit_reader UNIT_READERS[CET_UNIT_KINDS] = {
    [CET_UNIT_FEED] = read_feed_unit,         [CET_UNIT_PROCESS] = read_process_unit,
    [CET_UNIT_SPLITTER] = read_splitter_unit, [CET_UNIT_MIXER] = read_mixer_unit,
    [CET_UNIT_SINK] = read_sink_unit,         [CET_UNIT_SELECTOR] = read_selector_unit,
    [CET_UNIT_EXCHANGE] = read_exchange_unit, [CET_UNIT_FLOWSHEET_CHOICE] = read_choice_unit};

int cet_read_unit_kind_supported(cet_unit_kind kind) { return UNIT_READERS[kind] != NULL; }

/* The unit types as the case writes them, and "feed, process, ... or
 * flowsheet_choice" into expected[len]. */
static void unit_types(const char *types[CET_UNIT_KINDS], char *expected, size_t len) {
  size_t at = 0;
  expected[0] = '\0';
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    types[k] = cet_unit_kind_name((cet_unit_kind)k);
    const char *sep = k == 0 ? "" : k + 1 < CET_UNIT_KINDS ? ", " : " or ";
    if (at < len) {
      at += (size_t)snprintf(expected + at, len - at, "%s%s", sep, types[k]);
    }
  }
}

static int read_unit(reader *r, const cet_node *unit, const char *name) {
  CET_CALL(check_name(unit, name, "unit"));
  CET_CALL(cet_node_expect_map(unit));
  const char *types[CET_UNIT_KINDS];
  char expected[NETWORK_TEXT_LEN];
  unit_types(types, expected, sizeof expected);
  const cet_node *v = NULL;
  CET_CALL(cet_node_require(unit, "type", expected, &v));
  int type = 0;
  CET_CALL(cet_node_choice(v, types, CET_UNIT_KINDS, &type));
  cet_unit_spec *u = NULL;
  CET_CALL(cet_twin_spec_add_unit(r->s, name, (cet_unit_kind)type, &u));
  CET_CALL(cet_read_where(unit, &u->where));
  const char *source = NULL;
  CET_CALL(cet_node_opt_string(unit, "source", "", &source));
  u->source = cet_strdup(source);
  CET_CHECK_ALLOC(u->source);
  CET_CALL(cet_read_handling(unit, r->s, u));
  return UNIT_READERS[type](r, unit, name, u);
}

/* ---- streams ---- */

static int find_unit(const reader *r, const cet_node *at, const char *name, size_t *u) {
  long i = cet_twin_spec_find_unit(r->s, name);
  if (i >= 0) {
    *u = (size_t)i;
    return CET_OK;
  }
  const char *best = NULL;
  size_t best_distance = (size_t)-1;
  char list[NETWORK_LIST_LEN] = "";
  size_t used = 0;
  for (size_t k = 0; k < r->s->n_units; k++) {
    size_t d = cet_str_distance(name, r->s->unit[k].name);
    if (d < best_distance) {
      best_distance = d;
      best = r->s->unit[k].name;
    }
    if (used < sizeof list) {
      int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", r->s->unit[k].name);
      used += w > 0 ? (size_t)w : 0;
    }
  }
  if (best && best_distance <= NETWORK_SUGGEST_DISTANCE) {
    return cet_node_fail(at, "unknown unit '%s' (did you mean '%s'? units: %s)", name, best, list);
  }
  return cet_node_fail(at, "unknown unit '%s' (units: %s)", name, list);
}

/* "unit.outlet", or "unit" for a unit with a single outlet. */
static int read_from(const reader *r, const cet_node *v, size_t *u, size_t *outlet) {
  const char *text = NULL;
  CET_CALL(cet_node_string(v, &text));
  const char *dot = strchr(text, '.');
  char unit[NETWORK_TEXT_LEN];
  snprintf(unit, sizeof unit, "%.*s", (int)(dot ? (size_t)(dot - text) : strlen(text)), text);
  CET_CALL(find_unit(r, v, unit, u));
  const cet_unit_spec *us = &r->s->unit[*u];
  char list[NETWORK_LIST_LEN];
  cet_names_join(&us->outlets, list, sizeof list);
  if (!cet_unit_kind_has(us->kind, CET_UNIT_KIND_OUTLETS)) {
    return cet_node_fail(v, "'%s' is a %s: nothing leaves it", unit,
                         cet_unit_kind_describe(us->kind)->label);
  }
  if (!dot) {
    if (us->outlets.n != 1) {
      return cet_node_fail(v, "unit '%s' has outlets %s: write %s.OUTLET", unit, list, unit);
    }
    *outlet = 0;
    return CET_OK;
  }
  long o = cet_names_find(&us->outlets, dot + 1);
  if (o < 0) {
    return cet_node_fail(v, "unit '%s' has no outlet '%s' (outlets: %s)", unit, dot + 1, list);
  }
  *outlet = (size_t)o;
  return CET_OK;
}

static int read_streams(reader *r, const cet_node *streams) {
  CET_CALL(cet_node_expect_seq(streams));
  for (size_t i = 0; i < cet_node_size(streams); i++) {
    const cet_node *st = cet_node_at(streams, i);
    CET_CALL(cet_node_check_keys(st, STREAM_KEYS));
    const cet_node *from = NULL, *to = NULL;
    CET_CALL(cet_node_require(st, "from", "UNIT.OUTLET the stream leaves", &from));
    CET_CALL(cet_node_require(st, "to", "the UNIT the stream enters", &to));
    size_t u = 0, o = 0, v = 0;
    CET_CALL(read_from(r, from, &u, &o));
    const char *target = NULL;
    CET_CALL(cet_node_string(to, &target));
    if (strchr(target, '.')) {
      return cet_node_fail(to,
                           "a stream enters a unit, not an outlet: expected a unit name, "
                           "found '%s'",
                           target);
    }
    CET_CALL(find_unit(r, to, target, &v));
    char *where = NULL;
    CET_CALL(cet_read_where(st, &where));
    int status = cet_twin_spec_add_stream(r->s, u, o, v, where);
    free(where);
    CET_CALL(status);
  }
  for (size_t u = 0; u < r->s->n_units; u++) {
    int fed = !cet_unit_kind_has(r->s->unit[u].kind, CET_UNIT_KIND_INLETS);
    for (size_t i = 0; i < r->s->n_streams && !fed; i++) {
      fed = r->s->stream[i].to == u;
    }
    if (!fed) {
      cet_log_warn("%s: unit '%s' receives no stream (its flows are 0)", r->s->unit[u].where,
                   r->s->unit[u].name);
    }
  }
  return CET_OK;
}

/* ---- the section ---- */

static int copy_layout(reader *r) {
  const cet_library *lib = r->c->library;
  cet_twin_spec *s = r->s;
  CET_CALL(cet_names_copy(&s->components, &r->c->components));
  CET_CALL(cet_names_copy(&s->carriers, cet_library_carriers(lib)));
  CET_CALL(cet_names_copy(&s->properties, cet_library_properties(lib)));
  s->carrier_units = calloc(s->carriers.n ? s->carriers.n : 1, sizeof *s->carrier_units);
  CET_CHECK_ALLOC(s->carrier_units);
  for (size_t k = 0; k < s->carriers.n; k++) {
    s->carrier_units[k] = cet_strdup(r->c->carrier_units[k]);
    CET_CHECK_ALLOC(s->carrier_units[k]);
  }
  size_t np = cet_library_size(lib);
  r->lib_split = calloc(np ? np : 1, sizeof *r->lib_split);
  r->lib_cons = calloc(np ? np : 1, sizeof *r->lib_cons);
  CET_CHECK_ALLOCS(r->lib_split && r->lib_cons);
  r->default_basis = cet_node_get(r->root, "main_component") ? (long)r->c->main_component : -1;
  return CET_OK;
}

static int read_section(reader *r, const cet_node *net) {
  CET_CALL(cet_node_check_keys(net, NETWORK_KEYS));
  int unit = 0;
  const cet_node *fu = cet_node_get(net, "flow_units");
  if (fu) {
    CET_CALL(cet_node_choice(fu, FLOW_UNITS, sizeof FLOW_UNITS / sizeof FLOW_UNITS[0], &unit));
  }
  r->s->flow_units = cet_strdup(FLOW_UNITS[unit]);
  CET_CHECK_ALLOC(r->s->flow_units);
  CET_CALL(copy_layout(r));
  const cet_node *units = NULL, *streams = NULL;
  CET_CALL(cet_node_require(net, "units", "a mapping of unit names to units", &units));
  CET_CALL(cet_node_expect_map(units));
  if (cet_node_size(units) == 0) {
    return cet_node_fail(units, "expected at least one unit, found an empty mapping");
  }
  CET_CALL(cet_read_criteria(cet_node_get(net, "criteria"), r->root, r->c, r->s));
  CET_CALL(collect_credits(units, &r->s->credits));
  for (size_t i = 0; i < cet_node_size(units); i++) {
    CET_CALL(read_unit(r, cet_node_at(units, i), cet_node_key_at(units, i)));
  }
  CET_CALL(cet_node_require(net, "streams", "a list of {from: UNIT.OUTLET, to: UNIT}", &streams));
  CET_CALL(read_streams(r, streams));
  if (r->note[0]) {
    cet_log_warn("split factors off 1 within split_tolerance %g (kept as given; every unit "
                 "divides them by their sum): %s",
                 r->opts->split_tolerance, r->note);
  }
  return CET_OK;
}

int cet_read_network(const cet_node *root, const cet_case *c, const cet_library_options *opts,
                     cet_twin_spec **out) {
  *out = NULL;
  const cet_node *net = NULL;
  CET_CALL(cet_node_require(root, "network", "the units and streams of the twin", &net));
  CET_CALL(cet_node_expect_map(net));
  reader r = {.root = root, .c = c, .opts = opts};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_twin_spec_create(&r.s));
  CET_CALL_GOTO(status, done, read_section(&r, net));
  *out = r.s;
  r.s = NULL;
done:;
  size_t np = c->library ? cet_library_size(c->library) : 0;
  for (size_t p = 0; p < np; p++) {
    if (r.lib_split) {
      free(r.lib_split[p]);
    }
    if (r.lib_cons) {
      free(r.lib_cons[p]);
    }
  }
  free(r.lib_split);
  free(r.lib_cons);
  cet_twin_spec_destroy(&r.s);
  return status;
}
