//===- Analyzer.h - The static policy analyzer -----------------*- C++ -*-===//
//
// The one entry point every client calls (peapodc compile and lint, the
// language server): runs the enabled checks on a compiled policy and reports
// their findings into the compilation's DiagnosticEngine, so they print,
// serialise (JSON, SARIF, LSP) and carry fix-its like every other
// diagnostic.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_ANALYZER_H
#define PEAPOD_ANALYZER_ANALYZER_H

#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include <optional>
#include <string>
#include <vector>

namespace peapod {
class Compilation;
class DiagnosticEngine;
} // namespace peapod

namespace peapod::analyzer {

/// What the checks are told beyond the policy (command line, .peapod-lint.json).
struct AnalyzerOptions {
  /// Entry peas ("POD/PEA" or "PEA"); empty: every pea with no incoming
  /// transition.
  std::vector<std::string> Entries;
  /// The pod's file-system tree for the A1xx checks; none: they are skipped.
  std::optional<std::string> Root;
  bool CrossDevices = false;
  /// Programs a network-facing pea must not execute (file names; a trailing
  /// '*' matches any suffix, e.g. "python*").
  std::vector<std::string> Interpreters = {
      "sh",   "bash", "dash", "zsh",  "ksh",    "csh",   "tcsh", "fish",
      "busybox", "python*", "perl*", "ruby*", "php*", "lua*", "node", "tclsh*"};
  /// Files no pea should write (the image and the rule files are added by
  /// the caller).
  std::vector<std::string> SensitivePaths = {"/etc/passwd", "/etc/shadow",
                                             "/etc/group", "/etc/gshadow",
                                             "/etc/sudoers", "/etc/sudoers.d"};
  /// Devices any pea may use.
  std::vector<std::string> SafeDevices = {"/dev/null", "/dev/zero",
                                          "/dev/random", "/dev/urandom",
                                          "/dev/tty", "/dev/full"};
};

/// Runs every enabled check on `C` (which compiled without errors) and
/// reports into `C`'s engine. Checks whose diagnostic is disabled by the
/// engine's options are not run.
void analyze(Compilation &C, const AnalyzerOptions &Opts);

} // namespace peapod::analyzer

#endif
