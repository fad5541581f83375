/*
 * result_read.c — reading result files (see result.h): attributes,
 * numeric and string datasets, for `cetwin merge` and the tests.
 */
#include "h5_util.h"
#include "reader_impl.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { READ_MAX_RANK = 3, READ_TEXT_LEN = 512, READ_WHAT_LEN = 128 };

int cet_result_open(const char *path, cet_result_reader **out) {
  *out = NULL;
  cet_h5_quiet();
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    H5Eclear2(H5E_DEFAULT);
    CET_CHECK(0, CET_ERR_INPUT, "cannot open '%s' as an HDF5 file", path);
  }
  cet_result_reader *r = calloc(1, sizeof *r);
  if (!r) {
    H5Fclose(f);
    CET_CHECK_ALLOC(NULL);
  }
  r->file = f;
  r->path = cet_strdup(path);
  char *format = NULL;
  int status = r->path ? cet_result_read_attr_string(r, "/", "format", &format) : CET_ERR_MEMORY;
  int ok = status == CET_OK && strcmp(format, CET_RESULT_FORMAT) == 0;
  free(format);
  if (!ok) {
    cet_result_close(&r);
    cet_error_clear();
    CET_CHECK(0, CET_ERR_INPUT, "'%s' is not a cetwin result file (no format attribute '%s')", path,
              CET_RESULT_FORMAT);
  }
  *out = r;
  return CET_OK;
}

void cet_result_close(cet_result_reader **rp) {
  if (!rp || !*rp) {
    return;
  }
  H5Fclose((*rp)->file);
  free((*rp)->path);
  free(*rp);
  *rp = NULL;
}

int cet_result_has(cet_result_reader *r, const char *object) {
  if (strcmp(object, "/") == 0) {
    return 1;
  }
  /* every link on the way must exist */
  char buf[READ_TEXT_LEN];
  snprintf(buf, sizeof buf, "%s", object);
  for (char *p = buf + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      int e = H5Lexists(r->file, buf, H5P_DEFAULT) > 0;
      *p = '/';
      if (!e) {
        return 0;
      }
    }
  }
  int e = H5Lexists(r->file, object, H5P_DEFAULT) > 0;
  H5Eclear2(H5E_DEFAULT);
  return e;
}

static int fail_at(const cet_result_reader *r, const char *object, const char *what) {
  char buf[READ_TEXT_LEN];
  snprintf(buf, sizeof buf, "%s: %s: %s", r->path, object, what);
  return cet_h5_fail(buf);
}

/* What the elements of a dataset or attribute are, in words. */
static const char *class_name(H5T_class_t c) {
  switch (c) {
  case H5T_INTEGER:
    return "integers";
  case H5T_FLOAT:
    return "floating-point numbers";
  case H5T_STRING:
    return "strings";
  default:
    return "neither numbers nor strings";
  }
}

/* CET_OK when the elements of object (attribute attr of it, or NULL), of
 * HDF5 type type (closed here), are of class want; a located failure
 * "expected W, found F" otherwise (HDF5 would convert floating-point
 * numbers to integers and back without a word). */
static int check_class(const cet_result_reader *r, const char *object, const char *attr,
                       H5T_class_t want, hid_t type) {
  H5T_class_t c = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
  if (type >= 0) {
    H5Tclose(type);
  }
  if (c == want) {
    return CET_OK;
  }
  char what[READ_WHAT_LEN];
  snprintf(what, sizeof what, "%s%s%sexpected %s, found %s", attr ? "attribute " : "",
           attr ? attr : "", attr ? ": " : "", class_name(want), class_name(c));
  return fail_at(r, object, what);
}

static hid_t open_attr(cet_result_reader *r, const char *object, const char *name) {
  hid_t obj = H5Oopen(r->file, object, H5P_DEFAULT);
  if (obj < 0) {
    return -1;
  }
  hid_t a = H5Aexists(obj, name) > 0 ? H5Aopen(obj, name, H5P_DEFAULT) : -1;
  H5Oclose(obj);
  return a;
}

int cet_result_read_attr_string(cet_result_reader *r, const char *object, const char *name,
                                char **value) {
  *value = NULL;
  char what[READ_WHAT_LEN];
  hid_t a = open_attr(r, object, name);
  if (a < 0) {
    snprintf(what, sizeof what, "missing string attribute %s", name);
    return fail_at(r, object, what);
  }
  int status = check_class(r, object, name, H5T_STRING, H5Aget_type(a));
  if (status != CET_OK) {
    H5Aclose(a);
    return status;
  }
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  char *text = NULL;
  herr_t e = H5Aread(a, mem, &text);
  H5Tclose(mem);
  H5Aclose(a);
  if (e < 0) {
    snprintf(what, sizeof what, "cannot read the attribute %s", name);
    return fail_at(r, object, what);
  }
  *value = cet_strdup(text ? text : "");
  H5free_memory(text);
  CET_CHECK_ALLOC(*value);
  return CET_OK;
}

static int read_attr_number(cet_result_reader *r, const char *object, const char *name, hid_t type,
                            H5T_class_t want, void *value) {
  char what[READ_WHAT_LEN];
  hid_t a = open_attr(r, object, name);
  if (a < 0) {
    snprintf(what, sizeof what, "missing numeric attribute %s", name);
    return fail_at(r, object, what);
  }
  int status = check_class(r, object, name, want, H5Aget_type(a));
  herr_t e = status == CET_OK ? H5Aread(a, type, value) : 0;
  H5Aclose(a);
  if (status != CET_OK) {
    return status;
  }
  if (e < 0) {
    snprintf(what, sizeof what, "cannot read the attribute %s", name);
    return fail_at(r, object, what);
  }
  return CET_OK;
}

int cet_result_read_attr_int(cet_result_reader *r, const char *object, const char *name,
                             long long *value) {
  return read_attr_number(r, object, name, H5T_NATIVE_LLONG, H5T_INTEGER, value);
}

int cet_result_read_attr_double(cet_result_reader *r, const char *object, const char *name,
                                double *value) {
  return read_attr_number(r, object, name, H5T_NATIVE_DOUBLE, H5T_FLOAT, value);
}

static int read_numbers(cet_result_reader *r, const char *path, hid_t type, H5T_class_t cls,
                        size_t elem, size_t *rank, size_t *dims, void **data) {
  *data = NULL;
  hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (d < 0) {
    return fail_at(r, path, "missing dataset");
  }
  hid_t space = H5Dget_space(d);
  int nd = H5Sget_simple_extent_ndims(space);
  hsize_t hd[READ_MAX_RANK] = {0, 0, 0};
  int status = check_class(r, path, NULL, cls, H5Dget_type(d));
  if (status == CET_OK && (nd < 1 || nd > READ_MAX_RANK)) {
    char what[READ_WHAT_LEN];
    snprintf(what, sizeof what, "expected 1 to %d dimensions, found %d", READ_MAX_RANK, nd);
    status = fail_at(r, path, what);
  } else if (status == CET_OK) {
    H5Sget_simple_extent_dims(space, hd, NULL);
    size_t count = 1;
    int fits = 1; /* count * elem fits in a size_t */
    for (int i = 0; i < nd; i++) {
      dims[i] = (size_t)hd[i];
      fits = fits && hd[i] <= SIZE_MAX && (dims[i] == 0 || count <= SIZE_MAX / elem / dims[i]);
      count *= dims[i];
    }
    *rank = (size_t)nd;
    *data = fits ? malloc((count ? count : 1) * elem) : NULL;
    if (!fits) {
      status = fail_at(r, path, "more values than memory can address");
    } else if (!*data) {
      cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__, "out of memory");
      status = CET_ERR_MEMORY;
    } else if (count > 0 && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
      status = fail_at(r, path, "cannot read the dataset");
    }
  }
  H5Sclose(space);
  H5Dclose(d);
  if (status != CET_OK) {
    free(*data);
    *data = NULL;
  }
  return status;
}

int cet_result_read_doubles(cet_result_reader *r, const char *path, size_t *rank, size_t *dims,
                            double **data) {
  return read_numbers(r, path, H5T_NATIVE_DOUBLE, H5T_FLOAT, sizeof(double), rank, dims,
                      (void **)data);
}

int cet_result_read_ints(cet_result_reader *r, const char *path, size_t *rank, size_t *dims,
                         long long **data) {
  return read_numbers(r, path, H5T_NATIVE_LLONG, H5T_INTEGER, sizeof(long long), rank, dims,
                      (void **)data);
}

int cet_result_read_strings(cet_result_reader *r, const char *path, size_t *n, char ***values) {
  *values = NULL;
  *n = 0;
  hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (d < 0) {
    return fail_at(r, path, "missing dataset");
  }
  int status = check_class(r, path, NULL, H5T_STRING, H5Dget_type(d));
  hid_t space = H5Dget_space(d);
  int nd = H5Sget_simple_extent_ndims(space);
  if (status == CET_OK && nd != 1) {
    char what[READ_WHAT_LEN];
    snprintf(what, sizeof what, "expected a list of strings (1 dimension), found %d dimensions",
             nd);
    status = fail_at(r, path, what);
  }
  if (status != CET_OK) {
    H5Sclose(space);
    H5Dclose(d);
    return status;
  }
  hssize_t count = H5Sget_simple_extent_npoints(space);
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  char **raw = calloc((size_t)(count > 0 ? count : 1), sizeof *raw);
  char **copy = calloc((size_t)(count > 0 ? count : 1), sizeof *copy);
  status = raw && copy ? CET_OK : CET_ERR_MEMORY;
  if (status == CET_OK && count > 0 && H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
    status = fail_at(r, path, "cannot read the strings");
  }
  for (hssize_t i = 0; status == CET_OK && i < count; i++) {
    copy[i] = cet_strdup(raw[i] ? raw[i] : "");
    status = copy[i] ? CET_OK : CET_ERR_MEMORY;
  }
  if (raw && count > 0) {
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, raw);
  }
  free(raw);
  H5Tclose(mem);
  H5Sclose(space);
  H5Dclose(d);
  if (status != CET_OK) {
    for (hssize_t i = 0; copy && i < count; i++) {
      free(copy[i]);
    }
    free(copy);
    CET_CHECK(status != CET_ERR_MEMORY, CET_ERR_MEMORY, "out of memory");
    return status;
  }
  *values = copy;
  *n = (size_t)count;
  return CET_OK;
}
