//===- InlayHints.cpp - The access a pea really ends up with at a rule ----===//
//
// After each `path` and `dir-default` rule, `→ r-x`: the final answer of the
// semantics at that path (for a dir-default, for a file below it), from the
// pea's region tree (Regions.h), which is exact, not sampled. An include, a
// deny or a merged rule elsewhere can make it differ from what is written;
// the tooltip names the deciding rule.
//
//===----------------------------------------------------------------------===//
#include "Features.h"

namespace peapod::lsp {

namespace {

std::string decidingRule(const Pea &P, const Decision &D) {
  if (D.Kind == DecisionKind::Default || D.Rule == NoRule)
    return "default deny: no rule covers it";
  const ast::Rule &R = *P.FileRules[D.Rule];
  std::string S = D.Kind == DecisionKind::Implicit
                      ? "implicit search access, for `" + R.Path + "`"
                      : "`" + std::string(ast::ruleKeyword(R.Kind)) + " " +
                            R.Path + "`";
  if (P.FileRuleVia[D.Rule] != NotIncluded)
    S += " (included)";
  return S;
}

} // namespace

json inlayHints(const Analysis &A, const json &Params) {
  json Out = json::array();
  const ast::File *F = A.tree();
  if (!F)
    return Out;
  size_t Begin = 0, End = A.text().size();
  if (Params.contains("range"))
    std::tie(Begin, End) = A.offsets(Params["range"]);
  for (const ast::PodDecl &Pod : F->Pods)
    for (const ast::PeaDecl &Decl : Pod.Peas) {
      std::optional<PeaHandle> H = A.peaOf(Decl);
      if (!H || !A.inMain(Decl.Range.Start) ||
          A.offsetOf(Decl.Range.End) < Begin ||
          A.offsetOf(Decl.Range.Start) > End)
        continue;
      const Pea &P = A.policy().Pods[H->Pod].Peas[H->Pea];
      const PeaRegions &Tree = A.regions(*H);
      for (const ast::Rule &R : Decl.Rules) {
        if (R.Broken || !R.isFileRule() || !A.inMain(R.Range.End))
          continue;
        size_t At = A.offsetOf(R.Range.End);
        if (At < Begin || At > End)
          continue;
        PeaRegions::Place Place = Tree.find(R.Path);
        if (!Place.Exact)
          continue;
        bool Dir = R.Kind == ast::RuleKind::DirDefault;
        const Decision &D = Tree.node(Place.Node).Answers[Dir ? BelowFile : AtFile];
        Out.push_back({{"position", A.position(At)},
                       {"label", "→ " + accessString(D.Access)},
                       {"paddingLeft", true},
                       {"tooltip", std::string(Dir ? "files below: " : "") +
                                       accessString(D.Access) +
                                       ", decided by " + decidingRule(P, D)}});
      }
    }
  return Out;
}

} // namespace peapod::lsp
