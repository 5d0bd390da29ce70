//===- FixIts.h - Applying the edits diagnostics carry ---------*- C++ -*-===//
//
// The one implementation `peapodc fix` and the language server's quick fixes
// share: a set of FixIts (Diagnostics.h) turned into a buffer's new text.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_FIXITS_H
#define PEAPOD_FIXITS_H

#include "peapod/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace llvm {
class SourceMgr;
}

namespace peapod {

struct AppliedFixes {
  std::string Text;     ///< the buffer with the fixes applied
  unsigned Applied = 0; ///< fixes applied
  unsigned Skipped = 0; ///< fixes left out: overlapping one applied before
};

/// Applies those of `Fixes` that lie in buffer `BufferID` of `SM`, in the
/// order of their positions; a fix that overlaps one already applied is
/// skipped (two fixes inserting at one place both apply, in the order
/// given). Fixes in other buffers are ignored.
AppliedFixes applyFixIts(const llvm::SourceMgr &SM, unsigned BufferID,
                         llvm::ArrayRef<FixIt> Fixes);

} // namespace peapod

#endif // PEAPOD_FIXITS_H
