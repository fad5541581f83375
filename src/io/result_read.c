/*
 * result_read.c — reading result files (see result.h): attributes,
 * numeric and string datasets, for `cetwin merge` and the tests. The file
 * is damaged input until proven otherwise: its checksum is checked first,
 * and every type, shape and size is checked before memory is taken or a
 * value read (an attribute read into one value must hold one value; a
 * dataset cannot hold more than the file's bytes).
 */
#include "h5_util.h"
#include "reader_impl.h"

#include "cetwin/array.h"
#include "cetwin/checkpoint.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { READ_MAX_RANK = 3, READ_TEXT_LEN = 512, READ_WHAT_LEN = 128, READ_ATTR_MAX_TEXTS = 1 << 20 };

/* Opens path read-only; its root attribute format must be one of the
 * formats given (count of them). */
static int open_file(const char *path, const char *const *formats, size_t count,
                     cet_result_reader **out) {
  *out = NULL;
  hid_t f = H5I_INVALID_HID;
  unsigned long long size = 0;
  CET_CALL(cet_h5_open_read(path, &f, &size));
  cet_result_reader *r = calloc(1, sizeof *r);
  if (!r) {
    H5Fclose(f);
    CET_CHECK_ALLOC(NULL);
  }
  r->file = f;
  r->path = cet_strdup(path);
  r->size = size;
  if (!r->path) {
    cet_result_close(&r);
    CET_CHECK_ALLOC(NULL);
  }
  char *format = NULL;
  int status = cet_result_read_attr_string(r, "/", "format", &format);
  if (status == CET_ERR_MEMORY) { /* not a sign of another kind of file */
    cet_result_close(&r);
    CET_CALL(status);
  }
  int ok = 0;
  for (size_t i = 0; status == CET_OK && i < count; i++) {
    ok = ok || strcmp(format, formats[i]) == 0;
  }
  free(format);
  if (!ok) {
    cet_result_close(&r);
    cet_error_clear();
    CET_CHECK(0, CET_ERR_INPUT, "'%s' is not a cetwin %s file (no format attribute '%s'%s%s)", path,
              count > 1 ? "result or checkpoint" : "result", formats[0], count > 1 ? " or " : "",
              count > 1 ? formats[1] : "");
  }
  *out = r;
  return CET_OK;
}

int cet_result_open(const char *path, cet_result_reader **out) {
  static const char *const formats[] = {CET_RESULT_FORMAT};
  return open_file(path, formats, 1, out);
}

int cet_result_open_any(const char *path, cet_result_reader **out, int *checkpoint) {
  static const char *const formats[] = {CET_RESULT_FORMAT, CET_CHECKPOINT_FORMAT};
  *checkpoint = 0;
  CET_CALL(open_file(path, formats, 2, out));
  char *format = NULL;
  int status = cet_result_read_attr_string(*out, "/", "format", &format);
  *checkpoint = status == CET_OK && strcmp(format, CET_CHECKPOINT_FORMAT) == 0;
  free(format);
  if (status != CET_OK) {
    cet_result_close(out);
  }
  return status;
}

const char *cet_result_reader_path(const cet_result_reader *r) { return r->path; }

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

int cet_result_has_attr(cet_result_reader *r, const char *object, const char *name) {
  if (!cet_result_has(r, object)) {
    return 0;
  }
  return H5Aexists_by_name(r->file, object, name, H5P_DEFAULT) > 0;
}

/* A failure reading the file: an input error naming the file and object
 * (a checksum mismatch says the file is corrupt). */
static int fail_at(const cet_result_reader *r, const char *object, const char *what) {
  return cet_h5_read_fail(r->path, object, what);
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

/* 1 when attribute a holds one value of class cls (a string: of variable
 * length), as the readers below read it. */
static int single_value(hid_t a, H5T_class_t cls) {
  hid_t type = H5Aget_type(a), space = H5Aget_space(a);
  H5T_class_t found = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
  int ok = space >= 0 && H5Sget_simple_extent_npoints(space) == 1 &&
           (cls == H5T_STRING ? found == H5T_STRING && H5Tis_variable_str(type) > 0
                              : found == H5T_INTEGER || found == H5T_FLOAT);
  if (space >= 0) {
    H5Sclose(space);
  }
  if (type >= 0) {
    H5Tclose(type);
  }
  H5Eclear2(H5E_DEFAULT);
  return ok;
}

/* Input error: attribute name of object is not what the readers read. */
static int not_single(const cet_result_reader *r, hid_t a, const char *object, const char *name,
                      const char *what) {
  H5Aclose(a);
  CET_CHECK(0, CET_ERR_INPUT, "'%s': attribute '%s' of '%s' is not %s", r->path, name, object,
            what);
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
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, check_class(r, object, name, H5T_STRING, H5Aget_type(a)));
  if (!single_value(a, H5T_STRING)) {
    return not_single(r, a, object, name, "a single text");
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
fail:
  H5Aclose(a);
  return status;
}

/* Copies the count texts of raw (NULL read as "") into *out. */
static int copy_strings(char *const *raw, size_t count, char ***out) {
  char **copy = calloc(count ? count : 1, sizeof *copy);
  CET_CHECK_ALLOC(copy);
  int status = CET_OK;
  for (size_t i = 0; i < count; i++) {
    copy[i] = cet_strdup(raw[i] ? raw[i] : "");
    CET_CHECK_ALLOC_GOTO(status, fail, copy[i]);
  }
  *out = copy;
  return CET_OK;
fail:
  cet_free_strings(copy, count); /* the entries not copied are NULL */
  return status;
}

int cet_result_read_attr_strings(cet_result_reader *r, const char *object, const char *name,
                                 size_t *n, char ***values) {
  *values = NULL;
  *n = 0;
  char what[READ_WHAT_LEN];
  hid_t a = open_attr(r, object, name);
  if (a < 0) {
    snprintf(what, sizeof what, "missing string attribute %s", name);
    return fail_at(r, object, what);
  }
  hid_t type = H5Aget_type(a), space = H5Aget_space(a);
  hssize_t count = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  int listed = type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 &&
               count >= 1 && count <= READ_ATTR_MAX_TEXTS;
  if (space >= 0) {
    H5Sclose(space);
  }
  if (type >= 0) {
    H5Tclose(type);
  }
  H5Eclear2(H5E_DEFAULT);
  if (!listed) {
    return not_single(r, a, object, name, "a list of texts");
  }
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  char **raw = calloc((size_t)count, sizeof *raw);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, raw);
  if (H5Aread(a, mem, raw) < 0) {
    snprintf(what, sizeof what, "cannot read the attribute %s", name);
    memset(raw, 0, (size_t)count * sizeof *raw);
    CET_CALL_GOTO(status, done, fail_at(r, object, what));
  }
  CET_CALL_GOTO(status, done, copy_strings(raw, (size_t)count, values));
  *n = (size_t)count;
done:
  for (hssize_t i = 0; raw && i < count; i++) {
    H5free_memory(raw[i]);
  }
  free(raw);
  H5Tclose(mem);
  H5Aclose(a);
  return status;
}

static int read_attr_number(cet_result_reader *r, const char *object, const char *name, hid_t type,
                            H5T_class_t want, void *value) {
  char what[READ_WHAT_LEN];
  hid_t a = open_attr(r, object, name);
  if (a < 0) {
    snprintf(what, sizeof what, "missing numeric attribute %s", name);
    return fail_at(r, object, what);
  }
  if (!single_value(a, H5T_INTEGER)) {
    return not_single(r, a, object, name, "a single number");
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

/* The shape of dataset d (at path) checked before it is read: elements of
 * class cls (no conversion between integers and floating-point numbers;
 * H5T_NO_CLASS: any), a rank of 1 to max_rank, and no more bytes than the
 * file holds. *count
 * gets its number of values, hd (max_rank entries) its dimensions. */
static int check_extent(const cet_result_reader *r, hid_t d, const char *path, H5T_class_t cls,
                        int max_rank, int *rank, hsize_t *hd, size_t *count) {
  unsigned long long n = 0;
  if (cls != H5T_NO_CLASS) { /* H5T_NO_CLASS: any class */
    CET_CALL(check_class(r, path, NULL, cls, H5Dget_type(d)));
  }
  CET_CALL(cet_h5_check_extent(d, r->path, path, r->size, 1, max_rank, rank, hd, &n));
  *count = (size_t)n;
  return CET_OK;
}

static int read_numbers(cet_result_reader *r, const char *path, hid_t type, H5T_class_t cls,
                        size_t elem, size_t *rank, size_t *dims, void **data) {
  *data = NULL;
  hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
  if (d < 0) {
    return fail_at(r, path, "missing dataset");
  }
  hsize_t hd[READ_MAX_RANK] = {0, 0, 0};
  int nd = 0;
  size_t count = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, check_extent(r, d, path, cls, READ_MAX_RANK, &nd, hd, &count));
  for (int i = 0; i < nd; i++) {
    dims[i] = (size_t)hd[i];
  }
  *rank = (size_t)nd;
  if (count > SIZE_MAX / elem) { /* count * elem does not fit in a size_t */
    CET_CALL_GOTO(status, done, fail_at(r, path, "more values than memory can address"));
  }
  CET_CALL_GOTO(status, done, cet_array_grow(data, NULL, count ? count : 1, elem));
  if (count > 0 && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
    CET_CALL_GOTO(status, done, fail_at(r, path, "cannot read the dataset"));
  }
done:
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
  hsize_t hd[1] = {0};
  int nd = 0;
  size_t n_values = 0;
  int status = check_extent(r, d, path, H5T_STRING, 1, &nd, hd, &n_values);
  if (status != CET_OK) {
    H5Dclose(d);
    return status;
  }
  hid_t space = H5Dget_space(d);
  hssize_t count = (hssize_t)n_values;
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  char **raw = calloc((size_t)(count > 0 ? count : 1), sizeof *raw);
  CET_CHECK_ALLOC_GOTO(status, done, raw);
  if (count > 0 && H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
    CET_CALL_GOTO(status, done, fail_at(r, path, "cannot read the strings"));
  }
  CET_CALL_GOTO(status, done, copy_strings(raw, (size_t)count, values));
  *n = (size_t)count;
done:
  if (raw && count > 0) {
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, raw);
  }
  free(raw);
  H5Tclose(mem);
  H5Sclose(space);
  H5Dclose(d);
  return status;
}

typedef struct {
  cet_result_reader *r;
  const char *object;
  int status;
} verify_walk;

/* Reads the dataset name (relative to obj) whole and drops the values. */
/* Reads the n values (n > 0) of dataset d of the given type and space at
 * path back, to check that they can be read. */
static int read_back(cet_result_reader *r, hid_t d, const char *path, hid_t type, hid_t space,
                     size_t n) {
  void *buf = NULL;
  CET_CALL(cet_array_grow(&buf, NULL, n, H5Tget_size(type)));
  int status = CET_OK;
  if (H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
    status = fail_at(r, path, "cannot read the dataset");
  } else if (H5Tdetect_class(type, H5T_VLEN) > 0 || H5Tis_variable_str(type) > 0) {
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
  }
  free(buf);
  return status;
}

static herr_t verify_one(hid_t obj, const char *name, const H5O_info_t *info, void *data) {
  verify_walk *w = data;
  if (info->type != H5O_TYPE_DATASET) {
    return 0;
  }
  char path[READ_TEXT_LEN];
  snprintf(path, sizeof path, "%s%s%s", w->object, strcmp(name, ".") == 0 ? "" : "/",
           strcmp(name, ".") == 0 ? "" : name);
  hid_t d = H5Dopen2(obj, name, H5P_DEFAULT);
  if (d < 0) {
    w->status = fail_at(w->r, path, "cannot open the dataset");
    return -1;
  }
  hsize_t hd[H5S_MAX_RANK];
  int nd = 0;
  size_t count = 0;
  if ((w->status = check_extent(w->r, d, path, H5T_NO_CLASS, H5S_MAX_RANK, &nd, hd, &count)) !=
      CET_OK) {
    H5Dclose(d);
    return -1;
  }
  hid_t type = H5Dget_type(d), space = H5Dget_space(d);
  w->status = count > 0 ? read_back(w->r, d, path, type, space, count) : CET_OK;
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(d);
  return w->status == CET_OK ? 0 : -1;
}

int cet_result_verify(cet_result_reader *r, const char *object) {
  hid_t obj = H5Oopen(r->file, object, H5P_DEFAULT);
  if (obj < 0) {
    return fail_at(r, object, "cannot open");
  }
  verify_walk w = {r, strcmp(object, "/") == 0 ? "" : object, CET_OK};
  herr_t e = H5Ovisit2(obj, H5_INDEX_NAME, H5_ITER_INC, verify_one, &w, H5O_INFO_BASIC);
  if (e < 0 && w.status == CET_OK) {
    w.status = fail_at(r, object, "cannot list the objects");
  }
  H5Oclose(obj);
  return w.status;
}
