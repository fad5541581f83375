/*
 * checkpoint.h — checkpoint files (docs/architecture.md): the state a long
 * run needs to continue exactly where it stopped, in one HDF5 file that is
 * replaced atomically.
 *
 * Writing: cet_checkpoint_create opens PATH.partial as a result file
 * (result.h) whose root says format "cetwin-checkpoint", its version, its
 * kind (the driver, e.g. "optimize"), the cetwin version and commit and the
 * time; the driver writes its datasets and attributes with the functions of
 * result.h; cet_result_commit then closes it, forces it to disk (fsync) and
 * renames it over PATH, so that PATH always holds either the previous
 * complete checkpoint or the new complete one, never a partial file, even
 * when the job is killed while writing. cet_result_discard drops it.
 *
 * Reading: cet_checkpoint_open checks the format, version and kind, and the
 * functions below read attributes and datasets whose shape the caller
 * states; every mismatch is an input error naming the file and the object.
 *
 * Only the calling rank touches the file (not collective).
 */
#ifndef CETWIN_CHECKPOINT_H
#define CETWIN_CHECKPOINT_H

#include "cetwin/result.h"

#include <stddef.h>

#define CET_CHECKPOINT_FORMAT "cetwin-checkpoint"
#define CET_CHECKPOINT_FORMAT_VERSION 1

/* Creates PATH.partial for a checkpoint of the given kind and writes its
 * root attributes; *out is the open file. Errors as cet_result_create. */
int cet_checkpoint_create(const char *path, const char *kind, cet_result **out);

typedef struct cet_checkpoint cet_checkpoint;

/* Opens the checkpoint at path for reading. Fails with CET_ERR_INPUT when
 * the file cannot be opened, is not a cetwin checkpoint, has a newer
 * format version, or is of another kind (kind NULL: any kind). */
int cet_checkpoint_open(const char *path, const char *kind, cet_checkpoint **out);

/* The kind the checkpoint says it is of (owned by cp). */
const char *cet_checkpoint_kind(const cet_checkpoint *cp);

/* Closes *cp (NULL allowed) and sets it NULL. */
void cet_checkpoint_close(cet_checkpoint **cp);

const char *cet_checkpoint_path(const cet_checkpoint *cp);

/* Attribute name of object ("/" or a group or dataset path): a string
 * (newly allocated; free it) or an integer. Missing or of another type:
 * CET_ERR_INPUT. */
int cet_checkpoint_attr_string(cet_checkpoint *cp, const char *object, const char *name,
                               char **value);
int cet_checkpoint_attr_int(cet_checkpoint *cp, const char *object, const char *name,
                            long long *value);

/* Shape of a dataset: *rank (<= 3) and dims[0 .. rank). */
int cet_checkpoint_dims(cet_checkpoint *cp, const char *dataset, size_t *rank, size_t *dims);

/* Reads a dataset that must have exactly the shape (rank, dims) into data
 * (room for the product of dims). */
int cet_checkpoint_read_doubles(cet_checkpoint *cp, const char *dataset, size_t rank,
                                const size_t *dims, double *data);
int cet_checkpoint_read_ints(cet_checkpoint *cp, const char *dataset, size_t rank,
                             const size_t *dims, long long *data);

#endif /* CETWIN_CHECKPOINT_H */
