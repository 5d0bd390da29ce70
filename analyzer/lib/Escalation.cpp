//===- Escalation.cpp - Planting a program to exec into a stronger pea ----===//
#include "peapod/analyzer/Escalation.h"
#include <unordered_map>

namespace peapod::analyzer {
namespace {

struct PlantWitness {
  std::string Where; ///< in words
  Decision Write;    ///< the writer's decision there
};

class EscalationFinder {
public:
  EscalationFinder(PodAccess &Access, const TransitionGraph &G)
      : Access(Access), G(G) {}

  const std::vector<uint32_t> &reachers(uint32_t Pea) {
    auto It = Reachers.find(Pea);
    if (It == Reachers.end())
      It = Reachers.emplace(Pea, G.reachersOf(Pea)).first;
    return It->second;
  }

  /// Where writer W can put a program that the source of edge E then
  /// executes into E's target: a strict ancestor directory of the trigger
  /// (replace it wholesale), or the trigger itself or anything below it
  /// that the source can execute under E (or a directory there, where a
  /// fresh program can be created).
  std::optional<PlantWitness> plant(uint32_t W, uint32_t E) {
    const TransitionEdge &Edge = G.edge(E);
    const PeaRegions &WT = Access.tree(W);
    const PeaRegions &ST = Access.tree(Edge.Source);
    llvm::StringRef Trigger = Edge.path();
    // Strict ancestors, walking W's tree down the trigger's components.
    TreePosition Pos{0, true};
    std::string Dir = "/";
    for (llvm::StringRef Rest = Trigger.ltrim('/'); !Rest.empty();) {
      Decision D = answerAt(WT, Pos, AtDir);
      if (countedAccess(D) & AccessWrite)
        return PlantWitness{"the directory " + quote(Dir), D};
      auto [Name, Tail] = Rest.split('/');
      Rest = Tail;
      if (Dir != "/")
        Dir += '/';
      Dir.append(Name.data(), Name.size());
      PeaRegions::Place Next = WT.find(Dir);
      Pos = {Next.Node, Next.Exact};
      if (!Pos.Exact) {
        // Off W's tree: every remaining ancestor shares this node's Below
        // answers (the trigger's own subtree is left to the source's walk).
        Decision DD = WT.node(Pos.Node).Answers[BelowDir];
        if ((countedAccess(DD) & AccessWrite) && !Rest.empty())
          return PlantWitness{"the directory " + quote(Dir), DD};
        break;
      }
    }
    std::optional<PlantWitness> Found;
    auto FromWriter = [&](const RegionPair &R) {
      // A = writer, B = source.
      if (!(countedAccess(R.AAnswer) & AccessWrite))
        return true;
      Decision Exec = R.isDirectory() ? R.bFreshFile() : R.BAnswer;
      if (!(Exec.Access & AccessExecute) || R.bTransition() != Edge.Index)
        return true;
      Found = PlantWitness{regionText(R.path(), R.Slot), R.AAnswer};
      return false;
    };
    if (Pos.Exact && !walkAgainst(WT, ST, Trigger, FromWriter))
      return Found;
    walkAgainst(ST, WT, Trigger, [&](const RegionPair &R) {
      // A = source, B = writer.
      if (!(countedAccess(R.BAnswer) & AccessWrite) ||
          R.aTransition() != Edge.Index)
        return true;
      Decision Exec =
          R.isDirectory() ? R.A->node(R.ANode).Answers[BelowFile] : R.AAnswer;
      if (!(Exec.Access & AccessExecute))
        return true;
      Found = PlantWitness{regionText(R.path(), R.Slot), R.BAnswer};
      return false;
    });
    return Found;
  }

  std::optional<Escalation> find(uint32_t E) {
    const TransitionEdge &Edge = G.edge(E);
    if (!Edge.Fires || !G.reachable(Edge.Source))
      return std::nullopt;
    std::optional<PrivilegeGap> Gap =
        morePrivileged(Access, Edge.Target, Edge.Source);
    if (!Gap)
      return std::nullopt;
    for (uint32_t W : reachers(Edge.Source)) {
      if (!G.reachable(W))
        continue;
      if (std::optional<PlantWitness> Plant = plant(W, E))
        return Escalation{E, W, Plant->Where, Plant->Write, *Gap};
    }
    return std::nullopt;
  }

private:
  PodAccess &Access;
  const TransitionGraph &G;
  std::unordered_map<uint32_t, std::vector<uint32_t>> Reachers;
};

} // namespace

std::vector<Escalation> findEscalations(PodAccess &Access,
                                        const TransitionGraph &G) {
  EscalationFinder F(Access, G);
  std::vector<Escalation> Out;
  for (uint32_t E = 0; E < G.edges().size(); ++E)
    if (std::optional<Escalation> Esc = F.find(E))
      Out.push_back(std::move(*Esc));
  return Out;
}

} // namespace peapod::analyzer
