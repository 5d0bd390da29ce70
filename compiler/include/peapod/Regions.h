//===- Regions.h - A pea's paths, cut into regions of one answer -*- C++ -*-===//
//
// The paper's tree of hash tables (CUCS-005-04, section 3.2), as a
// backend-neutral model: one node per path that some rule names (and every
// directory above one), each carrying the final answers of the semantics
// (docs/language.md) for the four regions it stands for:
//
//   AtFile     the node's path itself, asked as a non-directory
//   AtDir      the node's path itself, asked as a directory
//   BelowFile  any path strictly below the node that is not in the tree,
//              asked as a non-directory ("a fresh child")
//   BelowDir   the same, asked as a directory
//
// Every normalised path falls in exactly one region of the tree (that of its
// deepest node), so the regions cover every distinct answer of the prefix
// semantics: nothing sampled. The image writer serialises the tree (with a
// hash table per node); the analyzer and `peapodc show` enumerate it; the
// ReferenceEvaluator stays the independent oracle both are tested against.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_REGIONS_H
#define PEAPOD_REGIONS_H

#include "peapod/Oracle.h"
#include "peapod/Policy.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace peapod {

/// "No rule" in a rule index of this model.
constexpr uint32_t NoRule = UINT32_MAX;

/// One precomputed answer: the access and the rule that explains it, as the
/// ReferenceEvaluator would explain it.
struct Decision {
  uint8_t Access = AccessNone;
  DecisionKind Kind = DecisionKind::Default;
  /// The deciding rule, as an index into Pea::FileRules (the granting rule
  /// below, for Implicit); NoRule for Default.
  uint32_t Rule = NoRule;
  bool operator==(const Decision &) const = default;
};

enum RegionSlot : uint8_t { AtFile = 0, AtDir = 1, BelowFile = 2, BelowDir = 3 };

/// Where a node's name is written: which source path holds it (see
/// PeaRegions::sourcePath) and at what byte offset.
struct NameSource {
  uint32_t Path = 0;
  uint32_t Offset = 0;
};

struct RegionNode {
  llvm::StringRef Name; ///< one path component; empty for the root "/"
  uint32_t Parent = NoRule;
  uint32_t Depth = 0;   ///< components from the root
  uint32_t FirstChild = 0, ChildCount = 0; ///< into PeaRegions::children()
  Decision Answers[4];  ///< by RegionSlot
  /// The longest transition covering the node, as an index into
  /// Pea::Transitions, or NoRule. A path below the node (outside the tree)
  /// has the same one: every transition path is in the tree.
  uint32_t Transition = NoRule;
  NameSource Source;
};

class PeaRegions {
public:
  /// The regions of pea `P`. `ExtraPaths` (normalised, absolute) get nodes
  /// too, with no rules of their own: peas built with the same extra paths
  /// (say, every rule path of their pod) have trees of the same shape.
  static PeaRegions build(const Pea &P,
                          llvm::ArrayRef<llvm::StringRef> ExtraPaths = {});
  /// A tree read from elsewhere (a compiled image): nodes with Name,
  /// Parent, Depth, Answers, Transition and Source set, parents before
  /// children, the root first; the child index is built here. Node names
  /// must point into `Sources`.
  static PeaRegions assemble(std::vector<RegionNode> Nodes,
                             std::vector<llvm::StringRef> Sources);

  /// Root first, in pre-order: parents before children, and the children
  /// of a node in ascending byte order of their names.
  const std::vector<RegionNode> &nodes() const { return Nodes; }
  const RegionNode &node(uint32_t N) const { return Nodes[N]; }
  /// The children of node N, in ascending order of name.
  llvm::ArrayRef<uint32_t> children(uint32_t N) const {
    return llvm::ArrayRef<uint32_t>(Children).slice(Nodes[N].FirstChild,
                                                    Nodes[N].ChildCount);
  }
  /// The full path of node N ("/" for the root).
  std::string path(uint32_t N) const;

  /// The source paths node names point into: the pea's file rule paths in
  /// order, then its transition paths, then the extra paths.
  llvm::StringRef sourcePath(uint32_t I) const { return Sources[I]; }
  size_t sourceCount() const { return Sources.size(); }

  /// The deepest node on `Path` (normalised), and whether it is the path
  /// itself.
  struct Place {
    uint32_t Node = 0;
    bool Exact = false;
  };
  Place find(llvm::StringRef Path) const;
  /// The answer for `Path` asked as a directory or not: one walk.
  Decision decide(llvm::StringRef Path, bool IsDirectory) const;
  /// The longest transition covering `Path` (an index into
  /// Pea::Transitions), or NoRule.
  uint32_t transition(llvm::StringRef Path) const;

private:
  friend class RegionBuilder;
  std::vector<RegionNode> Nodes;
  std::vector<uint32_t> Children;
  std::vector<llvm::StringRef> Sources;
};

/// One region of several trees at once (see forEachJointRegion).
struct JointRegion {
  /// The node's path ("/" for the root); for the Below slots, the region is
  /// every path strictly below it that is in none of the trees.
  llvm::StringRef Path;
  RegionSlot Slot;
  /// Each tree's answer for the region, in the order the trees were given.
  llvm::ArrayRef<Decision> Answers;
  /// Each tree's longest covering transition (a Pea::Transitions index, or
  /// NoRule), in the same order.
  llvm::ArrayRef<uint32_t> Transitions;
};

/// Walks the union of several peas' trees (of one pea in two policies, or
/// of several peas of a pod) and calls `Visit` for each of its nodes, in
/// pre-order, once per slot. Every path falls in exactly one joint region,
/// and within it each tree gives one answer: comparing peas region by
/// region is exact. Time: the size of the union times the number of trees.
void forEachJointRegion(
    llvm::ArrayRef<const PeaRegions *> Trees,
    llvm::function_ref<void(const JointRegion &)> Visit);

/// Three-way comparison of normalised paths in component order: bytes
/// compare unsigned, except that '/' sorts before every other byte, so that
/// every path under a directory directly follows the directory itself.
int componentCompare(llvm::StringRef A, llvm::StringRef B);

} // namespace peapod

#endif // PEAPOD_REGIONS_H
