//===- SarifTest.cpp - SARIF 2.1.0, every field code scanning reads -------===//
#include "LintTestUtil.h"
#include "peapod/analyzer/AnalyzerDiagnostics.h"
#include "peapod/analyzer/LintConfig.h"
#include "peapod/analyzer/Sarif.h"
#include <filesystem>

using namespace peapod;
using namespace peapod::lint_test;
using nlohmann::json;

namespace {

// "é" (two bytes, one UTF-16 unit) before the duplicate: byte and UTF-16
// columns differ.
const char *const PolicyText = "pod p {\n"
                           "  pea a {\n"                              // 2
                           "    bind tcp/25\n"                        // 3
                           "    path /usr/bin/x read, execute\n"      // 4
                           "    transition /usr/bin/x b\n"            // 5
                           "    path \"/caf\xc3\xa9\" read, read\n"   // 6
                           "  }\n"
                           "  pea b {\n"
                           "    dir-default /etc write\n"             // 9
                           "  }\n"
                           "}\n";
const char *const Config = R"({"assertions": [{"name": "net-etc",
    "peas": "network-facing", "never": {"reach": {"write": "/etc"}}}]})";

json sarif(const LintResult &R) {
  OutputContext Ctx;
  Ctx.ToolVersion = "1.2.3";
  Ctx.SourceRoot = std::filesystem::current_path().string();
  return sarifLog(llvm::makeArrayRef(R), Ctx);
}

} // namespace

TEST_CASE("SARIF: the log and the tool", "[lint][sarif]") {
  LintResult R = lint(PolicyText, Config);
  json S = sarif(R);
  CHECK(S["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(S["version"] == "2.1.0");
  REQUIRE(S["runs"].size() == 1);
  const json &Run = S["runs"][0];
  const json &Driver = Run["tool"]["driver"];
  CHECK(Driver["name"] == "peapodc");
  CHECK(Driver["semanticVersion"] == "1.2.3");
  CHECK(llvm::StringRef(Driver["informationUri"].get<std::string>())
            .startswith("https://"));
  CHECK(Run["columnKind"] == "utf16CodeUnits");
  std::string Root = Run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  CHECK(llvm::StringRef(Root).startswith("file:///"));
  CHECK(llvm::StringRef(Root).endswith("/"));
}

TEST_CASE("SARIF: every rule of both catalogues, fully described",
          "[lint][sarif]") {
  json S = sarif(lint(PolicyText, Config));
  const json &Rules = S["runs"][0]["tool"]["driver"]["rules"];
  size_t Expected = 0;
  for (const auto *Catalogue :
       {&allDiagInfos(), &analyzer::allAnalyzerDiagInfos()})
    for (const DiagInfo &I : *Catalogue)
      Expected += !analyzer::isAttachedNote(I);
  CHECK(Rules.size() == Expected);
  for (const json &Rule : Rules) {
    INFO(Rule.dump());
    CHECK(Rule["id"].is_string());
    CHECK(Rule["name"].is_string());
    CHECK(!Rule["shortDescription"]["text"].get<std::string>().empty());
    CHECK(!Rule["fullDescription"]["text"].get<std::string>().empty());
    CHECK(!Rule["help"]["text"].get<std::string>().empty());
    CHECK(!Rule["help"]["markdown"].get<std::string>().empty());
    CHECK(llvm::StringRef(Rule["helpUri"].get<std::string>())
              .startswith("https://"));
    std::string Level = Rule["defaultConfiguration"]["level"];
    CHECK((Level == "error" || Level == "warning" || Level == "note"));
  }
  auto Find = [&](const char *ID) {
    for (const json &Rule : Rules)
      if (Rule["id"] == ID)
        return Rule;
    return json();
  };
  json A604 = Find("A604");
  CHECK(A604["name"] == "assertion-reach");
  CHECK(A604["defaultConfiguration"]["level"] == "error");
  CHECK(A604["shortDescription"]["text"] ==
        "assertion '...' violated: pea '...' reaches pea '...', which ...");
  CHECK(llvm::StringRef(A604["helpUri"].get<std::string>())
            .endswith("/docs/rules/A604.md"));
  CHECK(llvm::StringRef(Find("W205")["helpUri"].get<std::string>())
            .endswith("/docs/diagnostics.md#w205-duplicate-access"));
  CHECK(Find("W205")["defaultConfiguration"]["level"] == "warning");
}

TEST_CASE("SARIF: results with location, fingerprints and chains",
          "[lint][sarif]") {
  LintResult R = lint(PolicyText, Config);
  REQUIRE(codes(R) == std::vector<std::string>{"W205", "A604"});
  json S = sarif(R);
  const json &Run = S["runs"][0];
  const json &Results = Run["results"];
  REQUIRE(Results.size() == 2);

  for (size_t I = 0; I < Results.size(); ++I) {
    const json &Res = Results[I];
    size_t Index = Res["ruleIndex"];
    CHECK(Run["tool"]["driver"]["rules"][Index]["id"] == Res["ruleId"]);
    const json &Loc = Res["locations"][0]["physicalLocation"];
    CHECK(Loc["artifactLocation"]["uri"] == "p.pea");
    CHECK(Loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(Res["partialFingerprints"]["primaryLocationLineHash"] ==
          R.Findings[I].Print.LineHash);
    CHECK(Res["partialFingerprints"]["peapodFinding/v1"] ==
          R.Findings[I].Print.Finding);
  }

  const json &Dup = Results[0];
  CHECK(Dup["ruleId"] == "W205");
  CHECK(Dup["level"] == "warning");
  CHECK(Dup["message"]["text"] == "'read' is listed more than once");
  // Columns in UTF-16 code units: "é" is one, though two bytes (the
  // byte column is 25).
  CHECK(Dup["locations"][0]["physicalLocation"]["region"] ==
        json{{"startLine", 6}, {"startColumn", 24}, {"endLine", 6},
             {"endColumn", 28}});
  // The fix-it, as a SARIF fix.
  const json &Fix = Dup["fixes"][0]["artifactChanges"][0];
  CHECK(Fix["artifactLocation"]["uri"] == "p.pea");
  CHECK(Fix["replacements"][0]["deletedRegion"] ==
        json{{"startLine", 6}, {"startColumn", 22}, {"endLine", 6},
             {"endColumn", 28}});
  CHECK(Fix["replacements"][0]["insertedContent"]["text"] == "");

  const json &Reach = Results[1];
  CHECK(Reach["ruleId"] == "A604");
  CHECK(Reach["level"] == "error");
  CHECK(Reach["message"]["text"] ==
        "assertion 'net-etc' violated: pea 'a' reaches pea 'b', which can "
        "write '/etc'");
  CHECK(Reach["locations"][0]["physicalLocation"]["region"]["startLine"] == 5);
  const json &Related = Reach["relatedLocations"];
  REQUIRE(Related.size() == 2);
  CHECK(Related[0]["id"] == 1);
  CHECK(Related[0]["message"]["text"] ==
        "pea 'a' executes '/usr/bin/x' and moves into pea 'b'");
  CHECK(Related[0]["physicalLocation"]["region"]["startLine"] == 5);
  CHECK(Related[1]["id"] == 2);
  CHECK(Related[1]["physicalLocation"]["region"]["startLine"] == 9);
  CHECK(Related[1]["physicalLocation"]["artifactLocation"]["uriBaseId"] ==
        "%SRCROOT%");
  // The same chain as a code flow: the finding, then each note.
  const json &Flow = Reach["codeFlows"][0]["threadFlows"][0]["locations"];
  REQUIRE(Flow.size() == 3);
  CHECK(Flow[0]["location"]["message"]["text"] == Reach["message"]["text"]);
  CHECK(Flow[1]["location"]["message"]["text"] == Related[0]["message"]["text"]);
  CHECK(Flow[2]["location"]["physicalLocation"]["region"]["startLine"] == 9);
  CHECK(!Dup.contains("codeFlows"));
}

TEST_CASE("SARIF: files outside the repository, odd names", "[lint][sarif]") {
  CHECK(analyzer::uriPath("policies/my mail.pea") == "policies/my%20mail.pea");
  CHECK(analyzer::uriPath("a#b?c%d") == "a%23b%3Fc%25d");
  CHECK(analyzer::uriPath("caf\xc3\xa9") == "caf%C3%A9");
  // A rule group found outside the root gets an absolute file URI.
  LintResult R = lint("pod p {\n  pea a {\n    include \"sendmail\"\n  }\n}\n",
                      R"({"assertions": [{"name": "spool",
                          "never": {"write": "/var/lib"}}]})");
  OutputContext Ctx;
  Ctx.SourceRoot = "/nonexistent-root";
  json S = sarifLog(llvm::makeArrayRef(R), Ctx);
  const json &Art =
      S["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
       ["artifactLocation"];
  CHECK(llvm::StringRef(Art["uri"].get<std::string>()).startswith("file:///"));
  CHECK(!Art.contains("uriBaseId"));
}
