/*
 * array.c — cet_array_grow: resizing a heap array with an overflow check and
 * a message when memory runs out.
 */
#include "cetwin/array.h"

#include "cetwin/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_CAPACITY = 8 };

int cet_array_grow(void *array_address, size_t *capacity, size_t needed, size_t elem_size) {
  CET_CHECK(elem_size > 0, CET_ERR_RUNTIME, "an array of elements of 0 bytes cannot grow");
  size_t n = needed;
  if (capacity) {
    if (needed <= *capacity) {
      return CET_OK;
    }
    size_t doubled = *capacity <= SIZE_MAX / 2 ? 2 * *capacity : SIZE_MAX;
    n = doubled > MIN_CAPACITY ? doubled : MIN_CAPACITY;
    if (n < needed) {
      n = needed;
    }
    if (n > SIZE_MAX / elem_size && needed <= SIZE_MAX / elem_size) {
      n = SIZE_MAX / elem_size;
    }
  }
  CET_CHECK(n <= SIZE_MAX / elem_size, CET_ERR_MEMORY,
            "cannot hold %zu elements of %zu bytes: the size overflows", needed, elem_size);
  void *old;
  memcpy(&old, array_address, sizeof old);
  void *grown = realloc(old, n ? n * elem_size : 1);
  /* reported as the caller's failure: "out of memory in CALLER for ..." */
  CET_CHECK_FOR_CALLER(grown != NULL, CET_ERR_MEMORY, "out of memory",
                       " for %zu elements of %zu bytes", n, elem_size);
  memcpy(array_address, &grown, sizeof grown);
  if (capacity) {
    *capacity = n;
  }
  return CET_OK;
}
