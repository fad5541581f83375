/*
 * vexp.h — exp over arrays in a form compilers vectorise (private to
 * src/model): used where stochastic log-scale price paths turn into
 * prices, one call per path instead of one libm call per number.
 */
#ifndef CETWIN_VEXP_H
#define CETWIN_VEXP_H

#include <stddef.h>

/* y[i] = exp(x[i]) for i < n, within 2 ulp of libm's exp for x in
 * [-707, 709.78]; larger x give +inf, smaller x give 0 (results below
 * about 1e-307 are flushed), NaN gives NaN. The same x gives the same bits
 * whatever the vector width (no fused multiply-adds, no libm). x and y may
 * be the same array. */
void cet_vexp(const double *x, double *y, size_t n);

#endif /* CETWIN_VEXP_H */
