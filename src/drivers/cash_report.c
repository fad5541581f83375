/*
 * cash_report.c — the cash-flow table of one DCF evaluation (see
 * cash_report.h): printed by group and year, and written as datasets.
 */
#include "cash_report.h"

#include "cetwin/error.h"
#include "cetwin/quantity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CASH_PATH_LEN = 512, CASH_YEARS_SHOWN = 12, CASH_CELL_LEN = 64 };

/* One row of the table: its name, the discounted total and the years. */
static void print_row(const char *name, double discounted, const double *yearly, size_t shown,
                      const char *currency, FILE *out) {
  char cell[CASH_CELL_LEN];
  cet_format_quantity(discounted, currency, cell, sizeof cell);
  fprintf(out, "  %-26s %14s", name, cell);
  for (size_t y = 0; y < shown; y++) {
    cet_format_quantity(yearly[y], currency, cell, sizeof cell);
    fprintf(out, " %12s", cell);
  }
  fprintf(out, "\n");
}

void cet_drv_cash_flow_print(const cet_dcf_table *t, const char *currency, FILE *out) {
  size_t shown = t->n_years < CASH_YEARS_SHOWN ? t->n_years : CASH_YEARS_SHOWN;
  fprintf(out, "\nCash flow by group (discounted total, then years 0..%zu%s):\n", shown - 1,
          shown < t->n_years ? ", the rest in the result file" : "");
  fprintf(out, "  %-26s %14s", "group", "discounted");
  for (size_t y = 0; y < shown; y++) {
    fprintf(out, " %12zu", y);
  }
  fprintf(out, "\n");
  for (size_t g = 0; g < t->n_groups; g++) {
    print_row(t->group_name[g], t->group_discounted[g], t->group_yearly + g * t->n_years, shown,
              currency, out);
  }
  print_row("net (NPV)", t->npv, t->net_yearly, shown, currency, out);
}

int cet_drv_cash_flow_write(cet_result *r, const char *group, const cet_dcf_table *t,
                            const char *currency) {
  char path[CASH_PATH_LEN];
  size_t years = t->n_years, dims[2];
  long long *year = malloc((years + 1) * sizeof *year);
  CET_CHECK_ALLOC(year);
  for (size_t y = 0; y < years; y++) {
    year[y] = (long long)y;
  }
  cet_dataset_meta ym = {.units = "a",
                         .description = "project year (0 = the investment year)",
                         .long_name = "project year",
                         .dims = "year"};
  snprintf(path, sizeof path, "%s/cash_flow/year", group);
  int written = cet_result_write_ints(r, path, 1, &years, year, &ym);
  free(year);
  CET_CALL(written);
  cet_dataset_meta names = {
      .description = "cash-flow rows (lines, and liquidation credits)", .dims = "row", .labels = 1};
  snprintf(path, sizeof path, "%s/cash_flow/rows", group);
  CET_CALL(cet_result_write_strings(r, path, t->n_rows, t->row_name, &names));
  const char **row_group = calloc(t->n_rows + 1, sizeof *row_group);
  CET_CHECK_ALLOC(row_group);
  for (size_t i = 0; i < t->n_rows; i++) {
    row_group[i] = t->group_name[t->row_group[i]];
  }
  snprintf(path, sizeof path, "%s/cash_flow/row_group", group);
  cet_dataset_meta rg = {.description = "group of each row", .dims = "row"};
  int status = cet_result_write_strings(r, path, t->n_rows, row_group, &rg);
  free(row_group);
  CET_CALL(status);
  snprintf(path, sizeof path, "%s/cash_flow/groups", group);
  cet_dataset_meta gn = {.description = "groups (summary rows)", .dims = "group", .labels = 1};
  CET_CALL(cet_result_write_strings(r, path, t->n_groups, t->group_name, &gn));
  const struct {
    const char *name;
    const double *data;
    size_t rows; /* 0: a vector over years */
    const char *dims, *units, *description;
  } sets[] = {
      {"row_yearly", t->row_yearly, t->n_rows, "row,year", currency, "cash of each row per year"},
      {"row_discounted", t->row_discounted, t->n_rows, "row", currency,
       "discounted total of each row"},
      {"group_yearly", t->group_yearly, t->n_groups, "group,year", currency,
       "cash of each group per year"},
      {"group_discounted", t->group_discounted, t->n_groups, "group", currency,
       "discounted total of each group"},
      {"net_yearly", t->net_yearly, 0, "year", currency, "net cash flow per year"},
      {"cumulative_discounted", t->cumulative_discounted, 0, "year", currency,
       "cumulative discounted net cash flow"},
      {"discount_factor", t->discount_factor, 0, "year", "1", "(1 + r)^-t"}};
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    cet_dataset_meta meta = {
        .units = sets[i].units, .description = sets[i].description, .dims = sets[i].dims};
    snprintf(path, sizeof path, "%s/cash_flow/%s", group, sets[i].name);
    int vector_of_rows = strchr(sets[i].dims, ',') == NULL && sets[i].rows > 0;
    dims[0] = sets[i].rows > 0 ? sets[i].rows : years;
    dims[1] = years;
    CET_CALL(cet_result_write_doubles(r, path, vector_of_rows || sets[i].rows == 0 ? 1 : 2, dims,
                                      sets[i].data, &meta));
  }
  return CET_OK;
}
