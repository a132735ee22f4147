#include "store/stores.h"

namespace cchc::scoring {

std::vector<db::Statement> Statements() {
  std::vector<db::Statement> all;
  for (auto list :
       {FrameworkStatements(), UnitStatements(), PeriodStatements(), AssessmentStatements(), ResultStatements()})
    for (auto& s : list) all.push_back(std::move(s));
  return all;
}

}  // namespace cchc::scoring
