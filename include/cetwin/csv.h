/*
 * csv.h — readers of CSV files: time series (price histories) and tables
 * of text fields (plant measurements).
 *
 * Format: one observation per line, two comma-separated fields,
 *     date,value
 * where date is a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD),
 * the same form on every line, strictly increasing; value is a finite
 * decimal number. An optional header line (whose first field is not a date)
 * may come first. Blank lines and lines starting with '#' are ignored;
 * spaces around fields and double quotes around a field are allowed; CRLF
 * line ends are accepted.
 *
 * Errors are CET_ERR_INPUT with "FILE:LINE:COLUMN: expected ..., found ..."
 * (line and column 1-based).
 */
#ifndef CETWIN_CSV_H
#define CETWIN_CSV_H

#include <stddef.h>

/* Granularity of the dates of a series. */
typedef enum {
  CET_CSV_YEARLY = 1, /* YYYY */
  CET_CSV_MONTHLY,    /* YYYY-MM */
  CET_CSV_DAILY       /* YYYY-MM-DD */
} cet_csv_period;

/* A time series read from a CSV file. All arrays have n entries and are
 * owned by the series. */
typedef struct {
  size_t n;
  cet_csv_period period;
  int *year;  /* calendar year */
  int *month; /* 1..12; 0 for yearly series */
  int *day;   /* 1..31; 0 for yearly and monthly series */
  double *value;
  int *line;    /* line of each observation in the source */
  char *source; /* the file name (or the name given to cet_csv_parse_series) */
} cet_csv_series;

/* Reads the series in the file at path. CET_ERR_INPUT if the file cannot be
 * opened or is malformed, CET_ERR_MEMORY if out of memory. Free with
 * cet_csv_series_destroy. Not collective (rank 0 reads, then broadcasts). */
int cet_csv_read_series(const char *path, cet_csv_series **out);

/* Parses a series from text of len bytes; source names it in messages. */
int cet_csv_parse_series(const char *text, size_t len, const char *source, cet_csv_series **out);

/* Frees s (NULL allowed) and sets *s to NULL. */
void cet_csv_series_destroy(cet_csv_series **s);

/* A table of text fields: rows of the same number of comma-separated
 * fields (spaces around a field and double quotes around it removed),
 * blank lines and lines starting with '#' ignored, CRLF accepted, an
 * optional first line naming the columns skipped. All arrays are owned. */
typedef struct {
  size_t rows, fields;
  char **cell;  /* [rows x fields] */
  int *column;  /* [rows x fields] 1-based column of each field */
  int *line;    /* [rows] line of each row in the source */
  char *source; /* the name given to cet_csv_parse_table */
} cet_csv_table;

/* Parses text of len bytes into a table of `fields` fields per row; names
 * are the columns' names (a first line holding exactly them, ignoring case,
 * is a header). CET_ERR_INPUT "SOURCE:LINE:COLUMN: expected N fields
 * (a,b,...), found M" for a row of another length, and for a table without
 * rows. Free with cet_csv_table_destroy. */
int cet_csv_parse_table(const char *text, size_t len, const char *source, size_t fields,
                        const char *const *names, cet_csv_table **out);

/* Frees t (NULL allowed) and sets *t to NULL. */
void cet_csv_table_destroy(cet_csv_table **t);

#endif /* CETWIN_CSV_H */
