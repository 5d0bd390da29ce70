//===- Analyzer.cpp - Runs the checks -------------------------------------===//
#include "peapod/analyzer/Analyzer.h"
#include "peapod/Compilation.h"
#include "peapod/analyzer/HardLinks.h"

namespace peapod::analyzer {

void analyze(Compilation &C, const AnalyzerOptions &Opts) {
  if (Opts.Root)
    checkTree(C, Opts);
}

} // namespace peapod::analyzer
