/*
 * operators.h — the genome (real, integer and categorical genes with bounds) and the
 * genetic operators of NSGA-II: uniform sampling, simulated binary
 * crossover (SBX) and polynomial mutation (Deb & Agrawal 1995, Complex
 * Systems 9:115-148; in the bounded form of Deb's NSGA-II reference code,
 * as also used by pagmo), and binary tournament by crowded comparison.
 *
 * Integer genes. SBX and polynomial mutation act on the continuous
 * relaxation of an integer gene with bounds [l, u] over [l - 1/2, u + 1/2],
 * so that after rounding to the nearest integer every value in [l, u] owns
 * an interval of the same width (the end values are not under-sampled);
 * the result is rounded (half away from zero) and clamped to [l, u]. SBX
 * children thus stay near their parents, as SBX intends. A mutation of
 * polynomial index eta_m = 20 moves a gene by a few per cent of its range,
 * which would rarely change a small-range integer; so when a mutated
 * integer gene rounds back to its old value it is moved one step in the
 * direction the mutation drew (staying within [l, u]). This keeps the
 * distribution indices meaningful for real genes and makes every integer
 * mutation count. (Deep et al. 2009 instead truncate randomly after
 * Laplace crossover and power mutation; we keep Deb's operators so that
 * real-coded results match the reference NSGA-II.)
 *
 * Categorical genes. The values of a categorical gene (a selector's
 * outlet, a flowsheet's index) name alternatives with no order, so nearness
 * means nothing: sampling draws uniformly among l..u as for integers; SBX,
 * when it crosses the gene (same probabilities), gives the children the
 * parents' two values in random order (a uniform crossover of that gene);
 * mutation, with the same per-gene rate, replaces the value by one drawn
 * uniformly among the u - l other values, so any category is one mutation
 * away. Real and ordinal integer genes are treated as above, drawing the
 * same numbers as before categorical genes existed.
 *
 * Exact zeros. A real gene j with zero_below[j] > 0 is set to exactly 0
 * whenever an operator leaves it with |x| < zero_below[j] (its bounds must
 * contain 0). This lets, e.g., the utilisation rate of a plant switch the
 * plant off rather than run it at 1e-9. Other repairs (say, rates summing
 * to one) belong to the problem's repair callback (nsga2.h).
 *
 * The operators draw from the gsl_rng given (a keyed stream, rng.h); they
 * neither allocate nor fail, given a genome accepted by cet_genome_check
 * and parents inside it.
 */
#ifndef CETWIN_OPERATORS_H
#define CETWIN_OPERATORS_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

typedef enum {
  CET_GENE_REAL = 0,       /* any value in [lower, upper] */
  CET_GENE_INTEGER = 1,    /* integral values in [lower, upper]; bounds integral */
  CET_GENE_CATEGORICAL = 2 /* as integer, but the values name unordered alternatives */
} cet_gene_type;

typedef struct {
  size_t n;                  /* number of genes, >= 1 */
  const double *lower;       /* n finite lower bounds */
  const double *upper;       /* n finite upper bounds, >= lower (equal = fixed) */
  const cet_gene_type *type; /* n types; NULL = all real */
  const double *zero_below;  /* n thresholds >= 0 for real genes (0 = off); NULL = none */
} cet_genome;

/* Checks a genome: n >= 1, non-NULL bounds, finite lower <= upper, integral
 * bounds for integer genes, thresholds >= 0 and only where lower <= 0 <=
 * upper. CET_OK or CET_ERR_INPUT naming the gene. */
int cet_genome_check(const cet_genome *g);

/* 1 if x (n genes) lies within the genome: every gene within its bounds
 * and integer genes integral. (The zero thresholds are a rule of the
 * operators, not of membership: a repair callback may set small values.) */
int cet_genome_contains(const cet_genome *g, const double *x);

/* Draws x uniformly: real genes on [l, u], integer genes uniformly among
 * l..u; then snaps to zero as above. */
void cet_operators_sample(const cet_genome *g, gsl_rng *r, double *x);

/* SBX parameters. */
typedef struct {
  double probability;      /* probability that a pair is crossed at all */
  double gene_probability; /* then, per gene, probability of crossing it */
  double eta;              /* distribution index eta_c (larger = closer to parents) */
} cet_sbx_parameters;

/* Simulated binary crossover of parents a and b into children c1 and c2
 * (n genes each; the children may not alias the parents). With probability
 * 1 - probability the children are copies. Otherwise each gene with
 * distinct parent values (by more than 1e-14) and a free range is crossed
 * with probability gene_probability using the bounded spread factor, and
 * the two values are assigned to the children in random order. */
void cet_operators_sbx(const cet_genome *g, const cet_sbx_parameters *p, gsl_rng *r,
                       const double *a, const double *b, double *c1, double *c2);

/* Polynomial mutation in place: each gene with a free range mutates with
 * probability rate, by the bounded polynomial perturbation of index eta. */
void cet_operators_mutate(const cet_genome *g, double rate, double eta, gsl_rng *r, double *x);

/* Binary tournament by crowded comparison: the index (a or b) of lower
 * rank, then larger crowding distance; a fair coin from r decides full
 * ties (no draw otherwise). */
size_t cet_operators_tournament(const size_t *rank, const double *crowding, size_t a, size_t b,
                                gsl_rng *r);

#endif /* CETWIN_OPERATORS_H */
