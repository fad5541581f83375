/*
 * groups.h — factors gathered into groups, shared by the Sobol' and Morris
 * designs (private to src/sa): each factor's group, and the members of each
 * group in factor order.
 */
#ifndef CETWIN_SA_GROUPS_H
#define CETWIN_SA_GROUPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  size_t k, g;      /* factors, groups */
  size_t *group_of; /* k entries */
  size_t *start;    /* g + 1: the members of group i are member[start[i] .. start[i + 1]) */
  size_t *member;   /* the k factors sorted by group */
  uint64_t hash;    /* FNV-1a of group_of, to tell plans apart */
} cet_sa_groups;

/* Builds the groups of k factors: groups = 0 means one per factor (g = k);
 * group_of NULL means factor i is in group i (then g >= k). CET_ERR_INPUT
 * (the message starts with `who`) when there is no group, group_of is NULL
 * with g < k, or a factor's group is not below g; CET_ERR_MEMORY. Groups
 * may be empty. Free with cet_sa_groups_free (also after a failure). */
int cet_sa_groups_init(cet_sa_groups *gr, const char *who, size_t k, size_t groups,
                       const size_t *group_of);

/* Frees the arrays of gr (zeroed or initialised). */
void cet_sa_groups_free(cet_sa_groups *gr);

#endif /* CETWIN_SA_GROUPS_H */
