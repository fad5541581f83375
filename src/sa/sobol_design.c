/*
 * sobol_design.c — the Saltelli design of a Sobol' analysis (see
 * sobol_indices.h): validation of the plan, the groups' members, the rows
 * of a base row from a scrambled Sobol' point of 2k dimensions.
 */
#include "sobol_impl.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <stdlib.h>
#include <string.h>

cet_sobol_parameters cet_sobol_default_parameters(void) {
  cet_sobol_parameters p;
  memset(&p, 0, sizeof p);
  p.base_rows = CET_SOBOL_DEFAULT_BASE_ROWS;
  p.block = CET_SOBOL_DEFAULT_BLOCK;
  p.replicates = CET_SOBOL_DEFAULT_REPLICATES;
  return p;
}

/* Checks the plan and fills k, g, rows and the terms per output. */
static int check_plan(cet_sobol_design *d, const cet_sobol_parameters *p) {
  d->k = p->factors;
  CET_CHECK(d->k <= CET_SOBOLSEQ_MAX_DIMS / 2, CET_ERR_INPUT,
            "Sobol' indices: at most %d factors (a design point takes 2 coordinates of the "
            "Sobol' sequence per factor), found %zu",
            CET_SOBOLSEQ_MAX_DIMS / 2, d->k);
  CET_CALL(cet_sa_groups_init(&d->gr, "Sobol' indices", p->factors, p->groups, p->group_of));
  d->g = d->gr.g;
  CET_CHECK(p->base_rows >= 1 && p->base_rows <= UINT32_MAX, CET_ERR_INPUT,
            "Sobol' indices: expected 1 to 2^32 - 1 base rows, found %llu",
            (unsigned long long)p->base_rows);
  CET_CHECK(p->block >= 1, CET_ERR_INPUT, "Sobol' indices: expected at least 1 base row per block");
  d->rows = (p->second_order ? 2 * d->g : d->g) + 2;
  d->terms_per_output = TERM_FIXED + 3 * d->g;
  if (p->second_order) {
    d->terms_per_output += d->g + d->g * (d->g - 1) / 2;
  }
  return CET_OK;
}

int cet_sobol_design_create(cet_sobol_design **dp, const cet_sobol_parameters *p) {
  *dp = NULL;
  cet_sobol_design *d = calloc(1, sizeof *d);
  CET_CHECK_ALLOC(d);
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, check_plan(d, p));
  d->p = *p;
  d->p.groups = d->g;
  d->p.group_of = d->gr.group_of;
  d->boot = (cet_bootstrap_plan){.seed = p->seed,
                                 .purpose = cet_rng_purpose("sobol.bootstrap"),
                                 .points = p->base_rows,
                                 .block = p->block};
  d->blocks = cet_bootstrap_blocks(&d->boot);
  if (d->k > 0) {
    CET_CALL_GOTO(status, fail, cet_sobolseq_create(&d->seq, 2 * d->k, 1, p->seed));
  }
  *dp = d;
  return CET_OK;
fail:
  cet_sobol_design_destroy(&d);
  return status;
}

void cet_sobol_design_destroy(cet_sobol_design **dp) {
  if (!dp || !*dp) {
    return;
  }
  cet_sobol_design *d = *dp;
  cet_sobolseq_destroy(&d->seq);
  cet_sa_groups_free(&d->gr);
  free(d);
  *dp = NULL;
}

const cet_sobol_parameters *cet_sobol_design_parameters(const cet_sobol_design *d) { return &d->p; }

size_t cet_sobol_design_groups(const cet_sobol_design *d) { return d->g; }

size_t cet_sobol_design_rows(const cet_sobol_design *d) { return d->rows; }

cet_sobol_row_kind cet_sobol_design_row_kind(const cet_sobol_design *d, size_t row, size_t *group) {
  size_t i = 0;
  cet_sobol_row_kind kind;
  if (row == 0) {
    kind = CET_SOBOL_ROW_A;
  } else if (row + 1 >= d->rows) {
    kind = CET_SOBOL_ROW_B;
  } else if (row <= d->g) {
    kind = CET_SOBOL_ROW_AB;
    i = row - 1;
  } else {
    kind = CET_SOBOL_ROW_BA;
    i = row - 1 - d->g;
  }
  if (group) {
    *group = i;
  }
  return kind;
}

int cet_sobol_design_takes_b(const cet_sobol_design *d, size_t row, size_t group) {
  size_t i;
  switch (cet_sobol_design_row_kind(d, row, &i)) {
  case CET_SOBOL_ROW_A:
    return 0;
  case CET_SOBOL_ROW_AB:
    return group == i;
  case CET_SOBOL_ROW_BA:
    return group != i;
  case CET_SOBOL_ROW_B:
    break;
  }
  return 1;
}

static int check_base_row(const cet_sobol_design *d, uint64_t j) {
  CET_CHECK(j < d->p.base_rows, CET_ERR_INPUT,
            "Sobol' design: base row %llu is beyond the last base row %llu", (unsigned long long)j,
            (unsigned long long)(d->p.base_rows - 1));
  return CET_OK;
}

int cet_sobol_design_base(const cet_sobol_design *d, uint64_t j, double *a, double *b) {
  CET_CALL(check_base_row(d, j));
  if (d->k > 0) {
    CET_CALL(cet_sobolseq_coordinates(d->seq, j, 0, d->k, a));
    CET_CALL(cet_sobolseq_coordinates(d->seq, j, d->k, d->k, b));
  }
  return CET_OK;
}

void cet_sobol_design_assemble(const cet_sobol_design *d, size_t row, const double *a,
                               const double *b, double *x) {
  size_t i;
  cet_sobol_row_kind kind = cet_sobol_design_row_kind(d, row, &i);
  int base_b = kind == CET_SOBOL_ROW_B || kind == CET_SOBOL_ROW_BA;
  memcpy(x, base_b ? b : a, d->k * sizeof *x);
  if (kind == CET_SOBOL_ROW_AB || kind == CET_SOBOL_ROW_BA) {
    const double *other = base_b ? a : b;
    for (size_t m = d->gr.start[i]; m < d->gr.start[i + 1]; m++) {
      x[d->gr.member[m]] = other[d->gr.member[m]];
    }
  }
}

int cet_sobol_design_fill(const cet_sobol_design *d, uint64_t j, double *x) {
  size_t k = d->k, last = d->rows - 1;
  CET_CALL(cet_sobol_design_base(d, j, x, x + last * k));
  for (size_t row = 1; row < last; row++) {
    cet_sobol_design_assemble(d, row, x, x + last * k, x + row * k);
  }
  return CET_OK;
}
