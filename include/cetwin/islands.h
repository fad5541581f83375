/*
 * islands.h — the island model of NSGA-II over MPI: I islands (independent
 * NSGA-II populations, nsga2.h) distributed over the P ranks of a
 * communicator, P dividing I, each rank owning the I/P contiguous islands
 * first .. first + I/P - 1 with first = rank * I/P. Islands are a property of
 * the run, not of the rank count.
 *
 * Migration is synchronous: after every G-th generation each island sends
 * copies of its k best individuals (crowded-comparison order: rank, then
 * crowding distance, then index; pareto.h) to the islands that receive from
 * it, and each island replaces its worst individuals (the same order from
 * the end) by the immigrants of its sources, in source order; all emigrants
 * are chosen before any island changes. Topologies: a directed ring (island
 * i receives from i - 1 mod I; the default), fully connected (from every
 * other island, in increasing index), or a user-given adjacency list.
 * Islands of one rank exchange in memory; across ranks the ring uses
 * MPI_Sendrecv with the neighbouring ranks and the other topologies
 * MPI_Allgather.
 *
 * Every island runs the engine of nsga2.h with the same parameters, so
 * NSGA-II or NSGA-III (par.algorithm) alike; migration orders both by
 * crowded comparison (rank, crowding distance, index).
 *
 * Island i runs NSGA-II with the stream par.stream + i (nsga2.h), so its
 * random numbers depend on the seed and i only. With deterministic
 * callbacks the populations, and the gathered front, are therefore bitwise
 * identical for any P dividing I (tests/mpi/test_islands_mpi.c checks 1, 2
 * and 4 ranks). One island (I = 1) is plain NSGA-II.
 *
 * Collective calls (marked) must be made by every rank of the communicator
 * in the same order. Errors are agreed on: if any rank fails in a
 * collective call, every rank returns an error (the failing rank with its
 * own message, the others with CET_ERR_RUNTIME "... failed on another
 * rank"). Checkpoints save and restore each local island with
 * cet_nsga2_get_state / cet_nsga2_set_state between calls to
 * cet_islands_iterate.
 */
#ifndef CETWIN_ISLANDS_H
#define CETWIN_ISLANDS_H

#include "cetwin/islands_parameters.h"
#include "cetwin/nsga2.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cet_islands cet_islands;

/* Collective over comm (which is duplicated). Creates the local islands of
 * this rank, each an NSGA-II for problem with parameters par (NULL =
 * defaults) and stream par.stream + island index. Errors (CET_ERR_INPUT, on
 * every rank alike): islands = 0 or not a multiple of the rank count,
 * migration_interval = 0, invalid custom topology, k times the largest
 * number of sources not below the population; any cet_nsga2_create error. */
int cet_islands_create(MPI_Comm comm, const cet_moo_problem *problem,
                       const cet_nsga2_parameters *par, const cet_islands_parameters *ip,
                       cet_islands **isl);

/* Collective (frees the duplicated communicator). Frees *isl (NULL allowed)
 * and sets it to NULL. */
void cet_islands_destroy(cet_islands **isl);

size_t cet_islands_count(const cet_islands *isl);       /* I */
size_t cet_islands_local_count(const cet_islands *isl); /* I/P */
size_t cet_islands_first(const cet_islands *isl);       /* global index of local island 0 */

/* The local island `local` (0 <= local < I/P), owned by isl; for state
 * save and restore and for inspection. NULL when out of range. */
cet_nsga2 *cet_islands_island(cet_islands *isl, size_t local);

/* Collective. Generation 0 on every local island (cet_nsga2_init without
 * seeds). */
int cet_islands_init(cet_islands *isl);

/* Collective. Generation 0 on every local island with the same count
 * given individuals x0 (count x genes, within the genome's bounds) as its
 * first ones, the rest random as cet_islands_init draws them. */
int cet_islands_init_seeded(cet_islands *isl, const double *x0, size_t count);

/* Collective. One generation on every local island, then, when the
 * generation number is a multiple of G, a migration. */
int cet_islands_iterate(cet_islands *isl);

/* *done = 1 once the islands have reached par.generations. Not collective
 * (every rank gives the same answer). */
int cet_islands_test(const cet_islands *isl, int *done);

/* Collective. A migration now (cet_islands_iterate calls it on schedule). */
int cet_islands_migrate(cet_islands *isl);

/* Collective. Gathers onto rank root the front of the union of all islands'
 * populations under constrained domination (the feasible non-dominated
 * individuals, or when none is feasible the least violating ones), without
 * exact copies (equal genes, objectives and constraints; migration makes
 * many), in island order then population order. Each rank first filters its
 * own islands, so only candidates travel; root filters them with the
 * non-dominated filter. On root *count receives the number of individuals
 * and *x (count x n), *f (count x n_obj) and *g (count x n_con, NULL when
 * n_con = 0) newly allocated arrays the caller frees with free(); on other
 * ranks *count = 0 and the pointers are NULL. */
int cet_islands_gather_front(cet_islands *isl, int root, size_t *count, double **x, double **f,
                             double **g);

/* Collective. As cet_islands_gather_front, and on root *island (when not
 * NULL) receives a newly allocated array of count island indices: the
 * lowest-numbered island whose population holds each point (the copy that
 * was kept). */
int cet_islands_gather_front_origin(cet_islands *isl, int root, size_t *count, double **x,
                                    double **f, double **g, size_t **island);

/* The islands island i receives migrants from, in the order they are
 * received: *sources points into isl (count entries). Not collective. */
int cet_islands_sources(const cet_islands *isl, size_t island, const size_t **sources,
                        size_t *count);

/* The population slots of local island `local` that its last migration
 * filled, in the order of its sources, migrants (k) per source: *slots
 * points into isl (valid until the next migration), *count = 0 before the
 * first migration. The slots of source q are slots[q k .. q k + k).
 * Not collective. */
int cet_islands_immigrant_slots(const cet_islands *isl, size_t local, const size_t **slots,
                                size_t *count);

#endif /* CETWIN_ISLANDS_H */
