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
#include "peapod/Path.h"
#include "llvm/Support/Format.h"
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
  CompileOptions Opts;
};

std::optional<NetQuery> parseNet(llvm::StringRef Spec) {
  auto [Proto, Port] = Spec.split('/');
  NetQuery Q{Spec.str(), Protocol::TCP, 0};
  if (Proto == "udp")
    Q.Proto = Protocol::UDP;
  else if (Proto != "tcp")
    return std::nullopt;
  unsigned Value = 0;
  if (Port.getAsInteger(10, Value) || Value < 1 || Value > 65535)
    return std::nullopt;
  Q.Port = static_cast<uint16_t>(Value);
  return Q;
}

/// Parses the query options; returns an exit status if it failed.
std::optional<int> parseQuery(const std::vector<std::string> &Args,
                              QueryRequest &Q, const Context &Ctx) {
  ArgCursor Cursor(Args);
  while (!Cursor.done()) {
    std::string Error;
    if (parseCompileOption(Cursor, Q.Opts))
      continue;
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
  return std::nullopt;
}

nlohmann::json ruleJSON(const Explanation &E) {
  nlohmann::json J = {{"kind", decisionKindName(E.Kind)}, {"path", E.RulePath}};
  if (E.Loc) {
    J["file"] = E.Loc->File;
    J["line"] = E.Loc->Line;
  }
  return J;
}

nlohmann::json transitionJSON(const TransitionAnswer &T) {
  nlohmann::json J = {{"kind", "transition"}, {"path", T.RulePath},
                      {"pea", T.TargetPea}};
  if (T.Loc) {
    J["file"] = T.Loc->File;
    J["line"] = T.Loc->Line;
  }
  return J;
}

std::string whereText(const std::optional<RuleLocation> &Loc) {
  if (!Loc)
    return "";
  return " (" + Loc->File + ":" + std::to_string(Loc->Line) + ")";
}

std::string ruleText(const Explanation &E) {
  switch (E.Kind) {
  case DecisionKind::Default:
    return "default deny: no rule covers it";
  case DecisionKind::Implicit:
    return "implicit search: a rule below grants access, " + E.RulePath +
           whereText(E.Loc);
  case DecisionKind::Path:
    return "path " + E.RulePath + whereText(E.Loc);
  case DecisionKind::DirDefault:
    return "dir-default " + E.RulePath + whereText(E.Loc);
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
  std::vector<PathQuery> Paths, Execs;
  for (const std::string &P : Q.Paths) {
    auto PQ = parsePath(P);
    if (!PQ)
      return Ctx.usage("query path '" + P + "' must be absolute, without '.' "
                       "or '..' components");
    Paths.push_back(*PQ);
  }
  for (const std::string &P : Q.Execs) {
    auto PQ = parsePath(P);
    if (!PQ)
      return Ctx.usage("exec path '" + P + "' must be absolute");
    Execs.push_back(*PQ);
  }
  for (const std::string &T : Q.Touches)
    if (!O.touch(*H, T))
      return Ctx.usage("no pea '" + T + "' in pod '" + Q.Pod + "'");

  nlohmann::json J = {{"pod", Q.Pod}, {"pea", Q.Pea}};
  J["paths"] = nlohmann::json::array();
  for (const PathQuery &P : Paths) {
    PathAnswer A = O.access(*H, P.Normal, P.IsDir);
    J["paths"].push_back({{"path", P.Asked},
                          {"kind", P.IsDir ? "directory" : "file"},
                          {"access", accessString(A.Access)},
                          {"rule", ruleJSON(A.Why)}});
  }
  J["exec"] = nlohmann::json::array();
  for (const PathQuery &P : Execs) {
    ExecAnswer E = O.exec(*H, P.Normal);
    nlohmann::json X = {{"path", P.Asked},
                        {"allowed", E.Allowed},
                        {"pea", E.PeaAfter},
                        {"access", accessString(E.Access.Access)},
                        {"rule", ruleJSON(E.Access.Why)}};
    if (E.Transition)
      X["transition"] = transitionJSON(*E.Transition);
    J["exec"].push_back(X);
  }
  for (auto [Key, List, IsBind] :
       {std::tuple{"bind", &Q.Binds, true},
        std::tuple{"connect", &Q.Connects, false}}) {
    J[Key] = nlohmann::json::array();
    for (const NetQuery &N : *List) {
      bool Allowed = IsBind ? O.bind(*H, N.Proto, N.Port)
                            : O.connect(*H, N.Proto, N.Port);
      J[Key].push_back({{"spec", N.Spec}, {"allowed", Allowed}});
    }
  }
  J["touch"] = nlohmann::json::array();
  for (const std::string &T : Q.Touches)
    J["touch"].push_back({{"pea", T}, {"allowed", *O.touch(*H, T)}});

  if (Q.JSON) {
    Ctx.Out << J.dump(2) << "\n";
    return ExitOK;
  }
  llvm::raw_ostream &OS = Ctx.Out;
  OS << "pod " << Q.Pod << ", pea " << Q.Pea << "\n";
  for (size_t I = 0; I < Paths.size(); ++I) {
    PathAnswer A = O.access(*H, Paths[I].Normal, Paths[I].IsDir);
    OS << "  " << accessString(A.Access) << "  " << Paths[I].Asked << "  ["
       << ruleText(A.Why) << "]\n";
  }
  for (const PathQuery &P : Execs) {
    ExecAnswer E = O.exec(*H, P.Normal);
    OS << "  exec " << P.Asked << ": "
       << (E.Allowed ? "allowed, runs in pea " + E.PeaAfter
                     : "denied (no execute access)");
    if (E.Transition)
      OS << " [transition " << E.Transition->RulePath
         << whereText(E.Transition->Loc) << "]";
    else
      OS << " [" << accessString(E.Access.Access) << ", "
         << ruleText(E.Access.Why) << "]";
    OS << "\n";
  }
  for (const char *Key : {"bind", "connect"})
    for (const auto &N : J[Key])
      OS << "  " << Key << " " << N["spec"].get<std::string>() << ": "
         << (N["allowed"].get<bool>() ? "allowed" : "denied") << "\n";
  for (const auto &T : J["touch"])
    OS << "  touch " << T["pea"].get<std::string>() << ": "
       << (T["allowed"].get<bool>() ? "allowed" : "denied") << "\n";
  return ExitOK;
}

/// A compiled image starts with binary bytes; a policy is text.
bool looksBinary(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFileSlice(Path, 64, 0);
  if (!Buffer)
    return false;
  return (*Buffer)->getBuffer().contains('\0');
}

} // namespace

int runQuery(const std::vector<std::string> &Args, const Context &Ctx) {
  QueryRequest Q;
  if (std::optional<int> Status = parseQuery(Args, Q, Ctx))
    return *Status;
  if (looksBinary(Q.Policy)) {
    std::string Error;
    std::unique_ptr<ImageOracle> Image = ImageOracle::fromFile(Q.Policy, Error);
    if (!Image)
      return Ctx.usage("cannot load image '" + Q.Policy + "': " + Error);
    return answer(*Image, Q, Ctx);
  }
  Compilation C(Q.Opts);
  C.compileFile(Q.Policy);
  printDiagnostics(C, Ctx);
  if (int Status = compileStatus(C))
    return Status;
  ReferenceEvaluator Evaluator(C.policy());
  return answer(Evaluator, Q, Ctx);
}

} // namespace peapod::driver
