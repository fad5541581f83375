/*
 * islands.c — NSGA-II islands over MPI: creation and topology, synchronous
 * migration (in memory on a rank, MPI_Sendrecv or MPI_Allgather between
 * ranks), agreed error status, and gathering the global front (islands.h).
 */
#include "moo/islands_impl.h"

#include "cetwin/error.h"
#include "cetwin/pareto.h"
#include "moo/sortidx.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_RING = 7301 }; /* message tag of ring migration */

cet_islands_parameters cet_islands_default_parameters(void) {
  cet_islands_parameters p = {
      .islands = 1,
      .migration_interval = 10,
      .migrants = 5,
      .topology = CET_TOPOLOGY_RING,
      .offset = NULL,
      .sources = NULL,
  };
  return p;
}

/* Every rank learns whether any rank failed; returns the local status, or
 * CET_ERR_RUNTIME on ranks that succeeded while another failed. */
static int agree(MPI_Comm comm, int status, const char *what) {
  int worst = status;
  if (MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS) {
    CET_CHECK(0, CET_ERR_RUNTIME, "MPI_Allreduce failed while agreeing on %s", what);
  }
  if (status != CET_OK) {
    return status;
  }
  CET_CHECK(worst == CET_OK, CET_ERR_RUNTIME, "%s failed on another rank", what);
  return CET_OK;
}

/* The local status of an allocation, for agree: CET_ERR_MEMORY with a
 * message when ok is 0. */
static int allocated(int ok, const char *what) {
  CET_CHECK(ok, CET_ERR_MEMORY, "out of memory in %s for %s", __func__, what);
  return CET_OK;
}

/* Materialises the topology as lists of sources (checked). */
static int build_topology(cet_islands *isl, const cet_islands_parameters *ip) {
  size_t I = ip->islands, total;
  switch (ip->topology) {
  case CET_TOPOLOGY_RING:
    total = I > 1 ? I : 0;
    break;
  case CET_TOPOLOGY_FULL:
    total = I * (I - 1);
    break;
  case CET_TOPOLOGY_CUSTOM:
    CET_CHECK(ip->offset != NULL && ip->sources != NULL, CET_ERR_INPUT,
              "a custom topology needs offsets and sources, found NULL");
    CET_CHECK(ip->offset[0] == 0, CET_ERR_INPUT, "custom topology: offset[0] must be 0, found %zu",
              ip->offset[0]);
    for (size_t i = 0; i < I; i++) {
      CET_CHECK(ip->offset[i + 1] >= ip->offset[i], CET_ERR_INPUT,
                "custom topology: offsets must not decrease, found %zu after %zu",
                ip->offset[i + 1], ip->offset[i]);
    }
    total = ip->offset[I];
    break;
  default:
    CET_CHECK(0, CET_ERR_INPUT, "unknown topology %d (expected ring, full or custom)",
              (int)ip->topology);
  }
  isl->offset = malloc((I + 1) * sizeof *isl->offset);
  isl->sources = malloc((total > 0 ? total : 1) * sizeof *isl->sources);
  CET_CHECK_ALLOCS(isl->offset && isl->sources);
  size_t t = 0;
  for (size_t i = 0; i < I; i++) {
    isl->offset[i] = t;
    if (ip->topology == CET_TOPOLOGY_RING && I > 1) {
      isl->sources[t++] = (i + I - 1) % I;
    } else if (ip->topology == CET_TOPOLOGY_FULL) {
      for (size_t j = 0; j < I; j++) {
        if (j != i) {
          isl->sources[t++] = j;
        }
      }
    } else if (ip->topology == CET_TOPOLOGY_CUSTOM) {
      for (size_t q = ip->offset[i]; q < ip->offset[i + 1]; q++) {
        size_t s = ip->sources[q];
        CET_CHECK(s < I && s != i, CET_ERR_INPUT,
                  "custom topology: island %zu cannot receive from island %zu (expected another "
                  "island below %zu)",
                  i, s, I);
        for (size_t r = ip->offset[i]; r < q; r++) {
          CET_CHECK(ip->sources[r] != s, CET_ERR_INPUT,
                    "custom topology: island %zu lists source %zu twice", i, s);
        }
        isl->sources[t++] = s;
      }
    }
    size_t in = t - isl->offset[i];
    isl->max_in = in > isl->max_in ? in : isl->max_in;
  }
  isl->offset[I] = t;
  return CET_OK;
}

static int check_parameters(const cet_islands_parameters *ip, int size) {
  CET_CHECK(ip->islands >= 1, CET_ERR_INPUT, "expected at least one island, found 0");
  CET_CHECK(ip->islands % (size_t)size == 0, CET_ERR_INPUT,
            "the number of islands (%zu) must be a multiple of the number of MPI ranks (%d)",
            ip->islands, size);
  CET_CHECK(ip->migration_interval >= 1, CET_ERR_INPUT,
            "the migration interval must be at least 1 generation, found 0");
  return CET_OK;
}

void cet_islands_destroy(cet_islands **isl) {
  if (!isl || !*isl) {
    return;
  }
  cet_islands *s = *isl;
  if (s->island) {
    for (size_t l = 0; l < s->L; l++) {
      cet_nsga2_destroy(&s->island[l]);
    }
  }
  free(s->island);
  free(s->offset);
  free(s->sources);
  free(s->emigrants);
  free(s->imm_x);
  free(s->imm_f);
  free(s->imm_g);
  free(s->order);
  free(s->slots);
  free(s->n_slots);
  if (s->record != MPI_DATATYPE_NULL) {
    MPI_Type_free(&s->record);
  }
  if (s->comm != MPI_COMM_NULL) {
    MPI_Comm_free(&s->comm);
  }
  free(s);
  *isl = NULL;
}

/* Everything of create that may fail locally (the caller agrees on it). */
static int build(cet_islands *s, const cet_moo_problem *problem, const cet_nsga2_parameters *par,
                 const cet_islands_parameters *ip) {
  CET_CALL(build_topology(s, ip));
  s->island = calloc(s->L, sizeof *s->island);
  CET_CHECK_ALLOC(s->island);
  for (size_t l = 0; l < s->L; l++) {
    cet_nsga2_parameters p = *par;
    p.stream = par->stream + s->first + l;
    CET_CALL(cet_nsga2_create(problem, &p, &s->island[l]));
  }
  s->N = par->population;
  s->n = problem->genome.n;
  s->m = problem->n_obj;
  s->c = problem->n_con;
  s->rec = s->n + s->m + s->c;
  CET_CHECK(s->k * s->max_in < s->N, CET_ERR_INPUT,
            "%zu migrants from each of up to %zu sources would replace the whole population of "
            "%zu (expected fewer)",
            s->k, s->max_in, s->N);
  size_t in = s->k * s->max_in;
  s->emigrants = malloc((s->I * s->k * s->rec + 1) * sizeof *s->emigrants);
  s->imm_x = malloc((in * s->n + 1) * sizeof *s->imm_x);
  s->imm_f = malloc((in * s->m + 1) * sizeof *s->imm_f);
  s->imm_g = malloc((in * s->c + 1) * sizeof *s->imm_g);
  s->order = malloc(s->N * sizeof *s->order);
  s->slots = malloc((s->L * in + 1) * sizeof *s->slots);
  s->n_slots = calloc(s->L, sizeof *s->n_slots);
  CET_CHECK_ALLOCS(s->emigrants && s->imm_x && s->imm_f && s->imm_g && s->order && s->slots &&
                   s->n_slots);
  CET_CHECK(s->rec <= INT_MAX && s->L * s->k <= INT_MAX, CET_ERR_INPUT,
            "migration messages too large for MPI counts");
  return CET_OK;
}

int cet_islands_create(MPI_Comm comm, const cet_moo_problem *problem,
                       const cet_nsga2_parameters *par, const cet_islands_parameters *ip,
                       cet_islands **isl) {
  CET_CHECK(isl != NULL, CET_ERR_INPUT, "expected a place for the islands, found NULL");
  *isl = NULL;
  CET_CHECK(problem != NULL, CET_ERR_INPUT, "expected a problem, found NULL");
  cet_nsga2_parameters nsga2_defaults = cet_nsga2_default_parameters();
  cet_islands_parameters islands_defaults = cet_islands_default_parameters();
  par = par ? par : &nsga2_defaults;
  ip = ip ? ip : &islands_defaults;
  int rank, size;
  CET_CHECK(MPI_Comm_rank(comm, &rank) == MPI_SUCCESS && MPI_Comm_size(comm, &size) == MPI_SUCCESS,
            CET_ERR_RUNTIME, "cannot query the MPI communicator");
  CET_CALL(check_parameters(ip, size));

  cet_islands *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->comm = MPI_COMM_NULL;
  s->record = MPI_DATATYPE_NULL;
  int status = CET_OK;
  CET_CHECK_GOTO(status, fail, MPI_Comm_dup(comm, &s->comm) == MPI_SUCCESS, CET_ERR_RUNTIME,
                 "MPI_Comm_dup failed");
  s->rank = rank;
  s->size = size;
  s->I = ip->islands;
  s->L = ip->islands / (size_t)size;
  s->first = (size_t)rank * s->L;
  s->topology = ip->topology;
  s->interval = ip->migration_interval;
  s->k = ip->migrants;
  s->generations = par->generations;
  CET_CALL_GOTO(status, fail, agree(s->comm, build(s, problem, par, ip), "creating the islands"));
  CET_CHECK_GOTO(status, fail,
                 MPI_Type_contiguous((int)s->rec, MPI_DOUBLE, &s->record) == MPI_SUCCESS &&
                     MPI_Type_commit(&s->record) == MPI_SUCCESS,
                 CET_ERR_RUNTIME, "cannot create the MPI record type");
  *isl = s;
  return CET_OK;
fail:
  cet_islands_destroy(&s);
  return status;
}

size_t cet_islands_count(const cet_islands *isl) { return isl->I; }
size_t cet_islands_local_count(const cet_islands *isl) { return isl->L; }
size_t cet_islands_first(const cet_islands *isl) { return isl->first; }

cet_nsga2 *cet_islands_island(cet_islands *isl, size_t local) {
  return isl && local < isl->L ? isl->island[local] : NULL;
}

int cet_islands_init(cet_islands *isl) { return cet_islands_init_seeded(isl, NULL, 0); }

/* Initialises the local islands (the status of this rank alone). */
static int init_local(cet_islands *isl, const double *x0, size_t count) {
  for (size_t l = 0; l < isl->L; l++) {
    CET_CALL(cet_nsga2_init(isl->island[l], x0, count));
  }
  return CET_OK;
}

int cet_islands_init_seeded(cet_islands *isl, const double *x0, size_t count) {
  CET_CHECK(isl != NULL, CET_ERR_INPUT, "expected islands, found NULL");
  CET_CALL(agree(isl->comm, init_local(isl, x0, count), "initialising the islands"));
  return CET_OK;
}

/* Packs the k best individuals of local island l into its block. */
static int pack_emigrants(cet_islands *isl, size_t l) {
  cet_nsga2 *ga = isl->island[l];
  CET_CALL(cet_nsga2_order(ga, isl->order));
  const double *x = cet_nsga2_x(ga), *f = cet_nsga2_f(ga), *g = cet_nsga2_g(ga);
  double *block = isl->emigrants + (isl->first + l) * isl->k * isl->rec;
  for (size_t j = 0; j < isl->k; j++) {
    size_t i = isl->order[j];
    double *r = block + j * isl->rec;
    memcpy(r, x + i * isl->n, isl->n * sizeof *r);
    memcpy(r + isl->n, f + i * isl->m, isl->m * sizeof *r);
    if (isl->c) {
      memcpy(r + isl->n + isl->m, g + i * isl->c, isl->c * sizeof *r);
    }
  }
  return CET_OK;
}

/* Moves the emigrant blocks between ranks so that every rank holds the
 * blocks its islands receive from. */
static int exchange(cet_islands *isl) {
  if (isl->size == 1) {
    return CET_OK; /* all islands are local */
  }
  size_t blk = isl->k * isl->rec;
  int rc;
  if (isl->topology == CET_TOPOLOGY_RING) {
    /* the last local island feeds the next rank's first island */
    int next = (isl->rank + 1) % isl->size, prev = (isl->rank + isl->size - 1) % isl->size;
    size_t last = isl->first + isl->L - 1, before = (isl->first + isl->I - 1) % isl->I;
    rc = MPI_Sendrecv(isl->emigrants + last * blk, (int)isl->k, isl->record, next, TAG_RING,
                      isl->emigrants + before * blk, (int)isl->k, isl->record, prev, TAG_RING,
                      isl->comm, MPI_STATUS_IGNORE);
  } else {
    rc = MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, isl->emigrants, (int)(isl->L * isl->k),
                       isl->record, isl->comm);
  }
  CET_CHECK(rc == MPI_SUCCESS, CET_ERR_RUNTIME, "migration message exchange failed (MPI error %d)",
            rc);
  return CET_OK;
}

/* Replaces the worst individuals of local island l by the emigrants of its
 * sources, in source order. */
static int receive(cet_islands *isl, size_t l) {
  size_t i = isl->first + l, count = 0;
  for (size_t q = isl->offset[i]; q < isl->offset[i + 1]; q++) {
    const double *block = isl->emigrants + isl->sources[q] * isl->k * isl->rec;
    for (size_t j = 0; j < isl->k; j++, count++) {
      const double *r = block + j * isl->rec;
      memcpy(isl->imm_x + count * isl->n, r, isl->n * sizeof *r);
      memcpy(isl->imm_f + count * isl->m, r + isl->n, isl->m * sizeof *r);
      memcpy(isl->imm_g + count * isl->c, r + isl->n + isl->m, isl->c * sizeof *r);
    }
  }
  if (count == 0) {
    return CET_OK;
  }
  cet_nsga2 *ga = isl->island[l];
  size_t *slots = isl->slots + l * isl->k * isl->max_in;
  CET_CALL(cet_nsga2_order(ga, isl->order));
  for (size_t j = 0; j < count; j++) {
    slots[j] = isl->order[isl->N - 1 - j]; /* worst first */
  }
  CET_CALL(cet_nsga2_replace(ga, count, slots, isl->imm_x, isl->imm_f, isl->c ? isl->imm_g : NULL));
  isl->n_slots[l] = count;
  return CET_OK;
}

/* Applies step to every local island, stopping at the first failure (the
 * status of this rank alone). */
static int each_local(cet_islands *isl, int (*step)(cet_islands *, size_t)) {
  for (size_t l = 0; l < isl->L; l++) {
    CET_CALL(step(isl, l));
  }
  return CET_OK;
}

static int iterate_island(cet_islands *isl, size_t l) { return cet_nsga2_iterate(isl->island[l]); }

int cet_islands_migrate(cet_islands *isl) {
  CET_CHECK(isl != NULL, CET_ERR_INPUT, "expected islands, found NULL");
  if (isl->k == 0 || isl->offset[isl->I] == 0) {
    return CET_OK; /* nothing ever migrates: same answer on every rank */
  }
  CET_CALL(agree(isl->comm, each_local(isl, pack_emigrants), "choosing emigrants"));
  CET_CALL(exchange(isl));
  CET_CALL(agree(isl->comm, each_local(isl, receive), "receiving immigrants"));
  return CET_OK;
}

int cet_islands_iterate(cet_islands *isl) {
  CET_CHECK(isl != NULL, CET_ERR_INPUT, "expected islands, found NULL");
  CET_CALL(agree(isl->comm, each_local(isl, iterate_island), "an island generation"));
  if (cet_nsga2_generation(isl->island[0]) % isl->interval == 0) {
    CET_CALL(cet_islands_migrate(isl));
  }
  return CET_OK;
}

int cet_islands_test(const cet_islands *isl, int *done) {
  CET_CHECK(isl != NULL && done != NULL, CET_ERR_INPUT, "expected islands and a flag");
  *done = cet_nsga2_generation(isl->island[0]) >= isl->generations;
  return CET_OK;
}

/* ---- gathering the front ------------------------------------------------ */

/* Record layout of the gather: genes n, objectives m, constraint values c,
 * then the total violation and the island index (as a double). */
#define RECORD_VIOLATION(stride) ((stride)-2)
#define RECORD_ISLAND(stride) ((stride)-1)

/* Positions (increasing) of the constrained front among count records of
 * `stride` doubles (genes n, objectives m, ..., violation, island): the
 * feasible non-dominated ones, or when none is feasible the least
 * violating. fbuf (count x m) and map (count) are scratch. */
static int front_rows(const double *rows, size_t count, size_t stride, size_t n, size_t m,
                      size_t *index, size_t *out, double *fbuf, size_t *map) {
  size_t nf = 0;
  for (size_t i = 0; i < count; i++) {
    const double *r = rows + i * stride;
    if (r[RECORD_VIOLATION(stride)] == 0) {
      memcpy(fbuf + nf * m, r + n, m * sizeof *fbuf);
      map[nf++] = i;
    }
  }
  if (nf > 0) {
    CET_CALL(cet_pareto_filter(NULL, fbuf, nf, m, index, out));
    for (size_t k = 0; k < *out; k++) {
      index[k] = map[index[k]];
    }
    return CET_OK;
  }
  size_t v = RECORD_VIOLATION(stride);
  double least = count > 0 ? rows[v] : 0;
  for (size_t i = 1; i < count; i++) {
    least = rows[i * stride + v] < least ? rows[i * stride + v] : least;
  }
  size_t c = 0;
  for (size_t i = 0; i < count; i++) {
    if (rows[i * stride + v] == least) {
      index[c++] = i;
    }
  }
  *out = c;
  return CET_OK;
}

/* The local candidates: this rank's islands' fronts, as records of genes,
 * objectives, constraint values, violation and island. */
static int local_candidates(cet_islands *isl, size_t stride, double **send, size_t *count) {
  size_t rows = isl->L * isl->N;
  double *all = malloc(rows * stride * sizeof *all);
  double *fbuf = malloc(rows * isl->m * sizeof *fbuf);
  size_t *index = malloc(rows * sizeof *index), *map = malloc(rows * sizeof *map);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, all && fbuf && index && map);
  for (size_t l = 0; l < isl->L; l++) {
    cet_nsga2 *ga = isl->island[l];
    const double *x = cet_nsga2_x(ga), *f = cet_nsga2_f(ga), *g = cet_nsga2_g(ga);
    const double *cv = cet_nsga2_violation(ga);
    for (size_t i = 0; i < isl->N; i++) {
      double *r = all + (l * isl->N + i) * stride;
      memcpy(r, x + i * isl->n, isl->n * sizeof *r);
      memcpy(r + isl->n, f + i * isl->m, isl->m * sizeof *r);
      if (isl->c) {
        memcpy(r + isl->n + isl->m, g + i * isl->c, isl->c * sizeof *r);
      }
      r[RECORD_VIOLATION(stride)] = cv[i];
      r[RECORD_ISLAND(stride)] = (double)(isl->first + l);
    }
  }
  size_t c;
  CET_CALL_GOTO(status, done, front_rows(all, rows, stride, isl->n, isl->m, index, &c, fbuf, map));
  for (size_t k = 0; k < c; k++) {
    memmove(all + k * stride, all + index[k] * stride, stride * sizeof *all);
  }
  *send = all;
  *count = c;
  all = NULL;
done:
  free(all);
  free(fbuf);
  free(index);
  free(map);
  return status;
}

/* Checks that every local island has a population and collects the local
 * candidates (the status of this rank alone). */
static int front_candidates(cet_islands *isl, size_t stride, double **send, size_t *count) {
  for (size_t l = 0; l < isl->L; l++) {
    CET_CHECK(cet_nsga2_evaluations(isl->island[l]) > 0, CET_ERR_INPUT,
              "island %zu has no population yet: initialise the islands first", isl->first + l);
  }
  CET_CALL(local_candidates(isl, stride, send, count));
  CET_CHECK(*count <= INT_MAX, CET_ERR_RUNTIME, "%zu front candidates exceed an MPI count", *count);
  return CET_OK;
}

/* 1 if records a and b agree in everything but the island. */
static int same_individual(const double *rows, size_t stride, size_t a, size_t b) {
  const double *ra = rows + a * stride, *rb = rows + b * stride;
  for (size_t j = 0; j < RECORD_ISLAND(stride); j++) {
    if (ra[j] != rb[j]) {
      return 0;
    }
  }
  return 1;
}

/* On root: the global front of the gathered records, without exact copies,
 * unpacked into newly allocated arrays (island: NULL or room for total). */
static int global_front(cet_islands *isl, const double *rows, size_t total, size_t stride,
                        size_t *count, double **x, double **f, double **g, size_t *island) {
  size_t alloc = total > 0 ? total : 1;
  double *fbuf = malloc(alloc * isl->m * sizeof *fbuf);
  size_t *index = malloc(alloc * sizeof *index), *map = malloc(alloc * sizeof *map);
  size_t *idx = malloc(alloc * sizeof *idx), *tmp = malloc(alloc * sizeof *tmp);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, fbuf && index && map && idx && tmp);
  size_t c = 0;
  if (total > 0) {
    CET_CALL_GOTO(status, done,
                  front_rows(rows, total, stride, isl->n, isl->m, index, &c, fbuf, map));
  }
  /* copies are adjacent in lexicographic order of whole records, the one
   * from the lowest island first (the island is the last key); the stable
   * sort keeps copies within an island in population order */
  const cet_rows records = {rows, stride, index, 0};
  for (size_t k = 0; k < c; k++) {
    idx[k] = k;
    map[k] = 0;
  }
  cet_sortidx_lex(idx, c, tmp, &records);
  for (size_t t = 1; t < c; t++) {
    map[idx[t]] = same_individual(rows, stride, index[idx[t - 1]], index[idx[t]]);
  }
  size_t kept = 0;
  for (size_t k = 0; k < c; k++) {
    kept += !map[k];
  }
  *x = malloc((kept * isl->n + 1) * sizeof **x);
  *f = malloc((kept * isl->m + 1) * sizeof **f);
  *g = isl->c ? malloc(kept * isl->c * sizeof **g + 1) : NULL;
  CET_CHECK_ALLOC_GOTO(status, done, *x && *f && (*g || !isl->c));
  size_t o = 0;
  for (size_t k = 0; k < c; k++) {
    if (map[k]) {
      continue;
    }
    const double *r = rows + index[k] * stride;
    memcpy(*x + o * isl->n, r, isl->n * sizeof *r);
    memcpy(*f + o * isl->m, r + isl->n, isl->m * sizeof *r);
    if (isl->c) {
      memcpy(*g + o * isl->c, r + isl->n + isl->m, isl->c * sizeof *r);
    }
    if (island) {
      island[o] = (size_t)r[RECORD_ISLAND(stride)];
    }
    o++;
  }
  *count = kept;
done:
  if (status != CET_OK) {
    free(*x);
    free(*f);
    free(*g);
    *x = *f = *g = NULL;
  }
  free(fbuf);
  free(index);
  free(map);
  free(idx);
  free(tmp);
  return status;
}

int cet_islands_gather_front(cet_islands *isl, int root, size_t *count, double **x, double **f,
                             double **g) {
  return cet_islands_gather_front_origin(isl, root, count, x, f, g, NULL);
}

int cet_islands_gather_front_origin(cet_islands *isl, int root, size_t *count, double **x,
                                    double **f, double **g, size_t **island) {
  CET_CHECK(isl != NULL && count != NULL && x != NULL && f != NULL, CET_ERR_INPUT,
            "expected islands and places for the count, genes and objectives");
  CET_CHECK(g != NULL || isl->c == 0, CET_ERR_INPUT,
            "expected a place for the constraint values, found NULL");
  CET_CHECK(root >= 0 && root < isl->size, CET_ERR_INPUT,
            "the root rank must lie in [0, %d), found %d", isl->size, root);
  double *gdummy = NULL;
  g = g ? g : &gdummy;
  *count = 0;
  *x = *f = *g = NULL;
  if (island) {
    *island = NULL;
  }
  size_t stride = isl->rec + 2, local = 0;
  double *send = NULL, *recv = NULL;
  int *counts = NULL, *displs = NULL;
  MPI_Datatype type = MPI_DATATYPE_NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                agree(isl->comm, front_candidates(isl, stride, &send, &local),
                      "collecting front candidates"));
  size_t total = local;
  const double *rows = send;
  if (isl->size > 1) {
    int n = (int)local, rc;
    if (isl->rank == root) {
      counts = malloc((size_t)isl->size * sizeof *counts);
      displs = malloc((size_t)isl->size * sizeof *displs);
    }
    int ok = isl->rank != root || (counts && displs);
    CET_CALL_GOTO(status, done,
                  agree(isl->comm, allocated(ok, "the gather"), "allocating the gather"));
    CET_CHECK_GOTO(status, done,
                   MPI_Type_contiguous((int)stride, MPI_DOUBLE, &type) == MPI_SUCCESS &&
                       MPI_Type_commit(&type) == MPI_SUCCESS,
                   CET_ERR_RUNTIME, "cannot create the MPI record type");
    rc = MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, root, isl->comm);
    CET_CHECK_GOTO(status, done, rc == MPI_SUCCESS, CET_ERR_RUNTIME, "MPI_Gather failed");
    total = 0;
    if (isl->rank == root) {
      for (int r = 0; r < isl->size; r++) {
        displs[r] = (int)total;
        total += (size_t)counts[r];
      }
      recv = malloc((total * stride + 1) * sizeof *recv);
    }
    ok = isl->rank != root || (recv && total <= INT_MAX);
    CET_CALL_GOTO(status, done,
                  agree(isl->comm, allocated(ok, "the gather"), "allocating the gather"));
    rc = MPI_Gatherv(send, n, type, recv, counts, displs, type, root, isl->comm);
    CET_CHECK_GOTO(status, done, rc == MPI_SUCCESS, CET_ERR_RUNTIME, "MPI_Gatherv failed");
    rows = recv;
  }
  int result = CET_OK;
  if (isl->rank == root) {
    size_t *origin = island ? malloc((total + 1) * sizeof *origin) : NULL;
    result = allocated(!island || origin, "the islands of the front");
    if (result == CET_OK) {
      result = global_front(isl, rows, total, stride, count, x, f, g, origin);
    }
    if (island && result == CET_OK) {
      *island = origin;
    } else {
      free(origin);
    }
  }
  CET_CALL_GOTO(status, done, agree(isl->comm, result, "filtering the gathered front"));
done:
  if (type != MPI_DATATYPE_NULL) {
    MPI_Type_free(&type);
  }
  free(send);
  free(recv);
  free(counts);
  free(displs);
  return status;
}

int cet_islands_sources(const cet_islands *isl, size_t island, const size_t **sources,
                        size_t *count) {
  CET_CHECK(isl != NULL && sources != NULL && count != NULL, CET_ERR_INPUT,
            "expected islands and places for the sources and their count");
  CET_CHECK(island < isl->I, CET_ERR_INPUT, "island %zu does not exist (%zu islands)", island,
            isl->I);
  *sources = isl->sources + isl->offset[island];
  *count = isl->offset[island + 1] - isl->offset[island];
  return CET_OK;
}

int cet_islands_immigrant_slots(const cet_islands *isl, size_t local, const size_t **slots,
                                size_t *count) {
  CET_CHECK(isl != NULL && slots != NULL && count != NULL, CET_ERR_INPUT,
            "expected islands and places for the slots and their count");
  CET_CHECK(local < isl->L, CET_ERR_INPUT, "local island %zu does not exist (%zu on this rank)",
            local, isl->L);
  *slots = isl->slots + local * isl->k * isl->max_in;
  *count = isl->n_slots[local];
  return CET_OK;
}
