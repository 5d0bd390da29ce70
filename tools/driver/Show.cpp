//===- Show.cpp - peapodc show: the pods, the peas, a pea's whole profile -===//
//
// A pea's effective profile is its region tree (peapod/Regions.h), read
// from the source policy or from a compiled image alike: every region of
// paths with one answer, its access as a file and as a directory, and the
// rule that decides it; then its transitions, network and namespace rules.
// Exact: every path of the file system falls in exactly one row.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/ImageOracle.h"
#include "peapod/Regions.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"

namespace peapod::driver {

namespace {

using analyzer::PeaProfile;
using analyzer::ProfileSource;
using analyzer::decisionText;

/// One row per region. A node's own path and the paths below it are two
/// regions; when they answer alike they are one row, PATH/**. The paths
/// below a node that answer as those below its parent are left out: a path
/// not listed has the answer of the nearest PATH/* or PATH/** row above it.
void printProfile(const PeaProfile &P, llvm::raw_ostream &OS) {
  OS << "pod " << escapeForTerminal(P.Pod) << ", pea "
     << escapeForTerminal(P.Pea) << "\n";
  OS << "  bind:       " << netPolicyString(P.Bind) << "\n";
  OS << "  outgoing:   " << netPolicyString(P.Outgoing) << "\n";
  OS << "  namespace:  ";
  if (P.NamespaceGlobal)
    OS << "global (every pea of the pod)";
  else if (P.Namespace.empty())
    OS << "its own processes only";
  for (size_t I = 0; I < P.Namespace.size(); ++I)
    OS << (I ? ", " : "") << escapeForTerminal(P.Namespace[I]);
  OS << "\n  transitions:" << (P.Transitions.empty() ? " none" : "") << "\n";
  for (const analyzer::TransitionInfo &T : P.Transitions)
    OS << "    exec " << quotePathForDisplay(T.Rule.Path) << " -> pea "
       << escapeForTerminal(T.Target) << locationText(T.Rule.Loc) << "\n";
  OS << "  files (file dir path: decided by):\n";
  const PeaRegions &R = P.Regions;
  for (uint32_t N = 0; N < R.nodes().size(); ++N) {
    const Decision *A = R.node(N).Answers;
    std::string Path = quotePathForDisplay(R.path(N));
    std::string Base = N == 0 ? "" : Path;
    auto Row = [&](const Decision &File, const Decision &Dir,
                   const std::string &Shown) {
      OS << "    " << accessString(File.Access) << " "
         << accessString(Dir.Access) << " " << Shown << ": "
         << decisionText(P, File);
      if (Dir.Kind != File.Kind || Dir.Rule != File.Rule)
        OS << "; as a directory: " << decisionText(P, Dir);
      OS << "\n";
    };
    const RegionNode &Node = R.node(N);
    bool BelowAsParent =
        N != 0 && A[BelowFile] == R.node(Node.Parent).Answers[BelowFile] &&
        A[BelowDir] == R.node(Node.Parent).Answers[BelowDir];
    if (!BelowAsParent && A[AtFile] == A[BelowFile] && A[AtDir] == A[BelowDir]) {
      Row(A[AtFile], A[AtDir], Base + "/**");
      continue;
    }
    Row(A[AtFile], A[AtDir], Path);
    if (!BelowAsParent)
      Row(A[BelowFile], A[BelowDir], Base + "/*");
  }
}

nlohmann::json decisionJSON(const PeaProfile &P, const Decision &D) {
  nlohmann::json J = {{"access", accessString(D.Access)},
                      {"kind", decisionKindName(D.Kind)}};
  if (D.Kind == DecisionKind::Default)
    return J;
  const analyzer::RuleInfo &R = P.FileRules[D.Rule];
  J["rule"] = {{"kind", R.Kind}, {"path", escapeInvalidUtf8(R.Path)}};
  if (R.Loc) {
    J["rule"]["file"] = escapeInvalidUtf8(R.Loc->File);
    J["rule"]["line"] = R.Loc->Line;
  }
  return J;
}

nlohmann::json profileJSON(const PeaProfile &P) {
  auto Net = [](const NetPolicy &N) {
    nlohmann::json Ranges = nlohmann::json::array();
    for (const PortRange &R : N.Ranges)
      Ranges.push_back(portRangeString(R));
    return nlohmann::json{{"allow", N.AllowAll}, {"deny", N.DenyAll},
                          {"ranges", Ranges}};
  };
  nlohmann::json J = {{"pod", escapeInvalidUtf8(P.Pod)},
                      {"pea", escapeInvalidUtf8(P.Pea)},
                      {"bind", Net(P.Bind)},
                      {"outgoing", Net(P.Outgoing)},
                      {"namespaceGlobal", P.NamespaceGlobal}};
  J["namespace"] = nlohmann::json::array();
  for (const std::string &N : P.Namespace)
    J["namespace"].push_back(escapeInvalidUtf8(N));
  J["transitions"] = nlohmann::json::array();
  for (const analyzer::TransitionInfo &T : P.Transitions) {
    nlohmann::json X = {{"path", escapeInvalidUtf8(T.Rule.Path)},
                        {"pea", escapeInvalidUtf8(T.Target)}};
    if (T.Rule.Loc) {
      X["file"] = escapeInvalidUtf8(T.Rule.Loc->File);
      X["line"] = T.Rule.Loc->Line;
    }
    J["transitions"].push_back(X);
  }
  J["regions"] = nlohmann::json::array();
  const PeaRegions &R = P.Regions;
  for (uint32_t N = 0; N < R.nodes().size(); ++N) {
    const Decision *A = R.node(N).Answers;
    std::string Path = escapeInvalidUtf8(R.path(N));
    J["regions"].push_back({{"path", Path},
                            {"scope", "at"},
                            {"file", decisionJSON(P, A[AtFile])},
                            {"dir", decisionJSON(P, A[AtDir])}});
    J["regions"].push_back({{"path", Path},
                            {"scope", "below"},
                            {"file", decisionJSON(P, A[BelowFile])},
                            {"dir", decisionJSON(P, A[BelowDir])}});
  }
  return J;
}

struct ShowRequest {
  std::string Input, Pod, Pea;
  bool JSON = false;
  CompileOptions Opts = defaultCompileOptions();
};

int show(const ProfileSource &S, const ShowRequest &Q, const Context &Ctx) {
  std::vector<std::string> Pods = S.pods();
  nlohmann::json Out = nlohmann::json::array();
  bool Found = Q.Pod.empty();
  for (uint32_t D = 0; D < Pods.size(); ++D) {
    if (!Q.Pod.empty() && Pods[D] != Q.Pod)
      continue;
    Found = true;
    std::vector<std::string> Peas = S.peas(D);
    bool PeaFound = Q.Pea.empty();
    for (uint32_t E = 0; E < Peas.size(); ++E) {
      if (!Q.Pea.empty() && Peas[E] != Q.Pea)
        continue;
      PeaFound = true;
      PeaProfile P = S.profile(D, E);
      if (Q.JSON) {
        Out.push_back(profileJSON(P));
      } else if (Q.Pea.empty()) {
        if (E == 0)
          Ctx.Out << "pod " << escapeForTerminal(Pods[D]) << "\n";
        Ctx.Out << "  pea " << escapeForTerminal(P.Pea) << ": "
                << P.FileRules.size() << " file rules, "
                << P.Regions.nodes().size() * 4 << " regions, "
                << P.Transitions.size() << " transitions; bind "
                << netPolicyString(P.Bind) << "; outgoing " << netPolicyString(P.Outgoing)
                << "\n";
      } else {
        printProfile(P, Ctx.Out);
      }
    }
    if (Q.Pea.empty() && Peas.empty() && !Q.JSON)
      Ctx.Out << "pod " << escapeForTerminal(Pods[D]) << " (no peas)\n";
    if (!PeaFound) {
      std::vector<llvm::StringRef> Refs(Peas.begin(), Peas.end());
      std::string Hint = closestName(Q.Pea, Refs);
      return Ctx.usage("no pea '" + escapeForTerminal(Q.Pea) + "' in pod '" +
                       escapeForTerminal(Pods[D]) + "'" +
                       (Hint.empty() ? "" : "; did you mean '" + Hint + "'?"));
    }
  }
  if (!Found) {
    std::vector<llvm::StringRef> Refs(Pods.begin(), Pods.end());
    std::string Hint = closestName(Q.Pod, Refs);
    return Ctx.usage("no pod '" + escapeForTerminal(Q.Pod) + "'" +
                     (Hint.empty() ? "" : "; did you mean '" + Hint + "'?"));
  }
  if (Q.JSON)
    Ctx.Out << nlohmann::json{{"peas", Out}}.dump(2) << "\n";
  return ExitOK;
}

} // namespace

int runShow(const std::vector<std::string> &Args, const Context &Ctx) {
  ShowRequest Q;
  ArgCursor Cursor(Args, "peapodc show --help");
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Q.Opts, Error)) {
      if (!Error.empty())
        return Ctx.usage(Error);
      continue;
    }
    if (auto V = Cursor.value("--pod")) {
      Q.Pod = *V;
    } else if (auto V = Cursor.value("--pea")) {
      Q.Pea = *V;
    } else if (auto V = Cursor.value("--format")) {
      if (*V != "text" && *V != "json")
        return Ctx.usage("unknown format '" + *V + "' (text or json)");
      Q.JSON = *V == "json";
    } else if (auto P = Cursor.rest(Error)) {
      if (!Q.Input.empty())
        return Ctx.usage("show takes one policy or image (see peapodc show --help)");
      Q.Input = *P;
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Q.Input.empty())
    return Ctx.usage("no policy or image (see peapodc show --help)");
  if (!Q.Pea.empty() && Q.Pod.empty())
    return Ctx.usage("--pea needs --pod");

  PolicyInput In;
  if (int Status = readPolicyOrImage(Q.Input, Q.Opts, Ctx, In))
    return Status;
  return show(*profilesOf(In), Q, Ctx);
}

} // namespace peapod::driver
