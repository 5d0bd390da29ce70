//===- Analyzer.cpp - Runs the checks -------------------------------------===//
#include "peapod/analyzer/Analyzer.h"
#include "Checks.h"
#include "peapod/Compilation.h"

namespace peapod::analyzer {

void analyze(Compilation &C, const AnalyzerOptions &Opts) {
  CheckContext Ctx(C, Opts);
  checkTransitions(Ctx);
  checkLeastPrivilege(Ctx);
  checkDeadRules(Ctx);
  checkInformationFlow(Ctx);
}

} // namespace peapod::analyzer
