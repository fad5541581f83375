/*
 * twin_choice.c — flowsheet choice units of a twin (user guide: Flowsheet
 * choice units): one of the process chains enumerated for a nominal feed,
 * chosen by the parameter `chain`, acts as one unit. Because split factors
 * are linear per component, the chain composes exactly: with s_i the
 * product share of step i (its split factors divided by their sum, as a
 * process unit divides them),
 *   product share   = s_1 s_2 ... s_L,
 *   outlet o share  = sum_i (s_1 ... s_{i-1}) w_{i,o},
 *   consumption     = sum_i c_i (s_1 ... s_{i-1})[main]  per t of main fed,
 * the same as running the chain process by process. The unit's actual
 * inflow (a mixture, say) is checked against every step's acceptance
 * window on the stream that reaches it; how far a mass fraction lies
 * outside is the metric acceptance.UNIT (0: accepted), a feasibility
 * metric that the optimiser constrains to 0, summed into the total
 * `infeasibility`.
 */
#include "twin_kinds.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void choice_free(cet_twin_choice *ch) {
  if (!ch) {
    return;
  }
  free(ch->chain_begin);
  free(ch->step);
  cet_names_clear(&ch->labels);
  cet_names_clear(&ch->processes);
  free(ch->split);
  free(ch->consumption);
  free(ch->accept_min);
  free(ch->accept_max);
  free(ch);
}

void cet_twin_choice_free(cet_twin *t) {
  for (size_t u = 0; t->choice && u < t->nu; u++) {
    choice_free(t->choice[u]);
  }
  free(t->choice);
  t->choice = NULL;
}

static int copy_into(cet_twin *t, const cet_choice_spec *cs, const cet_unit_spec *us,
                     cet_twin_choice *ch) {
  size_t nc = t->nc, nk = t->nk, no = us->outlets.n, np = cet_params_count(t->params);
  size_t nproc = cs->processes.n, steps = cs->chain_begin[cs->n_chains];
  ch->n_chains = cs->n_chains;
  ch->n_proc = nproc;
  ch->tolerance = cs->tolerance;
  ch->chain_begin = malloc((cs->n_chains + 1) * sizeof *ch->chain_begin);
  ch->step = malloc((steps + 1) * sizeof *ch->step);
  ch->split = malloc((nproc * no * nc + 1) * sizeof *ch->split);
  ch->consumption = malloc((nproc * nk + 1) * sizeof *ch->consumption);
  ch->accept_min = malloc((nproc * nc + 1) * sizeof *ch->accept_min);
  ch->accept_max = malloc((nproc * nc + 1) * sizeof *ch->accept_max);
  CET_CHECK(ch->chain_begin && ch->step && ch->split && ch->consumption && ch->accept_min &&
                ch->accept_max,
            CET_ERR_MEMORY, "out of memory");
  memcpy(ch->chain_begin, cs->chain_begin, (cs->n_chains + 1) * sizeof *ch->chain_begin);
  for (size_t i = 0; i < steps; i++) {
    CET_CHECK(cs->step[i] < nproc, CET_ERR_INPUT, "%s: step %zu names process %zu of %zu",
              us->where ? us->where : us->name, i, cs->step[i], nproc);
    ch->step[i] = cs->step[i];
  }
  const char *at = us->where ? us->where : us->name;
  CET_CALL(cet_twin_copy_slots(ch->split, cs->split, nproc * no * nc, np, at));
  CET_CALL(cet_twin_copy_slots(ch->consumption, cs->consumption, nproc * nk, np, at));
  memcpy(ch->accept_min, cs->accept_min, nproc * nc * sizeof *ch->accept_min);
  memcpy(ch->accept_max, cs->accept_max, nproc * nc * sizeof *ch->accept_max);
  CET_CHECK(cs->chain == CET_SLOT_NONE || (cs->chain >= 0 && (size_t)cs->chain < np), CET_ERR_INPUT,
            "%s: parameter slot %ld out of range", at, cs->chain);
  ch->chain = cs->chain;
  CET_CALL(cet_names_copy(&ch->labels, &cs->labels));
  CET_CALL(cet_names_copy(&ch->processes, &cs->processes));
  return CET_OK;
}

static int choice_copy(cet_twin *t, const cet_unit_spec *us, size_t u, size_t n_params) {
  (void)n_params;
  if (!t->choice) {
    t->choice = calloc(t->nu ? t->nu : 1, sizeof *t->choice);
    CET_CHECK_ALLOC(t->choice);
  }
  const char *where = us->where ? us->where : us->name;
  const cet_choice_spec *cs = us->chains;
  CET_CHECK(cs && cs->n_chains > 0 && cs->chain_begin && cs->labels.n == cs->n_chains,
            CET_ERR_INPUT, "%s: flowsheet choice '%s' has no chains", where, us->name);
  CET_CHECK(cs->chain != CET_SLOT_NONE, CET_ERR_INPUT,
            "%s: flowsheet choice '%s' has no chain number", where, us->name);
  CET_CHECK(us->basis >= 0, CET_ERR_INPUT,
            "%s: flowsheet choice '%s' needs the main component as its consumption basis", where,
            us->name);
  cet_twin_choice *ch = calloc(1, sizeof *ch);
  CET_CHECK_ALLOC(ch);
  t->choice[u] = ch;
  return copy_into(t, cs, us, ch);
}

int cet_twin_choice_register(cet_twin *t) {
  for (size_t u = 0; t->choice && u < t->nu; u++) {
    cet_twin_choice *ch = t->choice[u];
    if (!ch) {
      continue;
    }
    const char *name = t->unit_names.name[u];
    CET_CALL(cet_twin_add_metricf(t, &ch->m_chain, "1",
                                  "number of the process chain the flowsheet choice uses "
                                  "(as analysis: enumerate lists the chains of its feed)",
                                  "chain.%s", name));
    CET_CALL(cet_twin_add_metricf(
        t, &ch->m_acceptance, "1",
        "largest distance of a mass fraction of the stream reaching a step of the chain outside "
        "that process's acceptance window (0: every step accepts the unit's inflow)",
        "acceptance.%s", name));
    CET_CALL(cet_twin_add_term(t, CET_TWIN_INFEASIBILITY, "1", CET_TWIN_INFEASIBILITY_TEXT,
                               ch->m_acceptance, 1.0));
    CET_CALL(cet_twin_add_feasibility(t, ch->m_acceptance));
  }
  return CET_OK;
}

/* The chosen chain (0-based) from its parameter: the nearest integer,
 * kept within 1 .. n_chains. */
static size_t chosen(const cet_twin_choice *ch, const double *p) {
  double v = p[ch->chain];
  if (!(v >= 1.0)) {
    return 0;
  }
  if (v >= (double)ch->n_chains) {
    return ch->n_chains - 1;
  }
  return (size_t)floor(v + 0.5) - 1;
}

/* Split factor of process q to outlet o for component c, and their sum. */
static double split_of(const cet_twin *t, const cet_twin_choice *ch, const double *p, size_t q,
                       size_t no, size_t o, size_t c) {
  return cet_twin_slot_value(p, ch->split[(q * no + o) * t->nc + c]);
}

static double split_sum(const cet_twin *t, const cet_twin_choice *ch, const double *p, size_t q,
                        size_t no, size_t c) {
  double sum = 0.0;
  for (size_t o = 0; o < no; o++) {
    sum += split_of(t, ch, p, q, no, o, c);
  }
  return sum;
}

/* The shares of choice unit u: the split factors of each step of its
 * chosen chain (divided by their sum per component) composed. */
static int choice_shares(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nc = t->nc;
  const cet_twin_choice *ch = t->choice[u];
  size_t k = chosen(ch, p), e0 = t->out_begin[u], no = t->out_begin[u + 1] - e0;
  for (size_t c = 0; c < nc; c++) {
    double run = 1.0;
    for (size_t o = 1; o < no; o++) {
      w->share[(e0 + o) * nc + c] = 0.0;
    }
    for (size_t s = ch->chain_begin[k]; s < ch->chain_begin[k + 1]; s++) {
      size_t q = ch->step[s];
      double sum = split_sum(t, ch, p, q, no, c);
      CET_CHECK(sum > 0.0, CET_ERR_RUNTIME,
                "%s: the split factors of %s in process %s (step %zu of chain %zu of unit "
                "'%s') sum to %g; the component would vanish",
                t->where[u], t->components.name[c], ch->processes.name[q],
                s - ch->chain_begin[k] + 1, k + 1, t->unit_names.name[u], sum);
      for (size_t o = 1; o < no; o++) {
        w->share[(e0 + o) * nc + c] += run * (split_of(t, ch, p, q, no, o, c) / sum);
      }
      run *= split_of(t, ch, p, q, no, 0, c) / sum;
    }
    w->share[e0 * nc + c] = run;
  }
  return CET_OK;
}

/* The consumptions of choice unit u's chosen chain, added to w->carrier. */
static void choice_consume(const cet_twin *t, size_t u, const double *p, cet_twin_workspace *w) {
  size_t nk = t->nk;
  const cet_twin_choice *ch = t->choice[u];
  size_t k = chosen(ch, p), no = t->out_begin[u + 1] - t->out_begin[u];
  size_t main = (size_t)t->basis[u];
  double basis = cet_twin_basis_flow(t, w, u);
  double *cu = w->consumption + u * nk;
  for (size_t j = 0; j < nk; j++) {
    cu[j] = 0.0;
  }
  /* an unknown (NaN) consumption of a unit that receives nothing is 0 */
  if (basis != 0.0) {
    double run = 1.0;
    for (size_t s = ch->chain_begin[k]; s < ch->chain_begin[k + 1]; s++) {
      size_t q = ch->step[s];
      for (size_t j = 0; j < nk; j++) {
        cu[j] += cet_twin_slot_value(p, ch->consumption[q * nk + j]) * run;
      }
      run *= split_of(t, ch, p, q, no, 0, main) / split_sum(t, ch, p, q, no, main);
    }
    for (size_t j = 0; j < nk; j++) {
      cu[j] *= basis;
    }
  }
  for (size_t j = 0; j < nk; j++) {
    w->carrier[j] += cu[j];
  }
}

/* How far the stream s (mass per component) lies outside process q's
 * window, widened by the tolerance: the largest distance of a mass
 * fraction below its minimum or above its maximum; 0 inside. *worst gets
 * the component that is farthest out. */
static double violation(const cet_twin *t, const cet_twin_choice *ch, size_t q, const double *s,
                        size_t *worst) {
  size_t nc = t->nc;
  double total = 0.0, v = 0.0;
  for (size_t c = 0; c < nc; c++) {
    total += s[c];
  }
  if (!(total > 0.0)) {
    return 0.0;
  }
  for (size_t c = 0; c < nc; c++) {
    double f = s[c] / total;
    double below = ch->accept_min[q * nc + c] - ch->tolerance - f;
    double above = f - ch->accept_max[q * nc + c] - ch->tolerance;
    double d = below > above ? below : above;
    if (d > v) {
      v = d;
      *worst = c;
    }
  }
  return v;
}

/* The acceptance violation of unit u's chain for its inflow; *step and
 * *component locate the worst (step 0-based), *fraction its mass fraction. */
static double chain_violation(const cet_twin *t, size_t u, const double *p,
                              const cet_twin_workspace *w, double *s, size_t *step,
                              size_t *component) {
  const cet_twin_choice *ch = t->choice[u];
  size_t nc = t->nc, k = chosen(ch, p), no = t->out_begin[u + 1] - t->out_begin[u];
  double worst = 0.0;
  memcpy(s, w->x + u * nc, nc * sizeof *s);
  for (size_t i = ch->chain_begin[k]; i < ch->chain_begin[k + 1]; i++) {
    size_t q = ch->step[i], c = 0;
    double v = violation(t, ch, q, s, &c);
    if (v > worst) {
      worst = v;
      *step = i - ch->chain_begin[k];
      *component = c;
    }
    for (size_t j = 0; j < nc; j++) {
      double sum = split_sum(t, ch, p, q, no, j);
      s[j] = sum > 0.0 ? s[j] * (split_of(t, ch, p, q, no, 0, j) / sum) : 0.0;
    }
  }
  return worst;
}

void cet_twin_choice_metrics(const cet_twin *t, const double *p, cet_twin_workspace *w, double *m) {
  for (size_t u = 0; t->choice && u < t->nu; u++) {
    const cet_twin_choice *ch = t->choice[u];
    if (!ch) {
      continue;
    }
    size_t step = 0, component = 0;
    m[ch->m_chain] = (double)(chosen(ch, p) + 1);
    m[ch->m_acceptance] = chain_violation(t, u, p, w, w->row, &step, &component);
  }
}

/* ---- accessors (twin.h) ---- */

size_t cet_twin_unit_chain_count(const cet_twin *t, size_t u) {
  return t->choice && t->choice[u] ? t->choice[u]->n_chains : 0;
}

const char *cet_twin_unit_chain_label(const cet_twin *t, size_t u, size_t i) {
  return t->choice[u]->labels.name[i];
}

size_t cet_twin_unit_chain(const cet_twin *t, size_t u, const double *params) {
  return chosen(t->choice[u], params);
}

/* The chains that slot picks among when it is choice unit u's chain number. */
static const cet_names *choice_routes(const cet_twin *t, size_t u, size_t slot, long *first) {
  if (t->choice[u]->chain != (long)slot) {
    return NULL;
  }
  *first = 1;
  return &t->choice[u]->labels;
}

/* The unit whose route parameter slot chooses, as its kind says (a
 * selector's outlet index, *first = 0; a flowsheet choice unit's chain
 * number, *first = 1), with the routes in *routes; t->nu for any other
 * parameter. */
static size_t choice_unit(const cet_twin *t, size_t slot, const cet_names **routes, long *first) {
  for (size_t u = 0; u < t->nu; u++) {
    const cet_twin_kind *kind = cet_twin_kind_of(t->kind[u]);
    *routes = kind->routes ? kind->routes(t, u, slot, first) : NULL;
    if (*routes) {
      return u;
    }
  }
  return t->nu;
}

const cet_names *cet_twin_parameter_choices(const cet_twin *t, size_t slot, long *first) {
  const cet_names *routes = NULL;
  choice_unit(t, slot, &routes, first);
  return routes;
}

int cet_twin_parameter_idle(const cet_twin *t, size_t slot, const cet_twin_workspace *w) {
  long first = 0;
  const cet_names *routes = NULL;
  size_t u = choice_unit(t, slot, &routes, &first), nc = t->nc;
  for (size_t c = 0; u < t->nu && c < nc; c++) {
    if (w->x[u * nc + c] != 0.0) {
      return 0;
    }
  }
  return u < t->nu;
}

double cet_twin_unit_acceptance(const cet_twin *t, size_t u, const double *params,
                                const cet_twin_workspace *w, double *scratch, char *buf,
                                size_t len) {
  const cet_twin_choice *ch = t->choice[u];
  size_t step = 0, c = 0, k = chosen(ch, params);
  double v = chain_violation(t, u, params, w, scratch, &step, &c);
  if (!(v > 0.0)) {
    snprintf(buf, len, "accepted");
    return v;
  }
  /* the stream that reaches the failing step */
  size_t nc = t->nc, no = t->out_begin[u + 1] - t->out_begin[u];
  double *s = scratch, total = 0.0;
  memcpy(s, w->x + u * nc, nc * sizeof *s);
  for (size_t i = 0; i < step; i++) {
    size_t q = ch->step[ch->chain_begin[k] + i];
    for (size_t j = 0; j < nc; j++) {
      double sum = split_sum(t, ch, params, q, no, j);
      s[j] = sum > 0.0 ? s[j] * (split_of(t, ch, params, q, no, 0, j) / sum) : 0.0;
    }
  }
  for (size_t j = 0; j < nc; j++) {
    total += s[j];
  }
  size_t q = ch->step[ch->chain_begin[k] + step];
  snprintf(buf, len,
           "not accepted: step %zu (%s) receives %s at a mass fraction of %.6g, outside its "
           "window [%.6g, %.6g]",
           step + 1, ch->processes.name[q], t->components.name[c], s[c] / total,
           ch->accept_min[q * nc + c], ch->accept_max[q * nc + c]);
  return v;
}

const cet_twin_kind cet_twin_kind_flowsheet_choice = {
    .info = {.name = "flowsheet_choice",
             .label = "flowsheet choice",
             .plural = "flowsheet choices",
             .flags = CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_CONSUMES |
                      CET_UNIT_KIND_OPTIONAL,
             .derives = CET_UNIT_DERIVES_STRUCTURAL},
    .copy = choice_copy,
    .shares = choice_shares,
    .consume = choice_consume,
    .routes = choice_routes};
