//===- LintTestUtil.h - Linting text in the lint tests ---------*- C++ -*-===//
#ifndef PEAPOD_TESTS_ANALYZER_LINTTESTUTIL_H
#define PEAPOD_TESTS_ANALYZER_LINTTESTUTIL_H

#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/Lint.h"
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace peapod::lint_test {

using namespace peapod::analyzer;

inline LintConfig config(const std::string &JSON) {
  auto C = parseLintConfig(JSON, "test.json");
  if (!C)
    FAIL(llvm::toString(C.takeError()));
  return std::move(*C);
}

/// Lints `Text` as "p.pea" with the configuration `JSON`. These tests are
/// about lint's own machinery (assertions, suppressions, outputs), so the
/// analyzer's checks (A1xx-A5xx, tested in ChecksTest) are off unless `JSON`
/// names them.
inline LintResult lint(const std::string &Text, const std::string &JSON = "{}",
                       Baseline *Accepted = nullptr) {
  LintOptions Opts;
  Opts.Config = config(JSON);
  for (const DiagInfo &I : allAnalyzerDiagInfos()) {
    llvm::StringRef Code(I.Code);
    if (Code < "A600" && !Opts.Config.Checks.count(I.Name))
      Opts.Config.Checks[I.Name] = std::nullopt;
  }
  Opts.Accepted = Accepted;
  return lintBuffer("p.pea", Text, Opts);
}

/// The codes of the findings shown, in order.
inline std::vector<std::string> codes(const LintResult &R) {
  std::vector<std::string> Out;
  for (const LintFinding &F : R.Findings)
    Out.push_back(R.diagnostic(F).code());
  return Out;
}

/// The findings with this code.
inline std::vector<const Diagnostic *> findings(const LintResult &R,
                                                llvm::StringRef Code) {
  std::vector<const Diagnostic *> Out;
  for (const LintFinding &F : R.Findings)
    if (Code == R.diagnostic(F).code())
      Out.push_back(&R.diagnostic(F));
  return Out;
}

inline unsigned lineOf(const LintResult &R, const Diagnostic &D) {
  return R.C->diags().position(D.Range.Start).Line;
}

} // namespace peapod::lint_test

#endif
