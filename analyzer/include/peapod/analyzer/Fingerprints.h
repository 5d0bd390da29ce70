//===- Fingerprints.h - Findings recognised across edits -------*- C++ -*-===//
//
// A baseline (`--write-baseline`, `--baseline`) and code scanning must
// recognise a finding after the policy around it changed. A fingerprint is
// a hash of what the finding is, never of where it is:
//
//   finding  the ID, the file's portable name (Compilation::displayName),
//            the pod and pea it is in, the text of its line with blanks
//            collapsed, and the message with every line and column number
//            taken out ("mail.pea:12" -> "mail.pea");
//   line     the text of the line alone, as GitHub's
//            partialFingerprints.primaryLocationLineHash.
//
// Both end in ":N", N counting the earlier findings (lines) with the same
// hash, so identical findings stay distinct and moving a rule up or down
// keeps its fingerprint.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_FINGERPRINTS_H
#define PEAPOD_ANALYZER_FINGERPRINTS_H

#include "peapod/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace peapod {
class Compilation;
}

namespace peapod::analyzer {

struct Fingerprint {
  std::string Finding;  ///< "0123456789abcdef:1"
  std::string LineHash; ///< the same form
};

/// The fingerprints of diagnostics `Indices` of `C`'s engine, in order.
std::vector<Fingerprint> fingerprints(const Compilation &C,
                                      llvm::ArrayRef<size_t> Indices);

/// `Message` with the line and column numbers of locations removed.
std::string messageWithoutLines(llvm::StringRef Message);

/// The findings a team accepted (`--write-baseline`), by fingerprint.
class Baseline {
public:
  /// One recorded finding.
  struct Entry {
    std::string Fingerprint, ID, File, Message;
    unsigned Line = 0;
  };
  /// Reads a baseline file's text; `Name` is for messages.
  static llvm::Expected<Baseline> parse(llvm::StringRef Text,
                                        llvm::StringRef Name);
  /// The file's text for `Entries` (docs/lint-json.md, "Baseline").
  static std::string write(llvm::ArrayRef<Entry> Entries);

  /// Whether a finding with this fingerprint is recorded and not yet
  /// matched; matches it (each recorded finding matches once).
  bool take(llvm::StringRef Fingerprint);
  size_t size() const { return Total; }

private:
  llvm::StringMap<unsigned> Left;
  size_t Total = 0;
};

} // namespace peapod::analyzer

#endif
