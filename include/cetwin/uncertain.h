/*
 * uncertain.h — uncertain inputs of a twin: a distribution bound to one
 * parameter by its key path, or the stochastic paths of AR price series
 * drawn together with correlated shocks. The config reader fills a list
 * (`uncertain:`, read the same way by analysis: mc, a robust optimisation
 * and a sensitivity analysis) and owns it; the sampler (sampler.h) draws
 * them. Nothing here is collective.
 */
#ifndef CETWIN_UNCERTAIN_H
#define CETWIN_UNCERTAIN_H

#include "cetwin/distribution.h"

#include <stddef.h>

typedef enum {
  CET_UNCERTAIN_PARAMETER = 0, /* a distribution for one parameter */
  CET_UNCERTAIN_PRICES = 1     /* stochastic paths of AR price series, drawn together */
} cet_uncertain_kind;

typedef struct {
  cet_uncertain_kind kind;
  char *where;            /* "FILE:LINE:COL: uncertain[i]" */
  char *path;             /* PARAMETER: key path of the parameter */
  size_t slot;            /* PARAMETER: its index in the twin's parameter vector */
  cet_distribution *dist; /* PARAMETER: owned */
  size_t n_prices;        /* PRICES: series names */
  char **prices;
  size_t *series; /* PRICES: their indices among the twin's price series */
  long *level;    /* PRICES: slot of each one's prices.NAME.level parameter (the units of a
                   * drawn price), -1 if the twin has none */
} cet_uncertain;

/* Frees the n uncertain variables of *u, what each owns and the array
 * (NULL allowed); sets *u to NULL. */
void cet_uncertain_destroy(cet_uncertain **u, size_t n);

#endif /* CETWIN_UNCERTAIN_H */
