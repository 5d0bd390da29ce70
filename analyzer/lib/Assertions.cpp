//===- Assertions.cpp - Checking the configuration's assertions -----------===//
#include "peapod/analyzer/Assertions.h"
#include "peapod/Compilation.h"
#include "peapod/Regions.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/EffectiveAccess.h"
#include "peapod/analyzer/TransitionGraph.h"

namespace peapod::analyzer {

namespace {

/// What a pea has that an assertion forbids, and the rule that gives it.
struct Violation {
  AnalyzerID ID;
  std::string Verb;   ///< "write", "bind", ...
  std::string Object; ///< "'/usr/bin/x'", "anything under '/usr'", "tcp/25"
  const ast::Rule *Rule = nullptr;
  uint32_t Via = NotIncluded; ///< the include site the rule came through
};

bool matchesName(llvm::StringRef Written, llvm::StringRef Pod,
                 llvm::StringRef Pea) {
  auto [First, Second] = Written.split('/');
  return Second.empty() ? First == Pea : First == Pod && Second == Pea;
}

bool anyName(const std::vector<std::string> &Names, llvm::StringRef Pod,
             llvm::StringRef Pea) {
  for (const std::string &N : Names)
    if (matchesName(N, Pod, Pea))
      return true;
  return false;
}

bool selected(const PeaSelector &S, const Pod &Pd, const Pea &P) {
  if (anyName(S.Except, Pd.Name, P.Name))
    return false;
  switch (S.K) {
  case PeaSelector::All:
    return true;
  case PeaSelector::NetworkFacing:
    return isNetworkFacing(P);
  case PeaSelector::Named:
    return anyName(S.Names, Pd.Name, P.Name);
  }
  return false;
}

/// Checks the peas of one pod, building each pea's regions once.
class PodChecker {
public:
  PodChecker(Compilation &C, const Pod &Pd, std::vector<llvm::StringRef> Extra)
      : C(C), Pd(Pd), Extra(std::move(Extra)), Trees(Pd.Peas.size()) {}

  void check(const Assertion &A);

private:
  const PeaRegions &regions(uint32_t Pea) {
    if (!Trees[Pea])
      Trees[Pea] = std::make_unique<PeaRegions>(
          PeaRegions::build(Pd.Peas[Pea], Extra));
    return *Trees[Pea];
  }
  std::optional<Violation> violation(uint32_t Pea, const Forbidden &F);
  std::optional<Violation> accessViolation(uint32_t Pea, const Forbidden &F);
  std::optional<Violation> networkViolation(uint32_t Pea, const Forbidden &F);
  /// The pod's transitions, each edge firing only if its source pea can
  /// execute a program the transition governs; built when first needed.
  const TransitionGraph &graph();
  void checkReach(const Assertion &A, uint32_t Pea);
  void report(const Assertion &A, uint32_t Pea, const Violation &V);
  void notePlace(DiagnosticBuilder &B, const Pea &P, const Violation &V);

  Compilation &C;
  const Pod &Pd;
  std::vector<llvm::StringRef> Extra;
  std::vector<std::unique_ptr<PeaRegions>> Trees;
  std::optional<TransitionGraph> Graph;
};

void PodChecker::check(const Assertion &A) {
  for (uint32_t I = 0; I < Pd.Peas.size(); ++I) {
    if (!selected(A.Peas, Pd, Pd.Peas[I]))
      continue;
    if (A.Never.K == Forbidden::Reach)
      checkReach(A, I);
    else if (std::optional<Violation> V = violation(I, A.Never))
      report(A, I, *V);
  }
}

std::optional<Violation> PodChecker::violation(uint32_t Pea,
                                               const Forbidden &F) {
  const struct Pea &P = Pd.Peas[Pea];
  switch (F.K) {
  case Forbidden::Access:
    return accessViolation(Pea, F);
  case Forbidden::Bind:
  case Forbidden::Outgoing:
    return networkViolation(Pea, F);
  case Forbidden::NamespaceGlobal:
    for (const PeaRule &R : P.NamespaceRules)
      if (R.Rule->Target.Text == "global")
        return Violation{AnalyzerID::AssertionNamespace, "", "", R.Rule,
                         R.Via};
    return std::nullopt;
  case Forbidden::Reach:
    break;
  }
  return std::nullopt;
}

std::optional<Violation> PodChecker::accessViolation(uint32_t Pea,
                                                     const Forbidden &F) {
  const PeaRegions &R = regions(Pea);
  const struct Pea &P = Pd.Peas[Pea];
  const char *Verb = F.Mask == AccessRead    ? "read"
                     : F.Mask == AccessWrite ? "write"
                                             : "execute";
  // F.Path is one of the extra paths, so it is a node and the first region
  // visited is F.Path itself: the witness is the shallowest region.
  std::optional<Violation> Found;
  forEachRegionUnder(R, F.Path,
                     [&](uint32_t Node, RegionSlot Slot, const Decision &D) {
                       if (Found || !(D.Access & F.Mask) || D.Rule == NoRule)
                         return;
                       Found = Violation{AnalyzerID::AssertionAccess, Verb,
                                         regionText(R.path(Node), Slot),
                                         P.FileRules[D.Rule],
                                         P.FileRuleVia[D.Rule]};
                     });
  return Found;
}

std::optional<Violation> PodChecker::networkViolation(uint32_t Pea,
                                                      const Forbidden &F) {
  const struct Pea &P = Pd.Peas[Pea];
  bool IsBind = F.K == Forbidden::Bind;
  const NetPolicy &Net = IsBind ? P.Bind : P.Outgoing;
  if (Net.DenyAll)
    return std::nullopt;
  ast::RuleKind Kind = IsBind ? ast::RuleKind::Bind : ast::RuleKind::Outgoing;
  const char *Verb = IsBind ? "bind" : "connect to";
  for (const PeaRule &R : P.NetRules) {
    if (R.Rule->Kind != Kind)
      continue;
    if (R.Rule->NetAllowAll)
      return Violation{AnalyzerID::AssertionNetwork, Verb,
                       F.Ports ? portRangeString(*F.Ports) : "any port",
                       R.Rule, R.Via};
    for (const PortRange &Open : R.Rule->Ports) {
      if (!F.Ports)
        return Violation{AnalyzerID::AssertionNetwork, Verb,
                         portRangeString(Open), R.Rule, R.Via};
      if (Open.Proto != F.Ports->Proto || Open.High < F.Ports->Low ||
          F.Ports->High < Open.Low)
        continue;
      PortRange Both{Open.Proto, std::max(Open.Low, F.Ports->Low),
                     std::min(Open.High, F.Ports->High)};
      return Violation{AnalyzerID::AssertionNetwork, Verb,
                       portRangeString(Both), R.Rule, R.Via};
    }
  }
  return std::nullopt;
}

const TransitionGraph &PodChecker::graph() {
  if (!Graph)
    Graph = TransitionGraph::build(Pd, {}, [&](const TransitionEdge &E) {
      return transitionFires(regions(E.Source), E);
    });
  return *Graph;
}

void PodChecker::checkReach(const Assertion &A, uint32_t Start) {
  const TransitionGraph &G = graph();
  // Breadth first: the chain reported into each pea is a shortest one.
  TransitionGraph::Reach R = G.reachFrom(Start);
  for (uint32_t Target : R.Order) {
    if (Target == Start)
      continue;
    std::optional<Violation> V = violation(Target, *A.Never.Target);
    if (!V)
      continue;
    std::vector<uint32_t> Chain = G.chain(R, Target);
    const Pea &First = Pd.Peas[Start];
    std::string What =
        V->ID == AnalyzerID::AssertionNamespace
            ? "has 'namespace global'"
            : "can " + V->Verb + " " + V->Object;
    auto B = C.diags().report(diagInfo(AnalyzerID::AssertionReach),
                              G.edge(Chain.front()).Rule->Source->Range,
                              {A.Name, First.Name.str(),
                               Pd.Peas[Target].Name.str(), What});
    for (uint32_t E : Chain) {
      const TransitionEdge &Hop = G.edge(E);
      B.note(diagInfo(AnalyzerID::NoteExecHop), Hop.Rule->Source->Range,
             {Pd.Peas[Hop.Source].Name.str(), Hop.path().str(),
              Pd.Peas[Hop.Target].Name.str()});
    }
    B.note(diagInfo(AnalyzerID::NoteDetail), V->Rule->Range,
           {"pea " + quote(Pd.Peas[Target].Name) + " " + What +
            " by this rule"});
  }
}

void PodChecker::notePlace(DiagnosticBuilder &B, const Pea &P,
                           const Violation &V) {
  std::vector<const ast::Rule *> Chain = P.includeChain(V.Via);
  if (Chain.empty())
    return;
  // The rule is in a rule group: say which include brought it into the pea.
  B.note(diagInfo(AnalyzerID::NoteDetail), Chain.front()->Range,
         {"included into pea " + quote(P.Name) + " here"});
}

void PodChecker::report(const Assertion &A, uint32_t Pea, const Violation &V) {
  const struct Pea &P = Pd.Peas[Pea];
  std::vector<std::string> Args = {A.Name, P.Name.str()};
  if (V.ID != AnalyzerID::AssertionNamespace) {
    Args.push_back(V.Verb);
    Args.push_back(V.Object);
  }
  auto B = C.diags().report(diagInfo(V.ID), V.Rule->Range, std::move(Args));
  notePlace(B, P, V);
}

/// The paths the access assertions name, which every pea's regions need
/// nodes for.
void collectPaths(const Forbidden &F, std::vector<llvm::StringRef> &Out) {
  if (F.K == Forbidden::Access)
    Out.push_back(F.Path);
  else if (F.K == Forbidden::Reach)
    collectPaths(*F.Target, Out);
}

} // namespace

void checkAssertions(Compilation &C, llvm::ArrayRef<Assertion> Assertions) {
  if (Assertions.empty())
    return;
  std::vector<llvm::StringRef> Extra;
  for (const Assertion &A : Assertions)
    collectPaths(A.Never, Extra);
  for (const Pod &Pd : C.policy().Pods) {
    PodChecker Checker(C, Pd, Extra);
    for (const Assertion &A : Assertions)
      Checker.check(A);
  }
}

} // namespace peapod::analyzer
