/*
 * network.c — life cycle of the twin description that the config readers
 * fill and the model builds from (see network.h).
 */
#include "cetwin/network.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

static const char *const SINK_KIND_NAMES[CET_SINK_KINDS] = {"market", "landfill", "valorisation",
                                                            "export", "incineration"};

const char *cet_unit_kind_name(cet_unit_kind kind) { return cet_unit_kind_describe(kind)->name; }

const char *cet_sink_kind_name(cet_sink_kind kind) { return SINK_KIND_NAMES[kind]; }

int cet_twin_spec_create(cet_twin_spec **out) {
  cet_twin_spec *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->environment.avoided_credit = -1;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_params_create(&s->params));
  *out = s;
  return CET_OK;
fail:
  free(s);
  return status;
}

int cet_twin_spec_add_unit(cet_twin_spec *s, const char *name, cet_unit_kind kind,
                           cet_unit_spec **unit) {
  CET_CHECK(cet_twin_spec_find_unit(s, name) < 0, CET_ERR_INPUT, "duplicate unit '%s'", name);
  CET_CALL(cet_array_grow(&s->unit, NULL, s->n_units + 1, sizeof *s->unit));
  cet_unit_spec *u = &s->unit[s->n_units];
  memset(u, 0, sizeof *u);
  u->kind = kind;
  u->flow = CET_SLOT_NONE;
  u->basis = -1;
  u->burden = CET_SLOT_NONE;
  u->cost = u->energy = u->choice = u->net = CET_SLOT_NONE;
  u->import_cost = u->export_cost = u->import_burden = u->export_burden = CET_SLOT_NONE;
  u->name = cet_strdup(name);
  CET_CHECK_ALLOC(u->name);
  s->n_units++;
  *unit = u;
  return CET_OK;
}

int cet_twin_spec_add_stream(cet_twin_spec *s, size_t from, size_t outlet, size_t to,
                             const char *where) {
  CET_CALL(cet_array_grow(&s->stream, NULL, s->n_streams + 1, sizeof *s->stream));
  cet_stream_spec *e = &s->stream[s->n_streams];
  e->from = from;
  e->outlet = outlet;
  e->to = to;
  e->where = cet_strdup(where ? where : "");
  CET_CHECK_ALLOC(e->where);
  s->n_streams++;
  return CET_OK;
}

long cet_twin_spec_find_unit(const cet_twin_spec *s, const char *name) {
  for (size_t i = 0; i < s->n_units; i++) {
    if (strcmp(s->unit[i].name, name) == 0) {
      return (long)i;
    }
  }
  return -1;
}

static void free_unit(cet_unit_spec *u) {
  free(u->name);
  free(u->where);
  free(u->source);
  cet_names_clear(&u->outlets);
  free(u->fraction);
  free(u->property);
  free(u->process);
  free(u->accept_min);
  free(u->accept_max);
  free(u->split);
  free(u->consumption);
  free(u->share);
  free(u->credit);
  cet_choice_spec_destroy(&u->chains);
  free(u->handling);
}

void cet_choice_spec_destroy(cet_choice_spec **cp) {
  if (!cp || !*cp) {
    return;
  }
  cet_choice_spec *c = *cp;
  free(c->chain_begin);
  free(c->step);
  cet_names_clear(&c->labels);
  cet_names_clear(&c->processes);
  free(c->split);
  free(c->consumption);
  free(c->accept_min);
  free(c->accept_max);
  free(c);
  *cp = NULL;
}

void cet_twin_spec_destroy(cet_twin_spec **sp) {
  if (!sp || !*sp) {
    return;
  }
  cet_twin_spec *s = *sp;
  for (size_t i = 0; i < s->n_units; i++) {
    free_unit(&s->unit[i]);
  }
  free(s->unit);
  for (size_t i = 0; i < s->n_streams; i++) {
    free(s->stream[i].where);
  }
  free(s->stream);
  if (s->carrier_units) {
    for (size_t k = 0; k < s->carriers.n; k++) {
      free(s->carrier_units[k]);
    }
  }
  free(s->carrier_units);
  free(s->environment.emission_factor);
  free(s->environment.energy);
  cet_usage_spec_clear(&s->usage);
  cet_exergy_spec_clear(&s->exergy, s->n_units);
  cet_names_clear(&s->components);
  cet_names_clear(&s->carriers);
  cet_names_clear(&s->properties);
  cet_names_clear(&s->credits);
  free(s->flow_units);
  cet_economics_spec_destroy(&s->economics);
  if (s->criteria) {
    free(s->criteria->currency);
    free(s->criteria->price);
    free(s->criteria);
  }
  cet_params_destroy(&s->params);
  free(s);
  *sp = NULL;
}

void cet_exergy_spec_clear(cet_exergy_spec *x, size_t n_units) {
  for (size_t u = 0; x->product && u < n_units; u++) {
    free(x->product[u]);
  }
  free(x->product);
  free(x->chemical);
  free(x->molar_mass);
  free(x->specific);
  free(x->factor);
  free(x->gj_per_unit);
  memset(x, 0, sizeof *x);
}

void cet_usage_spec_clear(cet_usage_spec *u) {
  if (u->units) {
    for (size_t k = 0; k < u->quantities.n; k++) {
      free(u->units[k]);
    }
  }
  free(u->units);
  free(u->fixed_share);
  free(u->unit);
  free(u->capacity);
  free(u->value);
  cet_names_clear(&u->quantities);
  memset(u, 0, sizeof *u);
}
