/*
 * nsga2.h — NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEVC
 * 6(2):182-197) over a genome of real and integer genes (operators.h), with
 * constrained domination (Deb 2000), as init / iterate / test: the caller
 * owns the loop, the logging and the checkpoints.
 *
 * Objectives are minimised (negate what you maximise). Constraints are
 * written g_k(x) <= 0; an individual's total violation is
 * sum_k max(0, g_k(x)) and 0 means feasible.
 *
 * One generation (cet_nsga2_iterate):
 * 1. mating: binary tournaments by crowded comparison (rank, then crowding
 *    distance) over concatenated random permutations of the population,
 *    so every individual enters two tournaments per generation (as in
 *    Deb's reference code);
 * 2. variation per pair of parents: SBX with probability
 *    crossover_probability, then per child, with probability
 *    mutation_probability, polynomial mutation of each gene with
 *    probability mutation_rate;
 * 3. the problem's repair callback (if any), then evaluation of the N
 *    offspring in one batch through the evaluate callback (the caller may
 *    evaluate them in parallel, e.g. with OpenMP, inside it);
 * 4. environmental selection: non-dominated sort of parents + offspring
 *    under constrained domination; whole fronts are kept while they fit;
 *    the last front is cut by crowding distance, either by the iterative
 *    truncation of Kukkonen & Deb (2006; pareto.h, cet_pareto_prune:
 *    remove the most crowded point, update its neighbours, repeat), the
 *    default, or in one shot by decreasing distance as in Deb et al.
 *    (2002); ties go to the earlier position (parents before offspring);
 *    the survivors keep their relative order;
 * 5. ranks and crowding distances are recomputed on the N survivors; the
 *    next tournaments use them.
 *
 * Mutation probability "0.5" (Bonnin et al. 2015, Table 5, after Gomez
 * 2008) is read as the probability that an offspring is mutated at all;
 * a mutated offspring then mutates each gene with probability 1/n (n
 * genes), the customary per-gene rate (Deb et al. 2002). A per-gene rate
 * of 0.5 would instead perturb half the genes of every child, which on 30
 * genes destroys what crossover builds. Both numbers are tunable: set
 * mutation_probability = 1 and mutation_rate = r to get a plain per-gene
 * rate r (pagmo's convention).
 *
 * Random numbers come from keyed streams (rng.h): the initial individual i
 * from (seed, "init" + stream, 0, i), the permutations of generation t from
 * (seed, "select" + stream, t, k) and everything done for pair k of
 * generation t from (seed, "vary" + stream, t, k); `stream` tells islands
 * apart. Results therefore depend only on the seed, the stream, the
 * parameters and the callbacks' values: never on threads, ranks or the order
 * in which the callback evaluates the batch. Because nothing else is
 * random, the state (cet_nsga2_get_state) is just the generation number
 * and the population's genes, objectives and constraint values; a run
 * restored from it continues bit for bit as the original would.
 *
 * Why iterative truncation by default: one-shot cutting removes clusters of
 * neighbours at once and leaves gaps. With 200 points on ZDT2 (concave),
 * even perfectly even spacing in f1 reaches only about 99.54 % of the true
 * hypervolume (reference 1.1), and one-shot cutting stays near 99.45 %;
 * iterative truncation spaces the points nearly evenly at the same
 * crowding measure for a small cost (docs/performance.md).
 *
 * NSGA-III (Deb & Jain 2014, IEEE TEVC 18(4):577-601) runs on the same
 * engine with par.algorithm = CET_MOO_NSGA3; it differs in two steps only:
 * - mating: each parent is the winner of a binary tournament of two
 *   individuals of the same mating list that compares the total violation
 *   only (lower wins; equal violations, e.g. both feasible, give a random
 *   pick), so unconstrained problems get the random mating of Deb & Jain
 *   and constrained ones the feasibility-first tournament of Jain & Deb
 *   (2014, Part II);
 * - environmental selection: the last admitted front is cut by reference
 *   point niching (nsga3.h) against the Das–Dennis points of
 *   par.divisions and par.inner_divisions (refpoints.h; 0 divisions: the
 *   automatic choice of cet_refpoints_automatic for the population). Its
 *   random choices come from (seed, "niche" + stream, t, 0) for generation
 *   t, so the reproducibility and restart promises above hold unchanged.
 * Ranks and crowding distances are still computed on the survivors; the
 * front, the order of the population (migration) and the state are as for
 * NSGA-II. Deb & Jain's settings: population the smallest multiple of 4
 * not below the number of reference points, crossover probability 1,
 * eta_c = 30, mutation per gene 1/n, eta_m = 20.
 *
 * A cet_nsga2 is not thread-safe; distinct ones are independent.
 */
#ifndef CETWIN_NSGA2_H
#define CETWIN_NSGA2_H

#include "cetwin/operators.h"

#include <stddef.h>
#include <stdint.h>

/* Evaluates count individuals: x is count x n genes; write count x n_obj
 * objectives into f and count x n_con constraint values g_k (<= 0 means
 * satisfied) into g (NULL when n_con = 0). Return CET_OK or an error status
 * (after cet_error_push), which aborts the generation. Must be
 * deterministic for the reproducibility promise above. */
typedef int (*cet_moo_evaluate_fn)(void *ctx, size_t count, const double *x, double *f, double *g);

/* Repairs count individuals in place before they are evaluated (e.g.
 * normalise rates to sum to one). It runs after the operators (so after
 * their rounding and zero snapping, operators.h) and its values stand as
 * returned: they must stay within the bounds, integral for integer genes
 * (else the generation fails with CET_ERR_RUNTIME). Optional; must be
 * deterministic. */
typedef int (*cet_moo_repair_fn)(void *ctx, size_t count, double *x);

/* What is optimised. The genome's arrays are copied by cet_nsga2_create;
 * ctx is not (it must outlive the optimiser). */
typedef struct {
  cet_genome genome;
  size_t n_obj; /* objectives, >= 1 */
  size_t n_con; /* constraints, >= 0 */
  cet_moo_evaluate_fn evaluate;
  cet_moo_repair_fn repair; /* NULL: none */
  void *ctx;                /* passed to evaluate and repair */
} cet_moo_problem;

/* How the last admitted front is cut to size. */
typedef enum {
  CET_NSGA2_TRUNCATE_CROWDING = 0, /* one shot by crowding distance (Deb et al. 2002) */
  CET_NSGA2_TRUNCATE_ITERATIVE = 1 /* iterative crowding (Kukkonen & Deb 2006) */
} cet_nsga2_truncation;

/* The environmental selection the engine runs. */
typedef enum {
  CET_MOO_NSGA2 = 0, /* crowding distance (Deb et al. 2002) */
  CET_MOO_NSGA3 = 1  /* reference point niching (Deb & Jain 2014) */
} cet_moo_algorithm;

typedef struct {
  size_t population;               /* N, >= 2 (Bonnin et al. 2015: 200) */
  uint64_t generations;            /* test() reports done after this many (400) */
  double crossover_probability;    /* per pair (0.9) */
  double crossover_gene_rate;      /* per gene of a crossed pair (0.5, Deb's code) */
  double eta_c;                    /* SBX distribution index (20) */
  double mutation_probability;     /* per offspring (0.5), see above */
  double mutation_rate;            /* per gene of a mutated offspring; 0 = 1/n (0) */
  double eta_m;                    /* polynomial mutation index (20) */
  cet_nsga2_truncation truncation; /* (iterative) */
  uint64_t seed;                   /* random seed (0) */
  uint64_t stream;                 /* tells independent runs/islands apart (0) */
  cet_moo_algorithm algorithm;     /* (NSGA-II) */
  size_t divisions;                /* NSGA-III outer layer; 0 = automatic (0) */
  size_t inner_divisions;          /* NSGA-III inner layer; 0 = none (0) */
} cet_nsga2_parameters;

/* The defaults above: Bonnin et al. (2015) Table 5, eta_c = eta_m = 20,
 * iterative truncation, NSGA-II. */
cet_nsga2_parameters cet_nsga2_default_parameters(void);

typedef struct cet_nsga2 cet_nsga2;

/* Creates an optimiser for problem with parameters par (NULL = defaults)
 * into *ga. Errors: invalid genome, n_obj = 0, NULL evaluate, population
 * < 2, probabilities outside [0, 1], negative distribution indices, unknown
 * truncation or algorithm, inner divisions without outer ones, the errors
 * of refpoints.h (CET_ERR_INPUT);
 * CET_ERR_MEMORY. Not collective. */
int cet_nsga2_create(const cet_moo_problem *problem, const cet_nsga2_parameters *par,
                     cet_nsga2 **ga);

/* Frees *ga (NULL allowed) and sets it to NULL. */
void cet_nsga2_destroy(cet_nsga2 **ga);

/* Generation 0: the first `count` individuals are copied from x0 (count x
 * n genes, each inside the genome; x0 may be NULL when count = 0), the
 * rest drawn uniformly; all are repaired, evaluated in one batch and
 * ranked. Errors: count > N, seeds outside the genome (CET_ERR_INPUT); a
 * failing callback; NaN objectives or constraints (CET_ERR_RUNTIME). */
int cet_nsga2_init(cet_nsga2 *ga, const double *x0, size_t count);

/* One generation (see above). Requires a prior init or set_state. */
int cet_nsga2_iterate(cet_nsga2 *ga);

/* *done = 1 once the generation number has reached par.generations. */
int cet_nsga2_test(const cet_nsga2 *ga, int *done);

/* The optional driver: iterates until cet_nsga2_test reports done (no
 * generation when it already does), for callers that need no logging or
 * checkpoints between generations. Requires a prior init or set_state;
 * errors as cet_nsga2_iterate. */
int cet_nsga2_solve(cet_nsga2 *ga);

/* Sizes and counters. evaluations = N (init) + N per generation. */
size_t cet_nsga2_population(const cet_nsga2 *ga);
size_t cet_nsga2_n_genes(const cet_nsga2 *ga);
size_t cet_nsga2_n_obj(const cet_nsga2 *ga);
size_t cet_nsga2_n_con(const cet_nsga2 *ga);
uint64_t cet_nsga2_generation(const cet_nsga2 *ga);
uint64_t cet_nsga2_evaluations(const cet_nsga2 *ga);

/* Views of the current population (owned by ga, valid until the next
 * init/iterate/set_state/replace): genes N x n, objectives N x n_obj,
 * constraint values N x n_con (NULL when n_con = 0), total violations N,
 * front ranks N (0 = best) and crowding distances N. */
const double *cet_nsga2_x(const cet_nsga2 *ga);
const double *cet_nsga2_f(const cet_nsga2 *ga);
const double *cet_nsga2_g(const cet_nsga2 *ga);
const double *cet_nsga2_violation(const cet_nsga2 *ga);
const size_t *cet_nsga2_rank(const cet_nsga2 *ga);
const double *cet_nsga2_crowding(const cet_nsga2 *ga);

/* Indices (increasing) of the individuals of rank 0 into index (room for
 * N) and their number into *count: the feasible non-dominated individuals,
 * or, when none is feasible, those of least violation. Duplicates are kept. */
int cet_nsga2_front(const cet_nsga2 *ga, size_t *index, size_t *count);

/* The complete state: *generation and copies of the genes (N x n),
 * objectives (N x n_obj) and constraint values (N x n_con; g may be NULL
 * when n_con = 0). */
int cet_nsga2_get_state(const cet_nsga2 *ga, uint64_t *generation, double *x, double *f, double *g);

/* Restores a state written by cet_nsga2_get_state into an optimiser made
 * with the same problem and parameters; ranks and crowding are recomputed,
 * so the run continues exactly. Errors: genes outside the genome, NaN
 * values (CET_ERR_INPUT). */
int cet_nsga2_set_state(cet_nsga2 *ga, uint64_t generation, const double *x, const double *f,
                        const double *g);

/* Writes the population's indices from best to worst into order (room for
 * N): crowded-comparison order, ties by index (pareto.h). */
int cet_nsga2_order(cet_nsga2 *ga, size_t *order);

/* Overwrites individuals slot[0..count) with the given genes, objectives
 * and constraint values (count rows each; g NULL when n_con = 0) and
 * re-ranks the population; used for migration. Slots must be distinct and
 * < N; the genes inside the genome (CET_ERR_INPUT otherwise). */
int cet_nsga2_replace(cet_nsga2 *ga, size_t count, const size_t *slot, const double *x,
                      const double *f, const double *g);

#endif /* CETWIN_NSGA2_H */
