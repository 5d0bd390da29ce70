//===- Lint.cpp - peapodc lint: the analyzer as a CI gate -----------------===//
//
// Options, files and exit status only; the linting is analyzer/'s (Lint.h,
// LintOutput.h, Sarif.h).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/LintOutput.h"
#include "peapod/analyzer/Sarif.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include <map>

#ifndef PEAPOD_VERSION
#define PEAPOD_VERSION "0.1.0"
#endif

namespace peapod::driver {

using namespace peapod::analyzer;

bool parseLintOption(ArgCursor &Args, LintCommon &Common, std::string &Error) {
  if (auto C = Args.value("--config")) {
    Common.ConfigPath = *C;
    return true;
  }
  if (auto R = Args.value("--root")) {
    Common.Root = *R;
    return true;
  }
  if (auto E = Args.value("--entry")) {
    Common.Entries.push_back(*E);
    return true;
  }
  if (Args.flag("--cross-devices")) {
    Common.CrossDevices = true;
    return true;
  }
  // -WNAME and -Wno-NAME for every check, the analyzer's included.
  if (!Args.done() && Args.peek().startswith("-W") && Args.peek() != "-Werror") {
    llvm::StringRef Switch = Args.peek().drop_front(2);
    bool Off = Switch.consume_front("no-");
    const DiagInfo *Found = findCheck(Switch);
    if (Found && isConfigurable(*Found)) {
      if (Off)
        Common.Compile.Diagnostics.ByName[Found->Name] = std::nullopt;
      else
        Common.Compile.Diagnostics.ByName[Found->Name] = Found->Sev;
      Args.flag(Args.peek());
      return true;
    }
  }
  return parseCompileOption(Args, Common.Compile, Error);
}

int lintInputs(const std::vector<std::string> &Inputs, const LintCommon &Common,
               Baseline *Accepted, const Context &Ctx,
               std::vector<LintResult> &Results) {
  std::optional<LintConfig> Given;
  if (Common.ConfigPath) {
    auto C = loadLintConfig(*Common.ConfigPath);
    if (!C)
      return Ctx.usage(llvm::toString(C.takeError()));
    Given = std::move(*C);
  }
  if (Common.Root && !llvm::sys::fs::is_directory(*Common.Root)) {
    llvm::sys::fs::file_status S;
    std::error_code EC = llvm::sys::fs::status(*Common.Root, S);
    return Ctx.usage("cannot walk --root '" + *Common.Root + "': " +
                     (EC ? EC.message() : std::string("not a directory")));
  }
  std::map<std::string, LintConfig> Found; // by path, each read once
  for (const std::string &Input : Inputs) {
    LintOptions Opts;
    Opts.Compile = Common.Compile;
    Opts.Accepted = Accepted;
    if (Given) {
      Opts.Config = *Given;
    } else if (std::optional<std::string> Path = findLintConfig(Input)) {
      auto It = Found.find(*Path);
      if (It == Found.end()) {
        auto C = loadLintConfig(*Path);
        if (!C)
          return Ctx.usage(llvm::toString(C.takeError()));
        It = Found.emplace(*Path, std::move(*C)).first;
      }
      Opts.Config = It->second;
    }
    if (!Common.Entries.empty())
      Opts.Config.Analyzer.Entries = Common.Entries;
    if (Common.Root)
      Opts.Config.Analyzer.Root = Common.Root;
    Opts.Config.Analyzer.CrossDevices |= Common.CrossDevices;
    Results.push_back(lintPolicy(Input, Opts));
    if (Results.back().unreadable()) {
      // Say why as every command does (E901 on the main file), then stop.
      printDiagnostics(*Results.back().C, Ctx);
      return ExitUsage;
    }
  }
  return ExitOK;
}

namespace {

enum class LintFormat { Text, JSON, Sarif, GitHub };

struct LintRequest {
  LintCommon Common;
  LintFormat Format = LintFormat::Text;
  std::vector<std::string> Inputs;
  std::optional<std::string> Output, BaselinePath, WriteBaseline;
};

/// Writes `Text` to `Path` through OutputFile (never a partial file, never
/// over an input); ExitOK or the message printed and ExitUsage.
int writeOutput(const std::string &Path, llvm::StringRef Text,
                const std::vector<std::string> &Inputs, const Context &Ctx) {
  OutputOptions Opts;
  Opts.Stdout = &Ctx.Out;
  for (const std::string &In : Inputs)
    if (std::optional<llvm::sys::fs::UniqueID> ID = fileIdentity(In))
      Opts.Inputs.push_back({*ID, In});
  auto Out = OutputFile::create(Path, Opts);
  if (!Out)
    return Ctx.usage(llvm::toString(Out.takeError()));
  (*Out)->os() << Text;
  if (llvm::Error E = (*Out)->commit())
    return Ctx.usage(llvm::toString(std::move(E)));
  return ExitOK;
}

int parseLintArgs(const std::vector<std::string> &Args, LintRequest &Req,
                  const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc lint --help");
  Req.Common.Compile = defaultCompileOptions();
  while (!Cursor.done()) {
    std::string Error;
    if (parseLintOption(Cursor, Req.Common, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (auto F = Cursor.value("--format")) {
      if (*F == "text")
        Req.Format = LintFormat::Text;
      else if (*F == "json")
        Req.Format = LintFormat::JSON;
      else if (*F == "sarif")
        Req.Format = LintFormat::Sarif;
      else if (*F == "github")
        Req.Format = LintFormat::GitHub;
      else
        return Ctx.usage("unknown format '" + *F +
                         "' (text, json, sarif or github)");
    } else if (auto O = Cursor.value("-o")) {
      if (O->empty())
        return Ctx.usage("-o needs a file name (or '-' for standard output)");
      Req.Output = *O;
    } else if (auto B = Cursor.value("--baseline")) {
      Req.BaselinePath = *B;
    } else if (auto W = Cursor.value("--write-baseline")) {
      Req.WriteBaseline = *W;
    } else if (auto P = Cursor.rest(Error)) {
      Req.Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Req.Inputs.empty())
    return Ctx.usage("no input policy (see peapodc lint --help)");
  if (std::count(Req.Inputs.begin(), Req.Inputs.end(), "-") > 1)
    return Ctx.usage("standard input ('-') can be linted only once");
  if (Req.Output && Req.Format == LintFormat::Text)
    return Ctx.usage("-o writes the json, sarif or github formats; text "
                     "findings go to standard error");
  return ExitOK;
}

std::optional<Baseline> readBaseline(const std::string &Path,
                                     const Context &Ctx) {
  auto Bytes = readInputFile(Path);
  if (!Bytes) {
    Ctx.usage("cannot read baseline '" + Path +
              "': " + llvm::toString(Bytes.takeError()));
    return std::nullopt;
  }
  auto B = Baseline::parse((*Bytes)->getBuffer(), Path);
  if (!B) {
    Ctx.usage(llvm::toString(B.takeError()));
    return std::nullopt;
  }
  return std::move(*B);
}

} // namespace

int runLint(const std::vector<std::string> &Args, const Context &Ctx) {
  LintRequest Req;
  if (int Status = parseLintArgs(Args, Req, Ctx))
    return Status;
  std::optional<Baseline> Accepted;
  if (Req.BaselinePath && !(Accepted = readBaseline(*Req.BaselinePath, Ctx)))
    return ExitUsage;

  std::vector<LintResult> Results;
  if (int Status = lintInputs(Req.Inputs, Req.Common,
                              Accepted ? &*Accepted : nullptr, Ctx, Results))
    return Status;

  OutputContext Out;
  Out.ToolVersion = PEAPOD_VERSION;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  Out.SourceRoot = findSourceRoot(Cwd);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  switch (Req.Format) {
  case LintFormat::Text: {
    TextStyle Style;
    Style.Colors = Ctx.Colors;
    printLintText(Results, Ctx.Err, Style);
    break;
  }
  case LintFormat::JSON:
    OS << lintJSON(Results, Out).dump(2) << "\n";
    break;
  case LintFormat::Sarif:
    OS << sarifLog(Results, Out).dump(2) << "\n";
    break;
  case LintFormat::GitHub:
    printGitHubCommands(Results, Out, OS);
    break;
  }
  OS.flush();
  if (Req.Format != LintFormat::Text) {
    if (int Status = writeOutput(Req.Output.value_or("-"), Text, Req.Inputs,
                                 Ctx))
      return Status;
  }
  if (Req.WriteBaseline) {
    if (int Status = writeOutput(*Req.WriteBaseline,
                                 Baseline::write(baselineEntries(Results)),
                                 Req.Inputs, Ctx))
      return Status;
  }

  bool Errors = false;
  for (const LintResult &R : Results)
    Errors |= R.Errors != 0;
  return Errors ? ExitPolicyError : ExitOK;
}

} // namespace peapod::driver
