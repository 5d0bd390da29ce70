//===- TransitionGraph.h - Who can exec into whom, per pod -----*- C++ -*-===//
//
// One pod's transitions as a graph: peas are nodes, each `transition` rule
// an edge from the pea it is written in to its target, labelled with its
// trigger path and the rule (so every hop of a chain names its location).
// The analyzer's A2xx checks, `peapodc graph` and the language server read
// the same graph.
//
// Entry peas are where processes start: the ones the user names
// (`--entry`, the lint configuration), or by default every pea with no
// incoming edge, plus, for a group of peas that only reach each other (a
// cycle nothing outside enters), its first pea in declaration order, so
// that no pea is unreachable just because it sits on a cycle.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_TRANSITIONGRAPH_H
#define PEAPOD_ANALYZER_TRANSITIONGRAPH_H

#include "peapod/Policy.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peapod::analyzer {

/// "No edge" / "no pea" in the graph's indices.
constexpr uint32_t NoEdge = UINT32_MAX;

struct TransitionEdge {
  uint32_t Source = 0; ///< pea index in the pod
  uint32_t Target = 0; ///< pea index in the pod
  /// The rule's index in the source pea's Pea::Transitions.
  uint32_t Index = 0;
  const peapod::Transition *Rule = nullptr;
  /// Whether the exec can happen at all (see TransitionGraph::build's
  /// `Fires`). Edges that cannot fire are listed but lead nowhere.
  bool Fires = true;
  /// The trigger path (normalised): the program, or the directory whose
  /// programs, executed, move the process into Target.
  llvm::StringRef path() const { return Rule->Source->Path; }
};

class TransitionGraph {
public:
  /// The graph of `P`. `Entries` are pea indices of `P`; empty: the
  /// default entries (see the file comment). Transitions into the pea they
  /// are written in (W309) are no edges: they move nothing. `Fires`, if
  /// given, says whether an edge's exec can happen (the analyzer asks the
  /// source pea's regions); edges for which it is false stay in edges() but
  /// not in outgoing()/incoming(), reachability or cycles.
  static TransitionGraph
  build(const Pod &P, llvm::ArrayRef<uint32_t> Entries = {},
        llvm::function_ref<bool(const TransitionEdge &)> Fires = nullptr);

  const Pod &pod() const { return *ThePod; }
  uint32_t peaCount() const { return uint32_t(Out.size()); }
  llvm::ArrayRef<TransitionEdge> edges() const { return Edges; }
  const TransitionEdge &edge(uint32_t E) const { return Edges[E]; }
  /// Edge indices leaving / entering a pea, in pea (rule) order; edges
  /// that cannot fire are left out.
  llvm::ArrayRef<uint32_t> outgoing(uint32_t Pea) const { return Out[Pea]; }
  llvm::ArrayRef<uint32_t> incoming(uint32_t Pea) const { return In[Pea]; }

  /// The entry peas, ascending.
  llvm::ArrayRef<uint32_t> entries() const { return EntryPeas; }
  bool isEntry(uint32_t Pea) const { return IsEntry[Pea]; }
  /// Whether the user named the entries (else they are the defaults).
  bool explicitEntries() const { return Explicit; }
  /// Whether some entry reaches `Pea` (an entry reaches itself).
  bool reachable(uint32_t Pea) const { return FromEntry[Pea] != Unreached; }

  /// Everything `Start` reaches (itself first), in breadth-first order, with
  /// the edge each pea was first reached through: following those edges
  /// back gives a shortest chain of execs.
  struct Reach {
    uint32_t Start = 0;
    std::vector<uint32_t> Order;   ///< peas, breadth-first
    std::vector<uint32_t> ViaEdge; ///< by pea: NoEdge for Start or unreached
    std::vector<bool> Reached;     ///< by pea
  };
  Reach reachFrom(uint32_t Start) const;
  /// Every pea that reaches `Pea` (itself included), ascending.
  std::vector<uint32_t> reachersOf(uint32_t Pea) const;
  /// The edges from R.Start to `To`, first hop first (empty if To is Start
  /// or was not reached).
  std::vector<uint32_t> chain(const Reach &R, uint32_t To) const;
  /// A shortest chain from some entry to `Pea` (empty if Pea is an entry
  /// or unreachable).
  std::vector<uint32_t> chainFromEntry(uint32_t Pea) const;

  /// The cycles: strongly connected components of more than one pea, each
  /// as its peas in ascending order; components in order of their first pea.
  const std::vector<std::vector<uint32_t>> &cycles() const { return Cycles; }

private:
  static constexpr uint32_t Unreached = UINT32_MAX - 1;
  void computeComponents();
  void chooseEntries(llvm::ArrayRef<uint32_t> Given);
  void reachFromEntries();

  const Pod *ThePod = nullptr;
  std::vector<TransitionEdge> Edges;
  std::vector<std::vector<uint32_t>> Out, In;
  std::vector<uint32_t> Component; ///< by pea: its SCC's index
  std::vector<std::vector<uint32_t>> Cycles;
  std::vector<uint32_t> EntryPeas;
  std::vector<bool> IsEntry;
  bool Explicit = false;
  /// By pea: the edge it was first reached through from an entry, NoEdge
  /// for an entry, Unreached if no entry reaches it.
  std::vector<uint32_t> FromEntry;
};

/// Resolves entry names ("PEA" or "POD/PEA") against `P` to pea indices per
/// pod (indexed like P.Pods). A bare "PEA" names that pea in every pod that
/// has one. Names that match nothing are returned in `Unknown`.
std::vector<std::vector<uint32_t>>
resolveEntries(const Policy &P, llvm::ArrayRef<std::string> Names,
               std::vector<std::string> &Unknown);

} // namespace peapod::analyzer

#endif
