//===- SuppressionsTest.cpp - # peapod: ignore[ID] reason -----------------===//
#include "LintTestUtil.h"
#include "peapod/FixIts.h"
#include "peapod/analyzer/Suppressions.h"

using namespace peapod;
using namespace peapod::lint_test;

namespace {

std::string pea(const std::string &Rules) {
  return "pod p {\n  pea a {\n" + Rules + "  }\n}\n";
}

/// The text of p.pea with every fix of the findings shown applied.
std::string fixed(const LintResult &R) {
  auto Fixes = fixesByBuffer(R);
  if (Fixes.empty())
    return R.C->sourceMgr().getMemoryBuffer(1)->getBuffer().str();
  REQUIRE(Fixes.size() == 1);
  return applyFixIts(R.C->sourceMgr(), Fixes.begin()->first,
                     Fixes.begin()->second)
      .Text;
}

} // namespace

TEST_CASE("A trailing suppression covers its own line", "[lint][suppress]") {
  LintResult R = lint(pea("    path /x read, read  # peapod: ignore[W205] ok\n"));
  CHECK(codes(R).empty());
  CHECK(R.Suppressed == 1);
  // By name, and in a list.
  CHECK(codes(lint(pea("    path /x read, read  # peapod: ignore[duplicate-access] ok\n")))
            .empty());
  CHECK(codes(lint(pea("    path /x read, read, write, write  # peapod: ignore[W205] ok\n")))
            .empty());
}

TEST_CASE("A suppression alone on a line covers the line below",
          "[lint][suppress]") {
  LintResult R = lint(pea("    # peapod: ignore[W205] reviewed\n"
                          "    path /x read, read\n"));
  CHECK(codes(R).empty());
  CHECK(R.Suppressed == 1);

  // Near misses: two lines below, the line above, and another ID.
  LintResult Far = lint(pea("    # peapod: ignore[W205] reviewed\n"
                            "\n"
                            "    path /x read, read\n"));
  CHECK(codes(Far) == std::vector<std::string>{"W205", "A901"});
  LintResult Above = lint(pea("    path /x read, read\n"
                              "    path /y read  # peapod: ignore[W205] no\n"));
  CHECK(codes(Above) == std::vector<std::string>{"W205", "A901"});
  LintResult Other = lint(pea("    path /x read, read  # peapod: ignore[W309] no\n"));
  CHECK(codes(Other) == std::vector<std::string>{"W205", "A901"});
  // An ordinary comment is not a suppression.
  CHECK(codes(lint(pea("    path /x read, read  # ignore[W205]\n"))) ==
        std::vector<std::string>{"W205"});
}

TEST_CASE("An unused suppression is a finding with a fix that removes it",
          "[lint][suppress]") {
  LintResult Own = lint(pea("    # peapod: ignore[W205] old\n"
                            "    path /x read\n"));
  REQUIRE(codes(Own) == std::vector<std::string>{"A901"});
  const Diagnostic &D = Own.diagnostic(Own.Findings[0]);
  CHECK(D.Message ==
        "suppression of 'W205' matches no finding on this line or the next");
  CHECK(D.Sev == Severity::Warning);
  CHECK(lineOf(Own, D) == 3);
  CHECK(fixed(Own) == pea("    path /x read\n"));

  LintResult Trailing = lint(pea("    path /x read   # peapod: ignore[W205] old\n"));
  CHECK(fixed(Trailing) == pea("    path /x read\n"));

  // One ID of two unused: only that ID goes.
  LintResult Half =
      lint(pea("    path /x read, read  # peapod: ignore[W205, W309] why\n"));
  REQUIRE(codes(Half) == std::vector<std::string>{"A901"});
  CHECK(fixed(Half) == pea("    path /x read, read  # peapod: ignore[W205] why\n"));
  LintResult First =
      lint(pea("    path /x read, read  # peapod: ignore[W309,W205] why\n"));
  CHECK(fixed(First) == pea("    path /x read, read  # peapod: ignore[W205] why\n"));
}

TEST_CASE("A suppression of a check switched off is not unused",
          "[lint][suppress]") {
  CHECK(codes(lint(pea("    path /x read  # peapod: ignore[W205] later\n"),
                   R"({"checks": {"W205": "off"}})"))
            .empty());
  // And A901 itself can be switched off.
  CHECK(codes(lint(pea("    path /x read  # peapod: ignore[W205] later\n"),
                   R"({"checks": {"unused-suppression": "off"}})"))
            .empty());
}

TEST_CASE("Wrong suppressions are findings", "[lint][suppress]") {
  LintResult Unknown = lint(pea("    path /x read  # peapod: ignore[W999] x\n"));
  REQUIRE(codes(Unknown) == std::vector<std::string>{"A902"});
  CHECK(Unknown.diagnostic(Unknown.Findings[0]).Message ==
        "'W999' in a suppression is not a diagnostic ID or name");
  LintResult Malformed = lint(pea("    path /x read  # peapod: ignore W205\n"));
  CHECK(codes(Malformed) == std::vector<std::string>{"A902"});

  LintResult Error = lint(pea("    path x read  # peapod: ignore[E101] x\n"));
  CHECK(codes(Error) == std::vector<std::string>{"E101", "A903"});
  CHECK(Error.diagnostic(Error.Findings[1]).Message ==
        "'E101' cannot be suppressed inline: the policy has an error, which "
        "a comment cannot make right");

  LintResult Assertion =
      lint(pea("    dir-default /usr write  # peapod: ignore[A601] x\n"),
           R"({"assertions": [{"name": "usr", "never": {"write": "/usr"}}]})");
  CHECK(codes(Assertion) == std::vector<std::string>{"A601", "A903"});

  LintResult NoReason = lint(pea("    path /x read, read  # peapod: ignore[W205]\n"));
  REQUIRE(codes(NoReason) == std::vector<std::string>{"A904"});
  CHECK(NoReason.diagnostic(NoReason.Findings[0]).Message ==
        "suppression of 'W205' gives no reason");
}

TEST_CASE("Suppressions work in files with CR line endings",
          "[lint][suppress]") {
  LintResult CRLF = lint("pod p {\r\n  pea a {\r\n    # peapod: ignore[W205] ok\r\n"
                         "    path /x read, read\r\n  }\r\n}\r\n");
  CHECK(codes(CRLF).empty());
  LintResult CR = lint("pod p {\r  pea a {\r    path /x read, read # peapod: "
                       "ignore[W205] ok\r  }\r}\r");
  CHECK(codes(CR).empty());
  LintResult Unused = lint("pod p {\r\n  pea a {\r\n    # peapod: ignore[W205] ok\r\n"
                           "    path /x read\r\n  }\r\n}\r\n");
  REQUIRE(codes(Unused) == std::vector<std::string>{"A901"});
  CHECK(fixed(Unused) ==
        "pod p {\r\n  pea a {\r\n    path /x read\r\n  }\r\n}\r\n");
}

TEST_CASE("What cannot be suppressed", "[lint][suppress]") {
  using analyzer::Suppressions;
  CHECK(Suppressions::whyUnsuppressible(*findCheck("E101")));
  CHECK(Suppressions::whyUnsuppressible(*findCheck("A601")));
  CHECK(Suppressions::whyUnsuppressible(*findCheck("A604")));
  CHECK(Suppressions::whyUnsuppressible(*findCheck("N001")));
  CHECK(Suppressions::whyUnsuppressible(*findCheck("note-exec-hop")));
  CHECK(!Suppressions::whyUnsuppressible(*findCheck("network-allow-all")));
  CHECK(!Suppressions::whyUnsuppressible(*findCheck("W205")));
  CHECK(!Suppressions::whyUnsuppressible(*findCheck("A901")));
}
