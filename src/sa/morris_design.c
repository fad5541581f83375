/*
 * morris_design.c — the points of a Morris design (see morris.h): the plan
 * checked, trajectories on the p-level grid drawn from keyed streams (and
 * chosen for spread among candidates), or radial points from a scrambled
 * Sobol' sequence.
 */
#include "morris_impl.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"
#include "cetwin/sobolseq.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

cet_morris_parameters cet_morris_default_parameters(void) {
  cet_morris_parameters p;
  memset(&p, 0, sizeof p);
  p.levels = CET_MORRIS_DEFAULT_LEVELS;
  p.trajectories = CET_MORRIS_DEFAULT_TRAJECTORIES;
  p.brute_force_limit = CET_MORRIS_DEFAULT_BRUTE_FORCE_LIMIT;
  p.resamples = CET_MORRIS_DEFAULT_RESAMPLES;
  return p;
}

static int check_plan(cet_morris_design *d, const cet_morris_parameters *p) {
  CET_CHECK(p->factors >= 1, CET_ERR_INPUT, "Morris: expected at least one factor");
  CET_CALL(cet_sa_groups_init(&d->gr, "Morris", p->factors, p->groups, p->group_of));
  d->k = p->factors;
  d->g = d->gr.g;
  d->r = p->trajectories;
  for (size_t i = 0; i < d->g; i++) {
    CET_CHECK(d->gr.start[i + 1] > d->gr.start[i], CET_ERR_INPUT,
              "Morris: group %zu has no factor (an elementary effect needs a factor to move)", i);
  }
  CET_CHECK(d->r >= 1, CET_ERR_INPUT, "Morris: expected at least one trajectory");
  CET_CHECK(p->candidates == 0 || p->candidates >= d->r, CET_ERR_INPUT,
            "Morris: %zu candidates cannot give %zu trajectories", p->candidates, d->r);
  if (p->radial) {
    for (size_t f = 0; f < d->k; f++) {
      CET_CHECK(d->g == d->k && d->gr.group_of[f] == f, CET_ERR_INPUT,
                "Morris: the radial design moves one factor at a time; groups need the "
                "trajectory design");
    }
    CET_CHECK(p->candidates == 0 || p->candidates == d->r, CET_ERR_INPUT,
              "Morris: the selection among candidates applies to the trajectory design, not "
              "the radial one");
    CET_CHECK(d->k <= CET_SOBOLSEQ_MAX_DIMS / 2, CET_ERR_INPUT,
              "Morris: the radial design takes at most %d factors, found %zu",
              CET_SOBOLSEQ_MAX_DIMS / 2, d->k);
  } else {
    CET_CHECK(p->levels >= 2 && p->levels % 2 == 0, CET_ERR_INPUT,
              "Morris: expected an even number of levels >= 2, found %zu", p->levels);
    d->delta = (double)(p->levels / 2) / (double)(p->levels - 1);
  }
  return CET_OK;
}

/* Scratch of the trajectory draws. */
typedef struct {
  gsl_rng *r;
  size_t *level; /* k grid levels */
  int *up;       /* g directions: 1 up, 0 down */
  size_t *order; /* g groups in the order they move */
} draw_scratch;

/* Candidate m (g + 1 points x k into x; moved groups and steps). */
static void trajectory(const cet_morris_design *d, draw_scratch *w, uint64_t m, double *x,
                       size_t *moved, double *step) {
  size_t k = d->k, g = d->g, p = d->p.levels, half = p / 2;
  cet_rng_stream(w->r, d->p.seed, cet_rng_purpose("morris.trajectory"), m, 0);
  for (size_t f = 0; f < k; f++) {
    w->level[f] = gsl_rng_uniform_int(w->r, half);
  }
  for (size_t i = 0; i < g; i++) {
    w->up[i] = (int)gsl_rng_uniform_int(w->r, 2);
    w->order[i] = i;
  }
  for (size_t i = g; i-- > 1;) {
    size_t j = gsl_rng_uniform_int(w->r, i + 1), t = w->order[i];
    w->order[i] = w->order[j];
    w->order[j] = t;
  }
  for (size_t f = 0; f < k; f++) {
    w->level[f] += w->up[d->gr.group_of[f]] ? 0 : half;
    x[f] = (double)w->level[f] / (double)(p - 1);
  }
  for (size_t s = 1; s <= g; s++) {
    size_t i = w->order[s - 1];
    for (size_t q = d->gr.start[i]; q < d->gr.start[i + 1]; q++) {
      size_t f = d->gr.member[q];
      w->level[f] = w->up[i] ? w->level[f] + half : w->level[f] - half;
    }
    for (size_t f = 0; f < k; f++) {
      x[s * k + f] = (double)w->level[f] / (double)(p - 1);
    }
    moved[s - 1] = i;
    step[s - 1] = w->up[i] ? d->delta : -d->delta;
  }
}

/* Trajectories 0 .. n-1 of the candidates into x, moved, step. */
static int draw_trajectories(const cet_morris_design *d, size_t n, double *x, size_t *moved,
                             double *step) {
  draw_scratch w = {cet_rng_alloc(), malloc(d->k * sizeof(size_t)), malloc(d->g * sizeof(int)),
                    malloc(d->g * sizeof(size_t))};
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, w.r && w.level && w.up && w.order);
  size_t points = d->g + 1;
  for (size_t m = 0; m < n; m++) {
    trajectory(d, &w, m, x + m * points * d->k, moved + m * d->g, step + m * d->g);
  }
done:
  if (w.r) {
    gsl_rng_free(w.r);
  }
  free(w.level);
  free(w.up);
  free(w.order);
  return status;
}

/* The radial points: trajectory t from point t of the 2k-dimensional
 * scrambled Sobol' sequence. */
static int draw_radial(cet_morris_design *d) {
  size_t k = d->k;
  cet_sobolseq *seq = NULL;
  CET_CALL(cet_sobolseq_create(&seq, 2 * k, 1, d->p.seed));
  int status = CET_OK;
  double *b = malloc(k * sizeof *b);
  CET_CHECK_ALLOC_GOTO(status, done, b);
  for (size_t t = 0; t < d->r; t++) {
    double *x = d->x + t * (k + 1) * k;
    CET_CALL_GOTO(status, done, cet_sobolseq_coordinates(seq, t, 0, k, x));
    CET_CALL_GOTO(status, done, cet_sobolseq_coordinates(seq, t, k, k, b));
    for (size_t f = 0; f < k; f++) {
      double aux = b[f] != x[f] ? b[f] : 1.0 - x[f];
      memcpy(x + (f + 1) * k, x, k * sizeof *x);
      x[(f + 1) * k + f] = aux;
      d->moved[t * k + f] = f;
      d->step[t * k + f] = aux - x[f];
    }
  }
done:
  free(b);
  cet_sobolseq_destroy(&seq);
  return status;
}

/* Draws the candidates and keeps the r chosen. */
static int select_trajectories(cet_morris_design *d) {
  size_t m = d->p.candidates, n = d->g + 1, per = n * d->k;
  double *x = malloc(m * per * sizeof *x), *step = malloc(m * d->g * sizeof *step);
  size_t *moved = malloc(m * d->g * sizeof *moved);
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, x && step && moved, CET_ERR_MEMORY,
                 "out of memory in %s (%zu candidate trajectories)", __func__, m);
  CET_CALL_GOTO(status, done, draw_trajectories(d, m, x, moved, step));
  CET_CALL_GOTO(
      status, done,
      cet_morris_select(x, m, n, d->k, d->r, d->p.brute_force_limit, d->candidate, &d->spread));
  for (size_t t = 0; t < d->r; t++) {
    size_t c = d->candidate[t];
    memcpy(d->x + t * per, x + c * per, per * sizeof *x);
    memcpy(d->moved + t * d->g, moved + c * d->g, d->g * sizeof *moved);
    memcpy(d->step + t * d->g, step + c * d->g, d->g * sizeof *step);
  }
done:
  free(x);
  free(step);
  free(moved);
  return status;
}

/* D of the r trajectories of d. */
static double spread_of(const cet_morris_design *d) {
  size_t n = d->g + 1, per = n * d->k;
  double sum = 0.0;
  for (size_t i = 0; i < d->r; i++) {
    for (size_t j = i + 1; j < d->r; j++) {
      double dist = cet_morris_distance(d->x + i * per, d->x + j * per, n, d->k);
      sum += dist * dist;
    }
  }
  return sqrt(sum);
}

int cet_morris_design_create(cet_morris_design **dp, const cet_morris_parameters *p) {
  *dp = NULL;
  cet_morris_design *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, check_plan(d, p));
  d->p = *p;
  d->p.groups = d->g;
  d->p.group_of = d->gr.group_of;
  d->x = malloc(d->r * (d->g + 1) * d->k * sizeof *d->x);
  d->moved = malloc(d->r * d->g * sizeof *d->moved);
  d->step = malloc(d->r * d->g * sizeof *d->step);
  d->candidate = malloc(d->r * sizeof *d->candidate);
  CET_CHECK_ALLOC_GOTO(status, fail, d->x && d->moved && d->step && d->candidate);
  if (p->radial) {
    CET_CALL_GOTO(status, fail, draw_radial(d));
  } else if (p->candidates > d->r) {
    CET_CALL_GOTO(status, fail, select_trajectories(d));
  } else {
    CET_CALL_GOTO(status, fail, draw_trajectories(d, d->r, d->x, d->moved, d->step));
  }
  if (p->radial || p->candidates <= d->r) {
    for (size_t t = 0; t < d->r; t++) {
      d->candidate[t] = t;
    }
    d->spread = spread_of(d);
  }
  *dp = d;
  return CET_OK;
fail:
  cet_morris_design_destroy(&d);
  return status;
}

void cet_morris_design_destroy(cet_morris_design **dp) {
  if (!dp || !*dp) {
    return;
  }
  cet_morris_design *d = *dp;
  cet_sa_groups_free(&d->gr);
  free(d->x);
  free(d->moved);
  free(d->step);
  free(d->candidate);
  free(d);
  *dp = NULL;
}

const cet_morris_parameters *cet_morris_design_parameters(const cet_morris_design *d) {
  return &d->p;
}

size_t cet_morris_design_points(const cet_morris_design *d) { return d->r * (d->g + 1); }

const double *cet_morris_design_matrix(const cet_morris_design *d) { return d->x; }

size_t cet_morris_design_moved(const cet_morris_design *d, size_t t, size_t s) {
  return d->moved[t * d->g + s - 1];
}

double cet_morris_design_step(const cet_morris_design *d, size_t t, size_t s) {
  return d->step[t * d->g + s - 1];
}

size_t cet_morris_design_candidate(const cet_morris_design *d, size_t t) { return d->candidate[t]; }

double cet_morris_design_spread(const cet_morris_design *d) { return d->spread; }
