//===- RegionsTest.cpp - The region model against the reference -----------===//
#include "TestUtil.h"
#include "peapod/Evaluator.h"
#include "peapod/Regions.h"
#include <catch2/catch.hpp>
#include <set>

using namespace peapod;

namespace {

const char *const Demo = R"(pod demo {
  pea p {
    dir-default /srv allow
    path /srv/secret deny
    path /srv/secret/public.txt read
    dir-default /var/log/app read, write
    path /usr/bin/procmail read, execute
    path /usr/bin/procmail write
    transition /usr/bin q
    transition /usr/bin/procmail q
  }
  pea q {
    path /etc/motd read
  }
}
)";

/// A child name no node of the tree has.
std::string freshChild(const PeaRegions &R, uint32_t N) {
  std::string Name = "fresh";
  for (uint32_t C : R.children(N))
    if (R.node(C).Name == Name)
      Name += "x";
  return (N == 0 ? "" : R.path(N)) + "/" + Name;
}

} // namespace

TEST_CASE("every region answers as the reference evaluator", "[regions]") {
  auto C = test::compile(Demo);
  REQUIRE(!C->diags().hasErrors());
  ReferenceEvaluator E(C->policy());
  for (uint32_t Pea = 0; Pea < 2; ++Pea) {
    const peapod::Pea &P = C->policy().Pods[0].Peas[Pea];
    PeaRegions R = PeaRegions::build(P);
    for (uint32_t N = 0; N < R.nodes().size(); ++N) {
      std::string At = R.path(N), Below = freshChild(R, N);
      INFO(At);
      for (auto [Slot, Path, Dir] :
           {std::tuple{AtFile, At, false}, std::tuple{AtDir, At, true},
            std::tuple{BelowFile, Below, false},
            std::tuple{BelowDir, Below, true}}) {
        const Decision &D = R.node(N).Answers[Slot];
        PathAnswer A = E.access({0, Pea}, Path, Dir);
        CHECK(D.Access == A.Access);
        CHECK(D.Kind == A.Why.Kind);
        CHECK((D.Rule == NoRule ? !A.Why.Rule : D.Rule == *A.Why.Rule));
      }
    }
  }
}

TEST_CASE("the tree is in pre-order with children sorted by name",
          "[regions]") {
  auto C = test::compile(Demo);
  PeaRegions R = PeaRegions::build(C->policy().Pods[0].Peas[0]);
  std::vector<std::string> Paths;
  for (uint32_t N = 0; N < R.nodes().size(); ++N)
    Paths.push_back(R.path(N));
  CHECK(Paths == std::vector<std::string>{
                     "/", "/srv", "/srv/secret", "/srv/secret/public.txt",
                     "/usr", "/usr/bin", "/usr/bin/procmail", "/var",
                     "/var/log", "/var/log/app"});
  for (uint32_t N = 0; N < R.nodes().size(); ++N)
    for (uint32_t Child : R.children(N))
      CHECK(R.node(Child).Parent == N);
  // The two transitions: the longest covering one, by index.
  CHECK(R.transition("/usr/bin/ls") == 0);
  CHECK(R.transition("/usr/bin/procmail") == 1);
  CHECK(R.transition("/usr/bin/procmail/x") == 1);
  CHECK(R.transition("/usr") == NoRule);
  // Names point into their source paths.
  for (const RegionNode &N : R.nodes())
    if (N.Parent != NoRule)
      CHECK(R.sourcePath(N.Source.Path).substr(N.Source.Offset, N.Name.size()) ==
            N.Name);
}

TEST_CASE("peas built with the same extra paths share one shape",
          "[regions]") {
  auto C = test::compile(Demo);
  const Pod &D = C->policy().Pods[0];
  std::set<std::string> Union;
  for (const peapod::Pea &P : D.Peas) {
    for (const ast::Rule *R : P.FileRules)
      Union.insert(R->Path);
    for (const Transition &T : P.Transitions)
      Union.insert(T.Source->Path);
  }
  std::vector<llvm::StringRef> Extra(Union.begin(), Union.end());
  PeaRegions A = PeaRegions::build(D.Peas[0], Extra);
  PeaRegions B = PeaRegions::build(D.Peas[1], Extra);
  REQUIRE(A.nodes().size() == B.nodes().size());
  for (uint32_t N = 0; N < A.nodes().size(); ++N)
    CHECK(A.path(N) == B.path(N));
  // An extra path adds nodes but changes no answer.
  PeaRegions Q = PeaRegions::build(D.Peas[1]);
  for (const std::string &P : Union)
    for (bool Dir : {false, true})
      CHECK(B.decide(P, Dir) == Q.decide(P, Dir));
}

TEST_CASE("a joint walk gives each tree's own answer in every joint region",
          "[regions]") {
  auto C = test::compile(Demo);
  const Pod &D = C->policy().Pods[0];
  PeaRegions A = PeaRegions::build(D.Peas[0]);
  PeaRegions B = PeaRegions::build(D.Peas[1]);
  std::vector<const PeaRegions *> Trees = {&A, &B};
  std::set<std::string> Seen;
  unsigned Regions = 0;
  forEachJointRegion(Trees, [&](const JointRegion &J) {
    ++Regions;
    Seen.insert(J.Path.str());
    bool Below = J.Slot == BelowFile || J.Slot == BelowDir;
    bool Dir = J.Slot == AtDir || J.Slot == BelowDir;
    // A path in the region: the node itself, or a child in neither tree.
    std::string Path = Below ? (J.Path == "/" ? "" : J.Path.str()) + "/zz-fresh"
                             : J.Path.str();
    for (size_t T = 0; T < Trees.size(); ++T) {
      INFO(Path << " tree " << T);
      CHECK(J.Answers[T] == Trees[T]->decide(Path, Dir));
      CHECK(J.Transitions[T] == Trees[T]->transition(Path));
    }
  });
  // The union of both trees' nodes, each with four slots.
  std::set<std::string> Union;
  for (const PeaRegions *T : Trees)
    for (uint32_t N = 0; N < T->nodes().size(); ++N)
      Union.insert(T->path(N));
  CHECK(Seen == Union);
  CHECK(Regions == 4 * Union.size());
}
