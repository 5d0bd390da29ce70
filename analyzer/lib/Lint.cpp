//===- Lint.cpp - One policy through every check --------------------------===//
#include "peapod/analyzer/Lint.h"
#include "peapod/analyzer/Analyzer.h"
#include "peapod/analyzer/Assertions.h"
#include "peapod/analyzer/Suppressions.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace peapod::analyzer {

namespace {

/// Lints what `Compile` compiles into the Compilation it is given.
LintResult lint(llvm::StringRef Input, const LintOptions &Opts,
                llvm::function_ref<void(Compilation &)> CompileIt) {
  CompileOptions Compile = Opts.Compile;
  // Command-line -W switches were parsed into Compile.Diagnostics first; the
  // configuration is the project's standing choice, and a switch given now
  // overrides it.
  DiagnosticOptions Diag = Compile.Diagnostics;
  Compile.Diagnostics.ByName.clear();
  Opts.Config.applyTo(Compile.Diagnostics);
  for (const auto &Entry : Diag.ByName)
    Compile.Diagnostics.ByName[Entry.getKey()] = Entry.getValue();

  LintResult R;
  R.Input = Input.str();
  R.C = std::make_unique<Compilation>(Compile, Opts.Files);
  Compilation &C = *R.C;
  CompileIt(C);
  if (!C.diags().hasErrors()) {
    analyze(C, Opts.Config.Analyzer);
    checkAssertions(C, Opts.Config.Assertions);
  }

  Suppressions S = Suppressions::collect(C);
  std::vector<size_t> Shown;
  size_t Reported = C.diags().diagnostics().size();
  for (size_t I = 0; I < Reported; ++I) {
    if (S.suppresses(C.diags(), C.diags().diagnostics()[I]))
      ++R.Suppressed;
    else
      Shown.push_back(I);
  }
  S.reportProblems(C.diags());
  for (size_t I = Reported; I < C.diags().diagnostics().size(); ++I)
    Shown.push_back(I);

  std::vector<Fingerprint> Prints = fingerprints(C, Shown);
  for (size_t I = 0; I < Shown.size(); ++I) {
    if (Opts.Accepted && Opts.Accepted->take(Prints[I].Finding)) {
      ++R.Baselined;
      continue;
    }
    R.Findings.push_back({Shown[I], std::move(Prints[I])});
    switch (R.diagnostic(R.Findings.back()).Sev) {
    case Severity::Note:
      ++R.Notes;
      break;
    case Severity::Warning:
      ++R.Warnings;
      break;
    default:
      ++R.Errors;
    }
  }
  return R;
}

} // namespace

LintResult lintPolicy(llvm::StringRef Input, const LintOptions &Opts) {
  return lint(Input, Opts, [&](Compilation &C) { C.compileFile(Input); });
}

LintResult lintBuffer(llvm::StringRef Name, llvm::StringRef Text,
                      const LintOptions &Opts) {
  return lint(Name, Opts,
              [&](Compilation &C) { C.compileBuffer(Name, Text); });
}

std::map<unsigned, std::vector<FixIt>> fixesByBuffer(const LintResult &R) {
  std::map<unsigned, std::vector<FixIt>> Out;
  const SourcePositions &Pos = R.C->diags().positions();
  for (const LintFinding &F : R.Findings)
    for (const FixIt &Fix : R.diagnostic(F).Fixes)
      if (unsigned Buffer = Pos.bufferOf(Fix.Range.Start))
        Out[Buffer].push_back(Fix);
  return Out;
}

} // namespace peapod::analyzer
