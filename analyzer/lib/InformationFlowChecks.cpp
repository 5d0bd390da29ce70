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

bool writesAnything(const PeaRegions &T) {
  for (const RegionNode &N : T.nodes())
    for (const Decision &D : N.Answers)
      if (countedAccess(D) & AccessWrite)
        return true;
  return false;
}

bool readsAnything(const PeaRegions &T) {
  for (const RegionNode &N : T.nodes())
    for (const Decision &D : N.Answers)
      if (countedAccess(D) & (AccessRead | AccessExecute))
        return true;
  return false;
}

/// Whether `Path` is one of the safe devices or below one: what is written
/// to /dev/null goes nowhere.
bool isSafeDevice(const CheckContext &Ctx, llvm::StringRef Path) {
  for (const std::string &S : Ctx.options().SafeDevices)
    if (pathCovers(S, Path))
      return true;
  return false;
}

void checkPod(CheckContext &Ctx, uint32_t PodIndex) {
  const Pod &P = Ctx.policy().Pods[PodIndex];
  PodAccess &Access = Ctx.access(PodIndex);
  uint32_t N = uint32_t(P.Peas.size());
  std::vector<bool> Reader(N);
  for (uint32_t M = 0; M < N; ++M)
    Reader[M] = readsAnything(Access.tree(M));
  for (uint32_t W = 0; W < N; ++W) {
    if (!isNetworkFacing(P.Peas[W]) || !writesAnything(Access.tree(W)))
      continue;
    for (uint32_t M = 0; M < N; ++M) {
      if (M == W || !Reader[M])
        continue;
      std::optional<JointWitness> Flow;
      auto Flows = [&](const RegionPair &R, const Decision &Write,
                       const Decision &Read) {
        if (R.isDirectory() || !(countedAccess(Write) & AccessWrite) ||
            !(countedAccess(Read) & (AccessRead | AccessExecute)))
          return true;
        std::string Path = R.path();
        if (!R.isBelow() && isSafeDevice(Ctx, Path))
          return true;
        Flow = JointWitness{Path, R.Slot, Write, Read};
        return false;
      };
      const PeaRegions &WT = Access.tree(W), &MT = Access.tree(M);
      if (walkAgainst(WT, MT, "/", [&](const RegionPair &R) {
            return Flows(R, R.AAnswer, R.BAnswer);
          }))
        walkAgainst(MT, WT, "/", [&](const RegionPair &R) {
          return Flows(R, R.BAnswer, R.AAnswer);
        });
      if (!Flow)
        continue;
      std::optional<PrivilegeGap> Gap = morePrivileged(Access, M, W);
      if (!Gap)
        continue;
      const Decision &Write = Flow->AAnswer;
      const Decision &Read = Flow->BAnswer;
      std::string Where = regionText(Flow->Path, Flow->Slot);
      uint8_t RX = countedAccess(Read) & (AccessRead | AccessExecute);
      std::string Verb = RX == (AccessRead | AccessExecute) ? "read and execute"
                         : RX == AccessRead                 ? "read"
                                                            : "execute";
      const Pea &Writer = P.Peas[W];
      DiagnosticBuilder B = Ctx.report(
          AnalyzerID::InformationFlow,
          Write.Rule == NoRule ? peaRange(Writer)
                               : Writer.FileRules[Write.Rule]->Range,
          {Writer.Name.str(), Where, P.Peas[M].Name.str(), Verb});
      if (Write.Rule != NoRule)
        Ctx.noteInclude(B, Writer, Writer.FileRuleVia[Write.Rule]);
      Ctx.noteDecision(B, P.Peas[M], Read, Where);
      B.note(diagInfo(AnalyzerID::NoteDetail), peaRange(P.Peas[M]),
             {"pea '" + P.Peas[M].Name.str() + "' has " + Gap->Text +
              ", which '" + Writer.Name.str() + "' lacks"});
    }
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
