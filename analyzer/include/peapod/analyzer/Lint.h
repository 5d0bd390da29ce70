//===- Lint.h - peapodc lint: one policy through every check ---*- C++ -*-===//
//
// What `peapodc lint` and `peapodc fix` do for each policy, as a library:
// compile it with the configuration's severities, run the analyzer and the
// assertions, drop the findings suppressed inline (and report what is wrong
// with the suppressions), fingerprint what is left, and drop what the
// baseline accepted. The result keeps the Compilation, so that printers
// (text, JSON, SARIF, GitHub: LintOutput.h, Sarif.h) read the same
// Diagnostic objects every other client reads.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_LINT_H
#define PEAPOD_ANALYZER_LINT_H

#include "peapod/Compilation.h"
#include "peapod/analyzer/Fingerprints.h"
#include "peapod/analyzer/LintConfig.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace peapod {
class Workspace;
}

namespace peapod::analyzer {

struct LintOptions {
  /// -I, --stdrules, --error-limit, -W and --Werror (Diagnostics).
  CompileOptions Compile;
  /// The configuration; its `checks` apply on top of Compile.Diagnostics.
  LintConfig Config;
  /// The baseline to leave out; null: report everything.
  Baseline *Accepted = nullptr;
  /// Where the compilation reads files (the language server's open
  /// documents stand in for the disk); null: the disk.
  Workspace *Files = nullptr;
};

/// One finding shown: an index into the compilation's diagnostics.
struct LintFinding {
  size_t Index = 0;
  Fingerprint Print;
};

struct LintResult {
  /// The policy as named on the command line ("-" for standard input).
  std::string Input;
  std::unique_ptr<Compilation> C;
  std::vector<LintFinding> Findings;
  unsigned Suppressed = 0; ///< findings a comment suppressed
  unsigned Baselined = 0;  ///< findings the baseline accepted
  unsigned Errors = 0, Warnings = 0, Notes = 0; ///< of Findings

  const Diagnostic &diagnostic(const LintFinding &F) const {
    return C->diags().diagnostics()[F.Index];
  }
  /// Whether the policy could not be read at all (exit 2).
  bool unreadable() const { return C->diags().hasFatal(); }
};

/// Lints one policy (a file, `-`, or a rule group).
LintResult lintPolicy(llvm::StringRef Input, const LintOptions &Opts);
/// The same for text in memory (an editor's buffer, a test).
LintResult lintBuffer(llvm::StringRef Name, llvm::StringRef Text,
                      const LintOptions &Opts);

/// The fix-its of the findings shown, grouped by the buffer they edit (a
/// finding's own fixes only: a note's fix, such as did-you-mean, is a guess
/// that `fix` leaves to the reader).
std::map<unsigned, std::vector<FixIt>> fixesByBuffer(const LintResult &R);

} // namespace peapod::analyzer

#endif
