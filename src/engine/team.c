/*
 * team.c — the engine's thread level (engine.h): one workspace of the
 * problem per OpenMP thread, and a parallel loop over tasks that finds the
 * failure with the lowest task index whatever the schedule, keeping that
 * task's own message. Error chains are thread-local (error.h): a failing
 * task's message is formatted on its thread and raised again on the
 * calling thread.
 */
#include "cetwin/engine.h"

#include "cetwin/error.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { TEAM_MESSAGE_LEN = 2048 };

struct cet_engine_team {
  cet_engine_problem problem; /* a copy: the callbacks and the model pointer */
  int threads;
  void **ws; /* [threads] */
};

void cet_engine_team_destroy(cet_engine_team **tp) {
  if (!tp || !*tp) {
    return;
  }
  cet_engine_team *team = *tp;
  for (int t = 0; team->ws && t < team->threads; t++) {
    team->problem.workspace_destroy(&team->ws[t]);
  }
  free(team->ws);
  free(team);
  *tp = NULL;
}

int cet_engine_team_create(const cet_engine_problem *p, int threads, cet_engine_team **out) {
  *out = NULL;
  CET_CHECK(threads >= 1, CET_ERR_RUNTIME, "a team needs at least one thread, found %d", threads);
  cet_engine_team *team = calloc(1, sizeof *team);
  CET_CHECK_ALLOC(team);
  team->problem = *p;
  team->threads = threads;
  team->ws = calloc((size_t)threads, sizeof *team->ws);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, fail, team->ws);
  for (int t = 0; t < threads; t++) {
    CET_CALL_GOTO(status, fail, p->workspace_create(p->model, &team->ws[t]));
  }
  *out = team;
  return CET_OK;
fail:
  cet_engine_team_destroy(&team);
  return status;
}

int cet_engine_team_size(const cet_engine_team *team) { return team->threads; }

void *cet_engine_team_workspace(const cet_engine_team *team, int t) { return team->ws[t]; }

/* The lowest failure of a parallel loop. */
typedef struct {
  size_t task; /* n while none */
  int status;
  char message[TEAM_MESSAGE_LEN];
} lowest_failure;

static void record(lowest_failure *low, size_t task, int status) {
  char message[TEAM_MESSAGE_LEN];
  cet_error_format(message, sizeof message, 0);
  cet_error_clear();
#pragma omp critical(cet_engine_team_failure)
  {
    if (task < low->task) {
      low->task = task;
      low->status = status;
      snprintf(low->message, sizeof low->message, "%s", message);
    }
  }
}

/* Task i on the calling thread of a parallel loop. */
static void run_task(cet_engine_team *team, cet_engine_task_fn fn, void *arg, size_t i,
                     lowest_failure *low) {
  int t = omp_get_thread_num(), status = fn(arg, team->ws[t], t, i);
  if (status != CET_OK) {
    record(low, i, status);
  }
}

int cet_engine_team_for(cet_engine_team *team, int threads, int dynamic, size_t n,
                        cet_engine_task_fn fn, void *arg, size_t *failed) {
  CET_CHECK(threads >= 1 && threads <= team->threads, CET_ERR_RUNTIME,
            "a loop on %d threads in a team of %d", threads, team->threads);
  *failed = n;
  if (threads == 1) {
    for (size_t i = 0; i < n; i++) {
      int status = fn(arg, team->ws[0], 0, i);
      if (status != CET_OK) {
        *failed = i;
        CET_CALL(status);
      }
    }
    return CET_OK;
  }
  lowest_failure low = {.task = n, .status = CET_OK};
  if (dynamic) {
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (long long i = 0; i < (long long)n; i++) {
      run_task(team, fn, arg, (size_t)i, &low);
    }
  } else {
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long long i = 0; i < (long long)n; i++) {
      run_task(team, fn, arg, (size_t)i, &low);
    }
  }
  *failed = low.task;
  CET_CHECK(low.task == n, low.status, "%s", low.message);
  return CET_OK;
}
