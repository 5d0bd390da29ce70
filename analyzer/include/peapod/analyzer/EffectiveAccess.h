//===- EffectiveAccess.h - Comparing peas region by region -----*- C++ -*-===//
//
// The analyzer's questions are about what peas can do, never about rule
// text, and they are answered exactly on the region trees of Regions.h:
// every path falls in one region of a tree, and within it the answer is
// one Decision. Comparing two peas means visiting the regions of their
// union; walkAgainst does it from one side, with the other tree followed
// along (so a check can stop at its first witness), and findJointRegion
// covers both sides. Nothing is sampled.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_EFFECTIVEACCESS_H
#define PEAPOD_ANALYZER_EFFECTIVEACCESS_H

#include "peapod/Regions.h"
#include "peapod/analyzer/TransitionGraph.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peapod::analyzer {

/// The access that counts for what a pea may do itself: search-only
/// directory access (semantics 5's implicit `execute`) lets it reach what a
/// region below grants, and that region counts on its own.
inline uint8_t countedAccess(const Decision &D) {
  return D.Kind == DecisionKind::Implicit ? uint8_t(AccessNone) : D.Access;
}

/// Where a tree stands for a path: its node there (Exact), or the deepest
/// of its nodes above, whose Below answers cover the path.
struct TreePosition {
  uint32_t Node = 0;
  bool Exact = true;
};

/// The answer of `T` for a region of slot `Slot` at a node of another tree
/// where `T` stands at `P`.
inline Decision answerAt(const PeaRegions &T, TreePosition P, RegionSlot Slot) {
  if (!P.Exact && (Slot == AtFile || Slot == AtDir))
    Slot = RegionSlot(Slot + 2);
  return T.node(P.Node).Answers[Slot];
}
inline uint32_t transitionAt(const PeaRegions &T, TreePosition P) {
  return T.node(P.Node).Transition;
}

/// One region of tree A (a node and a slot), with tree B's answer there.
struct RegionPair {
  const PeaRegions *A = nullptr, *B = nullptr;
  uint32_t ANode = 0;
  TreePosition BPos;
  RegionSlot Slot = AtFile;
  Decision AAnswer, BAnswer;

  std::string path() const { return A->path(ANode); }
  bool isDirectory() const { return Slot == AtDir || Slot == BelowDir; }
  bool isBelow() const { return Slot == BelowFile || Slot == BelowDir; }
  uint32_t aTransition() const { return A->node(ANode).Transition; }
  uint32_t bTransition() const { return transitionAt(*B, BPos); }
  /// B's answer for a fresh file in the directory this region stands for
  /// (a directory slot): where a writer of the directory would plant one.
  Decision bFreshFile() const { return B->node(BPos.Node).Answers[BelowFile]; }
};

/// Visits every region of `A` at or below `Under` (which must be a node of
/// `A`, else nothing is visited) in pre-order, each of its four slots, with
/// `B` followed along. Stops when `Visit` returns false; returns false then.
bool walkAgainst(const PeaRegions &A, const PeaRegions &B,
                 llvm::StringRef Under,
                 llvm::function_ref<bool(const RegionPair &)> Visit);

/// A region of the union of `A` and `B` (at or below `Under`) where
/// `Holds(AAnswer, BAnswer, Slot)`: the first found from A's side, else from
/// B's. Exact: every region of the union is a region of one of the trees.
struct JointWitness {
  std::string Path;
  RegionSlot Slot = AtFile;
  Decision AAnswer, BAnswer;
};
std::optional<JointWitness>
findJointRegion(const PeaRegions &A, const PeaRegions &B,
                llvm::function_ref<bool(const Decision &A, const Decision &B,
                                        RegionSlot Slot)>
                    Holds,
                llvm::StringRef Under = "/");

/// Visits every region of `T` that contains or lies below `Path` (the one
/// holding Path itself first, even when Path is not a node): the exact
/// answers of `T` anywhere in Path's subtree. `Slot` tells which; `Node` is
/// the region's node (an ancestor of Path for the first visit when Path is
/// not in the tree).
void forEachRegionUnder(
    const PeaRegions &T, llvm::StringRef Path,
    llvm::function_ref<void(uint32_t Node, RegionSlot Slot, const Decision &)>
        Visit);

/// "a pea with `bind` or `outgoing` that permits something".
bool isNetworkFacing(const Pea &P);

/// The first thing `Strong` may do that `Weak` may not, in words ("rw- on
/// '/x'", "bind tcp/25", "namespace global"), or nullopt if `Strong` is not
/// more privileged (language: some region where Strong's access is a strict
/// superset of Weak's, or a port, or a pea to touch, Weak lacks).
struct PrivilegeGap {
  std::string Text;
  /// For a file region: where, and the deciding rule in Strong.
  std::optional<JointWitness> Region;
};
class PodAccess;
/// Search-only directory access (semantics 5's implicit `execute`) is not
/// counted: it lets a pea reach what some region below grants, and that
/// region is compared itself.
std::optional<PrivilegeGap> morePrivileged(PodAccess &Pod, uint32_t Strong,
                                           uint32_t Weak);
/// Network and namespace rights only (cheap; no regions).
std::optional<std::string> networkOrNamespaceGap(const Pod &P, uint32_t Strong,
                                                 uint32_t Weak);

/// `S` in single quotes, as messages name paths and peas. (Appended piece
/// by piece: GCC 12's -O3 -Wrestrict misfires on "'" + std::string.)
inline std::string quote(llvm::StringRef S) {
  std::string Out;
  Out.reserve(S.size() + 2);
  Out += '\'';
  Out.append(S.data(), S.size());
  Out += '\'';
  return Out;
}

/// A path region in words: "'/x'", "'/x/' (as a directory)", "files below
/// '/x'", "directories below '/x'".
std::string regionText(llvm::StringRef Path, RegionSlot Slot);

/// The regions of every pea of a pod, built when first asked for.
class PodAccess {
public:
  explicit PodAccess(const Pod &P) : ThePod(P), Trees(P.Peas.size()) {}
  const Pod &pod() const { return ThePod; }
  const PeaRegions &tree(uint32_t Pea);

  /// Peas of equal privilege: the same answer in every region, the same
  /// ports and the same peas to touch. Classes are numbered in order of
  /// their first pea; pairwise checks ask one pea per class (a pod of
  /// many identical peas is then no quadratic cost).
  uint32_t privilegeClass(uint32_t Pea);
  /// The peas of class C, ascending.
  llvm::ArrayRef<uint32_t> classMembers(uint32_t C);
  uint32_t classCount();

private:
  void computeClasses();
  const Pod &ThePod;
  std::vector<std::unique_ptr<PeaRegions>> Trees;
  std::vector<uint32_t> ClassOf;
  std::vector<std::vector<uint32_t>> Members;
};

/// A region of the source pea's tree (A) where executing a program moves
/// the process through the transition of index `Index`: a file slot,
/// executable, governed by that rule (as transitionFires asks).
inline bool firesEdge(const RegionPair &R, uint32_t Index) {
  return !R.isDirectory() && (R.AAnswer.Access & AccessExecute) &&
         R.aTransition() == Index;
}

/// Whether the source pea (its tree `Source`) can execute some file under
/// E's trigger that E's rule governs: semantics 8 moves a process only on
/// an allowed exec, through the longest covering transition.
bool transitionFires(const PeaRegions &Source, const TransitionEdge &E);

/// The pod's transition graph with each edge's Fires asked of the source
/// pea's regions: what the A2xx checks use, and what `peapodc graph` and
/// the language server should draw (an edge that cannot fire leads nowhere).
TransitionGraph firingGraph(PodAccess &Access,
                            llvm::ArrayRef<uint32_t> Entries = {});

} // namespace peapod::analyzer

#endif
