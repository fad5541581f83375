/*
 * checkpoint.c — checkpoint files: creation as a result file with the
 * checkpoint's root attributes, and reading back attributes and datasets of
 * a stated shape (see checkpoint.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/checkpoint.h"

#include "checksum.h"
#include "h5_util.h"

#include "cetwin/error.h"
#include "cetwin/str.h"
#include "cetwin/version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CHECKPOINT_MAX_RANK = 3, CHECKPOINT_TEXT_LEN = 256 };

int cet_checkpoint_create(const char *path, const char *kind, cet_result **out) {
  CET_CALL(cet_result_create_replacing(path, NULL, out));
  cet_result *r = *out;
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_result_attr_string(r, "/", "format", CET_CHECKPOINT_FORMAT));
  CET_CALL_GOTO(status, fail,
                cet_result_attr_int(r, "/", "format_version", CET_CHECKPOINT_FORMAT_VERSION));
  CET_CALL_GOTO(status, fail, cet_result_attr_string(r, "/", "kind", kind));
  CET_CALL_GOTO(status, fail, cet_result_attr_string(r, "/", "cetwin_version", cet_version()));
  CET_CALL_GOTO(status, fail, cet_result_attr_string(r, "/", "git_commit", cet_git_commit()));
  return CET_OK;
fail:
  cet_result_discard(out); /* no half-written checkpoint is left */
  return status;
}

struct cet_checkpoint {
  hid_t file;
  char *path;
  char *kind;
  unsigned long long size; /* bytes of the file: no dataset holds more */
};

const char *cet_checkpoint_path(const cet_checkpoint *cp) { return cp->path; }

const char *cet_checkpoint_kind(const cet_checkpoint *cp) { return cp->kind; }

void cet_checkpoint_close(cet_checkpoint **cp) {
  if (!cp || !*cp) {
    return;
  }
  if ((*cp)->file >= 0) {
    H5Fclose((*cp)->file);
  }
  free((*cp)->path);
  free((*cp)->kind);
  free(*cp);
  *cp = NULL;
}

/* Opens attribute name of object, or fails naming both. */
static int open_attr(cet_checkpoint *cp, const char *object, const char *name, hid_t *obj,
                     hid_t *attr) {
  *obj = H5Oopen(cp->file, object, H5P_DEFAULT);
  if (*obj >= 0 && H5Aexists(*obj, name) > 0) {
    *attr = H5Aopen(*obj, name, H5P_DEFAULT);
    if (*attr >= 0) {
      return CET_OK;
    }
  }
  if (*obj >= 0) {
    H5Oclose(*obj);
  }
  H5Eclear2(H5E_DEFAULT);
  CET_CHECK(0, CET_ERR_INPUT, "checkpoint '%s': no attribute '%s' on '%s'", cp->path, name, object);
}

int cet_checkpoint_attr_string(cet_checkpoint *cp, const char *object, const char *name,
                               char **value) {
  *value = NULL;
  hid_t obj, attr;
  CET_CALL(open_attr(cp, object, name, &obj, &attr));
  hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
  int ok = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 &&
           H5Sget_simple_extent_ndims(space) == 0;
  char *text = NULL;
  if (ok) {
    hid_t mem = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(type));
    ok = H5Aread(attr, mem, &text) >= 0;
    if (ok) {
      *value = cet_strdup(text ? text : "");
      H5free_memory(text);
    }
    H5Tclose(mem);
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  H5Oclose(obj);
  H5Eclear2(H5E_DEFAULT);
  CET_CHECK(ok, CET_ERR_INPUT, "checkpoint '%s': attribute '%s' of '%s' is not a text", cp->path,
            name, object);
  CET_CHECK_ALLOC(*value);
  return CET_OK;
}

int cet_checkpoint_attr_int(cet_checkpoint *cp, const char *object, const char *name,
                            long long *value) {
  hid_t obj, attr;
  CET_CALL(open_attr(cp, object, name, &obj, &attr));
  hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
  int ok = H5Tget_class(type) == H5T_INTEGER && H5Sget_simple_extent_ndims(space) == 0 &&
           H5Aread(attr, H5T_NATIVE_LLONG, value) >= 0;
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  H5Oclose(obj);
  H5Eclear2(H5E_DEFAULT);
  CET_CHECK(ok, CET_ERR_INPUT, "checkpoint '%s': attribute '%s' of '%s' is not an integer",
            cp->path, name, object);
  return CET_OK;
}

/* The checkpoint's root attribute format must be a checkpoint's. */
static int check_format(cet_checkpoint *cp) {
  char *format = NULL;
  int ours = cet_checkpoint_attr_string(cp, "/", "format", &format) == CET_OK &&
             strcmp(format, CET_CHECKPOINT_FORMAT) == 0;
  if (!ours) {
    cet_error_clear(); /* no format attribute says the same: not a checkpoint */
  }
  int status = CET_OK;
  CET_CHECK_GOTO(status, done, ours, CET_ERR_INPUT,
                 "'%s' is not a cetwin checkpoint (its format is '%s'; checkpoints are "
                 "written by `cetwin run` of an optimisation, a Monte Carlo or a sensitivity "
                 "analysis)",
                 cp->path, format ? format : "none");
done:
  free(format);
  return status;
}

/* The checkpoint's root must say format, a version we read, and kind. */
static int check_identity(cet_checkpoint *cp, const char *kind) {
  char *found = NULL;
  long long version = 0;
  CET_CALL(check_format(cp));
  CET_CALL(cet_checkpoint_attr_int(cp, "/", "format_version", &version));
  CET_CHECK(version >= 1 && version <= CET_CHECKPOINT_FORMAT_VERSION, CET_ERR_INPUT,
            "checkpoint '%s' has format version %lld; this cetwin reads versions 1 to %d", cp->path,
            version, CET_CHECKPOINT_FORMAT_VERSION);
  CET_CALL(cet_checkpoint_attr_string(cp, "/", "kind", &found));
  cp->kind = found;
  CET_CHECK(!kind || strcmp(found, kind) == 0, CET_ERR_INPUT,
            "checkpoint '%s' is of a %s run, expected %s", cp->path, found, kind);
  return CET_OK;
}

int cet_checkpoint_open(const char *path, const char *kind, cet_checkpoint **out) {
  *out = NULL;
  cet_h5_quiet();
  cet_checkpoint *cp = calloc(1, sizeof *cp);
  CET_CHECK_ALLOC(cp);
  int status = CET_OK;
  cp->path = cet_strdup(path);
  cp->file = H5I_INVALID_HID;
  CET_CHECK_ALLOC_GOTO(status, fail, cp->path);
  if (access(path, R_OK) != 0) {
    int err = errno;
    CET_CHECK_GOTO(status, fail, 0, CET_ERR_INPUT, "cannot read checkpoint '%s': %s", path,
                   strerror(err));
  }
  if (cet_checksum_verify(path) != CET_OK) {
    status = CET_ERR_INPUT; /* the checksum said why */
    goto fail;
  }
  cp->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (cp->file < 0) {
    H5Eclear2(H5E_DEFAULT);
    CET_CHECK_GOTO(status, fail, 0, CET_ERR_INPUT, "cannot read checkpoint '%s': not an HDF5 file",
                   path);
  }
  hsize_t size = 0;
  H5Fget_filesize(cp->file, &size);
  cp->size = size;
  CET_CALL_GOTO(status, fail, check_identity(cp, kind));
  *out = cp;
  return CET_OK;
fail:
  cet_checkpoint_close(&cp);
  return status;
}

/* Opens dataset and reads its shape. */
static int open_dataset(cet_checkpoint *cp, const char *dataset, hid_t *dset, size_t *rank,
                        size_t *dims) {
  *dset = H5Lexists(cp->file, dataset, H5P_DEFAULT) > 0 ? H5Dopen2(cp->file, dataset, H5P_DEFAULT)
                                                        : H5I_INVALID_HID;
  H5Eclear2(H5E_DEFAULT);
  CET_CHECK(*dset >= 0, CET_ERR_INPUT, "checkpoint '%s': no dataset '%s'", cp->path, dataset);
  hsize_t hd[CHECKPOINT_MAX_RANK] = {0};
  unsigned long long n = 0;
  int r = 0;
  int status = CET_OK;
  CET_CALL_GOTO(
      status, fail,
      cet_h5_check_extent(*dset, cp->path, dataset, cp->size, 0, CHECKPOINT_MAX_RANK, &r, hd, &n));
  *rank = (size_t)r;
  for (int i = 0; i < r; i++) {
    dims[i] = (size_t)hd[i];
  }
  return CET_OK;
fail:
  H5Dclose(*dset);
  return status;
}

int cet_checkpoint_dims(cet_checkpoint *cp, const char *dataset, size_t *rank, size_t *dims) {
  hid_t dset;
  CET_CALL(open_dataset(cp, dataset, &dset, rank, dims));
  H5Dclose(dset);
  return CET_OK;
}

/* "[3 x 4]" */
static void format_shape(size_t rank, const size_t *dims, char *buf, size_t len) {
  size_t used = (size_t)snprintf(buf, len, "[");
  for (size_t i = 0; i < rank && used < len; i++) {
    used += (size_t)snprintf(buf + used, len - used, "%s%zu", i ? " x " : "", dims[i]);
  }
  if (used < len) {
    snprintf(buf + used, len - used, "]");
  }
}

static int read_dataset(cet_checkpoint *cp, const char *dataset, size_t rank, const size_t *dims,
                        hid_t mem_type, H5T_class_t cls, void *data) {
  hid_t dset;
  size_t found_rank = 0, found[CHECKPOINT_MAX_RANK] = {0};
  CET_CALL(open_dataset(cp, dataset, &dset, &found_rank, found));
  int same = found_rank == rank, count = 1;
  for (size_t i = 0; same && i < rank; i++) {
    same = found[i] == dims[i];
    count = count && dims[i] > 0;
  }
  hid_t type = H5Dget_type(dset);
  int right_class = H5Tget_class(type) == cls;
  H5Tclose(type);
  if (!same || !right_class) {
    H5Dclose(dset);
    char want[CHECKPOINT_TEXT_LEN], have[CHECKPOINT_TEXT_LEN];
    format_shape(rank, dims, want, sizeof want);
    format_shape(found_rank, found, have, sizeof have);
    CET_CHECK(right_class, CET_ERR_INPUT, "checkpoint '%s': dataset '%s' holds another type",
              cp->path, dataset);
    CET_CHECK(0, CET_ERR_INPUT, "checkpoint '%s': dataset '%s' has shape %s, expected %s", cp->path,
              dataset, have, want);
  }
  herr_t rc = count ? H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
  int status = rc < 0 ? cet_h5_read_fail(cp->path, dataset, "cannot read the dataset") : CET_OK;
  H5Dclose(dset);
  return status;
}

int cet_checkpoint_read_doubles(cet_checkpoint *cp, const char *dataset, size_t rank,
                                const size_t *dims, double *data) {
  return read_dataset(cp, dataset, rank, dims, H5T_NATIVE_DOUBLE, H5T_FLOAT, data);
}

int cet_checkpoint_read_ints(cet_checkpoint *cp, const char *dataset, size_t rank,
                             const size_t *dims, long long *data) {
  return read_dataset(cp, dataset, rank, dims, H5T_NATIVE_LLONG, H5T_INTEGER, data);
}
