// Not a test: what rendering the pages costs (mstch templates, the SVG charts), beside a baseline measured in
// the same run: the same ranking's protobuf round trip (what gRPC pays to bring it to the portal).
//   build/services/portal/pages/portal_pages_benchmarks --benchmark_repetitions=3
//   --benchmark_report_aggregates_only=true (one line)
#include <benchmark/benchmark.h>

#include "pages/document_views.h"
#include "pages/ranking_views.h"
#include "pages/svg_charts.h"

namespace cchc::portal::pages {
namespace {

namespace sv1 = cchc::scoring::v1;
namespace dv1 = cchc::document::v1;

// 63 provinces with Vietnamese names, totals and changes, as the 2015 ranking has them.
sv1::Ranking Provinces() {
  sv1::Ranking r;
  r.set_year(2015);
  r.set_unit_kind(sv1::PROVINCE);
  r.set_average("85.11");
  r.set_improved_units(60);
  r.set_compared_units(63);
  for (int i = 1; i <= 63; ++i) {
    auto* u = r.add_results();
    u->set_rank(i);
    u->set_ranked_units(63);
    u->set_unit_code("TINH_" + std::to_string(i));
    u->set_unit_name("Thành phố Hồ Chí Minh " + std::to_string(i));
    u->set_total(std::to_string(95 - i / 3) + ".15");
    u->set_total_change("+4.43");
    u->set_has_previous(true);
    u->set_previous_rank(64 - i);
    u->set_rank_change(64 - 2 * i);
  }
  return r;
}

google::protobuf::RepeatedPtrField<dv1::Document> Documents() {
  google::protobuf::RepeatedPtrField<dv1::Document> docs;
  for (int i = 0; i < 20; ++i) {
    auto* d = docs.Add();
    d->set_name("documents/0b9e4c1e-1c2d-4f5a-9b8c-7d6e5f4a3b" + std::to_string(10 + i));
    d->set_code(std::to_string(90 + i) + "/KH-SGDĐT");
    d->set_issue_date("2018-01-16");
    d->set_subject("Thực hiện cải cách hành chính năm 2018 trong các đơn vị trực thuộc Sở Giáo dục và Đào tạo");
    d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  }
  return docs;
}

void BM_RankingProtoRoundTrip(benchmark::State& state) {  // the baseline
  sv1::Ranking ranking = Provinces();
  for (auto _ : state) {
    std::string wire = ranking.SerializeAsString();
    sv1::Ranking back;
    back.ParseFromString(wire);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_RankingProtoRoundTrip);

void BM_RankingBarChart63(benchmark::State& state) {
  sv1::Ranking ranking = Provinces();
  for (auto _ : state) benchmark::DoNotOptimize(RenderBarChart(RankingChart(ranking)));
}
BENCHMARK(BM_RankingBarChart63);

void BM_RankingView63(benchmark::State& state) {
  sv1::Ranking ranking = Provinces();
  for (auto _ : state) benchmark::DoNotOptimize(RankingView(ranking));
}
BENCHMARK(BM_RankingView63);

void BM_DocumentListView20(benchmark::State& state) {
  auto docs = Documents();
  DocumentQuery q;
  q.q = "cai cach hanh chinh";
  for (auto _ : state) benchmark::DoNotOptimize(DocumentListView(q, docs, "token"));
}
BENCHMARK(BM_DocumentListView20);

}  // namespace
}  // namespace cchc::portal::pages
