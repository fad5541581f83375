/*
 * case_sections.h — the config readers of each analysis' own sections
 * (the `read` and `destroy` of its record, analysis.h): each reads the
 * sections of the case at root into its part of c, after the common parts
 * and the twin, and frees that part again. Errors name FILE:LINE:COL and
 * the key. Not collective.
 */
#ifndef CETWIN_CASE_SECTIONS_H
#define CETWIN_CASE_SECTIONS_H

#include "cetwin/case.h"
#include "cetwin/config.h"
#include "cetwin/node.h"

/* `feed:` and `enumerate:` of a flowsheet enumeration. */
int cet_case_read_enumerate(const cet_node *root, const cet_config *cfg, cet_case *c);
void cet_case_free_enumerate(cet_case *c);

/* `uncertain:`, `mc:`, `scenarios:` and `unfc:` of a Monte Carlo (mc.h). */
int cet_case_read_mc(const cet_node *root, const cet_config *cfg, cet_case *c);
void cet_case_free_mc(cet_case *c);

/* `design:`, `objectives:`, `constraints:`, `robust:` with `uncertain:`
 * and `optimize:` of an optimisation (optimize_spec.h). */
int cet_case_read_optimize(const cet_node *root, const cet_config *cfg, cet_case *c);
void cet_case_free_optimize(cet_case *c);

/* `sensitivity:` with `uncertain:` of a sensitivity analysis
 * (sensitivity.h). */
int cet_case_read_sensitivity(const cet_node *root, const cet_config *cfg, cet_case *c);
void cet_case_free_sensitivity(cet_case *c);

/* `reconcile:` of a reconciliation (reconcile.h): the measurements listed
 * and those of its `csv:` file, checked against the twin's streams and
 * components, and the settings. */
int cet_case_read_reconcile(const cet_node *root, const cet_config *cfg, cet_case *c);
void cet_case_free_reconcile(cet_case *c);

#endif /* CETWIN_CASE_SECTIONS_H */
