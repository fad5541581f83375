/*
 * read_exergy.c — reads the optional `exergy:` section of a network case
 * (user guide: Exergy): the table of standard chemical exergies (usually an
 * include of configs/exergy/szargut.yaml), the case's own species that
 * extend or override it, the species or specific exergy of each component,
 * the exergy factors of the carriers and the product outlets of units.
 */
#include "readers.h"

#include "cetwin/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { EXERGY_LIST_LEN = 1024, EXERGY_UNITS_LEN = 64 };

static const char *const EXERGY_KEYS[] = {"table",    "species", "components", "carriers",
                                          "products", "source",  "note",       NULL};
static const char *const TABLE_KEYS[] = {"species", "reference", "source", "note", NULL};
static const char *const SPECIES_KEYS[] = {"exergy", "molar_mass", "source", "note", NULL};

/* Energy units of carriers, in GJ: their factor is exergy/energy (units 1). */
static const struct {
  const char *name;
  double gj;
} ENERGY_UNITS[] = {{"kWh", 3.6e-3}, {"MWh", 3.6}, {"MJ", 1e-3}, {"GJ", 1.0}};

/* Checks every entry of a species mapping (the table's or the case's):
 * a mapping with exergy (kJ/mol, >= 0) and molar_mass (g/mol, > 0). */
static int check_species(const cet_node *list) {
  CET_CALL(cet_node_expect_map(list));
  for (size_t i = 0; i < cet_node_size(list); i++) {
    const cet_node *sp = cet_node_at(list, i), *v = NULL;
    double x = 0.0;
    CET_CALL(cet_node_expect_map(sp));
    CET_CALL(cet_node_check_keys(sp, SPECIES_KEYS));
    CET_CALL(cet_node_require(sp, "exergy", "the standard chemical exergy in kJ/mol", &v));
    CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &x));
    CET_CALL(cet_node_require(sp, "molar_mass", "the molar mass in g/mol", &v));
    CET_CALL(cet_node_number_in(v, 0.0, INFINITY, &x));
    if (!(x > 0.0)) {
      return cet_node_fail(v, "expected a molar mass > 0 g/mol, found %g", x);
    }
  }
  return CET_OK;
}

static int check_sources(const cet_node *section, const cet_node **own, const cet_node **table) {
  *own = cet_node_get(section, "species");
  *table = NULL;
  if (*own) {
    CET_CALL(check_species(*own));
  }
  const cet_node *t = cet_node_get(section, "table");
  if (t) {
    CET_CALL(cet_node_expect_map(t));
    CET_CALL(cet_node_check_keys(t, TABLE_KEYS));
    CET_CALL(cet_node_require(t, "species", "the species of the table", table));
    CET_CALL(check_species(*table));
  }
  return CET_OK;
}

/* The component c takes species sp: its exergy and molar mass as slots. */
static int read_species(const cet_node *sp, size_t c, cet_twin_spec *s) {
  cet_exergy_spec *x = &s->exergy;
  CET_CALL(cet_read_param(cet_node_get(sp, "exergy"), 0.0, INFINITY, "kJ/mol", s->params,
                          &x->chemical[c]));
  CET_CALL(cet_read_param(cet_node_get(sp, "molar_mass"), 0.0, INFINITY, "g/mol", s->params,
                          &x->molar_mass[c]));
  return CET_OK;
}

static int read_components(const cet_node *section, cet_twin_spec *s) {
  const cet_node *own = NULL, *table = NULL;
  CET_CALL(check_sources(section, &own, &table));
  const cet_node *given = cet_node_get(section, "components");
  if (given) {
    CET_CALL(cet_node_expect_map(given));
    for (size_t i = 0; i < cet_node_size(given); i++) {
      size_t c = 0;
      CET_CALL(cet_read_lookup(given, cet_node_key_at(given, i), &s->components, "component", &c));
    }
  }
  for (size_t c = 0; c < s->components.n; c++) {
    const char *name = s->components.name[c];
    const cet_node *v = given ? cet_node_get(given, name) : NULL;
    if (v && cet_node_is_number(v)) {
      CET_CALL(cet_read_param(v, 0.0, INFINITY, "GJ/t", s->params, &s->exergy.specific[c]));
      continue;
    }
    const char *species = name;
    if (v) {
      CET_CALL(cet_node_string(v, &species));
    }
    const cet_node *sp = own ? cet_node_get(own, species) : NULL;
    if (!sp && table) {
      sp = cet_node_get(table, species);
    }
    if (!sp) {
      return cet_node_fail(v ? v : section,
                           "component '%s' has no chemical exergy: species '%s' is in neither "
                           "exergy.species nor exergy.table; name a species of the table "
                           "(exergy.components.%s: SiO2) or give its specific exergy in GJ/t "
                           "(exergy.components.%s: 0.5)",
                           name, species, name, name);
    }
    CET_CALL(read_species(sp, c, s));
  }
  return CET_OK;
}

/* GJ per unit of the carrier's quantity ("kWh/t" -> kWh: 0.0036), or 0
 * when it is not an energy. */
static double energy_gj(const char *carrier_units) {
  const char *slash = strchr(carrier_units, '/');
  size_t n = slash ? (size_t)(slash - carrier_units) : strlen(carrier_units);
  for (size_t i = 0; i < sizeof ENERGY_UNITS / sizeof ENERGY_UNITS[0]; i++) {
    if (strlen(ENERGY_UNITS[i].name) == n && strncmp(carrier_units, ENERGY_UNITS[i].name, n) == 0) {
      return ENERGY_UNITS[i].gj;
    }
  }
  return 0.0;
}

static int read_carriers(const cet_node *section, cet_twin_spec *s) {
  cet_exergy_spec *x = &s->exergy;
  const cet_node *map = cet_node_get(section, "carriers");
  if (map) {
    CET_CALL(cet_node_expect_map(map));
    for (size_t i = 0; i < cet_node_size(map); i++) {
      size_t k = 0;
      CET_CALL(cet_read_lookup(map, cet_node_key_at(map, i), &s->carriers, "carrier", &k));
    }
  }
  for (size_t k = 0; k < s->carriers.n; k++) {
    const char *name = s->carriers.name[k], *cu = s->carrier_units[k];
    const cet_node *v = map ? cet_node_get(map, name) : NULL;
    double gj = energy_gj(cu);
    if (!v) {
      return cet_node_fail(map ? map : section,
                           "carrier '%s' (%s) has no exergy factor: give exergy.carriers.%s (%s)",
                           name, cu, name,
                           gj > 0.0 ? "exergy per energy: 1 for electricity, about 1.04 to 1.06 "
                                      "for fuels by their lower heating value"
                                    : "GJ of exergy per unit of the carrier");
    }
    char units[EXERGY_UNITS_LEN];
    const char *slash = strchr(cu, '/');
    int n = slash ? (int)(slash - cu) : (int)strlen(cu);
    snprintf(units, sizeof units, gj > 0.0 ? "1" : "GJ/%.*s", n, cu);
    CET_CALL(cet_read_param(v, 0.0, INFINITY, units, s->params, &x->factor[k]));
    x->gj_per_unit[k] = gj > 0.0 ? gj : 1.0;
  }
  return CET_OK;
}

/* Default product outlets: the first outlet of a process unit (`product`
 * of a library process) and of a flowsheet choice unit (its chain's
 * product); every outlet of the other units. */
static int default_products(cet_twin_spec *s) {
  cet_exergy_spec *x = &s->exergy;
  for (size_t u = 0; u < s->n_units; u++) {
    const cet_unit_spec *us = &s->unit[u];
    size_t no = us->outlets.n;
    x->product[u] = calloc(no + 1, 1);
    CET_CHECK_ALLOC(x->product[u]);
    for (size_t o = 0; o < no; o++) {
      int chain = cet_unit_kind_has(us->kind, CET_UNIT_KIND_CONSUMES);
      x->product[u][o] = !chain || o == 0;
    }
  }
  return CET_OK;
}

static int read_products(const cet_node *section, cet_twin_spec *s) {
  CET_CALL(default_products(s));
  const cet_node *map = cet_node_get(section, "products");
  if (!map) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(map));
  for (size_t i = 0; i < cet_node_size(map); i++) {
    const char *unit = cet_node_key_at(map, i);
    const cet_node *list = cet_node_at(map, i);
    long u = cet_twin_spec_find_unit(s, unit);
    if (u < 0 || !cet_unit_kind_has(s->unit[u].kind, CET_UNIT_KIND_CONSUMES)) {
      return cet_node_fail_key(
          map, unit, "'%s' is not a process or flowsheet choice unit of the network", unit);
    }
    const cet_names *outlets = &s->unit[u].outlets;
    unsigned char *p = s->exergy.product[u];
    memset(p, 0, outlets->n);
    CET_CALL(cet_node_expect_seq(list));
    for (size_t j = 0; j < cet_node_size(list); j++) {
      const cet_node *v = cet_node_at(list, j);
      const char *name = NULL;
      CET_CALL(cet_node_string(v, &name));
      long o = cet_names_find(outlets, name);
      if (o < 0) {
        char names[EXERGY_LIST_LEN];
        cet_names_join(outlets, names, sizeof names);
        return cet_node_fail(v, "unit '%s' has no outlet '%s' (outlets: %s)", unit, name, names);
      }
      p[o] = 1;
    }
  }
  return CET_OK;
}

static int allocate(cet_twin_spec *s) {
  cet_exergy_spec *x = &s->exergy;
  size_t nc = s->components.n + 1, nk = s->carriers.n + 1;
  x->chemical = malloc(nc * sizeof *x->chemical);
  x->molar_mass = malloc(nc * sizeof *x->molar_mass);
  x->specific = malloc(nc * sizeof *x->specific);
  x->factor = malloc(nk * sizeof *x->factor);
  x->gj_per_unit = calloc(nk, sizeof *x->gj_per_unit);
  x->product = calloc(s->n_units + 1, sizeof *x->product);
  CET_CHECK_ALLOCS(x->chemical && x->molar_mass && x->specific && x->factor && x->gj_per_unit &&
                   x->product);
  for (size_t c = 0; c < nc; c++) {
    x->chemical[c] = x->molar_mass[c] = x->specific[c] = CET_SLOT_NONE;
  }
  for (size_t k = 0; k < nk; k++) {
    x->factor[k] = CET_SLOT_NONE;
  }
  return CET_OK;
}

int cet_read_exergy(const cet_node *section, cet_twin_spec *s) {
  if (!section) {
    return CET_OK;
  }
  CET_CALL(cet_node_expect_map(section));
  CET_CALL(cet_node_check_keys(section, EXERGY_KEYS));
  CET_CALL(allocate(s));
  s->exergy.enabled = 1;
  CET_CALL(read_components(section, s));
  CET_CALL(read_carriers(section, s));
  CET_CALL(read_products(section, s));
  return CET_OK;
}
