//===- AssertionsTest.cpp - A6xx: the configuration's assertions ----------===//
#include "LintTestUtil.h"

using namespace peapod;
using namespace peapod::lint_test;

namespace {

std::string assertion(const std::string &Body) {
  return R"({"assertions": [)" + Body + "]}";
}

const std::string NoUsrWrites =
    assertion(R"({"name": "no-usr-writes", "never": {"write": "/usr"}})");

} // namespace

TEST_CASE("A601: access under a path, with the witness", "[lint][assert]") {
  LintResult R = lint("pod p {\n"
                      "  pea a {\n"
                      "    path /usr/bin/x read\n"
                      "    dir-default /usr/lib write\n"
                      "  }\n"
                      "}\n",
                      NoUsrWrites);
  REQUIRE(codes(R) == std::vector<std::string>{"A601"});
  const Diagnostic &D = *findings(R, "A601")[0];
  CHECK(D.Sev == Severity::Error);
  CHECK(D.Message == "assertion 'no-usr-writes' violated: pea 'a' can write "
                     "'/usr/lib'");
  CHECK(lineOf(R, D) == 4); // the rule that grants it
  CHECK(R.Errors == 1);

  // Near misses: a sibling with the same prefix, reading only, deny.
  CHECK(codes(lint("pod p {\n  pea a {\n    dir-default /usrlocal write\n"
                   "    dir-default /usr read\n  }\n}\n",
                   NoUsrWrites))
            .empty());
  CHECK(codes(lint("pod p {\n  pea a {\n    dir-default / read\n  }\n}\n",
                   NoUsrWrites))
            .empty());
  // Above the path: a grant on / reaches everything under /usr.
  LintResult Root = lint("pod p {\n  pea a {\n    dir-default / allow\n  }\n}\n",
                         NoUsrWrites);
  REQUIRE(codes(Root) == std::vector<std::string>{"A601"});
  CHECK(findings(Root, "A601")[0]->Message ==
        "assertion 'no-usr-writes' violated: pea 'a' can write '/usr'");
}

TEST_CASE("A601: a file rule deep below the path is found", "[lint][assert]") {
  LintResult R = lint("pod p {\n  pea a {\n    dir-default /usr read\n"
                      "    path /usr/share/doc/x read, write\n  }\n}\n",
                      NoUsrWrites);
  REQUIRE(codes(R) == std::vector<std::string>{"A601"});
  CHECK(findings(R, "A601")[0]->Message ==
        "assertion 'no-usr-writes' violated: pea 'a' can write "
        "'/usr/share/doc/x'");
  CHECK(lineOf(R, *findings(R, "A601")[0]) == 4);
}

TEST_CASE("Assertions select peas by name, network and except",
          "[lint][assert]") {
  const char *Policy = "pod mail {\n"
                       "  pea sendmail {\n"
                       "    bind tcp/25\n"
                       "  }\n"
                       "  pea relay {\n"
                       "    bind tcp/20-30\n"
                       "  }\n"
                       "  pea quiet {\n"
                       "    bind tcp/26\n"
                       "  }\n"
                       "}\n";
  LintResult R = lint(Policy, assertion(R"({"name": "smtp", "except": ["sendmail"],
                                           "never": {"bind": "tcp/25"}})"));
  REQUIRE(codes(R) == std::vector<std::string>{"A602"});
  const Diagnostic &D = *findings(R, "A602")[0];
  CHECK(D.Message == "assertion 'smtp' violated: pea 'relay' can bind tcp/25");
  CHECK(lineOf(R, D) == 6);

  // POD/PEA in except, and a named list.
  CHECK(codes(lint(Policy, assertion(R"({"name": "smtp",
            "except": ["mail/sendmail", "relay"], "never": {"bind": "tcp/25"}})")))
            .empty());
  LintResult Named = lint(Policy, assertion(R"({"name": "n", "peas": ["quiet"],
                                               "never": {"bind": "any"}})"));
  REQUIRE(codes(Named) == std::vector<std::string>{"A602"});
  CHECK(findings(Named, "A602")[0]->Message ==
        "assertion 'n' violated: pea 'quiet' can bind tcp/26");
  CHECK(codes(lint(Policy, assertion(R"({"name": "n", "peas": ["other/quiet"],
                                        "never": {"bind": "any"}})")))
            .empty());
}

TEST_CASE("A602: allow, deny and outgoing", "[lint][assert]") {
  const std::string NoOut =
      assertion(R"({"name": "offline", "never": {"outgoing": "any"}})");
  LintResult Allow =
      lint("pod p {\n  pea a {\n    outgoing allow\n  }\n}\n", NoOut);
  REQUIRE(codes(Allow) == std::vector<std::string>{"A602"});
  CHECK(findings(Allow, "A602")[0]->Message ==
        "assertion 'offline' violated: pea 'a' can connect to any port");
  // An explicit deny wins over every grant (semantics 9).
  CHECK(codes(lint("pod p {\n  pea a {\n    outgoing allow\n    outgoing deny\n"
                   "  }\n}\n",
                   NoOut))
            .empty());
  CHECK(codes(lint("pod p {\n  pea a {\n    bind tcp/80\n  }\n}\n", NoOut))
            .empty());
  LintResult Udp = lint("pod p {\n  pea a {\n    outgoing udp/53\n  }\n}\n",
                        assertion(R"({"name": "t", "never": {"outgoing": "tcp/53"}})"));
  CHECK(codes(Udp).empty());
}

TEST_CASE("A603: namespace global", "[lint][assert]") {
  const std::string NoGlobal = assertion(
      R"({"name": "contained", "peas": "network-facing", "never": {"namespace": "global"}})");
  LintResult R = lint("pod p {\n  pea a {\n    bind tcp/80\n    namespace global\n"
                      "  }\n  pea b {\n    namespace global\n  }\n}\n",
                      NoGlobal);
  REQUIRE(codes(R) == std::vector<std::string>{"A603"});
  CHECK(findings(R, "A603")[0]->Message ==
        "assertion 'contained' violated: pea 'a' has 'namespace global'");
  CHECK(lineOf(R, *findings(R, "A603")[0]) == 4);
}

TEST_CASE("A604: reach through a chain of execs, each hop a note",
          "[lint][assert]") {
  const std::string NetEtc = assertion(R"({"name": "net-etc",
      "peas": "network-facing", "never": {"reach": {"write": "/etc"}}})");
  const char *Chain = "pod p {\n"
                      "  pea web {\n"                              // 2
                      "    bind tcp/80\n"                          // 3
                      "    path /usr/bin/cgi read, execute\n"      // 4
                      "    transition /usr/bin/cgi cgi\n"          // 5
                      "  }\n"
                      "  pea cgi {\n"                              // 7
                      "    dir-default /usr/sbin read, execute\n"  // 8
                      "    transition /usr/sbin admin\n"           // 9
                      "  }\n"
                      "  pea admin {\n"                            // 11
                      "    dir-default /etc allow\n"               // 12
                      "  }\n"
                      "}\n";
  LintResult R = lint(Chain, NetEtc);
  REQUIRE(codes(R) == std::vector<std::string>{"A604"});
  const Diagnostic &D = *findings(R, "A604")[0];
  CHECK(D.Message == "assertion 'net-etc' violated: pea 'web' reaches pea "
                     "'admin', which can write '/etc'");
  CHECK(lineOf(R, D) == 5);
  REQUIRE(D.Notes.size() == 3);
  CHECK(D.Notes[0].Message ==
        "pea 'web' executes '/usr/bin/cgi' and moves into pea 'cgi'");
  CHECK(R.C->diags().position(D.Notes[0].Range.Start).Line == 5);
  CHECK(D.Notes[1].Message ==
        "pea 'cgi' executes '/usr/sbin' and moves into pea 'admin'");
  CHECK(R.C->diags().position(D.Notes[1].Range.Start).Line == 9);
  CHECK(D.Notes[2].Message == "pea 'admin' can write '/etc' by this rule");
  CHECK(R.C->diags().position(D.Notes[2].Range.Start).Line == 12);

  // Near miss: cgi cannot execute what its transition names, so the second
  // hop never happens (exact, not by the rule's mere presence).
  std::string NoExec = Chain;
  NoExec.replace(NoExec.find("dir-default /usr/sbin read, execute"),
                 strlen("dir-default /usr/sbin read, execute"),
                 "dir-default /usr/sbin read");
  CHECK(codes(lint(NoExec, NetEtc)).empty());
  // Near miss: web is not network-facing.
  std::string Offline = Chain;
  Offline.replace(Offline.find("bind tcp/80"), strlen("bind tcp/80"),
                  "path /srv read");
  CHECK(codes(lint(Offline, NetEtc)).empty());
}

TEST_CASE("A witness in an included rule group names the include",
          "[lint][assert]") {
  // stdrules/sendmail.rules grants write under /var/lib/sendmail.
  LintResult R =
      lint("pod p {\n  pea a {\n    include \"sendmail\"\n  }\n}\n",
           assertion(R"({"name": "spool", "never": {"write": "/var/lib"}})"));
  REQUIRE(codes(R) == std::vector<std::string>{"A601"});
  const Diagnostic &D = *findings(R, "A601")[0];
  CHECK(R.C->diags().position(D.Range.Start).File.find("sendmail.rules") !=
        std::string::npos);
  REQUIRE(D.Notes.size() == 1);
  CHECK(D.Notes[0].Message == "included into pea 'a' here");
  CHECK(R.C->diags().position(D.Notes[0].Range.Start).Line == 3);
}

TEST_CASE("Assertions are not checked on a policy with errors",
          "[lint][assert]") {
  LintResult R = lint("pod p {\n  pea a {\n    dir-default /usr write\n"
                      "    transition /x nowhere\n  }\n}\n",
                      NoUsrWrites);
  CHECK(codes(R) == std::vector<std::string>{"E301"});
}
