/*
 * collective.c — all-ranks agreement on a status (see collective.h).
 */
#include "cetwin/collective.h"

#include "cetwin/error.h"

enum { COLLECTIVE_MESSAGE_LEN = 4096 };

int cet_collective_status(int status, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int mine = status != CET_OK ? rank : size;
  int first = size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == size) {
    return CET_OK;
  }
  int code = status;
  char message[COLLECTIVE_MESSAGE_LEN] = "";
  if (rank == first) {
    cet_error_format(message, sizeof message, 0);
  }
  MPI_Bcast(&code, 1, MPI_INT, first, comm);
  MPI_Bcast(message, COLLECTIVE_MESSAGE_LEN, MPI_CHAR, first, comm);
  if (status == CET_OK) {
    cet_error_push(code, __FILE__, __LINE__, __func__, "%s", message);
  }
  return code;
}
