/*
 * read_sensitivity.h — the readers of a sensitivity case (private to
 * src/config): the section itself (read_sensitivity.c) and its factors and
 * groups (read_factors.c).
 */
#ifndef CETWIN_READ_SENSITIVITY_H
#define CETWIN_READ_SENSITIVITY_H

#include "readers.h"

#include "cetwin/sensitivity.h"

/* Reads the factors of `sensitivity:` at section (and `uncertain:` of the
 * case at root) into s: explicit factors, the uncertain variables unless
 * `uncertain: false`, and the groups. */
int cet_read_factors(const cet_case *c, const cet_node *root, const cet_node *section,
                     cet_sensitivity_spec *s);

/* Reads the optional `factors: [name, ...]` of a method's section (method
 * may be NULL or null: every factor) into set, checking that no price
 * series is both drawn with the correlated prices and moved freely by
 * another factor of the set; name is the method's, for messages. */
int cet_read_factor_set(const cet_twin *t, const cet_node *method, const char *name,
                        const cet_sensitivity_spec *s, cet_factor_set *set);

#endif /* CETWIN_READ_SENSITIVITY_H */
