/*
 * read_choice.c — reads a flowsheet choice unit of `network:` (user guide:
 * Flowsheet choice units): the chains to choose from, either the final
 * process chains that enumeration (enumerate.h) finds for a nominal feed or
 * a list of chains given in the case (one process each for a step of a
 * chain split where streams join or leave it), and the number of the chain
 * used, a parameter like any other (a design variable, a factor, --set).
 * Each chain's processes keep the parameter slots of the library values
 * that process units share, so that one --set of processes.ID... moves
 * both.
 */
#include "readers.h"

#include "cetwin/enumerate.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CHOICE_LIST_LEN = 1024, CHOICE_CHAIN_LEN = 256, CHOICE_LISTED = 12 };

static const char *const CHOICE_KEYS[] = {"type",          "feed",       "chains", "chain",
                                          "target_purity", "max_length", "source", "note",
                                          "handling",      NULL};
static const char *const NOMINAL_KEYS[] = {"composition", "properties", "source", "note", NULL};

/* The nominal composition (mass[components], summing to 1) and properties
 * of map (a feed unit, or the inline `feed:`). */
static int read_nominal(const cet_node *map, const cet_case *c, double *mass, double *props) {
  const cet_names *comps = &c->components, *pn = cet_library_properties(c->library);
  const cet_node *comp = NULL;
  CET_CALL(cet_node_require(map, "composition", "mass fractions per component", &comp));
  CET_CALL(cet_node_expect_map(comp));
  double sum = 0.0;
  for (size_t i = 0; i < cet_node_size(comp); i++) {
    size_t k = 0;
    CET_CALL(cet_read_lookup(comp, cet_node_key_at(comp, i), comps, "component", &k));
    CET_CALL(cet_node_number_in(cet_node_at(comp, i), 0.0, 1.0, &mass[k]));
    sum += mass[k];
  }
  if (!(sum > 0.0)) {
    return cet_node_fail(comp, "expected mass fractions with a positive sum, found %g", sum);
  }
  for (size_t k = 0; k < comps->n; k++) {
    mass[k] /= sum;
  }
  return cet_read_feed_properties(map, pn, props);
}

/* `feed:` — the name of a feed unit of units, or {composition, properties}. */
static int read_feed(const cet_node *unit, const cet_node *units, const cet_case *c, double *mass,
                     double *props) {
  const cet_node *feed = NULL;
  CET_CALL(cet_node_require(unit, "feed",
                            "the nominal feed whose chains are enumerated: a feed unit's name or "
                            "{composition: ..., properties: ...} (or chains: [...] listed)",
                            &feed));
  if (cet_node_kind_of(feed) == CET_NODE_MAP) {
    CET_CALL(cet_node_check_keys(feed, NOMINAL_KEYS));
    return read_nominal(feed, c, mass, props);
  }
  const char *name = NULL;
  CET_CALL(cet_node_string(feed, &name));
  const cet_node *target = cet_node_get(units, name);
  const cet_node *type = target ? cet_node_get(target, "type") : NULL;
  if (!type || strcmp(cet_node_text(type) ? cet_node_text(type) : "", "feed") != 0) {
    char list[CHOICE_LIST_LEN] = "";
    size_t used = 0;
    for (size_t i = 0; i < cet_node_size(units) && used < sizeof list; i++) {
      const cet_node *t = cet_node_get(cet_node_at(units, i), "type");
      if (t && cet_node_text(t) && strcmp(cet_node_text(t), "feed") == 0) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                         cet_node_key_at(units, i));
        used += w > 0 ? (size_t)w : 0;
      }
    }
    return cet_node_fail(feed,
                         "unknown feed '%s': expected the name of a unit of type feed (%s) or "
                         "{composition: ..., properties: ...}",
                         name, used ? list : "there is none");
  }
  return read_nominal(target, c, mass, props);
}

/* "1 SME+ELEC+ER, 2 ..." of the first chains, into buf. */
static void chain_list(const cet_choice_spec *ch, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < ch->n_chains && i < CHOICE_LISTED && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%zu %s", i ? ", " : "", i + 1, ch->labels.name[i]);
    used += w > 0 ? (size_t)w : 0;
  }
  if (ch->n_chains > CHOICE_LISTED && used < len) {
    snprintf(buf + used, len - used, ", ... (%zu in all)", ch->n_chains);
  }
}

/* The slots and windows of the processes ch's chains use. */
static int fill_processes(const cet_case *c, cet_twin_spec *s, cet_read_library_slots_fn slots,
                          void *ctx, cet_choice_spec *ch) {
  const cet_library *lib = c->library;
  size_t np = ch->processes.n, nc = s->components.n, nk = s->carriers.n;
  size_t no = cet_library_outlets(lib)->n;
  ch->split = malloc((np * no * nc + 1) * sizeof *ch->split);
  ch->consumption = malloc((np * nk + 1) * sizeof *ch->consumption);
  ch->accept_min = malloc((np * nc + 1) * sizeof *ch->accept_min);
  ch->accept_max = malloc((np * nc + 1) * sizeof *ch->accept_max);
  CET_CHECK_ALLOCS(ch->split && ch->consumption && ch->accept_min && ch->accept_max);
  for (size_t q = 0; q < np; q++) {
    size_t p = (size_t)cet_library_find(lib, ch->processes.name[q]);
    const long *split = NULL, *cons = NULL;
    CET_CALL(slots(ctx, p, &split, &cons));
    memcpy(ch->split + q * no * nc, split, no * nc * sizeof *split);
    memcpy(ch->consumption + q * nk, cons, nk * sizeof *cons);
    const cet_process_spec *ps = cet_library_process(lib, p);
    memcpy(ch->accept_min + q * nc, ps->accept_min, nc * sizeof *ch->accept_min);
    memcpy(ch->accept_max + q * nc, ps->accept_max, nc * sizeof *ch->accept_max);
  }
  return CET_OK;
}

/* Room in ch for n chains of steps steps in all. */
static int alloc_chains(cet_choice_spec *ch, size_t n, size_t steps) {
  ch->n_chains = n;
  ch->chain_begin = calloc(n + 1, sizeof *ch->chain_begin);
  ch->step = calloc(steps + 1, sizeof *ch->step);
  CET_CHECK_ALLOCS(ch->chain_begin && ch->step);
  return CET_OK;
}

/* Fills ch from the final flowsheets of fs: labels, steps, the processes
 * used with their slots and windows. */
static int fill_chains(const cet_flowsheets *fs, const cet_case *c, cet_twin_spec *s,
                       cet_read_library_slots_fn slots, void *ctx, cet_choice_spec *ch) {
  const cet_library *lib = c->library;
  size_t n = cet_flowsheets_stored(fs, CET_FLOWSHEET_FINAL), steps = 0;
  cet_flowsheet f;
  for (size_t i = 0; i < n; i++) {
    CET_CALL(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, i, &f));
    steps += f.length;
  }
  CET_CALL(alloc_chains(ch, n, steps));
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    CET_CALL(cet_flowsheets_get(fs, CET_FLOWSHEET_FINAL, i, &f));
    char label[CHOICE_CHAIN_LEN];
    cet_flowsheet_chain_text(lib, &f, label, sizeof label);
    CET_CALL(cet_names_add(&ch->labels, label));
    ch->chain_begin[i] = at;
    for (size_t k = 0; k < f.length; k++) {
      CET_CALL(cet_names_intern(&ch->processes, cet_library_process(lib, (size_t)f.step[k])->id,
                                &ch->step[at++]));
    }
  }
  ch->chain_begin[n] = at;
  return fill_processes(c, s, slots, ctx, ch);
}

/* The steps of one listed chain, text: process ids joined by '+', each
 * repeated N times by a suffix "*N"; a "[property]" prefix (the
 * enumeration's physical pre-treatment, which changes no composition) is
 * skipped. Counts the steps into *n; with step not NULL also records them
 * (indices into ch->processes). Errors are located at node at. */
static int parse_chain(const cet_node *at, const cet_library *lib, const char *text,
                       cet_choice_spec *ch, size_t *step, size_t *n) {
  static const char *const FORM = "process ids of the library joined by '+', e.g. ELEC+PS*2+A";
  size_t count = 0;
  for (const char *from = text;;) {
    const char *end = strchr(from, '+');
    size_t len = end ? (size_t)(end - from) : strlen(from);
    char token[CHOICE_CHAIN_LEN];
    while (len > 0 && *from == ' ') {
      from++;
      len--;
    }
    while (len > 0 && from[len - 1] == ' ') {
      len--;
    }
    if (len == 0 || len >= sizeof token) {
      return cet_node_fail(at, "expected a chain: %s; found '%s'", FORM, text);
    }
    memcpy(token, from, len);
    token[len] = '\0';
    char *id = token;
    while (*id == '[' && strchr(id, ']')) {
      id = strchr(id, ']') + 1;
    }
    long repeat = 1;
    char *star = strchr(id, '*');
    if (star) {
      char *rest = NULL;
      *star = '\0';
      repeat = strtol(star + 1, &rest, 10);
      if (rest == star + 1 || *rest != '\0' || repeat < 1 || repeat > CET_ENUMERATE_MAX_LENGTH) {
        return cet_node_fail(at, "expected a repeat count from 1 to %d after '*' in '%s'",
                             CET_ENUMERATE_MAX_LENGTH, text);
      }
    }
    size_t p = 0;
    CET_CALL(cet_read_library_find(at, lib, id, &p));
    for (long k = 0; k < repeat; k++, count++) {
      if (step) {
        CET_CALL(cet_names_intern(&ch->processes, cet_library_process(lib, p)->id, &step[count]));
      }
    }
    if (!end) {
      break;
    }
    from = end + 1;
  }
  *n = count;
  return CET_OK;
}

/* `chains:` — the chains to choose from, listed, into ch; the acceptance
 * windows are widened by the enumeration's default tolerance. */
static int list_chains(const cet_node *list, const cet_case *c, cet_twin_spec *s,
                       cet_read_library_slots_fn slots, void *ctx, cet_choice_spec *ch) {
  const cet_library *lib = c->library;
  CET_CALL(cet_node_expect_seq(list));
  size_t n = cet_node_size(list), steps = 0, len = 0;
  if (n == 0) {
    return cet_node_fail(list, "expected at least one chain (%s), found an empty list",
                         "process ids joined by '+'");
  }
  for (size_t i = 0; i < n; i++) {
    const char *text = NULL;
    CET_CALL(cet_node_string(cet_node_at(list, i), &text));
    if (cet_names_find(&ch->labels, text) >= 0) {
      return cet_node_fail(cet_node_at(list, i), "chain '%s' is listed twice", text);
    }
    CET_CALL(cet_names_add(&ch->labels, text));
    CET_CALL(parse_chain(cet_node_at(list, i), lib, text, ch, NULL, &len));
    steps += len;
  }
  CET_CALL(alloc_chains(ch, n, steps));
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    ch->chain_begin[i] = at;
    CET_CALL(parse_chain(cet_node_at(list, i), lib, ch->labels.name[i], ch, ch->step + at, &len));
    at += len;
  }
  ch->chain_begin[n] = at;
  ch->tolerance = cet_enumerate_default_parameters().tolerance;
  return fill_processes(c, s, slots, ctx, ch);
}

/* Enumerates the final chains of the nominal feed into ch; none is an
 * error located at `feed:`. */
static int enumerate_chains(const cet_node *unit, const cet_case *c, cet_twin_spec *s,
                            const double *mass, const double *props,
                            cet_read_library_slots_fn slots, void *ctx, cet_choice_spec *ch) {
  cet_enumerate_parameters par = cet_enumerate_default_parameters();
  long max_length = 0;
  CET_CALL(cet_node_opt_number_in(unit, "target_purity", par.target_purity, 1e-9, 1.0,
                                  &par.target_purity));
  CET_CALL(cet_node_opt_integer_in(unit, "max_length", par.max_length, 1, CET_ENUMERATE_MAX_LENGTH,
                                   &max_length));
  par.max_length = (int)max_length;
  ch->tolerance = par.tolerance;
  cet_flowsheets *fs = NULL;
  CET_CALL(cet_flowsheets_create(c->library, &par, &fs));
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_enumerate(c->library, mass, props, &par, 0, 1, fs));
  CET_CALL_GOTO(status, done, cet_flowsheets_sort(fs));
  if (cet_flowsheets_stored(fs, CET_FLOWSHEET_FINAL) == 0) {
    CET_CALL_GOTO(
        status, done,
        cet_node_fail(cet_node_get(unit, "feed"),
                      "no process chain of the library refines this feed to %g %s "
                      "(%llu unprocessable products, %llu chains cut at %d steps); run "
                      "analysis: enumerate on it to see where the chains end",
                      par.target_purity, c->components.name[c->main_component],
                      (unsigned long long)cet_flowsheets_found(fs, CET_FLOWSHEET_UNPROCESSABLE),
                      (unsigned long long)cet_flowsheets_found(fs, CET_FLOWSHEET_TRUNCATED),
                      par.max_length));
  }
  CET_CALL_GOTO(status, done, fill_chains(fs, c, s, slots, ctx, ch));
done:
  cet_flowsheets_destroy(&fs);
  return status;
}

/* `chain:` — the number of the chain used, 1 .. n_chains, as a parameter. */
static int read_chain(const cet_node *unit, cet_twin_spec *s, cet_choice_spec *ch) {
  const cet_node *v = NULL;
  char list[CHOICE_LIST_LEN];
  chain_list(ch, list, sizeof list);
  if (!cet_node_get(unit, "chain")) {
    return cet_node_fail(unit, "missing required key 'chain' (the number of the chain used: %s)",
                         list);
  }
  v = cet_node_get(unit, "chain");
  double value = 0.0;
  CET_CALL(cet_node_number(v, &value));
  if (value != floor(value) || value < 1.0 || value > (double)ch->n_chains) {
    return cet_node_fail(v, "expected a chain number from 1 to %zu (the chains: %s), found %g",
                         ch->n_chains, list, value);
  }
  return cet_register_param(v, value, 1.0, (double)ch->n_chains, "1", 0, s->params, &ch->chain);
}

int cet_read_choice_unit(const cet_node *unit, const cet_node *units, const cet_case *c,
                         cet_twin_spec *s, cet_read_library_slots_fn slots, void *ctx,
                         cet_unit_spec *u) {
  CET_CALL(cet_node_check_keys(unit, CHOICE_KEYS));
  const cet_library *lib = c->library;
  size_t nc = s->components.n, np = cet_library_properties(lib)->n;
  double *mass = calloc(nc + 1, sizeof *mass), *props = calloc(np + 1, sizeof *props);
  u->chains = calloc(1, sizeof *u->chains);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, mass && props && u->chains);
  u->chains->chain = CET_SLOT_NONE;
  const cet_node *listed = cet_node_get(unit, "chains");
  if (listed) {
    static const char *const ENUMERATION_KEYS[] = {"feed", "target_purity", "max_length"};
    for (size_t i = 0; i < sizeof ENUMERATION_KEYS / sizeof ENUMERATION_KEYS[0]; i++) {
      if (cet_node_get(unit, ENUMERATION_KEYS[i])) {
        status = cet_node_fail_key(unit, ENUMERATION_KEYS[i],
                                   "expected either chains: (listed) or feed: with its "
                                   "enumeration (target_purity, max_length), found both");
        goto done;
      }
    }
    CET_CALL_GOTO(status, done, list_chains(listed, c, s, slots, ctx, u->chains));
  } else {
    CET_CALL_GOTO(status, done, read_feed(unit, units, c, mass, props));
    CET_CALL_GOTO(status, done, enumerate_chains(unit, c, s, mass, props, slots, ctx, u->chains));
  }
  CET_CALL_GOTO(status, done, read_chain(unit, s, u->chains));
  CET_CALL_GOTO(status, done, cet_names_copy(&u->outlets, cet_library_outlets(lib)));
  u->basis = (long)cet_library_main_component(lib);
done:
  free(mass);
  free(props);
  return status;
}
