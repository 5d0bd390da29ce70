//===- LintOutput.h - lint findings as text, JSON and GitHub commands -*- C++ -*-===//
//
// The printers of `peapodc lint --format text|json|github` (SARIF is
// Sarif.h). Text and the per-diagnostic JSON objects are the compiler's
// (DiagnosticRender.h), so lint prints exactly what `check` prints; this
// adds what only lint knows: fingerprints, suppressed and baselined counts,
// and paths relative to the repository for CI annotations.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_LINTOUTPUT_H
#define PEAPOD_ANALYZER_LINTOUTPUT_H

#include "peapod/DiagnosticRender.h"
#include "peapod/analyzer/Lint.h"
#include "llvm/ADT/ArrayRef.h"
#include <nlohmann/json.hpp>
#include <string>

namespace llvm {
class raw_ostream;
}

namespace peapod::analyzer {

/// The version of the JSON object `lint --format json` prints
/// (docs/lint-json.md): raised only when a field changes meaning or goes.
inline constexpr int LintJSONVersion = 1;

/// Where the project is documented (SARIF informationUri and helpUri).
inline constexpr llvm::StringLiteral ProjectHomepage =
    "https://github.com/peapod-lang/peapod";

/// What every output needs beyond the results.
struct OutputContext {
  std::string ToolVersion = "0.0.0";
  /// The repository's root: paths in SARIF and GitHub annotations are
  /// relative to it (see findSourceRoot).
  std::string SourceRoot;
};

/// The directory above `From` (itself included) that holds `.git`, or
/// `From` if none does. `From` must be absolute.
std::string findSourceRoot(llvm::StringRef From);

/// `File` (as a buffer is named) relative to `Root`, with '/' separators;
/// nullopt if it is not under it (or is standard input).
std::optional<std::string> pathUnderRoot(llvm::StringRef File,
                                         llvm::StringRef Root);

/// clang-style text: each finding with its include chain, source line,
/// caret and notes, then "N warnings and N errors generated." and what was
/// left out ("(2 suppressed, 1 in the baseline)").
void printLintText(llvm::ArrayRef<LintResult> Results, llvm::raw_ostream &OS,
                   const TextStyle &Style = {});

/// The `lint --format json` object (docs/lint-json.md).
nlohmann::json lintJSON(llvm::ArrayRef<LintResult> Results,
                        const OutputContext &Ctx);

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=ID name::MESSAGE`
/// (notes follow the message on lines of their own).
void printGitHubCommands(llvm::ArrayRef<LintResult> Results,
                         const OutputContext &Ctx, llvm::raw_ostream &OS);

/// The baseline file's entries for every finding shown.
std::vector<Baseline::Entry> baselineEntries(llvm::ArrayRef<LintResult> Results);

} // namespace peapod::analyzer

#endif
