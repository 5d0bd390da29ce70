//===- Checks.h - What the check families share (internal) -----*- C++ -*-===//
//
// Each family (A2xx transitions, A3xx least privilege, A4xx dead rules,
// A5xx information flow) is one function over a CheckContext: the
// compilation, the options, and per pod its region trees and transition
// graph, each built once and shared.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_LIB_CHECKS_H
#define PEAPOD_ANALYZER_LIB_CHECKS_H

#include "peapod/Compilation.h"
#include "peapod/analyzer/Analyzer.h"
#include "peapod/analyzer/EffectiveAccess.h"
#include "peapod/analyzer/TransitionGraph.h"
#include <memory>

namespace peapod::analyzer {

class CheckContext {
public:
  CheckContext(Compilation &C, const AnalyzerOptions &Opts);

  const Policy &policy() const { return C.policy(); }
  const AnalyzerOptions &options() const { return Opts; }
  DiagnosticEngine &diags() { return C.diags(); }
  const llvm::SourceMgr &sourceMgr() const { return C.sourceMgr(); }
  bool enabled(AnalyzerID ID) const {
    return C.diags().isEnabled(diagInfo(ID));
  }

  PodAccess &access(uint32_t Pod) { return *Access[Pod]; }
  const TransitionGraph &graph(uint32_t Pod) const { return Graphs[Pod]; }
  /// The sensitive paths (options plus the policy's own files), normalised.
  const std::vector<std::string> &sensitivePaths() const { return Sensitive; }

  /// Reports `ID` at `Range` (a rule, a pea name).
  DiagnosticBuilder report(AnalyzerID ID, llvm::SMRange Range,
                           std::vector<std::string> Args);

  /// Notes for a chain of exec hops (edges of pod `Pod`'s graph), each at
  /// its transition rule.
  void noteChain(DiagnosticBuilder &B, uint32_t Pod,
                 llvm::ArrayRef<uint32_t> Edges);
  /// "pea P has ACCESS on PATH by this rule" at the deciding rule (with
  /// the include that brought it in), or a located-nowhere note for the
  /// default deny.
  void noteDecision(DiagnosticBuilder &B, const Pea &P, const Decision &D,
                    llvm::StringRef Where);
  /// A note at the include rule that brought a pea's rule in, if any.
  void noteInclude(DiagnosticBuilder &B, const Pea &P, uint32_t Via);
  /// A fix-it removing `R` (with its line when it stands alone on it).
  void fixRemove(DiagnosticBuilder &B, const ast::Rule &R);

private:
  Compilation &C;
  const AnalyzerOptions &Opts;
  std::vector<std::unique_ptr<PodAccess>> Access;
  std::vector<TransitionGraph> Graphs;
  std::vector<std::string> Sensitive;
};

/// The range a finding about pea `P` points at: its name.
inline llvm::SMRange peaRange(const Pea &P) {
  return P.Decl ? P.Decl->PeaName.Range : llvm::SMRange();
}

/// "pea 'a', pea 'b'" style lists, shortened after `Max` names.
std::string peaList(const Pod &P, llvm::ArrayRef<uint32_t> Peas,
                    size_t Max = 5);

void checkTransitions(CheckContext &Ctx);
void checkLeastPrivilege(CheckContext &Ctx);
void checkDeadRules(CheckContext &Ctx);
void checkInformationFlow(CheckContext &Ctx);

} // namespace peapod::analyzer

#endif
