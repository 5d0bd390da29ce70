//===- WorkspaceTest.cpp - Recompiling, editor buffers, cached groups -----===//
#include "TestUtil.h"
#include "peapod/Evaluator.h"
#include "peapod/Workspace.h"
#include <catch2/catch.hpp>
#include <thread>

using namespace peapod;
using test::TempDir;

TEST_CASE("a compilation can be compiled again", "[workspace]") {
  Compilation C;
  CHECK(C.compileBuffer("a.pea", "pod p { pea a { path /x read } }"));
  CHECK(C.compileBuffer("a.pea", "pod p { pea a { path /y read } }"));
  // No false E303 against the old buffer, and the IR is the new one.
  CHECK(C.diags().diagnostics().empty());
  REQUIRE(C.policy().Pods.size() == 1);
  CHECK(C.policy().Pods[0].Peas[0].FileRules.at(0)->Path == "/y");
  CHECK(C.sourceMgr().getNumBuffers() == 1);
  CHECK_FALSE(C.compileBuffer("a.pea", "pod p { pea a { path y read } }"));
  CHECK(test::codes(C) == std::vector<std::string>{"E101"});
  CHECK(C.compileBuffer("a.pea", "pod q { }"));
  CHECK(C.diags().diagnostics().empty());
}

TEST_CASE("rule groups are parsed once and reused while unchanged",
          "[workspace]") {
  TempDir T;
  std::string Group = T.write("g.rules", "path /etc/a read\npath /etc/b read, read\n");
  std::string Main = T.write("m.pea", "pod p { pea a { include \"g\" } pea b { include \"g\" } }");
  Workspace WS;
  Compilation C({}, &WS);
  for (int Round = 0; Round < 3; ++Round) {
    C.compileFile(Main);
    // The group's own warning is reported each time, from the cache.
    CHECK(test::codes(C) == std::vector<std::string>{"W205"});
    CHECK(test::diags(C).at(0).File == Group);
    CHECK(C.policy().Pods[0].Peas[1].FileRules.size() == 2);
  }
  CHECK(WS.parses() == 1);
  // A change on disk (here: the size) is seen.
  T.write("g.rules", "path /etc/a read\n");
  C.compileFile(Main);
  CHECK(WS.parses() == 2);
  CHECK(test::codes(C).empty());
  CHECK(C.policy().Pods[0].Peas[0].FileRules.size() == 1);
  // Explanations still point into the cached group.
  ReferenceEvaluator E(C.policy());
  PathAnswer A = E.access({0, 0}, "/etc/a", false);
  REQUIRE(A.Why.Loc);
  CHECK(*A.Why.Loc == RuleLocation{"g.rules", 1, 1});
}

TEST_CASE("editor buffers stand in for files", "[workspace]") {
  TempDir T;
  std::string Main = T.write("m.pea", "pod p { pea a { include \"g\" } }");
  Workspace WS;
  Compilation C({}, &WS);
  // A group that exists only in the editor.
  WS.setBuffer(T.path("g.rules"), "path /only/in/editor read\n");
  CHECK(C.compileFile(Main));
  CHECK(C.policy().Pods[0].Peas[0].FileRules.at(0)->Path == "/only/in/editor");
  // An edit of it is a new version: parsed again.
  WS.setBuffer(T.path("g.rules"), "path /edited read\n");
  C.compileFile(Main);
  CHECK(C.policy().Pods[0].Peas[0].FileRules.at(0)->Path == "/edited");
  CHECK(WS.parses() == 2);
  // The main file from the editor too, unsaved.
  WS.setBuffer(Main, "pod p { pea a { include \"g\" path /x read } }");
  CHECK(C.compileFile(Main));
  CHECK(C.policy().Pods[0].Peas[0].FileRules.size() == 2);
  CHECK(WS.parses() == 2);
  // Closing the editor's buffer goes back to the disk.
  WS.removeBuffer(T.path("g.rules"));
  CHECK_FALSE(C.compileFile(Main));
  CHECK(test::codes(C) == std::vector<std::string>{"E401"});
}

TEST_CASE("a group included through two spellings of its path is one group",
          "[workspace]") {
  TempDir T;
  T.write("lib/g.rules", "path /x read\n");
  std::string Main = T.write("m.pea", "pod p { pea a { include \"g\" } }");
  CompileOptions O;
  O.IncludeDirs = {T.path("lib/../lib")};
  Workspace WS;
  Compilation C(O, &WS);
  CHECK(C.compileFile(Main));
  WS.setBuffer(T.path("lib/g.rules"), "path /y read\n");
  CHECK(C.compileFile(Main));
  CHECK(C.policy().Pods[0].Peas[0].FileRules.at(0)->Path == "/y");
}
