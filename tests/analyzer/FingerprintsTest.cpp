//===- FingerprintsTest.cpp - Fingerprints and baselines ------------------===//
#include "LintTestUtil.h"
#include "peapod/analyzer/LintOutput.h"
#include <set>

using namespace peapod;
using namespace peapod::lint_test;

namespace {

std::vector<std::string> prints(const LintResult &R) {
  std::vector<std::string> Out;
  for (const LintFinding &F : R.Findings)
    Out.push_back(F.Print.Finding);
  return Out;
}

const char *const PolicyText = "pod p {\n"
                           "  pea a {\n"
                           "    path /x read, read\n"
                           "    path /y write, write\n"
                           "  }\n"
                           "  pea b {\n"
                           "    path /x read, read\n"
                           "  }\n"
                           "}\n";

} // namespace

TEST_CASE("Fingerprints survive moves and re-indentation", "[lint][baseline]") {
  LintResult Before = lint(PolicyText);
  REQUIRE(Before.Findings.size() == 3);
  std::vector<std::string> P = prints(Before);
  // Distinct: two identical lines in different peas differ by their pea.
  CHECK(P[0] != P[2]);
  CHECK(P[0] != P[1]);
  for (const std::string &F : P)
    CHECK(F.size() == 18); // 16 hex digits, ':', the occurrence

  // Lines inserted above, rules swapped and re-indented: the same prints.
  LintResult Moved = lint("# a comment\n\npod p {\n"
                          "  pea a {\n"
                          "        path /y write,   write\n"
                          "    path /z execute\n"
                          "    path /x read, read\n"
                          "  }\n"
                          "  pea b {\n"
                          "    path /x read, read\n"
                          "  }\n"
                          "}\n");
  std::vector<std::string> Q = prints(Moved);
  REQUIRE(Q.size() == 3);
  CHECK(std::set<std::string>(P.begin(), P.end()) ==
        std::set<std::string>(Q.begin(), Q.end()));

  // A changed rule is a new finding.
  LintResult Changed = lint("pod p {\n  pea a {\n    path /w read, read\n  }\n}\n");
  CHECK(std::find(P.begin(), P.end(), prints(Changed)[0]) == P.end());
}

TEST_CASE("Identical findings are told apart by occurrence", "[lint][baseline]") {
  LintResult R = lint("pod p {\n  pea a {\n    path /x read, read, read\n  }\n}\n");
  REQUIRE(R.Findings.size() == 2);
  std::string A = R.Findings[0].Print.Finding, B = R.Findings[1].Print.Finding;
  CHECK(A.substr(0, 16) == B.substr(0, 16));
  CHECK(A.substr(16) == ":1");
  CHECK(B.substr(16) == ":2");
}

TEST_CASE("The line hash is of the line's text and its occurrence",
          "[lint][baseline]") {
  LintResult R = lint("pod p {\n  pea a {\n    path /x read, read\n  }\n"
                      "  pea b {\n    path /x read, read\n  }\n}\n");
  REQUIRE(R.Findings.size() == 2);
  CHECK(R.Findings[0].Print.LineHash.substr(0, 16) ==
        R.Findings[1].Print.LineHash.substr(0, 16));
  CHECK(R.Findings[0].Print.LineHash.substr(16) == ":1");
  CHECK(R.Findings[1].Print.LineHash.substr(16) == ":2");
}

TEST_CASE("Locations are taken out of messages", "[lint][baseline]") {
  CHECK(messageWithoutLines("shadowed by the deny at mail.pea:12:5") ==
        "shadowed by the deny at mail.pea");
  CHECK(messageWithoutLines("rule (sendmail.rules:86) and x.pea:3") ==
        "rule (sendmail.rules) and x.pea");
  CHECK(messageWithoutLines("can bind tcp/25 and udp/53-60") ==
        "can bind tcp/25 and udp/53-60");
  CHECK(messageWithoutLines("a: 12 and 10:30") == "a: 12 and 10:30");
}

TEST_CASE("A baseline leaves out what it recorded, once each",
          "[lint][baseline]") {
  LintResult First = lint(PolicyText);
  std::string Text = Baseline::write(baselineEntries(llvm::makeArrayRef(First)));
  nlohmann::json J = nlohmann::json::parse(Text);
  CHECK(J["version"] == 1);
  REQUIRE(J["findings"].size() == 3);
  CHECK(J["findings"][0]["id"] == "W205");
  CHECK(J["findings"][0]["file"] == "p.pea");
  CHECK(J["findings"][0]["line"] == 3);
  CHECK(J["findings"][0]["message"] == "'read' is listed more than once");
  CHECK(J["findings"][0]["fingerprint"] == First.Findings[0].Print.Finding);

  auto B = Baseline::parse(Text, "b.json");
  REQUIRE(bool(B));
  CHECK(B->size() == 3);
  // The same policy with one new finding, lines moved.
  LintResult Again = lint(std::string("\n\n") + PolicyText +
                              "pod q {\n  pea c {\n    path /n read, read\n  }\n}\n",
                          "{}", &*B);
  CHECK(Again.Baselined == 3);
  REQUIRE(Again.Findings.size() == 1);
  CHECK(lineOf(Again, Again.diagnostic(Again.Findings[0])) == 14);
  CHECK(Again.Warnings == 1);
}

TEST_CASE("A baseline that is not one is refused", "[lint][baseline]") {
  auto Bad = Baseline::parse("{\"version\": 2, \"findings\": []}", "b.json");
  REQUIRE(!Bad);
  CHECK(llvm::StringRef(llvm::toString(Bad.takeError()))
            .startswith("b.json: not a peapod lint baseline"));
  auto NotJSON = Baseline::parse("{\n  oops", "b.json");
  REQUIRE(!NotJSON);
  CHECK(llvm::StringRef(llvm::toString(NotJSON.takeError()))
            .startswith("b.json: 2:3: not valid JSON"));
  auto NoPrint = Baseline::parse(R"({"version": 1, "findings": [{"id": "W205"}]})",
                                 "b.json");
  REQUIRE(!NoPrint);
  CHECK(llvm::toString(NoPrint.takeError()) ==
        "b.json: finding 1 has no \"fingerprint\" string");
}
