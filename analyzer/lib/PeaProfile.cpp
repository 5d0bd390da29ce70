//===- PeaProfile.cpp - Profiles of a source policy -----------------------===//
#include "peapod/analyzer/PeaProfile.h"
#include "peapod/Evaluator.h"
#include "peapod/TextEscape.h"

namespace peapod::analyzer {

std::vector<std::string> SourceProfiles::pods() const {
  return ReferenceEvaluator(P).podNames();
}

std::vector<std::string> SourceProfiles::peas(uint32_t Pod) const {
  return ReferenceEvaluator(P).peaNames(Pod);
}

PeaProfile SourceProfiles::profile(uint32_t PodIndex, uint32_t PeaIndex) const {
  const Pod &D = P.Pods[PodIndex];
  const Pea &E = D.Peas[PeaIndex];
  PeaProfile Out;
  Out.Pod = D.Name.str();
  Out.Pea = E.Name.str();
  Out.Regions = PeaRegions::build(E);
  for (const ast::Rule *R : E.FileRules)
    Out.FileRules.push_back({ast::ruleKeyword(R->Kind), R->Path, P.locate(*R)});
  for (const Transition &T : E.Transitions)
    Out.Transitions.push_back(
        {{"transition", T.Source->Path, P.locate(*T.Source)},
         D.Peas[T.TargetPea].Name.str()});
  Out.Bind = E.Bind;
  Out.Outgoing = E.Outgoing;
  Out.NamespaceGlobal = E.NamespaceGlobal;
  for (uint32_t Q : E.NamespacePeas)
    Out.Namespace.push_back(D.Peas[Q].Name.str());
  return Out;
}

PeaProfile emptyProfile(std::string Pod, std::string Pea) {
  PeaProfile Out;
  Out.Pod = std::move(Pod);
  Out.Pea = std::move(Pea);
  Out.Regions = PeaRegions::build(peapod::Pea{});
  return Out;
}

std::string locationSuffix(const std::optional<RuleLocation> &Loc) {
  if (!Loc)
    return "";
  return " (" + escapeForTerminal(Loc->File) + ":" + std::to_string(Loc->Line) +
         ")";
}

std::string decisionText(const PeaProfile &P, const Decision &D) {
  if (D.Kind == DecisionKind::Default || D.Rule >= P.FileRules.size())
    return "default deny";
  const RuleInfo &R = P.FileRules[D.Rule];
  std::string What = quotePathForDisplay(R.Path) + locationSuffix(R.Loc);
  if (D.Kind == DecisionKind::Implicit)
    return "implicit search, for " + What;
  return R.Kind + " " + What;
}

} // namespace peapod::analyzer
