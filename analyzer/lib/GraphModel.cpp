//===- GraphModel.cpp - What `peapodc graph` draws, from the IR -----------===//
//
// The graph, its entries and reachability are the analyzer's TransitionGraph
// (firingGraph: an edge that cannot fire leads nowhere), and "more
// privileged" is EffectiveAccess's, so the picture and the A2xx checks
// agree. Where to plant is worked out here (A206 reports the same writers).
//
//===----------------------------------------------------------------------===//
#include "peapod/Path.h"
#include "peapod/Policy.h"
#include "peapod/Regions.h"
#include "peapod/analyzer/EffectiveAccess.h"
#include "peapod/analyzer/GraphRender.h"
#include "peapod/analyzer/TransitionGraph.h"
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

class PodDescriber {
public:
  explicit PodDescriber(const Pod &P) : P(P), Access(P) {}

  PodPicture describe(const std::vector<uint32_t> &Entries);

private:
  void findPlant(const TransitionGraph &G, PictureEdge &E);

  const Pod &P;
  PodAccess Access;
  PodPicture Out;
};

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

/// An escalation: a pea that can reach the edge's source (through edges
/// that fire) can plant the trigger program.
void PodDescriber::findPlant(const TransitionGraph &G, PictureEdge &E) {
  for (uint32_t W : G.reachersOf(E.From))
    if (std::optional<std::string> Path =
            plantable(Access.tree(W), E.Trigger)) {
      E.Planted = *Path;
      E.PlantedBy = P.Peas[W].Name.str();
      return;
    }
}

PodPicture PodDescriber::describe(const std::vector<uint32_t> &Entries) {
  // The analyzer's graph: the same edges, entries and reachability the
  // A2xx checks report on.
  TransitionGraph G = firingGraph(Access, Entries);
  Out.Pod = P.Name.str();
  for (uint32_t I = 0; I < P.Peas.size(); ++I) {
    const Pea &Pea = P.Peas[I];
    Out.Peas.push_back({Pea.Name.str(), networkSummary(P, Pea),
                        accessSummary(Pea), G.isEntry(I), !G.reachable(I)});
  }
  for (const TransitionEdge &T : G.edges()) {
    PictureEdge E{T.Source, T.Target, T.path().str(), !T.Fires, {}, {}};
    if (T.Fires && morePrivileged(Access, T.Target, T.Source))
      findPlant(G, E);
    Out.Edges.push_back(std::move(E));
  }
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
  std::vector<std::string> Unknown;
  std::vector<std::vector<uint32_t>> Entries =
      resolveEntries(P, Opts.Entries, Unknown);
  if (!Unknown.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--entry '%s' names no pea of the policy",
                                   Unknown.front().c_str());
  std::vector<PodPicture> Out;
  for (uint32_t I = 0; I < P.Pods.size(); ++I)
    if (!Only || *Only == I)
      Out.push_back(PodDescriber(P.Pods[I]).describe(Entries[I]));
  return Out;
}

} // namespace peapod::analyzer
