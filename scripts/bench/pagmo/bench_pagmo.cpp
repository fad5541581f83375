// bench_pagmo.cpp — the pagmo2 side of scripts/bench: NSGA-II on ZDT1 and
// DTLZ2, fast_non_dominated_sorting and the exact hypervolume, timed on
// the same problems, parameters and point sets as bench_cetwin.c.
//
// Usage: bench_pagmo nsga2 zdt1|dtlz2 POP GEN SEEDS
//        bench_pagmo ndsort N REPEATS
//        bench_pagmo hv N uniform|sphere REPEATS
// Prints one line "pagmo <what> ... seconds=<s> ..." per measurement
// (seconds of CPU time).
#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/problems/dtlz.hpp>
#include <pagmo/problems/zdt.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "bench_points.h"
}

static double now() { return bench_cpu_seconds(); }

static std::vector<pagmo::vector_double> as_rows(const std::vector<double> &f, size_t n, size_t m) {
  std::vector<pagmo::vector_double> rows(n, pagmo::vector_double(m));
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++) {
      rows[i][j] = f[i * m + j];
    }
  }
  return rows;
}

static int run_nsga2(const std::string &name, unsigned pop, unsigned gen, unsigned seeds) {
  pagmo::problem prob = name == "zdt1" ? pagmo::problem{pagmo::zdt(1u, 30u)}
                                       : pagmo::problem{pagmo::dtlz(2u, 12u, 3u)};
  const double n = (double)prob.get_nx();
  const pagmo::vector_double ref(prob.get_nobj(), 1.1);
  double seconds = 0, hv_sum = 0;
  for (unsigned s = 0; s < seeds; s++) {
    double t0 = now();
    pagmo::population p{prob, pop, s + 1};
    // same operators and rates as cetwin: crossover 0.9 (genes 0.5), eta_c
    // 20, per-gene mutation rate 1/n on every child, eta_m 20
    pagmo::algorithm algo{pagmo::nsga2(gen, 0.9, 20., 1. / n, 20., s + 1)};
    p = algo.evolve(p);
    seconds += now() - t0;
    auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(p.get_f()));
    // pagmo rejects points beyond the reference point; they add no volume
    // (cetwin's convention), so drop them
    std::vector<pagmo::vector_double> front;
    for (auto i : fronts[0]) {
      const auto &y = p.get_f()[i];
      bool inside = true;
      for (size_t j = 0; j < y.size(); j++) {
        inside = inside && y[j] < ref[j];
      }
      if (inside) {
        front.push_back(y);
      }
    }
    hv_sum += pagmo::hypervolume(front, true).compute(ref);
  }
  std::printf("pagmo nsga2 %s pop=%u gen=%u seeds=%u seconds_per_run=%.4f mean_hv=%.6f\n",
              name.c_str(), pop, gen, seeds, seconds / seeds, hv_sum / seeds);
  return 0;
}

static int run_ndsort(size_t n, unsigned repeats) {
  std::vector<double> f(n * 3);
  bench_points(f.data(), n, 3, 0, 12345);
  auto rows = as_rows(f, n, 3);
  double best = 1e300;
  size_t first = 0;
  for (unsigned r = 0; r < repeats; r++) {
    double t0 = now();
    auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(rows));
    best = std::min(best, now() - t0);
    first = fronts[0].size();
  }
  std::printf("pagmo ndsort n=%zu front0=%zu seconds=%.6f\n", n, first, best);
  return 0;
}

static int run_hv(size_t n, bool sphere, unsigned repeats) {
  std::vector<double> f(n * 3);
  bench_points(f.data(), n, 3, sphere ? 1 : 0, 777);
  auto rows = as_rows(f, n, 3);
  const pagmo::vector_double ref(3, 1.1);
  double best = 1e300, hv = 0;
  for (unsigned r = 0; r < repeats; r++) {
    double t0 = now();
    pagmo::hypervolume h(rows, false); // verification is not part of the timing
    hv = h.compute(ref);
    best = std::min(best, now() - t0);
  }
  std::printf("pagmo hv3d n=%zu points=%s seconds=%.6f hv=%.12f\n", n,
              sphere ? "sphere" : "uniform", best, hv);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 6 && std::strcmp(argv[1], "nsga2") == 0) {
    return run_nsga2(argv[2], (unsigned)std::atoi(argv[3]), (unsigned)std::atoi(argv[4]),
                     (unsigned)std::atoi(argv[5]));
  }
  if (argc >= 4 && std::strcmp(argv[1], "ndsort") == 0) {
    return run_ndsort((size_t)std::atol(argv[2]), (unsigned)std::atoi(argv[3]));
  }
  if (argc >= 5 && std::strcmp(argv[1], "hv") == 0) {
    return run_hv((size_t)std::atol(argv[2]), std::strcmp(argv[3], "sphere") == 0,
                  (unsigned)std::atoi(argv[4]));
  }
  std::fprintf(stderr, "usage: bench_pagmo nsga2 zdt1|dtlz2 POP GEN SEEDS | ndsort N REPEATS | "
                       "hv N uniform|sphere REPEATS\n");
  return 1;
}
