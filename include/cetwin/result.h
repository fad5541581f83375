/*
 * result.h — the result file (docs/hdf5-schema.md): one HDF5 file per run,
 * written as OUT.h5.partial and renamed to OUT.h5 only on success, with
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
#define CET_RESULT_FORMAT_VERSION 2

/* Creates path + ".partial". With parallel = 1 the call is collective over
 * comm (every rank returns the same status) and the file is opened with
 * MPI-IO (for hyperslab writes by every rank); with parallel = 0 only the
 * calling rank opens it. The partial file is created only if no file of
 * that name exists, and a file this call did not create is never truncated
 * or removed: another run may be writing it (two jobs given the same
 * output). An existing one is CET_ERR_INPUT, with a message naming it and
 * saying what to do ("'OUT.h5.partial' exists: another run may be writing
 * 'OUT.h5' ..."). */
int cet_result_create(const char *path, MPI_Comm comm, int parallel, cet_result **out);

/* cet_result_create on the calling rank alone (parallel = 0), for a file
 * that only this run writes: the result of a run that continues an
 * interrupted one (--restart), which holds that run's output, and a
 * checkpoint. A partial file that the interrupted run left is replaced;
 * *replaced (replaced may be NULL) is 1 when there was one, else 0. */
int cet_result_create_replacing(const char *path, int *replaced, cet_result **out);

/* Closes the file and renames it to its final name (collective when
 * parallel). *r is freed and set NULL, also on failure. */
int cet_result_commit(cet_result **r);

/* Closes and deletes the partial file (after an error). Accepts NULL. */
void cet_result_discard(cet_result **r);

/* Writes len bytes of text to the file path the way a result file is
 * written: as PATH.partial, synced to disk, then renamed to PATH (and the
 * folder synced), so that PATH is either absent, as before, or complete.
 * CET_ERR_RUNTIME naming the file when it cannot be written (the partial
 * file is removed). Not collective. */
int cet_result_save_text(const char *path, const char *text, size_t len);

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

/* The one description of a dataset, written with it (docs/hdf5-schema.md,
 * "Attributes and axes"); any field may be NULL or 0.
 * - units: the unit (UDUNITS syntax: "EUR", "t/a", "1") of every value;
 *   for a table whose columns differ, unit_list instead: one unit per
 *   entry of the last dimension (n_units = its length), or of the last two
 *   (n_units = their product), written as a list attribute `units` of that
 *   shape (and on the scale of the last axis).
 * - long_name: a short label for plots (default: the description).
 * - dims: the name of every axis, comma-separated ("unit,component"). Each
 *   axis is an HDF5 dimension scale, the dataset of that name in the
 *   dataset's group or the nearest group above it, created when absent:
 *   from columns (last axis), rows (first axis) or, for a 1-D dataset with
 *   labels set, the dataset's own values; else from 0 to n - 1.
 * - columns: names of the entries of the last dimension (also written as
 *   the attribute `columns`); rows: of the first one (rank 2 or more).
 * - labels: 1 when this 1-D dataset names the entries of its axis. */
typedef struct {
  const char *units;
  const char *description;
  const char *const *columns;
  size_t n_columns;
  const char *dims;
  const char *long_name;
  const char *const *unit_list;
  size_t n_units;
  const char *const *rows;
  int labels;
} cet_dataset_meta;

/* Writes a dataset of rank dimensions (1..3) at path; intermediate groups
 * are created. Zero-sized dimensions are allowed. */
int cet_result_write_doubles(cet_result *r, const char *path, size_t rank, const size_t *dims,
                             const double *data, const cet_dataset_meta *meta);
int cet_result_write_ints(cet_result *r, const char *path, size_t rank, const size_t *dims,
                          const long long *data, const cet_dataset_meta *meta);
int cet_result_write_strings(cet_result *r, const char *path, size_t n, const char *const *values,
                             const cet_dataset_meta *meta);

/* 1 when r was created with parallel = 1 (every rank holds it and writes
 * collectively). */
int cet_result_is_parallel(const cet_result *r);

/* Collective over comm: opens the result file that rank 0 holds (root on
 * rank 0, ignored elsewhere) on every rank of comm with MPI-IO, for
 * collective writes (cet_result_write_rows); rank 0's handle is closed
 * meanwhile and must not be used. Every rank gets *shared (parallel). */
int cet_result_share(cet_result *root, MPI_Comm comm, cet_result **shared);

/* Collective: closes the shared handle (*shared freed, set NULL) and gives
 * the file back to rank 0's root handle. */
int cet_result_unshare(cet_result **shared, cet_result *root);

/* Adds the descriptive attributes of meta to an existing dataset. */
int cet_result_describe(cet_result *r, const char *path, const cet_dataset_meta *meta);

/* The rows of a 2- or 3-D dataset one rank writes: count blocks of block
 * rows, the first starting at row first and one every stride rows, plus
 * tail_rows rows from tail_first (0: none). Ranks own disjoint rows. */
typedef struct {
  size_t first, stride, count, block;
  size_t tail_first, tail_rows;
} cet_result_rows;

/* Element type of cet_result_write_rows. */
typedef enum { CET_RESULT_DOUBLE = 0, CET_RESULT_INT64 = 1 } cet_result_type;

/* Creates the dataset that cet_result_write_rows will fill, as that
 * function would (chunks of block rows), with its storage allocated and
 * written now. Before a file is shared (cet_result_share), rank 0 reserves
 * the space of the rows this way, so that a full disk shows on one rank,
 * not inside a collective write, where HDF5 does not fail on every rank
 * alike; the collective write then needs no new space. */
int cet_result_reserve_rows(cet_result *r, const char *path, cet_result_type type, size_t rank,
                            const size_t *dims, size_t block);

/* Creates a dataset of rank dimensions (1..3) at path and writes this
 * rank's rows (dimension 0) from data, packed in row order: one hyperslab
 * selection per rank and one collective MPI-IO write when r is parallel
 * (collective over the file's communicator: every rank calls it, with its
 * own rows, possibly none); the whole dataset otherwise. The dataset is
 * created, or opened when it was reserved (cet_result_reserve_rows); its
 * chunks hold rows->block rows (when that fits), so that every chunk is
 * written by one rank. meta is applied
 * only to serial files (variable-length strings cannot be written through
 * MPI-IO): describe a shared file's datasets after cet_result_unshare. */
int cet_result_write_rows(cet_result *r, const char *path, cet_result_type type, size_t rank,
                          const size_t *dims, const cet_result_rows *rows, const void *data,
                          const cet_dataset_meta *meta);

/* ---- reading result files (cetwin merge, tests) ---- */

typedef struct cet_result_reader cet_result_reader;

/* Opens a result file read-only (not collective). CET_ERR_INPUT when it
 * cannot be opened or is not a cetwin result file. */
int cet_result_open(const char *path, cet_result_reader **out);

/* Opens a result file or a checkpoint (checkpoint.h) read-only, for
 * `cetwin info`: *checkpoint is 1 for a checkpoint. CET_ERR_INPUT when the
 * file cannot be opened (not HDF5, truncated, damaged) or is neither. */
int cet_result_open_any(const char *path, cet_result_reader **out, int *checkpoint);

/* The path the reader was opened with. */
const char *cet_result_reader_path(const cet_result_reader *r);

void cet_result_close(cet_result_reader **r);

/* 1 when the object (group or dataset) exists. */
int cet_result_has(cet_result_reader *r, const char *object);

/* 1 when the object exists and has the attribute name. */
int cet_result_has_attr(cet_result_reader *r, const char *object, const char *name);

/* Attributes: a string (allocated, free()), an integer, a double. */
int cet_result_read_attr_string(cet_result_reader *r, const char *object, const char *name,
                                char **value);
int cet_result_read_attr_int(cet_result_reader *r, const char *object, const char *name,
                             long long *value);
int cet_result_read_attr_double(cet_result_reader *r, const char *object, const char *name,
                                double *value);

/* A list attribute of texts (a single text reads as a list of one): *n
 * texts in *values (allocated, cet_free_strings). */
int cet_result_read_attr_strings(cet_result_reader *r, const char *object, const char *name,
                                 size_t *n, char ***values);

/* A numeric dataset: *rank and dims[0..2] get its shape, *data an
 * allocated copy (free()). */
int cet_result_read_doubles(cet_result_reader *r, const char *path, size_t *rank, size_t *dims,
                            double **data);
int cet_result_read_ints(cet_result_reader *r, const char *path, size_t *rank, size_t *dims,
                         long long **data);

/* A 1-D string dataset: *values gets n allocated strings (free each and
 * the array). */
int cet_result_read_strings(cet_result_reader *r, const char *path, size_t *n, char ***values);

/* Copies object (a group with everything in it, or a dataset, with their
 * attributes) from src to the same path in dst; with attributes_only, only
 * the object's attributes (onto a group created when absent; "/" always). */
int cet_result_copy(cet_result *dst, cet_result_reader *src, const char *object,
                    int attributes_only);

/* What the root attributes record about a run (docs/hdf5-schema.md). */
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
  const char *resolved_config; /* the case as it ran (cet_config_resolved) */
} cet_run_info;

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf. */
void cet_result_utc_now(char *buf, size_t len);

/* Writes the root attributes (format, format_version, cetwin_version,
 * git_commit, created_utc, command_line, case, analysis, seed, mpi_ranks,
 * omp_threads, config, resolved_config) and /input (every file read, the
 * overrides as given and split into override_path and override_value). */
int cet_result_write_provenance(cet_result *r, const cet_run_info *info);

/* `cetwin export`: writes every table of the result file at path (a
 * numeric dataset of one or two axes; datasets[0..n-1] when n > 0, each
 * of which must be one) as its own CSV file (TSV with tsv set) in folder
 * dir, named after its path (optimize/front/metrics ->
 * dir/optimize.front.metrics.csv): a header row naming the first axis and
 * each column `name [unit]` (labels and units from the dimension scales
 * and the `units` attribute), then one row per entry of the first axis,
 * its label first; numbers with 17 significant digits. Lists each file
 * written on log (NULL: quiet). CET_ERR_INPUT naming the file and the
 * dataset for an unknown dataset or one that is not a table, and for a
 * dir that is not a writable folder. Not collective. */
int cet_result_export(const char *path, const char *const *datasets, size_t n, int tsv,
                      const char *dir, FILE *log);

/* Prints a human summary of an existing result file to stream: the root
 * attributes, every group's attributes, and every dataset with its shape
 * and units. Not collective. */
int cet_result_print_info(const char *path, FILE *stream);

#endif /* CETWIN_RESULT_H */
