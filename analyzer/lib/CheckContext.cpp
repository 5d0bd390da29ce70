//===- CheckContext.cpp - What the check families share -------------------===//
#include "Checks.h"
#include "peapod/Path.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"

namespace peapod::analyzer {

/// The policy's own files as absolute, normalised paths (what a rule would
/// name): a pea that can rewrite its policy can grant itself anything.
static void addPolicyFiles(const llvm::SourceMgr &SM,
                           std::vector<std::string> &Out) {
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID) {
    llvm::StringRef Name = SM.getMemoryBuffer(ID)->getBufferIdentifier();
    llvm::SmallString<256> Real;
    if (Name.empty() || Name == "-" || Name == "<stdin>" ||
        llvm::sys::fs::real_path(Name, Real))
      continue;
    NormalisedPath N = normalisePath(Real);
    if (N.Error == PathError::None)
      Out.push_back(N.Path);
  }
}

CheckContext::CheckContext(Compilation &C, const AnalyzerOptions &Opts)
    : C(C), Opts(Opts) {
  const Policy &P = C.policy();
  std::vector<std::string> Unknown;
  std::vector<std::vector<uint32_t>> Entries =
      resolveEntries(P, Opts.Entries, Unknown);
  for (uint32_t I = 0; I < P.Pods.size(); ++I) {
    Access.push_back(std::make_unique<PodAccess>(P.Pods[I]));
    Graphs.push_back(firingGraph(*Access.back(), Entries[I]));
  }
  for (const std::string &S : Opts.SensitivePaths) {
    NormalisedPath N = normalisePath(S);
    if (N.Error == PathError::None)
      Sensitive.push_back(N.Path);
  }
  addPolicyFiles(C.sourceMgr(), Sensitive);
  std::sort(Sensitive.begin(), Sensitive.end());
  Sensitive.erase(std::unique(Sensitive.begin(), Sensitive.end()),
                  Sensitive.end());
}

DiagnosticBuilder CheckContext::report(AnalyzerID ID, llvm::SMRange Range,
                                       std::vector<std::string> Args) {
  return C.diags().report(diagInfo(ID), Range, std::move(Args));
}

static std::string locationSuffix(const Policy &P, const ast::Rule &R) {
  RuleLocation L = P.locate(R);
  if (L.File.empty())
    return "";
  return " (" + L.File + ":" + std::to_string(L.Line) + ")";
}

void CheckContext::noteChain(DiagnosticBuilder &B, uint32_t Pod,
                             llvm::ArrayRef<uint32_t> Edges) {
  const TransitionGraph &G = Graphs[Pod];
  const struct Pod &ThePod = policy().Pods[Pod];
  for (uint32_t E : Edges) {
    const TransitionEdge &Edge = G.edge(E);
    B.note(diagInfo(AnalyzerID::NoteExecHop), Edge.Rule->Source->Range,
           {ThePod.Peas[Edge.Source].Name.str(), Edge.path().str(),
            ThePod.Peas[Edge.Target].Name.str()});
    noteInclude(B, ThePod.Peas[Edge.Source], Edge.Rule->Via);
  }
}

void CheckContext::noteDecision(DiagnosticBuilder &B, const Pea &P,
                                const Decision &D, llvm::StringRef Where) {
  if (D.Rule == NoRule) {
    B.note(diagInfo(AnalyzerID::NoteDetail), llvm::SMRange(),
           {"pea '" + P.Name.str() + "' has " + accessString(D.Access) +
            " on " + Where.str() + ": no rule covers it"});
    return;
  }
  const ast::Rule &R = *P.FileRules[D.Rule];
  B.note(diagInfo(AnalyzerID::NoteAccess), R.Range,
         {P.Name.str(), accessString(D.Access), Where.str()});
  noteInclude(B, P, P.FileRuleVia[D.Rule]);
}

void CheckContext::noteInclude(DiagnosticBuilder &B, const Pea &P,
                               uint32_t Via) {
  std::vector<const ast::Rule *> Chain = P.includeChain(Via);
  if (Chain.empty())
    return;
  B.note(diagInfo(AnalyzerID::NoteDetail), Chain.front()->Range,
         {"brought into pea '" + P.Name.str() + "' by this include" +
          locationSuffix(policy(), *Chain.front())});
}

void CheckContext::fixRemove(DiagnosticBuilder &B, const ast::Rule &R) {
  const llvm::SourceMgr &SM = C.sourceMgr();
  unsigned Buffer = SM.FindBufferContainingLoc(R.Range.Start);
  if (!Buffer || !R.Range.End.isValid())
    return;
  llvm::StringRef Text = SM.getMemoryBuffer(Buffer)->getBuffer();
  size_t Start = R.Range.Start.getPointer() - Text.data();
  size_t End = R.Range.End.getPointer() - Text.data();
  // Take the whole line when the rule stands alone on it (blank before it,
  // blank or a comment after it).
  size_t LineStart = Text.rfind('\n', Start);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  size_t LineEnd = Text.find('\n', End);
  if (LineEnd == llvm::StringRef::npos)
    LineEnd = Text.size();
  llvm::StringRef Before = Text.slice(LineStart, Start);
  llvm::StringRef After = Text.slice(End, LineEnd).ltrim(" \t\r");
  if (Before.trim(" \t").empty() && (After.empty() || After.front() == '#')) {
    Start = LineStart;
    End = LineEnd < Text.size() ? LineEnd + 1 : LineEnd;
  }
  B.fix(llvm::SMRange(llvm::SMLoc::getFromPointer(Text.data() + Start),
                      llvm::SMLoc::getFromPointer(Text.data() + End)),
        "");
}

std::string peaList(const Pod &P, llvm::ArrayRef<uint32_t> Peas, size_t Max) {
  std::string Out;
  for (size_t I = 0; I < Peas.size() && I < Max; ++I)
    Out += (I ? ", '" : "'") + P.Peas[Peas[I]].Name.str() + "'";
  if (Peas.size() > Max)
    Out += " and " + std::to_string(Peas.size() - Max) + " more";
  return Out;
}

} // namespace peapod::analyzer
