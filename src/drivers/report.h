/*
 * report.h — what the printed summaries of every analysis share (private
 * to src/drivers): the "parallel configuration" line that heads each run's
 * summary and `cetwin info`'s account of a result file.
 */
#ifndef CETWIN_DRIVERS_REPORT_H
#define CETWIN_DRIVERS_REPORT_H

#include <stdio.h>

/* Prints "  parallel configuration: R MPI ranks x T OpenMP threads per
 * rank, WORK, seed S": work says how the work is dealt (islands or blocks
 * per rank; NULL or "": nothing), a seed < 0 is left out. */
void drv_print_parallel(FILE *out, long long ranks, long long threads, const char *work,
                        long long seed);

#endif /* CETWIN_DRIVERS_REPORT_H */
