#!/usr/bin/python3
"""Shock sizes of the AR(1) price models of configs/bollrich/prices-ar.yaml.

Suppes and Heuss-Assbichler (2021) give their price forecasts only as
figures; Table 3's revenue and energy lines give, for each series, constant
levels p, m, o equivalent to the pessimistic, mean and optimistic forecasts
(configs/bollrich/prices-constant.yaml, docs/validation.md). A level-scale
AR(1) x_t = (1 - phi) m + phi x_{t-1} + sigma e_t starting at x_2021 = m
has the mean m in every year and the 95 % band m -+ 1.96 sigma s_t with
s_t = sqrt(sum_{j<t} phi^2j). The revenue of a line is linear in the price,
so the band reproduces the line when its discounted average equals the
constant level:
    1.96 sigma A = (o - p) / 2,   A = sum_t d_t s_t / sum_t d_t,
d_t = 1.15^-t over the operation years t = 1..10. This prints sigma per
series for phi = 0.8 (or the value given).

usage: bollrich_ar_calibration.py [PHI]"""
import math
import sys

LEVELS = {  # p, m, o (configs/bollrich/prices-constant.yaml)
    "BaSO4": (142.60, 164.44, 186.42),
    "Cu": (3656.3, 5795.6, 7896.0),
    "Pb": (746.04, 1613.8, 2486.8),
    "Zn": (376.24, 3589.7, 6797.0),
    "Co": (8848.9, 32867.0, 58150.0),
    "Ga": (183020.0, 427060.0, 610080.0),
    "In": (36589.0, 384180.0, 750070.0),
    "diesel": (0.80619, 1.2093, 1.6361),
}
Z975 = 1.959963984540054
RATE, YEARS = 0.15, range(1, 11)


def main():
    phi = float(sys.argv[1]) if len(sys.argv) > 1 else 0.8
    d = {t: (1.0 + RATE) ** -t for t in YEARS}
    a = sum(d[t] * math.sqrt(sum(phi ** (2 * j) for j in range(t))) for t in YEARS)
    a /= sum(d.values())
    print(f"phi = {phi}, A = {a:.5f}")
    print(f"{'series':8s} {'mean':>10s} {'half band':>11s} {'sigma':>11s} {'(m-p)-(o-m)':>12s}")
    for name, (p, m, o) in LEVELS.items():
        half = (o - p) / 2.0
        print(f"{name:8s} {m:10.5g} {half:11.5g} {half / (Z975 * a):11.5g} {(m - p) - (o - m):12.4g}")


if __name__ == "__main__":
    main()
