//===- SemanticsTest.cpp - The reference evaluator against semantics 1-10 -===//
#include "TestUtil.h"
#include "peapod/Evaluator.h"
#include <catch2/catch.hpp>

using namespace peapod;
using test::TempDir;

namespace {

/// A compiled policy and its evaluator.
struct Policy_ {
  std::unique_ptr<Compilation> C;
  std::unique_ptr<ReferenceEvaluator> E;

  explicit Policy_(std::unique_ptr<Compilation> Comp) : C(std::move(Comp)) {
    E = std::make_unique<ReferenceEvaluator>(C->policy());
  }
  PeaHandle pea(const std::string &Pod, const std::string &Pea) const {
    std::optional<PeaHandle> H = E->findPea(Pod, Pea);
    REQUIRE(H);
    return *H;
  }
};

Policy_ clean(const std::string &Text, const std::string &Name = "test.pea",
              CompileOptions O = {}) {
  Policy_ P(test::compile(Text, Name, std::move(O)));
  INFO(test::render(*P.C));
  REQUIRE(P.C->diags().errorCount() == 0);
  return P;
}

/// "rwx kind path [file:line:col]" for compact, exact comparisons.
std::string show(const PathAnswer &A) {
  std::string S = accessString(A.Access) + " " +
                  decisionKindName(A.Why.Kind) + " " + A.Why.RulePath;
  if (A.Why.Loc)
    S += " " + A.Why.Loc->File + ":" + std::to_string(A.Why.Loc->Line) + ":" +
         std::to_string(A.Why.Loc->Column);
  return S;
}

std::string file(const Policy_ &P, PeaHandle H, llvm::StringRef Path) {
  return show(P.E->access(H, Path, /*IsDirectory=*/false));
}
std::string dir(const Policy_ &P, PeaHandle H, llvm::StringRef Path) {
  return show(P.E->access(H, Path, /*IsDirectory=*/true));
}

/// "allowed -> PEA via PATH@line" / "denied (stays PEA)".
std::string exec(const Policy_ &P, PeaHandle H, llvm::StringRef Program) {
  ExecAnswer A = P.E->exec(H, Program);
  if (!A.Allowed) {
    CHECK_FALSE(A.Transition);
    CHECK((A.Access.Access & AccessExecute) == 0);
    return "denied (stays " + A.PeaAfter + ")";
  }
  CHECK((A.Access.Access & AccessExecute) != 0);
  if (!A.Transition)
    return "allowed (stays " + A.PeaAfter + ")";
  CHECK(A.Transition->TargetPea == A.PeaAfter);
  REQUIRE(A.Transition->Loc);
  return "allowed -> " + A.PeaAfter + " via " + A.Transition->RulePath + "@" +
         std::to_string(A.Transition->Loc->Line);
}

} // namespace

TEST_CASE("Rule 3: dir-default deny with a path allow below", "[semantics]") {
  Policy_ P = clean("pod fileLISTER {\n"        // 1
                    "  pea onlyLs {\n"          // 2
                    "    dir-default /bin    deny\n" // 3
                    "    path /bin/ls       allow\n" // 4
                    "  }\n"
                    "}\n",
                    "/some/where/rule03.pea");
  PeaHandle H = P.pea("fileLISTER", "onlyLs");
  CHECK(file(P, H, "/bin/ls") == "rwx path /bin/ls rule03.pea:4:5");
  CHECK(file(P, H, "/bin/cat") == "--- dir-default /bin rule03.pea:3:5");
  CHECK(dir(P, H, "/bin") == "--x implicit /bin/ls rule03.pea:4:5");
  CHECK(file(P, H, "/bin") == "--- dir-default /bin rule03.pea:3:5");
  CHECK(dir(P, H, "/") == "--x implicit /bin/ls rule03.pea:4:5");
  CHECK(file(P, H, "/etc/passwd") == "--- default /");
  CHECK(dir(P, H, "/etc") == "--- default /");
  CHECK(dir(P, H, "/bin/ls") == "rwx path /bin/ls rule03.pea:4:5");
  CHECK(file(P, H, "/bin/lsx") == "--- dir-default /bin rule03.pea:3:5");
  CHECK(exec(P, H, "/bin/ls") == "allowed (stays onlyLs)");
  CHECK(exec(P, H, "/bin/cat") == "denied (stays onlyLs)");
  // Default answers carry no location.
  CHECK_FALSE(P.E->access(H, "/etc/passwd", false).Why.Loc);
}

TEST_CASE("1. a path deny on X or an ancestor dominates", "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea p {\n"
                    "    dir-default /srv allow\n"            // 3
                    "    path /srv/secret deny\n"             // 4
                    "    path /srv/secret/public.txt read\n"  // 5
                    "    path /a/b deny\n"                    // 6
                    "    path /a deny\n"                      // 7
                    "    dir-default /a/b/c allow\n"          // 8
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("demo", "p");
  CHECK(file(P, H, "/srv/secret/public.txt") == "--- path /srv/secret test.pea:4:5");
  CHECK(dir(P, H, "/srv/secret") == "--- path /srv/secret test.pea:4:5");
  CHECK(file(P, H, "/srv/secret") == "--- path /srv/secret test.pea:4:5");
  CHECK(dir(P, H, "/srv/secret/sub") == "--- path /srv/secret test.pea:4:5");
  CHECK(file(P, H, "/srv/other.txt") == "rwx dir-default /srv test.pea:3:5");
  CHECK(file(P, H, "/srv/secretx") == "rwx dir-default /srv test.pea:3:5");
  CHECK(dir(P, H, "/srv") == "rwx dir-default /srv test.pea:3:5");
  // Several denies above: the one nearest the root is named.
  CHECK(file(P, H, "/a/b/c/d") == "--- path /a test.pea:7:5");
  CHECK(dir(P, H, "/a/b") == "--- path /a test.pea:7:5");
  CHECK(dir(P, H, "/a") == "--- path /a test.pea:7:5");
  // `/` is above the denies and the grants: implicit search only.
  CHECK(dir(P, H, "/") == "--x implicit /srv test.pea:3:5");
}

TEST_CASE("2. a path rule on X replaces the inherited access", "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea p {\n"
                    "    dir-default /etc allow\n" // 3
                    "    path /etc/motd read\n"    // 4
                    "    path /data read\n"        // 5
                    "    path /etc/sub write\n"    // 6
                    "    path /etc/sub/f read\n"   // 7
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("demo", "p");
  CHECK(file(P, H, "/etc/motd") == "r-- path /etc/motd test.pea:4:5");
  CHECK(file(P, H, "/etc/hostname") == "rwx dir-default /etc test.pea:3:5");
  // A directory with a path rule and nothing granted below: no implicit x.
  CHECK(dir(P, H, "/data") == "r-- path /data test.pea:5:5");
  // ... with a grant below: x is added, the explanation stays.
  CHECK(dir(P, H, "/etc/sub") == "-wx path /etc/sub test.pea:6:5");
  CHECK(file(P, H, "/etc/sub") == "-w- path /etc/sub test.pea:6:5");
  // The dir-default does not reach through a path rule's directory.
  CHECK(file(P, H, "/etc/sub/g") == "rwx dir-default /etc test.pea:3:5");
}

TEST_CASE("3/4. the longest covering dir-default, else none", "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea p {\n"
                    "    dir-default /var read\n"                // 3
                    "    dir-default /var/log deny\n"            // 4
                    "    dir-default /var/log/app read, write\n" // 5
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("demo", "p");
  CHECK(file(P, H, "/var/log/app/x.log") == "rw- dir-default /var/log/app test.pea:5:5");
  CHECK(file(P, H, "/var/log/syslog") == "--- dir-default /var/log test.pea:4:5");
  CHECK(file(P, H, "/var/lib/dpkg/status") == "r-- dir-default /var test.pea:3:5");
  // A dir-default applies to its own directory too.
  CHECK(file(P, H, "/var/log/app") == "rw- dir-default /var/log/app test.pea:5:5");
  CHECK(dir(P, H, "/var/log/app") == "rwx dir-default /var/log/app test.pea:5:5");
  CHECK(dir(P, H, "/var/log/app/sub") == "rwx dir-default /var/log/app test.pea:5:5");
  CHECK(dir(P, H, "/var/lib") == "r-x dir-default /var test.pea:3:5");
  // Under a denying dir-default, a grant below still makes it searchable.
  CHECK(dir(P, H, "/var/log") == "--x implicit /var/log/app test.pea:5:5");
  CHECK(dir(P, H, "/var/log/other") == "--- dir-default /var/log test.pea:4:5");
  CHECK(file(P, H, "/var/log/appx") == "--- dir-default /var/log test.pea:4:5");
  CHECK(file(P, H, "/home/user/notes.txt") == "--- default /");
  CHECK(file(P, H, "/varx") == "--- default /");
  CHECK(dir(P, H, "/") == "--x implicit /var test.pea:3:5");
}

TEST_CASE("5. implicit search access on directories", "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea p {\n"
                    "    path /usr/bin/procmail read, execute\n" // 3
                    "    dir-default /usr/share/zoneinfo read\n"  // 4
                    "    dir-default /opt deny\n"                 // 5
                    "    path /opt/tool/run write\n"              // 6
                    "    path /usr/bin/denied deny\n"             // 7
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("demo", "p");
  CHECK(dir(P, H, "/") == "--x implicit /usr/bin/procmail test.pea:3:5");
  CHECK(dir(P, H, "/usr") == "--x implicit /usr/bin/procmail test.pea:3:5");
  CHECK(dir(P, H, "/usr/bin") == "--x implicit /usr/bin/procmail test.pea:3:5");
  CHECK(file(P, H, "/usr/bin/procmail") == "r-x path /usr/bin/procmail test.pea:3:5");
  CHECK(file(P, H, "/usr/bin/ls") == "--- default /");
  CHECK(dir(P, H, "/usr/share") == "--x implicit /usr/share/zoneinfo test.pea:4:5");
  CHECK(dir(P, H, "/usr/share/zoneinfo") == "r-x dir-default /usr/share/zoneinfo test.pea:4:5");
  CHECK(dir(P, H, "/usr/share/zoneinfo/Europe") == "r-x dir-default /usr/share/zoneinfo test.pea:4:5");
  CHECK(file(P, H, "/usr/share/zoneinfo/Europe/Paris") == "r-- dir-default /usr/share/zoneinfo test.pea:4:5");
  CHECK(dir(P, H, "/opt") == "--x implicit /opt/tool/run test.pea:6:5");
  CHECK(dir(P, H, "/opt/tool") == "--x implicit /opt/tool/run test.pea:6:5");
  CHECK(dir(P, H, "/opt/other") == "--- dir-default /opt test.pea:5:5");
  CHECK(file(P, H, "/opt/tool/run") == "-w- path /opt/tool/run test.pea:6:5");
  // Non-directories never get implicit execute.
  CHECK(file(P, H, "/usr/bin") == "--- default /");
  CHECK(file(P, H, "/usr") == "--- default /");
  CHECK(file(P, H, "/opt/tool") == "--- dir-default /opt test.pea:5:5");
  // A deny grants nothing, so it gives no search access above it.
  Policy_ Q = clean("pod d { pea p { path /x/y deny dir-default /z/w deny } }");
  PeaHandle HQ = Q.pea("d", "p");
  CHECK(dir(Q, HQ, "/x") == "--- default /");
  CHECK(dir(Q, HQ, "/z") == "--- default /");
  CHECK(dir(Q, HQ, "/") == "--- default /");
}

TEST_CASE("6. rules on one path merge by union and deny wins", "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea p {\n"
                    "    path /etc/aliases.db read\n"  // 3
                    "    path /etc/aliases.db write\n" // 4
                    "    dir-default /data read\n"     // 5
                    "    dir-default /data/ execute\n" // 6
                    "    path /etc/shadow read\n"      // 7
                    "    path /etc/shadow deny\n"      // 8
                    "    dir-default /x read\n"        // 9
                    "    dir-default /x deny\n"        // 10
                    "    dir-default /x write\n"       // 11
                    "    path /m read\n"               // 12
                    "    dir-default /m write\n"       // 13
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("demo", "p");
  CHECK(file(P, H, "/etc/aliases.db") == "rw- path /etc/aliases.db test.pea:3:5");
  CHECK(file(P, H, "/data/file") == "r-x dir-default /data test.pea:5:5");
  CHECK(file(P, H, "/etc/shadow") == "--- path /etc/shadow test.pea:8:5");
  CHECK(file(P, H, "/x/f") == "--- dir-default /x test.pea:10:5");
  CHECK(dir(P, H, "/x") == "--- dir-default /x test.pea:10:5");
  // path and dir-default on one path do not merge.
  CHECK(file(P, H, "/m") == "r-- path /m test.pea:12:5");
  CHECK(dir(P, H, "/m") == "r-- path /m test.pea:12:5");
  CHECK(file(P, H, "/m/f") == "-w- dir-default /m test.pea:13:5");
  CHECK(dir(P, H, "/m/d") == "-wx dir-default /m test.pea:13:5");
}

TEST_CASE("6. merging across a rule group names the first rule in pea order",
          "[semantics][include]") {
  TempDir T;
  T.write("g.rules", "# group\npath /etc/aliases read\n");
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  Policy_ P = clean("pod p {\n"
                    "  pea a {\n"
                    "    include \"g\"\n"
                    "    path /etc/aliases write\n"
                    "  }\n"
                    "  pea b {\n"
                    "    path /etc/aliases write\n"
                    "    include \"g\"\n"
                    "  }\n"
                    "}\n",
                    T.path("m.pea"), O);
  CHECK(file(P, P.pea("p", "a"), "/etc/aliases") == "rw- path /etc/aliases g.rules:2:1");
  CHECK(file(P, P.pea("p", "b"), "/etc/aliases") == "rw- path /etc/aliases m.pea:7:5");
  CHECK(dir(P, P.pea("p", "a"), "/etc") == "--x implicit /etc/aliases g.rules:2:1");
}

TEST_CASE("7. the pea's mask over the mode bits", "[semantics]") {
  CHECK(effectiveMode(AccessRead | AccessExecute, 0755) == 0555);
  CHECK(effectiveMode(AccessRead | AccessExecute, 0644) == 0444);
  CHECK(effectiveMode(AccessRead | AccessWrite, 0755) == 0644);
  CHECK(effectiveMode(AccessAll, 0640) == 0640);
  CHECK(effectiveMode(AccessNone, 0777) == 0);
  // Type and special bits are kept.
  CHECK(effectiveMode(AccessRead, 0104755) == 0104444);
  CHECK(accessString(AccessNone) == "---");
  CHECK(accessString(AccessAll) == "rwx");
  CHECK(accessString(AccessRead | AccessExecute) == "r-x");
  CHECK(accessString(AccessWrite) == "-w-");
}

TEST_CASE("8. exec and transitions", "[semantics]") {
  Policy_ P = clean("pod web {\n"
                    "  pea apache {\n"
                    "    dir-default /var/www read, execute\n"      // 3
                    "    transition /var/www/cgi-bin cgi\n"         // 4
                    "    transition /var/www/cgi-bin/admin admin\n" // 5
                    "    path /usr/bin/readonly read\n"             // 6
                    "    transition /usr/bin/readonly cgi\n"        // 7
                    "    path /usr/bin/tool read, execute\n"        // 8
                    "  }\n"
                    "  pea cgi {\n"
                    "    dir-default /var/www/cgi-bin read, execute\n"
                    "  }\n"
                    "  pea admin {\n"
                    "  }\n"
                    "}\n");
  PeaHandle H = P.pea("web", "apache");
  CHECK(exec(P, H, "/var/www/cgi-bin/search.pl") == "allowed -> cgi via /var/www/cgi-bin@4");
  CHECK(exec(P, H, "/var/www/cgi-bin/admin/users.pl") == "allowed -> admin via /var/www/cgi-bin/admin@5");
  CHECK(exec(P, H, "/var/www/cgi-bin/adminx") == "allowed -> cgi via /var/www/cgi-bin@4");
  CHECK(exec(P, H, "/var/www/cgi-bin") == "allowed -> cgi via /var/www/cgi-bin@4");
  CHECK(exec(P, H, "/var/www/cgi-binx/tool") == "allowed (stays apache)");
  CHECK(exec(P, H, "/var/www/index.html") == "allowed (stays apache)");
  CHECK(exec(P, H, "/bin/sh") == "denied (stays apache)");
  // Read without execute: denied, the transition does not apply.
  CHECK(exec(P, H, "/usr/bin/readonly") == "denied (stays apache)");
  // Implicit directory search access never counts for exec.
  CHECK(exec(P, H, "/usr/bin") == "denied (stays apache)");
  CHECK(exec(P, H, "/usr/bin/tool") == "allowed (stays apache)");
  // The program's access is reported along with the decision.
  ExecAnswer A = P.E->exec(H, "/var/www/cgi-bin/search.pl");
  CHECK(show(A.Access) == "r-x dir-default /var/www test.pea:3:5");
  CHECK(A.Transition->Loc == RuleLocation{"test.pea", 4, 5});
  ExecAnswer D = P.E->exec(H, "/bin/sh");
  CHECK(D.PeaAfter == "apache");
  CHECK(show(D.Access) == "--- default /");
  // Transitions are one-way: the target's own rules decide.
  PeaHandle Cgi = P.pea("web", "cgi");
  CHECK(exec(P, Cgi, "/var/www/cgi-bin/search.pl") == "allowed (stays cgi)");
  CHECK(exec(P, Cgi, "/var/www/index.html") == "denied (stays cgi)");
  PeaHandle Admin = P.pea("web", "admin");
  CHECK(exec(P, Admin, "/var/www/cgi-bin/search.pl") == "denied (stays admin)");
}

TEST_CASE("8. the same transition twice is fine, different targets are E305",
          "[semantics][diagnostics]") {
  Policy_ P = clean("pod p {\n"
                    "  pea a {\n"
                    "    path /x allow\n"
                    "    transition /x b\n"
                    "    transition /x/ b\n"
                    "  }\n"
                    "  pea b { }\n"
                    "}\n");
  CHECK(test::summary(*P.C).empty());
  CHECK(exec(P, P.pea("p", "a"), "/x") == "allowed -> b via /x@4");

  auto C = test::compile("pod p {\n"
                         "  pea a {\n"
                         "    transition /usr/bin/x b\n"
                         "    transition //usr/bin/x/ c\n"
                         "    transition /usr/bin c\n"
                         "  }\n"
                         "  pea b { }\n"
                         "  pea c { }\n"
                         "}\n");
  std::vector<test::Diag> All = test::diags(*C);
  REQUIRE(All.size() == 1);
  CHECK(All[0].Code == "E305");
  CHECK(All[0].Line == 4);
  CHECK(All[0].Column == 29);
  CHECK(All[0].Message == "transition on '/usr/bin/x' already targets pea 'b'");
  REQUIRE(All[0].Notes.size() == 1);
  CHECK(All[0].Notes[0].Code == "N002");
  CHECK(All[0].Notes[0].Line == 3);
  CHECK(All[0].Notes[0].Column == 5);
}

TEST_CASE("8. a conflicting transition from a rule group is E305 too",
          "[semantics][diagnostics][include]") {
  TempDir T;
  T.write("g.rules", "transition /usr/bin/x c\n");
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  auto C = test::compile("pod p {\n  pea a {\n    transition /usr/bin/x b\n"
                         "    include \"g\"\n  }\n  pea b { }\n  pea c { }\n}\n",
                         T.path("m.pea"), O);
  std::vector<test::Diag> All = test::diags(*C);
  REQUIRE(All.size() == 1);
  CHECK(All[0].Code == "E305");
  CHECK(All[0].File == T.path("g.rules"));
  CHECK(All[0].Line == 1);
  CHECK(All[0].Column == 23);
}

TEST_CASE("W309: a transition into its own pea", "[semantics][diagnostics]") {
  Policy_ P = clean("pod p {\n  pea a {\n    path /x allow\n"
                    "    transition /x a\n  }\n}\n");
  CHECK(test::summary(*P.C) ==
        std::vector<std::string>{
            "W309 4:19 transition into the pea it is in has no effect"});
  CHECK(exec(P, P.pea("p", "a"), "/x") == "allowed -> a via /x@4");
}

TEST_CASE("Rule 9: the mail delivery policy", "[semantics][paper]") {
  TempDir T;
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  T.write("std/stdlibs.rules", "# stub\ndir-default /lib read, execute\n"
                               "path /etc/ld.so.cache read\n");
  T.write("std/sendmail.rules", "path /usr/sbin/sendmail read, execute\n"
                                "dir-default /etc/mail read\n");
  Policy_ P = clean("pod mail-delivery {\n"                      // 1
                    "  pea sendmail {\n"                         // 2
                    "    include \"stdlibs\"\n"                  // 3
                    "    include \"sendmail\"\n"                 // 4
                    "    dir-default /etc read\n"                // 5
                    "    dir-default /var/spool/mqueue allow\n"  // 6
                    "    dir-default /var/spool/mail allow\n"    // 7
                    "    dir-default /var/run allow\n"           // 8
                    "    path /usr/bin/procmail read, execute\n" // 9
                    "    transition /usr/bin/procmail procmail\n" // 10
                    "    bind tcp/25\n"                          // 11
                    "    outgoing allow\n"                       // 12
                    "  }\n"
                    "  pea procmail {\n"
                    "    dir-default / allow\n"                  // 15
                    "    outgoing allow\n"
                    "  }\n"
                    "}\n",
                    T.path("mail.pea"), O);
  PeaHandle S = P.pea("mail-delivery", "sendmail");
  PeaHandle M = P.pea("mail-delivery", "procmail");
  CHECK(exec(P, S, "/usr/bin/procmail") == "allowed -> procmail via /usr/bin/procmail@10");
  CHECK(exec(P, S, "/bin/sh") == "denied (stays sendmail)");
  CHECK(exec(P, S, "/usr/sbin/sendmail") == "allowed (stays sendmail)");
  CHECK(exec(P, M, "/bin/sh") == "allowed (stays procmail)");
  CHECK(exec(P, M, "/usr/bin/procmail") == "allowed (stays procmail)");
  CHECK(file(P, S, "/usr/bin/procmail") == "r-x path /usr/bin/procmail mail.pea:9:5");
  CHECK(file(P, S, "/usr/bin/other") == "--- default /");
  CHECK(dir(P, S, "/usr/bin") == "--x implicit /usr/bin/procmail mail.pea:9:5");
  CHECK(file(P, S, "/var/spool/mqueue/qfABC") == "rwx dir-default /var/spool/mqueue mail.pea:6:5");
  CHECK(dir(P, S, "/var/spool/mqueue") == "rwx dir-default /var/spool/mqueue mail.pea:6:5");
  CHECK(dir(P, S, "/var/spool") == "--x implicit /var/spool/mqueue mail.pea:6:5");
  CHECK(file(P, S, "/etc/passwd") == "r-- dir-default /etc mail.pea:5:5");
  CHECK(file(P, S, "/etc/ld.so.cache") == "r-- path /etc/ld.so.cache stdlibs.rules:3:1");
  CHECK(file(P, S, "/etc/mail/sendmail.cf") == "r-- dir-default /etc/mail sendmail.rules:2:1");
  CHECK(file(P, S, "/lib/x86_64-linux-gnu/libc.so.6") == "r-x dir-default /lib stdlibs.rules:2:1");
  CHECK(dir(P, S, "/") == "--x implicit /lib stdlibs.rules:2:1");
  CHECK(file(P, M, "/home/u/.procmailrc") == "rwx dir-default / mail.pea:15:5");
  CHECK(dir(P, M, "/") == "rwx dir-default / mail.pea:15:5");

  CHECK(P.E->bind(S, Protocol::TCP, 25));
  CHECK_FALSE(P.E->bind(S, Protocol::TCP, 587));
  CHECK_FALSE(P.E->bind(S, Protocol::UDP, 25));
  CHECK(P.E->connect(S, Protocol::TCP, 25));
  CHECK(P.E->connect(S, Protocol::UDP, 53));
  CHECK_FALSE(P.E->bind(M, Protocol::TCP, 25));
  CHECK(P.E->connect(M, Protocol::TCP, 80));
  CHECK(P.E->touch(S, "procmail") == std::optional<bool>(false));
  CHECK(P.E->touch(M, "sendmail") == std::optional<bool>(false));
  CHECK(P.E->touch(S, "sendmail") == std::optional<bool>(true));
}

TEST_CASE("Rule 10: web delivery with a cgi directory transition",
          "[semantics][paper]") {
  TempDir T;
  CompileOptions O;
  O.StdRulesDir = T.dir("std");
  T.write("std/stdlibs.rules", "dir-default /lib read, execute\n");
  T.write("std/perl.rules", "path /usr/bin/perl read, execute\n"
                            "dir-default /usr/share/perl read\n");
  Policy_ P = clean("pod web-delivery {\n"                         // 1
                    "  pea apache {\n"                             // 2
                    "    include \"stdlibs\"\n"                    // 3
                    "    path /usr/sbin/apache      read,execute\n" // 4
                    "    path /usr/sbin/apachectl  read,execute\n" // 5
                    "    dir-default /var/www      read,execute\n" // 6
                    "    transition /var/www/cgi-bin cgi\n"        // 7
                    "    bind                          tcp/80\n"   // 8
                    "  }\n"
                    "  pea cgi {\n"
                    "    include \"stdlibs\"\n"
                    "    include \"perl\"\n"
                    "    dir-default /var/www/data  allow\n"
                    "    path /tmp/mysql.sock      allow\n"
                    "  }\n"
                    "  pea mysql {\n"
                    "    include \"stdlibs\"\n"
                    "    path /usr/sbin/mysqld read, execute\n"
                    "    path /tmp/mysql.sock   allow\n"
                    "    dir-default /usr/share/mysql read\n"
                    "    dir-default /var/lib/mysql allow\n"
                    "  }\n"
                    "}\n",
                    T.path("web.pea"), O);
  PeaHandle A = P.pea("web-delivery", "apache");
  PeaHandle C = P.pea("web-delivery", "cgi");
  PeaHandle M = P.pea("web-delivery", "mysql");
  CHECK(exec(P, A, "/var/www/cgi-bin/search.pl") == "allowed -> cgi via /var/www/cgi-bin@7");
  CHECK(exec(P, A, "/var/www/cgi-binx/search.pl") == "allowed (stays apache)");
  CHECK(exec(P, A, "/usr/sbin/apache") == "allowed (stays apache)");
  CHECK(exec(P, A, "/usr/sbin/mysqld") == "denied (stays apache)");
  CHECK(file(P, A, "/var/www/index.html") == "r-x dir-default /var/www web.pea:6:5");
  CHECK(file(P, A, "/tmp/mysql.sock") == "--- default /");
  CHECK(file(P, C, "/tmp/mysql.sock") == "rwx path /tmp/mysql.sock web.pea:14:5");
  CHECK(file(P, M, "/tmp/mysql.sock") == "rwx path /tmp/mysql.sock web.pea:19:5");
  CHECK(file(P, C, "/var/www/data/x") == "rwx dir-default /var/www/data web.pea:13:5");
  CHECK(file(P, C, "/var/www/index.html") == "--- default /");
  CHECK(file(P, C, "/usr/bin/perl") == "r-x path /usr/bin/perl perl.rules:1:1");
  CHECK(file(P, M, "/var/lib/mysql/db/t.ibd") == "rwx dir-default /var/lib/mysql web.pea:21:5");
  CHECK(file(P, A, "/var/lib/mysql/db/t.ibd") == "--- default /");
  CHECK(file(P, M, "/usr/share/mysql/charsets") == "r-- dir-default /usr/share/mysql web.pea:20:5");
  CHECK(exec(P, M, "/usr/sbin/mysqld") == "allowed (stays mysql)");
  CHECK(P.E->bind(A, Protocol::TCP, 80));
  CHECK_FALSE(P.E->bind(A, Protocol::TCP, 443));
  CHECK_FALSE(P.E->connect(A, Protocol::TCP, 80));
  CHECK_FALSE(P.E->bind(C, Protocol::TCP, 80));
  CHECK(P.E->touch(A, "cgi") == std::optional<bool>(false));
}

TEST_CASE("9. network: default deny, allow, lists, merge, deny wins",
          "[semantics]") {
  Policy_ P = clean("pod demo {\n"
                    "  pea mta { bind tcp/25 outgoing allow }\n"
                    "  pea web {\n"
                    "    bind tcp/80, tcp/443\n"
                    "    bind tcp/8000-8080\n"
                    "    outgoing udp/53\n"
                    "  }\n"
                    "  pea locked { bind tcp/25 bind deny }\n"
                    "  pea both { bind allow bind tcp/25 outgoing deny outgoing allow }\n"
                    "  pea none { }\n"
                    "  pea ranges { bind tcp/11-20, udp/3 bind tcp/1-10 bind tcp/5-6 "
                    "bind tcp/22 bind udp/4-5 }\n"
                    "}\n");
  PeaHandle Mta = P.pea("demo", "mta"), Web = P.pea("demo", "web"),
            Locked = P.pea("demo", "locked"), Both = P.pea("demo", "both"),
            None = P.pea("demo", "none"), Ranges = P.pea("demo", "ranges");
  CHECK(P.E->bind(Mta, Protocol::TCP, 25));
  CHECK_FALSE(P.E->bind(Mta, Protocol::TCP, 587));
  CHECK_FALSE(P.E->bind(Mta, Protocol::UDP, 25));
  CHECK(P.E->connect(Mta, Protocol::TCP, 25));
  CHECK(P.E->connect(Mta, Protocol::UDP, 53));
  CHECK(P.E->connect(Mta, Protocol::TCP, 1));
  CHECK(P.E->connect(Mta, Protocol::UDP, 65535));

  CHECK(P.E->bind(Web, Protocol::TCP, 443));
  CHECK(P.E->bind(Web, Protocol::TCP, 80));
  CHECK(P.E->bind(Web, Protocol::TCP, 8000));
  CHECK(P.E->bind(Web, Protocol::TCP, 8080));
  CHECK_FALSE(P.E->bind(Web, Protocol::TCP, 7999));
  CHECK_FALSE(P.E->bind(Web, Protocol::TCP, 8081));
  CHECK_FALSE(P.E->bind(Web, Protocol::UDP, 80));
  CHECK(P.E->connect(Web, Protocol::UDP, 53));
  CHECK_FALSE(P.E->connect(Web, Protocol::TCP, 53));

  CHECK_FALSE(P.E->bind(Locked, Protocol::TCP, 25));
  CHECK_FALSE(P.E->connect(Locked, Protocol::TCP, 25));
  CHECK(P.E->bind(Both, Protocol::UDP, 9));
  CHECK_FALSE(P.E->connect(Both, Protocol::TCP, 80));
  for (uint16_t Port : {uint16_t(1), uint16_t(25), uint16_t(65535)}) {
    CHECK_FALSE(P.E->bind(None, Protocol::TCP, Port));
    CHECK_FALSE(P.E->connect(None, Protocol::UDP, Port));
  }

  // The IR keeps sorted, merged ranges per protocol.
  const Pea &R = P.C->policy().Pods[0].Peas[Ranges.Pea];
  CHECK(R.Bind.Ranges == std::vector<PortRange>{{Protocol::TCP, 1, 20},
                                               {Protocol::TCP, 22, 22},
                                               {Protocol::UDP, 3, 5}});
  CHECK(P.E->bind(Ranges, Protocol::TCP, 20));
  CHECK_FALSE(P.E->bind(Ranges, Protocol::TCP, 21));
  CHECK_FALSE(P.E->bind(Ranges, Protocol::UDP, 6));
  const Pea &W = P.C->policy().Pods[0].Peas[Web.Pea];
  CHECK(W.Bind.Ranges == std::vector<PortRange>{{Protocol::TCP, 80, 80},
                                               {Protocol::TCP, 443, 443},
                                               {Protocol::TCP, 8000, 8080}});
  CHECK(portRangeString(W.Bind.Ranges[2]) == "tcp/8000-8080");
  CHECK(portRangeString(W.Bind.Ranges[0]) == "tcp/80");
  const Pea &L = P.C->policy().Pods[0].Peas[Locked.Pea];
  CHECK(L.Bind.DenyAll);
  CHECK_FALSE(L.Bind.AllowAll);
}

TEST_CASE("10. touch: self, namespace global, namespace PEA; not symmetric",
          "[semantics]") {
  Policy_ P = clean("pod service {\n"
                    "  pea global_access {\n"
                    "    namespace    global\n"
                    "  }\n"
                    "  pea test1 {\n"
                    "    namespace    test\n"
                    "  }\n"
                    "  pea test {\n"
                    "  }\n"
                    "  pea many { namespace test namespace test1 namespace test }\n"
                    "}\n"
                    "pod other { pea x { namespace global } pea test { } }\n");
  PeaHandle G = P.pea("service", "global_access"), T1 = P.pea("service", "test1"),
            T = P.pea("service", "test"), Many = P.pea("service", "many"),
            X = P.pea("other", "x");
  using B = std::optional<bool>;
  CHECK(P.E->touch(T1, "test") == B(true));
  CHECK(P.E->touch(T1, "global_access") == B(false));
  CHECK(P.E->touch(T1, "test1") == B(true));
  CHECK(P.E->touch(T, "test1") == B(false));
  CHECK(P.E->touch(T, "test") == B(true));
  CHECK(P.E->touch(G, "test") == B(true));
  CHECK(P.E->touch(G, "test1") == B(true));
  CHECK(P.E->touch(G, "many") == B(true));
  CHECK(P.E->touch(Many, "test") == B(true));
  CHECK(P.E->touch(Many, "test1") == B(true));
  CHECK(P.E->touch(Many, "global_access") == B(false));
  CHECK(P.E->touch(T, "nosuch") == std::nullopt);
  // Peas of other pods are never reachable, even with namespace global.
  CHECK(P.E->touch(X, "global_access") == std::nullopt);
  CHECK(P.E->touch(X, "test") == B(true)); // other's own `test`
  const Pea &ManyPea = P.C->policy().Pods[0].Peas[Many.Pea];
  CHECK(ManyPea.NamespacePeas == std::vector<uint32_t>{1, 2});
  CHECK_FALSE(ManyPea.NamespaceGlobal);
  CHECK(P.C->policy().Pods[0].Peas[G.Pea].NamespaceGlobal);
}

TEST_CASE("W310: namespace of the pea itself", "[semantics][diagnostics]") {
  Policy_ P = clean("pod p {\n  pea a {\n    namespace a\n    namespace b\n  }\n"
                    "  pea b { }\n}\n");
  CHECK(test::summary(*P.C) ==
        std::vector<std::string>{"W310 3:15 a pea can always touch its own "
                                 "processes; 'namespace a' has no effect"});
  CHECK(P.C->policy().Pods[0].Peas[0].NamespacePeas ==
        std::vector<uint32_t>{1});
}

TEST_CASE("duplicate and reserved names: E302, E303, E304",
          "[semantics][diagnostics]") {
  auto C = test::compile("pod p {\n"
                         "  pea a { path /first read }\n"
                         "  pea a { path /second read }\n"
                         "  pea global { }\n"
                         "  pea b { transition /x global namespace global }\n"
                         "}\n"
                         "pod p { pea z { } }\n"
                         "pod global { pea y { } }\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{
            "E302 3:7 pea 'a' is already defined in pod 'p'",
            "E304 4:7 'global' is reserved and cannot name a pea",
            "E303 7:5 pod 'p' is already defined",
            "E304 8:5 'global' is reserved and cannot name a pod",
            "E301 5:25 unknown pea 'global' in pod 'p'",
        });
  // The first definitions are the ones the IR keeps.
  const Policy &IR = C->policy();
  REQUIRE(IR.Pods.size() == 1);
  CHECK(IR.Pods[0].Name == "p");
  REQUIRE(IR.Pods[0].Peas.size() == 2);
  CHECK(IR.Pods[0].Peas[0].Name == "a");
  CHECK(IR.Pods[0].Peas[0].FileRules.at(0)->Path == "/first");
  CHECK(IR.Pods[0].Peas[1].Name == "b");
  CHECK(IR.Pods[0].Peas[1].NamespaceGlobal);
  ReferenceEvaluator E(IR);
  CHECK(E.podNames() == std::vector<std::string>{"p"});
  CHECK(E.peaNames(0) == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(E.findPea("p", "global"));
  CHECK_FALSE(E.findPea("global", "y"));
  CHECK_FALSE(E.findPea("nosuch", "a"));
}

TEST_CASE("E301 for namespace and transition targets in another pod",
          "[semantics][diagnostics]") {
  auto C = test::compile("pod p { pea a { transition /x b namespace b } }\n"
                         "pod q { pea b { } }\n");
  CHECK(test::summary(*C) ==
        std::vector<std::string>{"E301 1:31 unknown pea 'b' in pod 'p'",
                                 "E301 1:43 unknown pea 'b' in pod 'p'"});
}

TEST_CASE("the evaluator lists pods and peas in source order", "[semantics]") {
  Policy_ P = clean("pod z { pea b { } pea a { } }\npod y { pea c { } }\n");
  CHECK(P.E->podNames() == std::vector<std::string>{"z", "y"});
  CHECK(P.E->peaNames(0) == std::vector<std::string>{"b", "a"});
  CHECK(P.E->peaNames(1) == std::vector<std::string>{"c"});
  std::optional<PeaHandle> H = P.E->findPea("y", "c");
  REQUIRE(H);
  CHECK(H->Pod == 1);
  CHECK(H->Pea == 0);
  CHECK_FALSE(P.E->findPea("y", "a"));
}

TEST_CASE("an explanation names the rule, every rule merged into it, and the "
          "includes that brought it in",
          "[semantics][explanations]") {
  TempDir T;
  T.write("outer.rules", "path /etc/a read\ninclude \"inner\"\n");
  T.write("inner.rules", "# inner\npath /etc/a write\ndir-default /d read\n");
  std::string Main = T.write("main.pea", "pod p {\n"                  // 1
                                         "  pea a {\n"                // 2
                                         "    path /etc/b read\n"     // 3
                                         "    include \"outer\"\n"    // 4
                                         "    path /etc/a execute\n"  // 5
                                         "    path /etc/b deny\n"     // 6
                                         "  }\n"
                                         "}\n");
  Compilation C;
  C.compileFile(Main);
  REQUIRE_FALSE(C.diags().hasErrors());
  ReferenceEvaluator E(C.policy());
  // FileRules: 0 /etc/b read, 1 /etc/a read (outer), 2 /etc/a write
  // (inner), 3 /d (inner), 4 /etc/a execute, 5 /etc/b deny.
  PathAnswer A = E.access({0, 0}, "/etc/a", false);
  CHECK(A.Access == AccessAll);
  CHECK(A.Why.Rule == 1u);
  CHECK(A.Why.Merged == std::vector<uint32_t>{1, 2, 4});
  CHECK(A.Why.IncludeChain == std::vector<RuleLocation>{{"main.pea", 4, 5}});
  // Through two includes: the chain is outermost first.
  PathAnswer D = E.access({0, 0}, "/d/x", false);
  CHECK(D.Why.Rule == 3u);
  CHECK(D.Why.IncludeChain ==
        std::vector<RuleLocation>{{"main.pea", 4, 5}, {"outer.rules", 2, 1}});
  // A merge with a deny names the deny, and lists both.
  PathAnswer B = E.access({0, 0}, "/etc/b", false);
  CHECK(B.Access == AccessNone);
  CHECK(B.Why.Rule == 5u);
  CHECK(B.Why.Merged == std::vector<uint32_t>{0, 5});
  CHECK(B.Why.IncludeChain.empty());
  // Default answers name no rule.
  PathAnswer N = E.access({0, 0}, "/nowhere", false);
  CHECK(!N.Why.Rule);
  CHECK(N.Why.Merged.empty());
  // The IR keeps the sites too.
  const peapod::Pea &P = C.policy().Pods[0].Peas[0];
  REQUIRE(P.Includes.size() == 2);
  CHECK(P.FileRuleVia == std::vector<uint32_t>{NotIncluded, 0, 1, 1,
                                               NotIncluded, NotIncluded});
  CHECK(P.Includes[1].Parent == 0);
}
