//===- LintOutputTest.cpp - Text, JSON and GitHub workflow commands -------===//
#include "LintTestUtil.h"
#include "peapod/analyzer/LintOutput.h"
#include "llvm/Support/raw_ostream.h"
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace peapod;
using namespace peapod::lint_test;

namespace {

const char *const PolicyText = "pod p {\n"
                           "  pea a {\n"
                           "    path /x read, read\n"
                           "    path /y read  # peapod: ignore[W205] gone\n"
                           "  }\n"
                           "}\n";

std::string text(llvm::ArrayRef<LintResult> Results) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printLintText(Results, OS);
  return OS.str();
}

std::string readDoc(const std::string &Name) {
  std::ifstream In(std::string(PEAPOD_SOURCE_DIR) + "/docs/" + Name);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

} // namespace

TEST_CASE("Text is clang's, with what was left out", "[lint][output]") {
  LintResult R = lint(PolicyText);
  CHECK(text(llvm::makeArrayRef(R)) ==
        "p.pea:3:19: warning: 'read' is listed more than once [W205]\n"
        "    path /x read, read\n"
        "                  ^~~~\n"
        "p.pea:4:36: warning: suppression of 'W205' matches no finding on "
        "this line or the next [A901]\n"
        "    path /y read  # peapod: ignore[W205] gone\n"
        "                                   ^~~~\n"
        "2 warnings generated.\n");
  LintResult S = lint("pod p {\n  pea a {\n    path /x read, read # peapod: "
                      "ignore[W205] ok\n  }\n}\n");
  CHECK(text(llvm::makeArrayRef(S)) == "no findings (1 suppressed).\n");
  CHECK(text({}) == "");
}

TEST_CASE("JSON: the documented object", "[lint][output]") {
  LintResult R = lint(PolicyText);
  OutputContext Ctx;
  Ctx.ToolVersion = "1.2.3";
  nlohmann::json J = lintJSON(llvm::makeArrayRef(R), Ctx);
  CHECK(J["version"] == LintJSONVersion);
  CHECK(J["tool"] == nlohmann::json{{"name", "peapodc"}, {"version", "1.2.3"}});
  CHECK(J["errors"] == 0);
  CHECK(J["warnings"] == 2);
  CHECK(J["notes"] == 0);
  CHECK(J["suppressed"] == 0);
  CHECK(J["baselined"] == 0);
  REQUIRE(J["files"].size() == 1);
  const nlohmann::json &F = J["files"][0];
  CHECK(F["file"] == "p.pea");
  CHECK(F["warnings"] == 2);
  REQUIRE(F["diagnostics"].size() == 2);
  const nlohmann::json &D = F["diagnostics"][0];
  CHECK(D["id"] == "W205");
  CHECK(D["name"] == "duplicate-access");
  CHECK(D["severity"] == "warning");
  CHECK(D["message"] == "'read' is listed more than once");
  CHECK(D["file"] == "p.pea");
  CHECK(D["line"] == 3);
  CHECK(D["column"] == 19);
  CHECK(D["endLine"] == 3);
  CHECK(D["endColumn"] == 23);
  CHECK(D["notes"].is_array());
  CHECK(D["fixes"].size() == 1);
  CHECK(D["fingerprint"] == R.Findings[0].Print.Finding);
  CHECK(D["lineHash"] == R.Findings[0].Print.LineHash);
}

TEST_CASE("GitHub workflow commands, escaped", "[lint][output]") {
  LintResult R = lint(PolicyText);
  OutputContext Ctx;
  Ctx.SourceRoot = std::filesystem::current_path().string();
  std::string S;
  llvm::raw_string_ostream OS(S);
  printGitHubCommands(llvm::makeArrayRef(R), Ctx, OS);
  CHECK(OS.str() ==
        "::warning file=p.pea,line=3,col=19,endLine=3,endColumn=23,"
        "title=W205 duplicate-access::'read' is listed more than once\n"
        "::warning file=p.pea,line=4,col=36,endLine=4,endColumn=40,"
        "title=A901 unused-suppression::suppression of 'W205' matches no "
        "finding on this line or the next\n");

  // Errors, notes on lines of their own (%0A), '%' and ',' escaped.
  LintResult A = lint("pod p {\n  pea a {\n    bind tcp/25\n"
                      "    path /usr/bin/x read, execute\n"
                      "    transition /usr/bin/x b\n  }\n"
                      "  pea b {\n    dir-default /etc write\n  }\n}\n",
                      R"({"assertions": [{"name": "100%, really",
                          "peas": "network-facing",
                          "never": {"reach": {"write": "/etc"}}}]})");
  std::string G;
  llvm::raw_string_ostream GS(G);
  printGitHubCommands(llvm::makeArrayRef(A), Ctx, GS);
  CHECK(GS.str() ==
        "::error file=p.pea,line=5,col=5,endLine=5,endColumn=28,"
        "title=A604 assertion-reach::assertion '100%25, really' violated: "
        "pea 'a' reaches pea 'b', which can write '/etc'"
        "%0Ap.pea:5:5: note: pea 'a' executes '/usr/bin/x' and moves into pea 'b'"
        "%0Ap.pea:8:5: note: pea 'b' can write '/etc' by this rule\n");
}

TEST_CASE("Paths relative to the repository", "[lint][output]") {
  CHECK(pathUnderRoot("/repo/policies/mail.pea", "/repo") ==
        "policies/mail.pea");
  CHECK(pathUnderRoot("/repo/policies/mail.pea", "/repo/") ==
        "policies/mail.pea");
  CHECK(pathUnderRoot("/repo/./policies/../mail.pea", "/repo") == "mail.pea");
  CHECK(pathUnderRoot("/repository/mail.pea", "/repo") == std::nullopt);
  CHECK(pathUnderRoot("/elsewhere/mail.pea", "/repo") == std::nullopt);
  CHECK(pathUnderRoot("<stdin>", "/repo") == std::nullopt);
  CHECK(pathUnderRoot("/repo/mail.pea", "") == std::nullopt);
  CHECK(findSourceRoot(PEAPOD_SOURCE_DIR "/tests/analyzer").size() <=
        std::string(PEAPOD_SOURCE_DIR "/tests/analyzer").size());
}

namespace {

/// The first block of `Lang` in a docs/ file.
std::string docBlock(const std::string &Doc, const std::string &Lang) {
  std::string Text = readDoc(Doc);
  size_t Start = Text.find("```" + Lang + "\n");
  REQUIRE(Start != std::string::npos);
  Start += 4 + Lang.size();
  return Text.substr(Start, Text.find("```", Start) - Start);
}

std::set<std::string> keys(const nlohmann::json &J) {
  std::set<std::string> Out;
  for (auto It = J.begin(); It != J.end(); ++It)
    Out.insert(It.key());
  return Out;
}

} // namespace

TEST_CASE("docs/lint-json.md shows every field lint prints", "[lint][output]") {
  nlohmann::json Doc = nlohmann::json::parse(docBlock("lint-json.md", "json"));
  LintResult R = lint("pod p {\n  pea a {\n    path /x read, read\n"
                      "    bind tcp/80\n    path /usr/bin/x read, execute\n"
                      "    transition /usr/bin/x b\n  }\n"
                      "  pea b {\n    dir-default /etc write\n  }\n}\n",
                      R"({"assertions": [{"name": "n", "peas": "network-facing",
                          "never": {"reach": {"write": "/etc"}}}]})");
  nlohmann::json Real = lintJSON(llvm::makeArrayRef(R), OutputContext());
  CHECK(keys(Doc) == keys(Real));
  CHECK(keys(Doc["files"][0]) == keys(Real["files"][0]));
  CHECK(keys(Doc["files"][0]["diagnostics"][0]) ==
        keys(Real["files"][0]["diagnostics"][0]));
  CHECK(keys(Doc["files"][0]["diagnostics"][1]) ==
        keys(Real["files"][0]["diagnostics"][1]));
  CHECK(keys(Doc["files"][0]["diagnostics"][1]["notes"][0]) ==
        keys(Real["files"][0]["diagnostics"][1]["notes"][0]));
  CHECK(Doc["version"] == LintJSONVersion);
}

TEST_CASE("docs/ci.md's configuration is a valid one", "[lint][output]") {
  std::string Text = docBlock("ci.md", "json");
  auto C = parseLintConfig(Text, "ci.md");
  if (!C)
    FAIL(llvm::toString(C.takeError()));
  CHECK(C->Assertions.size() == 3);
}
