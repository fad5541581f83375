/*
 * checksum.h — the content checksum of the files cetwin writes (result
 * files, shards, checkpoints): a 64-bit hash of every byte after the
 * userblock, recorded in the userblock once the file is complete and
 * checked before the file is read. A file damaged after it was written (a
 * flipped bit anywhere: data, metadata, or the texts in HDF5's global
 * heap, which no HDF5 checksum covers and whose damage makes HDF5 1.10 read
 * past its buffers) is then refused before HDF5 parses it. The datasets'
 * Fletcher32 checksums and the metadata checksums of the HDF5 1.10 format
 * still guard files read by other programs, and files without the record.
 */
#ifndef CETWIN_CHECKSUM_H
#define CETWIN_CHECKSUM_H

/* Records the checksum of the closed file at path in its userblock
 * (CET_H5_USERBLOCK bytes, left free when the file was created).
 * CET_ERR_RUNTIME when the file cannot be read or written. */
int cet_checksum_seal(const char *path);

/* Checks the file at path against the checksum in its userblock: CET_OK
 * when it matches or when the file has no checksum record (written by an
 * older cetwin or another program); CET_ERR_INPUT "'path': checksum
 * mismatch: the file is corrupt ..." when it does not, or when the file
 * cannot be read. */
int cet_checksum_verify(const char *path);

#endif /* CETWIN_CHECKSUM_H */
