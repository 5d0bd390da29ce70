//===- DiffTestUtil.h - Compiling policy pairs for the diff tests -*- C++ -*-===//
#ifndef PEAPOD_TESTS_ANALYZER_DIFFTESTUTIL_H
#define PEAPOD_TESTS_ANALYZER_DIFFTESTUTIL_H

#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/analyzer/PolicyDiff.h"
#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace peapod::test {

inline std::string diagnosticsOf(const Compilation &C) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printDiagnostics(C.diags(), OS);
  return OS.str();
}

inline std::unique_ptr<Compilation> compileText(const std::string &Name,
                                                const std::string &Text) {
  auto C = std::make_unique<Compilation>();
  C->compileBuffer(Name, Text);
  INFO(diagnosticsOf(*C));
  REQUIRE(!C->diags().hasErrors());
  return C;
}

inline analyzer::PolicyDiff diffTexts(const std::string &Old,
                                      const std::string &New,
                                      analyzer::DiffOptions Opts = {}) {
  auto A = compileText("old.pea", Old), B = compileText("new.pea", New);
  return analyzer::diffPolicies(analyzer::SourceProfiles(A->policy()),
                                analyzer::SourceProfiles(B->policy()), Opts);
}

} // namespace peapod::test

#endif
