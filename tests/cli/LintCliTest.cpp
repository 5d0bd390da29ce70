//===- LintCliTest.cpp - peapodc lint and peapodc fix ---------------------===//
#include "CliTest.h"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace peapod::cli_test;

namespace {

bool contains(const std::string &S, const std::string &Part) {
  return S.find(Part) != std::string::npos;
}

/// A temporary directory with its own (empty) configuration, so that no
/// .peapod-lint.json above it changes what the tests see.
struct LintDir : TempDir {
  LintDir() { write(".peapod-lint.json", "{}"); }
};

const char *const Dup = "pod p {\n"
                        "  pea a {\n"
                        "    path /x read, read\n"
                        "  }\n"
                        "}\n";

const char *const UsrWriter = "pod p {\n"
                              "  pea a {\n"
                              "    dir-default /usr write\n"
                              "  }\n"
                              "}\n";

const char *const NoUsrWrites =
    R"({"assertions": [{"name": "no-usr-writes", "never": {"write": "/usr"}}]})";

} // namespace

TEST_CASE("lint: exit 0 with warnings, 1 with errors or --Werror",
          "[cli][lint]") {
  LintDir T;
  std::string Clean = T.write("clean.pea", "pod p {\n  pea a {\n    path /x read\n  }\n}\n");
  Run R = peapodc({"lint", Clean});
  CHECK(R.Status == 0);
  CHECK(R.Out.empty());
  CHECK(R.Err.empty());

  std::string Warn = T.write("dup.pea", Dup);
  R = peapodc({"lint", Warn});
  CHECK(R.Status == 0);
  CHECK(contains(R.Err, "dup.pea:3:19: warning: 'read' is listed more than once [W205]"));
  CHECK(contains(R.Err, "1 warning generated."));
  R = peapodc({"lint", "--Werror", Warn});
  CHECK(R.Status == 1);
  CHECK(contains(R.Err, "error: 'read' is listed more than once [W205]"));

  T.write(".peapod-lint.json", NoUsrWrites);
  std::string Bad = T.write("usr.pea", UsrWriter);
  R = peapodc({"lint", Bad});
  CHECK(R.Status == 1);
  CHECK(contains(R.Err, "usr.pea:3:5: error: assertion 'no-usr-writes' violated: "
                        "pea 'a' can write '/usr' [A601]"));
  // Several policies: the worst status.
  CHECK(peapodc({"lint", Clean, Bad}).Status == 1);
}

TEST_CASE("lint: usage and I/O errors exit 2", "[cli][lint]") {
  LintDir T;
  std::string P = T.write("dup.pea", Dup);
  Run R = peapodc({"lint"});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "no input policy"));
  R = peapodc({"lint", T / "missing.pea"});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "cannot read"));
  R = peapodc({"lint", "--format", "xml", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "unknown format 'xml' (text, json, sarif or github)"));
  R = peapodc({"lint", "--config", T / "none.json", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "cannot read lint configuration"));
  R = peapodc({"lint", "-o", T / "out.txt", P});
  CHECK(R.Status == 2);
  R = peapodc({"lint", "--baseline", T / "none.json", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "cannot read baseline"));
  R = peapodc({"lint", "--bogus", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "unknown option '--bogus' (see peapodc lint --help)"));
  R = peapodc({"lint", "-Wno-nonsense", P});
  CHECK(R.Status == 2);

  R = peapodc({"lint", "--root", T / "missing", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "cannot walk --root '" + (T / "missing") +
                            "': No such file or directory"));
  R = peapodc({"lint", "--root", P, P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "not a directory"));
  // An image is not a policy source.
  REQUIRE(peapodc({P, "-o", T / "p.bin"}).Status == 0);
  CHECK(peapodc({"lint", T / "p.bin"}).Status == 2);
}

TEST_CASE("lint: a bad configuration is named with its line and column",
          "[cli][lint]") {
  LintDir T;
  std::string P = T.write("dup.pea", Dup);
  T.write(".peapod-lint.json", "{\n  \"checks\": {\"duplicate-acces\": \"off\"}\n}\n");
  Run R = peapodc({"lint", P});
  CHECK(R.Status == 2);
  CHECK(R.Err == "peapodc: error: " + (T / ".peapod-lint.json") +
                     ":2:14: unknown check 'duplicate-acces'; did you mean "
                     "'duplicate-access'?\n");
  T.write(".peapod-lint.json", "{ not json");
  R = peapodc({"lint", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, ".peapod-lint.json:1:4: not valid JSON: syntax error "
                        "while parsing object key"));
}

TEST_CASE("lint: the configuration is found upwards, or given", "[cli][lint]") {
  LintDir T;
  fs::create_directories(T.Path / "policies" / "mail");
  std::string P = T.write("policies/mail/dup.pea", Dup);
  CHECK(contains(peapodc({"lint", P}).Err, "[W205]"));
  T.write(".peapod-lint.json", R"({"checks": {"duplicate-access": "off"}})");
  CHECK(peapodc({"lint", P}).Err.empty());
  std::string Other = T.write("other.json", R"({"checks": {"W205": "error"}})");
  CHECK(peapodc({"lint", "--config", Other, P}).Status == 1);
  // A -W switch overrides the configuration.
  CHECK(contains(peapodc({"lint", "-Wduplicate-access", P}).Err, "[W205]"));
  // And analyzer checks have switches too.
  std::string S = T.write("s.pea", "pod p {\n  pea a {\n    path /x read # "
                                   "peapod: ignore[W309] x\n  }\n}\n");
  CHECK(contains(peapodc({"lint", S}).Err, "[A901]"));
  CHECK(peapodc({"lint", "-Wno-unused-suppression", S}).Err.empty());
}

TEST_CASE("lint: a baseline reports only new findings", "[cli][lint]") {
  LintDir T;
  std::string P = T.write("dup.pea", Dup);
  Run R = peapodc({"lint", "--write-baseline", T / "base.json", P});
  CHECK(R.Status == 0);
  nlohmann::json B = nlohmann::json::parse(readFile(T / "base.json"));
  CHECK(B["version"] == 1);
  CHECK(B["findings"].size() == 1);

  // The rule moves down two lines: still known.
  T.write("dup.pea", std::string("# moved\n\n") + Dup);
  R = peapodc({"lint", "--baseline", T / "base.json", P});
  CHECK(R.Status == 0);
  CHECK(R.Err == "no findings (1 in the baseline).\n");

  // A new finding is reported, the old one still not.
  T.write("dup.pea", std::string(Dup) + "pod q {\n  pea b {\n    path /y "
                                        "write, write\n  }\n}\n");
  R = peapodc({"lint", "--baseline", T / "base.json", P});
  CHECK(contains(R.Err, "dup.pea:8:20: warning: 'write' is listed more than once"));
  CHECK(!contains(R.Err, "'read' is listed"));
  CHECK(contains(R.Err, "1 warning generated (1 in the baseline)."));

  T.write("bad.json", "[1, 2]");
  R = peapodc({"lint", "--baseline", T / "bad.json", P});
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "not a peapod lint baseline"));
}

TEST_CASE("lint: json, sarif and github on standard output or -o",
          "[cli][lint]") {
  LintDir T;
  std::string P = T.write("dup.pea", Dup);
  Run R = peapodc({"lint", "--format", "json", P});
  CHECK(R.Status == 0);
  nlohmann::json J = nlohmann::json::parse(R.Out);
  CHECK(J["version"] == 1);
  CHECK(J["files"][0]["diagnostics"][0]["id"] == "W205");

  R = peapodc({"lint", "--format", "sarif", "-o", T / "out.sarif", P});
  CHECK(R.Status == 0);
  CHECK(R.Out.empty());
  nlohmann::json S = nlohmann::json::parse(readFile(T / "out.sarif"));
  CHECK(S["version"] == "2.1.0");
  CHECK(S["runs"][0]["results"][0]["ruleId"] == "W205");
  CHECK(S["runs"][0]["tool"]["driver"]["semanticVersion"].is_string());

  R = peapodc({"lint", "--format", "github", P});
  CHECK(R.Status == 0);
  CHECK(contains(R.Out, ",line=3,col=19,endLine=3,endColumn=23,title=W205 "
                        "duplicate-access::'read' is listed more than once\n"));
  CHECK(llvm::StringRef(R.Out).startswith("::warning file="));

  // A property value ends at ':' or ',': both are escaped in file names.
  R = shell(T, "cp dup.pea 'we:ird,name.pea'; $PEAPODC lint --format github "
               "'we:ird,name.pea'");
  CHECK(contains(R.Out, "we%3Aird%2Cname.pea,line=3,"));

  // -o never replaces an input.
  R = peapodc({"lint", "--format", "json", "-o", P, P});
  CHECK(R.Status == 2);
  CHECK(readFile(P) == Dup);
}

TEST_CASE("lint: odd inputs", "[cli][lint]") {
  LintDir T;
  Run R = peapodc({"lint", T.write("empty.pea", "")});
  CHECK(R.Status == 0);
  CHECK(contains(R.Err, "[W308]"));
  // Bytes that are not UTF-8 stay valid JSON.
  R = peapodc({"lint", "--format", "json",
               T.write("bin.pea", "pod p {\n  pea a {\n    path \"/\xff\" read, read\n  }\n}\n")});
  CHECK(R.Status == 0);
  CHECK_NOTHROW(nlohmann::json::parse(R.Out));
  // A rule group is linted as one.
  R = peapodc({"lint", T.write("g.rules", "path /x read, read\n")});
  CHECK(contains(R.Err, "g.rules:1:15: warning: 'read' is listed more than once"));
  // CR line endings.
  R = peapodc({"lint", T.write("cr.pea", "pod p {\r  pea a {\r    path /x read, read\r  }\r}\r")});
  CHECK(contains(R.Err, "cr.pea:3:19: warning:"));
}

TEST_CASE("lint and fix have manuals", "[cli][lint]") {
  Run R = peapodc({"lint", "--help"});
  CHECK(R.Status == 0);
  CHECK(contains(R.Out, "peapodc lint - the policy analyzer as a CI gate"));
  CHECK(contains(peapodc({"help", "fix"}).Out, "peapodc fix - apply the fixes"));
  CHECK(contains(peapodc({"--help"}).Out, "peapodc lint POLICY..."));
}

TEST_CASE("fix --dry-run prints a diff and changes nothing", "[cli][fix]") {
  LintDir T;
  std::string P = T.write("dup.pea", Dup);
  Run R = peapodc({"fix", "--dry-run", P});
  CHECK(R.Status == 1);
  CHECK(R.Out == "--- a/" + P + "\n+++ b/" + P +
                     "\n@@ -1,5 +1,5 @@\n pod p {\n   pea a {\n-    path /x read, "
                     "read\n+    path /x read\n   }\n }\n");
  CHECK(R.Err == "peapodc: would apply 1 fix in 1 file\n");
  CHECK(readFile(P) == Dup);
}

TEST_CASE("fix applies the fixes and lint is then clean", "[cli][fix]") {
  LintDir T;
  std::string P = T.write("dup.pea",
                          "pod p {\n  pea a {\n    path x read, read\n"
                          "    # peapod: ignore[W205] old\n    path /y read\n  }\n}\n");
  Run R = peapodc({"fix", P});
  CHECK(R.Status == 0);
  CHECK(R.Err == "peapodc: applied 2 fixes in 1 file\n");
  // The relative path hid the duplicate (a rule with an error is not
  // checked further): the second run finds and fixes it.
  CHECK(readFile(P) ==
        "pod p {\n  pea a {\n    path /x read, read\n    path /y read\n  }\n}\n");
  R = peapodc({"fix", P});
  CHECK(R.Err == "peapodc: applied 1 fix in 1 file\n");
  CHECK(readFile(P) == "pod p {\n  pea a {\n    path /x read\n    path /y read\n  }\n}\n");
  CHECK(peapodc({"lint", P}).Err.empty());
  // Nothing left to do.
  R = peapodc({"fix", "--dry-run", P});
  CHECK(R.Status == 0);
  CHECK(R.Out.empty());
  CHECK(R.Err == "peapodc: would apply 0 fixes in 0 files\n");
}

TEST_CASE("fix leaves rule groups not named alone", "[cli][fix]") {
  LintDir T;
  T.write("local.rules", "path /x read, read\n");
  std::string P = T.write("p.pea", "pod p {\n  pea a {\n    include \"local\"\n  }\n}\n");
  Run R = peapodc({"fix", P});
  CHECK(R.Status == 0);
  CHECK(contains(R.Err, "peapodc: note: 1 fix in '" + (T / "local.rules") +
                            "' not applied: name it on the command line to fix it"));
  CHECK(readFile(T / "local.rules") == "path /x read, read\n");
  R = peapodc({"fix", P, T / "local.rules"});
  CHECK(R.Status == 0);
  CHECK(readFile(T / "local.rules") == "path /x read\n");
}

TEST_CASE("fix through a pipe and on a FIFO", "[cli][fix]") {
  LintDir T;
  T.write("dup.pea", Dup);
  Run R = shell(T, "printf 'pod p {\\n  pea a {\\n    path /x read, read\\n  }\\n}\\n' | "
                   "$PEAPODC fix -");
  CHECK(R.Status == 0);
  CHECK(R.Out == "pod p {\n  pea a {\n    path /x read\n  }\n}\n");
  R = shell(T, "printf 'pod p {\\n}\\n' | $PEAPODC fix -");
  CHECK(R.Out == "pod p {\n}\n");
  R = shell(T, "mkfifo f.pea; $PEAPODC fix f.pea");
  CHECK(R.Status == 2);
  CHECK(contains(R.Err, "not a regular file"));
  R = shell(T, "$PEAPODC lint --format json <(cat dup.pea)");
  CHECK(R.Status == 0);
  CHECK(contains(R.Out, "\"W205\""));
}

TEST_CASE("the pre-commit hooks run commands that exist", "[cli][lint]") {
  std::string Hooks = readFile(PEAPOD_SOURCE_DIR "/.pre-commit-hooks.yaml");
  REQUIRE(contains(Hooks, "- id: peapod-lint"));
  LintDir T;
  std::string P = T.write("p.pea", "pod p {\n  pea a {\n    path /x read\n  }\n}\n");
  for (llvm::StringRef Rest = Hooks; !Rest.empty();) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    if (!Line.trim().consume_front("entry: peapodc "))
      continue;
    // The entry's words, then the staged files pre-commit appends.
    llvm::SmallVector<llvm::StringRef, 4> Words;
    Line.trim().drop_front(strlen("entry: peapodc ")).split(Words, ' ');
    std::vector<std::string> Args(Words.begin(), Words.end());
    Args.push_back(P);
    INFO(Line.str());
    CHECK(peapodc(Args).Status == 0);
  }
}
