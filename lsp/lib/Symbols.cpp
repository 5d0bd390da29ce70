//===- Symbols.cpp - The outline: pods and their peas ---------------------===//
#include "Features.h"

namespace peapod::lsp {

namespace {
// LSP SymbolKind values.
constexpr int SymbolModule = 2, SymbolClass = 5;

json symbol(const Analysis &A, const ast::Name &N, llvm::SMRange Whole,
            int Kind, const char *Detail) {
  json S = {{"name", N.Text.empty() ? "(unnamed)" : N.Text},
            {"detail", Detail},
            {"kind", Kind},
            {"range", A.range(Whole)},
            {"selectionRange", A.range(N.Range.Start.isValid() ? N.Range
                                                               : Whole)}};
  return S;
}
} // namespace

json documentSymbols(const Analysis &A, const json &) {
  json Out = json::array();
  const ast::File *F = A.tree();
  if (!F)
    return Out;
  for (const ast::PodDecl &Pod : F->Pods) {
    if (!A.inMain(Pod.Range.Start))
      continue;
    json S = symbol(A, Pod.PodName, Pod.Range, SymbolModule, "pod");
    S["children"] = json::array();
    for (const ast::PeaDecl &Pea : Pod.Peas)
      if (A.inMain(Pea.Range.Start))
        S["children"].push_back(
            symbol(A, Pea.PeaName, Pea.Range, SymbolClass, "pea"));
    Out.push_back(std::move(S));
  }
  return Out;
}

} // namespace peapod::lsp
