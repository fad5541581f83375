/*
 * h5_util.h — HDF5 helpers shared by the writers and readers of src/io:
 * silencing HDF5's own error printing and turning its error stack into a
 * message in cetwin's error chain.
 */
#ifndef CETWIN_H5_UTIL_H
#define CETWIN_H5_UTIL_H

#include <hdf5.h>

/* Stops HDF5 from printing its error stack (cetwin reports errors itself). */
void cet_h5_quiet(void);

/* Records a CET_ERR_RUNTIME failure "what: <innermost HDF5 message>" and
 * returns CET_ERR_RUNTIME. */
int cet_h5_fail(const char *what);

/* Checks an HDF5 identifier or status; on failure records what. */
#define CET_H5_CHECK(expr, what)                                                                   \
  do {                                                                                             \
    if ((expr) < 0) {                                                                              \
      return cet_h5_fail(what);                                                                    \
    }                                                                                              \
  } while (0)

#endif /* CETWIN_H5_UTIL_H */
