/*
 * info.c — `cetwin info OUT.h5`: a human summary of a result file (root
 * attributes, group attributes, datasets with shape and units).
 */
#include "cetwin/result.h"

#include "checksum.h"
#include "h5_util.h"

#include "cetwin/error.h"

#include <stdlib.h>
#include <string.h>

enum { INFO_TEXT_LEN = 512, INFO_NAME_LEN = 256, INFO_MAX_ITEMS_SHOWN = 8 };

/* Formats a string attribute (scalar or first items of a list). */
static void format_strings(hid_t attr, hid_t type, hid_t space, char *buf, size_t len) {
  hssize_t n = H5Sget_simple_extent_npoints(space);
  int scalar = H5Sget_simple_extent_ndims(space) == 0;
  buf[0] = '\0';
  if (n <= 0 || !H5Tis_variable_str(type)) {
    snprintf(buf, len, "(%lld strings)", (long long)n);
    return;
  }
  char **values = calloc((size_t)n, sizeof *values);
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5Tget_cset(type));
  if (values && H5Aread(attr, mem, values) >= 0) {
    size_t used = 0;
    for (hssize_t i = 0; i < n && i < INFO_MAX_ITEMS_SHOWN && used < len; i++) {
      const char *v = values[i] ? values[i] : "";
      const char *nl = strchr(v, '\n');
      int w;
      if (scalar && nl) {
        size_t lines = 1;
        for (const char *p = v; *p; p++) {
          lines += *p == '\n';
        }
        w = snprintf(buf + used, len - used, "(text, %zu lines)", lines);
      } else {
        w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", v);
      }
      used += w > 0 ? (size_t)w : 0;
    }
    if (n > INFO_MAX_ITEMS_SHOWN && used < len) {
      snprintf(buf + used, len - used, ", ... (%lld in all)", (long long)n);
    }
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, values);
  }
  H5Tclose(mem);
  free(values);
}

static void format_numbers(hid_t attr, hid_t type, hid_t space, char *buf, size_t len) {
  hssize_t n = H5Sget_simple_extent_npoints(space);
  double *values = n > 0 ? malloc((size_t)n * sizeof *values) : NULL;
  buf[0] = '\0';
  if (!values || H5Aread(attr, H5T_NATIVE_DOUBLE, values) < 0) {
    free(values);
    return;
  }
  int integer = H5Tget_class(type) == H5T_INTEGER;
  size_t used = 0;
  for (hssize_t i = 0; i < n && i < INFO_MAX_ITEMS_SHOWN && used < len; i++) {
    int w = integer ? snprintf(buf + used, len - used, "%s%.0f", i ? ", " : "", values[i])
                    : snprintf(buf + used, len - used, "%s%.10g", i ? ", " : "", values[i]);
    used += w > 0 ? (size_t)w : 0;
  }
  if (n > INFO_MAX_ITEMS_SHOWN && used < len) {
    snprintf(buf + used, len - used, ", ... (%lld in all)", (long long)n);
  }
  free(values);
}

static void format_attr(hid_t obj, const char *name, char *buf, size_t len) {
  buf[0] = '\0';
  hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  if (attr < 0) {
    return;
  }
  hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
  if (H5Tget_class(type) == H5T_STRING) {
    format_strings(attr, type, space, buf, len);
  } else {
    format_numbers(attr, type, space, buf, len);
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
}

typedef struct {
  FILE *stream;
  const char *indent;
} attr_walk;

static herr_t print_attr(hid_t obj, const char *name, const H5A_info_t *info, void *data) {
  (void)info;
  const attr_walk *w = data;
  char text[INFO_TEXT_LEN];
  format_attr(obj, name, text, sizeof text);
  fprintf(w->stream, "%s%s: %s\n", w->indent, name, text);
  return 0;
}

static void print_dataset(hid_t dset, const char *path, FILE *stream) {
  hid_t space = H5Dget_space(dset), type = H5Dget_type(dset);
  int rank = H5Sget_simple_extent_ndims(space);
  hsize_t dims[H5S_MAX_RANK];
  H5Sget_simple_extent_dims(space, dims, NULL);
  char shape[INFO_TEXT_LEN] = "";
  size_t used = 0;
  for (int i = 0; i < rank; i++) {
    int w = snprintf(shape + used, sizeof shape - used, "%s%llu", i ? " x " : "",
                     (unsigned long long)dims[i]);
    used += w > 0 ? (size_t)w : 0;
  }
  H5T_class_t cls = H5Tget_class(type);
  const char *kind = cls == H5T_STRING ? "string" : cls == H5T_INTEGER ? "int" : "double";
  char units[INFO_TEXT_LEN] = "";
  if (H5Aexists(dset, "units") > 0) {
    format_attr(dset, "units", units, sizeof units);
  }
  fprintf(stream, "  %-40s %-7s [%s]%s%s\n", path, kind, shape, units[0] ? "  " : "", units);
  H5Tclose(type);
  H5Sclose(space);
}

static int walk(hid_t group, const char *prefix, FILE *stream) {
  H5G_info_t ginfo;
  CET_H5_CHECK(H5Gget_info(group, &ginfo), "cannot list a group");
  for (hsize_t i = 0; i < ginfo.nlinks; i++) {
    char name[INFO_NAME_LEN];
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name,
                           H5P_DEFAULT) < 0) {
      continue;
    }
    char path[2 * INFO_NAME_LEN];
    snprintf(path, sizeof path, "%s/%s", prefix, name);
    hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
    if (obj < 0) {
      continue;
    }
    if (H5Iget_type(obj) == H5I_GROUP) {
      fprintf(stream, "%s/\n", path);
      attr_walk w = {stream, "    "};
      H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, NULL, print_attr, &w);
      walk(obj, path, stream);
    } else {
      print_dataset(obj, path, stream);
    }
    H5Oclose(obj);
  }
  return CET_OK;
}

int cet_result_print_info(const char *path, FILE *stream) {
  cet_h5_quiet();
  CET_CALL(cet_checksum_verify(path));
  hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) {
    char what[INFO_TEXT_LEN];
    snprintf(what, sizeof what, "cannot open '%s' as an HDF5 file", path);
    H5Eclear2(H5E_DEFAULT);
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s", what);
    return CET_ERR_INPUT;
  }
  hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
  char format[INFO_TEXT_LEN] = "";
  if (H5Aexists(root, "format") > 0) {
    format_attr(root, "format", format, sizeof format);
  }
  int status = CET_OK;
  if (strcmp(format, CET_RESULT_FORMAT) != 0) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__,
                   "'%s' is an HDF5 file but not a cetwin result (no format = %s attribute)", path,
                   CET_RESULT_FORMAT);
    status = CET_ERR_INPUT;
  } else {
    fprintf(stream, "cetwin result file %s\n", path);
    attr_walk w = {stream, "  "};
    H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, NULL, print_attr, &w);
    status = walk(root, "", stream);
  }
  H5Gclose(root);
  H5Fclose(file);
  return status;
}
