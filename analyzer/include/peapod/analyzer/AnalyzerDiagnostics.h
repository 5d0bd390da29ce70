//===- AnalyzerDiagnostics.h - The analyzer's catalogue --------*- C++ -*-===//
//
// The analyzer's findings are Diagnostics of the compiler's engine, with
// catalogue entries from AnalyzerIDs.def.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_ANALYZERDIAGNOSTICS_H
#define PEAPOD_ANALYZER_ANALYZERDIAGNOSTICS_H

#include "peapod/Diagnostics.h"
#include <vector>

namespace peapod::analyzer {

enum class AnalyzerID : uint16_t {
#define ANALYZER_DIAG(Enum, Code, Sev, Name, Format) Enum,
#include "peapod/analyzer/AnalyzerIDs.def"
#undef ANALYZER_DIAG
  NumIDs
};

const DiagInfo &diagInfo(AnalyzerID ID);
/// Every entry of AnalyzerIDs.def, in order.
const std::vector<DiagInfo> &allAnalyzerDiagInfos();
/// The entry called `Name` (e.g. "write-and-execute"), or null.
const DiagInfo *findAnalyzerDiagnosticByName(llvm::StringRef Name);

} // namespace peapod::analyzer

#endif
