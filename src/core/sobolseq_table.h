/*
 * sobolseq_table.h — the table of Sobol' direction numbers (private to
 * src/core; the numbers and their layout are described in
 * sobolseq_directions.c).
 */
#ifndef CETWIN_SOBOLSEQ_TABLE_H
#define CETWIN_SOBOLSEQ_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* Dimensions covered: dimension 1 (implicit) and one row for each of the
 * dimensions 2 .. cet_sobolseq_table_dims. */
extern const size_t cet_sobolseq_table_dims;

/* Number of entries of cet_sobolseq_table. */
extern const size_t cet_sobolseq_table_size;

/* Rows (s, a, m_1 .. m_s) of the dimensions 2, 3, ... one after another. */
extern const uint16_t cet_sobolseq_table[];

#endif /* CETWIN_SOBOLSEQ_TABLE_H */
