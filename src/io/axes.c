/*
 * axes.c — dimension scales of the result file (see axes.h): label scales
 * made from a dataset's description, and the final pass that attaches a
 * scale to every axis of every dataset.
 */
#define _POSIX_C_SOURCE 200809L
#include "axes.h"

#include "h5_util.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>

enum { AXES_MAX_RANK = 3, AXES_NAME_LEN = 128, AXES_PATH_LEN = 1024 };

/* The attributes H5DS keeps its attachments in. */
static const char *const h5ds_lists[] = {"DIMENSION_LIST", "REFERENCE_LIST"};

/* Axis names of a dataset: from its `dims` text ("a,b"), else made up. */
typedef struct {
  char name[AXES_MAX_RANK][AXES_NAME_LEN];
} axis_names;

static void split_dims(const char *dims, int rank, const char *base, axis_names *out) {
  int n = 0;
  const char *at = dims;
  while (at && n < AXES_MAX_RANK) {
    const char *end = strchr(at, ',');
    size_t len = end ? (size_t)(end - at) : strlen(at);
    while (len > 0 && at[0] == ' ') {
      at++, len--;
    }
    while (len > 0 && at[len - 1] == ' ') {
      len--;
    }
    snprintf(out->name[n++], AXES_NAME_LEN, "%.*s", (int)len, at);
    at = end ? end + 1 : NULL;
  }
  if (n != rank || at) { /* no usable `dims`: the dataset is its own axis, or numbered ones */
    for (int i = 0; i < rank; i++) {
      if (rank == 1) {
        snprintf(out->name[i], AXES_NAME_LEN, "%s", base);
      } else {
        snprintf(out->name[i], AXES_NAME_LEN, "%s_axis%d", base, i);
      }
    }
  }
}

/* The group part ("/a/b") and the last name of a path ("/a/b/c"). */
static void split_path(const char *path, char *group, const char **base) {
  const char *slash = strrchr(path, '/');
  *base = slash ? slash + 1 : path;
  size_t len = slash ? (size_t)(slash - path) : 0;
  snprintf(group, AXES_PATH_LEN, "%s%.*s", path[0] == '/' ? "" : "/", (int)len, path);
  if (strcmp(group, "") == 0) {
    snprintf(group, AXES_PATH_LEN, "/");
  }
}

/* group/name into out (AXES_PATH_LEN bytes; cut short when longer). */
static void join(char *out, const char *group, const char *name) {
  int n = snprintf(out, AXES_PATH_LEN, "%s%s%s", group, strcmp(group, "/") == 0 ? "" : "/", name);
  if (n < 0 || n >= AXES_PATH_LEN) {
    out[AXES_PATH_LEN - 1] = '\0';
  }
}

static hid_t text_type(size_t n) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, n > 0 ? H5T_VARIABLE : 1);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

/* A string attribute (scalar, or list of n) on obj. */
static herr_t put_texts(hid_t obj, const char *name, const char *const *values, size_t n,
                        int list) {
  if (H5Aexists(obj, name) > 0) {
    H5Adelete(obj, name);
  }
  hsize_t dim = n;
  hid_t t = text_type(1), s = list ? H5Screate_simple(1, &dim, NULL) : H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  herr_t e = a < 0 ? -1 : H5Awrite(a, t, values);
  if (a >= 0) {
    H5Aclose(a);
  }
  H5Sclose(s);
  H5Tclose(t);
  return e;
}

/* Makes the 1-D dataset at path a dimension scale named name (long_name
 * name when it has none). */
static herr_t make_scale(hid_t file, const char *path, const char *name) {
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  if (d < 0) {
    return -1;
  }
  herr_t e = 0;
  if (H5DSis_scale(d) <= 0) {
    e = H5Aexists(d, h5ds_lists[0]) > 0 ? H5Adelete(d, h5ds_lists[0]) : 0;
    e = e < 0 ? e : H5DSset_scale(d, name);
  }
  if (e >= 0 && H5Aexists(d, "long_name") <= 0) {
    e = put_texts(d, "long_name", &name, 1, 0);
  }
  H5Dclose(d);
  return e;
}

/* Writes the string scale name in group: n labels, and the units of each
 * entry when units is not NULL. */
static int write_label_scale(hid_t file, const char *file_name, const char *group, const char *name,
                             const char *const *labels, size_t n, const char *const *units) {
  char path[AXES_PATH_LEN];
  join(path, group, name);
  hsize_t dim = n;
  hid_t t = text_type(n), s = H5Screate_simple(1, &dim, NULL);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t d = H5Dcreate2(file, path, t, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  herr_t e = d < 0 ? -1 : n > 0 ? H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels) : 0;
  const char *dims = name;
  e = e < 0 ? e : put_texts(d, "dims", &dims, 1, 0);
  if (e >= 0 && units && n > 0) {
    e = put_texts(d, "units", units, n, 1);
  }
  if (d >= 0) {
    H5Dclose(d);
  }
  H5Pclose(lcpl);
  H5Sclose(s);
  H5Tclose(t);
  e = e < 0 ? e : make_scale(file, path, name);
  if (e < 0) {
    char what[AXES_PATH_LEN + 256];
    snprintf(what, sizeof what, "cannot write the axis '%s' in '%s'", path, file_name);
    return cet_h5_fail(what);
  }
  return CET_OK;
}

/* The length of the 1-D dataset at path, or -1 when there is none (or it
 * is not 1-D). */
static long long length_1d(hid_t file, const char *path) {
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return -1;
  }
  H5O_info_t info;
  if (H5Oget_info_by_name2(file, path, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
      info.type != H5O_TYPE_DATASET) {
    H5Eclear2(H5E_DEFAULT);
    return -2;
  }
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT), s = H5Dget_space(d);
  hsize_t n = 0;
  int rank = H5Sget_simple_extent_ndims(s);
  if (rank == 1) {
    H5Sget_simple_extent_dims(s, &n, NULL);
  }
  H5Sclose(s);
  H5Dclose(d);
  return rank == 1 ? (long long)n : -2;
}

/* The shape of an open dataset; its rank, or -1. */
static int shape_of(hid_t dset, hsize_t *dims) {
  hid_t s = H5Dget_space(dset);
  int rank = s < 0 ? -1 : H5Sget_simple_extent_ndims(s);
  if (rank > AXES_MAX_RANK || rank < 0 || H5Sget_simple_extent_dims(s, dims, NULL) < 0) {
    rank = -1;
  }
  if (s >= 0) {
    H5Sclose(s);
  }
  return rank;
}

/* The string attribute name of obj: a scalar (n 1) or a list; *values
 * gets n allocated strings (free with free_texts), NULL when absent or
 * unreadable. Fails (CET_ERR_MEMORY) only when memory runs out. */
static int read_texts(hid_t obj, const char *name, char ***values, size_t *n) {
  *values = NULL;
  *n = 0;
  if (H5Aexists(obj, name) <= 0) {
    return CET_OK;
  }
  int status = CET_OK;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT), type = H5Aget_type(a), s = H5Aget_space(a);
  hssize_t count = H5Sget_simple_extent_npoints(s);
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 && count > 0) {
    hid_t t = text_type(1);
    char **v = calloc((size_t)count, sizeof *v);
    if (!v) {
      cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                     "out of memory in %s for the attribute '%s'", __func__, name);
      status = CET_ERR_MEMORY;
    } else if (H5Aread(a, t, v) >= 0) {
      *values = v;
      *n = (size_t)count;
    } else {
      free(v);
    }
    H5Tclose(t);
  }
  H5Sclose(s);
  H5Tclose(type);
  H5Aclose(a);
  H5Eclear2(H5E_DEFAULT);
  return status;
}

static void free_texts(char **values, size_t n) {
  for (size_t i = 0; i < n; i++) {
    H5free_memory(values[i]);
  }
  free(values);
}

/* Integer scale named name in group: values (NULL: 0 .. n - 1). */
static herr_t write_index_scale(hid_t file, const char *group, const char *name, hsize_t n,
                                const long long *values) {
  char path[AXES_PATH_LEN];
  join(path, group, name);
  long long *v = malloc((n > 0 ? n : 1) * sizeof *v);
  if (!v) {
    cet_error_push(CET_ERR_MEMORY, __FILE__, __LINE__, __func__,
                   "out of memory in %s for the %llu values of the axis '%s'", __func__,
                   (unsigned long long)n, path);
    return -1;
  }
  for (hsize_t i = 0; i < n; i++) {
    v[i] = values ? values[i] : (long long)i;
  }
  hid_t s = H5Screate_simple(1, &n, NULL);
  hid_t d = H5Dcreate2(file, path, H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t e = d < 0   ? -1
             : n > 0 ? H5Dwrite(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)
                     : 0;
  free(v);
  char long_name[AXES_NAME_LEN + 32];
  snprintf(long_name, sizeof long_name, "%s%s", values ? "" : "index along ", name);
  const char *texts[] = {"1", long_name, name};
  const char *attrs[] = {"units", "long_name", "dims"};
  for (int i = 0; i < 3 && e >= 0; i++) {
    e = put_texts(d, attrs[i], &texts[i], 1, 0);
  }
  if (d >= 0) {
    H5Dclose(d);
  }
  H5Sclose(s);
  return e < 0 ? e : make_scale(file, path, name);
}

/* Writes the values of the 1-D dataset dset (strings or integers, n of
 * them) as the scale name in group. */
static int copy_labels(hid_t file, const char *file_name, hid_t dset, const char *group,
                       const char *name, hsize_t n) {
  hid_t type = H5Dget_type(dset);
  int text = H5Tget_class(type) == H5T_STRING;
  H5Tclose(type);
  void *v = calloc(n + 1, text ? sizeof(char *) : sizeof(long long));
  CET_CHECK(v != NULL, CET_ERR_MEMORY,
            "out of memory in %s for the %llu labels of the axis '%s/%s'", __func__,
            (unsigned long long)n, group, name);
  hid_t mem = text ? text_type(1) : H5Tcopy(H5T_NATIVE_LLONG);
  herr_t e = n == 0 || H5Dread(dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0 ? 0 : -1;
  int status = CET_OK;
  if (e >= 0 && text) {
    status = write_label_scale(file, file_name, group, name, v, n, NULL);
  } else if (e >= 0) {
    e = write_index_scale(file, group, name, n, v);
  }
  if (e < 0) {
    char what[AXES_PATH_LEN + 256];
    snprintf(what, sizeof what, "cannot write the axis '%s/%s' in '%s'", group, name, file_name);
    status = cet_h5_fail(what);
  }
  if (text && e >= 0) {
    for (hsize_t i = 0; i < n; i++) {
      H5free_memory(((char **)v)[i]);
    }
  }
  H5Tclose(mem);
  free(v);
  return status;
}

int cet_axes_labels(hid_t file, const char *file_name, hid_t dset, const char *path,
                    const cet_dataset_meta *meta) {
  hsize_t dims[AXES_MAX_RANK] = {0};
  int rank = shape_of(dset, dims);
  if (!meta || !meta->dims || rank < 1) {
    return CET_OK;
  }
  char group[AXES_PATH_LEN], scale[AXES_PATH_LEN];
  const char *base = NULL;
  split_path(path, group, &base);
  axis_names names;
  split_dims(meta->dims, rank, base, &names);
  const char *last = names.name[rank - 1];
  join(scale, group, last);
  const char *const *units =
      meta->unit_list && meta->n_units == dims[rank - 1] ? meta->unit_list : NULL;
  /* an empty axis gets its (empty) index scale at the end, as when unlabelled */
  if (meta->columns && meta->n_columns > 0 && meta->n_columns == dims[rank - 1] &&
      length_1d(file, scale) == -1) {
    CET_CALL(
        write_label_scale(file, file_name, group, last, meta->columns, meta->n_columns, units));
  }
  join(scale, group, names.name[0]);
  if (meta->rows && rank > 1 && dims[0] > 0 && length_1d(file, scale) == -1) {
    CET_CALL(write_label_scale(file, file_name, group, names.name[0], meta->rows, dims[0], NULL));
  }
  if (meta->labels && rank == 1 && dims[0] > 0 && strcmp(base, last) != 0 &&
      length_1d(file, scale) == -1) {
    CET_CALL(copy_labels(file, file_name, dset, group, last, dims[0]));
  }
  return CET_OK;
}

/* ---- the final pass ---- */

static herr_t list_dataset(hid_t obj, const char *name, const H5O_info_t *info, void *data) {
  (void)obj;
  if (info->type != H5O_TYPE_DATASET) {
    return 0;
  }
  return cet_h5_path_list_add(data, name);
}

/* One attachment to make. */
typedef struct {
  size_t dataset;
  unsigned axis;
  char scale[AXES_PATH_LEN];
} attachment;

/* Finds (or creates) the scale of axis `axis` (named name, n long) of the
 * dataset at path; *scale gets its path. */
static int find_scale(hid_t file, const char *file_name, hid_t dset, const char *path,
                      unsigned axis, int rank, const char *name, hsize_t n, char *scale) {
  char group[AXES_PATH_LEN], at[AXES_PATH_LEN];
  const char *base = NULL;
  split_path(path, group, &base);
  snprintf(at, sizeof at, "%s", group);
  for (;;) {
    join(scale, at, name);
    long long len = length_1d(file, scale);
    if (len == (long long)n) {
      return make_scale(file, scale, name) < 0 ? cet_h5_fail("cannot make a dimension scale")
                                               : CET_OK;
    }
    CET_CHECK(len == -1 || strcmp(at, group) != 0, CET_ERR_RUNTIME,
              "'%s': axis %u of '%s' is named '%s', which names a dataset of another shape there",
              file_name, axis, path, name);
    if (strcmp(at, "/") == 0) {
      break;
    }
    char *slash = strrchr(at, '/');
    if (slash == at) {
      at[1] = '\0';
    } else {
      *slash = '\0';
    }
  }
  join(scale, group, name);
  char **columns = NULL, **units = NULL;
  size_t n_columns = 0, n_units = 0;
  int status = CET_OK;
  if ((int)axis == rank - 1) {
    status = read_texts(dset, "columns", &columns, &n_columns);
    if (status == CET_OK) {
      status = read_texts(dset, "units", &units, &n_units);
    }
  }
  if (status != CET_OK) {
    /* out of memory, said */
  } else if (columns && n_columns == n) {
    status = write_label_scale(file, file_name, group, name, (const char *const *)columns,
                               n_columns, n_units == n ? (const char *const *)units : NULL);
  } else if (write_index_scale(file, group, name, n, NULL) < 0) {
    char what[AXES_PATH_LEN + 256];
    snprintf(what, sizeof what, "cannot write the axis '%s' in '%s'", scale, file_name);
    status = cet_h5_fail(what);
  }
  free_texts(columns, n_columns);
  free_texts(units, n_units);
  return status;
}

/* Removes the attachments a copy brought along, and gives the dataset a
 * long_name (its description, else its name). */
static herr_t tidy(hid_t dset, const char *base) {
  for (size_t k = 0; k < sizeof h5ds_lists / sizeof h5ds_lists[0]; k++) {
    if (H5Aexists(dset, h5ds_lists[k]) > 0 && H5Adelete(dset, h5ds_lists[k]) < 0) {
      return -1;
    }
  }
  if (H5Aexists(dset, "long_name") > 0) {
    return 0;
  }
  char **description = NULL;
  size_t n = 0;
  if (read_texts(dset, "description", &description, &n) != CET_OK) {
    return -1;
  }
  const char *text = n == 1 ? description[0] : base;
  herr_t e = put_texts(dset, "long_name", &text, 1, 0);
  free_texts(description, n);
  return e;
}

/* The axes of one dataset to plan: the dataset dset at path of file, its
 * rank, dimensions and axis names. */
typedef struct {
  hid_t file;
  const char *file_name;
  hid_t dset;
  const char *path;
  int rank;
  const hsize_t *dims;
  const axis_names *names;
} axes_plan;

/* Adds the attachment of each axis of p's dataset (i of the list) to *todo. */
static int plan_axes(const axes_plan *p, size_t i, attachment **todo, size_t *n_todo,
                     size_t *cap_todo) {
  for (int a = 0; a < p->rank; a++) {
    CET_CALL(cet_array_grow(todo, cap_todo, *n_todo + 1, sizeof **todo));
    attachment *t = &(*todo)[*n_todo];
    t->dataset = i;
    t->axis = (unsigned)a;
    CET_CALL(find_scale(p->file, p->file_name, p->dset, p->path, (unsigned)a, p->rank,
                        p->names->name[a], p->dims[a], t->scale));
    (*n_todo)++;
  }
  return CET_OK;
}

/* Decides the scale of every axis of dataset i of l (creating missing
 * scales) and adds the attachments to *todo. */
static int plan_dataset(hid_t file, const char *file_name, const cet_h5_path_list *l, size_t i,
                        attachment **todo, size_t *n_todo, size_t *cap_todo) {
  const char *path = l->paths[i];
  hid_t dset = H5Dopen2(file, path, H5P_DEFAULT);
  if (dset < 0) {
    return cet_h5_fail("cannot open a dataset to attach its axes");
  }
  char group[AXES_PATH_LEN];
  const char *base = NULL;
  split_path(path, group, &base);
  hsize_t dims[AXES_MAX_RANK] = {0};
  int rank = shape_of(dset, dims);
  int status =
      rank < 0 || tidy(dset, base) < 0 ? cet_h5_fail("cannot tidy a dataset's axes") : CET_OK;
  if (status != CET_OK || rank == 0 || H5DSis_scale(dset) > 0) {
    goto done;
  }
  char **dims_text = NULL;
  size_t n_dims = 0;
  CET_CALL_GOTO(status, done, read_texts(dset, "dims", &dims_text, &n_dims));
  axis_names names;
  split_dims(n_dims == 1 ? dims_text[0] : NULL, rank, base, &names);
  free_texts(dims_text, n_dims);
  if (rank == 1 && strcmp(base, names.name[0]) == 0) {
    status =
        make_scale(file, path, base) < 0 ? cet_h5_fail("cannot make a dimension scale") : CET_OK;
  } else {
    axes_plan plan = {file, file_name, dset, path, rank, dims, &names};
    status = plan_axes(&plan, i, todo, n_todo, cap_todo);
  }
done:
  H5Dclose(dset);
  return status;
}

/* *yes 1 when the root attribute `format` of file is that of result files. */
static int is_result(hid_t file, int *yes) {
  char **format = NULL;
  size_t n = 0;
  hid_t root = H5Oopen(file, "/", H5P_DEFAULT);
  int status = read_texts(root, "format", &format, &n);
  H5Oclose(root);
  *yes = n == 1 && strcmp(format[0], CET_RESULT_FORMAT) == 0;
  free_texts(format, n);
  return status;
}

/* Attaches the scale of t to the dataset at path. */
static int attach(hid_t file, const char *path, const attachment *t) {
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  hid_t s = H5Dopen2(file, t->scale, H5P_DEFAULT);
  int status = CET_OK;
  if (d < 0 || s < 0 || H5DSattach_scale(d, s, t->axis) < 0) {
    char what[2 * AXES_PATH_LEN + 64];
    snprintf(what, sizeof what, "cannot attach '%s' to '%s'", t->scale, path);
    status = cet_h5_fail(what);
  }
  if (s >= 0) {
    H5Dclose(s);
  }
  if (d >= 0) {
    H5Dclose(d);
  }
  return status;
}

int cet_axes_attach(hid_t file, const char *file_name) {
  int yes = 0;
  CET_CALL(is_result(file, &yes));
  if (!yes) {
    return CET_OK;
  }
  cet_h5_path_list l = {0};
  herr_t e = H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, list_dataset, &l, H5O_INFO_BASIC);
  if (l.failed != CET_OK) {
    cet_h5_path_list_free(&l);
    CET_CALL(l.failed);
  }
  if (e < 0) {
    cet_h5_path_list_free(&l);
    return cet_h5_fail("cannot list the datasets");
  }
  attachment *todo = NULL;
  size_t n_todo = 0, cap_todo = 0;
  int status = CET_OK;
  for (size_t i = 0; i < l.n; i++) {
    CET_CALL_GOTO(status, done, plan_dataset(file, file_name, &l, i, &todo, &n_todo, &cap_todo));
  }
  for (size_t k = 0; k < n_todo; k++) {
    CET_CALL_GOTO(status, done, attach(file, l.paths[todo[k].dataset], &todo[k]));
  }
done:
  free(todo);
  cet_h5_path_list_free(&l);
  return status;
}
