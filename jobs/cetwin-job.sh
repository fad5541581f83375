# shellcheck shell=bash
# cetwin-job.sh — sourced by the batch scripts of jobs/ (it is not a batch
# script itself): the settings every script reads from the environment, and
# the way a long cetwin run survives Slurm's signals.
#
# Environment (all optional):
#   CETWIN_ROOT  the cetwin source tree; the scripts default it to the
#                directory sbatch was run from, and read this file there
#   CETWIN       the cetwin program (default $CETWIN_ROOT/build/src/cetwin)
#   LAUNCHER     the command that starts the MPI ranks (default
#                "srun --cpus-per-task=T", T = the job's --cpus-per-task);
#                "mpirun" works too: Open MPI takes the ranks from the
#                allocation
# OMP_NUM_THREADS becomes the job's --cpus-per-task (Slurm does not set it).
#
# cetwin_job_checkpointed OUT CHECKPOINT ARGS... runs `cetwin run ARGS -o OUT`
# and continues from CHECKPOINT when that file exists (--restart), whatever
# ended the previous run: a requeue, a scancel, a node failure or the time
# limit. The ranks run in the background and the shell waits, because bash
# runs a trap only between commands. SIGUSR1 (Slurm's --signal=B:USR1@S
# before the time limit, or scancel --batch --signal=USR1) and SIGTERM to
# the batch shell are passed on to the ranks as SIGUSR1, which srun and
# mpirun both forward: every rank finishes its generation or round of
# blocks, rank 0 writes the checkpoint and cetwin exits 3. Exit 3 then
# requeues the job (in an array only this task, named ARRAY_TASK: the plain
# job id of one task is the array's id, and a requeue of that would rerun
# every task), unless the shell received SIGTERM: then the job stops and a
# new submission of it continues from the checkpoint. A plain scancel sends
# SIGTERM to every process of the job at once: srun's ranks checkpoint and
# exit 3 (if they are done within Slurm's KillWait), but mpirun kills its
# ranks, which leaves the last periodic checkpoint (mc.checkpoint.interval,
# optimize.checkpoint.interval), if any;
# `scancel --batch --signal=TERM` reaches the shell alone and stops the job
# with a fresh checkpoint. After a successful run the checkpoint is deleted,
# so submitting a finished job again starts afresh.

export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-${OMP_NUM_THREADS:-1}}
CETWIN=${CETWIN:-$CETWIN_ROOT/build/src/cetwin}
read -r -a cetwin_job_launcher <<<"${LAUNCHER:-srun --cpus-per-task=$OMP_NUM_THREADS}"

# This job for scontrol: in an array ARRAY_TASK, because the raw job id of
# one task (often the last) is the array's id, which stands for every task.
cetwin_job_id() {
  if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
    echo "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
  else
    echo "$SLURM_JOB_ID"
  fi
}

# A line of the job log: UTC time, job (array task), run and seconds since
# this run started.
cetwin_job_log() {
  echo "$(date -u +%FT%TZ) job $(cetwin_job_id) (${SLURM_JOB_ID:-no job}) run ${SLURM_RESTART_COUNT:-0} at ${SECONDS}s: $*"
}

# Starts the ranks of `cetwin ARGS` with the launcher and waits for them.
cetwin_job_launch() {
  "${cetwin_job_launcher[@]}" "$CETWIN" "$@"
}

# Trap of SIGUSR1 and SIGTERM ($1): remembers the signal (SIGTERM wins) and
# asks the ranks to checkpoint.
cetwin_job_forward() {
  [ "$cetwin_job_signal" = TERM ] || cetwin_job_signal=$1
  cetwin_job_log "SIG$1: asking cetwin to checkpoint"
  [ -z "$cetwin_job_step" ] || kill -USR1 "$cetwin_job_step" 2>/dev/null
}

# cetwin_job_checkpointed OUT CHECKPOINT ARGS...: see the top of this file.
# Returns cetwin's exit code.
cetwin_job_checkpointed() {
  local out=$1 checkpoint=$2 restart=() code=0
  shift 2
  if [ -f "$checkpoint" ]; then
    restart=(--restart "$checkpoint")
  fi
  mkdir -p "$(dirname "$out")"
  cetwin_job_log "start: $CETWIN run $* -o $out ${restart[*]}"
  cetwin_job_signal="" cetwin_job_step=""
  trap 'cetwin_job_forward USR1' USR1
  trap 'cetwin_job_forward TERM' TERM
  # the launcher itself in the background (not a function: that would be a
  # subshell, and the signal would end it instead of reaching the ranks)
  "${cetwin_job_launcher[@]}" "$CETWIN" run "$@" -o "$out" "${restart[@]}" &
  cetwin_job_step=$!
  wait "$cetwin_job_step" || code=$?
  while [ "$code" -gt 128 ] && kill -0 "$cetwin_job_step" 2>/dev/null; do # a trap ran
    code=0
    wait "$cetwin_job_step" || code=$?
  done
  if [ "$code" -eq 0 ]; then
    rm -f "$checkpoint" "$checkpoint.partial"
    cetwin_job_log "done: $out"
  elif [ "$cetwin_job_signal" = TERM ]; then
    if [ -f "$checkpoint" ]; then
      cetwin_job_log "stopped (exit code $code); submit the same job again to continue from $checkpoint"
    else
      cetwin_job_log "stopped (exit code $code) before any checkpoint was written"
    fi
  elif [ "$code" -eq 3 ]; then
    cetwin_job_log "checkpoint written to $checkpoint; requeueing"
    scontrol requeue "$(cetwin_job_id)" ||
      cetwin_job_log "the requeue failed; submit the same job again to continue"
  else
    cetwin_job_log "cetwin failed with exit code $code"
  fi
  trap - USR1 TERM
  return "$code"
}

# cetwin_job_merge OUTDIR OUT: `cetwin merge` of the shards OUTDIR/shard-*.h5
# (their checkpoints left out) into OUT, one process. Returns cetwin's exit
# code (1: no shards, or files that are not shards of one run).
cetwin_job_merge() {
  local outdir=$1 out=$2 shards=() f
  for f in "$outdir"/shard-*.h5; do
    case $f in *.checkpoint.h5) ;; *) [ -f "$f" ] && shards+=("$f") ;; esac
  done
  cetwin_job_log "merging ${#shards[@]} shard(s) of $outdir into $out"
  [ ${#shards[@]} -gt 0 ] || { cetwin_job_log "no shards in $outdir"; return 1; }
  "$CETWIN" merge "${shards[@]}" -o "$out"
}
