//===- AnalyzerTestUtil.h - Compiling policies for analyzer tests -*- C++
//-*-===//
#ifndef PEAPOD_TESTS_ANALYZER_ANALYZERTESTUTIL_H
#define PEAPOD_TESTS_ANALYZER_ANALYZERTESTUTIL_H

#include "peapod/Compilation.h"
#include "peapod/analyzer/Analyzer.h"
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

namespace peapod::test {

/// Compiles `Text` (which must have no errors) without analyzing it.
inline std::unique_ptr<Compilation>
compilePolicy(const std::string &Text, const std::string &Name = "test.pea") {
  auto C = std::make_unique<Compilation>();
  bool OK = C->compileBuffer(Name, Text);
  INFO(Text);
  REQUIRE(OK);
  return C;
}

/// Compiles and analyzes `Text`; returns the analyzer's findings' codes
/// (compiler diagnostics left out), in order.
inline std::vector<std::string>
analyzerCodes(Compilation &C, const analyzer::AnalyzerOptions &Opts = {}) {
  size_t Before = C.diags().diagnostics().size();
  analyzer::analyze(C, Opts);
  std::vector<std::string> Codes;
  const auto &All = C.diags().diagnostics();
  for (size_t I = Before; I < All.size(); ++I)
    Codes.push_back(All[I].code());
  return Codes;
}

inline std::vector<std::string>
analyzeText(const std::string &Text,
            const analyzer::AnalyzerOptions &Opts = {}) {
  auto C = compilePolicy(Text);
  return analyzerCodes(*C, Opts);
}

inline bool contains(const std::vector<std::string> &Codes,
                     const std::string &Code) {
  for (const std::string &C : Codes)
    if (C == Code)
      return true;
  return false;
}

} // namespace peapod::test

#endif
