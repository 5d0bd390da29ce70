//===- Analyzer.cpp - Runs the checks -------------------------------------===//
#include "peapod/analyzer/Analyzer.h"
#include "Checks.h"
#include "peapod/Compilation.h"
#include "peapod/analyzer/HardLinks.h"

namespace peapod::analyzer {

void analyze(Compilation &C, const AnalyzerOptions &Opts) {
  CheckContext Ctx(C, Opts);
  checkTransitions(Ctx);
  checkLeastPrivilege(Ctx);
  checkDeadRules(Ctx);
  checkInformationFlow(Ctx);
  checkTree(C, Opts); // only with a --root
}

} // namespace peapod::analyzer
