/*
 * signals.h — turning SIGTERM and SIGUSR1 into a request to stop cleanly.
 *
 * Slurm sends SIGUSR1 ahead of a job's time limit when asked
 * (`--signal=B:USR1@SECONDS` to the batch shell, which passes it on; or
 * `--signal=USR1@SECONDS` to the job steps) and SIGTERM when a job is
 * cancelled or reaches its limit; mpirun passes SIGUSR1 on to every rank.
 * While installed, the handler only records the signal; a long computation
 * polls cet_signals_pending() at points where it can write a checkpoint and
 * stop (the optimize driver: after every generation, all ranks agreeing).
 *
 * The state is per process (async-signal-safe: a volatile sig_atomic_t).
 * Not collective; not thread-safe (install and restore from one thread).
 */
#ifndef CETWIN_SIGNALS_H
#define CETWIN_SIGNALS_H

/* Installs the recording handler for SIGTERM and SIGUSR1, keeping the
 * previous handlers, and clears any recorded signal. Installing twice is
 * an error (CET_ERR_RUNTIME), as is a failing sigaction. */
int cet_signals_install(void);

/* Restores the handlers found by cet_signals_install (no-op when not
 * installed). A signal recorded meanwhile stays readable until cleared. */
void cet_signals_restore(void);

/* The number of the first signal received since install or clear
 * (SIGTERM or SIGUSR1), 0 if none. */
int cet_signals_pending(void);

/* Forgets a recorded signal. */
void cet_signals_clear(void);

/* "SIGTERM", "SIGUSR1", or "signal N". Static storage. */
const char *cet_signals_name(int signum);

#endif /* CETWIN_SIGNALS_H */
