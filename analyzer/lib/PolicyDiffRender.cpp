//===- PolicyDiffRender.cpp - `peapodc diff` as text and as JSON ----------===//
//
// The layout is documented in docs/policy-diff.md. Every path, name and
// file that came from a policy or an image is escaped: for a terminal in
// the text, to valid UTF-8 in the JSON.
//
//===----------------------------------------------------------------------===//
#include "peapod/analyzer/PolicyDiff.h"
#include "peapod/TextEscape.h"

namespace peapod::analyzer {

namespace {

/// PATH, PATH/, PATH/*, PATH/*/, PATH/**, PATH/**/ (docs/policy-diff.md).
std::string regionText(llvm::StringRef Path, RegionScope Scope, bool Dir) {
  std::string Base = Path == "/" ? "" : quotePathForDisplay(Path);
  std::string S = Scope == RegionScope::At
                      ? (Path == "/" ? std::string("/") : Base)
                      : Base + (Scope == RegionScope::Below ? "/*" : "/**");
  if (Dir && S != "/")
    S += "/";
  return S;
}

const char *scopeName(RegionScope S) {
  switch (S) {
  case RegionScope::At:
    return "at";
  case RegionScope::Below:
    return "below";
  case RegionScope::Tree:
    return "tree";
  }
  return "at";
}

std::string portsText(const std::vector<PortRange> &Ports) {
  std::string S;
  for (const PortRange &R : Ports)
    S += (S.empty() ? "" : ", ") + portRangeString(R);
  return S;
}

std::string execText(const std::optional<std::string> &Pea,
                     const std::optional<RuleInfo> &T) {
  if (!Pea)
    return "denied";
  std::string S = "runs in pea " + escapeForTerminal(*Pea);
  if (T)
    S += " [transition " + quotePathForDisplay(T->Path) + locationSuffix(T->Loc) +
         "]";
  return S;
}

std::string transitionText(const TransitionInfo &T) {
  return "transition " + quotePathForDisplay(T.Rule.Path) + " " +
         escapeForTerminal(T.Target) + locationSuffix(T.Rule.Loc);
}

void printPea(const PeaDiff &P, llvm::raw_ostream &OS) {
  OS << "pod " << escapeForTerminal(P.Pod) << ", pea "
     << escapeForTerminal(P.Pea);
  if (P.Status == PeaDiff::Presence::Added)
    OS << ": added";
  else if (P.Status == PeaDiff::Presence::Removed)
    OS << ": removed";
  OS << (P.Widens ? " (widens)" : "") << "\n";
  if (!P.Regions.empty())
    OS << "  files (old -> new: decided by old -> new):\n";
  for (const RegionChange &R : P.Regions)
    OS << "    " << (R.Gained ? '+' : '-') << " "
       << regionText(R.Path, R.Scope, R.Directory) << (R.Both ? "[/]" : "")
       << "  "
       << accessString(R.Old.Access) << " -> " << accessString(R.New.Access)
       << "  " << R.Old.Text << " -> " << R.New.Text << "\n";
  if (!P.Execs.empty())
    OS << "  exec:\n";
  for (const ExecChange &E : P.Execs)
    OS << "    " << (E.Widens ? '+' : '-') << " exec "
       << regionText(E.Path, E.Scope, false) << ": "
       << execText(E.NewPea, E.NewTransition) << " (was: "
       << execText(E.OldPea, E.OldTransition) << ")\n";
  if (!P.Transitions.empty())
    OS << "  transition rules:\n";
  for (const TransitionChange &T : P.Transitions) {
    if (T.Old && T.New)
      OS << "    ~ " << transitionText(*T.New) << " (was: to "
         << escapeForTerminal(T.Old->Target) << locationSuffix(T.Old->Rule.Loc)
         << ")\n";
    else
      OS << "    " << (T.New ? "+ " : "- ")
         << transitionText(T.New ? *T.New : *T.Old) << "\n";
  }
  for (const PortChange &C : P.Ports) {
    OS << "  " << C.Kind << ": " << netPolicyString(C.Old) << " -> "
       << netPolicyString(C.New);
    if (!C.Gained.empty())
      OS << "; now also " << portsText(C.Gained);
    if (!C.Lost.empty())
      OS << "; no longer " << portsText(C.Lost);
    OS << "\n";
  }
  if (const auto &N = P.Namespace) {
    OS << "  namespace:";
    if (N->OldGlobal != N->NewGlobal)
      OS << (N->NewGlobal ? " now global" : " no longer global") << ";";
    if (!N->Gained.empty()) {
      OS << " may now touch";
      for (const std::string &Q : N->Gained)
        OS << " " << escapeForTerminal(Q);
      OS << ";";
    }
    if (!N->Lost.empty()) {
      OS << " may no longer touch";
      for (const std::string &Q : N->Lost)
        OS << " " << escapeForTerminal(Q);
      OS << ";";
    }
    OS << "\n";
  }
}

nlohmann::json str(llvm::StringRef S) { return escapeInvalidUtf8(S); }

nlohmann::json ruleJSON(const std::optional<RuleInfo> &R) {
  if (!R)
    return nullptr;
  nlohmann::json J = {{"kind", R->Kind}, {"path", str(R->Path)}};
  if (R->Loc) {
    J["file"] = str(R->Loc->File);
    J["line"] = R->Loc->Line;
    J["column"] = R->Loc->Column;
  }
  return J;
}

nlohmann::json sideJSON(const DiffSide &S) {
  return {{"access", accessString(S.Access)},
          {"kind", decisionKindName(S.Kind)},
          {"rule", ruleJSON(S.Rule)}};
}

nlohmann::json portsJSON(const std::vector<PortRange> &Ports) {
  nlohmann::json J = nlohmann::json::array();
  for (const PortRange &R : Ports)
    J.push_back(portRangeString(R));
  return J;
}

nlohmann::json netJSON(const NetPolicy &N) {
  return {{"allow", N.AllowAll}, {"deny", N.DenyAll},
          {"ranges", portsJSON(N.Ranges)}};
}

nlohmann::json transitionJSON(const std::optional<TransitionInfo> &T) {
  if (!T)
    return nullptr;
  nlohmann::json J = ruleJSON(T->Rule);
  J["pea"] = str(T->Target);
  return J;
}

nlohmann::json peaJSON(const PeaDiff &P) {
  static const char *const Status[] = {"changed", "added", "removed"};
  nlohmann::json J = {{"pod", str(P.Pod)},
                      {"pea", str(P.Pea)},
                      {"status", Status[int(P.Status)]},
                      {"widens", P.Widens}};
  J["regions"] = nlohmann::json::array();
  for (const RegionChange &R : P.Regions)
    J["regions"].push_back({{"path", str(R.Path)},
                            {"scope", scopeName(R.Scope)},
                            {"kind", R.Both        ? "both"
                                     : R.Directory ? "directory"
                                                   : "file"},
                            {"old", sideJSON(R.Old)},
                            {"new", sideJSON(R.New)},
                            {"gained", accessString(R.Gained)},
                            {"lost", accessString(R.Lost)}});
  J["exec"] = nlohmann::json::array();
  auto Pea = [](const std::optional<std::string> &P) -> nlohmann::json {
    return P ? nlohmann::json(str(*P)) : nlohmann::json(nullptr);
  };
  for (const ExecChange &E : P.Execs)
    J["exec"].push_back({{"path", str(E.Path)},
                         {"scope", scopeName(E.Scope)},
                         {"old", {{"pea", Pea(E.OldPea)},
                                  {"transition", ruleJSON(E.OldTransition)}}},
                         {"new", {{"pea", Pea(E.NewPea)},
                                  {"transition", ruleJSON(E.NewTransition)}}},
                         {"widens", E.Widens}});
  J["transitions"] = nlohmann::json::array();
  for (const TransitionChange &T : P.Transitions)
    J["transitions"].push_back({{"path", str(T.Path)},
                                {"old", transitionJSON(T.Old)},
                                {"new", transitionJSON(T.New)}});
  J["network"] = nlohmann::json::array();
  for (const PortChange &C : P.Ports)
    J["network"].push_back({{"kind", C.Kind},
                            {"old", netJSON(C.Old)},
                            {"new", netJSON(C.New)},
                            {"gained", portsJSON(C.Gained)},
                            {"lost", portsJSON(C.Lost)}});
  J["namespace"] = nullptr;
  if (const auto &N = P.Namespace) {
    nlohmann::json Gained = nlohmann::json::array(), Lost = nlohmann::json::array();
    for (const std::string &Q : N->Gained)
      Gained.push_back(str(Q));
    for (const std::string &Q : N->Lost)
      Lost.push_back(str(Q));
    J["namespace"] = {{"oldGlobal", N->OldGlobal}, {"newGlobal", N->NewGlobal},
                      {"gained", Gained}, {"lost", Lost}};
  }
  return J;
}

} // namespace

void printDiff(const PolicyDiff &D, llvm::StringRef OldName,
               llvm::StringRef NewName, llvm::raw_ostream &OS) {
  OS << "--- " << escapeForTerminal(OldName) << "\n+++ "
     << escapeForTerminal(NewName) << "\n";
  for (const std::string &P : D.PodsAdded)
    OS << "pod " << escapeForTerminal(P) << ": added\n";
  for (const std::string &P : D.PodsRemoved)
    OS << "pod " << escapeForTerminal(P) << ": removed\n";
  for (const PeaDiff &P : D.Peas)
    printPea(P, OS);
  size_t Widening = std::count_if(D.Peas.begin(), D.Peas.end(),
                                  [](const PeaDiff &P) { return P.Widens; });
  if (D.Peas.empty() && D.PodsAdded.empty() && D.PodsRemoved.empty())
    OS << "no semantic difference\n";
  else
    OS << D.Peas.size() << (D.Peas.size() == 1 ? " pea" : " peas")
       << " changed, " << Widening << " widened\n";
}

nlohmann::json diffToJSON(const PolicyDiff &D, llvm::StringRef OldName,
                          llvm::StringRef NewName) {
  nlohmann::json Added = nlohmann::json::array(), Removed = nlohmann::json::array();
  for (const std::string &P : D.PodsAdded)
    Added.push_back(str(P));
  for (const std::string &P : D.PodsRemoved)
    Removed.push_back(str(P));
  nlohmann::json Peas = nlohmann::json::array();
  for (const PeaDiff &P : D.Peas)
    Peas.push_back(peaJSON(P));
  return {{"old", str(OldName)}, {"new", str(NewName)},
          {"widens", D.widens()}, {"podsAdded", Added},
          {"podsRemoved", Removed}, {"peas", Peas}};
}

} // namespace peapod::analyzer
