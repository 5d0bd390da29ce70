//===- RandomPolicy.cpp ---------------------------------------------------===//
#include "RandomPolicy.h"

namespace peapod::test {

namespace {

/// Few short names, so that random paths collide, nest and share prefixes
/// ("a" and "ab"; "a b" needs quoting).
const char *const Components[] = {"a", "b", "ab", "bin", "a b", "x.y"};

/// `Ancestor` is X or a directory above it, on component boundaries.
bool covers(const std::string &Ancestor, const std::string &X) {
  if (Ancestor == "/")
    return true;
  return X.compare(0, Ancestor.size(), Ancestor) == 0 &&
         (X.size() == Ancestor.size() || X[Ancestor.size()] == '/');
}

bool isFileRule(const ModelRule &R) {
  return R.K == ModelRule::Path || R.K == ModelRule::DirDefault;
}

ModelAnswer answerFrom(const ModelRule &R, uint8_t Access, DecisionKind K) {
  return {Access, K, R.RulePath, R.File, R.Line};
}

/// Semantics 6: the rules of R's kind on R's path, merged: the union, or
/// the first deny.
ModelAnswer merged(const ModelPea &P, ModelRule::Kind K,
                   const std::string &Path, DecisionKind Kind) {
  const ModelRule *First = nullptr, *FirstDeny = nullptr;
  uint8_t Union = 0;
  for (const ModelRule &R : P.Rules)
    if (R.K == K && R.RulePath == Path) {
      First = First ? First : &R;
      Union |= R.Access;
      if (R.Access == 0 && !FirstDeny)
        FirstDeny = &R;
    }
  return FirstDeny ? answerFrom(*FirstDeny, 0, Kind)
                   : answerFrom(*First, Union, Kind);
}

} // namespace

RandomPolicy::RandomPolicy(uint32_t Seed) : Rng(Seed) {
  unsigned Line = 1;
  auto Emit = [&](const std::string &L) {
    Text += L + "\n";
    ++Line;
  };
  for (uint32_t Pod = 0, PodCount = 1 + pick(2); Pod < PodCount; ++Pod) {
    ModelPod &D = Pods.emplace_back();
    D.Name = "d" + std::to_string(Pod);
    std::vector<std::string> Peas;
    for (uint32_t N = 1 + pick(3); N; --N)
      Peas.push_back("p" + std::to_string(Peas.size()));
    Emit("pod " + D.Name + " {");
    for (uint32_t Pea = 0; Pea < Peas.size(); ++Pea) {
      ModelPea &E = D.Peas.emplace_back();
      E.Name = Peas[Pea];
      std::map<std::string, std::string> Transitions;
      Emit("  pea " + E.Name + " {");
      for (uint32_t N = pick(14); N; --N) {
        if (chance(10)) {
          std::string Name = group(Peas, Pea, Transitions, 0, E.Rules);
          Emit("    include \"" + Name + "\"");
          continue;
        }
        ModelRule R;
        R.File = "test.pea";
        R.Line = Line;
        Emit("    " + rule(Peas, Pea, Transitions, R));
        E.Rules.push_back(R);
      }
      Emit("  }");
    }
    Emit("}");
  }
}

/// A rule group of file and network rules, maybe including another; its
/// rules are appended to `Out` as the include expands them. Sometimes an
/// existing group is included again (its rules then appear twice).
std::string RandomPolicy::group(const std::vector<std::string> &Peas,
                                uint32_t Self,
                                std::map<std::string, std::string> &Transitions,
                                unsigned Depth, std::vector<ModelRule> &Out) {
  (void)Peas, (void)Self, (void)Transitions;
  std::string Name = "g" + std::to_string(Groups.size());
  Groups[Name + ".rules"]; // taken before an inner group picks a name
  std::string Body;
  std::vector<ModelRule> Rules;
  unsigned Line = 1;
  for (uint32_t N = 1 + pick(4); N; --N) {
    if (Depth < 2 && chance(15)) {
      std::string Inner = group(Peas, Self, Transitions, Depth + 1, Rules);
      Body += "include \"" + Inner + "\"\n";
      ++Line;
      continue;
    }
    ModelRule R;
    R.File = Name + ".rules";
    R.Line = Line++;
    uint32_t Kind = pick(100);
    if (Kind < 80) {
      std::string P = path();
      Paths.push_back(P);
      R.K = Kind < 50 ? ModelRule::Path : ModelRule::DirDefault;
      R.RulePath = P;
      Body += std::string(Kind < 50 ? "path" : "dir-default") + " \"" + P +
              "\" " + access(R.Access) + "\n";
    } else {
      R.K = chance(50) ? ModelRule::Bind : ModelRule::Outgoing;
      Body += std::string(R.K == ModelRule::Bind ? "bind " : "outgoing ") +
              netSpec(R) + "\n";
    }
    Rules.push_back(R);
  }
  Groups[Name + ".rules"] = Body;
  Out.insert(Out.end(), Rules.begin(), Rules.end());
  return Name;
}

std::string RandomPolicy::path() {
  if (chance(4))
    return "/";
  std::string P;
  for (uint32_t Depth = 1 + pick(4); Depth; --Depth)
    P += "/" + std::string(Components[pick(std::size(Components))]);
  return P;
}

std::string RandomPolicy::access(uint8_t &Mask) {
  if (chance(20)) {
    Mask = 0;
    return "deny";
  }
  if (chance(5)) {
    Mask = AccessAll;
    return "allow";
  }
  const char *const Names[] = {"execute", "write", "read"}; // bit order
  Mask = static_cast<uint8_t>(1 + pick(7));
  std::string A;
  for (int I = 2; I >= 0; --I)
    if (Mask & (1u << I))
      A += (A.empty() ? "" : ", ") + std::string(Names[I]);
  return A;
}

std::string RandomPolicy::netSpec(ModelRule &R) {
  if (chance(8)) {
    R.Allow = chance(50);
    R.Deny = !R.Allow;
    return R.Allow ? "allow" : "deny";
  }
  const uint16_t Ports[] = {1, 21, 22, 80, 443, 1000, 1005, 65535};
  std::string Specs;
  for (uint32_t N = 1 + pick(3); N; --N) {
    PortRange P;
    P.Proto = chance(50) ? Protocol::TCP : Protocol::UDP;
    P.Low = P.High = Ports[pick(std::size(Ports))];
    std::string Spec = portRangeString(P);
    if (chance(40)) {
      P.High = static_cast<uint16_t>(P.Low + pick(65536 - P.Low));
      Spec += "-" + std::to_string(P.High);
    }
    R.Ports.push_back(P);
    Specs += (Specs.empty() ? "" : ", ") + Spec;
  }
  return Specs;
}

std::string RandomPolicy::rule(const std::vector<std::string> &Peas,
                               uint32_t Self,
                               std::map<std::string, std::string> &Transitions,
                               ModelRule &R) {
  uint32_t Kind = pick(100);
  if (Kind < 70) {
    R.K = Kind < 45 ? ModelRule::Path : ModelRule::DirDefault;
    R.RulePath = path();
    Paths.push_back(R.RulePath);
    return std::string(Kind < 45 ? "path" : "dir-default") + " \"" +
           R.RulePath + "\" " + access(R.Access);
  }
  if (Kind < 82) {
    R.K = ModelRule::Transition;
    R.RulePath = path();
    Paths.push_back(R.RulePath);
    // One target per path: conflicting transitions are a compile error.
    auto [It, New] = Transitions.try_emplace(R.RulePath, Peas[pick(Peas.size())]);
    (void)New;
    R.Target = It->second;
    return "transition \"" + R.RulePath + "\" " + R.Target;
  }
  if (Kind < 94) {
    R.K = chance(50) ? ModelRule::Bind : ModelRule::Outgoing;
    return std::string(R.K == ModelRule::Bind ? "bind " : "outgoing ") +
           netSpec(R);
  }
  R.K = ModelRule::Namespace;
  uint32_t Other = pick(Peas.size());
  R.Target = chance(30) || Other == Self ? "global" : Peas[Other];
  return "namespace " + R.Target;
}

std::set<std::string> RandomPolicy::queryPaths() const {
  std::set<std::string> Q = {"/", "/a", "/zz", "/a/b/ab/bin/x.y/q"};
  for (const std::string &P : Paths) {
    std::string Base = P == "/" ? "" : P;
    Q.insert(P);
    Q.insert(Base + "/a");   // a child
    Q.insert(Base + "/q/r"); // deeper, outside the tree
    if (P == "/")
      continue;
    Q.insert(P + "b"); // a prefix, not a component ("/a" -> "/ab")
    size_t Slash = P.rfind('/');
    Q.insert(Slash ? P.substr(0, Slash) : "/"); // the parent
    Q.insert(P.substr(0, Slash) + "/bin");      // a sibling
    if (P.size() - Slash > 2)
      Q.insert(P.substr(0, P.size() - 1)); // "/a/ab" -> "/a/a"
  }
  return Q;
}

ModelAnswer RandomPolicy::access(const ModelPea &P, const std::string &X,
                                 bool IsDir) const {
  // 1. The shallowest `path ... deny` on X or above dominates.
  const ModelRule *Deny = nullptr;
  for (const ModelRule &R : P.Rules)
    if (R.K == ModelRule::Path && R.Access == 0 && covers(R.RulePath, X) &&
        (!Deny || R.RulePath.size() < Deny->RulePath.size()))
      Deny = &R;
  if (Deny)
    return answerFrom(*Deny, 0, DecisionKind::Path);
  // 2. `path` rules on X; 3. else the longest covering dir-default.
  ModelAnswer A;
  bool GrantingDirDefault = false;
  const ModelRule *Longest = nullptr;
  bool OnX = false;
  for (const ModelRule &R : P.Rules) {
    OnX |= R.K == ModelRule::Path && R.RulePath == X;
    if (R.K == ModelRule::DirDefault && covers(R.RulePath, X) &&
        (!Longest || R.RulePath.size() > Longest->RulePath.size()))
      Longest = &R;
  }
  if (OnX) {
    A = merged(P, ModelRule::Path, X, DecisionKind::Path);
  } else if (Longest) {
    A = merged(P, ModelRule::DirDefault, Longest->RulePath,
               DecisionKind::DirDefault);
    GrantingDirDefault = A.Access != 0;
  }
  // 5. Directories may be searched in a granted tree or above a grant.
  if (!IsDir)
    return A;
  if (GrantingDirDefault) {
    A.Access |= AccessExecute;
    return A;
  }
  for (const ModelRule &R : P.Rules)
    if (isFileRule(R) && R.Access != 0 && R.RulePath != X &&
        covers(X, R.RulePath)) {
      if (A.Access == 0)
        A = answerFrom(R, 0, DecisionKind::Implicit);
      A.Access |= AccessExecute;
      break;
    }
  return A;
}

std::optional<std::string> RandomPolicy::exec(const ModelPea &P,
                                              const std::string &X) const {
  if (!(access(P, X, false).Access & AccessExecute))
    return std::nullopt;
  const ModelRule *Best = nullptr;
  for (const ModelRule &R : P.Rules)
    if (R.K == ModelRule::Transition && covers(R.RulePath, X) &&
        (!Best || R.RulePath.size() > Best->RulePath.size()))
      Best = &R;
  return Best ? Best->Target : P.Name;
}

bool RandomPolicy::permits(const ModelPea &P, ModelRule::Kind K, Protocol Proto,
                           uint16_t Port) const {
  bool Allowed = false, Denied = false;
  for (const ModelRule &R : P.Rules) {
    if (R.K != K)
      continue;
    Denied |= R.Deny;
    Allowed |= R.Allow;
    for (const PortRange &Range : R.Ports)
      Allowed |= Range.contains(Proto, Port);
  }
  return Allowed && !Denied;
}

bool RandomPolicy::touch(const ModelPea &P, const std::string &Target) const {
  if (Target == P.Name)
    return true;
  for (const ModelRule &R : P.Rules)
    if (R.K == ModelRule::Namespace &&
        (R.Target == "global" || R.Target == Target))
      return true;
  return false;
}

} // namespace peapod::test
