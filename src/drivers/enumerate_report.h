/*
 * enumerate_report.h — presentation of enumeration results (private to
 * src/drivers): the printed table and the /enumerate group.
 */
#ifndef CETWIN_ENUMERATE_REPORT_H
#define CETWIN_ENUMERATE_REPORT_H

#include "cetwin/case.h"
#include "cetwin/enumerate.h"
#include "cetwin/result.h"

#include <stdio.h>

/* Writes the chain of f as "ELEC*5+A", with "[size]PS" for a step whose
 * property size was preprocessed; "(feed)" for an empty chain. */
void cet_drv_enumerate_chain_text(const cet_case *c, const cet_flowsheet *f, char *buf, size_t len);

/* Prints the summary table of all kinds to out. */
int cet_drv_enumerate_print(const cet_case *c, const cet_flowsheets *fs, FILE *out);

/* The table of the final flowsheets, filled from a run or from a result
 * file (cet_info_enumerate); arrays borrowed, n rows (at most the first 50
 * are printed and need to be filled). */
typedef struct {
  const char *main, *flow_units;                      /* main component, units of the flows */
  size_t nk;                                          /* energy carriers */
  const char *const *carriers, *const *carrier_units; /* [nk] */
  unsigned long long found;                           /* final flowsheets found */
  size_t n;                                           /* kept */
  const char *const *chain;                           /* [n] */
  const double *purity, *recovery, *flow, *main_flow; /* [n] */
  const double *consumption;                          /* [n x nk] */
} cet_drv_enumerate_final_view;

void cet_drv_enumerate_print_final(const cet_drv_enumerate_final_view *v, FILE *out);

/* The table of the unprocessable products or the truncated chains, from
 * a run or from a result file; arrays borrowed, n rows stored (at most the
 * first 50 are printed and need to be filled). */
typedef struct {
  cet_flowsheet_kind kind;
  const char *main, *flow_units;
  unsigned long long found; /* found */
  size_t n;                 /* kept */
  const char *const *chain; /* [n] */
  const double *purity;     /* [n] main-component fraction of the last product */
  const double *flow;       /* [n] its flow */
} cet_drv_enumerate_dead_end_view;

void cet_drv_enumerate_print_dead_ends(const cet_drv_enumerate_dead_end_view *v, FILE *out);

/* The closing line: how many of each kind were found, and the range of the
 * main component's fraction among the stored unprocessable products
 * (lo > hi: none stored). */
void cet_drv_enumerate_print_counts(const char *main,
                                    const unsigned long long found[CET_FLOWSHEET_KINDS], double lo,
                                    double hi, FILE *out);

/* Writes /enumerate into the result file. */
int cet_drv_enumerate_write(const cet_case *c, const cet_flowsheets *fs, cet_result *r);

#endif /* CETWIN_ENUMERATE_REPORT_H */
