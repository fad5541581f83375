/*
 * engine_impl.h — the state of one run of the sampling engine, shared by
 * engine.c (rounds, stopping, failures, progress) and engine_reduce.c (the
 * totals of every rank brought to rank 0). Private to src/engine.
 */
#ifndef CETWIN_ENGINE_IMPL_H
#define CETWIN_ENGINE_IMPL_H

#include "cetwin/engine.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

enum { ENGINE_MESSAGE_LEN = 2048 };

struct cet_engine_run {
  cet_engine_problem problem;  /* a copy */
  const cet_engine_problem *p; /* &problem */
  cet_engine_settings s;
  MPI_Comm comm;
  int rank, size, threads;
  cet_engine_team *team;
  size_t nv;                   /* values per point */
  uint64_t nb;                 /* blocks */
  uint64_t block_lo, block_hi; /* the current block, relative to the plan's first */
  cet_stats **cur;             /* [threads x nv] the current round's block */
  uint64_t *cur_undef;         /* [threads x nv] */
  cet_stats **total;           /* [nv] this rank's kept blocks; on rank 0 after the
                                  reduction: every rank's */
  uint64_t *total_undef;       /* [nv] this rank's */
  uint64_t *undefined;         /* [nv] all ranks' (rank 0, after the reduction) */
  double *scratch;             /* [threads x batch x nv] values when rows are not kept */
  double *block_values;        /* [block x nv] the current block's values (accumulator) */
  void *acc;          /* this rank's accumulator; after the reduction rank 0's holds every rank's */
  double *row_values; /* [rows x nv] kept rows of this rank (keep_rows) */
  double *row_extras[CET_ENGINE_EXTRAS]; /* [rows x extra_width[i]] */
  uint64_t *row_points;                  /* [rows] their point indices */
  size_t rows_cap;                       /* rows this rank computes at most */
  size_t rows;                           /* rows kept */
  cet_stats *running;                    /* moments of the stop value over the blocks so far */
  uint64_t done;                         /* points kept */
  long last_block;                       /* last block kept */
  int stopped;
  int fail_status; /* the first failure of this rank, with its message */
  char fail_message[ENGINE_MESSAGE_LEN];
  double seconds, cpu_seconds;
};

/* Collective: brings every value's accumulator of every rank to rank 0
 * (merging sorted runs along a binomial tree when values are kept, moments
 * otherwise) and the counts of undefined values. */
int cet_engine_reduce(cet_engine_run *r);

/* Collective: writes the checkpoint of the state after the rounds before
 * next_round (settings.checkpoint, by rank 0). */
int cet_engine_checkpoint_save(cet_engine_run *r, uint64_t next_round);

/* Collective: restores the state of the checkpoint settings.restart (read
 * by rank 0, checked against the fingerprint and the rank count) into a
 * run just set up; *next_round is the round to continue with. */
int cet_engine_checkpoint_restore(cet_engine_run *r, uint64_t *next_round);

#endif /* CETWIN_ENGINE_IMPL_H */
