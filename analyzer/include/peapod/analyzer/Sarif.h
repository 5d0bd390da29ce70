//===- Sarif.h - lint findings as SARIF 2.1.0 ------------------*- C++ -*-===//
//
// `peapodc lint --format sarif`: one SARIF 2.1.0 log that GitHub code
// scanning accepts (github/codeql-action/upload-sarif). One run; the
// driver's `rules` are the whole catalogue (compiler and analyzer), each
// with its id, name, descriptions, help (text and Markdown), helpUri and
// default level; each result names its rule by id and index, its level,
// message, a location relative to %SRCROOT% (the repository) with a region
// in UTF-16 columns (the run's columnKind), its fingerprints (the line hash
// GitHub expects, and our own), related locations and a code flow for its
// notes (the chain of an escalation, the hops of an assertion), and its fix-its as
// SARIF fixes.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_SARIF_H
#define PEAPOD_ANALYZER_SARIF_H

#include "peapod/analyzer/LintOutput.h"
#include <nlohmann/json.hpp>

namespace peapod::analyzer {

inline constexpr llvm::StringLiteral SarifSchema =
    "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log for `Results`.
nlohmann::json sarifLog(llvm::ArrayRef<LintResult> Results,
                        const OutputContext &Ctx);

/// Where the documentation page of a catalogue entry is: docs/rules/ID.md
/// for the analyzer, the entry's section of docs/diagnostics.md for the
/// compiler.
std::string helpUri(const DiagInfo &Info);

/// `Path` (relative, '/'-separated) as a URI reference: every byte outside
/// RFC 3986's unreserved set and '/' percent-encoded.
std::string uriPath(llvm::StringRef Path);

} // namespace peapod::analyzer

#endif
