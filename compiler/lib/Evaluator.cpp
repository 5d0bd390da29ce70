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

Explanation explain(const Policy &P, DecisionKind K, const ast::Rule &R) {
  return {K, R.Path, P.locate(R)};
}

/// Semantics 1: the shallowest `path ... deny` on X or an ancestor.
const ast::Rule *dominatingDeny(const Pea &Pea, llvm::StringRef X) {
  const ast::Rule *Best = nullptr;
  for (const ast::Rule *R : Pea.FileRules)
    if (R->Kind == ast::RuleKind::Path && R->Access == AccessNone &&
        pathCovers(R->Path, X) && (!Best || R->Path.size() < Best->Path.size()))
      Best = R;
  return Best;
}

/// Semantics 6: rules of one kind on one path merge by union, deny wins. The
/// explanation is the first deny if any, else the first rule.
struct Merged {
  uint8_t Access = AccessNone;
  const ast::Rule *Why = nullptr;
};

Merged mergeOnPath(const Pea &Pea, ast::RuleKind Kind, llvm::StringRef Path) {
  Merged M;
  const ast::Rule *FirstDeny = nullptr;
  for (const ast::Rule *R : Pea.FileRules) {
    if (R->Kind != Kind || R->Path != Path)
      continue;
    M.Access |= R->Access;
    if (!M.Why)
      M.Why = R;
    if (R->Access == AccessNone && !FirstDeny)
      FirstDeny = R;
  }
  if (FirstDeny)
    M = {AccessNone, FirstDeny};
  return M;
}

/// Semantics 3: the longest dir-default on X or an ancestor of X.
const ast::Rule *longestDirDefault(const Pea &Pea, llvm::StringRef X) {
  const ast::Rule *Best = nullptr;
  for (const ast::Rule *R : Pea.FileRules)
    if (R->Kind == ast::RuleKind::DirDefault && pathCovers(R->Path, X) &&
        (!Best || R->Path.size() > Best->Path.size()))
      Best = R;
  return Best;
}

/// Semantics 5: the first granting rule strictly below directory X.
const ast::Rule *grantBelow(const Pea &Pea, llvm::StringRef X) {
  for (const ast::Rule *R : Pea.FileRules)
    if (R->grants() && isProperAncestor(X, R->Path))
      return R;
  return nullptr;
}

} // namespace

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
  if (const ast::Rule *Deny = dominatingDeny(Pea, X))
    return {AccessNone, explain(P, DecisionKind::Path, *Deny)};

  PathAnswer A;
  bool FromGrantingDirDefault = false;
  Merged Exact = mergeOnPath(Pea, ast::RuleKind::Path, X);
  if (Exact.Why) {
    A = {Exact.Access, explain(P, DecisionKind::Path, *Exact.Why)};
  } else if (const ast::Rule *DD = longestDirDefault(Pea, X)) {
    Merged Def = mergeOnPath(Pea, ast::RuleKind::DirDefault, DD->Path);
    A = {Def.Access, explain(P, DecisionKind::DirDefault, *Def.Why)};
    FromGrantingDirDefault = Def.Access != AccessNone;
  }

  if (!IsDirectory)
    return A;
  if (FromGrantingDirDefault) {
    A.Access |= AccessExecute;
    return A;
  }
  if (const ast::Rule *Below = grantBelow(Pea, X)) {
    if (A.Access == AccessNone)
      A.Why = explain(P, DecisionKind::Implicit, *Below);
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
  const Transition *Best = nullptr;
  for (const Transition &T : Pea.Transitions)
    if (pathCovers(T.Source->Path, Program) &&
        (!Best || T.Source->Path.size() > Best->Source->Path.size()))
      Best = &T;
  if (Best) {
    llvm::StringRef Target = P.Pods[H.Pod].Peas[Best->TargetPea].Name;
    E.PeaAfter = Target.str();
    E.Transition = TransitionAnswer{Best->Source->Path, Target.str(),
                                    P.locate(*Best->Source)};
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
