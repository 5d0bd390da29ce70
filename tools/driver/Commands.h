//===- Commands.h - peapodc's subcommands (internal) -----------*- C++ -*-===//
#ifndef PEAPOD_DRIVER_COMMANDS_H
#define PEAPOD_DRIVER_COMMANDS_H

#include "Driver.h"
#include "Options.h"
#include "peapod/Compilation.h"
#include "peapod/ImageOracle.h"
#include "peapod/OutputFile.h"
#include "peapod/analyzer/Analyzer.h"
#include "peapod/analyzer/PeaProfile.h"
#include "peapod/analyzer/Lint.h"
#include "peapod/ImageWriter.h"
#include <nlohmann/json.hpp>

namespace peapod::driver {

extern const char *const MainHelp;
extern const char *const CheckHelp;
extern const char *const QueryHelp;
extern const char *const DumpHelp;
extern const char *const ShowHelp;
extern const char *const FormatHelp;
extern const char *const DiffHelp;
extern const char *const TestHelp;
extern const char *const LintHelp;
extern const char *const FixHelp;
extern const char *const GraphHelp;
extern const char *const LspHelp;
extern const char *const SuggestHelp;

struct Context {
  llvm::raw_ostream &Out;
  llvm::raw_ostream &Err;
  bool Colors;

  /// "peapodc: error: MESSAGE" and ExitUsage.
  int usage(const llvm::Twine &Message) const;
};

/// "'X.rules' is a rule group, not a policy: ..." for commands that need a
/// policy. A rule group is a usage mistake (exit 2), reported before reading
/// it, as clang's driver rejects an input it cannot compile.
std::string notAPolicy(llvm::StringRef RuleGroup);

/// All of `Path` (`-`: standard input), read once with readInputFile; null
/// (the message printed) if it cannot be read.
std::unique_ptr<llvm::MemoryBuffer> readInput(llvm::StringRef Path,
                                              const Context &Ctx);

/// A policy given as a source or as a compiled image.
struct PolicyInput {
  std::unique_ptr<ImageOracle> Image;  ///< set if it was an image
  std::unique_ptr<Compilation> Source; ///< else the compiled source
};

/// Reads `Path` once (any file, `-`), tells an image from a source by its
/// magic, and loads the one or compiles the other (printing diagnostics).
/// ExitOK with `In` filled, or the exit status (the message printed). A rule
/// group is refused: it is not a policy.
int readPolicyOrImage(llvm::StringRef Path, const CompileOptions &Opts,
                      const Context &Ctx, PolicyInput &In);

/// The peas of a policy read by readPolicyOrImage, as profiles (show, diff),
/// whichever form it was.
std::unique_ptr<analyzer::ProfileSource> profilesOf(const PolicyInput &In);

/// " (FILE:LINE)" for a rule's location, escaped for a terminal; "" if
/// there is none.
std::string locationText(const std::optional<RuleLocation> &Loc);

/// Validates the image read from `Path`; null (the message printed) if it is
/// malformed.
std::unique_ptr<ImageOracle>
loadImage(llvm::StringRef Path, std::unique_ptr<llvm::MemoryBuffer> Bytes,
          const Context &Ctx);

/// The most errors a command reports before it stops (--error-limit).
constexpr unsigned DefaultErrorLimit = 20;
CompileOptions defaultCompileOptions();

/// Consumes an option every command that reads a policy takes (`-I DIR`,
/// `--stdrules DIR`, `--error-limit N`, `--Werror`, `-Wno-NAME`, `-WNAME`);
/// true if it did. A bad value sets `Error`.
bool parseCompileOption(ArgCursor &Args, CompileOptions &Opts,
                        std::string &Error);

/// Consumes an option that configures the analyzer (`--root DIR`,
/// `--cross-devices`); true if it did. A bad value sets `Error`.
bool parseAnalyzerOption(ArgCursor &Args, analyzer::AnalyzerOptions &Opts,
                         std::string &Error);

/// Every file the compilation read (the policy and each rule group), so
/// that an output never replaces one.
std::vector<OutputOptions::Input> inputsOf(const Compilation &C);

/// Prints a compilation's diagnostics in clang style.
void printDiagnostics(const Compilation &C, const Context &Ctx);
/// The diagnostics as the JSON objects `check --format json` prints.
nlohmann::json diagnosticsJSON(const Compilation &C);
/// Exit status for a finished compilation.
int compileStatus(const Compilation &C);

int runCompile(const std::vector<std::string> &Args, const Context &Ctx);
int runCheck(const std::vector<std::string> &Args, const Context &Ctx);
int runQuery(const std::vector<std::string> &Args, const Context &Ctx);
int runDump(const std::vector<std::string> &Args, const Context &Ctx);
int runShow(const std::vector<std::string> &Args, const Context &Ctx);
int runFormat(const std::vector<std::string> &Args, const Context &Ctx);
int runDiff(const std::vector<std::string> &Args, const Context &Ctx);
int runTest(const std::vector<std::string> &Args, const Context &Ctx);
int runLint(const std::vector<std::string> &Args, const Context &Ctx);
int runFix(const std::vector<std::string> &Args, const Context &Ctx);

/// What `lint` and `fix` both take: the compile options, the analyzer's
/// -W switches, --config, --root, --entry and --cross-devices.
struct LintCommon {
  CompileOptions Compile;
  std::optional<std::string> ConfigPath, Root;
  std::vector<std::string> Entries;
  bool CrossDevices = false;
};
/// Consumes one of LintCommon's options; true if it did (a bad value sets
/// `Error`).
bool parseLintOption(ArgCursor &Args, LintCommon &Common, std::string &Error);
/// Lints each input with its configuration (--config, or the nearest
/// .peapod-lint.json), appending to `Results`. ExitOK, or ExitUsage with the
/// message printed (an unreadable policy, a bad configuration).
int lintInputs(const std::vector<std::string> &Inputs, const LintCommon &Common,
               analyzer::Baseline *Accepted, const Context &Ctx,
               std::vector<analyzer::LintResult> &Results);
int runGraph(const std::vector<std::string> &Args, const Context &Ctx);
int runLsp(const std::vector<std::string> &Args, const Context &Ctx);
/// `--target fuse`, `--target bpf`: a backend's configuration (docs/
/// fuse-config.md, docs/bpf.md) of a policy or an image.
enum class ImageTarget { Fuse, Bpf };
int runImageTarget(ImageTarget Target, const std::string &Input,
                   const std::string &Output, const CompileOptions &Opts,
                   const ImageWriteOptions &ImageOpts, const Context &Ctx);
int runSuggest(const std::vector<std::string> &Args, const Context &Ctx);

} // namespace peapod::driver

#endif
