/*
 * config_load.h — loading a case: rank 0 reads the YAML file and every
 * file it includes, broadcasts the texts, and every rank parses them and
 * applies the --set overrides, so all ranks hold the same tree and fail
 * together with the same message.
 */
#ifndef CETWIN_CONFIG_LOAD_H
#define CETWIN_CONFIG_LOAD_H

#include "cetwin/config.h"

#include <mpi.h>
#include <stddef.h>

/* Collective over comm. Loads path (with its !include files) and applies
 * the overrides "PATH=VALUE" in order. On failure every rank returns the
 * same status with the same message in its error chain. */
int cet_config_load(const char *path, const char *const *overrides, size_t n_overrides,
                    MPI_Comm comm, cet_config **out);

#endif /* CETWIN_CONFIG_LOAD_H */
