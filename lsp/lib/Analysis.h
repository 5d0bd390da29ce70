//===- Analysis.h - One compiled version of an open document ---*- C++ -*-===//
//
// What every feature reads: the document compiled (through the server's
// Workspace, so open rule groups stand in for the disk) and analysed, the
// conversions between the compiler's locations and LSP positions in the
// negotiated encoding, and what the cursor is on. An Analysis is immutable
// once built; the server keeps the latest one of each document.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_ANALYSIS_H
#define PEAPOD_LSP_ANALYSIS_H

#include "Configuration.h"
#include "peapod/analyzer/LintConfig.h"
#include "peapod/Compilation.h"
#include "peapod/Regions.h"
#include "peapod/lsp/DocumentStore.h"
#include "peapod/lsp/Protocol.h"
#include <map>
#include <memory>
#include <vector>

namespace peapod {
class Workspace;
}

namespace peapod::lsp {

/// What the cursor is on, from the outside in; each part null if absent.
struct Cursor {
  const ast::PodDecl *PodDecl = nullptr;
  const ast::PeaDecl *PeaDecl = nullptr;
  const ast::Rule *Rule = nullptr;
  /// The checked pod and pea of PodDecl/PeaDecl (null for a duplicate).
  const peapod::Pod *InPod = nullptr;
  const peapod::Pea *InPea = nullptr;
  uint32_t PodIndex = 0, PeaIndex = 0;
  /// The name under the cursor: a pod's or pea's own, a rule's target.
  const ast::Name *Name = nullptr;
};

class Analysis {
public:
  /// Compiles and lints the document as `peapodc lint` would with `Lint`
  /// (its severities, checks, lists and assertions; inline suppressions).
  Analysis(const Document &D, Workspace &WS, const ServerConfig &Config,
           const analyzer::LintConfig &Lint, PositionEncoding Encoding);

  const std::string &uri() const { return Uri; }
  const std::string &path() const { return Path; }
  int64_t version() const { return Version; }
  const Compilation &compilation() const { return *C; }
  /// The diagnostics to show: every one of the compilation's except those
  /// a `# peapod: ignore[...]` comment suppresses.
  const std::vector<const Diagnostic *> &shown() const { return Shown; }
  const Policy &policy() const { return C->policy(); }
  const ast::File *tree() const { return C->mainFile(); }
  llvm::StringRef text() const { return Text; }
  bool isRuleGroup() const { return RuleGroup; }
  PositionEncoding encoding() const { return Encoding; }
  /// Keys (Workspace::key) of every rule group the document included.
  const std::vector<std::string> &includedGroups() const { return Groups; }

  // Positions.
  size_t offset(TextPosition P) const;
  /// The byte offsets [first, second] of an LSP Range object, in order.
  std::pair<size_t, size_t> offsets(const json &Range) const;
  size_t offsetOf(llvm::SMLoc L) const { return L.getPointer() - Text.data(); }
  llvm::SMLoc loc(size_t Offset) const {
    return llvm::SMLoc::getFromPointer(Text.data() + Offset);
  }
  bool inMain(llvm::SMLoc L) const {
    return L.isValid() && L.getPointer() >= Text.data() &&
           L.getPointer() <= Text.data() + Text.size();
  }
  json position(llvm::SMLoc L) const;
  json position(size_t Offset) const { return position(loc(Offset)); }
  json range(llvm::SMRange R) const;
  json range(size_t Begin, size_t End) const {
    return range(llvm::SMRange(loc(Begin), loc(End)));
  }
  /// {uri, range} for a range in any buffer of the compilation.
  json location(llvm::SMRange R) const;
  /// The URI of the buffer holding `L` (the document's for its own).
  std::string uriOf(llvm::SMLoc L) const;
  /// A position's line text, by 0-based line.
  llvm::StringRef lineText(unsigned Line) const;
  unsigned lineOf(size_t Offset) const; ///< 0-based

  // The tree.
  Cursor at(size_t Offset) const;
  /// The checked pea of a declaration in this document, if it has one.
  std::optional<PeaHandle> peaOf(const ast::PeaDecl &D) const;
  const PeaRegions &regions(PeaHandle H) const;

private:
  std::string Uri, Path;
  int64_t Version;
  PositionEncoding Encoding;
  std::unique_ptr<Compilation> C;
  std::vector<const Diagnostic *> Shown;
  llvm::StringRef Text;
  unsigned MainBuffer = 0;
  bool RuleGroup = false;
  std::vector<std::string> Groups;
  std::map<const ast::PeaDecl *, PeaHandle> PeaOfDecl;
  mutable std::map<std::pair<uint32_t, uint32_t>, PeaRegions> Regions;
};

/// Whether `Offset` lies in `R` (ends included: a cursor just after a word is
/// on it).
inline bool contains(const Analysis &A, llvm::SMRange R, size_t Offset) {
  return A.inMain(R.Start) && A.offsetOf(R.Start) <= Offset &&
         Offset <= A.offsetOf(R.End);
}

/// The LSP position of a request's params.
TextPosition positionParam(const json &Params);
/// An LSP Position object.
TextPosition positionFrom(const json &P);

} // namespace peapod::lsp


namespace peapod::lsp {

/// The pea declared as `Name` in `Pod` (the first, if declared twice).
const ast::PeaDecl *peaDeclNamed(const ast::PodDecl &Pod, llvm::StringRef Name);
/// The include site of `Pea` that the include rule `R` made (the first).
std::optional<uint32_t> includeSite(const Pea &P, const ast::Rule &R);
/// Whether site `Via` is `Site` or nested in it.
bool withinSite(const Pea &P, uint32_t Via, uint32_t Site);
/// The file rules of `P` (indices into FileRules) brought in by `Site`.
std::vector<uint32_t> rulesOfSite(const Pea &P, uint32_t Site);
/// "path '/etc' (mail.pea:9)" and the like: the deciding rule of an
/// explanation, as `peapodc query` names it.
std::string describeDecision(const Explanation &E);
/// Whether a name may be a pea's (the grammar's NAME, not `global`).
bool isValidPeaName(llvm::StringRef Name);

} // namespace peapod::lsp

#endif
