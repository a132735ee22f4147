// Ranking recomputation (the work of publishing a period) for 10,000 units × 100 criteria: sum every unit's
// appraised points per field, rank densely, compare with the previous year. Target: under 200 ms.
// Run: build/services/scoring/scoring_benchmarks
#include <benchmark/benchmark.h>

#include <random>

#include "rules/ranking.h"
#include "rules/score.h"

namespace cchc::scoring {
namespace {

struct Input {
  std::vector<Leaf> leaves;
  std::vector<std::pair<std::string, std::map<std::string, v1::Score>>> units;
  std::unordered_map<std::string, PreviousResult> previous;
};

// `units` units, each with an appraised score on `criteria` criteria of 1.00 point spread over 8 fields.
Input Make(int units, int criteria) {
  Input in;
  for (int c = 0; c < criteria; ++c)
    in.leaves.push_back({"C" + std::to_string(c), "", std::to_string(c % 8 + 1), 100, v1::RANGE, false});
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> points(0, 100);
  for (int u = 0; u < units; ++u) {
    std::map<std::string, v1::Score> scores;
    for (const auto& leaf : in.leaves) {
      v1::Score s;
      s.set_criterion_code(leaf.code);
      s.set_appraised_points(FormatPoints(points(rng)));
      scores.emplace(leaf.code, std::move(s));
    }
    std::string code = "U" + std::to_string(u);
    in.previous[code] = {points(rng) * criteria, u + 1};
    in.units.emplace_back(code, std::move(scores));
  }
  return in;
}

void BM_RecomputeRanking(benchmark::State& state) {
  Input in = Make(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    std::vector<RankInput> totals;
    totals.reserve(in.units.size());
    for (const auto& [code, scores] : in.units) totals.push_back({code, SumScores(in.leaves, scores, true).total});
    auto ranked = RankUnits(std::move(totals), in.previous);
    auto summary = Summarize(ranked);
    benchmark::DoNotOptimize(summary);
  }
  state.counters["units"] = static_cast<double>(state.range(0));
  state.counters["criteria"] = static_cast<double>(state.range(1));
}
BENCHMARK(BM_RecomputeRanking)->Args({10000, 100})->Unit(benchmark::kMillisecond)->MinTime(2);

// Ranking alone (totals already summed), for 10,000 units.
void BM_RankOnly(benchmark::State& state) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<Centi> total(0, 10000);
  std::vector<RankInput> base;
  std::unordered_map<std::string, PreviousResult> previous;
  for (int u = 0; u < state.range(0); ++u) {
    base.push_back({"U" + std::to_string(u), total(rng)});
    previous["U" + std::to_string(u)] = {total(rng), u + 1};
  }
  for (auto _ : state) benchmark::DoNotOptimize(RankUnits(base, previous));
}
BENCHMARK(BM_RankOnly)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cchc::scoring
