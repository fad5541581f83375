/*
 * info.c — `cetwin info OUT.h5`: a human summary of a result file (root
 * attributes, group attributes, datasets with shape and units). Every
 * object is listed once: a hard link to an object already listed (as in a
 * group that links back to itself) says where it was listed, and soft and
 * external links are shown, not followed. Sizes read from the file are
 * checked against the file's size before anything is read; what cannot be
 * read (a damaged file) is reported where it appears, and the call fails
 * after the listing.
 */
#include "cetwin/result.h"

#include "h5_util.h"

#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum {
  INFO_TEXT_LEN = 512,
  INFO_NAME_LEN = 256,
  INFO_MAX_ITEMS_SHOWN = 8,
  INFO_MAX_DEPTH = 64,      /* groups nested deeper are not listed */
  INFO_MAX_VALUES = 1 << 20 /* values of one attribute read at most */
};

/* An object listed: its address in the file and the path it was listed at. */
typedef struct {
  haddr_t addr;
  char *path;
} info_seen;

typedef struct {
  FILE *stream;
  unsigned long long size; /* bytes of the file */
  info_seen *seen;         /* sorted by address */
  size_t n_seen, cap_seen;
  size_t damaged;                    /* what could not be read */
  char first_damaged[INFO_TEXT_LEN]; /* the first of it */
  int status;                        /* CET_ERR_MEMORY when the listing stopped */
} info_walk;

/* Notes an object or attribute that could not be read. */
static void damaged(info_walk *w, const char *what) {
  if (w->damaged++ == 0) {
    snprintf(w->first_damaged, sizeof w->first_damaged, "%.*s", INFO_TEXT_LEN - 1, what);
  }
  H5Eclear2(H5E_DEFAULT);
}

/* Where addr was listed, or NULL; *at gets its place in w->seen. */
static const char *seen_at(const info_walk *w, haddr_t addr, size_t *at) {
  size_t lo = 0, hi = w->n_seen;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (w->seen[mid].addr < addr) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *at = lo;
  return lo < w->n_seen && w->seen[lo].addr == addr ? w->seen[lo].path : NULL;
}

static int remember(info_walk *w, haddr_t addr, const char *path) {
  size_t at = 0;
  seen_at(w, addr, &at);
  CET_CALL(cet_array_grow(&w->seen, &w->cap_seen, w->n_seen + 1, sizeof *w->seen));
  char *copy = cet_strdup(path);
  CET_CHECK_ALLOC(copy);
  memmove(w->seen + at + 1, w->seen + at, (w->n_seen - at) * sizeof *w->seen);
  w->seen[at] = (info_seen){addr, copy};
  w->n_seen++;
  return CET_OK;
}

/* How many values of type an attribute of space holds, when reading them
 * is plausible (the file holds that many bytes); -1 otherwise. */
static hssize_t values_to_read(const info_walk *w, hid_t type, hid_t space) {
  hssize_t n = H5Sget_simple_extent_npoints(space);
  size_t size = H5Tget_size(type);
  if (n < 0 || size == 0 || n > INFO_MAX_VALUES ||
      !cet_h5_plausible((long long)n, size, w->size, 0)) {
    return -1;
  }
  return n;
}

/* Formats a string attribute (scalar or first items of a list); 0, or -1
 * when it cannot be read. */
static int format_strings(const info_walk *w, hid_t attr, hid_t type, hid_t space, char *buf,
                          size_t len) {
  hssize_t n = values_to_read(w, type, space);
  int scalar = H5Sget_simple_extent_ndims(space) == 0;
  buf[0] = '\0';
  if (n < 0) {
    snprintf(buf, len, "(%lld strings: not read, implausibly many)",
             (long long)H5Sget_simple_extent_npoints(space));
    return -1;
  }
  if (n == 0 || H5Tis_variable_str(type) <= 0) {
    snprintf(buf, len, "(%lld strings)", (long long)n);
    return 0;
  }
  char **values = calloc((size_t)n, sizeof *values);
  hid_t mem = H5Tcopy(H5T_C_S1);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5Tget_cset(type));
  int read = values && H5Aread(attr, mem, values) >= 0;
  if (read) {
    size_t used = 0;
    for (hssize_t i = 0; i < n && i < INFO_MAX_ITEMS_SHOWN && used < len; i++) {
      const char *v = values[i] ? values[i] : "";
      const char *nl = strchr(v, '\n');
      int wrote;
      if (scalar && nl) {
        size_t lines = 1;
        for (const char *p = v; *p; p++) {
          lines += *p == '\n';
        }
        wrote = snprintf(buf + used, len - used, "(text, %zu lines)", lines);
      } else {
        wrote = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", v);
      }
      used += wrote > 0 ? (size_t)wrote : 0;
    }
    if (n > INFO_MAX_ITEMS_SHOWN && used < len) {
      snprintf(buf + used, len - used, ", ... (%lld in all)", (long long)n);
    }
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, values);
  } else {
    snprintf(buf, len, "(cannot be read)");
  }
  H5Tclose(mem);
  free(values);
  return read ? 0 : -1;
}

/* Formats a numeric attribute; 0, or -1 when it cannot be read. */
static int format_numbers(const info_walk *w, hid_t attr, hid_t type, hid_t space, char *buf,
                          size_t len) {
  H5T_class_t cls = H5Tget_class(type);
  buf[0] = '\0';
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
    snprintf(buf, len, "(not a number or text)");
    return 0;
  }
  hssize_t n = values_to_read(w, type, space);
  if (n < 0) {
    snprintf(buf, len, "(%lld values: not read, implausibly many)",
             (long long)H5Sget_simple_extent_npoints(space));
    return -1;
  }
  double *values = malloc((size_t)(n > 0 ? n : 1) * sizeof *values);
  if (!values || (n > 0 && H5Aread(attr, H5T_NATIVE_DOUBLE, values) < 0)) {
    free(values);
    snprintf(buf, len, "(cannot be read)");
    return -1;
  }
  size_t used = 0;
  for (hssize_t i = 0; i < n && i < INFO_MAX_ITEMS_SHOWN && used < len; i++) {
    int wrote = cls == H5T_INTEGER
                    ? snprintf(buf + used, len - used, "%s%.0f", i ? ", " : "", values[i])
                    : snprintf(buf + used, len - used, "%s%.10g", i ? ", " : "", values[i]);
    used += wrote > 0 ? (size_t)wrote : 0;
  }
  if (n > INFO_MAX_ITEMS_SHOWN && used < len) {
    snprintf(buf + used, len - used, ", ... (%lld in all)", (long long)n);
  }
  free(values);
  return 0;
}

/* Formats attribute name of obj (at path) into buf. */
static void format_attr(info_walk *w, hid_t obj, const char *path, const char *name, char *buf,
                        size_t len) {
  buf[0] = '\0';
  hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  hid_t type = attr < 0 ? -1 : H5Aget_type(attr), space = attr < 0 ? -1 : H5Aget_space(attr);
  int ok = type >= 0 && space >= 0;
  if (!ok) {
    snprintf(buf, len, "(cannot be read)");
  } else if (H5Tget_class(type) == H5T_STRING) {
    ok = format_strings(w, attr, type, space, buf, len) == 0;
  } else {
    ok = format_numbers(w, attr, type, space, buf, len) == 0;
  }
  if (!ok) {
    char what[2 * INFO_TEXT_LEN];
    snprintf(what, sizeof what, "attribute '%s' of '%s'", name, path);
    damaged(w, what);
  }
  if (space >= 0) {
    H5Sclose(space);
  }
  if (type >= 0) {
    H5Tclose(type);
  }
  if (attr >= 0) {
    H5Aclose(attr);
  }
}

typedef struct {
  info_walk *w;
  const char *path;
  const char *indent;
} attr_walk;

static herr_t print_attr(hid_t obj, const char *name, const H5A_info_t *info, void *data) {
  (void)info;
  const attr_walk *a = data;
  char text[INFO_TEXT_LEN];
  format_attr(a->w, obj, a->path, name, text, sizeof text);
  fprintf(a->w->stream, "%s%s: %s\n", a->indent, name, text);
  return 0;
}

static void print_attrs(info_walk *w, hid_t obj, const char *path, const char *indent) {
  attr_walk a = {w, path, indent};
  if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, NULL, print_attr, &a) < 0) {
    char what[2 * INFO_TEXT_LEN];
    snprintf(what, sizeof what, "the attributes of '%s'", path);
    fprintf(w->stream, "%s(the attributes cannot be read)\n", indent);
    damaged(w, what);
  }
}

static void print_dataset(info_walk *w, hid_t dset, const char *path) {
  hid_t space = H5Dget_space(dset), type = H5Dget_type(dset);
  int rank = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
  hsize_t dims[H5S_MAX_RANK];
  char shape[INFO_TEXT_LEN] = "";
  if (rank < 0 || type < 0 || H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
    snprintf(shape, sizeof shape, "cannot be read");
    damaged(w, path);
    rank = 0;
  }
  size_t used = strlen(shape);
  for (int i = 0; i < rank && used < sizeof shape; i++) {
    int wrote = snprintf(shape + used, sizeof shape - used, "%s%llu", i ? " x " : "",
                         (unsigned long long)dims[i]);
    used += wrote > 0 ? (size_t)wrote : sizeof shape;
  }
  H5T_class_t cls = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
  const char *kind = cls == H5T_STRING ? "string" : cls == H5T_INTEGER ? "int" : "double";
  char units[INFO_TEXT_LEN] = "";
  if (H5Aexists(dset, "units") > 0) {
    format_attr(w, dset, path, "units", units, sizeof units);
  }
  fprintf(w->stream, "  %-40s %-7s [%s]%s%s\n", path, kind, shape, units[0] ? "  " : "", units);
  if (type >= 0) {
    H5Tclose(type);
  }
  if (space >= 0) {
    H5Sclose(space);
  }
}

typedef struct {
  info_walk *w;
  const char *prefix;
  int depth;
} group_walk;

static void walk(info_walk *w, hid_t group, const char *prefix, int depth);

/* A link that is not hard: shown, not followed. */
static void print_link(info_walk *w, hid_t group, const char *name, const H5L_info_t *info,
                       const char *path) {
  char value[INFO_TEXT_LEN] = "";
  int known = info->type == H5L_TYPE_SOFT || info->type == H5L_TYPE_EXTERNAL;
  if (!known || info->u.val_size > sizeof value) {
    fprintf(w->stream, "  %-40s -> (%s, not followed)\n", path,
            known ? "a link too long to show" : "a user-defined link");
  } else if (H5Lget_val(group, name, value, sizeof value, H5P_DEFAULT) >= 0) {
    value[sizeof value - 1] = '\0';
    const char *file = NULL, *object = value;
    unsigned flags = 0;
    if (info->type == H5L_TYPE_EXTERNAL &&
        H5Lunpack_elink_val(value, info->u.val_size, &flags, &file, &object) < 0) {
      file = object = "?";
    }
    fprintf(w->stream, "  %-40s -> %s%s%s (%s link, not followed)\n", path, file ? file : "",
            file ? ":" : "", object, file ? "external" : "soft");
  } else {
    fprintf(w->stream, "  %-40s -> (a link that cannot be read, not followed)\n", path);
    damaged(w, path);
  }
  H5Eclear2(H5E_DEFAULT);
}

static herr_t visit_link(hid_t group, const char *name, const H5L_info_t *info, void *data) {
  group_walk *g = data;
  info_walk *w = g->w;
  char path[2 * INFO_NAME_LEN];
  snprintf(path, sizeof path, "%s/%s", g->prefix, name);
  if (info->type != H5L_TYPE_HARD) {
    print_link(w, group, name, info, path);
    return 0;
  }
  size_t at = 0;
  const char *listed = seen_at(w, info->u.address, &at);
  if (listed) {
    fprintf(w->stream, "  %-40s -> %s (the same object, listed there)\n", path,
            listed[0] ? listed : "/");
    return 0;
  }
  if ((w->status = remember(w, info->u.address, path)) != CET_OK) {
    return -1;
  }
  hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
  if (obj < 0) {
    fprintf(w->stream, "  %-40s (cannot be read)\n", path);
    damaged(w, path);
    return 0;
  }
  switch (H5Iget_type(obj)) {
  case H5I_GROUP:
    fprintf(w->stream, "%s/\n", path);
    print_attrs(w, obj, path, "    ");
    if (g->depth < INFO_MAX_DEPTH) {
      walk(w, obj, path, g->depth + 1);
    } else {
      fprintf(w->stream, "  (groups nested more than %d deep are not listed)\n", INFO_MAX_DEPTH);
      damaged(w, path);
    }
    break;
  case H5I_DATASET:
    print_dataset(w, obj, path);
    break;
  default:
    fprintf(w->stream, "  %-40s (a named datatype)\n", path);
    break;
  }
  H5Oclose(obj);
  return w->status == CET_OK ? 0 : -1;
}

static void walk(info_walk *w, hid_t group, const char *prefix, int depth) {
  group_walk g = {w, prefix, depth};
  if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, NULL, visit_link, &g) < 0 &&
      w->status == CET_OK) {
    char what[2 * INFO_TEXT_LEN];
    snprintf(what, sizeof what, "the links of '%s/'", prefix);
    fprintf(w->stream, "  %s/ (its links cannot all be read)\n", prefix);
    damaged(w, what);
  }
}

/* Prints the result file path, whose root group is root, on stream. */
static int print_file(info_walk *w, hid_t root, const char *path, FILE *stream) {
  char format[INFO_TEXT_LEN] = "";
  if (root >= 0 && H5Aexists(root, "format") > 0) {
    format_attr(w, root, "/", "format", format, sizeof format);
  }
  CET_CHECK(strcmp(format, CET_RESULT_FORMAT) == 0, CET_ERR_INPUT,
            "'%s' is an HDF5 file but not a cetwin result (no format = %s attribute)", path,
            CET_RESULT_FORMAT);
  H5O_info_t oinfo;
  if (H5Oget_info2(root, &oinfo, H5O_INFO_BASIC) >= 0) {
    CET_CALL(remember(w, oinfo.addr, ""));
  } else {
    damaged(w, "the root group");
  }
  fprintf(stream, "cetwin result file %s\n", path);
  print_attrs(w, root, "/", "  ");
  walk(w, root, "", 0);
  CET_CALL(w->status);
  CET_CHECK(w->damaged == 0, CET_ERR_INPUT,
            "'%s' is damaged: %zu object(s) or attribute(s) cannot be read, the first: %s", path,
            w->damaged, w->first_damaged);
  return CET_OK;
}

int cet_result_print_info(const char *path, FILE *stream) {
  hid_t file = H5I_INVALID_HID;
  unsigned long long size = 0;
  CET_CALL(cet_h5_open_read(path, &file, &size));
  info_walk w = {.stream = stream, .size = size};
  hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
  int status = print_file(&w, root, path, stream);
  for (size_t i = 0; i < w.n_seen; i++) {
    free(w.seen[i].path);
  }
  free(w.seen);
  if (root >= 0) {
    H5Gclose(root);
  }
  H5Eclear2(H5E_DEFAULT);
  H5Fclose(file);
  return status;
}
