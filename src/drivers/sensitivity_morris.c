/*
 * sensitivity_morris.c — Morris screening (morris.h): the design of r
 * trajectories (or the radial design) is built on every rank from the
 * seed alone; a trajectory is a point of the engine's plan, evaluated at
 * its g + 1 points (factors at their unit coordinates, cet_drv_sa_native_at_unit
 * with the grid's ends mapped to the tornado ends of distributions). Rank
 * 0 gathers the outputs, computes the elementary effects and mu, mu*,
 * sigma with bootstrap intervals on mu* per group and metric, prints the
 * groups ranked by mu* of every metric, and writes /sensitivity/morris;
 * with sensitivity.store_points also every trajectory's points, the
 * factors' settings with the metrics.
 */
#include "sensitivity_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/morris.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_LEN = 64 };

typedef struct {
  cet_drv_sa_run *r;
  const cet_factor_set *set; /* the factors moved */
  cet_morris_design *design;
  size_t g;            /* groups of those factors */
  size_t *group_of;    /* [set->n] their group */
  const char **groups; /* [g] the groups' names */
} morris_model;

static int morris_ws_create(void *model, void **ws) {
  return cet_drv_sa_ws_create(((morris_model *)model)->r, ws);
}

static int morris_evaluate(void *model, void *wsp, uint64_t first, size_t count, double *values,
                           double *const *extras, uint64_t *failed) {
  const morris_model *mm = model;
  const cet_drv_sa_run *r = mm->r;
  cet_drv_sa_ws *ws = wsp;
  const double *matrix = cet_morris_design_matrix(mm->design);
  const size_t k = mm->set->n;
  for (size_t d = 0; d < count; d++) {
    uint64_t t = first + d;
    *failed = t;
    memcpy(ws->x, r->base, r->k * sizeof *ws->x);
    for (size_t s = 0; s <= mm->g; s++) {
      const double *u = matrix + (t * (mm->g + 1) + s) * k;
      double *natives = extras ? extras[0] + (d * (mm->g + 1) + s) * k : NULL;
      for (size_t a = 0; a < k; a++) {
        size_t i = mm->set->index[a];
        ws->x[i] = cet_drv_sa_native_at_unit(r->s, &r->s->factors[i], u[a], 1);
        if (natives) {
          natives[a] = ws->x[i];
        }
      }
      CET_CALL(cet_drv_sa_evaluate(r, ws, ws->x, NULL, values + (d * (mm->g + 1) + s) * r->nm));
    }
  }
  return CET_OK;
}

/* The groups of the set and the design. */
static int design_create(morris_model *mm) {
  const cet_drv_sa_run *r = mm->r;
  const cet_sensitivity_spec *s = r->s;
  const size_t k = mm->set->n;
  mm->group_of = malloc((k + 1) * sizeof *mm->group_of);
  mm->groups = malloc((k + 1) * sizeof *mm->groups);
  CET_CHECK_ALLOCS(mm->group_of && mm->groups);
  CET_CALL(cet_drv_sa_set_groups(r, mm->set, mm->group_of, mm->groups, &mm->g));
  int own = mm->g == k; /* every factor its own group, in order */
  for (size_t a = 0; a < k; a++) {
    own = own && mm->group_of[a] == a;
  }
  cet_morris_parameters p = cet_morris_default_parameters();
  p.factors = k;
  p.groups = own ? 0 : mm->g;
  p.group_of = own ? NULL : mm->group_of;
  p.levels = s->morris.levels;
  p.trajectories = s->morris.trajectories;
  p.candidates = s->morris.candidates;
  p.radial = s->morris.radial;
  p.seed = r->c->seed;
  p.resamples = s->morris.resamples;
  return cet_morris_design_create(&mm->design, &p);
}

/* The statistics of every group and metric: [g x nm] each. */
typedef struct {
  double *mu, *mu_star, *sigma, *conf;
} morris_table;

static int statistics(const morris_model *mm, const double *y, morris_table *t) {
  const cet_drv_sa_run *r = mm->r;
  size_t n = cet_morris_design_parameters(mm->design)->trajectories, g = mm->g, nm = r->nm;
  double *ee = malloc((n * g * nm + 1) * sizeof *ee), *col = malloc((4 * g + 1) * sizeof *col);
  t->mu = malloc((g * nm + 1) * sizeof *t->mu);
  t->mu_star = malloc((g * nm + 1) * sizeof *t->mu_star);
  t->sigma = malloc((g * nm + 1) * sizeof *t->sigma);
  t->conf = malloc((g * nm + 1) * sizeof *t->conf);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, ee && col && t->mu && t->mu_star && t->sigma && t->conf);
  CET_CALL_GOTO(status, done, cet_morris_effects(mm->design, y, nm, ee));
  for (size_t m = 0; m < nm; m++) {
    CET_CALL_GOTO(status, done,
                  cet_morris_statistics(mm->design, ee, nm, m, r->s->morris.level, col, col + g,
                                        col + 2 * g, col + 3 * g));
    for (size_t i = 0; i < g; i++) {
      t->mu[i * nm + m] = col[i];
      t->mu_star[i * nm + m] = col[g + i];
      t->sigma[i * nm + m] = col[2 * g + i];
      t->conf[i * nm + m] = col[3 * g + i];
    }
  }
done:
  free(ee);
  free(col);
  return status;
}

static void table_free(morris_table *t) {
  free(t->mu);
  free(t->mu_star);
  free(t->sigma);
  free(t->conf);
}

void cet_drv_sa_print_morris(const cet_drv_sa_morris_view *v, FILE *out) {
  size_t g = v->g, nm = v->nm, *order = malloc((g + 1) * sizeof *order);
  char a[TEXT_LEN], b[TEXT_LEN], c[TEXT_LEN], e[TEXT_LEN];
  if (!order) {
    return;
  }
  fprintf(out, "\nMorris screening: %zu %s of %zu points", v->trajectories,
          v->radial ? "radial samples" : "trajectories", v->points);
  if (!v->radial) {
    fprintf(out, " on a %zu-level grid%s", v->levels, v->candidates ? "," : "");
    if (v->candidates) {
      fprintf(out, " chosen for spread from %zu candidates", v->candidates);
    }
  }
  fprintf(out, "; intervals on mu* at %g %%", 100 * v->level);
  if (v->resamples) {
    fprintf(out, " from %zu resamples", v->resamples);
  }
  fprintf(out, "\n");
  for (size_t m = 0; m < nm; m++) {
    const char *units = v->units[m];
    for (size_t i = 0; i < g; i++) {
      order[i] = i;
    }
    for (size_t i = 1; i < g; i++) { /* by mu*, largest first */
      size_t x = order[i], j = i;
      while (j > 0 && v->mu_star[order[j - 1] * nm + m] < v->mu_star[x * nm + m]) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = x;
    }
    int share = (int)v->share[m], plain = !share && strcmp(units, "1") == 0;
    const char *shown = share ? "percentage points" : units; /* the effects' units */
    fprintf(out, "  %s (effects%s%s per unit of a factor's range):\n", v->metrics[m],
            plain ? "" : " in ", plain ? "" : shown);
    fprintf(out, "    %-*s %16s %16s %16s %16s\n", v->name_width, "group", "mu*", "+-", "mu",
            "sigma");
    for (size_t n = 0; n < g; n++) {
      size_t i = order[n];
      cet_format_metric(v->mu_star[i * nm + m], units, share, a, sizeof a);
      cet_format_metric(v->conf[i * nm + m], units, share, b, sizeof b);
      cet_format_metric(v->mu[i * nm + m], units, share, c, sizeof c);
      cet_format_metric(v->sigma[i * nm + m], units, share, e, sizeof e);
      fprintf(out, "    %-*s %16s %16s %16s %16s\n", v->name_width, v->groups[i], a, b, c, e);
    }
  }
  free(order);
  fflush(out);
}

/* The Morris table of the run. */
static void print_morris(const morris_model *mm, const morris_table *t, FILE *out) {
  const cet_drv_sa_run *r = mm->r;
  const cet_morris_parameters *p = cet_morris_design_parameters(mm->design);
  cet_drv_sa_morris_view view = {.trajectories = p->trajectories,
                                 .points = mm->g + 1,
                                 .levels = p->levels,
                                 .candidates = p->candidates,
                                 .resamples = p->resamples,
                                 .radial = p->radial,
                                 .level = r->s->morris.level,
                                 .name_width = r->name_width,
                                 .g = mm->g,
                                 .nm = r->nm,
                                 .groups = (const char *const *)mm->groups,
                                 .metrics = (const char *const *)r->s->metrics.name,
                                 .units = r->units,
                                 .share = r->share,
                                 .mu = t->mu,
                                 .mu_star = t->mu_star,
                                 .sigma = t->sigma,
                                 .conf = t->conf};
  cet_drv_sa_print_morris(&view, out);
}

static int write_morris(const morris_model *mm, const morris_table *t, const double *y,
                        cet_result *res) {
  const cet_drv_sa_run *r = mm->r;
  const cet_morris_parameters *p = cet_morris_design_parameters(mm->design);
  size_t g = mm->g, nm = r->nm, points = cet_morris_design_points(mm->design), k = mm->set->n;
  const char *const *metrics = (const char *const *)r->s->metrics.name;
  const char *names[] = {"mu", "mu_star", "sigma", "mu_star_conf"};
  const char *what[] = {"mean elementary effect", "mean absolute elementary effect",
                        "standard deviation of the elementary effects",
                        "half-width of the bootstrap interval on mu_star"};
  const double *data[] = {t->mu, t->mu_star, t->sigma, t->conf};
  size_t dg[2] = {g, nm}, dp[2] = {points, k}, dy[2] = {points, nm};
  char path[TEXT_LEN];
  for (size_t q = 0; q < sizeof data / sizeof data[0]; q++) {
    cet_dataset_meta m = {.unit_list = r->units,
                          .n_units = nm,
                          .description = what[q],
                          .columns = metrics,
                          .n_columns = nm,
                          .dims = "group,metric"};
    snprintf(path, sizeof path, "/sensitivity/morris/%s", names[q]);
    CET_CALL(cet_result_write_doubles(res, path, 2, dg, data[q], &m));
  }
  cet_dataset_meta mgr = {
      .description = "the groups of the factors moved", .dims = "group", .labels = 1};
  CET_CALL(cet_result_write_strings(res, "/sensitivity/morris/groups", g, mm->groups, &mgr));
  long long *factor = malloc((k + 1) * sizeof *factor);
  CET_CHECK_ALLOC(factor);
  for (size_t a = 0; a < k; a++) {
    factor[a] = (long long)mm->set->index[a];
  }
  cet_dataset_meta mf = {.units = "1",
                         .description = "the factors moved (indices in /sensitivity/factors)",
                         .dims = "factor"};
  int status = cet_result_write_ints(res, "/sensitivity/morris/factors", 1, dp + 1, factor, &mf);
  free(factor);
  CET_CALL(status);
  cet_dataset_meta md = {.units = "1",
                         .description = "the design: each point's unit coordinates",
                         .dims = "point,factor"};
  cet_dataset_meta mo = {.unit_list = r->units,
                         .n_units = nm,
                         .description = "the metrics at each point of the design",
                         .columns = metrics,
                         .n_columns = nm,
                         .dims = "point,metric"};
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/morris/design", 2, dp,
                                    cet_morris_design_matrix(mm->design), &md));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/morris/outputs", 2, dy, y, &mo));
  const char *g_ = "/sensitivity/morris";
  CET_CALL(cet_result_attr_int(res, g_, "trajectories", (long long)p->trajectories));
  CET_CALL(cet_result_attr_int(res, g_, "levels", (long long)p->levels));
  CET_CALL(cet_result_attr_int(res, g_, "candidates", (long long)p->candidates));
  CET_CALL(cet_result_attr_int(res, g_, "radial", p->radial));
  CET_CALL(cet_result_attr_int(res, g_, "resamples", (long long)p->resamples));
  CET_CALL(cet_result_attr_double(res, g_, "spread", cet_morris_design_spread(mm->design)));
  CET_CALL(cet_result_attr_double(res, g_, "level", r->s->morris.level));
  return CET_OK;
}

/* /sensitivity/morris/points (sensitivity.store_points): each
 * trajectory's points, the factors' settings x and the metrics y, [points x
 * k] and [points x nm] in design order. */
static int write_points(const morris_model *mm, const double *x, const double *y, cet_result *res) {
  const cet_drv_sa_run *r = mm->r;
  size_t n = cet_morris_design_parameters(mm->design)->trajectories, steps = mm->g + 1;
  size_t dt[1] = {n}, dx[3] = {n, steps, mm->set->n}, dy[3] = {n, steps, r->nm};
  long long *t = malloc((n + 1) * sizeof *t);
  CET_CHECK_ALLOC(t);
  for (size_t i = 0; i < n; i++) {
    t[i] = (long long)i;
  }
  cet_dataset_meta mt = {.units = "1",
                         .description = "the trajectory (radial sample) of each row",
                         .dims = "trajectory"};
  cet_dataset_meta mx = {.units = "1",
                         .description = "the setting of each factor (factor_names) at each step "
                                        "of the trajectory: the parameter's value (value, "
                                        "distribution), in its units, the relative change "
                                        "(scale), the forecast band position (prices)",
                         .dims = "trajectory,step,factor"};
  cet_dataset_meta my = {.unit_list = r->units,
                         .n_units = r->nm,
                         .description = "the metrics at each step of the trajectory",
                         .columns = (const char *const *)r->s->metrics.name,
                         .n_columns = r->nm,
                         .dims = "trajectory,step,metric"};
  int status = cet_result_write_ints(res, "/sensitivity/morris/points/trajectory", 1, dt, t, &mt);
  free(t);
  CET_CALL(status);
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/morris/points/factors", 3, dx, x, &mx));
  CET_CALL(cet_result_write_doubles(res, "/sensitivity/morris/points/metrics", 3, dy, y, &my));
  return cet_drv_sa_write_set_names(r, mm->set, "/sensitivity/morris/points/factor_names", res);
}

/* Rank 0: the statistics of the trajectories' metrics y (and with
 * store_points their settings x), printed and written. */
static int report_morris(const morris_model *mm, const double *y, const double *x) {
  const cet_drv_sa_run *r = mm->r;
  morris_table t = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, statistics(mm, y, &t));
  if (r->ctx->summary) {
    print_morris(mm, &t, r->ctx->summary);
  }
  if (r->ctx->result) {
    CET_CALL_GOTO(status, done, write_morris(mm, &t, y, r->ctx->result));
  }
  if (r->ctx->result && r->s->store_points) {
    CET_CALL_GOTO(status, done, write_points(mm, x, y, r->ctx->result));
  }
done:
  table_free(&t);
  return status;
}

int cet_drv_sa_morris(cet_drv_sa_run *r) {
  morris_model mm = {.r = r, .set = &r->s->morris.factors};
  double *y = NULL, *x = NULL; /* the metrics and, with store_points, the factors' settings */
  int status = CET_OK;
  CET_CALL_GOTO(status, done, design_create(&mm));
  size_t g = mm.g;
  cet_engine_problem p = {.model = &mm,
                          .n_values = (g + 1) * r->nm,
                          .n_extras = r->s->store_points ? 1 : 0,
                          .extra_width = {(g + 1) * mm.set->n},
                          .batch = 1,
                          .workspace_create = morris_ws_create,
                          .workspace_destroy = cet_drv_sa_ws_destroy,
                          .evaluate = morris_evaluate};
  cet_engine_settings s;
  CET_CALL_GOTO(status, done,
                cet_drv_sa_settings(r, 0, r->s->morris.trajectories, "morris", 0, &s));
  s.block = 1;
  CET_CALL_GOTO(status, done, cet_drv_sa_rows(r, &p, s, &y, r->s->store_points ? &x : NULL));
  if (r->ctx->rank == 0) {
    CET_CALL_GOTO(status, done, report_morris(&mm, y, x));
  }
done:
  free(y);
  free(x);
  cet_morris_design_destroy(&mm.design);
  free(mm.group_of);
  free(mm.groups);
  return cet_collective_status(status, r->ctx->comm);
}
