/*
 * export.c — `cetwin export`: the tables of a result file (numeric
 * datasets of one or two axes) as CSV or TSV files for spreadsheets, one
 * file per table, with a header row of `name [unit]` (see result.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/result.h"

#include "h5_util.h"
#include "reader_impl.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <errno.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXPORT_NAME_LEN = 1024, EXPORT_MAX_RANK = 2 };

/* A table's axis: its name and the text of each entry. */
typedef struct {
  char name[EXPORT_NAME_LEN];
  char **labels;
  size_t n;
} export_axis;

static void axis_free(export_axis *a) {
  cet_free_strings(a->labels, a->n);
  a->labels = NULL;
  a->n = 0;
}

/* The numbers v[0 .. n - 1] as the labels of a (v NULL: 0 .. n - 1). */
static int number_labels(export_axis *a, const long long *v, size_t n) {
  a->labels = calloc(n + 1, sizeof *a->labels);
  CET_CHECK_ALLOC(a->labels);
  a->n = n;
  for (size_t i = 0; i < n; i++) {
    cet_strbuf b = {0};
    CET_CALL(cet_strbuf_printf(&b, "%lld", v ? v[i] : (long long)i));
    a->labels[i] = b.text;
  }
  return CET_OK;
}

static herr_t scale_path(hid_t dset, unsigned axis, hid_t scale, void *data) {
  (void)dset;
  (void)axis;
  char *path = data;
  return H5Iget_name(scale, path, EXPORT_NAME_LEN) > 0 ? 1 : -1;
}

/* The axis `axis` of dataset path (n entries): named and labelled by its
 * dimension scale when it has one (the scale's strings or numbers), else
 * by fallback (the dataset's `columns` for the last axis) or numbered. */
static int read_axis(cet_result_reader *r, hid_t dset, const char *path, unsigned axis, size_t n,
                     const char *fallback, export_axis *a) {
  char scale[EXPORT_NAME_LEN] = "";
  int found = H5DSget_num_scales(dset, axis) > 0 &&
              H5DSiterate_scales(dset, axis, NULL, scale_path, scale) > 0;
  H5Eclear2(H5E_DEFAULT);
  const char *base = strrchr(found ? scale : path, '/');
  snprintf(a->name, sizeof a->name, "%s", found ? (base ? base + 1 : scale) : fallback);
  if (found && strcmp(scale, path) != 0) {
    hid_t s = H5Dopen2(r->file, scale, H5P_DEFAULT), type = s < 0 ? -1 : H5Dget_type(s);
    int text = type >= 0 && H5Tget_class(type) == H5T_STRING;
    if (type >= 0) {
      H5Tclose(type);
    }
    if (s >= 0) {
      H5Dclose(s);
    }
    size_t count = 0;
    if (text) {
      CET_CALL(cet_result_read_strings(r, scale, &count, &a->labels));
      a->n = count;
    } else {
      size_t rank = 0, dims[3] = {0};
      long long *v = NULL;
      CET_CALL(cet_result_read_ints(r, scale, &rank, dims, &v));
      int status = number_labels(a, v, dims[0]);
      free(v);
      CET_CALL(status);
    }
    CET_CHECK(a->n == n, CET_ERR_INPUT,
              "'%s': %s: the scale '%s' of axis %u has %zu entries, not %zu", r->path, path, scale,
              axis, a->n, n);
    return CET_OK;
  }
  return number_labels(a, NULL, n);
}

/* Appends field to b, quoted when it holds the separator, a quote, a line
 * break or spaces at its ends (RFC 4180). */
static int put_field(cet_strbuf *b, const char *field, char sep) {
  size_t n = strlen(field);
  int quote = strchr(field, sep) || strchr(field, '"') || strchr(field, '\n') ||
              strchr(field, '\r') || (n > 0 && (field[0] == ' ' || field[n - 1] == ' '));
  if (!quote) {
    return cet_strbuf_append(b, field);
  }
  CET_CALL(cet_strbuf_append(b, "\""));
  for (const char *p = field; *p; p++) {
    CET_CALL(cet_strbuf_appendn(b, p, 1));
    if (*p == '"') {
      CET_CALL(cet_strbuf_append(b, "\""));
    }
  }
  return cet_strbuf_append(b, "\"");
}

/* The unit of each of n columns from the dataset's `units` (a text for
 * every column, or a list of one per column); NULL entries: none given.
 * A 1-D dataset (rows entries, n 1) may have one unit per entry: *per_row
 * is then set and units has one per row. */
static int column_units(cet_result_reader *r, hid_t dset, const char *path, size_t n, size_t rows,
                        char ***units, int *per_row) {
  *per_row = 0;
  *units = calloc((n > rows ? n : rows) + 1, sizeof **units);
  CET_CHECK_ALLOC(*units);
  if (H5Aexists(dset, "units") <= 0) {
    return CET_OK;
  }
  hid_t a = H5Aopen(dset, "units", H5P_DEFAULT), space = H5Aget_space(a);
  hssize_t count = H5Sget_simple_extent_npoints(space);
  int scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR;
  H5Sclose(space);
  if (!scalar && n == 1 && (size_t)count == rows) {
    *per_row = 1;
    n = rows;
  }
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  int shaped = count > 0 && (scalar || (size_t)count == n);
  char **v = shaped ? calloc((size_t)count, sizeof *v) : NULL;
  if (shaped && !v) {
    H5Tclose(t);
    H5Aclose(a);
    CET_CHECK_ALLOC(v);
  }
  herr_t e = v ? H5Aread(a, t, v) : -1;
  H5Tclose(t);
  H5Aclose(a);
  H5Eclear2(H5E_DEFAULT);
  CET_CHECK(e >= 0, CET_ERR_INPUT,
            "'%s': %s: attribute units is neither one unit nor one per column (%zu)", r->path, path,
            n);
  for (size_t j = 0; j < n; j++) {
    (*units)[j] = cet_strdup(v[scalar ? 0 : j]);
  }
  for (hssize_t j = 0; j < count; j++) {
    H5free_memory(v[j]);
  }
  free(v);
  for (size_t j = 0; j < n; j++) {
    CET_CHECK_ALLOC((*units)[j]);
  }
  return CET_OK;
}

/* The file a table is written to: dir/GROUP.NAME.csv. */
static char *output_name(const char *dir, const char *path, const char *ext) {
  cet_strbuf b = {0};
  if (cet_strbuf_printf(&b, "%s/", dir) != CET_OK) {
    return NULL;
  }
  for (const char *p = path[0] == '/' ? path + 1 : path; *p; p++) {
    char ch = *p == '/' ? '.' : *p;
    if (cet_strbuf_appendn(&b, &ch, 1) != CET_OK) {
      return NULL;
    }
  }
  if (cet_strbuf_append(&b, ext) != CET_OK) {
    return NULL;
  }
  return b.text;
}

/* A table read for export: its axes, units and values. */
typedef struct {
  size_t rows, cols;
  int rank, integer, per_row; /* per_row: a unit per row, else per column */
  const char *base;           /* the dataset's name, heading a 1-D table's column */
  export_axis row, col;
  char **units;
  double *d;
  long long *ints;
} table_data;

/* Writes the heading of column j to b. */
static int put_column_name(cet_strbuf *b, const table_data *t, size_t j, char sep) {
  const char sep_text[2] = {sep, '\0'};
  cet_strbuf h = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_strbuf_printf(&h, "%s", t->rank == 2 ? t->col.labels[j] : t->base));
  if (t->units[j] && !t->per_row) {
    CET_CALL_GOTO(status, done, cet_strbuf_printf(&h, " [%s]", t->units[j]));
  }
  CET_CALL_GOTO(status, done, cet_strbuf_append(b, sep_text));
  CET_CALL_GOTO(status, done, put_field(b, h.text ? h.text : "", sep));
done:
  cet_strbuf_free(&h);
  return status;
}

/* Writes the header line of t to b. */
static int put_header(cet_strbuf *b, const table_data *t, char sep) {
  CET_CALL(put_field(b, t->row.name, sep));
  for (size_t j = 0; j < t->cols; j++) {
    CET_CALL(put_column_name(b, t, j, sep));
  }
  if (t->per_row) { /* a unit per entry: a column of its own */
    CET_CALL(cet_strbuf_printf(b, "%cunits", sep));
  }
  CET_CALL(cet_strbuf_append(b, "\n"));
  return CET_OK;
}

/* Writes the lines of the rows of t to b. */
static int put_rows(cet_strbuf *b, const table_data *t, char sep) {
  const char sep_text[2] = {sep, '\0'};
  for (size_t i = 0; i < t->rows; i++) {
    CET_CALL(put_field(b, t->row.labels[i], sep));
    for (size_t j = 0; j < t->cols; j++) {
      if (t->integer) {
        CET_CALL(cet_strbuf_printf(b, "%c%lld", sep, t->ints[i * t->cols + j]));
      } else {
        CET_CALL(cet_strbuf_printf(b, "%c%.17g", sep, t->d[i * t->cols + j]));
      }
    }
    if (t->per_row) {
      CET_CALL(cet_strbuf_append(b, sep_text));
      CET_CALL(put_field(b, t->units[i] ? t->units[i] : "", sep));
    }
    CET_CALL(cet_strbuf_append(b, "\n"));
  }
  return CET_OK;
}

/* Writes the text of table path (rows x cols values, ints or doubles). */
static int table_text(cet_result_reader *r, hid_t dset, const char *path, int rank,
                      const size_t *dims, char sep, cet_strbuf *b) {
  table_data t = {.rows = dims[0], .cols = rank == 2 ? dims[1] : 1, .rank = rank};
  const char *base = strrchr(path, '/');
  t.base = base ? base + 1 : path;
  hid_t type = H5Dget_type(dset);
  t.integer = H5Tget_class(type) == H5T_INTEGER;
  H5Tclose(type);
  size_t rk = 0, shape[3] = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, done, read_axis(r, dset, path, 0, t.rows, "row", &t.row));
  if (rank == 2) {
    CET_CALL_GOTO(status, done, read_axis(r, dset, path, 1, t.cols, "column", &t.col));
  }
  CET_CALL_GOTO(status, done, column_units(r, dset, path, t.cols, t.rows, &t.units, &t.per_row));
  if (t.integer) {
    CET_CALL_GOTO(status, done, cet_result_read_ints(r, path, &rk, shape, &t.ints));
  } else {
    CET_CALL_GOTO(status, done, cet_result_read_doubles(r, path, &rk, shape, &t.d));
  }
  CET_CALL_GOTO(status, done, put_header(b, &t, sep));
  CET_CALL_GOTO(status, done, put_rows(b, &t, sep));
done:
  axis_free(&t.row);
  axis_free(&t.col);
  cet_free_strings(t.units, t.per_row ? t.rows : t.cols);
  free(t.d);
  free(t.ints);
  return status;
}

/* Checks that object path of r is a table: its rank and dims. */
static int open_table(cet_result_reader *r, const char *path, int named, hid_t *dset, int *rank,
                      size_t *dims) {
  *dset = H5I_INVALID_HID;
  H5O_info_t info;
  htri_t ok = H5LTpath_valid(r->file, path, 1);
  if (ok <= 0 || H5Oget_info_by_name2(r->file, path, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
      info.type != H5O_TYPE_DATASET) {
    H5Eclear2(H5E_DEFAULT);
    CET_CHECK(0, CET_ERR_INPUT, "'%s': no dataset '%s' (cetwin info lists them)", r->path, path);
  }
  *dset = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (*dset < 0) {
    return cet_h5_read_fail(r->path, path, "cannot open the dataset");
  }
  hid_t type = H5Dget_type(*dset), space = H5Dget_space(*dset);
  H5T_class_t cls = H5Tget_class(type);
  int nd = H5Sget_simple_extent_ndims(space);
  hsize_t hd[H5S_MAX_RANK] = {0};
  H5Sget_simple_extent_dims(space, hd, NULL);
  H5Sclose(space);
  H5Tclose(type);
  int numeric = cls == H5T_INTEGER || cls == H5T_FLOAT;
  if (!numeric || nd < 1 || nd > EXPORT_MAX_RANK) {
    H5Dclose(*dset);
    *dset = H5I_INVALID_HID;
    CET_CHECK(!named, CET_ERR_INPUT,
              "'%s': '%s' is not a table: expected numbers along one or two axes, found %s along "
              "%d",
              r->path, path, numeric ? "numbers" : "text", nd);
    return CET_OK;
  }
  *rank = nd;
  dims[0] = (size_t)hd[0];
  dims[1] = nd == 2 ? (size_t)hd[1] : 1;
  return CET_OK;
}

static herr_t list_tables(hid_t obj, const char *name, const H5O_info_t *info, void *data) {
  if (info->type != H5O_TYPE_DATASET) {
    return 0;
  }
  hid_t d = H5Dopen2(obj, name, H5P_DEFAULT);
  int scale = d >= 0 && H5DSis_scale(d) > 0;
  if (d >= 0) {
    H5Dclose(d);
  }
  if (scale) {
    return 0;
  }
  return cet_h5_path_list_add(data, name);
}

/* Writes one table to its file in dir; *wrote gets the file's name. */
static int export_one(cet_result_reader *r, const char *path, int named, int tsv, const char *dir,
                      char **wrote) {
  *wrote = NULL;
  hid_t dset = H5I_INVALID_HID;
  int rank = 0;
  size_t dims[2] = {0};
  CET_CALL(open_table(r, path, named, &dset, &rank, dims));
  if (dset < 0) {
    return CET_OK; /* not a table, and not asked for by name */
  }
  cet_strbuf text = {0};
  char *name = NULL;
  int status = CET_OK, opened = 0;
  CET_CALL_GOTO(status, done, table_text(r, dset, path, rank, dims, tsv ? '\t' : ',', &text));
  name = output_name(dir, path, tsv ? ".tsv" : ".csv");
  CET_CHECK_GOTO(status, done, name != NULL, CET_ERR_MEMORY,
                 "out of memory in %s for the file of %s", __func__, path);
  FILE *f = fopen(name, "w");
  CET_CHECK_GOTO(status, done, f != NULL, CET_ERR_INPUT, "-o '%s': cannot write '%s': %s", dir,
                 name, strerror(errno));
  opened = 1;
  size_t len = text.text ? strlen(text.text) : 0;
  int bad = fwrite(text.text ? text.text : "", 1, len, f) != len;
  bad |= fclose(f) != 0;
  CET_CHECK_GOTO(status, done, !bad, CET_ERR_RUNTIME, "cannot write '%s': %s", name,
                 strerror(errno));
  *wrote = name;
  name = NULL;
done:
  if (status != CET_OK && opened) {
    remove(name); /* no half-written table is left */
  }
  H5Dclose(dset);
  cet_strbuf_free(&text);
  free(name);
  return status;
}

/* Exports the table named given (with or without its leading '/'),
 * counting the files written in *files and naming them on log. */
static int export_named(cet_result_reader *r, const char *given, int named, int tsv,
                        const char *dir, FILE *log, size_t *files) {
  cet_strbuf object = {0};
  char *wrote = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, done,
                cet_strbuf_printf(&object, "%s%s", given[0] == '/' ? "" : "/", given));
  CET_CALL_GOTO(status, done, export_one(r, object.text, named, tsv, dir, &wrote));
  if (wrote) {
    (*files)++;
    if (log) {
      fprintf(log, "%s -> %s\n", object.text, wrote);
    }
  }
done:
  free(wrote);
  cet_strbuf_free(&object);
  return status;
}

int cet_result_export(const char *path, const char *const *datasets, size_t n, int tsv,
                      const char *dir, FILE *log) {
  struct stat st;
  CET_CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && access(dir, W_OK) == 0, CET_ERR_INPUT,
            "-o '%s': expected a folder to write to, %s", dir,
            stat(dir, &st) != 0    ? strerror(errno)
            : !S_ISDIR(st.st_mode) ? "found a file"
                                   : strerror(EACCES));
  cet_result_reader *r = NULL;
  CET_CALL(cet_result_open(path, &r));
  cet_h5_path_list all = {0};
  int status = CET_OK;
  if (n == 0) {
    herr_t e = H5Ovisit2(r->file, H5_INDEX_NAME, H5_ITER_INC, list_tables, &all, H5O_INFO_BASIC);
    CET_CALL_GOTO(status, done, all.failed);
    CET_CALL_GOTO(status, done,
                  e < 0 ? cet_h5_read_fail(path, NULL, "cannot list the datasets") : CET_OK);
  }
  size_t count = n ? n : all.n, files = 0;
  for (size_t i = 0; i < count; i++) {
    CET_CALL_GOTO(status, done,
                  export_named(r, n ? datasets[i] : all.paths[i], n > 0, tsv, dir, log, &files));
  }
  if (log) {
    fprintf(log, "%zu table%s written to %s\n", files, files == 1 ? "" : "s", dir);
  }
done:
  cet_h5_path_list_free(&all);
  cet_result_close(&r);
  return status;
}
