//===- PeaTree.cpp - One pea's tree of hash tables, precomputed -----------===//
//
// Three linear passes after one sort:
//   1. the rule paths, sorted in component order, build the trie in
//      pre-order with a stack (no per-node maps), and each node records the
//      rules written exactly on its path;
//   2. top-down, each node inherits what covers it from above (the
//      shallowest deny, the longest dir-default, the longest transition);
//      bottom-up, each node learns the first granting rule below it;
//   3. each node's four answers are decided from those facts, mirroring the
//      reference evaluator step by step, and its children are hashed into
//      its table.
//
//===----------------------------------------------------------------------===//
#include "PeaTree.h"

#include "peapod/Oracle.h"
#include "llvm/Support/ErrorHandling.h"
#include <algorithm>
#include <cstring>

namespace peapod::kmod {
namespace {

constexpr uint32_t None = PPI_NONE;

/// Minimum of two rule indices where None means absent.
uint32_t first(uint32_t A, uint32_t B) { return std::min(A, B); }

struct TreeNode {
  llvm::StringRef Name; ///< the component; empty for the root
  uint32_t NameOff = 0;
  uint32_t Parent = None;
  uint32_t Depth = 0;
  uint32_t ChildCount = 0;

  // Rules written exactly on this node's path (pea-local indices).
  uint32_t PathFirst = None, PathDeny = None; ///< `path` rules
  uint8_t PathUnion = 0;
  uint32_t DirDefaultFirst = None, DirDefaultDeny = None;
  uint8_t DirDefaultUnion = 0;
  uint32_t GrantFirst = None; ///< first file rule here with access != 0
  uint32_t TransitionFirst = None;

  // Derived along the tree (pass 2).
  uint32_t DenyCover = None;       ///< shallowest deny `path` on or above
  uint32_t DirDefaultNode = None;  ///< node of the longest dir-default
  uint32_t TransitionCover = None; ///< longest transition on or above
  uint32_t GrantBelow = None;      ///< first granting rule strictly below
};

/// Three-way comparison in component order: bytes compare unsigned, except
/// that '/' sorts before every other byte, so that every path under a
/// directory directly follows the directory itself.
int componentCompare(llvm::StringRef A, llvm::StringRef B) {
  size_t N = std::min(A.size(), B.size());
  size_t I = 0;
  // Sorted paths share long prefixes: skip them a word at a time.
  for (uint64_t X, Y; I + 8 <= N; I += 8) {
    std::memcpy(&X, A.data() + I, 8);
    std::memcpy(&Y, B.data() + I, 8);
    if (X != Y)
      break;
  }
  for (; I < N; ++I) {
    unsigned char X = A[I], Y = B[I];
    if (X == Y)
      continue;
    if (X == '/' || Y == '/')
      return X == '/' ? -1 : 1;
    return X < Y ? -1 : 1;
  }
  return A.size() < B.size() ? -1 : A.size() > B.size();
}

class TreeBuilder {
public:
  explicit TreeBuilder(uint32_t FirstRule) : FirstRule(FirstRule) {
    Tree.emplace_back(); // the root, "/"
  }

  void addRules(std::vector<TreeRule> &Rules);
  void propagate();
  PeaTables emit(uint32_t FirstNode, uint32_t FirstSlot) const;

private:
  uint32_t nodeFor(const TreeRule &R);
  void record(TreeNode &N, const TreeRule &R);
  ppi_answer decide(const TreeNode &N, bool AtNode, bool IsDir) const;
  ppi_answer answer(uint32_t Local, uint8_t Access, DecisionKind K) const;

  uint32_t FirstRule;
  std::vector<TreeNode> Tree;      ///< pre-order: parents before children
  std::vector<uint32_t> PathStack; ///< nodes on the previous rule's path
};

void TreeBuilder::addRules(std::vector<TreeRule> &Rules) {
  std::sort(Rules.begin(), Rules.end(),
            [](const TreeRule &A, const TreeRule &B) {
              int Order = componentCompare(A.Path, B.Path);
              return Order ? Order < 0 : A.Local < B.Local;
            });
  PathStack.assign(1, 0);
  for (const TreeRule &R : Rules)
    record(Tree[nodeFor(R)], R);
}

/// The node of R's path, creating the missing ones. Rules arrive in
/// component order, so the path shares a prefix with the previous one
/// (PathStack) and any new node is the last child of its parent.
uint32_t TreeBuilder::nodeFor(const TreeRule &R) {
  size_t Depth = 0;
  size_t Pos = 1; // past the leading '/'
  while (Pos < R.Path.size()) {
    size_t End = std::min(R.Path.find('/', Pos), R.Path.size());
    llvm::StringRef Name = R.Path.slice(Pos, End);
    ++Depth;
    if (PathStack.size() <= Depth || Tree[PathStack[Depth]].Name != Name) {
      PathStack.resize(Depth);
      uint32_t Parent = PathStack.back();
      TreeNode N;
      N.Name = Name;
      N.NameOff = R.PathOff + static_cast<uint32_t>(Pos);
      N.Parent = Parent;
      N.Depth = static_cast<uint32_t>(Depth);
      ++Tree[Parent].ChildCount;
      PathStack.push_back(static_cast<uint32_t>(Tree.size()));
      Tree.push_back(N);
    }
    Pos = End + 1;
  }
  PathStack.resize(Depth + 1);
  return PathStack.back();
}

/// Rules arrive in index order per path, so the first seen is the lowest.
void TreeBuilder::record(TreeNode &N, const TreeRule &R) {
  auto Keep = [&](uint32_t &Slot) { Slot = first(Slot, R.Local); };
  switch (R.Kind) {
  case ast::RuleKind::Path:
    Keep(N.PathFirst);
    N.PathUnion |= R.Access;
    if (R.Access == AccessNone)
      Keep(N.PathDeny);
    break;
  case ast::RuleKind::DirDefault:
    Keep(N.DirDefaultFirst);
    N.DirDefaultUnion |= R.Access;
    if (R.Access == AccessNone)
      Keep(N.DirDefaultDeny);
    break;
  case ast::RuleKind::Transition:
    Keep(N.TransitionFirst);
    return;
  default:
    return;
  }
  if (R.Access != AccessNone)
    Keep(N.GrantFirst);
}

void TreeBuilder::propagate() {
  for (size_t I = 0; I < Tree.size(); ++I) {
    TreeNode &N = Tree[I];
    const TreeNode *Up = I ? &Tree[N.Parent] : nullptr;
    // The shallowest deny wins, so an inherited one beats the node's own.
    N.DenyCover = Up && Up->DenyCover != None ? Up->DenyCover : N.PathDeny;
    // The longest dir-default and transition win: the node's own first.
    N.DirDefaultNode = N.DirDefaultFirst != None ? static_cast<uint32_t>(I)
                       : Up                      ? Up->DirDefaultNode
                                                 : None;
    N.TransitionCover = N.TransitionFirst != None ? N.TransitionFirst
                        : Up                      ? Up->TransitionCover
                                                  : None;
  }
  for (size_t I = Tree.size(); I-- > 1;) {
    TreeNode &N = Tree[I];
    TreeNode &Up = Tree[N.Parent];
    Up.GrantBelow = first(Up.GrantBelow, first(N.GrantFirst, N.GrantBelow));
  }
}

ppi_answer TreeBuilder::answer(uint32_t Local, uint8_t Access,
                               DecisionKind K) const {
  ppi_answer A{};
  A.rule = Local == None ? None : FirstRule + Local;
  A.access = Access;
  A.kind = static_cast<uint8_t>(K);
  return A;
}

/// The semantics (ReferenceEvaluator::access) for a path exactly at node N
/// (AtNode) or strictly below it and outside the tree: there, no rule is on
/// the path or below it, so only what covers N decides.
ppi_answer TreeBuilder::decide(const TreeNode &N, bool AtNode,
                               bool IsDir) const {
  // 1. Deny dominance.
  if (N.DenyCover != None)
    return answer(N.DenyCover, AccessNone, DecisionKind::Path);
  uint32_t GrantBelow = AtNode ? N.GrantBelow : None;
  // 2. `path` rules on the path itself; 5. plus search access for a
  // directory with a granting rule below.
  if (AtNode && N.PathFirst != None) {
    bool Search = IsDir && GrantBelow != None;
    return answer(N.PathFirst, N.PathUnion | (Search ? AccessExecute : 0),
                  DecisionKind::Path);
  }
  // 3. The longest dir-default, merged (deny wins); 4. else the default.
  ppi_answer A = answer(None, AccessNone, DecisionKind::Default);
  if (N.DirDefaultNode != None) {
    const TreeNode &D = Tree[N.DirDefaultNode];
    A = D.DirDefaultDeny != None
            ? answer(D.DirDefaultDeny, AccessNone, DecisionKind::DirDefault)
            : answer(D.DirDefaultFirst, D.DirDefaultUnion,
                     DecisionKind::DirDefault);
  }
  // 5. Directories: a granting dir-default implies search access; else a
  // granting rule below does, and explains the answer if nothing else gave
  // access.
  if (!IsDir)
    return A;
  if (A.access != AccessNone) {
    A.access |= AccessExecute;
    return A;
  }
  if (GrantBelow != None)
    return answer(GrantBelow, AccessExecute, DecisionKind::Implicit);
  return A;
}

/// One slot for one child, else the smallest power of two at load <= 3/4
/// (the loader checks the same function).
uint32_t tableSize(uint32_t Children) {
  uint32_t Size = ppi_table_size(Children);
  if (Children != 0 && Size == 0)
    llvm::report_fatal_error("policy too large for an image: hash table");
  return Size;
}

PeaTables TreeBuilder::emit(uint32_t FirstNode, uint32_t FirstSlot) const {
  PeaTables T;
  T.Nodes.reserve(Tree.size());
  uint32_t SlotCount = 0;
  for (const TreeNode &N : Tree)
    SlotCount += tableSize(N.ChildCount);
  ppi_slot Empty{};
  Empty.child = None;
  T.Slots.assign(SlotCount, Empty);

  uint32_t NextSlot = 0;
  for (const TreeNode &N : Tree) {
    ppi_node Out{};
    Out.answer[PPI_AT_FILE] = decide(N, true, false);
    Out.answer[PPI_AT_DIR] = decide(N, true, true);
    Out.answer[PPI_BELOW_FILE] = decide(N, false, false);
    Out.answer[PPI_BELOW_DIR] = decide(N, false, true);
    Out.transition =
        N.TransitionCover == None ? None : FirstRule + N.TransitionCover;
    Out.first_slot = FirstSlot + NextSlot;
    Out.slot_count = tableSize(N.ChildCount);
    Out.depth = N.Depth;
    NextSlot += Out.slot_count;
    T.Nodes.push_back(Out);
  }
  // Children in index order (the sorted order) into their parent's table.
  for (size_t I = 1; I < Tree.size(); ++I) {
    const TreeNode &N = Tree[I];
    const ppi_node &Parent = T.Nodes[N.Parent];
    uint32_t Hash = ppi_fnv1a(N.Name.data(), N.Name.size());
    uint32_t Mask = Parent.slot_count - 1;
    uint32_t Table = Parent.first_slot - FirstSlot;
    uint32_t At = Hash & Mask;
    while (T.Slots[Table + At].child != None)
      At = (At + 1) & Mask;
    ppi_slot &S = T.Slots[Table + At];
    S.hash = Hash;
    S.name_off = N.NameOff;
    S.name_len = static_cast<uint32_t>(N.Name.size());
    S.child = FirstNode + static_cast<uint32_t>(I);
    // The walk reads the child's table from here, not from the child.
    S.first_slot = T.Nodes[I].first_slot;
    S.slot_count = T.Nodes[I].slot_count;
  }
  return T;
}

} // namespace

PeaTables buildPeaTree(std::vector<TreeRule> Rules, uint32_t FirstRule,
                       uint32_t FirstNode, uint32_t FirstSlot) {
  TreeBuilder B(FirstRule);
  B.addRules(Rules);
  B.propagate();
  return B.emit(FirstNode, FirstSlot);
}

} // namespace peapod::kmod
