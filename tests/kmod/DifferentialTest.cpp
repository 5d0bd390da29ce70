//===- DifferentialTest.cpp - Image == reference on random policies -------===//
//
// Seeded random policies (files, rule groups included, through the real
// front end) with overlapping paths from a small alphabet, and queries at,
// above, below, beside and "almost" (prefix but not component) every rule
// path. Four implementations must agree on every answer: the generator's own
// model of what it wrote (so lowering bugs show), the reference evaluator,
// the image (with and without locations; also asked with doubled slashes),
// and the region tree. A failure prints the seed and the policy.
//
//===----------------------------------------------------------------------===//
#include "KmodTest.h"

#include "RandomPolicy.h"
#include "peapod/ImageRegions.h"
#include "peapod/Regions.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include <catch2/catch.hpp>
#include <fstream>
#include <set>

using namespace peapod;

namespace {

using test::ModelPea;
using test::ModelRule;
using test::RandomPolicy;

/// Compiles the policy from files in a fresh directory (rule groups beside
/// it), as a user would.
std::unique_ptr<Compilation> compileFiles(const RandomPolicy &G) {
  llvm::SmallString<128> Dir;
  REQUIRE(!llvm::sys::fs::createUniqueDirectory("peapod-diff", Dir));
  std::string Main = (Dir + "/test.pea").str();
  std::ofstream(Main) << G.text();
  for (const auto &[Name, Body] : G.groups())
    std::ofstream((Dir + "/" + Name).str()) << Body;
  auto C = std::make_unique<Compilation>();
  C->compileFile(Main);
  for (const auto &[Name, Body] : G.groups())
    llvm::sys::fs::remove(Dir + "/" + Name);
  llvm::sys::fs::remove(Main);
  llvm::sys::fs::remove(Dir);
  INFO(test::diagnosticsText(*C));
  REQUIRE(!C->diags().hasErrors());
  return C;
}

/// The model's answer against the reference's: access, kind, and which rule
/// (by path, file and line).
bool sameAsModel(const test::ModelAnswer &M, const PathAnswer &A) {
  bool Same = M.Access == A.Access && M.Kind == A.Why.Kind &&
              M.RulePath == A.Why.RulePath;
  if (M.Kind != DecisionKind::Default)
    Same = Same && A.Why.Loc && A.Why.Loc->File == M.File &&
           A.Why.Loc->Line == M.Line;
  return Same;
}

/// `/a/b` as `//a///b/`: the image's walk must skip empty components.
std::string twisted(const std::string &Path) {
  std::string Out = "/";
  for (char C : Path)
    Out += C == '/' ? std::string("//") : std::string(1, C);
  return Path == "/" ? "///" : Out + "/";
}

/// The number of answers that differed among the model, the reference
/// evaluator, the image and the region tree.
unsigned comparePolicy(const RandomPolicy &G, bool Locations) {
  ImageWriteOptions Opts;
  Opts.Locations = Locations;
  test::Subject S(compileFiles(G), Opts);
  unsigned Mismatches = 0;
  // Only a difference is an assertion: millions of passing CHECKs would
  // cost more than the answers.
  auto Agree = [&](bool Same, const std::string &What) {
    if (!Same) {
      UNSCOPED_INFO(What);
      ++Mismatches;
      CHECK(Same);
    }
  };
  std::set<std::string> Queries = G.queryPaths();
  const Policy &P = S.C->policy();
  for (uint32_t Pod = 0; Pod < P.Pods.size(); ++Pod)
    for (uint32_t Pea = 0; Pea < P.Pods[Pod].Peas.size(); ++Pea) {
      PeaHandle H{Pod, Pea};
      const ModelPea &M = G.pods()[Pod].Peas[Pea];
      PeaRegions Regions = PeaRegions::build(P.Pods[Pod].Peas[Pea]);
      uint32_t Global = S.FromImage->image().pods[Pod].first_pea + Pea;
      // The image's tree, read back, is the same region model.
      PeaRegions Stored = imageRegions(S.FromImage->image(), Global);
      Agree(Stored.nodes().size() == Regions.nodes().size(), "image regions: size");
      for (uint32_t N = 0; N < Stored.nodes().size() && N < Regions.nodes().size(); ++N) {
        const RegionNode &X = Stored.node(N), &Y = Regions.node(N);
        Agree(Stored.path(N) == Regions.path(N) && X.Transition == Y.Transition &&
                  std::equal(X.Answers, X.Answers + 4, Y.Answers) &&
                  Stored.children(N).size() == Regions.children(N).size(),
              "image regions: node " + Regions.path(N));
      }
      for (const std::string &Q : Queries) {
        for (bool Dir : {false, true}) {
          PathAnswer Ref = S.Reference->access(H, Q, Dir);
          S.access(H, Q, Dir); // image == reference, in full
          Agree(sameAsModel(G.access(M, Q, Dir), Ref),
                "model: access " + Q + (Dir ? "/" : ""));
          Decision D = Regions.decide(Q, Dir);
          Agree(D.Access == Ref.Access && D.Kind == Ref.Why.Kind &&
                    (D.Rule == NoRule ? !Ref.Why.Rule : D.Rule == *Ref.Why.Rule),
                "regions: access " + Q + (Dir ? "/" : ""));
          std::string T = twisted(Q);
          ppi_lookup L = ppi_lookup_path(&S.FromImage->image(), Global,
                                         T.data(), T.size(), Dir);
          ppi_lookup N = ppi_lookup_path(&S.FromImage->image(), Global,
                                         Q.data(), Q.size(), Dir);
          Agree(L.access.rule == N.access.rule &&
                    L.access.access == N.access.access &&
                    L.transition == N.transition,
                "image: " + T + " differs from " + Q);
        }
        S.exec(H, Q); // image == reference, in full
        ExecAnswer E = S.Reference->exec(H, Q);
        std::optional<std::string> After = G.exec(M, Q);
        Agree(E.Allowed == After.has_value() &&
                  (!After || E.PeaAfter == *After),
              "model: exec " + Q);
        uint32_t T = Regions.transition(Q);
        Agree(E.Allowed ? (T == NoRule ? !E.Transition
                                       : E.Transition && E.Transition->Rule == T)
                        : true,
              "regions: transition " + Q);
      }
      for (uint16_t Port : {0, 1, 2, 21, 22, 23, 79, 80, 81, 443, 999, 1000,
                            1004, 1005, 1006, 30000, 65534, 65535})
        for (Protocol Proto : {Protocol::TCP, Protocol::UDP}) {
          Agree(S.bind(H, Proto, Port) ==
                    G.permits(M, ModelRule::Bind, Proto, Port),
                "model: bind " + std::to_string(Port));
          Agree(S.connect(H, Proto, Port) ==
                    G.permits(M, ModelRule::Outgoing, Proto, Port),
                "model: connect " + std::to_string(Port));
        }
      for (const peapod::Pea &Q : P.Pods[Pod].Peas)
        Agree(S.touch(H, Q.Name) == G.touch(M, Q.Name.str()),
              "model: touch " + Q.Name.str());
      for (const peapod::Pod &Other : P.Pods)
        for (const peapod::Pea &Q : Other.Peas)
          S.touch(H, Q.Name);
      S.touch(H, "nope");
    }
  return Mismatches + S.Mismatches;
}

} // namespace

TEST_CASE("model, reference, image and regions agree on random policies",
          "[kmod][differential]") {
  const uint32_t Policies = 2000;
  for (uint32_t Seed = 1; Seed <= Policies; ++Seed) {
    RandomPolicy G(Seed);
    std::string Groups;
    for (const auto &[Name, Body] : G.groups())
      Groups += "--- " + Name + "\n" + Body;
    INFO("seed " << Seed << ", policy:\n" << G.text() << Groups);
    unsigned Mismatches = comparePolicy(G, /*Locations=*/Seed % 4 != 0);
    CHECK(Mismatches == 0);
    if (Mismatches)
      break; // one failing policy is enough to read
  }
}
