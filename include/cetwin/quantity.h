/*
 * quantity.h — numbers formatted for engineers: a value with its units,
 * scaled to a readable prefix (73.94 MEUR, 4.36 Mt/a, 1.2 GWh), and shares
 * as percentages. One convention for every table cetwin prints.
 */
#ifndef CETWIN_QUANTITY_H
#define CETWIN_QUANTITY_H

#include <stddef.h>

/* Writes x with its units into buf: units whose leading unit takes a
 * prefix (EUR, USD, t, g, Wh, kWh, J) are scaled by k, M, G or T so that
 * the number shows 1 to 999 (e.g. "73.94 MEUR", "-1.23 kt CO2e", "4.357
 * Mt/a"); other units are written as they are ("0.1523 1" becomes
 * "0.1523"); NaN as "-". Four significant digits. */
void cet_format_quantity(double x, const char *units, char *buf, size_t len);

/* Writes a share or relative change as a percentage ("+12.3 %", "-69.4
 * %"); sign shown when signed is 1. */
void cet_format_percent(double share, int signed_, char *buf, size_t len);

#endif /* CETWIN_QUANTITY_H */
