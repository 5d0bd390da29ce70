//===- Configuration.h - The server's settings -----------------*- C++ -*-===//
//
// The settings contract the editor set-ups send (docs/editors.md), in
// `initializationOptions` and in `workspace/didChangeConfiguration`'s
// `params.settings`: {includeDirs, stdrulesDir, lintConfig}, each optional
// (null or absent: the default), plus `diagnosticsDelay` (milliseconds of
// quiet before diagnostics are published while typing).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_CONFIGURATION_H
#define PEAPOD_LSP_CONFIGURATION_H

#include "peapod/Compilation.h"
#include "peapod/lsp/Protocol.h"
#include <chrono>
#include <string>
#include <vector>

namespace peapod::lsp {

struct ServerConfig {
  CompileOptions Compile;
  /// The `lintConfig` setting; empty: the nearest .peapod-lint.json above
  /// each document, as `peapodc lint` finds it (LintConfigs.h).
  std::string LintConfig;
  /// Relative settings paths are taken from here (the workspace root).
  std::string RootPath;
  /// The directory holding diagnostics.md and rules/ (codeDescription).
  std::string DocsDir;
  std::chrono::milliseconds DiagnosticsDelay{20};
};

/// The configuration before any settings: the defaults of `peapodc check`,
/// without its error limit (an editor shows every error).
ServerConfig defaultConfig();

/// Applies `Settings` (an object; null changes nothing). Returns what was
/// wrong with it, one message per bad field; good fields apply regardless.
std::vector<std::string> applySettings(const json &Settings,
                                       ServerConfig &Config);

/// The page documenting a diagnostic code: docs/diagnostics.md#ID-NAME for
/// the compiler's, docs/rules/ID.md for the analyzer's; "" if unknown.
std::string docsHref(const DiagInfo &Info, const ServerConfig &Config);

} // namespace peapod::lsp

#endif
