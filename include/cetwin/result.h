/*
 * result.h — the result file (DESIGN.md §7): one HDF5 file per run, written
 * as OUT.h5.partial and renamed to OUT.h5 only on success, with
 * self-describing datasets (units, columns/dims, description attributes)
 * that plain h5py and R's hdf5r read. Only src/io touches HDF5.
 */
#ifndef CETWIN_RESULT_H
#define CETWIN_RESULT_H

#include <mpi.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cet_result cet_result;

/* Version of the result layout described in docs/hdf5-schema.md. */
#define CET_RESULT_FORMAT "cetwin-result"
#define CET_RESULT_FORMAT_VERSION 1

/* Creates path + ".partial". With parallel = 1 the call is collective over
 * comm and the file is opened with MPI-IO (for hyperslab writes by every
 * rank); with parallel = 0 only the calling rank opens it. */
int cet_result_create(const char *path, MPI_Comm comm, int parallel, cet_result **out);

/* Closes the file and renames it to its final name (collective when
 * parallel). *r is freed and set NULL, also on failure. */
int cet_result_commit(cet_result **r);

/* Closes and deletes the partial file (after an error). Accepts NULL. */
void cet_result_discard(cet_result **r);

/* Final path of the result file. */
const char *cet_result_path(const cet_result *r);

/* Attributes on an object ("/" or a group/dataset path, created as a group
 * when absent). A list attribute with no values is not written (R's hdf5r
 * cannot read empty attributes). */
int cet_result_attr_string(cet_result *r, const char *object, const char *name, const char *value);
int cet_result_attr_strings(cet_result *r, const char *object, const char *name,
                            const char *const *values, size_t n);
int cet_result_attr_double(cet_result *r, const char *object, const char *name, double value);
int cet_result_attr_int(cet_result *r, const char *object, const char *name, long long value);

/* Descriptive attributes written with every dataset; any field may be NULL
 * or 0. columns names the entries of the last dimension; dims names every
 * dimension, comma-separated (e.g. "flowsheet,component"). */
typedef struct {
  const char *units;
  const char *description;
  const char *const *columns;
  size_t n_columns;
  const char *dims;
} cet_dataset_meta;

/* Writes a dataset of rank dimensions (1..3) at path; intermediate groups
 * are created. Zero-sized dimensions are allowed. */
int cet_result_write_doubles(cet_result *r, const char *path, size_t rank, const size_t *dims,
                             const double *data, const cet_dataset_meta *meta);
int cet_result_write_ints(cet_result *r, const char *path, size_t rank, const size_t *dims,
                          const long long *data, const cet_dataset_meta *meta);
int cet_result_write_strings(cet_result *r, const char *path, size_t n, const char *const *values,
                             const cet_dataset_meta *meta);

/* What the root attributes record about a run (DESIGN.md §7). */
typedef struct {
  const char *command_line;
  const char *case_name;
  const char *analysis;
  unsigned long long seed;
  int mpi_ranks;
  int omp_threads;
  size_t n_inputs; /* files read: the case first, then its includes */
  const char *const *input_names;
  const char *const *input_texts;
  size_t n_overrides; /* --set PATH=VALUE as given */
  const char *const *overrides;
} cet_run_info;

/* Writes the root attributes (format, format_version, cetwin_version,
 * git_commit, created_utc, command_line, case, analysis, seed, mpi_ranks,
 * omp_threads, config) and /input (every file read and the overrides). */
int cet_result_write_provenance(cet_result *r, const cet_run_info *info);

/* Prints a human summary of an existing result file to stream: the root
 * attributes, every group's attributes, and every dataset with its shape
 * and units. Not collective. */
int cet_result_print_info(const char *path, FILE *stream);

#endif /* CETWIN_RESULT_H */
