//===- DocumentStore.h - The editor's open documents -----------*- C++ -*-===//
//
// The text of every open document, as the client last described it:
// didOpen's full text, then didChange's edits applied in order, each either
// the whole text or a range replaced. Ranges are LSP positions (0-based line,
// column in the negotiated encoding) resolved with the compiler's LineTable,
// so lines end where the compiler's diagnostics say they do (LF, CRLF or a
// lone CR) and a position past a line's end is clamped to it.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_DOCUMENTSTORE_H
#define PEAPOD_LSP_DOCUMENTSTORE_H

#include "peapod/lsp/Protocol.h"
#include "llvm/ADT/StringMap.h"
#include <cstdint>
#include <string>
#include <vector>

namespace peapod::lsp {

struct Document {
  std::string Uri;
  std::string Path; ///< the local file it stands for
  std::string Text;
  int64_t Version = 0;
};

/// An LSP position.
struct TextPosition {
  unsigned Line = 0;
  unsigned Character = 0;
};

struct TextChange {
  bool Whole = true; ///< no range: `Text` replaces everything
  TextPosition Start, End;
  std::string Text;
};

/// The byte offset of `P` in `Text`: the line clamped to the last, the
/// column to the line's end.
size_t offsetOf(llvm::StringRef Text, TextPosition P, PositionEncoding E);

/// Applies `Changes` to `Text` in order.
void applyChanges(std::string &Text, const std::vector<TextChange> &Changes,
                  PositionEncoding E);

class DocumentStore {
public:
  /// Opens (or reopens) a document.
  Document &open(const std::string &Uri, std::string Path, std::string Text,
                 int64_t Version);
  void close(llvm::StringRef Uri);
  Document *find(llvm::StringRef Uri);
  const Document *find(llvm::StringRef Uri) const;
  std::vector<const Document *> all() const;

private:
  llvm::StringMap<Document> Docs;
};

} // namespace peapod::lsp

#endif
