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
void cet_enumerate_chain_text(const cet_case *c, const cet_flowsheet *f, char *buf, size_t len);

/* Prints the summary table of all kinds to out. */
void cet_enumerate_print(const cet_case *c, const cet_flowsheets *fs, FILE *out);

/* Writes /enumerate into the result file. */
int cet_enumerate_write(const cet_case *c, const cet_flowsheets *fs, cet_result *r);

#endif /* CETWIN_ENUMERATE_REPORT_H */
