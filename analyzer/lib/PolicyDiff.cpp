//===- PolicyDiff.cpp - The exact semantic difference of two policies ----===//
//
// One joint region walk per pea pair. A changed region is reported once, at
// the shallowest node where it shows: a node's region whose decisions (on
// both sides, with the rules and transitions) equal those of the paths below
// its parent is the same region as that one, and is folded into its row.
//
//===----------------------------------------------------------------------===//
#include "peapod/analyzer/PolicyDiff.h"
#include "peapod/Path.h"
#include "peapod/TextEscape.h"
#include <algorithm>
#include <map>
#include <set>

namespace peapod::analyzer {

bool PolicyDiff::widens() const {
  return std::any_of(Peas.begin(), Peas.end(),
                     [](const PeaDiff &P) { return P.Widens; });
}

bool hasPod(const ProfileSource &S, llvm::StringRef Name) {
  std::vector<std::string> Pods = S.pods();
  return std::find(Pods.begin(), Pods.end(), Name) != Pods.end();
}

namespace {

/// A region's decisions on both sides, with the transitions covering it:
/// two regions with equal keys answer every query alike.
struct SlotKey {
  Decision Old, New;
  uint32_t OldTransition = NoRule, NewTransition = NoRule;
  bool operator==(const SlotKey &) const = default;
  bool changed() const { return Old.Access != New.Access; }
};

DiffSide sideOf(const PeaProfile &P, const Decision &D) {
  DiffSide S;
  S.Access = D.Access;
  S.Kind = D.Kind;
  if (D.Kind != DecisionKind::Default && D.Rule < P.FileRules.size())
    S.Rule = P.FileRules[D.Rule];
  S.Text = decisionText(P, D);
  return S;
}

/// The pea an exec in a region runs in: nullopt if denied.
std::optional<std::string> execOutcome(const PeaProfile &P, const Decision &D,
                                       uint32_t Transition) {
  if (!(D.Access & AccessExecute))
    return std::nullopt;
  if (Transition != NoRule && Transition < P.Transitions.size())
    return P.Transitions[Transition].Target;
  return P.Pea;
}

std::optional<RuleInfo> transitionRule(const PeaProfile &P, uint32_t T) {
  if (T == NoRule || T >= P.Transitions.size())
    return std::nullopt;
  return P.Transitions[T].Rule;
}

/// The regions and exec outcomes of one pea pair, node by node.
class RegionDiffer {
public:
  RegionDiffer(const PeaProfile &Old, const PeaProfile &New, PeaDiff &Out)
      : Old(Old), New(New), Out(Out) {}

  void run() {
    const PeaRegions *Trees[] = {&Old.Regions, &New.Regions};
    forEachJointRegion(Trees, [&](const JointRegion &R) {
      Keys[R.Slot] = {R.Answers[0], R.Answers[1], R.Transitions[0],
                      R.Transitions[1]};
      if (R.Slot == BelowDir)
        node(R.Path);
    });
  }

private:
  struct Frame {
    std::string Path;
    SlotKey Below[2]; ///< file, directory
  };

  void node(llvm::StringRef Path) {
    while (!Stack.empty() && !isProperAncestor(Stack.back().Path, Path))
      Stack.pop_back();
    const Frame *Parent = Stack.empty() ? nullptr : &Stack.back();
    size_t First = Out.Regions.size();
    for (bool Dir : {false, true}) {
      const SlotKey &At = Keys[AtFile + Dir], &Below = Keys[BelowFile + Dir];
      bool FoldAt = Parent && At == Parent->Below[Dir];
      bool FoldBelow = Parent && Below == Parent->Below[Dir];
      auto Emit = [&](RegionScope Scope, const SlotKey &K) {
        if (K.changed())
          region(Path, Scope, Dir, K);
        if (!Dir)
          exec(Path, Scope, K);
      };
      if (!FoldAt && !FoldBelow && At == Below) {
        Emit(RegionScope::Tree, At);
        continue;
      }
      if (!FoldAt)
        Emit(RegionScope::At, At);
      if (!FoldBelow)
        Emit(RegionScope::Below, Below);
    }
    mergeFileAndDirectory(First);
    Stack.push_back({Path.str(), {Keys[BelowFile], Keys[BelowDir]}});
  }

  /// A node's file row and directory row of one scope that say the same
  /// become one row.
  void mergeFileAndDirectory(size_t First) {
    auto Same = [](const DiffSide &A, const DiffSide &B) {
      return A.Access == B.Access && A.Kind == B.Kind && A.Text == B.Text;
    };
    std::vector<RegionChange> &R = Out.Regions;
    for (size_t F = First; F < R.size(); ++F)
      for (size_t D = F + 1; D < R.size(); ++D)
        if (!R[F].Directory && R[D].Directory && R[F].Scope == R[D].Scope &&
            Same(R[F].Old, R[D].Old) && Same(R[F].New, R[D].New)) {
          R[F].Both = true;
          R.erase(R.begin() + D);
          break;
        }
  }

  void region(llvm::StringRef Path, RegionScope Scope, bool Dir,
              const SlotKey &K) {
    RegionChange C{Path.str(), Scope, Dir, sideOf(Old, K.Old),
                   sideOf(New, K.New), 0, 0};
    C.Gained = K.New.Access & ~K.Old.Access;
    C.Lost = K.Old.Access & ~K.New.Access;
    Out.Widens |= C.Gained != 0;
    Out.Regions.push_back(std::move(C));
  }

  /// An exec row when the outcome changed beyond what the access row says
  /// (newly allowed or denied, staying in the pea).
  void exec(llvm::StringRef Path, RegionScope Scope, const SlotKey &K) {
    std::optional<std::string> Was = execOutcome(Old, K.Old, K.OldTransition);
    std::optional<std::string> Is = execOutcome(New, K.New, K.NewTransition);
    if (Was == Is)
      return;
    bool OnlyAccess = (!Was && Is == New.Pea) || (!Is && Was == Old.Pea);
    if (OnlyAccess)
      return;
    ExecChange C{Path.str(), Scope, Was, Is,
                 transitionRule(Old, K.OldTransition),
                 transitionRule(New, K.NewTransition), Is.has_value()};
    Out.Widens |= C.Widens;
    Out.Execs.push_back(std::move(C));
  }

  const PeaProfile &Old, &New;
  PeaDiff &Out;
  SlotKey Keys[4];
  std::vector<Frame> Stack;
};

void diffTransitions(const PeaProfile &Old, const PeaProfile &New,
                     PeaDiff &Out) {
  auto ByPath = [](const PeaProfile &P) {
    std::map<std::string, TransitionInfo> M;
    for (const TransitionInfo &T : P.Transitions)
      M.emplace(T.Rule.Path, T); // the first rule on a path names it
    return M;
  };
  std::map<std::string, TransitionInfo> Was = ByPath(Old), Is = ByPath(New);
  std::set<std::string> Paths;
  for (const auto &[P, T] : Was)
    Paths.insert(P);
  for (const auto &[P, T] : Is)
    Paths.insert(P);
  std::vector<std::string> Sorted(Paths.begin(), Paths.end());
  std::sort(Sorted.begin(), Sorted.end(),
            [](const std::string &A, const std::string &B) {
              return componentCompare(A, B) < 0;
            });
  for (const std::string &P : Sorted) {
    auto W = Was.find(P), I = Is.find(P);
    TransitionChange C{P, std::nullopt, std::nullopt};
    if (W != Was.end())
      C.Old = W->second;
    if (I != Is.end())
      C.New = I->second;
    if (C.Old && C.New && C.Old->Target == C.New->Target)
      continue;
    Out.Transitions.push_back(std::move(C));
  }
}

/// The ports a policy permits, as sorted disjoint ranges.
std::vector<PortRange> portSet(const NetPolicy &N) {
  if (N.DenyAll)
    return {};
  if (N.AllowAll)
    return {{Protocol::TCP, 1, 65535}, {Protocol::UDP, 1, 65535}};
  std::vector<PortRange> R = N.Ranges;
  std::sort(R.begin(), R.end());
  return R;
}

void diffPorts(const char *Kind, const NetPolicy &Old, const NetPolicy &New,
               PeaDiff &Out) {
  PortChange C{Kind, Old, New, portsMinus(New, Old), portsMinus(Old, New)};
  bool RulesDiffer = Old.AllowAll != New.AllowAll ||
                     Old.DenyAll != New.DenyAll || Old.Ranges != New.Ranges;
  if (C.Gained.empty() && C.Lost.empty() && !RulesDiffer)
    return;
  Out.Widens |= !C.Gained.empty();
  Out.Ports.push_back(std::move(C));
}

std::set<std::string> touchSet(const PeaProfile &P,
                               const std::vector<std::string> &PodPeas) {
  std::set<std::string> S;
  if (P.NamespaceGlobal)
    S.insert(PodPeas.begin(), PodPeas.end());
  S.insert(P.Namespace.begin(), P.Namespace.end());
  S.erase(P.Pea); // a pea always touches its own processes
  return S;
}

void diffNamespace(const PeaProfile &Old, const std::vector<std::string> &OldPeas,
                   const PeaProfile &New, const std::vector<std::string> &NewPeas,
                   PeaDiff &Out) {
  std::set<std::string> Was = touchSet(Old, OldPeas), Is = touchSet(New, NewPeas);
  NamespaceChange C{Old.NamespaceGlobal, New.NamespaceGlobal, {}, {}};
  std::set_difference(Is.begin(), Is.end(), Was.begin(), Was.end(),
                      std::back_inserter(C.Gained));
  std::set_difference(Was.begin(), Was.end(), Is.begin(), Is.end(),
                      std::back_inserter(C.Lost));
  if (C.Gained.empty() && C.Lost.empty() && C.OldGlobal == C.NewGlobal)
    return;
  Out.Widens |= !C.Gained.empty();
  Out.Namespace = std::move(C);
}

} // namespace

std::vector<PortRange> portsMinus(const NetPolicy &A, const NetPolicy &B) {
  std::vector<PortRange> Out;
  std::vector<PortRange> Minus = portSet(B);
  for (const PortRange &R : portSet(A)) {
    uint32_t Low = R.Low; // 32 bits: High + 1 may be 65536
    for (const PortRange &M : Minus) {
      if (M.Proto != R.Proto || M.High < Low || M.Low > R.High)
        continue;
      if (M.Low > Low)
        Out.push_back({R.Proto, uint16_t(Low), uint16_t(M.Low - 1)});
      Low = uint32_t(M.High) + 1;
      if (Low > R.High)
        break;
    }
    if (Low <= R.High)
      Out.push_back({R.Proto, uint16_t(Low), R.High});
  }
  return Out;
}

PeaDiff diffPeas(const PeaProfile &Old, const std::vector<std::string> &OldPeas,
                 const PeaProfile &New, const std::vector<std::string> &NewPeas) {
  PeaDiff Out;
  Out.Pod = New.Pod;
  Out.Pea = New.Pea;
  RegionDiffer(Old, New, Out).run();
  diffTransitions(Old, New, Out);
  diffPorts("bind", Old.Bind, New.Bind, Out);
  diffPorts("outgoing", Old.Outgoing, New.Outgoing, Out);
  diffNamespace(Old, OldPeas, New, NewPeas, Out);
  return Out;
}

namespace {

std::optional<uint32_t> indexOf(const std::vector<std::string> &Names,
                                llvm::StringRef Name) {
  auto It = std::find(Names.begin(), Names.end(), Name);
  if (It == Names.end())
    return std::nullopt;
  return uint32_t(It - Names.begin());
}

/// The peas of one pod present on at least one side.
void diffPod(const ProfileSource &Old, std::optional<uint32_t> OldPod,
             const ProfileSource &New, uint32_t NewPod, PolicyDiff &Out) {
  std::vector<std::string> OldPeas = OldPod ? Old.peas(*OldPod)
                                            : std::vector<std::string>();
  std::vector<std::string> NewPeas = New.peas(NewPod);
  for (uint32_t E = 0; E < NewPeas.size(); ++E) {
    PeaProfile Is = New.profile(NewPod, E);
    std::optional<uint32_t> Match = indexOf(OldPeas, NewPeas[E]);
    PeaProfile Was = Match ? Old.profile(*OldPod, *Match)
                           : emptyProfile(Is.Pod, Is.Pea);
    PeaDiff D = diffPeas(Was, OldPeas, Is, NewPeas);
    if (!Match)
      D.Status = PeaDiff::Presence::Added;
    if (!D.empty())
      Out.Peas.push_back(std::move(D));
  }
  for (const std::string &Name : OldPeas)
    if (!indexOf(NewPeas, Name)) {
      PeaDiff D;
      D.Pod = New.pods()[NewPod];
      D.Pea = Name;
      D.Status = PeaDiff::Presence::Removed;
      Out.Peas.push_back(std::move(D));
    }
}

} // namespace

PolicyDiff diffPolicies(const ProfileSource &Old, const ProfileSource &New,
                        const DiffOptions &Opts) {
  PolicyDiff Out;
  std::vector<std::string> OldPods = Old.pods(), NewPods = New.pods();
  for (uint32_t D = 0; D < NewPods.size(); ++D) {
    if (!Opts.Pod.empty() && NewPods[D] != Opts.Pod)
      continue;
    std::optional<uint32_t> Match = indexOf(OldPods, NewPods[D]);
    if (!Match)
      Out.PodsAdded.push_back(NewPods[D]);
    diffPod(Old, Match, New, D, Out);
  }
  for (const std::string &Name : OldPods)
    if ((Opts.Pod.empty() || Name == Opts.Pod) && !indexOf(NewPods, Name))
      Out.PodsRemoved.push_back(Name);
  return Out;
}

} // namespace peapod::analyzer
