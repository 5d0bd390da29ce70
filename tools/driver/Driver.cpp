//===- Driver.cpp - peapodc: compile, check, dump -------------------------===//
#include "Commands.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/ImageDump.h"
#include "peapod/ImageOracle.h"
#include "peapod/ImageWriter.h"
#include "peapod/InputFile.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/Analyzer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include <climits>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef PEAPOD_VERSION
#define PEAPOD_VERSION "0.1.0"
#endif

namespace peapod::driver {

void useHugePagesForHeap() {
  // One heap mapping large enough for any compile (address space only: what
  // is resident is what is touched), marked for transparent huge pages. A
  // heap that grew by brk steps would be several mappings, and only the
  // first would carry the mark; large blocks mmapped one by one would each
  // fault in 4 KiB pages. A kernel with THP off ignores the advice.
  constexpr int Reserve = INT_MAX & ~((1 << 21) - 1); // just under 2 GiB
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
  mallopt(M_TOP_PAD, Reserve);
  char *Before = static_cast<char *>(sbrk(0));
  // Larger than the heap's free top, so the heap grows now by the reserve;
  // volatile, or the compiler drops the malloc/free pair.
  void *volatile Grow = malloc(size_t(1) << 20);
  char *After = static_cast<char *>(sbrk(0));
  free(Grow);
  constexpr uintptr_t HugePage = 2 << 20;
  char *Start = reinterpret_cast<char *>(
      (reinterpret_cast<uintptr_t>(Before) + HugePage - 1) & ~(HugePage - 1));
  if (Start < After)
    madvise(Start, After - Start, MADV_HUGEPAGE);
}

int Context::usage(const llvm::Twine &Message) const {
  // Messages quote paths and names from the command line and from policies
  // and images: none may send a control sequence to the terminal.
  Err << "peapodc: error: " << escapeForTerminal(Message.str()) << "\n";
  return ExitUsage;
}

std::string notAPolicy(llvm::StringRef RuleGroup) {
  llvm::StringRef Name = llvm::sys::path::stem(RuleGroup);
  return ("'" + RuleGroup +
          "' is a rule group, not a policy: include it from "
          "a pea (include \"" +
          Name + "\"), or check it with 'peapodc check " + RuleGroup + "'")
      .str();
}

CompileOptions defaultCompileOptions() {
  CompileOptions Opts;
  Opts.Diagnostics.ErrorLimit = DefaultErrorLimit;
  return Opts;
}

bool parseCompileOption(ArgCursor &Args, CompileOptions &Opts,
                        std::string &Error) {
  DiagnosticOptions &Diag = Opts.Diagnostics;
  if (auto Dir = Args.value("-I")) {
    Opts.IncludeDirs.push_back(*Dir);
    return true;
  }
  if (auto Std = Args.value("--stdrules")) {
    Opts.StdRulesDir = *Std;
    return true;
  }
  if (auto Limit = Args.value("--error-limit")) {
    if (llvm::StringRef(*Limit).getAsInteger(10, Diag.ErrorLimit))
      Error = "--error-limit takes a number (0: no limit), not '" + *Limit + "'";
    return true;
  }
  if (Args.flag("--Werror") || Args.flag("-Werror")) {
    Diag.WarningsAsErrors = true;
    return true;
  }
  if (Args.done() || !llvm::StringRef(Args.peek()).startswith("-W"))
    return false;
  // -Wno-NAME leaves a warning out; -WNAME turns it back on.
  llvm::StringRef Switch = llvm::StringRef(Args.peek()).drop_front(2);
  bool Off = Switch.consume_front("no-");
  // The compiler's warnings, and every check of the analyzer (its notes
  // and errors too: each is a check that can be turned off).
  const DiagInfo *Found = findDiagnosticByName(Switch);
  if (!Found || Found->Sev != Severity::Warning)
    Found = analyzer::findAnalyzerDiagnosticByName(Switch);
  if (!Found || llvm::StringRef(Found->Name).startswith("note-")) {
    Error = "unknown warning '" + Switch.str() + "' in " + Args.peek().str() +
            " (the warnings are listed in docs/diagnostics.md, the "
            "analyzer's checks in docs/rules/)";
  } else if (Off) {
    Diag.ByName[Found->Name] = std::nullopt;
  } else {
    Diag.ByName.erase(Found->Name);
  }
  Args.flag(Args.peek());
  return true;
}

void printDiagnostics(const Compilation &C, const Context &Ctx) {
  TextStyle Style;
  Style.Colors = Ctx.Colors;
  // Standard error is unbuffered: without a buffer, the analyzer's
  // thousands of findings on a large policy cost a write(2) per fragment.
  bool WasUnbuffered = Ctx.Err.GetBufferSize() == 0;
  if (WasUnbuffered && !C.diags().diagnostics().empty())
    Ctx.Err.SetBuffered();
  peapod::printDiagnostics(C.diags(), Ctx.Err, Style);
  std::string Summary = diagnosticSummary(C.diags());
  if (!Summary.empty())
    Ctx.Err << Summary << "\n";
  Ctx.Err.flush();
  if (WasUnbuffered)
    Ctx.Err.SetUnbuffered();
}

nlohmann::json diagnosticsJSON(const Compilation &C) {
  return diagnosticsToJSON(C.diags());
}

int compileStatus(const Compilation &C) {
  if (C.diags().hasFatal())
    return ExitUsage;
  return C.diags().hasErrors() ? ExitPolicyError : ExitOK;
}

static std::string defaultOutput(llvm::StringRef Policy,
                                 llvm::StringRef Extension) {
  llvm::SmallString<128> Out(llvm::sys::path::filename(Policy));
  llvm::sys::path::replace_extension(Out, Extension);
  return std::string(Out);
}

/// Every file the compilation read, so that the output never replaces one:
/// the policy and each rule group it included.
std::vector<OutputOptions::Input> inputsOf(const Compilation &C) {
  std::vector<OutputOptions::Input> Inputs;
  const llvm::SourceMgr &SM = C.sourceMgr();
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID) {
    llvm::StringRef Name = SM.getMemoryBuffer(ID)->getBufferIdentifier();
    if (std::optional<llvm::sys::fs::UniqueID> FileID = fileIdentity(Name))
      Inputs.push_back({*FileID, Name.str()});
  }
  return Inputs;
}

/// The analyzer's options from the command line, with the image about to be
/// written among the sensitive files (a pea that can rewrite it can rewrite
/// the policy).
static analyzer::AnalyzerOptions
analyzerOptionsForImage(analyzer::AnalyzerOptions Opts,
                        llvm::StringRef Output) {
  llvm::SmallString<256> Abs(Output);
  if (Output != "-" && !llvm::sys::fs::make_absolute(Abs))
    Opts.SensitivePaths.push_back(std::string(Abs));
  return Opts;
}

int runCompile(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args);
  CompileOptions Opts = defaultCompileOptions();
  analyzer::AnalyzerOptions Analysis;
  ImageWriteOptions ImageOpts;
  std::vector<std::string> Inputs;
  std::optional<std::string> Output;
  bool Analyze = true;
  std::optional<ImageTarget> Target; // none: the image itself (kmod)
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (parseAnalyzerOption(Cursor, Analysis, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (Cursor.flag("--no-analyze")) {
      Analyze = false;
    } else if (auto O = Cursor.value("-o")) {
      if (O->empty())
        return Ctx.usage("-o needs a file name (or '-' for standard output)");
      Output = *O;
    } else if (auto T = Cursor.value("--target")) {
      if (*T != "kmod" && *T != "fuse" && *T != "bpf")
        return Ctx.usage("unknown target '" + *T +
                         "' (supported: kmod, fuse, bpf)");
      Target = *T == "fuse"  ? std::optional(ImageTarget::Fuse)
               : *T == "bpf" ? std::optional(ImageTarget::Bpf)
                             : std::nullopt;
    } else if (Cursor.flag("--no-locations")) {
      ImageOpts.Locations = false;
    } else if (auto P = Cursor.rest(Error)) {
      Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Inputs.size() != 1)
    return Ctx.usage(Inputs.empty() ? "no input policy (see peapodc --help)"
                                    : "exactly one input policy is compiled "
                                      "at a time");
  const std::string &Input = Inputs.front();
  if (isRuleGroupPath(Input))
    return Ctx.usage(notAPolicy(Input));
  if (!Output && Input == "-")
    return Ctx.usage("a policy read from standard input needs an output: "
                     "-o FILE, or -o - for standard output");
  if (!Output)
    Output = defaultOutput(Input, !Target ? ".bin"
                                  : *Target == ImageTarget::Fuse
                                      ? ".fuse.json"
                                      : ".bpf.json");
  if (Target)
    return runImageTarget(*Target, Input, *Output, Opts, ImageOpts, Ctx);

  Compilation C(Opts);
  C.compileFile(Input);
  if (Analyze && !C.diags().hasErrors())
    analyzer::analyze(C, analyzerOptionsForImage(Analysis, *Output));
  printDiagnostics(C, Ctx);
  if (int Status = compileStatus(C))
    return Status;

  OutputOptions Out;
  Out.Inputs = inputsOf(C);
  Out.Stdout = &Ctx.Out;
  std::string Error;
  if (!writeImageFile(*Output, C.policy(), ImageOpts, Error, Out))
    return Ctx.usage(Error);
  return ExitOK;
}

int runCheck(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc check --help");
  CompileOptions Opts = defaultCompileOptions();
  analyzer::AnalyzerOptions Analysis;
  std::vector<std::string> Inputs;
  bool JSON = false, Analyze = true;
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error) ||
        parseAnalyzerOption(Cursor, Analysis, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (Cursor.flag("--no-analyze")) {
      Analyze = false;
    } else if (auto F = Cursor.value("--format")) {
      if (*F != "text" && *F != "json")
        return Ctx.usage("unknown format '" + *F + "' (text or json)");
      JSON = *F == "json";
    } else if (Cursor.value("-o") || Cursor.peek() == "-o") {
      return Ctx.usage("check writes no file and takes no -o; to compile, run "
                       "'peapodc POLICY -o FILE' (see peapodc check --help)");
    } else if (auto P = Cursor.rest(Error)) {
      Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Inputs.empty())
    return Ctx.usage("no input policy (see peapodc check --help)");
  if (std::count(Inputs.begin(), Inputs.end(), "-") > 1)
    return Ctx.usage("standard input ('-') can be checked only once");

  int Status = ExitOK;
  nlohmann::json Files = nlohmann::json::array();
  for (const std::string &Input : Inputs) {
    Compilation C(Opts);
    C.compileFile(Input);
    // The same findings as compiling it would print (a rule group is
    // checked on its own, and analysed in the policies that include it).
    if (Analyze && !isRuleGroupPath(Input) && !C.diags().hasErrors())
      analyzer::analyze(C, Analysis);
    if (JSON)
      Files.push_back(
          {{"file", escapeInvalidUtf8(Input == "-" ? llvm::StringRef(StdinName)
                                                   : llvm::StringRef(Input))},
           {"errors", C.diags().errorCount()},
           {"warnings", C.diags().warningCount()},
           {"diagnostics", diagnosticsJSON(C)}});
    else
      printDiagnostics(C, Ctx);
    Status = std::max(Status, compileStatus(C));
  }
  if (JSON)
    Ctx.Out << nlohmann::json{{"files", Files}}.dump(2) << "\n";
  return Status;
}

std::unique_ptr<llvm::MemoryBuffer> readInput(llvm::StringRef Path,
                                              const Context &Ctx) {
  auto Bytes = readInputFile(Path);
  if (!Bytes) {
    Ctx.usage("cannot read '" + Path +
              "': " + llvm::toString(Bytes.takeError()));
    return nullptr;
  }
  return std::move(*Bytes);
}

std::unique_ptr<ImageOracle>
loadImage(llvm::StringRef Path, std::unique_ptr<llvm::MemoryBuffer> Bytes,
          const Context &Ctx) {
  std::string Error;
  std::unique_ptr<ImageOracle> Image =
      ImageOracle::fromBuffer(std::move(Bytes), Error);
  if (!Image)
    Ctx.usage("cannot load image '" + Path + "': " + Error);
  return Image;
}

int readPolicyOrImage(llvm::StringRef Path, const CompileOptions &Opts,
                      const Context &Ctx, PolicyInput &In) {
  if (isRuleGroupPath(Path))
    return Ctx.usage(notAPolicy(Path));
  // Read once, whatever the file is (a FIFO or `<(...)` cannot be read
  // twice), then tell an image from a source by its magic.
  std::unique_ptr<llvm::MemoryBuffer> Bytes = readInput(Path, Ctx);
  if (!Bytes)
    return ExitUsage;
  if (isImage(Bytes->getBuffer())) {
    In.Image = loadImage(Path, std::move(Bytes), Ctx);
    return In.Image ? int(ExitOK) : int(ExitUsage);
  }
  In.Source = std::make_unique<Compilation>(Opts);
  In.Source->compileBuffer(Bytes->getBufferIdentifier(), Bytes->getBuffer());
  printDiagnostics(*In.Source, Ctx);
  return compileStatus(*In.Source);
}

std::string locationText(const std::optional<RuleLocation> &Loc) {
  return analyzer::locationSuffix(Loc);
}

int runDump(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc dump --help");
  std::vector<std::string> Inputs;
  while (!Cursor.done()) {
    std::string Error;
    if (auto P = Cursor.rest(Error))
      Inputs.push_back(*P);
    else if (!Error.empty())
      return Ctx.usage(Error);
  }
  if (Inputs.size() != 1)
    return Ctx.usage("usage: peapodc dump IMAGE (see peapodc dump --help)");
  const std::string &Path = Inputs.front();
  std::unique_ptr<llvm::MemoryBuffer> Bytes = readInput(Path, Ctx);
  if (!Bytes)
    return ExitUsage;
  if (!isImage(Bytes->getBuffer()))
    return Ctx.usage("'" + Path +
                     "' is a policy source, not a compiled "
                     "image: compile it first (peapodc " +
                     Path +
                     " -o IMAGE), or ask it directly with peapodc query");
  std::unique_ptr<ImageOracle> Image = loadImage(Path, std::move(Bytes), Ctx);
  if (!Image)
    return ExitUsage;
  Ctx.Out << dumpImage(*Image).dump(2) << "\n";
  return ExitOK;
}

namespace {
/// A subcommand: its name, its --help page and its entry point. Commands
/// that other libraries add (lint, graph, lsp, ...) are one row each.
struct Subcommand {
  const char *Name;
  const char *const *Help;
  int (*Run)(const std::vector<std::string> &, const Context &);
};
} // namespace

static const Subcommand Subcommands[] = {
    {"check", &CheckHelp, runCheck},
    {"query", &QueryHelp, runQuery},
    {"dump", &DumpHelp, runDump},
    {"show", &ShowHelp, runShow},
    {"fmt", &FormatHelp, runFormat},
    {"diff", &DiffHelp, runDiff},
    {"test", &TestHelp, runTest},
    {"lint", &LintHelp, runLint},
    {"fix", &FixHelp, runFix},
    {"graph", &GraphHelp, runGraph},
    {"lsp", &LspHelp, runLsp},
    {"suggest", &SuggestHelp, runSuggest},
};

static const Subcommand *findSubcommand(llvm::StringRef Name) {
  for (const Subcommand &S : Subcommands)
    if (Name == S.Name)
      return &S;
  return nullptr;
}

static const char *helpFor(llvm::StringRef Command) {
  const Subcommand *S = findSubcommand(Command);
  return S ? *S->Help : nullptr;
}

static bool wantsHelp(const std::vector<std::string> &Args) {
  for (const std::string &A : Args) {
    if (A == "--")
      return false;
    if (A == "--help" || A == "-h")
      return true;
  }
  return false;
}

int runPeapodc(const std::vector<std::string> &Args, llvm::raw_ostream &Out,
               llvm::raw_ostream &Err, bool Colors) {
  Context Ctx{Out, Err, Colors};
  std::vector<std::string> Rest = Args;
  // --color applies to every command.
  for (size_t I = 0; I < Rest.size(); ++I) {
    llvm::StringRef A = Rest[I];
    std::string When;
    if (A == "--color" && I + 1 < Rest.size()) {
      When = Rest[I + 1];
      Rest.erase(Rest.begin() + I, Rest.begin() + I + 2);
    } else if (A.startswith("--color=")) {
      When = A.substr(8).str();
      Rest.erase(Rest.begin() + I);
    } else {
      continue;
    }
    if (When != "auto" && When != "always" && When != "never")
      return Ctx.usage("--color takes auto, always or never");
    Ctx.Colors = When == "always" || (When == "auto" && Colors);
    break;
  }
  if (Rest.empty())
    return Ctx.usage("no input policy (see peapodc --help)");
  llvm::StringRef First = Rest.front();
  if (First == "--version") {
    Out << "peapodc " << PEAPOD_VERSION << "\n";
    return ExitOK;
  }
  if (First == "help") {
    const char *Page = Rest.size() > 1 ? helpFor(Rest[1]) : MainHelp;
    if (!Page)
      return Ctx.usage("no help for '" + Rest[1] + "'");
    Out << Page;
    return ExitOK;
  }
  std::vector<std::string> Tail(Rest.begin() + 1, Rest.end());
  if (const Subcommand *S = findSubcommand(First)) {
    if (wantsHelp(Tail)) {
      Out << *S->Help;
      return ExitOK;
    }
    return S->Run(Tail, Ctx);
  }
  if (wantsHelp(Rest)) {
    Out << MainHelp;
    return ExitOK;
  }
  return runCompile(Rest, Ctx);
}

} // namespace peapod::driver
