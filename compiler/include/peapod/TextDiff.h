//===- TextDiff.h - Line differences and unified diffs ---------*- C++ -*-===//
//
// The one diff of the toolchain: `peapodc fmt --check` prints what the
// formatter would change with it, and anything else that shows a change to a
// file (a fix's preview, a policy diff) should too. Lines are compared as
// whole byte strings; the script is a shortest one (Myers' O(ND) algorithm,
// in linear space), and the output is GNU `diff -u`'s, so `patch` applies
// it.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TEXTDIFF_H
#define PEAPOD_TEXTDIFF_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <string>
#include <vector>

namespace peapod {

/// One run of an edit script from lines A to lines B.
struct DiffRun {
  enum Kind : uint8_t { Equal, Delete, Insert };
  Kind K = Equal;
  size_t AStart = 0; ///< first line of the run in A (Delete, Equal), or
                     ///< where in A it goes (Insert)
  size_t BStart = 0; ///< the same in B
  size_t Length = 0; ///< lines
};

/// A shortest edit script turning `A` into `B`, as maximal runs in order;
/// within a change, deletions come before insertions. Empty if both are
/// empty.
std::vector<DiffRun> diffLines(llvm::ArrayRef<llvm::StringRef> A,
                               llvm::ArrayRef<llvm::StringRef> B);

/// `Text` cut into lines, each with its "\n" (the last one may have none).
/// As for diff(1), only "\n" ends a line: a "\r\n" line keeps its "\r".
std::vector<llvm::StringRef> splitLines(llvm::StringRef Text);

/// GNU `diff -u` output for `Old` → `New`: the headers "--- OldLabel" and
/// "+++ NewLabel", then hunks with `Context` lines of context, and
/// "\ No newline at end of file" after a last line without one. "" if the
/// texts are equal.
std::string unifiedDiff(llvm::StringRef Old, llvm::StringRef New,
                        llvm::StringRef OldLabel, llvm::StringRef NewLabel,
                        unsigned Context = 3);

} // namespace peapod

#endif // PEAPOD_TEXTDIFF_H
