/*
 * result.c — writing the result file: creation as OUT.h5.partial, typed
 * datasets with descriptive attributes, attributes, and the atomic rename
 * on success (see result.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/result.h"

#include "axes.h"
#include "checksum.h"
#include "h5_util.h"
#include "reader_impl.h"

#include "cetwin/collective.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RESULT_MAX_RANK = 3, RESULT_PATH_LEN = 4096 };

struct cet_result {
  hid_t file;
  char *path;    /* final name */
  char *partial; /* name while writing */
  MPI_Comm comm;
  int parallel;
  int rank;
};

static void release(cet_result *r) {
  free(r->path);
  free(r->partial);
  free(r);
}

/* Creates the file partial (the name path has while it is written) for
 * this run and returns its descriptor in *fd, open for writing. A file of
 * that name is never truncated or removed, since another run may be writing
 * it (two jobs given the same output): an existing regular file is bad
 * input, with a message that says what to do. With replaced not NULL (a
 * file only this run writes) it is replaced instead, and *replaced says
 * whether there was one. what names the file in other failures ("cannot
 * create WHAT'partial': reason"). */
static int claim_partial(const char *partial, const char *path, int *replaced, const char *what,
                         int *fd) {
  *fd = open(partial, O_WRONLY | O_CREAT | O_EXCL, 0666);
  int err = *fd >= 0 ? 0 : errno;
  struct stat st;
  int taken = err == EEXIST && stat(partial, &st) == 0 && S_ISREG(st.st_mode);
  if (taken && replaced) {
    *replaced = 1;
    *fd = open(partial, O_WRONLY | O_TRUNC);
    err = *fd >= 0 ? 0 : errno;
    taken = 0;
  }
  CET_CHECK(!taken, CET_ERR_INPUT,
            "'%s' exists: another run may be writing '%s' (jobs given the same output), or a "
            "run that was killed left it; if no run is writing it, remove it and run again, or "
            "choose another output",
            partial, path);
  CET_CHECK(err == 0, CET_ERR_RUNTIME, "cannot create %s'%s': %s", what, partial, strerror(err));
  return CET_OK;
}

/* cet_result_create; with replaced not NULL, replacing a partial file left
 * by an interrupted run (claim_partial). */
static int create(const char *path, MPI_Comm comm, int parallel, int *replaced, cet_result **out) {
  *out = NULL;
  if (replaced) {
    *replaced = 0;
  }
  cet_h5_quiet();
  cet_result *r = calloc(1, sizeof *r);
  CET_CHECK_ALLOC(r);
  r->file = H5I_INVALID_HID;
  r->comm = comm;
  r->parallel = parallel;
  MPI_Comm_rank(comm, &r->rank);
  cet_strbuf partial = {0};
  int status = cet_strbuf_printf(&partial, "%s.partial", path);
  r->partial = partial.text;
  r->path = cet_strdup(path);
  if (status != CET_OK || !r->path) {
    release(r); /* no file of this run's yet: nothing to remove */
    CET_CHECK_ALLOC(NULL);
  }
  int writer = r->rank == 0 || !parallel, fd = -1;
  status = writer ? claim_partial(r->partial, path, replaced, "result file ", &fd) : CET_OK;
  if (fd >= 0) {
    close(fd);
  }
  if (parallel) {
    status = cet_collective_status(status, comm);
  }
  if (status != CET_OK) {
    release(r); /* the partial file is another run's, or was not made */
    return status;
  }
  /* the file is this run's: HDF5 writes it from the start */
  hid_t fcpl = cet_h5_fcpl(), fapl = cet_h5_fapl(parallel ? comm : MPI_COMM_NULL);
  r->file = H5Fcreate(r->partial, H5F_ACC_TRUNC, fcpl, fapl);
  H5Pclose(fapl);
  H5Pclose(fcpl);
  if (r->file < 0) {
    char what[1024];
    snprintf(what, sizeof what, "cannot create result file '%s'", r->partial);
    status = cet_h5_fail(what);
    if (writer) {
      remove(r->partial);
    }
    release(r);
    return status;
  }
  *out = r;
  return CET_OK;
}

int cet_result_create(const char *path, MPI_Comm comm, int parallel, cet_result **out) {
  return create(path, comm, parallel, NULL, out);
}

int cet_result_create_replacing(const char *path, int *replaced, cet_result **out) {
  int ignored = 0;
  return create(path, MPI_COMM_SELF, 0, replaced ? replaced : &ignored, out);
}

const char *cet_result_path(const cet_result *r) { return r->path; }

/* fsync of a file or folder: 0, or the errno. Filesystems that cannot
 * sync (EINVAL) count as done. */
static int sync_path(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    return errno;
  }
  int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
  close(fd);
  return rc;
}

/* Puts the closed partial file on disk, renames it to its final name and
 * syncs the folder, so that the final name never shows an incomplete file
 * (also after a crash). */
static int publish_path(const char *partial, const char *path) {
  int err = sync_path(partial);
  CET_CHECK(err == 0, CET_ERR_RUNTIME, "cannot write '%s' to disk: %s", partial, strerror(err));
  /* the folder's name before the rename: once the final name exists, no
   * failure may follow */
  char *copy = cet_strdup(path);
  CET_CHECK(copy != NULL, CET_ERR_MEMORY, "out of memory in %s for the folder of '%s'", __func__,
            path);
  if (rename(partial, path) != 0) {
    err = errno;
    free(copy);
    CET_CHECK(0, CET_ERR_RUNTIME, "cannot rename '%s' to '%s': %s", partial, path, strerror(err));
  }
  sync_path(dirname(copy)); /* best effort: the rename itself is atomic */
  free(copy);
  return CET_OK;
}

static int publish(const cet_result *r) { return publish_path(r->partial, r->path); }

int cet_result_save_text(const char *path, const char *text, size_t len) {
  cet_strbuf partial = {0};
  CET_CALL(cet_strbuf_printf(&partial, "%s.partial", path));
  int fd = -1, status = claim_partial(partial.text, path, NULL, "", &fd);
  if (status != CET_OK) {
    cet_strbuf_free(&partial); /* the partial file is another run's, or was not made */
    return status;
  }
  FILE *f = fdopen(fd, "w");
  int err = f ? 0 : errno;
  if (!f) {
    close(fd);
  }
  CET_CHECK_GOTO(status, done, f != NULL, CET_ERR_RUNTIME, "cannot create '%s': %s", partial.text,
                 strerror(err));
  errno = 0;
  size_t wrote = fwrite(text, 1, len, f);
  err = wrote == len ? 0 : errno ? errno : EIO;
  if (fclose(f) != 0 && err == 0) {
    err = errno ? errno : EIO;
  }
  CET_CHECK_GOTO(status, done, err == 0, CET_ERR_RUNTIME, "cannot write '%s': %s", partial.text,
                 strerror(err));
  CET_CALL_GOTO(status, done, publish_path(partial.text, path));
done:
  if (status != CET_OK) {
    remove(partial.text);
  }
  cet_strbuf_free(&partial);
  return status;
}

/* The communicator of a file open with MPI-IO, else MPI_COMM_NULL. */
static MPI_Comm file_comm(const cet_result *r) { return r->parallel ? r->comm : MPI_COMM_NULL; }

int cet_result_commit(cet_result **rp) {
  cet_result *r = *rp;
  *rp = NULL;
  int status = r->parallel ? CET_OK : cet_axes_attach(r->file, r->partial);
  if (status != CET_OK) {
    cet_result_discard(&r);
    return status;
  }
  status = cet_h5_close_written(r->file, r->partial, file_comm(r), 1);
  r->file = H5I_INVALID_HID;
  if (r->parallel) {
    status = cet_collective_status(status, r->comm);
  }
  int writer = r->rank == 0 || !r->parallel;
  if (status == CET_OK && writer) {
    status = cet_checksum_seal(r->partial);
  }
  if (status == CET_OK && writer) {
    status = publish(r);
  }
  if (status != CET_OK && writer) {
    remove(r->partial);
  }
  if (r->parallel) {
    status = cet_collective_status(status, r->comm);
  }
  release(r);
  return status;
}

void cet_result_discard(cet_result **rp) {
  if (!rp || !*rp) {
    return;
  }
  cet_result *r = *rp;
  if (r->file >= 0) {
    cet_h5_close_written(r->file, r->partial, file_comm(r), 0);
  }
  if (r->partial && (r->rank == 0 || !r->parallel)) {
    remove(r->partial);
  }
  release(r);
  *rp = NULL;
}

/* Opens object (group or dataset), creating a group when it is absent. */
static hid_t open_object(cet_result *r, const char *object) {
  if (strcmp(object, "/") == 0) {
    return H5Oopen(r->file, "/", H5P_DEFAULT);
  }
  hid_t obj = H5Oopen(r->file, object, H5P_DEFAULT);
  if (obj >= 0) {
    return obj;
  }
  H5Eclear2(H5E_DEFAULT);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  obj = H5Gcreate2(r->file, object, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  return obj;
}

static hid_t string_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

/* Type of a list of n strings: variable-length UTF-8, except for an empty
 * list, stored as one-byte fixed-length strings because R's hdf5r cannot
 * read an empty variable-length string dataset. */
static hid_t list_type(size_t n) {
  if (n > 0) {
    return string_type();
  }
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, 1);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

/* Records an HDF5 failure "what 'object' in 'file'" (file: the name
 * being written). */
static int fail_in(const char *file, const char *what, const char *object) {
  char text[RESULT_PATH_LEN + 512];
  snprintf(text, sizeof text, "%s '%s' in '%s'", what, object, file);
  return cet_h5_fail(text);
}

/* Writes attribute name of type/space/data on an open object of file. */
static int put_attr(const char *file, hid_t obj, const char *name, hid_t type, hid_t space,
                    const void *data) {
  if (H5Aexists(obj, name) > 0) {
    H5Adelete(obj, name);
  }
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  /* the message first: every HDF5 call clears HDF5's error stack */
  int status =
      a < 0 || H5Awrite(a, type, data) < 0 ? fail_in(file, "cannot write attribute", name) : CET_OK;
  if (a >= 0) {
    H5Aclose(a);
  }
  return status;
}

static int attr_on(cet_result *r, const char *object, const char *name, hid_t type, hid_t space,
                   const void *data) {
  hid_t obj = open_object(r, object);
  if (obj < 0) {
    return fail_in(r->partial, "cannot open", object);
  }
  int status = put_attr(r->partial, obj, name, type, space, data);
  H5Oclose(obj);
  return status;
}

int cet_result_attr_string(cet_result *r, const char *object, const char *name, const char *value) {
  hid_t t = string_type(), s = H5Screate(H5S_SCALAR);
  int status = attr_on(r, object, name, t, s, &value);
  H5Sclose(s);
  H5Tclose(t);
  return status;
}

int cet_result_attr_strings(cet_result *r, const char *object, const char *name,
                            const char *const *values, size_t n) {
  if (n == 0) {
    return CET_OK; /* omitted: R's hdf5r cannot read an empty attribute */
  }
  hsize_t dim = n;
  hid_t t = string_type(), s = H5Screate_simple(1, &dim, NULL);
  int status = attr_on(r, object, name, t, s, values);
  H5Sclose(s);
  H5Tclose(t);
  return status;
}

int cet_result_attr_double(cet_result *r, const char *object, const char *name, double value) {
  hid_t s = H5Screate(H5S_SCALAR);
  int status = attr_on(r, object, name, H5T_NATIVE_DOUBLE, s, &value);
  H5Sclose(s);
  return status;
}

int cet_result_attr_int(cet_result *r, const char *object, const char *name, long long value) {
  hid_t s = H5Screate(H5S_SCALAR);
  int status = attr_on(r, object, name, H5T_NATIVE_LLONG, s, &value);
  H5Sclose(s);
  return status;
}

/* Writes the list of units of meta (one per entry of the trailing
 * dimensions of dset whose product is meta->n_units) as attribute `units`. */
static int write_unit_list(const cet_result *r, hid_t dset, const cet_dataset_meta *meta) {
  hid_t space = H5Dget_space(dset);
  hsize_t dims[RESULT_MAX_RANK] = {0}, shape[RESULT_MAX_RANK];
  int rank = H5Sget_simple_extent_ndims(space);
  H5Sget_simple_extent_dims(space, dims, NULL);
  H5Sclose(space);
  int n = 0;
  if (rank >= 1 && dims[rank - 1] == meta->n_units) {
    n = 1;
    shape[0] = dims[rank - 1];
  } else if (rank >= 2 && dims[rank - 2] * dims[rank - 1] == meta->n_units) {
    n = 2;
    shape[0] = dims[rank - 2];
    shape[1] = dims[rank - 1];
  }
  CET_CHECK(n > 0, CET_ERR_RUNTIME,
            "'%s': %zu units do not match the trailing dimensions of a dataset", r->partial,
            meta->n_units);
  hid_t t = string_type(), s = H5Screate_simple(n, shape, NULL);
  int status = put_attr(r->partial, dset, "units", t, s, meta->unit_list);
  H5Sclose(s);
  H5Tclose(t);
  return status;
}

static int write_meta(const cet_result *r, const char *path, hid_t dset,
                      const cet_dataset_meta *meta) {
  if (!meta) {
    return CET_OK;
  }
  hid_t t = string_type(), scalar = H5Screate(H5S_SCALAR);
  int status = CET_OK;
  const char *long_name = meta->long_name ? meta->long_name : meta->description;
  const char *units = meta->units;
  if (!units && meta->unit_list && meta->n_units == 0) {
    units = "1"; /* a table without columns */
  }
  const char *text[] = {units, meta->description, meta->dims, long_name};
  const char *names[] = {"units", "description", "dims", "long_name"};
  for (int i = 0; i < 4; i++) {
    if (text[i]) {
      CET_CALL_GOTO(status, done, put_attr(r->partial, dset, names[i], t, scalar, &text[i]));
    }
  }
  if (meta->unit_list && meta->n_units) {
    CET_CALL_GOTO(status, done, write_unit_list(r, dset, meta));
  }
  if (meta->columns && meta->n_columns) {
    hsize_t n = meta->n_columns;
    hid_t s = H5Screate_simple(1, &n, NULL);
    status = put_attr(r->partial, dset, "columns", t, s, meta->columns);
    H5Sclose(s);
  }
done:
  H5Sclose(scalar);
  H5Tclose(t);
  CET_CALL(status);
  if (!r->parallel) {
    CET_CALL(cet_axes_labels(r->file, r->partial, dset, path, meta));
  }
  return CET_OK;
}

/* Creates the dataset path of rank dimensions (1..3) and file_type, with
 * its intermediate groups (chunks of rows rows when rows > 0: see
 * cet_h5_dcpl; with allocate, the chunks are written now); *space and *dset
 * are to be closed. */
static int create_dataset(cet_result *r, const char *path, size_t rank, const size_t *dims,
                          hid_t file_type, size_t rows, int allocate, hid_t *space, hid_t *dset) {
  CET_CHECK(rank >= 1 && rank <= RESULT_MAX_RANK, CET_ERR_RUNTIME,
            "dataset '%s': rank %zu not supported", path, rank);
  hsize_t hd[RESULT_MAX_RANK] = {0};
  for (size_t i = 0; i < rank; i++) {
    hd[i] = dims[i];
  }
  *space = H5Screate_simple((int)rank, hd, NULL);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t dcpl = cet_h5_dcpl((int)rank, hd, file_type, rows);
  if (allocate && dcpl != H5P_DEFAULT) {
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
  }
  *dset = H5Dcreate2(r->file, path, file_type, *space, lcpl, dcpl, H5P_DEFAULT);
  int status = *dset < 0 ? fail_in(r->partial, "cannot create dataset", path) : CET_OK;
  if (dcpl != H5P_DEFAULT) {
    H5Pclose(dcpl);
  }
  H5Pclose(lcpl);
  if (*dset < 0) {
    H5Sclose(*space);
  }
  return status;
}

/* Creates, fills and describes one dataset (chunks of rows rows, when
 * rows > 0). */
static int write_dataset(cet_result *r, const char *path, size_t rank, const size_t *dims,
                         hid_t file_type, hid_t mem_type, size_t rows, const void *data,
                         const cet_dataset_meta *meta) {
  size_t count = 1;
  for (size_t i = 0; i < rank; i++) {
    count *= dims[i];
  }
  hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID;
  CET_CALL(create_dataset(r, path, rank, dims, file_type, rows, 0, &space, &dset));
  herr_t w = 0;
  if (count > 0 && (r->rank == 0 || !r->parallel)) {
    w = H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  }
  int status = CET_OK;
  if (w < 0) {
    status = fail_in(r->partial, "cannot write dataset", path);
  } else {
    status = write_meta(r, path, dset, meta);
  }
  H5Dclose(dset);
  H5Sclose(space);
  return status;
}

int cet_result_write_doubles(cet_result *r, const char *path, size_t rank, const size_t *dims,
                             const double *data, const cet_dataset_meta *meta) {
  return write_dataset(r, path, rank, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, data, meta);
}

int cet_result_write_ints(cet_result *r, const char *path, size_t rank, const size_t *dims,
                          const long long *data, const cet_dataset_meta *meta) {
  return write_dataset(r, path, rank, dims, H5T_STD_I64LE, H5T_NATIVE_LLONG, 0, data, meta);
}

int cet_result_write_strings(cet_result *r, const char *path, size_t n, const char *const *values,
                             const cet_dataset_meta *meta) {
  hid_t t = list_type(n);
  int status = write_dataset(r, path, 1, &n, t, t, 0, values, meta);
  H5Tclose(t);
  return status;
}

int cet_result_is_parallel(const cet_result *r) { return r->parallel; }

/* Selects block rows from row first of a dataspace of rank dimensions
 * dims (all of the other dimensions); none when block is 0. */
static herr_t select_block(hid_t space, size_t rank, const size_t *dims, size_t first,
                           size_t block) {
  if (block == 0) {
    return H5Sselect_none(space);
  }
  hsize_t start[RESULT_MAX_RANK] = {first}, count[RESULT_MAX_RANK];
  for (size_t i = 0; i < rank; i++) {
    count[i] = i ? dims[i] : block;
  }
  return H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL);
}

int cet_result_reserve_rows(cet_result *r, const char *path, cet_result_type type, size_t rank,
                            const size_t *dims, size_t block) {
  hid_t ftype = type == CET_RESULT_DOUBLE ? H5T_IEEE_F64LE : H5T_STD_I64LE;
  hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID;
  CET_CALL(create_dataset(r, path, rank, dims, ftype, block, 1, &space, &dset));
  H5Dclose(dset);
  H5Sclose(space);
  return CET_OK;
}

int cet_result_write_rows(cet_result *r, const char *path, cet_result_type type, size_t rank,
                          const size_t *dims, const cet_result_rows *rows, const void *data,
                          const cet_dataset_meta *meta) {
  CET_CHECK(rank >= 1 && rank <= RESULT_MAX_RANK, CET_ERR_RUNTIME,
            "dataset '%s': rank %zu not supported", path, rank);
  hid_t ftype = type == CET_RESULT_DOUBLE ? H5T_IEEE_F64LE : H5T_STD_I64LE;
  hid_t mtype = type == CET_RESULT_DOUBLE ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG;
  if (!r->parallel) { /* chunks of one block of rows, whatever the number of ranks */
    return write_dataset(r, path, rank, dims, ftype, mtype, rows->block, data, meta);
  }
  size_t per_row = 1;
  for (size_t i = 1; i < rank; i++) {
    per_row *= dims[i];
  }
  hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID;
  if (H5Lexists(r->file, path, H5P_DEFAULT) > 0) { /* reserved */
    dset = H5Dopen2(r->file, path, H5P_DEFAULT);
    space = dset < 0 ? H5I_INVALID_HID : H5Dget_space(dset);
    if (dset < 0) {
      return fail_in(r->partial, "cannot open dataset", path);
    }
  } else {
    H5Eclear2(H5E_DEFAULT);
    CET_CALL(create_dataset(r, path, rank, dims, ftype, rows->block, 0, &space, &dset));
  }
  /* One collective write per block (every rank takes part in as many as
   * the rank with the most blocks, with an empty selection when it has
   * none left): the same single block in memory and in the file, which
   * HDF5 maps onto the chunks as a whole, not element by element. */
  long mine = (long)rows->count + (rows->tail_rows > 0), rounds = 0;
  MPI_Allreduce(&mine, &rounds, 1, MPI_LONG, MPI_MAX, r->comm);
  hsize_t mdims[RESULT_MAX_RANK];
  for (size_t i = 0; i < rank; i++) {
    mdims[i] = i ? dims[i] : (rows->block > rows->tail_rows ? rows->block : rows->tail_rows);
  }
  mdims[0] = mdims[0] > 0 ? mdims[0] : 1;
  hid_t mem = H5Screate_simple((int)rank, mdims, NULL);
  hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
  H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE);
  size_t size = type == CET_RESULT_DOUBLE ? sizeof(double) : sizeof(long long);
  static const double nothing = 0.0; /* a valid buffer for a rank without rows */
  herr_t e = 0;
  for (long k = 0; k < rounds && per_row > 0; k++) {
    size_t first = 0, n = 0;
    if ((size_t)k < rows->count) {
      first = rows->first + (size_t)k * (rows->stride > 0 ? rows->stride : rows->block);
      n = rows->block;
    } else if ((size_t)k == rows->count) {
      first = rows->tail_first;
      n = rows->tail_rows;
    }
    const char *at = (const char *)data + (size_t)k * rows->block * per_row * size;
    herr_t s = select_block(space, rank, dims, first, n);
    s = s < 0 ? s : select_block(mem, rank, dims, 0, n);
    s = s < 0 ? s : H5Dwrite(dset, mtype, mem, space, xfer, n > 0 ? at : (const void *)&nothing);
    e = e < 0 ? e : s;
  }
  int status = e < 0 ? fail_in(r->partial, "cannot write dataset", path) : CET_OK;
  H5Pclose(xfer);
  H5Sclose(mem);
  H5Dclose(dset);
  H5Sclose(space);
  return status;
}

int cet_result_describe(cet_result *r, const char *path, const cet_dataset_meta *meta) {
  hid_t dset = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (dset < 0) {
    return fail_in(r->partial, "cannot open dataset", path);
  }
  int status = write_meta(r, path, dset, meta);
  H5Dclose(dset);
  return status;
}

int cet_result_share(cet_result *root, MPI_Comm comm, cet_result **shared) {
  *shared = NULL;
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  char names[2][RESULT_PATH_LEN] = {"", ""};
  int status = CET_OK;
  if (rank == 0) {
    snprintf(names[0], RESULT_PATH_LEN, "%s", root->path);
    snprintf(names[1], RESULT_PATH_LEN, "%s", root->partial);
    status = cet_h5_close_written(root->file, root->partial, MPI_COMM_NULL, 1);
    root->file = H5I_INVALID_HID;
  }
  CET_CALL(cet_collective_status(status, comm));
  MPI_Bcast(names, 2 * RESULT_PATH_LEN, MPI_CHAR, 0, comm);
  cet_result *s = calloc(1, sizeof *s);
  CET_CHECK_ALLOC(s);
  s->comm = comm;
  s->parallel = 1;
  s->rank = rank;
  s->path = cet_strdup(names[0]);
  s->partial = cet_strdup(names[1]);
  hid_t fapl = cet_h5_fapl(comm);
  s->file = H5Fopen(s->partial, H5F_ACC_RDWR, fapl);
  H5Pclose(fapl);
  int ok = s->path && s->partial && s->file >= 0, all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
  if (!all) {
    if (s->file >= 0) {
      H5Fclose(s->file);
    }
    release(s);
    CET_CHECK(0, CET_ERR_RUNTIME, "cannot open '%s' on every rank with MPI-IO", names[1]);
  }
  *shared = s;
  return CET_OK;
}

int cet_result_unshare(cet_result **shared, cet_result *root) {
  cet_result *s = *shared;
  *shared = NULL;
  MPI_Comm comm = s->comm;
  int status = cet_h5_close_written(s->file, s->partial, comm, 1);
  status = cet_collective_status(status, comm);
  if (status == CET_OK && s->rank == 0 && root) {
    hid_t fapl = cet_h5_fapl(MPI_COMM_NULL);
    root->file = H5Fopen(root->partial, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (root->file < 0) {
      char what[RESULT_PATH_LEN + 64];
      snprintf(what, sizeof what, "cannot reopen '%s' on rank 0", root->partial);
      status = cet_h5_fail(what);
    }
  }
  release(s);
  return cet_collective_status(status, comm);
}

/* Copies the attributes of object src_obj onto dst_obj. */
/* Where copy_attr copies to, and whether it ran out of memory. */
typedef struct {
  hid_t to;
  int out_of_memory;
} attr_copy;

static herr_t copy_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
  (void)info;
  attr_copy *copy = data;
  hid_t dst = copy->to;
  if (strcmp(name, "DIMENSION_LIST") == 0 || strcmp(name, "REFERENCE_LIST") == 0) {
    return 0; /* references to objects of the source file: the writer attaches its own scales */
  }
  hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  hid_t type = H5Aget_type(a), space = H5Aget_space(a);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  size_t size = H5Tget_size(type);
  int vlen = H5Tis_variable_str(type) > 0;
  /* read into memory HDF5 allocates: texts, and the lists of references of
   * the dimension scales' DIMENSION_LIST */
  int reclaim = vlen || H5Tdetect_class(type, H5T_VLEN) > 0;
  void *buf = calloc((size_t)(n > 0 ? n : 1), vlen ? sizeof(char *) : size);
  copy->out_of_memory = buf == NULL;
  herr_t e = buf ? H5Aread(a, type, buf) : -1;
  if (e >= 0) {
    if (H5Aexists(dst, name) > 0) {
      H5Adelete(dst, name);
    }
    hid_t b = H5Acreate2(dst, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    e = b < 0 ? -1 : H5Awrite(b, type, buf);
    H5Aclose(b);
    if (reclaim) {
      H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
    }
  }
  free(buf);
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(a);
  return e < 0 ? -1 : 0;
}

int cet_result_copy(cet_result *dst, cet_result_reader *src, const char *object,
                    int attributes_only) {
  char what[512];
  snprintf(what, sizeof what, "cannot copy '%s' from '%s'", object, src->path);
  if (attributes_only || strcmp(object, "/") == 0) {
    attr_copy copy = {.to = open_object(dst, object)};
    hid_t from = H5Oopen(src->file, object, H5P_DEFAULT);
    hsize_t idx = 0;
    herr_t e = from < 0 || copy.to < 0
                   ? -1
                   : H5Aiterate2(from, H5_INDEX_NAME, H5_ITER_INC, &idx, copy_attr, &copy);
    H5Oclose(from);
    H5Oclose(copy.to);
    CET_CHECK(!copy.out_of_memory, CET_ERR_MEMORY,
              "out of memory in %s for an attribute of '%s' from '%s'", __func__, object,
              src->path);
    CET_H5_CHECK(e, what);
    return CET_OK;
  }
  CET_CALL(cet_result_verify(src, object));
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  herr_t e = H5Ocopy(src->file, object, dst->file, object, H5P_DEFAULT, lcpl);
  H5Pclose(lcpl);
  CET_H5_CHECK(e, what);
  return CET_OK;
}
