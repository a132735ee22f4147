// The demo data through the command line: `cchcctl scoring import-demo tools/demo/scoring` loads the
// published 2014 and 2015 results (twice: the second run changes nothing), and `cchcctl scoring result` /
// `ranking` print the seed page's figures.
#include <fstream>
#include <iostream>

#include "scoring_fixture.h"

namespace cchc::testing {
namespace {

// Runs cchcctl with `args` as the admin against the suite's scoring service; returns stdout and stderr.
std::string Cchcctl(const std::string& args) {
  return Shell(std::string(CCHC_BUILD_DIR) + "/tools/cchcctl/cchcctl scoring " + args + " --scoring-address " +
               ScoringServiceTest::scoring_address_ + " --token " + ScoringServiceTest::kAdmin + " 2>&1");
}

// Its own suite, so its own database: the flow test's DEPARTMENT periods would be in the way.
class ScoringDemoTest : public ScoringServiceTest {};

TEST_F(ScoringDemoTest, DemoImportIsIdempotentAndTheCliReproducesTheSeedFigures) {
  std::string dir = SourceDir() + "/tools/demo/scoring";
  EXPECT_EQ(Cchcctl("import-demo " + dir),
            "frameworks created 3, units created 96, periods imported 6, already published 0\n");
  std::string before = Sql("SELECT count(*) || '/' || (SELECT count(*) FROM scoring.outbox) FROM scoring.results");
  EXPECT_EQ(Cchcctl("import-demo " + dir),
            "frameworks created 0, units created 0, periods imported 0, already published 6\n");
  EXPECT_EQ(Sql("SELECT count(*) || '/' || (SELECT count(*) FROM scoring.outbox) FROM scoring.results"), before);

  std::string soc_trang = Cchcctl("result --year 2015 --kind PROVINCE --unit SOC_TRANG");
  EXPECT_EQ(soc_trang,
            "Sóc Trăng (SOC_TRANG), 2015: 86.15 points (+4.43 vs 2014: 81.72), rank 27/63 (▲6, 33 in 2014)\n");

  std::string departments = Cchcctl("ranking --year 2015 --kind DEPARTMENT");
  EXPECT_NE(departments.find("14/22 improved vs 2014"), std::string::npos) << departments;
  EXPECT_NE(departments.find("Sở Giáo dục và Đào tạo *"), std::string::npos) << departments;
  EXPECT_NE(departments.find("▲9"), std::string::npos) << departments;

  std::string districts = Cchcctl("ranking --year 2015 --kind DISTRICT --csv");
  EXPECT_NE(districts.find("1,LONG_PHU,Huyện Long Phú,"), std::string::npos) << districts;
  EXPECT_NE(districts.find("2,MY_XUYEN,Huyện Mỹ Xuyên,"), std::string::npos) << districts;
  EXPECT_NE(districts.find(",8,6,true\n"), std::string::npos) << districts;  // Mỹ Xuyên: 8th → 2nd
  EXPECT_NE(districts.find("3,TRAN_DE,Huyện Trần Đề,"), std::string::npos) << districts;
  EXPECT_NE(districts.find(",10,7,true\n"), std::string::npos) << districts;  // Trần Đề: 10th → 3rd

  // The demo's lineage (lineage-2025-can-tho.json): the new Cần Thơ from Sóc Trăng, Hậu Giang and Cần Thơ.
  EXPECT_EQ(Sql("SELECT string_agg(predecessor, ',' ORDER BY predecessor) || ' ' || min(effective_date)::text || ' ' "
                "|| bool_and(source LIKE 'Nghị quyết 202/2025/QH15 %') FROM scoring.unit_lineage "
                "WHERE successor = 'CAN_THO_2025'"),
            "CAN_THO,HAU_GIANG,SOC_TRANG 2025-07-01 true");
  EXPECT_EQ(Sql("SELECT valid_to::text FROM scoring.units WHERE code = 'SOC_TRANG'"), "2025-06-30");
  std::string provinces_list = Cchcctl("unit list --kind PROVINCE");
  // The row of `code` in the table ("" when it has none).
  auto row = [&](const std::string& code) {
    size_t at = provinces_list.find("\n" + code + " ");
    if (at == std::string::npos) return std::string();
    return provinces_list.substr(at + 1, provinces_list.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(row("CAN_THO_2025").find("| từ 01/07/2025  | ← CAN_THO, HAU_GIANG, SOC_TRANG"), std::string::npos)
      << provinces_list;
  EXPECT_NE(row("SOC_TRANG").find("| đến 30/06/2025 | → CAN_THO_2025"), std::string::npos) << provinces_list;
  EXPECT_EQ(row("DA_NANG").find("30/06/2025"), std::string::npos) << provinces_list;

  // The departments' invented per-criterion points give each one a what-if plan.
  std::string what_if = Cchcctl("what-if --year 2015 --kind DEPARTMENT --unit SGDDT");
  EXPECT_NE(what_if.find("SGDDT in periods/"), std::string::npos) << what_if;
  EXPECT_NE(what_if.find("rank 3/22  [sample data]"), std::string::npos) << what_if;
  EXPECT_NE(what_if.find("Hạng/điểm"), std::string::npos) << what_if;
  std::string plan = Cchcctl("--json what-if --year 2015 --kind DEPARTMENT --unit SGDDT");
  EXPECT_NE(plan.find("\"criterion_code\": \""), std::string::npos) << plan;

  std::cout << soc_trang << departments << districts << what_if;  // for the log: what a person sees

  // The framework round-trips through CSV as a new framework with the same tree.
  std::string csv = Cchcctl("framework export frameworks/1 --format csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "level,code,name,max_points,rule,evidence_required");
  EXPECT_NE(csv.find("0,3,Cải cách thủ tục hành chính,14.50,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("2,3.3.1,"), std::string::npos) << csv;
  TempDir tmp;
  std::ofstream(tmp.Path() + "/tree.csv") << csv;
  EXPECT_EQ(Cchcctl("framework import " + tmp.Path() +
                    "/tree.csv --format csv --code PAR-CSV --title 'Bản sao CSV' --kind SUBORDINATE_UNIT --year 2016"),
            "frameworks/4 PAR-CSV v1 (100.00)\n");
  std::string copy = Cchcctl("framework export frameworks/4 --format csv");
  EXPECT_EQ(copy, csv);
  std::string tree = Cchcctl("framework get frameworks/1");
  EXPECT_NE(tree.find("8. Tác động của cải cách hành chính"), std::string::npos) << tree;
  EXPECT_NE(tree.find("Tổng: 100.00"), std::string::npos) << tree;

  std::string provinces = Cchcctl("ranking --year 2015 --kind PROVINCE");
  EXPECT_NE(provinces.find("average 85.11"), std::string::npos) << provinces;
  EXPECT_NE(provinces.find("1    | Đà Nẵng "), std::string::npos) << provinces;
}

}  // namespace
}  // namespace cchc::testing
