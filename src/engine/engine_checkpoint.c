/*
 * engine_checkpoint.c — checkpoints of the sampling engine (engine.h): at
 * a round boundary every rank's state — the pass (the first over the
 * points, or a selection pass), the exact moments of each recorded value
 * and, with quantiles, its selection's state and this rank's part of the
 * pass (select.h), the undefined counts, the rows kept and the block
 * accumulator — is packed into 8-byte words, sent to rank 0 and written to
 * one checkpoint file (checkpoint.h, replaced atomically), with the round
 * of the pass to continue from, the stopping rule's running moments and
 * the caller's fingerprint of the plan and the problem. Restoring reads the file on rank 0, checks
 * the fingerprint and the rank count, and sends each rank its part back; the rounds then go on
 * where they stopped. Every point's inputs depend on its index alone and every statistic is exact,
 * so a restarted run ends with the bits of an uninterrupted one.
 *
 * A rank's state is tied to the blocks it computed (block b on rank b mod
 * P), so a checkpoint continues on the rank count that wrote it.
 */
#include "engine_impl.h"

#include "cetwin/array.h"
#include "cetwin/checkpoint.h"
#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Version of the packed state; words of one packed moments record. */
enum {
  PACK_VERSION = 2,
  MOMENT_WORDS = (sizeof(cet_stats_moments) + 7) / 8,
  PATH_LEN = 64,
  CHUNK_WORDS = 1 << 27 /* 1 GiB per message */
};

static const char *const ROOT = "/engine";

/* ---- packing one rank's state into words ---- */

typedef struct {
  uint64_t *w;
  size_t n, cap;
} words;

static int grow(words *b, size_t more) {
  CET_CHECK(more <= SIZE_MAX - b->n, CET_ERR_MEMORY, "a checkpoint of %zu words cannot grow by %zu",
            b->n, more);
  return cet_array_grow(&b->w, &b->cap, b->n + more, sizeof *b->w);
}

static int put(words *b, const void *data, size_t bytes) {
  size_t n = (bytes + 7) / 8;
  if (n == 0) {
    return CET_OK;
  }
  CET_CALL(grow(b, n));
  b->w[b->n + n - 1] = 0;
  memcpy(b->w + b->n, data, bytes);
  b->n += n;
  return CET_OK;
}

static int put_word(words *b, uint64_t x) { return put(b, &x, sizeof x); }

/* Puts bytes preceded by their size. */
static int put_sized(words *b, const void *data, size_t bytes) {
  CET_CALL(put_word(b, bytes));
  return put(b, data, bytes);
}

/* This rank's state. */
static int pack(cet_engine_run *r, words *b) {
  const cet_engine_problem *p = r->p;
  CET_CALL(put_word(b, PACK_VERSION));
  CET_CALL(put_word(b, r->nv));
  CET_CALL(put_word(b, r->rows));
  CET_CALL(put_word(b, (uint64_t)r->pass));
  CET_CALL(put_word(b, (uint64_t)(r->last_block + 1)));
  CET_CALL(put_word(b, (uint64_t)r->stopped));
  const void *acc = NULL;
  size_t acc_size = 0;
  if (r->acc) {
    CET_CALL(p->acc_pack(r->acc, &acc, &acc_size));
  }
  CET_CALL(put_word(b, acc_size));
  for (size_t k = 0; k < r->nv; k++) {
    cet_stats_moments m;
    cet_stats_get_moments(r->total[k], &m);
    CET_CALL(put(b, &m, sizeof m));
    CET_CALL(put_word(b, r->total_undef[k]));
    if (r->sel) {
      const void *bytes = NULL;
      size_t size = 0;
      cet_select_state(r->sel[k], &bytes, &size);
      CET_CALL(put_sized(b, bytes, size));
      CET_CALL(cet_select_acc_pack(r->sel_acc[k], &bytes, &size));
      CET_CALL(put_sized(b, bytes, size));
    }
  }
  if (r->s.keep_rows) {
    CET_CALL(put(b, r->row_points, r->rows * sizeof *r->row_points));
    CET_CALL(put(b, r->row_values, r->rows * r->nv * sizeof *r->row_values));
    for (size_t i = 0; i < p->n_extras; i++) {
      CET_CALL(put(b, r->row_extras[i], r->rows * p->extra_width[i] * sizeof(double)));
    }
  }
  CET_CALL(put(b, acc, acc_size));
  if (r->running) {
    cet_stats_moments m;
    cet_stats_get_moments(r->running, &m);
    CET_CALL(put(b, &m, sizeof m));
  }
  return CET_OK;
}

/* A cursor over packed words; every read checks what is left. */
typedef struct {
  const uint64_t *w;
  size_t n, at;
  const char *where;
} cursor;

static int take(cursor *c, void *data, size_t bytes) {
  size_t n = (bytes + 7) / 8;
  CET_CHECK(n <= c->n - c->at, CET_ERR_INPUT,
            "%s: the state ends early (%zu words, %zu more wanted)", c->where, c->n,
            c->at + n - c->n);
  memcpy(data, c->w + c->at, bytes);
  c->at += n;
  return CET_OK;
}

static int take_word(cursor *c, uint64_t *x) { return take(c, x, sizeof *x); }

static int expect_word(cursor *c, uint64_t want, const char *what) {
  uint64_t x = 0;
  CET_CALL(take_word(c, &x));
  CET_CHECK(x == want, CET_ERR_INPUT, "%s: expected %llu %s, found %llu", c->where,
            (unsigned long long)want, what, (unsigned long long)x);
  return CET_OK;
}

/* Takes bytes preceded by their size: *data points into the words. */
static int take_sized(cursor *c, const void **data, size_t *bytes) {
  uint64_t size = 0;
  CET_CALL(take_word(c, &size));
  CET_CHECK(size <= 8 * (c->n - c->at), CET_ERR_INPUT, "%s: %llu bytes wanted, %zu words left",
            c->where, (unsigned long long)size, c->n - c->at);
  *data = c->w + c->at;
  *bytes = (size_t)size;
  c->at += (size_t)((size + 7) / 8);
  return CET_OK;
}

/* Value k's selection and this rank's part of its pass. */
static int unpack_selection(cet_engine_run *r, size_t k, cursor *c) {
  const void *bytes = NULL;
  size_t size = 0;
  CET_CALL(take_sized(c, &bytes, &size));
  int status = cet_select_set_state(r->sel[k], bytes, size);
  CET_CHECK(status == CET_OK, status, "%s: value %zu", c->where, k);
  cet_select_acc_destroy(&r->sel_acc[k]);
  CET_CALL(cet_select_acc_create(r->sel[k], &r->sel_acc[k]));
  CET_CALL(take_sized(c, &bytes, &size));
  status = cet_select_acc_merge_bytes(r->sel_acc[k], bytes, size);
  CET_CHECK(status == CET_OK, status, "%s: value %zu", c->where, k);
  return CET_OK;
}

/* The inverse of pack, into a run set up for the same plan. */
static int unpack(cet_engine_run *r, cursor *c) {
  const cet_engine_problem *p = r->p;
  uint64_t rows = 0, acc_size = 0, pass = 0, last = 0, stopped = 0;
  CET_CALL(expect_word(c, PACK_VERSION, "as the version of the packed state"));
  CET_CALL(expect_word(c, r->nv, "values per point"));
  CET_CALL(take_word(c, &rows));
  CET_CALL(take_word(c, &pass));
  CET_CALL(take_word(c, &last));
  CET_CALL(take_word(c, &stopped));
  CET_CHECK(pass >= 1 && pass <= INT_MAX && (pass == 1 || r->sel) && last <= r->nb &&
                stopped <= 1 && (pass == 1 || last >= 1),
            CET_ERR_INPUT, "%s: pass %llu, %llu blocks kept, stopped %llu do not fit the plan",
            c->where, (unsigned long long)pass, (unsigned long long)last,
            (unsigned long long)stopped);
  r->pass = (int)pass;
  r->last_block = (long)last - 1;
  r->stopped = (int)stopped;
  r->pass_blocks = pass > 1 ? last : r->nb;
  CET_CALL(take_word(c, &acc_size));
  CET_CHECK((acc_size > 0) == (r->acc != NULL) && acc_size <= 8 * (c->n - c->at), CET_ERR_INPUT,
            "%s: an accumulator of %llu bytes%s", c->where, (unsigned long long)acc_size,
            r->acc ? "" : " in a run without one");
  CET_CHECK(!r->s.keep_rows || rows <= r->rows_cap, CET_ERR_INPUT,
            "%s: %llu rows, more than this rank computes (%zu)", c->where, (unsigned long long)rows,
            r->rows_cap);
  for (size_t k = 0; k < r->nv; k++) {
    cet_stats_moments m;
    CET_CALL(take(c, &m, sizeof m));
    CET_CALL(take_word(c, &r->total_undef[k]));
    CET_CALL(cet_stats_add_moments(r->total[k], &m));
    if (r->sel) {
      CET_CALL(unpack_selection(r, k, c));
    }
  }
  r->rows = (size_t)rows;
  if (r->s.keep_rows) {
    CET_CALL(take(c, r->row_points, r->rows * sizeof *r->row_points));
    CET_CALL(take(c, r->row_values, r->rows * r->nv * sizeof *r->row_values));
    for (size_t i = 0; i < p->n_extras; i++) {
      CET_CALL(take(c, r->row_extras[i], r->rows * p->extra_width[i] * sizeof(double)));
    }
  }
  if (r->acc) {
    CET_CALL(p->acc_merge_bytes(p->model, r->acc, c->w + c->at, (size_t)acc_size));
    c->at += (size_t)((acc_size + 7) / 8);
  }
  if (r->running) {
    cet_stats_moments m;
    CET_CALL(take(c, &m, sizeof m));
    cet_stats_reset(r->running);
    CET_CALL(cet_stats_add_moments(r->running, &m));
  }
  CET_CHECK(c->at == c->n, CET_ERR_INPUT, "%s: %zu words left over", c->where, c->n - c->at);
  return CET_OK;
}

/* ---- moving states between rank 0 and the others ---- */

/* Sends n words to rank `to` if it says it has room for them. */
static void send_words(const uint64_t *w, uint64_t n, int to, MPI_Comm comm) {
  int ready = 0;
  MPI_Send(&n, 1, MPI_UINT64_T, to, 20, comm);
  MPI_Recv(&ready, 1, MPI_INT, to, 21, comm, MPI_STATUS_IGNORE);
  for (uint64_t at = 0; ready && at < n; at += CHUNK_WORDS) {
    uint64_t k = n - at < CHUNK_WORDS ? n - at : CHUNK_WORDS;
    MPI_Send(w + at, (int)k, MPI_UINT64_T, to, 22, comm);
  }
}

/* Receives the words send_words sends into *out (grown as needed); when
 * they do not fit, says so and they are not sent. */
static int recv_words(int from, MPI_Comm comm, words *out) {
  uint64_t n = 0;
  MPI_Recv(&n, 1, MPI_UINT64_T, from, 20, comm, MPI_STATUS_IGNORE);
  out->n = 0;
  int ready = n < SIZE_MAX / 8 && grow(out, (size_t)n) == CET_OK;
  MPI_Send(&ready, 1, MPI_INT, from, 21, comm);
  CET_CHECK(ready, CET_ERR_MEMORY, "out of memory in %s for a state of %llu words from rank %d",
            __func__, (unsigned long long)n, from);
  for (uint64_t at = 0; at < n; at += CHUNK_WORDS) {
    uint64_t k = n - at < CHUNK_WORDS ? n - at : CHUNK_WORDS;
    MPI_Recv(out->w + at, (int)k, MPI_UINT64_T, from, 22, comm, MPI_STATUS_IGNORE);
  }
  out->n = (size_t)n;
  return CET_OK;
}

/* ---- the file ---- */

static int write_rank(cet_result *f, int j, const words *b) {
  char path[PATH_LEN];
  snprintf(path, sizeof path, "%s/rank%d", ROOT, j);
  size_t dims[1] = {b->n};
  CET_CALL(cet_result_write_ints(f, path, 1, dims, (const long long *)b->w, NULL));
  return CET_OK;
}

/* Rank 0: opens the file and writes the run's attributes. */
static int open_file(const cet_engine_run *r, uint64_t next_round, cet_result **out) {
  CET_CALL(cet_checkpoint_create(r->s.checkpoint, r->s.kind, out));
  cet_result *f = *out;
  CET_CALL(cet_result_attr_string(f, ROOT, "fingerprint", r->s.fingerprint));
  CET_CALL(cet_result_attr_int(f, ROOT, "ranks", r->size));
  CET_CALL(cet_result_attr_int(f, ROOT, "next_round", (long long)next_round));
  CET_CALL(cet_result_attr_int(f, ROOT, "points_done", (long long)r->done));
  CET_CALL(cet_result_attr_int(f, ROOT, "points", (long long)r->s.count));
  CET_CALL(cet_result_attr_int(f, ROOT, "first_point", (long long)r->s.first));
  if (r->s.command_line) {
    CET_CALL(cet_result_attr_string(f, "/", "command_line", r->s.command_line));
  }
  return CET_OK;
}

/* Rank 0: receives every rank's state and writes the file. */
static int write_file(cet_engine_run *r, const words *mine, uint64_t next_round) {
  cet_result *f = NULL;
  int status = open_file(r, next_round, &f);
  words other = {0};
  for (int j = 0; j < r->size; j++) {
    int got = j == 0 ? CET_OK : recv_words(j, r->comm, &other);
    if (status == CET_OK) {
      status = got;
    }
    if (status == CET_OK) {
      status = write_rank(f, j, j == 0 ? mine : &other);
    }
  }
  free(other.w);
  if (status == CET_OK) {
    status = cet_result_commit(&f);
  } else {
    cet_result_discard(&f);
  }
  return status;
}

/* Rank 0: write_file, saying which checkpoint could not be written. */
static int write_checkpoint(cet_engine_run *r, const words *mine, uint64_t next_round) {
  int status = write_file(r, mine, next_round);
  CET_CHECK(status == CET_OK, status, "cannot write the checkpoint after %llu %ss to %s",
            (unsigned long long)r->done, r->s.point, r->s.checkpoint);
  return CET_OK;
}

int cet_engine_checkpoint_save(cet_engine_run *r, uint64_t next_round) {
  words mine = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_collective_status(pack(r, &mine), r->comm));
  if (r->rank == 0) {
    status = write_checkpoint(r, &mine, next_round);
  } else {
    send_words(mine.w, mine.n, 0, r->comm);
  }
  status = cet_collective_status(status, r->comm);
done:
  free(mine.w);
  return status;
}

/* Rank 0: opens the checkpoint and checks that it continues this run. */
static int open_checked(const cet_engine_run *r, cet_checkpoint **out, uint64_t *next_round,
                        uint64_t *done) {
  const char *path = r->s.restart;
  CET_CALL(cet_checkpoint_open(path, r->s.kind, out));
  cet_checkpoint *cp = *out;
  char *fingerprint = NULL;
  long long ranks = 0, round = 0, points = 0;
  CET_CALL(cet_checkpoint_attr_string(cp, ROOT, "fingerprint", &fingerprint));
  int same = strcmp(fingerprint, r->s.fingerprint) == 0;
  free(fingerprint);
  CET_CHECK(same, CET_ERR_INPUT,
            "checkpoint %s belongs to another run: the case, its seed or the settings of the "
            "%ss differ",
            path, r->s.point);
  CET_CALL(cet_checkpoint_attr_int(cp, ROOT, "ranks", &ranks));
  CET_CHECK(ranks == r->size, CET_ERR_INPUT,
            "checkpoint %s was written by %lld MPI ranks; continue it on %lld ranks (this run "
            "has %d)",
            path, ranks, ranks, r->size);
  CET_CALL(cet_checkpoint_attr_int(cp, ROOT, "next_round", &round));
  CET_CALL(cet_checkpoint_attr_int(cp, ROOT, "points_done", &points));
  CET_CHECK(round >= 0 && points >= 0 && (uint64_t)points <= r->s.count, CET_ERR_INPUT,
            "checkpoint %s: round %lld and %lld points done do not fit a plan of %llu", path, round,
            points, (unsigned long long)r->s.count);
  *next_round = (uint64_t)round;
  *done = (uint64_t)points;
  return CET_OK;
}

/* Rank 0: the state of rank j from the file. */
static int read_rank(cet_checkpoint *cp, int j, words *out) {
  char path[PATH_LEN];
  snprintf(path, sizeof path, "%s/rank%d", ROOT, j);
  size_t rank = 0, dims[3] = {0};
  CET_CALL(cet_checkpoint_dims(cp, path, &rank, dims));
  CET_CHECK(rank == 1, CET_ERR_INPUT, "checkpoint %s: %s has %zu dimensions, expected 1",
            cet_checkpoint_path(cp), path, rank);
  out->n = 0;
  CET_CALL(grow(out, dims[0]));
  CET_CALL(cet_checkpoint_read_ints(cp, path, 1, dims, (long long *)out->w));
  out->n = dims[0];
  return CET_OK;
}

int cet_engine_checkpoint_restore(cet_engine_run *r, uint64_t *next_round) {
  uint64_t info[2] = {0, 0}; /* next round, points done */
  words state = {0};
  int status = CET_OK, sent = 1;
  if (r->rank == 0) {
    cet_checkpoint *cp = NULL;
    status = open_checked(r, &cp, &info[0], &info[1]);
    words other = {0};
    for (int j = 1; j < r->size; j++) {
      if (status == CET_OK) {
        status = read_rank(cp, j, &other);
      }
      int ok = status == CET_OK;
      MPI_Send(&ok, 1, MPI_INT, j, 23, r->comm);
      if (ok) {
        send_words(other.w, other.n, j, r->comm);
      }
    }
    if (status == CET_OK) {
      status = read_rank(cp, 0, &state);
    }
    free(other.w);
    cet_checkpoint_close(&cp);
  } else {
    MPI_Recv(&sent, 1, MPI_INT, 0, 23, r->comm, MPI_STATUS_IGNORE);
    if (sent) { /* otherwise rank 0 reports why */
      status = recv_words(0, r->comm, &state);
    }
  }
  MPI_Bcast(info, 2, MPI_UINT64_T, 0, r->comm);
  if (status == CET_OK && sent) {
    char where[PATH_LEN + 256];
    snprintf(where, sizeof where, "checkpoint %s, rank %d", r->s.restart, r->rank);
    cursor c = {state.w, state.n, 0, where};
    status = unpack(r, &c);
  }
  free(state.w);
  CET_CALL(cet_collective_status(status, r->comm));
  *next_round = info[0];
  r->done = info[1];
  return CET_OK;
}
