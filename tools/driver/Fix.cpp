//===- Fix.cpp - peapodc fix: apply the findings' fix-its -----------------===//
//
// Lints like `peapodc lint` (same configuration, same suppressions), then
// applies the fix-its of what it found with compiler/'s FixIts.h, the
// implementation the language server's quick fixes use, and writes each
// file back through OutputFile or (--dry-run) prints a unified diff.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/FixIts.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include "peapod/TextDiff.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/Lint.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include <map>
#include <set>

namespace peapod::driver {

using namespace peapod::analyzer;

namespace {

/// The fixes for one file, gathered from every policy that read it.
struct FileFixes {
  std::string Name; ///< as named on the command line
  const llvm::SourceMgr *SM = nullptr;
  unsigned Buffer = 0; ///< in SM: the first compilation that read the file
  std::vector<FixIt> Fixes;
  /// (start, end, replacement) already taken: a rule group two policies
  /// include gets each of its fixes once.
  std::set<std::tuple<size_t, size_t, std::string>> Seen;
};

/// Standard input, among the files named: no file has device and inode 0.
const llvm::sys::fs::UniqueID StdinID(0, 0);

std::optional<llvm::sys::fs::UniqueID> identityOf(llvm::StringRef Name) {
  if (Name == "-" || Name == StdinName)
    return StdinID;
  return fileIdentity(Name);
}

/// Gathers the fixes of `R` into `Files` (by file identity) for the files
/// named on the command line; counts those in other files.
void gather(const LintResult &R,
            const std::map<llvm::sys::fs::UniqueID, std::string> &Named,
            std::map<llvm::sys::fs::UniqueID, FileFixes> &Files,
            std::map<std::string, unsigned> &Elsewhere) {
  const llvm::SourceMgr &SM = R.C->sourceMgr();
  for (auto &[Buffer, Fixes] : fixesByBuffer(R)) {
    const llvm::MemoryBuffer *MB = SM.getMemoryBuffer(Buffer);
    llvm::StringRef Name = MB->getBufferIdentifier();
    std::optional<llvm::sys::fs::UniqueID> ID = identityOf(Name);
    auto NamedIt = ID ? Named.find(*ID) : Named.end();
    if (NamedIt == Named.end()) {
      Elsewhere[Name.str()] += Fixes.size();
      continue;
    }
    FileFixes &F = Files[*ID];
    if (!F.SM) {
      F = FileFixes{NamedIt->second, &SM, Buffer, {}, {}};
    }
    const char *Mine = F.SM->getMemoryBuffer(F.Buffer)->getBufferStart();
    for (const FixIt &Fix : Fixes) {
      size_t B = Fix.Range.Start.getPointer() - MB->getBufferStart();
      size_t E = (Fix.Range.End.isValid() ? Fix.Range.End : Fix.Range.Start)
                     .getPointer() -
                 MB->getBufferStart();
      if (!F.Seen.insert({B, E, Fix.Replacement}).second)
        continue;
      F.Fixes.push_back(
          {{llvm::SMLoc::getFromPointer(Mine + B),
            llvm::SMLoc::getFromPointer(Mine + E)},
           Fix.Replacement});
    }
  }
}

} // namespace

int runFix(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc fix --help");
  LintCommon Common;
  Common.Compile = defaultCompileOptions();
  std::vector<std::string> Inputs;
  bool DryRun = false;
  while (!Cursor.done()) {
    std::string Error;
    if (parseLintOption(Cursor, Common, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (Cursor.flag("--dry-run")) {
      DryRun = true;
    } else if (auto P = Cursor.rest(Error)) {
      Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Inputs.empty())
    return Ctx.usage("no input policy (see peapodc fix --help)");
  if (std::count(Inputs.begin(), Inputs.end(), "-") > 1)
    return Ctx.usage("standard input ('-') can be fixed only once");
  std::map<llvm::sys::fs::UniqueID, std::string> Named;
  for (const std::string &In : Inputs) {
    llvm::sys::fs::file_status S;
    if (!DryRun && In != "-" && !llvm::sys::fs::status(In, S) &&
        S.type() != llvm::sys::fs::file_type::regular_file)
      return Ctx.usage("cannot fix '" + In +
                       "' in place: it is not a regular file (use 'peapodc "
                       "fix - < FILE', or --dry-run)");
    if (std::optional<llvm::sys::fs::UniqueID> ID = identityOf(In))
      Named[*ID] = In;
  }

  std::vector<LintResult> Results;
  if (int Status = lintInputs(Inputs, Common, nullptr, Ctx, Results))
    return Status;
  std::map<llvm::sys::fs::UniqueID, FileFixes> Files;
  std::map<std::string, unsigned> Elsewhere;
  for (const LintResult &R : Results)
    gather(R, Named, Files, Elsewhere);

  unsigned Applied = 0, Skipped = 0, Changed = 0;
  for (auto &[ID, F] : Files) {
    AppliedFixes A = applyFixIts(*F.SM, F.Buffer, F.Fixes);
    Applied += A.Applied;
    Skipped += A.Skipped;
    llvm::StringRef Old = F.SM->getMemoryBuffer(F.Buffer)->getBuffer();
    if (A.Text == Old)
      continue;
    ++Changed;
    std::string Label = F.Name == "-" ? StdinName.str() : F.Name;
    if (DryRun) {
      Ctx.Out << unifiedDiff(Old, A.Text, "a/" + Label, "b/" + Label);
      continue;
    }
    OutputOptions Opts;
    Opts.Stdout = &Ctx.Out;
    auto Out = OutputFile::create(F.Name, Opts);
    if (!Out)
      return Ctx.usage(llvm::toString(Out.takeError()));
    (*Out)->os() << A.Text;
    if (llvm::Error E = (*Out)->commit())
      return Ctx.usage(llvm::toString(std::move(E)));
  }
  // A filter hands back what it was given, fixed or not.
  if (!DryRun && Named.count(StdinID) && !Files.count(StdinID))
    for (const LintResult &R : Results)
      if (R.Input == "-")
        Ctx.Out << R.C->sourceMgr().getMemoryBuffer(1)->getBuffer();

  for (auto &[Name, Count] : Elsewhere)
    Ctx.Err << "peapodc: note: " << Count << " fix" << (Count == 1 ? "" : "es")
            << " in '" << escapeForTerminal(Name)
            << "' not applied: name it on the command line to fix it\n";
  Ctx.Err << "peapodc: " << (DryRun ? "would apply " : "applied ") << Applied
          << " fix" << (Applied == 1 ? "" : "es") << " in " << Changed
          << " file" << (Changed == 1 ? "" : "s");
  if (Skipped)
    Ctx.Err << "; " << Skipped
            << " overlapping an earlier one left for another run";
  Ctx.Err << "\n";
  return DryRun && Changed ? ExitPolicyError : ExitOK;
}

} // namespace peapod::driver
