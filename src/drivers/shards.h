/*
 * shards.h — what `cetwin merge` does alike for every analysis whose runs
 * split into shards (private to src/drivers): opening the shards, checking
 * that two of them come from one run (the same lists of strings, such as
 * the input texts, up to the overrides that set a shard's range), and the
 * root attributes and /merge group of the merged file.
 */
#ifndef CETWIN_SHARDS_H
#define CETWIN_SHARDS_H

#include "cetwin/result.h"

#include <stddef.h>
#include <stdint.h>

/* One shard: its file, open, and its range of points (draws, base rows)
 * first .. first + count - 1. An analysis' own shard record starts with
 * one, so that an array of records passes as (records, their size). */
typedef struct {
  const char *path;
  cet_result_reader *in;
  long long first, count;
} cet_drv_shard;

/* Turns the failure just recorded while reading shard path into one input
 * error naming the file (unless the message names it already); out of
 * memory stays what it is. Returns the status to return. */
int cet_drv_shard_fail(const char *path, int status);

/* Opens the n shards at paths into the n shard records (each of stride
 * bytes, starting with a cet_drv_shard; path = paths[i]): each given once, each
 * a result file whose root attribute `analysis` is analysis. Closes what it
 * opened on failure. */
int cet_drv_shards_open(const char *const *paths, size_t n, const char *analysis, void *shards,
                        size_t stride);
void cet_drv_shards_close(void *shards, size_t stride, size_t n);

/* CET_OK when the list of strings at path is the same in a and b, leaving
 * out the entries that start with one of the NULL-terminated prefixes
 * (NULL: none); else an input error saying where they differ, and, with
 * prefixes, which entries may differ (note). */
int cet_drv_shards_same_strings(const cet_drv_shard *a, const cet_drv_shard *b, const char *path,
                                const char *const *prefixes, const char *note);

/* The merged file's root: the first shard's root attributes, with the time
 * of the merge, its command line and the number of shards. */
int cet_drv_merge_write_root(cet_result *out, const cet_drv_shard *first, size_t n,
                             const char *command_line);

/* Sorts the n shard records (each of stride bytes, starting with a
 * cet_drv_shard) by their first point and checks that none overlaps the next
 * (an input error naming both, the points called unit: "draws"); a gap
 * draws a warning. *total gets the points of all of them. */
int cet_drv_shards_check_ranges(void *shards, size_t stride, size_t n, const char *unit,
                                uint64_t *total);

/* /merge/shards (the files of the n shard records, each of stride bytes and
 * starting with a cet_drv_shard, in their order) and /merge/ranges [shard, 2]
 * (first and count, named by columns); order names the points ("draw"). */
int cet_drv_merge_write_shards(cet_result *out, const void *shards, size_t stride, size_t n,
                               const char *const columns[2], const char *order);

/* CET_OK when a dataset read back (rank, dims) has want_rank dimensions of
 * sizes want; otherwise CET_ERR_INPUT "PATH: expected 20 x 8 values (why),
 * found 20 x 7 values". */
int cet_drv_check_shape(const char *path, size_t rank, const size_t *dims, size_t want_rank,
                        const size_t *want, const char *why);

/* Reads the numeric dataset at path (type: doubles or 64-bit integers)
 * into *out (allocated, free(); NULL after a failure), checked to have
 * want_rank dimensions of sizes want as cet_drv_check_shape does. */
int cet_drv_read_shaped(cet_result_reader *in, const char *path, cet_result_type type,
                        size_t want_rank, const size_t *want, const char *why, void **out);

/* The list of texts at path into *out (cet_free_strings; NULL after a
 * failure), *n of them, which must be want unless want is SIZE_MAX
 * (cet_drv_check_shape's message with why otherwise). */
int cet_drv_read_names(cet_result_reader *in, const char *path, size_t want, const char *why,
                       size_t *n, char ***out);

/* The description of a dataset of share flags. */
#define CET_DRV_SHARE_TEXT                                                                         \
  "1 where the metric is a share of a whole (printed as a percentage), else 0"

/* Writes the share flags of n metrics (share[n], 1: a share) to path, an
 * integer dataset along the axis dims (/simulate/metrics/share and its
 * kind). */
int cet_drv_write_shares(cet_result *r, const char *path, size_t n, const long long *share,
                         const char *dims);

/* The share flags of n metrics (1: a share of a whole, printed as a
 * percentage, as the twin declares it; cet_twin_metric_is_share) from the
 * integer dataset at path into *out (allocated, free()). A file written
 * before it recorded them has no such dataset: then a metric whose units
 * (units[n]) are the dimensionless "1" is taken for a share, as the
 * versions that wrote such files printed it; with units NULL (the tables
 * of such versions printed every metric as a quantity) none is. A flag
 * other than 0 and 1 is bad input (CET_ERR_INPUT, naming path). */
int cet_drv_read_shares(cet_result_reader *in, const char *path, size_t n, const char *const *units,
                        const char *why, long long **out);

/* CET_OK when the shard read by in records at path the share flags of the
 * first shard: has_first 1, the dataset with the flags first[n]; 0, no
 * such dataset (files written before it), as cet_drv_read_shares reads
 * them with units. Else an input error naming path and the first metric
 * (names[n]) whose flag differs: shards of one run record the same. */
int cet_drv_shards_same_shares(cet_result_reader *in, const char *path, size_t n,
                               const char *const *names, const char *const *units, const char *why,
                               const long long *first, int has_first);

#endif /* CETWIN_SHARDS_H */
