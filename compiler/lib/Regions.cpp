//===- Regions.cpp - A pea's paths, cut into regions of one answer --------===//
//
// Three linear passes after one sort:
//   1. the source paths, sorted in component order, build the trie in
//      pre-order with a stack (no per-node maps), and each node records the
//      rules written exactly on its path;
//   2. top-down, each node inherits what covers it from above (the
//      shallowest deny, the longest dir-default, the longest transition);
//      bottom-up, each node learns the first granting rule below it;
//   3. each node's four answers are decided from those facts, mirroring the
//      reference evaluator step by step.
//
//===----------------------------------------------------------------------===//
#include "peapod/Regions.h"
#include "peapod/Path.h"
#include <algorithm>
#include <cstring>

namespace peapod {

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

namespace {

/// Minimum of two rule indices where NoRule means absent.
uint32_t first(uint32_t A, uint32_t B) { return std::min(A, B); }

/// A path to place in the tree, and what is written on it.
struct SourceEntry {
  llvm::StringRef Path;
  uint32_t Source; ///< index into the sources (see PeaRegions::sourcePath)
  uint32_t Rule;   ///< FileRules or Transitions index; NoRule: extra path
  enum : uint8_t { PathRule, DirDefault, Transition, Extra } Kind;
  uint8_t Access;
};

/// What a node knows while the tree is built.
struct Facts {
  // Rules written exactly on this node's path (FileRules indices).
  uint32_t PathFirst = NoRule, PathDeny = NoRule; ///< `path` rules
  uint8_t PathUnion = 0;
  uint32_t DirDefaultFirst = NoRule, DirDefaultDeny = NoRule;
  uint8_t DirDefaultUnion = 0;
  uint32_t GrantFirst = NoRule; ///< first file rule here with access != 0
  uint32_t TransitionHere = NoRule; ///< Transitions index

  // Derived along the tree (pass 2).
  uint32_t DenyCover = NoRule;      ///< shallowest deny `path` on or above
  uint32_t DirDefaultNode = NoRule; ///< node of the longest dir-default
  uint32_t GrantBelow = NoRule;     ///< first granting rule strictly below
};

} // namespace

class RegionBuilder {
public:
  /// `Fresh`: start a tree (with its root); else index an assembled one.
  explicit RegionBuilder(PeaRegions &Out, bool Fresh = true) : Out(Out) {
    if (!Fresh)
      return;
    Out.Nodes.emplace_back(); // the root, "/"
    Info.emplace_back();
  }

  void add(std::vector<SourceEntry> &Entries);
  void propagate();
  void decideAll();
  void indexChildren();

private:
  uint32_t nodeFor(const SourceEntry &E);
  void record(uint32_t Node, const SourceEntry &E);
  Decision decide(uint32_t Node, bool AtNode, bool IsDir) const;

  PeaRegions &Out;
  std::vector<Facts> Info;         ///< by node
  std::vector<uint32_t> PathStack; ///< nodes on the previous entry's path
};

void RegionBuilder::add(std::vector<SourceEntry> &Entries) {
  // Ties keep source order, which is rule order: the first rule of a kind on
  // a path is seen first.
  std::stable_sort(Entries.begin(), Entries.end(),
                   [](const SourceEntry &A, const SourceEntry &B) {
                     return componentCompare(A.Path, B.Path) < 0;
                   });
  PathStack.assign(1, 0);
  for (const SourceEntry &E : Entries)
    record(nodeFor(E), E);
}

/// The node of E's path, creating the missing ones. Entries arrive in
/// component order, so the path shares a prefix with the previous one
/// (PathStack) and any new node is the last child of its parent.
uint32_t RegionBuilder::nodeFor(const SourceEntry &E) {
  size_t Depth = 0;
  size_t Pos = 1; // past the leading '/'
  while (Pos < E.Path.size()) {
    size_t End = std::min(E.Path.find('/', Pos), E.Path.size());
    llvm::StringRef Name = E.Path.slice(Pos, End);
    ++Depth;
    if (PathStack.size() <= Depth || Out.Nodes[PathStack[Depth]].Name != Name) {
      PathStack.resize(Depth);
      uint32_t Parent = PathStack.back();
      RegionNode N;
      N.Name = Name;
      N.Parent = Parent;
      N.Depth = static_cast<uint32_t>(Depth);
      N.Source = {E.Source, static_cast<uint32_t>(Pos)};
      ++Out.Nodes[Parent].ChildCount;
      PathStack.push_back(static_cast<uint32_t>(Out.Nodes.size()));
      Out.Nodes.push_back(N);
      Info.emplace_back();
    }
    Pos = End + 1;
  }
  PathStack.resize(Depth + 1);
  return PathStack.back();
}

void RegionBuilder::record(uint32_t Node, const SourceEntry &E) {
  Facts &F = Info[Node];
  auto Keep = [&](uint32_t &Slot) { Slot = first(Slot, E.Rule); };
  switch (E.Kind) {
  case SourceEntry::PathRule:
    Keep(F.PathFirst);
    F.PathUnion |= E.Access;
    if (E.Access == AccessNone)
      Keep(F.PathDeny);
    break;
  case SourceEntry::DirDefault:
    Keep(F.DirDefaultFirst);
    F.DirDefaultUnion |= E.Access;
    if (E.Access == AccessNone)
      Keep(F.DirDefaultDeny);
    break;
  case SourceEntry::Transition:
    Keep(F.TransitionHere);
    return;
  case SourceEntry::Extra:
    return;
  }
  if (E.Access != AccessNone)
    Keep(F.GrantFirst);
}

void RegionBuilder::propagate() {
  std::vector<RegionNode> &Nodes = Out.Nodes;
  for (size_t I = 0; I < Nodes.size(); ++I) {
    Facts &F = Info[I];
    const Facts *Up = I ? &Info[Nodes[I].Parent] : nullptr;
    // The shallowest deny wins, so an inherited one beats the node's own.
    F.DenyCover = Up && Up->DenyCover != NoRule ? Up->DenyCover : F.PathDeny;
    // The longest dir-default and transition win: the node's own first.
    F.DirDefaultNode = F.DirDefaultFirst != NoRule ? static_cast<uint32_t>(I)
                       : Up                        ? Up->DirDefaultNode
                                                   : NoRule;
    Nodes[I].Transition = F.TransitionHere != NoRule ? F.TransitionHere
                          : I                        ? Nodes[Nodes[I].Parent].Transition
                                                     : NoRule;
  }
  for (size_t I = Nodes.size(); I-- > 1;) {
    Facts &Up = Info[Nodes[I].Parent];
    Up.GrantBelow = first(Up.GrantBelow, first(Info[I].GrantFirst, Info[I].GrantBelow));
  }
}

/// The semantics (ReferenceEvaluator::access) for a path exactly at node N
/// (AtNode) or strictly below it and outside the tree: there, no rule is on
/// the path or below it, so only what covers N decides.
Decision RegionBuilder::decide(uint32_t Node, bool AtNode, bool IsDir) const {
  const Facts &N = Info[Node];
  // 1. Deny dominance.
  if (N.DenyCover != NoRule)
    return {AccessNone, DecisionKind::Path, N.DenyCover};
  uint32_t GrantBelow = AtNode ? N.GrantBelow : NoRule;
  // 2. `path` rules on the path itself; 5. plus search access for a
  // directory with a granting rule below.
  if (AtNode && N.PathFirst != NoRule) {
    bool Search = IsDir && GrantBelow != NoRule;
    return {uint8_t(N.PathUnion | (Search ? AccessExecute : 0)),
            DecisionKind::Path, N.PathFirst};
  }
  // 3. The longest dir-default, merged (deny wins); 4. else the default.
  Decision A;
  if (N.DirDefaultNode != NoRule) {
    const Facts &D = Info[N.DirDefaultNode];
    A = D.DirDefaultDeny != NoRule
            ? Decision{AccessNone, DecisionKind::DirDefault, D.DirDefaultDeny}
            : Decision{D.DirDefaultUnion, DecisionKind::DirDefault,
                       D.DirDefaultFirst};
  }
  // 5. Directories: a granting dir-default implies search access; else a
  // granting rule below does, and explains the answer if nothing else gave
  // access.
  if (!IsDir)
    return A;
  if (A.Access != AccessNone) {
    A.Access |= AccessExecute;
    return A;
  }
  if (GrantBelow != NoRule)
    return {AccessExecute, DecisionKind::Implicit, GrantBelow};
  return A;
}

void RegionBuilder::decideAll() {
  for (uint32_t I = 0; I < Out.Nodes.size(); ++I) {
    Decision *A = Out.Nodes[I].Answers;
    A[AtFile] = decide(I, true, false);
    A[AtDir] = decide(I, true, true);
    A[BelowFile] = decide(I, false, false);
    A[BelowDir] = decide(I, false, true);
  }
  std::vector<Facts>().swap(Info);
}

/// Children of each node, contiguous and in pre-order (which is name order).
void RegionBuilder::indexChildren() {
  std::vector<RegionNode> &Nodes = Out.Nodes;
  uint32_t Next = 0;
  for (RegionNode &N : Nodes) {
    N.FirstChild = Next;
    Next += N.ChildCount;
    N.ChildCount = 0; // recounted as they are placed
  }
  Out.Children.resize(Next);
  for (uint32_t I = 1; I < Nodes.size(); ++I) {
    RegionNode &Up = Nodes[Nodes[I].Parent];
    Out.Children[Up.FirstChild + Up.ChildCount++] = I;
  }
}

PeaRegions PeaRegions::build(const Pea &P,
                             llvm::ArrayRef<llvm::StringRef> ExtraPaths) {
  PeaRegions R;
  std::vector<SourceEntry> Entries;
  Entries.reserve(P.FileRules.size() + P.Transitions.size() + ExtraPaths.size());
  R.Sources.reserve(Entries.capacity());
  auto Add = [&](llvm::StringRef Path, uint32_t Rule, auto Kind, uint8_t Access) {
    uint32_t Source = static_cast<uint32_t>(R.Sources.size());
    R.Sources.push_back(Path);
    Entries.push_back({Path, Source, Rule, Kind, Access});
  };
  for (uint32_t I = 0; I < P.FileRules.size(); ++I) {
    const ast::Rule &Rule = *P.FileRules[I];
    Add(Rule.Path, I,
        Rule.Kind == ast::RuleKind::Path ? SourceEntry::PathRule
                                         : SourceEntry::DirDefault,
        Rule.Access);
  }
  for (uint32_t I = 0; I < P.Transitions.size(); ++I)
    Add(P.Transitions[I].Source->Path, I, SourceEntry::Transition, AccessNone);
  for (llvm::StringRef Extra : ExtraPaths)
    Add(Extra, NoRule, SourceEntry::Extra, AccessNone);

  RegionBuilder B(R);
  B.add(Entries);
  B.propagate();
  B.decideAll();
  B.indexChildren();
  return R;
}

PeaRegions PeaRegions::assemble(std::vector<RegionNode> Nodes,
                                std::vector<llvm::StringRef> Sources) {
  PeaRegions R;
  R.Nodes = std::move(Nodes);
  R.Sources = std::move(Sources);
  for (RegionNode &N : R.Nodes)
    N.ChildCount = 0;
  for (size_t I = 1; I < R.Nodes.size(); ++I)
    ++R.Nodes[R.Nodes[I].Parent].ChildCount;
  RegionBuilder(R, /*Fresh=*/false).indexChildren();
  // find() binary-searches children by name.
  for (RegionNode &N : R.Nodes)
    std::sort(R.Children.begin() + N.FirstChild,
              R.Children.begin() + N.FirstChild + N.ChildCount,
              [&](uint32_t A, uint32_t B) {
                return R.Nodes[A].Name < R.Nodes[B].Name;
              });
  return R;
}

std::string PeaRegions::path(uint32_t N) const {
  if (N == 0)
    return "/";
  std::vector<llvm::StringRef> Parts;
  for (; N != 0; N = Nodes[N].Parent)
    Parts.push_back(Nodes[N].Name);
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    (Out += '/') += *It;
  return Out;
}

PeaRegions::Place PeaRegions::find(llvm::StringRef Path) const {
  uint32_t Node = 0;
  for (llvm::StringRef Rest = Path.ltrim('/'); !Rest.empty();
       Rest = Rest.ltrim('/')) {
    auto [Name, Tail] = Rest.split('/');
    llvm::ArrayRef<uint32_t> Kids = children(Node);
    auto It = std::lower_bound(Kids.begin(), Kids.end(), Name,
                               [&](uint32_t C, llvm::StringRef N) {
                                 return Nodes[C].Name < N;
                               });
    if (It == Kids.end() || Nodes[*It].Name != Name)
      return {Node, false};
    Node = *It;
    Rest = Tail;
  }
  return {Node, true};
}

Decision PeaRegions::decide(llvm::StringRef Path, bool IsDirectory) const {
  Place P = find(Path);
  return Nodes[P.Node].Answers[(P.Exact ? AtFile : BelowFile) + IsDirectory];
}

uint32_t PeaRegions::transition(llvm::StringRef Path) const {
  return Nodes[find(Path).Node].Transition;
}

namespace {

/// Where one tree stands at a node of the union: its own node there, or
/// (absent) the deepest of its nodes above, whose Below answers apply.
struct TreeAt {
  uint32_t Node;
  bool Present;
};

class JointWalk {
public:
  JointWalk(llvm::ArrayRef<const PeaRegions *> Trees,
            llvm::function_ref<void(const JointRegion &)> Visit)
      : Trees(Trees), Visit(Visit), Answers(Trees.size()),
        Transitions(Trees.size()) {}

  void run() {
    std::vector<TreeAt> Root(Trees.size(), TreeAt{0, true});
    Path.assign(1, '/'); // not = "/": GCC 12 warns falsely (-Wrestrict)
    walk(Root);
  }

private:
  void visit(const std::vector<TreeAt> &At) {
    for (uint8_t Slot = AtFile; Slot <= BelowDir; ++Slot) {
      for (size_t T = 0; T < Trees.size(); ++T) {
        const RegionNode &N = Trees[T]->node(At[T].Node);
        // A path in the union but not in this tree is below its node.
        uint8_t Own = At[T].Present ? Slot : uint8_t(BelowFile + (Slot & 1));
        Answers[T] = N.Answers[Own];
        Transitions[T] = N.Transition;
      }
      Visit({Path, RegionSlot(Slot), Answers, Transitions});
    }
  }

  /// Visits the node, then its children: the union of the trees' children,
  /// by name. Recursion depth is the path depth, at most 2048 components.
  void walk(const std::vector<TreeAt> &At) {
    visit(At);
    std::vector<size_t> Next(Trees.size(), 0); // per tree, next child
    for (;;) {
      // The smallest child name among the trees still present here.
      llvm::StringRef Name;
      bool Any = false;
      for (size_t T = 0; T < Trees.size(); ++T) {
        if (!At[T].Present)
          continue;
        llvm::ArrayRef<uint32_t> Kids = Trees[T]->children(At[T].Node);
        if (Next[T] < Kids.size()) {
          llvm::StringRef N = Trees[T]->node(Kids[Next[T]]).Name;
          if (!Any || N < Name)
            Name = N;
          Any = true;
        }
      }
      if (!Any)
        return;
      std::vector<TreeAt> Child = At;
      for (size_t T = 0; T < Trees.size(); ++T) {
        Child[T].Present = false;
        if (!At[T].Present)
          continue;
        llvm::ArrayRef<uint32_t> Kids = Trees[T]->children(At[T].Node);
        if (Next[T] < Kids.size() &&
            Trees[T]->node(Kids[Next[T]]).Name == Name)
          Child[T] = {Kids[Next[T]++], true};
      }
      size_t Mark = Path.size();
      Path.append(Path.size() > 1 ? 1 : 0, '/').append(Name.data(), Name.size());
      walk(Child);
      Path.resize(Mark);
    }
  }

  llvm::ArrayRef<const PeaRegions *> Trees;
  llvm::function_ref<void(const JointRegion &)> Visit;
  std::vector<Decision> Answers;
  std::vector<uint32_t> Transitions;
  std::string Path;
};

} // namespace

void forEachJointRegion(llvm::ArrayRef<const PeaRegions *> Trees,
                        llvm::function_ref<void(const JointRegion &)> Visit) {
  if (!Trees.empty())
    JointWalk(Trees, Visit).run();
}

} // namespace peapod
