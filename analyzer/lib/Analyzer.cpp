//===- Analyzer.cpp - Runs the checks -------------------------------------===//
#include "peapod/analyzer/Analyzer.h"
#include "peapod/Compilation.h"

namespace peapod::analyzer {

void analyze(Compilation &C, const AnalyzerOptions &Opts) {
  (void)C;
  (void)Opts;
}

} // namespace peapod::analyzer
