//===- LintConfig.h - .peapod-lint.json ------------------------*- C++ -*-===//
//
// What a team tells `peapodc lint` about its policy, in one JSON file kept
// next to it (docs/ci.md, "Configuration"): which checks run and at what
// severity, the lists the least-privilege checks read (interpreters,
// sensitive paths, safe devices), the entry peas, and the assertions that
// must hold for every future version of the policy (A6xx, Assertions.h).
//
// A configuration that is not JSON, has a key or value of the wrong kind,
// or names a check that does not exist is refused with FILE:LINE:COL of the
// offending value: a typo must not switch a check off silently.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_LINTCONFIG_H
#define PEAPOD_ANALYZER_LINTCONFIG_H

#include "peapod/Access.h"
#include "peapod/Diagnostics.h"
#include "peapod/analyzer/Analyzer.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peapod::analyzer {

/// The file name searched for, from the policy's directory upwards.
inline constexpr llvm::StringLiteral LintConfigName = ".peapod-lint.json";

/// Which peas an assertion constrains (`peas` and `except`).
struct PeaSelector {
  enum Kind : uint8_t { All, NetworkFacing, Named };
  Kind K = All;
  /// For Named: "PEA" (any pod) or "POD/PEA".
  std::vector<std::string> Names;
  /// Peas left out whatever K says, in the same form.
  std::vector<std::string> Except;
};

/// What an assertion says no selected pea may have (`never`).
struct Forbidden {
  enum Kind : uint8_t { Access, Bind, Outgoing, NamespaceGlobal, Reach };
  Kind K = Access;
  /// Access: the forbidden bits, on Path and everything below it.
  uint8_t Mask = AccessNone;
  std::string Path;
  /// Bind, Outgoing: the forbidden ports; none: any port at all.
  std::optional<PortRange> Ports;
  /// Reach: what no pea reachable by one or more execs may have.
  std::shared_ptr<const Forbidden> Target;
};

/// One `assertions` entry: no pea chosen by `Peas` may have `Never`.
struct Assertion {
  std::string Name;
  PeaSelector Peas;
  Forbidden Never;
};

struct LintConfig {
  /// The file read; empty for the built-in defaults.
  std::string Path;
  /// `checks`: by diagnostic name, a severity or nullopt for "off".
  llvm::StringMap<std::optional<Severity>> Checks;
  /// The lists and entries the checks read.
  AnalyzerOptions Analyzer;
  std::vector<Assertion> Assertions;

  /// Applies `Checks` to the options a compilation reports with.
  void applyTo(DiagnosticOptions &Opts) const;
};

/// Parses a configuration's text; `Name` is the file it came from, for
/// messages ("NAME:LINE:COL: MESSAGE").
llvm::Expected<LintConfig> parseLintConfig(llvm::StringRef Text,
                                           llvm::StringRef Name);
/// Reads and parses the file at `Path`.
llvm::Expected<LintConfig> loadLintConfig(llvm::StringRef Path);
/// The nearest .peapod-lint.json in the directory of `PolicyPath` or one
/// above it (symbolic links resolved first), or none. Standard input is
/// looked up from the working directory.
std::optional<std::string> findLintConfig(llvm::StringRef PolicyPath);

/// The catalogue entry (compiler's or analyzer's) with this code ("W205")
/// or name ("duplicate-access"), or null.
const DiagInfo *findCheck(llvm::StringRef CodeOrName);

/// Whether an entry is a note attached to other diagnostics (the
/// compiler's N codes, the analyzer's note-* names), never a finding of
/// its own.
bool isAttachedNote(const DiagInfo &Info);
/// Whether the configuration, a -W switch or a suppression can name it: a
/// finding that is not an error of the language (E codes) and not an
/// attached note. (Some checks are notes: A306 network-allow-all.)
bool isConfigurable(const DiagInfo &Info);

} // namespace peapod::analyzer

#endif
