//===- ChecksTest.cpp - The checks on the paper's examples, chains, fix-its
//===//
//
// Each check's trigger and near miss are the bad and fixed examples of its
// page (RulesCatalogueTest). Here: the escalation chain on the paper's Rules
// 9-11, the notes a chain prints, fix-its, and what rule groups are spared.
//
//===----------------------------------------------------------------------===//
#include "AnalyzerTestUtil.h"
#include "peapod/FixIts.h"
#include "peapod/analyzer/Escalation.h"
#include "llvm/Support/SourceMgr.h"
#include <fstream>
#include <sstream>

using namespace peapod;

namespace {

std::string readExample(const std::string &Name) {
  std::ifstream In(std::string(PEAPOD_SOURCE_DIR) + "/examples/" + Name);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

/// `Text` with `From` (which must occur) replaced by `To`.
std::string edit(std::string Text, const std::string &From,
                 const std::string &To) {
  size_t At = Text.find(From);
  REQUIRE(At != std::string::npos);
  return Text.replace(At, From.size(), To);
}

/// Rule 10 with apache able to write /var/www (so the CGI directory).
std::unique_ptr<Compilation> rule10WithWritableWww() {
  std::string Text = edit(readExample("rule10-web.pea"),
                          "dir-default /var/www      read,execute",
                          "dir-default /var/www      read,write,execute");
  return test::compilePolicy(Text, "rule10-web.pea");
}

struct Finding {
  const Diagnostic *D;
  Position Where;
};

std::vector<Finding> analyzed(Compilation &C, const std::string &Code,
                              const analyzer::AnalyzerOptions &Opts = {}) {
  analyzer::analyze(C, Opts);
  std::vector<Finding> Out;
  for (const Diagnostic &D : C.diags().diagnostics())
    if (D.code() == Code)
      Out.push_back({&D, C.diags().position(D.Range.Start)});
  return Out;
}

std::vector<std::string> noteTexts(const Compilation &C, const Diagnostic &D) {
  std::vector<std::string> Out;
  for (const Diagnostic &N : D.Notes) {
    Position P = C.diags().position(N.Range.Start);
    Out.push_back(std::to_string(P.Line) + ": " + N.Message);
  }
  return Out;
}

} // namespace

TEST_CASE("the paper's Rules 9-11 have no escalation path as printed",
          "[analyzer][escalation]") {
  for (const char *Name :
       {"rule09-mail.pea", "rule10-web.pea", "rule11-desktop.pea"}) {
    INFO(Name);
    auto C = test::compilePolicy(readExample(Name), Name);
    CHECK(analyzed(*C, "A206").empty());
  }
}

TEST_CASE("Rule 10 with a writable /var/www: apache plants a CGI program",
          "[analyzer][escalation]") {
  auto C = rule10WithWritableWww();
  std::vector<Finding> F = analyzed(*C, "A206");
  REQUIRE(F.size() == 1);
  CHECK(F[0].D->Sev == Severity::Error);
  CHECK(F[0].Where.Line == 11); // the transition
  CHECK(F[0].D->Message ==
        "escalation: pea 'apache' can write the directory '/var/www' and so "
        "plant the program that moves pea 'apache' into the more privileged "
        "pea 'cgi'");
  std::vector<std::string> Notes = noteTexts(*C, *F[0].D);
  REQUIRE(Notes.size() == 4);
  CHECK(Notes[0] == "6: pea 'apache' is an entry pea");
  CHECK(Notes[1] ==
        "10: pea 'apache' has rwx on the directory '/var/www' by this rule");
  CHECK(Notes[2] == "11: pea 'apache' executes '/var/www/cgi-bin' and moves "
                    "into pea 'cgi'");
  CHECK(llvm::StringRef(Notes[3]).contains("pea 'cgi' has "));
  CHECK(llvm::StringRef(Notes[3]).endswith("which 'apache' lacks"));
}

TEST_CASE("Rule 9 with a writable /usr/bin: sendmail replaces procmail",
          "[analyzer][escalation]") {
  std::string Text = edit(readExample("rule09-mail.pea"),
                          "    path /usr/bin/procmail read, execute\n",
                          "    path /usr/bin/procmail read, execute\n"
                          "    dir-default /usr/bin read, write\n");
  auto C = test::compilePolicy(Text, "rule09-mail.pea");
  std::vector<Finding> F = analyzed(*C, "A206");
  REQUIRE(F.size() == 1);
  CHECK(F[0].Where.Line == 16);
  CHECK(llvm::StringRef(F[0].D->Message)
            .startswith("escalation: pea 'sendmail' can write the directory "
                        "'/usr/bin' and so plant"));
  std::vector<std::string> Notes = noteTexts(*C, *F[0].D);
  REQUIRE(Notes.size() >= 3);
  CHECK(Notes[1] ==
        "15: pea 'sendmail' has rwx on the directory '/usr/bin' by this rule");
}

TEST_CASE("Rule 11 with a helper in /home/spotter/tmp: a two-hop chain",
          "[analyzer][escalation]") {
  // mpg123 gets a helper that moves into acroread; firefox, which reaches
  // mpg123, can write the helper's directory.
  std::string Text =
      edit(readExample("rule11-desktop.pea"), "    path /dev/dsp write\n",
           "    path /dev/dsp write\n"
           "    path /home/spotter/tmp/helper read, execute\n"
           "    transition /home/spotter/tmp/helper acroread\n");
  auto C = test::compilePolicy(Text, "rule11-desktop.pea");
  std::vector<Finding> F = analyzed(*C, "A206");
  REQUIRE(F.size() == 1);
  CHECK(F[0].Where.Line == 31); // mpg123's new transition
  CHECK(F[0].D->Message ==
        "escalation: pea 'firefox' can write the directory '/home/spotter/tmp' "
        "and so plant the program that moves pea 'mpg123' into the more "
        "privileged pea 'acroread'");
  std::vector<std::string> Notes = noteTexts(*C, *F[0].D);
  REQUIRE(Notes.size() == 5);
  CHECK(Notes[0] == "15: pea 'firefox' is an entry pea");
  CHECK(Notes[1] == "18: pea 'firefox' has rwx on the directory "
                    "'/home/spotter/tmp' by this rule");
  CHECK(Notes[2] == "20: pea 'firefox' executes '/usr/bin/mpg123' and moves "
                    "into pea 'mpg123'");
  CHECK(Notes[3] == "31: pea 'mpg123' executes '/home/spotter/tmp/helper' and "
                    "moves into pea 'acroread'");
  CHECK(llvm::StringRef(Notes[4]).contains("pea 'acroread' has "));
}

TEST_CASE("escalation needs a writer that reaches the source",
          "[analyzer][escalation]") {
  // `other` can write the trigger but cannot reach `httpd`.
  const char *Text = R"(pod web {
  pea httpd {
    dir-default /srv/cgi read, execute
    transition /srv/cgi cgi
  }
  pea cgi {
    dir-default /srv/cgi read, execute
    path /srv/db read, write
  }
  pea other {
    dir-default /srv/cgi read, write
  }
}
)";
  auto C = test::compilePolicy(Text);
  CHECK(analyzed(*C, "A206").empty());
  // Once `other` can exec into httpd, it can.
  std::string Reaching = edit(Text, "    dir-default /srv/cgi read, write\n",
                              "    dir-default /srv/cgi read, write\n"
                              "    path /usr/sbin/httpd read, execute\n"
                              "    transition /usr/sbin/httpd httpd\n");
  auto D = test::compilePolicy(Reaching);
  std::vector<Finding> F = analyzed(*D, "A206");
  REQUIRE(F.size() == 1);
  CHECK(llvm::StringRef(F[0].D->Message).startswith("escalation: pea 'other'"));
}

TEST_CASE("a stronger target only: same privilege is no escalation",
          "[analyzer][escalation]") {
  auto C = test::compilePolicy(R"(pod web {
  pea httpd {
    dir-default /srv/cgi read, write, execute
    transition /srv/cgi cgi
  }
  pea cgi {
    dir-default /srv/cgi read, execute
  }
}
)");
  CHECK(analyzed(*C, "A206").empty());
}

TEST_CASE("entries come from the options", "[analyzer][graph]") {
  const char *Text = R"(pod p {
  pea a {
    path /srv/a read
  }
  pea b {
    path /srv/b read
  }
}
)";
  auto C = test::compilePolicy(Text);
  CHECK(analyzed(*C, "A201").empty());
  auto D = test::compilePolicy(Text);
  analyzer::AnalyzerOptions Opts;
  Opts.Entries = {"p/a"};
  std::vector<Finding> F = analyzed(*D, "A201", Opts);
  REQUIRE(F.size() == 1);
  CHECK(F[0].D->Message ==
        "pea 'b' is unreachable: no entry pea (entries 'a') can exec into it");
}

TEST_CASE("dead rules carry a fix-it removing their line", "[analyzer][dead]") {
  const char *Text = "pod p {\n"
                     "  pea web {\n"
                     "    dir-default /srv read\n"
                     "    path /srv/secret deny\n"
                     "    path /srv/secret/public.txt read  # old\n"
                     "    dir-default /srv/docs read\n"
                     "  }\n"
                     "}\n";
  auto C = test::compilePolicy(Text);
  analyzer::analyze(*C, {});
  std::vector<FixIt> Fixes;
  std::vector<std::string> Codes;
  for (const Diagnostic &D : C->diags().diagnostics()) {
    Codes.push_back(D.code());
    Fixes.insert(Fixes.end(), D.Fixes.begin(), D.Fixes.end());
  }
  CHECK(Codes == std::vector<std::string>({"A401", "A402"}));
  AppliedFixes Out = applyFixIts(C->sourceMgr(), 1, Fixes);
  CHECK(Out.Applied == 2);
  CHECK(Out.Text == "pod p {\n"
                    "  pea web {\n"
                    "    dir-default /srv read\n"
                    "    path /srv/secret deny\n"
                    "  }\n"
                    "}\n");
}

TEST_CASE("rules of a rule group are not called dead in one pea",
          "[analyzer][dead]") {
  // stdlibs grants what `dir-default / allow` already does: the group's
  // rules are alive in other peas, so nothing is reported for them.
  auto C = test::compilePolicy(R"(pod p {
  pea wide {
    include "stdlibs"
    dir-default / read
  }
}
)");
  CHECK(analyzed(*C, "A402").empty());
  CHECK(analyzed(*C, "A401").empty());
}

TEST_CASE("a redundant repeat on the same path is reported, the first kept",
          "[analyzer][dead]") {
  auto C = test::compilePolicy(R"(pod p {
  pea a {
    path /srv/x read, write
    path /srv/x read
  }
}
)");
  std::vector<Finding> F = analyzed(*C, "A402");
  REQUIRE(F.size() == 1);
  CHECK(F[0].Where.Line == 4);
}

TEST_CASE("a path rule that changes a directory's search access is alive",
          "[analyzer][dead]") {
  // As a directory, /srv/d gets r-x from the dir-default but r-- from the
  // path rule (nothing below grants): the path rule takes `execute` away.
  auto C = test::compilePolicy(R"(pod p {
  pea a {
    dir-default /srv/d read
    path /srv/d read
  }
}
)");
  CHECK(analyzed(*C, "A402").empty());
}

TEST_CASE("disabled checks report nothing", "[analyzer]") {
  CompileOptions Opts;
  Opts.Diagnostics.ByName["write-and-execute"] = std::nullopt;
  Compilation C(Opts);
  REQUIRE(C.compileBuffer("t.pea", "pod p {\n  pea a {\n    dir-default /srv "
                                   "allow\n  }\n}\n"));
  analyzer::analyze(C, {});
  for (const Diagnostic &D : C.diags().diagnostics())
    CHECK(std::string(D.code()) != "A301");
}

TEST_CASE("information flow names every reader of a privilege class",
          "[analyzer][flow]") {
  // r1 and r2 are alike: one is asked, both are named; web2 is like web
  // (no flow between equals).
  auto C = test::compilePolicy(R"(pod p {
  pea web {
    bind tcp/80
    dir-default /srv/up read, write
  }
  pea web2 {
    bind tcp/80
    dir-default /srv/up read, write
  }
  pea r1 {
    dir-default /srv/up read
    path /etc/app.conf read
  }
  pea r2 {
    dir-default /srv/up read
    path /etc/app.conf read
  }
}
)");
  std::vector<Finding> F = analyzed(*C, "A501");
  REQUIRE(F.size() == 2); // one per writer
  CHECK(F[0].D->Message ==
        "network-facing pea 'web' can write '/srv/up', which the more "
        "privileged pea 'r1' can read");
  std::vector<std::string> Notes = noteTexts(*C, *F[0].D);
  REQUIRE(Notes.size() == 3);
  CHECK(llvm::StringRef(Notes[2]).contains("also flows into the more "
                                           "privileged pea 'r2'"));
}

TEST_CASE("findEscalations: the structured result graph and LSP draw",
          "[analyzer][escalation]") {
  auto C = rule10WithWritableWww();
  analyzer::PodAccess Access(C->policy().Pods[0]);
  analyzer::TransitionGraph G = analyzer::firingGraph(Access);
  std::vector<analyzer::Escalation> Found =
      analyzer::findEscalations(Access, G);
  REQUIRE(Found.size() == 1);
  const Pod &P = C->policy().Pods[0];
  CHECK(P.Peas[Found[0].Writer].Name == "apache");
  CHECK(P.Peas[G.edge(Found[0].Edge).Target].Name == "cgi");
  CHECK(Found[0].Where == "the directory '/var/www'");
  CHECK(!Found[0].Gap.Text.empty());
}
