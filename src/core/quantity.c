/*
 * quantity.c — numbers with their units for printed tables, and the units
 * of a rate formed from units per tonne and a mass flow's (quantity.h).
 */
#include "cetwin/quantity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { UNITS_LEN = 128 };

/* Units that take an SI prefix, and the power of 1000 they already hold. */
static const struct {
  const char *unit;
  const char *base; /* the unit without its own prefix */
  int thousands;    /* 1 for kWh: already 10^3 Wh */
} PREFIXABLE[] = {{"EUR", "EUR", 0},  {"kEUR", "EUR", 1}, {"MEUR", "EUR", 2}, {"USD", "USD", 0},
                  {"kUSD", "USD", 1}, {"t", "t", 0},      {"kt", "t", 1},     {"Mt", "t", 2},
                  {"g", "g", 0},      {"Wh", "Wh", 0},    {"kWh", "Wh", 1},   {"MWh", "Wh", 2},
                  {"GWh", "Wh", 3},   {"J", "J", 0},      {"kJ", "J", 1},     {"MJ", "J", 2},
                  {"GJ", "J", 3}};
static const char *const PREFIXES[] = {"", "k", "M", "G", "T", "P"};
enum { N_PREFIXES = sizeof PREFIXES / sizeof PREFIXES[0] };

/* Length of the leading unit of units (up to a space or a '/'). */
static size_t leading(const char *units) { return strcspn(units, " /"); }

void cet_format_units(const char *units, char *buf, size_t len) {
  if (len == 0) {
    return;
  }
  buf[0] = '\0';
  if (!units || strcmp(units, "1") == 0) {
    return;
  }
  size_t used = 0;
  const char *p = units;
  while (*p && used + 1 < len) {
    size_t word = strcspn(p, " ");
    int inverse = word > 2 && strncmp(p + word - 2, "-1", 2) == 0 && p != units;
    int wrote =
        inverse ? snprintf(buf + used, len - used, "/%.*s", (int)(word - 2), p)
                : snprintf(buf + used, len - used, "%s%.*s", p != units ? " " : "", (int)word, p);
    used += wrote > 0 ? (size_t)wrote : 0;
    used = used < len ? used : len - 1;
    p += word;
    p += strspn(p, " ");
  }
}

void cet_format_quantity(double x, const char *units, char *buf, size_t len) {
  char shown[UNITS_LEN];
  cet_format_units(units, shown, sizeof shown);
  if (isnan(x)) {
    snprintf(buf, len, "-");
    return;
  }
  if (isinf(x)) {
    snprintf(buf, len, "%s%s%s", x < 0 ? "-inf" : "inf", shown[0] ? " " : "", shown);
    return;
  }
  if (!shown[0]) {
    snprintf(buf, len, "%.4g", x);
    return;
  }
  size_t lead = leading(shown);
  for (size_t i = 0; i < sizeof PREFIXABLE / sizeof PREFIXABLE[0]; i++) {
    if (strlen(PREFIXABLE[i].unit) != lead || strncmp(shown, PREFIXABLE[i].unit, lead) != 0) {
      continue;
    }
    int p = PREFIXABLE[i].thousands;
    double v = x;
    while (fabs(v) >= 999.95 && p + 1 < N_PREFIXES) {
      v /= 1000.0;
      p++;
    }
    snprintf(buf, len, "%.4g %s%s%s", v, PREFIXES[p], PREFIXABLE[i].base, shown + lead);
    return;
  }
  snprintf(buf, len, "%.4g %s", x, shown);
}

void cet_format_percent(double share, int signed_, char *buf, size_t len) {
  if (isnan(share)) {
    snprintf(buf, len, "-");
    return;
  }
  snprintf(buf, len, signed_ ? "%+.4g %%" : "%.4g %%", 100.0 * share);
}

int cet_units_dimensionless(const char *units) { return units && strcmp(units, "1") == 0; }

void cet_format_metric(double x, const char *units, int share, char *buf, size_t len) {
  if (share) {
    cet_format_percent(x, 0, buf, len);
  } else {
    cet_format_quantity(x, units, buf, len);
  }
}

void cet_quantity_rate_units(const char *per_tonne_units, const char *flow_units, char *buf,
                             size_t len) {
  size_t n = strlen(per_tonne_units);
  const char *period = strchr(flow_units, '/');
  if (n > 2 && strcmp(per_tonne_units + n - 2, "/t") == 0 && period) {
    snprintf(buf, len, "%.*s%s", (int)(n - 2), per_tonne_units, period);
  } else {
    snprintf(buf, len, "(%s)*(%s)", per_tonne_units, flow_units);
  }
}
