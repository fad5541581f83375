/*
 * h5_util.c — HDF5 error capture, file and dataset properties, the robust
 * close of a written file, and plausibility bounds (see h5_util.h).
 */
#define _GNU_SOURCE /* memfd_create */
#include "h5_util.h"

#include "checksum.h"
#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { H5_MESSAGE_LEN = 512 };

void cet_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

int cet_h5_open_read(const char *path, hid_t *file, unsigned long long *size) {
  *file = H5I_INVALID_HID;
  cet_h5_quiet();
  CET_CALL(cet_checksum_verify(path));
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    H5Eclear2(H5E_DEFAULT);
    CET_CHECK(0, CET_ERR_INPUT, "cannot open '%s' as an HDF5 file", path);
  }
  hsize_t n = 0;
  H5Fget_filesize(f, &n);
  *size = n;
  *file = f;
  return CET_OK;
}

herr_t cet_h5_path_list_add(cet_h5_path_list *l, const char *name) {
  cet_strbuf b = {0};
  l->failed = cet_array_grow(&l->paths, &l->cap, l->n + 1, sizeof *l->paths);
  if (l->failed == CET_OK) {
    l->failed = cet_strbuf_printf(&b, "/%s", name);
  }
  if (l->failed != CET_OK) {
    return -1;
  }
  l->paths[l->n++] = b.text;
  return 0;
}

void cet_h5_path_list_free(cet_h5_path_list *l) {
  cet_free_strings(l->paths, l->n);
  l->paths = NULL;
  l->n = l->cap = 0;
}

/* What the HDF5 error stack says: its innermost message, and whether any
 * message reports a checksum mismatch. */
typedef struct {
  char message[H5_MESSAGE_LEN];
  int checksum;
} h5_stack;

/* Copies an HDF5 message to out; a failed system call ("file write
 * failed: time = ..., errno = 28, error message = 'No space left on
 * device', ...") becomes "file write failed: No space left on device". */
static void clean_message(const char *desc, char *out, size_t len) {
  static const char reason_key[] = "error message = '";
  const char *time = strstr(desc, ": time = ");
  const char *reason = strstr(desc, reason_key);
  if (!time || !reason) {
    snprintf(out, len, "%s", desc);
    return;
  }
  reason += sizeof reason_key - 1;
  const char *end = strchr(reason, '\'');
  size_t n = end ? (size_t)(end - reason) : strlen(reason);
  snprintf(out, len, "%.*s: %.*s", (int)(time - desc), desc, (int)n, reason);
}

static herr_t collect(unsigned n, const H5E_error2_t *err, void *data) {
  h5_stack *s = data;
  if (!err->desc) {
    return 0;
  }
  if (n == 0) {
    clean_message(err->desc, s->message, sizeof s->message);
  }
  if (strstr(err->desc, "checksum")) {
    s->checksum = 1;
  }
  return 0;
}

/* Reads and clears HDF5's error stack. */
static void take_stack(h5_stack *s) {
  s->message[0] = '\0';
  s->checksum = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, s);
  H5Eclear2(H5E_DEFAULT);
}

int cet_h5_fail(const char *what) {
  h5_stack s;
  take_stack(&s);
  cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "%s%s%s", what,
                 s.message[0] ? ": HDF5: " : "", s.message);
  return CET_ERR_RUNTIME;
}

int cet_h5_read_fail(const char *path, const char *object, const char *what) {
  h5_stack s;
  take_stack(&s);
  const char *sep = object ? ": " : "";
  if (s.checksum) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                   "'%s'%s%s: checksum mismatch: the file is corrupt", path, sep,
                   object ? object : "");
  } else {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "'%s'%s%s: %s%s%s", path, sep,
                   object ? object : "", what, s.message[0] ? ": HDF5: " : "", s.message);
  }
  return CET_ERR_INPUT;
}

hid_t cet_h5_fcpl(void) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(fcpl, CET_H5_USERBLOCK);
  return fcpl;
}

hid_t cet_h5_fapl(MPI_Comm comm) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
  H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
  if (comm != MPI_COMM_NULL) {
    H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  }
  return fapl;
}

hid_t cet_h5_dcpl(int rank, const hsize_t *dims, hid_t type, hsize_t rows) {
  hsize_t chunk[H5S_MAX_RANK];
  for (int i = 0; i < rank; i++) {
    if (dims[i] == 0) {
      return H5P_DEFAULT;
    }
  }
  if (H5Tis_variable_str(type) > 0) {
    return H5P_DEFAULT;
  }
  /* whole trailing dimensions while they fit, then as much as fits */
  size_t type_size = H5Tget_size(type);
  hsize_t bytes = type_size > 0 ? type_size : 1, row = bytes;
  for (int j = 1; j < rank; j++) {
    row = dims[j] <= CET_H5_CHUNK_MAX_BYTES / row ? row * dims[j] : CET_H5_CHUNK_MAX_BYTES + 1;
  }
  int i = rank - 1;
  for (; i >= 0 && dims[i] <= CET_H5_CHUNK_BYTES / bytes; i--) {
    chunk[i] = dims[i];
    bytes *= dims[i];
  }
  if (rows > 0 && rows <= CET_H5_CHUNK_MAX_BYTES / row) {
    for (int j = 1; j < rank; j++) {
      chunk[j] = dims[j];
    }
    chunk[0] = rows < dims[0] ? rows : dims[0];
  } else if (i >= 0) {
    hsize_t fit = CET_H5_CHUNK_BYTES / bytes;
    chunk[i] = fit > 0 ? fit : 1;
    for (int j = 0; j < i; j++) {
      chunk[j] = 1;
    }
  }
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, rank, chunk);
  H5Pset_fletcher32(dcpl);
  return dcpl;
}

/* Closes every dataset, group, named datatype and attribute still open in
 * file (after an error on the way). */
static void close_open_objects(hid_t file) {
  const unsigned types =
      H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL;
  ssize_t n = H5Fget_obj_count(file, types);
  hid_t *ids = n > 0 ? calloc((size_t)n, sizeof *ids) : NULL;
  if (!ids) {
    return; /* none, or the strong close degree closes them */
  }
  n = H5Fget_obj_ids(file, types, (size_t)n, ids);
  for (ssize_t i = 0; i < n; i++) {
    switch (H5Iget_type(ids[i])) {
    case H5I_ATTR:
      H5Aclose(ids[i]);
      break;
    case H5I_DATASET:
      H5Dclose(ids[i]);
      break;
    case H5I_GROUP:
      H5Gclose(ids[i]);
      break;
    case H5I_DATATYPE:
      H5Tclose(ids[i]);
      break;
    default:
      break;
    }
  }
  free(ids);
  H5Eclear2(H5E_DEFAULT);
}

/* Points the descriptor of a file open with the sec2 driver at an
 * anonymous memory file, so that HDF5 can write what closing the file
 * needs although the disk cannot take it. 1 when done. */
static int redirect_to_memory(hid_t file) {
  hid_t fapl = H5Fget_access_plist(file);
  int sec2 = fapl >= 0 && H5Pget_driver(fapl) == H5FD_SEC2, done = 0;
  void *handle = NULL;
  if (sec2 && H5Fget_vfd_handle(file, fapl, &handle) >= 0 && handle) {
    int memory = memfd_create("cetwin-discarded", MFD_CLOEXEC);
    done = memory >= 0 && dup2(memory, *(int *)handle) >= 0;
    if (memory >= 0) {
      close(memory);
    }
  }
  if (fapl >= 0) {
    H5Pclose(fapl);
  }
  H5Eclear2(H5E_DEFAULT);
  return done;
}

int cet_h5_close_written(hid_t file, const char *path, MPI_Comm comm, int report) {
  int parallel = comm != MPI_COMM_NULL, rank = 0;
  if (parallel) {
    MPI_Comm_rank(comm, &rank);
  }
  close_open_objects(file);
  h5_stack s = {.message = ""};
  int flushed = H5Fflush(file, H5F_SCOPE_LOCAL) >= 0, all = flushed;
  if (!flushed) {
    take_stack(&s);
  }
  if (parallel) {
    MPI_Allreduce(&flushed, &all, 1, MPI_INT, MPI_MIN, comm);
  }
  if (!all) {
    /* The file is lost. A flush that failed leaves HDF5's metadata cache
     * refusing the next one, and a failed H5Fclose frees the file but keeps
     * its identifier, which H5close (at MPI_Finalize) then dereferences: so
     * the file's space is given back, and one more flush (reported as
     * failed, but it writes and resets the cache) lets the close succeed.
     * When even that cannot write, a serial file writes into memory. */
    int released = rank != 0 || truncate(path, 0) == 0;
    (void)released; /* best effort: closing reports what still fails */
    if (parallel) {
      MPI_Barrier(comm);
    }
    H5Fflush(file, H5F_SCOPE_LOCAL);
    if (!parallel && H5Fflush(file, H5F_SCOPE_LOCAL) < 0 && redirect_to_memory(file)) {
      H5Fflush(file, H5F_SCOPE_LOCAL);
    }
  }
  int closed = H5Fclose(file) >= 0;
  if (!closed && flushed) {
    take_stack(&s);
  }
  H5Eclear2(H5E_DEFAULT);
  if (flushed && closed) {
    return CET_OK;
  }
  if (report) {
    cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "cannot write '%s': %s", path,
                   s.message[0] ? s.message : "HDF5 failed");
  }
  return CET_ERR_RUNTIME;
}

int cet_h5_plausible(long long npoints, size_t type_size, unsigned long long file_size,
                     int compressed) {
  if (npoints < 0) {
    return 0;
  }
  unsigned long long size = type_size > 0 ? type_size : 1;
  if ((unsigned long long)npoints > (unsigned long long)SIZE_MAX / size) {
    return 0;
  }
  unsigned long long bytes = (unsigned long long)npoints * size;
  return compressed || file_size == 0 || bytes <= file_size;
}

int cet_h5_compressed(hid_t dset) {
  hid_t dcpl = H5Dget_create_plist(dset);
  int n = dcpl < 0 ? 0 : H5Pget_nfilters(dcpl), other = 0;
  for (int i = 0; i < n; i++) {
    unsigned flags = 0, config = 0;
    size_t nvalues = 0;
    H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &nvalues, NULL, 0, NULL, &config);
    other |= id != H5Z_FILTER_FLETCHER32;
  }
  if (dcpl >= 0) {
    H5Pclose(dcpl);
  }
  return other;
}

int cet_h5_check_extent(hid_t dset, const char *path, const char *object,
                        unsigned long long file_size, int min_rank, int max_rank, int *rank,
                        hsize_t *dims, unsigned long long *values) {
  hid_t space = H5Dget_space(dset), type = H5Dget_type(dset);
  int nd = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
  int shaped =
      nd >= min_rank && nd <= max_rank && H5Sget_simple_extent_dims(space, dims, NULL) == nd;
  unsigned long long n = 1;
  for (int i = 0; shaped && i < nd; i++) {
    n = dims[i] == 0 || n <= ULLONG_MAX / dims[i] ? n * dims[i] : ULLONG_MAX;
  }
  int fits = n <= (unsigned long long)LLONG_MAX &&
             cet_h5_plausible((long long)n, type < 0 ? 1 : H5Tget_size(type), file_size,
                              cet_h5_compressed(dset));
  if (type >= 0) {
    H5Tclose(type);
  }
  if (space >= 0) {
    H5Sclose(space);
  }
  H5Eclear2(H5E_DEFAULT);
  *rank = nd;
  *values = n;
  CET_CHECK(shaped, CET_ERR_INPUT, "'%s': dataset '%s' has rank %d, expected %d to %d", path,
            object, nd, min_rank, max_rank);
  CET_CHECK(fits, CET_ERR_INPUT,
            "'%s': dataset '%s' claims %llu values, more than the file's %llu bytes hold: the "
            "file is damaged",
            path, object, n, file_size);
  return CET_OK;
}
