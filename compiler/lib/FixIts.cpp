//===- FixIts.cpp ---------------------------------------------------------===//
#include "peapod/FixIts.h"
#include "llvm/Support/SourceMgr.h"
#include <algorithm>

namespace peapod {

AppliedFixes applyFixIts(const llvm::SourceMgr &SM, unsigned BufferID,
                         llvm::ArrayRef<FixIt> Fixes) {
  const llvm::MemoryBuffer *MB = SM.getMemoryBuffer(BufferID);
  const char *Start = MB->getBufferStart(), *End = MB->getBufferEnd();
  struct Edit {
    size_t From, To;
    const std::string *Text;
  };
  std::vector<Edit> Edits;
  for (size_t I = 0; I < Fixes.size(); ++I) {
    const char *B = Fixes[I].Range.Start.getPointer();
    const char *E = Fixes[I].Range.End.isValid()
                        ? Fixes[I].Range.End.getPointer()
                        : B;
    if (!B || B < Start || E > End || E < B)
      continue; // another buffer's, or no place at all
    Edits.push_back({size_t(B - Start), size_t(E - Start),
                     &Fixes[I].Replacement});
  }
  std::stable_sort(Edits.begin(), Edits.end(),
                   [](const Edit &A, const Edit &B) { return A.From < B.From; });
  AppliedFixes Out;
  llvm::StringRef Text = MB->getBuffer();
  size_t Done = 0; // bytes of Text copied or replaced so far
  for (const Edit &E : Edits) {
    // Starts inside what an earlier edit replaced: left out. (An insertion
    // at the end of an earlier edit's range is not inside it.)
    if (E.From < Done) {
      ++Out.Skipped;
      continue;
    }
    Out.Text.append(Text.data() + Done, E.From - Done);
    Out.Text += *E.Text;
    Done = E.To;
    ++Out.Applied;
  }
  Out.Text.append(Text.data() + Done, Text.size() - Done);
  return Out;
}

} // namespace peapod
