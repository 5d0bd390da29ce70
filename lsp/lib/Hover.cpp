//===- Hover.cpp - What a rule grants, what a pea is, where an include goes ===//
//
// A rule's hover answers the question `peapodc query` answers for its path,
// with the same explanation (the deciding rule, the rules merged into the
// answer, the include chain): the access the pea really ends up with there,
// which an include or a deny elsewhere may make differ from what is written.
//
//===----------------------------------------------------------------------===//
#include "Features.h"
#include "peapod/Evaluator.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::lsp {

namespace {

/// A path below `Dir` that no rule names: what a dir-default governs.
std::string freshChild(llvm::StringRef Dir) {
  return (Dir == "/" ? std::string("/") : Dir.str() + "/") + "\x01";
}

std::string writtenAccess(const ast::Rule &R) {
  return R.Access == AccessNone ? "deny" : accessString(R.Access);
}

std::string explainAnswer(const Pea &P, const PathAnswer &A) {
  std::string S = "decided by " + describeDecision(A.Why);
  if (A.Why.Merged.size() > 1)
    S += ", merged with " + std::to_string(A.Why.Merged.size() - 1) +
         " other rule" + (A.Why.Merged.size() > 2 ? "s" : "") +
         " on the same path";
  if (!A.Why.IncludeChain.empty()) {
    S += ", included through";
    for (const RuleLocation &L : A.Why.IncludeChain)
      S += " " + L.File + ":" + std::to_string(L.Line);
  }
  (void)P;
  return S;
}

std::string fileRuleHover(const Analysis &A, const Cursor &K) {
  const ast::Rule &R = *K.Rule;
  ReferenceEvaluator E(A.policy());
  PeaHandle H{K.PodIndex, K.PeaIndex};
  bool Dir = R.Kind == ast::RuleKind::DirDefault;
  PathAnswer Ans = E.access(H, Dir ? freshChild(R.Path) : R.Path, false);
  std::string S = "**" + std::string(ast::ruleKeyword(R.Kind)) + "** `" +
                  R.Path + "` — written `" + writtenAccess(R) + "`\n\n";
  S += std::string(Dir ? "Files below it" : "This path") + ": **" +
       accessString(Ans.Access) + "** for pea `" + K.InPea->Name.str() +
       "`, " + explainAnswer(*K.InPea, Ans) + ".";
  if (!Dir) {
    PathAnswer AsDir = E.access(H, R.Path, true);
    if (AsDir.Access != Ans.Access)
      S += "\n\nAs a directory: **" + accessString(AsDir.Access) + "**, " +
           explainAnswer(*K.InPea, AsDir) + ".";
  }
  if (Ans.Access != R.Access)
    S += "\n\nThe effective access differs from what this rule writes.";
  return S;
}

std::string transitionHover(const Analysis &A, const Cursor &K) {
  const ast::Rule &R = *K.Rule;
  ReferenceEvaluator E(A.policy());
  ExecAnswer X = E.exec({K.PodIndex, K.PeaIndex}, R.Path);
  std::string S = "**transition** `" + R.Path + "` → pea `" + R.Target.Text +
                  "`\n\n";
  if (X.Allowed)
    S += "The trigger is executable (`" + accessString(X.Access.Access) +
         "`, " + explainAnswer(*K.InPea, X.Access) +
         "): running it moves the process into pea `" + X.PeaAfter + "`.";
  else
    S += "**The trigger is not executable** by pea `" + K.InPea->Name.str() +
         "` (`" + accessString(X.Access.Access) + "`, " +
         explainAnswer(*K.InPea, X.Access) +
         "), so the transition never happens: add `path " + R.Path +
         " read, execute`.";
  return S;
}


std::string peaHover(const Analysis &A, uint32_t PodIndex, uint32_t PeaIndex) {
  const Pod &Pod = A.policy().Pods[PodIndex];
  const Pea &P = Pod.Peas[PeaIndex];
  size_t Included = std::count_if(P.FileRuleVia.begin(), P.FileRuleVia.end(),
                                  [](uint32_t V) { return V != NotIncluded; });
  std::string S = "**pea** `" + P.Name.str() + "` in pod `" + Pod.Name.str() +
                  "`\n\n";
  S += "- " + std::to_string(P.FileRules.size()) + " file rules (" +
       std::to_string(Included) + " from " + std::to_string(P.Includes.size()) +
       " includes)\n";
  S += "- bind: " + netPolicyString(P.Bind) +
       "; outgoing: " + netPolicyString(P.Outgoing) + "\n";
  for (const Transition &T : P.Transitions)
    S += "- transition out: `" + T.Source->Path + "` → `" +
         Pod.Peas[T.TargetPea].Name.str() + "`\n";
  for (const Pea &From : Pod.Peas)
    for (const Transition &T : From.Transitions)
      if (T.TargetPea == PeaIndex)
        S += "- transition in: from `" + From.Name.str() + "` on `" +
             T.Source->Path + "`\n";
  if (P.NamespaceGlobal)
    S += "- namespace: global\n";
  for (uint32_t N : P.NamespacePeas)
    S += "- namespace: `" + Pod.Peas[N].Name.str() + "`\n";
  return S;
}

std::string includeHover(const Analysis &A, const Cursor &K) {
  const ast::Rule &R = *K.Rule;
  std::string File = includedFile(A, K.InPea, R);
  std::string S = "**include** `\"" + R.Target.Text + "\"`\n\n";
  if (File.empty())
    return S + "Not resolved: see the diagnostics.";
  S += "Resolves to " + File + "\n\n";
  if (!K.InPea)
    return S;
  std::optional<uint32_t> Site = includeSite(*K.InPea, R);
  if (!Site)
    return S;
  std::vector<uint32_t> Rules = rulesOfSite(*K.InPea, *Site);
  S += "Grants " + std::to_string(Rules.size()) + " file rules";
  S += Rules.empty() ? "." : ":\n\n";
  constexpr size_t Shown = 20;
  for (size_t I = 0; I < Rules.size() && I < Shown; ++I) {
    const ast::Rule &G = *K.InPea->FileRules[Rules[I]];
    S += "- `" + std::string(ast::ruleKeyword(G.Kind)) + " " + G.Path + " " +
         writtenAccess(G) + "`\n";
  }
  if (Rules.size() > Shown)
    S += "- and " + std::to_string(Rules.size() - Shown) + " more\n";
  return S;
}

} // namespace

/// The file an include of pea `P` resolved to: the buffer its rules are
/// in, or the buffer the compilation read for it.
std::string includedFile(const Analysis &A, const Pea *P, const ast::Rule &R) {
  const Compilation &C = A.compilation();
  const llvm::SourceMgr &SM = C.sourceMgr();
  if (P)
    if (std::optional<uint32_t> Site = includeSite(*P, R)) {
      for (uint32_t I = 0; I < P->Includes.size(); ++I)
        if (P->Includes[I].Parent == *Site)
          return A.uriOf(P->Includes[I].Include->Range.Start);
      for (uint32_t I : rulesOfSite(*P, *Site))
        return A.uriOf(P->FileRules[I]->Range.Start);
    }
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID)
    if (SM.getBufferInfo(ID).IncludeLoc == R.Range.Start)
      return A.uriOf(
          llvm::SMLoc::getFromPointer(SM.getMemoryBuffer(ID)->getBufferStart()));
  return "";
}

json hover(const Analysis &A, const json &Params) {
  size_t Offset = A.offset(positionParam(Params));
  Cursor K = A.at(Offset);
  std::string Text;
  llvm::SMRange Range;
  if (K.Name && K.PeaDecl && K.Name == &K.PeaDecl->PeaName && K.InPea) {
    Text = peaHover(A, K.PodIndex, K.PeaIndex);
    Range = K.Name->Range;
  } else if (K.Rule && K.Rule->Broken) {
    return nullptr;
  } else if (K.Name && K.Rule && K.InPod &&
             (K.Rule->Kind == ast::RuleKind::Transition ||
              K.Rule->Kind == ast::RuleKind::Namespace)) {
    std::optional<uint32_t> Target = K.InPod->findPea(K.Name->Text);
    if (!Target)
      return nullptr;
    Text = peaHover(A, K.PodIndex, *Target);
    Range = K.Name->Range;
  } else if (K.Rule && K.Rule->Kind == ast::RuleKind::Include) {
    Text = includeHover(A, K);
    Range = K.Rule->Range;
  } else if (K.Rule && K.InPea && K.Rule->isFileRule()) {
    Text = fileRuleHover(A, K);
    Range = K.Rule->Range;
  } else if (K.Rule && K.InPea && K.Rule->Kind == ast::RuleKind::Transition) {
    Text = transitionHover(A, K);
    Range = K.Rule->Range;
  } else if (K.Rule && K.InPea && (K.Rule->Kind == ast::RuleKind::Bind ||
                                   K.Rule->Kind == ast::RuleKind::Outgoing)) {
    const NetPolicy &N = K.Rule->Kind == ast::RuleKind::Bind ? K.InPea->Bind
                                                             : K.InPea->Outgoing;
    Text = "**" + std::string(ast::ruleKeyword(K.Rule->Kind)) +
           "**: pea `" + K.InPea->Name.str() + "` may " +
           (K.Rule->Kind == ast::RuleKind::Bind ? "bind" : "connect to") +
           ": " + netPolicyString(N) + " (every such rule of the pea merged).";
    Range = K.Rule->Range;
  } else {
    return nullptr;
  }
  return {{"contents", {{"kind", "markdown"}, {"value", Text}}},
          {"range", A.range(Range)}};
}

} // namespace peapod::lsp
