/*
 * islands_impl.h — private: the body of an island model (islands.h).
 */
#ifndef CETWIN_MOO_ISLANDS_IMPL_H
#define CETWIN_MOO_ISLANDS_IMPL_H

#include "cetwin/islands.h"

struct cet_islands {
  MPI_Comm comm; /* duplicate of the caller's communicator */
  int rank, size;
  size_t I, L, first; /* islands, local islands, first local island */
  cet_topology topology;
  uint64_t interval; /* G */
  size_t k;          /* migrants per island and source */
  size_t *offset;    /* I + 1: sources of island i are sources[offset[i] ..] */
  size_t *sources;
  size_t max_in; /* largest number of sources */
  uint64_t generations;
  cet_nsga2 **island; /* L local islands */

  size_t N, n, m, c; /* population, genes, objectives, constraints */
  size_t rec;        /* doubles per migrant record: genes, objectives, constraints */
  MPI_Datatype record;
  double *emigrants;             /* I blocks of k records, block i from island i */
  double *imm_x, *imm_f, *imm_g; /* one island's immigrants, unpacked */
  size_t *order;                 /* N */
  size_t *slots;                 /* L blocks of k * max_in: the slots each local island's
                                    last migration filled */
  size_t *n_slots;               /* L: how many of each block are in use */
};

#endif /* CETWIN_MOO_ISLANDS_IMPL_H */
