//===- HardLinks.cpp - The A1xx checks on the pod's tree ------------------===//
#include "peapod/analyzer/HardLinks.h"
#include "peapod/Compilation.h"
#include "peapod/Regions.h"
#include "peapod/analyzer/Analyzer.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace peapod::analyzer {

namespace {

class TreeChecks {
public:
  TreeChecks(Compilation &C, const AnalyzerOptions &Opts)
      : C(C), D(C.diags()), Opts(Opts), Root(*Opts.Root) {}

  void run();

private:
  bool enabled(AnalyzerID ID) const { return D.isEnabled(diagInfo(ID)); }
  void checkHardLinks();
  void checkGroup(const LinkGroup &G);
  void checkPea(const Pod &Pod, uint32_t PeaIndex, const LinkGroup &G);
  void checkRulePaths(RootPaths &Paths);
  void checkRulePath(RootPaths &Paths, const ast::Rule &R);
  const PeaRegions &regions(uint32_t PodIndex, uint32_t PeaIndex);

  Compilation &C;
  DiagnosticEngine &D;
  const AnalyzerOptions &Opts;
  std::string Root;
  /// Built on first use: a tree with no hard links needs none.
  std::vector<std::vector<std::unique_ptr<PeaRegions>>> Regions;
  llvm::DenseSet<const ast::Rule *> RulesSeen;
};

void TreeChecks::run() {
  llvm::Expected<RootPaths> Paths = RootPaths::open(Root);
  if (!Paths) {
    D.report(diagInfo(AnalyzerID::RootUnreadable), llvm::SMRange(),
             {Root, llvm::toString(Paths.takeError())});
    return;
  }
  if (enabled(AnalyzerID::HardLinkAccess) ||
      enabled(AnalyzerID::TreeUnreadable))
    checkHardLinks();
  if (enabled(AnalyzerID::RulePathSymlink) ||
      enabled(AnalyzerID::RulePathMissing))
    checkRulePaths(*Paths);
}

void TreeChecks::checkHardLinks() {
  TreeWalkOptions WalkOpts;
  WalkOpts.CrossDevices = Opts.CrossDevices;
  llvm::Expected<TreeScan> Scan = scanTree(Root, WalkOpts);
  if (!Scan) {
    D.report(diagInfo(AnalyzerID::RootUnreadable), llvm::SMRange(),
             {Root, llvm::toString(Scan.takeError())});
    return;
  }
  for (const UnreadableDir &U : Scan->Unreadable)
    D.report(diagInfo(AnalyzerID::TreeUnreadable), llvm::SMRange(),
             {U.Path, Root, U.Reason});
  if (!enabled(AnalyzerID::HardLinkAccess))
    return;
  const Policy &P = C.policy();
  Regions.resize(P.Pods.size());
  for (size_t I = 0; I < P.Pods.size(); ++I)
    Regions[I].resize(P.Pods[I].Peas.size());
  for (const LinkGroup &G : Scan->Groups)
    if (G.Names.size() > 1)
      checkGroup(G);
}

const PeaRegions &TreeChecks::regions(uint32_t PodIndex, uint32_t PeaIndex) {
  std::unique_ptr<PeaRegions> &R = Regions[PodIndex][PeaIndex];
  if (!R)
    R = std::make_unique<PeaRegions>(
        PeaRegions::build(C.policy().Pods[PodIndex].Peas[PeaIndex]));
  return *R;
}

void TreeChecks::checkGroup(const LinkGroup &G) {
  for (const Pod &Pod : C.policy().Pods)
    for (uint32_t Pea = 0; Pea < Pod.Peas.size(); ++Pea)
      checkPea(Pod, Pea, G);
}

/// "the path rule on '/etc'": how a note names the rule that decided.
std::string decidedBy(const Pea &P, const Decision &Dec) {
  if (Dec.Rule == NoRule)
    return "no rule (the default: deny)";
  const ast::Rule &R = *P.FileRules[Dec.Rule];
  std::string What = Dec.Kind == DecisionKind::Implicit
                         ? "implicit search access below "
                         : std::string("the ") + ast::ruleKeyword(R.Kind) +
                               " rule on ";
  return What + "'" + R.Path + "'";
}

void TreeChecks::checkPea(const Pod &Pod, uint32_t PeaIndex,
                          const LinkGroup &G) {
  uint32_t PodIndex = uint32_t(&Pod - C.policy().Pods.data());
  const PeaRegions &R = regions(PodIndex, PeaIndex);
  std::vector<Decision> Answers;
  Answers.reserve(G.Names.size());
  size_t Widest = 0;
  for (const std::string &Name : G.Names) {
    Answers.push_back(R.decide(Name, /*IsDirectory=*/false));
    if (Answers.back().Access > Answers[Widest].Access)
      Widest = Answers.size() - 1;
  }
  bool Differs = false;
  for (const Decision &A : Answers)
    Differs |= A.Access != Answers.front().Access;
  if (!Differs)
    return;
  const Pea &P = Pod.Peas[PeaIndex];
  std::string Summary;
  for (size_t I = 0; I < G.Names.size(); ++I)
    Summary += (I ? ", '" : "'") + G.Names[I] + "' " +
               accessString(Answers[I].Access);
  // The caret goes to the rule that grants the most: the one a name gives
  // away through.
  const ast::Rule &Grant = *P.FileRules[Answers[Widest].Rule];
  DiagnosticBuilder B = D.report(diagInfo(AnalyzerID::HardLinkAccess),
                                 Grant.Range,
                                 {P.Name.str(), Pod.Name.str(), Summary});
  for (size_t I = 0; I < G.Names.size(); ++I) {
    const Decision &A = Answers[I];
    llvm::SMRange Where =
        A.Rule == NoRule ? llvm::SMRange() : P.FileRules[A.Rule]->Range;
    B.note(diagInfo(AnalyzerID::NoteHardLinkName), Where,
           {G.Names[I], accessString(A.Access), decidedBy(P, A)});
  }
}

void TreeChecks::checkRulePaths(RootPaths &Paths) {
  for (const Pod &Pod : C.policy().Pods)
    for (const Pea &P : Pod.Peas) {
      for (const ast::Rule *R : P.FileRules)
        checkRulePath(Paths, *R);
      for (const Transition &T : P.Transitions)
        checkRulePath(Paths, *T.Source);
    }
}

void TreeChecks::checkRulePath(RootPaths &Paths, const ast::Rule &R) {
  // A rule group included by many peas is one set of rules: one report.
  if (!RulesSeen.insert(&R).second)
    return;
  PathStatus S = Paths.status(R.Path);
  if (S.K == PathStatus::ThroughSymlink)
    D.report(diagInfo(AnalyzerID::RulePathSymlink), R.PathRange,
             {S.Link, S.Target, R.Path});
  else if (S.K == PathStatus::Missing)
    D.report(diagInfo(AnalyzerID::RulePathMissing), R.PathRange,
             {R.Path, Root});
}

} // namespace

void checkTree(Compilation &C, const AnalyzerOptions &Opts) {
  if (Opts.Root)
    TreeChecks(C, Opts).run();
}

} // namespace peapod::analyzer
