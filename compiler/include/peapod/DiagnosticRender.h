//===- DiagnosticRender.h - Diagnostics as text and as JSON ----*- C++ -*-===//
//
// The printers every command shares. Text is clang's layout:
//
//   Included from mail.pea:4:
//   sendmail.rules:12:5: error: path 'etc/x' is not absolute [E101]
//       path etc/x read
//            ^~~~~
//
// with the source line shown as a window around the caret when it is long,
// and every byte that could act on a terminal (control characters, invalid
// UTF-8, bidirectional overrides) shown as \xNN. JSON is the documented
// object of `peapodc check --format json` (docs/diagnostics.md).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_DIAGNOSTICRENDER_H
#define PEAPOD_DIAGNOSTICRENDER_H

#include "peapod/Diagnostics.h"
#include <nlohmann/json.hpp>

namespace llvm {
class raw_ostream;
}

namespace peapod {

struct TextStyle {
  bool Colors = false;
  /// Source lines wider than this many display columns are shown as a
  /// window of this width around the caret.
  unsigned MaxSourceWidth = 120;
};

/// One diagnostic, its include chain, source line, caret and notes.
void printDiagnostic(const DiagnosticEngine &E, const Diagnostic &D,
                     llvm::raw_ostream &OS, const TextStyle &Style = {});
/// Every diagnostic of the engine, in order.
void printDiagnostics(const DiagnosticEngine &E, llvm::raw_ostream &OS,
                      const TextStyle &Style = {});
/// "2 warnings and 1 error generated." for the engine's counts; "" if both
/// are zero.
std::string diagnosticSummary(const DiagnosticEngine &E);
/// The same for counts of one's own (say, after suppressions).
std::string diagnosticSummary(unsigned Warnings, unsigned Errors);

/// The source line of `Line` as printed under a diagnostic, with the caret
/// line for bytes [CaretStart, CaretEnd) of it (0-based offsets into
/// `Line`). Exposed for tests.
struct RenderedSource {
  std::string Text;
  std::string Caret;
};
RenderedSource renderSourceLine(llvm::StringRef Line, size_t CaretStart,
                                size_t CaretEnd, unsigned MaxWidth);

/// One diagnostic as JSON: id, name, severity, message, file, line,
/// column, endLine, endColumn (1-based, columns in bytes), includedFrom,
/// notes, fixes. Every string is valid UTF-8 (TextEscape.h).
nlohmann::json diagnosticToJSON(const DiagnosticEngine &E, const Diagnostic &D);
nlohmann::json diagnosticsToJSON(const DiagnosticEngine &E);

} // namespace peapod

#endif // PEAPOD_DIAGNOSTICRENDER_H
