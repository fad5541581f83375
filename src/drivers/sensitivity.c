/*
 * sensitivity.c — the sensitivity driver (drivers.h): sets up the run
 * shared by the methods (sensitivity_points.c), prints the factors and
 * writes /sensitivity/factors, then runs the methods asked for in the
 * order one at a time, break-even, Morris, parameter study, Sobol' (the
 * cheap screening first). Each method is a plan of points on the sampling
 * engine (engine.h): blocks over the ranks, batches over the threads,
 * every point computed from its index alone, so the results are the same
 * bits on any number of ranks and threads.
 *
 * The long plans (the parameter study and Sobol') checkpoint like a Monte
 * Carlo; a restarted run computes the methods before the interrupted one
 * again (they are deterministic) and continues that one from its
 * checkpoint. A checkpoint holds the Sobol' points kept for
 * sensitivity.store_points, and a plan's fingerprint names that setting,
 * so a restart continues only with the setting that wrote it.
 */
#include "sensitivity_impl.h"

#include "checkpointing.h"

#include "cetwin/checkpoint.h"
#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

/* The checkpoint kind of a method's plan. */
static void checkpoint_kind(const char *label, char *kind, size_t len) {
  snprintf(kind, len, "sensitivity-%s", label);
}

/* The fingerprint of a method's plan: everything its points depend on. */
static int fingerprint(const cet_drv_sa_run *r, const char *label, char *hex) {
  const cet_sensitivity_spec *s = r->s;
  cet_strbuf b = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_strbuf_printf(&b, "sensitivity %s %llu %zu %zu;", label,
                                  (unsigned long long)r->c->seed, r->k, r->nm));
  for (size_t i = 0; i < r->k; i++) {
    const cet_factor *f = &s->factors[i];
    CET_CALL_GOTO(status, done,
                  cet_strbuf_printf(&b, "f %s %d %a %a %zu %zu;", f->name, (int)f->kind, f->low,
                                    f->high, f->group, f->n_slots));
  }
  for (size_t m = 0; m < r->nm; m++) {
    CET_CALL_GOTO(status, done, cet_strbuf_printf(&b, "m %s;", s->metrics.name[m]));
  }
  CET_CALL_GOTO(status, done,
                cet_strbuf_printf(&b, "sobol %llu %d %zu %llu; sweep %llu %d; %a %a; store %d;",
                                  (unsigned long long)s->sobol.n, s->sobol.second_order,
                                  s->sobol.replicates, (unsigned long long)s->sobol.block,
                                  (unsigned long long)s->sweep.points, s->sweep.grid,
                                  s->quantile_low, s->quantile_high, s->store_points));
  CET_CALL_GOTO(status, done, cet_drv_describe_twin(r->twin, &b));
  CET_CALL_GOTO(status, done, cet_drv_describe_uncertain(s->uncertain, s->n_uncertain, &b));
  cet_drv_fingerprint(b.text, hex);
done:
  cet_strbuf_free(&b);
  return status;
}

/* The engine settings of a plan; a long plan checkpoints, and continues
 * from --restart when the checkpoint is of its kind. */
int cet_drv_sa_settings(cet_drv_sa_run *r, uint64_t first, uint64_t count, const char *label,
                        int checkpointed, cet_engine_settings *s) {
  char *kind = r->plan_kind, *hex = r->plan_fingerprint, *progress = r->plan_label;
  *s = cet_engine_default_settings(first, count);
  s->block = r->s->sobol.given && strcmp(label, "sobol") == 0 ? r->s->sobol.block
                                                              : CET_SENSITIVITY_DEFAULT_BLOCK;
  s->point = "point";
  snprintf(progress, CET_DRV_SA_NAME_LEN, "sensitivity %s", label);
  s->label = progress;
  if (checkpointed) {
    CET_CALL(fingerprint(r, label, hex));
    checkpoint_kind(label, kind, CET_DRV_SA_NAME_LEN);
    s->checkpoint = r->checkpoint;
    s->checkpoint_blocks = r->s->checkpoint_interval;
    s->kind = kind;
    s->fingerprint = hex;
    s->command_line = r->ctx->command_line;
    s->restart = r->restart_kind && strcmp(r->restart_kind, kind) == 0 ? r->ctx->restart : NULL;
  }
  return CET_OK;
}

int cet_drv_sa_rows(cet_drv_sa_run *r, const cet_engine_problem *p, cet_engine_settings s,
                    double **y, double **x) {
  *y = NULL;
  if (x) {
    *x = NULL;
  }
  s.statistics = 0;
  s.keep_rows = 1;
  cet_engine_run *run = NULL;
  CET_CALL(cet_engine_execute(p, &s, r->ctx->comm, r->threads, &run));
  int status = cet_engine_gather_rows(run, y, x);
  cet_engine_run_destroy(&run);
  return status;
}

/* On rank 0, *kind becomes a copy of the kind of the checkpoint at path
 * (the status of this rank alone; other ranks leave it). */
static int read_restart_kind(const cet_run_context *ctx, const char *path, char **kind) {
  if (ctx->rank != 0) {
    return CET_OK;
  }
  cet_checkpoint *cp = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_checkpoint_open(path, NULL, &cp));
  *kind = cet_strdup(cet_checkpoint_kind(cp));
  CET_CHECK_ALLOC_GOTO(status, done, *kind);
done:
  cet_checkpoint_close(&cp);
  return status;
}

/* The local status of an allocation for an agreement: CET_ERR_MEMORY with a
 * message when p is NULL. */
static int allocated(const void *p) {
  CET_CHECK_ALLOC(p);
  return CET_OK;
}

/* With --restart: the kind of the checkpoint (which method it continues). */
static int restart_kind(cet_drv_sa_run *r) {
  if (!r->ctx->restart) {
    return CET_OK;
  }
  CET_CALL(cet_collective_status(read_restart_kind(r->ctx, r->ctx->restart, &r->restart_kind),
                                 r->ctx->comm));
  int len = r->ctx->rank == 0 ? (int)strlen(r->restart_kind) + 1 : 0;
  MPI_Bcast(&len, 1, MPI_INT, 0, r->ctx->comm);
  if (r->ctx->rank != 0) {
    r->restart_kind = calloc((size_t)len, 1);
  }
  CET_CALL(cet_collective_status(allocated(r->restart_kind), r->ctx->comm));
  MPI_Bcast(r->restart_kind, len, MPI_CHAR, 0, r->ctx->comm);
  CET_CHECK(strncmp(r->restart_kind, "sensitivity-", strlen("sensitivity-")) == 0, CET_ERR_INPUT,
            "checkpoint %s is of a %s run, not of a sensitivity analysis", r->ctx->restart,
            r->restart_kind);
  return CET_OK;
}

/* This rank's setup of the run and the path of its checkpoint (the status
 * of this rank alone). */
static int setup_local(cet_drv_sa_run *r) {
  CET_CALL(cet_drv_sa_run_setup(r));
  CET_CALL(cet_drv_checkpoint_path(r->ctx, r->c->name, r->s->checkpoint_file,
                                   "sensitivity.checkpoint.file", &r->checkpoint));
  return CET_OK;
}

/* Rank 0 prints the factors (the status of this rank alone). */
static int report_setup(const cet_drv_sa_run *r) {
  if (r->ctx->rank == 0) {
    CET_CALL(cet_drv_sa_report_setup(r, r->ctx->summary));
  }
  return CET_OK;
}

int cet_driver_sensitivity(const cet_case *c, const cet_run_context *ctx) {
  CET_CHECK(c->twin != NULL && c->sensitivity != NULL, CET_ERR_RUNTIME,
            "the case has no sensitivity analysis");
  cet_drv_sa_run r = {.c = c, .s = c->sensitivity, .ctx = ctx};
  const cet_sensitivity_spec *s = c->sensitivity;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, cet_collective_status(setup_local(&r), ctx->comm));
  CET_CALL_GOTO(status, done, restart_kind(&r));
  CET_CALL_GOTO(status, done, cet_collective_status(report_setup(&r), ctx->comm));
  if (s->oat.given) {
    CET_CALL_GOTO(status, done, cet_drv_sa_oat(&r));
  }
  if (s->oat.break_even) {
    CET_CALL_GOTO(status, done, cet_drv_sa_break_even(&r));
  }
  if (s->morris.given) {
    CET_CALL_GOTO(status, done, cet_drv_sa_morris(&r));
  }
  if (s->sweep.given) {
    CET_CALL_GOTO(status, done, cet_drv_sa_sweep(&r));
  }
  if (s->sobol.given) {
    CET_CALL_GOTO(status, done, cet_drv_sa_sobol(&r));
  }
done:
  cet_drv_sa_run_free(&r);
  return status;
}
