//===- ParserTest.cpp - Parser, AST and diagnostics -----------------------===//
#include "TestUtil.h"
#include "peapod/Path.h"
#include "peapod/AST.h"
#include "peapod/Parser.h"
#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace peapod;
using test::compile;
using test::TempDir;

namespace {

struct LC {
  unsigned Line, Column;
  bool operator==(const LC &) const = default;
};
std::ostream &operator<<(std::ostream &OS, const LC &P) {
  return OS << P.Line << ":" << P.Column;
}

LC at(const Compilation &C, llvm::SMLoc Loc) {
  Position P = C.diags().position(Loc);
  return {P.Line, P.Column};
}

const ast::PeaDecl &onlyPea(const Compilation &C) {
  REQUIRE(C.mainFile() != nullptr);
  REQUIRE(C.mainFile()->Pods.size() == 1);
  REQUIRE(C.mainFile()->Pods[0].Peas.size() >= 1);
  return C.mainFile()->Pods[0].Peas[0];
}

/// Each rule's path; a broken rule (kept as an error node) as "!KEYWORD".
std::vector<std::string> paths(const ast::PeaDecl &P) {
  std::vector<std::string> Out;
  for (const ast::Rule &R : P.Rules)
    Out.push_back(R.Broken ? "!" + std::string(ast::ruleKeyword(R.Kind))
                           : R.Path);
  return Out;
}

} // namespace

TEST_CASE("ruleKeyword names every rule kind", "[parser]") {
  using ast::RuleKind;
  CHECK(std::string(ast::ruleKeyword(RuleKind::Path)) == "path");
  CHECK(std::string(ast::ruleKeyword(RuleKind::DirDefault)) == "dir-default");
  CHECK(std::string(ast::ruleKeyword(RuleKind::Transition)) == "transition");
  CHECK(std::string(ast::ruleKeyword(RuleKind::Outgoing)) == "outgoing");
  CHECK(std::string(ast::ruleKeyword(RuleKind::Bind)) == "bind");
  CHECK(std::string(ast::ruleKeyword(RuleKind::Namespace)) == "namespace");
  CHECK(std::string(ast::ruleKeyword(RuleKind::Include)) == "include");
}

TEST_CASE("every rule form parses to the right AST", "[parser]") {
  auto C = compile("pod mailserver {\n"                          // 1
                   "  pea sendmail {\n"                          // 2
                   "    path /etc/mail/aliases read\n"           // 3
                   "    dir-default /var/spool/mqueue allow\n"   // 4
                   "    transition /usr/bin/procmail procmail\n" // 5
                   "    outgoing allow\n"                        // 6
                   "    bind tcp/25, udp/53 ,tcp/8000-8080\n"    // 7
                   "    namespace global\n"                      // 8
                   "    namespace procmail\n"                    // 9
                   "    path \"/a b/c\" read,write , execute\n"  // 10
                   "    dir-default /tmp deny\n"                 // 11
                   "    bind deny\n"                             // 12
                   "    outgoing tcp/1, udp/65535\n"             // 13
                   "  }\n"                                       // 14
                   "  pea procmail { }\n"                        // 15
                   "}\n");
  REQUIRE(test::summary(*C).empty());
  const ast::File &F = *C->mainFile();
  REQUIRE(F.Pods.size() == 1);
  CHECK(F.BareRules.empty());
  const ast::PodDecl &Pod = F.Pods[0];
  CHECK(Pod.PodName.Text == "mailserver");
  CHECK(at(*C, Pod.PodName.Range.Start) == LC{1, 5});
  CHECK(at(*C, Pod.Range.Start) == LC{1, 1});
  CHECK(at(*C, Pod.Range.End) == LC{16, 2});
  REQUIRE(Pod.Peas.size() == 2);
  CHECK(Pod.Peas[1].PeaName.Text == "procmail");
  CHECK(at(*C, Pod.Peas[1].Range.Start) == LC{15, 3});
  CHECK(at(*C, Pod.Peas[1].Range.End) == LC{15, 19});
  CHECK(Pod.Peas[1].Rules.empty());

  const ast::PeaDecl &Pea = Pod.Peas[0];
  CHECK(Pea.PeaName.Text == "sendmail");
  CHECK(at(*C, Pea.PeaName.Range.Start) == LC{2, 7});
  CHECK(at(*C, Pea.Range.Start) == LC{2, 3});
  CHECK(at(*C, Pea.Range.End) == LC{14, 4});
  const auto &R = Pea.Rules;
  REQUIRE(R.size() == 11);
  using ast::RuleKind;

  CHECK(R[0].Kind == RuleKind::Path);
  CHECK(R[0].Path == "/etc/mail/aliases");
  CHECK(R[0].Access == AccessRead);
  CHECK(at(*C, R[0].Range.Start) == LC{3, 5});
  CHECK(at(*C, R[0].Range.End) == LC{3, 32});
  CHECK(at(*C, R[0].PathRange.Start) == LC{3, 10});
  CHECK(at(*C, R[0].PathRange.End) == LC{3, 27});
  CHECK(R[0].isFileRule());
  CHECK(R[0].grants());

  CHECK(R[1].Kind == RuleKind::DirDefault);
  CHECK(R[1].Path == "/var/spool/mqueue");
  CHECK(R[1].Access == AccessAll);
  CHECK(at(*C, R[1].Range.Start) == LC{4, 5});
  CHECK(at(*C, R[1].PathRange.Start) == LC{4, 17});

  CHECK(R[2].Kind == RuleKind::Transition);
  CHECK(R[2].Path == "/usr/bin/procmail");
  CHECK(R[2].Target.Text == "procmail");
  CHECK(at(*C, R[2].PathRange.Start) == LC{5, 16});
  CHECK(at(*C, R[2].Target.Range.Start) == LC{5, 34});
  CHECK(at(*C, R[2].Target.Range.End) == LC{5, 42});
  CHECK_FALSE(R[2].isFileRule());

  CHECK(R[3].Kind == RuleKind::Outgoing);
  CHECK(R[3].NetAllowAll);
  CHECK_FALSE(R[3].NetDenyAll);
  CHECK(R[3].Ports.empty());
  CHECK(at(*C, R[3].Range.Start) == LC{6, 5});
  CHECK(at(*C, R[3].Range.End) == LC{6, 19});

  CHECK(R[4].Kind == RuleKind::Bind);
  CHECK_FALSE(R[4].NetAllowAll);
  CHECK_FALSE(R[4].NetDenyAll);
  CHECK(R[4].Ports == std::vector<PortRange>{{Protocol::TCP, 25, 25},
                                             {Protocol::UDP, 53, 53},
                                             {Protocol::TCP, 8000, 8080}});
  CHECK(at(*C, R[4].Range.Start) == LC{7, 5});
  CHECK(at(*C, R[4].Range.End) == LC{7, 39});

  CHECK(R[5].Kind == RuleKind::Namespace);
  CHECK(R[5].Target.Text == "global");
  CHECK(at(*C, R[5].Target.Range.Start) == LC{8, 15});
  CHECK(R[6].Kind == RuleKind::Namespace);
  CHECK(R[6].Target.Text == "procmail");

  CHECK(R[7].Kind == RuleKind::Path);
  CHECK(R[7].Path == "/a b/c");
  CHECK(R[7].Access == (AccessRead | AccessWrite | AccessExecute));
  CHECK(at(*C, R[7].PathRange.Start) == LC{10, 10});
  CHECK(at(*C, R[7].PathRange.End) == LC{10, 18});
  CHECK(at(*C, R[7].Range.End) == LC{10, 39});

  CHECK(R[8].Kind == RuleKind::DirDefault);
  CHECK(R[8].Path == "/tmp");
  CHECK(R[8].Access == AccessNone);
  CHECK_FALSE(R[8].grants());

  CHECK(R[9].Kind == RuleKind::Bind);
  CHECK(R[9].NetDenyAll);
  CHECK_FALSE(R[9].NetAllowAll);
  CHECK(R[9].Ports.empty());

  CHECK(R[10].Kind == RuleKind::Outgoing);
  CHECK(R[10].Ports == std::vector<PortRange>{{Protocol::TCP, 1, 1},
                                              {Protocol::UDP, 65535, 65535}});
}

TEST_CASE("access lists give the right masks", "[parser]") {
  struct Case {
    const char *Text;
    uint8_t Mask;
  } Cases[] = {
      {"read", AccessRead},
      {"write", AccessWrite},
      {"execute", AccessExecute},
      {"read,write", AccessRead | AccessWrite},
      {"read , execute", AccessRead | AccessExecute},
      {"write,\n   execute", AccessWrite | AccessExecute},
      {"execute,read,write", AccessAll},
      {"allow", AccessAll},
      {"deny", AccessNone},
  };
  for (const Case &K : Cases) {
    INFO(K.Text);
    auto C = compile(std::string("pod p { pea a { path /x ") + K.Text +
                     "\n dir-default /d " + K.Text + " } }");
    REQUIRE(test::summary(*C).empty());
    const ast::PeaDecl &P = onlyPea(*C);
    REQUIRE(P.Rules.size() == 2);
    CHECK(int(P.Rules[0].Access) == int(K.Mask));
    CHECK(int(P.Rules[1].Access) == int(K.Mask));
  }
}

TEST_CASE("include rules keep the group name and its range", "[parser]") {
  TempDir T;
  T.write("g.rules", "path /g read\n");
  auto C = compile("pod p {\n pea a {\n  include \"g\"\n } }",
                   T.path("x.pea"));
  REQUIRE(test::summary(*C).empty());
  const ast::Rule &R = onlyPea(*C).Rules.at(0);
  CHECK(R.Kind == ast::RuleKind::Include);
  CHECK(R.Target.Text == "g");
  CHECK(at(*C, R.Range.Start) == LC{3, 3});
  CHECK(at(*C, R.Target.Range.Start) == LC{3, 11});
  CHECK(at(*C, R.Target.Range.End) == LC{3, 14});
}

TEST_CASE("keywords are usable as pod and pea names", "[parser]") {
  auto C = compile("pod pod { pea read { transition /x path namespace include }\n"
                   " pea path { namespace dir-default } pea include { }\n"
                   " pea dir-default { } pea a.b-c_9 { transition /y a.b-c_9 }\n"
                   " pea deny {} pea allow {} pea transition {} pea bind {}\n"
                   " pea outgoing {} pea namespace {} pea write {} pea execute {}\n"
                   " pea pea {} }");
  // Only the self-transition warning: everything else is well formed.
  CHECK(test::codes(*C) == std::vector<std::string>{"W309"});
  REQUIRE(C->mainFile()->Pods.size() == 1);
  const ast::PodDecl &Pod = C->mainFile()->Pods[0];
  CHECK(Pod.PodName.Text == "pod");
  std::vector<std::string> Names;
  for (const ast::PeaDecl &P : Pod.Peas)
    Names.push_back(P.PeaName.Text);
  CHECK(Names == std::vector<std::string>{
                     "read", "path", "include", "dir-default", "a.b-c_9",
                     "deny", "allow", "transition", "bind", "outgoing",
                     "namespace", "write", "execute", "pea"});
  const ast::PeaDecl &Read = Pod.Peas[0];
  REQUIRE(Read.Rules.size() == 2);
  CHECK(Read.Rules[0].Target.Text == "path");
  CHECK(Read.Rules[1].Kind == ast::RuleKind::Namespace);
  CHECK(Read.Rules[1].Target.Text == "include");
  CHECK(Pod.Peas[1].Rules.at(0).Target.Text == "dir-default");
  CHECK(C->policy().Pods.at(0).Peas.at(0).Transitions.at(0).TargetPea == 1);
}

TEST_CASE("comments, whitespace and newlines are insignificant", "[parser]") {
  const char *Compact = "pod p{pea a{path /x read,write dir-default /y deny "
                        "bind tcp/25 transition /z b}pea b{}}";
  const char *Spread = "# a policy\n"
                       "pod # the pod\n"
                       "  p\n"
                       "{ # pod p { pea fake { path /fake allow } }\n"
                       "\tpea\ta\n"
                       "  {\r\n"
                       "    path\n"
                       "      /x# a comment right after a path\n"
                       "      read\n"
                       "      ,\n"
                       "      write   # trailing\n"
                       "\f   dir-default /y\n  deny\n"
                       "    bind\n tcp/25\n"
                       "    transition\n/z\nb\n"
                       "  }\n"
                       "  pea b {\n}\n"
                       "}\n"
                       "# the end, without a newline";
  for (const char *Text : {Compact, Spread}) {
    auto C = compile(Text);
    REQUIRE(test::summary(*C).empty());
    REQUIRE(C->mainFile()->Pods.size() == 1);
    const ast::PodDecl &Pod = C->mainFile()->Pods[0];
    CHECK(Pod.PodName.Text == "p");
    REQUIRE(Pod.Peas.size() == 2);
    const ast::PeaDecl &A = Pod.Peas[0];
    CHECK(A.PeaName.Text == "a");
    REQUIRE(A.Rules.size() == 4);
    CHECK(paths(A) == std::vector<std::string>{"/x", "/y", "", "/z"});
    CHECK(A.Rules[0].Access == (AccessRead | AccessWrite));
    CHECK(A.Rules[1].Access == AccessNone);
    CHECK(A.Rules[2].Ports ==
          std::vector<PortRange>{{Protocol::TCP, 25, 25}});
    CHECK(A.Rules[3].Target.Text == "b");
  }
  // Positions follow the real layout.
  auto C = compile(Spread);
  const ast::PeaDecl &A = C->mainFile()->Pods.at(0).Peas.at(0);
  CHECK(at(*C, A.Rules[0].Range.Start) == LC{7, 5});
  CHECK(at(*C, A.Rules[0].PathRange.Start) == LC{8, 7});
  CHECK(at(*C, A.Rules[0].Range.End) == LC{11, 12});
  CHECK(at(*C, A.Rules[3].Target.Range.Start) == LC{18, 1});
}

TEST_CASE("quoted paths take escapes", "[parser]") {
  auto C = compile("pod p { pea a {\n"
                   "  path \"/a \\\"q\\\" b\" read\n"
                   "  path \"/back\\\\slash\" read\n"
                   "  path \"/x, {y} #z\" read\n"
                   "  path \"//s p//\" read\n"
                   "} }");
  REQUIRE(test::summary(*C).empty());
  CHECK(paths(onlyPea(*C)) ==
        std::vector<std::string>{"/a \"q\" b", "/back\\slash", "/x, {y} #z",
                                 "/s p"});
}

TEST_CASE("a file with N separate syntax errors reports exactly N and keeps "
          "the valid rules",
          "[parser][recovery]") {
  auto C = compile("pod p {\n"                    // 1
                   "  pea a {\n"                  // 2
                   "    path /ok1 read\n"         // 3
                   "    path /bad1 red\n"         // 4: E001
                   "    path /ok2 write\n"        // 5
                   "  }\n"                        // 6
                   "  pea b {\n"                  // 7
                   "    dir-default /bad2 @\n"    // 8: E003
                   "    path /ok3 execute\n"      // 9
                   "    bind tcp/25 udp/53\n"     // 10: E001
                   "    outgoing allow\n"         // 11
                   "  }\n"                        // 12
                   "  pea c {\n"                  // 13
                   "    namespace {\n"            // 14: E001
                   "  }\n"                        // 15
                   "  pea d { path /ok4 read }\n" // 16
                   "  pea e {\n"                  // 17
                   "    path /ok5 read write\n"   // 18: E001
                   "    include stdlibs\n"        // 19: E001
                   "    path /ok6 , read\n"       // 20: E001
                   "    path /ok7 read\n"         // 21
                   "  }\n"                        // 22
                   "}\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E001 4:16 unexpected 'red'; expected 'read', 'write', 'execute', "
            "'allow' or 'deny'",
            "E003 8:23 invalid character '@'",
            "E001 10:17 unexpected 'udp/53'; expected 'path', 'dir-default', "
            "'transition', 'outgoing', 'bind', 'namespace', 'include' or '}'",
            "E001 14:15 unexpected '{'; expected a name",
            "E001 18:20 unexpected 'write'; expected 'path', 'dir-default', "
            "'transition', 'outgoing', 'bind', 'namespace', 'include' or '}'",
            "E001 19:13 unexpected 'stdlibs'; expected a quoted string",
            "E001 20:15 unexpected ','; expected 'read', 'write', 'execute', "
            "'allow' or 'deny'",
        });
  CHECK(C->diags().errorCount() == 7);
  const ast::PodDecl &Pod = C->mainFile()->Pods.at(0);
  std::map<std::string, std::vector<std::string>> Got;
  for (const ast::PeaDecl &P : Pod.Peas)
    for (const ast::Rule &R : P.Rules)
      Got[P.PeaName.Text].push_back((R.Broken ? "!" : "") +
                                    std::string(ast::ruleKeyword(R.Kind)) +
                                    (R.Broken ? "" : " " + R.Path));
  CHECK(Got == std::map<std::string, std::vector<std::string>>{
                   // A rule with a syntax error is kept as a broken rule:
                   // its kind and range, not what it would say.
                   {"a", {"path /ok1", "!path", "path /ok2"}},
                   {"b", {"!dir-default", "path /ok3", "bind ", "outgoing "}},
                   {"c", {"!namespace"}},
                   {"d", {"path /ok4"}},
                   // `path /ok6 , read` was repaired by deleting the comma:
                   // a guess, so it is kept only as broken.
                   {"e", {"path /ok5", "!include", "!path", "path /ok7"}},
               });
  std::vector<std::string> Peas;
  for (const ast::PeaDecl &P : Pod.Peas)
    Peas.push_back(P.PeaName.Text);
  CHECK(Peas == std::vector<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("a missing transition target before '}' is one error and does not "
          "swallow the next pea",
          "[parser][recovery]") {
  auto C = compile("pod p {\n"
                   "  pea a {\n"
                   "    transition /x\n"
                   "  }\n"
                   "  pea b { path /b read }\n"
                   "}\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{"E001 4:3 expected a name before '}'"});
  const ast::PodDecl &Pod = C->mainFile()->Pods.at(0);
  REQUIRE(Pod.Peas.size() == 2);
  CHECK(Pod.Peas[0].PeaName.Text == "a");
  CHECK(paths(Pod.Peas[0]) == std::vector<std::string>{"!transition"});
  CHECK(Pod.Peas[1].PeaName.Text == "b");
  CHECK(paths(Pod.Peas[1]) == std::vector<std::string>{"/b"});
}

TEST_CASE("a rule directly in a pod is one E306, and the pod is intact",
          "[parser][recovery]") {
  // The first rule of a pod once released the pod's name tokens before they
  // were read (found by fuzz_parser under ASan).
  auto C = compile("pod web {\n"
                   "  path /srv read\n"
                   "  pea apache { path /var/www read }\n"
                   "  bind tcp/80\n"
                   "}\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E306 2:3 rule outside a pea: in a policy, rules belong inside a pea",
            "E306 4:3 rule outside a pea: in a policy, rules belong inside a pea"});
  const ast::PodDecl &Pod = C->mainFile()->Pods.at(0);
  CHECK(Pod.PodName.Text == "web");
  REQUIRE(Pod.Peas.size() == 1);
  CHECK(Pod.Peas[0].PeaName.Text == "apache");
  CHECK(paths(Pod.Peas[0]) == std::vector<std::string>{"/var/www"});
}

TEST_CASE("an error's consequences in the same rule are not reported",
          "[parser][recovery]") {
  // The unterminated string swallows the access list; recovery invents the
  // missing path before 'relative' and leaves 'b' over. One error each.
  auto C = compile("pod p {\n"
                   "  pea a {\n"
                   "    path \"/etc/mail read\n"
                   "  }\n"
                   "  pea b {\n"
                   "    transition relative b\n"
                   "    path /x read\n"
                   "  }\n"
                   "}\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E002 3:10 missing terminating '\"' character",
            "E101 6:16 path 'relative' is not absolute"});
  const ast::PodDecl &Pod = C->mainFile()->Pods.at(0);
  REQUIRE(Pod.Peas.size() == 2);
  CHECK(paths(Pod.Peas[0]) == std::vector<std::string>{"!path"});
  CHECK(paths(Pod.Peas[1]) == std::vector<std::string>{"!transition", "/x"});
}

TEST_CASE("a missing closing brace is reported at the end of file",
          "[parser][recovery]") {
  auto C = compile("pod p {\n  pea a { path /q read }\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E001 3:1 unexpected end of file; expected 'pea' or '}'"});
  CHECK(paths(onlyPea(*C)) == std::vector<std::string>{"/q"});
}

TEST_CASE("rules that fail their checks are kept as broken rules",
          "[parser][recovery]") {
  auto C = compile("pod p { pea a {\n"
                   "  path etc/passwd read\n"
                   "  path /ok1 read\n"
                   "  path /a/../b read\n"
                   "  path /ok2 read\n"
                   "  path /q allow, read\n"
                   "  bind tcp/0\n"
                   "  bind foo/1\n"
                   "  outgoing tcp/9-3\n"
                   "  path \"/\\q\" read\n"
                   "  path /ok3 read\n"
                   "} }");
  CHECK(test::codes(*C) == std::vector<std::string>{"E101", "E102", "E201",
                                                    "E203", "E202", "E204",
                                                    "E004"});
  CHECK(paths(onlyPea(*C)) ==
        std::vector<std::string>{"!path", "/ok1", "!path", "/ok2", "!path",
                                 "!bind", "!bind", "!outgoing", "!path",
                                 "/ok3"});
  // Broken rules are never lowered: the pea holds the good ones only.
  const Pea &P = C->policy().Pods.at(0).Peas.at(0);
  REQUIRE(P.FileRules.size() == 3);
  CHECK(P.Bind.Ranges.empty());
  CHECK(P.Outgoing.Ranges.empty());
}

namespace {

/// One row of the diagnostic catalogue: a source, the expected diagnostic.
struct Expect {
  std::string Code;
  std::string Source;
  unsigned Line, Column;
  std::string Message;
};

void checkFirst(const Compilation &C, const Expect &E) {
  INFO("source: " << E.Source);
  std::vector<test::Diag> All = test::diags(C);
  auto It = std::find_if(All.begin(), All.end(), [&](const test::Diag &D) {
    return D.Code == E.Code;
  });
  INFO("diagnostics: " << ::Catch::Detail::stringify(test::summary(C)));
  REQUIRE(It != All.end());
  CHECK(It->Line == E.Line);
  CHECK(It->Column == E.Column);
  CHECK(It->Message == E.Message);
}

} // namespace

TEST_CASE("every error and warning the compiler emits is covered",
          "[parser][diagnostics]") {
  const std::string Pre = "pod p { pea a { ";
  std::vector<Expect> Table = {
      {"E001", Pre + "path /x red } }", 1, 25,
       "unexpected 'red'; expected 'read', 'write', 'execute', 'allow' or "
       "'deny'"},
      {"E002", Pre + "path \"/x read } }\npod q { }", 1, 22,
       "missing terminating '\"' character"},
      {"E003", Pre + "path /x read @ } }", 1, 30, "invalid character '@'"},
      {"E004", Pre + "path \"/x\\t\" read } }", 1, 25,
       "unknown escape sequence '\\t' in string"},
      {"E101", Pre + "path etc/passwd read } }", 1, 22,
       "path 'etc/passwd' is not absolute"},
      {"E101", Pre + "path \"etc\" read } }", 1, 22,
       "path 'etc' is not absolute"},
      {"E101", Pre + "transition bin/x a } }", 1, 28,
       "path 'bin/x' is not absolute"},
      {"E102", Pre + "path /a/../b read } }", 1, 22,
       "path '/a/../b' contains a '..' component"},
      {"E102", Pre + "dir-default /a/. read } }", 1, 29,
       "path '/a/.' contains a '.' component"},
      {"E103", Pre + std::string("path \"/a\0b\" read } }", 21), 1, 22,
       "path contains a NUL character"},
      {"E103", Pre + std::string("path /a\0b read } }", 19), 1, 22,
       "path contains a NUL character"},
      {"E201", Pre + "path /x read, allow } }", 1, 31,
       "'allow' cannot be combined with other access values"},
      {"E201", Pre + "dir-default /x deny,write } }", 1, 32,
       "'deny' cannot be combined with other access values"},
      {"E201", Pre + "bind tcp/25, deny } }", 1, 30,
       "'deny' cannot be combined with other access values"},
      {"E202", Pre + "bind foo/25 } }", 1, 22,
       "unknown protocol 'foo' (expected 'tcp' or 'udp')"},
      {"E203", Pre + "bind tcp/70000 } }", 1, 26,
       "port 70000 is out of range (1-65535)"},
      {"E203", Pre + "outgoing udp/0 } }", 1, 30,
       "port 0 is out of range (1-65535)"},
      {"E203", Pre + "outgoing tcp/1-65536 } }", 1, 32,
       "port 65536 is out of range (1-65535)"},
      {"E204", Pre + "outgoing udp/9-3 } }", 1, 26,
       "port range 9-3 is empty"},
      {"W205", Pre + "path /x read, read } }", 1, 31,
       "'read' is listed more than once"},
      {"W205", Pre + "bind tcp/25, tcp/25 } }", 1, 30,
       "'tcp/25' is listed more than once"},
      {"E301", Pre + "transition /x b } }", 1, 31,
       "unknown pea 'b' in pod 'p'"},
      {"E301", Pre + "namespace zz } }", 1, 27, "unknown pea 'zz' in pod 'p'"},
      {"E302", "pod p { pea a { } pea a { } }", 1, 23,
       "pea 'a' is already defined in pod 'p'"},
      {"E303", "pod p { }\npod p { }", 2, 5, "pod 'p' is already defined"},
      {"E304", "pod p { pea global { } }", 1, 13,
       "'global' is reserved and cannot name a pea"},
      {"E304", "pod global { pea a { } }", 1, 5,
       "'global' is reserved and cannot name a pod"},
      {"E305",
       Pre + "transition /x b transition /x/ c } pea b { } pea c { } }", 1,
       48, "transition on '/x' already targets pea 'b'"},
      {"E306", "path /x read", 1, 1,
       "rule outside a pea: in a policy, rules belong inside a pea"},
      {"W308", "", 1, 1, "policy defines no pods"},
      {"W308", "# nothing but a comment\n", 1, 1, "policy defines no pods"},
      {"W309", Pre + "transition /x a } }", 1, 31,
       "transition into the pea it is in has no effect"},
      {"W310", Pre + "namespace a } }", 1, 27,
       "a pea can always touch its own processes; 'namespace a' has no "
       "effect"},
      {"E403", Pre + "include \"\" } }", 1, 25, "invalid rule group name ''"},
      {"E403", Pre + "include \"../x\" } }", 1, 25,
       "invalid rule group name '../x'"},
  };

  std::set<std::string> Covered;
  for (const Expect &E : Table) {
    auto C = compile(E.Source);
    checkFirst(*C, E);
    Covered.insert(E.Code);
  }

  // Those that need files on disk.
  TempDir T;
  std::string Std = T.dir("std");
  {
    T.write("podgroup.rules", "path /x read\npod q { pea r { } }\n");
    T.write("cyc.rules", "path /x read\ninclude \"cyc\"\n");
    CompileOptions O;
    O.StdRulesDir = Std;
    auto C = compile("pod p { pea a {\n include \"podgroup\"\n include \"cyc\"\n"
                     " include \"nope\"\n} }",
                     T.path("main.pea"), O);
    for (const Expect &E : std::vector<Expect>{
             {"E307", "", 2, 1, "a rule group holds bare rules, not pods"},
             {"E402", "", 2, 9, "include cycle: cyc.rules -> cyc.rules"},
             {"E401", "", 4, 10, "rule group 'nope' not found"},
         }) {
      checkFirst(*C, E);
      Covered.insert(E.Code);
    }
    std::vector<test::Diag> All = test::diags(*C);
    for (const test::Diag &D : All) {
      if (D.Code == "E307")
        CHECK(D.File == T.path("podgroup.rules"));
      if (D.Code == "E402")
        CHECK(D.File == T.path("cyc.rules"));
      if (D.Code == "E401") {
        CHECK(D.File == T.path("main.pea"));
        REQUIRE(D.Notes.size() >= 1);
        CHECK(D.Notes[0].Code == "N003");
        CHECK(D.Notes[0].Message ==
              "searched: " + T.path("") .substr(0, T.path("").size() - 1) +
                  ", " + Std);
      }
    }
  }
  {
    // A group name that is a directory, not a file (E404), is said to be
    // one: not "not found", and no other group is picked instead.
    T.dir("sub.rules");
    CompileOptions O;
    O.StdRulesDir = Std;
    auto C = compile("pod p { pea a {\n include \"sub\"\n} }", T.path("dir.pea"),
                     O);
    checkFirst(*C, {"E404", "", 2, 10,
                    "rule group 'sub' is a directory, not a file: '" +
                        T.path("sub.rules") + "'"});
    CHECK(test::codes(*C) == std::vector<std::string>{"E404"});
    Covered.insert("E404");
  }
  {
    std::string Deep;
    for (unsigned I = 0; I < MaxPathDepth + 1; ++I)
      Deep += "/a";
    auto C = compile(Pre + "path " + Deep + " read\npath /ok read } }");
    checkFirst(*C, {"E104", "", 1, 22,
                    "path has 2049 components; a path has at most 2048 "
                    "(PATH_MAX allows no more)"});
    CHECK(test::codes(*C) == std::vector<std::string>{"E104"});
    // Exactly the most is fine.
    auto Ok = compile(Pre + "path " + Deep.substr(2) + " read } }");
    CHECK(test::codes(*Ok).empty());
    Covered.insert("E104");
  }
  {
    Compilation C;
    CHECK_FALSE(C.compileFile(T.path("does-not-exist.pea")));
    std::vector<test::Diag> All = test::diags(C);
    REQUIRE(All.size() == 1);
    CHECK(All[0].Code == "E901");
    CHECK(All[0].Line == 0); // no location
    CHECK(All[0].Message == "cannot read '" + T.path("does-not-exist.pea") +
                                "': No such file or directory");
    CHECK(C.diags().hasFatal());
    Covered.insert("E901");
  }
  {
    // An image is told from a source by its magic, whatever its name.
    std::string Image =
        T.write("policy.pea", std::string("PEAPODIM\0\0\0\0", 12));
    Compilation C;
    CHECK_FALSE(C.compileFile(Image));
    std::vector<test::Diag> All = test::diags(C);
    REQUIRE(All.size() == 1);
    CHECK(All[0].Code == "E903");
    CHECK(All[0].Message ==
          "'" + Image + "' is a compiled image, not a policy source");
    CHECK(C.diags().hasFatal());
    Covered.insert("E903");
  }

  {
    CompileOptions O;
    O.Diagnostics.ErrorLimit = 3;
    // One error per pea: the next error in the same pea is a knock-on.
    auto C = compile("pod p {\npea a { @ }\npea b { @ }\npea c { @ }\n"
                     "pea d { @ }\npea e { @ }\n}",
                     "limit.pea", O);
    std::vector<std::string> Codes = test::codes(*C);
    CHECK(Codes == std::vector<std::string>{"E003", "E003", "E003", "E902"});
    checkFirst(*C, {"E902", "", 0, 0,
                    "too many errors emitted, stopping now (the limit is 3; "
                    "--error-limit=0 shows all)"});
    CHECK(C->diags().limitReached());
    Covered.insert("E902");
  }

  std::set<std::string> Emittable;
  for (const DiagInfo &I : allDiagInfos())
    if (I.Sev != Severity::Note)
      Emittable.insert(I.Code);
  CHECK(Covered == Emittable);
}

TEST_CASE("duplicate pod and pea notes point at the first definition",
          "[parser][diagnostics]") {
  auto C = compile("pod p {\n  pea a { }\n  pea a { }\n}\npod p { }\n");
  std::vector<test::Diag> All = test::diags(*C);
  REQUIRE(All.size() == 2);
  CHECK(All[0].Code == "E302");
  REQUIRE(All[0].Notes.size() == 1);
  CHECK(All[0].Notes[0].Code == "N002");
  CHECK(All[0].Notes[0].Line == 2);
  CHECK(All[0].Notes[0].Column == 7);
  CHECK(All[0].Notes[0].Message == "previous definition is here");
  CHECK(All[1].Code == "E303");
  CHECK(All[1].Line == 5);
  REQUIRE(All[1].Notes.size() == 1);
  CHECK(All[1].Notes[0].Line == 1);
  CHECK(All[1].Notes[0].Column == 5);
}

TEST_CASE("rendered diagnostics: location, code, source line, caret",
          "[parser][diagnostics]") {
  auto C = compile("pod mailserver {\n"
                   "  pea sendmail {\n"
                   "    transition /usr/bin/procmail procmal\n"
                   "  }\n"
                   "  pea procmail {\n"
                   "  }\n"
                   "}\n",
                   "mail.pea");
  std::string Out = test::render(*C);
  CHECK(Out ==
        "mail.pea:3:34: error: unknown pea 'procmal' in pod 'mailserver' "
        "[E301]\n"
        "    transition /usr/bin/procmail procmal\n"
        "                                 ^~~~~~~\n"
        "mail.pea:3:34: note: did you mean 'procmail'?\n"
        "    transition /usr/bin/procmail procmal\n"
        "                                 ^~~~~~~\n");
  // Colours off means no escape sequences at all.
  CHECK(Out.find('\x1b') == std::string::npos);
}

TEST_CASE("rendered warnings say warning", "[parser][diagnostics]") {
  auto C = compile("pod p { pea a { path /x read,read } }", "w.pea");
  CHECK(test::render(*C) ==
        "w.pea:1:30: warning: 'read' is listed more than once [W205]\n"
        "pod p { pea a { path /x read,read } }\n"
        "                             ^~~~\n");
}

TEST_CASE("did-you-mean appears within edit distance 2 only",
          "[parser][diagnostics]") {
  struct Case {
    const char *Typo;
    const char *Suggestion; // "" for none
  } Cases[] = {
      {"procmal", "procmail"},   // 1 deletion
      {"prcmal", "procmail"},    // 2 deletions
      {"procmial", "procmail"},  // 2 substitutions (a transposition)
      {"prcml", ""},             // 3
      {"procmailxyz", ""},       // 3 insertions
      {"xyz", ""},
  };
  for (const Case &K : Cases) {
    INFO(K.Typo);
    auto C = compile(std::string("pod mailserver {\n pea sendmail {\n"
                                 "  transition /usr/bin/procmail ") +
                     K.Typo + "\n }\n pea procmail { }\n pea other { } }");
    std::vector<test::Diag> All = test::diags(*C);
    REQUIRE(All.size() == 1);
    CHECK(All[0].Code == "E301");
    CHECK(All[0].Message == std::string("unknown pea '") + K.Typo +
                                "' in pod 'mailserver'");
    std::string Render = test::render(*C);
    if (*K.Suggestion) {
      REQUIRE(All[0].Notes.size() == 1);
      CHECK(All[0].Notes[0].Code == "N001");
      CHECK(All[0].Notes[0].Message ==
            std::string("did you mean '") + K.Suggestion + "'?");
      CHECK(Render.find("note: did you mean") != std::string::npos);
    } else {
      CHECK(All[0].Notes.empty());
      CHECK(Render.find("did you mean") == std::string::npos);
    }
  }
  // The pea holding the rule is never suggested, however close.
  {
    auto C = compile("pod p {\n pea test1 { namespace test2 }\n pea test { } }");
    std::vector<test::Diag> All = test::diags(*C);
    REQUIRE(All.size() == 1);
    REQUIRE(All[0].Notes.size() == 1);
    CHECK(All[0].Notes[0].Message == "did you mean 'test'?");
    auto D = compile("pod p { pea sendmail { transition /x sendmai } }");
    REQUIRE(test::diags(*D).size() == 1);
    CHECK(test::diags(*D)[0].Notes.empty());
  }
  CHECK(closestName("procmal", {"sendmail", "procmail"}) == "procmail");
  CHECK(closestName("prcml", {"sendmail", "procmail"}) == "");
  CHECK(closestName("same", {"same"}) == "");
  CHECK(closestName("ab", {"abcd", "abc"}) == "abc");
}

TEST_CASE("rendered errors in an included rule group show the include chain",
          "[parser][diagnostics]") {
  TempDir T;
  T.write("outer.rules", "path /o read\ninclude \"inner\"\n");
  T.write("inner.rules", "path /i read\ntransition /usr/bin/x nosuch\n");
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  std::string Main = T.write("m.pea", "pod p {\n  pea a {\n    include \"outer\"\n  }\n}\n");
  Compilation C(O);
  CHECK_FALSE(C.compileFile(Main));
  CHECK(test::render(C) ==
        "Included from " + Main + ":3:\n" +
        "Included from " + T.path("outer.rules") + ":2:\n" +
        T.path("inner.rules") +
        ":2:23: error: unknown pea 'nosuch' in pod 'p' [E301]\n"
        "transition /usr/bin/x nosuch\n"
        "                      ^~~~~~\n");
}

TEST_CASE("a lexer error after a complete rule does not drop the rule",
          "[parser][recovery]") {
  // The parser looks one token past `read` for a comma; the unterminated
  // string it finds belongs to no rule of its own.
  auto C = compile("pod p { pea a {\npath /a read \"x\n} }");
  CHECK(test::codes(*C) == std::vector<std::string>{"E002"});
  CHECK(paths(onlyPea(*C)).at(0) == "/a");
}

TEST_CASE("a line break inside quotes is one error", "[parser][recovery]") {
  // `path "/etc/x<CR>" read`: CR is a line end, which splits the string.
  auto C = compile("pod p { pea a {\n  path \"/etc/x\r\" read\n  path /ok read\n} }");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{"E002 2:8 missing terminating '\"' character"});
  CHECK(paths(onlyPea(*C)) == std::vector<std::string>{"!path", "/ok"});
}

TEST_CASE("a UTF-8 byte order mark is accepted", "[parser]") {
  auto C = compile("\xEF\xBB\xBFpod p { pea a { path /x read } }");
  CHECK(test::codes(*C).empty());
  CHECK(paths(onlyPea(*C)) == std::vector<std::string>{"/x"});
  // Elsewhere it is an invalid character, shown by its bytes.
  auto D = compile("pod p { pea a { \xEF\xBB\xBF } }");
  CHECK(test::summary(*D) ==
        std::vector<std::string>{"E003 1:17 invalid character '\xEF\xBB\xBF'"});
}

TEST_CASE("a NUL outside a path is an invalid character shown as \\x00",
          "[parser]") {
  auto C = compile(std::string("pod p { pea a { \0 } }", 21));
  REQUIRE(test::codes(*C) == std::vector<std::string>{"E003"});
  CHECK(test::render(*C).find("invalid character '\\x00'") != std::string::npos);
}

TEST_CASE("comments are kept in the tree with their ranges", "[parser]") {
  std::string Text = "# head\npod p { # pod\n  pea a { path /x read # tail\n} }\n#end";
  auto C = compile(Text);
  const ast::File &F = *C->mainFile();
  std::vector<std::string> Got;
  for (llvm::SMRange R : F.Comments)
    Got.emplace_back(R.Start.getPointer(), R.End.getPointer());
  CHECK(Got == std::vector<std::string>{"# head", "# pod", "# tail", "#end"});
}

TEST_CASE("every access word and port has its range", "[parser]") {
  std::string Text = "pod p { pea a {\n  path /x read , write\n  bind tcp/25,udp/1-9\n  outgoing allow\n} }";
  auto C = compile(Text);
  const ast::PeaDecl &P = onlyPea(*C);
  auto Words = [](const ast::Rule &R) {
    std::vector<std::string> W;
    for (llvm::SMRange X : valueRanges(R))
      W.emplace_back(X.Start.getPointer(), X.End.getPointer());
    return W;
  };
  REQUIRE(P.Rules.size() == 3);
  CHECK(Words(P.Rules[0]) == std::vector<std::string>{"read", "write"});
  CHECK(Words(P.Rules[1]) == std::vector<std::string>{"tcp/25", "udp/1-9"});
  CHECK(P.Rules[1].Ports.size() == 2);
  CHECK(Words(P.Rules[2]) == std::vector<std::string>{"allow"});
}
