/*
 * sobol_indices.h — variance-based sensitivity indices (Sobol' indices)
 * estimated from the Saltelli design: the design, an exactly mergeable
 * accumulator of the estimator sums with keyed bootstrap replicates, and
 * the estimates with confidence intervals.
 *
 * Factors and groups. A point of the model has k unit-cube coordinates
 * (factors; the caller maps them through inverse CDFs or ranges). They are
 * split into g groups (a group of one factor is the factor itself); all
 * coordinates of a group move together and the indices are those of the
 * groups. A group may hold no coordinate at all: a factor that is not a
 * number of the unit cube but, e.g., a whole random price path keyed by a
 * draw index. The design then says, row by row, whether such a group takes
 * its A or its B draw (cet_sobol_design_takes_b); the caller picks the
 * draw, e.g. index 2 j for A_j and 2 j + 1 for B_j.
 *
 * Design (Saltelli 2002; Saltelli et al. 2010; the layout of SALib's
 * saltelli/sobol sampler). Base row j = 0 .. N-1 is point j of a scrambled
 * Sobol' sequence of 2k dimensions (sobolseq.h, keyed by the seed): its
 * first k coordinates are A_j, its last k B_j. The base row expands into
 * the model points, in this order:
 *   A_j, AB_j^1 .. AB_j^g, [BA_j^1 .. BA_j^g,] B_j
 * where AB_j^i is A_j with the coordinates of group i taken from B_j, and
 * BA_j^i (second order only) is B_j with those of group i taken from A_j:
 * g + 2 points per base row, or 2g + 2 with second order. N should be a
 * power of two (the Sobol' points then balance); the library accepts any N
 * from 1 to 2^32 - 1.
 *
 * Estimators, for each output f (Saltelli et al. 2010, Comput. Phys.
 * Commun. 181:259-270, their table 2 b and f; Jansen 1999, Comput. Phys.
 * Commun. 117:35-43; Saltelli 2002, Comput. Phys. Commun. 145:280-297,
 * second order as SALib computes it), sums over the N base rows:
 *   m   = mean of the 2N outputs f(A_j), f(B_j)
 *   V   = (1/2N) sum (f(A_j)^2 + f(B_j)^2) - m^2   (their population variance)
 *   S_i = (1/N) sum (f(B_j) - m) (f(AB_j^i) - f(A_j)) / V            first order
 *   ST_i = (1/2N) sum (f(A_j) - f(AB_j^i))^2 / V                     total (Jansen)
 *   S_ij = (1/N) sum [(f(BA_j^i) - m)(f(AB_j^j') - m) - (f(A_j) - m)(f(B_j) - m)] / V
 *          - S_i - S_j'                                   second order, i < j'
 * The outputs are centred by m: the same expectations as the uncentred
 * formulas (SALib's), whose variance grows with m^2 / V and ruins outputs
 * such as a plant's production, large against their spread. The centring
 * is applied to the exact sums at the end (sum f(B)(f(AB) - f(A)) - m sum
 * (f(AB) - f(A))), so the rows are summed exactly as they come. Negative
 * estimates are not clipped. An output of zero variance gives NaN indices.
 *
 * Confidence intervals (as SALib): R bootstrap replicates resample the N
 * base rows with replacement (bootstrap.h, keyed by (seed,
 * cet_rng_purpose("sobol.bootstrap"), replicate, block)); each replicate
 * gives its own estimates; the interval is estimate +- z sd, sd the sample
 * standard deviation of the R replicate estimates and z the standard
 * normal quantile at (1 + level) / 2. The functions give the half-width z
 * sd.
 *
 * Exact, order-independent merging. Base rows are fed in blocks of B
 * consecutive rows (block b = base rows [b B, min((b + 1) B, N))). The
 * point-estimate sums are added row by row exactly (cet_xsum, stats.h);
 * each bootstrap replicate's sums of a block are computed in double, rows
 * in order, with the multinomial counts of the block, and each block total
 * is added exactly. Accumulators of any sets of blocks (MPI ranks, threads,
 * shards of a Slurm array, restarts) then merge in any order into the same
 * bits as one run over all blocks. The result depends on B (part of the
 * plan), not on how the blocks are spread. A block can be added only once;
 * estimates from a subset of the blocks (a run stopped early) are valid
 * estimates from those rows.
 *
 * Cost. Per base row and output the point-estimate sums take T exact
 * additions and each replicate T multiply-adds (in vector registers), T =
 * 2 + 3g, or 2 + 4g + g(g - 1)/2 with second order; the replicates are the
 * larger part (docs/performance.md: for g = 10 and R = 100 about 0.2 us per
 * base row without them, 0.8 us with them, for one output). Only the first
 * bootstrap_outputs outputs get replicates (and intervals) when the
 * parameters say so: e.g. intervals on the NPV, point estimates of the
 * rest.
 *
 * Memory of an accumulator: (1 + T x outputs) + R x (1 + T x
 * bootstrap_outputs) exact sums of sizeof(cet_xsum) = 584 bytes; plus a
 * header and one bit per block. E.g. g = 10, R = 100, 5 outputs all with
 * replicates: 101 x 161 x 584 B = 9.5 MB; with replicates of 1 output: 1.9
 * MB.
 *
 * Thread safety: a design is read-only after creation (any number of
 * threads may fill rows); a block workspace and an accumulator belong to
 * one thread at a time (give each thread its own block workspace and
 * either its own accumulator or a lock around cet_sobol_sums_add).
 */
#ifndef CETWIN_SOBOL_INDICES_H
#define CETWIN_SOBOL_INDICES_H

#include <stddef.h>
#include <stdint.h>

/* Defaults of cet_sobol_default_parameters. */
enum {
  CET_SOBOL_DEFAULT_BASE_ROWS = 1024, /* N */
  CET_SOBOL_DEFAULT_BLOCK = 256,      /* base rows per block */
  CET_SOBOL_DEFAULT_REPLICATES = 100  /* bootstrap replicates, SALib's default */
};

/* Confidence level of the intervals when none is given (SALib's). */
#define CET_SOBOL_DEFAULT_LEVEL 0.95

/* The plan of an analysis (plain value; group_of is copied by
 * cet_sobol_design_create). */
typedef struct {
  size_t factors;           /* k: unit-cube coordinates of a model point (may be 0) */
  size_t groups;            /* g; 0 = one group per factor (g = k) */
  const size_t *group_of;   /* group (0 .. g-1) of each factor, or NULL: factor i is group i */
  int second_order;         /* also the BA rows and the indices S_ij */
  uint64_t seed;            /* scramble of the design and the bootstrap */
  uint64_t base_rows;       /* N, 1 .. 2^32 - 1 */
  uint64_t block;           /* B, base rows per block, >= 1 */
  size_t replicates;        /* R, bootstrap replicates (0 = no intervals) */
  size_t bootstrap_outputs; /* replicates of outputs 0 .. n-1 only (0 = of every output) */
} cet_sobol_parameters;

/* No factors, no groups, first order only, seed 0, N, B and R at their
 * defaults, replicates of every output. */
cet_sobol_parameters cet_sobol_default_parameters(void);

/* ---- design ------------------------------------------------------------ */

/* The kinds of rows of a base row. */
typedef enum {
  CET_SOBOL_ROW_A = 0, /* A_j */
  CET_SOBOL_ROW_AB,    /* AB_j^i: A_j with group i from B_j */
  CET_SOBOL_ROW_BA,    /* BA_j^i: B_j with group i from A_j */
  CET_SOBOL_ROW_B      /* B_j */
} cet_sobol_row_kind;

/* A design (opaque). */
typedef struct cet_sobol_design cet_sobol_design;

/* Validates p and prepares the design. CET_ERR_INPUT naming what is wrong:
 * no group, a factor's group out of range, group_of NULL with 0 < g < k,
 * 2k above CET_SOBOLSEQ_MAX_DIMS, N or B out of range. CET_ERR_MEMORY. */
int cet_sobol_design_create(cet_sobol_design **d, const cet_sobol_parameters *p);

/* Frees d (NULL allowed) and sets *d to NULL. */
void cet_sobol_design_destroy(cet_sobol_design **d);

/* The parameters of d (group_of points into d). */
const cet_sobol_parameters *cet_sobol_design_parameters(const cet_sobol_design *d);

/* Number of groups g. */
size_t cet_sobol_design_groups(const cet_sobol_design *d);

/* Model points (rows) per base row: g + 2, or 2g + 2 with second order. */
size_t cet_sobol_design_rows(const cet_sobol_design *d);

/* Kind of row `row` (0 .. rows - 1) of a base row; *group (if not NULL)
 * the group of an AB or BA row, else 0. */
cet_sobol_row_kind cet_sobol_design_row_kind(const cet_sobol_design *d, size_t row, size_t *group);

/* 1 when, in row `row` of a base row, group `group` takes the values of
 * B_j, 0 when it takes those of A_j. */
int cet_sobol_design_takes_b(const cet_sobol_design *d, size_t row, size_t group);

/* The unit-cube points A_j and B_j of base row j into a[0 .. k-1] and
 * b[0 .. k-1], each coordinate in (0, 1). CET_ERR_INPUT when j >= N.
 * Allocation-free, thread-safe. */
int cet_sobol_design_base(const cet_sobol_design *d, uint64_t j, double *a, double *b);

/* Row `row` of a base row, assembled from the values a and b of A_j and
 * B_j (unit-cube coordinates, or the values they map to: the row takes each
 * factor's value from a or b as its group says): x[f] = a[f] or b[f].
 * Allocation-free, thread-safe. */
void cet_sobol_design_assemble(const cet_sobol_design *d, size_t row, const double *a,
                               const double *b, double *x);

/* Every row of base row j: x[row * k + f] for row < rows, f < k.
 * CET_ERR_INPUT when j >= N. Allocation-free, thread-safe. */
int cet_sobol_design_fill(const cet_sobol_design *d, uint64_t j, double *x);

/* ---- accumulator --------------------------------------------------------- */

/* Sums of an analysis (opaque; a contiguous byte image, see pack). */
typedef struct cet_sobol_sums cet_sobol_sums;

/* The contribution of one block, computed by one thread (opaque). */
typedef struct cet_sobol_block cet_sobol_block;

/* An empty accumulator of `outputs` outputs (>= 1) for design d (which
 * must outlive it). CET_ERR_INPUT, CET_ERR_MEMORY. */
int cet_sobol_sums_create(cet_sobol_sums **s, const cet_sobol_design *d, size_t outputs);

/* Frees s (NULL allowed) and sets *s to NULL. */
void cet_sobol_sums_destroy(cet_sobol_sums **s);

/* A block workspace for accumulators of design d (which must outlive it)
 * with `outputs` outputs: B x (1 + T x outputs) doubles of row terms, R x
 * (1 + T x outputs) doubles of replicate sums, (1 + T x outputs) exact
 * sums, B counts, and the number of draws of every replicate in every
 * block (R x ceil(N / B) 32-bit counts, drawn here: R ceil(N / B) binomial
 * draws, e.g. 25600 and about 5 ms for N = 2^16, B = 256, R = 100).
 * CET_ERR_INPUT, CET_ERR_MEMORY. */
int cet_sobol_block_create(cet_sobol_block **blk, const cet_sobol_design *d, size_t outputs);

/* Frees blk (NULL allowed) and sets *blk to NULL. */
void cet_sobol_block_destroy(cet_sobol_block **blk);

/* Computes the contribution of block b from the outputs of its model
 * points: y[((j - b B) rows + row) outputs + o] is output o of row `row`
 * of base row j, for the base rows j of the block in order. CET_ERR_INPUT
 * when b is beyond the last block or an output (or a product of two) is
 * not finite (the message names the base row, row kind and output).
 * Allocation-free. */
int cet_sobol_block_compute(cet_sobol_block *blk, uint64_t b, const double *y);

/* Adds the block computed in blk to s, exactly. CET_ERR_INPUT when s
 * already holds that block, or blk was not computed or belongs to another
 * plan. Allocation-free. */
int cet_sobol_sums_add(cet_sobol_sums *s, const cet_sobol_block *blk);

/* cet_sobol_block_compute then cet_sobol_sums_add. */
int cet_sobol_sums_add_block(cet_sobol_sums *s, cet_sobol_block *blk, uint64_t b, const double *y);

/* Adds other (same design and outputs) into s, exactly: the same bits
 * whatever the order of merges. CET_ERR_INPUT when the plans differ or a
 * block is in both. */
int cet_sobol_sums_merge(cet_sobol_sums *s, const cet_sobol_sums *other);

/* The accumulator as bytes (header, block bits, exact sums), in canonical
 * form: accumulators holding the same blocks have identical bytes. The
 * pointer stays valid until s changes or is destroyed. For sending over
 * MPI, storing in a checkpoint or a shard file; cet_sobol_sums_merge_bytes
 * reads it back (on a machine of the same byte order). */
int cet_sobol_sums_pack(cet_sobol_sums *s, const void **bytes, size_t *size);

/* Adds the accumulator packed in bytes (size bytes) into s: into an empty
 * s this is the unpacking. CET_ERR_INPUT when the bytes are not an
 * accumulator of the same plan and outputs (the message says what
 * differs) or a block is in both. */
int cet_sobol_sums_merge_bytes(cet_sobol_sums *s, const void *bytes, size_t size);

/* The accumulator as compact bytes for a file: the header and block bits,
 * then of each exact sum only its significant digits (its top digit, the
 * first significant digit and their count, then those 32-bit digits), a
 * twentieth of the bytes of cet_sobol_sums_pack for sums of a few orders of
 * magnitude. *out is reallocated to hold them. */
int cet_sobol_sums_pack_compact(cet_sobol_sums *s, unsigned char **out, size_t *size);

/* Adds the accumulator packed by cet_sobol_sums_pack_compact into s (as
 * cet_sobol_sums_merge_bytes); CET_ERR_INPUT also for digits out of their
 * range or bytes that end early or run over. */
int cet_sobol_sums_merge_compact(cet_sobol_sums *s, const void *bytes, size_t size);

/* Number of blocks held, and whether block b is held. */
uint64_t cet_sobol_sums_blocks(const cet_sobol_sums *s);
int cet_sobol_sums_has_block(const cet_sobol_sums *s, uint64_t b);

/* Number of base rows held. */
uint64_t cet_sobol_sums_base_rows(const cet_sobol_sums *s);

/* ---- estimates ------------------------------------------------------------ */

/* The indices of output o into the arrays given (any may be NULL):
 * first[i], total[i] for the g groups; second[i g + j] for i < j (the other
 * entries NaN), which needs a second-order design (CET_ERR_INPUT
 * otherwise); and the half-widths *_conf of their intervals at level
 * (0 < level < 1; CET_ERR_INPUT otherwise), NaN without replicates (fewer
 * than 2, or an output beyond bootstrap_outputs). NaN everywhere when no
 * row is held or the output's variance is 0. */
int cet_sobol_sums_indices(const cet_sobol_sums *s, size_t o, double level, double *first,
                           double *first_conf, double *total, double *total_conf, double *second,
                           double *second_conf);

/* Mean m and variance V of output o over the A and B rows held (NaN when
 * none). */
int cet_sobol_sums_moments(const cet_sobol_sums *s, size_t o, double *mean, double *variance);

#endif /* CETWIN_SOBOL_INDICES_H */
