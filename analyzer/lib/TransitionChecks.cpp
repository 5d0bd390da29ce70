//===- TransitionChecks.cpp - A2xx: transitions, envelopes, escalation ----===//
//
// Everything here follows the transition graph of each pod and asks the
// region trees what each pea on a path of execs may do.
//
//===----------------------------------------------------------------------===//
#include "Checks.h"
#include "peapod/analyzer/Escalation.h"

namespace peapod::analyzer {
namespace {

constexpr uint8_t ReadExecute = AccessRead | AccessExecute;

struct PlantWitness {
  std::string Where; ///< in words
  Decision Write;    ///< the writer's decision there
};

class TransitionChecker {
public:
  TransitionChecker(CheckContext &Ctx, uint32_t Pod)
      : Ctx(Ctx), PodIndex(Pod), ThePod(Ctx.policy().Pods[Pod]),
        G(Ctx.graph(Pod)), Access(Ctx.access(Pod)) {}

  void run() {
    if (Ctx.enabled(AnalyzerID::UnreachablePea))
      checkUnreachable();
    if (Ctx.enabled(AnalyzerID::TransitionCycle))
      checkCycles();
    for (uint32_t E = 0; E < G.edges().size(); ++E)
      checkEdge(E);
    if (Ctx.enabled(AnalyzerID::PrivilegeEnvelope))
      checkEnvelopes();
    if (Ctx.enabled(AnalyzerID::EscalationPath))
      for (const Escalation &Esc : findEscalations(Access, G))
        reportEscalation(Esc);
  }

private:
  const Pea &pea(uint32_t I) const { return ThePod.Peas[I]; }
  std::string name(uint32_t I) const { return pea(I).Name.str(); }

  void checkUnreachable() {
    std::string Entries = peaList(ThePod, G.entries());
    if (Entries.empty())
      Entries = "none";
    for (uint32_t P = 0; P < G.peaCount(); ++P)
      if (!G.reachable(P))
        Ctx.report(AnalyzerID::UnreachablePea, peaRange(pea(P)),
                   {name(P), "entries " + Entries});
  }

  void checkCycles() {
    for (const std::vector<uint32_t> &Cycle : G.cycles()) {
      DiagnosticBuilder B =
          Ctx.report(AnalyzerID::TransitionCycle, peaRange(pea(Cycle.front())),
                     {peaList(ThePod, Cycle)});
      std::vector<uint32_t> Inside;
      for (uint32_t P : Cycle)
        for (uint32_t E : G.outgoing(P))
          if (std::binary_search(Cycle.begin(), Cycle.end(), G.edge(E).Target))
            Inside.push_back(E);
      if (Inside.size() > 10)
        Inside.resize(10);
      Ctx.noteChain(B, PodIndex, Inside);
    }
  }

  /// A202 and A203 for one edge; records whether the edge can fire.
  void checkEdge(uint32_t E) {
    const TransitionEdge &Edge = G.edge(E);
    const PeaRegions &S = Access.tree(Edge.Source);
    const PeaRegions &T = Access.tree(Edge.Target);
    bool Fires = Edge.Fires;
    const ast::Rule &Rule = *Edge.Rule->Source;
    if (!Fires) {
      if (!Ctx.enabled(AnalyzerID::IneffectiveTransition))
        return;
      DiagnosticBuilder B =
          Ctx.report(AnalyzerID::IneffectiveTransition, Rule.Range,
                     {Edge.path().str(), name(Edge.Target), name(Edge.Source)});
      Ctx.noteInclude(B, pea(Edge.Source), Edge.Rule->Via);
      Ctx.noteDecision(B, pea(Edge.Source), S.decide(Edge.path(), false),
                       quote(Edge.path()));
      return;
    }
    if (!Ctx.enabled(AnalyzerID::TargetCannotRunTrigger))
      return;
    // A region where the exec fires but the target cannot read and
    // execute the program: from the source's side, then the target's.
    std::optional<std::pair<std::string, Decision>> Bad;
    walkAgainst(S, T, Edge.path(), [&](const RegionPair &R) {
      if (!firesEdge(R, Edge.Index) ||
          (R.BAnswer.Access & ReadExecute) == ReadExecute)
        return true;
      Bad = {regionText(R.path(), R.Slot), R.BAnswer};
      return false;
    });
    if (!Bad)
      walkAgainst(T, S, Edge.path(), [&](const RegionPair &R) {
        if (R.isDirectory() || !(R.BAnswer.Access & AccessExecute) ||
            R.bTransition() != Edge.Index ||
            (R.AAnswer.Access & ReadExecute) == ReadExecute)
          return true;
        Bad = {regionText(R.path(), R.Slot), R.AAnswer};
        return false;
      });
    if (!Bad)
      return;
    DiagnosticBuilder B = Ctx.report(
        AnalyzerID::TargetCannotRunTrigger, Rule.Range,
        {name(Edge.Target), Bad->first, accessString(Bad->second.Access)});
    Ctx.noteInclude(B, pea(Edge.Source), Edge.Rule->Via);
    Ctx.noteDecision(B, pea(Edge.Target), Bad->second, Bad->first);
  }

  /// Peas named per entry: the nearest in the finding, the rest as notes.
  /// The search stops there, so an entry that reaches a thousand stronger
  /// peas costs a few comparisons, not a thousand.
  static constexpr size_t MaxEnvelopePeas = 4;

  struct EnvelopeGap {
    uint32_t Pea;
    std::string Text;
    std::optional<JointWitness> Region;
  };

  /// What `P` may do that `Entry` may not: a port or pea to touch, else
  /// the first region where P has a bit Entry lacks.
  std::optional<EnvelopeGap> envelopeGap(uint32_t Entry, uint32_t P) {
    if (auto Net = networkOrNamespaceGap(ThePod, P, Entry))
      return EnvelopeGap{P, *Net, std::nullopt};
    std::optional<JointWitness> Region =
        findJointRegion(Access.tree(P), Access.tree(Entry),
                        [](const Decision &A, const Decision &B, RegionSlot) {
                          return (countedAccess(A) & ~countedAccess(B)) != 0;
                        });
    if (!Region)
      return std::nullopt;
    return EnvelopeGap{P,
                       accessString(Region->AAnswer.Access) + " on " +
                           regionText(Region->Path, Region->Slot),
                       Region};
  }

  std::string chainText(uint32_t Entry, llvm::ArrayRef<uint32_t> Chain) {
    std::string Text = quote(name(Entry));
    for (uint32_t E : Chain)
      Text += " -> '" + name(G.edge(E).Target) + "'";
    return Text;
  }

  void checkEnvelopes() {
    for (uint32_t Entry : G.entries()) {
      TransitionGraph::Reach R = G.reachFrom(Entry);
      std::vector<EnvelopeGap> Gaps;
      for (size_t I = 1; I < R.Order.size() && Gaps.size() < MaxEnvelopePeas;
           ++I)
        if (std::optional<EnvelopeGap> Gap = envelopeGap(Entry, R.Order[I]))
          Gaps.push_back(std::move(*Gap));
      if (Gaps.empty())
        continue;
      const EnvelopeGap &First = Gaps.front();
      std::vector<uint32_t> Chain = G.chain(R, First.Pea);
      DiagnosticBuilder B =
          Ctx.report(AnalyzerID::PrivilegeEnvelope,
                     G.edge(Chain.back()).Rule->Source->Range,
                     {name(Entry), name(First.Pea), First.Text});
      Ctx.noteChain(B, PodIndex, Chain);
      if (First.Region)
        Ctx.noteDecision(B, pea(First.Pea), First.Region->AAnswer,
                         regionText(First.Region->Path, First.Region->Slot));
      for (size_t I = 1; I < Gaps.size(); ++I) {
        std::vector<uint32_t> Other = G.chain(R, Gaps[I].Pea);
        B.note(diagInfo(AnalyzerID::NoteDetail),
               G.edge(Other.back()).Rule->Source->Range,
               {"it also reaches pea '" + name(Gaps[I].Pea) + "' (" +
                chainText(Entry, Other) + "), which has " + Gaps[I].Text});
      }
      if (Gaps.size() == MaxEnvelopePeas)
        B.note(diagInfo(AnalyzerID::NoteDetail), llvm::SMRange(),
               {"(the search stopped at " + std::to_string(MaxEnvelopePeas) +
                " peas; narrow these and run again)"});
    }
  }

  void reportEscalation(const Escalation &Esc) {
    uint32_t E = Esc.Edge, W = Esc.Writer;
    const PrivilegeGap &Gap = Esc.Gap;
    const TransitionEdge &Edge = G.edge(E);
    DiagnosticBuilder B =
        Ctx.report(AnalyzerID::EscalationPath, Edge.Rule->Source->Range,
                   {name(W), Esc.Where, name(Edge.Source), name(Edge.Target)});
    // The whole chain: from an entry to the writer, the write, from the
    // writer to the source, and the exec into the target.
    std::vector<uint32_t> ToWriter = G.chainFromEntry(W);
    if (!ToWriter.empty() || !G.isEntry(W))
      Ctx.noteChain(B, PodIndex, ToWriter);
    else
      B.note(diagInfo(AnalyzerID::NoteDetail), peaRange(pea(W)),
             {"pea '" + name(W) + "' is an entry pea"});
    Ctx.noteDecision(B, pea(W), Esc.Write, Esc.Where);
    TransitionGraph::Reach FromWriter = G.reachFrom(W);
    std::vector<uint32_t> Rest = G.chain(FromWriter, Edge.Source);
    Rest.push_back(E);
    Ctx.noteChain(B, PodIndex, Rest);
    std::string More = "pea '" + name(Edge.Target) + "' has " + Gap.Text +
                       ", which '" + name(Edge.Source) + "' lacks";
    if (Gap.Region && Gap.Region->AAnswer.Rule != NoRule) {
      const ast::Rule &R =
          *pea(Edge.Target).FileRules[Gap.Region->AAnswer.Rule];
      B.note(diagInfo(AnalyzerID::NoteDetail), R.Range, {More});
    } else {
      B.note(diagInfo(AnalyzerID::NoteDetail), peaRange(pea(Edge.Target)),
             {More});
    }
  }

  CheckContext &Ctx;
  uint32_t PodIndex;
  const Pod &ThePod;
  const TransitionGraph &G;
  PodAccess &Access;
};

} // namespace

void checkTransitions(CheckContext &Ctx) {
  for (uint32_t P = 0; P < Ctx.policy().Pods.size(); ++P)
    TransitionChecker(Ctx, P).run();
}

} // namespace peapod::analyzer
