/*
 * progress.h — progress lines with rate and ETA on stderr from rank 0.
 * On a terminal the line is redrawn in place; in a batch log (Slurm) a new
 * line is written at most every `interval` seconds.
 */
#ifndef CETWIN_PROGRESS_H
#define CETWIN_PROGRESS_H

typedef struct {
  const char *label;
  double total;      /* units of work expected (draws, generations, ...) */
  double started;    /* cet_timer_now() at begin */
  double last_print; /* time of the last line */
  double interval;   /* seconds between lines in a log file */
  int enabled;       /* rank 0 and log level >= info */
  int tty;           /* stderr is a terminal */
} cet_progress;

void cet_progress_begin(cet_progress *p, const char *label, double total);

/* Reports done units of work; extra (may be NULL) is appended to the line. */
void cet_progress_update(cet_progress *p, double done, const char *extra);

/* Prints the final line with the elapsed time. */
void cet_progress_end(cet_progress *p, double done);

#endif /* CETWIN_PROGRESS_H */
