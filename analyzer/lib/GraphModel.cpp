//===- GraphModel.cpp - What `peapodc graph` draws, from the IR -----------===//
//
// Interim: reachability and escalation computed here straight from the IR,
// until the analyzer's TransitionGraph provides them (then describePolicy
// becomes a copy of its results into PodPicture).
//
//===----------------------------------------------------------------------===//
#include "peapod/Path.h"
#include "peapod/Policy.h"
#include "peapod/Regions.h"
#include "peapod/analyzer/GraphRender.h"
#include <algorithm>
#include <memory>

namespace peapod::analyzer {

namespace {

/// Shallow paths first: the widest grants are the ones worth a glance.
bool shallowerFirst(const std::string &A, const std::string &B) {
  unsigned DA = pathDepth(A), DB = pathDepth(B);
  return DA != DB ? DA < DB : A < B;
}

/// "include stdlibs, perl": the rule groups written in the pea, which an
/// administrator knows by name better than by their many paths.
std::string includeLine(const Pea &P) {
  std::string Line;
  for (const IncludeSite &Site : P.Includes)
    if (Site.Parent == NotIncluded)
      Line += (Line.empty() ? "include " : ", ") + Site.Include->Target.Text;
  return Line;
}

/// One line per access mask the rules written in the pea grant ("rw-
/// /var/spool/mail, /var/run +2"), widest masks first, each with its
/// topmost paths; then the rule groups it includes.
std::vector<std::string> accessSummary(const Pea &P) {
  constexpr unsigned Shown = 3;
  std::vector<std::string> Lines;
  for (uint8_t Mask : {7, 6, 3, 2, 5, 1, 4}) {
    std::vector<std::string> Paths;
    for (size_t I = 0; I < P.FileRules.size(); ++I)
      if (P.FileRules[I]->Access == Mask && P.FileRuleVia[I] == NotIncluded)
        Paths.push_back(P.FileRules[I]->Path);
    std::sort(Paths.begin(), Paths.end(), [](const auto &A, const auto &B) {
      return componentCompare(A, B) < 0;
    });
    // In component order a path's ancestors come before it.
    std::vector<std::string> Top;
    for (const std::string &Path : Paths)
      if (Top.empty() || !pathCovers(Top.back(), Path))
        Top.push_back(Path);
    if (Top.empty())
      continue;
    std::sort(Top.begin(), Top.end(), shallowerFirst);
    std::string Line = accessString(Mask) + " ";
    for (unsigned I = 0; I < Top.size() && I < Shown; ++I)
      Line += (I ? ", " : "") + Top[I];
    if (Top.size() > Shown)
      Line += " +" + std::to_string(Top.size() - Shown);
    Lines.push_back(Line);
  }
  if (std::string Includes = includeLine(P); !Includes.empty())
    Lines.push_back(Includes);
  return Lines;
}

std::string netLine(const char *Keyword, const NetPolicy &N) {
  if (N.DenyAll || (!N.AllowAll && N.Ranges.empty()))
    return "";
  if (N.AllowAll)
    return std::string(Keyword) + " allow";
  std::string Line = Keyword;
  for (const PortRange &R : N.Ranges)
    (Line += ' ') += portRangeString(R);
  return Line;
}

std::vector<std::string> networkSummary(const Pod &Pod, const Pea &P) {
  std::vector<std::string> Lines;
  for (std::string L :
       {netLine("bind", P.Bind), netLine("outgoing", P.Outgoing)})
    if (!L.empty())
      Lines.push_back(L);
  if (P.NamespaceGlobal) {
    Lines.push_back("namespace global");
  } else if (!P.NamespacePeas.empty()) {
    std::string Line = "namespace";
    for (uint32_t N : P.NamespacePeas)
      (Line += ' ') += Pod.Peas[N].Name;
    Lines.push_back(Line);
  }
  return Lines;
}

/// Whether every port `Strong` permits, `Weak` permits too.
bool netCovered(const NetPolicy &Strong, const NetPolicy &Weak) {
  if (Strong.DenyAll || (!Strong.AllowAll && Strong.Ranges.empty()))
    return true;
  if (Weak.DenyAll)
    return false;
  if (Weak.AllowAll)
    return true;
  if (Strong.AllowAll)
    return false;
  // Weak's ranges are merged (disjoint, not adjacent): a range is covered
  // only by a single one of them.
  return std::all_of(Strong.Ranges.begin(), Strong.Ranges.end(),
                     [&](const PortRange &R) {
                       return std::any_of(
                           Weak.Ranges.begin(), Weak.Ranges.end(),
                           [&](const PortRange &W) {
                             return W.Proto == R.Proto && W.Low <= R.Low &&
                                    R.High <= W.High;
                           });
                     });
}

class PodDescriber {
public:
  explicit PodDescriber(const Pod &P) : P(P), Regions(P.Peas.size()) {}

  PodPicture describe(const std::vector<uint32_t> &Entries);

private:
  const PeaRegions &regions(uint32_t Pea);
  bool morePrivileged(uint32_t To, uint32_t From);
  /// The peas from which `Pea` can be reached (itself included).
  std::vector<bool> reachersOf(uint32_t Pea) const;
  /// The peas `Starts` reach (themselves included).
  std::vector<bool> reachedFrom(llvm::ArrayRef<uint32_t> Starts) const;
  std::vector<uint32_t> defaultEntries() const;
  void findPlant(PictureEdge &E);

  const Pod &P;
  std::vector<std::unique_ptr<PeaRegions>> Regions;
  PodPicture Out;
};

const PeaRegions &PodDescriber::regions(uint32_t Pea) {
  if (!Regions[Pea])
    Regions[Pea] = std::make_unique<PeaRegions>(PeaRegions::build(P.Peas[Pea]));
  return *Regions[Pea];
}

/// "More privilege", exactly: a region where To's access strictly contains
/// From's, or network or namespace rights From lacks.
bool PodDescriber::morePrivileged(uint32_t To, uint32_t From) {
  const Pea &T = P.Peas[To], &F = P.Peas[From];
  if (!netCovered(T.Bind, F.Bind) || !netCovered(T.Outgoing, F.Outgoing))
    return true;
  if (T.NamespaceGlobal && !F.NamespaceGlobal)
    return true;
  if (!F.NamespaceGlobal)
    for (uint32_t N : T.NamespacePeas)
      if (N != From &&
          !std::binary_search(F.NamespacePeas.begin(), F.NamespacePeas.end(),
                              N))
        return true;
  bool Stronger = false;
  const PeaRegions *Trees[] = {&regions(To), &regions(From)};
  forEachJointRegion(Trees, [&](const JointRegion &R) {
    uint8_t A = R.Answers[0].Access, B = R.Answers[1].Access;
    Stronger |= A != B && (A & B) == B;
  });
  return Stronger;
}

std::vector<bool> PodDescriber::reachersOf(uint32_t Pea) const {
  std::vector<bool> Reaches(P.Peas.size());
  std::vector<uint32_t> Work{Pea};
  Reaches[Pea] = true;
  while (!Work.empty()) {
    uint32_t N = Work.back();
    Work.pop_back();
    for (const PictureEdge &E : Out.Edges)
      if (E.To == N && !E.Ineffective && !Reaches[E.From]) {
        Reaches[E.From] = true;
        Work.push_back(E.From);
      }
  }
  return Reaches;
}

/// Where `Writer` could put a program the trigger `Trigger` covers: the
/// program itself, a directory above it (through which the program can be
/// replaced, nearest first), or a fresh name below it (a transition on a
/// directory covers everything in it); none if it can write none of them.
std::optional<std::string> plantable(const PeaRegions &Writer,
                                     const std::string &Trigger) {
  auto Writes = [](const Decision &D) { return D.Access & AccessWrite; };
  if (Writes(Writer.decide(Trigger, /*IsDirectory=*/false)))
    return Trigger;
  for (std::string Dir = Trigger; Dir != "/";) {
    size_t Slash = Dir.rfind('/');
    Dir = Slash == 0 ? "/" : Dir.substr(0, Slash);
    if (Writes(Writer.decide(Dir, /*IsDirectory=*/true)))
      return Dir;
  }
  PeaRegions::Place At = Writer.find(Trigger);
  if (At.Exact && Writes(Writer.node(At.Node).Answers[BelowFile]))
    return (Trigger == "/" ? "" : Trigger) + "/*";
  return std::nullopt;
}

/// Whether a pea can execute the trigger, or a program below it (a
/// transition on a directory covers the programs in it).
bool executable(const PeaRegions &R, const std::string &Trigger) {
  if (R.decide(Trigger, /*IsDirectory=*/false).Access & AccessExecute)
    return true;
  PeaRegions::Place At = R.find(Trigger);
  return At.Exact && (R.node(At.Node).Answers[BelowFile].Access & AccessExecute);
}

/// An escalation: a pea that can reach the edge's source can plant the
/// trigger program.
void PodDescriber::findPlant(PictureEdge &E) {
  std::vector<bool> Reaches = reachersOf(E.From);
  for (uint32_t W = 0; W < P.Peas.size(); ++W)
    if (Reaches[W])
      if (std::optional<std::string> Path = plantable(regions(W), E.Trigger)) {
        E.Planted = *Path;
        E.PlantedBy = P.Peas[W].Name.str();
        return;
      }
}

std::vector<bool> PodDescriber::reachedFrom(llvm::ArrayRef<uint32_t> Starts) const {
  std::vector<bool> Reached(P.Peas.size());
  for (uint32_t S : Starts)
    Reached[S] = true;
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const PictureEdge &E : Out.Edges)
      if (!E.Ineffective && Reached[E.From] && !Reached[E.To])
        Reached[E.To] = Grew = true;
  }
  return Reached;
}

/// As the analyzer's TransitionGraph chooses them: the peas no transition
/// that can fire leads to from another pea, and for a group of peas that
/// only reach each other (a cycle nothing outside enters) its first pea, so
/// that no pea is unreachable just because it sits on a cycle.
std::vector<uint32_t> PodDescriber::defaultEntries() const {
  std::vector<bool> Incoming(P.Peas.size());
  for (const PictureEdge &E : Out.Edges)
    if (!E.Ineffective && E.From != E.To)
      Incoming[E.To] = true;
  std::vector<uint32_t> Starts;
  for (uint32_t I = 0; I < P.Peas.size(); ++I)
    if (!Incoming[I])
      Starts.push_back(I);
  std::vector<bool> Reached = reachedFrom(Starts);
  for (uint32_t I = 0; I < P.Peas.size(); ++I) {
    if (Reached[I])
      continue;
    // Unreached, so everything that reaches it is unreached too: it heads
    // a cycle nothing enters if it reaches all of them.
    std::vector<bool> Reachers = reachersOf(I), Own = reachedFrom({I});
    bool Heads = true;
    for (uint32_t J = 0; J < P.Peas.size(); ++J)
      Heads &= !Reachers[J] || Own[J];
    if (!Heads)
      continue;
    Starts.push_back(I);
    for (uint32_t J = 0; J < P.Peas.size(); ++J)
      Reached[J] = Reached[J] || Own[J];
  }
  std::sort(Starts.begin(), Starts.end());
  return Starts;
}

PodPicture PodDescriber::describe(const std::vector<uint32_t> &Entries) {
  Out.Pod = P.Name.str();
  for (uint32_t I = 0; I < P.Peas.size(); ++I) {
    const Pea &Pea = P.Peas[I];
    Out.Peas.push_back(
        {Pea.Name.str(), networkSummary(P, Pea), accessSummary(Pea)});
    for (const Transition &T : Pea.Transitions)
      Out.Edges.push_back({I, T.TargetPea, T.Source->Path, false, {}, {}});
  }
  // A transition the source cannot take reaches nothing.
  for (PictureEdge &E : Out.Edges)
    E.Ineffective = !executable(regions(E.From), E.Trigger);
  std::vector<uint32_t> Starts = Entries.empty() ? defaultEntries() : Entries;
  std::vector<bool> Reached = reachedFrom(Starts);
  for (uint32_t S : Starts)
    Out.Peas[S].Entry = true;
  for (uint32_t I = 0; I < P.Peas.size(); ++I)
    Out.Peas[I].Unreachable = !Reached[I];
  for (PictureEdge &E : Out.Edges)
    if (!E.Ineffective && E.From != E.To && morePrivileged(E.To, E.From))
      findPlant(E);
  return std::move(Out);
}

} // namespace

llvm::Expected<std::vector<PodPicture>>
describePolicy(const Policy &P, const GraphOptions &Opts) {
  std::optional<uint32_t> Only;
  if (Opts.Pod && !(Only = P.findPod(*Opts.Pod)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no pod '%s' in the policy",
                                   Opts.Pod->c_str());
  std::vector<std::vector<uint32_t>> Entries(P.Pods.size());
  for (const std::string &E : Opts.Entries) {
    llvm::StringRef Pod, Pea = E;
    if (Pea.contains('/'))
      std::tie(Pod, Pea) = Pea.split('/');
    bool Found = false;
    for (uint32_t I = 0; I < P.Pods.size(); ++I)
      if (Pod.empty() || P.Pods[I].Name == Pod)
        if (std::optional<uint32_t> N = P.Pods[I].findPea(Pea)) {
          Entries[I].push_back(*N);
          Found = true;
        }
    if (!Found)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--entry '%s' names no pea of the policy",
                                     E.c_str());
  }
  std::vector<PodPicture> Out;
  for (uint32_t I = 0; I < P.Pods.size(); ++I)
    if (!Only || *Only == I)
      Out.push_back(PodDescriber(P.Pods[I]).describe(Entries[I]));
  return Out;
}

} // namespace peapod::analyzer
