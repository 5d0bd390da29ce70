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

/// The configuration `JSON`, with the analyzer's checks (A1xx-A5xx) off
/// unless it names them: these tests are of lint's own machinery, and the
/// checks have theirs (ChecksTest, RulesCatalogueTest).
inline LintConfig lintOnly(const std::string &JSON) {
  LintConfig C = config(JSON);
  for (const DiagInfo &I : allAnalyzerDiagInfos())
    if (I.Code[1] >= '1' && I.Code[1] <= '5' && !C.Checks.count(I.Name))
      C.Checks[I.Name] = std::nullopt;
  return C;
}

/// Lints `Text` as "p.pea" with the configuration `JSON` (lintOnly).
inline LintResult lint(const std::string &Text, const std::string &JSON = "{}",
                       Baseline *Accepted = nullptr) {
  LintOptions Opts;
  Opts.Config = lintOnly(JSON);
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
