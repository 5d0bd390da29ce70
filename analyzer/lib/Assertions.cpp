//===- Assertions.cpp - Checking the configuration's assertions -----------===//
#include "peapod/analyzer/Assertions.h"
#include "peapod/Compilation.h"
#include "peapod/Regions.h"
#include "peapod/TextEscape.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/EffectiveAccess.h"
#include <deque>
#include <map>

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

/// One exec from a pea into another: the transition and a program that
/// takes it.
struct Hop {
  uint32_t From = 0, Transition = 0;
  std::string Program;
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

std::string quoted(llvm::StringRef Path) {
  return "'" + escapeForTerminal(Path) + "'";
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
  /// The transitions pea `Pea` can take (it can execute a program that the
  /// transition covers), each with such a program.
  std::vector<Hop> hops(uint32_t Pea);
  void checkReach(const Assertion &A, uint32_t Pea);
  void report(const Assertion &A, uint32_t Pea, const Violation &V);
  void notePlace(DiagnosticBuilder &B, const Pea &P, const Violation &V);

  Compilation &C;
  const Pod &Pd;
  std::vector<llvm::StringRef> Extra;
  std::vector<std::unique_ptr<PeaRegions>> Trees;
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
  // F.Path is one of the extra paths, so it has a node, and the regions of
  // its subtree (contiguous in pre-order) are exactly the paths at or
  // below it.
  PeaRegions::Place Top = R.find(F.Path);
  uint32_t TopDepth = R.node(Top.Node).Depth;
  const char *Verb = F.Mask == AccessRead    ? "read"
                     : F.Mask == AccessWrite ? "write"
                                             : "execute";
  for (uint32_t N = Top.Node; N < R.nodes().size(); ++N) {
    const RegionNode &Node = R.node(N);
    if (N != Top.Node && Node.Depth <= TopDepth)
      break;
    for (RegionSlot Slot : {AtFile, AtDir, BelowFile, BelowDir}) {
      const Decision &D = Node.Answers[Slot];
      if (!(D.Access & F.Mask) || D.Rule == NoRule)
        continue;
      std::string Path = R.path(N);
      std::string Object =
          Slot == AtFile   ? quoted(Path)
          : Slot == AtDir  ? "the directory " + quoted(Path)
          : Slot == BelowFile ? "any file under " + quoted(Path)
                              : "any directory under " + quoted(Path);
      return Violation{AnalyzerID::AssertionAccess, Verb, Object,
                       P.FileRules[D.Rule], P.FileRuleVia[D.Rule]};
    }
  }
  return std::nullopt;
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

std::vector<Hop> PodChecker::hops(uint32_t Pea) {
  const PeaRegions &R = regions(Pea);
  std::vector<Hop> Out;
  std::vector<bool> Seen(Pd.Peas[Pea].Transitions.size());
  for (uint32_t N = 0; N < R.nodes().size(); ++N) {
    const RegionNode &Node = R.node(N);
    if (Node.Transition == NoRule || Seen[Node.Transition])
      continue;
    // A program is a file: only the file regions can be executed.
    std::string Program;
    if (Node.Answers[AtFile].Access & AccessExecute)
      Program = quoted(R.path(N));
    else if (Node.Answers[BelowFile].Access & AccessExecute)
      Program = "a program under " + quoted(R.path(N));
    else
      continue;
    Seen[Node.Transition] = true;
    Out.push_back({Pea, Node.Transition, Program});
  }
  return Out;
}

void PodChecker::checkReach(const Assertion &A, uint32_t Start) {
  // Breadth first: the chain reported into each pea is a shortest one.
  std::vector<std::optional<Hop>> Into(Pd.Peas.size());
  std::vector<bool> Visited(Pd.Peas.size());
  std::deque<uint32_t> Queue{Start};
  Visited[Start] = true;
  std::vector<uint32_t> Order;
  while (!Queue.empty()) {
    uint32_t P = Queue.front();
    Queue.pop_front();
    for (Hop &H : hops(P)) {
      uint32_t To = Pd.Peas[P].Transitions[H.Transition].TargetPea;
      if (Visited[To])
        continue;
      Visited[To] = true;
      Into[To] = std::move(H);
      Queue.push_back(To);
      Order.push_back(To);
    }
  }
  for (uint32_t Target : Order) {
    std::optional<Violation> V = violation(Target, *A.Never.Target);
    if (!V)
      continue;
    std::vector<Hop> Chain;
    for (uint32_t P = Target; P != Start; P = Into[P]->From)
      Chain.insert(Chain.begin(), *Into[P]);
    const Pea &First = Pd.Peas[Start];
    const Transition &T0 = First.Transitions[Chain.front().Transition];
    std::string What =
        V->ID == AnalyzerID::AssertionNamespace
            ? "has 'namespace global'"
            : "can " + V->Verb + " " + V->Object;
    auto B = C.diags().report(diagInfo(AnalyzerID::AssertionReach),
                              T0.Source->Range,
                              {A.Name, First.Name.str(),
                               Pd.Peas[Target].Name.str(), What});
    for (const Hop &H : Chain) {
      const Pea &From = Pd.Peas[H.From];
      const Transition &T = From.Transitions[H.Transition];
      B.note(diagInfo(AnalyzerID::NoteAssertionHop), T.Source->Range,
             {From.Name.str(), H.Program,
              Pd.Peas[T.TargetPea].Name.str()});
    }
    B.note(diagInfo(AnalyzerID::NoteAssertionRule), V->Rule->Range,
           {"pea '" + Pd.Peas[Target].Name.str() + "' " + What +
            " by this rule"});
  }
}

void PodChecker::notePlace(DiagnosticBuilder &B, const Pea &P,
                           const Violation &V) {
  std::vector<const ast::Rule *> Chain = P.includeChain(V.Via);
  if (Chain.empty())
    return;
  // The rule is in a rule group: say which include brought it into the pea.
  B.note(diagInfo(AnalyzerID::NoteAssertionRule), Chain.front()->Range,
         {"included into pea '" + P.Name.str() + "' here"});
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
