// The what-if plan (rules/what_if.h) for one unit among 10,000 with 100 criteria lost, against the baseline
// it replaces: re-ranking every unit once per criterion (RankUnits, as the brute-force test does).
// Run: build/services/scoring/scoring_benchmarks --benchmark_filter=WhatIf
#include <benchmark/benchmark.h>

#include <random>

#include "rules/ranking.h"
#include "rules/what_if.h"

namespace cchc::scoring {
namespace {

struct WhatIfInput {
  std::vector<Centi> others;
  std::vector<RankInput> all;  // the others and "ME"
  Centi mine = 0;
  std::vector<CriterionLoss> losses;
};

WhatIfInput MakeWhatIf(int units, int criteria) {
  std::mt19937 rng(29);
  std::uniform_int_distribution<Centi> total(5000, 10000);
  WhatIfInput in;
  for (int u = 0; u < units; ++u) {
    in.others.push_back(total(rng));
    in.all.push_back({"U" + std::to_string(u), in.others.back()});
  }
  in.mine = 7500;
  std::uniform_int_distribution<Centi> lost(1, 300);
  for (int c = 0; c < criteria; ++c) in.losses.push_back({"C" + std::to_string(c), lost(rng)});
  return in;
}

void BM_WhatIfPlan(benchmark::State& state) {
  WhatIfInput in = MakeWhatIf(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(PlanImprovements(in.mine, in.others, in.losses));
}
BENCHMARK(BM_WhatIfPlan)->Args({10000, 100})->Unit(benchmark::kMicrosecond);

void BM_WhatIfByReranking(benchmark::State& state) {
  WhatIfInput in = MakeWhatIf(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    int sum = 0;
    for (const auto& l : in.losses) {
      auto all = in.all;
      all.push_back({"ME", in.mine + l.lost});
      for (const auto& r : RankUnits(std::move(all)))
        if (r.unit_code == "ME") sum += r.rank;
    }
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_WhatIfByReranking)->Args({10000, 100})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cchc::scoring
