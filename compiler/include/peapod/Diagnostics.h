//===- Diagnostics.h - Stable-ID diagnostics with source locations -*- C++ -*-===//
//
// One diagnostics model for every client. A Diagnostic is an object: its
// catalogue entry (stable code and name), its range, the arguments it was
// reported with, notes, and fix-its; the message is formatted from the
// arguments once, at report time. Printers (DiagnosticRender.h: clang-style
// text and JSON; the analyzer's SARIF; the language server) all read the
// same object.
//
// Catalogues are X-macro tables of DiagInfo: the compiler's is
// DiagnosticIDs.def (enum DiagID); the analyzer has its own. The engine takes
// an entry of any catalogue.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_DIAGNOSTICS_H
#define PEAPOD_DIAGNOSTICS_H

#include "peapod/SourcePositions.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace peapod {

enum class Severity : uint8_t { Note, Warning, Error, Fatal };

const char *severityName(Severity S);

/// One entry of a catalogue.
struct DiagInfo {
  const char *Code;   ///< stable, e.g. "E301"
  Severity Sev;       ///< the default severity
  const char *Name;   ///< stable, e.g. "unknown-pea"; the -W switch name
  const char *Format; ///< with %0, %1 placeholders
};

/// The compiler's catalogue.
enum class DiagID : uint16_t {
#define DIAG(Enum, Code, Sev, Name, Format) Enum,
#include "peapod/DiagnosticIDs.def"
};

const DiagInfo &diagInfo(DiagID ID);
/// Every entry of DiagnosticIDs.def, in order.
const std::vector<DiagInfo> &allDiagInfos();
/// The entry called `Name` (e.g. "duplicate-access"), or null.
const DiagInfo *findDiagnosticByName(llvm::StringRef Name);

/// A mechanical edit that fixes (part of) a diagnostic, as clang's
/// FixItHint: an empty range (Start == End) inserts, an empty replacement
/// removes.
struct FixIt {
  llvm::SMRange Range;
  std::string Replacement;
};

struct Diagnostic {
  const DiagInfo *Info = nullptr;
  Severity Sev = Severity::Error; ///< Info->Sev unless configured otherwise
  llvm::SMRange Range; ///< Start is the caret; End may equal Start
  std::vector<std::string> Args;
  std::string Message; ///< Info->Format with Args substituted
  std::vector<Diagnostic> Notes;
  std::vector<FixIt> Fixes;

  bool is(DiagID ID) const { return Info == &diagInfo(ID); }
  const char *code() const { return Info->Code; }
};

/// What the user asked of the diagnostics (`-Wno-NAME`, `-WNAME`,
/// `--Werror`, `--error-limit`, a lint configuration).
struct DiagnosticOptions {
  /// By a diagnostic's name: its severity, or nullopt to leave it out.
  llvm::StringMap<std::optional<Severity>> ByName;
  bool WarningsAsErrors = false;
  /// Errors after which the engine stops recording (and says so once).
  /// 0: no limit.
  unsigned ErrorLimit = 0;
};

class DiagnosticEngine;

/// Adds notes and fix-its to the diagnostic just reported. Valid until the
/// next report. A diagnostic that was left out (disabled, past the error
/// limit) takes them and drops them.
class DiagnosticBuilder {
public:
  DiagnosticBuilder(DiagnosticEngine &Engine, size_t Index)
      : Engine(Engine), Index(Index) {}
  DiagnosticBuilder &note(const DiagInfo &Info, llvm::SMRange Range,
                          std::vector<std::string> Args = {});
  DiagnosticBuilder &note(DiagID ID, llvm::SMRange Range,
                          std::vector<std::string> Args = {}) {
    return note(diagInfo(ID), Range, std::move(Args));
  }
  DiagnosticBuilder &fix(llvm::SMRange Range, std::string Replacement);
  /// A fix-it on the most recent note (e.g. the did-you-mean's edit).
  DiagnosticBuilder &noteFix(llvm::SMRange Range, std::string Replacement);
  /// Whether the diagnostic was recorded.
  bool recorded() const;

private:
  Diagnostic *target();
  DiagnosticEngine &Engine;
  size_t Index;
};

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const llvm::SourceMgr &SM)
      : SM(SM), Positions(SM) {}

  DiagnosticBuilder report(const DiagInfo &Info, llvm::SMRange Range,
                           std::vector<std::string> Args = {});
  DiagnosticBuilder report(DiagID ID, llvm::SMRange Range,
                           std::vector<std::string> Args = {}) {
    return report(diagInfo(ID), Range, std::move(Args));
  }
  /// A diagnostic with no source location (e.g. an unreadable main file).
  DiagnosticBuilder report(DiagID ID, std::vector<std::string> Args = {}) {
    return report(ID, llvm::SMRange(), std::move(Args));
  }

  /// Reports a diagnostic made elsewhere (say, when a rule group was parsed
  /// once for several compilations) as if it were new here: this engine's
  /// options and limit apply; its notes and fix-its come with it.
  void replay(const Diagnostic &D);

  void setOptions(DiagnosticOptions O) { Opts = std::move(O); }
  const DiagnosticOptions &options() const { return Opts; }
  /// The severity a diagnostic of this kind gets, or nullopt if it is left
  /// out. Checks that cost time ask first.
  std::optional<Severity> severityOf(const DiagInfo &Info) const;
  bool isEnabled(const DiagInfo &Info) const {
    return severityOf(Info).has_value();
  }

  const std::vector<Diagnostic> &diagnostics() const { return Diags; }
  unsigned errorCount() const { return Errors; }
  unsigned warningCount() const { return Warnings; }
  bool hasErrors() const { return Errors != 0; }
  bool hasFatal() const { return Fatals != 0; }
  /// Whether the error limit cut the list short.
  bool limitReached() const { return LimitReached; }

  Position position(llvm::SMLoc Loc) const { return Positions.resolve(Loc); }
  const SourcePositions &positions() const { return Positions; }
  const llvm::SourceMgr &sourceMgr() const { return SM; }

private:
  friend class DiagnosticBuilder;
  static constexpr size_t Dropped = SIZE_MAX;
  const llvm::SourceMgr &SM;
  SourcePositions Positions;
  DiagnosticOptions Opts;
  std::vector<Diagnostic> Diags;
  unsigned Errors = 0, Warnings = 0, Fatals = 0;
  bool LimitReached = false;
};

/// Substitutes %0, %1, ... in `Format`.
std::string formatDiagnostic(llvm::StringRef Format,
                             const std::vector<std::string> &Args);

/// The closest candidate within edit distance 2 of `Name`, or "" if none.
std::string closestName(llvm::StringRef Name,
                        const std::vector<llvm::StringRef> &Candidates);

} // namespace peapod

#endif // PEAPOD_DIAGNOSTICS_H
