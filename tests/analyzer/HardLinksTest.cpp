//===- HardLinksTest.cpp - A1xx on real trees made with link(2) -----------===//
#include "TestUtil.h"
#include "TreeScript.h"
#include "peapod/analyzer/Analyzer.h"
#include "peapod/analyzer/HardLinks.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <sys/mount.h>

using namespace peapod;
using namespace peapod::analyzer;

namespace {

/// The A1xx findings only: the other checks run too, and have their own
/// tests.
std::vector<test::Diag> treeDiags(const Compilation &C) {
  std::vector<test::Diag> Out;
  for (const test::Diag &D : test::diags(C))
    if (D.Code.rfind("A1", 0) == 0)
      Out.push_back(D);
  return Out;
}
std::vector<std::string> treeCodes(const Compilation &C) {
  std::vector<std::string> Out;
  for (const test::Diag &D : treeDiags(C))
    Out.push_back(D.Code);
  return Out;
}
std::vector<std::string> treeSummary(const Compilation &C) {
  std::vector<std::string> Out;
  for (const test::Diag &D : treeDiags(C))
    Out.push_back(D.Code + " " + std::to_string(D.Line) + ":" +
                  std::to_string(D.Column) + " " + D.Message);
  return Out;
}

/// The temporary directory itself.
std::string top(const test::TempDir &D) {
  std::string P = D.path("");
  if (P.size() > 1 && P.back() == '/')
    P.pop_back();
  return P;
}

/// Compiles `Policy` and runs the analyzer with the tree `Script` builds
/// under DIR/tree as the root.
struct TreeRun {
  test::TempDir Dir;
  std::unique_ptr<Compilation> C;
  std::string Root;

  TreeRun(const std::string &Policy, const std::string &Script,
          bool CrossDevices = false) {
    test::buildTree(top(Dir), Script);
    Root = top(Dir) + "/tree";
    C = test::compile(Policy);
    REQUIRE(!C->diags().hasErrors());
    AnalyzerOptions Opts;
    Opts.Root = Root;
    Opts.CrossDevices = CrossDevices;
    analyze(*C, Opts);
  }
  std::vector<std::string> codes() const { return treeCodes(*C); }
  size_t count(const std::string &Code) const {
    auto Codes = codes();
    return std::count(Codes.begin(), Codes.end(), Code);
  }
};

const char *const Web = R"(pod web {
  pea httpd {
    path /etc/shadow deny
    dir-default /srv/www read, write
  }
  pea backup {
    dir-default / read
  }
}
)";

std::vector<std::string> namesOf(const TreeScan &S) {
  std::vector<std::string> Out;
  for (const LinkGroup &G : S.Groups)
    for (const std::string &N : G.Names)
      Out.push_back(N);
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace

TEST_CASE("the walk groups every name of a multiply linked file",
          "[hardlinks]") {
  test::TempDir Dir;
  test::buildTree(top(Dir), R"(
    mkdir -p tree/a/b tree/c outside
    touch tree/a/one tree/a/b/two tree/single outside/far
    ln tree/a/one tree/c/one-again
    ln tree/a/one tree/a/b/one-thrice
    ln tree/a/b/two tree/two
    ln outside/far tree/c/near
    ln -s ../outside tree/through-link
    ln -s /etc tree/etc-link
  )");
  auto Scan = scanTree(top(Dir) + "/tree");
  REQUIRE(bool(Scan));
  // The link to ../outside is not followed: outside/far is reached only
  // through its own name under the root, as a group of one.
  CHECK(namesOf(*Scan) ==
        std::vector<std::string>{"/a/b/one-thrice", "/a/b/two", "/a/one",
                                 "/c/near", "/c/one-again", "/two"});
  REQUIRE(Scan->Groups.size() == 3);
  for (const LinkGroup &G : Scan->Groups) {
    if (G.Names.front() == "/c/near") {
      CHECK(G.Names.size() == 1);
      CHECK(G.LinkCount == 2);
    } else {
      CHECK(G.Names.size() == G.LinkCount);
    }
  }
  CHECK(Scan->Unreadable.empty());
  CHECK(Scan->Directories == 4); // tree, a, a/b, c
}

TEST_CASE("a hard-linked symbolic link is a file with two names",
          "[hardlinks]") {
  test::TempDir Dir;
  test::buildTree(top(Dir), "mkdir -p tree/d\nln -s /etc/shadow tree/l\n");
  // linkat without AT_SYMLINK_FOLLOW links the symbolic link itself.
  REQUIRE(::linkat(AT_FDCWD, (top(Dir) + "/tree/l").c_str(), AT_FDCWD,
                   (top(Dir) + "/tree/d/l2").c_str(), 0) == 0);
  auto Scan = scanTree(top(Dir) + "/tree");
  REQUIRE(bool(Scan));
  CHECK(namesOf(*Scan) == std::vector<std::string>{"/d/l2", "/l"});
}

TEST_CASE("an unopenable root is an error, not an empty tree",
          "[hardlinks]") {
  test::TempDir Dir;
  test::buildTree(top(Dir), "touch file\n");
  auto Missing = scanTree(top(Dir) + "/missing");
  REQUIRE(!bool(Missing));
  CHECK(llvm::toString(Missing.takeError()) == "No such file or directory");
  auto File = scanTree(top(Dir) + "/file");
  REQUIRE(!bool(File));
  CHECK(llvm::toString(File.takeError()) == "Not a directory");
}

TEST_CASE("A101: names of one file with different access in a pea",
          "[hardlinks]") {
  TreeRun R(Web, R"(
    mkdir -p tree/etc tree/srv/www
    touch tree/etc/shadow
    ln tree/etc/shadow tree/srv/www/shadow.bak
  )");
  // httpd differs (--- and rw-); backup reads both names alike.
  REQUIRE(R.count("A101") == 1);
  auto Diags = treeDiags(*R.C);
  const test::Diag &D = Diags.front();
  CHECK(D.Code == "A101");
  CHECK(D.Message == "pea 'httpd' of pod 'web' gets different access to one "
                     "file through its names: '/etc/shadow' ---, "
                     "'/srv/www/shadow.bak' rw-");
  // The caret is on the rule that gives the most away.
  CHECK(D.Line == 4);
  REQUIRE(D.Notes.size() == 2);
  CHECK(D.Notes[0].Message ==
        "'/etc/shadow' gets --- from the path rule on '/etc/shadow'");
  CHECK(D.Notes[0].Line == 3);
  CHECK(D.Notes[1].Message ==
        "'/srv/www/shadow.bak' gets rw- from the dir-default rule on "
        "'/srv/www'");
  CHECK(D.Notes[1].Line == 4);
}

TEST_CASE("A101 near miss: every name answers alike", "[hardlinks]") {
  TreeRun R(Web, R"(
    mkdir -p tree/etc tree/srv/www/a
    touch tree/srv/www/index.html tree/etc/shadow tree/etc/motd
    ln tree/srv/www/index.html tree/srv/www/a/index.html
    ln tree/etc/motd tree/motd
  )");
  // index.html: rw- twice in httpd; motd: --- twice in httpd (no rule
  // covers /etc/motd or /motd), r-- twice in backup.
  CHECK(R.count("A101") == 0);
}

TEST_CASE("A101 names a default-deny name as such", "[hardlinks]") {
  TreeRun R(Web, R"(
    mkdir -p tree/srv/www
    touch tree/srv/www/f
    ln tree/srv/www/f tree/elsewhere
  )");
  REQUIRE(R.count("A101") == 1);
  auto D = treeDiags(*R.C).front();
  REQUIRE(D.Notes.size() == 2);
  // Names in path order, whatever order the directory lists them in.
  CHECK(D.Notes[0].Message ==
        "'/elsewhere' gets --- from no rule (the default: deny)");
  CHECK(D.Notes[0].Line == 0); // no rule to point at
  CHECK(D.Notes[1].Message ==
        "'/srv/www/f' gets rw- from the dir-default rule on '/srv/www'");
}

TEST_CASE("A101 walks only the root's file system unless asked",
          "[hardlinks][root]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot mount a tmpfs to cross");
    return;
  }
  test::TempDir Dir;
  test::buildTree(top(Dir), "mkdir -p tree/srv/www tree/mnt\n");
  std::string Mount = top(Dir) + "/tree/mnt";
  REQUIRE(::mount("tmpfs", Mount.c_str(), "tmpfs", 0, "size=1m") == 0);
  struct Unmount {
    std::string P;
    ~Unmount() { ::umount2(P.c_str(), MNT_DETACH); }
  } U{Mount};
  test::buildTree(top(Dir), "touch tree/mnt/x\nln tree/mnt/x tree/mnt/y\n");
  auto Same = scanTree(top(Dir) + "/tree");
  REQUIRE(bool(Same));
  CHECK(Same->Groups.empty());
  CHECK(Same->OtherDevices == 1);
  TreeWalkOptions Cross;
  Cross.CrossDevices = true;
  auto Both = scanTree(top(Dir) + "/tree", Cross);
  REQUIRE(bool(Both));
  CHECK(namesOf(*Both) == std::vector<std::string>{"/mnt/x", "/mnt/y"});
}


TEST_CASE("A104: a directory the walk cannot read", "[hardlinks]") {
  test::TempDir Dir;
  test::buildTree(top(Dir), R"(
    mkdir -p tree/open tree/closed/inner
    touch tree/open/a
    ln tree/open/a tree/closed/inner/b
  )");
  std::string Closed = top(Dir) + "/tree/closed";
  REQUIRE(::chmod(Closed.c_str(), 0) == 0);
  struct Reopen {
    std::string P;
    ~Reopen() { ::chmod(P.c_str(), 0755); }
  } R{Closed};
  auto C = test::compile("pod p {\n  pea a {\n    path /open/a read\n  }\n}\n");
  AnalyzerOptions Opts;
  Opts.Root = top(Dir) + "/tree";
  {
    test::WithoutDacOverride AsAnyUser;
    analyze(*C, Opts);
  }
  CHECK(treeSummary(*C) ==
        std::vector<std::string>{
            "A104 0:0 cannot read '/closed' under the root '" + *Opts.Root +
            "': Permission denied; the names below it were not checked for "
            "hard links"});
}

TEST_CASE("A102: a rule path that is a symbolic link under the root",
          "[hardlinks]") {
  const char *Policy = R"(pod p {
  pea a {
    dir-default /var/run read, write
    path /var/lib/x/y read
    path /etc/hosts read
  }
}
)";
  TreeRun R(Policy, R"(
    mkdir -p tree/run tree/var/lib/real tree/etc
    touch tree/etc/hosts tree/var/lib/real/y
    ln -s ../run tree/var/run
    ln -s real tree/var/lib/x
  )");
  auto S = treeSummary(*R.C);
  CHECK(S == std::vector<std::string>{
                 "A102 3:17 '/var/run' is a symbolic link under the root (to "
                 "'../run'): the rule on '/var/run' guards the link's name, "
                 "not its target",
                 "A102 4:10 '/var/lib/x' is a symbolic link under the root "
                 "(to 'real'): the rule on '/var/lib/x/y' guards the link's "
                 "name, not its target"});
}

TEST_CASE("A102 near miss and A103: real and missing rule paths",
          "[hardlinks]") {
  const char *Policy = R"(pod p {
  pea a {
    dir-default /run read, write
    path /etc/hosts read
    transition /usr/bin/procmail b
  }
  pea b {
    path /etc/hosts read
  }
}
)";
  TreeRun R(Policy, "mkdir -p tree/run tree/etc\ntouch tree/etc/hosts\n");
  CHECK(treeSummary(*R.C) ==
        std::vector<std::string>{"A103 5:16 rule path '/usr/bin/procmail' "
                                 "does not exist under the root '" +
                                 R.Root + "'"});
}

TEST_CASE("A103 is reported once per rule, not per pea including it",
          "[hardlinks]") {
  test::TempDir Dir;
  Dir.write("g.rules", "path /nowhere read\n");
  test::buildTree(top(Dir), "mkdir -p tree\n");
  std::string Policy = Dir.write(
      "p.pea", "pod p {\n  pea a { include \"g\" }\n  pea b { include \"g\" }\n}\n");
  Compilation C;
  REQUIRE(C.compileFile(Policy));
  AnalyzerOptions Opts;
  Opts.Root = top(Dir) + "/tree";
  analyze(C, Opts);
  CHECK(treeCodes(C) == std::vector<std::string>{"A103"});
}

TEST_CASE("A105: a root that cannot be read is fatal", "[hardlinks]") {
  test::TempDir Dir;
  auto C = test::compile(Web);
  AnalyzerOptions Opts;
  Opts.Root = top(Dir) + "/missing";
  analyze(*C, Opts);
  CHECK(C->diags().hasFatal());
  CHECK(treeSummary(*C) ==
        std::vector<std::string>{"A105 0:0 cannot read the root '" +
                                 *Opts.Root +
                                 "': No such file or directory"});
}

TEST_CASE("disabled A1xx checks do not walk", "[hardlinks]") {
  test::TempDir Dir;
  test::buildTree(top(Dir), R"(
    mkdir -p tree/etc tree/srv/www
    touch tree/etc/shadow
    ln tree/etc/shadow tree/srv/www/s
  )");
  CompileOptions CO;
  for (const char *Name : {"hard-link-access", "tree-unreadable",
                           "rule-path-symlink", "rule-path-missing"})
    CO.Diagnostics.ByName[Name] = std::nullopt;
  auto C = test::compile(Web, "test.pea", CO);
  AnalyzerOptions Opts;
  Opts.Root = top(Dir) + "/tree";
  analyze(*C, Opts);
  CHECK(treeCodes(*C).empty());
}
