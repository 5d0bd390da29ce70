//===- Features.h - The language features, one file each -------*- C++ -*-===//
//
// Each feature is a function from an Analysis (and the request's params) to
// the result the protocol defines; the server (Server.cpp) only dispatches.
// Files: Diagnostics.cpp, Hover.cpp, Definition.cpp (definition and
// references), Rename.cpp, Symbols.cpp (documentSymbol), Folding.cpp,
// Formatting.cpp, InlayHints.cpp, Completion.cpp, SemanticTokens.cpp,
// CodeActions.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_LSP_FEATURES_H
#define PEAPOD_LSP_FEATURES_H

#include "Analysis.h"
#include "Configuration.h"

namespace peapod::lsp {

/// publishDiagnostics' `diagnostics` for the document.
json diagnostics(const Analysis &A, const ServerConfig &Config);

json hover(const Analysis &A, const json &Params);
json definition(const Analysis &A, const json &Params);
json references(const Analysis &A, const json &Params);
json prepareRename(const Analysis &A, const json &Params);
json rename(const Analysis &A, const json &Params);
json documentSymbols(const Analysis &A, const json &Params);
json foldingRanges(const Analysis &A, const json &Params);
json formatting(const Analysis &A, const json &Params);
json rangeFormatting(const Analysis &A, const json &Params);
json inlayHints(const Analysis &A, const json &Params);
json completion(const Analysis &A, const json &Params,
                const ServerConfig &Config);
json semanticTokens(const Analysis &A, const json &Params);
json codeActions(const Analysis &A, const json &Params);

/// A pea name under the cursor: its declaration's or a use's.
struct PeaReference {
  const ast::PodDecl *Pod;
  std::string Name;
  const ast::Name *At;
};
std::optional<PeaReference> peaAt(const Analysis &A, size_t Offset);
/// Every use of pea `Name` in `Pod` (transition and namespace targets), and
/// with `Declarations` its declarations, in source order by pea.
std::vector<const ast::Name *> peaOccurrences(const ast::PodDecl &Pod,
                                              llvm::StringRef Name,
                                              bool Declarations);
/// The URI of the file an include rule of pea `P` resolved to; "" if none.
std::string includedFile(const Analysis &A, const Pea *P, const ast::Rule &R);

/// The token types and modifiers semanticTokens uses, for the legend.
json semanticTokensLegend();

} // namespace peapod::lsp

#endif
