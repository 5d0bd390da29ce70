//===- PolicyTestTest.cpp - Policy test files: parsing and running --------===//
#include "DiffTestUtil.h"
#include "peapod/Evaluator.h"
#include "peapod/analyzer/PolicyTest.h"
#include "llvm/Support/SourceMgr.h"
#include <random>

using namespace peapod;
using namespace peapod::analyzer;

namespace {

const char *const Policy = R"(pod mail {
  pea sendmail {
    dir-default /etc read
    path /etc/mail/aliases read, write
    path /usr/bin/procmail read, execute
    transition /usr/bin/procmail procmail
    bind tcp/25
    outgoing allow
  }
  pea procmail {
    dir-default /var/mail allow
    namespace sendmail
  }
}
)";

/// A test file parsed and run against `Policy`: every diagnostic as
/// "line:col CODE message", then each note's message.
struct Outcome {
  bool Parsed = false;
  PolicyTestResults Results;
  std::vector<std::string> Lines;
  std::pair<unsigned, unsigned> Coverage;
};

Outcome run(const std::string &Test, bool Coverage = false) {
  Outcome O;
  auto C = test::compileText("mail.pea", Policy);
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Test, "t.peatest"), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  PolicyTestFile File;
  O.Parsed = parsePolicyTest(Diags, ID, File);
  if (O.Parsed) {
    mirrorBuffers(C->sourceMgr(), SM);
    ReferenceEvaluator R(C->policy());
    runPolicyTest(File, R, &C->policy(), Diags, O.Results);
    if (Coverage)
      O.Coverage = reportCoverage(C->policy(), O.Results.Exercised, Diags);
  }
  for (const Diagnostic &D : Diags.diagnostics()) {
    Position P = Diags.position(D.Range.Start);
    O.Lines.push_back(P.File + ":" + std::to_string(P.Line) + ":" +
                      std::to_string(P.Column) + " " + D.code() + " " + D.Message);
    for (const Diagnostic &N : D.Notes) {
      Position Q = Diags.position(N.Range.Start);
      O.Lines.push_back("  " + (Q.Line ? Q.File + ":" + std::to_string(Q.Line) + " " : "") +
                        N.Message);
    }
  }
  return O;
}

std::string joined(const Outcome &O) {
  std::string S;
  for (const std::string &L : O.Lines)
    S += L + "\n";
  return S;
}

} // namespace

TEST_CASE("a passing test file", "[policy-test]") {
  Outcome O = run("# comment\npolicy mail.pea\npod mail\npea sendmail\n"
                  "allow read /etc/motd\r\n"
                  "allow read,write /etc/mail/aliases  # trailing comment\n"
                  "deny write /etc/motd\n"
                  "allow execute /etc/\n"
                  "allow exec /usr/bin/procmail -> procmail\n"
                  "deny exec /bin/sh\n"
                  "allow bind tcp/25\n"
                  "deny bind tcp/26-65535\n"
                  "allow connect udp/1-100\n"
                  "deny touch procmail\n"
                  "allow touch sendmail\n"
                  "pea procmail\n"
                  "allow touch sendmail\n"
                  "allow write \"/var/mail/a b\"\n");
  INFO(joined(O));
  CHECK(O.Parsed);
  CHECK(O.Results.Passed == 13);
  CHECK(O.Results.Failed == 0);
  CHECK(O.Lines.empty());
}

TEST_CASE("failures name the test line and the deciding rule", "[policy-test]") {
  Outcome O = run("policy mail.pea\npod mail\npea sendmail\n"
                  "deny write /etc/mail/aliases\n"
                  "allow exec /usr/bin/procmail -> sendmail\n"
                  "allow bind tcp/587\n"
                  "deny connect tcp/80\n"
                  "allow touch procmail\n"
                  "pea procmail\n"
                  "allow read /etc/passwd\n");
  CHECK(O.Results.Passed == 0);
  CHECK(O.Results.Failed == 6);
  std::string S = joined(O);
  INFO(S);
  CHECK(S.find("t.peatest:4:1 T101 expected pea sendmail not to have write on "
               "/etc/mail/aliases, but it has rw-\n  mail.pea:4 decided by this rule") !=
        std::string::npos);
  CHECK(S.find("t.peatest:5:1 T101 expected exec of /usr/bin/procmail to run in pea "
               "sendmail, but it runs in pea procmail\n  mail.pea:6 this transition") !=
        std::string::npos);
  CHECK(S.find("permit only tcp/25") != std::string::npos);
  CHECK(S.find("mail.pea:8 this rule permits it") != std::string::npos);
  CHECK(S.find("names procmail (nor global)") != std::string::npos);
  CHECK(S.find("t.peatest:10:1 T101 expected pea procmail to have read on /etc/passwd, "
               "but it has ---\n  no rule covers it") != std::string::npos);
}

TEST_CASE("an unknown pea is a failure at its name", "[policy-test]") {
  Outcome O = run("policy mail.pea\npod mail\npea sendmal\nallow read /etc/motd\n"
                  "pea procmail\nallow exec /var/mail/x -> nobody\n");
  std::string S = joined(O);
  INFO(S);
  CHECK(O.Results.Failed == 2);
  CHECK(S.find("t.peatest:3:5 T003 no pea 'sendmal' in pod 'mail'; did you mean 'sendmail'?") !=
        std::string::npos);
  CHECK(S.find("t.peatest:6:27 T003 no pea 'nobody'") != std::string::npos);
}

TEST_CASE("malformed test files are reported line by line, nothing runs", "[policy-test]") {
  struct Case {
    const char *Text;
    const char *Expected;
  } Cases[] = {
      {"", "t.peatest:1:1 T002"},
      {"pod mail\n", "t.peatest:1:1 T002"},
      {"pod mail\npolicy mail.pea\n", "t.peatest:2:1 T001 'policy FILE' must be the first"},
      {"policy mail.pea\npolicy other.pea\n", "t.peatest:2:1 T001 a test file names one policy"},
      {"policy mail.pea\npod mail\nallow read /x\n", "t.peatest:3:1 T004"},
      {"policy mail.pea\npea p\n", "t.peatest:2:1 T001 'pea' before any 'pod'"},
      {"policy mail.pea\npod mail\npea sendmail\nallow rread /x\n",
       "t.peatest:4:7 T001 unknown operation 'rread'"},
      {"policy mail.pea\npod mail\npea sendmail\nallow read etc/x\n",
       "t.peatest:4:12 T001 unknown operation 'etc/x'"},
      {"policy mail.pea\npod mail\npea sendmail\nallow read /etc/../x\n",
       "t.peatest:4:12 T001 path '/etc/../x' must be absolute"},
      {"policy mail.pea\npod mail\npea sendmail\nallow read \"/x\n",
       "t.peatest:4:12 T001 missing closing quote"},
      {"policy mail.pea\npod mail\npea sendmail\nallow read \"/x\\n\"\n",
       "t.peatest:4:15 T001 invalid escape"},
      {"policy mail.pea\npod mail\npea sendmail\nallow bind tcp/0\n",
       "t.peatest:4:12 T001 port 0 is out of range"},
      {"policy mail.pea\npod mail\npea sendmail\nallow bind sctp/1\n",
       "t.peatest:4:12 T001 unknown protocol 'sctp'"},
      {"policy mail.pea\npod mail\npea sendmail\nallow bind 25\n",
       "t.peatest:4:12 T001 '25' is not a port"},
      {"policy mail.pea\npod mail\npea sendmail\ndeny exec /bin/sh -> x\n",
       "t.peatest:4:19 T001 a denied exec runs in no pea"},
      {"policy mail.pea\npod mail\npea sendmail\nallow exec /bin/sh ->\n",
       "t.peatest:4:20 T001 '->' needs the name"},
      {"policy mail.pea\npod mail\npea sendmail\nallow read /x /y\n",
       "t.peatest:4:15 T001 unexpected '/y'"},
      {"policy mail.pea\npod mail\npea sendmail\nexpect /x\n",
       "t.peatest:4:1 T001 unknown directive 'expect'"},
      {"policy mail.pea\npod mail extra\n", "t.peatest:2:10 T001 'pod' takes exactly one name"},
      {"policy mail.pea\rpod mail\rpea sendmail\rallow\r", "t.peatest:4:1 T001 'allow' needs an operation"},
      {"policy mail.pea\npod mail\npea sendmail\nallow touch\n", "t.peatest:4:7 T001 'touch' needs"},
      {"policy mail.pea\npod \xff\n", "t.peatest:2:5 T001 '\xff' is not a pod name"},
  };
  for (const Case &C : Cases) {
    Outcome O = run(C.Text);
    INFO(C.Text);
    INFO(joined(O));
    CHECK(!O.Parsed);
    REQUIRE(!O.Lines.empty());
    CHECK(O.Lines[0].rfind(C.Expected, 0) == 0);
    CHECK(O.Results.Passed + O.Results.Failed == 0);
  }
}

TEST_CASE("coverage lists the rules no answer used", "[policy-test]") {
  Outcome O = run("policy mail.pea\npod mail\npea sendmail\n"
                  "allow read /etc/mail/aliases\nallow exec /usr/bin/procmail -> procmail\n"
                  "allow bind tcp/25\n",
                  /*Coverage=*/true);
  std::string S = joined(O);
  INFO(S);
  CHECK(O.Results.Failed == 0);
  CHECK(O.Coverage == std::pair<unsigned, unsigned>{4, 8});
  CHECK(S.find("mail.pea:3:5 T201 dir-default /etc (in pea sendmail) is not exercised") !=
        std::string::npos);
  CHECK(S.find("mail.pea:8:5 T201 outgoing (in pea sendmail)") != std::string::npos);
  CHECK(S.find("mail.pea:11:5 T201 dir-default /var/mail (in pea procmail)") != std::string::npos);
  CHECK(S.find("mail.pea:12:5 T201 namespace (in pea procmail)") != std::string::npos);
  CHECK(S.find("aliases") == std::string::npos);
}

TEST_CASE("any bytes parse without a crash, and errors have locations", "[policy-test]") {
  const std::string Valid = "policy mail.pea\npod mail\npea sendmail\n"
                            "allow read, write \"/etc/a b\"\nallow exec /x -> procmail\n"
                            "deny bind udp/1-65535\nallow touch procmail\n";
  std::mt19937 Rng(7);
  const char Bytes[] = {'\n', '\r', '"', '\\', ',', '#', '/', '-', '>', ' ',
                        '\0', '\xff', 'a', '9', '.', '\t'};
  for (unsigned I = 0; I < 3000; ++I) {
    std::string Text = Valid;
    for (unsigned Edits = 1 + Rng() % 6; Edits; --Edits) {
      size_t At = Rng() % (Text.size() + 1);
      switch (Rng() % 3) {
      case 0:
        Text.insert(At, 1, Bytes[Rng() % sizeof(Bytes)]);
        break;
      case 1:
        if (At < Text.size())
          Text.erase(At, 1 + Rng() % 8);
        break;
      default:
        Text = Text.substr(0, At);
      }
    }
    Outcome O = run(Text);
    for (const std::string &L : O.Lines)
      if (L.rfind("t.peatest:", 0) == 0)
        CHECK(L.rfind("t.peatest:0", 0) != 0);
  }
}
