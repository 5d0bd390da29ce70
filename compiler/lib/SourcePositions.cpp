//===- SourcePositions.cpp ------------------------------------------------===//
#include "peapod/SourcePositions.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/SourceMgr.h"
#include <algorithm>
#include <cstring>

namespace peapod {

LineTable::LineTable(llvm::StringRef Text) : Text(Text) {
  Starts.push_back(0);
  const char *Begin = Text.data(), *End = Text.data() + Text.size();
  if (!std::memchr(Begin, '\r', Text.size())) {
    // The common case: LF only, found with memchr.
    for (const char *P = Begin;
         (P = static_cast<const char *>(std::memchr(P, '\n', End - P)));)
      Starts.push_back(static_cast<uint32_t>(++P - Begin));
    return;
  }
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\r' && I + 1 < Text.size() && Text[I + 1] == '\n')
      ++I;
    if (C == '\n' || C == '\r')
      Starts.push_back(static_cast<uint32_t>(I + 1));
  }
}

unsigned LineTable::lineOf(size_t Offset) const {
  auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
  return static_cast<unsigned>(It - Starts.begin());
}

llvm::StringRef LineTable::lineText(unsigned Line) const {
  size_t Start = lineStart(Line);
  size_t End = Line < lineCount() ? Starts[Line] : Text.size();
  llvm::StringRef S = Text.slice(Start, End);
  if (S.endswith("\r\n"))
    return S.drop_back(2);
  if (S.endswith("\n") || S.endswith("\r"))
    return S.drop_back();
  return S;
}

unsigned utf16Length(llvm::StringRef S) {
  unsigned Units = 0;
  while (!S.empty() && static_cast<unsigned char>(S.front()) < 0x80) {
    ++Units; // ASCII: one unit a byte, the common case
    S = S.drop_front();
  }
  while (!S.empty()) {
    size_t N = utf8SequenceLength(S);
    Units += N == 4 ? 2 : 1; // past the BMP: a surrogate pair
    S = S.drop_front(N ? N : 1);
  }
  return Units;
}

LineColumn LineTable::position(size_t Offset) const {
  LineColumn P;
  P.Line = lineOf(Offset);
  size_t Start = lineStart(P.Line);
  P.Column = static_cast<unsigned>(Offset - Start) + 1;
  P.Utf16Column = utf16Length(Text.slice(Start, Offset)) + 1;
  return P;
}

size_t LineTable::offsetOfUtf16(unsigned Line, unsigned Utf16Column) const {
  if (Line == 0)
    return 0;
  if (Line > lineCount())
    return Text.size();
  llvm::StringRef S = lineText(Line);
  size_t Offset = lineStart(Line);
  unsigned Units = 0;
  while (!S.empty() && Units < Utf16Column) {
    size_t N = utf8SequenceLength(S);
    Units += N == 4 ? 2 : 1;
    N = N ? N : 1;
    Offset += N;
    S = S.drop_front(N);
  }
  return Offset;
}

size_t LineTable::offsetOfByteColumn(unsigned Line, unsigned ByteColumn) const {
  if (Line == 0)
    return 0;
  if (Line > lineCount())
    return Text.size();
  return lineStart(Line) + std::min<size_t>(ByteColumn, lineText(Line).size());
}

SourcePositions::SourcePositions(const llvm::SourceMgr &SM) : SM(SM) {}
SourcePositions::~SourcePositions() = default;

unsigned SourcePositions::bufferOf(llvm::SMLoc Loc) const {
  return Loc.isValid() ? SM.FindBufferContainingLoc(Loc) : 0;
}

const LineTable &SourcePositions::lines(unsigned BufferID) const {
  if (Tables.size() < BufferID)
    Tables.resize(SM.getNumBuffers());
  std::unique_ptr<LineTable> &T = Tables[BufferID - 1];
  if (!T)
    T = std::make_unique<LineTable>(SM.getMemoryBuffer(BufferID)->getBuffer());
  return *T;
}

LineColumn SourcePositions::lineColumn(llvm::SMLoc Loc, unsigned *Buffer) const {
  unsigned B = bufferOf(Loc);
  if (Buffer)
    *Buffer = B;
  if (!B)
    return {};
  return lines(B).position(Loc.getPointer() -
                           SM.getMemoryBuffer(B)->getBufferStart());
}

Position SourcePositions::resolve(llvm::SMLoc Loc) const {
  Position P;
  unsigned Buffer = 0;
  LineColumn LC = lineColumn(Loc, &Buffer);
  if (!Buffer)
    return P;
  P.File = SM.getMemoryBuffer(Buffer)->getBufferIdentifier().str();
  P.Line = LC.Line;
  P.Column = LC.Column;
  P.Utf16Column = LC.Utf16Column;
  return P;
}

} // namespace peapod
