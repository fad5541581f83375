/*
 * sampler.h — draws of the uncertain inputs of a twin (uncertain.h) and
 * their evaluation: the inputs of draw i come from Philox streams keyed by
 * (seed, purpose, i) only — the purpose being the hash of the parameter's
 * key path, or of "prices:" and the names of the price series drawn
 * together — never by an MPI rank or a thread, so a draw gives the same
 * bits wherever and whenever it is evaluated. Monte Carlo, robust
 * optimisation and sensitivity analysis all draw through it.
 *
 * Parameters bound to a distribution take one sample of it. Price series
 * of `uncertain: [{price: [...]}]` entries are drawn as stochastic paths of
 * their AR models with correlated shocks (one cet_price_set over all of
 * them, Cholesky factor of their correlation). The paths are computed for
 * a batch of up to CET_SAMPLER_BATCH consecutive draws at once (the
 * arithmetic of each draw unchanged); the twin then evaluates the batch
 * together when no parameter is drawn (the draws share their parameter
 * values and go through cet_twin_evaluate_draws), else draw by draw.
 *
 * A sampler is immutable after creation and shared by the threads; each
 * thread evaluates with its own workspace. Nothing here is collective.
 */
#ifndef CETWIN_SAMPLER_H
#define CETWIN_SAMPLER_H

#include "cetwin/twin.h"
#include "cetwin/uncertain.h"

#include <stddef.h>
#include <stdint.h>

/* Draws sampled together by a workspace (price paths computed across
 * them). */
enum { CET_SAMPLER_BATCH = 64 };

typedef struct cet_sampler cet_sampler;
typedef struct cet_sampler_workspace cet_sampler_workspace;

/* Builds the sampler of the uncertain variables u[0 .. nu - 1] of twin t
 * (their slots and series resolved by the reader; t must outlive the
 * sampler), their streams keyed by seed, recording the metrics metric[0 ..
 * nm - 1] (indices in t; copied). CET_ERR_INPUT when a variable does not
 * belong to t; CET_ERR_RUNTIME when the drawn series' correlation is not
 * positive definite. */
int cet_sampler_create(const cet_twin *t, uint64_t seed, const cet_uncertain *u, size_t nu,
                       const size_t *metric, size_t nm, cet_sampler **out);

/* Frees *s (NULL allowed) and sets it NULL. */
void cet_sampler_destroy(cet_sampler **s);

/* The twin, the recorded metrics (their indices in the twin), the drawn
 * parameters (their slots in the twin) and price series, and the years of
 * a path. */
const cet_twin *cet_sampler_twin(const cet_sampler *s);
size_t cet_sampler_metric_count(const cet_sampler *s);
size_t cet_sampler_metric(const cet_sampler *s, size_t k);
size_t cet_sampler_parameter_count(const cet_sampler *s);
size_t cet_sampler_parameter_slot(const cet_sampler *s, size_t k);
size_t cet_sampler_series_count(const cet_sampler *s);
size_t cet_sampler_series(const cet_sampler *s, size_t k);
size_t cet_sampler_years(const cet_sampler *s);

/* A thread's scratch: a twin workspace that draws the sampled price series
 * and computes the recorded metrics only, its parameter buffer holding the
 * twin's own values, and room for one batch of draws. */
int cet_sampler_workspace_create(const cet_sampler *s, cet_sampler_workspace **out);

/* Frees *w (NULL allowed) and sets it NULL. */
void cet_sampler_workspace_destroy(cet_sampler_workspace **w);

/* The twin workspace inside w and its parameter buffer (every parameter not
 * drawn keeps the value written there; the twin's own values at first). */
cet_twin_workspace *cet_sampler_workspace_twin(cet_sampler_workspace *w);
double *cet_sampler_workspace_params(cet_sampler_workspace *w);

/* Draws and evaluates draws first .. first + count - 1 (count <=
 * CET_SAMPLER_BATCH): for each, the drawn parameters from their streams
 * and the price paths from the stream of the drawn set, then one
 * evaluation of the twin with every other parameter at the value in w's
 * parameter buffer; writes per draw the recorded metrics (metric count
 * each), the drawn parameter values (parameter count each; inputs may be
 * NULL) and the paths ([series][year] per draw; prices may be NULL). On
 * failure *failed is the draw that failed and the error is the draw's own.
 * Allocation-free. */
int cet_sampler_sample(const cet_sampler *s, cet_sampler_workspace *w, uint64_t first, size_t count,
                       double *metrics, double *inputs, double *prices, uint64_t *failed);

/* Draws only: the inputs of draws first .. first + count - 1 (count <=
 * CET_SAMPLER_BATCH), the very numbers cet_sampler_sample evaluates:
 * parameter values at inputs[d x parameter count], paths at prices[d x
 * series x years] (series c, year y at c x years + y). */
int cet_sampler_draw(const cet_sampler *s, cet_sampler_workspace *w, uint64_t first, size_t count,
                     double *inputs, double *prices);

/* Evaluates count draws whose inputs were drawn by cet_sampler_draw (in the
 * same layout; count need not be bounded by the batch): writes the recorded
 * metrics (metric count per draw). check = 1 first checks every parameter in
 * w's buffer against its range (once: drawn values lie within their ranges
 * by construction). On failure *failed is the failing draw's position.
 * Allocation-free. */
int cet_sampler_evaluate(const cet_sampler *s, cet_sampler_workspace *w, const double *inputs,
                         const double *prices, size_t count, int check, double *metrics,
                         size_t *failed);

#endif /* CETWIN_SAMPLER_H */
