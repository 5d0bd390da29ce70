//===- DifferentialTest.cpp - Image == reference on random policies -------===//
//
// Seeded random policies (as text, through the real front end) with
// overlapping paths from a small alphabet, and queries at, above, below,
// beside and "almost" (prefix but not component) every rule path. Each
// answer of the image must equal the reference evaluator's, with and
// without locations. A failure prints the seed and the policy.
//
//===----------------------------------------------------------------------===//
#include "KmodTest.h"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

using namespace peapod;

namespace {

/// Few short names, so that random paths collide, nest and share prefixes
/// ("a" and "ab", "a b" needs quoting).
const char *const Components[] = {"a", "b", "ab", "bin", "a b", "x.y"};

class PolicyGenerator {
public:
  explicit PolicyGenerator(uint32_t Seed) : Rng(Seed) {}

  std::string generate();
  const std::vector<std::string> &paths() const { return Paths; }

private:
  uint32_t pick(uint32_t N) { return Rng() % N; }
  bool chance(uint32_t Percent) { return pick(100) < Percent; }
  std::string path();
  std::string access();
  std::string netSpec();
  std::string rule(const std::vector<std::string> &Peas, uint32_t Self,
                   std::map<std::string, std::string> &Transitions);

  std::mt19937 Rng;
  std::vector<std::string> Paths; ///< every rule path, for the queries
};

std::string PolicyGenerator::path() {
  if (chance(4))
    return "/";
  std::string P;
  for (uint32_t Depth = 1 + pick(4); Depth; --Depth)
    P += "/" + std::string(Components[pick(std::size(Components))]);
  return P;
}

std::string PolicyGenerator::access() {
  if (chance(20))
    return "deny";
  if (chance(5))
    return "allow";
  const char *const Names[] = {"read", "write", "execute"};
  std::string A;
  uint32_t Mask = 1 + pick(7);
  for (int I = 0; I < 3; ++I)
    if (Mask & (1u << I))
      A += (A.empty() ? "" : ", ") + std::string(Names[I]);
  return A;
}

std::string PolicyGenerator::netSpec() {
  if (chance(8))
    return chance(50) ? "allow" : "deny";
  const uint16_t Ports[] = {1, 21, 22, 80, 443, 1000, 1005, 65535};
  std::string Specs;
  for (uint32_t N = 1 + pick(3); N; --N) {
    uint16_t Low = Ports[pick(std::size(Ports))];
    std::string Spec = (chance(50) ? "tcp/" : "udp/") + std::to_string(Low);
    if (chance(40))
      Spec += "-" + std::to_string(Low + pick(65536 - Low));
    Specs += (Specs.empty() ? "" : ", ") + Spec;
  }
  return Specs;
}

std::string
PolicyGenerator::rule(const std::vector<std::string> &Peas, uint32_t Self,
                      std::map<std::string, std::string> &Transitions) {
  uint32_t Kind = pick(100);
  if (Kind < 70) {
    std::string P = path();
    Paths.push_back(P);
    return std::string(Kind < 45 ? "path" : "dir-default") + " \"" + P + "\" " +
           access();
  }
  if (Kind < 82) {
    std::string P = path();
    Paths.push_back(P);
    // One target per path: conflicting transitions are a compile error.
    auto [It, New] = Transitions.try_emplace(P, Peas[pick(Peas.size())]);
    (void)New;
    return "transition \"" + P + "\" " + It->second;
  }
  if (Kind < 94)
    return (chance(50) ? "bind " : "outgoing ") + netSpec();
  if (chance(30))
    return "namespace global";
  uint32_t Other = pick(Peas.size());
  return Other == Self ? "namespace global" : "namespace " + Peas[Other];
}

std::string PolicyGenerator::generate() {
  std::string Text;
  for (uint32_t Pod = 0, Pods = 1 + pick(2); Pod < Pods; ++Pod) {
    std::vector<std::string> Peas;
    for (uint32_t N = 1 + pick(3); N; --N)
      Peas.push_back("p" + std::to_string(Peas.size()));
    Text += "pod d" + std::to_string(Pod) + " {\n";
    for (uint32_t Pea = 0; Pea < Peas.size(); ++Pea) {
      std::map<std::string, std::string> Transitions;
      Text += "  pea " + Peas[Pea] + " {\n";
      for (uint32_t N = pick(14); N; --N)
        Text += "    " + rule(Peas, Pea, Transitions) + "\n";
      Text += "  }\n";
    }
    Text += "}\n";
  }
  return Text;
}

/// Rule paths and everything around them a query should try.
std::set<std::string> queryPaths(const std::vector<std::string> &RulePaths) {
  std::set<std::string> Q = {"/", "/a", "/zz", "/a/b/ab/bin/x.y/q"};
  for (const std::string &P : RulePaths) {
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

/// The number of answers that differed.
unsigned comparePolicy(const std::string &Text,
                       const std::vector<std::string> &Paths, bool Locations) {
  ImageWriteOptions Opts;
  Opts.Locations = Locations;
  test::Subject S(Text, Opts);
  std::set<std::string> Queries = queryPaths(Paths);
  const Policy &P = S.C->policy();
  for (uint32_t Pod = 0; Pod < P.Pods.size(); ++Pod)
    for (uint32_t Pea = 0; Pea < P.Pods[Pod].Peas.size(); ++Pea) {
      PeaHandle H{Pod, Pea};
      for (const std::string &Q : Queries) {
        S.access(H, Q, false);
        S.access(H, Q, true);
        S.exec(H, Q);
      }
      for (uint16_t Port : {0, 1, 2, 21, 22, 23, 79, 80, 81, 443, 999, 1000,
                            1004, 1005, 1006, 30000, 65534, 65535})
        for (Protocol Proto : {Protocol::TCP, Protocol::UDP}) {
          S.bind(H, Proto, Port);
          S.connect(H, Proto, Port);
        }
      for (const peapod::Pod &Other : P.Pods)
        for (const peapod::Pea &Q : Other.Peas)
          S.touch(H, Q.Name);
      S.touch(H, "nope");
    }
  return S.Mismatches;
}

} // namespace

TEST_CASE("image answers equal the reference on random policies",
          "[kmod][differential]") {
  const uint32_t Policies = 2000;
  for (uint32_t Seed = 1; Seed <= Policies; ++Seed) {
    PolicyGenerator G(Seed);
    std::string Text = G.generate();
    INFO("seed " << Seed << ", policy:\n" << Text);
    if (comparePolicy(Text, G.paths(), /*Locations=*/Seed % 4 != 0))
      break; // one failing policy is enough to read
  }
}
