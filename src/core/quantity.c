/*
 * quantity.c — numbers with their units for printed tables (quantity.h).
 */
#include "cetwin/quantity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Units that take an SI prefix, and the power of 1000 they already hold. */
static const struct {
  const char *unit;
  const char *base; /* the unit without its own prefix */
  int thousands;    /* 1 for kWh: already 10^3 Wh */
} PREFIXABLE[] = {{"EUR", "EUR", 0}, {"USD", "USD", 0}, {"t", "t", 0},    {"g", "g", 0},
                  {"Wh", "Wh", 0},   {"kWh", "Wh", 1},  {"MWh", "Wh", 2}, {"J", "J", 0}};
static const char *const PREFIXES[] = {"", "k", "M", "G", "T", "P"};
enum { N_PREFIXES = sizeof PREFIXES / sizeof PREFIXES[0] };

/* Length of the leading unit of units (up to a space or a '/'). */
static size_t leading(const char *units) { return strcspn(units, " /"); }

void cet_format_quantity(double x, const char *units, char *buf, size_t len) {
  if (isnan(x)) {
    snprintf(buf, len, "-");
    return;
  }
  if (!units || !units[0] || strcmp(units, "1") == 0) {
    snprintf(buf, len, "%.4g", x);
    return;
  }
  size_t lead = leading(units);
  for (size_t i = 0; i < sizeof PREFIXABLE / sizeof PREFIXABLE[0]; i++) {
    if (strlen(PREFIXABLE[i].unit) != lead || strncmp(units, PREFIXABLE[i].unit, lead) != 0) {
      continue;
    }
    int p = PREFIXABLE[i].thousands;
    double v = x;
    while (isfinite(v) && fabs(v) >= 999.95 && p + 1 < N_PREFIXES) {
      v /= 1000.0;
      p++;
    }
    snprintf(buf, len, "%.4g %s%s%s", v, PREFIXES[p], PREFIXABLE[i].base, units + lead);
    return;
  }
  snprintf(buf, len, "%.4g %s", x, units);
}

void cet_format_percent(double share, int signed_, char *buf, size_t len) {
  if (isnan(share)) {
    snprintf(buf, len, "-");
    return;
  }
  snprintf(buf, len, signed_ ? "%+.4g %%" : "%.4g %%", 100.0 * share);
}
