//===- InformationFlowChecks.cpp - A5xx: information flow -----------------===//
//
// Pea A flows to pea B when A can write a path B can read or execute. A
// flow from a network-facing pea (the one an attacker reaches first) into a
// pea with more privilege is the integrity problem: what the network wrote,
// the stronger pea reads or runs. Files only: writing a directory creates
// names, whose content is then decided by the files' own regions.
//
//===----------------------------------------------------------------------===//
#include "Checks.h"
#include "peapod/Path.h"

namespace peapod::analyzer {
namespace {

/// Where a pea's file regions with some access lie, coarsely: a bit per
/// top-level directory (hashed), or All for a region below the root. Two
/// peas can share a region only if their summaries meet, so a pair whose
/// summaries do not is skipped without a walk (exactly: no flow is lost).
struct Summary {
  uint64_t Tops = 0;
  bool All = false;
  bool any() const { return All || Tops; }
  bool meets(const Summary &O) const {
    return (All && O.any()) || (O.All && any()) || (Tops & O.Tops);
  }
};

Summary summarise(const PeaRegions &T, uint8_t Mask) {
  Summary S;
  std::vector<uint32_t> Top(T.nodes().size(), 0);
  for (uint32_t N = 0; N < T.nodes().size(); ++N) {
    const RegionNode &Node = T.node(N);
    if (N == 0) {
      S.All = countedAccess(Node.Answers[BelowFile]) & Mask;
      continue;
    }
    Top[N] = Node.Depth == 1 ? N : Top[Node.Parent];
    if ((countedAccess(Node.Answers[AtFile]) |
         countedAccess(Node.Answers[BelowFile])) &
        Mask)
      S.Tops |= uint64_t(1) << (llvm::hash_value(T.node(Top[N]).Name) % 64);
  }
  return S;
}

/// Whether `Path` is one of the safe devices or below one: what is written
/// to /dev/null goes nowhere.
bool isSafeDevice(const CheckContext &Ctx, llvm::StringRef Path) {
  for (const std::string &S : Ctx.options().SafeDevices)
    if (pathCovers(S, Path))
      return true;
  return false;
}

struct Flow {
  uint32_t Reader;
  JointWitness Where;
  PrivilegeGap Gap;
};

/// A file region `W` writes and `M` reads or executes (not a safe device).
std::optional<JointWitness> sharedRegion(const CheckContext &Ctx,
                                         const PeaRegions &WT,
                                         const PeaRegions &MT) {
  std::optional<JointWitness> Found;
  auto Flows = [&](const RegionPair &R, const Decision &Write,
                   const Decision &Read) {
    if (R.isDirectory() || !(countedAccess(Write) & AccessWrite) ||
        !(countedAccess(Read) & (AccessRead | AccessExecute)))
      return true;
    std::string Path = R.path();
    if (!R.isBelow() && isSafeDevice(Ctx, Path))
      return true;
    Found = JointWitness{Path, R.Slot, Write, Read};
    return false;
  };
  if (walkAgainst(WT, MT, "/", [&](const RegionPair &R) {
        return Flows(R, R.AAnswer, R.BAnswer);
      }))
    walkAgainst(MT, WT, "/", [&](const RegionPair &R) {
      return Flows(R, R.BAnswer, R.AAnswer);
    });
  return Found;
}

/// Readers reported per writer: the first in the finding, the rest as
/// notes. The search stops there, so a pod of many peas that all share
/// paths costs a few walks per writer, not one per pair.
constexpr size_t MaxReaders = 4;

void reportFlows(CheckContext &Ctx, const Pod &P, uint32_t W,
                 const std::vector<Flow> &Flows) {
  const Pea &Writer = P.Peas[W];
  const Flow &First = Flows.front();
  const Decision &Write = First.Where.AAnswer;
  const Decision &Read = First.Where.BAnswer;
  std::string Where = regionText(First.Where.Path, First.Where.Slot);
  uint8_t RX = countedAccess(Read) & (AccessRead | AccessExecute);
  std::string Verb = RX == (AccessRead | AccessExecute) ? "read and execute"
                     : RX == AccessRead                 ? "read"
                                                        : "execute";
  const Pea &Reader = P.Peas[First.Reader];
  DiagnosticBuilder B =
      Ctx.report(AnalyzerID::InformationFlow,
                 Write.Rule == NoRule ? peaRange(Writer)
                                      : Writer.FileRules[Write.Rule]->Range,
                 {Writer.Name.str(), Where, Reader.Name.str(), Verb});
  if (Write.Rule != NoRule)
    Ctx.noteInclude(B, Writer, Writer.FileRuleVia[Write.Rule]);
  Ctx.noteDecision(B, Reader, Read, Where);
  B.note(diagInfo(AnalyzerID::NoteDetail), peaRange(Reader),
         {"pea '" + Reader.Name.str() + "' has " + First.Gap.Text +
          ", which '" + Writer.Name.str() + "' lacks"});
  for (size_t I = 1; I < Flows.size(); ++I) {
    const Pea &Other = P.Peas[Flows[I].Reader];
    B.note(diagInfo(AnalyzerID::NoteDetail), peaRange(Other),
           {"it also flows into the more privileged pea '" + Other.Name.str() +
            "' through " +
            regionText(Flows[I].Where.Path, Flows[I].Where.Slot)});
  }
  if (Flows.size() == MaxReaders)
    B.note(diagInfo(AnalyzerID::NoteDetail), llvm::SMRange(),
           {"(the search stopped at " + std::to_string(MaxReaders) +
            " readers; fix these and run again)"});
}

void checkPod(CheckContext &Ctx, uint32_t PodIndex) {
  const Pod &P = Ctx.policy().Pods[PodIndex];
  PodAccess &Access = Ctx.access(PodIndex);
  uint32_t N = uint32_t(P.Peas.size());
  std::vector<Summary> Reads(N);
  for (uint32_t M = 0; M < N; ++M)
    Reads[M] = summarise(Access.tree(M), AccessRead | AccessExecute);
  for (uint32_t W = 0; W < N; ++W) {
    if (!isNetworkFacing(P.Peas[W]))
      continue;
    Summary Writes = summarise(Access.tree(W), AccessWrite);
    if (!Writes.any())
      continue;
    // One reader per privilege class answers for the whole class; W's own
    // class has nothing W lacks.
    std::vector<Flow> Flows;
    uint32_t Own = Access.privilegeClass(W);
    for (uint32_t C = 0; C < Access.classCount() && Flows.size() < MaxReaders;
         ++C) {
      uint32_t M = Access.classMembers(C).front();
      if (C == Own || !Writes.meets(Reads[M]))
        continue;
      std::optional<JointWitness> Shared =
          sharedRegion(Ctx, Access.tree(W), Access.tree(M));
      if (!Shared)
        continue;
      std::optional<PrivilegeGap> Gap = morePrivileged(Access, M, W);
      if (!Gap)
        continue;
      for (uint32_t Member : Access.classMembers(C))
        if (Flows.size() < MaxReaders)
          Flows.push_back({Member, *Shared, *Gap});
    }
    if (!Flows.empty())
      reportFlows(Ctx, P, W, Flows);
  }
}

} // namespace

void checkInformationFlow(CheckContext &Ctx) {
  if (!Ctx.enabled(AnalyzerID::InformationFlow))
    return;
  for (uint32_t P = 0; P < Ctx.policy().Pods.size(); ++P)
    checkPod(Ctx, P);
}

} // namespace peapod::analyzer
