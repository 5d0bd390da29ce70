//===- LintConfigTest.cpp - .peapod-lint.json -----------------------------===//
#include "LintTestUtil.h"
#include "peapod/analyzer/LintConfig.h"
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace peapod;
using namespace peapod::lint_test;

namespace {

std::string errorOf(const std::string &JSON) {
  auto C = parseLintConfig(JSON, "cfg.json");
  REQUIRE(!C);
  return llvm::toString(C.takeError());
}

} // namespace

TEST_CASE("A whole configuration is read", "[lint][config]") {
  LintConfig C = config(R"({
    "$schema": "https://example.org/peapod-lint.schema.json",
    "checks": {"duplicate-access": "off", "W309": "error", "A901": "note",
               "self-namespace": "on"},
    "interpreters": ["sh", "python*"],
    "sensitivePaths": ["/etc//shadow/"],
    "safeDevices": ["/dev/null"],
    "entries": ["mail/sendmail"],
    "assertions": [
      {"name": "smtp", "never": {"bind": "tcp/25"}, "except": ["sendmail"]},
      {"name": "usr", "description": "nothing writes /usr",
       "never": {"write": "/usr"}},
      {"name": "net", "peas": "network-facing",
       "never": {"reach": {"write": "/etc"}}},
      {"name": "ns", "peas": ["a", "p/b"], "never": {"namespace": "global"}},
      {"name": "out", "never": {"outgoing": "any"}}
    ]})");
  CHECK(C.Path == "test.json");
  REQUIRE(C.Checks.count("duplicate-access"));
  CHECK(!C.Checks.lookup("duplicate-access"));
  CHECK(C.Checks.lookup("self-transition") == Severity::Error);
  CHECK(C.Checks.lookup("unused-suppression") == Severity::Note);
  CHECK(C.Checks.lookup("self-namespace") == Severity::Warning);
  CHECK(C.Analyzer.Interpreters == std::vector<std::string>{"sh", "python*"});
  CHECK(C.Analyzer.SensitivePaths == std::vector<std::string>{"/etc/shadow"});
  CHECK(C.Analyzer.SafeDevices == std::vector<std::string>{"/dev/null"});
  CHECK(C.Analyzer.Entries == std::vector<std::string>{"mail/sendmail"});
  REQUIRE(C.Assertions.size() == 5);
  const Assertion &Smtp = C.Assertions[0];
  CHECK(Smtp.Never.K == Forbidden::Bind);
  REQUIRE(Smtp.Never.Ports);
  CHECK(*Smtp.Never.Ports == PortRange{Protocol::TCP, 25, 25});
  CHECK(Smtp.Peas.Except == std::vector<std::string>{"sendmail"});
  CHECK(C.Assertions[1].Never.K == Forbidden::Access);
  CHECK(C.Assertions[1].Never.Mask == AccessWrite);
  CHECK(C.Assertions[1].Never.Path == "/usr");
  CHECK(C.Assertions[2].Peas.K == PeaSelector::NetworkFacing);
  REQUIRE(C.Assertions[2].Never.K == Forbidden::Reach);
  CHECK(C.Assertions[2].Never.Target->K == Forbidden::Access);
  CHECK(C.Assertions[3].Peas.K == PeaSelector::Named);
  CHECK(C.Assertions[3].Never.K == Forbidden::NamespaceGlobal);
  CHECK(!C.Assertions[4].Never.Ports);

  DiagnosticOptions O;
  C.applyTo(O);
  CHECK(O.ByName.count("duplicate-access"));
}

TEST_CASE("Configuration errors name the file, line and column",
          "[lint][config]") {
  CHECK(errorOf("{\n  \"checks\": {\n    \"duplicate-acess\": \"off\"\n  }\n}") ==
        "cfg.json:3:5: unknown check 'duplicate-acess'; did you mean "
        "'duplicate-access'?");
  CHECK(errorOf("{\"checks\": {\"nonsense-check-name\": \"off\"}}") ==
        "cfg.json:1:13: unknown check 'nonsense-check-name' (the checks are "
        "listed in docs/rules/)");
  CHECK(errorOf("{\n  \"checks\": {\"W205\": \"loud\"}\n}") ==
        "cfg.json:2:22: the setting of 'W205' is \"off\", \"on\", \"note\", "
        "\"warning\" or \"error\"");
  CHECK(errorOf("{\n  \"chekcs\": {}\n}") ==
        "cfg.json:2:3: unknown key 'chekcs' (expected '$schema', 'checks', "
        "'interpreters', 'sensitivePaths', 'safeDevices', 'entries', "
        "'assertions')");
  CHECK(llvm::StringRef(errorOf("{\n  \"checks\": {,}\n}"))
            .startswith("cfg.json:2:14: not valid JSON: "));
  CHECK(llvm::StringRef(errorOf("")).startswith("cfg.json:1:1: not valid JSON"));
  CHECK(llvm::StringRef(errorOf("{\"interpreters\": [\"\xff\"]}"))
            .startswith("cfg.json:1:"));
  CHECK(errorOf("[]") == "cfg.json:1:1: a lint configuration is a JSON object");
}

TEST_CASE("Errors of the language cannot be configured away",
          "[lint][config]") {
  CHECK(errorOf(R"({"checks": {"relative-path": "off"}})") ==
        "cfg.json:1:13: 'relative-path' (E101) is not a check and cannot be "
        "configured");
  // A check whose findings are notes is a check like any other.
  CHECK(config(R"({"checks": {"network-allow-all": "off", "A204": "warning"}})")
            .Checks.size() == 2);
  CHECK(errorOf(R"({"checks": {"note-exec-hop": "off"}})") ==
        "cfg.json:1:13: 'note-exec-hop' (A290) is not a check and cannot be "
        "configured");
  CHECK(errorOf(R"({"checks": {"did-you-mean": "off"}})") ==
        "cfg.json:1:13: 'did-you-mean' (N001) is not a check and cannot be "
        "configured");
}

TEST_CASE("Assertion errors point into the assertion", "[lint][config]") {
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"write": "usr"}}]})") ==
        "cfg.json:1:50: 'usr' is not an absolute path without '.' or '..' "
        "components");
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"bind": "tcp/0"}}]})") ==
        "cfg.json:1:49: 'tcp/0' is not a port (\"tcp/25\", \"udp/53-60\") or "
        "\"any\"");
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"bind": "smtp"}}]})") ==
        "cfg.json:1:49: 'smtp' is not a port (\"tcp/25\", \"udp/53-60\") or "
        "\"any\"");
  CHECK(llvm::StringRef(errorOf(R"({"assertions": [{"never": {"write": "/"}}]})"))
            .startswith("cfg.json:1:17: an assertion needs a 'name'"));
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"write": "/", "read": "/"}}]})")
            .find("cfg.json:1:40: 'never' is an object with one key") == 0);
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"reach": {"reach": {"write": "/"}}}}]})") ==
        "cfg.json:1:51: 'reach' cannot be nested");
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"namespace": "p"}}]})") ==
        "cfg.json:1:54: the only namespace an assertion can forbid is "
        "\"global\"");
  CHECK(errorOf(R"({"assertions": [{"name": "a", "never": {"write": "/"}},
                                    {"name": "a", "never": {"read": "/"}}]})")
            .find("assertion 'a' is defined twice") != std::string::npos);
  CHECK(errorOf(R"({"assertions": [{"name": "a", "peas": "some", "never": {"write": "/"}}]})") ==
        "cfg.json:1:39: 'peas' is \"all\", \"network-facing\" or a list of "
        "pea names (\"PEA\" or \"POD/PEA\")");
}

TEST_CASE("Checks are found by name or code, in either catalogue",
          "[lint][config]") {
  REQUIRE(findCheck("W205"));
  CHECK(std::string(findCheck("W205")->Name) == "duplicate-access");
  CHECK(findCheck("duplicate-access") == findCheck("W205"));
  REQUIRE(findCheck("A901"));
  CHECK(std::string(findCheck("A901")->Name) == "unused-suppression");
  CHECK(findCheck("unused-suppression") == findCheck("A901"));
  CHECK(!findCheck("nonsense"));
}

TEST_CASE("The configuration is found from the policy's directory upwards",
          "[lint][config]") {
  namespace fs = std::filesystem;
  fs::path Top = fs::temp_directory_path() /
                 ("peapod-lintcfg-" + std::to_string(::getpid()));
  fs::remove_all(Top);
  fs::create_directories(Top / "a" / "b");
  std::ofstream(Top / "a" / "b" / "p.pea") << "";
  {
    // Nothing at or below Top yet (whatever is above it).
    std::optional<std::string> None =
        findLintConfig((Top / "a" / "b" / "p.pea").string());
    CHECK((!None || !llvm::StringRef(*None).startswith(Top.string())));
  }
  std::ofstream(Top / ".peapod-lint.json") << "{}";
  CHECK(findLintConfig((Top / "a" / "b" / "p.pea").string()) ==
        (Top / ".peapod-lint.json").string());
  std::ofstream(Top / "a" / ".peapod-lint.json") << "{}";
  CHECK(findLintConfig((Top / "a" / "b" / "p.pea").string()) ==
        (Top / "a" / ".peapod-lint.json").string());
  // A directory of that name is not a configuration.
  fs::create_directories(Top / "a" / "b" / ".peapod-lint.json");
  CHECK(findLintConfig((Top / "a" / "b" / "p.pea").string()) ==
        (Top / "a" / ".peapod-lint.json").string());
  // A symbolic link is looked up from where it points.
  fs::create_directories(Top / "elsewhere");
  fs::create_symlink(Top / "a" / "b" / "p.pea", Top / "elsewhere" / "l.pea");
  CHECK(findLintConfig((Top / "elsewhere" / "l.pea").string()) ==
        (Top / "a" / ".peapod-lint.json").string());

  auto Loaded = loadLintConfig((Top / "a" / ".peapod-lint.json").string());
  CHECK(bool(Loaded));
  auto Missing = loadLintConfig((Top / "none.json").string());
  REQUIRE(!Missing);
  CHECK(llvm::StringRef(llvm::toString(Missing.takeError()))
            .startswith("cannot read lint configuration '"));
  fs::remove_all(Top);
}

TEST_CASE("The configuration's checks change what lint reports",
          "[lint][config]") {
  const char *Policy = "pod p {\n  pea a {\n    path /x read, read\n  }\n}\n";
  CHECK(codes(lint(Policy)) == std::vector<std::string>{"W205"});
  CHECK(codes(lint(Policy, R"({"checks": {"W205": "off"}})")).empty());
  LintResult AsError = lint(Policy, R"({"checks": {"duplicate-access": "error"}})");
  REQUIRE(AsError.Findings.size() == 1);
  CHECK(AsError.Errors == 1);
  CHECK(AsError.diagnostic(AsError.Findings[0]).Sev == Severity::Error);
}
