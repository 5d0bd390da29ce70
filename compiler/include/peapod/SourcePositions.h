//===- SourcePositions.h - Lines and columns, in every unit ----*- C++ -*-===//
//
// The one place that turns a location in a source buffer into a line and
// column, and back. Lines end at "\n", "\r\n" or a lone "\r" (files edited
// on any system), and a column is given in the units each client counts:
// bytes (what clang-style text output prints and JSON reports), UTF-16 code
// units (the Language Server Protocol's default) and display cells (where a
// caret goes on a terminal).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_SOURCEPOSITIONS_H
#define PEAPOD_SOURCEPOSITIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace peapod {

/// A position in one buffer. Every field is 1-based; 0 means unknown.
struct LineColumn {
  unsigned Line = 0;
  unsigned Column = 0;      ///< in bytes from the line start, plus one
  unsigned Utf16Column = 0; ///< in UTF-16 code units, plus one
  bool operator==(const LineColumn &) const = default;
};

/// A resolved position, for printers that do not hold the SourceMgr.
struct Position {
  std::string File; ///< the buffer's name: as the user named it, or as found
                    ///< for a rule group
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Utf16Column = 0;
};

/// Where each line of one buffer starts.
class LineTable {
public:
  explicit LineTable(llvm::StringRef Text);

  unsigned lineCount() const { return static_cast<unsigned>(Starts.size()); }
  /// The 1-based line holding byte `Offset` (the buffer's end is on the
  /// last line).
  unsigned lineOf(size_t Offset) const;
  /// The line's text without its terminator. `Line` is 1-based.
  llvm::StringRef lineText(unsigned Line) const;
  size_t lineStart(unsigned Line) const { return Starts[Line - 1]; }
  LineColumn position(size_t Offset) const;
  /// The byte offset of a 1-based line and a 0-based UTF-16 column (an LSP
  /// position), clamped to the line's end.
  size_t offsetOfUtf16(unsigned Line, unsigned Utf16Column) const;
  /// The same for a 0-based byte column (LSP's utf-8 position encoding).
  size_t offsetOfByteColumn(unsigned Line, unsigned ByteColumn) const;

private:
  llvm::StringRef Text;
  std::vector<uint32_t> Starts;
};

/// UTF-16 code units in `S`; a byte that is not valid UTF-8 counts as one
/// (an editor shows it as U+FFFD).
unsigned utf16Length(llvm::StringRef S);

/// Positions of locations in the buffers of a SourceMgr, with one LineTable
/// per buffer built on first use.
class SourcePositions {
public:
  explicit SourcePositions(const llvm::SourceMgr &SM);
  ~SourcePositions();

  /// Unknown (all zero) for an invalid location or one outside every buffer.
  Position resolve(llvm::SMLoc Loc) const;
  /// The same without the file name (no allocation); `Buffer`, if given,
  /// receives the buffer holding `Loc`.
  LineColumn lineColumn(llvm::SMLoc Loc, unsigned *Buffer = nullptr) const;
  /// The buffer holding `Loc` (0 if none) and the line table for it.
  unsigned bufferOf(llvm::SMLoc Loc) const;
  const LineTable &lines(unsigned BufferID) const;
  const llvm::SourceMgr &sourceMgr() const { return SM; }

private:
  const llvm::SourceMgr &SM;
  mutable std::vector<std::unique_ptr<LineTable>> Tables; ///< by BufferID - 1
};

} // namespace peapod

#endif // PEAPOD_SOURCEPOSITIONS_H
