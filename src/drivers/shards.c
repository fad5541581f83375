/*
 * shards.c — opening and comparing the shards of one run and the parts of
 * a merged file every analysis writes alike (shards.h).
 */
#include "shards.h"

#include "cetwin/error.h"
#include "cetwin/log.h"
#include "cetwin/quantity.h"
#include "cetwin/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SHARD_TEXT_LEN = 1024, TIME_LEN = 64 };

/* Shard record i of an array of records of stride bytes. */
static cet_drv_shard *record(const void *shards, size_t stride, size_t i) {
  return (cet_drv_shard *)(void *)((char *)(uintptr_t)shards + i * stride);
}

int cet_drv_shard_fail(const char *path, int status) {
  if (status == CET_OK || status == CET_ERR_MEMORY) {
    return status;
  }
  char why[SHARD_TEXT_LEN];
  cet_error_format(why, sizeof why, 0);
  cet_error_clear();
  size_t n = strlen(path);
  int named = strncmp(why, path, n) == 0 && why[n] == ':';
  cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "%s%s%s", named ? "" : path,
                 named ? "" : ": ", why);
  return CET_ERR_INPUT;
}

static int open_one(const char *path, const char *analysis, cet_drv_shard *s) {
  s->path = path;
  CET_CALL(cet_result_open(path, &s->in));
  char *found = NULL;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup, cet_result_read_attr_string(s->in, "/", "analysis", &found));
  CET_CHECK_GOTO(status, cleanup, strcmp(found, analysis) == 0, CET_ERR_INPUT,
                 "'%s' holds a %s analysis, the first shard a %s analysis: shards of one run "
                 "hold the same",
                 path, found, analysis);
cleanup:
  free(found);
  return cet_drv_shard_fail(path, status);
}

int cet_drv_shards_open(const char *const *paths, size_t n, const char *analysis, void *shards,
                        size_t stride) {
  int status = CET_OK;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < i; j++) {
      CET_CHECK_GOTO(status, fail, strcmp(paths[i], paths[j]) != 0, CET_ERR_INPUT,
                     "'%s' is given twice", paths[i]);
    }
    CET_CALL_GOTO(status, fail, open_one(paths[i], analysis, record(shards, stride, i)));
  }
  return CET_OK;
fail:
  cet_drv_shards_close(shards, stride, n);
  return status;
}

void cet_drv_shards_close(void *shards, size_t stride, size_t n) {
  for (size_t i = 0; shards && i < n; i++) {
    cet_result_close(&record(shards, stride, i)->in);
  }
}

static int skipped(const char *entry, const char *const *prefixes) {
  for (size_t k = 0; prefixes && prefixes[k]; k++) {
    if (strncmp(entry, prefixes[k], strlen(prefixes[k])) == 0) {
      return 1;
    }
  }
  return 0;
}

int cet_drv_shards_same_strings(const cet_drv_shard *a, const cet_drv_shard *b, const char *path,
                                const char *const *prefixes, const char *note) {
  char **x = NULL, **y = NULL;
  size_t nx = 0, ny = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, cleanup,
                cet_drv_shard_fail(a->path, cet_result_read_strings(a->in, path, &nx, &x)));
  CET_CALL_GOTO(status, cleanup,
                cet_drv_shard_fail(b->path, cet_result_read_strings(b->in, path, &ny, &y)));
  for (size_t i = 0, j = 0; i < nx || j < ny;) {
    int skip_x = i < nx && skipped(x[i], prefixes), skip_y = j < ny && skipped(y[j], prefixes);
    if (skip_x || skip_y) {
      i += skip_x;
      j += skip_y;
      continue;
    }
    CET_CHECK_GOTO(status, cleanup, i < nx && j < ny && strcmp(x[i], y[j]) == 0, CET_ERR_INPUT,
                   "'%s' and '%s' are not shards of one run: %s differs at entry %zu: %s%s%s "
                   "in the first, %s%s%s in the second",
                   a->path, b->path, path, i, i < nx ? "'" : "", i < nx ? x[i] : "nothing",
                   i < nx ? "'" : "", j < ny ? "'" : "", j < ny ? y[j] : "nothing",
                   j < ny ? "'" : "");
    i++;
    j++;
  }
cleanup:
  if (status == CET_ERR_INPUT && prefixes && note) {
    cet_error_push(CET_ERR_INPUT, __FILE__, __LINE__, __func__, "(%s)", note); /* context */
  }
  cet_free_strings(x, nx);
  cet_free_strings(y, ny);
  return status;
}

int cet_drv_merge_write_root(cet_result *out, const cet_drv_shard *first, size_t n,
                             const char *command_line) {
  char now[TIME_LEN];
  cet_result_utc_now(now, sizeof now);
  CET_CALL(cet_result_copy(out, first->in, "/", 1));
  CET_CALL(cet_result_attr_string(out, "/", "created_utc", now));
  CET_CALL(cet_result_attr_string(out, "/", "command_line", command_line ? command_line : ""));
  CET_CALL(cet_result_attr_int(out, "/", "shards", (long long)n));
  return CET_OK;
}

static int by_first(const void *a, const void *b) {
  const cet_drv_shard *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

int cet_drv_shards_check_ranges(void *shards, size_t stride, size_t n, const char *unit,
                                uint64_t *total) {
  qsort(shards, n, stride, by_first);
  *total = n > 0 ? (uint64_t)record(shards, stride, 0)->count : 0;
  for (size_t i = 1; i < n; i++) {
    const cet_drv_shard *a = record(shards, stride, i - 1), *b = record(shards, stride, i);
    long long end = a->first + a->count;
    CET_CHECK(end <= b->first, CET_ERR_INPUT,
              "'%s' (%s %lld..%lld) and '%s' (%s %lld..%lld) overlap; shards must cover disjoint "
              "ranges of %s",
              a->path, unit, a->first, end - 1, b->path, unit, b->first, b->first + b->count - 1,
              unit);
    if (end < b->first) {
      cet_log_warn("merge: %s %lld..%lld are in no shard", unit, end, b->first - 1);
    }
    *total += (uint64_t)b->count;
  }
  return CET_OK;
}

int cet_drv_merge_write_shards(cet_result *out, const void *shards, size_t stride, size_t n,
                               const char *const columns[2], const char *order) {
  const char **paths = calloc(n + 1, sizeof *paths);
  long long *ranges = calloc(2 * n + 1, sizeof *ranges);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, paths && ranges);
  for (size_t i = 0; i < n; i++) {
    const cet_drv_shard *s = record(shards, stride, i);
    paths[i] = s->path;
    ranges[2 * i] = s->first;
    ranges[2 * i + 1] = s->count;
  }
  char what[SHARD_TEXT_LEN];
  snprintf(what, sizeof what, "the shards merged, in %s order", order);
  size_t dims[2] = {n, 2};
  cet_dataset_meta mp = {.description = what, .dims = "shard"};
  cet_dataset_meta mr = {.units = "1",
                         .description = "range of each shard: its first and its count",
                         .columns = columns,
                         .n_columns = 2,
                         .dims = "shard,range"};
  CET_CALL_GOTO(status, done, cet_result_write_strings(out, "/merge/shards", n, paths, &mp));
  CET_CALL_GOTO(status, done, cet_result_write_ints(out, "/merge/ranges", 2, dims, ranges, &mr));
done:
  free(paths);
  free(ranges);
  return status;
}

static void shape_text(char *buf, size_t len, size_t rank, const size_t *dims) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < rank && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%zu", i ? " x " : "", dims[i]);
    used += w > 0 ? (size_t)w : 0;
  }
  if (used < len) {
    snprintf(buf + used, len - used, rank == 1 && dims[0] == 1 ? " value" : " values");
  }
}

int cet_drv_read_shaped(cet_result_reader *in, const char *path, cet_result_type type,
                        size_t want_rank, const size_t *want, const char *why, void **out) {
  size_t rank = 0, dims[3] = {0};
  int status = CET_OK;
  CET_CALL_GOTO(status, fail,
                type == CET_RESULT_INT64
                    ? cet_result_read_ints(in, path, &rank, dims, (long long **)out)
                    : cet_result_read_doubles(in, path, &rank, dims, (double **)out));
  CET_CALL_GOTO(status, fail, cet_drv_check_shape(path, rank, dims, want_rank, want, why));
  return CET_OK;
fail:
  free(*out);
  *out = NULL;
  return status;
}

int cet_drv_read_names(cet_result_reader *in, const char *path, size_t want, const char *why,
                       size_t *n, char ***out) {
  size_t got = 0;
  CET_CALL(cet_result_read_strings(in, path, &got, out));
  if (want != SIZE_MAX && got != want) {
    cet_free_strings(*out, got);
    *out = NULL;
    CET_CALL(cet_drv_check_shape(path, 1, &got, 1, &want, why));
  }
  *n = got;
  return CET_OK;
}

int cet_drv_write_shares(cet_result *r, const char *path, size_t n, const long long *share,
                         const char *dims) {
  cet_dataset_meta meta = {.units = "1", .description = CET_DRV_SHARE_TEXT, .dims = dims};
  return cet_result_write_ints(r, path, 1, &n, share, &meta);
}

int cet_drv_read_shares(cet_result_reader *in, const char *path, size_t n, const char *const *units,
                        const char *why, long long **out) {
  if (cet_result_has(in, path)) {
    CET_CALL(cet_drv_read_shaped(in, path, CET_RESULT_INT64, 1, &n, why, (void **)out));
    size_t i = 0;
    while (i < n && ((*out)[i] == 0 || (*out)[i] == 1)) {
      i++;
    }
    if (i < n) {
      const long long found = (*out)[i];
      free(*out);
      *out = NULL;
      CET_CHECK(0, CET_ERR_INPUT, "%s: expected 0 or 1 (1: a share), found %lld at %zu", path,
                found, i);
    }
    return CET_OK;
  }
  *out = malloc((n + 1) * sizeof **out);
  CET_CHECK_ALLOC(*out);
  for (size_t i = 0; i < n; i++) {
    (*out)[i] = units && cet_units_dimensionless(units[i]);
  }
  return CET_OK;
}

int cet_drv_shards_same_shares(cet_result_reader *in, const char *path, size_t n,
                               const char *const *names, const char *const *units, const char *why,
                               const long long *first, int has_first) {
  int has = cet_result_has(in, path) != 0;
  CET_CHECK(has == has_first, CET_ERR_INPUT, "%s: expected %s (as the first shard), found %s", path,
            has_first ? "the dataset" : "none", has ? "the dataset" : "none");
  long long *share = NULL;
  CET_CALL(cet_drv_read_shares(in, path, n, units, why, &share));
  size_t k = 0;
  while (k < n && (share[k] != 0) == (first[k] != 0)) {
    k++;
  }
  free(share);
  CET_CHECK(k == n, CET_ERR_INPUT,
            "%s: expected the first shard's flags, found another for metric '%s'", path, names[k]);
  return CET_OK;
}

int cet_drv_check_shape(const char *path, size_t rank, const size_t *dims, size_t want_rank,
                        const size_t *want, const char *why) {
  int same = rank == want_rank;
  for (size_t i = 0; same && i < rank; i++) {
    same = dims[i] == want[i];
  }
  char expected[SHARD_TEXT_LEN], found[SHARD_TEXT_LEN];
  shape_text(expected, sizeof expected, want_rank, want);
  shape_text(found, sizeof found, rank, dims);
  CET_CHECK(same, CET_ERR_INPUT, "%s: expected %s (%s), found %s", path, expected, why, found);
  return CET_OK;
}
