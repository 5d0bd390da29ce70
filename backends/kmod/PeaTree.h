//===- PeaTree.h - One pea's tree of hash tables, precomputed --*- C++ -*-===//
//
// The paper's tree of hash tables (CUCS-005-04, section 3.2): one node per
// directory named by some rule, each with a hash table from path component
// to child. Unlike the paper, every node carries its final answers, so a
// lookup is a single walk with no rule resolution at the end. Internal to
// the image writer.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_KMOD_PEATREE_H
#define PEAPOD_KMOD_PEATREE_H

#include "peapod/AST.h"
#include "peapod/image.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace peapod::kmod {

/// A file rule or a transition of the pea, as the tree needs it.
struct TreeRule {
  llvm::StringRef Path; ///< normalised
  uint32_t PathOff;     ///< where Path sits in the string section
  uint32_t Local;       ///< index in the pea's rule table (= priority)
  ast::RuleKind Kind;   ///< Path, DirDefault or Transition
  uint8_t Access;       ///< file rules: rwx, 0 = deny
};

/// One pea's nodes (root first, pre-order) and their hash tables, each
/// vector exactly as long as it needs to be.
struct PeaTables {
  std::vector<ppi_node> Nodes;
  std::vector<ppi_slot> Slots;
};

/// Builds the pea's tree. Indices in it are image-wide: rule references are
/// FirstRule + TreeRule::Local, nodes and slots are numbered from FirstNode
/// and FirstSlot (where the pea's tables will stand in their sections).
PeaTables buildPeaTree(std::vector<TreeRule> Rules, uint32_t FirstRule,
                       uint32_t FirstNode, uint32_t FirstSlot);

} // namespace peapod::kmod

#endif // PEAPOD_KMOD_PEATREE_H
