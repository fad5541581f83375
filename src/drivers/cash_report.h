/*
 * cash_report.h — presentation of a cash-flow table (private to
 * src/drivers), shared by the simulate driver and the Monte Carlo's
 * deterministic scenarios.
 */
#ifndef CETWIN_CASH_REPORT_H
#define CETWIN_CASH_REPORT_H

#include "cetwin/dcf.h"
#include "cetwin/result.h"

#include <stdio.h>

/* Prints the groups' discounted totals and yearly cash (the first years)
 * and the net cash flow. */
void cet_drv_cash_flow_print(const cet_dcf_table *t, const char *currency, FILE *out);

/* Writes GROUP/cash_flow: rows, row_group, groups, row_yearly,
 * row_discounted, group_yearly, group_discounted, net_yearly,
 * cumulative_discounted, discount_factor. */
int cet_drv_cash_flow_write(cet_result *r, const char *group, const cet_dcf_table *t,
                            const char *currency);

#endif /* CETWIN_CASH_REPORT_H */
