//===- Suppressions.h - `# peapod: ignore[ID] reason` ----------*- C++ -*-===//
//
// A team accepts one finding where it stands with a comment:
//
//   # peapod: ignore[A301] procmail is trusted to run its own filters
//   path /usr/bin/procmail read, execute
//   path /usr/bin/env read, execute  # peapod: ignore[W205,A302] reason
//
// A comment alone on its line covers the line below it; a comment after a
// rule covers its own line. IDs are codes or names, separated by commas.
// What a suppression gets wrong is itself a finding: it matches nothing
// (A901, with a fix-it that removes it), names no diagnostic (A902), names
// one that cannot be suppressed (A903: errors of the language, and the
// assertions, which exist so that a policy cannot opt out of them), or
// gives no reason (A904).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_SUPPRESSIONS_H
#define PEAPOD_ANALYZER_SUPPRESSIONS_H

#include "peapod/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <string>
#include <vector>

namespace peapod {
class Compilation;
}

namespace peapod::analyzer {

class Suppressions {
public:
  /// Every suppression comment in the files of `C`.
  static Suppressions collect(const Compilation &C);

  /// Whether a suppression covers `D` (on its line or the line above);
  /// marks it used.
  bool suppresses(const DiagnosticEngine &E, const Diagnostic &D);
  /// Reports A901-A904 into `E`; call after every suppresses().
  void reportProblems(DiagnosticEngine &E) const;

  /// Why a diagnostic cannot be suppressed inline, or null if it can.
  static const char *whyUnsuppressible(const DiagInfo &Info);

  size_t size() const { return Comments.size(); }

private:
  struct Entry {
    std::string Written;
    llvm::SMRange Range;        ///< the ID as written
    llvm::SMRange RemoveRange;  ///< the ID and the comma that goes with it
    const DiagInfo *Info = nullptr;
    bool Used = false;
  };
  struct Comment {
    llvm::SMRange Range;       ///< '#' to the end of the line
    llvm::SMRange RemoveRange; ///< what removing the whole comment takes
    unsigned Buffer = 0, Line = 0;
    bool OwnLine = false;
    bool HasReason = false;
    std::vector<Entry> Entries;
  };
  void add(const DiagnosticEngine &E, llvm::SMRange Comment);
  static uint64_t key(unsigned Buffer, unsigned Line) {
    return uint64_t(Buffer) << 32 | Line;
  }

  std::vector<Comment> Comments;
  /// (buffer, line covered) -> indices into Comments.
  llvm::DenseMap<uint64_t, llvm::SmallVector<unsigned, 1>> ByLine;
};

} // namespace peapod::analyzer

#endif
