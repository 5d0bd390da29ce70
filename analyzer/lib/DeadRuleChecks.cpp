//===- DeadRuleChecks.cpp - A4xx: dead and redundant rules ----------------===//
//
// A rule is alive when some region's answer depends on it. Each region of
// a pea's tree names its deciding rule (the first of the rules merged on
// its path, semantics 6); a rule no region names decides nothing, unless
// it merges into a named rule on the same path or gives implicit search
// access (semantics 5) to a directory whose `path` rule lacks `execute`.
// Such rules are dead: shadowed by a `path ... deny` that dominates them
// (semantics 1), or granting nothing the pea does not already get.
//
//===----------------------------------------------------------------------===//
#include "Checks.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>

namespace peapod::analyzer {
namespace {

class DeadRuleChecker {
public:
  DeadRuleChecker(CheckContext &Ctx, uint32_t Pod, uint32_t PeaIndex)
      : Ctx(Ctx), P(Ctx.policy().Pods[Pod].Peas[PeaIndex]),
        T(Ctx.access(Pod).tree(PeaIndex)) {}

  void run() {
    if (Ctx.enabled(AnalyzerID::EmptyPea) && isEmpty())
      Ctx.report(AnalyzerID::EmptyPea, peaRange(P), {P.Name.str()});
    if (P.FileRules.empty())
      return;
    markNamed();
    groupRules();
    for (const Group &G : Groups)
      checkGroup(llvm::ArrayRef<uint32_t>(ByKey).slice(G.Begin, G.Size));
  }

private:
  bool isEmpty() const {
    return P.FileRules.empty() && P.Transitions.empty() && P.NetRules.empty() &&
           P.NamespaceRules.empty();
  }

  void markNamed() {
    Named.assign(P.FileRules.size(), false);
    for (const RegionNode &N : T.nodes())
      for (const Decision &D : N.Answers)
        if (D.Rule != NoRule)
          Named[D.Rule] = true;
  }

  /// Rules of one kind on one path merge (semantics 6): one group each,
  /// as a run of ByKey (rule indices sorted by kind, path, index); groups
  /// in the order of their first rule.
  void groupRules() {
    ByKey.resize(P.FileRules.size());
    for (uint32_t I = 0; I < ByKey.size(); ++I)
      ByKey[I] = I;
    std::sort(ByKey.begin(), ByKey.end(), [&](uint32_t A, uint32_t B) {
      return keyLess(A, B) || (!keyLess(B, A) && A < B);
    });
    for (uint32_t I = 0; I < ByKey.size();) {
      uint32_t J = I + 1;
      while (J < ByKey.size() && !keyLess(ByKey[I], ByKey[J]))
        ++J;
      Groups.push_back({I, J - I, ByKey[I]});
      I = J;
    }
    std::sort(Groups.begin(), Groups.end(),
              [](const Group &A, const Group &B) { return A.First < B.First; });
  }

  bool keyLess(uint32_t A, uint32_t B) const {
    const ast::Rule &RA = *P.FileRules[A], &RB = *P.FileRules[B];
    if (RA.Kind != RB.Kind)
      return RA.Kind < RB.Kind;
    return RA.Path < RB.Path;
  }

  /// The rules of kind `K` on `Path`, in pea order (empty if none).
  llvm::ArrayRef<uint32_t> rulesOn(ast::RuleKind K,
                                   llvm::StringRef Path) const {
    auto Less = [&](uint32_t I, std::pair<ast::RuleKind, llvm::StringRef> Key) {
      const ast::Rule &R = *P.FileRules[I];
      return R.Kind != Key.first ? R.Kind < Key.first
                                 : llvm::StringRef(R.Path) < Key.second;
    };
    auto Lo = std::lower_bound(ByKey.begin(), ByKey.end(),
                               std::make_pair(K, Path), Less);
    auto Hi = Lo;
    while (Hi != ByKey.end() && P.FileRules[*Hi]->Kind == K &&
           P.FileRules[*Hi]->Path == Path)
      ++Hi;
    return llvm::ArrayRef<uint32_t>(&*Lo, Hi - Lo);
  }

  const ast::Rule &rule(uint32_t I) const { return *P.FileRules[I]; }
  bool inPea(uint32_t I) const { return P.FileRuleVia[I] == NotIncluded; }

  void checkGroup(llvm::ArrayRef<uint32_t> G) {
    llvm::SmallVector<uint32_t, 4> Denies, Grants;
    uint8_t Granted = AccessNone;
    bool AnyNamed = false;
    for (uint32_t I : G) {
      (rule(I).Access == AccessNone ? Denies : Grants).push_back(I);
      Granted |= rule(I).Access;
      AnyNamed |= Named[I];
    }
    if (!Denies.empty() && !Grants.empty()) {
      reportMergedDeny(Denies.front(), Grants, Granted);
      return;
    }
    if (!AnyNamed && !givesImplicitSearch(G.front())) {
      for (uint32_t I : G)
        reportDead(I);
      return;
    }
    if (Ctx.enabled(AnalyzerID::RedundantRule) && inPea(G.front()) &&
        sameAsFallback(G.front(), Granted)) {
      DiagnosticBuilder B =
          Ctx.report(AnalyzerID::RedundantRule, rule(G.front()).Range,
                     {rule(G.front()).Path, P.Name.str()});
      B.note(diagInfo(AnalyzerID::NoteDetail), llvm::SMRange(),
             {"without it, '" + rule(G.front()).Path + "' gets the same " +
              accessString(Granted) + " from the rules around it"});
      if (G.size() == 1)
        Ctx.fixRemove(B, rule(G.front()));
      return;
    }
    // Alive: a member adding nothing to those before it is redundant.
    uint8_t Before = AccessNone;
    for (size_t K = 0; K < G.size(); ++K) {
      uint32_t I = G[K];
      if (K > 0 && (rule(I).Access & ~Before) == 0 && inPea(I) &&
          Ctx.enabled(AnalyzerID::RedundantRule)) {
        DiagnosticBuilder B =
            Ctx.report(AnalyzerID::RedundantRule, rule(I).Range,
                       {rule(I).Path, P.Name.str()});
        B.note(diagInfo(AnalyzerID::NoteDetail), rule(G[0]).Range,
               {"the same access is already granted on the same path here"});
        Ctx.fixRemove(B, rule(I));
      }
      Before |= rule(I).Access;
    }
  }

  /// Whether the group at rule I's path, granting `Granted`, only repeats
  /// what its path would get without it: a `dir-default` repeating the
  /// next one above it (or a deny repeating the default), a granting
  /// `path` repeating the `dir-default` that covers its path.
  bool sameAsFallback(uint32_t I, uint8_t Granted) const {
    const ast::Rule &R = rule(I);
    PeaRegions::Place Pl = T.find(R.Path);
    const RegionNode &N = T.node(Pl.Node);
    if (!Pl.Exact || N.Parent == NoRule)
      return false;
    if (R.Kind == ast::RuleKind::DirDefault) {
      // Fresh children of the parent fall back exactly as X's region would.
      const Decision &F = T.node(N.Parent).Answers[BelowFile];
      return (F.Kind == DecisionKind::DirDefault ||
              F.Kind == DecisionKind::Default) &&
             F.Access == Granted;
    }
    if (!R.grants())
      return false; // a path deny also shuts everything below it
    // The dir-default on X itself, else the parent's fresh-child answer.
    uint8_t Fallback;
    bool FallbackGrants;
    llvm::ArrayRef<uint32_t> OnX = rulesOn(ast::RuleKind::DirDefault, R.Path);
    if (!OnX.empty()) {
      Fallback = AccessNone;
      for (uint32_t J : OnX)
        Fallback |= rule(J).Access;
      for (uint32_t J : OnX)
        if (rule(J).Access == AccessNone)
          Fallback = AccessNone;
      FallbackGrants = Fallback != AccessNone;
    } else {
      const Decision &F = T.node(N.Parent).Answers[BelowFile];
      if (F.Kind == DecisionKind::Path)
        return false;
      Fallback = F.Access;
      FallbackGrants = F.Kind == DecisionKind::DirDefault && F.Access;
    }
    if (Fallback != Granted)
      return false;
    // As a directory: a granting dir-default adds `execute`; the path rule
    // does only when something below grants.
    return (Granted & AccessExecute) || !FallbackGrants ||
           (N.Answers[AtDir].Access & AccessExecute);
  }

  /// Whether a granting rule gives some directory above it its only
  /// `execute`: a directory whose own `path` rule lacks it.
  bool givesImplicitSearch(uint32_t I) const {
    if (!rule(I).grants())
      return false;
    PeaRegions::Place Pl = T.find(rule(I).Path);
    for (uint32_t N = T.node(Pl.Node).Parent; N != NoRule;
         N = T.node(N).Parent) {
      const Decision &D = T.node(N).Answers[AtDir];
      if (D.Kind == DecisionKind::Path && D.Rule != NoRule &&
          !(rule(D.Rule).Access & AccessExecute) && (D.Access & AccessExecute))
        return true;
    }
    return false;
  }

  void reportDead(uint32_t I) {
    if (!inPea(I))
      return; // a rule group's rule may be alive in the peas that need it
    const ast::Rule &R = rule(I);
    Decision D = T.decide(R.Path, R.Kind == ast::RuleKind::DirDefault);
    bool Shadowed = D.Kind == DecisionKind::Path && D.Access == AccessNone &&
                    D.Rule != NoRule && D.Rule != I &&
                    rule(D.Rule).Kind == ast::RuleKind::Path;
    AnalyzerID ID =
        Shadowed ? AnalyzerID::ShadowedRule : AnalyzerID::RedundantRule;
    if (!Ctx.enabled(ID))
      return;
    std::vector<std::string> Args = {R.Path, P.Name.str()};
    if (Shadowed)
      Args.push_back(rule(D.Rule).Path);
    DiagnosticBuilder B = Ctx.report(ID, R.Range, Args);
    if (Shadowed)
      Ctx.noteDecision(B, P, D, quote(R.Path));
    Ctx.fixRemove(B, R);
  }

  void reportMergedDeny(uint32_t Deny, llvm::ArrayRef<uint32_t> Grants,
                        uint8_t Granted) {
    if (!Ctx.enabled(AnalyzerID::DenyMergedWithGrant))
      return;
    const ast::Rule &R = rule(Deny);
    DiagnosticBuilder B = Ctx.report(AnalyzerID::DenyMergedWithGrant, R.Range,
                                     {ast::ruleKeyword(R.Kind), R.Path,
                                      accessString(Granted), P.Name.str()});
    Ctx.noteInclude(B, P, P.FileRuleVia[Deny]);
    for (uint32_t G : Grants) {
      B.note(diagInfo(AnalyzerID::NoteDetail), rule(G).Range,
             {"granted here, and cancelled"});
      Ctx.noteInclude(B, P, P.FileRuleVia[G]);
    }
  }

  CheckContext &Ctx;
  const Pea &P;
  const PeaRegions &T;
  std::vector<bool> Named;
  struct Group {
    uint32_t Begin, Size; ///< the run in ByKey
    uint32_t First;       ///< its first rule in pea order
  };
  std::vector<uint32_t> ByKey;
  std::vector<Group> Groups;
};

} // namespace

void checkDeadRules(CheckContext &Ctx) {
  const Policy &Pol = Ctx.policy();
  for (uint32_t Pod = 0; Pod < Pol.Pods.size(); ++Pod)
    for (uint32_t P = 0; P < Pol.Pods[Pod].Peas.size(); ++P)
      DeadRuleChecker(Ctx, Pod, P).run();
}

} // namespace peapod::analyzer
