/*
 * reader_impl.h — the body of cet_result_reader (private to src/io), shared
 * by the reader (result_read.c) and the copy into a result (result.c).
 */
#ifndef CETWIN_READER_IMPL_H
#define CETWIN_READER_IMPL_H

#include "cetwin/result.h"

#include <hdf5.h>

struct cet_result_reader {
  hid_t file;
  char *path;
};

#endif /* CETWIN_READER_IMPL_H */
