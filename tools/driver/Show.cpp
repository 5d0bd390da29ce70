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
#include "peapod/Evaluator.h"
#include "peapod/ImageOracle.h"
#include "peapod/ImageRegions.h"
#include "peapod/Regions.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include <functional>

namespace peapod::driver {

namespace {

/// A rule as `show` names it.
struct RuleInfo {
  std::string Kind; ///< "path", "dir-default", "transition"
  std::string Path;
  std::optional<RuleLocation> Loc;
};

struct TransitionInfo {
  RuleInfo Rule;
  std::string Target;
};

/// What `show` prints of one pea, from either form of the policy.
struct PeaProfile {
  std::string Pod, Pea;
  PeaRegions Regions;
  std::vector<RuleInfo> FileRules; ///< by the pea's file rule index
  std::vector<TransitionInfo> Transitions;
  NetPolicy Bind, Outgoing;
  bool NamespaceGlobal = false;
  std::vector<std::string> Namespace; ///< peas it may touch, besides itself
};

/// The pods and peas of a policy, and a profile of any of its peas.
class ProfileSource {
public:
  virtual ~ProfileSource() = default;
  virtual std::vector<std::string> pods() const = 0;
  virtual std::vector<std::string> peas(uint32_t Pod) const = 0;
  virtual PeaProfile profile(uint32_t Pod, uint32_t Pea) const = 0;
};

class SourceProfiles final : public ProfileSource {
public:
  explicit SourceProfiles(const Policy &P) : P(P) {}
  std::vector<std::string> pods() const override {
    return ReferenceEvaluator(P).podNames();
  }
  std::vector<std::string> peas(uint32_t Pod) const override {
    return ReferenceEvaluator(P).peaNames(Pod);
  }
  PeaProfile profile(uint32_t PodIndex, uint32_t PeaIndex) const override {
    const Pod &D = P.Pods[PodIndex];
    const Pea &E = D.Peas[PeaIndex];
    PeaProfile Out;
    Out.Pod = D.Name.str();
    Out.Pea = E.Name.str();
    Out.Regions = PeaRegions::build(E);
    for (const ast::Rule *R : E.FileRules)
      Out.FileRules.push_back({ast::ruleKeyword(R->Kind), R->Path, P.locate(*R)});
    for (const Transition &T : E.Transitions)
      Out.Transitions.push_back({{"transition", T.Source->Path, P.locate(*T.Source)},
                                 D.Peas[T.TargetPea].Name.str()});
    Out.Bind = E.Bind;
    Out.Outgoing = E.Outgoing;
    Out.NamespaceGlobal = E.NamespaceGlobal;
    for (uint32_t Q : E.NamespacePeas)
      Out.Namespace.push_back(D.Peas[Q].Name.str());
    return Out;
  }

private:
  const Policy &P;
};

class ImageProfiles final : public ProfileSource {
public:
  explicit ImageProfiles(const ImageOracle &O) : O(O), Img(O.image()) {}
  std::vector<std::string> pods() const override { return O.podNames(); }
  std::vector<std::string> peas(uint32_t Pod) const override {
    return O.peaNames(Pod);
  }
  PeaProfile profile(uint32_t PodIndex, uint32_t PeaIndex) const override {
    const ppi_pod &D = Img.pods[PodIndex];
    uint32_t Global = D.first_pea + PeaIndex;
    const ppi_pea &E = Img.peas[Global];
    PeaProfile Out;
    Out.Pod = str(D.name_off, D.name_len);
    Out.Pea = str(E.name_off, E.name_len);
    Out.Regions = imageRegions(Img, Global);
    static const char *const Kinds[] = {"path", "dir-default", "transition"};
    for (uint32_t I = E.first_rule; I < E.first_rule + E.rule_count; ++I) {
      const ppi_rule &R = Img.rules[I];
      RuleInfo Info{Kinds[R.kind], str(R.path_off, R.path_len), std::nullopt};
      if (O.hasLocations())
        Info.Loc = RuleLocation{str(R.file_off, R.file_len), R.line, R.column};
      if (R.kind == PPI_RULE_TRANSITION) {
        const ppi_pea &T = Img.peas[D.first_pea + R.target];
        Out.Transitions.push_back({Info, str(T.name_off, T.name_len)});
      } else {
        Out.FileRules.push_back(Info);
      }
    }
    Out.Bind = net(E.bind);
    Out.Outgoing = net(E.outgoing);
    Out.NamespaceGlobal = E.touch_flags & PPI_TOUCH_GLOBAL;
    for (uint32_t I = E.first_touch; I < E.first_touch + E.touch_count; ++I) {
      const ppi_pea &T = Img.peas[Img.touch[I]];
      Out.Namespace.push_back(str(T.name_off, T.name_len));
    }
    return Out;
  }

private:
  std::string str(uint32_t Off, uint32_t Len) const {
    return std::string(ppi_string(&Img, Off), Len);
  }
  NetPolicy net(const ppi_net &N) const {
    NetPolicy Out;
    Out.AllowAll = N.flags & PPI_NET_ALLOW_ALL;
    Out.DenyAll = N.flags & PPI_NET_DENY_ALL;
    for (uint32_t I = N.first_port; I < N.first_port + N.port_count; ++I)
      Out.Ranges.push_back({static_cast<Protocol>(Img.ports[I].proto),
                            Img.ports[I].low, Img.ports[I].high});
    return Out;
  }
  const ImageOracle &O;
  const ppi_image &Img;
};

std::string decidedBy(const PeaProfile &P, const Decision &D) {
  if (D.Kind == DecisionKind::Default)
    return "default deny";
  const RuleInfo &R = P.FileRules[D.Rule];
  std::string What = quotePathForDisplay(R.Path) + locationText(R.Loc);
  if (D.Kind == DecisionKind::Implicit)
    return "implicit search, for " + What;
  return R.Kind + " " + What;
}


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
  for (const TransitionInfo &T : P.Transitions)
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
         << decidedBy(P, File);
      if (Dir.Kind != File.Kind || Dir.Rule != File.Rule)
        OS << "; as a directory: " << decidedBy(P, Dir);
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
  const RuleInfo &R = P.FileRules[D.Rule];
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
  for (const TransitionInfo &T : P.Transitions) {
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
  if (In.Image)
    return show(ImageProfiles(*In.Image), Q, Ctx);
  return show(SourceProfiles(In.Source->policy()), Q, Ctx);
}

} // namespace peapod::driver
