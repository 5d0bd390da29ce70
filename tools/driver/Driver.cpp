//===- Driver.cpp - peapodc: compile, check, dump -------------------------===//
#include "Commands.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/ImageDump.h"
#include "peapod/ImageOracle.h"
#include "peapod/ImageWriter.h"
#include "llvm/ADT/SmallString.h"
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
  Err << "peapodc: error: " << Message << "\n";
  return ExitUsage;
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
  const DiagInfo *Found = findDiagnosticByName(Switch);
  if (!Found || Found->Sev != Severity::Warning) {
    Error = "unknown warning '" + Switch.str() + "' in " + Args.peek().str() +
            " (the warnings are listed in docs/diagnostics.md)";
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
  peapod::printDiagnostics(C.diags(), Ctx.Err, Style);
  std::string Summary = diagnosticSummary(C.diags());
  if (!Summary.empty())
    Ctx.Err << Summary << "\n";
}

nlohmann::json diagnosticsJSON(const Compilation &C) {
  return diagnosticsToJSON(C.diags());
}

int compileStatus(const Compilation &C) {
  if (C.diags().hasFatal())
    return ExitUsage;
  return C.diags().hasErrors() ? ExitPolicyError : ExitOK;
}

static std::string defaultOutput(llvm::StringRef Policy) {
  llvm::SmallString<128> Out(llvm::sys::path::filename(Policy));
  llvm::sys::path::replace_extension(Out, "bin");
  return std::string(Out);
}

int runCompile(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args);
  CompileOptions Opts = defaultCompileOptions();
  ImageWriteOptions ImageOpts;
  std::vector<std::string> Inputs;
  std::string Output;
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (auto O = Cursor.value("-o")) {
      Output = *O;
    } else if (auto T = Cursor.value("--target")) {
      if (*T != "kmod")
        return Ctx.usage("unknown target '" + *T + "' (supported: kmod)");
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
  if (Output.empty())
    Output = defaultOutput(Inputs.front());

  Compilation C(Opts);
  C.compileFile(Inputs.front());
  printDiagnostics(C, Ctx);
  if (int Status = compileStatus(C))
    return Status;

  std::string Error;
  if (!writeImageFile(Output, C.policy(), ImageOpts, Error))
    return Ctx.usage(Error);
  return ExitOK;
}

int runCheck(const std::vector<std::string> &Args, const Context &Ctx) {
  ArgCursor Cursor(Args);
  CompileOptions Opts = defaultCompileOptions();
  std::vector<std::string> Inputs;
  bool JSON = false;
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (auto F = Cursor.value("--format")) {
      if (*F != "text" && *F != "json")
        return Ctx.usage("unknown format '" + *F + "' (text or json)");
      JSON = *F == "json";
    } else if (auto P = Cursor.rest(Error)) {
      Inputs.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Inputs.empty())
    return Ctx.usage("no input policy (see peapodc check --help)");

  int Status = ExitOK;
  nlohmann::json Files = nlohmann::json::array();
  for (const std::string &Input : Inputs) {
    Compilation C(Opts);
    C.compileFile(Input);
    if (JSON)
      Files.push_back({{"file", Input},
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

int runDump(const std::vector<std::string> &Args, const Context &Ctx) {
  if (Args.size() != 1 || llvm::StringRef(Args[0]).startswith("-"))
    return Ctx.usage("usage: peapodc dump IMAGE");
  std::string Error;
  std::unique_ptr<ImageOracle> Image = ImageOracle::fromFile(Args[0], Error);
  if (!Image)
    return Ctx.usage("cannot load '" + Args[0] + "': " + Error);
  Ctx.Out << dumpImage(*Image).dump(2) << "\n";
  return ExitOK;
}

static const char *helpFor(llvm::StringRef Command) {
  if (Command == "check")
    return CheckHelp;
  if (Command == "query")
    return QueryHelp;
  if (Command == "dump")
    return DumpHelp;
  if (Command == "show")
    return ShowHelp;
  if (Command == "fmt")
    return FormatHelp;
  return nullptr;
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
  if (const char *Page = helpFor(First)) {
    if (wantsHelp(Tail)) {
      Out << Page;
      return ExitOK;
    }
    if (First == "check")
      return runCheck(Tail, Ctx);
    if (First == "query")
      return runQuery(Tail, Ctx);
    if (First == "show")
      return runShow(Tail, Ctx);
    if (First == "fmt")
      return runFormat(Tail, Ctx);
    return runDump(Tail, Ctx);
  }
  if (wantsHelp(Rest)) {
    Out << MainHelp;
    return ExitOK;
  }
  return runCompile(Rest, Ctx);
}

} // namespace peapod::driver
