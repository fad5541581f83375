/*
 * optimize_robust.h — the robust evaluation of designs (private to
 * src/drivers; optimize.h describes robust problems): each design over the
 * same K draws of the case's uncertain variables, and the statistics of the
 * summarised metrics over them.
 */
#ifndef CETWIN_OPTIMIZE_ROBUST_H
#define CETWIN_OPTIMIZE_ROBUST_H

#include "cetwin/optimize.h"
#include "cetwin/stats.h"
#include "cetwin/twin.h"

#include <stddef.h>

typedef struct cet_drv_opt_robust cet_drv_opt_robust;

/* Draws the table of the K draws of rs (the Monte Carlo sampler's numbers)
 * and allocates, for `threads` threads and batches of up to `capacity`
 * designs, the values of the U metrics metric[0 .. U - 1] (twin indices).
 * Designs are n_design genes bound to the twin's parameters by b (borrowed,
 * like t and rs). CET_ERR_MEMORY names the bytes wanted. */
int cet_drv_opt_robust_create(const cet_twin *t, const cet_robust_spec *rs, const cet_binding *b,
                              size_t n_design, const size_t *metric, size_t U, int threads,
                              size_t capacity, cet_drv_opt_robust **out);

void cet_drv_opt_robust_destroy(cet_drv_opt_robust **r);

/* Summarises the U metrics of count (<= capacity) designs x over the K
 * draws into out[i * U + u] (values kept: every statistic is available),
 * on `threads` threads (1: on the calling thread). A design i with skip[i]
 * set (skip may be NULL) is not evaluated: its summaries are those of no
 * values, every statistic NaN (a design that cannot be priced). *failed is the lowest
 * failing design, count when every design succeeded; a failure leaves that
 * design's message (the draw, then the twin's reason) in the error chain,
 * whatever the thread count. */
int cet_drv_opt_robust_evaluate(cet_drv_opt_robust *r, size_t count, const double *x,
                                const unsigned char *skip, int threads, cet_stats_summary *out,
                                size_t *failed);

#endif /* CETWIN_OPTIMIZE_ROBUST_H */
