//===- Query.cpp - peapodc query: what may a pea do, and why --------------===//
//
// Answers come from a PolicyOracle: the reference evaluator over a source
// policy, or the image loader over a compiled image. The printing below sees
// only the answers, so both forms print identically.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "peapod/Evaluator.h"
#include "peapod/ImageOracle.h"
#include "peapod/InputFile.h"
#include "peapod/Path.h"
#include "peapod/TextEscape.h"
#include "llvm/Support/MemoryBuffer.h"

namespace peapod::driver {

namespace {

struct NetQuery {
  std::string Spec;
  Protocol Proto;
  uint16_t Port;
};

struct QueryRequest {
  std::string Policy, Pod, Pea;
  std::vector<std::string> Paths, Execs, Touches;
  std::vector<NetQuery> Binds, Connects;
  bool JSON = false;
  CompileOptions Opts = defaultCompileOptions();
};

/// One port, as `tcp/25`: what a `bind` or `connect` asks about.
std::optional<NetQuery> parseNet(llvm::StringRef Spec) {
  PortRange R;
  if (parsePortSpec(Spec, R) || R.Low != R.High)
    return std::nullopt;
  return NetQuery{Spec.str(), R.Proto, R.Low};
}

/// Parses the query options; returns an exit status if it failed.
std::optional<int> parseQuery(const std::vector<std::string> &Args,
                              QueryRequest &Q, const Context &Ctx) {
  ArgCursor Cursor(Args, "peapodc query --help");
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
    } else if (auto V = Cursor.value("--exec")) {
      Q.Execs.push_back(*V);
    } else if (auto V = Cursor.value("--touch")) {
      Q.Touches.push_back(*V);
    } else if (auto V = Cursor.value("--format")) {
      if (*V != "text" && *V != "json")
        return Ctx.usage("unknown format '" + *V + "' (text or json)");
      Q.JSON = *V == "json";
    } else if (auto V = Cursor.value("--bind")) {
      auto N = parseNet(*V);
      if (!N)
        return Ctx.usage("bad port '" + *V + "' (expected tcp/N or udp/N)");
      Q.Binds.push_back(*N);
    } else if (auto V = Cursor.value("--connect")) {
      auto N = parseNet(*V);
      if (!N)
        return Ctx.usage("bad port '" + *V + "' (expected tcp/N or udp/N)");
      Q.Connects.push_back(*N);
    } else if (auto P = Cursor.rest(Error)) {
      if (Q.Policy.empty())
        Q.Policy = *P;
      else
        Q.Paths.push_back(*P);
    } else if (!Error.empty()) {
      return Ctx.usage(Error);
    }
  }
  if (Q.Policy.empty())
    return Ctx.usage("no policy (see peapodc query --help)");
  if (Q.Pod.empty() || Q.Pea.empty())
    return Ctx.usage("--pod and --pea are required");
  if (Q.Paths.empty() && Q.Execs.empty() && Q.Binds.empty() &&
      Q.Connects.empty() && Q.Touches.empty())
    return Ctx.usage("nothing to ask: give a PATH, --exec PATH, --bind "
                     "PROTO/PORT, --connect PROTO/PORT or --touch PEA (see "
                     "peapodc query --help)");
  return std::nullopt;
}

/// A string from a policy, an image or the command line, as JSON text: JSON
/// strings must be UTF-8, and paths may hold any byte (see TextEscape.h).
nlohmann::json str(llvm::StringRef S) { return escapeInvalidUtf8(S); }

nlohmann::json ruleJSON(const Explanation &E) {
  nlohmann::json J = {{"kind", decisionKindName(E.Kind)},
                      {"path", str(E.RulePath)}};
  if (E.Loc) {
    J["file"] = str(E.Loc->File);
    J["line"] = E.Loc->Line;
  }
  return J;
}

nlohmann::json transitionJSON(const TransitionAnswer &T) {
  nlohmann::json J = {{"kind", "transition"},
                      {"path", str(T.RulePath)},
                      {"pea", str(T.TargetPea)}};
  if (T.Loc) {
    J["file"] = str(T.Loc->File);
    J["line"] = T.Loc->Line;
  }
  return J;
}

std::string ruleText(const Explanation &E) {
  switch (E.Kind) {
  case DecisionKind::Default:
    return "default deny: no rule covers it";
  case DecisionKind::Implicit:
    return "implicit search: a rule below grants access, " +
           quotePathForDisplay(E.RulePath) + locationText(E.Loc);
  case DecisionKind::Path:
    return "path " + quotePathForDisplay(E.RulePath) + locationText(E.Loc);
  case DecisionKind::DirDefault:
    return "dir-default " + quotePathForDisplay(E.RulePath) +
           locationText(E.Loc);
  }
  return "";
}

/// A query PATH: normalised; a trailing '/' asks about a directory.
struct PathQuery {
  std::string Asked, Normal;
  bool IsDir;
};

std::optional<PathQuery> parsePath(llvm::StringRef Raw) {
  NormalisedPath N = normalisePath(Raw);
  if (N.Error != PathError::None)
    return std::nullopt;
  return PathQuery{Raw.str(), N.Path, Raw.endswith("/")};
}

struct Answers {
  std::vector<std::pair<PathQuery, PathAnswer>> Paths;
  std::vector<std::pair<PathQuery, ExecAnswer>> Execs;
  std::vector<std::pair<std::string, bool>> Binds, Connects, Touches;
};

nlohmann::json answersJSON(const QueryRequest &Q, const Answers &A) {
  nlohmann::json J = {{"pod", str(Q.Pod)}, {"pea", str(Q.Pea)}};
  J["paths"] = nlohmann::json::array();
  for (const auto &[P, Answer] : A.Paths)
    J["paths"].push_back({{"path", str(P.Asked)},
                          {"kind", P.IsDir ? "directory" : "file"},
                          {"access", accessString(Answer.Access)},
                          {"rule", ruleJSON(Answer.Why)}});
  J["exec"] = nlohmann::json::array();
  for (const auto &[P, E] : A.Execs) {
    nlohmann::json X = {{"path", str(P.Asked)},
                        {"allowed", E.Allowed},
                        {"pea", str(E.PeaAfter)},
                        {"access", accessString(E.Access.Access)},
                        {"rule", ruleJSON(E.Access.Why)}};
    if (E.Transition)
      X["transition"] = transitionJSON(*E.Transition);
    J["exec"].push_back(X);
  }
  for (auto [Key, List, Name] :
       {std::tuple{"bind", &A.Binds, "spec"},
        std::tuple{"connect", &A.Connects, "spec"},
        std::tuple{"touch", &A.Touches, "pea"}}) {
    J[Key] = nlohmann::json::array();
    for (const auto &[What, Allowed] : *List)
      J[Key].push_back({{Name, str(What)}, {"allowed", Allowed}});
  }
  return J;
}

/// Text for a terminal: every path quoted if it must be (spaces, quotes,
/// control characters), every name and file escaped.
void printAnswers(const QueryRequest &Q, const Answers &A,
                  llvm::raw_ostream &OS) {
  OS << "pod " << escapeForTerminal(Q.Pod) << ", pea "
     << escapeForTerminal(Q.Pea) << "\n";
  for (const auto &[P, Answer] : A.Paths)
    OS << "  " << accessString(Answer.Access) << "  "
       << quotePathForDisplay(P.Asked) << "  [" << ruleText(Answer.Why)
       << "]\n";
  for (const auto &[P, E] : A.Execs) {
    OS << "  exec " << quotePathForDisplay(P.Asked) << ": "
       << (E.Allowed ? "allowed, runs in pea " + escapeForTerminal(E.PeaAfter)
                     : "denied (no execute access)");
    if (E.Transition)
      OS << " [transition " << quotePathForDisplay(E.Transition->RulePath)
         << locationText(E.Transition->Loc) << "]";
    else
      OS << " [" << accessString(E.Access.Access) << ", "
         << ruleText(E.Access.Why) << "]";
    OS << "\n";
  }
  for (auto [Key, List] : {std::pair{"bind", &A.Binds},
                           std::pair{"connect", &A.Connects},
                           std::pair{"touch", &A.Touches}})
    for (const auto &[What, Allowed] : *List)
      OS << "  " << Key << " " << escapeForTerminal(What) << ": "
         << (Allowed ? "allowed" : "denied") << "\n";
}

int answer(const PolicyOracle &O, const QueryRequest &Q, const Context &Ctx) {
  std::optional<PeaHandle> H = O.findPea(Q.Pod, Q.Pea);
  if (!H) {
    auto Pods = O.podNames();
    auto Pod = std::find(Pods.begin(), Pods.end(), Q.Pod);
    std::vector<std::string> Names =
        Pod == Pods.end() ? Pods : O.peaNames(uint32_t(Pod - Pods.begin()));
    std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
    std::string Wanted = Pod == Pods.end() ? Q.Pod : Q.Pea;
    std::string Hint = closestName(Wanted, Refs);
    return Ctx.usage(std::string(Pod == Pods.end() ? "no pod '" : "no pea '") +
                     Wanted + "'" +
                     (Pod == Pods.end() ? "" : " in pod '" + Q.Pod + "'") +
                     (Hint.empty() ? "" : "; did you mean '" + Hint + "'?"));
  }
  Answers A;
  auto Parse = [&](const std::vector<std::string> &Raw, const char *What,
                   auto &Into) -> bool {
    for (const std::string &P : Raw) {
      std::optional<PathQuery> PQ = parsePath(P);
      if (!PQ) {
        Ctx.usage(llvm::Twine(What) + " '" + P + "' must be absolute, "
                  "without '.' or '..' components");
        return false;
      }
      Into.push_back({*PQ, {}});
    }
    return true;
  };
  if (!Parse(Q.Paths, "query path", A.Paths) ||
      !Parse(Q.Execs, "exec path", A.Execs))
    return ExitUsage;
  for (const std::string &T : Q.Touches) {
    std::optional<bool> Allowed = O.touch(*H, T);
    if (!Allowed)
      return Ctx.usage("no pea '" + T + "' in pod '" + Q.Pod + "'");
    A.Touches.push_back({T, *Allowed});
  }
  // Each question is asked once; both printers read the answers.
  for (auto &[P, Answer] : A.Paths)
    Answer = O.access(*H, P.Normal, P.IsDir);
  for (auto &[P, Answer] : A.Execs)
    Answer = O.exec(*H, P.Normal);
  for (const NetQuery &N : Q.Binds)
    A.Binds.push_back({N.Spec, O.bind(*H, N.Proto, N.Port)});
  for (const NetQuery &N : Q.Connects)
    A.Connects.push_back({N.Spec, O.connect(*H, N.Proto, N.Port)});

  if (Q.JSON)
    Ctx.Out << answersJSON(Q, A).dump(2) << "\n";
  else
    printAnswers(Q, A, Ctx.Out);
  return ExitOK;
}

} // namespace

int runQuery(const std::vector<std::string> &Args, const Context &Ctx) {
  QueryRequest Q;
  if (std::optional<int> Status = parseQuery(Args, Q, Ctx))
    return *Status;
  PolicyInput In;
  if (int Status = readPolicyOrImage(Q.Policy, Q.Opts, Ctx, In))
    return Status;
  if (In.Image)
    return answer(*In.Image, Q, Ctx);
  return answer(ReferenceEvaluator(In.Source->policy()), Q, Ctx);
}

} // namespace peapod::driver
