/*
 * reader_impl.h — the body of cet_result_reader (private to src/io), shared
 * by the reader (result_read.c) and the copy into a result (result.c), and
 * the check of an object before it is copied.
 */
#ifndef CETWIN_READER_IMPL_H
#define CETWIN_READER_IMPL_H

#include "cetwin/result.h"

#include <hdf5.h>

struct cet_result_reader {
  hid_t file;
  char *path;
  unsigned long long size; /* bytes of the file: no dataset holds more */
};

/* Reads every dataset of object (a group, everything in it, or a dataset)
 * once, so that a damaged one (a checksum mismatch) is found before the
 * object is copied: H5Ocopy copies chunks without checking them. */
int cet_result_verify(cet_result_reader *r, const char *object);

#endif /* CETWIN_READER_IMPL_H */
