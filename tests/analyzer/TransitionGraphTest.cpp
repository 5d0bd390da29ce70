//===- TransitionGraphTest.cpp - Edges, entries, reachability, cycles -----===//
#include "peapod/analyzer/TransitionGraph.h"
#include "AnalyzerTestUtil.h"

using namespace peapod;
using namespace peapod::analyzer;

namespace {

const char *const Chain = R"(pod p {
  pea a {
    path /bin/b read, execute
    transition /bin/b b
  }
  pea b {
    transition /bin/c c
    transition /bin/b b
  }
  pea c {
    transition /bin/b b
  }
  pea lone {
  }
}
)";

} // namespace

TEST_CASE("edges are transition rules; self-transitions are none",
          "[analyzer][graph]") {
  auto C = test::compilePolicy(Chain);
  const Pod &P = C->policy().Pods[0];
  TransitionGraph G = TransitionGraph::build(P);
  REQUIRE(G.edges().size() == 3);
  CHECK(G.edge(0).Source == 0);
  CHECK(G.edge(0).Target == 1);
  CHECK(G.edge(0).path() == "/bin/b");
  CHECK(G.outgoing(1).size() == 1);
  CHECK(G.incoming(1).size() == 2);
}

TEST_CASE("default entries: peas without incoming edges", "[analyzer][graph]") {
  auto C = test::compilePolicy(Chain);
  TransitionGraph G = TransitionGraph::build(C->policy().Pods[0]);
  CHECK(G.entries() == llvm::ArrayRef<uint32_t>({0, 3}));
  CHECK(!G.explicitEntries());
  for (uint32_t P = 0; P < 4; ++P)
    CHECK(G.reachable(P));
  CHECK(G.chainFromEntry(2) == std::vector<uint32_t>({0, 1}));
  CHECK(G.chainFromEntry(0).empty());
}

TEST_CASE("explicit entries leave the rest unreachable", "[analyzer][graph]") {
  auto C = test::compilePolicy(Chain);
  TransitionGraph G = TransitionGraph::build(C->policy().Pods[0], {1});
  CHECK(G.explicitEntries());
  CHECK(!G.reachable(0));
  CHECK(G.reachable(2));
  CHECK(!G.reachable(3));
}

TEST_CASE("cycles are components of several peas", "[analyzer][graph]") {
  auto C = test::compilePolicy(Chain);
  TransitionGraph G = TransitionGraph::build(C->policy().Pods[0]);
  REQUIRE(G.cycles().size() == 1);
  CHECK(G.cycles()[0] == std::vector<uint32_t>({1, 2}));
  TransitionGraph::Reach R = G.reachFrom(0);
  CHECK(R.Order == std::vector<uint32_t>({0, 1, 2}));
  CHECK(G.chain(R, 2).size() == 2);
  CHECK(G.reachersOf(2) == std::vector<uint32_t>({0, 1, 2}));
}

TEST_CASE("a cycle nothing enters gets its first pea as entry",
          "[analyzer][graph]") {
  auto C = test::compilePolicy(R"(pod p {
  pea x {
    transition /bin/y y
  }
  pea y {
    transition /bin/x x
  }
}
)");
  TransitionGraph G = TransitionGraph::build(C->policy().Pods[0]);
  CHECK(G.entries() == llvm::ArrayRef<uint32_t>({0}));
  CHECK(G.reachable(1));
}

TEST_CASE("entry names resolve per pod", "[analyzer][graph]") {
  auto C = test::compilePolicy(Chain);
  std::vector<std::string> Unknown;
  auto ByPod = resolveEntries(C->policy(), {"b", "p/c", "q/a", "zz"}, Unknown);
  REQUIRE(ByPod.size() == 1);
  CHECK(ByPod[0] == std::vector<uint32_t>({1, 2}));
  CHECK(Unknown == std::vector<std::string>({"q/a", "zz"}));
}
