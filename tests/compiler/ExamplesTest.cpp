//===- ExamplesTest.cpp - Every shipped example compiles as documented ----===//
#include "TestUtil.h"
#include <catch2/catch.hpp>
#include <fstream>
#include <algorithm>

using namespace peapod;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> examples() {
  std::vector<fs::path> Out;
  fs::path Dir = fs::path(PEAPOD_SOURCE_DIR) / "examples";
  if (fs::is_directory(Dir))
    for (const fs::directory_entry &E : fs::directory_iterator(Dir))
      if (E.is_regular_file() && E.path().extension() == ".pea")
        Out.push_back(E.path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

std::unique_ptr<Compilation> compileExample(const fs::path &P) {
  CompileOptions O;
  O.StdRulesDir = PEAPOD_SOURCE_DIR "/stdrules";
  auto C = std::make_unique<Compilation>(O);
  C->compileFile(P.string());
  return C;
}

} // namespace

TEST_CASE("the examples directory is not empty", "[examples]") {
  std::vector<fs::path> All = examples();
  REQUIRE_FALSE(All.empty());
  CHECK(std::count(All.begin(), All.end(),
                   fs::path(PEAPOD_SOURCE_DIR) / "examples" /
                       "rule06-namespace.pea") == 1);
}

TEST_CASE("every example compiles without errors, except rule06-namespace",
          "[examples]") {
  for (const fs::path &P : examples()) {
    if (P.filename() == "rule06-namespace.pea")
      continue;
    INFO(P.string());
    auto C = compileExample(P);
    INFO(test::render(*C));
    CHECK(C->diags().errorCount() == 0);
    CHECK_FALSE(C->policy().Pods.empty());
  }
}

TEST_CASE("rule06-namespace.pea is rejected with E301 for test2",
          "[examples]") {
  auto C = compileExample(fs::path(PEAPOD_SOURCE_DIR) / "examples" /
                          "rule06-namespace.pea");
  std::vector<test::Diag> All = test::diags(*C);
  REQUIRE(All.size() == 1);
  CHECK(All[0].Code == "E301");
  CHECK(All[0].Message == "unknown pea 'test2' in pod 'service'");
  REQUIRE(All[0].Notes.size() == 1);
  CHECK(All[0].Notes[0].Code == "N001");
  // As the example documents: `test`, not `test1` (equally close, but the
  // pea the rule is in, which `namespace` never needs).
  CHECK(All[0].Notes[0].Message == "did you mean 'test'?");
  CHECK(All[0].Line == 17);
  CHECK(All[0].Column == 18);
  // And the prose around it says the same.
  for (const char *Doc : {"examples/README.md", "examples/rule06-namespace.pea"}) {
    std::ifstream In(fs::path(PEAPOD_SOURCE_DIR) / Doc);
    std::string Text((std::istreambuf_iterator<char>(In)), {});
    INFO(Doc);
    CHECK(Text.find("suggests `test1`") == std::string::npos);
    CHECK((Text.find("suggests `test`") != std::string::npos ||
           Text.find("did you mean 'test'?") != std::string::npos));
  }
}

TEST_CASE("the rule group example checks on its own", "[examples]") {
  fs::path G = fs::path(PEAPOD_SOURCE_DIR) / "examples" / "rule07-compiler.rules";
  if (!fs::exists(G))
    FAIL("missing " << G.string());
  auto C = compileExample(G);
  INFO(test::render(*C));
  CHECK(C->diags().errorCount() == 0);
  REQUIRE(C->mainFile());
  CHECK(C->mainFile()->BareRules.size() == 9);
}
