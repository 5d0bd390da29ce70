//===- DocumentStore.cpp - Open documents and incremental edits -----------===//
#include "peapod/lsp/DocumentStore.h"
#include "peapod/SourcePositions.h"
#include <algorithm>

namespace peapod::lsp {

size_t offsetOf(llvm::StringRef Text, TextPosition P, PositionEncoding E) {
  LineTable Lines(Text);
  if (P.Line >= Lines.lineCount())
    return Text.size();
  return E == PositionEncoding::UTF8
             ? Lines.offsetOfByteColumn(P.Line + 1, P.Character)
             : Lines.offsetOfUtf16(P.Line + 1, P.Character);
}

void applyChanges(std::string &Text, const std::vector<TextChange> &Changes,
                  PositionEncoding E) {
  for (const TextChange &C : Changes) {
    if (C.Whole) {
      Text = C.Text;
      continue;
    }
    size_t Begin = offsetOf(Text, C.Start, E);
    size_t End = offsetOf(Text, C.End, E);
    if (End < Begin)
      std::swap(Begin, End); // a reversed range still names the same text
    Text.replace(Begin, End - Begin, C.Text);
  }
}

Document &DocumentStore::open(const std::string &Uri, std::string Path,
                              std::string Text, int64_t Version) {
  Document &D = Docs[Uri];
  D.Uri = Uri;
  D.Path = std::move(Path);
  D.Text = std::move(Text);
  D.Version = Version;
  return D;
}

void DocumentStore::close(llvm::StringRef Uri) { Docs.erase(Uri); }

Document *DocumentStore::find(llvm::StringRef Uri) {
  auto It = Docs.find(Uri);
  return It == Docs.end() ? nullptr : &It->second;
}

const Document *DocumentStore::find(llvm::StringRef Uri) const {
  auto It = Docs.find(Uri);
  return It == Docs.end() ? nullptr : &It->second;
}

std::vector<const Document *> DocumentStore::all() const {
  std::vector<const Document *> All;
  for (const auto &E : Docs)
    All.push_back(&E.second);
  std::sort(All.begin(), All.end(), [](const Document *A, const Document *B) {
    return A->Uri < B->Uri;
  });
  return All;
}

} // namespace peapod::lsp
