/*
 * quantity.h — numbers formatted for engineers: a value with its units,
 * scaled to a readable prefix (73.94 MEUR, 4.357 Mt/a, 1.2 GWh), and shares
 * as percentages (recoveries, IRR). One convention for every table cetwin
 * prints (docs/user-guide.md, "How numbers are printed"):
 *  - four significant digits;
 *  - money, masses and energies (EUR, USD, t, g, Wh, kWh, MWh, J, GJ and their
 *    k/M prefixed forms) scaled by k, M, G, T or P so that the number shows
 *    1 to 999; other units as they are;
 *  - units written with '/' (a unit string "t a-1" is shown as "t/a");
 *  - the dimensionless unit "1" not shown; shares (metrics their definer
 *    declares a share of a whole) as percentages;
 *  - NaN as "-", infinities as "inf" and "-inf".
 * It also holds the rule that names the units of a rate: a quantity per
 * tonne at a mass flow (cet_quantity_rate_units).
 */
#ifndef CETWIN_QUANTITY_H
#define CETWIN_QUANTITY_H

#include <stddef.h>

/* Writes x with its units into buf (e.g. "73.94 MEUR", "-1.23 kt CO2e",
 * "4.357 Mt/a", "0.1523" for units "1", "-" for NaN). */
void cet_format_quantity(double x, const char *units, char *buf, size_t len);

/* Writes a share or relative change as a percentage ("12.3 %", "+12.3 %"
 * with signed_ = 1, "-" for NaN). */
void cet_format_percent(double share, int signed_, char *buf, size_t len);

/* 1 when units are the dimensionless "1", the units of a share and of
 * other numbers (counts, indices). Whether a metric is a share is its
 * definer's word (cet_twin_metric_is_share; a result file records it beside
 * each list of metrics, /simulate/metrics/share, /mc/summary/share,
 * /optimize/objectives/share); only a file written before it recorded
 * that is read taking a dimensionless metric for a share. */
int cet_units_dimensionless(const char *units);

/* Writes the value x of a metric (units as in the result file): as a
 * percentage when share is nonzero, else as cet_format_quantity. */
void cet_format_metric(double x, const char *units, int share, char *buf, size_t len);

/* Writes units as printed: each factor "u-1" of a unit string becomes
 * "/u" ("t a-1" -> "t/a", "kWh t-1" -> "kWh/t"); "1" becomes "". */
void cet_format_units(const char *units, char *buf, size_t len);

/* Writes into buf the units of a quantity per tonne at a mass flow: units
 * "kWh/t" at flow units "t/a" give "kWh/a" (the "/t" cancels the flow's
 * tonnes and the flow's period is kept); units not per tonne, or flow units
 * without a period, give "(units)*(flow units)" ("kWh" at "t/a" gives
 * "(kWh)*(t/a)"). Truncated to len like snprintf. The twin names its
 * consumption, cost, credit and exergy metrics this way, and enumeration's
 * report its consumptions. */
void cet_quantity_rate_units(const char *per_tonne_units, const char *flow_units, char *buf,
                             size_t len);

#endif /* CETWIN_QUANTITY_H */
