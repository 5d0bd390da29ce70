//===- Diagnostics.h - Stable-ID diagnostics with source locations -*- C++ -*-===//
//
// One diagnostics model for every client: the CLI renders it clang-style
// (file:line:col, source line, caret, include chain), the language server
// turns it into LSP diagnostics, and the JSON printer into objects.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_DIAGNOSTICS_H
#define PEAPOD_DIAGNOSTICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace peapod {

enum class Severity : uint8_t { Note, Warning, Error, Fatal };

enum class DiagID : uint16_t {
#define DIAG(Enum, Code, Sev, Name, Format) Enum,
#include "peapod/DiagnosticIDs.def"
};

struct DiagInfo {
  const char *Code;   ///< stable, e.g. "E301"
  Severity Sev;
  const char *Name;   ///< stable, e.g. "unknown-pea"
  const char *Format; ///< with %0, %1 placeholders
};

const DiagInfo &diagInfo(DiagID ID);
/// Every entry of DiagnosticIDs.def, in order.
const std::vector<DiagInfo> &allDiagInfos();

/// A resolved position, for printers that do not hold the SourceMgr.
struct Position {
  std::string File; ///< as the user named it (or as found for includes)
  unsigned Line = 0; ///< 1-based; 0 when unknown
  unsigned Column = 0; ///< 1-based
};

struct Diagnostic {
  DiagID ID;
  Severity Sev;
  llvm::SMRange Range; ///< Start is the caret; End may equal Start
  std::string Message;
  std::vector<Diagnostic> Notes;
};

class DiagnosticEngine;

/// Adds notes to the diagnostic just reported. Valid until the next report.
class DiagnosticBuilder {
public:
  DiagnosticBuilder(DiagnosticEngine &Engine, size_t Index)
      : Engine(Engine), Index(Index) {}
  DiagnosticBuilder &note(DiagID ID, llvm::SMRange Range,
                          std::vector<std::string> Args = {});

private:
  DiagnosticEngine &Engine;
  size_t Index;
};

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const llvm::SourceMgr &SM) : SM(SM) {}

  DiagnosticBuilder report(DiagID ID, llvm::SMRange Range,
                           std::vector<std::string> Args = {});
  /// A diagnostic with no source location (e.g. an unreadable main file).
  DiagnosticBuilder report(DiagID ID, std::vector<std::string> Args = {}) {
    return report(ID, llvm::SMRange(), std::move(Args));
  }

  const std::vector<Diagnostic> &diagnostics() const { return Diags; }
  unsigned errorCount() const { return Errors; }
  unsigned warningCount() const { return Warnings; }
  bool hasErrors() const { return Errors != 0; }
  bool hasFatal() const { return Fatals != 0; }

  /// Clang-style: "file:line:col: error: message [E301]", the source line, a
  /// caret under the range, notes, and "Included from" lines for includes.
  void print(llvm::raw_ostream &OS, bool Colors) const;
  void print(const Diagnostic &D, llvm::raw_ostream &OS, bool Colors) const;

  Position position(llvm::SMLoc Loc) const;
  const llvm::SourceMgr &sourceMgr() const { return SM; }

private:
  friend class DiagnosticBuilder;
  const llvm::SourceMgr &SM;
  std::vector<Diagnostic> Diags;
  unsigned Errors = 0, Warnings = 0, Fatals = 0;
};

/// Substitutes %0, %1, ... in `Format`.
std::string formatDiagnostic(llvm::StringRef Format,
                             const std::vector<std::string> &Args);

/// The closest candidate within edit distance 2 of `Name`, or "" if none.
std::string closestName(llvm::StringRef Name,
                        const std::vector<llvm::StringRef> &Candidates);

} // namespace peapod

#endif // PEAPOD_DIAGNOSTICS_H
