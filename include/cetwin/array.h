/*
 * array.h — growing a heap array: the one place that computes a new size,
 * checks it for overflow and reports a failed allocation.
 */
#ifndef CETWIN_ARRAY_H
#define CETWIN_ARRAY_H

#include <stddef.h>

/* Makes the heap array whose address is array_address (a T **, passed as
 * void * so that any element type fits) hold at least needed elements of
 * elem_size bytes, keeping its first elements. With capacity NULL the array
 * is resized to exactly needed elements; otherwise *capacity is the number
 * of elements it holds now, the array grows to at least twice that (at
 * least 8) when it must grow, and *capacity is updated. On failure
 * (CET_ERR_MEMORY: the size overflows or the allocation fails, with a
 * message) the array and *capacity are left as they were. */
int cet_array_grow(void *array_address, size_t *capacity, size_t needed, size_t elem_size);

#endif /* CETWIN_ARRAY_H */
