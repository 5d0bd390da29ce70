//===- TransitionGraph.cpp - Who can exec into whom, per pod --------------===//
#include "peapod/analyzer/TransitionGraph.h"
#include <algorithm>
#include <deque>

namespace peapod::analyzer {

TransitionGraph
TransitionGraph::build(const Pod &P, llvm::ArrayRef<uint32_t> Entries,
                       llvm::function_ref<bool(const TransitionEdge &)> Fires) {
  TransitionGraph G;
  G.ThePod = &P;
  uint32_t N = uint32_t(P.Peas.size());
  G.Out.resize(N);
  G.In.resize(N);
  for (uint32_t S = 0; S < N; ++S) {
    const Pea &Source = P.Peas[S];
    for (uint32_t I = 0; I < Source.Transitions.size(); ++I) {
      const peapod::Transition &T = Source.Transitions[I];
      if (T.TargetPea == S || T.TargetPea >= N)
        continue;
      uint32_t E = uint32_t(G.Edges.size());
      G.Edges.push_back({S, T.TargetPea, I, &T});
      if (Fires && !(G.Edges.back().Fires = Fires(G.Edges.back())))
        continue;
      G.Out[S].push_back(E);
      G.In[T.TargetPea].push_back(E);
    }
  }
  G.computeComponents();
  G.chooseEntries(Entries);
  G.reachFromEntries();
  return G;
}

// Tarjan's algorithm, iteratively (a pod may have many thousands of peas).
void TransitionGraph::computeComponents() {
  uint32_t N = peaCount();
  constexpr uint32_t Unvisited = UINT32_MAX;
  std::vector<uint32_t> Index(N, Unvisited), Low(N, 0);
  std::vector<bool> OnStack(N, false);
  std::vector<uint32_t> Stack;
  Component.assign(N, Unvisited);
  uint32_t NextIndex = 0, NextComponent = 0;
  struct Frame {
    uint32_t Pea, NextOut;
  };
  std::vector<Frame> Work;
  for (uint32_t Root = 0; Root < N; ++Root) {
    if (Index[Root] != Unvisited)
      continue;
    Work.push_back({Root, 0});
    Index[Root] = Low[Root] = NextIndex++;
    Stack.push_back(Root);
    OnStack[Root] = true;
    while (!Work.empty()) {
      Frame &F = Work.back();
      if (F.NextOut < Out[F.Pea].size()) {
        uint32_t W = Edges[Out[F.Pea][F.NextOut++]].Target;
        if (Index[W] == Unvisited) {
          Index[W] = Low[W] = NextIndex++;
          Stack.push_back(W);
          OnStack[W] = true;
          Work.push_back({W, 0});
        } else if (OnStack[W]) {
          Low[F.Pea] = std::min(Low[F.Pea], Index[W]);
        }
        continue;
      }
      uint32_t V = F.Pea;
      Work.pop_back();
      if (!Work.empty())
        Low[Work.back().Pea] = std::min(Low[Work.back().Pea], Low[V]);
      if (Low[V] != Index[V])
        continue;
      std::vector<uint32_t> Members;
      uint32_t W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack[W] = false;
        Component[W] = NextComponent;
        Members.push_back(W);
      } while (W != V);
      ++NextComponent;
      if (Members.size() > 1) {
        std::sort(Members.begin(), Members.end());
        Cycles.push_back(std::move(Members));
      }
    }
  }
  std::sort(Cycles.begin(), Cycles.end(),
            [](const auto &A, const auto &B) { return A.front() < B.front(); });
}

void TransitionGraph::chooseEntries(llvm::ArrayRef<uint32_t> Given) {
  uint32_t N = peaCount();
  IsEntry.assign(N, false);
  Explicit = !Given.empty();
  if (Explicit) {
    for (uint32_t P : Given)
      if (P < N)
        IsEntry[P] = true;
  } else {
    // A component is a source when no edge enters it from outside; each
    // source component gets an entry: its peas without incoming edges or,
    // if every one of them is entered (a cycle), its first pea.
    std::vector<bool> Entered(N, false);
    for (const TransitionEdge &E : Edges)
      if (E.Fires && Component[E.Source] != Component[E.Target])
        Entered[Component[E.Target]] = true;
    std::vector<bool> Covered(N, false);
    for (uint32_t P = 0; P < N; ++P)
      if (In[P].empty()) {
        IsEntry[P] = true;
        Covered[Component[P]] = true;
      }
    for (uint32_t P = 0; P < N; ++P)
      if (!Entered[Component[P]] && !Covered[Component[P]]) {
        IsEntry[P] = true;
        Covered[Component[P]] = true;
      }
  }
  for (uint32_t P = 0; P < N; ++P)
    if (IsEntry[P])
      EntryPeas.push_back(P);
}

void TransitionGraph::reachFromEntries() {
  FromEntry.assign(peaCount(), Unreached);
  std::deque<uint32_t> Queue;
  for (uint32_t P : EntryPeas) {
    FromEntry[P] = NoEdge;
    Queue.push_back(P);
  }
  while (!Queue.empty()) {
    uint32_t P = Queue.front();
    Queue.pop_front();
    for (uint32_t E : Out[P]) {
      uint32_t T = Edges[E].Target;
      if (FromEntry[T] == Unreached) {
        FromEntry[T] = E;
        Queue.push_back(T);
      }
    }
  }
}

TransitionGraph::Reach TransitionGraph::reachFrom(uint32_t Start) const {
  Reach R;
  R.Start = Start;
  R.ViaEdge.assign(peaCount(), NoEdge);
  R.Reached.assign(peaCount(), false);
  R.Reached[Start] = true;
  R.Order.push_back(Start);
  for (size_t I = 0; I < R.Order.size(); ++I)
    for (uint32_t E : Out[R.Order[I]]) {
      uint32_t T = Edges[E].Target;
      if (!R.Reached[T]) {
        R.Reached[T] = true;
        R.ViaEdge[T] = E;
        R.Order.push_back(T);
      }
    }
  return R;
}

std::vector<uint32_t> TransitionGraph::reachersOf(uint32_t Pea) const {
  std::vector<bool> Seen(peaCount(), false);
  std::vector<uint32_t> Order = {Pea};
  Seen[Pea] = true;
  for (size_t I = 0; I < Order.size(); ++I)
    for (uint32_t E : In[Order[I]]) {
      uint32_t S = Edges[E].Source;
      if (!Seen[S]) {
        Seen[S] = true;
        Order.push_back(S);
      }
    }
  std::sort(Order.begin(), Order.end());
  return Order;
}

std::vector<uint32_t> TransitionGraph::chain(const Reach &R,
                                             uint32_t To) const {
  std::vector<uint32_t> Chain;
  if (!R.Reached[To])
    return Chain;
  for (uint32_t E = R.ViaEdge[To]; E != NoEdge; E = R.ViaEdge[Edges[E].Source])
    Chain.push_back(E);
  std::reverse(Chain.begin(), Chain.end());
  return Chain;
}

std::vector<uint32_t> TransitionGraph::chainFromEntry(uint32_t Pea) const {
  std::vector<uint32_t> Chain;
  if (!reachable(Pea))
    return Chain;
  for (uint32_t E = FromEntry[Pea]; E != NoEdge; E = FromEntry[Edges[E].Source])
    Chain.push_back(E);
  std::reverse(Chain.begin(), Chain.end());
  return Chain;
}

std::vector<std::vector<uint32_t>>
resolveEntries(const Policy &P, llvm::ArrayRef<std::string> Names,
               std::vector<std::string> &Unknown) {
  std::vector<std::vector<uint32_t>> ByPod(P.Pods.size());
  for (const std::string &Name : Names) {
    llvm::StringRef PodName, PeaName = Name;
    if (PeaName.contains('/'))
      std::tie(PodName, PeaName) = PeaName.split('/');
    bool Found = false;
    for (uint32_t I = 0; I < P.Pods.size(); ++I) {
      if (!PodName.empty() && P.Pods[I].Name != PodName)
        continue;
      if (std::optional<uint32_t> Pea = P.Pods[I].findPea(PeaName)) {
        ByPod[I].push_back(*Pea);
        Found = true;
      }
    }
    if (!Found)
      Unknown.push_back(Name);
  }
  return ByPod;
}

} // namespace peapod::analyzer
