/*
 * islands_parameters.h — the settings of the island model (islands.h): how
 * many islands, how often and how many individuals migrate, and along which
 * topology. Plain data without MPI, so that the case reader can fill them.
 */
#ifndef CETWIN_ISLANDS_PARAMETERS_H
#define CETWIN_ISLANDS_PARAMETERS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  CET_TOPOLOGY_RING = 0,  /* island i receives from island i - 1 (mod I) */
  CET_TOPOLOGY_FULL = 1,  /* every island receives from every other island */
  CET_TOPOLOGY_CUSTOM = 2 /* island i receives from sources[offset[i] .. offset[i+1]) */
} cet_topology;

typedef struct {
  size_t islands;              /* I >= 1, a multiple of the rank count (1) */
  uint64_t migration_interval; /* G >= 1: migrate after generations G, 2G, ... (10) */
  size_t migrants;             /* k: emigrants per island and source; 0 = none (5) */
  cet_topology topology;       /* (ring) */
  const size_t *offset;        /* custom: I + 1 offsets into sources, offset[0] = 0 */
  const size_t *sources;       /* custom: source islands, distinct per island, never
                                  the island itself; copied at creation */
} cet_islands_parameters;

/* One island, ring, migration of 5 individuals every 10 generations
 * (2.5 % of a population of 200, a customary rate). */
cet_islands_parameters cet_islands_default_parameters(void);

#endif /* CETWIN_ISLANDS_PARAMETERS_H */
