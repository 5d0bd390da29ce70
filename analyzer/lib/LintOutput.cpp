//===- LintOutput.cpp - Text, JSON and GitHub workflow commands -----------===//
#include "peapod/analyzer/LintOutput.h"
#include "peapod/InputFile.h"
#include "peapod/TextEscape.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace peapod::analyzer {

std::string findSourceRoot(llvm::StringRef From) {
  llvm::SmallString<256> Dir(From);
  for (;;) {
    llvm::SmallString<256> Git(Dir);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return std::string(Dir);
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent.empty() || Parent == Dir)
      return From.str();
    Dir.resize(Parent.size()); // a prefix of Dir: not a copy of itself
  }
}

std::optional<std::string> pathUnderRoot(llvm::StringRef File,
                                         llvm::StringRef Root) {
  if (File.empty() || Root.empty() || File == StdinName || File == "-")
    return std::nullopt;
  llvm::SmallString<256> Abs(File);
  if (llvm::sys::fs::make_absolute(Abs))
    return std::nullopt;
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  llvm::SmallString<256> Base(Root);
  llvm::sys::path::remove_dots(Base, true);
  llvm::StringRef Rel = Abs;
  if (!Rel.consume_front(Base) || (!Rel.empty() && !Base.endswith("/") &&
                                   !Rel.consume_front("/")))
    return std::nullopt;
  return Rel.empty() ? std::optional<std::string>() : Rel.str();
}

void printLintText(llvm::ArrayRef<LintResult> Results, llvm::raw_ostream &OS,
                   const TextStyle &Style) {
  unsigned Errors = 0, Warnings = 0, Suppressed = 0, Baselined = 0;
  for (const LintResult &R : Results) {
    for (const LintFinding &F : R.Findings)
      printDiagnostic(R.C->diags(), R.diagnostic(F), OS, Style);
    Errors += R.Errors;
    Warnings += R.Warnings;
    Suppressed += R.Suppressed;
    Baselined += R.Baselined;
  }
  std::string Summary = diagnosticSummary(Warnings, Errors);
  std::string Left;
  if (Suppressed)
    Left = std::to_string(Suppressed) + " suppressed";
  if (Baselined)
    Left += (Left.empty() ? "" : ", ") + std::to_string(Baselined) +
            " in the baseline";
  if (!Left.empty()) {
    // "2 warnings generated (1 suppressed)." / "no findings (1 suppressed)."
    if (Summary.empty())
      Summary = "no findings.";
    Summary.insert(Summary.size() - 1, " (" + Left + ")");
  }
  if (!Summary.empty())
    OS << Summary << "\n";
}

nlohmann::json lintJSON(llvm::ArrayRef<LintResult> Results,
                        const OutputContext &Ctx) {
  nlohmann::json Files = nlohmann::json::array();
  unsigned Totals[5] = {};
  for (const LintResult &R : Results) {
    nlohmann::json Diags = nlohmann::json::array();
    for (const LintFinding &F : R.Findings) {
      nlohmann::json J = diagnosticToJSON(R.C->diags(), R.diagnostic(F));
      J["fingerprint"] = F.Print.Finding;
      J["lineHash"] = F.Print.LineHash;
      Diags.push_back(std::move(J));
    }
    Files.push_back(
        {{"file", escapeInvalidUtf8(R.Input == "-" ? llvm::StringRef(StdinName)
                                                   : llvm::StringRef(R.Input))},
         {"errors", R.Errors},
         {"warnings", R.Warnings},
         {"notes", R.Notes},
         {"suppressed", R.Suppressed},
         {"baselined", R.Baselined},
         {"diagnostics", Diags}});
    unsigned Counts[5] = {R.Errors, R.Warnings, R.Notes, R.Suppressed,
                          R.Baselined};
    for (int I = 0; I < 5; ++I)
      Totals[I] += Counts[I];
  }
  return {{"version", LintJSONVersion},
          {"tool", {{"name", "peapodc"}, {"version", Ctx.ToolVersion}}},
          {"errors", Totals[0]},
          {"warnings", Totals[1]},
          {"notes", Totals[2]},
          {"suppressed", Totals[3]},
          {"baselined", Totals[4]},
          {"files", Files}};
}

namespace {

/// GitHub's escaping for a workflow command's message...
std::string escapeData(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '%')
      Out += "%25";
    else if (C == '\r')
      Out += "%0D";
    else if (C == '\n')
      Out += "%0A";
    else
      Out += C;
  }
  return Out;
}

/// ... and for a property value, where ':' and ',' end the value.
std::string escapeProperty(llvm::StringRef S) {
  std::string Out;
  for (char C : escapeData(S)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}

const char *workflowCommand(Severity S) {
  switch (S) {
  case Severity::Note:
    return "notice";
  case Severity::Warning:
    return "warning";
  default:
    return "error";
  }
}

std::string place(const DiagnosticEngine &E, llvm::SMLoc Loc,
                  const OutputContext &Ctx) {
  Position P = E.position(Loc);
  std::string File = pathUnderRoot(P.File, Ctx.SourceRoot).value_or(P.File);
  return File + ":" + std::to_string(P.Line) + ":" + std::to_string(P.Column);
}

} // namespace

void printGitHubCommands(llvm::ArrayRef<LintResult> Results,
                         const OutputContext &Ctx, llvm::raw_ostream &OS) {
  for (const LintResult &R : Results) {
    const DiagnosticEngine &E = R.C->diags();
    for (const LintFinding &F : R.Findings) {
      const Diagnostic &D = R.diagnostic(F);
      OS << "::" << workflowCommand(D.Sev) << " ";
      if (D.Range.Start.isValid()) {
        Position Start = E.position(D.Range.Start);
        Position End =
            E.position(D.Range.End.isValid() ? D.Range.End : D.Range.Start);
        std::string File =
            pathUnderRoot(Start.File, Ctx.SourceRoot).value_or(Start.File);
        OS << "file=" << escapeProperty(escapeInvalidUtf8(File))
           << ",line=" << Start.Line << ",col=" << Start.Column
           << ",endLine=" << End.Line << ",endColumn=" << End.Column << ",";
      }
      OS << "title=" << escapeProperty(std::string(D.code()) + " " +
                                       D.Info->Name)
         << "::";
      std::string Message = D.Message;
      for (const Diagnostic &N : D.Notes)
        Message += "\n" +
                   (N.Range.Start.isValid() ? place(E, N.Range.Start, Ctx) + ": "
                                            : std::string()) +
                   "note: " + N.Message;
      OS << escapeData(escapeInvalidUtf8(Message)) << "\n";
    }
  }
}

std::vector<Baseline::Entry>
baselineEntries(llvm::ArrayRef<LintResult> Results) {
  std::vector<Baseline::Entry> Out;
  for (const LintResult &R : Results) {
    for (const LintFinding &F : R.Findings) {
      const Diagnostic &D = R.diagnostic(F);
      unsigned Buffer = 0;
      LineColumn LC = R.C->diags().positions().lineColumn(D.Range.Start,
                                                          &Buffer);
      Out.push_back({F.Print.Finding, D.code(),
                     Buffer ? R.C->displayName(Buffer).str() : "", D.Message,
                     LC.Line});
    }
  }
  return Out;
}

} // namespace peapod::analyzer
