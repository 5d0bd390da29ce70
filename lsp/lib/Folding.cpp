//===- Folding.cpp - Pods, peas and runs of comment lines fold ------------===//
#include "Features.h"

namespace peapod::lsp {

json foldingRanges(const Analysis &A, const json &) {
  json Out = json::array();
  const ast::File *F = A.tree();
  if (!F)
    return Out;
  auto Fold = [&](llvm::SMRange R, const char *Kind) {
    if (!A.inMain(R.Start) || !A.inMain(R.End))
      return;
    unsigned First = A.lineOf(A.offsetOf(R.Start));
    unsigned Last = A.lineOf(A.offsetOf(R.End) ? A.offsetOf(R.End) - 1 : 0);
    if (Last <= First)
      return;
    json J = {{"startLine", First}, {"endLine", Last}};
    if (Kind)
      J["kind"] = Kind;
    Out.push_back(std::move(J));
  };
  for (const ast::PodDecl &Pod : F->Pods) {
    Fold(Pod.Range, nullptr);
    for (const ast::PeaDecl &Pea : Pod.Peas)
      Fold(Pea.Range, nullptr);
  }
  // Consecutive lines that hold only a comment.
  std::optional<std::pair<unsigned, unsigned>> Run;
  auto Flush = [&] {
    if (Run && Run->second > Run->first)
      Out.push_back(
          {{"startLine", Run->first}, {"endLine", Run->second}, {"kind", "comment"}});
    Run.reset();
  };
  for (llvm::SMRange C : F->Comments) {
    if (!A.inMain(C.Start))
      continue;
    unsigned Line = A.lineOf(A.offsetOf(C.Start));
    if (!A.lineText(Line).ltrim().startswith("#"))
      continue; // a trailing comment
    if (Run && Line == Run->second + 1) {
      Run->second = Line;
      continue;
    }
    Flush();
    Run = {Line, Line};
  }
  Flush();
  return Out;
}

} // namespace peapod::lsp
