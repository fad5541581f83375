/*
 * collective.h — agreeing on success or failure across MPI ranks, so that
 * a failure on any rank makes every rank stop with the same message
 * instead of leaving the others waiting in a collective call.
 */
#ifndef CETWIN_COLLECTIVE_H
#define CETWIN_COLLECTIVE_H

#include <mpi.h>

/* Collective over comm. Returns CET_OK when every rank passed CET_OK;
 * otherwise the status of the lowest failing rank, whose error message is
 * then pushed onto the error chain of every rank that had not failed. */
int cet_collective_status(int status, MPI_Comm comm);

#endif /* CETWIN_COLLECTIVE_H */
