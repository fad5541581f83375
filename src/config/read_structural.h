/*
 * read_structural.h — readers of the structural units of a network (private
 * to src/config): selectors, exchange units and the keys of incineration
 * sinks (user guide: Units of a network case), and the pieces of
 * read_network.c they share with feeds and splitters.
 */
#ifndef CETWIN_READ_STRUCTURAL_H
#define CETWIN_READ_STRUCTURAL_H

#include "cetwin/network.h"
#include "cetwin/node.h"

/* The `outlets:` list of unit (distinct names without '.', at least one)
 * into u->outlets. */
int cet_read_network_outlets(const cet_node *unit, cet_unit_spec *u);

/* A composition mapping (mass fractions per component summing to 1) at v
 * into u->fraction, each fraction a parameter of s. */
int cet_read_network_composition(const cet_node *v, cet_twin_spec *s, cet_unit_spec *u);

/* `type: selector`: outlets and the integer outlet index `choice`. */
int cet_read_selector_unit(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u);

/* `type: exchange`: the net flow and its bounds, the import composition,
 * the costs and burdens per tonne imported and exported. */
int cet_read_exchange_unit(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u);

/* The `cost:` and `energy:` keys of a sink (u->sink read): parameters of an
 * incineration sink, refused on other kinds. */
int cet_read_incineration(const cet_node *unit, cet_twin_spec *s, cet_unit_spec *u);

#endif /* CETWIN_READ_STRUCTURAL_H */
