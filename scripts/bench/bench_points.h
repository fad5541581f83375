/*
 * bench_points.h — what both benchmark programs share: the point sets,
 * generated identically in C and C++ (splitmix64, 53-bit doubles) so that
 * cetwin and pagmo see the same numbers, and the CPU-time clock.
 */
#ifndef CETWIN_BENCH_POINTS_H
#define CETWIN_BENCH_POINTS_H

#include <math.h>
#include <time.h>
#include <stddef.h>
#include <stdint.h>

static inline uint64_t bench_splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline double bench_uniform(uint64_t *s) {
  return (double)(bench_splitmix64(s) >> 11) * 0x1.0p-53;
}

/* n points of m objectives, row-major: uniform in the unit cube (sphere =
 * 0) or on the positive unit sphere (sphere = 1: mutually non-dominated). */
static inline void bench_points(double *f, size_t n, size_t m, int sphere, uint64_t seed) {
  uint64_t s = seed;
  for (size_t i = 0; i < n; i++) {
    double norm = 0;
    for (size_t j = 0; j < m; j++) {
      double u = bench_uniform(&s);
      f[i * m + j] = sphere ? u + 1e-12 : u;
      norm += f[i * m + j] * f[i * m + j];
    }
    if (sphere) {
      for (size_t j = 0; j < m; j++) {
        f[i * m + j] /= sqrt(norm);
      }
    }
  }
}

/* CPU seconds used by this process: robust against other jobs sharing the
 * machine, and equal to the wall time of a single-threaded run on an idle
 * core. */
static inline double bench_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif /* CETWIN_BENCH_POINTS_H */
