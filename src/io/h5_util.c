/*
 * h5_util.c — HDF5 error capture (see h5_util.h).
 */
#include "h5_util.h"

#include "cetwin/error.h"

#include <stdio.h>
#include <string.h>

enum { H5_MESSAGE_LEN = 512 };

void cet_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static herr_t first_message(unsigned n, const H5E_error2_t *err, void *data) {
  char *buf = data;
  if (n == 0 && err->desc) {
    snprintf(buf, H5_MESSAGE_LEN, "%s", err->desc);
  }
  return 0;
}

int cet_h5_fail(const char *what) {
  char message[H5_MESSAGE_LEN] = "";
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_message, message);
  H5Eclear2(H5E_DEFAULT);
  cet_error_push(CET_ERR_RUNTIME, __FILE__, __LINE__, __func__, "%s%s%s", what,
                 message[0] ? ": HDF5: " : "", message);
  return CET_ERR_RUNTIME;
}
