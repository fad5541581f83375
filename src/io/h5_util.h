/*
 * h5_util.h — HDF5 helpers shared by the writers and readers of src/io:
 * silencing HDF5's own error printing, turning its error stack into a
 * message in cetwin's error chain, opening a file cetwin wrote for
 * reading, the list of a file's datasets, the properties of the files
 * cetwin writes, closing a written file so that a failure (a full disk)
 * leaves nothing behind, and the bounds every size read from a file must
 * meet.
 */
#ifndef CETWIN_H5_UTIL_H
#define CETWIN_H5_UTIL_H

#include <hdf5.h>
#include <mpi.h>

/* Stops HDF5 from printing its error stack (cetwin reports errors itself). */
void cet_h5_quiet(void);

/* Records a CET_ERR_RUNTIME failure "what: HDF5: <innermost HDF5 message>"
 * (for a failed system call, its reason, e.g. "No space left on device")
 * and returns CET_ERR_RUNTIME. */
int cet_h5_fail(const char *what);

/* Records a CET_ERR_INPUT failure reading object (a path in the file, or
 * NULL) of the file at path and returns CET_ERR_INPUT: "'path': object:
 * checksum mismatch: the file is corrupt" when HDF5 found a checksum
 * mismatch, else "'path': object: what: HDF5: <message>". */
int cet_h5_read_fail(const char *path, const char *object, const char *what);

/* Opens the file at path read-only after checking its content checksum
 * (checksum.h): *file gets the identifier (close with H5Fclose), *size the
 * file's size in bytes. CET_ERR_INPUT when the checksum does not match or
 * HDF5 cannot open it ("cannot open 'path' as an HDF5 file"); *file is
 * then H5I_INVALID_HID. */
int cet_h5_open_read(const char *path, hid_t *file, unsigned long long *size);

/* The paths of the datasets met walking a file with H5Ovisit2, each
 * "/name" (allocated); failed holds the status of a failed addition, whose
 * message is in the error chain. Start from {0}. */
typedef struct {
  char **paths;
  size_t n, cap;
  int failed;
} cet_h5_path_list;

/* Adds "/name" to l. Returns 0, or -1 (which stops the walk) with
 * l->failed set. */
herr_t cet_h5_path_list_add(cet_h5_path_list *l, const char *name);

/* Frees the paths of l and leaves it empty. */
void cet_h5_path_list_free(cet_h5_path_list *l);

/* Checks an HDF5 identifier or status; on failure records what. */
#define CET_H5_CHECK(expr, what)                                                                   \
  do {                                                                                             \
    if ((expr) < 0) {                                                                              \
      return cet_h5_fail(what);                                                                    \
    }                                                                                              \
  } while (0)

/* Bytes at the start of every file cetwin writes that HDF5 leaves to the
 * application (the userblock): they hold the content checksum
 * (checksum.h). */
#define CET_H5_USERBLOCK 512

/* Creation properties of the files cetwin writes (the userblock). */
hid_t cet_h5_fcpl(void);

/* Access properties of the files cetwin writes: the HDF5 1.10 file format
 * (object headers, indices and the superblock carry checksums), and a
 * strong close degree (closing the file closes whatever is still open in
 * it); MPI-IO over comm unless comm is MPI_COMM_NULL. Close with H5Pclose. */
hid_t cet_h5_fapl(MPI_Comm comm);

/* Creation properties of a dataset of rank dimensions dims of the file
 * type type: chunked, with HDF5's Fletcher32 checksum on every chunk. A
 * chunk spans the trailing dimensions whole while they fit in
 * CET_H5_CHUNK_BYTES and as much of the next one as fits: whole rows of a
 * table, a small dataset in one chunk. With rows > 0 (the rows a rank
 * writes at a time) a chunk holds that many whole rows instead, when they
 * take at most CET_H5_CHUNK_MAX_BYTES: every chunk is then written by one
 * rank, which parallel HDF5 handles without moving data between ranks.
 * H5P_DEFAULT (contiguous, no checksum) for a dataset without elements and
 * for variable-length strings, to which HDF5 applies no filter. Close with
 * H5Pclose unless H5P_DEFAULT. */
hid_t cet_h5_dcpl(int rank, const hsize_t *dims, hid_t type, hsize_t rows);

#define CET_H5_CHUNK_BYTES (1u << 20)
#define CET_H5_CHUNK_MAX_BYTES (1u << 22)

/* Closes file, open for writing at path: closes every object still open
 * in it, flushes it, and closes it. When the flush fails (a full disk, a
 * quota) the file is lost: it is truncated to nothing so that closing can
 * write what it must (a serial file writes into memory when even that
 * does not fit), because HDF5 1.10 frees a file whose H5Fclose failed but
 * keeps its identifier, which H5close (at MPI_Finalize) then dereferences;
 * the caller removes the file. With comm not MPI_COMM_NULL the file is open
 * with MPI-IO on every rank of comm and the call is collective; a rank returns
 * an error only for its own failure, so callers agree on the outcome with
 * cet_collective_status. Returns CET_OK, or CET_ERR_RUNTIME, with the
 * message "cannot write 'path': <reason>" when report is set. */
int cet_h5_close_written(hid_t file, const char *path, MPI_Comm comm, int report);

/* Checks that a dataset's or attribute's npoints elements of type_size
 * bytes are plausible before they are read: no overflow, and no more
 * bytes than the file holds (file_size; 0 skips that bound) unless the
 * data is compressed (compressed). Returns 1 when plausible. */
int cet_h5_plausible(long long npoints, size_t type_size, unsigned long long file_size,
                     int compressed);

/* 1 when the dataset has a filter other than Fletcher32 (its data may take
 * more bytes than its storage). */
int cet_h5_compressed(hid_t dset);

/* Checks the extent of dataset dset (object, in the file at path of
 * file_size bytes) before it is read: a rank from min_rank to max_rank
 * (*rank and dims get it) and values that fit in the file
 * (cet_h5_plausible; *values gets their number). CET_OK, or CET_ERR_INPUT
 * naming the file and the dataset. */
int cet_h5_check_extent(hid_t dset, const char *path, const char *object,
                        unsigned long long file_size, int min_rank, int max_rank, int *rank,
                        hsize_t *dims, unsigned long long *values);

#endif /* CETWIN_H5_UTIL_H */
