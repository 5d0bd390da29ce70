//===- IncludeTest.cpp - Rule groups: resolution, nesting, cycles ---------===//
#include "SpecialFiles.h"
#include "TestUtil.h"
#include "peapod/InputFile.h"
#include "peapod/Evaluator.h"
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace peapod;
using test::TempDir;

namespace {

std::vector<std::string> filePaths(const Pea &P) {
  std::vector<std::string> Out;
  for (const ast::Rule *R : P.FileRules)
    Out.push_back(R->Path);
  return Out;
}

const Pea &pea(const Compilation &C, const std::string &Pod,
               const std::string &Name) {
  std::optional<uint32_t> PodIndex = C.policy().findPod(Pod);
  REQUIRE(PodIndex);
  const struct Pod &P = C.policy().Pods[*PodIndex];
  std::optional<uint32_t> PeaIndex = P.findPea(Name);
  REQUIRE(PeaIndex);
  return P.Peas[*PeaIndex];
}

/// A layout with g.rules in the main file's directory, two -I directories
/// and a stdrules directory, each saying where it came from.
struct Layout {
  TempDir T;
  std::string Main, I1, I2, Std;
  Layout() {
    Main = T.write("main/m.pea", "pod p {\n  pea a {\n    include \"g\"\n  }\n}\n");
    I1 = T.dir("i1");
    I2 = T.dir("i2");
    Std = T.dir("std");
    T.write("main/g.rules", "path /from/main read\n");
    T.write("i1/g.rules", "path /from/i1 read\n");
    T.write("i2/g.rules", "path /from/i2 read\n");
    T.write("std/g.rules", "path /from/std read\n");
  }
  std::vector<std::string> compile(std::vector<std::string> Dirs) {
    CompileOptions O;
    O.IncludeDirs = std::move(Dirs);
    O.StdRulesDir = Std;
    Compilation C(O);
    C.compileFile(Main);
    REQUIRE(test::summary(C).empty());
    const Pea &P = pea(C, "p", "a");
    REQUIRE(P.FileRules.size() == 1);
    CHECK(C.policy().locate(*P.FileRules[0]) ==
          RuleLocation{"g.rules", 1, 1});
    return filePaths(P);
  }
};

} // namespace

TEST_CASE("include resolution order: own directory, -I in order, stdrules",
          "[include]") {
  Layout L;
  using V = std::vector<std::string>;
  CHECK(L.compile({L.I1, L.I2}) == V{"/from/main"});
  L.T.remove("main/g.rules");
  CHECK(L.compile({L.I1, L.I2}) == V{"/from/i1"});
  CHECK(L.compile({L.I2, L.I1}) == V{"/from/i2"});
  L.T.remove("i1/g.rules");
  CHECK(L.compile({L.I1, L.I2}) == V{"/from/i2"});
  L.T.remove("i2/g.rules");
  CHECK(L.compile({L.I1, L.I2}) == V{"/from/std"});
  CHECK(L.compile({}) == V{"/from/std"});
}

TEST_CASE("a nested include searches the including group's directory first",
          "[include]") {
  TempDir T;
  std::string Main = T.write("main/m.pea", "pod p { pea a {\n"
                                           "  path /before read\n"
                                           "  include \"outer\"\n"
                                           "  path /after read\n"
                                           "} }\n");
  T.write("lib/outer.rules", "path /o1 read\ninclude \"inner\"\npath /o2 read\n");
  T.write("lib/inner.rules", "path /inner/lib read\n");
  T.write("main/inner.rules", "path /inner/main read\n");
  CompileOptions O;
  O.IncludeDirs = {T.path("lib")};
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  REQUIRE(C.compileFile(Main));
  CHECK(test::summary(C).empty());
  const Pea &P = pea(C, "p", "a");
  CHECK(filePaths(P) == std::vector<std::string>{"/before", "/o1", "/inner/lib",
                                                 "/o2", "/after"});
  std::vector<RuleLocation> Locs;
  for (const ast::Rule *R : P.FileRules)
    Locs.push_back(C.policy().locate(*R));
  CHECK(Locs == std::vector<RuleLocation>{{"m.pea", 2, 3},
                                          {"outer.rules", 1, 1},
                                          {"inner.rules", 1, 1},
                                          {"outer.rules", 3, 1},
                                          {"m.pea", 4, 3}});
  // One AST per file: the main one first, then each group once.
  CHECK(C.files().size() == 3);
}

TEST_CASE("a rule group included by two peas is parsed once and reported "
          "once",
          "[include]") {
  TempDir T;
  T.write("shared.rules", "path /shared read\n"
                          "transition /usr/bin/helper nosuch\n"
                          "include \"missing\"\n");
  std::string Main = T.write("m.pea", "pod p {\n"
                                      "  pea a { include \"shared\" path /a read }\n"
                                      "  pea b { path /b read include \"shared\" }\n"
                                      "}\n");
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  CHECK(filePaths(pea(C, "p", "a")) ==
        std::vector<std::string>{"/shared", "/a"});
  CHECK(filePaths(pea(C, "p", "b")) ==
        std::vector<std::string>{"/b", "/shared"});
  // The same rule objects: the group was parsed once.
  CHECK(pea(C, "p", "a").FileRules[0] == pea(C, "p", "b").FileRules[1]);
  CHECK(C.files().size() == 2);
  // Each problem in the group is one diagnostic, however often it is used.
  CHECK(test::summary(C) ==
        std::vector<std::string>{
            "E401 3:9 rule group 'missing' not found",
            "E301 2:28 unknown pea 'nosuch' in pod 'p'",
        });
}

TEST_CASE("include cycles are errors that print the chain", "[include]") {
  TempDir T;
  CompileOptions O;
  O.StdRulesDir = T.dir("std");

  SECTION("direct") {
    T.write("self.rules", "path /s read\ninclude \"self\"\n");
    std::string Main =
        T.write("m.pea", "pod p {\n  pea a {\n    include \"self\"\n  }\n}\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(Main));
    std::vector<test::Diag> All = test::diags(C);
    REQUIRE(All.size() == 1);
    CHECK(All[0].Code == "E402");
    CHECK(All[0].File == T.path("self.rules"));
    CHECK(All[0].Line == 2);
    CHECK(All[0].Column == 9);
    CHECK(All[0].Message == "include cycle: self.rules -> self.rules");
    // The rules before the cycle still count.
    CHECK(filePaths(pea(C, "p", "a")) == std::vector<std::string>{"/s"});
    CHECK(test::render(C) ==
          "Included from " + Main + ":3:\n" + T.path("self.rules") +
              ":2:9: error: include cycle: self.rules -> self.rules [E402]\n"
              "include \"self\"\n"
              "        ^~~~~~\n");
  }

  SECTION("three long, entered from outside the cycle") {
    T.write("entry.rules", "include \"a\"\n");
    T.write("a.rules", "path /a read\ninclude \"b\"\n");
    T.write("b.rules", "path /b read\ninclude \"c\"\n");
    T.write("c.rules", "path /c read\ninclude \"a\"\n");
    std::string Main =
        T.write("m.pea", "pod p {\n  pea a {\n    include \"entry\"\n  }\n}\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(Main));
    std::vector<test::Diag> All = test::diags(C);
    REQUIRE(All.size() == 1);
    CHECK(All[0].Code == "E402");
    CHECK(All[0].File == T.path("c.rules"));
    CHECK(All[0].Line == 2);
    CHECK(All[0].Column == 9);
    CHECK(All[0].Message ==
          "include cycle: a.rules -> b.rules -> c.rules -> a.rules");
    CHECK(filePaths(pea(C, "p", "a")) ==
          std::vector<std::string>{"/a", "/b", "/c"});
    CHECK(test::render(C) ==
          "Included from " + Main + ":3:\n" +                 //
              "Included from " + T.path("entry.rules") + ":1:\n" +
              "Included from " + T.path("a.rules") + ":2:\n" +
              "Included from " + T.path("b.rules") + ":2:\n" +
              T.path("c.rules") +
              ":2:9: error: include cycle: a.rules -> b.rules -> c.rules -> "
              "a.rules [E402]\n"
              "include \"a\"\n"
              "        ^~~\n");
  }

  SECTION("a cycle reached from two peas is reported once") {
    T.write("a.rules", "include \"b\"\n");
    T.write("b.rules", "include \"a\"\n");
    std::string Main = T.write("m.pea", "pod p {\n  pea x { include \"a\" }\n"
                                        "  pea y { include \"a\" }\n}\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(Main));
    CHECK(test::summary(C) ==
          std::vector<std::string>{
              "E402 1:9 include cycle: a.rules -> b.rules -> a.rules"});
  }

  SECTION("including a group twice without a cycle is fine") {
    T.write("g.rules", "path /g read\n");
    T.write("h.rules", "include \"g\"\ninclude \"g\"\n");
    std::string Main = T.write("m.pea", "pod p { pea a { include \"h\" include "
                                        "\"g\" } }\n");
    Compilation C(O);
    CHECK(C.compileFile(Main));
    CHECK(test::summary(C).empty());
    CHECK(filePaths(pea(C, "p", "a")) ==
          std::vector<std::string>{"/g", "/g", "/g"});
  }
}

TEST_CASE("a missing include lists the directories searched", "[include]") {
  TempDir T;
  std::string Main =
      T.write("main/m.pea", "pod p {\n  pea a {\n    include \"nosuch\"\n  }\n}\n");
  CompileOptions O;
  O.IncludeDirs = {T.dir("i1"), T.dir("i2")};
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  std::vector<test::Diag> All = test::diags(C);
  REQUIRE(All.size() == 1);
  CHECK(All[0].Code == "E401");
  CHECK(All[0].Line == 3);
  CHECK(All[0].Column == 13);
  CHECK(All[0].Message == "rule group 'nosuch' not found");
  REQUIRE(All[0].Notes.size() == 1);
  CHECK(All[0].Notes[0].Code == "N003");
  CHECK(All[0].Notes[0].Line == 3);
  CHECK(All[0].Notes[0].Message == "searched: " + T.path("main") + ", " +
                                       T.path("i1") + ", " + T.path("i2") +
                                       ", " + T.path("std"));
  std::string Out = test::render(C);
  CHECK(Out.find(Main + ":3:13: error: rule group 'nosuch' not found [E401]") !=
        std::string::npos);
  CHECK(Out.find("note: searched: " + T.path("main") + ", ") !=
        std::string::npos);
}

TEST_CASE("a missing include in a rule group names the group", "[include]") {
  TempDir T;
  T.write("lib/g.rules", "path /g read\n\ninclude \"gone\"\n");
  std::string Main = T.write("m.pea", "pod p { pea a {\n include \"g\" } }\n");
  CompileOptions O;
  O.IncludeDirs = {T.path("lib")};
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  std::vector<test::Diag> All = test::diags(C);
  REQUIRE(All.size() == 1);
  CHECK(All[0].File == T.path("lib/g.rules"));
  CHECK(All[0].Line == 3);
  CHECK(All[0].Column == 9);
  REQUIRE(!All[0].Notes.empty());
  // The group's own directory first, then -I (here the same directory,
  // listed once), then stdrules.
  CHECK(All[0].Notes[0].Message ==
        "searched: " + T.path("lib") + ", " + T.path("std"));
  CHECK(test::render(C).rfind("Included from " + Main + ":2:\n", 0) == 0);
}

TEST_CASE("a pod inside a rule group is E307", "[include]") {
  TempDir T;
  T.write("g.rules", "path /g read\npod q {\n  pea r { }\n}\npath /h read\n");
  std::string Main = T.write("m.pea", "pod p { pea a { include \"g\" } }\n");
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  CHECK(test::summary(C) ==
        std::vector<std::string>{
            "E307 2:1 a rule group holds bare rules, not pods"});
  CHECK(test::diags(C)[0].File == T.path("g.rules"));
  CHECK(test::diags(C)[0].EndLine == 4);
  CHECK(test::diags(C)[0].EndColumn == 2);
  // The bare rules around it still count; the pod is not a pod of the policy.
  CHECK(filePaths(pea(C, "p", "a")) == std::vector<std::string>{"/g", "/h"});
  CHECK(C.policy().Pods.size() == 1);
}

TEST_CASE("a bare rule in a policy file is E306", "[include]") {
  auto C = test::compile("path /x read\npod p {\n  pea a { }\n}\n"
                         "  dir-default /y allow\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E306 1:1 rule outside a pea: in a policy, rules belong inside a pea",
            "E306 5:3 rule outside a pea: in a policy, rules belong inside a pea"});
  CHECK(test::diags(*C)[0].EndColumn == 13);
  CHECK(pea(*C, "p", "a").FileRules.empty());
}

TEST_CASE("a rule group can be checked on its own", "[include]") {
  TempDir T;
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  T.write("lib/inner.rules", "path /inner read\n");

  SECTION("valid") {
    std::string G = T.write("lib/g.rules", "# a group\npath /usr/bin/gcc read,execute\n"
                                           "dir-default /usr/lib/gcc-lib read,execute\n"
                                           "include \"inner\"\n");
    Compilation C(O);
    CHECK(C.compileFile(G));
    CHECK(test::summary(C).empty());
    REQUIRE(C.mainFile());
    CHECK(C.mainFile()->Pods.empty());
    REQUIRE(C.mainFile()->BareRules.size() == 3);
    CHECK(C.mainFile()->BareRules[1].Kind == ast::RuleKind::DirDefault);
    CHECK(C.displayName(C.mainFile()->BufferID) == "g.rules");
    CHECK(C.policy().Pods.empty());
    // The include was resolved (and parsed) relative to the group.
    CHECK(C.files().size() == 2);
  }
  SECTION("a pod in it") {
    std::string G = T.write("lib/g.rules", "path /x read\npod p { pea a { } }\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(G));
    CHECK(test::summary(C) ==
          std::vector<std::string>{
              "E307 2:1 a rule group holds bare rules, not pods"});
  }
  SECTION("a cycle through itself") {
    std::string G = T.write("lib/g.rules", "include \"h\"\n");
    T.write("lib/h.rules", "include \"g\"\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(G));
    CHECK(test::summary(C) ==
          std::vector<std::string>{
              "E402 1:9 include cycle: g.rules -> h.rules -> g.rules"});
  }
  SECTION("a missing include and a syntax error") {
    std::string G = T.write("lib/g.rules", "include \"nope\"\npath /x red\n");
    Compilation C(O);
    CHECK_FALSE(C.compileFile(G));
    CHECK(test::codes(C) == std::vector<std::string>{"E001", "E401"});
  }
}

// Issue 5: an include whose NAME.rules exists but is not a regular file
// says what it is (E404), not "not found" with a did-you-mean. A check that
// opened the FIFO would hang: the deadline turns that into a failure.
TEST_CASE("an include of a directory, FIFO or device says what it is",
          "[include]") {
  TempDir T;
  std::string Main =
      T.write("m.pea", "pod p { pea a {\n  include \"g\"\n} }\n");
  std::string Rules = T.path("g.rules");
  std::string Kind;
  SECTION("a directory") {
    T.dir("g.rules");
    Kind = "directory";
  }
  SECTION("a FIFO") {
    REQUIRE(::mkfifo(Rules.c_str(), 0600) == 0);
    Kind = "FIFO";
  }
  SECTION("a device") {
    REQUIRE(::symlink("/dev/null", Rules.c_str()) == 0);
    Kind = "device";
  }
  test::Deadline D(30, "including a " + Kind);
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  std::vector<test::Diag> All = test::diags(C);
  REQUIRE(All.size() == 1);
  INFO(All[0].Code << " " << All[0].Message);
  CHECK(All[0].Line == 2);
  CHECK_THAT(All[0].Message, !Catch::Contains("not found"));
  CHECK_THAT(All[0].Message, Catch::Contains(Kind, Catch::CaseSensitive::No));
  CHECK_THAT(All[0].Message, Catch::Contains("g.rules"));
  for (const test::Diag &N : All[0].Notes)
    CHECK(N.Code != "N001"); // no did-you-mean for a file that is there
}

TEST_CASE("a rule group is read with the input size limit", "[include]") {
  test::TempDir T;
  {
    // A sparse file a byte over the limit: refused, not read.
    std::ofstream Big(T.path("big.rules"), std::ios::binary);
    Big.seekp(static_cast<std::streamoff>(MaxInputBytes));
    Big.put('\n');
  }
  auto C = test::compile("pod p { pea a { include \"big\" } }", T.path("m.pea"));
  std::vector<test::Diag> D = test::diags(*C);
  REQUIRE(D.size() == 1);
  CHECK(D[0].Code == "E901");
  CHECK(D[0].Message.find("input exceeds") != std::string::npos);
}
