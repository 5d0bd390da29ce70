//===- EffectiveAccess.cpp - Comparing peas region by region --------------===//
#include "peapod/analyzer/EffectiveAccess.h"
#include <algorithm>
#include <unordered_map>

namespace peapod::analyzer {

static TreePosition childPosition(const PeaRegions &T, TreePosition P,
                                  llvm::StringRef Name) {
  if (!P.Exact)
    return P;
  llvm::ArrayRef<uint32_t> Kids = T.children(P.Node);
  auto It = std::lower_bound(
      Kids.begin(), Kids.end(), Name,
      [&](uint32_t C, llvm::StringRef N) { return T.node(C).Name < N; });
  if (It == Kids.end() || T.node(*It).Name != Name)
    return {P.Node, false};
  return {*It, true};
}

bool walkAgainst(const PeaRegions &A, const PeaRegions &B,
                 llvm::StringRef Under,
                 llvm::function_ref<bool(const RegionPair &)> Visit) {
  PeaRegions::Place Start = A.find(Under);
  if (!Start.Exact)
    return true;
  PeaRegions::Place BStart = B.find(Under);
  struct Item {
    uint32_t ANode;
    TreePosition BPos;
  };
  std::vector<Item> Stack = {{Start.Node, {BStart.Node, BStart.Exact}}};
  RegionPair R;
  R.A = &A;
  R.B = &B;
  while (!Stack.empty()) {
    Item I = Stack.back();
    Stack.pop_back();
    R.ANode = I.ANode;
    R.BPos = I.BPos;
    const RegionNode &N = A.node(I.ANode);
    // The root is a directory: asked as a file it is no region at all.
    for (uint8_t S = I.ANode == 0 ? AtDir : AtFile; S <= BelowDir; ++S) {
      R.Slot = RegionSlot(S);
      R.AAnswer = N.Answers[S];
      R.BAnswer = answerAt(B, I.BPos, R.Slot);
      if (!Visit(R))
        return false;
    }
    llvm::ArrayRef<uint32_t> Kids = A.children(I.ANode);
    // Pushed in reverse, so children are visited in ascending order.
    for (auto It = Kids.rbegin(); It != Kids.rend(); ++It)
      Stack.push_back({*It, childPosition(B, I.BPos, A.node(*It).Name)});
  }
  return true;
}

std::optional<JointWitness> findJointRegion(
    const PeaRegions &A, const PeaRegions &B,
    llvm::function_ref<bool(const Decision &, const Decision &, RegionSlot)>
        Holds,
    llvm::StringRef Under) {
  std::optional<JointWitness> Found;
  walkAgainst(A, B, Under, [&](const RegionPair &R) {
    if (!Holds(R.AAnswer, R.BAnswer, R.Slot))
      return true;
    Found = JointWitness{R.path(), R.Slot, R.AAnswer, R.BAnswer};
    return false;
  });
  if (Found)
    return Found;
  walkAgainst(B, A, Under, [&](const RegionPair &R) {
    if (!Holds(R.BAnswer, R.AAnswer, R.Slot))
      return true;
    Found = JointWitness{R.path(), R.Slot, R.BAnswer, R.AAnswer};
    return false;
  });
  if (Found || B.find(Under).Exact || A.find(Under).Exact)
    return Found;
  // Neither tree has Under: its whole subtree is one region of each.
  PeaRegions::Place PA = A.find(Under), PB = B.find(Under);
  for (RegionSlot S : {BelowFile, BelowDir}) {
    const Decision &DA = A.node(PA.Node).Answers[S];
    const Decision &DB = B.node(PB.Node).Answers[S];
    if (Holds(DA, DB, S))
      return JointWitness{Under.str(), S, DA, DB};
  }
  return Found;
}

void forEachRegionUnder(
    const PeaRegions &T, llvm::StringRef Path,
    llvm::function_ref<void(uint32_t, RegionSlot, const Decision &)> Visit) {
  PeaRegions::Place P = T.find(Path);
  if (!P.Exact) {
    Visit(P.Node, BelowFile, T.node(P.Node).Answers[BelowFile]);
    Visit(P.Node, BelowDir, T.node(P.Node).Answers[BelowDir]);
    return;
  }
  std::vector<uint32_t> Stack = {P.Node};
  while (!Stack.empty()) {
    uint32_t N = Stack.back();
    Stack.pop_back();
    for (uint8_t S = N == 0 ? AtDir : AtFile; S <= BelowDir; ++S)
      Visit(N, RegionSlot(S), T.node(N).Answers[S]);
    llvm::ArrayRef<uint32_t> Kids = T.children(N);
    Stack.insert(Stack.end(), Kids.rbegin(), Kids.rend());
  }
}

static bool permitsAny(const NetPolicy &N) {
  return !N.DenyAll && (N.AllowAll || !N.Ranges.empty());
}

bool isNetworkFacing(const Pea &P) {
  return permitsAny(P.Bind) || permitsAny(P.Outgoing);
}

/// The first (protocol, port) `Strong` permits and `Weak` does not.
static std::optional<PortRange> firstPortGap(const NetPolicy &Strong,
                                             const NetPolicy &Weak) {
  if (!permitsAny(Strong))
    return std::nullopt;
  if (!permitsAny(Weak) || (Strong.AllowAll && !Weak.AllowAll)) {
    if (!permitsAny(Weak) && !Strong.AllowAll)
      return Strong.Ranges.front();
    // Some port of Weak's complement.
    for (Protocol Proto : {Protocol::TCP, Protocol::UDP}) {
      uint32_t Port = 1;
      for (const PortRange &R : Weak.Ranges)
        if (R.Proto == Proto && R.Low <= Port && Port <= R.High)
          Port = uint32_t(R.High) + 1;
      if (Port <= 65535)
        return PortRange{Proto, uint16_t(Port), uint16_t(Port)};
    }
    return std::nullopt;
  }
  if (Weak.AllowAll)
    return std::nullopt;
  for (const PortRange &S : Strong.Ranges) {
    uint32_t Port = S.Low;
    // Weak's ranges are sorted and disjoint: skip those covering Port.
    for (const PortRange &W : Weak.Ranges)
      if (W.Proto == S.Proto && W.Low <= Port && Port <= W.High)
        Port = uint32_t(W.High) + 1;
    if (Port <= S.High)
      return PortRange{S.Proto, uint16_t(Port), uint16_t(Port)};
  }
  return std::nullopt;
}

static bool touches(const Pea &P, uint32_t Self, uint32_t Q) {
  return Q == Self || P.NamespaceGlobal ||
         std::binary_search(P.NamespacePeas.begin(), P.NamespacePeas.end(), Q);
}

std::optional<std::string> networkOrNamespaceGap(const Pod &P, uint32_t Strong,
                                                 uint32_t Weak) {
  const Pea &S = P.Peas[Strong], &W = P.Peas[Weak];
  if (auto Gap = firstPortGap(S.Bind, W.Bind))
    return "bind " + portRangeString(*Gap);
  if (auto Gap = firstPortGap(S.Outgoing, W.Outgoing))
    return "outgoing " + portRangeString(*Gap);
  if (W.NamespaceGlobal)
    return std::nullopt;
  auto Lacks = [&](uint32_t Q) {
    return Q != Strong && Q != Weak && !touches(W, Weak, Q);
  };
  if (S.NamespaceGlobal) {
    for (uint32_t Q = 0; Q < P.Peas.size(); ++Q)
      if (Lacks(Q))
        return "namespace global (touches pea '" + P.Peas[Q].Name.str() + "')";
    return std::nullopt;
  }
  for (uint32_t Q : S.NamespacePeas)
    if (Lacks(Q))
      return "namespace " + P.Peas[Q].Name.str();
  return std::nullopt;
}

std::optional<PrivilegeGap> morePrivileged(PodAccess &Access, uint32_t Strong,
                                           uint32_t Weak) {
  if (auto Gap = networkOrNamespaceGap(Access.pod(), Strong, Weak))
    return PrivilegeGap{*Gap, std::nullopt};
  auto StrictSuperset = [](const Decision &S, const Decision &W, RegionSlot) {
    uint8_t SA = countedAccess(S), WA = countedAccess(W);
    return SA != WA && (SA & WA) == WA;
  };
  std::optional<JointWitness> Region =
      findJointRegion(Access.tree(Strong), Access.tree(Weak), StrictSuperset);
  if (!Region)
    return std::nullopt;
  return PrivilegeGap{accessString(Region->AAnswer.Access) + " on " +
                          regionText(Region->Path, Region->Slot),
                      Region};
}

std::string regionText(llvm::StringRef Path, RegionSlot Slot) {
  // Appended piece by piece: GCC 12's -O3 -Wrestrict misfires on
  // "'" + std::string.
  std::string Out;
  if (Slot == BelowFile)
    Out = "files under ";
  else if (Slot == BelowDir)
    Out = "directories under ";
  Out += '\'';
  Out.append(Path.data(), Path.size());
  if (Slot != AtFile && Path != "/")
    Out += '/';
  Out += '\'';
  return Out;
}

bool transitionFires(const PeaRegions &Source, const TransitionEdge &E) {
  return !walkAgainst(Source, Source, E.path(), [&](const RegionPair &R) {
    return !firesEdge(R, E.Index);
  });
}

TransitionGraph firingGraph(PodAccess &Access,
                            llvm::ArrayRef<uint32_t> Entries) {
  return TransitionGraph::build(
      Access.pod(), Entries, [&](const TransitionEdge &E) {
        return transitionFires(Access.tree(E.Source), E);
      });
}

const PeaRegions &PodAccess::tree(uint32_t Pea) {
  if (!Trees[Pea])
    Trees[Pea] =
        std::make_unique<PeaRegions>(PeaRegions::build(ThePod.Peas[Pea]));
  return *Trees[Pea];
}

} // namespace peapod::analyzer

namespace peapod::analyzer {

static bool sameNet(const NetPolicy &A, const NetPolicy &B) {
  return A.AllowAll == B.AllowAll && A.DenyAll == B.DenyAll &&
         A.Ranges == B.Ranges;
}

/// Equal trees: node for node, the same names and answers (access and
/// kind; which rule decided does not matter for privilege).
static bool sameRegions(const PeaRegions &A, const PeaRegions &B) {
  if (A.nodes().size() != B.nodes().size())
    return false;
  for (size_t N = 0; N < A.nodes().size(); ++N) {
    const RegionNode &X = A.node(uint32_t(N)), &Y = B.node(uint32_t(N));
    if (X.Name != Y.Name || X.Parent != Y.Parent)
      return false;
    for (int S = 0; S < 4; ++S)
      if (X.Answers[S].Access != Y.Answers[S].Access ||
          X.Answers[S].Kind != Y.Answers[S].Kind)
        return false;
  }
  return true;
}

static size_t privilegeHash(const Pea &P, const PeaRegions &T) {
  llvm::hash_code H = llvm::hash_combine(
      P.Bind.AllowAll, P.Bind.DenyAll, P.Bind.Ranges.size(),
      P.Outgoing.AllowAll, P.Outgoing.DenyAll, P.Outgoing.Ranges.size(),
      P.NamespaceGlobal, P.NamespacePeas.size(), T.nodes().size());
  for (const RegionNode &N : T.nodes()) {
    H = llvm::hash_combine(H, N.Name, N.Parent);
    for (const Decision &D : N.Answers)
      H = llvm::hash_combine(H, D.Access, uint8_t(D.Kind));
  }
  return size_t(H);
}

void PodAccess::computeClasses() {
  uint32_t N = uint32_t(ThePod.Peas.size());
  ClassOf.assign(N, 0);
  std::unordered_map<size_t, std::vector<uint32_t>> ByHash; // -> classes
  for (uint32_t P = 0; P < N; ++P) {
    const Pea &Pea = ThePod.Peas[P];
    std::vector<uint32_t> &Candidates = ByHash[privilegeHash(Pea, tree(P))];
    uint32_t Found = UINT32_MAX;
    for (uint32_t C : Candidates) {
      const struct Pea &Rep = ThePod.Peas[Members[C].front()];
      if (sameNet(Pea.Bind, Rep.Bind) && sameNet(Pea.Outgoing, Rep.Outgoing) &&
          Pea.NamespaceGlobal == Rep.NamespaceGlobal &&
          Pea.NamespacePeas == Rep.NamespacePeas &&
          sameRegions(tree(P), tree(Members[C].front()))) {
        Found = C;
        break;
      }
    }
    if (Found == UINT32_MAX) {
      Found = uint32_t(Members.size());
      Members.emplace_back();
      Candidates.push_back(Found);
    }
    Members[Found].push_back(P);
    ClassOf[P] = Found;
  }
}

uint32_t PodAccess::privilegeClass(uint32_t Pea) {
  if (ClassOf.empty())
    computeClasses();
  return ClassOf[Pea];
}

llvm::ArrayRef<uint32_t> PodAccess::classMembers(uint32_t C) {
  if (ClassOf.empty())
    computeClasses();
  return Members[C];
}

uint32_t PodAccess::classCount() {
  if (ClassOf.empty())
    computeClasses();
  return uint32_t(Members.size());
}

} // namespace peapod::analyzer
