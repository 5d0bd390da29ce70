//===- Evaluator.cpp - The reference evaluator ----------------------------===//
//
// Deliberately naive: each question is a scan over the pea's rules, written
// to read like the numbered semantics in docs/language.md. Speed comes from
// the image; this is what the image is checked against.
//
//===----------------------------------------------------------------------===//
#include "peapod/Evaluator.h"
#include "peapod/Path.h"

namespace peapod {

const char *decisionKindName(DecisionKind K) {
  switch (K) {
  case DecisionKind::Path:
    return "path";
  case DecisionKind::DirDefault:
    return "dir-default";
  case DecisionKind::Implicit:
    return "implicit";
  case DecisionKind::Default:
    return "default";
  }
  return "default";
}

namespace {

constexpr uint32_t None = UINT32_MAX;

/// Semantics 1: the shallowest `path ... deny` on X or an ancestor.
uint32_t dominatingDeny(const Pea &Pea, llvm::StringRef X) {
  uint32_t Best = None;
  for (uint32_t I = 0; I < Pea.FileRules.size(); ++I) {
    const ast::Rule *R = Pea.FileRules[I];
    if (R->Kind == ast::RuleKind::Path && R->Access == AccessNone &&
        pathCovers(R->Path, X) &&
        (Best == None || R->Path.size() < Pea.FileRules[Best]->Path.size()))
      Best = I;
  }
  return Best;
}

/// Semantics 6: rules of one kind on one path merge by union, deny wins. The
/// explanation is the first deny if any, else the first rule.
struct Merged {
  uint8_t Access = AccessNone;
  uint32_t Why = None;
  std::vector<uint32_t> Rules;
};

Merged mergeOnPath(const Pea &Pea, ast::RuleKind Kind, llvm::StringRef Path) {
  Merged M;
  uint32_t FirstDeny = None;
  for (uint32_t I = 0; I < Pea.FileRules.size(); ++I) {
    const ast::Rule *R = Pea.FileRules[I];
    if (R->Kind != Kind || R->Path != Path)
      continue;
    M.Access |= R->Access;
    M.Rules.push_back(I);
    if (M.Why == None)
      M.Why = I;
    if (R->Access == AccessNone && FirstDeny == None)
      FirstDeny = I;
  }
  if (FirstDeny != None) {
    M.Access = AccessNone;
    M.Why = FirstDeny;
  }
  return M;
}

/// Semantics 3: the longest dir-default on X or an ancestor of X.
uint32_t longestDirDefault(const Pea &Pea, llvm::StringRef X) {
  uint32_t Best = None;
  for (uint32_t I = 0; I < Pea.FileRules.size(); ++I) {
    const ast::Rule *R = Pea.FileRules[I];
    if (R->Kind == ast::RuleKind::DirDefault && pathCovers(R->Path, X) &&
        (Best == None || R->Path.size() > Pea.FileRules[Best]->Path.size()))
      Best = I;
  }
  return Best;
}

/// Semantics 5: the first granting rule strictly below directory X.
uint32_t grantBelow(const Pea &Pea, llvm::StringRef X) {
  for (uint32_t I = 0; I < Pea.FileRules.size(); ++I)
    if (Pea.FileRules[I]->grants() &&
        isProperAncestor(X, Pea.FileRules[I]->Path))
      return I;
  return None;
}

} // namespace

Explanation ReferenceEvaluator::explain(const Pea &Pea, DecisionKind K,
                                        uint32_t Rule) const {
  const ast::Rule &R = *Pea.FileRules[Rule];
  Explanation E{K, R.Path, P.locate(R), Rule, {}, {}};
  E.Merged = K == DecisionKind::Implicit ? std::vector<uint32_t>{Rule}
                                         : mergeOnPath(Pea, R.Kind, R.Path).Rules;
  for (const ast::Rule *Include : Pea.includeChain(Pea.FileRuleVia[Rule]))
    E.IncludeChain.push_back(P.locate(*Include));
  return E;
}

std::vector<std::string> ReferenceEvaluator::podNames() const {
  std::vector<std::string> Names;
  for (const Pod &Pod : P.Pods)
    Names.push_back(Pod.Name.str());
  return Names;
}

std::vector<std::string> ReferenceEvaluator::peaNames(uint32_t PodIndex) const {
  std::vector<std::string> Names;
  for (const Pea &Pea : P.Pods[PodIndex].Peas)
    Names.push_back(Pea.Name.str());
  return Names;
}

std::optional<PeaHandle> ReferenceEvaluator::findPea(llvm::StringRef Pod,
                                                     llvm::StringRef Pea) const {
  std::optional<uint32_t> PodIndex = P.findPod(Pod);
  if (!PodIndex)
    return std::nullopt;
  std::optional<uint32_t> PeaIndex = P.Pods[*PodIndex].findPea(Pea);
  if (!PeaIndex)
    return std::nullopt;
  return PeaHandle{*PodIndex, *PeaIndex};
}

PathAnswer ReferenceEvaluator::access(PeaHandle H, llvm::StringRef X,
                                      bool IsDirectory) const {
  const Pea &Pea = pea(H);
  if (uint32_t Deny = dominatingDeny(Pea, X); Deny != None)
    return {AccessNone, explain(Pea, DecisionKind::Path, Deny)};

  PathAnswer A;
  bool FromGrantingDirDefault = false;
  Merged Exact = mergeOnPath(Pea, ast::RuleKind::Path, X);
  if (Exact.Why != None) {
    A = {Exact.Access, explain(Pea, DecisionKind::Path, Exact.Why)};
  } else if (uint32_t DD = longestDirDefault(Pea, X); DD != None) {
    Merged Def =
        mergeOnPath(Pea, ast::RuleKind::DirDefault, Pea.FileRules[DD]->Path);
    A = {Def.Access, explain(Pea, DecisionKind::DirDefault, Def.Why)};
    FromGrantingDirDefault = Def.Access != AccessNone;
  }

  if (!IsDirectory)
    return A;
  if (FromGrantingDirDefault) {
    A.Access |= AccessExecute;
    return A;
  }
  if (uint32_t Below = grantBelow(Pea, X); Below != None) {
    if (A.Access == AccessNone)
      A.Why = explain(Pea, DecisionKind::Implicit, Below);
    A.Access |= AccessExecute;
  }
  return A;
}

ExecAnswer ReferenceEvaluator::exec(PeaHandle H, llvm::StringRef Program) const {
  const Pea &Pea = pea(H);
  ExecAnswer E;
  E.Access = access(H, Program, /*IsDirectory=*/false);
  E.Allowed = (E.Access.Access & AccessExecute) != 0;
  E.PeaAfter = Pea.Name.str();
  if (!E.Allowed)
    return E;
  uint32_t Best = None;
  for (uint32_t I = 0; I < Pea.Transitions.size(); ++I)
    if (pathCovers(Pea.Transitions[I].Source->Path, Program) &&
        (Best == None || Pea.Transitions[I].Source->Path.size() >
                             Pea.Transitions[Best].Source->Path.size()))
      Best = I;
  if (Best != None) {
    const Transition &T = Pea.Transitions[Best];
    llvm::StringRef Target = P.Pods[H.Pod].Peas[T.TargetPea].Name;
    E.PeaAfter = Target.str();
    E.Transition = TransitionAnswer{T.Source->Path, Target.str(),
                                    P.locate(*T.Source), Best};
  }
  return E;
}

bool ReferenceEvaluator::bind(PeaHandle H, Protocol Proto,
                              uint16_t Port) const {
  return pea(H).Bind.permits(Proto, Port);
}

bool ReferenceEvaluator::connect(PeaHandle H, Protocol Proto,
                                 uint16_t Port) const {
  return pea(H).Outgoing.permits(Proto, Port);
}

std::optional<bool> ReferenceEvaluator::touch(PeaHandle H,
                                              llvm::StringRef Target) const {
  std::optional<uint32_t> Q = P.Pods[H.Pod].findPea(Target);
  if (!Q)
    return std::nullopt;
  const Pea &Pea = pea(H);
  if (*Q == H.Pea || Pea.NamespaceGlobal)
    return true;
  for (uint32_t N : Pea.NamespacePeas)
    if (N == *Q)
      return true;
  return false;
}

} // namespace peapod
