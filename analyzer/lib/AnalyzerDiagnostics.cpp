//===- AnalyzerDiagnostics.cpp - The analyzer's catalogue -----------------===//
#include "peapod/analyzer/AnalyzerDiagnostics.h"

namespace peapod::analyzer {

const std::vector<DiagInfo> &allAnalyzerDiagInfos() {
  static const std::vector<DiagInfo> Infos = {
#define ANALYZER_DIAG(Enum, Code, Sev, Name, Format)                           \
  DiagInfo{Code, Severity::Sev, Name, Format},
#include "peapod/analyzer/AnalyzerIDs.def"
#undef ANALYZER_DIAG
  };
  return Infos;
}

const DiagInfo &diagInfo(AnalyzerID ID) {
  return allAnalyzerDiagInfos()[static_cast<size_t>(ID)];
}

const DiagInfo *findAnalyzerDiagnosticByName(llvm::StringRef Name) {
  for (const DiagInfo &I : allAnalyzerDiagInfos())
    if (Name == I.Name)
      return &I;
  return nullptr;
}

} // namespace peapod::analyzer
